/* mutu generate: a synthetic population of group practices, one cabinet
 * per line, streamed so that millions of lines take constant memory. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "mutu/file.h"
#include "mutu/cabinet_csv.h"
#include "mutu/generate.h"

#define DEFAULT_PROFILE "scenarios/profiles/france.json"

#define DEFAULT_RULES "scenarios/rules/convention-2024.json"

static const char *const formats[] = {"jsonl", "csv", NULL};

static struct {
	long structures, seed;
	const char *profile, *rules, *out;
	int format;
} a;

static const cli_opt opts[] = {
    {CLI_INT, "structures", 'n', &a.structures, "N", "how many structures (required)", CLI_REQUIRED,
     1, 1000000000, NULL},
    {CLI_INT, "seed", 's', &a.seed, "S",
     "random seed (required; 0 is GSL's default seed, the same as 4357)", CLI_REQUIRED, 0,
     4294967295L, NULL},
    {CLI_STRING, "profile", 'p', &a.profile, "FILE",
     "the profile (default " DEFAULT_PROFILE ", looked up in the current\n"
     "directory, then beside the mutu binary's ../" DEFAULT_PROFILE ")",
     0, 0, 0, NULL},
    {CLI_STRING, "rules", 'r', &a.rules, "FILE",
     "check that every specialty and option of the profile is in these\n"
     "rules, so that the cabinets load against them",
     0, 0, 0, NULL},
    CLI_OPT_FORMAT(&a.format, formats,
		   "jsonl (default: one cabinet per line) or csv (one doctor per\n"
		   "row, ';'-separated, for a spreadsheet; read against --rules,\n"
		   "default " DEFAULT_RULES ")"),
    CLI_OPT_OUT(&a.out),
    CLI_OPT_END,
};

static int run(int argc, char **argv);

const cli_command cli_generate = {
    "generate",
    "--structures N --seed S [--profile FILE] [--rules RULES] [--out FILE]",
    "draw a synthetic population of group practices (JSON Lines)",
    "Draws N group practices from a calibration profile and writes them as JSON\n"
    "Lines, one cabinet per line, ids s000001, s000002...  The same profile and\n"
    "seed give the same bytes.  Progress is shown on standard error when it is a\n"
    "terminal.",
    opts,
    "Exit status: 0 ok, 2 bad input or usage (a profile error is printed as\n"
    "file: /pointer: message), 3 internal failure.\n",
    run,
};

/* A bundled file: in the current directory, else relative to the binary
 * (build/mutu -> ../scenarios/...).  The caller frees. */
static char *bundled(const char *relative)
{
	if (access(relative, F_OK) == 0)
		return strdup(relative);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			size_t len = strlen(exe) + strlen(relative) + 8;
			char *p = malloc(len);
			if (p) {
				snprintf(p, len, "%s/../%s", exe, relative);
				if (access(p, F_OK) == 0)
					return p;
				free(p);
			}
		}
	}
	return strdup(relative); /* reported as missing by the loader */
}

static void progress(unsigned long done, unsigned long total)
{
	fprintf(stderr, "\rmutu generate: %3lu%% (%lu/%lu structures)", done * 100 / total, done,
		total);
	if (done == total)
		fputc('\n', stderr);
}

/* One generated cabinet as CSV rows (the header before the first). */
static char *as_csv(const char *line, size_t len, const mutu_rules *rules, bool first)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_cabinet cab;
	if (mutu_cabinet_parse(&cab, rules, line, len, "generated", &errs) != MUTU_OK) {
		cli_print_errors(&errs);
		return NULL;
	}
	char *rows = mutu_cabinet_csv_write(&cab, rules, first, ';');
	mutu_cabinet_free(&cab);
	if (!rows || !first)
		return rows;
	size_t n = strlen(rows), bom = strlen(MUTU_CSV_BOM);
	char *with = malloc(n + bom + 1);
	if (with) {
		memcpy(with, MUTU_CSV_BOM, bom);
		memcpy(with + bom, rows, n + 1);
	}
	free(rows);
	return with;
}

/* Streams the cabinets to `out` (as CSV rows when `rules` is given); the
 * exit status. */
static int stream(mutu_output *out, mutu_generator *gen, unsigned long n, const mutu_rules *csv)
{
	bool show = cli_show_progress(false);
	unsigned long step = n / 100 > 0 ? n / 100 : 1;
	FILE *f = mutu_output_stream(out);
	for (unsigned long i = 1; i <= n; i++) {
		if (cli_interrupted()) {
			fprintf(stderr, "mutu generate: interrupted; %s not written\n",
				mutu_output_name(out));
			return CLI_EXIT_INTERNAL;
		}
		char *line = NULL;
		size_t len = 0;
		if (mutu_generate_next(&line, &len, gen) != MUTU_OK)
			return cli_out_of_memory();
		if (csv) {
			char *rows = as_csv(line, len, csv, i == 1);
			free(line);
			if (!rows)
				return CLI_EXIT_INTERNAL;
			line = rows;
			len = strlen(rows);
		}
		bool ok = fwrite(line, 1, len, f) == len && (csv || putc('\n', f) != EOF);
		free(line);
		if (!ok) {
			fprintf(stderr, "%s: cannot write: %s\n", mutu_output_name(out),
				strerror(errno));
			return CLI_EXIT_USAGE;
		}
		if (show && (i % step == 0 || i == n))
			progress(i, n);
	}
	return CLI_EXIT_OK;
}

static int generate(const mutu_rules *rules, const char *profile_path, bool csv)
{
	mutu_profile *profile = NULL;
	mutu_generator *gen = NULL;
	mutu_output *out = NULL;
	mutu_errors errs;
	mutu_error err = {{0}, {0}, {0}};
	mutu_errors_clear(&errs);
	int e = mutu_profile_load(&profile, profile_path, rules, &errs);
	int rc = cli_exit_status(e);
	if (e != MUTU_OK) {
		cli_print_errors(&errs);
		goto cleanup;
	}
	if (mutu_generator_new(&gen, profile, (unsigned long)a.seed) != MUTU_OK) {
		rc = cli_out_of_memory();
		goto cleanup;
	}
	if (mutu_output_open(&out, a.out, 0, &err) != MUTU_OK) {
		cli_print_error(&err);
		rc = CLI_EXIT_USAGE;
		goto cleanup;
	}
	cli_catch_signals();
	rc = stream(out, gen, (unsigned long)a.structures, csv ? rules : NULL);
	if (rc != CLI_EXIT_OK) {
		mutu_output_discard(out);
	} else if (mutu_output_commit(out, &err) != MUTU_OK) {
		cli_print_error(&err);
		rc = CLI_EXIT_USAGE;
	}
cleanup:
	mutu_generator_free(gen);
	mutu_profile_free(profile);
	return rc;
}

static int run(int argc, char **argv)
{
	int rc = cli_parse(&cli_generate, argc, argv);
	if (rc != 0)
		return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
	const char *paths[] = {a.profile, a.rules}, *names[] = {"profile", "rules"};
	if ((rc = cli_check_files(&cli_generate, a.out, paths, names, 2)) != 0)
		return rc;
	mutu_rules rules;
	memset(&rules, 0, sizeof rules);
	bool csv = a.format == 1;
	char *rules_path = a.rules ? strdup(a.rules) : csv ? bundled(DEFAULT_RULES) : NULL;
	if (rules_path && (rc = cli_load_rules(&rules, rules_path)) != 0) {
		free(rules_path);
		return rc;
	}
	char *profile_path = a.profile ? strdup(a.profile) : bundled(DEFAULT_PROFILE);
	rc = profile_path ? generate(rules_path ? &rules : NULL, profile_path, csv)
			  : cli_out_of_memory();
	free(profile_path);
	free(rules_path);
	mutu_rules_free(&rules);
	cli_die_of_signal();
	return rc;
}

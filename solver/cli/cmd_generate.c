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
#include "mutu/generate.h"

#define DEFAULT_PROFILE "scenarios/profiles/france.json"
/* Where `make install` puts it, relative to PREFIX. */
#define INSTALLED_PROFILE "share/mutu/profiles/france.json"

static struct {
	long structures, seed;
	const char *profile, *rules, *out;
} a;

static const cli_opt opts[] = {
    {CLI_INT, "structures", 'n', &a.structures, "N", "how many structures (required)", CLI_REQUIRED,
     1, 1000000000, NULL},
    {CLI_INT, "seed", 's', &a.seed, "S",
     "random seed (required; 0 is GSL's default seed, the same as 4357)", CLI_REQUIRED, 0,
     4294967295L, NULL},
    {CLI_STRING, "profile", 'p', &a.profile, "FILE",
     "the profile (default " DEFAULT_PROFILE ", looked up in the current\n"
     "directory, then beside the mutu binary: ../" DEFAULT_PROFILE "\n"
     "in a build tree, ../" INSTALLED_PROFILE " once installed)",
     0, 0, 0, NULL},
    {CLI_STRING, "rules", 'r', &a.rules, "FILE",
     "check that every specialty and option of the profile is in these\n"
     "rules, so that the cabinets load against them",
     0, 0, 0, NULL},
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

/* The default profile: in the current directory, else relative to the
 * binary, in a build tree (build/mutu -> ../scenarios/...) or an installed
 * one (PREFIX/bin/mutu -> ../share/mutu/...).  The caller frees. */
static char *default_profile(void)
{
	if (access(DEFAULT_PROFILE, F_OK) == 0)
		return strdup(DEFAULT_PROFILE);
	static const char *const beside[] = {DEFAULT_PROFILE, INSTALLED_PROFILE};
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
	if (slash)
		*slash = '\0';
	for (size_t i = 0; slash && i < sizeof beside / sizeof *beside; i++) {
		size_t len = strlen(exe) + strlen(beside[i]) + sizeof "/../";
		char *p = malloc(len);
		if (!p)
			break;
		snprintf(p, len, "%s/../%s", exe, beside[i]);
		if (access(p, F_OK) == 0)
			return p;
		free(p);
	}
	return strdup(DEFAULT_PROFILE); /* reported as missing by the loader */
}

static void progress(unsigned long done, unsigned long total)
{
	fprintf(stderr, "\rmutu generate: %3lu%% (%lu/%lu structures)", done * 100 / total, done,
		total);
	if (done == total)
		fputc('\n', stderr);
}

/* Streams the cabinets to `out`; the exit status. */
static int stream(mutu_output *out, mutu_generator *gen, unsigned long n)
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
		bool ok = fwrite(line, 1, len, f) == len && putc('\n', f) != EOF;
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

static int generate(const mutu_rules *rules, const char *profile_path)
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
	rc = stream(out, gen, (unsigned long)a.structures);
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
	if (a.rules && (rc = cli_load_rules(&rules, a.rules)) != 0)
		return rc;
	char *profile_path = a.profile ? strdup(a.profile) : default_profile();
	rc = profile_path ? generate(a.rules ? &rules : NULL, profile_path) : cli_out_of_memory();
	free(profile_path);
	mutu_rules_free(&rules);
	cli_die_of_signal();
	return rc;
}

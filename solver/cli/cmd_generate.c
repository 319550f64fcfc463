/* mutu generate: a synthetic population of group practices, one cabinet
 * per line, streamed so that millions of lines take constant memory. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "mutu/generate.h"

#define DEFAULT_PROFILE "scenarios/profiles/france.json"
#define MAX_STRUCTURES 1000000000UL

static const char generate_help[] =
    "Usage: mutu generate --structures N --seed S [--profile FILE] [--rules RULES]\n"
    "                     [--out FILE]\n"
    "\n"
    "Draws N group practices from a calibration profile and writes them as JSON\n"
    "Lines, one cabinet per line (formats.md \"Cabinet\"), ids s000001, s000002...\n"
    "The same profile and seed give the same bytes.\n"
    "\n"
    "  -n, --structures N   how many structures (1 to 1000000000; required)\n"
    "  -s, --seed S         random seed, 0 to 4294967295 (required; 0 is GSL's\n"
    "                       default seed, the same as 4357)\n"
    "  -p, --profile FILE   the profile (default " DEFAULT_PROFILE ", looked up\n"
    "                       in the current directory, then beside the mutu binary's\n"
    "                       ../" DEFAULT_PROFILE ")\n"
    "  -r, --rules FILE     check that every specialty and option of the profile is\n"
    "                       in these rules, so that the cabinets load against them\n"
    "  -o, --out FILE       write there (under a temporary name, renamed when\n"
    "                       complete) instead of standard output\n"
    "  -h, --help           this help\n"
    "\n"
    "Progress is shown on standard error when it is a terminal.  Exit status: 0 ok,\n"
    "2 bad input or usage (a profile error is printed as file: /pointer: message),\n"
    "3 internal failure.\n";

typedef struct args {
	unsigned long structures, seed;
	bool has_structures, has_seed;
	const char *profile, *rules, *out;
} args;

/* A whole number in [0, max] written in decimal digits only. */
static bool parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (*end || errno == ERANGE || v > max)
		return false;
	*out = v;
	return true;
}

static int parse(int argc, char **argv, args *a)
{
	static const struct option longs[] = {{"structures", required_argument, NULL, 'n'},
					      {"seed", required_argument, NULL, 's'},
					      {"profile", required_argument, NULL, 'p'},
					      {"rules", required_argument, NULL, 'r'},
					      {"out", required_argument, NULL, 'o'},
					      {"help", no_argument, NULL, 'h'},
					      {NULL, 0, NULL, 0}};
	memset(a, 0, sizeof *a);
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":n:s:p:r:o:h", longs, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!parse_ulong(optarg, MAX_STRUCTURES, &a->structures) ||
			    a->structures == 0)
				return cmd_usage_error("generate",
						       "--structures must be a whole "
						       "number from 1 to %lu, got '%s'",
						       MAX_STRUCTURES, optarg);
			a->has_structures = true;
			break;
		case 's':
			if (!parse_ulong(optarg, 4294967295UL, &a->seed))
				return cmd_usage_error("generate",
						       "--seed must be a whole number "
						       "from 0 to 4294967295, got '%s'",
						       optarg);
			a->has_seed = true;
			break;
		case 'p':
			a->profile = optarg;
			break;
		case 'r':
			a->rules = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'h':
			fputs(generate_help, stdout);
			return -1;
		case ':':
			return cmd_usage_error("generate", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cmd_usage_error("generate", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error("generate", "unexpected argument '%s'", argv[optind]);
	if (!a->has_structures)
		return cmd_usage_error("generate", "--structures N is required");
	if (!a->has_seed)
		return cmd_usage_error("generate", "--seed S is required");
	return 0;
}

/* The default profile: in the current directory, else relative to the
 * binary (build/mutu -> ../scenarios/...).  The caller frees. */
static char *default_profile(void)
{
	if (access(DEFAULT_PROFILE, F_OK) == 0)
		return strdup(DEFAULT_PROFILE);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			size_t len = strlen(exe) + sizeof "/../" DEFAULT_PROFILE;
			char *p = malloc(len);
			if (p) {
				snprintf(p, len, "%s/../%s", exe, DEFAULT_PROFILE);
				if (access(p, F_OK) == 0)
					return p;
				free(p);
			}
		}
	}
	return strdup(DEFAULT_PROFILE); /* reported as missing by the loader */
}

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

/* SIGINT and SIGTERM stop the loop so the temporary file is removed. */
static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void progress(unsigned long done, unsigned long total)
{
	fprintf(stderr, "\r%s generate: %3lu%% (%lu/%lu structures)", cmd_prog, done * 100 / total,
		done, total);
	if (done == total)
		fputc('\n', stderr);
}

/* Streams the cabinets to `f`.  Returns an exit status; `why` gets what
 * failed. */
static int stream(FILE *f, mutu_generator *gen, unsigned long n, const char **why)
{
	bool show = isatty(STDERR_FILENO) == 1;
	unsigned long step = n / 100 > 0 ? n / 100 : 1;
	for (unsigned long i = 1; i <= n; i++) {
		if (interrupted) {
			*why = "interrupted";
			return MUTU_EXIT_INTERNAL;
		}
		char *line = NULL;
		size_t len = 0;
		if (mutu_generate_next(&line, &len, gen) != MUTU_OK) {
			*why = "out of memory";
			return MUTU_EXIT_INTERNAL;
		}
		bool ok = fwrite(line, 1, len, f) == len && putc('\n', f) != EOF;
		free(line);
		if (!ok) {
			*why = strerror(errno);
			return MUTU_EXIT_USAGE;
		}
		if (show && (i % step == 0 || i == n))
			progress(i, n);
	}
	if (fflush(f) != 0) {
		*why = strerror(errno);
		return MUTU_EXIT_USAGE;
	}
	return MUTU_EXIT_OK;
}

int cmd_generate(int argc, char **argv)
{
	args a;
	int rc = parse(argc, argv, &a);
	if (rc != 0)
		return rc < 0 ? MUTU_EXIT_OK : rc;
	mutu_rules rules;
	mutu_profile *profile = NULL;
	mutu_generator *gen = NULL;
	char *profile_path = NULL, *tmp = NULL;
	FILE *f = NULL;
	bool have_rules = false;
	const char *why = NULL;
	memset(&rules, 0, sizeof rules);

	if (a.rules) {
		if (!cmd_load_rules(&rules, a.rules))
			return MUTU_EXIT_USAGE;
		have_rules = true;
	}
	profile_path = a.profile ? strdup(a.profile) : default_profile();
	if (!profile_path) {
		rc = MUTU_EXIT_INTERNAL;
		why = "out of memory";
		goto cleanup;
	}
	mutu_errors errs;
	mutu_errors_clear(&errs);
	int e = mutu_profile_load(&profile, profile_path, have_rules ? &rules : NULL, &errs);
	if (e != MUTU_OK) {
		cmd_print_errors(&errs);
		rc = e == MUTU_ENOMEM ? MUTU_EXIT_INTERNAL : MUTU_EXIT_USAGE;
		goto cleanup;
	}
	if (mutu_generator_new(&gen, profile, a.seed) != MUTU_OK) {
		rc = MUTU_EXIT_INTERNAL;
		why = "out of memory";
		goto cleanup;
	}

	if (!a.out || strcmp(a.out, "-") == 0) {
		rc = stream(stdout, gen, a.structures, &why);
		if (rc != MUTU_EXIT_OK && rc != MUTU_EXIT_INTERNAL)
			fprintf(stderr, "%s: cannot write to standard output: %s\n", cmd_prog, why);
		else if (rc != MUTU_EXIT_OK)
			fprintf(stderr, "%s generate: %s\n", cmd_prog, why);
		why = NULL;
		goto cleanup;
	}
	size_t n = strlen(a.out) + 32;
	tmp = malloc(n);
	if (!tmp) {
		rc = MUTU_EXIT_INTERNAL;
		why = "out of memory";
		goto cleanup;
	}
	snprintf(tmp, n, "%s.tmp.%ld", a.out, (long)getpid());
	f = fopen(tmp, "wb");
	if (!f) {
		fprintf(stderr, "%s: cannot write: %s\n", a.out, strerror(errno));
		rc = MUTU_EXIT_USAGE;
		goto cleanup;
	}
	catch_signals();
	rc = stream(f, gen, a.structures, &why);
	int closed = fclose(f);
	f = NULL;
	if (rc == MUTU_EXIT_OK && closed != 0) {
		rc = MUTU_EXIT_USAGE;
		why = strerror(errno);
	}
	if (rc == MUTU_EXIT_OK && rename(tmp, a.out) != 0) {
		rc = MUTU_EXIT_USAGE;
		why = strerror(errno);
	}
	if (rc != MUTU_EXIT_OK) {
		if (rc == MUTU_EXIT_USAGE)
			fprintf(stderr, "%s: cannot write: %s\n", a.out, why);
		else
			fprintf(stderr, "%s generate: %s; %s not written\n", cmd_prog, why, a.out);
		why = NULL;
		remove(tmp);
	}
cleanup:
	if (why)
		fprintf(stderr, "%s generate: %s\n", cmd_prog, why);
	if (f)
		fclose(f);
	free(tmp);
	free(profile_path);
	mutu_generator_free(gen);
	mutu_profile_free(profile);
	if (have_rules)
		mutu_rules_free(&rules);
	if (interrupted) {
		/* Die of the signal, as the shell expects, once the file is gone. */
		signal(interrupted, SIG_DFL);
		raise(interrupted);
	}
	return rc;
}

/* mutu individual, mutu solve, mutu export. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char individual_help[] =
    "Usage: mutu individual CABINET --rules RULES [--format text|json|csv] [--out FILE]\n"
    "\n"
    "For every doctor of the cabinet: eligible or why not, band, and for each option\n"
    "of the rules the objective (patients and %), the aid year by year, the net value\n"
    "over the horizon and whether it is feasible; then the best option.\n"
    "\n"
    "  -r, --rules FILE     rules file (required)\n"
    "  -f, --format FMT     text (default), json or csv\n"
    "  -o, --out FILE       write there instead of standard output ('-' = stdout)\n"
    "  -h, --help           this help\n"
    "\n"
    "CABINET may be '-' for standard input.  Exit status: 0 ok, 2 bad input or usage,\n"
    "3 internal failure.\n";

static const char solve_help[] =
    "Usage: mutu solve CABINET --rules RULES [--goal net_benefit|patients]\n"
    "                  [--format text|json|csv] [--out FILE] [--emit-contract FILE]\n"
    "                  [--time-limit MS]\n"
    "\n"
    "Forms the pooled group of each specialty of the cabinet, chooses the assistant\n"
    "ETP and splits the collective objective among the members (GLPK), and sets the\n"
    "plan beside the best individual contracts of the same doctors.\n"
    "\n"
    "  -r, --rules FILE        rules file (required)\n"
    "  -g, --goal GOAL         net_benefit (default: the doctors' net value, then the\n"
    "                          smallest growth asked of any member, then the least ETP)\n"
    "                          or patients (most new patients with a net >= 0, then\n"
    "                          the net, then the smallest growth)\n"
    "  -f, --format FMT        text (default), json or csv\n"
    "  -o, --out FILE          write there instead of standard output\n"
    "  -e, --emit-contract F   write the plan as a contract file (formats.md\n"
    "                          \"Contract\"); with several groups, F gets a -SPECIALTY\n"
    "                          suffix before its extension\n"
    "  -t, --time-limit MS     solver time limit per group (status time_limit, with\n"
    "                          the best plan found)\n"
    "  -h, --help              this help\n"
    "\n"
    "Exit status: 0 at least one pooled plan, 1 no group has a plan, 2 bad input or\n"
    "usage, 3 solver failure in some group.\n";

static const char export_help[] =
    "Usage: mutu export CABINET --rules RULES --specialty S [--lp|--mps]\n"
    "                   [--goal G] [--out FILE]\n"
    "\n"
    "Writes the first-stage model of one group (the specialty S of the cabinet) with\n"
    "readable row and column names, in CPLEX LP format (default) or free MPS, so it\n"
    "can be inspected or solved with another solver.\n"
    "\n"
    "  -r, --rules FILE      rules file (required)\n"
    "  -s, --specialty S     the specialty of the group (required)\n"
    "      --lp | --mps      output format (default --lp; --mps is free MPS, read by\n"
    "                        glpsol --freemps)\n"
    "  -g, --goal GOAL       net_benefit (default) or patients\n"
    "  -o, --out FILE        output file (default standard output)\n"
    "  -h, --help            this help\n";

typedef struct args {
	const char *cabinet, *rules, *out, *contract, *specialty;
	mutu_format fmt;
	mutu_solve_options opts;
	bool mps;
} args;

static int parse(const char *cmd, const char *help, int argc, char **argv, args *a)
{
	static const struct option longs[] = {{"rules", required_argument, NULL, 'r'},
					      {"format", required_argument, NULL, 'f'},
					      {"out", required_argument, NULL, 'o'},
					      {"goal", required_argument, NULL, 'g'},
					      {"emit-contract", required_argument, NULL, 'e'},
					      {"time-limit", required_argument, NULL, 't'},
					      {"specialty", required_argument, NULL, 's'},
					      {"lp", no_argument, NULL, 'L'},
					      {"mps", no_argument, NULL, 'M'},
					      {"help", no_argument, NULL, 'h'},
					      {NULL, 0, NULL, 0}};
	bool is_solve = strcmp(cmd, "solve") == 0, is_export = strcmp(cmd, "export") == 0;
	memset(a, 0, sizeof *a);
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":r:f:o:g:e:t:s:h", longs, NULL)) != -1) {
		switch (c) {
		case 'r':
			a->rules = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'f':
			if (is_export || !cmd_parse_format(optarg, &a->fmt, true))
				return cmd_usage_error(
				    cmd, "--format must be text, json or csv, got '%s'", optarg);
			break;
		case 'g':
			if (is_solve || is_export) {
				if (strcmp(optarg, "net_benefit") == 0)
					a->opts.goal = MUTU_GOAL_NET_BENEFIT;
				else if (strcmp(optarg, "patients") == 0)
					a->opts.goal = MUTU_GOAL_PATIENTS;
				else
					return cmd_usage_error(cmd,
							       "--goal must be net_benefit or "
							       "patients, got '%s'",
							       optarg);
				break;
			}
			return cmd_usage_error(cmd, "unknown option '--goal'");
		case 'e':
			if (!is_solve)
				return cmd_usage_error(cmd, "unknown option '--emit-contract'");
			a->contract = optarg;
			break;
		case 't': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (!is_solve || *end || v < 1 || v > 86400000)
				return cmd_usage_error(cmd,
						       "--time-limit takes milliseconds (1 to "
						       "86400000), got '%s'",
						       optarg);
			a->opts.time_limit_ms = (int)v;
			break;
		}
		case 's':
			if (!is_export)
				return cmd_usage_error(cmd, "unknown option '--specialty'");
			a->specialty = optarg;
			break;
		case 'L':
		case 'M':
			if (!is_export)
				return cmd_usage_error(cmd, "unknown option '%s'",
						       argv[optind - 1]);
			a->mps = c == 'M';
			break;
		case 'h':
			fputs(help, stdout);
			return -1;
		case ':':
			return cmd_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		default:
			return cmd_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cmd_usage_error(cmd, "missing CABINET file");
	if (optind + 1 < argc)
		return cmd_usage_error(cmd, "one CABINET file expected, got also '%s'",
				       argv[optind + 1]);
	a->cabinet = argv[optind];
	if (!a->rules)
		return cmd_usage_error(cmd, "--rules FILE is required");
	if (is_export && !a->specialty)
		return cmd_usage_error(cmd, "--specialty S is required");
	return 0;
}

/* "base.json" + "generaliste" -> "base-generaliste.json". */
static char *suffixed(const char *path, const char *suffix)
{
	size_t n = strlen(path) + strlen(suffix) + 2;
	char *out = malloc(n);
	if (!out)
		return NULL;
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(path, '.');
	size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
	snprintf(out, n, "%.*s-%s%s", (int)stem, path, suffix, path + stem);
	return out;
}

static int emit_contracts(const mutu_analysis *an, const char *path)
{
	size_t plans = 0;
	for (size_t g = 0; g < an->ngroups; g++)
		plans += mutu_analysis_has_plan(an, g);
	if (plans == 0) {
		fprintf(stderr, "%s: no pooled plan, so no contract written\n", path);
		return MUTU_EXIT_FINDINGS;
	}
	for (size_t g = 0; g < an->ngroups; g++) {
		char *text = mutu_report_contract(an, g);
		if (!text)
			continue;
		char *file =
		    plans > 1 ? suffixed(path, an->rules->specialties[an->groups[g].specialty].name)
			      : NULL;
		bool ok =
		    file || plans == 1 ? cmd_write_output(plans > 1 ? file : path, text) : false;
		free(file);
		free(text);
		if (!ok)
			return MUTU_EXIT_INTERNAL;
	}
	return MUTU_EXIT_OK;
}

/* Writes the model of group `grp` (formed, not solved) as `a` asks.
 * Returns an exit status. */
static int export_group(const mutu_group *grp, const mutu_rules *rules, const mutu_cabinet *cab,
			const args *a)
{
	if (!grp->formed) {
		fprintf(stderr, "%s: no %s group: %s\n", a->cabinet, a->specialty, grp->reason);
		return MUTU_EXIT_FINDINGS;
	}
	const char **ids = calloc(grp->nmembers + 1, sizeof *ids);
	const char **opts = calloc(rules->noptions + 1, sizeof *opts);
	mutu_error err = {{0}, {0}, {0}};
	for (size_t i = 0; ids && i < grp->nmembers; i++)
		ids[i] = cab->doctors[grp->members[i]].id;
	for (size_t o = 0; opts && o < rules->noptions; o++)
		opts[o] = rules->options[o].id;
	const char *out = a->out && strcmp(a->out, "-") != 0 ? a->out : "/dev/stdout";
	int e = ids && opts ? mutu_group_export(&grp->problem, ids, opts, !a->mps, out, &err)
			    : MUTU_ENOMEM;
	free(ids);
	free(opts);
	if (e == MUTU_OK)
		return MUTU_EXIT_OK;
	fprintf(stderr, "%s: %s\n", cmd_prog, err.message[0] ? err.message : "out of memory");
	return e == MUTU_EIO ? MUTU_EXIT_USAGE : MUTU_EXIT_INTERNAL;
}

static int run(const char *cmd, const char *help, int argc, char **argv)
{
	args a;
	int rc = parse(cmd, help, argc, argv, &a);
	if (rc != 0)
		return rc < 0 ? MUTU_EXIT_OK : rc;
	mutu_rules rules;
	mutu_cabinet cab;
	mutu_analysis an;
	memset(&an, 0, sizeof an);
	memset(&cab, 0, sizeof cab);
	if (!cmd_load_rules(&rules, a.rules))
		return MUTU_EXIT_USAGE;
	if (!cmd_load_cabinet(&cab, &rules, a.cabinet)) {
		mutu_rules_free(&rules);
		return MUTU_EXIT_USAGE;
	}
	bool is_individual = strcmp(cmd, "individual") == 0;
	bool is_export = strcmp(cmd, "export") == 0;
	rc = MUTU_EXIT_OK;
	/* export writes the model of one group: formed, not solved. */
	if (mutu_analysis_run(&an, &rules, &cab, !is_individual && !is_export, &a.opts) !=
	    MUTU_OK) {
		fprintf(stderr, "%s: out of memory\n", cmd_prog);
		rc = MUTU_EXIT_INTERNAL;
		goto cleanup;
	}
	if (is_export) {
		long s = mutu_rules_specialty(&rules, a.specialty);
		bool present = false;
		for (size_t i = 0; s >= 0 && i < cab.ndoctors; i++)
			present |= (long)cab.doctors[i].specialty == s;
		if (!present) {
			fprintf(stderr, "%s: no doctor of specialty \"%s\" in this cabinet\n",
				a.cabinet, a.specialty);
			rc = MUTU_EXIT_USAGE;
			goto cleanup;
		}
		mutu_group grp;
		if (mutu_group_form(&grp, &rules, &cab, an.evals, (size_t)s, a.opts.goal) !=
		    MUTU_OK) {
			mutu_group_free(&grp);
			fprintf(stderr, "%s: out of memory\n", cmd_prog);
			rc = MUTU_EXIT_INTERNAL;
			goto cleanup;
		}
		rc = export_group(&grp, &rules, &cab, &a);
		mutu_group_free(&grp);
		goto cleanup;
	}
	char *text = is_individual ? mutu_report_individual(&an, a.fmt)
				   : mutu_report_solve(&an, a.fmt, false);
	if (!text) {
		fprintf(stderr, "%s: out of memory\n", cmd_prog);
		rc = MUTU_EXIT_INTERNAL;
		goto cleanup;
	}
	bool ok = cmd_write_output(a.out, text);
	free(text);
	if (!ok) {
		rc = MUTU_EXIT_USAGE;
		goto cleanup;
	}
	if (is_individual)
		goto cleanup;
	if (a.contract)
		rc = emit_contracts(&an, a.contract);
	if (mutu_analysis_failed(&an)) {
		for (size_t g = 0; g < an.ngroups; g++)
			if (an.solutions[g].status == MUTU_GROUP_ERROR)
				fprintf(stderr, "%s: %s: %s\n", a.cabinet,
					rules.specialties[an.groups[g].specialty].name,
					an.errors[g].message);
		rc = MUTU_EXIT_INTERNAL;
	} else if (rc == MUTU_EXIT_OK) {
		bool any = false;
		for (size_t g = 0; g < an.ngroups; g++)
			any |= mutu_analysis_has_plan(&an, g);
		rc = any ? MUTU_EXIT_OK : MUTU_EXIT_FINDINGS;
	}
cleanup:
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);
	mutu_rules_free(&rules);
	return rc;
}

int cmd_individual(int argc, char **argv)
{
	return run("individual", individual_help, argc, argv);
}

int cmd_solve(int argc, char **argv)
{
	return run("solve", solve_help, argc, argv);
}

int cmd_export(int argc, char **argv)
{
	return run("export", export_help, argc, argv);
}

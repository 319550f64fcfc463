/* mutu export: one group's model for another solver. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "mutu/file.h"

static struct {
	const char *cabinet, *rules, *out, *specialty;
	int goal;
	bool lp, mps;
} a;

static const cli_opt opts[] = {
    {CLI_ARG, "CABINET", 0, &a.cabinet, NULL, NULL, CLI_REQUIRED, 0, 0, NULL},
    CLI_OPT_RULES(&a.rules),
    {CLI_STRING, "specialty", 's', &a.specialty, "S", "the specialty of the group (required)",
     CLI_REQUIRED, 0, 0, NULL},
    {CLI_SWITCH, "lp", 0, &a.lp, NULL, "CPLEX LP format (the default)", 0, 0, 0, NULL},
    {CLI_SWITCH, "mps", 0, &a.mps, NULL, "free MPS format (read by glpsol --freemps)", 0, 0, 0,
     NULL},
    CLI_OPT_GOAL(&a.goal),
    CLI_OPT_OUT(&a.out),
    CLI_OPT_END,
};

static int run(int argc, char **argv);

const cli_command cli_export = {
    "export",
    "CABINET --rules RULES --specialty S [--lp|--mps] [--goal G] [--out FILE]",
    "write one group's model in LP or MPS format",
    "Writes the first-stage model of one group (the specialty S of the cabinet) with\n"
    "readable row and column names, in CPLEX LP format (default) or free MPS, so it\n"
    "can be inspected or solved with another solver.  The group is formed, not\n"
    "solved: the model is written at once.",
    opts,
    "Exit status: 0 written, 1 no group of that specialty can be formed, 2 bad input\n"
    "or usage (or an output that cannot be written), 3 internal failure.\n",
    run,
};

/* Writes the model of group `g` to `a.out` through a complete-or-nothing
 * output. */
static int write_model(const mutu_group *g, const mutu_rules *rules, const mutu_cabinet *cab)
{
	const char **ids = calloc(g->nmembers + 1, sizeof *ids);
	const char **options = calloc(rules->noptions + 1, sizeof *options);
	if (!ids || !options) {
		free(ids);
		free(options);
		return cli_out_of_memory();
	}
	for (size_t i = 0; i < g->nmembers; i++)
		ids[i] = cab->doctors[g->members[i]].id;
	for (size_t o = 0; o < rules->noptions; o++)
		options[o] = rules->options[o].id;
	mutu_error err = {{0}, {0}, {0}};
	mutu_output *out = NULL;
	int rc = mutu_output_open(&out, a.out, 0, &err);
	if (rc == MUTU_OK) {
		rc = mutu_group_export_stream(&g->problem, ids, options, !a.mps,
					      mutu_output_stream(out), &err);
		if (rc == MUTU_OK)
			rc = mutu_output_commit(out, &err);
		else
			mutu_output_discard(out);
	}
	if (rc != MUTU_OK) {
		if (!err.file[0])
			snprintf(err.file, sizeof err.file, "%s",
				 a.out ? a.out : "standard output");
		cli_print_error(&err);
	}
	free(ids);
	free(options);
	return cli_exit_status(rc);
}

static int run(int argc, char **argv)
{
	int rc = cli_parse(&cli_export, argc, argv);
	if (rc != 0)
		return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
	if (a.lp && a.mps)
		return cli_usage_error(&cli_export, "give --lp or --mps, not both");
	const char *paths[] = {a.cabinet, a.rules}, *names[] = {"CABINET", "rules"};
	if ((rc = cli_check_files(&cli_export, a.out, paths, names, 2)) != 0)
		return rc;
	mutu_rules rules;
	mutu_cabinet cab = {0};
	mutu_analysis an = {0};
	mutu_group g = {0};
	if ((rc = cli_load_rules(&rules, a.rules)) != 0)
		return rc;
	if ((rc = cli_load_cabinet(&cab, &rules, a.cabinet)) != 0)
		goto cleanup;
	long s = mutu_rules_specialty(&rules, a.specialty);
	bool present = false;
	for (size_t i = 0; s >= 0 && i < cab.ndoctors; i++)
		present |= cab.doctors[i].specialty == (size_t)s;
	if (!present) {
		fprintf(stderr, "%s: no doctor of specialty \"%s\" in this cabinet\n", a.cabinet,
			a.specialty);
		rc = CLI_EXIT_USAGE;
		goto cleanup;
	}
	/* The doctors' evaluations only: the group is formed, not solved. */
	if (mutu_analysis_run(&an, &rules, &cab, false, NULL) != MUTU_OK ||
	    mutu_group_form(&g, &rules, &cab, an.evals, (size_t)s, (mutu_goal)a.goal) != MUTU_OK) {
		rc = cli_out_of_memory();
		goto cleanup;
	}
	if (!g.formed) {
		fprintf(stderr, "%s: no %s group: %s\n", a.cabinet, a.specialty, g.reason);
		rc = CLI_EXIT_FINDINGS;
		goto cleanup;
	}
	rc = write_model(&g, &rules, &cab);
cleanup:
	mutu_group_free(&g);
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);
	mutu_rules_free(&rules);
	return rc;
}

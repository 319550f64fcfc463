/* mutu solve: the pooled contract of each specialty of a cabinet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* A solve on its own is given time: a minute per group. */
#define SOLVE_TIME_LIMIT_MS 60000

static struct {
	const char *cabinet, *rules, *out, *contract;
	int format, goal, time_limit, sharing, lang;
} a;

static const cli_opt opts[] = {
    {CLI_ARG, "CABINET", 0, &a.cabinet, NULL, NULL, CLI_REQUIRED, 0, 0, NULL},
    CLI_OPT_RULES(&a.rules),
    CLI_OPT_GOAL(&a.goal),
    {CLI_CHOICE, "sharing", 0, &a.sharing, "RULE",
     "how the members share the gain of pooling: patients (default: in\n"
     "proportion to their new patients), equal, list (to their patient\n"
     "lists) or shapley (each one's Shapley value in the game of coalitions)",
     0, 0, 0, mutu_sharing_names},
    CLI_OPT_FORMAT(&a.format, cli_format_names, "text (default), json, csv or html (one page)"),
    CLI_OPT_LANG(&a.lang),
    CLI_OPT_OUT(&a.out),
    {CLI_STRING, "emit-contract", 'e', &a.contract, "FILE",
     "write the plan as a contract file; with several groups, FILE gets\n"
     "a -SPECIALTY suffix before its extension",
     0, 0, 0, NULL},
    CLI_OPT_TIME_LIMIT(&a.time_limit, "solver time limit per group (default 60000; 0: none);\n"
				      "a group cut by it reports time_limit and its best plan"),
    CLI_OPT_END,
};

static int run(int argc, char **argv);

const cli_command cli_solve = {
    "solve",
    "CABINET --rules RULES [--goal net_benefit|patients] [--sharing RULE]\n"
    "       [--format text|json|csv|html] [--lang fr|en] [--out FILE] [--emit-contract FILE]\n"
    "       [--time-limit MS]",
    "the pooled contract of each specialty, beside the individual ones",
    "Forms the pooled group of each specialty of the cabinet, chooses the assistant\n"
    "ETP and splits the collective objective among the members (GLPK), and sets the\n"
    "plan beside the best individual contracts of the same doctors: what each member\n"
    "gets (half-days, new patients, cost, aid share, net beside his net alone), and\n"
    "for groups of up to 10 members each one's marginal contribution and whether\n"
    "some of them would do better without the others.",
    opts,
    "Exit status: 0 at least one pooled plan, 1 no group has a plan, 2 bad input or\n"
    "usage (or an output that cannot be written), 3 solver failure in some group.\n",
    run,
};

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
		return CLI_EXIT_FINDINGS;
	}
	for (size_t g = 0; g < an->ngroups; g++) {
		char *text = mutu_report_contract(an, g);
		if (!text)
			continue;
		const char *name = an->rules->specialties[an->groups[g].specialty].name;
		char *file = plans > 1 ? suffixed(path, name) : NULL;
		int rc =
		    plans > 1 && !file ? cli_out_of_memory() : cli_write(file ? file : path, text);
		free(file);
		free(text);
		if (rc != CLI_EXIT_OK)
			return rc;
	}
	return CLI_EXIT_OK;
}

/* The exit status of a solved cabinet: 3 when a group failed (each named
 * on standard error), 1 when no group has a plan, else 0. */
static int outcome(const mutu_analysis *an, const char *cabinet)
{
	if (mutu_analysis_failed(an)) {
		for (size_t g = 0; g < an->ngroups; g++)
			if (an->solutions[g].status == MUTU_GROUP_ERROR)
				fprintf(stderr, "%s: %s: %s\n", cabinet,
					an->rules->specialties[an->groups[g].specialty].name,
					an->errors[g].message);
		return CLI_EXIT_INTERNAL;
	}
	for (size_t g = 0; g < an->ngroups; g++)
		if (mutu_analysis_has_plan(an, g))
			return CLI_EXIT_OK;
	return CLI_EXIT_FINDINGS;
}

static int run(int argc, char **argv)
{
	a.time_limit = SOLVE_TIME_LIMIT_MS;
	a.lang = -1;
	int rc = cli_parse(&cli_solve, argc, argv);
	if (rc != 0)
		return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
	const char *paths[] = {a.cabinet, a.rules}, *names[] = {"CABINET", "rules"};
	if ((rc = cli_check_files(&cli_solve, a.out, paths, names, 2)) != 0 ||
	    (rc = cli_check_files(&cli_solve, a.contract, paths, names, 2)) != 0)
		return rc;
	mutu_rules rules;
	mutu_cabinet cab = {0};
	mutu_analysis an = {0};
	char *text = NULL;
	mutu_analysis_options so = {.solve = {(mutu_goal)a.goal, a.time_limit},
				    .sharing = (mutu_sharing_rule)a.sharing,
				    .coalitions = true};
	if ((rc = cli_load_rules(&rules, a.rules)) != 0)
		return rc;
	if ((rc = cli_load_cabinet(&cab, &rules, a.cabinet)) != 0)
		goto cleanup;
	if (mutu_analysis_run_with(&an, &rules, &cab, true, &so) != MUTU_OK ||
	    !(text = mutu_report_solve_with(
		  &an, &(mutu_report_options){(mutu_format)a.format, cli_lang(a.lang), false}))) {
		rc = cli_out_of_memory();
		goto cleanup;
	}
	if ((rc = cli_write(a.out, text)) != 0)
		goto cleanup;
	if (a.contract && (rc = emit_contracts(&an, a.contract)) != 0)
		goto cleanup;
	rc = outcome(&an, a.cabinet);
cleanup:
	free(text);
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);
	mutu_rules_free(&rules);
	return rc;
}

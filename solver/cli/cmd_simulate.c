/* mutu simulate: a pooled contract year by year. */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

static struct {
	const char *contract, *cabinet, *rules, *out, *achieved;
	int format, lang;
	cli_rate rate;
} a;

static const cli_opt opts[] = {
    {CLI_ARG, "CONTRACT", 0, &a.contract, NULL, NULL, CLI_REQUIRED, 0, 0, NULL},
    {CLI_STRING, "cabinet", 'c', &a.cabinet, "FILE", "the cabinet of the members (required)",
     CLI_REQUIRED, 0, 0, NULL},
    CLI_OPT_RULES(&a.rules),
    {CLI_RATE, "achievement", 'a', &a.rate, "R",
     "patients achieved = R x the objective (and x each share):\n"
     "a rate from 0 to 2 or a percentage (0.8 or 80%); default 1",
     0, 0, 0, NULL},
    {CLI_STRING, "achieved", 'A', &a.achieved, "FILE",
     "patients achieved from FILE: {\"years\": [{\"year\": 3,\n"
     "\"patients\": 120}, {\"year\": 4, \"members\":\n"
     "[{\"doctor\": \"d1\", \"patients\": 60}, ...]}]}; every\n"
     "assessed year must be there",
     0, 0, 0, NULL},
    CLI_OPT_FORMAT(&a.format, cli_format_names_no_csv_html,
		   "text (default), json or html (one page)"),
    CLI_OPT_LANG(&a.lang),
    CLI_OPT_OUT(&a.out),
    CLI_OPT_END,
};

static int run(int argc, char **argv);

const cli_command cli_simulate = {
    "simulate",
    "CONTRACT --cabinet CABINET --rules RULES\n"
    "       [--achievement RATE | --achieved FILE] [--format text|json|html]\n"
    "       [--lang fr|en] [--out FILE]",
    "a pooled contract year by year",
    "The contract year by year over its assistant component's years: members, ETP,\n"
    "collective objective, patients achieved, and the aid due after the rules'\n"
    "modulation (prorata or all_or_nothing, from achievement.check_from_year),\n"
    "assessed at the structure level or per member (mutualisation.assessment).\n"
    "After a join or leave the rules recompute the ETP and the objective for the\n"
    "new members (shares then proportional to P_i).  A year a suspension touches is\n"
    "neither paid nor assessed.  Amounts are undiscounted euros.\n"
    "\n"
    "The contract must validate without errors (see mutu validate).",
    opts,
    "Exit status: 0 ok, 1 the contract has errors, 2 a file cannot be read or is\n"
    "malformed, 3 internal failure.\n",
    run,
};

static int simulate(cli_contract_inputs *in, char **text)
{
	mutu_achieved ach = {0};
	mutu_simulation sim = {0};
	mutu_errors errs;
	mutu_errors_clear(&errs);
	int rc = CLI_EXIT_OK;
	if (a.achieved && mutu_achieved_load(&ach, &in->cab, a.achieved, &errs) != MUTU_OK) {
		cli_print_errors(&errs);
		rc = CLI_EXIT_USAGE;
		goto cleanup;
	}
	int e = mutu_contract_simulate(&sim, &in->ct, &in->rules, &in->cab, a.rate.value,
				       a.achieved ? &ach : NULL, &errs);
	if (e == MUTU_EINPUT) {
		cli_print_errors(&errs);
		rc = CLI_EXIT_USAGE;
	} else if (e != MUTU_OK || !(*text = mutu_report_simulation_with(
					 &in->ct, &sim, &in->rules, &in->cab,
					 &(mutu_report_options){cli_format_no_csv(a.format),
								cli_lang(a.lang), false}))) {
		rc = cli_out_of_memory();
	}
cleanup:
	mutu_simulation_free(&sim);
	mutu_achieved_free(&ach);
	return rc;
}

static int run(int argc, char **argv)
{
	a.rate.value = 1;
	a.lang = -1;
	int rc = cli_parse(&cli_simulate, argc, argv);
	if (rc != 0)
		return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
	if (a.rate.given && a.achieved)
		return cli_usage_error(&cli_simulate, "give --achievement or --achieved, not both");
	const char *paths[] = {a.contract, a.cabinet, a.rules, a.achieved};
	const char *names[] = {"CONTRACT", "cabinet", "rules", "achieved file"};
	if ((rc = cli_check_files(&cli_simulate, a.out, paths, names, 4)) != 0)
		return rc;
	cli_contract_inputs in;
	char *text = NULL;
	rc = cli_load_contract(&in, a.contract, a.cabinet, a.rules);
	if (rc != 0)
		goto cleanup;
	if (mutu_findings_errors(&in.findings) > 0) {
		/* Mid-year events or a short lock-in leave the years undefined:
		 * show why rather than simulate something else. */
		text = mutu_report_findings_with(
		    &in.ct, &in.findings,
		    &(mutu_report_options){MUTU_FORMAT_TEXT, cli_lang(a.lang), false});
		fprintf(stderr, "%s: the contract has errors; fix them first:\n%s", a.contract,
			text ? text : "");
		rc = CLI_EXIT_FINDINGS;
		goto cleanup;
	}
	if ((rc = simulate(&in, &text)) == 0)
		rc = cli_write(a.out, text);
cleanup:
	free(text);
	cli_contract_inputs_free(&in);
	return rc;
}

/* mutu validate: a draft pooled contract checked rule by rule. */
#include <stdlib.h>

#include "common.h"

static struct {
	const char *contract, *cabinet, *rules, *out;
	int format, lang;
} a;

static const cli_opt opts[] = {
    {CLI_ARG, "CONTRACT", 0, &a.contract, NULL, NULL, CLI_REQUIRED, 0, 0, NULL},
    {CLI_STRING, "cabinet", 'c', &a.cabinet, "FILE", "the cabinet of the members (required)",
     CLI_REQUIRED, 0, 0, NULL},
    CLI_OPT_RULES(&a.rules),
    CLI_OPT_FORMAT(&a.format, cli_format_names_no_csv, "text (default) or json"),
    CLI_OPT_LANG(&a.lang),
    CLI_OPT_OUT(&a.out),
    CLI_OPT_END,
};

static int run(int argc, char **argv);

const cli_command cli_validate = {
    "validate",
    "CONTRACT --cabinet CABINET --rules RULES\n"
    "       [--format text|json] [--lang fr|en] [--out FILE]",
    "check a draft pooled contract rule by rule",
    "Checks a pooled contract against the cabinet and the rules, rule by rule, and\n"
    "reports every finding with its code, severity, JSON pointer and message,\n"
    "sorted by pointer.  A contract that can be read is judged, never refused.\n"
    "The rules (scenarios/model.md section 5):\n"
    "\n"
    "  structure    the contract's structure is the members' cabinet\n"
    "  specialty    every member and joiner has the contract's specialty\n"
    "  size         members within [min_doctors, max_doctors], also after each change\n"
    "  declaration  declared on or before the start; a joiner, on or before its join\n"
    "  eligibility  every member and joiner is eligible under the rules\n"
    "  lock_in      each component lasts at least its commitment_years\n"
    "  mid_year     joins, leaves only on anniversaries; no leave during the lock-in\n"
    "  cumul        no individual contract of an exclusive kind during a stay\n"
    "  etp          E <= max_etp_per_doctor x m and max_etp_total; pooled: k x step\n"
    "  objective    objective >= T_n, or the notional options' sum (their etp = E)\n"
    "  split        shares sum >= objective; share_i >= floor_share x P_i/P_G x T\n"
    "  capacity     warning: a share above P_i (h_i + g_i a_i) or max_new_patients\n"
    "\n"
    "Anniversaries count from the start (29 February falls on 28 February in common\n"
    "years); a member's lock-in is the longest commitment of the contract's component\n"
    "kinds, from its entry.  Floors are rounded down and capacities up to whole\n"
    "patients; a_i is the member's assistant_etp, else a part of the rest of E.",
    opts,
    "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 a file cannot\n"
    "be read or is malformed, 3 internal failure.\n",
    run,
};

static int run(int argc, char **argv)
{
	int rc = cli_parse(&cli_validate, argc, argv);
	if (rc != 0)
		return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
	const char *paths[] = {a.contract, a.cabinet, a.rules};
	const char *names[] = {"CONTRACT", "cabinet", "rules"};
	if ((rc = cli_check_files(&cli_validate, a.out, paths, names, 3)) != 0)
		return rc;
	cli_contract_inputs in;
	char *text = NULL;
	rc = cli_load_contract(&in, a.contract, a.cabinet, a.rules);
	if (rc != 0)
		goto cleanup;
	text = mutu_report_findings_with(
	    &in.ct, &in.findings,
	    &(mutu_report_options){(mutu_format)a.format, cli_lang(a.lang), false});
	if (!text) {
		rc = cli_out_of_memory();
		goto cleanup;
	}
	rc = cli_write(a.out, text);
	if (rc == 0 && mutu_findings_errors(&in.findings) > 0)
		rc = CLI_EXIT_FINDINGS;
cleanup:
	free(text);
	cli_contract_inputs_free(&in);
	return rc;
}

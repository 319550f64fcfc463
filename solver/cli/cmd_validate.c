/* mutu validate, mutu simulate. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "mutu/contract.h"
#include "mutu/modality.h"

static const char validate_help[] =
    "Usage: mutu validate CONTRACT --cabinet CABINET --rules RULES\n"
    "                     [--format text|json] [--out FILE]\n"
    "\n"
    "Checks a pooled contract against the cabinet and the rules, rule by rule, and\n"
    "reports every finding with its code, severity, JSON pointer and message,\n"
    "sorted by pointer.  The rules (model.md section 5):\n"
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
    "patients; a_i is the member's assistant_etp, else a part of the rest of E.\n"
    "\n"
    "  -c, --cabinet FILE   the cabinet of the members (required)\n"
    "  -r, --rules FILE     rules file (required)\n"
    "  -f, --format FMT     text (default) or json\n"
    "  -o, --out FILE       write there instead of standard output\n"
    "  -h, --help           this help\n"
    "\n"
    "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 a file cannot\n"
    "be read or is malformed, 3 internal failure.\n";

static const char simulate_help[] =
    "Usage: mutu simulate CONTRACT --cabinet CABINET --rules RULES\n"
    "                     [--achievement RATE | --achieved FILE]\n"
    "                     [--format text|json] [--out FILE]\n"
    "\n"
    "The contract year by year over its assistant component's years: members, ETP,\n"
    "collective objective, patients achieved, and the aid due after the rules'\n"
    "modulation (prorata or all_or_nothing, from achievement.check_from_year),\n"
    "assessed at the structure level or per member (mutualisation.assessment).\n"
    "After a join or leave the rules recompute the ETP and the objective for the\n"
    "new members (shares then proportional to P_i).  A year a suspension touches is\n"
    "neither paid nor assessed.  Amounts are undiscounted euros.\n"
    "\n"
    "The contract must validate without errors (see mutu validate).\n"
    "\n"
    "  -c, --cabinet FILE     the cabinet of the members (required)\n"
    "  -r, --rules FILE       rules file (required)\n"
    "  -a, --achievement R    patients achieved = R x the objective (and x each\n"
    "                         share): a rate from 0 to 2 (0.8) or a percentage\n"
    "                         (80%); default 1\n"
    "  -A, --achieved FILE    patients achieved from FILE: {\"years\": [{\"year\": 3,\n"
    "                         \"patients\": 120}, {\"year\": 4, \"members\":\n"
    "                         [{\"doctor\": \"d1\", \"patients\": 60}, ...]}]}; every\n"
    "                         assessed year must be there\n"
    "  -f, --format FMT       text (default) or json\n"
    "  -o, --out FILE         write there instead of standard output\n"
    "  -h, --help             this help\n"
    "\n"
    "Exit status: 0 ok, 1 the contract has errors, 2 a file cannot be read or is\n"
    "malformed, 3 internal failure.\n";

typedef struct args {
	const char *contract, *cabinet, *rules, *out, *achieved;
	mutu_format fmt;
	double rate;
	bool rate_given;
} args;

static int parse(const char *cmd, const char *help, int argc, char **argv, args *a)
{
	static const struct option longs[] = {{"cabinet", required_argument, NULL, 'c'},
					      {"rules", required_argument, NULL, 'r'},
					      {"format", required_argument, NULL, 'f'},
					      {"out", required_argument, NULL, 'o'},
					      {"achievement", required_argument, NULL, 'a'},
					      {"achieved", required_argument, NULL, 'A'},
					      {"help", no_argument, NULL, 'h'},
					      {NULL, 0, NULL, 0}};
	bool is_simulate = strcmp(cmd, "simulate") == 0;
	memset(a, 0, sizeof *a);
	a->rate = 1;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":c:r:f:o:a:A:h", longs, NULL)) != -1) {
		switch (c) {
		case 'c':
			a->cabinet = optarg;
			break;
		case 'r':
			a->rules = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'f':
			if (!cmd_parse_format(optarg, &a->fmt, false))
				return cmd_usage_error(
				    cmd, "--format must be text or json, got '%s'", optarg);
			break;
		case 'a': {
			mutu_achievement ach;
			char msg[300];
			if (!is_simulate)
				return cmd_usage_error(cmd, "unknown option '--achievement'");
			if (mutu_achievement_parse(&ach, optarg, false, msg, sizeof msg) != MUTU_OK)
				return cmd_usage_error(cmd, "--achievement %s", msg);
			a->rate = ach.rate;
			a->rate_given = true;
			break;
		}
		case 'A':
			if (!is_simulate)
				return cmd_usage_error(cmd, "unknown option '--achieved'");
			a->achieved = optarg;
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
		return cmd_usage_error(cmd, "missing CONTRACT file");
	if (optind + 1 < argc)
		return cmd_usage_error(cmd, "one CONTRACT file expected, got also '%s'",
				       argv[optind + 1]);
	a->contract = argv[optind];
	if (!a->cabinet)
		return cmd_usage_error(cmd, "--cabinet FILE is required");
	if (!a->rules)
		return cmd_usage_error(cmd, "--rules FILE is required");
	if (a->rate_given && a->achieved)
		return cmd_usage_error(cmd, "give --achievement or --achieved, not both");
	return 0;
}

/* What both commands load. */
typedef struct inputs {
	mutu_rules rules;
	mutu_cabinet cab;
	mutu_contract ct;
	mutu_findings findings;
} inputs;

static void inputs_free(inputs *in)
{
	mutu_findings_free(&in->findings);
	mutu_contract_free(&in->ct);
	mutu_cabinet_free(&in->cab);
	mutu_rules_free(&in->rules);
}

/* Loads the rules, the cabinet and the contract, then validates it.
 * Returns an exit status, MUTU_EXIT_OK when everything is loaded. */
static int load(inputs *in, const args *a)
{
	mutu_errors errs;
	memset(in, 0, sizeof *in);
	if (!cmd_load_rules(&in->rules, a->rules))
		return MUTU_EXIT_USAGE;
	if (!cmd_load_cabinet(&in->cab, &in->rules, a->cabinet))
		return MUTU_EXIT_USAGE;
	mutu_errors_clear(&errs);
	if (mutu_contract_load(&in->ct, &in->rules, &in->cab, a->contract, &errs) != MUTU_OK) {
		cmd_print_errors(&errs);
		return MUTU_EXIT_USAGE;
	}
	if (mutu_contract_validate(&in->findings, &in->ct, &in->rules, &in->cab) != MUTU_OK) {
		fprintf(stderr, "%s: out of memory\n", cmd_prog);
		return MUTU_EXIT_INTERNAL;
	}
	return MUTU_EXIT_OK;
}

int cmd_validate(int argc, char **argv)
{
	args a;
	inputs in;
	int rc = parse("validate", validate_help, argc, argv, &a);
	if (rc != 0)
		return rc < 0 ? MUTU_EXIT_OK : rc;
	rc = load(&in, &a);
	if (rc != MUTU_EXIT_OK)
		goto cleanup;
	char *text = mutu_report_findings(&in.ct, &in.findings, a.fmt);
	if (!text) {
		fprintf(stderr, "%s: out of memory\n", cmd_prog);
		rc = MUTU_EXIT_INTERNAL;
		goto cleanup;
	}
	bool ok = cmd_write_output(a.out, text);
	free(text);
	if (!ok)
		rc = MUTU_EXIT_USAGE;
	else if (mutu_findings_errors(&in.findings) > 0)
		rc = MUTU_EXIT_FINDINGS;
cleanup:
	inputs_free(&in);
	return rc;
}

int cmd_simulate(int argc, char **argv)
{
	args a;
	inputs in;
	mutu_achieved ach;
	mutu_simulation sim;
	mutu_errors errs;
	char *text = NULL;
	memset(&ach, 0, sizeof ach);
	memset(&sim, 0, sizeof sim);
	int rc = parse("simulate", simulate_help, argc, argv, &a);
	if (rc != 0)
		return rc < 0 ? MUTU_EXIT_OK : rc;
	rc = load(&in, &a);
	if (rc != MUTU_EXIT_OK)
		goto cleanup;
	if (mutu_findings_errors(&in.findings) > 0) {
		/* Mid-year events or a short lock-in leave the years undefined:
		 * show why rather than simulate something else. */
		text = mutu_report_findings(&in.ct, &in.findings, MUTU_FORMAT_TEXT);
		fprintf(stderr, "%s: the contract has errors; fix them first:\n%s", a.contract,
			text ? text : "");
		rc = MUTU_EXIT_FINDINGS;
		goto cleanup;
	}
	mutu_errors_clear(&errs);
	if (a.achieved && mutu_achieved_load(&ach, &in.cab, a.achieved, &errs) != MUTU_OK) {
		cmd_print_errors(&errs);
		rc = MUTU_EXIT_USAGE;
		goto cleanup;
	}
	int e = mutu_contract_simulate(&sim, &in.ct, &in.rules, &in.cab, a.rate,
				       a.achieved ? &ach : NULL, &errs);
	if (e == MUTU_EINPUT) {
		cmd_print_errors(&errs);
		rc = MUTU_EXIT_USAGE;
		goto cleanup;
	}
	if (e != MUTU_OK ||
	    !(text = mutu_report_simulation(&in.ct, &sim, &in.rules, &in.cab, a.fmt))) {
		fprintf(stderr, "%s: out of memory\n", cmd_prog);
		rc = MUTU_EXIT_INTERNAL;
		goto cleanup;
	}
	if (!cmd_write_output(a.out, text))
		rc = MUTU_EXIT_USAGE;
cleanup:
	free(text);
	mutu_simulation_free(&sim);
	mutu_achieved_free(&ach);
	inputs_free(&in);
	return rc;
}

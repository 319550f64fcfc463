/* Fuzzes the rules loader with `extends` (mutu_rules_parse), then what a
 * loaded rules file feeds: its merged JSON read back, and a bundled
 * cabinet evaluated (and, when the search is small, solved) under it.
 *
 * The input is parsed as the file scenarios/rules/variants/fuzz.json, so
 * that "extends": "../convention-2024.json" names a bundled base as the
 * variants do.  Two cabinets are evaluated: msp-tilleuls for the bundled
 * rules, tiny-pair for the golden tests' tiny rules.  No such file exists on disk: an input
 * extending itself reads nothing.
 */
#include "fuzz.h"

#include <cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mutu/analysis.h"
#include "mutu/group.h"

#define FUZZ_FILE "scenarios/rules/variants/fuzz.json"

/* The merged rules written as JSON must load again as they are. */
static void check_round_trip(const mutu_rules *rules, const char *file)
{
	char *json = mutu_rules_to_json(rules);
	if (!json)
		return;
	fuzz_check_json(json, "mutu_rules_to_json");
	mutu_rules again;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	if (mutu_rules_parse(&again, json, strlen(json), file, &errs) != MUTU_OK) {
		char line[1024] = "";
		if (errs.count > 0)
			mutu_error_format(&errs.items[0], line, sizeof line);
		fprintf(stderr, "%s\n", line);
		fuzz_fail("the merged rules do not load again", json);
	}
	mutu_rules_free(&again);
	free(json);
}

/* Whether solving `cab` under `rules` is small enough for a fuzzer: few
 * pooled ETP levels and few options per member. */
static bool small_search(const mutu_rules *rules, const mutu_cabinet *cab)
{
	if (cab->ndoctors > FUZZ_MAX_DOCTORS || rules->noptions > 12)
		return false;
	if (!rules->mut.enabled)
		return true;
	if (!(rules->mut.etp_step > 0))
		return false;
	double levels = mutu_pooled_max_etp(rules, cab->ndoctors) / rules->mut.etp_step;
	return levels <= 200;
}

static void evaluate(const mutu_rules *rules, const char *text, size_t len, const char *file)
{
	mutu_cabinet cab;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	if (mutu_cabinet_parse(&cab, rules, text, len, file, &errs) != MUTU_OK)
		return;
	mutu_analysis an;
	mutu_solve_options opts = {.goal = MUTU_GOAL_NET_BENEFIT,
				   .time_limit_ms = FUZZ_TIME_LIMIT_MS};
	bool solve = small_search(rules, &cab);
	fuzz_note("rules: cabinet loaded, solve %d", solve);
	if (mutu_analysis_run(&an, rules, &cab, solve, &opts) == MUTU_OK) {
		char *r = mutu_report_individual(&an, MUTU_FORMAT_JSON);
		fuzz_check_json(r, "individual report (json)");
		free(r);
		free(mutu_report_individual(&an, MUTU_FORMAT_TEXT));
		free(mutu_report_individual(&an, MUTU_FORMAT_CSV));
		if (solve) {
			r = mutu_report_solve(&an, MUTU_FORMAT_JSON, true);
			fuzz_check_json(r, "solve report (json)");
			free(r);
			free(mutu_report_solve(&an, MUTU_FORMAT_TEXT, false));
		}
	}
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);
	mutu_solver_release();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cabinets[] = {"scenarios/cabinets/msp-tilleuls.json",
					       "tests/golden/data/tiny-pair.json"};
	enum { NCABINETS = sizeof cabinets / sizeof cabinets[0] };
	static char *file, *cab_file[NCABINETS], *cab_text[NCABINETS];
	static size_t cab_len[NCABINETS];
	if (!file) {
		file = fuzz_path(FUZZ_FILE);
		for (size_t c = 0; c < NCABINETS; c++) {
			cab_file[c] = fuzz_path(cabinets[c]);
			cab_text[c] = fuzz_read(cabinets[c], &cab_len[c]);
		}
	}
	mutu_rules rules;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	if (mutu_rules_parse(&rules, (const char *)data, size, file, &errs) != MUTU_OK)
		return 0;
	check_round_trip(&rules, file);
	fuzz_note("rules: loaded, %zu options", rules.noptions);
	for (size_t c = 0; c < NCABINETS; c++)
		evaluate(&rules, cab_text[c], cab_len[c], cab_file[c]);
	mutu_rules_free(&rules);
	return 0;
}

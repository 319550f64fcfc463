/* Fuzzes the whole path of `solve`: a cabinet loaded, every doctor
 * evaluated, every specialty's group formed and solved within a time limit
 * per group, and the reports (JSON pretty and compact, text, CSV).  Under
 * the 2024 rules (sum_individual basis, goal net_benefit) and their
 * pooled-objective variant (goal patients).
 *
 * Oracles besides the sanitizers: the JSON reports parse, and the
 * contract emitted for each plan (`solve --emit-contract`) loads back
 * against the same cabinet and rules, and validates without crashing. */
#include "fuzz.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutu/analysis.h"
#include "mutu/group.h"

static const char *const rules_files[] = {"scenarios/rules/convention-2024.json",
					  "scenarios/rules/variants/pooled-objective.json"};
static const mutu_goal goals[] = {MUTU_GOAL_NET_BENEFIT, MUTU_GOAL_PATIENTS};
enum { NRULES = sizeof rules_files / sizeof rules_files[0] };

static void check_contract(const mutu_analysis *an, size_t g)
{
	char *text = mutu_report_contract(an, g);
	if (!text)
		return;
	fuzz_check_json(text, "emitted contract");
	mutu_contract ct;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	if (mutu_contract_parse(&ct, an->rules, an->cab, text, strlen(text), "emitted.json",
				&errs) != MUTU_OK) {
		char line[1024] = "";
		if (errs.count > 0)
			mutu_error_format(&errs.items[0], line, sizeof line);
		fprintf(stderr, "%s\n", line);
		fuzz_fail("the emitted contract does not load", text);
	}
	mutu_findings f;
	memset(&f, 0, sizeof f);
	if (mutu_contract_validate(&f, &ct, an->rules, an->cab) == MUTU_OK) {
		char *r = mutu_report_findings(&ct, &f, MUTU_FORMAT_TEXT);
		fuzz_note(
		    "solve: emitted contract of group %zu (status %d): %zu error findings\n%s", g,
		    an->solutions[g].status, mutu_findings_errors(&f), r ? r : "");
		free(r);
	}
	mutu_findings_free(&f);
	mutu_contract_free(&ct);
	free(text);
}

static void one(const mutu_rules *rules, mutu_goal goal, const uint8_t *data, size_t size,
		const char *file)
{
	mutu_cabinet cab;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	if (mutu_cabinet_parse(&cab, rules, (const char *)data, size, file, &errs) != MUTU_OK)
		return;
	mutu_analysis an;
	mutu_solve_options opts = {.goal = goal, .time_limit_ms = FUZZ_TIME_LIMIT_MS};
	bool solve = cab.ndoctors <= FUZZ_MAX_DOCTORS;
	if (mutu_analysis_run(&an, rules, &cab, solve, &opts) == MUTU_OK && solve) {
		fuzz_note("solve: %zu doctors, %zu groups", cab.ndoctors, an.ngroups);
		char *r = mutu_report_solve(&an, MUTU_FORMAT_JSON, false);
		fuzz_check_json(r, "solve report (json)");
		free(r);
		r = mutu_report_solve(&an, MUTU_FORMAT_JSON, true);
		fuzz_check_json(r, "solve report (compact json)");
		if (r && strchr(r, '\n') && strchr(r, '\n')[1] != '\0')
			fuzz_fail("a compact report spans several lines", r);
		free(r);
		free(mutu_report_solve(&an, MUTU_FORMAT_TEXT, false));
		free(mutu_report_solve(&an, MUTU_FORMAT_CSV, false));
		for (size_t g = 0; g < an.ngroups; g++) {
			bool plan = mutu_analysis_has_plan(&an, g);
			fuzz_note("solve: group %zu status %d plan %d", g, an.solutions[g].status,
				  plan);
			char *c = mutu_report_contract(&an, g);
			if (plan != (c != NULL))
				fuzz_fail("a contract without a plan, or a plan without one", c);
			free(c);
			check_contract(&an, g);
		}
	}
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);
	mutu_solver_release();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static mutu_rules rules[NRULES];
	static char *file;
	if (!file) {
		for (size_t r = 0; r < NRULES; r++)
			fuzz_load_rules(&rules[r], rules_files[r]);
		file = fuzz_path("fuzz-cabinet.json");
	}
	for (size_t r = 0; r < NRULES; r++)
		one(&rules[r], goals[r], data, size, file);
	return 0;
}

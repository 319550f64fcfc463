/* Fuzzes the cabinet loader (mutu_cabinet_parse) under two bundled rules
 * files with different specialties and options, then the individual
 * evaluation of every doctor (no solve) and its reports. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>

#include "mutu/analysis.h"

static const char *const rules_files[] = {"scenarios/rules/convention-2024.json",
					  "scenarios/rules/avenant7-2019.json"};
enum { NRULES = sizeof rules_files / sizeof rules_files[0] };

static void one(const mutu_rules *rules, const uint8_t *data, size_t size, const char *file)
{
	mutu_cabinet cab;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	if (mutu_cabinet_parse(&cab, rules, (const char *)data, size, file, &errs) != MUTU_OK)
		return;
	/* Doctor ids are uniquefuzz_note("cabinet: loaded, %zu doctors", cab.ndoctors);
 in a loaded cabinet: each finds itself. */
	for (size_t i = 0; i < cab.ndoctors; i++)
		if (mutu_cabinet_doctor(&cab, cab.doctors[i].id) != (long)i)
			fuzz_fail("mutu_cabinet_doctor does not find a doctor", cab.doctors[i].id);
	mutu_analysis an;
	mutu_solve_options opts = {.goal = MUTU_GOAL_NET_BENEFIT,
				   .time_limit_ms = FUZZ_TIME_LIMIT_MS};
	if (mutu_analysis_run(&an, rules, &cab, false, &opts) == MUTU_OK) {
		char *r = mutu_report_individual(&an, MUTU_FORMAT_JSON);
		fuzz_check_json(r, "individual report (json)");
		free(r);
		free(mutu_report_individual(&an, MUTU_FORMAT_TEXT));
		free(mutu_report_individual(&an, MUTU_FORMAT_CSV));
	}
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);
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
		one(&rules[r], data, size, file);
	return 0;
}

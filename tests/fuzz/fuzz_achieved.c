/* Fuzzes the loader of achieved patients (mutu_achieved_parse) against the
 * bundled cabinet msp-tilleuls, then the simulation of two valid bundled
 * contracts of that cabinet with them (sum_individual and pooled basis),
 * which checks that the years and members fit the contract. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rules_files[] = {"scenarios/rules/convention-2024.json",
					  "scenarios/rules/variants/pooled-objective.json"};
static const char *const contract_files[] = {"scenarios/contracts/tilleuls-valid.json",
					     "scenarios/contracts/tilleuls-pooled-valid.json"};
enum { NRULES = sizeof rules_files / sizeof rules_files[0] };

static mutu_rules rules[NRULES];
static mutu_cabinet cabinets[NRULES];
static mutu_contract contracts[NRULES];

static void one(size_t r, const uint8_t *data, size_t size, const char *file)
{
	mutu_achieved ach;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	if (mutu_achieved_parse(&ach, &cabinets[r], (const char *)data, size, file, &errs) !=
	    MUTU_OK)
		return;
	mutu_simulation sim;
	memset(&sim, 0, sizeof sim);
	fuzz_note("achieved: loaded, %zu years", ach.nyears);
	if (mutu_contract_simulate(&sim, &contracts[r], &rules[r], &cabinets[r], 1.0, &ach,
				   &errs) == MUTU_OK) {
		fuzz_note("achieved: simulated %d years", sim.nyears);
		char *t = mutu_report_simulation(&contracts[r], &sim, &rules[r], &cabinets[r],
						 MUTU_FORMAT_JSON);
		fuzz_check_json(t, "simulation report (json)");
		free(t);
		free(mutu_report_simulation(&contracts[r], &sim, &rules[r], &cabinets[r],
					    MUTU_FORMAT_TEXT));
	}
	mutu_simulation_free(&sim);
	mutu_achieved_free(&ach);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *file;
	if (!file) {
		for (size_t r = 0; r < NRULES; r++) {
			fuzz_load_rules(&rules[r], rules_files[r]);
			fuzz_load_cabinet(&cabinets[r], &rules[r],
					  "scenarios/cabinets/msp-tilleuls.json");
			fuzz_load_contract(&contracts[r], &rules[r], &cabinets[r],
					   contract_files[r]);
		}
		file = fuzz_path("fuzz-achieved.json");
	}
	for (size_t r = 0; r < NRULES; r++)
		one(r, data, size, file);
	return 0;
}

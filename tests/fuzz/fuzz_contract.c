/* Fuzzes the contract loader (mutu_contract_parse) and what follows it in
 * `validate` and `simulate`: the checks of model.md §5, their reports,
 * and, for a contract without error findings (as the command requires),
 * the simulation year by year and its reports.
 *
 * The contract is read against the bundled cabinet its "structure" names
 * (msp-tilleuls otherwise), under the 2024 rules (sum_individual basis)
 * and their pooled-objective variant. */
#include "fuzz.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rules_files[] = {"scenarios/rules/convention-2024.json",
					  "scenarios/rules/variants/pooled-objective.json"};
enum { NRULES = sizeof rules_files / sizeof rules_files[0] };

static const char *const cabinet_ids[] = {
    "msp-tilleuls",       "centre-30-gp",     "contract-in-force",
    "excluded-specialty", "late-declaration", "new-installed",
    "rural-pair-zip",     "sector2-no-optam", "senior-66"};
enum { NCABINETS = sizeof cabinet_ids / sizeof cabinet_ids[0] };

/* The cabinet the contract's "structure" names, 0 (msp-tilleuls) when it
 * names none of them. */
static size_t cabinet_of(const uint8_t *data, size_t size)
{
	size_t k = 0;
	cJSON *doc = cJSON_ParseWithLengthOpts((const char *)data, size, NULL, false);
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(doc, "structure");
	for (size_t c = 0; cJSON_IsString(s) && c < NCABINETS; c++)
		if (strcmp(s->valuestring, cabinet_ids[c]) == 0)
			k = c;
	cJSON_Delete(doc);
	return k;
}

static void simulate(const mutu_contract *ct, const mutu_rules *rules, const mutu_cabinet *cab,
		     double rate)
{
	mutu_simulation sim;
	mutu_errors errs;
	memset(&sim, 0, sizeof sim);
	mutu_errors_clear(&errs);
	if (mutu_contract_simulate(&sim, ct, rules, cab, rate, NULL, &errs) == MUTU_OK) {
		fuzz_note("contract: simulated %d years", sim.nyears);
		char *r = mutu_report_simulation(ct, &sim, rules, cab, MUTU_FORMAT_JSON);
		fuzz_check_json(r, "simulation report (json)");
		free(r);
		free(mutu_report_simulation(ct, &sim, rules, cab, MUTU_FORMAT_TEXT));
	}
	mutu_simulation_free(&sim);
}

static void one(const mutu_rules *rules, const mutu_cabinet *cab, const uint8_t *data, size_t size,
		const char *file)
{
	mutu_contract ct;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	if (mutu_contract_parse(&ct, rules, cab, (const char *)data, size, file, &errs) != MUTU_OK)
		return;
	mutu_findings f;
	memset(&f, 0, sizeof f);
	if (mutu_contract_validate(&f, &ct, rules, cab) == MUTU_OK) {
		fuzz_note("contract: loaded, %zu error findings of %zu", mutu_findings_errors(&f),
			  f.count);
		char *r = mutu_report_findings(&ct, &f, MUTU_FORMAT_JSON);
		fuzz_check_json(r, "findings report (json)");
		free(r);
		free(mutu_report_findings(&ct, &f, MUTU_FORMAT_TEXT));
		if (mutu_findings_errors(&f) == 0) {
			simulate(&ct, rules, cab, 1.0);
			simulate(&ct, rules, cab, 0.6);
		}
	}
	mutu_findings_free(&f);
	mutu_contract_free(&ct);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static mutu_rules rules[NRULES];
	static mutu_cabinet cabinets[NRULES][NCABINETS];
	static char *file;
	if (!file) {
		char rel[128];
		for (size_t r = 0; r < NRULES; r++) {
			fuzz_load_rules(&rules[r], rules_files[r]);
			for (size_t c = 0; c < NCABINETS; c++) {
				snprintf(rel, sizeof rel, "scenarios/cabinets/%s.json",
					 cabinet_ids[c]);
				fuzz_load_cabinet(&cabinets[r][c], &rules[r], rel);
			}
		}
		file = fuzz_path("fuzz-contract.json");
	}
	size_t c = cabinet_of(data, size);
	for (size_t r = 0; r < NRULES; r++)
		one(&rules[r], &cabinets[r][c], data, size, file);
	return 0;
}

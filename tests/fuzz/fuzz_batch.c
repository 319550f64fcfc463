/* Fuzzes one line of a batch (mutu_batch_line): a cabinet as `generate`
 * writes them, loaded, solved within a time limit per group and reported
 * as one compact JSON record, or an error record.  Either must be one line
 * of valid JSON. */
#include "fuzz.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mutu/batch.h"
#include "mutu/group.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static mutu_rules rules;
	static bool loaded;
	if (!loaded) {
		fuzz_load_rules(&rules, "scenarios/rules/convention-2024.json");
		loaded = true;
	}
	/* Bounded work: a line of more doctors than FUZZ_MAX_DOCTORS could hold
	 * the solver; about 100 bytes make a doctor. */
	if (size > (size_t)FUZZ_MAX_DOCTORS * 100)
		return 0;
	mutu_solve_options opts = {.goal = MUTU_GOAL_NET_BENEFIT,
				   .time_limit_ms = FUZZ_TIME_LIMIT_MS};
	bool failed;
	unsigned long groups, plans;
	char *out = mutu_batch_line(&rules, &opts, "fuzz.jsonl", (const char *)data, size, 7,
				    &failed, &groups, &plans);
	fuzz_check_json(out, "batch line");
	fuzz_note("batch: failed %d, %lu groups, %lu plans", failed, groups, plans);
	if (out && strchr(out, '\n'))
		fuzz_fail("a batch record spans several lines", out);
	if (plans > groups)
		fuzz_fail("more plans than groups", out);
	free(out);
	mutu_solver_release();
	return 0;
}

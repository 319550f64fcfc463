/* Fuzzes the request parsing of mutu serve: one input is the body of a
 * POST to /api/solve, then to /api/validate and /api/simulate (which read
 * a "contract" member and do not solve), answered by mutu_api_handle over
 * the bundled rules directory.
 *
 * Oracles besides the sanitizers: every answer is JSON, its status is one
 * the API documents for a POST (200, 400, 422 or 500), and an error
 * answer carries an "error" member. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutu/api.h"
#include "mutu/group.h"

static mutu_api *api;

static void one(const char *path, const uint8_t *data, size_t size)
{
	mutu_api_response r;
	mutu_api_handle(api, "POST", path, (const char *)data, size, &r);
	if (!r.body)
		return; /* out of memory: a 500 without a body */
	fuzz_check_json(r.body, path);
	if (r.status != 200 && r.status != 400 && r.status != 422 && r.status != 500)
		fuzz_fail("unexpected status", r.body);
	if (r.status != 200 && !strstr(r.body, "\"error\""))
		fuzz_fail("an error answer without \"error\"", r.body);
	fuzz_note("api: %s %d", path, r.status);
	mutu_api_response_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!api) {
		mutu_errors errs;
		mutu_errors_clear(&errs);
		char *dir = fuzz_path("scenarios/rules");
		if (mutu_api_create(&api, dir, "", &errs) != MUTU_OK) {
			char line[1024] = "";
			if (errs.count > 0)
				mutu_error_format(&errs.items[0], line, sizeof line);
			fuzz_fail("the bundled rules do not load", line);
		}
		free(dir);
		mutu_api_set_time_limit(api, FUZZ_TIME_LIMIT_MS);
	}
	one("/api/solve", data, size);
	one("/api/validate", data, size);
	one("/api/simulate", data, size);
	mutu_solver_release();
	return 0;
}

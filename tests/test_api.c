/* The API of mutu serve (solver/api.c) without a network: every endpoint
 * with a good request, whose answer must be byte for byte what the
 * library prints when driven the way the CLI drives it (load the files,
 * run the analysis, write the JSON report), and every kind of bad
 * request, whose error must name the document and the JSON pointer of
 * the offending value.  Also: rules outside the bundle are refused
 * before anything is read, and several threads can share one api. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "mutu/analysis.h"
#include "mutu/api.h"
#include "mutu/cabinet_csv.h"
#include "mutu/contract.h"
#include "mutu/group.h"

#define RULES_DIR "../scenarios/rules"
#define CABINET "../scenarios/cabinets/msp-tilleuls.json"
#define PAGE "<!DOCTYPE html><title>test page</title>"

static mutu_api *api;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

/* printf into a new string. */
static char *fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	char *s = malloc((size_t)n + 1);
	assert_non_null(s);
	va_start(ap, f);
	vsnprintf(s, (size_t)n + 1, f, ap);
	va_end(ap);
	return s;
}

static mutu_api_response call(const char *method, const char *path, const char *body)
{
	mutu_api_response r;
	assert_int_equal(mutu_api_handle(api, method, path, body, body ? strlen(body) : 0, &r),
			 MUTU_OK);
	assert_non_null(r.body);
	assert_int_equal(r.len, strlen(r.body));
	return r;
}

/* What the CLI does for `mutu solve CABINET --rules RULES --goal G
 * --format json` (and --emit-contract for group `contract_group` when
 * >= 0). */
static char *cli_solve(const char *rules_path, mutu_goal goal, long contract_group)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_rules rules;
	mutu_cabinet cab;
	mutu_analysis an = {0};
	assert_int_equal(mutu_rules_load(&rules, rules_path, &errs), MUTU_OK);
	assert_int_equal(mutu_cabinet_load(&cab, &rules, CABINET, &errs), MUTU_OK);
	/* As cmd_solve.c runs it: sharing patients, the coalitions. */
	mutu_analysis_options so = {.solve = {goal, MUTU_API_TIME_LIMIT_MS},
				    .sharing = MUTU_SHARING_PATIENTS,
				    .coalitions = true};
	assert_int_equal(mutu_analysis_run_with(&an, &rules, &cab, true, &so), MUTU_OK);
	char *out = contract_group >= 0 ? mutu_report_contract(&an, (size_t)contract_group)
					: mutu_report_solve(&an, MUTU_FORMAT_JSON, false);
	assert_non_null(out);
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);
	mutu_rules_free(&rules);
	return out;
}

/* The error of a 400 answer: its first error's file, path and message
 * must be the ones given (message: a substring). */
static void assert_error(const mutu_api_response *r, int status, const char *file, const char *path,
			 const char *message)
{
	if (r->status != status)
		print_error("status %d, body %s\n", r->status, r->body);
	assert_int_equal(r->status, status);
	assert_string_equal(r->content_type, "application/json; charset=utf-8");
	cJSON *doc = cJSON_Parse(r->body);
	assert_non_null(doc);
	cJSON *err = cJSON_GetObjectItemCaseSensitive(doc, "error");
	cJSON *errs = cJSON_GetObjectItemCaseSensitive(doc, "errors");
	assert_true(cJSON_IsArray(errs));
	assert_true(cJSON_GetArraySize(errs) >= 1);
	const char *f = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(err, "file"));
	const char *p = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(err, "path"));
	const char *m = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(err, "message"));
	assert_non_null(f);
	assert_non_null(p);
	assert_non_null(m);
	if (strcmp(p, path) != 0 || !strstr(m, message))
		print_error("error %s %s %s\n", f, p, m);
	assert_string_equal(f, file);
	assert_string_equal(p, path);
	assert_non_null(strstr(m, message));
	cJSON_Delete(doc);
}

static char *cabinet_text;

static int setup(void **state)
{
	(void)state;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	if (mutu_api_create(&api, RULES_DIR, PAGE, &errs) != MUTU_OK)
		return -1;
	cabinet_text = slurp(CABINET);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mutu_api_free(api);
	free(cabinet_text);
	mutu_solver_release();
	return 0;
}

/* ---------------- good requests ---------------- */

static void page_is_served(void **state)
{
	(void)state;
	mutu_api_response r = call("GET", "/", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "text/html; charset=utf-8");
	assert_string_equal(r.body, PAGE);
	mutu_api_response_free(&r);
}

/* Every *.json of the directory and of variants/, counted here with
 * readdir, each with the description mutu_rules_load reads. */
static void rules_lists_the_bundle(void **state)
{
	(void)state;
	size_t want = 0;
	const char *dirs[] = {RULES_DIR, RULES_DIR "/variants"};
	for (size_t i = 0; i < 2; i++) {
		DIR *d = opendir(dirs[i]);
		assert_non_null(d);
		for (struct dirent *e; (e = readdir(d));)
			want += strlen(e->d_name) > 5 &&
				strcmp(e->d_name + strlen(e->d_name) - 5, ".json") == 0;
		closedir(d);
	}
	mutu_api_response r = call("GET", "/api/rules", NULL);
	assert_int_equal(r.status, 200);
	cJSON *doc = cJSON_Parse(r.body);
	cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "rules");
	assert_int_equal((size_t)cJSON_GetArraySize(list), want);
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_rules rules;
	assert_int_equal(mutu_rules_load(&rules, RULES_DIR "/variants/floor-half.json", &errs),
			 MUTU_OK);
	bool found = false;
	for (cJSON *e = list->child; e; e = e->next) {
		const char *file =
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "file"));
		if (strcmp(file, "variants/floor-half.json") != 0)
			continue;
		found = true;
		assert_string_equal(
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "description")),
		    rules.description);
		assert_string_equal(
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "extends")),
		    "convention-2024.json");
		/* The variant's own member, for the page to lay over a regime. */
		cJSON *patch = cJSON_GetObjectItemCaseSensitive(e, "patch");
		cJSON *mut = cJSON_GetObjectItemCaseSensitive(patch, "mutualisation");
		assert_true(cJSON_GetNumberValue(
				cJSON_GetObjectItemCaseSensitive(mut, "floor_share")) == 0.5);
		assert_null(cJSON_GetObjectItemCaseSensitive(patch, "extends"));
	}
	assert_true(found);
	mutu_rules_free(&rules);
	cJSON_Delete(doc);
	mutu_api_response_free(&r);
}

static void solve_is_the_cli_answer(void **state)
{
	(void)state;
	char *body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\", \"goal\": "
			 "\"patients\", \"sharing\": \"patients\"}",
			 cabinet_text);
	mutu_api_response r = call("POST", "/api/solve", body);
	assert_int_equal(r.status, 200);
	char *want = cli_solve(RULES_DIR "/convention-2024.json", MUTU_GOAL_PATIENTS, -1);
	assert_string_equal(r.body, want);
	free(want);
	mutu_api_response_free(&r);
	/* A query string does not change the address. */
	r = call("POST", "/api/solve?format=json", body);
	assert_int_equal(r.status, 200);
	mutu_api_response_free(&r);
	free(body);
}

/* A rules object extending a variant is that variant: the same answer
 * as the file itself on the command line. */
static void rules_object_extends_a_bundled_file(void **state)
{
	(void)state;
	char *body = fmt("{\"cabinet\": %s, \"rules\": {\"extends\": "
			 "\"variants/pooled-objective.json\"}}",
			 cabinet_text);
	mutu_api_response r = call("POST", "/api/solve", body);
	assert_int_equal(r.status, 200);
	char *want =
	    cli_solve(RULES_DIR "/variants/pooled-objective.json", MUTU_GOAL_NET_BENEFIT, -1);
	assert_string_equal(r.body, want);
	free(want);
	mutu_api_response_free(&r);
	free(body);
}

/* The contract of the first group (generaliste, in rules order), then
 * validated and simulated as `mutu validate` and `mutu simulate
 * --achievement 0.8` would. */
static void contract_validate_simulate_are_the_cli_answers(void **state)
{
	(void)state;
	char *body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\", \"specialty\": "
			 "\"generaliste\"}",
			 cabinet_text);
	mutu_api_response ct = call("POST", "/api/contract", body);
	free(body);
	assert_int_equal(ct.status, 200);
	char *want = cli_solve(RULES_DIR "/convention-2024.json", MUTU_GOAL_NET_BENEFIT, 0);
	assert_string_equal(ct.body, want);
	free(want);

	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_rules rules;
	mutu_cabinet cab;
	mutu_contract c;
	mutu_findings f = {0};
	mutu_simulation sim = {0};
	assert_int_equal(mutu_rules_load(&rules, RULES_DIR "/convention-2024.json", &errs),
			 MUTU_OK);
	assert_int_equal(mutu_cabinet_load(&cab, &rules, CABINET, &errs), MUTU_OK);
	assert_int_equal(mutu_contract_parse(&c, &rules, &cab, ct.body, ct.len, "contract", &errs),
			 MUTU_OK);
	assert_int_equal(mutu_contract_validate(&f, &c, &rules, &cab), MUTU_OK);
	char *findings = mutu_report_findings(&c, &f, MUTU_FORMAT_JSON);
	assert_int_equal(mutu_contract_simulate(&sim, &c, &rules, &cab, 0.8, NULL, &errs), MUTU_OK);
	char *years = mutu_report_simulation(&c, &sim, &rules, &cab, MUTU_FORMAT_JSON);

	body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\", \"contract\": %s}",
		   cabinet_text, ct.body);
	mutu_api_response r = call("POST", "/api/validate", body);
	free(body);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, findings);
	mutu_api_response_free(&r);

	body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\", \"contract\": %s, "
		   "\"achievement\": 0.8}",
		   cabinet_text, ct.body);
	r = call("POST", "/api/simulate", body);
	free(body);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, years);
	mutu_api_response_free(&r);

	free(findings);
	free(years);
	mutu_simulation_free(&sim);
	mutu_findings_free(&f);
	mutu_contract_free(&c);
	mutu_cabinet_free(&cab);
	mutu_rules_free(&rules);
	mutu_api_response_free(&ct);
}

/* ---------------- bad requests ---------------- */

static void malformed_json_is_400(void **state)
{
	(void)state;
	mutu_api_response r = call("POST", "/api/solve", "{\"cabinet\": {");
	assert_error(&r, 400, "request", "", "");
	mutu_api_response_free(&r);
	r = call("POST", "/api/solve", "");
	assert_error(&r, 400, "request", "", "empty");
	mutu_api_response_free(&r);
	r = call("POST", "/api/solve", "[1, 2]");
	assert_error(&r, 400, "request", "", "object");
	mutu_api_response_free(&r);
}

static void missing_fields_are_400(void **state)
{
	(void)state;
	mutu_api_response r = call("POST", "/api/solve", "{\"rules\": \"convention-2024.json\"}");
	assert_error(&r, 400, "request", "/cabinet", "missing");
	mutu_api_response_free(&r);
	char *body = fmt("{\"cabinet\": %s}", cabinet_text);
	r = call("POST", "/api/solve", body);
	assert_error(&r, 400, "request", "/rules", "missing");
	mutu_api_response_free(&r);
	free(body);
	body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\"}", cabinet_text);
	r = call("POST", "/api/validate", body);
	assert_error(&r, 400, "request", "/contract", "missing");
	mutu_api_response_free(&r);
	free(body);
}

/* A wrong type inside the cabinet is reported by the cabinet loader,
 * against the cabinet document: the page puts it beside that field. */
static void wrong_types_name_their_path(void **state)
{
	(void)state;
	char *cab = strdup(cabinet_text);
	char *at = strstr(cab, "\"pmt\": 1045");
	assert_non_null(at);
	memcpy(at, "\"pmt\": true", strlen("\"pmt\": true"));
	char *body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\"}", cab);
	mutu_api_response r = call("POST", "/api/solve", body);
	assert_error(&r, 400, "cabinet", "/doctors/1/pmt", "integer");
	mutu_api_response_free(&r);
	free(body);
	free(cab);

	r = call("POST", "/api/solve", "{\"cabinet\": 3, \"rules\": \"convention-2024.json\"}");
	assert_error(&r, 400, "request", "/cabinet", "object");
	mutu_api_response_free(&r);
	body = fmt("{\"cabinet\": %s, \"rules\": 12}", cabinet_text);
	r = call("POST", "/api/solve", body);
	assert_error(&r, 400, "request", "/rules", "rules object");
	mutu_api_response_free(&r);
	free(body);
	body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\", \"goal\": \"most\"}",
		   cabinet_text);
	r = call("POST", "/api/solve", body);
	assert_error(&r, 400, "request", "/goal", "");
	mutu_api_response_free(&r);
	free(body);
	/* A sharing rule that does not exist is refused (the four of the
	 * CLI are accepted). */
	body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\", \"sharing\": "
		   "\"fair\"}",
		   cabinet_text);
	r = call("POST", "/api/solve", body);
	assert_error(&r, 400, "request", "/sharing", "");
	mutu_api_response_free(&r);
	free(body);
	body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\", \"cabinett\": 1}",
		   cabinet_text);
	r = call("POST", "/api/solve", body);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "cabinett"));
	mutu_api_response_free(&r);
	free(body);
	body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\", \"contract\": {}, "
		   "\"achievement\": 3}",
		   cabinet_text);
	r = call("POST", "/api/simulate", body);
	assert_error(&r, 400, "request", "/achievement", "");
	mutu_api_response_free(&r);
	free(body);
	/* A doctor without an id among others: the duplicate-id check sorted
	 * a NULL id with strcmp and crashed (found by tests/fuzz/fuzz_api.c). */
	r = call("POST", "/api/solve",
		 "{\"cabinet\": {\"id\": \"x\", \"zone\": \"zip\", \"contract_start\": "
		 "\"2025-01-01\", \"doctors\": [{\"specialty\": \"generaliste\", \"sector\": "
		 "\"1\", \"pmt\": 900}, {\"id\": \"a\", \"specialty\": \"generaliste\", "
		 "\"sector\": \"1\", \"pmt\": 900}, {\"id\": \"b\", \"specialty\": "
		 "\"generaliste\", \"sector\": \"1\", \"pmt\": 900}]}, \"rules\": "
		 "\"convention-2024.json\"}");
	assert_error(&r, 400, "cabinet", "/doctors/0/id", "missing");
	mutu_api_response_free(&r);
	/* An error inside a rules object is against the rules document. */
	body = fmt("{\"cabinet\": %s, \"rules\": {\"extends\": \"convention-2024.json\", "
		   "\"horizon_years\": \"five\"}}",
		   cabinet_text);
	r = call("POST", "/api/solve", body);
	assert_error(&r, 400, "rules", "/horizon_years", "");
	mutu_api_response_free(&r);
	free(body);
}

static void rules_outside_the_bundle_are_refused(void **state)
{
	(void)state;
	static const char *const names[] = {
	    "../../etc/passwd",
	    "/etc/passwd",
	    "variants/../../../etc/passwd",
	    "./convention-2024.json",
	    "variants",
	    "",
	    "../rules/convention-2024.json",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *body = fmt("{\"cabinet\": %s, \"rules\": \"%s\"}", cabinet_text, names[i]);
		mutu_api_response r = call("POST", "/api/solve", body);
		assert_error(&r, 400, "request", "/rules", "not a bundled rules file");
		mutu_api_response_free(&r);
		free(body);
		body = fmt("{\"cabinet\": %s, \"rules\": {\"extends\": \"%s\"}}", cabinet_text,
			   names[i]);
		r = call("POST", "/api/solve", body);
		assert_error(&r, 400, "rules", "/extends", "bundled rules file");
		/* Nothing of the file leaks into the answer. */
		assert_null(strstr(r.body, "root:"));
		mutu_api_response_free(&r);
		free(body);
	}
	char *body = fmt("{\"cabinet\": %s, \"rules\": {\"name\": \"x\"}}", cabinet_text);
	mutu_api_response r = call("POST", "/api/solve", body);
	assert_error(&r, 400, "rules", "/extends", "missing");
	mutu_api_response_free(&r);
	free(body);
	body = fmt("{\"cabinet\": %s, \"rules\": {\"extends\": 7}}", cabinet_text);
	r = call("POST", "/api/solve", body);
	assert_error(&r, 400, "rules", "/extends", "bundled");
	mutu_api_response_free(&r);
	free(body);
}

static void oversized_body_is_413(void **state)
{
	(void)state;
	size_t n = MUTU_API_MAX_BODY + 1;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, ' ', n);
	mutu_api_response r;
	assert_int_equal(mutu_api_handle(api, "POST", "/api/solve", big, n, &r), MUTU_OK);
	assert_error(&r, 413, "request", "", "1 MiB");
	mutu_api_response_free(&r);
	/* The length alone decides: the body is not read. */
	assert_int_equal(mutu_api_handle(api, "POST", "/api/simulate", NULL, n, &r), MUTU_OK);
	assert_int_equal(r.status, 413);
	mutu_api_response_free(&r);
	/* Exactly the cap is read (and is bad JSON: blanks only). */
	assert_int_equal(mutu_api_handle(api, "POST", "/api/solve", big, n - 1, &r), MUTU_OK);
	assert_error(&r, 400, "request", "", "empty");
	mutu_api_response_free(&r);
	free(big);
}

static void unknown_path_and_wrong_method(void **state)
{
	(void)state;
	mutu_api_response r = call("GET", "/etc/passwd", NULL);
	assert_error(&r, 404, "request", "", "no such address");
	mutu_api_response_free(&r);
	r = call("POST", "/api/solver", "{}");
	assert_int_equal(r.status, 404);
	mutu_api_response_free(&r);
	r = call("GET", "/api/solve", NULL);
	assert_error(&r, 405, "request", "", "POST");
	mutu_api_response_free(&r);
	r = call("POST", "/", "{}");
	assert_error(&r, 405, "request", "", "GET");
	mutu_api_response_free(&r);
	r = call("DELETE", "/api/rules", NULL);
	assert_int_equal(r.status, 405);
	mutu_api_response_free(&r);
}

static void no_plan_means_no_contract(void **state)
{
	(void)state;
	/* Both cardiologists in sector 2 (no OPTAM), which the rules do not
	 * make eligible: that group has no member. */
	char *cab = strdup(cabinet_text);
	char *a = strstr(cab, "\"sector\": \"2-optam\", \"pmt\": 40");
	char *b = strstr(cab, "\"sector\": \"1\", \"pmt\": 25");
	assert_non_null(a);
	assert_non_null(b);
	memcpy(a, "\"sector\": \"2\",      ", strlen("\"sector\": \"2\",      "));
	memcpy(b, "\"sector\": \"2\",", strlen("\"sector\": \"2\","));
	char *body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\", \"specialty\": "
			 "\"cardiologie\"}",
			 cab);
	mutu_api_response r = call("POST", "/api/contract", body);
	assert_error(&r, 422, "cabinet", "", "no pooled plan");
	mutu_api_response_free(&r);
	free(body);
	body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\", \"specialty\": "
		   "\"dentiste\"}",
		   cab);
	r = call("POST", "/api/contract", body);
	assert_error(&r, 400, "request", "/specialty", "unknown specialty");
	mutu_api_response_free(&r);
	free(body);
	free(cab);
}

/* scenarios/contracts/tilleuls-cumul.json breaks one rule, cumul at
 * /members/2/doctor (its .expected file): validate judges it (200, not
 * valid), simulate refuses it (422) with that finding as its error. */
static void a_contract_with_errors_is_judged_not_simulated(void **state)
{
	(void)state;
	char *ct = slurp("../scenarios/contracts/tilleuls-cumul.json");
	char *body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\", \"contract\": %s}",
			 cabinet_text, ct);
	mutu_api_response r = call("POST", "/api/validate", body);
	assert_int_equal(r.status, 200);
	cJSON *doc = cJSON_Parse(r.body);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(doc, "valid")));
	cJSON_Delete(doc);
	mutu_api_response_free(&r);
	r = call("POST", "/api/simulate", body);
	assert_error(&r, 422, "contract", "/members/2/doctor", "cumul");
	mutu_api_response_free(&r);
	free(body);
	free(ct);
}

/* ---------------- threads ---------------- */

static char *thread_body, *thread_want;

static void *solve_thread(void *arg)
{
	int *bad = arg;
	for (int i = 0; i < 5; i++) {
		mutu_api_response r;
		mutu_api_handle(api, "POST", "/api/solve", thread_body, strlen(thread_body), &r);
		if (r.status != 200 || !r.body || strcmp(r.body, thread_want) != 0)
			(*bad)++;
		mutu_api_response_free(&r);
	}
	mutu_solver_release();
	return NULL;
}

static void threads_share_one_api(void **state)
{
	(void)state;
	thread_body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\"}", cabinet_text);
	thread_want = cli_solve(RULES_DIR "/convention-2024.json", MUTU_GOAL_NET_BENEFIT, -1);
	pthread_t t[8];
	int bad[8] = {0};
	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, solve_thread, &bad[i]), 0);
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(bad[i], 0);
	}
	free(thread_body);
	free(thread_want);
}

/* The JSON string of `text` (quotes, backslashes, control characters
 * escaped), for building request bodies. */
static char *json_string(const char *text)
{
	cJSON *s = cJSON_CreateString(text);
	char *out = cJSON_PrintUnformatted(s);
	cJSON_Delete(s);
	assert_non_null(out);
	return out;
}

/* The CSV twin of msp-tilleuls: what the CSV loader and the cabinet
 * writer give when driven the way the CLI drives them. */
static void csv_parse_and_write_are_the_library_answers(void **state)
{
	(void)state;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_rules rules;
	mutu_cabinet cab;
	assert_int_equal(mutu_rules_load(&rules, RULES_DIR "/convention-2024.json", &errs),
			 MUTU_OK);
	assert_int_equal(mutu_cabinet_csv_load_one(&cab, &rules,
						   "../scenarios/cabinets/msp-tilleuls.csv", &errs),
			 MUTU_OK);
	char *want = mutu_cabinet_to_json(&cab, &rules);
	mutu_cabinet_free(&cab);
	char *csv = slurp("../scenarios/cabinets/msp-tilleuls.csv");
	char *q = json_string(csv);
	char *body = fmt("{\"csv\": %s, \"rules\": \"convention-2024.json\"}", q);
	mutu_api_response r = call("POST", "/api/csv/parse", body);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, strlen(want) + 1);
	assert_memory_equal(r.body, want, strlen(want));
	mutu_api_response_free(&r);
	free(body);
	free(q);
	free(csv);
	free(want);

	/* Written back: the header and one row per doctor, after a BOM. */
	assert_int_equal(mutu_cabinet_load(&cab, &rules, CABINET, &errs), MUTU_OK);
	want = mutu_cabinet_csv_write(&cab, &rules, true, ';');
	body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\"}", cabinet_text);
	r = call("POST", "/api/csv/write", body);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "text/csv; charset=utf-8");
	assert_memory_equal(r.body, MUTU_CSV_BOM, 3);
	assert_string_equal(r.body + 3, want);
	mutu_api_response_free(&r);
	free(body);
	free(want);
	want = mutu_cabinet_csv_write(&cab, &rules, true, ',');
	body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\", \"separator\": "
		   "\",\"}",
		   cabinet_text);
	r = call("POST", "/api/csv/write", body);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body + 3, want);
	mutu_api_response_free(&r);
	free(body);
	free(want);
	body = fmt("{\"cabinet\": %s, \"rules\": \"convention-2024.json\", \"separator\": "
		   "\"|\"}",
		   cabinet_text);
	r = call("POST", "/api/csv/write", body);
	assert_error(&r, 400, "request", "/separator", "");
	mutu_api_response_free(&r);
	free(body);
	mutu_cabinet_free(&cab);
	mutu_rules_free(&rules);

	/* An error names its line and column: the zone of row 2 (line 2,
	 * column 3). */
	r = call("POST", "/api/csv/parse",
		 "{\"csv\": \"cabinet;name;zone;contract_start;id;specialty;sector;pmt\\n"
		 "x;X;moon;2025-01-01;a;generaliste;1;900\\n\", \"rules\": "
		 "\"convention-2024.json\"}");
	assert_error(&r, 400, "cabinet.csv", "2:3", "");
	mutu_api_response_free(&r);
	r = call("POST", "/api/csv/parse", "{\"csv\": 3, \"rules\": \"convention-2024.json\"}");
	assert_error(&r, 400, "request", "/csv", "");
	mutu_api_response_free(&r);
}

static void create_fails_on_a_missing_directory(void **state)
{
	(void)state;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_api *other = (mutu_api *)1;
	assert_int_equal(mutu_api_create(&other, "no/such/dir", PAGE, &errs), MUTU_EIO);
	assert_null(other);
	assert_true(errs.count >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(page_is_served),
	    cmocka_unit_test(rules_lists_the_bundle),
	    cmocka_unit_test(solve_is_the_cli_answer),
	    cmocka_unit_test(rules_object_extends_a_bundled_file),
	    cmocka_unit_test(contract_validate_simulate_are_the_cli_answers),
	    cmocka_unit_test(malformed_json_is_400),
	    cmocka_unit_test(missing_fields_are_400),
	    cmocka_unit_test(wrong_types_name_their_path),
	    cmocka_unit_test(rules_outside_the_bundle_are_refused),
	    cmocka_unit_test(oversized_body_is_413),
	    cmocka_unit_test(unknown_path_and_wrong_method),
	    cmocka_unit_test(no_plan_means_no_contract),
	    cmocka_unit_test(a_contract_with_errors_is_judged_not_simulated),
	    cmocka_unit_test(csv_parse_and_write_are_the_library_answers),
	    cmocka_unit_test(threads_share_one_api),
	    cmocka_unit_test(create_fails_on_a_missing_directory),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

/* The HTTP API of mutu serve, one request at a time: see mutu/api.h.
 *
 * Every answer goes through the loaders and report writers the command
 * line uses, so a request answers exactly what `mutu solve --format json`
 * prints for the same cabinet and rules. */
#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jsonw.h"
#include "jsonx.h"
#include "mutu/analysis.h"
#include "mutu/api.h"
#include "mutu/cabinet.h"
#include "mutu/cabinet_csv.h"
#include "mutu/contract.h"
#include "mutu/rules.h"

#define MAX_BUNDLED 64

typedef struct bundled {
	char *file; /* relative to the rules directory: "variants/floor-half.json" */
	mutu_rules rules;
} bundled;

struct mutu_api {
	char *dir;
	char *base; /* "<dir>/request": what a rules object's extends is resolved against */
	const char *page;
	bundled files[MAX_BUNDLED];
	size_t nfiles;
	int time_limit_ms;
	char *rules_json; /* the answer of GET /api/rules */
	size_t rules_json_len;
};

/* ---------------- the bundled rules ---------------- */

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s/%s", a, b);
	return s;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int by_file(const void *a, const void *b)
{
	const bundled *x = a, *y = b;
	/* Regimes (top level) before variants (subdirectories). */
	bool xs = strchr(x->file, '/') != NULL, ys = strchr(y->file, '/') != NULL;
	if (xs != ys)
		return xs ? 1 : -1;
	return strcmp(x->file, y->file);
}

/* Appends the *.json regular files of `dir` (`prefix` + name), and with
 * `depth` > 0 those of its subdirectories. */
static int list_dir(mutu_api *api, const char *dir, const char *prefix, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return MUTU_EIO;
	int rc = MUTU_OK;
	struct dirent *e;
	while (rc == MUTU_OK && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *full = join(dir, e->d_name);
		char *rel = prefix[0] ? join(prefix, e->d_name) : strdup(e->d_name);
		struct stat st;
		if (!full || !rel) {
			rc = MUTU_ENOMEM;
		} else if (stat(full, &st) != 0) {
			/* a dangling link is not a rules file */
		} else if (S_ISDIR(st.st_mode) && depth > 0) {
			rc = list_dir(api, full, rel, depth - 1);
		} else if (S_ISREG(st.st_mode) && ends_with(e->d_name, ".json") &&
			   api->nfiles < MAX_BUNDLED) {
			api->files[api->nfiles++].file = rel;
			rel = NULL;
		}
		free(full);
		free(rel);
	}
	closedir(d);
	return rc;
}

/* "variants/../convention-2024.json" -> "convention-2024.json": the
 * bundled name an `extends` of file `file` designates, or NULL. */
static char *extends_name(const char *file, const char *ext)
{
	const char *slash = strrchr(file, '/');
	size_t dir = slash ? (size_t)(slash - file) : 0;
	while (strncmp(ext, "../", 3) == 0 && slash) {
		ext += 3;
		slash = NULL;
		dir = 0;
	}
	if (strncmp(ext, "../", 3) == 0 || ext[0] == '/')
		return NULL;
	size_t n = dir + strlen(ext) + 2;
	char *out = malloc(n);
	if (out)
		snprintf(out, n, "%.*s%s%s", (int)dir, file, dir ? "/" : "", ext);
	return out;
}

/* The bundled file named `name` exactly, or NULL: the only way a request
 * names a file. */
static const bundled *find_bundled(const mutu_api *api, const char *name)
{
	for (size_t i = 0; i < api->nfiles; i++)
		if (strcmp(api->files[i].file, name) == 0)
			return &api->files[i];
	return NULL;
}

/* One entry of GET /api/rules: what the form shows and needs to compose
 * a variant over another regime (its own members, without the chain). */
static jv *rules_entry(const mutu_api *api, const bundled *b, mutu_errors *errs)
{
	jv *o = mutu_jw__object();
	mutu_jw__add_string(o, "file", b->file);
	mutu_jw__add_string(o, "name", b->rules.name);
	mutu_jw__add_string(o, "description", b->rules.description);
	char *path = join(api->dir, b->file);
	jx x = {.file = b->file, .errs = errs};
	size_t len;
	char *text = path ? mutu_jx__read_file(&x, path, &len) : NULL;
	jv *doc = text ? mutu_jx__parse(&x, text, len) : NULL;
	const char *ext = mutu_jx__str(mutu_jx__member(doc, "extends"));
	char *base = ext ? extends_name(b->file, ext) : NULL;
	if (base)
		mutu_jw__add_string(o, "extends", base);
	else
		mutu_jw__add_null(o, "extends");
	free(base);
	/* A variant's own members, for the form to lay it over another regime;
	 * a regime (no extends) needs none. */
	jv *patch = doc && ext ? mutu_jx__dup(doc) : NULL;
	static const char *const own[] = {"name", "extends", "description", "provenance", NULL};
	for (size_t i = 0; patch && own[i]; i++)
		mutu_jx__remove(patch, own[i]);
	mutu_jw__add(o, "patch", patch ? patch : mutu_jw__object());
	jv *sp = mutu_jw__add_array(o, "specialties");
	for (size_t i = 0; i < b->rules.nspecialties; i++) {
		const mutu_specialty *s = &b->rules.specialties[i];
		jv *e = mutu_jw__push(sp, mutu_jw__object());
		mutu_jw__add_string(e, "name", s->name);
		mutu_jw__add_string(e, "metric", s->metric == MUTU_METRIC_PMT ? "pmt" : "fa");
		mutu_jw__add_bool(e, "excluded", s->excluded);
	}
	jv *op = mutu_jw__add_array(o, "options");
	for (size_t i = 0; i < b->rules.noptions; i++)
		mutu_jw__push(op, mutu_jw__string(b->rules.options[i].id));
	mutu_jx__free(doc);
	free(text);
	free(path);
	return o;
}

void mutu_api_free(mutu_api *api)
{
	if (!api)
		return;
	for (size_t i = 0; i < api->nfiles; i++) {
		free(api->files[i].file);
		mutu_rules_free(&api->files[i].rules);
	}
	free(api->rules_json);
	free(api->base);
	free(api->dir);
	free(api);
}

int mutu_api_create(mutu_api **out, const char *rules_dir, const char *page, mutu_errors *errs)
{
	*out = NULL;
	mutu_api *api = calloc(1, sizeof *api);
	if (!api)
		return MUTU_ENOMEM;
	api->page = page ? page : "";
	api->time_limit_ms = MUTU_API_TIME_LIMIT_MS;
	api->dir = strdup(rules_dir);
	api->base = join(rules_dir, "request");
	if (!api->dir || !api->base) {
		mutu_api_free(api);
		return MUTU_ENOMEM;
	}
	int rc = list_dir(api, rules_dir, "", 1);
	if (rc == MUTU_EIO || (rc == MUTU_OK && api->nfiles == 0)) {
		mutu_errors_add(errs, rules_dir, NULL,
				"no rules file can be read in this directory");
		rc = MUTU_EIO;
	}
	if (rc == MUTU_OK)
		qsort(api->files, api->nfiles, sizeof api->files[0], by_file);
	for (size_t i = 0; rc == MUTU_OK && i < api->nfiles; i++) {
		char *path = join(rules_dir, api->files[i].file);
		rc = path ? mutu_rules_load(&api->files[i].rules, path, errs) : MUTU_ENOMEM;
		free(path);
	}
	jv *root = mutu_jw__object();
	jv *arr = mutu_jw__add_array(root, "rules");
	for (size_t i = 0; rc == MUTU_OK && i < api->nfiles; i++)
		mutu_jw__push(arr, rules_entry(api, &api->files[i], errs));
	if (rc == MUTU_OK) {
		api->rules_json = mutu_jw__print(root, false, true);
		root = NULL;
		if (!api->rules_json)
			rc = MUTU_ENOMEM;
		else
			api->rules_json_len = strlen(api->rules_json);
	}
	mutu_jw__free(root);
	if (rc != MUTU_OK) {
		/* Rules that failed to load hold nothing; the later ones are zeroed. */
		mutu_api_free(api);
		return rc;
	}
	*out = api;
	return MUTU_OK;
}

void mutu_api_set_time_limit(mutu_api *api, int time_limit_ms)
{
	api->time_limit_ms = time_limit_ms < 0 ? 0 : time_limit_ms;
}

/* ---------------- answers ---------------- */

static const char JSON[] = "application/json; charset=utf-8";

static void answer(mutu_api_response *out, int status, const char *type, char *body)
{
	out->status = body ? status : 500;
	out->content_type = body ? type : JSON;
	out->body = body;
	out->len = body ? strlen(body) : 0;
}

/* {"error": {"file", "path", "message"}, "errors": [...]}: the first error
 * and all of them, each file named by what it is in the request. */
static void answer_errors(mutu_api_response *out, int status, const mutu_errors *errs,
			  const char *file)
{
	jv *root = mutu_jw__object();
	jv *arr = mutu_jw__array();
	for (size_t i = 0; i < errs->count; i++) {
		const mutu_error *e = &errs->items[i];
		jv *o = mutu_jw__push(arr, mutu_jw__object());
		mutu_jw__add_string(o, "file", file ? file : e->file);
		mutu_jw__add_string(o, "path", e->path);
		mutu_jw__add_string(o, "message", e->message);
	}
	if (errs->count == 0) {
		jv *o = mutu_jw__push(arr, mutu_jw__object());
		mutu_jw__add_string(o, "file", file ? file : "request");
		mutu_jw__add_string(o, "path", "");
		mutu_jw__add_string(o, "message", "invalid request");
	}
	jv *first = mutu_jx__dup(mutu_jx__child(arr));
	mutu_jw__add(root, "error", first ? first : mutu_jw__object());
	mutu_jw__add(root, "errors", arr);
	if (errs->dropped)
		mutu_jw__add_integer(root, "dropped", (long)errs->dropped);
	answer(out, status, JSON, mutu_jw__print(root, false, true));
}

static void answer_message(mutu_api_response *out, int status, const char *file, const char *path,
			   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void answer_message(mutu_api_response *out, int status, const char *file, const char *path,
			   const char *fmt, ...)
{
	mutu_errors *errs = malloc(sizeof *errs);
	if (!errs) {
		answer(out, 500, JSON, NULL);
		return;
	}
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	mutu_errors_clear(errs);
	mutu_errors_add(errs, file, path, "%s", msg);
	answer_errors(out, status, errs, NULL);
	free(errs);
}

/* ---------------- reading a request ---------------- */

typedef enum action { SOLVE = 0, CONTRACT, VALIDATE, SIMULATE, CSV_PARSE, CSV_WRITE } action;

/* What a request brings, loaded.  `rules` points to a bundled file or
 * to `own_rules`. */
typedef struct request {
	jv *doc;
	const mutu_rules *rules;
	mutu_rules own_rules;
	bool own;
	mutu_cabinet cab;
	mutu_contract ct;
	bool have_ct;
	mutu_analysis_options so; /* as mutu solve: the sharing rule, the coalitions */
	double achievement;
	const char *specialty;
	const char *csv;         /* CSV_PARSE: the text */
	char separator;          /* CSV_WRITE: ';' or ',' */
	const char *failed_file; /* which document the errors are about */
	mutu_errors errs;
} request;

static void request_free(request *r)
{
	if (r->have_ct)
		mutu_contract_free(&r->ct);
	mutu_cabinet_free(&r->cab);
	if (r->own)
		mutu_rules_free(&r->own_rules);
	mutu_jx__free(r->doc);
}

static int load_rules(request *r, const mutu_api *api, const jv *v)
{
	jx x = {.file = "request", .errs = &r->errs};
	r->failed_file = "request";
	if (mutu_jx__is_string(v)) {
		const bundled *b = find_bundled(api, mutu_jx__str(v));
		if (!b) {
			mutu_jx__error(
			    &x, "/rules",
			    "\"%s\" is not a bundled rules file (GET /api/rules lists them)",
			    mutu_jx__str(v));
			return MUTU_EINPUT;
		}
		r->rules = &b->rules;
		return MUTU_OK;
	}
	if (!mutu_jx__is_object(v)) {
		mutu_jx__error(&x, "/rules",
			       "must be a bundled rules file name or a rules object, got %s",
			       mutu_jx__type_name(v));
		return MUTU_EINPUT;
	}
	/* The extends is checked against the list before anything is read:
	 * no other file of the machine is ever opened for a request. */
	r->failed_file = "rules";
	jx y = {.file = "rules", .errs = &r->errs};
	const jv *ext = mutu_jx__member(v, "extends");
	if (!ext) {
		mutu_jx__error(&y, "/extends",
			       "missing: a rules object extends a bundled rules file");
		return MUTU_EINPUT;
	}
	if (!mutu_jx__is_string(ext) || !find_bundled(api, mutu_jx__str(ext))) {
		mutu_jx__error(&y, "/extends",
			       "must name a bundled rules file (GET /api/rules lists them)");
		return MUTU_EINPUT;
	}
	char *text = mutu_jx__text(v, true);
	if (!text)
		return MUTU_ENOMEM;
	int rc = mutu_rules_parse(&r->own_rules, text, strlen(text), api->base, &r->errs);
	free(text);
	if (rc != MUTU_OK)
		return rc == MUTU_EIO ? MUTU_EINPUT : rc;
	r->own = true;
	r->rules = &r->own_rules;
	return MUTU_OK;
}

/* The text of member `key` of the request, which must be an object (a
 * document of its own: cabinet, contract), for its loader; NULL with an
 * error recorded against the request when it is absent or no object, or
 * when out of memory (no error then).  The caller frees the text. */
static char *member_text(request *r, const char *key, const char *file, const jv **v)
{
	jx x = {.file = "request", .errs = &r->errs};
	r->failed_file = "request";
	char path[64];
	snprintf(path, sizeof path, "/%s", key);
	*v = mutu_jx__get(&x, r->doc, "", key, true);
	if (!*v)
		return NULL;
	if (!mutu_jx__is_object(*v)) {
		mutu_jx__error(&x, path, "must be a %s object, got %s", key,
			       mutu_jx__type_name(*v));
		return NULL;
	}
	r->failed_file = file;
	return mutu_jx__text(*v, true);
}

static const char *const goal_names[] = {"net_benefit", "patients", NULL};

/* Parses and loads the request's body for `act`.  Returns 0, MUTU_EINPUT
 * (errors in r->errs about r->failed_file) or MUTU_ENOMEM. */
static int read_request(request *r, const mutu_api *api, action act, const char *body, size_t len)
{
	static const char *const keys[][8] = {
	    [SOLVE] = {"cabinet", "rules", "goal", "sharing", NULL},
	    [CONTRACT] = {"cabinet", "rules", "goal", "sharing", "specialty", NULL},
	    [VALIDATE] = {"cabinet", "rules", "goal", "sharing", "contract", NULL},
	    [SIMULATE] = {"cabinet", "rules", "goal", "sharing", "contract", "achievement", NULL},
	    [CSV_PARSE] = {"csv", "rules", NULL},
	    [CSV_WRITE] = {"cabinet", "rules", "separator", NULL},
	};
	static const char *const separators[] = {";", ",", NULL};
	jx x = {.file = "request", .errs = &r->errs};
	r->failed_file = "request";
	r->achievement = 1;
	r->so.solve.time_limit_ms = api->time_limit_ms;
	r->so.coalitions = true;
	r->doc = mutu_jx__parse(&x, body ? body : "", body ? len : 0);
	if (!r->doc)
		return MUTU_EINPUT;
	if (!mutu_jx__object(&x, r->doc, "", keys[act])) {
		mutu_jx__error(&x, NULL, "must be a JSON object, got %s",
			       mutu_jx__type_name(r->doc));
		return MUTU_EINPUT;
	}
	int goal = 0, sharing = 0;
	mutu_jx__enum(&x, r->doc, "", "goal", false, goal_names, &goal);
	mutu_jx__enum(&x, r->doc, "", "sharing", false, mutu_sharing_names, &sharing);
	r->so.sharing = (mutu_sharing_rule)sharing;
	mutu_jx__number(&x, r->doc, "", "achievement", false, 0, 2, &r->achievement);
	mutu_jx__string(&x, r->doc, "", "specialty", false, &r->specialty);
	int sep = 0;
	mutu_jx__enum(&x, r->doc, "", "separator", false, separators, &sep);
	r->separator = sep ? ',' : ';';
	const jv *rules = mutu_jx__get(&x, r->doc, "", "rules", true);
	if (act == CSV_PARSE)
		mutu_jx__string(&x, r->doc, "", "csv", true, &r->csv);
	else
		mutu_jx__get(&x, r->doc, "", "cabinet", true);
	if (act == VALIDATE || act == SIMULATE)
		mutu_jx__get(&x, r->doc, "", "contract", true);
	if (x.failed)
		return MUTU_EINPUT;
	r->so.solve.goal = (mutu_goal)goal;
	int rc = load_rules(r, api, rules);
	if (rc != MUTU_OK || act == CSV_PARSE)
		return rc;
	const jv *v;
	char *text = member_text(r, "cabinet", "cabinet", &v);
	if (!text)
		return r->errs.count ? MUTU_EINPUT : MUTU_ENOMEM;
	rc = mutu_cabinet_parse(&r->cab, r->rules, text, strlen(text), "cabinet", &r->errs);
	free(text);
	if (rc != MUTU_OK || (act != VALIDATE && act != SIMULATE))
		return rc;
	if (!(text = member_text(r, "contract", "contract", &v)))
		return r->errs.count ? MUTU_EINPUT : MUTU_ENOMEM;
	rc = mutu_contract_parse(&r->ct, r->rules, &r->cab, text, strlen(text), "contract",
				 &r->errs);
	free(text);
	r->have_ct = rc == MUTU_OK;
	return rc;
}

/* ---------------- the actions ---------------- */

/* A solver failure in some group: 500 with each failed group's message. */
static void answer_solver_failure(mutu_api_response *out, const mutu_analysis *an,
				  mutu_errors *errs)
{
	mutu_errors_clear(errs);
	for (size_t g = 0; g < an->ngroups; g++)
		if (an->solutions[g].status == MUTU_GROUP_ERROR)
			mutu_errors_add(errs, "solver", "", "%s: %s",
					an->rules->specialties[an->groups[g].specialty].name,
					an->errors[g].message);
	answer_errors(out, 500, errs, NULL);
}

static void do_solve(request *r, action act, mutu_api_response *out)
{
	mutu_analysis an = {0};
	if (mutu_analysis_run_with(&an, r->rules, &r->cab, true, &r->so) != MUTU_OK) {
		answer(out, 500, JSON, NULL);
		return;
	}
	if (mutu_analysis_failed(&an)) {
		answer_solver_failure(out, &an, &r->errs);
	} else if (act == SOLVE) {
		answer(out, 200, JSON, mutu_report_solve(&an, MUTU_FORMAT_JSON, false));
	} else {
		long want = r->specialty ? mutu_rules_specialty(r->rules, r->specialty) : -1;
		size_t g = 0;
		for (; g < an.ngroups; g++)
			if (mutu_analysis_has_plan(&an, g) &&
			    (want < 0 || an.groups[g].specialty == (size_t)want))
				break;
		if (r->specialty && want < 0)
			answer_message(out, 400, "request", "/specialty",
				       "unknown specialty \"%s\"", r->specialty);
		else if (g == an.ngroups)
			answer_message(out, 422, "cabinet", "", "no pooled plan%s, so no contract",
				       r->specialty ? " for this specialty" : "");
		else
			answer(out, 200, JSON, mutu_report_contract(&an, g));
	}
	mutu_analysis_free(&an);
}

static void do_contract(request *r, action act, mutu_api_response *out)
{
	mutu_findings f = {0};
	if (mutu_contract_validate(&f, &r->ct, r->rules, &r->cab) != MUTU_OK) {
		answer(out, 500, JSON, NULL);
	} else if (act == VALIDATE) {
		answer(out, 200, JSON, mutu_report_findings(&r->ct, &f, MUTU_FORMAT_JSON));
	} else if (mutu_findings_errors(&f) > 0) {
		/* As the CLI: a contract with errors has no defined years. */
		mutu_errors_clear(&r->errs);
		for (size_t i = 0; i < f.count; i++)
			if (f.items[i].severity == MUTU_SEVERITY_ERROR)
				mutu_errors_add(&r->errs, "contract", f.items[i].path, "%s: %s",
						f.items[i].code, f.items[i].message);
		answer_errors(out, 422, &r->errs, NULL);
	} else {
		mutu_simulation sim = {0};
		int rc = mutu_contract_simulate(&sim, &r->ct, r->rules, &r->cab, r->achievement,
						NULL, &r->errs);
		if (rc == MUTU_EINPUT)
			answer_errors(out, 400, &r->errs, "request");
		else if (rc != MUTU_OK)
			answer(out, 500, JSON, NULL);
		else
			answer(out, 200, JSON,
			       mutu_report_simulation(&r->ct, &sim, r->rules, &r->cab,
						      MUTU_FORMAT_JSON));
		mutu_simulation_free(&sim);
	}
	mutu_findings_free(&f);
}

/* The CSV of a spreadsheet read into a cabinet (JSON, as the form holds
 * it), and the form's cabinet written as CSV (with the byte order mark a
 * spreadsheet needs to read it as UTF-8). */
static void do_csv(request *r, action act, mutu_api_response *out)
{
	if (act == CSV_WRITE) {
		char *csv = mutu_cabinet_csv_write(&r->cab, r->rules, true, r->separator);
		char *body = NULL;
		if (csv && (body = malloc(strlen(csv) + sizeof MUTU_CSV_BOM)))
			snprintf(body, strlen(csv) + sizeof MUTU_CSV_BOM, "%s%s", MUTU_CSV_BOM,
				 csv);
		free(csv);
		answer(out, 200, "text/csv; charset=utf-8", body);
		return;
	}
	mutu_cabinet cab;
	if (mutu_cabinet_csv_parse_one(&cab, r->rules, r->csv, strlen(r->csv), "cabinet.csv",
				       &r->errs) != MUTU_OK) {
		answer_errors(out, 400, &r->errs, "cabinet.csv");
		return;
	}
	char *json = mutu_cabinet_to_json(&cab, r->rules);
	char *body = NULL;
	if (json && (body = malloc(strlen(json) + 2)))
		snprintf(body, strlen(json) + 2, "%s\n", json);
	free(json);
	answer(out, 200, JSON, body);
	mutu_cabinet_free(&cab);
}

static void do_action(const mutu_api *api, action act, const char *body, size_t len,
		      mutu_api_response *out)
{
	request *r = calloc(1, sizeof *r);
	if (!r) {
		answer(out, 500, JSON, NULL);
		return;
	}
	mutu_errors_clear(&r->errs);
	int rc = read_request(r, api, act, body, len);
	if (rc == MUTU_EINPUT)
		answer_errors(out, 400, &r->errs, r->failed_file);
	else if (rc != MUTU_OK)
		answer(out, 500, JSON, NULL);
	else if (act == SOLVE || act == CONTRACT)
		do_solve(r, act, out);
	else if (act == CSV_PARSE || act == CSV_WRITE)
		do_csv(r, act, out);
	else
		do_contract(r, act, out);
	request_free(r);
	free(r);
}

/* ---------------- routing ---------------- */

static const struct route {
	const char *path;
	const char *method;
	int action; /* -1: GET / ; -2: GET /api/rules */
} routes[] = {
    {"/", "GET", -1},
    {"/api/rules", "GET", -2},
    {"/api/solve", "POST", SOLVE},
    {"/api/contract", "POST", CONTRACT},
    {"/api/validate", "POST", VALIDATE},
    {"/api/simulate", "POST", SIMULATE},
    {"/api/csv/parse", "POST", CSV_PARSE},
    {"/api/csv/write", "POST", CSV_WRITE},
};

int mutu_api_handle(const mutu_api *api, const char *method, const char *path, const char *body,
		    size_t len, mutu_api_response *out)
{
	memset(out, 0, sizeof *out);
	size_t plen = strcspn(path, "?");
	const struct route *rt = NULL;
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
		if (strlen(routes[i].path) == plen && strncmp(routes[i].path, path, plen) == 0)
			rt = &routes[i];
	if (!rt)
		answer_message(out, 404, "request", "", "no such address: %.*s",
			       (int)(plen > 200 ? 200 : plen), path);
	else if (strcmp(method, rt->method) != 0 &&
		 !(strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
		answer_message(out, 405, "request", "", "this address answers %s only", rt->method);
	else if (len > MUTU_API_MAX_BODY)
		answer_message(out, 413, "request", "", "request body over 1 MiB (%zu bytes)", len);
	else if (rt->action == -1)
		answer(out, 200, "text/html; charset=utf-8", strdup(api->page));
	else if (rt->action == -2)
		answer(out, 200, JSON, strdup(api->rules_json));
	else
		do_action(api, (action)rt->action, body, len, out);
	return out->body ? MUTU_OK : MUTU_ENOMEM;
}

void mutu_api_response_free(mutu_api_response *r)
{
	free(r->body);
	r->body = NULL;
	r->len = 0;
}

/* mutu: the HTTP API of `mutu serve` as a library function: one request
 * (method, path, body) in, one response (status, content type, body)
 * out, through the same loaders, solve and report writers as the command
 * line.  No network here: cmd_serve.c is the web server around it.
 *
 * Endpoints (bodies are JSON, answers what the CLI prints with
 * --format json):
 *   GET  /               the form page given to mutu_api_create
 *   GET  /api/rules      the bundled rules files: file, name, description
 *   POST /api/solve      {"cabinet": {...}, "rules": R, "goal"?, "sharing"?}
 *   POST /api/contract   the same; the draft contract of a group's plan
 *                        ("specialty"? chooses the group)
 *   POST /api/validate   the same plus "contract": {...}
 *   POST /api/simulate   the same plus "contract" and "achievement"? (0-2)
 *   POST /api/csv/parse  {"csv": "...", "rules": R}: the cabinet of a CSV
 *                        (scenarios/cabinets/CSV.md) as JSON; errors against
 *                        "cabinet.csv", path "LINE:COLUMN"
 *   POST /api/csv/write  {"cabinet": {...}, "rules": R, "separator"?: ";"
 *                        (default) or ","}: the cabinet as CSV (text/csv,
 *                        with a byte order mark)
 * R is a bundled rules file by name ("convention-2024.json",
 * "variants/floor-half.json") or a rules object whose "extends" names
 * one.  An input error is 400 with {"error": {"file", "path", "message"},
 * "errors": [...]}, "file" being "request", "cabinet", "rules" or
 * "contract" and "path" a JSON pointer into that document; a solver
 * failure 500; an unknown path 404; a wrong method 405; a body over
 * MUTU_API_MAX_BODY 413.
 *
 * Safe by construction: no file is read from a request other than the
 * bundled rules, which are listed once by mutu_api_create; a name or an
 * "extends" not in that list is refused before any parse.
 */
#ifndef MUTU_API_H
#define MUTU_API_H

#include <stddef.h>

#include "mutu/error.h"

/* Request bodies are refused beyond this size (413). */
#define MUTU_API_MAX_BODY (1024u * 1024u)

/* The solver's time limit per group for a request, milliseconds. */
#define MUTU_API_TIME_LIMIT_MS 5000

typedef struct mutu_api mutu_api;

typedef struct mutu_api_response {
	int status;               /* HTTP status */
	const char *content_type; /* static string */
	char *body;               /* owned: free with mutu_api_response_free */
	size_t len;
} mutu_api_response;

/* Lists and loads every rules file under `rules_dir` (*.json, and one
 * level of subdirectories), and keeps `page` (NUL-terminated, not
 * copied: it must outlive the api) for GET /.  Returns 0, MUTU_EIO when
 * the directory cannot be read or holds no rules file, MUTU_EINPUT when
 * a bundled file does not load (every error in `errs`), MUTU_ENOMEM.  On
 * failure `*out` is NULL. */
int mutu_api_create(mutu_api **out, const char *rules_dir, const char *page, mutu_errors *errs);

/* NULL is fine. */
void mutu_api_free(mutu_api *api);

/* The solver's time limit per group (default MUTU_API_TIME_LIMIT_MS; 0:
 * none), for callers that must answer faster (the fuzz harness). */
void mutu_api_set_time_limit(mutu_api *api, int time_limit_ms);

/* Answers one request; `path` may carry a query string ("?format=json"),
 * which is ignored.  `body` holds `len` bytes, not necessarily
 * NUL-terminated (NULL when `len` is 0); when `len` is over
 * MUTU_API_MAX_BODY the body is not read (it may be NULL) and the answer
 * is 413.  Safe to call from several
 * threads at once on one api.  Always fills `*out` with an answer;
 * returns 0, or MUTU_ENOMEM when even the answer could not be built
 * (then `*out` is a 500 with a NULL body). */
int mutu_api_handle(const mutu_api *api, const char *method, const char *path, const char *body,
		    size_t len, mutu_api_response *out);

/* Frees the body of a response; a zeroed response is fine. */
void mutu_api_response_free(mutu_api_response *r);

#endif

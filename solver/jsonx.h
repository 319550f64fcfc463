/* Strict reading of JSON documents with cJSON: every accessor checks the
 * type and range of a value and, on failure, records the file, the JSON
 * pointer of the value and what was expected.  Internal to the library.
 */
#ifndef MUTU_JSONX_H
#define MUTU_JSONX_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "mutu/error.h"

typedef struct jx {
	const char *file;
	mutu_errors *errs;
	bool failed; /* set by every error recorded through this context */
} jx;

/* A JSON pointer under construction. */
typedef struct jx_path {
	char s[256];
} jx_path;

/* Parses `text`; on failure records where it stopped.  The caller frees
 * the result with cJSON_Delete. */
cJSON *mutu_jx__parse(jx *x, const char *text, size_t len);

/* Reads a whole file ("-" is stdin) into a NUL-terminated buffer the
 * caller frees; NULL with an error recorded on failure. */
char *mutu_jx__read_file(jx *x, const char *path, size_t *len);

void mutu_jx__error(jx *x, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* child = parent + "/" + escaped key (or index). */
void mutu_jx__path_key(jx_path *child, const char *parent, const char *key);
void mutu_jx__path_index(jx_path *child, const char *parent, size_t index);

const char *mutu_jx__type_name(const cJSON *item);

/* Checks that `obj` is an object whose keys are all in the NULL-terminated
 * `known` list (NULL: any), without duplicates; suggests the nearest known
 * key.  Returns whether `obj` is an object at all: unknown keys are
 * recorded as errors but its known keys can still be read, so that every
 * error of a file is reported. */
bool mutu_jx__object(jx *x, const cJSON *obj, const char *path, const char *const *known);

/* Reports every duplicate key anywhere below `item` (merging would
 * silently keep one of them). */
void mutu_jx__duplicates(jx *x, const cJSON *item, const char *path);

/* Member `key` of `obj`, or NULL (recording "missing" when required). */
const cJSON *mutu_jx__get(jx *x, const cJSON *obj, const char *path, const char *key,
			  bool required);

/* Typed accessors for member `key` of object `obj` at `path`.  Absent and
 * not required: *out is left unchanged and true is returned.  */
bool mutu_jx__number(jx *x, const cJSON *obj, const char *path, const char *key, bool required,
		     double min, double max, double *out);
bool mutu_jx__integer(jx *x, const cJSON *obj, const char *path, const char *key, bool required,
		      long min, long max, long *out);
bool mutu_jx__bool(jx *x, const cJSON *obj, const char *path, const char *key, bool required,
		   bool *out);
/* *out is a pointer into the document. */
bool mutu_jx__string(jx *x, const cJSON *obj, const char *path, const char *key, bool required,
		     const char **out);
/* A string that must be one of `names`; *out gets its index. */
bool mutu_jx__enum(jx *x, const cJSON *obj, const char *path, const char *key, bool required,
		   const char *const *names, int *out);
/* An array of strings from `names`; *out gets bit (1 << index) for each. */
bool mutu_jx__enum_set(jx *x, const cJSON *obj, const char *path, const char *key, bool required,
		       const char *const *names, unsigned *out);

/* The same checks on a value itself (for array elements). */
bool mutu_jx__value_number(jx *x, const cJSON *item, const char *path, double min, double max,
			   double *out);

/* A date "YYYY-MM-DD" at member `key` (see jx_string for `required`). */
bool mutu_jx__date(jx *x, const cJSON *obj, const char *path, const char *key, bool required,
		   long *out);

/* The value at JSON pointer `ptr` (RFC 6901) in `doc`, or NULL. */
const cJSON *mutu_jx__pointer_get(const cJSON *doc, const char *ptr);

/* The known name nearest to `word` (edit distance), or NULL if none is
 * close. */
const char *mutu_jx__nearest(const char *word, const char *const *known);

/* RFC 7386 JSON Merge Patch: applies `patch` to `target` in place and
 * returns the new target (which may differ from `target`).  `patch` is
 * not modified.  NULL on allocation failure (target is then freed). */
cJSON *mutu_jx__merge_patch(cJSON *target, const cJSON *patch);

/* Rounds to `decimals` places for stable output. */
double mutu_jx__round(double v, int decimals);

#endif

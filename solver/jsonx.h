/* Strict reading of JSON documents with cJSON: every accessor checks the
 * type and range of a value and, on failure, records the file, the JSON
 * pointer of the value and what was expected.  Internal to the library.
 */
#ifndef MUTU_JSONX_H
#define MUTU_JSONX_H

#include <stdbool.h>
#include <stddef.h>

#include "mutu/error.h"

/* A JSON value of a parsed document (opaque outside jsonx.c and jsonw.c,
 * the two modules that hold cJSON). */
typedef struct cJSON jv;

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
jv *mutu_jx__parse(jx *x, const char *text, size_t len);

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

const char *mutu_jx__type_name(const jv *item);

/* Checks that `obj` is an object whose keys are all in the NULL-terminated
 * `known` list (NULL: any), without duplicates; suggests the nearest known
 * key.  Returns whether `obj` is an object at all: unknown keys are
 * recorded as errors but its known keys can still be read, so that every
 * error of a file is reported. */
bool mutu_jx__object(jx *x, const jv *obj, const char *path, const char *const *known);

/* For each of `n` names (NULLs never match), the index of the first
 * earlier equal name, or MUTU_JX_NONE: duplicates found in n log n.  The
 * caller frees the array; NULL when out of memory. */
#define MUTU_JX_NONE ((size_t)-1)
size_t *mutu_jx__first_of(const char *const *names, size_t n);

/* Reports every duplicate key anywhere below `item` (merging would
 * silently keep one of them). */
void mutu_jx__duplicates(jx *x, const jv *item, const char *path);

/* Member `key` of `obj`, or NULL (recording "missing" when required). */
const jv *mutu_jx__get(jx *x, const jv *obj, const char *path, const char *key, bool required);

/* Typed accessors for member `key` of object `obj` at `path`.  Absent and
 * not required: *out is left unchanged and true is returned.  */
bool mutu_jx__number(jx *x, const jv *obj, const char *path, const char *key, bool required,
		     double min, double max, double *out);
bool mutu_jx__integer(jx *x, const jv *obj, const char *path, const char *key, bool required,
		      long min, long max, long *out);
bool mutu_jx__bool(jx *x, const jv *obj, const char *path, const char *key, bool required,
		   bool *out);
/* *out is a pointer into the document. */
bool mutu_jx__string(jx *x, const jv *obj, const char *path, const char *key, bool required,
		     const char **out);
/* A string that must be one of `names`; *out gets its index. */
bool mutu_jx__enum(jx *x, const jv *obj, const char *path, const char *key, bool required,
		   const char *const *names, int *out);
/* An array of strings from `names`; *out gets bit (1 << index) for each. */
bool mutu_jx__enum_set(jx *x, const jv *obj, const char *path, const char *key, bool required,
		       const char *const *names, unsigned *out);

/* The same checks on a value itself (for array elements). */
bool mutu_jx__value_number(jx *x, const jv *item, const char *path, double min, double max,
			   double *out);

/* A date "YYYY-MM-DD" at member `key` (see jx_string for `required`). */
bool mutu_jx__date(jx *x, const jv *obj, const char *path, const char *key, bool required,
		   long *out);

/* The value at JSON pointer `ptr` (RFC 6901) in `doc`, or NULL. */
const jv *mutu_jx__pointer_get(const jv *doc, const char *ptr);

/* The known name nearest to `word` (edit distance), or NULL if none is
 * close. */
const char *mutu_jx__nearest(const char *word, const char *const *known);

/* RFC 7386 JSON Merge Patch: applies `patch` to `target` in place and
 * returns the new target (which may differ from `target`).  `patch` is
 * not modified.  NULL on allocation failure (target is then freed). */
jv *mutu_jx__merge_patch(jv *target, const jv *patch);

/* Reading parsed values.  Each accepts NULL and then answers false, 0
 * or NULL. */
bool mutu_jx__is_object(const jv *v);
bool mutu_jx__is_array(const jv *v);
bool mutu_jx__is_string(const jv *v);
bool mutu_jx__is_number(const jv *v);
/* Members of an object or elements of an array, in document order. */
const jv *mutu_jx__child(const jv *v);
const jv *mutu_jx__next(const jv *v);
/* Number of members or elements. */
size_t mutu_jx__size(const jv *v);
/* The key of an object member. */
const char *mutu_jx__key(const jv *v);
/* A string's text, or NULL when `v` is no string. */
const char *mutu_jx__str(const jv *v);
/* A number's value, or 0 when `v` is no number. */
double mutu_jx__num(const jv *v);
/* Member `key` of object `obj` (no error when absent), or NULL. */
const jv *mutu_jx__member(const jv *obj, const char *key);

/* A deep copy (NULL when out of memory), and the document as JSON text
 * (the caller frees it with free(); NULL when out of memory). */
jv *mutu_jx__dup(const jv *v);
char *mutu_jx__text(const jv *v, bool compact);

/* Removes member `key` of object `obj`, if any. */
void mutu_jx__remove(jv *obj, const char *key);

/* Replaces the value at JSON pointer `ptr` of `doc` (which must name a
 * value) by `json` parsed as JSON, or taken as a string when it is not
 * JSON.  Returns 0, MUTU_EINPUT when `ptr` names no value, MUTU_ENOMEM. */
int mutu_jx__replace(jv *doc, const char *ptr, const char *json);

/* Frees a parsed document (NULL is fine). */
void mutu_jx__free(jv *doc);

/* Rounds to `decimals` places for stable output. */
double mutu_jx__round(double v, int decimals);

#endif

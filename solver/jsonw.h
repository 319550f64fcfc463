/* Writing JSON: the one module (with jsonx.c for reading) that holds
 * cJSON.  Reports build a tree of values and print it; they never splice
 * JSON text.  Numbers are written unrounded, never as -0, and a number
 * that is not finite is written as null.  Internal to the library.
 *
 * Ownership: a value added to an object or an array belongs to it; the
 * root is freed with mutu_jw__free (NULL is fine).  The adders return the
 * new value and NULL when out of memory; a NULL container is accepted and
 * yields NULL.  A container that lost a member remembers it, and printing
 * such a tree fails: a report builds its whole tree and checks once.
 */
#ifndef MUTU_JSONW_H
#define MUTU_JSONW_H

#include <stdbool.h>
#include <stddef.h>

/* A JSON value (opaque; the same type as jsonx.h's). */
typedef struct cJSON jv;

jv *mutu_jw__object(void);
jv *mutu_jw__array(void);
jv *mutu_jw__number(double v);
/* A string value; NULL `s` gives null. */
jv *mutu_jw__string(const char *s);

/* Members of object `o`. */
jv *mutu_jw__add_string(jv *o, const char *key, const char *s);
jv *mutu_jw__add_number(jv *o, const char *key, double v);
jv *mutu_jw__add_bool(jv *o, const char *key, bool b);
jv *mutu_jw__add_null(jv *o, const char *key);
jv *mutu_jw__add_object(jv *o, const char *key);
jv *mutu_jw__add_array(jv *o, const char *key);
/* A whole number written as its digits (cJSON prints every number through
 * "%1.15g" and a round trip, which is slow on millions of counts). */
jv *mutu_jw__add_integer(jv *o, const char *key, long v);
/* Adds `item` (which `o` then owns; freed here when it cannot be added). */
jv *mutu_jw__add(jv *o, const char *key, jv *item);

/* Appends `item` to array `a` (same ownership as mutu_jw__add). */
jv *mutu_jw__push(jv *a, jv *item);

/* Prints `root` (pretty, or on one line when `compact`) followed by a
 * newline when `newline`, and frees it.  Returns a string the caller frees
 * with free(), or NULL when out of memory or when `root` is NULL. */
char *mutu_jw__print(jv *root, bool compact, bool newline);

/* Prints `root` on one line into `*buf` (of `*cap` bytes, grown as
 * needed and kept for the next call: the caller frees it), without
 * freeing `root`.  Returns the length, or -1 when out of memory. */
long mutu_jw__print_into(const jv *root, char **buf, size_t *cap);

void mutu_jw__free(jv *root);

#endif

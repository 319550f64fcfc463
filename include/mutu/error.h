/* mutu: error records.
 *
 * Every function that can fail on bad input appends to a caller-supplied
 * mutu_errors list: the file, the JSON pointer of the offending value and
 * one lowercase line saying what was expected.  There is no global error
 * state.  Copyright and licence: see COPYING (GPL-3.0-or-later).
 */
#ifndef MUTU_ERROR_H
#define MUTU_ERROR_H

#include <stddef.h>

/* Return codes of library functions: 0 ok, negative on failure. */
enum {
	MUTU_OK = 0,
	MUTU_EINPUT = -1,  /* bad input; details in the error list */
	MUTU_ENOMEM = -2,  /* out of memory */
	MUTU_EIO = -3,     /* a file could not be read or written */
	MUTU_ESOLVER = -4, /* the optimiser failed (not: no solution) */
};

/* Errors kept per list; further ones are counted in `dropped`. */
#define MUTU_ERRORS_MAX 50

typedef struct mutu_error {
	char file[256];
	char path[256];    /* JSON pointer, "" for the whole document, or "LINE:COLUMN" */
	char message[384]; /* one lowercase line */
} mutu_error;

typedef struct mutu_errors {
	mutu_error items[MUTU_ERRORS_MAX];
	size_t count;
	size_t dropped;
} mutu_errors;

/* Empties the list. */
void mutu_errors_clear(mutu_errors *errs);

/* Appends one error; `path` may be NULL.  Never fails: past the limit the
 * error is only counted. */
void mutu_errors_add(mutu_errors *errs, const char *file, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Formats error `i` as "file: /path: message" (or "file:LINE:COLUMN:
 * message") into `buf`. */
void mutu_error_format(const mutu_error *err, char *buf, size_t size);

#endif

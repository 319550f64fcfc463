/* Error records: see include/mutu/error.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mutu/error.h"

void mutu_errors_clear(mutu_errors *errs)
{
	errs->count = 0;
	errs->dropped = 0;
}

void mutu_errors_add(mutu_errors *errs, const char *file, const char *path, const char *fmt, ...)
{
	if (errs->count >= MUTU_ERRORS_MAX) {
		errs->dropped++;
		return;
	}
	mutu_error *e = &errs->items[errs->count++];
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	snprintf(e->path, sizeof e->path, "%s", path ? path : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
}

/* A JSON pointer (empty or starting with '/') follows the file after
 * ": "; a text position "LINE:COLUMN" (CSV) is glued to it with ':', as
 * compilers print positions: "cab.csv:3:8: message". */
void mutu_error_format(const mutu_error *err, char *buf, size_t size)
{
	if (err->path[0] && err->path[0] != '/')
		snprintf(buf, size, "%s:%s: %s", err->file, err->path, err->message);
	else if (err->path[0])
		snprintf(buf, size, "%s: %s: %s", err->file, err->path, err->message);
	else
		snprintf(buf, size, "%s: %s", err->file, err->message);
}

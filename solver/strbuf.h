/* A growing string for the text and CSV reports.  Internal. */
#ifndef MUTU_STRBUF_H
#define MUTU_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct strbuf {
	char *s;
	size_t len, cap;
	bool failed; /* an allocation failed: the content is incomplete */
} strbuf;

void mutu_sb__printf(strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Hands the string over (NULL if an allocation failed) and resets b. */
char *mutu_sb__take(strbuf *b);

/* Appends `s` as one CSV field (quoted when needed). */
void mutu_sb__csv(strbuf *b, const char *s);

#endif

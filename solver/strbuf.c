/* A growing string: see strbuf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

void mutu_sb__printf(strbuf *b, const char *fmt, ...)
{
	if (b->failed)
		return;
	for (;;) {
		size_t room = b->cap - b->len;
		va_list ap;
		va_start(ap, fmt);
		int n = b->s ? vsnprintf(b->s + b->len, room, fmt, ap) : -2;
		va_end(ap);
		if (n == -1) {
			b->failed = true;
			return;
		}
		if (n >= 0 && (size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t want = b->cap ? b->cap * 2 : 1024;
		while (n >= 0 && want < b->len + (size_t)n + 1)
			want *= 2;
		char *s = realloc(b->s, want);
		if (!s) {
			b->failed = true;
			return;
		}
		b->s = s;
		b->cap = want;
	}
}

char *mutu_sb__take(strbuf *b)
{
	char *s = b->failed ? NULL : b->s;
	if (b->failed)
		free(b->s);
	if (s == NULL && !b->failed) {
		s = malloc(1);
		if (s)
			s[0] = '\0';
	}
	b->s = NULL;
	b->len = b->cap = 0;
	b->failed = false;
	return s;
}

void mutu_sb__csv(strbuf *b, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		mutu_sb__printf(b, "%s", s);
		return;
	}
	mutu_sb__printf(b, "\"");
	for (const char *c = s; *c; c++)
		mutu_sb__printf(b, *c == '"' ? "\"\"" : "%c", *c);
	mutu_sb__printf(b, "\"");
}

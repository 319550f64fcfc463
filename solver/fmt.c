/* Numbers and text for people: see fmt.h for the conventions. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

#define NBSP "\xc2\xa0"            /* U+00A0 NO-BREAK SPACE */
#define NNBSP "\xe2\x80\xaf"       /* U+202F NARROW NO-BREAK SPACE */
#define EURO "\xe2\x82\xac"        /* U+20AC EURO SIGN */
#define ELLIPSIS "\xe2\x80\xa6"    /* U+2026 HORIZONTAL ELLIPSIS */
#define EM_DASH "\xe2\x80\x94"     /* U+2014 EM DASH */
#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD REPLACEMENT CHARACTER */

/* The most digits a double can need (DBL_MAX has 309) with the shift of a
 * percentage and nine decimals, plus separators of three bytes each. */
#define NUMBER_MAX 1400

/* Writes into digits[] round(a * 10^scale) as a decimal integer without
 * leading zeros ("0" for zero), rounding half away from zero on the
 * 15-significant-digit decimal reading of a: the digits a person would
 * write for the double, so 1.005 rounds like the text "1.005".  a is finite
 * and non-negative.  Returns the number of digits. */
static size_t scaled_digits(double a, int scale, char *digits)
{
	char sci[40];
	snprintf(sci, sizeof sci, "%.14e", a); /* d.dddddddddddddde+XX */
	char m[15];
	m[0] = sci[0];
	memcpy(m + 1, sci + 2, 14);
	long e = strtol(sci + 17, NULL, 10);
	/* a = 0.m * 10^(e+1); the integer part of a * 10^scale has q digits. */
	long q = e + 1 + scale;
	size_t n = 0;
	int round_digit = 0;
	if (q >= 15) {
		memcpy(digits, m, 15);
		n = 15;
		for (long i = 15; i < q; i++)
			digits[n++] = '0';
	} else if (q >= 0) {
		memcpy(digits, m, (size_t)q);
		n = (size_t)q;
		round_digit = m[q] - '0';
	}
	if (round_digit >= 5) {
		size_t i = n;
		while (i > 0 && digits[i - 1] == '9')
			digits[--i] = '0';
		if (i > 0) {
			digits[i - 1]++;
		} else {
			memmove(digits + 1, digits, n);
			digits[0] = '1';
			n++;
		}
	}
	size_t lead = 0;
	while (lead + 1 < n && digits[lead] == '0')
		lead++;
	if (n == 0) {
		digits[0] = '0';
		return 1;
	}
	memmove(digits, digits + lead, n - lead);
	return n - lead;
}

/* Formats into text[NUMBER_MAX]; returns the length. */
static size_t format_number(char *text, double v, int decimals, unsigned flags, mutu_lang lang)
{
	if (!isfinite(v))
		return (size_t)snprintf(text, NUMBER_MAX, "%s", EM_DASH);
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	unsigned unit = flags & MUTU_FMT_UNIT_MASK;
	bool fr = lang != MUTU_LANG_EN;
	char digits[400];
	size_t nd = scaled_digits(fabs(v), decimals + (unit == MUTU_FMT_PERCENT ? 2 : 0), digits);
	bool zero = nd == 1 && digits[0] == '0';

	/* Integer part: the digits before the last `decimals`, or "0". */
	size_t nfrac = (size_t)decimals;
	size_t nint = nd > nfrac ? nd - nfrac : 0;
	size_t len = 0;
	if (!zero && v < 0)
		text[len++] = '-';
	else if (!zero && (flags & MUTU_FMT_PLUS))
		text[len++] = '+';
	if (unit == MUTU_FMT_MONEY && !fr)
		len += (size_t)sprintf(text + len, "%s", EURO);
	if (nint == 0)
		text[len++] = '0';
	for (size_t i = 0; i < nint; i++) {
		if (i > 0 && (nint - i) % 3 == 0)
			len += (size_t)sprintf(text + len, "%s", fr ? NNBSP : ",");
		text[len++] = digits[i];
	}
	if (nfrac > 0) {
		text[len++] = fr ? ',' : '.';
		for (size_t i = nfrac; i > nd; i--)
			text[len++] = '0';
		for (size_t i = nint; i < nd; i++)
			text[len++] = digits[i];
	}
	if (unit == MUTU_FMT_MONEY && fr)
		len += (size_t)sprintf(text + len, "%s%s", NBSP, EURO);
	else if (unit == MUTU_FMT_PERCENT)
		len += (size_t)sprintf(text + len, "%s%%", fr ? NBSP : "");
	text[len] = '\0';
	return len;
}

/* Copies text[len] into out[size] whole, or "" when it does not fit. */
static int deliver(char *out, size_t size, const char *text, size_t len)
{
	if (out && size > len)
		memcpy(out, text, len + 1);
	else if (out && size > 0)
		out[0] = '\0';
	return (int)len;
}

int mutu_fmt__number(char *out, size_t size, double v, int decimals, unsigned flags, mutu_lang lang)
{
	char text[NUMBER_MAX];
	size_t len = format_number(text, v, decimals, flags, lang);
	return deliver(out, size, text, len);
}

int mutu_fmt__money(char *out, size_t size, double euros, int decimals, mutu_lang lang)
{
	return mutu_fmt__number(out, size, euros, decimals, MUTU_FMT_MONEY, lang);
}

int mutu_fmt__integer(char *out, size_t size, double v, mutu_lang lang)
{
	return mutu_fmt__number(out, size, v, 0, MUTU_FMT_PLAIN, lang);
}

int mutu_fmt__decimal(char *out, size_t size, double v, int decimals, mutu_lang lang)
{
	return mutu_fmt__number(out, size, v, decimals, MUTU_FMT_PLAIN, lang);
}

int mutu_fmt__percent(char *out, size_t size, double fraction, int decimals, mutu_lang lang)
{
	return mutu_fmt__number(out, size, fraction, decimals, MUTU_FMT_PERCENT, lang);
}

const char *mutu_fmt__exact(char *out, size_t size, double v)
{
	for (int p = 15; p <= 17; p++) {
		snprintf(out, size, "%.*g", p, v);
		if (strtod(out, NULL) == v)
			break;
	}
	for (char *c = out; *c; c++)
		if (!(*c >= '0' && *c <= '9') && *c != '-' && *c != '+' && *c != 'e')
			*c = '.';
	return out;
}

void mutu_fmt__sb_number(strbuf *b, double v, int decimals, unsigned flags, mutu_lang lang)
{
	char text[NUMBER_MAX];
	format_number(text, v, decimals, flags, lang);
	mutu_sb__printf(b, "%s", text);
}

size_t mutu_fmt__utf8_decode(const char *s, size_t len, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned c = u[0];
	size_t n;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2, c &= 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3, c &= 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		goto invalid;
	}
	if (len < n)
		goto invalid;
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			goto invalid;
		c = c << 6 | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto invalid;
	*cp = c;
	return n;
invalid:
	*cp = 0xfffd;
	return 1;
}

typedef struct range {
	unsigned lo, hi;
} range;

/* Nonspacing and enclosing marks that combine with Latin, Greek and
 * Cyrillic letters, and the invisible formatting characters. */
static const range zero_width[] = {
    {0x0300, 0x036f}, /* combining diacritical marks (Latin, Greek) */
    {0x0483, 0x0489}, /* Cyrillic combining marks */
    {0x1ab0, 0x1aff}, /* combining diacritical marks extended */
    {0x1dc0, 0x1dff}, /* combining diacritical marks supplement */
    {0x200b, 0x200f}, /* zero-width space, joiners, direction marks */
    {0x202a, 0x202e}, /* bidirectional embeddings */
    {0x2060, 0x2064}, /* word joiner, invisible operators */
    {0x20d0, 0x20ff}, /* combining marks for symbols */
    {0xfe00, 0xfe0f}, /* variation selectors */
    {0xfe20, 0xfe2f}, /* combining half marks */
    {0xfeff, 0xfeff}, /* zero-width no-break space (BOM) */
};

/* East Asian Wide and Fullwidth blocks (after Markus Kuhn's wcwidth) and
 * the emoji blocks terminals draw in two columns. */
static const range wide[] = {
    {0x1100, 0x115f},   {0x231a, 0x231b},   {0x2329, 0x232a},   {0x2e80, 0x303e},
    {0x3041, 0x33ff},   {0x3400, 0x4dbf},   {0x4e00, 0x9fff},   {0xa000, 0xa4cf},
    {0xa960, 0xa97f},   {0xac00, 0xd7a3},   {0xf900, 0xfaff},   {0xfe10, 0xfe19},
    {0xfe30, 0xfe6f},   {0xff00, 0xff60},   {0xffe0, 0xffe6},   {0x1f300, 0x1f64f},
    {0x1f900, 0x1f9ff}, {0x20000, 0x2fffd}, {0x30000, 0x3fffd},
};

static bool in(const range *r, size_t n, unsigned cp)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= r[i].lo && cp <= r[i].hi)
			return true;
	return false;
}

int mutu_fmt__cp_width(unsigned cp)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return 0;
	if (cp < 0x300)
		return 1;
	if (in(zero_width, sizeof zero_width / sizeof *zero_width, cp))
		return 0;
	if (in(wide, sizeof wide / sizeof *wide, cp))
		return 2;
	return 1;
}

/* The next character of s[0..len) with the zero-width characters that
 * follow it (its combining marks): returns its length in bytes, its width
 * in *w and its first code point in *first. */
static size_t cluster(const char *s, size_t len, size_t *w, unsigned *first)
{
	size_t n = mutu_fmt__utf8_decode(s, len, first);
	*w = (size_t)mutu_fmt__cp_width(*first);
	while (n < len) {
		unsigned cp;
		size_t k = mutu_fmt__utf8_decode(s + n, len - n, &cp);
		if (mutu_fmt__cp_width(cp) != 0 || cp < 0x20)
			break;
		n += k;
	}
	return n;
}

size_t mutu_fmt__width(const char *s)
{
	size_t len = strlen(s), w = 0;
	for (size_t i = 0; i < len;) {
		unsigned cp;
		i += mutu_fmt__utf8_decode(s + i, len - i, &cp);
		w += (size_t)mutu_fmt__cp_width(cp);
	}
	return w;
}

static void spaces(strbuf *b, size_t n)
{
	mutu_sb__printf(b, "%*s", (int)n, "");
}

void mutu_fmt__sb_pad(strbuf *b, const char *s, size_t width, mutu_align align)
{
	size_t w = mutu_fmt__width(s);
	size_t pad = w < width ? width - w : 0;
	if (align == MUTU_ALIGN_RIGHT)
		spaces(b, pad);
	mutu_sb__printf(b, "%s", s);
	if (align != MUTU_ALIGN_RIGHT)
		spaces(b, pad);
}

/* How much of s to keep to show it in `width` columns: returns the bytes
 * to keep, sets *ellipsis when "…" must follow them and *w to the columns
 * taken, the ellipsis included. */
static size_t cut_point(const char *s, size_t width, bool *ellipsis, size_t *w)
{
	size_t total = mutu_fmt__width(s), len = strlen(s);
	*ellipsis = false;
	if (total <= width) {
		*w = total;
		return len;
	}
	*w = 0;
	if (width == 0)
		return 0;
	size_t keep = 0, used = 0;
	while (keep < len) {
		size_t cw;
		unsigned cp;
		size_t n = cluster(s + keep, len - keep, &cw, &cp);
		if (used + cw > width - 1)
			break;
		used += cw;
		keep += n;
	}
	*ellipsis = true;
	*w = used + 1;
	return keep;
}

int mutu_fmt__cut(char *out, size_t size, const char *s, size_t width)
{
	bool ellipsis;
	size_t w;
	size_t keep = cut_point(s, width, &ellipsis, &w);
	size_t len = keep + (ellipsis ? strlen(ELLIPSIS) : 0);
	if (out && size > len) {
		memcpy(out, s, keep);
		if (ellipsis)
			memcpy(out + keep, ELLIPSIS, strlen(ELLIPSIS));
		out[len] = '\0';
	} else if (out && size > 0) {
		out[0] = '\0';
	}
	return (int)len;
}

void mutu_fmt__sb_cut(strbuf *b, const char *s, size_t width)
{
	bool ellipsis;
	size_t w;
	size_t keep = cut_point(s, width, &ellipsis, &w);
	mutu_sb__printf(b, "%.*s%s", (int)keep, s, ellipsis ? ELLIPSIS : "");
}

void mutu_fmt__sb_cell(strbuf *b, const char *s, size_t width, mutu_align align)
{
	bool ellipsis;
	size_t w;
	size_t keep = cut_point(s, width, &ellipsis, &w);
	size_t pad = w < width ? width - w : 0;
	if (align == MUTU_ALIGN_RIGHT)
		spaces(b, pad);
	mutu_sb__printf(b, "%.*s%s", (int)keep, s, ellipsis ? ELLIPSIS : "");
	if (align != MUTU_ALIGN_RIGHT)
		spaces(b, pad);
}

static void add_line(mutu_fmt_span *lines, size_t max, size_t *count, const char *s, size_t off,
		     size_t end)
{
	while (end > off && s[end - 1] == ' ')
		end--;
	if (*count < max) {
		lines[*count].off = off;
		lines[*count].len = end - off;
	}
	(*count)++;
}

size_t mutu_fmt__wrap(const char *s, size_t width, mutu_fmt_span *lines, size_t max)
{
	size_t len = strlen(s), count = 0, pos = 0;
	bool after_newline = true; /* the text starts a line */
	if (width == 0)
		width = 1;
	for (;;) {
		while (pos < len && s[pos] == ' ')
			pos++;
		if (pos == len && !after_newline)
			break;
		size_t start = pos, used = 0, brk = 0;
		after_newline = false;
		for (;;) {
			if (pos == len) {
				add_line(lines, max, &count, s, start, pos);
				return count;
			}
			if (s[pos] == '\n') {
				add_line(lines, max, &count, s, start, pos);
				pos++;
				after_newline = true;
				break;
			}
			size_t cw;
			unsigned cp;
			size_t n = cluster(s + pos, len - pos, &cw, &cp);
			if (s[pos] == ' ')
				brk = pos;
			if (used + cw > width) {
				if (s[pos] == ' ') {
					add_line(lines, max, &count, s, start, pos);
				} else if (brk > start) {
					add_line(lines, max, &count, s, start, brk);
					pos = brk;
				} else {
					/* A word wider than the line: split it, taking at
					 * least one character so the loop advances. */
					if (pos == start)
						pos += n;
					add_line(lines, max, &count, s, start, pos);
				}
				break;
			}
			used += cw;
			pos += n;
		}
	}
	return count;
}

void mutu_fmt__sb_wrap(strbuf *b, const char *s, size_t width, const char *indent)
{
	size_t n = mutu_fmt__wrap(s, width, NULL, 0);
	mutu_fmt_span *lines = malloc(n * sizeof *lines);
	if (!lines) {
		b->failed = true;
		return;
	}
	mutu_fmt__wrap(s, width, lines, n);
	for (size_t i = 0; i < n; i++)
		mutu_sb__printf(b, "%s%s%.*s", i ? "\n" : "", i && indent ? indent : "",
				(int)lines[i].len, s + lines[i].off);
	free(lines);
}

void mutu_fmt__sb_xml(strbuf *b, const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t n = mutu_fmt__utf8_decode(s + i, len - i, &cp);
		const char *rep = NULL;
		switch (cp) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&apos;";
			break;
		case 0xfffe:
		case 0xffff:
		case 0xfffd:
			rep = REPLACEMENT;
			break;
		default:
			if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
				rep = REPLACEMENT;
		}
		if (rep)
			mutu_sb__printf(b, "%s", rep);
		else
			mutu_sb__printf(b, "%.*s", (int)n, s + i);
		i += n;
	}
}

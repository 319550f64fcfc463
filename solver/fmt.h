/* Numbers and text for people: French or English number formatting, and
 * UTF-8 display width (padding, cutting, wrapping) for the text and HTML
 * reports.  JSON and CSV stay locale-free and never come through here.
 * Internal to the library.
 *
 * French (the default, MUTU_LANG_FR = 0):
 *   thousands   U+202F NARROW NO-BREAK SPACE: the typographic norm
 *               (Imprimerie nationale's "espace fine insécable"), what CLDR
 *               and browsers' Intl produce for fr since 2018, and narrower,
 *               so columns of amounts stay compact; it never breaks a line.
 *   units       U+00A0 NO-BREAK SPACE between the number and "€" or "%":
 *               one rule for both units, and the amount never wraps away
 *               from its unit.
 *   decimal     ","                       114 000 €   -2 500 €   1 234,5   28,2 %
 * English (MUTU_LANG_EN), as CLDR's en-IE / en-GB write euros:
 *   thousands ",", decimal ".", "€" before the amount (after the sign),
 *   "%" glued to the number:  €114,000   -€2,500   1,234.5   28.2%
 * Both: ASCII "-" for negative values (what a spreadsheet reads back when
 * the text is pasted), never "-0"; rounding half away from zero, on the
 * decimal value a person reads (1.005 is 1.01 to two places, although the
 * double nearest 1.005 lies a hair below it); a non-finite value prints as
 * "—" (U+2014), never "nan" or "inf".
 */
#ifndef MUTU_FMT_H
#define MUTU_FMT_H

#include <stddef.h>

#include "mutu/i18n.h" /* mutu_lang */
#include "strbuf.h"

/* Flags of mutu_fmt__number: at most one unit, optionally MUTU_FMT_PLUS. */
enum {
	MUTU_FMT_PLAIN = 0,   /* a number: 1 234,5 */
	MUTU_FMT_MONEY = 1,   /* euros: 114 000 € */
	MUTU_FMT_PERCENT = 2, /* a fraction shown in percent: 0.282 -> 28,2 % */
	MUTU_FMT_UNIT_MASK = 3,
	MUTU_FMT_PLUS = 8, /* "+" before a value that rounds above zero (gains) */
};

/* Writes `v` rounded to `decimals` places (clamped to 0..9) with the
 * separators and unit of `lang` into out[size], NUL-terminated.  Returns the
 * length of the whole text (without the NUL), like snprintf; a return >= size
 * means it did not fit, and out then holds "" (a number cut short would be a
 * wrong number).  out may be NULL when size is 0. */
int mutu_fmt__number(char *out, size_t size, double v, int decimals, unsigned flags,
		     mutu_lang lang);

/* mutu_fmt__number with a unit fixed: euros, a whole number, a decimal
 * number, a fraction in percent (0.282 -> "28,2 %").  Same returns. */
int mutu_fmt__money(char *out, size_t size, double euros, int decimals, mutu_lang lang);
int mutu_fmt__integer(char *out, size_t size, double v, mutu_lang lang);
int mutu_fmt__decimal(char *out, size_t size, double v, int decimals, mutu_lang lang);
int mutu_fmt__percent(char *out, size_t size, double fraction, int decimals, mutu_lang lang);

/* The shortest of %.15g, %.16g, %.17g that reads back as v, with the
 * decimal point written "." whatever the locale, into out[size] (40 bytes
 * hold any double).  Returns out. */
const char *mutu_fmt__exact(char *out, size_t size, double v);

/* Appends what mutu_fmt__number writes to b (b->failed on allocation
 * failure, as every strbuf append). */
void mutu_fmt__sb_number(strbuf *b, double v, int decimals, unsigned flags, mutu_lang lang);

/* Decodes one UTF-8 character at s[0..len) into *cp and returns its length
 * in bytes (1..4).  An invalid, overlong, surrogate or truncated sequence
 * consumes one byte and gives U+FFFD.  len must be at least 1. */
size_t mutu_fmt__utf8_decode(const char *s, size_t len, unsigned *cp);

/* Columns a code point takes in a terminal: 0 for combining marks (Latin,
 * Greek, Cyrillic and the generic blocks), zero-width formatting characters
 * and controls; 2 for East Asian wide and fullwidth characters and emoji;
 * 1 for everything else. */
int mutu_fmt__cp_width(unsigned cp);

/* Display width of a NUL-terminated UTF-8 string; an invalid byte counts
 * as one replacement character (one column). */
size_t mutu_fmt__width(const char *s);

typedef enum mutu_align {
	MUTU_ALIGN_LEFT = 0,
	MUTU_ALIGN_RIGHT = 1,
} mutu_align;

/* Appends s to b with spaces up to `width` columns (after s when left
 * aligned, before it when right aligned).  s wider than width is appended
 * whole: padding never cuts (mutu_fmt__sb_cell does). */
void mutu_fmt__sb_pad(strbuf *b, const char *s, size_t width, mutu_align align);

/* Writes s into out[size] cut to at most `width` columns: unchanged when it
 * fits, else as many whole characters as leave one column for "…", never
 * splitting a UTF-8 sequence nor a base from its combining marks.  Invalid
 * bytes are copied unchanged.  Returns the length of the whole cut text;
 * a return >= size means it did not fit and out holds "". */
int mutu_fmt__cut(char *out, size_t size, const char *s, size_t width);

/* Appends s cut to `width` columns as mutu_fmt__cut does. */
void mutu_fmt__sb_cut(strbuf *b, const char *s, size_t width);

/* Appends s cut and padded to exactly `width` columns: one table cell.
 * (A wide character that does not fit leaves one column of padding.) */
void mutu_fmt__sb_cell(strbuf *b, const char *s, size_t width, mutu_align align);

/* One line of a wrapped text: s[off .. off+len). */
typedef struct mutu_fmt_span {
	size_t off, len;
} mutu_fmt_span;

/* Splits s into lines of at most `width` columns (width 0 is taken as 1),
 * breaking at spaces (which are dropped at the break) and at '\n'; a word
 * wider than the width is split between characters, keeping combining marks
 * with their base, so no text is lost.  Writes the first `max` lines into
 * lines[] (lines may be NULL when max is 0) and returns how many there are:
 * at least 1 (an empty text is one empty line). */
size_t mutu_fmt__wrap(const char *s, size_t width, mutu_fmt_span *lines, size_t max);

/* Appends s wrapped to `width` columns, the lines joined by "\n" followed by
 * `indent` (NULL for none); no newline after the last line. */
void mutu_fmt__sb_wrap(strbuf *b, const char *s, size_t width, const char *indent);

/* Appends s escaped for XML and HTML text and attribute values (& < > " '),
 * with invalid UTF-8 and the control characters XML 1.0 forbids replaced by
 * U+FFFD, so the result is always well-formed. */
void mutu_fmt__sb_xml(strbuf *b, const char *s);

#endif

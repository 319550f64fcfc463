/* Translation inside the library: the _() and N_() markers that xgettext
 * collects into po/mutu.pot, plurals, the report language of the calling
 * thread, and the readable names of bands.  Internal to the library.
 *
 * A report function sets the language of its thread on entry and puts it
 * back on return:
 *     mutu_lang old = mutu_i18n__use(opts->lang);
 *     ... mutu_sb__printf(b, _("%zu members"), n) ...
 *     mutu_i18n__use(old);
 * so that the helpers it calls translate with _() alone.  A thread that
 * never called mutu_i18n__use speaks French.
 */
#ifndef MUTU_I18N_INTERNAL_H
#define MUTU_I18N_INTERNAL_H

#include "mutu/i18n.h"
#include "mutu/rules.h"

/* The message in the thread's report language. */
#define _(msgid) mutu_i18n__gettext(msgid)
/* Marks a string for xgettext without translating it (static tables):
 * translate at use with _(). */
#define N_(msgid) msgid
/* Plural: `one` or `many` in English chosen by n, the French plural form
 * (nplurals=2; plural=(n > 1)) from the catalogue.  xgettext keyword
 * P_:1,2. */
#define P_(one, many, n) mutu_i18n__ngettext(one, many, (unsigned long)(n))

/* Sets the report language of the calling thread; returns the previous. */
mutu_lang mutu_i18n__use(mutu_lang lang);

/* The report language of the calling thread. */
mutu_lang mutu_i18n__current(void);

/* format_arg: a printf through _() is checked against the English text
 * (msgfmt --check holds the translation to the same conversions). */
#if defined(__GNUC__)
#define MUTU_FORMAT_ARG(i) __attribute__((format_arg(i)))
#else
#define MUTU_FORMAT_ARG(i)
#endif
const char *mutu_i18n__gettext(const char *msgid) MUTU_FORMAT_ARG(1);
const char *mutu_i18n__ngettext(const char *one, const char *many, unsigned long n)
    MUTU_FORMAT_ARG(1) MUTU_FORMAT_ARG(2);

/* A band for people: "sous P30", "P30–P50", ..., "P95 et plus" in French,
 * "below P30", "P30–P50", ..., "P95 and above" in English (U+2013 EN DASH
 * between the bounds), in the thread's language. */
const char *mutu_i18n__band(mutu_band band);

/* The same from a band's JSON name ("p30_p50"); the name itself when it is
 * no band name, "" for NULL. */
const char *mutu_i18n__band_key(const char *name);

/* A reason or a note of the analysis (written in English, as JSON and
 * CSV keep it) in the thread's language: its translation into out (size
 * bytes) and out, or `english` itself in English or when it is no known
 * sentence. */
const char *mutu_i18n__sentence(const char *english, char *out, size_t size);

#endif

/* mutu: the language of the reports people read (text and HTML).  JSON and
 * CSV are locale-free and never translated.
 *
 * The source strings are English; the French translation comes from the
 * gettext message catalogue of text domain "mutu" (po/fr.po, compiled to
 * LOCALEDIR/fr/LC_MESSAGES/mutu.mo).  French is the default: a report asked
 * for in French without a catalogue found comes out in English.  The
 * process's locale is never changed (printf keeps its "." decimal point):
 * translation looks up the catalogue under a locale object of its own
 * (LC_MESSAGES only), for the duration of each lookup.
 */
#ifndef MUTU_I18N_H
#define MUTU_I18N_H

#include <stdbool.h>

typedef enum mutu_lang {
	MUTU_LANG_FR = 0, /* zero-initialised options are French */
	MUTU_LANG_EN = 1,
} mutu_lang;

/* "fr" or "en" (as --lang takes them) into *out; false for anything else,
 * *out then unchanged. */
bool mutu_lang_parse(const char *name, mutu_lang *out);

/* "fr" or "en". */
const char *mutu_lang_code(mutu_lang lang);

/* The language the environment asks for: the first of LC_ALL, LC_MESSAGES
 * and LANG that is set and not empty decides; English when it names an
 * English locale ("en", "en_GB.UTF-8", ...), French otherwise ("C" and
 * "POSIX" say no preference, and the default is French). */
mutu_lang mutu_lang_from_env(void);

/* --lang when given (NULL: not given), else the environment's.  False when
 * `option` is neither "fr" nor "en" (*out then unchanged). */
bool mutu_lang_choose(const char *option, mutu_lang *out);

/* Binds the text domain to the first catalogue directory that holds the
 * French catalogue among: DIR/locale and DIR/../share/locale, where DIR is
 * the directory of `exe` (the running binary's path, NULL to skip), then
 * the installed MUTU_LOCALEDIR (PREFIX/share/locale at build time).  Also
 * sets LANGUAGE=fr in the environment, the one language the catalogues
 * hold, so that glibc finds them whether or not a French locale is
 * installed.  Call it once, before threads start.  Returns whether a
 * catalogue was found (false: French reports come out in English). */
bool mutu_i18n_init(const char *exe);

/* Binds the text domain to `dir` (holding fr/LC_MESSAGES/mutu.mo) as
 * mutu_i18n_init does, for tests and embedders.  Returns whether the
 * French catalogue is there. */
bool mutu_i18n_bind(const char *dir);

/* Frees the locale object of the translations (for leak checkers), after
 * the last report; translation falls back to English afterwards. */
void mutu_i18n_release(void);

/* The directory bound by the last successful init or bind, or NULL. */
const char *mutu_i18n_localedir(void);

/* `msgid` (an English source string) in `lang`: itself in English, the
 * catalogue's translation in French (itself when untranslated).  The
 * result is static or the catalogue's: never freed. */
const char *mutu_i18n_text(mutu_lang lang, const char *msgid)
#if defined(__GNUC__)
    __attribute__((format_arg(2)))
#endif
    ;

#endif

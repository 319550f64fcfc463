/* The language of the reports: see mutu/i18n.h and i18n.h.
 *
 * glibc's gettext picks the catalogue from the LC_MESSAGES locale of the
 * calling thread (then LANGUAGE).  Each lookup therefore switches the
 * thread, and only the thread, to a locale object whose LC_MESSAGES is
 * French (or C.UTF-8 when no French locale is installed: LANGUAGE=fr then
 * names the catalogue) and back: LC_NUMERIC is never touched, so printf
 * and the JSON writer keep their "." decimal point.
 */
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"

#define DOMAIN "mutu"

#ifndef MUTU_LOCALEDIR
#define MUTU_LOCALEDIR "/usr/local/share/locale"
#endif

static _Thread_local mutu_lang current = MUTU_LANG_FR;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static locale_t messages_fr = (locale_t)0; /* created once, never freed */
static char bound[PATH_MAX];

bool mutu_lang_parse(const char *name, mutu_lang *out)
{
	if (name && strcmp(name, "fr") == 0)
		*out = MUTU_LANG_FR;
	else if (name && strcmp(name, "en") == 0)
		*out = MUTU_LANG_EN;
	else
		return false;
	return true;
}

const char *mutu_lang_code(mutu_lang lang)
{
	return lang == MUTU_LANG_EN ? "en" : "fr";
}

mutu_lang mutu_lang_from_env(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (!v || !*v)
			continue;
		/* "en", "en_GB.UTF-8", "en@quot": the language part is "en". */
		bool en = strncmp(v, "en", 2) == 0 &&
			  (v[2] == '\0' || v[2] == '_' || v[2] == '.' || v[2] == '@');
		return en ? MUTU_LANG_EN : MUTU_LANG_FR;
	}
	return MUTU_LANG_FR;
}

bool mutu_lang_choose(const char *option, mutu_lang *out)
{
	if (option)
		return mutu_lang_parse(option, out);
	*out = mutu_lang_from_env();
	return true;
}

/* A locale whose LC_MESSAGES is not "C" (glibc ignores LANGUAGE under "C"),
 * French when one is installed.  Called under `lock`. */
static locale_t french_messages(void)
{
	static const char *const names[] = {"fr_FR.UTF-8", "fr_FR.utf8",  "fr_FR",
					    "fr_BE.UTF-8", "fr_CA.UTF-8", "fr_CH.UTF-8",
					    "fr.UTF-8",    "C.UTF-8",     "C.utf8"};
	if (messages_fr)
		return messages_fr;
	for (size_t i = 0; i < sizeof names / sizeof names[0] && !messages_fr; i++)
		messages_fr = newlocale(LC_MESSAGES_MASK, names[i], (locale_t)0);
	return messages_fr;
}

static bool has_catalogue(const char *dir)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof path, "%s/fr/LC_MESSAGES/" DOMAIN ".mo", dir);
	return n > 0 && (size_t)n < sizeof path && access(path, R_OK) == 0;
}

bool mutu_i18n_bind(const char *dir)
{
	if (!dir || !has_catalogue(dir) || strlen(dir) >= sizeof bound)
		return false;
	pthread_mutex_lock(&lock);
	bool ok = bindtextdomain(DOMAIN, dir) && bind_textdomain_codeset(DOMAIN, "UTF-8") &&
		  french_messages();
	if (ok)
		snprintf(bound, sizeof bound, "%s", dir);
	pthread_mutex_unlock(&lock);
	/* The one language of the catalogues, whatever LANGUAGE the user set:
	 * English never goes through gettext. */
	if (ok)
		setenv("LANGUAGE", "fr", 1);
	return ok;
}

void mutu_i18n_release(void)
{
	pthread_mutex_lock(&lock);
	if (messages_fr)
		freelocale(messages_fr);
	messages_fr = (locale_t)0;
	bound[0] = '\0';
	pthread_mutex_unlock(&lock);
}

const char *mutu_i18n_localedir(void)
{
	return bound[0] ? bound : NULL;
}

bool mutu_i18n_init(const char *exe)
{
	char dir[PATH_MAX], path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
	if (n > 0)
		dir[n] = '\0';
	else if (exe && strlen(exe) < sizeof dir)
		snprintf(dir, sizeof dir, "%s", exe);
	else
		dir[0] = '\0';
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		if (snprintf(path, sizeof path, "%s/locale", dir) < (int)sizeof path &&
		    mutu_i18n_bind(path))
			return true;
		if (snprintf(path, sizeof path, "%s/../share/locale", dir) < (int)sizeof path &&
		    mutu_i18n_bind(path))
			return true;
	}
	return mutu_i18n_bind(MUTU_LOCALEDIR);
}

mutu_lang mutu_i18n__use(mutu_lang lang)
{
	mutu_lang old = current;
	current = lang;
	return old;
}

mutu_lang mutu_i18n__current(void)
{
	return current;
}

/* messages_fr is set once under the lock before `bound`, and never
 * changes after: reading it without the lock after a bind is safe
 * because bind happens before threads start (mutu_i18n_init's contract). */
const char *mutu_i18n__gettext(const char *msgid)
{
	if (current == MUTU_LANG_EN || !messages_fr || !msgid || !*msgid)
		return msgid;
	locale_t old = uselocale(messages_fr);
	const char *t = dgettext(DOMAIN, msgid);
	uselocale(old);
	return t;
}

const char *mutu_i18n__ngettext(const char *one, const char *many, unsigned long n)
{
	if (current == MUTU_LANG_EN || !messages_fr)
		return n == 1 ? one : many;
	locale_t old = uselocale(messages_fr);
	const char *t = dngettext(DOMAIN, one, many, n);
	uselocale(old);
	return t;
}

const char *mutu_i18n_text(mutu_lang lang, const char *msgid)
{
	mutu_lang old = mutu_i18n__use(lang);
	const char *t = mutu_i18n__gettext(msgid);
	mutu_i18n__use(old);
	return t;
}

/* Band names for people; translators give "sous P30" and "P95 et plus". */
static const char *const band_text[] = {N_("below P30"), N_("P30–P50"), N_("P50–P70"),
					N_("P70–P90"),   N_("P90–P95"), N_("P95 and above")};

const char *mutu_i18n__band(mutu_band band)
{
	return (unsigned)band < MUTU_NBANDS ? _(band_text[band]) : "?";
}

const char *mutu_i18n__band_key(const char *name)
{
	if (!name)
		return "";
	for (int b = 0; b < MUTU_NBANDS; b++)
		if (strcmp(name, mutu_band_name((mutu_band)b)) == 0)
			return mutu_i18n__band((mutu_band)b);
	return name;
}

/* ---- the sentences of the analysis ----------------------------------- */

/* The English sentences that individual.c, group.c and analysis.c write
 * into reasons and notes (JSON and CSV keep them in English), each as the
 * pattern it matches: %s stands for a value (a name, a date, a number, or
 * a sentence of its own, translated in turn), %% for a percent sign.  A
 * translation may put its values in another order with %1$s, %2$s. */
static const char *const sentences[] = {
    N_("not eligible: %s"),
    N_("specialty %s is excluded from the scheme"),
    N_("sector 1 is not an eligible sector"),
    N_("sector 2 with OPTAM is not an eligible sector"),
    N_("sector 2 without OPTAM is not an eligible sector"),
    N_("activity not above P30 (%s) and no exemption applies"),
    N_("did not volunteer for the pooled contract"),
    N_("declared on %s, after the contract start %s"),
    N_("individual assistant contract in force with no end date"),
    N_("individual forfait contract in force with no end date"),
    N_("individual assistant contract in force until %s"),
    N_("individual forfait contract in force until %s"),
    N_("pooled contracts are not enabled by the rules"),
    N_("%s member: a pooled contract needs at least %s"),
    N_("%s members: a pooled contract needs at least %s"),
    N_("%s members: a pooled contract allows at most %s"),
    N_("No individual contract: no option is allowed to this doctor."),
    N_("No individual contract: every option allowed to this doctor is over capacity."),
    N_("No individual contract: every option within this doctor's capacity has a net below "
       "zero."),
    N_("Aged %s (%s or more): owes the senior objective, %s %% growth."),
    N_("Newly installed: owes %s - P = %s - %s, that is %s new patients."),
    N_("Option %s is not allowed: it is not open in the ZIP zone."),
    N_("Option %s is not allowed: it is not open in the standard zone."),
    N_("Option %s is not allowed: it is open to %s only."),
    N_("Option %s is not allowed: it needs an assistant contract of option %s held for 1 "
       "year."),
    N_("Option %s is not allowed: it needs an assistant contract of option %s held for %s "
       "years."),
};

#define SENTENCE_VALUES 4

/* The next literal piece of pattern p (from *at): its text into lit
 * (%% read as %), *at past it and its %s, or at the end. */
static size_t next_literal(const char *p, size_t *at, char *lit, size_t size, bool *value)
{
	size_t n = 0;
	*value = false;
	while (p[*at]) {
		if (p[*at] == '%' && p[*at + 1] == '%') {
			if (n + 1 < size)
				lit[n++] = '%';
			*at += 2;
		} else if (p[*at] == '%' && p[*at + 1] == 's') {
			*at += 2;
			*value = true;
			break;
		} else {
			if (n + 1 < size)
				lit[n++] = p[*at];
			(*at)++;
		}
	}
	lit[n] = '\0';
	return n;
}

/* Whether `s` reads as pattern p, its values (at most SENTENCE_VALUES)
 * into v[k] = s + from[k], len[k] characters. */
static bool reads_as(const char *p, const char *s, size_t *from, size_t *len, size_t *nv)
{
	char lit[200];
	size_t at = 0, pos = 0, n = strlen(s);
	bool value;
	*nv = 0;
	size_t l = next_literal(p, &at, lit, sizeof lit, &value);
	if (strncmp(s, lit, l) != 0)
		return false;
	pos = l;
	while (value) {
		if (*nv == SENTENCE_VALUES)
			return false;
		l = next_literal(p, &at, lit, sizeof lit, &value);
		size_t end;
		if (!value) { /* the last piece ends the sentence */
			if (l > n - pos || strcmp(s + n - l, lit) != 0)
				return false;
			end = n - l;
		} else {
			const char *hit = l ? strstr(s + pos, lit) : NULL;
			if (!hit)
				return false;
			end = (size_t)(hit - s);
		}
		from[*nv] = pos;
		len[(*nv)++] = end - pos;
		pos = end + l;
	}
	return pos == n;
}

static void put(char *out, size_t size, size_t *n, const char *s, size_t len)
{
	for (size_t k = 0; k < len && *n + 1 < size; k++)
		out[(*n)++] = s[k];
}

static const char *sentence_at(const char *english, char *out, size_t size, int depth);

/* Translation t of a pattern with values v: %s in turn, %N$s by number,
 * %% a percent sign; each value translated when it is a sentence. */
static void fill_in(const char *t, const char *s, const size_t *from, const size_t *len, size_t nv,
		    char *out, size_t size, int depth)
{
	size_t n = 0, next = 0;
	for (size_t at = 0; t[at];) {
		size_t k = SENTENCE_VALUES;
		if (t[at] == '%' && t[at + 1] == '%') {
			put(out, size, &n, "%", 1);
			at += 2;
			continue;
		}
		if (t[at] == '%' && t[at + 1] == 's') {
			k = next++;
			at += 2;
		} else if (t[at] == '%' && t[at + 1] >= '1' && t[at + 1] <= '9' &&
			   t[at + 2] == '$' && t[at + 3] == 's') {
			k = (size_t)(t[at + 1] - '1');
			at += 4;
		} else {
			put(out, size, &n, t + at, 1);
			at++;
			continue;
		}
		if (k >= nv)
			continue;
		char value[300], done[300];
		size_t l = len[k] < sizeof value - 1 ? len[k] : sizeof value - 1;
		memcpy(value, s + from[k], l);
		value[l] = '\0';
		const char *v = sentence_at(value, done, sizeof done, depth + 1);
		put(out, size, &n, v, strlen(v));
	}
	if (size)
		out[n < size ? n : size - 1] = '\0';
}

static const char *sentence_at(const char *english, char *out, size_t size, int depth)
{
	if (!english || current == MUTU_LANG_EN || depth > 2 || size == 0)
		return english ? english : "";
	size_t from[SENTENCE_VALUES], len[SENTENCE_VALUES], nv;
	for (size_t k = 0; k < sizeof sentences / sizeof *sentences; k++)
		if (reads_as(sentences[k], english, from, len, &nv)) {
			fill_in(_(sentences[k]), english, from, len, nv, out, size, depth);
			return out;
		}
	return english;
}

const char *mutu_i18n__sentence(const char *english, char *out, size_t size)
{
	return sentence_at(english, out, size, 0);
}

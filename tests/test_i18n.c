/* The language of the reports: choosing it, binding the catalogue,
 * translating (with French plural forms) without touching the process's
 * locale, one language per thread.  Expected French is written by hand
 * from po/fr.po (U+2013 EN DASH is e2 80 93). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "mutu/contract.h"

#define NDASH "\xe2\x80\x93"

static void parse_takes_fr_and_en_only(void **state)
{
	(void)state;
	mutu_lang l = MUTU_LANG_EN;
	assert_true(mutu_lang_parse("fr", &l));
	assert_int_equal(l, MUTU_LANG_FR);
	assert_true(mutu_lang_parse("en", &l));
	assert_int_equal(l, MUTU_LANG_EN);
	const char *bad[] = {"FR", "de", "", "fr_FR", "english", NULL};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		l = MUTU_LANG_EN;
		assert_false(mutu_lang_parse(bad[i], &l));
		assert_int_equal(l, MUTU_LANG_EN); /* unchanged */
	}
	assert_string_equal(mutu_lang_code(MUTU_LANG_FR), "fr");
	assert_string_equal(mutu_lang_code(MUTU_LANG_EN), "en");
}

static mutu_lang env_lang(const char *all, const char *messages, const char *lang)
{
	const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	const char *values[] = {all, messages, lang};
	for (int i = 0; i < 3; i++)
		if (values[i])
			setenv(names[i], values[i], 1);
		else
			unsetenv(names[i]);
	return mutu_lang_from_env();
}

static void environment_says_english_or_gets_french(void **state)
{
	(void)state;
	assert_int_equal(env_lang(NULL, NULL, NULL), MUTU_LANG_FR);
	assert_int_equal(env_lang("C", NULL, NULL), MUTU_LANG_FR);
	assert_int_equal(env_lang(NULL, NULL, "POSIX"), MUTU_LANG_FR);
	assert_int_equal(env_lang(NULL, NULL, "de_DE.UTF-8"), MUTU_LANG_FR);
	assert_int_equal(env_lang(NULL, NULL, "en_GB.UTF-8"), MUTU_LANG_EN);
	assert_int_equal(env_lang(NULL, NULL, "en"), MUTU_LANG_EN);
	assert_int_equal(env_lang(NULL, NULL, "en@quot"), MUTU_LANG_EN);
	assert_int_equal(env_lang(NULL, NULL, "english"), MUTU_LANG_FR); /* not "en" + separator */
	/* The first set and non-empty of LC_ALL, LC_MESSAGES, LANG decides. */
	assert_int_equal(env_lang(NULL, "en_US.UTF-8", "fr_FR.UTF-8"), MUTU_LANG_EN);
	assert_int_equal(env_lang("fr_FR.UTF-8", "en_US.UTF-8", NULL), MUTU_LANG_FR);
	assert_int_equal(env_lang("", "", "en_US"), MUTU_LANG_EN);
	assert_int_equal(env_lang("C", NULL, "en_US"), MUTU_LANG_FR);
	/* --lang first. */
	mutu_lang l = MUTU_LANG_FR;
	assert_true(mutu_lang_choose("en", &l));
	assert_int_equal(l, MUTU_LANG_EN);
	assert_false(mutu_lang_choose("it", &l));
	assert_int_equal(l, MUTU_LANG_EN);
	env_lang(NULL, NULL, "en_IE.UTF-8");
	l = MUTU_LANG_FR;
	assert_true(mutu_lang_choose(NULL, &l));
	assert_int_equal(l, MUTU_LANG_EN);
	env_lang(NULL, NULL, NULL);
}

/* Runs first: before any catalogue is bound, French is the English text. */
static void unbound_french_is_the_source_text(void **state)
{
	(void)state;
	assert_null(mutu_i18n_localedir());
	assert_string_equal(mutu_i18n_text(MUTU_LANG_FR, "valid"), "valid");
	assert_false(mutu_i18n_bind("/nonexistent/locale"));
	assert_false(mutu_i18n_bind(NULL));
	assert_null(mutu_i18n_localedir());
}

static void bound_french_translates(void **state)
{
	(void)state;
	assert_true(mutu_i18n_bind(MUTU_TEST_LOCALEDIR));
	assert_string_equal(mutu_i18n_localedir(), MUTU_TEST_LOCALEDIR);
	assert_string_equal(mutu_i18n_text(MUTU_LANG_FR, "valid"), "valide");
	assert_string_equal(mutu_i18n_text(MUTU_LANG_FR, "warning"), "avertissement");
	/* English is the source string itself, never looked up. */
	const char *msgid = "valid";
	assert_ptr_equal(mutu_i18n_text(MUTU_LANG_EN, msgid), msgid);
	/* A string the catalogue does not hold comes back unchanged. */
	assert_string_equal(mutu_i18n_text(MUTU_LANG_FR, "no such message"), "no such message");
}

static void french_plural_is_singular_for_zero_and_one(void **state)
{
	(void)state;
	mutu_lang old = mutu_i18n__use(MUTU_LANG_FR);
	/* plural=(n > 1): 0 and 1 take the singular in French. */
	assert_string_equal(P_(", %zu error", ", %zu errors", 0), ", %zu erreur");
	assert_string_equal(P_(", %zu error", ", %zu errors", 1), ", %zu erreur");
	assert_string_equal(P_(", %zu error", ", %zu errors", 2), ", %zu erreurs");
	mutu_i18n__use(MUTU_LANG_EN);
	/* English: n == 1 alone is singular. */
	assert_string_equal(P_(", %zu error", ", %zu errors", 0), ", %zu errors");
	assert_string_equal(P_(", %zu error", ", %zu errors", 1), ", %zu error");
	mutu_i18n__use(old);
}

static void bands_read_as_people_write_them(void **state)
{
	(void)state;
	mutu_lang old = mutu_i18n__use(MUTU_LANG_FR);
	assert_string_equal(mutu_i18n__band(MUTU_B0), "sous P30");
	assert_string_equal(mutu_i18n__band(MUTU_B1), "P30" NDASH "P50");
	assert_string_equal(mutu_i18n__band(MUTU_B5), "P95 et plus");
	assert_string_equal(mutu_i18n__band_key("p70_p90"), "P70" NDASH "P90");
	assert_string_equal(mutu_i18n__band_key("below_p30"), "sous P30");
	assert_string_equal(mutu_i18n__band_key("p42"), "p42"); /* no band: as given */
	assert_string_equal(mutu_i18n__band_key(NULL), "");
	assert_string_equal(mutu_i18n__band((mutu_band)99), "?");
	mutu_i18n__use(MUTU_LANG_EN);
	assert_string_equal(mutu_i18n__band(MUTU_B0), "below P30");
	assert_string_equal(mutu_i18n__band(MUTU_B5), "P95 and above");
	mutu_i18n__use(old);
}

/* Translating never changes the process's locale: printf keeps "." under
 * a French LC_NUMERIC set by the program, and the C locale stays C. */
static void translation_leaves_the_locale_alone(void **state)
{
	(void)state;
	char before[256], buf[32];
	snprintf(before, sizeof before, "%s", setlocale(LC_ALL, NULL));
	assert_string_equal(mutu_i18n_text(MUTU_LANG_FR, "valid"), "valide");
	assert_string_equal(setlocale(LC_ALL, NULL), before);
	snprintf(buf, sizeof buf, "%.1f", 1.5);
	assert_string_equal(buf, "1.5");
	assert_string_equal(localeconv()->decimal_point, ".");
	/* With a French LC_NUMERIC (when the machine has one), translation
	 * still works and leaves LC_NUMERIC as the program set it. */
	if (setlocale(LC_NUMERIC, "fr_FR.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.utf8")) {
		char numeric[64];
		snprintf(numeric, sizeof numeric, "%s", setlocale(LC_NUMERIC, NULL));
		assert_string_equal(mutu_i18n_text(MUTU_LANG_FR, "error"), "erreur");
		assert_string_equal(setlocale(LC_NUMERIC, NULL), numeric);
		setlocale(LC_NUMERIC, "C");
	}
	assert_string_equal(setlocale(LC_MESSAGES, NULL), "C");
}

static void *english_thread(void *arg)
{
	mutu_lang *seen = arg;
	seen[0] = mutu_i18n__current(); /* a new thread speaks French */
	mutu_i18n__use(MUTU_LANG_EN);
	seen[1] = mutu_i18n__current();
	return NULL;
}

static void each_thread_has_its_language(void **state)
{
	(void)state;
	mutu_lang old = mutu_i18n__use(MUTU_LANG_FR);
	mutu_lang seen[2] = {MUTU_LANG_EN, MUTU_LANG_FR};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, english_thread, seen), 0);
	pthread_join(th, NULL);
	assert_int_equal(seen[0], MUTU_LANG_FR);
	assert_int_equal(seen[1], MUTU_LANG_EN);
	assert_int_equal(mutu_i18n__current(), MUTU_LANG_FR); /* ours unchanged */
	mutu_i18n__use(old);
}

/* The findings' text in both languages, columns padded by display width
 * ("avertissement" is 13 columns, "erreur" 6: 7 spaces of padding). */
static void findings_text_in_both_languages(void **state)
{
	(void)state;
	mutu_finding items[2] = {
	    {"size", MUTU_SEVERITY_ERROR, "/members", "1 member", "1 membre"},
	    {"capacity", MUTU_SEVERITY_WARNING, "/members/0/share", "too much", "trop"},
	};
	mutu_findings f = {items, 2, 2};
	mutu_contract ct;
	memset(&ct, 0, sizeof ct);
	ct.id = "ct-x";
	mutu_report_options fr = {MUTU_FORMAT_TEXT, MUTU_LANG_FR, false};
	mutu_report_options en = {MUTU_FORMAT_TEXT, MUTU_LANG_EN, false};
	char *t = mutu_report_findings_with(&ct, &f, &fr);
	assert_non_null(t);
	assert_string_equal(t, "ct-x: non valide, 1 erreur, 1 avertissement\n"
			       "  erreur         size      /members: 1 membre\n"
			       "  avertissement  capacity  /members/0/share: trop\n");
	free(t);
	t = mutu_report_findings_with(&ct, &f, &en);
	assert_non_null(t);
	assert_string_equal(t, "ct-x: not valid, 1 error, 1 warning\n"
			       "  error    size      /members: 1 member\n"
			       "  warning  capacity  /members/0/share: too much\n");
	free(t);
	/* JSON keeps the English message. */
	mutu_report_options js = {MUTU_FORMAT_JSON, MUTU_LANG_FR, false};
	t = mutu_report_findings_with(&ct, &f, &js);
	assert_non_null(t);
	assert_non_null(strstr(t, "\"message\":\t\"1 member\""));
	assert_null(strstr(t, "membre"));
	free(t);
	f.count = 0;
	t = mutu_report_findings_with(&ct, &f, &fr);
	assert_string_equal(t, "ct-x: valide, aucune constatation\n");
	free(t);
}

/* The reasons and notes of the analysis, written in English, read back
 * in French (expected text typed from po/fr.po; U+2212 MINUS SIGN is
 * e2 88 92). */
static void sentences_read_back_in_french(void **state)
{
	(void)state;
	assert_true(mutu_i18n_bind(MUTU_TEST_LOCALEDIR));
	mutu_lang old = mutu_i18n__use(MUTU_LANG_FR);
	static const char *const cases[][2] = {
	    {"did not volunteer for the pooled contract",
	     "n'est pas volontaire pour le contrat mutualisé"},
	    {"declared on 2025-01-15, after the contract start 2025-01-01",
	     "déclaré le 2025-01-15, après le début du contrat le 2025-01-01"},
	    /* a sentence inside a sentence */
	    {"not eligible: specialty radiologie is excluded from the scheme",
	     "non éligible : la spécialité radiologie est exclue du dispositif"},
	    {"not eligible: sector 2 without OPTAM is not an eligible sector",
	     "non éligible : le secteur 2 sans OPTAM n'est pas un secteur éligible"},
	    /* a percent sign */
	    {"Aged 66 (65 or more): owes the senior objective, 0 % growth.",
	     "66 ans (65 ou plus) : doit l'objectif senior, 0 % de hausse."},
	    /* four values */
	    {"Newly installed: owes P50 - P = 939 - 480, that is 459 new patients.",
	     "Nouvellement installé : doit P50 \xe2\x88\x92 P = 939 \xe2\x88\x92 480, soit 459 "
	     "nouveaux patients."},
	    /* singular and plural, one year and several */
	    {"1 member: a pooled contract needs at least 2",
	     "1 membre : un contrat mutualisé en demande au moins 2"},
	    {"3 members: a pooled contract needs at least 4",
	     "3 membres : un contrat mutualisé en demande au moins 4"},
	    {"Option a is not allowed: it needs an assistant contract of option full held for 1 "
	     "year.",
	     "Option a non autorisée : elle demande un contrat d'assistant de l'option full tenu "
	     "depuis 1 an."},
	    {"Option a is not allowed: it needs an assistant contract of option full held for 2 "
	     "years.",
	     "Option a non autorisée : elle demande un contrat d'assistant de l'option full tenu "
	     "depuis 2 ans."},
	    {"individual assistant contract in force until 2027-02-28",
	     "contrat individuel d'assistant en cours jusqu'au 2027-02-28"},
	    {"No individual contract: every option allowed to this doctor is over capacity.",
	     "Pas de contrat individuel : chaque option ouverte à ce médecin dépasse sa capacité."},
	};
	char out[200];
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
		assert_string_equal(mutu_i18n__sentence(cases[k][0], out, sizeof out), cases[k][1]);
	/* No known sentence, or one cut short: as given. */
	const char *unknown[] = {"the cabinet's own words", "declared on 2025-01-15",
				 "did not volunteer for the pooled contract!", ""};
	for (size_t k = 0; k < sizeof unknown / sizeof unknown[0]; k++)
		assert_ptr_equal(mutu_i18n__sentence(unknown[k], out, sizeof out), unknown[k]);
	/* A small buffer holds the start of the translation, terminated. */
	char small[8];
	assert_string_equal(
	    mutu_i18n__sentence("did not volunteer for the pooled contract", small, sizeof small),
	    "n'est p");
	/* English is the sentence itself. */
	mutu_i18n__use(MUTU_LANG_EN);
	const char *s = cases[1][0];
	assert_ptr_equal(mutu_i18n__sentence(s, out, sizeof out), s);
	mutu_i18n__use(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(unbound_french_is_the_source_text),
	    cmocka_unit_test(parse_takes_fr_and_en_only),
	    cmocka_unit_test(environment_says_english_or_gets_french),
	    cmocka_unit_test(bound_french_translates),
	    cmocka_unit_test(french_plural_is_singular_for_zero_and_one),
	    cmocka_unit_test(bands_read_as_people_write_them),
	    cmocka_unit_test(translation_leaves_the_locale_alone),
	    cmocka_unit_test(each_thread_has_its_language),
	    cmocka_unit_test(findings_text_in_both_languages),
	    cmocka_unit_test(sentences_read_back_in_french),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

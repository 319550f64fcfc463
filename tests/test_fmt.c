/* Numbers and text for people: every expectation below is written by hand,
 * byte for byte (U+202F is e2 80 af, U+00A0 c2 a0, € e2 82 ac, … e2 80 a6,
 * è c3 a8, É c3 89, combining grave cc 80, combining acute cc 81). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

#define NNBSP "\xe2\x80\xaf"
#define NBSP "\xc2\xa0"
#define EURO "\xe2\x82\xac"
#define ELLIPSIS "\xe2\x80\xa6"

/* Formats with mutu_fmt__number into a roomy buffer, checks that the
 * return is the length, and that the strbuf variant agrees. */
static void check_number(double v, int decimals, unsigned flags, mutu_lang lang, const char *want)
{
	char out[128];
	int n = mutu_fmt__number(out, sizeof out, v, decimals, flags, lang);
	assert_string_equal(out, want);
	assert_int_equal(n, (int)strlen(want));
	strbuf b = {0};
	mutu_fmt__sb_number(&b, v, decimals, flags, lang);
	char *s = mutu_sb__take(&b);
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void money_in_french_groups_thousands_with_narrow_no_break_spaces(void **state)
{
	(void)state;
	check_number(2676977000, 0, MUTU_FMT_MONEY, MUTU_LANG_FR,
		     "2" NNBSP "676" NNBSP "977" NNBSP "000" NBSP EURO);
	check_number(114000, 0, MUTU_FMT_MONEY, MUTU_LANG_FR, "114" NNBSP "000" NBSP EURO);
	check_number(-2500, 0, MUTU_FMT_MONEY, MUTU_LANG_FR, "-2" NNBSP "500" NBSP EURO);
	check_number(999, 0, MUTU_FMT_MONEY, MUTU_LANG_FR, "999" NBSP EURO);
	check_number(1000, 0, MUTU_FMT_MONEY, MUTU_LANG_FR, "1" NNBSP "000" NBSP EURO);
	check_number(1234.5, 2, MUTU_FMT_MONEY, MUTU_LANG_FR, "1" NNBSP "234,50" NBSP EURO);
	char out[64];
	mutu_fmt__money(out, sizeof out, 114000, 0, MUTU_LANG_FR);
	assert_string_equal(out, "114" NNBSP "000" NBSP EURO);
}

static void money_in_english_puts_the_euro_sign_first(void **state)
{
	(void)state;
	check_number(114000, 0, MUTU_FMT_MONEY, MUTU_LANG_EN, EURO "114,000");
	check_number(-2500, 0, MUTU_FMT_MONEY, MUTU_LANG_EN, "-" EURO "2,500");
	check_number(2676977000, 0, MUTU_FMT_MONEY, MUTU_LANG_EN, EURO "2,676,977,000");
	check_number(0.5, 2, MUTU_FMT_MONEY, MUTU_LANG_EN, EURO "0.50");
}

static void decimals_and_integers_use_the_language_separators(void **state)
{
	(void)state;
	check_number(1234.5, 1, MUTU_FMT_PLAIN, MUTU_LANG_FR, "1" NNBSP "234,5");
	check_number(1234.5, 1, MUTU_FMT_PLAIN, MUTU_LANG_EN, "1,234.5");
	check_number(-1234567.891, 2, MUTU_FMT_PLAIN, MUTU_LANG_EN, "-1,234,567.89");
	check_number(0.001, 2, MUTU_FMT_PLAIN, MUTU_LANG_FR, "0,00");
	check_number(0.07, 3, MUTU_FMT_PLAIN, MUTU_LANG_FR, "0,070");
	check_number(0, 0, MUTU_FMT_PLAIN, MUTU_LANG_FR, "0");
	char out[64];
	mutu_fmt__integer(out, sizeof out, 2676977.4, MUTU_LANG_FR);
	assert_string_equal(out, "2" NNBSP "676" NNBSP "977");
	mutu_fmt__decimal(out, sizeof out, 2.25, 1, MUTU_LANG_EN);
	assert_string_equal(out, "2.3");
	/* 1e15 and beyond keep every digit up to the double's 15 significant ones. */
	check_number(1e15, 0, MUTU_FMT_PLAIN, MUTU_LANG_EN, "1,000,000,000,000,000");
	check_number(1e20, 0, MUTU_FMT_PLAIN, MUTU_LANG_EN, "100,000,000,000,000,000,000");
}

static void percent_takes_a_fraction(void **state)
{
	(void)state;
	/* 0.282 -> 28.2: the shift by two places is done on the decimal digits,
	 * not by 0.282 * 100 = 28.199999999999996. */
	check_number(0.282, 1, MUTU_FMT_PERCENT, MUTU_LANG_FR, "28,2" NBSP "%");
	check_number(0.282, 1, MUTU_FMT_PERCENT, MUTU_LANG_EN, "28.2%");
	check_number(0.5, 0, MUTU_FMT_PERCENT, MUTU_LANG_FR, "50" NBSP "%");
	check_number(12.5, 0, MUTU_FMT_PERCENT, MUTU_LANG_FR, "1" NNBSP "250" NBSP "%");
	check_number(-0.0005, 1, MUTU_FMT_PERCENT, MUTU_LANG_EN, "-0.1%");
	char out[64];
	mutu_fmt__percent(out, sizeof out, 0.0125, 1, MUTU_LANG_FR);
	assert_string_equal(out, "1,3" NBSP "%"); /* 1.25 % -> half away: 1.3 */
}

static void rounding_is_half_away_from_zero(void **state)
{
	(void)state;
	check_number(2.5, 0, MUTU_FMT_PLAIN, MUTU_LANG_EN, "3");   /* printf gives 2 */
	check_number(-2.5, 0, MUTU_FMT_PLAIN, MUTU_LANG_EN, "-3"); /* printf gives -2 */
	check_number(0.5, 0, MUTU_FMT_PLAIN, MUTU_LANG_EN, "1");
	check_number(-0.5, 0, MUTU_FMT_PLAIN, MUTU_LANG_EN, "-1");
	check_number(0.125, 2, MUTU_FMT_PLAIN, MUTU_LANG_EN, "0.13");
	check_number(1.005, 2, MUTU_FMT_PLAIN, MUTU_LANG_EN, "1.01"); /* as the text reads */
	check_number(2.675, 2, MUTU_FMT_PLAIN, MUTU_LANG_EN, "2.68");
	check_number(1.0049, 2, MUTU_FMT_PLAIN, MUTU_LANG_EN, "1.00");
	check_number(0.1 + 0.2, 2, MUTU_FMT_PLAIN, MUTU_LANG_EN, "0.30");
	/* Carries run through the separators: 999 999.5 -> 1 000 000. */
	check_number(999999.5, 0, MUTU_FMT_MONEY, MUTU_LANG_FR,
		     "1" NNBSP "000" NNBSP "000" NBSP EURO);
	check_number(9.995, 2, MUTU_FMT_PLAIN, MUTU_LANG_FR, "10,00");
	check_number(0.96, 0, MUTU_FMT_PLAIN, MUTU_LANG_FR, "1");
	check_number(0.96, 1, MUTU_FMT_PLAIN, MUTU_LANG_FR, "1,0");
}

static void negative_values_that_round_to_zero_print_without_sign(void **state)
{
	(void)state;
	check_number(-0.4, 0, MUTU_FMT_MONEY, MUTU_LANG_FR, "0" NBSP EURO);
	check_number(-0.0, 0, MUTU_FMT_PLAIN, MUTU_LANG_EN, "0");
	check_number(-0.04, 1, MUTU_FMT_PLAIN, MUTU_LANG_FR, "0,0");
	check_number(-0.00004, 1, MUTU_FMT_PERCENT, MUTU_LANG_EN, "0.0%");
	check_number(-1e-300, 2, MUTU_FMT_PLAIN, MUTU_LANG_EN, "0.00");
}

static void plus_flag_signs_gains_but_not_zero(void **state)
{
	(void)state;
	check_number(2500, 0, MUTU_FMT_MONEY | MUTU_FMT_PLUS, MUTU_LANG_FR,
		     "+2" NNBSP "500" NBSP EURO);
	check_number(2500, 0, MUTU_FMT_MONEY | MUTU_FMT_PLUS, MUTU_LANG_EN, "+" EURO "2,500");
	check_number(0.031, 1, MUTU_FMT_PERCENT | MUTU_FMT_PLUS, MUTU_LANG_FR, "+3,1" NBSP "%");
	check_number(0.2, 0, MUTU_FMT_PLAIN | MUTU_FMT_PLUS, MUTU_LANG_FR, "0");
	check_number(-7, 0, MUTU_FMT_PLAIN | MUTU_FMT_PLUS, MUTU_LANG_FR, "-7");
}

static void non_finite_values_print_as_a_dash(void **state)
{
	(void)state;
	check_number(NAN, 0, MUTU_FMT_MONEY, MUTU_LANG_FR, "\xe2\x80\x94");
	check_number(INFINITY, 2, MUTU_FMT_PLAIN, MUTU_LANG_EN, "\xe2\x80\x94");
	check_number(-INFINITY, 1, MUTU_FMT_PERCENT, MUTU_LANG_FR, "\xe2\x80\x94");
	/* The largest double keeps its 309 digits rather than overflowing. */
	char out[512];
	int n = mutu_fmt__number(out, sizeof out, 1.7976931348623157e308, 0, 0, MUTU_LANG_EN);
	assert_int_equal(n, 309 + 102); /* 309 digits, 102 commas */
	assert_memory_equal(out, "179,769,313,486,232,000", 23);
}

static void decimals_are_clamped_to_nine(void **state)
{
	(void)state;
	check_number(1.5, -3, MUTU_FMT_PLAIN, MUTU_LANG_EN, "2");
	check_number(0.5, 20, MUTU_FMT_PLAIN, MUTU_LANG_EN, "0.500000000");
}

static void a_number_that_does_not_fit_is_reported_and_not_cut(void **state)
{
	(void)state;
	/* "114 000 €" is 3 + 3 + 3 + 2 + 3 = 14 bytes. */
	char out[14];
	memset(out, 'x', sizeof out);
	int n = mutu_fmt__money(out, sizeof out, 114000, 0, MUTU_LANG_FR);
	assert_int_equal(n, 14);
	assert_string_equal(out, "");
	char fits[15];
	assert_int_equal(mutu_fmt__money(fits, sizeof fits, 114000, 0, MUTU_LANG_FR), 14);
	assert_string_equal(fits, "114" NNBSP "000" NBSP EURO);
	assert_int_equal(mutu_fmt__money(NULL, 0, 114000, 0, MUTU_LANG_FR), 14);
}

static void width_counts_characters_not_bytes(void **state)
{
	(void)state;
	assert_int_equal(mutu_fmt__width("Dr Lef\xc3\xa8vre"), 10);  /* precomposed è */
	assert_int_equal(mutu_fmt__width("Dr Lefe\xcc\x80vre"), 10); /* e + U+0300 */
	assert_int_equal(strlen("Dr Lef\xc3\xa8vre"), 11);
	assert_int_equal(mutu_fmt__width(""), 0);
	assert_int_equal(mutu_fmt__width("114" NNBSP "000" NBSP EURO), 9);
	/* Cyrillic й decomposed (и U+0438 + breve U+0306), Greek ά with a
	 * combining acute (α U+03B1 + U+0301). */
	assert_int_equal(mutu_fmt__width("\xd0\xb8\xcc\x86"), 1);
	assert_int_equal(mutu_fmt__width("\xce\xb1\xcc\x81"), 1);
	/* Cyrillic titlo U+0483 over а (U+0430). */
	assert_int_equal(mutu_fmt__width("\xd0\xb0\xd2\x83"), 1);
}

static void east_asian_wide_characters_take_two_columns(void **state)
{
	(void)state;
	assert_int_equal(mutu_fmt__width("\xe6\x97\xa5\xe6\x9c\xac"), 4); /* 日本 */
	assert_int_equal(mutu_fmt__width("\xef\xbc\xa1"), 2);             /* fullwidth A */
	assert_int_equal(mutu_fmt__width("\xea\xb0\x80"), 2);             /* Hangul 가 */
	assert_int_equal(mutu_fmt__width("\xf0\x9f\x98\x80"), 2);         /* U+1F600 */
	assert_int_equal(mutu_fmt__width("\xef\xbd\xb1"), 1); /* halfwidth katakana ｱ */
}

static void invalid_bytes_count_as_one_replacement_character_each(void **state)
{
	(void)state;
	assert_int_equal(mutu_fmt__width("\xff\xfe"), 2);
	assert_int_equal(mutu_fmt__width("a\xc3"), 2);            /* truncated è */
	assert_int_equal(mutu_fmt__width("\xc0\xaf"), 2);         /* overlong "/" */
	assert_int_equal(mutu_fmt__width("\xed\xa0\x80"), 3);     /* a UTF-16 surrogate */
	assert_int_equal(mutu_fmt__width("\xf4\x90\x80\x80"), 4); /* above U+10FFFF */
	assert_int_equal(mutu_fmt__width("\xe2\x82z"), 3);        /* broken sequence + z */
	unsigned cp;
	assert_int_equal(mutu_fmt__utf8_decode("\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(mutu_fmt__utf8_decode("\xe2\x82\xac", 2, &cp), 1);
	assert_int_equal(cp, 0xfffd);
	assert_int_equal(mutu_fmt__utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
}

static void code_point_widths_follow_the_tables(void **state)
{
	(void)state;
	assert_int_equal(mutu_fmt__cp_width('a'), 1);
	assert_int_equal(mutu_fmt__cp_width('\t'), 0);
	assert_int_equal(mutu_fmt__cp_width(0x0300), 0);
	assert_int_equal(mutu_fmt__cp_width(0x036f), 0);
	assert_int_equal(mutu_fmt__cp_width(0x0370), 1);
	assert_int_equal(mutu_fmt__cp_width(0x200b), 0);
	assert_int_equal(mutu_fmt__cp_width(0x202f), 1);
	assert_int_equal(mutu_fmt__cp_width(0x4e00), 2);
	assert_int_equal(mutu_fmt__cp_width(0xfffd), 1);
}

static void cut_keeps_whole_characters_and_adds_an_ellipsis(void **state)
{
	(void)state;
	char out[64];
	/* "Établissement" is 13 columns: 5 of them and "…" make 6. */
	assert_int_equal(mutu_fmt__cut(out, sizeof out, "\xc3\x89tablissement", 6), 6 + 3);
	assert_string_equal(out, "\xc3\x89tabl" ELLIPSIS);
	mutu_fmt__cut(out, sizeof out, "\xc3\x89tablissement", 13);
	assert_string_equal(out, "\xc3\x89tablissement");
	mutu_fmt__cut(out, sizeof out, "\xc3\x89tablissement", 1);
	assert_string_equal(out, ELLIPSIS);
	mutu_fmt__cut(out, sizeof out, "\xc3\x89tablissement", 0);
	assert_string_equal(out, "");
	mutu_fmt__cut(out, sizeof out, "", 0);
	assert_string_equal(out, "");
}

static void cut_never_separates_a_combining_mark_from_its_base(void **state)
{
	(void)state;
	char out[64];
	/* E + U+0301 is one column: cut to 2 keeps it with its accent. */
	mutu_fmt__cut(out, sizeof out, "E\xcc\x81tablissement", 2);
	assert_string_equal(out, "E\xcc\x81" ELLIPSIS);
	/* "Dr Lefe\u0300vre" cut to 8: "Dr Lefè" (7 columns, 9 bytes) + "…". */
	mutu_fmt__cut(out, sizeof out, "Dr Lefe\xcc\x80vre", 8);
	assert_string_equal(out, "Dr Lefe\xcc\x80" ELLIPSIS);
	/* 日本語 (6 columns) to 4: 日 (2) + … (1); 本 would make 5. */
	mutu_fmt__cut(out, sizeof out, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4);
	assert_string_equal(out, "\xe6\x97\xa5" ELLIPSIS);
}

static void cut_that_does_not_fit_the_buffer_is_reported(void **state)
{
	(void)state;
	char out[9]; /* "Établ…" needs 9 bytes + NUL */
	assert_int_equal(mutu_fmt__cut(out, sizeof out, "\xc3\x89tablissement", 6), 9);
	assert_string_equal(out, "");
	assert_int_equal(mutu_fmt__cut(NULL, 0, "abc", 5), 3);
}

static char *take(strbuf *b)
{
	char *s = mutu_sb__take(b);
	assert_non_null(s);
	return s;
}

static void pad_aligns_by_display_width(void **state)
{
	(void)state;
	strbuf b = {0};
	mutu_fmt__sb_pad(&b, "Dr Lef\xc3\xa8vre", 12, MUTU_ALIGN_LEFT);
	mutu_sb__printf(&b, "|");
	mutu_fmt__sb_pad(&b, "Dr Lefe\xcc\x80vre", 12, MUTU_ALIGN_RIGHT);
	mutu_sb__printf(&b, "|");
	mutu_fmt__sb_pad(&b, "Dr Martin-Dupont", 5, MUTU_ALIGN_LEFT);
	char *s = take(&b);
	assert_string_equal(s, "Dr Lef\xc3\xa8vre  |  Dr Lefe\xcc\x80vre|Dr Martin-Dupont");
	free(s);
}

static void cell_cuts_and_pads_to_exactly_the_width(void **state)
{
	(void)state;
	strbuf b = {0};
	mutu_fmt__sb_cell(&b, "\xc3\x89tablissement", 6, MUTU_ALIGN_LEFT);
	mutu_sb__printf(&b, "|");
	mutu_fmt__sb_cell(&b, "Dr Lef\xc3\xa8vre", 12, MUTU_ALIGN_RIGHT);
	mutu_sb__printf(&b, "|");
	/* 日本語 in 4 columns: 日… is 3, one space of padding. */
	mutu_fmt__sb_cell(&b, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, MUTU_ALIGN_LEFT);
	mutu_sb__printf(&b, "|");
	mutu_fmt__sb_cut(&b, "Maison", 4);
	char *s = take(&b);
	assert_string_equal(s, "\xc3\x89tabl" ELLIPSIS "|  Dr Lef\xc3\xa8vre|\xe6\x97\xa5" ELLIPSIS
			       " |Mai" ELLIPSIS);
	free(s);
}

static void wrap_breaks_at_spaces(void **state)
{
	(void)state;
	const char *s = "Maison de sant\xc3\xa9 pluriprofessionnelle des Tilleuls";
	mutu_fmt_span l[8];
	/* "Maison de santé" is 15 columns, + " pluriprofessionnelle" would be 36;
	 * "pluriprofessionnelle" is exactly 20; "des Tilleuls" 12. */
	assert_int_equal(mutu_fmt__wrap(s, 20, l, 8), 3);
	assert_int_equal(l[0].off, 0);
	assert_int_equal(l[0].len, 16); /* 15 columns, é is two bytes */
	assert_int_equal(l[1].off, 17);
	assert_int_equal(l[1].len, 20);
	assert_int_equal(l[2].off, 38);
	assert_int_equal(l[2].len, 12);
	/* Only the count when there is no room. */
	assert_int_equal(mutu_fmt__wrap(s, 20, NULL, 0), 3);
	strbuf b = {0};
	mutu_fmt__sb_wrap(&b, s, 20, "  ");
	char *t = take(&b);
	assert_string_equal(t, "Maison de sant\xc3\xa9\n  pluriprofessionnelle\n  des Tilleuls");
	free(t);
}

static void wrap_splits_a_word_wider_than_the_line_and_loses_nothing(void **state)
{
	(void)state;
	strbuf b = {0};
	mutu_fmt__sb_wrap(&b, "E\xcc\x81tablissement", 5, NULL);
	char *t = take(&b);
	assert_string_equal(t, "E\xcc\x81tabl\nissem\nent");
	free(t);
	/* A wide character in a one-column line still advances. */
	mutu_fmt__sb_wrap(&b, "\xe6\x97\xa5\xe6\x9c\xac", 1, NULL);
	t = take(&b);
	assert_string_equal(t, "\xe6\x97\xa5\n\xe6\x9c\xac");
	free(t);
}

static void wrap_handles_empty_text_newlines_and_runs_of_spaces(void **state)
{
	(void)state;
	mutu_fmt_span l[8];
	assert_int_equal(mutu_fmt__wrap("", 10, l, 8), 1);
	assert_int_equal(l[0].len, 0);
	assert_int_equal(mutu_fmt__wrap("   ", 10, l, 8), 1);
	assert_int_equal(l[0].len, 0);
	strbuf b = {0};
	mutu_fmt__sb_wrap(&b, "  un  deux\ntrois   quatre   ", 8, NULL);
	char *t = take(&b);
	assert_string_equal(t, "un  deux\ntrois\nquatre");
	free(t);
	mutu_fmt__sb_wrap(&b, "a\n\nb", 0, NULL); /* width 0 is taken as 1 */
	t = take(&b);
	assert_string_equal(t, "a\n\nb");
	free(t);
}

static void xml_escaping_gives_well_formed_text(void **state)
{
	(void)state;
	strbuf b = {0};
	mutu_fmt__sb_xml(&b, "a<b & \"c\" 'd'> Lef\xc3\xa8vre\t\x01\xff");
	char *t = take(&b);
	assert_string_equal(t, "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt; Lef\xc3\xa8vre\t"
			       "\xef\xbf\xbd\xef\xbf\xbd");
	free(t);
}

/* A program that calls setlocale for its messages may also change
 * LC_NUMERIC: the output must not change with it.  Skipped where the French
 * locale is not installed. */
static void numbers_do_not_depend_on_lc_numeric(void **state)
{
	(void)state;
	if (!setlocale(LC_NUMERIC, "fr_FR.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.utf8"))
		skip();
	char fr[64], en[64];
	mutu_fmt__decimal(fr, sizeof fr, 1234.5, 1, MUTU_LANG_FR);
	mutu_fmt__decimal(en, sizeof en, 1234.5, 1, MUTU_LANG_EN);
	setlocale(LC_NUMERIC, "C");
	assert_string_equal(fr, "1" NNBSP "234,5");
	assert_string_equal(en, "1,234.5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(money_in_french_groups_thousands_with_narrow_no_break_spaces),
	    cmocka_unit_test(money_in_english_puts_the_euro_sign_first),
	    cmocka_unit_test(decimals_and_integers_use_the_language_separators),
	    cmocka_unit_test(percent_takes_a_fraction),
	    cmocka_unit_test(rounding_is_half_away_from_zero),
	    cmocka_unit_test(negative_values_that_round_to_zero_print_without_sign),
	    cmocka_unit_test(plus_flag_signs_gains_but_not_zero),
	    cmocka_unit_test(non_finite_values_print_as_a_dash),
	    cmocka_unit_test(decimals_are_clamped_to_nine),
	    cmocka_unit_test(a_number_that_does_not_fit_is_reported_and_not_cut),
	    cmocka_unit_test(width_counts_characters_not_bytes),
	    cmocka_unit_test(east_asian_wide_characters_take_two_columns),
	    cmocka_unit_test(invalid_bytes_count_as_one_replacement_character_each),
	    cmocka_unit_test(code_point_widths_follow_the_tables),
	    cmocka_unit_test(cut_keeps_whole_characters_and_adds_an_ellipsis),
	    cmocka_unit_test(cut_never_separates_a_combining_mark_from_its_base),
	    cmocka_unit_test(cut_that_does_not_fit_the_buffer_is_reported),
	    cmocka_unit_test(pad_aligns_by_display_width),
	    cmocka_unit_test(cell_cuts_and_pads_to_exactly_the_width),
	    cmocka_unit_test(wrap_breaks_at_spaces),
	    cmocka_unit_test(wrap_splits_a_word_wider_than_the_line_and_loses_nothing),
	    cmocka_unit_test(wrap_handles_empty_text_newlines_and_runs_of_spaces),
	    cmocka_unit_test(xml_escaping_gives_well_formed_text),
	    cmocka_unit_test(numbers_do_not_depend_on_lc_numeric),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

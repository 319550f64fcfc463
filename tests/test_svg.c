/* Inline SVG charts.  Well-formedness is judged by an independent parser:
 * xmllint (Debian's libxml2-utils, listed in .ci/deps) run on a temporary
 * file.  Marks are read back from the text: their data-value attributes
 * must equal the inputs exactly, and their geometry must follow the scale
 * worked out by hand from the nice ticks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "svg.h"

#define NNBSP "\xe2\x80\xaf"
#define NBSP "\xc2\xa0"
#define EURO "\xe2\x82\xac"

static char *take(strbuf *b)
{
	char *s = mutu_sb__take(b);
	assert_non_null(s);
	return s;
}

/* The exit status of xmllint --noout on `text`; its messages go to stderr
 * unless `quiet`. */
static int xmllint_run(const char *text, bool quiet)
{
	char path[] = "/tmp/mutu-test-svg-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "xmllint --noout %s%s", path, quiet ? " 2>/dev/null" : "");
	int rc = system(cmd);
	unlink(path);
	return rc;
}

static void assert_well_formed(const char *svg)
{
	int rc = xmllint_run(svg, false);
	if (rc != 0) {
		print_error("xmllint rejects the chart (status %d; xmllint is in Debian's "
			    "libxml2-utils: make deps):\n%s\n",
			    rc, svg);
		fail();
	}
}

/* No word "nan", "inf" or "infinity" in any case, anywhere (words, so that
 * "Gagnants" passes). */
static void assert_no_nan_or_inf(const char *svg)
{
	const char *bad[] = {"nan", "inf", "infinity"};
	for (const char *p = svg; *p; p++) {
		if (p > svg && isalpha((unsigned char)p[-1]))
			continue;
		for (size_t k = 0; k < 3; k++) {
			size_t n = strlen(bad[k]);
			if (strncasecmp(p, bad[k], n) == 0 && !isalpha((unsigned char)p[n])) {
				print_error("non-finite number in the chart at: %.40s\n", p);
				fail();
			}
		}
	}
}

/* Every chart: well-formed, self-contained, tagged with its kind. */
static void assert_chart(const char *svg, const char *kind)
{
	assert_well_formed(svg);
	assert_no_nan_or_inf(svg);
	char head[96];
	snprintf(head, sizeof head, "class=\"chart\" data-chart=\"%s\"", kind);
	assert_non_null(strstr(svg, head));
	assert_true(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	assert_non_null(strstr(svg, " viewBox=\"0 0 640 "));
	assert_non_null(strstr(svg, "<title>"));
	assert_null(strstr(svg, "<script"));
	assert_null(strstr(svg, "href"));
	assert_null(strstr(svg, "url("));
	assert_null(strstr(svg, "@import"));
}

/* The number in attribute `name` of the tag starting at tag (NAN if none). */
static double tag_number(const char *tag, const char *name)
{
	const char *end = strchr(tag, '>');
	char key[32];
	snprintf(key, sizeof key, " %s=\"", name);
	const char *p = strstr(tag, key);
	if (!p || (end && p > end))
		return NAN;
	return strtod(p + strlen(key), NULL);
}

typedef struct mark {
	double value, x, y, w, h;
} mark;

/* The bars of a chart in document order. */
static size_t read_bars(const char *svg, mark *m, size_t max)
{
	size_t n = 0;
	for (const char *p = strstr(svg, "<rect class=\"bar\""); p;
	     p = strstr(p + 1, "<rect class=\"bar\"")) {
		if (n < max)
			m[n] = (mark){tag_number(p, "data-value"), tag_number(p, "x"),
				      tag_number(p, "y"), tag_number(p, "width"),
				      tag_number(p, "height")};
		n++;
	}
	return n;
}

/* The position of the zero line: y of a horizontal one, x of a vertical one. */
static double zero_line(const char *svg, const char *coord)
{
	const char *p = strstr(svg, "<line class=\"zero\"");
	assert_non_null(p);
	return tag_number(p, coord);
}

static void ticks_from_zero_to_2676977_step_by_500000(void **state)
{
	(void)state;
	/* 2 676 977 / 5 = 535 395: mantissa 5.35 rounds to the nice 5, so the
	 * step is 500 000, from 0 to ceil(5.35) = 6 steps. */
	double t[16];
	assert_int_equal(mutu_svg__ticks(0, 2676977, 5, t, 16), 7);
	for (int i = 0; i < 7; i++)
		assert_true(t[i] == 500000.0 * i);
}

static void ticks_are_nice_across_signs_and_scales(void **state)
{
	(void)state;
	double t[32];
	/* 4600 / 5 = 920: mantissa 9.2 -> 10, step 1000; -2000 .. 4000. */
	assert_int_equal(mutu_svg__ticks(-1200, 3400, 5, t, 32), 7);
	assert_true(t[0] == -2000 && t[2] == 0 && t[6] == 4000);
	/* 0.282 / 5 = 0.0564: mantissa 5.64 -> 5, step 0.05; 0 .. 0.30, each
	 * the double nearest the decimal (6 * 5 / 100 is 0.3, 6 * 0.05 is not). */
	assert_int_equal(mutu_svg__ticks(0, 0.282, 5, t, 32), 7);
	assert_true(t[1] == 0.05 && t[3] == 0.15 && t[6] == 0.3);
	/* 7 / 5 = 1.4 -> 1: every integer 0 .. 7. */
	assert_int_equal(mutu_svg__ticks(0, 7, 5, t, 32), 8);
	assert_true(t[7] == 7);
	/* 160 / 5 = 32: mantissa 3.2 -> 5, step 50: 0 .. 200 (2 is for < 3). */
	assert_int_equal(mutu_svg__ticks(0, 160, 5, t, 32), 5);
	assert_true(t[4] == 200);
	/* Bounds on a tick stay the bounds: 0.6 / 5 = 0.12, mantissa 1.2 -> 1,
	 * step 0.1, 0.3 .. 0.9. */
	assert_int_equal(mutu_svg__ticks(0.3, 0.9, 5, t, 32), 7);
	assert_true(t[0] == 0.3 && t[6] == 0.9);
	/* A lower target gives a coarser step: 2 676 977 / 2 -> 1 338 488,
	 * mantissa 1.34 -> 1, step 1 000 000. */
	assert_int_equal(mutu_svg__ticks(0, 2676977, 2, t, 32), 4);
	assert_true(t[3] == 3000000);
}

static void ticks_of_an_empty_or_reversed_range(void **state)
{
	(void)state;
	double t[32];
	/* 0 .. 0 becomes 0 .. 1, step 0.2. */
	assert_int_equal(mutu_svg__ticks(0, 0, 5, t, 32), 6);
	assert_true(t[0] == 0 && t[1] == 0.2 && t[5] == 1);
	/* 5 .. 5 becomes 4.5 .. 5.5: 1 / 5 = 0.2, from floor(22.5) = 22 steps
	 * to ceil(27.5) = 28: 4.4 .. 5.6. */
	assert_int_equal(mutu_svg__ticks(5, 5, 5, t, 32), 7);
	assert_true(t[0] == 4.4 && t[6] == 5.6);
	/* Reversed bounds are swapped. */
	assert_int_equal(mutu_svg__ticks(2676977, 0, 5, t, 32), 7);
	assert_true(t[0] == 0);
	/* Only `max` written, the count returned. */
	t[2] = -1;
	assert_int_equal(mutu_svg__ticks(0, 2676977, 5, t, 2), 7);
	assert_true(t[2] == -1);
	assert_int_equal(mutu_svg__ticks(NAN, 1, 5, t, 32), 0);
	assert_int_equal(mutu_svg__ticks(0, INFINITY, 5, t, 32), 0);
	assert_int_equal(mutu_svg__ticks(-1e308, 1e308, 5, t, 32), 0); /* span overflows */
}

static void xmllint_rejects_a_malformed_chart(void **state)
{
	(void)state;
	/* The checker itself can fail: an unclosed element, a raw "&". */
	assert_int_not_equal(xmllint_run("<svg><g></svg>", true), 0);
	assert_int_not_equal(xmllint_run("<svg><text>a & b</text></svg>", true), 0);
	assert_int_equal(xmllint_run("<svg><text>a &amp; b</text></svg>", true), 0);
}

/* Three doctors, two series: the "who carries what" chart. */
static const char *const doctors[] = {"Dr Lef\xc3\xa8vre", "Dr Martin & <fils>", "Dr Nguyen"};
static const char *const carry_names[] = {"objectif individuel", "part mutualis\xc3\xa9"
								 "e"};
static const double objective[] = {114000, 0.1 + 0.2, -2500};
static const double pooled[] = {2676977000.0 / 3, 70000, 12000};

static void bars_carry_the_exact_inputs_category_by_category(void **state)
{
	(void)state;
	const double *v[] = {objective, pooled};
	mutu_svg_series s = {3, 2, carry_names, v};
	mutu_svg_opts o = {.title = "Qui porte quoi ? <Tilleuls & co>",
			   .id = "carry-g1",
			   .value = {"euros", MUTU_FMT_MONEY, 0},
			   .flags = MUTU_SVG_HORIZONTAL};
	strbuf b = {0};
	mutu_svg__bars(&b, &o, doctors, &s);
	char *svg = take(&b);
	assert_chart(svg, "bars");
	assert_non_null(strstr(svg, " id=\"carry-g1\""));
	assert_non_null(strstr(svg, "<title>Qui porte quoi ? &lt;Tilleuls &amp; co&gt;</title>"));
	assert_non_null(strstr(svg, "data-category=\"Dr Martin &amp; &lt;fils&gt;\""));
	assert_non_null(strstr(svg, "data-series=\"part mutualis\xc3\xa9"
				    "e\""));
	mark m[8];
	assert_int_equal(read_bars(svg, m, 8), 6);
	/* Order: doctor by doctor, the two series within each. */
	const double want[] = {114000, 2676977000.0 / 3, 0.1 + 0.2, 70000, -2500, 12000};
	for (int i = 0; i < 6; i++)
		assert_true(m[i].value == want[i]);
	/* The exact text: 0.1 + 0.2 needs 17 digits to read back. */
	assert_non_null(strstr(svg, "data-value=\"0.30000000000000004\""));
	/* Horizontal bars leave the zero line rightwards when positive and end
	 * on it when negative, their lengths in proportion to the values. */
	double zero = zero_line(svg, "x1");
	double k = m[1].w / m[1].value;
	for (int i = 0; i < 6; i++) {
		if (m[i].value >= 0)
			assert_true(fabs(m[i].x - zero) < 0.02);
		else
			assert_true(fabs(m[i].x + m[i].w - zero) < 0.02);
		assert_true(fabs(m[i].w - fabs(m[i].value) * k) < 0.03);
	}
	/* Value labels through fmt.c, in French. */
	assert_non_null(strstr(svg, ">114" NNBSP "000" NBSP EURO "</text>"));
	assert_non_null(strstr(svg, ">-2" NNBSP "500" NBSP EURO "</text>"));
	/* A tooltip per mark, French colon. */
	assert_non_null(strstr(svg, "<title>Dr Lef\xc3\xa8vre, objectif individuel" NBSP
				    ": 114" NNBSP "000" NBSP EURO "</title>"));
	free(svg);
}

static void vertical_bars_follow_the_hand_computed_scale(void **state)
{
	(void)state;
	/* 0 .. 2 676 977: ticks 0 .. 3 000 000 by 500 000 over 240 units, so
	 * 1 unit is 12 500 € and 2 500 000 € is 200 units high. */
	static const double a[] = {2676977, 2500000, 1000000};
	const double *v[] = {a};
	mutu_svg_series s = {3, 1, NULL, v};
	mutu_svg_opts o = {.title = "Aide", .value = {NULL, MUTU_FMT_MONEY, 0}};
	strbuf b = {0};
	mutu_svg__bars(&b, &o, doctors, &s);
	char *svg = take(&b);
	assert_chart(svg, "bars");
	mark m[4];
	assert_int_equal(read_bars(svg, m, 4), 3);
	double zero = zero_line(svg, "y1");
	for (int i = 0; i < 3; i++) {
		assert_true(m[i].value == a[i]);
		assert_true(fabs(m[i].y + m[i].h - zero) < 0.02);
		assert_true(fabs(m[i].h - a[i] / 12500) < 0.011);
	}
	/* The tick labels, French, and no legend without names. */
	assert_non_null(strstr(svg, ">500" NNBSP "000" NBSP EURO "</text>"));
	assert_non_null(strstr(svg, ">3" NNBSP "000" NNBSP "000" NBSP EURO "</text>"));
	assert_null(strstr(svg, "legend-item"));
	free(svg);

	/* The same in English. */
	o.lang = MUTU_LANG_EN;
	mutu_svg__bars(&b, &o, doctors, &s);
	svg = take(&b);
	assert_chart(svg, "bars");
	assert_non_null(strstr(svg, ">" EURO "500,000</text>"));
	assert_non_null(strstr(svg, ">" EURO "3,000,000</text>"));
	free(svg);
}

static void years_stack_positives_up_and_negatives_down_from_zero(void **state)
{
	(void)state;
	static const int years[] = {2025, 2026, 2027};
	static const double aid[] = {300000, 250000, 200000};
	static const double value[] = {150000, 100000, 50000};
	static const double cost[] = {-400000, -420000, -100000};
	const double *v[] = {aid, value, cost};
	const char *names[] = {"aide", "valeur", "co\xc3\xbbt"};
	mutu_svg_series s = {3, 3, names, v};
	mutu_svg_opts o = {.title = "Ann\xc3\xa9"
				    "e par ann\xc3\xa9"
				    "e",
			   .value = {"euros", MUTU_FMT_MONEY, 0},
			   .flags = MUTU_SVG_STACKED};
	strbuf b = {0};
	mutu_svg__years(&b, &o, years, &s);
	char *svg = take(&b);
	assert_chart(svg, "years");
	/* Stacks reach +450 000 and -420 000: 870 000 / 5 = 174 000, mantissa
	 * 1.74 -> 2, step 200 000, ticks -600 000 .. 600 000: 1 200 000 € over
	 * 240 units, 5 000 € a unit. */
	mark m[12];
	assert_int_equal(read_bars(svg, m, 12), 9);
	double zero = zero_line(svg, "y1");
	for (int i = 0; i < 3; i++) {
		mark *ma = &m[3 * i], *mv = &m[3 * i + 1], *mc = &m[3 * i + 2];
		assert_true(ma->value == aid[i] && mv->value == value[i] && mc->value == cost[i]);
		assert_true(fabs(ma->h - aid[i] / 5000) < 0.011);
		assert_true(fabs(mv->h - value[i] / 5000) < 0.011);
		assert_true(fabs(mc->h + cost[i] / 5000) < 0.011);
		/* aid sits on zero, value on aid, cost hangs from zero. */
		assert_true(fabs(ma->y + ma->h - zero) < 0.02);
		assert_true(fabs(mv->y + mv->h - ma->y) < 0.02);
		assert_true(fabs(mc->y - zero) < 0.02);
		/* One column per year. */
		assert_true(ma->x == mv->x && mv->x == mc->x);
	}
	assert_true(m[3].x > m[0].x);
	/* Years are labels, not amounts: no thousands separator. */
	assert_non_null(strstr(svg, ">2025</text>"));
	assert_non_null(strstr(svg, ">2027</text>"));
	assert_non_null(strstr(svg, ">-600" NNBSP "000" NBSP EURO "</text>"));
	assert_non_null(strstr(svg, "co\xc3\xbbt</text>")); /* legend */
	free(svg);

	/* Grouped: side by side, each from zero. */
	o.flags = 0;
	mutu_svg__years(&b, &o, years, &s);
	svg = take(&b);
	assert_chart(svg, "years");
	assert_int_equal(read_bars(svg, m, 12), 9);
	zero = zero_line(svg, "y1");
	for (int i = 0; i < 9; i++) {
		if (m[i].value > 0)
			assert_true(fabs(m[i].y + m[i].h - zero) < 0.02);
		else
			assert_true(fabs(m[i].y - zero) < 0.02);
	}
	assert_true(m[1].x > m[0].x && m[2].x > m[1].x);
	free(svg);
}

static void scatter_points_carry_both_coordinates(void **state)
{
	(void)state;
	static const double cost[] = {1200000.5, 800000, 2500000};
	static const double patients[] = {340, 210.25, 600};
	const char *labels[] = {"M1 forfait", "M2 <part> & reste", "M3"};
	mutu_svg_axis x = {"co\xc3\xbbt payeur", MUTU_FMT_MONEY, 0};
	mutu_svg_opts o = {.title = "Modalit\xc3\xa9s", .value = {"patients gagn\xc3\xa9s", 0, 0}};
	strbuf b = {0};
	mutu_svg__scatter(&b, &o, &x, 3, cost, patients, labels);
	char *svg = take(&b);
	assert_chart(svg, "scatter");
	size_t n = 0;
	double last_cx = -1;
	for (const char *p = strstr(svg, "<circle class=\"point\""); p;
	     p = strstr(p + 1, "<circle class=\"point\""), n++) {
		assert_true(n < 3);
		assert_true(tag_number(p, "data-x") == cost[n]);
		assert_true(tag_number(p, "data-y") == patients[n]);
		if (n == 1)
			assert_true(tag_number(p, "cx") < last_cx); /* 800 000 left of 1 200 000 */
		last_cx = tag_number(p, "cx");
	}
	assert_int_equal(n, 3);
	assert_non_null(strstr(svg, "data-label=\"M2 &lt;part&gt; &amp; reste\""));
	assert_non_null(strstr(svg, ">M1 forfait</text>"));
	assert_non_null(strstr(svg, "patients gagn\xc3\xa9s</text>"));
	free(svg);
}

static void diverging_bars_put_losers_left_and_winners_right(void **state)
{
	(void)state;
	static const double losers[] = {12, 40, 0};
	static const double winners[] = {88, 60, 100};
	const double *v[] = {losers, winners};
	const char *names[] = {"perdants", "gagnants"};
	const char *mods[] = {"M1", "M2", "M3"};
	mutu_svg_series s = {3, 2, names, v};
	mutu_svg_opts o = {.title = "Gagnants et perdants", .value = {"cabinets", 0, 0}};
	strbuf b = {0};
	mutu_svg__diverging(&b, &o, mods, &s);
	char *svg = take(&b);
	assert_chart(svg, "diverging");
	mark m[8];
	assert_int_equal(read_bars(svg, m, 8), 6);
	double zero = zero_line(svg, "x1");
	double k = m[5].w / 100;
	for (int i = 0; i < 3; i++) {
		assert_true(m[2 * i].value == losers[i] && m[2 * i + 1].value == winners[i]);
		assert_true(fabs(m[2 * i].x + m[2 * i].w - zero) < 0.02);
		assert_true(fabs(m[2 * i + 1].x - zero) < 0.02);
		assert_true(fabs(m[2 * i].w - losers[i] * k) < 0.03);
		assert_true(fabs(m[2 * i + 1].w - winners[i] * k) < 0.03);
	}
	/* Ticks read as counts on both sides: 0 .. 100 / 3 = 33.3 -> 5 x 10,
	 * 50 each side; no "-50". */
	assert_non_null(strstr(svg, ">50</text>"));
	assert_null(strstr(svg, ">-50</text>"));
	free(svg);

	/* Anything but two series has no meaning here. */
	mutu_svg_series one = {3, 1, names, v};
	mutu_svg__diverging(&b, &o, mods, &one);
	svg = take(&b);
	assert_chart(svg, "diverging");
	assert_non_null(strstr(svg, "data-empty=\"true\""));
	free(svg);
}

static void deciles_are_labelled_and_may_be_negative(void **state)
{
	(void)state;
	static const double gain[] = {-3000, -1000.5, 0, 500, 1200, 2000, 3500, 5000, 9000};
	const double *v[] = {gain};
	const char *names[] = {"forfait"};
	mutu_svg_series s = {9, 1, names, v};
	mutu_svg_opts o = {.title = "D\xc3\xa9"
				    "ciles du gain",
			   .value = {NULL, MUTU_FMT_MONEY, 0},
			   .flags = MUTU_SVG_STACKED}; /* ignored: deciles are never stacked */
	strbuf b = {0};
	mutu_svg__deciles(&b, &o, &s);
	char *svg = take(&b);
	assert_chart(svg, "deciles");
	mark m[12];
	assert_int_equal(read_bars(svg, m, 12), 9);
	double zero = zero_line(svg, "y1");
	/* -3000 .. 9000: 12 000 / 5 = 2400 -> 2, step 2000, -4000 .. 10 000:
	 * 14 000 € over 240 units. */
	for (int i = 0; i < 9; i++) {
		assert_true(m[i].value == gain[i]);
		assert_true(fabs(m[i].h - fabs(gain[i]) * 240 / 14000) < 0.011);
		if (gain[i] < 0)
			assert_true(fabs(m[i].y - zero) < 0.02);
		else
			assert_true(fabs(m[i].y + m[i].h - zero) < 0.02);
	}
	assert_non_null(strstr(svg, ">D1</text>"));
	assert_non_null(strstr(svg, ">D9</text>"));
	assert_non_null(strstr(svg, ">-4" NNBSP "000" NBSP EURO "</text>"));
	free(svg);
}

static void empty_data_gives_a_chart_that_says_so(void **state)
{
	(void)state;
	static const double none[] = {NAN, INFINITY, -1e300};
	const double *v[] = {none};
	mutu_svg_series empty = {0, 0, NULL, NULL};
	mutu_svg_series missing = {3, 1, NULL, v};
	mutu_svg_opts o = {.title = "Rien"};
	const char *kinds[] = {"bars", "years", "deciles", "diverging", "scatter", "bars"};
	for (int k = 0; k < 6; k++) {
		strbuf b = {0};
		const mutu_svg_series *s = k == 5 ? &missing : &empty;
		switch (k) {
		case 0:
		case 5:
			mutu_svg__bars(&b, &o, NULL, s);
			break;
		case 1:
			mutu_svg__years(&b, &o, NULL, s);
			break;
		case 2:
			mutu_svg__deciles(&b, &o, s);
			break;
		case 3:
			mutu_svg__diverging(&b, &o, NULL, s);
			break;
		default:
			mutu_svg__scatter(&b, &o, &o.value, 3, none, none, NULL);
		}
		char *svg = take(&b);
		assert_chart(svg, kinds[k]);
		assert_non_null(strstr(svg, "data-empty=\"true\""));
		assert_non_null(strstr(svg, ">Aucune donn\xc3\xa9"
					    "e</text>"));
		assert_null(strstr(svg, "class=\"bar\""));
		free(svg);
	}
	strbuf b = {0};
	o.lang = MUTU_LANG_EN;
	mutu_svg__bars(&b, &o, NULL, &empty);
	o.no_data = "Nothing <yet>";
	mutu_svg__bars(&b, &o, NULL, &empty);
	char *svg = take(&b);
	assert_non_null(strstr(svg, ">No data</text>"));
	assert_non_null(strstr(svg, ">Nothing &lt;yet&gt;</text>"));
	free(svg);
}

static void missing_values_draw_no_mark_and_no_nan(void **state)
{
	(void)state;
	static const double a[] = {NAN, 1500, INFINITY, -700};
	static const double c[] = {2e15, -INFINITY, 300, 0};
	const double *v[] = {a, c};
	const char *cats[] = {"a", "b", "c", "d"};
	const char *names[] = {"s1", "s2"};
	mutu_svg_series s = {4, 2, names, v};
	mutu_svg_opts o = {.title = "Trous", .value = {NULL, MUTU_FMT_PERCENT, 1}};
	unsigned flags[] = {0, MUTU_SVG_HORIZONTAL, MUTU_SVG_STACKED,
			    MUTU_SVG_STACKED | MUTU_SVG_HORIZONTAL};
	for (int f = 0; f < 4; f++) {
		strbuf b = {0};
		o.flags = flags[f];
		mutu_svg__bars(&b, &o, cats, &s);
		char *svg = take(&b);
		assert_chart(svg, "bars");
		mark m[8];
		/* 1500, -700, 300, 0 remain, in category order. */
		assert_int_equal(read_bars(svg, m, 8), 4);
		assert_true(m[0].value == 1500 && m[1].value == 300 && m[2].value == -700 &&
			    m[3].value == 0);
		free(svg);
	}
	strbuf b = {0};
	mutu_svg__scatter(&b, &o, &o.value, 4, a, c, cats);
	char *svg = take(&b);
	assert_chart(svg, "scatter");
	/* Only (-700, 0) has both coordinates. */
	const char *p = strstr(svg, "<circle class=\"point\"");
	assert_non_null(p);
	assert_true(tag_number(p, "data-x") == -700 && tag_number(p, "data-y") == 0);
	assert_null(strstr(p + 1, "<circle"));
	free(svg);
}

static void long_labels_are_cut_and_many_categories_thinned(void **state)
{
	(void)state;
	/* 30 years: ticks 0 .. 30 000 € (labels 8 columns, 52.8 units), plot
	 * 66.8 .. 628, 18.7 units a slot; "2025" takes 26.4 units at 11 px:
	 * one label every ceil((26.4 + 6) / 18.7) = 2 slots, 2025 .. 2053. */
	int years[30];
	double v0[30];
	for (int i = 0; i < 30; i++) {
		years[i] = 2025 + i;
		v0[i] = 1000.0 * i;
	}
	const double *v[] = {v0};
	mutu_svg_series s = {30, 1, NULL, v};
	mutu_svg_opts o = {.title = NULL, .value = {NULL, MUTU_FMT_MONEY, 0}};
	strbuf b = {0};
	mutu_svg__years(&b, &o, years, &s);
	char *svg = take(&b);
	assert_chart(svg, "years");
	assert_null(strstr(svg, "chart-title"));
	assert_non_null(strstr(svg, ">2025</text>"));
	assert_non_null(strstr(svg, ">2053</text>"));
	free(svg);

	const char *longname[] = {"Maison de sant\xc3\xa9 pluriprofessionnelle des Tilleuls et "
				  "des Acacias r\xc3\xa9unis, site principal du centre-ville"};
	static const double one[] = {5};
	const double *w[] = {one};
	mutu_svg_series s1 = {1, 1, NULL, w};
	o.flags = MUTU_SVG_HORIZONTAL;
	mutu_svg__bars(&b, &o, longname, &s1);
	svg = take(&b);
	assert_chart(svg, "bars");
	/* The label column is at most 200 units: 27 columns of 7.2 units, 26
	 * of them "Maison de santé pluriprofe" and "…"; the full name stays in
	 * data-category. */
	assert_non_null(strstr(svg, ">Maison de sant\xc3\xa9 pluriprofe\xe2\x80\xa6</text>"));
	assert_non_null(strstr(svg, "data-category=\"Maison de sant\xc3\xa9 pluriprofessionnelle"));
	free(svg);
}

/* Attributes stay locale-free when the program runs under a French
 * LC_NUMERIC (skipped where that locale is not installed). */
static void attributes_do_not_depend_on_lc_numeric(void **state)
{
	(void)state;
	static const double a[] = {0.1 + 0.2, 1234.5};
	const double *v[] = {a};
	mutu_svg_series s = {2, 1, NULL, v};
	mutu_svg_opts o = {.title = "Locale", .value = {NULL, MUTU_FMT_PLAIN, 1}};
	if (!setlocale(LC_NUMERIC, "fr_FR.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.utf8"))
		skip();
	strbuf b = {0};
	mutu_svg__bars(&b, &o, NULL, &s);
	setlocale(LC_NUMERIC, "C");
	char *svg = take(&b);
	assert_chart(svg, "bars");
	assert_non_null(strstr(svg, "data-value=\"0.30000000000000004\""));
	assert_non_null(strstr(svg, "data-value=\"1234.5\""));
	mark m[4];
	assert_int_equal(read_bars(svg, m, 4), 2);
	/* 0 .. 1234.5: 246.9 -> 2 x 10^2, step 200, 0 .. 1400 over 240 units. */
	assert_true(fabs(m[1].h - 1234.5 * 240 / 1400) < 0.011);
	assert_non_null(strstr(svg, ">1" NNBSP "234,5</text>")); /* the French label */
	free(svg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ticks_from_zero_to_2676977_step_by_500000),
	    cmocka_unit_test(ticks_are_nice_across_signs_and_scales),
	    cmocka_unit_test(ticks_of_an_empty_or_reversed_range),
	    cmocka_unit_test(xmllint_rejects_a_malformed_chart),
	    cmocka_unit_test(bars_carry_the_exact_inputs_category_by_category),
	    cmocka_unit_test(vertical_bars_follow_the_hand_computed_scale),
	    cmocka_unit_test(years_stack_positives_up_and_negatives_down_from_zero),
	    cmocka_unit_test(scatter_points_carry_both_coordinates),
	    cmocka_unit_test(diverging_bars_put_losers_left_and_winners_right),
	    cmocka_unit_test(deciles_are_labelled_and_may_be_negative),
	    cmocka_unit_test(empty_data_gives_a_chart_that_says_so),
	    cmocka_unit_test(missing_values_draw_no_mark_and_no_nan),
	    cmocka_unit_test(long_labels_are_cut_and_many_categories_thinned),
	    cmocka_unit_test(attributes_do_not_depend_on_lc_numeric),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

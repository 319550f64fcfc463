/* Inline SVG charts for the HTML reports, appended to a strbuf as text.
 * Internal to the library.
 *
 * Every chart is one self-contained <svg> element: no script, no external
 * font (font-family="sans-serif"), no link, no network.  Its root carries
 *   xmlns, class="chart", data-chart="KIND" (bars, years, scatter,
 *   diverging, deciles), role="img", the caller's id if any,
 *   viewBox="0 0 640 H" with width="640" height="H" and
 *   style="max-width:100%;height:auto":
 * 640 user units are 169 mm at 96 dpi, the text width of an A4 page with
 * 20 mm margins, and the chart scales down (never up) to a narrower column.
 * Its first child is a <title> with the chart's title, repeated as a
 * visible heading.  Labels (ticks, values, legend) are formatted by fmt.c in
 * the chart's language; every text is XML-escaped.
 *
 * Marks carry the exact input, locale-free and round-tripping (the shortest
 * of %.15g, %.16g, %.17g that reads back equal), for tests to compare with
 * the JSON output:
 *   bars   <rect class="bar" data-value="…" data-series="…" data-category="…">
 *          emitted category by category, series within a category;
 *   points <circle class="point" data-x="…" data-y="…" data-label="…">
 *          (a point has two numbers, hence data-x and data-y);
 * each mark holds a <title> tooltip "category, series: value".
 * A value that is not finite or whose magnitude exceeds 1e15 is missing: no
 * mark is drawn for it.  A chart with nothing to draw (no category, no
 * series, every value missing) is a chart with its title and the `no_data`
 * label, data-empty="true" on the root; never a NaN in a coordinate.
 */
#ifndef MUTU_SVG_H
#define MUTU_SVG_H

#include <stddef.h>

#include "fmt.h"
#include "strbuf.h"

/* How the values of an axis read: MUTU_FMT_MONEY, MUTU_FMT_PERCENT (values
 * are fractions) or MUTU_FMT_PLAIN, with the decimals of value labels (tick
 * labels take the decimals their step needs). */
typedef struct mutu_svg_axis {
	const char *title; /* axis title, NULL for none */
	unsigned style;    /* MUTU_FMT_PLAIN, MUTU_FMT_MONEY or MUTU_FMT_PERCENT */
	int decimals;
} mutu_svg_axis;

enum {
	MUTU_SVG_HORIZONTAL = 1, /* bars: categories down the left, bars to the right */
	MUTU_SVG_STACKED = 2,    /* bars, years: series stacked (negatives below zero) */
};

typedef struct mutu_svg_opts {
	const char *title;   /* <title> and visible heading; NULL for none */
	const char *id;      /* id attribute of the root, NULL for none */
	const char *no_data; /* NULL: "Aucune donnée" / "No data" */
	mutu_lang lang;
	mutu_svg_axis value; /* the value axis (the y axis of a scatter) */
	unsigned flags;      /* MUTU_SVG_HORIZONTAL | MUTU_SVG_STACKED */
} mutu_svg_opts;

/* nseries series of n values each: values[j][i] is series j at category i.
 * names[j] is series j's legend (names may be NULL: no legend). */
typedef struct mutu_svg_series {
	size_t n;
	size_t nseries;
	const char *const *names;
	const double *const *values;
} mutu_svg_series;

/* Grouped bars, categories x series, with a legend: "who carries what"
 * (doctors x individual objective and pooled share).  Vertical unless
 * MUTU_SVG_HORIZONTAL; stacked with MUTU_SVG_STACKED.  Negative values go
 * below (left of) the zero axis.  categories has s->n labels (NULL for
 * none).  data-chart="bars". */
void mutu_svg__bars(strbuf *b, const mutu_svg_opts *o, const char *const *categories,
		    const mutu_svg_series *s);

/* Vertical bars by year, grouped or stacked (MUTU_SVG_STACKED): aid, cost,
 * value year by year; years[i] labels category i (s->n years; years may be
 * NULL: no labels).
 * data-chart="years". */
void mutu_svg__years(strbuf *b, const mutu_svg_opts *o, const int *years, const mutu_svg_series *s);

/* n labelled points: x[i], y[i] with labels[i] (labels may be NULL);
 * `x` describes the horizontal axis, o->value the vertical one (payer cost
 * on x, patients gained on y).  data-chart="scatter". */
void mutu_svg__scatter(strbuf *b, const mutu_svg_opts *o, const mutu_svg_axis *x, size_t n,
		       const double *xs, const double *ys, const char *const *labels);

/* Winners and losers: per category, series 0 (losers) drawn to the left of
 * a central axis and series 1 (winners) to the right, each bar the count as
 * given (non-negative; a negative count is drawn by its magnitude).  s->nseries
 * must be 2; data-value is the count.  data-chart="diverging". */
void mutu_svg__diverging(strbuf *b, const mutu_svg_opts *o, const char *const *categories,
			 const mutu_svg_series *s);

/* Deciles D1..D9 (s->n values per series, labelled D1..Dn), one series per
 * modality, vertical bars from zero, negative values allowed.
 * data-chart="deciles". */
void mutu_svg__deciles(strbuf *b, const mutu_svg_opts *o, const mutu_svg_series *s);

/* "Nice" axis ticks covering [lo, hi] (swapped when lo > hi): a step of 1,
 * 2 or 5 x 10^k giving about `target` intervals (target < 1 is taken as 1),
 * the first tick <= lo and the last >= hi, each tick computed as an integer
 * times the step so 0.3 is the double nearest 0.3.  An empty range is
 * widened (to 0..1 around zero, else by a tenth of its magnitude each side).
 * Writes up to `max` ticks into ticks[] and returns how many there are; 0
 * when lo or hi is not finite. */
size_t mutu_svg__ticks(double lo, double hi, int target, double *ticks, size_t max);

#endif

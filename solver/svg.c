/* Inline SVG charts: see svg.h for what every chart carries.  Numbers in
 * attributes are written digit by digit or read back through strtod, so the
 * output does not depend on LC_NUMERIC. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

#define WIDTH 640.0
/* The advance of an average character of a sans-serif font, in ems: text
 * widths are estimated from the display width of a label. */
#define CHAR_EM 0.6
#define MAX_TICKS 64
#define LABEL_MAX 96
/* Beyond this magnitude a value is treated as missing: no report handles
 * such amounts, and the nice-step arithmetic stays far from overflow. */
#define PLOTTABLE 1e15

/* Okabe and Ito's palette: told apart by colour-blind readers and in grey
 * print. */
static const char *const palette[] = {"#0072b2", "#e69f00", "#009e73", "#cc79a7",
				      "#56b4e9", "#d55e00", "#f0e442", "#000000"};
#define LOSERS_COLOUR "#d55e00"
#define WINNERS_COLOUR "#0072b2"

static bool plottable(double v)
{
	return isfinite(v) && fabs(v) <= PLOTTABLE;
}

/* A coordinate, to a hundredth of a unit, written from integers. */
static void px(strbuf *b, double v)
{
	if (!isfinite(v))
		v = 0;
	double c = round(v * 100);
	if (c == 0) {
		mutu_sb__printf(b, "0");
		return;
	}
	long long i = (long long)fabs(c);
	mutu_sb__printf(b, "%s%lld", c < 0 ? "-" : "", i / 100);
	if (i % 100 != 0) {
		int f = (int)(i % 100);
		mutu_sb__printf(b, f % 10 ? ".%02d" : ".%d", f % 10 ? f : f / 10);
	}
}

static void attr(strbuf *b, const char *name, double v)
{
	mutu_sb__printf(b, " %s=\"", name);
	px(b, v);
	mutu_sb__printf(b, "\"");
}

/* What a test compares with the JSON number (mutu_fmt__exact). */
static void exact(strbuf *b, double v)
{
	char s[40];
	mutu_sb__printf(b, "%s", mutu_fmt__exact(s, sizeof s, v));
}

static void xml(strbuf *b, const char *s)
{
	mutu_fmt__sb_xml(b, s ? s : "");
}

/* s cut to `cols` columns, XML-escaped. */
static void xml_cut(strbuf *b, const char *s, size_t cols)
{
	s = s ? s : "";
	size_t size = strlen(s) + 4;
	char *t = malloc(size);
	if (!t) {
		b->failed = true;
		return;
	}
	mutu_fmt__cut(t, size, s, cols);
	xml(b, t);
	free(t);
}

static double text_width(const char *s, double font)
{
	return CHAR_EM * font * (double)mutu_fmt__width(s ? s : "");
}

static size_t columns(double pixels, double font)
{
	return pixels <= 0 ? 0 : (size_t)(pixels / (CHAR_EM * font));
}

static void value_label(char *out, double v, const mutu_svg_axis *a, int decimals, mutu_lang lang)
{
	mutu_fmt__number(out, LABEL_MAX, v, decimals, a->style & MUTU_FMT_UNIT_MASK, lang);
}

/* Decimals a tick label needs to show a step of 1, 2 or 5 x 10^k. */
static int tick_decimals(double step, unsigned style)
{
	if ((style & MUTU_FMT_UNIT_MASK) == MUTU_FMT_PERCENT)
		step *= 100;
	if (!(step > 0))
		return 0;
	int d = -(int)floor(log10(step) + 1e-9);
	return d < 0 ? 0 : d > 9 ? 9 : d;
}

size_t mutu_svg__ticks(double lo, double hi, int target, double *ticks, size_t max)
{
	if (!isfinite(lo) || !isfinite(hi))
		return 0;
	if (lo > hi) {
		double t = lo;
		lo = hi;
		hi = t;
	}
	if (target < 1)
		target = 1;
	if (hi == lo) {
		if (lo == 0) {
			hi = 1;
		} else {
			double d = fabs(lo) / 10;
			lo -= d;
			hi += d;
		}
	}
	double span = hi - lo;
	if (!isfinite(span))
		return 0;
	double raw = span / target;
	int e = (int)floor(log10(raw));
	double f = e >= 0 ? raw / pow(10, e) : raw * pow(10, -e);
	double m = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
	if (m == 10) {
		m = 1;
		e++;
	}
	/* Tick k is k * m * 10^e, divided rather than multiplied by a
	 * negative power so that 3 * 0.1 comes out as 0.3. */
	double scale = pow(10, e >= 0 ? e : -e);
#define TICK(k) (e >= 0 ? (double)(k)*m * scale : (double)(k)*m / scale)
	double step = TICK(1);
	double k0 = floor(lo / step + 1e-9), k1 = ceil(hi / step - 1e-9);
	while (TICK(k0) > lo)
		k0--;
	while (TICK(k1) < hi)
		k1++;
	size_t n = 0;
	for (double k = k0; k <= k1; k++, n++)
		if (n < max)
			ticks[n] = TICK(k) == 0 ? 0 : TICK(k);
#undef TICK
	return n;
}

/* Maps a value of [d0, d1] onto [p0, p1]. */
typedef struct scale {
	double d0, d1, p0, p1;
} scale;

static double map(const scale *s, double v)
{
	return s->p0 + (v - s->d0) * (s->p1 - s->p0) / (s->d1 - s->d0);
}

/* The tick labels of an axis; the widest one's width in *widest. */
typedef struct axis_ticks {
	double t[MAX_TICKS];
	char label[MAX_TICKS][LABEL_MAX];
	size_t n;
	double widest;
} axis_ticks;

/* Fills ticks over [lo, hi] and their labels (of |t| when `magnitude`). */
static void make_ticks(axis_ticks *a, double lo, double hi, int target, const mutu_svg_axis *ax,
		       mutu_lang lang, bool magnitude)
{
	a->n = mutu_svg__ticks(lo, hi, target, a->t, MAX_TICKS);
	if (a->n > MAX_TICKS)
		a->n = MAX_TICKS;
	if (a->n < 2) { /* not reached with plottable values; no scale of zero width */
		a->t[0] = 0;
		a->t[1] = 1;
		a->n = 2;
	}
	int dec = a->n >= 2 ? tick_decimals(a->t[1] - a->t[0], ax->style) : 0;
	a->widest = 0;
	for (size_t i = 0; i < a->n; i++) {
		value_label(a->label[i], magnitude ? fabs(a->t[i]) : a->t[i], ax, dec, lang);
		double w = text_width(a->label[i], 11);
		if (w > a->widest)
			a->widest = w;
	}
}

/* Ticks for a horizontal axis of `pixels`: the most ticks, from about 5
 * intervals down, whose labels do not run into each other. */
static void fit_ticks(axis_ticks *a, double lo, double hi, double pixels, const mutu_svg_axis *ax,
		      mutu_lang lang, bool magnitude)
{
	for (int target = 5; target >= 1; target--) {
		make_ticks(a, lo, hi, target, ax, lang, magnitude);
		if (a->n < 2 || pixels / (double)(a->n - 1) >= a->widest + 8)
			return;
	}
}

/* Ticks for [0, m] mirrored around zero, for the diverging chart. */
static void mirror_ticks(axis_ticks *a, double m, double pixels, const mutu_svg_axis *ax,
			 mutu_lang lang)
{
	for (int target = 3; target >= 1; target--) {
		axis_ticks half;
		make_ticks(&half, 0, m, target, ax, lang, false);
		a->n = 0;
		a->widest = half.widest;
		for (size_t i = half.n; i-- > 1 && a->n < MAX_TICKS;)
			a->t[a->n++] = -half.t[i];
		for (size_t i = 0; i < half.n && a->n < MAX_TICKS; i++)
			a->t[a->n++] = half.t[i];
		for (size_t i = 0; i < a->n; i++)
			memcpy(a->label[i],
			       half.label[i < half.n - 1 ? half.n - 1 - i : i - (half.n - 1)],
			       LABEL_MAX);
		if (a->n < 2 || pixels / (double)(a->n - 1) >= a->widest + 8)
			return;
	}
}

static void open_root(strbuf *b, const mutu_svg_opts *o, const char *kind, double height,
		      bool empty)
{
	height = ceil(height);
	mutu_sb__printf(
	    b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"%s\"", kind);
	if (o->id) {
		mutu_sb__printf(b, " id=\"");
		xml(b, o->id);
		mutu_sb__printf(b, "\"");
	}
	if (empty)
		mutu_sb__printf(b, " data-empty=\"true\"");
	mutu_sb__printf(b, " role=\"img\" viewBox=\"0 0 640 ");
	px(b, height);
	mutu_sb__printf(b, "\" width=\"640\"");
	attr(b, "height", height);
	mutu_sb__printf(b, " style=\"max-width:100%%;height:auto\" font-family=\"sans-serif\""
			   " font-size=\"12\">\n<title>");
	xml(b, o->title);
	mutu_sb__printf(b, "</title>\n");
	if (o->title) {
		mutu_sb__printf(b, "<text class=\"chart-title\" x=\"0\" y=\"17\" font-size=\"14\""
				   " font-weight=\"bold\">");
		xml_cut(b, o->title, columns(WIDTH, 14));
		mutu_sb__printf(b, "</text>\n");
	}
}

static double top_of(const mutu_svg_opts *o)
{
	return o->title ? 30 : 4;
}

static void empty_chart(strbuf *b, const mutu_svg_opts *o, const char *kind)
{
	double top = top_of(o);
	open_root(b, o, kind, top + 60, true);
	mutu_sb__printf(b, "<text class=\"no-data\" x=\"320\"");
	attr(b, "y", top + 34);
	mutu_sb__printf(b, " text-anchor=\"middle\" fill=\"#555\">");
	xml(b, o->no_data                ? o->no_data
	       : o->lang == MUTU_LANG_EN ? "No data"
					 : "Aucune donn\xc3\xa9"
					   "e");
	mutu_sb__printf(b, "</text>\n</svg>\n");
}

static const char *colour(bool diverging, size_t j)
{
	if (diverging)
		return j == 0 ? LOSERS_COLOUR : WINNERS_COLOUR;
	return palette[j % (sizeof palette / sizeof *palette)];
}

/* Lays out (and draws when `draw`) the legend from y down; returns its
 * height, 0 without names. */
static double legend(strbuf *b, const mutu_svg_series *s, bool diverging, double y, bool draw)
{
	if (!s->names || s->nseries == 0)
		return 0;
	double x = 0;
	size_t row = 0;
	for (size_t j = 0; j < s->nseries; j++) {
		const char *name = s->names[j] ? s->names[j] : "";
		size_t cols = mutu_fmt__width(name);
		if (cols > 40)
			cols = 40;
		double w = 14 + CHAR_EM * 12 * (double)cols + 16;
		if (x > 0 && x + w > WIDTH) {
			x = 0;
			row++;
		}
		if (draw) {
			double ry = y + 18 * (double)row;
			mutu_sb__printf(b, "<g class=\"legend-item\"><rect");
			attr(b, "x", x);
			attr(b, "y", ry + 1);
			mutu_sb__printf(b, " width=\"10\" height=\"10\" fill=\"%s\"/><text",
					colour(diverging, j));
			attr(b, "x", x + 14);
			attr(b, "y", ry + 10);
			mutu_sb__printf(b, ">");
			xml_cut(b, name, 40);
			mutu_sb__printf(b, "</text></g>\n");
		}
		x += w;
	}
	return 18 * (double)(row + 1);
}

/* The tooltip of a mark: "category, series: value" (French puts a no-break
 * space before the colon). */
static void mark_title(strbuf *b, const char *cat, const char *ser, const char *value,
		       mutu_lang lang)
{
	mutu_sb__printf(b, "<title>");
	if (cat)
		xml(b, cat);
	if (cat && ser)
		mutu_sb__printf(b, ", ");
	if (ser)
		xml(b, ser);
	if (cat || ser)
		mutu_sb__printf(b, "%s", lang == MUTU_LANG_EN ? ": " : "\xc2\xa0: ");
	xml(b, value);
	mutu_sb__printf(b, "</title>");
}

static const char *name_of(const char *const *names, size_t i)
{
	return names ? names[i] : NULL;
}

/* One bar: the rectangle between two values along the value axis. */
typedef struct bar {
	double v;              /* the value it shows (data-value) */
	double x, y, w, h;     /* geometry */
	const char *cat, *ser; /* for the attributes and the tooltip */
	const char *fill;
} bar;

static void draw_bar(strbuf *b, const bar *r, const mutu_svg_opts *o)
{
	char text[LABEL_MAX];
	value_label(text, r->v, &o->value, o->value.decimals, o->lang);
	mutu_sb__printf(b, "<rect class=\"bar\" data-value=\"");
	exact(b, r->v);
	mutu_sb__printf(b, "\"");
	if (r->ser) {
		mutu_sb__printf(b, " data-series=\"");
		xml(b, r->ser);
		mutu_sb__printf(b, "\"");
	}
	if (r->cat) {
		mutu_sb__printf(b, " data-category=\"");
		xml(b, r->cat);
		mutu_sb__printf(b, "\"");
	}
	attr(b, "x", r->x);
	attr(b, "y", r->y);
	attr(b, "width", r->w);
	attr(b, "height", r->h);
	mutu_sb__printf(b, " fill=\"%s\">", r->fill);
	mark_title(b, r->cat, r->ser, text, o->lang);
	mutu_sb__printf(b, "</rect>\n");
}

static void text_at(strbuf *b, double x, double y, const char *anchor, double font, const char *cls)
{
	mutu_sb__printf(b, "<text");
	if (cls)
		mutu_sb__printf(b, " class=\"%s\"", cls);
	attr(b, "x", x);
	attr(b, "y", y);
	if (anchor)
		mutu_sb__printf(b, " text-anchor=\"%s\"", anchor);
	if (font != 12)
		attr(b, "font-size", font);
	mutu_sb__printf(b, ">");
}

/* The extent of the values along the value axis, zero included: stacked
 * bars add the positive and the negative values of a category apart.
 * False when there is no value to draw. */
static bool extent(const mutu_svg_series *s, bool stacked, double *lo, double *hi)
{
	bool any = false;
	*lo = *hi = 0;
	if (!s->values)
		return false;
	for (size_t i = 0; i < s->n; i++) {
		double pos = 0, neg = 0;
		for (size_t j = 0; j < s->nseries; j++) {
			double v = s->values[j] ? s->values[j][i] : NAN;
			if (!plottable(v))
				continue;
			any = true;
			if (stacked) {
				if (v >= 0)
					pos += v;
				else
					neg += v;
			} else {
				pos = fmax(pos, v);
				neg = fmin(neg, v);
			}
		}
		*hi = fmax(*hi, pos);
		*lo = fmin(*lo, neg);
	}
	return any;
}

static double value_at(const mutu_svg_series *s, size_t j, size_t i)
{
	return s->values[j] ? s->values[j][i] : NAN;
}

static void axis_title_vertical(strbuf *b, const char *title, double y0, double y1)
{
	if (!title)
		return;
	double cy = (y0 + y1) / 2;
	mutu_sb__printf(b, "<text class=\"axis-title\" x=\"12\"");
	attr(b, "y", cy);
	mutu_sb__printf(b, " text-anchor=\"middle\" transform=\"rotate(-90 12 ");
	px(b, cy);
	mutu_sb__printf(b, ")\">");
	xml_cut(b, title, columns(y1 - y0, 12));
	mutu_sb__printf(b, "</text>\n");
}

static void axis_title_horizontal(strbuf *b, const char *title, double x0, double x1, double y)
{
	if (!title)
		return;
	text_at(b, (x0 + x1) / 2, y, "middle", 12, "axis-title");
	xml_cut(b, title, columns(x1 - x0, 12));
	mutu_sb__printf(b, "</text>\n");
}

static void line(strbuf *b, const char *cls, double x1, double y1, double x2, double y2,
		 const char *stroke)
{
	mutu_sb__printf(b, "<line class=\"%s\"", cls);
	attr(b, "x1", x1);
	attr(b, "y1", y1);
	attr(b, "x2", x2);
	attr(b, "y2", y2);
	mutu_sb__printf(b, " stroke=\"%s\" shape-rendering=\"crispEdges\"/>\n", stroke);
}

/* Vertical bars, grouped or stacked, categories along the bottom. */
static void vertical_bars(strbuf *b, const mutu_svg_opts *o, const char *kind,
			  const char *const *cats, const mutu_svg_series *s)
{
	bool stacked = o->flags & MUTU_SVG_STACKED;
	double lo, hi;
	if (s->n == 0 || s->nseries == 0 || !extent(s, stacked, &lo, &hi)) {
		empty_chart(b, o, kind);
		return;
	}
	axis_ticks *a = malloc(sizeof *a);
	if (!a) {
		b->failed = true;
		return;
	}
	make_ticks(a, lo, hi, 5, &o->value, o->lang, false);
	double top = top_of(o);
	double leg = legend(b, s, false, top, false);
	double plot_top = top + leg + 14, plot_bottom = plot_top + 240;
	double left = 8 + (o->value.title ? 18 : 0) + a->widest + 6, right = WIDTH - 12;
	scale y = {a->t[0], a->t[a->n - 1], plot_bottom, plot_top};
	double height = plot_bottom + 30;

	open_root(b, o, kind, height, false);
	legend(b, s, false, top, true);
	for (size_t k = 0; k < a->n; k++) {
		double ty = map(&y, a->t[k]);
		line(b, "grid", left, ty, right, ty, "#dddddd");
		text_at(b, left - 6, ty + 4, "end", 11, "tick");
		xml(b, a->label[k]);
		mutu_sb__printf(b, "</text>\n");
	}
	axis_title_vertical(b, o->value.title, plot_top, plot_bottom);

	double slot = (right - left) / (double)s->n;
	double group = slot * 0.8;
	double bw = stacked ? group : group / (double)s->nseries;
	double zero = map(&y, 0);
	/* Category labels: whole when they fit their slot, else cut, else
	 * (slots too narrow for 4 columns) one label every `every` slots. */
	double widest = 0;
	for (size_t i = 0; cats && i < s->n; i++)
		widest = fmax(widest, text_width(cats[i], 11));
	size_t cols = columns(slot - 4, 11), every = 1;
	if (widest <= slot - 4) {
		cols = (size_t)-1;
	} else if (cols < 4) {
		cols = 12;
		every = (size_t)ceil((fmin(widest, CHAR_EM * 11 * 12) + 6) / slot);
	}
	for (size_t i = 0; i < s->n; i++) {
		double x0 = left + slot * (double)i + (slot - group) / 2;
		double pos = 0, neg = 0;
		for (size_t j = 0; j < s->nseries; j++) {
			double v = value_at(s, j, i);
			if (!plottable(v))
				continue;
			bar r = {v,
				 stacked ? x0 : x0 + bw * (double)j,
				 0,
				 bw,
				 0,
				 name_of(cats, i),
				 name_of(s->names, j),
				 colour(false, j)};
			double from = 0, to = v;
			if (stacked) {
				from = v >= 0 ? pos : neg;
				to = from + v;
				if (v >= 0)
					pos = to;
				else
					neg = to;
			}
			r.y = fmin(map(&y, from), map(&y, to));
			r.h = fabs(map(&y, to) - map(&y, from));
			draw_bar(b, &r, o);
			char text[LABEL_MAX];
			value_label(text, v, &o->value, o->value.decimals, o->lang);
			if (!stacked && text_width(text, 10) <= bw + 2) {
				text_at(b, r.x + bw / 2, v >= 0 ? r.y - 3 : r.y + r.h + 10,
					"middle", 10, "value");
				xml(b, text);
				mutu_sb__printf(b, "</text>\n");
			}
		}
		if (cats && i % every == 0) {
			text_at(b, left + slot * ((double)i + 0.5), plot_bottom + 16, "middle", 11,
				"category");
			xml_cut(b, cats[i], cols);
			mutu_sb__printf(b, "</text>\n");
		}
	}
	line(b, "zero", left, zero, right, zero, "#333333");
	mutu_sb__printf(b, "</svg>\n");
	free(a);
}

/* Horizontal bars, categories down the left: grouped, stacked or, for the
 * diverging chart, series 0 to the left of zero and series 1 to the right. */
static void horizontal_bars(strbuf *b, const mutu_svg_opts *o, const char *kind,
			    const char *const *cats, const mutu_svg_series *s, bool diverging)
{
	bool stacked = !diverging && (o->flags & MUTU_SVG_STACKED);
	double lo, hi;
	if (s->n == 0 || s->nseries == 0 || (diverging && s->nseries != 2) ||
	    !extent(s, stacked, &lo, &hi)) {
		empty_chart(b, o, kind);
		return;
	}
	if (diverging) {
		hi = fmax(-lo, hi);
		lo = -hi;
	}
	/* Room for the value labels at the ends of the bars. */
	double pospad = 0, negpad = 0;
	for (size_t i = 0; !stacked && i < s->n; i++)
		for (size_t j = 0; j < s->nseries; j++) {
			double v = value_at(s, j, i);
			if (!plottable(v))
				continue;
			char text[LABEL_MAX];
			value_label(text, v, &o->value, o->value.decimals, o->lang);
			double w = text_width(text, 10) + 6;
			if (diverging ? j == 1 : v >= 0)
				pospad = fmax(pospad, w);
			else
				negpad = fmax(negpad, w);
		}
	double names = 0;
	for (size_t i = 0; cats && i < s->n; i++)
		names = fmax(names, text_width(cats[i], 12));
	names = fmin(names, 200);
	double left = (cats ? names + 8 : 4) + negpad, right = WIDTH - 12 - pospad;

	axis_ticks *a = malloc(sizeof *a);
	if (!a) {
		b->failed = true;
		return;
	}
	/* The last tick label is centred on the right end: keep its half in. */
	for (int pass = 0; pass < 2; pass++) {
		if (diverging)
			mirror_ticks(a, hi, right - left, &o->value, o->lang);
		else
			fit_ticks(a, lo, hi, right - left, &o->value, o->lang, false);
		right = fmin(right, WIDTH - a->widest / 2 - 2);
	}
	double top = top_of(o);
	double leg = legend(b, s, diverging, top, false);
	bool thin = stacked || diverging;
	double row = thin ? 24 : 14 * (double)s->nseries + 10;
	double plot_top = top + leg + 6, plot_bottom = plot_top + row * (double)s->n;
	scale x = {a->t[0], a->t[a->n - 1], left, right};
	double height = plot_bottom + 22 + (o->value.title ? 18 : 0) + 6;

	open_root(b, o, kind, height, false);
	legend(b, s, diverging, top, true);
	for (size_t k = 0; k < a->n; k++) {
		double tx = map(&x, a->t[k]);
		line(b, "grid", tx, plot_top, tx, plot_bottom, "#dddddd");
		text_at(b, tx, plot_bottom + 15, "middle", 11, "tick");
		xml(b, a->label[k]);
		mutu_sb__printf(b, "</text>\n");
	}
	axis_title_horizontal(b, o->value.title, left, right, plot_bottom + 33);
	double zero = map(&x, 0);
	for (size_t i = 0; i < s->n; i++) {
		double y0 = plot_top + row * (double)i;
		if (cats) {
			text_at(b, names + 4, y0 + row / 2 + 4, "end", 12, "category");
			xml_cut(b, cats[i], columns(names + 1, 12));
			mutu_sb__printf(b, "</text>\n");
		}
		double pos = 0, neg = 0;
		for (size_t j = 0; j < s->nseries; j++) {
			double v = value_at(s, j, i);
			if (!plottable(v))
				continue;
			double from = 0, to = v;
			if (diverging)
				to = j == 0 ? -fabs(v) : fabs(v);
			if (stacked) {
				from = v >= 0 ? pos : neg;
				to = from + v;
				if (v >= 0)
					pos = to;
				else
					neg = to;
			}
			bar r = {v,
				 fmin(map(&x, from), map(&x, to)),
				 thin ? y0 + 5 : y0 + 5 + 14 * (double)j,
				 fabs(map(&x, to) - map(&x, from)),
				 thin ? 14 : 12,
				 name_of(cats, i),
				 name_of(s->names, j),
				 colour(diverging, j)};
			draw_bar(b, &r, o);
			if (stacked)
				continue;
			char text[LABEL_MAX];
			value_label(text, v, &o->value, o->value.decimals, o->lang);
			bool rightwards = to > 0 || (to == 0 && (diverging ? j == 1 : true));
			text_at(b, rightwards ? r.x + r.w + 4 : r.x - 4, r.y + r.h / 2 + 3.5,
				rightwards ? "start" : "end", 10, "value");
			xml(b, text);
			mutu_sb__printf(b, "</text>\n");
		}
	}
	line(b, "zero", zero, plot_top, zero, plot_bottom, "#333333");
	mutu_sb__printf(b, "</svg>\n");
	free(a);
}

void mutu_svg__bars(strbuf *b, const mutu_svg_opts *o, const char *const *categories,
		    const mutu_svg_series *s)
{
	if (o->flags & MUTU_SVG_HORIZONTAL)
		horizontal_bars(b, o, "bars", categories, s, false);
	else
		vertical_bars(b, o, "bars", categories, s);
}

/* Category labels made of numbers ("2025", "D3"), in one allocation. */
static char **number_labels(size_t n, const char *prefix, const int *numbers)
{
	enum { room = 24 }; /* "D" and 20 digits */
	char **labels = malloc(n * (sizeof(char *) + room) + 1);
	if (!labels)
		return NULL;
	char *text = (char *)(labels + n);
	for (size_t i = 0; i < n; i++) {
		labels[i] = text + room * i;
		if (numbers)
			snprintf(labels[i], room, "%s%d", prefix, numbers[i]);
		else
			snprintf(labels[i], room, "%s%zu", prefix, i + 1);
	}
	return labels;
}

void mutu_svg__years(strbuf *b, const mutu_svg_opts *o, const int *years, const mutu_svg_series *s)
{
	char **labels = years ? number_labels(s->n, "", years) : NULL;
	if (years && !labels) {
		b->failed = true;
		return;
	}
	vertical_bars(b, o, "years", (const char *const *)labels, s);
	free(labels);
}

void mutu_svg__deciles(strbuf *b, const mutu_svg_opts *o, const mutu_svg_series *s)
{
	char **labels = number_labels(s->n, "D", NULL);
	if (!labels) {
		b->failed = true;
		return;
	}
	mutu_svg_opts grouped = *o;
	grouped.flags &= ~(unsigned)MUTU_SVG_STACKED;
	vertical_bars(b, &grouped, "deciles", (const char *const *)labels, s);
	free(labels);
}

void mutu_svg__diverging(strbuf *b, const mutu_svg_opts *o, const char *const *categories,
			 const mutu_svg_series *s)
{
	horizontal_bars(b, o, "diverging", categories, s, true);
}

void mutu_svg__scatter(strbuf *b, const mutu_svg_opts *o, const mutu_svg_axis *xa, size_t n,
		       const double *xs, const double *ys, const char *const *labels)
{
	double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
	for (size_t i = 0; xs && ys && i < n; i++) {
		if (!plottable(xs[i]) || !plottable(ys[i]))
			continue;
		xlo = fmin(xlo, xs[i]);
		xhi = fmax(xhi, xs[i]);
		ylo = fmin(ylo, ys[i]);
		yhi = fmax(yhi, ys[i]);
	}
	if (!(xlo <= xhi)) {
		empty_chart(b, o, "scatter");
		return;
	}
	axis_ticks *ya = malloc(sizeof *ya), *xt = malloc(sizeof *xt);
	if (!ya || !xt) {
		b->failed = true;
		goto cleanup;
	}
	/* A twentieth of each range as margin, so that no point sits on the
	 * frame; tick labels centred under the ends stay inside the chart. */
	double xm = (xhi - xlo) / 20, ym = (yhi - ylo) / 20;
	make_ticks(ya, ylo - ym, yhi + ym, 5, &o->value, o->lang, false);
	double top = top_of(o);
	double plot_top = top + 10, plot_bottom = plot_top + 300;
	double left = 8 + (o->value.title ? 18 : 0) + ya->widest + 6, right = WIDTH - 16;
	for (int pass = 0; pass < 2; pass++) {
		fit_ticks(xt, xlo - xm, xhi + xm, right - left, xa, o->lang, false);
		right = fmin(right, WIDTH - xt->widest / 2 - 2);
		left = fmax(left, xt->widest / 2 + 2);
	}
	scale x = {xt->t[0], xt->t[xt->n - 1], left, right};
	scale y = {ya->t[0], ya->t[ya->n - 1], plot_bottom, plot_top};
	double height = plot_bottom + 22 + (xa->title ? 18 : 0) + 6;

	open_root(b, o, "scatter", height, false);
	for (size_t k = 0; k < ya->n; k++) {
		double ty = map(&y, ya->t[k]);
		line(b, "grid", left, ty, right, ty, "#dddddd");
		text_at(b, left - 6, ty + 4, "end", 11, "tick");
		xml(b, ya->label[k]);
		mutu_sb__printf(b, "</text>\n");
	}
	for (size_t k = 0; k < xt->n; k++) {
		double tx = map(&x, xt->t[k]);
		line(b, "grid", tx, plot_top, tx, plot_bottom, "#dddddd");
		text_at(b, tx, plot_bottom + 15, "middle", 11, "tick");
		xml(b, xt->label[k]);
		mutu_sb__printf(b, "</text>\n");
	}
	line(b, "axis", left, plot_bottom, right, plot_bottom, "#333333");
	line(b, "axis", left, plot_top, left, plot_bottom, "#333333");
	axis_title_vertical(b, o->value.title, plot_top, plot_bottom);
	axis_title_horizontal(b, xa->title, left, right, plot_bottom + 33);
	for (size_t i = 0; i < n; i++) {
		if (!plottable(xs[i]) || !plottable(ys[i]))
			continue;
		const char *name = labels ? labels[i] : NULL;
		double cx = map(&x, xs[i]), cy = map(&y, ys[i]);
		char tx[LABEL_MAX], ty[LABEL_MAX];
		value_label(tx, xs[i], xa, xa->decimals, o->lang);
		value_label(ty, ys[i], &o->value, o->value.decimals, o->lang);
		mutu_sb__printf(b, "<circle class=\"point\" data-x=\"");
		exact(b, xs[i]);
		mutu_sb__printf(b, "\" data-y=\"");
		exact(b, ys[i]);
		mutu_sb__printf(b, "\"");
		if (name) {
			mutu_sb__printf(b, " data-label=\"");
			xml(b, name);
			mutu_sb__printf(b, "\"");
		}
		attr(b, "cx", cx);
		attr(b, "cy", cy);
		mutu_sb__printf(b, " r=\"4\" fill=\"%s\"><title>", palette[0]);
		if (name) {
			xml(b, name);
			mutu_sb__printf(b, "%s", o->lang == MUTU_LANG_EN ? ": " : "\xc2\xa0: ");
		}
		xml(b, tx);
		mutu_sb__printf(b, ", ");
		xml(b, ty);
		mutu_sb__printf(b, "</title></circle>\n");
		if (name) {
			size_t cols = 24;
			double w = CHAR_EM * 11 * fmin((double)mutu_fmt__width(name), (double)cols);
			bool leftwards = cx + 6 + w > WIDTH - 2;
			text_at(b, leftwards ? cx - 6 : cx + 6, cy - 6, leftwards ? "end" : "start",
				11, "point-label");
			xml_cut(b, name, cols);
			mutu_sb__printf(b, "</text>\n");
		}
	}
	mutu_sb__printf(b, "</svg>\n");
cleanup:
	free(ya);
	free(xt);
}

/* The HTML reports: see mutu/html.h.
 *
 * Each page is read from the report's JSON tree through jsonx.h, never
 * from the analysis structures, so that what the page shows is what the
 * JSON says: a test compares the two, and a field added to the JSON (per
 * member money, reasons) shows here without a change to this file (the
 * per-doctor table has a column for every field its rows carry).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "i18n.h"
#include "jsonw.h"
#include "jsonx.h"
#include "mutu/html.h"
#include "report.h"
#include "strbuf.h"
#include "svg.h"

/* ---------------- the page ---------------- */

/* A4 with 20 mm side margins leaves 170 mm: the 640-unit charts of svg.c
 * at 96 dpi.  Charts, table rows and headings never split across pages. */
static const char css[] =
    "@page{size:A4;margin:16mm 20mm}"
    "body{font-family:sans-serif;font-size:10.5pt;line-height:1.35;color:#1a1a1a;"
    "max-width:170mm;margin:0 auto;padding:8mm 0}"
    "h1{font-size:17pt;margin:0 0 2pt}h2{font-size:13.5pt;margin:14pt 0 4pt;"
    "border-bottom:2px solid #0072b2;padding-bottom:2pt}"
    "h1,h2,h3{break-after:avoid;page-break-after:avoid}"
    "h3{font-size:11pt;margin:10pt 0 3pt}"
    ".sub{color:#555;margin:0 0 8pt}"
    ".verdict{font-size:11.5pt;font-weight:bold;background:#eef5fb;border-left:4px solid "
    "#0072b2;padding:4pt 8pt;margin:6pt 0}"
    "table{border-collapse:collapse;width:100%;margin:4pt 0 8pt;font-size:9.5pt}"
    "th,td{border-bottom:1px solid #d0d0d0;padding:2pt 4pt;text-align:left;"
    "vertical-align:top}"
    "th{background:#f2f2f2;font-weight:600;vertical-align:bottom}"
    "table.plan{font-size:8.5pt}td:first-child{white-space:nowrap}"
    "th.num{white-space:normal}"
    "table.modalities{font-size:8pt}table.modalities td:nth-child(2){white-space:normal;"
    "overflow-wrap:anywhere}td.date{white-space:nowrap}"
    ".num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    "tr{break-inside:avoid;page-break-inside:avoid}"
    "tfoot td{font-weight:bold;border-top:1px solid #888}"
    "figure{margin:6pt 0 10pt;break-inside:avoid;page-break-inside:avoid}"
    "figure svg{display:block;max-width:100%;height:auto}"
    ".note{color:#555;font-size:9pt}"
    "ul.excluded{margin:2pt 0 6pt;padding-left:16pt}"
    "section.group,section.modality{break-inside:auto}"
    "@media print{body{padding:0}.verdict{background:none}}";

static void page_begin(strbuf *b, const char *title, mutu_lang lang)
{
	mutu_sb__printf(b,
			"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			"<title>",
			mutu_lang_code(lang));
	mutu_fmt__sb_xml(b, title);
	mutu_sb__printf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
}

static void page_end(strbuf *b)
{
	mutu_sb__printf(b, "</body>\n</html>\n");
}

/* What a test compares with the JSON number (mutu_fmt__exact). */
static void exact(strbuf *b, double v)
{
	char s[40];
	mutu_sb__printf(b, "%s", mutu_fmt__exact(s, sizeof s, v));
}

static void text(strbuf *b, const char *s)
{
	mutu_fmt__sb_xml(b, s ? s : "");
}

/* <td class="num" data-value="v">formatted</td>; a missing value "—". */
static void td_number(strbuf *b, const jv *v, int decimals, unsigned style)
{
	if (!mutu_jx__is_number(v)) {
		mutu_sb__printf(b, "<td class=\"num\">—</td>");
		return;
	}
	double x = mutu_jx__num(v);
	mutu_sb__printf(b, "<td class=\"num\" data-value=\"");
	exact(b, x);
	mutu_sb__printf(b, "\">");
	mutu_fmt__sb_number(b, x, decimals, style, mutu_i18n__current());
	mutu_sb__printf(b, "</td>");
}

static void td_value(strbuf *b, double x, int decimals, unsigned style)
{
	jv *v = mutu_jw__number(x);
	if (!v) {
		b->failed = true;
		return;
	}
	td_number(b, v, decimals, style);
	mutu_jw__free(v);
}

/* A reason or a note of the JSON (English) in the page's language. */
static void sentence(strbuf *b, const char *s)
{
	char tr[MUTU_NOTE_SIZE];
	text(b, mutu_i18n__sentence(s ? s : "", tr, sizeof tr));
}

static void td_text(strbuf *b, const char *s)
{
	mutu_sb__printf(b, "<td>");
	text(b, s && *s ? s : "—");
	mutu_sb__printf(b, "</td>");
}

static void figure(strbuf *b, void (*draw)(strbuf *, const void *), const void *ctx)
{
	mutu_sb__printf(b, "<figure>\n");
	draw(b, ctx);
	mutu_sb__printf(b, "\n</figure>\n");
}

static double num_or(const jv *obj, const char *key, double fallback)
{
	const jv *v = mutu_jx__member(obj, key);
	return mutu_jx__is_number(v) ? mutu_jx__num(v) : fallback;
}

static const char *str_or(const jv *obj, const char *key, const char *fallback)
{
	const char *s = mutu_jx__str(mutu_jx__member(obj, key));
	return s ? s : fallback;
}

/* Appends a formatted number to b (the thread's language). */
static void number(strbuf *b, double v, int decimals, unsigned style)
{
	mutu_fmt__sb_number(b, v, decimals, style, mutu_i18n__current());
}

/* ---------------- solve ---------------- */

/* How each field of a pooled doctor reads: its label, decimals, unit.
 * Fields not listed here show under their JSON name (numbers with two
 * decimals, strings as they are). */
typedef struct field {
	const char *key;
	const char *label;
	int decimals;
	unsigned style;
} field;

static const field pooled_fields[] = {
    {"option", N_("Option"), 0, 0},
    {"assistant_etp", N_("Assistant (ETP)"), 2, MUTU_FMT_PLAIN},
    {"half_days", N_("Half-days a week"), 1, MUTU_FMT_PLAIN},
    {"patients", N_("New patients"), 1, MUTU_FMT_PLAIN},
    {"rate", N_("Growth"), 1, MUTU_FMT_PERCENT},
    {"share", N_("Share"), 0, MUTU_FMT_PLAIN},
    {"aid", N_("Aid share"), 0, MUTU_FMT_MONEY},
    {"aid_share", N_("Aid share"), 1, MUTU_FMT_PERCENT},
    {"cost", N_("Assistant cost"), 0, MUTU_FMT_MONEY},
    {"value", N_("Value of new patients"), 0, MUTU_FMT_MONEY},
    {"net", N_("Net pooled"), 0, MUTU_FMT_MONEY},
    {"net_individual", N_("Net alone"), 0, MUTU_FMT_MONEY},
    {"gain", N_("Gain"), 0, MUTU_FMT_MONEY | MUTU_FMT_PLUS},
    {"reason", N_("Reason"), 0, 0},
    {"reasons", N_("Reasons"), 0, 0},
};
#define NPOOLED_FIELDS (sizeof pooled_fields / sizeof pooled_fields[0])

static const field *known_field(const char *key)
{
	for (size_t i = 0; i < NPOOLED_FIELDS; i++)
		if (strcmp(pooled_fields[i].key, key) == 0)
			return &pooled_fields[i];
	return NULL;
}

/* The individual entry of `doctor` in group `g`'s individual.doctors. */
static const jv *individual_of(const jv *g, const char *doctor)
{
	const jv *docs = mutu_jx__member(mutu_jx__member(g, "individual"), "doctors");
	for (const jv *d = mutu_jx__child(docs); d; d = mutu_jx__next(d)) {
		const char *id = str_or(d, "doctor", NULL);
		if (id && doctor && strcmp(id, doctor) == 0)
			return d;
	}
	return NULL;
}

/* A cell for any JSON value: numbers formatted, strings escaped, arrays
 * of strings joined, anything else "—". */
static void td_any(strbuf *b, const jv *v, const field *f)
{
	if (mutu_jx__is_number(v)) {
		td_number(b, v, f ? f->decimals : 2, f ? f->style : MUTU_FMT_PLAIN);
	} else if (mutu_jx__is_string(v) && f && strncmp(f->key, "reason", 6) == 0) {
		mutu_sb__printf(b, "<td>");
		sentence(b, mutu_jx__str(v));
		mutu_sb__printf(b, "</td>");
	} else if (mutu_jx__is_string(v)) {
		td_text(b, mutu_jx__str(v));
	} else if (mutu_jx__is_array(v)) {
		mutu_sb__printf(b, "<td>");
		const char *sep = "";
		for (const jv *e = mutu_jx__child(v); e; e = mutu_jx__next(e)) {
			const char *s = mutu_jx__str(e);
			if (!s)
				s = mutu_jx__str(mutu_jx__member(e, "reason"));
			if (!s)
				continue;
			mutu_sb__printf(b, "%s", sep);
			sentence(b, s); /* notes and reasons */
			sep = "; ";
		}
		mutu_sb__printf(b, "</td>");
	} else {
		td_text(b, NULL);
	}
}

/* The keys the pooled doctors carry, in order of first appearance, but
 * "doctor" (the row's head).  At most 32. */
#define MAX_KEYS 32
static size_t doctor_keys(const jv *docs, const char **keys)
{
	size_t n = 0;
	for (const jv *d = mutu_jx__child(docs); d; d = mutu_jx__next(d))
		for (const jv *m = mutu_jx__child(d); m; m = mutu_jx__next(m)) {
			const char *k = mutu_jx__key(m);
			bool seen = !k || strcmp(k, "doctor") == 0;
			for (size_t i = 0; i < n && !seen; i++)
				seen = strcmp(keys[i], k) == 0;
			if (!seen && n < MAX_KEYS)
				keys[n++] = k;
		}
	return n;
}

/* The plan per doctor: every field the pooled doctors carry, the half-days
 * a week of assistant (10 half-days make one ETP), then beside it the same
 * doctor alone, and the gain.  The aid share and the pooled net of a
 * member are the JSON's when it gives them, else the group's totals split
 * in proportion to the member's new patients (said under the table). */
static void plan_table(strbuf *b, const jv *g)
{
	const jv *pooled = mutu_jx__member(g, "pooled");
	const jv *docs = mutu_jx__member(pooled, "doctors");
	const char *keys[MAX_KEYS];
	size_t nkeys = doctor_keys(docs, keys);
	bool has_aid = false, has_net = false, has_half = false, has_gain = false;
	for (size_t i = 0; i < nkeys; i++) {
		has_aid |= strcmp(keys[i], "aid") == 0 || strcmp(keys[i], "aid_share") == 0;
		has_net |= strcmp(keys[i], "net") == 0;
		has_half |= strcmp(keys[i], "half_days") == 0;
		has_gain |= strcmp(keys[i], "gain") == 0;
	}
	double total_patients = num_or(pooled, "objective", 0);
	double aid = num_or(pooled, "aid", NAN), net = num_or(pooled, "net", NAN);
	bool prorata = !has_aid || !has_net;

	mutu_sb__printf(b, "<table class=\"plan\">\n<thead><tr><th>%s</th>", _("Doctor"));
	for (size_t i = 0; i < nkeys; i++) {
		const field *f = known_field(keys[i]);
		mutu_sb__printf(b, "<th%s>",
				f && !f->style && f->decimals == 0 ? "" : " class=\"num\"");
		text(b, f ? _(f->label) : keys[i]);
		mutu_sb__printf(b, "</th>");
		if (strcmp(keys[i], "assistant_etp") == 0 && !has_half)
			mutu_sb__printf(b, "<th class=\"num\">%s</th>", _("Half-days a week"));
	}
	if (!has_aid)
		mutu_sb__printf(b, "<th class=\"num\">%s</th>", _("Aid share"));
	mutu_sb__printf(b, "<th class=\"num\">%s</th>", _("Net alone"));
	if (!has_net)
		mutu_sb__printf(b, "<th class=\"num\">%s</th>", _("Net pooled"));
	if (!has_gain)
		mutu_sb__printf(b, "<th class=\"num\">%s</th>", _("Gain"));
	mutu_sb__printf(b, "</tr></thead>\n<tbody>\n");

	for (const jv *d = mutu_jx__child(docs); d; d = mutu_jx__next(d)) {
		const char *id = str_or(d, "doctor", "");
		const jv *ind = individual_of(g, id);
		double p = num_or(d, "patients", 0);
		double part = total_patients > 0 ? p / total_patients : 0;
		mutu_sb__printf(b, "<tr data-doctor=\"");
		text(b, id);
		mutu_sb__printf(b, "\"><td>");
		text(b, id);
		mutu_sb__printf(b, "</td>");
		for (size_t i = 0; i < nkeys; i++) {
			td_any(b, mutu_jx__member(d, keys[i]), known_field(keys[i]));
			if (strcmp(keys[i], "assistant_etp") == 0 && !has_half)
				td_value(b, 10 * num_or(d, "assistant_etp", 0), 1, MUTU_FMT_PLAIN);
		}
		if (!has_aid)
			td_value(b, aid * part, 0, MUTU_FMT_MONEY);
		double alone = num_or(ind, "net", NAN);
		td_number(b, mutu_jx__member(ind, "net"), 0, MUTU_FMT_MONEY);
		double together = has_net ? num_or(d, "net", NAN) : net * part;
		if (!has_net)
			td_value(b, together, 0, MUTU_FMT_MONEY);
		if (!has_gain)
			td_value(b, together - alone, 0, MUTU_FMT_MONEY | MUTU_FMT_PLUS);
		mutu_sb__printf(b, "</tr>\n");
	}
	mutu_sb__printf(b, "</tbody>\n</table>\n");
	if (prorata)
		mutu_sb__printf(b, "<p class=\"note\">%s</p>\n",
				_("The aid and the pooled net of each doctor are the group's "
				  "totals split in proportion to his new patients."));
}

/* Who carries what: each member's best individual objective beside his
 * share of the pooled objective. */
typedef struct carry_chart {
	const jv *g;
	const char *id;
} carry_chart;

static void draw_carry(strbuf *b, const void *ctx)
{
	const carry_chart *c = ctx;
	const jv *docs = mutu_jx__member(mutu_jx__member(c->g, "pooled"), "doctors");
	size_t n = mutu_jx__size(docs), i = 0;
	const char **names = calloc(n ? n : 1, sizeof *names);
	double *alone = calloc(n ? n : 1, sizeof *alone);
	double *pooled = calloc(n ? n : 1, sizeof *pooled);
	if (!names || !alone || !pooled) {
		b->failed = true;
	} else {
		for (const jv *d = mutu_jx__child(docs); d && i < n; d = mutu_jx__next(d), i++) {
			names[i] = str_or(d, "doctor", "");
			alone[i] = num_or(individual_of(c->g, names[i]), "objective", NAN);
			pooled[i] = num_or(d, "patients", NAN);
		}
		const char *series[] = {_("Individual objective"), _("Pooled share")};
		const double *values[] = {alone, pooled};
		mutu_svg_series s = {n, 2, series, values};
		mutu_svg_opts o = {.title = _("Who carries what: new patients per doctor"),
				   .id = c->id,
				   .lang = mutu_i18n__current(),
				   .value = {_("new patients"), MUTU_FMT_PLAIN, 0}};
		mutu_svg__bars(b, &o, names, &s);
	}
	free(names);
	free(alone);
	free(pooled);
}

/* The aid year by year (the JSON's aid_by_year) beside the assistant's
 * cost and the value of the new patients, each the total over the horizon
 * spread evenly over its years. */
static void draw_years(strbuf *b, const void *ctx)
{
	const carry_chart *c = ctx;
	const jv *pooled = mutu_jx__member(c->g, "pooled");
	const jv *years = mutu_jx__member(pooled, "aid_by_year");
	size_t n = mutu_jx__size(years), i = 0;
	double *aid = calloc(n ? n : 1, sizeof *aid), *cost = calloc(n ? n : 1, sizeof *cost),
	       *value = calloc(n ? n : 1, sizeof *value);
	int *labels = calloc(n ? n : 1, sizeof *labels);
	if (!aid || !cost || !value || !labels) {
		b->failed = true;
	} else {
		for (const jv *y = mutu_jx__child(years); y && i < n; y = mutu_jx__next(y), i++) {
			aid[i] = mutu_jx__num(y);
			cost[i] = num_or(pooled, "cost", NAN) / (double)n;
			value[i] = num_or(pooled, "value", NAN) / (double)n;
			labels[i] = (int)i + 1;
		}
		const char *series[] = {_("Aid"), _("Assistant cost"), _("Value of new patients")};
		const double *values[] = {aid, cost, value};
		mutu_svg_series s = {n, 3, series, values};
		mutu_svg_opts o = {.title = _("Aid, cost and value by contract year"),
				   .id = c->id,
				   .lang = mutu_i18n__current(),
				   .value = {NULL, MUTU_FMT_MONEY, 0}};
		mutu_svg__years(b, &o, labels, &s);
	}
	free(aid);
	free(cost);
	free(value);
	free(labels);
}

/* The verdict in one sentence, from the gain (and the reason when there
 * is no plan). */
static void verdict(strbuf *b, const jv *g, int horizon)
{
	const jv *gain = mutu_jx__member(g, "gain");
	const char *reason = str_or(g, "reason", str_or(g, "error", NULL));
	mutu_sb__printf(b, "<p class=\"verdict\">");
	if (!mutu_jx__is_object(mutu_jx__member(g, "pooled"))) {
		strbuf r = {0};
		sentence(&r, reason);
		mutu_sb__printf(b, _("No pooled contract for this group: %s."), r.s ? r.s : "");
		b->failed |= r.failed;
		free(r.s);
	} else if (!mutu_jx__is_object(gain)) {
		mutu_sb__printf(b, "%s", _("The gain of pooling is unknown."));
	} else {
		double dn = num_or(gain, "net", 0), dt = num_or(gain, "patients", 0);
		if (fabs(dn) < 0.5 && fabs(dt) < 0.5) {
			mutu_sb__printf(b, "%s",
					_("Pooling changes nothing for this group: the individual "
					  "contracts do as well."));
		} else {
			char net[64], pat[64];
			mutu_lang l = mutu_i18n__current();
			mutu_fmt__money(net, sizeof net, fabs(dn), 0, l);
			mutu_fmt__integer(pat, sizeof pat, fabs(dt), l);
			unsigned long whole = (unsigned long)fabs(round(dt));
			if (dn >= 0 && dt >= 0)
				mutu_sb__printf(
				    b,
				    P_("Pooling gains the doctors %s over %d years and adds %s new "
				       "patient.",
				       "Pooling gains the doctors %s over %d years and adds %s new "
				       "patients.",
				       whole),
				    net, horizon, pat);
			else if (dn >= 0)
				mutu_sb__printf(b,
						P_("Pooling gains the doctors %s over %d years but "
						   "takes on %s new patient fewer.",
						   "Pooling gains the doctors %s over %d years but "
						   "takes on %s new patients fewer.",
						   whole),
						net, horizon, pat);
			else if (dt >= 0)
				mutu_sb__printf(b,
						P_("Pooling costs the doctors %s over %d years and "
						   "adds %s new patient.",
						   "Pooling costs the doctors %s over %d years and "
						   "adds %s new patients.",
						   whole),
						net, horizon, pat);
			else
				mutu_sb__printf(b,
						P_("Pooling costs the doctors %s over %d years and "
						   "takes on %s new patient fewer.",
						   "Pooling costs the doctors %s over %d years and "
						   "takes on %s new patients fewer.",
						   whole),
						net, horizon, pat);
		}
	}
	mutu_sb__printf(b, "</p>\n");
}

/* The figures of the plan, and the same doctors alone. */
static void totals_table(strbuf *b, const jv *g)
{
	const jv *p = mutu_jx__member(g, "pooled"), *ind = mutu_jx__member(g, "individual");
	mutu_sb__printf(
	    b,
	    "<table class=\"totals\">\n<thead><tr><th></th><th class=\"num\">%s</th>"
	    "<th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead>\n<tbody>\n",
	    _("Pooled"), _("Individual"), _("Gain"));
	static const field rows[] = {{"etp", N_("Assistant (ETP)"), 2, MUTU_FMT_PLAIN},
				     {"objective", N_("New patients"), 0, MUTU_FMT_PLAIN},
				     {"aid", N_("Aid"), 0, MUTU_FMT_MONEY},
				     {"cost", N_("Assistant cost"), 0, MUTU_FMT_MONEY},
				     {"value", N_("Value of new patients"), 0, MUTU_FMT_MONEY},
				     {"net", N_("Net for the doctors"), 0, MUTU_FMT_MONEY}};
	const jv *gain = mutu_jx__member(g, "gain");
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if (!mutu_jx__member(p, rows[i].key) && !mutu_jx__member(ind, rows[i].key))
			continue;
		mutu_sb__printf(b, "<tr data-key=\"%s\"><td>%s</td>", rows[i].key,
				_(rows[i].label));
		td_number(b, mutu_jx__member(p, rows[i].key), rows[i].decimals, rows[i].style);
		td_number(b, mutu_jx__member(ind, rows[i].key), rows[i].decimals, rows[i].style);
		const char *gk = strcmp(rows[i].key, "objective") == 0 ? "patients" : rows[i].key;
		td_number(b, mutu_jx__member(gain, gk), rows[i].decimals,
			  rows[i].style | MUTU_FMT_PLUS);
		mutu_sb__printf(b, "</tr>\n");
	}
	if (mutu_jx__is_number(mutu_jx__member(p, "max_rate"))) {
		mutu_sb__printf(b, "<tr data-key=\"max_rate\"><td>%s</td>",
				_("Largest growth asked of one member"));
		td_number(b, mutu_jx__member(p, "max_rate"), 1, MUTU_FMT_PERCENT);
		mutu_sb__printf(b, "<td></td><td></td></tr>\n");
	}
	mutu_sb__printf(b, "</tbody>\n</table>\n");
}

/* The doctors alone: their best individual contract. */
static void individual_table(strbuf *b, const jv *g)
{
	const jv *docs = mutu_jx__member(mutu_jx__member(g, "individual"), "doctors");
	if (!mutu_jx__size(docs))
		return;
	mutu_sb__printf(
	    b,
	    "<h3>%s</h3>\n<table class=\"individual\">\n<thead><tr><th>%s</th><th>%s</th>"
	    "<th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead>\n"
	    "<tbody>\n",
	    _("The same doctors with individual contracts"), _("Doctor"), _("Band"), _("Option"),
	    _("New patients"), _("Net alone"));
	for (const jv *d = mutu_jx__child(docs); d; d = mutu_jx__next(d)) {
		mutu_sb__printf(b, "<tr>");
		td_text(b, str_or(d, "doctor", ""));
		td_text(b, mutu_i18n__band_key(str_or(d, "band", NULL)));
		const char *opt = str_or(d, "option", NULL);
		td_text(b, opt ? opt : _("none"));
		td_number(b, mutu_jx__member(d, "objective"), 0, MUTU_FMT_PLAIN);
		td_number(b, mutu_jx__member(d, "net"), 0, MUTU_FMT_MONEY);
		mutu_sb__printf(b, "</tr>\n");
	}
	mutu_sb__printf(b, "</tbody>\n</table>\n");
}

static void group_html(strbuf *b, const jv *g, size_t index)
{
	const char *sp = str_or(g, "specialty", "");
	const jv *members = mutu_jx__member(g, "members");
	size_t n = mutu_jx__size(members);
	const jv *pooled = mutu_jx__member(g, "pooled");
	int horizon = (int)mutu_jx__size(mutu_jx__member(pooled, "aid_by_year"));
	char id[64];
	mutu_sb__printf(b, "<section class=\"group\" data-specialty=\"");
	text(b, sp);
	mutu_sb__printf(b, "\" data-status=\"");
	text(b, str_or(g, "status", ""));
	mutu_sb__printf(b, "\">\n<h2>");
	text(b, sp);
	mutu_sb__printf(b, P_(" — %zu member", " — %zu members", n), n);
	mutu_sb__printf(b, "</h2>\n");
	verdict(b, g, horizon);
	const jv *exc = mutu_jx__member(g, "excluded");
	if (mutu_jx__size(exc)) {
		mutu_sb__printf(b, "<p>%s</p>\n<ul class=\"excluded\">\n", _("Not in the group:"));
		for (const jv *e = mutu_jx__child(exc); e; e = mutu_jx__next(e)) {
			mutu_sb__printf(b, "<li>");
			text(b, str_or(e, "doctor", ""));
			mutu_sb__printf(b, " — ");
			sentence(b, str_or(e, "reason", ""));
			mutu_sb__printf(b, "</li>\n");
		}
		mutu_sb__printf(b, "</ul>\n");
	}
	if (mutu_jx__is_object(pooled)) {
		const char *basis = str_or(g, "basis", "");
		mutu_sb__printf(b, "<h3>%s</h3>\n<p class=\"sub\">",
				_("The pooled plan per doctor"));
		strbuf etp = {0}, obj = {0};
		number(&etp, num_or(pooled, "etp", NAN), 2, MUTU_FMT_PLAIN);
		number(&obj, num_or(pooled, "objective", NAN), 0, MUTU_FMT_PLAIN);
		mutu_sb__printf(b,
				_("%s ETP of assistant, collective objective of %s new patients"),
				etp.s ? etp.s : "", obj.s ? obj.s : "");
		b->failed |= etp.failed || obj.failed;
		free(etp.s);
		free(obj.s);
		if (*basis)
			mutu_sb__printf(b, " (%s)",
					strcmp(basis, "pooled") == 0
					    ? _("pooled objective on the group's patient list")
					    : _("sum of the members' individual objectives"));
		mutu_sb__printf(b, ".</p>\n");
		plan_table(b, g);
		carry_chart c = {g, id};
		snprintf(id, sizeof id, "carry-%zu", index);
		figure(b, draw_carry, &c);
		snprintf(id, sizeof id, "years-%zu", index);
		figure(b, draw_years, &c);
		totals_table(b, g);
	}
	individual_table(b, g);
	mutu_sb__printf(b, "</section>\n");
}

char *mutu_html_solve(const mutu_analysis *a, mutu_lang lang)
{
	mutu_lang old = mutu_i18n__use(lang);
	jv *root = mutu_report__solve_tree(a, 0);
	strbuf b = {0};
	if (!root) {
		mutu_i18n__use(old);
		return NULL;
	}
	const mutu_cabinet *c = a->cab;
	strbuf title = {0};
	mutu_sb__printf(&title, _("Pooled assistant contract — %s"), c->name ? c->name : c->id);
	page_begin(&b, title.s ? title.s : "", lang);
	mutu_sb__printf(&b, "<header>\n<h1>");
	text(&b, title.s);
	mutu_sb__printf(&b, "</h1>\n<p class=\"sub\">");
	strbuf sub = {0};
	mutu_sb__printf(&sub, _("Cabinet %s, rules %s, goal %s."), str_or(root, "cabinet", ""),
			str_or(root, "rules", ""),
			strcmp(str_or(root, "goal", ""), "patients") == 0
			    ? _("most new patients")
			    : _("the doctors' net value"));
	text(&b, sub.s);
	mutu_sb__printf(&b, "</p>\n</header>\n");
	b.failed |= title.failed || sub.failed;
	free(title.s);
	free(sub.s);
	const jv *groups = mutu_jx__member(root, "groups");
	if (!mutu_jx__size(groups))
		mutu_sb__printf(&b, "<p>%s</p>\n", _("No doctor to group."));
	size_t i = 0;
	for (const jv *g = mutu_jx__child(groups); g; g = mutu_jx__next(g))
		group_html(&b, g, i++);
	page_end(&b);
	mutu_jw__free(root);
	mutu_i18n__use(old);
	return mutu_sb__take(&b);
}

/* ---------------- the JSON of another report, read back ---------------- */

static jv *parse_back(char *json)
{
	if (!json)
		return NULL;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	jx x = {"report", &errs, false};
	jv *doc = mutu_jx__parse(&x, json, strlen(json));
	free(json);
	return doc;
}

/* ---------------- simulate ---------------- */

static const char *year_status(const char *s)
{
	if (strcmp(s, "assessed") == 0)
		return _("assessed");
	if (strcmp(s, "suspended") == 0)
		return _("suspended");
	if (strcmp(s, "not_assessed") == 0)
		return _("not assessed");
	return s;
}

static void draw_sim_years(strbuf *b, const void *ctx)
{
	const jv *years = mutu_jx__member(ctx, "years");
	size_t n = mutu_jx__size(years), i = 0;
	double *aid = calloc(n ? n : 1, sizeof *aid), *due = calloc(n ? n : 1, sizeof *due);
	int *labels = calloc(n ? n : 1, sizeof *labels);
	if (!aid || !due || !labels) {
		b->failed = true;
	} else {
		for (const jv *y = mutu_jx__child(years); y && i < n; y = mutu_jx__next(y), i++) {
			aid[i] = num_or(y, "aid", NAN);
			due[i] = num_or(y, "aid_due", NAN);
			labels[i] = (int)num_or(y, "year", (double)i + 1);
		}
		const char *series[] = {_("Aid"), _("Aid due after modulation")};
		const double *values[] = {aid, due};
		mutu_svg_series s = {n, 2, series, values};
		mutu_svg_opts o = {.title = _("Aid by contract year"),
				   .id = "sim-years",
				   .lang = mutu_i18n__current(),
				   .value = {NULL, MUTU_FMT_MONEY, 0}};
		mutu_svg__years(b, &o, labels, &s);
	}
	free(aid);
	free(due);
	free(labels);
}

static void draw_sim_patients(strbuf *b, const void *ctx)
{
	const jv *years = mutu_jx__member(ctx, "years");
	size_t n = mutu_jx__size(years), i = 0;
	double *obj = calloc(n ? n : 1, sizeof *obj), *pat = calloc(n ? n : 1, sizeof *pat);
	int *labels = calloc(n ? n : 1, sizeof *labels);
	if (!obj || !pat || !labels) {
		b->failed = true;
	} else {
		for (const jv *y = mutu_jx__child(years); y && i < n; y = mutu_jx__next(y), i++) {
			obj[i] = num_or(y, "objective", NAN);
			pat[i] = num_or(y, "patients", NAN);
			labels[i] = (int)num_or(y, "year", (double)i + 1);
		}
		const char *series[] = {_("Objective"), _("Patients achieved")};
		const double *values[] = {obj, pat};
		mutu_svg_series s = {n, 2, series, values};
		mutu_svg_opts o = {.title = _("New patients: objective and achieved"),
				   .id = "sim-patients",
				   .lang = mutu_i18n__current(),
				   .value = {_("new patients"), MUTU_FMT_PLAIN, 0}};
		mutu_svg__years(b, &o, labels, &s);
	}
	free(obj);
	free(pat);
	free(labels);
}

static void simulation_page(strbuf *b, const jv *root, mutu_lang lang)
{
	strbuf title = {0};
	mutu_sb__printf(&title, _("Contract %s year by year"), str_or(root, "contract", ""));
	page_begin(b, title.s ? title.s : "", lang);
	mutu_sb__printf(b, "<header>\n<h1>");
	text(b, title.s);
	mutu_sb__printf(b, "</h1>\n<p class=\"sub\">");
	strbuf sub = {0};
	int n = (int)num_or(root, "horizon_years", 0);
	mutu_sb__printf(&sub, P_("%s, %s: %d year from %s.", "%s, %s: %d years from %s.", n),
			str_or(root, "structure", ""), str_or(root, "specialty", ""), n,
			str_or(root, "start", ""));
	mutu_sb__printf(&sub, " ");
	mutu_sb__printf(&sub, _("Achievement assessed from year %d %s, modulation %s."),
			(int)num_or(root, "check_from_year", 0),
			strcmp(str_or(root, "assessment", ""), "individual") == 0
			    ? _("member by member")
			    : _("at the structure level"),
			strcmp(str_or(root, "modulation", ""), "prorata") == 0
			    ? _("in proportion to the patients achieved")
			    : _("all or nothing"));
	text(b, sub.s);
	mutu_sb__printf(b, "</p>\n</header>\n");
	b->failed |= title.failed || sub.failed;
	free(title.s);
	free(sub.s);

	const jv *tot = mutu_jx__member(root, "totals");
	strbuf v = {0}, w = {0};
	number(&v, num_or(tot, "aid_due", NAN), 0, MUTU_FMT_MONEY);
	number(&w, num_or(tot, "withheld", NAN), 0, MUTU_FMT_MONEY);
	mutu_sb__printf(b, "<p class=\"verdict\">");
	mutu_sb__printf(b, _("The contract pays %s over its years; the modulation withholds %s."),
			v.s ? v.s : "", w.s ? w.s : "");
	mutu_sb__printf(b, "</p>\n");
	b->failed |= v.failed || w.failed;
	free(v.s);
	free(w.s);

	mutu_sb__printf(
	    b,
	    "<table class=\"years\">\n<thead><tr><th class=\"num\">%s</th><th>%s</th>"
	    "<th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
	    "<th class=\"num\">%s</th><th>%s</th><th class=\"num\">%s</th>"
	    "<th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead>\n<tbody>\n",
	    _("Year"), _("From"), _("Members"), _("ETP"), _("Objective"), _("Patients"),
	    _("Status"), _("Paid"), _("Aid"), _("Aid due"));
	for (const jv *y = mutu_jx__child(mutu_jx__member(root, "years")); y;
	     y = mutu_jx__next(y)) {
		mutu_sb__printf(b, "<tr>");
		td_number(b, mutu_jx__member(y, "year"), 0, MUTU_FMT_PLAIN);
		mutu_sb__printf(b, "<td class=\"date\">");
		text(b, str_or(y, "from", ""));
		mutu_sb__printf(b, "</td>");
		mutu_sb__printf(b, "<td>");
		const char *sep = "";
		for (const jv *m = mutu_jx__child(mutu_jx__member(y, "members")); m;
		     m = mutu_jx__next(m)) {
			mutu_sb__printf(b, "%s", sep);
			text(b, mutu_jx__str(m));
			sep = ", ";
		}
		mutu_sb__printf(b, "</td>");
		td_number(b, mutu_jx__member(y, "etp"), 2, MUTU_FMT_PLAIN);
		td_number(b, mutu_jx__member(y, "objective"), 0, MUTU_FMT_PLAIN);
		td_number(b, mutu_jx__member(y, "patients"), 0, MUTU_FMT_PLAIN);
		td_text(b, year_status(str_or(y, "status", "")));
		td_number(b, mutu_jx__member(y, "paid_fraction"), 1, MUTU_FMT_PERCENT);
		td_number(b, mutu_jx__member(y, "aid"), 0, MUTU_FMT_MONEY);
		td_number(b, mutu_jx__member(y, "aid_due"), 0, MUTU_FMT_MONEY);
		mutu_sb__printf(b, "</tr>\n");
	}
	mutu_sb__printf(b, "</tbody>\n<tfoot><tr><td colspan=\"8\">%s</td>", _("Total"));
	td_number(b, mutu_jx__member(tot, "aid"), 0, MUTU_FMT_MONEY);
	td_number(b, mutu_jx__member(tot, "aid_due"), 0, MUTU_FMT_MONEY);
	mutu_sb__printf(b, "</tr></tfoot>\n</table>\n");
	figure(b, draw_sim_years, root);
	figure(b, draw_sim_patients, root);
	page_end(b);
}

char *mutu_html_simulation(const mutu_contract *ct, const mutu_simulation *sim,
			   const mutu_rules *rules, const mutu_cabinet *cab, mutu_lang lang)
{
	jv *root = parse_back(mutu_report_simulation(ct, sim, rules, cab, MUTU_FORMAT_JSON));
	if (!root)
		return NULL;
	mutu_lang old = mutu_i18n__use(lang);
	strbuf b = {0};
	simulation_page(&b, root, lang);
	mutu_i18n__use(old);
	mutu_jx__free(root);
	return mutu_sb__take(&b);
}

/* ---------------- sweep ---------------- */

/* The scope "all" of a modality. */
static const jv *scope_all(const jv *mod)
{
	for (const jv *s = mutu_jx__child(mutu_jx__member(mod, "scopes")); s; s = mutu_jx__next(s))
		if (strcmp(str_or(s, "scope", ""), "all") == 0)
			return s;
	return NULL;
}

/* What the payer pays more and the patients gained against the status
 * quo: formats.md's `delta` when the sweep gives it, else the pooled
 * figures less the same doctors' individual contracts. */
static double delta_aid(const jv *s)
{
	const jv *d = mutu_jx__member(s, "delta");
	if (d)
		return num_or(d, "aid", NAN);
	return num_or(s, "pooled_aid", NAN) - num_or(mutu_jx__member(s, "individual"), "aid", NAN);
}

static double delta_patients(const jv *s)
{
	const jv *d = mutu_jx__member(s, "delta");
	if (d)
		return num_or(d, "patients", NAN);
	return num_or(s, "new_patients", NAN) -
	       num_or(mutu_jx__member(s, "individual"), "new_patients", NAN);
}

/* Euros per extra patient: the sweep's own figure when it has one (null
 * when no patient is gained), else the aid per new patient. */
static double euros_per_patient(const jv *s)
{
	const jv *e = mutu_jx__member(s, "euros_per_extra_patient");
	if (e)
		return mutu_jx__is_number(e) ? mutu_jx__num(e) : NAN;
	return num_or(s, "aid_per_new_patient", NAN);
}

static bool has_euros_per_extra(const jv *mods)
{
	for (const jv *m = mutu_jx__child(mods); m; m = mutu_jx__next(m))
		if (mutu_jx__member(scope_all(m), "euros_per_extra_patient"))
			return true;
	return false;
}

/* Groups that lose and gain: the `losers` count when given, else the
 * shares times the groups (shares are rounded to 4 places: the count is
 * the nearest whole number). */
static double losers(const jv *s)
{
	const jv *l = mutu_jx__member(s, "losers");
	if (mutu_jx__is_number(mutu_jx__member(l, "groups")))
		return mutu_jx__num(mutu_jx__member(l, "groups"));
	return round(num_or(s, "share_loss", NAN) * num_or(s, "groups", NAN));
}

static double winners(const jv *s)
{
	return round(num_or(s, "share_gain", NAN) * num_or(s, "groups", NAN));
}

typedef struct sweep_ctx {
	const jv *mods;
	size_t n;
	const char **labels;
} sweep_ctx;

static void draw_euros(strbuf *b, const void *ctx)
{
	const sweep_ctx *c = ctx;
	double *v = calloc(c->n ? c->n : 1, sizeof *v);
	if (!v) {
		b->failed = true;
		return;
	}
	size_t i = 0;
	for (const jv *m = mutu_jx__child(c->mods); m && i < c->n; m = mutu_jx__next(m), i++)
		v[i] = euros_per_patient(scope_all(m));
	const char *series[] = {has_euros_per_extra(c->mods) ? _("Euros per extra patient")
							     : _("Aid per new patient")};
	const double *values[] = {v};
	mutu_svg_series s = {c->n, 1, series, values};
	mutu_svg_opts o = {.title = _("What a patient costs the payer, by modality"),
			   .id = "sweep-euros",
			   .lang = mutu_i18n__current(),
			   .value = {NULL, MUTU_FMT_MONEY, 0},
			   .flags = MUTU_SVG_HORIZONTAL};
	mutu_svg__bars(b, &o, c->labels, &s);
	free(v);
}

static void draw_scatter(strbuf *b, const void *ctx)
{
	const sweep_ctx *c = ctx;
	double *x = calloc(c->n ? c->n : 1, sizeof *x), *y = calloc(c->n ? c->n : 1, sizeof *y);
	if (!x || !y) {
		b->failed = true;
	} else {
		size_t i = 0;
		for (const jv *m = mutu_jx__child(c->mods); m && i < c->n;
		     m = mutu_jx__next(m), i++) {
			x[i] = delta_aid(scope_all(m));
			y[i] = delta_patients(scope_all(m));
		}
		mutu_svg_axis xa = {_("extra aid paid"), MUTU_FMT_MONEY, 0};
		mutu_svg_opts o = {.title = _("Payer's cost against patients gained"),
				   .id = "sweep-scatter",
				   .lang = mutu_i18n__current(),
				   .value = {_("patients gained"), MUTU_FMT_PLAIN, 0}};
		mutu_svg__scatter(b, &o, &xa, c->n, x, y, c->labels);
	}
	free(x);
	free(y);
}

static void draw_diverging(strbuf *b, const void *ctx)
{
	const sweep_ctx *c = ctx;
	double *lose = calloc(c->n ? c->n : 1, sizeof *lose),
	       *win = calloc(c->n ? c->n : 1, sizeof *win);
	if (!lose || !win) {
		b->failed = true;
	} else {
		size_t i = 0;
		for (const jv *m = mutu_jx__child(c->mods); m && i < c->n;
		     m = mutu_jx__next(m), i++) {
			lose[i] = losers(scope_all(m));
			win[i] = winners(scope_all(m));
		}
		const char *series[] = {_("Groups that lose"), _("Groups that gain")};
		const double *values[] = {lose, win};
		mutu_svg_series s = {c->n, 2, series, values};
		mutu_svg_opts o = {.title = _("Winners and losers of pooling"),
				   .id = "sweep-winners",
				   .lang = mutu_i18n__current(),
				   .value = {_("groups"), MUTU_FMT_PLAIN, 0}};
		mutu_svg__diverging(b, &o, c->labels, &s);
	}
	free(lose);
	free(win);
}

#define NDECILES 9

static void draw_deciles(strbuf *b, const void *ctx)
{
	const sweep_ctx *c = ctx;
	double *v = calloc((c->n ? c->n : 1) * NDECILES, sizeof *v);
	const double **rows = calloc(c->n ? c->n : 1, sizeof *rows);
	if (!v || !rows) {
		b->failed = true;
	} else {
		size_t i = 0;
		for (const jv *m = mutu_jx__child(c->mods); m && i < c->n;
		     m = mutu_jx__next(m), i++) {
			const jv *d = mutu_jx__child(mutu_jx__member(scope_all(m), "gain_deciles"));
			for (size_t k = 0; k < NDECILES; k++, d = mutu_jx__next(d))
				v[i * NDECILES + k] = mutu_jx__is_number(d) ? mutu_jx__num(d) : NAN;
			rows[i] = &v[i * NDECILES];
		}
		mutu_svg_series s = {NDECILES, c->n, c->labels, rows};
		mutu_svg_opts o = {.title = _("Deciles of the gain per group"),
				   .id = "sweep-deciles",
				   .lang = mutu_i18n__current(),
				   .value = {NULL, MUTU_FMT_MONEY, 0}};
		mutu_svg__deciles(b, &o, &s);
	}
	free(v);
	free(rows);
}

static void sweep_table(strbuf *b, const sweep_ctx *c)
{
	bool extra = has_euros_per_extra(c->mods);
	mutu_sb__printf(
	    b,
	    "<table class=\"modalities\">\n<thead><tr><th></th><th>%s</th><th class=\"num\">%s</th>"
	    "<th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
	    "<th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
	    "<th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead>\n<tbody>\n",
	    _("Modality"), _("Groups"), _("Plans"), _("Pooling beats individual"), _("Pooled ETP"),
	    _("Pooled aid"), _("New patients"),
	    extra ? _("Euros per extra patient") : _("Aid per new patient"), _("Groups that gain"),
	    _("Gain in total"));
	size_t i = 0;
	for (const jv *m = mutu_jx__child(c->mods); m; m = mutu_jx__next(m), i++) {
		const jv *s = scope_all(m);
		mutu_sb__printf(b, "<tr>");
		td_text(b, c->labels[i]);
		td_text(b, str_or(m, "modality", ""));
		td_number(b, mutu_jx__member(s, "groups"), 0, MUTU_FMT_PLAIN);
		td_number(b, mutu_jx__member(s, "plans"), 0, MUTU_FMT_PLAIN);
		td_number(b, mutu_jx__member(s, "pooling_beats_individual"), 0, MUTU_FMT_PLAIN);
		td_number(b, mutu_jx__member(s, "pooled_etp"), 1, MUTU_FMT_PLAIN);
		td_number(b, mutu_jx__member(s, "pooled_aid"), 0, MUTU_FMT_MONEY);
		td_number(b, mutu_jx__member(s, "new_patients"), 0, MUTU_FMT_PLAIN);
		td_value(b, euros_per_patient(s), 2, MUTU_FMT_MONEY);
		td_number(b, mutu_jx__member(s, "share_gain"), 1, MUTU_FMT_PERCENT);
		td_number(b, mutu_jx__member(s, "gain_total"), 0, MUTU_FMT_MONEY);
		mutu_sb__printf(b, "</tr>\n");
	}
	mutu_sb__printf(b, "</tbody>\n</table>\n");
}

static void sweep_page(strbuf *b, const jv *mods, mutu_lang lang)
{
	size_t n = mutu_jx__size(mods), i = 0;
	const char **labels = calloc(n ? n : 1, sizeof *labels);
	if (!labels) {
		b->failed = true;
		return;
	}
	/* Modalities often differ only at the end of long labels: the charts
	 * name them M1, M2... and the table says which is which. */
	char(*shorts)[24] = calloc(n ? n : 1, sizeof *shorts);
	if (!shorts) {
		free(labels);
		b->failed = true;
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(shorts[i], sizeof shorts[i], "M%zu", i + 1);
		labels[i] = shorts[i];
	}
	page_begin(b, _("Modalities side by side"), lang);
	mutu_sb__printf(b, "<header>\n<h1>%s</h1>\n<p class=\"sub\">",
			_("Modalities side by side"));
	const jv *first = mutu_jx__child(mods);
	strbuf sub = {0};
	unsigned long structures = (unsigned long)num_or(first, "structures", 0);
	mutu_sb__printf(&sub,
			P_("%zu modality over %lu structure; the base first.",
			   "%zu modalities over %lu structures; the base first.", n),
			n, structures);
	text(b, sub.s);
	b->failed |= sub.failed;
	free(sub.s);
	mutu_sb__printf(b, "</p>\n</header>\n");
	sweep_ctx c = {mods, n, labels};
	sweep_table(b, &c);
	figure(b, draw_euros, &c);
	figure(b, draw_scatter, &c);
	figure(b, draw_diverging, &c);
	figure(b, draw_deciles, &c);
	for (const jv *m = mutu_jx__child(mods); m; m = mutu_jx__next(m)) {
		const jv *w = mutu_jx__member(m, "warnings");
		for (const jv *s = mutu_jx__child(w); s; s = mutu_jx__next(s)) {
			mutu_sb__printf(b, "<p class=\"note\">");
			text(b, mutu_jx__str(s));
			mutu_sb__printf(b, "</p>\n");
		}
	}
	page_end(b);
	free(labels);
	free(shorts);
}

char *mutu_html_sweep(mutu_sweep *sw, mutu_lang lang)
{
	jv *root = parse_back(mutu_sweep_report(sw, MUTU_FORMAT_JSON));
	if (!root)
		return NULL;
	mutu_lang old = mutu_i18n__use(lang);
	strbuf b = {0};
	sweep_page(&b, root, lang);
	mutu_i18n__use(old);
	mutu_jx__free(root);
	return mutu_sb__take(&b);
}

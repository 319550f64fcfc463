/* Loading and checking a rules file (formats.md "Rules"). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonx.h"
#include "mutu/rules.h"

#define MAX_EXTENDS 16

static const char *const band_keys[] = {"p30_p50", "p50_p70", "p70_p90", "p90_p95", "p95", NULL};
static const char *const threshold_keys[] = {"p30", "p50", "p70", "p90", "p95", NULL};
static const char *const zone_names[] = {"standard", "zip", NULL};
static const char *const sector_names[] = {"1", "2-optam", "2", NULL};
static const char *const kind_names[] = {"assistant", "forfait", NULL};
static const char *const exemption_names[] = {"new_installed", NULL};

mutu_band mutu_band_of(const double thresholds[MUTU_NTHRESHOLDS], double p)
{
	int b = 0;
	while (b < MUTU_NTHRESHOLDS && p >= thresholds[b])
		b++;
	return (mutu_band)b;
}

const char *mutu_band_name(mutu_band band)
{
	static const char *const names[] = {"below_p30", "p30_p50", "p50_p70",
					    "p70_p90",   "p90_p95", "p95"};
	return (unsigned)band < MUTU_NBANDS ? names[band] : "?";
}

long mutu_rules_specialty(const mutu_rules *rules, const char *name)
{
	for (size_t i = 0; name && i < rules->nspecialties; i++)
		if (rules->specialties[i].name && strcmp(rules->specialties[i].name, name) == 0)
			return (long)i;
	return -1;
}

long mutu_rules_option(const mutu_rules *rules, const char *id)
{
	/* An option whose id could not be read has none (its error is
	 * recorded): it matches nothing. */
	for (size_t i = 0; id && i < rules->noptions; i++)
		if (rules->options[i].id && strcmp(rules->options[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* ---- loading the documents of an `extends` chain ---- */

typedef struct chain {
	char *files[MAX_EXTENDS];
	jv *docs[MAX_EXTENDS]; /* each file as written */
	size_t n;
} chain;

static void chain_free(chain *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->files[i]);
		mutu_jx__free(c->docs[i]);
	}
	c->n = 0;
}

static char *resolve_relative(const char *file, const char *rel)
{
	if (rel[0] == '/')
		return strdup(rel);
	const char *slash = strrchr(file, '/');
	size_t dir = slash ? (size_t)(slash - file) + 1 : 0;
	size_t n = dir + strlen(rel) + 1;
	char *out = malloc(n);
	if (out) {
		memcpy(out, file, dir);
		memcpy(out + dir, rel, strlen(rel) + 1);
	}
	return out;
}

/* Parses `text` as file `file`, then its bases, appending each to `c`
 * (most derived first). */
static int load_chain(chain *c, const char *text, size_t len, const char *file, mutu_errors *errs)
{
	jx x = {.file = file, .errs = errs};
	if (c->n == MAX_EXTENDS) {
		mutu_jx__error(&x, "/extends", "more than %d files in the extends chain",
			       MAX_EXTENDS);
		return MUTU_EINPUT;
	}
	jv *doc = mutu_jx__parse(&x, text, len);
	if (!doc)
		return MUTU_EINPUT;
	c->docs[c->n] = doc;
	c->files[c->n] = strdup(file);
	c->n++;
	if (!c->files[c->n - 1])
		return MUTU_ENOMEM;
	if (!mutu_jx__is_object(doc)) {
		mutu_jx__error(&x, NULL, "must be a JSON object, got %s", mutu_jx__type_name(doc));
		return MUTU_EINPUT;
	}
	mutu_jx__duplicates(&x, doc, "");
	if (x.failed)
		return MUTU_EINPUT;
	const char *ext = NULL;
	if (!mutu_jx__string(&x, doc, "", "extends", false, &ext))
		return MUTU_EINPUT;
	if (!ext)
		return MUTU_OK;
	char *base = resolve_relative(c->files[c->n - 1], ext);
	if (!base)
		return MUTU_ENOMEM;
	char *real_base = realpath(base, NULL);
	for (size_t i = 0; i < c->n && real_base; i++) {
		char *real_i = realpath(c->files[i], NULL);
		bool same = real_i && strcmp(real_i, real_base) == 0;
		free(real_i);
		if (same) {
			mutu_jx__error(&x, "/extends",
				       "extends cycle: \"%s\" is already in the chain", ext);
			free(base);
			free(real_base);
			return MUTU_EINPUT;
		}
	}
	free(real_base);
	jx y = {.file = base, .errs = errs};
	size_t blen;
	char *btext = mutu_jx__read_file(&y, base, &blen);
	if (!btext) {
		mutu_errors_add(errs, file, "/extends", "cannot read base rules \"%s\"", ext);
		free(base);
		return MUTU_EIO;
	}
	int rc = load_chain(c, btext, blen, base, errs);
	free(btext);
	free(base);
	return rc;
}

/* ---- checking the merged document ---- */

static bool read_capacity(jx *x, const jv *obj, const char *path, mutu_capacity *cap, bool required)
{
	static const char *const keys[] = {"headroom", "gain_per_etp", NULL};
	const jv *c = mutu_jx__get(x, obj, path, "capacity", required);
	if (!c)
		return !required;
	jx_path p;
	mutu_jx__path_key(&p, path, "capacity");
	if (!mutu_jx__object(x, c, p.s, keys))
		return false;
	bool ok = mutu_jx__number(x, c, p.s, "headroom", required, 0, 10, &cap->headroom);
	ok &= mutu_jx__number(x, c, p.s, "gain_per_etp", required, 0, 10, &cap->gain_per_etp);
	return ok;
}

static bool read_economics(jx *x, const jv *obj, const char *path, mutu_economics *eco,
			   bool required)
{
	static const char *const keys[] = {"assistant_cost_per_etp", "value_per_patient_year",
					   NULL};
	const jv *e = mutu_jx__get(x, obj, path, "economics", required);
	if (!e)
		return !required;
	jx_path p;
	mutu_jx__path_key(&p, path, "economics");
	if (!mutu_jx__object(x, e, p.s, keys))
		return false;
	bool ok = mutu_jx__number(x, e, p.s, "assistant_cost_per_etp", required, 0, 1e7,
				  &eco->assistant_cost_per_etp);
	ok &= mutu_jx__number(x, e, p.s, "value_per_patient_year", required, 0, 1e5,
			      &eco->value_per_patient_year);
	return ok;
}

static void read_specialties(jx *x, const jv *doc, mutu_rules *r)
{
	static const char *const keys[] = {"excluded", "metric",    "thresholds",
					   "capacity", "economics", NULL};
	static const char *const metrics[] = {"pmt", "fa", NULL};
	const jv *sp = mutu_jx__get(x, doc, "", "specialties", true);
	if (!sp)
		return;
	if (!mutu_jx__object(x, sp, "/specialties", NULL))
		return;
	size_t n = (size_t)mutu_jx__size(sp);
	if (n == 0) {
		mutu_jx__error(x, "/specialties", "must name at least one specialty");
		return;
	}
	r->specialties = calloc(n, sizeof *r->specialties);
	if (!r->specialties) {
		mutu_jx__error(x, NULL, "out of memory");
		return;
	}
	for (const jv *it = mutu_jx__child(sp); it; it = mutu_jx__next(it)) {
		mutu_specialty *s = &r->specialties[r->nspecialties++];
		jx_path p;
		mutu_jx__path_key(&p, "/specialties", mutu_jx__key(it));
		s->name = strdup(mutu_jx__key(it));
		s->capacity = r->capacity;
		s->economics = r->economics;
		if (!mutu_jx__object(x, it, p.s, keys))
			continue;
		mutu_jx__bool(x, it, p.s, "excluded", false, &s->excluded);
		int metric = 0;
		mutu_jx__enum(x, it, p.s, "metric", !s->excluded, metrics, &metric);
		s->metric = (mutu_metric)metric;
		read_capacity(x, it, p.s, &s->capacity, false);
		read_economics(x, it, p.s, &s->economics, false);
		const jv *th = mutu_jx__get(x, it, p.s, "thresholds", !s->excluded);
		if (!th)
			continue;
		jx_path tp;
		mutu_jx__path_key(&tp, p.s, "thresholds");
		if (!mutu_jx__object(x, th, tp.s, threshold_keys))
			continue;
		bool ok = true;
		for (int k = 0; k < MUTU_NTHRESHOLDS; k++)
			ok &= mutu_jx__number(x, th, tp.s, threshold_keys[k], true, 0, 1e6,
					      &s->thresholds[k]);
		for (int k = 1; ok && k < MUTU_NTHRESHOLDS; k++)
			if (s->thresholds[k] <= s->thresholds[k - 1]) {
				jx_path q;
				mutu_jx__path_key(&q, tp.s, threshold_keys[k]);
				mutu_jx__error(
				    x, q.s,
				    "thresholds out of order: %s (%.15g) must be above %s (%.15g)",
				    threshold_keys[k], s->thresholds[k], threshold_keys[k - 1],
				    s->thresholds[k - 1]);
			}
	}
}

static void read_option(jx *x, const jv *it, const char *path, mutu_rules *r, mutu_option *o)
{
	static const char *const keys[] = {
	    "id",      "etp",       "zones",       "aid",      "aid_p90_p95_from_year3",
	    "aid_p95", "objective", "specialties", "requires", NULL};
	o->aid_p90_p95_from_year3 = -1;
	o->aid_p95 = -1;
	if (!mutu_jx__object(x, it, path, keys))
		return;
	const char *id = NULL;
	if (mutu_jx__string(x, it, path, "id", true, &id))
		o->id = strdup(id);
	mutu_jx__number(x, it, path, "etp", true, 0.01, 10, &o->etp);
	o->zones = ~0u;
	if (mutu_jx__enum_set(x, it, path, "zones", true, zone_names, &o->zones) && !o->zones) {
		jx_path p;
		mutu_jx__path_key(&p, path, "zones");
		mutu_jx__error(x, p.s,
			       "must name at least one zone: an option open nowhere is a typo");
	}
	mutu_jx__number(x, it, path, "aid_p90_p95_from_year3", false, 0, 1e7,
			&o->aid_p90_p95_from_year3);
	mutu_jx__number(x, it, path, "aid_p95", false, 0, 1e7, &o->aid_p95);
	const jv *aid = mutu_jx__get(x, it, path, "aid", true);
	jx_path p;
	mutu_jx__path_key(&p, path, "aid");
	if (aid && (!mutu_jx__is_array(aid) || mutu_jx__size(aid) == 0)) {
		mutu_jx__error(x, p.s, "must be a non-empty array of yearly amounts, got %s",
			       mutu_jx__is_array(aid) ? "an empty array" : mutu_jx__type_name(aid));
	} else if (aid) {
		o->naid = (size_t)mutu_jx__size(aid);
		o->aid = calloc(o->naid, sizeof *o->aid);
		size_t i = 0;
		for (const jv *a = mutu_jx__child(aid); a && o->aid; a = mutu_jx__next(a), i++) {
			jx_path q;
			mutu_jx__path_index(&q, p.s, i);
			mutu_jx__value_number(x, a, q.s, 0, 1e7, &o->aid[i]);
		}
	}
	const jv *obj = mutu_jx__get(x, it, path, "objective", true);
	mutu_jx__path_key(&p, path, "objective");
	if (obj && mutu_jx__object(x, obj, p.s, band_keys))
		for (int b = 0; b < MUTU_NBANDS - 1; b++)
			mutu_jx__number(x, obj, p.s, band_keys[b], true, 0, 5,
					&o->objective[b + 1]);
	const jv *sp = mutu_jx__get(x, it, path, "specialties", false);
	mutu_jx__path_key(&p, path, "specialties");
	if (sp && !mutu_jx__is_array(sp)) {
		mutu_jx__error(x, p.s, "must be an array of specialty names, got %s",
			       mutu_jx__type_name(sp));
	} else if (sp) {
		o->specialties = calloc((size_t)mutu_jx__size(sp) + 1, sizeof(size_t));
		size_t i = 0;
		for (const jv *s = mutu_jx__child(sp); s && o->specialties;
		     s = mutu_jx__next(s), i++) {
			jx_path q;
			mutu_jx__path_index(&q, p.s, i);
			long k =
			    mutu_jx__is_string(s) ? mutu_rules_specialty(r, mutu_jx__str(s)) : -1;
			if (k < 0)
				mutu_jx__error(
				    x, q.s, "must name a specialty of the rules, got %s%s%s",
				    mutu_jx__is_string(s) ? "\"" : "",
				    mutu_jx__is_string(s) ? mutu_jx__str(s) : mutu_jx__type_name(s),
				    mutu_jx__is_string(s) ? "\"" : "");
			else
				o->specialties[o->nspecialties++] = (size_t)k;
		}
	}
	const jv *req = mutu_jx__get(x, it, path, "requires", false);
	mutu_jx__path_key(&p, path, "requires");
	static const char *const req_keys[] = {"option", "years", NULL};
	if (req && mutu_jx__object(x, req, p.s, req_keys)) {
		const char *ro = NULL;
		long years = 0;
		if (mutu_jx__string(x, req, p.s, "option", true, &ro))
			o->requires_option = strdup(ro);
		mutu_jx__integer(x, req, p.s, "years", true, 0, 30, &years);
		o->requires_years = (int)years;
	}
}

static void read_options(jx *x, const jv *doc, mutu_rules *r)
{
	const jv *opts = mutu_jx__get(x, doc, "", "options", true);
	if (!opts)
		return;
	if (!mutu_jx__is_array(opts) || mutu_jx__size(opts) == 0) {
		mutu_jx__error(x, "/options", "must be a non-empty array of options, got %s",
			       mutu_jx__is_array(opts) ? "an empty array"
						       : mutu_jx__type_name(opts));
		return;
	}
	size_t n = (size_t)mutu_jx__size(opts);
	r->options = calloc(n, sizeof *r->options);
	if (!r->options) {
		mutu_jx__error(x, NULL, "out of memory");
		return;
	}
	for (const jv *it = mutu_jx__child(opts); it; it = mutu_jx__next(it)) {
		jx_path p;
		mutu_jx__path_index(&p, "/options", r->noptions);
		mutu_option *o = &r->options[r->noptions++];
		read_option(x, it, p.s, r, o);
		for (size_t j = 0; o->id && j + 1 < r->noptions; j++)
			if (r->options[j].id && strcmp(r->options[j].id, o->id) == 0) {
				jx_path q;
				mutu_jx__path_key(&q, p.s, "id");
				mutu_jx__error(x, q.s, "duplicate option id \"%s\"", o->id);
			}
	}
	for (size_t i = 0; i < r->noptions; i++) {
		mutu_option *o = &r->options[i];
		if (o->requires_option && mutu_rules_option(r, o->requires_option) < 0) {
			jx_path p, q;
			mutu_jx__path_index(&p, "/options", i);
			mutu_jx__path_key(&q, p.s, "requires");
			mutu_jx__path_key(&p, q.s, "option");
			mutu_jx__error(x, p.s, "must name an option of the rules, got \"%s\"",
				       o->requires_option);
		}
	}
}

static void read_mutualisation(jx *x, const jv *doc, mutu_rules *r)
{
	static const char *const keys[] = {"enabled",
					   "min_doctors",
					   "max_doctors",
					   "max_etp_per_doctor",
					   "max_etp_total",
					   "etp_step",
					   "objective_basis",
					   "floor_share",
					   "aid_reference_option",
					   "assessment",
					   "commitment_years",
					   "exclusive_kinds",
					   NULL};
	static const char *const bases[] = {"sum_individual", "pooled", NULL};
	static const char *const assessments[] = {"structure", "individual", NULL};
	static const char *const commit_keys[] = {"assistant", "forfait", NULL};
	const char *P = "/mutualisation";
	mutu_mutualisation *m = &r->mut;
	const jv *mu = mutu_jx__get(x, doc, "", "mutualisation", true);
	if (!mu || !mutu_jx__object(x, mu, P, keys))
		return;
	long minv = 0, maxv = 0, ca = 0, cf = 0;
	int basis = 0, assess = 0;
	mutu_jx__bool(x, mu, P, "enabled", true, &m->enabled);
	bool ok = mutu_jx__integer(x, mu, P, "min_doctors", true, 1, 1000, &minv);
	ok &= mutu_jx__integer(x, mu, P, "max_doctors", true, 1, 1000, &maxv);
	m->min_doctors = (int)minv;
	m->max_doctors = (int)maxv;
	if (ok && maxv < minv)
		mutu_jx__error(x, "/mutualisation/max_doctors",
			       "must be at least min_doctors (%ld), got %ld", minv, maxv);
	mutu_jx__number(x, mu, P, "max_etp_per_doctor", true, 0.01, 10, &m->max_etp_per_doctor);
	mutu_jx__number(x, mu, P, "max_etp_total", true, 0.01, 1000, &m->max_etp_total);
	mutu_jx__number(x, mu, P, "etp_step", true, 0.01, 10, &m->etp_step);
	mutu_jx__enum(x, mu, P, "objective_basis", true, bases, &basis);
	m->objective_basis = (mutu_basis)basis;
	mutu_jx__number(x, mu, P, "floor_share", true, 0, 1, &m->floor_share);
	mutu_jx__enum(x, mu, P, "assessment", true, assessments, &assess);
	m->assessment = (mutu_assessment)assess;
	mutu_jx__enum_set(x, mu, P, "exclusive_kinds", true, kind_names, &m->exclusive_kinds);
	const char *ref = NULL;
	if (mutu_jx__string(x, mu, P, "aid_reference_option", true, &ref) && ref) {
		long k = mutu_rules_option(r, ref);
		if (k < 0 && r->noptions > 0)
			mutu_jx__error(x, "/mutualisation/aid_reference_option",
				       "must name an option of the rules, got \"%s\"", ref);
		m->aid_reference_option = k < 0 ? 0 : (size_t)k;
	}
	const jv *cy = mutu_jx__get(x, mu, P, "commitment_years", true);
	if (cy && mutu_jx__object(x, cy, "/mutualisation/commitment_years", commit_keys)) {
		mutu_jx__integer(x, cy, "/mutualisation/commitment_years", "assistant", true, 1, 30,
				 &ca);
		mutu_jx__integer(x, cy, "/mutualisation/commitment_years", "forfait", true, 1, 30,
				 &cf);
	}
	m->commit_assistant = (int)ca;
	m->commit_forfait = (int)cf;
}

static void read_rules(jx *x, const jv *doc, mutu_rules *r)
{
	static const char *const keys[] = {
	    "name",          "extends",       "description",   "provenance",
	    "horizon_years", "discount_rate", "eligibility",   "specialties",
	    "options",       "new_installed", "senior",        "capacity",
	    "economics",     "achievement",   "mutualisation", NULL};
	static const char *const elig_keys[] = {"sectors", "exemptions", NULL};
	static const char *const ni_keys[] = {"target", NULL};
	static const char *const senior_keys[] = {"from_age", "objective", NULL};
	static const char *const ach_keys[] = {"check_from_year", "modulation", NULL};
	static const char *const modulations[] = {"prorata", "all_or_nothing", NULL};

	r->new_installed_target = -1;
	r->senior_from_age = -1;
	if (!mutu_jx__object(x, doc, "", keys))
		return;
	const char *s = NULL;
	if (mutu_jx__string(x, doc, "", "name", true, &s))
		r->name = strdup(s);
	s = NULL;
	if (mutu_jx__string(x, doc, "", "description", false, &s) && s)
		r->description = strdup(s);
	long h = 0;
	mutu_jx__integer(x, doc, "", "horizon_years", true, 1, 30, &h);
	r->horizon_years = (int)h;
	mutu_jx__number(x, doc, "", "discount_rate", true, 0, 0.99, &r->discount_rate);

	const jv *prov = mutu_jx__get(x, doc, "", "provenance", false);
	if (prov && mutu_jx__object(x, prov, "/provenance", NULL))
		for (const jv *it = mutu_jx__child(prov); it; it = mutu_jx__next(it)) {
			jx_path p;
			mutu_jx__path_key(&p, "/provenance", mutu_jx__key(it));
			if (!mutu_jx__is_string(it))
				mutu_jx__error(x, p.s,
					       "must be a string (\"sourced: ...\" or \"inferred: "
					       "...\"), got %s",
					       mutu_jx__type_name(it));
			else if (mutu_jx__key(it)[0] != '/' ||
				 !mutu_jx__pointer_get(doc, mutu_jx__key(it)))
				mutu_jx__error(
				    x, p.s,
				    "names no value of the rules: keys are JSON pointers "
				    "such as \"/options/0/aid\"");
		}

	const jv *el = mutu_jx__get(x, doc, "", "eligibility", true);
	if (el && mutu_jx__object(x, el, "/eligibility", elig_keys)) {
		r->sectors = ~0u;
		if (mutu_jx__enum_set(x, el, "/eligibility", "sectors", true, sector_names,
				      &r->sectors) &&
		    !r->sectors)
			mutu_jx__error(
			    x, "/eligibility/sectors",
			    "must name at least one sector: with none nobody is eligible");
		unsigned ex = 0;
		mutu_jx__enum_set(x, el, "/eligibility", "exemptions", false, exemption_names, &ex);
		r->exempt_new_installed = ex & 1u;
	}
	read_capacity(x, doc, "", &r->capacity, true);
	read_economics(x, doc, "", &r->economics, true);

	const jv *ni = mutu_jx__get(x, doc, "", "new_installed", false);
	if (ni && mutu_jx__object(x, ni, "/new_installed", ni_keys))
		mutu_jx__enum(x, ni, "/new_installed", "target", true, threshold_keys,
			      &r->new_installed_target);
	const jv *sn = mutu_jx__get(x, doc, "", "senior", false);
	if (sn && mutu_jx__object(x, sn, "/senior", senior_keys)) {
		long age = -1;
		mutu_jx__integer(x, sn, "/senior", "from_age", true, 0, 120, &age);
		r->senior_from_age = (int)age;
		mutu_jx__number(x, sn, "/senior", "objective", true, 0, 5, &r->senior_objective);
	}
	const jv *ach = mutu_jx__get(x, doc, "", "achievement", true);
	if (ach && mutu_jx__object(x, ach, "/achievement", ach_keys)) {
		long from = 1;
		int mod = 0;
		mutu_jx__integer(x, ach, "/achievement", "check_from_year", true, 1, 30, &from);
		r->check_from_year = (int)from;
		mutu_jx__enum(x, ach, "/achievement", "modulation", true, modulations, &mod);
		r->modulation = (mutu_modulation)mod;
	}
	read_specialties(x, doc, r);
	read_options(x, doc, r);
	read_mutualisation(x, doc, r);
}

/* Blames each error on the file of the chain that holds the offending
 * value (the longest part of its path), so a typo in a variant names the
 * variant and a bad value of the base names the base. */
static void blame(const chain *c, mutu_errors *errs, size_t from)
{
	for (size_t i = from; i < errs->count; i++) {
		mutu_error *e = &errs->items[i];
		char prefix[256];
		size_t owner = 0, len = 0;
		/* Walk the path down as the merge built it: at each level the
		 * most derived file that sets the key owns it; below an array
		 * or a scalar that file owns everything. */
		for (;;) {
			const char *next = strchr(e->path + len + 1, '/');
			size_t end = next ? (size_t)(next - e->path) : strlen(e->path);
			if (len >= strlen(e->path))
				break;
			snprintf(prefix, sizeof prefix, "%.*s", (int)end, e->path);
			const jv *v = NULL;
			size_t k = 0;
			for (; k < c->n && !(v = mutu_jx__pointer_get(c->docs[k], prefix)); k++)
				;
			if (!v)
				break;
			owner = k;
			if (!mutu_jx__is_object(v))
				break;
			len = end;
		}
		snprintf(e->file, sizeof e->file, "%s", c->files[owner]);
	}
}

/* A variant that replaces a part of its base (say, the whole `options`
 * array) leaves the base's provenance notes about that part pointing at
 * nothing: they describe values that are gone, so they go too.  A note of
 * the file given itself that names nothing stays, and is an error. */
static void drop_replaced_provenance(jv *merged, const jv *derived)
{
	jv *prov = (jv *)mutu_jx__member(merged, "provenance");
	const jv *own = mutu_jx__member(derived, "provenance");
	const jv *it = mutu_jx__child(prov);
	while (it) {
		const jv *next = mutu_jx__next(it);
		const char *key = mutu_jx__key(it);
		if (key[0] == '/' && !mutu_jx__pointer_get(merged, key) &&
		    !mutu_jx__member(own, key))
			mutu_jx__remove(prov, key);
		it = next;
	}
}

int mutu_rules_parse(mutu_rules *out, const char *text, size_t len, const char *file,
		     mutu_errors *errs)
{
	memset(out, 0, sizeof *out);
	chain c = {.n = 0};
	size_t before = errs->count + errs->dropped;
	int rc = load_chain(&c, text, len, file, errs);
	jv *merged = NULL;
	if (rc == MUTU_OK) {
		for (size_t k = c.n; k-- > 0 && rc == MUTU_OK;) {
			merged = mutu_jx__merge_patch(merged, c.docs[k]);
			if (!merged)
				rc = MUTU_ENOMEM;
		}
	}
	if (rc == MUTU_OK) {
		mutu_jx__remove(merged, "extends");
		if (c.n > 1)
			drop_replaced_provenance(merged, c.docs[0]);
		jx x = {.file = file, .errs = errs};
		size_t first = errs->count;
		read_rules(&x, merged, out);
		blame(&c, errs, first);
		out->file = strdup(file);
		out->doc = merged;
		merged = NULL;
		if (errs->count + errs->dropped != before)
			rc = MUTU_EINPUT;
	}
	mutu_jx__free(merged);
	chain_free(&c);
	if (rc != MUTU_OK)
		mutu_rules_free(out);
	return rc;
}

int mutu_rules_load(mutu_rules *out, const char *path, mutu_errors *errs)
{
	memset(out, 0, sizeof *out);
	jx x = {.file = path, .errs = errs};
	size_t len;
	char *text = mutu_jx__read_file(&x, path, &len);
	if (!text)
		return MUTU_EIO;
	int rc = mutu_rules_parse(out, text, len, path, errs);
	free(text);
	return rc;
}

void mutu_rules_free(mutu_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nspecialties; i++)
		free(r->specialties[i].name);
	free(r->specialties);
	for (size_t i = 0; i < r->noptions; i++) {
		free(r->options[i].id);
		free(r->options[i].aid);
		free(r->options[i].specialties);
		free(r->options[i].requires_option);
	}
	free(r->options);
	free(r->name);
	free(r->description);
	free(r->file);
	mutu_jx__free(r->doc);
	memset(r, 0, sizeof *r);
}

/* A --vary pointer that names nothing: where it stops, and the nearest
 * key there ("/mutualisation/floor_shar": did you mean floor_share?). */
static void vary_error(jx *x, const jv *doc, const char *ptr)
{
	char prefix[256], found[256] = "";
	const jv *at = doc;
	size_t len = 0;
	while (ptr[len] == '/') {
		const char *next = strchr(ptr + len + 1, '/');
		size_t end = next ? (size_t)(next - ptr) : strlen(ptr);
		snprintf(prefix, sizeof prefix, "%.*s", (int)end, ptr);
		const jv *v = mutu_jx__pointer_get(doc, prefix);
		if (!v)
			break;
		at = v;
		len = end;
		snprintf(found, sizeof found, "%s", prefix);
	}
	const char *word = ptr + len + (ptr[len] == '/');
	const char *keys[64];
	size_t n = 0;
	for (const jv *it = mutu_jx__child(at); mutu_jx__is_object(at) && it && n < 63;
	     it = mutu_jx__next(it))
		keys[n++] = mutu_jx__key(it);
	keys[n] = NULL;
	char token[128];
	snprintf(token, sizeof token, "%.*s", (int)strcspn(word, "/"), word);
	const char *near = n ? mutu_jx__nearest(token, keys) : NULL;
	if (near)
		mutu_jx__error(x, ptr,
			       "names no value of the rules: no \"%s\" in %s; did you mean \"%s\"?",
			       token, len ? found : "the rules", near);
	else
		mutu_jx__error(x, ptr,
			       "names no value of the rules (a JSON pointer such as "
			       "/mutualisation/floor_share)");
}

char *mutu_rules_to_json(const mutu_rules *rules)
{
	return mutu_jx__text(rules->doc, false);
}

int mutu_rules_vary(mutu_rules *out, const mutu_rules *base, size_t n, const char *const *pointers,
		    const char *const *values, mutu_errors *errs)
{
	memset(out, 0, sizeof *out);
	jx x = {.file = base->file, .errs = errs};
	jv *doc = mutu_jx__dup(base->doc);
	if (!doc)
		return MUTU_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int rc = mutu_jx__replace(doc, pointers[i], values[i]);
		if (rc == MUTU_EINPUT)
			vary_error(&x, doc, pointers[i]);
		if (rc == MUTU_ENOMEM) {
			mutu_jx__free(doc);
			return MUTU_ENOMEM;
		}
	}
	char *text = x.failed ? NULL : mutu_jx__text(doc, true);
	mutu_jx__free(doc);
	if (x.failed)
		return MUTU_EINPUT;
	if (!text)
		return MUTU_ENOMEM;
	int rc = mutu_rules_parse(out, text, strlen(text), base->file, errs);
	free(text);
	return rc;
}

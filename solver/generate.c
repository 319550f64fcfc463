/* Synthetic populations of group practices: the profile loader and the
 * generator (include/mutu/generate.h; the profile format is described in
 * scenarios/profiles/README.md).
 *
 * Every random draw goes through GSL: an mt19937 generator, lognormal
 * counts, and alias tables (gsl_ran_discrete) for every categorical mix.
 * The tables are built once, when the profile is loaded, from inputs
 * checked beforehand; GSL's default error handler (which aborts the
 * process) is turned off, so a GSL failure is a return code.
 *
 * Who holds an individual assistant contract is calibrated on targets of
 * the profile (scenarios/profiles/README.md): the share of holders by
 * specialty, their concentration in a ZIP, the share of newly installed
 * doctors among them and their mean count.  A newly installed doctor holds
 * one with a probability q_z per zone; any other doctor above the floor
 * (the P30 of his count's law, strictly) with probability
 * Phi((ln c - theta_z) / tau): a probit in the log count, whose location
 * per zone and common slope are solved when the profile is loaded
 * (calibrate()), by bisection on integrals over the count's lognormal law.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "jsonw.h"
#include "jsonx.h"
#include "mutu/date.h"
#include "mutu/generate.h"

/* Largest structure and count a profile may ask for (the cabinet loader
 * takes counts up to 1 000 000). */
#define MAX_SIZE 500
#define MAX_COUNT 1000000L
#define MAX_ITEMS 256

enum { COUNT_PMT = 0, COUNT_FA = 1 };

static const char *const count_names[] = {"pmt", "fa", NULL};
static const char *const sector_names[] = {"1", "2-optam", "2", NULL};
static const char *const mix_names[] = {"one", "each", NULL};

/* A categorical draw among `n` items (alias table). */
typedef struct table {
	gsl_ran_discrete_t *alias;
	size_t n;
} table;

/* Whole numbers drawn uniformly within a range chosen by weight. */
typedef struct ranges {
	int *from, *to;
	table pick;
} ranges;

/* One count: lognormal(mu, sigma), or the other count of the doctor times
 * lognormal(mu, sigma) when `of` is that count's index. */
typedef struct count_law {
	double mu, sigma;
	int of; /* -1: drawn on its own */
} count_law;

typedef struct pspecialty {
	char *name;
	count_law law[2]; /* COUNT_PMT, COUNT_FA */
	int base;         /* the count drawn on its own */
	double p30;       /* P30 of the base count's law */
	long floor;       /* p30 rounded: a holder's rounded count is above it */
	table sectors;    /* over sector_names */
	double assistant_share;
	double forfait_share;
	/* Solved by calibrate(): P(holder | newly installed, zone z) = q[z];
	 * P(holder | other, count c > floor, zone z) =
	 * Phi((ln c - theta[z]) / tau). */
	double q[2], theta[2], tau;
} pspecialty;

/* The option mix of contracts signed before `before` (MUTU_DATE_NONE for
 * the last period), by zone (0 standard, 1 zip); `option[z][i]` indexes
 * the profile's option names. */
typedef struct period {
	mutu_date before;
	table pick[2];
	size_t *option[2];
} period;

typedef struct pkind {
	bool each;         /* each doctor draws a specialty, else one per structure */
	size_t *specialty; /* indices into profile->specialties */
	table pick;        /* over specialty[] */
	ranges sizes;
} pkind;

struct mutu_profile {
	mutu_date *starts;
	table start_pick;
	double zip;
	pkind *kinds;
	size_t nkinds;
	table kind_pick;
	pspecialty *specialties;
	size_t nspecialties;
	ranges ages;
	double new_below, new_above; /* P(newly installed | base count below / above P30) */
	ranges new_ages;
	double new_headroom; /* < 0: not written */
	char **options;      /* every option id of the periods, NULL-terminated */
	size_t noptions;
	period *periods;
	size_t nperiods;
	double zip_ratio;    /* holding rate in a ZIP / elsewhere */
	double holder_mean;  /* holders' mean count / the law's mean */
	double holder_fresh; /* share of newly installed doctors among holders */
	mutu_date forfait_since;
	mutu_date *sig_date;
	double *sig_count;
	size_t nsig;
	int term_years;
	mutu_date term_until;
	double renewed, stopped;
	double vol_share, vol_dated, vol_late;
	int window_days, late_days;
};

struct mutu_generator {
	const mutu_profile *profile;
	gsl_rng *rng;
	unsigned long next_id;
	char *buf; /* reused print buffer, grown when a line does not fit */
	size_t cap;
};

/* ---- small helpers ---- */

static void table_free(table *t)
{
	if (t->alias)
		gsl_ran_discrete_free(t->alias);
	t->alias = NULL;
}

static void ranges_free(ranges *r)
{
	free(r->from);
	free(r->to);
	table_free(&r->pick);
}

/* Builds the alias table of `n` weights already checked non-negative with
 * a positive sum. */
static bool table_build(table *t, const double *w, size_t n)
{
	t->n = n;
	t->alias = gsl_ran_discrete_preproc(n, w);
	return t->alias != NULL;
}

static size_t table_draw(const table *t, const gsl_rng *rng)
{
	return t->n == 1 ? 0 : gsl_ran_discrete(rng, t->alias);
}

/* Uniform whole number in [lo, hi]. */
static long uniform_in(const gsl_rng *rng, long lo, long hi)
{
	return lo + (long)gsl_rng_uniform_int(rng, (unsigned long)(hi - lo + 1));
}

static bool chance(const gsl_rng *rng, double p)
{
	return p > 0 && gsl_rng_uniform(rng) < p;
}

/* ---- reading the profile ---- */

typedef struct reader {
	jx x;
	bool nomem;
} reader;

/* A probability `key` of `obj` (required). */
static bool read_share(jx *x, const jv *obj, const char *path, const char *key, double *out)
{
	return mutu_jx__number(x, obj, path, key, true, 0, 1, out);
}

/* A non-empty array of at most MAX_ITEMS elements at `key`; NULL after
 * recording an error. */
static const jv *read_array(jx *x, const jv *obj, const char *path, const char *key, jx_path *p)
{
	const jv *a = mutu_jx__get(x, obj, path, key, true);
	if (!a)
		return NULL;
	mutu_jx__path_key(p, path, key);
	int n = mutu_jx__is_array(a) ? (int)mutu_jx__size(a) : 0;
	if (n < 1 || n > MAX_ITEMS) {
		mutu_jx__error(x, p->s, "must be an array of 1 to %d entries, got %s", MAX_ITEMS,
			       mutu_jx__is_array(a) ? "an empty array" : mutu_jx__type_name(a));
		return NULL;
	}
	return a;
}

/* Checks that weights `w[0..n)` (each already non-negative) have a positive
 * sum. */
static bool weights_ok(jx *x, const char *path, const double *w, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += w[i];
	if (sum > 0)
		return true;
	mutu_jx__error(x, path, "the weights must not all be zero");
	return false;
}

/* An array of {"from", "to", "weight"} whole-number ranges within
 * [lo, hi]. */
static void read_ranges(reader *r, const jv *obj, const char *path, const char *key, long lo,
			long hi, ranges *out)
{
	static const char *const keys[] = {"from", "to", "weight", NULL};
	jx *x = &r->x;
	jx_path p;
	const jv *a = read_array(x, obj, path, key, &p);
	if (!a)
		return;
	size_t n = (size_t)mutu_jx__size(a), i = 0;
	double *w = calloc(n, sizeof *w);
	out->from = calloc(n, sizeof *out->from);
	out->to = calloc(n, sizeof *out->to);
	if (!w || !out->from || !out->to) {
		r->nomem = true;
		goto cleanup;
	}
	bool ok = true;
	for (const jv *it = mutu_jx__child(a); it; it = mutu_jx__next(it), i++) {
		jx_path q;
		mutu_jx__path_index(&q, p.s, i);
		if (!mutu_jx__object(x, it, q.s, keys)) {
			ok = false;
			continue;
		}
		long from = lo, to = lo;
		bool got = mutu_jx__integer(x, it, q.s, "from", true, lo, hi, &from);
		got &= mutu_jx__integer(x, it, q.s, "to", true, lo, hi, &to);
		ok &= mutu_jx__number(x, it, q.s, "weight", true, 0, HUGE_VAL, &w[i]) && got;
		if (got && to < from) {
			jx_path t;
			mutu_jx__path_key(&t, q.s, "to");
			mutu_jx__error(x, t.s, "must not be below \"from\" (%ld), got %ld", from,
				       to);
			ok = false;
		}
		out->from[i] = (int)from;
		out->to[i] = (int)to;
	}
	if (ok && weights_ok(x, p.s, w, n) && !table_build(&out->pick, w, n))
		r->nomem = true;
cleanup:
	free(w);
}

static int ranges_draw(const ranges *r, const gsl_rng *rng)
{
	size_t k = table_draw(&r->pick, rng);
	return (int)uniform_in(rng, r->from[k], r->to[k]);
}

/* An object of weights keyed by name, as `n` names (pointers into the
 * document) and weights; every name must be in `known` when given.
 * Returns the number of entries, 0 after an error. */
static size_t read_weight_map(reader *r, const jv *obj, const char *path, const char *key,
			      const char *const *known, const char ***names, double **w)
{
	jx *x = &r->x;
	*names = NULL;
	*w = NULL;
	const jv *m = mutu_jx__get(x, obj, path, key, true);
	if (!m)
		return 0;
	jx_path p;
	mutu_jx__path_key(&p, path, key);
	if (!mutu_jx__object(x, m, p.s, known))
		return 0;
	size_t n = (size_t)mutu_jx__size(m);
	if (n == 0 || n > MAX_ITEMS) {
		mutu_jx__error(x, p.s, "must have 1 to %d entries, got %zu", MAX_ITEMS, n);
		return 0;
	}
	*names = calloc(n, sizeof **names);
	*w = calloc(n, sizeof **w);
	if (!*names || !*w) {
		r->nomem = true;
		return 0;
	}
	bool ok = true;
	size_t i = 0;
	for (const jv *it = mutu_jx__child(m); it; it = mutu_jx__next(it), i++) {
		jx_path q;
		mutu_jx__path_key(&q, p.s, mutu_jx__key(it));
		(*names)[i] = mutu_jx__key(it);
		ok &= mutu_jx__value_number(x, it, q.s, 0, HUGE_VAL, &(*w)[i]);
	}
	return ok && weights_ok(x, p.s, *w, n) ? n : 0;
}

static void read_count_law(jx *x, const jv *obj, const char *path, int which, count_law *law)
{
	static const char *const keys[] = {"mu", "sigma", "of", NULL};
	law->of = -1;
	const jv *c = mutu_jx__get(x, obj, path, count_names[which], true);
	if (!c)
		return;
	jx_path p;
	mutu_jx__path_key(&p, path, count_names[which]);
	if (!mutu_jx__object(x, c, p.s, keys))
		return;
	mutu_jx__number(x, c, p.s, "mu", true, -20, 20, &law->mu);
	mutu_jx__number(x, c, p.s, "sigma", true, 0, 5, &law->sigma);
	int of = -1;
	if (mutu_jx__enum(x, c, p.s, "of", false, count_names, &of) && of == which) {
		jx_path q;
		mutu_jx__path_key(&q, p.s, "of");
		mutu_jx__error(x, q.s, "a count cannot be drawn from itself");
	}
	law->of = of;
}

static void read_specialty(reader *r, const jv *it, const char *path, pspecialty *s)
{
	static const char *const keys[] = {"pmt",           "fa", "sectors", "assistant_share",
					   "forfait_share", NULL};
	jx *x = &r->x;
	if (!mutu_jx__object(x, it, path, keys))
		return;
	read_count_law(x, it, path, COUNT_PMT, &s->law[COUNT_PMT]);
	read_count_law(x, it, path, COUNT_FA, &s->law[COUNT_FA]);
	if (s->law[COUNT_PMT].of >= 0 && s->law[COUNT_FA].of >= 0)
		mutu_jx__error(x, path,
			       "\"pmt\" and \"fa\" cannot both be drawn \"of\" the other: "
			       "one of them needs its own law");
	s->base = s->law[COUNT_PMT].of >= 0 ? COUNT_FA : COUNT_PMT;
	const count_law *b = &s->law[s->base];
	s->p30 = exp(b->mu + b->sigma * gsl_cdf_ugaussian_Pinv(0.30));
	s->floor = lround(s->p30);
	const char **names = NULL;
	double *w = NULL;
	size_t n = read_weight_map(r, it, path, "sectors", sector_names, &names, &w);
	if (n) {
		double all[3] = {0, 0, 0};
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < 3; k++)
				if (strcmp(names[i], sector_names[k]) == 0)
					all[k] = w[i];
		if (!table_build(&s->sectors, all, 3))
			r->nomem = true;
	}
	free(names);
	free(w);
	read_share(x, it, path, "assistant_share", &s->assistant_share);
	read_share(x, it, path, "forfait_share", &s->forfait_share);
}

static void read_specialties(reader *r, const jv *doc, mutu_profile *p)
{
	jx *x = &r->x;
	const jv *m = mutu_jx__get(x, doc, "", "specialties", true);
	if (!m || !mutu_jx__object(x, m, "/specialties", NULL))
		return;
	size_t n = (size_t)mutu_jx__size(m);
	if (n == 0 || n > MAX_ITEMS) {
		mutu_jx__error(x, "/specialties", "must have 1 to %d specialties, got %zu",
			       MAX_ITEMS, n);
		return;
	}
	p->specialties = calloc(n, sizeof *p->specialties);
	if (!p->specialties) {
		r->nomem = true;
		return;
	}
	for (const jv *it = mutu_jx__child(m); it; it = mutu_jx__next(it)) {
		pspecialty *s = &p->specialties[p->nspecialties++];
		jx_path q;
		mutu_jx__path_key(&q, "/specialties", mutu_jx__key(it));
		s->name = strdup(mutu_jx__key(it));
		if (!s->name) {
			r->nomem = true;
			return;
		}
		read_specialty(r, it, q.s, s);
	}
}

static long profile_specialty(const mutu_profile *p, const char *name)
{
	for (size_t i = 0; i < p->nspecialties; i++)
		if (strcmp(p->specialties[i].name, name) == 0)
			return (long)i;
	return -1;
}

static void read_kind(reader *r, const jv *it, const char *path, mutu_profile *p, pkind *k,
		      double *weight)
{
	static const char *const keys[] = {"kind", "weight", "mix", "specialties", "sizes", NULL};
	jx *x = &r->x;
	if (!mutu_jx__object(x, it, path, keys))
		return;
	const char *name = NULL;
	mutu_jx__string(x, it, path, "kind", true, &name);
	mutu_jx__number(x, it, path, "weight", true, 0, HUGE_VAL, weight);
	int mix = 0;
	mutu_jx__enum(x, it, path, "mix", true, mix_names, &mix);
	k->each = mix == 1;
	const char **names = NULL;
	double *w = NULL;
	size_t n = read_weight_map(r, it, path, "specialties", NULL, &names, &w);
	k->specialty = n ? calloc(n, sizeof *k->specialty) : NULL;
	if (n && !k->specialty)
		r->nomem = true;
	bool ok = k->specialty != NULL;
	for (size_t i = 0; k->specialty && i < n; i++) {
		long s = profile_specialty(p, names[i]);
		if (s >= 0) {
			k->specialty[i] = (size_t)s;
			continue;
		}
		ok = false;
		if (!p->specialties)
			continue; /* /specialties itself is wrong: already reported */
		const char *known[MAX_ITEMS + 1];
		for (size_t j = 0; j < p->nspecialties; j++)
			known[j] = p->specialties[j].name;
		known[p->nspecialties] = NULL;
		const char *near = mutu_jx__nearest(names[i], known);
		jx_path q, s_path;
		mutu_jx__path_key(&q, path, "specialties");
		mutu_jx__path_key(&s_path, q.s, names[i]);
		if (near)
			mutu_jx__error(x, s_path.s,
				       "no law for specialty \"%s\" in /specialties; did you "
				       "mean \"%s\"?",
				       names[i], near);
		else
			mutu_jx__error(x, s_path.s, "no law for specialty \"%s\" in /specialties",
				       names[i]);
	}
	if (ok && !table_build(&k->pick, w, n))
		r->nomem = true;
	free(names);
	free(w);
	read_ranges(r, it, path, "sizes", 1, MAX_SIZE, &k->sizes);
}

static void read_structures(reader *r, const jv *doc, mutu_profile *p)
{
	jx *x = &r->x;
	jx_path path;
	const jv *a = read_array(x, doc, "", "structures", &path);
	if (!a)
		return;
	size_t n = (size_t)mutu_jx__size(a);
	double *w = calloc(n, sizeof *w);
	p->kinds = calloc(n, sizeof *p->kinds);
	if (!w || !p->kinds) {
		r->nomem = true;
		free(w);
		return;
	}
	for (const jv *it = mutu_jx__child(a); it; it = mutu_jx__next(it)) {
		jx_path q;
		mutu_jx__path_index(&q, path.s, p->nkinds);
		read_kind(r, it, q.s, p, &p->kinds[p->nkinds], &w[p->nkinds]);
		p->nkinds++;
	}
	if (!x->failed && weights_ok(x, path.s, w, n) && !table_build(&p->kind_pick, w, n))
		r->nomem = true;
	free(w);
}

static void read_starts(reader *r, const jv *doc, mutu_profile *p)
{
	static const char *const keys[] = {"date", "weight", NULL};
	jx *x = &r->x;
	jx_path path;
	const jv *a = read_array(x, doc, "", "contract_start", &path);
	if (!a)
		return;
	size_t n = (size_t)mutu_jx__size(a), i = 0;
	double *w = calloc(n, sizeof *w);
	p->starts = calloc(n, sizeof *p->starts);
	if (!w || !p->starts) {
		r->nomem = true;
		free(w);
		return;
	}
	bool ok = true;
	for (const jv *it = mutu_jx__child(a); it; it = mutu_jx__next(it), i++) {
		jx_path q;
		mutu_jx__path_index(&q, path.s, i);
		if (!mutu_jx__object(x, it, q.s, keys)) {
			ok = false;
			continue;
		}
		ok &= mutu_jx__date(x, it, q.s, "date", true, &p->starts[i]);
		ok &= mutu_jx__number(x, it, q.s, "weight", true, 0, HUGE_VAL, &w[i]);
	}
	if (ok && weights_ok(x, path.s, w, n) && !table_build(&p->start_pick, w, n))
		r->nomem = true;
	free(w);
}

static void read_new_installed(reader *r, const jv *doc, mutu_profile *p)
{
	static const char *const keys[] = {"share", "below_p30", "ages", "headroom", NULL};
	jx *x = &r->x;
	const jv *ni = mutu_jx__get(x, doc, "", "new_installed", true);
	if (!ni || !mutu_jx__object(x, ni, "/new_installed", keys))
		return;
	double share = 0, below = 0;
	bool ok = read_share(x, ni, "/new_installed", "share", &share);
	ok &= read_share(x, ni, "/new_installed", "below_p30", &below);
	/* The count is drawn first; the flag then follows it, so that the
	 * share below P30 is `below` without changing the counts' law. */
	p->new_below = share * below / 0.30;
	p->new_above = share * (1 - below) / 0.70;
	if (ok && (p->new_below > 1 || p->new_above > 1))
		mutu_jx__error(
		    x, "/new_installed/below_p30",
		    "cannot put %g of a %g share of newly installed doctors below p30, which "
		    "holds 30 %% of the doctors",
		    below, share);
	read_ranges(r, ni, "/new_installed", "ages", 18, 110, &p->new_ages);
	p->new_headroom = -1;
	mutu_jx__number(x, ni, "/new_installed", "headroom", false, 0, 10, &p->new_headroom);
}

static void read_signatures(reader *r, const jv *c, mutu_profile *p)
{
	static const char *const keys[] = {"date", "count", NULL};
	jx *x = &r->x;
	jx_path path;
	const jv *a = read_array(x, c, "/contracts", "signatures", &path);
	if (!a)
		return;
	size_t n = (size_t)mutu_jx__size(a);
	p->sig_date = calloc(n, sizeof *p->sig_date);
	p->sig_count = calloc(n, sizeof *p->sig_count);
	if (!p->sig_date || !p->sig_count) {
		r->nomem = true;
		return;
	}
	bool ok = n >= 2;
	if (!ok)
		mutu_jx__error(x, path.s, "needs at least two points");
	for (const jv *it = mutu_jx__child(a); it; it = mutu_jx__next(it), p->nsig++) {
		size_t i = p->nsig;
		jx_path q;
		mutu_jx__path_index(&q, path.s, i);
		if (!mutu_jx__object(x, it, q.s, keys)) {
			ok = false;
			continue;
		}
		bool got = mutu_jx__date(x, it, q.s, "date", true, &p->sig_date[i]);
		got &= mutu_jx__number(x, it, q.s, "count", true, 0, HUGE_VAL, &p->sig_count[i]);
		if (got && i > 0 && p->sig_date[i] <= p->sig_date[i - 1]) {
			jx_path d;
			mutu_jx__path_key(&d, q.s, "date");
			mutu_jx__error(x, d.s, "must be after the previous point's date");
			got = false;
		} else if (got && i > 0 && p->sig_count[i] < p->sig_count[i - 1]) {
			jx_path d;
			mutu_jx__path_key(&d, q.s, "count");
			mutu_jx__error(x, d.s, "must not be below the previous point's count (%g)",
				       p->sig_count[i - 1]);
			got = false;
		}
		ok &= got;
	}
	if (ok && p->sig_count[n - 1] <= p->sig_count[0])
		mutu_jx__error(x, path.s,
			       "the count must grow between the first and the last point");
}

/* The index of option `name` in p->options, added when new; -1 when out
 * of memory. */
static long option_index(mutu_profile *p, const char *name)
{
	for (size_t i = 0; i < p->noptions; i++)
		if (strcmp(p->options[i], name) == 0)
			return (long)i;
	char **grown = realloc(p->options, (p->noptions + 2) * sizeof *grown);
	if (!grown)
		return -1;
	p->options = grown;
	if (!(p->options[p->noptions] = strdup(name)))
		return -1;
	p->options[++p->noptions] = NULL;
	return (long)(p->noptions - 1);
}

/* One zone's option mix of a period. */
static void read_period_zone(reader *r, const jv *it, const char *path, int zone, mutu_profile *p,
			     period *pd)
{
	static const char *const zone_names[] = {"standard", "zip"};
	const char **names = NULL;
	double *w = NULL;
	size_t n = read_weight_map(r, it, path, zone_names[zone], NULL, &names, &w);
	if (n) {
		pd->option[zone] = calloc(n, sizeof *pd->option[zone]);
		if (!pd->option[zone])
			r->nomem = true;
		for (size_t i = 0; pd->option[zone] && i < n; i++) {
			long k = option_index(p, names[i]);
			if (k < 0)
				r->nomem = true;
			else
				pd->option[zone][i] = (size_t)k;
		}
		if (!r->nomem && !table_build(&pd->pick[zone], w, n))
			r->nomem = true;
	}
	free(names);
	free(w);
}

/* contracts.options: periods in date order, each with a mix per zone; the
 * last one has no "before". */
static void read_periods(reader *r, const jv *c, mutu_profile *p)
{
	static const char *const keys[] = {"before", "standard", "zip", NULL};
	jx *x = &r->x;
	jx_path path;
	const jv *a = read_array(x, c, "/contracts", "options", &path);
	if (!a)
		return;
	size_t n = (size_t)mutu_jx__size(a);
	p->periods = calloc(n, sizeof *p->periods);
	if (!p->periods) {
		r->nomem = true;
		return;
	}
	for (const jv *it = mutu_jx__child(a); it; it = mutu_jx__next(it)) {
		size_t i = p->nperiods++;
		period *pd = &p->periods[i];
		pd->before = MUTU_DATE_NONE;
		jx_path q;
		mutu_jx__path_index(&q, path.s, i);
		if (!mutu_jx__object(x, it, q.s, keys))
			continue;
		bool last = i + 1 == n;
		if (mutu_jx__date(x, it, q.s, "before", !last, &pd->before) && last &&
		    pd->before != MUTU_DATE_NONE) {
			jx_path b;
			mutu_jx__path_key(&b, q.s, "before");
			mutu_jx__error(x, b.s,
				       "the last period takes every later contract: it has no "
				       "\"before\"");
		} else if (i > 0 && pd->before != MUTU_DATE_NONE &&
			   p->periods[i - 1].before != MUTU_DATE_NONE &&
			   pd->before <= p->periods[i - 1].before) {
			jx_path b;
			mutu_jx__path_key(&b, q.s, "before");
			mutu_jx__error(x, b.s, "must be after the previous period's \"before\"");
		}
		read_period_zone(r, it, q.s, 0, p, pd);
		read_period_zone(r, it, q.s, 1, p, pd);
	}
}

static void read_holders(reader *r, const jv *c, mutu_profile *p)
{
	static const char *const keys[] = {"mean_ratio", "new_installed", NULL};
	jx *x = &r->x;
	const jv *h = mutu_jx__get(x, c, "/contracts", "holders", true);
	if (!h || !mutu_jx__object(x, h, "/contracts/holders", keys))
		return;
	mutu_jx__number(x, h, "/contracts/holders", "mean_ratio", true, 0.2, 5, &p->holder_mean);
	read_share(x, h, "/contracts/holders", "new_installed", &p->holder_fresh);
}

static void read_contracts(reader *r, const jv *doc, mutu_profile *p)
{
	static const char *const keys[] = {
	    "options", "signatures", "term_years", "term_until",     "renewed",
	    "stopped", "zip_ratio",  "holders",    "forfaits_since", NULL};
	jx *x = &r->x;
	const jv *c = mutu_jx__get(x, doc, "", "contracts", true);
	if (!c || !mutu_jx__object(x, c, "/contracts", keys))
		return;
	read_periods(r, c, p);
	read_signatures(r, c, p);
	long years = 0;
	mutu_jx__integer(x, c, "/contracts", "term_years", true, 1, 50, &years);
	p->term_years = (int)years;
	mutu_jx__date(x, c, "/contracts", "term_until", true, &p->term_until);
	read_share(x, c, "/contracts", "renewed", &p->renewed);
	read_share(x, c, "/contracts", "stopped", &p->stopped);
	mutu_jx__number(x, c, "/contracts", "zip_ratio", true, 0.01, 100, &p->zip_ratio);
	read_holders(r, c, p);
	mutu_jx__date(x, c, "/contracts", "forfaits_since", true, &p->forfait_since);
}

static void read_volunteers(reader *r, const jv *doc, mutu_profile *p)
{
	static const char *const keys[] = {"share", "dated",     "window_days",
					   "late",  "late_days", NULL};
	jx *x = &r->x;
	const jv *v = mutu_jx__get(x, doc, "", "volunteers", true);
	if (!v || !mutu_jx__object(x, v, "/volunteers", keys))
		return;
	read_share(x, v, "/volunteers", "share", &p->vol_share);
	read_share(x, v, "/volunteers", "dated", &p->vol_dated);
	read_share(x, v, "/volunteers", "late", &p->vol_late);
	long d = 0;
	mutu_jx__integer(x, v, "/volunteers", "window_days", true, 0, 3650, &d);
	p->window_days = (int)d;
	d = 1;
	mutu_jx__integer(x, v, "/volunteers", "late_days", true, 1, 3650, &d);
	p->late_days = (int)d;
}

static void read_provenance(jx *x, const jv *doc)
{
	const jv *prov = mutu_jx__get(x, doc, "", "provenance", false);
	if (!prov || !mutu_jx__object(x, prov, "/provenance", NULL))
		return;
	for (const jv *it = mutu_jx__child(prov); it; it = mutu_jx__next(it)) {
		jx_path p;
		mutu_jx__path_key(&p, "/provenance", mutu_jx__key(it));
		if (!mutu_jx__is_string(it))
			mutu_jx__error(x, p.s,
				       "must be a string (\"sourced: ...\" or \"inferred: ...\"), "
				       "got %s",
				       mutu_jx__type_name(it));
		else if (mutu_jx__key(it)[0] != '/' || !mutu_jx__pointer_get(doc, mutu_jx__key(it)))
			mutu_jx__error(x, p.s,
				       "names no value of the profile: keys are JSON pointers "
				       "such as \"/zones/zip\"");
	}
}

/* Every specialty and option id of the profile must be in the rules. */
static void check_against_rules(jx *x, const mutu_profile *p, const mutu_rules *rules)
{
	const char *known[MAX_ITEMS + 1];
	size_t n = 0;
	for (; n < rules->nspecialties && n < MAX_ITEMS; n++)
		known[n] = rules->specialties[n].name;
	known[n] = NULL;
	for (size_t i = 0; i < p->nspecialties; i++) {
		const char *name = p->specialties[i].name;
		if (mutu_rules_specialty(rules, name) >= 0)
			continue;
		jx_path q;
		mutu_jx__path_key(&q, "/specialties", name);
		const char *near = mutu_jx__nearest(name, known);
		if (near)
			mutu_jx__error(x, q.s,
				       "unknown specialty \"%s\" in the rules %s; did you mean "
				       "\"%s\"?",
				       name, rules->name, near);
		else
			mutu_jx__error(x, q.s, "unknown specialty \"%s\" in the rules %s", name,
				       rules->name);
	}
	static const char *const zone_names[] = {"standard", "zip"};
	for (size_t i = 0; i < p->nperiods; i++)
		for (int z = 0; z < 2; z++)
			for (size_t k = 0; k < p->periods[i].pick[z].n; k++) {
				const char *id = p->options[p->periods[i].option[z][k]];
				if (mutu_rules_option(rules, id) >= 0)
					continue;
				jx_path a, b, q;
				mutu_jx__path_index(&a, "/contracts/options", i);
				mutu_jx__path_key(&b, a.s, zone_names[z]);
				mutu_jx__path_key(&q, b.s, id);
				mutu_jx__error(x, q.s, "unknown option \"%s\" in the rules %s", id,
					       rules->name);
			}
}

/* ---- calibrating who holds a contract ---- */

/* The base count's law on a grid of log counts above the floor: x[i],
 * its count e[i] and the probability weight w[i] of the cell (cells of
 * 0.08 sigma from -8 to 8 standard deviations, the midpoint rule: the
 * integrands are smooth, and the test checks the targets on draws). */
#define GRID 201

typedef struct grid {
	double x[GRID], e[GRID], w[GRID];
	size_t n;
} grid;

static void grid_above(grid *g, const count_law *law, double floor)
{
	double lo = log(floor + 0.5); /* a rounded count above the floor */
	double h = 16.0 / (GRID - 1);
	g->n = 0;
	for (size_t i = 0; i < GRID; i++) {
		double u = -8 + h * (double)i;
		double x = law->mu + law->sigma * u;
		if (x <= lo)
			continue;
		g->x[g->n] = x;
		g->e[g->n] = exp(x);
		g->w[g->n++] = gsl_ran_ugaussian_pdf(u) * h;
	}
}

/* The share of the law above the floor holding with location `theta`
 * and slope `tau`, and (in *mean when not NULL) the holders' mean count. */
static double holding(const grid *g, double theta, double tau, double *mean)
{
	double mass = 0, first = 0;
	for (size_t i = 0; i < g->n; i++) {
		double pw = g->w[i] * gsl_cdf_ugaussian_P((g->x[i] - theta) / tau);
		mass += pw;
		first += pw * g->e[i];
	}
	if (mean)
		*mean = mass > 0 ? first / mass : 0;
	return mass;
}

/* The theta giving `share` (of the whole law) for slope `tau`: holding()
 * decreases in theta. */
static double solve_theta(const grid *g, double tau, double share)
{
	double lo = g->x[0] - 40 * tau - 10, hi = g->x[g->n - 1] + 40 * tau + 10;
	for (int it = 0; it < 50; it++) {
		double mid = (lo + hi) / 2;
		if (holding(g, mid, tau, NULL) > share)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/* Solves q, theta and tau of every specialty that holds contracts
 * (pspecialty) from the profile's targets: in zone z (share zip of the
 * structures in a ZIP), the holding rate among doctors of an eligible
 * sector is r_z, with r_zip = zip_ratio x r_std and the mean over zones the
 * specialty's assistant_share; a share holder_fresh of holders is newly
 * installed; the holders' mean count is holder_mean x the law's mean.
 * Records an error when a target cannot be met.  One function (about 95
 * lines) on purpose: each specialty's steps share the same intermediate
 * rates of both zones, which split functions would pass back and forth. */
static void calibrate(jx *x, mutu_profile *p)
{
	double fresh = p->new_below * 0.30 + p->new_above * 0.70; /* newly installed share */
	for (size_t s = 0; s < p->nspecialties; s++) {
		pspecialty *sp = &p->specialties[s];
		sp->tau = 1;
		if (sp->assistant_share <= 0)
			continue;
		jx_path path;
		mutu_jx__path_key(&path, "/specialties", sp->name);
		const count_law *b = &sp->law[sp->base];
		double r[2];
		r[0] = sp->assistant_share / (p->zip * p->zip_ratio + 1 - p->zip);
		r[1] = p->zip_ratio * r[0];
		grid *g = malloc(sizeof *g);
		if (!g) {
			mutu_jx__error(x, NULL, "out of memory");
			return;
		}
		grid_above(g, b, (double)sp->floor);
		/* Newly installed holders: any count, no selection. */
		double law_mean = exp(b->mu + b->sigma * b->sigma / 2), above_mean = 0;
		double above = holding(g, -HUGE_VAL, 1, &above_mean);
		double below_mean = (law_mean - above * above_mean) / (1 - above);
		double fresh_mean = fresh > 0
					? (p->new_below * (1 - above) * below_mean +
					   p->new_above * above * above_mean) /
					      (p->new_below * (1 - above) + p->new_above * above)
					: 0;
		double target = (p->holder_mean * law_mean - p->holder_fresh * fresh_mean) /
				(1 - p->holder_fresh);
		double need[2];
		bool ok = true;
		for (int z = 0; z < 2 && ok; z++) {
			sp->q[z] = fresh > 0 ? p->holder_fresh * r[z] / fresh : 0;
			/* Other holders, as a share of the whole law, drawn among
			 * the doctors above the floor who are not newly
			 * installed. */
			need[z] = (1 - p->holder_fresh) * r[z] / (1 - p->new_above);
			if (sp->q[z] > 1 || need[z] >= above ||
			    (fresh <= 0 && p->holder_fresh > 0)) {
				mutu_jx__error(
				    x, path.s,
				    "assistant_share %g cannot be met in %s: %.0f %% of "
				    "the doctors there would hold a contract, %g of them "
				    "newly installed (/contracts/holders/new_installed), "
				    "with %g newly installed and %.0f %% above the floor",
				    sp->assistant_share, z ? "a ZIP" : "the standard zone",
				    100 * r[z], p->holder_fresh, fresh, 100 * above);
				ok = false;
			}
		}
		/* The holders' mean falls as tau grows (a flatter selection):
		 * bisection on log tau. */
		double lo = log(0.005), hi = log(50), mean_lo = 0, mean_hi = 0;
		if (ok) {
			for (int z = 0; z < 2; z++) {
				double m;
				double t = solve_theta(g, exp(lo), need[z]);
				holding(g, t, exp(lo), &m);
				mean_lo += (z ? p->zip : 1 - p->zip) * r[z] * m;
				t = solve_theta(g, exp(hi), need[z]);
				holding(g, t, exp(hi), &m);
				mean_hi += (z ? p->zip : 1 - p->zip) * r[z] * m;
			}
			mean_lo /= sp->assistant_share;
			mean_hi /= sp->assistant_share;
			if (target > mean_lo || target < mean_hi) {
				mutu_jx__error(x, "/contracts/holders/mean_ratio",
					       "%s: holders' mean count %.0f cannot be reached "
					       "(between %.0f and %.0f with this assistant_share)",
					       sp->name, target, mean_hi, mean_lo);
				ok = false;
			}
		}
		for (int it = 0; ok && it < 40; it++) {
			double mid = (lo + hi) / 2, tau = exp(mid), mean = 0;
			for (int z = 0; z < 2; z++) {
				double m;
				holding(g, solve_theta(g, tau, need[z]), tau, &m);
				mean += (z ? p->zip : 1 - p->zip) * r[z] * m;
			}
			if (mean / sp->assistant_share > target)
				lo = mid;
			else
				hi = mid;
		}
		if (ok) {
			sp->tau = exp((lo + hi) / 2);
			for (int z = 0; z < 2; z++)
				sp->theta[z] = solve_theta(g, sp->tau, need[z]);
		}
		free(g);
	}
}

static void read_profile(reader *r, const jv *doc, const mutu_rules *rules, mutu_profile *p)
{
	static const char *const keys[] = {"name",           "description", "provenance",
					   "contract_start", "zones",       "structures",
					   "specialties",    "ages",        "new_installed",
					   "contracts",      "volunteers",  NULL};
	static const char *const zone_keys[] = {"zip", NULL};
	jx *x = &r->x;
	if (!mutu_jx__object(x, doc, "", keys))
		return;
	const char *s = NULL;
	mutu_jx__string(x, doc, "", "name", false, &s);
	mutu_jx__string(x, doc, "", "description", false, &s);
	read_provenance(x, doc);
	read_starts(r, doc, p);
	const jv *z = mutu_jx__get(x, doc, "", "zones", true);
	if (z && mutu_jx__object(x, z, "/zones", zone_keys))
		read_share(x, z, "/zones", "zip", &p->zip);
	read_specialties(r, doc, p);
	read_structures(r, doc, p);
	read_ranges(r, doc, "", "ages", 18, 110, &p->ages);
	read_new_installed(r, doc, p);
	read_contracts(r, doc, p);
	read_volunteers(r, doc, p);
	if (!x->failed && !r->nomem)
		calibrate(x, p);
	if (rules && !x->failed && !r->nomem)
		check_against_rules(x, p, rules);
}

int mutu_profile_parse(mutu_profile **out, const char *text, size_t len, const char *file,
		       const mutu_rules *rules, mutu_errors *errs)
{
	*out = NULL;
	/* GSL's default handler aborts the process; every GSL call of this
	 * file checks its own return instead. */
	gsl_set_error_handler_off();
	reader r = {.x = {.file = file, .errs = errs}};
	int rc = MUTU_OK;
	mutu_profile *p = NULL;
	jv *doc = mutu_jx__parse(&r.x, text, len);
	if (!doc)
		return MUTU_EINPUT;
	p = calloc(1, sizeof *p);
	if (!p) {
		rc = MUTU_ENOMEM;
		goto cleanup;
	}
	read_profile(&r, doc, rules, p);
	if (r.nomem)
		rc = MUTU_ENOMEM;
	else if (r.x.failed)
		rc = MUTU_EINPUT;
	else
		*out = p;
cleanup:
	if (rc != MUTU_OK)
		mutu_profile_free(p);
	mutu_jx__free(doc);
	return rc;
}

int mutu_profile_load(mutu_profile **out, const char *path, const mutu_rules *rules,
		      mutu_errors *errs)
{
	*out = NULL;
	jx x = {.file = path, .errs = errs};
	size_t len;
	char *text = mutu_jx__read_file(&x, path, &len);
	if (!text)
		return MUTU_EIO;
	int rc = mutu_profile_parse(out, text, len, path, rules, errs);
	free(text);
	return rc;
}

void mutu_profile_free(mutu_profile *p)
{
	if (!p)
		return;
	free(p->starts);
	table_free(&p->start_pick);
	for (size_t i = 0; p->kinds && i < p->nkinds; i++) {
		free(p->kinds[i].specialty);
		table_free(&p->kinds[i].pick);
		ranges_free(&p->kinds[i].sizes);
	}
	free(p->kinds);
	table_free(&p->kind_pick);
	for (size_t i = 0; i < p->nspecialties; i++) {
		free(p->specialties[i].name);
		table_free(&p->specialties[i].sectors);
	}
	free(p->specialties);
	ranges_free(&p->ages);
	ranges_free(&p->new_ages);
	for (size_t i = 0; p->options && p->options[i]; i++)
		free(p->options[i]);
	free(p->options);
	for (size_t i = 0; p->periods && i < p->nperiods; i++)
		for (int z = 0; z < 2; z++) {
			table_free(&p->periods[i].pick[z]);
			free(p->periods[i].option[z]);
		}
	free(p->periods);
	free(p->sig_date);
	free(p->sig_count);
	free(p);
}

/* ---- the generator ---- */

int mutu_generator_new(mutu_generator **out, const mutu_profile *profile, unsigned long seed)
{
	*out = NULL;
	mutu_generator *g = calloc(1, sizeof *g);
	if (!g)
		return MUTU_ENOMEM;
	g->rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!g->rng) {
		free(g);
		return MUTU_ENOMEM;
	}
	gsl_rng_set(g->rng, seed);
	g->profile = profile;
	g->next_id = 1;
	*out = g;
	return MUTU_OK;
}

void mutu_generator_free(mutu_generator *gen)
{
	if (!gen)
		return;
	gsl_rng_free(gen->rng);
	free(gen->buf);
	free(gen);
}

/* Contracts signed by day `t` on the piecewise-linear signature curve,
 * the last slope carried on past the last point. */
static double signed_by(const mutu_profile *p, double t)
{
	size_t n = p->nsig;
	if (t <= (double)p->sig_date[0])
		return p->sig_count[0];
	for (size_t i = 1; i < n; i++)
		if (t <= (double)p->sig_date[i]) {
			double f = (t - (double)p->sig_date[i - 1]) /
				   (double)(p->sig_date[i] - p->sig_date[i - 1]);
			return p->sig_count[i - 1] + f * (p->sig_count[i] - p->sig_count[i - 1]);
		}
	double slope = (p->sig_count[n - 1] - p->sig_count[n - 2]) /
		       (double)(p->sig_date[n - 1] - p->sig_date[n - 2]);
	return p->sig_count[n - 1] + slope * (t - (double)p->sig_date[n - 1]);
}

/* The day a contract was signed, drawn on the signature curve up to
 * `last` (inclusive); MUTU_DATE_NONE when the curve starts after it. */
static mutu_date draw_signature(const mutu_profile *p, const gsl_rng *rng, mutu_date last)
{
	if (last < p->sig_date[0])
		return MUTU_DATE_NONE;
	double total = signed_by(p, (double)last + 1) - p->sig_count[0];
	double u = p->sig_count[0] + gsl_rng_uniform(rng) * total;
	/* Invert the curve: the first day whose end has reached u. */
	double lo = (double)p->sig_date[0], hi = (double)last + 1;
	while (hi - lo > 1) {
		double mid = floor((lo + hi) / 2);
		if (signed_by(p, mid) >= u)
			hi = mid;
		else
			lo = mid;
	}
	mutu_date d = (mutu_date)hi - 1;
	return d < p->sig_date[0] ? p->sig_date[0] : d > last ? last : d;
}

static long round_count(double v)
{
	double r = floor(v + 0.5);
	return r < 0 ? 0 : r > (double)MAX_COUNT ? MAX_COUNT : (long)r;
}

static bool add_int(jv *obj, const char *key, long v)
{
	return mutu_jw__add_integer(obj, key, v) != NULL;
}

static bool add_date(jv *obj, const char *key, mutu_date d)
{
	char buf[11];
	mutu_date_format(d, buf);
	return mutu_jw__add_string(obj, key, buf) != NULL;
}

/* The option of a contract signed on `signed_on` in zone `zip`. */
static const char *draw_option(const mutu_profile *p, const gsl_rng *rng, mutu_date signed_on,
			       int zip)
{
	const period *pd = &p->periods[p->nperiods - 1];
	for (size_t i = 0; i < p->nperiods; i++)
		if (p->periods[i].before == MUTU_DATE_NONE || signed_on < p->periods[i].before) {
			pd = &p->periods[i];
			break;
		}
	return p->options[pd->option[zip][table_draw(&pd->pick[zip], rng)]];
}

/* One individual assistant contract, signed before `start`. */
/* The doctor's "contracts" array, added on first use. */
static jv *contracts_of(jv *doctor, jv **list)
{
	if (!*list)
		*list = mutu_jw__add_array(doctor, "contracts");
	return *list;
}

static bool add_contract(jv *doctor, jv **list, const mutu_profile *p, const gsl_rng *rng,
			 mutu_date start, int zip)
{
	mutu_date signed_on = draw_signature(p, rng, start - 1);
	if (signed_on == MUTU_DATE_NONE)
		return true;
	const char *option = draw_option(p, rng, signed_on, zip);
	mutu_date end = MUTU_DATE_NONE;
	if (signed_on <= p->term_until && !chance(rng, p->renewed))
		end = mutu_date_add_years(signed_on, p->term_years) - 1;
	if (chance(rng, p->stopped)) {
		mutu_date lo = mutu_date_add_years(signed_on, 1), hi = start - 1;
		if (lo <= hi) {
			mutu_date stop = uniform_in(rng, lo, hi);
			if (end == MUTU_DATE_NONE || stop < end)
				end = stop;
		}
	}
	jv *c = mutu_jw__object();
	if (!mutu_jw__push(contracts_of(doctor, list), c))
		return false;
	bool ok = mutu_jw__add_string(c, "kind", "assistant") &&
		  mutu_jw__add_string(c, "option", option) && add_date(c, "start", signed_on);
	if (ok && end != MUTU_DATE_NONE)
		ok = add_date(c, "end", end);
	return ok;
}

/* Draws one doctor of specialty `s` into `d`, in a fixed order: sector,
 * counts, newly installed, age, contract, volunteering. */
static bool add_doctor(jv *d, const mutu_profile *p, const gsl_rng *rng, size_t s, size_t index,
		       mutu_date start, int zip)
{
	const pspecialty *sp = &p->specialties[s];
	char id[32];
	snprintf(id, sizeof id, "d%zu", index);
	size_t sector = table_draw(&sp->sectors, rng);
	double count[2];
	const count_law *b = &sp->law[sp->base];
	const count_law *o = &sp->law[1 - sp->base];
	count[sp->base] = gsl_ran_lognormal(rng, b->mu, b->sigma);
	double other = gsl_ran_lognormal(rng, o->mu, o->sigma);
	count[1 - sp->base] = o->of >= 0 ? count[sp->base] * other : other;
	bool fresh = chance(rng, count[sp->base] < sp->p30 ? p->new_below : p->new_above);
	int age = ranges_draw(fresh ? &p->new_ages : &p->ages, rng);
	bool ok = mutu_jw__add_string(d, "id", id) &&
		  mutu_jw__add_string(d, "specialty", sp->name) &&
		  mutu_jw__add_string(d, "sector", sector_names[sector]) &&
		  add_int(d, "pmt", round_count(count[COUNT_PMT])) &&
		  add_int(d, "fa", round_count(count[COUNT_FA])) && add_int(d, "age", age) &&
		  mutu_jw__add_bool(d, "new_installed", fresh);
	if (ok && fresh && p->new_headroom >= 0)
		ok = mutu_jw__add_number(d, "headroom", p->new_headroom) != NULL;
	bool eligible_sector = sector != 2;
	double hold = 0;
	if (eligible_sector && sp->assistant_share > 0)
		hold = fresh ? sp->q[zip]
		       : round_count(count[sp->base]) > sp->floor
			   ? gsl_cdf_ugaussian_P((log(count[sp->base]) - sp->theta[zip]) / sp->tau)
			   : 0;
	jv *list = NULL;
	if (ok && chance(rng, hold))
		ok = add_contract(d, &list, p, rng, start, zip);
	if (ok && chance(rng, sp->forfait_share)) {
		jv *c = mutu_jw__object();
		ok = mutu_jw__push(contracts_of(d, &list), c) &&
		     mutu_jw__add_string(c, "kind", "forfait") &&
		     add_date(c, "start", p->forfait_since < start ? p->forfait_since : start - 1);
	}
	bool volunteer = chance(rng, p->vol_share);
	ok = ok && mutu_jw__add_bool(d, "volunteer", volunteer);
	if (ok && volunteer && chance(rng, p->vol_dated)) {
		mutu_date on = chance(rng, p->vol_late)
				   ? start + uniform_in(rng, 1, p->late_days)
				   : start - uniform_in(rng, 0, p->window_days);
		ok = add_date(d, "declared_on", on);
	}
	return ok;
}

static jv *draw_cabinet(mutu_generator *g)
{
	const mutu_profile *p = g->profile;
	const gsl_rng *rng = g->rng;
	char id[32];
	snprintf(id, sizeof id, "s%06lu", g->next_id++);
	bool zip = chance(rng, p->zip);
	mutu_date start = p->starts[table_draw(&p->start_pick, rng)];
	const pkind *k = &p->kinds[table_draw(&p->kind_pick, rng)];
	int size = ranges_draw(&k->sizes, rng);
	size_t one = k->each ? 0 : k->specialty[table_draw(&k->pick, rng)];
	jv *cab = mutu_jw__object();
	jv *doctors = NULL;
	bool ok = cab && mutu_jw__add_string(cab, "id", id) &&
		  mutu_jw__add_string(cab, "zone", zip ? "zip" : "standard") &&
		  add_date(cab, "contract_start", start) &&
		  (doctors = mutu_jw__add_array(cab, "doctors")) != NULL;
	for (int i = 1; ok && i <= size; i++) {
		size_t s = k->each ? k->specialty[table_draw(&k->pick, rng)] : one;
		jv *d = mutu_jw__object();
		ok = mutu_jw__push(doctors, d) != NULL;
		if (ok)
			ok = add_doctor(d, p, rng, s, (size_t)i, start, zip);
	}
	if (!ok) {
		mutu_jw__free(cab);
		return NULL;
	}
	return cab;
}

int mutu_generate_next(char **out, size_t *len, mutu_generator *gen)
{
	*out = NULL;
	int rc = MUTU_ENOMEM;
	jv *cab = draw_cabinet(gen);
	if (!cab)
		goto cleanup;
	/* Printing into one reused buffer spares cJSON's doubling reallocs. */
	long printed = mutu_jw__print_into(cab, &gen->buf, &gen->cap);
	if (printed < 0)
		goto cleanup;
	size_t n = (size_t)printed;
	char *text = malloc(n + 1);
	if (!text)
		goto cleanup;
	memcpy(text, gen->buf, n + 1);
	if (len)
		*len = n;
	*out = text;
	rc = MUTU_OK;
cleanup:
	mutu_jw__free(cab);
	return rc;
}

/* Modality sweeps over a population (model.md §6): see include/mutu/sweep.h.
 *
 * The population is read once.  Each line is solved on a worker thread
 * under every modality, and once individually under the base rules for the
 * status quo; the worker reduces each modality's analysis to a few exact
 * figures per specialty of the structure (a "unit"), which the calling
 * thread adds, in input order, into the modality's scopes.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "clock.h"
#include "mutu/file.h"
#include "jsonw.h"
#include "jsonx.h"
#include "mutu/sweep.h"
#include "fmt.h"
#include "hash.h"
#include "i18n.h"
#include "pipeline.h"
#include "strbuf.h"

#define HALF_EURO 50 /* cents: a gain within 0.50 EUR is no change */

static int64_t cents(double euros)
{
	return (int64_t)llround(euros * 100.0);
}

/* ---- scopes ---- */

enum { NSIZES = 4 };
static const char *const size_names[NSIZES] = {"2", "3-5", "6-10", "11+"};

/* Group size class (2, 3-5, 6-10, 11+); a group of one (min_doctors 1)
 * counts with the smallest. */
static int size_class(size_t m)
{
	return m <= 2 ? 0 : m <= 5 ? 1 : m <= 10 ? 2 : 3;
}

/* Scope layout: all, specialties, zone:standard, zone:zip, sizes, bands. */
static size_t scope_zone(size_t nspec, unsigned zone)
{
	return 1 + nspec + (zone == MUTU_ZONE_ZIP);
}
static size_t scope_size(size_t nspec, int k)
{
	return 3 + nspec + (size_t)k;
}
static size_t scope_band(size_t nspec, mutu_band b)
{
	return 3 + nspec + NSIZES + (size_t)b;
}

static int modality_init(mutu_sweep_modality *m, const mutu_modality *md)
{
	const mutu_rules *rules = &md->rules;
	memset(m, 0, sizeof *m);
	snprintf(m->label, sizeof m->label, "%s", md->label);
	m->horizon = rules->horizon_years;
	m->reference = md->reference;
	m->differs_in = md->differs_from_reference;
	char *text = mutu_rules_to_json(rules);
	if (!text)
		return MUTU_ENOMEM;
	m->rules_digest = mutu_hash__bytes(MUTU_HASH_SEED, text, strlen(text));
	free(text);
	size_t ns = rules->nspecialties;
	m->nscopes = 3 + ns + NSIZES + MUTU_NBANDS;
	m->scopes = calloc(m->nscopes, sizeof *m->scopes);
	if (!m->scopes)
		return MUTU_ENOMEM;
	const size_t len = sizeof m->scopes[0].name;
	snprintf(m->scopes[0].name, len, "all");
	for (size_t s = 0; s < ns; s++)
		snprintf(m->scopes[1 + s].name, len, "specialty:%s", rules->specialties[s].name);
	snprintf(m->scopes[scope_zone(ns, MUTU_ZONE_STANDARD)].name, len, "zone:standard");
	snprintf(m->scopes[scope_zone(ns, MUTU_ZONE_ZIP)].name, len, "zone:zip");
	for (int k = 0; k < NSIZES; k++)
		snprintf(m->scopes[scope_size(ns, k)].name, len, "size:%s", size_names[k]);
	for (int b = 0; b < MUTU_NBANDS; b++)
		snprintf(m->scopes[scope_band(ns, (mutu_band)b)].name, len, "band:%s",
			 mutu_band_name((mutu_band)b));
	return MUTU_OK;
}

static void modality_free(mutu_sweep_modality *m)
{
	for (size_t s = 0; m->scopes && s < m->nscopes; s++)
		free(m->scopes[s].gains);
	free(m->scopes);
	m->scopes = NULL;
	m->nscopes = 0;
}

void mutu_sweep_free(mutu_sweep *s)
{
	if (!s)
		return;
	for (size_t i = 0; s->mods && i < s->n; i++)
		modality_free(&s->mods[i]);
	free(s->mods);
	memset(s, 0, sizeof *s);
}

static int push_gain(mutu_sweep_scope *s, int64_t g)
{
	if (s->ngains == s->capgains) {
		size_t cap = s->capgains ? s->capgains * 2 : 64;
		int64_t *p = realloc(s->gains, cap * sizeof *p);
		if (!p)
			return MUTU_ENOMEM;
		s->gains = p;
		s->capgains = cap;
	}
	s->gains[s->ngains++] = g;
	return MUTU_OK;
}

static void payer_add(mutu_sweep_payer *a, const mutu_sweep_payer *b)
{
	a->aid += b->aid;
	for (int k = 0; k < MUTU_SWEEP_YEARS; k++)
		a->aid_year[k] += b->aid_year[k];
	a->etp += b->etp;
	a->patients += b->patients;
	a->achieved += b->achieved;
	a->contracts += b->contracts;
	a->doctors += b->doctors;
}

/* Keeps the MUTU_SWEEP_FIRST lowest lines of a scope's losing structures
 * (a structure once: several of its groups may lose). */
static void first_add(mutu_sweep_scope *s, unsigned long line, const char *id)
{
	for (size_t i = 0; i < s->nfirst; i++)
		if (s->first[i].line == line)
			return;
	size_t at = s->nfirst;
	if (at == MUTU_SWEEP_FIRST) {
		if (line > s->first[at - 1].line)
			return;
		at--;
	} else {
		s->nfirst++;
	}
	while (at > 0 && s->first[at - 1].line > line) {
		s->first[at] = s->first[at - 1];
		at--;
	}
	s->first[at].line = line;
	snprintf(s->first[at].id, sizeof s->first[at].id, "%s", id);
}

/* ---- one structure under one modality ---- */

/* One specialty of one structure under one modality, in exact units. */
typedef struct unit {
	size_t specialty;
	int size, band; /* -1 when no group was formed */
	bool outcome;   /* a formed group with an outcome to count */
	bool plan, signs;
	int64_t doctors, members;
	int64_t etp, aid, patients; /* the plan's */
	int64_t ind_etp, ind_patients, ind_aid, ind_net;
	int64_t gain;
	int64_t doctors_winning, doctors_losing;
	mutu_sweep_payer status_quo, world;
} unit;

typedef struct mod_out {
	bool ok, failed_group;
	unit *units;
	size_t nunits;
	uint64_t digest; /* of the figures, to tell a modality that changes nothing */
} mod_out;

/* How a sweep's worker draws achievements. */
typedef struct drawer {
	const mutu_achievement *ach;
	gsl_rng *rng;
	const char *structure;
} drawer;

/* The achievement rate of one contract: 1 when not simulated, the rate,
 * or a Beta draw seeded from the structure id and the contract's tag (not
 * from a global stream), so that a contract draws the same whatever the
 * shard, the thread or the modality. */
static double draw(const drawer *d, const char *kind, const char *a, const char *b)
{
	if (d->ach->kind == MUTU_ACHIEVE_NONE)
		return 1;
	if (d->ach->kind == MUTU_ACHIEVE_RATE)
		return d->ach->rate;
	uint64_t h = mutu_hash__bytes(MUTU_HASH_SEED, d->structure, strlen(d->structure) + 1);
	h = mutu_hash__bytes(h, kind, strlen(kind) + 1);
	h = mutu_hash__bytes(h, a, strlen(a) + 1);
	if (b)
		h = mutu_hash__bytes(h, b, strlen(b) + 1);
	gsl_rng_set(d->rng, (unsigned long)(h ^ (h >> 32)));
	return gsl_ran_beta(d->rng, d->ach->a, d->ach->b);
}

/* The rules' modulation of the aid for `achieved` against `objective`
 * (as simulate.c: an objective of 0 is always met). */
static double modulate(const mutu_rules *r, double achieved, double objective)
{
	if (objective <= 0)
		return 1;
	if (r->modulation == MUTU_MOD_ALL_OR_NOTHING)
		return achieved + 1e-9 >= objective ? 1 : 0;
	return achieved >= objective ? 1 : achieved / objective;
}

/* Adds to `p` one contract's yearly aid `aid_year` (H undiscounted
 * amounts, already modulated from check_from_year by `paid`, the fraction
 * paid) and its figures.  Each year is rounded to the cent once, so sums
 * are exact whatever the order. */
static void pay(mutu_sweep_payer *p, const mutu_rules *r, const double *aid_year, double paid,
		double etp, double objective, double achieved, int64_t doctors)
{
	for (int k = 1; k <= r->horizon_years && k <= MUTU_SWEEP_YEARS; k++) {
		double f = k >= r->check_from_year ? paid : 1;
		int64_t c = cents(aid_year[k - 1] * f);
		p->aid_year[k - 1] += c;
		p->aid += c;
	}
	p->etp += llround(etp * 1e4);
	p->patients += llround(objective);
	p->achieved += llround(achieved * 100);
	p->contracts++;
	p->doctors += doctors;
}

/* A doctor's best individual contract (model.md §2) in a world, with its
 * achievement drawn. */
static void pay_individual(mutu_sweep_payer *p, const mutu_rules *r, const mutu_doctor_eval *ev,
			   const char *doctor, const drawer *d)
{
	if (ev->best < 0)
		return;
	double rate = draw(d, "individual", doctor, NULL);
	double t = ev->best_objective;
	pay(p, r, ev->options[ev->best].aid_by_year, modulate(r, rate * t, t), ev->best_etp, t,
	    rate * t, 1);
}

/* Undiscounted aid of group g's plan in contract year k (1-based). */
static double plan_aid_year(const mutu_analysis *a, size_t g, int k)
{
	const mutu_group *grp = &a->groups[g];
	const mutu_group_solution *sol = &a->solutions[g];
	if (grp->problem.basis == MUTU_BASIS_POOLED)
		return mutu_pooled_aid_year(a->rules, grp->band, sol->etp, k);
	double sum = 0;
	for (size_t i = 0; i < grp->nmembers; i++) {
		if (sol->choice[i] < 0)
			continue;
		long o = grp->problem.members[i].choices[sol->choice[i]].option;
		sum += a->evals[grp->members[i]].options[o].aid_by_year[k - 1];
	}
	return sum;
}

/* The pooled contract of group g, signed, with its achievement: assessed
 * for the structure (one draw for the contract, against the collective
 * objective) or member by member (one draw each, against his share, on
 * his part a_i / E of the aid), as simulate.c does. */
static void pay_pooled(mutu_sweep_payer *p, const mutu_analysis *a, size_t g, const drawer *d)
{
	const mutu_rules *r = a->rules;
	const mutu_group *grp = &a->groups[g];
	const mutu_group_solution *sol = &a->solutions[g];
	const char *spec = r->specialties[grp->specialty].name;
	int H = r->horizon_years;
	double years[MUTU_SWEEP_YEARS] = {0};
	for (int k = 1; k <= H && k <= MUTU_SWEEP_YEARS; k++)
		years[k - 1] = plan_aid_year(a, g, k);
	double T = sol->objective;
	if (r->mut.assessment == MUTU_ASSESS_STRUCTURE) {
		double rate = draw(d, "pooled", spec, NULL);
		pay(p, r, years, modulate(r, rate * T, T), sol->etp, T, rate * T,
		    (int64_t)grp->nmembers);
		return;
	}
	/* Member by member: the paid fraction of the whole aid is the
	 * members' fractions weighted by their part of the assistant time. */
	double paid = 0, achieved = 0;
	for (size_t i = 0; i < grp->nmembers; i++) {
		const char *doc = a->cab->doctors[grp->members[i]].id;
		double rate = draw(d, "pooled", spec, doc);
		double x = sol->patients[i];
		double part = sol->etp > 0 ? sol->assistant_etp[i] / sol->etp : 0;
		paid += part * modulate(r, rate * x, x);
		achieved += rate * x;
	}
	pay(p, r, years, paid, sol->etp, T, achieved, (int64_t)grp->nmembers);
}

/* Member i's net in group g's plan (model.md §4b) under the run's
 * sharing key, as split by the analysis (--sharing); without a split,
 * the key `patients`: NET_i = NET_i* + (x_i / T) gain (equal shares when
 * T = 0).  The one place where a sharing rule enters the sweep. */
static double member_net(const mutu_analysis *a, size_t g, size_t i, double gain)
{
	const mutu_group *grp = &a->groups[g];
	const mutu_group_solution *sol = &a->solutions[g];
	if (a->shares && a->shares[g].members && i < a->shares[g].m)
		return a->shares[g].members[i].net;
	double share =
	    sol->objective > 0 ? sol->patients[i] / sol->objective : 1.0 / (double)grp->nmembers;
	return a->evals[grp->members[i]].best_net + share * gain;
}

static uint64_t digest_unit(uint64_t h, const unit *u)
{
	const int64_t v[] = {(int64_t)u->specialty,
			     u->size,
			     u->band,
			     u->outcome,
			     u->plan,
			     u->signs,
			     u->members,
			     u->etp,
			     u->aid,
			     u->patients,
			     u->ind_etp,
			     u->ind_patients,
			     u->ind_aid,
			     u->ind_net,
			     u->gain,
			     u->doctors_winning,
			     u->doctors_losing};
	h = mutu_hash__bytes(h, v, sizeof v);
	const mutu_sweep_payer *w = &u->world;
	const int64_t p[] = {w->aid, w->etp, w->patients, w->achieved, w->contracts, w->doctors};
	h = mutu_hash__bytes(h, p, sizeof p);
	return mutu_hash__bytes(h, w->aid_year, sizeof w->aid_year);
}

/* One group's unit: its figures, who signs, and the world it makes. */
static void group_unit(unit *u, const mutu_analysis *a, size_t g, const mutu_take_up take_up,
		       const drawer *d, const mutu_sweep_payer *members_individual)
{
	const mutu_group *grp = &a->groups[g];
	const mutu_group_solution *sol = &a->solutions[g];
	/* A failed group, or one cut by the time limit before any plan, has
	 * no outcome to count: its doctors keep their individual contracts. */
	u->outcome = grp->formed && sol->status != MUTU_GROUP_ERROR &&
		     !(sol->status == MUTU_GROUP_TIME_LIMIT && !mutu_analysis_has_plan(a, g));
	u->size = grp->formed ? size_class(grp->nmembers) : -1;
	u->band = grp->formed ? (int)grp->band : -1;
	if (!u->outcome) {
		payer_add(&u->world, members_individual);
		return;
	}
	u->members = (int64_t)grp->nmembers;
	mutu_baseline bl = mutu_analysis_baseline(a, g);
	u->plan = mutu_analysis_has_plan(a, g);
	u->ind_etp = llround(bl.etp * 1e4);
	u->ind_patients = llround(bl.objective);
	u->ind_aid = cents(bl.aid);
	u->ind_net = cents(bl.net);
	u->gain = (u->plan ? cents(sol->net) : 0) - u->ind_net;
	if (u->plan) {
		u->etp = llround(sol->etp * 1e4);
		u->aid = cents(sol->aid);
		u->patients = llround(sol->objective);
		double gain = sol->net - bl.net;
		for (size_t i = 0; i < grp->nmembers; i++) {
			int64_t own = cents(member_net(a, g, i, gain)) -
				      cents(a->evals[grp->members[i]].best_net);
			u->doctors_winning += own > HALF_EURO;
			u->doctors_losing += own < -HALF_EURO;
		}
		u->signs = take_up == MUTU_TAKE_UP_ALWAYS || cents(sol->net) >= u->ind_net;
	}
	if (u->signs)
		pay_pooled(&u->world, a, g, d);
	else
		payer_add(&u->world, members_individual);
}

/* Reduces analysis `a` of one structure to its units: one per specialty
 * present.  `sq` holds each doctor's status-quo figures.  Returns 0 or
 * MUTU_ENOMEM. */
static int reduce(mod_out *out, const mutu_analysis *a, const mutu_sweep_payer *sq,
		  mutu_take_up take_up, const drawer *d)
{
	const mutu_cabinet *cab = a->cab;
	out->units = calloc(a->ngroups + 1, sizeof *out->units);
	if (!out->units)
		return MUTU_ENOMEM;
	out->nunits = a->ngroups;
	out->failed_group = mutu_analysis_failed(a);
	uint64_t h = MUTU_HASH_SEED;
	for (size_t g = 0; g < a->ngroups; g++) {
		const mutu_group *grp = &a->groups[g];
		unit *u = &out->units[g];
		u->specialty = grp->specialty;
		mutu_sweep_payer members = {0}, others = {0};
		for (size_t i = 0; i < cab->ndoctors; i++) {
			if (cab->doctors[i].specialty != grp->specialty)
				continue;
			u->doctors++;
			payer_add(&u->status_quo, &sq[i]);
			bool member = false;
			for (size_t j = 0; j < grp->nmembers && !member; j++)
				member = grp->members[j] == i;
			pay_individual(member ? &members : &others, a->rules, &a->evals[i],
				       cab->doctors[i].id, d);
		}
		payer_add(&u->world, &others);
		group_unit(u, a, g, take_up, d, &members);
		h = digest_unit(h, u);
	}
	out->digest = h;
	return MUTU_OK;
}

/* ---- adding a structure's units into a modality ---- */

static void scope_add(mutu_sweep_scope *s, const unit *u)
{
	s->doctors += u->doctors;
	payer_add(&s->status_quo, &u->status_quo);
	payer_add(&s->world, &u->world);
	if (!u->outcome)
		return;
	s->groups++;
	s->plans += u->plan;
	s->beats += u->plan && u->gain > HALF_EURO;
	s->signing += u->signs;
	s->doctors_pooled += u->signs ? u->members : 0;
	s->winners += u->gain > HALF_EURO;
	s->losers += u->gain < -HALF_EURO;
	s->unchanged += u->gain >= -HALF_EURO && u->gain <= HALF_EURO;
	s->doctors_winning += u->doctors_winning;
	s->doctors_losing += u->doctors_losing;
	s->etp += u->etp;
	s->aid += u->aid;
	s->patients += u->patients;
	s->ind_etp += u->ind_etp;
	s->ind_patients += u->ind_patients;
	s->ind_aid += u->ind_aid;
	s->ind_net += u->ind_net;
	s->gain += u->gain;
}

static int add_units(mutu_sweep_modality *m, size_t nspec, const mod_out *mo, unsigned zone,
		     unsigned long line, const char *id)
{
	for (size_t k = 0; k < mo->nunits; k++) {
		const unit *u = &mo->units[k];
		size_t sc[5] = {0, 1 + u->specialty, scope_zone(nspec, zone), 0, 0};
		size_t n = 3;
		if (u->size >= 0) {
			sc[n++] = scope_size(nspec, u->size);
			sc[n++] = scope_band(nspec, (mutu_band)u->band);
		}
		for (size_t j = 0; j < n; j++) {
			mutu_sweep_scope *s = &m->scopes[sc[j]];
			scope_add(s, u);
			if (u->outcome && push_gain(s, u->gain) != MUTU_OK)
				return MUTU_ENOMEM;
			if (u->outcome && u->plan && u->gain < -HALF_EURO)
				first_add(s, line, id);
		}
	}
	return MUTU_OK;
}

/* ---- merging ---- */

static void scope_combine(mutu_sweep_scope *x, const mutu_sweep_scope *y)
{
	x->doctors += y->doctors;
	x->groups += y->groups;
	x->plans += y->plans;
	x->beats += y->beats;
	x->signing += y->signing;
	x->doctors_pooled += y->doctors_pooled;
	x->winners += y->winners;
	x->losers += y->losers;
	x->unchanged += y->unchanged;
	x->doctors_winning += y->doctors_winning;
	x->doctors_losing += y->doctors_losing;
	x->etp += y->etp;
	x->aid += y->aid;
	x->patients += y->patients;
	x->ind_etp += y->ind_etp;
	x->ind_patients += y->ind_patients;
	x->ind_aid += y->ind_aid;
	x->ind_net += y->ind_net;
	x->gain += y->gain;
	payer_add(&x->status_quo, &y->status_quo);
	payer_add(&x->world, &y->world);
	for (size_t i = 0; i < y->nfirst; i++)
		first_add(x, y->first[i].line, y->first[i].id);
}

static const char *goal_name(int g)
{
	return g == MUTU_GOAL_PATIENTS ? "patients" : "net_benefit";
}

static const char *take_up_name(int t)
{
	return t == MUTU_TAKE_UP_ALWAYS ? "always" : "better";
}

bool mutu_sweep_same_run(const mutu_sweep *a, const mutu_sweep *b, bool same_shard, char *why,
			 size_t whysize)
{
	const mutu_sweep_run_id *x = &a->id, *y = &b->id;
	if (x->population != y->population || x->population_lines != y->population_lines) {
		snprintf(why, whysize,
			 "population: another file (fingerprint %016llx, %lu lines, against "
			 "%016llx, %lu lines)",
			 (unsigned long long)y->population, y->population_lines,
			 (unsigned long long)x->population, x->population_lines);
		return false;
	}
	if (strcmp(x->base, y->base) != 0 || x->base_digest != y->base_digest) {
		snprintf(why, whysize,
			 "rules: base rules \"%.100s\" (%016llx) against \"%.100s\" (%016llx)",
			 y->base, (unsigned long long)y->base_digest, x->base,
			 (unsigned long long)x->base_digest);
		return false;
	}
	if (a->n != b->n) {
		snprintf(why, whysize, "modalities: %zu against %zu", b->n, a->n);
		return false;
	}
	for (size_t i = 0; i < a->n; i++) {
		if (a->mods[i].nscopes != b->mods[i].nscopes) {
			snprintf(why, whysize,
				 "modalities: modality %zu has %zu scopes against %zu", i + 1,
				 b->mods[i].nscopes, a->mods[i].nscopes);
			return false;
		}
		if (strcmp(a->mods[i].label, b->mods[i].label) != 0 ||
		    a->mods[i].rules_digest != b->mods[i].rules_digest) {
			snprintf(why, whysize,
				 "modalities: modality %zu is \"%.150s\" (%016llx) against "
				 "\"%.150s\" (%016llx)",
				 i + 1, b->mods[i].label,
				 (unsigned long long)b->mods[i].rules_digest, a->mods[i].label,
				 (unsigned long long)a->mods[i].rules_digest);
			return false;
		}
	}
	if (x->goal != y->goal) {
		snprintf(why, whysize, "goal: %s against %s", goal_name(y->goal),
			 goal_name(x->goal));
		return false;
	}
	if (x->take_up != y->take_up) {
		snprintf(why, whysize, "take_up: %s against %s", take_up_name(y->take_up),
			 take_up_name(x->take_up));
		return false;
	}
	if (strcmp(x->achievement, y->achievement) != 0) {
		snprintf(why, whysize, "achievement: %s against %s", y->achievement,
			 x->achievement);
		return false;
	}
	if (x->sharing != y->sharing) {
		snprintf(why, whysize, "sharing: %s against %s", mutu_sharing_names[y->sharing],
			 mutu_sharing_names[x->sharing]);
		return false;
	}
	if (x->shard_n != y->shard_n || (same_shard && x->shard_k != y->shard_k)) {
		snprintf(why, whysize, "shard: %lu/%lu against %lu/%lu", y->shard_k, y->shard_n,
			 x->shard_k, x->shard_n);
		return false;
	}
	return true;
}

int mutu_sweep_merge(mutu_sweep *a, const mutu_sweep *b, mutu_error *err)
{
	char why[300];
	if (!mutu_sweep_same_run(a, b, false, why, sizeof why)) {
		snprintf(err->message, sizeof err->message, "a shard of another sweep: %s", why);
		return MUTU_EINPUT;
	}
	for (size_t i = 0; i < a->n; i++) {
		mutu_sweep_modality *x = &a->mods[i];
		const mutu_sweep_modality *y = &b->mods[i];
		x->structures += y->structures;
		x->failed += y->failed;
		x->changed += y->changed;
		x->forfait_holders += y->forfait_holders;
		for (size_t s = 0; s < x->nscopes; s++) {
			if (strcmp(x->scopes[s].name, y->scopes[s].name) != 0) {
				snprintf(err->message, sizeof err->message,
					 "a shard of another sweep: scope %.80s against %.80s",
					 y->scopes[s].name, x->scopes[s].name);
				return MUTU_EINPUT;
			}
			scope_combine(&x->scopes[s], &y->scopes[s]);
			for (size_t k = 0; k < y->scopes[s].ngains; k++)
				if (push_gain(&x->scopes[s], y->scopes[s].gains[k]) != MUTU_OK)
					return MUTU_ENOMEM;
		}
	}
	if (b->lines > a->lines)
		a->lines = b->lines;
	return MUTU_OK;
}

int mutu_sweep_merge_files(mutu_sweep *out, const char *const *paths, size_t n, mutu_errors *errs)
{
	memset(out, 0, sizeof *out);
	unsigned char *seen = NULL;
	int rc = MUTU_OK;
	for (size_t i = 0; i < n && rc == MUTU_OK; i++) {
		mutu_sweep part;
		mutu_error err;
		memset(&err, 0, sizeof err);
		rc = mutu_sweep_load_partial(i == 0 ? out : &part, paths[i], errs);
		if (rc != MUTU_OK)
			break;
		mutu_sweep *p = i == 0 ? out : &part;
		if (i == 0) {
			seen = calloc(p->id.shard_n + 1, 1);
			if (!seen)
				rc = MUTU_ENOMEM;
		} else {
			rc = mutu_sweep_merge(out, &part, &err);
			if (rc == MUTU_EINPUT)
				mutu_errors_add(errs, paths[i], NULL, "%s", err.message);
		}
		if (rc == MUTU_OK && (p->id.shard_k < 1 || p->id.shard_k > out->id.shard_n)) {
			mutu_errors_add(errs, paths[i], "/shard_k", "shard %lu of %lu?",
					p->id.shard_k, out->id.shard_n);
			rc = MUTU_EINPUT;
		} else if (rc == MUTU_OK && seen[p->id.shard_k]++) {
			mutu_errors_add(errs, paths[i], "/shard_k",
					"shard %lu/%lu given twice: each shard once", p->id.shard_k,
					p->id.shard_n);
			rc = MUTU_EINPUT;
		}
		if (i > 0)
			mutu_sweep_free(&part);
	}
	for (unsigned long k = 1; rc == MUTU_OK && k <= out->id.shard_n; k++)
		if (!seen[k]) {
			mutu_errors_add(errs, "merge", NULL,
					"shard %lu/%lu is missing: give every shard of the sweep",
					k, out->id.shard_n);
			rc = MUTU_EINPUT;
		}
	free(seen);
	if (rc != MUTU_OK)
		mutu_sweep_free(out);
	else
		out->id.shard_k = 0;
	return rc;
}

/* ---- partial results ---- */

/* clang-format off */
#define SCOPE_FIELDS(X) \
	X(doctors) X(groups) X(plans) X(beats) X(signing) X(doctors_pooled) \
	X(winners) X(losers) X(unchanged) X(doctors_winning) X(doctors_losing) \
	X(etp) X(aid) X(patients) X(ind_etp) X(ind_patients) X(ind_aid) X(ind_net) X(gain)
#define PAYER_FIELDS(X) X(aid) X(etp) X(patients) X(achieved) X(contracts) X(doctors)
/* clang-format on */

static void add_hex(jv *o, const char *key, uint64_t v)
{
	char buf[20];
	snprintf(buf, sizeof buf, "%016llx", (unsigned long long)v);
	mutu_jw__add_string(o, key, buf);
}

static void payer_partial(jv *o, const mutu_sweep_payer *p)
{
#define ADD(f) mutu_jw__add_integer(o, #f, (long)p->f);
	PAYER_FIELDS(ADD)
#undef ADD
	jv *y = mutu_jw__add_array(o, "aid_year");
	for (int k = 0; k < MUTU_SWEEP_YEARS; k++)
		mutu_jw__push(y, mutu_jw__number((double)p->aid_year[k]));
}

char *mutu_sweep_to_partial(const mutu_sweep *sw)
{
	const mutu_sweep_run_id *id = &sw->id;
	jv *root = mutu_jw__object();
	mutu_jw__add_integer(root, "mutu_sweep_partial", 2);
	add_hex(root, "population", id->population);
	mutu_jw__add_integer(root, "population_lines", (long)id->population_lines);
	mutu_jw__add_string(root, "base", id->base);
	add_hex(root, "base_digest", id->base_digest);
	mutu_jw__add_integer(root, "base_horizon", sw->base_horizon);
	mutu_jw__add_string(root, "goal", goal_name(id->goal));
	mutu_jw__add_string(root, "take_up", take_up_name(id->take_up));
	mutu_jw__add_string(root, "achievement", id->achievement);
	mutu_jw__add_string(root, "sharing", mutu_sharing_names[id->sharing]);
	mutu_jw__add_integer(root, "shard_k", (long)id->shard_k);
	mutu_jw__add_integer(root, "shard_n", (long)id->shard_n);
	mutu_jw__add_integer(root, "lines", (long)sw->lines);
	jv *arr = mutu_jw__add_array(root, "modalities");
	for (size_t i = 0; i < sw->n; i++) {
		const mutu_sweep_modality *m = &sw->mods[i];
		jv *jm = mutu_jw__object();
		mutu_jw__add_string(jm, "label", m->label);
		add_hex(jm, "rules_digest", m->rules_digest);
		mutu_jw__add_integer(jm, "horizon", m->horizon);
		mutu_jw__add_integer(jm, "reference", (long)m->reference);
		mutu_jw__add_integer(jm, "differs_in", (long)m->differs_in);
		mutu_jw__add_integer(jm, "structures", (long)m->structures);
		mutu_jw__add_integer(jm, "failed", (long)m->failed);
		mutu_jw__add_integer(jm, "changed", (long)m->changed);
		mutu_jw__add_integer(jm, "forfait_holders", (long)m->forfait_holders);
		jv *js = mutu_jw__add_array(jm, "scopes");
		for (size_t s = 0; s < m->nscopes; s++) {
			const mutu_sweep_scope *sc = &m->scopes[s];
			jv *o = mutu_jw__object();
			mutu_jw__add_string(o, "name", sc->name);
#define ADD(f) mutu_jw__add_integer(o, #f, (long)sc->f);
			SCOPE_FIELDS(ADD)
#undef ADD
			payer_partial(mutu_jw__add_object(o, "status_quo"), &sc->status_quo);
			payer_partial(mutu_jw__add_object(o, "world"), &sc->world);
			jv *f = mutu_jw__add_array(o, "first");
			for (size_t k = 0; k < sc->nfirst; k++) {
				jv *e = mutu_jw__object();
				mutu_jw__add_integer(e, "line", (long)sc->first[k].line);
				mutu_jw__add_string(e, "id", sc->first[k].id);
				mutu_jw__push(f, e);
			}
			jv *g = mutu_jw__add_array(o, "gains");
			for (size_t k = 0; k < sc->ngains; k++)
				mutu_jw__push(g, mutu_jw__number((double)sc->gains[k]));
			mutu_jw__push(js, o);
		}
		mutu_jw__push(arr, jm);
	}
	return mutu_jw__print(root, true, true);
}

static int64_t get_int(jx *x, const jv *obj, const char *path, const char *key)
{
	long v = 0;
	mutu_jx__integer(x, obj, path, key, true, -4000000000000000L, 4000000000000000L, &v);
	return v;
}

static uint64_t get_hex(jx *x, const jv *obj, const char *path, const char *key)
{
	const char *s = NULL;
	char *end = NULL;
	if (!mutu_jx__string(x, obj, path, key, true, &s) || !s)
		return 0;
	unsigned long long v = strtoull(s, &end, 16);
	if (strlen(s) != 16 || *end)
		mutu_jx__error(x, path, "%s must be 16 hexadecimal digits", key);
	return (uint64_t)v;
}

static void get_text(jx *x, const jv *obj, const char *path, const char *key, char *buf,
		     size_t size)
{
	const char *s = NULL;
	mutu_jx__string(x, obj, path, key, true, &s);
	snprintf(buf, size, "%s", s ? s : "");
}

static void payer_read(jx *x, const jv *obj, const char *path, const char *key, mutu_sweep_payer *p)
{
	const jv *o = mutu_jx__get(x, obj, path, key, true);
	jx_path q;
	mutu_jx__path_key(&q, path, key);
	if (!o)
		return;
#define GET(f) p->f = get_int(x, o, q.s, #f);
	PAYER_FIELDS(GET)
#undef GET
	const jv *y = mutu_jx__get(x, o, q.s, "aid_year", true);
	jx_path r;
	mutu_jx__path_key(&r, q.s, "aid_year");
	if (y && (!mutu_jx__is_array(y) || mutu_jx__size(y) != MUTU_SWEEP_YEARS)) {
		mutu_jx__error(x, r.s, "must be an array of %d numbers", MUTU_SWEEP_YEARS);
		return;
	}
	int k = 0;
	for (const jv *v = y ? mutu_jx__child(y) : NULL; v; v = mutu_jx__next(v), k++) {
		if (!mutu_jx__is_number(v)) {
			mutu_jx__error(x, r.s, "must be an array of %d numbers", MUTU_SWEEP_YEARS);
			return;
		}
		p->aid_year[k] = (int64_t)mutu_jx__num(v);
	}
}

static int read_scope(jx *x, const jv *o, const char *path, mutu_sweep_scope *sc)
{
	get_text(x, o, path, "name", sc->name, sizeof sc->name);
#define GET(f) sc->f = get_int(x, o, path, #f);
	SCOPE_FIELDS(GET)
#undef GET
	payer_read(x, o, path, "status_quo", &sc->status_quo);
	payer_read(x, o, path, "world", &sc->world);
	const jv *f = mutu_jx__get(x, o, path, "first", true);
	size_t k = 0;
	for (const jv *e = f ? mutu_jx__child(f) : NULL; e; e = mutu_jx__next(e), k++) {
		char id[64];
		long line = 0;
		jx_path q, r;
		mutu_jx__path_key(&q, path, "first");
		mutu_jx__path_index(&r, q.s, k);
		mutu_jx__integer(x, e, r.s, "line", true, 1, 4000000000000000L, &line);
		get_text(x, e, r.s, "id", id, sizeof id);
		first_add(sc, (unsigned long)line, id);
	}
	const jv *g = mutu_jx__get(x, o, path, "gains", true);
	for (const jv *v = g ? mutu_jx__child(g) : NULL; v; v = mutu_jx__next(v)) {
		if (!mutu_jx__is_number(v)) {
			jx_path q;
			mutu_jx__path_key(&q, path, "gains");
			mutu_jx__error(x, q.s, "must be an array of numbers (cents)");
			break;
		}
		if (push_gain(sc, (int64_t)mutu_jx__num(v)) != MUTU_OK)
			return MUTU_ENOMEM;
	}
	return MUTU_OK;
}

int mutu_sweep_from_partial(mutu_sweep *out, const char *text, size_t len, const char *file,
			    mutu_errors *errs)
{
	jx x = {.file = file, .errs = errs};
	memset(out, 0, sizeof *out);
	jv *doc = mutu_jx__parse(&x, text, len);
	if (!doc)
		return MUTU_EINPUT;
	int rc = MUTU_OK;
	mutu_sweep_run_id *id = &out->id;
	long version = 0;
	mutu_jx__integer(&x, doc, "", "mutu_sweep_partial", true, 2, 2, &version);
	id->population = get_hex(&x, doc, "", "population");
	id->population_lines = (unsigned long)get_int(&x, doc, "", "population_lines");
	get_text(&x, doc, "", "base", id->base, sizeof id->base);
	id->base_digest = get_hex(&x, doc, "", "base_digest");
	out->base_horizon = (int)get_int(&x, doc, "", "base_horizon");
	static const char *const goals[] = {"net_benefit", "patients", NULL};
	static const char *const takes[] = {"better", "always", NULL};
	int e = 0;
	mutu_jx__enum(&x, doc, "", "goal", true, goals, &e);
	id->goal = e;
	e = 0;
	mutu_jx__enum(&x, doc, "", "take_up", true, takes, &e);
	id->take_up = e;
	get_text(&x, doc, "", "achievement", id->achievement, sizeof id->achievement);
	e = 0;
	mutu_jx__enum(&x, doc, "", "sharing", false, mutu_sharing_names, &e);
	id->sharing = e;
	id->shard_k = (unsigned long)get_int(&x, doc, "", "shard_k");
	id->shard_n = (unsigned long)get_int(&x, doc, "", "shard_n");
	out->lines = (unsigned long)get_int(&x, doc, "", "lines");
	const jv *mods = mutu_jx__get(&x, doc, "", "modalities", true);
	size_t n = mutu_jx__is_array(mods) ? mutu_jx__size(mods) : 0;
	out->mods = calloc(n + 1, sizeof *out->mods);
	if (!out->mods)
		rc = MUTU_ENOMEM;
	size_t i = 0;
	for (const jv *jm = mods ? mutu_jx__child(mods) : NULL; jm && rc == MUTU_OK;
	     jm = mutu_jx__next(jm), i++) {
		mutu_sweep_modality *m = &out->mods[i];
		out->n = i + 1;
		jx_path p;
		mutu_jx__path_index(&p, "/modalities", i);
		get_text(&x, jm, p.s, "label", m->label, sizeof m->label);
		m->rules_digest = get_hex(&x, jm, p.s, "rules_digest");
		m->horizon = (int)get_int(&x, jm, p.s, "horizon");
		m->differs_in = (unsigned)get_int(&x, jm, p.s, "differs_in");
		long ref = 0;
		mutu_jx__integer(&x, jm, p.s, "reference", true, 0, (long)n - 1, &ref);
		m->reference = (size_t)ref;
		m->structures = get_int(&x, jm, p.s, "structures");
		m->failed = get_int(&x, jm, p.s, "failed");
		m->changed = get_int(&x, jm, p.s, "changed");
		m->forfait_holders = get_int(&x, jm, p.s, "forfait_holders");
		const jv *js = mutu_jx__get(&x, jm, p.s, "scopes", true);
		m->nscopes = mutu_jx__is_array(js) ? mutu_jx__size(js) : 0;
		m->scopes = calloc(m->nscopes + 1, sizeof *m->scopes);
		if (!m->scopes) {
			rc = MUTU_ENOMEM;
			break;
		}
		size_t s = 0;
		jx_path ps;
		mutu_jx__path_key(&ps, p.s, "scopes");
		for (const jv *o = js ? mutu_jx__child(js) : NULL; o && rc == MUTU_OK;
		     o = mutu_jx__next(o), s++) {
			jx_path q;
			mutu_jx__path_index(&q, ps.s, s);
			rc = read_scope(&x, o, q.s, &m->scopes[s]);
		}
	}
	mutu_jx__free(doc);
	if (rc == MUTU_OK && x.failed)
		rc = MUTU_EINPUT;
	if (rc != MUTU_OK)
		mutu_sweep_free(out);
	return rc;
}

int mutu_sweep_load_partial(mutu_sweep *out, const char *path, mutu_errors *errs)
{
	jx x = {.file = path, .errs = errs};
	size_t len;
	memset(out, 0, sizeof *out);
	char *text = mutu_jx__read_file(&x, path, &len);
	if (!text)
		return MUTU_EIO;
	int rc = mutu_sweep_from_partial(out, text, len, path, errs);
	free(text);
	return rc;
}

/* ---- report ---- */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Decile k (1..9) by nearest rank on sorted gains, in euros. */
static double decile(const mutu_sweep_scope *s, int k)
{
	if (s->ngains == 0)
		return 0;
	size_t rank = ((size_t)k * s->ngains + 9) / 10;
	return (double)s->gains[rank ? rank - 1 : 0] / 100.0;
}

static double share(int64_t part, int64_t whole)
{
	return whole ? (double)part / (double)whole : 0;
}

static double euros(int64_t c)
{
	return (double)c / 100.0;
}

/* The derived figures of a scope: delta = world - status quo, and the
 * euros per extra committed (and achieved) patient, undefined (false)
 * when there is no extra patient. */
typedef struct derived {
	int64_t aid, etp, patients, achieved; /* delta */
	bool epp_ok, epa_ok;
	double epp, epa;
} derived;

static derived derive(const mutu_sweep_scope *s)
{
	derived d = {0};
	d.aid = s->world.aid - s->status_quo.aid;
	d.etp = s->world.etp - s->status_quo.etp;
	d.patients = s->world.patients - s->status_quo.patients;
	d.achieved = s->world.achieved - s->status_quo.achieved;
	d.epp_ok = d.patients > 0;
	d.epp = d.epp_ok ? euros(d.aid) / (double)d.patients : 0;
	d.epa_ok = d.achieved > 0;
	d.epa = d.epa_ok ? euros(d.aid) / ((double)d.achieved / 100.0) : 0;
	return d;
}

static bool simulated(const mutu_sweep *sw)
{
	return strcmp(sw->id.achievement, "not simulated") != 0;
}

/* The warnings of modality i: a variation that changes nothing over the
 * population, with the likely reason when it is known.  Returns how many
 * were written into `out` (at most 1). */
static size_t warning_of(const mutu_sweep *sw, size_t i, char *out, size_t size)
{
	const mutu_sweep_modality *m = &sw->mods[i];
	if (m->reference == i || m->structures == 0 || m->changed > 0)
		return 0;
	const char *ref = sw->mods[m->reference].label;
	char reason[300] = "";
	size_t at = 0;
	if (m->differs_in == 0)
		at += (size_t)snprintf(reason, sizeof reason, "its rules solve as those of %.200s",
				       ref);
	if (m->differs_in & MUTU_DIFF_OTHER)
		at += (size_t)snprintf(
		    reason, sizeof reason,
		    "what it varies moves none of the figures of any structure here");
	if ((m->differs_in & MUTU_DIFF_ACHIEVEMENT) && !simulated(sw))
		at +=
		    (size_t)snprintf(reason + at, sizeof reason - at,
				     "%sachievement not simulated: every objective is met, so "
				     "modulation and assessment cannot matter (give --achievement "
				     "0.8 or beta:A,B)",
				     at ? "; " : "");
	if ((m->differs_in & MUTU_DIFF_EXCLUSIVE) && m->forfait_holders == 0 && at < sizeof reason)
		at +=
		    (size_t)snprintf(reason + at, sizeof reason - at,
				     "%sno forfait contract in the population, so exclusive_kinds "
				     "cannot matter",
				     at ? "; " : "");
	snprintf(out, size, "%.250s: changes nothing over this population against %.200s%s%.280s%s",
		 m->label, ref, at ? " (" : "", reason, at ? ")" : "");
	return 1;
}

static void payer_json(jv *o, const mutu_sweep_payer *p, int horizon, bool achieved)
{
	mutu_jw__add_number(o, "aid", euros(p->aid));
	jv *y = mutu_jw__add_array(o, "aid_by_year");
	for (int k = 0; k < horizon && k < MUTU_SWEEP_YEARS; k++)
		mutu_jw__push(y, mutu_jw__number(euros(p->aid_year[k])));
	mutu_jw__add_number(o, "etp", (double)p->etp / 1e4);
	mutu_jw__add_integer(o, "patients", (long)p->patients);
	if (achieved)
		mutu_jw__add_number(o, "patients_achieved", (double)p->achieved / 100.0);
	mutu_jw__add_integer(o, "contracts", (long)p->contracts);
	mutu_jw__add_integer(o, "doctors", (long)p->doctors);
}

static const char *no_extra(const derived *d)
{
	return d->patients == 0 ? N_("no extra committed patient over the status quo")
				: N_("fewer committed patients than the status quo");
}

static jv *scope_json(const mutu_sweep *sw, const mutu_sweep_modality *m, const mutu_sweep_scope *s)
{
	bool ach = simulated(sw);
	int hz = m->horizon > sw->base_horizon ? m->horizon : sw->base_horizon;
	derived d = derive(s);
	jv *o = mutu_jw__object();
	mutu_jw__add_string(o, "scope", s->name);
	mutu_jw__add_string(o, "take_up", take_up_name(sw->id.take_up));
	mutu_jw__add_integer(o, "doctors", (long)s->doctors);
	mutu_jw__add_integer(o, "groups", (long)s->groups);
	mutu_jw__add_integer(o, "plans", (long)s->plans);
	mutu_jw__add_integer(o, "groups_signing", (long)s->signing);
	mutu_jw__add_integer(o, "doctors_pooled", (long)s->doctors_pooled);
	payer_json(mutu_jw__add_object(o, "status_quo"), &s->status_quo, sw->base_horizon, ach);
	payer_json(mutu_jw__add_object(o, "world"), &s->world, m->horizon, ach);
	jv *dj = mutu_jw__add_object(o, "delta");
	mutu_jw__add_number(dj, "aid", euros(d.aid));
	jv *y = mutu_jw__add_array(dj, "aid_by_year");
	for (int k = 0; k < hz && k < MUTU_SWEEP_YEARS; k++)
		mutu_jw__push(
		    y, mutu_jw__number(euros(s->world.aid_year[k] - s->status_quo.aid_year[k])));
	mutu_jw__add_number(dj, "etp", (double)d.etp / 1e4);
	mutu_jw__add_integer(dj, "patients", (long)d.patients);
	if (ach)
		mutu_jw__add_number(dj, "patients_achieved", (double)d.achieved / 100.0);
	if (d.epp_ok) {
		mutu_jw__add_number(o, "euros_per_extra_patient", d.epp);
	} else {
		mutu_jw__add_null(o, "euros_per_extra_patient");
		mutu_jw__add_string(o, "euros_per_extra_patient_note", no_extra(&d));
	}
	if (ach) {
		if (d.epa_ok)
			mutu_jw__add_number(o, "euros_per_extra_patient_achieved", d.epa);
		else
			mutu_jw__add_null(o, "euros_per_extra_patient_achieved");
	}
	jv *w = mutu_jw__add_object(o, "winners");
	mutu_jw__add_integer(w, "groups", (long)s->winners);
	mutu_jw__add_integer(w, "doctors", (long)s->doctors_winning);
	jv *l = mutu_jw__add_object(o, "losers");
	mutu_jw__add_integer(l, "groups", (long)s->losers);
	mutu_jw__add_integer(l, "doctors", (long)s->doctors_losing);
	jv *first = mutu_jw__add_array(l, "first");
	for (size_t k = 0; k < s->nfirst; k++)
		mutu_jw__push(first, mutu_jw__string(s->first[k].id));
	/* Earlier fields, kept for readers of earlier outputs. */
	mutu_jw__add_integer(o, "pooling_beats_individual", (long)s->beats);
	mutu_jw__add_number(o, "pooled_etp", (double)s->etp / 1e4);
	mutu_jw__add_number(o, "pooled_aid", euros(s->aid));
	mutu_jw__add_integer(o, "new_patients", (long)s->patients);
	mutu_jw__add_number(
	    o, "aid_per_new_patient",
	    mutu_jx__round(s->patients ? euros(s->aid) / (double)s->patients : 0, 2));
	mutu_jw__add_number(o, "share_gain", mutu_jx__round(share(s->winners, s->groups), 4));
	mutu_jw__add_number(o, "share_loss", mutu_jx__round(share(s->losers, s->groups), 4));
	mutu_jw__add_number(o, "share_unchanged",
			    mutu_jx__round(share(s->unchanged, s->groups), 4));
	jv *dec = mutu_jw__add_array(o, "gain_deciles");
	for (int k = 1; k <= 9; k++)
		mutu_jw__push(dec, mutu_jw__number(decile(s, k)));
	mutu_jw__add_number(o, "gain_total", euros(s->gain));
	jv *ind = mutu_jw__add_object(o, "individual");
	mutu_jw__add_number(ind, "etp", (double)s->ind_etp / 1e4);
	mutu_jw__add_number(ind, "aid", euros(s->ind_aid));
	mutu_jw__add_integer(ind, "new_patients", (long)s->ind_patients);
	mutu_jw__add_number(ind, "net", euros(s->ind_net));
	return o;
}

static bool shown(const mutu_sweep_modality *m, size_t s)
{
	return s == 0 || m->scopes[s].groups > 0 || m->scopes[s].doctors > 0;
}

static char *report_json(const mutu_sweep *sw)
{
	char achievement[96];
	snprintf(achievement, sizeof achievement, "%s", sw->id.achievement);
	jv *root = mutu_jw__array();
	for (size_t i = 0; i < sw->n; i++) {
		const mutu_sweep_modality *m = &sw->mods[i];
		jv *o = mutu_jw__object();
		mutu_jw__add_string(o, "modality", m->label);
		mutu_jw__add_integer(o, "structures", (long)m->structures);
		mutu_jw__add_integer(o, "failed", (long)m->failed);
		mutu_jw__add_string(o, "achievement", achievement);
		mutu_jw__add_string(o, "sharing", mutu_sharing_names[sw->id.sharing]);
		mutu_jw__add_string(o, "status_quo_rules", sw->id.base);
		jv *w = mutu_jw__add_array(o, "warnings");
		char text[1024];
		if (warning_of(sw, i, text, sizeof text))
			mutu_jw__push(w, mutu_jw__string(text));
		jv *sc = mutu_jw__add_array(o, "scopes");
		for (size_t s = 0; s < m->nscopes; s++)
			if (shown(m, s))
				mutu_jw__push(sc, scope_json(sw, m, &m->scopes[s]));
		mutu_jw__push(root, o);
	}
	return mutu_jw__print(root, false, true);
}

static void csv_number(strbuf *b, bool ok, double v)
{
	if (ok)
		mutu_sb__printf(b, ",%.2f", v);
	else
		mutu_sb__printf(b, ",");
}

static char *report_csv(const mutu_sweep *sw)
{
	strbuf b = {0};
	mutu_sb__printf(
	    &b, "modality,structures,failed,take_up,achievement,scope,doctors,groups,plans,"
		"groups_signing,doctors_pooled,status_quo_aid,status_quo_etp,status_quo_patients,"
		"status_quo_patients_achieved,status_quo_contracts,world_aid,world_etp,"
		"world_patients,world_patients_achieved,world_contracts,delta_aid,delta_etp,"
		"delta_patients,delta_patients_achieved,euros_per_extra_patient,"
		"euros_per_extra_patient_achieved,winners_groups,losers_groups,winners_doctors,"
		"losers_doctors,losers_first,pooling_beats_individual,pooled_etp,pooled_aid,"
		"new_patients,share_gain,share_loss,share_unchanged,d1,d2,d3,d4,d5,d6,d7,d8,d9,"
		"gain_total,ind_etp,ind_aid,ind_new_patients,ind_net\n");
	for (size_t i = 0; i < sw->n; i++) {
		const mutu_sweep_modality *m = &sw->mods[i];
		for (size_t s = 0; s < m->nscopes; s++) {
			if (!shown(m, s))
				continue;
			const mutu_sweep_scope *sc = &m->scopes[s];
			derived d = derive(sc);
			mutu_sb__csv(&b, m->label);
			mutu_sb__printf(&b, ",%lld,%lld,%s,", (long long)m->structures,
					(long long)m->failed, take_up_name(sw->id.take_up));
			mutu_sb__csv(&b, sw->id.achievement);
			const mutu_sweep_payer *q = &sc->status_quo, *w = &sc->world;
			mutu_sb__printf(&b,
					",%s,%lld,%lld,%lld,%lld,%lld,%.2f,%.4f,%lld,%.2f,%lld,%."
					"2f,%.4f,%lld,%."
					"2f,%lld,%.2f,%.4f,%lld,%.2f",
					sc->name, (long long)sc->doctors, (long long)sc->groups,
					(long long)sc->plans, (long long)sc->signing,
					(long long)sc->doctors_pooled, euros(q->aid),
					(double)q->etp / 1e4, (long long)q->patients,
					(double)q->achieved / 100, (long long)q->contracts,
					euros(w->aid), (double)w->etp / 1e4, (long long)w->patients,
					(double)w->achieved / 100, (long long)w->contracts,
					euros(d.aid), (double)d.etp / 1e4, (long long)d.patients,
					(double)d.achieved / 100);
			csv_number(&b, d.epp_ok, d.epp);
			csv_number(&b, d.epa_ok, d.epa);
			mutu_sb__printf(&b, ",%lld,%lld,%lld,%lld,", (long long)sc->winners,
					(long long)sc->losers, (long long)sc->doctors_winning,
					(long long)sc->doctors_losing);
			strbuf ids = {0};
			for (size_t k = 0; k < sc->nfirst; k++)
				mutu_sb__printf(&ids, "%s%s", k ? ";" : "", sc->first[k].id);
			char *idt = mutu_sb__take(&ids);
			mutu_sb__csv(&b, idt ? idt : "");
			free(idt);
			mutu_sb__printf(&b, ",%lld,%.4f,%.2f,%lld,%.4f,%.4f,%.4f",
					(long long)sc->beats, (double)sc->etp / 1e4, euros(sc->aid),
					(long long)sc->patients, share(sc->winners, sc->groups),
					share(sc->losers, sc->groups),
					share(sc->unchanged, sc->groups));
			for (int k = 1; k <= 9; k++)
				mutu_sb__printf(&b, ",%.2f", decile(sc, k));
			mutu_sb__printf(&b, ",%.2f,%.4f,%.2f,%lld,%.2f\n", euros(sc->gain),
					(double)sc->ind_etp / 1e4, euros(sc->ind_aid),
					(long long)sc->ind_patients, euros(sc->ind_net));
		}
	}
	return mutu_sb__take(&b);
}

/* Euros with thin-space-free thousands separators ("1 234 567"). */
static const char *money(char *buf, size_t size, double v)
{
	char digits[40];
	snprintf(digits, sizeof digits, "%.0f", fabs(v));
	size_t n = strlen(digits), at = 0;
	if (v <= -0.5 && at + 1 < size)
		buf[at++] = '-';
	for (size_t i = 0; i < n && at + 2 < size; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[at++] = ' ';
		buf[at++] = digits[i];
	}
	buf[at] = '\0';
	return buf;
}

typedef struct ranked {
	size_t i;
	derived d;
	bool ok;
	double key;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->ok != y->ok)
		return x->ok ? -1 : 1;
	if (x->ok && x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* ---- the text report, in the thread's language (French by default) ---- */

static bool english(void)
{
	return mutu_i18n__current() == MUTU_LANG_EN;
}

/* A figure of the text report: as printf's "%.*f" in English, with French
 * separators (thin spaces, decimal comma) in French. */
static const char *fig(char *buf, size_t size, double v, int decimals)
{
	if (english())
		snprintf(buf, size, "%.*f", decimals, v);
	else
		mutu_fmt__decimal(buf, size, v, decimals, MUTU_LANG_FR);
	return buf;
}

/* Euros, whole: "11 239 402 000" (the same groups in both languages). */
static const char *eur(char *buf, size_t size, double v)
{
	if (english())
		return money(buf, size, v);
	mutu_fmt__integer(buf, size, v, MUTU_LANG_FR);
	return buf;
}

/* A fraction in percent with one decimal: "12.3%", "12,3 %". */
static const char *pct(char *buf, size_t size, double fraction)
{
	if (english())
		snprintf(buf, size, "%.1f%%", 100 * fraction);
	else
		mutu_fmt__percent(buf, size, fraction, 1, MUTU_LANG_FR);
	return buf;
}

/* One row of a table: "  " then the cells, one space apart, each padded to
 * its width by display columns (negative: left aligned). */
static void row(strbuf *b, const char *const *cells, const int *width, size_t n)
{
	mutu_sb__printf(b, "  ");
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			mutu_sb__printf(b, " ");
		mutu_fmt__sb_pad(b, cells[i], (size_t)(width[i] < 0 ? -width[i] : width[i]),
				 width[i] < 0 ? MUTU_ALIGN_LEFT : MUTU_ALIGN_RIGHT);
	}
	mutu_sb__printf(b, "\n");
}

/* Widens each column to its header (a translated header may be longer). */
static void fit_headers(int *width, const char *const *head, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int w = (int)mutu_fmt__width(head[i]);
		if (w > (width[i] < 0 ? -width[i] : width[i]))
			width[i] = width[i] < 0 ? -w : w;
	}
}

#define SCOPE_COLUMNS 16

static void text_scopes(strbuf *b, const mutu_sweep_modality *m)
{
	const char *head[SCOPE_COLUMNS] = {
	    _("scope"),     _("doctors"),   _("groups"),    _("plans"),  _("signing"), _("pooled"),
	    _("world aid"), _("delta aid"), _("delta pts"), _("EUR/pt"), _("lose"),    _("gain"),
	    _("dr lose"),   _("gain D1"),   _("median"),    _("gain D9")};
	int width[SCOPE_COLUMNS] = {-24, 7, 7, 7, 7, 8, 15, 11, 10, 9, 7, 6, 8, 11, 11, 11};
	fit_headers(width, head, SCOPE_COLUMNS);
	row(b, head, width, SCOPE_COLUMNS);
	for (size_t s = 0; s < m->nscopes; s++) {
		if (!shown(m, s))
			continue;
		const mutu_sweep_scope *sc = &m->scopes[s];
		derived d = derive(sc);
		char v[SCOPE_COLUMNS][48];
		v[0][0] = '\0'; /* the scope's name is its own cell below */
		fig(v[1], sizeof v[1], (double)sc->doctors, 0);
		fig(v[2], sizeof v[2], (double)sc->groups, 0);
		fig(v[3], sizeof v[3], (double)sc->plans, 0);
		fig(v[4], sizeof v[4], (double)sc->signing, 0);
		fig(v[5], sizeof v[5], (double)sc->doctors_pooled, 0);
		eur(v[6], sizeof v[6], euros(sc->world.aid));
		eur(v[7], sizeof v[7], euros(d.aid));
		fig(v[8], sizeof v[8], (double)d.patients, 0);
		if (d.epp_ok)
			fig(v[9], sizeof v[9], d.epp, 0);
		else
			snprintf(v[9], sizeof v[9], "%s", _("n/a"));
		pct(v[10], sizeof v[10], share(sc->losers, sc->groups));
		pct(v[11], sizeof v[11], share(sc->winners, sc->groups));
		fig(v[12], sizeof v[12], (double)sc->doctors_losing, 0);
		fig(v[13], sizeof v[13], decile(sc, 1), 0);
		fig(v[14], sizeof v[14], decile(sc, 5), 0);
		fig(v[15], sizeof v[15], decile(sc, 9), 0);
		const char *cells[SCOPE_COLUMNS];
		for (size_t i = 0; i < SCOPE_COLUMNS; i++)
			cells[i] = v[i];
		cells[0] = sc->name;
		row(b, cells, width, SCOPE_COLUMNS);
	}
}

/* The status quo every row is measured against, take-up, achievement. */
static void text_status_quo(strbuf *b, const mutu_sweep *sw, bool ach)
{
	const mutu_sweep_scope *sq0 = sw->n ? &sw->mods[0].scopes[0] : NULL;
	char x[48], n1[48], n2[48], n3[48], n4[48], n5[48];
	mutu_sb__printf(b,
			_("Status quo (the one reference of every row): every eligible doctor "
			  "signs his best individual contract under %s, nobody pools.\n"),
			sw->id.base);
	if (sq0) {
		const mutu_sweep_payer *q = &sq0->status_quo;
		mutu_sb__printf(b,
				_("  %s structures, %s doctors, %s contracts: aid %s EUR over "
				  "%d years (undiscounted), %s ETP funded, %s committed new "
				  "patients"),
				fig(n1, sizeof n1, (double)sw->mods[0].structures, 0),
				fig(n2, sizeof n2, (double)sq0->doctors, 0),
				fig(n3, sizeof n3, (double)q->contracts, 0),
				eur(x, sizeof x, euros(q->aid)), sw->base_horizon,
				fig(n4, sizeof n4, (double)q->etp / 1e4, 1),
				fig(n5, sizeof n5, (double)q->patients, 0));
		if (ach)
			mutu_sb__printf(b, _(", %s achieved"),
					fig(n1, sizeof n1, (double)q->achieved / 100, 0));
		mutu_sb__printf(b, ".\n");
	}
	mutu_sb__printf(b, _("Sharing: %s (each doctor's money in a pooled plan, model.md §4b).\n"),
			mutu_sharing_names[sw->id.sharing]);
	mutu_sb__printf(
	    b, _("Take-up: %s (%s).\nAchievement: %s.\n\n"), take_up_name(sw->id.take_up),
	    sw->id.take_up == MUTU_TAKE_UP_ALWAYS
		? _("every group with a plan signs: an upper bound")
		: _("a group signs when its plan pays its members at least their individual "
		    "contracts under the same modality; every other doctor keeps his individual "
		    "contract"),
	    ach ? sw->id.achievement
		: _("not simulated (every objective met exactly; --achievement RATE or beta:A,B "
		    "lets modulation and assessment act)"));
}

#define RANK_COLUMNS 10

/* The modalities ranked by euros per extra patient.  False when out of
 * memory. */
static bool text_ranking(strbuf *b, const mutu_sweep *sw, bool ach)
{
	ranked *rk = calloc(sw->n + 1, sizeof *rk);
	if (!rk)
		return false;
	for (size_t i = 0; i < sw->n; i++) {
		rk[i].i = i;
		rk[i].d = derive(&sw->mods[i].scopes[0]);
		rk[i].ok = ach ? rk[i].d.epa_ok : rk[i].d.epp_ok;
		rk[i].key = ach ? rk[i].d.epa : rk[i].d.epp;
	}
	qsort(rk, sw->n, sizeof *rk, cmp_ranked);
	mutu_sb__printf(b, "%s",
			ach ? _("Modalities ranked by euros of aid per extra achieved patient "
				"against the status quo (fewest euros first):\n")
			    : _("Modalities ranked by euros of aid per extra committed patient "
				"against the status quo (fewest euros first):\n"));
	int wl = 8;
	for (size_t i = 0; i < sw->n; i++) {
		int l = (int)mutu_fmt__width(sw->mods[i].label);
		wl = l > wl ? (l > 90 ? 90 : l) : wl;
	}
	/* The empty second column gives two spaces between rank and label. */
	const char *head[RANK_COLUMNS] = {_("rank"),         "",
					  _("modality"),     _("world aid"),
					  _("delta aid"),    _("delta pts"),
					  _("EUR/extra pt"), _("signing"),
					  _("of groups"),    _("losing")};
	int width[RANK_COLUMNS] = {4, 0, -wl, 15, 15, 11, 12, 10, 8, 9};
	fit_headers(width, head, RANK_COLUMNS);
	row(b, head, width, RANK_COLUMNS);
	for (size_t r = 0; r < sw->n; r++) {
		const mutu_sweep_modality *m = &sw->mods[rk[r].i];
		const mutu_sweep_scope *s = &m->scopes[0];
		const derived *d = &rk[r].d;
		char v[RANK_COLUMNS][400];
		snprintf(v[0], sizeof v[0], "%zu", r + 1);
		v[1][0] = '\0';
		if (mutu_fmt__cut(v[2], sizeof v[2], m->label, (size_t)wl) >= (int)sizeof v[2])
			snprintf(v[2], sizeof v[2], "%.90s", m->label);
		eur(v[3], sizeof v[3], euros(s->world.aid));
		eur(v[4], sizeof v[4], euros(d->aid));
		fig(v[5], sizeof v[5],
		    ach ? (double)llround((double)d->achieved / 100) : (double)d->patients, 0);
		if (rk[r].ok)
			fig(v[6], sizeof v[6], rk[r].key, 2);
		else
			snprintf(v[6], sizeof v[6], "%s", _("undefined"));
		fig(v[7], sizeof v[7], (double)s->signing, 0);
		fig(v[8], sizeof v[8], (double)s->groups, 0);
		pct(v[9], sizeof v[9], share(s->losers, s->groups));
		const char *cells[RANK_COLUMNS];
		for (size_t i = 0; i < RANK_COLUMNS; i++)
			cells[i] = v[i];
		row(b, cells, width, RANK_COLUMNS);
	}
	mutu_sb__printf(b, "%s",
			_("  delta: the modality's world (pooled groups that sign, everyone else's "
			  "individual contracts) minus the status quo; losing: groups whose plan "
			  "pays its members less than their individual contracts (under `better` "
			  "they do not sign).\n"));
	for (size_t r = 0; r < sw->n; r++)
		if (!rk[r].ok)
			mutu_sb__printf(b, _("  %s: euros per extra patient undefined: %s.\n"),
					sw->mods[rk[r].i].label, _(no_extra(&rk[r].d)));
	free(rk);
	return true;
}

/* The warnings (their sentences stay in English: the JSON carries the same
 * text, and JSON is never translated). */
static void text_warnings(strbuf *b, const mutu_sweep *sw)
{
	bool any = false;
	for (size_t i = 0; i < sw->n; i++) {
		char text[1024];
		if (warning_of(sw, i, text, sizeof text)) {
			if (!any)
				mutu_sb__printf(b, "%s", _("\nWarnings:\n"));
			mutu_sb__printf(b, _("  warning: %s\n"), text);
			any = true;
		}
	}
}

/* Each modality's scopes, aid by year and first losing structures. */
static void text_by_modality(strbuf *b, const mutu_sweep *sw)
{
	char x[48], y[48], n1[48], n2[48];
	mutu_sb__printf(b, "%s",
			_("\nBy modality and scope (doctors: of the scope; pooled: doctors in "
			  "signing groups; world aid and delta in EUR over the horizon; lose, "
			  "gain: share of groups whose plan changes their net by more than 0.50 "
			  "EUR; dr lose: members who would lose; deciles of the groups' gain in "
			  "EUR).\n"));
	for (size_t i = 0; i < sw->n; i++) {
		const mutu_sweep_modality *m = &sw->mods[i];
		const mutu_sweep_scope *s = &m->scopes[0];
		mutu_sb__printf(b, _("\n%s — %s structures, %s failed\n"), m->label,
				fig(n1, sizeof n1, (double)m->structures, 0),
				fig(n2, sizeof n2, (double)m->failed, 0));
		text_scopes(b, m);
		mutu_sb__printf(b, "%s", _("  aid by year (EUR), world / status quo:"));
		int hz = m->horizon > sw->base_horizon ? m->horizon : sw->base_horizon;
		for (int k = 0; k < hz && k < MUTU_SWEEP_YEARS; k++)
			mutu_sb__printf(b, _("  %d: %s / %s"), k + 1,
					eur(x, sizeof x, euros(s->world.aid_year[k])),
					eur(y, sizeof y, euros(s->status_quo.aid_year[k])));
		mutu_sb__printf(b, "\n");
		if (s->nfirst) {
			mutu_sb__printf(b, "%s", _("  first losing structures:"));
			for (size_t k = 0; k < s->nfirst; k++)
				mutu_sb__printf(b, " %s", s->first[k].id);
			mutu_sb__printf(b, "\n");
		}
	}
}

static char *report_text(const mutu_sweep *sw, mutu_lang lang)
{
	mutu_lang old = mutu_i18n__use(lang);
	strbuf b = {0};
	bool ach = simulated(sw);
	text_status_quo(&b, sw, ach);
	bool ok = text_ranking(&b, sw, ach);
	if (ok) {
		text_warnings(&b, sw);
		text_by_modality(&b, sw);
	}
	mutu_i18n__use(old);
	if (!ok) {
		free(mutu_sb__take(&b));
		return NULL;
	}
	return mutu_sb__take(&b);
}

char *mutu_sweep_report_lang(mutu_sweep *sw, mutu_format fmt, mutu_lang lang)
{
	for (size_t i = 0; i < sw->n; i++)
		for (size_t s = 0; s < sw->mods[i].nscopes; s++)
			if (sw->mods[i].scopes[s].ngains > 1)
				qsort(sw->mods[i].scopes[s].gains, sw->mods[i].scopes[s].ngains,
				      sizeof(int64_t), cmp_i64);
	if (fmt == MUTU_FORMAT_JSON)
		return report_json(sw);
	if (fmt == MUTU_FORMAT_CSV)
		return report_csv(sw);
	return report_text(sw, lang);
}

char *mutu_sweep_report(mutu_sweep *sw, mutu_format fmt)
{
	return mutu_sweep_report_lang(sw, fmt, MUTU_LANG_EN);
}

/* ---- running ---- */

typedef struct sweep_item {
	bool ok; /* the line was read under the base rules */
	char id[64];
	unsigned zone;
	int64_t forfait_holders;
	mod_out *mods;
	size_t nmods;
} sweep_item;

typedef struct sweep_run {
	const mutu_sweep_options *o;
	const mutu_modalities *mods;
	bool *reuse_cabinet; /* modality i reads cabinets as the base rules do */
	bool sq_from_first;  /* the first modality is the base rules themselves */
	mutu_sweep *sw;
	mutu_batch_stats st;
	double t0;
	unsigned long consumed, since_checkpoint;
	mutu_error *err;
} sweep_run;

static void item_free(sweep_item *it)
{
	for (size_t i = 0; it->mods && i < it->nmods; i++)
		free(it->mods[i].units);
	free(it->mods);
	free(it);
}

/* Each doctor's status-quo figures: his best individual contract under
 * the base rules, with its achievement. */
static void status_quo(mutu_sweep_payer *sq, const mutu_analysis *a, const drawer *d)
{
	for (size_t i = 0; i < a->cab->ndoctors; i++)
		pay_individual(&sq[i], a->rules, &a->evals[i], a->cab->doctors[i].id, d);
}

/* Solves one structure under every modality.  Returns 0 or MUTU_ENOMEM. */
static int solve_line(sweep_item *it, const sweep_run *r, const char *line, size_t len,
		      mutu_errors *errs, gsl_rng *rng)
{
	const mutu_rules *base = r->mods->base;
	mutu_cabinet cab0, cabm;
	mutu_analysis an;
	mutu_sweep_payer *sq = NULL;
	int rc = MUTU_OK;
	memset(&cab0, 0, sizeof cab0);
	memset(&an, 0, sizeof an);
	mutu_errors_clear(errs);
	if (mutu_cabinet_parse(&cab0, base, line, len, "population", errs) != MUTU_OK)
		return MUTU_OK;
	it->ok = true;
	snprintf(it->id, sizeof it->id, "%s", cab0.id);
	it->zone = cab0.zone;
	for (size_t i = 0; i < cab0.ndoctors; i++) {
		bool forfait = false;
		for (size_t c = 0; c < cab0.doctors[i].ncontracts; c++)
			forfait |= cab0.doctors[i].contracts[c].kind == MUTU_KIND_FORFAIT;
		it->forfait_holders += forfait;
	}
	drawer d = {.ach = &r->o->achievement, .rng = rng, .structure = cab0.id};
	sq = calloc(cab0.ndoctors + 1, sizeof *sq);
	if (!sq) {
		rc = MUTU_ENOMEM;
		goto cleanup;
	}
	if (!r->sq_from_first) {
		rc = mutu_analysis_run(&an, base, &cab0, false, NULL);
		if (rc == MUTU_OK)
			status_quo(sq, &an, &d);
		mutu_analysis_free(&an);
		if (rc != MUTU_OK)
			goto cleanup;
	}
	for (size_t m = 0; m < r->mods->n && rc == MUTU_OK; m++) {
		const mutu_rules *rules = &r->mods->items[m].rules;
		const mutu_cabinet *cab = &cab0;
		memset(&cabm, 0, sizeof cabm);
		if (!r->reuse_cabinet[m]) {
			mutu_errors_clear(errs);
			if (mutu_cabinet_parse(&cabm, rules, line, len, "population", errs) !=
			    MUTU_OK)
				continue;
			cab = &cabm;
		}
		const mutu_analysis_options ao = {.solve = r->o->solve, .sharing = r->o->sharing};
		rc = mutu_analysis_run_with(&an, rules, cab, true, &ao);
		if (rc == MUTU_OK && m == 0 && r->sq_from_first)
			status_quo(sq, &an, &d);
		if (rc == MUTU_OK)
			rc = reduce(&it->mods[m], &an, sq, r->o->take_up, &d);
		it->mods[m].ok = rc == MUTU_OK;
		mutu_analysis_free(&an);
		if (cab == &cabm)
			mutu_cabinet_free(&cabm);
	}
cleanup:
	free(sq);
	mutu_cabinet_free(&cab0);
	return rc;
}

static void *sweep_work(void *ctx, const pipeline_line *in)
{
	const sweep_run *r = ctx;
	/* A line over the input limit reads as an empty one: a failed line. */
	const char *line = in->text ? in->text : "";
	size_t len = in->text ? in->len : 0;
	sweep_item *it = calloc(1, sizeof *it);
	mutu_errors *errs = malloc(sizeof *errs);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
	int rc = MUTU_ENOMEM;
	if (it) {
		it->mods = calloc(r->mods->n + 1, sizeof *it->mods);
		it->nmods = it->mods ? r->mods->n : 0;
	}
	if (it && it->mods && errs && rng)
		rc = solve_line(it, r, line, len, errs, rng);
	free(errs);
	if (rng)
		gsl_rng_free(rng);
	if (rc != MUTU_OK && it) {
		item_free(it);
		return NULL;
	}
	return it;
}

static void sweep_discard(void *p)
{
	item_free(p);
}

static int write_checkpoint(sweep_run *r)
{
	char *text = mutu_sweep_to_partial(r->sw);
	int rc = text ? mutu_file_write(r->o->checkpoint, text, r->err) : MUTU_ENOMEM;
	free(text);
	if (rc != MUTU_OK)
		snprintf(r->err->message, sizeof r->err->message, "cannot write the checkpoint %s",
			 r->o->checkpoint);
	return rc;
}

static int sweep_consume(void *ctx, void *p, unsigned long lineno, uint64_t hash)
{
	(void)hash;
	sweep_run *r = ctx;
	sweep_item *it = p;
	int rc = MUTU_OK;
	for (size_t m = 0; m < r->mods->n && rc == MUTU_OK; m++) {
		mutu_sweep_modality *mod = &r->sw->mods[m];
		const mod_out *mo = &it->mods[m];
		mod->structures++;
		mod->forfait_holders += it->forfait_holders;
		const mod_out *ref = &it->mods[mod->reference];
		if (ref != mo && (mo->ok != ref->ok || (mo->ok && mo->digest != ref->digest)))
			mod->changed++;
		if (!it->ok || !mo->ok) {
			mod->failed++;
			continue;
		}
		mod->failed += mo->failed_group;
		rc = add_units(mod, r->mods->items[m].rules.nspecialties, mo, it->zone, lineno,
			       it->id);
	}
	r->st.structures++;
	r->st.failed += !it->ok;
	r->sw->lines = lineno;
	sweep_discard(it);
	if (rc != MUTU_OK)
		return rc;
	r->consumed++;
	unsigned long every = r->o->checkpoint_every ? r->o->checkpoint_every : 2000;
	if (r->o->checkpoint && ++r->since_checkpoint >= every) {
		r->since_checkpoint = 0;
		rc = write_checkpoint(r);
		if (rc != MUTU_OK)
			return rc;
	}
	if (r->o->stop_after && r->consumed >= r->o->stop_after)
		return MUTU_ESTOPPED;
	return MUTU_OK;
}

static void sweep_tick(void *ctx, unsigned long consumed, unsigned long lineno)
{
	sweep_run *r = ctx;
	(void)consumed;
	r->st.lines = lineno;
	r->st.seconds = mutu_clock_s() - r->t0;
	if (r->o->progress)
		r->o->progress(r->o->progress_ctx, &r->st);
}

/* The fingerprint of the population (FNV-1a of its bytes) and its lines. */
static int fingerprint(const char *path, uint64_t *h, unsigned long *lines, mutu_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err->message, sizeof err->message, "%.200s: cannot open: %s", path,
			 strerror(errno));
		return MUTU_EIO;
	}
	static const size_t CHUNK = 1 << 16;
	unsigned char *buf = malloc(CHUNK);
	if (!buf) {
		fclose(f);
		return MUTU_ENOMEM;
	}
	uint64_t x = MUTU_HASH_SEED;
	unsigned long n = 0;
	int last = '\n';
	size_t got;
	while ((got = fread(buf, 1, CHUNK, f)) > 0) {
		for (size_t i = 0; i < got; i++) {
			x ^= buf[i];
			x *= 1099511628211ULL;
			n += buf[i] == '\n';
		}
		last = buf[got - 1];
	}
	bool bad = ferror(f);
	free(buf);
	fclose(f);
	if (bad) {
		snprintf(err->message, sizeof err->message, "%.200s: read error", path);
		return MUTU_EIO;
	}
	*h = x;
	*lines = n + (last != '\n');
	return MUTU_OK;
}

/* Whether cabinets read under `a` and `b` are the same (specialty and
 * option indices alike), so that one reading serves both. */
static bool same_reading(const mutu_rules *a, const mutu_rules *b)
{
	if (a->nspecialties != b->nspecialties || a->noptions != b->noptions)
		return false;
	for (size_t s = 0; s < a->nspecialties; s++)
		if (strcmp(a->specialties[s].name, b->specialties[s].name) != 0)
			return false;
	for (size_t o = 0; o < a->noptions; o++)
		if (strcmp(a->options[o].id, b->options[o].id) != 0)
			return false;
	return true;
}

/* Takes over the sums of the checkpoint when it is this run's; returns
 * the input lines it covers (0: none, a damaged one or another run's). */
static unsigned long resume(mutu_sweep *sw, const char *checkpoint)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_sweep done;
	char why[300];
	if (mutu_sweep_load_partial(&done, checkpoint, &errs) != MUTU_OK)
		return 0;
	if (!mutu_sweep_same_run(sw, &done, true, why, sizeof why)) {
		mutu_sweep_free(&done);
		return 0;
	}
	for (size_t i = 0; i < sw->n; i++)
		modality_free(&sw->mods[i]);
	free(sw->mods);
	sw->mods = done.mods;
	sw->lines = done.lines;
	return done.lines;
}

int mutu_sweep_run(mutu_sweep *out, const mutu_sweep_options *o, const mutu_modalities *mods,
		   mutu_error *err)
{
	memset(out, 0, sizeof *out);
	gsl_set_error_handler_off();
	sweep_run r = {.o = o, .mods = mods, .sw = out, .t0 = mutu_clock_s(), .err = err};
	mutu_sweep_run_id *id = &out->id;
	FILE *in = NULL;
	int rc = fingerprint(o->population, &id->population, &id->population_lines, err);
	if (rc != MUTU_OK)
		return rc;
	rc = MUTU_ENOMEM;
	snprintf(id->base, sizeof id->base, "%s", mods->base->name);
	char *text = mutu_rules_to_json(mods->base);
	if (!text)
		goto cleanup;
	id->base_digest = mutu_hash__bytes(MUTU_HASH_SEED, text, strlen(text));
	free(text);
	id->goal = (int)o->solve.goal;
	id->take_up = (int)o->take_up;
	id->sharing = (int)o->sharing;
	mutu_achievement_text(&o->achievement, id->achievement, sizeof id->achievement);
	id->shard_k = o->shard_n ? o->shard_k : 1;
	id->shard_n = o->shard_n ? o->shard_n : 1;
	out->base_horizon = mods->base->horizon_years;
	out->mods = calloc(mods->n + 1, sizeof *out->mods);
	r.reuse_cabinet = calloc(mods->n + 1, sizeof *r.reuse_cabinet);
	if (!out->mods || !r.reuse_cabinet)
		goto cleanup;
	out->n = mods->n;
	for (size_t i = 0; i < mods->n; i++) {
		if (modality_init(&out->mods[i], &mods->items[i]) != MUTU_OK)
			goto cleanup;
		r.reuse_cabinet[i] = same_reading(mods->base, &mods->items[i].rules);
	}
	r.sq_from_first =
	    mods->n > 0 && out->mods[0].rules_digest == id->base_digest && r.reuse_cabinet[0];
	unsigned long skip = o->checkpoint ? resume(out, o->checkpoint) : 0;
	in = fopen(o->population, "rb");
	if (!in) {
		snprintf(err->message, sizeof err->message, "%.200s: cannot open: %s",
			 o->population, strerror(errno));
		rc = MUTU_EIO;
		goto cleanup;
	}
	r.st.total = id->population_lines;
	r.st.resumed = skip;
	/* The lines a checkpoint already holds are read past, not solved. */
	uint64_t hash = MUTU_HASH_SEED;
	char *buf = NULL;
	size_t cap = 0;
	bool too_long;
	unsigned long passed = 0;
	while (passed < skip &&
	       mutu_pipeline__read_line(in, &buf, &cap, mutu_file_limit(), &too_long, &hash) >= 0)
		passed++;
	free(buf);
	pipeline_cfg cfg = {.in = in,
			    .threads = o->threads > 0 ? o->threads : 1,
			    .shard_k = id->shard_k,
			    .shard_n = id->shard_n,
			    .first = passed,
			    .hash = hash,
			    .work = sweep_work,
			    .consume = sweep_consume,
			    .discard = sweep_discard,
			    .tick = sweep_tick,
			    .ctx = &r};
	unsigned long lines = 0;
	rc = mutu_pipeline__run(&cfg, &lines, NULL);
	if (rc == MUTU_OK)
		out->lines = lines;
	else if (rc == MUTU_EIO)
		snprintf(err->message, sizeof err->message, "%.200s: read error", o->population);
	else if (rc == MUTU_ENOMEM)
		snprintf(err->message, sizeof err->message, "out of memory");
cleanup:
	if (in)
		fclose(in);
	free(r.reuse_cabinet);
	if (rc != MUTU_OK)
		mutu_sweep_free(out);
	return rc;
}

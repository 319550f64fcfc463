/* Forming the pooled group of one specialty and building its problem
 * (model.md §4 "Members", "Objective basis"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutu/group.h"

/* The exclusive individual contract the doctor holds at `start`, or NULL. */
static const mutu_held_contract *contract_in_force(const mutu_doctor *d, unsigned kinds,
						   mutu_date start)
{
	for (size_t i = 0; i < d->ncontracts; i++) {
		const mutu_held_contract *c = &d->contracts[i];
		if ((c->kind & kinds) && c->start <= start &&
		    (c->end == MUTU_DATE_NONE || c->end >= start))
			return c;
	}
	return NULL;
}

/* Why doctor `d` is not a member, or false when it is one (in English;
 * i18n.c reads the sentences of this file back in French). */
static bool exclusion(char *reason, size_t size, const mutu_rules *rules, const mutu_cabinet *cab,
		      const mutu_doctor *d, const mutu_doctor_eval *ev)
{
	char date[11], start[11];
	mutu_date_format(cab->contract_start, start);
	if (!ev->eligible) {
		snprintf(reason, size, "not eligible: %s", ev->reason);
		return true;
	}
	if (!d->volunteer) {
		snprintf(reason, size, "did not volunteer for the pooled contract");
		return true;
	}
	if (d->declared_on != MUTU_DATE_NONE && d->declared_on > cab->contract_start) {
		mutu_date_format(d->declared_on, date);
		snprintf(reason, size, "declared on %s, after the contract start %s", date, start);
		return true;
	}
	const mutu_held_contract *c =
	    contract_in_force(d, rules->mut.exclusive_kinds, cab->contract_start);
	if (c) {
		const char *kind = c->kind == MUTU_KIND_ASSISTANT ? "assistant" : "forfait";
		if (c->end == MUTU_DATE_NONE) {
			snprintf(reason, size, "individual %s contract in force with no end date",
				 kind);
		} else {
			mutu_date_format(c->end, date);
			snprintf(reason, size, "individual %s contract in force until %s", kind,
				 date);
		}
		return true;
	}
	return false;
}

bool mutu_option_open(const mutu_option *o, const mutu_cabinet *cab, size_t specialty)
{
	if (!(o->zones & cab->zone))
		return false;
	if (!o->specialties)
		return true;
	for (size_t i = 0; i < o->nspecialties; i++)
		if (o->specialties[i] == specialty)
			return true;
	return false;
}

bool mutu_notional_allowed(const mutu_rules *rules, const mutu_cabinet *cab, const mutu_doctor *d,
			   size_t option, char *why, size_t size)
{
	const mutu_option *o = &rules->options[option];
	char buf[160];
	if (!why) {
		why = buf;
		size = sizeof buf;
	}
	if (!(o->zones & cab->zone)) {
		snprintf(why, size, "option %s: not open in this zone", o->id);
		return false;
	}
	if (!mutu_option_open(o, cab, d->specialty)) {
		snprintf(why, size, "option %s: not open to %s", o->id,
			 rules->specialties[d->specialty].name);
		return false;
	}
	if (!o->requires_option || rules->mut.notional_conditions == MUTU_NOTIONAL_WAIVE)
		return true;
	long want = mutu_rules_option(rules, o->requires_option);
	mutu_date latest = mutu_date_add_years(cab->contract_start, -o->requires_years);
	for (size_t i = 0; i < d->ncontracts; i++) {
		const mutu_held_contract *c = &d->contracts[i];
		/* Moving from his individual contract into the pooled one: it
		 * may end the day before the start. */
		if (c->kind == MUTU_KIND_ASSISTANT && c->option == want && c->start <= latest &&
		    (c->end == MUTU_DATE_NONE || c->end >= cab->contract_start - 1))
			return true;
	}
	snprintf(why, size, "option %s: needs an assistant contract of option %s held %d year%s",
		 o->id, o->requires_option, o->requires_years, o->requires_years == 1 ? "" : "s");
	return false;
}

mutu_band mutu_group_band(const mutu_rules *rules, size_t specialty, double pg, size_t m)
{
	return m ? mutu_band_of(rules->specialties[specialty].thresholds, pg / (double)m) : MUTU_B0;
}

/* The curve of model.md §4: a group band below P30 (exempt members only)
 * reads the p30_p50 rates. */
double mutu_pooled_rate(const mutu_rules *rules, const mutu_cabinet *cab, size_t specialty,
			mutu_band band, double e)
{
	double px = 0, py = 0;
	if (band == MUTU_B0)
		band = MUTU_B1;
	for (;;) {
		/* Next point: the smallest option etp above px. */
		const mutu_option *next = NULL;
		for (size_t i = 0; i < rules->noptions; i++) {
			const mutu_option *o = &rules->options[i];
			if (mutu_option_open(o, cab, specialty) && o->etp > px + 1e-12 &&
			    (!next || o->etp < next->etp - 1e-12))
				next = o;
		}
		if (!next)
			return py;
		double ny = next->objective[band];
		if (e <= next->etp + 1e-12)
			return py + (ny - py) * (e - px) / (next->etp - px);
		px = next->etp;
		py = ny;
	}
}

double mutu_pooled_objective(const mutu_rules *rules, const mutu_cabinet *cab, size_t specialty,
			     double pg, size_t m, double etp)
{
	mutu_band band = mutu_group_band(rules, specialty, pg, m);
	double rate = mutu_pooled_rate(rules, cab, specialty, band, etp / (double)m);
	return mutu_ceil_patients(rate * pg);
}

double mutu_pooled_max_etp(const mutu_rules *rules, size_t m)
{
	const mutu_mutualisation *mu = &rules->mut;
	double emax = fmin(mu->max_etp_per_doctor * (double)m, mu->max_etp_total);
	return floor(emax / mu->etp_step + 1e-9) * mu->etp_step;
}

double mutu_pooled_aid_year(const mutu_rules *rules, mutu_band band, double etp, int k)
{
	const mutu_option *ref = &rules->options[rules->mut.aid_reference_option];
	return etp * mutu_option_aid(ref, k, band == MUTU_B0 ? MUTU_B1 : band) / ref->etp;
}

static int build_problem(mutu_group *g, const mutu_rules *rules, const mutu_cabinet *cab,
			 const mutu_doctor_eval *evals, mutu_goal goal)
{
	mutu_group_problem *gp = &g->problem;
	const mutu_specialty *sp = &rules->specialties[g->specialty];
	const mutu_mutualisation *mu = &rules->mut;
	int H = rules->horizon_years;
	double S = 0, pg = 0;
	for (int k = 1; k <= H; k++)
		S += mutu_discount(rules, k);
	gp->basis = mu->objective_basis;
	gp->goal = goal;
	gp->m = g->nmembers;
	gp->cost_per_etp = S * sp->economics.assistant_cost_per_etp;
	gp->value_per_patient =
	    mutu_patient_years(rules, &sp->economics) * sp->economics.value_per_patient_year;
	gp->floor_share = mu->floor_share;
	gp->max_etp_per_doctor = mu->max_etp_per_doctor;
	gp->max_etp_total = mu->max_etp_total;
	gp->etp_unit = mu->etp_unit;
	gp->members = calloc(g->nmembers + 1, sizeof *gp->members);
	if (!gp->members)
		return MUTU_ENOMEM;
	if (gp->basis == MUTU_BASIS_SUM_INDIVIDUAL) {
		g->refusals = calloc(g->nmembers * rules->noptions + 1, sizeof *g->refusals);
		if (!g->refusals)
			return MUTU_ENOMEM;
	}
	for (size_t i = 0; i < g->nmembers; i++) {
		const mutu_doctor_eval *ev = &evals[g->members[i]];
		mutu_gp_member *mb = &gp->members[i];
		mb->p = ev->value;
		mb->headroom = ev->headroom;
		mb->gain = ev->gain_per_etp;
		mb->max_new = ev->max_new_patients;
		pg += mb->p;
		if (gp->basis != MUTU_BASIS_SUM_INDIVIDUAL)
			continue;
		mb->choices = calloc(rules->noptions + 1, sizeof *mb->choices);
		if (!mb->choices)
			return MUTU_ENOMEM;
		for (size_t o = 0; o < rules->noptions; o++) {
			mutu_option_refusal *rf = &g->refusals[g->nrefusals];
			if (!mutu_notional_allowed(rules, cab, &cab->doctors[g->members[i]], o,
						   rf->reason, sizeof rf->reason)) {
				rf->member = i;
				rf->option = o;
				g->nrefusals++;
				continue;
			}
			mutu_gp_choice *c = &mb->choices[mb->nchoices++];
			c->etp = rules->options[o].etp;
			c->objective = ev->options[o].objective;
			c->aid = ev->options[o].aid;
			c->option = (long)o;
		}
	}
	g->band = mutu_group_band(rules, g->specialty, pg, g->nmembers);
	if (gp->basis != MUTU_BASIS_POOLED)
		return MUTU_OK;
	/* Pooled: levels n = 1..N of etp_step. */
	double per_etp = 0;
	for (int k = 1; k <= H; k++)
		per_etp += mutu_discount(rules, k) * mutu_pooled_aid_year(rules, g->band, 1.0, k);
	double emax = fmin(mu->max_etp_per_doctor * (double)g->nmembers, mu->max_etp_total);
	size_t N = (size_t)floor(emax / mu->etp_step + 1e-9);
	bool any = false;
	for (size_t o = 0; o < rules->noptions; o++)
		any |= mutu_option_open(&rules->options[o], cab, g->specialty);
	if (!any)
		N = 0;
	gp->levels = calloc(N + 1, sizeof *gp->levels);
	if (!gp->levels)
		return MUTU_ENOMEM;
	for (size_t n = 1; n <= N; n++) {
		mutu_gp_choice *c = &gp->levels[gp->nlevels++];
		c->etp = (double)n * mu->etp_step;
		c->objective =
		    mutu_pooled_objective(rules, cab, g->specialty, pg, g->nmembers, c->etp);
		c->aid = c->etp * per_etp;
		c->option = -1;
	}
	return MUTU_OK;
}

int mutu_group_form(mutu_group *g, const mutu_rules *rules, const mutu_cabinet *cab,
		    const mutu_doctor_eval *evals, size_t specialty, mutu_goal goal)
{
	memset(g, 0, sizeof *g);
	g->specialty = specialty;
	size_t n = 0;
	for (size_t i = 0; i < cab->ndoctors; i++)
		n += cab->doctors[i].specialty == specialty;
	g->members = calloc(n + 1, sizeof *g->members);
	g->excluded = calloc(n + 1, sizeof *g->excluded);
	g->excluded_reason = calloc(n + 1, sizeof *g->excluded_reason);
	if (!g->members || !g->excluded || !g->excluded_reason)
		return MUTU_ENOMEM;
	for (size_t i = 0; i < cab->ndoctors; i++) {
		const mutu_doctor *d = &cab->doctors[i];
		if (d->specialty != specialty)
			continue;
		if (exclusion(g->excluded_reason[g->nexcluded], sizeof g->excluded_reason[0], rules,
			      cab, d, &evals[i]))
			g->excluded[g->nexcluded++] = i;
		else
			g->members[g->nmembers++] = i;
	}
	const mutu_mutualisation *mu = &rules->mut;
	if (rules->specialties[specialty].excluded)
		snprintf(g->reason, sizeof g->reason, "specialty %s is excluded from the scheme",
			 rules->specialties[specialty].name);
	else if (!mu->enabled)
		snprintf(g->reason, sizeof g->reason,
			 "pooled contracts are not enabled by the rules");
	else if (g->nmembers < (size_t)mu->min_doctors)
		snprintf(g->reason, sizeof g->reason,
			 "%zu member%s: a pooled contract needs at least %d", g->nmembers,
			 g->nmembers == 1 ? "" : "s", mu->min_doctors);
	else if (g->nmembers > (size_t)mu->max_doctors)
		snprintf(g->reason, sizeof g->reason,
			 "%zu members: a pooled contract allows at most %d", g->nmembers,
			 mu->max_doctors);
	else
		g->formed = true;
	if (!g->formed)
		return MUTU_OK;
	return build_problem(g, rules, cab, evals, goal);
}

void mutu_group_free(mutu_group *g)
{
	if (!g)
		return;
	free(g->members);
	free(g->excluded);
	free(g->excluded_reason);
	free(g->refusals);
	mutu_group_problem_free(&g->problem);
	memset(g, 0, sizeof *g);
}

/* The individual-contract engine: model.md §2. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutu/individual.h"

double mutu_ceil_patients(double x)
{
	return ceil(x - 1e-9);
}

double mutu_discount(const mutu_rules *rules, int k)
{
	return pow(1.0 + rules->discount_rate, -(double)(k - 1));
}

double mutu_patient_years(const mutu_rules *rules, const mutu_economics *eco)
{
	double sv = 0, R = eco->ramp_years >= 1 ? eco->ramp_years : 1;
	for (int k = 1; k <= rules->horizon_years; k++)
		sv += mutu_discount(rules, k) * fmin(1.0, (double)k / R);
	return sv;
}

bool mutu_above_floor(const mutu_specialty *sp, double p)
{
	return p > sp->thresholds[MUTU_P30];
}

double mutu_option_aid(const mutu_option *o, int k, mutu_band b)
{
	if (b == MUTU_B5)
		return o->aid_p95 >= 0 ? o->aid_p95 : o->aid[0];
	if (b == MUTU_B4 && k >= 3 && o->aid_p90_p95_from_year3 >= 0)
		return o->aid_p90_p95_from_year3;
	size_t i = (size_t)(k - 1) < o->naid ? (size_t)(k - 1) : o->naid - 1;
	return o->aid[i];
}

/* Whether the doctor meets the option's `requires`: an assistant contract
 * of the required option, in force at the start, held for the years. */
static bool meets_requirement(const mutu_rules *rules, const mutu_option *o, const mutu_doctor *d,
			      mutu_date start)
{
	if (!o->requires_option)
		return true;
	long want = mutu_rules_option(rules, o->requires_option);
	mutu_date latest = mutu_date_add_years(start, -o->requires_years);
	for (size_t i = 0; i < d->ncontracts; i++) {
		const mutu_held_contract *c = &d->contracts[i];
		if (c->kind == MUTU_KIND_ASSISTANT && c->option == want && c->start <= latest &&
		    (c->end == MUTU_DATE_NONE || c->end >= start))
			return true;
	}
	return false;
}

static bool option_allowed(const mutu_rules *rules, const mutu_option *o, const mutu_cabinet *cab,
			   const mutu_doctor *d)
{
	if (!(o->zones & cab->zone))
		return false;
	if (o->specialties) {
		bool found = false;
		for (size_t i = 0; i < o->nspecialties && !found; i++)
			found = o->specialties[i] == d->specialty;
		if (!found)
			return false;
	}
	return meets_requirement(rules, o, d, cab->contract_start);
}

static const char *sector_label(unsigned sector)
{
	return sector == MUTU_SECTOR_1         ? "sector 1"
	       : sector == MUTU_SECTOR_2_OPTAM ? "sector 2 with OPTAM"
					       : "sector 2 without OPTAM";
}

/* Eligibility (model.md §2); fills ev->reason when not eligible (in
 * English; i18n.c reads the sentences back in French). */
static bool eligible(mutu_doctor_eval *ev, const mutu_rules *rules, const mutu_doctor *d,
		     const mutu_specialty *sp)
{
	if (sp->excluded) {
		snprintf(ev->reason, sizeof ev->reason, "specialty %s is excluded from the scheme",
			 sp->name);
		return false;
	}
	if (!(rules->sectors & d->sector)) {
		snprintf(ev->reason, sizeof ev->reason, "%s is not an eligible sector",
			 sector_label(d->sector));
		return false;
	}
	if (!mutu_above_floor(sp, ev->value) &&
	    !(d->new_installed && rules->exempt_new_installed)) {
		snprintf(ev->reason, sizeof ev->reason,
			 "activity not above P30 (%s %.0f %s %.0f) and no exemption applies",
			 sp->metric == MUTU_METRIC_PMT ? "PMT" : "FA", ev->value,
			 ev->value < sp->thresholds[MUTU_P30] ? "<" : "=",
			 sp->thresholds[MUTU_P30]);
		return false;
	}
	return true;
}

/* Objective t_io and its rate for one option (model.md §2). */
static double objective(const mutu_rules *rules, const mutu_doctor *d, const mutu_specialty *sp,
			const mutu_option *o, mutu_band band, double p, double *rate)
{
	if (rules->senior_from_age >= 0 && d->age >= rules->senior_from_age) {
		*rate = rules->senior_objective;
		return mutu_ceil_patients(rules->senior_objective * p);
	}
	if (d->new_installed && rules->new_installed_target >= 0) {
		double t = sp->thresholds[rules->new_installed_target] - p;
		t = t > 0 ? mutu_ceil_patients(t) : 0;
		*rate = p > 0 ? t / p : 0;
		return t;
	}
	*rate = o->objective[band == MUTU_B0 ? MUTU_B1 : band];
	return mutu_ceil_patients(*rate * p);
}

/* The objective on the second count (mutu_option_eval.objective_second):
 * the rate of that count's band (the primary band when the rules give no
 * second thresholds); seniors owe their rate; a newly installed doctor's
 * "reach P50" is on the metric count only, so he owes nothing more. */
static double second_objective(const mutu_rules *rules, const mutu_doctor *d,
			       const mutu_specialty *sp, const mutu_option *o,
			       const mutu_doctor_eval *ev)
{
	if (sp->objective_metric != MUTU_OBJ_EITHER && sp->objective_metric != MUTU_OBJ_BOTH)
		return -1;
	if (rules->senior_from_age >= 0 && d->age >= rules->senior_from_age)
		return mutu_ceil_patients(rules->senior_objective * ev->second_value);
	if (d->new_installed && rules->new_installed_target >= 0)
		return 0;
	mutu_band b = ev->second_band == MUTU_B0 ? MUTU_B1 : ev->second_band;
	return mutu_ceil_patients(o->objective[b] * ev->second_value);
}

/* The assistant contract doctor `d` holds in force at the start, valued
 * over the horizon as mutu_doctor_eval.held_* says. */
static void value_held(mutu_doctor_eval *ev, const mutu_rules *rules, const mutu_doctor *d,
		       const mutu_specialty *sp, mutu_date start)
{
	ev->held = -1;
	ev->held_option = -1;
	for (size_t i = 0; i < d->ncontracts && ev->held < 0; i++) {
		const mutu_held_contract *c = &d->contracts[i];
		if (c->kind == MUTU_KIND_ASSISTANT && c->option >= 0 && c->start <= start &&
		    (c->end == MUTU_DATE_NONE || c->end >= start))
			ev->held = (long)i;
	}
	if (ev->held < 0)
		return;
	const mutu_held_contract *c = &d->contracts[ev->held];
	const mutu_option *o = &rules->options[c->option];
	int done = 0; /* whole contract years elapsed on the start day */
	while (mutu_date_add_years(c->start, done + 1) <= start)
		done++;
	ev->held_option = c->option;
	ev->held_year = done + 1;
	ev->held_frozen = rules->legacy_signed_before != MUTU_DATE_NONE &&
			  c->start < rules->legacy_signed_before &&
			  done >= rules->legacy_after_years;
	for (int k = 1; k <= rules->horizon_years; k++) {
		if (c->end != MUTU_DATE_NONE && c->end < mutu_date_add_years(start, k - 1))
			break;
		double D = mutu_discount(rules, k);
		ev->held_aid += D * mutu_option_aid(o, ev->held_year + k - 1, ev->band);
		ev->held_cost += D * sp->economics.assistant_cost_per_etp * o->etp;
	}
	ev->held_net = ev->held_aid - ev->held_cost;
}

int mutu_individual_eval(mutu_doctor_eval *ev, const mutu_rules *rules, const mutu_cabinet *cab,
			 size_t doctor)
{
	const mutu_doctor *d = &cab->doctors[doctor];
	const mutu_specialty *sp = &rules->specialties[d->specialty];
	memset(ev, 0, sizeof *ev);
	ev->best = -1;
	ev->value = sp->metric == MUTU_METRIC_PMT ? d->pmt : d->fa;
	ev->band = sp->excluded ? MUTU_B0 : mutu_band_of(sp->thresholds, ev->value);
	ev->headroom = d->headroom >= 0 ? d->headroom : sp->capacity.headroom;
	ev->gain_per_etp = d->gain_per_etp >= 0 ? d->gain_per_etp : sp->capacity.gain_per_etp;
	ev->max_new_patients = d->max_new_patients;
	ev->second_value = sp->metric == MUTU_METRIC_PMT ? d->fa : d->pmt;
	ev->second_band = sp->excluded     ? MUTU_B0
			  : sp->has_second ? mutu_band_of(sp->second_thresholds, ev->second_value)
					   : ev->band;
	value_held(ev, rules, d, sp, cab->contract_start);
	ev->eligible = eligible(ev, rules, d, sp);
	if (!ev->eligible)
		return MUTU_OK;
	ev->options = calloc(rules->noptions, sizeof *ev->options);
	if (!ev->options)
		return MUTU_ENOMEM;
	int H = rules->horizon_years;
	double S = 0;
	for (int k = 1; k <= H; k++)
		S += mutu_discount(rules, k);
	const mutu_economics *eco = &sp->economics;
	double Sv = mutu_patient_years(rules, eco);
	for (size_t i = 0; i < rules->noptions; i++) {
		const mutu_option *o = &rules->options[i];
		mutu_option_eval *oe = &ev->options[i];
		oe->aid_by_year = calloc((size_t)H, sizeof *oe->aid_by_year);
		if (!oe->aid_by_year)
			return MUTU_ENOMEM;
		oe->allowed = option_allowed(rules, o, cab, d);
		oe->objective = objective(rules, d, sp, o, ev->band, ev->value, &oe->rate);
		for (int k = 1; k <= H; k++) {
			oe->aid_by_year[k - 1] = mutu_option_aid(o, k, ev->band);
			oe->aid += mutu_discount(rules, k) * oe->aid_by_year[k - 1];
		}
		oe->cost = S * eco->assistant_cost_per_etp * o->etp;
		oe->value = Sv * eco->value_per_patient_year * oe->objective;
		oe->net = oe->aid - oe->cost + oe->value;
		double room = ev->headroom + ev->gain_per_etp * o->etp;
		oe->capacity = ev->value * room;
		if (ev->max_new_patients >= 0 && oe->capacity > ev->max_new_patients)
			oe->capacity = ev->max_new_patients;
		oe->objective_second = second_objective(rules, d, sp, o, ev);
		oe->feasible = oe->allowed && oe->objective <= oe->capacity + 1e-9;
		/* Under "both" the other count must grow too, within the same
		 * fraction of itself (max_new_patients bounds the metric count). */
		if (sp->objective_metric == MUTU_OBJ_BOTH)
			oe->feasible &= oe->objective_second <= ev->second_value * room + 1e-9;
		if (!oe->feasible || oe->net < 0)
			continue;
		/* Ties: smaller etp first, then rules order (earlier wins). */
		if (ev->best < 0 || oe->net > ev->best_net + 1e-9 ||
		    (oe->net > ev->best_net - 1e-9 && o->etp < ev->best_etp - 1e-12)) {
			ev->best = (long)i;
			ev->best_net = oe->net;
			ev->best_objective = oe->objective;
			ev->best_etp = o->etp;
		}
	}
	return MUTU_OK;
}

void mutu_doctor_eval_free(mutu_doctor_eval *ev, size_t noptions)
{
	if (!ev || !ev->options)
		return;
	for (size_t i = 0; i < noptions; i++)
		free(ev->options[i].aid_by_year);
	free(ev->options);
	ev->options = NULL;
}

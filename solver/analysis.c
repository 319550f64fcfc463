/* Running the individual engine and the group optimiser over a cabinet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutu/analysis.h"

/* Each member's money in group `g`'s plan; a coalition that cannot be
 * solved turns the group into an error, as a failed solve does. */
static int share_group(mutu_analysis *a, size_t g, const mutu_analysis_options *opts)
{
	if (!mutu_analysis_has_plan(a, g))
		return MUTU_OK;
	mutu_sharing_options so = {.rule = opts->sharing,
				   .coalitions = opts->coalitions,
				   .orderings = opts->shapley_orderings,
				   .solve = opts->solve};
	mutu_error *err = &a->errors[g];
	int rc = mutu_sharing_group(&a->shares[g], a->rules, a->cab, &a->groups[g],
				    &a->solutions[g], a->evals, a->goal, &so, err);
	if (rc == MUTU_ESOLVER) {
		char msg[sizeof err->message];
		snprintf(msg, sizeof msg, "a coalition of members: %.350s", err->message);
		memcpy(err->message, msg, sizeof msg);
		a->solutions[g].status = MUTU_GROUP_ERROR;
		mutu_sharing_free(&a->shares[g]);
		return MUTU_OK;
	}
	return rc;
}

int mutu_analysis_run(mutu_analysis *a, const mutu_rules *rules, const mutu_cabinet *cab,
		      bool solve, const mutu_solve_options *opts)
{
	mutu_analysis_options o = {.sharing = MUTU_SHARING_PATIENTS};
	if (opts)
		o.solve = *opts;
	return mutu_analysis_run_with(a, rules, cab, solve, &o);
}

int mutu_analysis_run_with(mutu_analysis *a, const mutu_rules *rules, const mutu_cabinet *cab,
			   bool solve, const mutu_analysis_options *opts)
{
	static const mutu_analysis_options defaults = {.sharing = MUTU_SHARING_PATIENTS};
	if (!opts)
		opts = &defaults;
	memset(a, 0, sizeof *a);
	a->rules = rules;
	a->cab = cab;
	a->goal = opts->solve.goal;
	a->sharing = opts->sharing;
	a->evals = calloc(cab->ndoctors + 1, sizeof *a->evals);
	if (!a->evals)
		return MUTU_ENOMEM;
	for (size_t i = 0; i < cab->ndoctors; i++)
		if (mutu_individual_eval(&a->evals[i], rules, cab, i) != MUTU_OK)
			return MUTU_ENOMEM;
	if (!solve)
		return MUTU_OK;
	size_t n = rules->nspecialties;
	a->groups = calloc(n + 1, sizeof *a->groups);
	a->solutions = calloc(n + 1, sizeof *a->solutions);
	a->errors = calloc(n + 1, sizeof *a->errors);
	a->shares = calloc(n + 1, sizeof *a->shares);
	if (!a->groups || !a->solutions || !a->errors || !a->shares)
		return MUTU_ENOMEM;
	for (size_t s = 0; s < n; s++) {
		bool present = false;
		for (size_t i = 0; i < cab->ndoctors && !present; i++)
			present = cab->doctors[i].specialty == s;
		if (!present)
			continue;
		mutu_group *g = &a->groups[a->ngroups];
		mutu_group_solution *sol = &a->solutions[a->ngroups];
		mutu_error *err = &a->errors[a->ngroups];
		a->ngroups++;
		if (mutu_group_form(g, rules, cab, a->evals, s, a->goal) != MUTU_OK)
			return MUTU_ENOMEM;
		if (!g->formed) {
			sol->status = MUTU_GROUP_NO_GROUP;
			continue;
		}
		int rc = mutu_group_solve(sol, &g->problem, &opts->solve, err);
		if (rc == MUTU_ENOMEM)
			return rc;
		if (rc == MUTU_OK && (rc = share_group(a, a->ngroups - 1, opts)) != MUTU_OK)
			return rc;
	}
	return MUTU_OK;
}

bool mutu_analysis_failed(const mutu_analysis *a)
{
	for (size_t g = 0; g < a->ngroups; g++)
		if (a->solutions[g].status == MUTU_GROUP_ERROR)
			return true;
	return false;
}

void mutu_analysis_free(mutu_analysis *a)
{
	if (!a)
		return;
	for (size_t i = 0; a->evals && a->cab && i < a->cab->ndoctors; i++)
		mutu_doctor_eval_free(&a->evals[i], a->rules->noptions);
	free(a->evals);
	for (size_t g = 0; a->groups && g < a->ngroups; g++) {
		mutu_group_free(&a->groups[g]);
		mutu_group_solution_free(&a->solutions[g]);
		if (a->shares)
			mutu_sharing_free(&a->shares[g]);
	}
	free(a->shares);
	free(a->groups);
	free(a->solutions);
	free(a->errors);
	memset(a, 0, sizeof *a);
}

mutu_baseline mutu_analysis_baseline(const mutu_analysis *a, size_t g)
{
	mutu_baseline bl = {0, 0, 0, 0};
	const mutu_group *grp = &a->groups[g];
	for (size_t i = 0; i < grp->nmembers; i++) {
		const mutu_doctor_eval *ev = &a->evals[grp->members[i]];
		if (ev->best < 0)
			continue;
		bl.etp += ev->best_etp;
		bl.objective += ev->best_objective;
		bl.aid += ev->options[ev->best].aid;
		bl.net += ev->best_net;
	}
	return bl;
}

bool mutu_analysis_has_plan(const mutu_analysis *a, size_t g)
{
	/* A time limit may come before any plan (then E = 0: no plan has it). */
	const mutu_group_solution *sol = &a->solutions[g];
	return sol->status == MUTU_GROUP_OPTIMAL ||
	       (sol->status == MUTU_GROUP_TIME_LIMIT && sol->etp > 0);
}

/* "P50" for threshold index MUTU_P50. */
static const char *const threshold_names[MUTU_NTHRESHOLDS] = {"P30", "P50", "P70", "P90", "P95"};

const char *mutu_analysis_no_contract(const mutu_analysis *a, size_t d)
{
	const mutu_doctor_eval *ev = &a->evals[d];
	if (!ev->eligible || ev->best >= 0)
		return NULL;
	bool allowed = false, feasible = false;
	for (size_t o = 0; o < a->rules->noptions; o++) {
		allowed |= ev->options[o].allowed;
		feasible |= ev->options[o].feasible;
	}
	/* The first constraint a contract fails, in the order they are
	 * checked: the option, then capacity, then the net. */
	if (!allowed)
		return "No individual contract: no option is allowed to this doctor.";
	if (!feasible)
		return "No individual contract: every option allowed to this doctor is over "
		       "capacity.";
	return "No individual contract: every option within this doctor's capacity has a net "
	       "below zero.";
}

/* Why option `o` is not allowed to doctor `d`: zone, specialty, then its
 * `requires` (what individual.c checks, in that order).  The reasons and
 * notes here are English; i18n.c reads each back in French (its list of
 * sentences, which tests/i18n.sh checks against the bundled cabinets). */
static void option_refusal(char *out, size_t size, const mutu_analysis *a, size_t d,
			   const mutu_option *o)
{
	const mutu_rules *r = a->rules;
	const mutu_doctor *doc = &a->cab->doctors[d];
	if (!(o->zones & a->cab->zone)) {
		snprintf(out, size, "Option %s is not allowed: it is not open in the %s zone.",
			 o->id, a->cab->zone == MUTU_ZONE_ZIP ? "ZIP" : "standard");
		return;
	}
	if (!mutu_option_open(o, a->cab, doc->specialty)) {
		char list[120] = "";
		size_t n = 0;
		for (size_t i = 0; i < o->nspecialties && n < sizeof list; i++)
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "",
					      r->specialties[o->specialties[i]].name);
		snprintf(out, size, "Option %s is not allowed: it is open to %s only.", o->id,
			 list);
		return;
	}
	if (o->requires_years == 1)
		snprintf(out, size,
			 "Option %s is not allowed: it needs an assistant contract of option %s "
			 "held for 1 year.",
			 o->id, o->requires_option ? o->requires_option : "?");
	else
		snprintf(out, size,
			 "Option %s is not allowed: it needs an assistant contract of option %s "
			 "held for %d years.",
			 o->id, o->requires_option ? o->requires_option : "?", o->requires_years);
}

size_t mutu_analysis_notes(const mutu_analysis *a, size_t d, char (*notes)[MUTU_NOTE_SIZE],
			   size_t max)
{
	const mutu_rules *r = a->rules;
	const mutu_doctor *doc = &a->cab->doctors[d];
	const mutu_doctor_eval *ev = &a->evals[d];
	const mutu_specialty *sp = &r->specialties[doc->specialty];
	size_t n = 0;
#define NOTE (n < max ? notes[n] : scratch)
	char scratch[MUTU_NOTE_SIZE];
	/* The senior rule takes precedence over the newly installed one, as
	 * in individual.c. */
	if (r->senior_from_age >= 0 && doc->age >= r->senior_from_age) {
		snprintf(NOTE, MUTU_NOTE_SIZE,
			 "Aged %d (%d or more): owes the senior objective, %.0f %% growth.",
			 doc->age, r->senior_from_age, 100 * r->senior_objective);
		n++;
	} else if (doc->new_installed && r->new_installed_target >= 0) {
		double target = sp->thresholds[r->new_installed_target];
		double t = target > ev->value ? mutu_ceil_patients(target - ev->value) : 0;
		snprintf(NOTE, MUTU_NOTE_SIZE,
			 "Newly installed: owes %s - P = %.0f - %.0f, that is %.0f new patients.",
			 threshold_names[r->new_installed_target], target, ev->value, t);
		n++;
	}
	for (size_t o = 0; ev->eligible && o < r->noptions; o++) {
		if (ev->options[o].allowed)
			continue;
		option_refusal(NOTE, MUTU_NOTE_SIZE, a, d, &r->options[o]);
		n++;
	}
	const char *why = mutu_analysis_no_contract(a, d);
	if (why) {
		snprintf(NOTE, MUTU_NOTE_SIZE, "%s", why);
		n++;
	}
#undef NOTE
	return n;
}

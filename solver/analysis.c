/* Running the individual engine and the group optimiser over a cabinet. */
#include <stdlib.h>
#include <string.h>

#include "mutu/analysis.h"

int mutu_analysis_run(mutu_analysis *a, const mutu_rules *rules, const mutu_cabinet *cab,
		      bool solve, const mutu_solve_options *opts)
{
	memset(a, 0, sizeof *a);
	a->rules = rules;
	a->cab = cab;
	a->goal = opts ? opts->goal : MUTU_GOAL_NET_BENEFIT;
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
	if (!a->groups || !a->solutions || !a->errors)
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
		int rc = mutu_group_solve(sol, &g->problem, opts, err);
		if (rc == MUTU_ENOMEM)
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
	}
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

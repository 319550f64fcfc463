/* The pooled-contract model of one group (model.md §4) as a MIP, and its
 * lexicographic solution.  Builds lp_model descriptions; lp.c solves them.
 */
#include <math.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "lp.h"
#include "mutu/group.h"

double mutu_gp_choice_net(const mutu_group_problem *gp, const mutu_gp_choice *c)
{
	return c->aid - gp->cost_per_etp * c->etp + gp->value_per_patient * c->objective;
}

/* Where the columns of one built model are. */
typedef struct layout {
	size_t first_choice; /* y (sum_individual) or z (pooled) columns */
	size_t nchoice;
	size_t *member_first; /* sum_individual: first y column of member i */
	size_t a, x;          /* first a_i and x_i columns */
	size_t u;
} layout;

/* Expressions over the choice columns. */
typedef enum expr { EXPR_NET, EXPR_PATIENTS, EXPR_ETP } expr;

static const mutu_gp_choice *choice_at(const mutu_group_problem *gp, const layout *L, size_t k)
{
	if (gp->basis == MUTU_BASIS_POOLED)
		return &gp->levels[k];
	size_t i = 0;
	while (i + 1 < gp->m && L->member_first[i + 1] - L->first_choice <= k)
		i++;
	return &gp->members[i].choices[k - (L->member_first[i] - L->first_choice)];
}

static double expr_coef(const mutu_group_problem *gp, const mutu_gp_choice *c, expr e)
{
	return e == EXPR_NET        ? mutu_gp_choice_net(gp, c)
	       : e == EXPR_PATIENTS ? c->objective
				    : c->etp;
}

static void sanitize(char *dst, size_t size, const char *prefix, const char *id, size_t i)
{
	char raw[64];
	if (id)
		snprintf(raw, sizeof raw, "%s_%s", prefix, id);
	else
		snprintf(raw, sizeof raw, "%s_%zu", prefix, i + 1);
	size_t n = 0;
	for (const char *c = raw; *c && n + 1 < size && n < 40; c++)
		dst[n++] = (char)((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
					  (*c >= '0' && *c <= '9') || *c == '_'
				      ? *c
				      : '_');
	dst[n] = '\0';
}

/* Adds the row  sum_k coef(choice k, e) y_k  (type) rhs. */
static int add_expr_row(lp_model *lp, const mutu_group_problem *gp, const layout *L,
			const char *name, expr e, lp_bound type, double rhs)
{
	size_t *idx = malloc((L->nchoice + 1) * sizeof *idx);
	double *val = malloc((L->nchoice + 1) * sizeof *val);
	long r = -1;
	if (idx && val) {
		for (size_t k = 0; k < L->nchoice; k++) {
			idx[k] = L->first_choice + k;
			val[k] = expr_coef(gp, choice_at(gp, L, k), e);
		}
		r = mutu_lp__add_row(lp, name, type, rhs, L->nchoice, idx, val);
	}
	free(idx);
	free(val);
	return r < 0 ? MUTU_ENOMEM : MUTU_OK;
}

/* Adds the row  sum_{k<n} x[first+k]  (type) rhs. */
static long add_ones_row(lp_model *lp, const char *name, lp_bound type, double rhs, size_t first,
			 size_t n)
{
	size_t *cols = malloc((n + 1) * sizeof *cols);
	double *ones = malloc((n + 1) * sizeof *ones);
	long r = -1;
	if (cols && ones) {
		for (size_t k = 0; k < n; k++) {
			cols[k] = first + k;
			ones[k] = 1;
		}
		r = mutu_lp__add_row(lp, name, type, rhs, n, cols, ones);
	}
	free(cols);
	free(ones);
	return r;
}

static void set_objective(lp_model *lp, const mutu_group_problem *gp, const layout *L, expr e,
			  bool maximize)
{
	mutu_lp__clear_obj(lp);
	lp->maximize = maximize;
	for (size_t k = 0; k < L->nchoice; k++)
		lp->cols[L->first_choice + k].obj = expr_coef(gp, choice_at(gp, L, k), e);
}

/* Builds the constraints of model.md §4 (no objective yet).  `floor` and
 * `net_row` switch the floor rows and the NET >= 0 row (patients goal). */
static int build(lp_model *lp, layout *L, const mutu_group_problem *gp, const char *const *ids,
		 const char *const *option_ids, bool floor, bool net_row)
{
	char name[48];
	size_t m = gp->m;
	double pg = 0;
	mutu_lp__init(lp);
	memset(L, 0, sizeof *L);
	L->member_first = calloc(m + 1, sizeof *L->member_first);
	size_t *idx = malloc((2 * m + 2) * sizeof *idx);
	double *val = malloc((2 * m + 2) * sizeof *val);
	if (!L->member_first || !idx || !val)
		goto nomem;
	for (size_t i = 0; i < m; i++)
		pg += gp->members[i].p;

	L->first_choice = lp->ncols;
	if (gp->basis == MUTU_BASIS_POOLED) {
		for (size_t n = 0; n < gp->nlevels; n++) {
			snprintf(name, sizeof name, "z_%g", gp->levels[n].etp);
			if (mutu_lp__add_col(lp, name, LP_BINARY, 0, 1, 0) < 0)
				goto nomem;
		}
	} else {
		for (size_t i = 0; i < m; i++) {
			L->member_first[i] = lp->ncols;
			for (size_t c = 0; c < gp->members[i].nchoices; c++) {
				char base[24], opt[16];
				long o = gp->members[i].choices[c].option;
				sanitize(base, sizeof base, "y", ids ? ids[i] : NULL, i);
				if (option_ids && o >= 0)
					snprintf(opt, sizeof opt, "%s", option_ids[o]);
				else
					snprintf(opt, sizeof opt, "%u",
						 (unsigned)(c + 1) % 100000u);
				snprintf(name, sizeof name, "%s_%s", base, opt);
				if (mutu_lp__add_col(lp, name, LP_BINARY, 0, 1, 0) < 0)
					goto nomem;
			}
		}
		L->member_first[m] = lp->ncols;
	}
	L->nchoice = lp->ncols - L->first_choice;
	L->a = lp->ncols;
	for (size_t i = 0; i < m; i++) {
		sanitize(name, sizeof name, "a", ids ? ids[i] : NULL, i);
		if (mutu_lp__add_col(lp, name, LP_CONTINUOUS, 0, gp->max_etp_per_doctor, 0) < 0)
			goto nomem;
	}
	L->x = lp->ncols;
	for (size_t i = 0; i < m; i++) {
		const mutu_gp_member *mb = &gp->members[i];
		sanitize(name, sizeof name, "x", ids ? ids[i] : NULL, i);
		if (mutu_lp__add_col(lp, name, LP_CONTINUOUS, 0,
				     mb->max_new >= 0 ? mb->max_new : HUGE_VAL, 0) < 0)
			goto nomem;
	}
	L->u = lp->ncols;
	if (mutu_lp__add_col(lp, "u", LP_CONTINUOUS, 0, HUGE_VAL, 0) < 0)
		goto nomem;

	/* Choice: one level, or at most one option per member and at least one
	 * (E > 0). */
	if (gp->basis == MUTU_BASIS_POOLED) {
		if (add_ones_row(lp, "one_level", LP_FIXED, 1, L->first_choice, L->nchoice) < 0)
			goto nomem;
	} else {
		for (size_t i = 0; i < m; i++) {
			sanitize(name, sizeof name, "one_option", ids ? ids[i] : NULL, i);
			if (add_ones_row(lp, name, LP_UPPER, 1, L->member_first[i],
					 L->member_first[i + 1] - L->member_first[i]) < 0)
				goto nomem;
		}
		if (add_ones_row(lp, "some_option", LP_LOWER, 1, L->first_choice, L->nchoice) < 0)
			goto nomem;
	}
	if (add_expr_row(lp, gp, L, "etp_total", EXPR_ETP, LP_UPPER, gp->max_etp_total) != MUTU_OK)
		goto nomem;
	/* sum a_i - E = 0 */
	{
		size_t n = 0;
		size_t *cols = malloc((m + L->nchoice + 1) * sizeof *cols);
		double *coef = malloc((m + L->nchoice + 1) * sizeof *coef);
		long r = -1;
		if (cols && coef) {
			for (size_t i = 0; i < m; i++, n++) {
				cols[n] = L->a + i;
				coef[n] = 1;
			}
			for (size_t k = 0; k < L->nchoice; k++, n++) {
				cols[n] = L->first_choice + k;
				coef[n] = -choice_at(gp, L, k)->etp;
			}
			r = mutu_lp__add_row(lp, "assistant_time", LP_FIXED, 0, n, cols, coef);
		}
		free(cols);
		free(coef);
		if (r < 0)
			goto nomem;
	}
	/* sum x_i - T >= 0, and floors x_i - phi P_i/P_G T >= 0 */
	{
		size_t *cols = malloc((m + L->nchoice + 1) * sizeof *cols);
		double *coef = malloc((m + L->nchoice + 1) * sizeof *coef);
		long r = -1;
		if (cols && coef) {
			size_t n = 0;
			for (size_t i = 0; i < m; i++, n++) {
				cols[n] = L->x + i;
				coef[n] = 1;
			}
			for (size_t k = 0; k < L->nchoice; k++, n++) {
				cols[n] = L->first_choice + k;
				coef[n] = -choice_at(gp, L, k)->objective;
			}
			r = mutu_lp__add_row(lp, "objective", LP_LOWER, 0, n, cols, coef);
			for (size_t i = 0;
			     r >= 0 && floor && gp->floor_share > 0 && pg > 0 && i < m; i++) {
				double share = gp->floor_share * gp->members[i].p / pg;
				cols[0] = L->x + i;
				coef[0] = 1;
				for (size_t k = 0; k < L->nchoice; k++) {
					cols[k + 1] = L->first_choice + k;
					coef[k + 1] = -share * choice_at(gp, L, k)->objective;
				}
				sanitize(name, sizeof name, "floor", ids ? ids[i] : NULL, i);
				r = mutu_lp__add_row(lp, name, LP_LOWER, 0, L->nchoice + 1, cols,
						     coef);
			}
		}
		free(cols);
		free(coef);
		if (r < 0)
			goto nomem;
	}
	for (size_t i = 0; i < m; i++) {
		const mutu_gp_member *mb = &gp->members[i];
		/* x_i - P_i g_i a_i <= P_i h_i */
		idx[0] = L->x + i;
		val[0] = 1;
		idx[1] = L->a + i;
		val[1] = -mb->p * mb->gain;
		sanitize(name, sizeof name, "capacity", ids ? ids[i] : NULL, i);
		if (mutu_lp__add_row(lp, name, LP_UPPER, mb->p * mb->headroom, 2, idx, val) < 0)
			goto nomem;
		/* x_i - P_i u <= 0 */
		idx[1] = L->u;
		val[1] = -mb->p;
		sanitize(name, sizeof name, "rate", ids ? ids[i] : NULL, i);
		if (mutu_lp__add_row(lp, name, LP_UPPER, 0, 2, idx, val) < 0)
			goto nomem;
	}
	if (net_row && add_expr_row(lp, gp, L, "net_nonnegative", EXPR_NET, LP_LOWER, 0) != MUTU_OK)
		goto nomem;
	free(idx);
	free(val);
	return MUTU_OK;
nomem:
	free(idx);
	free(val);
	free(L->member_first);
	L->member_first = NULL;
	mutu_lp__free(lp);
	return MUTU_ENOMEM;
}

static double tol(double v)
{
	return 1e-6 * fmax(1.0, fabs(v));
}

/* Whether the model without the floor rows (floor=false) or without the
 * NET >= 0 row has a solution: used to say which constraint binds. */
static int feasible_without(const mutu_group_problem *gp, bool floor, bool net_row, bool *ok,
			    mutu_error *err)
{
	lp_model lp;
	layout L;
	int rc = build(&lp, &L, gp, NULL, NULL, floor, net_row);
	if (rc != MUTU_OK)
		return rc;
	lp_result res;
	rc = mutu_lp__solve(&lp, 0, &res, err);
	*ok = rc == MUTU_OK && (res.status == LP_OPTIMAL || res.status == LP_FEASIBLE);
	free(res.x);
	free(L.member_first);
	mutu_lp__free(&lp);
	return rc;
}

static int diagnose(mutu_group_solution *out, const mutu_group_problem *gp, mutu_error *err)
{
	bool ok = false;
	int rc;
	out->status = MUTU_GROUP_NO_CONTRACT;
	if (gp->goal == MUTU_GOAL_PATIENTS) {
		rc = feasible_without(gp, true, false, &ok, err);
		if (rc != MUTU_OK || ok) {
			out->binding = MUTU_BIND_NET;
			return rc;
		}
	}
	rc = feasible_without(gp, false, false, &ok, err);
	out->binding = ok ? MUTU_BIND_FLOOR : MUTU_BIND_CAPACITY;
	return rc;
}

/* GLPK accepts a binary at 0.999997 as integral; the plan would then miss
 * its rows by a few 1e-6.  Fixes the binaries at their rounded values and
 * solves the continuous part again for the same objective. */
static int polish(lp_model *lp, const layout *L, lp_result *res, mutu_error *err)
{
	for (size_t k = 0; k < L->nchoice; k++) {
		lp_col *c = &lp->cols[L->first_choice + k];
		c->lb = c->ub = res->x[L->first_choice + k] > 0.5 ? 1 : 0;
	}
	lp_result fixed;
	int rc = mutu_lp__solve(lp, 0, &fixed, err);
	for (size_t k = 0; k < L->nchoice; k++) {
		lp->cols[L->first_choice + k].lb = 0;
		lp->cols[L->first_choice + k].ub = 1;
	}
	if (rc != MUTU_OK)
		return rc;
	if (fixed.status == LP_OPTIMAL) {
		free(res->x);
		*res = fixed;
	} else {
		free(fixed.x);
	}
	return MUTU_OK;
}

/* Stage value of the rounded choices for an expression. */
static double stage_value(const mutu_group_problem *gp, const layout *L, const double *x, expr e)
{
	double v = 0;
	for (size_t k = 0; k < L->nchoice; k++)
		if (x[L->first_choice + k] > 0.5)
			v += expr_coef(gp, choice_at(gp, L, k), e);
	return v;
}

static void keep_plan(mutu_group_solution *out, const mutu_group_problem *gp, const layout *L,
		      const double *x)
{
	out->etp = out->objective = out->aid = 0;
	out->level = -1;
	for (size_t i = 0; i < gp->m; i++) {
		/* The simplex may leave -1e-16 on a bound of 0. */
		out->assistant_etp[i] = fmin(fmax(x[L->a + i], 0), gp->max_etp_per_doctor);
		out->patients[i] = fmax(x[L->x + i], 0);
		out->choice[i] = -1;
	}
	for (size_t k = 0; k < L->nchoice; k++) {
		if (x[L->first_choice + k] <= 0.5)
			continue;
		const mutu_gp_choice *c = choice_at(gp, L, k);
		out->etp += c->etp;
		out->objective += c->objective;
		out->aid += c->aid;
		if (gp->basis == MUTU_BASIS_POOLED) {
			out->level = (long)k;
			continue;
		}
		size_t i = 0;
		while (L->member_first[i + 1] <= L->first_choice + k)
			i++;
		out->choice[i] = (long)(L->first_choice + k - L->member_first[i]);
	}
	out->cost = gp->cost_per_etp * out->etp;
	out->value = gp->value_per_patient * out->objective;
	out->net = out->aid - out->cost + out->value;
	out->max_rate = 0;
	for (size_t i = 0; i < gp->m; i++)
		if (gp->members[i].p > 0 && out->patients[i] / gp->members[i].p > out->max_rate)
			out->max_rate = out->patients[i] / gp->members[i].p;
}

/* Sets the status of a failed solve, and clears every figure of a group
 * without a plan: nothing is committed.  Returns rc. */
static int finish(mutu_group_solution *out, const mutu_group_problem *gp, int rc, bool planned,
		  double t0)
{
	if (rc != MUTU_OK)
		out->status = MUTU_GROUP_ERROR;
	if (rc != MUTU_OK || out->status == MUTU_GROUP_NO_CONTRACT || !planned) {
		for (size_t i = 0; i < gp->m; i++) {
			out->choice[i] = -1;
			out->assistant_etp[i] = out->patients[i] = 0;
		}
		out->level = -1;
		out->etp = out->objective = out->aid = out->cost = out->value = out->net = 0;
		out->max_rate = 0;
	}
	out->seconds = mutu_clock_s() - t0;
	return rc;
}

/* Branch-and-bound nodes of a stage from which the next stage is given
 * the plan found as its first incumbent (measured with bench/). */
#define HARD_NODES 20

/* One stage of the lexicographic order of model.md §4. */
typedef struct stage {
	expr e;
	bool is_u; /* the objective is the largest growth rate u */
	bool maximize;
} stage;

/* Fixes the level columns so that only level `k` is chosen (k < 0: none
 * is fixed). */
static void fix_level(lp_model *lp, const layout *L, long k)
{
	for (size_t j = 0; j < L->nchoice; j++) {
		lp_col *c = &lp->cols[L->first_choice + j];
		c->lb = k < 0 ? 0 : (long)j == k;
		c->ub = k < 0 ? 1 : (long)j == k;
	}
}

typedef struct level_eval {
	bool tried, feasible;
	double u; /* least growth rate with this level */
} level_eval;

/* qsort has no context argument: the key of the sort in progress. */
static _Thread_local const double *tl_sort_key;

/* Indices by decreasing key, then increasing index. */
static int cmp_desc(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	if (tl_sort_key[i] != tl_sort_key[j])
		return tl_sort_key[i] > tl_sort_key[j] ? -1 : 1;
	return (i > j) - (i < j);
}

/* Necessary conditions for level `c` to have a plan, from the bounds
 * alone: the assistant time fits (E <= m x amax), each member can carry
 * its floor share with all the time it may get, and together they can
 * carry T.  A level failing them needs no LP. */
static bool level_may_fit(const mutu_group_problem *gp, const mutu_gp_choice *c, bool floor)
{
	double pg = 0, total = 0;
	if (c->etp > (double)gp->m * gp->max_etp_per_doctor + 1e-9)
		return false;
	for (size_t i = 0; i < gp->m; i++)
		pg += gp->members[i].p;
	for (size_t i = 0; i < gp->m; i++) {
		const mutu_gp_member *mb = &gp->members[i];
		double cap =
		    mb->p * (mb->headroom + mb->gain * fmin(gp->max_etp_per_doctor, c->etp));
		if (mb->max_new >= 0)
			cap = fmin(cap, mb->max_new);
		if (floor && pg > 0 && gp->floor_share * mb->p / pg * c->objective > cap + 1e-6)
			return false;
		total += cap;
	}
	return total >= c->objective - 1e-6;
}

/* Whether some level (only those with a negative net when `negative`)
 * has a plan under the rows of `lp` (with the floor rows when `floor`). */
static int some_level_fits(const mutu_group_problem *gp, lp_model *lp, const layout *L,
			   bool negative, bool floor, bool *fits, mutu_error *err)
{
	*fits = false;
	lp_session ses;
	int rc = mutu_lp__session_open(&ses, lp, err);
	for (size_t k = 0; rc == MUTU_OK && k < gp->nlevels && !*fits; k++) {
		if ((negative && mutu_gp_choice_net(gp, &gp->levels[k]) >= 0) ||
		    !level_may_fit(gp, &gp->levels[k], floor))
			continue;
		fix_level(lp, L, (long)k);
		lp_result res;
		rc = mutu_lp__session_solve(&ses, lp, &res, err);
		free(res.x);
		*fits = rc == MUTU_OK && res.status == LP_OPTIMAL;
	}
	mutu_lp__session_close(&ses);
	return rc;
}

/* Which constraint leaves a pooled group without a level (as diagnose,
 * level by level): the net (patients goal), the floor, or capacity.  `lp`
 * is the model with the floor rows. */
static int diagnose_levels(mutu_group_solution *out, const mutu_group_problem *gp, lp_model *lp,
			   const layout *L, mutu_error *err)
{
	bool fits = false;
	out->status = MUTU_GROUP_NO_CONTRACT;
	int rc = MUTU_OK;
	if (gp->goal == MUTU_GOAL_PATIENTS) {
		rc = some_level_fits(gp, lp, L, true, true, &fits, err);
		if (rc != MUTU_OK || fits) {
			out->binding = MUTU_BIND_NET;
			return rc;
		}
	}
	lp_model nofloor;
	layout L2;
	rc = build(&nofloor, &L2, gp, NULL, NULL, false, false);
	if (rc != MUTU_OK)
		return rc;
	rc = some_level_fits(gp, &nofloor, &L2, false, false, &fits, err);
	out->binding = fits ? MUTU_BIND_FLOOR : MUTU_BIND_CAPACITY;
	free(L2.member_first);
	mutu_lp__free(&nofloor);
	return rc;
}

/* The pooled basis: a level fixes E, T and the aid, so the problem is a
 * short sequence of LPs, one per level, in the order of the first stage's
 * value (model.md §4 lexicographic goals, same tolerances as the MIP). */
static int solve_levels(mutu_group_solution *out, const mutu_group_problem *gp,
			const mutu_solve_options *opts, mutu_error *err, double t0)
{
	bool patients = gp->goal == MUTU_GOAL_PATIENTS;
	size_t n = gp->nlevels;
	lp_model lp;
	layout L;
	int rc = build(&lp, &L, gp, NULL, NULL, true, false);
	if (rc != MUTU_OK)
		return rc;
	double *key = malloc((n + 1) * sizeof *key);
	size_t *order = malloc((n + 1) * sizeof *order);
	level_eval *ev = calloc(n + 1, sizeof *ev);
	lp_result res = {.x = NULL};
	lp_session ses = {.prob = NULL};
	if (!key || !order || !ev) {
		rc = MUTU_ENOMEM;
		goto cleanup;
	}
	mutu_lp__clear_obj(&lp);
	lp.maximize = false;
	lp.cols[L.u].obj = 1;
	fix_level(&lp, &L, 0);
	rc = mutu_lp__session_open(&ses, &lp, err);
	if (rc != MUTU_OK)
		goto cleanup;
	for (size_t k = 0; k < n; k++) {
		double net = mutu_gp_choice_net(gp, &gp->levels[k]);
		order[k] = k;
		/* patients: levels with a negative net are out (NET >= 0). */
		key[k] = patients ? (net >= 0 ? gp->levels[k].objective : -HUGE_VAL) : net;
	}
	tl_sort_key = key;
	qsort(order, n, sizeof *order, cmp_desc);
	/* Stage 1: the best key among feasible levels, and every level within
	 * the tolerance of it. */
	bool found = false, limited = false;
	double best = 0;
	for (size_t r = 0; r < n && rc == MUTU_OK; r++) {
		size_t k = order[r];
		if (key[k] == -HUGE_VAL || (found && key[k] < best - tol(best)))
			break;
		/* One LP takes well under the limits anyone sets: check the
		 * clock between them. */
		if (opts && opts->time_limit_ms > 0 &&
		    (mutu_clock_s() - t0) * 1e3 >= opts->time_limit_ms) {
			limited = true;
			break;
		}
		ev[k].tried = true;
		if (!level_may_fit(gp, &gp->levels[k], true))
			continue;
		fix_level(&lp, &L, (long)k);
		free(res.x);
		res.x = NULL;
		rc = mutu_lp__session_solve(&ses, &lp, &res, err);
		if (rc != MUTU_OK)
			break;
		ev[k].feasible = res.status == LP_OPTIMAL;
		ev[k].u = res.obj;
		if (ev[k].feasible && !found) {
			found = true;
			best = key[k];
		}
	}
	if (rc != MUTU_OK)
		goto cleanup;
	if (!found) {
		if (limited) {
			out->status = MUTU_GROUP_TIME_LIMIT;
			goto cleanup;
		}
		rc = diagnose_levels(out, gp, &lp, &L, err);
		goto cleanup;
	}
	if (!patients && best < -tol(0)) {
		out->status = MUTU_GROUP_NO_CONTRACT;
		out->binding = MUTU_BIND_NET;
		goto cleanup;
	}
	/* Later stages among the feasible levels kept. */
	long pick = -1;
	if (patients) {
		double net2 = -HUGE_VAL;
		for (size_t k = 0; k < n; k++)
			if (ev[k].feasible && key[k] >= best - tol(best))
				net2 = fmax(net2, mutu_gp_choice_net(gp, &gp->levels[k]));
		for (size_t k = 0; k < n; k++) {
			double net = mutu_gp_choice_net(gp, &gp->levels[k]);
			if (!ev[k].feasible || key[k] < best - tol(best) || net < net2 - tol(net2))
				continue;
			if (pick < 0 || ev[k].u < ev[pick].u)
				pick = (long)k;
		}
	} else {
		double u = HUGE_VAL;
		for (size_t k = 0; k < n; k++)
			if (ev[k].feasible && key[k] >= best - tol(best))
				u = fmin(u, ev[k].u);
		for (size_t k = 0; k < n; k++) {
			if (!ev[k].feasible || key[k] < best - tol(best) || ev[k].u > u + tol(u))
				continue;
			if (pick < 0 || gp->levels[k].etp < gp->levels[pick].etp)
				pick = (long)k;
		}
	}
	fix_level(&lp, &L, pick);
	free(res.x);
	res.x = NULL;
	rc = mutu_lp__session_solve(&ses, &lp, &res, err);
	if (rc != MUTU_OK)
		goto cleanup;
	if (res.status != LP_OPTIMAL) {
		snprintf(err->message, sizeof err->message,
			 "internal: the chosen level is no longer feasible");
		rc = MUTU_ESOLVER;
		goto cleanup;
	}
	keep_plan(out, gp, &L, res.x);
	out->status = limited ? MUTU_GROUP_TIME_LIMIT : MUTU_GROUP_OPTIMAL;
cleanup:
	mutu_lp__session_close(&ses);
	free(res.x);
	free(key);
	free(order);
	free(ev);
	free(L.member_first);
	mutu_lp__free(&lp);
	return rc;
}

int mutu_group_solve(mutu_group_solution *out, const mutu_group_problem *gp,
		     const mutu_solve_options *opts, mutu_error *err)
{
	static const stage net_stages[3] = {
	    {EXPR_NET, false, true}, {EXPR_NET, true, false}, {EXPR_ETP, false, false}};
	static const stage patient_stages[3] = {
	    {EXPR_PATIENTS, false, true}, {EXPR_NET, false, true}, {EXPR_NET, true, false}};
	double t0 = mutu_clock_s();
	memset(out, 0, sizeof *out);
	out->level = -1;
	size_t m = gp->m;
	out->choice = malloc((m + 1) * sizeof *out->choice);
	out->assistant_etp = calloc(m + 1, sizeof *out->assistant_etp);
	out->patients = calloc(m + 1, sizeof *out->patients);
	if (!out->choice || !out->assistant_etp || !out->patients)
		return MUTU_ENOMEM;
	for (size_t i = 0; i < m; i++)
		out->choice[i] = -1;
	size_t nchoice = gp->basis == MUTU_BASIS_POOLED ? gp->nlevels : 0;
	for (size_t i = 0; gp->basis != MUTU_BASIS_POOLED && i < m; i++)
		nchoice += gp->members[i].nchoices;
	if (m == 0 || nchoice == 0) {
		out->status = MUTU_GROUP_NO_CONTRACT;
		out->binding = MUTU_BIND_NO_OPTION;
		return MUTU_OK;
	}

	if (gp->basis == MUTU_BASIS_POOLED) {
		int rc = solve_levels(out, gp, opts, err, t0);
		return finish(out, gp, rc, out->level >= 0, t0);
	}
	bool patients = gp->goal == MUTU_GOAL_PATIENTS;
	const stage *stages = patients ? patient_stages : net_stages;
	lp_model lp;
	layout L;
	int rc = build(&lp, &L, gp, NULL, NULL, true, patients);
	if (rc != MUTU_OK)
		return rc;
	lp_result res = {.x = NULL};
	bool planned = false, limited = false;
	double *start = NULL;
	out->status = MUTU_GROUP_OPTIMAL;
	for (int s = 0; s < 3; s++) {
		const stage *st = &stages[s];
		if (st->is_u) {
			mutu_lp__clear_obj(&lp);
			lp.maximize = false;
			lp.cols[L.u].obj = 1;
		} else {
			set_objective(&lp, gp, &L, st->e, st->maximize);
		}
		int left = 0;
		if (opts && opts->time_limit_ms > 0) {
			left = opts->time_limit_ms - (int)((mutu_clock_s() - t0) * 1e3);
			if (left < 1)
				left = 1;
		}
		free(res.x);
		res.x = NULL;
		rc = mutu_lp__solve(&lp, left, &res, err);
		if (rc != MUTU_OK)
			goto done;
		out->nodes += res.nodes;
		int stage_nodes = res.nodes;
		if (s == 0 && res.status == LP_INFEASIBLE) {
			rc = diagnose(out, gp, err);
			goto done;
		}
		if (res.status == LP_NO_SOLUTION) {
			limited = true;
			break;
		}
		/* A later stage cannot be infeasible, since the earlier plan
		 * satisfies its rows; should rounding say so, keep that plan. */
		if (res.status == LP_INFEASIBLE)
			break;
		limited |= res.status == LP_FEASIBLE;
		/* The plan kept must meet its rows exactly, and so must the rate
		 * a later stage keeps and the start it is given. */
		rc = polish(&lp, &L, &res, err);
		if (rc != MUTU_OK)
			goto done;
		keep_plan(out, gp, &L, res.x);
		planned = true;
		if (limited || s == 2)
			break;
		double v = st->is_u ? res.x[L.u] : stage_value(gp, &L, res.x, st->e);
		if (!patients && s == 0 && v < -tol(0)) {
			out->status = MUTU_GROUP_NO_CONTRACT;
			out->binding = MUTU_BIND_NET;
			goto done;
		}
		/* Fix this stage's optimum for the next ones. */
		long r;
		if (st->is_u) {
			size_t col = L.u;
			double one = 1;
			r = mutu_lp__add_row(&lp, "keep_rate", LP_UPPER, v + tol(v), 1, &col, &one);
		} else {
			r = add_expr_row(&lp, gp, &L, s == 0 ? "keep_stage1" : "keep_stage2", st->e,
					 st->maximize ? LP_LOWER : LP_UPPER,
					 st->maximize ? v - tol(v) : v + tol(v)) == MUTU_OK
				? 0
				: -1;
		}
		if (r < 0) {
			rc = MUTU_ENOMEM;
			goto done;
		}
		/* This plan meets the next stage's rows: its first incumbent,
		 * when the search is hard enough for one to pay (it costs the
		 * presolver, which the start's column numbering forbids). */
		free(start);
		start = NULL;
		if (stage_nodes > HARD_NODES) {
			start = res.x;
			res.x = NULL;
		}
		lp.start = start;
	}
	if (limited)
		out->status = MUTU_GROUP_TIME_LIMIT;
done:
	free(start);
	free(res.x);
	free(L.member_first);
	mutu_lp__free(&lp);
	return finish(out, gp, rc, planned, t0);
}

void mutu_solver_tune_allocator(void)
{
#if defined(__GLIBC__)
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

void mutu_solver_release(void)
{
	mutu_lp__thread_done();
}

void mutu_group_solution_free(mutu_group_solution *sol)
{
	if (!sol)
		return;
	free(sol->choice);
	free(sol->assistant_etp);
	free(sol->patients);
	sol->choice = NULL;
	sol->assistant_etp = sol->patients = NULL;
}

void mutu_group_problem_free(mutu_group_problem *gp)
{
	if (!gp)
		return;
	for (size_t i = 0; gp->members && i < gp->m; i++)
		free(gp->members[i].choices);
	free(gp->members);
	free(gp->levels);
	gp->members = NULL;
	gp->levels = NULL;
	gp->m = gp->nlevels = 0;
}

int mutu_group_export(const mutu_group_problem *gp, const char *const *member_ids,
		      const char *const *option_ids, bool lp_fmt, const char *path, mutu_error *err)
{
	lp_model lp;
	layout L;
	int rc = build(&lp, &L, gp, member_ids, option_ids, true, gp->goal == MUTU_GOAL_PATIENTS);
	if (rc != MUTU_OK)
		return rc;
	set_objective(&lp, gp, &L, gp->goal == MUTU_GOAL_PATIENTS ? EXPR_PATIENTS : EXPR_NET, true);
	rc = mutu_lp__write(&lp, lp_fmt, path, err);
	free(L.member_first);
	mutu_lp__free(&lp);
	return rc;
}

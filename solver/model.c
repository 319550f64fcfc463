/* The pooled-contract model of one group (model.md §4) as a MIP, and its
 * lexicographic solution.  Builds lp_model descriptions; lp.c solves them.
 */
#include <math.h>
#include <stdarg.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "lp.h"
#include "strbuf.h"
#include "mutu/group.h"

double mutu_gp_choice_net(const mutu_group_problem *gp, const mutu_gp_choice *c)
{
	return c->aid - gp->cost_per_etp * c->etp + gp->value_per_patient * c->objective;
}

/* ---- the model of model.md §4 as rows over columns ------------------ */

/* Where the columns of one built model are, and the row being built. */
typedef struct model {
	lp_model lp;
	const mutu_group_problem *gp;
	size_t first_choice; /* y (sum_individual) or z (pooled) columns */
	size_t nchoice;
	size_t *member_first; /* sum_individual: first y column of member i; [m] = end */
	size_t a, x;          /* first a_i and x_i columns */
	size_t u;
	double pg; /* P_G */
	/* The row being built (row_*): its terms; allocation failure is
	 * sticky and reported once by build. */
	size_t n, cap;
	size_t *idx;
	double *val;
	bool nomem;
} model;

/* What one build includes. */
typedef struct model_opts {
	bool floors;  /* the floor rows (off: to say which constraint binds) */
	bool net_row; /* NET >= 0 (goal patients) */
} model_opts;

/* Expressions over the choice columns. */
typedef enum expr { EXPR_NET, EXPR_PATIENTS, EXPR_ETP } expr;

static const mutu_gp_choice *choice_at(const model *M, size_t k)
{
	const mutu_group_problem *gp = M->gp;
	if (gp->basis == MUTU_BASIS_POOLED)
		return &gp->levels[k];
	size_t i = 0;
	while (i + 1 < gp->m && M->member_first[i + 1] - M->first_choice <= k)
		i++;
	return &gp->members[i].choices[k - (M->member_first[i] - M->first_choice)];
}

static double expr_coef(const mutu_group_problem *gp, const mutu_gp_choice *c, expr e)
{
	return e == EXPR_NET        ? mutu_gp_choice_net(gp, c)
	       : e == EXPR_PATIENTS ? c->objective
				    : c->etp;
}

/* Adds `coef` x column `col` to the row being built. */
static void term(model *M, size_t col, double coef)
{
	if (M->n == M->cap) {
		size_t cap = M->cap ? 2 * M->cap : 64;
		size_t *idx = realloc(M->idx, cap * sizeof *idx);
		if (idx)
			M->idx = idx;
		double *val = idx ? realloc(M->val, cap * sizeof *val) : NULL;
		if (!idx || !val) {
			M->nomem = true;
			return;
		}
		M->val = val;
		M->cap = cap;
	}
	M->idx[M->n] = col;
	M->val[M->n++] = coef;
}

/* Adds  scale x sum_k coef(choice k, e) y_k. */
static void choice_terms(model *M, expr e, double scale)
{
	for (size_t k = 0; k < M->nchoice; k++)
		term(M, M->first_choice + k, scale * expr_coef(M->gp, choice_at(M, k), e));
}

/* Adds  sum of the columns first .. first + n - 1. */
static void ones(model *M, size_t first, size_t n)
{
	for (size_t k = 0; k < n; k++)
		term(M, first + k, 1);
}

/* Ends the row being built:  terms (type) rhs, named by `fmt`. */
static void row(model *M, lp_bound type, double rhs, const char *fmt, ...)
{
	char name[48];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(name, sizeof name, fmt, ap);
	va_end(ap);
	if (!M->nomem && mutu_lp__add_row(&M->lp, name, type, rhs, M->n, M->idx, M->val) < 0)
		M->nomem = true;
	M->n = 0;
}

static void col(model *M, lp_kind kind, double lb, double ub, const char *fmt, ...)
{
	char name[48];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(name, sizeof name, fmt, ap);
	va_end(ap);
	if (!M->nomem && mutu_lp__add_col(&M->lp, name, kind, lb, ub, 0) < 0)
		M->nomem = true;
}

static void model_free(model *M)
{
	free(M->member_first);
	free(M->idx);
	free(M->val);
	mutu_lp__free(&M->lp);
	memset(M, 0, sizeof *M);
}

/* The columns: choices (y_i_c per member and choice, or z_n per level),
 * a_i, x_i, u.  Names are numbers (member i, choice c, level n, from 1),
 * so they are unique whatever the doctors' ids; mutu_group_export writes
 * the map from numbers to ids beside the model. */
static void columns(model *M)
{
	const mutu_group_problem *gp = M->gp;
	size_t m = gp->m;
	M->first_choice = M->lp.ncols;
	if (gp->basis == MUTU_BASIS_POOLED) {
		for (size_t n = 0; n < gp->nlevels; n++)
			col(M, LP_BINARY, 0, 1, "z_%zu", n + 1);
	} else {
		for (size_t i = 0; i < m; i++) {
			M->member_first[i] = M->lp.ncols;
			for (size_t c = 0; c < gp->members[i].nchoices; c++)
				col(M, LP_BINARY, 0, 1, "y_%zu_%zu", i + 1, c + 1);
		}
		M->member_first[m] = M->lp.ncols;
	}
	M->nchoice = M->lp.ncols - M->first_choice;
	M->a = M->lp.ncols;
	for (size_t i = 0; i < m; i++)
		col(M, LP_CONTINUOUS, 0, gp->max_etp_per_doctor, "a_%zu", i + 1);
	M->x = M->lp.ncols;
	for (size_t i = 0; i < m; i++) {
		double max_new = gp->members[i].max_new;
		col(M, LP_CONTINUOUS, 0, max_new >= 0 ? max_new : HUGE_VAL, "x_%zu", i + 1);
	}
	M->u = M->lp.ncols;
	col(M, LP_CONTINUOUS, 0, HUGE_VAL, "u");
}

/* Builds the constraints of model.md §4, one block per paragraph (no
 * objective yet).  Returns 0 or MUTU_ENOMEM; free with model_free either
 * way. */
static int build(model *M, const mutu_group_problem *gp, const model_opts *o)
{
	size_t m = gp->m;
	memset(M, 0, sizeof *M);
	mutu_lp__init(&M->lp);
	M->gp = gp;
	for (size_t i = 0; i < m; i++)
		M->pg += gp->members[i].p;
	M->member_first = calloc(m + 1, sizeof *M->member_first);
	if (!M->member_first)
		return MUTU_ENOMEM;
	columns(M);

	/* §4 Objective basis: one level (pooled); at most one notional option
	 * per member, and at least one in all (E > 0). */
	if (gp->basis == MUTU_BASIS_POOLED) {
		ones(M, M->first_choice, M->nchoice);
		row(M, LP_FIXED, 1, "one_level");
	} else {
		for (size_t i = 0; i < m; i++) {
			ones(M, M->member_first[i], M->member_first[i + 1] - M->member_first[i]);
			row(M, LP_UPPER, 1, "one_option_%zu", i + 1);
		}
		ones(M, M->first_choice, M->nchoice);
		row(M, LP_LOWER, 1, "some_option");
	}
	/* §4: E <= max_etp_total. */
	choice_terms(M, EXPR_ETP, 1);
	row(M, LP_UPPER, gp->max_etp_total, "etp_total");

	/* §4 Allocation: sum_i a_i = E. */
	ones(M, M->a, m);
	choice_terms(M, EXPR_ETP, -1);
	row(M, LP_FIXED, 0, "assistant_time");

	/* §4 Split: sum_i x_i >= T. */
	ones(M, M->x, m);
	choice_terms(M, EXPR_PATIENTS, -1);
	row(M, LP_LOWER, 0, "objective");

	for (size_t i = 0; i < m; i++) {
		const mutu_gp_member *mb = &gp->members[i];
		/* §4 floor: x_i >= phi P_i / P_G T. */
		if (o->floors && gp->floor_share > 0 && M->pg > 0) {
			term(M, M->x + i, 1);
			choice_terms(M, EXPR_PATIENTS, -gp->floor_share * mb->p / M->pg);
			row(M, LP_LOWER, 0, "floor_%zu", i + 1);
		}
		/* §4 capacity: x_i <= P_i (h_i + g_i a_i). */
		term(M, M->x + i, 1);
		term(M, M->a + i, -mb->p * mb->gain);
		row(M, LP_UPPER, mb->p * mb->headroom, "capacity_%zu", i + 1);
		/* §4 Goals: x_i <= u P_i, u the largest growth rate. */
		term(M, M->x + i, 1);
		term(M, M->u, -mb->p);
		row(M, LP_UPPER, 0, "rate_%zu", i + 1);
	}
	/* §4 Goals, patients: NET_G >= 0. */
	if (o->net_row) {
		choice_terms(M, EXPR_NET, 1);
		row(M, LP_LOWER, 0, "net_nonnegative");
	}
	return M->nomem ? MUTU_ENOMEM : MUTU_OK;
}

static void set_objective(model *M, expr e, bool maximize)
{
	mutu_lp__clear_obj(&M->lp);
	M->lp.maximize = maximize;
	for (size_t k = 0; k < M->nchoice; k++)
		M->lp.cols[M->first_choice + k].obj = expr_coef(M->gp, choice_at(M, k), e);
}

static void set_rate_objective(model *M)
{
	mutu_lp__clear_obj(&M->lp);
	M->lp.maximize = false;
	M->lp.cols[M->u].obj = 1;
}

static double tol(double v)
{
	return 1e-6 * fmax(1.0, fabs(v));
}

/* Whether the model without the floor rows (floor=false) or without the
 * NET >= 0 row has a solution: used to say which constraint binds. */
static int feasible_without(const mutu_group_problem *gp, const model_opts *o, bool *ok,
			    mutu_error *err)
{
	model M;
	int rc = build(&M, gp, o);
	lp_result res = {.x = NULL};
	if (rc == MUTU_OK)
		rc = mutu_lp__solve(&M.lp, 0, &res, err);
	*ok = rc == MUTU_OK && (res.status == LP_OPTIMAL || res.status == LP_FEASIBLE);
	free(res.x);
	model_free(&M);
	return rc;
}

static int diagnose(mutu_group_solution *out, const mutu_group_problem *gp, mutu_error *err)
{
	bool ok = false;
	int rc;
	out->status = MUTU_GROUP_NO_CONTRACT;
	if (gp->goal == MUTU_GOAL_PATIENTS) {
		rc = feasible_without(gp, &(model_opts){.floors = true}, &ok, err);
		if (rc != MUTU_OK || ok) {
			out->binding = MUTU_BIND_NET;
			return rc;
		}
	}
	rc = feasible_without(gp, &(model_opts){.floors = false}, &ok, err);
	out->binding = ok ? MUTU_BIND_FLOOR : MUTU_BIND_CAPACITY;
	return rc;
}

/* GLPK accepts a binary at 0.999997 as integral; the plan would then miss
 * its rows by a few 1e-6.  Fixes the binaries at their rounded values and
 * solves the continuous part again for the same objective. */
static int polish(model *M, lp_result *res, mutu_error *err)
{
	lp_col *cols = M->lp.cols + M->first_choice;
	for (size_t k = 0; k < M->nchoice; k++)
		cols[k].lb = cols[k].ub = res->x[M->first_choice + k] > 0.5 ? 1 : 0;
	lp_result fixed;
	int rc = mutu_lp__solve(&M->lp, 0, &fixed, err);
	for (size_t k = 0; k < M->nchoice; k++) {
		cols[k].lb = 0;
		cols[k].ub = 1;
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
static double stage_value(const model *M, const double *x, expr e)
{
	double v = 0;
	for (size_t k = 0; k < M->nchoice; k++)
		if (x[M->first_choice + k] > 0.5)
			v += expr_coef(M->gp, choice_at(M, k), e);
	return v;
}

static void keep_plan(mutu_group_solution *out, const model *M, const double *x)
{
	const mutu_group_problem *gp = M->gp;
	out->etp = out->objective = out->aid = 0;
	out->level = -1;
	for (size_t i = 0; i < gp->m; i++) {
		/* The simplex may leave -1e-16 on a bound of 0. */
		out->assistant_etp[i] = fmin(fmax(x[M->a + i], 0), gp->max_etp_per_doctor);
		out->patients[i] = fmax(x[M->x + i], 0);
		out->choice[i] = -1;
	}
	for (size_t k = 0; k < M->nchoice; k++) {
		if (x[M->first_choice + k] <= 0.5)
			continue;
		const mutu_gp_choice *c = choice_at(M, k);
		out->etp += c->etp;
		out->objective += c->objective;
		out->aid += c->aid;
		if (gp->basis == MUTU_BASIS_POOLED) {
			out->level = (long)k;
			continue;
		}
		size_t i = 0;
		while (M->member_first[i + 1] <= M->first_choice + k)
			i++;
		out->choice[i] = (long)(M->first_choice + k - M->member_first[i]);
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
static void fix_level(model *M, long k)
{
	for (size_t j = 0; j < M->nchoice; j++) {
		lp_col *c = &M->lp.cols[M->first_choice + j];
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
 * has a plan under the rows of `M` (with the floor rows when `floor`). */
static int some_level_fits(model *M, bool negative, bool floor, bool *fits, mutu_error *err)
{
	const mutu_group_problem *gp = M->gp;
	*fits = false;
	lp_session ses;
	int rc = mutu_lp__session_open(&ses, &M->lp, err);
	for (size_t k = 0; rc == MUTU_OK && k < gp->nlevels && !*fits; k++) {
		if ((negative && mutu_gp_choice_net(gp, &gp->levels[k]) >= 0) ||
		    !level_may_fit(gp, &gp->levels[k], floor))
			continue;
		fix_level(M, (long)k);
		lp_result res;
		rc = mutu_lp__session_solve(&ses, &M->lp, &res, err);
		free(res.x);
		*fits = rc == MUTU_OK && res.status == LP_OPTIMAL;
	}
	mutu_lp__session_close(&ses);
	return rc;
}

/* Which constraint leaves a pooled group without a level (as diagnose,
 * level by level): the net (patients goal), the floor, or capacity.  `M`
 * is the model with the floor rows. */
static int diagnose_levels(mutu_group_solution *out, model *M, mutu_error *err)
{
	const mutu_group_problem *gp = M->gp;
	bool fits = false;
	out->status = MUTU_GROUP_NO_CONTRACT;
	int rc = MUTU_OK;
	if (gp->goal == MUTU_GOAL_PATIENTS) {
		rc = some_level_fits(M, true, true, &fits, err);
		if (rc != MUTU_OK || fits) {
			out->binding = MUTU_BIND_NET;
			return rc;
		}
	}
	model nofloor;
	rc = build(&nofloor, gp, &(model_opts){.floors = false});
	if (rc == MUTU_OK)
		rc = some_level_fits(&nofloor, false, false, &fits, err);
	out->binding = fits ? MUTU_BIND_FLOOR : MUTU_BIND_CAPACITY;
	model_free(&nofloor);
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
	model M;
	int rc = build(&M, gp, &(model_opts){.floors = true});
	double *key = malloc((n + 1) * sizeof *key);
	size_t *order = malloc((n + 1) * sizeof *order);
	level_eval *ev = calloc(n + 1, sizeof *ev);
	lp_result res = {.x = NULL};
	lp_session ses = {.prob = NULL};
	if (rc == MUTU_OK && (!key || !order || !ev))
		rc = MUTU_ENOMEM;
	if (rc != MUTU_OK)
		goto cleanup;
	set_rate_objective(&M);
	fix_level(&M, 0);
	rc = mutu_lp__session_open(&ses, &M.lp, err);
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
		fix_level(&M, (long)k);
		free(res.x);
		res.x = NULL;
		rc = mutu_lp__session_solve(&ses, &M.lp, &res, err);
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
		rc = diagnose_levels(out, &M, err);
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
	fix_level(&M, pick);
	free(res.x);
	res.x = NULL;
	rc = mutu_lp__session_solve(&ses, &M.lp, &res, err);
	if (rc != MUTU_OK)
		goto cleanup;
	if (res.status != LP_OPTIMAL) {
		snprintf(err->message, sizeof err->message,
			 "internal: the chosen level is no longer feasible");
		rc = MUTU_ESOLVER;
		goto cleanup;
	}
	keep_plan(out, &M, res.x);
	out->status = limited ? MUTU_GROUP_TIME_LIMIT : MUTU_GROUP_OPTIMAL;
cleanup:
	mutu_lp__session_close(&ses);
	free(res.x);
	free(key);
	free(order);
	free(ev);
	model_free(&M);
	return rc;
}

/* Fixes stage `st`'s optimum `v` for the later stages (within tol). */
static void keep_stage(model *M, const stage *st, double v, int s)
{
	if (st->is_u) {
		term(M, M->u, 1);
		row(M, LP_UPPER, v + tol(v), "keep_rate");
		return;
	}
	choice_terms(M, st->e, 1);
	row(M, st->maximize ? LP_LOWER : LP_UPPER, st->maximize ? v - tol(v) : v + tol(v),
	    "keep_stage%d", s + 1);
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
	model M;
	int rc = build(&M, gp, &(model_opts){.floors = true, .net_row = patients});
	lp_result res = {.x = NULL};
	bool planned = false, limited = false;
	double *start = NULL;
	out->status = MUTU_GROUP_OPTIMAL;
	for (int s = 0; rc == MUTU_OK && s < 3; s++) {
		const stage *st = &stages[s];
		if (st->is_u)
			set_rate_objective(&M);
		else
			set_objective(&M, st->e, st->maximize);
		int left = 0;
		if (opts && opts->time_limit_ms > 0) {
			left = opts->time_limit_ms - (int)((mutu_clock_s() - t0) * 1e3);
			if (left < 1)
				left = 1;
		}
		free(res.x);
		res.x = NULL;
		rc = mutu_lp__solve(&M.lp, left, &res, err);
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
		rc = polish(&M, &res, err);
		if (rc != MUTU_OK)
			goto done;
		keep_plan(out, &M, res.x);
		planned = true;
		if (limited || s == 2)
			break;
		double v = st->is_u ? res.x[M.u] : stage_value(&M, res.x, st->e);
		if (!patients && s == 0 && v < -tol(0)) {
			out->status = MUTU_GROUP_NO_CONTRACT;
			out->binding = MUTU_BIND_NET;
			goto done;
		}
		keep_stage(&M, st, v, s);
		if (M.nomem) {
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
		M.lp.start = start;
	}
	if (limited)
		out->status = MUTU_GROUP_TIME_LIMIT;
done:
	free(start);
	free(res.x);
	model_free(&M);
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

/* The map from the model's numbers to the group's names, as comment
 * lines: "x_3, k_3, y_3_c: doctor <id>", "y_i_2: option <id>". */
static char *name_map(const mutu_group_problem *gp, const char *const *member_ids,
		      const char *const *option_ids)
{
	strbuf sb = {NULL, 0, 0, false};
	mutu_sb__printf(&sb, "Columns and rows are numbered: member i (from 1), its choice c,"
			     " level n.\n");
	mutu_sb__printf(&sb, "y_i_c / z_n: choice taken; a_i: assistant ETP; x_i: new patients;"
			     " u: largest growth rate.\n");
	for (size_t i = 0; i < gp->m; i++) {
		mutu_sb__printf(&sb, "member %zu: %s\n", i + 1,
				member_ids && member_ids[i] ? member_ids[i] : "-");
		for (size_t c = 0;
		     gp->basis == MUTU_BASIS_SUM_INDIVIDUAL && c < gp->members[i].nchoices; c++) {
			long o = gp->members[i].choices[c].option;
			mutu_sb__printf(&sb, "  y_%zu_%zu: option %s\n", i + 1, c + 1,
					option_ids && o >= 0 ? option_ids[o] : "-");
		}
	}
	for (size_t n = 0; gp->basis == MUTU_BASIS_POOLED && n < gp->nlevels; n++)
		mutu_sb__printf(&sb, "z_%zu: %.6g ETP\n", n + 1, gp->levels[n].etp);
	return mutu_sb__take(&sb);
}

int mutu_group_export(const mutu_group_problem *gp, const char *const *member_ids,
		      const char *const *option_ids, bool lp_fmt, const char *path, mutu_error *err)
{
	bool patients = gp->goal == MUTU_GOAL_PATIENTS;
	model M;
	int rc = build(&M, gp, &(model_opts){.floors = true, .net_row = patients});
	char *map = rc == MUTU_OK ? name_map(gp, member_ids, option_ids) : NULL;
	if (rc == MUTU_OK && !map)
		rc = MUTU_ENOMEM;
	if (rc == MUTU_OK) {
		set_objective(&M, patients ? EXPR_PATIENTS : EXPR_NET, true);
		rc = mutu_lp__write(&M.lp, lp_fmt, map, path, err);
	}
	free(map);
	model_free(&M);
	return rc;
}

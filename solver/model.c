/* The pooled-contract model of one group (model.md §4) as a MIP, and its
 * lexicographic solution.  Builds lp_model descriptions; lp.c solves them.
 */
#include <errno.h>
#include <limits.h>
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
#include "split.h"
#include "table.h"
#include "strbuf.h"
#include "mutu/group.h"

double mutu_gp_choice_net(const mutu_group_problem *gp, const mutu_gp_choice *c)
{
	return c->aid - gp->cost_per_etp * c->etp + gp->value_per_patient * c->objective;
}

double mutu_gp_etp_unit(const mutu_group_problem *gp)
{
	return gp->etp_unit > 0 ? gp->etp_unit : 0.1;
}

/* Most units of assistant time one member may get: a_i <= amax. */
static double units_max(const mutu_group_problem *gp)
{
	return floor(gp->max_etp_per_doctor / mutu_gp_etp_unit(gp) + 1e-9);
}

/* Whole patients at most `v` (capacities computed in floating point). */
static double whole_below(double v)
{
	return floor(v + 1e-9);
}

/* ---- the model of model.md §4 as rows over columns ------------------ */

/* Where the columns of one built model are, and the row being built. */
typedef struct model {
	lp_model lp;
	const mutu_group_problem *gp;
	size_t first_choice; /* y (sum_individual) or z (pooled) columns */
	size_t nchoice;
	size_t *member_first; /* sum_individual: first y column of member i; [m] = end */
	size_t k, x;          /* first k_i (a_i = w k_i) and x_i columns */
	double w;             /* etp_unit */
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
 * k_i (integer units of assistant time, a_i = w k_i), x_i (whole new
 * patients), u.  Names are numbers (member i, choice c, level n, from 1),
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
	M->k = M->lp.ncols;
	for (size_t i = 0; i < m; i++)
		col(M, LP_INTEGER, 0, units_max(gp), "k_%zu", i + 1);
	/* x_i <= max_new_patients: the bound of the column. */
	M->x = M->lp.ncols;
	for (size_t i = 0; i < m; i++) {
		double max_new = gp->members[i].max_new;
		col(M, LP_INTEGER, 0, max_new >= 0 ? whole_below(max_new) : HUGE_VAL, "x_%zu",
		    i + 1);
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
	M->w = mutu_gp_etp_unit(gp);
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

	/* §4 Allocation: E - w < sum_i a_i <= E with a_i = w k_i, in units:
	 * E / w - 1 < sum_i k_i <= E / w.  The strict side as >= -1 + 1e-3:
	 * GLPK's tolerances would accept a whole unit less with 1e-6. */
	ones(M, M->k, m);
	choice_terms(M, EXPR_ETP, -1 / M->w);
	row(M, LP_UPPER, 1e-9, "time_given");
	ones(M, M->k, m);
	choice_terms(M, EXPR_ETP, -1 / M->w);
	row(M, LP_LOWER, -1 + 1e-3, "time_left_below_unit");

	/* §4 Split: sum_i x_i = T, whole patients. */
	ones(M, M->x, m);
	choice_terms(M, EXPR_PATIENTS, -1);
	row(M, LP_FIXED, 0, "objective");

	for (size_t i = 0; i < m; i++) {
		const mutu_gp_member *mb = &gp->members[i];
		/* §4 floor: x_i >= floor(phi P_i / P_G T), as x_i >= phi P_i / P_G T - 1 + 1e-6. */
		if (o->floors && gp->floor_share > 0 && M->pg > 0) {
			term(M, M->x + i, 1);
			choice_terms(M, EXPR_PATIENTS, -gp->floor_share * mb->p / M->pg);
			row(M, LP_LOWER, -1 + 1e-6, "floor_%zu", i + 1);
		}
		/* §4 capacity: x_i <= P_i (h_i + g_i a_i). */
		term(M, M->x + i, 1);
		term(M, M->k + i, -mb->p * mb->gain * M->w);
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

static double tol(double v)
{
	return 1e-6 * fmax(1.0, fabs(v));
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

/* What one solve carries between its steps. */
typedef struct solving {
	const mutu_group_problem *gp;
	mutu_group_solution *out;
	split S;         /* with the floors */
	split nofloor;   /* without them: to say which constraint binds */
	double deadline; /* mutu_clock_s() time, 0 = none */
	bool limited;    /* the time limit cut a step */
	bool mip_only;   /* mutu_solve_options */
	mutu_error *err;
} solving;

/* Milliseconds left before the deadline (at least 1), 0 when none. */
static int ms_left(const solving *sv)
{
	if (sv->deadline <= 0)
		return 0;
	double left = (sv->deadline - mutu_clock_s()) * 1e3;
	return left < 1 ? 1 : (int)left;
}

static bool past_deadline(solving *sv)
{
	if (sv->deadline > 0 && mutu_clock_s() >= sv->deadline)
		sv->limited = true;
	return sv->limited;
}

/* A split result (split.h: -2 no memory, -3 deadline) as a return code;
 * sets `limited` on -3.  0 for any other value. */
static int split_rc(solving *sv, double v)
{
	if (v == -3) {
		sv->limited = true;
		return MUTU_OK;
	}
	return v == -2 ? MUTU_ENOMEM : MUTU_OK;
}

/* The plan of the choices in out->choice (sum_individual) or out->level
 * (pooled) with the least-rate split of its E and T. */
static int keep_plan(solving *sv, bool *planned)
{
	const mutu_group_problem *gp = sv->gp;
	mutu_group_solution *out = sv->out;
	out->etp = out->objective = out->aid = 0;
	for (size_t i = 0; i < gp->m; i++) {
		const mutu_gp_choice *c =
		    gp->basis == MUTU_BASIS_POOLED ? (i == 0 ? &gp->levels[out->level] : NULL)
		    : out->choice[i] >= 0          ? &gp->members[i].choices[out->choice[i]]
						   : NULL;
		if (!c)
			continue;
		out->etp += c->etp;
		out->objective += c->objective;
		out->aid += c->aid;
	}
	out->cost = gp->cost_per_etp * out->etp;
	out->value = gp->value_per_patient * out->objective;
	out->net = out->aid - out->cost + out->value;
	double u = mutu_split__min_rate(&sv->S, out->etp, out->objective, out->assistant_etp,
					out->patients);
	int rc = split_rc(sv, u);
	if (rc != MUTU_OK || sv->limited)
		return rc;
	if (u < 0) {
		snprintf(sv->err->message, sizeof sv->err->message,
			 "internal: the chosen plan has no split");
		return MUTU_ESOLVER;
	}
	out->max_rate = 0;
	for (size_t i = 0; i < gp->m; i++) {
		out->assistant_etp[i] *= sv->S.w;
		if (gp->members[i].p > 0)
			out->max_rate = fmax(out->max_rate, out->patients[i] / gp->members[i].p);
	}
	*planned = true;
	return MUTU_OK;
}

/* ---- the pooled basis: a level fixes E, T and the aid ---------------- */

typedef struct level_eval {
	bool feasible, rated;
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

/* Whether index i comes before j: larger key, then smaller index. */
static bool before(const double *key, size_t i, size_t j)
{
	return key[i] != key[j] ? key[i] > key[j] : i < j;
}

static void sift_down(size_t *heap, size_t n, size_t at, const double *key)
{
	for (;;) {
		size_t l = 2 * at + 1, best = at;
		if (l < n && before(key, heap[l], heap[best]))
			best = l;
		if (l + 1 < n && before(key, heap[l + 1], heap[best]))
			best = l + 1;
		if (best == at)
			return;
		size_t t = heap[at];
		heap[at] = heap[best];
		heap[best] = t;
		at = best;
	}
}

/* The levels come out of a heap in order, so that a time limit stops
 * the scan without sorting tens of thousands of levels first. */
static size_t heap_pop(size_t *heap, size_t *n, const double *key)
{
	size_t top = heap[0];
	heap[0] = heap[--*n];
	sift_down(heap, *n, 0, key);
	return top;
}

/* Necessary conditions for level `c` to have a plan, from the bounds
 * alone: E <= max_etp_total, the units fit (floor(E / w) <= m x kmax), each member can carry
 * its floor share with all the time it may get, and together they can
 * carry T.  A level failing them needs no split. */
static bool level_may_fit(const split *S, const mutu_gp_choice *c)
{
	const mutu_group_problem *gp = S->gp;
	double units = (double)mutu_split__units(S, c->etp), top = fmin((double)S->kmax, units);
	double total = 0;
	if (c->etp > gp->max_etp_total + 1e-9 || units > (double)gp->m * (double)S->kmax)
		return false;
	for (size_t i = 0; i < gp->m; i++) {
		const mutu_gp_member *mb = &gp->members[i];
		double cap = whole_below(mb->p * (mb->headroom + mb->gain * S->w * top));
		if (mb->max_new >= 0)
			cap = fmin(cap, whole_below(mb->max_new));
		double need =
		    S->floors && gp->floor_share > 0 && S->pg > 0
			? ceil(gp->floor_share * mb->p * c->objective / S->pg - 1 + 1e-6 - 1e-9)
			: 0;
		if (need > cap)
			return false;
		total += cap;
	}
	return total >= c->objective;
}

/* Whether level k has a split under `S`: 1, 0, or < 0 as split.h. */
static int level_fits(const split *S, long k)
{
	const mutu_gp_choice *c = &S->gp->levels[k];
	if (!level_may_fit(S, c))
		return 0;
	return mutu_split__feasible((split *)S, c->etp, c->objective);
}

/* Which constraint leaves a pooled group without a level: the net
 * (patients goal: a level with NET < 0 fits), the floor (a level fits
 * without it), or capacity. */
static int diagnose_levels(solving *sv)
{
	const mutu_group_problem *gp = sv->gp;
	sv->out->status = MUTU_GROUP_NO_CONTRACT;
	sv->out->binding = MUTU_BIND_CAPACITY;
	for (int pass = gp->goal == MUTU_GOAL_PATIENTS ? 0 : 1; pass < 2; pass++) {
		split *S = pass == 0 ? &sv->S : &sv->nofloor;
		for (size_t k = 0; k < gp->nlevels; k++) {
			if (pass == 0 && mutu_gp_choice_net(gp, &gp->levels[k]) >= 0)
				continue;
			if (past_deadline(sv))
				return MUTU_OK;
			int r = level_fits(S, (long)k);
			if (r < 0)
				return split_rc(sv, r);
			if (r) {
				sv->out->binding = pass == 0 ? MUTU_BIND_NET : MUTU_BIND_FLOOR;
				return MUTU_OK;
			}
		}
	}
	return MUTU_OK;
}

/* The rate of level k, computed once. */
static int level_rate(solving *sv, level_eval *ev, long k)
{
	if (ev[k].rated)
		return MUTU_OK;
	const mutu_gp_choice *c = &sv->gp->levels[k];
	double u = mutu_split__min_rate(&sv->S, c->etp, c->objective, NULL, NULL);
	int rc = split_rc(sv, u);
	if (rc != MUTU_OK || sv->limited)
		return rc;
	ev[k].rated = true;
	ev[k].u = u;
	return MUTU_OK;
}

/* The pooled basis (model.md §4 goals): the levels in the order of the
 * first stage's value, the first that has a split gives the optimum; the
 * later stages choose among the levels within the tolerance of it.  (One
 * function of about 90 lines, like solve_sum: the stages share the keys,
 * the order and the evaluations of the levels.) */
static int solve_levels(solving *sv, bool *planned)
{
	const mutu_group_problem *gp = sv->gp;
	bool patients = gp->goal == MUTU_GOAL_PATIENTS;
	size_t n = gp->nlevels;
	double *key = malloc((n + 1) * sizeof *key);
	size_t *order = malloc((n + 1) * sizeof *order);
	level_eval *ev = calloc(n + 1, sizeof *ev);
	int rc = MUTU_OK;
	if (!key || !order || !ev) {
		rc = MUTU_ENOMEM;
		goto cleanup;
	}
	for (size_t k = 0; k < n; k++) {
		double net = mutu_gp_choice_net(gp, &gp->levels[k]);
		order[k] = k;
		/* patients: levels with a negative net are out (NET >= 0). */
		key[k] = patients ? (net >= 0 ? gp->levels[k].objective : -HUGE_VAL) : net;
	}
	for (size_t r = n / 2; r-- > 0;)
		sift_down(order, n, r, key);
	/* Stage 1: the best key among levels with a split, and every level
	 * within the tolerance of it. */
	bool found = false;
	double best = 0;
	for (size_t left = n; left > 0;) {
		size_t k = heap_pop(order, &left, key);
		if (key[k] == -HUGE_VAL || (found && key[k] < best - tol(best)) ||
		    past_deadline(sv))
			break;
		int fits = level_fits(&sv->S, (long)k);
		if (fits < 0) {
			rc = split_rc(sv, fits);
			break;
		}
		ev[k].feasible = fits;
		if (fits && !found) {
			found = true;
			best = key[k];
		}
	}
	if (rc != MUTU_OK)
		goto cleanup;
	if (!found) {
		if (!sv->limited)
			rc = diagnose_levels(sv);
		goto cleanup;
	}
	if (!patients && best < -tol(0)) {
		sv->out->status = MUTU_GROUP_NO_CONTRACT;
		sv->out->binding = MUTU_BIND_NET;
		goto cleanup;
	}
	/* Later stages among the levels kept. */
	long pick = -1;
	double net2 = -HUGE_VAL, u = HUGE_VAL;
	for (size_t k = 0; k < n; k++) {
		if (!ev[k].feasible || key[k] < best - tol(best))
			continue;
		if (patients) {
			net2 = fmax(net2, mutu_gp_choice_net(gp, &gp->levels[k]));
			continue;
		}
		if ((rc = level_rate(sv, ev, (long)k)) != MUTU_OK || sv->limited)
			goto cleanup;
		u = fmin(u, ev[k].u);
	}
	for (size_t k = 0; k < n; k++) {
		if (!ev[k].feasible || key[k] < best - tol(best))
			continue;
		if (patients) {
			if (mutu_gp_choice_net(gp, &gp->levels[k]) < net2 - tol(net2))
				continue;
			if ((rc = level_rate(sv, ev, (long)k)) != MUTU_OK || sv->limited)
				goto cleanup;
			if (pick < 0 || ev[k].u < ev[pick].u)
				pick = (long)k;
		} else if (ev[k].u <= u + tol(u) &&
			   (pick < 0 || gp->levels[k].etp < gp->levels[pick].etp)) {
			pick = (long)k;
		}
	}
	sv->out->level = pick;
	rc = keep_plan(sv, planned);
cleanup:
	free(key);
	free(order);
	free(ev);
	return rc;
}

/* ---- sum_individual: one multiple-choice knapsack per ETP level ------ */

/* Multipliers of the Lagrangian bounds (sum_individual). */
#define LAGRANGE_MAX 20

/* The total ETP E of a sum_individual plan is a sum of option ETPs: few
 * values.  For each, from a dynamic program over members (no split):
 * the largest NET and the largest and least T of the choices summing to
 * exactly E.  These bound each level and order the levels. */
typedef struct etp_levels {
	double *e; /* sorted; e[0] = 0 (no choice) */
	size_t n;
	double *best_net, *best_t, *least_t; /* -HUGE_VAL / HUGE_VAL: none */
	double *net_t;                       /* T of a choice set of best_net (the least) */
	double *t_net;                       /* NET of a choice set of best_t (the largest) */
	double *tmax;                        /* largest T with a split; NAN until computed */
	/* When every option ETP is a multiple of 1 / G: E in steps of 1 / G,
	 * level_of[n] the level of E = n / G (-1 none).  G = 0: no grid. */
	long G, top;
	long *level_of;
	long *unit; /* G > 0: level j's E in units of 1 / G */
	/* Lagrangian bounds on the NET of a level with T <= Tmax: for each
	 * multiplier lambda[q] >= 0, g[q n + j] = max sum (net - lambda t) over
	 * choice sets of level j, so NET <= g + lambda Tmax for every q. */
	double lambda[LAGRANGE_MAX];
	size_t nlambda;
	double *g;
	/* The T and NET of one choice set reaching g[q n + j]: when it fits
	 * (T <= Tmax), a plan, so a lower bound.  h, ht, hn: the same for
	 * max sum (t + mu[q] net) (patients goal: T <= h for NET >= 0). */
	double *gt, *gn, *h, *ht, *hn;
	double mu[LAGRANGE_MAX];
} etp_levels;

static void levels_free(etp_levels *L)
{
	free(L->e);
	free(L->best_net);
	free(L->best_t);
	free(L->least_t);
	free(L->net_t);
	free(L->t_net);
	free(L->tmax);
	free(L->level_of);
	free(L->unit);
	free(L->g);
	free(L->gt);
	free(L->gn);
	free(L->h);
	free(L->ht);
	free(L->hn);
	memset(L, 0, sizeof *L);
}

static int cmp_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Index of `v` in the sorted levels, or -1. */
static long level_index(const etp_levels *L, double v)
{
	size_t a = 0, b = L->n;
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (L->e[mid] < v - 1e-9)
			a = mid + 1;
		else
			b = mid;
	}
	return a < L->n && fabs(L->e[a] - v) <= 1e-9 ? (long)a : -1;
}

/* A choice's ETP in units of the grid (0 when there is none). */
static long choice_units(const etp_levels *L, double etp)
{
	return L->G > 0 ? (long)llround(etp * (double)L->G) : 0;
}

/* The level of E = e[j] + etp (`units`: choice_units of etp), or -1. */
static long level_step(const etp_levels *L, size_t j, double etp, long units)
{
	if (L->G == 0)
		return level_index(L, L->e[j] + etp);
	long n = L->unit[j] + units;
	return n <= L->top ? L->level_of[n] : -1;
}

/* The least G in a short list such that every option ETP is a multiple
 * of 1 / G (to 1e-9), or 0. */
static long etp_grid(const mutu_group_problem *gp)
{
	static const long grids[] = {1, 2, 3, 4, 5, 6, 10, 12, 20, 30, 60, 100};
	for (size_t g = 0; g < sizeof grids / sizeof grids[0]; g++) {
		bool fits = true;
		for (size_t i = 0; fits && i < gp->m; i++)
			for (size_t c = 0; fits && c < gp->members[i].nchoices; c++) {
				double v = gp->members[i].choices[c].etp * (double)grids[g];
				fits = fabs(v - round(v)) <= 1e-9 * fmax(1, v);
			}
		if (fits)
			return grids[g];
	}
	return 0;
}

/* The reachable E on the grid G: one pass per member over a byte map. */
static int levels_on_grid(etp_levels *L, const mutu_group_problem *gp)
{
	L->top = (long)floor(gp->max_etp_total * (double)L->G + 1e-9);
	size_t n = (size_t)L->top + 1;
	unsigned char *reach = calloc(n, 1), *next = calloc(n, 1);
	L->level_of = malloc(n * sizeof *L->level_of);
	if (!reach || !next || !L->level_of) {
		free(reach);
		free(next);
		return MUTU_ENOMEM;
	}
	reach[0] = 1;
	for (size_t i = 0; i < gp->m; i++) {
		memcpy(next, reach, n);
		for (size_t c = 0; c < gp->members[i].nchoices; c++) {
			size_t d = (size_t)llround(gp->members[i].choices[c].etp * (double)L->G);
			for (size_t v = 0; v + d < n; v++)
				next[v + d] |= reach[v];
		}
		unsigned char *t = reach;
		reach = next;
		next = t;
	}
	size_t count = 0;
	for (size_t v = 0; v < n; v++)
		count += reach[v];
	L->e = malloc((count + 1) * sizeof *L->e);
	L->unit = malloc((count + 1) * sizeof *L->unit);
	if (!L->e || !L->unit) {
		free(reach);
		free(next);
		return MUTU_ENOMEM;
	}
	for (size_t v = 0; v < n; v++) {
		L->level_of[v] = reach[v] ? (long)L->n : -1;
		if (reach[v]) {
			L->unit[L->n] = (long)v;
			L->e[L->n++] = (double)v / (double)L->G;
		}
	}
	free(reach);
	free(next);
	return MUTU_OK;
}

/* The multipliers: prices of a committed patient (when T <= Tmax binds)
 * spanning the NET per patient of the options, and the bounds g for each
 * (one dynamic program over members each). */
/* The grids of multipliers: lambda, prices of a committed patient, 0 then
 * geometric from the least NET per patient of the options to twice the
 * largest; mu, patients per euro of NET, spanning the options' t / |net|.
 * Returns 0 or MUTU_ENOMEM. */
static int lagrange_grid(etp_levels *L, const mutu_group_problem *gp)
{
	size_t count = 0;
	for (size_t i = 0; i < gp->m; i++)
		count += gp->members[i].nchoices;
	double *ratio = malloc((count + 1) * sizeof *ratio);
	if (!ratio)
		return MUTU_ENOMEM;
	size_t k = 0;
	for (size_t i = 0; i < gp->m; i++)
		for (size_t c = 0; c < gp->members[i].nchoices; c++) {
			const mutu_gp_choice *ch = &gp->members[i].choices[c];
			double net = mutu_gp_choice_net(gp, ch);
			if (ch->objective > 0 && net > 0)
				ratio[k++] = net / ch->objective;
		}
	qsort(ratio, k, sizeof *ratio, cmp_value);
	/* 0, then a geometric grid from the least ratio to twice the largest:
	 * every level finds a multiplier near its best. */
	L->lambda[L->nlambda++] = 0;
	if (k > 0) {
		double lo = ratio[0], hi = 2 * ratio[k - 1];
		for (size_t q = 0; q < LAGRANGE_MAX - 1; q++)
			L->lambda[L->nlambda++] =
			    lo * pow(hi / lo, (double)q / (double)(LAGRANGE_MAX - 2));
	}
	free(ratio);
	/* mu: the patients per euro of NET, spanning the options' t / |net|. */
	double tlo = HUGE_VAL, thi = 0;
	for (size_t i = 0; i < gp->m; i++)
		for (size_t c = 0; c < gp->members[i].nchoices; c++) {
			const mutu_gp_choice *ch = &gp->members[i].choices[c];
			double net = fabs(mutu_gp_choice_net(gp, ch));
			if (ch->objective > 0 && net > 0) {
				tlo = fmin(tlo, ch->objective / net);
				thi = fmax(thi, ch->objective / net);
			}
		}
	L->mu[0] = 0;
	for (size_t q = 1; q < L->nlambda; q++)
		L->mu[q] =
		    thi > 0
			? 0.5 * tlo * pow(4 * thi / tlo, (double)(q - 1) / (double)(L->nlambda - 1))
			: 0;
	return MUTU_OK;
}

static int lagrange_build(etp_levels *L, const mutu_group_problem *gp)
{
	size_t n = L->n;
	double *old = malloc((n + 1) * sizeof *old);
	L->g = malloc((LAGRANGE_MAX * n + 1) * sizeof *L->g);
	if (!old || !L->g || lagrange_grid(L, gp) != MUTU_OK) {
		free(old);
		return MUTU_ENOMEM;
	}
	L->gt = malloc((LAGRANGE_MAX * n + 1) * sizeof *L->gt);
	L->gn = malloc((LAGRANGE_MAX * n + 1) * sizeof *L->gn);
	L->h = malloc((LAGRANGE_MAX * n + 1) * sizeof *L->h);
	L->ht = malloc((LAGRANGE_MAX * n + 1) * sizeof *L->ht);
	L->hn = malloc((LAGRANGE_MAX * n + 1) * sizeof *L->hn);
	double *ot = malloc((2 * n + 1) * sizeof *ot);
	if (!L->gt || !L->gn || !L->h || !L->ht || !L->hn || !ot) {
		free(old);
		free(ot);
		return MUTU_ENOMEM;
	}
	double *on = ot + n;
	/* The h family (T + mu NET) only serves the patients goal. */
	size_t families = gp->goal == MUTU_GOAL_PATIENTS ? 2 : 1;
	for (size_t q = 0; q < families * L->nlambda; q++) {
		bool is_h = q >= L->nlambda;
		size_t qq = is_h ? q - L->nlambda : q;
		double *g = (is_h ? L->h : L->g) + qq * n;
		double *gt = (is_h ? L->ht : L->gt) + qq * n, *gn = (is_h ? L->hn : L->gn) + qq * n;
		for (size_t j = 0; j < n; j++) {
			g[j] = j == 0 ? 0 : -HUGE_VAL;
			gt[j] = gn[j] = 0;
		}
		for (size_t i = 0; i < gp->m; i++) {
			memcpy(old, g, n * sizeof *old);
			memcpy(ot, gt, n * sizeof *ot);
			memcpy(on, gn, n * sizeof *on);
			for (size_t c = 0; c < gp->members[i].nchoices; c++) {
				const mutu_gp_choice *ch = &gp->members[i].choices[c];
				double net = mutu_gp_choice_net(gp, ch);
				double v = is_h ? ch->objective + L->mu[qq] * net
						: net - L->lambda[qq] * ch->objective;
				long d = choice_units(L, ch->etp);
				for (size_t j = 0; j < n; j++) {
					if (old[j] == -HUGE_VAL)
						continue;
					long to = level_step(L, j, ch->etp, d);
					if (to >= 0 && old[j] + v > g[to]) {
						g[to] = old[j] + v;
						gt[to] = ot[j] + ch->objective;
						gn[to] = on[j] + net;
					}
				}
			}
		}
	}
	free(ot);
	free(old);
	return MUTU_OK;
}

/* The best plan value the Lagrangian sets of level j give with T <= tmax
 * (a lower bound: they are plans), -HUGE_VAL when none fits. */
static double level_lower(const etp_levels *L, size_t j, double tmax, bool patients)
{
	double lb = -HUGE_VAL;
	for (size_t q = 0; q < L->nlambda; q++) {
		size_t k = q * L->n + j;
		if (!patients && L->g[k] > -HUGE_VAL && L->gt[k] <= tmax)
			lb = fmax(lb, L->gn[k]);
		if (patients && L->h[k] > -HUGE_VAL && L->ht[k] <= tmax && L->hn[k] >= 0)
			lb = fmax(lb, L->ht[k]);
	}
	return lb;
}

/* The least Lagrangian bound on T of level j with NET >= 0. */
static double t_bound(const etp_levels *L, size_t j, double tmax)
{
	double b = fmin(tmax, L->best_t[j]);
	for (size_t q = 1; q < L->nlambda; q++)
		b = fmin(b, floor(L->h[q * L->n + j] + 1e-9));
	return b;
}

/* The least Lagrangian bound on the NET of level j with T <= tmax. */
static double net_bound(const etp_levels *L, size_t j, double tmax)
{
	double b = L->best_net[j];
	for (size_t q = 1; q < L->nlambda; q++)
		b = fmin(b, L->g[q * L->n + j] + L->lambda[q] * tmax);
	return b;
}

/* Builds the levels of `gp` up to max_etp_total.  Returns 0 or
 * MUTU_ENOMEM (L holds what to free either way). */
/* The levels E off a grid: every sum of the members' option ETPs up to
 * max_etp_total (0 first), sorted, without repeats.  Returns 0 or
 * MUTU_ENOMEM. */
static int levels_enumerate(etp_levels *L, const mutu_group_problem *gp)
{
	size_t cap = 16;
	if (!L->e)
		L->e = malloc(cap * sizeof *L->e);
	if (!L->e)
		return MUTU_ENOMEM;
	if (L->G == 0)
		L->e[L->n++] = 0;
	double top = gp->max_etp_total + 1e-9;
	for (size_t i = 0; L->G == 0 && i < gp->m; i++) {
		const mutu_gp_member *mb = &gp->members[i];
		size_t n0 = L->n;
		for (size_t c = 0; c < mb->nchoices; c++)
			for (size_t j = 0; j < n0; j++) {
				double v = L->e[j] + mb->choices[c].etp;
				if (v > top)
					continue;
				if (L->n == cap) {
					double *e = realloc(L->e, 2 * cap * sizeof *e);
					if (!e)
						return MUTU_ENOMEM;
					L->e = e;
					cap *= 2;
				}
				L->e[L->n++] = v;
			}
		qsort(L->e, L->n, sizeof *L->e, cmp_value);
		size_t w = 0;
		for (size_t j = 0; j < L->n; j++)
			if (w == 0 || L->e[j] > L->e[w - 1] + 1e-9)
				L->e[w++] = L->e[j];
		L->n = w;
	}
	return MUTU_OK;
}

static int levels_build(etp_levels *L, const mutu_group_problem *gp)
{
	memset(L, 0, sizeof *L);
	L->G = etp_grid(gp);
	if (L->G > 0 && levels_on_grid(L, gp) != MUTU_OK)
		return MUTU_ENOMEM;
	if (levels_enumerate(L, gp) != MUTU_OK)
		return MUTU_ENOMEM;
	size_t n = L->n;
	L->best_net = malloc(n * sizeof *L->best_net);
	L->best_t = malloc(n * sizeof *L->best_t);
	L->least_t = malloc(n * sizeof *L->least_t);
	L->net_t = malloc(n * sizeof *L->net_t);
	L->t_net = malloc(n * sizeof *L->t_net);
	L->tmax = malloc(n * sizeof *L->tmax);
	double *old = malloc(5 * n * sizeof *old);
	if (!L->best_net || !L->best_t || !L->least_t || !L->net_t || !L->t_net || !L->tmax ||
	    !old) {
		free(old);
		return MUTU_ENOMEM;
	}
	for (size_t j = 0; j < n; j++) {
		L->best_net[j] = L->best_t[j] = -HUGE_VAL;
		L->least_t[j] = HUGE_VAL;
		L->tmax[j] = NAN;
	}
	L->best_net[0] = L->best_t[0] = L->least_t[0] = L->net_t[0] = L->t_net[0] = 0;
	for (size_t i = 0; i < gp->m; i++) {
		const mutu_gp_member *mb = &gp->members[i];
		memcpy(old, L->best_net, n * sizeof *old);
		memcpy(old + n, L->best_t, n * sizeof *old);
		memcpy(old + 2 * n, L->least_t, n * sizeof *old);
		memcpy(old + 3 * n, L->net_t, n * sizeof *old);
		memcpy(old + 4 * n, L->t_net, n * sizeof *old);
		for (size_t c = 0; c < mb->nchoices; c++) {
			const mutu_gp_choice *ch = &mb->choices[c];
			double net = mutu_gp_choice_net(gp, ch);
			long d = choice_units(L, ch->etp);
			for (size_t j = 0; j < n; j++) {
				if (old[2 * n + j] == HUGE_VAL)
					continue; /* level j unreachable before member i */
				long to = level_step(L, j, ch->etp, d);
				if (to < 0)
					continue;
				double bn = old[j] + net, bt = old[n + j] + ch->objective;
				double nt = old[3 * n + j] + ch->objective,
				       tn = old[4 * n + j] + net;
				if (bn > L->best_net[to] ||
				    (bn == L->best_net[to] && nt < L->net_t[to])) {
					L->best_net[to] = bn;
					L->net_t[to] = nt;
				}
				if (bt > L->best_t[to] ||
				    (bt == L->best_t[to] && tn > L->t_net[to])) {
					L->best_t[to] = bt;
					L->t_net[to] = tn;
				}
				L->least_t[to] =
				    fmin(L->least_t[to], old[2 * n + j] + ch->objective);
			}
		}
	}
	free(old);
	return lagrange_build(L, gp);
}

/* The largest T with a split at level j (under `S`), computed once per
 * floors setting for `S` = the solve's split; -1 when none. */
static int level_tmax(solving *sv, etp_levels *L, size_t j, split *S, double *t)
{
	if (S == &sv->S && !isnan(L->tmax[j])) {
		*t = L->tmax[j];
		return MUTU_OK;
	}
	/* Tmax grows with E (more assistant time, more capacity; the
	 * floors do not depend on E): the levels already computed bracket it.
	 * The lower end is checked by the split, the upper one here. */
	double known = -1, cap = L->best_t[j];
	for (size_t k = 1; S == &sv->S && k < L->n; k++) {
		if (isnan(L->tmax[k]))
			continue;
		if (k < j)
			known = fmax(known, L->tmax[k]);
		else if (k > j && L->tmax[k] >= 0)
			cap = fmin(cap, L->tmax[k]);
	}
	if (cap < L->best_t[j]) {
		int f = mutu_split__feasible(S, L->e[j], cap + 1);
		*t = -1;
		if (f < 0)
			return split_rc(sv, f);
		cap = f ? L->best_t[j] : cap;
	}
	double v = mutu_split__max_objective_above(S, L->e[j], known, cap);
	int rc = split_rc(sv, v);
	*t = v < 0 ? -1 : v;
	if (rc == MUTU_OK && !sv->limited && S == &sv->S)
		L->tmax[j] = *t;
	return rc;
}

/* One level's choice problem for GLPK: which options the members bring
 * so that their ETP sums to E, their objective is at most tmax (the split
 * exists, split.h), and the rows of the stage. */
typedef struct level_query {
	double etp, tmax;
	double t_min;   /* >= 0: sum t >= t_min */
	double net_min; /* -HUGE_VAL: none */
	expr e;
	bool maximize;
} level_query;

/* Solves `q` with GLPK.  *found says whether it has a solution (optimal,
 * or the best within the time limit: sv->limited is then set), with its
 * value and choices (m values, -1 none).  Returns 0, MUTU_ENOMEM or
 * MUTU_ESOLVER. */
static int level_mip(solving *sv, const level_query *q, bool *found, double *value, long *choice)
{
	const mutu_group_problem *gp = sv->gp;
	model M;
	memset(&M, 0, sizeof M);
	mutu_lp__init(&M.lp);
	M.gp = gp;
	M.member_first = calloc(gp->m + 1, sizeof *M.member_first);
	*found = false;
	if (!M.member_first)
		return MUTU_ENOMEM;
	for (size_t i = 0; i < gp->m; i++) {
		M.member_first[i] = M.lp.ncols;
		for (size_t c = 0; c < gp->members[i].nchoices; c++)
			col(&M, LP_BINARY, 0, 1, "y_%zu_%zu", i + 1, c + 1);
	}
	M.member_first[gp->m] = M.lp.ncols;
	M.nchoice = M.lp.ncols;
	/* §4 sum_individual: at most one notional option per member. */
	for (size_t i = 0; i < gp->m; i++) {
		ones(&M, M.member_first[i], M.member_first[i + 1] - M.member_first[i]);
		row(&M, LP_UPPER, 1, "one_option_%zu", i + 1);
	}
	/* This level: E fixed (E > 0: some option is taken). */
	choice_terms(&M, EXPR_ETP, 1);
	row(&M, LP_FIXED, q->etp, "etp_level");
	/* §4 Allocation and split: T <= the most this E can split. */
	choice_terms(&M, EXPR_PATIENTS, 1);
	row(&M, LP_UPPER, q->tmax, "split_exists");
	/* Patients goal, stage 2: T >= T*, which with T <= tmax and NET >= 0
	 * is T = T* (T* is the largest such T), and easier for GLPK than the
	 * equality. */
	if (q->t_min >= 0) {
		choice_terms(&M, EXPR_PATIENTS, 1);
		row(&M, LP_LOWER, q->t_min, "keep_objective");
	}
	if (q->net_min > -HUGE_VAL) {
		choice_terms(&M, EXPR_NET, 1);
		row(&M, LP_LOWER, q->net_min, "keep_net");
	}
	set_objective(&M, q->e, q->maximize);
	int rc = M.nomem ? MUTU_ENOMEM : MUTU_OK;
	lp_result res = {.x = NULL};
	if (rc == MUTU_OK)
		rc = mutu_lp__solve(&M.lp, ms_left(sv), &res, sv->err);
	if (rc == MUTU_OK) {
		sv->out->nodes += res.nodes;
		sv->limited |= res.status == LP_FEASIBLE || res.status == LP_NO_SOLUTION;
		*found = res.status == LP_OPTIMAL || res.status == LP_FEASIBLE;
	}
	if (*found) {
		*value = 0;
		for (size_t i = 0; i < gp->m; i++) {
			choice[i] = -1;
			for (size_t c = 0; c < gp->members[i].nchoices; c++)
				if (res.x[M.member_first[i] + c] > 0.5) {
					choice[i] = (long)c;
					*value += expr_coef(gp, &gp->members[i].choices[c], q->e);
				}
		}
	}
	free(res.x);
	model_free(&M);
	return rc;
}

/* Level order: decreasing key, then increasing E. */
static size_t *level_order(const etp_levels *L, const double *key)
{
	size_t *order = malloc((L->n + 1) * sizeof *order);
	if (!order)
		return NULL;
	for (size_t j = 0; j < L->n; j++)
		order[j] = j;
	tl_sort_key = key;
	qsort(order, L->n, sizeof *order, cmp_desc);
	return order;
}

/* No plan: the net binds when some level has a split under the patients
 * goal (only NET >= 0 is left), the floor when one has a split without
 * it, else capacity. */
static int diagnose_sum(solving *sv, etp_levels *L)
{
	sv->out->status = MUTU_GROUP_NO_CONTRACT;
	sv->out->binding = MUTU_BIND_CAPACITY;
	for (int pass = sv->gp->goal == MUTU_GOAL_PATIENTS ? 0 : 1; pass < 2; pass++)
		for (size_t j = 1; j < L->n; j++) {
			double t;
			if (past_deadline(sv))
				return MUTU_OK;
			int rc = level_tmax(sv, L, j, pass == 0 ? &sv->S : &sv->nofloor, &t);
			if (rc != MUTU_OK || sv->limited)
				return rc;
			if (t >= L->least_t[j]) {
				sv->out->binding = pass == 0 ? MUTU_BIND_NET : MUTU_BIND_FLOOR;
				return MUTU_OK;
			}
		}
	return MUTU_OK;
}

/* ---- sum_individual by the exact table (table.h) -------------------- */

static long lmax(long a, long b)
{
	return a > b ? a : b;
}

static long lmin(long a, long b)
{
	return a < b ? a : b;
}

/* Stage 3 (patients) or 2 and 3 (net_benefit), on the levels with a
 * stage-2 value val2[j] > -HUGE_VAL (patients: within the tolerance of
 * the best, best2): the least rate of a split of E = e[j] and T (best
 * under patients, -val2[j] under net_benefit), then the least E.  *pick
 * is the level, -1 when none; `rate` has n slots.  Returns 0 or
 * MUTU_ENOMEM (sv->limited may be set). */
static int least_rate(solving *sv, const etp_levels *L, const double *val2, double best,
		      double best2, double *rate, long *pick)
{
	bool patients = sv->gp->goal == MUTU_GOAL_PATIENTS;
	double least = HUGE_VAL;
	*pick = -1;
	for (size_t j = 1; j < L->n; j++) {
		rate[j] = HUGE_VAL;
		if (val2[j] == -HUGE_VAL || (patients && val2[j] < best2 - tol(best2)))
			continue;
		if (past_deadline(sv))
			return MUTU_OK;
		double T = patients ? best : -val2[j];
		double u = mutu_split__min_rate(&sv->S, L->e[j], T, NULL, NULL);
		int rc = split_rc(sv, u);
		if (rc != MUTU_OK || sv->limited)
			return rc;
		rate[j] = u >= 0 ? u : HUGE_VAL;
		least = fmin(least, rate[j]);
	}
	for (size_t j = 1; j < L->n && *pick < 0 && least < HUGE_VAL; j++)
		if (rate[j] <= least + tol(least))
			*pick = (long)j;
	return MUTU_OK;
}

static int no_level_kept(solving *sv)
{
	snprintf(sv->err->message, sizeof sv->err->message,
		 "internal: no level keeps the first stage's optimum");
	return MUTU_ESOLVER;
}

/* Whether the solve ends after stage 1 with value `best`: no level has
 * a plan (diagnose_sum says why, *rc its code) or the best NET is
 * negative (net_benefit). */
static bool stage_one_ends(solving *sv, etp_levels *L, double best, int *rc)
{
	if (best == -HUGE_VAL) {
		*rc = diagnose_sum(sv, L);
		return true;
	}
	if (sv->gp->goal == MUTU_GOAL_NET_BENEFIT && best < -tol(0)) {
		sv->out->status = MUTU_GROUP_NO_CONTRACT;
		sv->out->binding = MUTU_BIND_NET;
		return true;
	}
	return false;
}

/* Whether level j may hold the optimum: it has a split, and its bound
 * ub[j] reaches `lower` (a plan's stage-1 value, -HUGE_VAL none). */
static bool candidate(const etp_levels *L, const double *ub, double lower, size_t j)
{
	return j > 0 && !isnan(L->tmax[j]) && L->tmax[j] >= L->least_t[j] && ub[j] > -HUGE_VAL &&
	       (lower == -HUGE_VAL || ub[j] >= lower - tol(lower));
}

/* Level j's units on the grid. */
static long level_units(const etp_levels *L, size_t j)
{
	return (long)llround(L->e[j] * (double)L->G);
}

/* The largest T level j can split, whole. */
static long level_top(const etp_levels *L, size_t j)
{
	return (long)fmin(whole_below(L->tmax[j]), L->best_t[j]);
}

/* The table's answer: per level, the stage-2 value (val2, -HUGE_VAL
 * none; net_benefit: minus the least T) and the cell it reads (cell). */
typedef struct table_answer {
	double best, best2;
	double *val2;
	long *cell;
} table_answer;

/* An answer with room for n levels; NULL arrays when out of memory. */
static table_answer answer_new(size_t n)
{
	table_answer ta = {-HUGE_VAL, -HUGE_VAL, malloc((n + 1) * sizeof(double)),
			   malloc((n + 1) * sizeof(long))};
	return ta;
}

static void answer_free(table_answer *ta, table *tb, table *like)
{
	mutu_table__free(tb);
	mutu_table__free(like);
	free(ta->val2);
	free(ta->cell);
}

/* Stage 3 on the table's answer, and the plan from the table.  Returns
 * 0, MUTU_ENOMEM or MUTU_ESOLVER. */
static int table_plan(solving *sv, etp_levels *L, const table *tb, table_answer *ta, bool *planned)
{
	double *rate = malloc((L->n + 1) * sizeof *rate);
	if (!rate)
		return MUTU_ENOMEM;
	long pick;
	int rc = least_rate(sv, L, ta->val2, ta->best, ta->best2, rate, &pick);
	free(rate);
	if (rc != MUTU_OK || sv->limited)
		return rc;
	if (pick < 0)
		return no_level_kept(sv);
	mutu_table__choices(tb, level_units(L, (size_t)pick), ta->cell[pick], sv->out->choice);
	return keep_plan(sv, planned);
}

/* Plans the table of `box` at theta (`like`: the same box's table
 * before, for its prices) and, when `exact_t`, narrows it by its bound
 * with T exact where that costs little beside the fill (patients: under
 * net_benefit it costs more than it saves).  Returns 0 or MUTU_ENOMEM;
 * *fits false when it does not fit. */
static int table_ready(const solving *sv, const etp_levels *L, const long box[4], double theta,
		       const table *like, bool exact_t, table *tb, bool *fits)
{
	int rc = mutu_table__plan(tb, sv->gp, L->G, box, theta, like, fits);
	if (rc == MUTU_OK && exact_t && mutu_table__cheap_tighten(tb))
		rc = mutu_table__tighten(tb, fits);
	return rc;
}

/* The thresholds tried in turn: just below the bound first (a table of
 * the few choices that can reach it), twice as far each time (a table's
 * size grows fast with the distance), the last one `last` (below which
 * nothing is needed). */
static double next_theta(double bound, int round, double last)
{
	double theta = bound - 1e-3 * fmax(1, fabs(bound)) * pow(2, round);
	return round >= 10 || theta <= last ? last : theta;
}

/* The threshold after a round whose table found a plan of NET `hint`
 * (-HUGE_VAL: none) but not above its threshold: the optimum is at least
 * `hint`, so a threshold just below it ends the search in one more
 * round, in a table hardly larger than the last one. */
static double theta_after(double theta, double hint)
{
	return hint > -HUGE_VAL ? fmax(theta, hint - 2 * tol(hint) - 1e-6) : theta;
}

/* net_benefit on the table: the largest NET of a level's cells up to its
 * Tmax, then the least T within the tolerance of the best.  A table at
 * theta is exact on every cell of NET >= theta, so the answer holds once
 * the best minus its tolerance is above theta; `lower` is a plan's NET
 * (-HUGE_VAL: none), below which nothing is needed.  *used false: no
 * table fit. */
static int net_by_table(solving *sv, etp_levels *L, const double *ub, double lower, bool *planned,
			bool *used)
{
	size_t n = L->n;
	long box[4] = {LONG_MAX, 0, 0, 0};
	for (size_t j = 1; L->G > 0 && j < n; j++)
		if (candidate(L, ub, lower, j)) {
			box[0] = lmin(box[0], level_units(L, j));
			box[1] = lmax(box[1], level_units(L, j));
			box[3] = lmax(box[3], level_top(L, j));
		}
	*used = false;
	if (box[1] == 0)
		return MUTU_OK; /* no level has a split: solve_sum says why */
	double last = lower > -HUGE_VAL ? lower - 2 * tol(lower) - 1 : -HUGE_VAL;
	table_answer ta = answer_new(n);
	table tb, like;
	memset(&tb, 0, sizeof tb);
	memset(&like, 0, sizeof like);
	bool fits;
	int rc = ta.val2 && ta.cell
		     ? mutu_table__plan(&like, sv->gp, L->G, box, -HUGE_VAL, NULL, &fits)
		     : MUTU_ENOMEM;
	/* A small table is filled whole, without its bound. */
	bool whole = rc == MUTU_OK && fits && like.steps <= TABLE_DIRECT;
	if (rc == MUTU_OK && like.usable && !whole)
		mutu_table__price(&like);
	double hint = -HUGE_VAL;
	for (int round = 0; rc == MUTU_OK && !*used && !past_deadline(sv); round++) {
		double theta =
		    whole ? -HUGE_VAL : theta_after(next_theta(like.bound, round, last), hint);
		mutu_table__free(&tb);
		rc = table_ready(sv, L, box, theta, &like, false, &tb, &fits);
		if (rc == MUTU_OK && fits)
			rc = mutu_table__fill(&tb);
		if (rc != MUTU_OK || !fits)
			break;
		ta.best = -HUGE_VAL;
		for (size_t j = 1; j < n; j++) {
			ta.val2[j] = -HUGE_VAL;
			ta.cell[j] = -1;
			long t0, t1;
			const double *f = candidate(L, ub, lower, j)
					      ? mutu_table__row(&tb, level_units(L, j), &t0, &t1)
					      : NULL;
			for (long t = t0; f && t <= lmin(t1, level_top(L, j)); t++)
				ta.best = fmax(ta.best, f[t - t0]);
		}
		*used = whole || theta == last || ta.best - tol(ta.best) >= theta;
		hint = ta.best;
	}
	if (rc == MUTU_OK && *used) {
		sv->out->table = true;
		if (!stage_one_ends(sv, L, ta.best, &rc)) {
			for (size_t j = 1; j < n; j++) {
				long t0, t1;
				const double *f =
				    candidate(L, ub, lower, j)
					? mutu_table__row(&tb, level_units(L, j), &t0, &t1)
					: NULL;
				for (long t = t0;
				     f && ta.cell[j] < 0 && t <= lmin(t1, level_top(L, j)); t++)
					if (f[t - t0] >= ta.best - tol(ta.best)) {
						ta.cell[j] = t;
						ta.val2[j] = -(double)t;
					}
			}
			rc = table_plan(sv, L, &tb, &ta, planned);
		}
	}
	answer_free(&ta, &tb, &like);
	return rc;
}

/* The window [box[2], box[3]] of T tried by patients_by_table, and the
 * units of the candidate levels that can split its least T. */
static bool patients_box(const etp_levels *L, const double *ub, double lower, long lo, long hi,
			 long box[4])
{
	box[0] = LONG_MAX;
	box[1] = 0;
	box[2] = lo;
	box[3] = hi;
	for (size_t j = 1; j < L->n; j++)
		if (candidate(L, ub, lower, j) && level_top(L, j) >= lo) {
			box[0] = lmin(box[0], level_units(L, j));
			box[1] = lmax(box[1], level_units(L, j));
		}
	return box[1] > 0;
}

/* T* in the table at T = box[2] .. box[3], from the top: the first T
 * where a level's cell has NET >= 0; its cells are stage 2. */
static bool patients_scan(const etp_levels *L, const double *ub, double lower, const table *tb,
			  table_answer *ta)
{
	for (long t = tb->box[3]; t >= tb->box[2]; t--) {
		ta->best2 = -HUGE_VAL;
		for (size_t j = 1; j < L->n; j++) {
			bool in = candidate(L, ub, lower, j) && level_top(L, j) >= t;
			double f = in ? mutu_table__at(tb, level_units(L, j), t) : -HUGE_VAL;
			ta->val2[j] = f >= -tol(0) ? f : -HUGE_VAL;
			ta->cell[j] = t;
			ta->best2 = fmax(ta->best2, ta->val2[j]);
		}
		if (ta->best2 > -HUGE_VAL) {
			ta->best = (double)t;
			return true;
		}
	}
	return false;
}

/* What patients_by_table carries from one window of T to the next. */
typedef struct patients_walk {
	solving *sv;
	etp_levels *L;
	const double *ub;
	double lower;
	table tb, like; /* tb: the table holding T*, once found */
	table_answer ta;
	bool found, fits;
	bool unreached; /* the last window, one T, is not reached at all */
	bool priced;    /* lambda, mu: the prices of the last window's bound */
	double lambda, mu;
} patients_walk;

/* Whether some candidate level that splits T = t reaches (E, t) in the
 * reach map of `span`. */
static bool reached_at(const patients_walk *pw, const table *span, const unsigned char *map, long t)
{
	for (size_t j = 1; j < pw->L->n; j++)
		if (candidate(pw->L, pw->ub, pw->lower, j) && level_top(pw->L, j) >= t &&
		    mutu_table__reached(span, map, level_units(pw->L, j), t))
			return true;
	return false;
}

/* Whether the one T of pw->like's box is reached at all by its kept
 * choices (those of the plans of NET >= 0). */
static int like_reached(patients_walk *pw, bool *reached)
{
	unsigned char *map;
	int rc = mutu_table__reach(&pw->like, &map);
	*reached = rc != MUTU_OK || reached_at(pw, &pw->like, map, pw->like.box[2]);
	free(map);
	return rc;
}

/* A window of one T whose table at NET >= 0 is not small (pw->like,
 * planned only): the tables of the thresholds theta of next_theta, each
 * exact on its cells of NET >= theta, until one has a cell at T within
 * the tolerance of its best above theta.  Before the first of them that
 * is not small (or after two without a cell at T), whether T is reached
 * at all, when that costs little (a reach map of pw->like, an eighth of
 * its fill): *unreached, T has no plan.  pw->found: T is T* (the windows above have no plan) and
 * pw->tb holds stage 2; pw->fits false: no threshold's table fits. */
static int patients_ladder(patients_walk *pw, bool *unreached)
{
	int rc = MUTU_OK;
	double hint = -HUGE_VAL;
	bool checked = false;
	int misses = 0; /* rounds in a row without a cell at T */
	const table *like = &pw->like;
	pw->found = pw->fits = *unreached = false;
	for (int round = 0; round < 10 && rc == MUTU_OK && !pw->found && !past_deadline(pw->sv);
	     round++) {
		double theta = theta_after(next_theta(like->bound, round, -tol(0)), hint);
		if (theta <= -tol(0))
			break; /* that one is `like` */
		mutu_table__free(&pw->tb);
		rc = table_ready(pw->sv, pw->L, like->box, theta, like, true, &pw->tb, &pw->fits);
		if (rc != MUTU_OK || !pw->fits)
			break;
		/* Whether T is reached at all, once the rounds grow costly or two
		 * found no cell at T (as at a T no choices reach), and when the
		 * map costs no more than this round or 2 M byte steps. */
		size_t map_steps = like->steps / 8, round_steps = pw->tb.steps;
		bool doubt = round_steps > TABLE_SMALL || misses >= 2;
		if (!checked && doubt &&
		    (map_steps <= round_steps || map_steps <= 2 * TABLE_SMALL)) {
			bool reached;
			checked = true;
			if ((rc = like_reached(pw, &reached)) != MUTU_OK || !reached) {
				*unreached = !reached;
				break;
			}
		}
		if ((rc = mutu_table__fill(&pw->tb)) != MUTU_OK)
			break;
		bool some = patients_scan(pw->L, pw->ub, pw->lower, &pw->tb, &pw->ta);
		pw->found = some && pw->ta.best2 - tol(pw->ta.best2) >= theta;
		hint = some ? pw->ta.best2 : -HUGE_VAL;
		misses = some ? 0 : misses + 1;
	}
	return rc;
}

/* Whether the last window's prices already bound the NET of every plan
 * of `box` below 0 (a valid bound at any prices, and a window next to the
 * last one is often settled so, without a search of its own). */
static int priced_out(patients_walk *pw, const long box[4], bool *out)
{
	table prices, probe;
	memset(&prices, 0, sizeof prices);
	prices.lambda = pw->lambda;
	prices.mu = pw->mu;
	bool fits;
	*out = false;
	if (!pw->priced)
		return MUTU_OK;
	int rc = mutu_table__plan(&probe, pw->sv->gp, pw->L->G, box, -HUGE_VAL, &prices, &fits);
	*out = rc == MUTU_OK && probe.usable && probe.bound < -tol(0);
	mutu_table__free(&probe);
	return rc;
}

/* The window's table at NET >= 0 narrowed by its bound with T exact,
 * once and where that costs little; *none: no plan of NET >= 0 (then
 * pw->fits is true).  Returns 0 or MUTU_ENOMEM. */
static int tighten_like(patients_walk *pw, bool *none)
{
	int rc = MUTU_OK;
	*none = false;
	if (!pw->like.tight && mutu_table__cheap_tighten(&pw->like)) {
		rc = mutu_table__tighten(&pw->like, &pw->fits);
		*none = rc == MUTU_OK && pw->like.bound < -tol(0);
		pw->fits = pw->fits || *none;
	}
	return rc;
}

/* The window [lo, hi] of T: its table at NET >= 0 when its bound is not
 * below 0 (else the window has no plan; *want_map when a reach map of
 * map_steps (0: none to make) costs less than the table), narrowed by
 * the bound with T exact (tighten_like), filled at once up to
 * TABLE_QUICK steps (TABLE_SMALL for one T); beyond, *narrow asks for
 * the window one T wide first (at once beyond TABLE_WIDE), and a window
 * of one T tries the thresholds above 0 first (patients_ladder).  Sets
 * pw->found, pw->fits, pw->unreached.  Returns 0 or MUTU_ENOMEM. */
static int patients_window(patients_walk *pw, long lo, long hi, size_t map_steps, bool *narrow,
			   bool *want_map)
{
	long box[4];
	int rc = MUTU_OK;
	bool out = false;
	*narrow = *want_map = pw->unreached = false;
	pw->fits = true;
	mutu_table__free(&pw->tb);
	mutu_table__free(&pw->like);
	if (!patients_box(pw->L, pw->ub, pw->lower, lo, hi, box) ||
	    (rc = priced_out(pw, box, &out)) != MUTU_OK || out)
		return rc; /* no plan with T in the window */
	if ((rc = mutu_table__plan(&pw->like, pw->sv->gp, pw->L->G, box, -tol(0), NULL,
				   &pw->fits)) == MUTU_OK) {
		pw->priced = pw->like.usable;
		pw->lambda = pw->like.lambda;
		pw->mu = pw->like.mu;
	}
	if (rc != MUTU_OK || pw->like.bound < -tol(0)) {
		pw->fits = true; /* no plan with T in the window */
		return rc;
	}
	if (!pw->like.usable) {
		pw->fits = false;
		return MUTU_OK;
	}
	if (map_steps > 0 && map_steps < pw->like.steps) {
		*want_map = true; /* cheaper than this window's table */
		pw->fits = true;
		return MUTU_OK;
	}
	/* The bound with T exact, unless the window is tried one T wide. */
	if (lo < hi && pw->like.steps > TABLE_WIDE) {
		*narrow = true;
		pw->fits = true;
		return MUTU_OK;
	}
	/* The bound with T exact where it costs little beside a fill to come
	 * (a window of one T first tries the thresholds, whose own tables
	 * are narrowed so). */
	bool ladder = lo == hi && (!pw->fits || pw->like.steps > TABLE_SMALL);
	bool none = false;
	if (!ladder && (rc = tighten_like(pw, &none)) != MUTU_OK)
		return rc;
	if (none)
		return MUTU_OK; /* no plan with T in the window */
	if (lo < hi && (!pw->fits || pw->like.steps > TABLE_QUICK)) {
		*narrow = true;
		pw->fits = true;
		return MUTU_OK;
	}
	/* The ladder's thresholds from the bound with T exact, when small
	 * (where T is fixed the Lagrangian bound can be a few per cent above
	 * the optimum, this one a few euros). */
	if (ladder && pw->like.tsteps <= 12 * TABLE_SMALL &&
	    ((rc = mutu_table__t_bound(&pw->like)) != MUTU_OK || pw->like.bound < -tol(0))) {
		pw->fits = true; /* no plan at that T */
		return rc;
	}
	if (ladder && (rc = patients_ladder(pw, &pw->unreached)) == MUTU_OK && pw->unreached)
		pw->fits = true; /* no plan at that T */
	if (rc == MUTU_OK && !pw->found && !pw->unreached &&
	    (!ladder || pw->like.steps <= TABLE_STEPS)) {
		mutu_table__free(&pw->tb);
		if ((rc = tighten_like(pw, &none)) != MUTU_OK || none)
			return rc;
		pw->fits = pw->like.bytes <= TABLE_BYTES && pw->like.steps <= TABLE_STEPS;
		if (pw->fits && (rc = mutu_table__fill(&pw->like)) == MUTU_OK)
			pw->found = patients_scan(pw->L, pw->ub, pw->lower, &pw->like, &pw->ta);
		if (pw->found) {
			pw->tb = pw->like;
			memset(&pw->like, 0, sizeof pw->like);
		}
	}
	return rc;
}

/* patients on the table, T from the largest a candidate level splits
 * down to `lower` (a plan's T, or 0).  A small table of the whole span is
 * filled at once.  Otherwise windows of T 1, 2, 4 ... wide, each by
 * patients_window, whose table leaves out the choices of no plan of NET
 * >= 0 with T in the window, so that it is exact on every cell of NET >=
 * 0 (a window whose bound is below 0 has no plan and is not filled): the
 * first window with such a cell holds T*, its cells stage 2.  Each window
 * starts at the largest T that some choices reach at all (a reach map of
 * the span, a byte per cell: where the split binds, T* is the largest
 * such T).  *used false: no table fit. */
static int patients_by_table(solving *sv, etp_levels *L, const double *ub, double lower,
			     bool *planned, bool *used)
{
	long top = -1;
	*used = false;
	for (size_t j = 1; L->G > 0 && j < L->n; j++)
		if (candidate(L, ub, lower, j))
			top = lmax(top, level_top(L, j));
	if (top < 0)
		return MUTU_OK; /* no level has a split: solve_sum says why */
	long bottom = lower > 0 ? (long)ceil(lower - 1e-6) : 0;
	patients_walk pw = {
	    .sv = sv, .L = L, .ub = ub, .lower = lower, .ta = answer_new(L->n), .fits = true};
	int rc = pw.ta.val2 && pw.ta.cell ? MUTU_OK : MUTU_ENOMEM;
	bool whole = false, narrow = false, fits = true;
	long span[4];
	table all;
	memset(&all, 0, sizeof all);
	unsigned char *map = NULL;
	if (rc == MUTU_OK && patients_box(L, ub, lower, bottom, top, span) &&
	    (rc = mutu_table__plan(&all, sv->gp, L->G, span, -HUGE_VAL, NULL, &fits)) == MUTU_OK &&
	    fits && all.steps <= TABLE_DIRECT && (rc = mutu_table__fill(&all)) == MUTU_OK) {
		whole = true;
		pw.found = patients_scan(L, ub, lower, &all, &pw.ta);
		pw.tb = all;
		memset(&all, 0, sizeof all);
	}
	bool mappable = rc == MUTU_OK && fits && all.usable && !whole;
	for (long hi = top, w = 1; !whole && rc == MUTU_OK && pw.fits && !pw.found &&
				   hi >= bottom && !past_deadline(sv);) {
		while (map && hi >= bottom && !reached_at(&pw, &all, map, hi))
			hi--; /* no choices reach that T at all */
		if (hi < bottom)
			break;
		long lo = lmax(bottom, hi - w + 1);
		bool want_map;
		size_t map_steps = mappable && !map && hi < top ? all.steps / 8 + 1 : 0;
		rc = patients_window(&pw, lo, hi, map_steps, &narrow, &want_map);
		if (rc == MUTU_OK && want_map) {
			/* From now on each window starts at a T some choices reach. */
			rc = mutu_table__reach(&all, &map);
			continue;
		}
		if (rc == MUTU_OK && narrow) {
			w = 1; /* again, one T wide */
			continue;
		}
		hi = lo - 1;
		w = pw.unreached ? 1 : 2 * w; /* the next T often has a plan far above 0 */
	}
	if (rc == MUTU_OK && pw.fits && !sv->limited &&
	    (pw.found || whole || map || lower == -HUGE_VAL)) {
		*used = sv->out->table = true;
		if (!stage_one_ends(sv, L, pw.found ? pw.ta.best : -HUGE_VAL, &rc))
			rc = table_plan(sv, L, &pw.tb, &pw.ta, planned);
	}
	free(map);
	mutu_table__free(&all);
	answer_free(&pw.ta, &pw.tb, &pw.like);
	return rc;
}

/* sum_individual (model.md §4 "Solving"), level by level: a first pass
 * bounds every level that may hold the optimum (its split's Tmax, the
 * Lagrangian bounds, the plans they find); then the exact table decides
 * all three stages where it fits (net_by_table, patients_by_table), else
 * GLPK solves the levels in decreasing bound while one may beat the best
 * found, a level's bound deciding it when its own choices have a split.
 * Every stage goes the same way; `choice` gets the plan. */
/* (One function for the three stages, about 150 lines: each stage reads
 * and narrows the per-level values, bounds and order the earlier ones
 * left, which separate functions would pass as half a dozen arrays.) */
static int solve_sum(solving *sv, bool *planned)
{
	const mutu_group_problem *gp = sv->gp;
	bool patients = gp->goal == MUTU_GOAL_PATIENTS;
	double lower = -HUGE_VAL;
	bool used = false;
	etp_levels L;
	int rc = levels_build(&L, gp);
	size_t n = L.n;
	double *val = malloc((n + 1) * sizeof *val); /* stage value per level */
	double *ub = malloc((n + 1) * sizeof *ub);   /* bound on the stage-1 value */
	/* GLPK's path only (allocated after the table declined). */
	double *val2 = NULL;  /* stage-2 value per level */
	long *choices = NULL; /* each level's stage-2 plan */
	long *tmp = NULL;
	size_t *order = NULL;
	if (rc == MUTU_OK && (!val || !ub))
		rc = MUTU_ENOMEM;
	if (rc != MUTU_OK)
		goto cleanup;
	for (size_t j = 0; j < n; j++)
		val[j] = ub[j] = -HUGE_VAL;
	/* Stage 1: max NET (net_benefit) or max T with NET >= 0 (patients).
	 * First every level's bound with its largest T (the choices of the
	 * dynamic program decide the level when they fit), then GLPK on the
	 * levels in decreasing bound while one may beat the best found. */
	/* The levels go in decreasing bound without the split (the dynamic
	 * program's), and stop once that bound cannot reach a plan found:
	 * the split of the levels left out is never computed. */
	double best = -HUGE_VAL, inc = -HUGE_VAL; /* inc: a plan's value, not yet proven */
	const double *key = patients ? L.best_t : L.best_net;
	size_t *first = rc == MUTU_OK ? level_order(&L, key) : NULL;
	if (!first)
		rc = MUTU_ENOMEM;
	for (size_t r = 0; first && r < n; r++) {
		size_t j = first[r];
		double reach = fmax(best, inc);
		if (j == 0 || key[j] == -HUGE_VAL)
			continue;
		if (reach > -HUGE_VAL && key[j] < reach - tol(reach))
			break;
		if (past_deadline(sv))
			break;
		double t;
		if ((rc = level_tmax(sv, &L, j, &sv->S, &t)) != MUTU_OK || sv->limited)
			break;
		if (t < L.least_t[j])
			continue;
		if (!patients && L.net_t[j] <= t) {
			ub[j] = val[j] = L.best_net[j];
		} else if (patients && L.t_net[j] >= 0 && L.best_t[j] <= t) {
			ub[j] = val[j] = L.best_t[j];
		} else {
			/* A plan of the Lagrangian sets reaching the bound decides
			 * the level (T whole: within 1 under patients). */
			ub[j] = patients ? t_bound(&L, j, t) : net_bound(&L, j, t);
			double lb = level_lower(&L, j, t, patients);
			if (lb > -HUGE_VAL && lb >= ub[j] - 1e-9 * fmax(1, fabs(ub[j])))
				ub[j] = val[j] = lb;
			inc = fmax(inc, lb);
		}
		best = fmax(best, val[j]);
	}
	free(first);
	/* The exact table where it fits, else GLPK's level MIPs. */
	lower = fmax(best, inc);
	if (rc == MUTU_OK && !sv->limited && !sv->mip_only) {
		rc = patients ? patients_by_table(sv, &L, ub, lower, planned, &used)
			      : net_by_table(sv, &L, ub, lower, planned, &used);
		if (rc != MUTU_OK || used)
			goto cleanup;
	}
	val2 = malloc((n + 1) * sizeof *val2);
	choices = malloc((n * gp->m + 1) * sizeof *choices);
	tmp = malloc((gp->m + 1) * sizeof *tmp);
	if (rc == MUTU_OK && (!val2 || !choices || !tmp))
		rc = MUTU_ENOMEM;
	for (size_t j = 0; val2 && j < n; j++)
		val2[j] = -HUGE_VAL;
	order = rc == MUTU_OK && !sv->limited ? level_order(&L, ub) : NULL;
	if (rc == MUTU_OK && !sv->limited && !order)
		rc = MUTU_ENOMEM;
	for (size_t r = 0; order && r < n; r++) {
		size_t j = order[r];
		if (j == 0 || val[j] > -HUGE_VAL)
			continue;
		if (ub[j] == -HUGE_VAL || ub[j] <= fmax(best, inc) || past_deadline(sv))
			break;
		level_query q = {L.e[j],
				 L.tmax[j],
				 -1,
				 patients ? 0 : -HUGE_VAL,
				 patients ? EXPR_PATIENTS : EXPR_NET,
				 true};
		bool found;
		double v;
		if ((rc = level_mip(sv, &q, &found, &v, tmp)) != MUTU_OK)
			break;
		if (found)
			val[j] = v;
		best = fmax(best, val[j]);
	}
	/* (No order: the time limit cut the first pass, so no level was
	 * solved by GLPK and stage 2 cannot start.) */
	if (rc != MUTU_OK || !order || (sv->limited && best == -HUGE_VAL))
		goto cleanup;
	if (stage_one_ends(sv, &L, best, &rc))
		goto cleanup;
	/* Stage 2.  net_benefit: the least T of a plan within the tolerance
	 * of the best NET, per level (the least rate grows with T); patients:
	 * the largest NET with T = T*, per level.  Levels whose bound misses
	 * the first stage are out. */
	double best2 = -HUGE_VAL;
	for (size_t r = 0; r < n && rc == MUTU_OK; r++) {
		size_t j = order[r];
		if (j == 0)
			continue;
		if (ub[j] < best - tol(best) || past_deadline(sv))
			break;
		double t = L.tmax[j];
		if (t < L.least_t[j] || (patients && t < best) ||
		    (patients && net_bound(&L, j, t) < best2 - tol(best2)))
			continue;
		if (!isinf(val[j]) && val[j] < best - tol(best))
			continue;
		level_query q = {L.e[j],
				 t,
				 patients ? best : -1,
				 patients ? 0 : best - tol(best),
				 patients ? EXPR_NET : EXPR_PATIENTS,
				 patients};
		bool found;
		double v;
		if ((rc = level_mip(sv, &q, &found, &v, choices + j * gp->m)) != MUTU_OK)
			break;
		if (found) {
			val2[j] = patients ? v : -v; /* net_benefit: the larger -T the better */
			best2 = fmax(best2, patients ? v : 0);
		}
	}
	if (rc != MUTU_OK || sv->limited)
		goto cleanup;
	/* Stage 3 (patients) or 2 and 3 (net_benefit). */
	long pick;
	if ((rc = least_rate(sv, &L, val2, best, best2, val, &pick)) != MUTU_OK || sv->limited)
		goto cleanup;
	if (pick < 0) {
		rc = no_level_kept(sv);
		goto cleanup;
	}
	memcpy(sv->out->choice, choices + (size_t)pick * gp->m, gp->m * sizeof *choices);
	rc = keep_plan(sv, planned);
cleanup:
	free(order);
	free(val);
	free(val2);
	free(ub);
	free(choices);
	free(tmp);
	levels_free(&L);
	return rc;
}

int mutu_group_solve(mutu_group_solution *out, const mutu_group_problem *gp,
		     const mutu_solve_options *opts, mutu_error *err)
{
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
	solving sv = {.gp = gp, .out = out, .err = err};
	if (opts && opts->time_limit_ms > 0)
		sv.deadline = t0 + opts->time_limit_ms / 1e3;
	sv.mip_only = opts && opts->mip_only;
	mutu_split__init(&sv.S, gp, true);
	mutu_split__init(&sv.nofloor, gp, false);
	sv.S.deadline = sv.nofloor.deadline = sv.deadline;
	out->status = MUTU_GROUP_OPTIMAL;
	bool planned = false;
	int rc =
	    gp->basis == MUTU_BASIS_POOLED ? solve_levels(&sv, &planned) : solve_sum(&sv, &planned);
	if (sv.limited && out->status == MUTU_GROUP_OPTIMAL)
		out->status = MUTU_GROUP_TIME_LIMIT;
	mutu_split__free(&sv.S);
	mutu_split__free(&sv.nofloor);
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
	mutu_sb__printf(&sb, "y_i_c / z_n: choice taken; k_i: units of assistant time (a_i = w "
			     "k_i); x_i: new patients;"
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

/* The stage-1 model of `gp` to `to` (`path`: the file to open first,
 * once the model is built; NULL: `to` is the caller's stream). */
static int export_model(const mutu_group_problem *gp, const char *const *member_ids,
			const char *const *option_ids, bool lp_fmt, const char *path, FILE *to,
			mutu_error *err)
{
	bool patients = gp->goal == MUTU_GOAL_PATIENTS;
	model M;
	int rc = build(&M, gp, &(model_opts){.floors = true, .net_row = patients});
	char *map = rc == MUTU_OK ? name_map(gp, member_ids, option_ids) : NULL;
	if (rc == MUTU_OK && !map)
		rc = MUTU_ENOMEM;
	if (rc == MUTU_OK && path && !(to = fopen(path, "wb"))) {
		snprintf(err->message, sizeof err->message, "cannot write %s: %s", path,
			 strerror(errno));
		rc = MUTU_EIO;
	}
	if (rc == MUTU_OK) {
		set_objective(&M, patients ? EXPR_PATIENTS : EXPR_NET, true);
		rc = mutu_lp__write(&M.lp, lp_fmt, map, to, path, err);
	}
	if (path && to && fclose(to) != 0 && rc == MUTU_OK) {
		snprintf(err->message, sizeof err->message, "cannot write %s: %s", path,
			 strerror(errno));
		rc = MUTU_EIO;
	}
	free(map);
	model_free(&M);
	return rc;
}

int mutu_group_export(const mutu_group_problem *gp, const char *const *member_ids,
		      const char *const *option_ids, bool lp_fmt, const char *path, mutu_error *err)
{
	return export_model(gp, member_ids, option_ids, lp_fmt, path, NULL, err);
}

int mutu_group_export_stream(const mutu_group_problem *gp, const char *const *member_ids,
			     const char *const *option_ids, bool lp, FILE *out, mutu_error *err)
{
	return export_model(gp, member_ids, option_ids, lp, NULL, out, err);
}

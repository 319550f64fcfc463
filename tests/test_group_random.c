/* Tests of mutu_group_solve (model.md §4) against an independent brute
 * force (bruteforce.c): hand-computed cases, a few thousand random small
 * problems, and properties that any correct optimiser has (member order
 * does not matter, a looser ETP cap never hurts, pooling never does worse
 * than the members' individual contracts).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bruteforce.h"
#include "problems.h"
#include "mutu/group.h"

#define SEED 0x6d7574752d677270ULL /* "mutu-grp" */
#define NRANDOM 2400
#define NPROPERTY 300
#ifndef MAX_REPORTS
#define MAX_REPORTS 5 /* failures printed in full per test; -DMAX_REPORTS=n for more */
#endif

/* ---- comparing numbers ------------------------------------------------ */

/* Stage values agree to 1e-6 relative, with an absolute floor. */
static int close_to(double a, double b)
{
	return fabs(a - b) <= 1e-6 * fmax(1.0, fmax(fabs(a), fabs(b))) + 1e-7;
}

/* Slack allowed on a constraint of the returned plan. */
static double slack(double v)
{
	return 1e-6 * fmax(1.0, fabs(v));
}

/* ---- problems --------------------------------------------------------- */

/* Frees what pb_gen_small (or permuted) allocated; the same layout as
 * mutu_group_problem_free expects, but not relying on it. */
static void problem_release(mutu_group_problem *gp, int own_choices)
{
	if (own_choices)
		for (size_t i = 0; i < gp->m; i++)
			free(gp->members[i].choices);
	free(gp->members);
	free(gp->levels);
	gp->members = NULL;
	gp->levels = NULL;
}

/* A copy of `gp` with its members in the order `perm`; the choices are
 * shared with `gp`, the levels copied.  Free with problem_release(out, 0)
 * before `gp` is freed. */
static void permuted(mutu_group_problem *out, const mutu_group_problem *gp, const size_t *perm)
{
	*out = *gp;
	out->members = calloc(gp->m, sizeof(*out->members));
	assert_non_null(out->members);
	for (size_t i = 0; i < gp->m; i++)
		out->members[i] = gp->members[perm[i]];
	out->levels = NULL;
	if (gp->nlevels > 0) {
		out->levels = calloc(gp->nlevels, sizeof(*out->levels));
		assert_non_null(out->levels);
		memcpy(out->levels, gp->levels, gp->nlevels * sizeof(*gp->levels));
	}
}

static const char *basis_name(mutu_basis b)
{
	return b == MUTU_BASIS_POOLED ? "MUTU_BASIS_POOLED" : "MUTU_BASIS_SUM_INDIVIDUAL";
}

static const char *goal_name(mutu_goal g)
{
	return g == MUTU_GOAL_PATIENTS ? "MUTU_GOAL_PATIENTS" : "MUTU_GOAL_NET_BENEFIT";
}

static void print_choices(const char *name, const mutu_gp_choice *cs, size_t n)
{
	print_message("\tmutu_gp_choice %s[] = {", name);
	for (size_t c = 0; c < n; c++)
		print_message("%s{%.17g, %.17g, %.17g, %ld}", c > 0 ? ", " : "", cs[c].etp,
			      cs[c].objective, cs[c].aid, cs[c].option);
	print_message("%s};\n", n == 0 ? "{0, 0, 0, -1}" : "");
}

/* Prints `gp` as C that rebuilds it, so a failure can be replayed. */
static void print_problem(const mutu_group_problem *gp, const char *label)
{
	char name[32];
	print_message("/* %s */\n", label);
	for (size_t i = 0; i < gp->m && gp->basis == MUTU_BASIS_SUM_INDIVIDUAL; i++) {
		snprintf(name, sizeof(name), "c%zu", i);
		print_choices(name, gp->members[i].choices, gp->members[i].nchoices);
	}
	if (gp->basis == MUTU_BASIS_POOLED)
		print_choices("lv", gp->levels, gp->nlevels);
	print_message("\tmutu_gp_member mb[] = {\n");
	for (size_t i = 0; i < gp->m; i++) {
		const mutu_gp_member *mb = &gp->members[i];
		if (gp->basis == MUTU_BASIS_SUM_INDIVIDUAL)
			snprintf(name, sizeof(name), "c%zu, %zu", i, mb->nchoices);
		else
			snprintf(name, sizeof(name), "NULL, 0");
		print_message("\t\t{%.17g, %.17g, %.17g, %.17g, %s},\n", mb->p, mb->headroom,
			      mb->gain, mb->max_new, name);
	}
	print_message("\t};\n");
	print_message("\tmutu_group_problem gp = {%s, %s, %zu, mb, %s, %zu,\n"
		      "\t\t%.17g, %.17g, %.17g, %.17g, %.17g, %.17g};\n",
		      basis_name(gp->basis), goal_name(gp->goal), gp->m,
		      gp->basis == MUTU_BASIS_POOLED ? "lv" : "NULL", gp->nlevels, gp->cost_per_etp,
		      gp->value_per_patient, gp->floor_share, gp->max_etp_per_doctor,
		      gp->max_etp_total, gp->etp_unit);
}

static void print_solution(const mutu_group_problem *gp, const mutu_group_solution *s)
{
	print_message(
	    "solver: status %d net %.17g max_rate %.17g etp %.17g objective %.17g level %ld\n",
	    (int)s->status, s->net, s->max_rate, s->etp, s->objective, s->level);
	for (size_t i = 0; i < gp->m && s->assistant_etp != NULL && s->patients != NULL; i++)
		print_message("  member %zu: choice %ld a %.17g x %.17g\n", i,
			      s->choice != NULL ? s->choice[i] : -2L, s->assistant_etp[i],
			      s->patients[i]);
}

static void print_bf(const mutu_group_problem *gp, const bf_result *b)
{
	print_message(
	    "brute:  status %d net %.17g max_rate %.17g etp %.17g objective %.17g level %ld"
	    " (%lu combinations, %lu feasible)\n",
	    b->status, b->net, b->max_rate, b->etp, b->objective, b->level, b->combos, b->feasible);
	for (size_t i = 0; i < gp->m && b->status == BF_CONTRACT; i++)
		print_message("  member %zu: choice %ld a %.17g x %.17g\n", i, b->choice[i],
			      b->a[i], b->x[i]);
}

/* ---- checking one answer ---------------------------------------------- */

static int solve_by(mutu_group_solution *sol, const mutu_group_problem *gp, bool mip_only)
{
	mutu_solve_options opts = {.goal = gp->goal, .time_limit_ms = 0, .mip_only = mip_only};
	mutu_error err;
	memset(&err, 0, sizeof(err));
	memset(sol, 0, sizeof(*sol));
	int rc = mutu_group_solve(sol, gp, &opts, &err);
	if (rc != 0)
		print_message("mutu_group_solve returned %d: %s\n", rc, err.message);
	return rc;
}

static int solve(mutu_group_solution *sol, const mutu_group_problem *gp)
{
	return solve_by(sol, gp, false);
}

static int is_contract(const mutu_group_solution *sol)
{
	return sol->status == MUTU_GROUP_OPTIMAL;
}

static int stages_agree(int contract_a, const double a[3], int contract_b, const double b[3])
{
	if (contract_a != contract_b)
		return 0;
	return !contract_a ||
	       (close_to(a[0], b[0]) && close_to(a[1], b[1]) && close_to(a[2], b[2]));
}

/* The stage values of the goal, in order (model.md §4 "Goals"):
 * net_benefit (net, u, E), patients (T, net, u). */
static void stage_values(const mutu_group_problem *gp, double net, double u, double etp,
			 double objective, double v[3])
{
	if (gp->goal == MUTU_GOAL_NET_BENEFIT) {
		v[0] = net;
		v[1] = u;
		v[2] = etp;
	} else {
		v[0] = objective;
		v[1] = net;
		v[2] = u;
	}
}

static void sol_stages(const mutu_group_problem *gp, const mutu_group_solution *s, double v[3])
{
	stage_values(gp, s->net, s->max_rate, s->etp, s->objective, v);
}

static void bf_stages(const mutu_group_problem *gp, const bf_result *b, double v[3])
{
	stage_values(gp, b->net, b->max_rate, b->etp, b->objective, v);
}

static int sol_matches_bf(const mutu_group_problem *gp, const mutu_group_solution *s,
			  const bf_result *b)
{
	double vs[3], vb[3];
	if (s->status != MUTU_GROUP_OPTIMAL && s->status != MUTU_GROUP_NO_CONTRACT)
		return 0;
	sol_stages(gp, s, vs);
	bf_stages(gp, b, vb);
	return stages_agree(is_contract(s), vs, b->status == BF_CONTRACT, vb);
}

/* Tolerance variants: a problem whose brute-force answer changes with them
 * sits on the edge of a constraint or of a stage tolerance, where a solver
 * with its own tolerances may legitimately go either way. */
static const bf_tolerances *variant(size_t k, bf_tolerances *buf)
{
	buf->feas_slack = (k & 1) ? 1e-7 : -1e-7;
	buf->stage_tol = (k & 2) ? 1e-8 : 1e-5;
	buf->net_zero = (k & 4) ? 1e-2 : -1e-2;
	return buf;
}

#define NVARIANTS 8

/* Whether the solver's answer is that of the brute force under some
 * tolerance variant. */
static int matches_a_variant(const mutu_group_problem *gp, const mutu_group_solution *s)
{
	for (size_t k = 0; k < NVARIANTS; k++) {
		bf_tolerances t;
		bf_result b;
		assert_int_not_equal(bf_solve_tol(gp, variant(k, &t), &b), BF_TOO_LARGE);
		if (sol_matches_bf(gp, s, &b))
			return 1;
	}
	return 0;
}

/* Whether the brute-force stage values move with the tolerances. */
static int is_borderline(const mutu_group_problem *gp)
{
	bf_result nominal;
	double vn[3];
	assert_int_not_equal(bf_solve(gp, &nominal), BF_TOO_LARGE);
	bf_stages(gp, &nominal, vn);
	for (size_t k = 0; k < NVARIANTS; k++) {
		bf_tolerances t;
		bf_result b;
		double vb[3];
		assert_int_not_equal(bf_solve_tol(gp, variant(k, &t), &b), BF_TOO_LARGE);
		bf_stages(gp, &b, vb);
		if (!stages_agree(nominal.status == BF_CONTRACT, vn, b.status == BF_CONTRACT, vb))
			return 1;
	}
	return 0;
}

#define VIOLATION(...)                                                                             \
	do {                                                                                       \
		snprintf(buf, size, __VA_ARGS__);                                                  \
		return buf;                                                                        \
	} while (0)

/* Checks that `s` is a plan of `gp` (model.md §4, all constraints, to
 * 1e-6 relative).  Returns NULL, or a description of the first violation
 * written to `buf`. */
static const char *plan_violation(const mutu_group_problem *gp, const mutu_group_solution *s,
				  char *buf, size_t size)
{
	double pg = 0.0, etp = 0.0, objective = 0.0, aid = 0.0, sum_a = 0.0, sum_x = 0.0;

	if (s->status == MUTU_GROUP_NO_CONTRACT) {
		if (s->etp != 0.0 || s->objective != 0.0 || s->net != 0.0)
			VIOLATION("no_contract with non-zero figures: etp %g objective %g net %g",
				  s->etp, s->objective, s->net);
		return NULL;
	}
	if (s->status != MUTU_GROUP_OPTIMAL)
		VIOLATION("unexpected status %d", (int)s->status);
	if (s->assistant_etp == NULL || s->patients == NULL)
		VIOLATION("no allocation returned");
	for (size_t i = 0; i < gp->m; i++)
		pg += gp->members[i].p;

	/* The discrete choice and its sums. */
	if (gp->basis == MUTU_BASIS_POOLED) {
		if (s->level < 0 || (size_t)s->level >= gp->nlevels)
			VIOLATION("level %ld out of range", s->level);
		etp = gp->levels[s->level].etp;
		objective = gp->levels[s->level].objective;
		aid = gp->levels[s->level].aid;
	} else {
		size_t picked = 0;
		if (s->choice == NULL)
			VIOLATION("no choices returned");
		for (size_t i = 0; i < gp->m; i++) {
			long c = s->choice[i];
			if (c < -1 || c >= (long)gp->members[i].nchoices)
				VIOLATION("member %zu: choice %ld out of range", i, c);
			if (c < 0)
				continue;
			etp += gp->members[i].choices[c].etp;
			objective += gp->members[i].choices[c].objective;
			aid += gp->members[i].choices[c].aid;
			picked++;
		}
		if (picked == 0)
			VIOLATION("no member picks a choice");
	}
	if (!close_to(s->etp, etp) || !close_to(s->objective, objective) || !close_to(s->aid, aid))
		VIOLATION("etp/objective/aid %g/%g/%g, the choices give %g/%g/%g", s->etp,
			  s->objective, s->aid, etp, objective, aid);
	if (!close_to(s->cost, gp->cost_per_etp * etp) ||
	    !close_to(s->value, gp->value_per_patient * objective) ||
	    !close_to(s->net, s->aid - s->cost + s->value))
		VIOLATION("cost/value/net %g/%g/%g inconsistent", s->cost, s->value, s->net);
	if (etp <= 0.0 || etp > gp->max_etp_total + slack(etp))
		VIOLATION("E = %g not in (0, %g]", etp, gp->max_etp_total);
	if (s->net < -slack(s->net))
		VIOLATION("net %g < 0", s->net);

	/* Allocation and split (model.md §4): whole units and patients. */
	double w = gp->etp_unit > 0.0 ? gp->etp_unit : 0.1;
	for (size_t i = 0; i < gp->m; i++) {
		const mutu_gp_member *mb = &gp->members[i];
		double a = s->assistant_etp[i], x = s->patients[i];
		double cap = mb->p * (mb->headroom + mb->gain * a);
		/* floor(phi P_i T / P_G), in the linear form of model.md. */
		double fl = pg > 0.0 && gp->floor_share > 0.0
				? ceil(gp->floor_share * mb->p / pg * objective - 1.0 + 1e-6 - 1e-9)
				: 0.0;
		if (fabs(a / w - round(a / w)) > 1e-9)
			VIOLATION("member %zu: a = %.17g is not a whole number of units %g", i, a,
				  w);
		if (x != floor(x))
			VIOLATION("member %zu: x = %.17g is not a whole number of patients", i, x);
		if (a < 0.0 || a > gp->max_etp_per_doctor + 1e-9)
			VIOLATION("member %zu: a = %g not in [0, %g]", i, a,
				  gp->max_etp_per_doctor);
		if (x < 0.0 || x > cap + slack(cap))
			VIOLATION("member %zu: x = %g not in [0, cap %.10g]", i, x, cap);
		if (mb->max_new >= 0.0 && x > mb->max_new + slack(mb->max_new))
			VIOLATION("member %zu: x = %g > max_new %g", i, x, mb->max_new);
		if (x < fl)
			VIOLATION("member %zu: x = %g < floor %g", i, x, fl);
		if (x > s->max_rate * mb->p + slack(x))
			VIOLATION("member %zu: x = %g > max_rate %g x P %g", i, x, s->max_rate,
				  mb->p);
		sum_a += a;
		sum_x += x;
	}
	if (sum_a > etp + 1e-9 || sum_a <= etp - w + 1e-9)
		VIOLATION("sum a = %.10g not in (E - w, E] = (%.10g, %.10g]", sum_a, etp - w, etp);
	if (sum_x != objective)
		VIOLATION("sum x = %.10g, T = %.10g", sum_x, objective);
	return NULL;
}

/* The brute force's own plan, seen as a solution, so that the same
 * checker validates it. */
static void bf_as_solution(mutu_group_solution *s, bf_result *b, const mutu_group_problem *gp)
{
	memset(s, 0, sizeof(*s));
	s->status = b->status == BF_CONTRACT ? MUTU_GROUP_OPTIMAL : MUTU_GROUP_NO_CONTRACT;
	s->etp = b->etp;
	s->objective = b->objective;
	s->aid = b->aid;
	s->cost = gp->cost_per_etp * b->etp;
	s->value = gp->value_per_patient * b->objective;
	s->net = b->net;
	s->max_rate = b->max_rate;
	s->level = b->level;
	s->choice = b->choice;
	s->assistant_etp = b->a;
	s->patients = b->x;
}

typedef struct tally {
	int failures, borderline, contracts, no_contracts;
	int by_kind[2][2]; /* [basis][goal] contracts */
	int ties[2];       /* problems where stage 2 (3) had a choice to make */
	int by_table;      /* sum_individual solves the exact table decided */
} tally;

static void report(const mutu_group_problem *gp, const char *label, const char *why,
		   const mutu_group_solution *s, const bf_result *b, tally *t)
{
	t->failures++;
	if (t->failures > MAX_REPORTS)
		return;
	print_message("MISMATCH (%s): %s\n", label, why);
	print_problem(gp, label);
	if (s != NULL)
		print_solution(gp, s);
	if (b != NULL)
		print_bf(gp, b);
}

/* Solves `gp` with both methods and checks status, stage values and both
 * plans.  Counts in `t`. */
static void check_against_bf(const mutu_group_problem *gp, const char *label, tally *t)
{
	mutu_group_solution sol, bfsol;
	bf_result b;
	char why[256];
	const char *v;

	assert_int_not_equal(bf_solve(gp, &b), BF_TOO_LARGE);
	bf_as_solution(&bfsol, &b, gp);
	v = plan_violation(gp, &bfsol, why, sizeof(why));
	if (v != NULL)
		report(gp, label, "brute-force plan infeasible (a bug in the checker)", NULL, &b,
		       t);

	/* sum_individual: by the table (when it fits, as it does for these
	 * small groups) and by GLPK's level MIPs alone; both must match. */
	for (int mip = gp->basis == MUTU_BASIS_POOLED; mip < 2; mip++) {
		if (solve_by(&sol, gp, mip) != 0) {
			report(gp, label, "solver error", NULL, &b, t);
			mutu_group_solution_free(&sol);
			return;
		}
		t->by_table += sol.table;
		if (!sol_matches_bf(gp, &sol, &b)) {
			if (matches_a_variant(gp, &sol))
				t->borderline++;
			else
				report(gp, label,
				       mip ? "stage values differ (MIP)"
					   : "stage values differ (table)",
				       &sol, &b, t);
		}
		v = plan_violation(gp, &sol, why, sizeof(why));
		if (v != NULL)
			report(gp, label, v, &sol, &b, t);
		if (mip == 0)
			mutu_group_solution_free(&sol);
	}
	t->ties[0] += b.kept[0] > 1;
	t->ties[1] += b.kept[1] > 1;
	if (is_contract(&sol)) {
		t->contracts++;
		t->by_kind[gp->basis == MUTU_BASIS_POOLED][gp->goal == MUTU_GOAL_PATIENTS]++;
	} else {
		t->no_contracts++;
	}
	mutu_group_solution_free(&sol);
}

/* ---- (a) hand-computed cases ------------------------------------------ */

static void expect_bf(const mutu_group_problem *gp, int status, double net, double u, double etp,
		      double objective)
{
	bf_result b;
	assert_int_equal(bf_solve(gp, &b), status);
	assert_int_equal(b.status, status);
	if (status != BF_CONTRACT)
		return;
	assert_true(close_to(b.net, net));
	assert_true(close_to(b.max_rate, u));
	assert_true(close_to(b.etp, etp));
	assert_true(close_to(b.objective, objective));
}

/* The solver on the same case: same stage values, a valid plan. */
static void expect_solver(const mutu_group_problem *gp, int status, double net, double u,
			  double etp, double objective)
{
	mutu_group_solution s;
	char why[256];
	assert_int_equal(solve(&s, gp), 0);
	assert_int_equal(s.status,
			 status == BF_CONTRACT ? MUTU_GROUP_OPTIMAL : MUTU_GROUP_NO_CONTRACT);
	if (status == BF_CONTRACT) {
		double got[3], want[3];
		sol_stages(gp, &s, got);
		stage_values(gp, net, u, etp, objective, want);
		for (size_t k = 0; k < 3; k++)
			if (!close_to(got[k], want[k]))
				fail_msg("stage %zu: solver %.17g, by hand %.17g", k + 1, got[k],
					 want[k]);
	}
	const char *v = plan_violation(gp, &s, why, sizeof(why));
	if (v != NULL)
		fail_msg("solver plan: %s", v);
	mutu_group_solution_free(&s);
}

/* Two members of P = 1000, h = 0, one notional option each (1 ETP, 300
 * patients, aid 200 000); member 1 gains 0.5 P per ETP, member 2 only
 * 0.1 P (member 2's option is not individually feasible: 100 < 300).
 * cost 180 000 per ETP, v = 0, phi = 0, amax 2.
 *   {1} or {2}: E 1, T 300, NET 200 000 - 180 000 = 20 000.
 *   {1,2}:      E 2, T 600, NET 400 000 - 360 000 = 40 000.
 * Least u for {1,2}: member 1 takes a_1 = 2u (x_1 = 1000u, its cap at
 * u P), member 2 the rest, a_2 = 2 - 2u (x_2 = 100 (2 - 2u) <= 1000u);
 * 1000u + 200 - 200u = 800u + 200 >= 600 gives u = 0.5 (a = 1, 1;
 * x = 500, 100).  For {1} or {2} (E = 1, the time is pooled):
 * 1000u + 100 (1 - 2u) = 800u + 100 >= 300 gives u = 0.25 (a = 0.5, 0.5;
 * x = 250, 50). */
static mutu_gp_choice case_a_c1[] = {{1.0, 300.0, 200000.0, 0}};
static mutu_gp_choice case_a_c2[] = {{1.0, 300.0, 200000.0, 0}};

static void case_a(mutu_group_problem *gp, mutu_gp_member mb[2], mutu_goal goal)
{
	mb[0] = (mutu_gp_member){1000.0, 0.0, 0.5, -1.0, case_a_c1, 1};
	mb[1] = (mutu_gp_member){1000.0, 0.0, 0.1, -1.0, case_a_c2, 1};
	*gp = (mutu_group_problem){MUTU_BASIS_SUM_INDIVIDUAL, goal, 2,   mb,  NULL, 0,
				   PB_COST_PER_ETP,           0.0,  0.0, 2.0, 10.0, 0.1};
}

static void bf_split_should_pool_capacity_by_hand(void **state)
{
	mutu_gp_member mb[2];
	mutu_group_problem gp;
	(void)state;
	case_a(&gp, mb, MUTU_GOAL_NET_BENEFIT);
	/* E = 1 (10 units of 0.1), no rate cap: all 10 units to member 1
	 * (50 patients each), 500 patients, short of T = 600. */
	assert_true(close_to(bf_max_patients(&gp, 1.0, 600.0, INFINITY), 500.0));
	/* u = 0.25: member 1 capped at 250 (a = 0.5), then 0.5 x 100 = 50. */
	assert_true(close_to(bf_max_patients(&gp, 1.0, 300.0, 0.25), 300.0));
	assert_true(close_to(bf_min_rate(&gp, 1.0, 300.0), 0.25));
	assert_true(close_to(bf_min_rate(&gp, 2.0, 600.0), 0.5));
	/* E = 2 cannot fit 1001 patients: 1000 at most. */
	assert_true(bf_min_rate(&gp, 2.0, 1001.0) < 0.0);
}

static void pooling_should_take_both_notional_options(void **state)
{
	mutu_gp_member mb[2];
	mutu_group_problem gp;
	(void)state;
	case_a(&gp, mb, MUTU_GOAL_NET_BENEFIT);
	expect_bf(&gp, BF_CONTRACT, 40000.0, 0.5, 2.0, 600.0);
	expect_solver(&gp, BF_CONTRACT, 40000.0, 0.5, 2.0, 600.0);
	/* PATIENTS: the largest T with NET >= 0 is {1,2} again. */
	case_a(&gp, mb, MUTU_GOAL_PATIENTS);
	expect_bf(&gp, BF_CONTRACT, 40000.0, 0.5, 2.0, 600.0);
	expect_solver(&gp, BF_CONTRACT, 40000.0, 0.5, 2.0, 600.0);
}

/* Case A with max_etp_total = 1.5: {1,2} (E = 2) is out; {1} and {2} tie
 * at NET 20 000, u 0.25, E 1. */
static void etp_total_cap_should_exclude_the_pair(void **state)
{
	mutu_gp_member mb[2];
	mutu_group_problem gp;
	(void)state;
	case_a(&gp, mb, MUTU_GOAL_NET_BENEFIT);
	gp.max_etp_total = 1.5;
	expect_bf(&gp, BF_CONTRACT, 20000.0, 0.25, 1.0, 300.0);
	expect_solver(&gp, BF_CONTRACT, 20000.0, 0.25, 1.0, 300.0);
}

/* Pooled, phi = 1, v = 600: P = 1000 and 500 (P_G = 1500), h = 0.05,
 * g = 0.3, amax 1.5.  Levels (etp, T, aid) and NET = aid - 180 000 E +
 * 600 T:
 *   L0 (1,   150, 200 000): 20 000 + 90 000  = 110 000
 *   L1 (2,   300, 350 000): -10 000 + 180 000 = 170 000
 *   L2 (1.5, 270, 280 000): 10 000 + 162 000 = 172 000
 * phi = 1 puts x_i >= P_i T / 1500, so u >= T / 1500, reached exactly when
 * every floor fits: L1 needs 50 + 300 a_1 >= 200 and 25 + 150 a_2 >= 100,
 * a >= 0.5 each, sum 1 <= 2: u = 0.2.  L2: a >= 130/300 = 65/150 each,
 * sum 0.867 <= 1.5: u = 0.18.  L0: u = 0.1.
 * NET_BENEFIT takes L2 (172 000, u 0.18, E 1.5); PATIENTS takes L1 (T 300,
 * NET 170 000, u 0.2).  With M_2 = 80 the floors of L1 (100) and L2 (90)
 * no longer fit member 2; L0 (50) does: T 150, NET 110 000, u 0.1. */
static mutu_gp_choice case_c_levels[] = {
    {1.0, 150.0, 200000.0, -1}, {2.0, 300.0, 350000.0, -1}, {1.5, 270.0, 280000.0, -1}};

static void case_c(mutu_group_problem *gp, mutu_gp_member mb[2], mutu_goal goal)
{
	mb[0] = (mutu_gp_member){1000.0, 0.05, 0.3, -1.0, NULL, 0};
	mb[1] = (mutu_gp_member){500.0, 0.05, 0.3, -1.0, NULL, 0};
	*gp = (mutu_group_problem){MUTU_BASIS_POOLED, goal,  2,   mb,  case_c_levels, 3,
				   PB_COST_PER_ETP,   600.0, 1.0, 1.5, 10.0,          0.1};
}

static void goals_should_pick_different_pooled_levels(void **state)
{
	mutu_gp_member mb[2];
	mutu_group_problem gp;
	(void)state;
	case_c(&gp, mb, MUTU_GOAL_NET_BENEFIT);
	expect_bf(&gp, BF_CONTRACT, 172000.0, 0.18, 1.5, 270.0);
	expect_solver(&gp, BF_CONTRACT, 172000.0, 0.18, 1.5, 270.0);
	case_c(&gp, mb, MUTU_GOAL_PATIENTS);
	expect_bf(&gp, BF_CONTRACT, 170000.0, 0.2, 2.0, 300.0);
	expect_solver(&gp, BF_CONTRACT, 170000.0, 0.2, 2.0, 300.0);
}

static void floor_share_should_rule_out_levels_beyond_a_members_cap(void **state)
{
	mutu_gp_member mb[2];
	mutu_group_problem gp;
	(void)state;
	case_c(&gp, mb, MUTU_GOAL_PATIENTS);
	mb[1].max_new = 80.0;
	expect_bf(&gp, BF_CONTRACT, 110000.0, 0.1, 1.0, 150.0);
	expect_solver(&gp, BF_CONTRACT, 110000.0, 0.1, 1.0, 150.0);
	/* Without the floor, L1 fits: x_2 = 80 (a_2 = 11/30), x_1 = 220
	 * (a_1 = 0.567 <= 1.5); u = 0.2 needs x_1 = 200, x_2 = 100 > 80, so
	 * u rises: x_2 = 80, x_1 = 220, u = 0.22. */
	gp.floor_share = 0.0;
	expect_bf(&gp, BF_CONTRACT, 170000.0, 0.22, 2.0, 300.0);
	expect_solver(&gp, BF_CONTRACT, 170000.0, 0.22, 2.0, 300.0);
}

/* Ties.  Members as in the pooled case (P 1000 and 500, h 0.05, g 0.3,
 * amax 1.5), phi = 0, v = 0, levels of T = 200 and equal NET:
 *   L0 (0.5, 200, 100 000): NET 100 000 - 90 000  = 10 000
 *   L1 (1,   200, 190 000): NET 190 000 - 180 000 = 10 000
 *   L2 (1.5, 200, 280 000): NET 280 000 - 270 000 = 10 000
 * Whole patients, x_1 + x_2 = 200: u = max(x_1 / 1000, x_2 / 500) is
 * 0.134 at best (x = 134, 66: 0.134 and 0.132; x = 133, 67: 0.133 and
 * 0.134; 2/15 would need x_1 = 133.3).  Units of 0.1 ETP: member 1 takes
 * 50 + 30 k_1, member 2 25 + 15 k_2.  L1 (10 units) reaches 0.134 with
 * k = 3, 3 (140, 70).  L0 (5 units): 75 + 30 k_1 + 15 (5 - k_1) >= 200
 * needs k_1 >= 4, then x_2 <= 40 and x_1 >= 160: u = 0.16 (k_1 = 5
 * gives x_2 <= 25, u 0.175).  Stage 2 (min u) drops L0, stage 3 (min E)
 * keeps L1: NET 10 000, u 0.134, E 1.  Under PATIENTS, T and NET tie,
 * and min u gives L1 or L2, both with u = 0.134. */
static void ties_should_go_to_the_least_rate_then_the_least_etp(void **state)
{
	mutu_gp_choice lv[] = {
	    {0.5, 200.0, 100000.0, -1}, {1.0, 200.0, 190000.0, -1}, {1.5, 200.0, 280000.0, -1}};
	mutu_gp_member mb[2];
	mutu_group_problem gp;
	(void)state;
	case_c(&gp, mb, MUTU_GOAL_NET_BENEFIT);
	gp.levels = lv;
	gp.value_per_patient = 0.0;
	gp.floor_share = 0.0;
	assert_true(close_to(bf_min_rate(&gp, 0.5, 200.0), 0.16));
	assert_true(close_to(bf_min_rate(&gp, 1.0, 200.0), 0.134));
	expect_bf(&gp, BF_CONTRACT, 10000.0, 0.134, 1.0, 200.0);
	expect_solver(&gp, BF_CONTRACT, 10000.0, 0.134, 1.0, 200.0);
	gp.goal = MUTU_GOAL_PATIENTS;
	expect_bf(&gp, BF_CONTRACT, 10000.0, 0.134, 1.0, 200.0);
	expect_solver(&gp, BF_CONTRACT, 10000.0, 0.134, 1.0, 200.0);
}

/* No contract.  Capacity: two members P = 1000, h = 0, g = 0.1, amax 1,
 * one option each (1 ETP, 300 patients): {i} reaches 100 < 300, {1,2}
 * reaches 200 < 600.  Net: case A with aid 100 000: NETs -80 000,
 * -80 000, -160 000, all negative. */
static void no_plan_should_give_no_contract(void **state)
{
	mutu_gp_choice c1[] = {{1.0, 300.0, 300000.0, 0}}, c2[] = {{1.0, 300.0, 300000.0, 0}};
	mutu_gp_member mb[2] = {{1000.0, 0.0, 0.1, -1.0, c1, 1}, {1000.0, 0.0, 0.1, -1.0, c2, 1}};
	mutu_group_problem gp = {MUTU_BASIS_SUM_INDIVIDUAL,
				 MUTU_GOAL_PATIENTS,
				 2,
				 mb,
				 NULL,
				 0,
				 PB_COST_PER_ETP,
				 0.0,
				 0.0,
				 1.0,
				 10.0,
				 0.1};
	(void)state;
	expect_bf(&gp, BF_NO_CONTRACT, 0, 0, 0, 0);
	expect_solver(&gp, BF_NO_CONTRACT, 0, 0, 0, 0);

	mutu_gp_member mba[2];
	case_a(&gp, mba, MUTU_GOAL_NET_BENEFIT);
	mutu_gp_choice d1[] = {{1.0, 300.0, 100000.0, 0}}, d2[] = {{1.0, 300.0, 100000.0, 0}};
	mba[0].choices = d1;
	mba[1].choices = d2;
	expect_bf(&gp, BF_NO_CONTRACT, 0, 0, 0, 0);
	expect_solver(&gp, BF_NO_CONTRACT, 0, 0, 0, 0);
	gp.goal = MUTU_GOAL_PATIENTS;
	expect_bf(&gp, BF_NO_CONTRACT, 0, 0, 0, 0);
	expect_solver(&gp, BF_NO_CONTRACT, 0, 0, 0, 0);
}

/* ---- (b) random problems against the brute force ---------------------- */

static void random_problems_should_match_bruteforce(void **state)
{
	pb_rng r = {SEED};
	tally t;
	char label[64];
	(void)state;
	memset(&t, 0, sizeof(t));
	for (int k = 0; k < NRANDOM; k++) {
		mutu_group_problem gp;
		mutu_basis basis = (k & 1) ? MUTU_BASIS_POOLED : MUTU_BASIS_SUM_INDIVIDUAL;
		mutu_goal goal = (k & 2) ? MUTU_GOAL_PATIENTS : MUTU_GOAL_NET_BENEFIT;
		assert_int_equal(pb_gen_small(&r, &gp, basis, goal), 0);
		snprintf(label, sizeof(label), "random problem %d, seed %#llx", k,
			 (unsigned long long)SEED);
		check_against_bf(&gp, label, &t);
		problem_release(&gp, 1);
	}
	print_message("random: %d problems, %d contracts, %d no_contract, %d borderline, "
		      "%d with ties at stage 2, %d at stage 3, %d by the table, %d failures\n",
		      NRANDOM, t.contracts, t.no_contracts, t.borderline, t.ties[0], t.ties[1],
		      t.by_table, t.failures);
	assert_int_equal(t.failures, 0);
	/* Half the problems are sum_individual; the table decides most of
	 * those with a split (the others end before it). */
	assert_true(t.by_table >= NRANDOM / 5);
	/* The generator must exercise every basis x goal, and both outcomes. */
	for (int b = 0; b < 2; b++)
		for (int g = 0; g < 2; g++)
			assert_true(t.by_kind[b][g] >= NRANDOM / 20);
	assert_true(t.no_contracts >= NRANDOM / 20);
	assert_true(t.ties[0] >= NRANDOM / 50 && t.ties[1] >= NRANDOM / 100);
	assert_true(t.borderline <= NRANDOM / 50);
}

/* ---- (c) properties --------------------------------------------------- */

static void member_order_should_not_change_stage_values(void **state)
{
	pb_rng r = {SEED ^ 0x1ULL};
	int failures = 0, skipped = 0;
	(void)state;
	for (int k = 0; k < NPROPERTY; k++) {
		mutu_group_problem gp, pp;
		mutu_group_solution s1, s2;
		size_t perm[BF_MAX_MEMBERS];
		double v1[3], v2[3];
		assert_int_equal(
		    pb_gen_small(&r, &gp, (k & 1) ? MUTU_BASIS_POOLED : MUTU_BASIS_SUM_INDIVIDUAL,
				 (k & 2) ? MUTU_GOAL_PATIENTS : MUTU_GOAL_NET_BENEFIT),
		    0);
		for (size_t i = 0; i < gp.m; i++)
			perm[i] = i;
		for (size_t i = gp.m; i > 1; i--) {
			size_t j = pb_below(&r, i), tmp = perm[i - 1];
			perm[i - 1] = perm[j];
			perm[j] = tmp;
		}
		permuted(&pp, &gp, perm);
		assert_int_equal(solve(&s1, &gp), 0);
		assert_int_equal(solve(&s2, &pp), 0);
		sol_stages(&gp, &s1, v1);
		sol_stages(&pp, &s2, v2);
		if (!stages_agree(is_contract(&s1), v1, is_contract(&s2), v2)) {
			if (is_borderline(&gp)) {
				skipped++;
			} else if (++failures <= MAX_REPORTS) {
				print_message("permutation changed the answer\n");
				print_problem(&gp, "original");
				print_solution(&gp, &s1);
				print_problem(&pp, "permuted");
				print_solution(&pp, &s2);
			}
		}
		/* The brute force must not care either. */
		bf_result b1, b2;
		double w1[3], w2[3];
		bf_solve(&gp, &b1);
		bf_solve(&pp, &b2);
		bf_stages(&gp, &b1, w1);
		bf_stages(&pp, &b2, w2);
		if (!stages_agree(b1.status == BF_CONTRACT, w1, b2.status == BF_CONTRACT, w2)) {
			if (++failures <= MAX_REPORTS)
				print_problem(&gp, "permutation changed the brute force");
		}
		mutu_group_solution_free(&s1);
		mutu_group_solution_free(&s2);
		problem_release(&pp, 0);
		problem_release(&gp, 1);
	}
	print_message("permutation: %d problems, %d borderline skipped, %d failures\n", NPROPERTY,
		      skipped, failures);
	assert_int_equal(failures, 0);
}

/* Stage-1 value: net (net_benefit) or T (patients); -inf for no contract. */
static double stage1(const mutu_group_problem *gp, int contract, double net, double objective)
{
	if (!contract)
		return -INFINITY;
	return gp->goal == MUTU_GOAL_NET_BENEFIT ? net : objective;
}

static int not_lower(double before, double after)
{
	return isinf(before) || after >= before - 1e-6 * fmax(1.0, fabs(before));
}

static void raising_etp_total_should_not_lower_stage_one(void **state)
{
	static const double raises[] = {0.5, 1.0, 2.0, 100.0};
	pb_rng r = {SEED ^ 0x2ULL};
	int failures = 0, skipped = 0;
	(void)state;
	for (int k = 0; k < NPROPERTY; k++) {
		mutu_group_problem gp;
		mutu_group_solution s1, s2;
		bf_result b1, b2;
		assert_int_equal(
		    pb_gen_small(&r, &gp, (k & 1) ? MUTU_BASIS_POOLED : MUTU_BASIS_SUM_INDIVIDUAL,
				 (k & 2) ? MUTU_GOAL_PATIENTS : MUTU_GOAL_NET_BENEFIT),
		    0);
		assert_int_equal(solve(&s1, &gp), 0);
		bf_solve(&gp, &b1);
		double before = gp.max_etp_total;
		int borderline = is_borderline(&gp);
		gp.max_etp_total += raises[pb_below(&r, 4)];
		borderline = borderline || is_borderline(&gp);
		assert_int_equal(solve(&s2, &gp), 0);
		bf_solve(&gp, &b2);
		double v1 = stage1(&gp, is_contract(&s1), s1.net, s1.objective);
		double v2 = stage1(&gp, is_contract(&s2), s2.net, s2.objective);
		double w1 = stage1(&gp, b1.status == BF_CONTRACT, b1.net, b1.objective);
		double w2 = stage1(&gp, b2.status == BF_CONTRACT, b2.net, b2.objective);
		if (!not_lower(w1, w2)) {
			if (++failures <= MAX_REPORTS)
				print_problem(&gp,
					      "brute force: raising max_etp_total lowered stage 1");
		}
		if (!not_lower(v1, v2)) {
			if (borderline) {
				skipped++;
			} else if (++failures <= MAX_REPORTS) {
				print_message(
				    "raising max_etp_total from %.17g lowered stage 1: %.17g -> "
				    "%.17g\n",
				    before, v1, v2);
				print_problem(&gp, "after the raise");
			}
		}
		mutu_group_solution_free(&s1);
		mutu_group_solution_free(&s2);
		problem_release(&gp, 1);
	}
	print_message("raise: %d problems, %d borderline skipped, %d failures\n", NPROPERTY,
		      skipped, failures);
	assert_int_equal(failures, 0);
}

/* Individual best of one member (model.md §2): the option with the
 * largest NET among those with t <= cap(etp), if that NET >= 0. */
static void individual_best(const mutu_group_problem *gp, const mutu_gp_member *mb, double *net,
			    double *objective, int *picks)
{
	*net = 0.0;
	*objective = 0.0;
	*picks = 0;
	for (size_t c = 0; c < mb->nchoices; c++) {
		const mutu_gp_choice *ch = &mb->choices[c];
		double cap = mb->p * (mb->headroom + mb->gain * ch->etp);
		if (mb->max_new >= 0.0)
			cap = fmin(cap, mb->max_new);
		double n =
		    ch->aid - gp->cost_per_etp * ch->etp + gp->value_per_patient * ch->objective;
		if (ch->objective > cap || n < 0.0 || (*picks && n <= *net))
			continue;
		*net = n;
		*objective = ch->objective;
		*picks = 1;
	}
}

/* sum_individual, phi = 0, caps that do not bind: the members' individual
 * best contracts together are a pooled plan (a_i = etp_i, x_i = t_i), so
 * pooling must do at least as well (model.md §4, gain of pooling >= 0). */
static void pooling_should_not_do_worse_than_individual_contracts(void **state)
{
	pb_rng r = {SEED ^ 0x3ULL};
	int failures = 0, skipped = 0, picked = 0;
	(void)state;
	for (int k = 0; k < NPROPERTY; k++) {
		mutu_group_problem gp;
		mutu_group_solution s;
		bf_result b;
		double net_ind = 0.0, t_ind = 0.0, amax = 0.0, total = 0.0;
		int any = 0;
		assert_int_equal(pb_gen_small(&r, &gp, MUTU_BASIS_SUM_INDIVIDUAL,
					      (k & 1) ? MUTU_GOAL_PATIENTS : MUTU_GOAL_NET_BENEFIT),
				 0);
		gp.floor_share = 0.0;
		for (size_t i = 0; i < gp.m; i++) {
			double n, t, emax = 0.0;
			int p;
			individual_best(&gp, &gp.members[i], &n, &t, &p);
			net_ind += n;
			t_ind += t;
			any |= p;
			for (size_t c = 0; c < gp.members[i].nchoices; c++)
				emax = fmax(emax, gp.members[i].choices[c].etp);
			amax = fmax(amax, emax);
			total += emax;
		}
		gp.max_etp_per_doctor = fmax(amax, 0.5) + (pb_unif(&r) < 0.5 ? 0.0 : 1.0);
		gp.max_etp_total = total + (pb_unif(&r) < 0.5 ? 0.0 : 2.0);
		picked += any;

		assert_int_equal(solve(&s, &gp), 0);
		bf_solve(&gp, &b);
		int ok_s = 1, ok_b = 1;
		if (gp.goal == MUTU_GOAL_NET_BENEFIT && any && net_ind > 0.0) {
			ok_s = is_contract(&s) && s.net >= net_ind - 1e-6 * fabs(net_ind);
			ok_b = b.status == BF_CONTRACT && b.net >= net_ind - 1e-6 * fabs(net_ind);
		} else if (gp.goal == MUTU_GOAL_PATIENTS && any) {
			ok_s = is_contract(&s) && s.objective >= t_ind - 1e-6 * fmax(1.0, t_ind);
			ok_b = b.status == BF_CONTRACT &&
			       b.objective >= t_ind - 1e-6 * fmax(1.0, t_ind);
		}
		if (!ok_b && ++failures <= MAX_REPORTS)
			print_problem(&gp, "brute force below the individual baseline");
		if (!ok_s) {
			if (is_borderline(&gp)) {
				skipped++;
			} else if (++failures <= MAX_REPORTS) {
				print_message(
				    "pooled below individual: net_ind %.17g t_ind %.17g\n", net_ind,
				    t_ind);
				print_problem(&gp, "pooled below the individual baseline");
				print_solution(&gp, &s);
			}
		}
		mutu_group_solution_free(&s);
		problem_release(&gp, 1);
	}
	print_message("baseline: %d problems (%d with an individual contract), %d borderline "
		      "skipped, %d failures\n",
		      NPROPERTY, picked, skipped, failures);
	assert_true(picked >= NPROPERTY / 4);
	assert_int_equal(failures, 0);
}

/* ---- (d) the split against every vector of units ---------------------- */

/* For fixed units k: floors L_i = ceil(phi P_i T / P_G - 1 + 1e-6), caps
 * U_i = min(floor(P_i (h_i + g_i w k_i)), floor(M_i)); a split exists iff
 * L_i <= U_i and sum L <= T <= sum U, and the least largest rate comes
 * from giving patients one at a time, from the floors, to the member
 * whose rate after it is least (exchange: any split of rate u has
 * x_i <= floor(u P_i), and the greedy never exceeds that).  Returns that
 * rate, or -1. */
static double rate_for_units(const mutu_group_problem *gp, const long *k, double objective)
{
	double w = gp->etp_unit > 0.0 ? gp->etp_unit : 0.1, pg = 0.0, x[BF_MAX_MEMBERS];
	double top[BF_MAX_MEMBERS], sum = 0.0, u = 0.0;
	for (size_t i = 0; i < gp->m; i++)
		pg += gp->members[i].p;
	for (size_t i = 0; i < gp->m; i++) {
		const mutu_gp_member *mb = &gp->members[i];
		x[i] = gp->floor_share > 0.0
			   ? fmax(0.0, ceil(gp->floor_share * mb->p * objective / pg - 1.0 + 1e-6 -
					    1e-9))
			   : 0.0;
		top[i] = floor(mb->p * (mb->headroom + mb->gain * w * (double)k[i]) + 1e-9);
		if (mb->max_new >= 0.0)
			top[i] = fmin(top[i], floor(mb->max_new + 1e-9));
		if (x[i] > top[i])
			return -1.0;
		sum += x[i];
	}
	if (sum > objective)
		return -1.0;
	for (; sum < objective; sum += 1.0) {
		size_t best = gp->m;
		for (size_t i = 0; i < gp->m; i++)
			if (x[i] < top[i] &&
			    (best == gp->m || (x[i] + 1.0) / gp->members[i].p <
						  (x[best] + 1.0) / gp->members[best].p))
				best = i;
		if (best == gp->m)
			return -1.0;
		x[best] += 1.0;
	}
	for (size_t i = 0; i < gp->m; i++)
		u = fmax(u, x[i] / gp->members[i].p);
	return u;
}

/* The least rate over every k with sum k = K, 0 <= k_i <= kmax. */
static double rate_by_enumeration(const mutu_group_problem *gp, long K, long kmax, double objective)
{
	long k[BF_MAX_MEMBERS] = {0};
	double best = -1.0;
	for (;;) {
		long s = 0;
		for (size_t i = 0; i < gp->m; i++)
			s += k[i];
		if (s == K) {
			double u = rate_for_units(gp, k, objective);
			if (u >= 0.0 && (best < 0.0 || u < best))
				best = u;
		}
		size_t i = 0;
		while (i < gp->m && k[i] == kmax)
			k[i++] = 0;
		if (i == gp->m)
			return best;
		k[i]++;
	}
}

static void split_should_equal_enumerating_every_vector_of_units(void **state)
{
	pb_rng r = {SEED ^ 0x4ULL};
	int failures = 0, feasible = 0;
	(void)state;
	for (int n = 0; n < 600; n++) {
		mutu_gp_member mb[4];
		mutu_gp_choice level;
		mutu_group_problem gp;
		memset(&gp, 0, sizeof(gp));
		gp.basis = MUTU_BASIS_POOLED;
		gp.m = 2 + pb_below(&r, 3);
		gp.members = mb;
		for (size_t i = 0; i < gp.m; i++) {
			mb[i] = (mutu_gp_member){
			    floor(pb_range(&r, 300.0, 2500.0)),
			    pb_range(&r, 0.0, 0.1),
			    pb_range(&r, 0.1, 0.6),
			    pb_unif(&r) < 0.25 ? floor(pb_range(&r, 0.0, 400.0)) : -1.0,
			    NULL,
			    0};
		}
		gp.etp_unit = pb_unif(&r) < 0.5 ? 0.25 : 0.5;
		gp.max_etp_per_doctor = gp.etp_unit * (double)(1 + pb_below(&r, 4));
		gp.max_etp_total = 100.0;
		gp.floor_share = pb_unif(&r) < 0.5 ? 0.0 : pb_unif(&r);
		long kmax = (long)floor(gp.max_etp_per_doctor / gp.etp_unit + 1e-9);
		long K = 1 + (long)pb_below(&r, (size_t)(kmax * (long)gp.m));
		level.etp = gp.etp_unit * (double)K;
		level.objective = floor(pb_range(&r, 0.0, 0.3) * 2000.0);
		level.aid = 1e9;
		level.option = -1;
		gp.levels = &level;
		gp.nlevels = 1;
		gp.cost_per_etp = PB_COST_PER_ETP;
		double want = rate_by_enumeration(&gp, K, kmax, level.objective);
		double bf = bf_min_rate(&gp, level.etp, level.objective);
		mutu_group_solution s;
		assert_int_equal(solve(&s, &gp), 0);
		double got = s.status == MUTU_GROUP_OPTIMAL ? s.max_rate : -1.0;
		feasible += want >= 0.0;
		if (!close_to(want, bf) || !close_to(want, got)) {
			if (++failures <= MAX_REPORTS) {
				print_message(
				    "enumeration %.17g, brute force %.17g, solver %.17g\n", want,
				    bf, got);
				print_problem(&gp, "split");
			}
		}
		mutu_group_solution_free(&s);
	}
	print_message("units: 600 splits, %d feasible, %d failures\n", feasible, failures);
	assert_true(feasible >= 60 && feasible <= 540);
	assert_int_equal(failures, 0);
}

/* ---- (d) the exact table against GLPK at the bench's sizes ---------- */

/* 30-member groups of the bench's generator (pb_gen_sized), both goals:
 * the stage values read from the table equal those of GLPK's level MIPs
 * (an independent method: no table), and both plans are feasible.  A MIP
 * solve that GLPK cannot finish in 20 s is skipped and counted. */
static void table_should_match_glpk_on_30_member_groups(void **state)
{
	int by_table = 0, skipped = 0, failures = 0, contracts = 0;
	char why[256];
	(void)state;
	for (size_t k = 0; k < 40; k++) {
		mutu_group_problem gp;
		pb_rng r = {pb_sized_seed(SEED, 30, MUTU_BASIS_SUM_INDIVIDUAL, k)};
		assert_int_equal(pb_gen_sized(&r, &gp, 30, MUTU_BASIS_SUM_INDIVIDUAL), 0);
		gp.goal = (k & 1) ? MUTU_GOAL_PATIENTS : MUTU_GOAL_NET_BENEFIT;
		mutu_group_solution a, b;
		mutu_solve_options ta = {.goal = gp.goal},
				   tb = {.goal = gp.goal, .time_limit_ms = 20000, .mip_only = true};
		mutu_error err;
		memset(&err, 0, sizeof err);
		assert_int_equal(mutu_group_solve(&a, &gp, &ta, &err), 0);
		assert_int_equal(mutu_group_solve(&b, &gp, &tb, &err), 0);
		by_table += a.table;
		assert_false(b.table);
		if (b.status == MUTU_GROUP_TIME_LIMIT) {
			skipped++;
		} else {
			double va[3], vb[3];
			sol_stages(&gp, &a, va);
			sol_stages(&gp, &b, vb);
			contracts += is_contract(&a);
			const char *v = plan_violation(&gp, &a, why, sizeof why);
			if (!stages_agree(is_contract(&a), va, is_contract(&b), vb) || v != NULL) {
				if (++failures <= MAX_REPORTS) {
					print_message("group %zu (%s): %s\n", k,
						      gp.goal ? "patients" : "net_benefit",
						      v ? v : "stage values differ");
					print_solution(&gp, &a);
					print_solution(&gp, &b);
				}
			}
		}
		mutu_group_solution_free(&a);
		mutu_group_solution_free(&b);
		pb_problem_free(&gp);
	}
	print_message(
	    "30 members: 40 groups, %d by the table, %d contracts, %d skipped, %d failures\n",
	    by_table, contracts, skipped, failures);
	assert_int_equal(failures, 0);
	assert_true(by_table >= 30 && contracts >= 30 && skipped <= 4);
}

/* Time limits of 1 ms to 1 s on 100-member groups, by the table and by
 * GLPK alone (1 to 30 ms): every solve returns, with status optimal,
 * no_contract or time_limit, and a plan it gives is feasible.  (A limit
 * reached during the first pass over the levels once dereferenced a
 * missing level order.) */
static void short_time_limits_end_cleanly(void **state)
{
	static const int limits[2][4] = {{1, 3, 30, 1000}, {1, 3, 10, 30}};
	int cut = 0, optimal = 0, failures = 0;
	char why[256];
	(void)state;
	for (size_t k = 0; k < 12; k++) {
		mutu_group_problem gp;
		pb_rng r = {pb_sized_seed(SEED, 100, MUTU_BASIS_SUM_INDIVIDUAL, k)};
		assert_int_equal(pb_gen_sized(&r, &gp, 100, MUTU_BASIS_SUM_INDIVIDUAL), 0);
		for (int run = 0; run < 16; run++) {
			gp.goal = (run & 1) ? MUTU_GOAL_PATIENTS : MUTU_GOAL_NET_BENEFIT;
			mutu_solve_options o = {.goal = gp.goal,
						.time_limit_ms = limits[run >= 8][(run >> 1) & 3],
						.mip_only = run >= 8};
			mutu_group_solution sol;
			mutu_error err;
			memset(&err, 0, sizeof err);
			assert_int_equal(mutu_group_solve(&sol, &gp, &o, &err), 0);
			assert_true(sol.status == MUTU_GROUP_OPTIMAL ||
				    sol.status == MUTU_GROUP_NO_CONTRACT ||
				    sol.status == MUTU_GROUP_TIME_LIMIT);
			cut += sol.status == MUTU_GROUP_TIME_LIMIT;
			optimal += sol.status == MUTU_GROUP_OPTIMAL;
			if (sol.etp > 0 && plan_violation(&gp, &sol, why, sizeof why) != NULL &&
			    ++failures <= MAX_REPORTS)
				print_message("group %zu run %d: %s\n", k, run, why);
			mutu_group_solution_free(&sol);
		}
		pb_problem_free(&gp);
	}
	print_message("time limits: 192 solves, %d cut, %d optimal, %d failures\n", cut, optimal,
		      failures);
	assert_int_equal(failures, 0);
	assert_true(cut >= 10 && optimal >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bf_split_should_pool_capacity_by_hand),
	    cmocka_unit_test(pooling_should_take_both_notional_options),
	    cmocka_unit_test(etp_total_cap_should_exclude_the_pair),
	    cmocka_unit_test(goals_should_pick_different_pooled_levels),
	    cmocka_unit_test(floor_share_should_rule_out_levels_beyond_a_members_cap),
	    cmocka_unit_test(ties_should_go_to_the_least_rate_then_the_least_etp),
	    cmocka_unit_test(no_plan_should_give_no_contract),
	    cmocka_unit_test(random_problems_should_match_bruteforce),
	    cmocka_unit_test(split_should_equal_enumerating_every_vector_of_units),
	    cmocka_unit_test(member_order_should_not_change_stage_values),
	    cmocka_unit_test(raising_etp_total_should_not_lower_stage_one),
	    cmocka_unit_test(pooling_should_not_do_worse_than_individual_contracts),
	    cmocka_unit_test(table_should_match_glpk_on_30_member_groups),
	    cmocka_unit_test(short_time_limits_end_cleanly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

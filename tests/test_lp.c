/* The GLPK driver: answers of small models known by hand, and the error
 * hook that turns a GLPK fatal error into a retry or an error return. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lp.h"
#include "mutu/group.h"
#include "testutil.h"

/* max 3 y1 + 2 y2 + x  s.t.  y1 + y2 <= 1,  x - 4 y2 <= 0,  x <= 3,
 * y binary, x >= 0.  y1=1: 3 + x with x <= 0 -> 3;  y2=1: 2 + x, x <= 3
 * -> 5.  Optimum 5 at y2 = 1, x = 3. */
static void build_small(lp_model *m)
{
	mutu_lp__init(m);
	m->maximize = true;
	assert_int_equal(mutu_lp__add_col(m, "y1", LP_BINARY, 0, 1, 3), 0);
	assert_int_equal(mutu_lp__add_col(m, "y2", LP_BINARY, 0, 1, 2), 1);
	assert_int_equal(mutu_lp__add_col(m, "x", LP_CONTINUOUS, 0, 3, 1), 2);
	size_t i1[2] = {0, 1};
	double v1[2] = {1, 1};
	assert_true(mutu_lp__add_row(m, "pick", LP_UPPER, 1, 2, i1, v1) >= 0);
	size_t i2[2] = {2, 1};
	double v2[2] = {1, -4};
	assert_true(mutu_lp__add_row(m, "link", LP_UPPER, 0, 2, i2, v2) >= 0);
	/* x <= 4 y2 also needs y2 for x > 0; y1 alone leaves x = 0. */
	size_t i3[2] = {2, 0};
	double v3[2] = {1, 3};
	assert_true(mutu_lp__add_row(m, "cap", LP_UPPER, 3, 2, i3, v3) >= 0);
}

static void small_mip_has_its_hand_optimum(void **state)
{
	(void)state;
	lp_model m;
	build_small(&m);
	lp_result r;
	mutu_error err;
	memset(&err, 0, sizeof err);
	assert_int_equal(mutu_lp__solve(&m, 0, &r, &err), 0);
	assert_int_equal(r.status, LP_OPTIMAL);
	assert_near(r.obj, 5, 1e-9);
	assert_near(r.x[1], 1, 1e-6);
	assert_near(r.x[2], 3, 1e-6);
	free(r.x);
	mutu_lp__free(&m);
}

static void infeasible_model_is_reported_not_solved(void **state)
{
	(void)state;
	lp_model m;
	build_small(&m);
	size_t i[1] = {2};
	double v[1] = {1};
	assert_true(mutu_lp__add_row(&m, "impossible", LP_LOWER, 10, 1, i, v) >= 0); /* x >= 10 */
	lp_result r;
	mutu_error err;
	memset(&err, 0, sizeof err);
	assert_int_equal(mutu_lp__solve(&m, 0, &r, &err), 0);
	assert_int_equal(r.status, LP_INFEASIBLE);
	free(r.x);
	mutu_lp__free(&m);
}

/* GLPK aborts the process on a bad bound; the driver refuses the model
 * before any glp_* call. */
static void invalid_model_is_refused_before_glpk(void **state)
{
	(void)state;
	lp_model m;
	build_small(&m);
	m.cols[2].ub = -1; /* below its lower bound */
	lp_result r;
	mutu_error err;
	memset(&err, 0, sizeof err);
	assert_int_equal(mutu_lp__solve(&m, 0, &r, &err), MUTU_ESOLVER);
	assert_non_null(strstr(err.message, "invalid model"));
	m.cols[2].ub = NAN;
	assert_int_equal(mutu_lp__solve(&m, 0, &r, &err), MUTU_ESOLVER);
	m.cols[2].ub = 3;
	m.idx[0] = 99; /* a column that does not exist */
	assert_int_equal(mutu_lp__solve(&m, 0, &r, &err), MUTU_ESOLVER);
	mutu_lp__free(&m);
}

/* A GLPK fatal error in the first attempt (with the presolver): the hook
 * catches it, the environment is freed, and the retry without presolve
 * gives the right answer. */
static void glpk_failure_in_presolve_is_retried(void **state)
{
	(void)state;
	lp_model m;
	build_small(&m);
	lp_result r;
	mutu_error err;
	memset(&err, 0, sizeof err);
	mutu_lp__fault_injection = LP_FAULT_PRESOLVE;
	int rc = mutu_lp__solve(&m, 0, &r, &err);
	mutu_lp__fault_injection = LP_FAULT_NONE;
	assert_int_equal(rc, 0);
	assert_int_equal(r.status, LP_OPTIMAL);
	assert_near(r.obj, 5, 1e-9);
	free(r.x);
	mutu_lp__free(&m);
}

/* A GLPK fatal error in both attempts: an error return, the process goes
 * on, and GLPK works again for the next model. */
static void glpk_failure_everywhere_is_an_error_not_an_abort(void **state)
{
	(void)state;
	lp_model m;
	build_small(&m);
	lp_result r;
	mutu_error err;
	memset(&err, 0, sizeof err);
	mutu_lp__fault_injection = LP_FAULT_ALWAYS;
	int rc = mutu_lp__solve(&m, 0, &r, &err);
	mutu_lp__fault_injection = LP_FAULT_NONE;
	assert_int_equal(rc, MUTU_ESOLVER);
	assert_non_null(strstr(err.message, "glpk"));
	free(r.x);
	assert_int_equal(mutu_lp__solve(&m, 0, &r, &err), 0);
	assert_near(r.obj, 5, 1e-9);
	free(r.x);
	mutu_lp__free(&m);
}

/* Through the public API: a group whose solve fails in GLPK gets status
 * error with a message, and the next group solves.  Two members P = 1000,
 * h = 0.05, g = 0.3, amax 1 (units of 0.1 ETP: 50 + 30 k_i patients),
 * options A (1 ETP, 400 patients, aid 300 000) and B (1 ETP, 100, aid
 * 250 000), cost 180 000 per ETP.  At E = 2 the best NET (A + A, T 800)
 * does not fit (2 x 350 = 700), so GLPK solves that level: A + B, NET
 * 300 000 + 250 000 - 360 000 = 190 000, better than A alone (E = 1,
 * 350 + 50 = 400 patients fit, NET 120 000). */
static void group_solve_survives_a_glpk_failure(void **state)
{
	(void)state;
	mutu_gp_choice c1[2] = {{1, 400, 300000, 0}, {1, 100, 250000, 1}};
	mutu_gp_choice c2[2] = {{1, 400, 300000, 0}, {1, 100, 250000, 1}};
	mutu_gp_member members[2] = {
	    {.p = 1000, .headroom = 0.05, .gain = 0.3, .max_new = -1, .choices = c1, .nchoices = 2},
	    {.p = 1000,
	     .headroom = 0.05,
	     .gain = 0.3,
	     .max_new = -1,
	     .choices = c2,
	     .nchoices = 2}};
	mutu_group_problem gp = {.basis = MUTU_BASIS_SUM_INDIVIDUAL,
				 .goal = MUTU_GOAL_NET_BENEFIT,
				 .m = 2,
				 .members = members,
				 .cost_per_etp = 180000,
				 .value_per_patient = 0,
				 .floor_share = 0,
				 .max_etp_per_doctor = 1,
				 .max_etp_total = 10};
	/* GLPK's level MIPs, not the exact table (which needs no GLPK). */
	mutu_solve_options opts = {
	    .goal = MUTU_GOAL_NET_BENEFIT, .time_limit_ms = 0, .mip_only = true};
	mutu_group_solution sol;
	mutu_error err;
	memset(&err, 0, sizeof err);
	mutu_lp__fault_injection = LP_FAULT_ALWAYS;
	int rc = mutu_group_solve(&sol, &gp, &opts, &err);
	mutu_lp__fault_injection = LP_FAULT_NONE;
	assert_int_equal(rc, MUTU_ESOLVER);
	assert_int_equal(sol.status, MUTU_GROUP_ERROR);
	mutu_group_solution_free(&sol);
	assert_int_equal(mutu_group_solve(&sol, &gp, &opts, &err), 0);
	assert_int_equal(sol.status, MUTU_GROUP_OPTIMAL);
	assert_near(sol.net, 190000, 1e-6);
	assert_near(sol.objective, 500, 0);
	assert_false(sol.table);
	mutu_group_solution_free(&sol);
	/* The table, under the same fault: the same plan, GLPK untouched. */
	opts.mip_only = false;
	mutu_lp__fault_injection = LP_FAULT_ALWAYS;
	rc = mutu_group_solve(&sol, &gp, &opts, &err);
	mutu_lp__fault_injection = LP_FAULT_NONE;
	assert_int_equal(rc, 0);
	assert_true(sol.table);
	assert_near(sol.net, 190000, 1e-6);
	assert_near(sol.objective, 500, 0);
	mutu_group_solution_free(&sol);
}

/* GLPK's branch-and-cut reporting a basis factorisation failure
 * (GLP_EFAIL, code 5) on the first try: the driver starts again with
 * other settings and still proves the hand optimum 5. */
static void basis_factorisation_failure_is_recovered(void **state)
{
	(void)state;
	lp_model m;
	build_small(&m);
	lp_result r;
	mutu_error err;
	memset(&err, 0, sizeof err);
	mutu_lp__fault_injection = LP_FAULT_EFAIL;
	int rc = mutu_lp__solve(&m, 0, &r, &err);
	mutu_lp__fault_injection = LP_FAULT_NONE;
	assert_int_equal(rc, 0);
	assert_int_equal(r.status, LP_OPTIMAL);
	assert_near(r.obj, 5, 1e-9);
	free(r.x);
	mutu_lp__free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(small_mip_has_its_hand_optimum),
	    cmocka_unit_test(infeasible_model_is_reported_not_solved),
	    cmocka_unit_test(invalid_model_is_refused_before_glpk),
	    cmocka_unit_test(glpk_failure_in_presolve_is_retried),
	    cmocka_unit_test(glpk_failure_everywhere_is_an_error_not_an_abort),
	    cmocka_unit_test(group_solve_survives_a_glpk_failure),
	    cmocka_unit_test(basis_factorisation_failure_is_recovered),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	mutu_solver_release();
	return rc;
}

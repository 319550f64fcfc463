/* Each member's money (model.md §4b): the sharing rules on groups worked
 * by hand, the property "when the group gains every member gains" on
 * random groups, the Shapley value of the gain game against an
 * independent enumeration (every coalition solved one by one as a
 * cabinet of its own through the public API), its sampled estimate, and
 * the notes that name the special rules applied to a doctor. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutu/analysis.h"
#include "mutu/group.h"
#include "mutu/sharing.h"
#include "problems.h"
#include "testutil.h"

#define TINY_RULES "golden/data/tiny-rules.json"
#define RULES_2024 "../scenarios/rules/convention-2024.json"

/* ---- hand-computed splits ------------------------------------------------ */

/* Three members, S c = 180 000 per ETP, Sv v = 600 per patient:
 *   a = 0.5, 0.5, 0        COST_i = 90 000, 90 000, 0         (COST 180 000)
 *   x = 100, 60, 40        VALUE_i = 60 000, 36 000, 24 000   (VALUE 120 000)
 *   AID 150 000, so NET_G = 150 000 - 180 000 + 120 000 = 90 000;
 *   alone 30 000, 20 000, 10 000 (60 000): gain_net = 30 000. */
static mutu_gp_member three[3] = {
    {.p = 1000, .headroom = 0.05, .gain = 0.3, .max_new = -1},
    {.p = 500, .headroom = 0.05, .gain = 0.3, .max_new = -1},
    {.p = 500, .headroom = 0.05, .gain = 0.3, .max_new = 20},
};
static double three_a[3] = {0.5, 0.5, 0}, three_x[3] = {100, 60, 40};
static const double three_alone[3] = {30000, 20000, 10000};

static mutu_group_problem three_problem(void)
{
	mutu_group_problem gp = {.basis = MUTU_BASIS_SUM_INDIVIDUAL,
				 .m = 3,
				 .members = three,
				 .cost_per_etp = 180000,
				 .value_per_patient = 600,
				 .max_etp_per_doctor = 1,
				 .max_etp_total = 10};
	return gp;
}

static mutu_group_solution three_solution(void)
{
	mutu_group_solution sol = {.status = MUTU_GROUP_OPTIMAL,
				   .etp = 1,
				   .objective = 200,
				   .aid = 150000,
				   .cost = 180000,
				   .value = 120000,
				   .net = 90000,
				   .assistant_etp = three_a,
				   .patients = three_x};
	return sol;
}

/* Checks one member's figures; AID_i = NET_i + COST_i - VALUE_i. */
static void check_member(const mutu_member_share *s, double cost, double value, double net,
			 double alone)
{
	assert_near(s->cost, cost, 1e-6);
	assert_near(s->value, value, 1e-6);
	assert_near(s->net, net, 1e-6);
	assert_near(s->individual_net, alone, 0);
	assert_near(s->gain, net - alone, 1e-6);
	assert_near(s->aid, net + cost - value, 1e-6);
}

/* patients: s = 100/200, 60/200, 40/200 = 0.5, 0.3, 0.2, so NET_i =
 * alone + s x 30 000 = 45 000, 29 000, 16 000; AID_i = 45 000 + 90 000 -
 * 60 000 = 75 000, 29 000 + 90 000 - 36 000 = 83 000, 16 000 + 0 - 24 000
 * = -8 000 (the third member pays 8 000 to the others); 75 000 + 83 000 -
 * 8 000 = 150 000 = AID. */
static void patients_by_hand(void **state)
{
	(void)state;
	mutu_group_problem gp = three_problem();
	mutu_group_solution sol = three_solution();
	mutu_sharing sh;
	assert_int_equal(
	    mutu_sharing_split(&sh, &gp, &sol, three_alone, MUTU_SHARING_PATIENTS, NULL), 0);
	assert_int_equal(sh.used, MUTU_SHARING_PATIENTS);
	assert_near(sh.gain_net, 30000, 1e-6);
	check_member(&sh.members[0], 90000, 60000, 45000, 30000);
	check_member(&sh.members[1], 90000, 36000, 29000, 20000);
	check_member(&sh.members[2], 0, 24000, 16000, 10000);
	assert_near(sh.members[0].aid, 75000, 1e-6);
	assert_near(sh.members[1].aid, 83000, 1e-6);
	assert_near(sh.members[2].aid, -8000, 1e-6);
	/* Half-days: 0.5 ETP = 5 units of 0.1; capacity P (h + g a):
	 * 1000 x (0.05 + 0.15) = 200, 500 x 0.2 = 100, 500 x 0.05 = 25
	 * capped by max_new 20. */
	assert_near(sh.members[0].half_days, 5, 0);
	assert_near(sh.members[1].half_days, 5, 0);
	assert_near(sh.members[2].half_days, 0, 0);
	assert_near(sh.members[0].capacity, 200, 1e-9);
	assert_near(sh.members[1].capacity, 100, 1e-9);
	assert_near(sh.members[2].capacity, 20, 0);
	mutu_sharing_free(&sh);
}

/* equal: s = 1/3: NET_i = 40 000, 30 000, 20 000; AID_i = 70 000,
 * 84 000, -4 000.  list: P = 1000, 500, 500 of 2000: s = 0.5, 0.25, 0.25:
 * NET_i = 45 000, 27 500, 17 500; AID_i = 75 000, 81 500, -6 500.
 * shapley with sigma = 12 000, 12 000, 6 000 (sum 30 000): s = 0.4, 0.4,
 * 0.2: NET_i = 42 000, 32 000, 16 000. */
static void equal_list_shapley_by_hand(void **state)
{
	(void)state;
	mutu_group_problem gp = three_problem();
	mutu_group_solution sol = three_solution();
	mutu_sharing sh;
	assert_int_equal(mutu_sharing_split(&sh, &gp, &sol, three_alone, MUTU_SHARING_EQUAL, NULL),
			 0);
	check_member(&sh.members[0], 90000, 60000, 40000, 30000);
	check_member(&sh.members[1], 90000, 36000, 30000, 20000);
	check_member(&sh.members[2], 0, 24000, 20000, 10000);
	assert_near(sh.members[2].aid, -4000, 1e-6);
	mutu_sharing_free(&sh);

	assert_int_equal(mutu_sharing_split(&sh, &gp, &sol, three_alone, MUTU_SHARING_LIST, NULL),
			 0);
	check_member(&sh.members[0], 90000, 60000, 45000, 30000);
	check_member(&sh.members[1], 90000, 36000, 27500, 20000);
	check_member(&sh.members[2], 0, 24000, 17500, 10000);
	assert_near(sh.members[1].aid, 81500, 1e-6);
	mutu_sharing_free(&sh);

	const double sigma[3] = {12000, 12000, 6000};
	assert_int_equal(
	    mutu_sharing_split(&sh, &gp, &sol, three_alone, MUTU_SHARING_SHAPLEY, sigma), 0);
	assert_int_equal(sh.used, MUTU_SHARING_SHAPLEY);
	check_member(&sh.members[0], 90000, 60000, 42000, 30000);
	check_member(&sh.members[1], 90000, 36000, 32000, 20000);
	check_member(&sh.members[2], 0, 24000, 16000, 10000);
	mutu_sharing_free(&sh);

	/* No gain (alone sums to 90 000): shapley falls back to patients,
	 * and every member gets exactly his net alone. */
	const double even[3] = {50000, 30000, 10000};
	assert_int_equal(mutu_sharing_split(&sh, &gp, &sol, even, MUTU_SHARING_SHAPLEY, sigma), 0);
	assert_int_equal(sh.used, MUTU_SHARING_PATIENTS);
	check_member(&sh.members[0], 90000, 60000, 50000, 50000);
	check_member(&sh.members[2], 0, 24000, 10000, 10000);
	mutu_sharing_free(&sh);
}

/* A game given by its table: min size 2, gamma(12) = 60, gamma(13) =
 * 30, gamma(23) = 0, gamma(123) = 90; alone 100, 200, 300. */
static const double table_gain[8] = {0, 0, 0, 60, 0, 30, 0, 90};
static const double table_alone[3] = {100, 200, 300};

static int table_net(void *ctx, const size_t *in, size_t k, double *net, mutu_error *err)
{
	(void)ctx;
	(void)err;
	size_t mask = 0;
	double alone = 0;
	for (size_t j = 0; j < k; j++) {
		mask |= (size_t)1 << in[j];
		alone += table_alone[in[j]];
	}
	*net = alone + table_gain[mask];
	return 0;
}

/* phi_i = sum over C without i of |C|! (2 - |C|)! / 3! (gamma(C+i) -
 * gamma(C)), weights 1/3, 1/6, 1/3 for |C| = 0, 1, 2:
 *   phi_1 = (60 - 0)/6 + (30 - 0)/6 + (90 - 0)/3 = 10 + 5 + 30 = 45
 *   phi_2 = (60 - 0)/6 + (0 - 0)/6 + (90 - 30)/3 = 10 + 0 + 20 = 30
 *   phi_3 = (30 - 0)/6 + (0 - 0)/6 + (90 - 60)/3 = 5 + 0 + 10 = 15
 * (sum 90 = gamma(123)).  Coalitions: v(C) = alone + gamma; marginal
 * v(G) - v(G - i): 690 - 500 = 190, 690 - 430 = 260, 690 - 360 = 330.
 * With keys 0.1, 0.1, 0.8 the nets are 109, 209, 372 and {1, 2} would
 * get v = 300 + 60 = 360 > 109 + 209 + 1: it blocks; with equal keys
 * (nets 130, 230, 330) v({1,2}) = 360 = 130 + 230: nobody blocks. */
static void shapley_and_coalitions_by_hand(void **state)
{
	(void)state;
	mutu_game g = {.m = 3, .alone = table_alone, .min_size = 2, .net = table_net};
	double gains[8], phi[3];
	mutu_error err;
	assert_int_equal(mutu_game_all_gains(&g, gains, &err), 0);
	for (size_t mask = 0; mask < 8; mask++)
		assert_near(gains[mask], table_gain[mask], 1e-9);
	assert_int_equal(g.solves, 4); /* the singletons are below min_size */
	mutu_shapley_exact(3, gains, phi);
	assert_near(phi[0], 45, 1e-9);
	assert_near(phi[1], 30, 1e-9);
	assert_near(phi[2], 15, 1e-9);

	mutu_sharing sh = {.m = 3};
	mutu_member_share ms[3] = {{.net = 109}, {.net = 209}, {.net = 372}};
	sh.members = ms;
	assert_int_equal(mutu_sharing_coalitions(&sh, table_alone, gains), 0);
	assert_near(ms[0].marginal, 190, 1e-9);
	assert_near(ms[1].marginal, 260, 1e-9);
	assert_near(ms[2].marginal, 330, 1e-9);
	assert_int_equal(sh.nblocking, 2);
	assert_int_equal(sh.blocking[0], 0);
	assert_int_equal(sh.blocking[1], 1);
	assert_near(sh.blocking_alone, 360, 1e-9);
	assert_near(sh.blocking_shares, 318, 1e-9);
	free(sh.blocking);

	mutu_member_share eq[3] = {{.net = 130}, {.net = 230}, {.net = 330}};
	mutu_sharing sh2 = {.m = 3, .members = eq};
	assert_int_equal(mutu_sharing_coalitions(&sh2, table_alone, gains), 0);
	assert_int_equal(sh2.nblocking, 0);
	assert_null(sh2.blocking);
}

/* golden/data/tiny-trio.json under the tiny rules (standard zone: only
 * option half, 0.5 ETP, aid 18 000 + 13 500 + 3 x 10 500 = 63 000, cost
 * 5 x 36 000 x 0.5 = 90 000, 600 per patient):
 *   a  P 1000, rate 0.20: t 200 <= cap 1000 (0.05 + 0.15) = 200: NET* =
 *      63 000 - 90 000 + 120 000 = 93 000
 *   b  P 900, rate 0.25: t 225 > cap 900 (0 + 0.2 x 0.5) = 90: NET* = 0,
 *      notional NET 600 x 225 - 27 000 = 108 000
 *   c  P 1600 (p90_p95), rate 0.06: t 96, aid 18 000 + 13 500 + 3 x
 *      12 500 = 69 000: NET* = 69 000 - 90 000 + 57 600 = 36 600, spare
 *      capacity 320 - 96 = 224.
 * gamma: {a,b} 0 (b cannot fit: caps 200 + 90 < 425), {a,c} 0 (nothing
 * to gain), {b,c} 108 000 (225 + 96 <= 90 + 320), {a,b,c} 108 000.
 * Shapley: phi_a = 0; phi_b = 108 000 / 6 + 108 000 / 3 = 54 000 = phi_c.
 * Nets 93 000, 54 000, 90 600; marginal v(G) - v(G - i) with v(G) =
 * 237 600: 237 600 - 144 600 = 93 000, - 129 600 = 108 000, - 93 000 =
 * 144 600; no sub-group gets more on its own (v({b,c}) = 144 600 =
 * 54 000 + 90 600). */
static void trio_by_hand(void **state)
{
	(void)state;
	mutu_rules rules;
	mutu_cabinet cab;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	assert_int_equal(mutu_rules_load(&rules, TINY_RULES, &errs), 0);
	assert_int_equal(mutu_cabinet_load(&cab, &rules, "golden/data/tiny-trio.json", &errs), 0);
	mutu_analysis an;
	mutu_analysis_options o = {.sharing = MUTU_SHARING_SHAPLEY, .coalitions = true};
	assert_int_equal(mutu_analysis_run_with(&an, &rules, &cab, true, &o), 0);
	assert_true(mutu_analysis_has_plan(&an, 0));
	const mutu_sharing *sh = &an.shares[0];
	assert_near(an.solutions[0].net, 237600, 1e-3);
	assert_near(sh->gain_net, 108000, 1e-3);
	assert_int_equal(sh->used, MUTU_SHARING_SHAPLEY);
	const double phi[3] = {0, 54000, 54000}, net[3] = {93000, 54000, 90600};
	const double marginal[3] = {93000, 108000, 144600};
	for (size_t i = 0; i < 3; i++) {
		assert_near(sh->members[i].shapley, phi[i], 1e-3);
		assert_near(sh->members[i].net, net[i], 1e-3);
		assert_near(sh->members[i].marginal, marginal[i], 1e-3);
		assert_near(sh->members[i].cost, 90000, 1e-6);
	}
	assert_int_equal(sh->nblocking, 0);
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);
	mutu_rules_free(&rules);
}

/* ---- the property on random groups -------------------------------------- */

/* A member's best individual net on a sum_individual problem: the
 * choice with the largest NET >= 0 within his own capacity (model.md §2),
 * else 0. */
static double alone_of(const mutu_group_problem *gp, size_t i)
{
	const mutu_gp_member *mb = &gp->members[i];
	double best = 0;
	for (size_t o = 0; o < mb->nchoices; o++) {
		const mutu_gp_choice *c = &mb->choices[o];
		double cap = mb->p * (mb->headroom + mb->gain * c->etp);
		if (mb->max_new >= 0 && cap > mb->max_new)
			cap = mb->max_new;
		if (c->objective <= cap + 1e-9)
			best = fmax(best, mutu_gp_choice_net(gp, c));
	}
	return best;
}

/* Under patients, equal and list, a group that gains makes every member
 * gain (NET_i >= NET_i*), and the members' money sums to the group's to
 * the euro; on 600 random groups of both bases, alone taken from each
 * member's own feasible choices (sum_individual) or drawn (pooled). */
static void every_member_gains_when_the_group_gains(void **state)
{
	(void)state;
	pb_rng r = {20261201};
	size_t gaining = 0, plans = 0;
	for (int k = 0; k < 600; k++) {
		mutu_group_problem gp;
		mutu_basis basis = k % 3 == 2 ? MUTU_BASIS_POOLED : MUTU_BASIS_SUM_INDIVIDUAL;
		assert_int_equal(pb_gen_small(&r, &gp, basis, (mutu_goal)(k & 1)), 0);
		mutu_solve_options opts = {.goal = gp.goal};
		mutu_group_solution sol;
		mutu_error err;
		assert_int_equal(mutu_group_solve(&sol, &gp, &opts, &err), 0);
		double alone[8];
		assert_true(gp.m <= 8);
		for (size_t i = 0; i < gp.m; i++)
			alone[i] =
			    basis == MUTU_BASIS_POOLED ? pb_range(&r, 0, 40000) : alone_of(&gp, i);
		if (sol.status != MUTU_GROUP_OPTIMAL) {
			mutu_group_solution_free(&sol);
			pb_problem_free(&gp);
			continue;
		}
		plans++;
		for (int rule = MUTU_SHARING_PATIENTS; rule <= MUTU_SHARING_LIST; rule++) {
			mutu_sharing sh;
			assert_int_equal(mutu_sharing_split(&sh, &gp, &sol, alone,
							    (mutu_sharing_rule)rule, NULL),
					 0);
			double cost = 0, value = 0, aid = 0, net = 0, key = 0, ind = 0;
			for (size_t i = 0; i < gp.m; i++) {
				const mutu_member_share *s = &sh.members[i];
				cost += s->cost;
				value += s->value;
				aid += s->aid;
				net += s->net;
				key += s->key;
				ind += s->individual_net;
				assert_true(s->key >= 0);
				if (sh.gain_net >= 0)
					assert_true(s->net >= s->individual_net - 1e-6);
				/* S c a_i when all of E is given out. */
				assert_near(s->cost, gp.cost_per_etp * sol.assistant_etp[i],
					    1e-6 * fmax(1, sol.cost));
			}
			assert_near(key, 1, 1e-9);
			assert_near(cost, sol.cost, 0.5);
			assert_near(value, sol.value, 0.5);
			assert_near(aid, sol.aid, 0.5);
			assert_near(net, sol.net, 0.5);
			assert_near(net - ind, sh.gain_net, 0.5);
			if (rule == MUTU_SHARING_PATIENTS && sh.gain_net > 0)
				gaining++;
			mutu_sharing_free(&sh);
		}
		mutu_group_solution_free(&sol);
		pb_problem_free(&gp);
	}
	print_message("%zu plans, %zu gaining\n", plans, gaining);
	assert_true(plans >= 300);
	assert_true(gaining >= 100);
}

/* Every example cabinet under every rules file and both goals, shared
 * by each rule but shapley (with the coalitions of groups up to 10):
 * the members' cost, value, aid and net sum to the plan's to the euro,
 * half-days are a_i in units of 0.1 ETP, and the keys sum to 1. */
static void examples_sum_to_the_group(void **state)
{
	(void)state;
	glob_t cabs, rules;
	assert_int_equal(glob("../scenarios/cabinets/*.json", 0, NULL, &cabs), 0);
	assert_int_equal(glob("../scenarios/rules/*.json", 0, NULL, &rules), 0);
	assert_int_equal(glob("../scenarios/rules/variants/*.json", GLOB_APPEND, NULL, &rules), 0);
	size_t plans = 0;
	for (size_t r = 0; r < rules.gl_pathc; r++) {
		mutu_rules ru;
		mutu_errors errs;
		mutu_errors_clear(&errs);
		assert_int_equal(mutu_rules_load(&ru, rules.gl_pathv[r], &errs), 0);
		for (size_t c = 0; c < cabs.gl_pathc; c++) {
			mutu_cabinet cab;
			if (mutu_cabinet_load(&cab, &ru, cabs.gl_pathv[c], &errs) != 0)
				continue;
			for (int goal = 0; goal < 2; goal++) {
				mutu_analysis an;
				mutu_analysis_options o = {.solve = {.goal = (mutu_goal)goal},
							   .sharing = (mutu_sharing_rule)(c % 3),
							   .coalitions = goal == 0};
				assert_int_equal(mutu_analysis_run_with(&an, &ru, &cab, true, &o),
						 0);
				for (size_t g = 0; g < an.ngroups; g++) {
					if (!mutu_analysis_has_plan(&an, g))
						continue;
					const mutu_group_solution *sol = &an.solutions[g];
					const mutu_sharing *sh = &an.shares[g];
					double cost = 0, value = 0, aid = 0, net = 0, key = 0;
					assert_non_null(sh->members);
					for (size_t i = 0; i < sh->m; i++) {
						const mutu_member_share *ms = &sh->members[i];
						cost += ms->cost;
						value += ms->value;
						aid += ms->aid;
						net += ms->net;
						key += ms->key;
						assert_near(ms->half_days * 0.1,
							    sol->assistant_etp[i], 0.05 + 1e-9);
					}
					assert_near(cost, sol->cost, 0.5);
					assert_near(value, sol->value, 0.5);
					assert_near(aid, sol->aid, 0.5);
					assert_near(net, sol->net, 0.5);
					assert_near(key, 1, 1e-9);
					assert_true(sh->coalitions == (goal == 0 && sh->m <= 10));
					plans++;
				}
				mutu_analysis_free(&an);
			}
			mutu_cabinet_free(&cab);
		}
		mutu_rules_free(&ru);
	}
	globfree(&cabs);
	globfree(&rules);
	print_message("%zu plans\n", plans);
	assert_true(plans >= 50);
}

/* ---- Shapley against an independent enumeration -------------------------- */

/* A random cabinet of m GPs under the tiny rules (P30 800 ... P95 1700,
 * h 0.05, g 0.3 by default, at most 0.5 ETP each): P 850-2000, and a
 * capacity override on most doctors so that some cannot sign alone what
 * the group can carry. */
static char *random_cabinet(pb_rng *r, size_t m, const char *zone)
{
	size_t cap = 512 + 400 * m, n = 0;
	char *s = malloc(cap);
	n += (size_t)snprintf(s + n, cap - n,
			      "{\"id\": \"rand-%llu\", \"zone\": \"%s\", \"contract_start\": "
			      "\"2025-01-01\", \"doctors\": [",
			      (unsigned long long)(r->s % 100000), zone);
	for (size_t i = 0; i < m; i++) {
		double pmt = floor(pb_range(r, 850, 2000));
		n += (size_t)snprintf(s + n, cap - n,
				      "%s{\"id\": \"d%zu\", \"specialty\": \"gp\", \"sector\": "
				      "\"1\", \"pmt\": %.0f, \"fa\": %.0f, \"volunteer\": true",
				      i ? ", " : "", i + 1, pmt, pmt);
		if (pb_unif(r) < 0.8)
			n += (size_t)snprintf(s + n, cap - n,
					      ", \"headroom\": %.3f, \"gain_per_etp\": %.3f",
					      pb_range(r, 0, 0.1), pb_range(r, 0.05, 0.6));
		if (pb_unif(r) < 0.15)
			n += (size_t)snprintf(s + n, cap - n, ", \"age\": 67");
		n += (size_t)snprintf(s + n, cap - n, "}");
	}
	snprintf(s + n, cap - n, "]}");
	return s;
}

/* NET_G(C) and the members' nets alone of the coalition `mask` of the
 * members of group 0 of `an`, solved as a cabinet of its own: the
 * cabinet's other doctors dropped, formed and solved by
 * mutu_analysis_run, goal net_benefit.  0 when it has no plan. */
static double coalition_by_cabinet(const mutu_rules *rules, const mutu_cabinet *cab,
				   const mutu_group *grp, size_t mask, double *alone)
{
	mutu_cabinet sub = *cab;
	mutu_doctor docs[16];
	sub.ndoctors = 0;
	sub.doctors = docs;
	for (size_t i = 0; i < grp->nmembers; i++)
		if (mask & ((size_t)1 << i))
			docs[sub.ndoctors++] = cab->doctors[grp->members[i]];
	mutu_analysis an;
	mutu_solve_options so = {.goal = MUTU_GOAL_NET_BENEFIT};
	assert_int_equal(mutu_analysis_run(&an, rules, &sub, true, &so), 0);
	*alone = 0;
	for (size_t d = 0; d < sub.ndoctors; d++)
		*alone += an.evals[d].best >= 0 ? an.evals[d].best_net : 0;
	double net = 0;
	for (size_t g = 0; g < an.ngroups; g++)
		if (an.groups[g].specialty == grp->specialty && mutu_analysis_has_plan(&an, g))
			net = an.solutions[g].net;
	mutu_analysis_free(&an);
	return net;
}

static double factorial(size_t n)
{
	double f = 1;
	for (size_t i = 2; i <= n; i++)
		f *= (double)i;
	return f;
}

/* The independent Shapley value: gamma of every coalition from its own
 * cabinet, then phi_i = sum_C |C|! (m - |C| - 1)! / m! (v(C + i) - v(C))
 * (v = sum of alone + gamma: the alone parts cancel, gamma is used). */
static void independent_shapley(const mutu_rules *rules, const mutu_cabinet *cab,
				const mutu_group *grp, double *phi, double *gains)
{
	size_t m = grp->nmembers, full = (size_t)1 << m;
	gains[0] = 0;
	for (size_t mask = 1; mask < full; mask++) {
		double alone, net = coalition_by_cabinet(rules, cab, grp, mask, &alone);
		gains[mask] = fmax(0, net - alone);
	}
	for (size_t i = 0; i < m; i++) {
		phi[i] = 0;
		for (size_t mask = 0; mask < full; mask++) {
			if (mask & ((size_t)1 << i))
				continue;
			size_t c = 0;
			for (size_t j = 0; j < m; j++)
				c += mask >> j & 1u;
			phi[i] += factorial(c) * factorial(m - c - 1) / factorial(m) *
				  (gains[mask | ((size_t)1 << i)] - gains[mask]);
		}
	}
}

static void load_rules(mutu_rules *rules, const char *path, const char *basis)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_rules base;
	assert_int_equal(mutu_rules_load(&base, path, &errs), 0);
	if (!basis) {
		*rules = base;
		return;
	}
	const char *ptr[] = {"/mutualisation/objective_basis", "/mutualisation/max_etp_per_doctor"};
	const char *val[] = {basis, "1.0"};
	assert_int_equal(mutu_rules_vary(rules, &base, 2, ptr, val, &errs), 0);
	mutu_rules_free(&base);
}

/* On 40 random cabinets of 2-5 GPs under both bases, the Shapley values
 * of solve --sharing shapley equal the independent enumeration's, sum to
 * gamma(G) (efficiency), and so do the marginal contributions; at least
 * some groups gain, so that Shapley is the rule used. */
static void shapley_matches_independent_enumeration(void **state)
{
	(void)state;
	pb_rng r = {77};
	size_t used = 0, checked = 0;
	for (int basis = 0; basis < 2; basis++) {
		mutu_rules rules;
		load_rules(&rules, TINY_RULES, basis ? "pooled" : NULL);
		for (int k = 0; k < 20; k++) {
			size_t m = 2 + pb_below(&r, 4);
			char *text = random_cabinet(&r, m, k % 2 ? "zip" : "standard");
			mutu_cabinet cab;
			mutu_errors errs;
			mutu_errors_clear(&errs);
			assert_int_equal(mutu_cabinet_parse(&cab, &rules, text, strlen(text),
							    "rand.json", &errs),
					 0);
			free(text);
			mutu_analysis an;
			mutu_analysis_options o = {.sharing = MUTU_SHARING_SHAPLEY,
						   .coalitions = true};
			assert_int_equal(mutu_analysis_run_with(&an, &rules, &cab, true, &o), 0);
			assert_int_equal(an.ngroups, 1);
			const mutu_group *grp = &an.groups[0];
			const mutu_sharing *sh = &an.shares[0];
			if (!mutu_analysis_has_plan(&an, 0)) {
				mutu_analysis_free(&an);
				mutu_cabinet_free(&cab);
				continue;
			}
			double phi[8], gains[256], alone[8], ind = 0;
			independent_shapley(&rules, &cab, grp, phi, gains);
			size_t full = ((size_t)1 << m) - 1;
			double sum = 0;
			for (size_t i = 0; i < m; i++) {
				const mutu_doctor_eval *ev = &an.evals[grp->members[i]];
				alone[i] = ev->best >= 0 ? ev->best_net : 0;
				ind += alone[i];
			}
			bool gains_money = an.solutions[0].net - ind > 1e-6 * fmax(1, ind);
			assert_true(sh->coalitions);
			for (size_t i = 0; i < m; i++) {
				const mutu_member_share *ms = &sh->members[i];
				sum += phi[i];
				if (gains_money)
					assert_near(ms->shapley, phi[i], 0.01);
				/* v(G) - v(G - i) = alone_i + gamma(G) - gamma(G - i). */
				assert_near(
				    ms->marginal,
				    alone[i] + gains[full] - gains[full & ~((size_t)1 << i)], 0.01);
			}
			assert_near(sum, gains[full], 0.01);
			if (gains_money) {
				assert_int_equal(sh->used, MUTU_SHARING_SHAPLEY);
				used++;
			}
			checked++;
			mutu_analysis_free(&an);
			mutu_cabinet_free(&cab);
		}
		mutu_rules_free(&rules);
	}
	print_message("%zu groups checked, %zu shared by Shapley\n", checked, used);
	assert_true(checked >= 20);
	assert_true(used >= 5);
}

/* The coalition of every member is the group's own problem: same
 * members, same levels (the pooled basis recomputes them). */
static void coalition_of_all_is_the_group(void **state)
{
	(void)state;
	pb_rng r = {5};
	mutu_rules rules;
	load_rules(&rules, TINY_RULES, "pooled");
	char *text = random_cabinet(&r, 6, "zip");
	mutu_cabinet cab;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	assert_int_equal(mutu_cabinet_parse(&cab, &rules, text, strlen(text), "r.json", &errs), 0);
	free(text);
	mutu_analysis an;
	assert_int_equal(mutu_analysis_run_with(&an, &rules, &cab, true, NULL), 0);
	const mutu_group *grp = &an.groups[0];
	size_t all[6] = {0, 1, 2, 3, 4, 5};
	mutu_group_problem cp;
	assert_int_equal(mutu_coalition_problem(&cp, &rules, &cab, grp, all, 6), 0);
	assert_int_equal(cp.nlevels, grp->problem.nlevels);
	assert_true(cp.nlevels > 0);
	for (size_t n = 0; n < cp.nlevels; n++) {
		assert_near(cp.levels[n].etp, grp->problem.levels[n].etp, 0);
		assert_near(cp.levels[n].objective, grp->problem.levels[n].objective, 0);
		assert_near(cp.levels[n].aid, grp->problem.levels[n].aid, 1e-9);
	}
	assert_near(cp.cost_per_etp, grp->problem.cost_per_etp, 0);
	mutu_group_problem_free(&cp);
	/* Two members (0 and 3): P_G and the band are theirs. */
	size_t two[2] = {0, 3};
	assert_int_equal(mutu_coalition_problem(&cp, &rules, &cab, grp, two, 2), 0);
	assert_int_equal(cp.m, 2);
	assert_near(cp.members[1].p, grp->problem.members[3].p, 0);
	double pg = grp->problem.members[0].p + grp->problem.members[3].p;
	assert_near(cp.levels[0].objective,
		    mutu_pooled_objective(&rules, &cab, grp->specialty, pg, 2, cp.levels[0].etp),
		    0);
	mutu_group_problem_free(&cp);
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);
	mutu_rules_free(&rules);
}

/* ---- sampled Shapley ------------------------------------------------------ */

/* An 8-member group whose game is not flat: the sampled estimate (400
 * orderings) is within 3 standard errors of the exact value for every
 * member, is the same on a second run (seeded), and its values sum to
 * gamma(G) exactly (every ordering's marginals telescope). */
static void sampled_within_three_standard_errors(void **state)
{
	(void)state;
	mutu_rules rules;
	load_rules(&rules, TINY_RULES, NULL);
	pb_rng r = {1234};
	bool found = false;
	for (int attempt = 0; attempt < 40 && !found; attempt++) {
		char *text = random_cabinet(&r, 8, "zip");
		mutu_cabinet cab;
		mutu_errors errs;
		mutu_errors_clear(&errs);
		assert_int_equal(
		    mutu_cabinet_parse(&cab, &rules, text, strlen(text), "r.json", &errs), 0);
		free(text);
		mutu_analysis an;
		assert_int_equal(mutu_analysis_run_with(&an, &rules, &cab, true, NULL), 0);
		const mutu_group *grp = &an.groups[0];
		double alone[8];
		for (size_t i = 0; i < 8; i++) {
			const mutu_doctor_eval *ev = &an.evals[grp->members[i]];
			alone[i] = ev->best >= 0 ? ev->best_net : 0;
		}
		mutu_game game;
		mutu_group_game_ctx ctx;
		mutu_error err;
		assert_int_equal(mutu_group_game(&game, &ctx, &rules, &cab, grp, alone, NULL), 0);
		double gains[256], exact[8], phi[8], se[8], phi2[8], se2[8];
		assert_int_equal(mutu_game_all_gains(&game, gains, &err), 0);
		mutu_shapley_exact(8, gains, exact);
		double spread = 0;
		for (size_t i = 0; i < 8; i++)
			spread = fmax(spread, fabs(exact[i] - exact[0]));
		if (gains[255] > 1000 && spread > 100) {
			found = true;
			size_t used = 0;
			assert_int_equal(
			    mutu_shapley_sampled(&game, 400, 0, 99, phi, se, &used, &err), 0);
			assert_int_equal(used, 400);
			assert_int_equal(
			    mutu_shapley_sampled(&game, 400, 0, 99, phi2, se2, &used, &err), 0);
			double sum = 0, maxse = 0;
			for (size_t i = 0; i < 8; i++) {
				print_message("member %zu exact %.1f sampled %.1f se %.1f\n", i,
					      exact[i], phi[i], se[i]);
				assert_true(fabs(phi[i] - exact[i]) <= 3 * se[i] + 1e-6);
				assert_true(phi[i] == phi2[i] && se[i] == se2[i]);
				sum += phi[i];
				maxse = fmax(maxse, se[i]);
			}
			assert_near(sum, gains[255], 1e-6 * gains[255]);
			assert_true(maxse > 0);
		}
		mutu_group_game_free(&ctx);
		mutu_analysis_free(&an);
		mutu_cabinet_free(&cab);
	}
	assert_true(found);
	mutu_rules_free(&rules);
}

/* The seed depends on the cabinet and the specialty, nothing else. */
static void seed_from_cabinet_and_specialty(void **state)
{
	(void)state;
	assert_true(mutu_sharing_seed("c1", "gp") == mutu_sharing_seed("c1", "gp"));
	assert_true(mutu_sharing_seed("c1", "gp") != mutu_sharing_seed("c1", "rad"));
	assert_true(mutu_sharing_seed("c1", "gp") != mutu_sharing_seed("c2", "gp"));
	/* The split between the names counts: "ab"+"c" is not "a"+"bc". */
	assert_true(mutu_sharing_seed("ab", "c") != mutu_sharing_seed("a", "bc"));
}

/* ---- notes ---------------------------------------------------------------- */

static bool has_note(const mutu_analysis *a, size_t d, const char *want)
{
	char notes[16][MUTU_NOTE_SIZE];
	size_t n = mutu_analysis_notes(a, d, notes, 16);
	for (size_t i = 0; i < n && i < 16; i++)
		if (strcmp(notes[i], want) == 0)
			return true;
	for (size_t i = 0; i < n && i < 16; i++)
		print_message("note of %zu: %s\n", d, notes[i]);
	return false;
}

/* Under convention 2024 (P50 of GPs read from the rules), in the ZIP
 * zone: a GP aged 70 owes the senior objective (0 %); a newly installed
 * GP with P = 600 owes P50 - P; a GP without a full contract held 2 years
 * may not take one-and-half nor double; a paediatrician may not take
 * them either (GP only); a GP with max_new_patients 0 has every option
 * over capacity. */
static void notes_name_the_rules(void **state)
{
	(void)state;
	mutu_rules rules;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	assert_int_equal(mutu_rules_load(&rules, RULES_2024, &errs), 0);
	long gp = mutu_rules_specialty(&rules, "generaliste");
	assert_true(gp >= 0);
	double p50 = rules.specialties[gp].thresholds[MUTU_P50];
	char text[2048];
	snprintf(
	    text, sizeof text,
	    "{\"id\": \"n\", \"zone\": \"zip\", \"contract_start\": \"2025-01-01\", "
	    "\"doctors\": ["
	    "{\"id\": \"old\", \"specialty\": \"generaliste\", \"sector\": \"1\", \"pmt\": "
	    "1500, \"fa\": 1500, \"age\": 70, \"volunteer\": true},"
	    "{\"id\": \"new\", \"specialty\": \"generaliste\", \"sector\": \"1\", \"pmt\": 600, "
	    "\"fa\": 600, \"new_installed\": true, \"volunteer\": true},"
	    "{\"id\": \"full\", \"specialty\": \"generaliste\", \"sector\": \"1\", \"pmt\": "
	    "1200, \"fa\": 1200, \"volunteer\": true, \"max_new_patients\": 0},"
	    "{\"id\": \"ped\", \"specialty\": \"pediatrie\", \"sector\": \"1\", \"pmt\": 1200, "
	    "\"fa\": 1200, \"volunteer\": true}]}");
	mutu_cabinet cab;
	assert_int_equal(mutu_cabinet_parse(&cab, &rules, text, strlen(text), "n.json", &errs), 0);
	mutu_analysis an;
	assert_int_equal(mutu_analysis_run(&an, &rules, &cab, false, NULL), 0);
	assert_true(
	    has_note(&an, 0, "Aged 70 (65 or more): owes the senior objective, 0 % growth."));
	char want[MUTU_NOTE_SIZE];
	snprintf(want, sizeof want,
		 "Newly installed: owes P50 - P = %.0f - 600, that is %.0f new patients.", p50,
		 p50 - 600);
	assert_true(has_note(&an, 1, want));
	assert_true(has_note(&an, 0,
			     "Option double is not allowed: it needs an assistant contract of "
			     "option full held for 2 years."));
	assert_true(has_note(
	    &an, 3, "Option one-and-half is not allowed: it is open to generaliste only."));
	assert_false(has_note(&an, 3,
			      "Option one-and-half is not allowed: it needs an assistant contract "
			      "of option full held for 2 years."));
	/* The binding reason: options half and full are allowed, every one
	 * is over his capacity of 0. */
	assert_string_equal(mutu_analysis_no_contract(&an, 2),
			    "No individual contract: every option allowed to this doctor is over "
			    "capacity.");
	assert_true(has_note(&an, 2,
			     "No individual contract: every option allowed to this doctor is over "
			     "capacity."));
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);

	/* The standard zone: one-and-half and double are ZIP only. */
	char *z = strstr(text, "\"zip\"");
	memcpy(z, "\"std\"", 5);
	char *fixed = malloc(strlen(text) + 16);
	snprintf(fixed, strlen(text) + 16, "%.*s\"standard\"%s", (int)(z - text), text, z + 5);
	assert_int_equal(mutu_cabinet_parse(&cab, &rules, fixed, strlen(fixed), "n.json", &errs),
			 0);
	free(fixed);
	assert_int_equal(mutu_analysis_run(&an, &rules, &cab, false, NULL), 0);
	assert_true(
	    has_note(&an, 3, "Option double is not allowed: it is not open in the standard zone."));
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);
	mutu_rules_free(&rules);
}

/* A doctor whose every option within capacity costs more than it brings:
 * value 0 per patient and aid below the assistant's cost. */
static void no_contract_net_below_zero(void **state)
{
	(void)state;
	mutu_rules base, rules;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	assert_int_equal(mutu_rules_load(&base, TINY_RULES, &errs), 0);
	const char *ptr[] = {"/economics/value_per_patient_year"};
	const char *val[] = {"0"};
	assert_int_equal(mutu_rules_vary(&rules, &base, 1, ptr, val, &errs), 0);
	const char *text = "{\"id\": \"z\", \"zone\": \"standard\", \"contract_start\": "
			   "\"2025-01-01\", \"doctors\": [{\"id\": \"a\", \"specialty\": \"gp\", "
			   "\"sector\": \"1\", \"pmt\": 1000, \"fa\": 1000}]}";
	mutu_cabinet cab;
	assert_int_equal(mutu_cabinet_parse(&cab, &rules, text, strlen(text), "z.json", &errs), 0);
	mutu_analysis an;
	assert_int_equal(mutu_analysis_run(&an, &rules, &cab, false, NULL), 0);
	/* half: aid 18 000 + 13 500 + 3 x 10 500 = 63 000 < cost 5 x 36 000
	 * x 0.5 = 90 000, within capacity 1000 x 0.2 = 200 >= 200 (0.2 x
	 * 1000); full is not open in the standard zone. */
	assert_string_equal(mutu_analysis_no_contract(&an, 0),
			    "No individual contract: every option within this doctor's capacity "
			    "has a net below zero.");
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);
	mutu_rules_free(&rules);
	mutu_rules_free(&base);
}

int main(void)
{
	mutu_solver_tune_allocator();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(patients_by_hand),
	    cmocka_unit_test(equal_list_shapley_by_hand),
	    cmocka_unit_test(shapley_and_coalitions_by_hand),
	    cmocka_unit_test(trio_by_hand),
	    cmocka_unit_test(every_member_gains_when_the_group_gains),
	    cmocka_unit_test(examples_sum_to_the_group),
	    cmocka_unit_test(shapley_matches_independent_enumeration),
	    cmocka_unit_test(coalition_of_all_is_the_group),
	    cmocka_unit_test(sampled_within_three_standard_errors),
	    cmocka_unit_test(seed_from_cabinet_and_specialty),
	    cmocka_unit_test(notes_name_the_rules),
	    cmocka_unit_test(no_contract_net_below_zero),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	mutu_solver_release();
	return rc;
}

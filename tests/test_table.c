/* The exact table of sum_individual (solver/table.c) against a plain
 * dynamic program written here: every cell (E, T) of small random groups,
 * the largest NET of the option choices with exactly that E and T, with
 * no bound and nothing left out.  A table planned at a threshold theta,
 * narrowed by its bound with T exact and filled with its cells pruned,
 * must give that value on every cell of NET >= theta of its box, never
 * more than it on any cell, choices that add up to the cell, and a bound
 * at least the box's best. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mutu/group.h"
#include "table.h"

#define G 2     /* units of E per ETP */
#define VMAX 80 /* E units: at most 14 members x 4 */
#define TMAX 900
#define NGROUPS 300

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static long below(long n)
{
	return (long)(next() % (uint64_t)n);
}

/* A group of m members with 1 to 4 options each: ETP on the half-unit
 * grid, whole objectives, aids that make some NETs negative. */
static void group(mutu_group_problem *gp, size_t m)
{
	memset(gp, 0, sizeof *gp);
	gp->basis = MUTU_BASIS_SUM_INDIVIDUAL;
	gp->goal = MUTU_GOAL_PATIENTS;
	gp->m = m;
	gp->cost_per_etp = 1000 + (double)below(2000);
	gp->value_per_patient = below(3) == 0 ? 0 : (double)below(40);
	gp->members = calloc(m, sizeof *gp->members);
	assert_non_null(gp->members);
	for (size_t i = 0; i < m; i++) {
		size_t n = 1 + (size_t)below(4);
		gp->members[i].choices = calloc(n, sizeof *gp->members[i].choices);
		assert_non_null(gp->members[i].choices);
		gp->members[i].nchoices = n;
		for (size_t c = 0; c < n; c++) {
			mutu_gp_choice *ch = &gp->members[i].choices[c];
			ch->etp = (double)(1 + below(4)) / G;
			ch->objective = (double)(5 + below(56));
			ch->aid = (double)below(4000) + 0.25 * (double)below(4);
			ch->option = (long)c;
		}
	}
}

/* best[v][t]: the largest NET with E = v / G and T = t, -HUGE_VAL none;
 * the plain dynamic program over the members, none or one option each. */
static void plain(const mutu_group_problem *gp, double (*best)[TMAX + 1])
{
	static double next_row[VMAX + 1][TMAX + 1];
	for (long v = 0; v <= VMAX; v++)
		for (long t = 0; t <= TMAX; t++)
			best[v][t] = v == 0 && t == 0 ? 0 : -HUGE_VAL;
	for (size_t i = 0; i < gp->m; i++) {
		memcpy(next_row, best, sizeof next_row); /* taking none */
		for (size_t c = 0; c < gp->members[i].nchoices; c++) {
			const mutu_gp_choice *ch = &gp->members[i].choices[c];
			long dv = lround(ch->etp * G), dt = lround(ch->objective);
			double net = mutu_gp_choice_net(gp, ch);
			for (long v = 0; v + dv <= VMAX; v++)
				for (long t = 0; t + dt <= TMAX; t++)
					if (best[v][t] > -HUGE_VAL &&
					    best[v][t] + net > next_row[v + dv][t + dt])
						next_row[v + dv][t + dt] = best[v][t] + net;
		}
		memcpy(best, next_row, sizeof next_row);
	}
}

static double (*exact)[TMAX + 1];

typedef struct tally {
	long tables, cells_checked, narrowed, emptied, pruned_fill, tighter;
} tally;

/* A box around reached cells: often one T (the patients windows), else a
 * few T, over a few units of E. */
static void pick_box(long box[4])
{
	long v = 0, t = 0;
	for (int tries = 0; tries < 1000; tries++) {
		v = below(VMAX + 1);
		t = below(TMAX + 1);
		if (exact[v][t] > -HUGE_VAL)
			break;
	}
	box[0] = v - below(4);
	box[1] = v + below(4);
	box[2] = t - (below(2) ? 0 : below(30));
	box[3] = below(2) ? box[2] : t + below(30);
	box[0] = box[0] < 0 ? 0 : box[0];
	box[2] = box[2] < 0 ? 0 : box[2];
	box[1] = box[1] > VMAX ? VMAX : box[1];
	box[3] = box[3] > TMAX ? TMAX : box[3];
}

static double box_best(const long box[4], double *worst)
{
	double best = -HUGE_VAL;
	*worst = HUGE_VAL;
	for (long v = box[0]; v <= box[1]; v++)
		for (long t = box[2]; t <= box[3]; t++)
			if (exact[v][t] > -HUGE_VAL) {
				best = fmax(best, exact[v][t]);
				*worst = fmin(*worst, exact[v][t]);
			}
	return best;
}

static double eps(double x)
{
	return isfinite(x) ? 1e-7 * fmax(1, fabs(x)) : 0;
}

/* The checks of one table of `box` at theta, planned with the prices of
 * `like` (or its own). */
static void check_table(const mutu_group_problem *gp, const long box[4], double theta,
			const table *like, tally *ty)
{
	table tb;
	bool fits;
	double worst, best = box_best(box, &worst);
	assert_int_equal(mutu_table__plan(&tb, gp, G, box, theta, like, &fits), 0);
	assert_true(tb.usable);
	size_t before = tb.steps;
	bool was_empty = tb.empty;
	assert_int_equal(mutu_table__tighten(&tb, &fits), 0);
	assert_true(fits);
	ty->tables++;
	ty->narrowed += tb.steps < before;
	ty->emptied += tb.empty && !was_empty;
	if (best >= theta) {
		/* a plan of the box reaches theta: the bound holds it */
		assert_false(tb.empty);
		assert_true(tb.bound >= best - eps(best));
	}
	assert_int_equal(mutu_table__fill(&tb), 0);
	long choice[16];
	for (long v = box[0]; v <= box[1]; v++)
		for (long t = box[2]; t <= box[3]; t++) {
			double got = mutu_table__at(&tb, v, t), want = exact[v][t];
			if (want >= theta) {
				assert_true(fabs(got - want) <= eps(want));
				ty->cells_checked++;
			}
			assert_true(got <= want + eps(want));
			ty->pruned_fill += want > -HUGE_VAL && got == -HUGE_VAL;
			if (got == -HUGE_VAL)
				continue;
			/* the choices read back add up to the cell */
			mutu_table__choices(&tb, v, t, choice);
			double net = 0, sv = 0, st = 0;
			for (size_t i = 0; i < gp->m; i++)
				if (choice[i] >= 0) {
					const mutu_gp_choice *ch =
					    &gp->members[i].choices[choice[i]];
					net += mutu_gp_choice_net(gp, ch);
					sv += ch->etp * G;
					st += ch->objective;
				}
			assert_true(fabs(net - got) <= eps(got));
			assert_true(fabs(sv - (double)v) < 1e-9 && fabs(st - (double)t) < 1e-9);
		}
	mutu_table__free(&tb);
}

static void table_should_match_the_plain_program(void **state)
{
	(void)state;
	mutu_group_problem gp;
	tally ty = {0};
	exact = malloc(sizeof(double[VMAX + 1][TMAX + 1]));
	assert_non_null(exact);
	for (int k = 0; k < NGROUPS; k++) {
		group(&gp, (size_t)(6 + below(9)));
		plain(&gp, exact);
		for (int b = 0; b < 6; b++) {
			long box[4];
			pick_box(box);
			double worst, best = box_best(box, &worst);
			if (best == -HUGE_VAL)
				continue;
			/* thresholds: just below the best, at it, above it, in
			 * the middle of the box's values, about 0 */
			double thetas[5] = {best - 0.002 * fabs(best) - 1, best, best + 1,
					    0.5 * (best + worst), -1e-9};
			for (int q = 0; q < 5; q++)
				check_table(&gp, box, thetas[q], NULL, &ty);
			/* the prices of the box's own table, as the ladders use */
			table like;
			bool fits;
			assert_int_equal(mutu_table__plan(&like, &gp, G, box, -1e-9, NULL, &fits),
					 0);
			check_table(&gp, box, best - 0.01 * fabs(best) - 1, &like, &ty);
			/* the bound with T exact alone, on the kept choices of the
			 * plans of NET >= 0 */
			double before = like.bound;
			assert_int_equal(mutu_table__t_bound(&like), 0);
			assert_true(like.bound <= before);
			if (best >= 0)
				assert_true(like.bound >= best - eps(best));
			/* the Lagrangian bound, then the bound with T exact, over
			 * all choices */
			mutu_table__free(&like);
			assert_int_equal(
			    mutu_table__plan(&like, &gp, G, box, -HUGE_VAL, NULL, &fits), 0);
			mutu_table__price(&like);
			assert_true(like.bound >= best - eps(best));
			double lagrangian = like.bound;
			assert_int_equal(mutu_table__tighten(&like, &fits), 0);
			assert_true(like.bound >= best - eps(best) && like.bound <= lagrangian);
			ty.tighter += like.bound < lagrangian - eps(lagrangian);
			mutu_table__free(&like);
		}
		mutu_group_problem_free(&gp);
	}
	print_message("%ld tables, %ld cells at theta checked, %ld narrowed, %ld emptied by the "
		      "bound, %ld reached cells pruned by the fill, %ld bounds tighter with T "
		      "exact\n",
		      ty.tables, ty.cells_checked, ty.narrowed, ty.emptied, ty.pruned_fill,
		      ty.tighter);
	/* the narrowing and the pruning were exercised, not only the fill */
	assert_true(ty.narrowed > ty.tables / 10);
	assert_true(ty.emptied > ty.tables / 20);
	assert_true(ty.pruned_fill > 0);
	assert_true(ty.tighter > 0);
	free(exact);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(table_should_match_the_plain_program),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

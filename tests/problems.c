/* Seeded random mutu_group_problems for the tests and the bench
 * (problems.h).  Every draw is in a fixed order: the tests' expectations
 * (tests/test_group_random.c) and the bench's problem numbers
 * (bench --problem) depend on it.
 */
#include "problems.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the stream (splitmix64) ------------------------------------------ */

uint64_t pb_next(pb_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double pb_unif(pb_rng *r)
{
	return (double)(pb_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

double pb_range(pb_rng *r, double lo, double hi)
{
	return lo + (hi - lo) * pb_unif(r);
}

size_t pb_below(pb_rng *r, size_t n)
{
	return (size_t)(pb_next(r) % (uint64_t)n);
}

uint64_t pb_sized_seed(uint64_t seed, size_t size, mutu_basis basis, size_t k)
{
	pb_rng r = {seed};
	r.s ^= pb_next(&r) + (uint64_t)size * 0x100000001b3ULL;
	r.s ^= pb_next(&r) + (uint64_t)basis * 0x51ed270b27ULL;
	r.s ^= pb_next(&r) + (uint64_t)k;
	return pb_next(&r);
}

void pb_problem_free(mutu_group_problem *gp)
{
	for (size_t i = 0; gp->members && i < gp->m; i++)
		free(gp->members[i].choices);
	free(gp->members);
	free(gp->levels);
	gp->members = NULL;
	gp->levels = NULL;
	gp->m = gp->nlevels = 0;
}

/* ---- shared by both generators ---------------------------------------- */

static const double ETPS[] = {0.5, 1.0, 1.5, 2.0};

/* Rate per doctor-ETP e of a pooled curve through (0,0), (0.5,r0),
 * (1,r1), (2,r2), flat beyond (model.md §4 "pooled"). */
static double curve(double e, const double r[3])
{
	if (e <= 0.5)
		return r[0] * e / 0.5;
	if (e <= 1.0)
		return r[0] + (r[1] - r[0]) * (e - 0.5) / 0.5;
	if (e <= 2.0)
		return r[1] + (r[2] - r[1]) * (e - 1.0);
	return r[2];
}

/* A random rising curve: r0 0-0.2, then up by 0-0.1 and 0-0.05, capped
 * at 0.35. */
static void gen_curve(pb_rng *r, double rates[3])
{
	rates[0] = pb_range(r, 0.0, 0.2);
	rates[1] = fmin(0.35, rates[0] + pb_range(r, 0.0, 0.1));
	rates[2] = fmin(0.35, rates[1] + pb_range(r, 0.0, 0.05));
}

/* Fills levels[0 .. n-1]: n x 0.5 ETP, T = ceil(rate(E/m) P_G), aid
 * `per_etp` per ETP, a third of them off by up to 3 %. */
static void fill_levels(pb_rng *r, mutu_group_problem *gp, const double rates[3], double per_etp,
			double pg)
{
	for (size_t k = 0; k < gp->nlevels; k++) {
		mutu_gp_choice *lv = &gp->levels[k];
		lv->etp = 0.5 * (double)(k + 1);
		lv->objective = ceil(curve(lv->etp / (double)gp->m, rates) * pg);
		lv->aid = lv->etp * per_etp;
		if (pb_unif(r) < 0.3)
			lv->aid *= pb_range(r, 0.97, 1.03);
		lv->option = -1;
	}
}

/* P, h, g of a member: P 300-2500, h 0-0.1, g 0.1-0.6; max_new none. */
static void gen_member(pb_rng *r, mutu_gp_member *mb)
{
	mb->p = floor(pb_range(r, 300.0, 2500.0));
	mb->headroom = pb_range(r, 0.0, 0.1);
	mb->gain = pb_range(r, 0.1, 0.6);
	mb->max_new = -1.0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* ---- small problems, for the brute force ------------------------------ */

/* Makes `c` a choice with the objective and NET of `of` but 0.5 ETP more
 * (or less, from 2 ETP): more ETP for the same aid net of cost. */
static void make_twin(mutu_gp_choice *c, const mutu_gp_choice *of)
{
	c->objective = of->objective;
	c->etp = of->etp >= 2.0 ? of->etp - 0.5 : of->etp + 0.5;
	c->aid = of->aid + PB_COST_PER_ETP * (c->etp - of->etp);
	if (c->aid <= 0.0) {
		c->etp = of->etp + 0.5;
		c->aid = of->aid + PB_COST_PER_ETP * 0.5;
	}
}

static int small_choices(pb_rng *r, mutu_gp_member *mb)
{
	size_t n = pb_unif(r) < 0.05 ? 0 : 1 + pb_below(r, 4);
	mb->nchoices = n;
	mb->choices = calloc(n > 0 ? n : 1, sizeof(*mb->choices));
	if (!mb->choices)
		return -1;
	for (size_t c = 0; c < n; c++) {
		mutu_gp_choice *ch = &mb->choices[c];
		ch->etp = ETPS[pb_below(r, 4)];
		ch->objective = ceil(pb_range(r, 0.0, 0.35) * mb->p);
		ch->aid = pb_range(r, 20000.0, 200000.0);
		ch->option = (long)c;
	}
	/* Now and then a twin: same objective and NET, another etp, so that
	 * the later stages (min u, min E) have ties to break. */
	if (n >= 2 && pb_unif(r) < 0.3)
		make_twin(&mb->choices[1], &mb->choices[0]);
	return 0;
}

static int small_levels(pb_rng *r, mutu_group_problem *gp, double pg)
{
	double rates[3], per_etp = pb_range(r, 100000.0, 250000.0);
	size_t n = 1 + pb_below(r, 20);

	gen_curve(r, rates);
	gp->nlevels = n;
	gp->levels = calloc(n, sizeof(*gp->levels));
	if (!gp->levels)
		return -1;
	fill_levels(r, gp, rates, per_etp, pg);
	if (n >= 2 && pb_unif(r) < 0.2) { /* a tie between two levels */
		size_t j = pb_below(r, n - 1);
		mutu_gp_choice *lo = &gp->levels[j], *hi = &gp->levels[j + 1];
		hi->objective = lo->objective;
		hi->aid = lo->aid + PB_COST_PER_ETP * (hi->etp - lo->etp);
	}
	if (pb_unif(r) < 0.15) { /* the order of the levels must not matter */
		for (size_t k = n; k > 1; k--) {
			size_t j = pb_below(r, k);
			mutu_gp_choice t = gp->levels[k - 1];
			gp->levels[k - 1] = gp->levels[j];
			gp->levels[j] = t;
		}
	}
	return 0;
}

int pb_gen_small(pb_rng *r, mutu_group_problem *gp, mutu_basis basis, mutu_goal goal)
{
	static const double amaxes[] = {0.5, 1.0, 1.5, 2.0, 3.0, 100.0};
	static const double totals[] = {1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 100.0, 100.0};
	static const double floors[] = {0.0, 0.25, 0.5, 1.0};
	static const double units[] = {0.0, 0.1, 0.25, 0.5}; /* 0: the default 0.1 */
	double pg = 0.0;

	memset(gp, 0, sizeof(*gp));
	gp->basis = basis;
	gp->goal = goal;
	gp->m = 2 + pb_below(r, 5);
	gp->members = calloc(gp->m, sizeof(*gp->members));
	if (!gp->members)
		goto fail;
	for (size_t i = 0; i < gp->m; i++) {
		mutu_gp_member *mb = &gp->members[i];
		gen_member(r, mb);
		if (pb_unif(r) < 0.25)
			mb->max_new = pb_unif(r) < 0.1 ? 0.0 : pb_range(r, 0.0, 0.35) * mb->p;
		if (basis == MUTU_BASIS_SUM_INDIVIDUAL && small_choices(r, mb) != 0)
			goto fail;
		pg += mb->p;
	}
	if (basis == MUTU_BASIS_POOLED && small_levels(r, gp, pg) != 0)
		goto fail;
	gp->cost_per_etp = PB_COST_PER_ETP;
	gp->value_per_patient = pb_unif(r) < 0.5 ? 0.0 : 600.0;
	size_t f = pb_below(r, 5);
	gp->floor_share = f < 4 ? floors[f] : pb_unif(r);
	gp->max_etp_per_doctor = amaxes[pb_below(r, sizeof(amaxes) / sizeof(amaxes[0]))];
	gp->max_etp_total = totals[pb_below(r, sizeof(totals) / sizeof(totals[0]))];
	gp->etp_unit = units[pb_below(r, sizeof(units) / sizeof(units[0]))];
	return 0;
fail:
	pb_problem_free(gp);
	return -1;
}

/* ---- groups of a given size, for the bench ---------------------------- */

/* 2-4 notional options of distinct ETP (0.5-2), the objective rate
 * (0-0.35 of P) and the discounted aid (20 000-200 000) both rising with
 * the ETP, as the rules' options do. */
static int sized_choices(pb_rng *r, mutu_gp_member *mb)
{
	size_t n = 2 + pb_below(r, 3);
	double rates[4], aids[4];
	size_t pick[4] = {0, 1, 2, 3};
	mb->nchoices = n;
	mb->choices = calloc(n, sizeof(*mb->choices));
	if (!mb->choices)
		return -1;
	for (size_t k = 4; k > 1; k--) { /* n distinct ETPs: a shuffle's prefix */
		size_t j = pb_below(r, k), t = pick[k - 1];
		pick[k - 1] = pick[j];
		pick[j] = t;
	}
	for (size_t c = 0; c < n; c++) {
		rates[c] = pb_range(r, 0.0, 0.35);
		aids[c] = pb_range(r, 20000.0, 200000.0);
	}
	for (size_t a = 1; a < n; a++) /* insertion sort: ascending ETP */
		for (size_t b = a; b > 0 && pick[b] < pick[b - 1]; b--) {
			size_t t = pick[b];
			pick[b] = pick[b - 1];
			pick[b - 1] = t;
		}
	qsort(rates, n, sizeof(*rates), cmp_double);
	qsort(aids, n, sizeof(*aids), cmp_double);
	for (size_t c = 0; c < n; c++) {
		mutu_gp_choice *ch = &mb->choices[c];
		ch->etp = ETPS[pick[c]];
		ch->objective = ceil(rates[c] * mb->p);
		ch->aid = aids[c];
		ch->option = (long)pick[c];
	}
	return 0;
}

/* Levels n x 0.5 ETP, n = 1..N, N = floor(min(amax x m, max_etp_total) /
 * 0.5); aid per ETP 100 000-250 000. */
static int sized_levels(pb_rng *r, mutu_group_problem *gp, double pg)
{
	double rates[3], per_etp = pb_range(r, 100000.0, 250000.0);
	double top = fmin(gp->max_etp_per_doctor * (double)gp->m, gp->max_etp_total);
	size_t n = (size_t)floor(top / 0.5 + 1e-9);
	gen_curve(r, rates);
	gp->nlevels = n;
	gp->levels = calloc(n > 0 ? n : 1, sizeof(*gp->levels));
	if (!gp->levels)
		return -1;
	fill_levels(r, gp, rates, per_etp, pg);
	return 0;
}

int pb_gen_sized(pb_rng *r, mutu_group_problem *gp, size_t m, mutu_basis basis)
{
	static const double amaxes[] = {0.5, 1.0, 1.0, 1.0, 1.5, 2.0};
	static const double totals[] = {2.0, 4.0, 10.0, 10.0, 30.0, 100.0};
	static const double floors[] = {0.0, 0.25, 0.5, 1.0};
	double pg = 0.0;

	memset(gp, 0, sizeof(*gp));
	gp->basis = basis;
	gp->m = m;
	gp->members = calloc(m, sizeof(*gp->members));
	if (!gp->members)
		goto fail;
	gp->cost_per_etp = PB_COST_PER_ETP;
	gp->value_per_patient = pb_unif(r) < 0.5 ? 0.0 : 600.0;
	size_t f = pb_below(r, 5);
	gp->floor_share = f < 4 ? floors[f] : pb_unif(r);
	gp->max_etp_per_doctor = amaxes[pb_below(r, sizeof(amaxes) / sizeof(amaxes[0]))];
	gp->max_etp_total = totals[pb_below(r, sizeof(totals) / sizeof(totals[0]))];
	for (size_t i = 0; i < m; i++) {
		mutu_gp_member *mb = &gp->members[i];
		gen_member(r, mb);
		if (pb_unif(r) < 0.25)
			mb->max_new = floor(pb_range(r, 0.02, 0.35) * mb->p);
		if (basis == MUTU_BASIS_SUM_INDIVIDUAL && sized_choices(r, mb) != 0)
			goto fail;
		pg += mb->p;
	}
	/* A member who takes no new patient at all, in 5 % of the groups
	 * (per group, not per member, or most large groups would have one:
	 * with a floor share > 0 such a group has no plan). */
	if (pb_unif(r) < 0.05)
		gp->members[pb_below(r, m)].max_new = 0.0;
	if (basis == MUTU_BASIS_POOLED && sized_levels(r, gp, pg) != 0)
		goto fail;
	return 0;
fail:
	pb_problem_free(gp);
	return -1;
}

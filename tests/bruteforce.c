/* Tests only: brute-force solver of a mutu_group_problem (model.md §4).
 * See bruteforce.h.  No LP solver: enumeration and exact integer
 * arguments.
 *
 * The split, for one combination (E, T fixed), in whole units and whole
 * patients (w = etp_unit, K = floor(E / w) units, kmax = floor(amax / w)):
 *
 *   k_i in {0..kmax}, sum_i k_i = K         (E - w < w sum k_i <= E)
 *   L_i <= x_i <= U_i(k_i), x_i integer, sum_i x_i = T,
 *   L_i = ceil(phi P_i T / P_G - 1 + 1e-6)  (the floor rounded down)
 *   U_i(k) = min(floor(P_i (h_i + g_i w k)), floor(M_i)).
 *
 * For fixed k a split exists iff L_i <= U_i(k_i) for all i and
 * sum L_i <= T <= sum U_i(k_i) (start from the floors and add patients one
 * by one where there is room); sum L_i <= phi T <= T always holds.
 * U_i is non-decreasing in k, so units beyond K can always be put where
 * they are useless but allowed (K <= m kmax is checked): some k with
 * sum k = K works iff some k with sum k <= K does.  Every k_i of every
 * member is tried, combined by a dynamic program over members that keeps,
 * for each number of units used, the largest sum U_i(k_i) (exact: the sum
 * is separable).
 *
 * The least largest rate u = max x_i / P_i: a split with rate <= u is the
 * above with U_i(k) replaced by min(U_i(k), floor(u P_i)), monotone in u;
 * the optimum is some x_i / P_i, so it is the smallest of the candidates
 * n / P_i (L_i <= n <= min(T, U_i(kmax))) that passes, found by bisection
 * over the sorted candidates.
 */
#include "bruteforce.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const bf_tolerances bf_nominal = {.feas_slack = 0.0, .stage_tol = 1e-6, .net_zero = 0.0};

/* Rounding allowance on ETP sums, which are sums of a few multiples of
 * 0.5 or 1/3 in practice. */
#define ETP_EPS 1e-9

static double group_p(const mutu_group_problem *gp)
{
	double pg = 0.0;
	for (size_t i = 0; i < gp->m; i++)
		pg += gp->members[i].p;
	return pg;
}

static double unit_of(const mutu_group_problem *gp)
{
	return gp->etp_unit > 0.0 ? gp->etp_unit : 0.1;
}

/* L_i, with the slack of `tol` (> 0 stricter) on phi P_i T / P_G. */
static double floor_of(const mutu_group_problem *gp, const bf_tolerances *tol, double pg, size_t i,
		       double objective)
{
	if (pg <= 0.0 || gp->floor_share <= 0.0)
		return 0.0;
	double f = gp->floor_share * gp->members[i].p / pg * objective * (1.0 + tol->feas_slack);
	return fmax(0.0, ceil(f - 1.0 + 1e-6 - 1e-9));
}

/* U_i(k), with the slack of `tol` (> 0 stricter) on the capacity, and
 * the rate cap floor(u P_i) (u = INFINITY: none). */
static double top_of(const mutu_group_problem *gp, const bf_tolerances *tol, size_t i, double k,
		     double u)
{
	const mutu_gp_member *mb = &gp->members[i];
	double cap = mb->p * (mb->headroom + mb->gain * unit_of(gp) * k) * (1.0 - tol->feas_slack);
	double top = floor(cap + 1e-9);
	if (mb->max_new >= 0.0)
		top = fmin(top, floor(mb->max_new * (1.0 - tol->feas_slack) + 1e-9));
	if (isfinite(u))
		top = fmin(top, floor(u * mb->p + 1e-9));
	return fmax(top, 0.0);
}

/* The largest sum_i min(U_i(k_i), floor(u P_i)) over k with sum k <= K,
 * 0 <= k_i <= kmax and every floor met, or -1 when the floors cannot be
 * met.  When `k` and `x` are given, writes such a k (topped up to sum K)
 * and a split of exactly T when the total reaches T. */
static double max_total(const mutu_group_problem *gp, const bf_tolerances *tol, double etp,
			double objective, double u, double *k, double *x)
{
	size_t m = gp->m;
	double w = unit_of(gp), pg = group_p(gp);
	long kmax = (long)floor(gp->max_etp_per_doctor / w + 1e-9);
	long K = (long)floor(etp / w + ETP_EPS);
	if (m > BF_MAX_MEMBERS || K > (long)m * kmax || K < 0)
		return -1.0;
	long top = K < kmax ? K : kmax;
	/* best[i][s]: largest sum over members < i using s units; -1 none. */
	size_t width = (size_t)K + 1;
	double *best = malloc((m + 1) * width * sizeof *best);
	long *pick = malloc((m + 1) * width * sizeof *pick);
	if (!best || !pick) {
		free(best);
		free(pick);
		return -1.0;
	}
	for (size_t s = 0; s < width; s++)
		best[s] = s == 0 ? 0.0 : -1.0;
	for (size_t i = 0; i < m; i++) {
		double need = floor_of(gp, tol, pg, i, objective);
		double *from = best + i * width, *to = best + (i + 1) * width;
		long *why = pick + (i + 1) * width;
		for (size_t s = 0; s < width; s++) {
			to[s] = -1.0;
			why[s] = -1;
		}
		/* x_i <= T: units beyond those that reach min(T, U_i(top)) add
		 * nothing, and fewer units are never worse. */
		double most = fmin(objective, top_of(gp, tol, i, (double)top, u));
		for (long ki = 0; ki <= top; ki++) {
			double hi = fmin(objective, top_of(gp, tol, i, (double)ki, u));
			if (hi < need)
				continue;
			for (size_t s = 0; s + (size_t)ki < width; s++) {
				if (from[s] < 0.0)
					continue;
				double v = from[s] + hi;
				if (v > to[s + (size_t)ki]) {
					to[s + (size_t)ki] = v;
					why[s + (size_t)ki] = ki;
				}
			}
			if (hi >= most)
				break;
		}
	}
	double total = -1.0;
	size_t at = 0;
	for (size_t s = 0; s < width; s++)
		if (best[m * width + s] > total) {
			total = best[m * width + s];
			at = s;
		}
	if (total >= 0.0 && k != NULL && x != NULL) {
		long left = K;
		for (size_t i = m; i-- > 0;) {
			k[i] = (double)pick[(i + 1) * width + at];
			at -= (size_t)pick[(i + 1) * width + at];
			left -= (long)k[i];
		}
		for (size_t i = 0; i < m && left > 0; i++) {
			long add = kmax - (long)k[i] < left ? kmax - (long)k[i] : left;
			k[i] += (double)add;
			left -= add;
		}
		/* x_i from the top down to T, never below the floors. */
		double excess = total - objective;
		for (size_t i = 0; i < m; i++) {
			double hi = fmin(objective, top_of(gp, tol, i, k[i], u));
			double lo = floor_of(gp, tol, pg, i, objective);
			double cut = fmin(fmax(excess, 0.0), hi - lo);
			x[i] = hi - cut;
			excess -= cut;
		}
	}
	free(best);
	free(pick);
	return total;
}

static int plan_exists(const mutu_group_problem *gp, const bf_tolerances *tol, double etp,
		       double objective, double u)
{
	double total = max_total(gp, tol, etp, objective, u, NULL, NULL);
	return total >= 0.0 && total >= objective;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The least u (header comment), or -1 when no plan exists at all. */
static double min_rate(const mutu_group_problem *gp, const bf_tolerances *tol, double etp,
		       double objective)
{
	if (!plan_exists(gp, tol, etp, objective, INFINITY))
		return -1.0;
	double pg = group_p(gp), kmax = floor(gp->max_etp_per_doctor / unit_of(gp) + 1e-9);
	size_t n = 1;
	for (size_t i = 0; i < gp->m; i++)
		n += (size_t)fmax(0.0, fmin(objective, top_of(gp, tol, i, kmax, INFINITY))) + 1;
	double *cand = malloc(n * sizeof *cand);
	if (cand == NULL)
		return -1.0;
	size_t c = 0;
	cand[c++] = 0.0;
	for (size_t i = 0; i < gp->m; i++) {
		double p = gp->members[i].p;
		double hi = fmin(objective, top_of(gp, tol, i, kmax, INFINITY));
		for (double v = floor_of(gp, tol, pg, i, objective); p > 0.0 && v <= hi; v += 1.0)
			cand[c++] = v / p;
	}
	qsort(cand, c, sizeof *cand, cmp_double);
	/* The largest candidate always passes: it lets every x_i reach its
	 * cap below T. */
	size_t lo = 0, hi = c - 1;
	if (!plan_exists(gp, tol, etp, objective, cand[hi]))
		hi = c; /* not expected */
	while (lo < hi && hi < c) {
		size_t mid = lo + (hi - lo) / 2;
		if (plan_exists(gp, tol, etp, objective, cand[mid]))
			hi = mid;
		else
			lo = mid + 1;
	}
	double u = hi < c ? cand[hi] : INFINITY;
	free(cand);
	return u;
}

double bf_max_patients(const mutu_group_problem *gp, double etp, double objective, double u)
{
	return max_total(gp, &bf_nominal, etp, objective, u, NULL, NULL);
}

double bf_min_rate(const mutu_group_problem *gp, double etp, double objective)
{
	return min_rate(gp, &bf_nominal, etp, objective);
}

/* One feasible combination: a mixed-radix code (sum_individual: digit i
 * is member i's choice + 1, 0 = none) or a level index (pooled). */
typedef struct cand {
	unsigned long code;
	double etp, objective, aid, net;
	double u; /* NAN until needed */
} cand;

/* Decodes `code` into the sums of the chosen choices; returns the number
 * of choices picked.  `choice` (may be NULL) receives the indices. */
static size_t decode(const mutu_group_problem *gp, unsigned long code, long *choice, double *etp,
		     double *objective, double *aid)
{
	size_t picked = 0;
	*etp = *objective = *aid = 0.0;
	if (gp->basis == MUTU_BASIS_POOLED) {
		const mutu_gp_choice *c = &gp->levels[code];
		*etp = c->etp;
		*objective = c->objective;
		*aid = c->aid;
		return 1;
	}
	for (size_t i = 0; i < gp->m; i++) {
		unsigned long radix = (unsigned long)gp->members[i].nchoices + 1UL;
		unsigned long d = code % radix;
		code /= radix;
		if (choice != NULL)
			choice[i] = (long)d - 1;
		if (d == 0)
			continue;
		const mutu_gp_choice *c = &gp->members[i].choices[d - 1];
		*etp += c->etp;
		*objective += c->objective;
		*aid += c->aid;
		picked++;
	}
	return picked;
}

static double band(const bf_tolerances *tol, double v)
{
	return tol->stage_tol * fabs(v) + 1e-9;
}

static double cand_rate(const mutu_group_problem *gp, const bf_tolerances *tol, cand *c)
{
	if (isnan(c->u))
		c->u = min_rate(gp, tol, c->etp, c->objective);
	return c->u;
}

/* Index of the chosen candidate among `cs` (model.md §4 "Goals"), or -1
 * when there is no contract. */
static long pick(const mutu_group_problem *gp, const bf_tolerances *tol, cand *cs, size_t n,
		 unsigned long kept[2])
{
	long best = -1;
	if (gp->goal == MUTU_GOAL_NET_BENEFIT) {
		/* max NET; then min u; then min E. */
		double net = -INFINITY, u = INFINITY, etp = INFINITY;
		for (size_t k = 0; k < n; k++)
			net = fmax(net, cs[k].net);
		if (n == 0 || net < tol->net_zero)
			return -1;
		for (size_t k = 0; k < n; k++) {
			if (cs[k].net >= net - band(tol, net)) {
				u = fmin(u, cand_rate(gp, tol, &cs[k]));
				kept[0]++;
			}
		}
		for (size_t k = 0; k < n; k++) {
			if (cs[k].net < net - band(tol, net) || cs[k].u > u + band(tol, u))
				continue;
			kept[1]++;
			if (cs[k].etp < etp) {
				etp = cs[k].etp;
				best = (long)k;
			}
		}
		return best;
	}
	/* patients: max T with NET >= 0; then max NET; then min u. */
	double t = -INFINITY, net = -INFINITY, u = INFINITY;
	for (size_t k = 0; k < n; k++)
		if (cs[k].net >= tol->net_zero)
			t = fmax(t, cs[k].objective);
	if (isinf(t))
		return -1;
	for (size_t k = 0; k < n; k++) {
		if (cs[k].net >= tol->net_zero && cs[k].objective >= t - band(tol, t)) {
			net = fmax(net, cs[k].net);
			kept[0]++;
		}
	}
	for (size_t k = 0; k < n; k++) {
		if (cs[k].net < tol->net_zero || cs[k].objective < t - band(tol, t) ||
		    cs[k].net < net - band(tol, net))
			continue;
		kept[1]++;
		if (cand_rate(gp, tol, &cs[k]) < u) {
			u = cs[k].u;
			best = (long)k;
		}
	}
	return best;
}

int bf_solve_tol(const mutu_group_problem *gp, const bf_tolerances *tol, bf_result *out)
{
	unsigned long total = 1;
	cand *cs = NULL;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	out->level = -1;
	for (size_t i = 0; i < BF_MAX_MEMBERS; i++)
		out->choice[i] = -1;
	if (gp->m > BF_MAX_MEMBERS)
		return BF_TOO_LARGE;
	if (gp->basis == MUTU_BASIS_POOLED) {
		total = (unsigned long)gp->nlevels;
	} else {
		for (size_t i = 0; i < gp->m; i++) {
			total *= (unsigned long)gp->members[i].nchoices + 1UL;
			if (total > BF_MAX_COMBOS)
				return BF_TOO_LARGE;
		}
	}
	if (total > BF_MAX_COMBOS)
		return BF_TOO_LARGE;
	cs = malloc((total > 0 ? total : 1) * sizeof(*cs));
	if (cs == NULL)
		return BF_TOO_LARGE;

	for (unsigned long code = 0; code < total; code++) {
		cand c = {.code = code, .u = NAN};
		size_t picked = decode(gp, code, NULL, &c.etp, &c.objective, &c.aid);
		out->combos++;
		/* At least one choice, E > 0, E <= max_etp_total. */
		if (picked == 0 || c.etp <= 0.0 || c.etp > gp->max_etp_total + ETP_EPS)
			continue;
		if (!plan_exists(gp, tol, c.etp, c.objective, INFINITY))
			continue;
		c.net = c.aid - gp->cost_per_etp * c.etp + gp->value_per_patient * c.objective;
		cs[n++] = c;
	}
	out->feasible = n;

	long k = pick(gp, tol, cs, n, out->kept);
	if (k < 0) {
		out->status = BF_NO_CONTRACT;
		free(cs);
		return BF_NO_CONTRACT;
	}
	cand *c = &cs[k];
	out->status = BF_CONTRACT;
	out->net = c->net;
	out->max_rate = cand_rate(gp, tol, c);
	out->etp = c->etp;
	out->objective = c->objective;
	out->aid = c->aid;
	if (gp->basis == MUTU_BASIS_POOLED) {
		out->level = (long)c->code;
	} else {
		double e, t, aid;
		decode(gp, c->code, out->choice, &e, &t, &aid);
	}
	max_total(gp, tol, c->etp, c->objective, out->max_rate, out->a, out->x);
	for (size_t i = 0; i < gp->m; i++)
		out->a[i] *= unit_of(gp);
	free(cs);
	return BF_CONTRACT;
}

int bf_solve(const mutu_group_problem *gp, bf_result *out)
{
	return bf_solve_tol(gp, &bf_nominal, out);
}

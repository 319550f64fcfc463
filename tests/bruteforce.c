/* Tests only: brute-force solver of a mutu_group_problem (model.md §4).
 * See bruteforce.h.  No LP solver: enumeration, a greedy and bisection.
 *
 * The continuous part, for one combination (E, T fixed), is
 *
 *   0 <= a_i <= amax, sum a_i = E,
 *   f_i <= x_i <= cap_i(a_i) = min(P_i (h_i + g_i a_i), M_i, u P_i),
 *   sum x_i >= T,                      f_i = phi P_i T / P_G.
 *
 * x_i only appears through its bounds and sum x_i >= T, so a plan exists
 * iff cap_i(a_i) >= f_i for all i and max_a sum_i cap_i(a_i) >= T (take
 * x_i = cap_i(a_i)).  cap_i is non-decreasing, so cap_i(a_i) >= f_i is a
 * lower bound a_i >= amin_i (the least time that lets member i meet its
 * floor).
 *
 * Why the greedy is exact.  With a_i = amin_i + t_i, cap_i is
 * cap_i(amin_i) + s_i min(t_i, L_i): slope s_i = P_i g_i on a piece of
 * length L_i (until P_i (h_i + g_i a) reaches min(M_i, u P_i) or amax),
 * then flat.  Time beyond L_i costs nothing (and there is room for it,
 * since E <= m amax is checked), so maximising sum cap_i(a_i) is the
 * fractional knapsack  max sum s_i t_i, 0 <= t_i <= L_i, sum t_i <= R
 * (R = E - sum amin_i).  Filling pieces by decreasing slope is optimal by
 * exchange: if an optimum put time d on piece j while a piece k with
 * s_k > s_j had room, moving d from j to k changes the value by
 * (s_k - s_j) d >= 0, so some optimum is the greedy's.
 *
 * The least u: for fixed (E, T) the feasible set only grows with u, so
 * bisection on "the greedy with x_i capped by u P_i reaches T" converges
 * to the minimum, from u_lo = max_i f_i / P_i (the floors need it) up to
 * u_hi = max_i (h_i + g_i min(amax, E)) where the cap no longer binds.
 */
#include "bruteforce.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const bf_tolerances bf_nominal = {.feas_slack = 0.0, .stage_tol = 1e-6, .net_zero = 0.0};

/* Rounding allowance on patient counts (relative, floor 1), and on ETP
 * sums, which are sums of a few multiples of 0.5 in practice. */
#define PATIENT_EPS 1e-9
#define ETP_EPS 1e-9

static double allowance(double v)
{
	return PATIENT_EPS * fmax(1.0, fabs(v));
}

/* The least sum x_i must reach and the least x_i may be, with slack. */
static double need_of(double v, const bf_tolerances *tol)
{
	return v * (1.0 + tol->feas_slack) - allowance(v);
}

static double member_floor(const mutu_group_problem *gp, double pg, size_t i, double objective)
{
	if (pg <= 0.0)
		return 0.0;
	return gp->floor_share * gp->members[i].p / pg * objective;
}

static double group_p(const mutu_group_problem *gp)
{
	double pg = 0.0;
	for (size_t i = 0; i < gp->m; i++)
		pg += gp->members[i].p;
	return pg;
}

/* The greedy of the header comment.  Returns max sum_i cap_i(a_i) over
 * allocations meeting every floor, or -1 when the floors or the ETP bounds
 * cannot be met.  When `a` and `x` are given, writes that allocation and
 * x_i = cap_i(a_i). */
static double max_total(const mutu_group_problem *gp, const bf_tolerances *tol, double etp,
			double objective, double u, double *a, double *x)
{
	size_t m = gp->m;
	double amax = gp->max_etp_per_doctor;
	double pg = group_p(gp);
	double amin[BF_MAX_MEMBERS], len[BF_MAX_MEMBERS], slope[BF_MAX_MEMBERS];
	double lin0[BF_MAX_MEMBERS], top[BF_MAX_MEMBERS], ai[BF_MAX_MEMBERS];
	size_t order[BF_MAX_MEMBERS];
	double sum_amin = 0.0, total = 0.0;

	if (m > BF_MAX_MEMBERS || etp > (double)m * amax + ETP_EPS)
		return -1.0;
	for (size_t i = 0; i < m; i++) {
		const mutu_gp_member *mb = &gp->members[i];
		double need = need_of(member_floor(gp, pg, i, objective), tol);

		top[i] = INFINITY;
		if (mb->max_new >= 0.0)
			top[i] = mb->max_new;
		if (isfinite(u))
			top[i] = fmin(top[i], u * mb->p);
		lin0[i] = mb->p * mb->headroom;
		slope[i] = mb->p * mb->gain;
		if (need > top[i])
			return -1.0;
		if (need <= fmin(lin0[i], top[i])) {
			amin[i] = 0.0;
		} else {
			if (slope[i] <= 0.0)
				return -1.0;
			amin[i] = (need - lin0[i]) / slope[i];
			if (amin[i] > amax + ETP_EPS)
				return -1.0;
			amin[i] = fmin(amin[i], amax);
		}
		if (slope[i] <= 0.0)
			len[i] = 0.0;
		else if (isinf(top[i]))
			len[i] = amax - amin[i];
		else
			len[i] = fmax(0.0, fmin(amax, (top[i] - lin0[i]) / slope[i]) - amin[i]);
		total += fmin(lin0[i] + slope[i] * amin[i], top[i]);
		sum_amin += amin[i];
		ai[i] = amin[i];
	}
	if (sum_amin > etp + ETP_EPS)
		return -1.0;

	/* Insertion sort by decreasing slope; m is tiny. */
	for (size_t i = 0; i < m; i++) {
		size_t j = i;
		while (j > 0 && slope[order[j - 1]] < slope[i]) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	double rest = fmax(0.0, etp - sum_amin);
	for (size_t k = 0; k < m; k++) {
		size_t i = order[k];
		double t = fmin(len[i], rest);
		rest -= t;
		total += slope[i] * t;
		ai[i] += t;
	}
	/* Time left over goes where it is useless but allowed. */
	for (size_t i = 0; i < m && rest > 0.0; i++) {
		double t = fmin(fmax(0.0, amax - ai[i]), rest);
		ai[i] += t;
		rest -= t;
	}
	if (a != NULL && x != NULL) {
		for (size_t i = 0; i < m; i++) {
			a[i] = ai[i];
			x[i] = fmin(lin0[i] + slope[i] * ai[i], top[i]);
		}
	}
	return total;
}

static int plan_exists(const mutu_group_problem *gp, const bf_tolerances *tol, double etp,
		       double objective, double u)
{
	double total = max_total(gp, tol, etp, objective, u, NULL, NULL);
	return total >= 0.0 && total >= need_of(objective, tol);
}

/* The least u (header comment), or -1 when no plan exists at all. */
static double min_rate(const mutu_group_problem *gp, const bf_tolerances *tol, double etp,
		       double objective)
{
	double pg = group_p(gp);
	double lo = 0.0, hi = 0.0;

	if (!plan_exists(gp, tol, etp, objective, INFINITY))
		return -1.0;
	for (size_t i = 0; i < gp->m; i++) {
		const mutu_gp_member *mb = &gp->members[i];
		if (mb->p <= 0.0)
			continue;
		lo = fmax(lo, need_of(member_floor(gp, pg, i, objective), tol) / mb->p);
		hi = fmax(hi, mb->headroom + mb->gain * fmin(gp->max_etp_per_doctor, etp));
	}
	if (plan_exists(gp, tol, etp, objective, lo))
		return lo;
	hi = fmax(hi, lo);
	for (int k = 0; k < 64 && !plan_exists(gp, tol, etp, objective, hi); k++)
		hi = 2.0 * hi + 1.0; /* not expected: u_hi never binds */
	for (int k = 0; k < 200 && hi - lo > 1e-15 * hi; k++) {
		double mid = 0.5 * (lo + hi);
		if (plan_exists(gp, tol, etp, objective, mid))
			hi = mid;
		else
			lo = mid;
	}
	return hi;
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
	free(cs);
	return BF_CONTRACT;
}

int bf_solve(const mutu_group_problem *gp, bf_result *out)
{
	return bf_solve_tol(gp, &bf_nominal, out);
}

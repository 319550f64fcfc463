/* The split of a plan with E and T fixed (model.md §4): see split.h.
 *
 * With K = floor(E / w) units, L_i = ceil(phi P_i T / P_G - 1 + 1e-6) (the
 * floor rounded down) and U_i(k) = min(floor(P_i (h_i + g_i w k)),
 * floor(M_i), floor(u P_i)) for a rate cap u, a split exists iff some k
 * with sum k_i <= K, k_i <= kmax has L_i <= U_i(k_i) for all i and
 * sum_i U_i(k_i) >= T: start from the floors (sum L_i <= phi T <= T) and
 * add patients where there is room; units beyond those needed go where
 * they are useless but allowed (K <= m kmax is checked), so sum k = K.
 * U_i is non-decreasing in k, so the best k is found by a dynamic program
 * over members that keeps, for each number of units used, the largest
 * sum of U_i (exact: the sum is separable), trying for member i only the
 * k from the least that meets its floor to the least that reaches its
 * largest useful value (min(T, U_i(kmax))).
 *
 * The least u: a split with rate <= u exists or not monotonically in u,
 * and the optimum is some x_i / P_i, so it is the least candidate
 * n / P_i that passes: a few halvings of [max L_i / P_i, max top_i / P_i]
 * narrow the window, then a bisection over the candidates inside it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "split.h"

void mutu_split__init(split *s, const mutu_group_problem *gp, bool floors)
{
	memset(s, 0, sizeof *s);
	s->gp = gp;
	s->w = mutu_gp_etp_unit(gp);
	s->kmax = (long)floor(gp->max_etp_per_doctor / s->w + 1e-9);
	s->floors = floors;
	for (size_t i = 0; i < gp->m; i++)
		s->pg += gp->members[i].p;
	/* Members by decreasing patients per unit (P g w), for the bounds;
	 * without memory the bounds decide nothing. */
	s->order = malloc((gp->m + 1) * sizeof *s->order);
	for (size_t i = 0; s->order && i < gp->m; i++) {
		size_t j = i;
		double sl = gp->members[i].p * gp->members[i].gain;
		while (j > 0 &&
		       gp->members[s->order[j - 1]].p * gp->members[s->order[j - 1]].gain < sl) {
			s->order[j] = s->order[j - 1];
			j--;
		}
		s->order[j] = i;
	}
}

void mutu_split__free(split *s)
{
	free(s->best);
	free(s->next);
	free(s->pick);
	free(s->order);
	memset(s, 0, sizeof *s);
}

long mutu_split__units(const split *s, double etp)
{
	return (long)floor(etp / s->w + 1e-9);
}

static double floor_of(const split *s, size_t i, double objective)
{
	const mutu_group_problem *gp = s->gp;
	if (!s->floors || gp->floor_share <= 0 || s->pg <= 0)
		return 0;
	double f = gp->floor_share * gp->members[i].p / s->pg * objective;
	return fmax(0, ceil(f - 1 + 1e-6 - 1e-9));
}

/* U_i(k) capped by the rate u (INFINITY: none) and by T. */
static double top_of(const split *s, size_t i, long k, double u, double objective)
{
	const mutu_gp_member *mb = &s->gp->members[i];
	double top = floor(mb->p * (mb->headroom + mb->gain * s->w * (double)k) + 1e-9);
	if (mb->max_new >= 0)
		top = fmin(top, floor(mb->max_new + 1e-9));
	if (isfinite(u))
		top = fmin(top, floor(u * mb->p + 1e-9));
	return fmax(0, fmin(top, objective));
}

/* The least k in [0, top] with U_i(k) (capped by u and T) >= target, or
 * top + 1 when none. */
static long least_units(const split *s, size_t i, double target, long top, double u,
			double objective)
{
	const mutu_gp_member *mb = &s->gp->members[i];
	double sl = mb->p * mb->gain * s->w;
	long k = 0;
	if (sl > 0) {
		double guess = ceil((target - mb->p * mb->headroom) / sl - 1e-9);
		k = guess < 0 ? 0 : guess > (double)top ? top : (long)guess;
	}
	while (k > 0 && top_of(s, i, k - 1, u, objective) >= target)
		k--;
	while (k <= top && top_of(s, i, k, u, objective) < target)
		k++;
	return k;
}

static bool reserve(split *s, size_t width, size_t picks)
{
	if (width > s->cap) {
		double *b = realloc(s->best, width * sizeof *b);
		if (b)
			s->best = b;
		double *n = b ? realloc(s->next, width * sizeof *n) : NULL;
		if (!n)
			return false;
		s->next = n;
		s->cap = width;
	}
	if (picks > s->pickcap) {
		long *p = realloc(s->pick, picks * sizeof *p);
		if (!p)
			return false;
		s->pick = p;
		s->pickcap = picks;
	}
	return true;
}

/* The largest sum_i U_i(k_i) (capped by u and T) over sum k <= K with
 * every floor met, or -1 when the floors cannot be met, -2 when out of
 * memory.  With `k`, writes such units, topped up to sum K. */
static double max_total(split *s, long K, double objective, double u, double *k)
{
	const mutu_group_problem *gp = s->gp;
	size_t m = gp->m;
	if (K < 0 || K > (long)m * s->kmax)
		return -1;
	size_t width = (size_t)K + 1;
	if (!reserve(s, width, k ? m * width : 0))
		return -2;
	double *best = s->best, *next = s->next;
	best[0] = 0;
	size_t reach = 0; /* best[s] < 0 beyond reach */
	long top = K < s->kmax ? K : s->kmax;
	for (size_t i = 0; i < m; i++) {
		if (s->deadline > 0 && mutu_clock_s() >= s->deadline)
			return -3;
		double need = floor_of(s, i, objective);
		double most = top_of(s, i, top, u, objective);
		if (most < need)
			return -1;
		/* The least k meeting the floor, and the least reaching most. */
		long lo = least_units(s, i, need, top, u, objective);
		long hi = least_units(s, i, most, top, u, objective);
		size_t nreach = reach + (size_t)hi < width - 1 ? reach + (size_t)hi : width - 1;
		for (size_t t = 0; t <= nreach; t++)
			next[t] = -1;
		long *why = k ? s->pick + i * width : NULL;
		for (long ki = lo; ki <= hi; ki++) {
			double v = top_of(s, i, ki, u, objective);
			for (size_t t = 0; t <= reach && t + (size_t)ki <= nreach; t++) {
				if (best[t] < 0 || best[t] + v <= next[t + (size_t)ki])
					continue;
				next[t + (size_t)ki] = best[t] + v;
				if (why)
					why[t + (size_t)ki] = ki;
			}
		}
		double *tmp = best;
		best = next;
		next = tmp;
		reach = nreach;
	}
	s->best = best;
	s->next = next;
	double total = -1;
	size_t at = 0;
	for (size_t t = 0; t <= reach; t++)
		if (best[t] > total) {
			total = best[t];
			at = t;
		}
	if (total >= 0 && k) {
		long left = K;
		for (size_t i = m; i-- > 0;) {
			long ki = s->pick[i * width + at];
			k[i] = (double)ki;
			at -= (size_t)ki;
			left -= ki;
		}
		for (size_t i = 0; i < m && left > 0; i++) {
			long add = s->kmax - (long)k[i] < left ? s->kmax - (long)k[i] : left;
			k[i] += (double)add;
			left -= add;
		}
	}
	return total;
}

/* Bounds on max_total that decide most questions without the dynamic
 * program: every member from the least units meeting its floor, then the
 * units left one at a time to the largest gain (a lower bound: a real
 * allocation); and the same with the caps before rounding down and real
 * units, by decreasing gain per unit (an upper bound: it relaxes both
 * integrality and the rounding).  Returns 1 when the lower bound reaches
 * T, 0 when the upper bound misses it (or the floors cannot be met), -1
 * when undecided. */
static int bounds_of(split *s, long K, double objective, double u, double *low, double *up);

static int bounds_decide(split *s, long K, double objective, double u)
{
	double lower, upper;
	int d = bounds_of(s, K, objective, u, &lower, &upper);
	if (d != -1)
		return d;
	if (lower >= objective)
		return 1;
	if (!s->order)
		return -1;
	return upper < objective - 1e-9 ? 0 : -1;
}

/* The two bounds of bounds_decide: 0 when the floors cannot be met, -2
 * out of memory, else -1 with *low and *up. */
static int bounds_of(split *s, long K, double objective, double u, double *low, double *up)
{
	const mutu_group_problem *gp = s->gp;
	size_t m = gp->m;
	if (K < 0 || K > (long)m * s->kmax)
		return 0;
	if (!reserve(s, 1, 2 * m))
		return -2;
	long top = K < s->kmax ? K : s->kmax, left = K;
	long *lo = s->pick, *k = s->pick + m;
	double lower = 0, upper = 0;
	for (size_t i = 0; i < m; i++) {
		lo[i] = least_units(s, i, floor_of(s, i, objective), top, u, objective);
		if (lo[i] > top)
			return 0;
		k[i] = lo[i];
		left -= lo[i];
	}
	if (left < 0)
		return 0;
	/* Lower bound: by decreasing slope, each member up to the least
	 * units reaching its most. */
	long rest = left;
	for (size_t r = 0; r < m; r++) {
		size_t i = s->order ? s->order[r] : r;
		long want = least_units(s, i, top_of(s, i, top, u, objective), top, u, objective);
		long add = want - k[i] < rest ? want - k[i] : rest;
		if (add > 0) {
			k[i] += add;
			rest -= add;
		}
		lower += top_of(s, i, k[i], u, objective);
	}
	/* Upper bound: min(P (h + g w k), M, u P, T) for real k >= lo_i is
	 * concave in k: the units left by decreasing slope P g w. */
	double real_rest = (double)left;
	for (size_t r = 0; r < m; r++) {
		size_t i = s->order ? s->order[r] : r;
		const mutu_gp_member *mb = &gp->members[i];
		double cap = objective, sl = mb->p * mb->gain * s->w;
		if (mb->max_new >= 0)
			cap = fmin(cap, mb->max_new);
		if (isfinite(u))
			cap = fmin(cap, u * mb->p);
		double now = mb->p * mb->headroom + sl * (double)lo[i];
		upper += fmin(cap, now);
		if (sl > 0 && now < cap && real_rest > 0) {
			double units =
			    fmin(real_rest, fmin((double)(top - lo[i]), (cap - now) / sl));
			upper += sl * units;
			real_rest -= units;
		}
	}
	*low = lower;
	*up = upper;
	return -1;
}

/* 1 when a split with rate <= u exists, 0 when not, -2 / -3 as max_total. */
static int passes(split *s, long K, double objective, double u)
{
	int d = bounds_decide(s, K, objective, u);
	if (d >= 0 || d == -2)
		return d;
	double t = max_total(s, K, objective, u, NULL);
	return t <= -2 ? (int)t : t >= objective;
}

int mutu_split__feasible(split *s, double etp, double objective)
{
	return passes(s, mutu_split__units(s, etp), objective, INFINITY);
}

double mutu_split__max_objective(split *s, double etp, double hi)
{
	return mutu_split__max_objective_above(s, etp, -1, hi);
}

double mutu_split__max_objective_above(split *s, double etp, double known, double hi)
{
	long K = mutu_split__units(s, etp);
	/* Without floors the most patients is one program; floors grow with
	 * T, so bisect below that. */
	bool floors = s->floors;
	s->floors = false;
	double low, up;
	int b = bounds_of(s, K, INFINITY, INFINITY, &low, &up);
	s->floors = floors;
	if (b != -1)
		return b == 0 ? -1 : b;
	double top = fmin(floor(hi), s->order ? floor(up + 1e-9) : floor(hi));
	int ok = passes(s, K, top, INFINITY);
	if (ok != 0)
		return ok < 0 ? ok : top;
	double lo = -1; /* passes(lo) holds, passes(top) does not */
	if (known >= 0 && known < top) {
		ok = passes(s, K, known, INFINITY); /* checked: never trusted */
		if (ok < 0)
			return ok;
		lo = ok ? known : lo;
	}
	while (top - lo > 1) {
		double mid = floor((lo + top) / 2);
		ok = mid < 0 ? 1 : passes(s, K, mid, INFINITY);
		if (ok < 0)
			return ok;
		if (ok)
			lo = mid;
		else
			top = mid;
	}
	return lo;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Candidates n / P_i in (lo, hi], sorted, into a new array of *n; NULL
 * with *n their count when more than `most`, NULL with *n = 0 when out
 * of memory. */
static double *candidates(const split *s, double lo, double hi, size_t most, size_t *n)
{
	const mutu_group_problem *gp = s->gp;
	size_t count = 0;
	for (size_t i = 0; i < gp->m; i++) {
		double p = gp->members[i].p;
		if (p > 0)
			count += (size_t)fmax(0, floor(hi * p + 1e-9) - floor(lo * p + 1e-9));
	}
	*n = count;
	if (count > most)
		return NULL;
	*n = 0;
	double *c = malloc((count + 1) * sizeof *c);
	if (!c)
		return NULL;
	for (size_t i = 0; i < gp->m; i++) {
		double p = gp->members[i].p;
		if (p <= 0)
			continue;
		for (double v = floor(lo * p + 1e-9) + 1; v <= floor(hi * p + 1e-9); v++)
			if (v / p > lo && v / p <= hi)
				c[(*n)++] = v / p;
	}
	qsort(c, *n, sizeof *c, cmp_double);
	return c;
}

double mutu_split__min_rate(split *s, double etp, double objective, double *k, double *x)
{
	const mutu_group_problem *gp = s->gp;
	long K = mutu_split__units(s, etp);
	int ok = passes(s, K, objective, INFINITY);
	if (ok <= 0)
		return ok < 0 ? ok : -1;
	/* lo: the floors need it (a candidate itself); hi: no cap binds. */
	double lo = 0, hi = 0;
	long top = K < s->kmax ? K : s->kmax;
	for (size_t i = 0; i < gp->m; i++) {
		double p = gp->members[i].p;
		if (p <= 0)
			continue;
		lo = fmax(lo, floor_of(s, i, objective) / p);
		hi = fmax(hi, top_of(s, i, top, INFINITY, objective) / p);
	}
	double u = hi;
	ok = passes(s, K, objective, lo);
	if (ok < 0)
		return ok;
	if (ok) {
		u = lo;
	} else {
		/* passes(lo) fails, passes(hi) holds. */
		double *c = NULL;
		size_t n = 0;
		for (int round = 0;; round++) {
			/* Members of equal P share candidates: after enough
			 * halvings take them all. */
			c = candidates(s, lo, hi, round < 60 ? 64 : (size_t)-1, &n);
			if (c)
				break;
			if (n == 0)
				return -2;
			double mid = 0.5 * (lo + hi);
			ok = passes(s, K, objective, mid);
			if (ok < 0)
				return ok;
			if (ok)
				hi = mid;
			else
				lo = mid;
		}
		if (!c)
			return -2;
		size_t a = 0, b = n; /* the answer is c[b] when b < n, else hi */
		while (a < b) {
			size_t mid = a + (b - a) / 2;
			ok = passes(s, K, objective, c[mid]);
			if (ok < 0) {
				free(c);
				return ok;
			}
			if (ok)
				b = mid;
			else
				a = mid + 1;
		}
		u = b < n ? c[b] : hi;
		free(c);
	}
	if (k || x) {
		double *kk = k ? k : calloc(gp->m + 1, sizeof *kk);
		double got = kk ? max_total(s, K, objective, u, kk) : -2;
		if (got < objective) {
			if (!k)
				free(kk);
			return got <= -2 ? got : -2;
		}
		/* x_i from the top down to T, never below the floors. */
		double excess = -objective;
		for (size_t i = 0; i < gp->m; i++)
			excess += top_of(s, i, (long)kk[i], u, objective);
		for (size_t i = 0; x && i < gp->m; i++) {
			double hi_i = top_of(s, i, (long)kk[i], u, objective);
			double cut = fmin(fmax(excess, 0), hi_i - floor_of(s, i, objective));
			x[i] = hi_i - cut;
			excess -= cut;
		}
		if (!k)
			free(kk);
	}
	return u;
}

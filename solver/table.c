/* The exact table of sum_individual (table.h): one dynamic program over
 * the members on cells (v, t), with the choices no plan of the box can
 * take at a NET of theta left out by a Lagrangian bound, so that only a
 * narrow window of cells is carried from one member to the next.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mutu/error.h"
#include "table.h"

static long lmax(long a, long b)
{
	return a > b ? a : b;
}

static long lmin(long a, long b)
{
	return a < b ? a : b;
}

void mutu_table__free(table *tb)
{
	free(tb->first);
	free(tb->net);
	free(tb->dv);
	free(tb->dt);
	free(tb->keep);
	free(tb->none);
	free(tb->lv);
	free(tb->hv);
	free(tb->lt);
	free(tb->ht);
	free(tb->at);
	free(tb->f);
	free(tb->took);
	memset(tb, 0, sizeof *tb);
}

/* Each choice's NET, units and patients; false when a choice is off the
 * grid G or its objective is not a whole number of patients. */
static bool steps_of(table *tb, const mutu_group_problem *gp, long G)
{
	size_t k = 0;
	for (size_t i = 0; i < gp->m; i++) {
		tb->first[i] = k;
		if (gp->members[i].nchoices > 250)
			return false; /* took holds 1 + the choice in a byte */
		for (size_t c = 0; c < gp->members[i].nchoices; c++, k++) {
			const mutu_gp_choice *ch = &gp->members[i].choices[c];
			double v = ch->etp * (double)G;
			if (!(ch->objective >= 0 && ch->objective <= 1e9) ||
			    ch->objective != floor(ch->objective) || !(v >= 0 && v <= 1e9) ||
			    fabs(v - round(v)) > 1e-9 * fmax(1, v))
				return false;
			tb->dv[k] = (long)llround(v);
			tb->dt[k] = (long)ch->objective;
			tb->net[k] = mutu_gp_choice_net(gp, ch);
		}
	}
	tb->first[gp->m] = k;
	return true;
}

/* ---- the bound ------------------------------------------------------- */

/* A plan of the box takes at most one choice per member; with prices
 * lambda per patient and mu per unit of E, its NET is at most
 *   B = sum_i r_i + lambda T' + mu E',
 * r_i = max(0, max_c (net - lambda t - mu v)) and T', E' the ends of the
 * box that the signs of lambda and mu make the largest.  So a plan in
 * which member i takes a choice of reduced value `red` has a NET of at
 * most B - r_i + red. */
static double red(const table *tb, size_t k, double lambda, double mu)
{
	return tb->net[k] - lambda * (double)tb->dt[k] - mu * (double)tb->dv[k];
}

/* B at (lambda, mu) and its subgradient in lambda. */
static double bound_at(const table *tb, double lambda, double mu, double *gl)
{
	double b = (lambda >= 0 ? lambda * (double)tb->box[3] : lambda * (double)tb->box[2]) +
		   (mu >= 0 ? mu * (double)tb->box[1] : mu * (double)tb->box[0]);
	double t = 0;
	for (size_t i = 0; i < tb->m; i++) {
		double r = 0;
		long rt = 0;
		for (size_t k = tb->first[i]; k < tb->first[i + 1]; k++) {
			double x = red(tb, k, lambda, mu);
			if (x > r) {
				r = x;
				rt = tb->dt[k];
			}
		}
		b += r;
		t += (double)rt;
	}
	*gl = (lambda >= 0 ? (double)tb->box[3] : (double)tb->box[2]) - t;
	return b;
}

/* min over lambda of B(lambda, mu), by bisection on the sign of the
 * subgradient (B is convex); *lambda gets the best point seen. */
static double bound_lambda(const table *tb, double top, double mu, double *lambda)
{
	double lo = -top, hi = top, best = HUGE_VAL, gl;
	for (int it = 0; it < 36; it++) {
		double mid = 0.5 * (lo + hi);
		double b = bound_at(tb, mid, mu, &gl);
		if (b < best) {
			best = b;
			*lambda = mid;
		}
		if (gl > 0)
			hi = mid;
		else
			lo = mid;
	}
	return best;
}

/* The least B found, by golden section over mu of the least over lambda
 * (convex in mu).  Any (lambda, mu) gives a valid bound: the search only
 * makes it tight. */
static double bound_min(const table *tb, double top, double *lambda, double *mu)
{
	const double g = 0.6180339887498949;
	double a = -top, b = top, l1 = 0, l2 = 0;
	double x1 = b - g * (b - a), x2 = a + g * (b - a);
	double f1 = bound_lambda(tb, top, x1, &l1), f2 = bound_lambda(tb, top, x2, &l2);
	for (int it = 0; it < 28; it++) {
		if (f1 <= f2) {
			b = x2;
			x2 = x1;
			f2 = f1;
			l2 = l1;
			x1 = b - g * (b - a);
			f1 = bound_lambda(tb, top, x1, &l1);
		} else {
			a = x1;
			x1 = x2;
			f1 = f2;
			l1 = l2;
			x2 = a + g * (b - a);
			f2 = bound_lambda(tb, top, x2, &l2);
		}
	}
	*mu = f1 <= f2 ? x1 : x2;
	*lambda = f1 <= f2 ? l1 : l2;
	return fmin(f1, f2);
}

void mutu_table__price(table *tb)
{
	double top = 1;
	for (size_t k = 0; k < tb->nc; k++)
		top = fmax(top, 4 * fabs(tb->net[k]) + 1);
	tb->bound = bound_min(tb, top, &tb->lambda, &tb->mu);
}

/* Leaves out each member's choices (and the empty choice) that cannot be
 * in a plan of the box with a NET of tb->theta. */
static void fix_choices(table *tb, const table *like)
{
	memset(tb->keep, 1, tb->nc + 1);
	for (size_t i = 0; i < tb->m; i++)
		tb->none[i] = true;
	tb->bound = HUGE_VAL; /* not computed: nothing is left out */
	if (tb->theta == -HUGE_VAL && !like)
		return;
	double lambda, mu, gl;
	if (like) {
		lambda = like->lambda;
		mu = like->mu;
		tb->bound = bound_at(tb, lambda, mu, &gl);
	} else {
		mutu_table__price(tb);
		lambda = tb->lambda;
		mu = tb->mu;
	}
	tb->lambda = lambda;
	tb->mu = mu;
	if (tb->theta == -HUGE_VAL)
		return;
	/* What a choice may fall short of r_i, a little more than the bound
	 * allows so that rounding never leaves out a choice of a plan at
	 * theta. */
	double gap = tb->bound - tb->theta + 1e-7 * fmax(1, fabs(tb->bound)) + 1e-6;
	for (size_t i = 0; i < tb->m; i++) {
		double r = 0;
		for (size_t k = tb->first[i]; k < tb->first[i + 1]; k++)
			r = fmax(r, red(tb, k, lambda, mu));
		tb->none[i] = 0 >= r - gap;
		for (size_t k = tb->first[i]; k < tb->first[i + 1]; k++)
			tb->keep[k] = red(tb, k, lambda, mu) >= r - gap;
	}
}

/* ---- windows ---------------------------------------------------------- */

/* The window after each member from the least and largest units and
 * patients the allowed choices of the members before and after it bring;
 * false when no cell of the box is reachable. */
static bool windows(table *tb, const long *lo_v, const long *hi_v, const long *lo_t,
		    const long *hi_t)
{
	long sv_lo = 0, sv_hi = 0, st_lo = 0, st_hi = 0; /* members i + 1 .. m - 1 */
	for (size_t i = 0; i < tb->m; i++) {
		sv_lo += lo_v[i];
		sv_hi += hi_v[i];
		st_lo += lo_t[i];
		st_hi += hi_t[i];
	}
	long pv_lo = 0, pv_hi = 0, pt_lo = 0, pt_hi = 0; /* members 0 .. i */
	for (size_t i = 0; i < tb->m; i++) {
		sv_lo -= lo_v[i];
		sv_hi -= hi_v[i];
		st_lo -= lo_t[i];
		st_hi -= hi_t[i];
		pv_lo += lo_v[i];
		pv_hi += hi_v[i];
		pt_lo += lo_t[i];
		pt_hi += hi_t[i];
		tb->lv[i] = lmax(pv_lo, tb->box[0] - sv_hi);
		tb->hv[i] = lmin(pv_hi, tb->box[1] - sv_lo);
		tb->lt[i] = lmax(pt_lo, tb->box[2] - st_hi);
		tb->ht[i] = lmin(pt_hi, tb->box[3] - st_lo);
		if (tb->lv[i] > tb->hv[i] || tb->lt[i] > tb->ht[i])
			return false;
	}
	return true;
}

static size_t window_cells(const table *tb, size_t i)
{
	return (size_t)(tb->hv[i] - tb->lv[i] + 1) * (size_t)(tb->ht[i] - tb->lt[i] + 1);
}

/* The steps and bytes of the fill on the windows. */
static void window_cost(table *tb)
{
	size_t m = tb->m, widest = 1, bytes = 0;
	tb->steps = tb->tsteps = 0;
	for (size_t i = 0; !tb->empty && i < m; i++) {
		size_t kept = 1; /* the copy of the cells kept by taking none */
		for (size_t k = tb->first[i]; k < tb->first[i + 1]; k++)
			kept += tb->keep[k];
		tb->at[i] = bytes;
		tb->steps += (i ? window_cells(tb, i - 1) : 1) * kept;
		/* t_forward, t_backward, then narrow */
		tb->tsteps += 3 * (size_t)(tb->ht[i] - tb->lt[i] + 1) * kept;
		bytes += window_cells(tb, i);
		widest = window_cells(tb, i) > widest ? window_cells(tb, i) : widest;
	}
	tb->at[m] = bytes;
	tb->bytes = bytes + 2 * widest * sizeof(double);
}

/* Each member's least and largest units and patients over its allowed
 * choices (0 when it may take none), then the windows and the cost. */
static int size_windows(table *tb)
{
	size_t m = tb->m;
	long *b = malloc((4 * m + 1) * sizeof *b);
	if (!b)
		return MUTU_ENOMEM;
	long *lo_v = b, *hi_v = b + m, *lo_t = b + 2 * m, *hi_t = b + 3 * m;
	bool reachable = true;
	for (size_t i = 0; i < m; i++) {
		bool any = tb->none[i];
		lo_v[i] = lo_t[i] = tb->none[i] ? 0 : LONG_MAX / 4;
		hi_v[i] = hi_t[i] = 0;
		for (size_t k = tb->first[i]; k < tb->first[i + 1]; k++)
			if (tb->keep[k]) {
				any = true;
				lo_v[i] = lmin(lo_v[i], tb->dv[k]);
				hi_v[i] = lmax(hi_v[i], tb->dv[k]);
				lo_t[i] = lmin(lo_t[i], tb->dt[k]);
				hi_t[i] = lmax(hi_t[i], tb->dt[k]);
			}
		reachable = reachable && any;
	}
	tb->empty = !reachable || !windows(tb, lo_v, hi_v, lo_t, hi_t);
	free(b);
	window_cost(tb);
	return MUTU_OK;
}

/* ---- the bound exact in T -------------------------------------------- */

/* Where member i's window of T starts in the sums of t_forward and
 * t_backward; their
 * length. */
static size_t t_offsets(const table *tb, size_t *off)
{
	size_t n = 0;
	for (size_t i = 0; i < tb->m; i++) {
		off[i] = n;
		n += (size_t)(tb->ht[i] - tb->lt[i] + 1);
	}
	return n;
}

/* A choice's NET less its units at the price mu. */
static double priced(const table *tb, size_t k)
{
	return tb->net[k] - tb->mu * (double)tb->dv[k];
}

/* dst[u - dl] = max(dst[u - dl], src[s - sl] + x) for u = s + d, s in
 * [sl, sh] and u in [dl, dh]. */
static void relax(const double *src, long sl, long sh, double *dst, long dl, long dh, long d,
		  double x)
{
	for (long s = lmax(sl, dl - d); s <= lmin(sh, dh - d); s++) {
		double y = src[s - sl] + x;
		dst[s + d - dl] = y > dst[s + d - dl] ? y : dst[s + d - dl];
	}
}

/* Member i's step of the sums: dst over [dl, dh] from src over [sl, sh],
 * taking none (the same T) or a kept choice (T moved by dir times its
 * patients). */
static void t_step(const table *tb, size_t i, const double *src, long sl, long sh, double *dst,
		   long dl, long dh, long dir)
{
	for (long t = dl; t <= dh; t++)
		dst[t - dl] = tb->none[i] && t >= sl && t <= sh ? src[t - sl] : -HUGE_VAL;
	for (size_t k = tb->first[i]; k < tb->first[i + 1]; k++)
		if (tb->keep[k])
			relax(src, sl, sh, dst, dl, dh, dir * tb->dt[k], priced(tb, k));
}

/* On member i's window of T, at off[i] + t - lt[i]: p (t_forward), the
 * largest sum of net - mu v over the kept choices of members 0 .. i with
 * T = t; c (t_backward), the largest over members i + 1 .. m - 1 that
 * bring T from t into the box; -HUGE_VAL: none.  So a plan of the box
 * through T = t after member i has a NET of at most p + c + mu E', E' the
 * end of the box in E that the sign of mu makes the largest: the
 * Lagrangian bound with T kept exact. */
static void t_forward(const table *tb, const size_t *off, double *p)
{
	const double zero = 0; /* before any member: T = 0 */
	t_step(tb, 0, &zero, 0, 0, p, tb->lt[0], tb->ht[0], 1);
	for (size_t i = 1; i < tb->m; i++)
		t_step(tb, i, p + off[i - 1], tb->lt[i - 1], tb->ht[i - 1], p + off[i], tb->lt[i],
		       tb->ht[i], 1);
}

static void t_backward(const table *tb, const size_t *off, double *c)
{
	size_t m = tb->m;
	for (long t = tb->lt[m - 1]; t <= tb->ht[m - 1]; t++)
		c[off[m - 1] + (size_t)(t - tb->lt[m - 1])] = 0; /* the last window is in the box */
	for (size_t i = m - 1; i > 0; i--)
		t_step(tb, i, c + off[i], tb->lt[i], tb->ht[i], c + off[i - 1], tb->lt[i - 1],
		       tb->ht[i - 1], -1);
}

/* How far below theta a bound may fall for rounding. */
static double slack(const table *tb)
{
	return isfinite(tb->bound) ? 1e-7 * fmax(1, fabs(tb->bound)) + 1e-6 : 1e-6;
}

/* The end of the last window in E that the sign of mu makes the
 * largest. */
static long v_end(const table *tb)
{
	return tb->mu >= 0 ? tb->hv[tb->m - 1] : tb->lv[tb->m - 1];
}

/* Whether member i's choice shifting T by dt (x its priced NET) lies on a
 * plan of sum p + x + c >= need. */
static bool on_plan(const table *tb, size_t i, const size_t *off, const double *p, const double *c,
		    long dt, double x, double need)
{
	long l0 = i ? tb->lt[i - 1] : 0, h0 = i ? tb->ht[i - 1] : 0;
	const double zero = 0, *prev = i ? p + off[i - 1] : &zero, *ci = c + off[i];
	for (long t = lmax(l0, tb->lt[i] - dt); t <= lmin(h0, tb->ht[i] - dt); t++)
		if (prev[t - l0] + x + ci[t + dt - tb->lt[i]] >= need)
			return true;
	return false;
}

/* Leaves out the choices and the cells of T that no plan of the box with
 * a NET of theta takes by the bound exact in T, then sizes the windows
 * again.  `lt`, `ht`: room for m values. */
static void narrow(table *tb, const size_t *off, const double *p, const double *c, long *lt,
		   long *ht)
{
	double need = tb->theta - slack(tb) - tb->mu * (double)v_end(tb);
	for (size_t i = 0; i < tb->m; i++) {
		const double *pi = p + off[i], *ci = c + off[i];
		long w = tb->ht[i] - tb->lt[i];
		lt[i] = tb->ht[i] + 1;
		ht[i] = tb->lt[i] - 1;
		for (long q = 0; q <= w; q++)
			if (pi[q] + ci[q] >= need) {
				lt[i] = lmin(lt[i], tb->lt[i] + q);
				ht[i] = tb->lt[i] + q;
			}
		tb->none[i] = tb->none[i] && on_plan(tb, i, off, p, c, 0, 0, need);
		for (size_t k = tb->first[i]; k < tb->first[i + 1]; k++)
			tb->keep[k] = tb->keep[k] &&
				      on_plan(tb, i, off, p, c, tb->dt[k], priced(tb, k), need);
	}
}

/* The bound with T exact from the forward sums p (length n). */
static void lower_bound(table *tb, const size_t *off, const double *p, size_t n)
{
	double top = -HUGE_VAL;
	for (size_t q = off[tb->m - 1]; q < n; q++)
		top = fmax(top, p[q]);
	tb->bound = fmin(tb->bound, top + tb->mu * (double)v_end(tb));
}

/* The bound exact in T of a priced table (the least of it and the
 * Lagrangian bound), and at a theta above -HUGE_VAL what it leaves out.
 * Returns 0 or MUTU_ENOMEM. */
static int tighten(table *tb)
{
	size_t m = tb->m;
	if (tb->empty || tb->bound == HUGE_VAL)
		return MUTU_OK;
	size_t *off = malloc(m * sizeof *off);
	size_t n = off ? t_offsets(tb, off) : 0;
	double *p = malloc(n * sizeof *p), *c = malloc(n * sizeof *c);
	long *lt = malloc(2 * m * sizeof *lt);
	int rc = off && p && c && lt ? MUTU_OK : MUTU_ENOMEM;
	if (rc == MUTU_OK) {
		t_forward(tb, off, p);
		t_backward(tb, off, c);
		lower_bound(tb, off, p, n);
	}
	if (rc == MUTU_OK && tb->theta > -HUGE_VAL && tb->bound < tb->theta - slack(tb))
		tb->empty = true; /* no plan of NET theta */
	else if (rc == MUTU_OK && tb->theta > -HUGE_VAL) {
		long *ht = lt + m;
		narrow(tb, off, p, c, lt, ht);
		rc = size_windows(tb);
		for (size_t i = 0; rc == MUTU_OK && !tb->empty && i < m; i++) {
			tb->lt[i] = lmax(tb->lt[i], lt[i]);
			tb->ht[i] = lmin(tb->ht[i], ht[i]);
			tb->empty = tb->lt[i] > tb->ht[i];
		}
	}
	window_cost(tb);
	free(off);
	free(p);
	free(c);
	free(lt);
	return rc;
}

int mutu_table__t_bound(table *tb)
{
	if (!tb->usable || tb->empty || tb->bound == HUGE_VAL)
		return MUTU_OK;
	size_t *off = malloc(tb->m * sizeof *off);
	size_t n = off ? t_offsets(tb, off) : 0;
	double *p = malloc(n * sizeof *p);
	int rc = off && p ? MUTU_OK : MUTU_ENOMEM;
	if (rc == MUTU_OK) {
		t_forward(tb, off, p);
		lower_bound(tb, off, p, n);
	}
	free(off);
	free(p);
	return rc;
}

bool mutu_table__cheap_tighten(const table *tb)
{
	return tb->usable && !tb->empty && 4 * tb->tsteps <= tb->steps;
}

int mutu_table__tighten(table *tb, bool *fits)
{
	int rc = tb->usable ? tighten(tb) : MUTU_OK;
	tb->tight = true;
	*fits = rc == MUTU_OK && tb->usable && tb->bytes <= TABLE_BYTES && tb->steps <= TABLE_STEPS;
	return rc;
}

int mutu_table__plan(table *tb, const mutu_group_problem *gp, long G, const long box[4],
		     double theta, const table *like, bool *fits)
{
	size_t m = gp->m, nc = 0;
	memset(tb, 0, sizeof *tb);
	*fits = false;
	for (size_t i = 0; i < m; i++)
		nc += gp->members[i].nchoices;
	memcpy(tb->box, box, sizeof tb->box);
	tb->theta = theta;
	tb->m = m;
	tb->nc = nc;
	tb->first = malloc((m + 1) * sizeof *tb->first);
	tb->net = malloc((nc + 1) * sizeof *tb->net);
	tb->dv = malloc((nc + 1) * sizeof *tb->dv);
	tb->dt = malloc((nc + 1) * sizeof *tb->dt);
	tb->keep = malloc(nc + 1);
	tb->none = malloc((m + 1) * sizeof *tb->none);
	tb->lv = malloc((m + 1) * sizeof *tb->lv);
	tb->hv = malloc((m + 1) * sizeof *tb->hv);
	tb->lt = malloc((m + 1) * sizeof *tb->lt);
	tb->ht = malloc((m + 1) * sizeof *tb->ht);
	tb->at = malloc((m + 1) * sizeof *tb->at);
	if (!tb->first || !tb->net || !tb->dv || !tb->dt || !tb->keep || !tb->none || !tb->lv ||
	    !tb->hv || !tb->lt || !tb->ht || !tb->at)
		return MUTU_ENOMEM;
	if (m == 0 || box[0] > box[1] || box[2] > box[3] || box[0] < 0 || box[2] < 0 ||
	    !steps_of(tb, gp, G))
		return MUTU_OK;
	tb->usable = true;
	fix_choices(tb, like);
	int rc = size_windows(tb);
	*fits = rc == MUTU_OK && tb->bytes <= TABLE_BYTES && tb->steps <= TABLE_STEPS;
	return rc;
}

/* ---- the fill ---------------------------------------------------------- */

/* The window before member i's step: member i - 1's, or the one cell
 * (0, 0) before the first member. */
static void prev_window(const table *tb, size_t i, long pl[4])
{
	pl[0] = i > 0 ? tb->lv[i - 1] : 0;
	pl[1] = i > 0 ? tb->hv[i - 1] : 0;
	pl[2] = i > 0 ? tb->lt[i - 1] : 0;
	pl[3] = i > 0 ? tb->ht[i - 1] : 0;
}

static size_t widest_window(const table *tb)
{
	size_t widest = 1;
	for (size_t i = 0; i < tb->m; i++)
		widest = window_cells(tb, i) > widest ? window_cells(tb, i) : widest;
	return widest;
}

/* The cells of each row of a window that the fill carries on: from a[r]
 * to b[r] (none when a[r] > b[r]). */
typedef struct live {
	long *a, *b;
} live;

/* Whether a reached cell of NET f, with the completion bound c of its T,
 * can still make `need` (always, without a bound). */
static bool alive(double f, const double *c, size_t q, double need)
{
	return f > -HUGE_VAL && (!c || f + c[q] >= need);
}

/* The live cells of member i's window `cur`: those reached whose NET f,
 * with the completion bound c of their T (t_backward), can still make
 * theta; all reached ones when theta is -HUGE_VAL or there is no bound. */
static void live_cells(const table *tb, size_t i, const double *cur, const double *c, live *out)
{
	size_t crow = (size_t)(tb->ht[i] - tb->lt[i] + 1);
	const double *bound = tb->theta > -HUGE_VAL ? c : NULL;
	long vend = v_end(tb);
	for (long v = tb->lv[i]; v <= tb->hv[i]; v++) {
		const double *f = cur + (size_t)(v - tb->lv[i]) * crow;
		/* a plan through (v, t) has a NET of at most f + c + mu (E' - v) */
		double need = tb->theta - slack(tb) - tb->mu * (double)(vend - v);
		long a = 0, b = (long)crow - 1;
		while (a <= b && !alive(f[a], bound, (size_t)a, need))
			a++;
		while (b > a && !alive(f[b], bound, (size_t)b, need))
			b--;
		out->a[v - tb->lv[i]] = tb->lt[i] + a; /* none when a > b */
		out->b[v - tb->lv[i]] = tb->lt[i] + b;
	}
}

/* Member i's step from `prev` (member i - 1's window, or the one cell
 * (0, 0) when i = 0), reading only its live cells `from_live`, into `cur`
 * (its own). */
static void step(table *tb, size_t i, const double *prev, const live *from_live, double *cur)
{
	long pl[4];
	prev_window(tb, i, pl);
	size_t prow = (size_t)(pl[3] - pl[2] + 1), crow = (size_t)(tb->ht[i] - tb->lt[i] + 1);
	unsigned char *took = tb->took + tb->at[i];
	size_t cells = window_cells(tb, i);
	for (size_t q = 0; q < cells; q++)
		cur[q] = -HUGE_VAL;
	/* Taking none keeps the cells of both windows. */
	for (long v = lmax(pl[0], tb->lv[i]); tb->none[i] && v <= lmin(pl[1], tb->hv[i]); v++) {
		long t0 = lmax(from_live->a[v - pl[0]], tb->lt[i]);
		long t1 = lmin(from_live->b[v - pl[0]], tb->ht[i]);
		if (t0 <= t1)
			memcpy(cur + (size_t)(v - tb->lv[i]) * crow + (size_t)(t0 - tb->lt[i]),
			       prev + (size_t)(v - pl[0]) * prow + (size_t)(t0 - pl[2]),
			       (size_t)(t1 - t0 + 1) * sizeof *cur);
	}
	for (size_t k = tb->first[i]; k < tb->first[i + 1]; k++) {
		if (!tb->keep[k])
			continue;
		long dv = tb->dv[k], dt = tb->dt[k];
		double net = tb->net[k];
		unsigned char mark = (unsigned char)(k - tb->first[i] + 1);
		long v0 = lmax(pl[0], tb->lv[i] - dv), v1 = lmin(pl[1], tb->hv[i] - dv);
		long t0 = lmax(pl[2], tb->lt[i] - dt), t1 = lmin(pl[3], tb->ht[i] - dt);
		for (long v = v0; v <= v1 && t0 <= t1; v++) {
			long a = lmax(t0, from_live->a[v - pl[0]]),
			     b = lmin(t1, from_live->b[v - pl[0]]);
			if (a > b)
				continue;
			const double *from =
			    prev + (size_t)(v - pl[0]) * prow + (size_t)(a - pl[2]);
			size_t at =
			    (size_t)(v + dv - tb->lv[i]) * crow + (size_t)(a + dt - tb->lt[i]);
			double *to = cur + at;
			unsigned char *tk = took + at;
			long n = b - a;
			for (long t = 0; t <= n; t++) {
				double x = from[t] + net;
				bool better = x > to[t];
				to[t] = better ? x : to[t];
				tk[t] = better ? mark : tk[t];
			}
		}
	}
}

static size_t widest_rows(const table *tb)
{
	long widest = 1;
	for (size_t i = 0; i < tb->m; i++)
		widest = lmax(widest, tb->hv[i] - tb->lv[i] + 1);
	return (size_t)widest;
}

int mutu_table__fill(table *tb)
{
	if (tb->empty)
		return MUTU_OK;
	size_t widest = widest_window(tb), rows = widest_rows(tb);
	size_t *off = malloc(tb->m * sizeof *off);
	double *a = malloc(widest * sizeof *a), *b = malloc(widest * sizeof *b);
	long *ranges = malloc(4 * rows * sizeof *ranges);
	bool prune = tb->tight && tb->theta > -HUGE_VAL && tb->bound < HUGE_VAL;
	size_t n = off ? t_offsets(tb, off) : 0;
	double *c = prune ? malloc(n * sizeof *c) : NULL;
	bool lost = prune && !c;
	if (c && off)
		t_backward(tb, off, c);
	tb->took = calloc(tb->at[tb->m] + 1, 1);
	if (!a || !b || !tb->took || !ranges || !off || lost) {
		free(a);
		free(b);
		free(ranges);
		free(off);
		free(c);
		return MUTU_ENOMEM;
	}
	live from = {ranges, ranges + rows}, to = {ranges + 2 * rows, ranges + 3 * rows};
	a[0] = 0; /* before any member: the cell (0, 0) */
	from.a[0] = from.b[0] = 0;
	for (size_t i = 0; i < tb->m; i++) {
		step(tb, i, a, &from, b);
		live_cells(tb, i, b, c ? c + off[i] : NULL, &to);
		double *s = a;
		a = b;
		b = s;
		live l = from;
		from = to;
		to = l;
	}
	free(b);
	free(ranges);
	free(off);
	free(c);
	tb->f = a;
	return MUTU_OK;
}

double mutu_table__at(const table *tb, long v, long t)
{
	size_t l = tb->m - 1;
	if (tb->empty || !tb->f || v < tb->lv[l] || v > tb->hv[l] || t < tb->lt[l] || t > tb->ht[l])
		return -HUGE_VAL;
	return tb->f[(size_t)(v - tb->lv[l]) * (size_t)(tb->ht[l] - tb->lt[l] + 1) +
		     (size_t)(t - tb->lt[l])];
}

const double *mutu_table__row(const table *tb, long v, long *t0, long *t1)
{
	size_t l = tb->m - 1;
	*t0 = 0;
	*t1 = -1;
	if (tb->empty || !tb->f || v < tb->lv[l] || v > tb->hv[l])
		return NULL;
	*t0 = tb->lt[l];
	*t1 = tb->ht[l];
	return tb->f + (size_t)(v - tb->lv[l]) * (size_t)(tb->ht[l] - tb->lt[l] + 1);
}

void mutu_table__choices(const table *tb, long v, long t, long *choice)
{
	for (size_t i = tb->m; i-- > 0;) {
		choice[i] = -1;
		if (v < tb->lv[i] || v > tb->hv[i] || t < tb->lt[i] || t > tb->ht[i])
			continue; /* not from a reached cell */
		size_t crow = (size_t)(tb->ht[i] - tb->lt[i] + 1);
		unsigned char c =
		    tb->took[tb->at[i] + (size_t)(v - tb->lv[i]) * crow + (size_t)(t - tb->lt[i])];
		if (c > 0) {
			size_t k = tb->first[i] + c - 1;
			choice[i] = c - 1;
			v -= tb->dv[k];
			t -= tb->dt[k];
		}
	}
}

/* ---- which cells some choices reach --------------------------------- */

static void or_bytes(unsigned char *to, const unsigned char *from, size_t n)
{
	size_t k = 0;
	for (; k + 8 <= n; k += 8) {
		uint64_t a, b;
		memcpy(&a, to + k, 8);
		memcpy(&b, from + k, 8);
		a |= b;
		memcpy(to + k, &a, 8);
	}
	for (; k < n; k++)
		to[k] |= from[k];
}

/* Member i's step of the reach map: the fill's step with "some plan"
 * for "the largest NET". */
static void reach_step(const table *tb, size_t i, const unsigned char *prev, unsigned char *cur)
{
	long pl[4];
	prev_window(tb, i, pl);
	size_t prow = (size_t)(pl[3] - pl[2] + 1), crow = (size_t)(tb->ht[i] - tb->lt[i] + 1);
	memset(cur, 0, window_cells(tb, i));
	for (size_t k = tb->first[i]; k <= tb->first[i + 1]; k++) {
		bool none = k == tb->first[i + 1];
		if (none ? !tb->none[i] : !tb->keep[k])
			continue;
		long dv = none ? 0 : tb->dv[k], dt = none ? 0 : tb->dt[k];
		long v0 = lmax(pl[0], tb->lv[i] - dv), v1 = lmin(pl[1], tb->hv[i] - dv);
		long t0 = lmax(pl[2], tb->lt[i] - dt), t1 = lmin(pl[3], tb->ht[i] - dt);
		for (long v = v0; v <= v1 && t0 <= t1; v++)
			or_bytes(cur + (size_t)(v + dv - tb->lv[i]) * crow +
				     (size_t)(t0 + dt - tb->lt[i]),
				 prev + (size_t)(v - pl[0]) * prow + (size_t)(t0 - pl[2]),
				 (size_t)(t1 - t0 + 1));
	}
}

int mutu_table__reach(const table *tb, unsigned char **map)
{
	*map = NULL;
	if (tb->empty)
		return MUTU_OK;
	size_t widest = widest_window(tb);
	unsigned char *a = malloc(widest), *b = malloc(widest);
	if (!a || !b) {
		free(a);
		free(b);
		return MUTU_ENOMEM;
	}
	a[0] = 1; /* before any member: the cell (0, 0) */
	for (size_t i = 0; i < tb->m; i++) {
		reach_step(tb, i, a, b);
		unsigned char *s = a;
		a = b;
		b = s;
	}
	free(b);
	*map = a;
	return MUTU_OK;
}

bool mutu_table__reached(const table *tb, const unsigned char *map, long v, long t)
{
	size_t l = tb->m - 1;
	if (!map || v < tb->lv[l] || v > tb->hv[l] || t < tb->lt[l] || t > tb->ht[l])
		return false;
	return map[(size_t)(v - tb->lv[l]) * (size_t)(tb->ht[l] - tb->lt[l] + 1) +
		   (size_t)(t - tb->lt[l])] != 0;
}

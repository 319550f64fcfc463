/* glpk_trace.so: where mutu's solver time goes inside GLPK, without
 * touching the solver.  Preloaded (LD_PRELOAD) into bench, it wraps the
 * GLPK entry points that solver/lp.c calls and times them:
 *
 *   build      glp_create_prob until the first solve call on that problem
 *              (lp.c's build(): columns, rows, coefficients)
 *   intopt     glp_intopt, split into
 *     presolve   entry until its first internal glp_simplex (the MIP
 *                presolver and the set-up of the root problem)
 *     lp         the internal glp_simplex calls (root and node relaxations)
 *     rest       the remainder: cut generation, heuristics, branching,
 *                bookkeeping, postsolve
 *   simplex    glp_simplex called by mutu itself (fixed-binary LPs:
 *              polishing, pooled levels, diagnosis)
 *
 * GLPK's internal calls to its own exported functions go through the PLT
 * on Debian, so the nested glp_simplex calls are seen.  Totals are printed
 * on standard error at exit; BENCH_TRACE=2 also prints one line per call.
 * BENCH_GLPK_CUTS=0 or 1 turns GLPK's cut generators (GMI, MIR, cover,
 * clique) off or on in every glp_intopt call, to measure what they cost;
 * BENCH_GLPK_PP=none, root or all sets its node preprocessing (pp_tech,
 * GLPK's default all: bound tightening at every node).
 * Single-threaded use only (bench --problem).  See README.md "Profiling".
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glpk.h>

typedef glp_prob *(*create_fn)(void);
typedef int (*intopt_fn)(glp_prob *, const glp_iocp *);
typedef int (*simplex_fn)(glp_prob *, const glp_smcp *);
typedef void (*delete_fn)(glp_prob *);

static struct {
	double build, intopt, presolve, lp_in, simplex, del;
	long n_create, n_intopt, n_simplex_in, n_simplex;
	/* state */
	double t_create;
	int building;
	int in_intopt, in_simplex;
	double t_intopt, t_first_lp;
	int verbose;
	int cuts;    /* BENCH_GLPK_CUTS: -1 as mutu says, 0 all off, 1 all on */
	int pp_tech; /* BENCH_GLPK_PP: -1 as mutu says, else GLP_PP_NONE/ROOT/ALL */
	/* glp_intopt by its rank within one mutu_group_solve (bench calls
	 * bench_trace_solve_begin before each): stage 1, 2, 3, then any
	 * further call (diagnosis of a group without a contract). */
	int rank;
	double by_rank[4];
	long n_rank[4];
	long n_solves;
} T;

/* Called by bench before each mutu_group_solve, when preloaded. */
void bench_trace_solve_begin(void);
void bench_trace_solve_begin(void)
{
	T.rank = 0;
	T.n_solves++;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The real `name` into *fn (a function pointer: ISO C has no cast from
 * void *, hence the copy). */
static void next(const char *name, void *fn, size_t size)
{
	void *p = dlsym(RTLD_NEXT, name);
	if (!p) {
		fprintf(stderr, "glpk_trace: %s not found\n", name);
		abort();
	}
	memcpy(fn, &p, size);
}

static void end_build(void)
{
	if (T.building) {
		T.build += now_ms() - T.t_create;
		T.building = 0;
	}
}

glp_prob *glp_create_prob(void)
{
	static create_fn real;
	if (!real)
		next("glp_create_prob", &real, sizeof real);
	if (T.in_intopt || T.in_simplex)
		return real();
	T.n_create++;
	T.t_create = now_ms();
	T.building = 1;
	return real();
}

int glp_intopt(glp_prob *P, const glp_iocp *parm)
{
	static intopt_fn real;
	if (!real)
		next("glp_intopt", &real, sizeof real);
	end_build();
	double lp0 = T.lp_in;
	glp_iocp p = *parm;
	if (T.cuts >= 0)
		p.gmi_cuts = p.mir_cuts = p.cov_cuts = p.clq_cuts = T.cuts ? GLP_ON : GLP_OFF;
	if (T.pp_tech >= 0)
		p.pp_tech = T.pp_tech;
	T.in_intopt = 1;
	T.t_intopt = now_ms();
	T.t_first_lp = -1;
	int rc = real(P, &p);
	double t = now_ms() - T.t_intopt;
	double pre = T.t_first_lp >= 0 ? T.t_first_lp - T.t_intopt : t;
	T.in_intopt = 0;
	T.intopt += t;
	T.presolve += pre;
	T.n_intopt++;
	T.by_rank[T.rank < 3 ? T.rank : 3] += t;
	T.n_rank[T.rank < 3 ? T.rank : 3]++;
	T.rank++;
	if (T.verbose)
		fprintf(stderr,
			"glpk_trace: intopt %s %d rows %d cols (%d int): %.3f ms "
			"(presolve %.3f, lp %.3f), rc %d\n",
			glp_get_obj_dir(P) == GLP_MAX ? "max" : "min", glp_get_num_rows(P),
			glp_get_num_cols(P), glp_get_num_int(P), t, pre, T.lp_in - lp0, rc);
	return rc;
}

int glp_simplex(glp_prob *P, const glp_smcp *parm)
{
	static simplex_fn real;
	if (!real)
		next("glp_simplex", &real, sizeof real);
	double t0 = now_ms();
	if (T.in_intopt && T.t_first_lp < 0)
		T.t_first_lp = t0;
	if (!T.in_intopt)
		end_build();
	int outer = !T.in_intopt && !T.in_simplex;
	T.in_simplex++;
	int rc = real(P, parm);
	T.in_simplex--;
	double t = now_ms() - t0;
	if (!T.in_intopt && !outer)
		return rc;
	if (T.in_intopt) {
		T.lp_in += t;
		T.n_simplex_in++;
	} else {
		T.simplex += t;
		T.n_simplex++;
		if (T.verbose)
			fprintf(stderr, "glpk_trace: simplex %s %d rows %d cols: %.3f ms, rc %d\n",
				glp_get_obj_dir(P) == GLP_MAX ? "max" : "min", glp_get_num_rows(P),
				glp_get_num_cols(P), t, rc);
	}
	return rc;
}

void glp_delete_prob(glp_prob *P)
{
	static delete_fn real;
	if (!real)
		next("glp_delete_prob", &real, sizeof real);
	double t0 = now_ms();
	real(P);
	if (!T.in_intopt && !T.in_simplex)
		T.del += now_ms() - t0;
}

__attribute__((constructor)) static void trace_init(void)
{
	const char *v = getenv("BENCH_TRACE");
	T.verbose = v && v[0] == '2';
	v = getenv("BENCH_GLPK_CUTS");
	T.cuts = v && (v[0] == '0' || v[0] == '1') ? v[0] - '0' : -1;
	if (T.cuts >= 0)
		fprintf(stderr, "glpk_trace: every glp_intopt with all cuts %s (BENCH_GLPK_CUTS)\n",
			T.cuts ? "on" : "off");
	v = getenv("BENCH_GLPK_PP");
	T.pp_tech = !v                   ? -1
		    : !strcmp(v, "none") ? GLP_PP_NONE
		    : !strcmp(v, "root") ? GLP_PP_ROOT
		    : !strcmp(v, "all")  ? GLP_PP_ALL
					 : -1;
	if (T.pp_tech >= 0)
		fprintf(stderr, "glpk_trace: every glp_intopt with pp_tech %s (BENCH_GLPK_PP)\n",
			v);
}

__attribute__((destructor)) static void trace_report(void)
{
	double total = T.build + T.intopt + T.simplex + T.del;
	fprintf(stderr,
		"glpk_trace: %.1f ms in GLPK calls made by mutu:\n"
		"  build (create + rows/cols)  %9.1f ms  %5.1f %%  (%ld problems)\n"
		"  glp_intopt                  %9.1f ms  %5.1f %%  (%ld calls)\n"
		"    presolve + set-up         %9.1f ms  %5.1f %%\n"
		"    LP relaxations (simplex)  %9.1f ms  %5.1f %%  (%ld calls)\n"
		"    cuts, heuristics, B&B     %9.1f ms  %5.1f %%\n"
		"  glp_simplex (fixed LPs)     %9.1f ms  %5.1f %%  (%ld calls)\n"
		"  glp_delete_prob             %9.1f ms  %5.1f %%\n",
		total, T.build, 100 * T.build / total, T.n_create, T.intopt, 100 * T.intopt / total,
		T.n_intopt, T.presolve, 100 * T.presolve / total, T.lp_in, 100 * T.lp_in / total,
		T.n_simplex_in, T.intopt - T.presolve - T.lp_in,
		100 * (T.intopt - T.presolve - T.lp_in) / total, T.simplex, 100 * T.simplex / total,
		T.n_simplex, T.del, 100 * T.del / total);
	if (T.n_solves > 0)
		fprintf(stderr,
			"glp_intopt by rank within one solve (%ld solves): 1st %.1f ms (%ld), "
			"2nd %.1f ms (%ld), 3rd %.1f ms (%ld), later %.1f ms (%ld)\n",
			T.n_solves, T.by_rank[0], T.n_rank[0], T.by_rank[1], T.n_rank[1],
			T.by_rank[2], T.n_rank[2], T.by_rank[3], T.n_rank[3]);
}

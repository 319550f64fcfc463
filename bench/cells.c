/* bench: the in-process part (README.md "What it runs", 1).  Seeded
 * random groups (tests/problems.c, pb_gen_sized) solved one after the
 * other with mutu_group_solve; per cell the solve times, nodes, outcomes
 * and peak memory, each cell in its own child process.  Also --problem,
 * one problem solved alone.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "problems.h"

/* ---- problems ------------------------------------------------------------ */

/* Problems per cell: enough for a p99 that means something on the small
 * sizes, fewer where one solve takes longer, so that the default run
 * stays within about five minutes on two cores. */
size_t cell_count(const options *o, size_t size)
{
	if (o->count > 0)
		return (size_t)o->count;
	if (o->quick)
		return size <= 30 ? 40 : size <= 60 ? 20 : 10;
	return size <= 10 ? 1000 : size <= 30 ? 400 : size <= 60 ? 100 : 60;
}

size_t ref_count(const options *o, size_t size, size_t count)
{
	size_t k = o->ref_count >= 0 ? (size_t)o->ref_count : o->quick ? 3 : size <= 30 ? 20 : 10;
	return k < count ? k : count;
}

/* One stream per problem (pb_sized_seed): the same problem whatever the
 * goal, the other sizes or the counts, so a --quick run solves a prefix
 * of the default run's problems. */
int make_problem(const options *o, size_t size, mutu_basis basis, mutu_goal goal, size_t k,
		 mutu_group_problem *gp)
{
	pb_rng r = {pb_sized_seed(o->seed, size, basis, k)};
	if (pb_gen_sized(&r, gp, size, basis) != 0)
		return -1;
	gp->goal = goal;
	return 0;
}

/* ---- the trace hook and memory ---------------------------------------------- */

/* bench_trace_solve_begin of glpk_trace.so when preloaded (README.md
 * "Profiling"), else NULL. */
static void (*trace_begin)(void);

void find_trace_hook(void)
{
	void *self = dlopen(NULL, RTLD_LAZY);
	void *p = self ? dlsym(self, "bench_trace_solve_begin") : NULL;
	memcpy(&trace_begin, &p, sizeof p); /* ISO C: no cast from void * */
}

/* Resets the peak RSS of this process (Linux >= 4.0), so that ru_maxrss
 * afterwards is the peak since now.  Returns 0, or -1 when not possible
 * (ru_maxrss then stays the peak since start). */
static int reset_peak_rss(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, "5", 1);
	close(fd);
	return w == 1 ? 0 : -1;
}

static long peak_rss_kib(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

/* ---- one cell ------------------------------------------------------------------ */

/* The times of the cell's problems by outcome, while it runs. */
typedef struct by_outcome {
	double *opt, *noc;
	size_t nopt, nnoc;
} by_outcome;

/* Median, p99 and max of `n` times (sorted here); NAN when n = 0. */
static void summarize(double *v, size_t n, double out[3])
{
	if (n == 0) {
		out[0] = out[1] = out[2] = NAN;
		return;
	}
	out[0] = median(v, n);
	out[1] = pct(v, n, 99);
	out[2] = v[n - 1];
}

/* Counts problem k's solve (rc, sol, t ms) in the cell, and keeps it as
 * a reference sample when k < nref. */
static void record(cell *c, size_t k, size_t nref, int rc, const mutu_group_solution *sol,
		   const mutu_error *err, double t, by_outcome *bo)
{
	int status = rc != 0 ? MUTU_GROUP_ERROR : (int)sol->status;
	c->ms[k] = t;
	c->nodes[k] = sol->nodes;
	c->total_ms += t;
	if (k == 0 || t > c->max) {
		c->max = t;
		c->slowest = k;
		c->slowest_status = status;
		c->slowest_nodes = sol->nodes;
	}
	if (status == MUTU_GROUP_ERROR) {
		c->errors++;
		fprintf(stderr, "bench: %zu doctors %s %s problem %zu: solve failed (%d): %s\n",
			c->size, basis_name(c->basis), goal_name(c->goal), k, rc, err->message);
	} else if (sol->status == MUTU_GROUP_OPTIMAL) {
		c->optimal++;
		bo->opt[bo->nopt++] = t;
	} else if (sol->status == MUTU_GROUP_TIME_LIMIT) {
		c->time_limits++;
	} else {
		c->no_contract++;
		bo->noc[bo->nnoc++] = t;
		if ((int)sol->binding >= 0 && (int)sol->binding < 5)
			c->binding[sol->binding]++;
	}
	if (k < nref) {
		sample *s = &c->samples[c->nsamples++];
		s->k = k;
		s->status = status;
		s->binding = (int)sol->binding;
		s->value = c->goal == MUTU_GOAL_PATIENTS ? sol->objective
							 : sol->aid - sol->cost + sol->value;
		s->ms = t;
	}
}

/* The cell's statistics once every problem is solved. */
static void finish(cell *c, by_outcome *bo)
{
	double sum = 0;
	c->peak_kib = peak_rss_kib();
	qsort(c->ms, c->count, sizeof *c->ms, cmp_double);
	c->med = median(c->ms, c->count);
	c->p90 = pct(c->ms, c->count, 90);
	c->p99 = pct(c->ms, c->count, 99);
	c->max = c->ms[c->count - 1];
	summarize(bo->opt, bo->nopt, c->opt_ms);
	summarize(bo->noc, bo->nnoc, c->noc_ms);
	for (size_t k = 0; k < c->count; k++) {
		sum += c->nodes[k];
		c->nodes_max = fmax(c->nodes_max, c->nodes[k]);
	}
	c->nodes_mean = sum / (double)c->count;
}

/* Solves the cell's problems in process.  Returns 0, or -1 when out of
 * memory (c->ms, c->nodes, c->samples are then the caller's to free). */
static int run_cell(const options *o, cell *c, int *peak_reset)
{
	mutu_solve_options so = {.goal = c->goal, .time_limit_ms = o->time_limit_ms};
	size_t nref = o->reference ? ref_count(o, c->size, c->count) : 0;
	by_outcome bo = {calloc(c->count, sizeof(double)), calloc(c->count, sizeof(double)), 0, 0};
	int rc = -1;
	c->ms = calloc(c->count, sizeof *c->ms);
	c->nodes = calloc(c->count, sizeof *c->nodes);
	c->samples = calloc(nref > 0 ? nref : 1, sizeof *c->samples);
	if (!c->ms || !c->nodes || !c->samples || !bo.opt || !bo.noc)
		goto cleanup;
	*peak_reset = reset_peak_rss() == 0;
	for (size_t k = 0; k < c->count; k++) {
		mutu_group_problem gp;
		mutu_group_solution sol;
		mutu_error err;
		memset(&err, 0, sizeof err);
		if (make_problem(o, c->size, c->basis, c->goal, k, &gp) != 0)
			goto cleanup;
		if (trace_begin)
			trace_begin();
		double t0 = now_ms();
		int src = mutu_group_solve(&sol, &gp, &so, &err);
		double t = now_ms() - t0;
		record(c, k, nref, src, &sol, &err, t, &bo);
		mutu_group_solution_free(&sol);
		pb_problem_free(&gp);
	}
	finish(c, &bo);
	rc = 0;
cleanup:
	free(bo.opt);
	free(bo.noc);
	return rc;
}

/* A few untimed solves first, so that the first cell does not pay for
 * GLPK's environment and the first page faults. */
static void warm_up(const options *o)
{
	for (size_t k = 0; k < 4; k++) {
		mutu_group_problem gp;
		mutu_group_solution sol;
		mutu_error err;
		mutu_solve_options so = {.goal = (mutu_goal)(k & 1), .time_limit_ms = 0};
		if (make_problem(o, 5, (k & 2) ? MUTU_BASIS_POOLED : MUTU_BASIS_SUM_INDIVIDUAL,
				 so.goal, k, &gp) != 0)
			return;
		mutu_group_solve(&sol, &gp, &so, &err); /* untimed, the result unused */
		mutu_group_solution_free(&sol);
		pb_problem_free(&gp);
	}
}

/* ---- the child process -------------------------------------------------------- */

static int read_all(int fd, void *buf, size_t n)
{
	char *p = buf;
	while (n > 0) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The child's side: warms up, runs the cell, sends back the cell, the
 * peak-reset flag and the samples; never returns. */
static _Noreturn void cell_child(const options *o, cell *c, int *peak_reset, int fd)
{
	warm_up(o);
	int ok = run_cell(o, c, peak_reset) == 0 && write_all(fd, c, sizeof *c) == 0 &&
		 write_all(fd, peak_reset, sizeof *peak_reset) == 0 &&
		 write_all(fd, c->samples, c->nsamples * sizeof *c->samples) == 0;
	_exit(ok ? 0 : 3);
}

/* Runs the cell in a child process (after warm_up there), so that every
 * cell starts from the same state, whatever ran before it: a fresh heap
 * (glibc's trim and mmap thresholds adapt to what a process allocated,
 * and GLPK's page faults with them), a fresh GLPK environment. */
int run_cell_apart(const options *o, cell *c, int *peak_reset)
{
	int fds[2];
	if (pipe(fds) != 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		cell_child(o, c, peak_reset, fds[1]);
	}
	close(fds[1]);
	int rc = read_all(fds[0], c, sizeof *c) == 0 &&
			 read_all(fds[0], peak_reset, sizeof *peak_reset) == 0
		     ? 0
		     : -1;
	c->ms = NULL; /* the child's */
	c->nodes = NULL;
	c->samples = calloc(c->nsamples + 1, sizeof *c->samples);
	if (rc == 0 &&
	    (!c->samples || read_all(fds[0], c->samples, c->nsamples * sizeof *c->samples) != 0))
		rc = -1;
	close(fds[0]);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		rc = -1;
	return rc;
}

/* ---- --problem ------------------------------------------------------------------ */

/* The line saying what problem o->one_k is. */
static void describe_one(const options *o, const mutu_group_problem *gp)
{
	size_t nch = gp->nlevels;
	for (size_t i = 0; gp->basis == MUTU_BASIS_SUM_INDIVIDUAL && i < gp->m; i++)
		nch += gp->members[i].nchoices;
	printf("problem %zu of %zu doctors %s %s (seed %llu): %zu %s, floor share %g, "
	       "%g ETP per doctor, %g ETP in all, value %g per patient\n",
	       o->one_k, o->one_size, basis_name(o->one_basis), goal_name(o->one_goal),
	       (unsigned long long)o->seed, nch,
	       gp->basis == MUTU_BASIS_POOLED ? "levels" : "options", gp->floor_share,
	       gp->max_etp_per_doctor, gp->max_etp_total, gp->value_per_patient);
}

/* Solves `gp` o->repeat times into ms[] and prints the first answer.
 * Returns 0, or 1 when the solve failed. */
static int solve_one(const options *o, const mutu_group_problem *gp, double *ms)
{
	mutu_solve_options so = {.goal = o->one_goal, .time_limit_ms = o->time_limit_ms};
	int status = 0;
	for (long r = 0; r < o->repeat; r++) {
		mutu_group_solution sol;
		mutu_error err;
		memset(&err, 0, sizeof err);
		if (trace_begin)
			trace_begin();
		double t0 = now_ms();
		int rc = mutu_group_solve(&sol, gp, &so, &err);
		ms[r] = now_ms() - t0;
		if (r == 0) {
			printf("status %s (binding %d), net %.17g, patients %.17g, etp %g, u %.6g, "
			       "%d nodes, %.3f ms\n",
			       rc != 0 ? "error" : status_name((int)sol.status), (int)sol.binding,
			       sol.net, sol.objective, sol.etp, sol.max_rate, sol.nodes, ms[r]);
			if (rc != 0) {
				printf("error: %s\n", err.message);
				status = 1;
			}
		}
		mutu_group_solution_free(&sol);
	}
	return status;
}

int run_one(const options *o)
{
	mutu_group_problem gp;
	double *ms = calloc((size_t)o->repeat, sizeof *ms);
	warm_up(o);
	if (!ms || make_problem(o, o->one_size, o->one_basis, o->one_goal, o->one_k, &gp) != 0) {
		free(ms);
		fprintf(stderr, "bench: out of memory\n");
		return 3;
	}
	describe_one(o, &gp);
	int status = solve_one(o, &gp, ms);
	if (o->repeat > 1) {
		double med = median(ms, (size_t)o->repeat);
		printf("%ld solves: median %.3f ms, min %.3f, max %.3f\n", o->repeat, med, ms[0],
		       ms[o->repeat - 1]);
	}
	if (o->export_lp) {
		mutu_error err;
		memset(&err, 0, sizeof err);
		if (mutu_group_export(&gp, NULL, NULL, true, o->export_lp, &err) != 0) {
			fprintf(stderr, "bench: %s: %s\n", o->export_lp, err.message);
			status = 3;
		} else {
			printf("stage-1 model written to %s\n", o->export_lp);
		}
	}
	pb_problem_free(&gp);
	mutu_solver_release();
	free(ms);
	fflush(stdout);
	return status;
}

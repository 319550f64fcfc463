/* bench: what the parts of the harness share (README.md says what it
 * runs).  main.c reads the options and runs the parts in order: cells.c
 * (mutu_group_solve in process, one child process per cell), refs.c
 * (glpsol and CBC on a sample of the same problems), throughput.c
 * (`mutu batch`), output.c (the table and the JSON file); util.c holds
 * the clocks, statistics and child processes they all use.
 */
#ifndef MUTU_BENCH_H
#define MUTU_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "mutu/group.h"

#define MAX_SIZES 32
#define TARGET_TP_PER_CORE 2000.0
#define TARGET_PEAK_MIB 64.0

/* ---- options (main.c) -------------------------------------------------- */

typedef struct options {
	int quick;
	uint64_t seed;
	size_t sizes[MAX_SIZES];
	size_t nsizes;
	const char *json;
	int reference, throughput;
	long count;     /* problems per cell, < 0: by size */
	long ref_count; /* reference samples per cell, < 0: by size */
	int time_limit_ms;
	int ref_time_limit_s; /* glpsol --tmlim, cbc sec */
	long structures;      /* throughput population */
	int reps;             /* throughput runs per thread count */
	const char *mutu, *rules;
	int keep;
	int bases, goals; /* bit masks of the cells to run: 1 << basis, 1 << goal */
	/* --problem: one problem only, --repeat times, --export to LP. */
	int one;
	size_t one_size, one_k;
	mutu_basis one_basis;
	mutu_goal one_goal;
	long repeat;
	const char *export_lp;
	int shapley;     /* --shapley: only the sharing job (shapley.c) */
	int sizes_given; /* --sizes was given */
} options;

/* ---- results ------------------------------------------------------------ */

typedef struct machine {
	long nproc;
	char cpu[256];
	char kernel[256];
	char glpsol[128], cbc[128], highs[160];
	int have_glpsol, have_cbc, have_highs;
	char highs_py[1024];                  /* bench/highs.py beside the bench binary */
	double glpsol_floor_ms, cbc_floor_ms; /* a trivial LP: process start-up */
	int peak_reset;                       /* per-cell peak RSS available */
} machine;

/* What mutu said about one reference sample. */
typedef struct sample {
	size_t k;
	int status;   /* mutu_group_status */
	int binding;  /* mutu_binding */
	double value; /* stage-1 value: NET (net_benefit) or T (patients) */
	double ms;
} sample;

/* One (size, basis, goal): its in-process figures (cells.c) and its
 * reference checks (refs.c). */
typedef struct cell {
	size_t size;
	mutu_basis basis;
	mutu_goal goal;
	size_t count;
	double *ms; /* per problem; sorted after the run */
	double *nodes;
	size_t optimal, no_contract, time_limits, errors;
	size_t binding[5]; /* no_contract by mutu_binding */
	double med, p90, p99, max, total_ms;
	double nodes_mean, nodes_max;
	long peak_kib;
	/* By outcome: optimal, no_contract (median, p99, max; NAN when none). */
	double opt_ms[3], noc_ms[3];
	size_t slowest; /* problem index of the slowest solve */
	int slowest_status, slowest_nodes;
	/* References. */
	sample *samples;
	size_t nsamples;
	double ref_mutu_med, glpsol_med, cbc_med, glpsol_max, cbc_max;
	double highs_med, highs_max; /* HiGHS: the time of milp() alone */
	size_t glpsol_runs, cbc_runs, highs_runs, agreed, disagreed, skipped, gave_up;
	size_t agreed_kind[3]; /* agreed answers: contract, NET < 0, infeasible */
} cell;

typedef struct tp_run {
	int threads;
	double ms;   /* median wall clock */
	double rate; /* structures per second */
	long maxrss_kib;
	int status;
} tp_run;

typedef struct throughput {
	int done;
	char skipped[256];
	long structures;
	double gen_ms;
	char summary[256]; /* mutu batch's last line on standard error, -j 1 */
	tp_run runs[2];
} throughput;

/* Everything one run measured, for output.c. */
typedef struct results {
	cell *cells;
	size_t ncells;
	long overall_kib; /* the largest peak RSS of a cell */
	int disagreements, errors;
	double t_start, t_cells, t_refs, t_end; /* now_ms() between the parts */
	throughput tp;
} results;

/* ---- util.c: clocks, statistics, names, processes, the machine ------- */

double now_ms(void);
int cmp_double(const void *a, const void *b);
/* Nearest-rank percentile q (0-100] of `v` (sorted ascending, n > 0). */
double pct(const double *v, size_t n, double q);
/* Median of n values (averaging the middle two; NAN when n = 0); sorts `v`. */
double median(double *v, size_t n);

const char *basis_name(mutu_basis b);
const char *goal_name(mutu_goal g);
const char *status_name(int s);

/* Copies `src` into `dst` (size > 0), truncated, without trailing blanks. */
void copy_str(char *dst, size_t size, const char *src);

typedef struct proc_result {
	int ok;        /* exited with status 0 */
	int status;    /* exit status, or -signal */
	int timed_out; /* killed by the alarm */
	double ms;     /* wall clock, fork to reaped */
	long maxrss_kib;
} proc_result;

/* Runs argv[0] (searched in PATH) with standard input from `in` (NULL:
 * /dev/null) and standard output and error to `out` and `err` (NULL:
 * /dev/null), killed after `timeout_s` seconds (0: none).  Returns 0 with
 * `res` filled, or -1 when fork or wait failed. */
int run_proc(char *const argv[], const char *in, const char *out, const char *err,
	     unsigned timeout_s, proc_result *res);

/* The CPU, the kernel, and which reference solvers are in PATH. */
void probe_machine(machine *mc);

/* ---- cells.c: mutu_group_solve in process ------------------------------ */

/* Looks for glpk_trace.so's hook (README.md "Profiling"); call once. */
void find_trace_hook(void);

/* Problems and reference samples per cell, by size unless given. */
size_t cell_count(const options *o, size_t size);
size_t ref_count(const options *o, size_t size, size_t count);

/* Problem k of the cell (size, basis, goal) under o->seed.  Returns 0,
 * or -1 when out of memory (then `gp` holds nothing to free).  Free with
 * pb_problem_free. */
int make_problem(const options *o, size_t size, mutu_basis basis, mutu_goal goal, size_t k,
		 mutu_group_problem *gp);

/* Solves the cell (c->size, basis, goal, count set) in a child process;
 * fills the rest of `c` and c->samples (the caller frees it), and
 * *peak_reset with whether the per-cell peak RSS could be measured.
 * Returns 0 or -1. */
int run_cell_apart(const options *o, cell *c, int *peak_reset);

/* --problem: solves one problem o->repeat times and prints what mutu
 * says; with --export, writes its stage-1 model.  Returns an exit status. */
int run_one(const options *o);

/* ---- shapley.c: sharing a plan among its members -------------------------- */

/* --shapley: times whole solves of seeded cabinets with and without the
 * coalitions and the Shapley value (sizes 10 and 30 unless --sizes).
 * Returns an exit status. */
int run_shapley(const options *o);

/* ---- refs.c: glpsol and CBC --------------------------------------------- */

/* Runs the references on the cell's samples, with the LP files in `dir`.
 * Returns the number of disagreements, or -1 on an internal failure. */
int run_references(const options *o, const machine *mc, const char *dir, cell *c);

/* Start-up time of glpsol (cbc = 0) or CBC: the median over 5 runs on a
 * one-column LP written in `dir`; NAN when it cannot run. */
double process_floor(const char *dir, int cbc);

/* ---- throughput.c: mutu batch --------------------------------------------- */

/* Generates the population in `dir` and times `mutu batch` on it; on a
 * failure tp->done stays 0 and tp->skipped says why. */
void run_throughput(const options *o, const char *dir, throughput *tp);

/* ---- output.c: the table and the JSON file --------------------------------- */

void print_table(const options *o, const machine *mc, const results *res);
void print_throughput(const options *o, const machine *mc, const throughput *tp);
/* The wall clock, the memory target and the references' verdict.  Returns
 * 1 when a reference disagreed or a solve failed, else 0. */
int print_verdict(const options *o, const results *res);
/* Writes the results as JSON to `path`.  Returns 0, or -1 after a message
 * on standard error. */
int write_json(const char *path, const options *o, const machine *mc, const results *res);

#endif

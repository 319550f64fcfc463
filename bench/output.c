/* bench: the results, as a table on standard output and as a JSON file
 * (--json), built with cJSON.  README.md says how to read them.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "bench.h"

#ifndef BENCH_COMMIT
#define BENCH_COMMIT "unknown"
#endif

/* The p99 target for a size: 5 ms up to 30 doctors, 50 ms up to 100;
 * none beyond. */
/* The p99 targets of one solve, ms: sum_individual 5 at 30 doctors, 50
 * at 100, 200 at 200; pooled 10 up to 100 doctors, 200 at 200. */
static double p99_target(size_t size, mutu_basis basis)
{
	if (basis == MUTU_BASIS_POOLED)
		return size <= 100 ? 10.0 : size <= 200 ? 200.0 : INFINITY;
	return size <= 30 ? 5.0 : size <= 100 ? 50.0 : size <= 200 ? 200.0 : INFINITY;
}

/* ---- the table ------------------------------------------------------------ */

/* One line per cell: outcomes, times against the p99 target, nodes,
 * time-limit hits, peak memory. */
static void print_cells(const results *res)
{
	printf("\nmutu_group_solve, in process (times in ms; nodes summed over the 3 stages)\n");
	printf("%5s %-14s %-11s %5s %4s %-14s %8s %8s %8s %8s %8s %7s %6s %4s %7s\n", "size",
	       "basis", "goal", "count", "opt", "no:cap/flr/net", "median", "p90", "p99", "max",
	       "p99 goal", "nodes", "max", "tlim", "RSS MiB");
	for (size_t i = 0; i < res->ncells; i++) {
		const cell *c = &res->cells[i];
		double tg = p99_target(c->size, c->basis);
		char tgt[32], noc[48];
		if (isfinite(tg))
			snprintf(tgt, sizeof tgt, "%s%g", c->p99 <= tg ? "ok " : "MISS ", tg);
		else
			snprintf(tgt, sizeof tgt, "-");
		snprintf(noc, sizeof noc, "%zu:%zu/%zu/%zu", c->no_contract,
			 c->binding[MUTU_BIND_CAPACITY] + c->binding[MUTU_BIND_NO_OPTION],
			 c->binding[MUTU_BIND_FLOOR], c->binding[MUTU_BIND_NET]);
		printf("%5zu %-14s %-11s %5zu %4zu %-14s %8.3f %8.3f %8.3f %8.3f %8s %7.1f %6.0f "
		       "%4zu %7.1f\n",
		       c->size, basis_name(c->basis), goal_name(c->goal), c->count, c->optimal, noc,
		       c->med, c->p90, c->p99, c->max, tgt, c->nodes_mean, c->nodes_max,
		       c->time_limits, (double)c->peak_kib / 1024.0);
	}
}

/* The times split by outcome, and the slowest problem of each cell. */
static void print_outcomes(const results *res)
{
	printf("\nby outcome (ms), and the slowest problem (replay: bench --problem "
	       "SIZE,BASIS,GOAL,K)\n");
	printf("%5s %-14s %-11s | %8s %8s %8s | %8s %8s %8s | %6s %-11s %6s\n", "size", "basis",
	       "goal", "opt med", "p99", "max", "noc med", "p99", "max", "K", "status", "nodes");
	for (size_t i = 0; i < res->ncells; i++) {
		const cell *c = &res->cells[i];
		printf(
		    "%5zu %-14s %-11s | %8.3f %8.3f %8.3f | %8.3f %8.3f %8.3f | %6zu %-11s %6d\n",
		    c->size, basis_name(c->basis), goal_name(c->goal), c->opt_ms[0], c->opt_ms[1],
		    c->opt_ms[2], c->noc_ms[0], c->noc_ms[1], c->noc_ms[2], c->slowest,
		    status_name(c->slowest_status), c->slowest_nodes);
	}
}

/* The references' times and answers per cell. */
static void print_references(const options *o, const machine *mc, const results *res)
{
	printf("\nreferences: the stage-1 model solved by glpsol and CBC (LP file, one process "
	       "each)\nand HiGHS (MPS file, scipy.optimize.milp, the call alone timed)\n");
	printf("process start-up on a 1-column LP: glpsol %.1f ms, cbc %.1f ms\n",
	       mc->glpsol_floor_ms, mc->cbc_floor_ms);
	printf("%5s %-14s %-11s %6s %9s %9s %9s %9s %8s %8s %8s %9s %9s %9s %5s %4s %s\n", "size",
	       "basis", "goal", "sample", "mutu ms", "glpsol ms", "cbc ms", "highs ms", "glp/mutu",
	       "cbc/mutu", "hig/mutu", "glpsol mx", "cbc max", "highs max", "agree", "DIS",
	       "skip/gave up");
	for (size_t i = 0; i < res->ncells; i++) {
		const cell *c = &res->cells[i];
		printf(
		    "%5zu %-14s %-11s %6zu %9.3f %9.2f %9.2f %9.2f %8.2f %8.2f %8.2f %9.1f %9.1f "
		    "%9.1f %5zu %4zu %4zu/%zu\n",
		    c->size, basis_name(c->basis), goal_name(c->goal), c->nsamples, c->ref_mutu_med,
		    c->glpsol_med, c->cbc_med, c->highs_med, c->glpsol_med / c->ref_mutu_med,
		    c->cbc_med / c->ref_mutu_med, c->highs_med / c->ref_mutu_med, c->glpsol_max,
		    c->cbc_max, c->highs_max, c->agreed, c->disagreed, c->skipped, c->gave_up);
	}
	printf("(medians over the sample; mutu ms is the in-process solve of all 3 stages, the\n"
	       " references solve stage 1 only; agree/DIS count answers of every reference;\n"
	       " skip: mutu hit its time limit, no optimum to compare; gave up: a reference hit\n"
	       " its own limit of %d s)\n",
	       o->ref_time_limit_s);
	printf("reference versions: %s; %s; %s\n", mc->have_glpsol ? mc->glpsol : "glpsol missing",
	       mc->have_cbc ? mc->cbc : "cbc missing",
	       mc->have_highs ? mc->highs : "HiGHS missing (python3-scipy)");
}

void print_table(const options *o, const machine *mc, const results *res)
{
	printf("\nmachine: %ld cpus, %s, %s; mutu %s\n", mc->nproc, mc->cpu, mc->kernel,
	       BENCH_COMMIT);
	printf("seed %llu, time limit %d ms per group%s\n", (unsigned long long)o->seed,
	       o->time_limit_ms, o->quick ? ", --quick" : "");
	print_cells(res);
	printf("peak RSS of the whole in-process part: %.1f MiB%s\n",
	       (double)res->overall_kib / 1024.0,
	       mc->peak_reset ? "" : " (per-cell peaks could not be reset: cumulative)");
	print_outcomes(res);
	if (o->reference)
		print_references(o, mc, res);
}

void print_throughput(const options *o, const machine *mc, const throughput *tp)
{
	printf("\nthroughput: mutu batch --rules %s -j T --quiet POP > /dev/null\n", o->rules);
	if (!tp->done) {
		printf("skipped: %s\n", tp->skipped);
		return;
	}
	printf("population: %ld structures (mutu generate --seed %llu, %.2f s); %s\n",
	       tp->structures, (unsigned long long)(o->seed & 0xffffffffULL), tp->gen_ms / 1e3,
	       tp->summary);
	for (int t = 0; t < 2; t++) {
		const tp_run *r = &tp->runs[t];
		double per_core = r->rate / (double)r->threads;
		printf("  -j %d: %.3f s (median of %d), %.0f structures/s, %.0f per thread [%s "
		       "%.0f], peak RSS %.1f MiB%s\n",
		       r->threads, r->ms / 1e3, o->reps, r->rate, per_core,
		       per_core >= TARGET_TP_PER_CORE ? "ok >=" : "MISS <", TARGET_TP_PER_CORE,
		       (double)r->maxrss_kib / 1024.0, r->status ? " (exit status not 0!)" : "");
	}
	if (mc->nproc < 2)
		printf("  (only %ld cpu: -j 2 cannot scale)\n", mc->nproc);
}

int print_verdict(const options *o, const results *res)
{
	const throughput *tp = &res->tp;
	printf("\nwall clock: in-process %.1f s, references %.1f s, throughput %.1f s\n",
	       (res->t_cells - res->t_start) / 1e3, (res->t_refs - res->t_cells) / 1e3,
	       (res->t_end - res->t_refs) / 1e3);
	printf("peak memory target %.0f MiB: in-process %s", TARGET_PEAK_MIB,
	       (double)res->overall_kib / 1024.0 < TARGET_PEAK_MIB ? "ok" : "MISS");
	if (tp->done) {
		long batch_kib = tp->runs[0].maxrss_kib > tp->runs[1].maxrss_kib
				     ? tp->runs[0].maxrss_kib
				     : tp->runs[1].maxrss_kib;
		printf(", batch %s", (double)batch_kib / 1024.0 < TARGET_PEAK_MIB ? "ok" : "MISS");
	}
	printf("\n");
	if (res->disagreements || res->errors) {
		printf("FAILED: %d reference disagreement(s), %d solve error(s)\n",
		       res->disagreements, res->errors);
		return 1;
	}
	if (o->reference) {
		size_t k[3] = {0, 0, 0}, gave_up = 0;
		for (size_t i = 0; i < res->ncells; i++) {
			for (int j = 0; j < 3; j++)
				k[j] += res->cells[i].agreed_kind[j];
			gave_up += res->cells[i].gave_up;
		}
		printf("references: all %zu answers agree with mutu (%zu contracts to 1e-6 "
		       "relative, %zu with every NET < 0, %zu infeasible); %zu not checked "
		       "(a reference gave up)\n",
		       k[0] + k[1] + k[2], k[0], k[1], k[2], gave_up);
	}
	return 0;
}

/* ---- the JSON file ---------------------------------------------------------- */

/* Each put_* adds one member to the object `o` and returns 0, or -1 when
 * out of memory (nothing added, nothing to free).  Callers chain them
 * with ||, which keeps the members in order and stops at the first
 * failure; the whole tree is deleted then. */
static int attach(cJSON *o, const char *key, cJSON *item)
{
	if (!item)
		return -1;
	if (!cJSON_AddItemToObject(o, key, item)) {
		cJSON_Delete(item);
		return -1;
	}
	return 0;
}

/* A measured value, to 6 significant digits (a timing says no more);
 * null when not finite (no sample, 0/0). */
static int put_num(cJSON *o, const char *key, double v)
{
	char buf[32];
	if (!isfinite(v))
		return attach(o, key, cJSON_CreateNull());
	snprintf(buf, sizeof buf, "%.6g", v);
	return attach(o, key, cJSON_CreateNumber(strtod(buf, NULL)));
}

/* A count, exact (below 2^53). */
static int put_count(cJSON *o, const char *key, double n)
{
	return attach(o, key, cJSON_CreateNumber(n));
}

static int put_str(cJSON *o, const char *key, const char *s)
{
	return attach(o, key, cJSON_CreateString(s));
}

static int put_bool(cJSON *o, const char *key, int b)
{
	return attach(o, key, cJSON_CreateBool(b));
}

/* The new object (or array) under `key`, or NULL when out of memory. */
static cJSON *put_obj(cJSON *o, const char *key)
{
	cJSON *child = cJSON_CreateObject();
	return attach(o, key, child) == 0 ? child : NULL;
}

static cJSON *put_arr(cJSON *o, const char *key)
{
	cJSON *child = cJSON_CreateArray();
	return attach(o, key, child) == 0 ? child : NULL;
}

/* Appends a new object to the array `a`; NULL when out of memory. */
static cJSON *push_obj(cJSON *a)
{
	cJSON *child = cJSON_CreateObject();
	if (child && !cJSON_AddItemToArray(a, child)) {
		cJSON_Delete(child);
		child = NULL;
	}
	return child;
}

static int put_machine(cJSON *root, const machine *mc)
{
	cJSON *m = put_obj(root, "machine");
	return !m || put_count(m, "nproc", (double)mc->nproc) || put_str(m, "cpu", mc->cpu) ||
	       put_str(m, "kernel", mc->kernel) || put_str(m, "mutu_commit", BENCH_COMMIT) ||
	       put_str(m, "glpsol", mc->have_glpsol ? mc->glpsol : "") ||
	       put_str(m, "cbc", mc->have_cbc ? mc->cbc : "") ||
	       put_str(m, "highs", mc->have_highs ? mc->highs : "");
}

/* The seed is written as its decimal digits: a double would round seeds
 * above 2^53. */
static int put_options(cJSON *root, const options *o)
{
	char seed[32];
	cJSON *opt = put_obj(root, "options"), *sizes = NULL;
	snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->seed);
	if (!opt || put_bool(opt, "quick", o->quick) ||
	    attach(opt, "seed", cJSON_CreateRaw(seed)) ||
	    put_count(opt, "time_limit_ms", o->time_limit_ms) || !(sizes = put_arr(opt, "sizes")))
		return -1;
	for (size_t i = 0; i < o->nsizes; i++) {
		cJSON *n = cJSON_CreateNumber((double)o->sizes[i]);
		if (!n || !cJSON_AddItemToArray(sizes, n)) {
			cJSON_Delete(n);
			return -1;
		}
	}
	return put_bool(opt, "reference", o->reference) ||
	       put_bool(opt, "throughput", o->throughput);
}

/* Median, p99 and max (an opt_ms or noc_ms) under `key`. */
static int put_three(cJSON *o, const char *key, const double v[3])
{
	cJSON *t = put_obj(o, key);
	return !t || put_num(t, "median", v[0]) || put_num(t, "p99", v[1]) ||
	       put_num(t, "max", v[2]);
}

static int put_bindings(cJSON *j, const cell *c)
{
	cJSON *by = put_obj(j, "no_contract_by");
	return !by || put_count(by, "no_option", (double)c->binding[MUTU_BIND_NO_OPTION]) ||
	       put_count(by, "capacity", (double)c->binding[MUTU_BIND_CAPACITY]) ||
	       put_count(by, "floor", (double)c->binding[MUTU_BIND_FLOOR]) ||
	       put_count(by, "net", (double)c->binding[MUTU_BIND_NET]);
}

/* The in-process times of a cell, by outcome, and its slowest problem. */
static int put_times(cJSON *j, const cell *c)
{
	cJSON *ms = put_obj(j, "ms"), *slow;
	if (!ms || put_num(ms, "median", c->med) || put_num(ms, "p90", c->p90) ||
	    put_num(ms, "p99", c->p99) || put_num(ms, "max", c->max) ||
	    put_num(ms, "total", c->total_ms) || put_three(j, "ms_optimal", c->opt_ms) ||
	    put_three(j, "ms_no_contract", c->noc_ms) || !(slow = put_obj(j, "slowest")))
		return -1;
	return put_count(slow, "k", (double)c->slowest) ||
	       put_str(slow, "status", status_name(c->slowest_status)) ||
	       put_count(slow, "nodes", c->slowest_nodes);
}

/* The reference checks of a cell. */
static int put_cell_refs(cJSON *j, const cell *c)
{
	cJSON *r = put_obj(j, "reference");
	return !r || put_count(r, "samples", (double)c->nsamples) ||
	       put_num(r, "mutu_median_ms", c->ref_mutu_med) ||
	       put_num(r, "glpsol_median_ms", c->glpsol_med) ||
	       put_num(r, "cbc_median_ms", c->cbc_med) ||
	       put_num(r, "glpsol_max_ms", c->glpsol_max) || put_num(r, "cbc_max_ms", c->cbc_max) ||
	       put_num(r, "glpsol_over_mutu", c->glpsol_med / c->ref_mutu_med) ||
	       put_num(r, "cbc_over_mutu", c->cbc_med / c->ref_mutu_med) ||
	       put_num(r, "highs_median_ms", c->highs_med) ||
	       put_num(r, "highs_max_ms", c->highs_max) ||
	       put_num(r, "highs_over_mutu", c->highs_med / c->ref_mutu_med) ||
	       put_count(r, "agreed", (double)c->agreed) ||
	       put_count(r, "agreed_contract", (double)c->agreed_kind[0]) ||
	       put_count(r, "agreed_net_negative", (double)c->agreed_kind[1]) ||
	       put_count(r, "agreed_infeasible", (double)c->agreed_kind[2]) ||
	       put_count(r, "disagreed", (double)c->disagreed) ||
	       put_count(r, "skipped", (double)c->skipped) ||
	       put_count(r, "gave_up", (double)c->gave_up);
}

static int put_cell(cJSON *cells, const options *o, const cell *c)
{
	cJSON *j = push_obj(cells), *nodes;
	if (!j || put_count(j, "size", (double)c->size) ||
	    put_str(j, "basis", basis_name(c->basis)) || put_str(j, "goal", goal_name(c->goal)) ||
	    put_count(j, "count", (double)c->count) ||
	    put_count(j, "optimal", (double)c->optimal) ||
	    put_count(j, "no_contract", (double)c->no_contract) ||
	    put_count(j, "time_limit", (double)c->time_limits) ||
	    put_count(j, "errors", (double)c->errors) || put_bindings(j, c) || put_times(j, c) ||
	    put_num(j, "p99_target_ms", p99_target(c->size, c->basis)) ||
	    !(nodes = put_obj(j, "nodes")) || put_num(nodes, "mean", c->nodes_mean) ||
	    put_num(nodes, "max", c->nodes_max) ||
	    put_count(j, "peak_rss_kib", (double)c->peak_kib))
		return -1;
	return o->reference ? put_cell_refs(j, c) : 0;
}

/* null without --throughput, {"skipped": why} when it could not run. */
static int put_throughput(cJSON *root, const options *o, const throughput *tp)
{
	cJSON *j, *runs = NULL;
	if (!o->throughput)
		return attach(root, "throughput", cJSON_CreateNull());
	if (!(j = put_obj(root, "throughput")))
		return -1;
	if (!tp->done)
		return put_str(j, "skipped", tp->skipped);
	if (put_count(j, "structures", (double)tp->structures) ||
	    put_num(j, "generate_ms", tp->gen_ms) || put_str(j, "summary", tp->summary) ||
	    put_count(j, "reps", o->reps) || !(runs = put_arr(j, "runs")))
		return -1;
	for (int t = 0; t < 2; t++) {
		const tp_run *r = &tp->runs[t];
		cJSON *run = push_obj(runs);
		if (!run || put_count(run, "threads", r->threads) || put_num(run, "ms", r->ms) ||
		    put_num(run, "structures_per_s", r->rate) ||
		    put_num(run, "per_thread", r->rate / r->threads) ||
		    put_count(run, "peak_rss_kib", (double)r->maxrss_kib) ||
		    put_count(run, "exit_status", r->status))
			return -1;
	}
	return 0;
}

/* The whole document, or NULL when out of memory; free with cJSON_Delete. */
static cJSON *results_json(const options *o, const machine *mc, const results *res)
{
	cJSON *root = cJSON_CreateObject(), *cells = NULL, *startup = NULL;
	int bad = !root || put_machine(root, mc) || put_options(root, o) ||
		  !(cells = put_arr(root, "cells"));
	for (size_t i = 0; !bad && i < res->ncells; i++)
		bad = put_cell(cells, o, &res->cells[i]);
	bad = bad || put_count(root, "peak_rss_kib", (double)res->overall_kib);
	if (!bad && o->reference)
		bad = !(startup = put_obj(root, "reference_startup_ms")) ||
		      put_num(startup, "glpsol", mc->glpsol_floor_ms) ||
		      put_num(startup, "cbc", mc->cbc_floor_ms);
	bad = bad || put_throughput(root, o, &res->tp) ||
	      put_count(root, "disagreements", res->disagreements) ||
	      put_count(root, "solve_errors", res->errors);
	if (bad) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

int write_json(const char *path, const options *o, const machine *mc, const results *res)
{
	cJSON *root = results_json(o, mc, res);
	char *text = root ? cJSON_Print(root) : NULL;
	int rc = -1;
	cJSON_Delete(root);
	if (!text) {
		fprintf(stderr, "bench: %s: out of memory\n", path);
		return -1;
	}
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "bench: cannot write %s: %s\n", path, strerror(errno));
	} else {
		int ok = fputs(text, f) >= 0 && fputc('\n', f) != EOF;
		if (fclose(f) != 0 || !ok)
			fprintf(stderr, "bench: cannot write %s\n", path);
		else
			rc = 0;
	}
	cJSON_free(text);
	return rc;
}

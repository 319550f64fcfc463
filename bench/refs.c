/* bench: the references (README.md "What it runs", 2).  The stage-1
 * model of a sample of each cell's problems is exported as a CPLEX LP
 * file (mutu_group_export) and solved by glpsol and by CBC, each a whole
 * process; their answer must be mutu's (model.md §4).
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "problems.h"

/* REF_GAVE_UP: stopped by its time limit (--ref-time-limit), so nothing
 * to compare; REF_OTHER: any other answer, a failure of the check. */
enum { REF_OPTIMAL, REF_INFEASIBLE, REF_GAVE_UP, REF_OTHER };

typedef struct ref_answer {
	int status; /* REF_* */
	double obj;
	char what[160]; /* REF_OTHER: what the solver said */
} ref_answer;

/* glp_write_mip's format: comment lines "c ...", then
 * "s mip ROWS COLS STATUS OBJ" with STATUS o(ptimal) f(easible)
 * n(o feasible) u(ndefined). */
static void read_glpsol(const char *path, const proc_result *pr, ref_answer *a)
{
	char line[512];
	a->status = pr->timed_out ? REF_GAVE_UP : REF_OTHER;
	snprintf(a->what, sizeof a->what, "%s",
		 pr->timed_out ? "timed out"
		 : pr->ok      ? "no solution line"
			       : "glpsol failed");
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f)) {
		int rows, cols;
		char st;
		double obj;
		if (sscanf(line, "s mip %d %d %c %lf", &rows, &cols, &st, &obj) == 4) {
			if (st == 'o') {
				a->status = REF_OPTIMAL;
				a->obj = obj;
			} else if (st == 'n') {
				a->status = REF_INFEASIBLE;
			} else if (st == 'f' || st == 'u') { /* --tmlim reached */
				a->status = REF_GAVE_UP;
				snprintf(a->what, sizeof a->what, "glpsol time limit");
			} else {
				snprintf(a->what, sizeof a->what, "glpsol status '%c'", st);
			}
			break;
		}
	}
	if (f)
		fclose(f);
}

/* CBC's solution file starts "Optimal - objective value X", "Infeasible
 * - ...", "Integer infeasible - ...", "Stopped on time - ..." or another
 * status ("Unbounded"). */
static void read_cbc(const char *path, const proc_result *pr, ref_answer *a)
{
	char line[512];
	const char *key = "objective value";
	a->status = pr->timed_out ? REF_GAVE_UP : REF_OTHER;
	snprintf(a->what, sizeof a->what, "%s",
		 pr->timed_out ? "timed out"
		 : pr->ok      ? "no solution file"
			       : "cbc failed");
	FILE *f = fopen(path, "r");
	if (f && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *v = strstr(line, key);
		if (!strncmp(line, "Optimal", 7) && v) {
			a->status = REF_OPTIMAL;
			a->obj = strtod(v + strlen(key), NULL);
		} else if (!strncmp(line, "Infeasible", 10) ||
			   !strncmp(line, "Integer infeasible", 18)) {
			a->status = REF_INFEASIBLE;
		} else if (!strncmp(line, "Stopped on time", 15)) { /* "sec" reached */
			a->status = REF_GAVE_UP;
			snprintf(a->what, sizeof a->what, "cbc time limit");
		} else {
			snprintf(a->what, sizeof a->what, "cbc: %.140s", line);
		}
	}
	if (f)
		fclose(f);
}

/* bench/highs.py's line: "optimal OBJ MS", "infeasible MS",
 * "time_limit MS" or "other WHAT"; *ms the time of milp() alone. */
static void read_highs(const char *path, const proc_result *pr, ref_answer *a, double *ms)
{
	char line[512], word[32];
	a->status = pr->timed_out ? REF_GAVE_UP : REF_OTHER;
	snprintf(a->what, sizeof a->what, "%s",
		 pr->timed_out ? "timed out"
		 : pr->ok      ? "no answer line"
			       : "highs.py failed");
	*ms = pr->ms;
	FILE *f = fopen(path, "r");
	if (f && fgets(line, sizeof line, f) && sscanf(line, "%31s", word) == 1) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!strcmp(word, "optimal") && sscanf(line, "%*s %lf %lf", &a->obj, ms) == 2)
			a->status = REF_OPTIMAL;
		else if (!strcmp(word, "infeasible") && sscanf(line, "%*s %lf", ms) == 1)
			a->status = REF_INFEASIBLE;
		else if (!strcmp(word, "time_limit") && sscanf(line, "%*s %lf", ms) == 1) {
			a->status = REF_GAVE_UP;
			snprintf(a->what, sizeof a->what, "highs time limit");
		} else
			snprintf(a->what, sizeof a->what, "highs: %.140s", line);
	}
	if (f)
		fclose(f);
}

static int close_to(double a, double b)
{
	return fabs(a - b) <= 1e-6 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

/* Whether the reference's answer is mutu's (model.md §4): a contract has
 * the same stage-1 optimum; no contract because every plan's NET < 0
 * (net_benefit) is a feasible stage 1 with an optimum <= 0; any other no
 * contract is an infeasible stage 1.  Writes why not to `why`. */
static int agrees(const cell *c, const sample *s, const ref_answer *a, char *why, size_t size)
{
	if (a->status == REF_OTHER) {
		snprintf(why, size, "%s", a->what);
		return 0;
	}
	if (s->status == MUTU_GROUP_OPTIMAL) {
		if (a->status != REF_OPTIMAL) {
			snprintf(why, size, "mutu optimal %.17g, reference infeasible", s->value);
			return 0;
		}
		if (!close_to(s->value, a->obj)) {
			snprintf(why, size, "mutu %.17g, reference %.17g (diff %.3g)", s->value,
				 a->obj, s->value - a->obj);
			return 0;
		}
		return 1;
	}
	if (c->goal == MUTU_GOAL_NET_BENEFIT && s->binding == MUTU_BIND_NET) {
		if (a->status != REF_OPTIMAL) {
			snprintf(why, size, "mutu: every NET < 0, reference infeasible");
			return 0;
		}
		if (a->obj > 1e-6 * fmax(1.0, fabs(a->obj))) {
			snprintf(why, size, "mutu: every NET < 0, reference optimum %.17g", a->obj);
			return 0;
		}
		return 1;
	}
	if (a->status != REF_INFEASIBLE) {
		snprintf(why, size, "mutu no_contract (binding %d), reference optimum %.17g",
			 s->binding, a->obj);
		return 0;
	}
	return 1;
}

/* Whether the LP file's objective sense is "Maximize" (the stage-1 model
 * maximises NET or T). */
static int says_maximize(const char *path)
{
	char line[256];
	int yes = 0;
	FILE *f = fopen(path, "r");
	for (int n = 0; f && n < 20 && fgets(line, sizeof line, f); n++)
		if (!strncmp(line, "Maximize", 8)) {
			yes = 1;
			break;
		}
	if (f)
		fclose(f);
	return yes;
}

/* The references' times over a cell's sample, for the medians. */
typedef struct ref_times {
	double *mutu, *glpsol, *cbc, *highs;
	size_t nmutu;
} ref_times;

/* Writes the stage-1 model of sample `s` to `lp` (and, for HiGHS, in
 * free MPS to `mps`) and checks that it says Maximize.  Returns 0, or -1
 * after a message. */
static int export_sample(const options *o, const cell *c, const sample *s, const char *lp,
			 const char *mps)
{
	mutu_group_problem gp;
	mutu_error err;
	memset(&err, 0, sizeof err);
	if (make_problem(o, c->size, c->basis, c->goal, s->k, &gp) != 0)
		return -1;
	int rc = mutu_group_export(&gp, NULL, NULL, true, lp, &err);
	if (rc == 0 && mps)
		rc = mutu_group_export(&gp, NULL, NULL, false, mps, &err);
	pb_problem_free(&gp);
	if (rc != 0) {
		fprintf(stderr, "bench: export of %s failed: %s\n", lp, err.message);
		return -1;
	}
	if (!says_maximize(lp)) {
		fprintf(stderr, "bench: %s: the stage-1 model does not say Maximize\n", lp);
		return -1;
	}
	return 0;
}

/* Runs glpsol (which = 0), CBC (1) or HiGHS (2, on the MPS file) on `lp`, with the references' own
 * limit and a kill a little later should they not stop by themselves;
 * times it in `c` and `rt`.  Returns 0 with `pr` and `a` filled, 1 when
 * that solver is not in PATH, -1 when it could not be run. */
static int run_ref(const options *o, const machine *mc, int which, const char *lp, cell *c,
		   ref_times *rt, proc_result *pr, ref_answer *a)
{
	char tl[16], sol[1040];
	unsigned backstop = (unsigned)o->ref_time_limit_s * 2 + 10;
	snprintf(tl, sizeof tl, "%d", o->ref_time_limit_s);
	snprintf(sol, sizeof sol, "%s.%s", lp,
		 which == 0   ? "glpsol"
		 : which == 1 ? "cbc"
			      : "highs");
	memset(a, 0, sizeof *a);
	if (which == 0 && mc->have_glpsol) {
		char *argv[] = {"glpsol", "--lp", (char *)lp, "--max", "--tmlim",
				tl,       "-w",   sol,        NULL};
		unlink(sol);
		if (run_proc(argv, NULL, NULL, NULL, backstop, pr) != 0)
			return -1;
		read_glpsol(sol, pr, a);
		rt->glpsol[c->glpsol_runs++] = pr->ms;
		c->glpsol_max = fmax(c->glpsol_max, pr->ms);
	} else if (which == 2 && mc->have_highs) {
		char mps[1040];
		snprintf(mps, sizeof mps, "%.1024s.mps", lp);
		char *argv[] = {
		    "/usr/bin/python3", (char *)mc->highs_py, mps, "max", tl, sol, NULL};
		unlink(sol);
		if (run_proc(argv, NULL, NULL, NULL, backstop, pr) != 0)
			return -1;
		double ms;
		read_highs(sol, pr, a, &ms);
		rt->highs[c->highs_runs++] = ms;
		c->highs_max = fmax(c->highs_max, ms);
	} else if (which == 1 && mc->have_cbc) {
		char *argv[] = {"cbc", (char *)lp, "sec", tl, "solve", "solution", sol, NULL};
		unlink(sol);
		if (run_proc(argv, NULL, NULL, NULL, backstop, pr) != 0)
			return -1;
		read_cbc(sol, pr, a);
		rt->cbc[c->cbc_runs++] = pr->ms;
		c->cbc_max = fmax(c->cbc_max, pr->ms);
	} else {
		return 1;
	}
	return 0;
}

/* Counts reference `which`'s answer on sample `s` in the cell, and prints
 * it when the reference gave up or disagrees.  Returns 1 on a
 * disagreement, else 0. */
static int judge(const options *o, cell *c, const sample *s, int which, const ref_answer *a,
		 const proc_result *pr, const char *lp)
{
	static const char *const label[3] = {"glpsol", "cbc", "highs"};
	char why[400];
	if (s->status == MUTU_GROUP_TIME_LIMIT) {
		c->skipped++; /* timed, but mutu has no optimum to compare */
	} else if (a->status == REF_GAVE_UP) {
		c->gave_up++;
		printf("GAVE UP   %zu doctors %s %s problem %zu (seed %llu): %s after %.1f s, not "
		       "checked\n",
		       c->size, basis_name(c->basis), goal_name(c->goal), s->k,
		       (unsigned long long)o->seed, a->what, pr->ms / 1e3);
	} else if (agrees(c, s, a, why, sizeof why)) {
		c->agreed++;
		c->agreed_kind[s->status == MUTU_GROUP_OPTIMAL ? 0
			       : a->status == REF_OPTIMAL      ? 1
							       : 2]++;
	} else {
		c->disagreed++;
		printf("DISAGREE  %zu doctors %s %s problem %zu (seed %llu), %s: %s [mutu %s] %s\n",
		       c->size, basis_name(c->basis), goal_name(c->goal), s->k,
		       (unsigned long long)o->seed, label[which], why, status_name(s->status), lp);
		return 1;
	}
	return 0;
}

/* Exports sample `s` into `dir` and runs the references on it.  Returns
 * the number of disagreements (0-3), or -1 on an internal failure. */
static int check_sample(const options *o, const machine *mc, const char *dir, cell *c,
			const sample *s, ref_times *rt)
{
	char lp[1024], mps[1040];
	int bad = 0;
	snprintf(lp, sizeof lp, "%s/m%zu_%s_%s_%zu.lp", dir, c->size, basis_name(c->basis),
		 goal_name(c->goal), s->k);
	snprintf(mps, sizeof mps, "%s.mps", lp);
	if (s->status == MUTU_GROUP_ERROR) {
		c->skipped++;
		return 0;
	}
	if (export_sample(o, c, s, lp, mc->have_highs ? mps : NULL) != 0)
		return -1;
	rt->mutu[rt->nmutu++] = s->ms;
	for (int which = 0; which < 3; which++) {
		proc_result pr;
		ref_answer a;
		int rc = run_ref(o, mc, which, lp, c, rt, &pr, &a);
		if (rc < 0)
			return -1;
		if (rc == 0)
			bad += judge(o, c, s, which, &a, &pr, lp);
	}
	return bad;
}

int run_references(const options *o, const machine *mc, const char *dir, cell *c)
{
	ref_times rt = {
	    calloc(c->nsamples + 1, sizeof(double)), calloc(c->nsamples + 1, sizeof(double)),
	    calloc(c->nsamples + 1, sizeof(double)), calloc(c->nsamples + 1, sizeof(double)), 0};
	int bad = -1;
	if (!rt.mutu || !rt.glpsol || !rt.cbc || !rt.highs)
		goto cleanup;
	bad = 0;
	for (size_t j = 0; j < c->nsamples; j++) {
		int d = check_sample(o, mc, dir, c, &c->samples[j], &rt);
		if (d < 0) {
			bad = -1;
			goto cleanup;
		}
		bad += d;
	}
	c->ref_mutu_med = median(rt.mutu, rt.nmutu);
	c->glpsol_med = median(rt.glpsol, c->glpsol_runs);
	c->cbc_med = median(rt.cbc, c->cbc_runs);
	c->highs_med = median(rt.highs, c->highs_runs);
cleanup:
	free(rt.mutu);
	free(rt.glpsol);
	free(rt.cbc);
	free(rt.highs);
	return bad;
}

/* Start-up time of a solver process: the median over 5 runs on a
 * one-column LP. */
double process_floor(const char *dir, int cbc)
{
	char lp[1024], out[1040];
	double t[5];
	snprintf(lp, sizeof lp, "%s/trivial.lp", dir);
	snprintf(out, sizeof out, "%s/trivial.sol", dir);
	FILE *f = fopen(lp, "w");
	if (!f)
		return NAN;
	fputs(
	    "Maximize\n obj: x\nSubject To\n c: x <= 1\nBounds\n 0 <= x <= 1\nGenerals\n x\nEnd\n",
	    f);
	fclose(f);
	for (int k = 0; k < 5; k++) {
		proc_result pr;
		char *g[] = {"glpsol", "--lp", lp, "--max", "-w", out, NULL};
		char *b[] = {"cbc", lp, "solve", "solution", out, NULL};
		if (run_proc(cbc ? b : g, NULL, NULL, NULL, 60, &pr) != 0)
			return NAN;
		t[k] = pr.ms;
	}
	return median(t, 5);
}

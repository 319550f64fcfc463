/* bench: how fast mutu_group_solve is, whether other solvers agree with
 * it, and how many structures per second `mutu batch` gets through.
 *
 * 1. In process: seeded random groups of each size (model.md §4), under
 *    both objective bases and both goals, solved with mutu_group_solve;
 *    per (size, basis, goal) the solve times (median, p90, p99, max),
 *    branch-and-bound nodes, time-limit hits and peak resident memory.
 * 2. References: a sample of the same problems is exported as a CPLEX LP
 *    file (mutu_group_export, the stage-1 model) and solved by glpsol and
 *    by CBC, each in its own process; their optimum must be mutu's
 *    stage-1 value (NET or committed patients) to 1e-6 relative.
 * 3. Throughput: `mutu generate` writes a population, `mutu batch` solves
 *    it with -j 1 and -j 2; structures per second, wall clock.
 *
 * Prints a table on standard output, and the same figures as JSON with
 * --json FILE.  Exit status: 0 ok, 1 a reference disagreed with mutu or a
 * solve failed, 2 bad usage, 3 internal failure (temporary files).
 * Run `bench --help` for the options; README.md says how to read it.
 */
#define _DEFAULT_SOURCE /* wait4 */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mutu/group.h"

#ifndef BENCH_MUTU
#define BENCH_MUTU "build/mutu"
#endif
#ifndef BENCH_COMMIT
#define BENCH_COMMIT "unknown"
#endif
#ifndef BENCH_RULES
#define BENCH_RULES "scenarios/rules/convention-2024.json"
#endif

#define COST_PER_ETP (5.0 * 36000.0) /* S x c, as in tests/test_group_random.c */
#define MAX_SIZES 32

/* ---- options ---------------------------------------------------------- */

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
} options;

static const char usage_text[] =
    "Usage: bench [--quick] [--seed S] [--sizes LIST] [--basis B] [--goal G]\n"
    "             [--json FILE] [--no-reference] [--no-throughput] [--count N]\n"
    "             [--ref-count K] [--time-limit MS] [--ref-time-limit S]\n"
    "             [--structures N] [--reps R] [--mutu PATH] [--rules FILE] [--keep]\n"
    "       bench --problem SIZE,BASIS,GOAL,K [--repeat N] [--export FILE] [--seed S]\n"
    "\n"
    "Benchmarks mutu_group_solve on seeded random groups (sizes x {sum_individual,\n"
    "pooled} x {net_benefit, patients}), checks a sample against glpsol and CBC,\n"
    "and times `mutu batch` with -j 1 and -j 2.\n"
    "\n"
    "  --quick            a smoke run: few problems, 1000 structures, one run each\n"
    "  --seed S           random seed (default 1); the same seed gives the same problems\n"
    "  --sizes LIST       group sizes, comma-separated (default 2,5,10,30,60,100)\n"
    "  --basis B          only sum_individual or only pooled (default both)\n"
    "  --goal G           only net_benefit or only patients (default both)\n"
    "  --json FILE        also write the results as JSON to FILE\n"
    "  --no-reference     skip the glpsol and CBC runs\n"
    "  --no-throughput    skip the `mutu batch` runs\n"
    "  --count N          problems per cell (default by size, see README.md)\n"
    "  --ref-count K      reference samples per cell (default by size)\n"
    "  --time-limit MS    mutu_group_solve time limit per group (default 1000; 0 = none)\n"
    "  --ref-time-limit S glpsol --tmlim and cbc sec per reference run (default 10)\n"
    "  --structures N     population of the throughput runs (default 5000)\n"
    "  --reps R           throughput runs per thread count, median kept (default 3)\n"
    "  --mutu PATH        the mutu CLI (default " BENCH_MUTU ")\n"
    "  --rules FILE       rules for `mutu batch` (default " BENCH_RULES ")\n"
    "  --keep             keep the temporary directory (LP files, solutions)\n"
    "\n"
    "  --problem SIZE,BASIS,GOAL,K  solve only problem K (0-based) of that cell, e.g.\n"
    "                     100,sum_individual,patients,7; for profiling and replays\n"
    "  --repeat N         with --problem: solve it N times (default 1)\n"
    "  --export FILE      with --problem: also write its stage-1 model (LP format)\n"
    "\n"
    "Exit status: 0 ok, 1 a reference disagreed or a solve failed, 2 bad usage,\n"
    "3 internal failure.\n";

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nRun 'bench --help' for the options.\n");
	return 2;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_sizes(const char *s, options *o)
{
	char buf[256];
	if (strlen(s) >= sizeof buf)
		return -1;
	strcpy(buf, s);
	o->nsizes = 0;
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		long v;
		if (o->nsizes == MAX_SIZES || parse_long(tok, 1, 1000, &v) != 0)
			return -1;
		o->sizes[o->nsizes++] = (size_t)v;
	}
	return o->nsizes > 0 ? 0 : -1;
}

static int parse_problem(const char *s, options *o)
{
	char buf[128], *save = NULL;
	long v;
	if (strlen(s) >= sizeof buf)
		return -1;
	strcpy(buf, s);
	char *size = strtok_r(buf, ",", &save), *basis = strtok_r(NULL, ",", &save);
	char *goal = strtok_r(NULL, ",", &save), *k = strtok_r(NULL, ",", &save);
	if (!k || strtok_r(NULL, ",", &save) || parse_long(size, 1, 1000, &v) != 0)
		return -1;
	o->one_size = (size_t)v;
	if (parse_long(k, 0, 100000000, &v) != 0)
		return -1;
	o->one_k = (size_t)v;
	if (!strcmp(basis, "sum_individual"))
		o->one_basis = MUTU_BASIS_SUM_INDIVIDUAL;
	else if (!strcmp(basis, "pooled"))
		o->one_basis = MUTU_BASIS_POOLED;
	else
		return -1;
	if (!strcmp(goal, "net_benefit"))
		o->one_goal = MUTU_GOAL_NET_BENEFIT;
	else if (!strcmp(goal, "patients"))
		o->one_goal = MUTU_GOAL_PATIENTS;
	else
		return -1;
	o->one = 1;
	return 0;
}

/* Returns 0, 1 for --help, or 2 after a usage message. */
static int parse_args(int argc, char **argv, options *o)
{
	static const size_t default_sizes[] = {2, 5, 10, 30, 60, 100};
	memset(o, 0, sizeof *o);
	o->seed = 1;
	o->reference = o->throughput = 1;
	o->count = o->ref_count = -1;
	o->time_limit_ms = 1000;
	o->ref_time_limit_s = 10;
	o->structures = -1;
	o->reps = -1;
	o->repeat = 1;
	o->bases = o->goals = 3;
	o->mutu = BENCH_MUTU;
	o->rules = BENCH_RULES;
	o->nsizes = sizeof default_sizes / sizeof default_sizes[0];
	memcpy(o->sizes, default_sizes, sizeof default_sizes);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		long n;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_text, stdout);
			return 1;
		} else if (!strcmp(a, "--quick")) {
			o->quick = 1;
		} else if (!strcmp(a, "--no-reference")) {
			o->reference = 0;
		} else if (!strcmp(a, "--no-throughput")) {
			o->throughput = 0;
		} else if (!strcmp(a, "--keep")) {
			o->keep = 1;
		} else if (!v) {
			return usage_error("%s: unknown option, or its value is missing", a);
		} else if (!strcmp(a, "--seed")) {
			char *end;
			errno = 0;
			unsigned long long s = strtoull(v, &end, 10);
			if (errno || end == v || *end || v[0] == '-')
				return usage_error("--seed takes a non-negative integer, got '%s'",
						   v);
			o->seed = (uint64_t)s;
			i++;
		} else if (!strcmp(a, "--sizes")) {
			if (parse_sizes(v, o) != 0)
				return usage_error("--sizes takes up to %d sizes from 1 to 1000, "
						   "comma-separated, got '%s'",
						   MAX_SIZES, v);
			i++;
		} else if (!strcmp(a, "--json")) {
			o->json = v;
			i++;
		} else if (!strcmp(a, "--count")) {
			if (parse_long(v, 1, 10000000, &o->count) != 0)
				return usage_error("--count takes 1 to 10000000, got '%s'", v);
			i++;
		} else if (!strcmp(a, "--ref-count")) {
			if (parse_long(v, 0, 100000, &o->ref_count) != 0)
				return usage_error("--ref-count takes 0 to 100000, got '%s'", v);
			i++;
		} else if (!strcmp(a, "--time-limit")) {
			if (parse_long(v, 0, 3600000, &n) != 0)
				return usage_error("--time-limit takes milliseconds, 0 to 3600000, "
						   "got '%s'",
						   v);
			o->time_limit_ms = (int)n;
			i++;
		} else if (!strcmp(a, "--ref-time-limit")) {
			if (parse_long(v, 1, 3600, &n) != 0)
				return usage_error(
				    "--ref-time-limit takes seconds, 1 to 3600, got '%s'", v);
			o->ref_time_limit_s = (int)n;
			i++;
		} else if (!strcmp(a, "--structures")) {
			if (parse_long(v, 1, 100000000, &o->structures) != 0)
				return usage_error("--structures takes 1 to 100000000, got '%s'",
						   v);
			i++;
		} else if (!strcmp(a, "--reps")) {
			if (parse_long(v, 1, 100, &n) != 0)
				return usage_error("--reps takes 1 to 100, got '%s'", v);
			o->reps = (int)n;
			i++;
		} else if (!strcmp(a, "--basis")) {
			if (!strcmp(v, "sum_individual"))
				o->bases = 1 << MUTU_BASIS_SUM_INDIVIDUAL;
			else if (!strcmp(v, "pooled"))
				o->bases = 1 << MUTU_BASIS_POOLED;
			else
				return usage_error(
				    "--basis takes sum_individual or pooled, got '%s'", v);
			i++;
		} else if (!strcmp(a, "--goal")) {
			if (!strcmp(v, "net_benefit"))
				o->goals = 1 << MUTU_GOAL_NET_BENEFIT;
			else if (!strcmp(v, "patients"))
				o->goals = 1 << MUTU_GOAL_PATIENTS;
			else
				return usage_error("--goal takes net_benefit or patients, got '%s'",
						   v);
			i++;
		} else if (!strcmp(a, "--problem")) {
			if (parse_problem(v, o) != 0)
				return usage_error("--problem takes SIZE,BASIS,GOAL,K (BASIS "
						   "sum_individual or pooled, GOAL net_benefit or "
						   "patients), got '%s'",
						   v);
			i++;
		} else if (!strcmp(a, "--repeat")) {
			if (parse_long(v, 1, 1000000, &o->repeat) != 0)
				return usage_error("--repeat takes 1 to 1000000, got '%s'", v);
			i++;
		} else if (!strcmp(a, "--export")) {
			o->export_lp = v;
			i++;
		} else if (!strcmp(a, "--mutu")) {
			o->mutu = v;
			i++;
		} else if (!strcmp(a, "--rules")) {
			o->rules = v;
			i++;
		} else {
			return usage_error("%s: unknown option", a);
		}
	}
	if (o->structures < 0)
		o->structures = o->quick ? 1000 : 5000;
	if (o->reps < 0)
		o->reps = o->quick ? 1 : 3;
	return 0;
}

/* Problems per cell: enough for a p99 that means something on the small
 * sizes, fewer where one solve takes longer, so that the default run
 * stays within about five minutes on two cores. */
static size_t cell_count(const options *o, size_t size)
{
	if (o->count > 0)
		return (size_t)o->count;
	if (o->quick)
		return size <= 30 ? 40 : size <= 60 ? 20 : 10;
	return size <= 10 ? 1000 : size <= 30 ? 400 : size <= 60 ? 100 : 60;
}

static size_t ref_count(const options *o, size_t size, size_t count)
{
	size_t k = o->ref_count >= 0 ? (size_t)o->ref_count : o->quick ? 3 : size <= 30 ? 20 : 10;
	return k < count ? k : count;
}

/* ---- a private PRNG (splitmix64), as in tests/test_group_random.c ------ */

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double rng_unif(rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static double rng_range(rng *r, double lo, double hi)
{
	return lo + (hi - lo) * rng_unif(r);
}

static size_t rng_below(rng *r, size_t n)
{
	return (size_t)(rng_next(r) % (uint64_t)n);
}

/* The seed of problem k of size `size` and basis `basis`: the same
 * problem whatever the goal, the other sizes or the counts, so a --quick
 * run solves a prefix of the default run's problems. */
static uint64_t problem_seed(uint64_t seed, size_t size, mutu_basis basis, size_t k)
{
	rng r = {seed};
	r.s ^= rng_next(&r) + (uint64_t)size * 0x100000001b3ULL;
	r.s ^= rng_next(&r) + (uint64_t)basis * 0x51ed270b27ULL;
	r.s ^= rng_next(&r) + (uint64_t)k;
	return rng_next(&r);
}

/* ---- problems (model.md §4) ------------------------------------------- */

static const double ETPS[] = {0.5, 1.0, 1.5, 2.0};

/* Rate per doctor-ETP e of a pooled curve through (0,0), (0.5,r0),
 * (1,r1), (2,r2), flat beyond. */
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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* 2-4 notional options of distinct ETP (0.5-2), the objective rate
 * (0-0.35 of P) and the discounted aid (20 000-200 000) both rising with
 * the ETP, as the rules' options do. */
static int gen_choices(rng *r, mutu_gp_member *mb)
{
	size_t n = 2 + rng_below(r, 3);
	double rates[4], aids[4];
	size_t pick[4] = {0, 1, 2, 3};
	mb->nchoices = n;
	mb->choices = calloc(n, sizeof *mb->choices);
	if (!mb->choices)
		return -1;
	for (size_t k = 4; k > 1; k--) { /* n distinct ETPs: a shuffle's prefix */
		size_t j = rng_below(r, k), t = pick[k - 1];
		pick[k - 1] = pick[j];
		pick[j] = t;
	}
	for (size_t c = 0; c < n; c++) {
		rates[c] = rng_range(r, 0.0, 0.35);
		aids[c] = rng_range(r, 20000.0, 200000.0);
	}
	for (size_t a = 1; a < n; a++) /* insertion sort: ascending ETP */
		for (size_t b = a; b > 0 && pick[b] < pick[b - 1]; b--) {
			size_t t = pick[b];
			pick[b] = pick[b - 1];
			pick[b - 1] = t;
		}
	qsort(rates, n, sizeof *rates, cmp_double);
	qsort(aids, n, sizeof *aids, cmp_double);
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
 * 0.5); T_n = ceil(rate(E/m) P_G) on a random rising curve; aid per ETP
 * 100 000-250 000, a third of the levels off by up to 3 %. */
static int gen_levels(rng *r, mutu_group_problem *gp, double pg)
{
	double rates[3], per_etp = rng_range(r, 100000.0, 250000.0);
	double top = fmin(gp->max_etp_per_doctor * (double)gp->m, gp->max_etp_total);
	size_t n = (size_t)floor(top / 0.5 + 1e-9);
	rates[0] = rng_range(r, 0.0, 0.2);
	rates[1] = fmin(0.35, rates[0] + rng_range(r, 0.0, 0.1));
	rates[2] = fmin(0.35, rates[1] + rng_range(r, 0.0, 0.05));
	gp->nlevels = n;
	gp->levels = calloc(n > 0 ? n : 1, sizeof *gp->levels);
	if (!gp->levels)
		return -1;
	for (size_t k = 0; k < n; k++) {
		mutu_gp_choice *lv = &gp->levels[k];
		lv->etp = 0.5 * (double)(k + 1);
		lv->objective = ceil(curve(lv->etp / (double)gp->m, rates) * pg);
		lv->aid = lv->etp * per_etp;
		if (rng_unif(r) < 0.3)
			lv->aid *= rng_range(r, 0.97, 1.03);
		lv->option = -1;
	}
	return 0;
}

/* A group of `m` members with the magnitudes of tests/test_group_random.c:
 * P 300-2500, h 0-0.1, g 0.1-0.6, max_new 2-35 % of P on a quarter of
 * them (0 for one member of 5 % of the groups), value 0
 * or 600 per patient, floor share 0, 0.25, 0.5, 1 or random; caps around
 * the rules' (1 ETP per doctor, 10 or 30 ETP per group), some tighter,
 * some loose.  Free with mutu_group_problem_free.  Returns 0 or -1 (out
 * of memory). */
static int gen_problem(rng *r, mutu_group_problem *gp, size_t m, mutu_basis basis)
{
	static const double amaxes[] = {0.5, 1.0, 1.0, 1.0, 1.5, 2.0};
	static const double totals[] = {2.0, 4.0, 10.0, 10.0, 30.0, 100.0};
	static const double floors[] = {0.0, 0.25, 0.5, 1.0};
	double pg = 0.0;

	memset(gp, 0, sizeof *gp);
	gp->basis = basis;
	gp->m = m;
	gp->members = calloc(m, sizeof *gp->members);
	if (!gp->members)
		return -1;
	gp->cost_per_etp = COST_PER_ETP;
	gp->value_per_patient = rng_unif(r) < 0.5 ? 0.0 : 600.0;
	size_t f = rng_below(r, 5);
	gp->floor_share = f < 4 ? floors[f] : rng_unif(r);
	gp->max_etp_per_doctor = amaxes[rng_below(r, sizeof amaxes / sizeof amaxes[0])];
	gp->max_etp_total = totals[rng_below(r, sizeof totals / sizeof totals[0])];
	for (size_t i = 0; i < m; i++) {
		mutu_gp_member *mb = &gp->members[i];
		mb->p = floor(rng_range(r, 300.0, 2500.0));
		mb->headroom = rng_range(r, 0.0, 0.1);
		mb->gain = rng_range(r, 0.1, 0.6);
		mb->max_new = -1.0;
		if (rng_unif(r) < 0.25)
			mb->max_new = floor(rng_range(r, 0.02, 0.35) * mb->p);
		if (basis == MUTU_BASIS_SUM_INDIVIDUAL && gen_choices(r, mb) != 0)
			return -1;
		pg += mb->p;
	}
	/* A member who takes no new patient at all, in 5 % of the groups
	 * (per group, not per member, or most large groups would have one:
	 * with a floor share > 0 such a group has no plan). */
	if (rng_unif(r) < 0.05)
		gp->members[rng_below(r, m)].max_new = 0.0;
	if (basis == MUTU_BASIS_POOLED && gen_levels(r, gp, pg) != 0)
		return -1;
	return 0;
}

static int make_problem(const options *o, size_t size, mutu_basis basis, mutu_goal goal, size_t k,
			mutu_group_problem *gp)
{
	rng r = {problem_seed(o->seed, size, basis, k)};
	int rc = gen_problem(&r, gp, size, basis);
	gp->goal = goal;
	if (rc != 0)
		mutu_group_problem_free(gp);
	return rc;
}

/* ---- clocks, statistics, memory ---------------------------------------- */

/* bench_trace_solve_begin of glpk_trace.so when preloaded (README.md
 * "Profiling"), else NULL. */
static void (*trace_begin)(void);

static void find_trace_hook(void)
{
	void *self = dlopen(NULL, RTLD_LAZY);
	void *p = self ? dlsym(self, "bench_trace_solve_begin") : NULL;
	memcpy(&trace_begin, &p, sizeof p); /* ISO C: no cast from void * */
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Nearest-rank percentile q (0-100] of `v` (sorted ascending, n > 0). */
static double pct(const double *v, size_t n, double q)
{
	size_t k = (size_t)ceil(q / 100.0 * (double)n);
	return v[k > 0 ? k - 1 : 0];
}

/* Median of n values (averaging the middle two); sorts `v`. */
static double median(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
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

/* ---- child processes ---------------------------------------------------- */

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
 * `res` filled, or -1 when fork failed. */
static int run_proc(char *const argv[], const char *in, const char *out, const char *err,
		    unsigned timeout_s, proc_result *res)
{
	memset(res, 0, sizeof *res);
	fflush(NULL);
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fi = open(in ? in : "/dev/null", O_RDONLY);
		int fo = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(err ? err : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fi < 0 || fo < 0 || fe < 0 || dup2(fi, 0) < 0 || dup2(fo, 1) < 0 ||
		    dup2(fe, 2) < 0)
			_exit(126);
		if (timeout_s > 0)
			alarm(timeout_s); /* kept across execve: SIGALRM ends the child */
		execvp(argv[0], argv);
		_exit(127);
	}
	int st = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	res->ms = now_ms() - t0;
	res->maxrss_kib = ru.ru_maxrss;
	if (WIFEXITED(st)) {
		res->status = WEXITSTATUS(st);
		res->ok = res->status == 0;
	} else if (WIFSIGNALED(st)) {
		res->status = -WTERMSIG(st);
		res->timed_out = WTERMSIG(st) == SIGALRM;
	}
	return 0;
}

/* Copies `src` into `dst` (size > 0), truncated, without trailing blanks. */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size)
		n = size - 1;
	while (n > 0 && (src[n - 1] == ' ' || src[n - 1] == '\t'))
		n--; /* trailing blanks */
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The first line of `cmd`'s output containing `key`, or "" (popen). */
static void first_line_with(const char *cmd, const char *key, char *out, size_t size)
{
	char line[512];
	out[0] = '\0';
	FILE *f = popen(cmd, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		if (out[0] == '\0' && strstr(line, key)) {
			line[strcspn(line, "\r\n")] = '\0';
			copy_str(out, size, line);
		}
	}
	pclose(f);
}

static int in_path(const char *prog)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

/* ---- the machine -------------------------------------------------------- */

typedef struct machine {
	long nproc;
	char cpu[256];
	char kernel[256];
	char glpsol[128], cbc[128];
	int have_glpsol, have_cbc;
	double glpsol_floor_ms, cbc_floor_ms; /* a trivial LP: process start-up */
	int peak_reset;                       /* per-cell peak RSS available */
} machine;

static void probe_machine(machine *mc)
{
	char line[512];
	struct utsname u;
	memset(mc, 0, sizeof *mc);
	mc->nproc = sysconf(_SC_NPROCESSORS_ONLN);
	snprintf(mc->cpu, sizeof mc->cpu, "unknown");
	FILE *f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof line, f)) {
		char *colon = strchr(line, ':');
		if (!strncmp(line, "model name", 10) && colon) {
			colon++;
			colon += strspn(colon, " \t");
			colon[strcspn(colon, "\r\n")] = '\0';
			snprintf(mc->cpu, sizeof mc->cpu, "%s", colon);
			break;
		}
	}
	if (f)
		fclose(f);
	if (uname(&u) == 0)
		snprintf(mc->kernel, sizeof mc->kernel, "%s %s %s", u.sysname, u.release,
			 u.machine);
	mc->have_glpsol = in_path("glpsol");
	mc->have_cbc = in_path("cbc");
	if (mc->have_glpsol)
		first_line_with("glpsol --version 2>&1", "GLPK", mc->glpsol, sizeof mc->glpsol);
	if (mc->have_cbc) {
		char v[128];
		first_line_with("cbc -quit 2>&1", "Version", v, sizeof v);
		const char *p = strchr(v, ':');
		strcpy(mc->cbc, "CBC ");
		copy_str(mc->cbc + 4, sizeof mc->cbc - 4, p ? p + 1 + strspn(p + 1, " ") : v);
	}
}

/* ---- the in-process cells ------------------------------------------------ */

/* What mutu said about one reference sample. */
typedef struct sample {
	size_t k;
	int status;   /* mutu_group_status */
	int binding;  /* mutu_binding */
	double value; /* stage-1 value: NET (net_benefit) or T (patients) */
	double ms;
} sample;

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
	size_t glpsol_runs, cbc_runs, agreed, disagreed, skipped, gave_up;
	size_t agreed_kind[3]; /* agreed answers: contract, NET < 0, infeasible */
} cell;

static const char *basis_name(mutu_basis b)
{
	return b == MUTU_BASIS_POOLED ? "pooled" : "sum_individual";
}

static const char *goal_name(mutu_goal g)
{
	return g == MUTU_GOAL_PATIENTS ? "patients" : "net_benefit";
}

static const char *status_name(int s)
{
	static const char *const names[] = {"optimal", "no_contract", "no_group", "time_limit",
					    "error"};
	return s >= 0 && s <= 4 ? names[s] : "?";
}

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

/* Solves the cell's problems in process.  Returns 0, or -1 when out of
 * memory. */
static int run_cell(const options *o, cell *c, int *peak_reset)
{
	mutu_solve_options so = {.goal = c->goal, .time_limit_ms = o->time_limit_ms};
	size_t nref = o->reference ? ref_count(o, c->size, c->count) : 0;
	c->ms = calloc(c->count, sizeof *c->ms);
	c->nodes = calloc(c->count, sizeof *c->nodes);
	c->samples = calloc(nref > 0 ? nref : 1, sizeof *c->samples);
	double *opt = calloc(c->count, sizeof *opt), *noc = calloc(c->count, sizeof *noc);
	size_t nopt = 0, nnoc = 0;
	if (!c->ms || !c->nodes || !c->samples || !opt || !noc) {
		free(opt);
		free(noc);
		return -1;
	}
	*peak_reset = reset_peak_rss() == 0;
	for (size_t k = 0; k < c->count; k++) {
		mutu_group_problem gp;
		mutu_group_solution sol;
		mutu_error err;
		memset(&err, 0, sizeof err);
		if (make_problem(o, c->size, c->basis, c->goal, k, &gp) != 0) {
			free(opt);
			free(noc);
			return -1;
		}
		if (trace_begin)
			trace_begin();
		double t0 = now_ms();
		int rc = mutu_group_solve(&sol, &gp, &so, &err);
		double t = now_ms() - t0;
		c->ms[k] = t;
		c->nodes[k] = sol.nodes;
		c->total_ms += t;
		if (k == 0 || t > c->max) {
			c->max = t;
			c->slowest = k;
			c->slowest_status = rc != 0 ? MUTU_GROUP_ERROR : (int)sol.status;
			c->slowest_nodes = sol.nodes;
		}
		if (rc != 0 || sol.status == MUTU_GROUP_ERROR) {
			c->errors++;
			fprintf(
			    stderr, "bench: %zu doctors %s %s problem %zu: solve failed (%d): %s\n",
			    c->size, basis_name(c->basis), goal_name(c->goal), k, rc, err.message);
		} else if (sol.status == MUTU_GROUP_OPTIMAL) {
			c->optimal++;
			opt[nopt++] = t;
		} else if (sol.status == MUTU_GROUP_TIME_LIMIT) {
			c->time_limits++;
		} else {
			c->no_contract++;
			noc[nnoc++] = t;
			if ((int)sol.binding >= 0 && (int)sol.binding < 5)
				c->binding[sol.binding]++;
		}
		if (k < nref) {
			sample *s = &c->samples[c->nsamples++];
			s->k = k;
			s->status = rc != 0 ? MUTU_GROUP_ERROR : (int)sol.status;
			s->binding = (int)sol.binding;
			s->value = c->goal == MUTU_GOAL_PATIENTS ? sol.objective
								 : sol.aid - sol.cost + sol.value;
			s->ms = t;
		}
		mutu_group_solution_free(&sol);
		mutu_group_problem_free(&gp);
	}
	c->peak_kib = peak_rss_kib();
	qsort(c->ms, c->count, sizeof *c->ms, cmp_double);
	c->med = median(c->ms, c->count);
	c->p90 = pct(c->ms, c->count, 90);
	c->p99 = pct(c->ms, c->count, 99);
	c->max = c->ms[c->count - 1];
	summarize(opt, nopt, c->opt_ms);
	summarize(noc, nnoc, c->noc_ms);
	free(opt);
	free(noc);
	double sum = 0;
	for (size_t k = 0; k < c->count; k++) {
		sum += c->nodes[k];
		c->nodes_max = fmax(c->nodes_max, c->nodes[k]);
	}
	c->nodes_mean = sum / (double)c->count;
	return 0;
}

/* ---- reference runs -------------------------------------------------------- */

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

/* Runs the references on the cell's samples.  Returns the number of
 * disagreements, or -1 on an internal failure. */
static int run_references(const options *o, const machine *mc, const char *dir, cell *c)
{
	double *mm = calloc(c->nsamples + 1, sizeof *mm);
	double *gm = calloc(c->nsamples + 1, sizeof *gm);
	double *cm = calloc(c->nsamples + 1, sizeof *cm);
	size_t nm = 0;
	int bad = 0;
	char tl[16];
	/* The references' own limit, and a kill a little later should they
	 * not stop by themselves. */
	unsigned backstop = (unsigned)o->ref_time_limit_s * 2 + 10;
	snprintf(tl, sizeof tl, "%d", o->ref_time_limit_s);
	if (!mm || !gm || !cm) {
		free(mm);
		free(gm);
		free(cm);
		return -1;
	}
	for (size_t j = 0; j < c->nsamples; j++) {
		const sample *s = &c->samples[j];
		char lp[1024], gsol[1040], csol[1040], why[400];
		mutu_group_problem gp;
		mutu_error err;
		memset(&err, 0, sizeof err);
		snprintf(lp, sizeof lp, "%s/m%zu_%s_%s_%zu.lp", dir, c->size, basis_name(c->basis),
			 goal_name(c->goal), s->k);
		snprintf(gsol, sizeof gsol, "%s.glpsol", lp);
		snprintf(csol, sizeof csol, "%s.cbc", lp);
		if (s->status == MUTU_GROUP_ERROR) {
			c->skipped++;
			continue;
		}
		if (make_problem(o, c->size, c->basis, c->goal, s->k, &gp) != 0)
			goto fail;
		int rc = mutu_group_export(&gp, NULL, NULL, true, lp, &err);
		mutu_group_problem_free(&gp);
		if (rc != 0) {
			fprintf(stderr, "bench: export of %s failed: %s\n", lp, err.message);
			goto fail;
		}
		if (!says_maximize(lp)) {
			fprintf(stderr, "bench: %s: the stage-1 model does not say Maximize\n", lp);
			goto fail;
		}
		mm[nm++] = s->ms;
		const char *label[2] = {"glpsol", "cbc"};
		for (int which = 0; which < 2; which++) {
			proc_result pr;
			ref_answer a;
			memset(&a, 0, sizeof a);
			if (which == 0 && mc->have_glpsol) {
				char *argv[] = {"glpsol", "--lp", lp,   "--max", "--tmlim",
						tl,       "-w",   gsol, NULL};
				unlink(gsol);
				if (run_proc(argv, NULL, NULL, NULL, backstop, &pr) != 0)
					goto fail;
				read_glpsol(gsol, &pr, &a);
				gm[c->glpsol_runs++] = pr.ms;
				c->glpsol_max = fmax(c->glpsol_max, pr.ms);
			} else if (which == 1 && mc->have_cbc) {
				char *argv[] = {"cbc",   lp,         "sec", tl,
						"solve", "solution", csol,  NULL};
				unlink(csol);
				if (run_proc(argv, NULL, NULL, NULL, backstop, &pr) != 0)
					goto fail;
				read_cbc(csol, &pr, &a);
				cm[c->cbc_runs++] = pr.ms;
				c->cbc_max = fmax(c->cbc_max, pr.ms);
			} else {
				continue;
			}
			if (s->status == MUTU_GROUP_TIME_LIMIT) {
				c->skipped++; /* timed, but mutu has no optimum to compare */
			} else if (a.status == REF_GAVE_UP) {
				c->gave_up++;
				printf("GAVE UP   %zu doctors %s %s problem %zu (seed %llu): %s "
				       "after %.1f s, not checked\n",
				       c->size, basis_name(c->basis), goal_name(c->goal), s->k,
				       (unsigned long long)o->seed, a.what, pr.ms / 1e3);
			} else if (agrees(c, s, &a, why, sizeof why)) {
				c->agreed++;
				c->agreed_kind[s->status == MUTU_GROUP_OPTIMAL ? 0
					       : a.status == REF_OPTIMAL       ? 1
									       : 2]++;
			} else {
				c->disagreed++;
				bad++;
				printf(
				    "DISAGREE  %zu doctors %s %s problem %zu (seed %llu), %s: %s "
				    "[mutu %s] %s\n",
				    c->size, basis_name(c->basis), goal_name(c->goal), s->k,
				    (unsigned long long)o->seed, label[which], why,
				    status_name(s->status), lp);
			}
		}
	}
	c->ref_mutu_med = median(mm, nm);
	c->glpsol_med = median(gm, c->glpsol_runs);
	c->cbc_med = median(cm, c->cbc_runs);
	free(mm);
	free(gm);
	free(cm);
	return bad;
fail:
	free(mm);
	free(gm);
	free(cm);
	return -1;
}

/* Start-up time of a solver process: the median over 5 runs on a
 * one-column LP. */
static double process_floor(const char *dir, int cbc)
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

/* ---- throughput ---------------------------------------------------------- */

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

static long count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	long n = 0;
	int ch, last = '\n';
	if (!f)
		return -1;
	while ((ch = getc(f)) != EOF) {
		if (ch == '\n')
			n++;
		last = ch;
	}
	fclose(f);
	return n + (last != '\n');
}

static void last_line(const char *path, char *out, size_t size)
{
	char line[512];
	out[0] = '\0';
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0])
			copy_str(out, size, line);
	}
	if (f)
		fclose(f);
}

static void run_throughput(const options *o, const char *dir, throughput *tp)
{
	char pop[1024], errf[1040], nstr[32], sstr[32], jstr[8];
	proc_result pr;
	memset(tp, 0, sizeof *tp);
	if (access(o->mutu, X_OK) != 0) {
		snprintf(tp->skipped, sizeof tp->skipped, "%s: not found (make first)", o->mutu);
		return;
	}
	if (access(o->rules, R_OK) != 0) {
		snprintf(tp->skipped, sizeof tp->skipped, "%s: not readable", o->rules);
		return;
	}
	snprintf(pop, sizeof pop, "%s/population.jsonl", dir);
	snprintf(errf, sizeof errf, "%s/stderr.txt", dir);
	snprintf(nstr, sizeof nstr, "%ld", o->structures);
	snprintf(sstr, sizeof sstr, "%llu", (unsigned long long)(o->seed & 0xffffffffULL));
	char *gen[] = {
	    (char *)o->mutu, "generate", "--structures", nstr, "--seed", sstr, "--out", pop, NULL};
	if (run_proc(gen, NULL, NULL, errf, 0, &pr) != 0 || !pr.ok) {
		char msg[200];
		last_line(errf, msg, sizeof msg);
		snprintf(tp->skipped, sizeof tp->skipped, "mutu generate failed (status %d): %s",
			 pr.status, msg);
		return;
	}
	tp->gen_ms = pr.ms;
	tp->structures = count_lines(pop);
	if (tp->structures <= 0) {
		snprintf(tp->skipped, sizeof tp->skipped, "mutu generate wrote no structure");
		return;
	}
	for (int t = 0; t < 2; t++) {
		tp_run *r = &tp->runs[t];
		double ms[100];
		r->threads = t + 1;
		snprintf(jstr, sizeof jstr, "%d", r->threads);
		/* The summary line once, outside the timed runs. */
		char *loud[] = {
		    (char *)o->mutu, "batch", "--rules", (char *)o->rules, "-j", jstr, pop, NULL};
		char *quiet[] = {(char *)o->mutu, "batch", "--rules", (char *)o->rules, "-j", jstr,
				 "--quiet",       pop,     NULL};
		if (t == 0 && run_proc(loud, NULL, NULL, errf, 0, &pr) == 0)
			last_line(errf, tp->summary, sizeof tp->summary);
		for (int k = 0; k < o->reps; k++) {
			if (run_proc(quiet, NULL, NULL, errf, 0, &pr) != 0)
				pr.status = -1;
			ms[k] = pr.ms;
			if (pr.maxrss_kib > r->maxrss_kib)
				r->maxrss_kib = pr.maxrss_kib;
			if (pr.status != 0)
				r->status = pr.status;
		}
		r->ms = median(ms, (size_t)o->reps);
		r->rate = (double)tp->structures / (r->ms / 1e3);
	}
	tp->done = 1;
}

/* ---- output ------------------------------------------------------------------ */

#define TARGET_TP_PER_CORE 2000.0
#define TARGET_PEAK_MIB 64.0

/* The p99 target for a size: 5 ms up to 30 doctors, 50 ms up to 100;
 * none beyond. */
static double p99_target(size_t size)
{
	return size <= 30 ? 5.0 : size <= 100 ? 50.0 : INFINITY;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void json_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.6g", v);
	else
		fputs("null", f);
}

static void print_table(const options *o, const machine *mc, cell *cells, size_t ncells,
			long overall_kib)
{
	printf("\nmachine: %ld cpus, %s, %s; mutu %s\n", mc->nproc, mc->cpu, mc->kernel,
	       BENCH_COMMIT);
	printf("seed %llu, time limit %d ms per group%s\n", (unsigned long long)o->seed,
	       o->time_limit_ms, o->quick ? ", --quick" : "");
	printf("\nmutu_group_solve, in process (times in ms; nodes summed over the 3 stages)\n");
	printf("%5s %-14s %-11s %5s %4s %-14s %8s %8s %8s %8s %8s %7s %6s %4s %7s\n", "size",
	       "basis", "goal", "count", "opt", "no:cap/flr/net", "median", "p90", "p99", "max",
	       "p99 goal", "nodes", "max", "tlim", "RSS MiB");
	for (size_t i = 0; i < ncells; i++) {
		const cell *c = &cells[i];
		double tg = p99_target(c->size);
		char tgt[32];
		if (isfinite(tg))
			snprintf(tgt, sizeof tgt, "%s%g", c->p99 <= tg ? "ok " : "MISS ", tg);
		else
			snprintf(tgt, sizeof tgt, "-");
		char noc[48];
		snprintf(noc, sizeof noc, "%zu:%zu/%zu/%zu", c->no_contract,
			 c->binding[MUTU_BIND_CAPACITY] + c->binding[MUTU_BIND_NO_OPTION],
			 c->binding[MUTU_BIND_FLOOR], c->binding[MUTU_BIND_NET]);
		printf("%5zu %-14s %-11s %5zu %4zu %-14s %8.3f %8.3f %8.3f %8.3f %8s %7.1f %6.0f "
		       "%4zu %7.1f\n",
		       c->size, basis_name(c->basis), goal_name(c->goal), c->count, c->optimal, noc,
		       c->med, c->p90, c->p99, c->max, tgt, c->nodes_mean, c->nodes_max,
		       c->time_limits, (double)c->peak_kib / 1024.0);
	}
	printf("peak RSS of the whole in-process part: %.1f MiB%s\n", (double)overall_kib / 1024.0,
	       mc->peak_reset ? "" : " (per-cell peaks could not be reset: cumulative)");
	printf("\nby outcome (ms), and the slowest problem (replay: bench --problem "
	       "SIZE,BASIS,GOAL,K)\n");
	printf("%5s %-14s %-11s | %8s %8s %8s | %8s %8s %8s | %6s %-11s %6s\n", "size", "basis",
	       "goal", "opt med", "p99", "max", "noc med", "p99", "max", "K", "status", "nodes");
	for (size_t i = 0; i < ncells; i++) {
		const cell *c = &cells[i];
		printf(
		    "%5zu %-14s %-11s | %8.3f %8.3f %8.3f | %8.3f %8.3f %8.3f | %6zu %-11s %6d\n",
		    c->size, basis_name(c->basis), goal_name(c->goal), c->opt_ms[0], c->opt_ms[1],
		    c->opt_ms[2], c->noc_ms[0], c->noc_ms[1], c->noc_ms[2], c->slowest,
		    status_name(c->slowest_status), c->slowest_nodes);
	}
	if (!o->reference)
		return;
	printf("\nreferences: the stage-1 model (LP file) solved by glpsol and CBC, one process "
	       "each\n");
	printf("process start-up on a 1-column LP: glpsol %.1f ms, cbc %.1f ms\n",
	       mc->glpsol_floor_ms, mc->cbc_floor_ms);
	printf("%5s %-14s %-11s %6s %9s %9s %9s %8s %8s %9s %9s %5s %4s %s\n", "size", "basis",
	       "goal", "sample", "mutu ms", "glpsol ms", "cbc ms", "glp/mutu", "cbc/mutu",
	       "glpsol mx", "cbc max", "agree", "DIS", "skip/gave up");
	for (size_t i = 0; i < ncells; i++) {
		const cell *c = &cells[i];
		printf("%5zu %-14s %-11s %6zu %9.3f %9.2f %9.2f %8.2f %8.2f %9.1f %9.1f %5zu %4zu "
		       "%4zu/%zu\n",
		       c->size, basis_name(c->basis), goal_name(c->goal), c->nsamples,
		       c->ref_mutu_med, c->glpsol_med, c->cbc_med, c->glpsol_med / c->ref_mutu_med,
		       c->cbc_med / c->ref_mutu_med, c->glpsol_max, c->cbc_max, c->agreed,
		       c->disagreed, c->skipped, c->gave_up);
	}
	printf("(medians over the sample; mutu ms is the in-process solve of all 3 stages, the\n"
	       " references are whole processes solving stage 1 only; agree/DIS count answers of\n"
	       " both references; skip: mutu hit its time limit, no optimum to compare; gave up:\n"
	       " a reference hit its own limit of %d s)\n",
	       o->ref_time_limit_s);
	printf("reference versions: %s; %s\n", mc->have_glpsol ? mc->glpsol : "glpsol missing",
	       mc->have_cbc ? mc->cbc : "cbc missing");
}

static void print_throughput(const options *o, const machine *mc, const throughput *tp)
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

static void write_json(FILE *f, const options *o, const machine *mc, const cell *cells,
		       size_t ncells, long overall_kib, const throughput *tp, int disagreements,
		       int errors)
{
	fprintf(f, "{\n  \"machine\": {\"nproc\": %ld, \"cpu\": ", mc->nproc);
	json_str(f, mc->cpu);
	fprintf(f, ", \"kernel\": ");
	json_str(f, mc->kernel);
	fprintf(f, ", \"mutu_commit\": ");
	json_str(f, BENCH_COMMIT);
	fprintf(f, ", \"glpsol\": ");
	json_str(f, mc->have_glpsol ? mc->glpsol : "");
	fprintf(f, ", \"cbc\": ");
	json_str(f, mc->have_cbc ? mc->cbc : "");
	fprintf(f,
		"},\n  \"options\": {\"quick\": %s, \"seed\": %llu, \"time_limit_ms\": %d, "
		"\"sizes\": [",
		o->quick ? "true" : "false", (unsigned long long)o->seed, o->time_limit_ms);
	for (size_t i = 0; i < o->nsizes; i++)
		fprintf(f, "%s%zu", i ? ", " : "", o->sizes[i]);
	fprintf(f, "], \"reference\": %s, \"throughput\": %s},\n", o->reference ? "true" : "false",
		o->throughput ? "true" : "false");
	fprintf(f, "  \"cells\": [\n");
	for (size_t i = 0; i < ncells; i++) {
		const cell *c = &cells[i];
		fprintf(f,
			"    {\"size\": %zu, \"basis\": \"%s\", \"goal\": \"%s\", \"count\": %zu, "
			"\"optimal\": %zu, \"no_contract\": %zu, \"time_limit\": %zu, "
			"\"errors\": %zu, \"no_contract_by\": {\"no_option\": %zu, "
			"\"capacity\": %zu, \"floor\": %zu, \"net\": %zu}, \"ms\": {\"median\": ",
			c->size, basis_name(c->basis), goal_name(c->goal), c->count, c->optimal,
			c->no_contract, c->time_limits, c->errors, c->binding[MUTU_BIND_NO_OPTION],
			c->binding[MUTU_BIND_CAPACITY], c->binding[MUTU_BIND_FLOOR],
			c->binding[MUTU_BIND_NET]);
		json_num(f, c->med);
		fprintf(f, ", \"p90\": ");
		json_num(f, c->p90);
		fprintf(f, ", \"p99\": ");
		json_num(f, c->p99);
		fprintf(f, ", \"max\": ");
		json_num(f, c->max);
		fprintf(f, ", \"total\": ");
		json_num(f, c->total_ms);
		fprintf(f, "}, \"ms_optimal\": {\"median\": ");
		json_num(f, c->opt_ms[0]);
		fprintf(f, ", \"p99\": ");
		json_num(f, c->opt_ms[1]);
		fprintf(f, ", \"max\": ");
		json_num(f, c->opt_ms[2]);
		fprintf(f, "}, \"ms_no_contract\": {\"median\": ");
		json_num(f, c->noc_ms[0]);
		fprintf(f, ", \"p99\": ");
		json_num(f, c->noc_ms[1]);
		fprintf(f, ", \"max\": ");
		json_num(f, c->noc_ms[2]);
		fprintf(f,
			"}, \"slowest\": {\"k\": %zu, \"status\": \"%s\", \"nodes\": %d}, "
			"\"p99_target_ms\": ",
			c->slowest, status_name(c->slowest_status), c->slowest_nodes);
		json_num(f, p99_target(c->size));
		fprintf(f, ", \"nodes\": {\"mean\": ");
		json_num(f, c->nodes_mean);
		fprintf(f, ", \"max\": ");
		json_num(f, c->nodes_max);
		fprintf(f, "}, \"peak_rss_kib\": %ld", c->peak_kib);
		if (o->reference) {
			fprintf(f, ", \"reference\": {\"samples\": %zu, \"mutu_median_ms\": ",
				c->nsamples);
			json_num(f, c->ref_mutu_med);
			fprintf(f, ", \"glpsol_median_ms\": ");
			json_num(f, c->glpsol_med);
			fprintf(f, ", \"cbc_median_ms\": ");
			json_num(f, c->cbc_med);
			fprintf(f, ", \"glpsol_max_ms\": ");
			json_num(f, c->glpsol_max);
			fprintf(f, ", \"cbc_max_ms\": ");
			json_num(f, c->cbc_max);
			fprintf(f, ", \"glpsol_over_mutu\": ");
			json_num(f, c->glpsol_med / c->ref_mutu_med);
			fprintf(f, ", \"cbc_over_mutu\": ");
			json_num(f, c->cbc_med / c->ref_mutu_med);
			fprintf(f,
				", \"agreed\": %zu, \"agreed_contract\": %zu, "
				"\"agreed_net_negative\": %zu, \"agreed_infeasible\": %zu, "
				"\"disagreed\": %zu, \"skipped\": %zu, \"gave_up\": %zu}",
				c->agreed, c->agreed_kind[0], c->agreed_kind[1], c->agreed_kind[2],
				c->disagreed, c->skipped, c->gave_up);
		}
		fprintf(f, "}%s\n", i + 1 < ncells ? "," : "");
	}
	fprintf(f, "  ],\n  \"peak_rss_kib\": %ld,\n", overall_kib);
	if (o->reference) {
		fprintf(f, "  \"reference_startup_ms\": {\"glpsol\": ");
		json_num(f, mc->glpsol_floor_ms);
		fprintf(f, ", \"cbc\": ");
		json_num(f, mc->cbc_floor_ms);
		fprintf(f, "},\n");
	}
	fprintf(f, "  \"throughput\": ");
	if (!o->throughput) {
		fprintf(f, "null");
	} else if (!tp->done) {
		fprintf(f, "{\"skipped\": ");
		json_str(f, tp->skipped);
		fprintf(f, "}");
	} else {
		fprintf(f, "{\"structures\": %ld, \"generate_ms\": ", tp->structures);
		json_num(f, tp->gen_ms);
		fprintf(f, ", \"summary\": ");
		json_str(f, tp->summary);
		fprintf(f, ", \"reps\": %d, \"runs\": [", o->reps);
		for (int t = 0; t < 2; t++) {
			const tp_run *r = &tp->runs[t];
			fprintf(f, "%s{\"threads\": %d, \"ms\": ", t ? ", " : "", r->threads);
			json_num(f, r->ms);
			fprintf(f, ", \"structures_per_s\": ");
			json_num(f, r->rate);
			fprintf(f, ", \"per_thread\": ");
			json_num(f, r->rate / r->threads);
			fprintf(f, ", \"peak_rss_kib\": %ld, \"exit_status\": %d}", r->maxrss_kib,
				r->status);
		}
		fprintf(f, "]}");
	}
	fprintf(f, ",\n  \"disagreements\": %d,\n  \"solve_errors\": %d\n}\n", disagreements,
		errors);
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
		mutu_group_problem_free(&gp);
	}
}

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

/* Runs the cell in a child process (after warm_up there), so that every
 * cell starts from the same state, whatever ran before it: a fresh heap
 * (glibc's trim and mmap thresholds adapt to what a process allocated,
 * and GLPK's page faults with them), a fresh GLPK environment.  The child
 * sends back the cell and its reference samples.  Returns 0 or -1. */
static int run_cell_apart(const options *o, cell *c, int *peak_reset)
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
		warm_up(o);
		int ok = run_cell(o, c, peak_reset) == 0 && write_all(fds[1], c, sizeof *c) == 0 &&
			 write_all(fds[1], peak_reset, sizeof *peak_reset) == 0 &&
			 write_all(fds[1], c->samples, c->nsamples * sizeof *c->samples) == 0;
		_exit(ok ? 0 : 3);
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

/* --problem: solves one problem `repeat` times and prints what mutu
 * says; with --export, writes its stage-1 model.  Returns an exit status. */
static int run_one(const options *o)
{
	mutu_group_problem gp;
	mutu_solve_options so = {.goal = o->one_goal, .time_limit_ms = o->time_limit_ms};
	double *ms = calloc((size_t)o->repeat, sizeof *ms);
	int status = 0;
	warm_up(o);
	if (!ms || make_problem(o, o->one_size, o->one_basis, o->one_goal, o->one_k, &gp) != 0) {
		free(ms);
		fprintf(stderr, "bench: out of memory\n");
		return 3;
	}
	size_t nch = gp.nlevels;
	for (size_t i = 0; gp.basis == MUTU_BASIS_SUM_INDIVIDUAL && i < gp.m; i++)
		nch += gp.members[i].nchoices;
	printf("problem %zu of %zu doctors %s %s (seed %llu): %zu %s, floor share %g, "
	       "%g ETP per doctor, %g ETP in all, value %g per patient\n",
	       o->one_k, o->one_size, basis_name(o->one_basis), goal_name(o->one_goal),
	       (unsigned long long)o->seed, nch,
	       gp.basis == MUTU_BASIS_POOLED ? "levels" : "options", gp.floor_share,
	       gp.max_etp_per_doctor, gp.max_etp_total, gp.value_per_patient);
	for (long r = 0; r < o->repeat; r++) {
		mutu_group_solution sol;
		mutu_error err;
		memset(&err, 0, sizeof err);
		if (trace_begin)
			trace_begin();
		double t0 = now_ms();
		int rc = mutu_group_solve(&sol, &gp, &so, &err);
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
	mutu_group_problem_free(&gp);
	mutu_solver_release();
	free(ms);
	fflush(stdout);
	return status;
}

/* ---- main -------------------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int main(int argc, char **argv)
{
	options o;
	machine mc;
	throughput tp;
	int rc = parse_args(argc, argv, &o);
	if (rc == 1)
		return 0;
	mutu_solver_tune_allocator(); /* as the CLI does */
	if (rc != 0)
		return rc;
	find_trace_hook();
	if (o.one)
		return run_one(&o);
	memset(&tp, 0, sizeof tp);
	probe_machine(&mc);

	char dir[] = "/tmp/mutu-bench.XXXXXX";
	if (!mkdtemp(dir)) {
		fprintf(stderr, "bench: cannot create a temporary directory: %s\n",
			strerror(errno));
		return 3;
	}

	size_t ncells = o.nsizes * 4;
	cell *cells = calloc(ncells, sizeof *cells);
	if (!cells)
		return 3;
	int status = 0, disagreements = 0, errors = 0;
	long overall_kib = 0;
	double t_start = now_ms();
	mc.peak_reset = 1;
	ncells = 0;
	for (size_t s = 0; s < o.nsizes; s++)
		for (int b = 0; b < 2; b++)
			for (int g = 0; g < 2; g++) {
				if (!(o.bases & (1 << b)) || !(o.goals & (1 << g)))
					continue;
				cell *c = &cells[ncells++];
				int reset = 0;
				c->size = o.sizes[s];
				c->basis = b ? MUTU_BASIS_POOLED : MUTU_BASIS_SUM_INDIVIDUAL;
				c->goal = g ? MUTU_GOAL_PATIENTS : MUTU_GOAL_NET_BENEFIT;
				c->count = cell_count(&o, c->size);
				fprintf(stderr, "bench: %3zu doctors %-14s %-11s %zu problems...",
					c->size, basis_name(c->basis), goal_name(c->goal),
					c->count);
				if (run_cell_apart(&o, c, &reset) != 0) {
					fprintf(stderr, "\nbench: cell failed (out of memory?)\n");
					return 3;
				}
				mc.peak_reset &= reset;
				if (c->peak_kib > overall_kib)
					overall_kib = c->peak_kib;
				errors += (int)c->errors;
				fprintf(stderr, " %.2f s\n", c->total_ms / 1e3);
			}
	double t_cells = now_ms();

	if (o.reference) {
		if (!mc.have_glpsol || !mc.have_cbc)
			fprintf(stderr,
				"bench: %s not in PATH: its reference runs are skipped "
				"(make -C bench installs cbc)\n",
				!mc.have_glpsol ? "glpsol" : "cbc");
		mc.glpsol_floor_ms = mc.have_glpsol ? process_floor(dir, 0) : NAN;
		mc.cbc_floor_ms = mc.have_cbc ? process_floor(dir, 1) : NAN;
		for (size_t i = 0; i < ncells; i++) {
			cell *c = &cells[i];
			fprintf(stderr, "bench: references %3zu doctors %-14s %-11s %zu samples\n",
				c->size, basis_name(c->basis), goal_name(c->goal), c->nsamples);
			int d = run_references(&o, &mc, dir, c);
			if (d < 0) {
				fprintf(stderr, "bench: reference runs failed (in %s)\n", dir);
				return 3;
			}
			disagreements += d;
		}
	}
	double t_refs = now_ms();
	if (o.throughput) {
		fprintf(stderr, "bench: throughput, %ld structures, %d run(s) per thread count\n",
			o.structures, o.reps);
		run_throughput(&o, dir, &tp);
	}
	double t_end = now_ms();

	print_table(&o, &mc, cells, ncells, overall_kib);
	if (o.throughput)
		print_throughput(&o, &mc, &tp);
	printf("\nwall clock: in-process %.1f s, references %.1f s, throughput %.1f s\n",
	       (t_cells - t_start) / 1e3, (t_refs - t_cells) / 1e3, (t_end - t_refs) / 1e3);
	printf("peak memory target %.0f MiB: in-process %s", TARGET_PEAK_MIB,
	       (double)overall_kib / 1024.0 < TARGET_PEAK_MIB ? "ok" : "MISS");
	if (tp.done)
		printf(", batch %s", (double)(tp.runs[0].maxrss_kib > tp.runs[1].maxrss_kib
						  ? tp.runs[0].maxrss_kib
						  : tp.runs[1].maxrss_kib) /
						 1024.0 <
					     TARGET_PEAK_MIB
					 ? "ok"
					 : "MISS");
	printf("\n");
	if (disagreements || errors) {
		printf("FAILED: %d reference disagreement(s), %d solve error(s)\n", disagreements,
		       errors);
		status = 1;
	} else if (o.reference) {
		size_t k[3] = {0, 0, 0}, gave_up = 0;
		for (size_t i = 0; i < ncells; i++) {
			for (int j = 0; j < 3; j++)
				k[j] += cells[i].agreed_kind[j];
			gave_up += cells[i].gave_up;
		}
		printf("references: all %zu answers agree with mutu (%zu contracts to 1e-6 "
		       "relative, %zu with every NET < 0, %zu infeasible); %zu not checked "
		       "(a reference gave up)\n",
		       k[0] + k[1] + k[2], k[0], k[1], k[2], gave_up);
	}

	if (o.json) {
		FILE *f = fopen(o.json, "w");
		if (!f) {
			fprintf(stderr, "bench: cannot write %s: %s\n", o.json, strerror(errno));
			status = status ? status : 3;
		} else {
			write_json(f, &o, &mc, cells, ncells, overall_kib, &tp, disagreements,
				   errors);
			if (fclose(f) != 0) {
				fprintf(stderr, "bench: cannot write %s\n", o.json);
				status = status ? status : 3;
			}
		}
	}
	if (o.keep || disagreements)
		fprintf(stderr, "bench: temporary files kept in %s\n", dir);
	else
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	mutu_solver_release(); /* GLPK's environment, used by the exports */
	for (size_t i = 0; i < ncells; i++) {
		free(cells[i].ms);
		free(cells[i].nodes);
		free(cells[i].samples);
	}
	free(cells);
	return status;
}

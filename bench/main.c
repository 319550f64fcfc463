/* bench: how fast mutu_group_solve is, whether other solvers agree with
 * it, and how many structures per second `mutu batch` gets through.
 *
 * 1. In process (cells.c): seeded random groups of each size (model.md
 *    §4, tests/problems.c), under both objective bases and both goals,
 *    solved with mutu_group_solve; per (size, basis, goal) the solve
 *    times (median, p90, p99, max), branch-and-bound nodes, time-limit
 *    hits and peak resident memory.
 * 2. References (refs.c): a sample of the same problems is exported as a
 *    CPLEX LP file (mutu_group_export, the stage-1 model) and solved by
 *    glpsol and by CBC, each in its own process; their optimum must be
 *    mutu's stage-1 value (NET or committed patients) to 1e-6 relative.
 * 3. Throughput (throughput.c): `mutu generate` writes a population,
 *    `mutu batch` solves it with -j 1 and -j 2; structures per second.
 *
 * Prints a table on standard output, and the same figures as JSON with
 * --json FILE (output.c).  Exit status: 0 ok, 1 a reference disagreed
 * with mutu or a solve failed, 2 bad usage, 3 internal failure
 * (temporary files, memory).  Run `bench --help` for the options;
 * README.md says how to read the results.
 */
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"

#ifndef BENCH_MUTU
#define BENCH_MUTU "build/mutu"
#endif
#ifndef BENCH_RULES
#define BENCH_RULES "scenarios/rules/convention-2024.json"
#endif

#define STR_(x) #x
#define STR(x) STR_(x)

/* ---- options ------------------------------------------------------------ */

static const char usage_text[] =
    "Usage: bench [--quick] [--seed S] [--sizes LIST] [--basis B] [--goal G]\n"
    "             [--json FILE] [--no-reference] [--no-throughput] [--count N]\n"
    "             [--ref-count K] [--time-limit MS] [--ref-time-limit S]\n"
    "             [--structures N] [--reps R] [--mutu PATH] [--rules FILE] [--keep]\n"
    "       bench --problem SIZE,BASIS,GOAL,K [--repeat N] [--export FILE] [--seed S]\n"
    "       bench --shapley [--sizes LIST] [--basis B] [--count N] [--quick] [--seed S]\n"
    "\n"
    "Benchmarks mutu_group_solve on seeded random groups (sizes x {sum_individual,\n"
    "pooled} x {net_benefit, patients}), checks a sample against glpsol and CBC,\n"
    "and times `mutu batch` with -j 1 and -j 2.\n"
    "\n"
    "  --quick            a smoke run: few problems, 1000 structures, one run each\n"
    "  --seed S           random seed (default 1); the same seed gives the same problems\n"
    "  --sizes LIST       group sizes, comma-separated (default 2,5,10,30,60,100,200)\n"
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
    "  --shapley          only time whole solves with and without the coalitions and\n"
    "                     the Shapley value (sizes 10,30 unless --sizes; shapley.c)\n"
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
	o->sizes_given = 1;
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

static int parse_seed(const char *v, options *o)
{
	char *end;
	errno = 0;
	unsigned long long s = strtoull(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-')
		return -1;
	o->seed = (uint64_t)s;
	return 0;
}

static int parse_basis(const char *v, options *o)
{
	if (!strcmp(v, "sum_individual"))
		o->bases = 1 << MUTU_BASIS_SUM_INDIVIDUAL;
	else if (!strcmp(v, "pooled"))
		o->bases = 1 << MUTU_BASIS_POOLED;
	else
		return -1;
	return 0;
}

static int parse_goal(const char *v, options *o)
{
	if (!strcmp(v, "net_benefit"))
		o->goals = 1 << MUTU_GOAL_NET_BENEFIT;
	else if (!strcmp(v, "patients"))
		o->goals = 1 << MUTU_GOAL_PATIENTS;
	else
		return -1;
	return 0;
}

/* An option is one line: a flag sets an int field to `lo`; a number is
 * checked against lo..hi ("--NAME takes UNITlo to hi"); a string is kept
 * as given; anything else goes through `parse` ("--NAME takes TAKES"). */
typedef enum opt_kind { OPT_SET, OPT_LONG, OPT_INT, OPT_STR, OPT_PARSE } opt_kind;

typedef struct opt_spec {
	const char *name;
	opt_kind kind;
	size_t field; /* offsetof(options, ...): OPT_SET, OPT_LONG, OPT_INT, OPT_STR */
	long lo, hi;
	const char *unit;                        /* OPT_LONG, OPT_INT */
	int (*parse)(const char *v, options *o); /* OPT_PARSE: 0 or -1 */
	const char *takes;                       /* OPT_PARSE */
} opt_spec;

#define FIELD(f) offsetof(options, f)

static const opt_spec opt_specs[] = {
    {"--quick", OPT_SET, FIELD(quick), 1, 0, NULL, NULL, NULL},
    {"--no-reference", OPT_SET, FIELD(reference), 0, 0, NULL, NULL, NULL},
    {"--no-throughput", OPT_SET, FIELD(throughput), 0, 0, NULL, NULL, NULL},
    {"--keep", OPT_SET, FIELD(keep), 1, 0, NULL, NULL, NULL},
    {"--shapley", OPT_SET, FIELD(shapley), 1, 0, NULL, NULL, NULL},
    {"--seed", OPT_PARSE, 0, 0, 0, NULL, parse_seed, "a non-negative integer"},
    {"--sizes", OPT_PARSE, 0, 0, 0, NULL, parse_sizes,
     "up to " STR(MAX_SIZES) " sizes from 1 to 1000, comma-separated"},
    {"--json", OPT_STR, FIELD(json), 0, 0, NULL, NULL, NULL},
    {"--count", OPT_LONG, FIELD(count), 1, 10000000, "", NULL, NULL},
    {"--ref-count", OPT_LONG, FIELD(ref_count), 0, 100000, "", NULL, NULL},
    {"--time-limit", OPT_INT, FIELD(time_limit_ms), 0, 3600000, "milliseconds, ", NULL, NULL},
    {"--ref-time-limit", OPT_INT, FIELD(ref_time_limit_s), 1, 3600, "seconds, ", NULL, NULL},
    {"--structures", OPT_LONG, FIELD(structures), 1, 100000000, "", NULL, NULL},
    {"--reps", OPT_INT, FIELD(reps), 1, 100, "", NULL, NULL},
    {"--basis", OPT_PARSE, 0, 0, 0, NULL, parse_basis, "sum_individual or pooled"},
    {"--goal", OPT_PARSE, 0, 0, 0, NULL, parse_goal, "net_benefit or patients"},
    {"--problem", OPT_PARSE, 0, 0, 0, NULL, parse_problem,
     "SIZE,BASIS,GOAL,K (BASIS sum_individual or pooled, GOAL net_benefit or patients)"},
    {"--repeat", OPT_LONG, FIELD(repeat), 1, 1000000, "", NULL, NULL},
    {"--export", OPT_STR, FIELD(export_lp), 0, 0, NULL, NULL, NULL},
    {"--mutu", OPT_STR, FIELD(mutu), 0, 0, NULL, NULL, NULL},
    {"--rules", OPT_STR, FIELD(rules), 0, 0, NULL, NULL, NULL},
};

static const opt_spec *find_spec(const char *name)
{
	for (size_t i = 0; i < sizeof opt_specs / sizeof opt_specs[0]; i++)
		if (!strcmp(opt_specs[i].name, name))
			return &opt_specs[i];
	return NULL;
}

/* Applies option `sp` with value `v` (not NULL unless OPT_SET).  Returns
 * 0, or 2 after a usage message. */
static int apply(const opt_spec *sp, const char *v, options *o)
{
	char *field = (char *)o + sp->field;
	long n;
	switch (sp->kind) {
	case OPT_SET:
		*(int *)(void *)field = (int)sp->lo;
		return 0;
	case OPT_STR:
		*(const char **)(void *)field = v;
		return 0;
	case OPT_LONG:
	case OPT_INT:
		if (parse_long(v, sp->lo, sp->hi, &n) != 0)
			return usage_error("%s takes %s%ld to %ld, got '%s'", sp->name, sp->unit,
					   sp->lo, sp->hi, v);
		if (sp->kind == OPT_INT)
			*(int *)(void *)field = (int)n;
		else
			*(long *)(void *)field = n;
		return 0;
	case OPT_PARSE:
		if (sp->parse(v, o) != 0)
			return usage_error("%s takes %s, got '%s'", sp->name, sp->takes, v);
		return 0;
	}
	return 0;
}

static void set_defaults(options *o)
{
	static const size_t default_sizes[] = {2, 5, 10, 30, 60, 100, 200};
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
}

/* Returns 0, 1 for --help, or 2 after a usage message. */
static int parse_args(int argc, char **argv, options *o)
{
	set_defaults(o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		const opt_spec *sp = find_spec(a);
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_text, stdout);
			return 1;
		}
		if (sp && sp->kind == OPT_SET) {
			apply(sp, NULL, o);
			continue;
		}
		if (!v)
			return usage_error("%s: unknown option, or its value is missing", a);
		if (!sp)
			return usage_error("%s: unknown option", a);
		if (apply(sp, v, o) != 0)
			return 2;
		i++;
	}
	if (o->structures < 0)
		o->structures = o->quick ? 1000 : 5000;
	if (o->reps < 0)
		o->reps = o->quick ? 1 : 3;
	return 0;
}

/* ---- the run ---------------------------------------------------------------- */

/* Part 1: every cell of the options, each in its own child process.
 * Returns 0, or 3 after a message. */
static int run_cells(const options *o, machine *mc, results *res)
{
	mc->peak_reset = 1;
	res->ncells = 0;
	for (size_t s = 0; s < o->nsizes; s++)
		for (int b = 0; b < 2; b++)
			for (int g = 0; g < 2; g++) {
				if (!(o->bases & (1 << b)) || !(o->goals & (1 << g)))
					continue;
				cell *c = &res->cells[res->ncells++];
				int reset = 0;
				c->size = o->sizes[s];
				c->basis = b ? MUTU_BASIS_POOLED : MUTU_BASIS_SUM_INDIVIDUAL;
				c->goal = g ? MUTU_GOAL_PATIENTS : MUTU_GOAL_NET_BENEFIT;
				c->count = cell_count(o, c->size);
				fprintf(stderr, "bench: %3zu doctors %-14s %-11s %zu problems...",
					c->size, basis_name(c->basis), goal_name(c->goal),
					c->count);
				if (run_cell_apart(o, c, &reset) != 0) {
					fprintf(stderr, "\nbench: cell failed (out of memory?)\n");
					return 3;
				}
				mc->peak_reset &= reset;
				if (c->peak_kib > res->overall_kib)
					res->overall_kib = c->peak_kib;
				res->errors += (int)c->errors;
				fprintf(stderr, " %.2f s\n", c->total_ms / 1e3);
			}
	return 0;
}

/* Part 2: the process start-up floors, then each cell's samples.
 * Returns 0, or 3 after a message (the LP files are kept in `dir`). */
static int run_refs(const options *o, machine *mc, const char *dir, results *res)
{
	if (!mc->have_glpsol || !mc->have_cbc)
		fprintf(stderr,
			"bench: %s not in PATH: its reference runs are skipped "
			"(make -C bench installs cbc)\n",
			!mc->have_glpsol ? "glpsol" : "cbc");
	mc->glpsol_floor_ms = mc->have_glpsol ? process_floor(dir, 0) : NAN;
	mc->cbc_floor_ms = mc->have_cbc ? process_floor(dir, 1) : NAN;
	for (size_t i = 0; i < res->ncells; i++) {
		cell *c = &res->cells[i];
		fprintf(stderr, "bench: references %3zu doctors %-14s %-11s %zu samples\n", c->size,
			basis_name(c->basis), goal_name(c->goal), c->nsamples);
		int d = run_references(o, mc, dir, c);
		if (d < 0) {
			fprintf(stderr, "bench: reference runs failed (in %s)\n", dir);
			return 3;
		}
		res->disagreements += d;
	}
	return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The three parts in order, then the table, the verdict and the JSON
 * file.  Returns the exit status. */
static int run_all(const options *o, results *res)
{
	machine mc;
	char dir[] = "/tmp/mutu-bench.XXXXXX";
	int status;
	probe_machine(&mc);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "bench: cannot create a temporary directory: %s\n",
			strerror(errno));
		return 3;
	}
	res->t_start = now_ms();
	if (run_cells(o, &mc, res) != 0)
		return 3;
	res->t_cells = now_ms();
	if (o->reference && run_refs(o, &mc, dir, res) != 0)
		return 3;
	res->t_refs = now_ms();
	if (o->throughput) {
		fprintf(stderr, "bench: throughput, %ld structures, %d run(s) per thread count\n",
			o->structures, o->reps);
		run_throughput(o, dir, &res->tp);
	}
	res->t_end = now_ms();

	print_table(o, &mc, res);
	if (o->throughput)
		print_throughput(o, &mc, &res->tp);
	status = print_verdict(o, res);
	if (o->json && write_json(o->json, o, &mc, res) != 0)
		status = status ? status : 3;
	if (o->keep || res->disagreements)
		fprintf(stderr, "bench: temporary files kept in %s\n", dir);
	else
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return status;
}

int main(int argc, char **argv)
{
	options o;
	results res;
	int rc = parse_args(argc, argv, &o);
	if (rc == 1)
		return 0;
	mutu_solver_tune_allocator(); /* as the CLI does */
	if (rc != 0)
		return rc;
	find_trace_hook();
	if (o.one)
		return run_one(&o);
	if (o.shapley) {
		if (!o.sizes_given) {
			o.nsizes = 2;
			o.sizes[0] = 10;
			o.sizes[1] = 30;
		}
		return run_shapley(&o);
	}
	memset(&res, 0, sizeof res);
	res.cells = calloc(o.nsizes * 4, sizeof *res.cells);
	if (!res.cells)
		return 3;
	rc = run_all(&o, &res);
	mutu_solver_release(); /* GLPK's environment, used by the exports */
	for (size_t i = 0; i < res.ncells; i++) {
		free(res.cells[i].ms);
		free(res.cells[i].nodes);
		free(res.cells[i].samples);
	}
	free(res.cells);
	return rc;
}

/* bench --shapley: what sharing a plan among its members costs (model.md
 * §4b).  Seeded cabinets of one group of GPs, each solved the way `mutu
 * solve` does it, in process (mutu_analysis_run_with, then the text
 * report), three ways:
 *   plain     the plan and each member's money, no coalition solved;
 *   solve     what `mutu solve` does by default: plain, and for groups of
 *             at most 10 members every coalition solved (marginal
 *             contributions, the blocking sub-group);
 *   shapley   `solve --sharing shapley`: the same, and the exact Shapley
 *             value (up to 10 members) or a sampled one (above).
 * Per group size and objective basis: the median, p99 and max of the
 * wall-clock time of one cabinet, and the coalitions solved (mean).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "mutu/analysis.h"
#include "problems.h"

/* A cabinet of m GPs with P between P30 and P95 of the rules, half of
 * them with a capacity of their own and a fifth with few new patients
 * possible (some cannot sign alone what the group can carry), one in
 * eight aged 67, in a ZIP zone one time in two.
 * The caller frees the text. */
static char *cabinet_text(pb_rng *r, const mutu_rules *rules, size_t m, size_t k)
{
	long gp = mutu_rules_specialty(rules, "generaliste");
	const double *th = rules->specialties[gp < 0 ? 0 : gp].thresholds;
	const char *spec = rules->specialties[gp < 0 ? 0 : gp].name;
	size_t cap = 256 + 256 * m, n = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	n += (size_t)snprintf(s + n, cap - n,
			      "{\"id\": \"bench-%zu-%zu\", \"zone\": \"%s\", \"contract_start\": "
			      "\"2025-01-01\", \"doctors\": [",
			      m, k, pb_unif(r) < 0.5 ? "zip" : "standard");
	for (size_t i = 0; i < m; i++) {
		double p = floor(pb_range(r, th[MUTU_P30] + 1, th[MUTU_P95] * 1.1));
		n += (size_t)snprintf(s + n, cap - n,
				      "%s{\"id\": \"d%zu\", \"specialty\": \"%s\", \"sector\": "
				      "\"1\", \"pmt\": %.0f, \"fa\": %.0f, \"volunteer\": true",
				      i ? ", " : "", i + 1, spec, p, p);
		if (pb_unif(r) < 0.5)
			n += (size_t)snprintf(s + n, cap - n,
					      ", \"headroom\": %.3f, \"gain_per_etp\": %.3f",
					      pb_range(r, 0, 0.1), pb_range(r, 0.05, 0.5));
		else if (pb_unif(r) < 0.4)
			n += (size_t)snprintf(s + n, cap - n, ", \"max_new_patients\": %.0f",
					      floor(pb_range(r, 0, 0.08 * p)));
		if (pb_unif(r) < 0.125)
			n += (size_t)snprintf(s + n, cap - n, ", \"age\": 67");
		n += (size_t)snprintf(s + n, cap - n, "}");
	}
	snprintf(s + n, cap - n, "]}");
	return s;
}

/* CPU time of the process, ms: the wall clock of a loaded machine counts
 * the other processes too. */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

typedef struct way {
	const char *name;
	mutu_sharing_rule rule;
	bool coalitions;
} way;

static const way ways[] = {
    {"plain", MUTU_SHARING_PATIENTS, false},
    {"solve", MUTU_SHARING_PATIENTS, true},
    {"shapley", MUTU_SHARING_SHAPLEY, true},
};
#define NWAYS (sizeof ways / sizeof ways[0])

/* Times the cabinets of one size and basis under every way.  Returns 0,
 * or -1 after a message. */
static int run_size(const options *o, const mutu_rules *rules, const char *basis, size_t m,
		    size_t count)
{
	double *ms[NWAYS], *cpu[NWAYS];
	double solves[NWAYS] = {0}, gain = 0;
	size_t sampled = 0, plans = 0;
	int rc = -1;
	for (size_t w = 0; w < NWAYS; w++) {
		ms[w] = calloc(count + 1, sizeof *ms[w]);
		cpu[w] = calloc(count + 1, sizeof *cpu[w]);
	}
	for (size_t k = 0; k < count; k++) {
		pb_rng r = {pb_sized_seed(o->seed, m, MUTU_BASIS_POOLED, k) ^ 0x5ba7e1ULL};
		char *text = cabinet_text(&r, rules, m, k);
		mutu_cabinet cab;
		mutu_errors errs;
		mutu_errors_clear(&errs);
		if (!text || !ms[NWAYS - 1] || !cpu[NWAYS - 1] ||
		    mutu_cabinet_parse(&cab, rules, text, strlen(text), "bench", &errs) != 0) {
			fprintf(stderr, "bench: shapley: cannot build cabinet %zu\n", k);
			free(text);
			goto cleanup;
		}
		free(text);
		for (size_t w = 0; w < NWAYS; w++) {
			mutu_analysis_options ao = {.solve = {.goal = MUTU_GOAL_NET_BENEFIT,
							      .time_limit_ms = o->time_limit_ms},
						    .sharing = ways[w].rule,
						    .coalitions = ways[w].coalitions};
			mutu_analysis an;
			double t0 = now_ms(), c0 = cpu_ms();
			int arc = mutu_analysis_run_with(&an, rules, &cab, true, &ao);
			char *report =
			    arc == 0 ? mutu_report_solve(&an, MUTU_FORMAT_TEXT, false) : NULL;
			ms[w][k] = now_ms() - t0;
			cpu[w][k] = cpu_ms() - c0;
			if (!report) {
				fprintf(stderr, "bench: shapley: cabinet %zu failed\n", k);
				mutu_analysis_free(&an);
				mutu_cabinet_free(&cab);
				goto cleanup;
			}
			free(report);
			for (size_t g = 0; g < an.ngroups; g++) {
				solves[w] += (double)an.shares[g].solves;
				if (w == NWAYS - 1 && an.shares[g].members) {
					plans++;
					sampled += an.shares[g].sampled;
					gain += an.shares[g].gain_net > 0;
				}
			}
			mutu_analysis_free(&an);
		}
		mutu_cabinet_free(&cab);
	}
	printf("%-14s %4zu %6zu %6zu %5.0f", basis, m, count, plans, gain);
	for (size_t w = 0; w < NWAYS; w++) {
		qsort(ms[w], count, sizeof *ms[w], cmp_double);
		qsort(cpu[w], count, sizeof *cpu[w], cmp_double);
		printf(" | %8.2f %8.2f %8.2f %8.2f %6.0f", pct(ms[w], count, 50),
		       pct(ms[w], count, 99), pct(cpu[w], count, 50), pct(cpu[w], count, 99),
		       solves[w] / (double)count);
	}
	printf("%s\n", sampled ? "  (sampled)" : "");
	rc = 0;
cleanup:
	for (size_t w = 0; w < NWAYS; w++) {
		free(ms[w]);
		free(cpu[w]);
	}
	return rc;
}

int run_shapley(const options *o)
{
	mutu_rules base, pooled;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	if (mutu_rules_load(&base, o->rules, &errs) != 0) {
		fprintf(stderr, "bench: %s: cannot load the rules\n", o->rules);
		return 3;
	}
	/* Large groups: 30 ETP in all (as variants/large-groups.json), so
	 * that 30 members are not held below their individual contracts by
	 * the 10 ETP of the base rules. */
	mutu_rules large;
	const char *ptr[] = {"/mutualisation/max_etp_total", "/mutualisation/objective_basis"};
	const char *val[] = {"30", "pooled"};
	if (mutu_rules_vary(&large, &base, 1, ptr, val, &errs) != 0) {
		fprintf(stderr, "bench: %s: cannot vary max_etp_total\n", o->rules);
		mutu_rules_free(&base);
		return 3;
	}
	mutu_rules_free(&base);
	base = large;
	if (mutu_rules_vary(&pooled, &base, 2, ptr, val, &errs) != 0) {
		fprintf(stderr, "bench: %s: cannot vary the basis\n", o->rules);
		mutu_rules_free(&base);
		return 3;
	}
	size_t count = o->count > 0 ? (size_t)o->count : o->quick ? 10 : 50;
	printf("bench --shapley: %s with max_etp_total 30, commit %s, seed %llu, time limit %d "
	       "ms per solve\n",
	       o->rules, BENCH_COMMIT, (unsigned long long)o->seed, o->time_limit_ms);
	printf("One cabinet, one group of m GPs: ms per cabinet (analysis and text report), wall\n"
	       "clock and CPU time of the process; coal. = coalitions solved per cabinet (mean);\n"
	       "gain = groups whose plan gains (Shapley is used).\n");
	printf("%-14s %4s %6s %6s %5s | %-42s | %-42s | %-42s\n", "", "", "", "", "",
	       "plain (no coalitions)", "solve (coalitions <= 10)", "solve --sharing shapley");
	printf("%-14s %4s %6s %6s %5s", "basis", "m", "groups", "plans", "gain");
	for (size_t w = 0; w < NWAYS; w++)
		printf(" | %8s %8s %8s %8s %6s", "p50", "p99", "cpu p50", "cpu p99", "coal.");
	printf("\n");
	int rc = 0;
	for (size_t s = 0; s < o->nsizes && rc == 0; s++)
		for (int b = 0; b < 2 && rc == 0; b++) {
			size_t m = o->sizes[s];
			size_t n = m > 10 ? (count + 4) / 5 : count;
			if (!(o->bases & (1 << b)))
				continue;
			rc = run_size(o, b ? &pooled : &base, b ? "pooled" : "sum_individual", m,
				      n) != 0
				 ? 3
				 : 0;
			fflush(stdout);
		}
	mutu_rules_free(&pooled);
	mutu_rules_free(&base);
	mutu_solver_release();
	return rc;
}

/* mutu: one cabinet under one rules file: every doctor's individual
 * evaluation and, when asked, every specialty's pooled group solved; and
 * the reports of it (JSON, text, CSV), returned as strings.
 */
#ifndef MUTU_ANALYSIS_H
#define MUTU_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "mutu/cabinet.h"
#include "mutu/group.h"
#include "mutu/individual.h"
#include "mutu/rules.h"

typedef struct mutu_analysis {
	const mutu_rules *rules;
	const mutu_cabinet *cab;
	mutu_goal goal;
	mutu_doctor_eval *evals; /* one per doctor */
	mutu_group *groups;      /* one per specialty present, in rules order */
	mutu_group_solution *solutions;
	mutu_error *errors; /* per group: solver failure message */
	size_t ngroups;
} mutu_analysis;

/* Evaluates every doctor; with `solve`, forms and solves every group.  A
 * solver failure in one group is recorded in that group (status error)
 * and does not stop the others.  Returns 0 or MUTU_ENOMEM.  `rules` and
 * `cab` must outlive the analysis. */
int mutu_analysis_run(mutu_analysis *out, const mutu_rules *rules, const mutu_cabinet *cab,
		      bool solve, const mutu_solve_options *opts);

void mutu_analysis_free(mutu_analysis *a);

/* The individual baseline of group `g` (model.md §3): the members' best
 * individual contracts, summed. */
typedef struct mutu_baseline {
	double etp, objective, aid, net;
} mutu_baseline;

mutu_baseline mutu_analysis_baseline(const mutu_analysis *a, size_t g);

/* Whether group `g` has a pooled plan (optimal, or the best found within
 * the time limit when one was found). */
bool mutu_analysis_has_plan(const mutu_analysis *a, size_t g);

/* Whether some group ended in error (solver failure). */
bool mutu_analysis_failed(const mutu_analysis *a);

typedef enum mutu_format { MUTU_FORMAT_TEXT = 0, MUTU_FORMAT_JSON, MUTU_FORMAT_CSV } mutu_format;

/* Reports; each returns a NUL-terminated string the caller frees, or NULL
 * when out of memory.  JSON as formats.md "Individual result" and "Solve
 * result" (pretty unless `compact`). */
char *mutu_report_individual(const mutu_analysis *a, mutu_format fmt);
char *mutu_report_solve(const mutu_analysis *a, mutu_format fmt, bool compact);

/* The contract file (formats.md "Contract") for group `g`'s plan, or NULL
 * when that group has no plan. */
char *mutu_report_contract(const mutu_analysis *a, size_t g);

#endif

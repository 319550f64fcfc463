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
#include "mutu/i18n.h"
#include "mutu/individual.h"
#include "mutu/rules.h"
#include "mutu/sharing.h"

typedef struct mutu_analysis_options {
	mutu_solve_options solve;
	mutu_sharing_rule sharing; /* how each member's money is split (model.md §4b) */
	/* Marginal contributions and the blocking sub-group of groups of at
	 * most MUTU_COALITIONS_MAX members (every coalition solved). */
	bool coalitions;
	size_t shapley_orderings; /* sampled Shapley above 10 members; 0: default */
} mutu_analysis_options;

typedef struct mutu_analysis {
	const mutu_rules *rules;
	const mutu_cabinet *cab;
	mutu_goal goal;
	mutu_sharing_rule sharing;
	mutu_doctor_eval *evals; /* one per doctor */
	mutu_group *groups;      /* one per specialty present, in rules order */
	mutu_group_solution *solutions;
	mutu_sharing *shares; /* per group: each member's money (members NULL without a plan) */
	mutu_error *errors;   /* per group: solver failure message */
	size_t ngroups;
} mutu_analysis;

/* Evaluates every doctor; with `solve`, forms and solves every group and
 * splits each plan among its members.  A solver failure in one group
 * (also in one of its coalitions) is recorded in that group (status
 * error) and does not stop the others.  Returns 0 or MUTU_ENOMEM.
 * `rules` and `cab` must outlive the analysis; free it with
 * mutu_analysis_free, also on failure.  NULL `opts`: the defaults
 * (goal net_benefit, sharing patients, no coalitions). */
int mutu_analysis_run_with(mutu_analysis *out, const mutu_rules *rules, const mutu_cabinet *cab,
			   bool solve, const mutu_analysis_options *opts);

/* The same with the solver options only: sharing patients, no
 * coalitions. */
int mutu_analysis_run(mutu_analysis *out, const mutu_rules *rules, const mutu_cabinet *cab,
		      bool solve, const mutu_solve_options *opts);

/* Frees what the analysis owns; NULL and zeroed analyses are fine. */
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

/* The special rules applied to doctor `d` and the options he may not
 * take, each one sentence (model.md §2, §4): aged 65 or more, newly
 * installed, an option not open in the zone or to the specialty or whose
 * `requires` he does not meet, and, when an eligible doctor has no
 * individual contract, the reason that binds.  Writes at most `max`
 * notes of MUTU_NOTE_SIZE bytes into `notes`; returns how many there are. */
#define MUTU_NOTE_SIZE 200
size_t mutu_analysis_notes(const mutu_analysis *a, size_t d, char (*notes)[MUTU_NOTE_SIZE],
			   size_t max);

/* Why eligible doctor `d` has no individual contract, the constraint that
 * binds: no option allowed, every allowed option over capacity, or every
 * option within capacity with a net below zero.  NULL when he has one or
 * is not eligible (see the evaluation's reason). */
const char *mutu_analysis_no_contract(const mutu_analysis *a, size_t d);

/* Whether some group ended in error (solver failure). */
bool mutu_analysis_failed(const mutu_analysis *a);

/* The order of --format's names (text, json, csv, html). */
typedef enum mutu_format {
	MUTU_FORMAT_TEXT = 0,
	MUTU_FORMAT_JSON,
	MUTU_FORMAT_CSV,
	MUTU_FORMAT_HTML /* one self-contained page (inline CSS and SVG) */
} mutu_format;

/* How a report is written.  Zero-initialised: text, in French, pretty.
 * `lang` applies to text and HTML only: JSON and CSV are locale-free. */
typedef struct mutu_report_options {
	mutu_format format;
	mutu_lang lang;
	bool compact; /* JSON on one line; CSV without its header row */
} mutu_report_options;

/* Reports; each returns a NUL-terminated string the caller frees, or NULL
 * when out of memory.  JSON as formats.md "Individual result" and "Solve
 * result" (pretty unless `compact`).  The forms without options write
 * text and HTML in French. */
char *mutu_report_individual(const mutu_analysis *a, mutu_format fmt);
char *mutu_report_solve(const mutu_analysis *a, mutu_format fmt, bool compact);
char *mutu_report_individual_with(const mutu_analysis *a, const mutu_report_options *o);
char *mutu_report_solve_with(const mutu_analysis *a, const mutu_report_options *o);

/* The contract file (formats.md "Contract") for group `g`'s plan, or NULL
 * when that group has no plan. */
char *mutu_report_contract(const mutu_analysis *a, size_t g);

#endif

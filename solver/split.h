/* The split of one pooled plan (model.md §4 "Allocation and split") once
 * its total ETP E and its objective T are fixed: whole units of assistant
 * time k_i (a_i = w k_i, sum k_i = floor(E / w)) and whole patients x_i
 * (sum x_i = T, floors, capacities), and the least largest growth rate
 * u = max x_i / P_i.  Decided exactly by a dynamic program over members
 * (see split.c); no LP solver.  Internal to the library.
 */
#ifndef MUTU_SPLIT_H
#define MUTU_SPLIT_H

#include <stdbool.h>
#include <stddef.h>

#include "mutu/group.h"

typedef struct split {
	const mutu_group_problem *gp;
	double w, pg;
	long kmax;       /* most units of one member */
	bool floors;     /* the floor of model.md §4 (off: to say which constraint binds) */
	double deadline; /* mutu_clock_s() time to give up at, 0 = none */
	/* Scratch of the dynamic program, grown on demand. */
	double *best, *next;
	long *pick;
	size_t cap, pickcap;
	size_t *order; /* members by decreasing gain per unit; NULL: none */
} split;

/* Prepares `s` for `gp` (which must outlive it); free with
 * mutu_split__free. */
void mutu_split__init(split *s, const mutu_group_problem *gp, bool floors);
void mutu_split__free(split *s);

/* Units of assistant time of a plan of `etp` ETP: floor(E / w). */
long mutu_split__units(const split *s, double etp);

/* Every function below returns -2 when out of memory and -3 when the
 * deadline passed. */

/* Whether a split of `objective` patients with `etp` ETP exists: 1 or 0. */
int mutu_split__feasible(split *s, double etp, double objective);

/* The largest objective T <= `hi` with a split at `etp` ETP (the feasible
 * T form a down-set: a plan for T gives one for T - 1), or -1 when none. */
double mutu_split__max_objective(split *s, double etp, double hi);

/* The same, starting the search from `known`, a T that probably has a
 * split (checked, so any value is safe; -1: none). */
double mutu_split__max_objective_above(split *s, double etp, double known, double hi);

/* The least largest rate u of a split of `objective` with `etp` ETP, and
 * such a split in `k` and `x` (m values each, may be NULL).  Returns u,
 * or -1 when there is no split. */
double mutu_split__min_rate(split *s, double etp, double objective, double *k, double *x);

#endif

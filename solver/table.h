/* The exact table of sum_individual (model.md §4 "Solving"): for every
 * ETP E = v / G on the grid and every whole T, the largest NET of the
 * members' option choices with that E and T, and the choices of any
 * cell.  Internal to the solver (model.c).
 */
#ifndef MUTU_TABLE_H
#define MUTU_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "mutu/group.h"

/* The cells asked for: v in [box[0], box[1]], t in [box[2], box[3]]. */
typedef struct table {
	long box[4];
	double theta;      /* choices that cannot reach a NET of theta in the box are left out */
	double bound;      /* the Lagrangian bound on the NET of the box's plans */
	double lambda, mu; /* its prices of a patient and of a unit of E */
	size_t steps;      /* cell updates of the fill */
	size_t tsteps;     /* and of mutu_table__tighten */
	size_t bytes;      /* memory of the fill */
	size_t m, nc;      /* members, choices */
	size_t *first;     /* member i's choices: first[i] .. first[i + 1] - 1 */
	double *net;       /* per choice, in member order: its NET, units and patients */
	long *dv, *dt;
	unsigned char *keep; /* per choice: kept by the bound */
	bool *none;          /* per member: may take no option */
	/* The window of cells after member i: lv <= v <= hv, lt <= t <= ht. */
	long *lv, *hv, *lt, *ht;
	bool usable;         /* every choice on the grid and whole: the plan is made */
	bool empty;          /* no cell of the box is reachable */
	bool tight;          /* narrowed by mutu_table__tighten: the fill prunes its cells */
	size_t *at;          /* where member i's window starts in took */
	double *f;           /* the last member's window, row by row; -HUGE_VAL: none */
	unsigned char *took; /* 1 + the choice member i's step took for a cell, 0 none */
} table;

/* Tables beyond these are not filled. */
#define TABLE_BYTES ((size_t)48 << 20)
#define TABLE_STEPS ((size_t)400 << 20)
/* Tables quick to fill: about 20 ms and 1.5 ms on x86-64. */
#define TABLE_QUICK ((size_t)16 << 20)
#define TABLE_SMALL ((size_t)1 << 20)
/* A window of several T whose table is beyond this is not narrowed by
 * mutu_table__tighten but tried one T wide. */
#define TABLE_WIDE ((size_t)64 << 20)

/* Sets up the table of `gp` on grid G (units of 1 / G ETP) for `box`,
 * leaving out every choice that no plan of the box with a NET of at
 * least theta (-HUGE_VAL: none left out) can take; `like`, a table of
 * the same box planned before (or NULL), gives its bound's prices.  *fits is false when a
 * choice is off the grid or its objective not whole, or when the fill
 * would exceed TABLE_BYTES or TABLE_STEPS; tb->steps then says nothing.
 * Returns 0 or MUTU_ENOMEM.  Free with mutu_table__free either way. */
int mutu_table__plan(table *tb, const mutu_group_problem *gp, long G, const long box[4],
		     double theta, const table *like, bool *fits);

/* The bound of a planned table (tb->bound, with its prices lambda and
 * mu); a table planned at theta = -HUGE_VAL without `like` has none
 * (bound HUGE_VAL) until this is called. */
void mutu_table__price(table *tb);

/* Narrows a planned table by its bound with T kept exact (the largest
 * sum of NET - mu E over the kept choices at each T, members before and
 * after a cell apart): tb->bound becomes the least of both bounds, and
 * at a theta above -HUGE_VAL the choices and the cells of T that no plan
 * of NET theta takes are left out (tb->empty when there is none).  Costs
 * about the fill of a table one unit of E wide.  *fits as for
 * mutu_table__plan.  Returns 0 or MUTU_ENOMEM. */
int mutu_table__tighten(table *tb, bool *fits);

/* The bound with T exact alone (tb->bound becomes the least of both),
 * leaving the table as it is: a third of mutu_table__tighten's steps
 * (tb->tsteps).  Returns 0 or MUTU_ENOMEM. */
int mutu_table__t_bound(table *tb);

/* Whether mutu_table__tighten costs little beside the fill (a quarter
 * of its steps at most: the table is several units of E wide). */
bool mutu_table__cheap_tighten(const table *tb);

/* A table filled without its bound when this small (steps). */
#define TABLE_DIRECT ((size_t)256 << 10)

/* Fills a planned table that fits.  Returns 0 or MUTU_ENOMEM. */
int mutu_table__fill(table *tb);

/* The largest NET with E = v / G and T = t: exact for every cell whose
 * largest NET is at least theta; -HUGE_VAL outside the box or when no
 * kept choices reach it. */
double mutu_table__at(const table *tb, long v, long t);

/* Row v of the filled table: NETs for T = *t0 .. *t1 (index t - *t0);
 * NULL when the row is outside the box or nothing reaches it. */
const double *mutu_table__row(const table *tb, long v, long *t0, long *t1);

/* The choices of a reached cell (v, t) into `choice` (m values, -1 none). */
void mutu_table__choices(const table *tb, long v, long t, long *choice);

/* Which cells of a planned table some kept choices reach, whatever their
 * NET: a byte per cell of the last window (*map, NULL when the table is
 * empty; the caller frees it), eight cells at a time, so far cheaper
 * than the fill.  Returns 0 or MUTU_ENOMEM. */
int mutu_table__reach(const table *tb, unsigned char **map);

/* Whether cell (v, t) is reached in `map` (mutu_table__reach of tb). */
bool mutu_table__reached(const table *tb, const unsigned char *map, long v, long t);

void mutu_table__free(table *tb);

#endif

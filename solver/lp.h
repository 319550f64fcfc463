/* A mixed-integer linear program described in plain arrays, and the GLPK
 * driver that solves it.  This module is the only user of glp_*: it checks
 * every index and bound before handing them to GLPK (which aborts on
 * misuse), turns GLPK's fatal errors into error returns through an error
 * hook, and checks both return codes and solution status.
 */
#ifndef MUTU_LP_H
#define MUTU_LP_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

#include "mutu/error.h"

typedef enum lp_kind { LP_CONTINUOUS = 0, LP_BINARY, LP_INTEGER } lp_kind;
typedef enum lp_bound { LP_LOWER = 0, LP_UPPER, LP_FIXED } lp_bound;

typedef enum lp_status {
	LP_OPTIMAL = 0,
	LP_FEASIBLE,   /* a solution, optimality not proven (time limit) */
	LP_INFEASIBLE, /* proven: no integer feasible solution */
	LP_NO_SOLUTION /* time limit before any solution */
} lp_status;

typedef struct lp_col {
	char name[48];
	lp_kind kind;
	double lb, ub; /* ub = HUGE_VAL: none */
	double obj;
} lp_col;

typedef struct lp_row {
	char name[48];
	lp_bound type;
	double rhs;
	size_t start, len; /* into the model's index/value arrays */
} lp_row;

typedef struct lp_model {
	bool maximize;
	lp_col *cols;
	size_t ncols, capcols;
	lp_row *rows;
	size_t nrows, caprows;
	const double *start; /* a feasible solution to start from (ncols values), or NULL */
	size_t *idx;         /* 0-based column indices */
	double *val;
	size_t nnz, capnz;
} lp_model;

typedef struct lp_result {
	lp_status status;
	double obj;
	double *x; /* ncols values, owned by the caller of lp_solve */
	int nodes;
} lp_result;

void mutu_lp__init(lp_model *m);
void mutu_lp__free(lp_model *m);

/* Appends a column; returns its 0-based index or -1 on allocation failure. */
long mutu_lp__add_col(lp_model *m, const char *name, lp_kind kind, double lb, double ub,
		      double obj);

/* Appends a row sum(val[k] x[idx[k]]) (>=, <=, =) rhs; returns its index or -1. */
long mutu_lp__add_row(lp_model *m, const char *name, lp_bound type, double rhs, size_t n,
		      const size_t *idx, const double *val);

/* Sets every objective coefficient to zero. */
void mutu_lp__clear_obj(lp_model *m);

/* Solves the MIP.  `time_limit_ms` 0 means none.  Returns 0 (see
 * res->status), MUTU_ENOMEM, or MUTU_ESOLVER with `err` filled.  res->x
 * is allocated here (ncols values) and freed by the caller. */
int mutu_lp__solve(const lp_model *m, int time_limit_ms, lp_result *res, mutu_error *err);

/* A model kept in GLPK between solves that change only column bounds and
 * the objective: each solve starts the simplex from the previous basis.
 * For sequences of LPs over the same rows (the pooled basis's levels). */
typedef struct lp_session {
	void *prob; /* glp_prob; NULL when GLPK failed inside and the model is gone */
	int *ind;
	double *val;
} lp_session;

/* Builds the model in GLPK.  Returns 0, MUTU_ENOMEM or MUTU_ESOLVER (an
 * invalid model).  A GLPK failure here leaves a session that falls back to
 * lp_solve. */
int mutu_lp__session_open(lp_session *s, const lp_model *m, mutu_error *err);

/* Solves `m` (same columns and rows as at open; bounds and objective may
 * differ) as an LP: every binary column must be fixed.  Falls back to
 * lp_solve when the warm start fails.  Same returns as lp_solve. */
int mutu_lp__session_solve(lp_session *s, const lp_model *m, lp_result *res, mutu_error *err);

void mutu_lp__session_close(lp_session *s);

/* Writes the model in CPLEX LP format (lp) or free MPS format to `to`
 * (`name` in messages, may be NULL), the lines of `comment` (may be NULL) after it as
 * comments of the format.  Returns 0, MUTU_ESOLVER (invalid model),
 * MUTU_EIO or MUTU_ENOMEM. */
int mutu_lp__write(const lp_model *m, bool lp, const char *comment, FILE *to, const char *name,
		   mutu_error *err);

/* Fault injection for the tests of the error hook: when set on a thread,
 * the next lp_solve calls on it make GLPK fail inside its guarded region
 * (a call with a column index out of range) on the first attempt
 * (LP_FAULT_PRESOLVE) or on every attempt (LP_FAULT_ALWAYS), or make
 * branch-and-cut report a basis factorisation failure (GLP_EFAIL) on the
 * first attempt (LP_FAULT_EFAIL). */
enum { LP_FAULT_NONE = 0, LP_FAULT_PRESOLVE, LP_FAULT_ALWAYS, LP_FAULT_EFAIL };
extern _Thread_local int mutu_lp__fault_injection;

/* Frees this thread's GLPK environment (call when a worker ends). */
void mutu_lp__thread_done(void);

#endif

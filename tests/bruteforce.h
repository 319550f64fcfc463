/* Tests only: an independent brute-force solver of a mutu_group_problem
 * (model.md §4), used to check mutu_group_solve on small problems.
 *
 * It uses no LP solver.  Every discrete choice combination is enumerated;
 * for each, the split (whole units of assistant time k_i, whole patients
 * x_i) is decided exactly by trying every k_i of every member, combined by
 * a dynamic program over members (see bruteforce.c), and the smallest
 * growth rate u by bisection over the rates n / P_i it can take.  The lexicographic stages are then
 * applied over the combinations, each stage keeping every combination within the stage tolerance of
 * the previous optimum.
 */
#ifndef MUTU_TESTS_BRUTEFORCE_H
#define MUTU_TESTS_BRUTEFORCE_H

#include "mutu/group.h"

/* Largest problem bf_solve accepts. */
#define BF_MAX_MEMBERS 10
#define BF_MAX_COMBOS 1000000UL

enum {
	BF_CONTRACT = 0,    /* a plan was found */
	BF_NO_CONTRACT = 1, /* no feasible plan (or net < 0, see model.md §4) */
	BF_TOO_LARGE = -1   /* more members or combinations than the limits */
};

/* Numerical tolerances.  The nominal ones (bf_nominal) mirror the model;
 * the others let a test tell a genuine disagreement from a problem that
 * sits on the edge of a constraint or of a stage tolerance. */
typedef struct bf_tolerances {
	double feas_slack; /* relative, on phi P_i T / P_G (x (1 + s)) and on the
			      capacities (x (1 - s)) before rounding to whole
			      patients; > 0 is stricter, < 0 looser */
	double stage_tol;  /* relative tolerance kept between lexicographic stages */
	double net_zero;   /* a plan has "net >= 0" when net >= net_zero */
} bf_tolerances;

extern const bf_tolerances bf_nominal;

typedef struct bf_result {
	int status; /* BF_CONTRACT or BF_NO_CONTRACT */
	/* The chosen plan (zero when no contract). */
	double net, max_rate, etp, objective, aid;
	long level;                  /* pooled: level index, -1 otherwise */
	long choice[BF_MAX_MEMBERS]; /* sum_individual: choice per member, -1 none */
	double a[BF_MAX_MEMBERS];    /* an allocation reaching max_rate (ETP, w k_i) */
	double x[BF_MAX_MEMBERS];
	/* Diagnostics. */
	unsigned long combos;   /* combinations enumerated */
	unsigned long feasible; /* of which feasible */
	unsigned long kept[2];  /* combinations kept after stages 1 and 2 */
} bf_result;

/* Solves `gp` (goal gp->goal) with the nominal tolerances.  Returns
 * BF_CONTRACT, BF_NO_CONTRACT (out->status is the same) or BF_TOO_LARGE. */
int bf_solve(const mutu_group_problem *gp, bf_result *out);

/* Same with explicit tolerances. */
int bf_solve_tol(const mutu_group_problem *gp, const bf_tolerances *tol, bf_result *out);

/* The split for a fixed E and T (model.md §4 "Allocation and split"),
 * nominal tolerances: the largest sum_i U_i(k_i) over whole units with
 * every floor met and x_i <= u P_i (u = INFINITY: no rate cap).  Returns
 * that sum, or -1 when the floors or the ETP bounds cannot be met.
 * Exposed so that tests can check it by hand. */
double bf_max_patients(const mutu_group_problem *gp, double etp, double objective, double u);

/* The least u for which a plan with this E and T exists, or -1 when none
 * does. */
double bf_min_rate(const mutu_group_problem *gp, double etp, double objective);

#endif

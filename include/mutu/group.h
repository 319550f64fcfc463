/* mutu: the pooled contract of one structure and one specialty
 * (model.md §3-§4).
 *
 * Solving goes in two steps.  mutu_group_form picks the members and builds
 * a mutu_group_problem: plain numbers only (capacities, the candidate
 * notional options or ETP levels with their objective and discounted aid).
 * mutu_group_solve then optimises that problem exactly, in whole units of
 * assistant time and whole patients: the total ETP E takes few values
 * (the pooled levels, or the sums of option ETPs), so it goes level by
 * level, in the order of a bound, pruning levels that cannot beat the best
 * found; for a fixed E and T the split is decided by a dynamic program over
 * members (solver/split.c), and for a fixed E the choice of notional
 * options is a multiple-choice knapsack solved by GLPK.  Tests and
 * checkers build problems directly.
 */
#ifndef MUTU_GROUP_H
#define MUTU_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mutu/cabinet.h"
#include "mutu/error.h"
#include "mutu/individual.h"
#include "mutu/rules.h"

typedef enum mutu_goal { MUTU_GOAL_NET_BENEFIT = 0, MUTU_GOAL_PATIENTS } mutu_goal;

/* One discrete choice: a member's notional option (sum_individual) or a
 * group ETP level (pooled). */
typedef struct mutu_gp_choice {
	double etp;       /* ETP it brings */
	double objective; /* patients it commits */
	double aid;       /* discounted aid over the horizon */
	long option;      /* rules option index (sum_individual), -1 otherwise */
} mutu_gp_choice;

typedef struct mutu_gp_member {
	double p;                /* P_i */
	double headroom;         /* h_i */
	double gain;             /* g_i */
	double max_new;          /* M_i, < 0 when none */
	mutu_gp_choice *choices; /* sum_individual only */
	size_t nchoices;
} mutu_gp_member;

typedef struct mutu_group_problem {
	mutu_basis basis;
	mutu_goal goal;
	size_t m;
	mutu_gp_member *members;
	mutu_gp_choice *levels; /* pooled only */
	size_t nlevels;
	double cost_per_etp;      /* S x c: discounted cost of one ETP */
	double value_per_patient; /* S x v: discounted value of one patient */
	double floor_share;       /* phi */
	double max_etp_per_doctor;
	double max_etp_total;
	double etp_unit; /* w: each a_i is a whole multiple of it; 0 reads as 0.1 */
} mutu_group_problem;

/* The unit w of assistant time of `gp` (model.md §4 "Allocation"). */
double mutu_gp_etp_unit(const mutu_group_problem *gp);

typedef enum mutu_group_status {
	MUTU_GROUP_OPTIMAL = 0,
	MUTU_GROUP_NO_CONTRACT,
	MUTU_GROUP_NO_GROUP,
	MUTU_GROUP_TIME_LIMIT,
	MUTU_GROUP_ERROR
} mutu_group_status;

typedef enum mutu_binding {
	MUTU_BIND_NONE = 0,
	MUTU_BIND_NO_OPTION, /* no option or ETP level available */
	MUTU_BIND_CAPACITY,  /* no plan fits the members' capacity */
	MUTU_BIND_FLOOR,     /* plans fit only without the floor share */
	MUTU_BIND_NET        /* every feasible plan has a negative net */
} mutu_binding;

typedef struct mutu_group_solution {
	mutu_group_status status;
	mutu_binding binding;
	double etp, objective, aid, cost, value, net;
	double max_rate;       /* u */
	long level;            /* pooled: chosen level index, -1 none */
	long *choice;          /* sum_individual: chosen choice index per member, -1 none */
	double *assistant_etp; /* a_i */
	double *patients;      /* x_i */
	double seconds;
	int nodes;  /* branch-and-bound nodes reported by GLPK, summed over stages */
	bool table; /* sum_individual: the stages were read from the exact table */
} mutu_group_solution;

typedef struct mutu_solve_options {
	mutu_goal goal;
	int time_limit_ms; /* per group, 0 = none */
	/* sum_individual: GLPK's level MIPs even where the exact table of
	 * model.md §4 "Solving" fits (tests and bench compare the two). */
	bool mip_only;
} mutu_solve_options;

/* NET of a choice: aid - cost_per_etp x etp + value_per_patient x objective. */
double mutu_gp_choice_net(const mutu_group_problem *gp, const mutu_gp_choice *c);

/* Optimises `gp` lexicographically (model.md §4).  Returns 0 when the
 * solver ran (status in `out`, which may be no_contract), MUTU_ENOMEM, or
 * MUTU_ESOLVER with a message in `err` (out->status = error).  `out` is
 * owned by the caller: free with mutu_group_solution_free. */
int mutu_group_solve(mutu_group_solution *out, const mutu_group_problem *gp,
		     const mutu_solve_options *opts, mutu_error *err);

/* NULL and zeroed solutions are fine. */
void mutu_group_solution_free(mutu_group_solution *sol);

/* Each group builds and frees GLPK problems of a few hundred kilobytes;
 * glibc's default gives such memory back to the system at every free and
 * faults it in again at the next build, which cost up to 6 times the
 * solve itself on large groups (bench/README.md).  Call once at program
 * start to keep freed memory instead; a no-op off glibc. */
void mutu_solver_tune_allocator(void);

/* Frees the solver state of the calling thread (GLPK keeps one per
 * thread); call it when a thread that solved groups is done. */
void mutu_solver_release(void);
/* NULL and zeroed problems are fine. */
void mutu_group_problem_free(mutu_group_problem *gp);

/* Writes the stage-1 model of `gp` in CPLEX LP (lp = true) or free MPS
 * format to `path`, naming columns and rows after `member_ids` (one per
 * member) and `option_ids` (rules option ids; either may be NULL).
 * Returns 0 or MUTU_EIO / MUTU_ESOLVER / MUTU_ENOMEM. */
int mutu_group_export(const mutu_group_problem *gp, const char *const *member_ids,
		      const char *const *option_ids, bool lp, const char *path, mutu_error *err);

/* The same model written to the stream `out` (through a temporary file:
 * GLPK writes only to named files).  Same returns. */
int mutu_group_export_stream(const mutu_group_problem *gp, const char *const *member_ids,
			     const char *const *option_ids, bool lp, FILE *out, mutu_error *err);

/* A notional option a member cannot bring (sum_individual), and why. */
typedef struct mutu_option_refusal {
	size_t member; /* index into the group's members */
	size_t option; /* rules option index */
	char reason[160];
} mutu_option_refusal;

/* A group as formed from a cabinet for one specialty. */
typedef struct mutu_group {
	size_t specialty;
	size_t *members; /* doctor indices */
	size_t nmembers;
	size_t *excluded; /* doctor indices */
	char (*excluded_reason)[160];
	size_t nexcluded;
	bool formed;
	char reason[200];              /* why no group, when !formed */
	mutu_band band;                /* group band (pooled basis) */
	mutu_option_refusal *refusals; /* sum_individual: options members cannot bring */
	size_t nrefusals;
	mutu_group_problem problem;
} mutu_group;

/* Forms the group of `specialty` in `cab` (model.md §4 "Members") and
 * builds its problem, using the doctors' evaluations `evals` (one per
 * doctor).  Returns 0 or MUTU_ENOMEM. */
int mutu_group_form(mutu_group *out, const mutu_rules *rules, const mutu_cabinet *cab,
		    const mutu_doctor_eval *evals, size_t specialty, mutu_goal goal);

/* NULL and zeroed groups are fine. */
void mutu_group_free(mutu_group *g);

/* The pooled basis (model.md §4), shared by the optimiser, the reports and
 * the contract checks so that all three compute the same figures. */

/* Whether option `o` is open to doctors of `specialty` in the cabinet's
 * zone (its `requires` is not checked). */
bool mutu_option_open(const mutu_option *o, const mutu_cabinet *cab, size_t specialty);

/* Whether doctor `d` may bring option `option` as his notional option
 * (model.md §4 "sum_individual"): open in the zone and to his specialty
 * and, under notional_conditions "apply", its `requires` met by an
 * assistant contract of the required option started at least the
 * required years before the start and running until the day before it or
 * later.  When not, `why` (may be NULL) gets the reason. */
bool mutu_notional_allowed(const mutu_rules *rules, const mutu_cabinet *cab, const mutu_doctor *d,
			   size_t option, char *why, size_t size);

/* Group band b_G: the band of the mean P_G / m of `m` members whose
 * metric values sum to `pg`; B0 when m = 0. */
mutu_band mutu_group_band(const mutu_rules *rules, size_t specialty, double pg, size_t m);

/* Objective rate per doctor-ETP `e` for group band `band` (B0 reads the
 * p30_p50 rates): the piecewise-linear curve through (0, 0) and the
 * (etp, rate) of the options open in the cabinet's zone and specialty,
 * flat beyond the last point. */
double mutu_pooled_rate(const mutu_rules *rules, const mutu_cabinet *cab, size_t specialty,
			mutu_band band, double e);

/* T_n = ceil(rate(E / m) x P_G) for `m` members (m >= 1), `pg` = P_G. */
double mutu_pooled_objective(const mutu_rules *rules, const mutu_cabinet *cab, size_t specialty,
			     double pg, size_t m, double etp);

/* Largest pooled ETP for `m` members: step x N, N = floor(min(max_etp_per_doctor
 * x m, max_etp_total) / step). */
double mutu_pooled_max_etp(const mutu_rules *rules, size_t m);

/* Undiscounted aid of `etp` ETP in contract year k (1-based) for group
 * band `band`: etp x the reference option's aid(k, band) / its etp (B0
 * reads the base aid). */
double mutu_pooled_aid_year(const mutu_rules *rules, mutu_band band, double etp, int k);

#endif

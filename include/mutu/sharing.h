/* mutu: each member's money in a pooled plan (model.md §4b): the split of
 * the gain of pooling by a sharing rule, the gain game of the coalitions
 * of members and its Shapley value, each member's marginal contribution
 * and the sub-group that would do better on its own.
 *
 * Two layers.  The game (mutu_game) knows nothing of cabinets: a
 * coalition's value comes from a callback, so tests can play it on plain
 * problems.  mutu_group_game plays it on a group formed from a cabinet,
 * each coalition's problem built by mutu_coalition_problem and solved by
 * mutu_group_solve.
 */
#ifndef MUTU_SHARING_H
#define MUTU_SHARING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mutu/cabinet.h"
#include "mutu/error.h"
#include "mutu/group.h"
#include "mutu/individual.h"
#include "mutu/rules.h"

typedef enum mutu_sharing_rule {
	MUTU_SHARING_PATIENTS = 0, /* s_i = x_i / T (the default) */
	MUTU_SHARING_EQUAL,        /* s_i = 1 / m */
	MUTU_SHARING_LIST,         /* s_i = P_i / P_G */
	MUTU_SHARING_SHAPLEY       /* s_i = sigma_i / gain_net, gain game */
} mutu_sharing_rule;

/* "patients", "equal", "list", "shapley", then NULL (a CLI choice list). */
extern const char *const mutu_sharing_names[];

/* Groups up to this size get the exact Shapley value, their marginal
 * contributions and their blocking sub-group (2^m - 1 coalitions). */
#define MUTU_COALITIONS_MAX 10

/* ---- the gain game ------------------------------------------------------ */

/* The value of a coalition: NET_G(C), the optimum of model.md §4 under
 * goal net_benefit for the members in[0..k) (indices in 0..m-1, rising)
 * alone, 0 when C has no plan.  Returns 0, MUTU_ENOMEM or MUTU_ESOLVER
 * with a message in `err`. */
typedef int (*mutu_game_net_fn)(void *ctx, const size_t *in, size_t k, double *net,
				mutu_error *err);

/* Optionally, an upper bound on NET_G(C) that costs no solve: a coalition
 * whose bound is at most what its members get alone has gamma = 0 and is
 * not solved.  Returns false when it has no bound. */
typedef bool (*mutu_game_bound_fn)(void *ctx, const size_t *in, size_t k, double *bound);

typedef struct mutu_game {
	size_t m;
	const double *alone; /* NET_i*, m entries */
	size_t min_size;     /* gamma(C) = 0 when |C| < min_size (min_doctors) */
	mutu_game_net_fn net;
	mutu_game_bound_fn bound; /* may be NULL */
	void *ctx;
	/* Filled as the game is played: coalitions solved, and pruned by
	 * the bound. */
	size_t solves, pruned;
} mutu_game;

/* gamma(C) = max(0, NET_G(C) - sum_{j in C} NET_j*) for the coalition
 * in[0..k).  Same returns as mutu_game_net_fn. */
int mutu_game_gain(mutu_game *g, const size_t *in, size_t k, double *gain, mutu_error *err);

/* Every coalition's gain, solved once each: gains[mask] for the 2^m
 * masks (bit i: member i), gains[0] = 0.  m <= MUTU_COALITIONS_MAX.
 * `gains` has 2^m entries.  Same returns. */
int mutu_game_all_gains(mutu_game *g, double *gains, mutu_error *err);

/* The exact Shapley value of the gain game from gains[] of
 * mutu_game_all_gains: phi[i] = sum over C not holding i of
 * |C|! (m - |C| - 1)! / m! (gamma(C + i) - gamma(C)). */
void mutu_shapley_exact(size_t m, const double *gains, double *phi);

/* A Shapley estimate from sampled orderings of the members, taken in
 * antithetic pairs (an ordering and its reverse), mt19937 seeded with
 * `seed`: phi[i] the mean marginal gain of member i, se[i] its standard
 * error (over the pairs).  At most `orderings` orderings (an odd count is
 * rounded up); with `max_solves` > 0, no new pair once that many
 * coalitions were solved, after at least MUTU_SHAPLEY_MIN_ORDERINGS
 * (a budget counted in solves, not seconds, so the same input gives the
 * same estimate).  *used gets the orderings drawn.  Each coalition is
 * solved once (cached).  Same returns. */
#define MUTU_SHAPLEY_MIN_ORDERINGS 10
int mutu_shapley_sampled(mutu_game *g, size_t orderings, size_t max_solves, unsigned long seed,
			 double *phi, double *se, size_t *used, mutu_error *err);

/* ---- a group's game ----------------------------------------------------- */

/* The problem of the coalition of members subset[0..k) (indices into
 * g->members, rising) of the formed group `g`: the members' entries
 * copied, the goal net_benefit, and under the pooled basis the levels,
 * band and ETP cap recomputed for these members (model.md §4).  Returns 0
 * or MUTU_ENOMEM; free `out` with mutu_group_problem_free (on failure it
 * holds nothing to free). */
int mutu_coalition_problem(mutu_group_problem *out, const mutu_rules *rules,
			   const mutu_cabinet *cab, const mutu_group *g, const size_t *subset,
			   size_t k);

/* What mutu_group_game needs to solve coalitions of group `g`; opaque
 * scratch space after the inputs. */
typedef struct mutu_group_game_ctx {
	const mutu_rules *rules;
	const mutu_cabinet *cab;
	const mutu_group *group;
	mutu_solve_options solve; /* the goal is forced to net_benefit */
	/* When the grand coalition was already solved under net_benefit,
	 * its net (else NAN): not solved again. */
	double grand_net;
	mutu_group_problem scratch;
	size_t levels_cap;
} mutu_group_game_ctx;

/* Sets up `game` over the members of `g` with individual nets `alone`
 * (one per member) and `ctx` (filled here; release with
 * mutu_group_game_free).  Returns 0 or MUTU_ENOMEM. */
int mutu_group_game(mutu_game *game, mutu_group_game_ctx *ctx, const mutu_rules *rules,
		    const mutu_cabinet *cab, const mutu_group *g, const double *alone,
		    const mutu_solve_options *solve);
/* NULL is fine. */
void mutu_group_game_free(mutu_group_game_ctx *ctx);

/* ---- each member's money ------------------------------------------------ */

typedef struct mutu_member_share {
	double half_days;      /* k_i: whole units of etp_unit a week */
	double assistant_etp;  /* a_i */
	double patients;       /* x_i */
	double capacity;       /* P_i (h_i + g_i a_i), capped by max_new */
	double key;            /* s_i */
	double cost;           /* COST_i = S c a_i */
	double value;          /* VALUE_i = Sv v x_i */
	double aid;            /* AID_i = NET_i + COST_i - VALUE_i (< 0: a transfer) */
	double net;            /* NET_i = NET_i* + s_i gain_net */
	double individual_net; /* NET_i* */
	double gain;           /* NET_i - NET_i* */
	double shapley;        /* sigma_i (shapley only) */
	double shapley_se;     /* its standard error (sampled), 0 when exact */
	double marginal;       /* v(G) - v(G - i) (coalitions only) */
} mutu_member_share;

typedef struct mutu_sharing {
	mutu_sharing_rule rule; /* asked */
	mutu_sharing_rule used; /* shapley falls back to patients when gain_net <= 0 */
	size_t m;
	mutu_member_share *members;
	double gain_net; /* NET_G - sum NET_i* */
	bool shapley;    /* Shapley values computed */
	bool sampled;    /* ... estimated from sampled orderings */
	size_t orderings;
	bool coalitions; /* marginal contributions and the blocking test done */
	/* The largest sub-group C with v(C) > sum_{i in C} NET_i + 1 euro
	 * (NULL, 0 when none): member indices, what they would get
	 * together on their own, and what their shares give them. */
	size_t *blocking;
	size_t nblocking;
	double blocking_alone, blocking_shares;
	size_t solves, pruned; /* coalition solves, coalitions skipped by the bound */
} mutu_sharing;

/* The unit w of assistant time of `gp` (model.md §4 "Allocation"). */
double mutu_sharing_etp_unit(const mutu_group_problem *gp);

/* Splits the plan `sol` of `gp` (which has a plan) among its members
 * under `rule`, with `alone` the members' individual nets NET_i* and,
 * for shapley, `sigma` their Shapley values (may be NULL otherwise).
 * Returns 0 or MUTU_ENOMEM; free with mutu_sharing_free (also on
 * failure). */
int mutu_sharing_split(mutu_sharing *out, const mutu_group_problem *gp,
		       const mutu_group_solution *sol, const double *alone, mutu_sharing_rule rule,
		       const double *sigma);

/* Marginal contributions and the blocking sub-group from every
 * coalition's gains (mutu_game_all_gains) and the nets of `sh` (split
 * before).  Returns 0 or MUTU_ENOMEM. */
int mutu_sharing_coalitions(mutu_sharing *sh, const double *alone, const double *gains);

/* NULL and zeroed shares are fine. */
void mutu_sharing_free(mutu_sharing *sh);

/* ---- a group of a cabinet, all of the above ----------------------------- */

/* Sampled Shapley: at most this many orderings when none is asked, and
 * no new pair past a budget of coalition solves, by basis: a pooled
 * coalition is a few LPs (about 0.2 ms at 30 members), a sum_individual
 * one a MIP solved in three stages (about 6 ms): some 2.5 s at 30. */
#define MUTU_SHAPLEY_ORDERINGS 200
#define MUTU_SHAPLEY_SOLVES_POOLED 6000
#define MUTU_SHAPLEY_SOLVES_SUM_INDIVIDUAL 400

typedef struct mutu_sharing_options {
	mutu_sharing_rule rule;
	/* Marginal contributions and the blocking sub-group (groups of at
	 * most MUTU_COALITIONS_MAX members: every coalition solved). */
	bool coalitions;
	size_t orderings;         /* sampled Shapley; 0: MUTU_SHAPLEY_ORDERINGS */
	size_t max_solves;        /* its budget of solves; 0: MUTU_SHAPLEY_SOLVES_* by basis */
	mutu_solve_options solve; /* time limit of each coalition's solve */
} mutu_sharing_options;

/* The seed of a group's sampled Shapley: from the cabinet id and the
 * specialty name, so that the same input gives the same bytes. */
unsigned long mutu_sharing_seed(const char *cabinet, const char *specialty);

/* The money of each member of group `g` of `cab` under `o` (model.md
 * §4b), given its plan `sol` (which has a plan; `goal` the goal it was
 * solved under) and the doctors' evaluations `evals` (one per doctor of
 * `cab`).  Returns 0, MUTU_ENOMEM or MUTU_ESOLVER with `err` filled (a
 * coalition's solve failed); free `out` with mutu_sharing_free, also on
 * failure. */
int mutu_sharing_group(mutu_sharing *out, const mutu_rules *rules, const mutu_cabinet *cab,
		       const mutu_group *g, const mutu_group_solution *sol,
		       const mutu_doctor_eval *evals, mutu_goal goal, const mutu_sharing_options *o,
		       mutu_error *err);

#endif

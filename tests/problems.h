/* Tests and bench: seeded random mutu_group_problems (model.md §4).
 *
 * One splitmix64 stream (pb_rng) and two generators drawing from it:
 * pb_gen_small, the small problems of every shape that the brute force
 * can check (tests/test_group_random.c), and pb_gen_sized, groups of a
 * given size with realistic magnitudes at every size (bench/).  A problem
 * depends only on the stream's state, so the same seed gives the same
 * problems on every machine; changing the order of the draws changes
 * every problem after it.
 */
#ifndef MUTU_TESTS_PROBLEMS_H
#define MUTU_TESTS_PROBLEMS_H

#include <stddef.h>
#include <stdint.h>

#include "mutu/group.h"

/* S x c of both generators: 5 years x 36 000 per ETP (model.md §4). */
#define PB_COST_PER_ETP (5.0 * 36000.0)

typedef struct pb_rng {
	uint64_t s;
} pb_rng;

/* The next 64 bits of the stream. */
uint64_t pb_next(pb_rng *r);

/* Uniform in [0, 1), 53 bits. */
double pb_unif(pb_rng *r);

/* Uniform in [lo, hi). */
double pb_range(pb_rng *r, double lo, double hi);

/* Uniform in 0 .. n-1 (n > 0; modulo bias negligible for small n). */
size_t pb_below(pb_rng *r, size_t n);

/* A small problem for the brute force: 2-6 members, P 300-2500, h 0-0.1,
 * g 0.1-0.6, max_new on a quarter of them (0 on a tenth of those); 0-4
 * notional options (etp 0.5-2, objective ceil(rate P) with rate 0-0.35,
 * aid 20 000-200 000, now and then a twin with the same NET) or 1-20
 * pooled levels of 0.5 ETP (sometimes a tie, sometimes shuffled); value 0
 * or 600 per patient; floor share 0, 0.25, 0.5, 1 or random; ETP caps from
 * binding to loose.  Returns 0, or -1 when out of memory (then `gp` holds
 * nothing to free).  Free with pb_problem_free. */
int pb_gen_small(pb_rng *r, mutu_group_problem *gp, mutu_basis basis, mutu_goal goal);

/* A group of `m` members (m > 0) with realistic magnitudes at any size:
 * P 300-2500, h 0-0.1, g 0.1-0.6, max_new 2-35 % of P on a quarter of
 * them and 0 for one member in 5 % of the groups; 2-4 options of distinct
 * ETP with objective and aid rising with the ETP, or the levels n x 0.5
 * ETP up to min(amax m, max_etp_total); caps around the rules'.  The goal
 * is left MUTU_GOAL_NET_BENEFIT.  Returns 0, or -1 when out of memory (then
 * `gp` holds nothing to free).  Free with pb_problem_free. */
int pb_gen_sized(pb_rng *r, mutu_group_problem *gp, size_t m, mutu_basis basis);

/* The seed of pb_gen_sized's problem k of size `size` and basis `basis`
 * under `seed`: one stream per problem, so that a problem does not depend
 * on the goal, on the other sizes or on how many problems are drawn. */
uint64_t pb_sized_seed(uint64_t seed, size_t size, mutu_basis basis, size_t k);

/* Frees the members' choices, the members and the levels, and leaves
 * `gp` empty; the layout of mutu_group_problem_free, without relying on
 * it.  Accepts an emptied problem. */
void pb_problem_free(mutu_group_problem *gp);

#endif

/* Each member's money in a pooled plan (model.md §4b): sharing rules,
 * the gain game of the coalitions, Shapley values (exact and sampled),
 * marginal contributions and the blocking sub-group. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "mutu/individual.h"
#include "mutu/sharing.h"

const char *const mutu_sharing_names[] = {"patients", "equal", "list", "shapley", NULL};

/* The unit w of assistant time: the problem's etp_unit
 * (mutualisation.etp_unit; a zero field reads as 0.1 ETP, a half-day). */
double mutu_sharing_etp_unit(const mutu_group_problem *gp)
{
	return mutu_gp_etp_unit(gp);
}

/* ---- the gain game ------------------------------------------------------ */

/* Gains within the solver's tolerance of zero (model.md §4: stages keep
 * an optimum within 1e-6 relative) are zero: a coalition that only
 * reproduces its members' individual contracts gains nothing. */
static double clip_gain(double gain, double alone)
{
	return gain <= 1e-6 * fmax(1.0, fabs(alone)) ? 0.0 : gain;
}

int mutu_game_gain(mutu_game *g, const size_t *in, size_t k, double *gain, mutu_error *err)
{
	*gain = 0;
	if (k == 0 || k < g->min_size)
		return MUTU_OK;
	double alone = 0, net = 0, bound;
	for (size_t j = 0; j < k; j++)
		alone += g->alone[in[j]];
	if (g->bound && g->bound(g->ctx, in, k, &bound) && clip_gain(bound - alone, alone) == 0) {
		g->pruned++;
		return MUTU_OK;
	}
	int rc = g->net(g->ctx, in, k, &net, err);
	if (rc != MUTU_OK)
		return rc;
	g->solves++;
	*gain = clip_gain(net - alone, alone);
	return MUTU_OK;
}

int mutu_game_all_gains(mutu_game *g, double *gains, mutu_error *err)
{
	size_t m = g->m, in[MUTU_COALITIONS_MAX];
	gains[0] = 0;
	for (size_t mask = 1; mask < ((size_t)1 << m); mask++) {
		size_t k = 0;
		for (size_t i = 0; i < m; i++)
			if (mask & ((size_t)1 << i))
				in[k++] = i;
		int rc = mutu_game_gain(g, in, k, &gains[mask], err);
		if (rc != MUTU_OK)
			return rc;
	}
	return MUTU_OK;
}

void mutu_shapley_exact(size_t m, const double *gains, double *phi)
{
	/* w[s] = s! (m - s - 1)! / m!, built as a product to stay exact
	 * enough: w[0] = 1/m, w[s] = w[s-1] s / (m - s). */
	double w[MUTU_COALITIONS_MAX];
	w[0] = 1.0 / (double)m;
	for (size_t s = 1; s < m; s++)
		w[s] = w[s - 1] * (double)s / (double)(m - s);
	for (size_t i = 0; i < m; i++) {
		size_t bit = (size_t)1 << i;
		double sum = 0;
		for (size_t mask = 0; mask < ((size_t)1 << m); mask++) {
			if (mask & bit)
				continue;
			size_t s = 0;
			for (size_t b = mask; b; b &= b - 1)
				s++;
			sum += w[s] * (gains[mask | bit] - gains[mask]);
		}
		phi[i] = sum;
	}
}

/* A cache of coalition gains keyed by the coalition's bit set (nw
 * 64-bit words): open addressing, grown at half load. */
typedef struct gain_cache {
	size_t nw, cap, used;
	uint64_t *keys; /* cap x nw words; an all-zero key is an empty slot */
	double *gains;
} gain_cache;

static uint64_t key_hash(const uint64_t *key, size_t nw)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t w = 0; w < nw; w++) {
		h ^= key[w];
		h *= 0x100000001b3ULL;
		h ^= h >> 29;
	}
	return h;
}

/* The slot of `key`: where it is, or the empty slot where it goes. */
static size_t cache_slot(const gain_cache *c, const uint64_t *key)
{
	size_t s = (size_t)key_hash(key, c->nw) & (c->cap - 1);
	for (;;) {
		const uint64_t *k = c->keys + s * c->nw;
		bool empty = true, same = true;
		for (size_t w = 0; w < c->nw; w++) {
			empty &= k[w] == 0;
			same &= k[w] == key[w];
		}
		if (same || empty)
			return s;
		s = (s + 1) & (c->cap - 1);
	}
}

static int cache_grow(gain_cache *c)
{
	gain_cache n = {c->nw, c->cap ? 2 * c->cap : 256, 0, NULL, NULL};
	n.keys = calloc(n.cap * n.nw, sizeof *n.keys);
	n.gains = calloc(n.cap, sizeof *n.gains);
	if (!n.keys || !n.gains) {
		free(n.keys);
		free(n.gains);
		return MUTU_ENOMEM;
	}
	for (size_t s = 0; s < c->cap; s++) {
		const uint64_t *k = c->keys + s * c->nw;
		bool empty = true;
		for (size_t w = 0; w < c->nw; w++)
			empty &= k[w] == 0;
		if (empty)
			continue;
		size_t t = cache_slot(&n, k);
		memcpy(n.keys + t * n.nw, k, n.nw * sizeof *k);
		n.gains[t] = c->gains[s];
		n.used++;
	}
	free(c->keys);
	free(c->gains);
	*c = n;
	return MUTU_OK;
}

/* gamma of the coalition `key` (holding k members), solved once. */
static int cached_gain(mutu_game *g, gain_cache *c, const uint64_t *key, size_t k, size_t *in,
		       double *gain, mutu_error *err)
{
	if (k < g->min_size) {
		*gain = 0;
		return MUTU_OK;
	}
	if (2 * (c->used + 1) > c->cap && cache_grow(c) != MUTU_OK)
		return MUTU_ENOMEM;
	size_t s = cache_slot(c, key);
	uint64_t *slot = c->keys + s * c->nw;
	if (memcmp(slot, key, c->nw * sizeof *key) == 0) {
		*gain = c->gains[s];
		return MUTU_OK;
	}
	size_t n = 0;
	for (size_t i = 0; i < g->m; i++)
		if (key[i / 64] >> (i % 64) & 1u)
			in[n++] = i;
	int rc = mutu_game_gain(g, in, n, gain, err);
	if (rc != MUTU_OK)
		return rc;
	memcpy(slot, key, c->nw * sizeof *key);
	c->gains[s] = *gain;
	c->used++;
	return MUTU_OK;
}

int mutu_shapley_sampled(mutu_game *g, size_t orderings, size_t max_solves, unsigned long seed,
			 double *phi, double *se, size_t *used, mutu_error *err)
{
	size_t m = g->m, npairs = (orderings + 1) / 2;
	if (npairs < 1)
		npairs = 1;
	size_t solves0 = g->solves, done = 0;
	gain_cache cache = {(m + 63) / 64, 0, 0, NULL, NULL};
	size_t *perm = malloc((m + 1) * sizeof *perm);
	size_t *in = malloc((m + 1) * sizeof *in);
	double *pair = calloc(m + 1, sizeof *pair);
	double *sumsq = calloc(m + 1, sizeof *sumsq);
	uint64_t *key = calloc(cache.nw, sizeof *key);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	int rc = MUTU_ENOMEM;
	if (!perm || !in || !pair || !sumsq || !key || !rng || cache_grow(&cache) != MUTU_OK)
		goto cleanup;
	gsl_rng_set(rng, seed);
	for (size_t i = 0; i < m; i++) {
		perm[i] = i;
		phi[i] = 0;
	}
	rc = MUTU_OK;
	for (size_t p = 0; p < npairs && rc == MUTU_OK; p++) {
		if (max_solves && 2 * p >= MUTU_SHAPLEY_MIN_ORDERINGS &&
		    g->solves - solves0 >= max_solves)
			break;
		gsl_ran_shuffle(rng, perm, m, sizeof *perm);
		memset(pair, 0, m * sizeof *pair);
		/* The ordering, then its reverse: their marginal gains are
		 * negatively correlated, so the pair's mean varies less. */
		for (int dir = 0; dir < 2 && rc == MUTU_OK; dir++) {
			memset(key, 0, cache.nw * sizeof *key);
			double prev = 0, v = 0;
			for (size_t t = 0; t < m; t++) {
				size_t i = dir ? perm[m - 1 - t] : perm[t];
				key[i / 64] |= (uint64_t)1 << (i % 64);
				rc = cached_gain(g, &cache, key, t + 1, in, &v, err);
				if (rc != MUTU_OK)
					break;
				pair[i] += 0.5 * (v - prev);
				prev = v;
			}
		}
		for (size_t i = 0; i < m; i++) {
			phi[i] += pair[i];
			sumsq[i] += pair[i] * pair[i];
		}
		done++;
	}
	if (rc != MUTU_OK)
		goto cleanup;
	*used = 2 * done;
	for (size_t i = 0; i < m; i++) {
		double n = (double)done, mean = phi[i] / n;
		double var = done > 1 ? fmax(0.0, (sumsq[i] - n * mean * mean) / (n - 1)) : 0.0;
		phi[i] = mean;
		se[i] = sqrt(var / n);
	}
cleanup:
	gsl_rng_free(rng);
	free(cache.keys);
	free(cache.gains);
	free(perm);
	free(in);
	free(pair);
	free(sumsq);
	free(key);
	return rc;
}

/* ---- a group's game ----------------------------------------------------- */

/* Levels of the pooled basis for `m` members: N = max ETP / step. */
static size_t pooled_levels(const mutu_rules *rules, size_t m)
{
	return (size_t)floor(mutu_pooled_max_etp(rules, m) / rules->mut.etp_step + 0.5);
}

/* Fills `out` (whose members and levels arrays the caller provides, big
 * enough for k members and pooled_levels(k) levels) with the coalition
 * subset[0..k) of group `g`.  The members' entries are copied as they are
 * (their choices shared with g's problem); every other field of g's
 * problem is kept, whatever it holds, and under the pooled basis the
 * levels are those of model.md §4 for these members alone, as
 * mutu_group_form computes them. */
static void coalition_fill(mutu_group_problem *out, const mutu_rules *rules,
			   const mutu_cabinet *cab, const mutu_group *g, const size_t *subset,
			   size_t k)
{
	mutu_gp_member *members = out->members;
	mutu_gp_choice *levels = out->levels;
	*out = g->problem;
	out->members = members;
	out->levels = levels;
	out->m = k;
	out->nlevels = 0;
	out->goal = MUTU_GOAL_NET_BENEFIT;
	double pg = 0;
	for (size_t j = 0; j < k; j++) {
		members[j] = g->problem.members[subset[j]];
		pg += members[j].p;
	}
	if (out->basis != MUTU_BASIS_POOLED)
		return;
	bool any = false;
	for (size_t o = 0; o < rules->noptions; o++)
		any |= mutu_option_open(&rules->options[o], cab, g->specialty);
	if (!any)
		return;
	mutu_band band = mutu_group_band(rules, g->specialty, pg, k);
	double per_etp = 0;
	for (int y = 1; y <= rules->horizon_years; y++)
		per_etp += mutu_discount(rules, y) * mutu_pooled_aid_year(rules, band, 1.0, y);
	size_t N = pooled_levels(rules, k);
	for (size_t n = 1; n <= N; n++) {
		mutu_gp_choice *c = &levels[out->nlevels++];
		c->etp = (double)n * rules->mut.etp_step;
		c->objective = mutu_pooled_objective(rules, cab, g->specialty, pg, k, c->etp);
		c->aid = c->etp * per_etp;
		c->option = -1;
	}
}

int mutu_coalition_problem(mutu_group_problem *out, const mutu_rules *rules,
			   const mutu_cabinet *cab, const mutu_group *g, const size_t *subset,
			   size_t k)
{
	memset(out, 0, sizeof *out);
	mutu_gp_member *members = calloc(k + 1, sizeof *members);
	mutu_gp_choice *levels = calloc(pooled_levels(rules, k) + 1, sizeof *levels);
	if (!members || !levels) {
		free(members);
		free(levels);
		return MUTU_ENOMEM;
	}
	out->members = members;
	out->levels = levels;
	coalition_fill(out, rules, cab, g, subset, k);
	/* Own copies of the choices, so that the problem frees alone. */
	for (size_t j = 0; j < k; j++)
		out->members[j].choices = NULL;
	for (size_t j = 0; j < k; j++) {
		mutu_gp_member *mb = &out->members[j];
		const mutu_gp_choice *from = g->problem.members[subset[j]].choices;
		if (!from)
			continue;
		mb->choices = calloc(mb->nchoices + 1, sizeof *mb->choices);
		if (!mb->choices) {
			mutu_group_problem_free(out);
			memset(out, 0, sizeof *out);
			return MUTU_ENOMEM;
		}
		memcpy(mb->choices, from, mb->nchoices * sizeof *from);
	}
	return MUTU_OK;
}

static int group_net(void *vctx, const size_t *in, size_t k, double *net, mutu_error *err)
{
	mutu_group_game_ctx *ctx = vctx;
	if (k == ctx->group->nmembers && !isnan(ctx->grand_net)) {
		*net = ctx->grand_net;
		return MUTU_OK;
	}
	coalition_fill(&ctx->scratch, ctx->rules, ctx->cab, ctx->group, in, k);
	mutu_group_solution sol;
	int rc = mutu_group_solve(&sol, &ctx->scratch, &ctx->solve, err);
	*net = 0;
	/* A plan found within the time limit is the best known: a lower
	 * bound of NET_G(C), used as the value. */
	if (rc == MUTU_OK && (sol.status == MUTU_GROUP_OPTIMAL ||
			      (sol.status == MUTU_GROUP_TIME_LIMIT && sol.etp > 0)))
		*net = sol.net;
	mutu_group_solution_free(&sol);
	return rc;
}

/* The most new patients member `mb` can take: P (h + g amax), capped by
 * max_new. */
static double most_patients(const mutu_group_problem *gp, const mutu_gp_member *mb)
{
	double cap = mb->p * (mb->headroom + mb->gain * gp->max_etp_per_doctor);
	return mb->max_new >= 0 && cap > mb->max_new ? mb->max_new : cap;
}

/* f(lambda) = sum_j max(0, max_o (NET_jo - lambda t_jo)) + lambda K: for
 * every lambda >= 0 a bound on NET_G(C) (the Lagrangian of the members'
 * capacity summed, T <= K; weak duality). */
static double lagrangian(const mutu_group_problem *gp, const size_t *in, size_t k, double K,
			 double lambda)
{
	double f = lambda * K;
	for (size_t j = 0; j < k; j++) {
		const mutu_gp_member *mb = &gp->members[in[j]];
		double best = 0;
		for (size_t o = 0; o < mb->nchoices; o++)
			best = fmax(best, mutu_gp_choice_net(gp, &mb->choices[o]) -
					      lambda * mb->choices[o].objective);
		f += best;
	}
	return f;
}

/* An upper bound on NET_G(C) without a solve.  Every plan commits T <=
 * K, the members' largest capacities summed.  Pooled: the best NET of the
 * levels with T_n <= K.  Sum_individual: NET_G = the sum of the chosen
 * choices' NET, so the least f(lambda) of the Lagrangian above over its
 * breakpoints (where a member's best choice changes) and 0; f is convex,
 * so its minimum is at one of them. */
static bool group_bound(void *vctx, const size_t *in, size_t k, double *bound)
{
	mutu_group_game_ctx *ctx = vctx;
	const mutu_group_problem *gp = &ctx->group->problem;
	double K = 0;
	for (size_t j = 0; j < k; j++)
		K += most_patients(gp, &gp->members[in[j]]);
	if (gp->basis == MUTU_BASIS_POOLED) {
		double b = 0;
		coalition_fill(&ctx->scratch, ctx->rules, ctx->cab, ctx->group, in, k);
		for (size_t n = 0; n < ctx->scratch.nlevels; n++)
			if (ctx->scratch.levels[n].objective <= K + 1e-6)
				b = fmax(
				    b, mutu_gp_choice_net(&ctx->scratch, &ctx->scratch.levels[n]));
		*bound = b;
		return true;
	}
	double b = lagrangian(gp, in, k, K, 0);
	for (size_t j = 0; j < k; j++) {
		const mutu_gp_member *mb = &gp->members[in[j]];
		for (size_t o = 0; o < mb->nchoices; o++) {
			const mutu_gp_choice *c = &mb->choices[o];
			double net = mutu_gp_choice_net(gp, c);
			/* Against choosing nothing, then against each other choice. */
			if (c->objective > 0 && net > 0)
				b = fmin(b, lagrangian(gp, in, k, K, net / c->objective));
			for (size_t q = 0; q < mb->nchoices; q++) {
				const mutu_gp_choice *d = &mb->choices[q];
				double dt = c->objective - d->objective;
				double dn = net - mutu_gp_choice_net(gp, d);
				if (dt > 0 && dn > 0)
					b = fmin(b, lagrangian(gp, in, k, K, dn / dt));
			}
		}
	}
	*bound = b;
	return true;
}

int mutu_group_game(mutu_game *game, mutu_group_game_ctx *ctx, const mutu_rules *rules,
		    const mutu_cabinet *cab, const mutu_group *g, const double *alone,
		    const mutu_solve_options *solve)
{
	memset(ctx, 0, sizeof *ctx);
	memset(game, 0, sizeof *game);
	ctx->rules = rules;
	ctx->cab = cab;
	ctx->group = g;
	if (solve)
		ctx->solve = *solve;
	ctx->solve.goal = MUTU_GOAL_NET_BENEFIT;
	ctx->grand_net = NAN;
	ctx->levels_cap = pooled_levels(rules, g->nmembers);
	ctx->scratch.members = calloc(g->nmembers + 1, sizeof *ctx->scratch.members);
	ctx->scratch.levels = calloc(ctx->levels_cap + 1, sizeof *ctx->scratch.levels);
	if (!ctx->scratch.members || !ctx->scratch.levels) {
		mutu_group_game_free(ctx);
		return MUTU_ENOMEM;
	}
	game->m = g->nmembers;
	game->alone = alone;
	game->min_size = (size_t)(rules->mut.min_doctors > 0 ? rules->mut.min_doctors : 1);
	game->net = group_net;
	game->bound = group_bound;
	game->ctx = ctx;
	return MUTU_OK;
}

void mutu_group_game_free(mutu_group_game_ctx *ctx)
{
	if (!ctx)
		return;
	/* The scratch problem's choices belong to the group's problem. */
	free(ctx->scratch.members);
	free(ctx->scratch.levels);
	ctx->scratch.members = NULL;
	ctx->scratch.levels = NULL;
}

/* ---- each member's money ------------------------------------------------ */

int mutu_sharing_split(mutu_sharing *out, const mutu_group_problem *gp,
		       const mutu_group_solution *sol, const double *alone, mutu_sharing_rule rule,
		       const double *sigma)
{
	memset(out, 0, sizeof *out);
	size_t m = gp->m;
	out->rule = rule;
	out->m = m;
	out->members = calloc(m + 1, sizeof *out->members);
	if (!out->members)
		return MUTU_ENOMEM;
	double ind = 0, etp = 0, pts = 0, pg = 0, sig = 0;
	for (size_t i = 0; i < m; i++) {
		ind += alone[i];
		etp += sol->assistant_etp[i];
		pts += sol->patients[i];
		pg += gp->members[i].p;
		sig += sigma ? sigma[i] : 0;
	}
	out->gain_net = sol->net - ind;
	/* Shapley needs a gain to share; patients, list need a total to
	 * divide by, else every member takes the same key. */
	mutu_sharing_rule used = rule;
	if (used == MUTU_SHARING_SHAPLEY && (!sigma || out->gain_net <= 0 || sig <= 0))
		used = MUTU_SHARING_PATIENTS;
	if ((used == MUTU_SHARING_PATIENTS && pts <= 0) || (used == MUTU_SHARING_LIST && pg <= 0))
		used = MUTU_SHARING_EQUAL;
	out->used = used;
	double w = mutu_sharing_etp_unit(gp);
	for (size_t i = 0; i < m; i++) {
		mutu_member_share *s = &out->members[i];
		const mutu_gp_member *mb = &gp->members[i];
		s->assistant_etp = sol->assistant_etp[i];
		s->half_days = round(s->assistant_etp / w) + 0.0; /* never -0 */
		s->patients = sol->patients[i];
		s->capacity = mb->p * (mb->headroom + mb->gain * s->assistant_etp);
		if (mb->max_new >= 0 && s->capacity > mb->max_new)
			s->capacity = mb->max_new;
		switch (used) {
		case MUTU_SHARING_PATIENTS:
			s->key = s->patients / pts;
			break;
		case MUTU_SHARING_LIST:
			s->key = mb->p / pg;
			break;
		case MUTU_SHARING_SHAPLEY:
			s->key = sigma[i] / sig;
			break;
		default:
			s->key = 1.0 / (double)m;
		}
		if (sigma)
			s->shapley = sigma[i];
		/* The plan's cost and value in proportion to each member's
		 * time and patients: S c a_i and Sv v x_i when the time and
		 * the patients given out are E and T, and still summing to
		 * the plan's figures when a remainder of E is given to no one. */
		s->cost = etp > 0 ? sol->cost * s->assistant_etp / etp : sol->cost / (double)m;
		s->value = pts > 0 ? sol->value * s->patients / pts : sol->value / (double)m;
		s->individual_net = alone[i];
		s->net = alone[i] + s->key * out->gain_net;
		s->aid = s->net + s->cost - s->value;
		s->gain = s->net - alone[i];
	}
	return MUTU_OK;
}

int mutu_sharing_coalitions(mutu_sharing *sh, const double *alone, const double *gains)
{
	size_t m = sh->m, all = ((size_t)1 << m) - 1;
	double ind = 0;
	for (size_t i = 0; i < m; i++)
		ind += alone[i];
	for (size_t i = 0; i < m; i++) {
		size_t rest = all & ~((size_t)1 << i);
		/* v(G) - v(G - i) = NET_i* + gamma(G) - gamma(G - i). */
		sh->members[i].marginal = alone[i] + gains[all] - gains[rest];
	}
	size_t best = 0, best_k = 0;
	double best_excess = 0;
	for (size_t mask = 1; mask < all; mask++) {
		double v = 0, shares = 0;
		size_t k = 0;
		for (size_t i = 0; i < m; i++) {
			if (!(mask & ((size_t)1 << i)))
				continue;
			v += alone[i];
			shares += sh->members[i].net;
			k++;
		}
		v += gains[mask];
		double excess = v - shares;
		if (excess <= 1.0)
			continue;
		if (k > best_k || (k == best_k && excess > best_excess + 1e-9)) {
			best = mask;
			best_k = k;
			best_excess = excess;
		}
	}
	sh->coalitions = true;
	if (!best)
		return MUTU_OK;
	sh->blocking = calloc(best_k + 1, sizeof *sh->blocking);
	if (!sh->blocking)
		return MUTU_ENOMEM;
	for (size_t i = 0; i < m; i++) {
		if (!(best & ((size_t)1 << i)))
			continue;
		sh->blocking[sh->nblocking++] = i;
		sh->blocking_alone += alone[i];
		sh->blocking_shares += sh->members[i].net;
	}
	sh->blocking_alone += gains[best];
	return MUTU_OK;
}

void mutu_sharing_free(mutu_sharing *sh)
{
	if (!sh)
		return;
	free(sh->members);
	free(sh->blocking);
	memset(sh, 0, sizeof *sh);
}

/* ---- every coalition on two threads ------------------------------------ */

/* One worker of all_gains: the coalitions whose mask is `first` modulo
 * `stride`, with a game and a scratch problem of its own (the gains it
 * writes are its own entries of the shared array). */
typedef struct worker {
	mutu_game game;
	mutu_group_game_ctx ctx;
	double *gains;
	size_t first, stride;
	bool own_thread;
	int rc;
	mutu_error err;
} worker;

static void *work_coalitions(void *p)
{
	worker *w = p;
	size_t m = w->game.m, in[MUTU_COALITIONS_MAX];
	w->rc = MUTU_OK;
	for (size_t mask = w->first; mask < ((size_t)1 << m) && w->rc == MUTU_OK;
	     mask += w->stride) {
		size_t k = 0;
		for (size_t i = 0; i < m; i++)
			if (mask & ((size_t)1 << i))
				in[k++] = i;
		w->rc = mutu_game_gain(&w->game, in, k, &w->gains[mask], &w->err);
	}
	if (w->own_thread)
		mutu_solver_release(); /* GLPK's environment of this thread */
	return NULL;
}

/* mutu_game_all_gains of a group's game, the coalitions shared between
 * this thread and a second one (a group of 10 members is 1 013 solves):
 * each coalition is still solved once, and the result does not depend on
 * which thread solved it.  Without a second thread, all on this one. */
static int all_gains(mutu_game *game, mutu_group_game_ctx *ctx, double *gains, mutu_error *err)
{
	enum { NW = 2 };
	worker w[NW];
	pthread_t th;
	memset(w, 0, sizeof w);
	gains[0] = 0;
	w[0].game = *game;
	w[0].gains = gains;
	w[0].first = 1;
	w[0].stride = NW;
	w[1] = w[0];
	w[1].first = 2;
	bool two = game->m >= 6 && mutu_group_game(&w[1].game, &w[1].ctx, ctx->rules, ctx->cab,
						   ctx->group, game->alone, &ctx->solve) == MUTU_OK;
	if (two) {
		w[1].ctx.grand_net = ctx->grand_net;
		w[1].game.ctx = &w[1].ctx;
		w[1].own_thread = true;
		if (pthread_create(&th, NULL, work_coalitions, &w[1]) != 0) {
			mutu_group_game_free(&w[1].ctx);
			two = false;
		}
	}
	if (!two)
		w[0].stride = 1;
	work_coalitions(&w[0]);
	int rc = w[0].rc;
	if (rc != MUTU_OK)
		*err = w[0].err;
	game->solves = w[0].game.solves;
	game->pruned = w[0].game.pruned;
	if (two) {
		pthread_join(th, NULL);
		if (rc == MUTU_OK && w[1].rc != MUTU_OK) {
			rc = w[1].rc;
			*err = w[1].err;
		}
		game->solves += w[1].game.solves;
		game->pruned += w[1].game.pruned;
		mutu_group_game_free(&w[1].ctx);
	}
	return rc;
}

/* ---- a group of a cabinet ----------------------------------------------- */

unsigned long mutu_sharing_seed(const char *cabinet, const char *specialty)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const char *s = cabinet; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	h = (h ^ 0xffu) * 0x100000001b3ULL; /* between the two names */
	for (const char *s = specialty; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	/* mt19937 reads 32 bits of its seed. */
	return (unsigned long)((h ^ (h >> 32)) & 0xffffffffu);
}

int mutu_sharing_group(mutu_sharing *out, const mutu_rules *rules, const mutu_cabinet *cab,
		       const mutu_group *g, const mutu_group_solution *sol,
		       const mutu_doctor_eval *evals, mutu_goal goal, const mutu_sharing_options *o,
		       mutu_error *err)
{
	memset(out, 0, sizeof *out);
	size_t m = g->nmembers;
	bool shapley = o->rule == MUTU_SHARING_SHAPLEY;
	bool exact = m <= MUTU_COALITIONS_MAX;
	bool play = (shapley || o->coalitions) && exact;
	size_t orderings = o->orderings ? o->orderings : MUTU_SHAPLEY_ORDERINGS, drawn = 0;
	double *alone = calloc(m + 1, sizeof *alone);
	double *sigma = calloc(m + 1, sizeof *sigma);
	double *se = calloc(m + 1, sizeof *se);
	double *gains = play ? calloc(((size_t)1 << m) + 1, sizeof *gains) : NULL;
	mutu_game game;
	mutu_group_game_ctx ctx;
	int rc = MUTU_ENOMEM;
	memset(&ctx, 0, sizeof ctx);
	if (!alone || !sigma || !se || (play && !gains))
		goto cleanup;
	double ind = 0;
	for (size_t i = 0; i < m; i++) {
		const mutu_doctor_eval *ev = &evals[g->members[i]];
		alone[i] = ev->best >= 0 ? ev->best_net : 0;
		ind += alone[i];
	}
	/* Without a gain the Shapley rule is not used (model.md §4b): no
	 * sampled game to play for it. */
	if (sol->net - ind <= 0)
		shapley = false;
	play = (shapley || o->coalitions) && exact;
	if (shapley || play) {
		rc = mutu_group_game(&game, &ctx, rules, cab, g, alone, &o->solve);
		if (rc != MUTU_OK)
			goto cleanup;
		/* The plan is NET_G(G) itself when solved for the net. */
		if (goal == MUTU_GOAL_NET_BENEFIT && sol->status == MUTU_GROUP_OPTIMAL)
			ctx.grand_net = sol->net;
	}
	if (play) {
		rc = all_gains(&game, &ctx, gains, err);
		if (rc != MUTU_OK)
			goto cleanup;
		if (shapley)
			mutu_shapley_exact(m, gains, sigma);
	} else if (shapley) {
		size_t budget = o->max_solves ? o->max_solves
				: g->problem.basis == MUTU_BASIS_POOLED
				    ? MUTU_SHAPLEY_SOLVES_POOLED
				    : MUTU_SHAPLEY_SOLVES_SUM_INDIVIDUAL;
		rc = mutu_shapley_sampled(
		    &game, orderings, budget,
		    mutu_sharing_seed(cab->id, rules->specialties[g->specialty].name), sigma, se,
		    &drawn, err);
		if (rc != MUTU_OK)
			goto cleanup;
	}
	rc = mutu_sharing_split(out, &g->problem, sol, alone, o->rule, shapley ? sigma : NULL);
	if (rc != MUTU_OK)
		goto cleanup;
	if (shapley && !exact)
		out->orderings = drawn;
	out->shapley = shapley;
	out->sampled = shapley && !exact;
	for (size_t i = 0; shapley && i < m; i++)
		out->members[i].shapley_se = se[i];
	if (play && o->coalitions)
		rc = mutu_sharing_coalitions(out, alone, gains);
	if (shapley || play) {
		out->solves = game.solves;
		out->pruned = game.pruned;
	}
cleanup:
	mutu_group_game_free(&ctx);
	free(alone);
	free(sigma);
	free(se);
	free(gains);
	return rc;
}

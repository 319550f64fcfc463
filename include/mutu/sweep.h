/* mutu: sweeps of modalities over a population of structures, in the way
 * reform simulators present a reform: cost, groups formed, winners and
 * losers, deciles of the gain, overall and by specialty and zone.
 *
 * Sums are kept in whole cents (and 1/10000 ETP) so that shards added in
 * any order give exactly what one run gives.
 */
#ifndef MUTU_SWEEP_H
#define MUTU_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mutu/analysis.h"
#include "mutu/batch.h"
#include "mutu/error.h"
#include "mutu/rules.h"

typedef struct mutu_sweep_scope {
	char name[96];  /* "all", "specialty:NAME", "zone:standard", "zone:zip" */
	int64_t groups; /* groups formed */
	int64_t plans;  /* groups with a pooled plan */
	int64_t beats;  /* plans whose net beats the members' individual contracts */
	int64_t winners, losers, unchanged; /* formed groups by gain of net (0.5 EUR) */
	int64_t etp;                        /* pooled ETP, 1/10000 */
	int64_t aid;                        /* pooled aid over the horizon, cents */
	int64_t patients;                   /* committed new patients */
	int64_t ind_etp, ind_patients, ind_aid, ind_net; /* members' best individual contracts */
	int64_t gain;                                    /* sum of the gains of net, cents */
	int64_t *gains;                                  /* each formed group's gain, cents */
	size_t ngains, capgains;
} mutu_sweep_scope;

typedef struct mutu_sweep_modality {
	char label[512];
	int64_t structures, failed;
	mutu_sweep_scope *scopes; /* all, specialties (rules order), zones */
	size_t nscopes;
} mutu_sweep_modality;

/* Prepares an empty modality for `rules`.  Returns 0 or MUTU_ENOMEM. */
int mutu_sweep_modality_init(mutu_sweep_modality *m, const char *label, const mutu_rules *rules);
void mutu_sweep_modality_free(mutu_sweep_modality *m);

/* Adds one structure's analysis (or a failed line when `an` is NULL). */
int mutu_sweep_add(mutu_sweep_modality *m, const mutu_analysis *an);

/* Adds `b` into `a` (same scopes, same order). */
int mutu_sweep_combine(mutu_sweep_modality *a, const mutu_sweep_modality *b, mutu_error *err);

/* Serialises modalities as a partial result (for shards and checkpoints)
 * and reads them back.  The caller frees the string / the array. */
char *mutu_sweep_to_partial(const mutu_sweep_modality *mods, size_t n, const char *key);
int mutu_sweep_from_partial(const char *text, size_t len, const char *file,
			    mutu_sweep_modality **mods, size_t *n, char **key, mutu_errors *errs);

/* The same from a file.  Returns 0, MUTU_EIO or MUTU_EINPUT. */
int mutu_sweep_load_partial(const char *path, mutu_sweep_modality **mods, size_t *n, char **key,
			    mutu_errors *errs);

/* The table of the modalities: text, CSV (one row per modality and scope)
 * or JSON.  Sorts the gains.  The caller frees the string. */
char *mutu_sweep_report(mutu_sweep_modality *mods, size_t n, mutu_format fmt);

typedef struct mutu_sweep_options {
	int threads;
	unsigned long shard_k, shard_n;
	mutu_solve_options solve;
	const char *population; /* JSON Lines file, read once per modality */
	const char *checkpoint; /* NULL: none */
	const char *key;
	void (*progress)(void *ctx, size_t modality, size_t nmodalities,
			 const mutu_batch_stats *st);
	void *progress_ctx;
	unsigned long stop_after; /* tests: stop as if killed after this many structures */
} mutu_sweep_options;

/* Solves the population once per modality (rules[i], labels[i]) into
 * mods[i] (initialised here).  With a checkpoint, each finished modality is
 * recorded and a rerun with the same key skips it.  Returns 0, MUTU_EIO,
 * MUTU_ENOMEM or MUTU_ESTOPPED with `err` filled. */
int mutu_sweep_run(const mutu_sweep_options *o, const mutu_rules *rules, const char *const *labels,
		   size_t n, mutu_sweep_modality *mods, mutu_error *err);

#endif

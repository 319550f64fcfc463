/* mutu: what a modality does over a population of structures (model.md
 * §6), in the way reform simulators present a reform: one status quo for
 * every row, the take-up of the pooled contract, the payer's totals and
 * the marginal cost of an extra committed patient, winners and losers,
 * deciles of the gain; overall and by specialty, zone, group size and band.
 *
 * Sums are kept in whole cents (1/10000 ETP, 1/100 patient achieved) so
 * that shards added in any order give exactly what one run gives.
 */
#ifndef MUTU_SWEEP_H
#define MUTU_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mutu/analysis.h"
#include "mutu/batch.h"
#include "mutu/error.h"
#include "mutu/modality.h"
#include "mutu/rules.h"
#include "mutu/i18n.h"
#include "mutu/sharing.h"

#define MUTU_SWEEP_YEARS 30 /* horizon_years at most */
#define MUTU_SWEEP_FIRST 10 /* losing structures named per scope */

/* Who signs the pooled contract (model.md §6 "Take-up"). */
typedef enum mutu_take_up {
	MUTU_TAKE_UP_BETTER = 0, /* a group with a plan whose net >= its members' individual net */
	MUTU_TAKE_UP_ALWAYS      /* every group with a plan (an upper bound) */
} mutu_take_up;

/* What the payer funds and gets in one world. */
typedef struct mutu_sweep_payer {
	int64_t aid;                        /* paid over the horizon, undiscounted, cents */
	int64_t aid_year[MUTU_SWEEP_YEARS]; /* the same by contract year, cents */
	int64_t etp;                        /* assistant ETP funded, 1/10000 */
	int64_t patients;                   /* committed new patients */
	int64_t achieved;                   /* patients gained, 1/100 patient */
	int64_t contracts;                  /* individual contracts + pooled contracts */
	int64_t doctors;                    /* doctors under a contract */
} mutu_sweep_payer;

/* A losing structure, by its input line (so that shards merge stably). */
typedef struct mutu_sweep_first {
	unsigned long line;
	char id[64];
} mutu_sweep_first;

typedef struct mutu_sweep_scope {
	char name[96];          /* "all", "specialty:S", "zone:Z", "size:2", "band:B" */
	int64_t doctors;        /* doctors of the scope (status quo and world alike) */
	int64_t groups;         /* groups formed */
	int64_t plans;          /* groups with a pooled plan */
	int64_t beats;          /* plans whose net beats the members' individual contracts */
	int64_t signing;        /* groups that sign under the take-up */
	int64_t doctors_pooled; /* members of the groups that sign */
	int64_t winners, losers, unchanged;      /* groups by gain of net (0.50 EUR) */
	int64_t doctors_winning, doctors_losing; /* members of plans, by their own gain */
	int64_t etp, aid, patients; /* the plans' ETP (1/10000), aid (cents), patients */
	int64_t ind_etp, ind_patients, ind_aid, ind_net; /* members' best individual contracts */
	int64_t gain;                                    /* sum of the gains of net, cents */
	mutu_sweep_payer status_quo, world;
	mutu_sweep_first first[MUTU_SWEEP_FIRST]; /* first losing structures, by line */
	size_t nfirst;
	int64_t *gains; /* each formed group's gain, cents */
	size_t ngains, capgains;
} mutu_sweep_scope;

typedef struct mutu_sweep_modality {
	char label[512];
	uint64_t rules_digest; /* of the modality's merged rules */
	int horizon;           /* its horizon_years */
	size_t reference;      /* the modality it is compared with (mutu_modality) */
	unsigned differs_in;   /* MUTU_DIFF_* against it */
	int64_t structures, failed;
	int64_t changed;          /* structures whose figures differ from the first modality's */
	int64_t forfait_holders;  /* doctors holding a forfait contract */
	mutu_sweep_scope *scopes; /* all, specialties (rules order), zones, sizes, bands */
	size_t nscopes;
} mutu_sweep_modality;

/* The fields that define a run: two partials merge only when all agree
 * (the shard number aside), and a checkpoint resumes only its own run. */
typedef struct mutu_sweep_run_id {
	uint64_t population; /* FNV-1a of the population file's bytes */
	unsigned long population_lines;
	char base[256]; /* the status quo's rules name */
	uint64_t base_digest;
	int goal;             /* mutu_goal */
	int take_up;          /* mutu_take_up */
	char achievement[96]; /* mutu_achievement_text */
	int sharing;          /* mutu_sharing_rule: whose money decides winners and losers */
	unsigned long shard_k, shard_n;
} mutu_sweep_run_id;

typedef struct mutu_sweep {
	mutu_sweep_run_id id;
	int base_horizon;
	mutu_sweep_modality *mods;
	size_t n;
	unsigned long lines; /* input lines consumed (a checkpoint resumes after them) */
} mutu_sweep;

/* Frees what `s` owns; NULL and zeroed sweeps are fine. */
void mutu_sweep_free(mutu_sweep *s);

/* Serialises a sweep as a partial result (for shards and checkpoints):
 * the run's identity as separate fields, then the sums.  The caller frees
 * the string; NULL when out of memory. */
char *mutu_sweep_to_partial(const mutu_sweep *s);

/* Reads a partial result back.  Returns 0, MUTU_EINPUT (errors in `errs`),
 * MUTU_EIO or MUTU_ENOMEM; on failure `*out` holds nothing to free. */
int mutu_sweep_from_partial(mutu_sweep *out, const char *text, size_t len, const char *file,
			    mutu_errors *errs);
int mutu_sweep_load_partial(mutu_sweep *out, const char *path, mutu_errors *errs);

/* Whether `a` and `b` are shards (or checkpoints) of the same run: every
 * field of mutu_sweep_run_id, the modalities and their rules; the shard
 * number too when `same_shard`.  Returns true, or false with the name of
 * the first field that differs and both values in `why`. */
bool mutu_sweep_same_run(const mutu_sweep *a, const mutu_sweep *b, bool same_shard, char *why,
			 size_t whysize);

/* Adds shard `b` into `a` (mutu_sweep_same_run first).  Returns 0,
 * MUTU_EINPUT with the reason in `err`, or MUTU_ENOMEM. */
int mutu_sweep_merge(mutu_sweep *a, const mutu_sweep *b, mutu_error *err);

/* Loads the partials `paths` and merges them: every one a shard of the
 * same run, each shard K of N once and all N present.  Returns 0,
 * MUTU_EINPUT or MUTU_EIO (every error in `errs`, by file) or MUTU_ENOMEM;
 * on failure `*out` holds nothing to free. */
int mutu_sweep_merge_files(mutu_sweep *out, const char *const *paths, size_t n, mutu_errors *errs);

/* The table of the modalities: text (a ranking by euros per extra
 * committed patient against the status quo first), CSV (one row per
 * modality and scope) or JSON (formats.md "Sweep result").  Sorts the
 * gains and first losers.  The caller frees the string; NULL when out of
 * memory. */
char *mutu_sweep_report(mutu_sweep *s, mutu_format fmt);

/* The same with the text report in `lang` (French numbers and words in
 * French; the warnings' sentences stay English, as in the JSON).  JSON and
 * CSV are the same bytes in every language.  mutu_sweep_report is this
 * in English. */
char *mutu_sweep_report_lang(mutu_sweep *s, mutu_format fmt, mutu_lang lang);

typedef struct mutu_sweep_options {
	int threads;
	unsigned long shard_k, shard_n; /* 0/0 or 1/1: everything */
	mutu_solve_options solve;
	mutu_take_up take_up;
	mutu_achievement achievement;
	/* How each member's money is split (model.md §4b): decides the
	 * winners and losers per doctor; 0 (patients) by default. */
	mutu_sharing_rule sharing;
	const char *population;         /* JSON Lines file */
	const char *checkpoint;         /* NULL: none */
	unsigned long checkpoint_every; /* lines between checkpoints (0: 2000) */
	void (*progress)(void *ctx, const mutu_batch_stats *st);
	void *progress_ctx;
	unsigned long stop_after; /* tests: stop as if killed after this many lines */
} mutu_sweep_options;

/* Reads the population once and solves every structure under every
 * modality of `mods`, and once under the base rules alone for the status
 * quo, into `*out`.  With a checkpoint, the sums are recorded every
 * `checkpoint_every` lines and a rerun of the same run resumes after them.
 * Returns 0, MUTU_EIO, MUTU_ENOMEM or MUTU_ESTOPPED with `err` filled; on
 * failure `*out` holds nothing to free. */
int mutu_sweep_run(mutu_sweep *out, const mutu_sweep_options *o, const mutu_modalities *mods,
		   mutu_error *err);

#endif

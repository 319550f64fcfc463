/* mutu: joining the outputs of sharded runs (batch --shard K/N, sweep
 * --shard K/N) into exactly what one unsharded run writes.
 */
#ifndef MUTU_MERGE_H
#define MUTU_MERGE_H

#include <stddef.h>
#include <stdio.h>

#include "mutu/analysis.h"
#include "mutu/error.h"
#include "mutu/i18n.h"

/* Whether `path` holds a sweep partial result (else a batch shard is
 * expected).  Reads its first bytes; "-" is never a sweep partial here
 * (it is read by the merge itself). */
bool mutu_merge_is_sweep(const char *path);

/* Joins the outputs of `n` runs of one batch with --shard K/N (any order;
 * "-" is standard input) on `out`.  Refuses, with an error naming the file
 * (and the K or the field that differs): a shard without its end record
 * (unfinished or killed), shards of different runs (rules, input, goal,
 * time limit, N), a missing or repeated K, a line missing or present
 * twice.  Returns 0, MUTU_EINPUT, MUTU_EIO (errors in `errs`) or
 * MUTU_ENOMEM. */
int mutu_merge_batch(const char *const *paths, size_t n, FILE *out, mutu_errors *errs);

/* Combines the partial results of `n` runs of one sweep with --shard K/N
 * into the sweep's report in `fmt`, text in `lang` (`*text`, which the caller frees).
 * Same refusals as mutu_merge_batch.  Same returns. */
int mutu_merge_sweep(const char *const *paths, size_t n, mutu_format fmt, mutu_lang lang,
		     char **text, mutu_errors *errs);

#endif

/* mutu: solving a stream of cabinets (JSON Lines), in order, on several
 * threads, with checkpoints and shards.
 */
#ifndef MUTU_BATCH_H
#define MUTU_BATCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mutu/error.h"
#include "mutu/group.h"
#include "mutu/rules.h"

enum { MUTU_ESTOPPED = -5 }; /* stopped on request (tests) */

/* Default solver time limit per group in batch and sweep runs (ms): one
 * slow group must not hold a whole population; its line reports
 * `time_limit` with the best plan found. */
#define MUTU_BATCH_TIME_LIMIT_MS 5000

typedef struct mutu_batch_stats {
	unsigned long lines;      /* input lines read, all shards */
	unsigned long structures; /* lines processed by this run */
	unsigned long failed;     /* error records among them */
	unsigned long groups, plans;
	unsigned long resumed; /* lines done by an earlier run (checkpoint) */
	unsigned long total;   /* input lines, when known beforehand (else 0) */
	double seconds;
	/* Why a checkpoint was not used (another run's, the input or the
	 * rules changed...), "" when it was used or there was none. */
	char restarted[256];
} mutu_batch_stats;

typedef struct mutu_batch_options {
	const mutu_rules *rules;
	mutu_solve_options solve;
	int threads;
	unsigned long shard_k, shard_n; /* 1/1: everything */
	const char *input_name;         /* names the input in error records */
	const char *checkpoint;         /* NULL: none */
	unsigned long checkpoint_every; /* lines between checkpoints (0: every 2 s) */
	/* Called about every 200 ms, on the calling thread (may be NULL). */
	void (*progress)(void *ctx, const mutu_batch_stats *st);
	void *progress_ctx;
	unsigned long stop_after; /* tests: stop as if killed after this many lines (0: never) */
} mutu_batch_options;

/* One result line (no newline) for input line `lineno`: a compact solve
 * result with a "line" field, or an error record {"line": N, "cabinet":
 * ID when the line names one, "error": {"path": ..., "message": ...}}.
 * A NULL `line` is a line longer than the input limit.  *failed tells
 * which.  The caller frees the string; NULL when out of memory. */
char *mutu_batch_line(const mutu_rules *rules, const mutu_solve_options *opts,
		      const char *input_name, const char *line, size_t len, unsigned long lineno,
		      bool *failed, unsigned long *groups, unsigned long *plans);

/* Solves every line of `in` and writes one result line per input line, in
 * input order, to `out`, which the caller opened and closes.  With a
 * checkpoint, `out` must be the same file across runs, opened for reading
 * and writing without truncation (mutu_output_open with
 * MUTU_OUTPUT_RESUMABLE): finished lines are recorded every few seconds,
 * and a rerun whose checkpoint matches this run (the rules, the goal, the
 * time limit, the shard, and a fingerprint of the input lines already
 * done) resumes after them; any mismatch starts over, saying why in
 * st->restarted.  With a shard K/N (N > 1) the output ends with a record
 * {"mutu_batch_shard": {...}} naming the shard and the run, which
 * mutu_merge_batch checks.  Returns 0 (see st->failed), MUTU_EIO or
 * MUTU_ENOMEM with `err` filled, or MUTU_ESTOPPED. */
int mutu_batch_run(const mutu_batch_options *opts, FILE *in, FILE *out, mutu_batch_stats *st,
		   mutu_error *err);

/* Counts the lines of a regular file without disturbing its position;
 * 0 when it cannot tell (a pipe). */
unsigned long mutu_count_lines(FILE *in);

#endif

/* An ordered, bounded, multi-threaded pipeline over the lines of a JSON
 * Lines stream: worker threads turn lines into results, the calling
 * thread consumes the results in input order.  At most a fixed window of
 * lines is in flight, so memory stays flat however long the stream.
 * Internal to the library (used by batch and sweep).
 */
#ifndef MUTU_PIPELINE_H
#define MUTU_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One input line, without its line end.  A line longer than
 * mutu_file_limit() is not kept: `text` is then NULL and `too_long` set. */
typedef struct pipeline_line {
	const char *text;
	size_t len;
	unsigned long lineno; /* 1-based, counting every line of the input */
	bool too_long;
} pipeline_line;

typedef struct pipeline_cfg {
	FILE *in;
	int threads;           /* >= 1 */
	unsigned long shard_k; /* process lines with (n - 1) % shard_n == shard_k - 1 */
	unsigned long shard_n; /* 1: every line */
	unsigned long first;   /* line number of the first line read, minus one (resume) */
	uint64_t hash;         /* fingerprint of the lines before it (resume), else 0 */
	/* Turns a line into a result; runs on worker threads, so it must
	 * only read shared state.  Never returns NULL except when out of
	 * memory. */
	void *(*work)(void *ctx, const pipeline_line *line);
	/* Takes a result, in input order, on the calling thread; owns it.
	 * `hash` is the fingerprint of every input line up to and including
	 * this one (mutu_hash__lines).  Returns 0, or non-zero to stop. */
	int (*consume)(void *ctx, void *result, unsigned long lineno, uint64_t hash);
	void (*discard)(void *result); /* frees a result never consumed */
	/* Called on the calling thread about every 200 ms (may be NULL). */
	void (*tick)(void *ctx, unsigned long consumed, unsigned long lineno);
	void *ctx;
} pipeline_cfg;

/* Runs to the end of the input.  Returns 0, the non-zero code of
 * `consume`, MUTU_ENOMEM (a worker's result was NULL or a thread could not
 * start), or MUTU_EIO (reading failed).  *lines gets the number of the
 * last input line read and *hash (may be NULL) the fingerprint of them
 * all. */
int mutu_pipeline__run(const pipeline_cfg *cfg, unsigned long *lines, uint64_t *hash);

/* Reads one line of `in` (without its end) into `*buf` (grown, kept by the
 * caller), keeping at most `limit` bytes; *too_long tells when it was
 * longer.  Folds the line and its newline into `*hash`.  Returns the
 * length read, or -1 at the end of the input (or on a read error). */
long mutu_pipeline__read_line(FILE *in, char **buf, size_t *cap, size_t limit, bool *too_long,
			      uint64_t *hash);

#endif

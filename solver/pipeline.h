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
#include <stdio.h>

typedef struct pipeline_cfg {
	FILE *in;
	int threads;           /* >= 1 */
	unsigned long shard_k; /* process lines with (n - 1) % shard_n == shard_k - 1 */
	unsigned long shard_n; /* 1: every line */
	unsigned long skip;    /* input lines to pass over first (resume) */
	/* Turns line `lineno` (1-based, without its newline) into a result;
	 * runs on worker threads, so it must only read shared state.  Never
	 * returns NULL except when out of memory. */
	void *(*work)(void *ctx, const char *line, size_t len, unsigned long lineno);
	/* Takes a result, in input order, on the calling thread; owns it.
	 * Returns 0, or non-zero to stop the run. */
	int (*consume)(void *ctx, void *result, unsigned long lineno);
	void (*discard)(void *result); /* frees a result never consumed */
	/* Called on the calling thread about every 200 ms (may be NULL). */
	void (*tick)(void *ctx, unsigned long consumed, unsigned long lineno);
	void *ctx;
} pipeline_cfg;

/* Runs to the end of the input.  Returns 0, the non-zero code of
 * `consume`, MUTU_ENOMEM (a worker's result was NULL or a thread could not
 * start), or MUTU_EIO (reading failed).  *lines gets the number of input
 * lines read, including skipped ones. */
int mutu_pipeline__run(const pipeline_cfg *cfg, unsigned long *lines);

#endif

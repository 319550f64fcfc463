/* The ordered pipeline: see pipeline.h.
 *
 * A ring of WINDOW slots.  The calling thread reads lines into free slots
 * (state READY), workers claim READY slots in order and fill them (DONE),
 * and the calling thread consumes DONE slots strictly in input order,
 * freeing them for new lines.  One mutex, two condition variables.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "mutu/error.h"
#include "mutu/group.h"
#include "hash.h"
#include "mutu/file.h"
#include "pipeline.h"

enum { SLOT_FREE = 0, SLOT_READY, SLOT_BUSY, SLOT_DONE };

typedef struct slot {
	int state;
	char *line;
	pipeline_line in;
	uint64_t hash; /* of every input line up to this one */
	void *result;
} slot;

typedef struct shared {
	const pipeline_cfg *cfg;
	pthread_mutex_t mu;
	pthread_cond_t work_cv; /* a slot became READY, or stop */
	pthread_cond_t done_cv; /* a slot became DONE */
	slot *slots;
	size_t window;
	size_t head; /* next slot to consume */
	size_t tail; /* next slot to fill */
	size_t next; /* next slot to hand to a worker */
	bool stop;
	/* The reader's side (the calling thread's). */
	unsigned long lineno; /* last input line read */
	uint64_t hash;        /* fingerprint of the input read so far */
	char *buf;
	size_t cap, limit;
	bool eof;
} shared;

static void *worker(void *arg)
{
	shared *sh = arg;
	pthread_mutex_lock(&sh->mu);
	for (;;) {
		while (!sh->stop && sh->next == sh->tail)
			pthread_cond_wait(&sh->work_cv, &sh->mu);
		if (sh->next == sh->tail && sh->stop)
			break;
		slot *s = &sh->slots[sh->next % sh->window];
		sh->next++;
		s->state = SLOT_BUSY;
		pthread_mutex_unlock(&sh->mu);
		void *r = sh->cfg->work(sh->cfg->ctx, &s->in);
		pthread_mutex_lock(&sh->mu);
		s->result = r;
		s->state = SLOT_DONE;
		pthread_cond_broadcast(&sh->done_cv);
	}
	pthread_mutex_unlock(&sh->mu);
	mutu_solver_release(); /* GLPK's per-thread environment */
	return NULL;
}

/* Consumes every DONE slot at the head; returns the consumer's code. */
static int drain(shared *sh, unsigned long *consumed, int *rc_out)
{
	while (sh->head < sh->tail && sh->slots[sh->head % sh->window].state == SLOT_DONE) {
		slot *s = &sh->slots[sh->head % sh->window];
		void *r = s->result;
		unsigned long lineno = s->in.lineno;
		uint64_t hash = s->hash;
		free(s->line);
		s->line = NULL;
		s->result = NULL;
		s->state = SLOT_FREE;
		sh->head++;
		pthread_mutex_unlock(&sh->mu);
		int rc = r ? sh->cfg->consume(sh->cfg->ctx, r, lineno, hash) : MUTU_ENOMEM;
		(*consumed)++;
		pthread_mutex_lock(&sh->mu);
		if (rc != 0) {
			*rc_out = rc;
			return rc;
		}
	}
	return 0;
}

long mutu_pipeline__read_line(FILE *in, char **buf, size_t *cap, size_t limit, bool *too_long,
			      uint64_t *hash)
{
	size_t n = 0;
	int c = EOF;
	*too_long = false;
	flockfile(in);
	while ((c = getc_unlocked(in)) != EOF && c != '\n') {
		unsigned char byte = (unsigned char)c;
		*hash = mutu_hash__bytes(*hash, &byte, 1);
		if (n >= limit) {
			*too_long = true;
			n++;
			continue;
		}
		if (n + 1 >= *cap) {
			size_t bigger = *cap ? *cap * 2 : 4096;
			char *p = realloc(*buf, bigger);
			if (!p) {
				funlockfile(in);
				return -1;
			}
			*buf = p;
			*cap = bigger;
		}
		(*buf)[n++] = (char)c;
	}
	funlockfile(in);
	if (c == EOF && n == 0)
		return -1;
	*hash = mutu_hash__bytes(*hash, "\n", 1);
	if (!*too_long) {
		while (n > 0 && (*buf)[n - 1] == '\r')
			n--;
		if (*cap == 0) {
			*buf = malloc(1);
			*cap = *buf ? 1 : 0;
		}
		if (*buf)
			(*buf)[n] = '\0';
	}
	return (long)n;
}

/* Reads input lines into the free slots of the window (called with the
 * mutex held, released while reading).  Returns 0, MUTU_EIO or
 * MUTU_ENOMEM. */
static int fill(shared *sh)
{
	const pipeline_cfg *cfg = sh->cfg;
	while (!sh->eof && sh->tail - sh->head < sh->window) {
		pthread_mutex_unlock(&sh->mu);
		bool too_long = false;
		long n = mutu_pipeline__read_line(cfg->in, &sh->buf, &sh->cap, sh->limit, &too_long,
						  &sh->hash);
		pthread_mutex_lock(&sh->mu);
		if (n < 0) {
			sh->eof = true;
			return ferror(cfg->in) ? MUTU_EIO : 0;
		}
		sh->lineno++;
		if ((sh->lineno - 1) % cfg->shard_n != cfg->shard_k - 1)
			continue;
		size_t len = (size_t)n;
		slot *s = &sh->slots[sh->tail % sh->window];
		s->line = too_long ? NULL : malloc(len + 1);
		if (!too_long && !s->line)
			return MUTU_ENOMEM;
		if (s->line) {
			memcpy(s->line, sh->buf, len);
			s->line[len] = '\0';
		}
		s->in = (pipeline_line){s->line, len, sh->lineno, too_long};
		s->hash = sh->hash;
		s->state = SLOT_READY;
		sh->tail++;
		pthread_cond_signal(&sh->work_cv);
	}
	return 0;
}

/* Waits up to 200 ms for the head slot when the window is full or the
 * input is done (mutex held). */
static void wait_head(shared *sh)
{
	if (sh->head == sh->tail || sh->slots[sh->head % sh->window].state == SLOT_DONE ||
	    !(sh->eof || sh->tail - sh->head == sh->window))
		return;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 200000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&sh->done_cv, &sh->mu, &until);
}

/* Stops and joins the workers, and frees what was never consumed. */
static void stop(shared *sh, pthread_t *tids, int started)
{
	sh->stop = true;
	pthread_cond_broadcast(&sh->work_cv);
	pthread_mutex_unlock(&sh->mu);
	for (int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	for (size_t i = sh->head; i < sh->tail; i++) {
		slot *s = &sh->slots[i % sh->window];
		free(s->line);
		if (s->result && sh->cfg->discard)
			sh->cfg->discard(s->result);
	}
	pthread_cond_destroy(&sh->work_cv);
	pthread_cond_destroy(&sh->done_cv);
	pthread_mutex_destroy(&sh->mu);
}

int mutu_pipeline__run(const pipeline_cfg *cfg, unsigned long *lines, uint64_t *hash_out)
{
	shared sh;
	memset(&sh, 0, sizeof sh);
	sh.cfg = cfg;
	sh.window = (size_t)cfg->threads * 64;
	sh.slots = calloc(sh.window, sizeof *sh.slots);
	sh.lineno = cfg->first;
	sh.hash = cfg->first ? cfg->hash : MUTU_HASH_SEED;
	sh.limit = mutu_file_limit();
	pthread_t *tids = calloc((size_t)cfg->threads, sizeof *tids);
	int rc = 0, started = 0;
	unsigned long consumed = 0;
	double last_tick = mutu_clock_s();
	if (!sh.slots || !tids) {
		rc = MUTU_ENOMEM;
		goto cleanup;
	}
	pthread_mutex_init(&sh.mu, NULL);
	pthread_cond_init(&sh.work_cv, NULL);
	pthread_cond_init(&sh.done_cv, NULL);
	for (; started < cfg->threads; started++)
		if (pthread_create(&tids[started], NULL, worker, &sh) != 0) {
			rc = MUTU_ENOMEM;
			break;
		}
	pthread_mutex_lock(&sh.mu);
	sh.eof = rc != 0;
	while (rc == 0 && (!sh.eof || sh.head < sh.tail)) {
		if ((rc = fill(&sh)) != 0 || drain(&sh, &consumed, &rc) != 0)
			break;
		wait_head(&sh);
		if (cfg->tick && mutu_clock_s() - last_tick >= 0.2) {
			last_tick = mutu_clock_s();
			pthread_mutex_unlock(&sh.mu);
			cfg->tick(cfg->ctx, consumed, sh.lineno);
			pthread_mutex_lock(&sh.mu);
		}
	}
	stop(&sh, tids, started);
	if (cfg->tick)
		cfg->tick(cfg->ctx, consumed, sh.lineno);
cleanup:
	free(sh.buf);
	free(sh.slots);
	free(tids);
	if (lines)
		*lines = sh.lineno;
	if (hash_out)
		*hash_out = sh.hash;
	return rc;
}

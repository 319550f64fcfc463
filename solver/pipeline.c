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
#include "pipeline.h"

enum { SLOT_FREE = 0, SLOT_READY, SLOT_BUSY, SLOT_DONE };

typedef struct slot {
	int state;
	char *line;
	size_t len;
	unsigned long lineno;
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
		void *r = sh->cfg->work(sh->cfg->ctx, s->line, s->len, s->lineno);
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
		unsigned long lineno = s->lineno;
		free(s->line);
		s->line = NULL;
		s->result = NULL;
		s->state = SLOT_FREE;
		sh->head++;
		pthread_mutex_unlock(&sh->mu);
		int rc = r ? sh->cfg->consume(sh->cfg->ctx, r, lineno) : MUTU_ENOMEM;
		(*consumed)++;
		pthread_mutex_lock(&sh->mu);
		if (rc != 0) {
			*rc_out = rc;
			return rc;
		}
	}
	return 0;
}

int mutu_pipeline__run(const pipeline_cfg *cfg, unsigned long *lines)
{
	shared sh;
	memset(&sh, 0, sizeof sh);
	sh.cfg = cfg;
	sh.window = (size_t)cfg->threads * 64;
	sh.slots = calloc(sh.window, sizeof *sh.slots);
	pthread_t *tids = calloc((size_t)cfg->threads, sizeof *tids);
	int rc = 0, started = 0;
	unsigned long lineno = 0, consumed = 0;
	char *buf = NULL;
	size_t cap = 0;
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
	bool eof = rc != 0;
	while (rc == 0 && (!eof || sh.head < sh.tail)) {
		/* Fill free slots from the input. */
		while (!eof && sh.tail - sh.head < sh.window) {
			pthread_mutex_unlock(&sh.mu);
			ssize_t n = getline(&buf, &cap, cfg->in);
			pthread_mutex_lock(&sh.mu);
			if (n < 0) {
				eof = true;
				if (ferror(cfg->in))
					rc = MUTU_EIO;
				break;
			}
			lineno++;
			if (lineno <= cfg->skip || (lineno - 1) % cfg->shard_n != cfg->shard_k - 1)
				continue;
			size_t len = (size_t)n;
			while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
				len--;
			slot *s = &sh.slots[sh.tail % sh.window];
			s->line = malloc(len + 1);
			if (!s->line) {
				rc = MUTU_ENOMEM;
				break;
			}
			memcpy(s->line, buf, len);
			s->line[len] = '\0';
			s->len = len;
			s->lineno = lineno;
			s->state = SLOT_READY;
			sh.tail++;
			pthread_cond_signal(&sh.work_cv);
		}
		if (rc != 0 || drain(&sh, &consumed, &rc) != 0)
			break;
		if (sh.head < sh.tail && sh.slots[sh.head % sh.window].state != SLOT_DONE &&
		    (eof || sh.tail - sh.head == sh.window)) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += 200000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&sh.done_cv, &sh.mu, &until);
		}
		if (cfg->tick && mutu_clock_s() - last_tick >= 0.2) {
			last_tick = mutu_clock_s();
			pthread_mutex_unlock(&sh.mu);
			cfg->tick(cfg->ctx, consumed, lineno);
			pthread_mutex_lock(&sh.mu);
		}
	}
	sh.stop = true;
	pthread_cond_broadcast(&sh.work_cv);
	pthread_mutex_unlock(&sh.mu);
	for (int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	/* After a stop, free what was never consumed. */
	for (size_t i = sh.head; i < sh.tail; i++) {
		slot *s = &sh.slots[i % sh.window];
		free(s->line);
		if (s->result && cfg->discard)
			cfg->discard(s->result);
	}
	pthread_cond_destroy(&sh.work_cv);
	pthread_cond_destroy(&sh.done_cv);
	pthread_mutex_destroy(&sh.mu);
	if (cfg->tick)
		cfg->tick(cfg->ctx, consumed, lineno);
cleanup:
	free(buf);
	free(sh.slots);
	free(tids);
	if (lines)
		*lines = lineno;
	return rc;
}

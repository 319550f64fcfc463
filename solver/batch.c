/* Batch solving of a JSON Lines stream: see include/mutu/batch.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch_run.h"
#include "clock.h"
#include "hash.h"
#include "jsonw.h"
#include "jsonx.h"
#include "mutu/analysis.h"
#include "mutu/batch.h"
#include "mutu/file.h"
#include "pipeline.h"
#include "report.h"

static const char *const goal_names[] = {"net_benefit", "patients"};

/* The cabinet id a line names, when it can be read at all (for error
 * records of lines that do not load). */
static char *line_cabinet_id(const char *line, size_t len)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	jx x = {.file = "", .errs = &errs};
	jv *doc = line ? mutu_jx__parse(&x, line, len) : NULL;
	const char *id = mutu_jx__str(mutu_jx__member(doc, "id"));
	char *copy = id ? strdup(id) : NULL;
	mutu_jx__free(doc);
	return copy;
}

static char *error_record(unsigned long lineno, const char *cabinet, const mutu_errors *errs)
{
	jv *root = mutu_jw__object();
	mutu_jw__add_number(root, "line", (double)lineno);
	if (cabinet)
		mutu_jw__add_string(root, "cabinet", cabinet);
	jv *e = mutu_jw__add_object(root, "error");
	const mutu_error *first = errs->count ? &errs->items[0] : NULL;
	mutu_jw__add_string(e, "path", first ? first->path : "");
	mutu_jw__add_string(e, "message", first ? first->message : "unreadable line");
	if (errs->count + errs->dropped > 1) {
		jv *more = mutu_jw__add_array(root, "errors");
		for (size_t i = 0; i < errs->count; i++) {
			jv *j = mutu_jw__push(more, mutu_jw__object());
			mutu_jw__add_string(j, "path", errs->items[i].path);
			mutu_jw__add_string(j, "message", errs->items[i].message);
		}
	}
	return mutu_jw__print(root, true, false);
}

char *mutu_batch_line(const mutu_rules *rules, const mutu_solve_options *opts,
		      const char *input_name, const char *line, size_t len, unsigned long lineno,
		      bool *failed, unsigned long *groups, unsigned long *plans)
{
	mutu_errors *errs = malloc(sizeof *errs);
	mutu_cabinet cab;
	mutu_analysis an;
	char *out = NULL;
	char file[300];
	*failed = true;
	*groups = *plans = 0;
	if (!errs)
		return NULL;
	mutu_errors_clear(errs);
	snprintf(file, sizeof file, "%s:%lu", input_name, lineno);
	if (!line) {
		mutu_errors_add(errs, file, "",
				"line of %zu bytes, longer than the input limit of %zu bytes (set "
				"MUTU_MAX_INPUT_BYTES to raise it)",
				len, mutu_file_limit());
		out = error_record(lineno, NULL, errs);
		free(errs);
		return out;
	}
	if (mutu_cabinet_parse(&cab, rules, line, len, file, errs) != MUTU_OK) {
		char *id = line_cabinet_id(line, len);
		out = error_record(lineno, id, errs);
		free(id);
		free(errs);
		return out;
	}
	free(errs);
	if (mutu_analysis_run(&an, rules, &cab, true, opts) == MUTU_OK) {
		out = mutu_jw__print(mutu_report__solve_tree(&an, lineno), true, false);
		*groups = an.ngroups;
		for (size_t g = 0; g < an.ngroups; g++)
			*plans += mutu_analysis_has_plan(&an, g);
		*failed = mutu_analysis_failed(&an);
	}
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);
	return out;
}

typedef struct result {
	char *text;
	bool failed;
	unsigned long groups, plans;
} result;

typedef struct run {
	const mutu_batch_options *opts;
	mutu_batch__identity id;
	FILE *out;
	long bytes; /* written to out */
	mutu_batch_stats *st;
	unsigned long last_line; /* last input line whose result is written */
	uint64_t last_hash;      /* fingerprint of the input through last_line */
	double t0, last_checkpoint;
	mutu_error *err;
} run;

static void *work(void *ctx, const pipeline_line *line)
{
	const run *r = ctx;
	result *res = calloc(1, sizeof *res);
	if (!res)
		return NULL;
	res->text =
	    mutu_batch_line(r->opts->rules, &r->opts->solve, r->opts->input_name, line->text,
			    line->len, line->lineno, &res->failed, &res->groups, &res->plans);
	if (!res->text) {
		free(res);
		return NULL;
	}
	return res;
}

static void discard(void *p)
{
	result *res = p;
	free(res->text);
	free(res);
}

static void hex(char out[17], uint64_t h)
{
	snprintf(out, 17, "%016" PRIx64, h);
}

/* Adds the fields that say which run this is. */
static void add_identity(jv *o, const mutu_batch__identity *id)
{
	char h[17], shard[48];
	hex(h, id->rules);
	mutu_jw__add_string(o, "rules", h);
	mutu_jw__add_string(o, "goal", goal_names[id->goal]);
	mutu_jw__add_number(o, "time_limit_ms", id->time_limit_ms);
	snprintf(shard, sizeof shard, "%lu/%lu", id->shard_k, id->shard_n);
	mutu_jw__add_string(o, "shard", shard);
}

/* Writes the checkpoint (atomically) once the output it describes has
 * reached the disk. */
static int write_checkpoint(run *r)
{
	if (fflush(r->out) != 0 || fsync(fileno(r->out)) != 0) {
		snprintf(r->err->message, sizeof r->err->message, "cannot write the output: %s",
			 strerror(errno));
		return MUTU_EIO;
	}
	char h[17];
	jv *root = mutu_jw__object();
	mutu_jw__add_number(root, "mutu_batch_checkpoint", 1);
	add_identity(root, &r->id);
	mutu_jw__add_number(root, "lines", (double)r->last_line);
	hex(h, r->last_hash);
	mutu_jw__add_string(root, "input", h);
	mutu_jw__add_number(root, "bytes", (double)r->bytes);
	mutu_jw__add_number(root, "structures", (double)(r->st->structures + r->st->resumed));
	mutu_jw__add_number(root, "failed", (double)r->st->failed);
	mutu_jw__add_number(root, "groups", (double)r->st->groups);
	mutu_jw__add_number(root, "plans", (double)r->st->plans);
	char *text = mutu_jw__print(root, true, true);
	if (!text)
		return MUTU_ENOMEM;
	int rc = mutu_file_write(r->opts->checkpoint, text, r->err);
	free(text);
	return rc;
}

static int consume(void *ctx, void *p, unsigned long lineno, uint64_t hash)
{
	run *r = ctx;
	result *res = p;
	size_t len = strlen(res->text);
	bool ok = fwrite(res->text, 1, len, r->out) == len && fputc('\n', r->out) != EOF;
	r->bytes += (long)len + 1;
	r->last_line = lineno;
	r->last_hash = hash;
	r->st->structures++;
	r->st->failed += res->failed;
	r->st->groups += res->groups;
	r->st->plans += res->plans;
	discard(res);
	if (!ok) {
		snprintf(r->err->message, sizeof r->err->message, "cannot write the output: %s",
			 strerror(errno));
		return MUTU_EIO;
	}
	if (r->opts->stop_after && r->st->structures >= r->opts->stop_after)
		return MUTU_ESTOPPED;
	unsigned long every = r->opts->checkpoint_every;
	if (r->opts->checkpoint &&
	    (every ? r->st->structures % every == 0 : mutu_clock_s() - r->last_checkpoint >= 2.0)) {
		r->last_checkpoint = mutu_clock_s();
		return write_checkpoint(r);
	}
	return 0;
}

static void tick(void *ctx, unsigned long consumed, unsigned long lineno)
{
	run *r = ctx;
	(void)consumed;
	r->st->lines = lineno;
	r->st->seconds = mutu_clock_s() - r->t0;
	if (r->opts->progress)
		r->opts->progress(r->opts->progress_ctx, r->st);
}

unsigned long mutu_count_lines(FILE *in)
{
	struct stat sb;
	if (fstat(fileno(in), &sb) != 0 || !S_ISREG(sb.st_mode))
		return 0;
	long pos = ftell(in);
	unsigned long n = 0;
	char buf[65536];
	size_t got;
	int last = '\n';
	while ((got = fread(buf, 1, sizeof buf, in)) > 0) {
		for (size_t i = 0; i < got; i++)
			n += buf[i] == '\n';
		last = buf[got - 1];
	}
	if (last != '\n')
		n++;
	clearerr(in);
	fseek(in, pos, SEEK_SET);
	return n;
}

/* Where the run starts: after the lines of a matching checkpoint, or at
 * the top (emptying the output).  Returns 0 or MUTU_EIO. */
static int start(run *r, FILE *in, pipeline_cfg *cfg)
{
	mutu_batch__checkpoint ck;
	char reason[160] = "no checkpoint";
	const char *why = reason;
	if (r->opts->checkpoint && mutu_batch__read_checkpoint(r->opts->checkpoint, &r->id, r->out,
							       &ck, reason, sizeof reason)) {
		/* The input must begin with the lines already done. */
		uint64_t h = MUTU_HASH_SEED;
		char *buf = NULL;
		size_t cap = 0;
		unsigned long n = 0;
		bool too_long;
		while (n < ck.lines && mutu_pipeline__read_line(in, &buf, &cap, mutu_file_limit(),
								&too_long, &h) >= 0)
			n++;
		free(buf);
		if (n == ck.lines && h == ck.input && ftruncate(fileno(r->out), ck.bytes) == 0 &&
		    fseek(r->out, ck.bytes, SEEK_SET) == 0) {
			cfg->first = ck.lines;
			cfg->hash = h;
			r->bytes = ck.bytes;
			r->last_line = ck.lines;
			r->last_hash = h;
			r->st->resumed = ck.structures;
			r->st->failed = ck.failed;
			r->st->groups = ck.groups;
			r->st->plans = ck.plans;
			return MUTU_OK;
		}
		why =
		    "the input does not begin with the lines the checkpoint recorded (it changed)";
		if (fseek(in, 0, SEEK_SET) != 0) {
			snprintf(
			    r->err->message, sizeof r->err->message,
			    "%s: %s, and a stream cannot be read again: remove %s to start over",
			    r->opts->input_name, why, r->opts->checkpoint);
			return MUTU_EIO;
		}
	}
	if (r->opts->checkpoint && strcmp(why, "no checkpoint") != 0)
		snprintf(r->st->restarted, sizeof r->st->restarted, "%s: %s; starting over",
			 r->opts->checkpoint, why);
	if (r->opts->checkpoint &&
	    (ftruncate(fileno(r->out), 0) != 0 || fseek(r->out, 0, SEEK_SET) != 0)) {
		snprintf(r->err->message, sizeof r->err->message, "cannot empty the output: %s",
			 strerror(errno));
		return MUTU_EIO;
	}
	return MUTU_OK;
}

/* The end record of a shard: which run, which shard, how many lines. */
static int write_shard_end(run *r, unsigned long lines, uint64_t hash)
{
	char h[17];
	jv *root = mutu_jw__object();
	jv *end = mutu_jw__add_object(root, "mutu_batch_shard");
	add_identity(end, &r->id);
	mutu_jw__add_number(end, "lines", (double)lines);
	hex(h, hash);
	mutu_jw__add_string(end, "input", h);
	char *text = mutu_jw__print(root, true, true);
	if (!text)
		return MUTU_ENOMEM;
	bool ok = fputs(text, r->out) >= 0;
	free(text);
	if (!ok) {
		snprintf(r->err->message, sizeof r->err->message, "cannot write the output: %s",
			 strerror(errno));
		return MUTU_EIO;
	}
	return MUTU_OK;
}

int mutu_batch_run(const mutu_batch_options *o, FILE *in, FILE *out, mutu_batch_stats *st,
		   mutu_error *err)
{
	memset(st, 0, sizeof *st);
	run r = {.opts = o, .out = out, .st = st, .err = err, .t0 = mutu_clock_s()};
	r.last_checkpoint = r.t0;
	r.id = mutu_batch__identity_of(o);
	st->total = mutu_count_lines(in);
	pipeline_cfg cfg = {.in = in,
			    .threads = o->threads > 0 ? o->threads : 1,
			    .shard_k = o->shard_n ? o->shard_k : 1,
			    .shard_n = o->shard_n ? o->shard_n : 1,
			    .work = work,
			    .consume = consume,
			    .discard = discard,
			    .tick = tick,
			    .ctx = &r};
	int rc = start(&r, in, &cfg);
	if (rc != MUTU_OK)
		return rc;
	uint64_t hash = 0;
	rc = mutu_pipeline__run(&cfg, &st->lines, &hash);
	st->seconds = mutu_clock_s() - r.t0;
	if (rc == MUTU_ESTOPPED)
		return rc; /* as if killed: the partial output and the checkpoint stay */
	if (rc == MUTU_EIO && !err->message[0])
		snprintf(err->message, sizeof err->message, "%s: read error", o->input_name);
	if (rc == MUTU_ENOMEM)
		snprintf(err->message, sizeof err->message, "out of memory");
	if (rc == MUTU_OK && cfg.shard_n > 1)
		rc = write_shard_end(&r, st->lines, hash);
	return rc;
}

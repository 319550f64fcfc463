/* Batch solving of a JSON Lines stream: see include/mutu/batch.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jsonw.h"
#include "report.h"
#include "jsonx.h"
#include "clock.h"
#include "mutu/analysis.h"
#include "mutu/batch.h"
#include "fileio.h"
#include "pipeline.h"

static char *error_record(unsigned long lineno, const mutu_errors *errs)
{
	jv *root = mutu_jw__object();
	mutu_jw__add_number(root, "line", (double)lineno);
	jv *e = mutu_jw__add_object(root, "error");
	const mutu_error *first = errs->count ? &errs->items[0] : NULL;
	mutu_jw__add_string(e, "path", first ? first->path : "");
	mutu_jw__add_string(e, "message", first ? first->message : "unreadable line");
	if (errs->count + errs->dropped > 1) {
		jv *more = mutu_jw__add_array(root, "errors");
		for (size_t i = 0; i < errs->count; i++) {
			jv *j = mutu_jw__object();
			mutu_jw__add_string(j, "path", errs->items[i].path);
			mutu_jw__add_string(j, "message", errs->items[i].message);
			mutu_jw__push(more, j);
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
	if (mutu_cabinet_parse(&cab, rules, line, len, file, errs) != MUTU_OK) {
		out = error_record(lineno, errs);
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
	FILE *out;
	long bytes; /* written to out */
	mutu_batch_stats *st;
	unsigned long last_line; /* last input line whose result is written */
	double t0, last_checkpoint;
	mutu_error *err;
} run;

static void *work(void *ctx, const char *line, size_t len, unsigned long lineno)
{
	const run *r = ctx;
	result *res = calloc(1, sizeof *res);
	if (!res)
		return NULL;
	res->text = mutu_batch_line(r->opts->rules, &r->opts->solve, r->opts->input_name, line, len,
				    lineno, &res->failed, &res->groups, &res->plans);
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

/* Writes the checkpoint through a temporary file and rename, after the
 * output it describes has reached the disk. */
static int write_checkpoint(run *r)
{
	const mutu_batch_options *o = r->opts;
	if (fflush(r->out) != 0 || fsync(fileno(r->out)) != 0)
		return MUTU_EIO;
	jv *root = mutu_jw__object();
	mutu_jw__add_string(root, "key", o->key ? o->key : "");
	mutu_jw__add_number(root, "lines", (double)r->last_line);
	mutu_jw__add_number(root, "bytes", (double)r->bytes);
	mutu_jw__add_number(root, "structures", (double)(r->st->structures + r->st->resumed));
	mutu_jw__add_number(root, "failed", (double)r->st->failed);
	mutu_jw__add_number(root, "groups", (double)r->st->groups);
	mutu_jw__add_number(root, "plans", (double)r->st->plans);
	char *text = mutu_jw__print(root, true, false);
	if (!text)
		return MUTU_ENOMEM;
	int rc = mutu_file__write_atomic(o->checkpoint, text);
	free(text);
	return rc;
}

static int consume(void *ctx, void *p, unsigned long lineno)
{
	run *r = ctx;
	result *res = p;
	size_t len = strlen(res->text);
	bool ok = fwrite(res->text, 1, len, r->out) == len && fputc('\n', r->out) != EOF;
	r->bytes += (long)len + 1;
	r->last_line = lineno;
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
		if (write_checkpoint(r) != MUTU_OK) {
			snprintf(r->err->message, sizeof r->err->message,
				 "cannot write the checkpoint %s: %s", r->opts->checkpoint,
				 strerror(errno));
			return MUTU_EIO;
		}
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

/* Reads a checkpoint matching `key`: 1 found, 0 none (or another run's),
 * negative on a damaged file. */
static int read_checkpoint(const mutu_batch_options *o, unsigned long *lines, long *bytes,
			   mutu_batch_stats *st)
{
	FILE *f = fopen(o->checkpoint, "rb");
	if (!f)
		return 0;
	char buf[4096];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	mutu_errors errs;
	mutu_errors_clear(&errs);
	jx x = {.file = o->checkpoint, .errs = &errs};
	jv *doc = mutu_jx__parse(&x, buf, n);
	const jv *key = mutu_jx__member(doc, "key");
	int rc = -1;
	if (mutu_jx__is_string(key)) {
		rc = 0;
		if (strcmp(mutu_jx__str(key), o->key ? o->key : "") == 0) {
			const char *names[] = {"lines",  "bytes",  "structures",
					       "failed", "groups", "plans"};
			double v[6];
			rc = 1;
			for (int i = 0; i < 6; i++) {
				const jv *it = mutu_jx__member(doc, names[i]);
				if (!mutu_jx__is_number(it) || mutu_jx__num(it) < 0)
					rc = -1;
				else
					v[i] = mutu_jx__num(it);
			}
			if (rc == 1) {
				*lines = (unsigned long)v[0];
				*bytes = (long)v[1];
				st->resumed = (unsigned long)v[2];
				st->failed = (unsigned long)v[3];
				st->groups = (unsigned long)v[4];
				st->plans = (unsigned long)v[5];
			}
		}
	}
	mutu_jx__free(doc);
	return rc;
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

int mutu_batch_run(const mutu_batch_options *o, FILE *in, const char *out_path,
		   mutu_batch_stats *st, mutu_error *err)
{
	memset(st, 0, sizeof *st);
	run r = {.opts = o, .st = st, .err = err, .t0 = mutu_clock_s()};
	r.last_checkpoint = r.t0;
	bool to_file = out_path && strcmp(out_path, "-") != 0;
	char *tmp = NULL;
	unsigned long skip = 0;
	int rc;
	st->total = mutu_count_lines(in);
	if (to_file) {
		size_t n = strlen(out_path) + 32;
		tmp = malloc(n);
		if (!tmp)
			return MUTU_ENOMEM;
		if (o->checkpoint)
			snprintf(tmp, n, "%s.partial", out_path);
		else
			snprintf(tmp, n, "%s.tmp.%ld", out_path, (long)getpid());
		long bytes = 0;
		int found = o->checkpoint ? read_checkpoint(o, &skip, &bytes, st) : 0;
		if (found < 0) {
			snprintf(err->message, sizeof err->message,
				 "%s: damaged checkpoint; remove it to start over", o->checkpoint);
			free(tmp);
			return MUTU_EIO;
		}
		if (found == 1) {
			r.out = fopen(tmp, "r+b");
			if (r.out && (ftruncate(fileno(r.out), bytes) != 0 ||
				      fseek(r.out, bytes, SEEK_SET) != 0)) {
				fclose(r.out);
				r.out = NULL;
			}
			r.bytes = bytes;
			r.last_line = skip;
		} else {
			skip = 0;
			memset(st, 0, sizeof *st);
			st->total = mutu_count_lines(in);
			r.out = fopen(tmp, "wb");
		}
		if (!r.out) {
			snprintf(err->message, sizeof err->message, "cannot write %s: %s", tmp,
				 strerror(errno));
			free(tmp);
			return MUTU_EIO;
		}
	} else {
		r.out = stdout;
	}
	pipeline_cfg cfg = {.in = in,
			    .threads = o->threads > 0 ? o->threads : 1,
			    .shard_k = o->shard_n ? o->shard_k : 1,
			    .shard_n = o->shard_n ? o->shard_n : 1,
			    .skip = skip,
			    .work = work,
			    .consume = consume,
			    .discard = discard,
			    .tick = tick,
			    .ctx = &r};
	rc = mutu_pipeline__run(&cfg, &st->lines);
	st->seconds = mutu_clock_s() - r.t0;
	if (rc == MUTU_ESTOPPED) {
		/* As if killed: leave the partial output and the checkpoint. */
		if (to_file)
			fclose(r.out);
		free(tmp);
		return rc;
	}
	if (rc == MUTU_EIO && !err->message[0])
		snprintf(err->message, sizeof err->message, "%s: read error", o->input_name);
	if (rc == MUTU_ENOMEM)
		snprintf(err->message, sizeof err->message, "out of memory");
	if (to_file) {
		if (fclose(r.out) != 0 && rc == MUTU_OK) {
			snprintf(err->message, sizeof err->message, "cannot write %s: %s", tmp,
				 strerror(errno));
			rc = MUTU_EIO;
		}
		if (rc == MUTU_OK && rename(tmp, out_path) != 0) {
			snprintf(err->message, sizeof err->message, "cannot rename %s to %s: %s",
				 tmp, out_path, strerror(errno));
			rc = MUTU_EIO;
		}
		if (rc != MUTU_OK && !o->checkpoint)
			remove(tmp);
		if (rc == MUTU_OK && o->checkpoint)
			remove(o->checkpoint);
	} else if (fflush(stdout) != 0 && rc == MUTU_OK) {
		snprintf(err->message, sizeof err->message, "cannot write the output: %s",
			 strerror(errno));
		rc = MUTU_EIO;
	}
	free(tmp);
	return rc;
}

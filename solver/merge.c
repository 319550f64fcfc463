/* Checkpoints of batch runs and the merge of batch shards: what makes a
 * run the same run, checked field by field (see include/mutu/batch.h). */
#include <errno.h>
#include <stdio.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch_run.h"
#include "hash.h"
#include "mutu/merge.h"
#include "mutu/file.h"
#include "pipeline.h"

static const char *const goal_names[] = {"net_benefit", "patients", NULL};

mutu_batch__identity mutu_batch__identity_of(const mutu_batch_options *o)
{
	mutu_batch__identity id = {0, (int)o->solve.goal, o->solve.time_limit_ms,
				   o->shard_n ? o->shard_k : 1, o->shard_n ? o->shard_n : 1};
	char *text = mutu_rules_to_json(o->rules);
	id.rules = text ? mutu_hash__bytes(MUTU_HASH_SEED, text, strlen(text)) : 0;
	free(text);
	return id;
}

int mutu_batch__parse_hex(const char *s, uint64_t *out)
{
	if (!s || strlen(s) != 16 || strspn(s, "0123456789abcdef") != 16)
		return MUTU_EINPUT;
	*out = strtoull(s, NULL, 16);
	return MUTU_OK;
}

static bool get_count(const jv *obj, const char *key, double *out)
{
	const jv *v = mutu_jx__member(obj, key);
	if (!mutu_jx__is_number(v) || mutu_jx__num(v) < 0 || mutu_jx__num(v) > 9e15)
		return false;
	*out = mutu_jx__num(v);
	return true;
}

const char *mutu_batch__read_identity(const jv *obj, mutu_batch__identity *id)
{
	double t;
	unsigned long k, n;
	char tail;
	const char *goal = mutu_jx__str(mutu_jx__member(obj, "goal"));
	const char *shard = mutu_jx__str(mutu_jx__member(obj, "shard"));
	if (mutu_batch__parse_hex(mutu_jx__str(mutu_jx__member(obj, "rules")), &id->rules) != 0)
		return "rules";
	id->goal = -1;
	for (int i = 0; goal && goal_names[i]; i++)
		if (strcmp(goal, goal_names[i]) == 0)
			id->goal = i;
	if (id->goal < 0)
		return "goal";
	if (!get_count(obj, "time_limit_ms", &t))
		return "time_limit_ms";
	id->time_limit_ms = (int)t;
	if (!shard || sscanf(shard, "%lu/%lu%c", &k, &n, &tail) != 2 || k < 1 || k > n)
		return "shard";
	id->shard_k = k;
	id->shard_n = n;
	return NULL;
}

/* The first field in which two runs differ, or NULL. */
static const char *differs(const mutu_batch__identity *a, const mutu_batch__identity *b, bool shard)
{
	if (a->rules != b->rules)
		return "the rules";
	if (a->goal != b->goal)
		return "the goal";
	if (a->time_limit_ms != b->time_limit_ms)
		return "the time limit";
	if (shard && (a->shard_k != b->shard_k || a->shard_n != b->shard_n))
		return "the shard";
	if (!shard && a->shard_n != b->shard_n)
		return "the number of shards";
	return NULL;
}

bool mutu_batch__read_checkpoint(const char *path, const mutu_batch__identity *id, FILE *out,
				 mutu_batch__checkpoint *ck, char *why, size_t size)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	char *text = NULL;
	size_t len = 0;
	struct stat sb;
	snprintf(why, size, "no checkpoint");
	if (stat(path, &sb) != 0 && errno == ENOENT)
		return false;
	snprintf(why, size, "the checkpoint cannot be read");
	if (mutu_file_read(path, &text, &len, &errs) != MUTU_OK)
		return false;
	jx x = {.file = path, .errs = &errs};
	jv *doc = mutu_jx__parse(&x, text, len);
	free(text);
	mutu_batch__identity was;
	double v[6];
	const char *bad = NULL;
	const char *names[] = {"lines", "bytes", "structures", "failed", "groups", "plans"};
	if (!doc || !mutu_jx__member(doc, "mutu_batch_checkpoint"))
		bad = "not a checkpoint of mutu batch";
	else if (mutu_batch__read_identity(doc, &was) != NULL)
		bad = "a damaged checkpoint";
	for (int i = 0; !bad && i < 6; i++)
		if (!get_count(doc, names[i], &v[i]))
			bad = "a damaged checkpoint";
	if (!bad && mutu_batch__parse_hex(mutu_jx__str(mutu_jx__member(doc, "input")), &ck->input))
		bad = "a damaged checkpoint";
	mutu_jx__free(doc);
	const char *diff = bad ? NULL : differs(&was, id, true);
	if (bad || diff) {
		if (bad)
			snprintf(why, size, "%s", bad);
		else
			snprintf(why, size, "a checkpoint of another run (%s differ)", diff);
		return false;
	}
	ck->lines = (unsigned long)v[0];
	ck->bytes = (long)v[1];
	ck->structures = (unsigned long)v[2];
	ck->failed = (unsigned long)v[3];
	ck->groups = (unsigned long)v[4];
	ck->plans = (unsigned long)v[5];
	if (fstat(fileno(out), &sb) != 0 || sb.st_size < ck->bytes) {
		snprintf(why, size, "the partial output is shorter than the checkpoint records");
		return false;
	}
	return true;
}

/* ---- merging shards ---- */

typedef struct shard {
	const char *path;
	FILE *f;
	char *line;
	size_t cap;
	long len;
	mutu_batch__identity id;
	double lines;
	uint64_t input;
} shard;

/* Parses `text` as one JSON document, without recording errors. */
static jv *parse_quiet(const char *text, size_t len)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	jx x = {.file = "", .errs = &errs};
	return mutu_jx__parse(&x, text, len);
}

/* Reads shard `s` to its end and its end record into `s`. */
static int read_end(shard *s, mutu_errors *errs)
{
	mutu_error e = {{0}, {0}, {0}};
	if (strcmp(s->path, "-") == 0) {
		/* Read twice: standard input is kept in a temporary file. */
		s->f = tmpfile();
		char buf[65536];
		size_t got;
		while (s->f && (got = fread(buf, 1, sizeof buf, stdin)) > 0)
			if (fwrite(buf, 1, got, s->f) != got) {
				fclose(s->f);
				s->f = NULL;
			}
		if (!s->f || ferror(stdin) || fseek(s->f, 0, SEEK_SET) != 0) {
			mutu_errors_add(errs, "standard input", NULL, "cannot be read: %s",
					strerror(errno));
			return MUTU_EIO;
		}
	} else if (mutu_file_open_stream(s->path, &s->f, &e) != MUTU_OK) {
		mutu_errors_add(errs, e.file, NULL, "%s", e.message);
		return MUTU_EIO;
	}
	uint64_t h = 0;
	bool too_long;
	char *last = NULL;
	long n;
	while ((n = mutu_pipeline__read_line(s->f, &s->line, &s->cap, mutu_file_limit(), &too_long,
					     &h)) >= 0)
		if (n > 0 && !too_long) {
			free(last);
			last = strndup(s->line, (size_t)n);
		}
	jv *doc = last ? parse_quiet(last, strlen(last)) : NULL;
	free(last);
	const jv *end = mutu_jx__member(doc, "mutu_batch_shard");
	const char *bad = end ? mutu_batch__read_identity(end, &s->id) : "";
	if (!bad && (!get_count(end, "lines", &s->lines) ||
		     mutu_batch__parse_hex(mutu_jx__str(mutu_jx__member(end, "input")), &s->input)))
		bad = "lines";
	mutu_jx__free(doc);
	if (bad) {
		mutu_errors_add(errs, s->path, NULL,
				"no end record of 'mutu batch --shard': an unfinished shard (the "
				".partial of a run that was stopped?) or not a shard at all");
		return MUTU_EINPUT;
	}
	if (fseek(s->f, 0, SEEK_SET) != 0) {
		mutu_errors_add(errs, s->path, NULL,
				"cannot be read twice (give a file, not a pipe)");
		return MUTU_EIO;
	}
	return MUTU_OK;
}

/* The shards belong to one run and are each there once. */
static int check_set(shard *sh, size_t n, mutu_errors *errs)
{
	unsigned long N = sh[0].id.shard_n;
	int rc = MUTU_OK;
	for (size_t i = 1; i < n; i++) {
		const char *diff = differs(&sh[0].id, &sh[i].id, false);
		if (!diff && (sh[i].lines != sh[0].lines || sh[i].input != sh[0].input))
			diff = "the input";
		if (diff) {
			mutu_errors_add(errs, sh[i].path, NULL,
					"a shard of another run than %s: %s differ", sh[0].path,
					diff);
			rc = MUTU_EINPUT;
		}
	}
	if (rc != MUTU_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (sh[i].id.shard_k == sh[j].id.shard_k) {
				mutu_errors_add(errs, sh[i].path, NULL,
						"shard %lu/%lu given twice (also %s)",
						sh[i].id.shard_k, N, sh[j].path);
				rc = MUTU_EINPUT;
			}
	for (unsigned long k = 1; k <= N && rc == MUTU_OK; k++) {
		bool found = false;
		for (size_t i = 0; i < n && !found; i++)
			found = sh[i].id.shard_k == k;
		if (!found) {
			mutu_errors_add(errs, "merge", NULL, "shard %lu/%lu is missing", k, N);
			rc = MUTU_EINPUT;
		}
	}
	return rc;
}

/* The "line" number of a result line, 0 when it has none. */
static unsigned long line_number(const char *text, size_t len)
{
	jv *doc = parse_quiet(text, len);
	double v = mutu_jx__num(mutu_jx__member(doc, "line"));
	mutu_jx__free(doc);
	return v >= 1 && v < 9e15 ? (unsigned long)v : 0;
}

int mutu_merge_batch(const char *const *paths, size_t n, FILE *out, mutu_errors *errs)
{
	shard *sh = calloc(n + 1, sizeof *sh);
	if (!sh)
		return MUTU_ENOMEM;
	int rc = MUTU_OK;
	for (size_t i = 0; i < n; i++) {
		sh[i].path = paths[i];
		int r = read_end(&sh[i], errs);
		rc = rc == MUTU_OK ? r : rc;
	}
	if (rc == MUTU_OK)
		rc = check_set(sh, n, errs);
	/* Line L of the input is in shard (L - 1) % N + 1: take them in turn. */
	unsigned long N = n ? sh[0].id.shard_n : 0, total = n ? (unsigned long)sh[0].lines : 0;
	shard **by_k = rc == MUTU_OK ? calloc(N + 1, sizeof *by_k) : NULL;
	for (size_t i = 0; by_k && i < n; i++)
		by_k[sh[i].id.shard_k] = &sh[i];
	if (rc == MUTU_OK && !by_k)
		rc = MUTU_ENOMEM;
	uint64_t h = 0;
	bool too_long;
	for (unsigned long line = 1; rc == MUTU_OK && line <= total; line++) {
		shard *s = by_k[(line - 1) % N + 1];
		long len = mutu_pipeline__read_line(s->f, &s->line, &s->cap, mutu_file_limit(),
						    &too_long, &h);
		unsigned long got = len > 0 && !too_long ? line_number(s->line, (size_t)len) : 0;
		if (got != line) {
			mutu_errors_add(errs, s->path, NULL,
					"result of input line %lu expected, %s (a line lost or "
					"repeated: the shard is damaged)",
					line, got ? "found another line" : "found none");
			rc = MUTU_EINPUT;
			break;
		}
		if (fwrite(s->line, 1, (size_t)len, out) != (size_t)len ||
		    fputc('\n', out) == EOF) {
			mutu_errors_add(errs, "merge", NULL, "cannot write the output: %s",
					strerror(errno));
			rc = MUTU_EIO;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (sh[i].f)
			fclose(sh[i].f);
		free(sh[i].line);
	}
	free(by_k);
	free(sh);
	return rc;
}

/* mutu batch, mutu merge. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "cmd.h"
#include "mutu/batch.h"

static const char batch_help[] =
    "Usage: mutu batch --rules RULES [--goal G] [-j THREADS] [IN.jsonl|-] [--out FILE]\n"
    "                  [--checkpoint FILE] [--shard K/N] [--time-limit MS] [--quiet]\n"
    "\n"
    "Solves one cabinet per input line (JSON Lines, default standard input) and\n"
    "writes one result line per input line, in input order whatever the thread\n"
    "count: the solve result (formats.md \"Solve result\") with a \"line\" field, or\n"
    "{\"line\": N, \"error\": {\"path\": ..., \"message\": ...}} for a line that cannot be\n"
    "read.  A bad line does not stop the batch.\n"
    "\n"
    "  -r, --rules FILE       rules file (required)\n"
    "  -g, --goal GOAL        net_benefit (default) or patients\n"
    "  -j, --threads N        worker threads (default 1)\n"
    "  -o, --out FILE         output file (written under a temporary name, renamed\n"
    "                         at the end); default standard output\n"
    "  -c, --checkpoint FILE  record finished lines there (needs --out); rerunning\n"
    "                         the same command resumes after them\n"
    "      --checkpoint-every N  a checkpoint every N lines (default: every 2 s)\n"
    "  -s, --shard K/N        process only input lines K, K+N, K+2N, ... (1 <= K <= N);\n"
    "                         'mutu merge' joins the N outputs into one run's output\n"
    "  -t, --time-limit MS    solver time limit per group\n"
    "  -q, --quiet            no progress bar and no summary on standard error\n"
    "  -h, --help             this help\n"
    "\n"
    "Exit status: 0 every line solved, 1 some line failed, 2 bad usage or rules,\n"
    "3 internal failure.\n";

static const char merge_help[] =
    "Usage: mutu merge [--out FILE] SHARD...\n"
    "\n"
    "Joins the outputs of 'mutu batch --shard K/N' (K = 1..N, any order) into\n"
    "exactly what one unsharded run prints: result lines in input-line order.\n"
    "Outputs of 'mutu sweep --shard' are combined into the sweep's table.\n"
    "\n"
    "  -o, --out FILE    output file (default standard output)\n"
    "  -f, --format FMT  for sweep shards: text (default), csv or json\n"
    "  -h, --help        this help\n";

bool cmd_parse_shard(const char *s, unsigned long *k, unsigned long *n)
{
	char *end;
	unsigned long a = strtoul(s, &end, 10);
	if (end == s || *end != '/')
		return false;
	const char *b = end + 1;
	unsigned long c = strtoul(b, &end, 10);
	if (end == b || *end || a < 1 || c < 1 || a > c || c > 100000)
		return false;
	*k = a;
	*n = c;
	return true;
}

typedef struct progress {
	bool tty;
} progress;

static void show_progress(void *ctx, const mutu_batch_stats *st)
{
	const progress *p = ctx;
	if (!p->tty)
		return;
	double done = (double)st->structures;
	double rate = st->seconds > 0 ? done / st->seconds : 0;
	if (st->total > 0) {
		double left = (double)st->total - (double)st->lines;
		double eta = rate > 0 && left > 0 ? left / rate : 0;
		fprintf(stderr, "\r%lu/%lu lines  %.0f/s  ETA %02d:%02d   ", st->lines, st->total,
			rate, (int)(eta / 60), (int)eta % 60);
	} else {
		fprintf(stderr, "\r%lu lines  %.0f/s   ", st->lines, rate);
	}
}

int cmd_batch(int argc, char **argv)
{
	static const struct option longs[] = {{"rules", required_argument, NULL, 'r'},
					      {"goal", required_argument, NULL, 'g'},
					      {"threads", required_argument, NULL, 'j'},
					      {"out", required_argument, NULL, 'o'},
					      {"checkpoint", required_argument, NULL, 'c'},
					      {"shard", required_argument, NULL, 's'},
					      {"time-limit", required_argument, NULL, 't'},
					      {"checkpoint-every", required_argument, NULL, 'E'},
					      {"quiet", no_argument, NULL, 'q'},
					      {"help", no_argument, NULL, 'h'},
					      {NULL, 0, NULL, 0}};
	const char *rules_path = NULL, *out = NULL, *in_path = "-";
	mutu_batch_options o;
	memset(&o, 0, sizeof o);
	o.threads = 1;
	o.shard_k = o.shard_n = 1;
	bool quiet = false;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":r:g:j:o:c:s:t:qh", longs, NULL)) != -1) {
		char *end;
		long v;
		switch (c) {
		case 'r':
			rules_path = optarg;
			break;
		case 'g':
			if (strcmp(optarg, "net_benefit") == 0)
				o.solve.goal = MUTU_GOAL_NET_BENEFIT;
			else if (strcmp(optarg, "patients") == 0)
				o.solve.goal = MUTU_GOAL_PATIENTS;
			else
				return cmd_usage_error("batch",
						       "--goal must be net_benefit or "
						       "patients, got '%s'",
						       optarg);
			break;
		case 'j':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 256)
				return cmd_usage_error(
				    "batch", "--threads takes 1 to 256, got '%s'", optarg);
			o.threads = (int)v;
			break;
		case 'o':
			out = optarg;
			break;
		case 'c':
			o.checkpoint = optarg;
			break;
		case 's':
			if (!cmd_parse_shard(optarg, &o.shard_k, &o.shard_n))
				return cmd_usage_error("batch",
						       "--shard takes K/N with 1 <= K <= N, "
						       "got '%s'",
						       optarg);
			break;
		case 't':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 86400000)
				return cmd_usage_error("batch",
						       "--time-limit takes milliseconds, got "
						       "'%s'",
						       optarg);
			o.solve.time_limit_ms = (int)v;
			break;
		case 'E':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1)
				return cmd_usage_error("batch",
						       "--checkpoint-every takes a number of "
						       "lines, got '%s'",
						       optarg);
			o.checkpoint_every = (unsigned long)v;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			fputs(batch_help, stdout);
			return MUTU_EXIT_OK;
		case ':':
			return cmd_usage_error("batch", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cmd_usage_error("batch", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		in_path = argv[optind++];
	if (optind < argc)
		return cmd_usage_error("batch", "one input file expected, got also '%s'",
				       argv[optind]);
	if (!rules_path)
		return cmd_usage_error("batch", "--rules FILE is required");
	if (o.checkpoint && (!out || strcmp(out, "-") == 0))
		return cmd_usage_error("batch", "--checkpoint needs --out FILE");
	mutu_rules rules;
	if (!cmd_load_rules(&rules, rules_path))
		return MUTU_EXIT_USAGE;
	FILE *in = strcmp(in_path, "-") == 0 ? stdin : fopen(in_path, "rb");
	if (!in) {
		perror(in_path);
		mutu_rules_free(&rules);
		return MUTU_EXIT_USAGE;
	}
	char key[2048];
	snprintf(key, sizeof key, "batch|%s|%s|%d|%lu/%lu|%d|%s", rules_path, in_path,
		 (int)o.solve.goal, o.shard_k, o.shard_n, o.solve.time_limit_ms, out ? out : "-");
	progress p = {.tty = !quiet && isatty(STDERR_FILENO)};
	o.rules = &rules;
	o.input_name = strcmp(in_path, "-") == 0 ? "stdin" : in_path;
	o.key = key;
	o.progress = show_progress;
	o.progress_ctx = &p;
	const char *stop = getenv("MUTU_TEST_STOP_AFTER");
	o.stop_after = stop ? strtoul(stop, NULL, 10) : 0;
	mutu_batch_stats st;
	mutu_error err;
	memset(&err, 0, sizeof err);
	int rc = mutu_batch_run(&o, in, out, &st, &err);
	if (p.tty)
		fprintf(stderr, "\n");
	if (in != stdin)
		fclose(in);
	mutu_rules_free(&rules);
	if (rc == MUTU_ESTOPPED) {
		fprintf(stderr, "mutu batch: stopped after %lu lines (MUTU_TEST_STOP_AFTER)\n",
			st.structures);
		return MUTU_EXIT_INTERNAL;
	}
	if (rc != MUTU_OK) {
		fprintf(stderr, "mutu batch: %s\n", err.message);
		return MUTU_EXIT_INTERNAL;
	}
	if (!quiet) {
		unsigned long all = st.structures + st.resumed;
		fprintf(stderr,
			"mutu batch: %lu structures (%lu failed), %lu groups, %lu pooled plans",
			all, st.failed, st.groups, st.plans);
		if (st.resumed)
			fprintf(stderr, ", %lu resumed from the checkpoint", st.resumed);
		fprintf(stderr, "; %.1f s, %.0f structures/s\n", st.seconds,
			st.seconds > 0 ? (double)st.structures / st.seconds : 0);
	}
	return st.failed ? MUTU_EXIT_FINDINGS : MUTU_EXIT_OK;
}

/* ---- merge ---- */

typedef struct shard_in {
	FILE *f;
	const char *name;
	char *line;
	size_t cap;
	long lineno; /* of the current line, -1 at end */
} shard_in;

/* Reads the next line of a shard and its "line" number. */
static int shard_next(shard_in *s)
{
	ssize_t n = getline(&s->line, &s->cap, s->f);
	if (n < 0) {
		s->lineno = -1;
		return 0;
	}
	cJSON *doc = cJSON_ParseWithLength(s->line, (size_t)n);
	const cJSON *ln = cJSON_GetObjectItemCaseSensitive(doc, "line");
	s->lineno = cJSON_IsNumber(ln) && ln->valuedouble >= 1 ? (long)ln->valuedouble : 0;
	cJSON_Delete(doc);
	if (s->lineno == 0) {
		fprintf(stderr, "%s: a line without a \"line\" number: not a 'mutu batch' output\n",
			s->name);
		return -1;
	}
	return 0;
}

static int merge_batch(shard_in *shards, size_t n, FILE *out)
{
	for (size_t i = 0; i < n; i++)
		if (shard_next(&shards[i]) != 0)
			return MUTU_EXIT_USAGE;
	long last = 0;
	for (;;) {
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (shards[i].lineno > 0 &&
			    (best == n || shards[i].lineno < shards[best].lineno))
				best = i;
		if (best == n)
			return MUTU_EXIT_OK;
		if (shards[best].lineno == last) {
			fprintf(stderr, "%s: line %ld appears in two shards\n", shards[best].name,
				last);
			return MUTU_EXIT_USAGE;
		}
		last = shards[best].lineno;
		fputs(shards[best].line, out);
		size_t len = strlen(shards[best].line);
		if (len == 0 || shards[best].line[len - 1] != '\n')
			fputc('\n', out);
		if (shard_next(&shards[best]) != 0)
			return MUTU_EXIT_USAGE;
	}
}

int cmd_merge(int argc, char **argv)
{
	static const struct option longs[] = {{"out", required_argument, NULL, 'o'},
					      {"format", required_argument, NULL, 'f'},
					      {"help", no_argument, NULL, 'h'},
					      {NULL, 0, NULL, 0}};
	const char *out = NULL, *format = "text";
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:f:h", longs, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'h':
			fputs(merge_help, stdout);
			return MUTU_EXIT_OK;
		case ':':
			return cmd_usage_error("merge", "option '%s' needs a value",
					       argv[optind - 1]);
		default:
			return cmd_usage_error("merge", "unknown option '%s'", argv[optind - 1]);
		}
	}
	size_t n = (size_t)(argc - optind);
	if (n == 0)
		return cmd_usage_error("merge", "no shard files given");
	shard_in *shards = calloc(n, sizeof *shards);
	if (!shards)
		return MUTU_EXIT_INTERNAL;
	int rc = MUTU_EXIT_OK;
	for (size_t i = 0; i < n; i++) {
		shards[i].name = argv[optind + (int)i];
		shards[i].f = fopen(shards[i].name, "rb");
		if (!shards[i].f) {
			perror(shards[i].name);
			rc = MUTU_EXIT_USAGE;
		}
	}
	if (rc == MUTU_EXIT_OK) {
		int first = fgetc(shards[0].f);
		ungetc(first, shards[0].f);
		if (first == '{' || first == EOF) {
			FILE *o = stdout;
			char *tmpname = NULL;
			if (out && strcmp(out, "-") != 0) {
				size_t len = strlen(out) + 32;
				tmpname = malloc(len);
				if (tmpname)
					snprintf(tmpname, len, "%s.tmp.%ld", out, (long)getpid());
				o = tmpname ? fopen(tmpname, "wb") : NULL;
			}
			if (!o) {
				perror(out);
				rc = MUTU_EXIT_USAGE;
			} else if (cmd_sweep_is_partial(shards[0].f)) {
				rc = cmd_merge_sweep((const char *const *)&argv[optind], n, format,
						     o);
			} else {
				rc = merge_batch(shards, n, o);
			}
			if (o && o != stdout) {
				if (fclose(o) != 0 && rc == MUTU_EXIT_OK)
					rc = MUTU_EXIT_INTERNAL;
				if (rc == MUTU_EXIT_OK)
					rename(tmpname, out);
				else
					remove(tmpname);
			}
			free(tmpname);
		} else {
			fprintf(stderr, "%s: not a 'mutu batch' or 'mutu sweep' shard output\n",
				shards[0].name);
			rc = MUTU_EXIT_USAGE;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (shards[i].f)
			fclose(shards[i].f);
		free(shards[i].line);
	}
	free(shards);
	return rc;
}

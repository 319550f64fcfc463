/* mutu batch: one result line per cabinet of a JSON Lines stream. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common.h"
#include "mutu/batch.h"
#include "mutu/cabinet_csv.h"
#include "mutu/file.h"

static struct {
	const char *in, *rules, *out, *checkpoint;
	int goal, time_limit;
	long threads, every;
	cli_shard shard;
	bool quiet;
} a;

static const cli_opt opts[] = {
    {CLI_ARG, "IN.jsonl", 0, &a.in, NULL, NULL, 0, 0, 0, NULL},
    CLI_OPT_RULES(&a.rules),
    CLI_OPT_GOAL(&a.goal),
    CLI_OPT_THREADS(&a.threads),
    CLI_OPT_OUT(&a.out),
    {CLI_STRING, "checkpoint", 'c', &a.checkpoint, "FILE",
     "record finished lines there (needs --out); rerunning the same\n"
     "command resumes after them",
     0, 0, 0, NULL},
    {CLI_INT, "checkpoint-every", 0, &a.every, "N",
     "a checkpoint every N lines (default: every 2 s)", 0, 1, 1000000000, NULL},
    CLI_OPT_SHARD(&a.shard, "process only input lines K, K+N, K+2N, ...; 'mutu merge'\n"
			    "joins the N outputs into one run's output"),
    CLI_OPT_TIME_LIMIT(&a.time_limit, "solver time limit per group (default 5000; 0: none);\n"
				      "a group cut by it reports time_limit and its best plan"),
    CLI_OPT_QUIET(&a.quiet),
    CLI_OPT_END,
};

static int run(int argc, char **argv);

const cli_command cli_batch = {
    "batch",
    "--rules RULES [--goal G] [-j THREADS] [IN.jsonl|-] [--out FILE]\n"
    "       [--checkpoint FILE] [--shard K/N] [--time-limit MS] [--quiet]",
    "solve a stream of cabinets (JSON Lines), in order, on threads",
    "Solves one cabinet per input line (JSON Lines, default standard input) and\n"
    "writes one result line per input line, in input order whatever the thread\n"
    "count: the solve result with a \"line\" field, or {\"line\": N, \"cabinet\": ID,\n"
    "\"error\": {\"path\": ..., \"message\": ...}} for a line that cannot be read.\n"
    "A bad line does not stop the batch.",
    opts,
    "Exit status: 0 every line solved, 1 some line failed, 2 bad usage, rules or\n"
    "input (or an output that cannot be written), 3 internal failure.\n",
    run,
};

static void show_progress(void *ctx, const mutu_batch_stats *st)
{
	(void)ctx;
	double rate = st->seconds > 0 ? (double)st->structures / st->seconds : 0;
	if (st->total > 0) {
		double left = (double)st->total - (double)st->lines;
		double eta = rate > 0 && left > 0 ? left / rate : 0;
		fprintf(stderr, "\r%lu/%lu lines  %.0f/s  ETA %02d:%02d   ", st->lines, st->total,
			rate, (int)(eta / 60), (int)eta % 60);
	} else {
		fprintf(stderr, "\r%lu lines  %.0f/s   ", st->lines, rate);
	}
}

static void summary(const mutu_batch_stats *st)
{
	unsigned long all = st->structures + st->resumed;
	fprintf(stderr, "mutu batch: %lu structures (%lu failed), %lu groups, %lu pooled plans",
		all, st->failed, st->groups, st->plans);
	if (st->resumed)
		fprintf(stderr, ", %lu resumed from the checkpoint", st->resumed);
	fprintf(stderr, "; %.1f s, %.0f structures/s\n", st->seconds,
		st->seconds > 0 ? (double)st->structures / st->seconds : 0);
}

/* Runs the batch from `in` into the opened output `out`. */
static int solve_all(const mutu_rules *rules, FILE *in, mutu_output *out, mutu_batch_stats *st)
{
	bool progress = cli_show_progress(a.quiet);
	mutu_batch_options o = {
	    .rules = rules,
	    .solve = {(mutu_goal)a.goal, a.time_limit},
	    .threads = (int)a.threads,
	    .shard_k = a.shard.k,
	    .shard_n = a.shard.n,
	    .input_name = strcmp(a.in, "-") == 0 ? "stdin" : a.in,
	    .checkpoint = a.checkpoint,
	    .checkpoint_every = (unsigned long)a.every,
	    .progress = progress ? show_progress : NULL,
	};
	const char *stop = getenv("MUTU_TEST_STOP_AFTER");
	o.stop_after = stop ? strtoul(stop, NULL, 10) : 0;
	mutu_error err = {{0}, {0}, {0}};
	int rc = mutu_batch_run(&o, in, mutu_output_stream(out), st, &err);
	if (progress)
		fprintf(stderr, "\n");
	if (st->restarted[0])
		fprintf(stderr, "mutu batch: %s\n", st->restarted);
	if (rc == MUTU_ESTOPPED) {
		fprintf(stderr, "mutu batch: stopped after %lu lines (MUTU_TEST_STOP_AFTER)\n",
			st->structures);
		mutu_output_discard(out);
		return CLI_EXIT_INTERNAL;
	}
	if (rc != MUTU_OK) {
		fprintf(stderr, "mutu batch: %s\n", err.message);
		mutu_output_discard(out);
		return cli_exit_status(rc);
	}
	if (mutu_output_commit(out, &err) != MUTU_OK) {
		cli_print_error(&err);
		return CLI_EXIT_USAGE;
	}
	if (a.checkpoint)
		remove(a.checkpoint);
	return CLI_EXIT_OK;
}

/* A spreadsheet's cabinets as the JSON Lines a batch reads, in a
 * temporary file (its "line" numbers then count cabinets, not CSV rows). */
static int csv_as_lines(const mutu_rules *rules, FILE **in)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_cabinet *cabs = NULL;
	size_t n = 0;
	int e = mutu_cabinet_csv_load(&cabs, &n, rules, a.in, &errs);
	if (e != MUTU_OK) {
		cli_print_errors(&errs);
		return cli_exit_status(e);
	}
	int rc = CLI_EXIT_OK;
	*in = tmpfile();
	for (size_t i = 0; *in && rc == CLI_EXIT_OK && i < n; i++) {
		char *line = mutu_cabinet_to_json(&cabs[i], rules);
		if (!line || fprintf(*in, "%s\n", line) < 0)
			rc = cli_out_of_memory();
		free(line);
	}
	mutu_cabinet_csv_free(cabs, n);
	if (!*in || rc != CLI_EXIT_OK || fseek(*in, 0, SEEK_SET) != 0) {
		fprintf(stderr, "mutu batch: cannot keep the cabinets of %s in a temporary file\n",
			a.in);
		return CLI_EXIT_INTERNAL;
	}
	return CLI_EXIT_OK;
}

static bool is_csv(const char *path)
{
	size_t n = strlen(path);
	return n > 4 && strcasecmp(path + n - 4, ".csv") == 0;
}

static int run(int argc, char **argv)
{
	a.in = "-";
	a.threads = 1;
	a.shard = (cli_shard){1, 1};
	a.time_limit = MUTU_BATCH_TIME_LIMIT_MS;
	int rc = cli_parse(&cli_batch, argc, argv);
	if (rc != 0)
		return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
	if (a.checkpoint && (!a.out || strcmp(a.out, "-") == 0))
		return cli_usage_error(&cli_batch, "--checkpoint needs --out FILE");
	const char *paths[] = {a.in, a.rules}, *names[] = {"input", "rules"};
	if ((rc = cli_check_files(&cli_batch, a.out, paths, names, 2)) != 0 ||
	    (rc = cli_check_files(&cli_batch, a.checkpoint, paths, names, 2)) != 0)
		return rc;
	if (a.checkpoint && a.out && mutu_file_same(a.checkpoint, a.out))
		return cli_usage_error(&cli_batch, "--checkpoint and --out name the same file");
	mutu_rules rules;
	if ((rc = cli_load_rules(&rules, a.rules)) != 0)
		return rc;
	FILE *in = NULL;
	mutu_output *out = NULL;
	mutu_error err = {{0}, {0}, {0}};
	mutu_batch_stats st;
	memset(&st, 0, sizeof st);
	if (is_csv(a.in) && (rc = csv_as_lines(&rules, &in)) != 0)
		goto cleanup;
	if ((!in && mutu_file_open_stream(a.in, &in, &err) != MUTU_OK) ||
	    mutu_output_open(&out, a.out, a.checkpoint ? MUTU_OUTPUT_RESUMABLE : 0, &err) !=
		MUTU_OK) {
		cli_print_error(&err);
		rc = CLI_EXIT_USAGE;
		goto cleanup;
	}
	rc = solve_all(&rules, in, out, &st);
	if (rc == CLI_EXIT_OK && !a.quiet)
		summary(&st);
	if (rc == CLI_EXIT_OK && st.failed)
		rc = CLI_EXIT_FINDINGS;
cleanup:
	if (in && in != stdin)
		fclose(in);
	mutu_rules_free(&rules);
	return rc;
}

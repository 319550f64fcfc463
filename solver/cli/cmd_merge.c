/* mutu merge: the outputs of sharded runs joined into one run's output. */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"
#include "mutu/file.h"
#include "mutu/merge.h"

static struct {
	cli_list shards;
	const char *out;
	int format, lang;
} a;

static const cli_opt opts[] = {
    {CLI_ARGS, "SHARD", 0, &a.shards, NULL, NULL, CLI_REQUIRED, 0, 0, NULL},
    CLI_OPT_OUT(&a.out),
    CLI_OPT_FORMAT(&a.format, cli_format_names_no_html,
		   "for sweep shards: text (default), csv or json"),
    CLI_OPT_LANG(&a.lang),
    CLI_OPT_END,
};

static int run(int argc, char **argv);

const cli_command cli_merge = {
    "merge",
    "[--out FILE] [--format F] [--lang fr|en] SHARD...",
    "join the outputs of sharded batch or sweep runs",
    "Joins the outputs of 'mutu batch --shard K/N' (K = 1..N, any order; '-' is\n"
    "standard input) into exactly what one unsharded run prints: result lines in\n"
    "input-line order.  Outputs of 'mutu sweep --shard' are combined into the\n"
    "sweep's table.  A missing, repeated or unfinished shard, or a shard of another\n"
    "run (other rules, input, goal, time limit or N), is refused and named.",
    opts,
    "Exit status: 0 merged, 2 the shards do not make one run (or an output that\n"
    "cannot be written), 3 internal failure.\n",
    run,
};

static int run(int argc, char **argv)
{
	a.lang = -1;
	int rc = cli_parse(&cli_merge, argc, argv);
	if (rc != 0)
		return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
	const char *names[CLI_LIST_MAX];
	for (size_t i = 0; i < a.shards.n; i++)
		names[i] = a.shards.items[i];
	if ((rc = cli_check_files(&cli_merge, a.out, a.shards.items, names, a.shards.n)) != 0)
		return rc;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_error err = {{0}, {0}, {0}};
	if (mutu_merge_is_sweep(a.shards.items[0])) {
		char *text = NULL;
		int e = mutu_merge_sweep(a.shards.items, a.shards.n, (mutu_format)a.format,
					 cli_lang(a.lang), &text, &errs);
		if (e != MUTU_OK) {
			cli_print_errors(&errs);
			return cli_exit_status(e);
		}
		rc = cli_write(a.out, text);
		free(text);
		return rc;
	}
	mutu_output *out = NULL;
	if (mutu_output_open(&out, a.out, 0, &err) != MUTU_OK) {
		cli_print_error(&err);
		return CLI_EXIT_USAGE;
	}
	int e = mutu_merge_batch(a.shards.items, a.shards.n, mutu_output_stream(out), &errs);
	if (e != MUTU_OK) {
		cli_print_errors(&errs);
		mutu_output_discard(out);
		return cli_exit_status(e);
	}
	if (mutu_output_commit(out, &err) != MUTU_OK) {
		cli_print_error(&err);
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

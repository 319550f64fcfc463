/* mutu sweep: modalities compared over one population (model.md §6). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "mutu/batch.h"
#include "mutu/html.h"
#include "mutu/modality.h"
#include "mutu/sweep.h"

static const char *const take_ups[] = {"better", "always", NULL};

static struct {
	const char *population, *rules, *out, *checkpoint, *achievement;
	cli_list vary, variants;
	int format, goal, time_limit, take_up, sharing, lang;
	long threads;
	cli_shard shard;
	bool quiet;
} a;

static const cli_opt opts[] = {
    {CLI_STRING, "population", 'p', &a.population, "FILE",
     "structures, one cabinet per line (required)", CLI_REQUIRED, 0, 0, NULL},
    {CLI_STRING, "rules", 'r', &a.rules, "FILE", "base rules: the status quo (required)",
     CLI_REQUIRED, 0, 0, NULL},
    {CLI_LIST, "vary", 'V', &a.vary, "P=v1,v2,...",
     "a JSON pointer into the rules and its values (JSON; plain\n"
     "words are strings); repeatable: all combinations",
     0, 0, 0, NULL},
    {CLI_LIST, "variant", 'a', &a.variants, "FILE", "another rules file to compare; repeatable", 0,
     0, 0, NULL},
    {CLI_CHOICE, "take-up", 'T', &a.take_up, "T",
     "better (default: a group signs when its plan pays its members at\n"
     "least their individual contracts) or always (every group with a plan:\n"
     "an upper bound)",
     0, 0, 0, take_ups},
    {CLI_CHOICE, "sharing", 0, &a.sharing, "RULE",
     "each doctor's money in a pooled plan, which decides the winners and\n"
     "losers per doctor: patients (default), equal, list or shapley",
     0, 0, 0, mutu_sharing_names},
    {CLI_STRING, "achievement", 'A', &a.achievement, "A",
     "patients achieved per contract: a rate from 0 to 2 (0.8), a\n"
     "percentage (80%), or beta:A,B (a seeded draw per contract); the\n"
     "rules' modulation and assessment then cut the aid paid.  Default:\n"
     "not simulated (every objective met)",
     0, 0, 0, NULL},
    CLI_OPT_THREADS(&a.threads),
    CLI_OPT_FORMAT(&a.format, cli_format_names, "text (default), json, csv or html (one page)"),
    CLI_OPT_LANG(&a.lang),
    CLI_OPT_OUT(&a.out),
    CLI_OPT_GOAL(&a.goal),
    {CLI_STRING, "checkpoint", 'c', &a.checkpoint, "FILE",
     "record the sums every 2000 lines; rerun to resume", 0, 0, 0, NULL},
    CLI_OPT_SHARD(&a.shard, "only population lines K, K+N, ...: writes a partial\n"
			    "result that 'mutu merge' combines with the others"),
    CLI_OPT_TIME_LIMIT(&a.time_limit, "solver time limit per group (default 5000; 0: none)"),
    CLI_OPT_QUIET(&a.quiet),
    CLI_OPT_END,
};

static int run(int argc, char **argv);

const cli_command cli_sweep = {
    "sweep",
    "--population IN.jsonl --rules BASE [--vary /POINTER=v1,v2,...]...\n"
    "       [--variant FILE]... [-j N] [--format text|csv|json|html] [--lang fr|en]\n"
    "       [--out FILE] [--goal G] [--take-up better|always] [--sharing RULE] [--achievement A]\n"
    "       [--checkpoint FILE] [--shard K/N] [--quiet]",
    "compare modalities over a population: take-up, payer cost, winners, losers",
    "Compares modalities over one population of structures.  Each modality is the\n"
    "base rules (and each --variant file) with one combination of the --vary values.\n"
    "Every row is measured against one status quo: every eligible doctor on his\n"
    "best individual contract under the base rules, nobody pools.  A modality's\n"
    "world: the groups that sign (see --take-up) and every other doctor's\n"
    "individual contract under that modality.  Per modality and scope (all,\n"
    "specialty, zone, group size, group band): groups formed, plans, groups\n"
    "signing, the payer's aid (undiscounted, over the horizon and by year), ETP\n"
    "funded and committed patients in both worlds, their difference, the euros per\n"
    "extra committed patient, winners and losers (groups and doctors), the first\n"
    "losing structures and the deciles of the groups' gain.  The text output opens\n"
    "with the ranking of the modalities by euros per extra patient.",
    opts,
    "Exit status: 0 ok, 1 some structures could not be read or solved (named on\n"
    "standard error), 2 bad input or usage (or an output that cannot be written),\n"
    "3 internal failure.\n",
    run,
};

static void show_progress(void *ctx, const mutu_batch_stats *st)
{
	(void)ctx;
	double rate = st->seconds > 0 ? (double)st->structures / st->seconds : 0;
	fprintf(stderr, "\r%lu/%lu lines  %.0f structures/s   ", st->lines, st->total, rate);
}

/* Every modality built and checked before any work starts. */
static int build(mutu_modalities *mods, mutu_rules *bases, size_t *loaded, mutu_vary *vars)
{
	for (size_t i = 0; i < a.vary.n; i++) {
		mutu_error err = {{0}, {0}, {0}};
		int e = mutu_vary_parse(&vars[i], a.vary.items[i], &err);
		if (e != MUTU_OK)
			return e == MUTU_ENOMEM ? cli_out_of_memory()
						: cli_usage_error(&cli_sweep, "%s", err.message);
	}
	for (; *loaded <= a.variants.n; (*loaded)++) {
		const char *path = *loaded == 0 ? a.rules : a.variants.items[*loaded - 1];
		int rc = cli_load_rules(&bases[*loaded], path);
		if (rc != 0)
			return rc;
	}
	mutu_errors errs;
	mutu_errors_clear(&errs);
	int e = mutu_modalities_build(mods, bases, *loaded, vars, a.vary.n, &errs);
	if (e != MUTU_OK)
		cli_print_errors(&errs);
	return cli_exit_status(e);
}

/* Says, on standard error, which figures of each rules file compared rest
 * on inferred values (their provenance note says "inferred:"), so that a
 * reader of the sweep knows what to check before quoting it.  Standard
 * error, not the report: a merge of shards has no rules to read, and must
 * print what one run prints. */
static void inferred_note(const mutu_rules *bases, size_t n)
{
	for (size_t b = 0; b < n; b++) {
		const char **list = NULL;
		size_t k = 0;
		if (mutu_rules_inferred(&bases[b], "", &list, &k) != MUTU_OK || k == 0) {
			free(list);
			continue;
		}
		fprintf(stderr,
			"mutu sweep: %zu figures of %s rest on inferred values (provenance "
			"\"inferred:\", scenarios/scheme.md):",
			k, bases[b].name);
		for (size_t i = 0; i < k && i < 8; i++)
			fprintf(stderr, "%s %s", i ? "," : "", list[i]);
		if (k > 8)
			fprintf(stderr, " and %zu more", k - 8);
		fprintf(stderr, "\n");
		free(list);
	}
}

/* Solves, then writes the report (or a shard's partial result). */
static int sweep(const mutu_modalities *mods, const mutu_achievement *ach)
{
	bool progress = cli_show_progress(a.quiet);
	mutu_sweep_options o = {
	    .threads = (int)a.threads,
	    .shard_k = a.shard.k,
	    .shard_n = a.shard.n,
	    .solve = {(mutu_goal)a.goal, a.time_limit},
	    .take_up = (mutu_take_up)a.take_up,
	    .sharing = (mutu_sharing_rule)a.sharing,
	    .achievement = *ach,
	    .population = a.population,
	    .checkpoint = a.checkpoint,
	    .progress = progress ? show_progress : NULL,
	};
	const char *stop = getenv("MUTU_TEST_STOP_AFTER");
	o.stop_after = stop ? strtoul(stop, NULL, 10) : 0;
	const char *every = getenv("MUTU_TEST_CHECKPOINT_EVERY");
	o.checkpoint_every = every ? strtoul(every, NULL, 10) : 0;
	mutu_sweep sw;
	memset(&sw, 0, sizeof sw);
	mutu_error err = {{0}, {0}, {0}};
	int e = mutu_sweep_run(&sw, &o, mods, &err);
	if (progress)
		fprintf(stderr, "\n");
	if (e == MUTU_ESTOPPED) {
		fprintf(stderr, "mutu sweep: stopped (MUTU_TEST_STOP_AFTER)\n");
		return CLI_EXIT_INTERNAL;
	}
	if (e != MUTU_OK) {
		fprintf(stderr, "mutu sweep: %s\n", err.message);
		return cli_exit_status(e);
	}
	char *text = a.shard.n > 1 ? mutu_sweep_to_partial(&sw)
		     : a.format == MUTU_FORMAT_HTML
			 ? mutu_html_sweep(&sw, cli_lang(a.lang))
			 : mutu_sweep_report_lang(&sw, (mutu_format)a.format, cli_lang(a.lang));
	int rc = text ? cli_write(a.out, text) : cli_out_of_memory();
	free(text);
	int64_t failed = 0;
	for (size_t i = 0; i < sw.n; i++)
		failed = sw.mods[i].failed > failed ? sw.mods[i].failed : failed;
	mutu_sweep_free(&sw);
	if (rc == CLI_EXIT_OK && a.checkpoint)
		remove(a.checkpoint);
	if (rc == CLI_EXIT_OK && failed > 0) {
		fprintf(stderr,
			"mutu sweep: %lld structures could not be read or solved under some "
			"modality; 'mutu batch' on the population names each with its error\n",
			(long long)failed);
		rc = CLI_EXIT_FINDINGS;
	}
	return rc;
}

static int run(int argc, char **argv)
{
	a.threads = 1;
	a.lang = -1;
	a.shard = (cli_shard){1, 1};
	a.time_limit = MUTU_BATCH_TIME_LIMIT_MS;
	int rc = cli_parse(&cli_sweep, argc, argv);
	if (rc != 0)
		return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
	mutu_achievement ach;
	memset(&ach, 0, sizeof ach);
	char msg[300];
	if (a.achievement &&
	    mutu_achievement_parse(&ach, a.achievement, true, msg, sizeof msg) != MUTU_OK)
		return cli_usage_error(&cli_sweep, "--achievement %s", msg);
	const char *paths[] = {a.population, a.rules}, *names[] = {"population", "rules"};
	if ((rc = cli_check_files(&cli_sweep, a.out, paths, names, 2)) != 0)
		return rc;
	mutu_rules bases[CLI_LIST_MAX + 1];
	mutu_vary vars[CLI_LIST_MAX];
	memset(vars, 0, sizeof vars);
	mutu_modalities mods;
	memset(&mods, 0, sizeof mods);
	size_t loaded = 0;
	rc = build(&mods, bases, &loaded, vars);
	if (rc == 0 && !a.quiet)
		inferred_note(bases, loaded);
	if (rc == 0)
		rc = sweep(&mods, &ach);
	mutu_modalities_free(&mods);
	for (size_t i = 0; i < loaded; i++)
		mutu_rules_free(&bases[i]);
	for (size_t i = 0; i < a.vary.n; i++)
		mutu_vary_free(&vars[i]);
	return rc;
}

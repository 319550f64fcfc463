/* mutu sweep: modalities compared over one population. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "mutu/batch.h"
#include "mutu/html.h"
#include "mutu/sweep.h"

static struct {
	const char *population, *rules, *out, *checkpoint;
	cli_list vary, variants;
	int format, goal, time_limit, lang;
	long threads;
	cli_shard shard;
	bool quiet;
} a;

static const cli_opt opts[] = {
    {CLI_STRING, "population", 'p', &a.population, "FILE",
     "structures, one cabinet per line (required)", CLI_REQUIRED, 0, 0, NULL},
    {CLI_STRING, "rules", 'r', &a.rules, "FILE", "base rules (required)", CLI_REQUIRED, 0, 0, NULL},
    {CLI_LIST, "vary", 'V', &a.vary, "P=v1,v2,...",
     "a JSON pointer into the rules and its values (JSON; plain\n"
     "words are strings); repeatable: all combinations",
     0, 0, 0, NULL},
    {CLI_LIST, "variant", 'a', &a.variants, "FILE", "another rules file to compare; repeatable", 0,
     0, 0, NULL},
    CLI_OPT_THREADS(&a.threads),
    CLI_OPT_FORMAT(&a.format, cli_format_names, "text (default), json, csv or html (one page)"),
    CLI_OPT_LANG(&a.lang),
    CLI_OPT_OUT(&a.out),
    CLI_OPT_GOAL(&a.goal),
    {CLI_STRING, "checkpoint", 'c', &a.checkpoint, "FILE",
     "record each finished modality; rerun to resume", 0, 0, 0, NULL},
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
    "       [--variant FILE]... [-j N] [--format text|csv|json|html] [--out FILE]\n"
    "       [--goal G] [--checkpoint FILE] [--shard K/N] [--lang fr|en] [--quiet]",
    "compare modalities over a population: cost, winners, losers",
    "Compares modalities over one population of structures.  Each modality is the\n"
    "base rules (and each --variant file) with one combination of the --vary values;\n"
    "each solves the whole population once.  One row per modality (and per\n"
    "specialty and zone): groups formed, groups where pooling beats the individual\n"
    "contracts, pooled ETP, the payer's aid over the horizon, committed new patients,\n"
    "aid per new patient, the shares of groups that gain, lose or are unchanged and\n"
    "the deciles of the gain; the same doctors' individual contracts beside them.",
    opts,
    "Exit status: 0 ok, 1 some structures failed, 2 bad input or usage (or an output\n"
    "that cannot be written), 3 internal failure.\n",
    run,
};

#define MAX_VARY 8

typedef struct vary {
	char pointer[256];
	char *values[64];
	size_t n;
} vary;

/* "/ptr=v1,v2": values split on commas outside brackets and quotes, so
 * that JSON arrays and strings can be given. */
static bool parse_vary(const char *arg, vary *v)
{
	const char *eq = strchr(arg, '=');
	if (!eq || arg[0] != '/' || eq[1] == '\0' || (size_t)(eq - arg) >= sizeof v->pointer)
		return false;
	snprintf(v->pointer, sizeof v->pointer, "%.*s", (int)(eq - arg), arg);
	for (const char *p = eq + 1; *p && v->n < 64;) {
		int depth = 0;
		bool quote = false;
		const char *start = p;
		while (*p && (quote || depth > 0 || *p != ',')) {
			if (*p == '"' && (p == start || p[-1] != '\\'))
				quote = !quote;
			else if (!quote && (*p == '[' || *p == '{'))
				depth++;
			else if (!quote && (*p == ']' || *p == '}'))
				depth--;
			p++;
		}
		v->values[v->n] = strndup(start, (size_t)(p - start));
		if (!v->values[v->n++])
			return false;
		if (*p == ',')
			p++;
	}
	return v->n > 0;
}

typedef struct modalities {
	vary vars[MAX_VARY];
	size_t nvary;
	mutu_rules bases[CLI_LIST_MAX + 1];
	size_t nbases;
	mutu_rules *rules;
	char **labels;
	size_t n, built;
} modalities;

static void modalities_free(modalities *m)
{
	for (size_t i = 0; i < m->built; i++) {
		mutu_rules_free(&m->rules[i]);
		free(m->labels[i]);
	}
	for (size_t i = 0; i < m->nbases; i++)
		mutu_rules_free(&m->bases[i]);
	for (size_t i = 0; i < m->nvary; i++)
		for (size_t j = 0; j < m->vars[i].n; j++)
			free(m->vars[i].values[j]);
	free(m->rules);
	free(m->labels);
}

/* Modality `k` of base `b`: the base with the k-th combination. */
static int build_one(modalities *m, size_t b, size_t k)
{
	const char *ptrs[MAX_VARY], *vals[MAX_VARY];
	char label[512];
	size_t rest = k;
	size_t len = (size_t)snprintf(label, sizeof label, "%s", m->bases[b].name);
	for (size_t i = 0; i < m->nvary; i++) {
		ptrs[i] = m->vars[i].pointer;
		vals[i] = m->vars[i].values[rest % m->vars[i].n];
		rest /= m->vars[i].n;
		if (len < sizeof label)
			len += (size_t)snprintf(label + len, sizeof label - len, "%s%s=%s",
						i ? ", " : " ", ptrs[i], vals[i]);
	}
	mutu_errors errs;
	mutu_errors_clear(&errs);
	int e = mutu_rules_vary(&m->rules[m->built], &m->bases[b], m->nvary, ptrs, vals, &errs);
	if (e != MUTU_OK) {
		cli_print_errors(&errs);
		return cli_exit_status(e);
	}
	m->labels[m->built] = strdup(label);
	m->built++;
	return m->labels[m->built - 1] ? CLI_EXIT_OK : cli_out_of_memory();
}

/* Every modality built and checked before any work starts. */
static int build(modalities *m)
{
	for (size_t i = 0; i < a.vary.n; i++)
		if (!parse_vary(a.vary.items[i], &m->vars[m->nvary++]))
			return cli_usage_error(&cli_sweep,
					       "--vary takes /POINTER=v1,v2,..., got '%s'",
					       a.vary.items[i]);
	size_t combos = 1;
	for (size_t i = 0; i < m->nvary; i++)
		combos *= m->vars[i].n;
	for (size_t i = 0; i < a.variants.n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(a.variants.items[i], a.variants.items[j]) == 0)
				return cli_usage_error(&cli_sweep, "--variant %s is given twice",
						       a.variants.items[i]);
	for (size_t b = 0; b <= a.variants.n; b++) {
		int rc = cli_load_rules(&m->bases[b], b == 0 ? a.rules : a.variants.items[b - 1]);
		if (rc != 0)
			return rc;
		m->nbases++;
	}
	m->n = m->nbases * combos;
	m->rules = calloc(m->n, sizeof *m->rules);
	m->labels = calloc(m->n, sizeof *m->labels);
	if (!m->rules || !m->labels)
		return cli_out_of_memory();
	for (size_t b = 0; b < m->nbases; b++)
		for (size_t k = 0; k < combos; k++) {
			int rc = build_one(m, b, k);
			if (rc != 0)
				return rc;
		}
	return CLI_EXIT_OK;
}

static void show_progress(void *ctx, size_t modality, size_t n, const mutu_batch_stats *st)
{
	(void)ctx;
	double rate = st->seconds > 0 ? (double)st->structures / st->seconds : 0;
	fprintf(stderr, "\rmodality %zu/%zu: %lu/%lu lines  %.0f/s   ", modality + 1, n, st->lines,
		st->total, rate);
}

/* Solves the population under every modality and writes the report (or
 * the partial result of a shard). */
static int sweep(modalities *m, mutu_sweep_modality *mods)
{
	bool progress = cli_show_progress(a.quiet);
	char key[1024];
	snprintf(key, sizeof key, "sweep|%s|%s|%zu modalities|%lu/%lu|%d", a.population, a.rules,
		 m->n, a.shard.k, a.shard.n, a.goal);
	mutu_sweep_options o = {
	    .threads = (int)a.threads,
	    .shard_k = a.shard.k,
	    .shard_n = a.shard.n,
	    .solve = {(mutu_goal)a.goal, a.time_limit},
	    .population = a.population,
	    .checkpoint = a.checkpoint,
	    .key = key,
	    .progress = progress ? show_progress : NULL,
	};
	const char *stop = getenv("MUTU_TEST_STOP_AFTER");
	o.stop_after = stop ? strtoul(stop, NULL, 10) : 0;
	mutu_error err = {{0}, {0}, {0}};
	int r = mutu_sweep_run(&o, m->rules, (const char *const *)m->labels, m->n, mods, &err);
	if (progress)
		fprintf(stderr, "\n");
	if (r == MUTU_ESTOPPED) {
		fprintf(stderr, "mutu sweep: stopped (MUTU_TEST_STOP_AFTER)\n");
		return CLI_EXIT_INTERNAL;
	}
	if (r != MUTU_OK) {
		fprintf(stderr, "mutu sweep: %s\n", err.message);
		return cli_exit_status(r);
	}
	char *text = a.shard.n > 1 ? mutu_sweep_to_partial(mods, m->n, key)
		     : a.format == MUTU_FORMAT_HTML
			 ? mutu_html_sweep(mods, m->n, cli_lang(a.lang))
			 : mutu_sweep_report(mods, m->n, (mutu_format)a.format);
	int rc = text ? cli_write(a.out, text) : cli_out_of_memory();
	free(text);
	if (rc == CLI_EXIT_OK && a.checkpoint)
		remove(a.checkpoint);
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
	if (a.vary.n > MAX_VARY)
		return cli_usage_error(&cli_sweep, "at most %d --vary", MAX_VARY);
	const char *paths[] = {a.population, a.rules}, *names[] = {"population", "rules"};
	if ((rc = cli_check_files(&cli_sweep, a.out, paths, names, 2)) != 0)
		return rc;
	modalities m;
	memset(&m, 0, sizeof m);
	mutu_sweep_modality *mods = NULL;
	rc = build(&m);
	if (rc == 0 && !(mods = calloc(m.n, sizeof *mods)))
		rc = cli_out_of_memory();
	if (rc == 0)
		rc = sweep(&m, mods);
	for (size_t i = 0; mods && i < m.n; i++)
		mutu_sweep_modality_free(&mods[i]);
	free(mods);
	modalities_free(&m);
	return rc;
}

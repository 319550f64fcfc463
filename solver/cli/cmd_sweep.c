/* mutu sweep, and the sweep half of mutu merge. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "mutu/sweep.h"

static const char sweep_help[] =
    "Usage: mutu sweep --population IN.jsonl --rules BASE [--vary /POINTER=v1,v2,...]...\n"
    "                  [--variant FILE]... [-j N] [--format text|csv|json] [--out FILE]\n"
    "                  [--goal G] [--checkpoint FILE] [--shard K/N] [--quiet]\n"
    "\n"
    "Compares modalities over one population of structures.  Each modality is the\n"
    "base rules (and each --variant file) with one combination of the --vary values;\n"
    "each solves the whole population once.  One row per modality (and per\n"
    "specialty and zone): groups formed, groups where pooling beats the individual\n"
    "contracts, pooled ETP, the payer's aid over the horizon, committed new patients,\n"
    "aid per new patient, the shares of groups that gain, lose or are unchanged and\n"
    "the deciles of the gain; the same doctors' individual contracts beside them.\n"
    "\n"
    "  -p, --population FILE   structures, one cabinet per line (required)\n"
    "  -r, --rules FILE        base rules (required)\n"
    "  -V, --vary P=v1,v2,...  a JSON pointer into the rules and its values (JSON;\n"
    "                          plain words are strings); repeatable: all combinations\n"
    "  -a, --variant FILE      another rules file to compare; repeatable\n"
    "  -j, --threads N         worker threads (default 1)\n"
    "  -f, --format FMT        text (default), csv or json\n"
    "  -o, --out FILE          output file (default standard output)\n"
    "  -g, --goal GOAL         net_benefit (default) or patients\n"
    "  -c, --checkpoint FILE   record each finished modality; rerun to resume\n"
    "  -s, --shard K/N         only population lines K, K+N, ...: writes a partial\n"
    "                          result that 'mutu merge' combines with the others\n"
    "  -q, --quiet             no progress on standard error\n"
    "  -h, --help              this help\n";

#define MAX_VARY 8
#define MAX_BASES 32

typedef struct vary {
	char pointer[256];
	char **values;
	size_t n;
} vary;

static bool parse_vary(const char *arg, vary *v)
{
	const char *eq = strchr(arg, '=');
	if (!eq || arg[0] != '/' || eq[1] == '\0' || (size_t)(eq - arg) >= sizeof v->pointer)
		return false;
	snprintf(v->pointer, sizeof v->pointer, "%.*s", (int)(eq - arg), arg);
	/* Values split on commas outside brackets and quotes, so that JSON
	 * arrays and strings can be given. */
	const char *p = eq + 1;
	v->n = 0;
	v->values = NULL;
	while (*p) {
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
		char **vals = realloc(v->values, (v->n + 1) * sizeof *vals);
		if (!vals)
			return false;
		v->values = vals;
		size_t len = (size_t)(p - start);
		v->values[v->n] = malloc(len + 1);
		if (!v->values[v->n])
			return false;
		memcpy(v->values[v->n], start, len);
		v->values[v->n][len] = '\0';
		v->n++;
		if (*p == ',')
			p++;
	}
	return v->n > 0;
}

static void show_progress(void *ctx, size_t modality, size_t n, const mutu_batch_stats *st)
{
	const bool *tty = ctx;
	if (!*tty)
		return;
	double rate = st->seconds > 0 ? (double)st->structures / st->seconds : 0;
	fprintf(stderr, "\rmodality %zu/%zu: %lu/%lu lines  %.0f/s   ", modality + 1, n, st->lines,
		st->total, rate);
}

int cmd_sweep(int argc, char **argv)
{
	static const struct option longs[] = {{"population", required_argument, NULL, 'p'},
					      {"rules", required_argument, NULL, 'r'},
					      {"vary", required_argument, NULL, 'V'},
					      {"variant", required_argument, NULL, 'a'},
					      {"threads", required_argument, NULL, 'j'},
					      {"format", required_argument, NULL, 'f'},
					      {"out", required_argument, NULL, 'o'},
					      {"goal", required_argument, NULL, 'g'},
					      {"checkpoint", required_argument, NULL, 'c'},
					      {"shard", required_argument, NULL, 's'},
					      {"quiet", no_argument, NULL, 'q'},
					      {"help", no_argument, NULL, 'h'},
					      {NULL, 0, NULL, 0}};
	const char *population = NULL, *base = NULL, *out = NULL;
	const char *variants[MAX_BASES];
	size_t nvariants = 0, nvary = 0;
	vary vars[MAX_VARY];
	mutu_format fmt = MUTU_FORMAT_TEXT;
	mutu_sweep_options o;
	memset(&o, 0, sizeof o);
	memset(vars, 0, sizeof vars);
	o.threads = 1;
	o.shard_k = o.shard_n = 1;
	bool quiet = false;
	int rc = MUTU_EXIT_OK;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":p:r:V:a:j:f:o:g:c:s:qh", longs, NULL)) != -1) {
		char *end;
		long v;
		switch (c) {
		case 'p':
			population = optarg;
			break;
		case 'r':
			base = optarg;
			break;
		case 'V':
			if (nvary == MAX_VARY) {
				rc = cmd_usage_error("sweep", "at most %d --vary", MAX_VARY);
				goto cleanup;
			}
			if (!parse_vary(optarg, &vars[nvary++])) {
				rc = cmd_usage_error(
				    "sweep", "--vary takes /POINTER=v1,v2,..., got '%s'", optarg);
				goto cleanup;
			}
			break;
		case 'a':
			if (nvariants == MAX_BASES - 1) {
				rc =
				    cmd_usage_error("sweep", "at most %d --variant", MAX_BASES - 1);
				goto cleanup;
			}
			variants[nvariants++] = optarg;
			break;
		case 'j':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 256) {
				rc = cmd_usage_error("sweep", "--threads takes 1 to 256, got '%s'",
						     optarg);
				goto cleanup;
			}
			o.threads = (int)v;
			break;
		case 'f':
			if (!cmd_parse_format(optarg, &fmt, true)) {
				rc = cmd_usage_error("sweep",
						     "--format must be text, csv or json, got '%s'",
						     optarg);
				goto cleanup;
			}
			break;
		case 'o':
			out = optarg;
			break;
		case 'g':
			if (strcmp(optarg, "net_benefit") == 0) {
				o.solve.goal = MUTU_GOAL_NET_BENEFIT;
			} else if (strcmp(optarg, "patients") == 0) {
				o.solve.goal = MUTU_GOAL_PATIENTS;
			} else {
				rc = cmd_usage_error("sweep",
						     "--goal must be net_benefit or patients, "
						     "got '%s'",
						     optarg);
				goto cleanup;
			}
			break;
		case 'c':
			o.checkpoint = optarg;
			break;
		case 's':
			if (!cmd_parse_shard(optarg, &o.shard_k, &o.shard_n)) {
				rc = cmd_usage_error("sweep",
						     "--shard takes K/N with 1 <= K <= N, got "
						     "'%s'",
						     optarg);
				goto cleanup;
			}
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			fputs(sweep_help, stdout);
			goto cleanup;
		case ':':
			rc =
			    cmd_usage_error("sweep", "option '%s' needs a value", argv[optind - 1]);
			goto cleanup;
		default:
			rc = cmd_usage_error("sweep", "unknown option '%s'", argv[optind - 1]);
			goto cleanup;
		}
	}
	if (optind < argc) {
		rc = cmd_usage_error("sweep", "unexpected argument '%s'", argv[optind]);
		goto cleanup;
	}
	if (!population || !base) {
		rc = cmd_usage_error("sweep", "--population FILE and --rules FILE are required");
		goto cleanup;
	}
	/* Every modality is built and checked before any work starts. */
	size_t ncombos = 1;
	for (size_t i = 0; i < nvary; i++)
		ncombos *= vars[i].n;
	size_t nbases = 1 + nvariants;
	size_t nmods = nbases * ncombos;
	mutu_rules bases[MAX_BASES];
	mutu_rules *rules = calloc(nmods, sizeof *rules);
	char **labels = calloc(nmods, sizeof *labels);
	mutu_sweep_modality *mods = calloc(nmods, sizeof *mods);
	size_t loaded = 0, built = 0;
	if (!rules || !labels || !mods) {
		rc = MUTU_EXIT_INTERNAL;
		goto free_mods;
	}
	for (; loaded < nbases; loaded++)
		if (!cmd_load_rules(&bases[loaded], loaded == 0 ? base : variants[loaded - 1])) {
			rc = MUTU_EXIT_USAGE;
			goto free_mods;
		}
	for (size_t b = 0; b < nbases; b++)
		for (size_t k = 0; k < ncombos; k++, built++) {
			const char *ptrs[MAX_VARY], *vals[MAX_VARY];
			char label[512];
			size_t rest = k, len;
			len = (size_t)snprintf(label, sizeof label, "%s", bases[b].name);
			for (size_t i = 0; i < nvary; i++) {
				ptrs[i] = vars[i].pointer;
				vals[i] = vars[i].values[rest % vars[i].n];
				rest /= vars[i].n;
				if (len < sizeof label)
					len += (size_t)snprintf(label + len, sizeof label - len,
								"%s%s=%s", i ? ", " : " ", ptrs[i],
								vals[i]);
			}
			mutu_errors errs;
			mutu_errors_clear(&errs);
			if (mutu_rules_vary(&rules[built], &bases[b], nvary, ptrs, vals, &errs) !=
			    MUTU_OK) {
				cmd_print_errors(&errs);
				rc = MUTU_EXIT_USAGE;
				goto free_mods;
			}
			labels[built] = malloc(strlen(label) + 1);
			if (!labels[built]) {
				built++;
				rc = MUTU_EXIT_INTERNAL;
				goto free_mods;
			}
			strcpy(labels[built], label);
		}
	bool tty = !quiet && isatty(STDERR_FILENO);
	char key[1024];
	snprintf(key, sizeof key, "sweep|%s|%s|%zu modalities|%lu/%lu|%d", population, base, nmods,
		 o.shard_k, o.shard_n, (int)o.solve.goal);
	o.population = population;
	o.key = key;
	o.progress = show_progress;
	o.progress_ctx = &tty;
	const char *stop = getenv("MUTU_TEST_STOP_AFTER");
	o.stop_after = stop ? strtoul(stop, NULL, 10) : 0;
	mutu_error err;
	memset(&err, 0, sizeof err);
	int r = mutu_sweep_run(&o, rules, (const char *const *)labels, nmods, mods, &err);
	if (tty)
		fprintf(stderr, "\n");
	if (r == MUTU_ESTOPPED) {
		fprintf(stderr, "mutu sweep: stopped (MUTU_TEST_STOP_AFTER)\n");
		rc = MUTU_EXIT_INTERNAL;
		goto free_mods;
	}
	if (r != MUTU_OK) {
		fprintf(stderr, "mutu sweep: %s\n", err.message);
		rc = r == MUTU_EIO ? MUTU_EXIT_USAGE : MUTU_EXIT_INTERNAL;
		goto free_mods;
	}
	char *text = o.shard_n > 1 ? mutu_sweep_to_partial(mods, nmods, key)
				   : mutu_sweep_report(mods, nmods, fmt);
	if (!text || !cmd_write_output(out, text))
		rc = MUTU_EXIT_INTERNAL;
	else if (o.checkpoint)
		remove(o.checkpoint);
	free(text);
free_mods:
	for (size_t i = 0; mods && i < nmods; i++)
		mutu_sweep_modality_free(&mods[i]);
	for (size_t i = 0; i < built; i++) {
		mutu_rules_free(&rules[i]);
		free(labels[i]);
	}
	for (size_t i = 0; i < loaded; i++)
		mutu_rules_free(&bases[i]);
	free(rules);
	free(labels);
	free(mods);
cleanup:
	for (size_t i = 0; i < nvary; i++) {
		for (size_t j = 0; j < vars[i].n; j++)
			free(vars[i].values[j]);
		free(vars[i].values);
	}
	return rc;
}

bool cmd_sweep_is_partial(FILE *f)
{
	char head[32] = "";
	size_t n = fread(head, 1, sizeof head - 1, f);
	head[n] = '\0';
	rewind(f);
	return strstr(head, "\"mutu_sweep_partial\"") != NULL;
}

/* Whether two sweep keys ("sweep|POP|BASE|N modalities|K/N|GOAL") differ
 * only by their shard K/N. */
static bool same_sweep(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	const char *sa = a, *sb = b;
	for (int i = 0; i < 4 && sa && sb; i++) {
		sa = strchr(sa, '|');
		sb = strchr(sb, '|');
		sa = sa ? sa + 1 : NULL;
		sb = sb ? sb + 1 : NULL;
	}
	if (!sa || !sb || sa - a != sb - b || strncmp(a, b, (size_t)(sa - a)) != 0)
		return false;
	const char *ta = strchr(sa, '|'), *tb = strchr(sb, '|');
	return ta && tb && strcmp(ta, tb) == 0;
}

int cmd_merge_sweep(const char *const *names, size_t n, const char *format, FILE *out)
{
	mutu_format fmt;
	if (!cmd_parse_format(format, &fmt, true))
		return cmd_usage_error("merge", "--format must be text, csv or json, got '%s'",
				       format);
	mutu_sweep_modality *all = NULL;
	size_t nall = 0;
	char *key0 = NULL;
	int rc = MUTU_EXIT_OK;
	for (size_t i = 0; i < n && rc == MUTU_EXIT_OK; i++) {
		mutu_errors errs;
		mutu_errors_clear(&errs);
		mutu_sweep_modality *m = NULL;
		size_t nm = 0;
		char *key = NULL;
		if (mutu_sweep_load_partial(names[i], &m, &nm, &key, &errs) != MUTU_OK) {
			cmd_print_errors(&errs);
			rc = MUTU_EXIT_USAGE;
		} else if (i == 0) {
			all = m;
			nall = nm;
			key0 = key;
			key = NULL;
			m = NULL;
		} else {
			if (nm != nall || !same_sweep(key0, key)) {
				fprintf(stderr, "%s: a shard of another sweep\n", names[i]);
				rc = MUTU_EXIT_USAGE;
			}
			for (size_t j = 0; j < nm && rc == MUTU_EXIT_OK; j++) {
				mutu_error err;
				memset(&err, 0, sizeof err);
				if (mutu_sweep_combine(&all[j], &m[j], &err) != MUTU_OK) {
					fprintf(stderr, "%s: %s\n", names[i], err.message);
					rc = MUTU_EXIT_USAGE;
				}
			}
		}
		for (size_t j = 0; m && j < nm; j++)
			mutu_sweep_modality_free(&m[j]);
		free(m);
		free(key);
	}
	if (rc == MUTU_EXIT_OK) {
		char *text = mutu_sweep_report(all, nall, fmt);
		if (!text || fputs(text, out) < 0)
			rc = MUTU_EXIT_INTERNAL;
		free(text);
	}
	for (size_t j = 0; j < nall; j++)
		mutu_sweep_modality_free(&all[j]);
	free(all);
	free(key0);
	return rc;
}

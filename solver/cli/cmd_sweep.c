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
    "                  [--goal G] [--take-up better|always] [--achievement A]\n"
    "                  [--checkpoint FILE] [--shard K/N] [--quiet]\n"
    "\n"
    "Compares modalities over one population of structures (model.md section 6).\n"
    "Each modality is the base rules (and each --variant file) with one combination\n"
    "of the --vary values.  Every row is measured against one status quo: every\n"
    "eligible doctor on his best individual contract under the base rules, nobody\n"
    "pools.  A modality's world: the groups that sign (see --take-up) and every\n"
    "other doctor's individual contract under that modality.  Per modality and\n"
    "scope (all, specialty, zone, group size, group band): groups formed, plans,\n"
    "groups signing, the payer's aid (undiscounted, over the horizon and by year),\n"
    "ETP funded and committed patients in both worlds, their difference, the euros\n"
    "per extra committed patient, winners and losers (groups and doctors), the\n"
    "first losing structures and the deciles of the groups' gain.  The text output\n"
    "opens with the ranking of the modalities by euros per extra patient.\n"
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
    "  -t, --take-up T         better (default: a group signs when its plan pays its\n"
    "                          members at least their individual contracts) or\n"
    "                          always (every group with a plan: an upper bound)\n"
    "  -A, --achievement A     patients achieved per contract: a rate from 0 to 2\n"
    "                          (0.8), a percentage (80%), or beta:A,B (a seeded draw\n"
    "                          per contract from a Beta(A,B) law); the rules'\n"
    "                          modulation and assessment then cut the aid paid.\n"
    "                          Default: not simulated (every objective met)\n"
    "  -c, --checkpoint FILE   record the sums every 2000 lines; rerun to resume\n"
    "  -s, --shard K/N         only population lines K, K+N, ...: writes a partial\n"
    "                          result that 'mutu merge' combines with the others\n"
    "  -q, --quiet             no progress on standard error\n"
    "  -h, --help              this help\n";

#define MAX_VARY 8
#define MAX_BASES 32

static void show_progress(void *ctx, const mutu_batch_stats *st)
{
	const bool *tty = ctx;
	if (!*tty)
		return;
	double rate = st->seconds > 0 ? (double)st->structures / st->seconds : 0;
	fprintf(stderr, "\r%lu/%lu lines  %.0f structures/s   ", st->lines, st->total, rate);
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
					      {"take-up", required_argument, NULL, 't'},
					      {"achievement", required_argument, NULL, 'A'},
					      {"checkpoint", required_argument, NULL, 'c'},
					      {"shard", required_argument, NULL, 's'},
					      {"quiet", no_argument, NULL, 'q'},
					      {"help", no_argument, NULL, 'h'},
					      {NULL, 0, NULL, 0}};
	const char *population = NULL, *base = NULL, *out = NULL;
	const char *variants[MAX_BASES];
	size_t nvariants = 0, nvary = 0;
	mutu_vary vars[MAX_VARY];
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
	while ((c = getopt_long(argc, argv, ":p:r:V:a:j:f:o:g:t:A:c:s:qh", longs, NULL)) != -1) {
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
			{
				mutu_error verr;
				memset(&verr, 0, sizeof verr);
				int vr = mutu_vary_parse(&vars[nvary], optarg, &verr);
				if (vr != MUTU_OK) {
					rc = vr == MUTU_ENOMEM
						 ? MUTU_EXIT_INTERNAL
						 : cmd_usage_error("sweep", "%s", verr.message);
					goto cleanup;
				}
				nvary++;
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
		case 't':
			if (strcmp(optarg, "better") == 0) {
				o.take_up = MUTU_TAKE_UP_BETTER;
			} else if (strcmp(optarg, "always") == 0) {
				o.take_up = MUTU_TAKE_UP_ALWAYS;
			} else {
				rc = cmd_usage_error("sweep",
						     "--take-up must be better or always, got '%s'",
						     optarg);
				goto cleanup;
			}
			break;
		case 'A': {
			char msg[300];
			if (mutu_achievement_parse(&o.achievement, optarg, true, msg, sizeof msg) !=
			    MUTU_OK) {
				rc = cmd_usage_error("sweep", "--achievement %s", msg);
				goto cleanup;
			}
			break;
		}
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
	size_t nbases = 1 + nvariants, loaded = 0;
	mutu_rules bases[MAX_BASES];
	mutu_modalities mods;
	mutu_sweep sw;
	memset(&mods, 0, sizeof mods);
	memset(&sw, 0, sizeof sw);
	for (; loaded < nbases; loaded++)
		if (!cmd_load_rules(&bases[loaded], loaded == 0 ? base : variants[loaded - 1])) {
			rc = MUTU_EXIT_USAGE;
			goto free_mods;
		}
	mutu_errors errs;
	mutu_errors_clear(&errs);
	int br = mutu_modalities_build(&mods, bases, nbases, vars, nvary, &errs);
	if (br != MUTU_OK) {
		cmd_print_errors(&errs);
		rc = br == MUTU_ENOMEM ? MUTU_EXIT_INTERNAL : MUTU_EXIT_USAGE;
		goto free_mods;
	}
	bool tty = !quiet && isatty(STDERR_FILENO);
	o.population = population;
	o.progress = show_progress;
	o.progress_ctx = &tty;
	const char *stop = getenv("MUTU_TEST_STOP_AFTER");
	o.stop_after = stop ? strtoul(stop, NULL, 10) : 0;
	const char *every = getenv("MUTU_TEST_CHECKPOINT_EVERY");
	o.checkpoint_every = every ? strtoul(every, NULL, 10) : 0;
	mutu_error err;
	memset(&err, 0, sizeof err);
	int r = mutu_sweep_run(&sw, &o, &mods, &err);
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
	char *text = o.shard_n > 1 ? mutu_sweep_to_partial(&sw) : mutu_sweep_report(&sw, fmt);
	if (!text || !cmd_write_output(out, text))
		rc = MUTU_EXIT_INTERNAL;
	else if (o.checkpoint)
		remove(o.checkpoint);
	free(text);
free_mods:
	mutu_sweep_free(&sw);
	mutu_modalities_free(&mods);
	for (size_t i = 0; i < loaded; i++)
		mutu_rules_free(&bases[i]);
cleanup:
	for (size_t i = 0; i < nvary; i++)
		mutu_vary_free(&vars[i]);
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

int cmd_merge_sweep(const char *const *names, size_t n, const char *format, FILE *out)
{
	mutu_format fmt;
	if (!cmd_parse_format(format, &fmt, true))
		return cmd_usage_error("merge", "--format must be text, csv or json, got '%s'",
				       format);
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_sweep sw;
	int r = mutu_sweep_merge_files(&sw, names, n, &errs);
	if (r != MUTU_OK) {
		cmd_print_errors(&errs);
		return r == MUTU_ENOMEM ? MUTU_EXIT_INTERNAL : MUTU_EXIT_USAGE;
	}
	int rc = MUTU_EXIT_OK;
	char *text = mutu_sweep_report(&sw, fmt);
	if (!text || fputs(text, out) < 0)
		rc = MUTU_EXIT_INTERNAL;
	free(text);
	mutu_sweep_free(&sw);
	return rc;
}

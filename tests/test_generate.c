/* The population generator (include/mutu/generate.h) and the default
 * profile scenarios/profiles/france.json.
 *
 * Calibration is checked against the rules, not against the profile: the
 * empirical percentiles of the generated counts must land within 3 % of
 * the thresholds of ../scenarios/rules/convention-2024.json, which were
 * fitted independently (scenarios/README.md section 4).  Every generated
 * line is read back with mutu_cabinet_parse against those rules.
 *
 * Runs with the working directory tests/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "mutu/cabinet.h"
#include "mutu/date.h"
#include "mutu/generate.h"
#include "mutu/rules.h"
#include "testutil.h"

#define RULES_2024 "../scenarios/rules/convention-2024.json"
#define FRANCE "../scenarios/profiles/france.json"
#define PROFILE_LABEL "inline-profile.json"

/* How far an empirical percentile may sit from the rules' threshold. */
#define CALIBRATION_TOLERANCE 0.03

static const double quantiles[MUTU_NTHRESHOLDS] = {0.30, 0.50, 0.70, 0.90, 0.95};

/* ---- helpers ---- */

static char *read_text(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	char *text = malloc((size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	text[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return text;
}

static void print_errors(const mutu_errors *errs)
{
	char line[1024];
	for (size_t i = 0; i < errs->count; i++) {
		mutu_error_format(&errs->items[i], line, sizeof line);
		print_message("  %s\n", line);
	}
}

static void load_rules(mutu_rules *rules)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	int rc = mutu_rules_load(rules, RULES_2024, &errs);
	print_errors(&errs);
	assert_int_equal(rc, MUTU_OK);
}

static mutu_profile *load_profile_text(const char *text, const mutu_rules *rules)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_profile *p = NULL;
	int rc = mutu_profile_parse(&p, text, strlen(text), PROFILE_LABEL, rules, &errs);
	print_errors(&errs);
	assert_int_equal(rc, MUTU_OK);
	assert_non_null(p);
	return p;
}

static mutu_profile *load_france(const mutu_rules *rules)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_profile *p = NULL;
	int rc = mutu_profile_load(&p, FRANCE, rules, &errs);
	print_errors(&errs);
	assert_int_equal(rc, MUTU_OK);
	return p;
}

/* Draws the next cabinet and reads it back against `rules`. */
static void next_cabinet(mutu_generator *gen, const mutu_rules *rules, mutu_cabinet *cab)
{
	char *line = NULL;
	size_t len = 0;
	assert_int_equal(mutu_generate_next(&line, &len, gen), MUTU_OK);
	assert_int_equal(len, strlen(line));
	assert_null(strchr(line, '\n'));
	mutu_errors errs;
	mutu_errors_clear(&errs);
	int rc = mutu_cabinet_parse(cab, rules, line, len, "generated", &errs);
	if (rc != MUTU_OK) {
		print_message("%s\n", line);
		print_errors(&errs);
	}
	assert_int_equal(rc, MUTU_OK);
	free(line);
}

/* A growing array of doubles. */
typedef struct sample {
	double *v;
	size_t n, cap;
} sample;

static void sample_add(sample *s, double v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		assert_non_null(s->v);
	}
	s->v[s->n++] = v;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Sorts the sample and checks its P30..P95 (the order statistic at
 * floor(q (n - 1))) against `thresholds`; prints the comparison. */
static void check_percentiles(const char *what, sample *s,
			      const double thresholds[MUTU_NTHRESHOLDS])
{
	assert_true(s->n > 1000);
	qsort(s->v, s->n, sizeof *s->v, cmp_double);
	char line[512];
	size_t at = (size_t)snprintf(line, sizeof line, "%-14s n=%-7zu", what, s->n);
	bool ok = true;
	for (int k = 0; k < MUTU_NTHRESHOLDS; k++) {
		double emp = s->v[(size_t)floor(quantiles[k] * (double)(s->n - 1))];
		double rel = (emp - thresholds[k]) / thresholds[k];
		at +=
		    (size_t)snprintf(line + at, sizeof line - at, " P%02.0f %5.0f/%-5.0f %+5.1f%%",
				     quantiles[k] * 100, emp, thresholds[k], rel * 100);
		ok &= fabs(rel) <= CALIBRATION_TOLERANCE;
	}
	print_message("%s\n", line);
	assert_true(ok);
}

/* ---- the default population ---- */

/* One calibration target of france.json: what is measured, its source
 * (scenarios/profiles/README.md has the table), the target, the
 * tolerance and the generated value.  Each row is printed as a Markdown
 * table row, the "generated" column of the README. */
typedef struct target {
	const char *what, *source;
	double want, tolerance, got;
	int percent; /* print as a percentage */
} target;

static bool check_target(const target *t)
{
	bool ok = fabs(t->got - t->want) <= t->tolerance + 1e-12;
	if (t->percent)
		print_message("| %s | %s | %.1f %% ± %.1f | %.1f %% |%s\n", t->what, t->source,
			      100 * t->want, 100 * t->tolerance, 100 * t->got, ok ? "" : " MISSED");
	else
		print_message("| %s | %s | %.0f ± %.0f | %.0f |%s\n", t->what, t->source, t->want,
			      t->tolerance, t->got, ok ? "" : " MISSED");
	return ok;
}

static double share(size_t part, size_t whole)
{
	return whole ? (double)part / (double)whole : 0;
}

/* Cumulative contracts signed by day `d` on the profile's curve (linear
 * between its points). */
static double curve_at(mutu_date d)
{
	static const struct {
		int y, m, dd;
		double n;
	} pts[] = {{2019, 9, 1, 0},     {2020, 1, 15, 300},   {2021, 1, 21, 1545},
		   {2022, 5, 31, 3112}, {2022, 10, 1, 3545},  {2023, 11, 11, 5355},
		   {2024, 1, 22, 6000}, {2024, 10, 31, 7240}, {2025, 6, 15, 8558}};
	size_t n = sizeof pts / sizeof pts[0], i = 1;
	/* Past the last point, the last slope carries on (as the generator). */
	while (i + 1 < n && d > mutu_date_from_ymd(pts[i].y, pts[i].m, pts[i].dd))
		i++;
	mutu_date a = mutu_date_from_ymd(pts[i - 1].y, pts[i - 1].m, pts[i - 1].dd);
	mutu_date b = mutu_date_from_ymd(pts[i].y, pts[i].m, pts[i].dd);
	return pts[i - 1].n + (pts[i].n - pts[i - 1].n) * (double)(d - a) / (double)(b - a);
}

/* Draws 20 000 structures of the France profile and checks every
 * calibration target of scenarios/profiles/README.md against its source
 * value, within its tolerance (binomial standard errors: over ~10 000
 * contracts a share's is at most 0.005, over 20 000 structures 0.003;
 * the tolerances are three to four of them, or the spread of the sources
 * where they disagree), and what the profile promises besides: sizes
 * 2..30, the GPs' PMT percentiles on the rules' thresholds, contracts
 * both in force and ended at the start, declarations mostly in time. */
static void france_population_is_calibrated_on_the_rules(void **state)
{
	(void)state;
	const size_t structures = 20000;
	mutu_rules rules;
	load_rules(&rules);
	mutu_profile *p = load_france(&rules);
	mutu_generator *gen = NULL;
	assert_int_equal(mutu_generator_new(&gen, p, 2024), MUTU_OK);

	long gp = mutu_rules_specialty(&rules, "generaliste");
	long third = mutu_rules_option(&rules, "third"), full = mutu_rules_option(&rules, "full");
	assert_true(gp >= 0 && third >= 0 && full >= 0);
	const mutu_date ra = mutu_date_from_ymd(2023, 5, 1);
	const mutu_date july = mutu_date_from_ymd(2025, 7, 1);
	static const char *const listed[] = {"cardiologie", "ophtalmologie", "pediatrie",
					     "psychiatrie", "dermatologie",  "neurologie"};
	static const double counts_2022[] = {180, 110, 65, 38, 33, 16}; /* of 442 */
	size_t by_specialty[6] = {0};
	sample pmt = {0};
	size_t zip = 0, doctors = 0, gps = 0, gps_zip = 0, small = 0, fresh = 0;
	size_t in_force = 0, ended = 0, dated = 0, late = 0, volunteers = 0;
	size_t contracts = 0, gp_contracts = 0, zip_contracts = 0, gp_fresh = 0, gp_eligible = 0;
	size_t pre = 0, pre_third = 0, pre_full = 0, pre_full_standard = 0, post = 0,
	       post_third = 0, post_full = 0, gp_forfait = 0;
	double gp_holder_pmt = 0;
	sample july_starts = {0};
	size_t min_size = SIZE_MAX, max_size = 0;
	double floor = rules.specialties[gp].thresholds[MUTU_P30];
	for (size_t i = 0; i < structures; i++) {
		mutu_cabinet cab;
		next_cabinet(gen, &rules, &cab);
		char want[32];
		snprintf(want, sizeof want, "s%06zu", i + 1);
		assert_string_equal(cab.id, want);
		bool in_zip = cab.zone == MUTU_ZONE_ZIP;
		zip += in_zip;
		min_size = cab.ndoctors < min_size ? cab.ndoctors : min_size;
		max_size = cab.ndoctors > max_size ? cab.ndoctors : max_size;
		small += cab.ndoctors <= 6;
		for (size_t j = 0; j < cab.ndoctors; j++) {
			const mutu_doctor *d = &cab.doctors[j];
			bool is_gp = d->specialty == (size_t)gp;
			snprintf(want, sizeof want, "d%zu", j + 1);
			assert_string_equal(d->id, want);
			doctors++;
			fresh += d->new_installed;
			if (is_gp) {
				gps++;
				gps_zip += in_zip;
				sample_add(&pmt, d->pmt);
			}
			for (size_t c = 0; c < d->ncontracts; c++) {
				const mutu_held_contract *hc = &d->contracts[c];
				assert_true(hc->start < cab.contract_start);
				if (hc->kind == MUTU_KIND_FORFAIT) {
					gp_forfait += is_gp;
					continue;
				}
				if (hc->end == MUTU_DATE_NONE || hc->end >= cab.contract_start)
					in_force++;
				else
					ended++;
				contracts++;
				zip_contracts += in_zip;
				const char *sp = rules.specialties[d->specialty].name;
				for (size_t k = 0; k < 6; k++)
					by_specialty[k] += strcmp(sp, listed[k]) == 0;
				if (hc->start < ra) {
					pre++;
					pre_third += hc->option == third;
					pre_full += hc->option == full;
					pre_full_standard += hc->option == full && !in_zip;
				} else {
					post++;
					post_third += hc->option == third;
					post_full += hc->option == full;
				}
				if (cab.contract_start == july)
					sample_add(&july_starts, (double)hc->start);
				if (!is_gp)
					continue;
				gp_contracts++;
				gp_fresh += d->new_installed;
				gp_holder_pmt += d->pmt;
				gp_eligible += d->pmt > floor || d->new_installed;
			}
			volunteers += d->volunteer;
			if (d->declared_on != MUTU_DATE_NONE) {
				dated++;
				late += d->declared_on > cab.contract_start;
			}
		}
		mutu_cabinet_free(&cab);
	}
	print_message(
	    "%zu structures, %zu doctors, %zu contracts: sizes %zu..%zu, %.1f %% at most 6 "
	    "doctors, GPs %.1f %% of the doctors, newly installed %.1f %%\n",
	    structures, doctors, contracts, min_size, max_size,
	    100.0 * (double)small / (double)structures, 100.0 * share(gps, doctors),
	    100.0 * share(fresh, doctors));
	print_message("contracts in force at the start %zu, ended before it %zu; declarations "
		      "after the start %zu of %zu dated (%zu volunteers)\n",
		      in_force, ended, late, dated, volunteers);

	size_t spec_contracts = contracts - gp_contracts;
	target t[32];
	size_t n = 0;
	t[n++] = (target){"structures in a ZIP",
			  "Insee 2019 11 % of GPs, zoning of 2022 (inferred)",
			  0.18,
			  0.015,
			  share(zip, structures),
			  1};
	t[n++] = (target){"GPs in a ZIP",
			  "Insee 2019 11 %, zoning of 2022 (inferred)",
			  0.18,
			  0.015,
			  share(gps_zip, gps),
			  1};
	t[n++] = (target){"contracts in a ZIP",
			  "CNAM 52-60 % 'sous-dense' (2021-24)",
			  0.55,
			  0.03,
			  share(zip_contracts, contracts),
			  1};
	t[n++] = (target){"GPs' share of contracts",
			  "ameli Oct 2024: 5 283 of 7 240",
			  0.73,
			  0.02,
			  share(gp_contracts, contracts),
			  1};
	for (size_t k = 0; k < 6; k++) {
		static char what[6][64];
		snprintf(what[k], sizeof what[k], "%s, share of specialists' contracts", listed[k]);
		t[n++] =
		    (target){what[k], "CNAM May 2022 (of the 442 listed)",    counts_2022[k] / 442,
			     0.03,    share(by_specialty[k], spec_contracts), 1};
	}
	t[n++] = (target){"1/3 ETP, contracts signed before May 2023",
			  "CNAM May 2022: 31 %",
			  0.31,
			  0.02,
			  share(pre_third, pre),
			  1};
	t[n++] = (target){"1 ETP, contracts signed before May 2023",
			  "CNAM May 2022: 22 %",
			  0.22,
			  0.02,
			  share(pre_full, pre),
			  1};
	t[n++] = (target){"1 ETP outside a ZIP, before May 2023",
			  "avenant 7: ZIP only",
			  0,
			  0,
			  share(pre_full_standard, pre),
			  1};
	t[n++] = (target){"1/3 ETP, contracts signed from May 2023",
			  "RA: closed",
			  0,
			  0,
			  share(post_third, post),
			  1};
	t[n++] = (target){"1 ETP, contracts signed from May 2023",
			  "CNAM ETP counts 2022-24 (inferred)",
			  0.45,
			  0.03,
			  share(post_full, post),
			  1};
	t[n++] = (target){"GP holders' mean PMT",
			  "ameli 4-year review: 1 318 at signature",
			  1318,
			  40,
			  gp_contracts ? gp_holder_pmt / (double)gp_contracts : 0,
			  0};
	t[n++] = (target){"GP holders above P30 or newly installed",
			  "eligibility at signature",
			  1,
			  0,
			  share(gp_eligible, gp_contracts),
			  1};
	t[n++] = (target){"newly installed, share of GP contracts",
			  "CNAM May 2022: 502 of 2 439",
			  502.0 / 2439,
			  0.02,
			  share(gp_fresh, gp_contracts),
			  1};
	t[n++] = (target){"GPs holding a forfait contract",
			  "forfait structure 2022 (inferred)",
			  0.80,
			  0.02,
			  share(gp_forfait, gps),
			  1};
	/* The shape of the signatures: among contracts of the structures
	 * starting on 2025-07-01, the share signed by each published date is
	 * the curve's count then over its count on 2025-06-30. */
	qsort(july_starts.v, july_starts.n, sizeof *july_starts.v, cmp_double);
	static const int dates[][3] = {
	    {2021, 1, 21}, {2022, 5, 31}, {2023, 11, 11}, {2024, 1, 22}, {2024, 10, 31}};
	for (size_t k = 0; k < 5; k++) {
		static char what[5][64];
		mutu_date d = mutu_date_from_ymd(dates[k][0], dates[k][1], dates[k][2]);
		size_t by = 0;
		while (by < july_starts.n && july_starts.v[by] <= (double)d)
			by++;
		char day[11];
		mutu_date_format(d, day);
		snprintf(what[k], sizeof what[k], "contracts signed by %s", day);
		t[n++] =
		    (target){what[k], "CNAM cumulative counts", curve_at(d) / curve_at(july - 1),
			     0.03,    share(by, july_starts.n), 1};
	}
	bool ok = true;
	print_message("| target | source | wanted | generated |\n|---|---|---|---|\n");
	for (size_t k = 0; k < n; k++)
		ok &= check_target(&t[k]);
	assert_true(ok);

	/* No solo practice, nothing above the 30 of the pooled contract, and
	 * the bulk between 2 and 6 doctors. */
	assert_int_equal(min_size, 2);
	assert_int_equal(max_size, 30);
	assert_true((double)small / (double)structures > 0.80);
	assert_near(share(fresh, doctors), 0.10, 0.01);
	assert_true(in_force > 0 && ended > 0 && in_force > ended);
	assert_true(late > 0 && (double)late / (double)dated < 0.10);

	check_percentiles("generaliste", &pmt, rules.specialties[gp].thresholds);

	free(pmt.v);
	free(july_starts.v);
	mutu_generator_free(gen);
	mutu_profile_free(p);
	mutu_rules_free(&rules);
}

/* ---- every specialist law ---- */

/* The France profile with its structures replaced by one kind of centre of
 * 30 doctors, each drawing one of the rules' specialists on the FA metric
 * with equal weights, so that even psychiatry (σ = 0.75) gets enough
 * doctors for its P95 to be measured within 3 %.  The counts' laws are
 * per specialty, so the mix does not change them. */
static char *balanced_specialists(const mutu_rules *rules)
{
	char *text = read_text(FRANCE, NULL);
	cJSON *doc = cJSON_Parse(text);
	free(text);
	assert_non_null(doc);
	cJSON *mix = cJSON_CreateObject();
	for (size_t s = 0; s < rules->nspecialties; s++) {
		const mutu_specialty *sp = &rules->specialties[s];
		if (!sp->excluded && sp->metric == MUTU_METRIC_FA)
			cJSON_AddNumberToObject(mix, sp->name, 1);
	}
	cJSON *kind = cJSON_CreateObject();
	cJSON_AddStringToObject(kind, "kind", "balanced");
	cJSON_AddNumberToObject(kind, "weight", 1);
	cJSON_AddStringToObject(kind, "mix", "each");
	cJSON_AddItemToObject(kind, "specialties", mix);
	cJSON *sizes = cJSON_Parse("[{\"from\": 30, \"to\": 30, \"weight\": 1}]");
	cJSON_AddItemToObject(kind, "sizes", sizes);
	cJSON *kinds = cJSON_CreateArray();
	cJSON_AddItemToArray(kinds, kind);
	cJSON_ReplaceItemInObjectCaseSensitive(doc, "structures", kinds);
	/* Notes on /structures/1... would name values that are gone. */
	cJSON_DeleteItemFromObjectCaseSensitive(doc, "provenance");
	char *out = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	assert_non_null(out);
	return out;
}

static void specialist_fa_percentiles_match_the_rules(void **state)
{
	(void)state;
	mutu_rules rules;
	load_rules(&rules);
	char *text = balanced_specialists(&rules);
	mutu_profile *p = load_profile_text(text, &rules);
	free(text);
	mutu_generator *gen = NULL;
	assert_int_equal(mutu_generator_new(&gen, p, 7), MUTU_OK);
	sample *fa = calloc(rules.nspecialties, sizeof *fa);
	assert_non_null(fa);
	/* 6 specialties x ~40 000 doctors. */
	for (size_t i = 0; i < 8000; i++) {
		mutu_cabinet cab;
		next_cabinet(gen, &rules, &cab);
		for (size_t j = 0; j < cab.ndoctors; j++)
			sample_add(&fa[cab.doctors[j].specialty], cab.doctors[j].fa);
		mutu_cabinet_free(&cab);
	}
	size_t checked = 0;
	for (size_t s = 0; s < rules.nspecialties; s++) {
		const mutu_specialty *sp = &rules.specialties[s];
		if (sp->excluded || sp->metric != MUTU_METRIC_FA) {
			assert_int_equal(fa[s].n, 0);
			continue;
		}
		check_percentiles(sp->name, &fa[s], sp->thresholds);
		checked++;
		free(fa[s].v);
	}
	assert_int_equal(checked, 6);
	free(fa);
	mutu_generator_free(gen);
	mutu_profile_free(p);
	mutu_rules_free(&rules);
}

/* ---- determinism and validity ---- */

/* `n` lines of `seed` joined with newlines, as the CLI writes them. */
static char *population(const mutu_profile *p, unsigned long seed, size_t n)
{
	mutu_generator *gen = NULL;
	assert_int_equal(mutu_generator_new(&gen, p, seed), MUTU_OK);
	size_t cap = 1 << 16, used = 0;
	char *all = malloc(cap);
	assert_non_null(all);
	for (size_t i = 0; i < n; i++) {
		char *line = NULL;
		size_t len = 0;
		assert_int_equal(mutu_generate_next(&line, &len, gen), MUTU_OK);
		while (used + len + 2 > cap) {
			cap *= 2;
			all = realloc(all, cap);
			assert_non_null(all);
		}
		memcpy(all + used, line, len);
		used += len;
		all[used++] = '\n';
		free(line);
	}
	all[used] = '\0';
	mutu_generator_free(gen);
	return all;
}

static void same_seed_gives_the_same_bytes(void **state)
{
	(void)state;
	mutu_profile *p = load_france(NULL);
	char *a = population(p, 42, 300);
	char *b = population(p, 42, 300);
	char *c = population(p, 43, 300);
	char *prefix = population(p, 42, 100);
	assert_string_equal(a, b);
	assert_true(strcmp(a, c) != 0);
	/* The first lines do not depend on how many follow. */
	assert_int_equal(strncmp(a, prefix, strlen(prefix)), 0);
	/* Counts and ages are written as whole numbers: no '.' outside the
	 * newly installed doctors' headroom. */
	for (const char *s = a; (s = strchr(s, '.')) != NULL; s++)
		assert_int_equal(strncmp(s - 12, "\"headroom\":0.", 13), 0);
	free(a);
	free(b);
	free(c);
	free(prefix);
	mutu_profile_free(p);
}

/* A few hundred lines, each a valid cabinet for the 2024 rules, with at
 * least one structure of every kind the profile mixes. */
static void generated_lines_load_against_the_2024_rules(void **state)
{
	(void)state;
	mutu_rules rules;
	load_rules(&rules);
	mutu_profile *p = load_france(&rules);
	mutu_generator *gen = NULL;
	assert_int_equal(mutu_generator_new(&gen, p, 1), MUTU_OK);
	size_t mono_gp = 0, mono_specialist = 0, mixed = 0, excluded = 0;
	long gp = mutu_rules_specialty(&rules, "generaliste");
	for (int i = 0; i < 400; i++) {
		mutu_cabinet cab;
		next_cabinet(gen, &rules, &cab);
		bool all_same = true;
		for (size_t j = 0; j < cab.ndoctors; j++) {
			all_same &= cab.doctors[j].specialty == cab.doctors[0].specialty;
			excluded += rules.specialties[cab.doctors[j].specialty].excluded;
			assert_true(cab.doctors[j].age >= 18);
		}
		if (!all_same)
			mixed++;
		else if (cab.doctors[0].specialty == (size_t)gp)
			mono_gp++;
		else
			mono_specialist++;
		mutu_cabinet_free(&cab);
	}
	assert_true(mono_gp > mono_specialist && mono_specialist > mixed && mixed > 0);
	assert_true(excluded > 0);
	mutu_generator_free(gen);
	mutu_profile_free(p);
	mutu_rules_free(&rules);
}

/* Every value of france.json has a provenance note, on itself or on an
 * enclosing object or array, that says "sourced: " or "inferred: ". */
static void check_covered(const cJSON *prov, const cJSON *item, const char *path)
{
	if (cJSON_IsObject(item) || cJSON_IsArray(item)) {
		size_t i = 0;
		for (const cJSON *it = item->child; it; it = it->next, i++) {
			char child[512];
			if (cJSON_IsObject(item))
				snprintf(child, sizeof child, "%s/%s", path, it->string);
			else
				snprintf(child, sizeof child, "%s/%zu", path, i);
			check_covered(prov, it, child);
		}
		return;
	}
	char p[512];
	snprintf(p, sizeof p, "%s", path);
	for (;;) {
		const cJSON *note = cJSON_GetObjectItemCaseSensitive(prov, p);
		if (note) {
			assert_true(cJSON_IsString(note));
			/* "sourced (secondary): " says the source is a secondary
			 * one (press, union, guide), "sourced (primary): " an
			 * official one. */
			const char *v = note->valuestring;
			assert_true(strncmp(v, "sourced: ", 9) == 0 ||
				    strncmp(v, "sourced (secondary): ", 21) == 0 ||
				    strncmp(v, "sourced (primary): ", 19) == 0 ||
				    strncmp(v, "inferred: ", 10) == 0);
			return;
		}
		char *slash = strrchr(p, '/');
		if (!slash || slash == p) {
			print_message("no provenance note for %s\n", path);
			fail();
		}
		*slash = '\0';
	}
}

static void every_france_value_has_a_provenance_note(void **state)
{
	(void)state;
	char *text = read_text(FRANCE, NULL);
	cJSON *doc = cJSON_Parse(text);
	free(text);
	assert_non_null(doc);
	const cJSON *prov = cJSON_GetObjectItemCaseSensitive(doc, "provenance");
	assert_true(cJSON_IsObject(prov));
	for (const cJSON *it = doc->child; it; it = it->next) {
		if (strcmp(it->string, "provenance") == 0 || strcmp(it->string, "name") == 0 ||
		    strcmp(it->string, "description") == 0)
			continue;
		char path[512];
		snprintf(path, sizeof path, "/%s", it->string);
		check_covered(prov, it, path);
	}
	cJSON_Delete(doc);
}

/* ---- malformed profiles ---- */

/* One change to france.json: the value at `at` (a JSON pointer whose
 * parent exists) becomes `value` (JSON text), and the loader must report
 * exactly `nerr` errors, one at `path` whose message contains `msg`. */
typedef struct bad {
	const char *at, *value;
	bool with_rules;
	size_t nerr;
	const char *path, *msg;
} bad;

static const bad bads[] = {
    {"/zones/zipp", "0.5", false, 1, "/zones/zipp", "unknown key \"zipp\"; did you mean \"zip\"?"},
    {"/zones/zip", "1.5", false, 1, "/zones/zip", "must be between 0 and 1, got 1.5"},
    {"/zones/zip", "\"half\"", false, 1, "/zones/zip", "must be a number, got a string"},
    {"/structures/1/specialties/cardiologi", "5", false, 1, "/structures/1/specialties/cardiologi",
     "no law for specialty \"cardiologi\" in /specialties; did you mean \"cardiologie\"?"},
    {"/structures/1/mix", "\"all\"", false, 1, "/structures/1/mix",
     "must be one of \"one\", \"each\", got \"all\""},
    {"/structures/0/sizes", "[]", false, 1, "/structures/0/sizes",
     "must be an array of 1 to 256 entries, got an empty array"},
    {"/structures/0/sizes/0/from", "0", false, 1, "/structures/0/sizes/0/from",
     "must be an integer between 1 and 500, got 0"},
    {"/structures/0/sizes/1/to", "2", false, 1, "/structures/0/sizes/1/to",
     "must not be below \"from\" (3), got 2"},
    {"/structures/0/weight", "-1", false, 1, "/structures/0/weight",
     "must be a non-negative number, got -1"},
    {"/specialties/generaliste/pmt/sigma", "-0.1", false, 1, "/specialties/generaliste/pmt/sigma",
     "must be between 0 and 5, got -0.1"},
    {"/specialties/generaliste/pmt/of", "\"fa\"", false, 1, "/specialties/generaliste",
     "\"pmt\" and \"fa\" cannot both be drawn \"of\" the other"},
    {"/specialties/generaliste/fa/of", "\"fa\"", false, 1, "/specialties/generaliste/fa/of",
     "a count cannot be drawn from itself"},
    {"/specialties/generaliste/sectors/3", "0.1", false, 1, "/specialties/generaliste/sectors/3",
     "unknown key \"3\""},
    {"/specialties/generaliste/sectors", "{\"1\": 0, \"2\": 0}", false, 1,
     "/specialties/generaliste/sectors", "the weights must not all be zero"},
    {"/ages/0/to", "20", false, 1, "/ages/0/to", "must not be below \"from\" (30), got 20"},
    {"/new_installed/share", "0.5", false, 1, "/new_installed/below_p30",
     "cannot put 0.7 of a 0.5 share of newly installed doctors below p30"},
    {"/contracts/signatures/2/count", "100", false, 1, "/contracts/signatures/2/count",
     "must not be below the previous point's count (300)"},
    {"/contracts/signatures/3/date", "\"2020-01-01\"", false, 1, "/contracts/signatures/3/date",
     "must be after the previous point's date"},
    {"/contract_start/0/date", "\"2025-02-30\"", false, 1, "/contract_start/0/date",
     "must be a date YYYY-MM-DD, got \"2025-02-30\""},
    {"/volunteers/late_days", "0", false, 1, "/volunteers/late_days",
     "must be an integer between 1 and 3650, got 0"},
    /* The second error: the provenance note on it names nothing now. */
    {"/volunteers/share", NULL, false, 2, "/volunteers/share", "missing required key \"share\""},
    {"/contracts/holders/mean_ratio", "10", false, 1, "/contracts/holders/mean_ratio",
     "must be between 0.2 and 5, got 10"},
    /* Unreachable targets are errors with the reason, not silent misses. */
    {"/contracts/holders/mean_ratio", "0.9", false, 7, "/contracts/holders/mean_ratio",
     "generaliste: holders' mean count"},
    {"/contracts/holders/new_installed", "0.9", false, 7, "/specialties/generaliste",
     "assistant_share 0.15 cannot be met in a ZIP"},
    {"/contracts/zip_ratio", "50", false, 7, "/specialties/generaliste",
     "cannot be met in a ZIP: 76 % of the doctors there would hold a contract"},
    {"/contracts/options/0/before", "\"2023-02-30\"", false, 1, "/contracts/options/0/before",
     "must be a date YYYY-MM-DD"},
    {"/contracts/options/0/zip", "{\"full\": 0}", false, 1, "/contracts/options/0/zip",
     "the weights must not all be zero"},
    {"/contracts/options/1/before", "\"2020-01-01\"", false, 1, "/contracts/options/1/before",
     "the last period takes every later contract"},
    {"/provenance/~1zones~1zap", "\"inferred: x\"", false, 1, "/provenance/~1zones~1zap",
     "names no value of the profile"},
    {"/contracts/options/0/standard/quarter", "0.1", true, 1,
     "/contracts/options/0/standard/quarter",
     "unknown option \"quarter\" in the rules convention-2024"},
    {"/specialties/cardiologi",
     "{\"fa\": {\"mu\": 7, \"sigma\": 0.5}, \"pmt\": {\"of\": \"fa\", \"mu\": -4, \"sigma\": 1},"
     " \"sectors\": {\"1\": 1}, \"assistant_share\": 0, \"forfait_share\": 0}",
     true, 1, "/specialties/cardiologi",
     "unknown specialty \"cardiologi\" in the rules convention-2024; did you mean "
     "\"cardiologie\"?"},
};

/* Sets (or, with value NULL, deletes) the member at pointer `at`. */
static void set_at(cJSON *doc, const char *at, const char *value)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", at);
	char *last = strrchr(buf, '/');
	assert_non_null(last);
	*last = '\0';
	char *key = last + 1;
	cJSON *parent = doc;
	for (char *tok = strtok(buf + 1, "/"); tok && parent; tok = strtok(NULL, "/"))
		parent = cJSON_IsArray(parent) ? cJSON_GetArrayItem(parent, atoi(tok))
					       : cJSON_GetObjectItemCaseSensitive(parent, tok);
	assert_non_null(parent);
	/* Keys with "~1" (an escaped '/') only occur under /provenance. */
	char unescaped[256];
	size_t n = 0;
	for (const char *c = key; *c && n + 1 < sizeof unescaped; c++) {
		if (c[0] == '~' && c[1] == '1') {
			unescaped[n++] = '/';
			c++;
		} else {
			unescaped[n++] = *c;
		}
	}
	unescaped[n] = '\0';
	if (cJSON_IsArray(parent)) {
		cJSON *v = cJSON_Parse(value);
		assert_non_null(v);
		assert_true(cJSON_ReplaceItemInArray(parent, atoi(unescaped), v));
		return;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(parent, unescaped);
	if (value) {
		cJSON *v = cJSON_Parse(value);
		assert_non_null(v);
		cJSON_AddItemToObject(parent, unescaped, v);
	}
}

static void malformed_profiles_are_reported_with_their_pointer(void **state)
{
	(void)state;
	mutu_rules rules;
	load_rules(&rules);
	char *text = read_text(FRANCE, NULL);
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		const bad *b = &bads[i];
		cJSON *doc = cJSON_Parse(text);
		assert_non_null(doc);
		set_at(doc, b->at, b->value);
		char *changed = cJSON_Print(doc);
		cJSON_Delete(doc);
		mutu_errors errs;
		mutu_errors_clear(&errs);
		mutu_profile *p = NULL;
		int rc = mutu_profile_parse(&p, changed, strlen(changed), PROFILE_LABEL,
					    b->with_rules ? &rules : NULL, &errs);
		free(changed);
		bool found = false;
		for (size_t e = 0; e < errs.count; e++)
			found |= strcmp(errs.items[e].file, PROFILE_LABEL) == 0 &&
				 strcmp(errs.items[e].path, b->path) == 0 &&
				 strstr(errs.items[e].message, b->msg) != NULL;
		if (rc != MUTU_EINPUT || errs.count != b->nerr || !found) {
			print_message("case %s = %s: rc %d, %zu errors, expected %s: %s\n", b->at,
				      b->value ? b->value : "(deleted)", rc, errs.count, b->path,
				      b->msg);
			print_errors(&errs);
			fail();
		}
		assert_null(p);
	}
	free(text);
	mutu_rules_free(&rules);
}

static void unreadable_profile_is_an_io_error(void **state)
{
	(void)state;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_profile *p = NULL;
	assert_int_equal(mutu_profile_load(&p, "no-such-profile.json", NULL, &errs), MUTU_EIO);
	assert_null(p);
	assert_int_equal(errs.count, 1);
	assert_string_equal(errs.items[0].file, "no-such-profile.json");
	assert_non_null(strstr(errs.items[0].message, "cannot open"));
	mutu_profile_free(NULL);
	mutu_generator_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(generated_lines_load_against_the_2024_rules),
	    cmocka_unit_test(same_seed_gives_the_same_bytes),
	    cmocka_unit_test(every_france_value_has_a_provenance_note),
	    cmocka_unit_test(malformed_profiles_are_reported_with_their_pointer),
	    cmocka_unit_test(unreadable_profile_is_an_io_error),
	    cmocka_unit_test(france_population_is_calibrated_on_the_rules),
	    cmocka_unit_test(specialist_fa_percentiles_match_the_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

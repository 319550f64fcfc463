/* Published cases of the individual aid, each asserted against the
 * published numbers on the bundled rules files (scenarios/rules/).  The
 * sources are in scenarios/profiles/SOURCES.md (section B) and in the
 * provenance notes of the rules; where a case is not reproduced exactly,
 * the comment says by how much and why.
 *
 * Runs with the working directory tests/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "mutu/cabinet.h"
#include "mutu/individual.h"
#include "mutu/rules.h"
#include "testutil.h"

#define AVENANT7 "../scenarios/rules/avenant7-2019.json"
#define RA "../scenarios/rules/ra-2023.json"
#define C2024 "../scenarios/rules/convention-2024.json"

typedef struct fixture {
	mutu_rules rules;
	mutu_cabinet cab;
	mutu_doctor_eval ev;
} fixture;

static void print_errors(const mutu_errors *errs)
{
	char line[1024];
	for (size_t i = 0; i < errs->count; i++) {
		mutu_error_format(&errs->items[i], line, sizeof line);
		print_message("  %s\n", line);
	}
}

/* Loads `rules` and a one-doctor cabinet (`doctor` is the JSON of the
 * doctor) in `zone`, starting on `start`, and evaluates the doctor. */
static void load(fixture *f, const char *rules, const char *zone, const char *start,
		 const char *doctor)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	int rc = mutu_rules_load(&f->rules, rules, &errs);
	print_errors(&errs);
	assert_int_equal(rc, MUTU_OK);
	char text[4096];
	snprintf(text, sizeof text,
		 "{\"id\": \"c\", \"zone\": \"%s\", \"contract_start\": \"%s\","
		 " \"doctors\": [%s]}",
		 zone, start, doctor);
	rc = mutu_cabinet_parse(&f->cab, &f->rules, text, strlen(text), "c.json", &errs);
	print_errors(&errs);
	assert_int_equal(rc, MUTU_OK);
	assert_int_equal(mutu_individual_eval(&f->ev, &f->rules, &f->cab, 0), MUTU_OK);
}

static void unload(fixture *f)
{
	mutu_doctor_eval_free(&f->ev, f->rules.noptions);
	mutu_cabinet_free(&f->cab);
	mutu_rules_free(&f->rules);
}

static long option(const fixture *f, const char *id)
{
	long o = mutu_rules_option(&f->rules, id);
	assert_true(o >= 0);
	return o;
}

/* A GP of 45 in sector 1 with `pmt` and `fa`, plus `extra` JSON members. */
static const char *gp(char *buf, size_t size, int pmt, int fa, const char *extra)
{
	snprintf(buf, size,
		 "{\"id\": \"d\", \"specialty\": \"generaliste\", \"sector\": \"1\", \"pmt\": %d, "
		 "\"fa\": %d, \"age\": 45%s}",
		 pmt, fa, extra);
	return buf;
}

/* A GP's guide citing the fund's calculator (secondary; issue "Negotiators'
 * answers", SOURCES.md B1): in the RA era a GP with 1 300 patients taking
 * a full-time assistant must gain 260 patients, +20 %.  1 300 lies in
 * P70-P90 (1 139-1 503): ceil(0.20 x 1 300) = 260. */
static void ra_gp_1300_full_time_gains_260(void **state)
{
	(void)state;
	fixture f;
	char d[256];
	load(&f, RA, "standard", "2023-09-01", gp(d, sizeof d, 1300, 2000, ""));
	assert_true(f.ev.eligible);
	assert_int_equal(f.ev.band, MUTU_B3);
	const mutu_option_eval *full = &f.ev.options[option(&f, "full")];
	assert_true(full->allowed); /* open everywhere since the RA */
	assert_near(full->objective, 260, 0);
	assert_near(full->objective / 1300, 0.20, 1e-12);
	unload(&f);
}

/* FMF (union), "Assistants médicaux et RA : la FMF avait prévenu !", 2024
 * (SOURCES.md B2): a half-time GP of 2019 "at the 80th percentile" was to
 * go from 975 to 1 196 PMT patients and from 2 355 to 2 649 FA patients.
 * Avenant 7 GPs owe both counts (objective_metric "both").
 * - FA leg: 2 355 is in the FA band P70-P90 (1 877-2 599), at the 85th
 *   percentile of the fit; half rate 12.5 %: 2 355 x 1.125 = 2 649.4,
 *   published 2 649.  The engine rounds every objective up (model.md §2),
 *   ceil(294.375) = 295, target 2 650: one patient above the published
 *   figure, which rounds to the nearest.
 * - PMT leg: +221 is +22.7 %, no band rate.  975 is in P50-P70 of the
 *   draft thresholds (855-1 088), half rate 20 %: ceil(195) = 195, target
 *   1 170, 2.2 % below the published 1 196; asserted within 3 %, the gap is
 *   an open question (SOURCES.md B2: neither reading of the union's figure
 *   is confirmed). */
static void avenant7_half_time_gp_975_owes_both_counts(void **state)
{
	(void)state;
	fixture f;
	char d[256];
	load(&f, AVENANT7, "standard", "2019-10-01", gp(d, sizeof d, 975, 2355, ""));
	assert_true(f.ev.eligible);
	assert_int_equal(f.rules.specialties[f.cab.doctors[0].specialty].objective_metric,
			 MUTU_OBJ_BOTH);
	assert_int_equal(f.ev.second_band, MUTU_B3);
	const mutu_option_eval *half = &f.ev.options[option(&f, "half")];
	double fa_target = 2355 + half->objective_second;
	assert_true(fabs(fa_target - 2649) <= 1);
	assert_near(2355 * (1 + f.rules.options[option(&f, "half")].objective[MUTU_B3]), 2649.375,
		    1e-9);
	double pmt_target = 975 + half->objective;
	assert_true(fabs(pmt_target - 1196) / 1196 <= 0.03);
	assert_true(half->feasible);
	unload(&f);
}

/* The same GP's guide (secondary, SOURCES.md B3): a full-time assistant
 * at 1 600 € net costs the employer about 2 388 € a month, 2 388 x 12 =
 * 28 656 € a year, in every regime and for every specialty. */
static void assistant_costs_28656_a_year(void **state)
{
	(void)state;
	const char *files[] = {AVENANT7, RA, C2024};
	for (size_t i = 0; i < 3; i++) {
		mutu_rules r;
		mutu_errors errs;
		mutu_errors_clear(&errs);
		assert_int_equal(mutu_rules_load(&r, files[i], &errs), MUTU_OK);
		assert_near(r.economics.assistant_cost_per_etp, 2388 * 12, 0);
		for (size_t s = 0; s < r.nspecialties; s++)
			assert_near(r.specialties[s].economics.assistant_cost_per_etp, 28656, 0);
		mutu_rules_free(&r);
	}
}

/* The fund's January 2019 draft (Le Quotidien du Médecin, SOURCES.md B4):
 * 618-854 PMT +20 %, 855-1 088 +15 %, 1 089-1 479 +7.5 %, 1 480 and
 * more: maintain (the 1/3 model).  The signed avenant 7 keeps those rates
 * (art. 9-5-2-2) with the floor moved to 640 and a P90-P95 band at +4 %;
 * the bounds 855, 1 089 and 1 480 are the GPs' P50, P70 and P90. */
static void avenant7_gp_bands_are_the_draft_bands(void **state)
{
	(void)state;
	static const struct {
		int pmt;
		mutu_band band;
		double third; /* objective of the 1/3 option */
	} cases[] = {
	    {854, MUTU_B1, 171},  /* ceil(0.20 x 854) = ceil(170.8) */
	    {855, MUTU_B2, 129},  /* ceil(0.15 x 855) = ceil(128.25) */
	    {1088, MUTU_B2, 164}, /* ceil(163.2) */
	    {1089, MUTU_B3, 82},  /* ceil(0.075 x 1089) = ceil(81.675) */
	    {1479, MUTU_B3, 111}, /* ceil(110.925) */
	    {1480, MUTU_B4, 60},  /* ceil(0.04 x 1480) = ceil(59.2) */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fixture f;
		char d[256];
		load(&f, AVENANT7, "standard", "2019-10-01",
		     gp(d, sizeof d, cases[i].pmt, 2000, ""));
		assert_int_equal(f.ev.band, cases[i].band);
		assert_near(f.ev.options[option(&f, "third")].objective, cases[i].third, 0);
		unload(&f);
	}
}

/* remede.org, May 2019 (SOURCES.md B4): a newly installed GP at 500 must
 * reach P50 within 3 years, "800 and some" patients: 855 - 500 = 355 new
 * patients, a target of 855. */
static void avenant7_newly_installed_at_500_reaches_800_and_some(void **state)
{
	(void)state;
	fixture f;
	char d[256];
	load(&f, AVENANT7, "standard", "2019-10-01",
	     gp(d, sizeof d, 500, 900, ", \"new_installed\": true"));
	assert_true(f.ev.eligible); /* exempt from the floor */
	double target = 500 + f.ev.options[option(&f, "half")].objective;
	assert_true(target >= 800 && target < 900);
	assert_near(target, 855, 0);
	unload(&f);
}

/* The GP's guide (secondary, SOURCES.md B5): under the RA and the 2024
 * convention the GPs' P90 is 1 503 and P95 1 721. */
static void ra_and_2024_gp_p90_p95(void **state)
{
	(void)state;
	const char *files[] = {RA, C2024};
	for (size_t i = 0; i < 2; i++) {
		fixture f;
		char d[256];
		load(&f, files[i], "standard", "2025-01-01", gp(d, sizeof d, 1502, 2000, ""));
		assert_int_equal(f.ev.band, MUTU_B3);
		const mutu_specialty *sp = &f.rules.specialties[f.cab.doctors[0].specialty];
		assert_near(sp->thresholds[MUTU_P90], 1503, 0);
		assert_near(sp->thresholds[MUTU_P95], 1721, 0);
		assert_int_equal(mutu_band_of(sp->thresholds, 1503), MUTU_B4);
		assert_int_equal(mutu_band_of(sp->thresholds, 1720), MUTU_B4);
		assert_int_equal(mutu_band_of(sp->thresholds, 1721), MUTU_B5);
		unload(&f);
	}
}

/* "plus de 640 patients" (CSMF 2019), "supérieur au 30e percentile"
 * (2024): the floor is strict.  A GP at exactly 640 (avenant 7) or 775 (RA,
 * 2024) is not eligible; one more patient is. */
static void the_floor_is_strictly_above_p30(void **state)
{
	(void)state;
	static const struct {
		const char *rules;
		int floor;
	} cases[] = {{AVENANT7, 640}, {RA, 775}, {C2024, 775}};
	for (size_t i = 0; i < 3; i++) {
		fixture f;
		char d[256];
		load(&f, cases[i].rules, "standard", "2025-01-01",
		     gp(d, sizeof d, cases[i].floor, 2000, ""));
		assert_false(f.ev.eligible);
		assert_non_null(strstr(f.ev.reason, "not above P30"));
		unload(&f);
		load(&f, cases[i].rules, "standard", "2025-01-01",
		     gp(d, sizeof d, cases[i].floor + 1, 2000, ""));
		assert_true(f.ev.eligible);
		unload(&f);
	}
}

/* ameli, "ce qui change dès juin 2024": the 1/3 option cannot be signed
 * since 1 May 2023; an old 1/3 contract gets 7 350 € a year from year 3
 * under 2024.  The seed 002 slides: a pre-RA contract past 5 years keeps
 * its year-3 aid with no new objective.  A GP holding a 1/3 contract
 * signed on 2019-10-01 is, on 2025-01-01, in its year 6 (5 whole years
 * elapsed): frozen; over the 5-year horizon it pays 5 x 7 350 = 36 750 €
 * and costs 5 x 28 656 / 3 = 47 760 €: held net -11 010 €.  Nobody may
 * sign the 1/3 option any more. */
static void old_third_contract_runs_on_frozen(void **state)
{
	(void)state;
	fixture f;
	char d[512];
	load(&f, C2024, "standard", "2025-01-01",
	     gp(d, sizeof d, 1000, 1600,
		", \"contracts\": [{\"kind\": \"assistant\", \"option\": \"third\", "
		"\"start\": \"2019-10-01\"}]"));
	long third = option(&f, "third");
	assert_true(f.rules.options[third].closed);
	assert_false(f.ev.options[third].allowed);
	assert_int_equal(f.ev.held, 0);
	assert_int_equal(f.ev.held_option, third);
	assert_int_equal(f.ev.held_year, 6);
	assert_true(f.ev.held_frozen);
	assert_near(f.ev.held_aid, 36750, 1e-6);
	assert_near(f.ev.held_cost, 47760, 1e-6);
	assert_near(f.ev.held_net, -11010, 1e-6);
	unload(&f);
	/* Signed after the RA: not frozen, even 5 years on (an RA full-time
	 * contract of 2023-06-01 in year 2 on 2025-01-01: 28 000, then 22 000
	 * a year; its `end` on 2026-12-31 stops it after 2 years of the
	 * horizon: 28 000 + 22 000 = 50 000, cost 2 x 28 656 = 57 312). */
	load(&f, C2024, "zip", "2025-01-01",
	     gp(d, sizeof d, 1000, 1600,
		", \"contracts\": [{\"kind\": \"assistant\", \"option\": \"full\", "
		"\"start\": \"2023-06-01\", \"end\": \"2026-12-31\"}]"));
	assert_int_equal(f.ev.held_year, 2);
	assert_false(f.ev.held_frozen);
	assert_near(f.ev.held_aid, 50000, 1e-6);
	assert_near(f.ev.held_cost, 57312, 1e-6);
	unload(&f);
}

/* Every value of a regime file, merged with its bases, has a provenance
 * note on itself or on an enclosing object or array, which says
 * "sourced" (with the source, "(secondary)" when it is one) or
 * "inferred" (with the reasoning).  Option ids are names, not figures. */
static void check_covered(const cJSON *prov, const cJSON *item, const char *path, int *missing)
{
	if (cJSON_IsObject(item) || cJSON_IsArray(item)) {
		size_t i = 0;
		for (const cJSON *it = item->child; it; it = it->next, i++) {
			char child[512];
			if (cJSON_IsObject(item))
				snprintf(child, sizeof child, "%s/%s", path, it->string);
			else
				snprintf(child, sizeof child, "%s/%zu", path, i);
			check_covered(prov, it, child, missing);
		}
		return;
	}
	const char *last = strrchr(path, '/');
	if (strncmp(path, "/options/", 9) == 0 && strcmp(last, "/id") == 0)
		return;
	char p[512];
	snprintf(p, sizeof p, "%s", path);
	for (;;) {
		const cJSON *note = cJSON_GetObjectItemCaseSensitive(prov, p);
		if (note) {
			if (!cJSON_IsString(note) ||
			    (strncmp(note->valuestring, "sourced", 7) != 0 &&
			     strncmp(note->valuestring, "inferred", 8) != 0)) {
				print_message("%s: note %s says neither sourced nor inferred\n",
					      path, p);
				(*missing)++;
			}
			return;
		}
		char *slash = strrchr(p, '/');
		if (!slash || slash == p) {
			print_message("no provenance note for %s\n", path);
			(*missing)++;
			return;
		}
		*slash = '\0';
	}
}

static void every_rules_value_has_a_provenance_note(void **state)
{
	(void)state;
	const char *files[] = {AVENANT7, RA, C2024};
	for (size_t i = 0; i < 3; i++) {
		mutu_rules r;
		mutu_errors errs;
		mutu_errors_clear(&errs);
		assert_int_equal(mutu_rules_load(&r, files[i], &errs), MUTU_OK);
		char *text = mutu_rules_to_json(&r);
		assert_non_null(text);
		cJSON *doc = cJSON_Parse(text);
		free(text);
		assert_non_null(doc);
		const cJSON *prov = cJSON_GetObjectItemCaseSensitive(doc, "provenance");
		int missing = 0;
		for (const cJSON *it = doc->child; it; it = it->next) {
			if (strcmp(it->string, "provenance") == 0 ||
			    strcmp(it->string, "name") == 0 ||
			    strcmp(it->string, "description") == 0)
				continue;
			char path[512];
			snprintf(path, sizeof path, "/%s", it->string);
			check_covered(prov, it, path, &missing);
		}
		cJSON_Delete(doc);
		mutu_rules_free(&r);
		assert_int_equal(missing, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ra_gp_1300_full_time_gains_260),
	    cmocka_unit_test(avenant7_half_time_gp_975_owes_both_counts),
	    cmocka_unit_test(assistant_costs_28656_a_year),
	    cmocka_unit_test(avenant7_gp_bands_are_the_draft_bands),
	    cmocka_unit_test(avenant7_newly_installed_at_500_reaches_800_and_some),
	    cmocka_unit_test(ra_and_2024_gp_p90_p95),
	    cmocka_unit_test(the_floor_is_strictly_above_p30),
	    cmocka_unit_test(old_third_contract_runs_on_frozen),
	    cmocka_unit_test(every_rules_value_has_a_provenance_note),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The sweep of model.md §6 on three structures whose figures are worked out
 * by hand below: the status quo, the take-up, the payer's totals, the euros
 * per extra committed patient, losers, achievement; and the library pieces
 * around it (the rate parser, the modality product, the run identity).
 *
 * Rules (horizon 5 years, no discount: S = 5): thresholds p30 800, p50
 * 1000, p70 1200, p90 1500, p95 1700; options half (0.5 ETP, aid 18000 /
 * 13500 / 10500..., objective p50_p70 0.20, p70_p90 0.10) and full (1 ETP,
 * aid 36000 / 27000 / 21000..., objective p50_p70 0.30, p70_p90 0.20);
 * capacity h = 0.05, g = 0.30; c = 36000, v = 120.  Over 5 years:
 *   half: AID 63000, COST 90000, VALUE 600 t;  full: AID 126000, COST 180000.
 * Doctor at P = 1000 (p50_p70): half t = 200 (cap 200), NET 93000; full
 *   t = 300 (cap 350), NET 126000 -> best full, 126000.
 * Doctor at P = 1400 (p70_p90): full t = 280 (cap 490), NET 114000 (best).
 *
 * s1: A (1000) and B (1000, max_new_patients 100: no option fits him, so
 *   no individual contract).  Individual: A full (NET 126000, 300 pts).
 *   sum_individual: both bring half (T 400, E 1): a_A = 1 gives A 350 and
 *   B 50 = 400 (full+half needs 500 > 450), NET 186000, gain +60000.
 *   pooled basis: band p50_p70, P_G 2000; E = 1 -> rate(0.5) 0.20, T 400,
 *   NET -54000 + 240000 = 186000 (E = 1.5 -> T 500 > 450, infeasible).
 *   Either way aid by year 36000 27000 21000 21000 21000 = 126000.
 * s2: C (1000), D (1400).  Individual: 126000 + 114000 = 240000, T 580.
 *   sum_individual: both full, NET 240000, gain 0 (signs under better).
 *   pooled basis: mean 1200 -> p70_p90; E = 2 -> rate 0.20 x 2400 = T 480,
 *   NET -108000 + 288000 = 180000 < 240000: gain -60000, a losing group;
 *   aid 2 x 126000 = 252000.
 * s3: E alone (1000): no group; full individually.
 *
 * Status quo (base = sum_individual rules, everybody individual): A, C, D,
 *   E on full: aid 4 x 126000 = 504000, by year 144000 108000 84000 84000
 *   84000; 4 ETP; 300 + 300 + 280 + 300 = 1180 patients; 4 contracts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mutu/sweep.h"
#include "testutil.h"

static const char rules_fmt[] =
    "{'name': '%s', 'horizon_years': 5, 'discount_rate': 0,"
    " 'eligibility': {'sectors': ['1'], 'exemptions': []},"
    " 'specialties': {'gp': {'metric': 'pmt', 'thresholds': {'p30': 800, 'p50': 1000,"
    "   'p70': 1200, 'p90': 1500, 'p95': 1700}}},"
    " 'options': ["
    "  {'id': 'half', 'etp': 0.5, 'zones': ['standard'], 'aid': [18000, 13500, 10500],"
    "   'objective': {'p30_p50': 0.25, 'p50_p70': 0.20, 'p70_p90': 0.10, 'p90_p95': 0.06,"
    "                 'p95': 0.0}},"
    "  {'id': 'full', 'etp': 1.0, 'zones': ['standard'], 'aid': [36000, 27000, 21000],"
    "   'objective': {'p30_p50': 0.35, 'p50_p70': 0.30, 'p70_p90': 0.20, 'p90_p95': 0.10,"
    "                 'p95': 0.05}}],"
    " 'capacity': {'headroom': 0.05, 'gain_per_etp': 0.30},"
    " 'economics': {'assistant_cost_per_etp': 36000, 'value_per_patient_year': 120},"
    " 'achievement': {'check_from_year': 3, 'modulation': '%s'},"
    " 'mutualisation': {'enabled': true, 'min_doctors': 2, 'max_doctors': 4,"
    "   'max_etp_per_doctor': 1.0, 'max_etp_total': 3.0, 'etp_step': 0.5,"
    "   'objective_basis': '%s', 'floor_share': 0, 'aid_reference_option': 'full',"
    "   'assessment': 'structure', 'commitment_years': {'assistant': 3, 'forfait': 1},"
    "   'exclusive_kinds': ['assistant']}}";

#define DOC(id, pmt, extra)                                                                        \
	"{'id': '" id "', 'specialty': 'gp', 'sector': '1', 'pmt': " pmt ", 'fa': 1500,"           \
	" 'volunteer': true, 'declared_on': '2024-11-01'" extra "}"
#define CAB(id, docs)                                                                              \
	"{'id': '" id "', 'zone': 'standard', 'contract_start': '2025-01-01', 'doctors': [" docs   \
	"]}\n"

static const char population[] =
    CAB("s1", DOC("a", "1000", "") "," DOC("b", "1000", ", 'max_new_patients': 100"))
	CAB("s2", DOC("c", "1000", "") "," DOC("d", "1400", "")) CAB("s3", DOC("e", "1000", ""));

static void quotes(char *s)
{
	for (; *s; s++)
		if (*s == '\'')
			*s = '"';
}

typedef struct env {
	mutu_rules bases[2];
	size_t nbases;
	mutu_modalities mods;
	mutu_sweep sw;
	char pop[64];
} env;

static void load_rules(mutu_rules *r, const char *name, const char *modulation, const char *basis)
{
	char text[8192];
	snprintf(text, sizeof text, rules_fmt, name, modulation, basis);
	quotes(text);
	mutu_errors errs;
	mutu_errors_clear(&errs);
	char file[64];
	snprintf(file, sizeof file, "%s.json", name);
	int rc = mutu_rules_parse(r, text, strlen(text), file, &errs);
	if (rc != MUTU_OK)
		print_error("%s: %s\n", errs.items[0].path, errs.items[0].message);
	assert_int_equal(rc, MUTU_OK);
}

/* The sharing key of the next run (reset by each run). */
static mutu_sharing_rule next_sharing = MUTU_SHARING_PATIENTS;

/* Runs the sweep of the base (sum_individual) and the pooled variant over
 * the three structures. */
static void run_varied(env *e, const char *modulation, mutu_take_up take_up,
		       const mutu_achievement *ach, unsigned long shard_k, unsigned long shard_n,
		       const mutu_vary *vary, size_t nvary)
{
	memset(e, 0, sizeof *e);
	snprintf(e->pop, sizeof e->pop, "/tmp/mutu-test-sweep-%ld.jsonl", (long)getpid());
	char text[4096];
	snprintf(text, sizeof text, "%s", population);
	quotes(text);
	FILE *f = fopen(e->pop, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	load_rules(&e->bases[0], "base", modulation, "sum_individual");
	load_rules(&e->bases[1], "pooled", modulation, "pooled");
	e->nbases = 2;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	assert_int_equal(mutu_modalities_build(&e->mods, e->bases, 2, vary, nvary, &errs), MUTU_OK);
	mutu_sweep_options o;
	memset(&o, 0, sizeof o);
	o.threads = 2;
	o.population = e->pop;
	o.take_up = take_up;
	o.sharing = next_sharing;
	next_sharing = MUTU_SHARING_PATIENTS;
	o.shard_k = shard_k;
	o.shard_n = shard_n;
	if (ach)
		o.achievement = *ach;
	mutu_error err;
	memset(&err, 0, sizeof err);
	assert_int_equal(mutu_sweep_run(&e->sw, &o, &e->mods, &err), MUTU_OK);
	assert_int_equal(e->sw.n, 2 * (nvary ? vary[0].n : 1));
}

static void run(env *e, const char *modulation, mutu_take_up take_up, const mutu_achievement *ach,
		unsigned long shard_k, unsigned long shard_n)
{
	run_varied(e, modulation, take_up, ach, shard_k, shard_n, NULL, 0);
}

static void env_free(env *e)
{
	mutu_sweep_free(&e->sw);
	mutu_modalities_free(&e->mods);
	for (size_t i = 0; i < e->nbases; i++)
		mutu_rules_free(&e->bases[i]);
	remove(e->pop);
}

static const mutu_sweep_scope *all(const env *e, size_t m)
{
	return &e->sw.mods[m].scopes[0];
}

static void status_quo_is_every_doctor_alone_under_the_base_rules(void **state)
{
	(void)state;
	env e;
	run(&e, "prorata", MUTU_TAKE_UP_BETTER, NULL, 0, 0);
	for (size_t m = 0; m < 2; m++) {
		const mutu_sweep_payer *q = &all(&e, m)->status_quo;
		assert_int_equal(q->aid, 50400000); /* 504000 EUR in cents */
		assert_int_equal(q->aid_year[0], 14400000);
		assert_int_equal(q->aid_year[1], 10800000);
		assert_int_equal(q->aid_year[2], 8400000);
		assert_int_equal(q->aid_year[4], 8400000);
		assert_int_equal(q->etp, 40000); /* 4 ETP */
		assert_int_equal(q->patients, 1180);
		assert_int_equal(q->achieved, 118000); /* not simulated: as committed */
		assert_int_equal(q->contracts, 4);
		assert_int_equal(all(&e, m)->doctors, 5);
	}
	env_free(&e);
}

/* Better: under sum_individual both groups sign (s1 gains 60000, s2 0);
 * world = s1 pooled (126000, 1 ETP, 400) + s2 pooled both full (252000,
 * 2, 580) + s3 alone (126000, 1, 300) = 504000, 4 ETP, 1280 patients:
 * delta aid 0, delta patients +100, 0 EUR per extra patient.
 * Under the pooled basis s2 loses (180000 < 240000) and does not sign: its
 * doctors keep their contracts, the world is the same 504000 / 1280. */
static void take_up_better_signs_only_groups_that_do_not_lose(void **state)
{
	(void)state;
	env e;
	run(&e, "prorata", MUTU_TAKE_UP_BETTER, NULL, 0, 0);
	const mutu_sweep_scope *s0 = all(&e, 0), *s1 = all(&e, 1);
	assert_int_equal(s0->groups, 2);
	assert_int_equal(s0->plans, 2);
	assert_int_equal(s0->signing, 2);
	assert_int_equal(s0->doctors_pooled, 4);
	assert_int_equal(s0->world.aid, 50400000);
	assert_int_equal(s0->world.etp, 40000);
	assert_int_equal(s0->world.patients, 1280);
	assert_int_equal(s0->world.contracts, 3);
	assert_int_equal(s0->winners, 1);
	assert_int_equal(s0->losers, 0);
	assert_int_equal(s1->signing, 1);
	assert_int_equal(s1->doctors_pooled, 2);
	assert_int_equal(s1->world.aid, 50400000);
	assert_int_equal(s1->world.patients, 1280);
	assert_int_equal(s1->world.contracts, 4); /* s1 pooled, C, D, E alone */
	assert_int_equal(s1->losers, 1);
	/* Both members of s2 carry patients (x = 200 and 280 minimise the
	 * largest growth rate, 0.20 each), so both lose their share of 60000. */
	assert_int_equal(s1->doctors_losing, 2);
	assert_int_equal(s1->nfirst, 1);
	assert_string_equal(s1->first[0].id, "s2");
	assert_int_equal(s1->gain, 0); /* +60000 - 60000 */
	char *json = mutu_sweep_report(&e.sw, MUTU_FORMAT_JSON);
	assert_non_null(json);
	/* 0 EUR of aid for 100 extra committed patients. */
	assert_non_null(strstr(json, "\"euros_per_extra_patient\":\t0,"));
	assert_non_null(strstr(json, "\"first\":\t[\"s2\"]"));
	free(json);
	env_free(&e);
}

/* Always: the losing s2 signs too under the pooled basis: world = 126000
 * + 252000 + 126000 = 504000, patients 400 + 480 + 300 = 1180: no extra
 * patient, so the euros per extra patient are undefined (null). */
static void take_up_always_counts_losing_groups_and_leaves_no_extra_patient(void **state)
{
	(void)state;
	env e;
	run(&e, "prorata", MUTU_TAKE_UP_ALWAYS, NULL, 0, 0);
	const mutu_sweep_scope *s1 = all(&e, 1);
	assert_int_equal(s1->signing, 2);
	assert_int_equal(s1->world.aid, 50400000);
	assert_int_equal(s1->world.etp, 40000);
	assert_int_equal(s1->world.patients, 1180);
	char *json = mutu_sweep_report(&e.sw, MUTU_FORMAT_JSON);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"euros_per_extra_patient\":\tnull"));
	assert_non_null(strstr(json, "no extra committed patient over the status quo"));
	free(json);
	char *text = mutu_sweep_report(&e.sw, MUTU_FORMAT_TEXT);
	assert_non_null(text);
	assert_non_null(strstr(text, "euros per extra patient undefined"));
	free(text);
	env_free(&e);
}

/* 80 % achieved, prorata from year 3: a full contract is paid 36000 +
 * 27000 + 0.8 x 3 x 21000 = 113400; the status quo 4 x 113400 = 453600
 * and 0.8 x 1180 = 944 patients.  Sum_individual world: s1's two halves
 * (18000 + 13500 + 0.8 x 3 x 10500) x 2 = 113400, s2 226800, s3 113400 =
 * 453600; 0.8 x 1280 = 1024 patients achieved (+80).
 * All or nothing at 80 %: years 3 to 5 unpaid: 63000 per full contract. */
static void achievement_cuts_the_aid_by_the_rules_modulation(void **state)
{
	(void)state;
	env e;
	mutu_achievement a = {.kind = MUTU_ACHIEVE_RATE, .rate = 0.8};
	run(&e, "prorata", MUTU_TAKE_UP_BETTER, &a, 0, 0);
	assert_int_equal(all(&e, 0)->status_quo.aid, 45360000);
	assert_int_equal(all(&e, 0)->status_quo.aid_year[2], 8400000 * 8 / 10);
	assert_int_equal(all(&e, 0)->status_quo.achieved, 94400);
	assert_int_equal(all(&e, 0)->world.aid, 45360000);
	assert_int_equal(all(&e, 0)->world.achieved, 102400);
	assert_int_equal(all(&e, 0)->world.patients, 1280); /* committed, unchanged */
	env_free(&e);
	run(&e, "all_or_nothing", MUTU_TAKE_UP_BETTER, &a, 0, 0);
	assert_int_equal(all(&e, 0)->status_quo.aid, 4 * 6300000);
	assert_int_equal(all(&e, 0)->world.aid, 4 * 6300000);
	env_free(&e);
}

/* Beta draws are seeded by structure and contract: two shards merged give
 * exactly the one run's sums, and the draws move the aid below the
 * objective-met figure. */
static void beta_draws_are_the_same_whatever_the_shards(void **state)
{
	(void)state;
	env one, k1, k2;
	mutu_achievement a = {.kind = MUTU_ACHIEVE_BETA, .a = 2, .b = 2};
	run(&one, "prorata", MUTU_TAKE_UP_BETTER, &a, 0, 0);
	run(&k1, "prorata", MUTU_TAKE_UP_BETTER, &a, 1, 2);
	char *p1 = mutu_sweep_to_partial(&k1.sw);
	env_free(&k1);
	run(&k2, "prorata", MUTU_TAKE_UP_BETTER, &a, 2, 2);
	char *p2 = mutu_sweep_to_partial(&k2.sw);
	env_free(&k2);
	mutu_sweep x, y;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	assert_int_equal(mutu_sweep_from_partial(&x, p1, strlen(p1), "k1", &errs), MUTU_OK);
	assert_int_equal(mutu_sweep_from_partial(&y, p2, strlen(p2), "k2", &errs), MUTU_OK);
	mutu_error err;
	memset(&err, 0, sizeof err);
	assert_int_equal(mutu_sweep_merge(&x, &y, &err), MUTU_OK);
	for (size_t m = 0; m < 2; m++) {
		const mutu_sweep_payer *w = &x.mods[m].scopes[0].world, *v = &all(&one, m)->world;
		assert_int_equal(w->aid, v->aid);
		assert_int_equal(w->achieved, v->achieved);
		assert_int_equal(x.mods[m].scopes[0].status_quo.aid, all(&one, m)->status_quo.aid);
	}
	assert_true(all(&one, 0)->status_quo.aid < 50400000);
	assert_true(all(&one, 0)->status_quo.aid >= 4 * 6300000);
	free(p1);
	free(p2);
	mutu_sweep_free(&x);
	mutu_sweep_free(&y);
	env_free(&one);
}

/* --sharing equal: s2's loss of 60000 under the pooled basis is split
 * 30000 / 30000, so both members still lose; s1's gain of 60000 gives
 * A and B 30000 each (both win, as under the patients key, since B
 * carries 50 patients).  The run records its key: a partial under
 * another key does not merge, and the JSON says which key it used. */
static void the_sharing_key_is_part_of_the_run(void **state)
{
	(void)state;
	env a, b;
	next_sharing = MUTU_SHARING_EQUAL;
	run(&a, "prorata", MUTU_TAKE_UP_BETTER, NULL, 1, 1);
	run(&b, "prorata", MUTU_TAKE_UP_BETTER, NULL, 1, 1);
	assert_int_equal(a.sw.id.sharing, MUTU_SHARING_EQUAL);
	assert_int_equal(all(&a, 1)->doctors_losing, 2);
	assert_int_equal(all(&a, 0)->doctors_winning, 2);
	assert_int_equal(all(&a, 1)->losers, 1);
	char why[300];
	assert_false(mutu_sweep_same_run(&a.sw, &b.sw, false, why, sizeof why));
	assert_non_null(strstr(why, "sharing: patients against equal"));
	char *json = mutu_sweep_report(&a.sw, MUTU_FORMAT_JSON);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"sharing\":\t\"equal\""));
	free(json);
	env_free(&a);
	env_free(&b);
}

/* A partial of another run is refused with the field that differs. */
static void another_run_is_named_by_the_field_that_differs(void **state)
{
	(void)state;
	env a, b;
	run(&a, "prorata", MUTU_TAKE_UP_BETTER, NULL, 1, 2);
	run(&b, "prorata", MUTU_TAKE_UP_ALWAYS, NULL, 2, 2);
	char why[300];
	assert_false(mutu_sweep_same_run(&a.sw, &b.sw, false, why, sizeof why));
	assert_non_null(strstr(why, "take_up: always against better"));
	b.sw.id.take_up = a.sw.id.take_up;
	assert_true(mutu_sweep_same_run(&a.sw, &b.sw, false, why, sizeof why));
	assert_false(mutu_sweep_same_run(&a.sw, &b.sw, true, why, sizeof why));
	assert_non_null(strstr(why, "shard: 2/2 against 1/2"));
	b.sw.id.goal = MUTU_GOAL_PATIENTS;
	assert_false(mutu_sweep_same_run(&a.sw, &b.sw, false, why, sizeof why));
	assert_non_null(strstr(why, "goal: patients against net_benefit"));
	b.sw.id.goal = a.sw.id.goal;
	b.sw.id.population ^= 1;
	assert_false(mutu_sweep_same_run(&a.sw, &b.sw, false, why, sizeof why));
	assert_non_null(strstr(why, "population:"));
	env_free(&a);
	env_free(&b);
}

/* The forfait's commitment years change no solve: within each rules file
 * the second value changes nothing against the first (a warning), while
 * the pooled variant does change s2 against the base (it does not sign). */
static void a_value_that_changes_nothing_is_told_against_its_own_file(void **state)
{
	(void)state;
	env e;
	mutu_vary v;
	mutu_error err;
	memset(&err, 0, sizeof err);
	assert_int_equal(mutu_vary_parse(&v, "/mutualisation/commitment_years/forfait=1,2", &err),
			 MUTU_OK);
	run_varied(&e, "prorata", MUTU_TAKE_UP_BETTER, NULL, 0, 0, &v, 1);
	assert_int_equal(e.sw.mods[1].changed, 0);
	assert_true(e.sw.mods[2].changed > 0);
	assert_int_equal(e.sw.mods[3].reference, 2);
	assert_int_equal(e.sw.mods[3].changed, 0);
	char *text = mutu_sweep_report(&e.sw, MUTU_FORMAT_TEXT);
	assert_non_null(text);
	assert_non_null(strstr(text, "pooled /mutualisation/commitment_years/forfait=2: changes "
				     "nothing over this population against pooled "
				     "/mutualisation/commitment_years/forfait=1"));
	assert_null(strstr(text, "pooled /mutualisation/commitment_years/forfait=1: changes"));
	free(text);
	mutu_vary_free(&v);
	env_free(&e);
}

static void rates_are_zero_to_two_or_a_percentage(void **state)
{
	(void)state;
	mutu_achievement a;
	char msg[300];
	assert_int_equal(mutu_achievement_parse(&a, "0.8", true, msg, sizeof msg), MUTU_OK);
	assert_near(a.rate, 0.8, 1e-15);
	assert_int_equal(mutu_achievement_parse(&a, "80%", false, msg, sizeof msg), MUTU_OK);
	assert_near(a.rate, 0.8, 1e-15);
	assert_int_equal(mutu_achievement_parse(&a, "2", false, msg, sizeof msg), MUTU_OK);
	assert_int_equal(mutu_achievement_parse(&a, "200%", false, msg, sizeof msg), MUTU_OK);
	assert_int_equal(mutu_achievement_parse(&a, "80", false, msg, sizeof msg), MUTU_EINPUT);
	assert_non_null(strstr(msg, "write 80% for a percentage, or 0.8"));
	assert_int_equal(mutu_achievement_parse(&a, "2.01", false, msg, sizeof msg), MUTU_EINPUT);
	assert_int_equal(mutu_achievement_parse(&a, "-0.1", false, msg, sizeof msg), MUTU_EINPUT);
	assert_int_equal(mutu_achievement_parse(&a, "abc", false, msg, sizeof msg), MUTU_EINPUT);
	assert_int_equal(mutu_achievement_parse(&a, "", false, msg, sizeof msg), MUTU_EINPUT);
	assert_int_equal(mutu_achievement_parse(&a, "nan", false, msg, sizeof msg), MUTU_EINPUT);
	assert_int_equal(mutu_achievement_parse(&a, "beta:8,2", true, msg, sizeof msg), MUTU_OK);
	assert_int_equal(a.kind, MUTU_ACHIEVE_BETA);
	assert_near(a.a, 8, 0);
	assert_near(a.b, 2, 0);
	assert_int_equal(mutu_achievement_parse(&a, "beta:8,2", false, msg, sizeof msg),
			 MUTU_EINPUT);
	assert_int_equal(mutu_achievement_parse(&a, "beta:0,2", true, msg, sizeof msg),
			 MUTU_EINPUT);
	assert_int_equal(mutu_achievement_parse(&a, "beta:2", true, msg, sizeof msg), MUTU_EINPUT);
	assert_int_equal(mutu_achievement_parse(&a, "beta:2,x", true, msg, sizeof msg),
			 MUTU_EINPUT);
}

/* 2 rules files x 2 values x 3 values = 12 modalities, the first pointer
 * varying fastest; each compared with the same file at the first values. */
static void the_modality_product_is_every_combination_with_labels(void **state)
{
	(void)state;
	mutu_rules bases[2];
	load_rules(&bases[0], "base", "prorata", "sum_individual");
	load_rules(&bases[1], "pooled", "prorata", "pooled");
	mutu_vary v[2];
	mutu_error err;
	memset(&err, 0, sizeof err);
	assert_int_equal(mutu_vary_parse(&v[0], "/mutualisation/floor_share=0,1", &err), MUTU_OK);
	assert_int_equal(
	    mutu_vary_parse(&v[1], "/achievement/modulation=prorata,all_or_nothing,\"prorata\"",
			    &err),
	    MUTU_OK);
	assert_int_equal(v[1].n, 3);
	mutu_modalities m;
	mutu_errors errs;
	mutu_errors_clear(&errs);
	assert_int_equal(mutu_modalities_build(&m, bases, 2, v, 2, &errs), MUTU_OK);
	assert_int_equal(m.n, 12);
	assert_string_equal(m.items[0].label,
			    "base /mutualisation/floor_share=0, /achievement/modulation=prorata");
	assert_string_equal(m.items[1].label,
			    "base /mutualisation/floor_share=1, /achievement/modulation=prorata");
	assert_string_equal(
	    m.items[2].label,
	    "base /mutualisation/floor_share=0, /achievement/modulation=all_or_nothing");
	assert_string_equal(m.items[6].label,
			    "pooled /mutualisation/floor_share=0, /achievement/modulation=prorata");
	assert_int_equal(m.items[3].reference, 0);
	assert_int_equal(m.items[6].reference, 0);
	assert_int_equal(m.items[7].reference, 6);
	assert_int_equal(m.items[1].differs_from_reference, MUTU_DIFF_OTHER);
	assert_int_equal(m.items[2].differs_from_reference, MUTU_DIFF_ACHIEVEMENT);
	/* "prorata" given as a JSON string is the same rules as prorata. */
	assert_int_equal(m.items[4].differs_from_reference, 0);
	assert_int_equal(m.items[6].differs_from_reference, MUTU_DIFF_OTHER);
	mutu_modalities_free(&m);
	/* The same file twice is an error. */
	mutu_rules twice[2];
	load_rules(&twice[0], "base", "prorata", "sum_individual");
	load_rules(&twice[1], "base", "prorata", "sum_individual");
	mutu_errors_clear(&errs);
	assert_int_equal(mutu_modalities_build(&m, twice, 2, NULL, 0, &errs), MUTU_EINPUT);
	assert_non_null(strstr(errs.items[0].message, "given as --rules and again as --variant"));
	mutu_vary bad;
	assert_int_equal(mutu_vary_parse(&bad, "floor_share=1", &err), MUTU_EINPUT);
	assert_int_equal(mutu_vary_parse(&bad, "/mutualisation/floor_share=0,", &err), MUTU_EINPUT);
	for (int i = 0; i < 2; i++) {
		mutu_vary_free(&v[i]);
		mutu_rules_free(&bases[i]);
		mutu_rules_free(&twice[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(status_quo_is_every_doctor_alone_under_the_base_rules),
	    cmocka_unit_test(take_up_better_signs_only_groups_that_do_not_lose),
	    cmocka_unit_test(take_up_always_counts_losing_groups_and_leaves_no_extra_patient),
	    cmocka_unit_test(achievement_cuts_the_aid_by_the_rules_modulation),
	    cmocka_unit_test(beta_draws_are_the_same_whatever_the_shards),
	    cmocka_unit_test(another_run_is_named_by_the_field_that_differs),
	    cmocka_unit_test(the_sharing_key_is_part_of_the_run),
	    cmocka_unit_test(a_value_that_changes_nothing_is_told_against_its_own_file),
	    cmocka_unit_test(rates_are_zero_to_two_or_a_percentage),
	    cmocka_unit_test(the_modality_product_is_every_combination_with_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Simulating a pooled contract year by year, against figures worked out
 * by hand: prorata and all-or-nothing, assessed at the structure level
 * and per member, a leave, a join, suspensions; and the achievement file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutu/contract.h"
#include "testutil.h"

/* Every doctor has a PMT of 1000: band p50_p70.  half asks 200 and pays
 * 18000 / 13500 / 10500 (then 10500); full asks 300 and pays 36000 /
 * 27000 / 21000.  Assessed from year 3.  Pooled curve (standard zone):
 * (0.5, 0.20), (1.0, 0.30), flat beyond. */
static const char rules_fmt[] =
    "{'name': 's', 'horizon_years': 5, 'discount_rate': 0,"
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
    "   'assessment': '%s', 'commitment_years': {'assistant': 3, 'forfait': 1},"
    "   'exclusive_kinds': ['assistant']}}";

#define DOC(id)                                                                                    \
	"{'id': '" id "', 'specialty': 'gp', 'sector': '1', 'pmt': 1000, 'fa': 1500,"              \
	" 'volunteer': true, 'declared_on': '2024-11-01'}"

static const char cabinet_json[] =
    "{'id': 'cab', 'zone': 'standard', 'contract_start':"
    " '2025-01-01', 'doctors': [" DOC("d1") "," DOC("d2") "," DOC("d3") "," DOC("d4") "]}";

static char *json(const char *fmt, ...)
{
	static char buf[8][8192];
	static int turn;
	char *b = buf[turn++ % 8];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof buf[0], fmt, ap);
	va_end(ap);
	for (char *c = b; *c; c++)
		if (*c == '\'')
			*c = '"';
	return b;
}

typedef struct env {
	mutu_rules rules;
	mutu_cabinet cab;
	mutu_contract ct;
	mutu_achieved ach;
	mutu_simulation sim;
	mutu_errors errs;
} env;

static void print_errors(const mutu_errors *errs)
{
	char line[1024];
	for (size_t i = 0; i < errs->count; i++) {
		mutu_error_format(&errs->items[i], line, sizeof line);
		fprintf(stderr, "  %s\n", line);
	}
}

/* Loads the rules and the cabinet, and `contract`, which must validate
 * without errors (simulate refuses others). */
static void setup_text(env *e, const char *r, const char *c, const char *contract)
{
	memset(e, 0, sizeof *e);
	mutu_errors_clear(&e->errs);
	int rc = mutu_rules_parse(&e->rules, r, strlen(r), "s.json", &e->errs);
	print_errors(&e->errs);
	assert_int_equal(rc, MUTU_OK);
	assert_int_equal(mutu_cabinet_parse(&e->cab, &e->rules, c, strlen(c), "cab.json", &e->errs),
			 MUTU_OK);
	rc = mutu_contract_parse(&e->ct, &e->rules, &e->cab, contract, strlen(contract), "ct.json",
				 &e->errs);
	print_errors(&e->errs);
	assert_int_equal(rc, MUTU_OK);
	mutu_findings f;
	assert_int_equal(mutu_contract_validate(&f, &e->ct, &e->rules, &e->cab), MUTU_OK);
	for (size_t i = 0; i < f.count; i++)
		if (f.items[i].severity == MUTU_SEVERITY_ERROR)
			fprintf(stderr, "  %s %s: %s\n", f.items[i].code, f.items[i].path,
				f.items[i].message);
	assert_int_equal(mutu_findings_errors(&f), 0);
	mutu_findings_free(&f);
}

static void setup(env *e, const char *modulation, const char *basis, const char *assessment,
		  const char *contract)
{
	setup_text(e, json(rules_fmt, modulation, basis, assessment), json("%s", cabinet_json),
		   contract);
}

static void teardown(env *e)
{
	mutu_simulation_free(&e->sim);
	mutu_achieved_free(&e->ach);
	mutu_contract_free(&e->ct);
	mutu_cabinet_free(&e->cab);
	mutu_rules_free(&e->rules);
}

static void run_rate(env *e, double rate)
{
	mutu_simulation_free(&e->sim);
	int rc = mutu_contract_simulate(&e->sim, &e->ct, &e->rules, &e->cab, rate, NULL, &e->errs);
	print_errors(&e->errs);
	assert_int_equal(rc, MUTU_OK);
}

/* Parses `achieved` and simulates with it; returns the simulation's code. */
static int run_file(env *e, const char *achieved)
{
	mutu_errors_clear(&e->errs);
	mutu_achieved_free(&e->ach);
	mutu_simulation_free(&e->sim);
	int rc =
	    mutu_achieved_parse(&e->ach, &e->cab, achieved, strlen(achieved), "ach.json", &e->errs);
	print_errors(&e->errs);
	assert_int_equal(rc, MUTU_OK);
	return mutu_contract_simulate(&e->sim, &e->ct, &e->rules, &e->cab, 1, &e->ach, &e->errs);
}

static void expect_due(const env *e, const double *due, double total)
{
	assert_int_equal(e->sim.nyears, 5);
	for (int k = 0; k < 5; k++)
		assert_near(e->sim.years[k].aid_due, due[k], 1e-6);
	assert_near(e->sim.aid_due, total, 1e-6);
}

#define CONTRACT(etp, t, members, events)                                                          \
	json("{'id': 'ct', 'structure': 'cab', 'specialty': 'gp', 'start': '2025-01-01',"          \
	     " 'components': [{'kind': 'assistant', 'etp': " etp ", 'years': 5}],"                 \
	     " 'collective_objective': " t ", 'members': [" members "], 'events': [" events "]}")
#define M(doctor, share, extra)                                                                    \
	"{'doctor': '" doctor "', 'declared_on': '2024-11-01', 'share': " share extra "}"
#define HALF ", 'option': 'half'"
#define PAIR M("d1", "200", HALF) "," M("d2", "200", HALF)

/* sum_individual, d1 + d2 with half: E = 1.0, T = 400, aid 2 x (18000,
 * 13500, 10500, 10500, 10500) = 36000, 27000, 21000, 21000, 21000 =
 * 126000.  At 75 %: 300 of 400 from year 3, prorata 0.75 -> 15750. */
static void prorata_pays_the_achieved_share_from_year_3(void **state)
{
	(void)state;
	env e;
	setup(&e, "prorata", "sum_individual", "structure", CONTRACT("1.0", "400", PAIR, ""));
	run_rate(&e, 0.75);
	static const double due[] = {36000, 27000, 15750, 15750, 15750};
	expect_due(&e, due, 36000 + 27000 + 3 * 15750.0);
	assert_near(e.sim.aid, 126000, 1e-6);
	assert_int_equal(e.sim.years[0].status, MUTU_YEAR_NOT_ASSESSED);
	assert_int_equal(e.sim.years[1].status, MUTU_YEAR_NOT_ASSESSED);
	assert_int_equal(e.sim.years[2].status, MUTU_YEAR_ASSESSED);
	assert_near(e.sim.years[2].objective, 400, 1e-9);
	assert_near(e.sim.years[2].patients, 300, 1e-9);
	assert_near(e.sim.years[2].paid_fraction, 0.75, 1e-12);
	assert_near(e.sim.years[4].etp, 1.0, 1e-12);
	/* Year 3 runs from the second anniversary to the day before the third. */
	assert_int_equal(e.sim.years[2].from, mutu_date_from_ymd(2027, 1, 1));
	assert_int_equal(e.sim.years[2].to, mutu_date_from_ymd(2027, 12, 31));
	/* Achieving more than the objective pays no more than the aid. */
	run_rate(&e, 1.4);
	static const double full[] = {36000, 27000, 21000, 21000, 21000};
	expect_due(&e, full, 126000);
	teardown(&e);
}

/* all_or_nothing: at 75 % nothing from year 3 (36000 + 27000 = 63000);
 * at 100 % everything (126000); at 399 of 400, nothing. */
static void all_or_nothing_pays_only_a_met_objective(void **state)
{
	(void)state;
	env e;
	setup(&e, "all_or_nothing", "sum_individual", "structure",
	      CONTRACT("1.0", "400", PAIR, ""));
	run_rate(&e, 0.75);
	static const double none[] = {36000, 27000, 0, 0, 0};
	expect_due(&e, none, 63000);
	run_rate(&e, 1.0);
	static const double all[] = {36000, 27000, 21000, 21000, 21000};
	expect_due(&e, all, 126000);
	run_rate(&e, 399.0 / 400.0);
	expect_due(&e, none, 63000);
	teardown(&e);
}

/* pooled, 2 members, E = 1.5: e = 0.75, rate 0.25, T = 500; aid 1.5 x the
 * full option: 54000, 40500, 31500, 31500, 31500.  At 50 %: 15750 from
 * year 3; total 54000 + 40500 + 3 x 15750 = 141750. */
static void pooled_aid_is_e_times_the_reference_option(void **state)
{
	(void)state;
	env e;
	setup(&e, "prorata", "pooled", "structure",
	      CONTRACT("1.5", "500", M("d1", "250", "") "," M("d2", "250", ""), ""));
	run_rate(&e, 0.5);
	static const double due[] = {54000, 40500, 15750, 15750, 15750};
	expect_due(&e, due, 141750);
	assert_near(e.sim.aid, 54000 + 40500 + 3 * 31500.0, 1e-6);
	assert_int_equal(e.sim.years[0].band, MUTU_B2);
	teardown(&e);
}

/* Per-member file, sum_individual, a_i = 0.5 each so each member's aid
 * share is half the year's aid (10500 from year 3).
 *   year 3: d1 300 of 200 -> 1, d2 100 of 200 -> 0.5: 10500 + 5250 = 15750
 *   year 4: 200, 200 -> 21000
 *   year 5: d1 0 -> 0, d2 400 -> 1: 10500
 * Years 1 and 2 are not assessed: 36000 + 27000.  Total 110250. */
static const char per_member[] =
    "{\"years\": ["
    "{\"year\": 3, \"members\": [{\"doctor\": \"d1\", \"patients\": 300},"
    " {\"doctor\": \"d2\", \"patients\": 100}]},"
    "{\"year\": 4, \"members\": [{\"doctor\": \"d1\", \"patients\": 200},"
    " {\"doctor\": \"d2\", \"patients\": 200}]},"
    "{\"year\": 5, \"members\": [{\"doctor\": \"d2\", \"patients\": 400},"
    " {\"doctor\": \"d1\", \"patients\": 0}]}]}";

static void individual_assessment_modulates_each_members_share(void **state)
{
	(void)state;
	env e;
	setup(&e, "prorata", "sum_individual", "individual", CONTRACT("1.0", "400", PAIR, ""));
	assert_int_equal(run_file(&e, per_member), MUTU_OK);
	static const double due[] = {36000, 27000, 15750, 21000, 10500};
	expect_due(&e, due, 110250);
	const mutu_sim_year *y3 = &e.sim.years[2];
	assert_near(y3->members[0].aid, 10500, 1e-6);
	assert_near(y3->members[0].aid_due, 10500, 1e-6);
	assert_near(y3->members[1].paid_fraction, 0.5, 1e-12);
	assert_near(y3->members[1].aid_due, 5250, 1e-6);
	assert_near(y3->patients, 400, 1e-9);
	/* Not in the file, not assessed: unknown patients, paid in full. */
	assert_true(e.sim.years[0].patients < 0);
	teardown(&e);
}

/* senior.tolerance 0.1 (2024: a doctor aged 65 or more may lose 10 % of
 * his list).  d1 is 66 (PMT 1000): his notional half owes the senior rate
 * 0, d2's 200; the contract asks T = 300, shares d1 100, d2 200, a_i 0.5
 * each.  At a rate of 0.5 from year 3 (aid 21000 a year):
 * - individual: d1's bar max(0, 100 - 0.1 x 1000) = 0, met; d2 100 of 200,
 *   0.5: 10500 + 5250 = 15750 (without the tolerance d1 is at 0.5 too:
 *   10500);
 * - structure: bar 300 - 100 = 200, 150 achieved: 0.75 x 21000 = 15750
 *   (without: 150 of 300, 10500). */
static void seniors_may_fall_short_by_the_tolerance(void **state)
{
	(void)state;
	static const char *const assessments[] = {"individual", "structure"};
	static const char senior[] =
	    "'senior': {'from_age': 65, 'objective': 0.0, 'tolerance': %s},"
	    " 'capacity'";
	for (int a = 0; a < 2; a++)
		for (int tol = 0; tol < 2; tol++) {
			char rules[8192], with[256];
			const char *base =
			    json(rules_fmt, "prorata", "sum_individual", assessments[a]);
			const char *at = strstr(base, "'capacity'");
			if (!at)
				at = strstr(base, "\"capacity\"");
			assert_non_null(at);
			snprintf(with, sizeof with, senior, tol ? "0.1" : "0");
			snprintf(rules, sizeof rules, "%.*s%s%s", (int)(at - base), base,
				 json("%s", with), at + strlen("'capacity'"));
			const char *cab =
			    json("{'id': 'cab', 'zone': 'standard', 'contract_start': '2025-01-01',"
				 " 'doctors': [{'id': 'd1', 'specialty': 'gp', 'sector': '1', "
				 "'pmt': 1000,"
				 " 'fa': 1500, 'age': 66, 'volunteer': true, 'declared_on': "
				 "'2024-11-01'},"
				 " " DOC("d2") "]}");
			env e;
			setup_text(&e, rules, cab,
				   CONTRACT("1.0", "300",
					    M("d1", "100", HALF) "," M("d2", "200", HALF), ""));
			assert_near(e.rules.senior_tolerance, tol ? 0.1 : 0, 0);
			run_rate(&e, 0.5);
			double y3 = tol ? 15750 : 10500;
			const double due[] = {36000, 27000, y3, y3, y3};
			expect_due(&e, due, 63000 + 3 * y3);
			teardown(&e);
		}
}

/* The same figures at the structure level: 400 of 400 every year. */
static void structure_assessment_pools_the_members_achievement(void **state)
{
	(void)state;
	env e;
	setup(&e, "prorata", "sum_individual", "structure", CONTRACT("1.0", "400", PAIR, ""));
	assert_int_equal(run_file(&e, per_member), MUTU_OK);
	static const double due[] = {36000, 27000, 21000, 21000, 21000};
	expect_due(&e, due, 126000);
	teardown(&e);
}

/* all_or_nothing per member: year 3 d1 only (10500), year 4 both (21000),
 * year 5 d2 only (10500): 36000 + 27000 + 10500 + 21000 + 10500. */
static void individual_all_or_nothing(void **state)
{
	(void)state;
	env e;
	setup(&e, "all_or_nothing", "sum_individual", "individual",
	      CONTRACT("1.0", "400", PAIR, ""));
	assert_int_equal(run_file(&e, per_member), MUTU_OK);
	static const double due[] = {36000, 27000, 10500, 21000, 10500};
	expect_due(&e, due, 105000);
	teardown(&e);
}

/* a_i 0.75 and 0.25 split the aid 3:1.  Year 3 (aid 21000): d1 15750 x 1,
 * d2 5250 x 0.5 = 2625: 18375.  Year 4: 21000.  Year 5: d1 0, d2 5250. */
static void aid_share_follows_assistant_time(void **state)
{
	(void)state;
	env e;
	setup(&e, "prorata", "sum_individual", "individual",
	      CONTRACT("1.0", "400",
		       M("d1", "200", HALF ", 'assistant_etp': 0.75") "," M("d2", "200", HALF),
		       ""));
	assert_int_equal(run_file(&e, per_member), MUTU_OK);
	static const double due[] = {36000, 27000, 18375, 21000, 5250};
	expect_due(&e, due, 36000 + 27000 + 18375 + 21000 + 5250.0);
	assert_near(e.sim.years[2].members[1].assistant_etp, 0.25, 1e-12);
	teardown(&e);
}

/* d1, d2, d3 with half (E 1.5, T 600); d3 leaves on the third anniversary:
 * years 1-3 pay 3 x half (54000, 40500, 31500), years 4-5 2 x 10500 with
 * the objective recomputed to 200 + 200 = 400.  At 50 %: 15750, 10500,
 * 10500 from year 3. */
static void leave_recomputes_objective_and_aid(void **state)
{
	(void)state;
	env e;
	setup(&e, "prorata", "sum_individual", "structure",
	      CONTRACT("1.5", "600", PAIR "," M("d3", "200", HALF),
		       "{'date': '2028-01-01', 'type': 'leave', 'doctor': 'd3'}"));
	run_rate(&e, 0.5);
	static const double due[] = {54000, 40500, 15750, 10500, 10500};
	expect_due(&e, due, 131250);
	assert_near(e.sim.aid, 54000 + 40500 + 31500 + 21000 + 21000.0, 1e-6);
	const mutu_sim_year *y3 = &e.sim.years[2], *y4 = &e.sim.years[3];
	assert_int_equal(y3->nmembers, 3);
	assert_false(y3->changed);
	assert_int_equal(y4->nmembers, 2);
	assert_true(y4->changed);
	assert_false(e.sim.years[4].changed);
	assert_near(y4->objective, 400, 1e-9);
	assert_near(y4->etp, 1.0, 1e-12);
	assert_near(y4->patients, 200, 1e-9);
	/* shares now proportional to P_i: equal */
	assert_near(y4->members[0].share, 200, 1e-9);
	teardown(&e);
}

/* pooled, 3 members, E = 3.0: e = 1, T = 0.30 x 3000 = 900.  After d3
 * leaves, E is capped at 1.0 x 2 = 2.0 and T = 0.30 x 2000 = 600; the aid
 * falls from 3 x 21000 to 2 x 21000.  At 100 %: 108000, 81000, 63000,
 * 42000, 42000. */
static void pooled_leave_caps_etp_and_recomputes_t_n(void **state)
{
	(void)state;
	env e;
	setup(&e, "prorata", "pooled", "structure",
	      CONTRACT("3.0", "900",
		       M("d1", "300", "") "," M("d2", "300", "") "," M("d3", "300", ""),
		       "{'date': '2028-01-01', 'type': 'leave', 'doctor': 'd3'}"));
	run_rate(&e, 1.0);
	static const double due[] = {108000, 81000, 63000, 42000, 42000};
	expect_due(&e, due, 336000);
	assert_near(e.sim.years[2].objective, 900, 1e-9);
	assert_near(e.sim.years[3].etp, 2.0, 1e-12);
	assert_near(e.sim.years[3].objective, 600, 1e-9);
	teardown(&e);
}

/* pooled, d1 + d2 with E = 1.0 (T 400); d3 joins on the first
 * anniversary: E stays 1.0 (below the cap 3.0), e = 1/3, rate 0.20 x
 * (1/3) / 0.5 = 0.1333..., T = 0.1333... x 3000 = 400; the aid is
 * unchanged (36000, 27000, 21000...). */
static void pooled_join_keeps_etp_and_recomputes_t_n(void **state)
{
	(void)state;
	env e;
	setup(&e, "prorata", "pooled", "structure",
	      CONTRACT("1.0", "400", M("d1", "200", "") "," M("d2", "200", ""),
		       "{'date': '2026-01-01', 'type': 'join', 'doctor': 'd3',"
		       " 'declared_on': '2025-06-01'}"));
	run_rate(&e, 1.0);
	static const double due[] = {36000, 27000, 21000, 21000, 21000};
	expect_due(&e, due, 126000);
	assert_int_equal(e.sim.years[1].nmembers, 3);
	assert_true(e.sim.years[1].changed);
	assert_near(e.sim.years[1].objective, 400, 1e-9);
	assert_near(e.sim.years[1].members[2].share, 400.0 / 3, 1e-9);
	teardown(&e);
}

/* Suspended from 2026-03-01 to 2026-09-01: year 2 is neither paid nor
 * assessed.  At 50 % prorata: 36000, 0, 10500, 10500, 10500 = 67500; the
 * aid payable is 36000 + 3 x 21000 = 99000. */
static void suspended_year_is_neither_paid_nor_assessed(void **state)
{
	(void)state;
	env e;
	setup(&e, "prorata", "sum_individual", "structure",
	      CONTRACT("1.0", "400", PAIR,
		       "{'date': '2026-03-01', 'type': 'suspend'},"
		       "{'date': '2026-09-01', 'type': 'resume'}"));
	run_rate(&e, 0.5);
	static const double due[] = {36000, 0, 10500, 10500, 10500};
	expect_due(&e, due, 67500);
	assert_near(e.sim.aid, 99000, 1e-6);
	assert_int_equal(e.sim.years[1].status, MUTU_YEAR_SUSPENDED);
	assert_true(e.sim.years[1].patients < 0);
	assert_int_equal(e.sim.years[2].status, MUTU_YEAR_ASSESSED);
	teardown(&e);
}

/* Never resumed from 2027-06-01: years 3 to 5 are suspended. */
static void suspension_without_resume_runs_to_the_end(void **state)
{
	(void)state;
	env e;
	setup(&e, "prorata", "sum_individual", "structure",
	      CONTRACT("1.0", "400", PAIR, "{'date': '2027-06-01', 'type': 'suspend'}"));
	run_rate(&e, 0.5);
	static const double due[] = {36000, 27000, 0, 0, 0};
	expect_due(&e, due, 63000);
	teardown(&e);
}

/* Resume is the first active day: suspended 2025-12-31 to 2026-01-01
 * touches year 1 only; 2026-01-01 to 2027-01-01 is exactly year 2. */
static void suspension_bounds_are_day_exact(void **state)
{
	(void)state;
	env e;
	setup(&e, "prorata", "sum_individual", "structure",
	      CONTRACT("1.0", "400", PAIR,
		       "{'date': '2025-12-31', 'type': 'suspend'},"
		       "{'date': '2026-01-01', 'type': 'resume'},"
		       "{'date': '2026-01-01', 'type': 'suspend'},"
		       "{'date': '2027-01-01', 'type': 'resume'}"));
	run_rate(&e, 1.0);
	static const double due[] = {0, 0, 21000, 21000, 21000};
	expect_due(&e, due, 63000);
	teardown(&e);
	setup(&e, "prorata", "sum_individual", "structure",
	      CONTRACT("1.0", "400", PAIR,
		       "{'date': '2025-12-31', 'type': 'suspend'},"
		       "{'date': '2026-01-01', 'type': 'resume'}"));
	run_rate(&e, 1.0);
	static const double one[] = {0, 27000, 21000, 21000, 21000};
	expect_due(&e, one, 90000);
	teardown(&e);
}

/* A structure total in the file: 300 of 400 in every assessed year. */
static void file_totals_drive_structure_assessment(void **state)
{
	(void)state;
	env e;
	setup(&e, "prorata", "sum_individual", "structure", CONTRACT("1.0", "400", PAIR, ""));
	assert_int_equal(run_file(&e, "{\"years\": [{\"year\": 1, \"patients\": 50},"
				      " {\"year\": 3, \"patients\": 300}, {\"year\": 4,"
				      " \"patients\": 300}, {\"year\": 5, \"patients\": 300}]}"),
			 MUTU_OK);
	static const double due[] = {36000, 27000, 15750, 15750, 15750};
	expect_due(&e, due, 110250);
	assert_near(e.sim.years[0].patients, 50, 1e-9);
	teardown(&e);
}

/* The simulation must fail with an error at `path` of the file. */
static void expect_file_error(env *e, const char *achieved, const char *path, const char *text)
{
	assert_int_equal(run_file(e, achieved), MUTU_EINPUT);
	bool found = false;
	for (size_t i = 0; i < e->errs.count && !found; i++)
		found = strcmp(e->errs.items[i].path, path) == 0 &&
			strstr(e->errs.items[i].message, text) &&
			strcmp(e->errs.items[i].file, "ach.json") == 0;
	if (!found)
		print_errors(&e->errs);
	assert_true(found);
}

static void achievement_file_must_fit_the_contract(void **state)
{
	(void)state;
	env e;
	setup(&e, "prorata", "sum_individual", "individual", CONTRACT("1.0", "400", PAIR, ""));
	/* year 4 is assessed and missing */
	expect_file_error(&e,
			  "{\"years\": [{\"year\": 3, \"members\": [{\"doctor\": \"d1\","
			  " \"patients\": 1}, {\"doctor\": \"d2\", \"patients\": 1}]}]}",
			  "/years", "year 4 is assessed but missing");
	/* a total where each member is assessed */
	expect_file_error(&e, "{\"years\": [{\"year\": 3, \"patients\": 400}]}", "/years/0",
			  "member by member");
	/* d3 is not a member; d2 is missing */
	expect_file_error(&e,
			  "{\"years\": [{\"year\": 3, \"members\": [{\"doctor\": \"d1\","
			  " \"patients\": 1}, {\"doctor\": \"d3\", \"patients\": 1}]}]}",
			  "/years/0/members/1/doctor", "d3 is not a member in year 3");
	expect_file_error(&e,
			  "{\"years\": [{\"year\": 3, \"members\": [{\"doctor\": \"d1\","
			  " \"patients\": 1}, {\"doctor\": \"d3\", \"patients\": 1}]}]}",
			  "/years/0/members", "lacks d2");
	expect_file_error(&e, "{\"years\": [{\"year\": 6, \"patients\": 1}]}", "/years/0/year",
			  "beyond the contract's 5 years");
	teardown(&e);
}

/* Parse errors of the file itself. */
static void file_parse_error(const char *text, const char *path, const char *msg)
{
	env e;
	setup(&e, "prorata", "sum_individual", "structure", CONTRACT("1.0", "400", PAIR, ""));
	assert_int_equal(
	    mutu_achieved_parse(&e.ach, &e.cab, text, strlen(text), "ach.json", &e.errs),
	    MUTU_EINPUT);
	bool found = false;
	for (size_t i = 0; i < e.errs.count && !found; i++)
		found =
		    strcmp(e.errs.items[i].path, path) == 0 && strstr(e.errs.items[i].message, msg);
	if (!found)
		print_errors(&e.errs);
	assert_true(found);
	assert_null(e.ach.years);
	teardown(&e);
}

static void achievement_file_parse_errors(void **state)
{
	(void)state;
	file_parse_error("{\"year\": []}", "/year", "did you mean \"years\"");
	file_parse_error("{\"years\": {}}", "/years", "must be an array");
	file_parse_error("{\"years\": [{\"year\": 0, \"patients\": 1}]}", "/years/0/year",
			 "between 1 and");
	file_parse_error("{\"years\": [{\"year\": 1}]}", "/years/0/patients", "missing");
	file_parse_error("{\"years\": [{\"year\": 1, \"patients\": -3}]}", "/years/0/patients",
			 "between 0 and");
	file_parse_error("{\"years\": [{\"year\": 1, \"patients\": 2}, {\"year\": 1,"
			 " \"patients\": 3}]}",
			 "/years/1/year", "given twice");
	file_parse_error("{\"years\": [{\"year\": 1, \"patients\": 2, \"members\": []}]}",
			 "/years/0/members", "not both");
	file_parse_error("{\"years\": [{\"year\": 1, \"members\": [{\"doctor\": \"dz\","
			 " \"patients\": 1}]}]}",
			 "/years/0/members/0/doctor", "unknown doctor");
	file_parse_error("{\"years\": [{\"year\": 1, \"members\": [{\"doctor\": \"d1\","
			 " \"patients\": 1}, {\"doctor\": \"d1\", \"patients\": 1}]}]}",
			 "/years/0/members/1/doctor", "listed twice");
}

/* The reports carry the same figures. */
static void reports_show_years_and_totals(void **state)
{
	(void)state;
	env e;
	setup(&e, "prorata", "sum_individual", "individual", CONTRACT("1.0", "400", PAIR, ""));
	assert_int_equal(run_file(&e, per_member), MUTU_OK);
	char *text = mutu_report_simulation(&e.ct, &e.sim, &e.rules, &e.cab, MUTU_FORMAT_JSON);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"aid_due\":\t110250"));
	assert_non_null(strstr(text, "\"withheld\":\t15750"));
	assert_non_null(strstr(text, "\"status\":\t\"not_assessed\""));
	free(text);
	mutu_report_options en = {MUTU_FORMAT_TEXT, MUTU_LANG_EN, false};
	text = mutu_report_simulation_with(&e.ct, &e.sim, &e.rules, &e.cab, &en);
	assert_non_null(text);
	assert_non_null(strstr(text, "€110,250.00"));
	assert_non_null(strstr(text, "Withheld by the modulation: €15,750.00."));
	free(text);
	/* French: U+202F between thousands, U+00A0 before the euro sign. */
	assert_true(mutu_i18n_bind(MUTU_TEST_LOCALEDIR));
	text = mutu_report_simulation(&e.ct, &e.sim, &e.rules, &e.cab, MUTU_FORMAT_TEXT);
	assert_non_null(text);
	assert_non_null(strstr(text, "110\u202f250,00\u00a0€"));
	assert_non_null(strstr(text, "Retenu par la modulation : 15\u202f750,00\u00a0€."));
	free(text);
	teardown(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(prorata_pays_the_achieved_share_from_year_3),
	    cmocka_unit_test(all_or_nothing_pays_only_a_met_objective),
	    cmocka_unit_test(pooled_aid_is_e_times_the_reference_option),
	    cmocka_unit_test(individual_assessment_modulates_each_members_share),
	    cmocka_unit_test(seniors_may_fall_short_by_the_tolerance),
	    cmocka_unit_test(structure_assessment_pools_the_members_achievement),
	    cmocka_unit_test(individual_all_or_nothing),
	    cmocka_unit_test(aid_share_follows_assistant_time),
	    cmocka_unit_test(leave_recomputes_objective_and_aid),
	    cmocka_unit_test(pooled_leave_caps_etp_and_recomputes_t_n),
	    cmocka_unit_test(pooled_join_keeps_etp_and_recomputes_t_n),
	    cmocka_unit_test(suspended_year_is_neither_paid_nor_assessed),
	    cmocka_unit_test(suspension_without_resume_runs_to_the_end),
	    cmocka_unit_test(suspension_bounds_are_day_exact),
	    cmocka_unit_test(file_totals_drive_structure_assessment),
	    cmocka_unit_test(achievement_file_must_fit_the_contract),
	    cmocka_unit_test(achievement_file_parse_errors),
	    cmocka_unit_test(reports_show_years_and_totals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Contract loading and validation (model.md §5) against findings worked
 * out by hand: one minimal contract per rule that breaks only that rule,
 * the date subtleties, every loader error path, the example contracts of
 * scenarios/contracts/, and the contracts `solve --emit-contract` writes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutu/analysis.h"
#include "mutu/contract.h"
#include "testutil.h"

/* Round numbers so that every objective is done by hand.  Both gp and
 * card read the PMT with the same thresholds, so a card doctor differs
 * from a gp one by the specialty only.  A PMT of 1000 is band p50_p70:
 * half asks 0.20 x 1000 = 200, full 0.30 x 1000 = 300.  In a standard
 * zone the pooled curve goes through (0.5, 0.20) and (1.0, 0.30): "big"
 * is zip only.  Capacity with a ETP: 1000 x (0.05 + 0.30 a), so 200 at
 * a = 0.5 and 350 at a = 1. */
static const char rules_fmt[] =
    "{'name': 't', 'horizon_years': 5, 'discount_rate': 0,"
    " 'eligibility': {'sectors': ['1', '2-optam'], 'exemptions': ['new_installed']},"
    " 'specialties': {"
    "  'gp': {'metric': 'pmt', 'thresholds': {'p30': 800, 'p50': 1000, 'p70': 1200,"
    "         'p90': 1500, 'p95': 1700}},"
    "  'card': {'metric': 'pmt', 'thresholds': {'p30': 800, 'p50': 1000, 'p70': 1200,"
    "         'p90': 1500, 'p95': 1700}},"
    "  'rad': {'excluded': true}},"
    " 'options': ["
    "  {'id': 'half', 'etp': 0.5, 'zones': ['standard', 'zip'], 'aid': [18000, 13500, 10500],"
    "   'objective': {'p30_p50': 0.25, 'p50_p70': 0.20, 'p70_p90': 0.10, 'p90_p95': 0.06,"
    "                 'p95': 0.0}},"
    "  {'id': 'full', 'etp': 1.0, 'zones': ['standard', 'zip'], 'aid': [36000, 27000, 21000],"
    "   'objective': {'p30_p50': 0.35, 'p50_p70': 0.30, 'p70_p90': 0.20, 'p90_p95': 0.10,"
    "                 'p95': 0.05}},"
    "  {'id': 'big', 'etp': 2.0, 'zones': ['zip'], 'aid': [72000, 54000, 42000],"
    "   'objective': {'p30_p50': 0.5, 'p50_p70': 0.40, 'p70_p90': 0.3, 'p90_p95': 0.2,"
    "                 'p95': 0.1}}],"
    " 'new_installed': {'target': 'p50'}, 'senior': {'from_age': 65, 'objective': 0.0},"
    " 'capacity': {'headroom': 0.05, 'gain_per_etp': 0.30},"
    " 'economics': {'assistant_cost_per_etp': 36000, 'value_per_patient_year': 120},"
    " 'achievement': {'check_from_year': 3, 'modulation': 'prorata'},"
    " 'mutualisation': {'enabled': true, 'min_doctors': 2, 'max_doctors': 4,"
    "   'max_etp_per_doctor': 1.0, 'max_etp_total': 3.0, 'etp_step': 0.5,"
    "   'objective_basis': '%s', 'floor_share': %s, 'aid_reference_option': 'full',"
    "   'assessment': 'structure', 'commitment_years': {'assistant': 3, 'forfait': 1},"
    "   'exclusive_kinds': ['assistant']}}";

#define DOC(id, extra)                                                                             \
	"{'id': '" id "', 'specialty': 'gp', 'sector': '1', 'pmt': 1000, 'fa': 1500,"              \
	" 'volunteer': true, 'declared_on': '2024-11-01'" extra "}"

static const char cabinet_json[] =
    "{'id': 'cab', 'zone': 'standard', 'contract_start': '2025-01-01', 'doctors': [" DOC(
	"d1", "") "," DOC("d2",
			  "") "," DOC("d3",
				      "") "," DOC("d4",
						  "") ","
						      /* same as d1 but a cardiologist */
						      "{'id': 'dc', 'specialty': 'card', 'sector': "
						      "'1', 'pmt': 1000, 'fa': 1500},"
						      /* sector 2 without OPTAM: not eligible */
						      "{'id': 'dx', 'specialty': 'gp', 'sector': "
						      "'2', 'pmt': 1000, 'fa': 1500},"
    /* individual assistant contracts ending on the start day, the day
     * before, and one starting in year 4 */
    DOC("ds",
	", 'contracts': [{'kind': 'assistant', 'option': 'half', 'start': '2020-01-01',"
	" 'end': '2025-01-01'}]") "," DOC("dh",
					  ", 'contracts': [{'kind': 'assistant', 'option': 'half', "
					  "'start': '2020-01-01',"
					  " 'end': '2024-12-31'}]") "," DOC("dl",
									    ", 'contracts': "
									    "[{'kind': "
									    "'assistant', "
									    "'option': 'half', "
									    "'start': "
									    "'2028-01-01'}]") ","
    /* an individual forfait: not an exclusive kind */
    DOC("df", ", 'contracts': [{'kind': 'forfait', 'start': '2020-01-01'}]") ","
    /* capacity 1000 x (0.5 + 0.3 a): 650 at a = 0.5 */
    DOC("dbig",
	", 'headroom': 0.5") ","
			     /* PMT 1002: half asks ceil(200.4) = 201, capacity at 0.5 ETP 200.4 */
			     "{'id': 'dr', 'specialty': 'gp', 'sector': '1', 'pmt': 1002, 'fa': "
			     "1500},"
    /* capacity capped at 150 */
    DOC("dm", ", 'max_new_patients': 150") "]}";

/* Turns the single quotes of the fixtures into JSON's double quotes. */
static char *json(const char *fmt, ...)
{
	static char buf[8][16384];
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
	mutu_findings f;
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

static void env_load(env *e, const char *basis, const char *floor_share)
{
	memset(e, 0, sizeof *e);
	mutu_errors_clear(&e->errs);
	const char *r = json(rules_fmt, basis, floor_share);
	int rc = mutu_rules_parse(&e->rules, r, strlen(r), "t.json", &e->errs);
	print_errors(&e->errs);
	assert_int_equal(rc, MUTU_OK);
	const char *c = json("%s", cabinet_json);
	rc = mutu_cabinet_parse(&e->cab, &e->rules, c, strlen(c), "cab.json", &e->errs);
	print_errors(&e->errs);
	assert_int_equal(rc, MUTU_OK);
}

static void env_free(env *e)
{
	mutu_findings_free(&e->f);
	mutu_contract_free(&e->ct);
	mutu_cabinet_free(&e->cab);
	mutu_rules_free(&e->rules);
}

static int env_parse(env *e, const char *contract)
{
	mutu_errors_clear(&e->errs);
	return mutu_contract_parse(&e->ct, &e->rules, &e->cab, contract, strlen(contract),
				   "ct.json", &e->errs);
}

/* The findings must be exactly `want` ("severity code path", in order). */
static void expect(env *e, const char *const *want)
{
	size_t n = 0;
	while (want[n])
		n++;
	bool same = e->f.count == n;
	char got[600];
	for (size_t i = 0; same && i < n; i++) {
		snprintf(got, sizeof got, "%s %s %s",
			 e->f.items[i].severity == MUTU_SEVERITY_ERROR ? "error" : "warning",
			 e->f.items[i].code, e->f.items[i].path);
		same = strcmp(got, want[i]) == 0;
	}
	if (!same) {
		fprintf(stderr, "expected:\n");
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "  %s\n", want[i]);
		fprintf(stderr, "got:\n");
		for (size_t i = 0; i < e->f.count; i++)
			fprintf(stderr, "  %s %s %s: %s\n",
				e->f.items[i].severity == MUTU_SEVERITY_ERROR ? "error" : "warning",
				e->f.items[i].code, e->f.items[i].path, e->f.items[i].message);
	}
	assert_true(same);
}

/* Loads the rules, the cabinet and `contract`, validates, and compares. */
static void check(const char *basis, const char *floor_share, const char *contract,
		  const char *const *want)
{
	env e;
	env_load(&e, basis, floor_share);
	int rc = env_parse(&e, contract);
	print_errors(&e.errs);
	assert_int_equal(rc, MUTU_OK);
	assert_int_equal(mutu_contract_validate(&e.f, &e.ct, &e.rules, &e.cab), MUTU_OK);
	expect(&e, want);
	env_free(&e);
}

/* A contract from 2025-01-01: assistant component of `etp` ETP and
 * `years` years, a one-year forfait, objective `t`, members and events. */
#define CONTRACT(start, etp, years, t, members, events)                                            \
	json("{'id': 'ct', 'structure': 'cab', 'specialty': 'gp', 'start': '" start "',"           \
	     " 'components': [{'kind': 'assistant', 'etp': " etp ", 'years': " years "},"          \
	     " {'kind': 'forfait', 'years': 1}], 'collective_objective': " t ","                   \
	     " 'members': [" members "], 'events': [" events "]}")

#define M(doctor, share, extra)                                                                    \
	"{'doctor': '" doctor "', 'declared_on': '2024-11-01', 'share': " share extra "}"
#define HALF ", 'option': 'half'"
#define FULL ", 'option': 'full'"

static const char *const none[] = {NULL};

/* ---------------- valid contracts ---------------- */

/* sum_individual: half + half = 1.0 ETP, objectives 200 + 200 = 400,
 * shares 200 each = the capacity 1000 x (0.05 + 0.3 x 0.5) = 200. */
static void valid_sum_individual_contract_has_no_findings(void **state)
{
	(void)state;
	check("sum_individual", "1",
	      CONTRACT("2025-01-01", "1.0", "3", "400",
		       M("d1", "200", HALF) "," M("d2", "200", HALF), ""),
	      none);
}

/* pooled: 2 members, E = 1.0, e = 0.5, rate 0.20 on P_G = 2000: T = 400. */
static void valid_pooled_contract_has_no_findings(void **state)
{
	(void)state;
	check("pooled", "1",
	      CONTRACT("2025-01-01", "1.0", "3", "400", M("d1", "200", "") "," M("d2", "200", ""),
		       ""),
	      none);
}

/* ---------------- one rule broken at a time ---------------- */

static void other_structure_is_a_structure_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error structure /structure", NULL};
	check(
	    "sum_individual", "0",
	    json("{'id': 'ct', 'structure': 'elsewhere', 'specialty': 'gp', 'start': '2025-01-01',"
		 " 'components': [{'kind': 'assistant', 'etp': 1.0, 'years': 3}],"
		 " 'collective_objective': 400, 'members': [" M("d1", "200", HALF) "," M(
		     "d2", "200", HALF) "]}"),
	    want);
}

/* dc is d1 in every figure but a cardiologist. */
static void cardiologist_in_gp_contract_is_a_specialty_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error specialty /members/1/doctor", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "400",
		       M("d1", "200", HALF) "," M("dc", "200", HALF), ""),
	      want);
}

/* One member: full, objective 300 <= capacity 350 at 1 ETP; E = 1.0 <=
 * 1 x 1.0.  Only min_doctors = 2 fails. */
static void single_member_is_a_size_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error size /members", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "300", M("d1", "300", FULL), ""), want);
}

/* Five members (max_doctors 4), only d1 with an option (full): E = 1.0 =
 * the options' sum <= 1.0 x 5, requirement 300 <= 300.  a_i = E / 5 =
 * 0.2 for everyone: capacity 1000 x (0.05 + 0.06) = 110 >= 100 each. */
static void five_members_is_a_size_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error size /members", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "300",
		       M("d1", "100", FULL) "," M("d2", "100", "") "," M("d3", "100", "") "," M(
			   "d4", "100", "") "," M("dbig", "100", ""),
		       ""),
	      want);
}

static void declaration_after_start_is_a_declaration_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error declaration /members/1/declared_on", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "400",
		       M("d1", "200", HALF) ","
					    "{'doctor': 'd2', 'declared_on': '2025-01-02', "
					    "'share': 200, 'option': 'half'}",
		       ""),
	      want);
}

/* Declared on the start day itself is in time. */
static void declaration_on_start_day_is_in_time(void **state)
{
	(void)state;
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "400",
		       M("d1", "200", HALF) ","
					    "{'doctor': 'd2', 'declared_on': '2025-01-01', "
					    "'share': 200, 'option': 'half'}",
		       ""),
	      none);
}

/* dx is sector 2: not eligible; its objective is then unknown and left
 * out (requirement 200 <= 400), its capacity is d1's. */
static void sector_2_member_is_an_eligibility_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error eligibility /members/1/doctor", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "400",
		       M("d1", "200", HALF) "," M("dx", "200", HALF), ""),
	      want);
}

static void two_year_assistant_component_is_a_lock_in_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error lock_in /components/0/years", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "2", "400",
		       M("d1", "200", HALF) "," M("d2", "200", HALF), ""),
	      want);
}

/* Three members (E = 1.5, T = 600); d3 leaves one day after the third
 * anniversary: lock-in run, but not an anniversary. */
#define THREE M("d1", "200", HALF) "," M("d2", "200", HALF) "," M("d3", "200", HALF)
/* The same, declared before a 29 February 2024 start. */
#define EARLY(doctor) "{'doctor': '" doctor "', 'declared_on': '2024-01-15', 'share': 200" HALF "}"
#define THREE_EARLY EARLY("d1") "," EARLY("d2") "," EARLY("d3")

static void leave_one_day_after_anniversary_is_a_mid_year_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error mid_year /events/0/date", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.5", "5", "600", THREE,
		       "{'date': '2028-01-02', 'type': 'leave', 'doctor': 'd3'}"),
	      want);
}

static void leave_one_day_before_anniversary_is_a_mid_year_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error mid_year /events/0/date", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.5", "5", "600", THREE,
		       "{'date': '2028-12-31', 'type': 'leave', 'doctor': 'd3'}"),
	      want);
}

static void leave_on_anniversary_after_lock_in_is_allowed(void **state)
{
	(void)state;
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.5", "5", "600", THREE,
		       "{'date': '2028-01-01', 'type': 'leave', 'doctor': 'd3'}"),
	      none);
}

/* Forfait commitment 1 year, assistant 3: a member is in both, so a
 * leave on the first anniversary breaks the assistant's lock-in. */
static void leave_after_forfait_but_before_assistant_lock_in_is_a_mid_year_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error mid_year /events/0/date", NULL};
	env e;
	env_load(&e, "sum_individual", "0");
	assert_int_equal(env_parse(&e, CONTRACT("2025-01-01", "1.5", "5", "600", THREE,
						"{'date': '2026-01-01', 'type': 'leave', "
						"'doctor': 'd3'}")),
			 MUTU_OK);
	assert_int_equal(mutu_contract_validate(&e.f, &e.ct, &e.rules, &e.cab), MUTU_OK);
	expect(&e, want);
	assert_non_null(strstr(e.f.items[0].message, "3-year lock-in"));
	assert_non_null(strstr(e.f.items[0].message, "earliest leave 2028-01-01"));
	env_free(&e);
}

/* The second anniversary is still inside the 3-year lock-in. */
static void second_anniversary_leave_is_before_lock_in(void **state)
{
	(void)state;
	static const char *const want[] = {"error mid_year /events/0/date", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.5", "5", "600", THREE,
		       "{'date': '2027-01-01', 'type': 'leave', 'doctor': 'd3'}"),
	      want);
}

/* Start 29 February 2024: the third anniversary is 28 February 2027
 * (2027 is common), the fourth is 29 February 2028. */
static void leap_day_start_anniversary_falls_on_28_february(void **state)
{
	(void)state;
	static const char *const want[] = {"error mid_year /events/0/date", NULL};
	check("sum_individual", "0",
	      CONTRACT("2024-02-29", "1.5", "5", "600", THREE_EARLY,
		       "{'date': '2027-02-28', 'type': 'leave', 'doctor': 'd3'}"),
	      none);
	check("sum_individual", "0",
	      CONTRACT("2024-02-29", "1.5", "5", "600", THREE_EARLY,
		       "{'date': '2027-03-01', 'type': 'leave', 'doctor': 'd3'}"),
	      want);
	/* 2028 is a leap year: 28 February is not the anniversary, 29 is. */
	check("sum_individual", "0",
	      CONTRACT("2024-02-29", "1.5", "5", "600", THREE_EARLY,
		       "{'date': '2028-02-28', 'type': 'leave', 'doctor': 'd3'}"),
	      want);
	check("sum_individual", "0",
	      CONTRACT("2024-02-29", "1.5", "5", "600", THREE_EARLY,
		       "{'date': '2028-02-29', 'type': 'leave', 'doctor': 'd3'}"),
	      none);
}

/* The third anniversary of a 29 February start, 28 February 2027, ends
 * the lock-in: the day before it is not an anniversary and is too early. */
static void leap_day_start_lock_in_ends_on_28_february(void **state)
{
	(void)state;
	env e;
	env_load(&e, "sum_individual", "0");
	assert_int_equal(env_parse(&e, CONTRACT("2024-02-29", "1.5", "5", "600", THREE_EARLY,
						"{'date': '2027-02-27', 'type': 'leave', "
						"'doctor': 'd3'}")),
			 MUTU_OK);
	assert_int_equal(mutu_contract_validate(&e.f, &e.ct, &e.rules, &e.cab), MUTU_OK);
	assert_int_equal(e.f.count, 1);
	assert_string_equal(e.f.items[0].code, "mid_year");
	assert_non_null(strstr(e.f.items[0].message, "earliest leave 2027-02-28"));
	env_free(&e);
}

/* d3 joins on the first anniversary, declared before; it brings no
 * option, so E and the objective stand. */
static void join_on_anniversary_with_declaration_is_allowed(void **state)
{
	(void)state;
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "5", "400",
		       M("d1", "200", HALF) "," M("d2", "200", HALF),
		       "{'date': '2026-01-01', 'type': 'join', 'doctor': 'd3',"
		       " 'declared_on': '2025-12-01'}"),
	      none);
	/* declared on the join day itself */
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "5", "400",
		       M("d1", "200", HALF) "," M("d2", "200", HALF),
		       "{'date': '2026-01-01', 'type': 'join', 'doctor': 'd3',"
		       " 'declared_on': '2026-01-01'}"),
	      none);
}

static void join_declared_after_joining_is_a_declaration_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error declaration /events/0/declared_on", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "5", "400",
		       M("d1", "200", HALF) "," M("d2", "200", HALF),
		       "{'date': '2026-01-01', 'type': 'join', 'doctor': 'd3',"
		       " 'declared_on': '2026-01-02'}"),
	      want);
}

static void join_without_declaration_is_a_declaration_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error declaration /events/0", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "5", "400",
		       M("d1", "200", HALF) "," M("d2", "200", HALF),
		       "{'date': '2026-01-01', 'type': 'join', 'doctor': 'd3'}"),
	      want);
}

static void join_one_day_off_anniversary_is_a_mid_year_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error mid_year /events/0/date", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "5", "400",
		       M("d1", "200", HALF) "," M("d2", "200", HALF),
		       "{'date': '2026-01-02', 'type': 'join', 'doctor': 'd3',"
		       " 'declared_on': '2025-12-01'}"),
	      want);
}

/* A joiner's lock-in runs from its join: joined on the first
 * anniversary, it may leave on the fourth, not the third. */
static void joiner_lock_in_counts_from_its_join(void **state)
{
	(void)state;
	static const char *const want[] = {"error mid_year /events/1/date", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "5", "400",
		       M("d1", "200", HALF) "," M("d2", "200", HALF),
		       "{'date': '2026-01-01', 'type': 'join', 'doctor': 'd3',"
		       " 'declared_on': '2025-12-01'},"
		       "{'date': '2028-01-01', 'type': 'leave', 'doctor': 'd3'}"),
	      want);
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "5", "400",
		       M("d1", "200", HALF) "," M("d2", "200", HALF),
		       "{'date': '2026-01-01', 'type': 'join', 'doctor': 'd3',"
		       " 'declared_on': '2025-12-01'},"
		       "{'date': '2029-01-01', 'type': 'leave', 'doctor': 'd3'}"),
	      none);
}

/* A leave leaving one member breaks min_doctors from that date. */
static void leave_down_to_one_member_is_a_size_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error size /events/0", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "5", "400",
		       M("d1", "200", HALF) "," M("d2", "200", HALF),
		       "{'date': '2028-01-01', 'type': 'leave', 'doctor': 'd2'}"),
	      want);
}

/* ds's individual contract ends on the start day: they overlap. */
static void individual_contract_ending_on_start_day_is_a_cumul_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error cumul /members/1/doctor", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "400",
		       M("d1", "200", HALF) "," M("ds", "200", HALF), ""),
	      want);
}

static void individual_contract_ending_the_day_before_is_no_cumul(void **state)
{
	(void)state;
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "400",
		       M("d1", "200", HALF) "," M("dh", "200", HALF), ""),
	      none);
}

/* dl's contract starts on 2028-01-01, inside a 5-year contract; within a
 * 3-year one [2025-01-01, 2028-01-01) it does not; nor when dl leaves on
 * 2028-01-01.  A forfait is not an exclusive kind here. */
static void cumul_counts_the_members_own_period(void **state)
{
	(void)state;
	static const char *const want[] = {"error cumul /members/2/doctor", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.5", "5", "600",
		       M("d1", "200", HALF) "," M("d2", "200", HALF) "," M("dl", "200", HALF), ""),
	      want);
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.5", "3", "600",
		       M("d1", "200", HALF) "," M("d2", "200", HALF) "," M("dl", "200", HALF), ""),
	      none);
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.5", "5", "600",
		       M("d1", "200", HALF) "," M("d2", "200", HALF) "," M("dl", "200", HALF),
		       "{'date': '2028-01-01', 'type': 'leave', 'doctor': 'dl'}"),
	      none);
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "5", "400",
		       M("d1", "200", HALF) "," M("df", "200", HALF), ""),
	      none);
}

/* Four members with full each: E = 4.0 = the sum of options but above
 * max_etp_total 3.0 (and = 1.0 x 4).  Objective 1200 = 4 x 300, shares
 * 300 <= capacity 350 at a = 1. */
static void four_etp_is_an_etp_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error etp /components/0/etp", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "4.0", "3", "1200",
		       M("d1", "300", FULL) "," M("d2", "300", FULL) "," M("d3", "300", FULL) "," M(
			   "d4", "300", FULL),
		       ""),
	      want);
}

/* pooled, E = 1.25 with 2 members: e = 0.625, rate 0.20 + 0.10 x 0.125 /
 * 0.5 = 0.225, T = 450; shares 225 <= 1000 x (0.05 + 0.3 x 0.625) = 237.5. */
static void pooled_etp_off_the_step_is_an_etp_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error etp /components/0/etp", NULL};
	check("pooled", "0",
	      CONTRACT("2025-01-01", "1.25", "3", "450", M("d1", "225", "") "," M("d2", "225", ""),
		       ""),
	      want);
}

/* pooled, E = 2.5 with 2 members: above 1.0 x 2.  e = 1.25 is past the
 * last point: rate 0.30, T = 600; shares 300 <= 1000 x (0.05 + 0.375). */
static void pooled_etp_above_per_doctor_cap_is_an_etp_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error etp /components/0/etp", NULL};
	check("pooled", "0",
	      CONTRACT("2025-01-01", "2.5", "3", "600", M("d1", "300", "") "," M("d2", "300", ""),
		       ""),
	      want);
}

/* assistant_etp 0.6 + 0.6 = 1.2, but E = 1.0.  Capacities at 0.6:
 * 1000 x (0.05 + 0.18) = 230 >= 200. */
static void assistant_etp_not_summing_to_e_is_an_etp_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error etp /components/0/etp", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "400",
		       M("d1", "200", HALF ", 'assistant_etp': 0.6") "," M(
			   "d2", "200", HALF ", 'assistant_etp': 0.6"),
		       ""),
	      want);
}

/* sum_individual: after d3 joins with full, the options sum to 1.0 +
 * 1.0 + 1.0 + 1.0 = 4.0 > max_etp_total 3.0 from that date. */
static void join_with_option_above_total_is_an_etp_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error etp /events/0", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "3.0", "5", "900",
		       M("d1", "300", FULL) "," M("d2", "300", FULL) "," M("d4", "300", FULL),
		       "{'date': '2026-01-01', 'type': 'join', 'doctor': 'd3',"
		       " 'declared_on': '2025-12-01', 'option': 'full'}"),
	      want);
}

static void pooled_objective_below_t_n_is_an_objective_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error objective /collective_objective", NULL};
	check("pooled", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "399", M("d1", "200", "") "," M("d2", "200", ""),
		       ""),
	      want);
}

/* pooled, 3 members, E = 1.5: e = 0.5, T = ceil(0.20 x 3000) = 600;
 * E = 2.0: e = 2/3, rate 0.20 + 0.10 x (1/6) / 0.5 = 0.2333..., T =
 * ceil(700) = 700 (not 701: 0.2333... x 3000 is 700 up to rounding). */
static void pooled_objective_is_t_n_for_members_and_e(void **state)
{
	(void)state;
	static const char *const want[] = {"error objective /collective_objective", NULL};
	check("pooled", "0",
	      CONTRACT("2025-01-01", "1.5", "3", "600",
		       M("d1", "200", "") "," M("d2", "200", "") "," M("d3", "200", ""), ""),
	      none);
	check("pooled", "0",
	      CONTRACT("2025-01-01", "2.0", "3", "700",
		       M("d1", "230", "") "," M("d2", "235", "") "," M("d3", "235", ""), ""),
	      none);
	check("pooled", "0",
	      CONTRACT("2025-01-01", "2.0", "3", "699",
		       M("d1", "229", "") "," M("d2", "235", "") "," M("d3", "235", ""), ""),
	      want);
}

static void sum_individual_objective_below_sum_is_an_objective_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error objective /collective_objective", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "399",
		       M("d1", "200", HALF) "," M("d2", "199", HALF), ""),
	      want);
}

/* half + half = 1.0 ETP, not E = 1.5.  Capacities at 0.75: 275. */
static void sum_individual_e_not_sum_of_options_is_an_objective_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error objective /components/0/etp", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.5", "3", "400",
		       M("d1", "200", HALF) "," M("d2", "200", HALF), ""),
	      want);
}

/* "big" is zip only and the cabinet is standard.  E = 2.0 = big, the
 * requirement 0.40 x 1000 = 400; capacities at a = 1: 350. */
static void option_closed_in_zone_is_an_objective_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error objective /members/0/option", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "2.0", "3", "400",
		       M("d1", "200", ", 'option': 'big'") "," M("d2", "200", ""), ""),
	      want);
}

/* Under pooled, a notional option is ignored: a warning. */
static void option_under_pooled_is_an_objective_warning(void **state)
{
	(void)state;
	static const char *const want[] = {"warning objective /members/0/option", NULL};
	check("pooled", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "400", M("d1", "200", HALF) "," M("d2", "200", ""),
		       ""),
	      want);
}

/* 200 + 199 = 399 < 400; the requirement (200 + 200) is met by the
 * collective objective itself, which is 400. */
static void shares_below_objective_is_a_split_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error split /members", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "400",
		       M("d1", "200", HALF) "," M("d2", "199", HALF), ""),
	      want);
}

/* floor_share 1: each floor 1 x 1000 / 2000 x 400 = 200.  d1 takes 199
 * (dbig the rest, within its capacity 650). */
static void share_below_floor_is_a_split_error(void **state)
{
	(void)state;
	static const char *const want[] = {"error split /members/0/share", NULL};
	check("sum_individual", "1",
	      CONTRACT("2025-01-01", "1.0", "3", "400",
		       M("d1", "199", HALF) "," M("dbig", "201", HALF), ""),
	      want);
}

/* floor_share 1 with objective 401: floors 200.5, rounded down to 200. */
static void floor_is_rounded_down_to_whole_patients(void **state)
{
	(void)state;
	check("sum_individual", "1",
	      CONTRACT("2025-01-01", "1.0", "3", "401",
		       M("d1", "200", HALF) "," M("dbig", "201", HALF), ""),
	      none);
}

/* d2 takes 201 > capacity 200: a warning only. */
static void share_above_capacity_is_a_capacity_warning(void **state)
{
	(void)state;
	static const char *const want[] = {"warning capacity /members/1/share", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "400",
		       M("d1", "200", HALF) "," M("d2", "201", HALF), ""),
	      want);
}

/* dr: capacity 1002 x 0.2 = 200.4, so 201 is allowed, 202 is not; its
 * half objective is ceil(200.4) = 201 (requirement 200 + 201). */
static void capacity_is_rounded_up_to_whole_patients(void **state)
{
	(void)state;
	static const char *const want[] = {"warning capacity /members/1/share", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "401",
		       M("d1", "200", HALF) "," M("dr", "201", HALF), ""),
	      none);
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "401",
		       M("d1", "199", HALF) "," M("dr", "202", HALF), ""),
	      want);
}

/* dm is capped at 150 new patients: full 300 at a = 1 would fit 350. */
static void max_new_patients_caps_capacity(void **state)
{
	(void)state;
	static const char *const want[] = {"warning capacity /members/1/share", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "2.0", "3", "600",
		       M("d1", "300", FULL) "," M("dm", "300", FULL), ""),
	      want);
}

/* assistant_etp moves capacity: d1 with 0.9 ETP holds 1000 x (0.05 +
 * 0.27) = 320, d2 gets the rest 0.1: 1000 x 0.08 = 80. */
static void assistant_etp_sets_each_capacity(void **state)
{
	(void)state;
	static const char *const want[] = {"warning capacity /members/1/share", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "400",
		       M("d1", "320", HALF ", 'assistant_etp': 0.9") "," M("d2", "80", HALF), ""),
	      none);
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.0", "3", "400",
		       M("d1", "319", HALF ", 'assistant_etp': 0.9") "," M("d2", "81", HALF), ""),
	      want);
}

/* Findings sorted by pointer, then code, then discovery.  d1 half,
 * dc half (a cardiologist declared late), dx half (sector 2): E = 3.5
 * is above 1.0 x 3 and above 3.0 (two etp findings, per-doctor first),
 * and not the options' 1.5 (objective, after etp on the same path); the
 * requirement 200 + 200 (dx has none) is above 399; a 2-year assistant
 * component; dx leaves before the 3-year lock-in (event 2 in the file).
 * Capacities at a = 3.5 / 3: 1000 x (0.05 + 0.35) = 400 >= 200. */
static void findings_are_sorted_by_path_then_code(void **state)
{
	(void)state;
	static const char *const want[] = {"error objective /collective_objective",
					   "error etp /components/0/etp",
					   "error etp /components/0/etp",
					   "error objective /components/0/etp",
					   "error lock_in /components/0/years",
					   "error mid_year /events/2/date",
					   "error declaration /members/1/declared_on",
					   "error specialty /members/1/doctor",
					   "error eligibility /members/2/doctor",
					   NULL};
	env e;
	env_load(&e, "sum_individual", "0");
	assert_int_equal(
	    env_parse(&e,
		      CONTRACT("2025-01-01", "3.5", "2", "399",
			       M("d1", "200",
				 HALF) ","
				       "{'doctor': 'dc', 'declared_on': '2025-02-01', 'share': 200,"
				       " 'option': 'half'}," M("dx", "200", HALF),
			       "{'date': '2025-06-01', 'type': 'suspend'},"
			       "{'date': '2026-01-01', 'type': 'resume'},"
			       "{'date': '2026-01-02', 'type': 'leave', 'doctor': 'dx'}")),
	    MUTU_OK);
	assert_int_equal(mutu_contract_validate(&e.f, &e.ct, &e.rules, &e.cab), MUTU_OK);
	expect(&e, want);
	assert_non_null(strstr(e.f.items[1].message, "max_etp_per_doctor"));
	assert_non_null(strstr(e.f.items[2].message, "max_etp_total"));
	env_free(&e);
}

/* Numeric tokens compare as numbers: /events/2 before /events/10.  d4
 * joins mid-year (event 2), d3 leaves before its lock-in (event 10); the
 * other events are suspensions. */
static void pointer_indices_sort_as_numbers(void **state)
{
	(void)state;
	static const char *const want[] = {"error mid_year /events/2/date",
					   "error mid_year /events/10/date", NULL};
	check("sum_individual", "0",
	      CONTRACT("2025-01-01", "1.5", "5", "600", THREE,
		       "{'date': '2025-02-01', 'type': 'suspend'},"
		       "{'date': '2025-03-01', 'type': 'resume'},"
		       "{'date': '2025-06-15', 'type': 'join', 'doctor': 'd4',"
		       " 'declared_on': '2025-01-01'},"
		       "{'date': '2025-07-01', 'type': 'suspend'},"
		       "{'date': '2025-08-01', 'type': 'resume'},"
		       "{'date': '2025-09-01', 'type': 'suspend'},"
		       "{'date': '2025-10-01', 'type': 'resume'},"
		       "{'date': '2025-11-01', 'type': 'suspend'},"
		       "{'date': '2025-12-01', 'type': 'resume'},"
		       "{'date': '2026-02-01', 'type': 'suspend'},"
		       "{'date': '2026-01-01', 'type': 'leave', 'doctor': 'd3'}"),
	      want);
}

/* ---------------- loader errors ---------------- */

/* Parsing must fail with an error at `path` whose message holds `text`. */
static void load_error(const char *contract, const char *path, const char *text)
{
	env e;
	env_load(&e, "sum_individual", "0");
	assert_int_equal(env_parse(&e, contract), MUTU_EINPUT);
	bool found = false;
	for (size_t i = 0; i < e.errs.count && !found; i++)
		found = strcmp(e.errs.items[i].path, path) == 0 &&
			strstr(e.errs.items[i].message, text) != NULL &&
			strcmp(e.errs.items[i].file, "ct.json") == 0;
	if (!found) {
		fprintf(stderr, "no error at %s with \"%s\"; got:\n", path, text);
		print_errors(&e.errs);
	}
	assert_true(found);
	/* Nothing left to free after a failure. */
	assert_null(e.ct.members);
	assert_null(e.ct.id);
	env_free(&e);
}

/* A contract that loads and is judged: a finding of `code` at `path`
 * whose message holds `text` (model.md §5: judged, never refused). */
static void judged(const char *contract, const char *code, const char *path, const char *text)
{
	env e;
	env_load(&e, "sum_individual", "0");
	int rc = env_parse(&e, contract);
	print_errors(&e.errs);
	assert_int_equal(rc, MUTU_OK);
	assert_int_equal(mutu_contract_validate(&e.f, &e.ct, &e.rules, &e.cab), MUTU_OK);
	bool found = false;
	for (size_t i = 0; i < e.f.count && !found; i++)
		found = strcmp(e.f.items[i].code, code) == 0 &&
			strcmp(e.f.items[i].path, path) == 0 &&
			strstr(e.f.items[i].message, text) != NULL;
	if (!found) {
		fprintf(stderr, "no %s finding at %s with \"%s\"; got:\n", code, path, text);
		for (size_t i = 0; i < e.f.count; i++)
			fprintf(stderr, "  %s %s: %s\n", e.f.items[i].code, e.f.items[i].path,
				e.f.items[i].message);
	}
	assert_true(found);
	env_free(&e);
}

/* No finding at all at `path`. */
static void not_judged_at(const char *contract, const char *path)
{
	env e;
	env_load(&e, "sum_individual", "0");
	assert_int_equal(env_parse(&e, contract), MUTU_OK);
	assert_int_equal(mutu_contract_validate(&e.f, &e.ct, &e.rules, &e.cab), MUTU_OK);
	for (size_t i = 0; i < e.f.count; i++)
		assert_string_not_equal(e.f.items[i].path, path);
	env_free(&e);
}

#define OK_MEMBERS M("d1", "200", HALF) "," M("d2", "200", HALF)

static void loader_reports_each_error_with_its_pointer(void **state)
{
	(void)state;
	load_error("{\"id\": ", "", "truncated JSON");
	load_error("[1]", "", "must be an object");
	load_error(json("{'id': 'ct', 'structure': 'cab', 'specialty': 'gp', 'start': '2025-01-01',"
			" 'components': [{'kind': 'assistant', 'etp': 1, 'years': 3}],"
			" 'colective_objective': 400, 'members': [" OK_MEMBERS "]}"),
		   "/colective_objective", "did you mean \"collective_objective\"");
	load_error(json("{'id': 'ct', 'id': 'again', 'structure': 'cab', 'specialty': 'gp',"
			" 'start': '2025-01-01', 'components': [{'kind': 'assistant', 'etp': 1,"
			" 'years': 3}], 'collective_objective': 400, 'members': [" OK_MEMBERS "]}"),
		   "/id", "duplicate key");
	load_error(
	    json("{'id': 'ct', 'structure': 'cab', 'specialty': 'gpp', 'start': '2025-01-01',"
		 " 'components': [{'kind': 'assistant', 'etp': 1, 'years': 3}],"
		 " 'collective_objective': 400, 'members': [" OK_MEMBERS "]}"),
	    "/specialty", "unknown specialty \"gpp\"; did you mean \"gp\"");
	load_error(CONTRACT("2025-02-30", "1.0", "3", "400", OK_MEMBERS, ""), "/start",
		   "must be a date YYYY-MM-DD");
	load_error(CONTRACT("2025-01-01", "\"1\"", "3", "400", OK_MEMBERS, ""), "/components/0/etp",
		   "must be a number");
	load_error(CONTRACT("2025-01-01", "0", "3", "400", OK_MEMBERS, ""), "/components/0/etp",
		   "positive");
	load_error(CONTRACT("2025-01-01", "1.0", "0", "400", OK_MEMBERS, ""), "/components/0/years",
		   "integer between 1 and 50");
	load_error(CONTRACT("2025-01-01", "1.0", "2.5", "400", OK_MEMBERS, ""),
		   "/components/0/years", "integer");
	load_error(CONTRACT("2025-01-01", "1.0", "3", "-1", OK_MEMBERS, ""),
		   "/collective_objective", "non-negative integer");
	load_error(CONTRACT("2025-01-01", "1.0", "3", "400", M("d1", "'200'", HALF), ""),
		   "/members/0/share", "must be a non-negative integer, got a string");
	/* A member who is not a doctor of the cabinet was a load error. */
	judged(CONTRACT("2025-01-01", "1.0", "3", "400",
			M("d1", "200", HALF) "," M("d22", "200", ""), ""),
	       "structure", "/members/1/doctor", "\"d22\" is not a doctor of the cabinet");
	load_error(CONTRACT("2025-01-01", "1.0", "3", "400",
			    M("d1", "200", HALF) "," M("d1", "200", ""), ""),
		   "/members/1/doctor", "listed twice");
	load_error(CONTRACT("2025-01-01", "1.0", "3", "400",
			    M("d1", "200", ", 'option': 'halff'") "," M("d2", "200", ""), ""),
		   "/members/0/option", "unknown option \"halff\"; did you mean \"half\"");
	load_error(CONTRACT("2025-01-01", "1.0", "3", "400",
			    "{'doctor': 'd1', 'declared_on': '2024-13-01', 'share': 200}", ""),
		   "/members/0/declared_on", "must be a date");
	load_error(CONTRACT("2025-01-01", "1.0", "3", "400", "{'doctor': 'd1', 'share': 200}", ""),
		   "/members/0/declared_on", "missing required key");
	load_error(CONTRACT("2025-01-01", "1.0", "3", "400", M("d1", "200", ", 'shares': 1"), ""),
		   "/members/0/shares", "unknown key");
	load_error(
	    CONTRACT("2025-01-01", "1.0", "3", "400", M("d1", "200", ", 'assistant_etp': -1"), ""),
	    "/members/0/assistant_etp", "between 0 and");
	load_error(CONTRACT("2025-01-01", "1.0", "3", "400", "", ""), "/members", "non-empty");
	load_error(json("{'id': 'ct', 'structure': 'cab', 'specialty': 'gp', 'start': '2025-01-01',"
			" 'components': [{'kind': 'assistent', 'etp': 1, 'years': 3}],"
			" 'collective_objective': 400, 'members': [" OK_MEMBERS "]}"),
		   "/components/0/kind", "did you mean \"assistant\"");
	load_error(json("{'id': 'ct', 'structure': 'cab', 'specialty': 'gp', 'start': '2025-01-01',"
			" 'components': [{'kind': 'assistant', 'etp': 1, 'years': 3},"
			" {'kind': 'forfait', 'etp': 1, 'years': 1}],"
			" 'collective_objective': 400, 'members': [" OK_MEMBERS "]}"),
		   "/components/1/etp", "unknown key \"etp\"");
	load_error(json("{'id': 'ct', 'structure': 'cab', 'specialty': 'gp', 'start': '2025-01-01',"
			" 'components': [{'kind': 'forfait', 'years': 1}],"
			" 'collective_objective': 400, 'members': [" OK_MEMBERS "]}"),
		   "/components", "must include an assistant component");
	load_error(json("{'id': 'ct', 'structure': 'cab', 'specialty': 'gp', 'start': '2025-01-01',"
			" 'components': [{'kind': 'assistant', 'etp': 1, 'years': 3},"
			" {'kind': 'assistant', 'etp': 1, 'years': 3}],"
			" 'collective_objective': 400, 'members': [" OK_MEMBERS "]}"),
		   "/components/1/kind", "a second assistant component");
	load_error(json("{'id': 'ct', 'structure': 'cab', 'specialty': 'gp', 'start': '2025-01-01',"
			" 'components': {}, 'collective_objective': 400, 'members': [" OK_MEMBERS
			"]}"),
		   "/components", "must be an array");
	load_error(json("{'id': 'ct', 'structure': 'cab', 'specialty': 'gp', 'start': '2025-01-01',"
			" 'collective_objective': 400, 'members': [" OK_MEMBERS "]}"),
		   "/components", "missing required key");
	load_error(json("{'id': 7, 'structure': 'cab', 'specialty': 'gp', 'start': '2025-01-01',"
			" 'components': [{'kind': 'assistant', 'etp': 1, 'years': 3}],"
			" 'collective_objective': 400, 'members': [" OK_MEMBERS "]}"),
		   "/id", "must be a non-empty string, got a number");
}

static void loader_checks_events(void **state)
{
	(void)state;
	load_error(CONTRACT("2025-01-01", "1.0", "3", "400", OK_MEMBERS,
			    "{'date': '2026-01-01',"
			    " 'type': 'quit', 'doctor': 'd1'}"),
		   "/events/0/type", "must be one of");
	load_error(CONTRACT("2025-01-01", "1.0", "3", "400", OK_MEMBERS,
			    "{'date': '2026-01-01', 'type': 'leave'}"),
		   "/events/0/doctor", "missing required key");
	load_error(CONTRACT("2025-01-01", "1.0", "3", "400", OK_MEMBERS,
			    "{'date': '2026-01-01', 'type': 'suspend', 'doctor': 'd1'}"),
		   "/events/0/doctor", "unknown key");
	load_error(CONTRACT("2025-01-01", "1.0", "3", "400", OK_MEMBERS,
			    "{'date': '2026-01-01', 'type': 'leave', 'doctor': 'd1',"
			    " 'declared_on': '2025-01-01'}"),
		   "/events/0/declared_on", "unknown key");
	judged(CONTRACT("2025-01-01", "1.0", "3", "400", OK_MEMBERS,
			"{'date': '2026-01-01', 'type': 'leave', 'doctor': 'zz'}"),
	       "structure", "/events/0/doctor", "\"zz\" is not a doctor");
	load_error(CONTRACT("2025-01-01", "1.0", "3", "400", OK_MEMBERS,
			    "{'date': '01/01/2026', 'type': 'leave', 'doctor': 'd1'}"),
		   "/events/0/date", "must be a date");
	/* What the loader refused is now judged (mid_year findings); the
	 * path is the event's place in the file, even though the events are
	 * replayed in date order. */
	judged(CONTRACT("2025-01-01", "1.0", "5", "400", OK_MEMBERS,
			"{'date': '2029-01-01', 'type': 'resume'},"
			"{'date': '2028-01-01', 'type': 'leave', 'doctor': 'd3'},"
			"{'date': '2027-01-01', 'type': 'suspend'}"),
	       "mid_year", "/events/1/doctor", "not a member");
	judged(CONTRACT("2025-01-01", "1.0", "5", "400", OK_MEMBERS,
			"{'date': '2026-01-01', 'type': 'join', 'doctor': 'd2',"
			" 'declared_on': '2025-01-01'}"),
	       "mid_year", "/events/0/doctor", "already a member");
	judged(CONTRACT("2025-01-01", "1.0", "5", "400", OK_MEMBERS,
			"{'date': '2026-01-01', 'type': 'resume'}"),
	       "mid_year", "/events/0/type", "not suspended");
	judged(CONTRACT("2025-01-01", "1.0", "5", "400", OK_MEMBERS,
			"{'date': '2026-01-01', 'type': 'suspend'},"
			"{'date': '2026-02-01', 'type': 'suspend'}"),
	       "mid_year", "/events/1/type", "already suspended");
	/* The committed years run [2025-01-01, 2028-01-01): an event on the
	 * anniversary that ends them is the normal way out, not an error. */
	not_judged_at(CONTRACT("2025-01-01", "1.0", "3", "400", OK_MEMBERS,
			       "{'date': '2028-01-01', 'type': 'leave', 'doctor': 'd1'}"),
		      "/events/0/date");
	judged(CONTRACT("2025-01-01", "1.0", "3", "400", OK_MEMBERS,
			"{'date': '2024-12-31', 'type': 'leave', 'doctor': 'd1'}"),
	       "mid_year", "/events/0/date", "before the start");
	load_error(json("{'id': 'ct', 'structure': 'cab', 'specialty': 'gp', 'start': '2025-01-01',"
			" 'components': [{'kind': 'assistant', 'etp': 1, 'years': 3}],"
			" 'collective_objective': 400, 'members': [" OK_MEMBERS "], 'events': {}}"),
		   "/events", "must be an array");
}

/* Events without "events" at all, in any order: fine, and sorted. */
static void events_are_optional_and_sorted_by_date(void **state)
{
	(void)state;
	env e;
	env_load(&e, "sum_individual", "0");
	assert_int_equal(
	    env_parse(&e, json("{'id': 'ct', 'structure': 'cab', 'specialty': 'gp',"
			       " 'start': '2025-01-01', 'components': [{'kind':"
			       " 'assistant', 'etp': 1, 'years': 3}],"
			       " 'collective_objective': 400, 'members': [" OK_MEMBERS "]}")),
	    MUTU_OK);
	assert_int_equal(e.ct.nevents, 0);
	mutu_contract_free(&e.ct);
	assert_int_equal(env_parse(&e, CONTRACT("2025-01-01", "1.0", "5", "400", OK_MEMBERS,
						"{'date': '2027-01-01', 'type': 'resume'},"
						"{'date': '2026-01-01', 'type': 'suspend'}")),
			 MUTU_OK);
	assert_int_equal(e.ct.nevents, 2);
	assert_int_equal(e.ct.events[0].type, MUTU_EVENT_SUSPEND);
	assert_int_equal(e.ct.events[0].index, 1);
	assert_int_equal(e.ct.events[1].index, 0);
	env_free(&e);
}

/* ---------------- reports ---------------- */

static void json_report_lists_findings(void **state)
{
	(void)state;
	env e;
	env_load(&e, "sum_individual", "0");
	assert_int_equal(env_parse(&e, CONTRACT("2025-01-01", "1.0", "3", "400",
						M("d1", "200", HALF) "," M("d2", "201", HALF), "")),
			 MUTU_OK);
	assert_int_equal(mutu_contract_validate(&e.f, &e.ct, &e.rules, &e.cab), MUTU_OK);
	char *text = mutu_report_findings(&e.ct, &e.f, MUTU_FORMAT_JSON);
	assert_non_null(text);
	/* a warning only: valid */
	assert_non_null(strstr(text, "\"valid\":\ttrue"));
	assert_non_null(strstr(text, "\"code\":\t\"capacity\""));
	assert_non_null(strstr(text, "\"severity\":\t\"warning\""));
	assert_non_null(strstr(text, "\"path\":\t\"/members/1/share\""));
	free(text);
	text = mutu_report_findings(&e.ct, &e.f, MUTU_FORMAT_TEXT);
	assert_non_null(text);
	assert_non_null(strstr(text, "ct: valid, 1 warning\n"));
	free(text);
	env_free(&e);
}

/* ---------------- example contracts ---------------- */

/* Reads a whole file; NULL when it cannot. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
		if (n + 1 >= cap) {
			char *b = realloc(buf, cap * 2);
			if (!b) {
				free(buf);
				buf = NULL;
			}
			buf = b;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

/* "# key: value" in `text`, copied into `out`; false when absent. */
static bool header(const char *text, const char *key, char *out, size_t size)
{
	char pat[64];
	snprintf(pat, sizeof pat, "# %s: ", key);
	const char *p = strstr(text, pat);
	if (!p)
		return false;
	p += strlen(pat);
	size_t n = strcspn(p, "\n");
	snprintf(out, size, "%.*s", (int)n, p);
	return true;
}

/* Checks one scenarios/contracts/NAME.json against NAME.expected: its
 * "# cabinet:" and "# rules:" (relative to the repository root) and one
 * "code path" line per finding, in order ("load path" when the contract
 * must fail to load with an error there). */
static void check_example(const char *dir, const char *name)
{
	char path[512], cabinet[256], rules[256], full[600];
	snprintf(path, sizeof path, "%s/%.*s.expected", dir, (int)(strlen(name) - 5), name);
	char *exp = slurp(path);
	if (!exp)
		fprintf(stderr, "%s: missing\n", path);
	assert_non_null(exp);
	assert_true(header(exp, "cabinet", cabinet, sizeof cabinet));
	assert_true(header(exp, "rules", rules, sizeof rules));
	mutu_rules r;
	mutu_cabinet cab;
	mutu_contract ct;
	mutu_findings f = {0};
	mutu_errors errs;
	mutu_errors_clear(&errs);
	snprintf(full, sizeof full, "../%s", rules);
	assert_int_equal(mutu_rules_load(&r, full, &errs), MUTU_OK);
	snprintf(full, sizeof full, "../%s", cabinet);
	assert_int_equal(mutu_cabinet_load(&cab, &r, full, &errs), MUTU_OK);
	snprintf(full, sizeof full, "%s/%s", dir, name);
	int rc = mutu_contract_load(&ct, &r, &cab, full, &errs);
	/* The findings (or load errors) as "code path" lines. */
	char got[8192] = "", want[8192] = "";
	size_t n = 0;
	if (rc != MUTU_OK) {
		for (size_t i = 0; i < errs.count; i++)
			n += (size_t)snprintf(got + n, sizeof got - n, "load %s\n",
					      errs.items[i].path);
	} else {
		assert_int_equal(mutu_contract_validate(&f, &ct, &r, &cab), MUTU_OK);
		for (size_t i = 0; i < f.count; i++)
			n += (size_t)snprintf(got + n, sizeof got - n, "%s %s\n", f.items[i].code,
					      f.items[i].path);
	}
	n = 0;
	for (const char *line = exp; *line;) {
		size_t len = strcspn(line, "\n");
		if (len && line[0] != '#')
			n += (size_t)snprintf(want + n, sizeof want - n, "%.*s\n", (int)len, line);
		line += len + (line[len] == '\n');
	}
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "%s: expected\n%sgot\n%s", name, want, got);
		for (size_t i = 0; i < f.count; i++)
			fprintf(stderr, "  %s: %s\n", f.items[i].path, f.items[i].message);
		print_errors(&errs);
	}
	assert_string_equal(got, want);
	mutu_findings_free(&f);
	mutu_contract_free(&ct);
	mutu_cabinet_free(&cab);
	mutu_rules_free(&r);
	free(exp);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void example_contracts_give_their_expected_findings(void **state)
{
	(void)state;
	const char *dir = "../scenarios/contracts";
	DIR *d = opendir(dir);
	assert_non_null(d);
	char *names[256];
	size_t n = 0;
	for (struct dirent *de; (de = readdir(d)) && n < 256;) {
		size_t len = strlen(de->d_name);
		if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	assert_true(n >= 6);
	for (size_t i = 0; i < n; i++) {
		check_example(dir, names[i]);
		free(names[i]);
	}
}

/* ---------------- solve --emit-contract round trip ---------------- */

/* Every plan solve finds for the example cabinets must make a contract
 * that validates without errors, under both objective bases. */
static void emitted_contracts_validate_without_errors(void **state)
{
	(void)state;
	static const char *const rules_files[] = {
	    "../scenarios/rules/convention-2024.json",
	    "../scenarios/rules/variants/pooled-objective.json"};
	const char *dir = "../scenarios/cabinets";
	size_t checked = 0;
	for (size_t ri = 0; ri < 2; ri++) {
		mutu_rules r;
		mutu_errors errs;
		mutu_errors_clear(&errs);
		assert_int_equal(mutu_rules_load(&r, rules_files[ri], &errs), MUTU_OK);
		DIR *d = opendir(dir);
		assert_non_null(d);
		for (struct dirent *de; (de = readdir(d));) {
			size_t len = strlen(de->d_name);
			if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
				continue;
			char path[512];
			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
			mutu_cabinet cab;
			mutu_analysis an;
			assert_int_equal(mutu_cabinet_load(&cab, &r, path, &errs), MUTU_OK);
			assert_int_equal(mutu_analysis_run(&an, &r, &cab, true, NULL), MUTU_OK);
			for (size_t g = 0; g < an.ngroups; g++) {
				char *text = mutu_report_contract(&an, g);
				if (!text)
					continue;
				mutu_contract ct;
				mutu_findings f;
				int rc = mutu_contract_parse(&ct, &r, &cab, text, strlen(text),
							     "emitted.json", &errs);
				if (rc != MUTU_OK)
					print_errors(&errs);
				assert_int_equal(rc, MUTU_OK);
				assert_int_equal(mutu_contract_validate(&f, &ct, &r, &cab),
						 MUTU_OK);
				if (mutu_findings_errors(&f) != 0) {
					fprintf(stderr, "%s under %s:\n%s", de->d_name,
						rules_files[ri], text);
					for (size_t i = 0; i < f.count; i++)
						fprintf(stderr, "  %s %s: %s\n", f.items[i].code,
							f.items[i].path, f.items[i].message);
				}
				assert_int_equal(mutu_findings_errors(&f), 0);
				checked++;
				mutu_findings_free(&f);
				mutu_contract_free(&ct);
				free(text);
			}
			mutu_analysis_free(&an);
			mutu_cabinet_free(&cab);
		}
		closedir(d);
		mutu_rules_free(&r);
	}
	mutu_solver_release(); /* GLPK's environment, for valgrind */
	/* Nine example cabinets, most with a plan under each basis. */
	assert_true(checked >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(valid_sum_individual_contract_has_no_findings),
	    cmocka_unit_test(valid_pooled_contract_has_no_findings),
	    cmocka_unit_test(other_structure_is_a_structure_error),
	    cmocka_unit_test(cardiologist_in_gp_contract_is_a_specialty_error),
	    cmocka_unit_test(single_member_is_a_size_error),
	    cmocka_unit_test(five_members_is_a_size_error),
	    cmocka_unit_test(declaration_after_start_is_a_declaration_error),
	    cmocka_unit_test(declaration_on_start_day_is_in_time),
	    cmocka_unit_test(sector_2_member_is_an_eligibility_error),
	    cmocka_unit_test(two_year_assistant_component_is_a_lock_in_error),
	    cmocka_unit_test(leave_one_day_after_anniversary_is_a_mid_year_error),
	    cmocka_unit_test(leave_one_day_before_anniversary_is_a_mid_year_error),
	    cmocka_unit_test(leave_on_anniversary_after_lock_in_is_allowed),
	    cmocka_unit_test(leave_after_forfait_but_before_assistant_lock_in_is_a_mid_year_error),
	    cmocka_unit_test(second_anniversary_leave_is_before_lock_in),
	    cmocka_unit_test(leap_day_start_anniversary_falls_on_28_february),
	    cmocka_unit_test(leap_day_start_lock_in_ends_on_28_february),
	    cmocka_unit_test(join_on_anniversary_with_declaration_is_allowed),
	    cmocka_unit_test(join_declared_after_joining_is_a_declaration_error),
	    cmocka_unit_test(join_without_declaration_is_a_declaration_error),
	    cmocka_unit_test(join_one_day_off_anniversary_is_a_mid_year_error),
	    cmocka_unit_test(joiner_lock_in_counts_from_its_join),
	    cmocka_unit_test(leave_down_to_one_member_is_a_size_error),
	    cmocka_unit_test(individual_contract_ending_on_start_day_is_a_cumul_error),
	    cmocka_unit_test(individual_contract_ending_the_day_before_is_no_cumul),
	    cmocka_unit_test(cumul_counts_the_members_own_period),
	    cmocka_unit_test(four_etp_is_an_etp_error),
	    cmocka_unit_test(pooled_etp_off_the_step_is_an_etp_error),
	    cmocka_unit_test(pooled_etp_above_per_doctor_cap_is_an_etp_error),
	    cmocka_unit_test(assistant_etp_not_summing_to_e_is_an_etp_error),
	    cmocka_unit_test(join_with_option_above_total_is_an_etp_error),
	    cmocka_unit_test(pooled_objective_below_t_n_is_an_objective_error),
	    cmocka_unit_test(pooled_objective_is_t_n_for_members_and_e),
	    cmocka_unit_test(sum_individual_objective_below_sum_is_an_objective_error),
	    cmocka_unit_test(sum_individual_e_not_sum_of_options_is_an_objective_error),
	    cmocka_unit_test(option_closed_in_zone_is_an_objective_error),
	    cmocka_unit_test(option_under_pooled_is_an_objective_warning),
	    cmocka_unit_test(shares_below_objective_is_a_split_error),
	    cmocka_unit_test(share_below_floor_is_a_split_error),
	    cmocka_unit_test(floor_is_rounded_down_to_whole_patients),
	    cmocka_unit_test(share_above_capacity_is_a_capacity_warning),
	    cmocka_unit_test(capacity_is_rounded_up_to_whole_patients),
	    cmocka_unit_test(max_new_patients_caps_capacity),
	    cmocka_unit_test(assistant_etp_sets_each_capacity),
	    cmocka_unit_test(findings_are_sorted_by_path_then_code),
	    cmocka_unit_test(pointer_indices_sort_as_numbers),
	    cmocka_unit_test(loader_reports_each_error_with_its_pointer),
	    cmocka_unit_test(loader_checks_events),
	    cmocka_unit_test(events_are_optional_and_sorted_by_date),
	    cmocka_unit_test(json_report_lists_findings),
	    cmocka_unit_test(example_contracts_give_their_expected_findings),
	    cmocka_unit_test(emitted_contracts_validate_without_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

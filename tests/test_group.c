/* The pooled model on small groups worked by hand: which constraint a
 * group without a contract runs into, and the group formation rules. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include "mutu/rules.h"

#include "mutu/analysis.h"
#include "mutu/group.h"
#include "testutil.h"

/* Two members P = 1000, h = 0.05, g = 0.3, amax = 1: capacity with E ETP
 * is 2 x 50 + 300 E.  One pooled level E = 1 (capacity 400). */
static mutu_gp_member members[2] = {{.p = 1000, .headroom = 0.05, .gain = 0.3, .max_new = -1},
				    {.p = 1000, .headroom = 0.05, .gain = 0.3, .max_new = -1}};

static mutu_group_problem pooled(mutu_gp_choice *level, mutu_goal goal)
{
	mutu_group_problem gp = {.basis = MUTU_BASIS_POOLED,
				 .goal = goal,
				 .m = 2,
				 .members = members,
				 .levels = level,
				 .nlevels = 1,
				 .cost_per_etp = 180000,
				 .value_per_patient = 0,
				 .floor_share = 0,
				 .max_etp_per_doctor = 1,
				 .max_etp_total = 10};
	return gp;
}

static mutu_group_solution solve(const mutu_group_problem *gp)
{
	mutu_solve_options opts = {.goal = gp->goal, .time_limit_ms = 0};
	mutu_group_solution sol;
	mutu_error err;
	memset(&err, 0, sizeof err);
	assert_int_equal(mutu_group_solve(&sol, gp, &opts, &err), 0);
	return sol;
}

/* T = 401 > 400, the most both can take: capacity binds. */
static void objective_above_capacity_binds_capacity(void **state)
{
	(void)state;
	mutu_gp_choice level = {.etp = 1, .objective = 401, .aid = 200000, .option = -1};
	mutu_group_problem gp = pooled(&level, MUTU_GOAL_NET_BENEFIT);
	mutu_group_solution sol = solve(&gp);
	assert_int_equal(sol.status, MUTU_GROUP_NO_CONTRACT);
	assert_int_equal(sol.binding, MUTU_BIND_CAPACITY);
	assert_near(sol.net, 0, 0);
	mutu_group_solution_free(&sol);
}

/* The first member can take at most 150 (max_new); with phi = 1 each must
 * carry 400 x 1/2 = 200: only the floor forbids the plan, since without it
 * 140 + 260 = 400 fits. */
static void floor_above_one_members_cap_binds_floor(void **state)
{
	(void)state;
	mutu_gp_choice level = {.etp = 1, .objective = 400, .aid = 200000, .option = -1};
	mutu_group_problem gp = pooled(&level, MUTU_GOAL_NET_BENEFIT);
	mutu_gp_member capped[2] = {members[0], members[1]};
	capped[0].max_new = 150;
	gp.members = capped;
	gp.floor_share = 1;
	mutu_group_solution sol = solve(&gp);
	assert_int_equal(sol.status, MUTU_GROUP_NO_CONTRACT);
	assert_int_equal(sol.binding, MUTU_BIND_FLOOR);
	mutu_group_solution_free(&sol);
	/* Without the floor: units of 0.1 ETP give each member 50 + 30 k_i
	 * and k_1 + k_2 = 10.  k_1 = 3: 140 + 260 = 400 fits; k_1 = 4 leaves
	 * member 1 at 150 (max_new) and member 2 at 50 + 180 = 230: 380 <
	 * 400.  So x = 140, 260, in whole patients. */
	gp.floor_share = 0;
	sol = solve(&gp);
	assert_int_equal(sol.status, MUTU_GROUP_OPTIMAL);
	assert_near(sol.patients[0], 140, 0);
	assert_near(sol.patients[1], 260, 0);
	assert_near(sol.assistant_etp[0], 0.3, 1e-12);
	assert_near(sol.assistant_etp[1], 0.7, 1e-12);
	mutu_group_solution_free(&sol);
}

/* NET = 100000 - 180000 = -80000 < 0: no contract under net_benefit;
 * under patients no plan has NET >= 0 either. */
static void losing_plan_binds_net(void **state)
{
	(void)state;
	mutu_gp_choice level = {.etp = 1, .objective = 100, .aid = 100000, .option = -1};
	mutu_group_problem gp = pooled(&level, MUTU_GOAL_NET_BENEFIT);
	mutu_group_solution sol = solve(&gp);
	assert_int_equal(sol.status, MUTU_GROUP_NO_CONTRACT);
	assert_int_equal(sol.binding, MUTU_BIND_NET);
	mutu_group_solution_free(&sol);
	gp.goal = MUTU_GOAL_PATIENTS;
	sol = solve(&gp);
	assert_int_equal(sol.status, MUTU_GROUP_NO_CONTRACT);
	assert_int_equal(sol.binding, MUTU_BIND_NET);
	mutu_group_solution_free(&sol);
}

static void no_level_binds_no_option(void **state)
{
	(void)state;
	mutu_group_problem gp = pooled(NULL, MUTU_GOAL_NET_BENEFIT);
	gp.nlevels = 0;
	mutu_group_solution sol = solve(&gp);
	assert_int_equal(sol.status, MUTU_GROUP_NO_CONTRACT);
	assert_int_equal(sol.binding, MUTU_BIND_NO_OPTION);
	mutu_group_solution_free(&sol);
}

/* A plan: NET = 200000 - 180000 = 20000, T = 100 split at the same rate
 * (u = 100 / 2000 = 0.05, the least largest rate), E = 1. */
static void feasible_plan_has_hand_figures(void **state)
{
	(void)state;
	mutu_gp_choice level = {.etp = 1, .objective = 100, .aid = 200000, .option = -1};
	mutu_group_problem gp = pooled(&level, MUTU_GOAL_NET_BENEFIT);
	mutu_group_solution sol = solve(&gp);
	assert_int_equal(sol.status, MUTU_GROUP_OPTIMAL);
	assert_near(sol.net, 20000, 1e-6);
	assert_near(sol.cost, 180000, 1e-6);
	assert_near(sol.objective, 100, 0);
	assert_near(sol.max_rate, 0.05, 1e-9);
	assert_near(sol.patients[0] + sol.patients[1], 100, 1e-6);
	assert_near(sol.assistant_etp[0] + sol.assistant_etp[1], 1, 1e-9);
	mutu_group_solution_free(&sol);
}

/* P = 1000 and 1300, h = 0.05, g = 0.3, amax 0.5, one level E = 1,
 * T = 291 (the tiny-pair example).  Units of 0.1 ETP: each member 5 units
 * (0.5 ETP each, the most), capacities 200 and 260.  Whole patients,
 * x_1 + x_2 = 291, least max(x_1 / 1000, x_2 / 1300): x_1 = 126 gives
 * max(0.126, 165 / 1300 = 0.12692) = 0.12692; x_1 = 127 gives
 * max(0.127, 0.12615) = 0.127; so x = 126, 165, u = 165 / 1300 (the
 * equal-rate split 126.52 / 164.48 is not a plan anyone can sign). */
static void whole_patients_sum_exactly_to_the_objective(void **state)
{
	(void)state;
	mutu_gp_member mb[2] = {{1000, 0.05, 0.3, -1, NULL, 0}, {1300, 0.05, 0.3, -1, NULL, 0}};
	mutu_gp_choice level = {.etp = 1, .objective = 291, .aid = 200000, .option = -1};
	mutu_group_problem gp = {.basis = MUTU_BASIS_POOLED,
				 .goal = MUTU_GOAL_NET_BENEFIT,
				 .m = 2,
				 .members = mb,
				 .levels = &level,
				 .nlevels = 1,
				 .cost_per_etp = 180000,
				 .max_etp_per_doctor = 0.5,
				 .max_etp_total = 10,
				 .etp_unit = 0.1};
	mutu_group_solution sol = solve(&gp);
	assert_int_equal(sol.status, MUTU_GROUP_OPTIMAL);
	assert_near(sol.patients[0], 126, 0);
	assert_near(sol.patients[1], 165, 0);
	assert_near(sol.assistant_etp[0], 0.5, 1e-12);
	assert_near(sol.assistant_etp[1], 0.5, 1e-12);
	assert_near(sol.max_rate, 165.0 / 1300.0, 1e-12);
	mutu_group_solution_free(&sol);
	/* Half an ETP as the unit changes nothing here; a unit of 0.25 with
	 * amax 0.5 neither (2 units each). */
	gp.etp_unit = 0.25;
	sol = solve(&gp);
	assert_near(sol.patients[0] + sol.patients[1], 291, 0);
	assert_near(sol.max_rate, 165.0 / 1300.0, 1e-12);
	mutu_group_solution_free(&sol);
}

/* Group formation (model.md §4 "Members") on example cabinets: the
 * members and the excluded doctors with their reasons. */
static void analyse(const char *cabinet, mutu_rules *rules, mutu_cabinet *cab, mutu_analysis *an)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	assert_int_equal(mutu_rules_load(rules, "../scenarios/rules/convention-2024.json", &errs),
			 0);
	assert_int_equal(mutu_cabinet_load(cab, rules, cabinet, &errs), 0);
	mutu_solve_options opts = {.goal = MUTU_GOAL_NET_BENEFIT, .time_limit_ms = 0};
	assert_int_equal(mutu_analysis_run(an, rules, cab, true, &opts), 0);
	assert_int_equal(an->ngroups, 1);
}

static void release(mutu_rules *rules, mutu_cabinet *cab, mutu_analysis *an)
{
	mutu_analysis_free(an);
	mutu_cabinet_free(cab);
	mutu_rules_free(rules);
}

/* Start 2025-01-01: a contract ending 2026-05-31 is in force (excluded);
 * one that ended 2024-12-31, the day before, is not (member). */
static void contract_in_force_at_start_excludes_a_doctor(void **state)
{
	(void)state;
	mutu_rules rules;
	mutu_cabinet cab;
	mutu_analysis an;
	analyse("../scenarios/cabinets/contract-in-force.json", &rules, &cab, &an);
	const mutu_group *g = &an.groups[0];
	assert_int_equal(g->nmembers, 2);
	assert_string_equal(cab.doctors[g->members[0]].id, "gp-just-ended");
	assert_string_equal(cab.doctors[g->members[1]].id, "gp-no-contract");
	assert_int_equal(g->nexcluded, 1);
	assert_string_equal(cab.doctors[g->excluded[0]].id, "gp-in-force");
	assert_string_equal(g->excluded_reason[0],
			    "individual assistant contract in force until 2026-05-31");
	release(&rules, &cab, &an);
}

/* A declaration on the start day counts; one after it does not. */
static void declaration_after_start_excludes_a_doctor(void **state)
{
	(void)state;
	mutu_rules rules;
	mutu_cabinet cab;
	mutu_analysis an;
	analyse("../scenarios/cabinets/late-declaration.json", &rules, &cab, &an);
	const mutu_group *g = &an.groups[0];
	assert_int_equal(g->nmembers, 2);
	assert_string_equal(cab.doctors[g->members[1]].id, "gp-on-the-day");
	assert_int_equal(g->nexcluded, 1);
	assert_string_equal(g->excluded_reason[0],
			    "declared on 2025-01-15, after the contract start 2025-01-01");
	release(&rules, &cab, &an);
}

/* ---- the exported model, read back by glpsol ----------------------- */

/* Runs `cmd` and returns the stage-1 optimum glpsol printed in `out`
 * ("Objective:  NAME = V (MAXimum)"), or NAN when it failed. */
static double glpsol_optimum(const char *cmd, const char *out)
{
	if (system(cmd) != 0)
		return NAN;
	FILE *f = fopen(out, "r");
	char line[512];
	double v = NAN;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "Objective: %*s = %lf", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

/* Writes `gp` in both formats and reads each file back with glpsol, which
 * must find `want` as the stage-1 optimum. */
static void export_reads_back(const mutu_group_problem *gp, const char *const *ids,
			      const char *const *opts, double want)
{
	char dir[] = "/tmp/mutu-export-XXXXXX";
	assert_non_null(mkdtemp(dir));
	for (int lp = 0; lp < 2; lp++) {
		char model[64], out[64], cmd[256];
		mutu_error err;
		memset(&err, 0, sizeof err);
		snprintf(model, sizeof model, "%s/model.%s", dir, lp ? "lp" : "mps");
		snprintf(out, sizeof out, "%s/out.txt", dir);
		assert_int_equal(mutu_group_export(gp, ids, opts, lp, model, &err), 0);
		snprintf(cmd, sizeof cmd, "glpsol %s %s --max -o %s >/dev/null 2>&1",
			 lp ? "--lp" : "--freemps", model, out);
		double got = glpsol_optimum(cmd, out);
		if (!(fabs(got - want) <= 1e-6 * fabs(want)))
			fail_msg("%s: glpsol gives %.10g, expected %.10g", model, got, want);
		/* Every member is named once in the map, whatever its id. */
		FILE *f = fopen(model, "r");
		char line[512];
		size_t named = 0;
		while (f && fgets(line, sizeof line, f))
			for (size_t i = 0; i < gp->m; i++) {
				char want_line[128];
				snprintf(want_line, sizeof want_line, "%s member %zu: %s\n",
					 lp ? "\\" : "*", i + 1, ids[i]);
				named += strcmp(line, want_line) == 0;
			}
		if (f)
			fclose(f);
		assert_int_equal(named, gp->m);
		remove(model);
		remove(out);
	}
	rmdir(dir);
}

/* Three members whose ids differ only by punctuation, P = 1000, h = 0,
 * g = 0.5, amax 1, one option each (1 ETP, 300 patients, aid 200 000):
 * all three fit (300 <= 500 a_i), NET = 3 x (200 000 - 180 000) = 60 000.
 * Under the patients goal T = 900.  Pooled: the level of 1 ETP (T = 100,
 * aid 200 000) gives NET 20 000. */
static void exported_models_read_back_in_glpsol(void **state)
{
	(void)state;
	mutu_gp_choice c[3] = {{1, 300, 200000, 0}, {1, 300, 200000, 0}, {1, 300, 200000, 0}};
	mutu_gp_member mb[3];
	for (size_t i = 0; i < 3; i++)
		mb[i] = (mutu_gp_member){1000, 0, 0.5, -1, &c[i], 1};
	const char *ids[3] = {"d.1", "d 1", "d_1"};
	const char *opts[1] = {"full"};
	mutu_group_problem gp = {.basis = MUTU_BASIS_SUM_INDIVIDUAL,
				 .goal = MUTU_GOAL_NET_BENEFIT,
				 .m = 3,
				 .members = mb,
				 .cost_per_etp = 180000,
				 .floor_share = 0.5,
				 .max_etp_per_doctor = 1,
				 .max_etp_total = 10};
	export_reads_back(&gp, ids, opts, 60000);
	gp.goal = MUTU_GOAL_PATIENTS;
	export_reads_back(&gp, ids, opts, 900);
	mutu_gp_choice level = {.etp = 1, .objective = 100, .aid = 200000, .option = -1};
	mutu_group_problem pg = pooled(&level, MUTU_GOAL_NET_BENEFIT);
	export_reads_back(&pg, ids, opts, 20000);
}

/* ---- notional options and their conditions (model.md §4) ----------- */

/* Three GPs in a ZIP from 2025-01-01: one held a full-time contract from
 * 2022-06-01 until 2024-12-31, the day before the start (held 2 years by
 * then, and moving into the pooled contract); one from 2023-06-01 (1.6
 * years: too recent); one never.  Under "apply" only the first may bring
 * the 1.5 and 2 ETP options; under "waive" all three may. */
static const char *const conditions_cabinet =
    "{\"id\": \"zip3\", \"zone\": \"zip\", \"contract_start\": \"2025-01-01\", \"doctors\": ["
    "{\"id\": \"held\", \"specialty\": \"generaliste\", \"sector\": \"1\", \"pmt\": 1200,"
    " \"fa\": 1500, \"volunteer\": true, \"contracts\": [{\"kind\": \"assistant\","
    " \"option\": \"full\", \"start\": \"2022-06-01\", \"end\": \"2024-12-31\"}]},"
    "{\"id\": \"recent\", \"specialty\": \"generaliste\", \"sector\": \"1\", \"pmt\": 1200,"
    " \"fa\": 1500, \"volunteer\": true, \"contracts\": [{\"kind\": \"assistant\","
    " \"option\": \"full\", \"start\": \"2023-06-01\", \"end\": \"2024-12-31\"}]},"
    "{\"id\": \"never\", \"specialty\": \"generaliste\", \"sector\": \"1\", \"pmt\": 1200,"
    " \"fa\": 1500, \"volunteer\": true}]}";

static size_t refused(const mutu_group *g, size_t member, const mutu_rules *rules,
		      const char *option, const char **reason)
{
	size_t n = 0;
	for (size_t r = 0; r < g->nrefusals; r++)
		if (g->refusals[r].member == member &&
		    strcmp(rules->options[g->refusals[r].option].id, option) == 0) {
			n++;
			*reason = g->refusals[r].reason;
		}
	return n;
}

static void notional_options_follow_their_conditions(const char *rules_file, bool waive)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_rules rules;
	mutu_cabinet cab;
	mutu_analysis an;
	assert_int_equal(mutu_rules_load(&rules, rules_file, &errs), 0);
	assert_int_equal(mutu_cabinet_parse(&cab, &rules, conditions_cabinet,
					    strlen(conditions_cabinet), "zip3.json", &errs),
			 0);
	mutu_solve_options opts = {.goal = MUTU_GOAL_NET_BENEFIT, .time_limit_ms = 0};
	assert_int_equal(mutu_analysis_run(&an, &rules, &cab, true, &opts), 0);
	const mutu_group *g = &an.groups[0];
	assert_true(g->formed);
	assert_int_equal(g->nmembers, 3);
	const char *reason = NULL;
	for (size_t i = 0; i < 3; i++) {
		size_t want = waive || i == 0 ? 0 : 1;
		assert_int_equal(refused(g, i, &rules, "double", &reason), want);
		assert_int_equal(refused(g, i, &rules, "one-and-half", &reason), want);
		assert_int_equal(refused(g, i, &rules, "full", &reason), 0);
		/* The member's choices are the options he may bring. */
		size_t open = 0;
		for (size_t c = 0; c < g->problem.members[i].nchoices; c++)
			open += strcmp(rules.options[g->problem.members[i].choices[c].option].id,
				       "double") == 0;
		assert_int_equal(open, 1 - want);
	}
	if (!waive) {
		refused(g, 2, &rules, "double", &reason);
		assert_string_equal(reason,
				    "option double: needs an assistant contract of option full "
				    "held 2 years");
	}
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);
	mutu_rules_free(&rules);
}

static void notional_options_need_their_condition_under_apply(void **state)
{
	(void)state;
	notional_options_follow_their_conditions("../scenarios/rules/convention-2024.json", false);
}

static void notional_conditions_waived_leave_zone_and_specialty(void **state)
{
	(void)state;
	notional_options_follow_their_conditions("../scenarios/rules/variants/notional-waive.json",
						 true);
}

/* Bad mutualisation values: the usual file: /pointer: message. */
static void bad_etp_unit_or_conditions_are_input_errors(void **state)
{
	(void)state;
	static const char *const docs[][2] = {
	    {"{\"extends\": \"../convention-2024.json\", \"mutualisation\": {\"etp_unit\": 0}}",
	     "/mutualisation/etp_unit"},
	    {"{\"extends\": \"../convention-2024.json\", \"mutualisation\": {\"etp_unit\": 3}}",
	     "/mutualisation/etp_unit"},
	    {"{\"extends\": \"../convention-2024.json\","
	     " \"mutualisation\": {\"notional_conditions\": \"ignore\"}}",
	     "/mutualisation/notional_conditions"}};
	for (size_t k = 0; k < sizeof docs / sizeof docs[0]; k++) {
		mutu_errors errs;
		mutu_errors_clear(&errs);
		mutu_rules rules;
		int rc = mutu_rules_parse(&rules, docs[k][0], strlen(docs[k][0]),
					  "../scenarios/rules/variants/bad.json", &errs);
		assert_int_equal(rc, MUTU_EINPUT);
		bool named = false;
		for (size_t e = 0; e < errs.count; e++)
			named |= strcmp(errs.items[e].path, docs[k][1]) == 0;
		if (!named)
			fail_msg("case %zu: no error at %s", k, docs[k][1]);
	}
}

/* ---- a large group that once ended in a solver failure ------------- */

/* splitmix64, for a seeded cabinet. */
static uint64_t next_u64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unit_draw(uint64_t *s)
{
	return ((double)(next_u64(s) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/* 100 volunteer GPs, PMT lognormal around 1 000 (sigma 0.35), in a
 * `zone` structure, under convention-2024 with floor_share 0.3,
 * max_etp_total 40 and max_doctors 200 (the group of the GLP_EFAIL
 * report): both goals end in a plan, whole and within every row. */
/* The cabinet: a JSON text to free. */
static char *hundred_gps(const char *zone)
{
	uint64_t seed = 20261201;
	char *doc = malloc(100 * 200 + 256);
	assert_non_null(doc);
	int len = sprintf(doc,
			  "{\"id\": \"gp100\", \"zone\": \"%s\", \"contract_start\": "
			  "\"2025-01-01\", \"doctors\": [",
			  zone);
	for (int i = 0; i < 100; i++) {
		double z =
		    sqrt(-2 * log(unit_draw(&seed))) * cos(6.283185307179586 * unit_draw(&seed));
		long pmt = lround(1000 * exp(0.35 * z));
		len += sprintf(
		    doc + len,
		    "%s{\"id\": \"gp%d\", \"specialty\": \"generaliste\", \"sector\": \"1\","
		    " \"pmt\": %ld, \"fa\": %ld, \"volunteer\": true}",
		    i ? ", " : "", i, pmt, pmt);
	}
	sprintf(doc + len, "]}");
	return doc;
}

static void large_group_with_floors(const char *zone)
{
	char *doc = hundred_gps(zone);
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_rules base, rules;
	assert_int_equal(mutu_rules_load(&base, "../scenarios/rules/convention-2024.json", &errs),
			 0);
	const char *ptrs[3] = {"/mutualisation/floor_share", "/mutualisation/max_etp_total",
			       "/mutualisation/max_doctors"};
	const char *vals[3] = {"0.3", "40", "200"};
	assert_int_equal(mutu_rules_vary(&rules, &base, 3, ptrs, vals, &errs), 0);
	mutu_cabinet cab;
	assert_int_equal(mutu_cabinet_parse(&cab, &rules, doc, strlen(doc), "gp100.json", &errs),
			 0);
	double stage[2][3];
	for (int run = 0; run < 4; run++) {
		/* Each goal by the table, then by GLPK's level MIPs alone: the
		 * same stage values (GLPK's basis factorisation failure on this
		 * group is recovered on that path). */
		int goal = run / 2;
		mutu_solve_options opts = {
		    .goal = (mutu_goal)goal, .time_limit_ms = 0, .mip_only = run % 2 == 1};
		mutu_analysis an;
		assert_int_equal(mutu_analysis_run(&an, &rules, &cab, true, &opts), 0);
		const mutu_group *g = &an.groups[0];
		const mutu_group_solution *sol = &an.solutions[0];
		assert_true(g->formed);
		assert_true(sol->table == (run % 2 == 0));
		double v[3] = {goal ? sol->objective : sol->net, goal ? sol->net : sol->max_rate,
			       goal ? sol->max_rate : sol->etp};
		for (int k = 0; k < 3 && run % 2 == 1; k++)
			assert_true(fabs(v[k] - stage[goal][k]) <=
				    1e-6 * fmax(1, fmax(fabs(v[k]), fabs(stage[goal][k]))));
		memcpy(stage[goal], v, sizeof v);
		if (sol->status != MUTU_GROUP_OPTIMAL)
			fail_msg("%s zone, goal %d: status %d: %s", zone, goal, (int)sol->status,
				 an.errors[0].message);
		double sum_x = 0, sum_a = 0, w = rules.mut.etp_unit;
		for (size_t i = 0; i < g->nmembers; i++) {
			assert_near(sol->patients[i], round(sol->patients[i]), 0);
			assert_near(sol->assistant_etp[i] / w, round(sol->assistant_etp[i] / w),
				    1e-9);
			sum_x += sol->patients[i];
			sum_a += sol->assistant_etp[i];
		}
		assert_near(sum_x, sol->objective, 0);
		assert_true(sum_a <= sol->etp + 1e-9 && sum_a > sol->etp - w + 1e-9);
		assert_true(sol->etp <= 40 + 1e-9);
		mutu_analysis_free(&an);
	}
	mutu_cabinet_free(&cab);
	mutu_rules_free(&rules);
	mutu_rules_free(&base);
	free(doc);
}

static void large_group_with_floors_ends_in_a_plan(void **state)
{
	(void)state;
	large_group_with_floors("standard");
	large_group_with_floors("zip");
}

/* The pooled basis with etp_step 0.01 and max_etp_total 1000 (100 GPs,
 * max_etp_per_doctor 10: tens of thousands of levels): a limit of 1 ms stops the
 * solve near 1 ms, with no plan or the best found; a large one gives the
 * plan. */
static void time_limit_is_honoured_on_many_levels(void **state)
{
	(void)state;
	char *doc = hundred_gps("standard");
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_rules base, rules;
	assert_int_equal(
	    mutu_rules_load(&base, "../scenarios/rules/variants/pooled-objective.json", &errs), 0);
	const char *ptrs[4] = {"/mutualisation/etp_step", "/mutualisation/max_etp_total",
			       "/mutualisation/max_doctors", "/mutualisation/max_etp_per_doctor"};
	const char *vals[4] = {"0.01", "1000", "200", "10"};
	assert_int_equal(mutu_rules_vary(&rules, &base, 4, ptrs, vals, &errs), 0);
	mutu_cabinet cab;
	assert_int_equal(mutu_cabinet_parse(&cab, &rules, doc, strlen(doc), "gp100.json", &errs),
			 0);
	mutu_solve_options opts = {.goal = MUTU_GOAL_NET_BENEFIT, .time_limit_ms = 600000};
	mutu_analysis an;
	assert_int_equal(mutu_analysis_run(&an, &rules, &cab, true, &opts), 0);
	/* The members eligible of the 100 (PMT strictly above P30 = 775): 78,
	 * so 78 000 levels of 0.01 ETP up to 780 ETP. */
	assert_int_equal(an.groups[0].nmembers, 78);
	assert_int_equal(an.groups[0].problem.nlevels, 78000);
	print_message("large limit: status %d after %.3f ms\n", (int)an.solutions[0].status,
		      an.solutions[0].seconds * 1e3);
	assert_int_equal(an.solutions[0].status, MUTU_GROUP_OPTIMAL);
	assert_true(an.solutions[0].etp > 0);
	/* The limit is on the clock; what the solve spends is its processor
	 * time (a loaded machine may take the processor away meanwhile). */
	opts.time_limit_ms = 1;
	mutu_group_solution sol;
	mutu_error err;
	memset(&err, 0, sizeof err);
	struct timespec c0, c1;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
	assert_int_equal(mutu_group_solve(&sol, &an.groups[0].problem, &opts, &err), 0);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
	double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
	print_message("1 ms limit: status %d after %.3f ms (%.3f ms of processor)\n",
		      (int)sol.status, sol.seconds * 1e3, cpu * 1e3);
	assert_true(sol.status == MUTU_GROUP_TIME_LIMIT || sol.status == MUTU_GROUP_OPTIMAL);
	assert_true(cpu < 0.02);
	mutu_group_solution_free(&sol);
	mutu_analysis_free(&an);
	mutu_cabinet_free(&cab);
	mutu_rules_free(&rules);
	mutu_rules_free(&base);
	free(doc);
}

/* ---- every example under every rules file (issue acceptance) -------- */

/* Names of the .json files of `dir` (at most `most`), as "dir/name". */
static size_t json_files(const char *dir, char names[][256], size_t most)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	for (struct dirent *e; d && (e = readdir(d)) && n < most;) {
		size_t len = strlen(e->d_name);
		/* The bundled names are short; a longer one is left out rather
		 * than cut. */
		if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0 &&
		    strlen(dir) + len + 2 <= 256) {
			memcpy(names[n], dir, strlen(dir));
			names[n][strlen(dir)] = '/';
			memcpy(names[n] + strlen(dir) + 1, e->d_name, len + 1);
			n++;
		}
	}
	if (d)
		closedir(d);
	return n;
}

/* Each plan: whole units of etp_unit summing to E within one unit, whole
 * patients summing to T exactly, each within its capacity, max_new and
 * floor (model.md §4 "Allocation and split"). */
static void plan_is_signable(const mutu_group *g, const mutu_group_solution *sol, const char *what)
{
	const mutu_group_problem *gp = &g->problem;
	double w = mutu_gp_etp_unit(gp), pg = 0, sum_a = 0, sum_x = 0;
	for (size_t i = 0; i < gp->m; i++)
		pg += gp->members[i].p;
	for (size_t i = 0; i < gp->m; i++) {
		const mutu_gp_member *mb = &gp->members[i];
		double a = sol->assistant_etp[i], x = sol->patients[i];
		double cap = mb->p * (mb->headroom + mb->gain * a);
		double fl = gp->floor_share > 0
				? gp->floor_share * mb->p * sol->objective / pg - 1 + 1e-6
				: 0;
		if (x != floor(x) || fabs(a / w - round(a / w)) > 1e-9 || x > cap + 1e-6 ||
		    (mb->max_new >= 0 && x > mb->max_new + 1e-9) || x < fl - 1e-9 ||
		    a > gp->max_etp_per_doctor + 1e-9)
			fail_msg("%s: member %zu: a %.17g x %.17g cap %.17g floor %.17g", what, i,
				 a, x, cap, fl);
		sum_a += a;
		sum_x += x;
	}
	if (sum_x != sol->objective || sum_a > sol->etp + 1e-9 || sum_a <= sol->etp - w + 1e-9)
		fail_msg("%s: sum a %.17g (E %g), sum x %.17g (T %g)", what, sum_a, sol->etp, sum_x,
			 sol->objective);
}

static void every_example_plan_is_signable(void **state)
{
	(void)state;
	static char rules_files[64][256], cabinets[64][256];
	size_t nr = json_files("../scenarios/rules", rules_files, 64);
	nr += json_files("../scenarios/rules/variants", rules_files + nr, 64 - nr);
	size_t nc = json_files("../scenarios/cabinets", cabinets, 64);
	size_t plans = 0;
	assert_true(nr >= 10 && nc >= 5);
	for (size_t r = 0; r < nr; r++) {
		mutu_errors errs;
		mutu_errors_clear(&errs);
		mutu_rules rules;
		assert_int_equal(mutu_rules_load(&rules, rules_files[r], &errs), 0);
		for (size_t c = 0; c < nc; c++) {
			mutu_cabinet cab;
			if (mutu_cabinet_load(&cab, &rules, cabinets[c], &errs) != 0)
				continue;
			for (int goal = 0; goal < 2; goal++) {
				mutu_solve_options opts = {.goal = (mutu_goal)goal};
				mutu_analysis an;
				char what[600];
				assert_int_equal(mutu_analysis_run(&an, &rules, &cab, true, &opts),
						 0);
				for (size_t g = 0; g < an.ngroups; g++) {
					snprintf(what, sizeof what, "%s under %s, goal %d",
						 cabinets[c], rules_files[r], goal);
					assert_int_not_equal(an.solutions[g].status,
							     MUTU_GROUP_ERROR);
					if (an.solutions[g].status != MUTU_GROUP_OPTIMAL)
						continue;
					plan_is_signable(&an.groups[g], &an.solutions[g], what);
					plans++;
				}
				mutu_analysis_free(&an);
			}
			mutu_cabinet_free(&cab);
		}
		mutu_rules_free(&rules);
	}
	print_message("examples: %zu plans checked\n", plans);
	assert_true(plans >= 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(objective_above_capacity_binds_capacity),
	    cmocka_unit_test(floor_above_one_members_cap_binds_floor),
	    cmocka_unit_test(losing_plan_binds_net),
	    cmocka_unit_test(no_level_binds_no_option),
	    cmocka_unit_test(feasible_plan_has_hand_figures),
	    cmocka_unit_test(whole_patients_sum_exactly_to_the_objective),
	    cmocka_unit_test(contract_in_force_at_start_excludes_a_doctor),
	    cmocka_unit_test(declaration_after_start_excludes_a_doctor),
	    cmocka_unit_test(exported_models_read_back_in_glpsol),
	    cmocka_unit_test(notional_options_need_their_condition_under_apply),
	    cmocka_unit_test(notional_conditions_waived_leave_zone_and_specialty),
	    cmocka_unit_test(bad_etp_unit_or_conditions_are_input_errors),
	    cmocka_unit_test(large_group_with_floors_ends_in_a_plan),
	    cmocka_unit_test(time_limit_is_honoured_on_many_levels),
	    cmocka_unit_test(every_example_plan_is_signable),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	mutu_solver_release();
	return rc;
}

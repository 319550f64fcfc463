/* Reports of an analysis: formats.md "Individual result", "Solve result",
 * "Contract", and the text and CSV forms of the same figures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "i18n.h"
#include "jsonw.h"
#include "jsonx.h"
#include "mutu/analysis.h"
#include "mutu/html.h"
#include "report.h"
#include "strbuf.h"

static const char *const status_names[] = {"optimal", "no_contract", "no_group", "time_limit",
					   "error"};
static const char *const goal_names[] = {"net_benefit", "patients"};

static const char *metric_name(const mutu_rules *r, size_t specialty)
{
	return r->specialties[specialty].metric == MUTU_METRIC_PMT ? "pmt" : "fa";
}

/* ---------------- individual ---------------- */

static jv *individual_doctor_json(const mutu_analysis *a, size_t d)
{
	const mutu_rules *r = a->rules;
	const mutu_doctor *doc = &a->cab->doctors[d];
	const mutu_doctor_eval *ev = &a->evals[d];
	jv *o = mutu_jw__object();
	mutu_jw__add_string(o, "doctor", doc->id);
	mutu_jw__add_string(o, "specialty", r->specialties[doc->specialty].name);
	mutu_jw__add_bool(o, "eligible", ev->eligible);
	if (ev->eligible)
		mutu_jw__add_null(o, "reason");
	else
		mutu_jw__add_string(o, "reason", ev->reason);
	mutu_jw__add_string(o, "band", mutu_band_name(ev->band));
	mutu_jw__add_string(o, "metric", metric_name(r, doc->specialty));
	mutu_jw__add_number(o, "value", ev->value);
	if (!ev->eligible)
		return o;
	jv *opts = mutu_jw__add_array(o, "options");
	for (size_t i = 0; i < r->noptions; i++) {
		const mutu_option_eval *oe = &ev->options[i];
		jv *j = mutu_jw__object();
		mutu_jw__add_string(j, "option", r->options[i].id);
		mutu_jw__add_number(j, "etp", r->options[i].etp);
		mutu_jw__add_bool(j, "allowed", oe->allowed);
		mutu_jw__add_number(j, "objective", oe->objective);
		mutu_jw__add_number(j, "rate", oe->rate);
		jv *years = mutu_jw__add_array(j, "aid_by_year");
		for (int k = 0; k < r->horizon_years; k++)
			mutu_jw__push(years, mutu_jw__number(oe->aid_by_year[k]));
		mutu_jw__add_number(j, "aid", oe->aid);
		mutu_jw__add_number(j, "cost", oe->cost);
		mutu_jw__add_number(j, "value", oe->value);
		mutu_jw__add_number(j, "net", oe->net);
		mutu_jw__add_number(j, "capacity", oe->capacity);
		mutu_jw__add_bool(j, "feasible", oe->feasible);
		mutu_jw__push(opts, j);
	}
	jv *best = mutu_jw__add_object(o, "best");
	if (ev->best >= 0)
		mutu_jw__add_string(best, "option", r->options[ev->best].id);
	else
		mutu_jw__add_null(best, "option");
	mutu_jw__add_number(best, "objective", ev->best_objective);
	mutu_jw__add_number(best, "net", ev->best_net);
	return o;
}

static char *print_json(jv *root, bool compact)
{
	return mutu_jw__print(root, compact, true);
}

/* A cabinet's title: "Name (id)" or the id alone. */
static void cabinet_title(strbuf *b, const mutu_cabinet *c)
{
	if (c->name)
		mutu_sb__printf(b, "%s (%s)", c->name, c->id);
	else
		mutu_sb__printf(b, "%s", c->id);
}

/* The columns of one doctor's option table, each cell a short text. */
enum { IC_OPTION, IC_OBJECTIVE, IC_AID, IC_NET, IC_FEASIBLE, IC_N };

/* Doctor ids and option ids longer than this are cut with "…": a table
 * stays readable on an 100-column terminal. */
#define ID_COLUMNS 24

static void individual_doctor_text(strbuf *b, const mutu_analysis *a, size_t d)
{
	const mutu_rules *r = a->rules;
	const mutu_doctor *doc = &a->cab->doctors[d];
	const mutu_doctor_eval *ev = &a->evals[d];
	const mutu_specialty *sp = &r->specialties[doc->specialty];
	mutu_lang lang = mutu_i18n__current();
	char num[64];
	mutu_fmt__sb_cut(b, doc->id, ID_COLUMNS);
	mutu_fmt__integer(num, sizeof num, ev->value, lang);
	mutu_sb__printf(b, "  %s  %s %s", sp->name, sp->metric == MUTU_METRIC_PMT ? "PMT" : "FA",
			num);
	if (!ev->eligible) {
		char tr[MUTU_NOTE_SIZE];
		mutu_sb__printf(b, _("  not eligible: %s\n\n"),
				mutu_i18n__sentence(ev->reason, tr, sizeof tr));
		return;
	}
	mutu_sb__printf(b, _("  band %s, eligible\n"), mutu_i18n__band(ev->band));
	const char *head[IC_N] = {_("option"), _("objective"), _("aid by year"), _("net"),
				  _("feasible")};
	size_t rows = r->noptions;
	strbuf *cells = calloc(rows * IC_N, sizeof *cells);
	if (!cells) {
		b->failed = true;
		return;
	}
	size_t width[IC_N];
	for (int k = 0; k < IC_N; k++)
		width[k] = mutu_fmt__width(head[k]);
	for (size_t i = 0; i < rows; i++) {
		const mutu_option_eval *oe = &ev->options[i];
		strbuf *row = &cells[i * IC_N];
		mutu_fmt__sb_cut(&row[IC_OPTION], r->options[i].id, ID_COLUMNS);
		mutu_fmt__sb_number(&row[IC_OBJECTIVE], oe->objective, 0, MUTU_FMT_PLAIN, lang);
		mutu_sb__printf(&row[IC_OBJECTIVE], " (");
		mutu_fmt__sb_number(&row[IC_OBJECTIVE], oe->rate, 1,
				    MUTU_FMT_PERCENT | MUTU_FMT_PLUS, lang);
		mutu_sb__printf(&row[IC_OBJECTIVE], ")");
		for (int k = 0; k < r->horizon_years; k++) {
			if (k)
				mutu_sb__printf(&row[IC_AID], " ");
			mutu_fmt__sb_number(&row[IC_AID], oe->aid_by_year[k], 0, MUTU_FMT_PLAIN,
					    lang);
		}
		mutu_fmt__sb_number(&row[IC_NET], oe->net, 0, MUTU_FMT_MONEY, lang);
		mutu_sb__printf(&row[IC_FEASIBLE], "%s",
				!oe->allowed   ? _("no (not allowed here)")
				: oe->feasible ? _("yes")
					       : _("no (over capacity)"));
		for (int k = 0; k < IC_N; k++) {
			size_t w = row[k].s ? mutu_fmt__width(row[k].s) : 0;
			if (w > width[k])
				width[k] = w;
		}
	}
	/* Money and numbers right aligned, words left aligned; the last
	 * column is not padded (no trailing spaces). */
	static const mutu_align align[IC_N] = {MUTU_ALIGN_LEFT, MUTU_ALIGN_LEFT, MUTU_ALIGN_LEFT,
					       MUTU_ALIGN_RIGHT, MUTU_ALIGN_LEFT};
	for (size_t i = 0; i <= rows; i++) {
		for (int k = 0; k < IC_N; k++) {
			const char *t = i == 0 ? head[k] : cells[(i - 1) * IC_N + (size_t)k].s;
			mutu_sb__printf(b, "  ");
			if (k == IC_N - 1)
				mutu_sb__printf(b, "%s", t ? t : "");
			else
				mutu_fmt__sb_pad(b, t ? t : "", width[k], align[k]);
		}
		mutu_sb__printf(b, "\n");
	}
	for (size_t i = 0; i < rows * IC_N; i++) {
		b->failed |= cells[i].failed;
		free(cells[i].s);
	}
	free(cells);
	if (ev->best >= 0) {
		char patients[64], net[64];
		mutu_fmt__integer(patients, sizeof patients, ev->best_objective, lang);
		mutu_fmt__money(net, sizeof net, ev->best_net, 0, lang);
		mutu_sb__printf(b,
				P_("  best: %s, %s new patient, net %s\n\n",
				   "  best: %s, %s new patients, net %s\n\n",
				   (unsigned long)fabs(round(ev->best_objective))),
				r->options[ev->best].id, patients, net);
	} else {
		mutu_sb__printf(b,
				_("  best: none (no feasible option with a non-negative net)\n\n"));
	}
}

static void individual_text(strbuf *b, const mutu_analysis *a)
{
	const mutu_rules *r = a->rules;
	cabinet_title(b, a->cab);
	mutu_sb__printf(b,
			P_(" — rules %s, horizon %d year\n\n", " — rules %s, horizon %d years\n\n",
			   r->horizon_years),
			r->name, r->horizon_years);
	for (size_t d = 0; d < a->cab->ndoctors; d++)
		individual_doctor_text(b, a, d);
}

static void individual_csv(strbuf *b, const mutu_analysis *a)
{
	const mutu_rules *r = a->rules;
	mutu_sb__printf(b,
			"cabinet,doctor,specialty,eligible,reason,band,value,option,objective,rate,"
			"aid,cost,net,feasible,best\n");
	for (size_t d = 0; d < a->cab->ndoctors; d++) {
		const mutu_doctor *doc = &a->cab->doctors[d];
		const mutu_doctor_eval *ev = &a->evals[d];
		size_t rows = ev->eligible ? r->noptions : 1;
		for (size_t i = 0; i < rows; i++) {
			mutu_sb__csv(b, a->cab->id);
			mutu_sb__printf(b, ",");
			mutu_sb__csv(b, doc->id);
			mutu_sb__printf(b, ",%s,%s,", r->specialties[doc->specialty].name,
					ev->eligible ? "true" : "false");
			mutu_sb__csv(b, ev->reason);
			mutu_sb__printf(b, ",%s,%.0f", mutu_band_name(ev->band), ev->value);
			if (!ev->eligible) {
				mutu_sb__printf(b, ",,,,,,,,\n");
				continue;
			}
			const mutu_option_eval *oe = &ev->options[i];
			mutu_sb__printf(b, ",%s,%.0f,%.4f,%.2f,%.2f,%.2f,%s,%s\n", r->options[i].id,
					oe->objective, oe->rate, oe->aid, oe->cost, oe->net,
					oe->feasible ? "true" : "false",
					ev->best == (long)i ? "true" : "false");
		}
	}
}

char *mutu_report_individual(const mutu_analysis *a, mutu_format fmt)
{
	mutu_report_options o = {fmt, MUTU_LANG_FR, false};
	return mutu_report_individual_with(a, &o);
}

char *mutu_report_individual_with(const mutu_analysis *a, const mutu_report_options *o)
{
	strbuf b = {0};
	mutu_format fmt = o->format;
	if (fmt == MUTU_FORMAT_TEXT || fmt == MUTU_FORMAT_HTML) {
		/* No HTML page for the individual options: their text. */
		mutu_lang old = mutu_i18n__use(o->lang);
		individual_text(&b, a);
		mutu_i18n__use(old);
		return mutu_sb__take(&b);
	}
	if (fmt == MUTU_FORMAT_CSV) {
		individual_csv(&b, a);
		return mutu_sb__take(&b);
	}
	jv *root = mutu_jw__object();
	mutu_jw__add_string(root, "cabinet", a->cab->id);
	mutu_jw__add_string(root, "rules", a->rules->name);
	jv *docs = mutu_jw__add_array(root, "doctors");
	for (size_t d = 0; d < a->cab->ndoctors; d++)
		mutu_jw__push(docs, individual_doctor_json(a, d));
	return print_json(root, false);
}

/* ---------------- solve ---------------- */

/* Undiscounted aid of the pooled plan in contract year k (1-based). */
static double plan_aid_year(const mutu_analysis *a, size_t g, int k)
{
	const mutu_rules *r = a->rules;
	const mutu_group *grp = &a->groups[g];
	const mutu_group_solution *sol = &a->solutions[g];
	if (grp->problem.basis == MUTU_BASIS_POOLED)
		return mutu_pooled_aid_year(r, grp->band, sol->etp, k);
	double sum = 0;
	for (size_t i = 0; i < grp->nmembers; i++) {
		if (sol->choice[i] < 0)
			continue;
		long o = grp->problem.members[i].choices[sol->choice[i]].option;
		sum += a->evals[grp->members[i]].options[o].aid_by_year[k - 1];
	}
	return sum;
}

#define UNFINISHED                                                                                 \
	N_("the time limit ran out before the solver found a plan (try a larger --time-limit)")

/* In English (the JSON's reason); the text reports translate it. */
static const char *binding_text(mutu_binding b)
{
	switch (b) {
	case MUTU_BIND_NO_OPTION:
		return N_("no option is open to this group in this zone");
	case MUTU_BIND_CAPACITY:
		return N_("capacity: the members cannot take on the smallest collective objective, "
			  "even with all the assistant time allowed");
	case MUTU_BIND_FLOOR:
		return N_("floor: a plan fits the members' capacity only if some member takes less "
			  "than the floor share of the objective");
	case MUTU_BIND_NET:
		return N_("net below zero: every feasible plan costs the doctors more than it "
			  "brings");
	default:
		return N_("no plan");
	}
}

/* Whole euros for the text reports, never "-0". */
static double whole(double v)
{
	double r = round(v);
	return r == 0 ? 0 : r;
}

/* Amounts, counts and rates as the reader's language writes them
 * (114 000 €, 28,2 %), into the caller's buffer. */
static const char *eur(char *buf, size_t size, double v)
{
	mutu_fmt__money(buf, size, whole(v), 0, mutu_i18n__current());
	return buf;
}

static const char *num(char *buf, size_t size, double v)
{
	mutu_fmt__integer(buf, size, whole(v), mutu_i18n__current());
	return buf;
}

static const char *pct(char *buf, size_t size, double fraction)
{
	mutu_fmt__percent(buf, size, fraction, 1, mutu_i18n__current());
	return buf;
}

#define MAX_NOTES 16

/* The notes of doctor `d` joined by "; " (CSV). */
static void joined_notes(strbuf *b, const mutu_analysis *a, size_t d)
{
	char notes[MAX_NOTES][MUTU_NOTE_SIZE];
	size_t n = mutu_analysis_notes(a, d, notes, MAX_NOTES);
	strbuf j = {0};
	for (size_t i = 0; i < n && i < MAX_NOTES; i++)
		mutu_sb__printf(&j, "%s%s", i ? "; " : "", notes[i]);
	char *text = mutu_sb__take(&j);
	mutu_sb__csv(b, text ? text : "");
	free(text);
}

static jv *notes_json(const mutu_analysis *a, size_t d)
{
	char notes[MAX_NOTES][MUTU_NOTE_SIZE];
	size_t n = mutu_analysis_notes(a, d, notes, MAX_NOTES);
	jv *arr = mutu_jw__array();
	for (size_t i = 0; i < n && i < MAX_NOTES; i++)
		mutu_jw__push(arr, mutu_jw__string(notes[i]));
	return arr;
}

/* The group's "coalitions" member (formats.md): marginal contributions
 * and the blocking sub-group. */
static void coalitions_json(jv *o, const mutu_analysis *a, size_t g)
{
	const mutu_group *grp = &a->groups[g];
	const mutu_sharing *sh = &a->shares[g];
	if (!sh->members || !sh->coalitions)
		return;
	jv *co = mutu_jw__add_object(o, "coalitions");
	jv *marg = mutu_jw__add_array(co, "marginal");
	for (size_t i = 0; i < sh->m; i++) {
		jv *j = mutu_jw__object();
		mutu_jw__add_string(j, "doctor", a->cab->doctors[grp->members[i]].id);
		mutu_jw__add_number(j, "value", sh->members[i].marginal);
		mutu_jw__push(marg, j);
	}
	if (!sh->nblocking) {
		mutu_jw__add_null(co, "blocking");
		return;
	}
	jv *bl = mutu_jw__add_object(co, "blocking");
	jv *docs = mutu_jw__add_array(bl, "doctors");
	for (size_t i = 0; i < sh->nblocking; i++)
		mutu_jw__push(docs,
			      mutu_jw__string(a->cab->doctors[grp->members[sh->blocking[i]]].id));
	mutu_jw__add_number(bl, "alone", sh->blocking_alone);
	mutu_jw__add_number(bl, "shares", sh->blocking_shares);
}

/* One member of the pooled plan: option, half-days, patients, money and
 * notes (formats.md "Solve result"). */
static jv *pooled_doctor_json(const mutu_analysis *a, size_t g, size_t i)
{
	const mutu_rules *r = a->rules;
	const mutu_cabinet *c = a->cab;
	const mutu_group *grp = &a->groups[g];
	const mutu_group_solution *sol = &a->solutions[g];
	jv *d = mutu_jw__object();
	double pi = grp->problem.members[i].p;
	mutu_jw__add_string(d, "doctor", c->doctors[grp->members[i]].id);
	if (grp->problem.basis == MUTU_BASIS_SUM_INDIVIDUAL) {
		long ch = sol->choice[i];
		if (ch >= 0)
			mutu_jw__add_string(
			    d, "option", r->options[grp->problem.members[i].choices[ch].option].id);
		else
			mutu_jw__add_null(d, "option");
	}
	const mutu_sharing *sh = &a->shares[g];
	const mutu_member_share *ms = sh->members ? &sh->members[i] : NULL;
	if (ms)
		mutu_jw__add_number(d, "half_days", ms->half_days);
	mutu_jw__add_number(d, "assistant_etp", sol->assistant_etp[i]);
	mutu_jw__add_number(d, "patients", sol->patients[i]);
	mutu_jw__add_number(d, "rate", pi > 0 ? sol->patients[i] / pi : 0);
	if (ms) {
		mutu_jw__add_number(d, "capacity", ms->capacity);
		mutu_jw__add_number(d, "cost", ms->cost);
		mutu_jw__add_number(d, "value", ms->value);
		mutu_jw__add_number(d, "aid_share", ms->aid);
		mutu_jw__add_number(d, "net", ms->net);
		mutu_jw__add_number(d, "individual_net", ms->individual_net);
		mutu_jw__add_number(d, "gain", ms->gain);
		if (sh->shapley)
			mutu_jw__add_number(d, "shapley", ms->shapley);
		if (sh->sampled)
			mutu_jw__add_number(d, "shapley_se", ms->shapley_se);
	}
	mutu_jw__add(d, "notes", notes_json(a, grp->members[i]));
	return d;
}

/* The members' individual contracts beside the plan (model.md §3). */
static void individual_json(jv *o, const mutu_analysis *a, size_t g)
{
	const mutu_rules *r = a->rules;
	const mutu_cabinet *c = a->cab;
	const mutu_group *grp = &a->groups[g];
	mutu_baseline bl = mutu_analysis_baseline(a, g);
	jv *ind = mutu_jw__add_object(o, "individual");
	mutu_jw__add_number(ind, "etp", bl.etp);
	mutu_jw__add_number(ind, "objective", bl.objective);
	mutu_jw__add_number(ind, "net", bl.net);
	jv *idocs = mutu_jw__add_array(ind, "doctors");
	for (size_t i = 0; i < grp->nmembers; i++) {
		size_t d = grp->members[i];
		const mutu_doctor_eval *ev = &a->evals[d];
		jv *j = mutu_jw__object();
		mutu_jw__add_string(j, "doctor", c->doctors[d].id);
		mutu_jw__add_bool(j, "eligible", ev->eligible);
		mutu_jw__add_string(j, "band", mutu_band_name(ev->band));
		if (ev->best >= 0)
			mutu_jw__add_string(j, "option", r->options[ev->best].id);
		else
			mutu_jw__add_null(j, "option");
		mutu_jw__add_number(j, "objective", ev->best_objective);
		mutu_jw__add_number(j, "net", ev->best_net);
		/* A member is eligible: his reason, when he has no
		 * individual contract, is the constraint that binds. */
		const char *why = ev->eligible ? mutu_analysis_no_contract(a, d) : ev->reason;
		if (why)
			mutu_jw__add_string(j, "reason", why);
		else
			mutu_jw__add_null(j, "reason");
		mutu_jw__push(idocs, j);
	}
}

static jv *group_json(const mutu_analysis *a, size_t g)
{
	const mutu_rules *r = a->rules;
	const mutu_cabinet *c = a->cab;
	const mutu_group *grp = &a->groups[g];
	const mutu_group_solution *sol = &a->solutions[g];
	jv *o = mutu_jw__object();
	mutu_jw__add_string(o, "specialty", r->specialties[grp->specialty].name);
	jv *mem = mutu_jw__add_array(o, "members");
	for (size_t i = 0; i < grp->nmembers; i++)
		mutu_jw__push(mem, mutu_jw__string(c->doctors[grp->members[i]].id));
	jv *exc = mutu_jw__add_array(o, "excluded");
	for (size_t i = 0; i < grp->nexcluded; i++) {
		jv *e = mutu_jw__object();
		mutu_jw__add_string(e, "doctor", c->doctors[grp->excluded[i]].id);
		mutu_jw__add_string(e, "reason", grp->excluded_reason[i]);
		mutu_jw__push(exc, e);
	}
	mutu_jw__add_string(o, "status", status_names[sol->status]);
	if (sol->status == MUTU_GROUP_NO_GROUP)
		mutu_jw__add_string(o, "reason", grp->reason);
	else if (sol->status == MUTU_GROUP_NO_CONTRACT)
		mutu_jw__add_string(o, "reason", binding_text(sol->binding));
	else if (sol->status == MUTU_GROUP_ERROR)
		mutu_jw__add_string(o, "error", a->errors[g].message);
	else if (!mutu_analysis_has_plan(a, g))
		mutu_jw__add_string(o, "reason", UNFINISHED);
	if (grp->formed)
		mutu_jw__add_string(o, "basis",
				    grp->problem.basis == MUTU_BASIS_POOLED ? "pooled"
									    : "sum_individual");
	if (mutu_analysis_has_plan(a, g)) {
		jv *p = mutu_jw__add_object(o, "pooled");
		mutu_jw__add_number(p, "etp", sol->etp);
		mutu_jw__add_number(p, "objective", sol->objective);
		mutu_jw__add_number(p, "aid", sol->aid);
		mutu_jw__add_number(p, "cost", sol->cost);
		mutu_jw__add_number(p, "value", sol->value);
		mutu_jw__add_number(p, "net", sol->net);
		mutu_jw__add_number(p, "max_rate", sol->max_rate);
		jv *years = mutu_jw__add_array(p, "aid_by_year");
		for (int k = 1; k <= r->horizon_years; k++)
			mutu_jw__push(years, mutu_jw__number(plan_aid_year(a, g, k)));
		jv *docs = mutu_jw__add_array(p, "doctors");
		for (size_t i = 0; i < grp->nmembers; i++)
			mutu_jw__push(docs, pooled_doctor_json(a, g, i));
		const mutu_sharing *sh = &a->shares[g];
		if (sh->members) {
			mutu_jw__add_string(o, "sharing", mutu_sharing_names[sh->used]);
			if (sh->shapley) {
				jv *sj = mutu_jw__add_object(o, "shapley");
				mutu_jw__add_string(sj, "method",
						    sh->sampled ? "sampled" : "exact");
				if (sh->sampled)
					mutu_jw__add_integer(sj, "orderings", (long)sh->orderings);
				mutu_jw__add_integer(sj, "coalitions_solved", (long)sh->solves);
			}
			coalitions_json(o, a, g);
		}
	} else {
		mutu_jw__add_null(o, "pooled");
	}
	individual_json(o, a, g);
	mutu_baseline bl = mutu_analysis_baseline(a, g);
	if (grp->formed && sol->status != MUTU_GROUP_ERROR &&
	    (sol->status != MUTU_GROUP_TIME_LIMIT || mutu_analysis_has_plan(a, g))) {
		jv *gain = mutu_jw__add_object(o, "gain");
		double net = mutu_analysis_has_plan(a, g) ? sol->net : 0;
		double t = mutu_analysis_has_plan(a, g) ? sol->objective : 0;
		mutu_jw__add_number(gain, "net", net - bl.net);
		mutu_jw__add_number(gain, "patients", t - bl.objective);
	} else {
		mutu_jw__add_null(o, "gain");
	}
	return o;
}

/* The notes of the members, a note that every member shares (an option
 * not open in the zone) said once for all. */
static void notes_text(strbuf *b, const mutu_analysis *a, size_t g)
{
	const mutu_group *grp = &a->groups[g];
	size_t m = grp->nmembers;
	char tr[MUTU_NOTE_SIZE];
	char(*notes)[MAX_NOTES][MUTU_NOTE_SIZE] = calloc(m + 1, sizeof *notes);
	size_t *n = calloc(m + 1, sizeof *n);
	if (!notes || !n) {
		b->failed = true;
		free(notes);
		free(n);
		return;
	}
	for (size_t i = 0; i < m; i++) {
		n[i] = mutu_analysis_notes(a, grp->members[i], notes[i], MAX_NOTES);
		n[i] = n[i] < MAX_NOTES ? n[i] : MAX_NOTES;
	}
	bool shared[MAX_NOTES] = {false};
	for (size_t k = 0; m > 1 && k < n[0]; k++) {
		bool all = true;
		for (size_t i = 1; i < m && all; i++) {
			bool found = false;
			for (size_t l = 0; l < n[i] && !found; l++)
				found = strcmp(notes[i][l], notes[0][k]) == 0;
			all = found;
		}
		shared[k] = all;
		if (all)
			mutu_sb__printf(b, _("   Every member: %s\n"),
					mutu_i18n__sentence(notes[0][k], tr, sizeof tr));
	}
	for (size_t i = 0; i < m; i++)
		for (size_t l = 0; l < n[i]; l++) {
			bool skip = false;
			for (size_t k = 0; k < n[0] && !skip; k++)
				skip = shared[k] && strcmp(notes[i][l], notes[0][k]) == 0;
			if (!skip)
				mutu_sb__printf(b, "   %s: %s\n",
						a->cab->doctors[grp->members[i]].id,
						mutu_i18n__sentence(notes[i][l], tr, sizeof tr));
		}
	free(notes);
	free(n);
}

/* The sentence that says how the gain was shared. */
static void sharing_text(strbuf *b, const mutu_sharing *sh)
{
	if (sh->rule == MUTU_SHARING_SHAPLEY && sh->used != MUTU_SHARING_SHAPLEY)
		mutu_sb__printf(b,
				_("   Pooling gains nothing to share by the Shapley value: the "
				  "members share the plan in proportion to their new patients.\n"));
	else if (sh->used == MUTU_SHARING_PATIENTS)
		mutu_sb__printf(b, _("   The gain of pooling is shared in proportion to each "
				     "member's new patients.\n"));
	else if (sh->used == MUTU_SHARING_EQUAL)
		mutu_sb__printf(b,
				_("   The gain of pooling is shared equally among the members.\n"));
	else if (sh->used == MUTU_SHARING_LIST)
		mutu_sb__printf(b, _("   The gain of pooling is shared in proportion to each "
				     "member's patient list.\n"));
	else if (!sh->sampled)
		mutu_sb__printf(
		    b,
		    _("   The gain of pooling is shared by each member's Shapley value, "
		      "exact over every coalition of members (%zu solved).\n"),
		    sh->solves);
	else {
		double se = 0;
		for (size_t i = 0; i < sh->m; i++)
			se = fmax(se, sh->members[i].shapley_se);
		char e[48];
		mutu_sb__printf(
		    b,
		    _("   The gain of pooling is shared by each member's Shapley value, "
		      "estimated from %zu sampled orderings (standard error at most "
		      "%s).\n"),
		    sh->orderings, eur(e, sizeof e, se));
	}
}

/* The columns of the members' table: half-days, patients, growth, the
 * objective alone, cost share, aid share, net, net alone, gain. */
enum {
	MT_HALF_DAYS,
	MT_PATIENTS,
	MT_GROWTH,
	MT_ALONE,
	MT_COST,
	MT_AID,
	MT_NET,
	MT_NET_ALONE,
	MT_GAIN,
	MT_N
};

/* One row of that table: counts and euros whole, the growth a rate. */
static void member_row(strbuf *b, const char *id, int idw, bool pooled, const char *opt, int optw,
		       const double *v, const size_t *width)
{
	char cell[48];
	mutu_sb__printf(b, "   ");
	mutu_fmt__sb_pad(b, id, (size_t)idw, MUTU_ALIGN_LEFT);
	mutu_sb__printf(b, "%s", pooled ? "" : " ");
	mutu_fmt__sb_pad(b, opt, (size_t)optw, MUTU_ALIGN_LEFT);
	for (int k = 0; k < MT_N; k++) {
		if (k == MT_GROWTH)
			pct(cell, sizeof cell, v[k]);
		else
			num(cell, sizeof cell, v[k]);
		mutu_sb__printf(b, " ");
		mutu_fmt__sb_pad(b, cell, width[k], MUTU_ALIGN_RIGHT);
	}
	mutu_sb__printf(b, "\n");
}

/* Each member's half-days, patients and money (model.md §4b), the
 * group's totals, then what the group should know: notes, transfers,
 * members below their net alone, marginal contributions, and the
 * sub-group that would do better on its own. */
/* What the group should know after the members' table: notes, transfers,
 * members below their net alone, marginal contributions, and the
 * sub-group that would do better on its own. */
static void members_after(strbuf *b, const mutu_analysis *a, size_t g)
{
	const mutu_cabinet *c = a->cab;
	const mutu_group *grp = &a->groups[g];
	const mutu_sharing *sh = &a->shares[g];
	notes_text(b, a, g);
	for (size_t i = 0; i < grp->nmembers; i++) {
		const mutu_member_share *ms = &sh->members[i];
		char e[48];
		if (whole(ms->aid) < 0)
			mutu_sb__printf(
			    b,
			    _("   %s's aid share is negative: a transfer of %s from this "
			      "doctor to the other members.\n"),
			    c->doctors[grp->members[i]].id, eur(e, sizeof e, -ms->aid));
	}
	for (size_t i = 0; sh->used == MUTU_SHARING_SHAPLEY && i < grp->nmembers; i++) {
		const mutu_member_share *ms = &sh->members[i];
		char e[48];
		if (ms->net < ms->individual_net - 0.5)
			mutu_sb__printf(
			    b,
			    _("   Under the Shapley value %s gets %s less than with his "
			      "individual contract.\n"),
			    c->doctors[grp->members[i]].id,
			    eur(e, sizeof e, ms->individual_net - ms->net));
	}
	if (!sh->coalitions)
		return;
	mutu_sb__printf(b, _("   What each member brings to the group (its value with him, less "
			     "without him):"));
	for (size_t i = 0; i < grp->nmembers; i++) {
		char e[48];
		mutu_sb__printf(b, "%s %s %s", i ? "," : "", c->doctors[grp->members[i]].id,
				eur(e, sizeof e, sh->members[i].marginal));
	}
	mutu_sb__printf(b, ".\n");
	if (!sh->nblocking)
		return;
	strbuf names = {0};
	for (size_t i = 0; i < sh->nblocking; i++)
		mutu_sb__printf(&names, "%s%s", i ? ", " : "",
				c->doctors[grp->members[sh->blocking[i]]].id);
	char *list = mutu_sb__take(&names);
	char e1[48], e2[48];
	if (sh->nblocking == 1)
		mutu_sb__printf(b,
				_("   %s would do better without the others: %s alone, against "
				  "%s from the share.\n"),
				list ? list : "?", eur(e1, sizeof e1, sh->blocking_alone),
				eur(e2, sizeof e2, sh->blocking_shares));
	else
		mutu_sb__printf(b,
				_("   These doctors would do better without the others: %s, %s "
				  "together on their own, against %s from their shares.\n"),
				list ? list : "?", eur(e1, sizeof e1, sh->blocking_alone),
				eur(e2, sizeof e2, sh->blocking_shares));
	free(list);
}

static void members_text(strbuf *b, const mutu_analysis *a, size_t g)
{
	const mutu_rules *r = a->rules;
	const mutu_cabinet *c = a->cab;
	const mutu_group *grp = &a->groups[g];
	const mutu_group_solution *sol = &a->solutions[g];
	const mutu_sharing *sh = &a->shares[g];
	bool pooled = grp->problem.basis == MUTU_BASIS_POOLED;
	if (!sh->members)
		return;
	sharing_text(b, sh);
	/* Columns as wide as the longest id and option. */
	int idw = 12, optw = 0;
	for (size_t i = 0; i < grp->nmembers; i++) {
		int n = (int)strlen(c->doctors[grp->members[i]].id);
		idw = n > idw ? n : idw;
		long ch = pooled ? -1 : sol->choice[i];
		if (!pooled)
			optw = optw < 6 ? 6 : optw;
		if (ch >= 0) {
			n = (int)strlen(r->options[grp->problem.members[i].choices[ch].option].id);
			optw = n > optw ? n : optw;
		}
	}
	/* Columns by display width: French numbers hold narrow spaces. */
	const char *head[MT_N] = {_("half-days"), _("patients"),   _("growth"),
				  _("alone"),     _("cost share"), _("aid share"),
				  _("net"),       _("net alone"),  _("gain")};
	size_t width[MT_N];
	for (int k = 0; k < MT_N; k++)
		width[k] = mutu_fmt__width(head[k]) > 11 ? mutu_fmt__width(head[k]) : 11;
	mutu_sb__printf(b, "   ");
	mutu_fmt__sb_pad(b, _("doctor"), (size_t)idw, MUTU_ALIGN_LEFT);
	mutu_sb__printf(b, "%s", pooled ? "" : " ");
	mutu_fmt__sb_pad(b, pooled ? "" : _("option"), (size_t)optw, MUTU_ALIGN_LEFT);
	for (int k = 0; k < MT_N; k++) {
		mutu_sb__printf(b, " ");
		mutu_fmt__sb_pad(b, head[k], width[k], MUTU_ALIGN_RIGHT);
	}
	mutu_sb__printf(b, "\n");
	double hd = 0, alone_t = 0, pg = 0, ind = 0;
	for (size_t i = 0; i < grp->nmembers; i++) {
		const mutu_member_share *ms = &sh->members[i];
		const mutu_doctor_eval *ev = &a->evals[grp->members[i]];
		double pi = grp->problem.members[i].p;
		long ch = pooled ? -1 : sol->choice[i];
		const char *opt = ch >= 0
				      ? r->options[grp->problem.members[i].choices[ch].option].id
				  : pooled ? ""
					   : "-";
		double row[MT_N] = {ms->half_days,
				    ms->patients,
				    pi > 0 ? fmax(0, ms->patients / pi) : 0,
				    ev->best_objective,
				    ms->cost,
				    ms->aid,
				    ms->net,
				    ms->individual_net,
				    ms->gain};
		member_row(b, c->doctors[grp->members[i]].id, idw, pooled, opt, optw, row, width);
		hd += ms->half_days;
		alone_t += ev->best_objective;
		pg += pi;
		ind += ms->individual_net;
	}
	double total[MT_N] = {hd,
			      sol->objective,
			      pg > 0 ? sol->objective / pg : 0,
			      alone_t,
			      sol->cost,
			      sol->aid,
			      sol->net,
			      ind,
			      sol->net - ind};
	member_row(b, _("total"), idw, pooled, "", optw, total, width);
	mutu_sb__printf(b,
			_("   Half-days of assistant time a week; \"alone\" is the objective "
			  "each member would sign alone, beside his share of the pooled one.\n"));
	members_after(b, a, g);
}

/* One line per member's individual contract: id, band, option, patients,
 * net (or why none). */
static void individual_lines(strbuf *b, const mutu_analysis *a, size_t g)
{
	const mutu_rules *r = a->rules;
	const mutu_group *grp = &a->groups[g];
	char n1[48], n2[48], tr[MUTU_NOTE_SIZE];
	mutu_sb__printf(b, _("   Individual contracts of the same doctors:\n"));
	for (size_t i = 0; i < grp->nmembers; i++) {
		const mutu_doctor_eval *ev = &a->evals[grp->members[i]];
		mutu_sb__printf(b, "   ");
		mutu_fmt__sb_pad(b, a->cab->doctors[grp->members[i]].id, 12, MUTU_ALIGN_LEFT);
		mutu_sb__printf(b, " ");
		mutu_fmt__sb_pad(b, mutu_i18n__band(ev->band), 11, MUTU_ALIGN_LEFT);
		mutu_sb__printf(b, " ");
		mutu_fmt__sb_pad(b, ev->best >= 0 ? r->options[ev->best].id : _("none"), 13,
				 MUTU_ALIGN_LEFT);
		if (ev->best >= 0)
			mutu_sb__printf(b, _(" %s new patients, net %s\n"),
					num(n1, sizeof n1, ev->best_objective),
					eur(n2, sizeof n2, ev->best_net));
		else
			mutu_sb__printf(
			    b, " %s\n",
			    mutu_i18n__sentence(mutu_analysis_no_contract(a, grp->members[i]), tr,
						sizeof tr));
	}
}

/* The plan's own lines: ETP and objective, the members, the aid. */
static void plan_text(strbuf *b, const mutu_analysis *a, size_t g)
{
	const mutu_rules *r = a->rules;
	const mutu_group *grp = &a->groups[g];
	const mutu_group_solution *sol = &a->solutions[g];
	bool pooled = grp->problem.basis == MUTU_BASIS_POOLED;
	char etp[48], t[48], e1[48], e2[48], e3[48], e4[48];
	mutu_fmt__decimal(etp, sizeof etp, sol->etp, 2, mutu_i18n__current());
	num(t, sizeof t, sol->objective);
	if (sol->status == MUTU_GROUP_TIME_LIMIT)
		mutu_sb__printf(b,
				_("   Pooled plan (time limit: the best found): %s ETP of "
				  "assistant, collective objective %s new patients (%s).\n"),
				etp, t,
				pooled ? _("pooled objective on the group's patient list")
				       : _("sum of the members' notional individual objectives"));
	else
		mutu_sb__printf(b,
				_("   Pooled plan: %s ETP of assistant, collective objective "
				  "%s new patients (%s).\n"),
				etp, t,
				pooled ? _("pooled objective on the group's patient list")
				       : _("sum of the members' notional individual objectives"));
	members_text(b, a, g);
	mutu_sb__printf(b, _("   Largest growth asked of one member: %s.\n"),
			pct(e1, sizeof e1, sol->max_rate));
	mutu_sb__printf(b, _("   Aid by year:"));
	for (int k = 1; k <= r->horizon_years; k++)
		mutu_sb__printf(b, " %s", eur(e1, sizeof e1, plan_aid_year(a, g, k)));
	mutu_sb__printf(b, "\n");
	mutu_sb__printf(b,
			P_("   Over %d year: aid %s, assistant cost %s, value of new patients %s, "
			   "net %s.\n",
			   "   Over %d years: aid %s, assistant cost %s, value of new patients %s, "
			   "net %s.\n",
			   r->horizon_years),
			r->horizon_years, eur(e1, sizeof e1, sol->aid),
			eur(e2, sizeof e2, sol->cost), eur(e3, sizeof e3, sol->value),
			eur(e4, sizeof e4, sol->net));
}

/* The verdict: what pooling changes for the group, in one sentence. */
static void verdict_text(strbuf *b, const mutu_analysis *a, size_t g)
{
	const mutu_group_solution *sol = &a->solutions[g];
	mutu_baseline bl = mutu_analysis_baseline(a, g);
	char e1[48], e2[48], e3[48];
	mutu_fmt__decimal(e3, sizeof e3, bl.etp, 2, mutu_i18n__current());
	mutu_sb__printf(b, _("   Total: %s ETP, %s new patients, net %s.\n"), e3,
			num(e1, sizeof e1, bl.objective), eur(e2, sizeof e2, bl.net));
	bool plan = mutu_analysis_has_plan(a, g);
	double dn = (plan ? sol->net : 0) - bl.net, dt = (plan ? sol->objective : 0) - bl.objective;
	int years = a->rules->horizon_years;
	eur(e1, sizeof e1, fabs(dn));
	num(e2, sizeof e2, fabs(dt));
	if (sol->status == MUTU_GROUP_TIME_LIMIT && !plan)
		mutu_sb__printf(b, _("   The gain of pooling is unknown.\n\n"));
	else if (fabs(dn) < 0.5 && fabs(dt) < 0.5)
		mutu_sb__printf(b, _("   Pooling changes nothing for this group.\n\n"));
	else if (dn >= 0 && dt >= 0)
		mutu_sb__printf(b,
				_("   Pooling gains %s for the doctors over %d years and adds %s "
				  "new patients.\n\n"),
				e1, years, e2);
	else if (dn >= 0)
		mutu_sb__printf(b,
				_("   Pooling gains %s for the doctors over %d years and removes "
				  "%s new patients.\n\n"),
				e1, years, e2);
	else if (dt >= 0)
		mutu_sb__printf(b,
				_("   Pooling loses %s for the doctors over %d years and adds %s "
				  "new patients.\n\n"),
				e1, years, e2);
	else
		mutu_sb__printf(b,
				_("   Pooling loses %s for the doctors over %d years and removes "
				  "%s new patients.\n\n"),
				e1, years, e2);
}

static void group_text(strbuf *b, const mutu_analysis *a, size_t g)
{
	const mutu_rules *r = a->rules;
	const mutu_cabinet *c = a->cab;
	const mutu_group *grp = &a->groups[g];
	const mutu_group_solution *sol = &a->solutions[g];
	mutu_sb__printf(b, P_("== %s: %zu member", "== %s: %zu members", grp->nmembers),
			r->specialties[grp->specialty].name, grp->nmembers);
	for (size_t i = 0; i < grp->nmembers; i++)
		mutu_sb__printf(b, "%s%s", i ? ", " : " (", c->doctors[grp->members[i]].id);
	mutu_sb__printf(b, "%s\n", grp->nmembers ? ")" : "");
	char tr[MUTU_NOTE_SIZE];
	for (size_t i = 0; i < grp->nexcluded; i++)
		mutu_sb__printf(b, _("   not in the group: %s, %s\n"),
				c->doctors[grp->excluded[i]].id,
				mutu_i18n__sentence(grp->excluded_reason[i], tr, sizeof tr));
	if (sol->status == MUTU_GROUP_NO_GROUP) {
		mutu_sb__printf(b, _("   No pooled group: %s.\n\n"),
				mutu_i18n__sentence(grp->reason, tr, sizeof tr));
		return;
	}
	if (sol->status == MUTU_GROUP_ERROR) {
		mutu_sb__printf(b, _("   The optimiser failed: %s.\n\n"), a->errors[g].message);
		return;
	}
	if (!mutu_analysis_has_plan(a, g))
		mutu_sb__printf(b, _("   No pooled contract: %s.\n"),
				_(sol->status == MUTU_GROUP_TIME_LIMIT
				      ? UNFINISHED
				      : binding_text(sol->binding)));
	else
		plan_text(b, a, g);
	individual_lines(b, a, g);
	verdict_text(b, a, g);
}

static void solve_csv(strbuf *b, const mutu_analysis *a, bool header)
{
	const mutu_rules *r = a->rules;
	if (header)
		mutu_sb__printf(
		    b, "cabinet,specialty,status,doctor,member,option,assistant_etp,patients,"
		       "rate,individual_option,individual_objective,individual_net,"
		       "group_etp,group_objective,group_net,gain_net,gain_patients,"
		       "sharing,half_days,capacity,cost,value,aid_share,net,gain,notes\n");
	for (size_t g = 0; g < a->ngroups; g++) {
		const mutu_group *grp = &a->groups[g];
		const mutu_group_solution *sol = &a->solutions[g];
		mutu_baseline bl = mutu_analysis_baseline(a, g);
		bool plan = mutu_analysis_has_plan(a, g);
		for (size_t pass = 0; pass < 2; pass++) {
			size_t n = pass == 0 ? grp->nmembers : grp->nexcluded;
			for (size_t i = 0; i < n; i++) {
				size_t d = pass == 0 ? grp->members[i] : grp->excluded[i];
				const mutu_doctor_eval *ev = &a->evals[d];
				mutu_sb__csv(b, a->cab->id);
				mutu_sb__printf(b, ",%s,%s,", r->specialties[grp->specialty].name,
						status_names[sol->status]);
				mutu_sb__csv(b, a->cab->doctors[d].id);
				mutu_sb__printf(b, ",%s,", pass == 0 ? "true" : "false");
				if (pass == 0 && plan) {
					long ch = grp->problem.basis == MUTU_BASIS_SUM_INDIVIDUAL
						      ? sol->choice[i]
						      : -1;
					double pi = grp->problem.members[i].p;
					mutu_sb__printf(
					    b, "%s,%.4f,%.2f,%.4f",
					    ch >= 0
						? r->options
						      [grp->problem.members[i].choices[ch].option]
							  .id
						: "",
					    sol->assistant_etp[i], sol->patients[i],
					    pi > 0 ? sol->patients[i] / pi : 0);
				} else {
					mutu_sb__printf(b, ",,,");
				}
				mutu_sb__printf(b, ",%s,%.0f,%.2f",
						ev->best >= 0 ? r->options[ev->best].id : "",
						ev->best_objective, ev->best_net);
				if (plan)
					mutu_sb__printf(b, ",%.4f,%.0f,%.2f,%.2f,%.0f", sol->etp,
							sol->objective, sol->net, sol->net - bl.net,
							sol->objective - bl.objective);
				else
					mutu_sb__printf(b, ",,,,,");
				const mutu_sharing *sh = &a->shares[g];
				if (pass == 0 && sh->members) {
					const mutu_member_share *ms = &sh->members[i];
					mutu_sb__printf(b,
							",%s,%.0f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,",
							mutu_sharing_names[sh->used], ms->half_days,
							ms->capacity, ms->cost, ms->value, ms->aid,
							ms->net, ms->gain);
				} else {
					mutu_sb__printf(b, ",,,,,,,,,");
				}
				joined_notes(b, a, d);
				mutu_sb__printf(b, "\n");
			}
		}
	}
}

jv *mutu_report__solve_tree(const mutu_analysis *a, unsigned long line)
{
	jv *root = mutu_jw__object();
	if (line > 0)
		mutu_jw__add_number(root, "line", (double)line);
	mutu_jw__add_string(root, "cabinet", a->cab->id);
	mutu_jw__add_string(root, "rules", a->rules->name);
	mutu_jw__add_string(root, "goal", goal_names[a->goal]);
	jv *groups = mutu_jw__add_array(root, "groups");
	for (size_t g = 0; g < a->ngroups; g++)
		mutu_jw__push(groups, group_json(a, g));
	return root;
}

char *mutu_report_solve(const mutu_analysis *a, mutu_format fmt, bool compact)
{
	mutu_report_options o = {fmt, MUTU_LANG_FR, compact};
	return mutu_report_solve_with(a, &o);
}

static char *solve_report(const mutu_analysis *a, mutu_format fmt, bool compact);

/* The language is the thread's for the duration of the report, so that
 * every helper translates with _() alone. */
char *mutu_report_solve_with(const mutu_analysis *a, const mutu_report_options *o)
{
	mutu_lang old = mutu_i18n__use(o->lang);
	char *text = o->format == MUTU_FORMAT_HTML ? mutu_html_solve(a, o->lang)
						   : solve_report(a, o->format, o->compact);
	mutu_i18n__use(old);
	return text;
}

static char *solve_report(const mutu_analysis *a, mutu_format fmt, bool compact)
{
	strbuf b = {0};
	const mutu_cabinet *c = a->cab;
	const mutu_rules *r = a->rules;
	if (fmt == MUTU_FORMAT_TEXT) {
		char start[11];
		mutu_date_format(c->contract_start, start);
		char rate[32];
		cabinet_title(&b, c);
		mutu_sb__printf(&b, _(" — zone %s, pooled contract from %s\n"),
				c->zone == MUTU_ZONE_ZIP ? "ZIP" : _("standard"), start);
		mutu_sb__printf(&b,
				P_("Rules %s, goal %s, horizon %d year, discount rate %s.\n\n",
				   "Rules %s, goal %s, horizon %d years, discount rate %s.\n\n",
				   r->horizon_years),
				r->name, goal_names[a->goal], r->horizon_years,
				pct(rate, sizeof rate, r->discount_rate));
		if (a->ngroups == 0)
			mutu_sb__printf(&b, _("No doctor to group.\n"));
		for (size_t g = 0; g < a->ngroups; g++)
			group_text(&b, a, g);
		return mutu_sb__take(&b);
	}
	if (fmt == MUTU_FORMAT_CSV) {
		solve_csv(&b, a, !compact);
		return mutu_sb__take(&b);
	}
	return print_json(mutu_report__solve_tree(a, 0), compact);
}

char *mutu_report_contract(const mutu_analysis *a, size_t g)
{
	if (g >= a->ngroups || !mutu_analysis_has_plan(a, g))
		return NULL;
	const mutu_rules *r = a->rules;
	const mutu_cabinet *c = a->cab;
	const mutu_group *grp = &a->groups[g];
	const mutu_group_solution *sol = &a->solutions[g];
	char date[11], id[160];
	jv *root = mutu_jw__object();
	snprintf(id, sizeof id, "ct-%s-%s", c->id, r->specialties[grp->specialty].name);
	mutu_jw__add_string(root, "id", id);
	mutu_jw__add_string(root, "structure", c->id);
	mutu_jw__add_string(root, "specialty", r->specialties[grp->specialty].name);
	mutu_date_format(c->contract_start, date);
	mutu_jw__add_string(root, "start", date);
	jv *comps = mutu_jw__add_array(root, "components");
	jv *as = mutu_jw__object();
	mutu_jw__add_string(as, "kind", "assistant");
	mutu_jw__add_number(as, "etp", (double)llround(sol->etp * 1e4) / 1e4);
	mutu_jw__add_number(as, "years",
			    r->horizon_years > r->mut.commit_assistant ? r->horizon_years
								       : r->mut.commit_assistant);
	mutu_jw__push(comps, as);
	mutu_jw__add_number(root, "collective_objective", sol->objective);
	jv *mem = mutu_jw__add_array(root, "members");
	for (size_t i = 0; i < grp->nmembers; i++) {
		const mutu_doctor *d = &c->doctors[grp->members[i]];
		jv *j = mutu_jw__object();
		mutu_jw__add_string(j, "doctor", d->id);
		mutu_date_format(
		    d->declared_on != MUTU_DATE_NONE ? d->declared_on : c->contract_start, date);
		mutu_jw__add_string(j, "declared_on", date);
		/* Whole patients, rounded up so the shares still cover the objective. */
		mutu_jw__add_number(j, "share", ceil(sol->patients[i] - 1e-6));
		/* Unrounded: each share was sized on this exact time. */
		mutu_jw__add_number(j, "assistant_etp", sol->assistant_etp[i]);
		if (grp->problem.basis == MUTU_BASIS_SUM_INDIVIDUAL) {
			long ch = sol->choice[i];
			if (ch >= 0)
				mutu_jw__add_string(
				    j, "option",
				    r->options[grp->problem.members[i].choices[ch].option].id);
		}
		mutu_jw__push(mem, j);
	}
	mutu_jw__add_array(root, "events");
	return print_json(root, false);
}

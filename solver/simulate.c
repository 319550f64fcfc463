/* A pooled contract year by year, and the file of patients achieved.
 *
 * The rules applied, where model.md leaves the choice open:
 * - Horizon: the assistant component's years (the aid and the objective
 *   are the assistant's; a longer forfait does not extend them).
 * - Year k runs from the (k-1)-th anniversary of the start to the day
 *   before the k-th.  A join or leave dated on or before the first day of
 *   year k applies from year k (validated contracts date them on
 *   anniversaries).
 * - While the members are those of the start: E, the collective
 *   objective, the shares and a_i are the contract's.  From the first
 *   change on, the rules recompute them for the current members: pooled ->
 *   E capped by the rules (mutu_pooled_max_etp) and T_n for the new set;
 *   sum_individual -> the sum of the members' notional options' etp and
 *   individual objectives.  Shares become proportional to P_i and a_i =
 *   E / m: a new split is the members' to sign.
 * - Aid in year k (undiscounted): pooled -> mutu_pooled_aid_year for the
 *   current group band; sum_individual -> the members' options' aid in
 *   year k for their own bands.
 * - A year that a suspension (suspend, up to the day before resume)
 *   touches on any day is suspended: no aid, nothing assessed.
 * - From achievement.check_from_year on, the aid is modulated: prorata
 *   min(1, achieved / objective), all_or_nothing 1 when achieved >=
 *   objective else 0 (an objective of 0 is always met).  Per
 *   mutualisation.assessment: the structure's total against the
 *   collective objective, or each member's aid share (aid x a_i / E)
 *   against its own share.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "jsonx.h"
#include "mutu/contract.h"
#include "mutu/group.h"
#include "mutu/individual.h"
#include "strbuf.h"

#define EPS 1e-9

/* ---------------- the achievement file ---------------- */

static void read_achieved_member(jx *x, const jv *it, const char *path, const mutu_cabinet *cab,
				 mutu_achieved_member *m)
{
	static const char *const keys[] = {"doctor", "patients", NULL};
	if (!mutu_jx__object(x, it, path, keys))
		return;
	const char *s = NULL;
	if (mutu_jx__string(x, it, path, "doctor", true, &s)) {
		long d = mutu_cabinet_doctor(cab, s);
		if (d < 0) {
			jx_path p;
			mutu_jx__path_key(&p, path, "doctor");
			mutu_jx__error(x, p.s, "unknown doctor \"%s\" (not in the cabinet %s)", s,
				       cab->id);
		} else {
			m->doctor = (size_t)d;
		}
	}
	mutu_jx__number(x, it, path, "patients", true, 0, 1e7, &m->patients);
}

static void read_achieved_year(jx *x, const jv *it, const char *path, const mutu_cabinet *cab,
			       mutu_achieved_year *y)
{
	static const char *const keys[] = {"year", "patients", "members", NULL};
	if (!mutu_jx__object(x, it, path, keys))
		return;
	long year = 0;
	if (mutu_jx__integer(x, it, path, "year", true, 1, 100, &year))
		y->year = (int)year;
	const jv *ms = mutu_jx__get(x, it, path, "members", false);
	if (!ms) {
		mutu_jx__number(x, it, path, "patients", true, 0, 1e7, &y->patients);
		return;
	}
	jx_path p;
	mutu_jx__path_key(&p, path, "members");
	if (mutu_jx__get(x, it, path, "patients", false)) {
		mutu_jx__error(x, p.s, "give either \"patients\" or \"members\", not both");
		return;
	}
	if (!mutu_jx__is_array(ms) || mutu_jx__size(ms) == 0) {
		mutu_jx__error(x, p.s,
			       "must be a non-empty array of {\"doctor\", \"patients\"}, got %s",
			       mutu_jx__is_array(ms) ? "an empty array" : mutu_jx__type_name(ms));
		return;
	}
	y->members = calloc((size_t)mutu_jx__size(ms), sizeof *y->members);
	if (!y->members) {
		mutu_jx__error(x, NULL, "out of memory");
		return;
	}
	for (const jv *m = mutu_jx__child(ms); m; m = mutu_jx__next(m)) {
		size_t j = y->nmembers++;
		jx_path q;
		mutu_jx__path_index(&q, p.s, j);
		mutu_achieved_member *am = &y->members[j];
		am->doctor = (size_t)-1;
		read_achieved_member(x, m, q.s, cab, am);
		y->patients += am->patients;
		for (size_t i = 0; am->doctor != (size_t)-1 && i < j; i++)
			if (y->members[i].doctor == am->doctor) {
				jx_path r;
				mutu_jx__path_key(&r, q.s, "doctor");
				mutu_jx__error(x, r.s, "\"%s\" is listed twice (also %s/%zu)",
					       cab->doctors[am->doctor].id, p.s, i);
			}
	}
}

int mutu_achieved_parse(mutu_achieved *out, const mutu_cabinet *cab, const char *text, size_t len,
			const char *file, mutu_errors *errs)
{
	static const char *const keys[] = {"years", NULL};
	memset(out, 0, sizeof *out);
	jx x = {.file = file, .errs = errs};
	jv *doc = mutu_jx__parse(&x, text, len);
	if (!doc)
		return MUTU_EINPUT;
	const jv *ys = NULL;
	if (mutu_jx__object(&x, doc, "", keys) && (ys = mutu_jx__get(&x, doc, "", "years", true)) &&
	    !mutu_jx__is_array(ys)) {
		mutu_jx__error(&x, "/years", "must be an array of years, got %s",
			       mutu_jx__type_name(ys));
		ys = NULL;
	}
	if (ys && !(out->file = strdup(file)))
		mutu_jx__error(&x, NULL, "out of memory");
	if (ys && !x.failed &&
	    !(out->years = calloc((size_t)mutu_jx__size(ys) + 1, sizeof *out->years)))
		mutu_jx__error(&x, NULL, "out of memory");
	for (const jv *it = ys && out->years ? mutu_jx__child(ys) : NULL; it;
	     it = mutu_jx__next(it)) {
		size_t i = out->nyears++;
		jx_path p;
		mutu_jx__path_index(&p, "/years", i);
		mutu_achieved_year *y = &out->years[i];
		y->index = i;
		read_achieved_year(&x, it, p.s, cab, y);
		for (size_t j = 0; y->year && j < i; j++)
			if (out->years[j].year == y->year) {
				jx_path q;
				mutu_jx__path_key(&q, p.s, "year");
				mutu_jx__error(&x, q.s, "year %d is given twice (also /years/%zu)",
					       y->year, j);
			}
	}
	mutu_jx__free(doc);
	if (x.failed) {
		mutu_achieved_free(out);
		return MUTU_EINPUT;
	}
	return MUTU_OK;
}

int mutu_achieved_load(mutu_achieved *out, const mutu_cabinet *cab, const char *path,
		       mutu_errors *errs)
{
	memset(out, 0, sizeof *out);
	jx x = {.file = path, .errs = errs};
	size_t len;
	char *text = mutu_jx__read_file(&x, path, &len);
	if (!text)
		return MUTU_EIO;
	int rc = mutu_achieved_parse(out, cab, text, len, path, errs);
	free(text);
	return rc;
}

void mutu_achieved_free(mutu_achieved *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->nyears; i++)
		free(a->years[i].members);
	free(a->years);
	free(a->file);
	memset(a, 0, sizeof *a);
}

/* ---------------- the simulation ---------------- */

/* The rules' modulation of the aid for `achieved` against `objective`. */
static double modulate(const mutu_rules *rules, double achieved, double objective)
{
	if (objective <= 0)
		return 1;
	if (rules->modulation == MUTU_MOD_ALL_OR_NOTHING)
		return achieved + EPS >= objective ? 1 : 0;
	return achieved >= objective ? 1 : achieved / objective;
}

/* Whether a suspension touches [from, to] (days, inclusive). */
static bool suspended(const mutu_contract *ct, mutu_date from, mutu_date to)
{
	mutu_date since = MUTU_DATE_NONE;
	for (size_t k = 0; k < ct->nevents; k++) {
		const mutu_contract_event *e = &ct->events[k];
		if (e->type == MUTU_EVENT_SUSPEND) {
			since = e->date;
		} else if (e->type == MUTU_EVENT_RESUME && since != MUTU_DATE_NONE) {
			if (since <= to && e->date > from)
				return true;
			since = MUTU_DATE_NONE;
		}
	}
	return since != MUTU_DATE_NONE && since <= to;
}

static const mutu_achieved_year *achieved_year(const mutu_achieved *a, int year)
{
	for (size_t i = 0; a && i < a->nyears; i++)
		if (a->years[i].year == year)
			return &a->years[i];
	return NULL;
}

typedef struct run {
	const mutu_contract *ct;
	const mutu_rules *rules;
	const mutu_cabinet *cab;
	const mutu_achieved *ach;
	double rate;
	mutu_errors *errs;
	mutu_doctor_eval *evals;
	size_t nevals;
	size_t *order; /* current members, in contract then join order */
	size_t norder;
	long *option_of; /* notional option per cabinet doctor */
	double *a0;      /* a_i of the contract's members */
	bool changed;    /* the members differ from the start's */
	size_t next;     /* next event to apply */
	bool failed;     /* an error was recorded */
} run;

/* Applies the joins and leaves dated on or before `from`; true when the
 * members changed. */
static bool apply_events(run *s, mutu_date from)
{
	bool any = false;
	for (; s->next < s->ct->nevents && s->ct->events[s->next].date <= from; s->next++) {
		const mutu_contract_event *e = &s->ct->events[s->next];
		size_t d = (size_t)e->doctor;
		if (e->type == MUTU_EVENT_JOIN) {
			s->order[s->norder++] = d;
			s->option_of[d] = e->option;
			any = true;
		} else if (e->type == MUTU_EVENT_LEAVE) {
			size_t j = 0;
			while (j < s->norder && s->order[j] != d)
				j++;
			if (j == s->norder)
				continue;
			memmove(&s->order[j], &s->order[j + 1],
				(s->norder - j - 1) * sizeof *s->order);
			s->norder--;
			any = true;
		}
	}
	return any;
}

/* ETP, objective, band, shares, a_i and aid of year `y` (members set). */
static void year_terms(run *s, mutu_sim_year *y)
{
	const mutu_contract *ct = s->ct;
	const mutu_rules *r = s->rules;
	size_t m = y->nmembers;
	double pg = 0;
	for (size_t i = 0; i < m; i++)
		pg += s->evals[y->members[i].doctor].value;
	y->band = mutu_group_band(r, ct->specialty, pg, m);
	if (!s->changed) {
		y->etp = ct->components[ct->assistant].etp;
		y->objective = ct->collective_objective;
		for (size_t i = 0; i < m; i++) {
			y->members[i].share = ct->members[i].share;
			y->members[i].assistant_etp = s->a0[i];
		}
	} else {
		if (r->mut.objective_basis == MUTU_BASIS_POOLED) {
			double cap = mutu_pooled_max_etp(r, m);
			double E = ct->components[ct->assistant].etp;
			y->etp = m ? fmin(E, cap) : 0;
			y->objective =
			    m ? mutu_pooled_objective(r, s->cab, ct->specialty, pg, m, y->etp) : 0;
		} else {
			for (size_t i = 0; i < m; i++) {
				size_t d = y->members[i].doctor;
				long o = s->option_of[d];
				if (o < 0)
					continue;
				y->etp += r->options[o].etp;
				if (s->evals[d].eligible)
					y->objective += s->evals[d].options[o].objective;
			}
		}
		for (size_t i = 0; i < m; i++) {
			double p = s->evals[y->members[i].doctor].value;
			y->members[i].share =
			    pg > 0 ? y->objective * p / pg : y->objective / (double)m;
			y->members[i].assistant_etp = y->etp / (double)m;
		}
	}
	if (r->mut.objective_basis == MUTU_BASIS_POOLED) {
		y->aid = mutu_pooled_aid_year(r, y->band, y->etp, y->year);
		return;
	}
	for (size_t i = 0; i < m; i++) {
		size_t d = y->members[i].doctor;
		long o = s->option_of[d];
		if (o >= 0)
			y->aid += mutu_option_aid(&r->options[o], y->year, s->evals[d].band);
	}
}

static void sim_error(run *s, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Records an error against the achievement file. */
static void sim_error(run *s, const char *path, const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	mutu_errors_add(s->errs, s->ach->file, path, "%s", msg);
	s->failed = true;
}

/* Patients achieved in year `y`, from the file or the rate.  Records an
 * error when the file does not fit the year's members or assessment. */
static void year_patients(run *s, mutu_sim_year *y)
{
	bool individual = s->rules->mut.assessment == MUTU_ASSESS_INDIVIDUAL;
	if (!s->ach) {
		/* Each member achieves the rate on its share; the structure, on
		 * the collective objective (the shares may sum to more). */
		double sum = 0;
		for (size_t i = 0; i < y->nmembers; i++) {
			y->members[i].patients = s->rate * y->members[i].share;
			sum += y->members[i].patients;
		}
		y->patients = individual ? sum : s->rate * y->objective;
		return;
	}
	char path[96];
	const mutu_achieved_year *a = achieved_year(s->ach, y->year);
	if (!a) {
		if (y->status == MUTU_YEAR_ASSESSED)
			sim_error(s, "/years", "year %d is assessed but missing", y->year);
		return;
	}
	snprintf(path, sizeof path, "/years/%zu", a->index);
	if (!a->members) {
		if (individual && y->status == MUTU_YEAR_ASSESSED)
			sim_error(
			    s, path,
			    "year %d is assessed member by member: give \"members\" instead of "
			    "\"patients\"",
			    y->year);
		y->patients = a->patients;
		return;
	}
	y->patients = a->patients;
	for (size_t j = 0; j < a->nmembers; j++) {
		size_t i = 0;
		while (i < y->nmembers && y->members[i].doctor != a->members[j].doctor)
			i++;
		if (i < y->nmembers) {
			y->members[i].patients = a->members[j].patients;
			continue;
		}
		snprintf(path, sizeof path, "/years/%zu/members/%zu/doctor", a->index, j);
		sim_error(s, path, "%s is not a member in year %d",
			  s->cab->doctors[a->members[j].doctor].id, y->year);
	}
	snprintf(path, sizeof path, "/years/%zu/members", a->index);
	for (size_t i = 0; i < y->nmembers; i++)
		if (y->members[i].patients < 0)
			sim_error(s, path, "lacks %s, a member in year %d",
				  s->cab->doctors[y->members[i].doctor].id, y->year);
}

/* The aid due of year `y` under the rules' assessment and modulation. */
static void year_aid(run *s, mutu_sim_year *y)
{
	if (y->status == MUTU_YEAR_SUSPENDED) {
		y->aid = y->aid_due = 0;
		y->patients = -1;
		y->paid_fraction = 0;
		for (size_t i = 0; i < y->nmembers; i++)
			y->members[i].patients = -1;
		return;
	}
	bool assessed = y->status == MUTU_YEAR_ASSESSED;
	if (s->rules->mut.assessment == MUTU_ASSESS_STRUCTURE) {
		y->paid_fraction = assessed ? modulate(s->rules, y->patients, y->objective) : 1;
		y->aid_due = y->aid * y->paid_fraction;
		return;
	}
	y->aid_due = 0;
	for (size_t i = 0; i < y->nmembers; i++) {
		mutu_sim_member *mb = &y->members[i];
		mb->aid = y->etp > 0 ? y->aid * mb->assistant_etp / y->etp : 0;
		mb->paid_fraction = assessed ? modulate(s->rules, mb->patients, mb->share) : 1;
		mb->aid_due = mb->aid * mb->paid_fraction;
		y->aid_due += mb->aid_due;
	}
	y->paid_fraction = y->aid > 0 ? y->aid_due / y->aid : 1;
}

static int simulate_year(run *s, mutu_sim_year *y, int k)
{
	const mutu_contract *ct = s->ct;
	y->year = k;
	y->from = mutu_date_add_years(ct->start, k - 1);
	y->to = mutu_date_add_years(ct->start, k) - 1;
	y->changed = apply_events(s, y->from);
	s->changed |= y->changed;
	y->members = calloc(s->norder + 1, sizeof *y->members);
	if (!y->members)
		return MUTU_ENOMEM;
	y->nmembers = s->norder;
	for (size_t i = 0; i < s->norder; i++) {
		y->members[i].doctor = s->order[i];
		y->members[i].patients = -1;
		y->members[i].paid_fraction = 1;
	}
	y->patients = -1;
	if (suspended(ct, y->from, y->to))
		y->status = MUTU_YEAR_SUSPENDED;
	else if (k >= s->rules->check_from_year)
		y->status = MUTU_YEAR_ASSESSED;
	else
		y->status = MUTU_YEAR_NOT_ASSESSED;
	year_terms(s, y);
	if (y->status != MUTU_YEAR_SUSPENDED)
		year_patients(s, y);
	year_aid(s, y);
	return MUTU_OK;
}

int mutu_contract_simulate(mutu_simulation *out, const mutu_contract *ct, const mutu_rules *rules,
			   const mutu_cabinet *cab, double rate, const mutu_achieved *achieved,
			   mutu_errors *errs)
{
	memset(out, 0, sizeof *out);
	if (!mutu_contract_timeline_ok(ct)) {
		mutu_errors_add(errs, ct->id, NULL,
				"the members and events cannot be replayed: validate the contract "
				"first");
		return MUTU_EINPUT;
	}
	run s = {.ct = ct, .rules = rules, .cab = cab, .ach = achieved, .rate = rate, .errs = errs};
	int rc = MUTU_ENOMEM;
	int Y = ct->components[ct->assistant].years;
	size_t nd = cab->ndoctors;
	s.evals = calloc(nd + 1, sizeof *s.evals);
	s.order = calloc(nd + 1, sizeof *s.order);
	s.option_of = calloc(nd + 1, sizeof *s.option_of);
	s.a0 = calloc(ct->nmembers + 1, sizeof *s.a0);
	out->years = calloc((size_t)Y, sizeof *out->years);
	if (!s.evals || !s.order || !s.option_of || !s.a0 || !out->years)
		goto cleanup;
	for (; s.nevals < nd; s.nevals++)
		if (mutu_individual_eval(&s.evals[s.nevals], rules, cab, s.nevals) != MUTU_OK) {
			s.nevals++;
			goto cleanup;
		}
	for (size_t d = 0; d < nd; d++)
		s.option_of[d] = -1;
	for (size_t i = 0; i < ct->nmembers; i++) {
		s.order[s.norder++] = ct->members[i].doctor;
		s.option_of[ct->members[i].doctor] = ct->members[i].option;
	}
	mutu_contract_assistant_time(ct, s.a0);
	for (size_t i = 0; achieved && i < achieved->nyears; i++)
		if (achieved->years[i].year > Y) {
			char path[64];
			snprintf(path, sizeof path, "/years/%zu/year", achieved->years[i].index);
			mutu_errors_add(errs, achieved->file, path,
					"year %d is beyond the contract's %d years",
					achieved->years[i].year, Y);
			s.failed = true;
		}
	for (int k = 1; k <= Y; k++) {
		if (simulate_year(&s, &out->years[k - 1], k) != MUTU_OK)
			goto cleanup;
		out->nyears = k;
		out->aid += out->years[k - 1].aid;
		out->aid_due += out->years[k - 1].aid_due;
	}
	rc = s.failed ? MUTU_EINPUT : MUTU_OK;
cleanup:
	for (size_t i = 0; i < s.nevals; i++)
		mutu_doctor_eval_free(&s.evals[i], rules->noptions);
	free(s.evals);
	free(s.order);
	free(s.option_of);
	free(s.a0);
	return rc;
}

void mutu_simulation_free(mutu_simulation *sim)
{
	if (!sim)
		return;
	for (int k = 0; sim->years && k < sim->nyears; k++)
		free(sim->years[k].members);
	free(sim->years);
	memset(sim, 0, sizeof *sim);
}

/* ---------------- reports ---------------- */

static const char *const status_names[] = {"not_assessed", "assessed", "suspended"};
static const char *const status_text[] = {"not assessed", "assessed", "suspended"};

/* The doctors who left and joined at the start of year k (k >= 2). */
static void changes_text(strbuf *b, const mutu_simulation *sim, const mutu_cabinet *cab, int k)
{
	const mutu_sim_year *prev = &sim->years[k - 2], *y = &sim->years[k - 1];
	const char *sep = "";
	mutu_sb__printf(b, "Year %d:", k);
	for (size_t pass = 0; pass < 2; pass++) {
		const mutu_sim_year *a = pass == 0 ? prev : y, *other = pass == 0 ? y : prev;
		for (size_t i = 0; i < a->nmembers; i++) {
			bool found = false;
			for (size_t j = 0; j < other->nmembers && !found; j++)
				found = other->members[j].doctor == a->members[i].doctor;
			if (!found) {
				mutu_sb__printf(b, "%s %s %s", sep,
						cab->doctors[a->members[i].doctor].id,
						pass == 0 ? "left" : "joined");
				sep = ",";
			}
		}
	}
	mutu_sb__printf(b,
			"; ETP %.2f and objective %.0f recomputed by the rules for %zu members.\n",
			y->etp, y->objective, y->nmembers);
}

static void simulation_text(strbuf *b, const mutu_contract *ct, const mutu_simulation *sim,
			    const mutu_rules *r, const mutu_cabinet *cab)
{
	char date[11];
	bool individual = r->mut.assessment == MUTU_ASSESS_INDIVIDUAL;
	mutu_date_format(ct->start, date);
	mutu_sb__printf(b, "%s (%s, %s): %d years from %s, objective basis %s.\n", ct->id,
			ct->structure, r->specialties[ct->specialty].name, sim->nyears, date,
			r->mut.objective_basis == MUTU_BASIS_POOLED ? "pooled" : "sum_individual");
	mutu_sb__printf(b, "Achievement assessed from year %d %s, modulation %s.\n\n",
			r->check_from_year,
			individual ? "member by member" : "at the structure level",
			r->modulation == MUTU_MOD_PRORATA ? "prorata" : "all_or_nothing");
	mutu_sb__printf(b, "%4s  %-10s  %7s  %5s  %9s  %8s  %-12s  %7s  %11s  %11s\n", "year",
			"from", "members", "ETP", "objective", "patients", "status", "paid", "aid",
			"aid due");
	for (int k = 0; k < sim->nyears; k++) {
		const mutu_sim_year *y = &sim->years[k];
		char pat[32], paid[32];
		mutu_date_format(y->from, date);
		if (y->patients >= 0)
			snprintf(pat, sizeof pat, "%.0f", y->patients);
		else
			snprintf(pat, sizeof pat, "-");
		if (y->status == MUTU_YEAR_SUSPENDED)
			snprintf(paid, sizeof paid, "-");
		else
			snprintf(paid, sizeof paid, "%.1f %%", 100 * y->paid_fraction);
		mutu_sb__printf(b,
				"%4d  %-10s  %7zu  %5.2f  %9.0f  %8s  %-12s  %7s  %11.2f  %11.2f\n",
				y->year, date, y->nmembers, y->etp, y->objective, pat,
				status_text[y->status], paid, y->aid, y->aid_due);
		for (size_t i = 0;
		     individual && y->status != MUTU_YEAR_SUSPENDED && i < y->nmembers; i++) {
			const mutu_sim_member *m = &y->members[i];
			if (m->patients >= 0)
				snprintf(pat, sizeof pat, "%.0f", m->patients);
			else
				snprintf(pat, sizeof pat, "-");
			mutu_sb__printf(
			    b,
			    "%4s  %-18s  share %6.1f  ETP %4.2f  patients %5s  paid %5.1f %%"
			    "  %11.2f  %11.2f\n",
			    "", cab->doctors[m->doctor].id, m->share, m->assistant_etp, pat,
			    100 * m->paid_fraction, m->aid, m->aid_due);
		}
	}
	mutu_sb__printf(b, "%-80s%11.2f  %11.2f\n", "total", sim->aid, sim->aid_due);
	for (int k = 2; k <= sim->nyears; k++)
		if (sim->years[k - 1].changed)
			changes_text(b, sim, cab, k);
	mutu_sb__printf(b, "Withheld by the modulation: %.2f €.\n", sim->aid - sim->aid_due);
}

static jv *year_json(const mutu_sim_year *y, const mutu_rules *r, const mutu_cabinet *cab)
{
	char date[11];
	bool individual = r->mut.assessment == MUTU_ASSESS_INDIVIDUAL;
	bool suspended_year = y->status == MUTU_YEAR_SUSPENDED;
	jv *o = mutu_jw__object();
	mutu_jw__add_number(o, "year", y->year);
	mutu_date_format(y->from, date);
	mutu_jw__add_string(o, "from", date);
	mutu_date_format(y->to, date);
	mutu_jw__add_string(o, "to", date);
	jv *ids = mutu_jw__add_array(o, "members");
	for (size_t i = 0; i < y->nmembers; i++)
		mutu_jw__push(ids, mutu_jw__string(cab->doctors[y->members[i].doctor].id));
	mutu_jw__add_bool(o, "changed", y->changed);
	if (r->mut.objective_basis == MUTU_BASIS_POOLED)
		mutu_jw__add_string(o, "band", mutu_band_name(y->band));
	mutu_jw__add_number(o, "etp", y->etp);
	mutu_jw__add_number(o, "objective", y->objective);
	if (y->patients >= 0)
		mutu_jw__add_number(o, "patients", y->patients);
	else
		mutu_jw__add_null(o, "patients");
	mutu_jw__add_string(o, "status", status_names[y->status]);
	if (suspended_year)
		mutu_jw__add_null(o, "paid_fraction");
	else
		mutu_jw__add_number(o, "paid_fraction", y->paid_fraction);
	mutu_jw__add_number(o, "aid", y->aid);
	mutu_jw__add_number(o, "aid_due", y->aid_due);
	jv *docs = mutu_jw__add_array(o, "doctors");
	for (size_t i = 0; i < y->nmembers; i++) {
		const mutu_sim_member *m = &y->members[i];
		jv *d = mutu_jw__object();
		mutu_jw__add_string(d, "doctor", cab->doctors[m->doctor].id);
		mutu_jw__add_number(d, "assistant_etp", m->assistant_etp);
		mutu_jw__add_number(d, "share", m->share);
		if (m->patients >= 0)
			mutu_jw__add_number(d, "patients", m->patients);
		else
			mutu_jw__add_null(d, "patients");
		if (individual && !suspended_year) {
			mutu_jw__add_number(d, "paid_fraction", m->paid_fraction);
			mutu_jw__add_number(d, "aid", m->aid);
			mutu_jw__add_number(d, "aid_due", m->aid_due);
		}
		mutu_jw__push(docs, d);
	}
	return o;
}

char *mutu_report_simulation(const mutu_contract *ct, const mutu_simulation *sim,
			     const mutu_rules *rules, const mutu_cabinet *cab, mutu_format fmt)
{
	strbuf b = {0};
	if (fmt != MUTU_FORMAT_JSON) {
		simulation_text(&b, ct, sim, rules, cab);
		return mutu_sb__take(&b);
	}
	char date[11];
	jv *root = mutu_jw__object();
	mutu_jw__add_string(root, "contract", ct->id);
	mutu_jw__add_string(root, "structure", ct->structure);
	mutu_jw__add_string(root, "specialty", rules->specialties[ct->specialty].name);
	mutu_date_format(ct->start, date);
	mutu_jw__add_string(root, "start", date);
	mutu_jw__add_number(root, "horizon_years", sim->nyears);
	mutu_jw__add_string(root, "basis",
			    rules->mut.objective_basis == MUTU_BASIS_POOLED ? "pooled"
									    : "sum_individual");
	mutu_jw__add_string(root, "assessment",
			    rules->mut.assessment == MUTU_ASSESS_INDIVIDUAL ? "individual"
									    : "structure");
	mutu_jw__add_string(root, "modulation",
			    rules->modulation == MUTU_MOD_PRORATA ? "prorata" : "all_or_nothing");
	mutu_jw__add_number(root, "check_from_year", rules->check_from_year);
	jv *years = mutu_jw__add_array(root, "years");
	for (int k = 0; k < sim->nyears; k++)
		mutu_jw__push(years, year_json(&sim->years[k], rules, cab));
	jv *tot = mutu_jw__add_object(root, "totals");
	mutu_jw__add_number(tot, "aid", sim->aid);
	mutu_jw__add_number(tot, "aid_due", sim->aid_due);
	mutu_jw__add_number(tot, "withheld", sim->aid - sim->aid_due);
	char *text = mutu_jw__print(root, false, true);
	if (!text)
		return NULL;
	mutu_sb__printf(&b, "%s", text);
	free(text);
	return mutu_sb__take(&b);
}

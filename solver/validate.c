/* Checking a pooled contract rule by rule (model.md §5).
 *
 * Where model.md is silent this file decides, and says so at each check:
 * the members of `members` are those at the start and joiners appear only
 * in join events; a member is in every component, so its lock-in is the
 * longest commitment of the contract's component kinds, counted from its
 * entry (the start, or its join anniversary); anniversaries are counted
 * from the start (a 29 February start falls on 28 February in common
 * years), never chained from one another.
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
#include "fmt.h"
#include "i18n.h"
#include "strbuf.h"

/* Slack for comparing patient counts computed in floating point. */
#define EPS 1e-9
/* Slack for ETP: contracts write assistant time with 4 decimals (a third
 * of an ETP is 0.3333). */
#define ETP_EPS 1e-4

typedef struct check {
	const mutu_contract *ct;
	const mutu_rules *rules;
	const mutu_cabinet *cab;
	const mutu_doctor_eval *evals; /* one per cabinet doctor */
	mutu_findings *out;
	bool nomem;
} check;

static void add(check *c, const char *code, mutu_severity sev, const char *path, const char *fmt,
		...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void add(check *c, const char *code, mutu_severity sev, const char *path, const char *fmt,
		...)
{
	mutu_findings *f = c->out;
	if (f->count == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 16;
		mutu_finding *items = realloc(f->items, cap * sizeof *items);
		if (!items) {
			c->nomem = true;
			return;
		}
		f->items = items;
		f->cap = cap;
	}
	mutu_finding *it = &f->items[f->count++];
	it->code = code;
	it->severity = sev;
	snprintf(it->path, sizeof it->path, "%s", path);
	va_list ap, fr;
	va_start(ap, fmt);
	va_copy(fr, ap);
	vsnprintf(it->message, sizeof it->message, fmt, ap);
	/* French now, while the arguments are at hand; xgettext collects
	 * every format given here (keyword add:5). */
	vsnprintf(it->message_fr, sizeof it->message_fr, mutu_i18n_text(MUTU_LANG_FR, fmt), fr);
	va_end(fr);
	va_end(ap);
}

static const char *doctor_id(const check *c, size_t d)
{
	return c->cab->doctors[d].id;
}

/* The eligibility finding of doctor d, whose reason individual.c writes
 * in English: read back in French for the French message. */
static void add_ineligible(check *c, const char *path, size_t d)
{
	const char *why = c->evals[d].reason;
	size_t before = c->out->count;
	add(c, "eligibility", MUTU_SEVERITY_ERROR, path, "%s is not eligible: %s", doctor_id(c, d),
	    why);
	if (c->out->count == before)
		return; /* out of memory */
	mutu_finding *it = &c->out->items[before];
	char tr[MUTU_NOTE_SIZE];
	mutu_lang old = mutu_i18n__use(MUTU_LANG_FR);
	snprintf(it->message_fr, sizeof it->message_fr, _("%s is not eligible: %s"),
		 doctor_id(c, d), mutu_i18n__sentence(why, tr, sizeof tr));
	mutu_i18n__use(old);
}

/* "/members/3/share" and the like. */
static void member_path(char *buf, size_t size, size_t i, const char *key)
{
	snprintf(buf, size, "/members/%zu%s%s", i, key ? "/" : "", key ? key : "");
}

static void event_path(char *buf, size_t size, const mutu_contract_event *e, const char *key)
{
	snprintf(buf, size, "/events/%zu%s%s", e->index, key ? "/" : "", key ? key : "");
}

static const char *kind_name(unsigned kind)
{
	return kind == MUTU_KIND_ASSISTANT ? "assistant" : "forfait";
}

static int commitment(const mutu_rules *rules, unsigned kind)
{
	return kind == MUTU_KIND_ASSISTANT ? rules->mut.commit_assistant
					   : rules->mut.commit_forfait;
}

/* Lock-in of a member: it is in every component, so the longest
 * commitment of the kinds the contract has. */
static int lock_in_years(const check *c)
{
	int years = 0;
	for (size_t i = 0; i < c->ct->ncomponents; i++) {
		int y = commitment(c->rules, c->ct->components[i].kind);
		if (y > years)
			years = y;
	}
	return years;
}

/* How many anniversaries of `start` fall on or before `date`. */
static int anniversaries_before(mutu_date start, mutu_date date)
{
	int y = 0;
	while (mutu_date_add_years(start, y + 1) <= date)
		y++;
	return y;
}

static void check_structure(check *c)
{
	if (strcmp(c->ct->structure, c->cab->id) != 0)
		add(c, "structure", MUTU_SEVERITY_ERROR, "/structure",
		    "the members practise in %s, not in structure \"%s\"", c->cab->id,
		    c->ct->structure);
}

/* specialty, eligibility, cumul for one entry of doctor `d` into the
 * contract over [from, to); `path` points at the doctor's id. */
static void check_entrant(check *c, size_t d, const char *path, mutu_date from, mutu_date to)
{
	const mutu_rules *r = c->rules;
	const mutu_doctor *doc = &c->cab->doctors[d];
	if (doc->specialty != c->ct->specialty)
		add(c, "specialty", MUTU_SEVERITY_ERROR, path, "%s practises %s, not %s", doc->id,
		    r->specialties[doc->specialty].name, r->specialties[c->ct->specialty].name);
	if (!c->evals[d].eligible)
		add_ineligible(c, path, d);
	/* cumul: an individual contract of an exclusive kind overlapping the
	 * member's own stay [from, to), ends inclusive. */
	for (size_t k = 0; k < doc->ncontracts; k++) {
		const mutu_held_contract *h = &doc->contracts[k];
		if (!(h->kind & r->mut.exclusive_kinds) || h->start >= to ||
		    (h->end != MUTU_DATE_NONE && h->end < from))
			continue;
		char hs[11], he[11], fs[11];
		mutu_date_format(h->start, hs);
		mutu_date_format(from, fs);
		if (h->end == MUTU_DATE_NONE)
			snprintf(he, sizeof he, "no end");
		else
			mutu_date_format(h->end, he);
		add(c, "cumul", MUTU_SEVERITY_ERROR, path,
		    "%s holds an individual %s contract (%s to %s) overlapping the pooled contract "
		    "from %s",
		    doc->id, kind_name(h->kind), hs, he, fs);
	}
}

/* The date of doctor `d`'s first leave at or after event position
 * `first` (0: from the start), or the contract end. */
static mutu_date leave_date(const mutu_contract *ct, size_t d, size_t first)
{
	for (size_t k = first; k < ct->nevents; k++)
		if (ct->events[k].type == MUTU_EVENT_LEAVE && ct->events[k].doctor == (long)d)
			return ct->events[k].date;
	return mutu_contract_end(ct);
}

static void check_members(check *c)
{
	const mutu_contract *ct = c->ct;
	char path[64], date[11], start[11];
	mutu_date_format(ct->start, start);
	for (size_t i = 0; i < ct->nmembers; i++) {
		const mutu_contract_member *m = &ct->members[i];
		member_path(path, sizeof path, ct->members[i].index, "doctor");
		check_entrant(c, m->doctor, path, ct->start, leave_date(ct, m->doctor, 0));
		if (m->declared_on > ct->start) {
			member_path(path, sizeof path, ct->members[i].index, "declared_on");
			mutu_date_format(m->declared_on, date);
			add(c, "declaration", MUTU_SEVERITY_ERROR, path,
			    "%s declared on %s, after the start %s", doctor_id(c, m->doctor), date,
			    start);
		}
	}
	const mutu_mutualisation *mu = &c->rules->mut;
	size_t n = ct->nmembers;
	if (n < (size_t)mu->min_doctors)
		add(c, "size", MUTU_SEVERITY_ERROR, "/members",
		    "%zu member%s: a pooled contract needs at least %d", n, n == 1 ? "" : "s",
		    mu->min_doctors);
	else if (n > (size_t)mu->max_doctors)
		add(c, "size", MUTU_SEVERITY_ERROR, "/members",
		    "%zu members: a pooled contract allows at most %d", n, mu->max_doctors);
}

static void check_lock_in(check *c)
{
	char path[64];
	for (size_t i = 0; i < c->ct->ncomponents; i++) {
		const mutu_contract_component *k = &c->ct->components[i];
		int need = commitment(c->rules, k->kind);
		if (k->years >= need)
			continue;
		snprintf(path, sizeof path, "/components/%zu/years", i);
		add(c, "lock_in", MUTU_SEVERITY_ERROR, path,
		    "%s component of %d year%s, below the %d-year commitment", kind_name(k->kind),
		    k->years, k->years == 1 ? "" : "s", need);
	}
}

/* Sum of the notional options' ETP of the members in `in`; pooled: 0. */
static double options_etp(const check *c, const long *option_of, const bool *in)
{
	double e = 0;
	for (size_t d = 0; d < c->cab->ndoctors; d++)
		if (in[d] && option_of[d] >= 0)
			e += c->rules->options[option_of[d]].etp;
	return e;
}

/* The members as the events are replayed. */
typedef struct replay {
	bool *in;        /* per cabinet doctor */
	int *entry;      /* anniversary of entry, per cabinet doctor */
	long *option_of; /* notional option, per cabinet doctor */
	size_t count;
	int lock; /* lock-in years */
} replay;

/* A leave is allowed once the member's lock-in has run, on an anniversary. */
static void check_leave(check *c, replay *rp, const mutu_contract_event *e, bool anniversary)
{
	const mutu_contract *ct = c->ct;
	size_t d = (size_t)e->doctor;
	char path[64], date[11], start[11], other[11];
	mutu_date_format(ct->start, start);
	mutu_date_format(e->date, date);
	event_path(path, sizeof path, e, "date");
	mutu_date earliest = mutu_date_add_years(ct->start, rp->entry[d] + rp->lock);
	if (e->date < earliest) {
		mutu_date_format(earliest, other);
		add(c, "mid_year", MUTU_SEVERITY_ERROR, path,
		    "%s leaves on %s, before the %d-year lock-in has run (earliest leave %s)",
		    doctor_id(c, d), date, rp->lock, other);
	} else if (!anniversary) {
		add(c, "mid_year", MUTU_SEVERITY_ERROR, path,
		    "%s leaves on %s, not an anniversary of the start %s", doctor_id(c, d), date,
		    start);
	}
	rp->in[d] = false;
	rp->count--;
}

/* A join on an anniversary, declared on or before it (absent: not
 * declared), by a doctor who passes the entrant's own checks. */
static void check_join(check *c, replay *rp, size_t k, bool anniversary, int years)
{
	const mutu_contract *ct = c->ct;
	const mutu_contract_event *e = &ct->events[k];
	size_t d = (size_t)e->doctor;
	const char *id = doctor_id(c, d);
	char path[64], date[11], start[11], other[11];
	mutu_date_format(ct->start, start);
	mutu_date_format(e->date, date);
	event_path(path, sizeof path, e, "date");
	if (!anniversary)
		add(c, "mid_year", MUTU_SEVERITY_ERROR, path,
		    "%s joins on %s, not an anniversary of the start %s", id, date, start);
	if (e->declared_on == MUTU_DATE_NONE) {
		event_path(path, sizeof path, e, NULL);
		add(c, "declaration", MUTU_SEVERITY_ERROR, path,
		    "the join of %s on %s carries no declaration date (declared_on)", id, date);
	} else if (e->declared_on > e->date) {
		event_path(path, sizeof path, e, "declared_on");
		mutu_date_format(e->declared_on, other);
		add(c, "declaration", MUTU_SEVERITY_ERROR, path,
		    "%s declared on %s, after joining on %s", id, other, date);
	}
	event_path(path, sizeof path, e, "doctor");
	check_entrant(c, d, path, e->date, leave_date(ct, d, k + 1));
	rp->in[d] = true;
	rp->entry[d] = anniversary ? years : anniversaries_before(ct->start, e->date);
	rp->option_of[d] = e->option;
	rp->count++;
}

/* size and (sum_individual) etp of the members after the events of one
 * date (`e` the last of them). */
static void check_set_after(check *c, const replay *rp, const mutu_contract_event *e)
{
	const mutu_mutualisation *mu = &c->rules->mut;
	char path[64], date[11];
	mutu_date_format(e->date, date);
	event_path(path, sizeof path, e, NULL);
	size_t count = rp->count;
	if (count < (size_t)mu->min_doctors)
		add(c, "size", MUTU_SEVERITY_ERROR, path,
		    "%zu member%s from %s: a pooled contract needs at least %d", count,
		    count == 1 ? "" : "s", date, mu->min_doctors);
	else if (count > (size_t)mu->max_doctors)
		add(c, "size", MUTU_SEVERITY_ERROR, path,
		    "%zu members from %s: a pooled contract allows at most %d", count, date,
		    mu->max_doctors);
	/* Under pooled the simulation caps E by the rules; the notional
	 * options of sum_individual cannot be capped, so check them. */
	if (mu->objective_basis != MUTU_BASIS_SUM_INDIVIDUAL)
		return;
	double etp = options_etp(c, rp->option_of, rp->in);
	if (etp > mu->max_etp_total + ETP_EPS)
		add(c, "etp", MUTU_SEVERITY_ERROR, path,
		    "from %s the members' options sum to %g ETP, above max_etp_total %g", date, etp,
		    mu->max_etp_total);
	else if (etp > mu->max_etp_per_doctor * (double)count + ETP_EPS)
		add(c, "etp", MUTU_SEVERITY_ERROR, path,
		    "from %s the members' options sum to %g ETP, above max_etp_per_doctor x "
		    "members = %g",
		    date, etp, mu->max_etp_per_doctor * (double)count);
}

/* Replays the events: mid_year, declaration, size and (sum_individual)
 * etp after each date, and the entrants' own checks. */
static void check_events(check *c)
{
	const mutu_contract *ct = c->ct;
	size_t nd = c->cab->ndoctors;
	replay rp = {calloc(nd + 1, sizeof *rp.in), calloc(nd + 1, sizeof *rp.entry),
		     malloc((nd + 1) * sizeof *rp.option_of), ct->nmembers, lock_in_years(c)};
	if (!rp.in || !rp.entry || !rp.option_of) {
		c->nomem = true;
		goto cleanup;
	}
	for (size_t d = 0; d < nd; d++)
		rp.option_of[d] = -1;
	for (size_t i = 0; i < ct->nmembers; i++) {
		rp.in[ct->members[i].doctor] = true;
		rp.option_of[ct->members[i].doctor] = ct->members[i].option;
	}
	for (size_t k = 0; k < ct->nevents; k++) {
		const mutu_contract_event *e = &ct->events[k];
		if (e->type != MUTU_EVENT_JOIN && e->type != MUTU_EVENT_LEAVE)
			continue;
		int years = 0;
		bool anniversary = mutu_date_is_anniversary(ct->start, e->date, &years);
		if (e->type == MUTU_EVENT_LEAVE)
			check_leave(c, &rp, e, anniversary);
		else
			check_join(c, &rp, k, anniversary, years);
		/* The set after all the events of this date. */
		if (k + 1 == ct->nevents || ct->events[k + 1].date != e->date)
			check_set_after(c, &rp, e);
	}
cleanup:
	free(rp.in);
	free(rp.entry);
	free(rp.option_of);
}

static void check_etp(check *c)
{
	const mutu_contract *ct = c->ct;
	const mutu_mutualisation *mu = &c->rules->mut;
	double E = ct->components[ct->assistant].etp;
	double m = (double)ct->nmembers;
	char path[64];
	snprintf(path, sizeof path, "/components/%zu/etp", ct->assistant);
	if (E > mu->max_etp_per_doctor * m + ETP_EPS)
		add(c, "etp", MUTU_SEVERITY_ERROR, path,
		    "%g ETP exceeds max_etp_per_doctor x members = %g x %zu = %g", E,
		    mu->max_etp_per_doctor, ct->nmembers, mu->max_etp_per_doctor * m);
	if (E > mu->max_etp_total + ETP_EPS)
		add(c, "etp", MUTU_SEVERITY_ERROR, path, "%g ETP exceeds max_etp_total %g", E,
		    mu->max_etp_total);
	/* The step makes the levels E = n x step of the pooled basis; under
	 * sum_individual E is the sum of the options (see objective). */
	if (mu->objective_basis == MUTU_BASIS_POOLED &&
	    fabs(E / mu->etp_step - round(E / mu->etp_step)) > 1e-6)
		add(c, "etp", MUTU_SEVERITY_ERROR, path, "%g ETP is not a multiple of the step %g",
		    E, mu->etp_step);
	double given = 0;
	bool all = true;
	for (size_t i = 0; i < ct->nmembers; i++) {
		double a = ct->members[i].assistant_etp;
		if (a < 0) {
			all = false;
			continue;
		}
		given += a;
		if (a > mu->max_etp_per_doctor + ETP_EPS) {
			char mp[64];
			member_path(mp, sizeof mp, ct->members[i].index, "assistant_etp");
			add(c, "etp", MUTU_SEVERITY_ERROR, mp,
			    "%g ETP for %s exceeds max_etp_per_doctor %g", a,
			    doctor_id(c, ct->members[i].doctor), mu->max_etp_per_doctor);
		}
	}
	if (given > E + ETP_EPS || (all && fabs(given - E) > ETP_EPS))
		add(c, "etp", MUTU_SEVERITY_ERROR, path,
		    "the members' assistant_etp sum to %g, but the assistant component has %g ETP",
		    given, E);
}

/* P_G: the members' metric values summed. */
static double compiled(const check *c)
{
	double pg = 0;
	for (size_t i = 0; i < c->ct->nmembers; i++)
		pg += c->evals[c->ct->members[i].doctor].value;
	return pg;
}

static void check_objective_pooled(check *c)
{
	const mutu_contract *ct = c->ct;
	const mutu_rules *r = c->rules;
	double E = ct->components[ct->assistant].etp;
	double pg = compiled(c);
	char path[64];
	for (size_t i = 0; i < ct->nmembers; i++)
		if (ct->members[i].option >= 0) {
			member_path(path, sizeof path, ct->members[i].index, "option");
			add(c, "objective", MUTU_SEVERITY_WARNING, path,
			    "notional options do not count under the pooled basis");
		}
	for (size_t k = 0; k < ct->nevents; k++)
		if (ct->events[k].option >= 0) {
			event_path(path, sizeof path, &ct->events[k], "option");
			add(c, "objective", MUTU_SEVERITY_WARNING, path,
			    "notional options do not count under the pooled basis");
		}
	double t = mutu_pooled_objective(r, c->cab, ct->specialty, pg, ct->nmembers, E);
	if (ct->collective_objective + EPS < t)
		add(c, "objective", MUTU_SEVERITY_ERROR, "/collective_objective",
		    "%.0f is below the pooled objective %.0f for %zu members with %g ETP "
		    "(compiled patientele %.0f)",
		    ct->collective_objective, t, ct->nmembers, E, pg);
}

/* Doctor `d` may bring notional option `o`: under the same conditions as
 * group formation (model.md §4 notional_conditions: zone, specialty and,
 * under "apply", the contract history the option requires); it need not
 * be individually feasible. */
static bool option_open(check *c, size_t d, long o, const char *path)
{
	char why[160] = "";
	if (mutu_notional_allowed(c->rules, c->cab, &c->cab->doctors[d], (size_t)o, why,
				  sizeof why))
		return true;
	add(c, "objective", MUTU_SEVERITY_ERROR, path, "%s may not bring option %s: %s",
	    doctor_id(c, d), c->rules->options[o].id, why);
	return false;
}

static void check_objective_sum(check *c)
{
	const mutu_contract *ct = c->ct;
	const mutu_rules *r = c->rules;
	double E = ct->components[ct->assistant].etp;
	double etp = 0, need = 0;
	char path[64];
	/* A member without an option brings none (model.md §4: at most one
	 * per member), as solve --emit-contract writes it. */
	for (size_t i = 0; i < ct->nmembers; i++) {
		const mutu_contract_member *m = &ct->members[i];
		if (m->option < 0)
			continue;
		member_path(path, sizeof path, ct->members[i].index, "option");
		option_open(c, m->doctor, m->option, path);
		etp += r->options[m->option].etp;
		/* An ineligible member has no objective: eligibility says so. */
		const mutu_doctor_eval *ev = &c->evals[m->doctor];
		if (ev->eligible)
			need += ev->options[m->option].objective;
	}
	for (size_t k = 0; k < ct->nevents; k++)
		if (ct->events[k].option >= 0) {
			event_path(path, sizeof path, &ct->events[k], "option");
			option_open(c, (size_t)ct->events[k].doctor, ct->events[k].option, path);
		}
	if (fabs(etp - E) > ETP_EPS) {
		snprintf(path, sizeof path, "/components/%zu/etp", ct->assistant);
		add(c, "objective", MUTU_SEVERITY_ERROR, path,
		    "%g ETP is not the sum of the members' notional options, %g ETP", E, etp);
	}
	if (ct->collective_objective + EPS < need)
		add(c, "objective", MUTU_SEVERITY_ERROR, "/collective_objective",
		    "%.0f is below the sum of the members' individual objectives, %.0f",
		    ct->collective_objective, need);
}

static void check_split(check *c)
{
	const mutu_contract *ct = c->ct;
	double T = ct->collective_objective, sum = 0, pg = compiled(c);
	double phi = c->rules->mut.floor_share;
	char path[64];
	for (size_t i = 0; i < ct->nmembers; i++)
		sum += ct->members[i].share;
	if (sum + EPS < T)
		add(c, "split", MUTU_SEVERITY_ERROR, "/members",
		    "the shares sum to %.0f, below the collective objective %.0f", sum, T);
	if (phi <= 0 || pg <= 0)
		return;
	/* Floor phi x P_i / P_G x T, rounded down to whole patients: shares
	 * are whole, and a proportional split of T cannot always be. */
	for (size_t i = 0; i < ct->nmembers; i++) {
		const mutu_contract_member *m = &ct->members[i];
		double p = c->evals[m->doctor].value;
		double floor_i = floor(phi * p / pg * T + EPS);
		if (m->share + EPS >= floor_i)
			continue;
		member_path(path, sizeof path, ct->members[i].index, "share");
		add(c, "split", MUTU_SEVERITY_ERROR, path,
		    "%s takes %.0f, below its floor %.0f (floor_share %g x %.0f / %.0f of %.0f)",
		    doctor_id(c, m->doctor), m->share, floor_i, phi, p, pg, T);
	}
}

static void check_capacity(check *c)
{
	const mutu_contract *ct = c->ct;
	double *a = calloc(ct->nmembers + 1, sizeof *a);
	char path[64];
	if (!a) {
		c->nomem = true;
		return;
	}
	mutu_contract_assistant_time(ct, a);
	for (size_t i = 0; i < ct->nmembers; i++) {
		const mutu_contract_member *m = &ct->members[i];
		const mutu_doctor_eval *ev = &c->evals[m->doctor];
		double cap = ev->value * (ev->headroom + ev->gain_per_etp * a[i]);
		if (ev->max_new_patients >= 0 && cap > ev->max_new_patients)
			cap = ev->max_new_patients;
		/* Shares are whole patients: allow the capacity rounded up. */
		if (m->share <= mutu_ceil_patients(cap))
			continue;
		member_path(path, sizeof path, ct->members[i].index, "share");
		add(c, "capacity", MUTU_SEVERITY_WARNING, path,
		    "%s takes %.0f, above its capacity of %.1f new patients with %g ETP of "
		    "assistant",
		    doctor_id(c, m->doctor), m->share, cap, a[i]);
	}
	free(a);
}

/* JSON pointer order: token by token, numeric tokens as numbers. */
static int pointer_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		if (*a == '/')
			a++;
		if (*b == '/')
			b++;
		size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
		bool na = la > 0 && strspn(a, "0123456789") >= la;
		bool nb = lb > 0 && strspn(b, "0123456789") >= lb;
		int r;
		if (na && nb) {
			unsigned long x = strtoul(a, NULL, 10), y = strtoul(b, NULL, 10);
			r = x < y ? -1 : x > y;
		} else {
			size_t n = la < lb ? la : lb;
			r = memcmp(a, b, n);
			if (r == 0)
				r = la < lb ? -1 : la > lb;
		}
		if (r)
			return r;
		a += la;
		b += lb;
		if (!*a || !*b)
			return *a ? 1 : *b ? -1 : 0;
	}
	return 0;
}

typedef struct keyed {
	const mutu_finding *f;
	size_t seq;
} keyed;

static int finding_cmp(const void *pa, const void *pb)
{
	const keyed *a = pa, *b = pb;
	int r = pointer_cmp(a->f->path, b->f->path);
	if (r == 0)
		r = strcmp(a->f->code, b->f->code);
	if (r == 0)
		r = a->seq < b->seq ? -1 : a->seq > b->seq;
	return r;
}

/* Sorts by path, then code, then discovery order (qsort is not stable,
 * so the order is a key). */
static int sort_findings(mutu_findings *f)
{
	if (f->count < 2)
		return MUTU_OK;
	keyed *k = malloc(f->count * sizeof *k);
	mutu_finding *sorted = malloc(f->count * sizeof *sorted);
	int rc = MUTU_ENOMEM;
	if (!k || !sorted)
		goto cleanup;
	for (size_t i = 0; i < f->count; i++) {
		k[i].f = &f->items[i];
		k[i].seq = i;
	}
	qsort(k, f->count, sizeof *k, finding_cmp);
	for (size_t i = 0; i < f->count; i++)
		sorted[i] = *k[i].f;
	free(f->items);
	f->items = sorted;
	f->cap = f->count;
	sorted = NULL;
	rc = MUTU_OK;
cleanup:
	free(k);
	free(sorted);
	return rc;
}

/* "unknown doctor "d22"; did you mean "d2"?" and the like. */
static void unknown_doctor(check *c, const char *path, const char *id)
{
	const char **names = calloc(c->cab->ndoctors + 1, sizeof *names);
	for (size_t i = 0; names && i < c->cab->ndoctors; i++)
		names[i] = c->cab->doctors[i].id;
	const char *near = names ? mutu_jx__nearest(id, names) : NULL;
	if (near)
		add(c, "structure", MUTU_SEVERITY_ERROR, path,
		    "\"%s\" is not a doctor of the cabinet %s; did you mean \"%s\"?", id,
		    c->cab->id, near);
	else
		add(c, "structure", MUTU_SEVERITY_ERROR, path,
		    "\"%s\" is not a doctor of the cabinet %s", id, c->cab->id);
	free(names);
}

/* Judges what the loader let through (model.md §5: a readable contract is
 * judged, never refused) and keeps in `view` only the members and events
 * the other rules can judge: members who are doctors of the cabinet, and
 * events that can be replayed.  `view` borrows `ct`'s strings. */
static void check_timeline(check *c, const mutu_contract *ct, mutu_contract *view)
{
	char path[64], date[11], start[11];
	mutu_date_format(ct->start, start);
	bool *in = calloc(c->cab->ndoctors + 1, sizeof *in);
	if (!in) {
		c->nomem = true;
		return;
	}
	for (size_t i = 0; i < ct->nmembers; i++) {
		const mutu_contract_member *m = &ct->members[i];
		if (m->doctor == MUTU_CONTRACT_NO_DOCTOR) {
			member_path(path, sizeof path, m->index, "doctor");
			unknown_doctor(c, path, m->unknown);
			continue;
		}
		view->members[view->nmembers++] = *m;
		in[m->doctor] = true;
	}
	bool suspended = false;
	for (size_t k = 0; k < ct->nevents; k++) {
		const mutu_contract_event *e = &ct->events[k];
		bool person = e->type == MUTU_EVENT_JOIN || e->type == MUTU_EVENT_LEAVE;
		const char *id = person && e->doctor >= 0 ? doctor_id(c, (size_t)e->doctor) : "";
		mutu_date_format(e->date, date);
		event_path(path, sizeof path, e, person ? "doctor" : "type");
		if (person && e->doctor < 0) {
			unknown_doctor(c, path, e->unknown);
			continue;
		}
		if (e->date < ct->start) {
			event_path(path, sizeof path, e, "date");
			add(c, "mid_year", MUTU_SEVERITY_ERROR, path,
			    "%s is before the start of the contract %s", date, start);
			continue;
		}
		bool wrong = true;
		if (e->type == MUTU_EVENT_JOIN && in[e->doctor])
			add(c, "mid_year", MUTU_SEVERITY_ERROR, path,
			    "%s joins on %s but is already a member", id, date);
		else if (e->type == MUTU_EVENT_LEAVE && !in[e->doctor])
			add(c, "mid_year", MUTU_SEVERITY_ERROR, path,
			    "%s leaves on %s but is not a member then", id, date);
		else if (e->type == MUTU_EVENT_SUSPEND && suspended)
			add(c, "mid_year", MUTU_SEVERITY_ERROR, path,
			    "suspend on %s while the contract is already suspended", date);
		else if (e->type == MUTU_EVENT_RESUME && !suspended)
			add(c, "mid_year", MUTU_SEVERITY_ERROR, path,
			    "resume on %s but the contract is not suspended", date);
		else
			wrong = false;
		if (wrong)
			continue;
		if (person)
			in[e->doctor] = e->type == MUTU_EVENT_JOIN;
		else
			suspended = e->type == MUTU_EVENT_SUSPEND;
		view->events[view->nevents++] = *e;
	}
	free(in);
}

int mutu_contract_validate(mutu_findings *out, const mutu_contract *ct, const mutu_rules *rules,
			   const mutu_cabinet *cab)
{
	memset(out, 0, sizeof *out);
	int rc = MUTU_ENOMEM;
	size_t nevals = 0;
	mutu_contract view = *ct;
	view.members = NULL;
	view.events = NULL;
	mutu_doctor_eval *evals = calloc(cab->ndoctors + 1, sizeof *evals);
	if (!evals)
		goto cleanup;
	for (; nevals < cab->ndoctors; nevals++)
		if (mutu_individual_eval(&evals[nevals], rules, cab, nevals) != MUTU_OK) {
			nevals++; /* free the partial one too */
			goto cleanup;
		}
	check c = {.ct = ct, .rules = rules, .cab = cab, .evals = evals, .out = out};
	view.members = calloc(ct->nmembers + 1, sizeof *view.members);
	view.events = calloc(ct->nevents + 1, sizeof *view.events);
	view.nmembers = view.nevents = 0;
	if (!view.members || !view.events)
		goto cleanup;
	check_timeline(&c, ct, &view);
	c.ct = &view;
	check_structure(&c);
	check_members(&c);
	check_lock_in(&c);
	check_events(&c);
	check_etp(&c);
	if (rules->mut.objective_basis == MUTU_BASIS_POOLED)
		check_objective_pooled(&c);
	else
		check_objective_sum(&c);
	check_split(&c);
	check_capacity(&c);
	if (c.nomem)
		goto cleanup;
	rc = sort_findings(out);
cleanup:
	for (size_t i = 0; i < nevals; i++)
		mutu_doctor_eval_free(&evals[i], rules->noptions);
	free(evals);
	free(view.members);
	free(view.events);
	return rc;
}

void mutu_findings_free(mutu_findings *f)
{
	if (!f)
		return;
	free(f->items);
	memset(f, 0, sizeof *f);
}

size_t mutu_findings_errors(const mutu_findings *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->count; i++)
		n += f->items[i].severity == MUTU_SEVERITY_ERROR;
	return n;
}

static const char *severity_name(mutu_severity s)
{
	return s == MUTU_SEVERITY_ERROR ? "error" : "warning";
}

/* One line per finding: severity and code in columns (padded by display
 * width: "avertissement" is wider than "warning"), then where and what. */
static void findings_text(strbuf *b, const mutu_contract *ct, const mutu_findings *f)
{
	size_t errors = mutu_findings_errors(f), warnings = f->count - errors;
	bool en = mutu_i18n__current() == MUTU_LANG_EN;
	mutu_sb__printf(b, "%s: %s", ct->id, errors ? _("not valid") : _("valid"));
	if (f->count == 0)
		mutu_sb__printf(b, "%s\n", _(", no findings"));
	if (errors)
		mutu_sb__printf(b, P_(", %zu error", ", %zu errors", errors), errors);
	if (warnings)
		mutu_sb__printf(b, P_(", %zu warning", ", %zu warnings", warnings), warnings);
	if (f->count)
		mutu_sb__printf(b, "\n");
	size_t wsev = 0, wcode = 0;
	for (size_t i = 0; i < f->count; i++) {
		size_t w = mutu_fmt__width(
		    f->items[i].severity == MUTU_SEVERITY_ERROR ? _("error") : _("warning"));
		wsev = w > wsev ? w : wsev;
		w = mutu_fmt__width(f->items[i].code);
		wcode = w > wcode ? w : wcode;
	}
	for (size_t i = 0; i < f->count; i++) {
		const mutu_finding *it = &f->items[i];
		mutu_sb__printf(b, "  ");
		mutu_fmt__sb_pad(b, it->severity == MUTU_SEVERITY_ERROR ? _("error") : _("warning"),
				 wsev, MUTU_ALIGN_LEFT);
		mutu_sb__printf(b, "  ");
		mutu_fmt__sb_pad(b, it->code, wcode, MUTU_ALIGN_LEFT);
		mutu_sb__printf(b, "  %s: %s\n", it->path, en ? it->message : it->message_fr);
	}
}

char *mutu_report_findings(const mutu_contract *ct, const mutu_findings *f, mutu_format fmt)
{
	mutu_report_options o = {fmt, MUTU_LANG_FR, false};
	return mutu_report_findings_with(ct, f, &o);
}

char *mutu_report_findings_with(const mutu_contract *ct, const mutu_findings *f,
				const mutu_report_options *opts)
{
	strbuf b = {0};
	size_t errors = mutu_findings_errors(f);
	if (opts->format != MUTU_FORMAT_JSON) {
		mutu_lang old = mutu_i18n__use(opts->lang);
		findings_text(&b, ct, f);
		mutu_i18n__use(old);
		return mutu_sb__take(&b);
	}
	jv *root = mutu_jw__object();
	jv *list = NULL;
	char *text = NULL;
	if (!root || !mutu_jw__add_string(root, "contract", ct->id) ||
	    !mutu_jw__add_bool(root, "valid", errors == 0) ||
	    !(list = mutu_jw__add_array(root, "findings")))
		goto cleanup;
	for (size_t i = 0; i < f->count; i++) {
		jv *o = mutu_jw__object();
		if (!mutu_jw__push(list, o))
			goto cleanup;
		if (!mutu_jw__add_string(o, "code", f->items[i].code) ||
		    !mutu_jw__add_string(o, "severity", severity_name(f->items[i].severity)) ||
		    !mutu_jw__add_string(o, "path", f->items[i].path) ||
		    !mutu_jw__add_string(o, "message", f->items[i].message))
			goto cleanup;
	}
	text = mutu_jw__print(root, false, true);
	root = NULL;
	if (text)
		mutu_sb__printf(&b, "%s", text);
cleanup:
	free(text);
	mutu_jw__free(root);
	if (!text)
		b.failed = true;
	return mutu_sb__take(&b);
}

/* Loading a pooled contract (formats.md "Contract") against a cabinet and
 * a rules file.  The checks of model.md §5 are in validate.c; here only
 * what makes the document unreadable or its members' timeline undefined. */
#include <stdlib.h>
#include <string.h>

#include "jsonx.h"
#include "mutu/contract.h"

static const char *const kind_names[] = {"assistant", "forfait", NULL};
static const char *const event_names[] = {"join", "leave", "suspend", "resume", NULL};

/* Longest accepted component, in years: far beyond any real contract,
 * small enough for the date arithmetic. */
#define MAX_YEARS 50

/* Member `key` of `obj` naming a doctor: its index in the cabinet; -2
 * when it names none (then `*unknown` gets a copy of the id: judged, not
 * refused); -1 when absent or not a string (an error). */
static long read_doctor(jx *x, const jv *obj, const char *path, const char *key,
			const mutu_cabinet *cab, char **unknown)
{
	const char *s = NULL;
	*unknown = NULL;
	if (!mutu_jx__string(x, obj, path, key, true, &s))
		return -1;
	long d = mutu_cabinet_doctor(cab, s);
	if (d >= 0)
		return d;
	*unknown = strdup(s);
	if (!*unknown)
		mutu_jx__error(x, path, "out of memory");
	return -2;
}

/* Optional member `key` naming a rules option: its index, -1 when absent
 * or unknown (with an error). */
static long read_option(jx *x, const jv *obj, const char *path, const char *key,
			const mutu_rules *rules)
{
	const char *s = NULL;
	if (!mutu_jx__string(x, obj, path, key, false, &s) || !s)
		return -1;
	long o = mutu_rules_option(rules, s);
	if (o >= 0)
		return o;
	jx_path p;
	mutu_jx__path_key(&p, path, key);
	const char **names = calloc(rules->noptions + 1, sizeof *names);
	for (size_t i = 0; names && i < rules->noptions; i++)
		names[i] = rules->options[i].id;
	const char *near = names ? mutu_jx__nearest(s, names) : NULL;
	if (near)
		mutu_jx__error(x, p.s, "unknown option \"%s\"; did you mean \"%s\"?", s, near);
	else
		mutu_jx__error(x, p.s, "unknown option \"%s\" (not in the rules %s)", s,
			       rules->name);
	free(names);
	return -1;
}

static void read_specialty(jx *x, const jv *doc, const mutu_rules *rules, mutu_contract *ct)
{
	const char *s = NULL;
	if (!mutu_jx__string(x, doc, "", "specialty", true, &s))
		return;
	long k = mutu_rules_specialty(rules, s);
	if (k >= 0) {
		ct->specialty = (size_t)k;
		return;
	}
	const char **names = calloc(rules->nspecialties + 1, sizeof *names);
	for (size_t i = 0; names && i < rules->nspecialties; i++)
		names[i] = rules->specialties[i].name;
	const char *near = names ? mutu_jx__nearest(s, names) : NULL;
	if (near)
		mutu_jx__error(x, "/specialty", "unknown specialty \"%s\"; did you mean \"%s\"?", s,
			       near);
	else
		mutu_jx__error(x, "/specialty", "unknown specialty \"%s\" (not in the rules %s)", s,
			       rules->name);
	free(names);
}

/* A non-empty (or, with `empty_ok`, possibly empty) array at `key`; NULL
 * when absent or wrong, with an error.  `what` names the elements. */
static const jv *read_array(jx *x, const jv *doc, const char *key, bool required, bool empty_ok,
			    const char *what)
{
	const jv *a = mutu_jx__get(x, doc, "", key, required);
	if (!a)
		return NULL;
	jx_path p;
	mutu_jx__path_key(&p, "", key);
	if (!mutu_jx__is_array(a)) {
		mutu_jx__error(x, p.s, "must be an array of %s, got %s", what,
			       mutu_jx__type_name(a));
		return NULL;
	}
	if (!empty_ok && mutu_jx__size(a) == 0) {
		mutu_jx__error(x, p.s, "must be a non-empty array of %s", what);
		return NULL;
	}
	return a;
}

static void read_component(jx *x, const jv *it, const char *path, mutu_contract_component *c)
{
	static const char *const assistant_keys[] = {"kind", "etp", "years", NULL};
	static const char *const forfait_keys[] = {"kind", "years", NULL};
	static const char *const any_keys[] = {"kind", "etp", "years", NULL};
	if (!mutu_jx__is_object(it)) {
		mutu_jx__error(x, path, "must be an object, got %s", mutu_jx__type_name(it));
		return;
	}
	int kind = -1;
	if (!mutu_jx__enum(x, it, path, "kind", true, kind_names, &kind))
		kind = -1;
	/* A forfait has no ETP: "etp" on it is an unknown key, not ignored. */
	mutu_jx__object(x, it, path,
			kind == 0   ? assistant_keys
			: kind == 1 ? forfait_keys
				    : any_keys);
	if (kind >= 0)
		c->kind = 1u << kind;
	long years = 0;
	if (mutu_jx__integer(x, it, path, "years", true, 1, MAX_YEARS, &years))
		c->years = (int)years;
	if (kind != 0)
		return;
	if (mutu_jx__number(x, it, path, "etp", true, 0, 1000, &c->etp) && c->etp <= 0) {
		jx_path p;
		mutu_jx__path_key(&p, path, "etp");
		mutu_jx__error(x, p.s, "must be a positive number of ETP, got %g", c->etp);
	}
}

static void read_components(jx *x, const jv *doc, mutu_contract *ct)
{
	const jv *cs = read_array(x, doc, "components", true, false, "components");
	if (!cs)
		return;
	ct->components = calloc((size_t)mutu_jx__size(cs), sizeof *ct->components);
	if (!ct->components) {
		mutu_jx__error(x, NULL, "out of memory");
		return;
	}
	long first[2] = {-1, -1}; /* first component of each kind */
	for (const jv *it = mutu_jx__child(cs); it; it = mutu_jx__next(it)) {
		size_t i = ct->ncomponents++;
		jx_path p;
		mutu_jx__path_index(&p, "/components", i);
		mutu_contract_component *c = &ct->components[i];
		read_component(x, it, p.s, c);
		if (!c->kind)
			continue;
		int k = c->kind == MUTU_KIND_ASSISTANT ? 0 : 1;
		if (first[k] >= 0) {
			jx_path q;
			mutu_jx__path_key(&q, p.s, "kind");
			mutu_jx__error(x, q.s, "a second %s component (also /components/%ld)",
				       kind_names[k], first[k]);
		} else {
			first[k] = (long)i;
		}
	}
	if (first[0] >= 0)
		ct->assistant = (size_t)first[0];
	else if (!x->failed)
		mutu_jx__error(x, "/components", "must include an assistant component");
}

static void read_member(jx *x, const jv *it, const char *path, const mutu_rules *rules,
			const mutu_cabinet *cab, mutu_contract_member *m, bool *ok)
{
	static const char *const keys[] = {"doctor", "declared_on",   "share",
					   "option", "assistant_etp", NULL};
	m->option = -1;
	m->assistant_etp = -1;
	m->declared_on = MUTU_DATE_NONE;
	*ok = false;
	if (!mutu_jx__object(x, it, path, keys))
		return;
	long d = read_doctor(x, it, path, "doctor", cab, &m->unknown);
	bool good = d >= 0;
	if (good)
		m->doctor = (size_t)d;
	else if (d == -2)
		m->doctor = MUTU_CONTRACT_NO_DOCTOR;
	good &= mutu_jx__date(x, it, path, "declared_on", true, &m->declared_on);
	long share = 0;
	if (mutu_jx__integer(x, it, path, "share", true, 0, 10000000, &share))
		m->share = (double)share;
	m->option = read_option(x, it, path, "option", rules);
	mutu_jx__number(x, it, path, "assistant_etp", false, 0, 1000, &m->assistant_etp);
	*ok = good;
}

static void read_members(jx *x, const jv *doc, const mutu_rules *rules, const mutu_cabinet *cab,
			 mutu_contract *ct)
{
	const jv *ms = read_array(x, doc, "members", true, false, "members");
	if (!ms)
		return;
	ct->members = calloc((size_t)mutu_jx__size(ms), sizeof *ct->members);
	if (!ct->members) {
		mutu_jx__error(x, NULL, "out of memory");
		return;
	}
	for (const jv *it = mutu_jx__child(ms); it; it = mutu_jx__next(it)) {
		size_t i = ct->nmembers++;
		jx_path p;
		mutu_jx__path_index(&p, "/members", i);
		bool ok;
		ct->members[i].index = i;
		read_member(x, it, p.s, rules, cab, &ct->members[i], &ok);
		for (size_t j = 0; ok && j < i; j++)
			if (ct->members[j].doctor == ct->members[i].doctor &&
			    ct->members[i].doctor != MUTU_CONTRACT_NO_DOCTOR) {
				jx_path q;
				mutu_jx__path_key(&q, p.s, "doctor");
				mutu_jx__error(x, q.s,
					       "doctor \"%s\" is listed twice (also /members/%zu)",
					       cab->doctors[ct->members[i].doctor].id, j);
				break;
			}
	}
}

/* One event; the keys allowed depend on its type. */
static void read_event(jx *x, const jv *it, const char *path, const mutu_rules *rules,
		       const mutu_cabinet *cab, mutu_contract_event *e)
{
	static const char *const join_keys[] = {"date",        "type",   "doctor",
						"declared_on", "option", NULL};
	static const char *const leave_keys[] = {"date", "type", "doctor", NULL};
	static const char *const other_keys[] = {"date", "type", NULL};
	e->doctor = -1;
	e->unknown = NULL;
	e->option = -1;
	e->declared_on = MUTU_DATE_NONE;
	e->date = MUTU_DATE_NONE;
	if (!mutu_jx__is_object(it)) {
		mutu_jx__error(x, path, "must be an object, got %s", mutu_jx__type_name(it));
		return;
	}
	int type = -1;
	if (!mutu_jx__enum(x, it, path, "type", true, event_names, &type))
		type = -1;
	mutu_jx__object(x, it, path,
			type == MUTU_EVENT_LEAVE                                  ? leave_keys
			: type == MUTU_EVENT_SUSPEND || type == MUTU_EVENT_RESUME ? other_keys
										  : join_keys);
	e->type = type >= 0 ? (mutu_event_type)type : MUTU_EVENT_JOIN;
	mutu_jx__date(x, it, path, "date", true, &e->date);
	if (type != MUTU_EVENT_JOIN && type != MUTU_EVENT_LEAVE)
		return;
	e->doctor = read_doctor(x, it, path, "doctor", cab, &e->unknown);
	if (type != MUTU_EVENT_JOIN)
		return;
	mutu_jx__date(x, it, path, "declared_on", false, &e->declared_on);
	e->option = read_option(x, it, path, "option", rules);
}

static int by_date(const void *a, const void *b)
{
	const mutu_contract_event *x = a, *y = b;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void read_events(jx *x, const jv *doc, const mutu_rules *rules, const mutu_cabinet *cab,
			mutu_contract *ct)
{
	const jv *es = read_array(x, doc, "events", false, true, "events");
	if (!es || mutu_jx__size(es) == 0)
		return;
	ct->events = calloc((size_t)mutu_jx__size(es), sizeof *ct->events);
	if (!ct->events) {
		mutu_jx__error(x, NULL, "out of memory");
		return;
	}
	for (const jv *it = mutu_jx__child(es); it; it = mutu_jx__next(it)) {
		size_t i = ct->nevents++;
		jx_path p;
		mutu_jx__path_index(&p, "/events", i);
		ct->events[i].index = i;
		read_event(x, it, p.s, rules, cab, &ct->events[i]);
	}
	if (ct->nevents > 1)
		qsort(ct->events, ct->nevents, sizeof *ct->events, by_date);
}

bool mutu_contract_timeline_ok(const mutu_contract *ct)
{
	for (size_t i = 0; i < ct->nmembers; i++)
		if (ct->members[i].doctor == MUTU_CONTRACT_NO_DOCTOR)
			return false;
	bool suspended = false;
	for (size_t k = 0; k < ct->nevents; k++) {
		const mutu_contract_event *e = &ct->events[k];
		if (e->date < ct->start)
			return false;
		if (e->type == MUTU_EVENT_SUSPEND || e->type == MUTU_EVENT_RESUME) {
			if (suspended == (e->type == MUTU_EVENT_SUSPEND))
				return false;
			suspended = !suspended;
			continue;
		}
		if (e->doctor < 0)
			return false;
		bool in = false;
		for (size_t i = 0; i < ct->nmembers; i++)
			in |= ct->members[i].doctor == (size_t)e->doctor;
		for (size_t j = 0; j < k; j++)
			if (ct->events[j].doctor == e->doctor)
				in = ct->events[j].type == MUTU_EVENT_JOIN;
		if (in == (e->type == MUTU_EVENT_JOIN))
			return false;
	}
	return true;
}

static void read_contract(jx *x, const jv *doc, const mutu_rules *rules, const mutu_cabinet *cab,
			  mutu_contract *ct)
{
	static const char *const keys[] = {"id",      "structure",  "specialty",
					   "start",   "components", "collective_objective",
					   "members", "events",     NULL};
	if (!mutu_jx__object(x, doc, "", keys) && !mutu_jx__is_object(doc))
		return;
	const char *s = NULL;
	if (mutu_jx__string(x, doc, "", "id", true, &s) && !(ct->id = strdup(s)))
		mutu_jx__error(x, NULL, "out of memory");
	s = NULL;
	if (mutu_jx__string(x, doc, "", "structure", true, &s) && !(ct->structure = strdup(s)))
		mutu_jx__error(x, NULL, "out of memory");
	read_specialty(x, doc, rules, ct);
	ct->start = MUTU_DATE_NONE;
	mutu_jx__date(x, doc, "", "start", true, &ct->start);
	read_components(x, doc, ct);
	long t = 0;
	if (mutu_jx__integer(x, doc, "", "collective_objective", true, 0, 10000000, &t))
		ct->collective_objective = (double)t;
	read_members(x, doc, rules, cab, ct);
	read_events(x, doc, rules, cab, ct);
}

int mutu_contract_parse(mutu_contract *out, const mutu_rules *rules, const mutu_cabinet *cab,
			const char *text, size_t len, const char *file, mutu_errors *errs)
{
	memset(out, 0, sizeof *out);
	jx x = {.file = file, .errs = errs};
	jv *doc = mutu_jx__parse(&x, text, len);
	if (!doc)
		return MUTU_EINPUT;
	read_contract(&x, doc, rules, cab, out);
	mutu_jx__free(doc);
	if (x.failed) {
		mutu_contract_free(out);
		return MUTU_EINPUT;
	}
	return MUTU_OK;
}

int mutu_contract_load(mutu_contract *out, const mutu_rules *rules, const mutu_cabinet *cab,
		       const char *path, mutu_errors *errs)
{
	memset(out, 0, sizeof *out);
	jx x = {.file = path, .errs = errs};
	size_t len;
	char *text = mutu_jx__read_file(&x, path, &len);
	if (!text)
		return MUTU_EIO;
	int rc = mutu_contract_parse(out, rules, cab, text, len, path, errs);
	free(text);
	return rc;
}

void mutu_contract_free(mutu_contract *ct)
{
	if (!ct)
		return;
	free(ct->id);
	free(ct->structure);
	free(ct->components);
	for (size_t i = 0; ct->members && i < ct->nmembers; i++)
		free(ct->members[i].unknown);
	for (size_t k = 0; ct->events && k < ct->nevents; k++)
		free(ct->events[k].unknown);
	free(ct->members);
	free(ct->events);
	memset(ct, 0, sizeof *ct);
}

mutu_date mutu_contract_end(const mutu_contract *ct)
{
	int years = 0;
	for (size_t i = 0; i < ct->ncomponents; i++)
		if (ct->components[i].years > years)
			years = ct->components[i].years;
	return mutu_date_add_years(ct->start, years);
}

void mutu_contract_assistant_time(const mutu_contract *ct, double *a)
{
	double given = 0;
	size_t without = 0;
	for (size_t i = 0; i < ct->nmembers; i++) {
		if (ct->members[i].assistant_etp >= 0)
			given += ct->members[i].assistant_etp;
		else
			without++;
	}
	double rest = ct->components[ct->assistant].etp - given;
	for (size_t i = 0; i < ct->nmembers; i++)
		a[i] = ct->members[i].assistant_etp >= 0 ? ct->members[i].assistant_etp
		       : rest > 0                        ? rest / (double)without
							 : 0;
}

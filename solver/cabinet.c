/* Loading and checking a cabinet (formats.md "Cabinet"). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonw.h"
#include "jsonx.h"
#include "mutu/cabinet.h"
#include "mutu/cabinet_csv.h"

static const char *const sector_names[] = {"1", "2-optam", "2", NULL};
static const char *const zone_names[] = {"standard", "zip", NULL};
static const char *const kind_names[] = {"assistant", "forfait", NULL};

static void read_contract(jx *x, const jv *it, const char *path, const mutu_rules *rules,
			  mutu_held_contract *c)
{
	static const char *const keys[] = {"kind", "option", "start", "end", NULL};
	c->option = -1;
	c->end = MUTU_DATE_NONE;
	c->start = MUTU_DATE_NONE;
	if (!mutu_jx__object(x, it, path, keys))
		return;
	int kind = 0;
	if (mutu_jx__enum(x, it, path, "kind", true, kind_names, &kind))
		c->kind = 1u << kind;
	const char *opt = NULL;
	if (mutu_jx__string(x, it, path, "option", c->kind == MUTU_KIND_ASSISTANT, &opt) && opt) {
		c->option = mutu_rules_option(rules, opt);
		if (c->option < 0) {
			jx_path p;
			mutu_jx__path_key(&p, path, "option");
			mutu_jx__error(x, p.s, "unknown option \"%s\" (not in the rules %s)", opt,
				       rules->name);
		}
	}
	bool ok = mutu_jx__date(x, it, path, "start", true, &c->start);
	ok &= mutu_jx__date(x, it, path, "end", false, &c->end);
	if (ok && c->end != MUTU_DATE_NONE && c->end < c->start) {
		jx_path p;
		mutu_jx__path_key(&p, path, "end");
		mutu_jx__error(x, p.s, "must not be before start");
	}
}

static void read_doctor(jx *x, const jv *it, const char *path, const mutu_rules *rules,
			mutu_doctor *d)
{
	static const char *const keys[] = {
	    "id",       "specialty",     "sector",           "pmt",         "fa",
	    "age",      "new_installed", "volunteer",        "declared_on", "contracts",
	    "headroom", "gain_per_etp",  "max_new_patients", NULL};
	d->age = -1;
	d->declared_on = MUTU_DATE_NONE;
	d->headroom = d->gain_per_etp = d->max_new_patients = -1;
	if (!mutu_jx__object(x, it, path, keys))
		return;
	const char *s = NULL;
	if (mutu_jx__string(x, it, path, "id", true, &s))
		d->id = strdup(s);
	s = NULL;
	/* Only the metric that counts for the specialty is required (the
	 * other is 0 when absent); an unknown specialty requires neither. */
	bool need_pmt = false, need_fa = false;
	if (mutu_jx__string(x, it, path, "specialty", true, &s)) {
		long k = mutu_rules_specialty(rules, s);
		if (k < 0) {
			const char *names[64];
			size_t n = 0;
			for (; n < rules->nspecialties && n < 63; n++)
				names[n] = rules->specialties[n].name;
			names[n] = NULL;
			const char *near = mutu_jx__nearest(s, names);
			jx_path p;
			mutu_jx__path_key(&p, path, "specialty");
			if (near)
				mutu_jx__error(x, p.s,
					       "unknown specialty \"%s\"; did you mean \"%s\"?", s,
					       near);
			else
				mutu_jx__error(x, p.s,
					       "unknown specialty \"%s\" (not in the rules %s)", s,
					       rules->name);
		} else {
			const mutu_specialty *sp = &rules->specialties[k];
			d->specialty = (size_t)k;
			need_pmt = !sp->excluded && sp->metric == MUTU_METRIC_PMT;
			need_fa = !sp->excluded && sp->metric == MUTU_METRIC_FA;
		}
	}
	int sector = 0;
	if (mutu_jx__enum(x, it, path, "sector", true, sector_names, &sector))
		d->sector = 1u << sector;
	long v = 0;
	if (mutu_jx__integer(x, it, path, "pmt", need_pmt, 0, 1000000, &v))
		d->pmt = (double)v;
	v = 0;
	if (mutu_jx__integer(x, it, path, "fa", need_fa, 0, 1000000, &v))
		d->fa = (double)v;
	v = -1;
	mutu_jx__integer(x, it, path, "age", false, 18, 110, &v);
	d->age = (int)v;
	mutu_jx__bool(x, it, path, "new_installed", false, &d->new_installed);
	mutu_jx__bool(x, it, path, "volunteer", false, &d->volunteer);
	mutu_jx__date(x, it, path, "declared_on", false, &d->declared_on);
	mutu_jx__number(x, it, path, "headroom", false, 0, 10, &d->headroom);
	mutu_jx__number(x, it, path, "gain_per_etp", false, 0, 10, &d->gain_per_etp);
	if (mutu_jx__integer(x, it, path, "max_new_patients", false, 0, 1000000, &v) &&
	    mutu_jx__get(x, it, path, "max_new_patients", false))
		d->max_new_patients = (double)v;
	const jv *cs = mutu_jx__get(x, it, path, "contracts", false);
	if (!cs)
		return;
	jx_path p;
	mutu_jx__path_key(&p, path, "contracts");
	if (!mutu_jx__is_array(cs)) {
		mutu_jx__error(x, p.s, "must be an array of contracts, got %s",
			       mutu_jx__type_name(cs));
		return;
	}
	d->contracts = calloc((size_t)mutu_jx__size(cs) + 1, sizeof *d->contracts);
	if (!d->contracts) {
		mutu_jx__error(x, NULL, "out of memory");
		return;
	}
	for (const jv *c = mutu_jx__child(cs); c; c = mutu_jx__next(c)) {
		jx_path q;
		mutu_jx__path_index(&q, p.s, d->ncontracts);
		read_contract(x, c, q.s, rules, &d->contracts[d->ncontracts++]);
	}
}

/* Doctor ids repeated in the cabinet, each named with its first use. */
static void duplicate_ids(jx *x, const mutu_cabinet *c)
{
	const char **ids = malloc((c->ndoctors + 1) * sizeof *ids);
	for (size_t i = 0; ids && i < c->ndoctors; i++)
		ids[i] = c->doctors[i].id;
	size_t *first = ids ? mutu_jx__first_of(ids, c->ndoctors) : NULL;
	for (size_t i = 0; first && i < c->ndoctors; i++)
		if (first[i] != MUTU_JX_NONE) {
			jx_path p, q;
			mutu_jx__path_index(&p, "/doctors", i);
			mutu_jx__path_key(&q, p.s, "id");
			mutu_jx__error(x, q.s, "duplicate doctor id \"%s\" (also /doctors/%zu)",
				       ids[i], first[i]);
		}
	if (!first)
		mutu_jx__error(x, "/doctors", "out of memory checking the ids");
	free(first);
	free(ids);
}

static void read_cabinet(jx *x, const jv *doc, const mutu_rules *rules, mutu_cabinet *c)
{
	static const char *const keys[] = {"id", "name", "zone", "contract_start", "doctors", NULL};
	if (!mutu_jx__object(x, doc, "", keys))
		return;
	const char *s = NULL;
	if (mutu_jx__string(x, doc, "", "id", true, &s))
		c->id = strdup(s);
	s = NULL;
	if (mutu_jx__string(x, doc, "", "name", false, &s) && s)
		c->name = strdup(s);
	int zone = 0;
	if (mutu_jx__enum(x, doc, "", "zone", true, zone_names, &zone))
		c->zone = 1u << zone;
	c->contract_start = MUTU_DATE_NONE;
	mutu_jx__date(x, doc, "", "contract_start", true, &c->contract_start);
	const jv *ds = mutu_jx__get(x, doc, "", "doctors", true);
	if (!ds)
		return;
	if (!mutu_jx__is_array(ds) || mutu_jx__size(ds) == 0) {
		mutu_jx__error(x, "/doctors", "must be a non-empty array of doctors, got %s",
			       mutu_jx__is_array(ds) ? "an empty array" : mutu_jx__type_name(ds));
		return;
	}
	c->doctors = calloc((size_t)mutu_jx__size(ds), sizeof *c->doctors);
	if (!c->doctors) {
		mutu_jx__error(x, NULL, "out of memory");
		return;
	}
	for (const jv *it = mutu_jx__child(ds); it; it = mutu_jx__next(it)) {
		jx_path p;
		mutu_jx__path_index(&p, "/doctors", c->ndoctors);
		mutu_doctor *d = &c->doctors[c->ndoctors++];
		read_doctor(x, it, p.s, rules, d);
		if (!d->volunteer && d->declared_on != MUTU_DATE_NONE) {
			jx_path q;
			mutu_jx__path_key(&q, p.s, "declared_on");
			mutu_jx__error(x, q.s, "a declaration date needs \"volunteer\": true");
		}
	}
	duplicate_ids(x, c);
}

int mutu_cabinet_parse(mutu_cabinet *out, const mutu_rules *rules, const char *text, size_t len,
		       const char *file, mutu_errors *errs)
{
	memset(out, 0, sizeof *out);
	jx x = {.file = file, .errs = errs};
	jv *doc = mutu_jx__parse(&x, text, len);
	if (!doc)
		return MUTU_EINPUT;
	read_cabinet(&x, doc, rules, out);
	mutu_jx__free(doc);
	if (x.failed) {
		mutu_cabinet_free(out);
		return MUTU_EINPUT;
	}
	return MUTU_OK;
}

int mutu_cabinet_load(mutu_cabinet *out, const mutu_rules *rules, const char *path,
		      mutu_errors *errs)
{
	memset(out, 0, sizeof *out);
	jx x = {.file = path, .errs = errs};
	size_t len;
	char *text = mutu_jx__read_file(&x, path, &len);
	if (!text)
		return MUTU_EIO;
	/* A spreadsheet's cabinet: by its name, or on standard input by its
	 * look (JSON begins with '{'). */
	size_t n = strlen(path);
	bool csv = (n > 4 && strcasecmp(path + n - 4, ".csv") == 0) ||
		   (strcmp(path, "-") == 0 && mutu_cabinet_csv_sniff(text, len));
	int rc = csv ? mutu_cabinet_csv_parse_one(out, rules, text, len, path, errs)
		     : mutu_cabinet_parse(out, rules, text, len, path, errs);
	free(text);
	return rc;
}

void mutu_cabinet_free(mutu_cabinet *cab)
{
	if (!cab)
		return;
	for (size_t i = 0; i < cab->ndoctors; i++) {
		free(cab->doctors[i].id);
		free(cab->doctors[i].contracts);
	}
	free(cab->doctors);
	free(cab->id);
	free(cab->name);
	memset(cab, 0, sizeof *cab);
}

long mutu_cabinet_doctor(const mutu_cabinet *cab, const char *id)
{
	for (size_t i = 0; i < cab->ndoctors; i++)
		if (cab->doctors[i].id && strcmp(cab->doctors[i].id, id) == 0)
			return (long)i;
	return -1;
}

static void add_date(jv *o, const char *key, mutu_date d)
{
	char buf[11];
	if (d == MUTU_DATE_NONE)
		return;
	mutu_date_format(d, buf);
	mutu_jw__add_string(o, key, buf);
}

static void doctor_json(jv *o, const mutu_doctor *d, const mutu_rules *rules)
{
	mutu_jw__add_string(o, "id", d->id);
	mutu_jw__add_string(o, "specialty", rules->specialties[d->specialty].name);
	mutu_jw__add_string(o, "sector",
			    d->sector == MUTU_SECTOR_1         ? "1"
			    : d->sector == MUTU_SECTOR_2_OPTAM ? "2-optam"
							       : "2");
	mutu_jw__add_integer(o, "pmt", (long)d->pmt);
	mutu_jw__add_integer(o, "fa", (long)d->fa);
	if (d->age >= 0)
		mutu_jw__add_integer(o, "age", d->age);
	mutu_jw__add_bool(o, "new_installed", d->new_installed);
	mutu_jw__add_bool(o, "volunteer", d->volunteer);
	add_date(o, "declared_on", d->declared_on);
	if (d->headroom >= 0)
		mutu_jw__add_number(o, "headroom", d->headroom);
	if (d->gain_per_etp >= 0)
		mutu_jw__add_number(o, "gain_per_etp", d->gain_per_etp);
	if (d->max_new_patients >= 0)
		mutu_jw__add_integer(o, "max_new_patients", (long)d->max_new_patients);
	if (d->ncontracts == 0)
		return;
	jv *list = mutu_jw__add_array(o, "contracts");
	for (size_t k = 0; k < d->ncontracts; k++) {
		const mutu_held_contract *h = &d->contracts[k];
		jv *c = mutu_jw__push(list, mutu_jw__object());
		mutu_jw__add_string(c, "kind",
				    h->kind == MUTU_KIND_ASSISTANT ? "assistant" : "forfait");
		if (h->option >= 0)
			mutu_jw__add_string(c, "option", rules->options[h->option].id);
		add_date(c, "start", h->start);
		add_date(c, "end", h->end);
	}
}

char *mutu_cabinet_to_json(const mutu_cabinet *cab, const mutu_rules *rules)
{
	jv *root = mutu_jw__object();
	mutu_jw__add_string(root, "id", cab->id);
	if (cab->name)
		mutu_jw__add_string(root, "name", cab->name);
	mutu_jw__add_string(root, "zone", cab->zone == MUTU_ZONE_ZIP ? "zip" : "standard");
	add_date(root, "contract_start", cab->contract_start);
	jv *docs = mutu_jw__add_array(root, "doctors");
	for (size_t i = 0; i < cab->ndoctors; i++)
		doctor_json(mutu_jw__push(docs, mutu_jw__object()), &cab->doctors[i], rules);
	return mutu_jw__print(root, true, false);
}

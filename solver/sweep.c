/* Modality sweeps over a population: see include/mutu/sweep.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jsonw.h"
#include "clock.h"
#include "mutu/file.h"
#include "jsonx.h"
#include "mutu/sweep.h"
#include "pipeline.h"
#include "strbuf.h"

static int64_t cents(double euros)
{
	return (int64_t)llround(euros * 100.0);
}

int mutu_sweep_modality_init(mutu_sweep_modality *m, const char *label, const mutu_rules *rules)
{
	memset(m, 0, sizeof *m);
	snprintf(m->label, sizeof m->label, "%s", label);
	m->nscopes = 1 + rules->nspecialties + 2;
	m->scopes = calloc(m->nscopes, sizeof *m->scopes);
	if (!m->scopes)
		return MUTU_ENOMEM;
	snprintf(m->scopes[0].name, sizeof m->scopes[0].name, "all");
	for (size_t s = 0; s < rules->nspecialties; s++)
		snprintf(m->scopes[1 + s].name, sizeof m->scopes[0].name, "specialty:%s",
			 rules->specialties[s].name);
	snprintf(m->scopes[m->nscopes - 2].name, sizeof m->scopes[0].name, "zone:standard");
	snprintf(m->scopes[m->nscopes - 1].name, sizeof m->scopes[0].name, "zone:zip");
	return MUTU_OK;
}

void mutu_sweep_modality_free(mutu_sweep_modality *m)
{
	if (!m)
		return;
	for (size_t s = 0; m->scopes && s < m->nscopes; s++)
		free(m->scopes[s].gains);
	free(m->scopes);
	m->scopes = NULL;
	m->nscopes = 0;
}

static int push_gain(mutu_sweep_scope *s, int64_t g)
{
	if (s->ngains == s->capgains) {
		size_t cap = s->capgains ? s->capgains * 2 : 64;
		int64_t *p = realloc(s->gains, cap * sizeof *p);
		if (!p)
			return MUTU_ENOMEM;
		s->gains = p;
		s->capgains = cap;
	}
	s->gains[s->ngains++] = g;
	return MUTU_OK;
}

/* One formed group's figures, already in exact units. */
typedef struct group_figures {
	bool plan;
	int64_t etp, aid, patients, ind_etp, ind_patients, ind_aid, ind_net, gain;
} group_figures;

static int add_to_scope(mutu_sweep_scope *s, const group_figures *f)
{
	s->groups++;
	s->plans += f->plan;
	s->beats += f->plan && f->gain > 50;
	s->winners += f->gain > 50;
	s->losers += f->gain < -50;
	s->unchanged += f->gain >= -50 && f->gain <= 50;
	s->etp += f->etp;
	s->aid += f->aid;
	s->patients += f->patients;
	s->ind_etp += f->ind_etp;
	s->ind_patients += f->ind_patients;
	s->ind_aid += f->ind_aid;
	s->ind_net += f->ind_net;
	s->gain += f->gain;
	return push_gain(s, f->gain);
}

int mutu_sweep_add(mutu_sweep_modality *m, const mutu_analysis *an)
{
	m->structures++;
	if (!an) {
		m->failed++;
		return MUTU_OK;
	}
	m->failed += mutu_analysis_failed(an);
	size_t zone = an->cab->zone == MUTU_ZONE_ZIP ? m->nscopes - 1 : m->nscopes - 2;
	for (size_t g = 0; g < an->ngroups; g++) {
		const mutu_group *grp = &an->groups[g];
		const mutu_group_solution *sol = &an->solutions[g];
		/* A failed group, or one cut by the time limit before any plan,
		 * has no outcome to count. */
		if (!grp->formed || sol->status == MUTU_GROUP_ERROR ||
		    (sol->status == MUTU_GROUP_TIME_LIMIT && !mutu_analysis_has_plan(an, g)))
			continue;
		mutu_baseline bl = mutu_analysis_baseline(an, g);
		group_figures f = {.plan = mutu_analysis_has_plan(an, g)};
		if (f.plan) {
			f.etp = llround(sol->etp * 1e4);
			f.aid = cents(sol->aid);
			f.patients = llround(sol->objective);
		}
		f.ind_etp = llround(bl.etp * 1e4);
		f.ind_patients = llround(bl.objective);
		f.ind_aid = cents(bl.aid);
		f.ind_net = cents(bl.net);
		f.gain = (f.plan ? cents(sol->net) : 0) - f.ind_net;
		size_t scopes[3] = {0, 1 + grp->specialty, zone};
		for (int k = 0; k < 3; k++)
			if (add_to_scope(&m->scopes[scopes[k]], &f) != MUTU_OK)
				return MUTU_ENOMEM;
	}
	return MUTU_OK;
}

int mutu_sweep_combine(mutu_sweep_modality *a, const mutu_sweep_modality *b, mutu_error *err)
{
	if (a->nscopes != b->nscopes || strcmp(a->label, b->label) != 0) {
		snprintf(err->message, sizeof err->message,
			 "shards of different sweeps: modality \"%.150s\" against \"%.150s\"",
			 a->label, b->label);
		return MUTU_EINPUT;
	}
	a->structures += b->structures;
	a->failed += b->failed;
	for (size_t s = 0; s < a->nscopes; s++) {
		mutu_sweep_scope *x = &a->scopes[s];
		const mutu_sweep_scope *y = &b->scopes[s];
		if (strcmp(x->name, y->name) != 0) {
			snprintf(err->message, sizeof err->message,
				 "shards of different sweeps: scope %s against %s", x->name,
				 y->name);
			return MUTU_EINPUT;
		}
		x->groups += y->groups;
		x->plans += y->plans;
		x->beats += y->beats;
		x->winners += y->winners;
		x->losers += y->losers;
		x->unchanged += y->unchanged;
		x->etp += y->etp;
		x->aid += y->aid;
		x->patients += y->patients;
		x->ind_etp += y->ind_etp;
		x->ind_patients += y->ind_patients;
		x->ind_aid += y->ind_aid;
		x->ind_net += y->ind_net;
		x->gain += y->gain;
		for (size_t i = 0; i < y->ngains; i++)
			if (push_gain(x, y->gains[i]) != MUTU_OK)
				return MUTU_ENOMEM;
	}
	return MUTU_OK;
}

/* ---- partial results ---- */

/* clang-format off */
#define SCOPE_FIELDS(X) \
	X(groups) \
	X(plans) \
	X(beats) \
	X(winners) \
	X(losers) \
	X(unchanged) \
	X(etp) \
	X(aid) \
	X(patients) \
	X(ind_etp) \
	X(ind_patients) \
	X(ind_aid) \
	X(ind_net) \
	X(gain)
/* clang-format on */

char *mutu_sweep_to_partial(const mutu_sweep_modality *mods, size_t n, const char *key)
{
	jv *root = mutu_jw__object();
	mutu_jw__add_number(root, "mutu_sweep_partial", 1);
	mutu_jw__add_string(root, "key", key ? key : "");
	jv *arr = mutu_jw__add_array(root, "modalities");
	for (size_t i = 0; i < n; i++) {
		const mutu_sweep_modality *m = &mods[i];
		jv *jm = mutu_jw__object();
		mutu_jw__add_string(jm, "label", m->label);
		mutu_jw__add_number(jm, "structures", (double)m->structures);
		mutu_jw__add_number(jm, "failed", (double)m->failed);
		jv *js = mutu_jw__add_array(jm, "scopes");
		for (size_t s = 0; s < m->nscopes; s++) {
			const mutu_sweep_scope *sc = &m->scopes[s];
			jv *o = mutu_jw__object();
			mutu_jw__add_string(o, "name", sc->name);
#define ADD(f) mutu_jw__add_number(o, #f, (double)sc->f);
			SCOPE_FIELDS(ADD)
#undef ADD
			jv *g = mutu_jw__add_array(o, "gains");
			for (size_t k = 0; k < sc->ngains; k++)
				mutu_jw__push(g, mutu_jw__number((double)sc->gains[k]));
			mutu_jw__push(js, o);
		}
		mutu_jw__push(arr, jm);
	}
	return mutu_jw__print(root, true, true);
}

static int64_t get_int(jx *x, const jv *obj, const char *path, const char *key)
{
	long v = 0;
	mutu_jx__integer(x, obj, path, key, true, -4000000000000000L, 4000000000000000L, &v);
	return v;
}

int mutu_sweep_from_partial(const char *text, size_t len, const char *file,
			    mutu_sweep_modality **out, size_t *nout, char **key, mutu_errors *errs)
{
	jx x = {.file = file, .errs = errs};
	*out = NULL;
	*nout = 0;
	*key = NULL;
	jv *doc = mutu_jx__parse(&x, text, len);
	if (!doc)
		return MUTU_EINPUT;
	const jv *mods = mutu_jx__get(&x, doc, "", "modalities", true);
	const jv *k = mutu_jx__get(&x, doc, "", "key", true);
	size_t n = mutu_jx__is_array(mods) ? (size_t)mutu_jx__size(mods) : 0;
	mutu_sweep_modality *m = calloc(n + 1, sizeof *m);
	if (!m) {
		mutu_jx__free(doc);
		return MUTU_ENOMEM;
	}
	size_t i = 0;
	for (const jv *jm = mods ? mutu_jx__child(mods) : NULL; jm; jm = mutu_jx__next(jm), i++) {
		jx_path p;
		mutu_jx__path_index(&p, "/modalities", i);
		const char *label = "";
		mutu_jx__string(&x, jm, p.s, "label", true, &label);
		snprintf(m[i].label, sizeof m[i].label, "%s", label ? label : "");
		m[i].structures = get_int(&x, jm, p.s, "structures");
		m[i].failed = get_int(&x, jm, p.s, "failed");
		const jv *js = mutu_jx__get(&x, jm, p.s, "scopes", true);
		m[i].nscopes = mutu_jx__is_array(js) ? (size_t)mutu_jx__size(js) : 0;
		m[i].scopes = calloc(m[i].nscopes + 1, sizeof *m[i].scopes);
		size_t s = 0;
		for (const jv *o = js ? mutu_jx__child(js) : NULL; o && m[i].scopes;
		     o = mutu_jx__next(o), s++) {
			mutu_sweep_scope *sc = &m[i].scopes[s];
			jx_path q;
			mutu_jx__path_index(&q, p.s, s);
			const char *name = "";
			mutu_jx__string(&x, o, q.s, "name", true, &name);
			snprintf(sc->name, sizeof sc->name, "%s", name ? name : "");
#define GET(f) sc->f = get_int(&x, o, q.s, #f);
			SCOPE_FIELDS(GET)
#undef GET
			const jv *g = mutu_jx__get(&x, o, q.s, "gains", true);
			for (const jv *v = g ? mutu_jx__child(g) : NULL; v; v = mutu_jx__next(v))
				if (!mutu_jx__is_number(v) ||
				    push_gain(sc, (int64_t)mutu_jx__num(v)) != 0)
					mutu_jx__error(&x, q.s, "gains must be numbers");
		}
	}
	if (mutu_jx__is_string(k)) {
		*key = malloc(strlen(mutu_jx__str(k)) + 1);
		if (*key)
			strcpy(*key, mutu_jx__str(k));
	}
	mutu_jx__free(doc);
	*out = m;
	*nout = n;
	if (x.failed) {
		for (size_t j = 0; j < n; j++)
			mutu_sweep_modality_free(&m[j]);
		free(m);
		free(*key);
		*key = NULL;
		*out = NULL;
		*nout = 0;
		return MUTU_EINPUT;
	}
	return MUTU_OK;
}

int mutu_sweep_load_partial(const char *path, mutu_sweep_modality **mods, size_t *n, char **key,
			    mutu_errors *errs)
{
	jx x = {.file = path, .errs = errs};
	size_t len;
	*mods = NULL;
	*n = 0;
	*key = NULL;
	char *text = mutu_jx__read_file(&x, path, &len);
	if (!text)
		return MUTU_EIO;
	int rc = mutu_sweep_from_partial(text, len, path, mods, n, key, errs);
	free(text);
	return rc;
}

/* ---- report ---- */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Decile k (1..9) by nearest rank on sorted gains, in euros. */
static double decile(const mutu_sweep_scope *s, int k)
{
	if (s->ngains == 0)
		return 0;
	size_t rank = ((size_t)k * s->ngains + 9) / 10;
	return (double)s->gains[rank ? rank - 1 : 0] / 100.0;
}

static double share(int64_t part, int64_t whole)
{
	return whole ? (double)part / (double)whole : 0;
}

static jv *scope_json(const mutu_sweep_scope *s)
{
	jv *o = mutu_jw__object();
	mutu_jw__add_string(o, "scope", s->name);
	mutu_jw__add_number(o, "groups", (double)s->groups);
	mutu_jw__add_number(o, "plans", (double)s->plans);
	mutu_jw__add_number(o, "pooling_beats_individual", (double)s->beats);
	mutu_jw__add_number(o, "pooled_etp", (double)s->etp / 1e4);
	mutu_jw__add_number(o, "pooled_aid", (double)s->aid / 100.0);
	mutu_jw__add_number(o, "new_patients", (double)s->patients);
	mutu_jw__add_number(
	    o, "aid_per_new_patient",
	    mutu_jx__round(s->patients ? (double)s->aid / 100.0 / (double)s->patients : 0, 2));
	mutu_jw__add_number(o, "share_gain", mutu_jx__round(share(s->winners, s->groups), 4));
	mutu_jw__add_number(o, "share_loss", mutu_jx__round(share(s->losers, s->groups), 4));
	mutu_jw__add_number(o, "share_unchanged",
			    mutu_jx__round(share(s->unchanged, s->groups), 4));
	jv *d = mutu_jw__add_array(o, "gain_deciles");
	for (int k = 1; k <= 9; k++)
		mutu_jw__push(d, mutu_jw__number(decile(s, k)));
	mutu_jw__add_number(o, "gain_total", (double)s->gain / 100.0);
	jv *ind = mutu_jw__add_object(o, "individual");
	mutu_jw__add_number(ind, "etp", (double)s->ind_etp / 1e4);
	mutu_jw__add_number(ind, "aid", (double)s->ind_aid / 100.0);
	mutu_jw__add_number(ind, "new_patients", (double)s->ind_patients);
	mutu_jw__add_number(ind, "net", (double)s->ind_net / 100.0);
	return o;
}

static void scope_text(strbuf *b, const mutu_sweep_scope *s, bool head)
{
	if (head)
		mutu_sb__printf(b,
				"  %-24s %7s %7s %7s %9s %14s %9s %8s %6s %6s %6s %11s %11s %11s"
				" %9s %14s %9s\n",
				"scope", "groups", "plans", "beats", "ETP", "aid", "patients",
				"aid/pt", "gain", "loss", "same", "gain D1", "median", "gain D9",
				"ind ETP", "ind aid", "ind pts");
	mutu_sb__printf(
	    b,
	    "  %-24s %7lld %7lld %7lld %9.1f %14.0f %9lld %8.0f %5.1f%% %5.1f%% %5.1f%% "
	    "%11.0f %11.0f %11.0f %9.1f %14.0f %9lld\n",
	    s->name, (long long)s->groups, (long long)s->plans, (long long)s->beats,
	    (double)s->etp / 1e4, (double)s->aid / 100.0, (long long)s->patients,
	    s->patients ? (double)s->aid / 100.0 / (double)s->patients : 0,
	    100 * share(s->winners, s->groups), 100 * share(s->losers, s->groups),
	    100 * share(s->unchanged, s->groups), decile(s, 1), decile(s, 5), decile(s, 9),
	    (double)s->ind_etp / 1e4, (double)s->ind_aid / 100.0, (long long)s->ind_patients);
}

char *mutu_sweep_report(mutu_sweep_modality *mods, size_t n, mutu_format fmt)
{
	for (size_t i = 0; i < n; i++)
		for (size_t s = 0; s < mods[i].nscopes; s++)
			if (mods[i].scopes[s].ngains > 1)
				qsort(mods[i].scopes[s].gains, mods[i].scopes[s].ngains,
				      sizeof(int64_t), cmp_i64);
	strbuf b = {0};
	if (fmt == MUTU_FORMAT_JSON) {
		jv *root = mutu_jw__array();
		for (size_t i = 0; i < n; i++) {
			jv *m = mutu_jw__object();
			mutu_jw__add_string(m, "modality", mods[i].label);
			mutu_jw__add_number(m, "structures", (double)mods[i].structures);
			mutu_jw__add_number(m, "failed", (double)mods[i].failed);
			jv *sc = mutu_jw__add_array(m, "scopes");
			for (size_t s = 0; s < mods[i].nscopes; s++)
				if (s == 0 || mods[i].scopes[s].groups > 0)
					mutu_jw__push(sc, scope_json(&mods[i].scopes[s]));
			mutu_jw__push(root, m);
		}
		char *s = mutu_jw__print(root, false, true);
		if (s)
			mutu_sb__printf(&b, "%s", s);
		else
			b.failed = true;
		free(s);
		return mutu_sb__take(&b);
	}
	if (fmt == MUTU_FORMAT_CSV) {
		mutu_sb__printf(
		    &b, "modality,structures,failed,scope,groups,plans,beats,pooled_etp,"
			"pooled_aid,new_patients,aid_per_new_patient,share_gain,share_loss,"
			"share_unchanged,d1,d2,d3,d4,d5,d6,d7,d8,d9,gain_total,ind_etp,ind_aid,"
			"ind_new_patients,ind_net\n");
		for (size_t i = 0; i < n; i++)
			for (size_t s = 0; s < mods[i].nscopes; s++) {
				const mutu_sweep_scope *sc = &mods[i].scopes[s];
				if (s > 0 && sc->groups == 0)
					continue;
				mutu_sb__csv(&b, mods[i].label);
				mutu_sb__printf(
				    &b,
				    ",%lld,%lld,%s,%lld,%lld,%lld,%.4f,%.2f,%lld,%.2f,%.4f,%.4f,%."
				    "4f",
				    (long long)mods[i].structures, (long long)mods[i].failed,
				    sc->name, (long long)sc->groups, (long long)sc->plans,
				    (long long)sc->beats, (double)sc->etp / 1e4,
				    (double)sc->aid / 100.0, (long long)sc->patients,
				    sc->patients ? (double)sc->aid / 100.0 / (double)sc->patients
						 : 0,
				    share(sc->winners, sc->groups), share(sc->losers, sc->groups),
				    share(sc->unchanged, sc->groups));
				for (int k = 1; k <= 9; k++)
					mutu_sb__printf(&b, ",%.2f", decile(sc, k));
				mutu_sb__printf(
				    &b, ",%.2f,%.4f,%.2f,%lld,%.2f\n", (double)sc->gain / 100.0,
				    (double)sc->ind_etp / 1e4, (double)sc->ind_aid / 100.0,
				    (long long)sc->ind_patients, (double)sc->ind_net / 100.0);
			}
		return mutu_sb__take(&b);
	}
	mutu_sb__printf(
	    &b, "Modalities compared over the same population.  groups: pooled groups "
		"formed; plans: with a pooled contract; beats: pooling pays the doctors more "
		"than their individual contracts; ETP, aid (EUR over the horizon) and "
		"patients: what the payer funds and gets under pooling; gain/loss/same: share "
		"of groups whose net changes by more than 0.50 EUR; D1, median, D9: deciles "
		"of that change (EUR); ind: the same doctors' individual contracts.\n\n");
	for (size_t i = 0; i < n; i++) {
		mutu_sb__printf(&b, "%s — %lld structures, %lld failed\n", mods[i].label,
				(long long)mods[i].structures, (long long)mods[i].failed);
		for (size_t s = 0; s < mods[i].nscopes; s++)
			if (s == 0 || mods[i].scopes[s].groups > 0)
				scope_text(&b, &mods[i].scopes[s], s == 0);
		mutu_sb__printf(&b, "\n");
	}
	return mutu_sb__take(&b);
}

/* ---- running ---- */

typedef struct sweep_item {
	mutu_cabinet cab;
	mutu_analysis an;
	bool ok;
} sweep_item;

typedef struct sweep_run {
	const mutu_sweep_options *o;
	const mutu_rules *rules;
	mutu_sweep_modality *mod;
	size_t index, n;
	mutu_batch_stats st;
	double t0;
	unsigned long *stopped_after;
} sweep_run;

static void *sweep_work(void *ctx, const pipeline_line *in)
{
	const sweep_run *r = ctx;
	const char *line = in->text ? in->text : "";
	size_t len = in->text ? in->len : 0;
	sweep_item *it = calloc(1, sizeof *it);
	mutu_errors *errs = malloc(sizeof *errs);
	if (!it || !errs) {
		free(it);
		free(errs);
		return NULL;
	}
	mutu_errors_clear(errs);
	if (mutu_cabinet_parse(&it->cab, r->rules, line, len, "population", errs) == MUTU_OK) {
		it->ok =
		    mutu_analysis_run(&it->an, r->rules, &it->cab, true, &r->o->solve) == MUTU_OK;
		if (!it->ok) {
			mutu_analysis_free(&it->an);
			mutu_cabinet_free(&it->cab);
			free(errs);
			free(it);
			return NULL;
		}
	}
	free(errs);
	return it;
}

static void sweep_discard(void *p)
{
	sweep_item *it = p;
	if (it->ok) {
		mutu_analysis_free(&it->an);
		mutu_cabinet_free(&it->cab);
	}
	free(it);
}

static int sweep_consume(void *ctx, void *p, unsigned long lineno, uint64_t hash)
{
	(void)hash;
	sweep_run *r = ctx;
	sweep_item *it = p;
	(void)lineno;
	int rc = mutu_sweep_add(r->mod, it->ok ? &it->an : NULL);
	r->st.structures++;
	r->st.failed += !it->ok;
	sweep_discard(it);
	if (rc == MUTU_OK && r->o->stop_after && ++*r->stopped_after >= r->o->stop_after)
		return MUTU_ESTOPPED;
	return rc;
}

static void sweep_tick(void *ctx, unsigned long consumed, unsigned long lineno)
{
	sweep_run *r = ctx;
	(void)consumed;
	r->st.lines = lineno;
	r->st.seconds = mutu_clock_s() - r->t0;
	if (r->o->progress)
		r->o->progress(r->o->progress_ctx, r->index, r->n, &r->st);
}

/* Loads the checkpoint: how many leading modalities are done (0 when none
 * or another run's). */
static size_t load_checkpoint(const mutu_sweep_options *o, mutu_sweep_modality *mods, size_t n)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	mutu_sweep_modality *done = NULL;
	size_t ndone = 0, k = 0;
	char *key = NULL;
	/* No checkpoint, a damaged one or another run's: start over. */
	if (mutu_sweep_load_partial(o->checkpoint, &done, &ndone, &key, &errs) == MUTU_OK && key &&
	    strcmp(key, o->key ? o->key : "") == 0 && ndone <= n) {
		for (; k < ndone; k++) {
			mutu_sweep_modality_free(&mods[k]);
			mods[k] = done[k];
			memset(&done[k], 0, sizeof done[k]);
		}
	}
	for (size_t i = 0; i < ndone; i++)
		mutu_sweep_modality_free(&done[i]);
	free(done);
	free(key);
	return k;
}

int mutu_sweep_run(const mutu_sweep_options *o, const mutu_rules *rules, const char *const *labels,
		   size_t n, mutu_sweep_modality *mods, mutu_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (mutu_sweep_modality_init(&mods[i], labels[i], &rules[i]) != MUTU_OK)
			return MUTU_ENOMEM;
	size_t first = o->checkpoint ? load_checkpoint(o, mods, n) : 0;
	unsigned long stopped = 0;
	for (size_t i = first; i < n; i++) {
		FILE *in = fopen(o->population, "rb");
		if (!in) {
			snprintf(err->message, sizeof err->message, "%s: cannot open: %s",
				 o->population, strerror(errno));
			return MUTU_EIO;
		}
		sweep_run r = {.o = o,
			       .rules = &rules[i],
			       .mod = &mods[i],
			       .index = i,
			       .n = n,
			       .t0 = mutu_clock_s(),
			       .stopped_after = &stopped};
		r.st.total = mutu_count_lines(in);
		pipeline_cfg cfg = {.in = in,
				    .threads = o->threads > 0 ? o->threads : 1,
				    .shard_k = o->shard_n ? o->shard_k : 1,
				    .shard_n = o->shard_n ? o->shard_n : 1,
				    .work = sweep_work,
				    .consume = sweep_consume,
				    .discard = sweep_discard,
				    .tick = sweep_tick,
				    .ctx = &r};
		int rc = mutu_pipeline__run(&cfg, NULL, NULL);
		fclose(in);
		if (rc == MUTU_ESTOPPED)
			return rc;
		if (rc != MUTU_OK) {
			snprintf(err->message, sizeof err->message, "%s: %s", o->population,
				 rc == MUTU_EIO ? "read error" : "out of memory");
			return rc;
		}
		if (o->checkpoint) {
			char *text = mutu_sweep_to_partial(mods, i + 1, o->key);
			rc = text ? mutu_file_write(o->checkpoint, text, err) : MUTU_ENOMEM;
			free(text);
			if (rc != MUTU_OK) {
				snprintf(err->message, sizeof err->message,
					 "cannot write the checkpoint %s", o->checkpoint);
				return rc;
			}
		}
	}
	return MUTU_OK;
}

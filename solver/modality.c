/* The modalities of a sweep and the achievement parser: see
 * include/mutu/modality.h. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "jsonx.h"
#include "mutu/modality.h"

#define MAX_VARIED 64       /* pointers varied at once */
#define MAX_MODALITIES 4096 /* rules files x combinations of values */

static char *copy(const char *s, size_t len)
{
	char *p = malloc(len + 1);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

void mutu_vary_free(mutu_vary *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++)
		free(v->values[i]);
	free(v->values);
	free(v->pointer);
	memset(v, 0, sizeof *v);
}

int mutu_vary_parse(mutu_vary *out, const char *arg, mutu_error *err)
{
	memset(out, 0, sizeof *out);
	const char *eq = strchr(arg, '=');
	if (!eq || arg[0] != '/' || eq[1] == '\0') {
		snprintf(err->message, sizeof err->message,
			 "--vary takes /POINTER=v1,v2,..., got '%.300s'", arg);
		return MUTU_EINPUT;
	}
	out->pointer = copy(arg, (size_t)(eq - arg));
	if (!out->pointer)
		return MUTU_ENOMEM;
	for (const char *p = eq + 1; *p;) {
		int depth = 0;
		bool quote = false;
		const char *start = p;
		while (*p && (quote || depth > 0 || *p != ',')) {
			if (*p == '"' && (p == start || p[-1] != '\\'))
				quote = !quote;
			else if (!quote && (*p == '[' || *p == '{'))
				depth++;
			else if (!quote && (*p == ']' || *p == '}'))
				depth--;
			p++;
		}
		char **vals = realloc(out->values, (out->n + 1) * sizeof *vals);
		char *v = vals ? copy(start, (size_t)(p - start)) : NULL;
		if (vals)
			out->values = vals;
		if (!v) {
			mutu_vary_free(out);
			return MUTU_ENOMEM;
		}
		out->values[out->n++] = v;
		if (*p == ',' && p[1] == '\0') {
			snprintf(err->message, sizeof err->message,
				 "--vary %.200s: empty value after the last comma", out->pointer);
			mutu_vary_free(out);
			return MUTU_EINPUT;
		}
		if (*p == ',')
			p++;
	}
	return MUTU_OK;
}

void mutu_modalities_free(mutu_modalities *m)
{
	if (!m)
		return;
	for (size_t i = 0; m->items && i < m->n; i++) {
		mutu_rules_free(&m->items[i].rules);
		free(m->items[i].label);
	}
	free(m->items);
	memset(m, 0, sizeof *m);
}

/* The label of a modality: the rules' name, then each pointer=value. */
static char *label_of(const mutu_rules *base, const mutu_vary *vary, size_t nvary,
		      const char *const *vals)
{
	size_t len = strlen(base->name) + 1;
	for (size_t i = 0; i < nvary; i++)
		len += strlen(vary[i].pointer) + strlen(vals[i]) + 3;
	char *s = malloc(len);
	if (!s)
		return NULL;
	size_t at = (size_t)snprintf(s, len, "%s", base->name);
	for (size_t i = 0; i < nvary; i++)
		at += (size_t)snprintf(s + at, len - at, "%s%s=%s", i ? ", " : " ", vary[i].pointer,
				       vals[i]);
	return s;
}

/* Whether two rules files are the same file (by canonical path). */
static bool same_file(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	bool same = ra && rb ? strcmp(ra, rb) == 0 : strcmp(a, b) == 0;
	free(ra);
	free(rb);
	return same;
}

int mutu_modalities_build(mutu_modalities *out, const mutu_rules *bases, size_t nbases,
			  const mutu_vary *vary, size_t nvary, mutu_errors *errs)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 1; i < nbases; i++)
		for (size_t j = 0; j < i; j++)
			if (bases[i].file && bases[j].file &&
			    same_file(bases[i].file, bases[j].file))
				mutu_errors_add(errs, bases[i].file, NULL, "%s: each modality once",
						j == 0 ? "given as --rules and again as --variant"
						       : "given twice as --variant");
	for (size_t i = 1; i < nvary; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(vary[i].pointer, vary[j].pointer) == 0)
				mutu_errors_add(errs, "--vary", vary[i].pointer,
						"varied twice: give every value in one --vary");
	size_t ncombos = 1;
	for (size_t i = 0; i < nvary && ncombos <= MAX_MODALITIES; i++)
		ncombos *= vary[i].n;
	if (nvary > MAX_VARIED)
		mutu_errors_add(errs, "--vary", NULL, "at most %d pointers varied at once, got %zu",
				MAX_VARIED, nvary);
	else if (ncombos * nbases > MAX_MODALITIES)
		mutu_errors_add(errs, "--vary", NULL,
				"more than %d modalities: vary fewer values at once",
				MAX_MODALITIES);
	if (errs->count > 0)
		return MUTU_EINPUT;
	out->items = calloc(nbases * ncombos + 1, sizeof *out->items);
	if (!out->items)
		return MUTU_ENOMEM;
	out->nbases = nbases;
	out->ncombos = ncombos;
	out->base = &bases[0];
	int rc = MUTU_OK;
	for (size_t b = 0; b < nbases && rc != MUTU_ENOMEM; b++)
		for (size_t k = 0; k < ncombos && rc != MUTU_ENOMEM; k++) {
			const char *ptrs[MAX_VARIED], *vals[MAX_VARIED];
			size_t rest = k;
			for (size_t i = 0; i < nvary; i++) {
				ptrs[i] = vary[i].pointer;
				vals[i] = vary[i].values[rest % vary[i].n];
				rest /= vary[i].n;
			}
			mutu_modality *m = &out->items[out->n];
			int r = mutu_rules_vary(&m->rules, &bases[b], nvary, ptrs, vals, errs);
			if (r != MUTU_OK) {
				rc = r;
				continue;
			}
			out->n++;
			m->base = b;
			m->combo = k;
			m->label = label_of(&bases[b], vary, nvary, vals);
			if (!m->label)
				rc = MUTU_ENOMEM;
		}
	if (rc != MUTU_OK) {
		mutu_modalities_free(out);
		return rc;
	}
	for (size_t i = 0; i < out->n; i++) {
		mutu_modality *m = &out->items[i];
		m->reference = m->combo > 0 ? m->base * ncombos : 0;
		m->differs_from_reference =
		    mutu_modality_differences(&out->items[m->reference].rules, &m->rules);
	}
	return MUTU_OK;
}

/* Structural equality of two JSON values (members in any order). */
static bool json_equal(const jv *a, const jv *b)
{
	if (mutu_jx__is_object(a) || mutu_jx__is_object(b)) {
		if (!mutu_jx__is_object(a) || !mutu_jx__is_object(b) ||
		    mutu_jx__size(a) != mutu_jx__size(b))
			return false;
		for (const jv *c = mutu_jx__child(a); c; c = mutu_jx__next(c))
			if (!json_equal(c, mutu_jx__member(b, mutu_jx__key(c))))
				return false;
		return true;
	}
	if (mutu_jx__is_array(a) || mutu_jx__is_array(b)) {
		if (!mutu_jx__is_array(a) || !mutu_jx__is_array(b) ||
		    mutu_jx__size(a) != mutu_jx__size(b))
			return false;
		for (const jv *x = mutu_jx__child(a), *y = mutu_jx__child(b); x && y;
		     x = mutu_jx__next(x), y = mutu_jx__next(y))
			if (!json_equal(x, y))
				return false;
		return true;
	}
	if (!a || !b)
		return a == b;
	if (mutu_jx__is_number(a) && mutu_jx__is_number(b))
		return mutu_jx__num(a) == mutu_jx__num(b);
	char *ta = mutu_jx__text(a, true), *tb = mutu_jx__text(b, true);
	bool eq = ta && tb && strcmp(ta, tb) == 0;
	free(ta);
	free(tb);
	return eq;
}

/* Removes the members that do not change a solve and those of `bits`. */
static void strip(jv *doc, unsigned bits)
{
	static const char *const names[] = {"name", "description", "provenance", "extends", NULL};
	for (int i = 0; names[i]; i++)
		mutu_jx__remove(doc, names[i]);
	jv *mut = (jv *)mutu_jx__member(doc, "mutualisation");
	if (bits & MUTU_DIFF_ACHIEVEMENT) {
		mutu_jx__remove(doc, "achievement");
		if (mut)
			mutu_jx__remove(mut, "assessment");
	}
	if ((bits & MUTU_DIFF_EXCLUSIVE) && mut)
		mutu_jx__remove(mut, "exclusive_kinds");
}

unsigned mutu_modality_differences(const mutu_rules *a, const mutu_rules *b)
{
	unsigned diff = 0;
	if (a->check_from_year != b->check_from_year || a->modulation != b->modulation ||
	    a->mut.assessment != b->mut.assessment)
		diff |= MUTU_DIFF_ACHIEVEMENT;
	if (a->mut.exclusive_kinds != b->mut.exclusive_kinds)
		diff |= MUTU_DIFF_EXCLUSIVE;
	/* Everything else, compared on the merged documents without those. */
	jv *x = mutu_jx__dup(a->doc), *y = mutu_jx__dup(b->doc);
	if (x && y) {
		strip(x, MUTU_DIFF_ACHIEVEMENT | MUTU_DIFF_EXCLUSIVE);
		strip(y, MUTU_DIFF_ACHIEVEMENT | MUTU_DIFF_EXCLUSIVE);
	}
	if (!x || !y || !json_equal(x, y))
		diff |= MUTU_DIFF_OTHER;
	mutu_jx__free(x);
	mutu_jx__free(y);
	return diff;
}

/* ---- achievement ---- */

/* A number that fills the whole of [s, s + len). */
static bool number_of(const char *s, size_t len, double *out)
{
	char buf[64];
	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *end;
	*out = strtod(buf, &end);
	return end != buf && *end == '\0' && isfinite(*out);
}

int mutu_achievement_parse(mutu_achievement *out, const char *text, bool beta_allowed, char *msg,
			   size_t msgsize)
{
	memset(out, 0, sizeof *out);
	size_t len = strlen(text);
	double v;
	if (strncmp(text, "beta:", 5) == 0) {
		const char *comma = strchr(text + 5, ',');
		double a, b;
		if (!beta_allowed) {
			snprintf(msg, msgsize,
				 "takes a rate here (0 to 2, or a percentage), got '%.100s'", text);
			return MUTU_EINPUT;
		}
		if (!comma || !number_of(text + 5, (size_t)(comma - text - 5), &a) ||
		    !number_of(comma + 1, strlen(comma + 1), &b) || !(a > 0) || !(b > 0) ||
		    a > 1e6 || b > 1e6) {
			snprintf(msg, msgsize,
				 "beta:A,B takes two positive numbers (the Beta law's "
				 "parameters, e.g. beta:8,2 for a mean of 0.8), got '%.100s'",
				 text);
			return MUTU_EINPUT;
		}
		out->kind = MUTU_ACHIEVE_BETA;
		out->a = a;
		out->b = b;
		return MUTU_OK;
	}
	bool percent = len > 0 && text[len - 1] == '%';
	if (!number_of(text, percent ? len - 1 : len, &v)) {
		snprintf(msg, msgsize,
			 "takes a rate from 0 to 2 (0.8), a percentage (80%%)%s, got '%.100s'",
			 beta_allowed ? " or beta:A,B" : "", text);
		return MUTU_EINPUT;
	}
	if (percent)
		v /= 100;
	if (!(v >= 0 && v <= 2)) {
		if (!percent && v > 2 && v <= 200)
			snprintf(msg, msgsize,
				 "takes a rate from 0 to 2 (1 = the objective met), got '%.100s': "
				 "write %.100s%% for a percentage, or %g",
				 text, text, v / 100);
		else
			snprintf(msg, msgsize,
				 "takes a rate from 0 to 2 (0%% to 200%% of the objective), got "
				 "'%.100s'",
				 text);
		return MUTU_EINPUT;
	}
	out->kind = MUTU_ACHIEVE_RATE;
	out->rate = v;
	return MUTU_OK;
}

void mutu_achievement_text(const mutu_achievement *a, char *buf, size_t size)
{
	char x[40], y[40];
	if (a->kind == MUTU_ACHIEVE_BETA) {
		snprintf(buf, size, "beta:%s,%s", mutu_fmt__exact(x, sizeof x, a->a),
			 mutu_fmt__exact(y, sizeof y, a->b));
	} else if (a->kind == MUTU_ACHIEVE_RATE) {
		snprintf(buf, size, "%s", mutu_fmt__exact(x, sizeof x, a->rate));
	} else
		snprintf(buf, size, "not simulated");
}

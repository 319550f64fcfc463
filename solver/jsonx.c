/* Strict JSON reading over cJSON: see jsonx.h. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "jsonx.h"
#include "mutu/file.h"
#include "mutu/date.h"

void mutu_jx__error(jx *x, const char *path, const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	mutu_errors_add(x->errs, x->file, path, "%s", msg);
	x->failed = true;
}

/* Line and column (1-based) of byte `pos`. */
static void position(const char *text, size_t pos, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < pos; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* Whether the text stops inside a string or an open object or array: the
 * mark of a truncated file rather than of a syntax error. */
static bool ends_open(const char *text, size_t len)
{
	long depth = 0;
	bool in_string = false, escape = false;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (in_string) {
			if (escape)
				escape = false;
			else if (c == '\\')
				escape = true;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return in_string || depth > 0;
}

/* Length of the valid UTF-8 sequence at `p` (at most `n` bytes), or 0:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_sequence(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len = c < 0x80             ? 1
		     : (c & 0xE0) == 0xC0 ? 2
		     : (c & 0xF0) == 0xE0 ? 3
		     : (c & 0xF8) == 0xF0 ? 4
					  : 0;
	if (len == 0 || len > n)
		return 0;
	unsigned cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	static const unsigned least[] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < least[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* What cJSON would let through or report badly: a NUL byte, invalid UTF-8,
 * a \u0000 escape (which would cut a string), a number with a leading
 * zero (not JSON), nesting deeper than cJSON's limit.  Records the first
 * and returns false. */
static bool lexical_check(jx *x, const char *text, size_t len)
{
	const unsigned char *t = (const unsigned char *)text;
	bool in_string = false;
	long depth = 0;
	size_t line, col;
	const char *what = NULL;
	size_t i = 0;
	while (i < len && !what) {
		unsigned char c = t[i];
		size_t step = 1;
		if (c == 0) {
			what = "contains a NUL byte";
		} else if (c >= 0x80) {
			step = utf8_sequence(t + i, len - i);
			if (step == 0)
				what = "invalid UTF-8";
		} else if (in_string) {
			if (c == '"')
				in_string = false;
			else if (c == '\\' && i + 1 < len) {
				step = 2;
				if (t[i + 1] == 'u' && i + 5 < len &&
				    memcmp(t + i + 2, "0000", 4) == 0)
					what = "a \\u0000 escape (a NUL character) in a string";
			}
		} else if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			if (++depth > CJSON_NESTING_LIMIT)
				what = "nested deeper than the limit";
		} else if (c == '}' || c == ']') {
			depth--;
		} else if (c == '0' && i + 1 < len && t[i + 1] >= '0' && t[i + 1] <= '9' &&
			   (i == 0 || !((t[i - 1] >= '0' && t[i - 1] <= '9') || t[i - 1] == '.' ||
					t[i - 1] == 'e' || t[i - 1] == 'E' || t[i - 1] == '+' ||
					(t[i - 1] == '-' && i >= 2 &&
					 (t[i - 2] == 'e' || t[i - 2] == 'E'))))) {
			what = "a number with a leading zero (not JSON)";
		}
		if (!what)
			i += step;
	}
	if (!what)
		return true;
	position(text, i, &line, &col);
	if (strcmp(what, "nested deeper than the limit") == 0)
		mutu_jx__error(x, NULL, "nested deeper than %d levels at line %zu, column %zu",
			       CJSON_NESTING_LIMIT, line, col);
	else
		mutu_jx__error(x, NULL, "%s at line %zu, column %zu", what, line, col);
	return false;
}

cJSON *mutu_jx__parse(jx *x, const char *text, size_t len)
{
	const char *end = NULL;
	size_t line, col;
	size_t lead = 0;
	if (!lexical_check(x, text, len))
		return NULL;
	while (lead < len && text[lead] && strchr(" \t\r\n", text[lead]))
		lead++;
	if (lead == len) {
		mutu_jx__error(x, NULL, "empty document, expected a JSON object");
		return NULL;
	}
	/* Only the `len` bytes given are read: the text need not end there. */
	cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, false);
	if (doc) {
		size_t pos = (size_t)(end - text);
		while (pos < len && text[pos] && strchr(" \t\r\n", text[pos]))
			pos++;
		if (pos == len)
			return doc;
		cJSON_Delete(doc);
		position(text, pos, &line, &col);
		mutu_jx__error(x, NULL,
			       "unexpected text after the JSON value at line %zu, column %zu", line,
			       col);
		return NULL;
	}
	size_t pos = end && end >= text ? (size_t)(end - text) : 0;
	if (pos > len)
		pos = len;
	position(text, pos, &line, &col);
	if (ends_open(text, len)) {
		position(text, len, &line, &col);
		mutu_jx__error(x, NULL,
			       "truncated JSON: the document ends at line %zu, column %zu "
			       "before it is complete",
			       line, col);
	} else {
		mutu_jx__error(x, NULL, "not valid JSON at line %zu, column %zu", line, col);
	}
	return NULL;
}

char *mutu_jx__read_file(jx *x, const char *path, size_t *len)
{
	char *text = NULL;
	size_t before = x->errs->count + x->errs->dropped;
	if (mutu_file_read(path, &text, len, x->errs) != MUTU_OK) {
		/* mutu_file_read names `path`; the context's file may differ. */
		x->failed = x->failed || x->errs->count + x->errs->dropped > before;
		return NULL;
	}
	return text;
}

static void path_append(jx_path *child, const char *parent, const char *token)
{
	size_t n = (size_t)snprintf(child->s, sizeof child->s, "%s/", parent ? parent : "");
	for (const char *c = token; *c && n + 3 < sizeof child->s; c++) {
		if (*c == '~' || *c == '/') {
			child->s[n++] = '~';
			child->s[n++] = *c == '~' ? '0' : '1';
		} else {
			child->s[n++] = *c;
		}
	}
	child->s[n] = '\0';
}

void mutu_jx__path_key(jx_path *child, const char *parent, const char *key)
{
	path_append(child, parent, key);
}

void mutu_jx__path_index(jx_path *child, const char *parent, size_t index)
{
	char num[32];
	snprintf(num, sizeof num, "%zu", index);
	path_append(child, parent, num);
}

const char *mutu_jx__type_name(const cJSON *item)
{
	if (!item)
		return "nothing";
	if (cJSON_IsObject(item))
		return "an object";
	if (cJSON_IsArray(item))
		return "an array";
	if (cJSON_IsString(item))
		return "a string";
	if (cJSON_IsNumber(item))
		return "a number";
	if (cJSON_IsBool(item))
		return "a boolean";
	if (cJSON_IsNull(item))
		return "null";
	return "an invalid value";
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 64;
	size_t row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *mutu_jx__nearest(const char *word, const char *const *known)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; known[i]; i++) {
		size_t d = edit_distance(word, known[i]);
		if (d < best_d) {
			best_d = d;
			best = known[i];
		}
	}
	size_t len = strlen(word);
	size_t limit = len / 3 > 2 ? len / 3 : 2;
	return best && best_d <= limit ? best : NULL;
}

static void list_names(char *buf, size_t size, const char *const *names)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; names[i] && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s\"%s\"", i ? ", " : "", names[i]);
}

/* qsort has no context argument: the names being sorted. */
static _Thread_local const char *const *tl_names;

static int by_name_then_index(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const char *x = tl_names[i], *y = tl_names[j];
	/* A NULL name (a doctor without an id) sorts first and matches none. */
	int c = x && y ? strcmp(x, y) : (x != NULL) - (y != NULL);
	return c ? c : (i > j) - (i < j);
}

size_t *mutu_jx__first_of(const char *const *names, size_t n)
{
	size_t *order = malloc((n + 1) * sizeof *order);
	size_t *first = malloc((n + 1) * sizeof *first);
	if (!order || !first) {
		free(order);
		free(first);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		order[i] = i;
		first[i] = MUTU_JX_NONE;
	}
	tl_names = names;
	if (n > 1)
		qsort(order, n, sizeof *order, by_name_then_index);
	/* Equal names are adjacent, the first of them first. */
	for (size_t k = 1; k < n; k++) {
		size_t prev = order[k - 1], cur = order[k];
		if (names[prev] && names[cur] && strcmp(names[prev], names[cur]) == 0)
			first[cur] = first[prev] == MUTU_JX_NONE ? prev : first[prev];
	}
	free(order);
	return first;
}

/* Reports each key of object `obj` that an earlier key repeats, in
 * document order; n log n in the number of keys. */
static void duplicate_keys(jx *x, const cJSON *obj, const char *path)
{
	size_t n = 0;
	for (const cJSON *it = obj->child; it; it = it->next)
		n++;
	const char **keys = calloc(n + 1, sizeof *keys);
	if (!keys) {
		mutu_jx__error(x, path, "out of memory checking the keys");
		return;
	}
	size_t i = 0;
	for (const cJSON *it = obj->child; it; it = it->next)
		keys[i++] = it->string;
	size_t *first = mutu_jx__first_of(keys, n);
	if (!first) {
		mutu_jx__error(x, path, "out of memory checking the keys");
		free(keys);
		return;
	}
	for (i = 0; i < n; i++)
		if (first[i] != MUTU_JX_NONE) {
			jx_path p;
			mutu_jx__path_key(&p, path, keys[i]);
			mutu_jx__error(x, p.s, "duplicate key \"%s\"", keys[i]);
		}
	free(first);
	free(keys);
}

bool mutu_jx__object(jx *x, const cJSON *obj, const char *path, const char *const *known)
{
	if (!cJSON_IsObject(obj)) {
		mutu_jx__error(x, path, "must be an object, got %s", mutu_jx__type_name(obj));
		return false;
	}
	duplicate_keys(x, obj, path);
	for (const cJSON *it = obj->child; known && it; it = it->next) {
		jx_path p;
		mutu_jx__path_key(&p, path, it->string);
		bool found = false;
		for (size_t i = 0; known[i] && !found; i++)
			found = strcmp(known[i], it->string) == 0;
		if (found)
			continue;
		const char *near = mutu_jx__nearest(it->string, known);
		if (near) {
			mutu_jx__error(x, p.s, "unknown key \"%s\"; did you mean \"%s\"?",
				       it->string, near);
		} else {
			char names[256];
			list_names(names, sizeof names, known);
			mutu_jx__error(x, p.s, "unknown key \"%s\" (expected one of %s)",
				       it->string, names);
		}
	}
	return true;
}

void mutu_jx__duplicates(jx *x, const cJSON *item, const char *path)
{
	size_t i = 0;
	if (cJSON_IsObject(item))
		duplicate_keys(x, item, path);
	for (const cJSON *it = item ? item->child : NULL; it; it = it->next, i++) {
		jx_path p;
		if (cJSON_IsObject(item)) {
			mutu_jx__path_key(&p, path, it->string);
		} else {
			mutu_jx__path_index(&p, path, i);
		}
		mutu_jx__duplicates(x, it, p.s);
	}
}

const cJSON *mutu_jx__get(jx *x, const cJSON *obj, const char *path, const char *key, bool required)
{
	const cJSON *item = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	if (!item && required) {
		jx_path p;
		mutu_jx__path_key(&p, path, key);
		mutu_jx__error(x, p.s, "missing required key \"%s\"", key);
	}
	return item;
}

bool mutu_jx__value_number(jx *x, const cJSON *item, const char *path, double min, double max,
			   double *out)
{
	if (!cJSON_IsNumber(item)) {
		mutu_jx__error(x, path, "must be a number, got %s", mutu_jx__type_name(item));
		return false;
	}
	double v = item->valuedouble;
	if (!isfinite(v)) {
		mutu_jx__error(x, path, "must be a finite number");
		return false;
	}
	if (v < min || v > max) {
		if (min == 0 && max == HUGE_VAL)
			mutu_jx__error(x, path, "must be a non-negative number, got %.15g", v);
		else if (max == HUGE_VAL)
			mutu_jx__error(x, path, "must be at least %.15g, got %.15g", min, v);
		else
			mutu_jx__error(x, path, "must be between %.15g and %.15g, got %.15g", min,
				       max, v);
		return false;
	}
	*out = v;
	return true;
}

bool mutu_jx__number(jx *x, const cJSON *obj, const char *path, const char *key, bool required,
		     double min, double max, double *out)
{
	const cJSON *item = mutu_jx__get(x, obj, path, key, required);
	if (!item)
		return !required;
	jx_path p;
	mutu_jx__path_key(&p, path, key);
	return mutu_jx__value_number(x, item, p.s, min, max, out);
}

bool mutu_jx__integer(jx *x, const cJSON *obj, const char *path, const char *key, bool required,
		      long min, long max, long *out)
{
	const cJSON *item = mutu_jx__get(x, obj, path, key, required);
	if (!item)
		return !required;
	jx_path p;
	mutu_jx__path_key(&p, path, key);
	double v = item->valuedouble;
	const char *what = min == 0 ? "a non-negative integer" : "an integer";
	if (!cJSON_IsNumber(item)) {
		mutu_jx__error(x, p.s, "must be %s, got %s", what, mutu_jx__type_name(item));
		return false;
	}
	if (!isfinite(v)) {
		mutu_jx__error(x, p.s, "must be a finite number");
		return false;
	}
	if (v != floor(v) || (min == 0 && v < 0)) {
		mutu_jx__error(x, p.s, "must be %s, got %.15g", what, v);
		return false;
	}
	if (v < (double)min || v > (double)max) {
		mutu_jx__error(x, p.s, "must be an integer between %ld and %ld, got %.15g", min,
			       max, v);
		return false;
	}
	*out = (long)v;
	return true;
}

bool mutu_jx__bool(jx *x, const cJSON *obj, const char *path, const char *key, bool required,
		   bool *out)
{
	const cJSON *item = mutu_jx__get(x, obj, path, key, required);
	if (!item)
		return !required;
	if (!cJSON_IsBool(item)) {
		jx_path p;
		mutu_jx__path_key(&p, path, key);
		mutu_jx__error(x, p.s, "must be true or false, got %s", mutu_jx__type_name(item));
		return false;
	}
	*out = cJSON_IsTrue(item);
	return true;
}

bool mutu_jx__string(jx *x, const cJSON *obj, const char *path, const char *key, bool required,
		     const char **out)
{
	const cJSON *item = mutu_jx__get(x, obj, path, key, required);
	if (!item)
		return !required;
	if (!cJSON_IsString(item) || !item->valuestring[0]) {
		jx_path p;
		mutu_jx__path_key(&p, path, key);
		mutu_jx__error(x, p.s, "must be a non-empty string, got %s",
			       cJSON_IsString(item) ? "\"\"" : mutu_jx__type_name(item));
		return false;
	}
	*out = item->valuestring;
	return true;
}

bool mutu_jx__date(jx *x, const cJSON *obj, const char *path, const char *key, bool required,
		   long *out)
{
	const char *s = NULL;
	if (!mutu_jx__string(x, obj, path, key, required, &s))
		return false;
	if (!s)
		return true;
	if (!mutu_date_parse(s, out)) {
		jx_path p;
		mutu_jx__path_key(&p, path, key);
		mutu_jx__error(x, p.s, "must be a date YYYY-MM-DD, got \"%s\"", s);
		return false;
	}
	return true;
}

const cJSON *mutu_jx__pointer_get(const cJSON *doc, const char *ptr)
{
	const cJSON *cur = doc;
	const char *p = ptr;
	while (cur && *p == '/') {
		char tok[128];
		size_t n = 0;
		for (p++; *p && *p != '/' && n + 1 < sizeof tok; p++) {
			if (*p == '~' && (p[1] == '0' || p[1] == '1')) {
				tok[n++] = p[1] == '0' ? '~' : '/';
				p++;
			} else {
				tok[n++] = *p;
			}
		}
		tok[n] = '\0';
		if (cJSON_IsArray(cur)) {
			char *end;
			long i = strtol(tok, &end, 10);
			cur = *tok && !*end && i >= 0 && i < INT_MAX
				  ? cJSON_GetArrayItem(cur, (int)i)
				  : NULL;
		} else if (cJSON_IsObject(cur)) {
			cur = cJSON_GetObjectItemCaseSensitive(cur, tok);
		} else {
			cur = NULL;
		}
	}
	return *p ? NULL : cur;
}

static bool enum_value(jx *x, const cJSON *item, const char *path, const char *const *names,
		       int *out)
{
	if (cJSON_IsString(item))
		for (int i = 0; names[i]; i++)
			if (strcmp(names[i], item->valuestring) == 0) {
				*out = i;
				return true;
			}
	char list[256];
	list_names(list, sizeof list, names);
	if (!cJSON_IsString(item)) {
		mutu_jx__error(x, path, "must be one of %s, got %s", list,
			       mutu_jx__type_name(item));
		return false;
	}
	const char *near = mutu_jx__nearest(item->valuestring, names);
	if (near)
		mutu_jx__error(x, path, "unknown value \"%s\"; did you mean \"%s\"?",
			       item->valuestring, near);
	else
		mutu_jx__error(x, path, "must be one of %s, got \"%s\"", list, item->valuestring);
	return false;
}

bool mutu_jx__enum(jx *x, const cJSON *obj, const char *path, const char *key, bool required,
		   const char *const *names, int *out)
{
	const cJSON *item = mutu_jx__get(x, obj, path, key, required);
	if (!item)
		return !required;
	jx_path p;
	mutu_jx__path_key(&p, path, key);
	return enum_value(x, item, p.s, names, out);
}

bool mutu_jx__enum_set(jx *x, const cJSON *obj, const char *path, const char *key, bool required,
		       const char *const *names, unsigned *out)
{
	const cJSON *item = mutu_jx__get(x, obj, path, key, required);
	if (!item)
		return !required;
	jx_path p;
	mutu_jx__path_key(&p, path, key);
	if (!cJSON_IsArray(item)) {
		mutu_jx__error(x, p.s, "must be an array of strings, got %s",
			       mutu_jx__type_name(item));
		return false;
	}
	unsigned set = 0;
	bool ok = true;
	size_t i = 0;
	for (const cJSON *it = item->child; it; it = it->next, i++) {
		jx_path q;
		mutu_jx__path_index(&q, p.s, i);
		int v;
		if (!enum_value(x, it, q.s, names, &v)) {
			ok = false;
			continue;
		}
		if (set & (1u << v)) {
			mutu_jx__error(x, q.s, "\"%s\" is listed twice", names[v]);
			ok = false;
		}
		set |= 1u << v;
	}
	if (ok)
		*out = set;
	return ok;
}

/* Applies object `patch` to object `target` in place.  On failure
 * `target` may be half patched but stays a valid tree owned by its
 * parent. */
static bool merge_object(cJSON *target, const cJSON *patch)
{
	for (const cJSON *it = patch->child; it; it = it->next) {
		cJSON *cur = cJSON_GetObjectItemCaseSensitive(target, it->string);
		if (cJSON_IsNull(it)) {
			cJSON_DeleteItemFromObjectCaseSensitive(target, it->string);
			continue;
		}
		if (cJSON_IsObject(cur) && cJSON_IsObject(it)) {
			if (!merge_object(cur, it))
				return false;
			continue;
		}
		cJSON *val = mutu_jx__merge_patch(NULL, it);
		if (!val)
			return false;
		bool ok = cur ? cJSON_ReplaceItemInObjectCaseSensitive(target, it->string, val)
			      : cJSON_AddItemToObject(target, it->string, val);
		if (!ok) {
			cJSON_Delete(val);
			return false;
		}
	}
	return true;
}

cJSON *mutu_jx__merge_patch(cJSON *target, const cJSON *patch)
{
	if (!cJSON_IsObject(patch)) {
		cJSON_Delete(target);
		return cJSON_Duplicate(patch, true);
	}
	if (!cJSON_IsObject(target)) {
		cJSON_Delete(target);
		target = cJSON_CreateObject();
		if (!target)
			return NULL;
	}
	if (!merge_object(target, patch)) {
		cJSON_Delete(target);
		return NULL;
	}
	return target;
}

double mutu_jx__round(double v, int decimals)
{
	double f = pow(10.0, decimals);
	double r = round(v * f) / f;
	return r == 0 ? 0 : r; /* no "-0" */
}

bool mutu_jx__is_object(const jv *v)
{
	return cJSON_IsObject(v);
}

bool mutu_jx__is_array(const jv *v)
{
	return cJSON_IsArray(v);
}

bool mutu_jx__is_string(const jv *v)
{
	return cJSON_IsString(v);
}

bool mutu_jx__is_number(const jv *v)
{
	return cJSON_IsNumber(v);
}

const jv *mutu_jx__child(const jv *v)
{
	return v && (cJSON_IsObject(v) || cJSON_IsArray(v)) ? v->child : NULL;
}

const jv *mutu_jx__next(const jv *v)
{
	return v ? v->next : NULL;
}

size_t mutu_jx__size(const jv *v)
{
	size_t n = 0;
	for (const jv *c = mutu_jx__child(v); c; c = c->next)
		n++;
	return n;
}

const char *mutu_jx__key(const jv *v)
{
	return v ? v->string : NULL;
}

const char *mutu_jx__str(const jv *v)
{
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

double mutu_jx__num(const jv *v)
{
	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

const jv *mutu_jx__member(const jv *obj, const char *key)
{
	return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

jv *mutu_jx__dup(const jv *v)
{
	return v ? cJSON_Duplicate(v, true) : NULL;
}

char *mutu_jx__text(const jv *v, bool compact)
{
	char *s = v ? (compact ? cJSON_PrintUnformatted(v) : cJSON_Print(v)) : NULL;
	if (!s)
		return NULL;
	char *t = strdup(s);
	cJSON_free(s);
	return t;
}

void mutu_jx__remove(jv *obj, const char *key)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
}

void mutu_jx__free(jv *doc)
{
	cJSON_Delete(doc);
}

int mutu_jx__replace(jv *doc, const char *ptr, const char *json)
{
	const char *slash = strrchr(ptr, '/');
	if (ptr[0] != '/' || !slash || !mutu_jx__pointer_get(doc, ptr))
		return MUTU_EINPUT;
	char parent_ptr[256];
	snprintf(parent_ptr, sizeof parent_ptr, "%.*s", (int)(slash - ptr), ptr);
	cJSON *parent = (cJSON *)(parent_ptr[0] ? mutu_jx__pointer_get(doc, parent_ptr) : doc);
	char key[128];
	size_t k = 0;
	for (const char *c = slash + 1; *c && k + 1 < sizeof key; c++) {
		if (*c == '~' && (c[1] == '0' || c[1] == '1')) {
			key[k++] = c[1] == '0' ? '~' : '/';
			c++;
		} else {
			key[k++] = *c;
		}
	}
	key[k] = '\0';
	cJSON *val = cJSON_Parse(json);
	if (!val)
		val = cJSON_CreateString(json);
	bool ok = val && (cJSON_IsArray(parent)
			      ? cJSON_ReplaceItemInArray(parent, atoi(key), val)
			      : cJSON_ReplaceItemInObjectCaseSensitive(parent, key, val));
	if (!ok) {
		cJSON_Delete(val);
		return MUTU_ENOMEM;
	}
	return MUTU_OK;
}

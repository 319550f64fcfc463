/* Writing JSON through cJSON: see jsonw.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "jsonw.h"

/* A flag above cJSON's type bits (which it masks with 0xFF when printing
 * and tests only for its own flags when freeing): set on a container a
 * member could not be added to, so the print can refuse a tree with a
 * hole rather than write it without the member. */
#define INCOMPLETE (1 << 14)

static jv *failed(jv *container, jv *item)
{
	if (container)
		container->type |= INCOMPLETE;
	cJSON_Delete(item);
	return NULL;
}

static bool complete(const jv *v)
{
	if (v->type & INCOMPLETE)
		return false;
	for (const jv *c = v->child; c; c = c->next)
		if (!complete(c))
			return false;
	return true;
}

jv *mutu_jw__object(void)
{
	return cJSON_CreateObject();
}

jv *mutu_jw__array(void)
{
	return cJSON_CreateArray();
}

jv *mutu_jw__number(double v)
{
	if (!isfinite(v))
		return cJSON_CreateNull();
	return cJSON_CreateNumber(v == 0 ? 0.0 : v); /* no "-0" */
}

jv *mutu_jw__string(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

jv *mutu_jw__add(jv *o, const char *key, jv *item)
{
	if (!o || !item || !cJSON_AddItemToObject(o, key, item))
		return failed(o, item);
	return item;
}

jv *mutu_jw__push(jv *a, jv *item)
{
	if (!a || !item || !cJSON_AddItemToArray(a, item))
		return failed(a, item);
	return item;
}

jv *mutu_jw__add_string(jv *o, const char *key, const char *s)
{
	return o ? mutu_jw__add(o, key, mutu_jw__string(s)) : NULL;
}

jv *mutu_jw__add_number(jv *o, const char *key, double v)
{
	return o ? mutu_jw__add(o, key, mutu_jw__number(v)) : NULL;
}

jv *mutu_jw__add_integer(jv *o, const char *key, long v)
{
	char digits[32];
	snprintf(digits, sizeof digits, "%ld", v);
	if (!o || !cJSON_AddRawToObject(o, key, digits))
		return failed(o, NULL);
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

jv *mutu_jw__add_bool(jv *o, const char *key, bool b)
{
	return o ? mutu_jw__add(o, key, cJSON_CreateBool(b)) : NULL;
}

jv *mutu_jw__add_null(jv *o, const char *key)
{
	return o ? mutu_jw__add(o, key, cJSON_CreateNull()) : NULL;
}

jv *mutu_jw__add_object(jv *o, const char *key)
{
	return o ? mutu_jw__add(o, key, cJSON_CreateObject()) : NULL;
}

jv *mutu_jw__add_array(jv *o, const char *key)
{
	return o ? mutu_jw__add(o, key, cJSON_CreateArray()) : NULL;
}

char *mutu_jw__print(jv *root, bool compact, bool newline)
{
	char *s = root && complete(root)
		      ? (compact ? cJSON_PrintUnformatted(root) : cJSON_Print(root))
		      : NULL;
	cJSON_Delete(root);
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *t = malloc(n + 2);
	if (t) {
		memcpy(t, s, n);
		t[n] = newline ? '\n' : '\0';
		t[n + 1] = '\0';
	}
	cJSON_free(s);
	return t;
}

void mutu_jw__free(jv *root)
{
	cJSON_Delete(root);
}

long mutu_jw__print_into(const jv *root, char **buf, size_t *cap)
{
	if (!root || !complete(root))
		return -1;
	/* cJSON_PrintPreallocated asks for 5 bytes of slack. */
	while (!*buf || !cJSON_PrintPreallocated((jv *)root, *buf, (int)*cap - 5, 0)) {
		size_t bigger = *cap ? 2 * *cap : 16384;
		char *p = bigger < (size_t)1 << 30 ? realloc(*buf, bigger) : NULL;
		if (!p)
			return -1;
		*buf = p;
		*cap = bigger;
	}
	return (long)strlen(*buf);
}

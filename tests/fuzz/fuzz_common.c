/* Helpers shared by the fuzz harnesses; see fuzz.h. */
#include "fuzz.h"

#include <cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *fuzz_path(const char *rel)
{
	size_t n = strlen(MUTU_FUZZ_ROOT) + strlen(rel) + 2;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/%s", MUTU_FUZZ_ROOT, rel);
	return p;
}

char *fuzz_read(const char *rel, size_t *len)
{
	char *path = fuzz_path(rel);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz: cannot open %s\n", path);
		abort();
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n - 1, f);
		if (n < cap - 1)
			break;
		cap *= 2;
		char *bigger = realloc(buf, cap);
		if (!bigger)
			free(buf);
		buf = bigger;
	}
	if (!buf || ferror(f)) {
		fprintf(stderr, "fuzz: cannot read %s\n", path);
		abort();
	}
	fclose(f);
	free(path);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void die_with(const mutu_errors *errs, const char *rel)
{
	char line[1024];
	fprintf(stderr, "fuzz: the fixed input %s does not load:\n", rel);
	for (size_t i = 0; i < errs->count; i++) {
		mutu_error_format(&errs->items[i], line, sizeof line);
		fprintf(stderr, "  %s\n", line);
	}
	abort();
}

void fuzz_load_rules(mutu_rules *out, const char *rel)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	char *path = fuzz_path(rel);
	if (mutu_rules_load(out, path, &errs) != MUTU_OK)
		die_with(&errs, rel);
	free(path);
}

void fuzz_load_cabinet(mutu_cabinet *out, const mutu_rules *rules, const char *rel)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	char *path = fuzz_path(rel);
	if (mutu_cabinet_load(out, rules, path, &errs) != MUTU_OK)
		die_with(&errs, rel);
	free(path);
}

void fuzz_load_contract(mutu_contract *out, const mutu_rules *rules, const mutu_cabinet *cab,
			const char *rel)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	char *path = fuzz_path(rel);
	if (mutu_contract_load(out, rules, cab, path, &errs) != MUTU_OK)
		die_with(&errs, rel);
	free(path);
}

void fuzz_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz: oracle failed: %s\n%s\n", what, detail ? detail : "");
	abort();
}

void fuzz_check_json(const char *text, const char *what)
{
	if (!text)
		return;
	cJSON *doc = cJSON_ParseWithLength(text, strlen(text));
	if (!doc)
		fuzz_fail(what, text);
	cJSON_Delete(doc);
}

void fuzz_note(const char *fmt, ...)
{
	static int verbose = -1;
	if (verbose < 0)
		verbose = getenv("MUTU_FUZZ_VERBOSE") != NULL;
	if (!verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Combining sweep partials: see include/mutu/merge.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutu/merge.h"
#include "mutu/sweep.h"

bool mutu_merge_is_sweep(const char *path)
{
	if (strcmp(path, "-") == 0)
		return false;
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	char head[32] = "";
	size_t n = fread(head, 1, sizeof head - 1, f);
	head[n] = '\0';
	fclose(f);
	return strstr(head, "\"mutu_sweep_partial\"") != NULL;
}

/* The shard K/N a sweep key ("sweep|POP|BASE|N modalities|K/N|GOAL")
 * names, and whether two keys differ only by it. */
static bool key_shard(const char *key, unsigned long *k, unsigned long *n)
{
	const char *p = key;
	for (int i = 0; i < 4 && p; i++) {
		p = strchr(p, '|');
		p = p ? p + 1 : NULL;
	}
	return p && sscanf(p, "%lu/%lu", k, n) == 2 && *k >= 1 && *k <= *n;
}

static bool same_sweep(const char *a, const char *b)
{
	const char *sa = a, *sb = b;
	for (int i = 0; i < 4 && sa && sb; i++) {
		sa = strchr(sa, '|');
		sb = strchr(sb, '|');
		sa = sa ? sa + 1 : NULL;
		sb = sb ? sb + 1 : NULL;
	}
	if (!sa || !sb || sa - a != sb - b || strncmp(a, b, (size_t)(sa - a)) != 0)
		return false;
	const char *ta = strchr(sa, '|'), *tb = strchr(sb, '|');
	return ta && tb && strcmp(ta, tb) == 0;
}

typedef struct part {
	mutu_sweep_modality *mods;
	size_t n;
	char *key;
	unsigned long k, shards;
} part;

static void part_free(part *p)
{
	for (size_t j = 0; p->mods && j < p->n; j++)
		mutu_sweep_modality_free(&p->mods[j]);
	free(p->mods);
	free(p->key);
}

/* Loads every partial and checks that they are the N shards of one run. */
static int load_parts(part *parts, const char *const *paths, size_t n, mutu_errors *errs)
{
	int rc = MUTU_OK;
	for (size_t i = 0; i < n; i++) {
		part *p = &parts[i];
		int r = mutu_sweep_load_partial(paths[i], &p->mods, &p->n, &p->key, errs);
		if (r != MUTU_OK) {
			rc = rc == MUTU_OK ? r : rc;
			continue;
		}
		if (!p->key || !key_shard(p->key, &p->k, &p->shards)) {
			mutu_errors_add(errs, paths[i], NULL,
					"not the partial result of a sharded sweep");
			rc = MUTU_EINPUT;
		} else if (i > 0 && parts[0].key &&
			   (p->n != parts[0].n || !same_sweep(parts[0].key, p->key))) {
			mutu_errors_add(errs, paths[i], NULL, "a shard of another sweep than %s",
					paths[0]);
			rc = MUTU_EINPUT;
		}
	}
	if (rc != MUTU_OK)
		return rc;
	unsigned long N = parts[0].shards;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (parts[i].k == parts[j].k) {
				mutu_errors_add(errs, paths[i], NULL,
						"shard %lu/%lu given twice (also %s)", parts[i].k,
						N, paths[j]);
				rc = MUTU_EINPUT;
			}
	for (unsigned long k = 1; k <= N && rc == MUTU_OK; k++) {
		bool found = false;
		for (size_t i = 0; i < n && !found; i++)
			found = parts[i].k == k;
		if (!found) {
			mutu_errors_add(errs, "merge", NULL, "shard %lu/%lu is missing", k, N);
			rc = MUTU_EINPUT;
		}
	}
	return rc;
}

int mutu_merge_sweep(const char *const *paths, size_t n, mutu_format fmt, char **text,
		     mutu_errors *errs)
{
	*text = NULL;
	part *parts = calloc(n + 1, sizeof *parts);
	if (!parts)
		return MUTU_ENOMEM;
	int rc = n ? load_parts(parts, paths, n, errs) : MUTU_EINPUT;
	for (size_t i = 1; rc == MUTU_OK && i < n; i++)
		for (size_t j = 0; j < parts[0].n && rc == MUTU_OK; j++) {
			mutu_error err = {{0}, {0}, {0}};
			rc = mutu_sweep_combine(&parts[0].mods[j], &parts[i].mods[j], &err);
			if (rc != MUTU_OK)
				mutu_errors_add(errs, paths[i], NULL, "%s", err.message);
		}
	if (rc == MUTU_OK && !(*text = mutu_sweep_report(parts[0].mods, parts[0].n, fmt)))
		rc = MUTU_ENOMEM;
	for (size_t i = 0; i < n; i++)
		part_free(&parts[i]);
	free(parts);
	return rc;
}

/* Replays inputs through one harness's LLVMFuzzerTestOneInput without
 * libFuzzer: `replay DIR|FILE...` runs every regular file of each
 * directory (sorted by name, not recursive) and each file named.  A crash
 * or an oracle failure aborts; the exit status is 0 when every input ran,
 * 2 when one could not be read.  Linked once per harness (make test). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return -1;
	}
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
		uint8_t *bigger = realloc(buf, cap);
		if (!bigger)
			free(buf);
		buf = bigger;
	}
	int bad = !buf || ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		fprintf(stderr, "replay: cannot read %s\n", path);
		return -1;
	}
	/* A copy of exactly n bytes, so that ASan sees any read past the input
	 * as libFuzzer would. */
	uint8_t *exact = malloc(n ? n : 1);
	if (!exact)
		abort();
	memcpy(exact, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
	size_t inputs = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0)
			continue; /* an empty regression directory is not in git */
		if (!S_ISDIR(st.st_mode)) {
			rc |= run_file(argv[i]) != 0 ? 2 : 0;
			inputs++;
			continue;
		}
		struct dirent **names;
		int n = scandir(argv[i], &names, NULL, by_name);
		for (int k = 0; k < n; k++) {
			size_t len = strlen(argv[i]) + strlen(names[k]->d_name) + 2;
			char *path = malloc(len);
			if (!path)
				abort();
			snprintf(path, len, "%s/%s", argv[i], names[k]->d_name);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
			    names[k]->d_name[0] != '.') {
				rc |= run_file(path) != 0 ? 2 : 0;
				inputs++;
			}
			free(path);
			free(names[k]);
		}
		free(names);
	}
	printf("%s: %zu inputs replayed\n", argv[0], inputs);
	return rc;
}

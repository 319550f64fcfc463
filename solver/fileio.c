/* Small file helpers: see fileio.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "mutu/error.h"

int mutu_file__write_atomic(const char *path, const char *text)
{
	size_t n = strlen(path) + 32;
	char *tmp = malloc(n);
	if (!tmp)
		return MUTU_ENOMEM;
	snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
	int rc = MUTU_EIO;
	FILE *f = fopen(tmp, "wb");
	if (f) {
		bool ok = fputs(text, f) >= 0 && fflush(f) == 0 && fsync(fileno(f)) == 0;
		ok &= fclose(f) == 0;
		if (ok && rename(tmp, path) == 0)
			rc = MUTU_OK;
		else
			remove(tmp);
	}
	free(tmp);
	return rc;
}

/* Combining sweep partials: see include/mutu/merge.h.  What makes two
 * partials one run is mutu_sweep_same_run's, field by field. */
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

int mutu_merge_sweep(const char *const *paths, size_t n, mutu_format fmt, mutu_lang lang,
		     char **text, mutu_errors *errs)
{
	*text = NULL;
	mutu_sweep sw;
	memset(&sw, 0, sizeof sw);
	int rc = mutu_sweep_merge_files(&sw, paths, n, errs);
	if (rc != MUTU_OK)
		return rc;
	*text = mutu_sweep_report_lang(&sw, fmt, lang);
	mutu_sweep_free(&sw);
	return *text ? MUTU_OK : MUTU_ENOMEM;
}

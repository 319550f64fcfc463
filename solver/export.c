/* Writing a group's model to a stream: GLPK writes models only to named
 * files, so the model goes to a private temporary file first and is copied
 * from there (the caller's stream may be a complete-or-nothing output). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mutu/group.h"

int mutu_group_export_stream(const mutu_group_problem *gp, const char *const *member_ids,
			     const char *const *option_ids, bool lp, FILE *out, mutu_error *err)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/mutu-model-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		snprintf(err->message, sizeof err->message, "cannot create a temporary file: %s",
			 strerror(errno));
		return MUTU_EIO;
	}
	close(fd);
	int rc = mutu_group_export(gp, member_ids, option_ids, lp, path, err);
	FILE *f = rc == MUTU_OK ? fopen(path, "rb") : NULL;
	if (rc == MUTU_OK && !f) {
		snprintf(err->message, sizeof err->message, "cannot read back the model: %s",
			 strerror(errno));
		rc = MUTU_EIO;
	}
	char buf[65536];
	size_t n;
	while (f && rc == MUTU_OK && (n = fread(buf, 1, sizeof buf, f)) > 0)
		if (fwrite(buf, 1, n, out) != n) {
			snprintf(err->message, sizeof err->message, "cannot write: %s",
				 strerror(errno ? errno : EIO));
			rc = MUTU_EIO;
		}
	if (f && ferror(f) && rc == MUTU_OK) {
		snprintf(err->message, sizeof err->message, "cannot read back the model");
		rc = MUTU_EIO;
	}
	if (f)
		fclose(f);
	unlink(path);
	return rc;
}

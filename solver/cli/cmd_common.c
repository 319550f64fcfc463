/* Helpers shared by the mutu commands. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

const char *cmd_prog = "mutu";

void cmd_print_errors(const mutu_errors *errs)
{
	char line[1024];
	for (size_t i = 0; i < errs->count; i++) {
		mutu_error_format(&errs->items[i], line, sizeof line);
		fprintf(stderr, "%s\n", line);
	}
	if (errs->dropped)
		fprintf(stderr, "%s: ... and %zu more errors\n",
			errs->count ? errs->items[errs->count - 1].file : cmd_prog, errs->dropped);
}

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s %s: ", cmd_prog, cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s %s --help'.\n", cmd_prog, cmd);
	return MUTU_EXIT_USAGE;
}

bool cmd_load_rules(mutu_rules *rules, const char *path)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	if (mutu_rules_load(rules, path, &errs) == MUTU_OK)
		return true;
	cmd_print_errors(&errs);
	return false;
}

bool cmd_load_cabinet(mutu_cabinet *cab, const mutu_rules *rules, const char *path)
{
	mutu_errors errs;
	mutu_errors_clear(&errs);
	if (mutu_cabinet_load(cab, rules, path, &errs) == MUTU_OK)
		return true;
	cmd_print_errors(&errs);
	return false;
}

bool cmd_parse_format(const char *s, mutu_format *out, bool csv_allowed)
{
	if (strcmp(s, "text") == 0)
		*out = MUTU_FORMAT_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = MUTU_FORMAT_JSON;
	else if (csv_allowed && strcmp(s, "csv") == 0)
		*out = MUTU_FORMAT_CSV;
	else
		return false;
	return true;
}

bool cmd_write_output(const char *path, const char *text)
{
	size_t len = strlen(text);
	if (!path || strcmp(path, "-") == 0) {
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
			fprintf(stderr, "%s: cannot write to standard output: %s\n", cmd_prog,
				strerror(errno));
			return false;
		}
		return true;
	}
	size_t n = strlen(path) + 32;
	char *tmp = malloc(n);
	if (!tmp) {
		fprintf(stderr, "%s: out of memory\n", cmd_prog);
		return false;
	}
	snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	bool ok = f && fwrite(text, 1, len, f) == len;
	if (f && fclose(f) != 0)
		ok = false;
	if (ok && rename(tmp, path) != 0)
		ok = false;
	if (!ok) {
		fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
		remove(tmp);
	}
	free(tmp);
	return ok;
}

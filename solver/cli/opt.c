/* Parsing a command's options from its table: see opt.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit.h"
#include "mutu/modality.h"
#include "opt.h"

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "mutu %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'mutu %s --help'.\n", cmd->name);
	return CLI_EXIT_USAGE;
}

/* "a, b or c" from a NULL-terminated list. */
static void join_choices(char *buf, size_t size, const char *const *choices)
{
	size_t n = 0, count = 0;
	while (choices[count])
		count++;
	buf[0] = '\0';
	for (size_t i = 0; i < count && n < size; i++) {
		const char *sep = i == 0 ? "" : i + 1 == count ? " or " : ", ";
		n += (size_t)snprintf(buf + n, size - n, "%s%s", sep, choices[i]);
	}
}

/* A whole number in decimal digits (an optional minus sign first). */
static bool parse_long(const char *s, long *out)
{
	const char *p = *s == '-' ? s + 1 : s;
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || errno == ERANGE)
		return false;
	*out = v;
	return true;
}

static bool parse_shard(const char *s, cli_shard *out)
{
	const char *slash = strchr(s, '/');
	long k, n;
	char head[32];
	if (!slash || (size_t)(slash - s) >= sizeof head)
		return false;
	memcpy(head, s, (size_t)(slash - s));
	head[slash - s] = '\0';
	if (!parse_long(head, &k) || !parse_long(slash + 1, &n) || k < 1 || n < 1 || k > n ||
	    n > 100000)
		return false;
	out->k = (unsigned long)k;
	out->n = (unsigned long)n;
	return true;
}

/* Stores `value` for option `o`, or prints the kind's message. */
static int store(const cli_command *cmd, const cli_opt *o, const char *value)
{
	char list[256];
	long v;
	switch (o->kind) {
	case CLI_SWITCH:
		*(bool *)o->dest = true;
		return 0;
	case CLI_STRING:
	case CLI_ARG:
		*(const char **)o->dest = value;
		return 0;
	case CLI_INT:
		if (!parse_long(value, &v) || v < o->min || v > o->max)
			return cli_usage_error(
			    cmd, "--%s must be a whole number from %ld to %ld, got '%s'", o->name,
			    o->min, o->max, value);
		*(long *)o->dest = v;
		return 0;
	case CLI_MS:
		if (!parse_long(value, &v) || v < 0 || v > 86400000)
			return cli_usage_error(
			    cmd,
			    "--%s takes milliseconds, from 0 (no limit) to 86400000, "
			    "got '%s'",
			    o->name, value);
		*(int *)o->dest = (int)v;
		return 0;
	case CLI_CHOICE:
		for (int i = 0; o->choices[i]; i++)
			if (strcmp(o->choices[i], value) == 0) {
				*(int *)o->dest = i;
				return 0;
			}
		join_choices(list, sizeof list, o->choices);
		return cli_usage_error(cmd, "--%s must be %s, got '%s'", o->name, list, value);
	case CLI_SHARD:
		if (!parse_shard(value, o->dest))
			return cli_usage_error(cmd, "--%s takes K/N with 1 <= K <= N, got '%s'",
					       o->name, value);
		return 0;
	case CLI_RATE: {
		/* The library's reading of a rate, the same in sweep and simulate. */
		mutu_achievement ach;
		char msg[300];
		if (mutu_achievement_parse(&ach, value, false, msg, sizeof msg) != MUTU_OK)
			return cli_usage_error(cmd, "--%s %s", o->name, msg);
		((cli_rate *)o->dest)->value = ach.rate;
		((cli_rate *)o->dest)->given = true;
		return 0;
	}
	case CLI_ARGS:
	case CLI_LIST: {
		cli_list *l = o->dest;
		if (l->n == CLI_LIST_MAX)
			return cli_usage_error(cmd, "--%s is given more than %d times", o->name,
					       CLI_LIST_MAX);
		l->items[l->n++] = value;
		return 0;
	}
	case CLI_END:
		break;
	}
	return cli_usage_error(cmd, "internal: bad option table");
}

static const cli_opt *find_long(const cli_command *cmd, const char *name, size_t len)
{
	for (const cli_opt *o = cmd->opts; o->kind != CLI_END; o++)
		if (o->kind != CLI_ARG && o->kind != CLI_ARGS && strlen(o->name) == len &&
		    strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

static const cli_opt *find_short(const cli_command *cmd, char key)
{
	for (const cli_opt *o = cmd->opts; o->kind != CLI_END; o++)
		if (o->kind != CLI_ARG && o->kind != CLI_ARGS && o->key == key)
			return o;
	return NULL;
}

/* The option words of argv[*i]: --name[=value], -k[value]; reads the
 * value from the next word when needed. */
static int option(const cli_command *cmd, int argc, char **argv, int *i, bool *seen)
{
	const char *word = argv[*i];
	const cli_opt *o;
	const char *value = NULL;
	if (word[1] == '-') {
		const char *name = word + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		if (len == 4 && strncmp(name, "help", 4) == 0) {
			cli_help(cmd);
			return CLI_HELP_SHOWN;
		}
		o = find_long(cmd, name, len);
		if (!o)
			return cli_usage_error(cmd, "unknown option '%.*s'", (int)len + 2, word);
		if (eq && o->kind == CLI_SWITCH)
			return cli_usage_error(cmd, "option '--%s' takes no value", o->name);
		value = eq ? eq + 1 : NULL;
	} else {
		if (word[1] == 'h' && word[2] == '\0') {
			cli_help(cmd);
			return CLI_HELP_SHOWN;
		}
		o = find_short(cmd, word[1]);
		if (!o)
			return cli_usage_error(cmd, "unknown option '-%c'", word[1]);
		if (word[2] && o->kind == CLI_SWITCH)
			return cli_usage_error(cmd, "option '-%c' takes no value", word[1]);
		value = word[2] ? word + 2 : NULL;
	}
	if (o->kind != CLI_SWITCH && !value) {
		if (*i + 1 >= argc)
			return cli_usage_error(cmd, "option '%s' needs a value", word);
		value = argv[++*i];
	}
	seen[o - cmd->opts] = true;
	return store(cmd, o, value);
}

int cli_parse(const cli_command *cmd, int argc, char **argv)
{
	size_t n = 0;
	while (cmd->opts[n].kind != CLI_END)
		n++;
	bool seen[128] = {false};
	if (n >= sizeof seen)
		return cli_usage_error(cmd, "internal: option table too long");
	size_t next_arg = 0; /* index of the next positional in the table */
	bool options_done = false;
	for (int i = 1; i < argc; i++) {
		const char *word = argv[i];
		if (!options_done && strcmp(word, "--") == 0) {
			options_done = true;
			continue;
		}
		if (!options_done && word[0] == '-' && word[1] != '\0') {
			int rc = option(cmd, argc, argv, &i, seen);
			if (rc != 0)
				return rc;
			continue;
		}
		while (next_arg < n && cmd->opts[next_arg].kind != CLI_ARG &&
		       cmd->opts[next_arg].kind != CLI_ARGS)
			next_arg++;
		if (next_arg < n && cmd->opts[next_arg].kind == CLI_ARGS) {
			seen[next_arg] = true;
			int rc = store(cmd, &cmd->opts[next_arg], word);
			if (rc != 0)
				return rc;
			continue;
		}
		if (next_arg == n) {
			const cli_opt *last = NULL;
			for (const cli_opt *o = cmd->opts; o->kind != CLI_END; o++)
				if (o->kind == CLI_ARG)
					last = o;
			if (last)
				return cli_usage_error(cmd, "one %s expected, got also '%s'",
						       last->name, word);
			return cli_usage_error(cmd, "unexpected argument '%s'", word);
		}
		seen[next_arg] = true;
		*(const char **)cmd->opts[next_arg].dest = word;
		next_arg++;
	}
	for (size_t k = 0; k < n; k++) {
		const cli_opt *o = &cmd->opts[k];
		if (!(o->flags & CLI_REQUIRED) || seen[k])
			continue;
		if (o->kind == CLI_ARG || o->kind == CLI_ARGS)
			return cli_usage_error(cmd, "missing %s file", o->name);
		return cli_usage_error(cmd, "--%s %s is required", o->name, o->value);
	}
	return 0;
}

/* "  -r, --rules FILE" */
static size_t option_head(const cli_opt *o, char *buf, size_t size)
{
	char key[8] = "    ";
	if (o->key)
		snprintf(key, sizeof key, "-%c, ", o->key);
	if (o->kind == CLI_SWITCH)
		return (size_t)snprintf(buf, size, "  %s--%s", key, o->name);
	return (size_t)snprintf(buf, size, "  %s--%s %s", key, o->name, o->value);
}

void cli_help(const cli_command *cmd)
{
	printf("Usage: mutu %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->about);
	size_t width = 0;
	char head[96];
	for (const cli_opt *o = cmd->opts; o->kind != CLI_END; o++)
		if (o->kind != CLI_ARG && o->kind != CLI_ARGS) {
			size_t w = option_head(o, head, sizeof head);
			width = w > width ? w : width;
		}
	width += 2;
	printf("\n");
	for (const cli_opt *o = cmd->opts; o->kind != CLI_END; o++) {
		if (o->kind == CLI_ARG || o->kind == CLI_ARGS)
			continue;
		size_t w = option_head(o, head, sizeof head);
		printf("%s%*s", head, (int)(width - w), "");
		/* Continuation lines of the help are indented under the first. */
		for (const char *line = o->help; line;) {
			const char *nl = strchr(line, '\n');
			printf("%.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
			line = nl ? nl + 1 : NULL;
			if (line)
				printf("%*s", (int)width, "");
		}
	}
	printf("  -h, --help%*sthis help\n", (int)(width - 12), "");
	if (cmd->after)
		printf("\n%s", cmd->after);
}

/* Command-line options as data, in the manner of libgit2's cli_opt_spec:
 * each option of a command is one line of a table (kind, name, key,
 * where the value goes, value name, help line).  The kind parses and
 * range-checks the value, with one message per kind; the --help text of a
 * command is generated from its table.
 */
#ifndef MUTU_CLI_OPT_H
#define MUTU_CLI_OPT_H

#include <stdbool.h>
#include <stddef.h>

typedef enum cli_kind {
	CLI_END = 0, /* ends a table */
	CLI_SWITCH,  /* bool: present or not */
	CLI_STRING,  /* const char *: any text */
	CLI_INT,     /* long, a whole number within [min, max] */
	CLI_CHOICE,  /* int: the index of the value among `choices` */
	CLI_MS,      /* int milliseconds, 0 (none) to 86400000 */
	CLI_SHARD,   /* cli_shard: K/N with 1 <= K <= N */
	CLI_LIST,    /* cli_list: a repeatable option, every value in order */
	CLI_RATE,    /* cli_rate: a fraction 0 to 2, or a percentage "80%" */
	CLI_ARG,     /* const char *: a positional argument */
	CLI_ARGS,    /* cli_list: every remaining positional argument */
} cli_kind;

enum {
	CLI_REQUIRED = 1u, /* must be given */
};

typedef struct cli_shard {
	unsigned long k, n;
} cli_shard;

typedef struct cli_rate {
	double value;
	bool given;
} cli_rate;

#define CLI_LIST_MAX 64

typedef struct cli_list {
	const char *items[CLI_LIST_MAX];
	size_t n;
} cli_list;

typedef struct cli_opt {
	cli_kind kind;
	const char *name;           /* long name without "--"; a positional's value name */
	char key;                   /* short name, 0 when none */
	void *dest;                 /* where the value goes (type by kind) */
	const char *value;          /* the value's name in help and messages: FILE, N... */
	const char *help;           /* one line; more lines after "\n" */
	unsigned flags;             /* CLI_REQUIRED */
	long min, max;              /* CLI_INT */
	const char *const *choices; /* CLI_CHOICE, NULL-terminated */
} cli_opt;

/* A command: its name, the arguments line of its usage, what it does (a
 * paragraph, may hold blank lines), its table, and what follows the
 * options in its help (exit statuses, notes). */
typedef struct cli_command {
	const char *name;
	const char *usage;
	const char *summary; /* one line, for 'mutu --help' */
	const char *about;
	const cli_opt *opts;
	const char *after;
	int (*run)(int argc, char **argv);
} cli_command;

/* Parses argv[1..argc-1] (argv[0] is the command name) into the table's
 * destinations.  Returns 0 when parsed, CLI_HELP_SHOWN when --help was
 * printed (exit 0), or an exit status after printing a usage error on
 * standard error. */
enum { CLI_HELP_SHOWN = -1 };
int cli_parse(const cli_command *cmd, int argc, char **argv);

/* Prints the generated help of `cmd` on standard output. */
void cli_help(const cli_command *cmd);

/* Prints "mutu CMD: message" and the hint to --help on standard error;
 * returns the usage exit status. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif

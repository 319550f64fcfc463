/* What the commands of mutu share: the options every command spells the
 * same way, loading the inputs with their errors printed, and writing
 * outputs.  A command file calls these and the library, never another
 * command file. */
#ifndef MUTU_CLI_COMMON_H
#define MUTU_CLI_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "exit.h"
#include "mutu/analysis.h"
#include "mutu/cabinet.h"
#include "mutu/contract.h"
#include "mutu/error.h"
#include "mutu/rules.h"
#include "opt.h"

#define MUTU_VERSION "0.2.0"

extern const char *const cli_goal_names[];               /* net_benefit, patients */
extern const char *const cli_format_names[];             /* text, json, csv, html */
extern const char *const cli_format_names_no_csv[];      /* text, json */
extern const char *const cli_format_names_no_html[];     /* text, json, csv */
extern const char *const cli_format_names_no_csv_html[]; /* text, json, html */
extern const char *const cli_lang_names[];               /* fr, en (mutu_lang order) */

/* The option lines every command spells the same way. */
#define CLI_OPT_RULES(dest)                                                                        \
	{                                                                                          \
		CLI_STRING, "rules", 'r', dest, "FILE", "rules file (required)", CLI_REQUIRED, 0,  \
		    0, NULL                                                                        \
	}
#define CLI_OPT_OUT(dest)                                                                          \
	{                                                                                          \
		CLI_STRING, "out", 'o', dest, "FILE",                                              \
		    "write there instead of standard output (whole, or not at all)", 0, 0, 0, NULL \
	}
#define CLI_OPT_GOAL(dest)                                                                         \
	{                                                                                          \
		CLI_CHOICE, "goal", 'g', dest, "GOAL",                                             \
		    "net_benefit (default: the doctors' net value, then the smallest\n"            \
		    "growth asked of any member, then the least ETP) or patients (most\n"          \
		    "new patients with a net >= 0, then the net, then the smallest growth)",       \
		    0, 0, 0, cli_goal_names                                                        \
	}
#define CLI_OPT_FORMAT(dest, names, help)                                                          \
	{                                                                                          \
		CLI_CHOICE, "format", 'f', dest, "FMT", help, 0, 0, 0, names                       \
	}
/* dest is an int set to -1 before parsing: still -1 when not given, and
 * cli_lang() then asks the environment. */
#define CLI_OPT_LANG(dest)                                                                         \
	{                                                                                          \
		CLI_CHOICE, "lang", 'L', dest, "LANG",                                             \
		    "fr or en: the language of text and HTML (default: LC_ALL,\n"                  \
		    "LC_MESSAGES or LANG when English, else French)",                              \
		    0, 0, 0, cli_lang_names                                                        \
	}
#define CLI_OPT_THREADS(dest)                                                                      \
	{                                                                                          \
		CLI_INT, "threads", 'j', dest, "N", "worker threads (default 1)", 0, 1, 256, NULL  \
	}
#define CLI_OPT_TIME_LIMIT(dest, help)                                                             \
	{                                                                                          \
		CLI_MS, "time-limit", 't', dest, "MS", help, 0, 0, 0, NULL                         \
	}
#define CLI_OPT_SHARD(dest, help)                                                                  \
	{                                                                                          \
		CLI_SHARD, "shard", 's', dest, "K/N", help, 0, 0, 0, NULL                          \
	}
#define CLI_OPT_QUIET(dest)                                                                        \
	{                                                                                          \
		CLI_SWITCH, "quiet", 'q', dest, NULL,                                              \
		    "no progress and no summary on standard error", 0, 0, 0, NULL                  \
	}
#define CLI_OPT_END                                                                                \
	{                                                                                          \
		CLI_END, NULL, 0, NULL, NULL, NULL, 0, 0, 0, NULL                                  \
	}

/* The report language: --lang when given (`option` >= 0), else the
 * environment's. */
mutu_lang cli_lang(int option);

/* The format chosen among cli_format_names_no_csv_html. */
mutu_format cli_format_no_csv(int index);

/* Prints every error of `errs` on standard error, one per line. */
void cli_print_errors(const mutu_errors *errs);

/* Prints "FILE: message" (or "mutu: message") for one error record. */
void cli_print_error(const mutu_error *err);

/* Loads the rules, printing errors; the exit status (0 when loaded). */
int cli_load_rules(mutu_rules *rules, const char *path);

/* Loads a cabinet checked against `rules`, printing errors. */
int cli_load_cabinet(mutu_cabinet *cab, const mutu_rules *rules, const char *path);

/* Refuses, with a usage error, more than one "-" among `paths` (NULLs
 * skipped) and an output `out` that is one of them.  `names` name each
 * path in the message.  Returns 0 or the exit status. */
int cli_check_files(const cli_command *cmd, const char *out, const char *const *paths,
		    const char *const *names, size_t n);

/* Writes `text` to `path` (NULL or "-": standard output), printing the
 * error; the exit status. */
int cli_write(const char *path, const char *text);

/* Prints "mutu: out of memory" and returns the internal exit status. */
int cli_out_of_memory(void);

/* Whether progress goes to standard error (a terminal, and not --quiet). */
bool cli_show_progress(bool quiet);

/* SIGINT and SIGTERM set a flag instead of killing, so that a command
 * can abandon its outputs (nothing half written is left) and then die of
 * the signal. */
void cli_catch_signals(void);
int cli_interrupted(void);
void cli_die_of_signal(void);

/* What validate and simulate load: the rules, the cabinet, the contract,
 * and the contract's findings. */
typedef struct cli_contract_inputs {
	mutu_rules rules;
	mutu_cabinet cab;
	mutu_contract ct;
	mutu_findings findings;
} cli_contract_inputs;

/* Loads and validates; the exit status (0 when everything is loaded,
 * whatever the findings).  Free with cli_contract_inputs_free, also on
 * failure. */
int cli_load_contract(cli_contract_inputs *in, const char *contract, const char *cabinet,
		      const char *rules);
void cli_contract_inputs_free(cli_contract_inputs *in);

#endif

/* The mutu command-line tool: shared helpers of the commands. */
#ifndef MUTU_CMD_H
#define MUTU_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "mutu/analysis.h"
#include "mutu/error.h"
#include "mutu/rules.h"

#define MUTU_VERSION "0.1.0"

extern const char *cmd_prog; /* "mutu" */

int cmd_individual(int argc, char **argv);
int cmd_solve(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_generate(int argc, char **argv);

/* Parses "K/N" with 1 <= K <= N. */
bool cmd_parse_shard(const char *s, unsigned long *k, unsigned long *n);

/* Whether `f` holds a 'mutu sweep --shard' partial result (rewinds it). */
bool cmd_sweep_is_partial(FILE *f);

/* Combines sweep partial results and prints the sweep's table. */
int cmd_merge_sweep(const char *const *names, size_t n, const char *format, FILE *out);

/* Prints every error of `errs` on stderr, one per line. */
void cmd_print_errors(const mutu_errors *errs);

/* Prints "mutu CMD: message" and a hint to --help; returns MUTU_EXIT_USAGE. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Loads the rules, printing errors; false on failure. */
bool cmd_load_rules(mutu_rules *rules, const char *path);

/* Loads a cabinet checked against `rules`, printing errors. */
bool cmd_load_cabinet(mutu_cabinet *cab, const mutu_rules *rules, const char *path);

/* Parses --format; false when unknown. */
bool cmd_parse_format(const char *s, mutu_format *out, bool csv_allowed);

/* Writes `text` to `path` ("-" or NULL: stdout) through a temporary file
 * renamed into place, so a failed run never leaves a truncated file.
 * Prints the error and returns false on failure. */
bool cmd_write_output(const char *path, const char *text);

#endif

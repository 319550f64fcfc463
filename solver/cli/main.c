/* mutu: what a pooled medical-assistant contract would give a group
 * practice.  The command table. */
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "mutu/group.h"
#include "mutu/i18n.h"

extern const cli_command cli_individual, cli_solve, cli_export, cli_validate, cli_simulate,
    cli_batch, cli_sweep, cli_merge, cli_generate, cli_serve;

static const cli_command *const commands[] = {
    &cli_individual, &cli_solve, &cli_export, &cli_validate, &cli_simulate,
    &cli_batch,      &cli_sweep, &cli_merge,  &cli_generate, &cli_serve,
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
	fprintf(out, "Usage: mutu COMMAND [OPTIONS] ...\n"
		     "\n"
		     "What a pooled medical-assistant contract would give a group practice.\n"
		     "\n"
		     "Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-11s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(out, "\n"
		     "Run 'mutu COMMAND --help' for the options of a command.\n"
		     "\n"
		     "Exit status:\n"
		     "  0  success\n"
		     "  1  findings (validate), no solution, or a failed batch line\n"
		     "  2  bad input or usage, or an output that cannot be written\n"
		     "  3  internal or solver failure\n");
}

int main(int argc, char **argv)
{
	mutu_solver_tune_allocator();
	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("mutu %s\n", MUTU_VERSION);
		return CLI_EXIT_OK;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i]->name) == 0) {
			mutu_i18n_init(argv[0]);
			int rc = commands[i]->run(argc - 1, argv + 1);
			mutu_solver_release();
			mutu_i18n_release();
			return rc;
		}
	fprintf(stderr, "mutu: unknown command '%s'\nTry 'mutu --help'.\n", argv[1]);
	return CLI_EXIT_USAGE;
}

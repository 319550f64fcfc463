/* mutu: what a pooled medical-assistant contract would give a group
 * practice.  The command dispatcher. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "mutu/group.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
    {"individual", cmd_individual, "each doctor's individual contract options and best choice"},
    {"solve", cmd_solve, "the pooled contract of each specialty, beside the individual ones"},
    {"export", cmd_export, "write one group's model in LP or MPS format"},
    {"validate", cmd_validate, "check a draft pooled contract rule by rule"},
    {"simulate", cmd_simulate, "a pooled contract year by year"},
    {"batch", cmd_batch, "solve a stream of cabinets (JSON Lines), in order, on threads"},
    {"sweep", cmd_sweep, "compare modalities over a population: cost, winners, losers"},
    {"merge", cmd_merge, "join the outputs of sharded batch or sweep runs"},
    {"generate", cmd_generate, "draw a synthetic population of group practices (JSON Lines)"},
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: mutu COMMAND [OPTIONS] ...\n"
		     "\n"
		     "What a pooled medical-assistant contract would give a group practice.\n"
		     "\n"
		     "Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n"
		     "Run 'mutu COMMAND --help' for the options of a command.\n"
		     "\n"
		     "Exit status:\n"
		     "  0  success\n"
		     "  1  findings (validate), no solution, or a failed batch line\n"
		     "  2  bad input or usage\n"
		     "  3  internal or solver failure\n");
}

int main(int argc, char **argv)
{
	mutu_solver_tune_allocator();
	if (argc < 2) {
		usage(stderr);
		return MUTU_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return MUTU_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("mutu %s\n", MUTU_VERSION);
		return MUTU_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			int rc = commands[i].run(argc - 1, argv + 1);
			mutu_solver_release();
			return rc;
		}
	fprintf(stderr, "mutu: unknown command '%s'\nTry 'mutu --help'.\n", argv[1]);
	return MUTU_EXIT_USAGE;
}

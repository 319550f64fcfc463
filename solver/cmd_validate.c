/* mutu validate, mutu simulate. */
#include <stdio.h>

#include "cmd.h"

int cmd_validate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "mutu validate: not available in this build\n");
	return MUTU_EXIT_INTERNAL;
}

int cmd_simulate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "mutu simulate: not available in this build\n");
	return MUTU_EXIT_INTERNAL;
}

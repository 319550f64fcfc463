/* The one mapping from library statuses to exit statuses: see exit.h. */
#include "exit.h"
#include "mutu/error.h"

int cli_exit_status(int rc)
{
	switch (rc) {
	case MUTU_OK:
		return CLI_EXIT_OK;
	case MUTU_EINPUT:
	case MUTU_EIO:
		return CLI_EXIT_USAGE;
	default:
		return CLI_EXIT_INTERNAL;
	}
}

/* The exit statuses of mutu, the one place they are listed, and the one
 * mapping from a library status to an exit status. */
#ifndef MUTU_CLI_EXIT_H
#define MUTU_CLI_EXIT_H

enum {
	CLI_EXIT_OK = 0,       /* success */
	CLI_EXIT_FINDINGS = 1, /* findings (validate), no plan (solve), a failed line (batch) */
	CLI_EXIT_USAGE = 2,    /* bad input or usage: the message says where and what */
	CLI_EXIT_INTERNAL = 3, /* internal or solver failure, out of memory */
};

/* The exit status for a library return code: MUTU_OK 0; MUTU_EINPUT and
 * MUTU_EIO 2 (an input that cannot be read, an output that cannot be
 * written: the user can act on the file named); MUTU_ENOMEM,
 * MUTU_ESOLVER and anything else 3. */
int cli_exit_status(int rc);

#endif

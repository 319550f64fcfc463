/* mutu: reading inputs and writing outputs safely.
 *
 * Inputs are read only from regular files (or standard input for "-"),
 * up to a size limit, so that a path such as /dev/zero or a FIFO is an
 * error, not a hang.  Outputs are written to an unnamed temporary file in
 * the target's directory and moved into place when complete (flushed,
 * synced, renamed, every step checked): a failed or killed run leaves
 * neither a truncated file nor a stray temporary.
 */
#ifndef MUTU_FILE_H
#define MUTU_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mutu/error.h"

/* The largest input read (bytes): 64 MiB, or the environment variable
 * MUTU_MAX_INPUT_BYTES when set to a positive whole number.  A batch line
 * longer than this is one error record. */
size_t mutu_file_limit(void);

/* Reads the whole of `path` ("-": standard input) into a NUL-terminated
 * buffer the caller frees; `*len` gets its length.  A directory, a device,
 * a FIFO, a file larger than mutu_file_limit() or a NUL byte is an error
 * recorded in `errs` against `path`.  Returns 0, MUTU_EIO (cannot read)
 * or MUTU_EINPUT (not a text file); on failure `*text` is NULL. */
int mutu_file_read(const char *path, char **text, size_t *len, mutu_errors *errs);

/* Opens a stream input for reading line by line ("-": standard input):
 * a regular file, a pipe or a FIFO (streams are meant to flow), never a
 * directory or a device.  Returns 0 or MUTU_EIO with `err` filled (the
 * file named); on failure `*f` is NULL. */
int mutu_file_open_stream(const char *path, FILE **f, mutu_error *err);

/* Where a file of the repository's scenarios/ (given as
 * "scenarios/rules/convention-2024.json") is, for a command run from
 * anywhere: in the current directory, beside the binary in a build tree
 * (build/mutu -> ../scenarios/...), or in an installed tree
 * (PREFIX/bin/mutu -> ../share/mutu/rules/...).  A string the caller
 * frees, NULL when found nowhere (or out of memory). */
char *mutu_file_bundled(const char *relative);

/* Whether `a` and `b` name the same existing file (same device and
 * inode): an output must never overwrite an input. */
bool mutu_file_same(const char *a, const char *b);

/* An output being written (opaque). */
typedef struct mutu_output mutu_output;

enum {
	/* Write to PATH.partial, kept across runs and not truncated at open:
	 * for checkpointed runs that resume where they stopped. */
	MUTU_OUTPUT_RESUMABLE = 1u,
};

/* Starts writing `path` (NULL or "-": standard output, written directly).
 * Returns 0, or MUTU_EIO with `err` filled (the file named); on failure
 * `*out` is NULL. */
int mutu_output_open(mutu_output **out, const char *path, unsigned flags, mutu_error *err);

/* The stream to write to, and the name to use in messages. */
FILE *mutu_output_stream(const mutu_output *out);
const char *mutu_output_name(const mutu_output *out);

/* Finishes the output: flushes and syncs it, then moves it into place.
 * Returns 0, or MUTU_EIO with `err` naming the file and the reason (a full
 * disk, /dev/full...).  Frees `out` either way; NULL is an error-free
 * no-op. */
int mutu_output_commit(mutu_output *out, mutu_error *err);

/* Abandons the output: nothing is moved into place (a resumable output's
 * .partial is kept).  Frees `out`; NULL is fine. */
void mutu_output_discard(mutu_output *out);

/* Writes `text` as the whole of `path` (NULL or "-": standard output)
 * through mutu_output_open and mutu_output_commit. */
int mutu_file_write(const char *path, const char *text, mutu_error *err);

#endif

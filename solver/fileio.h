/* Small file helpers.  Internal. */
#ifndef MUTU_FILEIO_H
#define MUTU_FILEIO_H

/* Replaces `path` by `text` atomically: a temporary file in the same
 * directory, synced, then renamed.  Returns 0 or MUTU_EIO (errno set). */
int mutu_file__write_atomic(const char *path, const char *text);

#endif

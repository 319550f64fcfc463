/* Reading inputs and writing outputs: see include/mutu/file.h. */
#define _GNU_SOURCE /* O_TMPFILE, linkat */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mutu/file.h"

#define DEFAULT_LIMIT ((size_t)64 << 20)

size_t mutu_file_limit(void)
{
	const char *s = getenv("MUTU_MAX_INPUT_BYTES");
	if (s && *s >= '1' && *s <= '9') {
		char *end;
		unsigned long long v = strtoull(s, &end, 10);
		if (*end == '\0' && v > 0 && v < SIZE_MAX / 2)
			return (size_t)v;
	}
	return DEFAULT_LIMIT;
}

/* What kind of file `mode` is, for messages, or NULL for a regular file. */
static const char *not_regular(mode_t mode)
{
	if (S_ISREG(mode))
		return NULL;
	if (S_ISDIR(mode))
		return "is a directory, not a file";
	if (S_ISFIFO(mode))
		return "is a FIFO, not a regular file";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "is a device, not a regular file";
	if (S_ISSOCK(mode))
		return "is a socket, not a regular file";
	return "is not a regular file";
}

/* Reads `f` to its end into a NUL-terminated buffer, up to `limit` bytes. */
static int read_all(FILE *f, size_t limit, char **text, size_t *len, const char **why)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	if (!buf) {
		*why = "out of memory reading the file";
		return MUTU_ENOMEM;
	}
	for (;;) {
		if (n + 1 >= cap) {
			char *bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				*why = "out of memory reading the file";
				return MUTU_ENOMEM;
			}
			buf = bigger;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (n > limit) {
			free(buf);
			*why = "larger than the input limit";
			return MUTU_EINPUT;
		}
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		*why = strerror(errno ? errno : EIO);
		return MUTU_EIO;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return MUTU_OK;
}

int mutu_file_read(const char *path, char **text, size_t *len, mutu_errors *errs)
{
	*text = NULL;
	*len = 0;
	bool is_stdin = strcmp(path, "-") == 0;
	/* /proc and /sys hold "regular" files that are kernel interfaces (some
	 * block, some never end): not inputs. */
	char *real = is_stdin ? NULL : realpath(path, NULL);
	bool kernel = real && (strncmp(real, "/proc/", 6) == 0 || strncmp(real, "/sys/", 5) == 0);
	free(real);
	if (kernel) {
		mutu_errors_add(errs, path, NULL,
				"is a kernel interface (/proc, /sys), not a file");
		return MUTU_EIO;
	}
	/* Opened without blocking, so that a FIFO is refused, not waited on. */
	int fd = is_stdin ? -1 : open(path, O_RDONLY | O_NONBLOCK);
	if (fd >= 0)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	FILE *f = is_stdin ? stdin : fd >= 0 ? fdopen(fd, "rb") : NULL;
	if (!f && fd >= 0)
		close(fd);
	if (!f) {
		mutu_errors_add(errs, path, NULL, "cannot open: %s", strerror(errno));
		return MUTU_EIO;
	}
	struct stat sb;
	const char *kind = NULL;
	if (fstat(fileno(f), &sb) != 0) {
		mutu_errors_add(errs, path, NULL, "cannot read: %s", strerror(errno));
		if (!is_stdin)
			fclose(f);
		return MUTU_EIO;
	}
	/* Standard input may be a pipe; a named path must be a regular file. */
	if (!is_stdin || S_ISDIR(sb.st_mode) || S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode))
		kind = not_regular(sb.st_mode);
	size_t limit = mutu_file_limit();
	if (!kind && S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > (uintmax_t)limit) {
		mutu_errors_add(errs, path, NULL,
				"is %jd bytes, larger than the input limit of %zu bytes (set "
				"MUTU_MAX_INPUT_BYTES to raise it)",
				(intmax_t)sb.st_size, limit);
		if (!is_stdin)
			fclose(f);
		return MUTU_EINPUT;
	}
	if (kind) {
		mutu_errors_add(errs, path, NULL, "%s", kind);
		if (!is_stdin)
			fclose(f);
		return MUTU_EIO;
	}
	const char *why = NULL;
	int rc = read_all(f, limit, text, len, &why);
	if (!is_stdin)
		fclose(f);
	if (rc == MUTU_EINPUT)
		mutu_errors_add(errs, path, NULL,
				"%s of %zu bytes (set MUTU_MAX_INPUT_BYTES to raise it)", why,
				limit);
	else if (rc != MUTU_OK)
		mutu_errors_add(errs, path, NULL, "cannot read: %s", why);
	if (rc != MUTU_OK)
		return rc;
	if (strlen(*text) != *len) {
		free(*text);
		*text = NULL;
		mutu_errors_add(errs, path, NULL, "contains a NUL byte: not a JSON text");
		return MUTU_EINPUT;
	}
	return MUTU_OK;
}

int mutu_file_open_stream(const char *path, FILE **f, mutu_error *err)
{
	*f = NULL;
	if (strcmp(path, "-") == 0) {
		*f = stdin;
		return MUTU_OK;
	}
	struct stat sb;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISFIFO(sb.st_mode)) {
		snprintf(err->file, sizeof err->file, "%s", path);
		snprintf(err->message, sizeof err->message, "%s", not_regular(sb.st_mode));
		return MUTU_EIO;
	}
	*f = fopen(path, "rb");
	if (!*f) {
		snprintf(err->file, sizeof err->file, "%s", path);
		snprintf(err->message, sizeof err->message, "cannot open: %s", strerror(errno));
		return MUTU_EIO;
	}
	return MUTU_OK;
}

char *mutu_file_bundled(const char *relative)
{
	if (access(relative, F_OK) == 0)
		return strdup(relative);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
	if (!slash)
		return NULL;
	*slash = '\0';
	const char *tail = strncmp(relative, "scenarios/", 10) == 0 ? relative + 10 : relative;
	for (size_t i = 0; i < 2; i++) {
		size_t len = strlen(exe) + strlen(relative) + 32;
		char *p = malloc(len);
		if (!p)
			return NULL;
		if (i == 0)
			snprintf(p, len, "%s/../%s", exe, relative);
		else
			snprintf(p, len, "%s/../share/mutu/%s", exe, tail);
		if (access(p, F_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

bool mutu_file_same(const char *a, const char *b)
{
	struct stat sa, sb;
	if (!a || !b || strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return false;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* ---- outputs ---- */

typedef enum out_kind {
	OUT_STDOUT,  /* standard output */
	OUT_DIRECT,  /* an existing non-regular file (a device, a FIFO): written in place */
	OUT_UNNAMED, /* an O_TMPFILE in the target's directory, linked at commit */
	OUT_NAMED,   /* a named temporary (where O_TMPFILE is not supported) */
	OUT_PARTIAL, /* PATH.partial, kept across runs */
} out_kind;

struct mutu_output {
	out_kind kind;
	FILE *f;
	char *path; /* the target */
	char *tmp;  /* OUT_NAMED, OUT_PARTIAL: the file written */
};

static int fail(mutu_error *err, const char *file, const char *what)
{
	snprintf(err->file, sizeof err->file, "%s", file);
	snprintf(err->message, sizeof err->message, "cannot write: %s", what);
	return MUTU_EIO;
}

static void output_free(mutu_output *o)
{
	if (!o)
		return;
	free(o->path);
	free(o->tmp);
	free(o);
}

/* `path` followed by `suffix` (and the process id when `pid`). */
static char *suffixed(const char *path, const char *suffix, bool pid)
{
	size_t len = strlen(path) + strlen(suffix) + 24;
	char *s = malloc(len);
	if (s && pid)
		snprintf(s, len, "%s%s%ld", path, suffix, (long)getpid());
	else if (s)
		snprintf(s, len, "%s%s", path, suffix);
	return s;
}

/* The directory of `path`, for O_TMPFILE ("." when it has none). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static int open_file(mutu_output *o, unsigned flags, mutu_error *err)
{
	struct stat sb;
	if (flags & MUTU_OUTPUT_RESUMABLE) {
		o->kind = OUT_PARTIAL;
		o->tmp = suffixed(o->path, ".partial", false);
		int fd = o->tmp ? open(o->tmp, O_RDWR | O_CREAT, 0666) : -1;
		o->f = fd >= 0 ? fdopen(fd, "r+b") : NULL;
		if (!o->f && fd >= 0)
			close(fd);
		return o->f ? MUTU_OK : fail(err, o->tmp ? o->tmp : o->path, strerror(errno));
	}
	if (stat(o->path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		if (S_ISDIR(sb.st_mode))
			return fail(err, o->path, "is a directory");
		o->kind = OUT_DIRECT;
		o->f = fopen(o->path, "wb");
		return o->f ? MUTU_OK : fail(err, o->path, strerror(errno));
	}
	char *dir = dir_of(o->path);
	int fd = dir ? open(dir, O_TMPFILE | O_WRONLY, 0666) : -1;
	free(dir);
	if (fd >= 0) {
		o->kind = OUT_UNNAMED;
		o->f = fdopen(fd, "wb");
		if (!o->f)
			close(fd);
		return o->f ? MUTU_OK : fail(err, o->path, strerror(errno));
	}
	o->kind = OUT_NAMED;
	o->tmp = suffixed(o->path, ".tmp.", true);
	o->f = o->tmp ? fopen(o->tmp, "wb") : NULL;
	return o->f ? MUTU_OK : fail(err, o->path, strerror(errno));
}

int mutu_output_open(mutu_output **out, const char *path, unsigned flags, mutu_error *err)
{
	*out = NULL;
	mutu_output *o = calloc(1, sizeof *o);
	if (!o)
		return fail(err, path ? path : "standard output", "out of memory");
	if (!path || strcmp(path, "-") == 0) {
		o->kind = OUT_STDOUT;
		o->f = stdout;
		*out = o;
		return MUTU_OK;
	}
	o->path = strdup(path);
	int rc = o->path ? open_file(o, flags, err) : fail(err, path, "out of memory");
	if (rc != MUTU_OK) {
		output_free(o);
		return rc;
	}
	*out = o;
	return MUTU_OK;
}

FILE *mutu_output_stream(const mutu_output *out)
{
	return out->f;
}

const char *mutu_output_name(const mutu_output *out)
{
	return out->kind == OUT_STDOUT ? "standard output" : out->path;
}

/* Gives the unnamed file a name beside the target, then the target's. */
static int link_unnamed(mutu_output *o, mutu_error *err)
{
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(o->f));
	o->tmp = suffixed(o->path, ".tmp.", true);
	if (!o->tmp)
		return fail(err, o->path, "out of memory");
	unlink(o->tmp);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) != 0)
		return fail(err, o->path, strerror(errno));
	return MUTU_OK;
}

int mutu_output_commit(mutu_output *o, mutu_error *err)
{
	if (!o)
		return MUTU_OK;
	const char *name = mutu_output_name(o);
	int rc = MUTU_OK;
	if (fflush(o->f) != 0 || ferror(o->f))
		rc = fail(err, name, strerror(errno ? errno : EIO));
	/* A device or a pipe cannot be synced; a file must reach the disk
	 * before it replaces the old one. */
	if (rc == MUTU_OK && o->kind != OUT_STDOUT && o->kind != OUT_DIRECT &&
	    fsync(fileno(o->f)) != 0)
		rc = fail(err, name, strerror(errno));
	if (rc == MUTU_OK && o->kind == OUT_UNNAMED)
		rc = link_unnamed(o, err);
	if (o->kind != OUT_STDOUT && fclose(o->f) != 0 && rc == MUTU_OK)
		rc = fail(err, name, strerror(errno));
	if (rc == MUTU_OK && o->tmp && rename(o->tmp, o->path) != 0)
		rc = fail(err, name, strerror(errno));
	if (rc != MUTU_OK && o->tmp && o->kind != OUT_PARTIAL)
		unlink(o->tmp);
	output_free(o);
	return rc;
}

void mutu_output_discard(mutu_output *o)
{
	if (!o)
		return;
	if (o->kind == OUT_STDOUT)
		fflush(o->f);
	else
		fclose(o->f);
	if (o->kind == OUT_NAMED)
		unlink(o->tmp);
	output_free(o);
}

int mutu_file_write(const char *path, const char *text, mutu_error *err)
{
	mutu_output *o;
	int rc = mutu_output_open(&o, path, 0, err);
	if (rc != MUTU_OK)
		return rc;
	size_t len = strlen(text);
	if (fwrite(text, 1, len, o->f) != len) {
		rc = fail(err, mutu_output_name(o), strerror(errno ? errno : EIO));
		mutu_output_discard(o);
		return rc;
	}
	return mutu_output_commit(o, err);
}

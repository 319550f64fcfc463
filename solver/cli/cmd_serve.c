/* mutu serve: the form page and the JSON API on a local web server.
 *
 * Only the HTTP part lives here (libmicrohttpd): every request is handed
 * whole to mutu_api_handle, which answers it through the same loaders,
 * solve and reports as the other commands. */
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "common.h"
#include "mutu/api.h"
#include "mutu/group.h"

#define DEFAULT_RULES_DIR "scenarios/rules"
#define POOL_THREADS 4

/* The page, embedded at build time from solver/cli/serve_page.html. */
extern const unsigned char mutu_serve_page[];

static struct {
	long port;
	const char *bind, *rules_dir;
} a;

static const cli_opt opts[] = {
    {CLI_INT, "port", 'p', &a.port, "N", "TCP port (default 8080; 0: any free port)", 0, 0, 65535,
     NULL},
    {CLI_STRING, "bind", 'b', &a.bind, "ADDR",
     "address to listen on (default 127.0.0.1: this computer only)", 0, 0, 0, NULL},
    {CLI_STRING, "rules-dir", 'R', &a.rules_dir, "DIR",
     "the bundled rules files offered (default scenarios/rules,\n"
     "or the one beside the program)",
     0, 0, 0, NULL},
    CLI_OPT_END,
};

static int run(int argc, char **argv);

const cli_command cli_serve = {
    "serve",
    "[--port N] [--bind ADDR] [--rules-dir DIR]",
    "a local web page to fill in a cabinet and see its answer",
    "Serves the form page (GET /) and the JSON API (POST /api/solve, /api/contract,\n"
    "/api/validate, /api/simulate; GET /api/rules) on this computer.  The page is\n"
    "self-contained: nothing it shows is fetched from elsewhere and nothing typed\n"
    "leaves the computer.  A request names its rules among the bundled files only;\n"
    "no other file is read or written.  Bodies are capped at 1 MiB and each group is\n"
    "solved within 5 s.  Prints the address on standard output; stops cleanly on\n"
    "SIGINT or SIGTERM.",
    opts,
    "Exit status: 0 stopped by a signal, 2 usage or the rules directory cannot be\n"
    "read, 3 the server cannot start (e.g. the port is taken).\n",
    run,
};

/* The rules directory when none is given: DEFAULT_RULES_DIR from the
 * current directory, else beside the program (build/mutu -> scenarios/). */
static char *default_rules_dir(void)
{
	if (access(DEFAULT_RULES_DIR, F_OK) == 0)
		return strdup(DEFAULT_RULES_DIR);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			size_t len = strlen(exe) + sizeof "/../" DEFAULT_RULES_DIR;
			char *p = malloc(len);
			if (p) {
				snprintf(p, len, "%s/../%s", exe, DEFAULT_RULES_DIR);
				if (access(p, F_OK) == 0)
					return p;
				free(p);
			}
		}
	}
	return strdup(DEFAULT_RULES_DIR); /* reported as missing by mutu_api_create */
}

/* What one connection has received so far. */
typedef struct upload {
	char *data;
	size_t len, cap;
	bool too_large;
} upload;

static void upload_free(void *cls, struct MHD_Connection *c, void **con_cls,
			enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	upload *u = *con_cls;
	if (u) {
		free(u->data);
		free(u);
	}
	*con_cls = NULL;
}

static bool upload_append(upload *u, const char *data, size_t n)
{
	if (u->too_large || u->len + n > MUTU_API_MAX_BODY) {
		u->too_large = true;
		return true;
	}
	if (u->len + n + 1 > u->cap) {
		size_t cap = u->cap ? u->cap : 4096;
		while (cap < u->len + n + 1)
			cap *= 2;
		char *p = realloc(u->data, cap);
		if (!p)
			return false;
		u->data = p;
		u->cap = cap;
	}
	memcpy(u->data + u->len, data, n);
	u->len += n;
	u->data[u->len] = '\0';
	return true;
}

static enum MHD_Result respond(struct MHD_Connection *c, const mutu_api_response *r)
{
	static const char fallback[] = "{\"error\": {\"file\": \"request\", \"path\": \"\", "
				       "\"message\": \"out of memory\"}}\n";
	struct MHD_Response *resp =
	    r->body ? MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_COPY)
		    : MHD_create_response_from_buffer(sizeof fallback - 1, (void *)fallback,
						      MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type",
				r->content_type ? r->content_type : "application/json");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	/* The browser itself refuses any request to another site, so what is
	 * typed cannot leave the computer even through a mistake in the page. */
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'none'; script-src 'unsafe-inline'; "
				"style-src 'unsafe-inline'; img-src data:; connect-src 'self'; "
				"form-action 'none'; base-uri 'none'; frame-ancestors 'none'");
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)(r->body ? r->status : 500), resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *data,
			      size_t *size, void **con_cls)
{
	(void)version;
	const mutu_api *api = cls;
	upload *u = *con_cls;
	if (!u) {
		if (!(u = calloc(1, sizeof *u)))
			return MHD_NO;
		*con_cls = u;
		const char *cl =
		    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (!cl || strtoull(cl, NULL, 10) <= MUTU_API_MAX_BODY)
			return MHD_YES;
		/* A declared length over the cap is answered before the body is
		 * read (MHD then closes the connection); a chunked body over it is
		 * read to its end but not kept. */
		u->too_large = true;
	} else if (*size) {
		if (!upload_append(u, data, *size))
			return MHD_NO;
		*size = 0;
		return MHD_YES;
	}
	mutu_api_response r;
	/* An oversized body is not kept: its length alone gets the 413. */
	if (u->too_large)
		mutu_api_handle(api, method, url, NULL, (size_t)MUTU_API_MAX_BODY + 1, &r);
	else
		mutu_api_handle(api, method, url, u->data, u->len, &r);
	enum MHD_Result ret = respond(c, &r);
	mutu_api_response_free(&r);
	/* GLPK keeps a state per thread: give it back after each request. */
	mutu_solver_release();
	return ret;
}

static void log_error(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fprintf(stderr, "mutu serve: ");
	vfprintf(stderr, fmt, ap);
}

static struct MHD_Daemon *start(mutu_api *api, const char *bind, unsigned short port)
{
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
	memset(&in4, 0, sizeof in4);
	memset(&in6, 0, sizeof in6);
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	if (inet_pton(AF_INET, bind, &in4.sin_addr) == 1) {
		in4.sin_family = AF_INET;
		in4.sin_port = htons(port);
		sa = (const struct sockaddr *)&in4;
	} else if (inet_pton(AF_INET6, bind, &in6.sin6_addr) == 1) {
		in6.sin6_family = AF_INET6;
		in6.sin6_port = htons(port);
		sa = (const struct sockaddr *)&in6;
		flags |= MHD_USE_IPv6;
	} else {
		return NULL;
	}
	return MHD_start_daemon(
	    flags, port, NULL, NULL, handle, api, MHD_OPTION_EXTERNAL_LOGGER, log_error, NULL,
	    MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)POOL_THREADS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
	    MHD_OPTION_NOTIFY_COMPLETED, upload_free, NULL, MHD_OPTION_END);
}

static int run(int argc, char **argv)
{
	a.port = 8080;
	a.bind = "127.0.0.1";
	int rc = cli_parse(&cli_serve, argc, argv);
	if (rc != 0)
		return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
	struct in6_addr probe;
	if (inet_pton(AF_INET, a.bind, &probe) != 1 && inet_pton(AF_INET6, a.bind, &probe) != 1)
		return cli_usage_error(&cli_serve, "--bind: not an IPv4 or IPv6 address: %s",
				       a.bind);
	char *dir = a.rules_dir ? strdup(a.rules_dir) : default_rules_dir();
	if (!dir)
		return cli_out_of_memory();
	mutu_errors *errs = malloc(sizeof *errs);
	mutu_api *api = NULL;
	if (!errs) {
		free(dir);
		return cli_out_of_memory();
	}
	mutu_errors_clear(errs);
	int e = mutu_api_create(&api, dir, (const char *)mutu_serve_page, errs);
	if (e != MUTU_OK) {
		cli_print_errors(errs);
		free(errs);
		free(dir);
		return e == MUTU_ENOMEM ? cli_out_of_memory() : CLI_EXIT_USAGE;
	}
	free(errs);
	free(dir);

	/* Block the stop signals in every thread (the pool inherits the
	 * mask) and wait for them here.  A shell starts a background job with
	 * SIGINT ignored, and an ignored signal is dropped even when blocked:
	 * take the default back so that sigwait sees it. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = start(api, a.bind, (unsigned short)a.port);
	if (!d) {
		fprintf(stderr, "mutu serve: cannot listen on %s port %ld\n", a.bind, a.port);
		mutu_api_free(api);
		return CLI_EXIT_INTERNAL;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = info ? info->port : (unsigned)a.port;
	bool v6 = strchr(a.bind, ':') != NULL;
	printf("mutu serve: http://%s%s%s:%u/\n", v6 ? "[" : "", a.bind, v6 ? "]" : "", port);
	fflush(stdout);
	int sig = 0;
	sigwait(&stop, &sig);
	MHD_stop_daemon(d);
	mutu_api_free(api);
	fprintf(stderr, "mutu serve: stopped\n");
	return CLI_EXIT_OK;
}

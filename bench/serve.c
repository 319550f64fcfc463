/* A small HTTP client timing mutu serve: the same POST sent N times one
 * after the other (a new connection each, as a cold form submission),
 * then by C clients at once.  Prints the latencies (p50, p99, max) and
 * the number of failed answers (not 200, or a body other than the first
 * answer's).  See bench/serve.sh.
 *
 * Usage: serve HOST PORT PATH BODY-FILE N C */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *host, *path;
static int port;
static char *body, *first;
static size_t body_len;
static long n_each;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One request on a new connection; the whole answer in *out (the
 * caller frees it).  Returns the HTTP status, or -1 on an I/O error. */
static int request(char **out)
{
	*out = NULL;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	char head[512];
	int hn = snprintf(head, sizeof head,
			  "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
			  "Content-Length: %zu\r\nConnection: close\r\n\r\n",
			  path, host, port, body_len);
	if (send(fd, head, (size_t)hn, 0) != hn ||
	    send(fd, body, body_len, 0) != (ssize_t)body_len) {
		close(fd);
		return -1;
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	for (ssize_t k; buf && (k = recv(fd, buf + len, cap - len - 1, 0)) > 0;) {
		len += (size_t)k;
		if (len + 1 == cap) {
			char *p = realloc(buf, cap *= 2);
			if (!p) {
				free(buf);
				buf = NULL;
			}
			buf = p;
		}
	}
	close(fd);
	if (!buf)
		return -1;
	buf[len] = '\0';
	int status = -1;
	if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
		status = -1;
	char *b = strstr(buf, "\r\n\r\n");
	*out = strdup(b ? b + 4 : "");
	free(buf);
	return status;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void *client(void *arg)
{
	long *bad = arg;
	for (long i = 0; i < n_each; i++) {
		char *ans;
		int st = request(&ans);
		if (st != 200 || !ans || strcmp(ans, first) != 0)
			(*bad)++;
		free(ans);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: serve HOST PORT PATH BODY-FILE N C\n");
		return 2;
	}
	host = argv[1];
	port = atoi(argv[2]);
	path = argv[3];
	long n = atol(argv[5]), c = atol(argv[6]);
	FILE *f = fopen(argv[4], "rb");
	if (!f || n < 1 || c < 1 || c > 256) {
		fprintf(stderr, "serve: cannot read %s, or N/C out of range\n", argv[4]);
		return 2;
	}
	fseek(f, 0, SEEK_END);
	body_len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	body = malloc(body_len + 1);
	if (!body || fread(body, 1, body_len, f) != body_len)
		return 2;
	fclose(f);

	if (request(&first) != 200) {
		fprintf(stderr, "serve: the first answer is not 200:\n%s\n", first ? first : "");
		return 1;
	}
	double *ms = malloc((size_t)n * sizeof *ms);
	long bad = 0;
	for (long i = 0; i < n; i++) {
		char *ans;
		double t0 = now_ms();
		int st = request(&ans);
		ms[i] = now_ms() - t0;
		if (st != 200 || !ans || strcmp(ans, first) != 0)
			bad++;
		free(ans);
	}
	qsort(ms, (size_t)n, sizeof *ms, by_value);
	/* Nearest rank. */
	size_t p50 = (size_t)((n * 50 + 99) / 100) - 1, p99 = (size_t)((n * 99 + 99) / 100) - 1;
	printf("sequential: %ld requests, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %ld failed\n", n,
	       ms[p50], ms[p99], ms[n - 1], bad);

	n_each = n / c > 0 ? n / c : 1;
	pthread_t t[256];
	long bads[256] = {0};
	double t0 = now_ms();
	for (long i = 0; i < c; i++)
		pthread_create(&t[i], NULL, client, &bads[i]);
	long cbad = 0;
	for (long i = 0; i < c; i++) {
		pthread_join(t[i], NULL);
		cbad += bads[i];
	}
	double wall = now_ms() - t0;
	printf("concurrent: %ld clients x %ld requests in %.0f ms (%.0f requests/s), %ld failed\n",
	       c, n_each, wall, (double)(c * n_each) / (wall / 1e3), cbad);
	free(ms);
	free(first);
	free(body);
	return bad || cbad ? 1 : 0;
}

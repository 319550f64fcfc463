/* bench: clocks, statistics, names, child processes and the machine,
 * used by every part of the harness (bench.h).
 */
#define _DEFAULT_SOURCE /* wait4 */

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

/* ---- clocks and statistics ---------------------------------------------- */

int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Nearest-rank percentile q (0-100] of `v` (sorted ascending, n > 0). */
double pct(const double *v, size_t n, double q)
{
	size_t k = (size_t)ceil(q / 100.0 * (double)n);
	return v[k > 0 ? k - 1 : 0];
}

/* Median of n values (averaging the middle two); sorts `v`. */
double median(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* ---- names ---------------------------------------------------------- */

const char *basis_name(mutu_basis b)
{
	return b == MUTU_BASIS_POOLED ? "pooled" : "sum_individual";
}

const char *goal_name(mutu_goal g)
{
	return g == MUTU_GOAL_PATIENTS ? "patients" : "net_benefit";
}

const char *status_name(int s)
{
	static const char *const names[] = {"optimal", "no_contract", "no_group", "time_limit",
					    "error"};
	return s >= 0 && s <= 4 ? names[s] : "?";
}

/* ---- child processes -------------------------------------------------- */

/* Runs argv[0] (searched in PATH) with standard input from `in` (NULL:
 * /dev/null) and standard output and error to `out` and `err` (NULL:
 * /dev/null), killed after `timeout_s` seconds (0: none).  Returns 0 with
 * `res` filled, or -1 when fork or wait failed. */
int run_proc(char *const argv[], const char *in, const char *out, const char *err,
	     unsigned timeout_s, proc_result *res)
{
	memset(res, 0, sizeof *res);
	fflush(NULL);
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fi = open(in ? in : "/dev/null", O_RDONLY);
		int fo = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(err ? err : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fi < 0 || fo < 0 || fe < 0 || dup2(fi, 0) < 0 || dup2(fo, 1) < 0 ||
		    dup2(fe, 2) < 0)
			_exit(126);
		if (timeout_s > 0)
			alarm(timeout_s); /* kept across execve: SIGALRM ends the child */
		execvp(argv[0], argv);
		_exit(127);
	}
	int st = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	res->ms = now_ms() - t0;
	res->maxrss_kib = ru.ru_maxrss;
	if (WIFEXITED(st)) {
		res->status = WEXITSTATUS(st);
		res->ok = res->status == 0;
	} else if (WIFSIGNALED(st)) {
		res->status = -WTERMSIG(st);
		res->timed_out = WTERMSIG(st) == SIGALRM;
	}
	return 0;
}

/* Copies `src` into `dst` (size > 0), truncated, without trailing blanks. */
void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size)
		n = size - 1;
	while (n > 0 && (src[n - 1] == ' ' || src[n - 1] == '\t'))
		n--; /* trailing blanks */
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The first line of `cmd`'s output containing `key`, or "" (popen). */
static void first_line_with(const char *cmd, const char *key, char *out, size_t size)
{
	char line[512];
	out[0] = '\0';
	FILE *f = popen(cmd, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		if (out[0] == '\0' && strstr(line, key)) {
			line[strcspn(line, "\r\n")] = '\0';
			copy_str(out, size, line);
		}
	}
	pclose(f);
}

static int in_path(const char *prog)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

/* ---- the machine ------------------------------------------------------ */

void probe_machine(machine *mc)
{
	char line[512];
	struct utsname u;
	memset(mc, 0, sizeof *mc);
	mc->nproc = sysconf(_SC_NPROCESSORS_ONLN);
	snprintf(mc->cpu, sizeof mc->cpu, "unknown");
	FILE *f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof line, f)) {
		char *colon = strchr(line, ':');
		if (!strncmp(line, "model name", 10) && colon) {
			colon++;
			colon += strspn(colon, " \t");
			colon[strcspn(colon, "\r\n")] = '\0';
			snprintf(mc->cpu, sizeof mc->cpu, "%s", colon);
			break;
		}
	}
	if (f)
		fclose(f);
	if (uname(&u) == 0)
		snprintf(mc->kernel, sizeof mc->kernel, "%s %s %s", u.sysname, u.release,
			 u.machine);
	/* HiGHS: inside Debian's python3-scipy (bench/highs.py). */
	ssize_t n = readlink("/proc/self/exe", mc->highs_py, sizeof mc->highs_py - 16);
	if (n > 0) {
		mc->highs_py[n] = '\0';
		char *slash = strrchr(mc->highs_py, '/');
		if (slash)
			strcpy(slash + 1, "highs.py");
	}
	if (n > 0 && access(mc->highs_py, R_OK) == 0)
		first_line_with("/usr/bin/python3 -c 'import scipy, scipy.optimize as o; o.milp; "
				"print(\"HiGHS in SciPy\", scipy.__version__)' 2>/dev/null",
				"HiGHS", mc->highs, sizeof mc->highs);
	mc->have_highs = mc->highs[0] != '\0';
	mc->have_glpsol = in_path("glpsol");
	mc->have_cbc = in_path("cbc");
	if (mc->have_glpsol)
		first_line_with("glpsol --version 2>&1", "GLPK", mc->glpsol, sizeof mc->glpsol);
	if (mc->have_cbc) {
		char v[128];
		first_line_with("cbc -quit 2>&1", "Version", v, sizeof v);
		const char *p = strchr(v, ':');
		strcpy(mc->cbc, "CBC ");
		copy_str(mc->cbc + 4, sizeof mc->cbc - 4, p ? p + 1 + strspn(p + 1, " ") : v);
	}
}

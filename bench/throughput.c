/* bench: the throughput of the CLI (README.md "What it runs", 3).  `mutu
 * generate` writes a population, `mutu batch` solves it with -j 1 and
 * -j 2, each run timed as a whole process (fork, exec, wait4: the wall
 * clock and the child's peak RSS).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/* Lines of `path` (a last line without newline counts), or -1. */
static long count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	long n = 0;
	int ch, last = '\n';
	if (!f)
		return -1;
	while ((ch = getc(f)) != EOF) {
		if (ch == '\n')
			n++;
		last = ch;
	}
	fclose(f);
	return n + (last != '\n');
}

/* The last non-empty line of `path` into `out`, or "" (a message for
 * the table). */
static void last_line(const char *path, char *out, size_t size)
{
	char line[512];
	out[0] = '\0';
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0])
			copy_str(out, size, line);
	}
	if (f)
		fclose(f);
}

void run_throughput(const options *o, const char *dir, throughput *tp)
{
	char pop[1024], errf[1040], nstr[32], sstr[32], jstr[8];
	proc_result pr;
	memset(tp, 0, sizeof *tp);
	if (access(o->mutu, X_OK) != 0) {
		snprintf(tp->skipped, sizeof tp->skipped, "%s: not found (make first)", o->mutu);
		return;
	}
	if (access(o->rules, R_OK) != 0) {
		snprintf(tp->skipped, sizeof tp->skipped, "%s: not readable", o->rules);
		return;
	}
	snprintf(pop, sizeof pop, "%s/population.jsonl", dir);
	snprintf(errf, sizeof errf, "%s/stderr.txt", dir);
	snprintf(nstr, sizeof nstr, "%ld", o->structures);
	snprintf(sstr, sizeof sstr, "%llu", (unsigned long long)(o->seed & 0xffffffffULL));
	char *gen[] = {
	    (char *)o->mutu, "generate", "--structures", nstr, "--seed", sstr, "--out", pop, NULL};
	if (run_proc(gen, NULL, NULL, errf, 0, &pr) != 0 || !pr.ok) {
		char msg[200];
		last_line(errf, msg, sizeof msg);
		snprintf(tp->skipped, sizeof tp->skipped, "mutu generate failed (status %d): %s",
			 pr.status, msg);
		return;
	}
	tp->gen_ms = pr.ms;
	tp->structures = count_lines(pop);
	if (tp->structures <= 0) {
		snprintf(tp->skipped, sizeof tp->skipped, "mutu generate wrote no structure");
		return;
	}
	for (int t = 0; t < 2; t++) {
		tp_run *r = &tp->runs[t];
		double ms[100];
		r->threads = t + 1;
		snprintf(jstr, sizeof jstr, "%d", r->threads);
		/* The summary line once, outside the timed runs. */
		char *loud[] = {
		    (char *)o->mutu, "batch", "--rules", (char *)o->rules, "-j", jstr, pop, NULL};
		char *quiet[] = {(char *)o->mutu, "batch", "--rules", (char *)o->rules, "-j", jstr,
				 "--quiet",       pop,     NULL};
		if (t == 0 && run_proc(loud, NULL, NULL, errf, 0, &pr) == 0)
			last_line(errf, tp->summary, sizeof tp->summary);
		for (int k = 0; k < o->reps; k++) {
			if (run_proc(quiet, NULL, NULL, errf, 0, &pr) != 0)
				pr.status = -1;
			ms[k] = pr.ms;
			if (pr.maxrss_kib > r->maxrss_kib)
				r->maxrss_kib = pr.maxrss_kib;
			if (pr.status != 0)
				r->status = pr.status;
		}
		r->ms = median(ms, (size_t)o->reps);
		r->rate = (double)tp->structures / (r->ms / 1e3);
	}
	tp->done = 1;
}

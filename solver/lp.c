/* The GLPK driver: see lp.h.  All glp_* calls of mutu live here. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glpk.h>

#include "lp.h"

_Thread_local int mutu_lp__fault_injection = LP_FAULT_NONE;

void mutu_lp__init(lp_model *m)
{
	memset(m, 0, sizeof *m);
}

void mutu_lp__free(lp_model *m)
{
	free(m->cols);
	free(m->rows);
	free(m->idx);
	free(m->val);
	memset(m, 0, sizeof *m);
}

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * size);
	if (!q)
		return false;
	*p = q;
	*cap = n;
	return true;
}

long mutu_lp__add_col(lp_model *m, const char *name, lp_kind kind, double lb, double ub, double obj)
{
	if (!grow((void **)&m->cols, &m->capcols, m->ncols + 1, sizeof *m->cols))
		return -1;
	lp_col *c = &m->cols[m->ncols];
	snprintf(c->name, sizeof c->name, "%s", name);
	c->kind = kind;
	c->lb = lb;
	c->ub = ub;
	c->obj = obj;
	return (long)m->ncols++;
}

long mutu_lp__add_row(lp_model *m, const char *name, lp_bound type, double rhs, size_t n,
		      const size_t *idx, const double *val)
{
	if (!grow((void **)&m->rows, &m->caprows, m->nrows + 1, sizeof *m->rows))
		return -1;
	size_t cap_idx = m->capnz;
	if (!grow((void **)&m->idx, &cap_idx, m->nnz + n, sizeof *m->idx) ||
	    !grow((void **)&m->val, &m->capnz, m->nnz + n, sizeof *m->val))
		return -1;
	lp_row *r = &m->rows[m->nrows];
	snprintf(r->name, sizeof r->name, "%s", name);
	r->type = type;
	r->rhs = rhs;
	r->start = m->nnz;
	r->len = n;
	if (n > 0) {
		memcpy(m->idx + m->nnz, idx, n * sizeof *idx);
		memcpy(m->val + m->nnz, val, n * sizeof *val);
	}
	m->nnz += n;
	return (long)m->nrows++;
}

void mutu_lp__clear_obj(lp_model *m)
{
	for (size_t j = 0; j < m->ncols; j++)
		m->cols[j].obj = 0;
}

/* Checks everything GLPK would abort on: index ranges, finite numbers,
 * bounds in order, duplicate indices within a row, sizes fitting an int. */
static bool check_model(const lp_model *m, mutu_error *err)
{
	const char *what = NULL;
	char where[64] = "";
	if (m->ncols == 0 || m->ncols > INT_MAX / 2 || m->nrows > INT_MAX / 2 ||
	    m->nnz > INT_MAX / 2)
		what = "model size out of range";
	for (size_t j = 0; !what && j < m->ncols; j++) {
		const lp_col *c = &m->cols[j];
		if (!isfinite(c->lb) || isnan(c->ub) || c->ub < c->lb || !isfinite(c->obj) ||
		    (c->kind == LP_BINARY && (c->lb < 0 || c->ub > 1)))
			what = "bad column bounds or cost",
			snprintf(where, sizeof where, "%s", c->name);
	}
	for (size_t i = 0; !what && i < m->nrows; i++) {
		const lp_row *r = &m->rows[i];
		if (!isfinite(r->rhs) || r->len > m->ncols)
			what = "bad row bound", snprintf(where, sizeof where, "%s", r->name);
		for (size_t k = 0; !what && k < r->len; k++) {
			size_t j = m->idx[r->start + k];
			if (j >= m->ncols || !isfinite(m->val[r->start + k]))
				what = "bad coefficient",
				snprintf(where, sizeof where, "%s", r->name);
			for (size_t l = 0; !what && l < k; l++)
				if (m->idx[r->start + l] == j)
					what = "duplicate column in row",
					snprintf(where, sizeof where, "%s", r->name);
		}
	}
	if (!what)
		return true;
	snprintf(err->message, sizeof err->message, "internal: invalid model (%s at %s)", what,
		 where);
	return false;
}

/* Column and row names longer than GLPK's 255 limit or with spaces are
 * rejected by glp_set_*_name; ours are built short and without spaces. */
static glp_prob *build(const lp_model *m, int *ind, double *val)
{
	glp_prob *P = glp_create_prob();
	glp_set_obj_dir(P, m->maximize ? GLP_MAX : GLP_MIN);
	glp_add_cols(P, (int)m->ncols);
	for (size_t j = 0; j < m->ncols; j++) {
		const lp_col *c = &m->cols[j];
		int jj = (int)j + 1;
		glp_set_col_name(P, jj, c->name);
		glp_set_col_kind(P, jj,
				 c->kind == LP_BINARY    ? GLP_BV
				 : c->kind == LP_INTEGER ? GLP_IV
							 : GLP_CV);
		if (c->kind != LP_BINARY) {
			if (isinf(c->ub))
				glp_set_col_bnds(P, jj, GLP_LO, c->lb, 0.0);
			else if (c->ub == c->lb)
				glp_set_col_bnds(P, jj, GLP_FX, c->lb, c->ub);
			else
				glp_set_col_bnds(P, jj, GLP_DB, c->lb, c->ub);
		} else if (c->ub == c->lb) {
			glp_set_col_bnds(P, jj, GLP_FX, c->lb, c->ub);
		}
		glp_set_obj_coef(P, jj, c->obj);
	}
	if (m->nrows)
		glp_add_rows(P, (int)m->nrows);
	for (size_t i = 0; i < m->nrows; i++) {
		const lp_row *r = &m->rows[i];
		int ii = (int)i + 1;
		glp_set_row_name(P, ii, r->name);
		int type = r->type == LP_LOWER ? GLP_LO : r->type == LP_UPPER ? GLP_UP : GLP_FX;
		glp_set_row_bnds(P, ii, type, r->rhs, r->rhs);
		for (size_t k = 0; k < r->len; k++) {
			ind[k + 1] = (int)m->idx[r->start + k] + 1;
			val[k + 1] = m->val[r->start + k];
		}
		glp_set_mat_row(P, ii, (int)r->len, ind, val);
	}
	return P;
}

/* Binary columns from which the MIP solver generates cuts. */
#define CUTS_FROM_BINARIES 200

typedef struct hook_ctx {
	jmp_buf jump;
} hook_ctx;

/* GLPK prints its fatal-error messages even with terminal output off; a
 * batch writes its results on standard output, so every message GLPK
 * would print is swallowed here. */
static int swallow_output(void *info, const char *s)
{
	(void)info;
	(void)s;
	return 1;
}

static void on_glpk_error(void *info)
{
	hook_ctx *h = info;
	longjmp(h->jump, 1);
}

typedef struct cb_ctx {
	int nodes;
	double *start; /* 1-based, offered once as the first incumbent; NULL when none */
	bool offered;
} cb_ctx;

static void on_tree(glp_tree *tree, void *info)
{
	cb_ctx *cb = info;
	int a, n, t;
	glp_ios_tree_size(tree, &a, &n, &t);
	if (t > cb->nodes)
		cb->nodes = t;
	if (cb->start && !cb->offered && glp_ios_reason(tree) == GLP_IHEUR) {
		cb->offered = true;
		glp_ios_heur_sol(tree, cb->start); /* GLPK checks it; a refusal is fine */
	}
}

/* Runs the simplex on `P` and sets res->status (with the objective and
 * the column values when optimal).  Returns MUTU_ESOLVER with `err`
 * filled when the simplex fails. */
static int simplex(glp_prob *P, bool presolve, int time_limit_ms, const lp_model *m, lp_result *res,
		   mutu_error *err)
{
	glp_smcp sp;
	glp_init_smcp(&sp);
	sp.msg_lev = GLP_MSG_OFF;
	sp.presolve = presolve ? GLP_ON : GLP_OFF;
	if (time_limit_ms > 0)
		sp.tm_lim = time_limit_ms;
	int rc = glp_simplex(P, &sp);
	int st = glp_get_status(P);
	if (rc == GLP_ENOPFS || (rc == 0 && (st == GLP_NOFEAS || st == GLP_INFEAS))) {
		res->status = LP_INFEASIBLE;
	} else if (rc == 0 && st == GLP_OPT) {
		res->status = LP_OPTIMAL;
		res->obj = glp_get_obj_val(P);
		for (size_t j = 0; j < m->ncols; j++)
			res->x[j] = glp_get_col_prim(P, (int)j + 1);
	} else if (rc == GLP_ETMLIM) {
		res->status = LP_NO_SOLUTION;
	} else {
		snprintf(err->message, sizeof err->message,
			 "glpk: simplex failed (code %d, status %d)", rc, st);
		return MUTU_ESOLVER;
	}
	return MUTU_OK;
}

/* One attempt: with or without the MIP presolver.  Returns 0, 1 when GLPK
 * failed inside (hook), or a MUTU_* error. */
static int attempt(const lp_model *m, bool presolve, bool careful, int time_limit_ms,
		   lp_result *res, int *ind, double *val, mutu_error *err)
{
	/* volatile: read after longjmp */
	glp_prob *volatile P = NULL;
	hook_ctx h;
	cb_ctx cb = {0, NULL, false};
	/* The start works on the original columns: the presolver renumbers. */
	if (m->start && !presolve) {
		cb.start = malloc((m->ncols + 1) * sizeof *cb.start);
		if (!cb.start)
			return MUTU_ENOMEM;
		cb.start[0] = 0;
		memcpy(cb.start + 1, m->start, m->ncols * sizeof *cb.start);
	}
	glp_term_out(GLP_OFF);
	glp_term_hook(swallow_output, NULL);
	glp_error_hook(on_glpk_error, &h);
	if (setjmp(h.jump)) {
		/* GLPK's state is unusable after a fatal error: drop it all. */
		glp_error_hook(NULL, NULL);
		glp_free_env();
		free(cb.start);
		return 1;
	}
	P = build(m, ind, val);
	if (mutu_lp__fault_injection == LP_FAULT_ALWAYS ||
	    (mutu_lp__fault_injection == LP_FAULT_PRESOLVE && presolve))
		glp_set_col_bnds(P, (int)m->ncols + 1, GLP_LO, 0.0, 0.0); /* GLPK: fatal */
	if (careful) {
		/* A cold restart with other settings: scaled, from an advanced
		 * basis, the dual simplex, no cuts. */
		glp_scale_prob(P, GLP_SF_AUTO);
		glp_adv_basis(P, 0);
	}
	glp_iocp parm;
	glp_init_iocp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = presolve ? GLP_ON : GLP_OFF;
	parm.cb_func = on_tree;
	parm.cb_info = &cb;
	if (time_limit_ms > 0)
		parm.tm_lim = time_limit_ms;
	int rc = 0;
	bool free_integers = false;
	size_t nbin = 0;
	for (size_t j = 0; j < m->ncols; j++)
		if (m->cols[j].kind != LP_CONTINUOUS) {
			nbin++;
			free_integers |= m->cols[j].lb != m->cols[j].ub;
		}
	if (!free_integers) {
		/* Every integer column fixed: a plain LP, for the simplex alone. */
		if (simplex(P, presolve, time_limit_ms, m, res, err) != MUTU_OK)
			goto fail;
		goto done;
	}
	/* Cuts pay off only on larger models (measured in bench/). */
	if (nbin >= CUTS_FROM_BINARIES)
		parm.gmi_cuts = parm.mir_cuts = parm.cov_cuts = parm.clq_cuts = GLP_ON;
	if (careful)
		parm.gmi_cuts = parm.mir_cuts = parm.cov_cuts = parm.clq_cuts = GLP_OFF;
	if (!presolve) {
		/* Without the presolver, branch-and-cut needs the LP optimum. */
		if (simplex(P, false, time_limit_ms, m, res, err) != MUTU_OK)
			goto fail;
		if (res->status != LP_OPTIMAL)
			goto done;
	}
	/* Fault injection: a basis factorisation failure on the first try. */
	rc =
	    mutu_lp__fault_injection == LP_FAULT_EFAIL && !careful && presolve == (m->start == NULL)
		? GLP_EFAIL
		: glp_intopt(P, &parm);
	int st = glp_mip_status(P);
	if (rc == GLP_ENOPFS || (rc == 0 && st == GLP_NOFEAS)) {
		res->status = LP_INFEASIBLE;
	} else if ((rc == 0 || rc == GLP_ETMLIM) && (st == GLP_OPT || st == GLP_FEAS)) {
		res->status = rc == 0 && st == GLP_OPT ? LP_OPTIMAL : LP_FEASIBLE;
		res->obj = glp_mip_obj_val(P);
		for (size_t j = 0; j < m->ncols; j++)
			res->x[j] = glp_mip_col_val(P, (int)j + 1);
	} else if (rc == GLP_ETMLIM) {
		res->status = LP_NO_SOLUTION;
	} else {
		snprintf(err->message, sizeof err->message,
			 "glpk: branch-and-cut failed (code %d, status %d)", rc, st);
		goto fail;
	}
done:
	res->nodes = cb.nodes;
	glp_delete_prob(P);
	glp_error_hook(NULL, NULL);
	free(cb.start);
	return MUTU_OK;
fail:
	glp_delete_prob(P);
	glp_error_hook(NULL, NULL);
	free(cb.start);
	return MUTU_ESOLVER;
}

int mutu_lp__solve(const lp_model *m, int time_limit_ms, lp_result *res, mutu_error *err)
{
	res->x = NULL;
	res->status = LP_NO_SOLUTION;
	res->obj = 0;
	res->nodes = 0;
	if (!check_model(m, err))
		return MUTU_ESOLVER;
	size_t maxlen = 1;
	for (size_t i = 0; i < m->nrows; i++)
		if (m->rows[i].len + 1 > maxlen)
			maxlen = m->rows[i].len + 1;
	int *ind = malloc(maxlen * sizeof *ind);
	double *val = malloc(maxlen * sizeof *val);
	res->x = calloc(m->ncols, sizeof *res->x);
	if (!ind || !val || !res->x) {
		free(ind);
		free(val);
		free(res->x);
		res->x = NULL;
		return MUTU_ENOMEM;
	}
	/* The presolver first (or, with a start, the simplex and that start). */
	bool presolve = m->start == NULL;
	int rc = attempt(m, presolve, false, time_limit_ms, res, ind, val, err);
	/* A failure GLPK reports (a basis factorisation failure, GLP_EFAIL,
	 * say) or one inside it: once the other way, then a cold restart with
	 * other settings and no presolver; the answer is still GLPK's proof. */
	if (rc == 1 || rc == MUTU_ESOLVER)
		rc = attempt(m, !presolve, false, time_limit_ms, res, ind, val, err);
	if (rc == 1 || rc == MUTU_ESOLVER)
		rc = attempt(m, false, true, time_limit_ms, res, ind, val, err);
	if (rc == 1) {
		snprintf(err->message, sizeof err->message,
			 "glpk: internal error, with and without presolve");
		rc = MUTU_ESOLVER;
	}
	free(ind);
	free(val);
	return rc;
}

int mutu_lp__session_open(lp_session *s, const lp_model *m, mutu_error *err)
{
	memset(s, 0, sizeof *s);
	if (!check_model(m, err))
		return MUTU_ESOLVER;
	s->ind = malloc((m->ncols + 1) * sizeof *s->ind);
	s->val = malloc((m->ncols + 1) * sizeof *s->val);
	if (!s->ind || !s->val) {
		mutu_lp__session_close(s);
		return MUTU_ENOMEM;
	}
	hook_ctx h;
	glp_prob *volatile P = NULL;
	glp_term_out(GLP_OFF);
	glp_term_hook(swallow_output, NULL);
	glp_error_hook(on_glpk_error, &h);
	if (setjmp(h.jump)) {
		glp_error_hook(NULL, NULL);
		glp_free_env();
		return MUTU_OK; /* no prob: lp_session_solve falls back */
	}
	P = build(m, s->ind, s->val);
	if (mutu_lp__fault_injection == LP_FAULT_ALWAYS)
		glp_set_col_bnds(P, (int)m->ncols + 1, GLP_LO, 0.0, 0.0); /* GLPK: fatal */
	glp_error_hook(NULL, NULL);
	s->prob = P;
	return MUTU_OK;
}

int mutu_lp__session_solve(lp_session *s, const lp_model *m, lp_result *res, mutu_error *err)
{
	if (!s->prob || !check_model(m, err))
		return mutu_lp__solve(m, 0, res, err);
	res->x = calloc(m->ncols + 1, sizeof *res->x);
	res->status = LP_NO_SOLUTION;
	res->obj = 0;
	res->nodes = 0;
	if (!res->x)
		return MUTU_ENOMEM;
	hook_ctx h;
	glp_prob *P = s->prob;
	glp_error_hook(on_glpk_error, &h);
	if (setjmp(h.jump)) {
		glp_error_hook(NULL, NULL);
		glp_free_env();
		s->prob = NULL;
		free(res->x);
		return mutu_lp__solve(m, 0, res, err);
	}
	glp_set_obj_dir(P, m->maximize ? GLP_MAX : GLP_MIN);
	for (size_t j = 0; j < m->ncols; j++) {
		const lp_col *c = &m->cols[j];
		int jj = (int)j + 1;
		if (isinf(c->ub))
			glp_set_col_bnds(P, jj, GLP_LO, c->lb, 0.0);
		else if (c->ub == c->lb)
			glp_set_col_bnds(P, jj, GLP_FX, c->lb, c->ub);
		else
			glp_set_col_bnds(P, jj, GLP_DB, c->lb, c->ub);
		glp_set_obj_coef(P, jj, c->obj);
	}
	/* Warm start: no presolver, so the previous basis is used. */
	bool done = simplex(P, false, 0, m, res, err) == MUTU_OK &&
		    (res->status == LP_OPTIMAL || res->status == LP_INFEASIBLE);
	if (!done)
		glp_std_basis(P); /* a bad basis, say: start afresh next time */
	glp_error_hook(NULL, NULL);
	if (done)
		return MUTU_OK;
	free(res->x);
	return mutu_lp__solve(m, 0, res, err);
}

void mutu_lp__session_close(lp_session *s)
{
	if (s->prob)
		glp_delete_prob(s->prob);
	free(s->ind);
	free(s->val);
	memset(s, 0, sizeof *s);
}

/* Copies `from` to `to`, then each line of `comment` as a comment of the
 * format (LP: "\\ ", MPS: "* "): after the model, so that its first lines
 * stay GLPK's (readers look there for the objective sense). */
static bool copy_with_comment(FILE *from, FILE *to, const char *comment, bool lp)
{
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, from)) > 0)
		if (fwrite(buf, 1, n, to) != n)
			return false;
	for (const char *s = comment; s && *s;) {
		n = strcspn(s, "\n");
		fprintf(to, "%s %.*s\n", lp ? "\\" : "*", (int)n, s);
		s += n + (s[n] == '\n');
	}
	return !ferror(from) && !ferror(to);
}

int mutu_lp__write(const lp_model *m, bool lp, const char *comment, FILE *to, const char *name,
		   mutu_error *err)
{
	if (!check_model(m, err))
		return MUTU_ESOLVER;
	size_t maxlen = m->ncols + 1;
	int *ind = malloc(maxlen * sizeof *ind);
	double *val = malloc(maxlen * sizeof *val);
	if (!ind || !val) {
		free(ind);
		free(val);
		return MUTU_ENOMEM;
	}
	/* GLPK writes to a file name only: a temporary file, then that file
	 * and the comment to `to`. */
	const char *dir = getenv("TMPDIR");
	char tmp[1024];
	snprintf(tmp, sizeof tmp, "%s/mutu-model-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err->message, sizeof err->message, "cannot create a temporary file: %s",
			 strerror(errno));
		free(ind);
		free(val);
		return MUTU_EIO;
	}
	close(fd);
	hook_ctx h;
	glp_prob *volatile P = NULL;
	int rc = MUTU_OK;
	glp_term_out(GLP_OFF);
	glp_term_hook(swallow_output, NULL);
	glp_error_hook(on_glpk_error, &h);
	if (setjmp(h.jump)) {
		glp_error_hook(NULL, NULL);
		glp_free_env();
		free(ind);
		free(val);
		remove(tmp);
		snprintf(err->message, sizeof err->message,
			 "glpk: internal error writing the model");
		return MUTU_ESOLVER;
	}
	P = build(m, ind, val);
	glp_set_prob_name(P, "mutu");
	glp_set_obj_name(P, "goal");
	int wr = lp ? glp_write_lp(P, NULL, tmp) : glp_write_mps(P, GLP_MPS_FILE, NULL, tmp);
	glp_delete_prob(P);
	glp_error_hook(NULL, NULL);
	free(ind);
	free(val);
	FILE *from = wr == 0 ? fopen(tmp, "rb") : NULL;
	bool ok = from && copy_with_comment(from, to, comment, lp) && fflush(to) == 0;
	if (from)
		fclose(from);
	remove(tmp);
	if (!ok) {
		snprintf(err->message, sizeof err->message, "cannot write%s%s: %s", name ? " " : "",
			 name ? name : "", strerror(errno ? errno : EIO));
		rc = MUTU_EIO;
	}
	return rc;
}

void mutu_lp__thread_done(void)
{
	glp_free_env();
}

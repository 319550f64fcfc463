/* Cabinets from a spreadsheet: CSV in and out.  The form users read is
 * scenarios/cabinets/CSV.md; in short:
 *
 * - One row per doctor.  The structure fields `cabinet` (its id), `name`,
 *   `zone`, `contract_start` repeat on every row; consecutive rows with
 *   the same `cabinet` form one cabinet, so a file may hold several.  On
 *   the later rows of a cabinet an empty `name`, `zone` or
 *   `contract_start` means "as on the first row"; a value must agree
 *   with it.  `cabinet` itself is needed on every row (a sorted
 *   spreadsheet must not move a row into the cabinet above).
 * - The header row names the columns with the JSON field names (formats.md
 *   "Cabinet"), in any order, ASCII case ignored.  `cabinet`, `zone`,
 *   `contract_start`, `id`, `specialty`, `sector` are required columns;
 *   the others may be absent.  An empty cell is an absent value; a row
 *   whose cells are all empty is skipped.
 * - The separator is ';' when the header holds one, else ','.  With ';'
 *   (a French export) a number may use a decimal comma or dot and a date
 *   may be DD/MM/YYYY; with ',' only the dot and ISO dates are read (a
 *   comma there is a field break, or a thousands separator when quoted).
 *   Digit groups may be separated by spaces (also U+00A0, U+202F).
 * - Only the metric that counts for the specialty (the rules' `metric`)
 *   is required; the other one, absent, is 0.
 * - Held contracts in one cell: KIND:OPTION:START[:END], several joined by
 *   '|'; OPTION is empty for a forfait without option.
 * - UTF-8, with or without a byte order mark; any line ending.
 *
 * libcsv splits the fields.  It is fed one physical line at a time, so
 * that each cell knows the line it starts on; the rows are then read as
 * the JSON loader (cabinet.c) reads its objects, with its ranges and
 * messages after the column name.  Errors carry the path "LINE:COLUMN"
 * (COLUMN is the field number), which mutu_error_format prints as
 * "file:LINE:COLUMN: message".  Numbers are read and written in the C
 * locale, whatever the caller's, so that a French LC_NUMERIC changes
 * nothing.
 */
#include <csv.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonx.h"
#include "strbuf.h"
#include "mutu/cabinet_csv.h"

/* The JSON loader's names, in the same order (bit i is value i). */
static const char *const sector_names[] = {"1", "2-optam", "2", NULL};
static const char *const zone_names[] = {"standard", "zip", NULL};
static const char *const kind_names[] = {"assistant", "forfait", NULL};

enum column {
	COL_CABINET,
	COL_NAME,
	COL_ZONE,
	COL_CONTRACT_START,
	COL_ID,
	COL_SPECIALTY,
	COL_SECTOR,
	COL_PMT,
	COL_FA,
	COL_AGE,
	COL_NEW_INSTALLED,
	COL_VOLUNTEER,
	COL_DECLARED_ON,
	COL_HEADROOM,
	COL_GAIN_PER_ETP,
	COL_MAX_NEW_PATIENTS,
	COL_CONTRACTS,
	NCOLUMNS
};

/* Also the writer's column order. */
static const char *const column_names[NCOLUMNS + 1] = {
    "cabinet",     "name",      "zone",          "contract_start",
    "id",          "specialty", "sector",        "pmt",
    "fa",          "age",       "new_installed", "volunteer",
    "declared_on", "headroom",  "gain_per_etp",  "max_new_patients",
    "contracts",   NULL};

static const bool column_required[NCOLUMNS] = {
    [COL_CABINET] = true, [COL_ZONE] = true,      [COL_CONTRACT_START] = true,
    [COL_ID] = true,      [COL_SPECIALTY] = true, [COL_SECTOR] = true,
};

/* ---- numbers in the C locale ------------------------------------------ */

/* Switches the calling thread to C numbers (other categories kept);
 * returns the locale to restore, or 0 when out of memory. */
static locale_t c_numbers_begin(locale_t *num)
{
	locale_t base = duplocale(uselocale((locale_t)0));
	*num = base ? newlocale(LC_NUMERIC_MASK, "C", base) : (locale_t)0;
	if (!*num) {
		if (base)
			freelocale(base);
		return (locale_t)0;
	}
	return uselocale(*num);
}

static void c_numbers_end(locale_t old, locale_t num)
{
	uselocale(old);
	freelocale(num);
}

/* ---- splitting the text into rows (libcsv) ----------------------------- */

typedef struct cell {
	const char *s; /* NUL-terminated, in the row's buffer; NULL when empty */
	size_t off, len;
	unsigned long line; /* where the cell starts */
} cell;

/* One row at a time: its buffers are reused from row to row, so that a
 * batch file of 100 000 cabinets is never held as cells. */
typedef struct row {
	cell *cells;
	size_t n, cap;
	char *buf; /* the cells' bytes, each followed by a NUL */
	size_t used, room;
	unsigned long line; /* where the row starts */
} row;

typedef struct splitter {
	row cur;
	unsigned long line;       /* the physical line being fed */
	unsigned long field_line; /* where the field being read started */
	bool between_rows;
	bool oom;
	bool stop; /* set by the row hook: ignore the rest */
	void (*row_done)(void *arg, const row *r);
	void *arg;
} splitter;

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap * 2 : 8;
	while (n < need)
		n *= 2;
	void *q = realloc(p, n * size);
	if (q)
		*cap = n;
	return q;
}

/* libcsv: end of a field.  The next field starts on the line of this
 * field's end (after a separator), or on the next row's first line. */
static void on_field(void *data, size_t len, void *arg)
{
	splitter *sp = arg;
	if (sp->oom || sp->stop)
		return;
	row *r = &sp->cur;
	cell *cells = grow(r->cells, &r->cap, r->n + 1, sizeof *cells);
	if (cells)
		r->cells = cells;
	char *buf = cells ? grow(r->buf, &r->room, r->used + len + 1, 1) : NULL;
	if (!buf) {
		sp->oom = true;
		return;
	}
	r->buf = buf;
	cell *c = &cells[r->n++];
	c->off = r->used;
	c->len = data ? len : 0;
	c->line = sp->field_line;
	if (c->len)
		memcpy(buf + r->used, data, len);
	buf[r->used + c->len] = '\0';
	r->used += c->len + 1;
	sp->field_line = sp->line;
}

/* libcsv: end of a row, handed to the hook with its cells in place. */
static void on_row(int term, void *arg)
{
	(void)term;
	splitter *sp = arg;
	sp->between_rows = true;
	row *r = &sp->cur;
	if (!sp->oom && !sp->stop) {
		for (size_t i = 0; i < r->n; i++)
			r->cells[i].s = r->cells[i].len ? r->buf + r->cells[i].off : NULL;
		sp->row_done(sp->arg, r);
	}
	r->n = 0;
	r->used = 0;
}

/* Whether a line holds anything libcsv makes a field of (it skips lines
 * of blanks between rows). */
static bool has_content(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return true;
	return false;
}

typedef struct ctx {
	const char *file;
	mutu_errors *errs;
	const mutu_rules *rules;
	char sep;
	bool failed;
	bool oom;
} ctx;

static void at(ctx *c, unsigned long line, size_t col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Records an error at LINE:COLUMN. */
static void at(ctx *c, unsigned long line, size_t col, const char *fmt, ...)
{
	char pos[48], msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(pos, sizeof pos, "%lu:%zu", line, col);
	mutu_errors_add(c->errs, c->file, pos, "%s", msg);
	c->failed = true;
}

static void out_of_memory(ctx *c)
{
	if (!c->oom)
		mutu_errors_add(c->errs, c->file, NULL, "out of memory");
	c->oom = c->failed = true;
}

/* Splits `text` into rows handed to `sp->row_done` as they end; a line
 * ends at LF, CRLF or a lone CR.  Fails (with the error recorded) on
 * bad quoting or when out of memory. */
static int split(ctx *c, splitter *sp, const char *text, size_t len)
{
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL | CSV_APPEND_NULL)) {
		out_of_memory(c);
		return MUTU_ENOMEM;
	}
	csv_set_delim(&p, (unsigned char)c->sep);
	sp->line = 1;
	sp->between_rows = true;
	int rc = MUTU_OK;
	for (size_t pos = 0; pos < len && rc == MUTU_OK && !sp->stop; sp->line++) {
		size_t end = pos;
		while (end < len && text[end] != '\n' && text[end] != '\r')
			end++;
		if (end < len)
			end += text[end] == '\r' && end + 1 < len && text[end + 1] == '\n' ? 2 : 1;
		if (sp->between_rows && has_content(text + pos, end - pos)) {
			sp->between_rows = false;
			sp->cur.line = sp->field_line = sp->line;
		}
		size_t done = csv_parse(&p, text + pos, end - pos, on_field, on_row, sp);
		if (sp->oom || csv_error(&p) == CSV_ENOMEM || csv_error(&p) == CSV_ETOOBIG) {
			out_of_memory(c);
			rc = MUTU_ENOMEM;
		} else if (done < end - pos) {
			at(c, sp->line, sp->cur.n + 1,
			   "bad quoting: a cell holding a quote must be quoted, its quotes doubled "
			   "(\"\")");
			rc = MUTU_EINPUT;
		}
		pos = end;
	}
	if (rc == MUTU_OK && !sp->stop && csv_fini(&p, on_field, on_row, sp) != 0) {
		at(c, sp->field_line, sp->cur.n + 1,
		   "a quoted cell is never closed (a quote is missing)");
		rc = MUTU_EINPUT;
	}
	if (rc == MUTU_OK && sp->oom) {
		out_of_memory(c);
		rc = MUTU_ENOMEM;
	}
	csv_free(&p);
	free(sp->cur.cells);
	free(sp->cur.buf);
	memset(&sp->cur, 0, sizeof sp->cur);
	return rc;
}

/* Strict UTF-8 (no overlong forms, surrogates or NUL). */
static bool valid_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char b = s[i];
		size_t k;
		unsigned long cp;
		if (b == 0)
			return false;
		if (b < 0x80) {
			i++;
			continue;
		}
		if (b >= 0xC2 && b <= 0xDF) {
			k = 1;
			cp = b & 0x1Fu;
		} else if (b >= 0xE0 && b <= 0xEF) {
			k = 2;
			cp = b & 0x0Fu;
		} else if (b >= 0xF0 && b <= 0xF4) {
			k = 3;
			cp = b & 0x07u;
		} else {
			return false;
		}
		if (i + k >= n)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + j] & 0x3Fu);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += k + 1;
	}
	return true;
}

/* ---- the header ---------------------------------------------------------- */

typedef struct layout {
	long at[NCOLUMNS]; /* field index of each column, -1 when absent */
	size_t nfields;
	bool *unnamed; /* fields whose header cell is empty */
	unsigned long line;
} layout;

static void list_names(char *buf, size_t size, const char *const *names)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; names[i] && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s\"%s\"", i ? ", " : "", names[i]);
}

/* Reads the header into `lay`; every unknown, duplicate or missing
 * column is an error. */
static void read_header(ctx *c, const row *h, layout *lay)
{
	lay->nfields = h->n;
	lay->line = h->line;
	for (size_t k = 0; k < NCOLUMNS; k++)
		lay->at[k] = -1;
	lay->unnamed = calloc(h->n + 1, sizeof *lay->unnamed);
	if (!lay->unnamed) {
		out_of_memory(c);
		return;
	}
	for (size_t i = 0; i < h->n; i++) {
		const cell *cl = &h->cells[i];
		if (!cl->s) {
			lay->unnamed[i] = true;
			continue;
		}
		if (!valid_utf8((const unsigned char *)cl->s, cl->len)) {
			at(c, cl->line, i + 1,
			   "not valid UTF-8 (export the sheet as \"CSV UTF-8\")");
			continue;
		}
		size_t k = 0;
		while (k < NCOLUMNS && strcasecmp(cl->s, column_names[k]) != 0)
			k++;
		if (k == NCOLUMNS) {
			char lower[64];
			size_t j = 0;
			for (; cl->s[j] && j + 1 < sizeof lower; j++)
				lower[j] = (char)(cl->s[j] >= 'A' && cl->s[j] <= 'Z' ? cl->s[j] + 32
										     : cl->s[j]);
			lower[j] = '\0';
			const char *near = mutu_jx__nearest(lower, column_names);
			if (near) {
				at(c, cl->line, i + 1,
				   "unknown column \"%s\"; did you mean \"%s\"?", cl->s, near);
			} else {
				char names[320];
				list_names(names, sizeof names, column_names);
				at(c, cl->line, i + 1, "unknown column \"%s\" (expected one of %s)",
				   cl->s, names);
			}
		} else if (lay->at[k] >= 0) {
			at(c, cl->line, i + 1, "duplicate column \"%s\" (also column %ld)",
			   column_names[k], lay->at[k] + 1);
		} else {
			lay->at[k] = (long)i;
		}
	}
	for (size_t k = 0; k < NCOLUMNS; k++)
		if (column_required[k] && lay->at[k] < 0)
			at(c, h->line, h->n + 1, "missing column \"%s\"", column_names[k]);
}

/* ---- reading the cells of one row -------------------------------------- */

typedef struct rowctx {
	ctx *c;
	const layout *lay;
	const row *r;
} rowctx;

static const char *value(const rowctx *rc, enum column k)
{
	long i = rc->lay->at[k];
	return i >= 0 ? rc->r->cells[i].s : NULL;
}

static void cell_error(const rowctx *rc, enum column k, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Records an error at the cell of column `k` (one past the last column
 * when the column is absent), prefixed by the column's name. */
static void cell_error(const rowctx *rc, enum column k, const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	long i = rc->lay->at[k];
	unsigned long line = i >= 0 ? rc->r->cells[i].line : rc->r->line;
	size_t col = i >= 0 ? (size_t)i + 1 : rc->lay->nfields + 1;
	at(rc->c, line, col, "%s: %s", column_names[k], msg);
}

/* "missing": the column absent from the header, or its cell empty. */
static void missing(const rowctx *rc, enum column k, const char *why)
{
	if (rc->lay->at[k] < 0)
		cell_error(rc, k, "missing column%s", why);
	else
		cell_error(rc, k, "missing required value%s", why);
}

static bool get_string(const rowctx *rc, enum column k, bool required, const char **out)
{
	const char *s = value(rc, k);
	if (!s) {
		if (required)
			missing(rc, k, "");
		return !required;
	}
	*out = s;
	return true;
}

static bool enum_index(const rowctx *rc, enum column k, const char *prefix, const char *s,
		       const char *const *names, int *out)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0) {
			*out = i;
			return true;
		}
	const char *near = mutu_jx__nearest(s, names);
	if (near) {
		cell_error(rc, k, "%sunknown value \"%s\"; did you mean \"%s\"?", prefix, s, near);
	} else {
		char list[256];
		list_names(list, sizeof list, names);
		cell_error(rc, k, "%smust be one of %s, got \"%s\"", prefix, list, s);
	}
	return false;
}

static bool get_enum(const rowctx *rc, enum column k, bool required, const char *const *names,
		     int *out)
{
	const char *s = NULL;
	if (!get_string(rc, k, required, &s))
		return false;
	return !s || enum_index(rc, k, "", s, names, out);
}

/* Group separators a spreadsheet may write between digits: space,
 * U+00A0, U+202F; their width in bytes, or 0. */
static size_t group_width(const char *p)
{
	if (p[0] == ' ')
		return 1;
	if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
		return 2;
	if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
	    (unsigned char)p[2] == 0xAF)
		return 3;
	return 0;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

typedef enum number_form { NUMBER_OK, NUMBER_BAD, NUMBER_COMMA } number_form;

/* Reads a decimal number: [sign] digits (in groups of three after a
 * group separator) [mark digits] [e [sign] digits], the mark being '.'
 * or, when the separator is ';', ','.  NUMBER_COMMA: a comma in a
 * comma-separated file. */
static number_form parse_number(const ctx *c, const char *s, double *out)
{
	if (c->sep == ',' && strchr(s, ','))
		return NUMBER_COMMA;
	char buf[80];
	size_t n = 0, digits = 0, group = 0;
	bool grouped = false;
	const char *p = s;
	if (*p == '-' || *p == '+')
		buf[n++] = *p++;
	for (;;) {
		if (n + 24 >= sizeof buf)
			return NUMBER_BAD;
		if (is_digit(*p)) {
			buf[n++] = *p++;
			digits++;
			group++;
			continue;
		}
		size_t w = group_width(p);
		if (w && digits && is_digit(p[w]) && (grouped ? group == 3 : group <= 3)) {
			grouped = true;
			group = 0;
			p += w;
			continue;
		}
		break;
	}
	if (!digits || (grouped && group != 3))
		return NUMBER_BAD;
	if (*p == '.' || *p == ',') {
		buf[n++] = '.';
		p++;
		if (!is_digit(*p))
			return NUMBER_BAD;
		while (is_digit(*p) && n + 8 < sizeof buf)
			buf[n++] = *p++;
	}
	if (*p == 'e' || *p == 'E') {
		buf[n++] = *p++;
		if (*p == '-' || *p == '+')
			buf[n++] = *p++;
		if (!is_digit(*p))
			return NUMBER_BAD;
		while (is_digit(*p) && n + 1 < sizeof buf)
			buf[n++] = *p++;
	}
	if (*p)
		return NUMBER_BAD;
	buf[n] = '\0';
	*out = strtod(buf, NULL);
	return NUMBER_OK;
}

static const char comma_note[] =
    " (a comma is read as a decimal mark only in a file separated by \";\")";

static bool get_number(const rowctx *rc, enum column k, double min, double max, double *out)
{
	const char *s = value(rc, k);
	if (!s)
		return true;
	double v = 0;
	number_form f = parse_number(rc->c, s, &v);
	if (f != NUMBER_OK) {
		cell_error(rc, k, "must be a number, got \"%s\"%s", s,
			   f == NUMBER_COMMA ? comma_note : "");
		return false;
	}
	if (!isfinite(v)) {
		cell_error(rc, k, "must be a finite number");
		return false;
	}
	if (v < min || v > max) {
		cell_error(rc, k, "must be between %.15g and %.15g, got %.15g", min, max, v);
		return false;
	}
	*out = v;
	return true;
}

static bool get_integer(const rowctx *rc, enum column k, bool required, const char *why, long min,
			long max, long *out)
{
	const char *s = value(rc, k);
	if (!s) {
		if (required)
			missing(rc, k, why);
		return !required;
	}
	const char *what = min == 0 ? "a non-negative integer" : "an integer";
	double v = 0;
	number_form f = parse_number(rc->c, s, &v);
	if (f != NUMBER_OK) {
		cell_error(rc, k, "must be %s, got \"%s\"%s", what, s,
			   f == NUMBER_COMMA ? comma_note : "");
		return false;
	}
	if (!isfinite(v)) {
		cell_error(rc, k, "must be a finite number");
		return false;
	}
	if (v != floor(v) || (min == 0 && v < 0)) {
		cell_error(rc, k, "must be %s, got %.15g", what, v);
		return false;
	}
	if (v < (double)min || v > (double)max) {
		cell_error(rc, k, "must be an integer between %ld and %ld, got %.15g", min, max, v);
		return false;
	}
	*out = (long)v;
	return true;
}

static bool get_bool(const rowctx *rc, enum column k, bool *out)
{
	static const char *const yes[] = {"true", "oui", "vrai", "1", NULL};
	static const char *const no[] = {"false", "non", "faux", "0", NULL};
	const char *s = value(rc, k);
	if (!s)
		return true;
	for (size_t i = 0; yes[i]; i++)
		if (strcasecmp(s, yes[i]) == 0 || strcasecmp(s, no[i]) == 0) {
			*out = strcasecmp(s, yes[i]) == 0;
			return true;
		}
	cell_error(rc, k, "must be true or false (also oui/non, vrai/faux, 1/0), got \"%s\"", s);
	return false;
}

/* ISO dates; DD/MM/YYYY too in a ';' file, as French sheets show them. */
static bool parse_date(const ctx *c, const char *s, mutu_date *out)
{
	if (mutu_date_parse(s, out))
		return true;
	if (c->sep != ';')
		return false;
	int part[3] = {0, 0, 0};
	size_t width[3] = {0, 0, 0};
	const char *p = s;
	for (int i = 0; i < 3; i++) {
		while (is_digit(*p) && width[i] < 4) {
			part[i] = part[i] * 10 + (*p++ - '0');
			width[i]++;
		}
		if (i < 2 && *p++ != '/')
			return false;
	}
	if (*p || width[0] < 1 || width[0] > 2 || width[1] < 1 || width[1] > 2 || width[2] != 4)
		return false;
	char iso[16];
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", part[2], part[1], part[0]);
	return mutu_date_parse(iso, out);
}

static const char *date_forms(const ctx *c)
{
	return c->sep == ';' ? "YYYY-MM-DD or DD/MM/YYYY" : "YYYY-MM-DD";
}

static bool get_date(const rowctx *rc, enum column k, bool required, mutu_date *out)
{
	const char *s = NULL;
	if (!get_string(rc, k, required, &s))
		return false;
	if (!s)
		return true;
	if (!parse_date(rc->c, s, out)) {
		cell_error(rc, k, "must be a date %s, got \"%s\"", date_forms(rc->c), s);
		return false;
	}
	return true;
}

/* ---- the contracts cell --------------------------------------------- */

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* One contract KIND:OPTION:START[:END] (`text` is modified). */
static void read_contract(const rowctx *rc, char *text, size_t index, mutu_held_contract *hc)
{
	hc->option = -1;
	hc->start = hc->end = MUTU_DATE_NONE;
	char prefix[48];
	snprintf(prefix, sizeof prefix, "contract %zu: ", index);
	char *part[5] = {NULL};
	size_t n = 0;
	for (char *p = text; p && n < 5; n++) {
		part[n] = p;
		p = strchr(p, ':');
		if (p)
			*p++ = '\0';
	}
	if (n < 3 || n > 4) {
		for (size_t i = 1; i < n; i++)
			part[i][-1] = ':';
		cell_error(rc, COL_CONTRACTS,
			   "%sexpected KIND:OPTION:START[:END] (OPTION empty for a forfait "
			   "without option), got \"%s\"",
			   prefix, trim(text));
		return;
	}
	for (size_t i = 0; i < n; i++)
		part[i] = trim(part[i]);
	int kind = 0;
	if (enum_index(rc, COL_CONTRACTS, prefix, part[0], kind_names, &kind))
		hc->kind = 1u << kind;
	const mutu_rules *rules = rc->c->rules;
	if (part[1][0]) {
		hc->option = mutu_rules_option(rules, part[1]);
		if (hc->option < 0)
			cell_error(rc, COL_CONTRACTS,
				   "%sunknown option \"%s\" (not in the rules %s)", prefix, part[1],
				   rules->name);
	} else if (hc->kind == MUTU_KIND_ASSISTANT) {
		cell_error(rc, COL_CONTRACTS,
			   "%san assistant contract needs an option: assistant:OPTION:START[:END]",
			   prefix);
	}
	bool ok = true;
	if (!parse_date(rc->c, part[2], &hc->start)) {
		cell_error(rc, COL_CONTRACTS, "%sstart must be a date %s, got \"%s\"", prefix,
			   date_forms(rc->c), part[2]);
		ok = false;
	}
	if (n == 4 && part[3][0] && !parse_date(rc->c, part[3], &hc->end)) {
		cell_error(rc, COL_CONTRACTS, "%send must be a date %s, got \"%s\"", prefix,
			   date_forms(rc->c), part[3]);
		ok = false;
	}
	if (ok && hc->end != MUTU_DATE_NONE && hc->end < hc->start)
		cell_error(rc, COL_CONTRACTS, "%send must not be before start", prefix);
}

static void read_contracts(const rowctx *rc, mutu_doctor *d)
{
	const char *s = value(rc, COL_CONTRACTS);
	if (!s)
		return;
	size_t count = 1;
	for (const char *p = s; *p; p++)
		count += *p == '|';
	char *copy = strdup(s);
	d->contracts = calloc(count, sizeof *d->contracts);
	if (!copy || !d->contracts) {
		free(copy);
		out_of_memory(rc->c);
		return;
	}
	char *item = copy;
	for (size_t i = 0; i < count; i++) {
		char *bar = strchr(item, '|');
		if (bar)
			*bar = '\0';
		char *t = trim(item);
		if (!*t)
			cell_error(rc, COL_CONTRACTS,
				   "contract %zu is empty (contracts are joined by \"|\")", i + 1);
		else
			read_contract(rc, t, i + 1, &d->contracts[d->ncontracts++]);
		item = bar ? bar + 1 : item;
	}
	free(copy);
}

/* ---- a doctor, a cabinet --------------------------------------------- */

static void read_specialty(const rowctx *rc, mutu_doctor *d, const mutu_specialty **sp)
{
	const mutu_rules *rules = rc->c->rules;
	const char *s = NULL;
	if (!get_string(rc, COL_SPECIALTY, true, &s))
		return;
	long k = mutu_rules_specialty(rules, s);
	if (k >= 0) {
		d->specialty = (size_t)k;
		*sp = &rules->specialties[k];
		return;
	}
	const char *names[64];
	size_t n = 0;
	for (; n < rules->nspecialties && n < 63; n++)
		names[n] = rules->specialties[n].name;
	names[n] = NULL;
	const char *near = mutu_jx__nearest(s, names);
	if (near)
		cell_error(rc, COL_SPECIALTY, "unknown specialty \"%s\"; did you mean \"%s\"?", s,
			   near);
	else
		cell_error(rc, COL_SPECIALTY, "unknown specialty \"%s\" (not in the rules %s)", s,
			   rules->name);
}

/* pmt or fa: required when it is the specialty's metric, else 0 when
 * absent. */
static void read_metric(const rowctx *rc, enum column k, const mutu_specialty *sp, double *out)
{
	mutu_metric m = k == COL_PMT ? MUTU_METRIC_PMT : MUTU_METRIC_FA;
	bool counts = sp && !sp->excluded && sp->metric == m;
	char why[160] = "";
	if (counts)
		snprintf(why, sizeof why, " (%s counts \"%s\" in the rules %s)", sp->name,
			 column_names[k], rc->c->rules->name);
	long v = 0;
	*out = 0;
	if (get_integer(rc, k, counts, why, 0, 1000000, &v))
		*out = (double)v;
}

static void read_doctor(const rowctx *rc, mutu_doctor *d)
{
	d->age = -1;
	d->declared_on = MUTU_DATE_NONE;
	d->headroom = d->gain_per_etp = d->max_new_patients = -1;
	const char *s = NULL;
	if (get_string(rc, COL_ID, true, &s)) {
		d->id = strdup(s);
		if (!d->id)
			out_of_memory(rc->c);
	}
	const mutu_specialty *sp = NULL;
	read_specialty(rc, d, &sp);
	int sector = 0;
	if (get_enum(rc, COL_SECTOR, true, sector_names, &sector))
		d->sector = 1u << sector;
	read_metric(rc, COL_PMT, sp, &d->pmt);
	read_metric(rc, COL_FA, sp, &d->fa);
	long v = -1;
	get_integer(rc, COL_AGE, false, "", 18, 110, &v);
	d->age = (int)v;
	get_bool(rc, COL_NEW_INSTALLED, &d->new_installed);
	get_bool(rc, COL_VOLUNTEER, &d->volunteer);
	get_date(rc, COL_DECLARED_ON, false, &d->declared_on);
	get_number(rc, COL_HEADROOM, 0, 10, &d->headroom);
	get_number(rc, COL_GAIN_PER_ETP, 0, 10, &d->gain_per_etp);
	v = -1;
	if (get_integer(rc, COL_MAX_NEW_PATIENTS, false, "", 0, 1000000, &v) && v >= 0)
		d->max_new_patients = (double)v;
	read_contracts(rc, d);
	if (!d->volunteer && d->declared_on != MUTU_DATE_NONE)
		cell_error(rc, COL_DECLARED_ON, "a declaration date needs \"volunteer\": true");
}

/* The structure fields of a cabinet's first row. */
static void read_structure(const rowctx *rc, mutu_cabinet *cab)
{
	const char *s = NULL;
	if (get_string(rc, COL_NAME, false, &s) && s) {
		cab->name = strdup(s);
		if (!cab->name)
			out_of_memory(rc->c);
	}
	int zone = 0;
	if (get_enum(rc, COL_ZONE, true, zone_names, &zone))
		cab->zone = 1u << zone;
	cab->contract_start = MUTU_DATE_NONE;
	get_date(rc, COL_CONTRACT_START, true, &cab->contract_start);
}

/* A later row of the cabinet: its structure cells, when given, agree
 * with the first row's (compared as values: 01/01/2025 is 2025-01-01). */
static void same_structure(const rowctx *rc, const mutu_cabinet *cab, unsigned long first)
{
	const char *s = value(rc, COL_NAME);
	if (s && (!cab->name || strcmp(s, cab->name) != 0)) {
		if (cab->name)
			cell_error(rc, COL_NAME,
				   "\"%s\" differs from \"%s\" on the first row of cabinet \"%s\" "
				   "(line %lu)",
				   s, cab->name, cab->id, first);
		else
			cell_error(rc, COL_NAME,
				   "\"%s\" but the first row of cabinet \"%s\" (line %lu) has none",
				   s, cab->id, first);
	}
	int zone = 0;
	if (cab->zone && value(rc, COL_ZONE) && get_enum(rc, COL_ZONE, false, zone_names, &zone) &&
	    (1u << zone) != cab->zone)
		cell_error(
		    rc, COL_ZONE,
		    "\"%s\" differs from \"%s\" on the first row of cabinet \"%s\" (line %lu)",
		    value(rc, COL_ZONE), zone_names[cab->zone == MUTU_ZONE_ZIP], cab->id, first);
	mutu_date start = MUTU_DATE_NONE;
	if (cab->contract_start != MUTU_DATE_NONE && value(rc, COL_CONTRACT_START) &&
	    get_date(rc, COL_CONTRACT_START, false, &start) && start != cab->contract_start) {
		char iso[11];
		mutu_date_format(cab->contract_start, iso);
		cell_error(rc, COL_CONTRACT_START,
			   "\"%s\" differs from %s on the first row of cabinet \"%s\" (line %lu)",
			   value(rc, COL_CONTRACT_START), iso, cab->id, first);
	}
}

/* ---- the whole file ------------------------------------------------------ */

typedef struct draft {
	unsigned long first_line;
	unsigned long *lines; /* the row of each doctor */
	size_t cap;           /* doctors allocated */
} draft;

typedef struct build {
	mutu_cabinet *cabs;
	draft *drafts;
	size_t n, cap;
} build;

static void build_free(build *b)
{
	for (size_t i = 0; i < b->n; i++) {
		mutu_cabinet_free(&b->cabs[i]);
		free(b->drafts[i].lines);
	}
	free(b->cabs);
	free(b->drafts);
	memset(b, 0, sizeof *b);
}

static bool row_is_empty(const row *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->cells[i].s)
			return false;
	return true;
}

/* Whether the row's cells are UTF-8 and its length the header's. */
static bool row_shape(ctx *c, const layout *lay, const row *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->cells[i].s &&
		    !valid_utf8((const unsigned char *)r->cells[i].s, r->cells[i].len)) {
			at(c, r->cells[i].line, i + 1,
			   "not valid UTF-8 (export the sheet as \"CSV UTF-8\")");
			return false;
		}
	if (r->n != lay->nfields) {
		at(c, r->line, (r->n < lay->nfields ? r->n : lay->nfields) + 1,
		   "row %s: %zu cells, the header has %zu%s",
		   r->n < lay->nfields ? "too short" : "too long", r->n, lay->nfields,
		   r->n > lay->nfields && c->sep == ','
		       ? " (with \",\" as separator, a decimal comma or an unquoted comma in a "
			 "text splits a cell in two)"
		       : "");
		return false;
	}
	for (size_t i = 0; i < r->n; i++)
		if (lay->unnamed[i] && r->cells[i].s) {
			at(c, r->cells[i].line, i + 1,
			   "a value in column %zu, which has no name in the header", i + 1);
			return false;
		}
	return true;
}

/* Starts a cabinet at row `r` (its id is `id`). */
static mutu_cabinet *start_cabinet(ctx *c, build *b, const rowctx *rc, const char *id)
{
	size_t cap = b->cap;
	mutu_cabinet *cabs = grow(b->cabs, &cap, b->n + 1, sizeof *cabs);
	if (cabs)
		b->cabs = cabs;
	draft *drafts = cabs ? grow(b->drafts, &b->cap, b->n + 1, sizeof *drafts) : NULL;
	if (!drafts) {
		out_of_memory(c);
		return NULL;
	}
	b->drafts = drafts;
	mutu_cabinet *cab = &b->cabs[b->n];
	memset(cab, 0, sizeof *cab);
	memset(&b->drafts[b->n], 0, sizeof *drafts);
	b->drafts[b->n].first_line = rc->r->line;
	b->n++;
	cab->id = strdup(id);
	if (!cab->id)
		out_of_memory(c);
	read_structure(rc, cab);
	return cab;
}

static mutu_doctor *add_doctor(ctx *c, mutu_cabinet *cab, draft *dr, unsigned long line)
{
	size_t cap = dr->cap;
	mutu_doctor *ds = grow(cab->doctors, &cap, cab->ndoctors + 1, sizeof *ds);
	if (ds)
		cab->doctors = ds;
	unsigned long *lines =
	    ds ? grow(dr->lines, &dr->cap, cab->ndoctors + 1, sizeof *lines) : NULL;
	if (!lines) {
		out_of_memory(c);
		return NULL;
	}
	dr->lines = lines;
	lines[cab->ndoctors] = line;
	mutu_doctor *d = &ds[cab->ndoctors++];
	memset(d, 0, sizeof *d);
	return d;
}

typedef struct keyed {
	const char *key;
	size_t index; /* order of appearance */
	unsigned long line;
} keyed;

static int keyed_cmp(const void *pa, const void *pb)
{
	const keyed *a = pa, *b = pb;
	int r = strcmp(a->key, b->key);
	return r ? r : (a->index > b->index) - (a->index < b->index);
}

/* Sorts `k` and calls `report` for every key seen before (with the
 * first one); n log n, so that a file of 100 000 cabinets stays fast. */
static void duplicates(keyed *k, size_t n, void (*report)(void *, const keyed *, const keyed *),
		       void *arg)
{
	qsort(k, n, sizeof *k, keyed_cmp);
	for (size_t i = 1, first = 0; i < n; i++) {
		if (strcmp(k[i].key, k[first].key) != 0)
			first = i;
		else
			report(arg, &k[first], &k[i]);
	}
}

typedef struct dup_ctx {
	ctx *c;
	const layout *lay;
} dup_ctx;

static void report_doctor(void *arg, const keyed *first, const keyed *again)
{
	dup_ctx *dc = arg;
	at(dc->c, again->line, (size_t)dc->lay->at[COL_ID] + 1,
	   "id: duplicate doctor id \"%s\" (also line %lu)", again->key, first->line);
}

static void report_cabinet(void *arg, const keyed *first, const keyed *again)
{
	dup_ctx *dc = arg;
	at(dc->c, again->line, (size_t)dc->lay->at[COL_CABINET] + 1,
	   "cabinet: \"%s\" again: the rows of one cabinet must follow each other (first row "
	   "on line %lu)",
	   again->key, first->line);
}

/* Duplicate doctor ids in each cabinet, and cabinets whose rows are not
 * consecutive. */
static void check_ids(ctx *c, const layout *lay, const build *b)
{
	size_t most = b->n;
	for (size_t i = 0; i < b->n; i++)
		if (b->cabs[i].ndoctors > most)
			most = b->cabs[i].ndoctors;
	keyed *k = calloc(most + 1, sizeof *k);
	if (!k) {
		out_of_memory(c);
		return;
	}
	dup_ctx dc = {c, lay};
	for (size_t i = 0; i < b->n; i++) {
		size_t n = 0;
		for (size_t j = 0; j < b->cabs[i].ndoctors; j++)
			if (b->cabs[i].doctors[j].id)
				k[n++] =
				    (keyed){b->cabs[i].doctors[j].id, j, b->drafts[i].lines[j]};
		duplicates(k, n, report_doctor, &dc);
	}
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++)
		if (b->cabs[i].id)
			k[n++] = (keyed){b->cabs[i].id, i, b->drafts[i].first_line};
	duplicates(k, n, report_cabinet, &dc);
	free(k);
}

/* What the rows are read into, row by row. */
typedef struct reader {
	ctx *c;
	splitter *sp;
	bool one; /* a second cabinet is an error */
	bool have_header;
	bool header_ok;
	unsigned long last_line; /* where the last row started */
	layout lay;
	build b;
} reader;

/* A data row: a doctor of the current cabinet or the first of a new
 * one. */
static void read_row(reader *rd, const row *r)
{
	ctx *c = rd->c;
	build *b = &rd->b;
	if (row_is_empty(r) || !row_shape(c, &rd->lay, r))
		return;
	rowctx rc = {c, &rd->lay, r};
	const char *id = NULL;
	if (!get_string(&rc, COL_CABINET, true, &id))
		return;
	mutu_cabinet *cab = b->n ? &b->cabs[b->n - 1] : NULL;
	if (!cab || !cab->id || strcmp(cab->id, id) != 0) {
		if (rd->one && cab) {
			cell_error(
			    &rc, COL_CABINET,
			    "a second cabinet \"%s\" after \"%s\": this reads one cabinet (a "
			    "batch reads several)",
			    id, cab->id ? cab->id : "");
			rd->sp->stop = true;
			return;
		}
		cab = start_cabinet(c, b, &rc, id);
	} else {
		same_structure(&rc, cab, b->drafts[b->n - 1].first_line);
	}
	mutu_doctor *d = cab ? add_doctor(c, cab, &b->drafts[b->n - 1], r->line) : NULL;
	if (d)
		read_doctor(&rc, d);
	if (c->oom)
		rd->sp->stop = true;
}

/* The splitter's hook: the first row is the header; a header error
 * stops the reading (the rows could not be understood). */
static void on_row_done(void *arg, const row *r)
{
	reader *rd = arg;
	rd->last_line = r->line;
	if (rd->have_header) {
		read_row(rd, r);
		return;
	}
	rd->have_header = true;
	read_header(rd->c, r, &rd->lay);
	rd->header_ok = !rd->c->failed;
	if (!rd->header_ok)
		rd->sp->stop = true;
}

/* The separator: ';' when the first line holds one. */
static char guess_separator(const char *text, size_t len)
{
	for (size_t i = 0; i < len && text[i] != '\n' && text[i] != '\r'; i++)
		if (text[i] == ';')
			return ';';
	return ',';
}

static int parse(mutu_cabinet **out, size_t *n, const mutu_rules *rules, const char *text,
		 size_t len, const char *file, mutu_errors *errs, bool one)
{
	*out = NULL;
	*n = 0;
	ctx c = {.file = file, .errs = errs, .rules = rules};
	splitter sp = {.row_done = on_row_done};
	reader rd = {.c = &c, .sp = &sp, .one = one};
	sp.arg = &rd;
	locale_t num = (locale_t)0;
	locale_t old = c_numbers_begin(&num);
	if (!old) {
		out_of_memory(&c);
		return MUTU_ENOMEM;
	}
	if (len >= 3 && memcmp(text, MUTU_CSV_BOM, 3) == 0) {
		text += 3;
		len -= 3;
	}
	c.sep = guess_separator(text, len);
	int rc = split(&c, &sp, text, len);
	if (rc == MUTU_OK && !rd.have_header)
		at(&c, 1, 1, "no header row: the first row names the columns (see CSV.md)");
	if (!c.oom && rd.header_ok)
		check_ids(&c, &rd.lay, &rd.b);
	if (one && !c.failed && rd.b.n == 0)
		at(&c, rd.last_line + 1, 1, "no doctor rows: a cabinet needs at least one doctor");
	if (c.oom)
		rc = MUTU_ENOMEM;
	else if (c.failed)
		rc = MUTU_EINPUT;
	if (rc == MUTU_OK) {
		for (size_t i = 0; i < rd.b.n; i++)
			free(rd.b.drafts[i].lines);
		free(rd.b.drafts);
		*out = rd.b.cabs;
		*n = rd.b.n;
	} else {
		build_free(&rd.b);
	}
	free(rd.lay.unnamed);
	c_numbers_end(old, num);
	return rc;
}

int mutu_cabinet_csv_parse(mutu_cabinet **out, size_t *n, const mutu_rules *rules, const char *text,
			   size_t len, const char *file, mutu_errors *errs)
{
	return parse(out, n, rules, text, len, file, errs, false);
}

int mutu_cabinet_csv_parse_one(mutu_cabinet *out, const mutu_rules *rules, const char *text,
			       size_t len, const char *file, mutu_errors *errs)
{
	memset(out, 0, sizeof *out);
	mutu_cabinet *cabs = NULL;
	size_t n = 0;
	int rc = parse(&cabs, &n, rules, text, len, file, errs, true);
	if (rc == MUTU_OK) {
		*out = cabs[0];
		free(cabs);
	}
	return rc;
}

int mutu_cabinet_csv_load(mutu_cabinet **out, size_t *n, const mutu_rules *rules, const char *path,
			  mutu_errors *errs)
{
	*out = NULL;
	*n = 0;
	jx x = {.file = path, .errs = errs};
	size_t len;
	char *text = mutu_jx__read_file(&x, path, &len);
	if (!text)
		return MUTU_EIO;
	int rc = mutu_cabinet_csv_parse(out, n, rules, text, len, path, errs);
	free(text);
	return rc;
}

int mutu_cabinet_csv_load_one(mutu_cabinet *out, const mutu_rules *rules, const char *path,
			      mutu_errors *errs)
{
	memset(out, 0, sizeof *out);
	jx x = {.file = path, .errs = errs};
	size_t len;
	char *text = mutu_jx__read_file(&x, path, &len);
	if (!text)
		return MUTU_EIO;
	int rc = mutu_cabinet_csv_parse_one(out, rules, text, len, path, errs);
	free(text);
	return rc;
}

void mutu_cabinet_csv_free(mutu_cabinet *cabs, size_t n)
{
	for (size_t i = 0; cabs && i < n; i++)
		mutu_cabinet_free(&cabs[i]);
	free(cabs);
}

bool mutu_cabinet_csv_sniff(const char *text, size_t len)
{
	size_t i = len >= 3 && memcmp(text, MUTU_CSV_BOM, 3) == 0 ? 3 : 0;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
		i++;
	return i < len && text[i] != '{';
}

/* ---- writing ---------------------------------------------------------------- */

/* One cell, quoted by libcsv when the reader would otherwise split or
 * trim it. */
static void put_cell(strbuf *b, const char *s, char sep)
{
	size_t n = strlen(s);
	bool quote = n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == sep || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (!quote) {
		mutu_sb__printf(b, "%s", s);
		return;
	}
	size_t need = csv_write2(NULL, 0, s, n, '"');
	char *q = malloc(need + 1);
	if (!q) {
		b->failed = true;
		return;
	}
	csv_write2(q, need, s, n, '"');
	q[need] = '\0';
	mutu_sb__printf(b, "%s", q);
	free(q);
}

/* The shortest form that reads back to `v`, with the file's decimal
 * mark. */
static void put_number(strbuf *b, double v, char sep)
{
	char buf[40];
	snprintf(buf, sizeof buf, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, sizeof buf, "%.17g", v);
	char *dot = strchr(buf, '.');
	if (dot && sep == ';')
		*dot = ',';
	mutu_sb__printf(b, "%s", buf);
}

static void put_date(strbuf *b, mutu_date d)
{
	if (d == MUTU_DATE_NONE)
		return;
	char iso[11];
	mutu_date_format(d, iso);
	mutu_sb__printf(b, "%s", iso);
}

/* The name of a one-bit value in `names`. */
static const char *bit_name(unsigned bit, const char *const *names)
{
	for (unsigned i = 0; names[i]; i++)
		if (bit == 1u << i)
			return names[i];
	return "";
}

static void put_contracts(strbuf *b, const mutu_doctor *d, const mutu_rules *rules, char sep)
{
	strbuf text = {0};
	for (size_t i = 0; i < d->ncontracts; i++) {
		const mutu_held_contract *hc = &d->contracts[i];
		const char *opt = hc->option >= 0 && (size_t)hc->option < rules->noptions
				      ? rules->options[hc->option].id
				      : "";
		char start[11] = "";
		if (hc->start != MUTU_DATE_NONE)
			mutu_date_format(hc->start, start);
		mutu_sb__printf(&text, "%s%s:%s:%s", i ? "|" : "", bit_name(hc->kind, kind_names),
				opt, start);
		if (hc->end != MUTU_DATE_NONE) {
			char end[11];
			mutu_date_format(hc->end, end);
			mutu_sb__printf(&text, ":%s", end);
		}
	}
	if (text.failed)
		b->failed = true;
	else if (text.s)
		put_cell(b, text.s, sep);
	free(text.s);
}

static void put_doctor(strbuf *b, const mutu_cabinet *cab, const mutu_doctor *d,
		       const mutu_rules *rules, char sep)
{
	const mutu_specialty *sp =
	    d->specialty < rules->nspecialties ? &rules->specialties[d->specialty] : NULL;
	bool pmt_counts = sp && !sp->excluded && sp->metric == MUTU_METRIC_PMT;
	bool fa_counts = sp && !sp->excluded && sp->metric == MUTU_METRIC_FA;
	char s[2] = {sep, '\0'};
	put_cell(b, cab->id ? cab->id : "", sep);
	mutu_sb__printf(b, "%s", s);
	put_cell(b, cab->name ? cab->name : "", sep);
	mutu_sb__printf(b, "%s%s%s", s, bit_name(cab->zone, zone_names), s);
	put_date(b, cab->contract_start);
	mutu_sb__printf(b, "%s", s);
	put_cell(b, d->id ? d->id : "", sep);
	mutu_sb__printf(b, "%s", s);
	put_cell(b, sp ? sp->name : "", sep);
	mutu_sb__printf(b, "%s%s%s", s, bit_name(d->sector, sector_names), s);
	if (pmt_counts || d->pmt != 0)
		put_number(b, d->pmt, sep);
	mutu_sb__printf(b, "%s", s);
	if (fa_counts || d->fa != 0)
		put_number(b, d->fa, sep);
	mutu_sb__printf(b, "%s", s);
	if (d->age >= 0)
		mutu_sb__printf(b, "%d", d->age);
	mutu_sb__printf(b, "%s%s%s%s%s", s, d->new_installed ? "true" : "false", s,
			d->volunteer ? "true" : "false", s);
	put_date(b, d->declared_on);
	const double optional[3] = {d->headroom, d->gain_per_etp, d->max_new_patients};
	for (size_t i = 0; i < 3; i++) {
		mutu_sb__printf(b, "%s", s);
		if (optional[i] >= 0)
			put_number(b, optional[i], sep);
	}
	mutu_sb__printf(b, "%s", s);
	put_contracts(b, d, rules, sep);
	mutu_sb__printf(b, "\n");
}

char *mutu_cabinet_csv_write(const mutu_cabinet *cab, const mutu_rules *rules, bool header,
			     char sep)
{
	if (sep != ';' && sep != ',')
		return NULL;
	locale_t num = (locale_t)0;
	locale_t old = c_numbers_begin(&num);
	if (!old)
		return NULL;
	strbuf b = {0};
	for (size_t k = 0; header && k < NCOLUMNS; k++)
		mutu_sb__printf(&b, "%s%s", k ? (sep == ';' ? ";" : ",") : "", column_names[k]);
	if (header)
		mutu_sb__printf(&b, "\n");
	for (size_t i = 0; i < cab->ndoctors; i++)
		put_doctor(&b, cab, &cab->doctors[i], rules, sep);
	c_numbers_end(old, num);
	return mutu_sb__take(&b);
}

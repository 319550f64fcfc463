/* mutu: cabinets as CSV, one row per doctor, as a spreadsheet exports
 * them.  The form (columns, separators, numbers, dates, the `contracts`
 * column) is described in scenarios/cabinets/CSV.md.
 *
 * Errors are recorded with the file name and a position "LINE:COLUMN" in
 * the path field (LINE is the physical line, 1 for the header; COLUMN the
 * field number, 1 for the first): printed by mutu_error_format as
 * "file:LINE:COLUMN: message".  The checks are those of the JSON loader
 * (mutu_cabinet_parse), with the same messages after the column name.
 */
#ifndef MUTU_CABINET_CSV_H
#define MUTU_CABINET_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "mutu/cabinet.h"
#include "mutu/error.h"
#include "mutu/rules.h"

/* The UTF-8 byte order mark, which spreadsheets need in front of a file
 * to read it as UTF-8; the writer never adds it. */
#define MUTU_CSV_BOM "\xEF\xBB\xBF"

/* Parses every cabinet of a CSV text (consecutive rows with the same
 * `cabinet` form one cabinet), checked against `rules`.  `file` names the
 * source in errors.  On success `*out` is an array of `*n` cabinets (none
 * for a header-only file) to free with mutu_cabinet_csv_free.  Returns 0,
 * MUTU_EINPUT with every error in `errs`, or MUTU_ENOMEM; on failure
 * `*out` holds nothing to free (NULL, `*n` 0). */
int mutu_cabinet_csv_parse(mutu_cabinet **out, size_t *n, const mutu_rules *rules, const char *text,
			   size_t len, const char *file, mutu_errors *errs);

/* The same for a text that must hold exactly one cabinet (the commands
 * that read one cabinet): none or a second one is an error.  On failure
 * `*out` holds nothing to free; else free it with mutu_cabinet_free. */
int mutu_cabinet_csv_parse_one(mutu_cabinet *out, const mutu_rules *rules, const char *text,
			       size_t len, const char *file, mutu_errors *errs);

/* Reads and parses a whole file ("-" is stdin); MUTU_EIO when it cannot
 * be read.  Ownership as for the two functions above. */
int mutu_cabinet_csv_load(mutu_cabinet **out, size_t *n, const mutu_rules *rules, const char *path,
			  mutu_errors *errs);
int mutu_cabinet_csv_load_one(mutu_cabinet *out, const mutu_rules *rules, const char *path,
			      mutu_errors *errs);

/* Frees an array of `n` cabinets from mutu_cabinet_csv_parse; NULL is
 * fine. */
void mutu_cabinet_csv_free(mutu_cabinet *cabs, size_t n);

/* Whether a text is CSV rather than JSON: its first byte that is not a
 * byte order mark or white space is not '{'.  For callers that take
 * either form on standard input. */
bool mutu_cabinet_csv_sniff(const char *text, size_t len);

/* Writes `cab` as CSV rows, one per doctor, in the column order of
 * CSV.md, preceded by the header row when `header`; `sep` is ';' (numbers
 * with a decimal comma, as French spreadsheets read them) or ',' (decimal
 * dot).  Lines end with "\n"; no byte order mark.  Returns a string the
 * caller frees with free(), or NULL when out of memory or `sep` is neither
 * ';' nor ','.  mutu_cabinet_csv_parse reads it back to an equal cabinet. */
char *mutu_cabinet_csv_write(const mutu_cabinet *cab, const mutu_rules *rules, bool header,
			     char sep);

#endif

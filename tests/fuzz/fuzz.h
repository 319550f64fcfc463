/* Helpers shared by the fuzz harnesses (tests/fuzz/fuzz_*.c) and the
 * replay program.
 *
 * Each harness defines LLVMFuzzerTestOneInput; it is linked either with
 * libFuzzer (build-fuzz/, clang, sanitizers) or with replay.c (make test,
 * the normal compiler), which feeds it every file of the regression and
 * seed directories.  The fixed inputs (bundled rules and cabinets) are read
 * once, from the repository root MUTU_FUZZ_ROOT, so a harness works from
 * any directory.
 */
#ifndef MUTU_FUZZ_H
#define MUTU_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "mutu/cabinet.h"
#include "mutu/contract.h"
#include "mutu/rules.h"

#ifndef MUTU_FUZZ_ROOT
#define MUTU_FUZZ_ROOT "."
#endif

/* Solves are bounded per group, so that no input holds the fuzzer. */
enum { FUZZ_TIME_LIMIT_MS = 200, FUZZ_MAX_DOCTORS = 40 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* MUTU_FUZZ_ROOT "/" rel, in a buffer the caller frees; aborts when out of
 * memory. */
char *fuzz_path(const char *rel);

/* The whole of file `rel` (relative to the root), NUL-terminated, length in
 * `*len`; aborts when it cannot be read: the fixed inputs must be there. */
char *fuzz_read(const char *rel, size_t *len);

/* Loads the bundled rules `rel` and cabinet `rel` under `rules`; abort on
 * any error (printed), since a harness without its fixed inputs tests
 * nothing. */
void fuzz_load_rules(mutu_rules *out, const char *rel);
void fuzz_load_cabinet(mutu_cabinet *out, const mutu_rules *rules, const char *rel);
void fuzz_load_contract(mutu_contract *out, const mutu_rules *rules, const mutu_cabinet *cab,
			const char *rel);

/* Oracle: `text` (a report the library says is JSON) must parse as JSON.
 * NULL is taken as out of memory and accepted.  Aborts with `what` and the
 * text otherwise. */
void fuzz_check_json(const char *text, const char *what);

/* With MUTU_FUZZ_VERBOSE set in the environment, prints one line of what
 * an input reached (to check that the seeds go past the loaders). */
void fuzz_note(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Aborts with a message: an oracle failed. */
void fuzz_fail(const char *what, const char *detail);

#endif

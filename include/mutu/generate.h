/* mutu: synthetic populations of group practices.
 *
 * A profile (scenarios/profiles/README.md) describes a population: kinds
 * of structure and their sizes, the specialty mix, the lognormal count
 * distributions of each specialty, sectors, ages, individual contracts,
 * volunteers.  A generator draws cabinets from it (formats.md "Cabinet"),
 * one at a time, so a population of any size is written in constant
 * memory.  The same profile and seed give the same cabinets, byte for
 * byte: every count, age and date is a whole number.
 */
#ifndef MUTU_GENERATE_H
#define MUTU_GENERATE_H

#include <stddef.h>

#include "mutu/error.h"
#include "mutu/rules.h"

/* A loaded profile (opaque). */
typedef struct mutu_profile mutu_profile;

/* A stream of cabinets drawn from a profile (opaque). */
typedef struct mutu_generator mutu_generator;

/* Parses a profile and solves its calibration (who holds an individual
 * contract: scenarios/profiles/README.md "Who holds a contract").  With
 * `rules` (may be NULL) every specialty and option id of the profile must
 * also be one of the rules, so that the cabinets load against them.
 * `file` names the source in errors.  Returns 0, or MUTU_EINPUT with every
 * error found in `errs` (file, JSON pointer, message), a calibration
 * target that cannot be met included; MUTU_ENOMEM.  On success the caller
 * frees `*out` with mutu_profile_free; on failure `*out` is NULL.  Turns
 * GSL's process-wide error handler off (its default aborts): the library
 * checks GSL's returns instead. */
int mutu_profile_parse(mutu_profile **out, const char *text, size_t len, const char *file,
		       const mutu_rules *rules, mutu_errors *errs);

/* Reads and parses the profile file `path`; MUTU_EIO when unreadable. */
int mutu_profile_load(mutu_profile **out, const char *path, const mutu_rules *rules,
		      mutu_errors *errs);

/* NULL is fine. */
void mutu_profile_free(mutu_profile *profile);

/* A generator over `profile` (borrowed: it must outlive the generator),
 * seeded with `seed` (a GSL mt19937 seed: only the low 32 bits count, and
 * 0 stands for GSL's default seed 4357).  Returns 0 or MUTU_ENOMEM; the
 * caller frees `*out` with mutu_generator_free. */
int mutu_generator_new(mutu_generator **out, const mutu_profile *profile, unsigned long seed);

/* NULL is fine. */
void mutu_generator_free(mutu_generator *gen);

/* Draws the next cabinet and writes it as one line of JSON without the
 * newline: ids "s000001", "s000002"... and doctors "d1".."dn".  `*len`
 * (when `len` is not NULL) gets its length.  The caller frees `*out`.
 * Returns 0 or MUTU_ENOMEM (then `*out` is NULL). */
int mutu_generate_next(char **out, size_t *len, mutu_generator *gen);

#endif

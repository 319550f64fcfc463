/* mutu: the modalities a sweep compares, and how achievement is simulated.
 *
 * A modality is one rules file (the base, or a variant) with one
 * combination of `--vary` values (JSON pointer = value) laid over it.  The
 * product of the variations is built and checked here, before any work, so
 * that a bad pointer or value is an error before a long run starts.
 */
#ifndef MUTU_MODALITY_H
#define MUTU_MODALITY_H

#include <stdbool.h>
#include <stddef.h>

#include "mutu/error.h"
#include "mutu/rules.h"

/* One varied pointer and its values, as given by "/POINTER=v1,v2,...". */
typedef struct mutu_vary {
	char *pointer;
	char **values; /* JSON texts (plain words are taken as strings) */
	size_t n;
} mutu_vary;

/* Parses "/POINTER=v1,v2,..."; values split on commas outside brackets and
 * quotes, so JSON arrays and strings can be given.  Returns 0, MUTU_EINPUT
 * (with a message in `err`) or MUTU_ENOMEM; on failure `*out` holds
 * nothing to free. */
int mutu_vary_parse(mutu_vary *out, const char *arg, mutu_error *err);

/* Frees what `v` owns; NULL is fine. */
void mutu_vary_free(mutu_vary *v);

/* What in a modality differs from another (mutu_modality_differences). */
enum {
	MUTU_DIFF_ACHIEVEMENT = 1u, /* achievement.*, mutualisation.assessment */
	MUTU_DIFF_EXCLUSIVE = 2u,   /* mutualisation.exclusive_kinds */
	MUTU_DIFF_OTHER = 4u        /* anything else that a solve reads */
};

typedef struct mutu_modality {
	mutu_rules rules;
	char *label;  /* the rules' name, then " /ptr=v, /ptr2=w" */
	size_t base;  /* 0: the base rules file, i: the i-th variant */
	size_t combo; /* which combination of the --vary values (0: the first values) */
	/* The modality it is compared with to tell a variation that changes
	 * nothing: the same rules file with the first --vary values, or for
	 * those, the base rules with the first values (itself for the first). */
	size_t reference;
	unsigned differs_from_reference; /* MUTU_DIFF_* bits against it */
} mutu_modality;

typedef struct mutu_modalities {
	mutu_modality *items; /* nbases x ncombos, base-major */
	size_t n, nbases, ncombos;
	const mutu_rules *base; /* bases[0], borrowed: the status quo's rules */
} mutu_modalities;

/* The modalities of a sweep: each of `bases` (bases[0] the base rules,
 * then the variants) with every combination of the `vary` values, the
 * first pointer varying fastest.  The same rules file given twice is an
 * error, and so is a value the rules refuse (every error in `errs`).
 * Returns 0, MUTU_EINPUT or MUTU_ENOMEM; on failure `*out` holds nothing
 * to free.  `bases` must outlive `*out`. */
int mutu_modalities_build(mutu_modalities *out, const mutu_rules *bases, size_t nbases,
			  const mutu_vary *vary, size_t nvary, mutu_errors *errs);

/* Frees the modalities (not the bases); NULL and zeroed ones are fine. */
void mutu_modalities_free(mutu_modalities *m);

/* MUTU_DIFF_* bits of what `b` sets otherwise than `a` (names,
 * descriptions and provenance notes aside); 0 when they solve alike. */
unsigned mutu_modality_differences(const mutu_rules *a, const mutu_rules *b);

/* How the patients achieved are simulated: not at all (every objective
 * met exactly), one rate for every contract, or a seeded draw per
 * contract from a Beta(A, B) law. */
typedef enum mutu_achievement_kind {
	MUTU_ACHIEVE_NONE = 0,
	MUTU_ACHIEVE_RATE,
	MUTU_ACHIEVE_BETA
} mutu_achievement_kind;

typedef struct mutu_achievement {
	mutu_achievement_kind kind;
	double rate; /* RATE: achieved / objective, 0 to 2 */
	double a, b; /* BETA: the law's parameters, > 0 */
} mutu_achievement;

/* Parses an achievement: a rate from 0 to 2 ("0.8"), a percentage ("80%"
 * = 0.8) or, when `beta_allowed`, "beta:A,B".  A bare number above 2 such
 * as "80" is refused with a message that says to write "80%" or "0.8".
 * Returns 0 or MUTU_EINPUT with the message (no option name, lowercase)
 * in `msg`. */
int mutu_achievement_parse(mutu_achievement *out, const char *text, bool beta_allowed, char *msg,
			   size_t msgsize);

/* "1" (not simulated), the rate ("0.8") or "beta:A,B": the canonical
 * text of an achievement, written into `buf`. */
void mutu_achievement_text(const mutu_achievement *a, char *buf, size_t size);

#endif

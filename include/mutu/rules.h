/* mutu: a rules file (one modality of the scheme), loaded and checked.
 *
 * The structure mirrors scenarios/formats.md "Rules".  All strings
 * and arrays are owned by the mutu_rules and freed by mutu_rules_free.
 */
#ifndef MUTU_RULES_H
#define MUTU_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "mutu/date.h"
#include "mutu/error.h"

/* Percentile bands (model.md §2).  B0 is below P30. */
typedef enum mutu_band {
	MUTU_B0 = 0, /* below p30 */
	MUTU_B1,     /* p30_p50 */
	MUTU_B2,     /* p50_p70 */
	MUTU_B3,     /* p70_p90 */
	MUTU_B4,     /* p90_p95 */
	MUTU_B5,     /* p95 and above */
	MUTU_NBANDS
} mutu_band;

/* Threshold indices: p30 p50 p70 p90 p95. */
enum { MUTU_P30 = 0, MUTU_P50, MUTU_P70, MUTU_P90, MUTU_P95, MUTU_NTHRESHOLDS };

typedef enum mutu_metric { MUTU_METRIC_PMT = 0, MUTU_METRIC_FA } mutu_metric;

/* Which counts an individual objective is on (specialties.*.objective_metric,
 * scenarios/README.md section 2): one count, "either" (the doctor meets it
 * on one of the two: RA and 2024 GPs) or "both" (avenant 7 GPs). */
typedef enum mutu_objective_metric {
	MUTU_OBJ_PMT = 0,
	MUTU_OBJ_FA,
	MUTU_OBJ_EITHER,
	MUTU_OBJ_BOTH
} mutu_objective_metric;

/* Bit sets of zones and sectors. */
enum { MUTU_ZONE_STANDARD = 1u, MUTU_ZONE_ZIP = 2u };
enum { MUTU_SECTOR_1 = 1u, MUTU_SECTOR_2_OPTAM = 2u, MUTU_SECTOR_2 = 4u };
enum { MUTU_KIND_ASSISTANT = 1u, MUTU_KIND_FORFAIT = 2u };

typedef enum mutu_basis { MUTU_BASIS_SUM_INDIVIDUAL = 0, MUTU_BASIS_POOLED } mutu_basis;
typedef enum mutu_assessment { MUTU_ASSESS_STRUCTURE = 0, MUTU_ASSESS_INDIVIDUAL } mutu_assessment;
typedef enum mutu_modulation { MUTU_MOD_PRORATA = 0, MUTU_MOD_ALL_OR_NOTHING } mutu_modulation;

typedef struct mutu_capacity {
	double headroom;     /* h: organic growth, fraction of P */
	double gain_per_etp; /* g: extra patients per ETP, fraction of P */
} mutu_capacity;

typedef struct mutu_economics {
	double assistant_cost_per_etp; /* c, euros per ETP-year */
	double value_per_patient_year; /* v, euros per patient-year */
	double ramp_years;             /* R: new patients come in over R years (1: at once) */
} mutu_economics;

typedef struct mutu_specialty {
	char *name;
	bool excluded;
	mutu_metric metric;
	double thresholds[MUTU_NTHRESHOLDS];
	mutu_objective_metric objective_metric; /* defaults to `metric` */
	/* Percentiles of the other count (FA for a PMT specialty), which band
	 * that count's objective under "either" and "both"; has_second false
	 * when the rules give none (then `thresholds` band both counts). */
	bool has_second;
	double second_thresholds[MUTU_NTHRESHOLDS];
	mutu_capacity capacity;
	mutu_economics economics;
} mutu_specialty;

typedef struct mutu_option {
	char *id;
	double etp;
	unsigned zones; /* MUTU_ZONE_* bits; 0 when closed */
	/* Closed to new contracts ("closed": true): nobody may sign or bring
	 * it; contracts of it that doctors hold run on and are valued. */
	bool closed;
	double *aid; /* aid[k] for contract year k+1; last repeats */
	size_t naid;
	double aid_p90_p95_from_year3; /* < 0 when absent */
	double aid_p95;                /* < 0 when absent: year-1 amount */
	double objective[MUTU_NBANDS]; /* rate by band; [MUTU_B0] unused */
	size_t *specialties;           /* allowed specialty indices; NULL = all */
	size_t nspecialties;
	/* Individual contracts only: the doctor must hold an assistant
	 * contract of option `requires_option` started at least
	 * `requires_years` years before the start. */
	char *requires_option; /* NULL when none */
	int requires_years;
} mutu_option;

/* Which conditions a notional option (sum_individual) keeps (model.md §4):
 * zone and specialty always; `requires` under apply only. */
typedef enum mutu_notional { MUTU_NOTIONAL_APPLY = 0, MUTU_NOTIONAL_WAIVE } mutu_notional;

typedef struct mutu_mutualisation {
	bool enabled;
	int min_doctors, max_doctors;
	double max_etp_per_doctor, max_etp_total, etp_step;
	mutu_basis objective_basis;
	double floor_share;
	size_t aid_reference_option; /* index into options */
	mutu_assessment assessment;
	int commit_assistant, commit_forfait; /* years */
	unsigned exclusive_kinds;             /* MUTU_KIND_* bits */
	double etp_unit;                      /* w: assistant time in whole units (default 0.1) */
	mutu_notional notional_conditions;    /* default apply */
} mutu_mutualisation;

typedef struct mutu_rules {
	char *name;
	char *description;
	char *file; /* the file it was loaded from */
	int horizon_years;
	double discount_rate;
	unsigned sectors;          /* eligible sectors */
	bool exempt_new_installed; /* "new_installed" in eligibility.exemptions */
	mutu_specialty *specialties;
	size_t nspecialties;
	mutu_option *options;
	size_t noptions;
	int new_installed_target; /* threshold index, or -1: no special rule */
	int senior_from_age;      /* -1: no senior rule */
	double senior_objective;
	double senior_tolerance; /* fall of the count tolerated in assessment, fraction of P */
	/* A held assistant contract signed before `legacy_signed_before` and
	 * at least `legacy_after_years` old keeps its aid with no new
	 * objective (MUTU_DATE_NONE: no such rule). */
	mutu_date legacy_signed_before;
	int legacy_after_years;
	mutu_capacity capacity;
	mutu_economics economics;
	int check_from_year;
	mutu_modulation modulation;
	mutu_mutualisation mut;
	void *doc; /* the merged JSON document (internal) */
} mutu_rules;

/* Loads `path` (resolving `extends` by JSON Merge Patch) into `*out`.
 * Returns 0, or MUTU_EINPUT/MUTU_EIO with every error found in `errs`.
 * On failure `*out` holds nothing to free. */
int mutu_rules_load(mutu_rules *out, const char *path, mutu_errors *errs);

/* Same from an in-memory document; `extends` is resolved against the
 * directory of `file`. */
int mutu_rules_parse(mutu_rules *out, const char *text, size_t len, const char *file,
		     mutu_errors *errs);

/* A copy of `base` with the value at each JSON pointer `pointers[i]`
 * replaced by `values[i]` (JSON text; plain text is taken as a string),
 * checked again as a whole.  A pointer naming no value of the rules is an
 * error.  Returns 0, MUTU_EINPUT or MUTU_ENOMEM. */
int mutu_rules_vary(mutu_rules *out, const mutu_rules *base, size_t n, const char *const *pointers,
		    const char *const *values, mutu_errors *errs);

/* Frees what the rules own; NULL and zeroed rules are fine. */
void mutu_rules_free(mutu_rules *rules);

/* Index of a specialty or option by name, or -1. */
long mutu_rules_specialty(const mutu_rules *rules, const char *name);
long mutu_rules_option(const mutu_rules *rules, const char *id);

/* Band of metric value `p` under `thresholds` (model.md §2, lower bound
 * inclusive). */
mutu_band mutu_band_of(const double thresholds[MUTU_NTHRESHOLDS], double p);

/* "p30_p50", ...; "below_p30" for B0. */
const char *mutu_band_name(mutu_band band);

/* The provenance pointers of `rules` whose note starts with "inferred"
 * and that bear on `pointer`: the note covers it (the note's pointer is
 * `pointer` or one of its parents) or lies under it.  `pointer` "" means
 * the whole file; e.g. "/options" lists every inferred option figure,
 * "/specialties/generaliste/thresholds/p90" the note that covers the
 * GPs' P90.  `*out` gets an array of `*n` pointers into the rules'
 * document, in file order (valid while `rules` lives; the caller frees
 * the array alone, with free()).  Returns 0 or MUTU_ENOMEM (then `*out`
 * is NULL and `*n` 0). */
int mutu_rules_inferred(const mutu_rules *rules, const char *pointer, const char ***out, size_t *n);

/* Writes the merged rules as JSON text (caller frees with free()). */
char *mutu_rules_to_json(const mutu_rules *rules);

#endif

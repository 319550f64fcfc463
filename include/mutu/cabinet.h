/* mutu: a cabinet (one structure and its doctors), loaded and checked
 * against a rules file.  See formats.md "Cabinet".
 */
#ifndef MUTU_CABINET_H
#define MUTU_CABINET_H

#include <stdbool.h>
#include <stddef.h>

#include "mutu/date.h"
#include "mutu/error.h"
#include "mutu/rules.h"

typedef struct mutu_held_contract {
	unsigned kind; /* MUTU_KIND_ASSISTANT or MUTU_KIND_FORFAIT */
	long option;   /* rules option index, -1 when none */
	mutu_date start;
	mutu_date end; /* MUTU_DATE_NONE: no end */
} mutu_held_contract;

typedef struct mutu_doctor {
	char *id;
	size_t specialty; /* index into rules->specialties */
	unsigned sector;  /* one MUTU_SECTOR_* bit */
	double pmt, fa;
	int age; /* -1 when absent */
	bool new_installed;
	bool volunteer;
	mutu_date declared_on; /* MUTU_DATE_NONE when absent */
	mutu_held_contract *contracts;
	size_t ncontracts;
	double headroom, gain_per_etp, max_new_patients; /* < 0 when absent */
} mutu_doctor;

typedef struct mutu_cabinet {
	char *id;
	char *name;
	unsigned zone; /* MUTU_ZONE_* bit */
	mutu_date contract_start;
	mutu_doctor *doctors;
	size_t ndoctors;
} mutu_cabinet;

/* Parses one cabinet document checked against `rules` (specialties,
 * options).  `file` names the source in errors; `line` > 0 prefixes
 * nothing but is kept for batch errors.  Returns 0 or MUTU_EINPUT with
 * every error in `errs`; on failure `*out` holds nothing to free. */
int mutu_cabinet_parse(mutu_cabinet *out, const mutu_rules *rules, const char *text, size_t len,
		       const char *file, mutu_errors *errs);

/* Reads and parses a whole file ("-" is stdin). */
int mutu_cabinet_load(mutu_cabinet *out, const mutu_rules *rules, const char *path,
		      mutu_errors *errs);

/* Frees what the cabinet owns; NULL and zeroed cabinets are fine. */
void mutu_cabinet_free(mutu_cabinet *cab);

/* The cabinet as one line of JSON (formats.md "Cabinet", no newline), as
 * a batch reads it.  The caller frees the string; NULL when out of
 * memory. */
char *mutu_cabinet_to_json(const mutu_cabinet *cab, const mutu_rules *rules);

/* Index of doctor `id`, or -1. */
long mutu_cabinet_doctor(const mutu_cabinet *cab, const char *id);

#endif

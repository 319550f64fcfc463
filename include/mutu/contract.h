/* mutu: a pooled contract (formats.md "Contract"): loading it against a
 * cabinet and a rules file, checking it rule by rule (model.md §5), and
 * simulating it year by year.
 *
 * A loaded contract refers to the cabinet's doctors and the rules' options
 * by index: use it only with the cabinet and rules it was loaded with.
 */
#ifndef MUTU_CONTRACT_H
#define MUTU_CONTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "mutu/analysis.h"
#include "mutu/cabinet.h"
#include "mutu/date.h"
#include "mutu/error.h"
#include "mutu/rules.h"

/* ---------------- the contract ---------------- */

typedef struct mutu_contract_component {
	unsigned kind; /* MUTU_KIND_ASSISTANT or MUTU_KIND_FORFAIT */
	double etp;    /* assistant: E; forfait: 0 */
	int years;
} mutu_contract_component;

/* A member or event naming a doctor who is not in the cabinet: judged
 * (a `structure` finding), not refused. */
#define MUTU_CONTRACT_NO_DOCTOR ((size_t)-1)

typedef struct mutu_contract_member {
	size_t doctor; /* index into the cabinet's doctors, or MUTU_CONTRACT_NO_DOCTOR */
	char *unknown; /* the id given, when it names no doctor of the cabinet */
	size_t index;  /* position in the file's "members" array */
	mutu_date declared_on;
	double share;         /* committed new patients */
	long option;          /* notional option (rules index), -1 when none */
	double assistant_etp; /* a_i, < 0 when not given */
} mutu_contract_member;

typedef enum mutu_event_type {
	MUTU_EVENT_JOIN = 0,
	MUTU_EVENT_LEAVE,
	MUTU_EVENT_SUSPEND,
	MUTU_EVENT_RESUME
} mutu_event_type;

typedef struct mutu_contract_event {
	mutu_date date;
	mutu_event_type type;
	long doctor;           /* join and leave: cabinet index; -1 otherwise */
	char *unknown;         /* join and leave: the id given, when it names no doctor */
	mutu_date declared_on; /* join: MUTU_DATE_NONE when absent */
	long option;           /* join: notional option, -1 when none */
	size_t index;          /* position in the file's "events" array */
} mutu_contract_event;

typedef struct mutu_contract {
	char *id;
	char *structure;
	size_t specialty; /* index into the rules' specialties */
	mutu_date start;
	mutu_contract_component *components;
	size_t ncomponents;
	size_t assistant; /* index of the (one, required) assistant component */
	double collective_objective;
	mutu_contract_member *members; /* the members at the start */
	size_t nmembers;
	mutu_contract_event *events; /* sorted by date, ties in file order */
	size_t nevents;
} mutu_contract;

/* Parses a contract document, resolving doctors in `cab` and the
 * specialty and options in `rules`.  It refuses only what cannot be read:
 * types, unknown keys, bad dates, a duplicate member, a second component
 * of one kind or no assistant component.  What can be read is judged by
 * mutu_contract_validate, never refused here (model.md §5): a member who
 * is not a doctor of the cabinet, events before the start, a leave of a
 * doctor who is not a member then.  Returns 0 or MUTU_EINPUT with every
 * error in `errs` (file, JSON pointer, message); on failure `*out` holds
 * nothing to free. */
int mutu_contract_parse(mutu_contract *out, const mutu_rules *rules, const mutu_cabinet *cab,
			const char *text, size_t len, const char *file, mutu_errors *errs);

/* Reads and parses a whole file ("-" is stdin); MUTU_EIO when it cannot
 * be read. */
int mutu_contract_load(mutu_contract *out, const mutu_rules *rules, const mutu_cabinet *cab,
		       const char *path, mutu_errors *errs);

/* Frees what the contract owns; NULL and zeroed contracts are fine. */
void mutu_contract_free(mutu_contract *ct);

/* The first day after the contract: start + the longest component. */
mutu_date mutu_contract_end(const mutu_contract *ct);

/* The assistant time a_i of each member at the start (`a` has nmembers
 * entries): its assistant_etp when given, else an equal part of what the
 * others leave of E (E / m when nobody gives one; 0 when nothing is left). */
void mutu_contract_assistant_time(const mutu_contract *ct, double *a);

/* ---------------- validation (model.md §5) ---------------- */

typedef enum mutu_severity { MUTU_SEVERITY_ERROR = 0, MUTU_SEVERITY_WARNING } mutu_severity;

typedef struct mutu_finding {
	const char *code; /* "structure", "specialty", ... (static string) */
	mutu_severity severity;
	char path[256];       /* JSON pointer into the contract */
	char message[384];    /* one lowercase line, in English (the JSON's) */
	char message_fr[384]; /* the same in French, for the text report (the
				 English when no catalogue is found) */
} mutu_finding;

typedef struct mutu_findings {
	mutu_finding *items; /* sorted by path, then code, then discovery */
	size_t count;
	size_t cap;
} mutu_findings;

/* Checks every rule of model.md §5 and fills `out` (owned by the caller:
 * free with mutu_findings_free, also on failure).  Returns 0 or
 * MUTU_ENOMEM. */
int mutu_contract_validate(mutu_findings *out, const mutu_contract *ct, const mutu_rules *rules,
			   const mutu_cabinet *cab);

/* NULL and zeroed findings are fine. */
void mutu_findings_free(mutu_findings *f);

/* Number of findings of severity error. */
size_t mutu_findings_errors(const mutu_findings *f);

/* The findings as text (one line each) or JSON ({"contract", "valid",
 * "findings"}); the caller frees the string.  NULL when out of memory. */
char *mutu_report_findings(const mutu_contract *ct, const mutu_findings *f, mutu_format fmt);
/* The same with a language for the text (findings' JSON messages stay
 * English: they are the public interface). */
char *mutu_report_findings_with(const mutu_contract *ct, const mutu_findings *f,
				const mutu_report_options *o);

/* ---------------- achieved patients ---------------- */

typedef struct mutu_achieved_member {
	size_t doctor; /* cabinet index */
	double patients;
} mutu_achieved_member;

typedef struct mutu_achieved_year {
	int year;
	size_t index;                  /* position in the file's "years" array */
	double patients;               /* the structure's total; per member: their sum */
	mutu_achieved_member *members; /* NULL when only the total is given */
	size_t nmembers;
} mutu_achieved_year;

/* What a structure achieved, year by year: {"years": [{"year": 1,
 * "patients": 120} or {"year": 1, "members": [{"doctor", "patients"}]}]}. */
typedef struct mutu_achieved {
	char *file;
	mutu_achieved_year *years;
	size_t nyears;
} mutu_achieved;

int mutu_achieved_parse(mutu_achieved *out, const mutu_cabinet *cab, const char *text, size_t len,
			const char *file, mutu_errors *errs);
int mutu_achieved_load(mutu_achieved *out, const mutu_cabinet *cab, const char *path,
		       mutu_errors *errs);
/* NULL and zeroed files are fine. */
void mutu_achieved_free(mutu_achieved *a);

/* ---------------- simulation ---------------- */

typedef enum mutu_year_status {
	MUTU_YEAR_NOT_ASSESSED = 0, /* before achievement.check_from_year */
	MUTU_YEAR_ASSESSED,
	MUTU_YEAR_SUSPENDED /* neither paid nor assessed */
} mutu_year_status;

typedef struct mutu_sim_member {
	size_t doctor; /* cabinet index */
	double assistant_etp;
	double share;
	double patients;      /* achieved; < 0 when not known */
	double aid, aid_due;  /* individual assessment only (else 0) */
	double paid_fraction; /* individual assessment only (else 1) */
} mutu_sim_member;

typedef struct mutu_sim_year {
	int year;           /* 1-based */
	mutu_date from, to; /* first and last day */
	mutu_year_status status;
	bool changed;   /* the members differ from the year before */
	mutu_band band; /* group band (pooled basis) */
	double etp, objective;
	double patients;      /* achieved; < 0 when not known */
	double paid_fraction; /* aid_due / aid as the rules modulate it */
	double aid, aid_due;  /* undiscounted euros */
	mutu_sim_member *members;
	size_t nmembers;
} mutu_sim_year;

typedef struct mutu_simulation {
	int nyears; /* the assistant component's years */
	mutu_sim_year *years;
	double aid, aid_due; /* totals */
} mutu_simulation;

/* Whether the contract's members and events can be replayed: every member
 * and joiner a doctor of the cabinet, no event before the start, joins of
 * non-members, leaves of members, suspensions and resumptions in turn.
 * mutu_contract_validate says what is wrong when not. */
bool mutu_contract_timeline_ok(const mutu_contract *ct);

/* Simulates `ct` year by year (see solver/simulate.c for the rules it
 * applies).  A contract whose timeline is not ok is MUTU_EINPUT.  Patients achieved come from
 * `achieved` when not NULL, else `rate` x the objective (x the share, per member).  Returns 0,
 * MUTU_ENOMEM, or MUTU_EINPUT when `achieved` does not fit the contract
 * (errors in `errs`, against the achievement file).  `out` is owned by the
 * caller: free with mutu_simulation_free, also on failure. */
int mutu_contract_simulate(mutu_simulation *out, const mutu_contract *ct, const mutu_rules *rules,
			   const mutu_cabinet *cab, double rate, const mutu_achieved *achieved,
			   mutu_errors *errs);

/* NULL and zeroed simulations are fine. */
void mutu_simulation_free(mutu_simulation *sim);

/* The simulation as a text table or JSON; the caller frees the string.
 * NULL when out of memory. */
char *mutu_report_simulation(const mutu_contract *ct, const mutu_simulation *sim,
			     const mutu_rules *rules, const mutu_cabinet *cab, mutu_format fmt);
/* The same with a language for text and HTML (MUTU_FORMAT_HTML: one page,
 * see mutu/html.h). */
char *mutu_report_simulation_with(const mutu_contract *ct, const mutu_simulation *sim,
				  const mutu_rules *rules, const mutu_cabinet *cab,
				  const mutu_report_options *o);

#endif

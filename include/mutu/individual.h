/* mutu: the individual-contract engine (model.md §2): eligibility, band,
 * objective, capacity, aid and net value of every option for one doctor.
 */
#ifndef MUTU_INDIVIDUAL_H
#define MUTU_INDIVIDUAL_H

#include <stdbool.h>
#include <stddef.h>

#include "mutu/cabinet.h"
#include "mutu/rules.h"

typedef struct mutu_option_eval {
	bool allowed;                 /* zone, specialty and conditions let the doctor pick it */
	double objective;             /* t_io, patients */
	double rate;                  /* t_io / P_i as committed (the band rate, or the
					 new-installed / senior rule) */
	double *aid_by_year;          /* H undiscounted amounts, owned */
	double aid, cost, value, net; /* discounted over the horizon */
	double capacity;              /* cap_i(etp_o) */
	/* The objective on the other count under objective_metric "either"
	 * or "both" (FA for a GP: rate of that count's band x FA), -1 when the
	 * specialty owes one count only.  Under "both" it must fit that
	 * count's capacity too; under "either" it is the doctor's alternative
	 * in assessment, and the objective above stays his commitment. */
	double objective_second;
	bool feasible;
} mutu_option_eval;

typedef struct mutu_doctor_eval {
	bool eligible;
	char reason[160]; /* why not eligible, "" otherwise */
	mutu_band band;
	double value;                                    /* P_i */
	double headroom, gain_per_etp, max_new_patients; /* h_i, g_i, M_i (<0: none) */
	mutu_option_eval *options;                       /* rules->noptions entries, owned */
	long best;                                       /* option index, -1 when none */
	double best_net;                                 /* 0 when none */
	double best_objective;
	double best_etp;
	/* The other count (FA for a PMT specialty) and its band, used when the
	 * specialty's objective_metric is "either" or "both". */
	double second_value;
	mutu_band second_band;
	/* The individual assistant contract the doctor holds in force at the
	 * cabinet's contract_start, valued as if he kept it over the horizon:
	 * what leaving it to pool costs him.  `held` indexes the doctor's
	 * contracts (-1: none); `held_year` is its contract year on the start
	 * day; `held_frozen` when the rules' legacy clause applies (signed
	 * before legacy.signed_before, at least legacy.after_years old: the aid
	 * of its schedule, no new objective).  held_aid sums D_k x the option's
	 * aid in the contract's own years, held_cost S x c x etp over the years
	 * it runs (its `end` is kept), held_net = held_aid - held_cost: no new
	 * patients are counted, since a held objective was set on the count at
	 * signature, which the cabinet does not give, and a frozen one has
	 * none.  The best choice above is not changed by it (the engine
	 * answers "what would he sign now"). */
	long held;
	long held_option;
	int held_year;
	bool held_frozen;
	double held_aid, held_cost, held_net;
} mutu_doctor_eval;

/* Discount factor D_k = (1+d)^-(k-1) for k = 1..H. */
double mutu_discount(const mutu_rules *rules, int k);

/* Aid of option `o` in contract year k (1-based) for band b (model.md
 * §2), undiscounted. */
double mutu_option_aid(const mutu_option *o, int k, mutu_band b);

/* Patient-years of one new patient over the horizon (model.md §2):
 * Sv = sum_k D_k min(1, k / R) with R = `eco->ramp_years` (Sv = S when
 * R = 1).  VALUE = Sv x v x objective everywhere. */
double mutu_patient_years(const mutu_rules *rules, const mutu_economics *eco);

/* Whether doctor `d`'s metric value `p` is above the activity floor:
 * strictly above P30 (model.md §2: the texts say "more than"). */
bool mutu_above_floor(const mutu_specialty *sp, double p);

/* Evaluates one doctor of `cab`.  Returns 0 or MUTU_ENOMEM. */
int mutu_individual_eval(mutu_doctor_eval *out, const mutu_rules *rules, const mutu_cabinet *cab,
			 size_t doctor);

/* NULL and zeroed evaluations are fine. */
void mutu_doctor_eval_free(mutu_doctor_eval *ev, size_t noptions);

/* Ceiling of a patient count computed in floating point: products such
 * as 0.1 x 1200 must give 120, not 121. */
double mutu_ceil_patients(double x);

#endif

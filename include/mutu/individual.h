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
} mutu_doctor_eval;

/* Discount factor D_k = (1+d)^-(k-1) for k = 1..H. */
double mutu_discount(const mutu_rules *rules, int k);

/* Aid of option `o` in contract year k (1-based) for band b (model.md
 * §2), undiscounted. */
double mutu_option_aid(const mutu_option *o, int k, mutu_band b);

/* Evaluates one doctor of `cab`.  Returns 0 or MUTU_ENOMEM. */
int mutu_individual_eval(mutu_doctor_eval *out, const mutu_rules *rules, const mutu_cabinet *cab,
			 size_t doctor);

void mutu_doctor_eval_free(mutu_doctor_eval *ev, size_t noptions);

/* Ceiling of a patient count computed in floating point: products such
 * as 0.1 x 1200 must give 120, not 121. */
double mutu_ceil_patients(double x);

#endif

/* mutu: the HTML reports (--format html): one self-contained page each,
 * inline CSS and SVG charts, no script, nothing fetched at view time,
 * laid out for A4 paper (no chart split across pages).  Text in `lang`;
 * numbers formatted for people (114 000 €, 28,2 %), and every number a
 * test may check carried exactly in a data-value attribute.
 *
 * Each page is built from the report's own JSON (the solve tree, the
 * simulation's and the sweep's JSON read back), so that a field added to
 * the JSON shows in the page when present.  Each returns a NUL-terminated
 * string the caller frees, or NULL when out of memory.
 */
#ifndef MUTU_HTML_H
#define MUTU_HTML_H

#include <stddef.h>

#include "mutu/analysis.h"
#include "mutu/contract.h"
#include "mutu/i18n.h"
#include "mutu/sweep.h"

/* Per group: the verdict, the plan per doctor, who carries what, and the
 * aid, cost and value year by year. */
char *mutu_html_solve(const mutu_analysis *a, mutu_lang lang);

/* The contract year by year. */
char *mutu_html_simulation(const mutu_contract *ct, const mutu_simulation *sim,
			   const mutu_rules *rules, const mutu_cabinet *cab, mutu_lang lang);

/* The modalities side by side: euros per extra patient, the payer's cost
 * against the patients gained, winners and losers, deciles of the gain.
 * Sorts the gains, as mutu_sweep_report does. */
char *mutu_html_sweep(mutu_sweep *sw, mutu_lang lang);

#endif

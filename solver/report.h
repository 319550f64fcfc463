/* The reports' JSON trees, for the library modules that embed them (a
 * batch line is a solve result with its input line number first).
 * Internal to the library. */
#ifndef MUTU_REPORT_H
#define MUTU_REPORT_H

#include "jsonw.h"
#include "mutu/analysis.h"

/* The solve result of formats.md "Solve result", with a leading "line"
 * member when `line` > 0.  The caller owns the tree (mutu_jw__free or
 * mutu_jw__print); NULL when out of memory. */
jv *mutu_report__solve_tree(const mutu_analysis *a, unsigned long line);

#endif

/* mutu: calendar dates as day numbers (proleptic Gregorian). */
#ifndef MUTU_DATE_H
#define MUTU_DATE_H

#include <stdbool.h>

/* Days since 1970-01-01. */
typedef long mutu_date;

#define MUTU_DATE_NONE (-2147483647L)

/* Parses strict "YYYY-MM-DD" (years 1900..2199); false when invalid. */
bool mutu_date_parse(const char *text, mutu_date *out);

/* Writes "YYYY-MM-DD" into buf (at least 11 bytes). */
void mutu_date_format(mutu_date date, char buf[11]);

mutu_date mutu_date_from_ymd(int y, int m, int d);
void mutu_date_to_ymd(mutu_date date, int *y, int *m, int *d);

/* The `years`-th anniversary of `start`: same month and day `years`
 * later; a 29 February start falls on 28 February in common years. */
mutu_date mutu_date_add_years(mutu_date start, int years);

/* Whether `date` is an anniversary of `start` (years >= 1); *years gets
 * how many. */
bool mutu_date_is_anniversary(mutu_date start, mutu_date date, int *years);

#endif

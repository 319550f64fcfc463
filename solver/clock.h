/* Monotonic time for progress, rates and time limits.  Internal. */
#ifndef MUTU_CLOCK_H
#define MUTU_CLOCK_H

#include <time.h>

/* Seconds on a monotonic clock (not wall-clock time). */
static inline double mutu_clock_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif

/* Helpers shared by the test programs. */
#ifndef MUTU_TESTUTIL_H
#define MUTU_TESTUTIL_H

#include <math.h>
#include <stdio.h>

/* cmocka's assert_float_equal works in single precision; money over a
 * horizon needs doubles. */
#define assert_near(a, b, eps)                                                                     \
	do {                                                                                       \
		double a_ = (a), b_ = (b);                                                         \
		if (!(fabs(a_ - b_) <= (eps))) {                                                   \
			print_error("%s = %.10g, expected %.10g (within %g)\n", #a, a_, b_,        \
				    (double)(eps));                                                \
			fail();                                                                    \
		}                                                                                  \
	} while (0)

#endif

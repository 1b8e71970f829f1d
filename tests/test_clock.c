/* test_clock.c: the monotonic clock of host/base/clock.c, which times runs, sub-batches
 * and benchmarks: it is CLOCK_MONOTONIC (bracketed by direct readings), never goes
 * back, and advances by at least a sleep measured on the same clock.  No timing
 * tolerance: every bound is one the clock's definition guarantees. */
#include <criterion/criterion.h>
#include <time.h>
#include "base/clock.h"

/* CLOCK_MONOTONIC read directly, in seconds. */
static double monotonic_seconds(void)
{
    struct timespec ts;
    cr_assert_eq(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The conversion to double rounds (about 1e-16 relative): 1 ns of slack. */
#define ROUNDING 1e-9

Test(clock, is_the_monotonic_clock)
{
    for (int i = 0; i < 1000; ++i) {
        const double before = monotonic_seconds();
        const double t = hop_wall_seconds();
        const double after = monotonic_seconds();
        cr_assert(before - ROUNDING <= t && t <= after + ROUNDING,
                  "hop_wall_seconds %.9f outside CLOCK_MONOTONIC's [%.9f, %.9f]", t, before,
                  after);
    }
}

Test(clock, never_goes_back)
{
    double last = hop_wall_seconds();
    for (int i = 0; i < 100000; ++i) {
        const double t = hop_wall_seconds();
        cr_assert_geq(t, last, "reading %d: %.9f after %.9f", i, t, last);
        last = t;
    }
}

Test(clock, advances_by_at_least_a_sleep)
{
    /* clock_nanosleep on CLOCK_MONOTONIC sleeps at least the time asked, on that clock. */
    const struct timespec nap = { 0, 20000000 };   /* 20 ms */
    const double before = hop_wall_seconds();
    cr_assert_eq(clock_nanosleep(CLOCK_MONOTONIC, 0, &nap, NULL), 0);
    const double slept = hop_wall_seconds() - before;
    cr_assert_geq(slept, 0.020 - ROUNDING, "slept 20 ms, the clock advanced %.9f s", slept);
}

/* clock.c: the monotonic clock that times runs, sub-batches and benchmarks. */
#include <time.h>
#include "base/clock.h"

double hop_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* clock.h: seconds on a monotonic clock (base/clock.c). */
#ifndef HOP_BASE_CLOCK_H
#define HOP_BASE_CLOCK_H

/* Seconds on a monotonic clock, from an arbitrary origin. */
double hop_wall_seconds(void);

#endif

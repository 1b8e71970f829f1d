/* run.h: how a resolved hop_params becomes the shared step code's parameters.  Used by
 * hop_run_execute and by `hop bench`, so both run exactly the same work. */
#ifndef HOP_RUN_H
#define HOP_RUN_H

#include <stddef.h>
#include "hop/hop.h"
#include "backend/device.h"
#include "run/state.h"

/* Truncation radii (jump lengths, increasing) and the corr step parameters. */
void hop_run_corr_params(const hop_params *p, double *radius, hop_corr_params *cp);
/* Box and log-spaced time grid of the msd estimator for a box of `size` cells. */
void hop_run_msd_params(const hop_params *p, int size, hop_msd_params *mp);
#endif

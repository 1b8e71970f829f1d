/* run.h: how a resolved hop_params becomes the shared step code's parameters.  Used by
 * hop_run_execute and by `hop bench`, so both run exactly the same work. */
#ifndef HOP_RUN_H
#define HOP_RUN_H

#include <stddef.h>
#include "hop/hop.h"
#include "backend/device.h"
#include "run/state.h"

/* hop_run_corr_params, hop_run_msd_params: models/estimators.h. */
#include "models/estimators.h"
#endif

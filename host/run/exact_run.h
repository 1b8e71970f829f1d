/* exact_run.h: `hop run --estimator exact` in the run layer: which models and lattices
 * the exact solver covers, their rate tables, the radius, the memory limit (see
 * host/stats/exact.h for the method).  Wired as its own branch until the model table
 * (models/registry) lands; the lead reconciles at merge. */
#ifndef HOP_RUN_EXACT_RUN_H
#define HOP_RUN_EXACT_RUN_H

#include <stddef.h>
#include "hop/hop.h"
#include "stats/exact.h"

#define HOP_EXACT_DEFAULT_MAX_BYTES (2.0 * 1073741824.0)
#define HOP_EXACT_RUN_RADII 5         /* boxes extrapolated over */

/* Check that p asks for something the exact solver covers: the vacancy model on any
 * lattice (per-jump rates included) or the solute model (fcc five-frequency, bcc Le
 * Claire); no replicas, backends or physical units.  HOP_ERR_INVAL with one line in
 * msg otherwise. */
hop_status hop_exact_run_check(const hop_params *p, char *msg, size_t msg_len);

/* Solve: radius p->radius (jump lengths; 0: hop_exact_default_radius), five radii,
 * at most max_bytes of memory.  Statuses as hop_exact_solve. */
hop_status hop_exact_run(const hop_params *p, double max_bytes, hop_exact_result *r);

#endif

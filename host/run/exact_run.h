/* exact_run.h: `hop run --estimator exact` in the run layer: which models and lattices
 * the exact solver covers, their rate tables, the radius, the memory limit (see
 * host/stats/exact.h for the method).  No replicas: `hop run` and `hop scan` call it
 * instead of the rounds loop; the model table says which models it covers. */
#ifndef HOP_RUN_EXACT_RUN_H
#define HOP_RUN_EXACT_RUN_H

#include <stddef.h>
#include "hop/hop.h"
#include "stats/exact.h"

#define HOP_EXACT_DEFAULT_MAX_BYTES (2.0 * 1073741824.0)
#define HOP_EXACT_RUN_RADII 5         /* boxes extrapolated over */

/* Check that p asks for something the exact solver covers: the vacancy model on any
 * lattice (per-jump rates included) or the solute model (fcc five-frequency, bcc Le
 * Claire); no replicas or backends.  Physical units are checked and resolved in p as a
 * corr run resolves them (the model's exact_check: Q_f, Q_m, the solute's rates from
 * its barriers).  HOP_ERR_INVAL with one line in msg otherwise. */
hop_status hop_exact_run_check(hop_params *p, char *msg, size_t msg_len);

/* What the model derives from the exact f through its table (apply, then columns): the
 * solute's Manning f2 and D2/X_v, NaN for a model without them.  `tracer` names the
 * correlation factor: "f2" where the model has a solute (D2/X_v defined), else "f".
 * With physical units (p->physical) `phys` is what the model's apply makes of a corr
 * run whose f is the exact f with sigma 0 and bias the extrapolation's bound (the
 * formula of a corr run, so the bound propagates as a bias does): D_star is D* (the
 * vacancy model) or D2 (the solute), D_star.bias its bound; D0_bound is D0's. */
typedef struct {
    double f2_manning, D2_over_Xv;
    int solute;
    const char *tracer;
    int physical;
    hop_physical phys;
    double D0_bound;
} hop_exact_derived;
void hop_exact_derive(const hop_params *p, const hop_exact_result *r, hop_exact_derived *d);

/* Solve: radius p->radius (jump lengths; 0: hop_exact_default_radius), five radii,
 * at most max_bytes of memory; cache (stats/exact.h; NULL: one for this call) keeps
 * what later calls on the same lattice and radius reuse (a scan passes one).
 * Statuses as hop_exact_solve. */
hop_status hop_exact_run(const hop_params *p, double max_bytes, hop_exact_cache *cache,
                         hop_exact_result *r);

#endif

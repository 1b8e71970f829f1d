/* state.h: the state of a run in rounds: how far each phase got and its integer
 * statistics.  The rounds loop (run/run.c) fills it; checkpoints (run/checkpoint.c) save
 * and load it. */
#ifndef HOP_RUN_STATE_H
#define HOP_RUN_STATE_H

#include "hop/hop.h"
#include "models/model.h"

/* A run's state.  Phase 0 is the run itself (corr, or msd's box); phase 1 is msd's
 * smaller companion box, run for the replicas phase 0 ended with (phase1_for; the
 * companion runs a whole multiple of them, models/model.h). */
typedef struct {
    int phase;                  /* 0 or 1 */
    uint64_t done[2];           /* replicas finished in each phase */
    uint64_t phase1_for;        /* msd: phase 0's replicas that phase 1 runs for */
    int batches;                /* device batches so far */
    double compute_s;           /* seconds spent computing so far, all sessions */
    hop_corr_counts *counts;    /* corr: the tallies (caller-owned) */
    hop_msd_accum *acc[2];      /* msd: per phase (caller-owned, allocated to the params) */
} hop_checkpoint_state;

/* The zeroed statistics of a run of resolved p in st (corr tallies; msd's two boxes;
 * the gas's one), as the rounds loop and checkpoints hold them: the shape of p's
 * estimator (models/model.h).  HOP_OK, HOP_ERR_NOMEM, or HOP_ERR_INVAL when p's model
 * does not offer its estimator (nothing reported; st then safe to free).  _free: NULL members are
 * fine; st is zeroed. */
hop_status hop_run_state_alloc(const hop_params *p, hop_checkpoint_state *st);
void hop_run_state_free(hop_checkpoint_state *st);

#endif

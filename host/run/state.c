/* state.c: a run's state (run/state.h) allocated to the shape its parameters ask for:
 * corr's tallies, or the two boxes' accumulators of msd and the lattice gas. */
#include <stdlib.h>
#include <string.h>
#include "run/state.h"
#include "hop/gas.h"

hop_status hop_run_state_alloc(const hop_params *p, hop_checkpoint_state *ck)
{
    const hop_lattice *L = p->lattice;
    memset(ck, 0, sizeof *ck);
    if (p->estimator == HOP_EST_CORR) {
        if (!(ck->counts = malloc(sizeof *ck->counts)))
            return HOP_ERR_NOMEM;
        hop_corr_counts_init(ck->counts, L->n_sub * L->z, p->shells);
        return HOP_OK;
    }
    {
        const int groups = L->n_groups + (p->model == HOP_MODEL_GAS ? HOP_GAS_EXTRA_SERIES : 0);
        ck->acc[0] = hop_msd_accum_alloc(p->n_times, groups);
        ck->acc[1] = hop_msd_accum_alloc(p->n_times, groups);
    }
    return ck->acc[0] && ck->acc[1] ? HOP_OK : HOP_ERR_NOMEM;
}

void hop_run_state_free(hop_checkpoint_state *ck)
{
    free(ck->counts);
    hop_msd_accum_free(ck->acc[0]);
    hop_msd_accum_free(ck->acc[1]);
    memset(ck, 0, sizeof *ck);
}

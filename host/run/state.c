/* state.c: a run's state (run/state.h) allocated to the shape its estimator asks for
 * (models/model.h, hop_state_shape): corr's tallies, or the two boxes' row accumulators
 * of msd and the lattice gas. */
#include <stdlib.h>
#include <string.h>
#include "run/state.h"

hop_status hop_run_state_alloc(const hop_params *p, hop_checkpoint_state *ck)
{
    const hop_estimator_ops *e = hop_model_estimator(p);
    hop_state_shape shape;
    memset(ck, 0, sizeof *ck);
    if (!e)
        return HOP_ERR_INVAL;
    e->shape(p, &shape);
    if (shape.corr_types > 0) {
        ck->counts = hop_corr_counts_alloc(shape.corr_types, shape.corr_shells);
        return ck->counts ? HOP_OK : HOP_ERR_NOMEM;
    }
    ck->acc[0] = hop_msd_accum_alloc(shape.row_times, shape.row_groups);
    ck->acc[1] = hop_msd_accum_alloc(shape.row_times, shape.row_groups);
    return ck->acc[0] && ck->acc[1] ? HOP_OK : HOP_ERR_NOMEM;
}

void hop_run_state_free(hop_checkpoint_state *ck)
{
    free(ck->counts);
    hop_msd_accum_free(ck->acc[0]);
    hop_msd_accum_free(ck->acc[1]);
    memset(ck, 0, sizeof *ck);
}

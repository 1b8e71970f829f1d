/* gas_job.c: the accumulator of a lattice-gas run (backend/gas_job.h). */
#include "backend/gas_job.h"

hop_msd_accum *hop_gas_accum_alloc(const hop_lattice *L, const hop_gas_params *p)
{
    /* hop_msd_accum keeps 2 + n_groups series; the gas has HOP_GAS_EXTRA_SERIES more
     * (vacancy, pairs, the wide slabs, the two widths' difference). */
    return hop_msd_accum_alloc(p->n_times, L->n_groups + HOP_GAS_EXTRA_SERIES);
}

/* cpu_gas.c: the CPU backend of the lattice gas (see backend/cpu.h): OpenMP
 * over replicas around the shared step code of include/hop/gas.h.  Each thread owns a
 * workspace (occupancy, movers, displacements and the movers' target table: about 18 +
 * 4 z min(c, 1 - c) bytes per site, in cache for the default 512-site box) and private
 * integer accumulators, merged at the end in any order (integer sums). */
#include <omp.h>
#include <stdlib.h>
#include "backend/cpu.h"
#include "backend/gas_job.h"

#if defined(__GNUC__)
#  define HOP_NOINLINE __attribute__((noinline))
#else
#  define HOP_NOINLINE
#endif
#define GAS_CHUNK 4

/* Replicas [begin, end) on private copies of the lattice and parameters (so the
 * compiler keeps them out of memory it must reload after every store). */
static HOP_NOINLINE void gas_chunk(const hop_lattice *L, const hop_gas_model *m, uint64_t seed,
                                   uint64_t begin, uint64_t end, hop_gas_work *w, int64_t *row,
                                   hop_msd_accum *acc)
{
    const hop_lattice lat = *L;
    const hop_gas_params par = m->gp;
    const hop_gas_box box = m->box;
    hop_gas_work work = *w;
    work.stride = 1;
    for (uint64_t r = begin; r < end; ++r) {
        hop_gas_replica_run(&lat, &par, &box, seed, r, &work, row, 1);   /* with targets */
        hop_msd_accum_add(acc, row);
    }
}

hop_status hop_cpu_gas(const hop_lattice *L, const hop_gas_model *m, uint64_t seed,
                       uint64_t first, uint64_t count, int threads, int *used,
                       hop_msd_accum *acc)
{
    const int nt = threads > 0 ? threads : omp_get_max_threads();
    const hop_gas_params *gp = &m->gp;
    hop_status status = HOP_OK;
    #pragma omp parallel num_threads(nt)
    {
        hop_msd_accum *mine = hop_gas_accum_alloc(L, gp);
        int64_t *row = malloc(HOP_GAS_MAX_ROW * sizeof *row);
        int32_t *space = malloc(hop_gas_work_ints(gp, L->z, 1) * sizeof *space);
        hop_gas_work w;
        int ok = mine && row && space;
        if (ok)
            hop_gas_work_carve(gp, 1, space, &w);
        #pragma omp single
        *used = omp_get_num_threads();
        #pragma omp for schedule(dynamic, 1)
        for (uint64_t c = 0; c < (count + GAS_CHUNK - 1) / GAS_CHUNK; ++c)
            if (ok) {
                const uint64_t begin = first + c * GAS_CHUNK;
                const uint64_t end = begin + GAS_CHUNK < first + count ? begin + GAS_CHUNK
                                                                        : first + count;
                gas_chunk(L, m, seed, begin, end, &w, row, mine);
            }
        #pragma omp critical(hop_cpu_merge)
        {
            if (ok)
                hop_msd_accum_merge(acc, mine);
            else
                status = HOP_ERR_NOMEM;
        }
        hop_msd_accum_free(mine);
        free(row);
        free(space);
    }
    return status;
}

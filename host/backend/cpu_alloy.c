/* cpu_alloy.c: the CPU backend of the concentrated alloy (see backend/cpu.h): OpenMP over
 * replicas around the shared step code of include/hop/alloy.h.  Each thread owns a
 * workspace (about 20 bytes per site: in cache for the default 512-site box) and private
 * integer accumulators, merged at the end in any order (integer sums), so the result
 * does not depend on the thread count or the schedule. */
#include <omp.h>
#include <stdlib.h>
#include "backend/cpu.h"

#if defined(__GNUC__)
#  define HOP_NOINLINE __attribute__((noinline))
#else
#  define HOP_NOINLINE
#endif
#define ALLOY_CHUNK 4

/* Replicas [begin, end) on private copies of the lattice, parameters and box (so the
 * compiler keeps them out of memory it must reload after every store). */
static HOP_NOINLINE void alloy_chunk(const hop_lattice *L, const hop_alloy_params *ap,
                                     const hop_gas_box *box, uint64_t seed, uint64_t begin,
                                     uint64_t end, hop_alloy_work *w, int64_t *row,
                                     hop_msd_accum *acc)
{
    const hop_lattice lat = *L;
    const hop_alloy_params par = *ap;
    const hop_gas_box b = *box;
    hop_alloy_work work = *w;
    for (uint64_t r = begin; r < end; ++r) {
        hop_alloy_replica(&lat, &par, &b, seed, r, &work, row);
        hop_msd_accum_add(acc, row);
    }
}

hop_status hop_cpu_alloy(const hop_lattice *L, const hop_alloy_params *ap, const hop_gas_box *box,
                         uint64_t seed, uint64_t first, uint64_t count, int threads, int *used,
                         hop_msd_accum *acc)
{
    const int nt = threads > 0 ? threads : omp_get_max_threads();
    const int series = hop_alloy_row_series(ap);
    hop_status status = HOP_OK;
    #pragma omp parallel num_threads(nt)
    {
        hop_msd_accum *mine = hop_msd_accum_alloc(ap->n_times, series - HOP_SERIES_GROUP0);
        int64_t *row = malloc((size_t)hop_alloy_row_len(ap) * sizeof *row);
        void *space = malloc(hop_alloy_work_bytes(ap));
        hop_alloy_work w;
        const int ok = mine && row && space;
        if (ok)
            hop_alloy_work_carve(ap, space, &w);
        #pragma omp single
        *used = omp_get_num_threads();
        #pragma omp for schedule(dynamic, 1)
        for (uint64_t c = 0; c < (count + ALLOY_CHUNK - 1) / ALLOY_CHUNK; ++c)
            if (ok) {
                const uint64_t begin = first + c * ALLOY_CHUNK;
                const uint64_t end = begin + ALLOY_CHUNK < first + count ? begin + ALLOY_CHUNK
                                                                          : first + count;
                alloy_chunk(L, ap, box, seed, begin, end, &w, row, mine);
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

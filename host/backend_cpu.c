/* backend_cpu.c: OpenMP driver of the CPU backend (see backend_cpu.h).  Each thread
 * accumulates into private integer counters, merged at the end; integer addition is
 * associative, so the merge order does not matter. */
#include <omp.h>
#include <stdlib.h>
#include "backend_cpu.h"

static int thread_count(int threads)
{
    return threads > 0 ? threads : omp_get_max_threads();
}

hop_status hop_cpu_corr(const hop_lattice *L, const hop_corr_params *p, uint64_t seed,
                        uint64_t first, uint64_t count, int threads, int *used,
                        hop_corr_counts *counts)
{
    const int nt = thread_count(threads);
    hop_status status = HOP_OK;
    #pragma omp parallel num_threads(nt)
    {
        hop_corr_counts *mine = malloc(sizeof *mine);
        int ok = mine != NULL;
        if (ok)
            hop_corr_counts_init(mine, counts->n_types, counts->n_shells);
        #pragma omp single
        *used = omp_get_num_threads();
        #pragma omp for schedule(dynamic, 1024)
        for (uint64_t r = first; r < first + count; ++r) {
            hop_corr_outcome o;
            if (!ok) continue;
            hop_corr_replica(L, p, seed, r, &o);
            hop_corr_counts_add(mine, &o);
        }
        #pragma omp critical(hop_cpu_merge)
        {
            if (ok)
                hop_corr_counts_merge(counts, mine);
            else
                status = HOP_ERR_NOMEM;
        }
        free(mine);
    }
    return status;
}

hop_status hop_cpu_msd(const hop_lattice *L, const hop_msd_params *p, uint64_t seed,
                       uint64_t first, uint64_t count, int threads, int *used,
                       hop_msd_accum *acc)
{
    const int nt = thread_count(threads);
    hop_status status = HOP_OK;
    #pragma omp parallel num_threads(nt)
    {
        hop_msd_accum *mine = hop_msd_accum_alloc(acc->n_times, acc->n_series - HOP_SERIES_GROUP0);
        hop_msd_sample *sample = malloc(sizeof *sample);
        int ok = mine && sample;
        #pragma omp single
        *used = omp_get_num_threads();
        #pragma omp for schedule(dynamic, 16)
        for (uint64_t r = first; r < first + count; ++r) {
            if (!ok) continue;
            hop_msd_replica(L, p, seed, r, sample);
            hop_msd_accum_add(mine, L, sample);
        }
        #pragma omp critical(hop_cpu_merge)
        {
            if (ok)
                hop_msd_accum_merge(acc, mine);
            else
                status = HOP_ERR_NOMEM;
        }
        hop_msd_accum_free(mine);
        free(sample);
    }
    return status;
}

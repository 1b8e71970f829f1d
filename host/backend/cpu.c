/* cpu.c: OpenMP driver of the CPU backend's corr estimator, and the msd estimator's chunk
 * (run by the row driver, backend/cpu_rows.h) -- see backend/cpu.h.  Each thread
 * accumulates into private integer counters, merged at the end; integer addition is
 * associative, so the merge order does not matter. */
#include <omp.h>
#include <stdlib.h>
#include "backend/cpu.h"
#include "backend/cpu_rows.h"

/* Replicas are handed to threads in chunks.  Each chunk works on private copies of the
 * lattice and parameters: the compiler then knows no store in the loop can change them
 * and keeps the step loop's tables and state in registers (measured 16 % faster on sc
 * than reading them through the caller's pointers). */
/* Chunks stay separate functions rather than being inlined into the OpenMP body
 * (a few per cent faster on sc, within run-to-run noise; kept for stable codegen). */
#if defined(__GNUC__)
#  define HOP_NOINLINE __attribute__((noinline))
#else
#  define HOP_NOINLINE
#endif
#define CORR_CHUNK 1024
#define MSD_CHUNK 16

static int thread_count(int threads)
{
    return threads > 0 ? threads : omp_get_max_threads();
}

static HOP_NOINLINE void corr_chunk(const hop_lattice *L, const hop_corr_params *p, uint64_t seed,
                       uint64_t begin, uint64_t end, hop_corr_counts *counts)
{
    const hop_lattice lat = *L;
    const hop_corr_params par = *p;
    for (uint64_t r = begin; r < end; ++r) {
        hop_corr_outcome o;
        hop_corr_replica(&lat, &par, seed, r, &o);
        hop_corr_counts_add(counts, &o);
    }
}

typedef struct {
    const hop_lattice *L;
    const hop_msd_params *p;
} msd_job;

static HOP_NOINLINE void msd_chunk(const void *job, uint64_t seed, uint64_t begin, uint64_t end,
                                   void *work, int64_t *row, hop_msd_accum *acc)
{
    const msd_job *j = job;
    const hop_lattice lat = *j->L;
    const hop_msd_params par = *j->p;
    (void)work;
    for (uint64_t r = begin; r < end; ++r) {
        hop_msd_replica(&lat, &par, seed, r, row);
        hop_msd_accum_add(acc, row);
    }
}

static uint64_t chunk_end(uint64_t first, uint64_t count, uint64_t chunk, uint64_t size)
{
    uint64_t end = first + (chunk + 1) * size;
    return end < first + count ? end : first + count;
}

hop_status hop_cpu_corr(const hop_lattice *L, const hop_corr_params *p, uint64_t seed,
                        uint64_t first, uint64_t count, int threads, int *used,
                        hop_corr_counts *counts)
{
    const int nt = thread_count(threads);
    hop_status status = HOP_OK;
    #pragma omp parallel num_threads(nt)
    {
        hop_corr_counts *mine = hop_corr_counts_alloc(counts->n_types, counts->n_shells);
        int ok = mine != NULL;
        #pragma omp single
        *used = omp_get_num_threads();
        #pragma omp for schedule(dynamic, 1)
        for (uint64_t c = 0; c < (count + CORR_CHUNK - 1) / CORR_CHUNK; ++c)
            if (ok)
                corr_chunk(L, p, seed, first + c * CORR_CHUNK,
                           chunk_end(first, count, c, CORR_CHUNK), mine);
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
    const msd_job job = {L, p};
    const hop_cpu_rows rows = {msd_chunk, &job, 0, HOP_MSD_MAX_ROW, MSD_CHUNK};
    return hop_cpu_rows_run(&rows, seed, first, count, threads, used, acc);
}

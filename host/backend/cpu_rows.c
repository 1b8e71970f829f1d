/* cpu_rows.c: the OpenMP driver of the CPU backend's row models (see backend/cpu_rows.h). */
#include <omp.h>
#include <stdlib.h>
#include "backend/cpu_rows.h"
#include "hop/step.h"

hop_status hop_cpu_rows_run(const hop_cpu_rows *rows, uint64_t seed, uint64_t first,
                            uint64_t count, int threads, int *used, hop_msd_accum *acc)
{
    const int nt = threads > 0 ? threads : omp_get_max_threads();
    const uint64_t chunk = rows->chunk, chunks = (count + chunk - 1) / chunk;
    hop_status status = HOP_OK;
    #pragma omp parallel num_threads(nt)
    {
        hop_msd_accum *mine = hop_msd_accum_alloc(acc->n_times, acc->n_series - HOP_SERIES_GROUP0);
        int64_t *row = malloc(rows->row_len * sizeof *row);
        void *work = rows->work_bytes ? malloc(rows->work_bytes) : NULL;
        const int ok = mine && row && (work || !rows->work_bytes);
        #pragma omp single
        *used = omp_get_num_threads();
        #pragma omp for schedule(dynamic, 1)
        for (uint64_t c = 0; c < chunks; ++c)
            if (ok) {
                const uint64_t begin = first + c * chunk;
                const uint64_t end = count - c * chunk > chunk ? begin + chunk : first + count;
                rows->run(rows->job, seed, begin, end, work, row, mine);
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
        free(work);
    }
    return status;
}

/* cpu_rows.h: the one OpenMP driver of the CPU backend's row models -- the msd
 * estimator, the lattice gas and the alloy, each replica of which ends in one row of
 * integer displacement statistics added to an hop_msd_accum.  A model gives a chunk
 * runner and its per-thread sizes; the driver hands chunks of replicas to the threads,
 * each with its own workspace, row and integer accumulators, merged at the end in any
 * order (integer sums), so the result does not depend on the thread count or schedule. */
#ifndef HOP_BACKEND_CPU_ROWS_H
#define HOP_BACKEND_CPU_ROWS_H

#include <stddef.h>
#include <stdint.h>
#include "stats/msd.h"

/* Run replicas [begin, end) of job from stream seed, adding their rows to acc: work is
 * the thread's workspace (work_bytes, 8-byte aligned; NULL when 0) and row its row. */
typedef void hop_cpu_chunk_fn(const void *job, uint64_t seed, uint64_t begin, uint64_t end,
                              void *work, int64_t *row, hop_msd_accum *acc);

typedef struct {
    hop_cpu_chunk_fn *run;
    const void *job;            /* what run needs: lattice, step parameters, box */
    size_t work_bytes;          /* workspace per thread; 0: none */
    size_t row_len;             /* int64 entries of one row */
    uint64_t chunk;             /* replicas a thread takes at a time */
} hop_cpu_rows;

/* Run replicas [first, first + count) of rows over threads (<= 0: all available),
 * adding to *acc (each thread's accumulators have its shape); the threads used in *used.
 * HOP_ERR_NOMEM when a thread's buffers could not be allocated (acc then partial). */
hop_status hop_cpu_rows_run(const hop_cpu_rows *rows, uint64_t seed, uint64_t first,
                            uint64_t count, int threads, int *used, hop_msd_accum *acc);

#endif

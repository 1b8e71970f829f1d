/* grid.cuh: grid sizes for hop's kernels.  Replica kernels loop over their replicas
 * with a grid stride, so a grid that fills the device once (resident blocks per
 * multiprocessor times multiprocessors) is enough; fewer when there is less work. */
#ifndef HOP_KERNELS_GRID_CUH
#define HOP_KERNELS_GRID_CUH

#include "check.h"

/* Blocks of `threads` threads for `count` items of `kernel` with `shared` bytes of
 * dynamic shared memory. */
template <typename Kernel>
static hop_status hop_grid_blocks(Kernel kernel, int threads, size_t shared, uint64_t count,
                                  int *blocks)
{
    int device = 0, sms = 0, per_sm = 0;
    uint64_t needed = (count + (uint64_t)threads - 1) / (uint64_t)threads;
    HOP_CUDA_CHECK(cudaGetDevice(&device));
    HOP_CUDA_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device));
    HOP_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, kernel, threads, shared));
    if (per_sm < 1)
        per_sm = 1;
    *blocks = (int)(needed < (uint64_t)sms * per_sm ? needed : (uint64_t)sms * per_sm);
    if (*blocks < 1)
        *blocks = 1;
    return HOP_OK;
}

#endif

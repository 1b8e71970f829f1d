/* alloy.cu: the concentrated alloy on the GPU (see launch.h), the shared step code of
 * include/hop/alloy.h writing one row per replica; the rows are summed by the msd
 * reduction kernel (msd.cu), whose entries are the alloy series' as well.
 *
 * Layout: one replica per thread, run sequentially by that thread.  A replica's
 * exchanges form one Philox stream (seed, replica) consumed in order, the only way the
 * GPU makes the CPU's choices bit for bit (a replica updated by several threads would be
 * another, parallel dynamics).  The replica's arrays (occupancy, species, displacements,
 * vacancy positions and rates: about 28 bytes a site) are contiguous per thread in device
 * memory; the box tables and the parameters are shared by all replicas and read through
 * the read-only cache.  kernels/README.md says why this layout first and what is to be
 * measured (one replica per block is the alternative). */
#include "hop_curand.cuh"
#include "grid.cuh"
#include "launch.h"
#include "hop/alloy.h"

#define HOP_ALLOY_THREADS 128

__global__ void __launch_bounds__(HOP_ALLOY_THREADS)
hop_alloy_rows_kernel(const hop_lattice *lattice, const hop_alloy_params *p,
                      const int32_t *__restrict__ nbr, const int8_t *__restrict__ sub,
                      uint64_t seed, uint64_t first, uint64_t count, int row_len,
                      int64_t *rows, char *work, size_t work_bytes)
{
    const uint64_t threads = (uint64_t)gridDim.x * blockDim.x;
    const uint64_t t = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x;
    hop_gas_box box;
    hop_alloy_work w;
    box.nbr = nbr;
    box.sub = sub;
    box.block = NULL;
    hop_alloy_work_carve(p, work + t * work_bytes, &w);
    for (uint64_t i = t; i < count; i += threads)
        hop_alloy_replica(lattice, p, &box, seed, first + i, &w, rows + i * (uint64_t)row_len);
}

extern "C" hop_status hop_cuda_alloy_threads(uint64_t count, uint64_t *threads)
{
    int blocks = 0;
    hop_status s = hop_grid_blocks(hop_alloy_rows_kernel, HOP_ALLOY_THREADS, 0, count, &blocks);
    *threads = (uint64_t)blocks * HOP_ALLOY_THREADS;
    return s;
}

extern "C" hop_status hop_cuda_alloy_rows(const hop_lattice *d_lattice, const hop_alloy_params *d_p,
                                          const int32_t *d_nbr, const int8_t *d_sub, uint64_t seed,
                                          uint64_t first, uint64_t count, int row_len,
                                          int64_t *d_rows, char *d_work, size_t work_bytes,
                                          uint64_t threads)
{
    const int blocks = (int)((threads + HOP_ALLOY_THREADS - 1) / HOP_ALLOY_THREADS);
    if (count == 0)
        return HOP_OK;
    HOP_CUDA_CHECK_LAUNCH((hop_alloy_rows_kernel<<<blocks, HOP_ALLOY_THREADS>>>(
        d_lattice, d_p, d_nbr, d_sub, seed, first, count, row_len, d_rows, d_work, work_bytes)));
    return HOP_OK;
}

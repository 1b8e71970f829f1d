/* msd.cu: the msd estimator on the GPU (see launch.h), in two kernels.
 *
 * hop_msd_rows_kernel: one replica per thread (grid stride), the shared step code
 * writing the replica's row of integer series (step.h) to a batch buffer in device
 * memory.  All replicas of a run take the same number of steps, so the lanes of a warp
 * stay together.
 *
 * hop_msd_reduce_kernel: sums of the rows and of products of their entries, the
 * accumulators of include/hop/msd_reduce.h.  Thread (entry e, chunk c) sums entry e's
 * terms over the rows of chunk c in a 128-bit register and adds the result to the
 * global accumulator as two 64-bit atomic additions with carry (hop_u128_high_part):
 * exact, so the bits do not depend on the chunking or the order of the atomics. */
#include "hop_curand.cuh"
#include "grid.cuh"
#include "launch.h"
#include "shared_lattice.cuh"
#include "hop/msd_reduce.h"

#define HOP_MSD_THREADS 128
#define HOP_REDUCE_THREADS 128
#define HOP_REDUCE_MIN_CHUNK 256      /* rows per reduction thread, at least */
#define HOP_REDUCE_MAX_CHUNKS 65535   /* gridDim.y limit */

__global__ void __launch_bounds__(HOP_MSD_THREADS)
hop_msd_rows_kernel(const hop_lattice *g_lattice, const __grid_constant__ hop_msd_params p, uint64_t seed,
                    uint64_t first, uint64_t count, int row_len, int64_t *rows)
{
    __shared__ hop_lattice L;
    __shared__ hop_msd_params P;      /* the solute model's rate weights, indexed per lane */
    const uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
    hop_lattice_to_shared(g_lattice, &L);
    hop_params_to_shared(&p, &P);
    __syncthreads();
    for (uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += stride)
        hop_msd_replica(&L, &P, seed, first + i, rows + i * (uint64_t)row_len);
}

__global__ void __launch_bounds__(HOP_REDUCE_THREADS)
hop_msd_reduce_kernel(const int64_t *rows, int row_len, uint64_t count, int S, int K,
                      uint64_t chunk, unsigned long long *words)
{
    const int e = blockIdx.x * blockDim.x + threadIdx.x;
    const uint64_t r0 = (uint64_t)blockIdx.y * chunk;
    const uint64_t r1 = r0 + chunk < count ? r0 + chunk : count;
    hop_entry x;
    hop_i128 acc = 0;
    unsigned long long old;
    if (e >= hop_msd_entries(S, K))
        return;
    x = hop_msd_entry(S, K, e);
    if (x.kind == HOP_ENTRY_SQUARE && x.i > x.j)
        return;                                   /* the lower triangle stays 0 */
    for (uint64_t r = r0; r < r1; ++r)
        acc += hop_msd_entry_term(rows + r * (uint64_t)row_len, S, K, x);
    if (acc == 0)
        return;
    old = atomicAdd(&words[2 * e], (unsigned long long)(uint64_t)acc);
    atomicAdd(&words[2 * e + 1], (unsigned long long)hop_u128_high_part(acc, old));
}

extern "C" hop_status hop_cuda_msd_rows(const hop_lattice *d_lattice, const hop_msd_params *p,
                                        uint64_t seed, uint64_t first, uint64_t count,
                                        int row_len, int64_t *d_rows)
{
    int blocks = 0;
    hop_status s;
    if (count == 0)
        return HOP_OK;
    if ((s = hop_grid_blocks(hop_msd_rows_kernel, HOP_MSD_THREADS, 0, count, &blocks)) != HOP_OK)
        return s;
    HOP_CUDA_CHECK_LAUNCH((hop_msd_rows_kernel<<<blocks, HOP_MSD_THREADS>>>(
        d_lattice, *p, seed, first, count, row_len, d_rows)));
    return HOP_OK;
}

extern "C" hop_status hop_cuda_msd_wave(uint64_t *replicas)
{
    int blocks = 0;
    hop_status s = hop_grid_blocks(hop_msd_rows_kernel, HOP_MSD_THREADS, 0, UINT64_MAX / 2,
                                   &blocks);
    *replicas = (uint64_t)blocks * HOP_MSD_THREADS;
    return s;
}

extern "C" hop_status hop_cuda_msd_reduce(const int64_t *d_rows, int row_len, uint64_t count,
                                          int n_series, int n_times, uint64_t *d_words)
{
    const int entries = hop_msd_entries(n_series, n_times);
    uint64_t chunk = (count + HOP_REDUCE_MAX_CHUNKS - 1) / HOP_REDUCE_MAX_CHUNKS;
    dim3 grid;
    if (count == 0)
        return HOP_OK;
    if (chunk < HOP_REDUCE_MIN_CHUNK)
        chunk = HOP_REDUCE_MIN_CHUNK;
    grid.x = (unsigned)((entries + HOP_REDUCE_THREADS - 1) / HOP_REDUCE_THREADS);
    grid.y = (unsigned)((count + chunk - 1) / chunk);
    grid.z = 1;
    HOP_CUDA_CHECK_LAUNCH((hop_msd_reduce_kernel<<<grid, HOP_REDUCE_THREADS>>>(
        d_rows, row_len, count, n_series, n_times, chunk, (unsigned long long *)d_words)));
    return HOP_OK;
}

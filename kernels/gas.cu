/* gas.cu: the many-body lattice gas on the GPU (see launch.h), the shared step code of
 * include/hop/gas.h writing one row per replica; the rows are summed by the msd
 * reduction kernel (msd.cu), whose entries are the gas series' as well.
 *
 * Layout.  One replica per thread, run sequentially by that thread: a replica's attempts
 * form one Philox stream (seed, replica) consumed in order, the only way the GPU can make
 * the CPU's choices bit for bit (a replica updated by several threads at once would be a
 * different, parallel dynamics).  A thread's occupancy and mover positions, touched at
 * random sites on every attempt, live in shared memory, interleaved across the block
 * (entry s of lane t at s * blockDim + t): the 32 lanes of a warp then always read 32
 * distinct banks, whatever sites they pick.  Displacements, touched only by accepted
 * jumps and at the time points, stay in device memory, contiguous per thread.  The box
 * tables (neighbours, sublattices, blocks of cell planes) are shared by all replicas and
 * read through the read-only cache.  When a replica's occupancy does not fit 32 threads'
 * worth of shared memory, everything goes to device memory instead (same code, stride 1).  See
 * kernels/README.md for what remains to be measured. */
#include "hop_curand.cuh"
#include "grid.cuh"
#include "launch.h"
#include "shared_lattice.cuh"
#include "hop/gas.h"

#define HOP_GAS_MAX_THREADS 128

__global__ void __launch_bounds__(HOP_GAS_MAX_THREADS)
hop_gas_rows_kernel(const hop_lattice *g_lattice, const __grid_constant__ hop_gas_params p,
                    const int32_t *__restrict__ nbr, const int8_t *__restrict__ sub,
                    const uint16_t *__restrict__ block, uint64_t seed, uint64_t first,
                    uint64_t count, int row_len, int64_t *rows,
                    int32_t *work, int layout)
{
    extern __shared__ int32_t s_state[];
    __shared__ hop_lattice L;
    const uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
    const uint64_t me = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x;
    hop_gas_box box;
    hop_gas_work w;
    box.nbr = nbr;
    box.sub = sub;
    box.block = block;
    w.target = NULL;             /* no target table on the GPU (include/hop/gas.h) */
    if (layout == HOP_GAS_LAYOUT_SHARED) {
        w.occ = s_state + threadIdx.x;
        w.pos = s_state + (size_t)p.n_sites * blockDim.x + threadIdx.x;
        w.stride = (int32_t)blockDim.x;
        w.disp = work + me * 3 * (uint64_t)p.n_sites;
    } else if (layout == HOP_GAS_LAYOUT_STRIPED) {
        /* entry s of thread t at s * stride + t, then the displacements per thread */
        w.occ = work + me;
        w.pos = work + (uint64_t)p.n_sites * stride + me;
        w.stride = (int32_t)stride;
        w.disp = work + ((uint64_t)p.n_sites + (uint64_t)p.n_movers) * stride
                 + me * 3 * (uint64_t)p.n_sites;
    } else {
        int32_t *mine = work + me * (4 * (uint64_t)p.n_sites + (uint64_t)p.n_movers);
        w.occ = mine;
        w.pos = mine + p.n_sites;
        w.disp = mine + p.n_sites + p.n_movers;
        w.stride = 1;
    }
    hop_lattice_to_shared(g_lattice, &L);
    __syncthreads();
    for (uint64_t i = me; i < count; i += stride)
        hop_gas_replica(&L, &p, &box, seed, first + i, &w, rows + i * (uint64_t)row_len);
}

extern "C" hop_status hop_cuda_gas_grid(const hop_gas_params *p, uint64_t count, int layout,
                                        hop_gas_grid *g)
{
    const size_t per_thread = 4 * ((size_t)p->n_sites + (size_t)p->n_movers);
    int device = 0, max_shared = 0, fit = 0;
    HOP_CUDA_CHECK(cudaGetDevice(&device));
    HOP_CUDA_CHECK(cudaDeviceGetAttribute(&max_shared, cudaDevAttrMaxSharedMemoryPerBlockOptin,
                                          device));
    fit = (int)((size_t)max_shared / 2 / per_thread) / 32 * 32;     /* >= 2 blocks/SM */
    if (fit > HOP_GAS_MAX_THREADS)
        fit = HOP_GAS_MAX_THREADS;
    if (layout == HOP_GAS_LAYOUT_AUTO)
        layout = fit >= 32 ? HOP_GAS_LAYOUT_SHARED : HOP_GAS_LAYOUT_DEVICE;
    if (layout == HOP_GAS_LAYOUT_SHARED && fit < 32)
        return hop_error(HOP_ERR_INVAL, "gas layout 'shared': a replica of %d sites does not "
                         "fit 32 threads' worth of shared memory", (int)p->n_sites);
    g->layout = layout;
    g->threads = layout == HOP_GAS_LAYOUT_SHARED ? fit : HOP_GAS_MAX_THREADS;
    g->shared_bytes = layout == HOP_GAS_LAYOUT_SHARED ? per_thread * (size_t)g->threads : 0;
    HOP_CUDA_CHECK(cudaFuncSetAttribute(hop_gas_rows_kernel,
                                        cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        (int)g->shared_bytes));
    g->blocks = 0;
    if (hop_grid_blocks(hop_gas_rows_kernel, g->threads, g->shared_bytes, count, &g->blocks)
        != HOP_OK)
        return HOP_ERR_CUDA;
    /* device-memory workspace ints per thread */
    g->work_ints = layout == HOP_GAS_LAYOUT_SHARED ? 3 * (uint64_t)p->n_sites
                                                   : 4 * (uint64_t)p->n_sites + (uint64_t)p->n_movers;
    return HOP_OK;
}

extern "C" hop_status hop_cuda_gas_rows(const hop_lattice *d_lattice, const hop_gas_params *p,
                                        const int32_t *d_nbr, const int8_t *d_sub,
                                        const uint16_t *d_block, uint64_t seed, uint64_t first,
                                        uint64_t count,
                                        int row_len, int64_t *d_rows, int32_t *d_work,
                                        const hop_gas_grid *g)
{
    if (count == 0)
        return HOP_OK;
    HOP_CUDA_CHECK_LAUNCH((hop_gas_rows_kernel<<<g->blocks, g->threads, g->shared_bytes>>>(
        d_lattice, *p, d_nbr, d_sub, d_block, seed, first, count, row_len, d_rows, d_work,
        g->layout)));
    return HOP_OK;
}

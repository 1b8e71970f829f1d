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

/* One kernel per (SHARED, Z, BRAVAIS), picked on the host (gas_kernel_for): SHARED = 1
 * keeps the occupancy and positions interleaved in shared memory, 0 in device memory
 * (layout DEVICE or STRIPED, `striped` choosing at run time: the same global loads);
 * Z = jumps per site (0: L->z at run time, for lattice files of another z); BRAVAIS =
 * one sublattice.  Compile-time constants let ptxas keep the state in registers (no
 * stack frame, no spills: kernels/README.md) and see that occ and pos are shared-memory
 * pointers in the SHARED kernels.  The parameters are copied to shared memory: the
 * acceptance threshold accept[dB + z - 1] is indexed by each lane's own dB. */
template <int SHARED, int Z, int BRAVAIS>
__global__ void __launch_bounds__(HOP_GAS_MAX_THREADS)
hop_gas_rows_kernel(const hop_lattice *g_lattice, const __grid_constant__ hop_gas_params p,
                    const int32_t *__restrict__ nbr, const int8_t *__restrict__ sub,
                    const uint16_t *__restrict__ block, uint64_t seed, uint64_t first,
                    uint64_t count, int row_len, int64_t *rows, int32_t *work, int striped)
{
    extern __shared__ int32_t s_state[];
    __shared__ hop_lattice L;
    __shared__ hop_gas_params P;
    const uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
    const uint64_t me = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x;
    hop_gas_box box;
    hop_gas_work w;
    box.nbr = nbr;
    box.sub = sub;
    box.block = block;
    w.target = NULL;             /* no target table on the GPU (include/hop/gas.h) */
    /* each thread's own part of the device workspace: disp (3 n_sites), then count */
    const uint64_t own = 3 * (uint64_t)p.n_sites + HOP_GAS_COUNT_INTS;
    if (SHARED) {
        w.occ = s_state + threadIdx.x;
        w.pos = s_state + (size_t)p.n_sites * blockDim.x + threadIdx.x;
        w.stride = (int32_t)blockDim.x;
        w.disp = work + me * own;
    } else if (striped) {
        /* entry s of thread t at s * stride + t, then each thread's own part */
        w.occ = work + me;
        w.pos = work + (uint64_t)p.n_sites * stride + me;
        w.stride = (int32_t)stride;
        w.disp = work + ((uint64_t)p.n_sites + (uint64_t)p.n_movers) * stride + me * own;
    } else {
        int32_t *mine = work + me * ((uint64_t)p.n_sites + (uint64_t)p.n_movers + own);
        w.occ = mine;
        w.pos = mine + p.n_sites;
        w.disp = mine + p.n_sites + p.n_movers;
        w.stride = 1;
    }
    w.count = w.disp + 3 * (uint64_t)p.n_sites;
    hop_lattice_to_shared(g_lattice, &L);
    hop_params_to_shared(&p, &P);
    __syncthreads();
    for (uint64_t i = me; i < count; i += stride)
        hop_gas_replica_fixed(&L, &P, &box, seed, first + i, &w, rows + i * (uint64_t)row_len,
                              Z ? Z : L.z, BRAVAIS, 0);
}

typedef void (*gas_kernel)(const hop_lattice *, const hop_gas_params, const int32_t *,
                           const int8_t *, const uint16_t *, uint64_t, uint64_t, uint64_t, int,
                           int64_t *, int32_t *, int);

/* The specialisation for z jumps per site on a Bravais lattice (bravais = 1) or not:
 * the built-in lattices' z, else the run-time z. */
template <int SHARED>
static gas_kernel gas_kernel_pick(int z, int bravais)
{
    if (bravais)
        switch (z) {
        case 2: return hop_gas_rows_kernel<SHARED, 2, 1>;
        case 4: return hop_gas_rows_kernel<SHARED, 4, 1>;
        case 6: return hop_gas_rows_kernel<SHARED, 6, 1>;
        case 8: return hop_gas_rows_kernel<SHARED, 8, 1>;
        case 12: return hop_gas_rows_kernel<SHARED, 12, 1>;
        default: return hop_gas_rows_kernel<SHARED, 0, 1>;
        }
    switch (z) {
    case 3: return hop_gas_rows_kernel<SHARED, 3, 0>;
    case 4: return hop_gas_rows_kernel<SHARED, 4, 0>;
    case 12: return hop_gas_rows_kernel<SHARED, 12, 0>;
    default: return hop_gas_rows_kernel<SHARED, 0, 0>;
    }
}

static gas_kernel gas_kernel_for(const hop_lattice *L, int layout)
{
    return layout == HOP_GAS_LAYOUT_SHARED ? gas_kernel_pick<1>(L->z, L->n_sub == 1)
                                           : gas_kernel_pick<0>(L->z, L->n_sub == 1);
}

/* Threads per block for the SHARED layout: the multiple of 32 (at most
 * HOP_GAS_MAX_THREADS) whose blocks keep the most replicas resident per multiprocessor,
 * counting each block's static shared memory (lattice, parameters) and the per-block
 * reservation of the runtime; the smaller block on a tie.  0 when not even 32 fit. */
static hop_status shared_threads(gas_kernel kernel, size_t per_thread, int *threads)
{
    int device = 0, per_block = 0, per_sm = 0, reserved = 0, best = 0;
    struct cudaFuncAttributes attr;
    HOP_CUDA_CHECK(cudaGetDevice(&device));
    HOP_CUDA_CHECK(cudaDeviceGetAttribute(&per_block, cudaDevAttrMaxSharedMemoryPerBlockOptin,
                                          device));
    HOP_CUDA_CHECK(cudaDeviceGetAttribute(&per_sm, cudaDevAttrMaxSharedMemoryPerMultiprocessor,
                                          device));
    HOP_CUDA_CHECK(cudaDeviceGetAttribute(&reserved, cudaDevAttrReservedSharedMemoryPerBlock,
                                          device));
    HOP_CUDA_CHECK(cudaFuncGetAttributes(&attr, kernel));
    *threads = 0;
    for (int t = 32; t <= HOP_GAS_MAX_THREADS; t += 32) {
        const size_t bytes = attr.sharedSizeBytes + per_thread * (size_t)t;
        const int resident = bytes <= (size_t)per_block
                                 ? (int)((size_t)per_sm / (bytes + (size_t)reserved)) * t : 0;
        if (resident > best) {
            best = resident;
            *threads = t;
        }
    }
    return HOP_OK;
}

extern "C" hop_status hop_cuda_gas_grid(const hop_lattice *L, const hop_gas_params *p,
                                        uint64_t count, int layout, hop_gas_grid *g)
{
    const size_t per_thread = 4 * ((size_t)p->n_sites + (size_t)p->n_movers);
    int fit = 0;
    if (shared_threads(gas_kernel_for(L, HOP_GAS_LAYOUT_SHARED), per_thread, &fit) != HOP_OK)
        return HOP_ERR_CUDA;
    if (layout == HOP_GAS_LAYOUT_AUTO)
        layout = fit >= 32 ? HOP_GAS_LAYOUT_SHARED : HOP_GAS_LAYOUT_DEVICE;
    if (layout == HOP_GAS_LAYOUT_SHARED && fit < 32)
        return hop_error(HOP_ERR_INVAL, "gas layout 'shared': a replica of %d sites does not "
                         "fit 32 threads' worth of shared memory", (int)p->n_sites);
    g->kernel = (const void *)gas_kernel_for(L, layout);
    g->layout = layout;
    g->threads = layout == HOP_GAS_LAYOUT_SHARED ? fit : HOP_GAS_MAX_THREADS;
    g->shared_bytes = layout == HOP_GAS_LAYOUT_SHARED ? per_thread * (size_t)g->threads : 0;
    HOP_CUDA_CHECK(cudaFuncSetAttribute((gas_kernel)g->kernel,
                                        cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        (int)g->shared_bytes));
    g->blocks = 0;
    if (hop_grid_blocks((gas_kernel)g->kernel, g->threads, g->shared_bytes, count, &g->blocks)
        != HOP_OK)
        return HOP_ERR_CUDA;
    /* device-memory workspace ints per thread */
    g->work_ints = 3 * (uint64_t)p->n_sites + HOP_GAS_COUNT_INTS
                   + (layout == HOP_GAS_LAYOUT_SHARED ? 0 : (uint64_t)p->n_sites + (uint64_t)p->n_movers);
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
    HOP_CUDA_CHECK_LAUNCH((((gas_kernel)g->kernel)<<<g->blocks, g->threads, g->shared_bytes>>>(
        d_lattice, *p, d_nbr, d_sub, d_block, seed, first, count, row_len, d_rows, d_work,
        g->layout == HOP_GAS_LAYOUT_STRIPED)));
    return HOP_OK;
}

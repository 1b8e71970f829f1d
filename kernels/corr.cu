/* corr.cu: the corr estimator on the GPU (see launch.h).
 *
 * One replica per thread at a time, the replica state in registers.  A thread runs its
 * replica in batches of HOP_WORD_BATCH words (hop_corr_advance); when the replica ends
 * it tallies the outcome and starts its next replica (grid stride) while the other
 * lanes of the warp keep stepping, so a warp is not held up by its longest walk (walk
 * lengths range from one step to ~R^2).  Outcomes are counted in the block's shared
 * memory and added to the global tally once per block: integer additions, so the tally
 * is the same whatever the order. */
#include "hop_curand.cuh"
#include "grid.cuh"
#include "launch.h"
#include "shared_lattice.cuh"

#define HOP_CORR_THREADS 256

template <int BRAVAIS>
__global__ void __launch_bounds__(HOP_CORR_THREADS)
hop_corr_kernel(const hop_lattice *g_lattice, const __grid_constant__ hop_corr_params p, uint64_t seed, uint64_t first,
                uint64_t count, unsigned long long *g_tally)
{
    extern __shared__ unsigned long long s_tally[];
    __shared__ hop_lattice L;
    const uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
    uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x;
    unsigned long long steps = 0;
    int n_types, n_slots;

    hop_lattice_to_shared(g_lattice, &L);
    __syncthreads();
    n_types = L.n_sub * L.z;
    n_slots = HOP_CORR_SLOTS(n_types, p.n_shells);
    for (int k = threadIdx.x; k < n_slots; k += blockDim.x)
        s_tally[k] = 0;
    __syncthreads();

    if (i < count) {
        hop_corr_state st;
        hop_corr_begin(&L, &p, seed, first + i, &st);
        for (;;) {
            hop_corr_outcome o;
            if (!hop_corr_advance(&L, &p, &st, BRAVAIS, &o))
                continue;
            atomicAdd(&s_tally[o.first_type], 1ull);
            atomicAdd(&s_tally[hop_corr_slot_end(n_types, p.n_shells, &o)], 1ull);
            steps += (unsigned long long)o.steps;
            i += stride;
            if (i >= count)
                break;
            hop_corr_begin(&L, &p, seed, first + i, &st);
        }
    }
    atomicAdd(&s_tally[hop_corr_slot_steps(n_types, p.n_shells)], steps);
    __syncthreads();
    for (int k = threadIdx.x; k < n_slots; k += blockDim.x)
        if (s_tally[k])
            atomicAdd(&g_tally[k], s_tally[k]);
}

template <int BRAVAIS>
static hop_status launch(const hop_lattice *d_lattice, int n_types, const hop_corr_params *p,
                         uint64_t seed, uint64_t first, uint64_t count, uint64_t *d_tally)
{
    const size_t shared = HOP_CORR_SLOTS(n_types, p->n_shells) * sizeof(unsigned long long);
    int blocks = 0;
    hop_status s = hop_grid_blocks(hop_corr_kernel<BRAVAIS>, HOP_CORR_THREADS, shared, count,
                                   &blocks);
    if (s != HOP_OK)
        return s;
    HOP_CUDA_CHECK_LAUNCH((hop_corr_kernel<BRAVAIS><<<blocks, HOP_CORR_THREADS, shared>>>(
        d_lattice, *p, seed, first, count, (unsigned long long *)d_tally)));
    return HOP_OK;
}

extern "C" hop_status hop_cuda_corr(const hop_lattice *d_lattice, const hop_lattice *lattice,
                                    const hop_corr_params *p, uint64_t seed, uint64_t first,
                                    uint64_t count, uint64_t *d_tally)
{
    const int n_types = lattice->n_sub * lattice->z;
    if (count == 0)
        return HOP_OK;
    return lattice->n_sub == 1 ? launch<1>(d_lattice, n_types, p, seed, first, count, d_tally)
                               : launch<0>(d_lattice, n_types, p, seed, first, count, d_tally);
}

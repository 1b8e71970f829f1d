/* corr.cu: the corr estimator on the GPU (see launch.h).
 *
 * One replica per thread at a time, the replica state in registers.  A thread runs its
 * replica in batches of HOP_WORD_BATCH words (hop_corr_advance); when the replica ends
 * it tallies the outcome and claims the next unclaimed replica of the launch from a
 * global counter, while the other lanes of its warp keep stepping.  Walk lengths are
 * heavy-tailed (one step to ~R^2), so a fixed assignment of replicas to threads would
 * leave most of the device idle waiting for the unluckiest thread; claiming on demand
 * balances the load to within one walk.  Claims are warp-aggregated (one atomic per
 * group of lanes that ask together).  Which thread runs a replica does not matter:
 * replica r always draws from stream (seed, r).  Outcomes are counted in the block's
 * shared memory and added to the global tally once per block: integer additions, so
 * the tally is the same whatever the order. */
#include "hop_curand.cuh"
#include <cooperative_groups.h>
#include "grid.cuh"
#include "launch.h"
#include "shared_lattice.cuh"

#define HOP_CORR_THREADS 256

/* The largest tally plus the lattice must fit the 48 KB a block gets without opting in. */
static_assert(HOP_CORR_MAX_SLOTS * sizeof(unsigned long long) + sizeof(hop_lattice) <= 48 * 1024,
              "the corr tally no longer fits in default shared memory");

/* The next unclaimed replica (index within the launch) for the calling lane: the lanes
 * that ask together share one atomic addition. */
static __device__ unsigned long long hop_claim(unsigned long long *g_next)
{
    namespace cg = cooperative_groups;
    cg::coalesced_group group = cg::coalesced_threads();
    unsigned long long base = 0;
    if (group.thread_rank() == 0)
        base = atomicAdd(g_next, (unsigned long long)group.size());
    return group.shfl(base, 0) + group.thread_rank();
}

/* g_next: the claim counter, 0 at launch. */
template <int BRAVAIS>
__global__ void __launch_bounds__(HOP_CORR_THREADS)
hop_corr_kernel(const hop_lattice *g_lattice, const __grid_constant__ hop_corr_params p,
                uint64_t seed, uint64_t first, uint64_t count, unsigned long long *g_tally,
                unsigned long long *g_next)
{
    extern __shared__ unsigned long long s_tally[];
    __shared__ hop_lattice L;
    unsigned long long steps = 0;
    uint64_t i;
    int n_types, n_slots;

    hop_lattice_to_shared(g_lattice, &L);
    __syncthreads();
    n_types = L.n_sub * L.z;
    n_slots = HOP_CORR_SLOTS(n_types, p.n_shells);
    for (int k = threadIdx.x; k < n_slots; k += blockDim.x)
        s_tally[k] = 0;
    __syncthreads();

    i = hop_claim(g_next);
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
            i = hop_claim(g_next);
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
                         uint64_t seed, uint64_t first, uint64_t count, uint64_t *d_tally,
                         uint64_t *d_next)
{
    const size_t shared = HOP_CORR_SLOTS(n_types, p->n_shells) * sizeof(unsigned long long);
    int blocks = 0;
    hop_status s = hop_grid_blocks(hop_corr_kernel<BRAVAIS>, HOP_CORR_THREADS, shared, count,
                                   &blocks);
    if (s != HOP_OK)
        return s;
    HOP_CUDA_CHECK(cudaMemsetAsync(d_next, 0, sizeof *d_next));
    HOP_CUDA_CHECK_LAUNCH((hop_corr_kernel<BRAVAIS><<<blocks, HOP_CORR_THREADS, shared>>>(
        d_lattice, *p, seed, first, count, (unsigned long long *)d_tally,
        (unsigned long long *)d_next)));
    return HOP_OK;
}

extern "C" hop_status hop_cuda_corr(const hop_lattice *d_lattice, const hop_lattice *lattice,
                                    const hop_corr_params *p, uint64_t seed, uint64_t first,
                                    uint64_t count, uint64_t *d_tally, uint64_t *d_next)
{
    const int n_types = lattice->n_sub * lattice->z;
    if (count == 0)
        return HOP_OK;
    return lattice->n_sub == 1
               ? launch<1>(d_lattice, n_types, p, seed, first, count, d_tally, d_next)
               : launch<0>(d_lattice, n_types, p, seed, first, count, d_tally, d_next);
}

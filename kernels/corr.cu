/* corr.cu: the corr estimator on the GPU (see launch.h).
 *
 * One replica per thread at a time, the replica state in registers.  A thread runs its
 * replica in batches of HOP_WORD_BATCH words (hop_corr_advance); when the replica ends
 * it tallies the outcome and claims the next unclaimed replica of the launch from a
 * global counter, while the other lanes of its warp keep stepping.  Walk lengths are
 * heavy-tailed (one step to ~R^2), so a fixed assignment of replicas to threads would
 * leave most of the device idle waiting for the unluckiest thread; claiming on demand
 * balances the load to within a few walks.  Claims are warp-aggregated (one atomic per
 * group of lanes that ask together) and take HOP_CORR_CLAIM consecutive replicas per
 * lane, whose first jump types follow each other, so a replica's end costs no division
 * and a global atomic only every HOP_CORR_CLAIM replicas.  Which thread runs a replica does not matter:
 * replica r always draws from stream (seed, r).  Outcomes are counted in the block's
 * shared memory (straight in the global tally when it is too large, hop_corr_tally_shared)
 * and added to the global tally once per block: integer additions, so
 * the tally is the same whatever the order. */
#include "hop_curand.cuh"
#include <cooperative_groups.h>
#include "grid.cuh"
#include "launch.h"
#include "shared_lattice.cuh"

#define HOP_CORR_THREADS 256
#define HOP_CORR_CLAIM 4          /* replicas a lane claims at once (hop_claim) */
/* Resident blocks per SM asked of ptxas: 3 (24 warps) leaves it 85 registers, and it
 * uses 78-80 without spilling; left free it picks 64 and spills 12-40 bytes in the
 * step loop (kernels/README.md). */
#define HOP_CORR_MIN_BLOCKS 3

/* Where a block counts outcomes: in its shared memory (flushed to the global tally once
 * per block) when the tally fits beside the lattice and parameters in the 48 KB a block
 * gets without opting in (every built-in lattice at today's radii), else straight into
 * the global tally (T^2 S slots grow to megabytes at 16 sublattices x 24 jumps).  A
 * replica adds to two slots at its end, so the global atomics are rare either way;
 * integer additions give the same tally in both. */
#define HOP_CORR_SHARED_BYTES (48 * 1024)

static bool hop_corr_tally_shared(int n_types, int n_shells)
{
    return HOP_CORR_SLOTS(n_types, n_shells) * sizeof(unsigned long long) + sizeof(hop_lattice)
           + sizeof(hop_corr_params) <= HOP_CORR_SHARED_BYTES;
}

/* The first of the next HOP_CORR_CLAIM unclaimed replicas (indices within the launch)
 * for the calling lane: the lanes that ask together share one atomic addition, and each
 * lane then runs its HOP_CORR_CLAIM replicas one after another, so a replica's end
 * costs a global atomic only every HOP_CORR_CLAIM replicas.  The counter is 32-bit
 * (launches hold fewer than HOP_CORR_MAX_LAUNCH replicas, launch.h). */
static __device__ unsigned int hop_claim(unsigned int *g_next)
{
    namespace cg = cooperative_groups;
    cg::coalesced_group group = cg::coalesced_threads();
    unsigned int base = 0;
    if (group.thread_rank() == 0)
        base = atomicAdd(g_next, group.size() * HOP_CORR_CLAIM);
    return group.shfl(base, 0) + group.thread_rank() * HOP_CORR_CLAIM;
}

/* g_next: the claim counter, 0 at launch; count < HOP_CORR_MAX_LAUNCH.  Replica first + i
 * starts after jump type (first + i) mod n_types (hop_corr_begin), counted along here
 * from first_type = first mod n_types without a division per replica. */
template <int BRAVAIS, int SHARED_TALLY>
__global__ void __launch_bounds__(HOP_CORR_THREADS, HOP_CORR_MIN_BLOCKS)
hop_corr_kernel(const hop_lattice *g_lattice, const __grid_constant__ hop_corr_params p,
                uint64_t seed, uint64_t first, unsigned int count, int first_type,
                unsigned long long *g_tally, unsigned int *g_next)
{
    extern __shared__ unsigned long long s_tally_block[];
    __shared__ hop_lattice L;
    __shared__ hop_corr_params P;
    unsigned long long *s_tally = SHARED_TALLY ? s_tally_block : g_tally;
    unsigned long long steps = 0;
    int n_types, n_slots;

    hop_lattice_to_shared(g_lattice, &L);
    hop_params_to_shared(&p, &P);
    __syncthreads();
    n_types = L.n_sub * L.z;
    n_slots = HOP_CORR_SLOTS(n_types, P.n_shells);
    if (SHARED_TALLY)
        for (int k = threadIdx.x; k < n_slots; k += blockDim.x)
            s_tally[k] = 0;
    __syncthreads();

    for (;;) {
        const unsigned int i0 = hop_claim(g_next);
        unsigned int type;
        if (i0 >= count)
            break;
        type = ((unsigned int)first_type + i0 % (unsigned int)n_types) % (unsigned int)n_types;
        for (unsigned int i = i0; i < i0 + HOP_CORR_CLAIM && i < count; ++i) {
            hop_corr_state st;
            hop_corr_outcome o;
            hop_corr_begin_type(&L, &P, seed, first + i, (int)type, &st);
            while (!hop_corr_advance(&L, &P, &st, BRAVAIS, &o))
                ;
            atomicAdd(&s_tally[o.first_type], 1ull);
            atomicAdd(&s_tally[hop_corr_slot_end(n_types, P.n_shells, &o)], 1ull);
            steps += (unsigned long long)o.steps;
            type = type + 1 == (unsigned int)n_types ? 0 : type + 1;
        }
    }
    atomicAdd(&s_tally[hop_corr_slot_steps(n_types, P.n_shells)], steps);
    if (!SHARED_TALLY)
        return;
    __syncthreads();
    for (int k = threadIdx.x; k < n_slots; k += blockDim.x)
        if (s_tally[k])
            atomicAdd(&g_tally[k], s_tally[k]);
}

template <int BRAVAIS, int SHARED_TALLY>
static hop_status launch(const hop_lattice *d_lattice, int n_types, const hop_corr_params *p,
                         uint64_t seed, uint64_t first, uint64_t count, uint64_t *d_tally,
                         uint64_t *d_next)
{
    const size_t shared = SHARED_TALLY ? HOP_CORR_SLOTS(n_types, p->n_shells)
                                         * sizeof(unsigned long long) : 0;
    int blocks = 0;
    hop_status s;
    if (count >= HOP_CORR_MAX_LAUNCH)
        return hop_error(HOP_ERR_INVAL, "corr launch of %llu replicas: at most %llu",
                         (unsigned long long)count, (unsigned long long)HOP_CORR_MAX_LAUNCH - 1);
    s = hop_grid_blocks(hop_corr_kernel<BRAVAIS, SHARED_TALLY>, HOP_CORR_THREADS, shared,
                        (count + HOP_CORR_CLAIM - 1) / HOP_CORR_CLAIM, &blocks);
    if (s != HOP_OK)
        return s;
    HOP_CUDA_CHECK(cudaMemsetAsync(d_next, 0, sizeof *d_next));
    HOP_CUDA_CHECK_LAUNCH((hop_corr_kernel<BRAVAIS, SHARED_TALLY><<<blocks, HOP_CORR_THREADS, shared>>>(
        d_lattice, *p, seed, first, (unsigned int)count, (int)(first % (uint64_t)n_types),
        (unsigned long long *)d_tally, (unsigned int *)d_next)));
    return HOP_OK;
}

template <int BRAVAIS, int SHARED_TALLY>
static hop_status wave(int n_types, const hop_corr_params *p, uint64_t *replicas)
{
    const size_t shared = SHARED_TALLY ? HOP_CORR_SLOTS(n_types, p->n_shells)
                                         * sizeof(unsigned long long) : 0;
    int blocks = 0;
    hop_status s = hop_grid_blocks(hop_corr_kernel<BRAVAIS, SHARED_TALLY>, HOP_CORR_THREADS, shared,
                                   UINT64_MAX / 2, &blocks);
    *replicas = (uint64_t)blocks * HOP_CORR_THREADS * HOP_CORR_CLAIM;
    return s;
}

extern "C" hop_status hop_cuda_corr_wave(const hop_lattice *lattice, const hop_corr_params *p,
                                         uint64_t *replicas)
{
    const int n_types = lattice->n_sub * lattice->z;
    if (!hop_corr_tally_shared(n_types, p->n_shells))
        return lattice->n_sub == 1 ? wave<1, 0>(n_types, p, replicas)
                                   : wave<0, 0>(n_types, p, replicas);
    return lattice->n_sub == 1 ? wave<1, 1>(n_types, p, replicas) : wave<0, 1>(n_types, p, replicas);
}

extern "C" hop_status hop_cuda_corr(const hop_lattice *d_lattice, const hop_lattice *lattice,
                                    const hop_corr_params *p, uint64_t seed, uint64_t first,
                                    uint64_t count, uint64_t *d_tally, uint64_t *d_next)
{
    const int n_types = lattice->n_sub * lattice->z;
    if (count == 0)
        return HOP_OK;
    if (!hop_corr_tally_shared(n_types, p->n_shells))
        return lattice->n_sub == 1
                   ? launch<1, 0>(d_lattice, n_types, p, seed, first, count, d_tally, d_next)
                   : launch<0, 0>(d_lattice, n_types, p, seed, first, count, d_tally, d_next);
    return lattice->n_sub == 1
               ? launch<1, 1>(d_lattice, n_types, p, seed, first, count, d_tally, d_next)
               : launch<0, 1>(d_lattice, n_types, p, seed, first, count, d_tally, d_next);
}

/* hop_curand.cuh: cuRAND's Philox4_32_10 as the stream of the shared step code.
 *
 * Include this first in every kernel file.  It defines HOP_RNG_CURAND, which tells
 * include/hop/rng.h not to define hop_rng, and supplies hop_rng and its three
 * operations on top of cuRAND: curand_init(seed, replica, 0, &s), curand4 and curand.
 * tests/test_curand_equiv.c proves these produce the words of hop's C twin, so the
 * kernels make the same choices as the CPU backend.
 *
 * QUALIFIERS is cuRAND's own hook for the qualifiers of its inline functions.  Making
 * them __host__ __device__ lets the host pass of nvcc compile the shared HOP_HD step
 * functions that call them (tests/curand_stream.cu runs them on the host this way). */
#ifndef HOP_CURAND_CUH
#define HOP_CURAND_CUH

#if defined(CURAND_KERNEL_H_)
#  error "include kernels/hop_curand.cuh before anything that includes curand_kernel.h"
#endif
#define HOP_RNG_CURAND 1
#define QUALIFIERS static __forceinline__ __host__ __device__
#include <curand_kernel.h>
#include "hop/hd.h"

typedef curandStatePhilox4_32_10_t hop_rng;

HOP_HD void hop_rng_init(hop_rng *s, uint64_t seed, uint64_t replica)
{
    curand_init(seed, replica, 0, s);
}

HOP_HD void hop_rng_next4(hop_rng *s, uint32_t w[4])
{
    const uint4 v = curand4(s);
    w[0] = v.x;
    w[1] = v.y;
    w[2] = v.z;
    w[3] = v.w;
}

HOP_HD uint32_t hop_rng_next(hop_rng *s)
{
    return curand(s);
}

#endif

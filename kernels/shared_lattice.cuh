/* shared_lattice.cuh: every block copies the lattice (plain data, lattice.h) and its
 * kernel's parameters into shared memory before stepping.  The step code's table
 * lookups (and the parameter arrays: the gas's acceptance thresholds by dB, the solute
 * model's rate weights, the truncation radii) are indexed by each lane's own random
 * state; shared memory serves such scattered reads in parallel, where constant or
 * kernel-parameter memory would serialize them. */
#ifndef HOP_KERNELS_SHARED_LATTICE_CUH
#define HOP_KERNELS_SHARED_LATTICE_CUH

#include "hop/lattice.h"

static_assert(sizeof(hop_lattice) % sizeof(int) == 0, "hop_lattice is copied as ints");

/* Copies *g (device memory) to *s (shared memory) with the whole block; the caller
 * synchronizes before use. */
static __device__ void hop_lattice_to_shared(const hop_lattice *g, hop_lattice *s)
{
    const int *src = (const int *)g;
    int *dst = (int *)s;
    for (int k = threadIdx.x; k < (int)(sizeof(hop_lattice) / sizeof(int)); k += blockDim.x)
        dst[k] = src[k];
}

/* Copies *g (kernel parameters or device memory) to *s (shared memory) with the whole
 * block, as ints; the caller synchronizes before use. */
template <typename T>
static __device__ void hop_params_to_shared(const T *g, T *s)
{
    static_assert(sizeof(T) % sizeof(int) == 0, "parameters are copied as ints");
    const int *src = (const int *)g;
    int *dst = (int *)s;
    for (int k = threadIdx.x; k < (int)(sizeof(T) / sizeof(int)); k += blockDim.x)
        dst[k] = src[k];
}

#endif

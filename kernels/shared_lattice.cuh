/* shared_lattice.cuh: every block copies the lattice (plain data, lattice.h) into shared
 * memory before stepping.  The step code's table lookups are indexed by each lane's own
 * random choice; shared memory serves such scattered reads in parallel, where constant
 * memory would serialize them. */
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

#endif

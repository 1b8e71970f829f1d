/* ceiling.cu: the RNG-bound ceiling of the step kernels (see launch.h).  It draws the
 * same Philox words a replica kernel draws, from the same streams, and does nothing
 * else, at its own best occupancy (it needs fewer registers than the step kernels), so
 * `hop bench --backend cuda` can report the step kernels' throughput as a fraction of
 * what the random numbers alone allow. */
#include "hop_curand.cuh"
#include "grid.cuh"
#include "launch.h"

#define HOP_CEILING_THREADS 256

__global__ void __launch_bounds__(HOP_CEILING_THREADS)
hop_ceiling_kernel(uint64_t seed, uint64_t count, uint64_t words, unsigned int *sink)
{
    const uint64_t stride = (uint64_t)gridDim.x * blockDim.x;
    unsigned int x = 0;
    for (uint64_t i = (uint64_t)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += stride) {
        hop_rng s;
        hop_rng_init(&s, seed, i);
        for (uint64_t w = 0; w < words; w += 4) {
            uint32_t v[4];
            hop_rng_next4(&s, v);
            x ^= v[0] ^ v[1] ^ v[2] ^ v[3];
        }
    }
    if (x == 0x5eed5eedu)          /* practically never; keeps the draws from being removed */
        atomicXor(sink, x);
}

extern "C" cudaError_t hop_cuda_image_check(void)
{
    cudaFuncAttributes attributes;
    return cudaFuncGetAttributes(&attributes, hop_ceiling_kernel);
}

extern "C" hop_status hop_cuda_ceiling_wave(uint64_t *replicas)
{
    int blocks = 0;
    hop_status s = hop_grid_blocks(hop_ceiling_kernel, HOP_CEILING_THREADS, 0, UINT64_MAX / 2,
                                   &blocks);
    *replicas = (uint64_t)blocks * HOP_CEILING_THREADS;
    return s;
}

extern "C" hop_status hop_cuda_ceiling(uint64_t seed, uint64_t count, uint64_t words,
                                       uint32_t *d_sink)
{
    int blocks = 0;
    hop_status s;
    if (count == 0)
        return HOP_OK;
    if ((s = hop_grid_blocks(hop_ceiling_kernel, HOP_CEILING_THREADS, 0, count, &blocks)) != HOP_OK)
        return s;
    HOP_CUDA_CHECK_LAUNCH((hop_ceiling_kernel<<<blocks, HOP_CEILING_THREADS>>>(
        seed, count, words, (unsigned int *)d_sink)));
    return HOP_OK;
}

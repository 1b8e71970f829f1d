/* cuda_gas.c: the host side of the lattice gas on the GPU (see backend/cuda.h): the
 * lattice and box tables (neighbours, sublattices, blocks of cell planes) to the device,
 * batches of replica rows written by kernels/gas.cu and summed by the msd reduction
 * kernel into 128-bit accumulators, the same integer sums the CPU backend makes.
 * Device memory: every resident thread needs its replica's workspace, so the resident
 * blocks are sized from the free memory (a box of 10^5 sites needs ~1 MB a thread) and
 * halved while the allocation fails; the rows buffer then takes its share of what is
 * left, halved the same way (as msd's). */
#include <stdio.h>
#include <stdlib.h>
#include <cuda_runtime_api.h>
#include "backend/cuda.h"
#include "backend/batch.h"
#include "check.h"
#include "launch.h"

/* Rows per batch buffer at most. */
#define GAS_BATCH_CAP (UINT64_C(1) << 20)

static hop_status to_device(void **d, const void *h, size_t bytes, const char *what)
{
    hop_status s = hop_cuda_alloc(bytes, what, d);
    if (s != HOP_OK)
        return s;
    HOP_CUDA_CHECK(cudaMemcpy(*d, h, bytes, cudaMemcpyHostToDevice));
    return HOP_OK;
}

hop_status hop_cuda_run_gas(const hop_lattice *L, const hop_gas_model *m, uint64_t seed,
                            uint64_t first, uint64_t count, uint64_t batch,
                            hop_msd_accum *acc, int *batches)
{
    const hop_gas_params *gp = &m->gp;
    const int S = acc->n_series, row_len = hop_gas_row_len(L, gp);
    const size_t row_bytes = (size_t)row_len * sizeof(int64_t);
    const size_t words_bytes = 2 * (size_t)hop_msd_entries(S, gp->n_times) * sizeof(uint64_t);
    const size_t n = (size_t)gp->n_sites;
    hop_lattice *d_lattice = NULL;
    int32_t *d_nbr = NULL, *d_work = NULL;
    int8_t *d_sub = NULL;
    uint16_t *d_block = NULL;
    int64_t *d_rows = NULL;
    uint64_t *d_words = NULL, *words = malloc(words_bytes), size, done = 0;
    size_t free_bytes = 0, total_bytes = 0;
    hop_gas_grid g;
    hop_status s;
    *batches = 0;
    if (!words)
        return HOP_ERR_NOMEM;
    s = to_device((void **)&d_lattice, L, sizeof *L, "the lattice");
    if (s == HOP_OK)
        s = to_device((void **)&d_nbr, m->nbr, n * (size_t)L->z * sizeof *d_nbr, "the box tables");
    if (s == HOP_OK)
        s = to_device((void **)&d_sub, m->sub, n * sizeof *d_sub, "the box tables");
    if (s == HOP_OK)
        s = to_device((void **)&d_block, m->block, n * sizeof *d_block, "the box tables");
    if (s == HOP_OK && (s = hop_cuda_alloc(words_bytes, "the gas accumulators", (void **)&d_words))
                           == HOP_OK && cudaMemset(d_words, 0, words_bytes) != cudaSuccess)
        s = hop_error(HOP_ERR_CUDA, "cudaMemset of the gas accumulators failed");
    if (s == HOP_OK)
        s = hop_cuda_gas_grid(L, gp, count, m->layout, &g);
    if (s == HOP_OK && cudaMemGetInfo(&free_bytes, &total_bytes) != cudaSuccess)
        s = hop_error(HOP_ERR_CUDA, "cudaMemGetInfo failed");
    if (s == HOP_OK) {
        /* resident blocks: as many as fit the free memory's share, halved on failure */
        const size_t block_bytes = (size_t)g.threads * g.work_ints * sizeof(int32_t);
        uint64_t blocks = hop_batch_size(0, (uint64_t)g.blocks, free_bytes, block_bytes, 0);
        s = hop_cuda_alloc_halving(block_bytes, &blocks, "the gas workspace", (void **)&d_work);
        g.blocks = (int)blocks;
    }
    if (s == HOP_OK && cudaMemGetInfo(&free_bytes, &total_bytes) != cudaSuccess)
        s = hop_error(HOP_ERR_CUDA, "cudaMemGetInfo failed");
    if (s == HOP_OK) {
        size = hop_batch_size(batch, count, free_bytes, row_bytes, GAS_BATCH_CAP);
        s = hop_cuda_alloc_halving(row_bytes, &size, "the gas replica rows", (void **)&d_rows);
    }
    while (s == HOP_OK && done < count) {
        const uint64_t k = size < count - done ? size : count - done;
        hop_cuda_timer t;
        s = hop_cuda_timer_start(&t);
        if (s == HOP_OK)
            s = hop_cuda_gas_rows(d_lattice, gp, d_nbr, d_sub, d_block, seed, first + done, k,
                                  row_len, d_rows, d_work, &g);
        if (s == HOP_OK)
            s = hop_cuda_msd_reduce(d_rows, row_len, k, S, gp->n_times, d_words);
        if (s == HOP_OK)
            s = hop_cuda_timer_stop(&t);
        if (s == HOP_OK) {
            cudaError_t err = cudaDeviceSynchronize();
            if (err != cudaSuccess)
                s = hop_cuda_fail(err, "cudaDeviceSynchronize() after the gas kernels",
                                  __FILE__, __LINE__);
        }
        done += k;
        ++*batches;
    }
    if (s == HOP_OK) {
        cudaError_t err = cudaMemcpy(words, d_words, words_bytes, cudaMemcpyDeviceToHost);
        if (err != cudaSuccess)
            s = hop_cuda_fail(err, "cudaMemcpy(the gas accumulators)", __FILE__, __LINE__);
    }
    if (s == HOP_OK)
        hop_msd_accum_add_wide(acc, words, count);
    cudaFree(d_rows);
    cudaFree(d_work);
    cudaFree(d_words);
    cudaFree(d_block);
    cudaFree(d_sub);
    cudaFree(d_nbr);
    cudaFree(d_lattice);
    free(words);
    return s;
}

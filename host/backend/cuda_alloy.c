/* cuda_alloy.c: the host side of the concentrated alloy on the GPU (see backend/cuda.h):
 * the lattice, the step parameters and the box tables to the device, batches of replica
 * rows written by kernels/alloy.cu and summed by the msd reduction kernel into 128-bit
 * accumulators, the same integer sums the CPU backend makes.  Device memory: every
 * resident thread needs its replica's workspace (about 20 bytes a site), so the resident
 * threads are sized from the free memory and halved while the allocation fails; the rows
 * buffer then takes its share of what is left, halved the same way (as the gas's). */
#include <stdlib.h>
#include <cuda_runtime_api.h>
#include "backend/cuda.h"
#include "backend/batch.h"
#include "check.h"
#include "launch.h"

#define ALLOY_BATCH_CAP (UINT64_C(1) << 20)     /* rows per batch buffer at most */

static hop_status to_device(void **d, const void *h, size_t bytes, const char *what)
{
    hop_status s = hop_cuda_alloc(bytes, what, d);
    if (s != HOP_OK)
        return s;
    HOP_CUDA_CHECK(cudaMemcpy(*d, h, bytes, cudaMemcpyHostToDevice));
    return HOP_OK;
}

/* The workspace of one thread, rounded up to 8 bytes (its rates are uint64). */
static size_t work_bytes(const hop_alloy_params *ap)
{
    return (hop_alloy_work_bytes(ap) + 7) / 8 * 8;
}

hop_status hop_cuda_run_alloy(const hop_lattice *L, const hop_alloy_params *ap,
                              const hop_gas_box *box, uint64_t seed, uint64_t first,
                              uint64_t count, uint64_t batch, hop_msd_accum *acc, int *batches)
{
    const int S = acc->n_series, row_len = hop_alloy_row_len(ap);
    const size_t row_bytes = (size_t)row_len * sizeof(int64_t), wb = work_bytes(ap);
    const size_t words_bytes = 2 * (size_t)hop_msd_entries(S, ap->n_times) * sizeof(uint64_t);
    const size_t n = (size_t)ap->n_sites;
    hop_lattice *d_lattice = NULL;
    hop_alloy_params *d_p = NULL;
    int32_t *d_nbr = NULL;
    int8_t *d_sub = NULL;
    char *d_work = NULL;
    int64_t *d_rows = NULL;
    uint64_t *d_words = NULL, *words = malloc(words_bytes), size = 0, done = 0, threads = 0;
    size_t free_bytes = 0, total_bytes = 0;
    hop_status s;
    *batches = 0;
    if (!words)
        return HOP_ERR_NOMEM;
    s = to_device((void **)&d_lattice, L, sizeof *L, "the lattice");
    if (s == HOP_OK)
        s = to_device((void **)&d_p, ap, sizeof *ap, "the alloy parameters");
    if (s == HOP_OK)
        s = to_device((void **)&d_nbr, box->nbr, n * (size_t)L->z * sizeof *d_nbr, "the box tables");
    if (s == HOP_OK)
        s = to_device((void **)&d_sub, box->sub, n * sizeof *d_sub, "the box tables");
    if (s == HOP_OK && (s = hop_cuda_alloc(words_bytes, "the alloy accumulators", (void **)&d_words))
                           == HOP_OK && cudaMemset(d_words, 0, words_bytes) != cudaSuccess)
        s = hop_error(HOP_ERR_CUDA, "cudaMemset of the alloy accumulators failed");
    if (s == HOP_OK)
        s = hop_cuda_alloy_threads(count, &threads);
    if (s == HOP_OK && cudaMemGetInfo(&free_bytes, &total_bytes) != cudaSuccess)
        s = hop_error(HOP_ERR_CUDA, "cudaMemGetInfo failed");
    if (s == HOP_OK) {
        /* resident threads' workspaces: as many as fit the free memory's share, in whole
         * blocks of 128, halved on failure */
        uint64_t blocks = hop_batch_size(0, (threads + 127) / 128, free_bytes, 128 * wb, 0);
        s = hop_cuda_alloc_halving(128 * wb, &blocks, "the alloy workspace", (void **)&d_work);
        threads = blocks * 128;
    }
    if (s == HOP_OK && cudaMemGetInfo(&free_bytes, &total_bytes) != cudaSuccess)
        s = hop_error(HOP_ERR_CUDA, "cudaMemGetInfo failed");
    if (s == HOP_OK) {
        size = hop_batch_size(batch, count, free_bytes, row_bytes, ALLOY_BATCH_CAP);
        s = hop_cuda_alloc_halving(row_bytes, &size, "the alloy replica rows", (void **)&d_rows);
    }
    while (s == HOP_OK && done < count) {
        const uint64_t k = size < count - done ? size : count - done;
        hop_cuda_timer t;
        s = hop_cuda_timer_start(&t);
        if (s == HOP_OK)
            s = hop_cuda_alloy_rows(d_lattice, d_p, d_nbr, d_sub, seed, first + done, k, row_len,
                                    d_rows, d_work, wb, threads);
        if (s == HOP_OK)
            s = hop_cuda_msd_reduce(d_rows, row_len, k, S, ap->n_times, d_words);
        if (s == HOP_OK)
            s = hop_cuda_timer_stop(&t);
        if (s == HOP_OK) {
            cudaError_t err = cudaDeviceSynchronize();
            if (err != cudaSuccess)
                s = hop_cuda_fail(err, "cudaDeviceSynchronize() after the alloy kernels",
                                  __FILE__, __LINE__);
        }
        done += k;
        ++*batches;
    }
    if (s == HOP_OK) {
        cudaError_t err = cudaMemcpy(words, d_words, words_bytes, cudaMemcpyDeviceToHost);
        if (err != cudaSuccess)
            s = hop_cuda_fail(err, "cudaMemcpy(the alloy accumulators)", __FILE__, __LINE__);
    }
    if (s == HOP_OK)
        hop_msd_accum_add_wide(acc, words, count);
    cudaFree(d_rows);
    cudaFree(d_work);
    cudaFree(d_words);
    cudaFree(d_sub);
    cudaFree(d_nbr);
    cudaFree(d_p);
    cudaFree(d_lattice);
    free(words);
    return s;
}

/* cuda.c: the CUDA backend's host side (see backend/cuda.h).  Plain C on the
 * CUDA runtime API; the kernels are reached only through kernels/launch.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cuda_runtime_api.h>
#include "backend/cuda.h"
#include "backend/batch.h"
#include "check.h"
#include "launch.h"

/* msd batch buffers hold at most this many replica rows (1 to 1.6 GB at 40 times). */
#define MSD_BATCH_CAP (UINT64_C(1) << 20)

static int selected;    /* the device this process runs on (hop_cuda_select) */
static double kernel_seconds;   /* kernel time measured with events (hop_cuda_kernel_seconds) */

hop_status hop_cuda_select(int local_rank)
{
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || count == 0) {
        cudaGetLastError();
        return HOP_OK;
    }
    selected = local_rank % count;
    HOP_CUDA_CHECK(cudaSetDevice(selected));
    return HOP_OK;
}

hop_status hop_cuda_probe(hop_cuda_info *info, char *why, size_t why_len)
{
    struct cudaDeviceProp prop;
    int count = 0;
    cudaError_t err = cudaGetDeviceCount(&count);
    if (err != cudaSuccess || count == 0) {
        snprintf(why, why_len, "no CUDA device found (%s)",
                 err != cudaSuccess ? cudaGetErrorString(err) : "the driver reports none");
        cudaGetLastError();          /* clear the sticky-free error for later calls */
        return HOP_ERR_NODEV;
    }
    if ((err = cudaGetDeviceProperties(&prop, selected)) != cudaSuccess) {
        snprintf(why, why_len, "CUDA device %d cannot be queried (%s)", selected,
                 cudaGetErrorString(err));
        return HOP_ERR_NODEV;
    }
    if ((err = hop_cuda_image_check()) != cudaSuccess) {
        snprintf(why, why_len, "CUDA device %d (%s, sm_%d%d) cannot run this build's kernels (%s); "
                 "rebuild with -DHOP_CUDA_ARCH=%d%d", selected, prop.name, prop.major, prop.minor,
                 cudaGetErrorString(err), prop.major, prop.minor);
        cudaGetLastError();
        return HOP_ERR_NODEV;
    }
    memset(info, 0, sizeof *info);
    snprintf(info->name, sizeof info->name, "%s", prop.name);
    info->cc_major = prop.major;
    info->cc_minor = prop.minor;
    info->multiprocessors = prop.multiProcessorCount;
    info->total_bytes = prop.totalGlobalMem;
    cudaDriverGetVersion(&info->driver_version);
    cudaRuntimeGetVersion(&info->runtime_version);
    return HOP_OK;
}

/* The lattice in device memory. */
static hop_status lattice_to_device(const hop_lattice *L, hop_lattice **d_lattice)
{
    HOP_CUDA_CHECK(cudaMalloc((void **)d_lattice, sizeof **d_lattice));
    HOP_CUDA_CHECK(cudaMemcpy(*d_lattice, L, sizeof *L, cudaMemcpyHostToDevice));
    return HOP_OK;
}

hop_status hop_cuda_alloc(size_t bytes, const char *what, void **d)
{
    cudaError_t err = cudaMalloc(d, bytes);
    if (err == cudaErrorMemoryAllocation) {
        cudaGetLastError();
        return hop_error(HOP_ERR_NOMEM, "cannot allocate %zu bytes of device memory for %s",
                         bytes, what);
    }
    if (err != cudaSuccess)
        return hop_cuda_fail(err, "cudaMalloc", __FILE__, __LINE__);
    return HOP_OK;
}

/* hop_batch_alloc's allocator on the device. */
static int device_alloc(void *ctx, size_t bytes, void **p)
{
    cudaError_t err = cudaMalloc(p, bytes);
    (void)ctx;
    if (err == cudaErrorMemoryAllocation) {
        cudaGetLastError();          /* out of memory is not sticky: clear it and retry */
        return 1;
    }
    return err == cudaSuccess ? 0 : -1;
}

hop_status hop_cuda_alloc_halving(size_t unit_bytes, uint64_t *count, const char *what, void **d)
{
    const uint64_t asked = *count;
    switch (hop_batch_alloc(device_alloc, NULL, unit_bytes, count, d)) {
    case 0:
        return HOP_OK;
    case 1:
        return hop_error(HOP_ERR_NOMEM, "not enough device memory for one unit of %s (%zu "
                         "bytes; %llu asked)", what, unit_bytes, (unsigned long long)asked);
    default:
        return hop_error(HOP_ERR_CUDA, "cudaMalloc of %s failed: %s", what,
                         cudaGetErrorString(cudaGetLastError()));
    }
}

hop_status hop_cuda_timer_start(hop_cuda_timer *t)
{
    HOP_CUDA_CHECK(cudaEventCreate((cudaEvent_t *)&t->start));
    HOP_CUDA_CHECK(cudaEventCreate((cudaEvent_t *)&t->stop));
    HOP_CUDA_CHECK(cudaEventRecord((cudaEvent_t)t->start, 0));
    return HOP_OK;
}

hop_status hop_cuda_timer_stop(hop_cuda_timer *t)
{
    float ms = 0;
    HOP_CUDA_CHECK(cudaEventRecord((cudaEvent_t)t->stop, 0));
    HOP_CUDA_CHECK(cudaEventSynchronize((cudaEvent_t)t->stop));
    HOP_CUDA_CHECK(cudaEventElapsedTime(&ms, (cudaEvent_t)t->start, (cudaEvent_t)t->stop));
    kernel_seconds += 1e-3 * ms;
    cudaEventDestroy((cudaEvent_t)t->start);
    cudaEventDestroy((cudaEvent_t)t->stop);
    return HOP_OK;
}

double hop_cuda_kernel_seconds(int reset)
{
    const double t = kernel_seconds;
    if (reset)
        kernel_seconds = 0;
    return t;
}

/* A zeroed device array of `bytes` bytes holding `what`. */
static hop_status device_zeroed(size_t bytes, const char *what, void **d)
{
    hop_status s = hop_cuda_alloc(bytes, what, d);
    if (s != HOP_OK)
        return s;
    HOP_CUDA_CHECK(cudaMemset(*d, 0, bytes));
    return HOP_OK;
}

/* Copy `what` back; this synchronizes, so a fault in a kernel surfaces here. */
static hop_status device_to_host(void *h, const void *d, size_t bytes, const char *what)
{
    cudaError_t err = cudaMemcpy(h, d, bytes, cudaMemcpyDeviceToHost);
    if (err != cudaSuccess)
        return hop_error(HOP_ERR_CUDA, "copying %s from the device failed at %s:%d: %s (%s)",
                         what, __FILE__, __LINE__, cudaGetErrorName(err), cudaGetErrorString(err));
    return HOP_OK;
}

static hop_status corr_batches(const hop_lattice *L, const hop_lattice *d_lattice,
                               const hop_corr_params *p, uint64_t seed, uint64_t first,
                               uint64_t count, uint64_t batch, uint64_t *d_tally,
                               uint64_t *d_next, int *batches)
{
    uint64_t done = 0;
    while (done < count) {
        uint64_t n = hop_batch_size(batch ? batch : HOP_CUDA_CORR_BATCH, count - done, 0, 0, 0);
        if (n >= HOP_CORR_MAX_LAUNCH)          /* the kernel's 32-bit claim counter */
            n = HOP_CORR_MAX_LAUNCH - 1;
        hop_cuda_timer t;
        hop_status s = hop_cuda_timer_start(&t);
        if (s == HOP_OK)
            s = hop_cuda_corr(d_lattice, L, p, seed, first + done, n, d_tally, d_next);
        if (s == HOP_OK)
            s = hop_cuda_timer_stop(&t);
        if (s != HOP_OK)
            return s;
        HOP_CUDA_CHECK(cudaDeviceSynchronize());
        done += n;
        ++*batches;
    }
    return HOP_OK;
}

hop_status hop_cuda_run_corr(const hop_lattice *L, const hop_corr_params *p, uint64_t seed,
                             uint64_t first, uint64_t count, uint64_t batch,
                             hop_corr_counts *counts, int *batches)
{
    const size_t bytes = (size_t)HOP_CORR_SLOTS(counts->n_types, counts->n_shells) * sizeof(uint64_t);
    hop_lattice *d_lattice = NULL;
    uint64_t *d_tally = NULL, *d_next = NULL, *tally = malloc(bytes);
    hop_status s;
    *batches = 0;
    if (!tally)
        return HOP_ERR_NOMEM;
    s = lattice_to_device(L, &d_lattice);
    if (s == HOP_OK)
        s = device_zeroed(bytes, "the corr tally", (void **)&d_tally);
    if (s == HOP_OK)
        s = device_zeroed(sizeof *d_next, "the replica counter", (void **)&d_next);
    if (s == HOP_OK)
        s = corr_batches(L, d_lattice, p, seed, first, count, batch, d_tally, d_next, batches);
    if (s == HOP_OK)
        s = device_to_host(tally, d_tally, bytes, "the corr tally");
    if (s == HOP_OK)
        hop_corr_counts_add_tally(counts, tally);
    cudaFree(d_next);
    cudaFree(d_tally);
    cudaFree(d_lattice);
    free(tally);
    return s;
}

static hop_status msd_batches(const hop_lattice *d_lattice, const hop_msd_params *p,
                              uint64_t seed, uint64_t first, uint64_t count, uint64_t batch,
                              int S, int row_len, uint64_t *d_words, int *batches)
{
    const size_t row_bytes = (size_t)row_len * sizeof(int64_t);
    size_t free_bytes = 0, total_bytes = 0;
    int64_t *d_rows = NULL;
    uint64_t size, done = 0;
    hop_status s;
    HOP_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
    size = hop_batch_size(batch, count, free_bytes, row_bytes, MSD_BATCH_CAP);
    if ((s = hop_cuda_alloc_halving(row_bytes, &size, "the msd replica rows", (void **)&d_rows))
        != HOP_OK)
        return s;
    while (s == HOP_OK && done < count) {
        const uint64_t n = size < count - done ? size : count - done;
        hop_cuda_timer t;
        s = hop_cuda_timer_start(&t);
        if (s == HOP_OK)
            s = hop_cuda_msd_rows(d_lattice, p, seed, first + done, n, row_len, d_rows);
        if (s == HOP_OK)
            s = hop_cuda_msd_reduce(d_rows, row_len, n, S, p->n_times, d_words);
        if (s == HOP_OK)
            s = hop_cuda_timer_stop(&t);
        if (s == HOP_OK) {
            cudaError_t err = cudaDeviceSynchronize();
            if (err != cudaSuccess)
                s = hop_cuda_fail(err, "cudaDeviceSynchronize() after the msd rows and reduction kernels", __FILE__,
                                  __LINE__);
        }
        done += n;
        ++*batches;
    }
    cudaFree(d_rows);
    return s;
}

hop_status hop_cuda_run_msd(const hop_lattice *L, const hop_msd_params *p, uint64_t seed,
                            uint64_t first, uint64_t count, uint64_t batch,
                            hop_msd_accum *acc, int *batches)
{
    const int S = acc->n_series, row_len = hop_msd_row_len(L, p);
    const size_t bytes = 2 * (size_t)hop_msd_entries(S, p->n_times) * sizeof(uint64_t);
    hop_lattice *d_lattice = NULL;
    uint64_t *d_words = NULL, *words = malloc(bytes);
    hop_status s;
    *batches = 0;
    if (!words)
        return HOP_ERR_NOMEM;
    s = lattice_to_device(L, &d_lattice);
    if (s == HOP_OK)
        s = device_zeroed(bytes, "the msd accumulators", (void **)&d_words);
    if (s == HOP_OK)
        s = msd_batches(d_lattice, p, seed, first, count, batch, S, row_len, d_words, batches);
    if (s == HOP_OK)
        s = device_to_host(words, d_words, bytes, "the msd accumulators");
    if (s == HOP_OK)
        hop_msd_accum_add_wide(acc, words, count);
    cudaFree(d_words);
    cudaFree(d_lattice);
    free(words);
    return s;
}

hop_status hop_cuda_wave(const hop_lattice *L, const hop_corr_params *cp,
                         const hop_gas_model *m, uint64_t *replicas)
{
    hop_gas_grid g;
    if (!L)
        return hop_cuda_ceiling_wave(replicas);
    if (cp)
        return hop_cuda_corr_wave(L, cp, replicas);
    if (!m)
        return hop_cuda_msd_wave(replicas);
    if (hop_cuda_gas_grid(L, &m->gp, UINT64_MAX / 2, m->layout, &g) != HOP_OK)
        return HOP_ERR_CUDA;
    *replicas = (uint64_t)g.blocks * (uint64_t)g.threads;
    return HOP_OK;
}

hop_status hop_cuda_time_ceiling(uint64_t seed, uint64_t count, uint64_t words, double *seconds)
{
    uint32_t *d_sink = NULL;
    hop_cuda_timer t;
    double t0 = hop_cuda_kernel_seconds(0);
    hop_status s;
    HOP_CUDA_CHECK(cudaMalloc((void **)&d_sink, sizeof *d_sink));
    s = hop_cuda_timer_start(&t);
    if (s == HOP_OK)
        s = hop_cuda_ceiling(seed, count, words, d_sink);
    if (s == HOP_OK)
        s = hop_cuda_timer_stop(&t);
    if (s == HOP_OK) {
        cudaError_t err = cudaDeviceSynchronize();
        if (err != cudaSuccess)
            s = hop_cuda_fail(err, "cudaDeviceSynchronize() after the ceiling kernel", __FILE__,
                              __LINE__);
    }
    *seconds = hop_cuda_kernel_seconds(0) - t0;
    cudaFree(d_sink);
    return s;
}

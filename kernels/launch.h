/* launch.h: the C interface of hop's CUDA kernels.  Each launcher takes device
 * pointers (d_ prefix) and plain values, sizes its grid from the device, launches, and
 * returns a status (check.h).  Launches are asynchronous on the default stream; the
 * caller's next synchronizing call (a copy back) reports faults inside a kernel.
 *
 * The kernels are thin: every replica runs the shared step code of include/hop/step.h,
 * drawing from cuRAND's Philox stream (seed, subsequence = global replica index), and
 * only integer statistics come back, summed in an order-free way. */
#ifndef HOP_KERNELS_LAUNCH_H
#define HOP_KERNELS_LAUNCH_H

#include "hop/step.h"
#include "hop/gas.h"
#include "hop/alloy.h"
#include "hop/status.h"
#include <cuda_runtime_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/* corr.cu: runs replicas [first, first + count) of the corr estimator and adds their
 * outcomes to the tally d_tally (HOP_CORR_SLOTS(n_sub z, p->n_shells) counters, layout
 * in step.h).  d_lattice: the lattice in device memory; d_next: one counter of scratch
 * (threads claim replicas from it, as 32 bits; reset here before the launch).  count <
 * HOP_CORR_MAX_LAUNCH, else HOP_ERR_INVAL (the caller batches). */
#define HOP_CORR_MAX_LAUNCH (UINT64_C(1) << 31)
hop_status hop_cuda_corr(const hop_lattice *d_lattice, const hop_lattice *lattice,
                         const hop_corr_params *p, uint64_t seed, uint64_t first,
                         uint64_t count, uint64_t *d_tally, uint64_t *d_next);

/* corr.cu: the replicas one launch keeps running at once (resident lanes times the
 * replicas a lane claims at once) on `lattice` (host memory): a wave (hop bench). */
hop_status hop_cuda_corr_wave(const hop_lattice *lattice, const hop_corr_params *p,
                              uint64_t *replicas);

/* msd.cu: the replicas one wave of the msd rows kernel runs (resident threads). */
hop_status hop_cuda_msd_wave(uint64_t *replicas);

/* msd.cu: runs replicas [first, first + count) of the msd estimator, writing replica
 * first + i's row (hop_msd_row_len entries) to d_rows + i * row_len ... */
hop_status hop_cuda_msd_rows(const hop_lattice *d_lattice, const hop_msd_params *p,
                             uint64_t seed, uint64_t first, uint64_t count, int row_len,
                             int64_t *d_rows);
/* ... and adds the `count` rows into the msd accumulators d_words: entry e of
 * include/hop/msd_reduce.h as words (low, high) at d_words[2e], d_words[2e + 1]. */
hop_status hop_cuda_msd_reduce(const int64_t *d_rows, int row_len, uint64_t count,
                               int n_series, int n_times, uint64_t *d_words);

/* gas.cu: the lattice gas (include/hop/gas.h).  hop_cuda_gas_grid picks the launch
 * for `count` replicas in workspace layout `layout` (HOP_GAS_LAYOUT_*, gas.h): threads
 * per block, blocks, dynamic shared memory, the layout used, and the device-memory
 * workspace each thread needs (work_ints int32 each; the caller allocates
 * blocks * threads of them).
 * hop_cuda_gas_rows runs replicas [first, first + count), writing replica first + i's
 * row (hop_gas_row_len entries) to d_rows + i * row_len; sum them with
 * hop_cuda_msd_reduce (hop_gas_series series).  d_nbr, d_sub, d_block: the box tables
 * (hop_gas_box). */
typedef struct {
    const void *kernel;                 /* the specialisation for the lattice and layout */
    int threads, blocks, layout;        /* layout: SHARED, DEVICE or STRIPED */
    size_t shared_bytes;
    uint64_t work_ints;
} hop_gas_grid;
hop_status hop_cuda_gas_grid(const hop_lattice *lattice, const hop_gas_params *p,
                             uint64_t count, int layout, hop_gas_grid *g);
hop_status hop_cuda_gas_rows(const hop_lattice *d_lattice, const hop_gas_params *p,
                             const int32_t *d_nbr, const int8_t *d_sub,
                             const uint16_t *d_block, uint64_t seed,
                             uint64_t first, uint64_t count, int row_len, int64_t *d_rows,
                             int32_t *d_work, const hop_gas_grid *g);

/* ceiling.cu: cudaSuccess when this build's kernels have code the current device can
 * run (cudaErrorNoKernelImageForDevice, e.g., for a GPU older than HOP_CUDA_ARCH). */
cudaError_t hop_cuda_image_check(void);

/* ceiling.cu: for replicas [0, count), curand_init(seed, replica, 0) and `words`
 * words of curand4, XORed into *d_sink: the RNG-bound ceiling of the step kernels. */
hop_status hop_cuda_ceiling(uint64_t seed, uint64_t count, uint64_t words, uint32_t *d_sink);
/* ceiling.cu: the replicas one wave of the ceiling kernel runs (resident threads). */
hop_status hop_cuda_ceiling_wave(uint64_t *replicas);

/* alloy.cu: the concentrated alloy (include/hop/alloy.h), one replica per thread.
 * hop_cuda_alloy_threads: the resident threads for `count` replicas (each needs its own
 * workspace, work_bytes apart, 8-byte aligned, in device memory).
 * hop_cuda_alloy_rows runs replicas [first, first + count) on `threads` threads (a
 * multiple of the block size; d_work holds that many workspaces), writing replica
 * first + i's row (hop_alloy_row_len entries) to d_rows + i * row_len; sum them with
 * hop_cuda_msd_reduce (hop_alloy_series series).  d_p, d_nbr, d_sub in device memory. */
hop_status hop_cuda_alloy_threads(uint64_t count, uint64_t *threads);
hop_status hop_cuda_alloy_rows(const hop_lattice *d_lattice, const hop_alloy_params *d_p,
                               const int32_t *d_nbr, const int8_t *d_sub, uint64_t seed,
                               uint64_t first, uint64_t count, int row_len, int64_t *d_rows,
                               char *d_work, size_t work_bytes, uint64_t threads);

#ifdef __cplusplus
}
#endif

#endif

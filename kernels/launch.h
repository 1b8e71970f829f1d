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
#include "hop/status.h"
#include <cuda_runtime_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/* corr.cu: runs replicas [first, first + count) of the corr estimator and adds their
 * outcomes to the tally d_tally (HOP_CORR_SLOTS(n_sub z, p->n_shells) counters, layout
 * in step.h).  d_lattice: the lattice in device memory; d_next: one counter of scratch
 * (threads claim replicas from it; reset here before the launch). */
hop_status hop_cuda_corr(const hop_lattice *d_lattice, const hop_lattice *lattice,
                         const hop_corr_params *p, uint64_t seed, uint64_t first,
                         uint64_t count, uint64_t *d_tally, uint64_t *d_next);

/* msd.cu: runs replicas [first, first + count) of the msd estimator, writing replica
 * first + i's row (hop_msd_row_len entries) to d_rows + i * row_len ... */
hop_status hop_cuda_msd_rows(const hop_lattice *d_lattice, const hop_msd_params *p,
                             uint64_t seed, uint64_t first, uint64_t count, int row_len,
                             int64_t *d_rows);
/* ... and adds the `count` rows into the msd accumulators d_words: entry e of
 * include/hop/msd_reduce.h as words (low, high) at d_words[2e], d_words[2e + 1]. */
hop_status hop_cuda_msd_reduce(const int64_t *d_rows, int row_len, uint64_t count,
                               int n_series, int n_times, uint64_t *d_words);

/* ceiling.cu: cudaSuccess when this build's kernels have code the current device can
 * run (cudaErrorNoKernelImageForDevice, e.g., for a GPU older than HOP_CUDA_ARCH). */
cudaError_t hop_cuda_image_check(void);

/* ceiling.cu: for replicas [0, count), curand_init(seed, replica, 0) and `words`
 * words of curand4, XORed into *d_sink: the RNG-bound ceiling of the step kernels. */
hop_status hop_cuda_ceiling(uint64_t seed, uint64_t count, uint64_t words, uint32_t *d_sink);

#ifdef __cplusplus
}
#endif

#endif

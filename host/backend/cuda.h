/* cuda.h: the host side of the CUDA backend.  It owns device memory, cuts a run
 * into batches of replicas, launches the kernels (kernels/launch.h) and turns what
 * comes back into the same integer accumulators the CPU backend fills
 * (stats/corr.h, stats/msd.h), so the rest of hop does not know which backend ran.
 * Replica r draws from Philox stream (seed, r) on either backend; the accumulators are
 * integer sums; hence the same seed and replica count give the same bits as the CPU.
 *
 * In a build without CUDA (host/backend/cuda_stub.c) every function reports
 * HOP_ERR_NODEV: "no CUDA support in this build". */
#ifndef HOP_BACKEND_CUDA_H
#define HOP_BACKEND_CUDA_H

#include <stddef.h>
#include "stats/corr.h"
#include "stats/msd.h"
#include "backend/gas_job.h"
#include "hop/alloy.h"

/* corr replicas per launch when not given: about 10^10 vacancy steps (a fraction of a
 * second on a large GPU), so a run can report progress and stop between launches. */
#define HOP_CUDA_CORR_BATCH (UINT64_C(1) << 24)

typedef struct {
    char name[256];          /* e.g. "NVIDIA H100 80GB HBM3" (cudaDeviceProp.name) */
    int cc_major, cc_minor;  /* compute capability */
    int multiprocessors;
    size_t total_bytes;
    int driver_version;      /* CUDA driver API version, e.g. 13000 */
    int runtime_version;
} hop_cuda_info;

/* Is there a usable CUDA device?  HOP_OK with *info filled (the selected device, 0
 * unless hop_cuda_select chose another), else HOP_ERR_NODEV with the reason in why
 * (nothing printed). */
hop_status hop_cuda_probe(hop_cuda_info *info, char *why, size_t why_len);

/* One GPU per process of an MPI job: device local_rank mod the node's device count
 * becomes this process's (before any other CUDA call).  Without devices nothing
 * happens (the cpu backend runs).  Returns HOP_OK or HOP_ERR_CUDA (reported). */
hop_status hop_cuda_select(int local_rank);

/* Run replicas [first, first + count) of the corr estimator and add their outcomes to
 * *counts.  batch: replicas per launch, 0 = automatic.  *batches: launches made. */
hop_status hop_cuda_run_corr(const hop_lattice *L, const hop_corr_params *p, uint64_t seed,
                             uint64_t first, uint64_t count, uint64_t batch,
                             hop_corr_counts *counts, int *batches);

/* Same for the msd estimator, adding to *acc.  batch: replicas per batch buffer,
 * 0 = sized from the free device memory; halved while an allocation fails. */
hop_status hop_cuda_run_msd(const hop_lattice *L, const hop_msd_params *p, uint64_t seed,
                            uint64_t first, uint64_t count, uint64_t batch,
                            hop_msd_accum *acc, int *batches);

/* Same for the lattice gas (models/gas.h), adding its rows to *acc.  batch: replicas per
 * batch buffer, 0 = sized from the free device memory. */
hop_status hop_cuda_run_gas(const hop_lattice *L, const hop_gas_model *m, uint64_t seed,
                            uint64_t first, uint64_t count, uint64_t batch,
                            hop_msd_accum *acc, int *batches);

/* Same for the concentrated alloy (include/hop/alloy.h): its step parameters and box,
 * adding its rows to *acc.  batch: replicas per batch buffer, 0 = sized from the free
 * device memory. */
hop_status hop_cuda_run_alloy(const hop_lattice *L, const hop_alloy_params *ap,
                              const hop_gas_box *box, uint64_t seed, uint64_t first,
                              uint64_t count, uint64_t batch, hop_msd_accum *acc, int *batches);

/* cudaMalloc of `bytes` for `what` (CUDA host side only): running out of device memory
 * is reported as HOP_ERR_NOMEM (callers then try smaller batches), other failures as
 * HOP_ERR_CUDA. */
hop_status hop_cuda_alloc(size_t bytes, const char *what, void **d);

/* hop_cuda_alloc of *count units of unit_bytes, *count halved while the device lacks
 * the memory (backend/batch.h, hop_batch_alloc): HOP_OK with *count the units given,
 * HOP_ERR_NOMEM when not even one fits, HOP_ERR_CUDA (CUDA host side only). */
hop_status hop_cuda_alloc_halving(size_t unit_bytes, uint64_t *count, const char *what,
                                  void **d);

/* Kernel time measured with CUDA events around every launch (corr) or batch of kernels
 * (msd and gas rows with their reduction; the ceiling): copies, allocations and host
 * work are not in it.  hop_cuda_kernel_seconds returns the seconds accumulated since the
 * last reset (and resets when `reset` is 1); hop bench reads it.  The timer pair is for
 * the CUDA host side (events as opaque pointers, so this header stays plain C). */
typedef struct {
    void *start, *stop;
} hop_cuda_timer;
hop_status hop_cuda_timer_start(hop_cuda_timer *t);
hop_status hop_cuda_timer_stop(hop_cuda_timer *t);
double hop_cuda_kernel_seconds(int reset);

/* Replicas in one wave of the kernel behind a run on L: as many as the device keeps
 * resident (times the replicas a corr lane claims at once): the corr kernel when cp is
 * given, else the gas kernel (model m, its layout) when m is, else the msd rows kernel;
 * the ceiling kernel when L is NULL.
 * hop bench sizes its measurements in whole waves, so no launch ends with a partly
 * filled wave. */
hop_status hop_cuda_wave(const hop_lattice *L, const hop_corr_params *cp,
                         const hop_gas_model *m, uint64_t *replicas);

/* Seconds the ceiling kernel takes to draw `words` words for each of `count` replicas
 * (hop bench; event-timed, added to hop_cuda_kernel_seconds as well). */
hop_status hop_cuda_time_ceiling(uint64_t seed, uint64_t count, uint64_t words, double *seconds);

#endif

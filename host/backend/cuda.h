/* backend_cuda.h: the host side of the CUDA backend.  It owns device memory, cuts a run
 * into batches of replicas, launches the kernels (kernels/launch.h) and turns what
 * comes back into the same integer accumulators the CPU backend fills
 * (corr_stats.h, msd_stats.h), so the rest of hop does not know which backend ran.
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

/* Same for the lattice gas (gas_run.h), adding its rows to *acc.  batch: replicas per
 * batch buffer, 0 = sized from the free device memory. */
hop_status hop_cuda_run_gas(const hop_lattice *L, const hop_gas_model *m, uint64_t seed,
                            uint64_t first, uint64_t count, uint64_t batch,
                            hop_msd_accum *acc, int *batches);

/* cudaMalloc of `bytes` for `what` (CUDA host side only): running out of device memory
 * is reported as HOP_ERR_NOMEM (callers then try smaller batches), other failures as
 * HOP_ERR_CUDA. */
hop_status hop_cuda_alloc(size_t bytes, const char *what, void **d);

/* Seconds the ceiling kernel takes to draw `words` words for each of `count` replicas
 * (hop bench). */
hop_status hop_cuda_time_ceiling(uint64_t seed, uint64_t count, uint64_t words, double *seconds);

#endif

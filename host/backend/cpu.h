/* cpu.h: the CPU backend, OpenMP loops over replicas around the shared step
 * code (include/hop/step.h).  Replica r of a run always draws from Philox stream
 * (seed, r) and contributes integer counts, so the results do not depend on the number
 * of threads or on how replicas are scheduled. */
#ifndef HOP_BACKEND_CPU_H
#define HOP_BACKEND_CPU_H

#include "stats/corr.h"
#include "stats/msd.h"
#include "backend/gas_job.h"
#include "hop/alloy.h"

/* Run replicas [first, first + count) of the corr estimator and add their outcomes to
 * *counts.  threads <= 0 means all available; returns the threads used in *used. */
hop_status hop_cpu_corr(const hop_lattice *L, const hop_corr_params *p, uint64_t seed,
                        uint64_t first, uint64_t count, int threads, int *used,
                        hop_corr_counts *counts);

/* Same for the msd estimator, adding to *acc. */
hop_status hop_cpu_msd(const hop_lattice *L, const hop_msd_params *p, uint64_t seed,
                       uint64_t first, uint64_t count, int threads, int *used,
                       hop_msd_accum *acc);

/* Same for the lattice gas (models/gas.h), adding its rows to *acc (hop_gas_accum_alloc). */
hop_status hop_cpu_gas(const hop_lattice *L, const hop_gas_model *m, uint64_t seed,
                       uint64_t first, uint64_t count, int threads, int *used,
                       hop_msd_accum *acc);

/* Same for the alloy (include/hop/alloy.h): its step parameters and box, adding its rows
 * to *acc (hop_msd_accum of hop_alloy_series(n_species) series). */
hop_status hop_cpu_alloy(const hop_lattice *L, const hop_alloy_params *ap, const hop_gas_box *box,
                         uint64_t seed, uint64_t first, uint64_t count, int threads, int *used,
                         hop_msd_accum *acc);

#endif

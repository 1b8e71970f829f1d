/* run.h: how a resolved hop_params becomes the shared step code's parameters.  Used by
 * hop_run_execute and by `hop bench`, so both run exactly the same work. */
#ifndef HOP_RUN_H
#define HOP_RUN_H

#include <stddef.h>
#include "hop/hop.h"
#include "checkpoint.h"

/* The most replicas a run does (--replicas, and the rounds of --target-error). */
#define HOP_MAX_REPLICAS UINT64_C(1000000000000)

/* Truncation radii (jump lengths, increasing) and the corr step parameters. */
void hop_run_corr_params(const hop_params *p, double *radius, hop_corr_params *cp);
/* Box and log-spaced time grid of the msd estimator for a box of `size` cells. */
void hop_run_msd_params(const hop_params *p, int size, hop_msd_params *mp);
/* What runs a backend, into buf: "host CPU: <model>", or for cuda the GPU's name,
 * architecture, memory and CUDA versions.  HOP_ERR_NODEV (reported) when cuda is asked
 * for and no device is usable. */
hop_status hop_device_describe(int backend, char *buf, size_t n);
void hop_cpu_model(char *buf, size_t n);
/* Seconds on a monotonic clock. */
double hop_wall_seconds(void);

/* The zeroed statistics of a run of resolved p in st (corr tallies; msd's two boxes;
 * the gas's one), as the rounds loop and checkpoints hold them.  HOP_OK or
 * HOP_ERR_NOMEM (nothing reported; st then safe to free).  _free: NULL members are
 * fine; st is zeroed. */
hop_status hop_run_state_alloc(const hop_params *p, hop_checkpoint_state *st);
void hop_run_state_free(hop_checkpoint_state *st);

#endif

/* report.h: the human-readable summary of a run, printed on stdout. */
#ifndef HOP_REPORT_H
#define HOP_REPORT_H

#include <stdio.h>
#include "hop/hop.h"
#include "stats/exact.h"

/* Prints the summary of r to out: a header (version, lattice, estimator, model,
 * backend, threads, seed), f with its statistical error and systematic bound (digits
 * set by the error: two significant digits of sigma), the principal components and the
 * isotropy check, the estimator's own section (corr: f at each truncation radius and
 * the lost fraction; msd: box, D_uncorrelated, D*, D_sigma, the Haven ratio in both
 * conventions, the fit and the finite-size check) and the work done (replicas, jumps,
 * steps, wall time, throughput).  Units: lengths in a, times in 1/omega, D in
 * a^2 omega.  Writes nothing else and does not flush. */
void hop_report_print(FILE *out, const hop_result *r);

/* The summary of an exact run (hop run --estimator exact). */
void hop_report_exact(FILE *out, const hop_params *p, const hop_exact_result *r);

#endif

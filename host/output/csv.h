/* csv.h: the MSD curves of an msd run as CSV, for plotting. */
#ifndef HOP_OUTPUT_CSV_H
#define HOP_OUTPUT_CSV_H

#include "hop/hop.h"

/* Writes r->msd (r->n_points rows) to `path`, atomically: one '#' comment line with
 * the lattice, box sites, replicas, seed and units, a header row
 *   t,msd_tracer,msd_tracer_se,msd_vacancy,msd_vacancy_se,msd_collective,msd_collective_se
 * and one row per time point (%.10g).  t in 1/omega, MSD in a^2.  Errors are reported
 * through hop_error; returns HOP_OK, HOP_ERR_INVAL (r holds no MSD curve) or
 * HOP_ERR_IO. */
hop_status hop_msd_csv_write(const char *path, const hop_result *r);

#endif

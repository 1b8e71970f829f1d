/* check.h: the checks of a lattice file that need the whole file (lattice/check.c). */
#ifndef HOP_LATTICE_CHECK_H
#define HOP_LATTICE_CHECK_H

#include "lattice/reader.h"

/* The checks that need the whole file, in the order hop_lattice_load runs them
 * (lattice/check.c); each returns HOP_OK or reports through hop_lf_bad. */
hop_status hop_lf_check_required(reader *r);
hop_status hop_lf_derive_weights(reader *r);
hop_status hop_lf_check_axes(reader *r);
hop_status hop_lf_check_sites(reader *r);
hop_status hop_lf_finish_groups(reader *r);
hop_status hop_lf_find_nearest(reader *r);
hop_status hop_lf_check_counts(reader *r);
hop_status hop_lf_check_jumps(reader *r);
hop_status hop_lf_check_connected(reader *r);
hop_status hop_lf_check_isotropic(reader *r);

#endif

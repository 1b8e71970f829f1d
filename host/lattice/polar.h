/* polar.h: whether a lattice has polar sites, sites whose symmetry leaves a vector
 * invariant (the field polar_site of include/hop/lattice.h).  On such a site a vacancy
 * that arrives afresh moves the tracer, on average, along that vector, which the
 * corr estimator's and the exact solver's jump chain leaves out (stats/corr.c). */
#ifndef HOP_LATTICE_POLAR_H
#define HOP_LATTICE_POLAR_H

#include "hop/hop.h"

/* Sets L->drift_site (lattice.h) and L->polar_site from L's jumps, integer rates
 * (rate[][], all 0 when equal) and occupations.  A sublattice s is polar when its jumps
 * have a mean, or else when the symmetries of the network that fix a site x0 of s
 * (linear maps that keep lengths and map every site to a site whose jumps are the
 * images of the first's, with the same rates and occupation) leave a vector invariant:
 * when they, a finite group, do not sum to 0 (the sum is the group's order times the
 * projector on the invariant vectors).  The candidates are the rotations of the space
 * group spglib finds for the cell's sites; each is checked exactly (polar.c).  Needs
 * the fields hop_lattice_finish derives and the rates: it is called wherever the
 * integer rates are set (lattice.c, rates.c), after hop_lattice_derive_choice.
 * HOP_OK, or HOP_ERR_INVAL with a message in msg where spglib fails (out of memory). */
hop_status hop_lattice_derive_polar(hop_lattice *L, char *msg, size_t msg_len);

#endif

/* polar.h: whether a lattice has polar sites, sites whose symmetry leaves a vector
 * invariant (the field polar_site of include/hop/lattice.h).  On such a site a vacancy
 * that arrives afresh moves the tracer, on average, along that vector, which the
 * corr estimator's and the exact solver's jump chain leaves out (stats/corr.c). */
#ifndef HOP_LATTICE_POLAR_H
#define HOP_LATTICE_POLAR_H

#include "hop/hop.h"

/* Sets L->drift_site (lattice.h) and L->polar_site from L's jumps, integer rates
 * (rate[][], all 0 when equal) and occupations.  For each sublattice s it finds the linear maps G that fix a site x0 of
 * s, keep lengths (|G x| = |x| for the jumps that determine G) and map the network onto
 * itself: every site to a site whose jumps are the images G e_k of the first's, with
 * the same rates, and whose occupation is the same.  They form a finite group, whose
 * elements sum to its order times the projector onto the vectors it leaves invariant;
 * s is polar when that sum is not 0 (or, without a search, when its jumps have a mean).  G is determined by the images of dim independent
 * vectors among x0's jumps (or, where those do not span, the ends of its two-jump
 * paths); a site where those do not span either counts as polar (nothing shows it is
 * not).  Needs the fields hop_lattice_finish derives and the rates: it is called
 * wherever the integer rates are set (lattice.c, rates.c), after
 * hop_lattice_derive_choice.  Always succeeds. */
void hop_lattice_derive_polar(hop_lattice *L);

#endif

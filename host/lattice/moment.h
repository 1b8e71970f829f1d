/* moment.h: the jump network's second moment, the one sum behind every uncorrelated
 * reference D (the gas's D0, the alloy's, physical units' Gamma <alpha^2>, the msd
 * estimator's <|e|^2>): sum over jumps of a weight times |e_k|^2 or its projection on a
 * principal component. */
#ifndef HOP_LATTICE_MOMENT_H
#define HOP_LATTICE_MOMENT_H

#include "hop/hop.h"

/* sum over the sites b of the conventional cell and their jumps k (k < z_sub) of
 * e_k . e_k projected on principal component g (g < 0: |e_k|^2), times metric_den: an
 * exact integer (each term is, lattice.h).  Divided by n_basis and metric_den it is the
 * moment per site in a^2: z alpha^2 with one length, 2d D0 of a lone particle. */
int64_t hop_lattice_moment_exact(const hop_lattice *L, int g);

/* sum over sublattices s and their jumps k (k < z_sub[s]), in that order, of
 * weight[s][k] (e_k . e_k projected on g, or |e_k|^2 for g < 0, divided by unit), added
 * from 0; weight is only read.  unit = metric_den gives a^2, unit = 1 the integers of
 * lattice.h exactly.  The weight carries what the caller's reference needs: the sites
 * of s in a cell, the vacancy's occupation, the rate, or the share of tracer jumps
 * (hop_lattice_type_weight).  This order and form are those the four callers' results
 * were recorded with (scripts/regress). */
double hop_lattice_moment(const hop_lattice *L, int g, double weight[][HOP_MAX_Z], double unit);

#endif

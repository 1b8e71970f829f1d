/* impl.h: host-side internals of the lattice registry (not public API). */
#ifndef HOP_LATTICE_IMPL_H
#define HOP_LATTICE_IMPL_H

#include "hop/hop.h"

#define HOP_N_LATTICES 12

/* The raw tables of lattice/tables.c, before derivation. */
extern const hop_lattice hop_lattice_tables[HOP_N_LATTICES];

/* Derive jump_sub, jump_rev, metric, jump_len2 and min_size of *L from its table and
 * check it: every jump leads to a site of the table, every jump has its reverse, no
 * two sites coincide (jumps may have several lengths: jump_len2 is then 0).  Also gives unlabelled sublattices the
 * labels "A", "B", ..., a table without classes or per-jump rates the one class "nn",
 * checks the classes (a jump and its reverse in one class) and derives the integer
 * rates from classes and site energies unless one is in eV (then the caller applies
 * them with the temperature, lattice/rates.h).  On failure returns HOP_ERR_INVAL and
 * writes a message naming the lattice and the problem. */
hop_status hop_lattice_finish(hop_lattice *L, char *msg, size_t msg_len);

/* The integer rates of lattice/rates.h (hop_lattice_apply_rates) with the message
 * written to msg instead of reported: HOP_OK or HOP_ERR_INVAL, *L untouched on failure. */
hop_status hop_lattice_derive_rates(hop_lattice *L, double kT_eV, char *msg, size_t msg_len);

/* Whether the second moment of the whole jump network, sum over the sites b of the
 * cell and their jumps k of occupation x rate x e e^T (Cartesian, each 1 where uniform),
 * is a multiple of the identity: what symmetry must give for D, and f, to be scalars.
 * Exact (128-bit integers).  *bad_a, *bad_b (may be NULL) receive the first component
 * that breaks it.  Not per sublattice: kagome's and pyrochlore's sublattices are each
 * anisotropic, their network is not. */
int hop_lattice_moment_isotropic(const hop_lattice *L, int *bad_a, int *bad_b);

/* Site of the conventional cell at integer position x (reduced modulo the cell), or -1
 * if x is not a lattice site. */
int hop_lattice_site_index(const hop_lattice *L, const int32_t *x);

/* Whether a periodic box of `size` cells is a valid lattice for the single-vacancy
 * walk: no site is its own neighbour and no two jumps from a site reach the same site. */
int hop_lattice_box_valid(const hop_lattice *L, int size);

#endif

/* rates.h: a lattice's jump-class rates and site energies, and the integer per-jump
 * rates derived from them.
 *
 * The vacancy's jump from a site of sublattice s to one of t through class c has rate
 *     Gamma = R_c exp(-B_c - (E_t - E_s) / 2)                      (energies in kT)
 * (the kinetically-resolved barrier B_c + (E_t - E_s)/2; lattice-file version 2,
 * docs/lattice-files.md).  A jump and its reverse are in one class, so
 * e^{-E_s} Gamma(s->t) = e^{-E_t} Gamma(t->s): detailed balance, with the vacancy's
 * equilibrium occupation of sublattice s proportional to n_s e^{-E_s}.  The command
 * line changes R_c and E_s (--rate CLASS=V, --site-energy LABEL=V) on its own copy of
 * a lattice and then derives the integer rates again with hop_lattice_apply_rates. */
#ifndef HOP_LATTICE_RATES_H
#define HOP_LATTICE_RATES_H

#include "hop/hop.h"

/* Sets the rate prefactor R of jump class `cls` of *L (the integer rates are derived
 * again only by hop_lattice_apply_rates).  Returns HOP_OK; HOP_ERR_INVAL (reported
 * through hop_error, *L untouched) when R is not finite and > 0, or when L has no
 * class of that name: the message lists the valid names. */
hop_status hop_lattice_set_rate(hop_lattice *L, const char *cls, double R);

/* Sets the vacancy's site energy E (in kT) on the sublattice labelled `label` of *L,
 * clearing its eV unit.  Returns HOP_OK; HOP_ERR_INVAL (reported, *L untouched) when E
 * is not finite or no sublattice has that label: the message lists the valid labels. */
hop_status hop_lattice_set_site_energy(hop_lattice *L, const char *label, double E);

/* Derives rate[s][k] and rate_total[s] of *L from its classes and site energies by the
 * rule above: the largest rate becomes 2^32 and each other its ratio to the largest
 * times 2^32, rounded to the nearest integer.  When every jump has the same rate the
 * lattice is an equal-rate lattice: rate[][] and rate_total[] all 0 (the fast path,
 * bit for bit today's built-ins), unless its sublattices differ in coordination (their
 * absent jumps then need explicit rates of 0, lattice.h).  kT_eV (k_B T in eV, > 0) converts energies and
 * barriers given in eV; kT_eV <= 0 means none is known.  A lattice without classes
 * (n_classes 0: a version-1 file's per-jump rates) keeps its rates when every site
 * energy is 0.  Returns HOP_OK, or HOP_ERR_INVAL (reported; *L untouched) when an
 * energy is in eV and kT_eV <= 0 (asks for --T), a rate is not finite, a rate would
 * round to 0 (names the ratio), or site energies are set on a lattice without
 * classes. */
hop_status hop_lattice_apply_rates(hop_lattice *L, double kT_eV);

/* Whether L gives a site energy or a class barrier in eV (a lattice file's, or
 * --site-energy LABEL=VALUEeV): its rates wait for --T, which converts them to kT. */
int hop_lattice_has_ev(const hop_lattice *L);

#endif

/* physics.h: from the reduced results of a run (f, D in a^2 omega) to physical units,
 * thermodynamics and transport.
 *
 *   X_v = exp(-Q_f/kT)                  vacancy site fraction (formation entropy 0)
 *   omega = nu exp(-Q_m/kT)             exchange rate with one neighbouring vacancy
 *   Gamma = z omega X_v                 jump rate of an atom
 *   D = (1/2d) Gamma alpha^2            uncorrelated diffusion coefficient
 *   D* = f D = D0 exp(-Q_D/kT)          tracer diffusion; D0 = f (1/2d) z alpha^2 nu,
 *                                       Q_D = Q_f + Q_m (Arrhenius)
 *   sigma = n q^2 D_sigma / kT          ionic conductivity (Nernst-Einstein)
 * D_sigma is the msd estimator's collective coefficient, scaled like D*; the corr
 * estimator has no collective estimate and uses the exact single-vacancy result
 * D_sigma = D (the charge moves with the vacancy's uncorrelated walk, so H = f).
 *
 * Any lattice (sublattices, jump classes of several lengths and rates, site energies;
 * docs/units.md).  With E_s the vacancy's energy on sublattice s and class c's rate R_c
 * and barrier B_c (lattice/rates.h; in kT, or eV converted at T):
 *   X_v(s) = exp(S_f) exp(-(Q_f + E_s)/kT)   Q_f (H_f) is the formation enthalpy of a
 *                                       vacancy on a site of energy 0
 *   Gamma(t -> s) = omega R_c exp(-B_c - (E_s - E_t)/2)   the vacancy's jump t -> s
 *   D_unc = (1/2) sum_s x_s sum_k Gamma(t -> s) X_v(t) e_k e_k^T   (the tracer on s, a
 *                                       fraction x_s of the sites, the vacancy on
 *                                       t = s + e_k), per principal component g of n_g
 *                                       axes D_g = tr_g D_unc / n_g; the scalar tr / d
 *   Gamma = sum_s x_s sum_k Gamma(t -> s) X_v(t),  <alpha^2> its mean |e_k|^2:
 *                                       D = (1/2d) Gamma <alpha^2>;  D*_g = f_g D_g
 *   Q_D = Q_f + Q_m + <B_c + (E_s + E_t)/2>   the analytic -d ln D / d(1/kT) at fixed f,
 *                                       the mean weighted by each jump's share of D (of
 *                                       D_g per component); energies given in kT scale
 *                                       with T and add nothing; D0 = D* exp(Q_D/kT).
 * With z equal jumps of one length between equivalent sites these are the closed forms
 * above, to the bit.  A version-1 file's per-jump rates are relative to the fastest,
 * whose rate is omega.
 *
 * Bond-breaking model (--bond-energy eps): Q_f = (z/2) eps, the bonds lost by moving an
 * atom from the bulk (z bonds) to a kink site (z/2 bonds); Q_m = n_w eps, n_w the
 * jumping atom's neighbours nearest to the saddle point (the midpoint of the jump), the
 * "window" it squeezes through.  Simple cubic: Q_f = 3 eps, Q_m = 4 eps (the four
 * neighbours in the plane perpendicular to the jump), Q_D = 7 eps; bcc 4 and 3; fcc 6
 * and 4; square 2 and 2.  Lattices whose jumps have different windows are refused
 * (equal rates only).
 *
 * The lattice gas (--model gas, host/models/gas.h) has no vacancy formation: its vacancy
 * fraction is 1 - c.  With T, Q_m, nu and a:
 *   omega = nu exp(-Q_m/kT)             a free jump (to an empty neighbour, dB <= 0); the
 *                                       Metropolis factor min(1, exp(-J dB)) is the rest
 *   D0 = (1/2d) z alpha^2 omega         a lone particle's D, the unit of the reduced D/D0
 *   D*, D_sigma, D_vacancy, D_chem = (D/D0) D0, errors and bias bounds scaled alike
 *   n = c (sites per cell) / V_cell     the carriers: every particle (3D: per m^3; on a
 *                                       2D or 1D lattice per m^2 or per m, so sigma is a
 *                                       sheet conductance in S or in S m), unless
 *                                       --carrier-density gives n per m^3 (a 2D gas in
 *                                       layers, say), which then replaces it
 *   sigma = n q^2 D_sigma / kT          q = --charge, 1 e when not given.
 * A pair energy E in eV (--pair-energy, E > 0 repulsive, as --J) sets J = E/kT, so a
 * scan over T at fixed E runs the interaction at the right strength at each T. */
#ifndef HOP_PHYSICS_H
#define HOP_PHYSICS_H

#include <stddef.h>
#include "hop/hop.h"

#define HOP_K_B_EV 8.617333262e-5      /* Boltzmann constant, eV/K (CODATA 2018, exact) */
#define HOP_K_B_J 1.380649e-23         /* J/K (exact) */
#define HOP_E_CHARGE 1.602176634e-19   /* C (exact) */
#define HOP_ANGSTROM 1e-10             /* m */

/* Window size n_w of the lattice's jumps (see above), or -1 when jumps differ. */
int hop_bond_window(const hop_lattice *L);

/* Checks the physical parameters of p and resolves Q_f, Q_m from the bond energy;
 * p->physical is set when any is given, except --T alone on a lattice with energies in
 * eV, which it only converts to kT.  Usage errors name the parameter. */
hop_status hop_physics_resolve(hop_params *p, char *msg, size_t msg_len);

/* The gas's part of hop_params_resolve (called by hop_gas_resolve): refuses --Qf and
 * --bond-energy, sets J from the pair energy (needs T; not with a different J), and
 * checks the physical units, setting p->physical and the default charge 1.  Usage
 * errors name the parameter. */
hop_status hop_physics_gas_resolve(hop_params *p, char *msg, size_t msg_len);

/* Volume of the conventional cell of L in units of a^dim (an area in 2D, a length in
 * 1D): |det| of the cell vectors in Cartesian coordinates (lattice.h). */
double hop_lattice_cell_volume(const hop_lattice *L);

/* X_v(s) of a resolved physical p: the vacancy's site fraction on sublattice s. */
double hop_physics_site_X_v(const hop_params *p, int s);

/* Gamma(s -> t) in 1/s of a resolved physical p: the vacancy's jump k from a site of
 * sublattice s (models/physics.h above). */
double hop_physics_vacancy_rate(const hop_params *p, int s, int k);

/* Fills r->phys from r->params and the reduced results (no-op unless physical): the
 * single-vacancy models (_apply) and the lattice gas (_gas_apply). */
void hop_physics_apply(hop_result *r);
void hop_physics_gas_apply(hop_result *r);

#endif

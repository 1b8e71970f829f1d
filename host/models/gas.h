/* gas.h: the many-body lattice gas (`hop run --model gas`) from parameters to a
 * result: validation and defaults, the box tables, the backends, and the reduction of
 * the replicas' integer series to D*, D_sigma, the vacancy's D, f, the Haven ratio, the
 * thermodynamic factor and D_chem.
 * The per-step physics is include/hop/gas.h.
 *
 * Reduced units: times in 1/nu (nu the rate of a free jump to a given empty neighbour),
 * lengths in a, D in units of D0 = (1/2d) z alpha^2 nu, the coefficient of a lone
 * particle.  In a box of n sites with N particles and M = n - N vacancies:
 *   tracer      D*      from the MSD averaged over all particles,
 *   collective  D_sigma from |sum_i d_i|^2 / N (the charge, Nernst-Einstein),
 *   vacancy     D_v     from the MSD averaged over all vacancies,
 *   f  = D* / (D0 M/(n - 1)),  M/(n - 1) the exact probability in the box that a given
 *        neighbour of a particle is empty (-> 1 - c for a large box), so that one vacancy
 *        gives the single-vacancy engine's f (its D_uncorrelated is D0 / (n - 1)),
 *   H  = D* / D_sigma and H_R = D_sigma / D* (both reported, labelled),
 *   Theta = d(mu/kT)/d ln c = c / chi, chi = <dN^2>/V (grand canonical, per site), the
 *        thermodynamic factor, from the particle-number variances of slabs of two
 *        widths, about L/2 and L/4 cell planes (gas.h):
 *        chi_box = (var_wide - var_narrow) / (D_wide - D_narrow), D = v (1 - v/n), in
 *        which the slabs' surface term cancels (models/gas.c); exactly (n - 1)/M for J = 0;
 *        for J != 0 chi_box - chi = O(1/n).  A box of edge < 4 cells has no narrow slab
 *        and uses the wide ones alone, var_wide / D_wide, with an O(1/L) surface bias
 *        (theta_two_widths = 0); Theta from the wide slabs alone is also reported
 *        (theta_one_width), to show the surface term,
 *   D_chem = D_sigma Theta, the chemical (Fick) coefficient; for J = 0 with the exact
 *        Theta (n - 1)/M, so D_chem = D0 in expectation at every size.
 * For J = 0 the collective displacement is a martingale (the drift of each pair of
 * particles cancels), so E|sum d_i|^2 = z t alpha^2 N M/(n - 1) exactly at every t:
 * D_sigma / D0 = M/(n - 1) exactly, the test of the collective estimator. */
#ifndef HOP_GAS_RUN_H
#define HOP_GAS_RUN_H

#include <stddef.h>
#include "hop/hop.h"
#include "hop/gas.h"
#include "stats/msd.h"
#include "backend/gas_job.h"

/* Defaults and checks of a gas run (the gas's table's resolve, called by
 * hop_params_resolve; also its companion box's): sets the estimator to msd, size, time, equilibrate and replicas
 * where 0; on a bad value returns HOP_ERR_INVAL with a one-line message naming the
 * parameter and its valid range. */
hop_status hop_gas_resolve(hop_params *p, char *msg, size_t msg_len);


/* Builds the model of resolved parameters p (box of p->size cells); NULL when out of
 * memory.  hop_gas_model_free(NULL) is a no-op. */
hop_gas_model *hop_gas_model_alloc(const hop_params *p);
void hop_gas_model_free(hop_gas_model *m);

/* The threshold (include/hop/gas.h, hop_gas_accept) of the acceptance probability
 * min(1, exp(x)): HOP_GAS_ALWAYS for x >= 0; else floor(exp(x) 2^64), within 2^-64 of
 * the probability, with its low word cleared from 2^-16 up (one random word, 2^-16
 * relative). */
uint64_t hop_gas_accept_threshold(double x);

/* The neighbour (nbr[s z + k]) and sublattice (sub[s]) tables of a periodic box of
 * `size` cells of L (valid: hop_lattice_box_valid), sites numbered cell by cell, x
 * fastest, basis inside; the caller frees both.  0 when out of memory.  The alloy
 * model's box is the same (models/alloy.c). */
int hop_gas_box_tables(const hop_lattice *L, int size, int32_t **nbr, int8_t **sub);

/* Reduce the accumulated rows into r (r->gas, f, haven, haven_inverse, D_star, D_sigma,
 * msd curves, counts).  J in kT.  Biases are NaN (the caller's companion box bounds
 * them) except D_chem's for J = 0, which is 0.  Errors reported. */
hop_status hop_gas_estimate(const hop_lattice *L, const hop_gas_model *m, double J,
                            double fit_from, const hop_msd_accum *a, hop_result *r);

#endif

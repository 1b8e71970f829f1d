/* gas_kinetic.h: `hop gas-kinetic`, self and mutual diffusion in a dilute gas from the
 * Chapman-Enskog theory of rigid spheres, the seed's krypton example: self-diffusion
 * of 86Kr (a trace) in 84Kr and mutual diffusion of 84Kr (a trace) in 40Ar.
 *
 * First Chapman-Enskog approximation for rigid elastic spheres (Chapman & Cowling,
 * The Mathematical Theory of Non-Uniform Gases, 3rd ed., eq. 10.2,1 with 12.1,4;
 * Hirschfelder, Curtiss & Bird eq. 8.2-44 with Omega^(1,1)* = 1):
 *     D_12 = 3 / (8 n sigma_12^2) * sqrt(k T / (2 pi mu)),
 * n = p / kT the total number density, sigma_12 = (d_1 + d_2)/2 the collision
 * diameter, mu = m_1 m_2 / (m_1 + m_2) the reduced mass.  D grows as T^(3/2)/p. */
#ifndef HOP_GAS_KINETIC_H
#define HOP_GAS_KINETIC_H

#define HOP_AMU 1.66053906660e-27      /* kg (CODATA 2018) */

/* D_12 in m^2/s: T in K, p in Pa, masses in u, diameters in Angstrom. */
double hop_chapman_enskog(double T, double p, double m1, double m2, double d1, double d2);

/* `hop gas-kinetic` (argv[0] = "gas-kinetic"); returns the exit status. */
int hop_gas_kinetic_main(int argc, char **argv, const char *command_line);

#endif

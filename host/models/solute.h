/* solute.h: the five-frequency model of solute diffusion by vacancies (fcc: Lidiard;
 * bcc: Le Claire), its parameters, rates and Manning's closed-form approximation.
 *
 * The tracer is a solute atom; the vacancy's exchange rates depend on where it is
 * relative to the solute (include/hop/step.h, hop_rates).  The corr estimator gives
 * the solute correlation factor f2 exactly as f for self-diffusion.  In the dilute
 * limit the solute jumps at rate z w2 p_1, p_1 = X_v w4/w3 the probability that a given
 * nearest-neighbour site is vacant (detailed balance; binding energy E_b = kT ln(w4/w3)),
 * so D2 = f2 (1/2d) z alpha^2 w2 (w4/w3) X_v.
 *
 * Manning's approximation (J. R. Manning, Phys. Rev. 136, A1758 (1964)) for fcc:
 *   f2 = (2 w1 + 7 F w3) / (2 w1 + 2 w2 + 7 F w3),
 *   7 F = 7 - (10 a^4 + 180.5 a^3 + 927 a^2 + 1341 a) / (2 a^4 + 40.2 a^3 + 254 a^2
 *         + 597 a + 435),   a = w4/w0;
 * with all rates equal it gives 0.7814, against the exact 0.78145. */
#ifndef HOP_SOLUTE_H
#define HOP_SOLUTE_H

#include <stddef.h>
#include "hop/hop.h"
#include "hop/step.h"

/* Manning's f2 for fcc. */
double hop_manning_f2(double w0, double w1, double w2, double w3, double w4);


/* Whether a periodic box of `size` cells is wide enough (more than six jump lengths) for
 * the msd estimator's solute model. */
int hop_solute_box_ok(const hop_lattice *L, int size);

/* The integer rates of the step code for p's lattice and frequencies. */
void hop_solute_rates(const hop_params *p, hop_rates *R);

#endif

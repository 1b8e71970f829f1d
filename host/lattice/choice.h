/* choice.h: the alias tables from which the step code chooses the vacancy's jump in
 * proportion to its rate on a lattice with unequal rates (hop_typed_pick in
 * include/hop/step.h; the fields choice_cut, choice_cut_low, choice_sub, choice_next and residence of
 * include/hop/lattice.h). */
#ifndef HOP_LATTICE_CHOICE_H
#define HOP_LATTICE_CHOICE_H

#include <stdint.h>
#include "hop/hop.h"

__extension__ typedef unsigned __int128 hop_u128;   /* exact sums of 64-bit weights */

/* The integer weights the choice realises on sublattice s of L: q[k] for k < z, with
 * q[k] = rate[s][k] 2^64 / rate_total[s] rounded down and the 2^64 - sum q left over
 * (fewer than z units) given one each to the jumps with the largest remainders (the
 * first of equal ones), so the q sum to 2^64 exactly, each within 1 of its exact value,
 * and a jump of rate 0 has weight 0.  Needs rate_total[s] > 0 (a lattice with unequal
 * rates); q has HOP_MAX_Z entries. */
void hop_lattice_choice_weights(const hop_lattice *L, int s, hop_u128 *q);

/* Derives choice_cut, choice_cut_low, choice_sub, choice_next and residence of *L from rate[][] and
 * rate_total[] (lattice.h): for each sublattice Walker's alias table of the weights of
 * hop_lattice_choice_weights, built on integers (Vose's pairing of an under-full column
 * with an over-full one), so that column c keeping jump c with probability T_c / 2^59
 * and passing the rest to its alias gives jump k the probability q_k / 2^64 exactly.
 * With equal rates (rate_total[0] == 0) every field is 0.  Always succeeds; called
 * wherever the integer rates are set (lattice.c, rates.c). */
void hop_lattice_derive_choice(hop_lattice *L);

#endif

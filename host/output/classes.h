/* classes.h: a lattice's jump classes and site energies as the summary and the JSON
 * record show them (output/report.c, output/json.c): each class's name, jump length,
 * jumps per site and effective rate prefactor and barrier; each sublattice's vacancy
 * energy; and the rule that turns them into rates (lattice/rates.h):
 *     Gamma(s -> t) = R_c exp(-B_c - (E_t - E_s)/2)      (energies in kT). */
#ifndef HOP_OUTPUT_CLASSES_H
#define HOP_OUTPUT_CLASSES_H

#include <stdio.h>
#include <cjson/cJSON.h>
#include "hop/hop.h"

/* The rule, one line, for the summary and the JSON record. */
#define HOP_RATE_RULE "Gamma(s->t) = R_c exp(-B_c - (E_t - E_s)/2), energies in kT"

/* One class c of a lattice, as shown. */
typedef struct {
    double length_min, length_max;   /* its jumps' lengths in lattice constants */
    int per_site[HOP_MAX_SUB];       /* its jumps from a site of each sublattice */
    double barrier_kT;               /* B_c in kT (NaN: in eV and no temperature) */
} hop_class_view;

/* Class c of L (0 <= c < L->n_classes); kT_eV converts a barrier in eV (<= 0: none). */
void hop_class_view_of(const hop_lattice *L, int c, double kT_eV, hop_class_view *v);

/* Whether the summary lists L's classes: more than one class, a site energy, or
 * sublattices of different coordination. */
int hop_classes_shown(const hop_lattice *L);

/* The summary's lines for L: one per class (name, length, jumps per site, R_c, B_c), one
 * with each sublattice's coordination where they differ, and one with the site energies; kT_eV as above.  Nothing unless hop_classes_shown. */
void hop_classes_print(FILE *out, const hop_lattice *L, double kT_eV);

/* Adds to the JSON object o: "rate_rule", "jump_classes" [{name, rate, barrier,
 * barrier_unit, barrier_kT, length, jumps_per_site}] and "site_energies" [{sublattice,
 * energy, unit, energy_kT}], for any lattice with classes; "coordination" [z per
 * sublattice] where the sublattices differ. */
void hop_classes_json(cJSON *o, const hop_lattice *L, double kT_eV);

#endif

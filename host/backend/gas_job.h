/* gas_job.h: the lattice gas as the backends run it.  models/gas.c builds it from the
 * resolved parameters (hop_gas_model_alloc): the step parameters of include/hop/gas.h, the
 * box's neighbour, sublattice and slab-block tables, and the GPU workspace layout; the
 * slab constants of the thermodynamic factor ride along for the model's estimate.  It
 * lives here, below the models, so that a backend runs the gas without knowing the model
 * that resolved it. */
#ifndef HOP_BACKEND_GAS_JOB_H
#define HOP_BACKEND_GAS_JOB_H

#include <stdint.h>
#include "hop/gas.h"
#include "stats/msd.h"

/* The step parameters and box tables of a resolved gas run (owned arrays). */
typedef struct {
    hop_gas_params gp;
    hop_gas_box box;              /* points into nbr, sub and block */
    int32_t *nbr;                 /* n_sites z */
    int8_t *sub;                  /* n_sites */
    uint16_t *block;              /* n_sites: each axis's block of cell planes (gas.h) */
    /* Sums over the B d slabs of each width (models/gas.c): of D_k = v_k (1 - v_k/n), v_k the
     * slab's sites, and of e_k^2, e_k = N v_k/n - its recorded mean (wide_mean or
     * narrow_mean), the constants of Theta. */
    double wide_D, narrow_D, wide_e2, narrow_e2;
    int max_dB;                   /* largest |dB| one jump can make on this lattice */
    int layout;                   /* GPU workspace layout, HOP_GAS_LAYOUT_* (gas.h): AUTO
                                   * but in `hop bench`, which measures each */
} hop_gas_model;

/* An accumulator for the gas rows of L and p (hop_msd_accum with the gas series). */
hop_msd_accum *hop_gas_accum_alloc(const hop_lattice *L, const hop_gas_params *p);

#endif

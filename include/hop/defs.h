/* defs.h: the few definitions that both the public API (hop.h) and the shared step code
 * (step.h) need: the models' identifiers and the compile-time bounds of a result.  Kept
 * apart so that hop.h does not pull in the step code. */
#ifndef HOP_DEFS_H
#define HOP_DEFS_H

#define HOP_MAX_SHELLS 8     /* nested truncation radii of the corr estimator */
#define HOP_MAX_TIMES 64     /* points on the MSD time grid */

/* The models; each is described by its table in host/models/. */
typedef enum {
    HOP_MODEL_VACANCY = 0, HOP_MODEL_RANDOM = 1, HOP_MODEL_SOLUTE = 2,
    HOP_MODEL_GAS = 3,      /* many-body lattice gas: include/hop/gas.h */
    HOP_MODEL_ALLOY = 4     /* concentrated multicomponent alloy: include/hop/alloy.h */
} hop_model_id;

/* The alloy model's bounds: species per alloy and characters of a species' name. */
#define HOP_ALLOY_MAX_SPECIES 8
#define HOP_ALLOY_NAME_LEN 16

#endif

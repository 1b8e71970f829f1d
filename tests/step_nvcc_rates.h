/* step_nvcc_rates.h: the solute-model rates that tests/step_nvcc.cu and
 * tests/test_step_nvcc.c both use for their "solute" mode (unequal, every class used). */
#ifndef HOP_TEST_STEP_NVCC_RATES_H
#define HOP_TEST_STEP_NVCC_RATES_H

#include <string.h>
#include "hop/hop.h"

static inline void hop_step_nvcc_solute(hop_params *p)
{
    p->model = HOP_MODEL_SOLUTE;
    p->w[0] = 1;
    p->w[1] = strcmp(p->lattice->name, "fcc") == 0 ? 0.8 : 0;
    p->w[2] = 2.5;
    p->w[3] = 0.45;
    p->w[4] = 3.7;
}

#endif

/* step_nvcc_rates.h: the solute-model rates that tests/step_nvcc.cu and
 * tests/test_step_nvcc.c both use for their "solute" mode (unequal, every class used),
 * and the lattice gas of their "gas" modes. */
#ifndef HOP_TEST_STEP_NVCC_RATES_H
#define HOP_TEST_STEP_NVCC_RATES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hop/hop.h"
#include "models/gas.h"
#include "models/alloy.h"

static inline void hop_step_nvcc_solute(hop_params *p)
{
    p->model = HOP_MODEL_SOLUTE;
    p->w[0] = 1;
    p->w[1] = strcmp(p->lattice->name, "fcc") == 0 ? 0.8 : 0;
    p->w[2] = 2.5;
    p->w[3] = 0.45;
    p->w[4] = 3.7;
}

/* The lattice gas for their "gas" and "gasv" modes: particles as movers (c = 0.35,
 * repulsive J) or vacancies (c = 0.8, attractive J), in a small box. */
static inline void hop_step_nvcc_gas(hop_params *p, int vacancies)
{
    p->model = HOP_MODEL_GAS;
    p->estimator = HOP_EST_MSD;
    p->c = vacancies ? 0.8 : 0.35;
    p->J = vacancies ? -0.3 : 0.6;
    p->size = p->lattice->min_size + 1;
    p->replicas = 2000;
    p->n_times = 8;
}

/* Rows of gas replicas [first, first + count) of resolved p, one line each; 0 on
 * success.  Compiled by both compilers, so each side runs its own build of gas.h; even
 * replicas run with the CPU's target table, odd ones without it (the kernel's path). */
static inline int hop_step_nvcc_gas_rows(const hop_params *p, unsigned long long first,
                                         unsigned long long count, FILE *out)
{
    hop_gas_model *m = hop_gas_model_alloc(p);
    int32_t *space;
    int64_t row[HOP_GAS_MAX_ROW];
    hop_gas_work w;
    if (!m)
        return 1;
    space = (int32_t *)malloc(hop_gas_work_ints(&m->gp, p->lattice->z, 1) * sizeof *space);
    if (!space) {
        hop_gas_model_free(m);
        return 1;
    }
    for (unsigned long long r = first; r < first + count; ++r) {
        hop_gas_work_carve(&m->gp, r % 2 == 0, space, &w);
        hop_gas_replica(p->lattice, &m->gp, &m->box, p->seed, r, &w, row);
        for (int k = 0; k < hop_gas_row_len(p->lattice, &m->gp); ++k)
            fprintf(out, "%s%lld", k ? " " : "", (long long)row[k]);
        fprintf(out, "\n");
    }
    free(space);
    hop_gas_model_free(m);
    return 0;
}

/* The alloy of their "alloy" mode: three species, one immobile, two vacancies, unequal
 * rates (every branch of the residence-time selection and the vacancies' rate updates). */
static inline void hop_step_nvcc_alloy(hop_params *p)
{
    static const char *const names[] = {"A", "B", "C"};
    static const double x[] = {0.5, 0.3, 0.2}, w[] = {1, 0.15, 0};
    p->model = HOP_MODEL_ALLOY;
    p->estimator = HOP_EST_MSD;
    p->alloy.n_species = 3;
    for (int i = 0; i < 3; ++i) {
        snprintf(p->alloy.name[i], HOP_ALLOY_NAME_LEN, "%s", names[i]);
        p->alloy.fraction[i] = x[i];
        p->alloy.w[i] = w[i];
    }
    p->alloy.vacancies = 2;
    p->size = p->lattice->min_size + 1;
    p->replicas = 2000;
    p->n_times = 8;
    p->time = 400;
}

/* Rows of alloy replicas [first, first + count) of resolved p, one line each; 0 on
 * success (each compiler runs its own build of alloy.h). */
static inline int hop_step_nvcc_alloy_rows(const hop_params *p, unsigned long long first,
                                           unsigned long long count, FILE *out)
{
    hop_alloy_model *m = hop_alloy_model_alloc(p);
    void *space;
    int64_t *row;
    hop_alloy_work w;
    if (!m)
        return 1;
    space = malloc(hop_alloy_work_bytes(&m->ap));
    row = (int64_t *)malloc((size_t)hop_alloy_row_len(&m->ap) * sizeof *row);
    if (!space || !row) {
        free(space);
        free(row);
        hop_alloy_model_free(m);
        return 1;
    }
    hop_alloy_work_carve(&m->ap, space, &w);
    for (unsigned long long r = first; r < first + count; ++r) {
        hop_alloy_replica(p->lattice, &m->ap, &m->box, p->seed, r, &w, row);
        for (int k = 0; k < hop_alloy_row_len(&m->ap); ++k)
            fprintf(out, "%s%lld", k ? " " : "", (long long)row[k]);
        fprintf(out, "\n");
    }
    free(space);
    free(row);
    hop_alloy_model_free(m);
    return 0;
}

#endif

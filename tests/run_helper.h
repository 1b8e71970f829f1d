/* run_helper.h: the one way tests start a run.  hop_test_params gives the defaults for a
 * lattice, estimator, model, replica count and seed, on the cpu backend (the reference;
 * GPU tests set the backend themselves); hop_test_run executes them and fails the
 * calling Criterion test with the status if the run does not succeed. */
#ifndef HOP_TEST_RUN_HELPER_H
#define HOP_TEST_RUN_HELPER_H

#include <stdio.h>
#include <criterion/criterion.h>
#include "hop/hop.h"

static inline hop_params hop_test_params(const char *lattice, int estimator, int model,
                                         uint64_t replicas, uint64_t seed)
{
    hop_params p;
    hop_params_default(&p);
    p.lattice = hop_lattice_find(lattice);
    cr_assert_not_null(p.lattice, "no lattice %s", lattice);
    p.estimator = estimator;
    p.model = model;
    p.replicas = replicas;
    p.seed = seed;
    p.backend = HOP_BACKEND_CPU;
    return p;
}

/* A lattice gas run: box of `size` cells, concentration c, pair energy J (kT), 2 threads. */
static inline hop_params hop_test_gas_params(const char *lattice, int size, double c, double J,
                                             uint64_t replicas, uint64_t seed)
{
    hop_params p = hop_test_params(lattice, HOP_EST_MSD, HOP_MODEL_GAS, replicas, seed);
    p.size = size;
    p.c = c;
    p.J = J;
    p.threads = 2;
    return p;
}

/* An alloy run: box of `size` cells, n species named names[i] at fraction[i] with
 * exchange rate w[i], 2 threads. */
static inline hop_params hop_test_alloy_params(const char *lattice, int size, int n,
                                               const char *const *names, const double *fraction,
                                               const double *w, uint64_t replicas, uint64_t seed)
{
    hop_params p = hop_test_params(lattice, HOP_EST_MSD, HOP_MODEL_ALLOY, replicas, seed);
    p.size = size;
    p.threads = 2;
    p.alloy.n_species = n;
    for (int i = 0; i < n; ++i) {
        snprintf(p.alloy.name[i], HOP_ALLOY_NAME_LEN, "%s", names[i]);
        p.alloy.fraction[i] = fraction[i];
        p.alloy.w[i] = w[i];
    }
    return p;
}

static inline hop_result *hop_test_run(const hop_params *p)
{
    hop_result *r = NULL;
    hop_status s = hop_run_execute(p, &r);
    cr_assert_eq(s, HOP_OK, "%s (estimator %d, model %d, %llu replicas): status %d",
                 p->lattice->name, p->estimator, p->model, (unsigned long long)p->replicas,
                 (int)s);
    cr_assert_not_null(r);
    return r;
}

#endif

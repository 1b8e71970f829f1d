/* test_determinism.c: Criterion tests of hop's reproducibility contract: the same seed
 * and replica count give the same bytes whatever the thread count (STYLE.md,
 * "Reproducible sums").
 *
 * Replica r always draws from Philox stream (seed, r) and contributes integer counts,
 * so runs with 1 and 2 OpenMP threads must agree bit for bit in every number of the
 * result: every double is compared with memcmp, not with a tolerance, and every count
 * with ==.  Only the timing fields (wall_s, steps_per_s) and the thread counts may
 * differ.  A different seed must change f. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hop/hop.h"
#include "run_helper.h"

static hop_result *run(const char *lattice, int estimator, uint64_t replicas, int threads,
                       uint64_t seed)
{
    hop_params p = hop_test_params(lattice, estimator, HOP_MODEL_VACANCY, replicas, seed);
    hop_result *r;
    p.threads = threads;
    r = hop_test_run(&p);
    cr_assert_eq(r->threads, threads, "%s: asked for %d threads, used %d", lattice, threads,
                 r->threads);
    return r;
}

/* Bytewise equality of n doubles (NaN == NaN, -0 != +0: the bits must match). */
#define SAME_BITS(what, a, b, n) \
    cr_expect(memcmp((a), (b), sizeof *(a) * (size_t)(n)) == 0, "%s: %s differs", lattice, what)

static void expect_same_estimate(const char *lattice, const char *what, const hop_estimate *a,
                                 const hop_estimate *b)
{
    cr_expect(memcmp(&a->value, &b->value, sizeof a->value) == 0
              && memcmp(&a->sigma, &b->sigma, sizeof a->sigma) == 0
              && memcmp(&a->bias, &b->bias, sizeof a->bias) == 0,
              "%s: %s differs: %.17g +- %.17g (bias %.17g) vs %.17g +- %.17g (bias %.17g)",
              lattice, what, a->value, a->sigma, a->bias, b->value, b->sigma, b->bias);
}

/* Every result field except timing and thread counts. */
static void expect_same_result(const char *lattice, const hop_result *a, const hop_result *b)
{
    char what[32];
    expect_same_estimate(lattice, "f", &a->f, &b->f);
    cr_expect_eq(a->n_groups, b->n_groups);
    for (int g = 0; g < a->n_groups && g < HOP_MAX_GROUPS; ++g) {
        snprintf(what, sizeof what, "f_group[%d]", g);
        expect_same_estimate(lattice, what, &a->f_group[g], &b->f_group[g]);
    }
    SAME_BITS("isotropy_dev", &a->isotropy_dev, &b->isotropy_dev, 1);
    cr_expect_eq(a->n_shells, b->n_shells);
    SAME_BITS("shell_radius", a->shell_radius, b->shell_radius, HOP_MAX_SHELLS);
    for (int m = 0; m < a->n_shells && m < HOP_MAX_SHELLS; ++m) {
        snprintf(what, sizeof what, "f_shell[%d]", m);
        expect_same_estimate(lattice, what, &a->f_shell[m], &b->f_shell[m]);
    }
    SAME_BITS("lost_fraction", &a->lost_fraction, &b->lost_fraction, 1);
    cr_expect_eq(a->box_sites, b->box_sites);
    SAME_BITS("D_uncorrelated", &a->D_uncorrelated, &b->D_uncorrelated, 1);
    expect_same_estimate(lattice, "D_star", &a->D_star, &b->D_star);
    expect_same_estimate(lattice, "D_sigma", &a->D_sigma, &b->D_sigma);
    expect_same_estimate(lattice, "haven", &a->haven, &b->haven);
    expect_same_estimate(lattice, "haven_inverse", &a->haven_inverse, &b->haven_inverse);
    SAME_BITS("fit_chi2", &a->fit_chi2, &b->fit_chi2, 1);
    cr_expect_eq(a->fit_dof, b->fit_dof);
    cr_expect_eq(a->check_size, b->check_size);
    cr_expect_eq(a->check_box_sites, b->check_box_sites);
    expect_same_estimate(lattice, "f_check", &a->f_check, &b->f_check);
    cr_expect_eq(a->n_points, b->n_points);
    cr_expect_eq(a->msd == NULL, b->msd == NULL);
    for (int i = 0; a->msd && b->msd && i < a->n_points && i < b->n_points; ++i) {
        const hop_msd_point *p = &a->msd[i], *q = &b->msd[i];
        snprintf(what, sizeof what, "msd[%d]", i);
        cr_expect(!memcmp(&p->t, &q->t, sizeof p->t)
                  && !memcmp(&p->tracer, &q->tracer, sizeof p->tracer)
                  && !memcmp(&p->tracer_se, &q->tracer_se, sizeof p->tracer_se)
                  && !memcmp(&p->vacancy, &q->vacancy, sizeof p->vacancy)
                  && !memcmp(&p->vacancy_se, &q->vacancy_se, sizeof p->vacancy_se)
                  && !memcmp(&p->collective, &q->collective, sizeof p->collective)
                  && !memcmp(&p->collective_se, &q->collective_se, sizeof p->collective_se),
                  "%s: %s differs", lattice, what);
    }
    cr_expect_eq(a->replicas, b->replicas);
    cr_expect_eq(a->tracer_jumps, b->tracer_jumps, "%s: tracer_jumps %llu vs %llu", lattice,
                 (unsigned long long)a->tracer_jumps, (unsigned long long)b->tracer_jumps);
    cr_expect_eq(a->vacancy_steps, b->vacancy_steps, "%s: vacancy_steps %llu vs %llu", lattice,
                 (unsigned long long)a->vacancy_steps, (unsigned long long)b->vacancy_steps);
    cr_expect_str_eq(a->backend, b->backend);
}

/* Threads 1 and 2, then seed 2 against seed 1. */
static void expect_deterministic(const char *lattice, int estimator, uint64_t replicas)
{
    hop_result *one = run(lattice, estimator, replicas, 1, 1);
    hop_result *two = run(lattice, estimator, replicas, 2, 1);
    hop_result *other = run(lattice, estimator, replicas, 2, 2);
    cr_expect(isfinite(one->f.value), "%s: f = %g", lattice, one->f.value);
    expect_same_result(lattice, one, two);
    cr_expect(one->f.value != other->f.value, "%s: seeds 1 and 2 give the same f %.17g",
              lattice, one->f.value);
    if (estimator == HOP_EST_CORR)      /* msd replicas all run the same number of steps */
        cr_expect(one->vacancy_steps != other->vacancy_steps,
                  "%s: seeds 1 and 2 give the same number of steps", lattice);
    else
        cr_expect(memcmp(&one->msd[one->n_points - 1].tracer, &other->msd[other->n_points - 1].tracer,
                         sizeof(double)) != 0, "%s: seeds 1 and 2 give the same final MSD", lattice);
    hop_result_free(one);
    hop_result_free(two);
    hop_result_free(other);
}

Test(determinism_corr, sc) { expect_deterministic("sc", HOP_EST_CORR, 100000); }
Test(determinism_corr, fcc) { expect_deterministic("fcc", HOP_EST_CORR, 100000); }
Test(determinism_corr, square) { expect_deterministic("square", HOP_EST_CORR, 100000); }
Test(determinism_corr, chain) { expect_deterministic("chain", HOP_EST_CORR, 20000); }
Test(determinism_corr, honeycomb) { expect_deterministic("honeycomb", HOP_EST_CORR, 100000); }
Test(determinism_corr, diamond) { expect_deterministic("diamond", HOP_EST_CORR, 100000); }
Test(determinism_corr, hcp) { expect_deterministic("hcp", HOP_EST_CORR, 100000); }

Test(determinism_msd, sc) { expect_deterministic("sc", HOP_EST_MSD, 2000); }
Test(determinism_msd, hcp) { expect_deterministic("hcp", HOP_EST_MSD, 2000); }

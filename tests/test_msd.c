/* test_msd.c: Criterion tests of the Einstein (msd) estimator, end to end through
 * hop_run_execute.
 *
 * The two estimators measure the same f by unrelated routes (jump correlations on the
 * infinite lattice, a GLS fit of MSD(t) in a periodic box), so they must agree within
 * their combined errors and bias bounds.  Exact expectations give further checks: the
 * vacancy's own walk is uncorrelated, so its MSD is n alpha^2 after n exchanges at every
 * time point and D_sigma = D_uncorrelated; the random model's tracer is a simple random
 * walk (f = 1, MSD = z t alpha^2); for one vacancy H = D* / D_sigma estimates f.  The
 * identities that define the reported numbers (H and its inverse, the collective MSD,
 * D_uncorrelated) are checked to rounding.  Tolerances are 4 reported standard errors
 * plus the reported bias bounds; seeds are fixed. */
#include <criterion/criterion.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hop/hop.h"
#include "lattice/file.h"
#include "models/estimators.h"
#include "run/run.h"
#include "run_helper.h"
#include "exact_helper.h"

#define K_SIGMA 4.0

static hop_result *run(const char *lattice, int estimator, int model, uint64_t replicas,
                       uint64_t seed)
{
    const hop_params p = hop_test_params(lattice, estimator, model, replicas, seed);
    hop_result *r = hop_test_run(&p);
    cr_assert(isfinite(r->f.value) && r->f.sigma > 0, "%s: f = %g +- %g", lattice,
              r->f.value, r->f.sigma);
    if (estimator == HOP_EST_MSD) {
        cr_assert_eq(r->n_points, r->params.n_times);
        cr_assert_not_null(r->msd);
        cr_assert_eq(r->replicas, replicas);
    }
    return r;
}

/* Agreement of a and b within 4 combined sigma plus both bias bounds. */
static void expect_agree(const char *what, const hop_estimate *a, const hop_estimate *b)
{
    const double tol = K_SIGMA * sqrt(a->sigma * a->sigma + b->sigma * b->sigma) + a->bias + b->bias;
    cr_expect(isfinite(tol), "%s: tolerance is not finite (bias %g, %g)", what, a->bias, b->bias);
    cr_expect_leq(fabs(a->value - b->value), tol,
                  "%s: %.6f +- %.1e (bias %.1e) vs %.6f +- %.1e (bias %.1e): off by %.2e > %.2e",
                  what, a->value, a->sigma, a->bias, b->value, b->sigma, b->bias,
                  fabs(a->value - b->value), tol);
}

/* ---- the two estimators agree -------------------------------------------------------- */

/* msd: 20000 replicas (sigma about 4e-3, bias bound about 5e-3, 2-3 s); corr: 4e5
 * replicas (sigma about 1e-3). */
static void expect_estimators_agree(const char *lattice)
{
    hop_result *m = run(lattice, HOP_EST_MSD, HOP_MODEL_VACANCY, 20000, 2024);
    hop_result *c = run(lattice, HOP_EST_CORR, HOP_MODEL_VACANCY, 400000, 2024);
    char what[64];
    cr_expect(isfinite(m->f.bias) && m->f.bias >= 0, "%s msd: bias bound %g", lattice, m->f.bias);
    cr_expect_eq(m->check_size, hop_companion_size(m->params.lattice, m->params.size),
                 "%s: companion box %d cells", lattice, m->check_size);
    cr_expect(m->params.lattice->dim < 2 || m->box_sites >= 8 * m->check_box_sites,
              "%s: N/N_c >= 8 (%llu and %llu sites)", lattice,
              (unsigned long long)m->box_sites, (unsigned long long)m->check_box_sites);
    snprintf(what, sizeof what, "%s f msd vs corr", lattice);
    expect_agree(what, &m->f, &c->f);
    {   /* both against the exact solver */
        const hop_exact_result x = hop_test_exact(m->params.lattice, NULL);
        snprintf(what, sizeof what, "%s f msd vs exact", lattice);
        hop_test_expect_exact(what, &m->f, &x.f);
        snprintf(what, sizeof what, "%s f corr vs exact", lattice);
        hop_test_expect_exact(what, &c->f, &x.f);
    }
    /* Cubic symmetry: each component of the msd tensor agrees with the scalar. */
    for (int g = 0; g < m->n_groups; ++g) {
        const hop_estimate *e = &m->f_group[g];
        const double tol = K_SIGMA * e->sigma + e->bias + m->f.bias;
        cr_expect_leq(fabs(e->value - m->f.value), tol, "%s msd: f_%d = %.5f +- %.1e vs f = %.5f",
                      lattice, g, e->value, e->sigma, m->f.value);
    }
    hop_result_free(m);
    hop_result_free(c);
}

Test(msd_vs_corr, sc, .timeout = 120) { expect_estimators_agree("sc"); }
Test(msd_vs_corr, fcc, .timeout = 120) { expect_estimators_agree("fcc"); }

/* ---- the vacancy's own walk ---------------------------------------------------------- */

/* Every vacancy jump is uniform over its z neighbours and independent of the past
 * (jumps of each sublattice sum to zero), so after n exchanges <|d_v|^2> = n alpha^2
 * exactly, in any box (displacements are unwrapped), and D_sigma = D_uncorrelated. */
static void expect_vacancy_uncorrelated(const char *lattice)
{
    hop_result *r = run(lattice, HOP_EST_MSD, HOP_MODEL_VACANCY, 4000, 555);
    const hop_lattice *L = r->params.lattice;
    const double alpha = hop_lattice_jump_length(L);
    for (int i = 0; i < r->n_points; ++i) {
        const hop_msd_point *p = &r->msd[i];
        const double n = (double)llround(p->t * L->z), want = n * alpha * alpha;
        cr_expect_gt(p->vacancy_se, 0.0);
        cr_expect_leq(fabs(p->vacancy - want), K_SIGMA * p->vacancy_se,
                      "%s t = %g (n = %.0f): vacancy MSD %.4f +- %.2g, want n alpha^2 = %.4f",
                      lattice, p->t, n, p->vacancy, p->vacancy_se, want);
    }
    cr_expect_leq(fabs(r->D_sigma.value - r->D_uncorrelated), K_SIGMA * r->D_sigma.sigma,
                  "%s: D_sigma = %.6g +- %.2g, D_uncorrelated = %.6g", lattice, r->D_sigma.value,
                  r->D_sigma.sigma, r->D_uncorrelated);
    hop_result_free(r);
}

Test(msd_vacancy, sc) { expect_vacancy_uncorrelated("sc"); }
Test(msd_vacancy, honeycomb) { expect_vacancy_uncorrelated("honeycomb"); }
Test(msd_vacancy, hcp) { expect_vacancy_uncorrelated("hcp"); }

/* ---- the random model ---------------------------------------------------------------- */

/* The tracer itself makes z uncorrelated jumps per unit time: f = 1, MSD(t) = z t
 * alpha^2 at every point, no vacancy (D_sigma, H undefined) and no finite-size bias. */
static void expect_random_walk(const char *lattice)
{
    hop_result *r = run(lattice, HOP_EST_MSD, HOP_MODEL_RANDOM, 20000, 8);
    const hop_lattice *L = r->params.lattice;
    const double alpha2 = (double)L->jump_len2 / L->metric_den;
    cr_expect_leq(fabs(r->f.value - 1), K_SIGMA * r->f.sigma, "%s random: f = %.5f +- %.1e",
                  lattice, r->f.value, r->f.sigma);
    cr_expect(r->f.bias == 0.0, "%s random: bias %g", lattice, r->f.bias);
    for (int i = 0; i < r->n_points; ++i) {
        const hop_msd_point *p = &r->msd[i];
        const double want = L->z * p->t * alpha2;
        cr_expect_leq(fabs(p->tracer - want), K_SIGMA * p->tracer_se,
                      "%s random t = %g: MSD %.4f +- %.2g, want z t alpha^2 = %.4f", lattice,
                      p->t, p->tracer, p->tracer_se, want);
    }
    cr_expect(isnan(r->D_sigma.value) && isnan(r->haven.value),
              "%s random: D_sigma %g, H %g should be undefined", lattice, r->D_sigma.value,
              r->haven.value);
    hop_result_free(r);
}

Test(msd_random, sc) { expect_random_walk("sc"); }
Test(msd_random, honeycomb) { expect_random_walk("honeycomb"); }

/* With unequal rates (lattice files: classes, site energies, sublattices of different
 * coordination) the random walker picks each jump in proportion to its rate and waits
 * the mean residence time of its sublattice, so it diffuses with the rate-weighted
 * reference D_uncorrelated: f = 1 on every principal axis (no sublattice's jumps have a
 * mean, so the walk's steps are uncorrelated), as the corr estimator's random model
 * gives.  A uniform choice among the z jumps gave f_x = 0.74, f_z = 2.9 on
 * sc-tetragonal. */
Test(msd_random, unequal_rates_follow_the_rates, .timeout = 300)
{
    static const char *files[] = {"sc-tetragonal", "fcc-2class", "sc-ab", "lieb"};
    for (int i = 0; i < 4; ++i) {
        char path[512], msg[400] = "";
        const hop_lattice *L = NULL;
        hop_params p = hop_test_params("sc", HOP_EST_MSD, HOP_MODEL_RANDOM, 4000, 9);
        hop_result *r;
        snprintf(path, sizeof path, "%s/tests/lattices/%s.lat", HOP_SOURCE_DIR, files[i]);
        cr_assert_eq(hop_lattice_load(path, &L, msg, sizeof msg), HOP_OK, "%s", msg);
        cr_assert(L->rate_total[0] != 0, "%s has unequal rates", files[i]);
        p.lattice = L;
        p.threads = 2;
        r = hop_test_run(&p);
        for (int g = -1; g < r->n_groups; ++g) {
            const hop_estimate *e = g < 0 ? &r->f : &r->f_group[g];
            cr_expect(e->sigma > 0 && e->sigma < 0.05, "%s axis %d: sigma %g", files[i], g,
                      e->sigma);
            cr_expect_leq(fabs(e->value - 1), K_SIGMA * e->sigma, "%s random, axis %d: f = "
                          "%.4f +- %.4f", files[i], g, e->value, e->sigma);
        }
        hop_result_free(r);
    }
}

/* ---- Haven ratio and the reported identities ------------------------------------------ */

Test(msd_identities, haven_collective_and_grid)
{
    hop_result *r = run("sc", HOP_EST_MSD, HOP_MODEL_VACANCY, 5000, 77);
    const hop_lattice *L = r->params.lattice;
    const uint64_t N = r->box_sites;
    const double alpha2 = (double)L->jump_len2 / L->metric_den;
    const double fit_start = r->params.fit_from * r->msd[r->n_points - 1].t;
    cr_assert_eq(N, hop_lattice_box_sites(L, r->params.size));

    /* H = D* / D_sigma and its inverse, as defined (the same operations, so exactly). */
    cr_expect(r->haven.value == r->D_star.value / r->D_sigma.value, "H = %.17g, D* / D_sigma = %.17g",
              r->haven.value, r->D_star.value / r->D_sigma.value);
    cr_expect(r->haven_inverse.value == 1.0 / r->haven.value, "1/H = %.17g, H = %.17g",
              r->haven_inverse.value, r->haven.value);
    /* For one vacancy H = f: D_sigma is the vacancy's uncorrelated diffusion, whose
     * expectation is D_uncorrelated in any box, so no bias term enters. */
    cr_expect_leq(fabs(r->haven.value - r->f.value), K_SIGMA * r->haven.sigma,
                  "H = %.5f +- %.1e vs f = %.5f", r->haven.value, r->haven.sigma, r->f.value);
    /* f = D* / D_uncorrelated and D_uncorrelated = z alpha^2 / (2 d (N - 1)). */
    cr_expect_leq(fabs(r->D_uncorrelated - L->z * alpha2 / (2.0 * L->dim * (double)(N - 1))),
                  4 * DBL_EPSILON * r->D_uncorrelated, "D_uncorrelated %.17g", r->D_uncorrelated);
    cr_expect_leq(fabs(r->f.value - r->D_star.value / r->D_uncorrelated),
                  4 * DBL_EPSILON * r->f.value, "f %.17g vs D* / D_unc", r->f.value);

    for (int i = 0; i < r->n_points; ++i) {
        const hop_msd_point *p = &r->msd[i];
        /* All atoms together move by minus the vacancy's displacement. */
        cr_expect_leq(fabs(p->collective - p->vacancy / (double)(N - 1)),
                      4 * DBL_EPSILON * p->collective, "t = %g: collective %.17g, vacancy/(N-1) %.17g",
                      p->t, p->collective, p->vacancy / (double)(N - 1));
        cr_expect_leq(fabs(p->collective_se - p->vacancy_se / (double)(N - 1)),
                      4 * DBL_EPSILON * p->collective_se);
        cr_expect_leq(fabs(p->t * L->z - (double)llround(p->t * L->z)), 1e-9 * p->t * L->z,
                      "t = %.17g is not a whole number of exchanges / z", p->t);
        if (i > 0) {
            cr_expect_gt(p->t, r->msd[i - 1].t, "time grid not increasing at %d", i);
            /* Late times: the tracer's MSD grows (about linearly, by ~19% per point). */
            if (r->msd[i - 1].t >= fit_start)
                cr_expect_gt(p->tracer, r->msd[i - 1].tracer, "MSD decreases at t = %g", p->t);
        }
    }
    cr_expect_leq(fabs(r->msd[r->n_points - 1].t - r->params.time), 1.0 / L->z,
                  "last time %g, run length %g", r->msd[r->n_points - 1].t, r->params.time);
    cr_expect(r->fit_dof > 0 && r->fit_chi2 >= 0, "fit chi2 %g dof %d", r->fit_chi2, r->fit_dof);
    hop_result_free(r);
}

/* The time grid of every run length the resolver accepts is strictly increasing from at
 * least one step and ends at the run's last step, so every point is recorded (a grid
 * that started at step 0 once left short runs with no data at all). */
Test(msd_grid, valid_for_every_run_length)
{
    for (int l = 0; l < hop_lattice_count(); ++l) {
        hop_params p = hop_test_params(hop_lattice_get(l)->name, HOP_EST_MSD,
                                       HOP_MODEL_VACANCY, 2000, 1);
        const hop_lattice *L = p.lattice;
        int accepted = 0;
        char msg[256];
        p.size = L->min_size;
        for (double t = 1; t < 1e5; t *= 1.3) {
            hop_msd_params mp;
            p.time = t;
            if (hop_params_resolve(&p, msg, sizeof msg) != HOP_OK)
                continue;
            ++accepted;
            hop_run_msd_params(&p, p.size, &mp);
            cr_assert_eq(mp.n_times, p.n_times);
            cr_assert_geq(mp.time_steps[0], 1, "%s t = %g: grid starts at %lld", L->name, t,
                          (long long)mp.time_steps[0]);
            for (int i = 1; i < mp.n_times; ++i)
                cr_assert_gt(mp.time_steps[i], mp.time_steps[i - 1], "%s t = %g: point %d",
                             L->name, t, i);
            cr_assert_eq(mp.time_steps[mp.n_times - 1], (int64_t)floor(t * L->z + 0.5),
                         "%s t = %g: grid ends at %lld", L->name, t,
                         (long long)mp.time_steps[mp.n_times - 1]);
        }
        cr_assert_geq(accepted, 10, "%s: only %d run lengths accepted", L->name, accepted);
    }
}

/* The shortest allowed run gives a result, with every MSD point recorded. */
Test(msd_grid, shortest_run_succeeds)
{
    hop_params p = hop_test_params("sc", HOP_EST_MSD, HOP_MODEL_VACANCY, 2000, 3);
    hop_result *r;
    p.size = 4;          /* 64 sites: the shortest run is 8 relaxation times, 8 * 64 steps */
    p.time = 8.0 * 64 / p.lattice->z;
    r = hop_test_run(&p);
    cr_assert(isfinite(r->f.value) && r->f.sigma > 0, "f = %g +- %g", r->f.value, r->f.sigma);
    for (int i = 0; i < r->n_points; ++i)
        cr_assert_gt(r->msd[i].vacancy, 0, "point %d (t = %g) not recorded", i, r->msd[i].t);
    hop_result_free(r);
}

/* Every valid box size resolves with the default run length (a small box once got a
 * default time below the allowed minimum, reported as a bad --time nobody gave). */
Test(msd_grid, default_time_valid_for_small_boxes)
{
    for (int l = 0; l < hop_lattice_count(); ++l) {
        const hop_lattice *L = hop_lattice_get(l);
        for (int size = L->min_size; size < L->min_size + 4; ++size) {
            hop_params p = hop_test_params(L->name, HOP_EST_MSD, HOP_MODEL_VACANCY, 2000, 1);
            char msg[256];
            p.size = size;
            cr_expect_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s --size %d: %s",
                         L->name, size, msg);
        }
    }
}

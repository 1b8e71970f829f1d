/* test_corr.c: Criterion tests of the jump-correlation (corr) estimator, end to end
 * through hop_run_execute.
 *
 * Statistical checks against the exact values listed in docs/estimators.md (sc, bcc,
 * fcc, square, the 1D chain and uncorrelated jumps), internal consistency where no
 * exact value is known (isotropy of cubic lattices, the two principal components of
 * hcp), and the honesty of the truncation bias bound: at small radii, where truncation
 * is many standard errors, the reported bound must still cover the true error.  Every
 * tolerance is k sigma + bias with k = 4 and sigma, bias as reported by the run itself;
 * the seeds are fixed, so a failure reproduces. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "hop/hop.h"
#include "run_helper.h"
#include "exact_helper.h"

#define K_SIGMA 4.0

/* The exact values (docs/estimators.md), single vacancy, equal rates. */
#define F_SQUARE 0.46694220   /* 1/(pi - 1) */
#define F_SC 0.65310884
#define F_BCC 0.72719414
#define F_FCC 0.78145142

/* Run the corr estimator; radius 0 and shells 0 mean the defaults. */
static hop_result *run_corr(const char *lattice, int model, uint64_t replicas, double radius,
                            int shells, uint64_t seed)
{
    hop_params p = hop_test_params(lattice, HOP_EST_CORR, model, replicas, seed);
    hop_result *r;
    if (radius > 0)
        p.radius = radius;
    if (shells > 0)
        p.shells = shells;
    r = hop_test_run(&p);
    cr_assert_eq(r->replicas, replicas);
    cr_assert(isfinite(r->f.value) && isfinite(r->f.sigma) && isfinite(r->f.bias),
              "%s: non-finite f %g +- %g (bias %g)", lattice, r->f.value, r->f.sigma, r->f.bias);
    cr_assert(r->f.sigma > 0 && r->f.bias >= 0, "%s: sigma %g bias %g", lattice, r->f.sigma,
              r->f.bias);
    return r;
}

/* |f - ref| <= 4 sigma + bias at `radius` (0: the default), with sigma <= sigma_max
 * asserted so that the check has teeth. */
static void expect_reference(const char *lattice, uint64_t replicas, double radius, double ref)
{
    hop_result *r = run_corr(lattice, HOP_MODEL_VACANCY, replicas, radius, 0, 20240611);
    const double dev = fabs(r->f.value - ref), tol = K_SIGMA * r->f.sigma + r->f.bias;
    cr_expect_leq(r->f.sigma, 5e-4, "%s: sigma %.3g > 5e-4, use more replicas", lattice,
                  r->f.sigma);
    cr_expect_leq(dev, tol, "%s: f = %.8f +- %.2e (bias %.2e), reference %.8f: off by %.2e > %.2e",
                  lattice, r->f.value, r->f.sigma, r->f.bias, ref, dev, tol);
    {   /* and the exact solver, scalar and per principal axis */
        const hop_exact_result x = hop_test_exact(r->params.lattice, NULL);
        hop_test_expect_exact(lattice, &r->f, &x.f);
        for (int g = 0; g < r->n_groups; ++g)
            hop_test_expect_exact(r->params.lattice->group_name[g], &r->f_group[g],
                                  &x.f_group[g]);
    }
    /* The counts behind it: every replica starts after one jump and adds one more if
     * its vacancy returns. */
    cr_expect(r->lost_fraction > 0 && r->lost_fraction < 1, "%s: lost fraction %g", lattice,
              r->lost_fraction);
    cr_expect_eq(r->tracer_jumps,
                 r->replicas + (uint64_t)llround((1 - r->lost_fraction) * (double)r->replicas),
                 "%s: tracer jumps %llu", lattice, (unsigned long long)r->tracer_jumps);
    cr_expect_geq(r->vacancy_steps, r->replicas);
    hop_result_free(r);
}

/* ---- exact reference values ----------------------------------------------------------- */

/* sigma scales as 1/sqrt(replicas); measured 6e-4 at 1e6 (sc), so 2^21 gives 4.2e-4. */
Test(corr_reference, sc, .timeout = 120)
{
    expect_reference("sc", UINT64_C(1) << 21, 0, F_SC);
}

Test(corr_reference, bcc, .timeout = 120)
{
    expect_reference("bcc", UINT64_C(1) << 21, 0, F_BCC);
}

Test(corr_reference, fcc, .timeout = 120)
{
    expect_reference("fcc", UINT64_C(1) << 21, 0, F_FCC);
}

/* At radius 64, half the default: the vacancy's walk in 2D is recurrent, so at the
 * default 128 a replica averages 4000 vacancy steps (8.4e9 for 2^21 replicas, 25 s of
 * CPU, which a 2-core machine at load 17 stretched past Criterion's 120 s); at 64 it
 * averages 1120 (7.5 s of CPU), and the truncation bound the run derives (4.3e-4
 * against 2.9e-4) keeps the check as tight: 4 sigma + bias = 2.2e-3 against 2.1e-3,
 * sigma 4.5e-4 either way.  The reference is the infinite radius's f, so the bound's
 * cover of the truncation is checked with it. */
Test(corr_reference, square, .timeout = 120)
{
    expect_reference("square", UINT64_C(1) << 21, 64, F_SQUARE);
}

/* 1D chain: f = 0 exactly.  Truncated at R, the vacancy (one site from the tracer after
 * a jump) returns before reaching distance R with probability p = 1 - 1/R (gambler's
 * ruin), and the return always reverses the jump, so f(R) = 1 + 2 sum_n (-p)^n =
 * (1 - p)/(1 + p) = 1/(2R - 1) exactly: the truncation error is the whole of f(R), and
 * the bias bound must cover it. */
Test(corr_reference, chain)
{
    const double R = 256;
    hop_result *r = run_corr("chain", HOP_MODEL_VACANCY, 100000, R, 4, 7);
    const double tol = K_SIGMA * r->f.sigma + r->f.bias;
    cr_expect_leq(fabs(r->f.value), tol, "chain: f = %.3e +- %.1e (bias %.1e), want 0",
                  r->f.value, r->f.sigma, r->f.bias);
    cr_expect_geq(r->f.bias + K_SIGMA * r->f.sigma, 1.0 / (2 * R - 1),
                  "chain: bias bound %.3e does not cover f(R) = %.3e", r->f.bias,
                  1.0 / (2 * R - 1));
    for (int m = 0; m < r->n_shells; ++m) {
        const double Rm = r->shell_radius[m], want = 1.0 / (2 * Rm - 1);
        cr_expect_leq(fabs(r->f_shell[m].value - want), K_SIGMA * r->f_shell[m].sigma,
                      "chain: f(%g) = %.5e +- %.1e, exact %.5e", Rm, r->f_shell[m].value,
                      r->f_shell[m].sigma, want);
    }
    /* Lost replicas: probability 1/R. */
    cr_expect_leq(fabs(r->lost_fraction - 1 / R),
                  K_SIGMA * sqrt((1 / R) * (1 - 1 / R) / (double)r->replicas),
                  "chain: lost fraction %g, want %g", r->lost_fraction, 1 / R);
    hop_result_free(r);
}

/* ---- uncorrelated reference ------------------------------------------------------------ */

/* The random model draws the next jump uniformly: f = 1 exactly and nothing is
 * truncated, so the bias bound is exactly 0. */
static void expect_random(const char *lattice)
{
    hop_result *r = run_corr(lattice, HOP_MODEL_RANDOM, 200000, 0, 0, 99);
    cr_expect_leq(fabs(r->f.value - 1), K_SIGMA * r->f.sigma, "%s random: f = %.6f +- %.1e",
                  lattice, r->f.value, r->f.sigma);
    cr_expect(r->f.bias == 0.0, "%s random: bias %g, want exactly 0", lattice, r->f.bias);
    cr_expect(r->lost_fraction == 0.0, "%s random: lost fraction %g", lattice, r->lost_fraction);
    hop_result_free(r);
}

Test(corr_random, sc) { expect_random("sc"); }
Test(corr_random, fcc) { expect_random("fcc"); }
Test(corr_random, honeycomb) { expect_random("honeycomb"); }
Test(corr_random, hcp) { expect_random("hcp"); }

/* ---- isotropy ------------------------------------------------------------------------ */

/* Cubic symmetry makes the correlation tensor a scalar: each component agrees with f
 * within 4 of its own standard error plus both bias bounds. */
static void expect_isotropic(const char *lattice)
{
    hop_result *r = run_corr(lattice, HOP_MODEL_VACANCY, 300000, 0, 0, 31);
    cr_assert_eq(r->n_groups, 3, "%s: %d components", lattice, r->n_groups);
    for (int g = 0; g < 3; ++g) {
        const hop_estimate *e = &r->f_group[g];
        const double tol = K_SIGMA * e->sigma + e->bias + r->f.bias;
        cr_expect_leq(fabs(e->value - r->f.value), tol,
                      "%s: f_%d = %.6f +- %.1e vs f = %.6f: off by %.2e > %.2e", lattice, g,
                      e->value, e->sigma, r->f.value, fabs(e->value - r->f.value), tol);
    }
    cr_expect_leq(r->isotropy_dev, K_SIGMA, "%s: isotropy_dev %g", lattice, r->isotropy_dev);
    hop_result_free(r);
}

Test(corr_isotropy, sc) { expect_isotropic("sc"); }
Test(corr_isotropy, bcc) { expect_isotropic("bcc"); }
Test(corr_isotropy, fcc) { expect_isotropic("fcc"); }
Test(corr_isotropy, diamond) { expect_isotropic("diamond"); }

/* ---- truncation -------------------------------------------------------------------- */

/* sc at the default radius 32 with five shells (radii 2 .. 32): the estimate at the
 * innermost radius is visibly truncated (off the exact value by more than 4 sigma), the
 * estimates approach the outer one monotonically, and the outer one agrees with the
 * exact value within 4 sigma + bias. */
Test(corr_truncation, sc_converges_with_radius, .timeout = 120)
{
    hop_result *r = run_corr("sc", HOP_MODEL_VACANCY, UINT64_C(1) << 21, 32, 5, 5);
    const int last = r->n_shells - 1;
    const hop_estimate *in = &r->f_shell[0];
    cr_assert_eq(r->n_shells, 5);
    cr_expect(r->shell_radius[0] == 2 && r->shell_radius[last] == 32, "radii %g .. %g",
              r->shell_radius[0], r->shell_radius[last]);
    cr_expect(r->f_shell[last].value == r->f.value && r->f_shell[last].sigma == r->f.sigma,
              "outer shell %.8f is not f %.8f", r->f_shell[last].value, r->f.value);
    cr_expect_gt(fabs(in->value - F_SC), K_SIGMA * in->sigma,
                 "f(R = %g) = %.6f +- %.1e is within 4 sigma of %.6f: truncation invisible",
                 r->shell_radius[0], in->value, in->sigma, F_SC);
    cr_expect_leq(fabs(r->f.value - F_SC), K_SIGMA * r->f.sigma + r->f.bias,
                  "f(R = 32) = %.6f +- %.1e (bias %.1e) vs %.6f", r->f.value, r->f.sigma,
                  r->f.bias, F_SC);
    cr_expect_lt(fabs(r->f.value - F_SC), fabs(in->value - F_SC));
    {   /* the exact solver's f, as the reference */
        const hop_exact_result x = hop_test_exact(r->params.lattice, NULL);
        hop_test_expect_exact("sc f(R = 32)", &r->f, &x.f);
    }
    for (int m = 1; m < last; ++m)
        cr_expect_lt(fabs(r->f_shell[m].value - r->f.value),
                     fabs(r->f_shell[m - 1].value - r->f.value),
                     "f(%g) = %.6f is not closer to f(32) = %.6f than f(%g) = %.6f",
                     r->shell_radius[m], r->f_shell[m].value, r->f.value,
                     r->shell_radius[m - 1], r->f_shell[m - 1].value);
    hop_result_free(r);
}

/* At a small outer radius the truncation error is many standard errors; the reported
 * bias bound must still cover it: |f(R) - f_exact| <= 4 sigma + bias, with the error
 * itself > 4 sigma so the bias bound is what is being tested.  Small radii are cheap,
 * so 4e6 replicas (sigma about 3e-4) cost well under a second. */
static void expect_honest_bias(const char *lattice, double radius, int shells, double ref)
{
    hop_result *r = run_corr(lattice, HOP_MODEL_VACANCY, 4000000, radius, shells, 77);
    const double err = fabs(r->f.value - ref);
    cr_expect_gt(err, K_SIGMA * r->f.sigma,
                 "%s R = %g: error %.2e is within 4 sigma = %.2e, choose a smaller radius",
                 lattice, radius, err, K_SIGMA * r->f.sigma);
    cr_expect_leq(err, K_SIGMA * r->f.sigma + r->f.bias,
                  "%s R = %g: f = %.6f +- %.1e, bias bound %.2e does not cover the error %.2e",
                  lattice, radius, r->f.value, r->f.sigma, r->f.bias, err);
    {   /* and the exact solver's value covers it the same way */
        const hop_exact_result x = hop_test_exact(r->params.lattice, NULL);
        hop_test_expect_exact(lattice, &r->f, &x.f);
    }
    hop_result_free(r);
}

Test(corr_truncation, honest_bias_sc) { expect_honest_bias("sc", 4, 3, F_SC); }
Test(corr_truncation, honest_bias_bcc) { expect_honest_bias("bcc", 4, 3, F_BCC); }
Test(corr_truncation, honest_bias_fcc) { expect_honest_bias("fcc", 4, 3, F_FCC); }
Test(corr_truncation, honest_bias_square) { expect_honest_bias("square", 8, 3, F_SQUARE); }

/* ---- hcp ---------------------------------------------------------------------------- */

/* Two principal components, basal plane ("x") and c axis ("z").  With ideal c/a the
 * jump vectors' second moment is isotropic (test_lattice.c), so in-plane and c-axis
 * components carry weights 2/3 and 1/3 and f = (2 f_x + f_z)/3 is an identity of the
 * estimator.  With ideal c/a the two are nearly equal (literature: 0.78121 in the
 * plane, 0.78146 along c, a difference far below the resolution here), so they must
 * agree within 4 combined sigma plus both bias bounds. */
Test(corr_hcp, two_components, .timeout = 120)
{
    hop_result *r = run_corr("hcp", HOP_MODEL_VACANCY, 1000000, 0, 0, 13);
    const hop_estimate *x = &r->f_group[0], *z = &r->f_group[1];
    const double combined = (2 * x->value + z->value) / 3;
    const double tol = K_SIGMA * sqrt(x->sigma * x->sigma + z->sigma * z->sigma) + x->bias + z->bias;
    cr_assert_eq(r->n_groups, 2);
    cr_expect_leq(fabs(r->f.value - combined), 1e-12, "f = %.15f, (2 f_x + f_z)/3 = %.15f",
                  r->f.value, combined);
    cr_expect_leq(fabs(x->value - z->value), tol,
                  "f_x = %.6f +- %.1e, f_z = %.6f +- %.1e: differ by %.2e > %.2e", x->value,
                  x->sigma, z->value, z->sigma, fabs(x->value - z->value), tol);
    {   /* each component and f against the exact solver's (0.781205, 0.781451) */
        const hop_exact_result ex = hop_test_exact(r->params.lattice, NULL);
        hop_test_expect_exact("hcp f", &r->f, &ex.f);
        hop_test_expect_exact("hcp f_x", x, &ex.f_group[0]);
        hop_test_expect_exact("hcp f_z", z, &ex.f_group[1]);
    }
    hop_result_free(r);
}

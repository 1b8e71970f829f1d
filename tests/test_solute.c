/* test_solute.c: the five-frequency model of solute diffusion (include/hop/step.h
 * hop_rates, host/models/solute.c).
 *
 *  - equal rates reproduce the self-diffusion f of fcc and bcc (docs/estimators.md) within
 *    4 sqrt(sigma^2 + bias^2);
 *  - the limits w2 -> 0 (f2 -> 1) and w2 -> infinity (f2 -> 0), with the O(w2) and
 *    O(1/w2) approach to them bounded analytically;
 *  - detailed balance of the rate table, exactly: for every exchange x -> t near the
 *    solute, pi(x) W(x -> t) = pi(t) W(t -> x) with pi = w4/w3 on the NN shell and 1
 *    elsewhere, i.e. a binding energy E_b = kT ln(w4/w3);
 *  - Manning's formula at equal rates, and every bad parameter refused;
 *  - the corr and msd estimates of f2 against the exact solver (exact_helper.h). */
#include <criterion/criterion.h>
#include <math.h>
#include "models/solute.h"
#include "run_helper.h"
#include "exact_helper.h"

static hop_result *solute_run(const char *lattice, double w0, double w1, double w2, double w3,
                              double w4, uint64_t replicas)
{
    hop_params p = hop_test_params(lattice, HOP_EST_CORR, HOP_MODEL_SOLUTE, replicas, 11);
    p.w[0] = w0, p.w[1] = w1, p.w[2] = w2, p.w[3] = w3, p.w[4] = w4;
    return hop_test_run(&p);
}

/* The exact f2 of the run's rates. */
static hop_exact_result exact_of(const hop_result *r)
{
    hop_rates R;
    hop_solute_rates(&r->params, &R);
    return hop_test_exact(r->params.lattice, &R);
}

static double tolerance(const hop_result *r)
{
    return 4.0 * sqrt(r->f.sigma * r->f.sigma + r->f.bias * r->f.bias);
}

Test(solute, equal_rates_give_self_diffusion_f)
{
    hop_result *fcc = solute_run("fcc", 1, 1, 1, 1, 1, 400000);
    hop_result *bcc = solute_run("bcc", 2, 0, 2, 2, 2, 400000);
    cr_assert_leq(fabs(fcc->f.value - 0.78145142), tolerance(fcc), "fcc f2 %g ± %g",
                  fcc->f.value, fcc->f.sigma);
    cr_assert_leq(fabs(bcc->f.value - 0.72719414), tolerance(bcc), "bcc f2 %g ± %g",
                  bcc->f.value, bcc->f.sigma);
    cr_assert_lt(fcc->f.sigma, 2e-3);
    cr_assert_float_eq(fcc->binding, 0.0, 1e-15);
    {
        const hop_exact_result xf = exact_of(fcc), xb = exact_of(bcc);
        hop_test_expect_exact("fcc f2, equal rates", &fcc->f, &xf.f);
        hop_test_expect_exact("bcc f2, equal rates", &bcc->f, &xb.f);
    }
    hop_result_free(fcc);
    hop_result_free(bcc);
}

/* w2 -> 0: a solute jump is reversed only if the vacancy, which exchanges with the
 * solute at w2 against at least w1 + w3 otherwise at each visit, chooses it; so
 * 1 - f2 <= 2 w2 / (w1 + w3) times a visit count of order 1 (Manning: 2.8e-7 here).
 * w2 -> infinity: f2 <= (2 w1 + 7 w3) / (2 w2) (Manning's form with F <= 1); w2 = 1e3
 * keeps enough non-reversing jumps for the chain of jump types to be estimated (at
 * 1e6 nearly every jump is undone and the estimated chain falls apart into pairs). */
Test(solute, limits_of_w2)
{
    hop_result *slow = solute_run("fcc", 1, 1, 1e-6, 1, 1, 200000);
    hop_result *fast = solute_run("fcc", 1, 1, 1e3, 1, 1, 200000);
    cr_assert_leq(fabs(slow->f.value - 1.0), tolerance(slow) + 10 * 2e-6 / 2,
                  "w2 -> 0: f2 %g ± %g", slow->f.value, slow->f.sigma);
    cr_assert_leq(fast->f.value, tolerance(fast) + (2.0 + 7.0) / 2e3, "w2 -> inf: f2 %g ± %g",
                  fast->f.value, fast->f.sigma);
    cr_assert_geq(fast->f.value, -tolerance(fast));
    hop_result_free(slow);
    hop_result_free(fast);
}

/* Every exchange within three jumps of the solute, both directions, on fcc and bcc. */
Test(solute, detailed_balance_of_the_rates)
{
    static const char *lattices[] = {"fcc", "bcc"};
    for (int n = 0; n < 2; ++n) {
        hop_params p = hop_test_params(lattices[n], HOP_EST_CORR, HOP_MODEL_SOLUTE, 0, 1);
        const hop_lattice *L = p.lattice;
        const double w4_over_w3 = 3.7 / 0.45;
        hop_rates R;
        int checked = 0;
        p.w[0] = 1, p.w[1] = n == 0 ? 0.8 : 0, p.w[2] = 2.5, p.w[3] = 0.45, p.w[4] = 3.7;
        p.w3p = n == 1 ? 0.3 : 0, p.w3pp = n == 1 ? 0.2 : 0;
        hop_solute_rates(&p, &R);
        cr_assert_eq(R.n_outer, 3, "%s: outer shells", L->name);
        for (int x0 = -6; x0 <= 6; ++x0)
            for (int x1 = -6; x1 <= 6; ++x1)
                for (int x2 = -6; x2 <= 6; ++x2) {
                    const int32_t x[3] = {x0, x1, x2};
                    const int64_t r2 = hop_lattice_norm2(L, x);
                    /* lattice sites only: fcc all-even sums, bcc all-same parity here */
                    if (r2 == 0 || r2 > 9 * L->jump_len2)
                        continue;
                    if (n == 0 && (x0 + x1 + x2) % 2 != 0)
                        continue;
                    if (n == 1 && ((x0 - x1) % 2 != 0 || (x1 - x2) % 2 != 0))
                        continue;
                    for (int k = 0; k < L->z; ++k) {
                        int32_t t[3];
                        int64_t t2;
                        double pi_x, pi_t, forward, back;
                        for (int a = 0; a < 3; ++a)
                            t[a] = x[a] + L->jump[0][k][a];
                        t2 = hop_lattice_norm2(L, t);
                        if (t2 == 0)
                            continue;        /* the exchange with the solute moves it */
                        pi_x = r2 == R.nn_r2 ? w4_over_w3 : 1;
                        pi_t = t2 == R.nn_r2 ? w4_over_w3 : 1;
                        forward = (double)R.weight[hop_rates_class(&R, r2, t2)];
                        back = (double)R.weight[hop_rates_class(&R, t2, r2)];
                        cr_assert_lt(fabs(pi_x * forward - pi_t * back) / (pi_x * forward), 1e-8,
                                     "%s: x = (%d %d %d), jump %d: %g vs %g", L->name, x0, x1, x2,
                                     k, pi_x * forward, pi_t * back);
                        ++checked;
                    }
                }
        cr_assert_gt(checked, 1000, "%s: %d exchanges checked", L->name, checked);
    }
}

/* The msd estimator with the residence-time clock (physical time, equilibrium start)
 * measures D2 directly; converted with p_1 = (w4/w3)/(z w4/w3 + N - 1 - z) it must give
 * the corr estimator's f2.  Tolerance: 4 standard errors of the difference plus the
 * corr bias bound plus 3/N for the box's O(1/N) finite-size bias (measured coefficient
 * 1.4 on sc, README). */
Test(solute, msd_clock_agrees_with_corr, .timeout = 300)
{
    hop_params p = hop_test_params("fcc", HOP_EST_MSD, HOP_MODEL_SOLUTE, 3000, 13);
    hop_result *msd, *corr;
    double tol;
    p.w[0] = 1, p.w[1] = 0.5, p.w[2] = 2, p.w[3] = 1, p.w[4] = 3;
    msd = hop_test_run(&p);
    corr = solute_run("fcc", 1, 0.5, 2, 1, 3, 200000);
    tol = 4 * sqrt(msd->f.sigma * msd->f.sigma + corr->f.sigma * corr->f.sigma) + corr->f.bias
          + 3.0 / (double)msd->box_sites;
    cr_assert_leq(fabs(msd->f.value - corr->f.value), tol, "msd f2 %g ± %g, corr f2 %g ± %g",
                  msd->f.value, msd->f.sigma, corr->f.value, corr->f.sigma);
    {   /* both against the exact solver (msd: its box's O(1/N) bias, 3/N, as above) */
        const hop_exact_result x = exact_of(corr);
        hop_estimate m = msd->f;
        m.bias = (isnan(m.bias) ? 0 : m.bias) + 3.0 / (double)msd->box_sites;  /* no bound of its own */
        hop_test_expect_exact("fcc corr f2 (w 1 .5 2 1 3)", &corr->f, &x.f);
        hop_test_expect_exact("fcc msd f2 (w 1 .5 2 1 3)", &m, &x.f);
    }
    cr_assert_lt(msd->f.sigma, 0.02);
    hop_result_free(msd);
    hop_result_free(corr);
}

/* Equal rates: the clock ticks 1/(z w) per event, exactly the equal-rate engine's time,
 * and the msd estimates of the two models agree. */
Test(solute, msd_equal_rates_match_the_vacancy_model, .timeout = 300)
{
    hop_params p = hop_test_params("fcc", HOP_EST_MSD, HOP_MODEL_SOLUTE, 3000, 17);
    hop_params q = hop_test_params("fcc", HOP_EST_MSD, HOP_MODEL_VACANCY, 3000, 19);
    hop_result *a, *b;
    p.w[0] = p.w[1] = p.w[2] = p.w[3] = p.w[4] = 1;
    p.size_check = q.size_check = 0;
    a = hop_test_run(&p);
    b = hop_test_run(&q);
    cr_assert_eq(a->n_points, b->n_points);
    for (int i = 0; i < a->n_points; ++i)
        cr_assert_lt(fabs(a->msd[i].t - b->msd[i].t), 1e-6 * b->msd[i].t, "t[%d] %.9g vs %.9g", i,
                     a->msd[i].t, b->msd[i].t);
    cr_assert_leq(fabs(a->f.value - b->f.value), 4 * sqrt(a->f.sigma * a->f.sigma
                                                          + b->f.sigma * b->f.sigma),
                  "solute %g ± %g, vacancy %g ± %g", a->f.value, a->f.sigma, b->f.value,
                  b->f.sigma);
    hop_result_free(a);
    hop_result_free(b);
}

/* Le Claire's bcc model with distinct w3, w3', w3'' (fewer replicas: sigma ~2e-3). */
Test(solute, bcc_le_claire_against_exact, .timeout = 120)
{
    hop_params p = hop_test_params("bcc", HOP_EST_CORR, HOP_MODEL_SOLUTE, 200000, 23);
    hop_result *r;
    hop_rates R;
    hop_exact_result x;
    p.w[0] = 1, p.w[2] = 3, p.w[3] = 0.5, p.w[4] = 2, p.w3p = 0.8, p.w3pp = 1.5;
    r = hop_test_run(&p);
    hop_solute_rates(&r->params, &R);
    x = hop_test_exact(r->params.lattice, &R);
    hop_test_expect_exact("bcc Le Claire f2", &r->f, &x.f);
    cr_expect_lt(r->f.sigma, 3e-3);
    hop_result_free(r);
}

Test(solute, manning_formula)
{
    /* Equal rates: 7F = 7 - 2458.5/1328.2 = 5.148999, f2 = (2 + 7F)/(4 + 7F) = 0.7813968. */
    cr_assert_float_eq(hop_manning_f2(1, 1, 1, 1, 1), 0.7813968, 1e-7);
    cr_assert_float_eq(hop_manning_f2(1, 1, 0, 1, 1), 1.0, 1e-15);
    cr_assert_lt(hop_manning_f2(1, 1, 1e9, 1, 1), 1e-8);
}

Test(solute, bad_parameters)
{
    static const struct { const char *lattice; int estimator; double w[5], w3p; const char *needle; } bad[] = {
        {"sc", HOP_EST_CORR, {1, 1, 1, 1, 1}, 0, "fcc and bcc"},
        {"bcc", HOP_EST_MSD, {1, 0, 1, 1, 1}, 0, "too small for --model solute"},
        {"fcc", HOP_EST_CORR, {1, 1, 0, 1, 1}, 0, "--w2 is required"},
        {"fcc", HOP_EST_CORR, {1, 0, 1, 1, 1}, 0, "--w1 is required"},
        {"bcc", HOP_EST_CORR, {1, 1, 1, 1, 1}, 0, "--w1: bcc has no"},
        {"fcc", HOP_EST_CORR, {1, 1, 1, 1, 1}, 0.5, "--w3p"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; ++i) {
        hop_params p = hop_test_params(bad[i].lattice, bad[i].estimator, HOP_MODEL_SOLUTE, 0, 1);
        char msg[256] = "";
        for (int k = 0; k < 5; ++k)
            p.w[k] = bad[i].w[k];
        p.w3p = bad[i].w3p;
        if (bad[i].estimator == HOP_EST_MSD)
            p.size = 4;                      /* bcc: under six jump lengths */
        cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_ERR_INVAL, "case %zu", i);
        cr_assert(strstr(msg, bad[i].needle) != NULL, "case %zu: '%s' not in '%s'", i,
                  bad[i].needle, msg);
    }
    {   /* rates without the solute model */
        hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_VACANCY, 0, 1);
        char msg[256] = "";
        p.w[2] = 3;
        cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_ERR_INVAL);
        cr_assert(strstr(msg, "--model solute only") != NULL, "%s", msg);
    }
    {   /* msd with w0 a tiny fraction of the largest rate: the residence-time clock (in
         * units of 2^-64 / w0) would overflow int64 (found by tests/fuzz/fuzz_cli.c) */
        hop_params p = hop_test_params("bcc", HOP_EST_MSD, HOP_MODEL_SOLUTE, 0, 1);
        char msg[256] = "";
        p.w[0] = 1, p.w[2] = 1e-30, p.w[3] = 1e30, p.w[4] = 1;
        p.time = 0;
        cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_ERR_INVAL);
        cr_assert(strstr(msg, "too long for the msd clock") != NULL, "%s", msg);
        p = hop_test_params("bcc", HOP_EST_MSD, HOP_MODEL_SOLUTE, 0, 1);   /* 1e-6: fits */
        p.w[0] = 1e-6, p.w[2] = 1, p.w[3] = 1, p.w[4] = 1;
        p.time = 0;
        cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
    }
}

/* Same seed and replicas, 1 or 2 threads: the same bits (integer tallies). */
Test(solute, thread_count_does_not_matter)
{
    hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_SOLUTE, 30000, 5);
    hop_result *a, *b;
    p.w[0] = 1, p.w[1] = 0.8, p.w[2] = 2.5, p.w[3] = 0.45, p.w[4] = 3.7;
    p.threads = 1;
    a = hop_test_run(&p);
    p.threads = 2;
    b = hop_test_run(&p);
    cr_assert(memcmp(&a->f, &b->f, sizeof a->f) == 0, "f2 %.17g vs %.17g", a->f.value, b->f.value);
    cr_assert_eq(a->vacancy_steps, b->vacancy_steps);
    hop_result_free(a);
    hop_result_free(b);
}

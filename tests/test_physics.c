/* test_physics.c: physical units, thermodynamics and transport (host/physics.c).
 *
 * Exact checks: the bond-breaking rule on the cubic lattices (REFERENCE.md: sc
 * Q_f = 3 eps, Q_m = 4 eps, Q_D = 7 eps), D* = f D with f's errors scaled, the
 * Arrhenius form D* = D0 exp(-Q_D/kT) recovered from a fit over temperatures, hand
 * computed values for copper-like parameters, Nernst-Einstein, and the Haven ratio in
 * both conventions.  A run's f does not depend on T (same seed, same replicas), so
 * the temperature dependence is exactly the Arrhenius factor. */
#include <criterion/criterion.h>
#include <math.h>
#include "physics.h"
#include "run_helper.h"

#define REL(a, b) (fabs((a) - (b)) / fabs(b))

Test(physics, bond_breaking_rule)
{
    static const struct { const char *name; int window; double qf, qm; } cases[] = {
        {"sc", 4, 3, 4}, {"bcc", 3, 4, 3}, {"fcc", 4, 6, 4}, {"square", 2, 2, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; ++i) {
        hop_params p = hop_test_params(cases[i].name, HOP_EST_CORR, HOP_MODEL_VACANCY, 0, 1);
        char msg[256];
        cr_assert_eq(hop_bond_window(p.lattice), cases[i].window, "%s", cases[i].name);
        p.T = 800;
        p.nu = 1e13;
        p.a = 3;
        p.bond_energy = 0.25;
        cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
        cr_assert(p.physical);
        cr_assert_float_eq(p.Qf, cases[i].qf * 0.25, 1e-15, "%s Q_f", cases[i].name);
        cr_assert_float_eq(p.Qm, cases[i].qm * 0.25, 1e-15, "%s Q_m", cases[i].name);
    }
}

static hop_result *physical_run(const char *lattice, int estimator, double T)
{
    hop_params p = hop_test_params(lattice, estimator, HOP_MODEL_VACANCY,
                                   estimator == HOP_EST_MSD ? 4000 : 40000, 7);
    p.T = T;
    p.Qf = 1.28;
    p.Qm = 0.70;
    p.nu = 1e13;
    p.a = 3.61;
    p.carrier_density = 8.5e28;
    p.charge = 1;
    return hop_test_run(&p);
}

/* Copper-like fcc at 1000 K, by hand: alpha = a/sqrt 2, D = (1/6) 12 omega X_v alpha^2. */
Test(physics, hand_computed_values)
{
    hop_result *r = physical_run("fcc", HOP_EST_CORR, 1000);
    const double kT = 8.617333262e-5 * 1000;                 /* 0.08617333262 eV */
    const double X_v = exp(-1.28 / kT), omega = 1e13 * exp(-0.70 / kT);
    const double alpha = 3.61e-10 / sqrt(2.0);
    const double D = 2.0 * omega * X_v * alpha * alpha;
    cr_assert_lt(REL(r->phys.X_v, 3.54066e-7), 1e-5, "X_v %g", r->phys.X_v);
    cr_assert_lt(REL(r->phys.omega, 2.96589e9), 1e-5, "omega %g", r->phys.omega);
    cr_assert_lt(REL(r->phys.D_uncorrelated, D), 1e-12);
    cr_assert_lt(REL(r->phys.D_uncorrelated, 1.36853e-16), 1e-5);
    cr_assert_lt(REL(r->phys.Gamma, 12 * omega * X_v), 1e-12);
    /* D* = f D with the errors of f scaled alike. */
    cr_assert_lt(REL(r->phys.D_star.value, r->f.value * D), 1e-12);
    cr_assert_lt(REL(r->phys.D_star.sigma, r->f.sigma * D), 1e-12);
    cr_assert_lt(REL(r->phys.D_star.bias, r->f.bias * D), 1e-12);
    /* One vacancy: D_sigma = D, H = f; Nernst-Einstein with n = 8.5e28, q = e. */
    cr_assert_eq(r->phys.D_sigma.value, r->phys.D_uncorrelated);
    cr_assert_eq(r->haven.value, r->f.value);
    cr_assert_lt(REL(r->haven_inverse.value, 1 / r->f.value), 1e-15);
    cr_assert_lt(REL(r->phys.conductivity.value,
                     8.5e28 * 1.602176634e-19 * 1.602176634e-19 * D / (1.380649e-23 * 1000)),
                 1e-12);
    cr_assert_lt(REL(r->phys.conductivity.value, 2.16277e-5), 1e-5);
    hop_result_free(r);
}

/* ln D* against 1/T over 600..1400 K is a straight line of slope -Q_D/k and intercept
 * ln D0 (least squares over five temperatures, to rounding). */
Test(physics, arrhenius_recovers_Q_D)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0, slope, intercept, D0 = 0;
    const int n = 5;
    for (int i = 0; i < n; ++i) {
        hop_result *r = physical_run("bcc", HOP_EST_CORR, 600 + 200 * i);
        const double x = 1 / (8.617333262e-5 * (600 + 200 * i)), y = log(r->phys.D_star.value);
        sx += x, sy += y, sxx += x * x, sxy += x * y;
        D0 = r->phys.D0;
        cr_assert_float_eq(r->phys.Q_D, 1.98, 1e-12);
        hop_result_free(r);
    }
    slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    intercept = (sy - slope * sx) / n;
    cr_assert_float_eq(-slope, 1.98, 1e-9, "Q_D from the fit %.12g", -slope);
    cr_assert_lt(fabs(intercept - log(D0)), 1e-9, "ln D0 %.12g vs %.12g", intercept, log(D0));
}

/* msd: D_sigma is the simulated collective coefficient, scaled like D*, and the
 * Haven ratio is D* / D_sigma in both unit systems. */
Test(physics, msd_scaling)
{
    hop_result *r = physical_run("sc", HOP_EST_MSD, 900);
    const double scale = r->phys.D_uncorrelated / r->D_uncorrelated;
    cr_assert_eq(r->phys.D_sigma_exact, 0);
    cr_assert_lt(REL(r->phys.D_sigma.value, r->D_sigma.value * scale), 1e-12);
    cr_assert_lt(REL(r->phys.D_star.value / r->phys.D_sigma.value, r->haven.value), 1e-12);
    hop_result_free(r);
}

Test(physics, resolve_refuses_incomplete_or_extreme_input)
{
    static const struct { double T, Qf, Qm, eps, nu, a, n, q; const char *needle; } bad[] = {
        {0, 1, 1, 0, 1e13, 3, 0, 0, "--T"},
        {900, 1, 0, 0, 1e13, 3, 0, 0, "--Qm"},
        {900, 0, 1, 0, 1e13, 3, 0, 0, "--Qf"},
        {900, 1, 1, 0.3, 1e13, 3, 0, 0, "not both"},
        {900, 1, 1, 0, 0, 3, 0, 0, "--nu"},
        {900, 1, 1, 0, 1e13, 0, 0, 0, "--a"},
        {900, 1, 1, 0, 1e13, 3, 1e28, 0, "--charge"},
        {900, 1, 1, 0, 1e13, 3, 0, 1, "--carrier-density"},
        {1, 5, 5, 0, 1e13, 3, 0, 0, "underflow"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; ++i) {
        hop_params p = hop_test_params("sc", HOP_EST_CORR, HOP_MODEL_VACANCY, 0, 1);
        char msg[256] = "";
        p.T = bad[i].T, p.Qf = bad[i].Qf, p.Qm = bad[i].Qm, p.bond_energy = bad[i].eps;
        p.nu = bad[i].nu, p.a = bad[i].a, p.carrier_density = bad[i].n, p.charge = bad[i].q;
        cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_ERR_INVAL, "case %zu", i);
        cr_assert(strstr(msg, bad[i].needle) != NULL, "case %zu: '%s' not in '%s'", i,
                  bad[i].needle, msg);
    }
}

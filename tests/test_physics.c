/* test_physics.c: physical units, thermodynamics and transport (host/models/physics.c).
 *
 * Exact checks: the bond-breaking rule on the cubic lattices (docs/units.md: sc
 * Q_f = 3 eps, Q_m = 4 eps, Q_D = 7 eps), D* = f D with f's errors scaled, the
 * Arrhenius form D* = D0 exp(-Q_D/kT) recovered from a fit over temperatures, hand
 * computed values for copper-like parameters, Nernst-Einstein, and the Haven ratio in
 * both conventions.  A run's f does not depend on T (same seed, same replicas), so
 * the temperature dependence is exactly the Arrhenius factor.
 *
 * The lattice gas (--model gas): D*, D_sigma, D_vacancy, D_chem in m^2/s are the reduced
 * D/D0 times (1/2d) z alpha^2 nu exp(-Q_m/kT) with errors and bias bounds alike; the
 * carrier density is c sites per cell volume (checked against hand-computed site
 * densities of every built-in lattice); Nernst-Einstein; --pair-energy E at T gives the
 * bits of --J E/kT; every refusal is a usage error with nothing written; a T scan at
 * fixed E writes the physical columns with J = E/kT in each row. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "dir_helper.h"
#include "json_helper.h"
#include "models/physics.h"
#include "proc_helper.h"
#include "usage_helper.h"
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

/* ---- the lattice gas ------------------------------------------------------------- */

/* Sites per a^dim of every built-in lattice, by hand: sc 1, bcc 2, fcc 4, diamond 8;
 * square 1, triangular 2/sqrt 3 (rhombus of area sqrt 3/2), honeycomb 4/sqrt 3 (two
 * sites per rhombus of the triangular lattice of constant a); hcp sqrt 2 (two sites in
 * a^2 sqrt 3/2 times c = a sqrt(8/3)); chain 1. */
Test(gas_physics, cell_volumes)
{
    static const struct { const char *name; double sites_per_volume; } cases[] = {
        {"chain", 1}, {"square", 1}, {"triangular", 2 / 1.7320508075688772},
        {"honeycomb", 4 / 1.7320508075688772}, {"sc", 1}, {"bcc", 2}, {"fcc", 4},
        {"diamond", 8}, {"hcp", 1.4142135623730951},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; ++i) {
        const hop_lattice *L = hop_lattice_find(cases[i].name);
        cr_assert_not_null(L);
        cr_assert_lt(REL(L->n_basis / hop_lattice_cell_volume(L), cases[i].sites_per_volume),
                     1e-14, "%s: %.17g sites per a^%d", cases[i].name,
                     L->n_basis / hop_lattice_cell_volume(L), L->dim);
    }
}

#define GAS_T 600.0
#define GAS_NU 1e13
#define GAS_QM 0.5
#define GAS_A 3.0

/* A physical gas run: pair energy E (eV) unless J is to be given in kT instead. */
static hop_result *gas_physical_run(const char *lattice, int size, double c, double E,
                                    double carrier_density)
{
    hop_params p = hop_test_params(lattice, HOP_EST_MSD, HOP_MODEL_GAS, 2000, 5);
    p.size = size;
    p.c = c;
    p.T = GAS_T;
    p.nu = GAS_NU;
    p.Qm = GAS_QM;
    p.a = GAS_A;
    p.pair_energy = E;
    p.pair_energy_given = 1;
    p.carrier_density = carrier_density;
    return hop_test_run(&p);
}

/* physical == reduced * by, for the value, its error and its bias bound (to rounding) */
static void expect_scaled(const char *what, const hop_estimate *phys, const hop_estimate *red,
                          double by)
{
    cr_expect_lt(REL(phys->value, red->value * by), 1e-13, "%s value", what);
    cr_expect_lt(REL(phys->sigma, red->sigma * by), 1e-13, "%s stderr", what);
    cr_expect(isfinite(red->bias), "%s: the companion box bounds the bias", what);
    cr_expect_lt(REL(phys->bias, red->bias * by), 1e-13, "%s bias bound", what);
}

/* sc, c = 0.5, E = 0.03 eV at 600 K: J = E/kT exactly as hop computes it; omega, D0 and
 * every D from the reduced results by hand; n = c / a^3; sigma = n e^2 D_sigma / kT. */
Test(gas_physics, exact_identities)
{
    hop_result *r = gas_physical_run("sc", 8, 0.5, 0.03, 0);   /* companion: edge 4 */
    const double kT = HOP_K_B_EV * GAS_T, alpha = GAS_A * 1e-10;
    const double omega = GAS_NU * exp(-GAS_QM / kT);
    const double D0 = (1.0 / 6.0) * 6 * alpha * alpha * omega;
    const double n = r->gas.c / (alpha * alpha * alpha);
    cr_assert(r->params.physical);
    cr_assert_eq(r->params.J, 0.03 / (HOP_K_B_EV * GAS_T), "J = E/kT: %.17g", r->params.J);
    cr_assert_eq(r->params.charge, 1.0, "default charge 1 e");
    cr_assert_lt(REL(r->phys.omega, omega), 1e-15);
    cr_assert_lt(REL(r->phys.D0, D0), 1e-14, "D0 %g vs %g", r->phys.D0, D0);
    cr_assert_eq(r->check_size, 4, "the companion box ran");
    expect_scaled("D*", &r->phys.D_star, &r->gas.D_star, D0);
    expect_scaled("D_sigma", &r->phys.D_sigma, &r->gas.D_sigma, D0);
    expect_scaled("D_vacancy", &r->phys.D_vacancy, &r->gas.D_vacancy, D0);
    expect_scaled("D_chem", &r->phys.D_chem, &r->gas.D_chem, D0);   /* measured Theta */
    cr_assert_eq(r->phys.density_dim, 3);
    cr_assert_lt(REL(r->phys.carrier_density, n), 1e-14);
    cr_assert_lt(REL(r->phys.conductivity.value, n * HOP_E_CHARGE * HOP_E_CHARGE
                     * r->phys.D_sigma.value / (HOP_K_B_J * GAS_T)), 1e-13);
    cr_assert_lt(REL(r->phys.conductivity.sigma, n * HOP_E_CHARGE * HOP_E_CHARGE
                     * r->phys.D_sigma.sigma / (HOP_K_B_J * GAS_T)), 1e-13);
    /* the Haven ratio has no units: the same in both */
    cr_assert_lt(REL(r->phys.D_star.value / r->phys.D_sigma.value, r->haven.value), 1e-13);
    hop_result_free(r);
}

/* J = 0 (E = 0 is a valid pair energy): D_chem in m^2/s too; fcc has 4 sites per a^3. */
Test(gas_physics, d_chem_and_fcc_density)
{
    hop_result *r = gas_physical_run("fcc", 3, 0.3, 0, 0);
    const double kT = HOP_K_B_EV * GAS_T, alpha = GAS_A * 1e-10 / sqrt(2.0);
    const double D0 = (1.0 / 6.0) * 12 * alpha * alpha * GAS_NU * exp(-GAS_QM / kT);
    cr_assert_eq(r->params.J, 0.0);
    cr_assert_lt(REL(r->phys.D0, D0), 1e-14, "D0 %g vs %g", r->phys.D0, D0);
    cr_assert(isfinite(r->gas.D_chem.value));
    cr_expect_lt(REL(r->phys.D_chem.value, r->gas.D_chem.value * D0), 1e-13);
    cr_expect_lt(REL(r->phys.D_chem.sigma, r->gas.D_chem.sigma * D0), 1e-13);
    cr_assert_lt(REL(r->phys.carrier_density, 4 * r->gas.c / pow(GAS_A * 1e-10, 3)), 1e-14);
    hop_result_free(r);
}

/* A 2D lattice: carriers per m^2 and a sheet conductance, unless --carrier-density
 * (per m^3) replaces the computed density. */
Test(gas_physics, two_dimensions)
{
    hop_result *r = gas_physical_run("square", 8, 0.5, 0.01, 0);
    cr_assert_eq(r->phys.density_dim, 2);
    cr_assert_lt(REL(r->phys.carrier_density, r->gas.c / pow(GAS_A * 1e-10, 2)), 1e-14);
    hop_result_free(r);
    r = gas_physical_run("square", 8, 0.5, 0.01, 2e28);
    cr_assert_eq(r->phys.density_dim, 3);
    cr_assert_eq(r->phys.carrier_density, 2e28);
    cr_assert_lt(REL(r->phys.conductivity.value, 2e28 * HOP_E_CHARGE * HOP_E_CHARGE
                     * r->phys.D_sigma.value / (HOP_K_B_J * GAS_T)), 1e-13);
    hop_result_free(r);
}

/* Resolving resolved parameters changes nothing: J set from E is not "both". */
Test(gas_physics, resolve_twice)
{
    hop_params p = hop_test_params("sc", HOP_EST_MSD, HOP_MODEL_GAS, 2000, 5), q;
    char msg[256];
    p.c = 0.5;
    p.T = 450;
    p.pair_energy = -0.01;
    p.pair_energy_given = 1;
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
    cr_assert(!p.physical, "--T with --pair-energy alone only converts E");
    cr_assert_eq(p.J, -0.01 / (HOP_K_B_EV * 450));
    q = p;
    cr_assert_eq(hop_params_resolve(&q, msg, sizeof msg), HOP_OK, "%s", msg);
    cr_assert(memcmp(&p, &q, sizeof p) == 0);
    q.J = 0.5;                         /* a different J beside the pair energy */
    cr_assert_eq(hop_params_resolve(&q, msg, sizeof msg), HOP_ERR_INVAL);
    cr_assert(strstr(msg, "not both"), "%s", msg);
}

/* `hop run --json`: the physical gas keys, and --pair-energy E at T gives the results
 * of --J E/kT (J computed as hop does, written with 17 digits) bit for bit. */
Test(gas_physics, pair_energy_gives_the_bits_of_J)
{
    char dir[64], a[128], b[128], J[64];
    const char *common[] = {"run", "--model", "gas", "--lattice", "sc", "--c", "0.4", "--size",
                            "4", "--replicas", "2000", "--seed", "9", "--backend", "cpu",
                            "--quiet", "--T", "700", "--nu", "1e13", "--a", "3", "--Qm", "0.5"};
    const size_t n_common = sizeof common / sizeof *common;
    const char *args[HOP_PROC_MAX_ARGS + 1];
    cJSON *ra, *rb, *root, *x;
    hop_proc *r;
    make_dir(dir, sizeof dir);
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    snprintf(J, sizeof J, "%.17g", 0.04 / (HOP_K_B_EV * 700));
    memcpy(args, common, sizeof common);
    args[n_common] = "--pair-energy", args[n_common + 1] = "0.04";
    args[n_common + 2] = "--json", args[n_common + 3] = a, args[n_common + 4] = NULL;
    r = hop_run_args(args);
    cr_assert_eq(r->status, 0, "%s", r->err);
    cr_assert(strstr(r->out, "pair energy E = 0.04 eV at T = 700 K: J = E/kT = ")
              && strstr(r->out, "physical units: T = 700 K") && strstr(r->out, "D_sigma = (")
              && strstr(r->out, "cm^2/s") && strstr(r->out, "S/m"), "%s", r->out);
    args[n_common] = "--J", args[n_common + 1] = J;
    args[n_common + 3] = b;
    r = hop_run_args(args);
    cr_assert_eq(r->status, 0, "%s", r->err);
    ra = hop_test_results(a);
    rb = hop_test_results(b);
    cr_assert(cJSON_Compare(ra, rb, 1), "--pair-energy 0.04 --T 700 vs --J %s: results differ", J);
    /* the SI keys beside the reduced ones */
    for (const char *const *k = (const char *const[]){"D_star", "D_sigma", "D_vacancy",
                                                      "D_star_cm2_s", "conductivity", NULL};
         *k; ++k) {
        x = cJSON_GetObjectItemCaseSensitive(ra, *k);
        cr_assert(x && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(x, "value"))
                  && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(x, "stderr"))
                  && cJSON_GetObjectItemCaseSensitive(x, "bias_bound")
                  && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(x, "unit")),
                  "results.%s with value, stderr, bias_bound and unit", *k);
    }
    x = cJSON_GetObjectItemCaseSensitive(ra, "D_star_over_D0");
    cr_assert(x && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(x, "value")),
              "the reduced keys stay");
    cr_assert(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(ra, "omega"))
              && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(ra, "D0_SI")));
    /* the parameters record E and J = E/kT */
    root = hop_test_json(a);
    x = cJSON_GetObjectItemCaseSensitive(root, "parameters");
    cr_assert_eq(cJSON_GetObjectItemCaseSensitive(x, "pair_energy")->valuedouble, 0.04);
    /* cJSON writes 15 digits where they read back within DBL_EPSILON (relative) */
    cr_assert_leq(REL(cJSON_GetObjectItemCaseSensitive(x, "J")->valuedouble, strtod(J, NULL)),
                  DBL_EPSILON);
    cJSON_Delete(root);
    cJSON_Delete(ra);
    cJSON_Delete(rb);
    remove_dir(dir);
}

#define REFUSED(needle, ...) \
    hop_expect_usage_error(needle, (const char *const[]){"--model", "gas", "--lattice", "sc", \
                                                         "--c", "0.5", __VA_ARGS__, NULL})
#define SI "--T", "600", "--nu", "1e13", "--a", "3"

Test(gas_physics, refusals)
{
    REFUSED("--Qf does not apply", SI, "--Qm", "0.5", "--Qf", "1");
    REFUSED("--bond-energy does not apply", SI, "--bond-energy", "0.1");
    REFUSED("--pair-energy needs --T", "--pair-energy", "0.02");
    REFUSED("--pair-energy needs --T", "--pair-energy", "0.02", "--nu", "1e13", "--a", "3",
            "--Qm", "0.5");
    REFUSED("exclude each other", "--T", "600", "--pair-energy", "0.02", "--J", "0.3");
    REFUSED("exclude each other", "--J", "0", "--T", "600", "--pair-energy", "0.02");
    /* |E|/kT beyond the acceptance test: |E|/kT <= 64 ln 2 = 44.36 (1.147 eV at 300 K,
     * 2.293 eV at 600 K) */
    REFUSED("--pair-energy: |E|/kT", "--T", "300", "--pair-energy", "1.2");
    REFUSED("--pair-energy: |E|/kT", SI, "--Qm", "0.5", "--pair-energy", "-2.3");
    REFUSED("--pair-energy: 'x' is not", "--T", "300", "--pair-energy", "x");
    REFUSED("--Qm (migration energy", SI);
    REFUSED("--nu (attempt frequency", "--T", "600", "--a", "3", "--Qm", "0.5");
    REFUSED("--a (lattice constant", "--T", "600", "--pair-energy", "0.01", "--nu", "1e13",
            "--Qm", "0.5");
    REFUSED("--T (temperature in K) is required", "--nu", "1e13", "--a", "3", "--Qm", "0.5");
    REFUSED("the rates underflow", "--T", "1", "--nu", "1e13", "--a", "3", "--Qm", "1");
    hop_expect_usage_error("--model gas only", (const char *const[]){"--lattice", "sc", "--T",
                                                                     "600", "--pair-energy",
                                                                     "0.02", NULL});
}

/* A T scan at fixed E: one row per T with J = E/kT, D in m^2/s = the reduced D* times the D0
 * column, the conductivity and its unit; a grid whose coldest point underflows is
 * refused before anything is written. */
Test(gas_physics, temperature_scan)
{
    char dir[64], csv[128], cmd[1024], line[4096];
    int idx_T = -1, idx_J = -1, idx_E = -1, idx_D = -1, idx_U = -1, idx_red = -1, idx_D0 = -1;
    int idx_cu = -1, idx_s = -1, rows = 0;
    FILE *f;
    make_dir(dir, sizeof dir);
    snprintf(csv, sizeof csv, "%s/t.csv", dir);
    snprintf(cmd, sizeof cmd, "%s scan --out %s --quiet --backend cpu --model gas --lattice sc "
             "--size 4 --c 0.5 --replicas 2000 --T 300:900:3 --pair-energy 0.03 --nu 1e13 "
             "--a 3 --Qm 0.5 2>&1", HOP_BINARY, csv);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    f = fopen(csv, "r");
    cr_assert_not_null(f);
    while (fgets(line, sizeof line, f)) {
        char *field[64], *save = NULL;
        int n = 0;
        if (line[0] == '#')
            continue;
        line[strcspn(line, "\n")] = '\0';
        for (char *t = strtok_r(line, ",", &save); t && n < 64; t = strtok_r(NULL, ",", &save))
            field[n++] = t;
        if (idx_T < 0) {                    /* the header */
            for (int i = 0; i < n; ++i) {
                idx_T = strcmp(field[i], "T") == 0 ? i : idx_T;
                idx_J = strcmp(field[i], "J") == 0 ? i : idx_J;
                idx_E = strcmp(field[i], "pair_energy") == 0 ? i : idx_E;
                idx_D = strcmp(field[i], "D_star") == 0 ? i : idx_D;
                idx_U = strcmp(field[i], "D_unit") == 0 ? i : idx_U;
                idx_red = strcmp(field[i], "D_star_over_D0") == 0 ? i : idx_red;
                idx_D0 = strcmp(field[i], "D0") == 0 ? i : idx_D0;
                idx_cu = strcmp(field[i], "conductivity_unit") == 0 ? i : idx_cu;
                idx_s = strcmp(field[i], "conductivity") == 0 ? i : idx_s;
            }
            cr_assert(idx_T >= 0 && idx_J >= 0 && idx_E >= 0 && idx_D >= 0 && idx_U >= 0
                      && idx_red >= 0 && idx_D0 >= 0 && idx_cu >= 0 && idx_s >= 0,
                      "physical columns in the header");
            continue;
        }
        {
            const double T = atof(field[idx_T]), J = atof(field[idx_J]);
            const double omega = GAS_NU * exp(-GAS_QM / (HOP_K_B_EV * T));
            const double D0 = 9e-20 * omega;          /* sc: (1/6) 6 alpha^2 omega */
            ++rows;
            cr_expect_eq(T, 300.0 * rows, "row %d", rows);
            cr_expect_eq(atof(field[idx_E]), 0.03);
            cr_expect_lt(REL(J, 0.03 / (HOP_K_B_EV * T)), 1e-9, "J = E/kT at %g K: %s", T,
                         field[idx_J]);
            cr_expect_str_eq(field[idx_U], "m^2/s");
            cr_expect_str_eq(field[idx_cu], "S/m");
            cr_expect_gt(atof(field[idx_s]), 0);
            cr_expect_lt(REL(atof(field[idx_D0]), D0), 1e-13, "D0 at %g K", T);
            cr_expect_lt(REL(atof(field[idx_D]), atof(field[idx_red]) * D0), 1e-13,
                         "D* = D*/D0 x D0 at %g K", T);
        }
    }
    fclose(f);
    cr_assert_eq(rows, 3);
    remove_dir(dir);
    /* at 100 K, 0.4 eV / kT = 46.4 > 64 ln 2 underflows the acceptance test: nothing is
     * written */
    make_dir(dir, sizeof dir);
    snprintf(csv, sizeof csv, "%s/t.csv", dir);
    snprintf(cmd, sizeof cmd, "%s scan --out %s --quiet --backend cpu --model gas --lattice sc "
             "--size 4 --c 0.5 --replicas 2000 --T 100,900 --pair-energy 0.4 --nu 1e13 "
             "--a 3 --Qm 0.5 2>/dev/null", HOP_BINARY, csv);
    cr_assert_eq(WEXITSTATUS(system(cmd)), 2);
    cr_assert_eq(count_entries(dir), 0, "a refused grid writes nothing");
    remove_dir(dir);
}

/* Entropies (docs/units.md): S_f = 1.5 k, S_m = 0.5 k multiply X_v by e^1.5, omega by
 * e^0.5 and D*, D0 by e^2 at every T, to rounding, and leave f and Q_D alone. */
Test(physics, entropy_factors_exact)
{
    for (int T = 600; T <= 1400; T += 400) {
        hop_result *r = physical_run("fcc", HOP_EST_CORR, T), *s;
        hop_params p = r->params;
        p.Sf = 1.5;
        p.Sm = 0.5;
        s = hop_test_run(&p);
        cr_assert_eq(memcmp(&s->f, &r->f, sizeof r->f), 0, "f depends on the entropies");
        cr_assert_lt(REL(s->phys.X_v, r->phys.X_v * exp(1.5)), 1e-13);
        cr_assert_lt(REL(s->phys.omega, r->phys.omega * exp(0.5)), 1e-13);
        cr_assert_lt(REL(s->phys.D_star.value, r->phys.D_star.value * exp(2.0)), 1e-13,
                     "%d K: D* ratio %.17g", T, s->phys.D_star.value / r->phys.D_star.value);
        cr_assert_lt(REL(s->phys.D_star.sigma, r->phys.D_star.sigma * exp(2.0)), 1e-13);
        cr_assert_lt(REL(s->phys.D0, r->phys.D0 * exp(2.0)), 1e-13);
        cr_assert_eq(s->phys.Q_D, r->phys.Q_D);
        hop_result_free(r);
        hop_result_free(s);
    }
}

/* Copper (docs/units.md "comparing with tracer data"): H_f = 1.28 eV, H_m = 0.71 eV,
 * nu = 1e13 Hz, a = 3.615 A against the tracer fit D = 0.78 cm^2/s exp(-2.19 eV/kT)
 * (Rothman and Peterson 1969, approximate): without entropies D* is 4-13 times too
 * small over 800 .. 1300 K; with S_f = 1.5 k, S_m = 0.5 k it is within a factor 2. */
Test(physics, copper_meets_tracer_data)
{
    static const double temps[] = {800, 1000, 1300};
    for (size_t i = 0; i < sizeof temps / sizeof *temps; ++i) {
        hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_VACANCY, 40000, 7);
        const double kT = 8.617333262e-5 * temps[i];
        const double D_exp = 0.78e-4 * exp(-2.19 / kT);
        hop_result *bare, *r;
        p.T = temps[i];
        p.Qf = 1.28;
        p.Qm = 0.71;
        p.nu = 1e13;
        p.a = 3.615;
        bare = hop_test_run(&p);
        p.Sf = 1.5;
        p.Sm = 0.5;
        r = hop_test_run(&p);
        cr_assert_lt(bare->phys.D_star.value / D_exp, 0.3, "%g K: without entropies %g of the "
                     "data", temps[i], bare->phys.D_star.value / D_exp);
        cr_assert(r->phys.D_star.value / D_exp > 0.5 && r->phys.D_star.value / D_exp < 2,
                  "%g K: D* %g is %g of the data", temps[i], r->phys.D_star.value,
                  r->phys.D_star.value / D_exp);
        hop_result_free(bare);
        hop_result_free(r);
    }
}

/* The solute in physical units: w_i/w0 = exp(-(E_i - Q_m)/kT) exactly as resolved, the
 * bits of f2 of the reduced run with those rates, and D2 = f2 (1/2d) z alpha^2 w2 X_v
 * (w4/w3) in m^2/s computed here by hand. */
Test(physics, solute_in_physical_units)
{
    static const double E[5] = {0.71, 0.70, 0.60, 0.75, 0.65};
    const double T = 1000, kT = 8.617333262e-5 * T, alpha = 3.615e-10 / sqrt(2.0);
    hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_SOLUTE, 20000, 3);
    hop_params q = p;
    hop_result *r, *s;
    double D2;
    p.T = T;
    p.Qf = 1.28;
    p.Qm = E[0];
    p.Sf = 1.5;
    p.Sm = 0.5;
    p.nu = 1e13;
    p.a = 3.615;
    for (int i = 1; i < 5; ++i)
        p.E[i] = E[i];
    r = hop_test_run(&p);
    q.w[0] = 1;
    for (int i = 1; i < 5; ++i) {
        q.w[i] = exp(-(E[i] - E[0]) / kT);
        cr_assert_eq(r->params.w[i], q.w[i], "w%d", i);
    }
    s = hop_test_run(&q);
    cr_assert_eq(memcmp(&r->f, &s->f, sizeof r->f), 0, "f2 %.17g vs reduced %.17g", r->f.value,
                 s->f.value);
    cr_assert(isnan(s->D2));
    D2 = r->f.value * 0.5 * 12 * alpha * alpha * 1e13 * exp(0.5) * exp(-E[2] / kT) * exp(1.5)
         * exp(-1.28 / kT) * exp(-(E[4] - E[3]) / kT) / 3.0;
    cr_assert_lt(REL(r->D2, D2), 1e-13, "D2 %.17g vs %.17g", r->D2, D2);
    /* The tracer is the solute: phys.D_star is D2 (scan's D column), no Haven ratio. */
    cr_assert_eq(r->phys.D_star.value, r->D2);
    cr_assert_float_eq(r->phys.Q_D, 1.28 + E[2] + E[4] - E[3], 1e-15);
    cr_assert(isnan(r->haven.value) && isnan(r->phys.D_sigma.value));
    /* The reduced D2/X_v is in a^2 w0 (w0 = 1 here): times a^2, w0 = omega and X_v. */
    cr_assert_lt(REL(r->D2, r->D2_over_Xv * r->phys.X_v * r->phys.omega * 3.615e-10
                            * 3.615e-10), 1e-12);
    hop_result_free(r);
    hop_result_free(s);
}

#define CU "--T", "1000", "--nu", "1e13", "--a", "3.615", "--Qf", "1.28", "--Qm", "0.71"
#define REFUSED_RUN(needle, ...) \
    hop_expect_usage_error(needle, (const char *const[]){__VA_ARGS__, NULL})

Test(physics, entropy_and_barrier_refusals)
{
    REFUSED_RUN("--T (temperature in K) is required", "--Sf", "1.5");
    REFUSED_RUN("--T (temperature in K) is required", "--Sm", "0.5", "--nu", "1e13");
    REFUSED_RUN("--T: '-5' is out of range", "--Sf", "1.5", "--Sm", "0.5", "--T", "-5");
    REFUSED_RUN("--Sf: '25' is out of range", CU, "--Sf", "25");
    REFUSED_RUN("--Sm: 'x' is not", CU, "--Sm", "x");
    REFUSED_RUN("--Sf does not apply", "--model", "gas", "--lattice", "sc", "--c", "0.5", CU,
                "--Sf", "1");
    REFUSED_RUN("apply to --model solute only", CU, "--E2", "0.6");
    REFUSED_RUN("they need physical units", "--model", "solute", "--w0", "1", "--w1", "1",
                "--w2", "1", "--w3", "1", "--w4", "1", "--E2", "0.6");
    REFUSED_RUN("--E3 (the barrier of w3", "--model", "solute", CU, "--E1", "0.7", "--E2",
                "0.6", "--E4", "0.6");
    REFUSED_RUN("not both", "--model", "solute", CU, "--E1", "0.7", "--E2", "0.6", "--E3",
                "0.7", "--E4", "0.6", "--w2", "3");
    /* the exact estimator takes the barriers (test_exact) and checks them as corr does */
    REFUSED_RUN("not both", "--model", "solute", "--estimator", "exact", CU, "--E1", "0.7",
                "--E2", "0.6", "--E3", "0.7", "--E4", "0.6", "--w2", "3");
    REFUSED_RUN("--E1: bcc has no jumps", "--model", "solute", "--lattice", "bcc", CU, "--E1",
                "0.7", "--E2", "0.6", "--E3", "0.7", "--E4", "0.6");
}

/* test_gas.c: Criterion tests of the many-body lattice gas (--model gas), against exact
 * results.
 *
 * - J = 0: the collective displacement is a martingale, so E|sum d_i|^2 / N =
 *   z t alpha^2 M/(n - 1) exactly at every time point and D_sigma/D0 = M/(n - 1) (the
 *   probability that a given neighbour of a particle is empty in the box; 1 - c for a
 *   large box) for every c and lattice.  The slab counts are hypergeometric, so the
 *   measured thermodynamic factor is (n - 1)/M in the box (one slab width or two) and
 *   D_sigma Theta = D0.
 * - f(c) -> 1 as c -> 0 (linear extrapolation from two small c, whose O(c^2) remainder
 *   is far below the error) and, with one vacancy, the single-vacancy msd engine's f in
 *   the same box.
 * - J != 0: detailed balance.  The time- and replica-averaged number of occupied
 *   nearest-neighbour pairs equals its Boltzmann average, computed here by exact
 *   enumeration of all C(16, 8) configurations of a 4 x 4 square box, and so does the
 *   thermodynamic factor from the slabs' number fluctuations (two widths, and the wide
 *   slabs alone).  At J = +-8 (3 particles or 3 vacancies in that box) the pair count
 *   matches the enumeration too, finely enough to see the excitations above the ground
 *   state.
 * - J != 0 against the thermodynamic limit: on the default ring of 64 sites Theta (and
 *   its one-width companion) equals the ring's exact canonical value (transfer over the
 *   sites) and, within the companion box's bias bound, the infinite chain's closed form
 *   (itself checked against the 2 x 2 transfer matrix); a too short equilibration shows
 *   as a drift of Theta.  On the square lattice the two-width Theta is the same in boxes
 *   of edge 8 and 16 where the one-width one is not (the surface term is gone); boxes
 *   of edge < 4 use one width, and a companion of edge < 4 bounds no Theta.
 * - (The exact identities of the step code's bookkeeping along a trajectory are
 *   test_gas_step.c's.)
 * - Bits: 1 and 2 threads give identical JSON results; every bad input is a one-line
 *   usage error with exit status 2 and no file written.
 * Tolerances: 3 reported standard errors (the criterion); seeds are fixed. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "dir_helper.h"
#include "models/gas.h"
#include "proc_helper.h"
#include "usage_helper.h"
#include "json_helper.h"
#include "run_helper.h"

#define K_SIGMA 3.0

/* ---- J = 0: the collective motion is exact ----------------------------------------- */

/* J = 0: the particles sit on a uniformly random subset of the sites at every time, so
 * a slab's count is hypergeometric and the measured thermodynamic factor is exactly
 * (n - 1)/M in the box (in expectation); with it D_sigma Theta = D0 (the error of the
 * product bounded as hop bounds it, by Cauchy-Schwarz). */
static void expect_free_theta(const char *lattice, const hop_result *r)
{
    const hop_estimate *th = &r->gas.theta, *ds = &r->gas.D_sigma;
    const double exact = (double)(r->box_sites - 1) / (double)r->gas.n_vacancies;
    const double product = ds->value * th->value;
    const double sigma = fabs(th->value) * ds->sigma + fabs(ds->value) * th->sigma;
    cr_assert_gt(th->sigma, 0.0, "%s: Theta has an error", lattice);
    cr_expect_float_eq(r->gas.theta_exact, exact, 1e-12);
    cr_expect_leq(fabs(th->value - exact), K_SIGMA * th->sigma,
                  "%s c = %g: Theta = %.5f +- %.5f, exact (n-1)/M = %.5f", lattice, r->gas.c,
                  th->value, th->sigma, exact);
    cr_expect_leq(fabs(product - 1), K_SIGMA * sigma,
                  "%s c = %g: D_sigma Theta (measured) = %.5f +- %.5f", lattice, r->gas.c,
                  product, sigma);
}

static void expect_collective_exact(const char *lattice, int size, double c)
{
    const hop_params p = hop_test_gas_params(lattice, size, c, 0, 4000, 77);
    hop_result *r = hop_test_run(&p);
    const hop_lattice *L = r->params.lattice;
    const double alpha2 = (double)L->jump_len2 / L->metric_den;
    const double want = (double)r->gas.n_vacancies / (double)(r->box_sites - 1);
    cr_assert_gt(r->gas.D_sigma.sigma, 0.0);
    cr_expect_leq(fabs(r->gas.D_sigma.value - want), K_SIGMA * r->gas.D_sigma.sigma,
                  "%s c = %g: D_sigma/D0 = %.5f +- %.5f, exact M/(n-1) = %.5f", lattice,
                  r->gas.c, r->gas.D_sigma.value, r->gas.D_sigma.sigma, want);
    /* J = 0: the chemical diffusion coefficient is D0 (with the exact Theta, no bias) */
    cr_expect(r->gas.D_chem_exact_theta, "%s: J = 0 uses the exact Theta", lattice);
    cr_expect_eq(r->gas.D_chem.bias, 0.0, "%s: D_chem/D0 has no finite-size bias", lattice);
    cr_expect_leq(fabs(r->gas.D_chem.value - 1), K_SIGMA * r->gas.D_chem.sigma,
                  "%s c = %g: D_chem/D0 = %.5f +- %.5f", lattice, r->gas.c,
                  r->gas.D_chem.value, r->gas.D_chem.sigma);
    expect_free_theta(lattice, r);
    /* every time point: E|sum d|^2 / N = z t alpha^2 M/(n-1) (4 sigma: 40 points) */
    for (int i = 0; i < r->n_points; ++i) {
        const hop_msd_point *m = &r->msd[i];
        const double exact = L->z * m->t * alpha2 * want;
        cr_expect_leq(fabs(m->collective - exact), 4.0 * m->collective_se,
                      "%s c = %g t = %g: collective MSD %.5g +- %.2g, exact %.5g", lattice,
                      r->gas.c, m->t, m->collective, m->collective_se, exact);
    }
    /* the uniform start: pairs per site = (z/2) N (N-1) / (n (n-1)) exactly */
    {
        const double N = (double)r->gas.n_particles, n = (double)r->box_sites;
        const double pairs = 0.5 * L->z * N * (N - 1) / (n * (n - 1));
        cr_expect_leq(fabs(r->gas.pairs.value - pairs), K_SIGMA * r->gas.pairs.sigma + 1e-12,
                      "%s c = %g: pairs per site %.6f +- %.2g, exact %.6f", lattice, r->gas.c,
                      r->gas.pairs.value, r->gas.pairs.sigma, pairs);
    }
    hop_result_free(r);
}

static void collective_scan(const char *lattice, int size)
{
    static const double cs[] = {0.2, 0.5, 0.8};
    for (size_t i = 0; i < sizeof cs / sizeof *cs; ++i)
        expect_collective_exact(lattice, size, cs[i]);
}

Test(gas_collective, sc) { collective_scan("sc", 4); }
Test(gas_collective, square) { collective_scan("square", 8); }
Test(gas_collective, bcc) { collective_scan("bcc", 3); }
Test(gas_collective, triangular) { collective_scan("triangular", 8); }

/* Multi-site cells (the slabs are unions of whole cells) and the smallest boxes: fcc of
 * 2 cells (slabs one plane wide, the shifted one the complement of the other), hcp and
 * honeycomb (two sublattices); an odd edge (square of 5: slabs of 2 of 5 planes, and
 * N v/n = 3.2 not an integer, so the recorded deviations from 3 need the e^2 term). */
static void expect_free_theta_only(const char *lattice, int size, double c)
{
    const hop_params p = hop_test_gas_params(lattice, size, c, 0, 4000, 41);
    hop_result *r = hop_test_run(&p);
    expect_free_theta(lattice, r);
    hop_result_free(r);
}

Test(gas_theta, free_gas_multi_site_cells)
{
    expect_free_theta_only("fcc", 2, 0.5);
    expect_free_theta_only("hcp", 4, 0.3);
    expect_free_theta_only("honeycomb", 4, 0.7);
    expect_free_theta_only("square", 5, 0.3);
}

/* A box of one cell has no slab: Theta is not measured (NaN), D_chem for J = 0
 * still is (exact Theta), and for J != 0 it is not. */
Test(gas_theta, one_cell_box_has_no_slab)
{
    hop_params p = hop_test_gas_params("diamond", 1, 0.5, 0, 2000, 5);
    hop_result *r = hop_test_run(&p);
    cr_expect(isnan(r->gas.theta.value) && isnan(r->gas.theta.sigma));
    cr_expect(isfinite(r->gas.D_chem.value));
    hop_result_free(r);
    p.J = 0.5;
    r = hop_test_run(&p);
    cr_expect(isnan(r->gas.theta.value) && isnan(r->gas.D_chem.value));
    hop_result_free(r);
}

/* ---- f(c) at the two ends ------------------------------------------------------------ */

/* f(c) = 1 - kappa c + O(c^2): 2 f(c) - f(2c) = 1 + O(c^2), with c = 2/216 the
 * remainder is ~1e-4 kappa', well below the error (~1e-2). */
Test(gas_f, dilute_limit_is_one, .timeout = 120)
{
    hop_params p = hop_test_gas_params("sc", 6, 2.0 / 216, 0, 20000, 5);
    hop_result *r1, *r2;
    double f0, s0;
    r1 = hop_test_run(&p);
    cr_assert_eq(r1->gas.n_particles, 2);
    p.c = 4.0 / 216;
    r2 = hop_test_run(&p);
    cr_assert_eq(r2->gas.n_particles, 4);
    f0 = 2 * r1->f.value - r2->f.value;
    s0 = sqrt(4 * r1->f.sigma * r1->f.sigma + r2->f.sigma * r2->f.sigma);
    cr_expect_leq(fabs(f0 - 1), K_SIGMA * s0,
                  "f(%.4f) = %.4f +- %.4f, f(%.4f) = %.4f +- %.4f: extrapolated f(0) = "
                  "%.4f +- %.4f", r1->gas.c, r1->f.value, r1->f.sigma, r2->gas.c, r2->f.value,
                  r2->f.sigma, f0, s0);
    cr_expect_leq(r1->f.value, 1 + K_SIGMA * r1->f.sigma, "f(%g) = %g > 1", r1->gas.c,
                  r1->f.value);
    hop_result_free(r1);
    hop_result_free(r2);
}

/* One vacancy among n - 1 particles: the gas picks the vacancy as the mover and every
 * attempt is an exchange, the single-vacancy dynamics on the same clock, so f (the
 * tracer MSD over all particles) equals the msd engine's f in the same box. */
static void expect_one_vacancy(const char *lattice, int size)
{
    const double n = (double)hop_lattice_box_sites(hop_lattice_find(lattice), size);
    hop_params p = hop_test_gas_params(lattice, size, (n - 1) / n, 0, 4000, 9);
    hop_params q = hop_test_params(lattice, HOP_EST_MSD, HOP_MODEL_VACANCY, 20000, 9);
    hop_result *g, *v;
    double tol;
    q.size = size;
    q.size_check = 0;
    g = hop_test_run(&p);
    cr_assert_eq(g->gas.n_vacancies, 1);
    cr_expect_eq(g->tracer_jumps, g->vacancy_steps, "%s: every attempt of a lone vacancy "
                 "is an exchange", lattice);
    v = hop_test_run(&q);
    cr_assert_eq(g->params.time, v->params.time, "%s: same run length", lattice);
    tol = K_SIGMA * sqrt(g->f.sigma * g->f.sigma + v->f.sigma * v->f.sigma);
    cr_expect_leq(fabs(g->f.value - v->f.value), tol,
                  "%s one vacancy: gas f = %.5f +- %.5f, engine f = %.5f +- %.5f", lattice,
                  g->f.value, g->f.sigma, v->f.value, v->f.sigma);
    /* the vacancy's own walk is uncorrelated: D_vac = D0 (N / (n - 1) = 1 here) */
    cr_expect_leq(fabs(g->gas.D_vacancy.value - 1), K_SIGMA * g->gas.D_vacancy.sigma,
                  "%s: D_vac/D0 = %.5f +- %.5f", lattice, g->gas.D_vacancy.value,
                  g->gas.D_vacancy.sigma);
    hop_result_free(g);
    hop_result_free(v);
}

Test(gas_f, one_vacancy_sc, .timeout = 120) { expect_one_vacancy("sc", 4); }
Test(gas_f, one_vacancy_square, .timeout = 120) { expect_one_vacancy("square", 8); }

/* ---- J != 0: detailed balance ----------------------------------------------------------- */

/* Theta of the 4 x 4 square box from the exact canonical averages of the slab series
 * (gas.h; edge 4: B = 4 blocks of one plane per axis): the wide slabs x in {j, j + 1}
 * and y in {j, j + 1} (mod 4), v = 8 sites each with E n_k = 4, D = v (1 - v/n) = 4; the
 * narrow ones x = j and y = j, v = 4 with E n_k = 2, D = 3; 8 of each.  Two widths:
 * Theta = c (8 4 - 8 3) / <S_wide - S_narrow>; the wide slabs alone (*one):
 * Theta = c 8 4 / <S_wide>, with S the sums of (n_k - E n_k)^2 and c = 1/2.  *pairs
 * (when not NULL): <B>, the mean number of occupied nearest-neighbour pairs. */
static double exact_4x4(double J, double *one, double *pairs)
{
    double z = 0, zw = 0, zn = 0, zb = 0;
    for (unsigned mask = 0; mask < (1u << 16); ++mask) {
        int bonds = 0, col[4] = {0, 0, 0, 0}, row[4] = {0, 0, 0, 0}, wide = 0, narrow = 0;
        if (__builtin_popcount(mask) != 8)
            continue;
        for (int x = 0; x < 4; ++x)
            for (int y = 0; y < 4; ++y) {
                const int s = 4 * y + x, right = 4 * y + (x + 1) % 4, up = 4 * ((y + 1) % 4) + x;
                if (mask >> s & 1u) {
                    bonds += (int)(mask >> right & 1u);
                    bonds += (int)(mask >> up & 1u);
                    ++col[x];
                    ++row[y];
                }
            }
        for (int j = 0; j < 4; ++j) {
            const int cw = col[j] + col[(j + 1) % 4] - 4, rw = row[j] + row[(j + 1) % 4] - 4;
            wide += cw * cw + rw * rw;
            narrow += (col[j] - 2) * (col[j] - 2) + (row[j] - 2) * (row[j] - 2);
        }
        z += exp(-J * bonds);
        zw += wide * exp(-J * bonds);
        zn += narrow * exp(-J * bonds);
        zb += bonds * exp(-J * bonds);
    }
    if (pairs)
        *pairs = zb / z;
    if (one)
        *one = 0.5 * 8 * 4 / (zw / z);
    return 0.5 * (8 * 4 - 8 * 3) / ((zw - zn) / z);
}

/* <B> over all placements of 8 particles on the 4 x 4 square torus, weights exp(-J B). */
static double exact_pairs_4x4(double J)
{
    double pairs;
    exact_4x4(J, NULL, &pairs);
    return pairs;
}

static void expect_boltzmann(double J)
{
    const hop_params p = hop_test_gas_params("square", 4, 0.5, J, 4000, 31);
    hop_result *r = hop_test_run(&p);
    const double exact = exact_pairs_4x4(J) / 16.0;
    cr_assert_eq(r->gas.n_particles, 8);
    cr_assert_gt(r->gas.pairs.sigma, 0.0);
    cr_expect_leq(fabs(r->gas.pairs.value - exact), K_SIGMA * r->gas.pairs.sigma,
                  "J = %g: pairs per site %.5f +- %.5f, exact enumeration %.5f", J,
                  r->gas.pairs.value, r->gas.pairs.sigma, exact);
    /* equilibrated: no drift between the early and late time points */
    cr_expect_leq(fabs(r->gas.pairs_drift.value), K_SIGMA * r->gas.pairs_drift.sigma,
                  "J = %g: drift %.5f +- %.5f", J, r->gas.pairs_drift.value,
                  r->gas.pairs_drift.sigma);
    /* the slabs' number fluctuations: Theta equals its exact value in the box, from two
     * widths and from the wide slabs alone */
    {
        const hop_estimate *th = &r->gas.theta, *ds = &r->gas.D_sigma;
        const hop_estimate *one = &r->gas.theta_one_width;
        double theta_one;
        const double theta = exact_4x4(J, &theta_one, NULL);
        cr_assert_gt(th->sigma, 0.0);
        cr_assert_gt(one->sigma, 0.0);
        cr_expect(r->gas.theta_two_widths, "J = %g: an edge of 4 has two slab widths", J);
        cr_expect(isnan(r->gas.theta_exact) && !r->gas.D_chem_exact_theta);
        cr_expect_leq(fabs(th->value - theta), K_SIGMA * th->sigma,
                      "J = %g: Theta %.5f +- %.5f, exact enumeration %.5f", J, th->value,
                      th->sigma, theta);
        cr_expect_leq(fabs(one->value - theta_one), K_SIGMA * one->sigma,
                      "J = %g: Theta (one width) %.5f +- %.5f, exact enumeration %.5f", J,
                      one->value, one->sigma, theta_one);
        cr_expect_leq(fabs(r->gas.theta_drift.value), K_SIGMA * r->gas.theta_drift.sigma,
                      "J = %g: Theta drift %.5f +- %.5f", J, r->gas.theta_drift.value,
                      r->gas.theta_drift.sigma);
        /* D_chem = D_sigma Theta, its error bounded by Cauchy-Schwarz */
        cr_expect_float_eq(r->gas.D_chem.value, ds->value * th->value, 1e-12);
        cr_expect_float_eq(r->gas.D_chem.sigma,
                           fabs(th->value) * ds->sigma + fabs(ds->value) * th->sigma, 1e-12);
    }
    hop_result_free(r);
}

Test(gas_balance, repulsive) { expect_boltzmann(1.0); }
Test(gas_balance, attractive) { expect_boltzmann(-1.0); }

/* The exact averages differ from the non-interacting value by many test errors, so the
 * balance tests can tell a wrong rate rule. */
Test(gas_balance, enumeration_sensitive)
{
    const double free_pairs = 32.0 * 8 * 7 / (16.0 * 15) / 16.0;  /* J = 0, per site */
    cr_expect_float_eq(exact_pairs_4x4(0) / 16.0, free_pairs, 1e-12);
    cr_expect_lt(exact_pairs_4x4(1.0) / 16.0, free_pairs - 0.05);
    cr_expect_gt(exact_pairs_4x4(-1.0) / 16.0, free_pairs + 0.05);
    /* J = 0: the hypergeometric count gives (n - 1)/M = 15/8 for every width; repulsion
     * raises Theta (fewer fluctuations), attraction lowers it, by far more than the test
     * error; the two widths and the one differ by far more too (the surface term) */
    {
        double one0, one_rep, one_att;
        const double rep = exact_4x4(1.0, &one_rep, NULL), att = exact_4x4(-1.0, &one_att, NULL);
        cr_expect_float_eq(exact_4x4(0, &one0, NULL), 15.0 / 8, 1e-12);
        cr_expect_float_eq(one0, 15.0 / 8, 1e-12);
        cr_expect_gt(rep, 15.0 / 8 + 0.2, "%g", rep);
        cr_expect_lt(att, 15.0 / 8 - 0.2, "%g", att);
        cr_expect_gt(rep, one_rep + 0.2, "J = 1: two widths %g, one %g", rep, one_rep);
        cr_expect_lt(att, one_att - 0.2, "J = -1: two widths %g, one %g", att, one_att);
    }
}

/* Strong coupling, J = +-8 kT (the acceptance test's second word, include/hop/gas.h):
 * 3 particles and 3 vacancies in the 4 x 4 square box, whose equilibrium the dynamics
 * reaches within the run (with half the box filled it freezes in domains).  <B> over all
 * C(16, N) placements of N particles with weights exp(-J B); *ground: B of the most
 * probable placements. */
static double exact_pairs_square4(double J, int N, int *ground)
{
    double z = 0, zb = 0;
    *ground = J < 0 ? 0 : 32;
    for (unsigned mask = 0; mask < (1u << 16); ++mask) {
        int bonds = 0;
        if (__builtin_popcount(mask) != N)
            continue;
        for (int s = 0; s < 16; ++s)
            if (mask >> s & 1u)
                bonds += (int)(mask >> (s / 4 * 4 + (s + 1) % 4) & 1u)
                         + (int)(mask >> (s + 4) % 16 & 1u);
        z += exp(-J * bonds);
        zb += bonds * exp(-J * bonds);
        if (J < 0 ? bonds > *ground : bonds < *ground)
            *ground = bonds;
    }
    return zb / z;
}

/* The time-averaged pair count against the enumeration within K_SIGMA of its error, no
 * drift between the halves of the run, and the test able to tell: the exact mean differs
 * from the ground state's by more than that (the excitations, exp(-8) apart, are
 * weighted right). */
static void expect_strong_boltzmann(double J, int N)
{
    hop_params p = hop_test_gas_params("square", 4, N / 16.0, J, 4000, 31);
    hop_result *r;
    int ground;
    const double exact = exact_pairs_square4(J, N, &ground) / 16.0;
    p.n_times = 12;
    p.time = 2000;
    p.equilibrate = 500;
    p.size_check = 0;
    r = hop_test_run(&p);
    cr_assert_eq(r->gas.n_particles, N);
    cr_assert_gt(r->gas.pairs.sigma, 0.0);
    cr_expect_leq(fabs(r->gas.pairs.value - exact), K_SIGMA * r->gas.pairs.sigma,
                  "J = %g, %d particles: pairs per site %.7f +- %.7f, exact enumeration %.7f",
                  J, N, r->gas.pairs.value, r->gas.pairs.sigma, exact);
    cr_expect_leq(fabs(r->gas.pairs_drift.value), K_SIGMA * r->gas.pairs_drift.sigma,
                  "J = %g, %d particles: drift %.7f +- %.7f", J, N, r->gas.pairs_drift.value,
                  r->gas.pairs_drift.sigma);
    cr_expect_gt(fabs(exact - ground / 16.0), K_SIGMA * r->gas.pairs.sigma,
                 "J = %g, %d particles: exact %.7f, ground state %.7f, sigma %.7f", J, N,
                 exact, ground / 16.0, r->gas.pairs.sigma);
    hop_result_free(r);
}

Test(gas_balance, strong_attraction) { expect_strong_boltzmann(-8, 3); }
Test(gas_balance, strong_repulsion) { expect_strong_boltzmann(8, 3); }
Test(gas_balance, strong_attraction_of_vacancies) { expect_strong_boltzmann(-8, 13); }
Test(gas_balance, strong_repulsion_of_vacancies) { expect_strong_boltzmann(8, 13); }

/* ---- J != 0: the chain against the thermodynamic limit -------------------------------- */

/* The lattice gas on a chain with nearest-neighbour energy J (kT) is the Ising chain in a
 * field.  Its states form a Markov chain along the sites, so the pair probabilities obey
 * p11 p00 / p10^2 = exp(-J) exactly; with p10 = p01 = x, p11 = c - x, p00 = 1 - c - x,
 *     x = 2 c (1 - c) / (1 + D),   D = sqrt(1 - 4 c (1 - c) (1 - exp(-J))).
 * The correlation G(r) = c (1 - c) l^|r| decays with l = 1 - x / (c (1 - c)) =
 * (D - 1)/(D + 1), so chi = sum_r G(r) = c (1 - c) (1 + l)/(1 - l) = c (1 - c) D and
 *     Theta = c / chi = 1 / ((1 - c) D)
 * (J = 0: 1/(1 - c); c = 1/2: 2 exp(J/2)). */
static double theta_chain(double c, double J)
{
    return 1 / ((1 - c) * sqrt(1 - 4 * c * (1 - c) * (1 - exp(-J))));
}

/* The same from the 2 x 2 transfer matrix T(a, b) = exp(-J a b + mu (a + b)/2): ln of its
 * largest eigenvalue is the grand potential per site, whose first and second derivatives
 * in mu are c and chi (central differences); mu solves c(mu) = c by bisection. */
static double log_lambda(double mu, double J)
{
    const double z = exp(mu), zw = z * exp(-J);
    return log(0.5 * (1 + zw + sqrt((1 - zw) * (1 - zw) + 4 * z)));
}

static double theta_transfer(double c, double J)
{
    const double h1 = 1e-5, h2 = 1e-4;
    double lo = -40, hi = 40, mu = 0, chi;
    for (int it = 0; it < 200; ++it) {
        mu = 0.5 * (lo + hi);
        if ((log_lambda(mu + h1, J) - log_lambda(mu - h1, J)) / (2 * h1) < c)
            lo = mu;
        else
            hi = mu;
    }
    chi = (log_lambda(mu + h2, J) - 2 * log_lambda(mu, J) + log_lambda(mu - h2, J)) / (h2 * h2);
    return c / chi;
}

/* The exact <(n_A - N v/n)^2> of a slab A of v consecutive sites (every slab of the
 * ring has its distribution) in the ring of n sites with N particles (canonical, weights
 * exp(-J B)), by transfer over the sites with states (occupancy of site 0, of the
 * current site, count in A, count in all). */
static double ring_slab_var(int n, int N, double J, int v)
{
    const int S = N + 1;
    const double w = exp(-J);
    double *cur = calloc((size_t)(2 * S * S), sizeof *cur);
    double *next = calloc((size_t)(2 * S * S), sizeof *next);
    double z = 0, m2 = 0;
    cr_assert(cur && next);
#define AT(b, a, t) ((b) * S * S + (a) * S + (t))
    for (int s0 = 0; s0 < 2; ++s0) {
        memset(cur, 0, (size_t)(2 * S * S) * sizeof *cur);
        cur[AT(s0, s0, s0)] = 1;
        for (int i = 1; i < n; ++i) {
            memset(next, 0, (size_t)(2 * S * S) * sizeof *next);
            for (int b = 0; b < 2; ++b)
                for (int a = 0; a < S; ++a)
                    for (int t = 0; t < S; ++t)
                        for (int o = 0; o < 2 && cur[AT(b, a, t)] != 0; ++o)
                            if (t + o <= N)
                                next[AT(o, a + (i < v ? o : 0), t + o)]
                                    += cur[AT(b, a, t)] * (b && o ? w : 1);
            memcpy(cur, next, (size_t)(2 * S * S) * sizeof *cur);
        }
        for (int b = 0; b < 2; ++b)
            for (int a = 0; a < S; ++a) {
                const double x = cur[AT(b, a, N)] * (b && s0 ? w : 1);
                const double d = a - (double)N * v / n;
                z += x;
                m2 += x * d * d;
            }
    }
#undef AT
    free(cur);
    free(next);
    return m2 / z;
}

/* Theta of that ring from slabs of n/2 and n/4 sites (4 divides n), as hop measures it
 * (gas.h) in rings of up to 32 sites and of multiples of 32:
 * Theta = c (D_wide - D_narrow) / (var_wide - var_narrow), D = v (1 - v/n); *one: from
 * the wide slabs alone, c D_wide / var_wide (NULL: not wanted). */
static double theta_ring(int n, int N, double J, double *one)
{
    const double c = (double)N / n, vw = n / 2, vn = n / 4;
    const double Dw = vw * (1 - vw / n), Dn = vn * (1 - vn / n);
    const double var_w = ring_slab_var(n, N, J, n / 2);
    if (one)
        *one = c * Dw / var_w;
    return c * (Dw - Dn) / (var_w - ring_slab_var(n, N, J, n / 4));
}

Test(gas_chain, closed_form_is_the_transfer_matrix)
{
    static const double cs[] = {0.1, 0.25, 0.5, 0.8}, Js[] = {-2, -1, -0.3, 0.5, 1, 3};
    for (size_t i = 0; i < sizeof cs / sizeof *cs; ++i)
        for (size_t j = 0; j < sizeof Js / sizeof *Js; ++j) {
            const double a = theta_chain(cs[i], Js[j]), b = theta_transfer(cs[i], Js[j]);
            cr_expect_leq(fabs(a - b), 1e-5 * a, "c = %g J = %g: closed form %.8f, transfer "
                          "matrix %.8f", cs[i], Js[j], a, b);
        }
    cr_expect_float_eq(theta_chain(0.5, 1), 2 * exp(0.5), 1e-12);
    cr_expect_float_eq(theta_chain(0.3, 0), 1 / 0.7, 1e-12);
    /* the ring's exact box value: hypergeometric for J = 0 (both estimators), and -> the
     * chain's; with two widths the residual is O(1/n) (in 1D as O(1/L) as the one
     * width's surface term), halving as n doubles */
    {
        double one;
        cr_expect_float_eq(theta_ring(64, 16, 0, &one), 63.0 / 48, 1e-10);
        cr_expect_float_eq(one, 63.0 / 48, 1e-10);
    }
    for (int k = 0; k < 2; ++k) {
        const double J = k ? -1 : 1, inf = theta_chain(0.5, J);
        const double d1 = theta_ring(128, 64, J, NULL) - inf;
        const double d2 = theta_ring(256, 128, J, NULL) - inf;
        cr_expect(fabs(d2) < 0.6 * fabs(d1) && fabs(d2) < 0.02 * inf,
                  "J = %g: ring 128 off by %g, 256 by %g", J, d1, d2);
    }
}

/* A ring of 64 sites: Theta equals the ring's exact canonical value within 3 sigma, and
 * the chain's thermodynamic limit within 3 sigma plus the companion box's bias bound. */
static void expect_chain(double c, double J)
{
    hop_params p = hop_test_gas_params("chain", 64, c, J, 1000, 23);
    hop_result *r;
    p.n_times = 20;                  /* the fewest replicas for these times: 50 each */
    r = hop_test_run(&p);
    const hop_estimate *th = &r->gas.theta, *dc = &r->gas.D_chem;
    const hop_estimate *one = &r->gas.theta_one_width;
    double box_one;
    const double box = theta_ring(64, (int)r->gas.n_particles, J, &box_one);
    const double inf = theta_chain(c, J);
    cr_assert_eq(r->check_size, 32);
    cr_assert(r->gas.theta_two_widths);
    cr_assert(th->sigma > 0 && isfinite(th->bias) && isfinite(dc->bias));
    cr_expect_leq(fabs(th->value - box), K_SIGMA * th->sigma,
                  "c = %g J = %g: Theta %.5f +- %.5f, exact in the ring %.5f", c, J, th->value,
                  th->sigma, box);
    cr_expect_leq(fabs(one->value - box_one), K_SIGMA * one->sigma,
                  "c = %g J = %g: Theta (one width) %.5f +- %.5f, exact in the ring %.5f", c, J,
                  one->value, one->sigma, box_one);
    cr_expect_leq(fabs(th->value - inf), K_SIGMA * th->sigma + th->bias,
                  "c = %g J = %g: Theta %.5f +- %.5f (bias bound %.3g), chain %.5f", c, J,
                  th->value, th->sigma, th->bias, inf);
    cr_expect_leq(fabs(r->gas.theta_drift.value), K_SIGMA * r->gas.theta_drift.sigma,
                  "c = %g J = %g: equilibrated, Theta drift %.5f +- %.5f", c, J,
                  r->gas.theta_drift.value, r->gas.theta_drift.sigma);
    hop_result_free(r);
}

Test(gas_chain, half_filled_repulsive) { expect_chain(0.5, 1); }
Test(gas_chain, half_filled_attractive) { expect_chain(0.5, -1); }
Test(gas_chain, quarter_filled_repulsive) { expect_chain(0.25, 1); }
Test(gas_chain, quarter_filled_attractive) { expect_chain(0.25, -1); }

/* The drift of Theta tells an equilibration too short for the longest density waves:
 * attraction (J = -1, D_chem ~ D0/9 on the square lattice at c = 1/2) makes the number
 * fluctuations grow from the random start's over ~L^2/D_chem (~17 /nu here), so after
 * 0.5 /nu the late half of a run of 32 has a much lower Theta than the early half. */
Test(gas_theta, drift_shows_a_short_equilibration)
{
    hop_params p = hop_test_gas_params("square", 12, 0.5, -1, 2000, 8);
    hop_result *r;
    p.size_check = 0;
    p.time = 32;
    p.equilibrate = 0.5;
    r = hop_test_run(&p);
    cr_expect_lt(r->gas.theta_drift.value, -5 * r->gas.theta_drift.sigma,
                 "Theta drift %.4f +- %.4f after %g /nu of equilibration",
                 r->gas.theta_drift.value, r->gas.theta_drift.sigma, p.equilibrate);
    hop_result_free(r);
}

/* The surface term is gone: on the square lattice at J = 1 (c = 1/2) Theta from two slab
 * widths is the same in boxes of edge 8 and 16 within the errors (4.74 and 4.68 +- 0.05;
 * ~4.7 in larger boxes), while Theta from the wide slabs alone (same runs: 4.13 and
 * 4.37 +- 0.02) moves by many of them, its O(1/L) surface bias (about -0.6 at edge 8,
 * -0.35 at 16) shrinking with the edge: the test has the power to see a surface term. */
Test(gas_theta, two_widths_cancel_the_surface_term, .timeout = 120)
{
    hop_params p = hop_test_gas_params("square", 8, 0.5, 1, 2000, 19);
    hop_result *a, *b;
    double d, s, d1, s1;
    p.size_check = 0;
    a = hop_test_run(&p);
    p.size = 16;
    b = hop_test_run(&p);
    cr_assert(a->gas.theta_two_widths && b->gas.theta_two_widths);
    d = b->gas.theta.value - a->gas.theta.value;
    s = hypot(a->gas.theta.sigma, b->gas.theta.sigma);
    d1 = b->gas.theta_one_width.value - a->gas.theta_one_width.value;
    s1 = hypot(a->gas.theta_one_width.sigma, b->gas.theta_one_width.sigma);
    cr_expect_leq(fabs(d), K_SIGMA * s, "two widths: Theta %.4f +- %.4f (8), %.4f +- %.4f (16)",
                  a->gas.theta.value, a->gas.theta.sigma, b->gas.theta.value,
                  b->gas.theta.sigma);
    cr_expect_gt(fabs(d1), 2 * K_SIGMA * s1, "one width: Theta %.4f +- %.4f (8), %.4f +- %.4f "
                 "(16)", a->gas.theta_one_width.value, a->gas.theta_one_width.sigma,
                 b->gas.theta_one_width.value, b->gas.theta_one_width.sigma);
    hop_result_free(a);
    hop_result_free(b);
}

/* Small boxes: an edge of 2 or 3 cells has no narrow slab, so Theta comes from the wide
 * slabs alone (labelled); an edge of 6 has two widths, but its companion (3 cells) one,
 * whose surface bias bounds nothing: Theta's and D_chem's bias bounds are unknown (NaN)
 * while f's stays bounded. */
Test(gas_theta, small_boxes)
{
    hop_params p = hop_test_gas_params("fcc", 2, 0.5, -0.5, 2000, 6);
    hop_result *r = hop_test_run(&p);
    cr_expect(!r->gas.theta_two_widths, "edge 2: one width");
    cr_expect(r->gas.theta.value == r->gas.theta_one_width.value
              && r->gas.theta.sigma == r->gas.theta_one_width.sigma && r->gas.theta.sigma > 0);
    hop_result_free(r);
    p = hop_test_gas_params("square", 6, 0.5, 0.5, 2000, 6);
    r = hop_test_run(&p);
    cr_assert_eq(r->check_size, 3);
    cr_expect(r->gas.theta_two_widths, "edge 6: two widths");
    cr_expect(isfinite(r->f.bias) && isnan(r->gas.theta.bias) && isnan(r->gas.D_chem.bias),
              "companion of edge 3: f bias %g, Theta %g, D_chem %g", r->f.bias,
              r->gas.theta.bias, r->gas.D_chem.bias);
    hop_result_free(r);
}

/* ---- command line: bits and bad input ---------------------------------------------- */

Test(gas_cli, threads_give_the_same_bits)
{
    char dir[64], a[128], b[128];
    cJSON *ra, *rb, *f;
    hop_proc *r;
    make_dir(dir, sizeof dir);
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    r = hop_run_list("run", "--model", "gas", "--lattice", "sc", "--c", "0.5", "--J", "0.5",
                     "--size", "4", "--replicas", "2000", "--threads", "1", "--quiet",
                     "--backend", "cpu", "--json", a, NULL);
    cr_assert_eq(r->status, 0, "%s", r->err);
    cr_assert(strstr(r->out, "H = D*/D_sigma") && strstr(r->out, "H_R = D_sigma/D*"),
              "both Haven conventions, labelled:\n%s", r->out);
    r = hop_run_list("run", "--model", "gas", "--lattice", "sc", "--c", "0.5", "--J", "0.5",
                     "--size", "4", "--replicas", "2000", "--threads", "2", "--quiet",
                     "--backend", "cpu", "--json", b, NULL);
    cr_assert_eq(r->status, 0, "%s", r->err);
    ra = hop_test_results(a);
    rb = hop_test_results(b);
    cr_assert(cJSON_Compare(ra, rb, 1), "results differ between 1 and 2 threads");
    for (const char *const *k = (const char *const[]){"f", "D_star_over_D0", "D_sigma_over_D0",
                                                      "haven_ratio", "haven_ratio_inverse",
                                                      "thermodynamic_factor", "D_chem_over_D0",
                                                      NULL};
         *k; ++k) {
        f = cJSON_GetObjectItemCaseSensitive(ra, *k);
        cr_assert(f && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(f, "value"))
                  && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(f, "stderr"))
                  && cJSON_GetObjectItemCaseSensitive(f, "bias_bound"),
                  "results.%s with value, stderr and bias_bound (null: no companion box)", *k);
    }
    f = cJSON_GetObjectItemCaseSensitive(ra, "D_chem_over_D0");
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
                         f, "thermodynamic_factor")), "measured", "J != 0: the measured Theta");
    cr_assert(strstr(r->out, "Theta       = ") && strstr(r->out, "D_chem/D0   = "), "%s", r->out);
    cJSON_Delete(ra);
    cJSON_Delete(rb);
    remove_dir(dir);
}

#define BAD(needle, ...) hop_expect_usage_error(needle, (const char *const[]){__VA_ARGS__, NULL})

/* At strong coupling too (the acceptance test's rare second word, include/hop/gas.h):
 * JSON results identical from 1 and 2 threads. */
static void expect_same_bits_across_threads(const char *lattice, const char *size,
                                            const char *c, const char *J)
{
    char dir[64], out[2][128];
    cJSON *res[2];
    make_dir(dir, sizeof dir);
    for (int t = 0; t < 2; ++t) {
        hop_proc *r;
        snprintf(out[t], sizeof out[t], "%s/%d.json", dir, t + 1);
        r = hop_run_list("run", "--model", "gas", "--lattice", lattice, "--c", c, "--J", J,
                         "--size", size, "--replicas", "2000", "--times", "12", "--threads",
                         t ? "2" : "1", "--quiet", "--backend", "cpu", "--no-size-check",
                         "--json", out[t], NULL);
        cr_assert_eq(r->status, 0, "%s J = %s: %s", lattice, J, r->err);
        res[t] = hop_test_results(out[t]);
    }
    cr_assert(cJSON_Compare(res[0], res[1], 1), "%s J = %s: results differ between 1 and 2 "
              "threads", lattice, J);
    cJSON_Delete(res[0]);
    cJSON_Delete(res[1]);
    remove_dir(dir);
}

Test(gas_cli, strong_coupling_threads_give_the_same_bits)
{
    expect_same_bits_across_threads("sc", "4", "0.3", "10");
    expect_same_bits_across_threads("sc", "4", "0.3", "-10");
    expect_same_bits_across_threads("fcc", "2", "0.25", "-10");
}

/* A box frozen by strong coupling (fcc at c = 3/4, J = 10: ordered, a jump in thousands
 * of attempts) cannot fit its MSD; the error says how little the particles moved and
 * what to raise, not only "too few replicas". */
Test(gas_cli, a_frozen_box_says_why_its_fit_failed)
{
    hop_proc *r = hop_run_list("run", "--model", "gas", "--lattice", "fcc", "--size", "2",
                               "--c", "0.75", "--J", "10", "--replicas", "2000", "--times",
                               "12", "--backend", "cpu", "--no-size-check", "--quiet", NULL);
    cr_assert_eq(r->status, 1, "%s", r->err);
    cr_assert(strstr(r->err, "hop: error: GLS fit of the tracer MSD failed: 2000 replicas, a "
                     "particle made ") && strstr(r->err, "raise --replicas, or --time"),
              "%s", r->err);
}

Test(gas_cli, bad_input)
{
    BAD("--c", "--model", "gas", "--lattice", "sc", "--c", "0");
    BAD("--c", "--model", "gas", "--lattice", "sc", "--c", "1");
    BAD("--c", "--model", "gas", "--lattice", "sc", "--c", "1.5");
    BAD("--c", "--model", "gas", "--lattice", "sc", "--c", "-0.2");
    BAD("--c", "--model", "gas", "--lattice", "sc", "--c", "half");
    BAD("needs --c", "--model", "gas", "--lattice", "sc");
    BAD("--size", "--model", "gas", "--lattice", "sc", "--c", "0.5", "--size", "2");
    BAD("at least 2", "--model", "gas", "--lattice", "sc", "--c", "0.02", "--size", "3");
    BAD("no empty site", "--model", "gas", "--lattice", "sc", "--c", "0.99", "--size", "3");
    BAD("underflow", "--model", "gas", "--lattice", "fcc", "--c", "0.5", "--J", "44.4");
    BAD("underflow", "--model", "gas", "--lattice", "chain", "--c", "0.5", "--J", "-45");
    BAD("--J", "--model", "gas", "--lattice", "sc", "--c", "0.5", "--J", "1e9");
    BAD("--model gas only", "--lattice", "sc", "--c", "0.5");
    BAD("--model gas only", "--lattice", "sc", "--J", "1");
    BAD("msd estimator", "--model", "gas", "--estimator", "corr", "--lattice", "sc", "--c", "0.5");
    BAD("--time", "--model", "gas", "--lattice", "sc", "--c", "0.5", "--time", "0.01");
}

/* ------------------------------------------------------------ finite size --- */

/* The companion box of half the edge bounds the finite-size bias of f, D*, D_sigma and
 * H (finite, at least the two-sigma allowance); without it the bias is unknown (NaN).
 * In a box twice as small f differs by O(1/n): the bound must cover the difference of
 * the two boxes scaled to the larger one. */
Test(gas_size, the_companion_box_bounds_the_finite_size_bias, .timeout = 120)
{
    hop_params p = hop_test_gas_params("square", 8, 0.5, 0, 2000, 12);
    hop_result *r, *small;
    p.size_check = 1;
    r = hop_test_run(&p);
    cr_assert_eq(r->check_size, 4);
    cr_assert_eq(r->check_box_sites, 16);
    cr_assert(isfinite(r->f.bias) && isfinite(r->haven.bias) && isfinite(r->gas.D_star.bias)
              && isfinite(r->gas.D_sigma.bias));
    cr_assert_geq(r->f.bias, 2.0 * sqrt(r->f.sigma * r->f.sigma
                                        + r->f_check.sigma * r->f_check.sigma) * 16 / 48);
    cr_assert_geq(r->f.bias, fabs(r->f_check.value - r->f.value) * 16 / 48);
    /* a box of 4 cells alone: nothing bounds its bias */
    p.size = 4;
    p.size_check = 0;
    p.seed = 12;
    small = hop_test_run(&p);
    cr_assert_eq(small->box_sites, 16);
    cr_assert(isnan(small->f.bias), "no companion box: bias %g", small->f.bias);
    hop_result_free(small);
    hop_result_free(r);
}

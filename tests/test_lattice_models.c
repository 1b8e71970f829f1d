/* test_lattice_models.c: Criterion tests of the many-body models (--model alloy, --model
 * gas) on a lattice whose jumps have two lengths and, for the alloy, two rates:
 * tests/lattices/hcp-mg.lat (Mg's hcp at c/a = 1.624; six basal jumps of length a and
 * six out-of-plane ones of 0.9963 a, in the classes `basal` and `c`).  Its f tensor is not
 * a scalar, so both models report D* and f per principal axis (x = basal, z = c).
 *
 * - Alloy, isotope identities per axis: with every w_i equal the labels are random, so
 *   every species' f per axis is the single vacancy's f tensor of the lattice, which the
 *   exact solver gives (tests/exact_helper.h; bound ~1e-8), within 4 sigma + the run's
 *   bias bound (box and run length) + the solver's bound.  Once with equal class rates
 *   (the alloy's equal-rate path) and once with `--rate c=1/4` (the classed path: every
 *   exchange w R_c, the integer class weights), where f_z moves away from f_x.
 * - Alloy, conservation in every replica, exactly: three species (one immobile), two
 *   vacancies, unequal classes: sum_j dR_i . dR_j = 0 for every entity i at every time
 *   point, and the per-axis tracer series add up to the total one, integer for integer.
 * - Alloy, the class rates and the clock: with every w_i = 1 a lone vacancy exchanges at
 *   exactly sum_k Gamma_k = 6 + 6 R_c, whichever class is the fastest.
 * - Gas, a lone particle: at c -> 0 (two particles in 2000 sites) a particle's walk is
 *   uncorrelated, so D* per axis is D0_g = (1/2 a_g) sum_k |e_k,g|^2 (here computed from
 *   the file's numbers by hand: 2 a^2 nu in the basal plane, 3 (c/2)^2 = 1.978032 along
 *   c) times the chance M/(n - 1) that the target is empty: f_g = 1 within 4 sigma +
 *   z/(n - 1) (the fraction of a particle's time next to the other, the only time its
 *   jumps can be correlated).
 * - Gas at J = 0: D_sigma = D0 M/(n - 1) in expectation at every size (the collective
 *   displacement's martingale) with D0 = (1/2d) sum_k |e_k|^2: the measured D_sigma
 *   agrees within 4 sigma, and H = f exactly (the estimate uses that D_sigma).
 * - Bits: 1 and 2 threads give identical results for both models (the alloy with
 *   unequal classes too).
 * - Refusals, one line and exit 2: the gas with unequal class rates, the alloy with
 *   site energies. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exact_helper.h"
#include "lattice/file.h"
#include "lattice/rates.h"
#include "models/alloy.h"
#include "run_helper.h"
#include "usage_helper.h"

#define K_SIGMA 4.0
#define HCP_MG HOP_SOURCE_DIR "/tests/lattices/hcp-mg.lat"

static const hop_lattice *hcp_mg(void)
{
    const hop_lattice *L = NULL;
    char msg[512];
    cr_assert_eq(hop_lattice_load(HCP_MG, &L, msg, sizeof msg), HOP_OK, "%s", msg);
    cr_assert(L->jump_len2 == 0 && !L->isotropic && L->n_groups == 2,
              "hcp-mg: two lengths, anisotropic, groups x and z");
    return L;
}

/* hcp-mg with the c class's rate R (a private copy, as --rate c=R makes). */
static hop_lattice hcp_mg_rate(double R)
{
    hop_lattice L = *hcp_mg();
    cr_assert_eq(hop_lattice_set_rate(&L, "c", R), HOP_OK);
    cr_assert_eq(hop_lattice_apply_rates(&L, 0), HOP_OK);
    return L;
}

static hop_params alloy_on(const hop_lattice *L, int size, int n, const double *fraction,
                           const double *w, uint64_t replicas, uint64_t seed)
{
    static const char *const names[] = {"A", "B", "C"};
    hop_params p = hop_test_alloy_params("fcc", size, n, names, fraction, w, replicas, seed);
    p.lattice = L;
    p.n_times = 12;
    return p;
}

/* ---- the alloy: isotope identities per axis ------------------------------------------ */

static void expect_isotope_axes(const hop_lattice *L, int size, uint64_t replicas)
{
    static const double x[] = {0.5, 0.5}, w[] = {1, 1};
    const hop_exact_result ex = hop_test_exact(L, NULL);
    hop_params p = alloy_on(L, size, 2, x, w, replicas, 11);
    hop_result *r = hop_test_run(&p);
    char what[64];
    cr_assert_eq(r->alloy.n_groups, 2);
    cr_assert(isfinite(r->alloy.f[0].bias), "the companion box bounds the bias");
    for (int e = 0; e < 2; ++e) {
        snprintf(what, sizeof what, "%s: f of species %d", L->name, e);
        hop_test_expect_exact(what, &r->alloy.f[e], &ex.f);
        for (int g = 0; g < 2; ++g) {
            snprintf(what, sizeof what, "%s: f_%s of species %d", L->name, L->group_name[g], e);
            hop_test_expect_exact(what, &r->alloy.f_group[e][g], &ex.f_group[g]);
        }
    }
    hop_result_free(r);
}

Test(lattice_models, alloy_isotope_identities_per_axis_two_lengths, .timeout = 300)
{
    expect_isotope_axes(hcp_mg(), 8, 1000);
}

Test(lattice_models, alloy_isotope_identities_per_axis_unequal_classes, .timeout = 300)
{
    const hop_lattice L = hcp_mg_rate(0.25);
    const hop_exact_result ex = hop_test_exact(&L, NULL);
    cr_assert(L.rate_total[0] != 0, "unequal rates: the classed path");
    cr_assert_gt(fabs(ex.f_group[1].value - ex.f_group[0].value), 0.02,
                 "the c rate moves f_z away from f_x (%.5f, %.5f)", ex.f_group[0].value,
                 ex.f_group[1].value);
    expect_isotope_axes(&L, 6, 1000);
}

/* ---- the alloy: conservation, per-axis sums, the vacancy's rate -------------------- */

Test(lattice_models, alloy_conservation_in_every_replica_with_classes)
{
    static const double x[] = {0.5, 0.3, 0.2}, w[] = {1, 3, 0};
    const hop_lattice L = hcp_mg_rate(0.3);
    hop_params p = alloy_on(&L, 4, 3, x, w, 1000, 5);
    char msg[256];
    hop_alloy_model *m;
    int64_t *row;
    void *space;
    hop_alloy_work wk;
    p.alloy.vacancies = 2;
    p.time = 100;
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
    cr_assert_not_null(m = hop_alloy_model_alloc(&p));
    cr_assert(m->ap.classed && m->ap.groups == 2);
    row = malloc((size_t)hop_alloy_row_len(&m->ap) * sizeof *row);
    space = malloc(hop_alloy_work_bytes(&m->ap));
    cr_assert(row && space);
    hop_alloy_work_carve(&m->ap, space, &wk);
    for (uint64_t r = 0; r < 64; ++r) {
        const int K = m->ap.n_times, n = 3, E = 4, S0 = hop_alloy_series(n);
        hop_alloy_replica(p.lattice, &m->ap, &m->box, p.seed, r, &wk, row);
        cr_assert_gt(row[hop_alloy_row_series(&m->ap) * K], 0, "replica %llu made no exchange",
                     (unsigned long long)r);
        for (int i = 0; i < E; ++i)
            for (int k = 0; k < K; ++k) {
                int64_t sum = 0;
                for (int j = 0; j < E; ++j)
                    sum += row[hop_alloy_pair_series(n, i < j ? i : j, i < j ? j : i) * K + k];
                cr_assert_eq(sum, 0, "replica %llu, entity %d, time %d: sum_j dR_i.dR_j = %lld",
                             (unsigned long long)r, i, k, (long long)sum);
                cr_assert_eq(row[(S0 + i * 2) * K + k] + row[(S0 + i * 2 + 1) * K + k],
                             row[i * K + k], "replica %llu, entity %d, time %d: x + z != all",
                             (unsigned long long)r, i, k);
            }
        for (int k = 0; k < K; ++k)
            cr_assert_eq(row[2 * K + k], 0, "the immobile species moved");
    }
    free(row);
    free(space);
    hop_alloy_model_free(m);
}

/* With every w_i = 1 a lone vacancy always exchanges at sum_k Gamma_k = 6 + 6 R_c, on
 * the clock of the mean residence time: the measured rate is that to the integer rates'
 * rounding (2^-20 relative), whichever class is the fastest (R_c = 1/4 and 4: the time
 * unit's scale by the largest Gamma); and the estimate's conservation check holds. */
Test(lattice_models, alloy_vacancy_rate_is_the_networks_sum)
{
    static const double x[] = {0.5, 0.5}, w[] = {1, 1};
    static const double rates[] = {0.25, 4};
    for (int i = 0; i < 2; ++i) {
        const hop_lattice L = hcp_mg_rate(rates[i]);
        hop_params p = alloy_on(&L, 4, 2, x, w, 1000, 8);
        hop_result *r;
        const double expect = 6 + 6 * rates[i];
        p.time = 50;
        p.size_check = 0;
        r = hop_test_run(&p);
        cr_expect_leq(fabs(r->alloy.gamma_v / expect - 1), 1e-6,
                      "R_c %g: Gamma_v %.9f, expected %.9f", rates[i], r->alloy.gamma_v, expect);
        cr_expect_eq(r->alloy.conservation_max, 0);
        hop_result_free(r);
    }
}

/* ---- the gas ------------------------------------------------------------------------ */

static hop_params gas_on(const hop_lattice *L, int size, double c, uint64_t replicas,
                         uint64_t seed)
{
    hop_params p = hop_test_gas_params("sc", size, c, 0, replicas, seed);
    p.lattice = L;
    p.n_times = 12;
    return p;
}

Test(lattice_models, gas_lone_particle_is_an_uncorrelated_walk_per_axis, .timeout = 300)
{
    const hop_lattice *L = hcp_mg();
    hop_params p = gas_on(L, 10, 2.0 / 2000, 20000, 3);
    hop_result *r;
    double n;
    p.time = 200;
    p.size_check = 0;
    r = hop_test_run(&p);
    n = (double)r->box_sites;
    cr_assert_eq(r->gas.n_particles, 2);
    cr_assert_eq(r->gas.n_groups, 2);
    /* D0 per axis by hand: basal jumps (a, 0, 0)-like give 6 a^2 in the plane, the c
     * jumps 6 a^2/3 in the plane and 6 (c/2)^2 along c; over 2 axes and 1 axis */
    cr_expect_float_eq(r->gas.D0_group[0], (6 + 6 / 3.0) / 4, 1e-12);
    cr_expect_float_eq(r->gas.D0_group[1], 6 * 0.659344 / 2, 1e-12);
    cr_expect_float_eq(r->gas.D0, (8 + 6 * 0.659344) / 6, 1e-12);
    for (int g = 0; g < 2; ++g) {
        const hop_estimate *f = &r->gas.f_group[g];
        const double tol = K_SIGMA * f->sigma + L->z / (n - 1);
        cr_expect_leq(fabs(f->value - 1), tol, "f_%s = %.5f +- %.5f: D* %.5f against D0 M/(n-1) "
                      "= %.5f", L->group_name[g], f->value, f->sigma,
                      r->gas.D_star_group[g].value, r->gas.D0_group[g] * r->gas.empty_neighbour);
        cr_expect_lt(f->sigma, 0.01, "the check resolves 1 %%");
    }
    hop_result_free(r);
}

Test(lattice_models, gas_free_D_sigma_is_D0_and_H_is_f)
{
    hop_params p = gas_on(hcp_mg(), 4, 0.5, 2000, 4);
    hop_result *r;
    p.size_check = 0;
    r = hop_test_run(&p);
    cr_expect_leq(fabs(r->gas.D_sigma.value - r->gas.empty_neighbour),
                  K_SIGMA * r->gas.D_sigma.sigma, "D_sigma/D0 %.5f +- %.5f against M/(n-1) %.5f",
                  r->gas.D_sigma.value, r->gas.D_sigma.sigma, r->gas.empty_neighbour);
    cr_expect(memcmp(&r->haven, &r->f, sizeof r->f) == 0, "J = 0: H is f");
    cr_expect(r->f.value < 1 && r->f.value > 0.5, "f %.4f", r->f.value);
    hop_result_free(r);
}

/* ---- bits and refusals ------------------------------------------------------------- */

Test(lattice_models, threads_do_not_change_the_bits)
{
    static const double x[] = {0.5, 0.3, 0.2}, w[] = {1, 0.2, 3};
    const hop_lattice classes = hcp_mg_rate(0.3);
    const hop_lattice *lattices[2] = {hcp_mg(), &classes};
    for (int l = 0; l < 2; ++l) {
        hop_result *a, *b;
        hop_params p = alloy_on(lattices[l], 4, 3, x, w, 600, 7);
        p.time = 100;
        p.threads = 1;
        a = hop_test_run(&p);
        p.threads = 2;
        b = hop_test_run(&p);
        cr_expect(memcmp(a->alloy.f, b->alloy.f, sizeof a->alloy.f) == 0, "alloy %d: f", l);
        cr_expect(memcmp(a->alloy.f_group, b->alloy.f_group, sizeof a->alloy.f_group) == 0,
                  "alloy %d: f per axis", l);
        cr_expect(memcmp(a->alloy.onsager, b->alloy.onsager, sizeof a->alloy.onsager) == 0);
        cr_expect_eq(a->vacancy_steps, b->vacancy_steps);
        hop_result_free(a);
        hop_result_free(b);
    }
    {
        hop_params p = gas_on(hcp_mg(), 4, 0.4, 1000, 9);
        hop_result *a, *b;
        p.J = 0.5;
        p.threads = 1;
        a = hop_test_run(&p);
        p.threads = 2;
        b = hop_test_run(&p);
        cr_expect(memcmp(&a->gas.D_star, &b->gas.D_star, sizeof a->gas.D_star) == 0);
        cr_expect(memcmp(a->gas.D_star_group, b->gas.D_star_group,
                         sizeof a->gas.D_star_group) == 0);
        cr_expect(memcmp(&a->gas.theta, &b->gas.theta, sizeof a->gas.theta) == 0);
        cr_expect_eq(a->vacancy_steps, b->vacancy_steps);
        hop_result_free(a);
        hop_result_free(b);
    }
}

Test(lattice_models, refusals_are_one_line_and_exit_2)
{
    static const char *const gas_rates[] = {"--model", "gas", "--lattice-file", HCP_MG,
                                            "--rate", "c=0.5", "--c", "0.3", NULL};
    static const char *const alloy_energy[] = {"--model", "alloy", "--lattice-file", HCP_MG,
                                               "--site-energy", "B=0.5", "--species",
                                               "A:0.5,B:0.5", "--w", "A=1,B=1", NULL};
    hop_expect_usage_error("unequal rates", gas_rates);
    hop_expect_usage_error("site energies", alloy_energy);
}

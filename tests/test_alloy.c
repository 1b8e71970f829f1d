/* test_alloy.c: Criterion tests of the concentrated alloy (--model alloy), against exact
 * identities.
 *
 * - Conservation: every exchange moves an atom by -e and the vacancy by +e, so in every
 *   replica and at every time point the collective series obey sum_j dR_i . dR_j = 0
 *   for every entity i (species and vacancies), exactly, with several vacancies, three
 *   species and an immobile one; the estimate's integer check agrees.
 * - Isotope identities (all rates equal, labels random): every species has the box's
 *   single-vacancy f, which the single-tracer msd engine measures in the same box over
 *   the same time grid; the vacancy's f is 1 and its D is D_v = z alpha^2 w/(2d); and
 *   in the box of N_at = N - 1 atoms the Onsager matrix per vacancy is exactly
 *       Lambda_AB = D_v c_A c_B (1 - f) N_at/(N_at - 1),
 *       Lambda_AA = D_v [c_A f + c_A (N_A - 1)/(N_at - 1) (1 - f)]
 *   (the pair correlations of distinct atoms are the same for every pair; the
 *   infinite-box form D_v [delta c f + c c (1 - f)] of REFERENCE.md is their limit).
 * - The solute limit: one B atom among A is the solute model with w2 = w_B and
 *   w0 = w1 = w3 = w4 = w_A (fcc) or Le Claire's bcc model, whose msd estimator runs the
 *   same box: f_B equals its f2 within errors, and both are near the exact solver's
 *   infinite-lattice f2.
 * - Pair energies: the time- and replica-averaged nearest-neighbour pair counts equal
 *   their canonical averages by exact enumeration of every arrangement of a 4 x 4 square
 *   box (detailed balance of the rate w exp(-dE/2) and enough equilibration); the random
 *   alloy's Warren-Cowley parameters are 0.
 * - Manning's random alloy model: the isotope limit gives f0 for every species and the
 *   isotope Lambda; below c_mobile = 1 - f0 H = 0 (no mobile species moves).
 * - Equal rates in a binary: no vacancy wind (r_i = 1 up to the box's O(1/N)), and the
 *   interdiffusion from Lambda equals Darken's from the tracers.
 * - Bounds: an atom's D* has f's bound relative to the value (the companion box's D* is
 *   compared at the run's vacancy concentration).
 * - Physical units: a run with migration energies (--Em, per-species --nu) is the
 *   reduced run with the rate ratio to the bit, and its SI values are the reduced ones
 *   times factors computed from the inputs alone; a pair energy in eV at T is E/kT.
 * - Bits: 1 and 2 threads give identical results.
 * - Every bad input of the issue is a one-line usage error, exit 2, no file written.
 * Tolerances: K_SIGMA combined standard errors, seeds fixed. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloy.h"
#include "models/gas.h"
#include "models/verdict.h"
#include "stats/msd.h"
#include "run_helper.h"
#include "usage_helper.h"

#define K_SIGMA 4.0

static double alpha2(const hop_lattice *L)
{
    return (double)L->jump_len2 / L->metric_den;
}

/* ---- conservation ------------------------------------------------------------------ */

static void expect_conserved_rows(hop_params p, uint64_t replicas)
{
    char msg[256];
    hop_alloy_model *m;
    const int n = p.alloy.n_species, E = n + 1;
    int64_t *row;
    void *space;
    hop_alloy_work w;
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
    m = hop_alloy_model_alloc(&p);
    cr_assert_not_null(m);
    row = malloc((size_t)hop_alloy_row_len(&m->ap) * sizeof *row);
    space = malloc(hop_alloy_work_bytes(&m->ap));
    cr_assert(row && space);
    hop_alloy_work_carve(&m->ap, space, &w);
    for (uint64_t r = 0; r < replicas; ++r) {
        const int K = m->ap.n_times, S = hop_alloy_series(n);
        int64_t moved = 0;
        hop_alloy_replica(p.lattice, &m->ap, &m->box, p.seed, r, &w, row);
        for (int i = 0; i < E; ++i)
            for (int k = 0; k < K; ++k) {
                int64_t sum = 0;
                for (int j = 0; j < E; ++j)
                    sum += row[hop_alloy_pair_series(n, i < j ? i : j, i < j ? j : i) * K + k];
                cr_assert_eq(sum, 0, "replica %llu, entity %d, time %d: sum_j dR_i.dR_j = %lld",
                             (unsigned long long)r, i, k, (long long)sum);
            }
        for (int e = 0; e < E; ++e)
            moved += row[e * K + K - 1];
        cr_assert_gt(row[S * K], 0, "replica %llu made no exchange", (unsigned long long)r);
        cr_assert_gt(moved, 0);
        /* every atom of an immobile species stays put */
        for (int e = 0; e < n; ++e)
            if (p.alloy.w[e] == 0)
                for (int k = 0; k < K; ++k)
                    cr_assert_eq(row[e * K + k], 0, "immobile species %d moved", e);
    }
    free(row);
    free(space);
    hop_alloy_model_free(m);
}

Test(alloy, displacements_sum_to_zero_in_every_replica)
{
    static const char *const names[] = {"Ni", "Cr", "Fe"};
    static const double x[] = {0.5, 0.3, 0.2}, w[] = {1, 0.2, 3};
    static const double x2[] = {0.45, 0.45, 0.1}, w2[] = {1, 2, 0};
    hop_params p = hop_test_alloy_params("bcc", 3, 3, names, x, w, 2000, 3);
    p.time = 200;
    expect_conserved_rows(p, 64);
    p.alloy.vacancies = 3;                      /* several vacancies */
    expect_conserved_rows(p, 64);
    p = hop_test_alloy_params("square", 6, 3, names, x2, w2, 2000, 4);  /* an immobile species */
    p.alloy.vacancies = 2;
    p.time = 200;
    expect_conserved_rows(p, 64);
    p.alloy.pair[0][1] = p.alloy.pair[1][0] = 0.4;            /* and pair energies */
    p.alloy.pair[2][2] = -0.3;
    expect_conserved_rows(p, 64);
}

Test(alloy, the_estimate_checks_conservation_exactly)
{
    static const char *const names[] = {"A", "B"};
    static const double x[] = {0.5, 0.5}, w[] = {1, 0.2};
    hop_params p = hop_test_alloy_params("sc", 4, 2, names, x, w, 2000, 5);
    hop_result *r;
    p.size_check = 0;
    p.time = 300;
    r = hop_test_run(&p);
    cr_expect_eq(r->alloy.conservation_max, 0.0);
    /* Lambda_iV = -sum_j Lambda_ij holds for the fitted slopes to their errors */
    for (int i = 0; i < 2; ++i) {
        const hop_estimate *iv = &r->alloy.onsager[i][2];
        const double rest = r->alloy.onsager[i][0].value + r->alloy.onsager[i][1].value;
        cr_expect_leq(fabs(iv->value + rest), K_SIGMA * (iv->sigma + r->alloy.onsager[i][0].sigma
                                                         + r->alloy.onsager[i][1].sigma));
    }
    cr_expect_geq(r->alloy.min_eigen, -2 * r->alloy.min_eigen_sigma, "PSD");
    hop_result_free(r);
}

/* ---- isotope identities ------------------------------------------------------------ */

Test(alloy, equal_rates_give_the_single_vacancy_f_and_the_isotope_onsager_matrix)
{
    static const char *const names[] = {"A", "B", "C"};
    static const double x[] = {0.5, 0.3, 0.2}, w[] = {1, 1, 1};
    hop_params p = hop_test_alloy_params("fcc", 3, 3, names, x, w, 4096, 11);
    hop_params q = hop_test_params("fcc", HOP_EST_MSD, HOP_MODEL_VACANCY, 40000, 12);
    const hop_lattice *L = p.lattice;
    const double Dv = L->z * alpha2(L) / (2.0 * L->dim);
    hop_result *r, *single;
    double f, sf, Nat;
    p.size_check = 0;
    r = hop_test_run(&p);
    q.size = 3;
    q.time = p.time = r->params.time;           /* the same box and time grid */
    q.size_check = 0;
    q.threads = 2;
    single = hop_test_run(&q);
    /* every species: the box's single-vacancy f */
    for (int i = 0; i < 3; ++i) {
        const hop_estimate *fi = &r->alloy.f[i];
        const double tol = K_SIGMA * sqrt(fi->sigma * fi->sigma + single->f.sigma * single->f.sigma);
        cr_expect_leq(fabs(fi->value - single->f.value), tol, "f_%s = %g +- %g, box f %g +- %g",
                      names[i], fi->value, fi->sigma, single->f.value, single->f.sigma);
    }
    /* the vacancy's walk is uncorrelated: f_v = 1, D_v = z alpha^2 w/(2d) */
    cr_expect_leq(fabs(r->alloy.f[3].value - 1), K_SIGMA * r->alloy.f[3].sigma);
    cr_expect_leq(fabs(r->alloy.D_star[3].value - Dv), K_SIGMA * r->alloy.D_star[3].sigma);
    /* the Onsager matrix of the box, with the pooled f of all atoms */
    Nat = (double)r->alloy.n_atoms;
    f = 0;
    sf = 0;
    for (int i = 0; i < 3; ++i) {
        f += r->alloy.c[i] * r->alloy.f[i].value;
        sf += r->alloy.c[i] * r->alloy.f[i].sigma;     /* upper bound: correlated */
    }
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            const double ci = r->alloy.c[i], cj = r->alloy.c[j];
            const double Ni = (double)r->alloy.atoms[i];
            const double want = i == j ? Dv * (ci * f + ci * (Ni - 1) / (Nat - 1) * (1 - f))
                                       : Dv * ci * cj * (1 - f) * Nat / (Nat - 1);
            const double dwant = Dv * (i == j ? ci * (1 - (Ni - 1) / (Nat - 1))
                                              : ci * cj * Nat / (Nat - 1)) * sf;
            const hop_estimate *e = &r->alloy.onsager[i][j];
            cr_expect_leq(fabs(e->value - want), K_SIGMA * sqrt(e->sigma * e->sigma + dwant * dwant),
                          "Lambda_%s%s = %g +- %g, isotope %g", names[i], names[j], e->value,
                          e->sigma, want);
        }
    /* summed over the species: the vacancy's own walk */
    cr_expect_leq(fabs(r->alloy.onsager[3][3].value - Dv), K_SIGMA * r->alloy.onsager[3][3].sigma);
    hop_result_free(r);
    hop_result_free(single);
}

Test(alloy, equal_rates_are_near_the_infinite_lattice_f_within_the_bounds)
{
    static const char *const names[] = {"A", "B"};
    static const double x[] = {0.5, 0.5}, w[] = {2, 2};
    hop_params p = hop_test_alloy_params("bcc", 4, 2, names, x, w, 4096, 13);
    hop_result *r = hop_test_run(&p);
    const double f0 = hop_alloy_lattice_f0(p.lattice);
    for (int i = 0; i < 2; ++i) {
        const hop_estimate *fi = &r->alloy.f[i];
        cr_assert(isfinite(fi->bias), "the companion box bounds the bias");
        cr_expect_leq(fabs(fi->value - f0), K_SIGMA * sqrt(fi->sigma * fi->sigma + fi->bias * fi->bias),
                      "f_%s = %g +- %g (bound %g), f0 %g", names[i], fi->value, fi->sigma,
                      fi->bias, f0);
    }
    /* equal rates: no vacancy wind, r_i = 1 - (1 - f)/(f (N - 1)) in the box of N sites
     * (the isotope Onsager matrix of the box), and the interdiffusion from Lambda is
     * Darken's from the tracers times that */
    for (int i = 0; i < 2; ++i) {
        const hop_estimate *r_i = &r->alloy.wind[i];
        const double want = 1 - (1 - f0) / (f0 * (double)(r->box_sites - 1));
        cr_expect_leq(fabs(r_i->value - want), K_SIGMA * sqrt(r_i->sigma * r_i->sigma
                                                              + r_i->bias * r_i->bias),
                      "r_%s = %g +- %g (bound %g), isotope %g", names[i], r_i->value,
                      r_i->sigma, r_i->bias, want);
    }
    {
        const hop_estimate *d = &r->alloy.interdiffusion, *t = &r->alloy.interdiffusion_darken;
        cr_expect_leq(fabs(d->value - t->value), K_SIGMA * sqrt(d->sigma * d->sigma + d->bias * d->bias
                                                                + t->sigma * t->sigma),
                      "interdiffusion %g +- %g, Darken %g +- %g", d->value, d->sigma, t->value,
                      t->sigma);
    }
    hop_result_free(r);
}

/* ---- the solute limit -------------------------------------------------------------- */

static void expect_solute_limit(const char *lattice, int size, double wB)
{
    static const char *const names[] = {"A", "B"};
    const hop_lattice *L = hop_lattice_find(lattice);
    const double atoms = (double)hop_lattice_box_sites(L, size) - 1;
    const double x[] = {1 - 1 / atoms, 1 / atoms}, w[] = {1, wB};
    hop_params p = hop_test_alloy_params(lattice, size, 2, names, x, w, 4096, 21);
    hop_params q = hop_test_params(lattice, HOP_EST_MSD, HOP_MODEL_SOLUTE, 4096, 22);
    hop_result *r, *s;
    p.size_check = 0;
    p.time = 1500;
    r = hop_test_run(&p);
    cr_assert_eq(r->alloy.atoms[1], 1, "one B atom");
    q.size = size;
    q.time = p.time;
    q.size_check = 0;
    q.threads = 2;
    q.w[0] = q.w[1] = q.w[3] = q.w[4] = 1;
    if (L->z == 8)
        q.w[1] = 0;                             /* bcc: no w1 */
    q.w[2] = wB;
    s = hop_test_run(&q);
    cr_expect_leq(fabs(r->alloy.f[1].value - s->f.value),
                  K_SIGMA * sqrt(pow(r->alloy.f[1].sigma, 2) + pow(s->f.sigma, 2)),
                  "%s: f_B = %g +- %g, solute f2 in the box %g +- %g", lattice,
                  r->alloy.f[1].value, r->alloy.f[1].sigma, s->f.value, s->f.sigma);
    hop_result_free(r);
    hop_result_free(s);
}

Test(alloy, one_b_atom_is_the_five_frequency_solute_fcc)
{
    expect_solute_limit("fcc", 5, 3.0);
}

Test(alloy, one_b_atom_is_le_claires_solute_bcc)
{
    expect_solute_limit("bcc", 7, 0.3);
}

/* ---- Manning's model --------------------------------------------------------------- */

Test(alloy, manning_isotope_limit_and_percolation_point)
{
    const double c[] = {0.3, 0.7}, w[] = {2, 2}, f0 = 0.78145142;
    double f[HOP_ALLOY_MAX_SPECIES + 1], L[HOP_ALLOY_MAX_SPECIES + 1][HOP_ALLOY_MAX_SPECIES + 1];
    double wind[HOP_ALLOY_MAX_SPECIES];
    hop_alloy_manning(2, c, w, f0, f, L, wind);
    for (int i = 0; i < 2; ++i) {
        cr_expect_float_eq(f[i], f0, 1e-9);
        cr_expect_float_eq(wind[i], 1.0, 1e-9);
        for (int j = 0; j < 2; ++j)
            cr_expect_float_eq(L[i][j], w[0] * ((i == j) * c[i] * f0 + c[i] * c[j] * (1 - f0)),
                               1e-9);
    }
    cr_expect_float_eq(f[2], 1.0, 1e-9);        /* the vacancy: uncorrelated */
    {
        /* w_B = 0: H = 0 (f_A = 0) at and below c_A = 1 - f0, positive above */
        const double below[] = {1 - f0 - 1e-3, f0 + 1e-3}, above[] = {1 - f0 + 1e-2, f0 - 1e-2};
        const double w0[] = {1, 0};
        cr_expect_eq(hop_alloy_manning(2, below, w0, f0, f, L, wind), 0.0);
        cr_expect_eq(f[0], 0.0);
        cr_expect_gt(hop_alloy_manning(2, above, w0, f0, f, L, wind), 0.0);
        cr_expect_gt(f[0], 0.0);
    }
}

/* ---- pair energies: equilibrium short-range order --------------------------------- */

/* The exact canonical averages of the nearest-neighbour pair counts (AA, AB, BB) in the
 * 4 x 4 square box with one vacancy, nA atoms A and the rest B, for pair energies eAA,
 * eAB, eBB (kT): every arrangement enumerated (vacancy site, then the A sites), weighted
 * by exp(-E). */
static void exact_pairs(int nA, double eAA, double eAB, double eBB, double mean[3])
{
    const hop_lattice *L = hop_lattice_find("square");
    int32_t *nbr;
    int8_t *sub;
    double Z = 0, sum[3] = {0, 0, 0};
    cr_assert(hop_gas_box_tables(L, 4, &nbr, &sub));
    for (int v = 0; v < 16; ++v)
        for (unsigned m = 0; m < (1u << 16); ++m) {
            int species[16], count[3] = {0, 0, 0};
            double e, wgt;
            if ((m >> v & 1) || __builtin_popcount(m) != nA)
                continue;
            for (int x = 0; x < 16; ++x)
                species[x] = x == v ? 2 : (m >> x & 1) ? 0 : 1;     /* 0 A, 1 B, 2 vacancy */
            for (int x = 0; x < 16; ++x)
                for (int k = 0; k < 4; ++k) {
                    const int y = nbr[x * 4 + k];
                    if (y > x && species[x] < 2 && species[y] < 2)
                        ++count[species[x] + species[y]];          /* AA 0, AB 1, BB 2 */
                }
            e = eAA * count[0] + eAB * count[1] + eBB * count[2];
            wgt = exp(-e);
            Z += wgt;
            for (int i = 0; i < 3; ++i)
                sum[i] += wgt * count[i];
        }
    for (int i = 0; i < 3; ++i)
        mean[i] = sum[i] / Z;
    free(nbr);
    free(sub);
}

static void expect_equilibrium_pairs(double eAA, double eAB, double eBB, uint64_t seed)
{
    static const char *const names[] = {"A", "B"};
    static const double x[] = {0.5, 0.5}, w[] = {1, 0.4};
    hop_params p = hop_test_alloy_params("square", 4, 2, names, x, w, 4000, seed);
    hop_result *r;
    double exact[3];
    p.size_check = 0;
    p.alloy.pair[0][0] = eAA;
    p.alloy.pair[0][1] = p.alloy.pair[1][0] = eAB;
    p.alloy.pair[1][1] = eBB;
    r = hop_test_run(&p);
    exact_pairs((int)r->alloy.atoms[0], eAA, eAB, eBB, exact);
    for (int i = 0; i < 2; ++i)
        for (int j = i; j < 2; ++j) {
            const hop_estimate *b = &r->alloy.bonds[i][j];
            const double want = exact[i + j] / 16;
            cr_expect_leq(fabs(b->value - want), K_SIGMA * b->sigma,
                          "eps %g %g %g: %s%s pairs per site %g +- %g, exact %g", eAA, eAB, eBB,
                          names[i], names[j], b->value, b->sigma, want);
            cr_expect_gt(b->sigma, 0.0);
        }
    hop_result_free(r);
}

Test(alloy, pair_energies_give_the_exact_equilibrium_short_range_order)
{
    expect_equilibrium_pairs(0, 1.0, 0, 31);            /* A-B repulsion: clustering */
    expect_equilibrium_pairs(-0.4, -0.6, 0.3, 32);      /* every pair, ordering */
    expect_equilibrium_pairs(0, 0, 0, 33);              /* the random alloy itself */
}

Test(alloy, the_random_alloy_has_no_short_range_order)
{
    static const char *const names[] = {"A", "B", "C"};
    static const double x[] = {0.5, 0.3, 0.2}, w[] = {1, 0.2, 3};
    hop_params p = hop_test_alloy_params("bcc", 3, 3, names, x, w, 2000, 34);
    hop_result *r;
    p.size_check = 0;
    p.time = 200;
    r = hop_test_run(&p);
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            cr_expect_leq(fabs(r->alloy.sro[i][j].value), K_SIGMA * r->alloy.sro[i][j].sigma,
                          "alpha_%d%d = %g +- %g", i, j, r->alloy.sro[i][j].value,
                          r->alloy.sro[i][j].sigma);
    hop_result_free(r);
}

/* ---- bits -------------------------------------------------------------------------- */

Test(alloy, threads_do_not_change_the_bits)
{
    static const char *const names[] = {"Ni", "Cr", "Fe"};
    static const double x[] = {0.5, 0.3, 0.2}, w[] = {1, 0.2, 3};
    hop_params p = hop_test_alloy_params("fcc", 2, 3, names, x, w, 600, 7);
    hop_result *a, *b;
    p.time = 100;
    p.n_times = 12;
    p.threads = 1;
    a = hop_test_run(&p);
    p.threads = 2;
    b = hop_test_run(&p);
    cr_expect(memcmp(a->alloy.f, b->alloy.f, sizeof a->alloy.f) == 0);
    cr_expect(memcmp(a->alloy.onsager, b->alloy.onsager, sizeof a->alloy.onsager) == 0);
    cr_expect(memcmp(a->alloy.D_star, b->alloy.D_star, sizeof a->alloy.D_star) == 0);
    cr_expect_eq(a->vacancy_steps, b->vacancy_steps);
    hop_result_free(a);
    hop_result_free(b);
}

/* ---- bounds ------------------------------------------------------------------------ */

/* An atom's D* is f times a constant of the box, so their bounds, companion box and run
 * length together, are the same fraction of the value: the companion's D* is compared
 * at the run's vacancy concentration (it was not, and the bound of D* held the 8-fold
 * concentration of the half-edge box). */
Test(alloy, D_star_bound_is_f_bound_relative)
{
    static const char *const names[] = {"A", "B"};
    static const double x[] = {0.5, 0.5}, w[] = {1, 0.2};
    hop_params p = hop_test_alloy_params("fcc", 4, 2, names, x, w, 600, 3);
    hop_result *r;
    p.time = 200;
    p.n_times = 12;
    p.size_check = 1;
    r = hop_test_run(&p);
    cr_assert(r->check_size > 0);
    for (int e = 0; e < 2; ++e) {
        const double rel_D = r->alloy.D_star[e].bias / r->alloy.D_star[e].value;
        const double rel_f = r->alloy.f[e].bias / r->alloy.f[e].value;
        cr_expect(rel_f > 0 && fabs(rel_D / rel_f - 1) < 1e-9, "species %d: %g against %g", e,
                  rel_D, rel_f);
    }
    hop_result_free(r);
}

/* ---- the run-length bound --------------------------------------------------------- */

/* A synthetic run through the alloy's reduction: species A's summed |d|^2 in every
 * replica is  S (a t + tail(t)) + S sigma W(t),  W a random walk in t (Gaussian steps of
 * variance dt, a fixed xorshift stream: the noise of a diffusive MSD), on the time grid
 * of resolved p; tail(t) = amp t^(1 - q) plants a slope bias ~ T^-q (q = 3/2: the
 * hydrodynamic law in 3D), and q = 1 the tail amp ln t, whose slope over a window of fixed
 * relative width is biased by exactly ~ T^-1 (the hydrodynamic law in 2D: a t^-2 velocity
 * autocorrelation puts ln t in the MSD).  The other series are 0.  Returns the estimate
 * (caller frees). */
static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static double gaussian(uint64_t *s)
{
    const double u = ((double)(xorshift(s) >> 11) + 0.5) / 9007199254740992.0;
    const double v = ((double)(xorshift(s) >> 11) + 0.5) / 9007199254740992.0;
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static hop_result *planted_run(hop_params *p, double amp, double q, uint64_t replicas)
{
    char msg[256];
    hop_alloy_model *m;
    hop_msd_accum *acc;
    hop_result *r = calloc(1, sizeof *r);
    int64_t *row;
    uint64_t stream = 88172645463325252ULL;
    const double S = 1e6, a = 1, sigma = 0.5;
    cr_assert_eq(hop_params_resolve(p, msg, sizeof msg), HOP_OK, "%s", msg);
    m = hop_alloy_model_alloc(p);
    acc = hop_alloy_accum_alloc(m);
    row = calloc((size_t)hop_alloy_row_len(&m->ap), sizeof *row);
    cr_assert(m && acc && row && r);
    for (uint64_t k = 0; k < replicas; ++k) {
        const int K = m->ap.n_times, S_rows = hop_alloy_row_series(&m->ap);
        double walk = 0, t_prev = 0;
        for (int i = 0; i < K; ++i) {
            const double t = (double)m->ap.time_ticks[i] * m->ap.time_unit;
            walk += sqrt(t - t_prev) * gaussian(&stream);
            t_prev = t;
            const double tail = q == 1 ? amp * log(t) : amp * pow(t, 1 - q);
            row[i] = llround(S * (a * t + tail + sigma * walk));
        }
        row[S_rows * K] = row[S_rows * K + 1] = 1000;
        hop_msd_accum_add(acc, row);
    }
    cr_assert_eq(hop_alloy_estimate(p, m, acc, r), HOP_OK);
    free(row);
    hop_msd_accum_free(acc);
    hop_alloy_model_free(m);
    return r;
}

/* One planted-bias case of the run-length bound (the two tests below): a bias in the
 * MSD falling as T^-q (amp at the law's q, amp * slow_amp at q = 1/2) planted into an
 * equal-rate A50B50 box of `size` cells of `lattice`, and the same noise without it; the
 * fit is linear in the data with the same weights, so their difference is the bias the
 * bound must cover.  Under the law (q = the dimension's p) the bound covers it and
 * exceeds it by no more than its noise part and 10 % (the two windows' GLS weights
 * differ by their sample noise: a lever inconsistent with the windows would be off by a
 * factor); at q = 1/2 it is below `escape` times the bias. */
typedef struct {
    const char *lattice;
    int size;
    double p, lever, amp, slow_amp, escape;
} planted_case;

static void check_planted_bias(const planted_case *k, int slow, double sign,
                               void (*also)(const hop_params *, const hop_result *))
{
    static const char *const names[] = {"A", "B"};
    static const double x[] = {0.5, 0.5}, w[] = {1, 1};
    const double q = slow ? 0.5 : k->p, amp = sign * k->amp * (slow ? k->slow_amp : 1);
    hop_params p = hop_test_alloy_params(k->lattice, k->size, 2, names, x, w, 2000, 1);
    hop_result *with = planted_run(&p, amp, q, 2000);
    hop_result *without = planted_run(&p, 0, q, 2000);
    const hop_estimate *D = &with->alloy.D_star[0], *D0 = &without->alloy.D_star[0];
    const double bias = fabs(D->value - D0->value);
    const double lever = with->alloy.run_lever, den = pow(lever, k->p) - 1;
    const double noise = (fabs(without->alloy.run_bias[0].value)
                          + 2 * with->alloy.run_bias[0].sigma) / den;
    cr_assert_eq(with->alloy.run_law, 1);
    cr_assert(fabs(with->alloy.run_p - k->p) < 1e-12, "p %g: d/2 = %g", with->alloy.run_p, k->p);
    cr_assert(fabs(lever / k->lever - 1) < 0.1, "lever %g: t_max/%g", lever, k->lever);
    if (also)
        also(&p, with);
    cr_assert_gt(bias, 10 * D->sigma, "the planted bias (%g) is resolved (sigma %g)",
                 bias, D->sigma);
    if (!slow) {
        cr_expect_geq(D->bias, bias, "amp %g: bound %g below the planted bias %g",
                      amp, D->bias, bias);
        cr_expect_leq(D->bias, 1.1 * bias + noise, "amp %g: bound %g, bias %g, "
                      "noise part %g", amp, D->bias, bias, noise);
    } else {
        cr_expect_lt(D->bias, k->escape * bias, "T^-1/2 (slower than the law): bound %g, "
                     "bias %g", D->bias, bias);
    }
    hop_result_free(with);
    hop_result_free(without);
}

/* The bound holds where the law does and rests on it: with a planted T^-3/2 bias on fcc
 * (3D: lever t_max/4) the bound covers the bias; a planted bias falling only as T^-1/2
 * escapes it. */
Test(alloy, run_length_bound_covers_a_planted_bias_under_its_law)
{
    const planted_case k = {"fcc", 3, 1.5, 4, 2000, 0.02, 1};
    for (int slow = 0; slow < 2; ++slow) {
        check_planted_bias(&k, slow, -1, NULL);
        check_planted_bias(&k, slow, +1, NULL);
    }
}

/* The run of check_planted_bias is hop's default 2D run (512 uncorrelated jumps per atom
 * in a box of up to 512 sites). */
static void is_the_default_2d_run(const hop_params *p, const hop_result *r)
{
    const double jumps = p->time * 4 * 1 / (22 * 22 - 1);   /* z w n_v/(N - 1) */
    (void)r;
    cr_assert(fabs(jumps / 512 - 1) < 1e-9, "the default 2D run: %g jumps", jumps);
}

/* The same in 2D at hop's default run (lever t_max/8): a planted amp ln t in the MSD, the
 * hydrodynamic law's T^-1 bias of the fitted slope, is covered, within 10 % plus the
 * noise part; a planted bias falling only as T^-1/2 escapes it, by about (8^(1/2) - 1)/
 * (8 - 1) (what the law does not hold for: the slower approach of runs shorter than
 * the box's relaxation, docs/alloys.md). */
Test(alloy, run_length_bound_covers_the_2d_law_at_the_default_run)
{
    const planted_case k = {"square", 22, 1, 8, 50, 0.04, 0.5};
    for (int slow = 0; slow < 2; ++slow) {
        check_planted_bias(&k, slow, -1, is_the_default_2d_run);
        check_planted_bias(&k, slow, +1, is_the_default_2d_run);
    }
}

/* The default run in 2D grows with the box beyond 512 sites (N jumps per atom of the
 * slowest species in a box of N sites: its composition modes relax later), and stays
 * 64 jumps in 3D whatever the box. */
Test(alloy, default_run_in_2d_grows_with_the_box)
{
    static const char *const names[] = {"A", "B"};
    static const double x[] = {0.5, 0.5}, w[] = {1, 0.2};
    static const struct { const char *lattice; int size, z; double jumps; } c[] = {
        {"square", 16, 4, 512}, {"square", 22, 4, 512}, {"square", 44, 4, 1936},
        {"square", 64, 4, 4096}, {"fcc", 5, 12, 64}, {"fcc", 8, 12, 64}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; ++i) {
        hop_params p = hop_test_alloy_params(c[i].lattice, c[i].size, 2, names, x, w, 4096, 1);
        char msg[256];
        double sites;
        cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
        sites = (double)hop_lattice_box_sites(p.lattice, p.size);
        cr_expect(fabs(p.time * c[i].z * 0.2 / (sites - 1) / c[i].jumps - 1) < 1e-9,
                  "%s --size %d: %g jumps per B atom, expected %g", c[i].lattice, c[i].size,
                  p.time * c[i].z * 0.2 / (sites - 1), c[i].jumps);
    }
}

/* Near the percolation threshold no law is claimed: the bounds are NaN (null) and the
 * verdict says why; the lever is t_max/8 in 2D. */
Test(alloy, no_run_length_bound_near_percolation)
{
    static const char *const names[] = {"A", "B"};
    static const double x[] = {0.6, 0.4}, w[] = {1, 0}, w2[] = {1, 0.5};
    hop_params p = hop_test_alloy_params("square", 8, 2, names, x, w, 1000, 5);
    hop_params q = hop_test_alloy_params("square", 8, 2, names, x, w2, 1000, 5);
    hop_result *r, *s;
    p.time = q.time = 200;
    p.n_times = q.n_times = 20;
    r = hop_test_run(&p);
    s = hop_test_run(&q);
    cr_expect_eq(r->alloy.run_law, 0);
    cr_expect(isnan(r->alloy.f[0].bias) && isnan(r->alloy.f_run_bound[0]));
    cr_expect_eq(s->alloy.run_law, 1);
    cr_expect(isfinite(s->alloy.f_run_bound[0]) && s->alloy.f_run_bound[0] > 0);
    cr_expect(fabs(s->alloy.run_lever / 8 - 1) < 0.2, "lever %g: t_max/8 in 2D",
              s->alloy.run_lever);
    {
        hop_verdict v;
        hop_verdict_of(r, &v);
        cr_expect_str_eq(v.code, "unbounded");
        cr_expect(strstr(v.text, "percolation") != NULL, "%s", v.text);
    }
    hop_result_free(r);
    hop_result_free(s);
}

/* ---- physical units ---------------------------------------------------------------- */

/* A binary fcc alloy in physical units: every species' rate nu_i exp(S_m) exp(-Em_i/kT). */
static hop_params physical_params(void)
{
    static const char *const names[] = {"A", "B"};
    static const double x[] = {0.4, 0.6}, w[] = {0, 0};
    hop_params p = hop_test_alloy_params("fcc", 2, 2, names, x, w, 600, 11);
    p.time = 100;
    p.n_times = 12;
    p.T = 900;
    p.a = 3.6;
    p.Qf = 1.1;
    p.Sf = 1.5;
    p.Sm = 0.5;
    p.alloy.Em[0] = 0.7;
    p.alloy.Em[1] = 0.8;
    p.alloy.nu[0] = 1e13;
    p.alloy.nu[1] = 3e13;
    return p;
}

/* The run with --Em is the reduced run with w_B/w_A = (nu_B/nu_A) exp(-(Em_B - Em_A)/kT)
 * to the bit, and every SI value is the reduced one times factors computed here from the
 * inputs alone: D*_i = D*_i,red a^2 w_A x_v (N - 1)/n_v (x_v = e^S_f e^-Q_f/kT), the
 * vacancy's D = D_v,red a^2 w_A, L_ij = x_v Lambda_ij a^2 w_A/(Omega kT) with fcc's
 * Omega = a^3/4. */
Test(alloy, physical_units_are_the_reduced_run_times_the_stated_factors)
{
    hop_params p = physical_params(), q = physical_params();
    const double kT = 8.617333262e-5 * p.T, a = p.a * 1e-10;
    const double wA = 1e13 * exp(0.5) * exp(-0.7 / kT), wB = 3e13 * exp(0.5) * exp(-0.8 / kT);
    const double x_v = exp(1.5) * exp(-1.1 / kT), omega = a * a * a / 4;
    hop_result *r, *s;
    memset(q.alloy.Em, 0, sizeof q.alloy.Em);
    memset(q.alloy.nu, 0, sizeof q.alloy.nu);
    q.T = q.a = q.Qf = q.Sf = q.Sm = 0;
    q.alloy.w[0] = 1;
    q.alloy.w[1] = wB / wA;
    r = hop_test_run(&p);
    s = hop_test_run(&q);
    cr_assert(r->params.physical && !s->params.physical);
    cr_expect(memcmp(r->alloy.D_star, s->alloy.D_star, sizeof r->alloy.D_star) == 0);
    cr_expect(memcmp(r->alloy.onsager, s->alloy.onsager, sizeof r->alloy.onsager) == 0);
    cr_expect(fabs(r->alloy.w_ref_hz / wA - 1) < 1e-14);
    for (int e = 0; e < 2; ++e) {
        const double by = a * a * wA * x_v * (double)(r->box_sites - 1);   /* n_v = 1 */
        cr_expect(fabs(r->alloy.D_star_si[e].value / (r->alloy.D_star[e].value * by) - 1)
                  < 1e-13, "D*(%d)", e);
        cr_expect(fabs(r->alloy.D_star_si[e].sigma / (r->alloy.D_star[e].sigma * by) - 1)
                  < 1e-13, "sigma D*(%d)", e);
    }
    cr_expect(fabs(r->alloy.D_star_si[2].value / (r->alloy.D_star[2].value * a * a * wA) - 1)
              < 1e-13);
    for (int i = 0; i <= 2; ++i)
        for (int j = 0; j <= 2; ++j) {
            const double L = r->alloy.onsager[i][j].value * x_v * a * a * wA
                             / (omega * 1.380649e-23 * p.T);
            cr_expect(fabs(r->alloy.onsager_si[i][j].value / L - 1) < 1e-13, "L %d %d", i, j);
        }
    hop_result_free(r);
    hop_result_free(s);
}

/* A square A50B50 box with a pair energy given in eV at 800 K (*p; the value is the
 * caller's) and the same run without --T or energies (*q). */
static void pair_eV_runs(hop_params *p, hop_params *q)
{
    static const char *const names[] = {"A", "B"};
    static const double x[] = {0.5, 0.5}, w[] = {1, 0.5};
    *p = hop_test_alloy_params("square", 4, 2, names, x, w, 600, 5);
    p->time = 50;
    p->n_times = 12;
    *q = *p;
    p->T = 800;
    p->alloy.pairs_in_eV = 1;
}

/* A pair energy in eV at T is the same run as E/kT in kT, to the bit. */
Test(alloy, pair_energy_in_eV_is_E_over_kT)
{
    hop_params p, q;
    hop_result *r, *s;
    pair_eV_runs(&p, &q);
    p.alloy.pair_eV[0][1] = p.alloy.pair_eV[1][0] = -0.03;
    q.alloy.pair[0][1] = q.alloy.pair[1][0] = -0.03 / (8.617333262e-5 * 800);
    r = hop_test_run(&p);
    s = hop_test_run(&q);
    cr_expect(!r->params.physical);      /* --T converts the energy only */
    cr_expect(r->alloy.interacting && r->params.alloy.pair[0][1] == q.alloy.pair[0][1]);
    cr_expect(memcmp(r->alloy.D_star, s->alloy.D_star, sizeof r->alloy.D_star) == 0);
    cr_expect(memcmp(r->alloy.sro, s->alloy.sro, sizeof r->alloy.sro) == 0);
    hop_result_free(r);
    hop_result_free(s);
}

/* A pair energy of 0 eV (a scan's eV axis through 0) is given, not absent: --T still only
 * converts energies, and the run is the run without pair energies, bit for bit. */
Test(alloy, pair_energy_of_zero_eV_is_the_run_without_pairs)
{
    hop_params p, q;
    hop_result *r, *s;
    pair_eV_runs(&p, &q);           /* --pair A-B=0eV: pair_eV stays 0 */
    r = hop_test_run(&p);
    s = hop_test_run(&q);
    cr_expect(!r->params.physical, "--T with a pair energy in eV (0 eV) asked for SI units");
    cr_expect(!r->alloy.interacting);
    cr_expect(memcmp(r->alloy.D_star, s->alloy.D_star, sizeof r->alloy.D_star) == 0);
    hop_result_free(r);
    hop_result_free(s);
}

/* ---- bad input --------------------------------------------------------------------- */

#define ALLOY "--model", "alloy", "--replicas", "2000"

Test(alloy, bad_input_is_one_line_and_exit_2)
{
    static const char *const sum[] = {ALLOY, "--species", "A:0.5,B:0.4", "--w", "A=1,B=1", NULL};
    static const char *const unknown[] = {ALLOY, "--species", "A:0.5,B:0.5", "--w", "A=1,C=1", NULL};
    static const char *const twice[] = {ALLOY, "--species", "A:0.5,A:0.5", "--w", "A=1", NULL};
    static const char *const rate_twice[] = {ALLOY, "--species", "A:0.5,B:0.5", "--w",
                                             "A=1,A=2,B=1", NULL};
    static const char *const negative[] = {ALLOY, "--species", "A:0.5,B:0.5", "--w",
                                           "A=1,B=-1", NULL};
    static const char *const zero[] = {ALLOY, "--species", "A:0.5,B:0.5", "--w", "A=0,B=0", NULL};
    static const char *const missing[] = {ALLOY, "--species", "A:0.5,B:0.5", "--w", "A=1", NULL};
    static const char *const small[] = {ALLOY, "--species", "A:0.999,B:0.001", "--w", "A=1,B=1",
                                        "--size", "2", NULL};
    static const char *const tiny_box[] = {ALLOY, "--species", "A:0.5,B:0.5", "--w", "A=1,B=1",
                                           "--lattice", "sc", "--size", "2", NULL};
    static const char *const no_species[] = {ALLOY, "--w", "A=1", NULL};
    static const char *const not_alloy[] = {"--species", "A:1", "--w", "A=1", NULL};
    static const char *const corr[] = {ALLOY, "--species", "A:1", "--w", "A=1", "--estimator",
                                       "corr", NULL};
    static const char *const form[] = {ALLOY, "--species", "A=0.5", "--w", "A=1", NULL};
    static const char *const vac[] = {ALLOY, "--species", "A:1", "--w", "A=1", "--vacancies",
                                      "0", NULL};
    hop_expect_usage_error("sum to", sum);
    hop_expect_usage_error("unknown species 'C'", unknown);
    hop_expect_usage_error("listed twice", twice);
    hop_expect_usage_error("given twice", rate_twice);
    hop_expect_usage_error("--w", negative);
    hop_expect_usage_error("every rate is zero", zero);
    hop_expect_usage_error("--w: no value for species B", missing);
    hop_expect_usage_error("at least 1", small);
    hop_expect_usage_error("--size", tiny_box);
    hop_expect_usage_error("needs --species", no_species);
    hop_expect_usage_error("--model alloy only", not_alloy);
    hop_expect_usage_error("msd estimator", corr);
    hop_expect_usage_error("NAME:FRACTION", form);
    hop_expect_usage_error("--vacancies", vac);
    {
        static const char *const pair_unknown[] = {ALLOY, "--species", "A:0.5,B:0.5", "--w",
                                                   "A=1,B=1", "--pair", "A-C=1", NULL};
        static const char *const pair_twice[] = {ALLOY, "--species", "A:0.5,B:0.5", "--w",
                                                 "A=1,B=1", "--pair", "A-B=1,B-A=2", NULL};
        static const char *const pair_large[] = {ALLOY, "--species", "A:0.5,B:0.5", "--w",
                                                 "A=1,B=1", "--pair", "A-B=5", NULL};
        static const char *const equil[] = {ALLOY, "--species", "A:0.5,B:0.5", "--w",
                                            "A=1,B=1", "--equilibrate", "10", NULL};
        hop_expect_usage_error("unknown species 'C'", pair_unknown);
        hop_expect_usage_error("B-A is given twice (B-A and A-B are one pair)", pair_twice);
        hop_expect_usage_error("integer rates", pair_large);
        hop_expect_usage_error("applies with --pair", equil);
    }
    {
        static const char *const both[] = {ALLOY, "--species", "A:0.5,B:0.5", "--w", "A=1,B=1",
                                           "--Em", "A=0.7,B=0.8", NULL};
        static const char *const em_missing[] = {ALLOY, "--species", "A:0.5,B:0.5", "--Em",
                                                 "A=0.7", NULL};
        static const char *const em_zero[] = {ALLOY, "--species", "A:0.5,B:0.5", "--Em",
                                              "A=0.7,B=0", NULL};
        static const char *const units_short[] = {ALLOY, "--species", "A:0.5,B:0.5", "--Em",
                                                  "A=0.7,B=0.8", "--T", "900", NULL};
        static const char *const w_units[] = {ALLOY, "--species", "A:0.5,B:0.5", "--w",
                                              "A=1,B=1", "--T", "900", "--a", "3", NULL};
        static const char *const pair_eV[] = {ALLOY, "--species", "A:0.5,B:0.5", "--w",
                                              "A=1,B=1", "--pair", "A-B=0.05eV", NULL};
        static const char *const qm[] = {ALLOY, "--species", "A:0.5,B:0.5", "--Em",
                                         "A=0.7,B=0.8", "--T", "900", "--a", "3", "--Qf", "1",
                                         "--nu", "1e13", "--Qm", "0.7", NULL};
        static const char *const nu_list[] = {"--nu", "A=1e13", NULL};
        hop_expect_usage_error("not both", both);
        hop_expect_usage_error("--Em: no value for species B", em_missing);
        hop_expect_usage_error("must be > 0", em_zero);
        hop_expect_usage_error("need --T (K), --a (Angstrom), --Qf", units_short);
        hop_expect_usage_error("migration energies --Em", w_units);
        hop_expect_usage_error("needs --T", pair_eV);
        hop_expect_usage_error("not --Qm", qm);
        hop_expect_usage_error("--model alloy only", nu_list);
    }
}

/* A 2D box so large that N/2 jumps per slow atom exceed the longest run hop allows
 * (4e8 exchanges per replica: square --size 200, 40000 sites, needs about N^2/2 / w_B
 * exchanges): the short-run warning says so and asks for a smaller box, never for a
 * --time that --time's own range check would refuse; a box where N/2 jumps fit asks
 * for that --time, which is then accepted. */
Test(alloy_run_length, a_box_too_large_for_n_over_2_jumps_asks_for_a_smaller_box)
{
    static const char *const names[] = {"A", "B"};
    static const double x[] = {0.5, 0.5}, w[] = {1, 0.2};
    hop_params p = hop_test_alloy_params("square", 200, 2, names, x, w, 2000, 1);
    char msg[256], text[512];
    const char *at;
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
    cr_assert(hop_alloy_short_run(&p, text, sizeof text), "the default run is capped below N/2");
    cr_assert_not_null(strstr(text, "use a smaller --size"), "%s", text);
    cr_assert_null(strstr(text, "use --time"), "%s", text);
    p = hop_test_alloy_params("square", 30, 2, names, x, w, 2000, 1);
    p.time = 1000;
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
    cr_assert(hop_alloy_short_run(&p, text, sizeof text));
    cr_assert_not_null(at = strstr(text, "use --time "), "%s", text);
    p.time = atof(at + strlen("use --time "));
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "the suggested --time: %s", msg);
    cr_assert_not(hop_alloy_short_run(&p, text, sizeof text), "%s", text);
}

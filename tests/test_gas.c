/* test_gas.c: Criterion tests of the many-body lattice gas (--model gas), against exact
 * results.
 *
 * - J = 0: the collective displacement is a martingale, so E|sum d_i|^2 / N =
 *   z t alpha^2 M/(n - 1) exactly at every time point and D_sigma/D0 = M/(n - 1) (the
 *   probability that a given neighbour of a particle is empty in the box; 1 - c for a
 *   large box) for every c and lattice.
 * - f(c) -> 1 as c -> 0 (linear extrapolation from two small c, whose O(c^2) remainder
 *   is far below the error) and, with one vacancy, the single-vacancy msd engine's f in
 *   the same box.
 * - J != 0: detailed balance.  The time- and replica-averaged number of occupied
 *   nearest-neighbour pairs equals its Boltzmann average, computed here by exact
 *   enumeration of all C(16, 8) configurations of a 4 x 4 square box.
 * - Exact identities of the bookkeeping along a trajectory (shared step code driven
 *   directly): particle and vacancy counts, occupancy <-> mover positions, sum of the
 *   particles' displacements = - sum of the vacancies' = the collective displacement,
 *   and the recorded pair count.
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
#include "gas_run.h"
#include "proc_helper.h"
#include "json_helper.h"
#include "run_helper.h"

#define K_SIGMA 3.0

static hop_params gas_params(const char *lattice, int size, double c, double J,
                             uint64_t replicas, uint64_t seed)
{
    hop_params p = hop_test_params(lattice, HOP_EST_MSD, HOP_MODEL_GAS, replicas, seed);
    p.size = size;
    p.c = c;
    p.J = J;
    p.threads = 2;
    return p;
}

/* ---- J = 0: the collective motion is exact ----------------------------------------- */

static void expect_collective_exact(const char *lattice, int size, double c)
{
    const hop_params p = gas_params(lattice, size, c, 0, 4000, 77);
    hop_result *r = hop_test_run(&p);
    const hop_lattice *L = r->params.lattice;
    const double alpha2 = (double)L->jump_len2 / L->metric_den;
    const double want = (double)r->gas.n_vacancies / (double)(r->box_sites - 1);
    cr_assert_gt(r->gas.D_sigma.sigma, 0.0);
    cr_expect_leq(fabs(r->gas.D_sigma.value - want), K_SIGMA * r->gas.D_sigma.sigma,
                  "%s c = %g: D_sigma/D0 = %.5f +- %.5f, exact M/(n-1) = %.5f", lattice,
                  r->gas.c, r->gas.D_sigma.value, r->gas.D_sigma.sigma, want);
    /* J = 0: the chemical diffusion coefficient is D0 */
    cr_expect_leq(fabs(r->gas.D_chem.value - 1), K_SIGMA * r->gas.D_chem.sigma,
                  "%s c = %g: D_chem/D0 = %.5f +- %.5f", lattice, r->gas.c,
                  r->gas.D_chem.value, r->gas.D_chem.sigma);
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

/* ---- f(c) at the two ends ------------------------------------------------------------ */

/* f(c) = 1 - kappa c + O(c^2): 2 f(c) - f(2c) = 1 + O(c^2), with c = 2/216 the
 * remainder is ~1e-4 kappa', well below the error (~1e-2). */
Test(gas_f, dilute_limit_is_one, .timeout = 120)
{
    hop_params p = gas_params("sc", 6, 2.0 / 216, 0, 20000, 5);
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
    hop_params p = gas_params(lattice, size, (n - 1) / n, 0, 4000, 9);
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

/* <B> over all placements of 8 particles on the 4 x 4 square torus, weights exp(-J B). */
static double exact_pairs_4x4(double J)
{
    double z = 0, zb = 0;
    for (unsigned mask = 0; mask < (1u << 16); ++mask) {
        int bonds = 0;
        if (__builtin_popcount(mask) != 8)
            continue;
        for (int x = 0; x < 4; ++x)
            for (int y = 0; y < 4; ++y) {
                const int s = 4 * y + x, right = 4 * y + (x + 1) % 4, up = 4 * ((y + 1) % 4) + x;
                if (mask >> s & 1u) {
                    bonds += (int)(mask >> right & 1u);
                    bonds += (int)(mask >> up & 1u);
                }
            }
        z += exp(-J * bonds);
        zb += bonds * exp(-J * bonds);
    }
    return zb / z;
}

static void expect_boltzmann(double J)
{
    const hop_params p = gas_params("square", 4, 0.5, J, 4000, 31);
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
    cr_expect(isnan(r->gas.D_chem.value), "J = %g: D_chem is not computed", J);
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
}

/* ---- exact identities along a trajectory -------------------------------------------- */

static void expect_bookkeeping(const char *lattice, int size, double c, double J)
{
    hop_params p = gas_params(lattice, size, c, J, 2000, 3);
    char msg[256];
    hop_gas_model *m;
    hop_gas_params gp;
    hop_gas_work w;
    hop_gas_state st;
    int32_t *space;
    int64_t row[HOP_GAS_MAX_ROW];
    const hop_lattice *L;
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
    L = p.lattice;
    m = hop_gas_model_alloc(&p);
    cr_assert_not_null(m);
    gp = m->gp;
    cr_assert_eq(gp.vacancy_movers, c > 0.5, "%s c = %g: movers", lattice, c);
    space = malloc(hop_gas_work_ints(&gp, L->z, 1) * sizeof *space);
    cr_assert_not_null(space);
    hop_gas_work_carve(&gp, 1, space, &w);
    hop_gas_begin(L, &gp, &m->box, 11, 4, &w, &st);
    hop_gas_equilibrate(L, &gp, &m->box, &w, &st, L->z, 0, gp.vacancy_movers, 1);
    for (int check = 0; check < 20; ++check) {
        int64_t sum[3] = {0, 0, 0}, vsum[3] = {0, 0, 0}, pairs = 0;
        int32_t particles = 0;
        for (int n = 0; n < 500; ++n)
            hop_gas_attempt(L, &gp, &m->box, &w, &st, L->z, 0, gp.vacancy_movers, 1);
        for (int32_t s = 0; s < gp.n_sites; ++s) {
            const int32_t id = hop_gas_code(w.occ[s]);
            int around = 0;
            particles += id >= 0;
            cr_assert(id >= -gp.n_vacancies && id < gp.n_particles, "occupancy code %d", id);
            for (int k = 0; k < L->z; ++k)
                around += hop_gas_code(w.occ[m->nbr[(int64_t)s * L->z + k]]) >= 0;
            if (id >= 0)
                pairs += around;
            /* the neighbour counts are kept with interactions only */
            cr_assert_eq(hop_gas_neighbours(w.occ[s]), gp.interacting ? around : 0,
                         "%s: neighbour count of site %d", lattice, s);
        }
        cr_assert_eq(particles, gp.n_particles, "%s: particles conserved", lattice);
        for (int32_t k = 0; k < gp.n_movers; ++k) {
            const int32_t id = gp.vacancy_movers ? -1 - k : k;
            cr_assert_eq(hop_gas_code(w.occ[w.pos[k]]), id, "%s: mover %d is where pos says",
                         lattice, k);
            for (int j = 0; j < L->z; ++j)
                cr_assert_eq(w.target[k * L->z + j], m->nbr[(int64_t)w.pos[k] * L->z + j],
                             "%s: target %d of mover %d", lattice, j, k);
        }
        for (int32_t j = 0; j < gp.n_sites; ++j)
            for (int a = 0; a < 3; ++a)
                (j < gp.n_particles ? sum : vsum)[a] += w.disp[3 * j + a];
        for (int a = 0; a < 3; ++a) {
            cr_assert_eq(sum[a], -vsum[a], "%s: particles' and vacancies' displacements", lattice);
            cr_assert_eq(sum[a], st.collective[a], "%s: collective displacement", lattice);
        }
        hop_gas_record(L, &gp, &m->box, &w, &st, 0, 1, row);
        cr_assert_eq(row[HOP_GAS_COLLECTIVE], hop_gas_norm2_64(L, sum));
        cr_assert_eq(row[3 + L->n_groups], pairs / 2, "%s: recorded pairs", lattice);
    }
    cr_assert_gt(st.jumps, 0);
    free(space);
    hop_gas_model_free(m);
}

Test(gas_identities, particles_move) { expect_bookkeeping("sc", 4, 0.3, 0.7); }
Test(gas_identities, vacancies_move) { expect_bookkeeping("fcc", 2, 0.75, -0.5); }
Test(gas_identities, two_sublattices) { expect_bookkeeping("honeycomb", 4, 0.6, 0); }

/* The CPU's target table (include/hop/gas.h) only shortens the lookup of the target
 * site: every replica's row is the same without it, as the kernel runs. */
static void expect_same_rows_without_targets(const char *lattice, int size, double c, double J)
{
    hop_params p = gas_params(lattice, size, c, J, 2000, 29);
    char msg[256];
    hop_gas_model *m;
    int32_t *space;
    int64_t with[HOP_GAS_MAX_ROW], without[HOP_GAS_MAX_ROW];
    hop_gas_work w;
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
    m = hop_gas_model_alloc(&p);
    cr_assert_not_null(m);
    space = malloc(hop_gas_work_ints(&m->gp, p.lattice->z, 1) * sizeof *space);
    cr_assert_not_null(space);
    for (uint64_t r = 0; r < 6; ++r) {
        hop_gas_work_carve(&m->gp, 1, space, &w);
        hop_gas_replica(p.lattice, &m->gp, &m->box, p.seed, r, &w, with);
        hop_gas_work_carve(&m->gp, 0, space, &w);
        cr_assert_null(w.target);
        hop_gas_replica(p.lattice, &m->gp, &m->box, p.seed, r, &w, without);
        cr_assert_gt(with[hop_gas_row_len(p.lattice, &m->gp) - 2], 0, "%s: jumps", lattice);
        cr_assert_arr_eq(with, without, hop_gas_row_len(p.lattice, &m->gp) * sizeof *with,
                         "%s c = %g J = %g: replica %d differs without the target table",
                         lattice, c, J, (int)r);
    }
    free(space);
    hop_gas_model_free(m);
}

Test(gas_identities, target_table)
{
    expect_same_rows_without_targets("sc", 4, 0.3, 0.7);        /* particles move */
    expect_same_rows_without_targets("bcc", 3, 0.7, -0.4);      /* vacancies move */
    expect_same_rows_without_targets("fcc", 2, 0.5, 0);
    expect_same_rows_without_targets("hcp", 3, 0.4, 0.5);       /* two sublattices */
    expect_same_rows_without_targets("honeycomb", 4, 0.6, -0.6);
    expect_same_rows_without_targets("chain", 16, 0.5, 1.0);
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
                                                      "haven_ratio", "haven_ratio_inverse", NULL};
         *k; ++k) {
        f = cJSON_GetObjectItemCaseSensitive(ra, *k);
        cr_assert(f && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(f, "value"))
                  && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(f, "stderr")),
                  "results.%s with value and stderr", *k);
    }
    cJSON_Delete(ra);
    cJSON_Delete(rb);
    remove_dir(dir);
}

/* A bad gas command line: usage error naming `needle`, nothing written. */
static void expect_bad(const char *needle, const char *const *extra)
{
    char dir[64], json[128];
    const char *args[HOP_PROC_MAX_ARGS + 1];
    int n = 0;
    hop_proc *r;
    const char *nl;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/out.json", dir);
    args[n++] = "run";
    args[n++] = "--json";
    args[n++] = json;
    args[n++] = "--quiet";
    for (int i = 0; extra[i]; ++i)
        args[n++] = extra[i];
    args[n] = NULL;
    r = hop_run_args(args);
    cr_expect_eq(r->status, 2, "%s: exit %d, stderr:\n%s", needle, r->status, r->err);
    cr_expect(strncmp(r->err, "hop: ", 5) == 0 && strncmp(r->err, "hop: error:", 11) != 0,
              "%s: stderr:\n%s", needle, r->err);
    nl = strchr(r->err, '\n');
    cr_expect(nl && strncmp(nl + 1, "try 'hop", 8) == 0, "%s: stderr:\n%s", needle, r->err);
    cr_expect(nl && strstr(r->err, needle) && strstr(r->err, needle) < nl,
              "'%s' not in the first line:\n%s", needle, r->err);
    cr_expect_str_eq(r->out, "", "%s: nothing on stdout", needle);
    cr_expect_eq(count_entries(dir), 0, "%s: no file written", needle);
    remove_dir(dir);
}

#define BAD(needle, ...) expect_bad(needle, (const char *const[]){__VA_ARGS__, NULL})

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
    BAD("underflow", "--model", "gas", "--lattice", "fcc", "--c", "0.5", "--J", "3");
    BAD("underflow", "--model", "gas", "--lattice", "square", "--c", "0.5", "--J", "-4");
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
    hop_params p = gas_params("square", 8, 0.5, 0, 2000, 12);
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

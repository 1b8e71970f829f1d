/* test_coordination.c: lattices whose sublattices differ in coordination (z_sub,
 * include/hop/lattice.h): the Lieb lattice (tests/lattices/lieb.lat: corner sites with 4
 * neighbours, edge sites with 2) and the octahedral-tetrahedral network of fcc
 * (tests/lattices/fcc-octtet.lat: z = 8, 4, 4).
 *
 * Exact checks: a table of uniform coordination finished with z_sub written out is the
 * same table, byte for byte, as without (every built-in); the absent jumps are zero
 * vectors of rate 0 and weight 0 while the present ones share the weight in proportion
 * to sites x jumps; detailed balance e^{-E_s} Gamma(s->t) = e^{-E_t} Gamma(t->s) of the
 * integer rates with a site energy, within their rounding; a written lattice loads back
 * to the same table; 1 and 2 threads give the same bits.  Statistical checks (4 sigma +
 * bias bound, widened by the oracle's bound): the corr estimator's f and its components
 * against the exact solver on both lattices (with and without a site energy), and the
 * msd estimator's components against corr's.  Physical units sum the jumps each site has
 * (D_unc by hand on Lieb).  Bad input stays one `FILE:LINE:` line; the models that need
 * one z refuse in one line. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "exact_helper.h"
#include "lattice/file.h"
#include "lattice/impl.h"
#include "lattice/rates.h"
#include "run_helper.h"
#include "usage_helper.h"

#define LIEB HOP_SOURCE_DIR "/tests/lattices/lieb.lat"
#define OCTTET HOP_SOURCE_DIR "/tests/lattices/fcc-octtet.lat"

static const hop_lattice *load(const char *path)
{
    const hop_lattice *L = NULL;
    char msg[400];
    cr_assert_eq(hop_lattice_load(path, &L, msg, sizeof msg), HOP_OK, "%s", msg);
    return L;
}

static hop_status parse_text(const char *text, hop_lattice *L, char *msg, size_t n)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    hop_status s;
    cr_assert_not_null(f);
    s = hop_lattice_parse(f, "mem.lat", L, msg, n);
    fclose(f);
    return s;
}

Test(coordination, uniform_tables_are_the_same_with_z_sub_written_out)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        hop_lattice L = hop_lattice_tables[i];
        const hop_lattice *B = hop_lattice_get(i);
        char msg[200];
        for (int s = 0; s < L.n_sub; ++s)
            L.z_sub[s] = L.z;
        cr_assert_eq(hop_lattice_finish(&L, msg, sizeof msg), HOP_OK, "%s", msg);
        cr_assert(memcmp(&L, B, sizeof L) == 0, "%s: z_sub given changes the table", L.name);
        cr_assert(hop_lattice_uniform_z(B), "%s", B->name);
        cr_assert_eq(B->rate_total[0], 0, "%s keeps the equal-rate path", B->name);
    }
}

Test(coordination, lieb_table)
{
    const hop_lattice *L = load(LIEB);
    const int z_sub[3] = {4, 2, 2};
    double total = 0;
    cr_assert_eq(L->z, 4);
    cr_assert_eq(L->n_sub, 3);
    cr_assert(!hop_lattice_uniform_z(L));
    cr_assert(L->isotropic, "the square's symmetry");
    cr_assert_eq(L->jump_len2, 1, "every jump a/2: 1/4 in x^T M x / den");
    for (int s = 0; s < 3; ++s) {
        cr_assert_eq(L->z_sub[s], z_sub[s]);
        cr_assert_eq(L->rate_total[s], (uint64_t)z_sub[s] << 32, "sublattice %d", s);
        for (int k = 0; k < L->z; ++k) {
            const double w = hop_lattice_type_weight(L, s * L->z + k);
            total += w;
            if (hop_lattice_has_jump(L, s, k)) {
                /* 1 site x 4 jumps and 2 x (1 site x 2 jumps): each jump 1/8 */
                cr_assert_float_eq(w, 1.0 / 8.0, 1e-15, "type %d", s * L->z + k);
                cr_assert_eq(L->rate[s][k], UINT64_C(1) << 32);
                cr_assert_eq(L->jump_sub[L->jump_sub[s][k]][L->jump_rev[s][k]], s);
            } else {
                cr_assert_eq(w, 0.0);
                cr_assert_eq(L->rate[s][k], 0);
                cr_assert(L->jump[s][k][0] == 0 && L->jump[s][k][1] == 0, "absent: no vector");
                cr_assert_eq(L->jump_norm2[s][k], 0);
                cr_assert(L->jump_sub[s][k] == s && L->jump_rev[s][k] == k);
            }
        }
    }
    cr_assert_float_eq(total, 1.0, 1e-15);
}

Test(coordination, octtet_table)
{
    const hop_lattice *L = load(OCTTET);
    cr_assert_eq(L->z, 8);
    cr_assert(L->z_sub[0] == 8 && L->z_sub[1] == 4 && L->z_sub[2] == 4);
    cr_assert(L->isotropic, "cubic");
    for (int s = 0; s < 3; ++s)
        for (int k = 0; k < L->z_sub[s]; ++k) {
            cr_assert_eq(L->jump_norm2[s][k], 3, "(1,1,1) in a/4: 3/16 a^2");
            cr_assert_eq(L->jump_sub[s][k] == 0, s != 0,
                         "octahedral sites lead to tetrahedral ones and back");
        }
}

Test(coordination, written_lattices_load_back_the_same)
{
    const char *paths[] = {LIEB, OCTTET};
    for (int i = 0; i < 2; ++i) {
        const hop_lattice *L = load(paths[i]);
        static char text[16384];
        hop_lattice M;
        char msg[400];
        FILE *f = fmemopen(text, sizeof text, "w");
        cr_assert_eq(hop_lattice_write(f, L), HOP_OK);
        fclose(f);
        cr_assert(strncmp(text, "hop-lattice 2\n", 14) == 0, "non-uniform z needs version 2");
        cr_assert_eq(parse_text(text, &M, msg, sizeof msg), HOP_OK, "%s\n%s", msg, text);
        cr_assert(memcmp(L, &M, sizeof M) == 0, "%s: the written table differs", L->name);
    }
}

Test(coordination, detailed_balance_with_a_site_energy)
{
    hop_lattice L = *load(LIEB);
    cr_assert_eq(hop_lattice_set_site_energy(&L, "A", 1.0), HOP_OK);
    cr_assert_eq(hop_lattice_apply_rates(&L, 0), HOP_OK);
    for (int s = 0; s < L.n_sub; ++s) {
        uint64_t sum = 0;
        for (int k = 0; k < L.z; ++k) {
            const int t = L.jump_sub[s][k], r = L.jump_rev[s][k];
            long double fwd, back;
            sum += L.rate[s][k];
            if (!hop_lattice_has_jump(&L, s, k)) {
                cr_assert_eq(L.rate[s][k], 0);
                continue;
            }
            fwd = (long double)L.occupation[s] * L.rate[s][k];
            back = (long double)L.occupation[t] * L.rate[t][r];
            /* each integer within 1/2 of its exact value, the smallest ~ e^-1 2^32 */
            cr_assert_leq(fabsl(fwd - back) / back, 4.0L / 1.5e9L,
                          "jump %d of %d: %Lg against %Lg", k, s, fwd, back);
        }
        cr_assert_eq(sum, L.rate_total[s]);
    }
    /* E_A = 1: A -> B at e^{1/2}, the fastest (2^32), B -> A at e^{-1/2} */
    cr_assert_eq(L.rate[0][0], UINT64_C(1) << 32);
    cr_assert_eq(L.rate[1][0], (uint64_t)llround(ldexp(exp(-1.0), 32)));
}

static hop_result *corr_run(const hop_lattice *L, uint64_t replicas, int threads)
{
    hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_VACANCY, replicas, 7);
    p.lattice = L;
    p.threads = threads;
    return hop_test_run(&p);
}

/* f and every component of a corr run against the exact solver. */
static void corr_is_exact(const char *what, const hop_lattice *L, const hop_result *r)
{
    const hop_exact_result x = hop_test_exact(L, NULL);
    char tag[96];
    hop_test_expect_exact(what, &r->f, &x.f);
    for (int g = 0; g < L->n_groups; ++g) {
        snprintf(tag, sizeof tag, "%s f_%s", what, L->group_name[g]);
        hop_test_expect_exact(tag, &r->f_group[g], &x.f_group[g]);
    }
}

Test(coordination, lieb_corr_is_exact_and_thread_independent, .timeout = 300)
{
    const hop_lattice *L = load(LIEB);
    hop_result *r1 = corr_run(L, 100000, 1), *r2 = corr_run(L, 100000, 2);
    corr_is_exact("lieb", L, r1);
    cr_assert(memcmp(&r1->f, &r2->f, sizeof r1->f) == 0
              && memcmp(r1->f_group, r2->f_group, sizeof r1->f_group) == 0
              && r1->vacancy_steps == r2->vacancy_steps,
              "1 and 2 threads give the same bits");
    hop_result_free(r1);
    hop_result_free(r2);
}

Test(coordination, lieb_with_a_site_energy_is_exact, .timeout = 300)
{
    static hop_lattice L;
    hop_result *r;
    L = *load(LIEB);
    cr_assert_eq(hop_lattice_set_site_energy(&L, "B", 1.5), HOP_OK);
    cr_assert_eq(hop_lattice_apply_rates(&L, 0), HOP_OK);
    r = corr_run(&L, 100000, 2);
    corr_is_exact("lieb E_B = 1.5", &L, r);
    hop_result_free(r);
}

Test(coordination, octtet_corr_is_exact, .timeout = 300)
{
    const hop_lattice *L = load(OCTTET);
    hop_result *r = corr_run(L, 100000, 2);
    corr_is_exact("fcc-octtet", L, r);
    hop_result_free(r);
}

/* The msd estimator's f per principal axis against corr's. */
static void msd_agrees_with_corr(const char *what, const hop_lattice *L, int size, double time)
{
    hop_params p = hop_test_params("fcc", HOP_EST_MSD, HOP_MODEL_VACANCY, 4000, 3);
    hop_result *m, *c;
    p.lattice = L;
    p.size = size;
    p.time = time;
    p.threads = 2;
    m = hop_test_run(&p);
    c = corr_run(L, 100000, 2);
    for (int g = -1; g < L->n_groups; ++g) {
        const hop_estimate *a = g < 0 ? &m->f : &m->f_group[g], *b = g < 0 ? &c->f : &c->f_group[g];
        const double tol = 4 * sqrt(a->sigma * a->sigma + b->sigma * b->sigma) + a->bias + b->bias;
        cr_expect(a->sigma > 0 && a->sigma < 0.02, "%s: msd sigma %g", what, a->sigma);
        cr_expect_leq(fabs(a->value - b->value), tol, "%s %s: msd %.4f +- %.4f (bias %.4f), "
                      "corr %.4f +- %.4f (bias %.4f)", what, g < 0 ? "f" : L->group_name[g],
                      a->value, a->sigma, a->bias, b->value, b->sigma, b->bias);
    }
    hop_result_free(m);
    hop_result_free(c);
}

Test(coordination, msd_agrees_with_corr_per_axis, .timeout = 600)
{
    msd_agrees_with_corr("lieb", load(LIEB), 12, 0);
    msd_agrees_with_corr("fcc-octtet", load(OCTTET), 4, 0);
}

Test(coordination, bad_input_is_one_line)
{
    /* the Lieb lattice with B's jump (-1, 0) missing: A's jump (1, 0) lands on B, whose
     * jumps then lack the reverse */
    static const char text[] =
        "hop-lattice 2\nname lieb-bad\ndim 2\ncell 2 2\naxis x 1 0 1/4\naxis y 0 1 1/4\n"
        "site 0 0 A\nsite 1 0 B\nsite 0 1 C\n"
        "jump A 1 0\njump A -1 0\njump A 0 1\njump A 0 -1\n"
        "jump B 1 0\n"
        "jump C 0 1\njump C 0 -1\n";
    static const char v1[] =
        "hop-lattice 1\nname lieb-v1\ndim 2\ncell 2 2\naxis x 1 0 1/4\naxis y 0 1 1/4\n"
        "site 0 0 A\nsite 1 0 B\nsite 0 1 C\n"
        "jump A 1 0\njump A -1 0\njump A 0 1\njump A 0 -1\n"
        "jump B 1 0\njump B -1 0\njump C 0 1\njump C 0 -1\n";
    hop_lattice L;
    char msg[400] = "";
    cr_assert_eq(parse_text(text, &L, msg, sizeof msg), HOP_ERR_INVAL);
    cr_assert(strncmp(msg, "mem.lat:", 8) == 0 && !strchr(msg, '\n'), "%s", msg);
    cr_assert(strstr(msg, "lack the reverse") || strstr(msg, "lacks the reverse"), "%s", msg);
    cr_assert(strncmp(msg, "mem.lat:10:", 11) == 0, "A's jump (1, 0) on line 10: %s", msg);
    /* version 1 keeps one z */
    cr_assert_eq(parse_text(v1, &L, msg, sizeof msg), HOP_ERR_INVAL);
    cr_assert(strncmp(msg, "mem.lat:14:", 11) == 0 && strstr(msg, "'hop-lattice 2' allows"),
              "%s", msg);
}

Test(coordination, models_that_need_one_z_refuse_in_one_line)
{
    hop_expect_usage_error("differ in coordination",
                           (const char *const[]){"--lattice-file", LIEB, "--model", "gas",
                                                 "--c", "0.5", NULL});
    hop_expect_usage_error("differ in coordination",
                           (const char *const[]){"--lattice-file", LIEB, "--T", "1000",
                                                 "--nu", "1e13", "--a", "3",
                                                 "--bond-energy", "0.3", NULL});
}

Test(coordination, physical_units_sum_the_jumps_each_site_has, .timeout = 300)
{
    /* Lieb, a = 3 Angstrom, every jump a/2 at omega: the network's D_unc = (1/2d) X_v
     * omega sum over a cell's sites and their jumps |e|^2 / n_basis = (1/4) X_v omega
     * (4 + 2 + 2) (a/2)^2 / 3 = X_v omega a^2 / 6, and Gamma = (8/3) omega X_v, the
     * sites' mean coordination (the largest, 4, would give 3/2 of it) */
    hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_VACANCY, 20000, 5);
    const double a = 3e-10;
    hop_result *r;
    p.lattice = load(LIEB);
    p.T = 1000, p.nu = 1e13, p.a = 3, p.Qf = 1, p.Qm = 0.7;
    r = hop_test_run(&p);
    cr_assert(r->params.physical);
    cr_assert_float_eq(r->phys.Gamma, 8.0 / 3.0 * r->phys.omega * r->phys.X_v,
                       1e-12 * r->phys.Gamma);
    cr_assert_float_eq(r->phys.D_uncorrelated, r->phys.X_v * r->phys.omega * a * a / 6.0,
                       1e-12 * r->phys.D_uncorrelated);
    cr_assert_float_eq(r->phys.D_star.value, r->f.value * r->phys.D_uncorrelated,
                       1e-12 * r->phys.D_star.value);
    hop_result_free(r);
}

/* test_physics_lattices.c: physical units on general lattices (host/models/physics.c):
 * several sublattices, jump classes of several lengths and rates, site energies.
 *
 * Exact checks, without runs (hop_physics_apply on a result with a given f tensor):
 * - the network's sums give today's closed forms (Gamma = z omega X_v, D = (1/2d) Gamma
 *   alpha^2, D0 = f (1/2d) z alpha^2 nu exp(S_f + S_m), Q_D = Q_f + Q_m) to the bit on
 *   every built-in lattice;
 * - hcp at magnesium's c/a (tests/lattices/hcp-mg.lat) with barriers in eV per class: D
 *   per axis is the hand-derived sum (basal: 6 jumps of length a in the plane, so
 *   sum e_x^2 + e_y^2 = 6 a^2; c: 6 jumps with in-plane parts a/sqrt3 and e_z = +-c/2,
 *   so 2 a^2 in the plane and 6 (c/2)^2 along z): D_x = (3 G_b + G_c) a^2 / 2,
 *   D_z = 3 G_c (c/2)^2, the scalar (2 D_x + D_z)/3; Q_D per axis is the analytic slope,
 *   checked against a two-temperature derivative;
 * - hcp at the ideal c/a (one length) with the c class at rate 1/4: D is the rate-weighted
 *   sum, not today's z omega X_v alpha^2/2d (which ignored the rates);
 * - honeycomb with the vacancy's energy E on B: X_v(B) = X_v(A) exp(-E/kT), and since
 *   every bond joins A and B each term of D carries exp(-E/2kT), so the exact identity
 *   D(E_B = E, H_f) = D(E_B = 0, H_f + E/2) (every axis, and Q_D likewise);
 * - detailed balance of the SI rates X_v(s) Gamma(s -> t) = X_v(t) Gamma(t -> s) on
 *   pyrochlore-nnn (four sublattices, two lengths, a site energy), the brief sum from
 *   those rates equals hop's D, and the lattice (its integer rates) is untouched;
 * - where the vacancy's jumps from a sublattice have a mean direction (a chain of
 *   alternating bonds) corr gives no D_sigma (it is not D there); elsewhere D_sigma = D.
 * And with runs: physical units are accepted on a general lattice (no longer refused), a
 * run's D*_g = f_g D_g with f's errors, and the summary and JSON carry the per-sublattice
 * X_v and the per-axis block. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dir_helper.h"
#include "json_helper.h"
#include "lattice/file.h"
#include "lattice/rates.h"
#include "models/physics.h"
#include "proc_helper.h"
#include "run_helper.h"

#define REL(a, b) (fabs((a) - (b)) / fabs(b))
#define KB 8.617333262e-5

/* A result holding a given f tensor, with physical parameters on lattice L. */
static hop_result *with_f(const hop_lattice *L, double T, double Qf, double Qm)
{
    static const double f_axis[HOP_MAX_GROUPS] = {0.78, 0.74, 0.81};
    hop_result *r = calloc(1, sizeof *r);
    cr_assert_not_null(r);
    hop_params_default(&r->params);
    r->params.lattice = L;
    r->params.T = T, r->params.Qf = Qf, r->params.Qm = Qm;
    r->params.nu = 1e13, r->params.a = 3.209, r->params.Sf = 1.5, r->params.Sm = 0.5;
    r->params.physical = 1;
    r->f.value = 0.77, r->f.sigma = 1e-3, r->f.bias = 2e-4;
    r->n_groups = L->n_groups;
    for (int g = 0; g < L->n_groups; ++g) {
        r->f_group[g].value = f_axis[g];
        r->f_group[g].sigma = 2e-3;
        r->f_group[g].bias = 1e-4;
    }
    hop_physics_apply(r);
    return r;
}

static const hop_lattice *load(const char *file)
{
    const hop_lattice *L = NULL;
    char path[512], msg[512];
    snprintf(path, sizeof path, "%s/tests/lattices/%s", HOP_SOURCE_DIR, file);
    cr_assert_eq(hop_lattice_load(path, &L, msg, sizeof msg), HOP_OK, "%s", msg);
    return L;
}

static int class_index(const hop_lattice *L, const char *name)
{
    for (int c = 0; c < L->n_classes; ++c)
        if (strcmp(L->class_name[c], name) == 0)
            return c;
    cr_assert_fail("%s has no class %s", L->name, name);
    return -1;
}

/* Equal jumps of one length between equivalent sites: today's closed forms, to the bit. */
Test(physics_lattices, builtins_keep_the_closed_forms)
{
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const hop_lattice *L = hop_lattice_get(i);
        hop_result *r = with_f(L, 1000, 1.28, 0.70);
        const hop_params *p = &r->params;
        const double half_d = 1.0 / (2.0 * L->dim), kT = KB * p->T;
        const double X_v = exp(p->Sf) * exp(-p->Qf / kT);
        const double omega = p->nu * exp(p->Sm) * exp(-p->Qm / kT);
        const double Gamma = L->z * omega * X_v;
        const double alpha = hop_lattice_jump_length(L) * p->a * 1e-10;
        const double D = half_d * Gamma * alpha * alpha;
        const double D0 = r->f.value * half_d * L->z * alpha * alpha * p->nu * exp(p->Sf + p->Sm);
        double trace = 0;
        int axes[HOP_MAX_GROUPS] = {0};
        cr_expect_eq(r->phys.network, 0, "%s", L->name);
        cr_expect(r->phys.X_v == X_v && r->phys.omega == omega && r->phys.Gamma == Gamma
                  && r->phys.alpha == alpha, "%s: X_v, omega, Gamma, alpha", L->name);
        cr_expect(r->phys.D_uncorrelated == D, "%s: D %.17g vs %.17g", L->name,
                  r->phys.D_uncorrelated, D);
        cr_expect(r->phys.D0 == D0, "%s: D0 %.17g vs %.17g", L->name, r->phys.D0, D0);
        cr_expect(r->phys.Q_D == p->Qf + p->Qm, "%s: Q_D", L->name);
        cr_expect(r->phys.D_star.value == r->f.value * D, "%s: D*", L->name);
        for (int s = 0; s < L->n_sub; ++s)
            cr_expect(r->phys.X_v_site[s] == X_v, "%s: X_v of sublattice %d", L->name, s);
        /* the components add up to the trace: sum_g n_g D_g = d D */
        for (int a = 0; a < L->dim; ++a)
            ++axes[L->group_of_axis[a]];
        for (int g = 0; g < L->n_groups; ++g) {
            trace += axes[g] * r->phys.D_uncorrelated_axis[g];
            cr_expect(r->phys.Q_D_axis[g] == p->Qf + p->Qm, "%s: Q_D_%d", L->name, g);
            if (L->isotropic)
                cr_expect_lt(REL(r->phys.D_uncorrelated_axis[g], D), 1e-14, "%s axis %d",
                             L->name, g);
        }
        cr_expect_lt(REL(trace, L->dim * D), 1e-14, "%s: trace", L->name);
        free(r);
    }
}

/* hcp-mg with class barriers in eV (Q_m 0: the barriers are the migration enthalpies). */
static hop_result *mg_at(hop_lattice *L, double T, double Eb, double Ec)
{
    const int b = class_index(L, "basal"), c = class_index(L, "c");
    L->class_barrier[b] = Eb, L->class_barrier_ev[b] = 1;
    L->class_barrier[c] = Ec, L->class_barrier_ev[c] = 1;
    cr_assert_eq(hop_lattice_apply_rates(L, KB * T), HOP_OK);
    return with_f(L, T, 0.80, 0);
}

Test(physics_lattices, hcp_mg_axes_are_the_hand_sums)
{
    static hop_lattice L;
    const double T = 800, kT = KB * T, Eb = 0.40, Ec = 0.43, zw = 0.659344;
    hop_result *r, *lo, *hi;
    double Xv, Gb, Gc, a2, Dx, Dz, Qx, Q, dT = 0.01;
    L = *load("hcp-mg.lat");
    r = mg_at(&L, T, Eb, Ec);
    Xv = exp(1.5) * exp(-0.80 / kT);
    Gb = 1e13 * exp(0.5) * exp(-Eb / kT) * Xv;
    Gc = 1e13 * exp(0.5) * exp(-Ec / kT) * Xv;
    a2 = 3.209e-10 * 3.209e-10;
    Dx = (3 * Gb + Gc) * a2 / 2;
    Dz = 3 * Gc * zw * a2;
    cr_expect_eq(r->phys.network, 1);
    cr_expect_lt(REL(r->phys.D_uncorrelated_axis[0], Dx), 1e-13, "D_x %g vs %g",
                 r->phys.D_uncorrelated_axis[0], Dx);
    cr_expect_lt(REL(r->phys.D_uncorrelated_axis[1], Dz), 1e-13, "D_z %g vs %g",
                 r->phys.D_uncorrelated_axis[1], Dz);
    cr_expect_lt(REL(r->phys.D_uncorrelated, (2 * Dx + Dz) / 3), 1e-13);
    cr_expect_lt(REL(r->phys.Gamma, 6 * Gb + 6 * Gc), 1e-13);
    /* D*_g = f_g D_g, errors and bounds alike */
    for (int g = 0; g < 2; ++g) {
        const double D = r->phys.D_uncorrelated_axis[g];
        cr_expect_lt(REL(r->phys.D_star_axis[g].value, r->f_group[g].value * D), 1e-15);
        cr_expect_lt(REL(r->phys.D_star_axis[g].sigma, r->f_group[g].sigma * D), 1e-15);
        cr_expect_lt(REL(r->phys.D_star_axis[g].bias, r->f_group[g].bias * D), 1e-15);
    }
    /* Q: along z only the c jumps (0.80 + 0.43); in the plane their mix by share of D_x */
    Qx = 0.80 + (3 * Gb * Eb + Gc * Ec) / (3 * Gb + Gc);
    Q = 0.80 + (6 * Gb * Eb + 6 * Gc * (1.0 / 3 + zw) * Ec) / (6 * Gb + 6 * Gc * (1.0 / 3 + zw));
    cr_expect_lt(fabs(r->phys.Q_D_axis[1] - (0.80 + Ec)), 1e-14);
    cr_expect_lt(fabs(r->phys.Q_D_axis[0] - Qx), 1e-14, "Q_x %.15g vs %.15g",
                 r->phys.Q_D_axis[0], Qx);
    cr_expect_lt(fabs(r->phys.Q_D - Q), 1e-14);
    /* the analytic slope against -d ln D / d(1/kT) over T -+ 0.01 K (f fixed) */
    lo = mg_at(&L, T - dT, Eb, Ec);
    hi = mg_at(&L, T + dT, Eb, Ec);
    for (int g = -1; g < 2; ++g) {
        const double Dl = g < 0 ? lo->phys.D_star.value : lo->phys.D_star_axis[g].value;
        const double Dh = g < 0 ? hi->phys.D_star.value : hi->phys.D_star_axis[g].value;
        const double slope = -(log(Dh) - log(Dl)) / (1 / (KB * (T + dT)) - 1 / (KB * (T - dT)));
        const double Qa = g < 0 ? r->phys.Q_D : r->phys.Q_D_axis[g];
        const double D0 = g < 0 ? r->phys.D0 : r->phys.D0_axis[g];
        const double Ds = g < 0 ? r->phys.D_star.value : r->phys.D_star_axis[g].value;
        cr_expect_lt(fabs(slope - Qa), 1e-7, "axis %d: slope %.10g vs %.10g", g, slope, Qa);
        cr_expect_lt(REL(D0 * exp(-Qa / kT), Ds), 1e-13, "axis %d: D0 exp(-Q/kT) = D*", g);
    }
    free(lo);
    free(hi);
    free(r);
}

/* One length, unequal rates: hcp (ideal c/a) with the out-of-plane jumps in a class of
 * rate 1/4.  Every jump has length a, (c/2)^2 = 2/3 a^2. */
Test(physics_lattices, hcp_class_rates_enter_D)
{
    static hop_lattice L;
    hop_result *r;
    const double kT = KB * 1000, R = 0.25;
    double w, a2;
    L = *hop_lattice_find("hcp");
    L.n_classes = 2;
    strcpy(L.class_name[0], "basal");
    strcpy(L.class_name[1], "c");
    L.class_rate[0] = 1, L.class_rate[1] = R;
    for (int s = 0; s < 2; ++s)
        for (int k = 0; k < 12; ++k)
            L.jump_class[s][k] = k >= 6;
    cr_assert_eq(hop_lattice_apply_rates(&L, 0), HOP_OK);
    cr_assert(L.rate_total[0] != 0 && hop_lattice_one_length(&L));
    r = with_f(&L, 1000, 1.28, 0.70);
    w = 1e13 * exp(0.5) * exp(-0.70 / kT) * exp(1.5) * exp(-1.28 / kT);   /* omega X_v */
    a2 = 3.209e-10 * 3.209e-10;
    cr_expect_eq(r->phys.network, 1);
    cr_expect_lt(REL(r->phys.Gamma, (6 + 6 * R) * w), 1e-14);
    cr_expect_lt(REL(r->phys.D_uncorrelated, (6 + 6 * R) * w * a2 / 6), 1e-14,
                 "D %g: not z omega X_v alpha^2 / 2d = %g", r->phys.D_uncorrelated, 2 * w * a2);
    cr_expect_lt(REL(r->phys.D_uncorrelated_axis[0], (3 + R) * w * a2 / 2), 1e-14);
    cr_expect_lt(REL(r->phys.D_uncorrelated_axis[1], 3 * R * (2.0 / 3) * w * a2), 1e-14);
    /* energies in kT only (none here): the slope stays Q_f + Q_m */
    cr_expect_eq(r->phys.Q_D, 1.28 + 0.70);
    free(r);
}

/* Honeycomb with E_B (eV): X_v(B) = X_v(A) exp(-E/kT); every bond joins A and B, so
 * D(E_B = E, H_f) = D(E_B = 0, H_f + E/2) exactly (to rounding), on every axis. */
Test(physics_lattices, site_energy_is_a_boltzmann_factor)
{
    static hop_lattice L, L0;
    const double T = 900, kT = KB * T, E = 0.1;
    hop_result *r, *r0;
    L = *load("honeycomb-ab.lat");
    L.site_energy[1] = E, L.site_energy_ev[1] = 1;
    cr_assert_eq(hop_lattice_apply_rates(&L, kT), HOP_OK);
    L0 = L;
    L0.site_energy[1] = 0, L0.site_energy_ev[1] = 0;
    cr_assert_eq(hop_lattice_apply_rates(&L0, kT), HOP_OK);
    r = with_f(&L, T, 1.0, 0.6);
    r0 = with_f(&L0, T, 1.0 + E / 2, 0.6);
    cr_expect_eq(r->phys.X_v_site[0], r->phys.X_v, "a site of energy 0 has X_v itself");
    cr_expect_lt(REL(r->phys.X_v_site[1], r->phys.X_v * exp(-E / kT)), 1e-15);
    cr_expect_lt(REL(r->phys.X_v_mean, r->phys.X_v * (1 + exp(-E / kT)) / 2), 1e-15);
    cr_expect_lt(REL(r->phys.D_uncorrelated, r0->phys.D_uncorrelated), 1e-14, "%.17g vs %.17g",
                 r->phys.D_uncorrelated, r0->phys.D_uncorrelated);
    for (int g = 0; g < L.n_groups; ++g)
        cr_expect_lt(REL(r->phys.D_uncorrelated_axis[g], r0->phys.D_uncorrelated_axis[g]), 1e-14);
    cr_expect_lt(fabs(r->phys.Q_D - r0->phys.Q_D), 1e-15);
    cr_expect_lt(fabs(r->phys.Q_D - (1.0 + 0.6 + E / 2)), 1e-15);
    cr_expect_lt(REL(r->phys.D0, r0->phys.D0), 1e-14);
    /* the file's own E_B = 1 kT: a factor e^-1 at any T, and no enthalpy */
    free(r);
    r = with_f(load("honeycomb-ab.lat"), T, 1.0, 0.6);
    cr_expect_lt(REL(r->phys.X_v_site[1], r->phys.X_v * exp(-1.0)), 1e-15);
    cr_expect_eq(r->phys.Q_D, 1.0 + 0.6);
    free(r);
    free(r0);
}

/* pyrochlore-nnn with E_B in eV: the SI rates obey detailed balance, the brief sum over
 * the tracer's jumps equals hop's D, and applying the units leaves the lattice as it
 * was. */
Test(physics_lattices, detailed_balance_and_the_sum)
{
    static hop_lattice L, before;
    const double T = 700, kT = KB * T;
    hop_result *r;
    double n_s[HOP_MAX_SUB] = {0}, sum = 0;
    L = *load("pyrochlore-nnn.lat");
    L.site_energy[1] = 0.03, L.site_energy_ev[1] = 1;
    cr_assert_eq(hop_lattice_apply_rates(&L, kT), HOP_OK);
    before = L;
    r = with_f(&L, T, 1.1, 0.5);
    cr_expect(memcmp(&L, &before, sizeof L) == 0, "the lattice is untouched");
    for (int b = 0; b < L.n_basis; ++b)
        n_s[L.basis_sub[b]] += 1.0 / L.n_basis;
    for (int s = 0; s < L.n_sub; ++s)
        for (int k = 0; k < L.z; ++k) {
            const int t = L.jump_sub[s][k], back = L.jump_rev[s][k];
            const double there = hop_physics_site_X_v(&r->params, s)
                                 * hop_physics_vacancy_rate(&r->params, s, k);
            const double here = hop_physics_site_X_v(&r->params, t)
                                * hop_physics_vacancy_rate(&r->params, t, back);
            cr_expect_lt(REL(there, here), 1e-14, "jump %d of %d", k, s);
            /* the integer rates the run draws from, within their rounding */
            cr_expect_lt(REL((double)L.occupation[s] * (double)L.rate[s][k],
                             (double)L.occupation[t] * (double)L.rate[t][back]), 1e-9);
            /* (1/2d) sum_s x_s sum_k Gamma(t -> s) X_v(t) |e_k|^2: the tracer on s */
            sum += n_s[s] * here * (double)L.jump_norm2[s][k] / L.metric_den;
        }
    sum *= 3.209e-10 * 3.209e-10 / (2.0 * L.dim);
    cr_expect_lt(REL(r->phys.D_uncorrelated, sum), 1e-13, "%.17g vs %.17g",
                 r->phys.D_uncorrelated, sum);
    cr_expect_neq(r->phys.X_v_site[1], r->phys.X_v_site[0]);
    free(r);
}

/* A corr run on hcp-mg with barriers in eV and no --Qm: accepted (it was refused for
 * the two lengths); D*_g = f_g D_g with the run's own f tensor. */
Test(physics_lattices, a_run_on_a_general_lattice, .timeout = 300)
{
    static hop_lattice L;
    hop_params p = hop_test_params("hcp", HOP_EST_CORR, HOP_MODEL_VACANCY, 4000, 5);
    char msg[300] = "";
    hop_result *r;
    L = *load("hcp-mg.lat");
    L.class_barrier[class_index(&L, "c")] = 0.03, L.class_barrier_ev[class_index(&L, "c")] = 1;
    cr_assert_eq(hop_lattice_apply_rates(&L, KB * 800), HOP_OK);
    p.lattice = &L;
    p.radius = 8;
    p.T = 800, p.Qf = 0.8, p.nu = 1e13, p.a = 3.209;
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
    cr_assert(p.physical);
    r = hop_test_run(&p);
    for (int g = 0; g < 2; ++g)
        cr_expect_lt(REL(r->phys.D_star_axis[g].value,
                         r->f_group[g].value * r->phys.D_uncorrelated_axis[g]), 1e-15);
    cr_expect_lt(REL(r->phys.D_star.value, r->f.value * r->phys.D_uncorrelated), 1e-15);
    hop_result_free(r);
    /* without eV barriers --Qm is still required */
    p = hop_test_params("hcp", HOP_EST_CORR, HOP_MODEL_VACANCY, 4000, 5);
    p.lattice = load("hcp-mg.lat");
    p.T = 800, p.Qf = 0.8, p.nu = 1e13, p.a = 3.209;
    cr_expect_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_ERR_INVAL);
    cr_expect(strstr(msg, "--Qm") != NULL, "%s", msg);
}

/* Refused: a site energy that makes the formation enthalpy Q_f + E_s <= 0 (X_v(s) >= 1
 * at high T), and --bond-energy on jumps of several lengths (it counts jumps as bonds). */
Test(physics_lattices, refusals)
{
    static hop_lattice L;
    hop_params p = hop_test_params("honeycomb", HOP_EST_CORR, HOP_MODEL_VACANCY, 4000, 5);
    char msg[300] = "";
    L = *load("honeycomb-ab.lat");
    L.site_energy[1] = -0.9, L.site_energy_ev[1] = 1;
    cr_assert_eq(hop_lattice_apply_rates(&L, KB * 800), HOP_OK);
    p.lattice = &L;
    p.T = 800, p.Qf = 0.8, p.Qm = 0.5, p.nu = 1e13, p.a = 2.46;
    cr_expect_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_ERR_INVAL);
    cr_expect(strstr(msg, "Q_f + E_B = -0.1 eV, must be > 0") != NULL, "%s", msg);
    p = hop_test_params("hcp", HOP_EST_CORR, HOP_MODEL_VACANCY, 8000, 5);
    p.lattice = load("pyrochlore-nnn.lat");
    p.T = 800, p.bond_energy = 0.2, p.nu = 1e13, p.a = 3;
    cr_expect_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_ERR_INVAL);
    cr_expect(strstr(msg, "--bond-energy: the jumps of pyrochlore-nnn have several lengths")
              != NULL, "%s", msg);
}

/* The command line on a lattice with a site energy: the summary names X_v per sublattice
 * and the per-axis block; the JSON has X_v_sublattice, X_v_mean and D_star_<axis>. */
Test(physics_lattices, summary_and_json, .timeout = 300)
{
    char dir[64], json[128];
    hop_proc *pr;
    cJSON *res, *v;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/out.json", dir);
    pr = hop_run_list("run", "--lattice-file", HOP_SOURCE_DIR "/tests/lattices/hcp-mg.lat",
                      "--site-energy", "B=0.02eV", "--T", "800", "--Qf", "0.8", "--Qm", "0.4",
                      "--nu", "1e13", "--a", "3.209", "--replicas", "2400", "--radius", "8",
                      "--backend", "cpu", "--quiet", "--json", json, NULL);
    cr_assert_eq(pr->status, 0, "%s", pr->err);
    cr_expect(strstr(pr->out, "X_v(s) = X_v exp(-E_s/kT): A ") != NULL, "%s", pr->out);
    cr_expect(strstr(pr->out, "axis z (c axis): D_z (uncorrelated)") != NULL, "%s", pr->out);
    cr_expect(strstr(pr->out, "D*_x = f_x D_x = ") != NULL, "%s", pr->out);
    res = hop_test_results(json);
    v = cJSON_GetObjectItem(res, "X_v_sublattice");
    cr_assert_not_null(v);
    cr_expect_lt(REL(cJSON_GetObjectItem(v, "B")->valuedouble,
                     cJSON_GetObjectItem(v, "A")->valuedouble * exp(-0.02 / (KB * 800))), 1e-12);
    cr_expect_not_null(cJSON_GetObjectItem(res, "X_v_mean"));
    cr_expect_not_null(cJSON_GetObjectItem(res, "alpha_rms"));
    cr_expect_not_null(cJSON_GetObjectItem(cJSON_GetObjectItem(res, "D_star_z"), "value"));
    cr_expect_not_null(cJSON_GetObjectItem(res, "Q_D_x"));
    cJSON_Delete(res);
    remove_dir(dir);
}

/* A chain of alternating bonds (sites at 0 and 1 of a cell of 3: bonds of length 1 and
 * 2): the vacancy's jumps from A are +1 and -2, a mean direction, so its successive
 * jumps are correlated and D_sigma is not the uncorrelated D (the exact D of this walk
 * is 1.5^2 = 2.25 per bond rate against D_unc = 2.5).  corr reports no D_sigma and no
 * Haven ratio there; on the plain chain both stay exact. */
Test(physics_lattices, a_drifting_vacancy_has_no_exact_D_sigma)
{
    static const char text[] = "hop-lattice 2\nname chain-ab\ndim 1\ncell 3\naxis x 1 1\n"
                               "site 0 A\nsite 1 B\njump A 1\njump A -2\njump B -1\njump B 2\n";
    static hop_lattice L;
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    char msg[300] = "";
    hop_result *r;
    cr_assert_not_null(f);
    cr_assert_eq(hop_lattice_parse(f, "mem.lat", &L, msg, sizeof msg), HOP_OK, "%s", msg);
    fclose(f);
    r = with_f(&L, 1000, 1.0, 0.5);
    cr_expect(isnan(r->phys.D_sigma.value) && !r->phys.D_sigma_exact && isnan(r->haven.value),
              "D_sigma %g", r->phys.D_sigma.value);
    cr_expect(isfinite(r->phys.D_star.value));
    free(r);
    r = with_f(hop_lattice_find("chain"), 1000, 1.0, 0.5);
    cr_expect(r->phys.D_sigma_exact && r->phys.D_sigma.value == r->phys.D_uncorrelated);
    cr_expect_eq(r->haven.value, r->f.value);
    free(r);
}

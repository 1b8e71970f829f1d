/* test_exact.c: the exact solver (host/stats/exact.c) against the exact values of
 * docs/estimators.md, the identities of the solute model (equal rates are the tracer; the
 * vacancy-wind ratio does not depend on w2), Manning's closed form within its known
 * error, the honesty of the extrapolation's bound (a larger radius lies inside it; hcp-mg
 * at c/basal 0.1 with boxes shaped to the vacancy's walk, whose shape is checked to be
 * exact from box to box), the
 * corr estimator at the same truncation radius (within its sigma, no extrapolation),
 * the memory limit held with what a scan's cache keeps (it lets go rather than pass
 * it, with the same bits), and the refusals (memory, bad radius, a singular system,
 * models it does not cover, on the command line: exit 2, one line, nothing written).  The 3D accuracy runs once
 * per lattice at the default radius (a few seconds each).  General lattices (at the
 * end): the new built-ins against the corr Monte Carlo of the regression record,
 * honeycomb with a site energy, hcp at real and ideal c/a (two jump lengths), and a
 * supercell of sc with eight labels. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hop/hop.h"
#include "exact_helper.h"
#include "json_helper.h"
#include "lattice/file.h"
#include "lattice/rates.h"
#include "models/solute.h"
#include "run_helper.h"
#include "usage_helper.h"
#include "stats/exact.h"
#include "run/exact_run.h"

#define GIB 1073741824.0

static hop_exact_result solve(const char *lattice, const hop_rates *R, double radius)
{
    const hop_lattice *L = hop_lattice_find(lattice);
    hop_exact_problem pb;
    hop_exact_result r;
    hop_status s;
    cr_assert_not_null(L);
    memset(&pb, 0, sizeof pb);
    pb.lattice = L;
    pb.rates = R;
    pb.max_bytes = 2 * GIB;
    s = hop_exact_solve(&pb, radius > 0 ? radius : hop_exact_default_radius(L), 5, &r);
    cr_assert_eq(s, HOP_OK, "%s: status %d", lattice, (int)s);
    return r;
}

/* |f - ref| <= 1e-7 with the printed bound below 1e-7, and the reference inside the
 * bound widened by the reference's own rounding (8 decimals: 5e-9). */
static void expect_exact(const char *lattice, double ref, double rounding)
{
    const hop_exact_result r = solve(lattice, NULL, 0);
    const hop_lattice *L = hop_lattice_find(lattice);
    cr_expect(fabs(r.f.value - ref) <= 1e-7, "%s: f %.10f, reference %.10f", lattice,
              r.f.value, ref);
    cr_expect(r.f.error_bound <= 1e-7, "%s: bound %.2e", lattice, r.f.error_bound);
    cr_expect(fabs(r.f.value - ref) <= r.f.error_bound + rounding,
              "%s: f %.10f off %.10f by %.2e, more than the bound %.2e", lattice, r.f.value,
              ref, fabs(r.f.value - ref), r.f.error_bound);
    for (int g = 0; g < L->n_groups; ++g)
        cr_expect(fabs(r.f_group[g].value - ref) <= 1e-7, "%s: f_%s %.10f", lattice,
                  L->group_name[g], r.f_group[g].value);
}

Test(exact_reference, square) { expect_exact("square", 1.0 / (3.14159265358979323846 - 1), 1e-12); }
Test(exact_reference, honeycomb) { expect_exact("honeycomb", 1.0 / 3, 1e-12); }
Test(exact_reference, diamond, .timeout = 120) { expect_exact("diamond", 0.5, 1e-12); }
Test(exact_reference, sc, .timeout = 120) { expect_exact("sc", 0.65310884, 5e-9); }
Test(exact_reference, bcc, .timeout = 120) { expect_exact("bcc", 0.72719414, 5e-9); }
Test(exact_reference, fcc, .timeout = 120) { expect_exact("fcc", 0.78145142, 5e-9); }

/* The chain: the vacancy always comes back from the side it left, f = 0. */
Test(exact_reference, chain_is_zero)
{
    const hop_exact_result r = solve("chain", NULL, 0);
    cr_expect(fabs(r.f.value) <= 1e-10, "chain: f %.3e", r.f.value);
    cr_expect(isnan(r.drag.value), "chain: no drag ratio where f = 0 (got %g)", r.drag.value);
}

/* With equal rates the self-diffusion drag ratio is -1/f (exact.h): the vacancy's own
 * jumps have zero mean, so only the exchange itself correlates. */
Test(exact_solute, equal_rates_are_the_tracer)
{
    hop_params p;
    hop_rates R;
    hop_exact_result vac, sol;
    memset(&p, 0, sizeof p);
    p.lattice = hop_lattice_find("fcc");
    for (int i = 0; i < 5; ++i)
        p.w[i] = 1;
    hop_solute_rates(&p, &R);
    vac = solve("fcc", NULL, 12);
    sol = solve("fcc", &R, 12);
    for (int k = 0; k < vac.n_radii; ++k) {
        cr_expect(fabs(vac.at[k].f - sol.at[k].f) <= 1e-12, "R %g: f %.14f vs f2 %.14f",
                  vac.radius[k], vac.at[k].f, sol.at[k].f);
        cr_expect(fabs(sol.at[k].drag + 1 / sol.at[k].f) <= 1e-10, "R %g: drag %.12f, -1/f %.12f",
                  vac.radius[k], sol.at[k].drag, -1 / sol.at[k].f);
    }
}

static hop_exact_result solute(const char *lattice, double w0, double w1, double w2, double w3,
                               double w4, double radius)
{
    hop_params p;
    hop_rates R;
    memset(&p, 0, sizeof p);
    p.lattice = hop_lattice_find(lattice);
    p.w[0] = w0; p.w[1] = w1; p.w[2] = w2; p.w[3] = w3; p.w[4] = w4;
    hop_solute_rates(&p, &R);
    return solve(lattice, &R, radius);
}

/* Manning's f2 (1964) is exact but for its F(w4/w0), known to within about 1e-4
 * (Manning; Koiwa & Ishioka). */
Test(exact_solute, manning_within_its_error, .timeout = 120)
{
    static const double w[][5] = {{1, 1, 5, 1, 1}, {1, 2, 3, 0.5, 2}, {1, 0.1, 1, 3, 0.5}};
    for (int i = 0; i < 3; ++i) {
        const hop_exact_result r = solute("fcc", w[i][0], w[i][1], w[i][2], w[i][3], w[i][4], 12);
        const double m = hop_manning_f2(w[i][0], w[i][1], w[i][2], w[i][3], w[i][4]);
        cr_expect(fabs(r.f.value - m) <= 1e-4 + r.f.error_bound,
                  "w %g %g %g %g %g: exact f2 %.8f, Manning %.8f", w[i][0], w[i][1], w[i][2],
                  w[i][3], w[i][4], r.f.value, m);
        cr_expect(r.f.error_bound < 1e-6, "bound %.2e", r.f.error_bound);
    }
}

/* w2 only sets how often the pair exchanges; the vacancy-wind ratio is independent of
 * it (Allnatt & Lidiard, ch. 5: L_AB/L_BB has no w2), while f2 is not. */
Test(exact_solute, drag_independent_of_w2)
{
    const hop_exact_result a = solute("fcc", 1, 2, 0.3, 0.5, 2, 12);
    const hop_exact_result b = solute("fcc", 1, 2, 7.0, 0.5, 2, 12);
    cr_expect(fabs(a.drag.value - b.drag.value) <= 1e-8 + a.drag.error_bound + b.drag.error_bound,
              "drag %.10f vs %.10f", a.drag.value, b.drag.value);
    cr_expect(fabs(a.f.value - b.f.value) > 0.1, "f2 %.6f vs %.6f", a.f.value, b.f.value);
}

/* A pair bound tightly (w4/w3 = 1000) with a fast swing (w1 = 100 w2) moves as one:
 * each solute jump is followed by the vacancy's return to the solute's side, so the
 * vacancy's displacement equals the solute's, L_sv/L_ss -> +1 (the drag sign), up to the
 * O(w2/w1) share of jumps not yet followed; f2 -> 2 w1 / (2 w1 + 2 w2). */
Test(exact_solute, bound_pair_moves_as_one)
{
    const hop_exact_result r = solute("fcc", 1, 100, 1, 0.001, 1, 12);
    cr_expect(fabs(r.drag.value - 1) < 1e-3, "drag ratio %.8f", r.drag.value);
    cr_expect(fabs(r.f.value - 200.0 / 202.0) < 1e-4, "f2 %.8f, 2 w1/(2 w1 + 2 w2) %.8f",
              r.f.value, 200.0 / 202.0);
}

/* The bound at a modest radius contains the value at twice the radius. */
Test(exact_bound, larger_radius_inside, .timeout = 120)
{
    const hop_exact_result small = solve("sc", NULL, 8), large = solve("sc", NULL, 16);
    cr_expect(fabs(small.f.value - large.f.value) <= small.f.error_bound,
              "sc: f %.10f (bound %.2e) at R %g, %.10f at R %g", small.f.value,
              small.f.error_bound, small.radius[small.n_radii - 1], large.f.value,
              large.radius[large.n_radii - 1]);
    cr_expect(large.f.error_bound < small.f.error_bound);
}

/* The corr estimator truncated at radius R against the exact chain on the same ball:
 * within 4 sigma, nothing extrapolated. */
Test(exact_corr, same_truncation_radius, .timeout = 120)
{
    const double R = 4;
    hop_params p = hop_test_params("sc", HOP_EST_CORR, HOP_MODEL_VACANCY, 400000, 11);
    hop_exact_problem pb;
    hop_exact_chain c;
    hop_exact_values v;
    hop_result *r;
    p.radius = R;
    p.shells = 2;
    r = hop_test_run(&p);
    memset(&pb, 0, sizeof pb);
    pb.lattice = p.lattice;
    pb.max_bytes = GIB;
    cr_assert_eq(hop_exact_chain_solve(&pb, R, &c), HOP_OK);
    cr_assert_eq(hop_exact_values_of(p.lattice, &c, &v), HOP_OK);
    cr_expect(r->f.sigma < 2e-3, "sigma %g", r->f.sigma);
    cr_expect(fabs(r->f_shell[1].value - v.f) <= 4 * r->f_shell[1].sigma,
              "corr at R %g: %.6f +- %.6f, exact chain %.8f", R, r->f_shell[1].value,
              r->f_shell[1].sigma, v.f);
    /* And the truncation is visible: the chain at R is not the extrapolated f. */
    cr_expect(fabs(v.f - 0.65310884) > 1e-3, "f(R=4) %.6f", v.f);
    hop_result_free(r);
}

/* A radius that needs more memory than allowed is refused before any work, with the
 * amount in the message. */
static char last_message[512];
static void keep_message(hop_status s, const char *m)
{
    (void)s;
    snprintf(last_message, sizeof last_message, "%s", m);
}

Test(exact_refusal, too_large_for_memory)
{
    hop_exact_problem pb;
    hop_exact_chain c;
    hop_error_handler *old = hop_set_error_handler(keep_message);
    memset(&pb, 0, sizeof pb);
    pb.lattice = hop_lattice_find("fcc");
    pb.max_bytes = 0.01 * GIB;
    cr_expect_eq(hop_exact_chain_solve(&pb, 200, &c), HOP_ERR_NOMEM);
    cr_expect(strstr(last_message, "GiB") != NULL, "message: %s", last_message);
    pb.box = 1;
    cr_expect_eq(hop_exact_chain_solve(&pb, 0.5, &c), HOP_ERR_INVAL);
    hop_set_error_handler(old);
}

/* A radius too large for memory is refused before any box is solved, naming the
 * largest box (the user's radius), not after the smaller ones: with room for the
 * smallest of sc's five boxes only, the refusal names the largest (16.5), which the
 * smallest-first order named the second (10.5). */
Test(exact_refusal, largest_box_refused_first, .timeout = 60)
{
    hop_exact_problem pb;
    hop_exact_chain *c = malloc(sizeof *c);
    hop_exact_result *r = malloc(sizeof *r);
    hop_error_handler *old = hop_set_error_handler(keep_message);
    char want[64];
    double radius[HOP_EXACT_MAX_RADII], least;
    memset(&pb, 0, sizeof pb);
    pb.lattice = hop_lattice_find("sc");
    pb.max_bytes = GIB;
    pb.box = 1;
    cr_assert(hop_exact_radii(pb.lattice, 16, 5, radius, &least));
    cr_assert_eq(hop_exact_chain_solve(&pb, radius[0], c), HOP_OK);
    pb.max_bytes = 1.01 * c->factor_bytes;
    cr_expect_eq(hop_exact_solve(&pb, 16, 5, r), HOP_ERR_NOMEM);
    snprintf(want, sizeof want, "radius %g:", radius[4] + 0.5);
    cr_expect(strstr(last_message, want) != NULL, "want '%s' in: %s", want, last_message);
    hop_set_error_handler(old);
    free(c);
    free(r);
}

/* The two amounts ("... N GiB ... M GiB allowed") of a memory refusal, as printed. */
static void refusal_amounts(const char *m, char *needed, char *allowed, size_t n)
{
    char *amount[2] = {needed, allowed};
    const char *at = m;
    for (int i = 0; i < 2; ++i) {
        const char *unit = strstr(at, " GiB"), *start;
        cr_assert_not_null(unit, "no amount in GiB: %s", m);
        start = unit;
        while (start > m && (start[-1] == '.' || (start[-1] >= '0' && start[-1] <= '9')))
            --start;
        cr_assert_lt(start, unit, "no number before GiB: %s", m);
        snprintf(amount[i], n, "%.*s", (int)(unit - start), start);
        at = unit + 4;
    }
}

/* Near the limit the refusal's two amounts differ as printed: with room for just under
 * the factorisation of sc's smallest box, both read 0.00 GiB (two decimals; at 2 GiB it
 * could read "needs at least 2.00 GiB, more than the 2.00 GiB allowed"). */
Test(exact_refusal, amounts_near_the_limit_differ, .timeout = 60)
{
    hop_exact_problem pb;
    hop_exact_chain *c = malloc(sizeof *c);
    hop_error_handler *old = hop_set_error_handler(keep_message);
    char needed[32], allowed[32];
    double radius[HOP_EXACT_MAX_RADII], least;
    memset(&pb, 0, sizeof pb);
    pb.lattice = hop_lattice_find("sc");
    pb.max_bytes = GIB;
    pb.box = 1;
    cr_assert(hop_exact_radii(pb.lattice, 16, 5, radius, &least));
    cr_assert_eq(hop_exact_chain_solve(&pb, radius[0], c), HOP_OK);
    pb.max_bytes = c->factor_bytes * (1 - 1e-6);
    cr_assert_eq(hop_exact_chain_solve(&pb, radius[0], c), HOP_ERR_NOMEM);
    refusal_amounts(last_message, needed, allowed, sizeof needed);
    cr_expect_str_neq(needed, allowed, "the two amounts read the same: %s", last_message);
    cr_expect_gt(strtod(needed, NULL), strtod(allowed, NULL), "%s", last_message);
    hop_set_error_handler(old);
    free(c);
}

/* A rate table under which the vacancy cannot move (every rate 0) makes the system
 * singular: refused as such, not solved. */
Test(exact_refusal, singular_system)
{
    hop_lattice L = *hop_lattice_find("square");
    hop_exact_problem pb;
    hop_exact_chain c;
    hop_error_handler *old = hop_set_error_handler(keep_message);
    for (int k = 0; k < L.z; ++k)
        L.rate[0][k] = 0;
    L.rate_total[0] = 1;           /* per-jump rates on, all of them zero */
    memset(&pb, 0, sizeof pb);
    pb.lattice = &L;
    pb.max_bytes = GIB;
    pb.box = 1;
    cr_expect_eq(hop_exact_chain_solve(&pb, 8, &c), HOP_ERR_NUMERIC);
    cr_expect(strstr(last_message, "singular") != NULL, "message: %s", last_message);
    hop_set_error_handler(old);
}

/* A class at rate 0 that splits the network (square's y jumps: the vacancy cannot leave
 * the tracer's row, the y neighbours cannot move at all) is refused as singular.  The
 * command line cannot produce one (rates are positive, a disconnected lattice file is
 * refused); the library says so. */
Test(exact_refusal, splitting_class_is_singular)
{
    hop_lattice L = *hop_lattice_find("square");
    hop_exact_problem pb;
    hop_exact_result *r = malloc(sizeof *r);
    hop_error_handler *old = hop_set_error_handler(keep_message);
    for (int k = 0; k < L.z; ++k)
        L.rate[0][k] = L.jump[0][k][1] != 0 ? 0 : UINT64_C(1) << 32;
    L.rate_total[0] = UINT64_C(2) << 32;
    memset(&pb, 0, sizeof pb);
    pb.lattice = &L;
    pb.max_bytes = GIB;
    cr_expect_eq(hop_exact_solve(&pb, 64, 5, r), HOP_ERR_NUMERIC);
    cr_expect(strstr(last_message, "is singular") != NULL, "message: %s", last_message);
    hop_set_error_handler(old);
    free(r);
}

Test(exact_cli, models_and_units_it_does_not_cover)
{
    static const char *const gas[] = {"--estimator", "exact", "--model", "gas", NULL};
    static const char *const random[] = {"--estimator", "exact", "--model", "random", NULL};
    static const char *const sc_solute[] = {"--estimator", "exact", "--model", "solute",
                                            "--lattice", "sc", "--w0", "1", "--w1", "1", "--w2",
                                            "1", "--w3", "1", "--w4", "1", NULL};
    static const char *const no_Qf[] = {"--estimator", "exact", "--lattice", "fcc", "--T",
                                        "1000", "--Qm", "0.7", "--nu", "1e13", "--a", "3.615",
                                        NULL};
    static const char *const no_E2[] = {"--estimator", "exact", "--model", "solute",
                                        "--lattice", "fcc", "--T", "1000", "--Qf", "1.28",
                                        "--Qm", "0.7", "--nu", "1e13", "--a", "3.615", "--E1",
                                        "0.7", "--E3", "0.7", "--E4", "0.7", NULL};
    hop_expect_usage_error("gas", gas);
    hop_expect_usage_error("random", random);
    hop_expect_usage_error("fcc and bcc", sc_solute);
    /* physical units are checked as for a corr run, not silently ignored */
    hop_expect_usage_error("--Qf", no_Qf);
    hop_expect_usage_error("--E2", no_E2);
}

/* ------------------------------------------------------------- physical units --- */

/* The copper-like parameters of docs/units.md, and a solute's barriers. */
#define PHYS "--T", "1000", "--Qf", "1.28", "--Qm", "0.7", "--Sf", "1.5", "--Sm", "0.5", \
             "--nu", "1e13", "--a", "3.615"

static double number_at(const cJSON *o, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b)
        x = cJSON_GetObjectItemCaseSensitive(x, b);
    cr_assert(cJSON_IsNumber(x), "no number at %s.%s", a, b ? b : "");
    return x->valuedouble;
}

/* The exact run's SI numbers are the corr run's formula applied to the exact f: the
 * corr run's D* / f (and D0 / f) times the exact f, its bound f's bound times the same
 * factor.  Relative 1e-14: one rounding of the division apart. */
static void expect_si_of_exact_f(const cJSON *res, const char *D, const hop_result *corr)
{
    const cJSON *phys = cJSON_GetObjectItemCaseSensitive(res, "physical");
    const double f = number_at(res, "f", "value"), bound = number_at(res, "f", "error_bound");
    const double per_f = corr->phys.D_star.value / corr->f.value;
    const double D0_per_f = corr->phys.D0 / corr->f.value;
    cr_assert_not_null(phys, "no results.physical");
    cr_expect(fabs(number_at(phys, D, "value") - per_f * f) <= 1e-14 * per_f * f,
              "%s %.17g, corr's formula %.17g", D, number_at(phys, D, "value"), per_f * f);
    cr_expect(fabs(number_at(phys, D, "error_bound") - per_f * bound) <= 1e-14 * per_f * bound,
              "%s bound %.6g, f's bound times D/f %.6g", D, number_at(phys, D, "error_bound"),
              per_f * bound);
    cr_expect(fabs(number_at(phys, "D0", "value") - D0_per_f * f) <= 1e-14 * D0_per_f * f,
              "D0 %.17g, corr's %.17g", number_at(phys, "D0", "value"), D0_per_f * f);
    cr_expect_eq(number_at(phys, "X_v", NULL), corr->phys.X_v);
}

static cJSON *exact_json(const char *const *args)
{
    char dir[64], json[128];
    const char *argv[40];
    hop_proc *r;
    cJSON *res;
    int n = 0;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/out.json", dir);
    argv[n++] = "run";
    while (*args)
        argv[n++] = *args++;
    argv[n++] = "--quiet";
    argv[n++] = "--json";
    argv[n++] = json;
    argv[n] = NULL;
    r = hop_run_args(argv);
    cr_assert_eq(r->status, 0, "exit %d, stderr:\n%s", r->status, r->err);
    cr_expect(strstr(r->out, "m^2/s") != NULL, "the summary gives SI units:\n%s", r->out);
    res = hop_test_results(json);
    remove_dir(dir);
    return res;
}

Test(exact_physical, vacancy_si_is_the_corr_formula_of_exact_f, .timeout = 60)
{
    static const char *const args[] = {"--estimator", "exact", "--lattice", "bcc", "--radius",
                                       "10", PHYS, NULL};
    cJSON *res = exact_json(args);
    hop_params p = hop_test_params("bcc", HOP_EST_CORR, HOP_MODEL_VACANCY, 4096, 3);
    hop_result *corr;
    p.T = 1000; p.Qf = 1.28; p.Qm = 0.7; p.Sf = 1.5; p.Sm = 0.5; p.nu = 1e13; p.a = 3.615;
    corr = hop_test_run(&p);
    expect_si_of_exact_f(res, "D_star", corr);
    cr_expect_eq(number_at(cJSON_GetObjectItemCaseSensitive(res, "physical"), "Q_D", NULL), 1.98);
    hop_result_free(corr);
    cJSON_Delete(res);
}

/* On an anisotropic lattice (hcp: basal x, z) the SI output gives D*, D0 and Q per
 * principal axis as a corr run does, each the corr run's formula applied to the exact
 * f of that axis (D*_g = f_g D_g), its bound f_g's bound times D_g; the axes' mean is
 * the scalar D* (two x axes, one z). */
Test(exact_physical, per_axis_si_is_the_corr_formula_of_exact_f, .timeout = 60)
{
    static const char *const args[] = {"--estimator", "exact", "--lattice", "hcp", "--radius",
                                       "8", PHYS, NULL};
    cJSON *res = exact_json(args);
    const cJSON *phys = cJSON_GetObjectItemCaseSensitive(res, "physical");
    hop_params p = hop_test_params("hcp", HOP_EST_CORR, HOP_MODEL_VACANCY, 4096, 3);
    hop_result *corr;
    double mean = 0;
    p.T = 1000; p.Qf = 1.28; p.Qm = 0.7; p.Sf = 1.5; p.Sm = 0.5; p.nu = 1e13; p.a = 3.615;
    corr = hop_test_run(&p);
    cr_assert_eq(corr->n_groups, 2);
    for (int g = 0; g < corr->n_groups; ++g) {
        const char *a = p.lattice->group_name[g];
        char f_key[16], D_key[32], D0_key[32];
        double f, bound, D_g, D0_per_f;
        snprintf(f_key, sizeof f_key, "f_%s", a);
        snprintf(D_key, sizeof D_key, "D_star_%s", a);
        snprintf(D0_key, sizeof D0_key, "D0_%s", a);
        f = number_at(res, f_key, "value");
        bound = number_at(res, f_key, "error_bound");
        D_g = corr->phys.D_uncorrelated_axis[g];
        D0_per_f = corr->phys.D0_axis[g] / corr->f_group[g].value;
        snprintf(D0_key, sizeof D0_key, "D_uncorrelated_%s", a);
        cr_expect_eq(number_at(phys, D0_key, NULL), D_g, "%s", D0_key);
        snprintf(D0_key, sizeof D0_key, "D0_%s", a);
        cr_expect(fabs(number_at(phys, D_key, "value") - f * D_g) <= 1e-14 * f * D_g,
                  "%s %.17g, f_%s D_%s %.17g", D_key, number_at(phys, D_key, "value"), a, a,
                  f * D_g);
        cr_expect(fabs(number_at(phys, D_key, "error_bound") - bound * D_g) <= 1e-14 * bound * D_g,
                  "%s bound %.6g, f_%s's bound times D_%s %.6g", D_key,
                  number_at(phys, D_key, "error_bound"), a, a, bound * D_g);
        cr_expect(fabs(number_at(phys, D0_key, "value") - D0_per_f * f) <= 1e-14 * D0_per_f * f,
                  "%s %.17g, corr's %.17g", D0_key, number_at(phys, D0_key, "value"),
                  D0_per_f * f);
        mean += (g == 0 ? 2.0 : 1.0) / 3.0 * number_at(phys, D_key, "value");
    }
    cr_expect(fabs(mean - number_at(phys, "D_star", "value")) <= 1e-12 * mean,
              "the axes' mean %.17g, D* %.17g", mean, number_at(phys, "D_star", "value"));
    hop_result_free(corr);
    cJSON_Delete(res);
}

/* The solute: the barriers set the rates the exact solver solves with (f2 differs from
 * the equal-rate f), D2 is the corr run's formula of the exact f2, and L_ss/n_s =
 * D2/kT, L_sv = L_ss times the drag ratio. */
Test(exact_physical, solute_si_is_the_corr_formula_of_exact_f2, .timeout = 60)
{
    static const char *const args[] = {"--estimator", "exact", "--model", "solute", "--lattice",
                                       "fcc", "--radius", "11.4", PHYS, "--E1", "0.65", "--E2",
                                       "0.6", "--E3", "0.75", "--E4", "0.7", NULL};
    cJSON *res = exact_json(args);
    const cJSON *phys = cJSON_GetObjectItemCaseSensitive(res, "physical");
    hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_SOLUTE, 4096, 3);
    hop_result *corr;
    double D2, kT;
    p.T = 1000; p.Qf = 1.28; p.Qm = 0.7; p.Sf = 1.5; p.Sm = 0.5; p.nu = 1e13; p.a = 3.615;
    p.E[1] = 0.65; p.E[2] = 0.6; p.E[3] = 0.75; p.E[4] = 0.7;
    corr = hop_test_run(&p);
    expect_si_of_exact_f(res, "D2", corr);
    cr_expect(fabs(number_at(res, "f", "value") - 0.78145142) > 0.1, "f2 %.8f: the rates "
              "from the barriers were not used", number_at(res, "f", "value"));
    cr_expect(fabs(number_at(res, "f", "value") - corr->f.value) <= 4 * corr->f.sigma + corr->f.bias,
              "exact f2 %.6f, corr %.6f +- %.2g", number_at(res, "f", "value"), corr->f.value,
              corr->f.sigma);
    D2 = number_at(phys, "D2", "value");
    kT = 1.380649e-23 * 1000;
    cr_expect(fabs(number_at(phys, "L_ss_over_ns", "value") - D2 / kT) <= 1e-14 * D2 / kT);
    cr_expect(fabs(number_at(phys, "L_sv_over_ns", "value")
                   - D2 / kT * number_at(res, "drag_ratio", "value")) <= 1e-14 * D2 / kT);
    hop_result_free(corr);
    cJSON_Delete(res);
}

/* A scan over T solves once and reuses f for every temperature (only the units
 * differ): the later rows carry the first's f to the digit, wall_s 0, run_point 1, and
 * D* at T follows the Arrhenius law D0 exp(-Q/kT) of the first's D0. */
Test(exact_physical, scan_over_T_reuses_f, .timeout = 60)
{
    char dir[64], csv[128], *text, *line;
    char f[3][32];
    double T[3], D[3], D0[3];
    int rows = 0;
    hop_proc *r;
    make_dir(dir, sizeof dir);
    snprintf(csv, sizeof csv, "%s/s.csv", dir);
    r = hop_run_list("scan", "--out", csv, "--quiet", "--estimator", "exact", "--lattice", "bcc",
                     "--radius", "10", "--T", "800,1000,1200", "--Qf", "1.28", "--Qm", "0.7",
                     "--nu", "1e13", "--a", "3.615", NULL);
    cr_assert_eq(r->status, 0, "exit %d, stderr:\n%s", r->status, r->err);
    text = read_whole_file(csv);
    cr_assert_not_null(text);
    for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *field[48], *save = NULL;
        int n = 0;
        if (line[0] == '#' || strncmp(line, "point", 5) == 0)
            continue;
        for (char *x = strtok_r(line, ",", &save); x && n < 48; x = strtok_r(NULL, ",", &save))
            field[n++] = x;
        /* 28, then bcc's three axes (axisN, f, bound, D*, bound) */
        cr_assert_eq(n, 43, "row %d has %d columns", rows + 1, n);
        cr_assert_lt(rows, 3);
        snprintf(f[rows], sizeof f[rows], "%s", field[11]);
        T[rows] = atof(field[20]);
        D[rows] = atof(field[21]);
        D0[rows] = atof(field[23]);
        cr_expect_eq(atol(field[25]), 1, "row %d reports point %s", rows + 1, field[25]);
        if (rows > 0)
            cr_expect_eq(atof(field[19]), 0.0, "row %d was solved again (%s s)", rows + 1,
                         field[19]);
        ++rows;
    }
    cr_assert_eq(rows, 3);
    for (int k = 1; k < 3; ++k) {
        const double arrhenius = D0[0] * exp(-1.98 / (8.617333262e-5 * T[k]));
        cr_expect_str_eq(f[k], f[0]);
        cr_expect(fabs(D[k] - arrhenius) <= 1e-9 * arrhenius, "T %g: D* %.12g, D0 exp(-Q/kT) "
                  "%.12g", T[k], D[k], arrhenius);
    }
    free(text);
    remove_dir(dir);
}

/* Too large for memory: exit 2, one line that says how much is needed, nothing written. */
Test(exact_cli, radius_too_large_for_memory)
{
    char dir[64], json[128];
    hop_proc *r;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/out.json", dir);
    r = hop_run_list("run", "--estimator", "exact", "--lattice", "fcc", "--radius", "3000",
                     "--quiet", "--json", json, NULL);
    cr_expect_eq(r->status, 2, "exit %d, stderr:\n%s", r->status, r->err);
    cr_expect(strstr(r->err, "GiB") && strchr(r->err, '\n') == r->err + strlen(r->err) - 1,
              "one line naming the memory:\n%s", r->err);
    cr_expect_str_eq(r->out, "");
    cr_expect_eq(count_entries(dir), 0, "no file written");
    remove_dir(dir);
}

/* A radius too small for five boxes of whole cells ([exact]: fcc --radius 9 said "at
 * least 9.9" and 6 said "at least 8.49", neither of which the rule accepts): the least
 * printed is the rule's own, 8 cells of sqrt(2) on fcc = 11.3137 rounded up to 11.32,
 * for 9 and for 6 alike; 11.32 given back runs, 11.31 (7.997 cells) is refused; sc's
 * least is 8 cells of 1, square's 5 (2D spans a factor 4). */
static void least_radius(const char *lattice, const char *radius, const char *least)
{
    hop_params p;
    char msg[256], want[64];
    hop_params_default(&p);
    p.lattice = hop_lattice_find(lattice);
    p.estimator = HOP_EST_EXACT;
    p.radius = atof(radius);
    cr_assert_eq(hop_exact_run_check(&p, msg, sizeof msg), HOP_ERR_INVAL, "%s %s", lattice,
                 radius);
    snprintf(want, sizeof want, "at least %s jump lengths)", least);
    cr_assert_not_null(strstr(msg, want), "%s --radius %s: %s", lattice, radius, msg);
    hop_params_default(&p);
    p.lattice = hop_lattice_find(lattice);
    p.estimator = HOP_EST_EXACT;
    p.radius = atof(least);
    cr_assert_eq(hop_exact_run_check(&p, msg, sizeof msg), HOP_OK, "%s --radius %s: %s",
                 lattice, least, msg);
}

Test(exact_cli, too_small_radius_states_the_least_the_rule_accepts)
{
    hop_proc *r;
    least_radius("fcc", "9", "11.32");
    least_radius("fcc", "6", "11.32");
    least_radius("fcc", "11.31", "11.32");
    least_radius("sc", "7.9", "8");
    least_radius("square", "4", "5");
    r = hop_run_list("run", "--estimator", "exact", "--lattice", "fcc", "--radius", "9", NULL);
    cr_expect_eq(r->status, 2, "exit %d", r->status);
    cr_expect(strstr(r->err, "hop: --radius: 9 is too small for --estimator exact on fcc (5 "
                     "boxes of whole cells: at least 11.32 jump lengths)\n"), "%s", r->err);
}

/* The exact solver uses no backend: a scan of it does not say which one auto chose. */
Test(exact_cli, scan_has_no_backend_note)
{
    char dir[64], csv[128];
    hop_proc *r;
    make_dir(dir, sizeof dir);
    snprintf(csv, sizeof csv, "%s/s.csv", dir);
    r = hop_run_list("scan", "--out", csv, "--estimator", "exact", "--lattice", "square",
                     "--radius", "8,10", NULL);
    cr_assert_eq(r->status, 0, "exit %d, stderr:\n%s", r->status, r->err);
    cr_expect_null(strstr(r->err, "backend"), "stderr:\n%s", r->err);
    cr_expect_not_null(strstr(r->err, "point 2/2"), "the scan reports its points:\n%s", r->err);
    remove_dir(dir);
}

/* Field `name` of CSV line `row` (0: the header, the line after the two comments) of
 * the file at path, into out (NUL-terminated; "" when absent). */
static void csv_field(const char *path, int row, const char *name, char *out, size_t n)
{
    char line[2][8192];
    int col = -1, at = -2;
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "no %s", path);
    out[0] = 0;
    while (fgets(line[at >= 0], sizeof line[0], f)) {
        if (line[at >= 0][0] == '#')
            continue;
        if (col < 0) {                          /* the header */
            char *tok = strtok(line[0], ",\n");
            for (int k = 0; tok; ++k, tok = strtok(NULL, ",\n"))
                if (strcmp(tok, name) == 0)
                    col = k;
            cr_assert_geq(col, 0, "no column %s", name);
            at = 0;
            continue;
        }
        if (++at == row) {
            const char *c = line[1];
            for (int k = 0; k < col && c; ++k)
                c = strchr(c, ',') ? strchr(c, ',') + 1 : NULL;
            cr_assert_not_null(c, "row %d has no column %s", row, name);
            snprintf(out, n, "%.*s", (int)strcspn(c, ",\n"), c);
            break;
        }
    }
    fclose(f);
}

/* An exact scan over a lattice file's class rate has the rate's column and the f tensor
 * per principal axis, each axis's f the run's f_x, f_z (JSON) to the CSV's 12 digits;
 * a scan whose first point the solver refuses (memory) writes nothing: exit 2, one line. */
Test(exact_cli, scan_has_rate_and_axis_columns, .timeout = 60)
{
    char dir[64], csv[128], json[128], lat[256], v[64];
    cJSON *res;
    hop_proc *r;
    make_dir(dir, sizeof dir);
    snprintf(csv, sizeof csv, "%s/s.csv", dir);
    snprintf(json, sizeof json, "%s/r.json", dir);
    snprintf(lat, sizeof lat, "%s/tests/lattices/sc-tetragonal.lat", HOP_SOURCE_DIR);
    r = hop_run_list("scan", "--out", csv, "--estimator", "exact", "--lattice-file", lat,
                     "--rate", "c=0.25,4", "--radius", "8", "--quiet", NULL);
    cr_assert_eq(r->status, 0, "exit %d, stderr:\n%s", r->status, r->err);
    r = hop_run_list("run", "--json", json, "--estimator", "exact", "--lattice-file", lat,
                     "--rate", "c=4", "--radius", "8", "--quiet", NULL);
    cr_assert_eq(r->status, 0, "exit %d, stderr:\n%s", r->status, r->err);
    res = hop_test_results(json);
    csv_field(csv, 2, "rate_c", v, sizeof v);
    cr_expect_str_eq(v, "4");
    csv_field(csv, 2, "axis1", v, sizeof v);
    cr_expect_str_eq(v, "x");
    csv_field(csv, 2, "f_axis1", v, sizeof v);
    cr_expect(fabs(atof(v) - number_at(res, "f_x", "value")) <= 1e-11, "f_axis1 %s, f_x %.12g",
              v, number_at(res, "f_x", "value"));
    csv_field(csv, 2, "axis2", v, sizeof v);
    cr_expect_str_eq(v, "z");
    csv_field(csv, 2, "f_axis2", v, sizeof v);
    cr_expect(fabs(atof(v) - number_at(res, "f_z", "value")) <= 1e-11, "f_axis2 %s, f_z %.12g",
              v, number_at(res, "f_z", "value"));
    csv_field(csv, 2, "axis3", v, sizeof v);
    cr_expect_str_eq(v, "", "sc-tetragonal has two principal components");
    cJSON_Delete(res);
    remove_dir(dir);
    make_dir(dir, sizeof dir);
    snprintf(csv, sizeof csv, "%s/s.csv", dir);
    r = hop_run_list("scan", "--out", csv, "--estimator", "exact", "--lattice", "fcc",
                     "--radius", "3000", "--T", "800,900", "--Qf", "1", "--Qm", "0.5", "--nu",
                     "1e13", "--a", "3", "--quiet", NULL);
    cr_expect_eq(r->status, 2, "exit %d, stderr:\n%s", r->status, r->err);
    cr_expect(strstr(r->err, "GiB") && strchr(r->err, '\n') == r->err + strlen(r->err) - 1,
              "one line naming the memory:\n%s", r->err);
    cr_expect_eq(count_entries(dir), 0, "no file written");
    remove_dir(dir);
}

/* A scan's row is its point's `hop run`: over a lattice file's class rate (the whole
 * system factored per point, the states and analysis kept across points) every row's
 * f, bound, drag ratio and per-axis f print as the run's JSON values do at the CSV's
 * precision (the arithmetic is the same: exact_whole checks the bits). */
Test(exact_cli, scan_rows_are_the_runs, .timeout = 120)
{
    static const char *rate[3] = {"0.25", "1", "4"};
    static const struct { const char *csv, *json, *part, *format; } col[6] = {
        {"f", "f", "value", "%.12g"}, {"f_error_bound", "f", "error_bound", "%.3g"},
        {"drag_ratio", "drag_ratio", "value", "%.12g"},
        {"f_axis1", "f_x", "value", "%.12g"}, {"f_axis1_error_bound", "f_x", "error_bound", "%.3g"},
        {"f_axis2", "f_z", "value", "%.12g"}};
    char dir[64], csv[128], json[128], lat[256], v[64], want[64];
    hop_proc *r;
    make_dir(dir, sizeof dir);
    snprintf(csv, sizeof csv, "%s/s.csv", dir);
    snprintf(json, sizeof json, "%s/r.json", dir);
    snprintf(lat, sizeof lat, "%s/tests/lattices/sc-tetragonal.lat", HOP_SOURCE_DIR);
    r = hop_run_list("scan", "--out", csv, "--estimator", "exact", "--lattice-file", lat,
                     "--rate", "c=0.25,1,4", "--radius", "8", "--quiet", NULL);
    cr_assert_eq(r->status, 0, "exit %d, stderr:\n%s", r->status, r->err);
    for (int i = 0; i < 3; ++i) {
        char c_rate[16];
        cJSON *res;
        snprintf(c_rate, sizeof c_rate, "c=%s", rate[i]);
        r = hop_run_list("run", "--json", json, "--estimator", "exact", "--lattice-file", lat,
                         "--rate", c_rate, "--radius", "8", "--quiet", NULL);
        cr_assert_eq(r->status, 0, "exit %d, stderr:\n%s", r->status, r->err);
        res = hop_test_results(json);
        for (int k = 0; k < 6; ++k) {
            csv_field(csv, i + 1, col[k].csv, v, sizeof v);
            snprintf(want, sizeof want, col[k].format, number_at(res, col[k].json, col[k].part));
            cr_expect_str_eq(v, want, "c = %s, %s", rate[i], col[k].csv);
        }
        cJSON_Delete(res);
    }
    remove_dir(dir);
}

/* The command line's JSON carries f, f2 and drag_ratio as {value, error_bound}. */
Test(exact_cli, json_of_a_solute_run)
{
    char dir[64], json[128], *text;
    hop_proc *r;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/out.json", dir);
    r = hop_run_list("run", "--estimator", "exact", "--model", "solute", "--lattice", "fcc",
                     "--w0", "1", "--w1", "1", "--w2", "1", "--w3", "1", "--w4", "1",
                     "--radius", "11.4", "--quiet", "--json", json, NULL);
    cr_assert_eq(r->status, 0, "exit %d, stderr:\n%s", r->status, r->err);
    text = read_whole_file(json);
    cr_assert_not_null(text);
    cr_expect(strstr(text, "\"f2\"") && strstr(text, "\"drag_ratio\"")
              && strstr(text, "\"error_bound\"") && strstr(text, "\"f_x\""), "%s", text);
    free(text);
    remove_dir(dir);
}

/* ---------------------------------------------------- local rates and L_vv --- */

/* One chain of the solute model at `cells` cells, factored whole (cache NULL) or through
 * the far region's elimination kept in `cache`. */
static hop_exact_chain solute_chain(const char *lattice, const double *w, double w3p,
                                    double w3pp, int cells, hop_exact_cache *cache)
{
    hop_params p;
    hop_rates R;
    hop_exact_problem pb;
    hop_exact_chain c;
    memset(&p, 0, sizeof p);
    p.lattice = hop_lattice_find(lattice);
    memcpy(p.w, w, sizeof p.w);
    p.w3p = w3p;
    p.w3pp = w3pp;
    hop_solute_rates(&p, &R);
    memset(&pb, 0, sizeof pb);
    pb.lattice = p.lattice;
    pb.rates = &R;
    pb.max_bytes = GIB;
    pb.box = 1;
    pb.cache = cache;
    cr_assert_eq(hop_exact_chain_solve(&pb, cells * hop_exact_cell_edge(p.lattice), &c), HOP_OK);
    return c;
}

/* The elimination of the far region is exact algebra: the same chain as the whole
 * system's factorisation, to rounding (fcc five-frequency; bcc with Le Claire's three
 * outer rates, whose integer weights make pi consistent only to ~1e-10 relative, which
 * the two symmetrisations see differently: 1e-9, still far below the 1e-7 aimed at). */
Test(exact_local, same_chain_as_the_whole_system, .timeout = 60)
{
    static const double fcc_w[5] = {1, 2, 0.3, 0.5, 2}, bcc_w[5] = {1, 0, 3, 0.7, 1.5};
    const char *lattice[2] = {"fcc", "bcc"};
    const double *w[2] = {fcc_w, bcc_w};
    for (int l = 0; l < 2; ++l) {
        hop_exact_cache *cache = hop_exact_cache_alloc();
        const hop_exact_chain whole = solute_chain(lattice[l], w[l], l ? 0.4 : 0, l ? 2.5 : 0, 6,
                                                   NULL);
        const hop_exact_chain local = solute_chain(lattice[l], w[l], l ? 0.4 : 0, l ? 2.5 : 0, 6,
                                                   cache);
        cr_expect_eq(whole.n_states, local.n_states);
        cr_expect(isnan(whole.vv) && isfinite(local.vv), "vv %g (whole), %g (local)", whole.vv,
                  local.vv);
        for (int i = 0; i < whole.n_types; ++i) {
            for (int j = 0; j < whole.n_types; ++j)
                cr_expect(fabs(whole.P[i][j] - local.P[i][j]) <= 1e-9, "%s P[%d][%d] %.15f vs "
                          "%.15f", lattice[l], i, j, whole.P[i][j], local.P[i][j]);
            for (int d = 0; d < 3; ++d)
                cr_expect(fabs(whole.drift[i][d] - local.drift[i][d]) <= 1e-8, "%s u[%d][%d] "
                          "%.13f vs %.13f", lattice[l], i, d, whole.drift[i][d], local.drift[i][d]);
        }
        hop_exact_cache_free(cache);
    }
}

/* What the cache keeps does not depend on the rates: a point solved after another in
 * one cache has the bits of the same point solved in a fresh cache. */
Test(exact_local, kept_elimination_is_rate_free)
{
    static const double a[5] = {1, 2, 0.3, 0.5, 2}, b[5] = {1, 0.1, 7, 3, 0.2};
    hop_exact_cache *shared = hop_exact_cache_alloc(), *fresh = hop_exact_cache_alloc();
    hop_exact_chain first, after, alone;
    first = solute_chain("fcc", a, 0, 0, 5, shared);
    after = solute_chain("fcc", b, 0, 0, 5, shared);
    alone = solute_chain("fcc", b, 0, 0, 5, fresh);
    cr_expect(memcmp(after.P, alone.P, sizeof after.P) == 0, "P differs after reuse");
    cr_expect(memcmp(after.drift, alone.drift, sizeof after.drift) == 0, "u differs after reuse");
    cr_expect_eq(after.vv, alone.vv);
    cr_expect(first.P[0][0] != after.P[0][0], "the two rate sets gave the same chain");
    hop_exact_cache_free(shared);
    hop_exact_cache_free(fresh);
}

/* The solute on fcc in the box of `cells` cells with a memory limit. */
static hop_status solute_box(const double *w, int cells, double max_bytes,
                             hop_exact_cache *cache, hop_exact_chain *c)
{
    hop_params p;
    hop_rates R;
    hop_exact_problem pb;
    memset(&p, 0, sizeof p);
    p.lattice = hop_lattice_find("fcc");
    memcpy(p.w, w, sizeof p.w);
    hop_solute_rates(&p, &R);
    memset(&pb, 0, sizeof pb);
    pb.lattice = p.lattice;
    pb.rates = &R;
    pb.max_bytes = max_bytes;
    pb.box = 1;
    pb.cache = cache;
    return hop_exact_chain_solve(&pb, cells * hop_exact_cell_edge(p.lattice), c);
}

/* The far regions' eliminations count against the limit too.  Two passes over five boxes
 * at two rate sets, with a limit that the largest elimination's peak and the smaller
 * boxes' kept states exceed together: the cache lets some go (it keeps less after the
 * largest box than with room enough) and makes them again, and every chain has the bits
 * of the same one in a fresh cache. */
Test(exact_local, kept_state_within_the_limit, .timeout = 60)
{
    static const double a[5] = {1, 2, 0.3, 0.5, 2}, b[5] = {1, 0.1, 7, 3, 0.2};
    enum { N_BOXES = 5 };
    hop_exact_cache *cache = hop_exact_cache_alloc();
    hop_exact_chain c;
    double peak = 0, unlimited, limit;
    for (int cells = 2; cells < 2 + N_BOXES; ++cells) {
        cr_assert_eq(solute_box(a, cells, GIB, cache, &c), HOP_OK);
        if (c.factor_bytes > peak)
            peak = c.factor_bytes;
    }
    unlimited = hop_exact_cache_bytes(cache);
    hop_exact_cache_free(cache);
    limit = peak + 0.25 * unlimited;
    cache = hop_exact_cache_alloc();
    for (int i = 0; i < 2 * N_BOXES; ++i) {
        const double *w = i < N_BOXES ? a : b;
        const int cells = 2 + i % N_BOXES;
        hop_exact_cache *fresh = hop_exact_cache_alloc();
        hop_exact_chain alone;
        cr_assert_eq(solute_box(w, cells, limit, cache, &c), HOP_OK);
        cr_expect_leq(hop_exact_cache_bytes(cache), limit, "%d cells: kept %.0f bytes, more "
                      "than the %.0f allowed", cells, hop_exact_cache_bytes(cache), limit);
        if (i == N_BOXES - 1)
            cr_expect_lt(hop_exact_cache_bytes(cache), unlimited, "nothing let go: kept %.0f",
                         unlimited);
        cr_assert_eq(solute_box(w, cells, limit, fresh, &alone), HOP_OK);
        cr_expect(memcmp(c.P, alone.P, sizeof c.P) == 0
                  && memcmp(c.drift, alone.drift, sizeof c.drift) == 0
                  && memcmp(&c.vv, &alone.vv, sizeof c.vv) == 0,
                  "%d cells: the chain differs from one in a fresh cache", cells);
        hop_exact_cache_free(fresh);
    }
    hop_exact_cache_free(cache);
}

/* A lattice file of tests/lattices with its class c at rate `c` (0: the file's own). */
static hop_lattice file_with_c(const char *name, double c)
{
    char path[256], msg[256];
    const hop_lattice *file;
    hop_lattice L;
    snprintf(path, sizeof path, "%s/tests/lattices/%s.lat", HOP_SOURCE_DIR, name);
    cr_assert_eq(hop_lattice_load(path, &file, msg, sizeof msg), HOP_OK, "%s", msg);
    L = *file;
    if (c > 0)
        cr_assert_eq(hop_lattice_set_rate(&L, "c", c), HOP_OK);
    cr_assert_eq(hop_lattice_apply_rates(&L, 0), HOP_OK);
    return L;
}

static void expect_shape(const hop_lattice *L, const char *what, int p0, int p1, int p2)
{
    int p[HOP_MAX_DIM];
    const int shaped = hop_exact_box_shape(L, p);
    cr_expect(p[0] == p0 && p[1] == p1 && p[2] == p2, "%s: shape %d %d %d, want %d %d %d",
              what, p[0], p[1], p[2], p0, p1, p2);
    cr_expect_eq(shaped, p0 > 1 || p1 > 1 || p2 > 1, "%s: shaped %d", what, shaped);
}

/* The box's shape follows the vacancy walk's anisotropy: the odd p_a nearest
 * sqrt(D_a) / cell_a relative to the slowest axis, in log, within the cost's cap.  Cubic
 * lattices and hcp with equal rates keep the cube in cells (hcp-mg's ratio there is
 * 1.63 in cells: its z cell is c = 1.624 a, D_z = D_x to 1 %); hcp-mg at c/basal 0.3
 * wants 2.7, 3; at 0.1 4.5 (D_z/D_x = 0.128), 5; at 0.03 8.2, 9, but 9 9 1 at 6 cells
 * (the least box) holds 3.6e5 sites per tracer sublattice, 7 7 1 2.2e5, over the cap
 * (1.6e5): 5 5 1; sc-tetragonal (cell 1 1 1) wants sqrt(D_x/D_z) = sqrt(1/c): 2 at
 * c 1/4 (3 is nearer in log than 1), sqrt(3) at c 3 (the tie keeps the cube),
 * 1/sqrt(10) at c 10 (z 3 times as long), 5.8 at c 0.03 (5), 10 at c 0.01 (11 and 9
 * over the cap: 7). */
Test(exact_shape, follows_the_walk)
{
    static const char *cubic[] = {"square", "sc", "bcc", "fcc", "diamond", "hcp", "pyrochlore"};
    static const struct { const char *file; double c; int p[3]; } rated[] = {
        {"hcp-mg", 1, {1, 1, 1}},         {"hcp-mg", 0.3, {3, 3, 1}},
        {"hcp-mg", 0.1, {5, 5, 1}},       {"hcp-mg", 0.03, {5, 5, 1}},
        {"sc-tetragonal", 0.25, {3, 3, 1}}, {"sc-tetragonal", 3, {1, 1, 1}},
        {"sc-tetragonal", 10, {1, 1, 3}}, {"sc-tetragonal", 0.03, {5, 5, 1}},
        {"sc-tetragonal", 0.01, {7, 7, 1}},
    };
    for (size_t i = 0; i < sizeof cubic / sizeof *cubic; ++i)
        expect_shape(hop_lattice_find(cubic[i]), cubic[i], 1, 1, 1);
    for (size_t i = 0; i < sizeof rated / sizeof *rated; ++i) {
        const hop_lattice L = file_with_c(rated[i].file, rated[i].c);
        char what[64];
        snprintf(what, sizeof what, "%s c %g", rated[i].file, rated[i].c);
        expect_shape(&L, what, rated[i].p[0], rated[i].p[1], rated[i].p[2]);
    }
}

/* Richardson needs f(R) smooth in one size: every box of a solve has the same shape,
 * (n_a + 1/2) / (n_slow + 1/2) = p_a exactly (2 n_a + 1 = p_a (2 m + 1) in integers),
 * and its states are the box's sites but the tracer's. */
Test(exact_shape, same_shape_in_every_box, .timeout = 60)
{
    const hop_lattice L = file_with_c("sc-tetragonal", 10);
    hop_exact_problem pb;
    hop_exact_result r;
    memset(&pb, 0, sizeof pb);
    pb.lattice = &L;
    pb.max_bytes = GIB;
    cr_assert_eq(hop_exact_solve(&pb, hop_exact_default_radius(&L), 5, &r), HOP_OK);
    cr_assert(r.shaped && r.shape[2] == 3, "shape %d %d %d", r.shape[0], r.shape[1], r.shape[2]);
    for (int k = 0; k < r.n_radii; ++k) {
        const int m = r.half_cells[k][0];
        for (int a = 0; a < 3; ++a)
            cr_expect_eq(2 * r.half_cells[k][a] + 1, r.shape[a] * (2 * m + 1),
                         "box %d axis %d: %d cells, m %d", k, a, r.half_cells[k][a], m);
        cr_expect(fabs(r.radius[k] - (m + 0.5)) < 1e-12, "box %d: radius %g, m %d", k,
                  r.radius[k], m);
        cr_expect_eq(r.states_at[k], (int64_t)(2 * m + 1) * (2 * m + 1) * (6 * m + 3) - 1,
                     "box %d: %lld states", k, (long long)r.states_at[k]);
        if (k > 0)
            cr_expect_gt(m, r.half_cells[k - 1][0]);
    }
    cr_expect_eq(r.states_at[r.n_radii - 1], r.n_states);
}

/* The finding that left [exact] open: hcp-mg at c/basal 0.1, default radius, f_z off by
 * 6.3e-7 against its bound 6.0e-7 with cubic boxes (results/exact.md).  With boxes
 * shaped to the walk (5 5 1, m = 2 .. 6) every value lies inside its bound, judged
 * against the same shape up to m = 8 (4.7e5 states, 31 s: too long for a test, so its
 * values are recorded here with their bounds; m = 10 agrees to 2e-11, results/exact.md),
 * the error taken as the difference plus the reference's own bound. */
Test(exact_bound, shaped_boxes_honest_on_hcp_mg, .timeout = 120)
{
    static const struct { const char *name; int g; double value, bound; } ref[] = {
        {"f", -1, 0.6595697662748019, 1.36e-10},
        {"f_x", 0, 0.6423756971056086, 1.06e-10},
        {"f_z", 1, 0.9290376736516989, 6.09e-10},
    };
    const hop_lattice L = file_with_c("hcp-mg", 0.1);
    hop_exact_problem pb;
    hop_exact_result r;
    memset(&pb, 0, sizeof pb);
    pb.lattice = &L;
    pb.max_bytes = 2 * GIB;
    cr_assert_eq(hop_exact_solve(&pb, hop_exact_default_radius(&L), 5, &r), HOP_OK);
    for (size_t i = 0; i < sizeof ref / sizeof *ref; ++i) {
        const hop_exact_estimate *e = ref[i].g < 0 ? &r.f : &r.f_group[ref[i].g];
        cr_expect_leq(fabs(e->value - ref[i].value) + ref[i].bound, e->error_bound,
                      "%s: %.12f (bound %.2e) against %.12f (bound %.2e)", ref[i].name,
                      e->value, e->error_bound, ref[i].value, ref[i].bound);
        cr_expect_leq(e->error_bound, 1e-7, "%s: bound %.2e", ref[i].name, e->error_bound);
    }
}

/* hcp-mg (tests/lattices, two tracer sublattices) with its out-of-plane class at rate
 * c, solved over five boxes up to radius 8.1, with `cache` (NULL: none): at c 0.3 the
 * boxes are shaped 3 3 1 to the walk, at c 20 they are the cube in cells. */
static hop_exact_result class_rate_solve(double c, hop_exact_cache *cache)
{
    const hop_lattice L = file_with_c("hcp-mg", c);
    hop_exact_problem pb;
    hop_exact_result r;
    memset(&pb, 0, sizeof pb);
    pb.lattice = &L;
    pb.max_bytes = GIB;
    pb.box = 1;
    pb.cache = cache;
    cr_assert_eq(hop_exact_solve(&pb, 8.1, HOP_EXACT_RUN_RADII, &r), HOP_OK);
    return r;
}

/* Whether a and b have the same bits in every value and bound. */
static int same_result(const hop_exact_result *a, const hop_exact_result *b)
{
    int same = memcmp(&a->f, &b->f, sizeof a->f) == 0
               && memcmp(&a->drag, &b->drag, sizeof a->drag) == 0
               && memcmp(a->f_group, b->f_group, sizeof a->f_group) == 0
               && memcmp(a->drag_group, b->drag_group, sizeof a->drag_group) == 0
               && a->n_states == b->n_states && a->factor_bytes == b->factor_bytes;
    for (int k = 0; k < a->n_radii; ++k)
        same = same && memcmp(&a->at[k].f, &b->at[k].f, sizeof a->at[k].f) == 0
               && memcmp(a->at[k].f_group, b->at[k].f_group, sizeof a->at[k].f_group) == 0
               && memcmp(&a->at[k].drag, &b->at[k].drag, sizeof a->at[k].drag) == 0;
    return same;
}

/* Class rates act everywhere, so each point factors the whole system; the cache keeps
 * each box's states and CHOLMOD's analysis (exact.c, "Whole systems").  What it keeps
 * does not depend on the rates: a point solved after others in one cache (as a scan
 * solves it) has the bits of the same point solved with no cache (its own enumeration
 * and analysis, as one `hop run` before the cache kept whole systems), and the rates do
 * change the chain; the two rates' boxes differ in shape, and one cache keeps both. */
Test(exact_whole, kept_analysis_is_rate_free, .timeout = 120)
{
    hop_exact_cache *shared = hop_exact_cache_alloc();
    const hop_exact_result first = class_rate_solve(0.3, shared);
    const hop_exact_result again = class_rate_solve(0.3, shared);
    const hop_exact_result after = class_rate_solve(20, shared);
    const hop_exact_result alone = class_rate_solve(20, NULL);
    cr_expect(same_result(&first, &again), "the same rates differ in one cache");
    cr_expect(same_result(&after, &alone), "f %.17g (kept analysis) vs %.17g (fresh)",
              after.f.value, alone.f.value);
    cr_expect(fabs(first.f.value - after.f.value) > 1e-3, "the rates changed nothing: %.10f",
              first.f.value);
    hop_exact_cache_free(shared);
}

/* hcp-mg's chain at class rate c in the ball of `radius` with a memory limit. */
static hop_status ball_chain(double c, double radius, double max_bytes, hop_exact_cache *cache,
                             hop_exact_chain *chain)
{
    const hop_lattice L = file_with_c("hcp-mg", c);
    hop_exact_problem pb;
    memset(&pb, 0, sizeof pb);
    pb.lattice = &L;
    pb.max_bytes = max_bytes;
    pb.cache = cache;
    return hop_exact_chain_solve(&pb, radius, chain);
}

/* The memory limit holds for everything a scan keeps.  Two passes over eight balls (two
 * tracer sublattices each: sixteen systems) at two class rates, with a limit 5 % above the
 * largest solve's peak: the states, patterns and analyses the cache would keep of
 * sixteen systems exceed it (checked first with room enough), so the cache lets go of
 * what it keeps rather than pass it, and every chain keeps the bits of a solve with no
 * cache (entries let go are made again). */
Test(exact_whole, kept_state_within_the_limit, .timeout = 60)
{
    enum { N_BALLS = 8, N_SOLVES = 2 * N_BALLS };
    hop_exact_cache *cache = hop_exact_cache_alloc();
    hop_exact_chain chain;
    double peak = 0, unlimited, limit;
    for (int i = 0; i < N_SOLVES; ++i) {     /* what the sequence keeps with room enough */
        cr_assert_eq(ball_chain(i < N_BALLS ? 1 : 3, 4 + 0.5 * (i % N_BALLS), GIB, cache,
                                &chain), HOP_OK);
        if (chain.factor_bytes > peak)
            peak = chain.factor_bytes;
    }
    unlimited = hop_exact_cache_bytes(cache);
    hop_exact_cache_free(cache);
    limit = 1.05 * peak;
    cr_assert_gt(unlimited, limit, "kept %.0f bytes, within %.0f: the test tests nothing",
                 unlimited, limit);
    cache = hop_exact_cache_alloc();
    for (int i = 0; i < N_SOLVES; ++i) {
        const double c = i < N_BALLS ? 1 : 3, radius = 4 + 0.5 * (i % N_BALLS);
        hop_exact_chain alone;
        cr_assert_eq(ball_chain(c, radius, limit, cache, &chain), HOP_OK);
        cr_expect_leq(hop_exact_cache_bytes(cache), limit, "radius %g (c %g): kept %.0f bytes, "
                      "more than the %.0f allowed", radius, c, hop_exact_cache_bytes(cache),
                      limit);
        cr_assert_eq(ball_chain(c, radius, limit, NULL, &alone), HOP_OK);
        cr_expect(memcmp(chain.P, alone.P, sizeof chain.P) == 0
                  && memcmp(chain.drift, alone.drift, sizeof chain.drift) == 0
                  && chain.n_states == alone.n_states
                  && chain.factor_bytes == alone.factor_bytes,
                  "radius %g (c %g): the chain differs from a solve with no cache", radius, c);
    }
    hop_exact_cache_free(cache);
}

/* The solute on fcc through the local path; cache NULL: a fresh one. */
static hop_exact_result solute_cached(const double *w, double radius, hop_exact_cache *cache)
{
    const hop_lattice *L = hop_lattice_find("fcc");
    hop_params p;
    hop_rates R;
    hop_exact_problem pb;
    hop_exact_result r;
    memset(&p, 0, sizeof p);
    p.lattice = L;
    memcpy(p.w, w, sizeof p.w);
    hop_solute_rates(&p, &R);
    memset(&pb, 0, sizeof pb);
    pb.lattice = L;
    pb.rates = &R;
    pb.max_bytes = GIB;
    pb.cache = cache ? cache : hop_exact_cache_alloc();
    cr_assert_eq(hop_exact_solve(&pb, radius, 5, &r), HOP_OK);
    if (!cache)
        hop_exact_cache_free(pb.cache);
    return r;
}

/* Equal frequencies: the solute is a tracer and the vacancy does not see it, b_vv = 0 at
 * every radius (Trinkle's tracer limit, L1vv = 0). */
Test(exact_vv, equal_rates_leave_L_vv_alone)
{
    static const double w[5] = {1, 1, 1, 1, 1};
    const hop_exact_result r = solute_cached(w, 11.4, NULL);
    for (int k = 0; k < r.n_radii; ++k)
        cr_expect(fabs(r.at[k].vv) <= 1e-12, "R %g: b_vv %.3e", r.radius[k], r.at[k].vv);
    cr_expect(fabs(r.vv.value) <= 1e-10 && r.vv.error_bound <= 1e-9, "b_vv %.3e (bound %.1e)",
              r.vv.value, r.vv.error_bound);
}

/* w1 = w2 = w3 = w and w4 = w0: from a neighbour of the solute every jump has rate w,
 * from anywhere else w0, so the vacancy's sequence of positions is the pure lattice's
 * (only its clock differs): f2 = f and L_sv/L_ss = -1/f at every radius, and its drift
 * vanishes everywhere, so b_vv is its uncorrelated part alone, in closed form:
 * pi~ = w4/w3 = w0/w on the z neighbours, Gamma_2 = z w alpha^2 there, so
 * b_vv = z (w0/w) (z w - z w0) / (z w0) = z (1 - w0/w): 9 for w = 4 w0 on fcc. */
Test(exact_vv, uniform_neighbour_rates_closed_form, .timeout = 60)
{
    static const double w[5] = {1, 4, 4, 4, 1};
    const hop_exact_result r = solute_cached(w, 11.4, NULL);
    const hop_exact_result pure = solve("fcc", NULL, 11.4);
    for (int k = 0; k < r.n_radii; ++k) {
        cr_expect(fabs(r.at[k].f - pure.at[k].f) <= 1e-9, "R %g: f2 %.12f, f %.12f", r.radius[k],
                  r.at[k].f, pure.at[k].f);
        cr_expect(fabs(r.at[k].drag - pure.at[k].drag) <= 1e-8, "R %g: drag %.12f, pure %.12f",
                  r.radius[k], r.at[k].drag, pure.at[k].drag);
        cr_expect(fabs(r.at[k].vv - 9) <= 1e-8, "R %g: b_vv %.12f, closed form 9", r.radius[k],
                  r.at[k].vv);
    }
}

/* An exchange much faster than every other jump only rattles the vacancy between two
 * sites: its uncorrelated part grows as w2 (by 2 (w4/w3) (w2 - w0) / w0 ~ 2e4 at w2 =
 * 1e4), the correlated part takes it back, and b_vv tends to a finite limit as
 * O(w0/w2): each tenfold w2 shrinks the change about tenfold (at most 0.2 here). */
Test(exact_vv, fast_exchange_has_a_limit, .timeout = 60)
{
    static const double w[4][5] = {{1, 1, 1, 1, 2}, {1, 1, 1e2, 1, 2}, {1, 1, 1e3, 1, 2},
                                   {1, 1, 1e4, 1, 2}};
    hop_exact_cache *cache = hop_exact_cache_alloc();
    double b[4];
    for (int k = 0; k < 4; ++k) {
        b[k] = solute_cached(w[k], 11.4, cache).vv.value;
        cr_assert(isfinite(b[k]), "w2 %g: b_vv %g", w[k][2], b[k]);
    }
    cr_expect(fabs(b[3] - b[2]) <= 0.2 * fabs(b[2] - b[1]) && fabs(b[3] - b[2]) < 0.05,
              "b_vv %.6f, %.6f, %.6f at w2 = 1e2, 1e3, 1e4: no limit", b[1], b[2], b[3]);
    cr_expect(fabs(b[0] - b[3]) > 0.1, "b_vv %.6f (w2 1), %.6f (w2 1e4)", b[0], b[3]);
    hop_exact_cache_free(cache);
}

/* ------------------------------------------- the drag ratio against Monte Carlo --- */

/* xorshift64* (Vigna 2016): a fixed stream for the test's own Monte Carlo. */
static double uniform01(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return (double)((*state * UINT64_C(2685821657736338717)) >> 11) * 0x1p-53;
}

/* The chain the exact solver solves at ball radius R, simulated on its own (rates by
 * class, as hop_solute_rates weighs them): after a solute jump e_0 of random type, the
 * vacancy walks until it leaves the ball |x| < R, and each sample records e_0 . (the
 * later solute jumps) and e_0 . (the vacancy's whole displacement after e_0), in
 * metric units.  The exact chain predicts their means: (f - 1) alpha^2 / 2 (the corr
 * estimator's identity) and (alpha^2 + L_sv/L_ss f alpha^2) / 2 (exact.h: the cross term
 * is -alpha^2 + 2 sum pi S e.u, and sum pi S e.u is this mean).  This checks the
 * drift solve and the drag formula without the solver's algebra, on the same
 * truncation (the time reversal that doubles the later half is the theorem it uses).
 * The cross term must be resolved (10 sigma from 0, which is what the equal-rate ratio
 * -1/f would give), so a wrong drift or a wrong sign fails. */
Test(exact_mc, drag_ratio_against_a_walk_on_the_same_ball, .timeout = 120)
{
    const hop_lattice *L = hop_lattice_find("fcc");
    const double R = 3.5;
    const int64_t R2 = (int64_t)ceil(R * R * L->jump_len2 - 1e-9);
    hop_params p;
    hop_rates rates;
    hop_exact_problem pb;
    hop_exact_chain c;
    hop_exact_values v;
    uint64_t rng = UINT64_C(0x9E3779B97F4A7C15);
    const long samples = 400000;
    double sum_f = 0, sum_f2 = 0, sum_c = 0, sum_c2 = 0, A;
    memset(&p, 0, sizeof p);
    p.lattice = L;
    p.w[0] = 1; p.w[1] = 2; p.w[2] = 0.5; p.w[3] = 0.5; p.w[4] = 2;
    hop_solute_rates(&p, &rates);
    memset(&pb, 0, sizeof pb);
    pb.lattice = L;
    pb.rates = &rates;
    pb.max_bytes = GIB;
    cr_assert_eq(hop_exact_chain_solve(&pb, R, &c), HOP_OK);
    cr_assert_eq(hop_exact_values_of(L, &c, &v), HOP_OK);
    A = L->jump_len2;
    for (long n = 0; n < samples; ++n) {
        const int i = (int)(uniform01(&rng) * L->z);
        int32_t x[3], e0[3], solute[3] = {0, 0, 0}, vacancy[3] = {0, 0, 0};
        for (int d = 0; d < 3; ++d) {
            e0[d] = L->jump[0][i][d];
            x[d] = -e0[d];              /* the vacancy on the site the solute left */
        }
        for (;;) {
            double w[HOP_MAX_Z], total = 0, u;
            int64_t t2[HOP_MAX_Z];
            int k;
            for (k = 0; k < L->z; ++k) {
                int32_t y[3];
                for (int d = 0; d < 3; ++d)
                    y[d] = x[d] + L->jump[0][k][d];
                t2[k] = hop_lattice_norm2(L, y);
                w[k] = (double)rates.weight[hop_rates_class(&rates, hop_lattice_norm2(L, x),
                                                            t2[k])];
                total += w[k];
            }
            u = uniform01(&rng) * total;
            for (k = 0; k < L->z - 1 && u >= w[k]; ++k)
                u -= w[k];
            for (int d = 0; d < 3; ++d)
                vacancy[d] += L->jump[0][k][d];
            if (t2[k] == 0) {           /* an exchange: the solute jumps by x */
                for (int d = 0; d < 3; ++d) {
                    solute[d] += x[d];
                    x[d] = -x[d];
                }
                continue;
            }
            if (t2[k] >= R2)
                break;
            for (int d = 0; d < 3; ++d)
                x[d] += L->jump[0][k][d];
        }
        {
            const double fs = (double)hop_lattice_dot(L, e0, solute, -1);
            const double cs = (double)hop_lattice_dot(L, e0, vacancy, -1);
            sum_f += fs; sum_f2 += fs * fs;
            sum_c += cs; sum_c2 += cs * cs;
        }
    }
    {
        const double mf = sum_f / samples, mc = sum_c / samples;
        const double sf = sqrt((sum_f2 / samples - mf * mf) / samples);
        const double sc = sqrt((sum_c2 / samples - mc * mc) / samples);
        const double want_f = (v.f - 1) * A / 2, want_c = (A + v.drag * v.f * A) / 2;
        cr_expect(fabs(mf - want_f) <= 4 * sf, "e0 . later solute jumps: %.5f +- %.5f, exact "
                  "chain %.5f", mf, sf, want_f);
        cr_expect(fabs(mc - want_c) <= 4 * sc, "e0 . vacancy displacement: %.5f +- %.5f, exact "
                  "chain %.5f (drag ratio %.6f at R %g)", mc, sc, want_c, v.drag, R);
        cr_expect(fabs(want_c) > 10 * sc, "the cross term %.5f is not resolved (sigma %.5f)",
                  want_c, sc);
    }
}

/* ------------------------------------------------------------ general lattices --- */

static hop_lattice parse_lattice(const char *text)
{
    hop_lattice L;
    char msg[300] = "";
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    cr_assert_not_null(f);
    cr_assert_eq(hop_lattice_parse(f, "mem.lat", &L, msg, sizeof msg), HOP_OK, "%s\n%s", msg,
                 text);
    fclose(f);
    return L;
}

static hop_exact_result solve_lattice(const hop_lattice *L, double radius)
{
    hop_exact_problem pb;
    hop_exact_result r;
    hop_status s;
    memset(&pb, 0, sizeof pb);
    pb.lattice = L;
    pb.max_bytes = 2 * GIB;
    s = hop_exact_solve(&pb, radius > 0 ? radius : hop_exact_default_radius(L), 5, &r);
    cr_assert_eq(s, HOP_OK, "%s: status %d", L->name, (int)s);
    return r;
}

/* The new built-ins' exact f against the corr Monte Carlo of the regression record
 * (tests/regression/record.jsonl, cases corr-kagome, corr-pyrochlore, corr-perovskite-O:
 * 20000 replicas; value, standard error, bias bound) within 4 sigma + bias + the exact
 * bound; the exact bound itself below 1e-7 (2D) or 1e-6 (3D, eight cells). */
Test(exact_lattices, new_builtins_agree_with_the_record, .timeout = 300)
{
    static const struct { const char *name; double f, sigma, bias; } mc[] = {
        {"kagome", 0.37933051543109675, 0.0043296136537979936, 0.0046792440057311785},
        {"pyrochlore", 0.561159346741718, 0.004100593649011226, 0.000732873510733644},
        {"perovskite-O", 0.6932652081949953, 0.004118684195914662, 0.0006974787159843162}};
    for (size_t i = 0; i < sizeof mc / sizeof mc[0]; ++i) {
        const hop_lattice *L = hop_lattice_find(mc[i].name);
        const hop_exact_result r = hop_test_exact(L, NULL);
        const hop_estimate e = {.value = mc[i].f, .sigma = mc[i].sigma, .bias = mc[i].bias};
        cr_expect_leq(r.f.error_bound, L->dim == 2 ? 1e-7 : 1e-6, "%s: bound %.2e", L->name,
                      r.f.error_bound);
        hop_test_expect_exact(mc[i].name, &e, &r.f);
    }
}

/* Honeycomb with E_B = 2 kT: rates A->B and B->A differ by e^2, yet every tracer jump
 * leaves its sublattice and its reverse is the vacancy's next exchange with probability
 * set by the same chain, and f stays 1/3 (as the corr and msd estimators found on the
 * lattices branch): to 1e-7 and inside the printed bound. */
Test(exact_lattices, honeycomb_site_energy_keeps_one_third)
{
    const hop_lattice L = parse_lattice(
        "hop-lattice 2\nname honeycomb-e\ndim 2\ncell 3 3\naxis x 2 1 1/36\n"
        "axis y 0 1 3/36\nsite 0 0 A\nsite 1 1 B\nenergy B 2\njump A 1 1\njump A 1 -2\n"
        "jump A -2 1\njump B -1 -1\njump B -1 2\njump B 2 -1\ngroup x\ngroup y\n");
    const hop_exact_result r = solve_lattice(&L, 0);
    cr_assert_neq(L.occupation[0], L.occupation[1], "the energy makes the sublattices differ");
    cr_assert_neq(L.rate[0][0], L.rate[1][0], "and the rates asymmetric");
    cr_expect(fabs(r.f.value - 1.0 / 3) <= 1e-7, "f %.10f", r.f.value);
    cr_expect(fabs(r.f.value - 1.0 / 3) <= r.f.error_bound + 1e-12, "f %.12f, bound %.2e",
              r.f.value, r.f.error_bound);
}

/* hcp at Mg's c/a = 1.624 (two jump lengths: basal a, out-of-plane 0.9963 a) and at the
 * ideal c/a (one length), both with the out-of-plane class 4 times faster: the f
 * tensor's principal values depend on the rates, not on c/a (the chain of jump types
 * is the same; f per axis is a ratio in which the axis' length cancels).  At one
 * radius, no extrapolation: equal to 1e-9; and the rates do change f_z. */
static hop_exact_values hcp_values(const char *cz2, const char *rate_c)
{
    char text[2048];
    hop_lattice L;
    hop_exact_problem pb;
    hop_exact_chain *c = malloc(sizeof *c);
    hop_exact_values v;
    snprintf(text, sizeof text,
             "hop-lattice 2\nname hcp-x\ndim 3\ncell 3 3 2\naxis x 2 -1 0 1/36\n"
             "axis y 0 1 0 3/36\naxis z 0 0 1 %s\nsite 0 0 0 A\nsite 1 2 1 B\n"
             "class basal\nclass c rate %s\njump A 3 0 0 basal\njump A -3 0 0 basal\n"
             "jump A 0 3 0 basal\njump A 0 -3 0 basal\njump A 3 3 0 basal\n"
             "jump A -3 -3 0 basal\njump A 1 2 1 c\njump A 1 -1 1 c\njump A -2 -1 1 c\n"
             "jump A 1 2 -1 c\njump A 1 -1 -1 c\njump A -2 -1 -1 c\njump B 3 0 0 basal\n"
             "jump B -3 0 0 basal\njump B 0 3 0 basal\njump B 0 -3 0 basal\n"
             "jump B 3 3 0 basal\njump B -3 -3 0 basal\njump B -1 -2 1 c\n"
             "jump B -1 1 1 c\njump B 2 1 1 c\njump B -1 -2 -1 c\njump B -1 1 -1 c\n"
             "jump B 2 1 -1 c\ngroup x y\ngroup z\n", cz2, rate_c);
    L = parse_lattice(text);
    cr_assert_not_null(c);
    memset(&pb, 0, sizeof pb);
    pb.lattice = &L;
    pb.max_bytes = 2 * GIB;
    pb.box = 1;
    cr_assert_eq(hop_exact_chain_solve(&pb, 4 * hop_exact_cell_edge(&L), c), HOP_OK);
    cr_assert_eq(hop_exact_values_of(&L, c, &v), HOP_OK);
    free(c);
    return v;
}

Test(exact_lattices, hcp_f_tensor_independent_of_c_over_a, .timeout = 120)
{
    const hop_exact_values real = hcp_values("0.659344", "4"), ideal = hcp_values("2/3", "4");
    const hop_exact_values equal = hcp_values("2/3", "1");
    for (int g = 0; g < 2; ++g)
        cr_expect(fabs(real.f_group[g] - ideal.f_group[g]) <= 1e-9,
                  "group %d: f %.12f at c/a 1.624, %.12f ideal", g, real.f_group[g],
                  ideal.f_group[g]);
    cr_expect(fabs(ideal.f_group[1] - equal.f_group[1]) > 1e-2,
              "the c rate changes f_z: %.6f vs %.6f", ideal.f_group[1], equal.f_group[1]);
}

/* sc in a 2 x 2 x 2 cell with eight labels (eight tracer sublattices, 48 jump types):
 * the same lattice, so sc's exact 0.65310884 to 1e-7. */
Test(exact_lattices, sc_supercell_is_sc, .timeout = 300)
{
    const hop_lattice L = parse_lattice(
        "hop-lattice 2\nname sc-super\ndim 3\ncell 2 2 2\naxis x 1 0 0 1\naxis y 0 1 0 1\n"
        "axis z 0 0 1 1\nsite 0 0 0 A\nsite 1 0 0 B\nsite 0 1 0 C\nsite 1 1 0 D\n"
        "site 0 0 1 E\nsite 1 0 1 F\nsite 0 1 1 G\nsite 1 1 1 H\njumps nearest\n");
    const hop_exact_result r = solve_lattice(&L, 0);
    cr_assert_eq(L.n_sub, 8);
    cr_expect(fabs(r.f.value - 0.65310884) <= 1e-7, "f %.10f", r.f.value);
    cr_expect(r.f.error_bound <= 1e-7, "bound %.2e", r.f.error_bound);
}

/* A cell whose third axis is oblique (its Cartesian direction (1, 0, 1) has components in
 * both principal components, x y and z) keeps the cube in cells, however slow its z
 * jumps; the same jumps on an orthogonal cell are shaped (D_x/D_z = 100 wants 11 in the
 * plane, the cost allows 7). */
Test(exact_shape, oblique_cell_keeps_the_cube)
{
    static const char *text =
        "hop-lattice 2\nname mono\ndim 3\ncell 1 1 1\naxis x 1 0 %d 1\naxis y 0 1 0 1\n"
        "axis z 0 0 1 1\nsite 0 0 0 A\nclass a\nclass c rate 0.01\njump A 1 0 0 a\n"
        "jump A -1 0 0 a\njump A 0 1 0 a\njump A 0 -1 0 a\njump A 0 0 1 c\n"
        "jump A 0 0 -1 c\ngroup x y\ngroup z\n";
    char buf[512];
    hop_lattice L;
    snprintf(buf, sizeof buf, text, 1);
    L = parse_lattice(buf);
    expect_shape(&L, "oblique", 1, 1, 1);
    snprintf(buf, sizeof buf, text, 0);
    L = parse_lattice(buf);
    expect_shape(&L, "orthogonal", 7, 7, 1);
}

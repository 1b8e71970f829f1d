/* test_exact.c: the exact solver (host/stats/exact.c) against the exact values of
 * docs/estimators.md, the identities of the solute model (equal rates are the tracer; the
 * vacancy-wind ratio does not depend on w2), Manning's closed form within its known
 * error, the honesty of the extrapolation's bound (a larger radius lies inside it), the
 * corr estimator at the same truncation radius (within its sigma, no extrapolation),
 * and the refusals (memory, bad radius, a singular system, models it does not cover,
 * on the command line: exit 2, one line, nothing written).  The 3D accuracy runs once
 * per lattice at the default radius (a few seconds each). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "hop/hop.h"
#include "models/solute.h"
#include "run_helper.h"
#include "usage_helper.h"
#include "stats/exact.h"

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

Test(exact_cli, models_and_units_it_does_not_cover)
{
    static const char *const gas[] = {"--estimator", "exact", "--model", "gas", NULL};
    static const char *const random[] = {"--estimator", "exact", "--model", "random", NULL};
    static const char *const sc_solute[] = {"--estimator", "exact", "--model", "solute",
                                            "--lattice", "sc", "--w0", "1", "--w1", "1", "--w2",
                                            "1", "--w3", "1", "--w4", "1", NULL};
    static const char *const physical[] = {"--estimator", "exact", "--lattice", "fcc", "--T",
                                           "1000", "--Qf", "1.28", "--Qm", "0.7", "--nu",
                                           "1e13", "--a", "3.615", NULL};
    hop_expect_usage_error("gas", gas);
    hop_expect_usage_error("random", random);
    hop_expect_usage_error("fcc and bcc", sc_solute);
    hop_expect_usage_error("reduced form", physical);   /* not silently ignored */
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

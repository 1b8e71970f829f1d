/* test_verdict.c: the verdict every run ends with (host/models/verdict.c): each code
 * provoked by a run that earns it, the summary's last line and the JSON field agreeing,
 * the suggested option derived from the run's own numbers (and, for the radius, shown
 * to work), the scan's verdict column, and the gas's H at J = 0 from the exact D_sigma.
 * Every run pins --backend cpu and a seed (the default), so each verdict reproduces. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "models/verdict.h"
#include "dir_helper.h"
#include "json_helper.h"
#include "proc_helper.h"
#include "hop/hop.h"
#include "models/estimators.h"
#include "models/verdict.h"

#define MAX_ARGS 24

typedef struct {
    char code[32];
    char text[400];
    cJSON *root;          /* the whole JSON record (deleted by verdict_free) */
} verdict_run;

/* The last line of the summary on stdout, without "verdict: " and the newline. */
static void last_line(const char *out, char *line, size_t n)
{
    const char *end = out + strlen(out), *start;
    cr_assert(end > out && end[-1] == '\n', "the summary does not end with a line:\n%s", out);
    start = end - 1;
    while (start > out && start[-1] != '\n')
        --start;
    cr_assert(strncmp(start, "verdict: ", 9) == 0, "the summary ends with '%.*s', not a verdict",
              (int)(end - start - 1), start);
    snprintf(line, n, "%.*s", (int)(end - start - 10), start + 9);
}

/* `hop run --backend cpu --quiet --json DIR/r.json args...` (NULL-terminated): its verdict
 * from the JSON, checked to be the summary's last line. */
static void run_verdict(verdict_run *v, const char *first, ...)
{
    const char *args[MAX_ARGS + 8];
    char dir[64], json[96], line[400];
    int n = 0;
    va_list ap;
    cJSON *o;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/r.json", dir);
    args[n++] = "run";
    args[n++] = "--backend";
    args[n++] = "cpu";
    args[n++] = "--quiet";
    args[n++] = "--json";
    args[n++] = json;
    va_start(ap, first);
    for (const char *a = first; a && n < MAX_ARGS; a = va_arg(ap, const char *))
        args[n++] = a;
    va_end(ap);
    args[n] = NULL;
    {
        hop_proc *p = hop_run_args(args);
        cr_assert_eq(p->status, 0, "hop run failed:\n%s", p->err);
        last_line(p->out, line, sizeof line);
    }
    v->root = hop_test_json(json);
    remove_dir(dir);
    o = cJSON_GetObjectItem(v->root, "verdict");
    cr_assert(cJSON_IsObject(o), "the JSON record has no verdict object");
    cr_assert(cJSON_IsString(cJSON_GetObjectItem(o, "code")));
    cr_assert(cJSON_IsString(cJSON_GetObjectItem(o, "text")));
    snprintf(v->code, sizeof v->code, "%s", cJSON_GetObjectItem(o, "code")->valuestring);
    snprintf(v->text, sizeof v->text, "%s", cJSON_GetObjectItem(o, "text")->valuestring);
    cr_assert_str_eq(line, v->text, "summary '%s' and JSON '%s' differ", line, v->text);
}

/* results.key.field of the record. */
static double result(const verdict_run *v, const char *key, const char *field)
{
    cJSON *x = cJSON_GetObjectItem(cJSON_GetObjectItem(v->root, "results"), key);
    cJSON *y = cJSON_GetObjectItem(x, field);
    cr_assert(cJSON_IsNumber(y), "results.%s.%s is not a number", key, field);
    return y->valuedouble;
}

/* The number suggested for `option` in the verdict's text ("--size 8", "--equilibrate
 * to 64"). */
static double suggested(const verdict_run *v, const char *option)
{
    const char *at = strstr(v->text, option);
    cr_assert_not_null(at, "'%s' does not suggest %s", v->text, option);
    at += strlen(option);
    while (*at && !(*at >= '0' && *at <= '9'))
        ++at;
    return strtod(at, NULL);
}

Test(verdict, small_corr_radius_is_truncation_and_the_suggested_radius_converges)
{
    verdict_run v, w;
    char radius[32];
    run_verdict(&v, "--lattice", "sc", "--radius", "4", "--shells", "3", "--replicas", "100000",
                NULL);
    cr_assert_str_eq(v.code, "truncation", "%s", v.text);
    cr_assert_gt(result(&v, "f", "bias_bound"), result(&v, "f", "stderr"));
    /* the bound falls as R^-2 on sc: at least sqrt(bound/sigma) times the radius */
    cr_assert_geq(suggested(&v, "--radius"),
                  4 * sqrt(result(&v, "f", "bias_bound") / result(&v, "f", "stderr")));
    snprintf(radius, sizeof radius, "%g", suggested(&v, "--radius"));
    run_verdict(&w, "--lattice", "sc", "--radius", radius, "--shells", "3", "--replicas",
                "100000", NULL);
    cr_assert_str_eq(w.code, "converged", "%s", w.text);
    cr_assert_leq(result(&w, "f", "bias_bound"), result(&w, "f", "stderr"));
    cJSON_Delete(v.root);
    cJSON_Delete(w.root);
}

/* The suggested edge scales the bound's central part k |f_c - f| as 1/N and keeps its
 * noise part 2 k s ([users] audit: the whole bound was scaled, so on the square lattice,
 * where 2 k s is about 0.94 sigma, the size suggested still left the bound above sigma),
 * from the JSON's own numbers; it is never below the old whole-bound scaling. */
Test(verdict, small_msd_box_is_finite_size_with_the_size_from_1_over_N)
{
    verdict_run v;
    const cJSON *check;
    double ratio, f, s, fc, sc, k, edge;
    run_verdict(&v, "--lattice", "sc", "--estimator", "msd", "--size", "6", "--replicas", "8000",
                "--times", "16", NULL);
    cr_assert_str_eq(v.code, "finite_size", "%s", v.text);
    ratio = result(&v, "f", "bias_bound") / result(&v, "f", "stderr");
    cr_assert_gt(ratio, 1);
    check = cJSON_GetObjectItem(cJSON_GetObjectItem(v.root, "results"), "finite_size_check");
    f = result(&v, "f", "value");
    s = result(&v, "f", "stderr");
    fc = cJSON_GetObjectItem(cJSON_GetObjectItem(check, "f"), "value")->valuedouble;
    sc = cJSON_GetObjectItem(cJSON_GetObjectItem(check, "f"), "stderr")->valuedouble;
    k = 27.0 / (216 - 27);                              /* edges 6 and 3 of sc */
    cr_assert_float_eq(k * (fabs(fc - f) + 2 * sqrt(s * s + sc * sc)),
                       result(&v, "f", "bias_bound"), 1e-12, "the bound as documented");
    edge = 6 * cbrt(k * fabs(fc - f) / (s - 2 * k * sqrt(s * s + sc * sc)));
    cr_assert_eq(suggested(&v, "--size"), ceil(edge), "%s (edge %g)", v.text, edge);
    cr_assert_geq(suggested(&v, "--size"), ceil(6 * cbrt(ratio)), "%s", v.text);
    cJSON_Delete(v.root);
}

/* ---- the finite-size bound on planted biases --------------------------------------- */

/* Draws for the planted-bias tests: xorshift64* and Box-Muller, fixed seed. */
static uint64_t draw_state = UINT64_C(0x9e3779b97f4a7c15);

static double uniform01(void)
{
    draw_state ^= draw_state >> 12;
    draw_state ^= draw_state << 25;
    draw_state ^= draw_state >> 27;
    return ((draw_state * UINT64_C(2685821657736338717)) >> 11) * 0x1.0p-53 + 0x1.0p-54;
}

static double gaussian(void)
{
    return sqrt(-2.0 * log(uniform01())) * cos(6.283185307179586 * uniform01());
}

/* A finished msd result on sc as the run would leave it: the box of `size` cells (N
 * sites) and its companion (hop_companion_size, N_c), f = f_inf + C/N and f_c = f_inf +
 * C/N_c, each with Gaussian noise of sigma and sigma_c, the bound from hop_size_bias. */
static void planted_result(hop_result *r, int size, double bias_at_n, double sigma,
                           double sigma_c)
{
    const hop_lattice *L = hop_lattice_find("sc");
    const double f_inf = 0.65310884;
    memset(r, 0, sizeof *r);
    hop_params_default(&r->params);
    r->params.lattice = L;
    r->params.estimator = HOP_EST_MSD;
    r->params.size = size;
    r->check_size = hop_companion_size(L, size);
    r->box_sites = hop_lattice_box_sites(L, size);
    r->check_box_sites = hop_lattice_box_sites(L, r->check_size);
    r->f.value = f_inf + bias_at_n + sigma * gaussian();
    r->f.sigma = sigma;
    r->f_check.value = f_inf + bias_at_n * (double)r->box_sites / (double)r->check_box_sites
                       + sigma_c * gaussian();
    r->f_check.sigma = sigma_c;
    r->f.bias = hop_size_bias(r->f.value, r->f.sigma, r->f_check.value, r->f_check.sigma,
                              r->box_sites, r->check_box_sites);
}

/* The bound covers a planted 1/N bias (of either sign, none, or several sigma) with the
 * one-sided 97.7 % of its two standard errors: at least 96 % of 4000 draws (the binomial
 * spread is 0.24 %), whatever the companion's noise; a bound without its noise part
 * covers about half. */
Test(size_bound, covers_a_planted_1_over_N_bias)
{
    const double sigma = 0.003, planted[] = {0.0, 0.5, -1.0, 3.0};
    const double companion_sigma[] = {sigma / sqrt(8.0), sigma, 3.0 * sigma};
    static hop_result r;
    for (size_t a = 0; a < sizeof planted / sizeof *planted; ++a)
        for (size_t b = 0; b < sizeof companion_sigma / sizeof *companion_sigma; ++b) {
            int covered = 0;
            for (int i = 0; i < 4000; ++i) {
                planted_result(&r, 8, planted[a] * sigma, sigma, companion_sigma[b]);
                covered += r.f.bias >= fabs(planted[a] * sigma);
            }
            cr_expect_geq(covered, 3840, "planted %g sigma, sigma_c %g sigma: covered %d of "
                          "4000", planted[a], companion_sigma[b] / sigma, covered);
        }
}

/* A planted bias of 3 sigma (1/N) with the companion's noise of the design (sigma/2: 4
 * times the replicas, each an eighth of the cost) is flagged finite_size in at least 96 %
 * of the draws, and the --size suggested brings the planted bias below sigma in at least
 * 96 % (the suggestion scales the drift only: verdict.c's size_for); a planted 0.3 sigma
 * is converged in at least 95 % (bound about 0.6 sigma: the drift and the noise part
 * 2 k sqrt(sigma^2 + sigma_c^2), k = 1/7, 0.32 sigma). */
Test(size_bound, a_planted_larger_bias_is_flagged_with_a_size_that_lowers_it)
{
    const double sigma = 0.003;
    static hop_result r;
    hop_verdict v;
    int flagged = 0, lowered = 0, converged = 0;
    for (int i = 0; i < 2000; ++i) {
        const char *at;
        planted_result(&r, 8, 3.0 * sigma, sigma, sigma / 2.0);
        hop_verdict_msd(&r, &v);
        if (strcmp(v.code, "finite_size") != 0 || !(at = strstr(v.text, "use --size ")))
            continue;
        ++flagged;
        lowered += 3.0 * sigma * pow(8.0 / atof(at + strlen("use --size ")), 3) <= sigma;
    }
    cr_expect_geq(flagged, 1920, "flagged %d of 2000", flagged);
    cr_expect_geq(lowered, 1920, "suggested size lowers the planted bias below sigma in %d",
                  lowered);
    for (int i = 0; i < 2000; ++i) {
        planted_result(&r, 8, 0.3 * sigma, sigma, sigma / 2.0);
        hop_verdict_msd(&r, &v);
        converged += strcmp(v.code, "converged") == 0;
    }
    cr_expect_geq(converged, 1900, "0.3 sigma planted: converged in %d of 2000", converged);
}

/* An average over a species' atoms (the alloy) has sigma ~ N^-1/2 at the same replicas,
 * and its bound carries a run-length part that falls with sigma: with a planted 3 sigma
 * 1/N bias and a run-length part of 0.5 sigma, the suggested box (x = N'/N times the
 * sites) holds the planted bias below what sigma leaves of itself there, (sigma - rest)
 * x^-1/2, in at least 96 % of 2000 draws (the covered ones); the msd's scaling (sigma
 * fixed) would suggest too small a box. */
Test(size_bound, the_alloy_s_suggestion_scales_sigma_and_the_run_length_part)
{
    const double sigma = 0.0005, rest = 0.5 * sigma;
    static hop_result r;
    static const char *const names[] = {"f(A)"};
    hop_verdict v;
    int lowered = 0;
    for (int i = 0; i < 2000; ++i) {
        const hop_size_parts parts = {&r.f_check, rest, 0.5};
        const hop_estimate *e[1];
        const char *at;
        double x;
        planted_result(&r, 8, 3.0 * sigma, sigma, sigma);
        r.f.bias += rest;
        e[0] = &r.f;
        hop_verdict_size_parts(&r, names, e, &parts, 1, &v);
        cr_assert_str_eq(v.code, "finite_size", "%s", v.text);
        if (!(at = strstr(v.text, "use --size ")))
            continue;
        cr_assert_not_null(strstr(v.text, "the size effect at "), "%s", v.text);
        cr_assert_not_null(strstr(v.text, ": quote it as a systematic error, or use --size "),
                           "the measured size effect is offered as the error: %s", v.text);
        x = pow(atof(at + strlen("use --size ")) / 8.0, 3);
        lowered += 3.0 * sigma / x <= (sigma - rest) / sqrt(x);
    }
    cr_expect_geq(lowered, 1920, "the planted bias fits below sigma in %d of 2000", lowered);
    {   /* a run-length part above sigma leaves no room: --size for the box, --time too */
        const hop_size_parts parts = {&r.f_check, 1.5 * sigma, 0.5};
        const hop_estimate *e[1];
        planted_result(&r, 8, 3.0 * sigma, sigma, sigma);
        r.f.bias += 1.5 * sigma;
        r.f_check.value = r.f.value + 21.0 * sigma;       /* the planted 3 sigma, k = 1/7 */
        e[0] = &r.f;
        hop_verdict_size_parts(&r, names, e, &parts, 1, &v);
        cr_assert_str_eq(v.code, "finite_size", "%s", v.text);
        cr_assert_not_null(strstr(v.text, "the boxes put the size effect at 0.0015: use --size "),
                           "%s", v.text);
        cr_assert_not_null(strstr(v.text, "more --time for the run-length part (0.00075)"),
                           "%s", v.text);
    }
}

/* Where the boxes agree within two standard errors of their difference and its noise
 * part alone exceeds sigma (a companion far noisier than the box: sigma_c = 5 sigma),
 * the verdict says so, with the difference and its standard error, and suggests no
 * size ([users] audit: the square lattice with the former half-edge companion was told
 * --size 29, then at 47 told 71). */
Test(size_bound, a_bound_of_noise_alone_suggests_no_size)
{
    static hop_result r;
    hop_verdict v;
    char expect[200];
    planted_result(&r, 8, 0.0, 0.001, 0.005);
    r.f_check.value = r.f.value + 0.002;
    r.f.bias = hop_size_bias(r.f.value, r.f.sigma, r.f_check.value, r.f_check.sigma,
                             r.box_sites, r.check_box_sites);
    cr_assert_gt(r.f.bias, r.f.sigma);
    hop_verdict_msd(&r, &v);
    cr_assert_str_eq(v.code, "finite_size", "%s", v.text);
    snprintf(expect, sizeof expect, "its box part is the noise of the two boxes' difference "
             "(%.2g, standard error %.2g) times N_c/(N - N_c) = 0.143, which no --size "
             "lowers", 0.002, sqrt(0.001 * 0.001 + 0.005 * 0.005));
    cr_assert_not_null(strstr(v.text, expect), "'%s' not in '%s'", expect, v.text);
    cr_assert_null(strstr(v.text, "use --size"), "%s", v.text);
}

Test(verdict, box_too_small_to_halve_and_no_size_check_are_unbounded)
{
    verdict_run v, w;
    run_verdict(&v, "--lattice", "square", "--estimator", "msd", "--size", "4", "--replicas",
                "2000", "--times", "16", NULL);
    cr_assert_str_eq(v.code, "unbounded", "%s", v.text);
    cr_assert_not_null(strstr(v.text, "--size"), "%s", v.text);
    run_verdict(&w, "--lattice", "square", "--estimator", "msd", "--size", "8", "--replicas",
                "1000", "--times", "16", "--no-size-check", NULL);
    cr_assert_str_eq(w.code, "unbounded", "%s", w.text);
    cr_assert_not_null(strstr(w.text, "--no-size-check"), "%s", w.text);
    cJSON_Delete(v.root);
    cJSON_Delete(w.root);
}

/* A companion box that runs but cannot be fitted ([users]: fcc gas at c = 3/4, J = 10:
 * the half-size box of 2 cells freezes, its GLS fit failed and the whole run failed after
 * the main box had succeeded): the run's results stand, their finite-size bias not
 * bounded, and the verdict says why and suggests the size whose half is the box that
 * ran (equilibrated long enough that no drift is the worse verdict). */
Test(verdict, a_companion_box_whose_fit_fails_leaves_the_results_unbounded)
{
    verdict_run v;
    cJSON *check, *f;
    run_verdict(&v, "--model", "gas", "--lattice", "fcc", "--c", "0.75", "--J", "10",
                "--size", "4", "--equilibrate", "200", "--replicas", "400", "--times", "8",
                "--threads", "2", NULL);
    cr_assert_str_eq(v.code, "unbounded", "%s", v.text);
    cr_assert_not_null(strstr(v.text, "half-size box (2 cells) ran but its fit failed"), "%s",
                       v.text);
    cr_assert_eq(suggested(&v, "--size"), 8, "%s", v.text);
    check = cJSON_GetObjectItem(cJSON_GetObjectItem(v.root, "results"), "finite_size_check");
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(check, "failed")), "finite_size_check.failed");
    cr_assert_eq(cJSON_GetObjectItem(check, "size")->valuedouble, 2);
    cr_assert(isfinite(result(&v, "f", "value")) && result(&v, "f", "stderr") > 0);
    f = cJSON_GetObjectItem(cJSON_GetObjectItem(v.root, "results"), "f");
    cr_assert(!cJSON_IsNumber(cJSON_GetObjectItem(f, "bias_bound")), "f's bias is not bounded");
    cJSON_Delete(v.root);
}

/* The chain ([users]: its msd verdict was always finite_size, with an absurd --size):
 * the infinite chain's f is 0 and a ring of N sites with one vacancy has f = 1/(N - 1)
 * exactly (the atoms keep their order), so the bias is the whole value at every size;
 * the verdict says so, suggests no size, and the box's f meets its exact value within
 * 4 sigma (checked here from the JSON, independently of the verdict's own figure). */
Test(verdict, chain_msd_is_one_dimensional_with_the_ring_s_exact_f)
{
    verdict_run v;
    const double ring = 1.0 / 15;         /* 16 sites */
    run_verdict(&v, "--lattice", "chain", "--estimator", "msd", "--size", "16", "--replicas",
                "4000", "--times", "16", "--threads", "2", NULL);
    cr_assert_str_eq(v.code, "one_dimensional", "%s", v.text);
    cr_assert_null(strstr(v.text, "use --size"), "%s", v.text);
    cr_assert_not_null(strstr(v.text, "1/(N-1) = 0.06667 for one vacancy in 16 sites"), "%s",
                       v.text);
    cr_assert_lt(fabs(result(&v, "f", "value") - ring), 4 * result(&v, "f", "stderr"),
                 "f = %g, 1/(N-1) = %g", result(&v, "f", "value"), ring);
    cJSON_Delete(v.root);
}

/* The gas and the alloy on the chain ([users] audit: judged by their bounds, they were
 * told "use --size 3037 or more" and "--size 3323"): their particles cannot pass each
 * other either, so the tracers' f is 0 on the infinite chain at every size; the verdict
 * names the first estimate judged and suggests no size. */
Test(verdict, gas_and_alloy_on_the_chain_are_one_dimensional)
{
    verdict_run v, w;
    run_verdict(&v, "--model", "gas", "--lattice", "chain", "--c", "0.5", "--size", "16",
                "--replicas", "400", "--times", "8", NULL);
    cr_assert_str_eq(v.code, "one_dimensional", "%s", v.text);
    cr_assert_null(strstr(v.text, "use --size"), "%s", v.text);
    cr_assert_not_null(strstr(v.text, "this ring's f ("), "%s", v.text);
    run_verdict(&w, "--model", "alloy", "--lattice", "chain", "--species", "A:0.5,B:0.5",
                "--w", "A=1,B=0.2", "--size", "16", "--replicas", "400", "--times", "8", NULL);
    cr_assert_str_eq(w.code, "one_dimensional", "%s", w.text);
    cr_assert_null(strstr(w.text, "use --size"), "%s", w.text);
    cr_assert_not_null(strstr(w.text, "take f(A) = 0"), "%s", w.text);
    cJSON_Delete(v.root);
    cJSON_Delete(w.root);
}

/* A 2D alloy run shorter than the run-length bound needs, N/2 uncorrelated jumps per
 * atom of the slowest mobile species (results/alloys.md, the run-length law),
 * is told so as it starts (one stderr line) and in its verdict (run_length, naming the
 * --time that reaches N/2 jumps: on square, z = 4 equal unit rates, one vacancy, that is
 * (N/2)(N - 1)/(4 w_B) = 50 x 99 / 0.8 = 6187.5 for 100 sites and w_B = 0.2); a run of
 * that --time, and a 3D run as short as the first, are told nothing of it. */
Test(verdict, a_2d_alloy_run_below_n_over_2_jumps_is_run_length_from_the_start)
{
    static const char *const crossover = "shorter than the N/2 = 50 jumps (N = 100 sites) a "
                                         "2D box needs before the run-length bound holds";
    const double least = 50.0 * 99.0 / (4 * 0.2);
    verdict_run v;
    char time[32];
    hop_proc *p;
    const char *warning;
    double t;
    run_verdict(&v, "--model", "alloy", "--lattice", "square", "--species", "A:0.5,B:0.5",
                "--w", "A=1,B=0.2", "--size", "10", "--time", "1000", "--replicas", "1000",
                "--times", "12", NULL);
    cr_assert_str_eq(v.code, "run_length", "%s", v.text);
    cr_assert_not_null(strstr(v.text, crossover), "%s", v.text);
    cr_assert_not_null(strstr(v.text, "the run (8.08 jumps per atom"), "1000 w_B 4/99: %s",
                       v.text);
    t = suggested(&v, "use --time");
    cr_assert(t >= least && t <= 1.02 * least, "--time %g for %g: %s", t, least, v.text);
    cJSON_Delete(v.root);
    p = hop_run_list("run", "--backend", "cpu", "--model", "alloy", "--lattice", "square",
                     "--species", "A:0.5,B:0.5", "--w", "A=1,B=0.2", "--size", "10", "--time",
                     "1000", "--replicas", "1000", "--times", "12", NULL);
    cr_assert_eq(p->status, 0, "%s", p->err);
    warning = strstr(p->err, "hop: warning: the run (8.08 jumps");
    cr_assert_not_null(warning, "no warning as the run starts:\n%s", p->err);
    cr_assert_not_null(strstr(warning, crossover), "%s", p->err);
    cr_assert_null(strstr(warning + 1, "hop: warning"), "one line:\n%s", p->err);
    cr_assert_lt(warning - p->err, strstr(p->err, "hop: done") - p->err, "at the start");
    snprintf(time, sizeof time, "%.17g", t);
    run_verdict(&v, "--model", "alloy", "--lattice", "square", "--species", "A:0.5,B:0.5",
                "--w", "A=1,B=0.2", "--size", "10", "--time", time, "--replicas", "1000",
                "--times", "12", NULL);
    cr_assert_null(strstr(v.text, "N/2 ="), "--time %s: %s", time, v.text);
    cJSON_Delete(v.root);
    run_verdict(&v, "--model", "alloy", "--lattice", "sc", "--species", "A:0.5,B:0.5",
                "--w", "A=1,B=0.2", "--size", "4", "--time", "100", "--replicas", "1000",
                "--times", "12", NULL);
    cr_assert_null(strstr(v.text, "N/2 ="), "3D: %s", v.text);
    cJSON_Delete(v.root);
}

Test(verdict, gas_with_too_short_equilibration_is_not_equilibrated)
{
    verdict_run v;
    double z;
    run_verdict(&v, "--model", "gas", "--lattice", "square", "--c", "0.5", "--J", "1",
                "--equilibrate", "0.01", "--replicas", "1000", "--times", "12", "--size", "8",
                NULL);
    cr_assert_str_eq(v.code, "not_equilibrated", "%s", v.text);
    z = fabs(result(&v, "pairs_per_site_drift", "value"))
        / result(&v, "pairs_per_site_drift", "stderr");
    cr_assert_gt(z, 4.0);
    cr_assert_gt(suggested(&v, "--equilibrate"), 0.01);
    cJSON_Delete(v.root);
}

Test(verdict, plain_corr_run_is_converged)
{
    verdict_run v;
    run_verdict(&v, "--lattice", "fcc", "--radius", "16", "--replicas", "40000", NULL);
    cr_assert_str_eq(v.code, "converged", "%s", v.text);
    cr_assert_leq(result(&v, "f", "bias_bound"), result(&v, "f", "stderr"));
    cJSON_Delete(v.root);
}

/* J = 0: D_sigma = D0 M/(n-1) exactly, so H = D* / D_sigma is f, with f's error. */
Test(verdict, gas_at_J_0_has_H_equal_to_f)
{
    verdict_run v;
    run_verdict(&v, "--model", "gas", "--lattice", "sc", "--c", "0.3", "--replicas", "1000",
                "--times", "12", "--size", "6", NULL);
    cr_assert_eq(result(&v, "haven_ratio", "value"), result(&v, "f", "value"));
    cr_assert_eq(result(&v, "haven_ratio", "stderr"), result(&v, "f", "stderr"));
    cr_assert_eq(result(&v, "haven_ratio_inverse", "value"), 1.0 / result(&v, "f", "value"));
    cr_assert_eq(result(&v, "haven_ratio", "bias_bound"), result(&v, "f", "bias_bound"));
    cJSON_Delete(v.root);
}

Test(verdict, exact_estimator_reports_its_extrapolation_bound)
{
    verdict_run v;
    run_verdict(&v, "--lattice", "square", "--estimator", "exact", NULL);
    cr_assert_str_eq(v.code, "exact", "%s", v.text);
    cr_assert_not_null(strstr(v.text, "extrapolation bound"), "%s", v.text);
    cJSON_Delete(v.root);
}

/* The scan's last column is each row's verdict code. */
Test(verdict, scan_rows_carry_the_verdict_code)
{
    char dir[64], csv[96], *text, *line;
    const char *expect[] = {"truncation", "converged"};
    int row = 0;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(csv, sizeof csv, "%s/s.csv", dir);
    p = hop_run_list("scan", "--quiet", "--backend", "cpu", "--lattice", "sc", "--radius", "4,16",
                     "--shells", "3", "--replicas", "100000", "--out", csv, NULL);
    cr_assert_eq(p->status, 0, "%s", p->err);
    text = read_whole_file(csv);
    cr_assert_not_null(text);
    for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        const char *last = strrchr(line, ',');
        if (line[0] == '#')
            continue;
        cr_assert_not_null(last);
        if (strncmp(line, "point,", 6) == 0) {
            cr_assert_str_eq(last + 1, "verdict");
            continue;
        }
        cr_assert_lt(row, 2);
        cr_assert_str_eq(last + 1, expect[row], "row %d: %s", row + 1, line);
        ++row;
    }
    cr_assert_eq(row, 2);
    free(text);
    remove_dir(dir);
}

/* performance.key of the record. */
static cJSON *performance(const verdict_run *v, const char *key)
{
    cJSON *x = cJSON_GetObjectItem(cJSON_GetObjectItem(v->root, "performance"), key);
    cr_assert_not_null(x, "no performance.%s", key);
    return x;
}

/* A box (msd, gas, alloy) stopped by its time limit below its fit's minimum, 50
 * replicas per time point, says so in its verdict and JSON ([users]: an fcc msd run
 * stopped by --time-limit 0.001 at 21 replicas of the 2000 was "converged"), the run's
 * own count in the text.  The limit lies below any sub-batch, so each run stops at its
 * first estimate that succeeds (1, 4, 16 ... replicas), whatever the machine's speed. */
static void assert_stopped_early(const verdict_run *v)
{
    const double times = cJSON_GetObjectItem(cJSON_GetObjectItem(v->root, "parameters"),
                                             "n_times")->valuedouble;
    const double ran = performance(v, "replicas")->valuedouble, least = 50 * times;
    char says[96];
    cr_assert_str_eq(performance(v, "stopped_by")->valuestring, "time limit");
    cr_assert_lt(ran, least, "the run was not stopped below its minimum: %g replicas", ran);
    cr_assert_str_eq(v->code, "stopped_early", "%s", v->text);
    snprintf(says, sizeof says, "the box ran %.0f replicas, below the %.0f the fit needs", ran,
             least);
    cr_assert_not_null(strstr(v->text, says), "'%s' does not say '%s'", v->text, says);
    cr_assert(suggested(v, "--time-limit") > 1e-6, "%s", v->text);
    cJSON_Delete(v->root);
}

Test(verdict, boxes_stopped_by_the_time_limit_below_their_fit_s_minimum_say_so)
{
    verdict_run v;
    run_verdict(&v, "--lattice", "fcc", "--estimator", "msd", "--replicas", "1000000",
                "--time-limit", "1e-6", NULL);
    assert_stopped_early(&v);
    run_verdict(&v, "--model", "gas", "--lattice", "fcc", "--c", "0.5", "--replicas", "1000000",
                "--times", "8", "--time-limit", "1e-6", NULL);
    assert_stopped_early(&v);
    run_verdict(&v, "--model", "alloy", "--lattice", "fcc", "--species", "A:0.5,B:0.5", "--w",
                "A=1,B=0.2", "--replicas", "1000000", "--time-limit", "1e-6", NULL);
    assert_stopped_early(&v);
}

/* The companion box shares the time limit and may stop below the minimum after the
 * run's box did not: its bias bound is then the unreliable part, and the verdict says
 * so (judged on a result built here: a run cannot be timed to stop just there). */
Test(verdict, a_companion_box_stopped_below_the_minimum_says_so)
{
    hop_result r;
    hop_verdict v;
    memset(&r, 0, sizeof r);
    r.params.lattice = hop_lattice_find("fcc");
    r.params.model = HOP_MODEL_VACANCY;
    r.params.estimator = HOP_EST_MSD;
    r.params.n_times = 8;
    r.params.size = 8;
    r.params.size_check = 1;
    r.params.time_limit = 10;
    r.stopped_by = "replicas";
    r.replicas = 400;
    r.wall_s = 5;
    r.check_size = 4;
    r.check_replicas = 399;
    hop_verdict_of(&r, &v);
    cr_assert_str_eq(v.code, "stopped_early", "%s", v.text);
    cr_assert_not_null(strstr(v.text, "the half-size companion box ran 399 replicas, below the "
                              "400 its fit needs"), "%s", v.text);
    cr_assert_not_null(strstr(v.text, "the finite-size bias bound is unreliable"), "%s", v.text);
    r.check_replicas = 400;
    hop_verdict_of(&r, &v);
    cr_assert_str_neq(v.code, "stopped_early", "400 replicas are enough: %s", v.text);
}

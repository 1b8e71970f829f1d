/* solute.c: the five-frequency model's parameters and closed forms (see solute.h), and
 * its table (models/model.h): the vacancy family's estimators with the solute's rates,
 * residence-time clock, companion box and sections. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "models/estimators.h"
#include "models/format.h"
#include "models/physics.h"
#include "models/sections.h"
#include "models/solute.h"
#include "models/vacancy.h"

double hop_manning_f2(double w0, double w1, double w2, double w3, double w4)
{
    const double a = w4 / w0;
    const double seven_f = 7.0 - (10 * a * a * a * a + 180.5 * a * a * a + 927 * a * a + 1341 * a)
                                 / (2 * a * a * a * a + 40.2 * a * a * a + 254 * a * a + 597 * a + 435);
    return (2 * w1 + seven_f * w3) / (2 * w1 + 2 * w2 + seven_f * w3);
}

int hop_solute_box_ok(const hop_lattice *L, int size)
{
    /* The residence-time classification uses minimum images: the box must hold the
     * shells within three jumps of the solute without wrapping onto itself. */
    const double edge2 = (double)L->cell[0] * L->cell[0] * L->metric[0][0] * size * size;
    return edge2 > 36.0 * L->jump_len2;
}

#define BAD(...) do { snprintf(msg, msg_len, __VA_ARGS__); return HOP_ERR_INVAL; } while (0)

/* Largest |E_i - Q_m|/kT taken: exp of it must stay a useful double. */
#define MAX_EXPONENT 700.0

static int is_fcc(const hop_lattice *L) { return strcmp(L->name, "fcc") == 0; }
static int is_bcc(const hop_lattice *L) { return strcmp(L->name, "bcc") == 0; }

/* Physical units: the rates from the barriers, w_i / w0 = exp(-(E_i - Q_m)/kT) with w0
 * = 1 (the common factor nu exp(S_m) exp(-Q_m/kT) is w0's, so the run is the reduced
 * run with these w_i, bit for bit).  Resolving twice finds the rates it set itself. */
static hop_status solute_energies(hop_params *p, char *msg, size_t msg_len)
{
    const hop_lattice *L = p->lattice;
    const double kT = HOP_K_B_EV * p->T;
    double w[5] = {1, 0, 0, 0, 0};
    if (p->w3p > 0 || p->w3pp > 0)
        BAD("--w3p/--w3pp: not with physical units (the solute's rates come from --E1 .. --E4)");
    for (int i = 1; i < 5; ++i) {
        if (i == 1 && is_bcc(L)) {
            if (p->E[1] > 0)
                BAD("--E1: bcc has no jumps between two nearest neighbours of the solute "
                    "(Le Claire's model); leave it out");
            continue;
        }
        if (!(p->E[i] > 0))
            BAD("--E%d (the barrier of w%d in eV) is required with --model solute in physical "
                "units on %s", i, i, L->name);
        if (fabs(p->E[i] - p->Qm) / kT > MAX_EXPONENT)
            BAD("--E%d: |E%d - Q_m|/kT = %g at %g K: the rate ratio w%d/w0 under- or overflows "
                "(at most %g)", i, i, fabs(p->E[i] - p->Qm) / kT, p->T, i, MAX_EXPONENT);
        w[i] = exp(-(p->E[i] - p->Qm) / kT);
    }
    for (int i = 0; i < 5; ++i)
        if (p->w[i] > 0 && p->w[i] != w[i])
            BAD("give either the rates --w0 .. --w4 (reduced units) or the barriers --E1 .. "
                "--E4 with physical units, not both");
    memcpy(p->w, w, sizeof w);
    return HOP_OK;
}

/* The solute's own checks, after the estimator's and the physical units'. */
static hop_status solute_check(hop_params *p, char *msg, size_t msg_len)
{
    static const char *names[] = {"--w0", "--w1", "--w2", "--w3", "--w4"};
    const hop_lattice *L = p->lattice;
    if (!is_fcc(L) && !is_bcc(L))
        BAD("--model solute: the five-frequency model is defined for fcc and bcc, not %s",
            L->name);
    if (p->estimator == HOP_EST_MSD && !hop_solute_box_ok(L, p->size))
            BAD("--size: %d cells is too small for --model solute on %s (the box must be more "
                "than six jump lengths wide: at least %d)", p->size, L->name,
                (int)floor(sqrt(36.0 * L->jump_len2 / ((double)L->cell[0] * L->cell[0]
                                                         * L->metric[0][0]))) + 1);
    if (p->physical && solute_energies(p, msg, msg_len) != HOP_OK)
        return HOP_ERR_INVAL;
    if (!p->physical && (p->E[1] > 0 || p->E[2] > 0 || p->E[3] > 0 || p->E[4] > 0))
        BAD("--E1 .. --E4 are barriers in eV: they need physical units (--T, --Qf, --Qm, "
            "--nu, --a); in reduced units give the rates --w0 .. --w4");
    for (int i = 0; i < 5; ++i) {
        if (i == 1 && is_bcc(L)) {
            if (p->w[1] > 0)
                BAD("--w1: bcc has no jumps between two nearest neighbours of the solute "
                    "(Le Claire's model); leave it out");
            continue;
        }
        if (!(p->w[i] > 0))
            BAD("%s is required with --model solute on %s (a rate > 0)", names[i], L->name);
    }
    if (is_fcc(L) && (p->w3p > 0 || p->w3pp > 0))
        BAD("--w3p/--w3pp: fcc's five-frequency model has one w3; they are for bcc");
    if (p->estimator == HOP_EST_MSD) {
        /* The msd run is timed by the int64 residence-time clock of step.h, in which a
         * time t (in 1/w0) is t 2^64 / W0 units (hop_run_msd_params), and one event
         * adds at most 2^64 / (z W_min), W_min the smallest rate weight.  Both within
         * 2^63, t < W0 (1/2 - 1/(z W_min)): with w0 a tiny fraction of the largest
         * rate (W0 near 1) the clock would overflow at once. */
        hop_rates R;
        double w_min = 0x1p32, max_time;
        hop_solute_rates(p, &R);
        for (int c = 0; c < HOP_RATE_CLASSES; ++c)
            if (R.weight[c] > 0 && (double)R.weight[c] < w_min)
                w_min = (double)R.weight[c];
        max_time = (double)R.weight[HOP_W0] * (0.5 - 1.0 / (L->z * w_min)) * (1 - 1e-9);
        if (p->time > max_time)
            BAD("--time: %g is too long for the msd clock with these rates (w0 is %.3g of the "
                "largest rate; at most %.4g in 1/w0): shorten --time or narrow the rates",
                p->time, ldexp((double)R.weight[HOP_W0], -32), max_time > 0 ? max_time : 0);
    }
    return HOP_OK;
}

/* The distinct squared distances one jump outside the NN shell, increasing. */
static int outer_shells(const hop_lattice *L, int64_t *r2)
{
    int n = 0;
    for (int i = 0; i < L->z; ++i)
        for (int k = 0; k < L->z; ++k) {
            int32_t t[HOP_MAX_DIM];
            int64_t t2;
            int j;
            for (int a = 0; a < HOP_MAX_DIM; ++a)
                t[a] = L->jump[0][i][a] + L->jump[0][k][a];
            t2 = hop_lattice_norm2(L, t);
            if (t2 == 0 || t2 == L->jump_len2)
                continue;
            for (j = 0; j < n && r2[j] != t2; ++j)
                ;
            if (j < n || n == HOP_MAX_OUTER)
                continue;
            for (j = n++; j > 0 && r2[j - 1] > t2; --j)
                r2[j] = r2[j - 1];
            r2[j] = t2;
        }
    return n;
}

void hop_solute_rates(const hop_params *p, hop_rates *R)
{
    double w[HOP_RATE_CLASSES], top = 0;
    const double w3[HOP_MAX_OUTER] = {p->w[3], p->w3p > 0 ? p->w3p : p->w[3],
                                      p->w3pp > 0 ? p->w3pp : p->w[3]};
    memset(R, 0, sizeof *R);
    R->nn_r2 = p->lattice->jump_len2;
    R->n_outer = outer_shells(p->lattice, R->outer_r2);
    w[HOP_W0] = p->w[0];
    w[HOP_W1] = p->w[1];
    w[HOP_W2] = p->w[2];
    for (int j = 0; j < HOP_MAX_OUTER; ++j) {
        /* Detailed balance with the binding in the NN shell only: w4_j / w3_j = w4 / w3. */
        w[HOP_W3 + j] = w3[j];
        w[HOP_W4 + j] = p->w[4] * w3[j] / p->w[3];
    }
    for (int c = 0; c < HOP_RATE_CLASSES; ++c)
        top = w[c] > top ? w[c] : top;
    for (int c = 0; c < HOP_RATE_CLASSES; ++c) {
        double x = ldexp(w[c] / top, 32);
        R->weight[c] = w[c] > 0 && x < 1 ? 1 : (uint64_t)llround(x);
    }
}

/* Physical units: the host's X_v, omega (= w0) and alpha (models/physics.h), then the
 * tracer's (the solute's) transport in phys: Gamma = z w2 X_v (w4/w3), D* = D2 = f2
 * (1/2d) Gamma alpha^2 in m^2/s with w2 = nu exp(S_m) exp(-E_2/kT), and at fixed f2 the
 * Arrhenius D0 = f2 (1/2d) z alpha^2 nu exp(S_f + S_m), Q = Q_f + E2 + E4 - E3.  A lone
 * solute has no D_sigma nor Haven ratio: NaN. */
static void solute_physical(hop_result *r)
{
    const hop_params *p = &r->params;
    const hop_lattice *L = p->lattice;
    hop_physical *x = &r->phys;
    const hop_estimate none = {NAN, NAN, NAN};
    double w2, bind;
    hop_physics_apply(r);
    w2 = p->nu * exp(p->Sm) * exp(-p->E[2] / x->kT);
    bind = exp(-(p->E[4] - p->E[3]) / x->kT);
    x->Gamma = L->z * w2 * x->X_v * bind;
    x->D_uncorrelated = x->Gamma * x->alpha * x->alpha / (2.0 * L->dim);
    r->D2 = r->f.value * x->D_uncorrelated;
    x->D_star.value = r->D2;
    x->D_star.sigma = r->f.sigma * x->D_uncorrelated;
    x->D_star.bias = r->f.bias * x->D_uncorrelated;
    x->D0 = r->f.value * L->z * x->alpha * x->alpha * p->nu * exp(p->Sf + p->Sm)
            / (2.0 * L->dim);
    x->Q_D = p->Qf + p->E[2] + p->E[4] - p->E[3];
    x->D_sigma = x->conductivity = none;
    x->D_sigma_exact = 0;
    r->haven = r->haven_inverse = none;
}

static void solute_apply(hop_result *r)
{
    const hop_params *p = &r->params;
    const hop_lattice *L = p->lattice;
    const double alpha2 = (double)L->jump_len2 / L->metric_den;
    r->f2_manning = is_fcc(L) ? hop_manning_f2(p->w[0], p->w[1], p->w[2], p->w[3], p->w[4]) : NAN;
    r->D2_over_Xv = r->f.value * L->z * alpha2 * p->w[2] * (p->w[4] / p->w[3]) / (2.0 * L->dim);
    r->binding = log(p->w[4] / p->w[3]);
    r->D2 = NAN;
    if (p->physical)
        solute_physical(r);
}

static hop_status solute_resolve(hop_params *p, char *msg, size_t msg_len)
{
    if (hop_vacancy_family_resolve(p, msg, msg_len) != HOP_OK)
        return HOP_ERR_INVAL;
    return solute_check(p, msg, msg_len);
}

/* The msd companion, when it is still wide enough for the residence-time
 * classification. */
static hop_companion solute_companion(const hop_params *p, hop_params *q)
{
    if (!hop_solute_box_ok(p->lattice, hop_companion_size(p->lattice, p->size)))
        return HOP_COMPANION_SKIPPED;
    return hop_msd_companion(p, q);
}

/* The residence-time clock counts 2^-32 / w_max; w0/w_max = W0 / 2^32, so a time t
 * (in 1/w0) is t 2^64 / W0 units. */
static void solute_msd_clock(const hop_params *p, hop_msd_params *mp)
{
    const hop_lattice *L = p->lattice;
    hop_solute_rates(p, &mp->rates);
    mp->time_unit = (double)mp->rates.weight[HOP_W0] / 18446744073709551616.0;
    for (int i = 0; i < p->n_times; ++i)
        mp->time_steps[i] = (int64_t)llround((double)mp->time_steps[i] / L->z / mp->time_unit);
}

/* The solute model's block (host/models/solute.h). */
static void print_solute(FILE *out, const hop_result *r)
{
    const hop_params *p = &r->params;
    char pm[96], bias[48];
    hop_format_pm(pm, sizeof pm, r->f.value, r->f.sigma);
    hop_format_bias(bias, sizeof bias, r->f.bias, r->f.sigma);
    fprintf(out, "solute (five-frequency model): w0 = %g, w1 = %g, w2 = %g, w3 = %g, w4 = %g", p->w[0],
            p->w[1], p->w[2], p->w[3], p->w[4]);
    if (p->w3p > 0 || p->w3pp > 0)
        fprintf(out, ", w3' = %g, w3'' = %g", p->w3p > 0 ? p->w3p : p->w[3],
                p->w3pp > 0 ? p->w3pp : p->w[3]);
    fprintf(out, "\n  f2 = %s (stat), systematic bound %s\n", pm, bias);
    if (isfinite(r->f2_manning))
        fprintf(out, "  Manning's approximation (Phys. Rev. 136, A1758, 1964): f2 = %.5f\n",
                r->f2_manning);
    else
        fprintf(out, "  Manning's approximation: given here for fcc only\n");
    fprintf(out, "  D2 / X_v = f2 (1/2d) z alpha^2 w2 (w4/w3) = %.6g a^2 [w]; binding E_b/kT = "
            "ln(w4/w3) = %.4g\n", r->D2_over_Xv, r->binding);
}

/* With physical units: the solute's D2 in SI (the host's D* is not the tracer's here). */
static void print_solute_physical(FILE *out, const hop_result *r)
{
    const hop_params *p = &r->params;
    const hop_physical *x = &r->phys;
    fprintf(out, "physical units: T = %g K, Q_f = %g eV, S_f = %g k, S_m = %g k, nu = %g Hz, "
            "a = %g A\n", p->T, p->Qf, p->Sf, p->Sm, p->nu, p->a);
    fprintf(out, "  barriers E0 = Q_m = %g, E1 = %g, E2 = %g, E3 = %g, E4 = %g eV; w_i = nu "
            "exp(S_m) exp(-E_i/kT), w0 = %.6g /s\n", p->Qm, p->E[1], p->E[2], p->E[3],
            p->E[4], x->omega);
    fprintf(out, "  kT = %.6g eV, X_v = exp(S_f) exp(-Q_f/kT) = %.6g\n", x->kT, x->X_v);
    hop_print_sci(out, "D2 = f2 (1/2d) z alpha^2 w2 X_v (w4/w3)", &x->D_star, "m^2/s");
    fprintf(out, "  Arrhenius at fixed f2: D2 = D0 exp(-Q/kT), D0 = f2 (1/2d) z alpha^2 nu "
            "exp(S_f + S_m) = %.6g m^2/s, Q = Q_f + E2 + E4 - E3 = %g eV\n", x->D0, x->Q_D);
}

static void solute_report(FILE *out, const hop_result *r)
{
    /* The vacancy block in reduced units: its physical D* would be f2 times the host's. */
    hop_result reduced = *r;
    reduced.params.physical = 0;
    hop_vacancy_report(out, &reduced);
    print_solute(out, r);
    if (r->params.physical)
        print_solute_physical(out, r);
}

/* The rates given, after the vacancy family's parameters. */
static void solute_json_parameters(cJSON *o, const hop_params *p)
{
    static const char *names[] = {"w0", "w1", "w2", "w3", "w4"};
    cJSON *w;
    hop_vacancy_json_parameters(o, p);
    if (p->physical) {
        static const char *barriers[] = {"E0", "E1", "E2", "E3", "E4"};
        cJSON *e = cJSON_AddObjectToObject(o, "barriers_eV");
        for (int i = 1; i < 5; ++i)
            if (p->E[i] > 0)
                hop_json_number(e, barriers[i], p->E[i]);
    }
    w = cJSON_AddObjectToObject(o, "rates");
    for (int i = 0; i < 5; ++i)
        if (p->w[i] > 0)
            hop_json_number(w, names[i], p->w[i]);
    if (p->w3p > 0)
        hop_json_number(w, "w3p", p->w3p);
    if (p->w3pp > 0)
        hop_json_number(w, "w3pp", p->w3pp);
}

/* f2 (= f), Manning's f2, D2/X_v and the binding, after the vacancy family's results. */
static void solute_json_results(cJSON *o, const hop_result *r)
{
    hop_result reduced = *r;    /* as in the report: the host's physical D* is not D2 */
    reduced.params.physical = 0;
    hop_vacancy_json_results(o, &reduced);
    if (r->params.physical) {
        cJSON *x = cJSON_AddObjectToObject(o, "physical");
        hop_json_number(x, "kT", r->phys.kT);
        hop_json_number(x, "X_v", r->phys.X_v);
        hop_json_number(x, "w0", r->phys.omega);
        hop_json_estimate(x, "D2", &r->phys.D_star);
        hop_json_number(x, "Gamma", r->phys.Gamma);
        hop_json_number(x, "D0", r->phys.D0);
        hop_json_number(x, "Q_at_fixed_f2", r->phys.Q_D);
        cJSON_AddStringToObject(x, "units", "D2 in m^2/s, w0 in 1/s, energies in eV");
    }
    hop_json_estimate(o, "f2", &r->f);
    hop_json_number(o, "f2_manning", r->f2_manning);
    hop_json_number(o, "D2_over_Xv", r->D2_over_Xv);
    hop_json_number(o, "binding_over_kT", r->binding);
}

static void solute_columns(const hop_result *r, hop_model_columns *c)
{
    hop_model_columns_none(r, c);
    c->f2_manning = r->f2_manning;
    c->D2_over_Xv = r->D2_over_Xv;
}

/* The solute jumps at rate (w2/w0) p_1 over z w0, p_1 = (w4/w3) / (z w4/w3 + N - 1 - z)
 * the equilibrium probability that a given nearest-neighbour site holds the vacancy
 * (the integer rates the simulation used); a lone solute's ratio to the collective
 * motion of all atoms is no Haven ratio. */
static void solute_msd_rates(const hop_params *p, const hop_msd_params *mp, hop_msd_model *mm)
{
    const hop_lattice *L = p->lattice;
    const uint64_t N = hop_msd_box_sites(L, mp);
    const hop_rates *R = &mp->rates;
    const double bind = (double)R->weight[HOP_W4] / (double)R->weight[HOP_W3];
    mm->per_vacancy = 1.0 / (double)(N - 1);
    mm->tracer_rate = (double)R->weight[HOP_W2] / (double)R->weight[HOP_W0] * bind
                      / (L->z * bind + (double)(N - 1 - (uint64_t)L->z));
    mm->collective = 0;
}

/* The exact solver takes the solute with the checks of a corr run (lattice, rates; at
 * the corr estimator's default radius: --radius is the exact solver's own); what that
 * run resolves for physical units (Q_f, Q_m, the rates w_i from the barriers) goes
 * into p, so the exact run solves with the same rates. */
static hop_status solute_exact_check(hop_params *p, char *msg, size_t msg_len)
{
    hop_params q = *p;
    q.estimator = HOP_EST_CORR;
    q.radius = 0;
    if (solute_resolve(&q, msg, msg_len) != HOP_OK)
        return HOP_ERR_INVAL;
    p->physical = q.physical;
    p->Qf = q.Qf;
    p->Qm = q.Qm;
    memcpy(p->w, q.w, sizeof p->w);
    return HOP_OK;
}

const hop_model hop_model_solute = {
    HOP_MODEL_SOLUTE, "solute",
    "a solute atom in the five-frequency model (fcc, bcc): f2, D2, and\n"
    "             Manning's f2 beside them", 1,
    {&hop_corr_estimator, &hop_msd_estimator},
    solute_resolve, solute_companion, hop_solute_rates, solute_msd_clock, solute_msd_rates,
    solute_apply,
    "a lone solute: its ratio to the collective motion is no Haven ratio", solute_report,
    {"tracer jumps", "vacancy steps", "steps/s"},
    solute_json_parameters, solute_json_results, solute_columns, solute_exact_check,
    NULL
};

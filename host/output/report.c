/* report.c: the summary `hop run` prints on stdout (see report.h).  Numbers are shown
 * with as many decimals as their standard error supports (two significant digits of
 * the error), so the printed digits are the meaningful ones.  Reference values are not
 * printed here: a run reports what it measured. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "hop_git.h"
#include "output/report.h"
#include "models/solute.h"

/* Decimals that show two significant digits of sigma; -1 when sigma is 0 or unknown. */
static int decimals_for(double sigma)
{
    int d;
    if (!(sigma > 0) || !isfinite(sigma))
        return -1;
    d = 1 - (int)floor(log10(sigma));
    return d < 0 ? 0 : d > 15 ? 15 : d;
}

/* "value ± sigma" into buf with decimals from sigma; %.8g for the value when sigma is
 * 0 (an exact result) or unknown; "undefined" when the value itself is NaN (e.g.
 * D_sigma of the random model, which has no vacancy). */
static void format_pm(char *buf, size_t n, double value, double sigma)
{
    int d = decimals_for(sigma);
    if (!isfinite(value))
        snprintf(buf, n, "undefined");
    else if (d >= 0)
        snprintf(buf, n, "%.*f ± %.*f", d, value, d, sigma);
    else if (sigma == 0)
        snprintf(buf, n, "%.8g ± 0", value);
    else
        snprintf(buf, n, "%.8g ± unknown", value);
}

/* The systematic bound with the decimals of the statistical error, or two significant
 * digits when those decimals would round a non-zero bound to zero. */
static void format_bias(char *buf, size_t n, double bias, double sigma)
{
    int d = decimals_for(sigma);
    if (!isfinite(bias))
        snprintf(buf, n, "unknown");
    else if (bias == 0)
        snprintf(buf, n, "0");
    else if (d >= 0 && bias >= 0.5 * pow(10.0, -d))
        snprintf(buf, n, "%.*f", d, bias);
    else
        snprintf(buf, n, "%.2g", bias);
}

static void print_estimate(FILE *out, const char *label, const hop_estimate *e,
                           const char *units)
{
    char pm[96], bias[48];
    format_pm(pm, sizeof pm, e->value, e->sigma);
    format_bias(bias, sizeof bias, e->bias, e->sigma);
    fprintf(out, "%s = %s%s (stat), systematic bound %s\n", label, pm, units, bias);
}

/* Label of principal component g: "f_x" etc.; on a uniaxial lattice (one group of two
 * in-plane axes and one of a single axis) "f_x (basal)" and "f_z (c axis)". */
static void group_label(char *buf, size_t n, const hop_lattice *L, int g)
{
    int axes[HOP_MAX_GROUPS] = {0}, plane = 0;
    const char *note = "";
    for (int a = 0; a < L->dim; ++a)
        if (L->group_of_axis[a] >= 0 && L->group_of_axis[a] < HOP_MAX_GROUPS)
            ++axes[L->group_of_axis[a]];
    for (int h = 0; h < L->n_groups && h < HOP_MAX_GROUPS; ++h)
        plane |= axes[h] == 2;
    if (!L->isotropic && L->dim == 3 && plane)
        note = axes[g] == 2 ? " (basal)" : axes[g] == 1 ? " (c axis)" : "";
    snprintf(buf, n, "f_%s%s", L->group_name[g], note);
}

static void print_corr(FILE *out, const hop_result *r)
{
    fprintf(out, "truncation (f with the walk cut where the vacancy first reaches radius R):\n");
    fprintf(out, "  %16s  %s\n", "R [jump lengths]", "f");
    for (int m = 0; m < r->n_shells && m < HOP_MAX_SHELLS; ++m) {
        char pm[96];
        format_pm(pm, sizeof pm, r->f_shell[m].value, r->f_shell[m].sigma);
        fprintf(out, "  %16.6g  %s\n", r->shell_radius[m], pm);
    }
    fprintf(out, "  lost fraction (vacancy reached the outer radius): %.4g\n", r->lost_fraction);
    fprintf(out, "  The systematic bound on f comes from the two outermost radii.\n");
}

static void print_msd(FILE *out, const hop_result *r)
{
    const hop_params *p = &r->params;
    char pm[96], pm2[96];
    fprintf(out, "box: %llu sites (%d cells per edge), run time %.6g /omega, %d times, "
            "fit from t >= %g t_max\n", (unsigned long long)r->box_sites, p->size, p->time,
            p->n_times, p->fit_from);
    fprintf(out, "D_uncorrelated = %.6g a^2 omega\n", r->D_uncorrelated);
    print_estimate(out, "D*", &r->D_star, " a^2 omega");
    format_pm(pm, sizeof pm, r->D_sigma.value, r->D_sigma.sigma);
    if (isfinite(r->D_sigma.value))
        fprintf(out, "D_sigma = %s a^2 omega (stat)\n", pm);
    else
        fprintf(out, "D_sigma = undefined (%s)\n", p->model == HOP_MODEL_SOLUTE
                ? "a lone solute: its ratio to the collective motion is no Haven ratio"
                : "no vacancy carries charge in this model");
    format_pm(pm, sizeof pm, r->haven.value, r->haven.sigma);
    format_pm(pm2, sizeof pm2, r->haven_inverse.value, r->haven_inverse.sigma);
    fprintf(out, "Haven ratio: H = D*/D_sigma = %s\n", pm);
    fprintf(out, "             H_R = D_sigma/D* = %s (inverse convention)\n", pm2);
    fprintf(out, "GLS fit of the tracer MSD: chi2/dof = %.4g/%d\n", r->fit_chi2, r->fit_dof);
    if (r->check_size > 0) {
        char bias[48];
        format_pm(pm, sizeof pm, r->f_check.value, r->f_check.sigma);
        format_bias(bias, sizeof bias, r->f.bias, r->f.sigma);
        fprintf(out, "finite-size check: f = %s in a box of %llu sites (%d cells per edge); "
                "implied bias bound %s\n", pm, (unsigned long long)r->check_box_sites,
                r->check_size, bias);
    } else if (p->model == HOP_MODEL_RANDOM) {
        fprintf(out, "finite-size check: not needed (random jumps have no vacancy)\n");
    } else {
        fprintf(out, "finite-size check: not run; the finite-size bias is not bounded\n");
    }
}

/* "(m ± s)e-15" style for physical values of any magnitude, digits as format_pm. */
static void format_sci(char *buf, size_t n, double value, double sigma)
{
    char pm[96];
    int e;
    if (!isfinite(value) || value == 0) {
        format_pm(buf, n, value, sigma);
        return;
    }
    if (sigma == 0) {                 /* exact given its inputs */
        snprintf(buf, n, "%.6g", value);
        return;
    }
    e = (int)floor(log10(fabs(value)));
    format_pm(pm, sizeof pm, value / pow(10, e), sigma / pow(10, e));
    snprintf(buf, n, "(%s)e%+03d", pm, e);
}

static void print_sci(FILE *out, const char *label, const hop_estimate *e, const char *units)
{
    char pm[128];
    format_sci(pm, sizeof pm, e->value, e->sigma);
    fprintf(out, "  %s = %s %s", label, pm, units);
    if (e->bias > 0)
        fprintf(out, ", systematic bound %.2g", e->bias);
    fputc('\n', out);
}

/* The solute model's block (host/models/solute.h). */
static void print_solute(FILE *out, const hop_result *r)
{
    const hop_params *p = &r->params;
    char pm[96], bias[48];
    format_pm(pm, sizeof pm, r->f.value, r->f.sigma);
    format_bias(bias, sizeof bias, r->f.bias, r->f.sigma);
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

/* The physical-units block (host/models/physics.h). */
static void print_physical(FILE *out, const hop_result *r)
{
    const hop_params *p = &r->params;
    const hop_physical *x = &r->phys;
    const hop_estimate cm2 = {x->D_star.value * 1e4, x->D_star.sigma * 1e4, x->D_star.bias * 1e4};
    char pm[96], pm2[96];
    fprintf(out, "physical units: T = %g K, Q_f = %g eV, Q_m = %g eV%s, nu = %g Hz, a = %g A\n",
            p->T, p->Qf, p->Qm, p->bond_energy > 0 ? " (bond-breaking model)" : "", p->nu, p->a);
    fprintf(out, "  kT = %.6g eV, X_v = exp(-Q_f/kT) = %.6g, omega = nu exp(-Q_m/kT) = %.6g /s, "
            "Gamma = z omega X_v = %.6g /s\n", x->kT, x->X_v, x->omega, x->Gamma);
    fprintf(out, "  D (uncorrelated) = (1/2d) Gamma alpha^2 = %.6g m^2/s = %.6g cm^2/s "
            "(alpha = %.6g m)\n", x->D_uncorrelated, x->D_uncorrelated * 1e4, x->alpha);
    print_sci(out, "D* = f D", &x->D_star, "m^2/s");
    print_sci(out, "D*", &cm2, "cm^2/s");
    fprintf(out, "  Arrhenius: D* = D0 exp(-Q_D/kT), D0 = f (1/2d) z alpha^2 nu = %.6g m^2/s, "
            "Q_D = Q_f + Q_m = %g eV\n", x->D0, x->Q_D);
    if (x->D_sigma_exact)
        fprintf(out, "  D_sigma = D = %.6g m^2/s (one vacancy: the charge moves with the vacancy's "
                "uncorrelated walk)\n", x->D_sigma.value);
    else
        print_sci(out, "D_sigma", &x->D_sigma, "m^2/s");
    if (isfinite(x->conductivity.value)) {
        char label[160];
        snprintf(label, sizeof label, "conductivity (Nernst-Einstein, n = %g /m^3, q = %g e) "
                 "sigma = n q^2 D_sigma/kT", p->carrier_density, p->charge);
        print_sci(out, label, &x->conductivity, "S/m");
    }
    format_pm(pm, sizeof pm, r->haven.value, r->haven.sigma);
    format_pm(pm2, sizeof pm2, r->haven_inverse.value, r->haven_inverse.sigma);
    fprintf(out, "  Haven ratio: H = D*/D_sigma = %s; inverse convention H_R = D_sigma/D* = %s\n",
            pm, pm2);
}

/* The lattice gas's block (host/models/gas.h): D in units of D0, both Haven conventions. */
/* How a run in rounds ended, if not with the replicas asked for, and whether it was
 * resumed from a checkpoint. */
static void print_how_it_ran(FILE *out, const hop_result *r)
{
    const hop_params *p = &r->params;
    if (r->stopped_by && strcmp(r->stopped_by, "replicas") != 0)
        fprintf(out, "stopped by the %s after %llu replicas (rounds of %llu)\n", r->stopped_by,
                (unsigned long long)r->replicas, (unsigned long long)p->replicas);
    if (r->resumed)
        fprintf(out, "resumed from checkpoint '%s'; wall time sums every session\n", p->resume);
}

/* One D of the gas in m^2/s and cm^2/s with its bound (host/models/physics.h). */
static void print_gas_D(FILE *out, const char *label, const hop_estimate *e)
{
    char m2[128], cm2[128];
    if (!isfinite(e->value)) {
        fprintf(out, "  %-8s= not computed\n", label);
        return;
    }
    format_sci(m2, sizeof m2, e->value, e->sigma);
    format_sci(cm2, sizeof cm2, e->value * 1e4, e->sigma * 1e4);
    fprintf(out, "  %-8s= %s m^2/s = %s cm^2/s, systematic bound ", label, m2, cm2);
    if (isfinite(e->bias))
        fprintf(out, "%.2g m^2/s\n", e->bias);
    else
        fprintf(out, "unknown\n");
}

/* The gas's physical-units block (host/models/physics.h). */
static void print_gas_physical(FILE *out, const hop_result *r)
{
    static const char *const per[] = {"", "m", "m^2", "m^3"};
    static const char *const unit[] = {"", "S m", "S (sheet conductance)", "S/m"};
    const hop_params *p = &r->params;
    const hop_physical *x = &r->phys;
    const int dd = x->density_dim >= 1 && x->density_dim <= 3 ? x->density_dim : 3;
    char label[224];
    fprintf(out, "physical units: T = %g K, Q_m = %g eV (a free jump, dB <= 0), nu = %g Hz, "
            "a = %g A\n", p->T, p->Qm, p->nu, p->a);
    fprintf(out, "  kT = %.6g eV, omega = nu exp(-Q_m/kT) = %.6g /s; D0 = (1/2d) z alpha^2 omega "
            "= %.6g m^2/s = %.6g cm^2/s (alpha = %.6g m)\n", x->kT, x->omega, x->D0,
            x->D0 * 1e4, x->alpha);
    print_gas_D(out, "D*", &x->D_star);
    print_gas_D(out, "D_sigma", &x->D_sigma);
    print_gas_D(out, "D_vac", &x->D_vacancy);
    print_gas_D(out, "D_chem", &x->D_chem);
    snprintf(label, sizeof label, "conductivity (Nernst-Einstein, n = %.6g /%s %s, q = %g e) "
             "sigma = n q^2 D_sigma/kT", x->carrier_density, per[dd],
             p->carrier_density > 0 ? "from --carrier-density" : "= c sites per cell volume",
             p->charge);
    print_sci(out, label, &x->conductivity, unit[dd]);
}

static void print_gas(FILE *out, const hop_result *r)
{
    const hop_params *p = &r->params;
    const hop_estimate *e;
    char pm[96], pm2[96], J[96];
    if (p->pair_energy_given)
        snprintf(J, sizeof J, "pair energy E = %g eV at T = %g K: J = E/kT = %.6g", p->pair_energy,
                 p->T, p->J);
    else
        snprintf(J, sizeof J, "J = %g kT", p->J);
    fprintf(out, "lattice gas: %llu particles and %llu vacancies in %llu sites (%d cells per "
            "edge): c = %.6g; %s; run time %.6g /nu after %.6g /nu of equilibration, "
            "%d times, fit from t >= %g t_max\n", (unsigned long long)r->gas.n_particles,
            (unsigned long long)r->gas.n_vacancies, (unsigned long long)r->box_sites, p->size,
            r->gas.c, J, p->time, p->equilibrate, p->n_times, p->fit_from);
    fprintf(out, "  units: D0 = (1/2d) z alpha^2 nu = %.6g a^2 nu; M/(n-1) = %.6g (a particle's "
            "neighbour is empty with this probability; 1 - c in a large box)\n", r->gas.D0,
            r->gas.empty_neighbour);
    format_pm(pm, sizeof pm, r->gas.D_star.value, r->gas.D_star.sigma);
    fprintf(out, "  D*/D0       = %s (tracer, all particles)\n", pm);
    format_pm(pm, sizeof pm, r->gas.D_sigma.value, r->gas.D_sigma.sigma);
    fprintf(out, "  D_sigma/D0  = %s (collective |sum d_i|^2 / N)%s\n", pm,
            p->J == 0 ? "; exactly M/(n-1) for J = 0" : "");
    format_pm(pm, sizeof pm, r->gas.D_vacancy.value, r->gas.D_vacancy.sigma);
    fprintf(out, "  D_vac/D0    = %s (vacancies)\n", pm);
    e = &r->gas.theta;
    format_pm(pm, sizeof pm, e->value, e->sigma);
    format_pm(pm2, sizeof pm2, r->gas.theta_drift.value, r->gas.theta_drift.sigma);
    if (!isfinite(e->value))
        fprintf(out, "  Theta       = not measured (a box of one cell has no slab)\n");
    else if (isfinite(r->gas.theta_exact))
        fprintf(out, "  Theta       = %s (thermodynamic factor c/chi from the number fluctuations "
                "of %s; exact (n-1)/M = %.6g for J = 0); late - early half = %s\n", pm,
                r->gas.theta_two_widths ? "slabs of two widths" : "slabs of one width",
                r->gas.theta_exact, pm2);
    else
        fprintf(out, "  Theta       = %s (thermodynamic factor c/chi from the number fluctuations "
                "of %s); late - early half = %s\n", pm, r->gas.theta_two_widths
                ? "slabs of two widths, L/2 and L/4: surface term cancelled"
                : "slabs of one width (edge < 4 cells: O(1/L) surface bias)", pm2);
    if (isfinite(e->value) && r->gas.theta_two_widths) {
        format_pm(pm, sizeof pm, r->gas.theta_one_width.value, r->gas.theta_one_width.sigma);
        fprintf(out, "                (from the L/2 slabs alone, with their O(1/L) surface "
                "bias: %s)\n", pm);
    }
    e = &r->gas.D_chem;
    format_pm(pm, sizeof pm, e->value, e->sigma);
    if (r->gas.D_chem_exact_theta)
        fprintf(out, "  D_chem/D0   = %s (D_sigma Theta with the exact Theta (n-1)/M of J = 0; "
                "exactly 1)\n", pm);
    else if (isfinite(e->value))
        fprintf(out, "  D_chem/D0   = %s (D_sigma Theta with the measured Theta; error bound "
                "|Theta| s_D + |D| s_Theta)\n", pm);
    else
        fprintf(out, "  D_chem/D0   = not computed (J != 0 needs the measured Theta)\n");
    format_pm(pm, sizeof pm, r->f.value, r->f.sigma);
    fprintf(out, "  f = D*/(D0 M/(n-1)) = %s\n", pm);
    format_pm(pm, sizeof pm, r->haven.value, r->haven.sigma);
    format_pm(pm2, sizeof pm2, r->haven_inverse.value, r->haven_inverse.sigma);
    fprintf(out, "  Haven ratio: H = D*/D_sigma = %s\n", pm);
    fprintf(out, "               H_R = D_sigma/D* = %s (inverse convention)\n", pm2);
    format_pm(pm, sizeof pm, r->gas.pairs.value, r->gas.pairs.sigma);
    format_pm(pm2, sizeof pm2, r->gas.pairs_drift.value, r->gas.pairs_drift.sigma);
    fprintf(out, "  occupied nearest-neighbour pairs per site = %s (time average); late - early "
            "half = %s\n", pm, pm2);
    fprintf(out, "  GLS fits: tracer chi2/dof = %.4g/%d, collective %.4g/%d\n", r->fit_chi2,
            r->fit_dof, r->gas.fit_chi2_collective, r->gas.fit_dof_collective);
    if (r->check_size > 0) {
        format_pm(pm, sizeof pm, r->f_check.value, r->f_check.sigma);
        fprintf(out, "  finite-size check: f = %s in a box of %llu sites (%d cells); implied "
                "bias bounds: f %.2g, D*/D0 %.2g, D_sigma/D0 %.2g, H %.2g, Theta %.2g, "
                "D_chem/D0 %.2g\n", pm, (unsigned long long)r->check_box_sites, r->check_size,
                r->f.bias, r->gas.D_star.bias, r->gas.D_sigma.bias, r->haven.bias,
                r->gas.theta.bias, r->gas.D_chem.bias);
    } else {
        fprintf(out, "  finite-size check: not run (--no-size-check, or the half-size box is "
                "too small); the finite-size bias is not bounded\n");
    }
}

void hop_report_print(FILE *out, const hop_result *r)
{
    const hop_params *p = &r->params;
    const hop_lattice *L = p->lattice;
    char ran_on[96];
    int used;
    if (p->backend == HOP_BACKEND_CUDA)
        used = snprintf(ran_on, sizeof ran_on, "%d batch%s", r->batches,
                        r->batches == 1 ? "" : "es");
    else
        used = snprintf(ran_on, sizeof ran_on, "%d thread%s", r->threads,
                        r->threads == 1 ? "" : "s");
    if (r->ranks > 1 && used > 0 && (size_t)used < sizeof ran_on)   /* threads: rank 0's */
        snprintf(ran_on + used, sizeof ran_on - (size_t)used, " x %d MPI processes", r->ranks);
    fprintf(out, "hop %s (%s): lattice %s, estimator %s, model %s, backend %s, %s, seed %llu\n",
            HOP_VERSION, HOP_GIT_COMMIT, L ? L->name : "?",
            p->estimator == HOP_EST_MSD ? "msd" : "corr",
            hop_model_name(p->model),
            r->backend ? r->backend : "?", ran_on, (unsigned long long)p->seed);
    fprintf(out, "device: %s\n", r->device);
    if (p->model == HOP_MODEL_GAS) {
        print_gas(out, r);
        if (p->physical)
            print_gas_physical(out, r);
        print_how_it_ran(out, r);
        fprintf(out, "replicas %llu, jumps %llu, attempts %llu, wall %.3f s, %.4g attempts/s\n",
                (unsigned long long)r->replicas, (unsigned long long)r->tracer_jumps,
                (unsigned long long)r->vacancy_steps, r->wall_s, r->steps_per_s);
        return;
    }
    print_estimate(out, "f", &r->f, "");
    if (L) {
        for (int g = 0; g < r->n_groups && g < HOP_MAX_GROUPS; ++g) {
            char label[32];
            group_label(label, sizeof label, L, g);
            fprintf(out, "  ");
            print_estimate(out, label, &r->f_group[g], "");
        }
        if (L->isotropic && r->n_groups > 1) {
            if (!isfinite(r->isotropy_dev))
                fprintf(out, "isotropy check: not available (no statistical error)\n");
            else if (r->isotropy_dev < 3.0)
                fprintf(out, "isotropy check: max |f_g - f| = %.2f sigma, isotropic within errors\n",
                        r->isotropy_dev);
            else
                fprintf(out, "isotropy check: WARNING: max |f_g - f| = %.2f sigma on a lattice "
                        "whose symmetry makes f a scalar\n", r->isotropy_dev);
        }
    }
    if (p->estimator == HOP_EST_MSD)
        print_msd(out, r);
    else
        print_corr(out, r);
    if (p->physical)
        print_physical(out, r);
    if (p->model == HOP_MODEL_SOLUTE)
        print_solute(out, r);
    print_how_it_ran(out, r);
    fprintf(out, "replicas %llu, tracer jumps %llu, vacancy steps %llu, wall %.3f s, "
            "%.4g steps/s\n", (unsigned long long)r->replicas,
            (unsigned long long)r->tracer_jumps, (unsigned long long)r->vacancy_steps,
            r->wall_s, r->steps_per_s);
}

/* ------------------------------------------------------------- exact estimator --- */

static void print_exact_line(FILE *out, const char *name, const hop_exact_estimate *e)
{
    if (isnan(e->value))
        fprintf(out, "%-12s (none: f = 0)\n", name);
    else
        fprintf(out, "%-12s %.10f  (extrapolation error bound %.1e)\n", name, e->value,
                e->error_bound);
}

void hop_report_exact(FILE *out, const hop_params *p, const hop_exact_result *r)
{
    const hop_lattice *L = p->lattice;
    const int solute = p->model == HOP_MODEL_SOLUTE;
    char name[32];
    fprintf(out, "hop %s: exact solver (matrix method, CHOLMOD) on %s, %s model\n",
            HOP_VERSION, L->name, hop_model_name(p->model));
    print_exact_line(out, solute ? "f2" : "f", &r->f);
    for (int g = 0; g < L->n_groups; ++g) {
        snprintf(name, sizeof name, "%s_%s", solute ? "f2" : "f", L->group_name[g]);
        print_exact_line(out, name, &r->f_group[g]);
    }
    print_exact_line(out, "L_sv/L_ss", &r->drag);
    if (solute) {
        hop_result h;
        memset(&h, 0, sizeof h);
        h.params = *p;
        h.f.value = r->f.value;
        hop_solute_apply(&h);
        if (!isnan(h.f2_manning))
            fprintf(out, "%-12s %.10f  (Manning 1964; minus exact: %+.2e)\n", "f2 Manning",
                    h.f2_manning, h.f2_manning - r->f.value);
        fprintf(out, "%-12s %.10g  (D2 / X_v in a^2 times the rates' unit; w0 = %g)\n", "D2/X_v",
                h.D2_over_Xv, p->w[0]);
        fprintf(out, "%-12s L_ss = %.10g, L_sv = %.10g  (dilute limit, in n_s X_v a^2 w / kT)\n",
                "Onsager", h.D2_over_Xv, h.D2_over_Xv * r->drag.value);
    }
    fprintf(out, "radii        ");
    for (int k = 0; k < r->n_radii; ++k)
        fprintf(out, "%s%.4g", k ? ", " : "", r->radius[k]);
    fprintf(out, " jump lengths (box half-widths; tail R^-%d extrapolated)\n", r->tail_power);
    fprintf(out, "states       %lld at the largest radius, factor %.1f MiB, %.2f s\n",
            (long long)r->n_states, r->factor_bytes / 1048576.0, r->seconds);
}

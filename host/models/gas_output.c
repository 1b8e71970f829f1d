/* gas_output.c: the lattice gas's summary and JSON sections (its table's report,
 * json_parameters and json_results, models/model.h): D in units of D0, both Haven
 * conventions, the thermodynamic factor and D_chem, and with physical units SI beside
 * (models/physics.h).  Each writes into the stream or cJSON object it is given. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "models/format.h"
#include "models/gas_output.h"
#include "models/verdict.h"

/* One D of the gas in m^2/s and cm^2/s with its bound (host/models/physics.h). */
static void print_gas_D(FILE *out, const char *label, const hop_estimate *e)
{
    char m2[128], cm2[128];
    if (!isfinite(e->value)) {
        fprintf(out, "  %-8s= not computed\n", label);
        return;
    }
    hop_format_sci(m2, sizeof m2, e->value, e->sigma);
    hop_format_sci(cm2, sizeof cm2, e->value * 1e4, e->sigma * 1e4);
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
    if (p->Sm != 0)
        fprintf(out, "  migration entropy S_m = %g k: omega times exp(S_m)\n", p->Sm);
    fprintf(out, "  kT = %.6g eV, omega = nu exp(S_m) exp(-Q_m/kT) = %.6g /s; D0 = (1/2d) z alpha^2 omega "
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
    hop_print_sci(out, label, &x->conductivity, unit[dd]);
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
    hop_format_pm(pm, sizeof pm, r->gas.D_star.value, r->gas.D_star.sigma);
    fprintf(out, "  D*/D0       = %s (tracer, all particles)\n", pm);
    hop_format_pm(pm, sizeof pm, r->gas.D_sigma.value, r->gas.D_sigma.sigma);
    fprintf(out, "  D_sigma/D0  = %s (collective |sum d_i|^2 / N)%s\n", pm,
            p->J == 0 ? "; exactly M/(n-1) for J = 0" : "");
    hop_format_pm(pm, sizeof pm, r->gas.D_vacancy.value, r->gas.D_vacancy.sigma);
    fprintf(out, "  D_vac/D0    = %s (vacancies)\n", pm);
    if (!hop_lattice_one_length(p->lattice))
        fprintf(out, "  (jumps of several lengths: z alpha^2 in D0 is sum_k |e_k|^2 over a "
                "site's jumps; docs/lattice-gas.md)\n");
    for (int g = 0; g < r->gas.n_groups; ++g) {
        hop_format_pm(pm, sizeof pm, r->gas.D_star_group[g].value, r->gas.D_star_group[g].sigma);
        hop_format_pm(pm2, sizeof pm2, r->gas.f_group[g].value, r->gas.f_group[g].sigma);
        fprintf(out, "  axis %-6s D* = %s a^2 nu, D0_%s = %.6g a^2 nu, f_%s = %s\n",
                p->lattice->group_name[g], pm, p->lattice->group_name[g], r->gas.D0_group[g],
                p->lattice->group_name[g], pm2);
    }
    e = &r->gas.theta;
    hop_format_pm(pm, sizeof pm, e->value, e->sigma);
    hop_format_pm(pm2, sizeof pm2, r->gas.theta_drift.value, r->gas.theta_drift.sigma);
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
        hop_format_pm(pm, sizeof pm, r->gas.theta_one_width.value, r->gas.theta_one_width.sigma);
        fprintf(out, "                (from the L/2 slabs alone, with their O(1/L) surface "
                "bias: %s)\n", pm);
    }
    e = &r->gas.D_chem;
    hop_format_pm(pm, sizeof pm, e->value, e->sigma);
    if (r->gas.D_chem_exact_theta)
        fprintf(out, "  D_chem/D0   = %s (D_sigma Theta with the exact Theta (n-1)/M of J = 0; "
                "exactly 1)\n", pm);
    else if (isfinite(e->value))
        fprintf(out, "  D_chem/D0   = %s (D_sigma Theta with the measured Theta; error bound "
                "|Theta| s_D + |D| s_Theta)\n", pm);
    else
        fprintf(out, "  D_chem/D0   = not computed (J != 0 needs the measured Theta)\n");
    hop_format_pm(pm, sizeof pm, r->f.value, r->f.sigma);
    fprintf(out, "  f = D*/(D0 M/(n-1)) = %s\n", pm);
    hop_format_pm(pm, sizeof pm, r->haven.value, r->haven.sigma);
    hop_format_pm(pm2, sizeof pm2, r->haven_inverse.value, r->haven_inverse.sigma);
    fprintf(out, "  Haven ratio: H = D*/D_sigma = %s%s\n", pm, r->params.J == 0
            ? " (with the exact D_sigma = D0 M/(n-1) of J = 0: H = f)" : "");
    fprintf(out, "               H_R = D_sigma/D* = %s (inverse convention)\n", pm2);
    hop_format_pm(pm, sizeof pm, r->gas.pairs.value, r->gas.pairs.sigma);
    hop_format_pm(pm2, sizeof pm2, r->gas.pairs_drift.value, r->gas.pairs_drift.sigma);
    fprintf(out, "  occupied nearest-neighbour pairs per site = %s (time average); late - early "
            "half = %s\n", pm, pm2);
    fprintf(out, "  GLS fits: tracer chi2/dof = %.4g/%d, collective %.4g/%d\n", r->fit_chi2,
            r->fit_dof, r->gas.fit_chi2_collective, r->gas.fit_dof_collective);
    if (r->check_size > 0) {
        hop_format_pm(pm, sizeof pm, r->f_check.value, r->f_check.sigma);
        fprintf(out, "  finite-size check: f = %s in a box of %llu sites (%d cells); implied "
                "bias bounds: f %.2g, D*/D0 %.2g, D_sigma/D0 %.2g, H %.2g, Theta %.2g, "
                "D_chem/D0 %.2g\n", pm, (unsigned long long)r->check_box_sites, r->check_size,
                r->f.bias, r->gas.D_star.bias, r->gas.D_sigma.bias, r->haven.bias,
                r->gas.theta.bias, r->gas.D_chem.bias);
    } else if (r->check_failed_size > 0) {
        fprintf(out, "  finite-size check: the box of %d cells ran but its fit failed; the "
                "finite-size bias is not bounded\n", r->check_failed_size);
    } else {
        fprintf(out, "  finite-size check: not run (--no-size-check, or the half-size box is "
                "too small); the finite-size bias is not bounded\n");
    }
}

void hop_gas_report(FILE *out, const hop_result *r)
{
    print_gas(out, r);
    if (r->params.physical)
        print_gas_physical(out, r);
}

/* The gas's parameters, after the box and time grid (hop_msd_json_parameters). */
void hop_gas_json_parameters(cJSON *o, const hop_params *p)
{
    hop_json_number(o, "c", p->c);
    hop_json_number(o, "J", p->J);                 /* in kT; E/kT with --pair-energy */
    if (p->pair_energy_given) {
        hop_json_number(o, "pair_energy", p->pair_energy);      /* eV */
        if (!p->physical)
            hop_json_number(o, "T", p->T);
    }
    hop_json_number(o, "equilibrate", p->equilibrate);
    if (p->physical) {
        hop_json_number(o, "T", p->T);
        hop_json_number(o, "Qm", p->Qm);
        hop_json_number(o, "Sm", p->Sm);
        hop_json_number(o, "nu", p->nu);
        hop_json_number(o, "a", p->a);
        if (p->carrier_density > 0)
            hop_json_number(o, "carrier_density", p->carrier_density);
        hop_json_number(o, "charge", p->charge);
    }
}

/* The lattice gas's results (host/models/gas.h): D in units of D0. */
static void add_gas_results(cJSON *o, const hop_result *r)
{
    cJSON *h;
    cJSON_ReplaceItemInObjectCaseSensitive(o, "units", cJSON_CreateString(
        "lengths in a, times in 1/nu, D in units of D0 = (1/2d) z alpha^2 nu"));
    cJSON_AddNumberToObject(o, "box_sites", (double)r->box_sites);
    cJSON_AddNumberToObject(o, "n_particles", (double)r->gas.n_particles);
    cJSON_AddNumberToObject(o, "n_vacancies", (double)r->gas.n_vacancies);
    hop_json_number(o, "c", r->gas.c);
    hop_json_number(o, "empty_neighbour_probability", r->gas.empty_neighbour);
    hop_json_number(o, "D0", r->gas.D0);
    h = hop_json_estimate(o, "f", &r->f);
    cJSON_AddStringToObject(h, "definition", "D*/(D0 M/(n-1)), M/(n-1) -> 1 - c");
    hop_json_estimate(o, "D_star_over_D0", &r->gas.D_star);
    hop_json_estimate(o, "D_sigma_over_D0", &r->gas.D_sigma);
    hop_json_value_stderr(o, "D_vacancy_over_D0", &r->gas.D_vacancy);
    if (r->gas.n_groups > 0) {
        cJSON *axes = cJSON_AddObjectToObject(o, "axes");
        for (int g = 0; axes && g < r->gas.n_groups; ++g) {
            cJSON *x = cJSON_AddObjectToObject(axes, r->params.lattice->group_name[g]);
            hop_json_number(x, "D0", r->gas.D0_group[g]);
            hop_json_estimate(x, "D_star", &r->gas.D_star_group[g]);
            hop_json_estimate(x, "f", &r->gas.f_group[g]);
        }
    }
    h = hop_json_estimate(o, "thermodynamic_factor", &r->gas.theta);
    cJSON_AddStringToObject(h, "definition", "d(mu/kT)/d ln c = c/chi, measured from the "
                            "particle-number variances of slabs spanning the box");
    cJSON_AddStringToObject(h, "slab_widths", r->gas.theta_two_widths
                            ? "two (L/2 and L/4: surface term cancelled)"
                            : "one (edge < 4 cells: O(1/L) surface bias)");
    hop_json_number(h, "exact_in_box", r->gas.theta_exact);     /* J = 0: (n-1)/M; else null */
    h = hop_json_value_stderr(o, "thermodynamic_factor_one_width", &r->gas.theta_one_width);
    cJSON_AddStringToObject(h, "definition", "from the L/2 slabs alone (O(1/L) surface "
                            "bias), for comparison");
    hop_json_value_stderr(o, "thermodynamic_factor_drift", &r->gas.theta_drift);
    h = hop_json_estimate(o, "D_chem_over_D0", &r->gas.D_chem);
    cJSON_AddStringToObject(h, "definition", "D_sigma Theta / D0");
    cJSON_AddStringToObject(h, "thermodynamic_factor", r->gas.D_chem_exact_theta
                            ? "exact (n-1)/M (J = 0)" : "measured");
    h = hop_json_estimate(o, "haven_ratio", &r->haven);
    cJSON_AddStringToObject(h, "convention", "H = D*/D_sigma");
    h = hop_json_estimate(o, "haven_ratio_inverse", &r->haven_inverse);
    cJSON_AddStringToObject(h, "convention", "D_sigma/D*");
    hop_json_value_stderr(o, "pairs_per_site", &r->gas.pairs);
    hop_json_value_stderr(o, "pairs_per_site_drift", &r->gas.pairs_drift);
    h = cJSON_AddObjectToObject(o, "fit");
    hop_json_number(h, "chi2", r->fit_chi2);
    cJSON_AddNumberToObject(h, "dof", r->fit_dof);
    hop_json_number(h, "chi2_collective", r->gas.fit_chi2_collective);
    cJSON_AddNumberToObject(h, "dof_collective", r->gas.fit_dof_collective);
    hop_json_size_check(o, r);
}

/* The gas with physical units (host/models/physics.h): SI keys beside the reduced ones. */
static void add_gas_physical(cJSON *o, const hop_result *r)
{
    static const char *const per[] = {"", "m^-1", "m^-2", "m^-3"};
    static const char *const unit[] = {"", "S m", "S", "S/m"};
    const hop_physical *x = &r->phys;
    const int dd = x->density_dim >= 1 && x->density_dim <= 3 ? x->density_dim : 3;
    const struct { const char *key; const hop_estimate *e; } D[] = {
        {"D_star", &x->D_star}, {"D_sigma", &x->D_sigma}, {"D_vacancy", &x->D_vacancy},
        {"D_chem", &x->D_chem}};
    cJSON *h;
    cJSON_ReplaceItemInObjectCaseSensitive(o, "units", cJSON_CreateString(
        "lengths in a, times in 1/nu, D in units of D0 = (1/2d) z alpha^2 nu (the *_over_D0 "
        "keys); SI: D_star, D_sigma, D_vacancy, D_chem in m^2/s (*_cm2_s in cm^2/s), "
        "omega in 1/s, D0_SI in m^2/s, kT in eV, conductivity in S/m (S or S m for the "
        "carrier densities per m^2 or per m of 2D or 1D lattices; see its unit)"));
    hop_json_number(o, "kT", x->kT);
    hop_json_number(o, "omega", x->omega);
    hop_json_number(o, "jump_length_m", x->alpha);
    hop_json_number(o, "D0_SI", x->D0);
    for (size_t i = 0; i < sizeof D / sizeof *D; ++i) {
        char key[32];
        hop_json_unit_estimate(o, D[i].key, D[i].e, 1, "m^2/s");
        snprintf(key, sizeof key, "%s_cm2_s", D[i].key);
        hop_json_unit_estimate(o, key, D[i].e, 1e4, "cm^2/s");
    }
    h = cJSON_AddObjectToObject(o, "carrier_density");
    hop_json_number(h, "value", x->carrier_density);
    cJSON_AddStringToObject(h, "unit", per[dd]);
    cJSON_AddStringToObject(h, "source", r->params.carrier_density > 0
                            ? "--carrier-density" : "c (sites per cell) / (cell volume)");
    hop_json_unit_estimate(o, "conductivity", &x->conductivity, 1, unit[dd]);
}

void hop_gas_json_results(cJSON *o, const hop_result *r)
{
    add_gas_results(o, r);
    if (r->params.physical)
        add_gas_physical(o, r);
}

/* ---------------------------------------------------------------- verdict --- */

/* |drift| / sigma of a late-minus-early difference; 0 where it is not measured. */
static double drift_z(const hop_estimate *d)
{
    return isfinite(d->value) && d->sigma > 0 ? fabs(d->value) / d->sigma : 0;
}

/* A drift between the early and the late half of the time grid says the box was still
 * relaxing when the grid began, at equilibrate plus a small part of the run (the grid
 * is log-spaced from t_max/1000): equilibrating for twice the whole stretch already
 * simulated puts the grid well past where the relaxation was seen.  Then the
 * finite-size bounds of f and H (Theta's and D_chem's bounds are the two boxes'
 * difference itself, ratio 1, not an extrapolation that falls with the box: not judged
 * against sigma). */
void hop_gas_verdict(const hop_result *r, hop_verdict *v)
{
    static const char *const names[] = {"f", "H"};
    const hop_estimate *const e[] = {&r->f, &r->haven};
    const hop_params *p = &r->params;
    const double zp = drift_z(&r->gas.pairs_drift), zt = drift_z(&r->gas.theta_drift);
    if (zp > HOP_VERDICT_DRIFT_Z || zt > HOP_VERDICT_DRIFT_Z) {
        const int pairs = zp >= zt;
        hop_verdict_set(v, "not_equilibrated", "not equilibrated: %s drift %.1f sigma between "
                        "the halves of the run: raise --equilibrate to %.3g or more (now %.3g)",
                        pairs ? "pair-count" : "Theta", pairs ? zp : zt,
                        2.0 * (p->equilibrate + p->time), p->equilibrate);
        return;
    }
    hop_verdict_size(r, names, e, 2, v);
}

/* sections.c: the summary and JSON sections of the corr and msd estimators and of the
 * vacancy-family models (vacancy, random, solute) that share them (see sections.h).
 * Units: lengths in a, times in 1/omega, D in a^2 omega; with physical units SI beside
 * (models/physics.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "models/format.h"
#include "models/sections.h"

/* ------------------------------------------------------------------- corr --- */

void hop_corr_report(FILE *out, const hop_result *r)
{
    fprintf(out, "truncation (f with the walk cut where the vacancy first reaches radius R):\n");
    fprintf(out, "  %16s  %s\n", "R [jump lengths]", "f");
    for (int m = 0; m < r->n_shells && m < HOP_MAX_SHELLS; ++m) {
        char pm[96];
        hop_format_pm(pm, sizeof pm, r->f_shell[m].value, r->f_shell[m].sigma);
        fprintf(out, "  %16.6g  %s\n", r->shell_radius[m], pm);
    }
    fprintf(out, "  lost fraction (vacancy reached the outer radius): %.4g\n", r->lost_fraction);
    fprintf(out, "  The systematic bound on f comes from the two outermost radii.\n");
}

void hop_corr_json_parameters(cJSON *o, const hop_params *p)
{
    hop_json_number(o, "radius", p->radius);
    cJSON_AddNumberToObject(o, "shells", p->shells);
}

/* f at each truncation radius and the lost fraction. */
void hop_corr_json_results(cJSON *o, const hop_result *r)
{
    cJSON *t = cJSON_AddArrayToObject(o, "truncation");
    for (int m = 0; m < r->n_shells && m < HOP_MAX_SHELLS; ++m) {
        cJSON *e = cJSON_CreateObject();
        hop_json_number(e, "radius", r->shell_radius[m]);
        hop_json_value_stderr(e, "f", &r->f_shell[m]);
        cJSON_AddItemToArray(t, e);
    }
    hop_json_number(o, "lost_fraction", r->lost_fraction);
}

/* -------------------------------------------------------------------- msd --- */

void hop_msd_report(FILE *out, const hop_result *r)
{
    const hop_params *p = &r->params;
    const hop_model *m = hop_model_get(p->model);
    char pm[96], pm2[96];
    fprintf(out, "box: %llu sites (%d cells per edge), run time %.6g /omega, %d times, "
            "fit from t >= %g t_max\n", (unsigned long long)r->box_sites, p->size, p->time,
            p->n_times, p->fit_from);
    fprintf(out, "D_uncorrelated = %.6g a^2 omega\n", r->D_uncorrelated);
    hop_print_estimate(out, "D*", &r->D_star, " a^2 omega");
    hop_format_pm(pm, sizeof pm, r->D_sigma.value, r->D_sigma.sigma);
    if (isfinite(r->D_sigma.value))
        fprintf(out, "D_sigma = %s a^2 omega (stat)\n", pm);
    else
        fprintf(out, "D_sigma = undefined (%s)\n", m->collective_note);
    hop_format_pm(pm, sizeof pm, r->haven.value, r->haven.sigma);
    hop_format_pm(pm2, sizeof pm2, r->haven_inverse.value, r->haven_inverse.sigma);
    fprintf(out, "Haven ratio: H = D*/D_sigma = %s\n", pm);
    fprintf(out, "             H_R = D_sigma/D* = %s (inverse convention)\n", pm2);
    fprintf(out, "GLS fit of the tracer MSD: chi2/dof = %.4g/%d\n", r->fit_chi2, r->fit_dof);
    if (r->check_size > 0) {
        char bias[48];
        hop_format_pm(pm, sizeof pm, r->f_check.value, r->f_check.sigma);
        hop_format_bias(bias, sizeof bias, r->f.bias, r->f.sigma);
        fprintf(out, "finite-size check: f = %s in a box of %llu sites (%d cells per edge); "
                "implied bias bound %s\n", pm, (unsigned long long)r->check_box_sites,
                r->check_size, bias);
    } else if (r->check_failed_size > 0) {
        fprintf(out, "finite-size check: the box of %d cells per edge ran but its fit failed; "
                "the finite-size bias is not bounded\n", r->check_failed_size);
    } else if (!m->correlated) {
        fprintf(out, "finite-size check: not needed (%s jumps have no vacancy)\n", m->name);
    } else {
        fprintf(out, "finite-size check: not run; the finite-size bias is not bounded\n");
    }
}

/* The box and time grid (also the gas's). */
void hop_msd_json_parameters(cJSON *o, const hop_params *p)
{
    cJSON_AddNumberToObject(o, "size", p->size);
    hop_json_number(o, "time", p->time);
    cJSON_AddNumberToObject(o, "n_times", p->n_times);
    hop_json_number(o, "fit_from", p->fit_from);
    cJSON_AddBoolToObject(o, "size_check", p->size_check != 0);
}

/* Box, D (reduced: under "reduced" when physical units replace them), Haven ratios, the
 * fit and the companion box. */
void hop_msd_json_results(cJSON *o, const hop_result *r)
{
    /* With physical units the D keys hold m^2/s (add_physical); reduced ones move. */
    cJSON *h, *red = r->params.physical ? cJSON_AddObjectToObject(o, "reduced") : o;
    cJSON_AddNumberToObject(o, "box_sites", (double)r->box_sites);
    hop_json_number(red, "D_uncorrelated", r->D_uncorrelated);
    hop_json_estimate(red, "D_star", &r->D_star);
    hop_json_estimate(red, "D_sigma", &r->D_sigma);
    h = hop_json_value_stderr(o, "haven_ratio", &r->haven);
    cJSON_AddStringToObject(h, "convention", "H = D*/D_sigma");
    h = hop_json_value_stderr(o, "haven_ratio_inverse", &r->haven_inverse);
    cJSON_AddStringToObject(h, "convention", "D_sigma/D*");
    h = cJSON_AddObjectToObject(o, "fit");
    hop_json_number(h, "chi2", r->fit_chi2);
    cJSON_AddNumberToObject(h, "dof", r->fit_dof);
    hop_json_size_check(o, r);
}

/* ------------------------------------------------------ the vacancy family --- */

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

/* Whether the vacancy's site fraction differs between sublattices (site energies). */
static int sites_differ(const hop_lattice *L, const hop_physical *x)
{
    for (int s = 1; s < L->n_sub; ++s)
        if (x->X_v_site[s] != x->X_v_site[0])
            return 1;
    return 0;
}

/* The rate and length lines of a general jump network (physics.h). */
static void print_network(FILE *out, const hop_result *r)
{
    const hop_lattice *L = r->params.lattice;
    const hop_physical *x = &r->phys;
    fprintf(out, "  kT = %.6g eV, X_v = exp(S_f) exp(-Q_f/kT) = %.6g (a site of energy 0), "
            "omega = nu exp(S_m) exp(-Q_m/kT) = %.6g /s\n", x->kT, x->X_v, x->omega);
    if (sites_differ(L, x)) {
        fprintf(out, "  X_v(s) = X_v exp(-E_s/kT):");
        for (int s = 0; s < L->n_sub; ++s)
            fprintf(out, " %s %.6g%s", L->sub_name[s], x->X_v_site[s], s + 1 < L->n_sub ? "," : "");
        fprintf(out, "; over all sites %.6g\n", x->X_v_mean);
    }
    fprintf(out, "  Gamma = sum_s x_s sum_k Gamma(t->s) X_v(t) = %.6g /s (%.6g omega X_v), the "
            "tracer's jump rate\n", x->Gamma, x->Gamma / (x->omega * x->X_v));
    fprintf(out, "  D (uncorrelated) = (1/2d) Gamma <alpha^2> = %.6g m^2/s = %.6g cm^2/s "
            "(rms alpha = %.6g m)\n", x->D_uncorrelated, x->D_uncorrelated * 1e4, x->alpha);
}

/* D_unc, D* and the Arrhenius tangent per principal axis (anisotropic lattices). */
static void print_axes(FILE *out, const hop_result *r)
{
    const hop_lattice *L = r->params.lattice;
    const hop_physical *x = &r->phys;
    for (int g = 0; g < L->n_groups && g < HOP_MAX_GROUPS; ++g) {
        char label[64], name[32];
        group_label(name, sizeof name, L, g);
        fprintf(out, "  axis %s: D_%s (uncorrelated) = %.6g m^2/s; Arrhenius D0 = %.6g m^2/s, "
                "Q_D = %.6g eV\n", name + 2, L->group_name[g], x->D_uncorrelated_axis[g],
                x->D0_axis[g], x->Q_D_axis[g]);
        snprintf(label, sizeof label, "  D*_%s = f_%s D_%s", L->group_name[g], L->group_name[g],
                 L->group_name[g]);
        hop_print_sci(out, label, &x->D_star_axis[g], "m^2/s");
    }
}

/* The physical-units block (host/models/physics.h). */
static void print_physical(FILE *out, const hop_result *r)
{
    const hop_params *p = &r->params;
    const hop_lattice *L = p->lattice;
    const hop_physical *x = &r->phys;
    const hop_estimate cm2 = {x->D_star.value * 1e4, x->D_star.sigma * 1e4, x->D_star.bias * 1e4};
    char pm[96], pm2[96];
    fprintf(out, "physical units: T = %g K, Q_f = %g eV, Q_m = %g eV%s, nu = %g Hz, a = %g A\n",
            p->T, p->Qf, p->Qm, p->bond_energy > 0 ? " (bond-breaking model)"
            : p->Qm == 0 ? " (the classes' barriers in eV)" : "", p->nu, p->a);
    if (p->Sf != 0 || p->Sm != 0)
        fprintf(out, "  entropies: S_f = %g k, S_m = %g k (X_v, omega and D0 times exp(S))\n",
                p->Sf, p->Sm);
    if (x->network)
        print_network(out, r);
    else {
        fprintf(out, "  kT = %.6g eV, X_v = exp(S_f) exp(-Q_f/kT) = %.6g, omega = nu exp(S_m) "
                "exp(-Q_m/kT) = %.6g /s, Gamma = z omega X_v = %.6g /s\n", x->kT, x->X_v,
                x->omega, x->Gamma);
        fprintf(out, "  D (uncorrelated) = (1/2d) Gamma alpha^2 = %.6g m^2/s = %.6g cm^2/s "
                "(alpha = %.6g m)\n", x->D_uncorrelated, x->D_uncorrelated * 1e4, x->alpha);
    }
    hop_print_sci(out, "D* = f D", &x->D_star, "m^2/s");
    hop_print_sci(out, "D*", &cm2, "cm^2/s");
    if (x->network)
        fprintf(out, "  Arrhenius: D* = D0 exp(-Q_D/kT), D0 = D* exp(Q_D/kT) = %.6g m^2/s, Q_D = "
                "Q_f + Q_m + <B_c + (E_s + E_t)/2> = %.6g eV (slope at fixed f)\n", x->D0,
                x->Q_D);
    else
        fprintf(out, "  Arrhenius: D* = D0 exp(-Q_D/kT), D0 = f (1/2d) z alpha^2 nu exp(S_f + "
                "S_m) = %.6g m^2/s, Q_D = Q_f + Q_m = %g eV\n", x->D0, x->Q_D);
    if (!L->isotropic)
        print_axes(out, r);
    if (x->D_sigma_exact)
        fprintf(out, "  D_sigma = D = %.6g m^2/s (one vacancy: the charge moves with the vacancy's "
                "uncorrelated walk)\n", x->D_sigma.value);
    else if (isnan(x->D_sigma.value) && p->estimator != HOP_EST_MSD)
        fprintf(out, "  D_sigma: not from corr here (the vacancy's jumps from a sublattice have a "
                "mean direction, so its walk is correlated); --estimator msd measures it\n");
    else
        hop_print_sci(out, "D_sigma", &x->D_sigma, "m^2/s");
    if (isfinite(x->conductivity.value)) {
        char label[160];
        snprintf(label, sizeof label, "conductivity (Nernst-Einstein, n = %g /m^3, q = %g e) "
                 "sigma = n q^2 D_sigma/kT", p->carrier_density, p->charge);
        hop_print_sci(out, label, &x->conductivity, "S/m");
    }
    hop_format_pm(pm, sizeof pm, r->haven.value, r->haven.sigma);
    hop_format_pm(pm2, sizeof pm2, r->haven_inverse.value, r->haven_inverse.sigma);
    fprintf(out, "  Haven ratio: H = D*/D_sigma = %s; inverse convention H_R = D_sigma/D* = %s\n",
            pm, pm2);
}

void hop_vacancy_report(FILE *out, const hop_result *r)
{
    const hop_params *p = &r->params;
    const hop_lattice *L = p->lattice;
    hop_print_estimate(out, "f", &r->f, "");
    if (L) {
        for (int g = 0; g < r->n_groups && g < HOP_MAX_GROUPS; ++g) {
            char label[32];
            group_label(label, sizeof label, L, g);
            fprintf(out, "  ");
            hop_print_estimate(out, label, &r->f_group[g], "");
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
    hop_model_estimator(p)->report(out, r);
    if (p->physical)
        print_physical(out, r);
}

/* Physical units given (models/physics.h). */
static void add_physical_parameters(cJSON *o, const hop_params *p)
{
    hop_json_number(o, "T", p->T);
    hop_json_number(o, "Qf", p->Qf);
    hop_json_number(o, "Qm", p->Qm);
    hop_json_number(o, "Sf", p->Sf);
    hop_json_number(o, "Sm", p->Sm);
    if (p->bond_energy > 0)
        hop_json_number(o, "bond_energy", p->bond_energy);
    hop_json_number(o, "nu", p->nu);
    hop_json_number(o, "a", p->a);
    if (p->carrier_density > 0) {
        hop_json_number(o, "carrier_density", p->carrier_density);
        hop_json_number(o, "charge", p->charge);
    }
}

void hop_vacancy_json_parameters(cJSON *o, const hop_params *p)
{
    if (p->physical)
        add_physical_parameters(o, p);
}

/* The general lattice's keys (physics.h): the rms jump length where the network is
 * general, the vacancy's site fraction per sublattice where they differ, and per
 * principal axis (anisotropic lattices) D_uncorrelated_g, D_star_g, D0_g and Q_D_g. */
static void add_network(cJSON *o, const hop_result *r)
{
    const hop_lattice *L = r->params.lattice;
    const hop_physical *x = &r->phys;
    if (x->network)
        hop_json_number(o, "alpha_rms", x->alpha);
    if (sites_differ(L, x)) {
        cJSON *v = cJSON_AddObjectToObject(o, "X_v_sublattice");
        for (int s = 0; s < L->n_sub; ++s)
            hop_json_number(v, L->sub_name[s], x->X_v_site[s]);
        hop_json_number(o, "X_v_mean", x->X_v_mean);
    }
    if (L->isotropic)
        return;
    for (int g = 0; g < L->n_groups && g < HOP_MAX_GROUPS; ++g) {
        char key[40];
        snprintf(key, sizeof key, "D_uncorrelated_%s", L->group_name[g]);
        hop_json_number(o, key, x->D_uncorrelated_axis[g]);
        snprintf(key, sizeof key, "D_star_%s", L->group_name[g]);
        hop_json_estimate(o, key, &x->D_star_axis[g]);
        snprintf(key, sizeof key, "D0_%s", L->group_name[g]);
        hop_json_number(o, key, x->D0_axis[g]);
        snprintf(key, sizeof key, "Q_D_%s", L->group_name[g]);
        hop_json_number(o, key, x->Q_D_axis[g]);
    }
}

/* Physical units (host/models/physics.h): D in m^2/s, energies in eV, conductivity in S/m. */
static void add_physical(cJSON *o, const hop_result *r)
{
    const hop_physical *x = &r->phys;
    cJSON *h;
    const hop_estimate cm2 = {x->D_star.value * 1e4, x->D_star.sigma * 1e4, x->D_star.bias * 1e4};
    cJSON_ReplaceItemInObjectCaseSensitive(o, "units", cJSON_CreateString(
        r->params.estimator == HOP_EST_MSD
            ? "SI: D in m^2/s (D_star_cm2_s in cm^2/s), rates in 1/s, energies in eV, "
              "conductivity in S/m; results.reduced: D in a^2 omega"
            : "SI: D in m^2/s (D_star_cm2_s in cm^2/s), rates in 1/s, energies in eV, "
              "conductivity in S/m"));
    hop_json_number(o, "kT", x->kT);
    hop_json_number(o, "X_v", x->X_v);
    hop_json_number(o, "omega", x->omega);
    hop_json_number(o, "Gamma", x->Gamma);
    hop_json_number(o, "D_uncorrelated", x->D_uncorrelated);
    hop_json_estimate(o, "D_star", &x->D_star);
    hop_json_estimate(o, "D_star_cm2_s", &cm2);
    hop_json_number(o, "D0", x->D0);
    hop_json_number(o, "Q_D", x->Q_D);
    hop_json_number(o, "Q_f", r->params.Qf);
    hop_json_number(o, "Q_m", r->params.Qm);
    add_network(o, r);
    h = cJSON_AddObjectToObject(o, "D_sigma");
    hop_json_number(h, "value", x->D_sigma.value);
    hop_json_number(h, "stderr", x->D_sigma.sigma);
    if (x->D_sigma_exact)
        cJSON_AddStringToObject(h, "note", "exact for one vacancy: D_sigma = D_uncorrelated");
    if (isfinite(x->conductivity.value))
        hop_json_value_stderr(o, "conductivity", &x->conductivity);
    if (r->params.estimator == HOP_EST_CORR) {
        h = hop_json_value_stderr(o, "haven_ratio", &r->haven);
        cJSON_AddStringToObject(h, "convention", "H = D*/D_sigma");
        h = hop_json_value_stderr(o, "haven_ratio_inverse", &r->haven_inverse);
        cJSON_AddStringToObject(h, "convention", "D_sigma/D*");
    }
}

void hop_vacancy_json_results(cJSON *o, const hop_result *r)
{
    const hop_lattice *L = r->params.lattice;
    hop_json_estimate(o, "f", &r->f);
    for (int g = 0; g < r->n_groups && g < HOP_MAX_GROUPS; ++g) {
        char key[32];
        snprintf(key, sizeof key, "f_%s", L ? L->group_name[g] : "?");
        hop_json_estimate(o, key, &r->f_group[g]);
    }
    if (L && L->isotropic)
        hop_json_number(o, "isotropy_max_dev_sigma", r->isotropy_dev);
    hop_model_estimator(&r->params)->json_results(o, r);
    if (r->params.physical)
        add_physical(o, r);
}

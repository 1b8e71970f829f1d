/* alloy_output.c: the alloy's summary, JSON sections and verdict (its table's report,
 * json_parameters, json_results and verdict, models/model.h): per species D* and f with
 * Manning's f beside, the vacancy's D and f, the Onsager matrix per vacancy with its
 * checks and Manning's, the vacancy-wind factors, and the percolation note where a
 * species cannot move.  Each writes into the stream or cJSON object it is given. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "models/alloy.h"
#include "models/format.h"
#include "models/physics.h"
#include "models/verdict.h"

/* The name of entity e: a species', or "V" for the vacancy. */
static const char *entity_name(const hop_result *r, int e)
{
    return e < r->alloy.n_species ? r->params.alloy.name[e] : "V";
}


/* f[96] and b[64]: an f estimate as "value +- sigma" and its bias bound, or `absent` and
 * "-" where it is not defined (an immobile species). */
static void format_f(char *f, char *b, const hop_estimate *fe, const char *absent)
{
    if (isfinite(fe->value)) {
        hop_format_pm(f, 96, fe->value, fe->sigma);
        hop_format_bias(b, 64, fe->bias, fe->sigma);
    } else {
        snprintf(f, 96, "%s", absent);
        snprintf(b, 64, "-");
    }
}
/* A value of Manning's model with `digits` significant digits, or "-" where the model
 * gives none (a lattice it does not tabulate, a species that does not move). */
static const char *manning_text(char *buf, size_t n, double v, int digits)
{
    if (isfinite(v))
        snprintf(buf, n, "%.*g", digits, v);
    else
        snprintf(buf, n, "-");
    return buf;
}

static void print_percolation(FILE *out, const hop_result *r)
{
    const double pc = r->alloy.percolation, x = r->alloy.mobile_fraction;
    if (x >= 1)
        return;
    fprintf(out, "  immobile species (w = 0): mobile atoms are %.4g of all", x);
    if (!isfinite(pc)) {
        fprintf(out, "; the site-percolation threshold of %s is not tabulated\n",
                r->params.lattice->name);
        return;
    }
    fprintf(out, ", against %s's site-percolation threshold %.6g (the vacancy and the mobile "
            "atoms move over long distances only above it)\n", r->params.lattice->name, pc);
    if (fabs(x - pc) < 3 * hop_alloy_percolation_window(r->box_sites, r->params.lattice->dim))
        fprintf(out, "  warning: within %.2g of the threshold, about 3 widths n^(-1/(d nu)) "
                "of a box of %llu sites: whether a cluster spans the periodic box depends on "
                "the box and the arrangement; D here says little about the infinite alloy "
                "(raise --size)\n", fabs(x - pc), (unsigned long long)r->box_sites);
}

static void print_species(FILE *out, const hop_result *r)
{
    const int n = r->alloy.n_species;
    char f[96], D[96], b[64], m[32];
    fprintf(out, "  %-8s %6s %10s  %-24s %-24s %-10s %s\n", "species", "atoms", "w/w_ref",
            "D* (a^2 w_ref)", "f", "bound(f)", "Manning f");
    for (int e = 0; e <= n; ++e) {
        const hop_estimate *fe = &r->alloy.f[e], *De = &r->alloy.D_star[e];
        hop_format_pm(D, sizeof D, De->value, De->sigma);
        format_f(f, b, fe, "- (w = 0)");
        if (isfinite(r->alloy.manning_f[e]))
            snprintf(m, sizeof m, "%.5f", r->alloy.manning_f[e]);
        else
            snprintf(m, sizeof m, "-");
        if (e < n)
            fprintf(out, "  %-8s %6llu %10.5g  %-24s %-24s %-10s %s\n", entity_name(r, e),
                    (unsigned long long)r->alloy.atoms[e], r->alloy.w[e], D, f, b, m);
        else
            fprintf(out, "  %-8s %6llu %10s  %-24s %-24s %-10s %s\n", "V (vac.)",
                    (unsigned long long)r->alloy.n_vacancies, "-", D, f, b, m);
    }
    fprintf(out, "  (f_i = D*_i / [(1/2d) z alpha^2 w_i n_v/(N-1)]; the vacancy's f = D_v / "
            "[(1/2d) alpha^2 Gamma_v], Gamma_v = %.6g w_ref measured)\n", r->alloy.gamma_v);
    if (!hop_lattice_one_length(r->params.lattice) || r->params.lattice->rate_total[0])
        fprintf(out, "  (jumps of several lengths or rates: z alpha^2 is sum_k Gamma_k |e_k|^2 "
                "over a site's jumps, alpha^2 their Gamma-weighted mean; docs/alloys.md)\n");
}

/* D* and f per principal component (lattices with more than one). */
static void print_axes(FILE *out, const hop_result *r)
{
    const hop_lattice *L = r->params.lattice;
    const int n = r->alloy.n_species;
    char f[96], D[96], b[64];
    if (r->alloy.n_groups == 0)
        return;
    fprintf(out, "  per principal axis (each f over its own axis's reference):\n");
    for (int e = 0; e <= n; ++e)
        for (int g = 0; g < r->alloy.n_groups; ++g) {
            const hop_estimate *fe = &r->alloy.f_group[e][g];
            hop_format_pm(D, sizeof D, r->alloy.D_star_group[e][g].value,
                          r->alloy.D_star_group[e][g].sigma);
            format_f(f, b, fe, "-");
            fprintf(out, "  %-8s %-6s D* %-24s f %-24s %s\n", e < n ? entity_name(r, e) : "V",
                    L->group_name[g], D, f, b);
        }
}

static void print_onsager(FILE *out, const hop_result *r)
{
    const int n = r->alloy.n_species;
    char pm[96];
    fprintf(out, "  Onsager matrix per vacancy, Lambda_ij = <dR_i . dR_j>/(2 d t n_v) "
            "(a^2 w_ref; Manning's in brackets):\n");
    for (int i = 0; i <= n; ++i) {
        fprintf(out, "    %-6s", entity_name(r, i));
        for (int j = 0; j <= n; ++j) {
            const hop_estimate *e = &r->alloy.onsager[i][j];
            hop_format_pm(pm, sizeof pm, e->value, e->sigma);
            if (isfinite(r->alloy.manning_onsager[i][j]))
                fprintf(out, " %22s [%9.5g]", pm, r->alloy.manning_onsager[i][j]);
            else
                fprintf(out, " %22s", pm);
        }
        fprintf(out, "\n");
    }
    fprintf(out, "  symmetric by construction; rows sum to zero exactly in the integer sums "
            "(conservation): %s; smallest eigenvalue of the species block %.4g (largest "
            "sigma %.2g): %s\n", r->alloy.conservation_max == 0 ? "yes" : "NO",
            r->alloy.min_eigen, r->alloy.min_eigen_sigma,
            r->alloy.min_eigen >= -2 * r->alloy.min_eigen_sigma ? "positive semi-definite "
            "within errors" : "NOT positive semi-definite");
    if (n == 2) {
        char w0[96], w1[96], m0[32], m1[32];
        hop_format_pm(w0, sizeof w0, r->alloy.wind[0].value, r->alloy.wind[0].sigma);
        hop_format_pm(w1, sizeof w1, r->alloy.wind[1].value, r->alloy.wind[1].sigma);
        fprintf(out, "  vacancy-wind factors r_i = (Lambda_ii - (c_i/c_j) Lambda_ij) / "
                "Lambda*_i: %s %s [Manning %s], %s %s [Manning %s]\n", entity_name(r, 0),
                w0, manning_text(m0, sizeof m0, r->alloy.manning_wind[0], 5), entity_name(r, 1),
                w1, manning_text(m1, sizeof m1, r->alloy.manning_wind[1], 5));
        hop_format_pm(w0, sizeof w0, r->alloy.interdiffusion.value, r->alloy.interdiffusion.sigma);
        hop_format_pm(w1, sizeof w1, r->alloy.interdiffusion_darken.value,
                      r->alloy.interdiffusion_darken.sigma);
        fprintf(out, "  interdiffusion (thermodynamic factor 1): from Lambda (Darken with the "
                "vacancy wind) %s a^2 w_ref; Darken from the tracers alone %s; with Manning's "
                "r_i %s\n", w0, w1,
                manning_text(m0, sizeof m0, r->alloy.interdiffusion_manning, 6));
    }
}

static void print_order(FILE *out, const hop_result *r)
{
    const int n = r->alloy.n_species;
    char pm[96];
    if (r->alloy.interacting) {
        fprintf(out, "  pair energies (kT):");
        for (int i = 0; i < n; ++i)
            for (int j = i; j < n; ++j)
                if (r->params.alloy.pair[i][j] != 0)
                    fprintf(out, " %s-%s %g", entity_name(r, i), entity_name(r, j),
                            r->params.alloy.pair[i][j]);
        fprintf(out, "; rates w exp(-dE/2), equilibrated for %.6g /w_ref\n",
                r->params.equilibrate);
    }
    fprintf(out, "  short-range order (Warren-Cowley, nearest neighbours; 0 for a random "
            "arrangement):");
    for (int i = 0; i < n; ++i)
        for (int j = i; j < n; ++j) {
            hop_format_pm(pm, sizeof pm, r->alloy.sro[i][j].value, r->alloy.sro[i][j].sigma);
            fprintf(out, " %s-%s %s", entity_name(r, i), entity_name(r, j), pm);
        }
    fprintf(out, "\n");
}

/* Physical units: the rates, x_v, D* of every species and the vacancy in m^2/s and
 * L_ij in SI, each the reduced value times the factors printed (docs/alloys.md). */
static void print_physical(FILE *out, const hop_result *r)
{
    const hop_params *p = &r->params;
    const int n = r->alloy.n_species, d = p->lattice->dim;
    char pm[96];
    fprintf(out, "physical units: T = %g K, Q_f = %g eV, S_f = %g k, S_m = %g k, a = %g A; "
            "kT = %.6g eV, x_v = exp(S_f) exp(-Q_f/kT) = %.6g\n", p->T, p->Qf, p->Sf, p->Sm,
            p->a, HOP_K_B_EV * p->T, r->alloy.x_v);
    fprintf(out, "  %-8s %10s %12s  %-16s %s\n", "species", "Em (eV)", "nu (Hz)",
            "w = nu e^Sm e^-Em/kT (1/s)", "D* (m^2/s)");
    for (int e = 0; e <= n; ++e) {
        const hop_estimate *D = &r->alloy.D_star_si[e];
        hop_format_sci(pm, sizeof pm, D->value, D->sigma);
        if (e < n)
            fprintf(out, "  %-8s %10g %12g  %-26.6g %s, bound %.2g\n", entity_name(r, e),
                    p->alloy.Em[e], p->alloy.nu[e] > 0 ? p->alloy.nu[e] : p->nu,
                    r->alloy.w_ref_hz * p->alloy.w[e], pm, D->bias);
        else
            fprintf(out, "  %-8s %10s %12s  %-26s %s (one vacancy's D)\n", "V", "-", "-", "-",
                    pm);
    }
    fprintf(out, "  D* = reduced D* x a^2 w_ref x x_v (N-1)/n_v = reduced x %.6g m^2/s (w_ref "
            "= %.6g /s, the rate of %s; the box's vacancy fraction n_v/(N-1) replaced by "
            "x_v); the vacancy's D: x a^2 w_ref\n", r->alloy.unit_D * r->alloy.vacancy_scale,
            r->alloy.w_ref_hz, p->alloy.name[0]);
    fprintf(out, "  Onsager L_ij = x_v Lambda_ij / (Omega kT) (J_i = -sum_j L_ij grad mu_j; "
            "Omega the volume per site) = Lambda_ij x %.6g, in %s:\n", r->alloy.unit_L,
            d == 3 ? "1/(J m s)" : d == 2 ? "1/(J s)" : "m/(J s)");
    for (int i = 0; i <= n; ++i) {
        fprintf(out, "    %-8s", entity_name(r, i));
        for (int j = 0; j <= n; ++j) {
            hop_format_sci(pm, sizeof pm, r->alloy.onsager_si[i][j].value,
                          r->alloy.onsager_si[i][j].sigma);
            fprintf(out, " %-24s", pm);
        }
        fprintf(out, "\n");
    }
    if (n == 2) {
        hop_format_sci(pm, sizeof pm, r->alloy.interdiffusion_si.value,
                      r->alloy.interdiffusion_si.sigma);
        fprintf(out, "  interdiffusion from Lambda (thermodynamic factor 1): %s m^2/s\n", pm);
    }
}

/* The site-percolation threshold as text: its value, or "not tabulated for LATTICE". */
static void threshold_text(char *buf, size_t n, const hop_result *r)
{
    if (isfinite(r->alloy.percolation))
        snprintf(buf, n, "%.6g", r->alloy.percolation);
    else
        snprintf(buf, n, "not tabulated for %s", r->params.lattice->name);
}

/* The run-length check: the first species' D* of the full run minus the early run,
 * and the run-length part of every f's bound against its sigma, or why there is none. */
static void print_run_length(FILE *out, const hop_result *r)
{
    char diff[96];
    hop_format_pm(diff, sizeof diff, r->alloy.run_bias[0].value, r->alloy.run_bias[0].sigma);
    fprintf(out, "  run length: D*(%s) of the full run minus the early run (the same fit "
            "window of its first t_max/%.3g) = %s a^2 w_ref\n", entity_name(r, 0),
            r->alloy.run_lever, diff);
    if (r->alloy.run_law < 0) {
        fprintf(out, "  run-length bound: none (the fit window, t >= %g t_max, leaves no room "
                "for the early run's on the %d times: raise --fit-from or --times)\n",
                r->params.fit_from, r->params.n_times);
        return;
    }
    if (r->alloy.run_law == 0) {
        char pc[64];
        threshold_text(pc, sizeof pc, r);
        fprintf(out, "  run-length bound: none claimed: the mobile atoms (%.4g of all) are "
                "below or within 3 widths of the site-percolation threshold (%s), where the "
                "slope approaches its limit by no known law (bias bounds null)\n",
                r->alloy.mobile_fraction, pc);
        return;
    }
    fprintf(out, "  run-length bound (|Delta| + 2 sigma_Delta)/(%.3g^p - 1), p = d/2 = %g "
            "(hydrodynamic tail), over sigma of f:", r->alloy.run_lever, r->alloy.run_p);
    for (int e = 0; e <= r->alloy.n_species; ++e)
        if (isfinite(r->alloy.f[e].value) && r->alloy.f[e].sigma > 0)
            fprintf(out, " %s %.2f", entity_name(r, e),
                    r->alloy.f_run_bound[e] / r->alloy.f[e].sigma);
    fprintf(out, "\n");
}

void hop_alloy_report(FILE *out, const hop_result *r)
{
    const hop_params *p = &r->params;
    fprintf(out, "alloy: %llu atoms of %d species and %llu vacanc%s in %llu sites (%d cells "
            "per edge); run time %.6g /w_ref (w_ref = the rate of %s), %d times, fit from "
            "t >= %g t_max\n", (unsigned long long)r->alloy.n_atoms, r->alloy.n_species,
            (unsigned long long)r->alloy.n_vacancies, r->alloy.n_vacancies == 1 ? "y" : "ies",
            (unsigned long long)r->box_sites, p->size, p->time,
            p->alloy.w[0] > 0 ? p->alloy.name[0] : "the fastest species", p->n_times,
            p->fit_from);
    print_species(out, r);
    print_axes(out, r);
    print_run_length(out, r);
    if (isfinite(r->alloy.f0))
        fprintf(out, "  Manning's random alloy model (Phys. Rev. B 4, 1111 (1971)) with the "
                "lattice's f0 = %.8f\n", r->alloy.f0);
    print_onsager(out, r);
    print_order(out, r);
    print_percolation(out, r);
    if (p->physical)
        print_physical(out, r);
}

void hop_alloy_json_parameters(cJSON *o, const hop_params *p)
{
    cJSON *sp = cJSON_AddObjectToObject(o, "species");
    for (int i = 0; sp && i < p->alloy.n_species; ++i) {
        cJSON *s = cJSON_AddObjectToObject(sp, p->alloy.name[i]);
        hop_json_number(s, "fraction", p->alloy.fraction[i]);
        hop_json_number(s, "w", p->alloy.w[i]);
    }
    cJSON_AddNumberToObject(o, "vacancies", p->alloy.vacancies);
    {
        cJSON *pairs = cJSON_AddObjectToObject(o, "pair_energies_kT");
        for (int i = 0; pairs && i < p->alloy.n_species; ++i)
            for (int j = i; j < p->alloy.n_species; ++j)
                if (p->alloy.pair[i][j] != 0) {
                    char key[2 * HOP_ALLOY_NAME_LEN + 2];
                    snprintf(key, sizeof key, "%s-%s", p->alloy.name[i], p->alloy.name[j]);
                    hop_json_number(pairs, key, p->alloy.pair[i][j]);
                }
        if (p->equilibrate > 0)
            hop_json_number(o, "equilibrate", p->equilibrate);
    }
    if (p->physical || p->T > 0) {
        cJSON *ph = cJSON_AddObjectToObject(o, "physical");
        hop_json_number(ph, "T", p->T);
        if (p->physical) {
            hop_json_number(ph, "Qf", p->Qf);
            hop_json_number(ph, "Sf", p->Sf);
            hop_json_number(ph, "Sm", p->Sm);
            hop_json_number(ph, "a", p->a);
            for (int i = 0; ph && i < p->alloy.n_species; ++i) {
                cJSON *s = cJSON_AddObjectToObject(ph, p->alloy.name[i]);
                hop_json_number(s, "Em", p->alloy.Em[i]);
                hop_json_number(s, "nu", p->alloy.nu[i] > 0 ? p->alloy.nu[i] : p->nu);
            }
        }
        for (int i = 0; ph && i < p->alloy.n_species; ++i)
            for (int j = i; j < p->alloy.n_species; ++j)
                if (p->alloy.pair_eV[i][j] != 0) {
                    char key[2 * HOP_ALLOY_NAME_LEN + 16];
                    snprintf(key, sizeof key, "pair_eV_%s-%s", p->alloy.name[i],
                             p->alloy.name[j]);
                    hop_json_number(ph, key, p->alloy.pair_eV[i][j]);
                }
    }
}

/* results.physical (docs/alloys.md): the factors and the SI values. */
static void json_physical(cJSON *o, const hop_result *r)
{
    const int n = r->alloy.n_species;
    cJSON *ph = cJSON_AddObjectToObject(o, "physical"), *sp, *L;
    hop_json_number(ph, "kT_eV", HOP_K_B_EV * r->params.T);
    hop_json_number(ph, "x_v", r->alloy.x_v);
    hop_json_number(ph, "w_ref_per_s", r->alloy.w_ref_hz);
    hop_json_number(ph, "D_unit_m2_s", r->alloy.unit_D);
    hop_json_number(ph, "vacancy_scale", r->alloy.vacancy_scale);
    hop_json_number(ph, "L_per_Lambda", r->alloy.unit_L);
    sp = cJSON_AddObjectToObject(ph, "D_star_m2_s");
    for (int e = 0; sp && e <= n; ++e)
        hop_json_estimate(sp, entity_name(r, e), &r->alloy.D_star_si[e]);
    L = cJSON_AddObjectToObject(ph, "onsager_SI");
    for (int i = 0; L && i <= n; ++i) {
        cJSON *row = cJSON_AddObjectToObject(L, entity_name(r, i));
        for (int j = 0; j <= n; ++j)
            hop_json_estimate(row, entity_name(r, j), &r->alloy.onsager_si[i][j]);
    }
    if (n == 2)
        hop_json_estimate(ph, "interdiffusion_m2_s", &r->alloy.interdiffusion_si);
}

/* "axes": {NAME: {D_star, f}} per principal component of entity e (none where the
 * lattice has one). */
static void json_axes(cJSON *o, const hop_result *r, int e)
{
    cJSON *axes;
    if (r->alloy.n_groups == 0 || !(axes = cJSON_AddObjectToObject(o, "axes")))
        return;
    for (int g = 0; g < r->alloy.n_groups; ++g) {
        cJSON *a = cJSON_AddObjectToObject(axes, r->params.lattice->group_name[g]);
        hop_json_estimate(a, e < r->alloy.n_species ? "D_star" : "D",
                          &r->alloy.D_star_group[e][g]);
        hop_json_estimate(a, "f", &r->alloy.f_group[e][g]);
    }
}

void hop_alloy_json_results(cJSON *o, const hop_result *r)
{
    const int n = r->alloy.n_species;
    cJSON *sp = cJSON_AddObjectToObject(o, "species"), *on, *man, *chk;
    for (int e = 0; sp && e < n; ++e) {
        cJSON *s = cJSON_AddObjectToObject(sp, entity_name(r, e));
        cJSON_AddNumberToObject(s, "atoms", (double)r->alloy.atoms[e]);
        hop_json_number(s, "c", r->alloy.c[e]);
        hop_json_number(s, "w", r->alloy.w[e]);
        hop_json_estimate(s, "D_star", &r->alloy.D_star[e]);
        hop_json_estimate(s, "f", &r->alloy.f[e]);
        hop_json_number(s, "f_manning", r->alloy.manning_f[e]);
        if (n == 2) {
            hop_json_estimate(s, "vacancy_wind", &r->alloy.wind[e]);
            hop_json_number(s, "vacancy_wind_manning", r->alloy.manning_wind[e]);
        }
        hop_json_value_stderr(s, "D_star_full_minus_early_run", &r->alloy.run_bias[e]);
        hop_json_number(s, "f_run_length_bound", r->alloy.f_run_bound[e]);
        json_axes(s, r, e);
    }
    if (n == 2) {
        cJSON *d = cJSON_AddObjectToObject(o, "interdiffusion");
        hop_json_estimate(d, "from_onsager", &r->alloy.interdiffusion);
        hop_json_estimate(d, "darken_tracers", &r->alloy.interdiffusion_darken);
        hop_json_number(d, "manning_wind", r->alloy.interdiffusion_manning);
    }
    {
        cJSON *v = cJSON_AddObjectToObject(o, "vacancy");
        hop_json_estimate(v, "D", &r->alloy.D_star[n]);
        hop_json_estimate(v, "f", &r->alloy.f[n]);
        hop_json_number(v, "f_manning", r->alloy.manning_f[n]);
        hop_json_number(v, "exchange_rate", r->alloy.gamma_v);
        hop_json_value_stderr(v, "D_full_minus_early_run", &r->alloy.run_bias[n]);
        hop_json_number(v, "f_run_length_bound", r->alloy.f_run_bound[n]);
        json_axes(v, r, n);
    }
    on = cJSON_AddObjectToObject(o, "onsager");
    man = cJSON_AddObjectToObject(o, "onsager_manning");
    for (int i = 0; on && man && i <= n; ++i) {
        cJSON *row = cJSON_AddObjectToObject(on, entity_name(r, i));
        cJSON *mrow = cJSON_AddObjectToObject(man, entity_name(r, i));
        for (int j = 0; j <= n; ++j) {
            hop_json_estimate(row, entity_name(r, j), &r->alloy.onsager[i][j]);
            hop_json_number(mrow, entity_name(r, j), r->alloy.manning_onsager[i][j]);
        }
    }
    chk = cJSON_AddObjectToObject(o, "onsager_checks");
    cJSON_AddBoolToObject(chk, "symmetric", 1);
    cJSON_AddBoolToObject(chk, "conservation_exact", r->alloy.conservation_max == 0);
    hop_json_number(chk, "min_eigenvalue_species", r->alloy.min_eigen);
    hop_json_number(chk, "largest_stderr_species", r->alloy.min_eigen_sigma);
    cJSON_AddBoolToObject(chk, "positive_semidefinite",
                          r->alloy.min_eigen >= -2 * r->alloy.min_eigen_sigma);
    {
        cJSON *sro = cJSON_AddObjectToObject(o, "short_range_order");
        cJSON *bonds = cJSON_AddObjectToObject(o, "pairs_per_site");
        for (int i = 0; sro && bonds && i < n; ++i) {
            cJSON *row = cJSON_AddObjectToObject(sro, entity_name(r, i));
            cJSON *brow = cJSON_AddObjectToObject(bonds, entity_name(r, i));
            for (int j = 0; j < n; ++j) {
                hop_json_value_stderr(row, entity_name(r, j), &r->alloy.sro[i][j]);
                hop_json_value_stderr(brow, entity_name(r, j), &r->alloy.bonds[i][j]);
            }
        }
    }
    {
        cJSON *rl = cJSON_AddObjectToObject(o, "run_length");
        hop_json_number(rl, "lever", r->alloy.run_lever);
        hop_json_number(rl, "decay_exponent", r->alloy.run_p);
        cJSON_AddStringToObject(rl, "law", r->alloy.run_law > 0 ? "hydrodynamic, bias ~ T^-d/2"
                                           : r->alloy.run_law == 0 ? "none: percolation"
                                                                   : "none: no early window");
    }
    if ((chk = hop_json_companion(o, r)) != NULL) {   /* f per species and V, as above */
        cJSON *f = cJSON_AddObjectToObject(chk, "f");
        for (int e = 0; f && e <= n; ++e)
            hop_json_value_stderr(f, entity_name(r, e), &r->alloy.f_check[e]);
    }
    hop_json_number(o, "f0_lattice", r->alloy.f0);
    hop_json_number(o, "mobile_fraction", r->alloy.mobile_fraction);
    hop_json_number(o, "percolation_threshold", r->alloy.percolation);
    cJSON_AddStringToObject(o, "time_unit", r->params.alloy.w[0] > 0 ? r->params.alloy.name[0]
                                                                  : "the fastest species");
    if (r->params.physical)
        json_physical(o, r);
}

/* The run-length verdict on f estimate e (run-length part rb of its bound above sigma):
 * the bound's drift part |Delta|/(lever^p - 1) falls as T^-p with the run, its noise part
 * 2 sigma_Delta/(lever^p - 1) keeps its ratio to sigma, so the --time suggested brings
 * the drift part below sigma less the noise part, where the noise part alone is below. */
static void run_length_verdict(const hop_result *r, const char *name, int e, hop_verdict *v)
{
    const hop_estimate *f = &r->alloy.f[e], *d = &r->alloy.run_bias[e];
    const double den = pow(r->alloy.run_lever, r->alloy.run_p) - 1;
    const double D = r->alloy.D_star[e].sigma;     /* Delta is of D*, as sigma here */
    const double drift = fabs(d->value) / den / D, noise = 2 * d->sigma / den / D;
    const double T = r->params.time;
    if (!(noise < 1) || !(drift > 0)) {
        hop_verdict_set(v, "run_length", "the run-length bias bound of %s (%.2g) exceeds sigma "
                        "(%.2g), and its noise part alone (%.2g sigma) does at any --time: the "
                        "two-window bound cannot resolve this (docs/alloys.md)", name,
                        r->alloy.f_run_bound[e], f->sigma, noise);
        return;
    }
    hop_verdict_set(v, "run_length", "the run-length bias bound of %s (%.2g) exceeds sigma "
                    "(%.2g): use --time %.3g or more (its drift part falls as T^-%g)", name,
                    r->alloy.f_run_bound[e], f->sigma,
                    T * pow(drift / (1 - noise), 1 / r->alloy.run_p) * 1.01, r->alloy.run_p);
}

/* The box and run-length bounds of every species' f (the immobile's excepted) and of
 * the vacancy's, against their sigma.  In 1D the verdict is one_dimensional
 * (hop_verdict_size: single file).  Unbounded where the run-length part is not
 * claimed (percolation), said why; run_length where a 2D run is shorter than the bound
 * needs (hop_alloy_short_run: N/2 jumps), with the --time that reaches it; unbounded where the
 * run-length part has no window, said why; else the worst total bound above
 * sigma names the larger of its parts: the run length (run_length_verdict) or the box
 * (hop_verdict_size: finite_size, or unbounded without a companion). */
void hop_alloy_verdict(const hop_result *r, hop_verdict *v)
{
    const char *names[HOP_ALLOY_MAX_SPECIES + 1];
    char labels[HOP_ALLOY_MAX_SPECIES + 1][HOP_ALLOY_NAME_LEN + 8];
    const hop_estimate *e[HOP_ALLOY_MAX_SPECIES + 1];
    hop_size_parts parts[HOP_ALLOY_MAX_SPECIES + 1];
    int entity[HOP_ALLOY_MAX_SPECIES + 1], k = 0, worst = -1;
    double worst_ratio = 1;
    char text[sizeof v->text];
    for (int i = 0; i <= r->alloy.n_species; ++i)
        if (isfinite(r->alloy.f[i].value)) {
            snprintf(labels[k], sizeof labels[k], "f(%s)", entity_name(r, i));
            names[k] = labels[k];
            entity[k] = i;
            e[k++] = &r->alloy.f[i];
        }
    if (r->params.lattice->dim == 1) {      /* single file: one_dimensional, whatever */
        hop_verdict_size(r, names, e, k, v);
        return;
    }
    if (r->alloy.run_law == 0) {
        char pc[64];
        threshold_text(pc, sizeof pc, r);
        hop_verdict_set(v, "unbounded", "no run-length bound: the mobile atoms (%.3g of all) "
                        "are below or within 3 widths of the site-percolation threshold "
                        "(%s), where D approaches its limit by no known law; the values may "
                        "still change with --time", r->alloy.mobile_fraction, pc);
        return;
    }
    if (hop_alloy_short_run(&r->params, text, sizeof text)) {     /* 2D, below N/2 jumps */
        hop_verdict_set(v, "run_length", "%s", text);
        return;
    }
    if (r->alloy.run_law < 0) {
        hop_verdict_set(v, "unbounded", "no run-length bound: the fit window (--fit-from %g) "
                        "leaves no room for the early run's window on --times %d: raise "
                        "either", r->params.fit_from, r->params.n_times);
        return;
    }
    for (int i = 0; i < k; ++i) {
        parts[i].check = &r->alloy.f_check[entity[i]];
        parts[i].rest = isfinite(r->alloy.f_run_bound[entity[i]])
                        ? r->alloy.f_run_bound[entity[i]] : 0.0;
        parts[i].sigma_power = entity[i] < r->alloy.n_species ? 0.5 : 0.0;
    }
    for (int i = 0; i < k; ++i)
        if (isfinite(e[i]->bias) && e[i]->bias / e[i]->sigma > worst_ratio) {
            worst = i;
            worst_ratio = e[i]->bias / e[i]->sigma;
        }
    if (worst >= 0 && 2 * r->alloy.f_run_bound[entity[worst]] >= e[worst]->bias) {
        int any_nan = 0;
        for (int i = 0; i < k; ++i)
            any_nan |= isnan(e[i]->bias);
        if (!any_nan) {
            run_length_verdict(r, names[worst], entity[worst], v);
            return;
        }
    }
    hop_verdict_size_parts(r, names, e, parts, k, v);
}

/* output_json.c: the JSON record of a run (see output_json.h), built with cJSON.
 * 64-bit integers that may exceed 2^53 (the seed) are also given as decimal strings,
 * since a JSON number is read as a double by most consumers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "hop_git.h"
#include "base/atomic_file.h"
#include "output/json.h"
#include "models/solute.h"

/* Adds key = v, or null when v is not finite (JSON has no NaN).  NULL on failure. */
static cJSON *add_number(cJSON *o, const char *key, double v)
{
    return isfinite(v) ? cJSON_AddNumberToObject(o, key, v) : cJSON_AddNullToObject(o, key);
}

static cJSON *add_value_stderr(cJSON *o, const char *key, const hop_estimate *e)
{
    cJSON *x = cJSON_AddObjectToObject(o, key);
    add_number(x, "value", e->value);
    add_number(x, "stderr", e->sigma);
    return x;
}

/* value, stderr and bias_bound (null where unknown) */
static cJSON *add_estimate(cJSON *o, const char *key, const hop_estimate *e)
{
    cJSON *x = add_value_stderr(o, key, e);
    add_number(x, "bias_bound", e->bias);
    return x;
}

/* The companion box that bounds the finite-size bias, when one ran. */
static void add_size_check(cJSON *o, const hop_result *r)
{
    cJSON *h;
    if (r->check_size <= 0)
        return;
    h = cJSON_AddObjectToObject(o, "finite_size_check");
    cJSON_AddNumberToObject(h, "size", r->check_size);
    cJSON_AddNumberToObject(h, "box_sites", (double)r->check_box_sites);
    add_value_stderr(h, "f", &r->f_check);
}

/* The run's parameters; threads_used (the cpu backend's threads, 0 on cuda) stands for
 * --threads 0, "all cores", so the record says how many ran. */
static void add_parameters(cJSON *root, const hop_params *p, int threads_used)
{
    cJSON *o = cJSON_AddObjectToObject(root, "parameters");
    char seed[24];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)p->seed);
    cJSON_AddStringToObject(o, "lattice", p->lattice ? p->lattice->name : "");
    cJSON_AddStringToObject(o, "estimator", p->estimator == HOP_EST_MSD ? "msd" : "corr");
    cJSON_AddStringToObject(o, "model", hop_model_name(p->model));
    if (p->model == HOP_MODEL_SOLUTE) {
        cJSON *w = cJSON_AddObjectToObject(o, "rates");
        static const char *names[] = {"w0", "w1", "w2", "w3", "w4"};
        for (int i = 0; i < 5; ++i)
            if (p->w[i] > 0)
                add_number(w, names[i], p->w[i]);
        if (p->w3p > 0)
            add_number(w, "w3p", p->w3p);
        if (p->w3pp > 0)
            add_number(w, "w3pp", p->w3pp);
    }
    cJSON_AddNumberToObject(o, "seed", (double)p->seed);
    cJSON_AddStringToObject(o, "seed_str", seed);
    cJSON_AddNumberToObject(o, "replicas", (double)p->replicas);
    cJSON_AddStringToObject(o, "backend", hop_backend_name(p->backend));
    cJSON_AddNumberToObject(o, "threads", p->threads == 0 ? threads_used : p->threads);
    cJSON_AddNumberToObject(o, "batch", (double)p->batch);
    if (p->target_error > 0)
        add_number(o, "target_error", p->target_error);
    if (p->time_limit > 0)
        add_number(o, "time_limit", p->time_limit);
    if (p->estimator == HOP_EST_CORR) {
        add_number(o, "radius", p->radius);
        cJSON_AddNumberToObject(o, "shells", p->shells);
    } else {
        cJSON_AddNumberToObject(o, "size", p->size);
        add_number(o, "time", p->time);
        cJSON_AddNumberToObject(o, "n_times", p->n_times);
        add_number(o, "fit_from", p->fit_from);
        cJSON_AddBoolToObject(o, "size_check", p->size_check != 0);
    }
    if (p->model == HOP_MODEL_GAS) {
        add_number(o, "c", p->c);
        add_number(o, "J", p->J);                 /* in kT; E/kT with --pair-energy */
        if (p->pair_energy_given) {
            add_number(o, "pair_energy", p->pair_energy);      /* eV */
            if (!p->physical)
                add_number(o, "T", p->T);
        }
        add_number(o, "equilibrate", p->equilibrate);
        if (p->physical) {
            add_number(o, "T", p->T);
            add_number(o, "Qm", p->Qm);
            add_number(o, "nu", p->nu);
            add_number(o, "a", p->a);
            if (p->carrier_density > 0)
                add_number(o, "carrier_density", p->carrier_density);
            add_number(o, "charge", p->charge);
        }
        return;
    }
    if (p->physical) {
        add_number(o, "T", p->T);
        add_number(o, "Qf", p->Qf);
        add_number(o, "Qm", p->Qm);
        if (p->bond_energy > 0)
            add_number(o, "bond_energy", p->bond_energy);
        add_number(o, "nu", p->nu);
        add_number(o, "a", p->a);
        if (p->carrier_density > 0) {
            add_number(o, "carrier_density", p->carrier_density);
            add_number(o, "charge", p->charge);
        }
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
    add_number(o, "c", r->gas.c);
    add_number(o, "empty_neighbour_probability", r->gas.empty_neighbour);
    add_number(o, "D0", r->gas.D0);
    h = add_estimate(o, "f", &r->f);
    cJSON_AddStringToObject(h, "definition", "D*/(D0 M/(n-1)), M/(n-1) -> 1 - c");
    add_estimate(o, "D_star_over_D0", &r->gas.D_star);
    add_estimate(o, "D_sigma_over_D0", &r->gas.D_sigma);
    add_value_stderr(o, "D_vacancy_over_D0", &r->gas.D_vacancy);
    h = add_estimate(o, "thermodynamic_factor", &r->gas.theta);
    cJSON_AddStringToObject(h, "definition", "d(mu/kT)/d ln c = c/chi, measured from the "
                            "particle-number variances of slabs spanning the box");
    cJSON_AddStringToObject(h, "slab_widths", r->gas.theta_two_widths
                            ? "two (L/2 and L/4: surface term cancelled)"
                            : "one (edge < 4 cells: O(1/L) surface bias)");
    add_number(h, "exact_in_box", r->gas.theta_exact);     /* J = 0: (n-1)/M; else null */
    h = add_value_stderr(o, "thermodynamic_factor_one_width", &r->gas.theta_one_width);
    cJSON_AddStringToObject(h, "definition", "from the L/2 slabs alone (O(1/L) surface "
                            "bias), for comparison");
    add_value_stderr(o, "thermodynamic_factor_drift", &r->gas.theta_drift);
    h = add_estimate(o, "D_chem_over_D0", &r->gas.D_chem);
    cJSON_AddStringToObject(h, "definition", "D_sigma Theta / D0");
    cJSON_AddStringToObject(h, "thermodynamic_factor", r->gas.D_chem_exact_theta
                            ? "exact (n-1)/M (J = 0)" : "measured");
    h = add_estimate(o, "haven_ratio", &r->haven);
    cJSON_AddStringToObject(h, "convention", "H = D*/D_sigma");
    h = add_estimate(o, "haven_ratio_inverse", &r->haven_inverse);
    cJSON_AddStringToObject(h, "convention", "D_sigma/D*");
    add_value_stderr(o, "pairs_per_site", &r->gas.pairs);
    add_value_stderr(o, "pairs_per_site_drift", &r->gas.pairs_drift);
    h = cJSON_AddObjectToObject(o, "fit");
    add_number(h, "chi2", r->fit_chi2);
    cJSON_AddNumberToObject(h, "dof", r->fit_dof);
    add_number(h, "chi2_collective", r->gas.fit_chi2_collective);
    cJSON_AddNumberToObject(h, "dof_collective", r->gas.fit_dof_collective);
    add_size_check(o, r);
}

/* {value, stderr, bias_bound, unit}: a physical estimate scaled by `by`. */
static void add_unit_estimate(cJSON *o, const char *key, const hop_estimate *e, double by,
                              const char *unit)
{
    const hop_estimate x = {e->value * by, e->sigma * by, e->bias * by};
    cJSON_AddStringToObject(add_estimate(o, key, &x), "unit", unit);
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
    add_number(o, "kT", x->kT);
    add_number(o, "omega", x->omega);
    add_number(o, "jump_length_m", x->alpha);
    add_number(o, "D0_SI", x->D0);
    for (size_t i = 0; i < sizeof D / sizeof *D; ++i) {
        char key[32];
        add_unit_estimate(o, D[i].key, D[i].e, 1, "m^2/s");
        snprintf(key, sizeof key, "%s_cm2_s", D[i].key);
        add_unit_estimate(o, key, D[i].e, 1e4, "cm^2/s");
    }
    h = cJSON_AddObjectToObject(o, "carrier_density");
    add_number(h, "value", x->carrier_density);
    cJSON_AddStringToObject(h, "unit", per[dd]);
    cJSON_AddStringToObject(h, "source", r->params.carrier_density > 0
                            ? "--carrier-density" : "c (sites per cell) / (cell volume)");
    add_unit_estimate(o, "conductivity", &x->conductivity, 1, unit[dd]);
}

static void add_results(cJSON *root, const hop_result *r)
{
    const hop_lattice *L = r->params.lattice;
    cJSON *o = cJSON_AddObjectToObject(root, "results");
    cJSON_AddStringToObject(o, "units", "lengths in a, times in 1/omega, D in a^2 omega");
    if (r->params.model == HOP_MODEL_GAS) {
        add_gas_results(o, r);
        if (r->params.physical)
            add_gas_physical(o, r);
        return;
    }
    add_estimate(o, "f", &r->f);
    if (r->params.model == HOP_MODEL_SOLUTE) {
        add_estimate(o, "f2", &r->f);
        add_number(o, "f2_manning", r->f2_manning);
        add_number(o, "D2_over_Xv", r->D2_over_Xv);
        add_number(o, "binding_over_kT", r->binding);
    }
    for (int g = 0; g < r->n_groups && g < HOP_MAX_GROUPS; ++g) {
        char key[32];
        snprintf(key, sizeof key, "f_%s", L ? L->group_name[g] : "?");
        add_estimate(o, key, &r->f_group[g]);
    }
    if (L && L->isotropic)
        add_number(o, "isotropy_max_dev_sigma", r->isotropy_dev);
    if (r->params.estimator == HOP_EST_CORR) {
        cJSON *t = cJSON_AddArrayToObject(o, "truncation");
        for (int m = 0; m < r->n_shells && m < HOP_MAX_SHELLS; ++m) {
            cJSON *e = cJSON_CreateObject();
            add_number(e, "radius", r->shell_radius[m]);
            add_value_stderr(e, "f", &r->f_shell[m]);
            cJSON_AddItemToArray(t, e);
        }
        add_number(o, "lost_fraction", r->lost_fraction);
    } else {
        /* With physical units the D keys hold m^2/s (add_physical); reduced ones move. */
        cJSON *h, *red = r->params.physical ? cJSON_AddObjectToObject(o, "reduced") : o;
        cJSON_AddNumberToObject(o, "box_sites", (double)r->box_sites);
        add_number(red, "D_uncorrelated", r->D_uncorrelated);
        add_estimate(red, "D_star", &r->D_star);
        add_estimate(red, "D_sigma", &r->D_sigma);
        h = add_value_stderr(o, "haven_ratio", &r->haven);
        cJSON_AddStringToObject(h, "convention", "H = D*/D_sigma");
        h = add_value_stderr(o, "haven_ratio_inverse", &r->haven_inverse);
        cJSON_AddStringToObject(h, "convention", "D_sigma/D*");
        h = cJSON_AddObjectToObject(o, "fit");
        add_number(h, "chi2", r->fit_chi2);
        cJSON_AddNumberToObject(h, "dof", r->fit_dof);
        add_size_check(o, r);
    }
}

/* Physical units (host/models/physics.h): D in m^2/s, energies in eV, conductivity in S/m. */
static void add_physical(cJSON *root, const hop_result *r)
{
    const hop_physical *x = &r->phys;
    cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "results"), *h;
    const hop_estimate cm2 = {x->D_star.value * 1e4, x->D_star.sigma * 1e4, x->D_star.bias * 1e4};
    cJSON_ReplaceItemInObjectCaseSensitive(o, "units", cJSON_CreateString(
        r->params.estimator == HOP_EST_MSD
            ? "SI: D in m^2/s (D_star_cm2_s in cm^2/s), rates in 1/s, energies in eV, "
              "conductivity in S/m; results.reduced: D in a^2 omega"
            : "SI: D in m^2/s (D_star_cm2_s in cm^2/s), rates in 1/s, energies in eV, "
              "conductivity in S/m"));
    add_number(o, "kT", x->kT);
    add_number(o, "X_v", x->X_v);
    add_number(o, "omega", x->omega);
    add_number(o, "Gamma", x->Gamma);
    add_number(o, "D_uncorrelated", x->D_uncorrelated);
    add_estimate(o, "D_star", &x->D_star);
    add_estimate(o, "D_star_cm2_s", &cm2);
    add_number(o, "D0", x->D0);
    add_number(o, "Q_D", x->Q_D);
    add_number(o, "Q_f", r->params.Qf);
    add_number(o, "Q_m", r->params.Qm);
    h = cJSON_AddObjectToObject(o, "D_sigma");
    add_number(h, "value", x->D_sigma.value);
    add_number(h, "stderr", x->D_sigma.sigma);
    if (x->D_sigma_exact)
        cJSON_AddStringToObject(h, "note", "exact for one vacancy: D_sigma = D_uncorrelated");
    if (isfinite(x->conductivity.value))
        add_value_stderr(o, "conductivity", &x->conductivity);
    if (r->params.estimator == HOP_EST_CORR) {
        h = add_value_stderr(o, "haven_ratio", &r->haven);
        cJSON_AddStringToObject(h, "convention", "H = D*/D_sigma");
        h = add_value_stderr(o, "haven_ratio_inverse", &r->haven_inverse);
        cJSON_AddStringToObject(h, "convention", "D_sigma/D*");
    }
}

static void add_performance(cJSON *root, const hop_result *r)
{
    cJSON *o = cJSON_AddObjectToObject(root, "performance");
    cJSON_AddNumberToObject(o, "replicas", (double)r->replicas);
    cJSON_AddStringToObject(o, "stopped_by", r->stopped_by ? r->stopped_by : "replicas");
    cJSON_AddBoolToObject(o, "resumed", r->resumed);
    cJSON_AddNumberToObject(o, "ranks", r->ranks);
    cJSON_AddNumberToObject(o, "tracer_jumps", (double)r->tracer_jumps);
    cJSON_AddNumberToObject(o, "vacancy_steps", (double)r->vacancy_steps);
    add_number(o, "wall_s", r->wall_s);
    add_number(o, "steps_per_s", r->steps_per_s);
}

/* Every number of the tree rewritten as the shortest decimal that reads back to the same
 * double (cJSON's own printing keeps 15 digits whenever they read back within
 * DBL_EPSILON, which can hide a change of one unit in the last place): the record is then
 * exact to the bit, as scripts/regress needs.  Integers stay integers. */
static void numbers_exact(cJSON *item)
{
    for (; item; item = item->next) {
        if (cJSON_IsNumber(item) && isfinite(item->valuedouble)) {
            char buf[40];
            const double v = item->valuedouble;
            for (int digits = 15; digits <= 17; ++digits) {
                snprintf(buf, sizeof buf, "%.*g", digits, v);
                if (strtod(buf, NULL) == v)
                    break;
            }
            if ((item->valuestring = strdup(buf)))      /* else cJSON's own printing */
                item->type = cJSON_Raw | (item->type & ~0xFF);
        }
        numbers_exact(item->child);
    }
}

hop_status hop_json_write(const char *path, const hop_result *r, const char *command_line)
{
    cJSON *root = cJSON_CreateObject();
    char *text = NULL;
    hop_status s;
    if (root) {
        cJSON_AddStringToObject(root, "hop_version", HOP_VERSION);
        cJSON_AddStringToObject(root, "git_commit", HOP_GIT_COMMIT);
        cJSON_AddStringToObject(root, "command_line", command_line ? command_line : "");
        cJSON_AddStringToObject(root, "backend", r->backend ? r->backend : "unknown");
        cJSON_AddStringToObject(root, "device", r->device);
        cJSON_AddNumberToObject(root, "threads", r->threads);
        if (r->params.backend == HOP_BACKEND_CUDA)
            cJSON_AddNumberToObject(root, "batches", r->batches);
        add_parameters(root, &r->params, r->threads);
        add_results(root, r);
        if (r->params.physical && r->params.model != HOP_MODEL_GAS)
            add_physical(root, r);
        add_performance(root, r);
        numbers_exact(root->child);
        text = cJSON_Print(root);
        cJSON_Delete(root);
    }
    /* Allocation failures are checked at the root and the final print only: the tree
     * is a few kilobytes, and a cJSON_Add* that fails leaves the tree consistent. */
    if (!text)
        return hop_error(HOP_ERR_NOMEM, "out of memory building the JSON record for '%s'", path);
    s = hop_atomic_write_text(path, text);
    free(text);
    return s;
}

/* ------------------------------------------------------------- exact estimator --- */

static void add_exact(cJSON *o, const char *key, const hop_exact_estimate *e)
{
    cJSON *x = cJSON_AddObjectToObject(o, key);
    if (isnan(e->value)) {
        cJSON_AddNullToObject(x, "value");
        cJSON_AddNullToObject(x, "error_bound");
        return;
    }
    add_number(x, "value", e->value);
    add_number(x, "error_bound", e->error_bound);
}

hop_status hop_json_write_exact(const char *path, const hop_params *p, const hop_exact_result *r,
                                const char *command_line)
{
    const hop_lattice *L = p->lattice;
    cJSON *root = cJSON_CreateObject(), *res, *radii;
    char *text = NULL, key[24];
    hop_status s;
    if (!root)
        return hop_error(HOP_ERR_NOMEM, "out of memory writing %s", path);
    cJSON_AddStringToObject(root, "program", "hop");
    cJSON_AddStringToObject(root, "version", HOP_VERSION);
    cJSON_AddStringToObject(root, "git_commit", HOP_GIT_COMMIT);
    cJSON_AddStringToObject(root, "command_line", command_line);
    {
        cJSON *o = cJSON_AddObjectToObject(root, "parameters");
        cJSON_AddStringToObject(o, "lattice", L->name);
        cJSON_AddStringToObject(o, "estimator", "exact");
        cJSON_AddStringToObject(o, "model", hop_model_name(p->model));
        if (p->model == HOP_MODEL_SOLUTE) {
            cJSON *w = cJSON_AddObjectToObject(o, "rates");
            static const char *names[] = {"w0", "w1", "w2", "w3", "w4"};
            for (int i = 0; i < 5; ++i)
                if (p->w[i] > 0)
                    add_number(w, names[i], p->w[i]);
            if (p->w3p > 0)
                add_number(w, "w3p", p->w3p);
            if (p->w3pp > 0)
                add_number(w, "w3pp", p->w3pp);
        }
    }
    res = cJSON_AddObjectToObject(root, "results");
    add_exact(res, "f", &r->f);
    for (int g = 0; g < L->n_groups; ++g) {
        snprintf(key, sizeof key, "f_%s", L->group_name[g]);
        add_exact(res, key, &r->f_group[g]);
    }
    if (p->model == HOP_MODEL_SOLUTE)
        add_exact(res, "f2", &r->f);
    add_exact(res, "drag_ratio", &r->drag);
    if (p->model == HOP_MODEL_SOLUTE) {
        /* Dilute limit (docs/exact.md): D2 = X_v D2_over_Xv, L_ss = n_s D2 / kT,
         * L_sv = L_ss drag_ratio; in a^2 times the rates' unit, per n_s X_v / kT. */
        hop_result h;
        hop_exact_estimate d2, lss, lsv;
        memset(&h, 0, sizeof h);
        h.params = *p;
        h.f.value = r->f.value;
        hop_solute_apply(&h);
        d2.value = h.D2_over_Xv;
        d2.error_bound = h.D2_over_Xv / r->f.value * r->f.error_bound;
        lss = d2;
        lsv.value = d2.value * r->drag.value;
        lsv.error_bound = fabs(d2.value) * r->drag.error_bound + fabs(r->drag.value) * d2.error_bound;
        add_exact(res, "D2_over_Xv", &d2);
        add_exact(res, "L_ss_kT_over_ns_Xv", &lss);
        add_exact(res, "L_sv_kT_over_ns_Xv", &lsv);
        if (!isnan(h.f2_manning))
            add_number(res, "f2_manning", h.f2_manning);
    }
    radii = cJSON_AddArrayToObject(res, "radii");
    for (int k = 0; k < r->n_radii; ++k)
        cJSON_AddItemToArray(radii, cJSON_CreateNumber(r->radius[k]));
    cJSON_AddNumberToObject(res, "tail_power", r->tail_power);
    cJSON_AddNumberToObject(res, "states", (double)r->n_states);
    add_number(res, "factor_bytes", r->factor_bytes);
    add_number(res, "wall_s", r->seconds);
    text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return hop_error(HOP_ERR_NOMEM, "out of memory writing %s", path);
    s = hop_atomic_write_text(path, text);
    free(text);
    return s;
}

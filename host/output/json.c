/* json.c: the JSON record of a run (see json.h), built with cJSON: the common keys
 * here, the estimator's and the model's through their tables (models/model.h).
 * 64-bit integers that may exceed 2^53 (the seed) are also given as decimal strings,
 * since a JSON number is read as a double by most consumers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "hop_git.h"
#include "base/atomic_file.h"
#include "models/format.h"
#include "models/model.h"
#include "models/physics.h"
#include "models/verdict.h"
#include "output/classes.h"
#include "output/json.h"
#include "models/physics.h"
#include "run/exact_run.h"

/* The common parameters, then the estimator's and the model's (models/model.h);
 * threads_used (the cpu backend's threads, 0 on cuda) stands for --threads 0, "all
 * cores", so the record says how many ran. */
static void add_parameters(cJSON *root, const hop_params *p, int threads_used)
{
    const hop_model *m = hop_model_get(p->model);
    const hop_estimator_ops *e = hop_model_estimator(p);
    cJSON *o = cJSON_AddObjectToObject(root, "parameters");
    char seed[24];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)p->seed);
    cJSON_AddStringToObject(o, "lattice", p->lattice ? p->lattice->name : "");
    cJSON_AddStringToObject(o, "estimator", p->estimator == HOP_EST_MSD ? "msd" : "corr");
    cJSON_AddStringToObject(o, "model", hop_model_name(p->model));
    cJSON_AddNumberToObject(o, "seed", (double)p->seed);
    cJSON_AddStringToObject(o, "seed_str", seed);
    cJSON_AddNumberToObject(o, "replicas", (double)p->replicas);
    cJSON_AddStringToObject(o, "backend", hop_backend_name(p->backend));
    cJSON_AddNumberToObject(o, "threads", p->threads == 0 ? threads_used : p->threads);
    cJSON_AddNumberToObject(o, "batch", (double)p->batch);
    if (p->target_error > 0)
        hop_json_number(o, "target_error", p->target_error);
    if (p->time_limit > 0)
        hop_json_number(o, "time_limit", p->time_limit);
    if (e)
        e->json_parameters(o, p);
    if (m)
        m->json_parameters(o, p);
    if (p->lattice)     /* the effective classes and site energies, and the rule */
        hop_classes_json(o, p->lattice, p->T > 0 ? HOP_K_B_EV * p->T : 0);
}

/* The results, as the model writes them (models/model.h); the units key first, which
 * models with other units replace. */
static void add_results(cJSON *root, const hop_result *r)
{
    const hop_model *m = hop_model_get(r->params.model);
    cJSON *o = cJSON_AddObjectToObject(root, "results");
    cJSON_AddStringToObject(o, "units", "lengths in a, times in 1/omega, D in a^2 omega");
    if (m)
        m->json_results(o, r);
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
    hop_json_number(o, "wall_s", r->wall_s);
    hop_json_number(o, "steps_per_s", r->steps_per_s);
}

/* verdict = {code, text}: the judgement on the result (models/verdict.h). */
static void add_verdict(cJSON *root, const char *code, const char *text)
{
    cJSON *o = cJSON_AddObjectToObject(root, "verdict");
    cJSON_AddStringToObject(o, "code", code);
    cJSON_AddStringToObject(o, "text", text);
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

/* Writes the tree root (NULL: allocation failed) to path atomically, every number exact
 * (numbers_exact), and frees it.  Allocation failures are checked at the root and the
 * final print only: the tree is a few kilobytes, and a cJSON_Add* that fails leaves the
 * tree consistent. */
static hop_status write_tree(const char *path, cJSON *root)
{
    char *text = NULL;
    hop_status s;
    if (root) {
        numbers_exact(root->child);
        text = cJSON_Print(root);
        cJSON_Delete(root);
    }
    if (!text)
        return hop_error(HOP_ERR_NOMEM, "out of memory building the JSON record for '%s'", path);
    s = hop_atomic_write_text(path, text);
    free(text);
    return s;
}

hop_status hop_json_write(const char *path, const hop_result *r, const char *command_line)
{
    cJSON *root = cJSON_CreateObject();
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
        add_performance(root, r);
        {
            hop_verdict v;
            hop_verdict_of(r, &v);
            add_verdict(root, v.code, v.text);
        }
    }
    return write_tree(path, root);
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
    hop_json_number(x, "value", e->value);
    hop_json_number(x, "error_bound", e->error_bound);
}

/* results.physical of an exact run: the corr run's conversion of the exact f
 * (exact_run.h), each value {value, error_bound} with the bound from f's. */
static void add_exact_physical(cJSON *res, const hop_params *p, const hop_exact_result *r,
                               const hop_exact_derived *d)
{
    const hop_physical *x = &d->phys;
    cJSON *o = cJSON_AddObjectToObject(res, "physical");
    hop_exact_estimate e;
    hop_json_number(o, "kT", x->kT);
    hop_json_number(o, "X_v", x->X_v);
    hop_json_number(o, d->solute ? "w0" : "omega", x->omega);
    e.value = x->D_star.value;
    e.error_bound = x->D_star.bias;
    add_exact(o, d->solute ? "D2" : "D_star", &e);
    e.value = x->D0;
    e.error_bound = d->D0_bound;
    add_exact(o, "D0", &e);
    hop_json_number(o, d->solute ? "Q_at_fixed_f2" : "Q_D", x->Q_D);
    for (int g = 0; !p->lattice->isotropic && g < p->lattice->n_groups; ++g) {
        /* per principal axis, named as a corr run names them (models/sections.c) */
        const char *a = p->lattice->group_name[g];
        char key[48];
        snprintf(key, sizeof key, "D_uncorrelated_%s", a);
        hop_json_number(o, key, x->D_uncorrelated_axis[g]);
        snprintf(key, sizeof key, "%s_%s", d->solute ? "D2" : "D_star", a);
        e.value = x->D_star_axis[g].value;
        e.error_bound = x->D_star_axis[g].bias;
        add_exact(o, key, &e);
        snprintf(key, sizeof key, "D0_%s", a);
        e.value = x->D0_axis[g];
        e.error_bound = x->D0_axis[g] / r->f_group[g].value * r->f_group[g].error_bound;
        add_exact(o, key, &e);
        snprintf(key, sizeof key, "Q_D_%s", a);
        hop_json_number(o, key, x->Q_D_axis[g]);
    }
    if (d->solute) {
        /* L_ss = n_s D2 / kT, L_sv = L_ss drag_ratio (docs/exact.md), per n_s */
        const double per_kT = 1.0 / (HOP_K_B_J * p->T);
        e.value = x->D_star.value * per_kT;
        e.error_bound = x->D_star.bias * per_kT;
        add_exact(o, "L_ss_over_ns", &e);
        e.value = x->D_star.value * per_kT * r->drag.value;
        e.error_bound = fabs(x->D_star.value * per_kT) * r->drag.error_bound
                        + fabs(r->drag.value) * x->D_star.bias * per_kT;
        add_exact(o, "L_sv_over_ns", &e);
    }
    cJSON_AddStringToObject(o, "units", d->solute
                            ? "D2, D0 in m^2/s; w0 in 1/s; kT, Q in eV; L/n_s in m^2/(J s)"
                            : "D_star, D0 in m^2/s; omega in 1/s; kT, Q in eV");
}

/* results.at_radii: per box, its half-widths (cells per axis, |x_a| <= n_a cell_a, and
 * (n_a + 1/2) cell_a in jump lengths), its states and its values, the convergence the
 * extrapolation is made from; results.box_shape: p_a with n_a + 1/2 = p_a (m + 1/2). */
static void add_exact_boxes(cJSON *res, const hop_lattice *L, const hop_exact_result *r)
{
    cJSON *shape = cJSON_AddArrayToObject(res, "box_shape");
    cJSON *boxes = cJSON_AddArrayToObject(res, "at_radii");
    char key[24];
    for (int a = 0; a < L->dim; ++a)
        cJSON_AddItemToArray(shape, cJSON_CreateNumber(r->shape[a]));
    for (int k = 0; k < r->n_radii; ++k) {
        cJSON *b = cJSON_CreateObject(), *cells, *widths;
        cJSON_AddItemToArray(boxes, b);
        hop_json_number(b, "radius", r->radius[k]);
        cells = cJSON_AddArrayToObject(b, "half_cells");
        widths = cJSON_AddArrayToObject(b, "half_widths");
        for (int a = 0; a < L->dim; ++a) {
            cJSON_AddItemToArray(cells, cJSON_CreateNumber(r->half_cells[k][a]));
            cJSON_AddItemToArray(widths, cJSON_CreateNumber((r->half_cells[k][a] + 0.5)
                                                            * r->cell_length[a]));
        }
        cJSON_AddNumberToObject(b, "states", (double)r->states_at[k]);
        hop_json_number(b, "f", r->at[k].f);
        for (int g = 0; g < L->n_groups; ++g) {
            snprintf(key, sizeof key, "f_%s", L->group_name[g]);
            hop_json_number(b, key, r->at[k].f_group[g]);
        }
        hop_json_number(b, "drag_ratio", r->at[k].drag);
    }
}

hop_status hop_json_write_exact(const char *path, const hop_params *p, const hop_exact_result *r,
                                const char *command_line)
{
    const hop_lattice *L = p->lattice;
    cJSON *root = cJSON_CreateObject(), *res, *radii;
    char key[24];
    hop_exact_derived d;
    hop_exact_derive(p, r, &d);
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
        hop_model_get(p->model)->json_parameters(o, p);     /* the solute's rates */
        hop_classes_json(o, L, p->T > 0 ? HOP_K_B_EV * p->T : 0);
    }
    res = cJSON_AddObjectToObject(root, "results");
    add_exact(res, "f", &r->f);
    for (int g = 0; g < L->n_groups; ++g) {
        snprintf(key, sizeof key, "f_%s", L->group_name[g]);
        add_exact(res, key, &r->f_group[g]);
    }
    if (d.solute)
        add_exact(res, "f2", &r->f);
    add_exact(res, "drag_ratio", &r->drag);
    if (d.solute) {
        /* Dilute limit (docs/exact.md): D2 = X_v D2_over_Xv, L_ss = n_s D2 / kT,
         * L_sv = L_ss drag_ratio; in a^2 times the rates' unit, per n_s X_v / kT. */
        hop_exact_estimate d2, lss, lsv;
        d2.value = d.D2_over_Xv;
        d2.error_bound = d.D2_over_Xv / r->f.value * r->f.error_bound;
        lss = d2;
        lsv.value = d2.value * r->drag.value;
        lsv.error_bound = fabs(d2.value) * r->drag.error_bound + fabs(r->drag.value) * d2.error_bound;
        add_exact(res, "D2_over_Xv", &d2);
        add_exact(res, "L_ss_kT_over_ns_Xv", &lss);
        add_exact(res, "L_sv_kT_over_ns_Xv", &lsv);
        if (!isnan(r->vv.value))
            add_exact(res, "L_vv_solute_effect", &r->vv);
        if (!isnan(d.f2_manning))
            hop_json_number(res, "f2_manning", d.f2_manning);
    }
    if (d.physical)
        add_exact_physical(res, p, r, &d);
    radii = cJSON_AddArrayToObject(res, "radii");
    for (int k = 0; k < r->n_radii; ++k)
        cJSON_AddItemToArray(radii, cJSON_CreateNumber(r->radius[k]));
    add_exact_boxes(res, L, r);
    cJSON_AddNumberToObject(res, "tail_power", r->tail_power);
    cJSON_AddNumberToObject(res, "states", (double)r->n_states);
    hop_json_number(res, "factor_bytes", r->factor_bytes);
    hop_json_number(res, "wall_s", r->seconds);
    {
        char line[96];
        snprintf(line, sizeof line, "exact: extrapolation bound %.1e", r->f.error_bound);
        add_verdict(root, "exact", line);
    }
    return write_tree(path, root);
}

/* test_models.c: the model registry and the contract of its tables (host/models/model.h):
 * names and identifiers round-trip, every registered model fills every mandatory entry,
 * unknown names and identifiers are refused, and a model's tables run the same work as
 * hop_run_execute: the statistics shaped by its estimator's shape, filled by run_part
 * over replicas [0, R) and reduced by estimate give the run's f to the bit. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "models/estimators.h"
#include "models/model.h"
#include "models/sections.h"
#include "run/run.h"

Test(models, names_and_ids_round_trip)
{
    const int n = hop_model_count();
    cr_assert_geq(n, 4, "vacancy, random, solute and gas are registered");
    for (int i = 0; i < n; ++i) {
        const hop_model *m = hop_model_at(i);
        cr_assert_not_null(m);
        cr_assert_eq(hop_model_get((int)m->id), m, "%s: by id", m->name);
        cr_assert_eq(hop_model_find(m->name), m, "%s: by name", m->name);
        cr_assert_eq(hop_model_parse(m->name), (int)m->id, "%s: parse", m->name);
        cr_assert_str_eq(hop_model_name((int)m->id), m->name);
        for (int j = 0; j < i; ++j) {
            cr_assert_neq(hop_model_at(j)->id, m->id, "%s: identifier used twice", m->name);
            cr_assert_str_neq(hop_model_at(j)->name, m->name, "name used twice");
        }
    }
    cr_assert_eq(hop_model_parse("vacancy"), HOP_MODEL_VACANCY);
    cr_assert_eq(hop_model_parse("gas"), HOP_MODEL_GAS);
}

Test(models, unknown_names_and_ids_fail)
{
    cr_assert_null(hop_model_find("nope"));
    cr_assert_null(hop_model_find(""));
    cr_assert_null(hop_model_find("Vacancy"), "names are case-sensitive");
    cr_assert_eq(hop_model_parse("nope"), -1);
    cr_assert_null(hop_model_get(-1));
    cr_assert_null(hop_model_get(1000));
    cr_assert_null(hop_model_at(-1));
    cr_assert_null(hop_model_at(hop_model_count()));
    cr_assert_str_eq(hop_model_name(1000), "unknown");
}

Test(models, names_list_every_model_in_order)
{
    char buf[256], want[256] = "";
    hop_model_names(buf, sizeof buf);
    for (int i = 0; i < hop_model_count(); ++i) {
        if (i)
            strcat(want, ", ");
        strcat(want, hop_model_at(i)->name);
    }
    cr_assert_str_eq(buf, want);
}

static void check_estimator(const hop_model *m, const hop_estimator_ops *e)
{
    cr_assert(e->name && *e->name, "%s: estimator without a name", m->name);
    cr_assert(e->shape && e->work_alloc && e->work_free && e->run_part && e->estimate
                  && e->json_parameters,
              "%s/%s: a mandatory estimator entry is NULL", m->name, e->name);
    if (e->bias_from_companion)
        cr_assert_not_null(m->companion, "%s/%s: a companion box needs the model's "
                           "companion entry", m->name, e->name);
    if (e == &hop_msd_estimator)
        cr_assert_not_null(m->msd_rates, "%s: msd needs the model's msd_rates", m->name);
    /* the vacancy family's sections call the estimator's */
    if (m->report == hop_vacancy_report)
        cr_assert(e->report && e->json_results, "%s/%s: no section for the family",
                  m->name, e->name);
}

Test(models, every_model_fills_every_mandatory_entry)
{
    for (int i = 0; i < hop_model_count(); ++i) {
        const hop_model *m = hop_model_at(i);
        int offered = 0;
        cr_assert(m->name && *m->name && m->help && *m->help, "model %d: name, help", i);
        cr_assert(m->resolve && m->apply && m->report && m->json_parameters
                      && m->json_results && m->columns && m->collective_note,
                  "%s: a mandatory entry is NULL", m->name);
        for (int k = 0; k < 3; ++k)
            cr_assert(m->counts_label[k] && *m->counts_label[k], "%s: counts label %d",
                      m->name, k);
        for (int est = HOP_EST_CORR; est <= HOP_EST_MSD; ++est)
            if (m->estimator[est]) {
                ++offered;
                check_estimator(m, m->estimator[est]);
            }
        cr_assert_gt(offered, 0, "%s offers no estimator", m->name);
    }
}

/* Small resolved parameters for model `name` with estimator `est` on sc (fcc for the
 * solute), no companion box; 0 when the model does not offer est. */
static int small_params(const char *name, int est, hop_params *p)
{
    char msg[256];
    const hop_model *m = hop_model_find(name);
    if (!m->estimator[est])
        return 0;
    hop_params_default(p);
    p->model = (int)m->id;
    p->estimator = est;
    p->backend = HOP_BACKEND_CPU;
    p->threads = 1;
    p->size_check = 0;
    p->lattice = hop_lattice_find(strcmp(name, "solute") == 0 ? "fcc" : "sc");
    if (strcmp(name, "solute") == 0) {
        const double w[5] = {1, 0.8, 2.5, 0.45, 3.7};
        memcpy(p->w, w, sizeof w);
    }
    if (strcmp(name, "gas") == 0)
        p->c = 0.5;
    if (strcmp(name, "alloy") == 0) {
        p->alloy.n_species = 2;
        snprintf(p->alloy.name[0], HOP_ALLOY_NAME_LEN, "A");
        snprintf(p->alloy.name[1], HOP_ALLOY_NAME_LEN, "B");
        p->alloy.fraction[0] = p->alloy.fraction[1] = 0.5;
        p->alloy.w[0] = 1;
        p->alloy.w[1] = 0.3;
    }
    p->n_times = 8;
    p->replicas = est == HOP_EST_CORR ? 1200 : 1000;
    cr_assert_eq(hop_params_resolve(p, msg, sizeof msg), HOP_OK, "%s: %s", name, msg);
    cr_assert_eq(hop_model_estimator(p), m->estimator[est], "%s", name);
    return 1;
}

/* The statistics of e's shape for p, filled by run_part over [0, R), reduced. */
static void run_by_table(const hop_params *p, hop_result *r)
{
    const hop_estimator_ops *e = hop_model_estimator(p);
    hop_state_shape shape;
    hop_model_stats st = {NULL, NULL};
    hop_corr_counts *counts = NULL;
    void *work = NULL;
    int batches = 0, threads = 0;
    e->shape(p, &shape);
    cr_assert((shape.corr_types > 0) != (shape.row_times > 0), "one kind of statistics");
    if (shape.corr_types > 0) {
        counts = hop_corr_counts_alloc(shape.corr_types, shape.corr_shells);
        cr_assert_not_null(counts);
        st.counts = counts;
    } else {
        cr_assert_eq(shape.row_times, p->n_times, "a row per time of the grid");
        st.acc = hop_msd_accum_alloc(shape.row_times, shape.row_groups);
        cr_assert_not_null(st.acc);
    }
    cr_assert_eq(e->work_alloc(p, &work), HOP_OK);
    cr_assert_eq(e->run_part(p, work, 0, p->replicas, &st, &batches, &threads), HOP_OK);
    if (st.acc)
        cr_assert_eq(st.acc->replicas, p->replicas, "every replica's row was added");
    memset(r, 0, sizeof *r);
    r->params = *p;
    cr_assert_eq(e->estimate(p, work, &st, r), HOP_OK);
    e->work_free(work);
    hop_msd_accum_free(st.acc);
    hop_corr_counts_free(counts);
}

Test(models, tables_run_what_the_run_runs, .timeout = 300)
{
    for (int i = 0; i < hop_model_count(); ++i)
        for (int est = HOP_EST_CORR; est <= HOP_EST_MSD; ++est) {
            const char *name = hop_model_at(i)->name;
            hop_params p;
            hop_result direct, *run = NULL;
            if (!small_params(name, est, &p))
                continue;
            run_by_table(&p, &direct);
            cr_assert_eq(hop_run_execute(&p, &run), HOP_OK, "%s", name);
            cr_assert_eq(run->replicas, p.replicas);
            cr_assert(memcmp(&direct.f.value, &run->f.value, sizeof(double)) == 0
                          && memcmp(&direct.f.sigma, &run->f.sigma, sizeof(double)) == 0,
                      "%s/%s: f %.17g +- %.17g by the table, %.17g +- %.17g by the run", name,
                      hop_model_estimator(&p)->name, direct.f.value, direct.f.sigma,
                      run->f.value, run->f.sigma);
            cr_assert(isfinite(direct.f.value) && direct.f.value > 0, "%s: f > 0", name);
            free(direct.msd);
            hop_result_free(run);
        }
}

/* registry.c: the one list of models (models/model.h).  A new model adds its table's
 * line here; everything that names, parses or enumerates models reads this list. */
#include <math.h>
#include <string.h>
#include "models/model.h"

extern const hop_model hop_model_vacancy, hop_model_random;    /* models/vacancy.c */
extern const hop_model hop_model_solute;                       /* models/solute.c */
extern const hop_model hop_model_gas;                          /* models/gas.c */
extern const hop_model hop_model_alloy;                        /* models/alloy.c */

static const hop_model *const registry[] = {
    &hop_model_vacancy,
    &hop_model_random,
    &hop_model_solute,
    &hop_model_gas,
    &hop_model_alloy,
};

#define N_MODELS ((int)(sizeof registry / sizeof *registry))

int hop_model_count(void)
{
    return N_MODELS;
}

const hop_model *hop_model_at(int i)
{
    return i >= 0 && i < N_MODELS ? registry[i] : NULL;
}

const hop_model *hop_model_get(int id)
{
    for (int i = 0; i < N_MODELS; ++i)
        if ((int)registry[i]->id == id)
            return registry[i];
    return NULL;
}

const hop_model *hop_model_find(const char *name)
{
    for (int i = 0; name && i < N_MODELS; ++i)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

const hop_estimator_ops *hop_model_estimator(const hop_params *p)
{
    const hop_model *m = hop_model_get(p->model);
    if (!m || (p->estimator != HOP_EST_CORR && p->estimator != HOP_EST_MSD))
        return NULL;
    return m->estimator[p->estimator];
}

uint64_t hop_model_companion_replicas(const hop_params *p, uint64_t replicas)
{
    const hop_model *m = hop_model_get(p->model);
    const hop_estimator_ops *e = hop_model_estimator(p);
    hop_params q = *p;
    uint64_t per;
    if (!m || !e || !e->bias_from_companion || !m->companion || p->replicas == 0
        || m->companion(p, &q) != HOP_COMPANION_RUN)
        return replicas;
    per = q.replicas / p->replicas;
    if (per <= 1)
        return replicas;
    return replicas > HOP_MAX_REPLICAS / per ? HOP_MAX_REPLICAS : replicas * per;
}

void hop_model_columns_none(const hop_result *r, hop_model_columns *c)
{
    const hop_estimate none = {NAN, NAN, NAN};
    (void)r;
    c->f2_manning = c->D2_over_Xv = c->c = c->J = c->pair_energy = NAN;
    c->D_star = c->D_sigma = c->theta = c->D_chem = none;
}

void hop_model_names(char *buf, size_t n)
{
    size_t used = 0;
    if (n == 0)
        return;
    buf[0] = '\0';
    for (int i = 0; i < N_MODELS && used < n; ++i) {
        const int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", registry[i]->name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* The public names (hop.h). */
const char *hop_model_name(int model)
{
    const hop_model *m = hop_model_get(model);
    return m ? m->name : "unknown";
}

int hop_model_parse(const char *name)
{
    const hop_model *m = hop_model_find(name);
    return m ? (int)m->id : -1;
}

/* exact_run.c: the exact estimator's checks and call (see exact_run.h).  Which models it
 * covers and the rates it solves with come from the model table (models/model.h:
 * exact_check, step_rates). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "models/model.h"
#include "run/exact_run.h"

#define BAD(...) do { snprintf(msg, msg_len, __VA_ARGS__); return HOP_ERR_INVAL; } while (0)

hop_status hop_exact_run_check(hop_params *p, char *msg, size_t msg_len)
{
    const hop_model *m = hop_model_get(p->model);
    if (!p->lattice)
        BAD("--estimator exact needs a lattice");
    if (!m || !m->exact_check) {
        char covered[128] = "";
        for (int k = 0; k < hop_model_count(); ++k)
            if (hop_model_at(k)->exact_check)
                snprintf(covered + strlen(covered), sizeof covered - strlen(covered), "%s%s",
                         covered[0] ? ", " : "", hop_model_at(k)->name);
        BAD("--estimator exact covers one vacancy with one tracer or solute (--model %s), "
            "not --model %s", covered, m ? m->name : "?");
    }
    if (p->radius != 0 && !(p->radius >= 2 && p->radius <= 1e4))
        BAD("--radius: %g is out of range for --estimator exact (2 .. 1e4 jump lengths)",
            p->radius);
    if (p->radius != 0) {
        double radius[HOP_EXACT_MAX_RADII], least;
        if (!hop_exact_radii(p->lattice, p->radius, HOP_EXACT_RUN_RADII, radius, &least))
            BAD("--radius: %g is too small for --estimator exact on %s (%d boxes of whole "
                "cells: at least %g jump lengths)", p->radius, p->lattice->name,
                HOP_EXACT_RUN_RADII, least);
    }
    return m->exact_check(p, msg, msg_len);
}

hop_status hop_exact_run(const hop_params *p, double max_bytes, hop_exact_cache *cache,
                         hop_exact_result *r)
{
    const hop_model *m = hop_model_get(p->model);
    hop_exact_problem pb;
    hop_rates rates;
    hop_status s;
    memset(&pb, 0, sizeof pb);
    pb.lattice = p->lattice;
    pb.max_bytes = max_bytes;
    pb.box = 1;
    pb.cache = cache ? cache : hop_exact_cache_alloc();
    if (!pb.cache)
        return hop_error(HOP_ERR_NOMEM, "exact solver: out of memory");
    if (m && m->step_rates) {          /* the model's rates; else the lattice's own */
        m->step_rates(p, &rates);
        pb.rates = &rates;
    }
    s = hop_exact_solve(&pb, p->radius > 0 ? p->radius : hop_exact_default_radius(p->lattice),
                        HOP_EXACT_RUN_RADII, r);
    if (!cache)
        hop_exact_cache_free(pb.cache);
    return s;
}

void hop_exact_derive(const hop_params *p, const hop_exact_result *r, hop_exact_derived *d)
{
    const hop_model *m = hop_model_get(p->model);
    hop_model_columns c;
    hop_result h;
    memset(&h, 0, sizeof h);
    h.params = *p;
    h.f.value = r->f.value;
    h.f.bias = r->f.error_bound;     /* sigma 0: the bound is the only error */
    h.n_groups = p->lattice->n_groups;
    for (int g = 0; g < h.n_groups; ++g) {
        h.f_group[g].value = r->f_group[g].value;
        h.f_group[g].bias = r->f_group[g].error_bound;
    }
    m->apply(&h);
    m->columns(&h, &c);
    d->f2_manning = c.f2_manning;
    d->D2_over_Xv = c.D2_over_Xv;
    d->solute = !isnan(c.D2_over_Xv);
    d->tracer = d->solute ? "f2" : "f";
    d->physical = p->physical;
    d->phys = h.phys;
    d->D0_bound = p->physical ? h.phys.D0 / r->f.value * r->f.error_bound : NAN;
}

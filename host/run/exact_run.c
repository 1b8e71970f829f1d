/* exact_run.c: the exact estimator's checks and call (see exact_run.h). */
#include <stdio.h>
#include <string.h>
#include "models/solute.h"
#include "run/exact_run.h"

#define BAD(...) do { snprintf(msg, msg_len, __VA_ARGS__); return HOP_ERR_INVAL; } while (0)

hop_status hop_exact_run_check(const hop_params *p, char *msg, size_t msg_len)
{
    if (!p->lattice)
        BAD("--estimator exact needs a lattice");
    if (p->model == HOP_MODEL_GAS)
        BAD("--estimator exact covers one vacancy with one tracer or solute (the vacancy and "
            "solute models), not the many-body gas: use --estimator msd");
    if (p->model == HOP_MODEL_RANDOM)
        BAD("--estimator exact: the random model has f = 1 by definition; nothing to solve");
    if (p->model != HOP_MODEL_VACANCY && p->model != HOP_MODEL_SOLUTE)
        BAD("--estimator exact covers the vacancy and solute models only");
    if (p->physical)
        BAD("--estimator exact gives f, f2 and the drag ratio in reduced form; physical units "
            "(--T, --Qf, ...) are not wired to it yet");
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
    if (p->model == HOP_MODEL_SOLUTE) {
        hop_params q = *p;
        q.estimator = HOP_EST_CORR;          /* the solute's own checks, as for corr */
        return hop_solute_resolve(&q, msg, msg_len);
    }
    return HOP_OK;
}

hop_status hop_exact_run(const hop_params *p, double max_bytes, hop_exact_result *r)
{
    hop_exact_problem pb;
    hop_rates rates;
    memset(&pb, 0, sizeof pb);
    pb.lattice = p->lattice;
    pb.max_bytes = max_bytes;
    pb.box = 1;
    if (p->model == HOP_MODEL_SOLUTE) {
        hop_solute_rates(p, &rates);
        pb.rates = &rates;
    }
    return hop_exact_solve(&pb, p->radius > 0 ? p->radius : hop_exact_default_radius(p->lattice),
                           HOP_EXACT_RUN_RADII, r);
}

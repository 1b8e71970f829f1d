/* vacancy.c: the single-vacancy model (one vacancy among atoms of one kind, equal jump
 * rates or a lattice file's per-jump rates) and the random model (uncorrelated jumps, f
 * = 1 exactly: the check of the estimators), as tables (models/model.h).  Both offer
 * the corr and msd estimators (models/estimators.c); they differ only in the step code
 * (cp->model, mp->model) and in that random jumps have no vacancy: no relaxation time
 * and no finite-size effect. */
#include <math.h>
#include <stdio.h>
#include "models/estimators.h"
#include "models/physics.h"
#include "models/sections.h"
#include "models/vacancy.h"

hop_status hop_vacancy_family_resolve(hop_params *p, char *msg, size_t msg_len)
{
    static hop_status (*const estimator_resolve[])(hop_params *, char *, size_t) = {
        hop_corr_resolve, hop_msd_resolve};     /* by hop_estimator */
    if (estimator_resolve[p->estimator](p, msg, msg_len) != HOP_OK)
        return HOP_ERR_INVAL;
    return hop_physics_resolve(p, msg, msg_len);
}

/* Vacancy and random: the solute's rates are refused. */
static hop_status vacancy_resolve(hop_params *p, char *msg, size_t msg_len)
{
    if (hop_vacancy_family_resolve(p, msg, msg_len) != HOP_OK)
        return HOP_ERR_INVAL;
    if (p->w[0] > 0 || p->w[1] > 0 || p->w[2] > 0 || p->w[3] > 0 || p->w[4] > 0
        || p->w3p > 0 || p->w3pp > 0 || p->E[1] > 0 || p->E[2] > 0 || p->E[3] > 0
        || p->E[4] > 0) {
        snprintf(msg, msg_len, "the rates --w0 .. --w4 (or their barriers --E1 .. --E4) apply "
                 "to --model solute only");
        return HOP_ERR_INVAL;
    }
    return HOP_OK;
}

/* Per-jump rates of a lattice file: omega is the largest rate (weight 2^32), the
 * clock counts 2^-32 / omega, so a time t (in 1/omega) is t 2^32 units (the vacancy's
 * clock, and the random walker's, step.h). */
static void vacancy_msd_clock(const hop_params *p, hop_msd_params *mp)
{
    const hop_lattice *L = p->lattice;
    if (!L->rate_total[0])
        return;
    mp->time_unit = 1.0 / 4294967296.0;
    for (int i = 0; i < p->n_times; ++i)
        mp->time_steps[i] = (int64_t)llround((double)mp->time_steps[i] / L->z / mp->time_unit);
}

/* Per-jump rates: the tracer's mean jump rate next to a vacancy, divided by z omega
 * (omega the largest rate): the population-weighted mean over sublattices of
 * rate_total / (z 2^32). */
static double typed_rate(const hop_lattice *L)
{
    double sum = 0, norm = 0;
    if (!L->occupation[0]) {
        for (int b = 0; b < L->n_basis; ++b)
            sum += (double)L->rate_total[L->basis_sub[b]] / 4294967296.0 / L->z;
        return sum / L->n_basis;
    }
    for (int b = 0; b < L->n_basis; ++b) {      /* site energies: the vacancy's occupation */
        const double w = (double)L->occupation[L->basis_sub[b]];
        sum += w * (double)L->rate_total[L->basis_sub[b]] / 4294967296.0 / L->z;
        norm += w;
    }
    return sum / norm;
}

/* One vacancy among N - 1 atoms: each atom exchanges with it at z omega / (N - 1) (times
 * the lattice file's mean rate where it has per-jump rates). */
static void vacancy_msd_rates(const hop_params *p, const hop_msd_params *mp, hop_msd_model *mm)
{
    const hop_lattice *L = p->lattice;
    const double per_vacancy = 1.0 / (double)(hop_msd_box_sites(L, mp) - 1);
    mm->per_vacancy = per_vacancy;
    mm->tracer_rate = L->rate_total[0] ? typed_rate(L) * per_vacancy : per_vacancy;
    mm->collective = 1;
}

/* Random jumps: the tracer jumps at z omega itself (with unequal rates at its own rates,
 * the mean of rate_total / (z 2^32) over its sublattices in equilibrium, as the vacancy
 * next to a tracer: typed_rate); no vacancy, no collective motion. */
static void random_msd_rates(const hop_params *p, const hop_msd_params *mp, hop_msd_model *mm)
{
    (void)mp;
    mm->per_vacancy = 1.0;
    mm->tracer_rate = p->lattice->rate_total[0] ? typed_rate(p->lattice) : 1.0;
    mm->collective = 0;
}

/* Random jumps: nothing to bound. */
static hop_companion random_companion(const hop_params *p, hop_params *q)
{
    (void)p;
    (void)q;
    return HOP_COMPANION_NOT_NEEDED;
}

/* Every lattice, with its own per-jump rates; checked as a corr run (at the corr
 * estimator's default radius: --radius is the exact solver's own), physical units
 * resolved in p as that run resolves them. */
static hop_status vacancy_exact_check(hop_params *p, char *msg, size_t msg_len)
{
    hop_params q = *p;
    q.estimator = HOP_EST_CORR;
    q.radius = 0;
    if (vacancy_resolve(&q, msg, msg_len) != HOP_OK)
        return HOP_ERR_INVAL;
    return hop_physics_resolve(p, msg, msg_len);
}

const hop_model hop_model_vacancy = {
    HOP_MODEL_VACANCY, "vacancy",
    "the tracer correlation factor f of the single-vacancy mechanism with\n"
    "             equal jump rates, and D* (default)", 1,
    {&hop_corr_estimator, &hop_msd_estimator},
    vacancy_resolve, hop_msd_companion, NULL, vacancy_msd_clock, vacancy_msd_rates,
    hop_physics_apply,
    "no vacancy carries charge in this model", hop_vacancy_report,
    {"tracer jumps", "vacancy steps", "steps/s"},
    hop_vacancy_json_parameters, hop_vacancy_json_results, hop_model_columns_none,
    vacancy_exact_check, NULL
};

const hop_model hop_model_random = {
    HOP_MODEL_RANDOM, "random",
    "uncorrelated jumps (f = 1 exactly): a check of the estimators", 0,
    {&hop_corr_estimator, &hop_msd_estimator},
    vacancy_resolve, random_companion, NULL, vacancy_msd_clock, random_msd_rates,
    hop_physics_apply,
    "no vacancy carries charge in this model", hop_vacancy_report,
    {"tracer jumps", "vacancy steps", "steps/s"},
    hop_vacancy_json_parameters, hop_vacancy_json_results, hop_model_columns_none,
    NULL,       /* f = 1 by definition: nothing for the exact solver */
    NULL
};

/* msd.c: the msd estimator's accumulators and their reduction (see stats/msd.h).
 *
 * D from MSD(t) = a + 2 d D t, fitted by generalized least squares on the window
 * t >= fit_from * t_max with the covariance of the mean MSD points estimated from the
 * replicas.  With one vacancy among N - 1 atoms and equal rates, each atom exchanges
 * with the vacancy at mean rate z omega / (N - 1), so the uncorrelated reference is
 * D_uncorrelated = z alpha^2 omega / (2 d (N - 1)) and f = D* / D_uncorrelated.  All
 * atoms together are displaced by minus the vacancy's displacement, so the collective
 * MSD is |d_v|^2 / (N - 1) and D_sigma = D_vacancy / (N - 1); the Haven ratio is
 * H = D* / D_sigma (= f for one vacancy) and its inverse D_sigma / D*. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lattice/moment.h"
#include "stats/gls.h"
#include "stats/msd.h"

hop_msd_accum *hop_msd_accum_alloc(int n_times, int n_groups)
{
    hop_msd_accum *a = calloc(1, sizeof *a);
    const size_t S = (size_t)(HOP_SERIES_GROUP0 + n_groups), K = (size_t)n_times;
    if (!a)
        return NULL;
    a->n_times = n_times;
    a->n_series = (int)S;
    a->entry = calloc((size_t)hop_msd_entries((int)S, n_times), sizeof *a->entry);
    if (!a->entry) {
        free(a);
        return NULL;
    }
    a->sum = a->entry;
    a->square = a->sum + S * K;
    a->cross = a->square + S * K * K;
    return a;
}

void hop_msd_accum_free(hop_msd_accum *a)
{
    if (!a)
        return;
    free(a->entry);
    free(a);
}

/* The totals kept as plain counters, from the jumps and steps entries. */
static void sync_counters(hop_msd_accum *a)
{
    const int n = hop_msd_entries(a->n_series, a->n_times);
    a->tracer_jumps = (uint64_t)a->entry[n - 2];
    a->vacancy_steps = (uint64_t)a->entry[n - 1];
}

void hop_msd_accum_add(hop_msd_accum *a, const int64_t *row)
{
    const int K = a->n_times, S = a->n_series, n = hop_msd_entries(S, K);
    for (int q = 0; q < S; ++q) {
        const int64_t *x = row + q * K;
        hop_i128 *sq = a->square + (size_t)q * K * K;
        for (int i = 0; i < K; ++i) {
            const hop_i128 xi = x[i];
            a->sum[q * K + i] += xi;
            for (int j = i; j < K; ++j)
                sq[i * K + j] += xi * x[j];
        }
    }
    for (int i = 0; i < K; ++i)
        for (int j = 0; j < K; ++j)
            a->cross[i * K + j] += (hop_i128)row[HOP_SERIES_TRACER * K + i]
                                   * row[HOP_SERIES_VACANCY * K + j];
    a->entry[n - 2] += row[S * K];
    a->entry[n - 1] += row[S * K + 1];
    a->replicas++;
    sync_counters(a);
}

void hop_msd_accum_add_wide(hop_msd_accum *a, const uint64_t *words, uint64_t replicas)
{
    const int n = hop_msd_entries(a->n_series, a->n_times);
    for (int e = 0; e < n; ++e)
        a->entry[e] += (hop_i128)(((hop_u128)words[2 * e + 1] << 64) | words[2 * e]);
    a->replicas += replicas;
    sync_counters(a);
}

void hop_msd_accum_merge(hop_msd_accum *into, const hop_msd_accum *from)
{
    const int n = hop_msd_entries(into->n_series, into->n_times);
    for (int e = 0; e < n; ++e)
        into->entry[e] += from->entry[e];
    into->replicas += from->replicas;
    sync_counters(into);
}

/* Mean of series q at time i and covariance of the means of (q, i) and (q2, j), from
 * the exact integer sums; `prod` is the matching product sum. */
static double mean_of(const hop_msd_accum *a, int q, int i)
{
    return (double)((long double)a->sum[q * a->n_times + i] / a->replicas);
}

static double cov_of_means(const hop_msd_accum *a, int q, int i, int q2, int j, hop_i128 prod)
{
    const long double R = (long double)a->replicas;
    long double si = (long double)a->sum[q * a->n_times + i];
    long double sj = (long double)a->sum[q2 * a->n_times + j];
    return (double)(((long double)prod - si * sj / R) / (R * (R - 1)));
}

static hop_i128 square_at(const hop_msd_accum *a, int q, int i, int j)
{
    const int K = a->n_times;
    if (i > j) { int t = i; i = j; j = t; }
    return a->square[(size_t)q * K * K + (size_t)i * K + j];
}

/* GLS slope of series q over window [first, end) with its weights. */
static hop_status fit_window(const hop_msd_accum *a, const double *t, int q, int first, int end,
                             hop_line_fit *fit, double *w)
{
    const int n = end - first;
    double y[HOP_MAX_TIMES], cov[HOP_MAX_TIMES * HOP_MAX_TIMES];
    hop_status s;
    for (int i = 0; i < n; ++i) {
        y[i] = mean_of(a, q, first + i);
        for (int j = 0; j < n; ++j)
            cov[i * n + j] = cov_of_means(a, q, first + i, q, first + j,
                                          square_at(a, q, first + i, first + j));
    }
    if ((s = hop_gls_line(t + first, y, cov, n, 1, fit)) != HOP_OK)
        return s;
    return w ? hop_gls_slope_weights(t + first, cov, n, 1, w) : HOP_OK;
}

/* GLS slope of series q over window [first, K) with its weights. */
static hop_status fit_series(const hop_msd_accum *a, const double *t, int q, int first,
                             hop_line_fit *fit, double *w)
{
    return fit_window(a, t, q, first, a->n_times, fit, w);
}

hop_status hop_msd_accum_fit_window(const hop_msd_accum *a, const double *t, int q, int first,
                                    int end, hop_line_fit *fit, double *w)
{
    if (first < 0 || end > a->n_times || end - first < 3)
        return HOP_ERR_INVAL;
    return fit_window(a, t, q, first, end, fit, w);
}

double hop_msd_accum_mean(const hop_msd_accum *a, int q, int i)
{
    return mean_of(a, q, i);
}

double hop_msd_accum_cov(const hop_msd_accum *a, int q, int i, int q2, int j)
{
    const int K = a->n_times;
    if (q == q2)
        return cov_of_means(a, q, i, q, j, square_at(a, q, i, j));
    if (q == HOP_SERIES_TRACER && q2 == HOP_SERIES_VACANCY)
        return cov_of_means(a, q, i, q2, j, a->cross[i * K + j]);
    if (q == HOP_SERIES_VACANCY && q2 == HOP_SERIES_TRACER)
        return cov_of_means(a, q, i, q2, j, a->cross[j * K + i]);
    return NAN;
}

hop_status hop_msd_accum_fit(const hop_msd_accum *a, const double *t, int q, int first,
                             hop_line_fit *fit, double *w)
{
    return fit_series(a, t, q, first, fit, w);
}

/* The squared jump length (x^T M x), averaged over the tracer's jumps in equilibrium
 * (hop_lattice_type_weight) where they have several lengths. */
static double mean_jump_len2(const hop_lattice *L, double share[][HOP_MAX_Z])
{
    if (hop_lattice_one_length(L))
        return (double)L->jump_len2;
    return hop_lattice_moment(L, -1, share, 1);
}

/* share[s][k]: the share of tracer jumps of type s z + k (hop_lattice_type_weight). */
static void jump_shares(const hop_lattice *L, double share[][HOP_MAX_Z])
{
    for (int i = 0; i < L->n_sub * L->z; ++i)
        share[i / L->z][i % L->z] = hop_lattice_type_weight(L, i);
}

hop_status hop_msd_estimate(const hop_lattice *L, const hop_msd_params *mp,
                            const hop_msd_model *mm, double fit_from, const hop_msd_accum *a,
                            hop_result *r)
{
    const int K = a->n_times, d = L->dim;
    double share[HOP_MAX_SUB][HOP_MAX_Z];
    const double den = L->metric_den;
    const uint64_t N = (uint64_t)mp->cells[0] * mp->cells[1] * mp->cells[2] * L->n_basis;
    const double per_vacancy = mm->per_vacancy, tracer_rate = mm->tracer_rate;
    double t[HOP_MAX_TIMES], w_tracer[HOP_MAX_TIMES], w_vacancy[HOP_MAX_TIMES];
    double e2[HOP_MAX_GROUPS] = {0, 0, 0};
    int axes[HOP_MAX_GROUPS] = {0, 0, 0};
    int first = 0;
    hop_line_fit fit;
    hop_status s;

    double alpha2;
    if (a->replicas < 2)
        return hop_error(HOP_ERR_INVAL, "the msd estimator needs at least 2 replicas");
    jump_shares(L, share);
    alpha2 = mean_jump_len2(L, share) / den;
    for (int i = 0; i < K; ++i)
        t[i] = (double)mp->time_steps[i] * mp->time_unit;
    while (first < K - 3 && t[first] < fit_from * t[K - 1])
        ++first;

    r->n_points = K;
    r->msd = calloc((size_t)K, sizeof *r->msd);
    if (!r->msd)
        return HOP_ERR_NOMEM;
    for (int i = 0; i < K; ++i) {
        hop_msd_point *p = &r->msd[i];
        p->t = t[i];
        p->tracer = mean_of(a, HOP_SERIES_TRACER, i) / den;
        p->tracer_se = sqrt(cov_of_means(a, 0, i, 0, i, square_at(a, 0, i, i))) / den;
        p->vacancy = mean_of(a, HOP_SERIES_VACANCY, i) / den;
        p->vacancy_se = sqrt(cov_of_means(a, 1, i, 1, i, square_at(a, 1, i, i))) / den;
        p->collective = p->vacancy * per_vacancy;
        p->collective_se = p->vacancy_se * per_vacancy;
    }

    /* Mean squared jump component per principal component (all jump types equally
     * frequent), for the component-wise uncorrelated reference. */
    for (int ax = 0; ax < d; ++ax)
        axes[L->group_of_axis[ax]]++;
    for (int g = 0; g < L->n_groups; ++g)
        e2[g] = hop_lattice_moment(L, g, share, den);

    if ((s = fit_series(a, t, HOP_SERIES_TRACER, first, &fit, w_tracer)) != HOP_OK)
        return hop_error(s, "GLS fit of the tracer MSD failed (too few replicas?)");
    r->D_uncorrelated = L->z * alpha2 * tracer_rate / (2.0 * d);
    r->D_star.value = fit.slope / den / (2.0 * d);
    r->D_star.sigma = fit.slope_stderr / den / (2.0 * d);
    r->fit_chi2 = fit.chi2;
    r->fit_dof = fit.dof;
    r->f.value = r->D_star.value / r->D_uncorrelated;
    r->f.sigma = r->D_star.sigma / r->D_uncorrelated;

    r->n_groups = L->n_groups;
    r->isotropy_dev = 0;
    for (int g = 0; g < L->n_groups; ++g) {
        hop_line_fit gf;
        double ref = L->z * e2[g] * tracer_rate / (2.0 * axes[g]);
        if (a->sum[(HOP_SERIES_GROUP0 + g) * K + K - 1] == 0) {
            /* no tracer motion along this component at all (e.g. bonds a million times
             * slower): nothing to fit */
            r->f_group[g].value = r->f_group[g].sigma = r->f_group[g].bias = NAN;
            continue;
        }
        if ((s = fit_series(a, t, HOP_SERIES_GROUP0 + g, first, &gf, NULL)) != HOP_OK)
            return hop_error(s, "GLS fit of a component of the tracer MSD failed");
        r->f_group[g].value = gf.slope / den / (2.0 * axes[g]) / ref;
        r->f_group[g].sigma = gf.slope_stderr / den / (2.0 * axes[g]) / ref;
        r->f_group[g].bias = 0;
        if (r->f_group[g].sigma > 0) {
            double dev = fabs(r->f_group[g].value - r->f.value) / r->f_group[g].sigma;
            if (dev > r->isotropy_dev)
                r->isotropy_dev = dev;
        }
    }

    if (!mm->collective) {
        /* No vacancy (random), or a lone solute whose ratio to the collective motion
         * of all atoms is no Haven ratio. */
        r->D_sigma.value = r->D_sigma.sigma = NAN;
        r->haven.value = r->haven.sigma = NAN;
        r->haven_inverse.value = r->haven_inverse.sigma = NAN;
    } else {
        const int n = K - first;
        double bt = fit.slope, vt = fit.slope_stderr * fit.slope_stderr, bv, vv, cv = 0, rel2;
        if ((s = fit_series(a, t, HOP_SERIES_VACANCY, first, &fit, w_vacancy)) != HOP_OK)
            return hop_error(s, "GLS fit of the vacancy MSD failed");
        bv = fit.slope;
        vv = fit.slope_stderr * fit.slope_stderr;
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
                cv += w_tracer[i] * w_vacancy[j]
                      * cov_of_means(a, HOP_SERIES_TRACER, first + i, HOP_SERIES_VACANCY,
                                     first + j, a->cross[(first + i) * K + first + j]);
        r->D_sigma.value = bv / den / (2.0 * d) * per_vacancy;
        r->D_sigma.sigma = sqrt(vv) / den / (2.0 * d) * per_vacancy;
        /* Delta method for a ratio of two correlated slopes. */
        rel2 = vt / (bt * bt) + vv / (bv * bv) - 2.0 * cv / (bt * bv);
        rel2 = rel2 > 0 ? rel2 : 0;
        r->haven.value = r->D_star.value / r->D_sigma.value;
        r->haven.sigma = fabs(r->haven.value) * sqrt(rel2);
        r->haven_inverse.value = 1.0 / r->haven.value;
        r->haven_inverse.sigma = fabs(r->haven_inverse.value) * sqrt(rel2);
    }
    r->box_sites = N;
    r->replicas = a->replicas;
    r->tracer_jumps = a->tracer_jumps;
    r->vacancy_steps = a->vacancy_steps;
    return HOP_OK;
}

/* msd.h: integer accumulators of the msd estimator and their reduction to
 * MSD(t) curves, D*, D_sigma, the Haven ratio and f.
 *
 * Per replica and time point the displacements are exact integers (lattice.h), so the
 * sums of squared displacements and of their products between time points are exact
 * 128-bit integers: any order of accumulation (threads, GPU blocks, MPI ranks) gives the
 * same bits.  Series: 0 the tracer's |d|^2, 1 the vacancy's |d_v|^2, 2 + g the tracer's
 * squared displacement projected on principal component g (all times metric_den). */
#ifndef HOP_MSD_STATS_H
#define HOP_MSD_STATS_H

#include "hop/hop.h"
#include "hop/msd_reduce.h"
#include "stats/gls.h"

typedef struct {
    int n_times, n_series;
    uint64_t replicas, vacancy_steps, tracer_jumps;
    hop_i128 *entry;      /* all hop_msd_entries(n_series, n_times) entries (msd_reduce.h) */
    hop_i128 *sum;        /* [n_series][n_times], within entry[] */
    hop_i128 *square;     /* [n_series][n_times][n_times]: sum of x_i x_j, i <= j filled */
    hop_i128 *cross;      /* [n_times][n_times]: sum of tracer_i vacancy_j */
} hop_msd_accum;

/* Zeroed accumulators for n_times points and n_groups components; NULL on failure. */
hop_msd_accum *hop_msd_accum_alloc(int n_times, int n_groups);
void hop_msd_accum_free(hop_msd_accum *a);          /* NULL is a no-op */
/* Add one replica's row (step.h). */
void hop_msd_accum_add(hop_msd_accum *a, const int64_t *row);
/* Add `replicas` replicas summed on a device: every entry as two uint64 words
 * (low, high), in entry order. */
void hop_msd_accum_add_wide(hop_msd_accum *a, const uint64_t *words, uint64_t replicas);
void hop_msd_accum_merge(hop_msd_accum *into, const hop_msd_accum *from);

/* The accumulators' statistics, for estimators with their own series (host/models/gas.c).
 * Mean of series q at time point i over the replicas; covariance of the means of
 * (q, i) and (q2, j) where the accumulator keeps the products (q == q2, or the pair of
 * series 0 and 1), else NaN; GLS line fit of series q over time points [first, K) at
 * times t (any unit), with the slope's weights in w (n = K - first doubles) unless w is
 * NULL.  Errors as hop_gls_line, not reported. */
double hop_msd_accum_mean(const hop_msd_accum *a, int q, int i);
double hop_msd_accum_cov(const hop_msd_accum *a, int q, int i, int q2, int j);
hop_status hop_msd_accum_fit(const hop_msd_accum *a, const double *t, int q, int first,
                             hop_line_fit *fit, double *w);
/* The same over the time points [first, end) (end - first >= 3, end <= K), for a fit
 * window that ends before the run does (the alloy's run-length check); HOP_ERR_INVAL for
 * a window out of range. */
hop_status hop_msd_accum_fit_window(const hop_msd_accum *a, const double *t, int q, int first,
                                    int end, hop_line_fit *fit, double *w);

/* What the reduction needs of the model (its table's msd_rates fills it,
 * models/model.h): per_vacancy scales the vacancy's MSD to the collective one (1/(N - 1):
 * one vacancy among N - 1 atoms; 1 without a vacancy); tracer_rate is the tracer's jump
 * rate over z omega (D_uncorrelated, the reference of f); collective is 1 when D_sigma
 * and the Haven ratio are defined. */
typedef struct {
    double per_vacancy, tracer_rate;
    int collective;
} hop_msd_model;

/* Reduce the accumulators: fills r->msd (allocated here), f, f_group, isotropy_dev,
 * D_uncorrelated, D_star, D_sigma, haven, haven_inverse, fit_chi2/dof, box_sites and the
 * counts.  Biases are left 0; the caller adds the finite-size bound. */
hop_status hop_msd_estimate(const hop_lattice *L, const hop_msd_params *mp,
                            const hop_msd_model *mm, double fit_from, const hop_msd_accum *a,
                            hop_result *r);

#endif

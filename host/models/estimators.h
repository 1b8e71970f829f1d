/* estimators.h: the two estimators the vacancy-family models (vacancy, random, solute)
 * share, as hop_estimator_ops tables (models/model.h): corr, jump correlations on the
 * infinite lattice, and msd, the Einstein relation in a periodic box with a smaller
 * companion box that bounds the finite-size bias.  Also the step parameters both build
 * (used by `hop bench` and the tests to run exactly what a run runs) and the
 * finite-size bound the msd estimator and the gas share. */
#ifndef HOP_MODELS_ESTIMATORS_H
#define HOP_MODELS_ESTIMATORS_H

#include "models/model.h"

extern const hop_estimator_ops hop_corr_estimator, hop_msd_estimator;

/* The estimators' defaults and checks for resolved common fields (hop_params_resolve):
 * replicas, then corr's radius and shells or msd's times, size, time and fit window.
 * Usage errors into msg (HOP_ERR_INVAL). */
hop_status hop_corr_resolve(hop_params *p, char *msg, size_t msg_len);
hop_status hop_msd_resolve(hop_params *p, char *msg, size_t msg_len);

/* Truncation radii (jump lengths, increasing) and the corr step parameters. */
void hop_run_corr_params(const hop_params *p, double *radius, hop_corr_params *cp);
/* Box and log-spaced time grid of the msd estimator for a box of `size` cells. */
void hop_run_msd_params(const hop_params *p, int size, hop_msd_params *mp);

/* The companion box that bounds a box's finite-size bias (estimators.c says why): of
 * `size` cells per edge, the companion has hop_companion_size cells, half the edge in 1D
 * and 3D (N/N_c = 8 in 3D), and in 2D the largest edge with N/N_c >= 8 (size/2.83,
 * rounded down; half the edge where that would be below the lattice's smallest box).
 * It runs as many relaxation times of its box as the run's (the same jumps per atom)
 * and so costs cost_ratio times less per replica: hop_companion_replicas gives it
 * `times` times (rounded, at least 1) the run's replicas, within HOP_MAX_REPLICAS
 * (the alloy: the cost ratio; msd: at most 4). */
int hop_companion_size(const hop_lattice *L, int size);
uint64_t hop_companion_replicas(uint64_t replicas, double times);
/* The msd estimator's companion of resolved p (the model's companion entry, model.h):
 * q's size, time (scaled by the boxes' relaxation times, at least hop_msd_resolve's
 * least) and replicas (the cost ratio times p's, at most 4 times: estimators.c says
 * why); skipped without --size-check or where the box is below the lattice's
 * smallest. */
hop_companion hop_msd_companion(const hop_params *p, hop_params *q);

/* Finite-size bound on an estimate f (sf) from a companion estimate fc (sfc): ratio
 * (|fc - f| + 2 sqrt(sf^2 + sfc^2)); hop_size_bias takes the ratio nc / (n - nc) of
 * boxes of n and nc < n sites (estimators.c says why). */
double hop_size_bias_ratio(double f, double sf, double fc, double sfc, double ratio);
double hop_size_bias(double f, double sf, double fc, double sfc, uint64_t n, uint64_t nc);

#endif

/* estimators.c: the corr and msd estimators of the vacancy-family models (see
 * estimators.h and the contract in model.h): their defaults and checks, step
 * parameters, the integer statistics they need, one part of replicas on a backend,
 * the reduction to estimates and msd's finite-size bound. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/cpu.h"
#include "backend/cuda.h"
#include "models/estimators.h"
#include "models/sections.h"
#include "models/verdict.h"

#define DEFAULT_CORR_REPLICAS (UINT64_C(1) << 20)
#define DEFAULT_MSD_REPLICAS (UINT64_C(1) << 15)
#define DEFAULT_CORR_REPLICAS_GPU (UINT64_C(1) << 22)
#define DEFAULT_MSD_REPLICAS_GPU (UINT64_C(1) << 18)
#define MSD_TARGET_SITES 512        /* default box: about this many sites ... */
#define MSD_TARGET_SITES_1D 64      /* ... and in one dimension */
#define MSD_DEFAULT_SWEEPS 32.0     /* default run: this many relaxation times of the box */
#define MSD_MAX_STEPS 400000000.0   /* keeps per-replica displacements inside int32 */
#define MSD_MIN_RELAXATIONS 8.0     /* shortest msd run, in relaxation times of the box */
#define MSD_MIN_REPLICAS_PER_TIME HOP_MIN_REPLICAS_PER_TIME   /* model.h */
#define CORR_MIN_STARTS 100         /* corr replicas per jump type, at least */
#define MAX_REPLICAS HOP_MAX_REPLICAS   /* model.h */
#define MSD_DECADES 3.0             /* the time grid spans t_max/1000 .. t_max */
#define MSD_COMPANION_REPLICAS 4.0  /* the companion's replicas per box replica, at most */

#define BAD(...) do { snprintf(msg, msg_len, __VA_ARGS__); return HOP_ERR_INVAL; } while (0)

/* Default outer radius: the truncation bias falls as R^-d (R^-1 in one dimension) and is
 * bounded assuming R^-max(1, d-1) (stats/corr.c); these keep the bound below the
 * default statistical error. */
static double default_radius(int dim)
{
    return dim == 1 ? 4096.0 : dim == 2 ? 128.0 : 32.0;
}

static int default_size(const hop_lattice *L)
{
    const double sites = L->dim == 1 ? MSD_TARGET_SITES_1D : MSD_TARGET_SITES;
    double cells = pow(sites / L->n_basis, 1.0 / L->dim);
    int size = (int)floor(cells + 0.5);
    return size < 2 * L->min_size ? 2 * L->min_size : size;
}

/* Vacancy steps for the vacancy to explore a box of n sites (its relaxation time):
 * about n for d >= 2 (box edge^2 <= n), n^2 in one dimension, where the tracer moves only
 * when the vacancy winds around the ring. */
static double box_relaxation_steps(const hop_lattice *L, double n)
{
    return L->dim == 1 ? n * n : n;
}

/* Replicas: the estimator's default for the backend where 0, then the common bound. */
static hop_status resolve_replicas(hop_params *p, uint64_t cpu, uint64_t gpu, char *msg,
                                   size_t msg_len)
{
    if (p->replicas == 0)
        p->replicas = p->backend == HOP_BACKEND_CUDA ? gpu : cpu;
    if (p->replicas > MAX_REPLICAS)
        BAD("--replicas: %llu is out of range (2 .. %llu)", (unsigned long long)p->replicas,
            (unsigned long long)MAX_REPLICAS);
    return HOP_OK;
}

hop_status hop_corr_resolve(hop_params *p, char *msg, size_t msg_len)
{
    const hop_lattice *L = p->lattice;
    const uint64_t least = CORR_MIN_STARTS * (uint64_t)(L->n_sub * L->z);
    const double max_radius = L->dim == 1 ? 1e6 : 4096;
    int least_radius;
    /* A polar site (lattice.h): a vacancy's later visits move the tracer on average, which
     * the jump chain leaves out (stats/corr.c); the random walk's chain has no such visits. */
    if (L->polar_site && p->model != HOP_MODEL_RANDOM)
        BAD("lattice %s: the site symmetry of sublattice %s leaves a vector invariant (a polar "
            "site), so later vacancy visits move the tracer on average, which corr and the "
            "exact solver leave out: use --estimator msd", L->name,
            L->sub_name[L->polar_site - 1]);
    if (resolve_replicas(p, DEFAULT_CORR_REPLICAS, DEFAULT_CORR_REPLICAS_GPU, msg, msg_len)
        != HOP_OK)
        return HOP_ERR_INVAL;
    if (p->replicas < least)
        BAD("--replicas: %llu is too few for corr on %s (at least %llu: %d per jump type)",
            (unsigned long long)p->replicas, L->name, (unsigned long long)least,
            CORR_MIN_STARTS);
    if (p->shells < 2 || p->shells > HOP_MAX_SHELLS)
        BAD("--shells: %d is out of range (2 .. %d)", p->shells, HOP_MAX_SHELLS);
    least_radius = p->shells >= 3 ? 1 << (p->shells - 1) : 4;
    if (p->radius == 0)
        p->radius = default_radius(L->dim);
    /* Innermost radius >= 1 jump length, and the two outermost (which give the bias
     * bound) >= 2 and 4: below that the R^-p tail is not yet asymptotic. */
    if (!(p->radius >= least_radius && p->radius <= max_radius))
        BAD("--radius: %g is out of range (%d .. %g jump lengths for --shells %d in %dD)",
            p->radius, least_radius, max_radius, p->shells, L->dim);
    return HOP_OK;
}

hop_status hop_msd_resolve(hop_params *p, char *msg, size_t msg_len)
{
    const hop_lattice *L = p->lattice;
    const hop_model *m = hop_model_get(p->model);
    const uint64_t least = MSD_MIN_REPLICAS_PER_TIME * (uint64_t)p->n_times;
    const double max_sites = L->dim == 1 ? sqrt(MSD_MAX_STEPS / MSD_MIN_RELAXATIONS)
                                         : MSD_MAX_STEPS / MSD_MIN_RELAXATIONS;
    double n, relax, least_steps, steps;
    if (resolve_replicas(p, DEFAULT_MSD_REPLICAS, DEFAULT_MSD_REPLICAS_GPU, msg, msg_len)
        != HOP_OK)
        return HOP_ERR_INVAL;
    if (p->n_times < 8 || p->n_times > HOP_MAX_TIMES)
        BAD("--times: %d is out of range (8 .. %d)", p->n_times, HOP_MAX_TIMES);
    /* The GLS weights come from the covariance of the same replicas; that makes the
     * slope biased by O(points / replicas), kept far below sigma by this minimum. */
    if (p->replicas < least)
        BAD("--replicas: %llu is too few for msd with %d times (at least %llu)",
            (unsigned long long)p->replicas, p->n_times, (unsigned long long)least);
    if (p->size == 0)
        p->size = default_size(L);
    n = (double)hop_lattice_box_sites(L, 1) * pow(p->size, L->dim);
    if (p->size < L->min_size || n > max_sites)
        BAD("--size: %d is out of range for %s (%d .. %d cells)", p->size, L->name,
            L->min_size, (int)floor(pow(max_sites / L->n_basis, 1.0 / L->dim)));
    if (!(p->fit_from > 0 && p->fit_from < 1))
        BAD("--fit-from: %g is out of range (0 < x < 1)", p->fit_from);
    relax = m->correlated ? box_relaxation_steps(L, n) : 0;
    least_steps = fmax(10.0 * p->n_times, MSD_MIN_RELAXATIONS * relax);
    if (p->time == 0) {
        steps = fmin(fmax(MSD_DEFAULT_SWEEPS * relax, least_steps), MSD_MAX_STEPS);
        p->time = steps / L->z;
    }
    steps = p->time * L->z;
    if (!(steps >= least_steps && steps <= MSD_MAX_STEPS))
        BAD("--time: %g is out of range for %s with --size %d (%g .. %g in 1/omega)",
            p->time, L->name, p->size, least_steps / L->z, MSD_MAX_STEPS / L->z);
    if (!m->correlated)
        p->size_check = 0;      /* no vacancy, no finite-size effect */
    return HOP_OK;
}

void hop_run_corr_params(const hop_params *p, double *radius, hop_corr_params *cp)
{
    const hop_lattice *L = p->lattice;
    const hop_model *m = hop_model_get(p->model);
    memset(cp, 0, sizeof *cp);
    cp->model = p->model;
    cp->n_shells = p->shells;
    for (int k = 0; k < p->shells; ++k) {
        radius[k] = p->radius / (double)(1 << (p->shells - 1 - k));
        /* The vacancy is beyond radius R once x^T M x >= R^2 alpha^2 metric_den. */
        cp->shell_r2[k] = (int64_t)ceil(radius[k] * radius[k] * (double)L->unit_len2);
    }
    if (m && m->step_rates)
        m->step_rates(p, &cp->rates);
}

void hop_run_msd_params(const hop_params *p, int size, hop_msd_params *mp)
{
    const hop_lattice *L = p->lattice;
    const hop_model *m = hop_model_get(p->model);
    const double n_max = floor(p->time * L->z + 0.5);
    memset(mp, 0, sizeof *mp);
    mp->model = p->model;
    for (int a = 0; a < HOP_MAX_DIM; ++a) {
        mp->cells[a] = a < L->dim ? size : 1;
        mp->period[a] = a < L->dim ? size * L->cell[a] : 0;
    }
    /* Log-spaced steps from n_max/10^3 to n_max, strictly increasing from at least 1:
     * where rounding makes neighbours equal (short runs), each is pushed one step past
     * the previous.  n_max >= 10 n_times (hop_msd_resolve) keeps the last at n_max. */
    mp->n_times = p->n_times;
    for (int i = 0; i < p->n_times; ++i) {
        double x = (double)(p->n_times - 1 - i) / (p->n_times - 1);
        int64_t n = (int64_t)floor(n_max * pow(10.0, -MSD_DECADES * x) + 0.5);
        int64_t floor_n = i == 0 ? 1 : mp->time_steps[i - 1] + 1;
        mp->time_steps[i] = n > floor_n ? n : floor_n;
    }
    mp->time_unit = 1.0 / L->z;          /* equal rates: one exchange per 1/(z omega) */
    if (m && m->msd_clock)
        m->msd_clock(p, mp);
}

/* ------------------------------------------------------------------- corr --- */

typedef struct {
    double radius[HOP_MAX_SHELLS];
    hop_corr_params cp;
} corr_work;

static void corr_shape(const hop_params *p, hop_state_shape *s)
{
    memset(s, 0, sizeof *s);
    s->corr_types = p->lattice->n_sub * p->lattice->z;
    s->corr_shells = p->shells;
}

static hop_status corr_work_alloc(const hop_params *p, void **work)
{
    corr_work *w = malloc(sizeof *w);
    *work = w;
    if (!w)
        return hop_error(HOP_ERR_NOMEM, "out of memory");
    hop_run_corr_params(p, w->radius, &w->cp);
    return HOP_OK;
}

static hop_status corr_run_part(const hop_params *p, const void *work, uint64_t first,
                                uint64_t n, hop_model_stats *st, int *batches, int *threads)
{
    const corr_work *w = work;
    return p->backend == HOP_BACKEND_CUDA
               ? hop_cuda_run_corr(p->lattice, &w->cp, p->seed, first, n, p->batch, st->counts,
                                   batches)
               : hop_cpu_corr(p->lattice, &w->cp, p->seed, first, n, p->threads, threads,
                              st->counts);
}

static hop_status corr_estimate(const hop_params *p, const void *work,
                                const hop_model_stats *st, hop_result *r)
{
    const corr_work *w = work;
    return hop_corr_estimate(p->lattice, st->counts, w->radius, r);
}

const hop_estimator_ops hop_corr_estimator = {
    "corr", corr_shape, corr_work_alloc, free, corr_run_part, corr_estimate,
    NULL, NULL,    /* the infinite lattice: no box, no companion */
    hop_corr_report, hop_corr_json_parameters, hop_corr_json_results, hop_verdict_corr
};

/* -------------------------------------------------------------------- msd --- */

static void msd_shape(const hop_params *p, hop_state_shape *s)
{
    memset(s, 0, sizeof *s);
    s->row_times = p->n_times;
    s->row_groups = p->lattice->n_groups;
}

static hop_status msd_work_alloc(const hop_params *p, void **work)
{
    hop_msd_params *mp = malloc(sizeof *mp);
    *work = mp;
    if (!mp)
        return hop_error(HOP_ERR_NOMEM, "out of memory");
    hop_run_msd_params(p, p->size, mp);
    return HOP_OK;
}

static hop_status msd_run_part(const hop_params *p, const void *work, uint64_t first,
                               uint64_t n, hop_model_stats *st, int *batches, int *threads)
{
    const hop_msd_params *mp = work;
    return p->backend == HOP_BACKEND_CUDA
               ? hop_cuda_run_msd(p->lattice, mp, p->seed, first, n, p->batch, st->acc, batches)
               : hop_cpu_msd(p->lattice, mp, p->seed, first, n, p->threads, threads, st->acc);
}

uint64_t hop_msd_box_sites(const hop_lattice *L, const hop_msd_params *mp)
{
    return (uint64_t)mp->cells[0] * mp->cells[1] * mp->cells[2] * L->n_basis;
}

static hop_status msd_estimate(const hop_params *p, const void *work,
                               const hop_model_stats *st, hop_result *r)
{
    hop_msd_model mm;
    hop_model_get(p->model)->msd_rates(p, work, &mm);
    free(r->msd);
    r->msd = NULL;
    return hop_msd_estimate(p->lattice, work, &mm, p->fit_from, st->acc, r);
}

/* ----------------------------------------------------------- companion box --- */

/* The companion box bounds the box's O(1/N) finite-size bias (hop_size_bias below):
 * the bound k (|f_c - f| + 2 sqrt(sigma^2 + sigma_c^2)), k = N_c/(N - N_c), has a drift
 * part, the size effect itself, and a noise part 2 k sqrt(sigma^2 + sigma_c^2) that
 * does not fall against sigma with more replicas.  Two levers keep the noise part small
 * (docs/estimators.md, measured):
 *   - the lever N/N_c >= 8 (k <= 1/7) in 2D as in 3D (half the edge gave k = 1/3 in 2D);
 *     f_N - f = C/N holds down to these boxes (square: C N = 1.10 +- 0.06 at N = 49,
 *     0.95 +- 0.08 at 64, 0.98 +- 0.16 at 121; fcc 0.95 +- 0.04 at 32; bcc 0.92 +- 0.06
 *     at 54; sc 1.47 +- 0.07 at 64);
 *   - the companion runs as many relaxation times of its box as the run (msd) or as
 *     many jumps per atom (the alloy), so a replica costs N_c/N of the box's, and it
 *     runs more replicas.  msd's one tracer has sigma_c ~ sigma at as many replicas, so
 *     MSD_COMPANION_REPLICAS = 4 times them put the noise part at 2 k sigma sqrt(1 +
 *     1/4), within 12 % of its floor 2 k sigma, for at most half the box's vacancy
 *     steps (N/N_c = 16 times on fcc cost 25 % more wall time than the former
 *     companion, for a noise part 8 % lower).  The alloy's f averages over the atoms,
 *     so at as many replicas its sigma_c is sqrt(N/N_c) sigma (4.3 sigma measured on
 *     fcc): it runs N/N_c times the replicas, the same exchanges as the former
 *     companion (the same time, as many replicas), and sigma_c is about sigma. */
int hop_companion_size(const hop_lattice *L, int size)
{
    /* largest c with 8 c^2 <= size^2: floor(size / sqrt 8), in integers */
    int c = (int)floor(size / sqrt(8.0));
    while (8 * (c + 1) * (c + 1) <= size * size)
        ++c;
    while (c > 0 && 8 * c * c > size * size)
        --c;
    return L->dim == 2 && c >= L->min_size ? c : size / 2;
}

uint64_t hop_companion_replicas(uint64_t replicas, double times)
{
    const double per = fmax(1.0, floor(times + 0.5));
    return (double)replicas * per >= (double)MAX_REPLICAS ? MAX_REPLICAS
                                                          : replicas * (uint64_t)per;
}

hop_companion hop_msd_companion(const hop_params *p, hop_params *q)
{
    const hop_lattice *L = p->lattice;
    const double n = (double)hop_lattice_box_sites(L, p->size);
    double nc, steps, least;
    q->size = hop_companion_size(L, p->size);
    if (!p->size_check || q->size < L->min_size)
        return HOP_COMPANION_SKIPPED;
    nc = (double)hop_lattice_box_sites(L, q->size);
    /* as many relaxation times of its box as the run's, but hop_msd_resolve's least */
    steps = p->time * L->z * box_relaxation_steps(L, nc) / box_relaxation_steps(L, n);
    least = fmax(10.0 * p->n_times, MSD_MIN_RELAXATIONS * box_relaxation_steps(L, nc));
    q->time = fmin(fmax(steps, least), p->time * L->z) / L->z;
    q->replicas = hop_companion_replicas(p->replicas,
                                         fmin(p->time / q->time, MSD_COMPANION_REPLICAS));
    return HOP_COMPANION_RUN;
}

/* Finite-size bound (n, nc: the sites of the two boxes; hop_size_bias_ratio takes the
 * extrapolation's ratio itself).  With one vacancy among N sites the correlation factor
 * of the box differs from the infinite lattice's by O(1/N): the periodic images change the
 * direction-dependent part of the vacancy's return statistics at that order, while a
 * uniform change of the return probability does not bias f (stats/corr.c).  Measured on
 * sc: (f_N - f) N = 1.41 +- 0.11 at N = 64 and 1.36 +- 0.38 at N = 216 (and the list
 * above).  From boxes of N and N_c < N sites, f_N - f = (f_Nc - f_N) N_c / (N - N_c);
 * the bound adds two standard errors of that difference (independent replicas), so it
 * covers the 1/N bias with one-sided 97.7 % (tests/test_verdict.c plants one). */
double hop_size_bias_ratio(double f, double sf, double fc, double sfc, double ratio)
{
    return ratio * (fabs(fc - f) + 2.0 * sqrt(sf * sf + sfc * sfc));
}

double hop_size_bias(double f, double sf, double fc, double sfc, uint64_t n, uint64_t nc)
{
    return hop_size_bias_ratio(f, sf, fc, sfc, (double)nc / (double)(n - nc));
}

static void msd_bias_from_companion(hop_result *r, const hop_result *check)
{
    r->f.bias = hop_size_bias(r->f.value, r->f.sigma, check->f.value, check->f.sigma,
                              r->box_sites, check->box_sites);
    for (int g = 0; g < r->n_groups; ++g)
        r->f_group[g].bias = hop_size_bias(r->f_group[g].value, r->f_group[g].sigma,
                                           check->f_group[g].value, check->f_group[g].sigma,
                                           r->box_sites, check->box_sites);
    r->D_star.bias = r->f.bias * r->D_uncorrelated;
    r->haven.bias = r->f.bias;                        /* H = f for one vacancy */
    r->haven_inverse.bias = r->f.bias / (r->f.value * r->f.value);
}

/* No companion box: the finite-size bias is not bounded (NaN). */
static void msd_bias_unbounded(hop_result *r)
{
    r->f.bias = r->D_star.bias = r->haven.bias = r->haven_inverse.bias = NAN;
    for (int g = 0; g < r->n_groups; ++g)
        r->f_group[g].bias = NAN;
}

const hop_estimator_ops hop_msd_estimator = {
    "msd", msd_shape, msd_work_alloc, free, msd_run_part, msd_estimate,
    msd_bias_from_companion, msd_bias_unbounded,
    hop_msd_report, hop_msd_json_parameters, hop_msd_json_results, hop_verdict_msd
};

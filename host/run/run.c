/* run.c: parameters, their defaults and validation, the choice of backend, and one run
 * from parameters to a result. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/cpu.h"
#include "backend/cuda.h"
#include "backend/device.h"
#include "run/checkpoint.h"
#include "run/state.h"
#include "models/gas.h"
#include "run/mpi.h"
#include "models/physics.h"
#include "models/solute.h"
#include "run/run.h"

#define DEFAULT_CORR_REPLICAS (UINT64_C(1) << 20)
#define DEFAULT_MSD_REPLICAS (UINT64_C(1) << 15)
#define DEFAULT_CORR_REPLICAS_GPU (UINT64_C(1) << 22)
#define DEFAULT_MSD_REPLICAS_GPU (UINT64_C(1) << 18)
#define MSD_TARGET_SITES 512        /* default box: about this many sites ... */
#define MSD_TARGET_SITES_1D 64      /* ... and in one dimension */
#define MSD_DEFAULT_SWEEPS 32.0     /* default run: this many relaxation times of the box */
#define MSD_MAX_STEPS 400000000.0   /* keeps per-replica displacements inside int32 */
#define MSD_MIN_RELAXATIONS 8.0     /* shortest msd run, in relaxation times of the box */
#define MSD_MIN_REPLICAS_PER_TIME 50
#define CORR_MIN_STARTS 100         /* corr replicas per jump type, at least */
#define MAX_REPLICAS HOP_MAX_REPLICAS   /* run.h */
#define MSD_DECADES 3.0             /* the time grid spans t_max/1000 .. t_max */

void hop_params_default(hop_params *p)
{
    memset(p, 0, sizeof *p);
    p->lattice = hop_lattice_find("fcc");
    p->estimator = HOP_EST_CORR;
    p->model = HOP_MODEL_VACANCY;
    p->seed = 1;
    p->shells = 4;
    p->n_times = 40;
    p->fit_from = 0.1;
    p->size_check = 1;
}

/* Default outer radius: the truncation bias falls as R^-d (R^-1 in one dimension) and is
 * bounded assuming R^-max(1, d-1) (corr_stats.c); these keep the bound below the
 * default statistical error. */
static double default_radius(int dim)
{
    return dim == 1 ? 4096.0 : dim == 2 ? 128.0 : 32.0;
}

const char *hop_model_name(int model)
{
    return model == HOP_MODEL_RANDOM ? "random" : model == HOP_MODEL_SOLUTE ? "solute"
         : model == HOP_MODEL_GAS ? "gas" : "vacancy";
}

/* The value among all[0..n) whose name_of() is `name`, or -1. */
static int parse_named(const char *name, const int *all, size_t n, const char *(*name_of)(int))
{
    for (size_t i = 0; i < n; ++i)
        if (strcmp(name, name_of(all[i])) == 0)
            return all[i];
    return -1;
}

int hop_model_parse(const char *name)
{
    static const int all[] = {HOP_MODEL_VACANCY, HOP_MODEL_RANDOM, HOP_MODEL_SOLUTE,
                              HOP_MODEL_GAS};
    return parse_named(name, all, sizeof all / sizeof *all, hop_model_name);
}

static int default_size(const hop_lattice *L)
{
    const double sites = L->dim == 1 ? MSD_TARGET_SITES_1D : MSD_TARGET_SITES;
    double cells = pow(sites / L->n_basis, 1.0 / L->dim);
    int size = (int)floor(cells + 0.5);
    return size < 2 * L->min_size ? 2 * L->min_size : size;
}

#define BAD(...) do { snprintf(msg, msg_len, __VA_ARGS__); return HOP_ERR_INVAL; } while (0)

/* Vacancy steps for the vacancy to explore a box of n sites (its relaxation time):
 * about n for d >= 2 (box edge^2 <= n), n^2 in one dimension, where the tracer moves only
 * when the vacancy winds around the ring. */
static double box_relaxation_steps(const hop_lattice *L, double n)
{
    return L->dim == 1 ? n * n : n;
}

hop_status hop_params_resolve(hop_params *p, char *msg, size_t msg_len)
{
    const hop_lattice *L = p->lattice;
    if (!L)
        BAD("no lattice given");
    if (p->estimator != HOP_EST_CORR && p->estimator != HOP_EST_MSD)
        BAD("unknown estimator");
    if (p->model != HOP_MODEL_VACANCY && p->model != HOP_MODEL_RANDOM
        && p->model != HOP_MODEL_SOLUTE && p->model != HOP_MODEL_GAS)
        BAD("unknown model");
    if (p->backend != HOP_BACKEND_AUTO && p->backend != HOP_BACKEND_CPU
        && p->backend != HOP_BACKEND_CUDA)
        BAD("unknown backend");
    if (p->threads < 0 || p->threads > 4096)
        BAD("--threads: %d is out of range (1 .. 4096)", p->threads);
    if (!(p->target_error >= 0 && p->target_error < 1))
        BAD("--target-error: %g is out of range (0 < x < 1)", p->target_error);
    if (!(p->time_limit >= 0 && p->time_limit <= 1e9))
        BAD("--time-limit: %g is out of range (0 < x <= 1e9 seconds)", p->time_limit);
    if (p->batch > MAX_REPLICAS)
        BAD("--batch: %llu is out of range (1 .. %llu)", (unsigned long long)p->batch,
            (unsigned long long)MAX_REPLICAS);
    p->backend = hop_backend_choose(p->backend, NULL, 0);
    if (p->model == HOP_MODEL_GAS)
        return hop_gas_resolve(p, msg, msg_len);        /* host/models/gas.c */
    if (p->replicas == 0) {
        const int gpu = p->backend == HOP_BACKEND_CUDA;
        p->replicas = p->estimator == HOP_EST_CORR
                          ? (gpu ? DEFAULT_CORR_REPLICAS_GPU : DEFAULT_CORR_REPLICAS)
                          : (gpu ? DEFAULT_MSD_REPLICAS_GPU : DEFAULT_MSD_REPLICAS);
    }
    if (p->replicas > MAX_REPLICAS)
        BAD("--replicas: %llu is out of range (2 .. %llu)", (unsigned long long)p->replicas,
            (unsigned long long)MAX_REPLICAS);
    if (p->estimator == HOP_EST_CORR) {
        const uint64_t least = CORR_MIN_STARTS * (uint64_t)(L->n_sub * L->z);
        const double max_radius = L->dim == 1 ? 1e6 : 4096;
        int least_radius;
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
        if (hop_physics_resolve(p, msg, msg_len) != HOP_OK)
            return HOP_ERR_INVAL;
        return hop_solute_resolve(p, msg, msg_len);
    }
    {
        const uint64_t least = MSD_MIN_REPLICAS_PER_TIME * (uint64_t)p->n_times;
        const double max_sites = L->dim == 1 ? sqrt(MSD_MAX_STEPS / MSD_MIN_RELAXATIONS)
                                             : MSD_MAX_STEPS / MSD_MIN_RELAXATIONS;
        double n, relax, least_steps, steps;
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
        relax = p->model == HOP_MODEL_RANDOM ? 0 : box_relaxation_steps(L, n);
        least_steps = fmax(10.0 * p->n_times, MSD_MIN_RELAXATIONS * relax);
        if (p->time == 0) {
            steps = fmin(fmax(MSD_DEFAULT_SWEEPS * relax, least_steps), MSD_MAX_STEPS);
            p->time = steps / L->z;
        }
        steps = p->time * L->z;
        if (!(steps >= least_steps && steps <= MSD_MAX_STEPS))
            BAD("--time: %g is out of range for %s with --size %d (%g .. %g in 1/omega)",
                p->time, L->name, p->size, least_steps / L->z, MSD_MAX_STEPS / L->z);
    }
    if (p->model == HOP_MODEL_RANDOM)
        p->size_check = 0;      /* no vacancy, no finite-size effect */
    if (hop_physics_resolve(p, msg, msg_len) != HOP_OK)
        return HOP_ERR_INVAL;
    return hop_solute_resolve(p, msg, msg_len);
}

void hop_run_corr_params(const hop_params *p, double *radius, hop_corr_params *cp)
{
    const hop_lattice *L = p->lattice;
    memset(cp, 0, sizeof *cp);
    cp->model = p->model;
    cp->n_shells = p->shells;
    for (int m = 0; m < p->shells; ++m) {
        radius[m] = p->radius / (double)(1 << (p->shells - 1 - m));
        /* The vacancy is beyond radius R once x^T M x >= R^2 alpha^2 metric_den. */
        cp->shell_r2[m] = (int64_t)ceil(radius[m] * radius[m] * L->jump_len2);
    }
    if (p->model == HOP_MODEL_SOLUTE)
        hop_solute_rates(p, &cp->rates);
}

void hop_run_msd_params(const hop_params *p, int size, hop_msd_params *mp)
{
    const hop_lattice *L = p->lattice;
    const double n_max = floor(p->time * L->z + 0.5);
    memset(mp, 0, sizeof *mp);
    mp->model = p->model;
    for (int a = 0; a < HOP_MAX_DIM; ++a) {
        mp->cells[a] = a < L->dim ? size : 1;
        mp->period[a] = a < L->dim ? size * L->cell[a] : 0;
    }
    /* Log-spaced steps from n_max/10^3 to n_max, strictly increasing from at least 1:
     * where rounding makes neighbours equal (short runs), each is pushed one step past
     * the previous.  n_max >= 10 n_times (hop_params_resolve) keeps the last at n_max. */
    mp->n_times = p->n_times;
    for (int i = 0; i < p->n_times; ++i) {
        double x = (double)(p->n_times - 1 - i) / (p->n_times - 1);
        int64_t n = (int64_t)floor(n_max * pow(10.0, -MSD_DECADES * x) + 0.5);
        int64_t floor_n = i == 0 ? 1 : mp->time_steps[i - 1] + 1;
        mp->time_steps[i] = n > floor_n ? n : floor_n;
    }
    mp->time_unit = 1.0 / L->z;          /* equal rates: one exchange per 1/(z omega) */
    if (p->model == HOP_MODEL_VACANCY && L->rate_total[0]) {
        /* Per-jump rates: omega is the largest rate (weight 2^32), the clock counts
         * 2^-32 / omega, so a time t (in 1/omega) is t 2^32 units. */
        mp->time_unit = 1.0 / 4294967296.0;
        for (int i = 0; i < p->n_times; ++i)
            mp->time_steps[i] = (int64_t)llround((double)mp->time_steps[i] / L->z / mp->time_unit);
    }
    if (p->model == HOP_MODEL_SOLUTE) {
        /* The residence-time clock counts 2^-32 / w_max; w0/w_max = W0 / 2^32, so a
         * time t (in 1/w0) is t 2^64 / W0 units. */
        hop_solute_rates(p, &mp->rates);
        mp->time_unit = (double)mp->rates.weight[HOP_W0] / 18446744073709551616.0;
        for (int i = 0; i < p->n_times; ++i)
            mp->time_steps[i] = (int64_t)llround((double)mp->time_steps[i] / L->z / mp->time_unit);
    }
}

/* Rounds and sub-batches.  A run is made of rounds of p->replicas replicas (one round
 * unless a target error or a time limit is set), each cut into sub-batches after which
 * progress is reported, the time limit checked and the state checkpointed when due;
 * the target is checked after whole rounds only, so where a run to a target stops
 * does not depend on timing.  Replica r always draws from stream (seed, r) and the
 * statistics are integer sums, so the result depends only on how many replicas ran:
 * not on the sub-batches, nor on where a run was interrupted and resumed.
 * Sub-batches are at most 1/PARTS of a round, and sized to take about PART_SECONDS
 * once the throughput is known, so a signal is answered within seconds. */
#define PARTS 8
#define MIN_PART 4096
#define PART_SECONDS 2.0
#define DEFAULT_CHECKPOINT_EVERY 60.0

typedef struct {
    const hop_params *run;      /* the run's parameters (checkpoint, interrupt, progress) */
    const hop_params *p;        /* this phase's: round size, target, time limit */
    hop_checkpoint_state *ck;   /* the run's state, saved in checkpoints */
    uint64_t *done;             /* replicas finished in this phase (within ck) */
    double t0, last_save, compute0;
    double rate;                /* replicas per second in the last sub-batch; 0 unknown */
} run_rounds;

static void rounds_begin(run_rounds *k, const hop_params *run, const hop_params *p,
                         hop_checkpoint_state *ck, int phase)
{
    k->run = run;
    k->p = p;
    k->ck = ck;
    k->done = &ck->done[phase];
    k->t0 = k->last_save = hop_wall_seconds();
    k->compute0 = ck->compute_s;
    k->rate = 0;
}

/* Replicas of the next sub-batch, or 0 when the phase is over (r->stopped_by set). */
static uint64_t next_part(run_rounds *k, hop_result *r, int estimated)
{
    const hop_params *p = k->p;
    const uint64_t round = p->replicas, done = *k->done, in_round = done % round;
    uint64_t part = (round + PARTS - 1) / PARTS;
    const double elapsed = hop_wall_seconds() - k->t0;
    if (done > 0) {
        if (p->time_limit > 0 && elapsed >= p->time_limit) {
            r->stopped_by = "time limit";
            return 0;
        }
        if (in_round == 0) {
            if (!(p->target_error > 0)) {
                r->stopped_by = "replicas";
                return 0;
            }
            if (estimated && r->f.sigma <= p->target_error) {
                r->stopped_by = "target";
                return 0;
            }
            if (done + round > MAX_REPLICAS) {
                r->stopped_by = "replicas";     /* the largest run hop accepts */
                return 0;
            }
        }
    }
    if (k->rate > 0 && k->rate * PART_SECONDS < (double)part)
        part = (uint64_t)(k->rate * PART_SECONDS);
    if (part < MIN_PART)
        part = MIN_PART;
    return part < round - in_round ? part : round - in_round;
}

/* next_part as rank 0 decides it (its clock and throughput), on every rank. */
static uint64_t next_part_agreed(run_rounds *k, hop_result *r, int estimated)
{
    static const char *const why[] = {"replicas", "target", "time limit"};
    uint64_t v[2];
    v[0] = next_part(k, r, estimated);
    v[1] = 0;
    for (uint64_t i = 0; i < 3; ++i)
        if (v[0] == 0 && r->stopped_by && strcmp(r->stopped_by, why[i]) == 0)
            v[1] = i;
    hop_mpi_bcast_u64(v, 2);
    if (v[0] == 0)
        r->stopped_by = why[v[1]];
    return v[0];
}

/* One status for all ranks: the worst (largest) of theirs.  The rank that failed has
 * said why; the others stop with the same status. */
static hop_status agreed(hop_status s)
{
    int v = (int)s;
    hop_mpi_max_int(&v, 1);
    return (hop_status)v;
}

/* Saves st to p's checkpoint file (rank 0), if it has one; agreed across ranks. */
static hop_status state_save(const hop_params *p, const hop_checkpoint_state *st)
{
    hop_status s = HOP_OK;
    if (p->checkpoint && hop_mpi_rank() == 0)
        s = hop_checkpoint_save(p->checkpoint, p, st);
    return agreed(s);
}

/* Saves the run's state to its checkpoint file, if it has one. */
static hop_status rounds_save(run_rounds *k)
{
    const double now = hop_wall_seconds();
    k->ck->compute_s = k->compute0 + (now - k->t0);
    k->last_save = now;
    return state_save(k->run, k->ck);
}

/* After a sub-batch of n replicas that took `seconds`: counts it, then saves the state
 * when a save is due or a stop was requested.  Returns HOP_ERR_INTERRUPTED (after
 * saving) on a stop request. */
static hop_status rounds_after(run_rounds *k, uint64_t n, int batches, double seconds)
{
    const hop_params *run = k->run;
    const double every = run->checkpoint_every > 0 ? run->checkpoint_every
                                                   : DEFAULT_CHECKPOINT_EVERY;
    /* a stop requested on any rank; a save due by rank 0's clock */
    int v[2];
    hop_status s = HOP_OK;
    v[0] = run->interrupt && *run->interrupt;
    v[1] = hop_mpi_rank() == 0 && hop_wall_seconds() - k->last_save >= every;
    hop_mpi_max_int(v, 2);
    *k->done += n;
    k->ck->batches += batches;
    k->ck->compute_s = k->compute0 + (hop_wall_seconds() - k->t0);
    k->rate = seconds > 0 ? (double)n / seconds : 0;
    if (v[0] || v[1])
        s = rounds_save(k);
    return s == HOP_OK && v[0] ? HOP_ERR_INTERRUPTED : s;
}

static void report_progress(const run_rounds *k, const hop_result *r, int estimated,
                            uint64_t steps)
{
    const hop_params *p = k->p;
    hop_progress g;
    if (!k->run->progress || k->p != k->run)     /* the run's own phase only */
        return;
    g.replicas_done = *k->done;
    g.replicas_planned = p->target_error > 0 || p->time_limit > 0 ? 0 : p->replicas;
    g.f = estimated ? r->f.value : NAN;
    g.f_sigma = estimated ? r->f.sigma : NAN;
    g.elapsed_s = hop_wall_seconds() - k->t0;
    g.steps_per_s = g.elapsed_s > 0 ? (double)steps / g.elapsed_s : 0;
    k->run->progress(&g, k->run->progress_user);
}

/* The estimates in between, whose failure (too few replicas yet) is not an error. */
static hop_status corr_estimate_quiet(const hop_lattice *L, const hop_corr_counts *c,
                                     const double *radius, hop_result *r)
{
    const int was = hop_error_silence(1);
    const hop_status s = hop_corr_estimate(L, c, radius, r);
    hop_error_silence(was);
    return s;
}

/* Replicas [first, first + n) of corr added to counts: this rank's slice run here, then
 * the slices' tallies summed across ranks.  *batches: device batches of all ranks. */
static hop_status part_corr(const hop_params *p, const hop_corr_params *cp, uint64_t first,
                            uint64_t n, hop_corr_counts *counts, int *batches, int *threads)
{
    hop_corr_counts *mine = counts;
    uint64_t lo, hi, all_batches;
    hop_status s = HOP_OK;
    hop_mpi_slice(first, n, &lo, &hi);
    if (hop_mpi_size() > 1) {
        if (!(mine = malloc(sizeof *mine)))
            s = hop_error(HOP_ERR_NOMEM, "out of memory");
        else
            hop_corr_counts_init(mine, counts->n_types, counts->n_shells);
    }
    *batches = 0;
    if (s == HOP_OK && hi > lo)
        s = p->backend == HOP_BACKEND_CUDA
                ? hop_cuda_run_corr(p->lattice, cp, p->seed, lo, hi - lo, p->batch, mine, batches)
                : hop_cpu_corr(p->lattice, cp, p->seed, lo, hi - lo, p->threads, threads, mine);
    if ((s = agreed(s)) == HOP_OK && mine != counts) {
        hop_mpi_sum_u64(mine->tally, (size_t)HOP_CORR_SLOTS(mine->n_types, mine->n_shells));
        hop_corr_counts_merge(counts, mine);
    }
    all_batches = (uint64_t)*batches;
    hop_mpi_sum_u64(&all_batches, 1);
    *batches = (int)all_batches;
    if (mine != counts)
        free(mine);
    return s;
}

/* Same for msd (gas NULL) or the lattice gas (its model), into acc. */
static hop_status part_rows(const hop_params *p, const hop_msd_params *mp,
                            const hop_gas_model *gas, uint64_t first, uint64_t n,
                            hop_msd_accum *acc, int *batches, int *threads)
{
    hop_msd_accum *mine = acc;
    uint64_t lo, hi, all_batches;
    hop_status s = HOP_OK;
    const int cuda = p->backend == HOP_BACKEND_CUDA;
    hop_mpi_slice(first, n, &lo, &hi);
    if (hop_mpi_size() > 1
        && !(mine = hop_msd_accum_alloc(acc->n_times, acc->n_series - HOP_SERIES_GROUP0)))
        s = hop_error(HOP_ERR_NOMEM, "out of memory");
    *batches = 0;
    if (s == HOP_OK && hi > lo && gas)
        s = cuda ? hop_cuda_run_gas(p->lattice, gas, p->seed, lo, hi - lo, p->batch, mine, batches)
                 : hop_cpu_gas(p->lattice, gas, p->seed, lo, hi - lo, p->threads, threads, mine);
    else if (s == HOP_OK && hi > lo)
        s = cuda ? hop_cuda_run_msd(p->lattice, mp, p->seed, lo, hi - lo, p->batch, mine, batches)
                 : hop_cpu_msd(p->lattice, mp, p->seed, lo, hi - lo, p->threads, threads, mine);
    if ((s = agreed(s)) == HOP_OK && mine != acc) {
        hop_mpi_sum_msd(mine);
        hop_msd_accum_merge(acc, mine);
    }
    all_batches = (uint64_t)*batches;
    hop_mpi_sum_u64(&all_batches, 1);
    *batches = (int)all_batches;
    if (mine != acc)
        hop_msd_accum_free(mine);
    return s;
}

static hop_status run_corr(const hop_params *p, hop_checkpoint_state *ck, hop_result *r)
{
    double radius[HOP_MAX_SHELLS];
    hop_corr_params cp;
    hop_corr_counts *counts = ck->counts;
    run_rounds k;
    uint64_t n;
    int estimated;
    hop_status s = HOP_OK;
    hop_run_corr_params(p, radius, &cp);
    rounds_begin(&k, p, p, ck, 0);
    estimated = *k.done > 0 && corr_estimate_quiet(p->lattice, counts, radius, r) == HOP_OK;
    while (s == HOP_OK && (n = next_part_agreed(&k, r, estimated)) > 0) {
        const double t = hop_wall_seconds();
        int batches = 0;
        s = part_corr(p, &cp, *k.done, n, counts, &batches, &r->threads);
        if (s != HOP_OK)
            break;
        s = rounds_after(&k, n, batches, hop_wall_seconds() - t);
        /* an estimate for progress and the target; the final one must succeed */
        estimated = corr_estimate_quiet(p->lattice, counts, radius, r) == HOP_OK;
        report_progress(&k, r, estimated, hop_corr_counts_steps(counts));
    }
    if (s == HOP_OK)
        s = rounds_save(&k);
    if (s == HOP_OK)
        s = hop_corr_estimate(p->lattice, counts, radius, r);
    return s;
}

/* The estimate from the rows in acc: msd's (mp) or the gas's (gas != NULL); quiet:
 * an estimate in between, whose failure (too few replicas yet) is not an error. */
static hop_status rows_estimate(const hop_params *p, const hop_msd_params *mp,
                                const hop_gas_model *gas, const hop_msd_accum *acc,
                                int quiet, hop_result *r)
{
    const int was = hop_error_silence(quiet);
    hop_status s;
    free(r->msd);
    r->msd = NULL;
    s = gas ? hop_gas_estimate(p->lattice, gas, p->J, p->fit_from, acc, r)
            : hop_msd_estimate(p->lattice, mp, p->model, p->fit_from, acc, r);
    hop_error_silence(was);
    return s;
}

/* Phase `phase` of a run with rows (the run's parameters `run`): the box of mp (msd) or
 * gas (the lattice gas) over replicas from `first`, in rounds as p says, statistics in
 * ck->acc[phase]; the total ran is in r->replicas. */
static hop_status run_rows_box(const hop_params *run, const hop_params *p, int phase,
                               const hop_msd_params *mp, const hop_gas_model *gas,
                               uint64_t first, hop_checkpoint_state *ck, hop_result *r)
{
    hop_msd_accum *acc = ck->acc[phase];
    const int estimate_often = p->target_error > 0 || run->progress;
    run_rounds k;
    uint64_t n;
    int estimated = 0;
    hop_status s = HOP_OK;
    rounds_begin(&k, run, p, ck, phase);
    if (*k.done > 0 && p->target_error > 0)
        estimated = rows_estimate(p, mp, gas, acc, 1, r) == HOP_OK;
    while (s == HOP_OK && (n = next_part_agreed(&k, r, estimated)) > 0) {
        const double t = hop_wall_seconds();
        int batches = 0;
        s = part_rows(p, mp, gas, first + *k.done, n, acc, &batches, &r->threads);
        if (s != HOP_OK)
            break;
        s = rounds_after(&k, n, batches, hop_wall_seconds() - t);
        estimated = estimate_often && rows_estimate(p, mp, gas, acc, 1, r) == HOP_OK;
        report_progress(&k, r, estimated, acc->vacancy_steps);
    }
    return s == HOP_OK ? rows_estimate(p, mp, gas, acc, 0, r) : s;
}

/* Phase `phase` of an msd run: a box of `size` cells (run_rows_box). */
static hop_status run_msd_box(const hop_params *run, const hop_params *p, int phase, int size,
                              uint64_t first, hop_checkpoint_state *ck, hop_result *r)
{
    hop_msd_params mp;
    hop_run_msd_params(p, size, &mp);
    return run_rows_box(run, p, phase, &mp, NULL, first, ck, r);
}

/* Phase `phase` of a gas run: the box of p (run_rows_box). */
static hop_status run_gas_box(const hop_params *run, const hop_params *p, int phase,
                              uint64_t first, hop_checkpoint_state *ck, hop_result *r)
{
    hop_gas_model *m = hop_gas_model_alloc(p);
    hop_status s = agreed(m ? HOP_OK : hop_error(HOP_ERR_NOMEM, "out of memory"));
    if (s == HOP_OK)
        s = run_rows_box(run, p, phase, NULL, m, first, ck, r);
    hop_gas_model_free(m);
    return s;
}

static double size_bias(double f, double sf, double fc, double sfc, uint64_t n, uint64_t nc);
static double size_bias_ratio(double f, double sf, double fc, double sfc, double ratio);
static void msd_phase1_begin(hop_checkpoint_state *ck, uint64_t replicas);

/* The lattice gas (host/models/gas.h): the box, then (size check on) a companion box of
 * half the edge at the same concentration, time and J over as many replicas (streams
 * [R, 2R)), whose difference bounds the finite-size bias as for msd (see below; for
 * the gas the box's M/(n-1) -> 1 - c is part of the same O(1/n) effect). */
static hop_status run_gas(const hop_params *p, hop_checkpoint_state *ck, hop_result *r)
{
    hop_params q = *p;
    hop_result check;
    char msg[256];
    hop_status s = run_gas_box(p, p, 0, 0, ck, r);
    if (s != HOP_OK)
        return s;
    q.size = p->size / 2;
    if (!p->size_check || q.size < p->lattice->min_size
        || hop_gas_resolve(&q, msg, sizeof msg) != HOP_OK)
        return state_save(p, ck);       /* no companion box: the bias stays unknown (NaN) */
    memset(&check, 0, sizeof check);
    msd_phase1_begin(ck, r->replicas);
    q.replicas = r->replicas;
    q.target_error = q.time_limit = 0;
    s = run_gas_box(p, &q, 1, r->replicas, ck, &check);
    if (s == HOP_OK)
        s = state_save(p, ck);
    free(check.msd);
    if (s != HOP_OK)
        return s;
    r->check_size = q.size;
    r->check_box_sites = check.box_sites;
    r->f_check = check.f;
    r->f.bias = size_bias(r->f.value, r->f.sigma, check.f.value, check.f.sigma, r->box_sites,
                          check.box_sites);
    r->gas.D_star.bias = size_bias(r->gas.D_star.value, r->gas.D_star.sigma,
                                   check.gas.D_star.value, check.gas.D_star.sigma,
                                   r->box_sites, check.box_sites);
    r->gas.D_sigma.bias = size_bias(r->gas.D_sigma.value, r->gas.D_sigma.sigma,
                                    check.gas.D_sigma.value, check.gas.D_sigma.sigma,
                                    r->box_sites, check.box_sites);
    r->gas.D_vacancy.bias = size_bias(r->gas.D_vacancy.value, r->gas.D_vacancy.sigma,
                                      check.gas.D_vacancy.value, check.gas.D_vacancy.sigma,
                                      r->box_sites, check.box_sites);
    r->haven.bias = size_bias(r->haven.value, r->haven.sigma, check.haven.value,
                              check.haven.sigma, r->box_sites, check.box_sites);
    r->haven_inverse.bias = size_bias(r->haven_inverse.value, r->haven_inverse.sigma,
                                      check.haven_inverse.value, check.haven_inverse.sigma,
                                      r->box_sites, check.box_sites);
    /* Theta from two slab widths has no O(1/L) surface term (gas_run.c); what is left,
     * chi_box - chi = O(1/n) and terms exponentially small in the narrow slabs' width /
     * xi, at least halves when the edge doubles.  With r(L) that residual,
     * |r(L)| <= |r(L/2)|/2 = |r(L) + Theta_c - Theta|/2 gives |r(L)| <= |Theta_c - Theta|:
     * the bound is the two boxes' difference itself plus two standard errors, not
     * extrapolated (ratio 1, where an O(1/n) residual alone would allow 1/(2^d - 1); the
     * companion's narrow slabs are only 1 or 2 planes wide, so its exponential terms are
     * not negligible).  A companion of edge < 4 has no narrow slab: its Theta carries the
     * one-width surface bias, which bounds nothing here (NaN: not bounded).  D_chem =
     * D_sigma Theta carries Theta's residual and D_sigma's O(1/n): the same bound; for
     * J = 0 it uses the exact Theta and has no bias (gas_run.c). */
    if (check.gas.theta_two_widths) {
        r->gas.theta.bias = size_bias_ratio(r->gas.theta.value, r->gas.theta.sigma,
                                            check.gas.theta.value, check.gas.theta.sigma, 1.0);
        if (!r->gas.D_chem_exact_theta)
            r->gas.D_chem.bias = size_bias_ratio(r->gas.D_chem.value, r->gas.D_chem.sigma,
                                                 check.gas.D_chem.value,
                                                 check.gas.D_chem.sigma, 1.0);
    }
    r->vacancy_steps += check.vacancy_steps;
    r->tracer_jumps += check.tracer_jumps;
    return HOP_OK;
}

/* Finite-size bound (n, nc: the sites of the two boxes; size_bias_ratio takes the
 * extrapolation's ratio itself).  With one vacancy among N sites the correlation factor
 * of the box differs from the infinite lattice's by O(1/N): the periodic images change the
 * direction-dependent part of the vacancy's return statistics at that order, while a
 * uniform change of the return probability does not bias f (corr_stats.c).  Measured on
 * sc: (f_N - f) N = 1.41 +- 0.11 at N = 64 and 1.36 +- 0.38 at N = 216.
 * From boxes of N and N_c < N sites, f_N - f = (f_Nc - f_N) N_c / (N - N_c); the bound
 * adds two standard errors of that difference (independent replicas). */
static double size_bias_ratio(double f, double sf, double fc, double sfc, double ratio)
{
    return ratio * (fabs(fc - f) + 2.0 * sqrt(sf * sf + sfc * sfc));
}

static double size_bias(double f, double sf, double fc, double sfc, uint64_t n, uint64_t nc)
{
    return size_bias_ratio(f, sf, fc, sfc, (double)nc / (double)(n - nc));
}

/* Mark the finite-size bias of a vacancy-model msd result as unknown (NaN). */
static void size_bias_unknown(hop_result *r)
{
    r->f.bias = r->D_star.bias = r->haven.bias = r->haven_inverse.bias = NAN;
    for (int g = 0; g < r->n_groups; ++g)
        r->f_group[g].bias = NAN;
}

/* Starts phase 1 for a phase 0 of `replicas` replicas: its saved statistics stand only
 * if they were made for that many (a resumed run may have added replicas since). */
static void msd_phase1_begin(hop_checkpoint_state *ck, uint64_t replicas)
{
    hop_msd_accum *a = ck->acc[1];
    if (ck->phase == 1 && ck->phase1_for == replicas)
        return;
    memset(a->entry, 0, (size_t)hop_msd_entries(a->n_series, a->n_times) * sizeof *a->entry);
    a->replicas = a->vacancy_steps = a->tracer_jumps = 0;
    ck->phase = 1;
    ck->phase1_for = replicas;
    ck->done[1] = 0;
}

static hop_status run_msd(const hop_params *p, hop_checkpoint_state *ck, hop_result *r)
{
    hop_result check;
    int check_size = p->size / 2;
    hop_params q = *p;
    hop_status s = run_msd_box(p, p, 0, p->size, 0, ck, r);
    if (s != HOP_OK)
        return s;
    if (p->model == HOP_MODEL_RANDOM || !p->size_check || check_size < p->lattice->min_size
        || (p->model == HOP_MODEL_SOLUTE && !hop_solute_box_ok(p->lattice, check_size))) {
        if (p->model != HOP_MODEL_RANDOM)
            size_bias_unknown(r);      /* no companion box: the bias is not bounded */
        return state_save(p, ck);
    }
    memset(&check, 0, sizeof check);
    /* The companion box uses replica streams [R, 2R), independent of the main run's, R
     * the replicas the main run used (rounds included). */
    msd_phase1_begin(ck, r->replicas);
    q.replicas = r->replicas;
    q.target_error = q.time_limit = 0;
    s = run_msd_box(p, &q, 1, check_size, r->replicas, ck, &check);
    if (s == HOP_OK)
        s = state_save(p, ck);
    if (s != HOP_OK) {
        free(check.msd);
        return s;
    }
    r->check_size = check_size;
    r->check_box_sites = check.box_sites;
    r->f_check = check.f;
    r->f.bias = size_bias(r->f.value, r->f.sigma, check.f.value, check.f.sigma,
                          r->box_sites, check.box_sites);
    for (int g = 0; g < r->n_groups; ++g)
        r->f_group[g].bias = size_bias(r->f_group[g].value, r->f_group[g].sigma,
                                       check.f_group[g].value, check.f_group[g].sigma,
                                       r->box_sites, check.box_sites);
    r->D_star.bias = r->f.bias * r->D_uncorrelated;
    r->haven.bias = r->f.bias;                        /* H = f for one vacancy */
    r->haven_inverse.bias = r->f.bias / (r->f.value * r->f.value);
    r->vacancy_steps += check.vacancy_steps;
    r->tracer_jumps += check.tracer_jumps;
    free(check.msd);
    return HOP_OK;
}

/* Rank 0's state of a run of p, on every rank. */
static void state_bcast(const hop_params *p, hop_checkpoint_state *ck)
{
    uint64_t v[6];
    if (hop_mpi_size() == 1)
        return;
    v[0] = (uint64_t)ck->phase;
    v[1] = ck->done[0];
    v[2] = ck->done[1];
    v[3] = ck->phase1_for;
    v[4] = (uint64_t)ck->batches;
    memcpy(&v[5], &ck->compute_s, sizeof v[5]);
    hop_mpi_bcast_u64(v, 6);
    ck->phase = (int)v[0];
    ck->done[0] = v[1];
    ck->done[1] = v[2];
    ck->phase1_for = v[3];
    ck->batches = (int)v[4];
    memcpy(&ck->compute_s, &v[5], sizeof ck->compute_s);
    if (p->estimator == HOP_EST_CORR) {
        hop_mpi_bcast_u64(ck->counts->tally, HOP_CORR_SLOTS(ck->counts->n_types,
                                                            ck->counts->n_shells));
        return;
    }
    for (int ph = 0; ph < 2 && ck->acc[ph]; ++ph) {
        hop_msd_accum *a = ck->acc[ph];
        uint64_t c[3];
        c[0] = a->replicas;
        c[1] = a->vacancy_steps;
        c[2] = a->tracer_jumps;
        hop_mpi_bcast_u64(c, 3);
        a->replicas = c[0];
        a->vacancy_steps = c[1];
        a->tracer_jumps = c[2];
        hop_mpi_bcast_bytes(a->entry,
                            (size_t)hop_msd_entries(a->n_series, a->n_times) * sizeof *a->entry);
    }
}

/* The state of a run of p, zeroed, or loaded from p->resume; agreed across ranks. */
static hop_status state_begin(const hop_params *p, hop_checkpoint_state *ck)
{
    char msg[512];
    hop_status s = hop_run_state_alloc(p, ck);
    if (s != HOP_OK)
        hop_error(s, "out of memory");
    /* rank 0 reads the checkpoint and sends its state to the others */
    if (s == HOP_OK && p->resume && hop_mpi_rank() == 0
        && (s = hop_checkpoint_load(p->resume, p, ck, msg, sizeof msg)) != HOP_OK)
        hop_error(s, "%s", msg);
    if ((s = agreed(s)) == HOP_OK && p->resume)
        state_bcast(p, ck);
    return s;
}

hop_status hop_run_execute(const hop_params *params, hop_result **out)
{
    char msg[256];
    hop_result *r = calloc(1, sizeof *r);
    hop_params p = *params;
    hop_checkpoint_state ck;
    hop_status s;
    *out = NULL;
    if (!r)
        return HOP_ERR_NOMEM;
    if ((s = hop_params_resolve(&p, msg, sizeof msg)) != HOP_OK) {
        free(r);
        return hop_error(s, "%s", msg);
    }
    /* Ranks may resolve the backend differently (a GPU on some nodes only); the bits do
     * not depend on it, but the rounds must: rank 0's replica count is the run's. */
    hop_mpi_bcast_u64(&p.replicas, 1);
    r->params = p;
    r->ranks = hop_mpi_size();
    r->backend = hop_backend_name(p.backend);
    r->stopped_by = "replicas";
    r->resumed = p.resume != NULL;
    if ((s = agreed(hop_device_describe(p.backend, r->device, sizeof r->device))) != HOP_OK) {
        free(r);
        return s;
    }
    if ((s = state_begin(&p, &ck)) == HOP_OK)
        s = p.model == HOP_MODEL_GAS ? run_gas(&p, &ck, r)
            : p.estimator == HOP_EST_CORR ? run_corr(&p, &ck, r) : run_msd(&p, &ck, r);
    r->wall_s = ck.compute_s;
    r->batches = ck.batches;
    hop_run_state_free(&ck);
    if (s != HOP_OK) {
        hop_result_free(r);
        return s;
    }
    r->steps_per_s = r->wall_s > 0 ? (double)r->vacancy_steps / r->wall_s : 0;
    hop_physics_apply(r);
    hop_solute_apply(r);
    *out = r;
    return HOP_OK;
}

void hop_result_free(hop_result *r)
{
    if (!r)
        return;
    free(r->msd);
    free(r);
}

/* run.c: parameters, their common defaults and checks, the choice of backend, and one
 * run from parameters to a result: rounds of sub-batches over the phases (the box, then
 * the companion box where there is one), statistics summed across ranks, checkpoints.
 * Everything that depends on the model or the estimator is asked of their tables
 * (models/model.h): resolve, the state's shape, the work of a box, a part of replicas,
 * the estimate, the companion box and its bias bound, the physical units. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/device.h"
#include "run/checkpoint.h"
#include "run/state.h"
#include "run/mpi.h"
#include "run/run.h"

#define MAX_REPLICAS HOP_MAX_REPLICAS   /* models/model.h */

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
    p->progress_f = 1;
}

#define BAD(...) do { snprintf(msg, msg_len, __VA_ARGS__); return HOP_ERR_INVAL; } while (0)

hop_status hop_params_resolve(hop_params *p, char *msg, size_t msg_len)
{
    const hop_model *m;
    if (!p->lattice)
        BAD("no lattice given");
    if (p->estimator != HOP_EST_CORR && p->estimator != HOP_EST_MSD)
        BAD("unknown estimator");
    if (!(m = hop_model_get(p->model)))
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
    if (m->resolve(p, msg, msg_len) != HOP_OK)
        return HOP_ERR_INVAL;
    if (!hop_model_estimator(p))        /* the gas's resolve chooses its own */
        BAD("--model %s does not offer the %s estimator", m->name,
            p->estimator == HOP_EST_MSD ? "msd" : "corr");
    return HOP_OK;
}

/* Rounds and sub-batches.  A run is made of rounds of p->replicas replicas (one round
 * unless a target error or a time limit is set), each cut into sub-batches after which
 * progress is reported, the time limit checked and the state checkpointed when due;
 * the target is checked after whole rounds only, so where a run to a target stops
 * does not depend on timing.  Replica r always draws from stream (seed, r) and the
 * statistics are integer sums, so the result depends only on how many replicas ran:
 * not on the sub-batches, nor on where a run was interrupted and resumed.
 * The throughput is not known at first, and one replica may be a vacancy's few steps or a
 * gas box's millions of attempts, so the first sub-batch is FIRST_PART replicas and each
 * next one at most GROWTH times the last, until the measured rate says PART_SECONDS;
 * none is over 1/PARTS of a round.  So progress, the time limit and a signal are answered
 * within about PART_SECONDS at any size (unless one replica alone takes longer), and the
 * sizes never change a result.  A phase that follows work done (a resumed run, or the
 * companion box after the run's box) starts from that work's rate instead: its replicas
 * over its compute time (a lower bound where the box is now smaller), the first part a
 * GROWTH-th of PART_SECONDS of it.  A time limit stops a phase only once its estimate
 * succeeds (the msd and gas fits fail with too few replicas), so a limit shorter
 * than those replicas take ends where they are done, not in an error.
 * A time limit covers the whole run, its companion box included: the companion costs
 * about as much as the run's box or less (msd and the alloy: m times the replicas, each
 * running 1/m of the box's vacancy steps; the gas: as many replicas, the same run time
 * in a box of half the edge, an eighth of the attempts in 3D), so the box stops at
 * COMPANION_SHARE of the limit and the companion at the limit (it used to run all of
 * the box's replicas after the limit had passed: an msd run with --time-limit 3 ended
 * after 8.8 s, the alloy's after 9.5 s). */
#define PARTS 8
#define FIRST_PART 1
#define GROWTH 4
#define PART_SECONDS 2.0
#define COMPANION_SHARE 0.5
#define LIMIT_REACH 1.1         /* a part aimed at the limit ends just past it */
#define PROGRESS_ESTIMATE_SECONDS 1.0   /* progress's f is at most this old */
#define DEFAULT_CHECKPOINT_EVERY 60.0

typedef struct {
    const hop_params *run;      /* the run's parameters (checkpoint, interrupt, progress) */
    const hop_params *p;        /* this phase's: round size, target, time limit */
    hop_checkpoint_state *ck;   /* the run's state, saved in checkpoints */
    uint64_t *done;             /* replicas finished in this phase (within ck) */
    double t0, last_save, compute0;
    double rate;                /* replicas per second in the last sub-batch; 0 unknown */
    uint64_t last_part;         /* replicas in the largest sub-batch yet; 0 none */
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
    k->last_part = 0;
    if (ck->compute_s > 0)
        k->rate = (double)(ck->done[0] + ck->done[1]) / ck->compute_s;
}

/* Replicas of the next sub-batch before the round's end: FIRST_PART first (or a
 * GROWTH-th of what the earlier work's rate does in PART_SECONDS), then growing at most
 * GROWTH-fold on the largest yet towards what the last sub-batch's rate does in
 * PART_SECONDS, within 1/PARTS of a round; with a time limit `left` s ahead, no longer
 * than LIMIT_REACH times what the rate does in those seconds, so that the phase ends
 * near its limit rather than up to PART_SECONDS after it. */
static uint64_t part_size(const run_rounds *k, uint64_t round, double left)
{
    uint64_t part = (round + PARTS - 1) / PARTS;
    const uint64_t grown = k->last_part * GROWTH;
    if (k->last_part == 0) {
        const double prior = k->rate * PART_SECONDS / GROWTH;
        if (prior < (double)part)
            part = prior > FIRST_PART ? (uint64_t)prior : FIRST_PART;
    } else if (grown < part)
        part = grown;
    if (k->rate > 0 && k->rate * PART_SECONDS < (double)part)
        part = (uint64_t)(k->rate * PART_SECONDS);
    if (k->rate > 0 && left > 0 && k->rate * left * LIMIT_REACH < (double)part)
        part = (uint64_t)(k->rate * left * LIMIT_REACH);
    return part < FIRST_PART ? FIRST_PART : part;
}

/* The estimate of a phase's statistics st into r; quiet: an estimate in between,
 * whose failure (too few replicas yet) is not an error. */
static hop_status phase_estimate(const hop_params *p, const hop_estimator_ops *e,
                                 const void *work, const hop_model_stats *st, int quiet,
                                 hop_result *r)
{
    const int was = hop_error_silence(quiet);
    const hop_status s = e->estimate(p, work, st, r);
    hop_error_silence(was);
    return s;
}

/* A phase's estimate of its statistics as they stand, made only when a rule reads it:
 * the time limit (once the limit has passed), the target (at a round's end), the
 * progress (at most once every PROGRESS_ESTIMATE_SECONDS, where it shows f) and the
 * phase's end.  An estimate is fits (corr: one per jump type and the chain of shells;
 * serial), so one after every sub-batch cost hcp-mg's corr (24 jump types) 16 needless
 * estimates in a 1-s run with --time-limit, 2.3 % of its instructions on one thread
 * (cachegrind; more of its time with threads), mostly in its first short sub-batches.
 * The estimate is a function of the statistics alone (models/model.h: it replaces
 * what it fills), so when and how often it is made never changes a result. */
typedef struct {
    const hop_params *p;
    const hop_estimator_ops *e;
    const void *work;
    const hop_model_stats *st;
    hop_result *r;
    int fresh;          /* r holds the estimate of st as it stands: 1, or its failure: 0;
                           -1: not made since st last changed */
    int held;           /* r holds the phase's latest estimate (perhaps of fewer replicas) */
    double made_at;     /* wall seconds of the latest (the phase's start before one) */
} phase_estimates;

/* Whether the estimate of st as it stands succeeded, made now if it is not yet (quiet:
 * too few replicas yet is not an error). */
static int estimate_now(phase_estimates *x)
{
    if (x->fresh < 0) {
        x->fresh = phase_estimate(x->p, x->e, x->work, x->st, 1, x->r) == HOP_OK;
        x->held = x->fresh;
        x->made_at = hop_wall_seconds();
    }
    return x->fresh;
}

/* Whether `done` replicas are a count a plain run of p accepts (resolve's minimum: 100
 * per jump type for corr): a corr run stops at its time limit only then, so that it is
 * exactly a plain run of the count it stopped at (a loaded machine stopped fcc's corr
 * at 341 replicas, which --replicas refuses: at least 1200); corr replicas are short
 * walks, so this costs milliseconds.  A box (msd, gas, alloy) stops at its first
 * estimate past the limit instead: its minimum, 50 replicas per time point, could take
 * the alloy 20 s, and the limit is the user's. */
static int plain_count(const hop_params *p, uint64_t done)
{
    hop_params q = *p;
    char msg[256];
    q.replicas = done;
    q.target_error = q.time_limit = 0;
    return hop_params_resolve(&q, msg, sizeof msg) == HOP_OK;
}

/* Replicas of the next sub-batch, or 0 when the phase is over (r->stopped_by set). */
static uint64_t next_part(run_rounds *k, hop_result *r, phase_estimates *x)
{
    const hop_params *p = k->p;
    const uint64_t round = p->replicas, done = *k->done, in_round = done % round;
    uint64_t part;
    const double elapsed = hop_wall_seconds() - k->t0;
    if (done > 0) {
        if (p->time_limit > 0 && elapsed >= p->time_limit
            && (p->estimator != HOP_EST_CORR || plain_count(p, done)) && estimate_now(x)) {
            r->stopped_by = "time limit";
            return 0;
        }
        if (in_round == 0) {
            if (!(p->target_error > 0)) {
                r->stopped_by = "replicas";
                return 0;
            }
            if (estimate_now(x) && r->f.sigma <= p->target_error) {
                r->stopped_by = "target";
                return 0;
            }
            if (done + round > MAX_REPLICAS) {
                r->stopped_by = "replicas";     /* the largest run hop accepts */
                return 0;
            }
        }
    }
    part = part_size(k, round, p->time_limit > 0 ? p->time_limit - elapsed : 0);
    return part < round - in_round ? part : round - in_round;
}

/* next_part as rank 0 decides it (its clock and throughput), on every rank. */
static uint64_t next_part_agreed(run_rounds *k, hop_result *r, phase_estimates *x)
{
    static const char *const why[] = {"replicas", "target", "time limit"};
    uint64_t v[2];
    v[0] = next_part(k, r, x);
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
    if (n > k->last_part)       /* a round's short last part does not restart the growth */
        k->last_part = n;
    if (v[0] || v[1])
        s = rounds_save(k);
    return s == HOP_OK && v[0] ? HOP_ERR_INTERRUPTED : s;
}

/* Progress of phase `phase`: as it starts (starting = 1, next = 0: its first sub-batch is
 * not timed) or after a sub-batch, with the next one's (`next` replicas) expected
 * length, and the phase's latest estimate, made now if the progress shows f and the
 * latest is PROGRESS_ESTIMATE_SECONDS old. */
static void report_progress(const run_rounds *k, phase_estimates *x, uint64_t steps,
                            uint64_t next, int phase, int starting)
{
    const hop_params *p = k->p;
    const hop_result *r = x->r;
    hop_progress g;
    if (!k->run->progress)
        return;
    if (k->run->progress_f && !starting
        && hop_wall_seconds() - x->made_at >= PROGRESS_ESTIMATE_SECONDS)
        estimate_now(x);
    g.phase = phase;
    g.box_size = p->size;
    g.starting = starting;
    g.replicas_done = *k->done;
    /* the companion's replicas are the most it runs, also under a time limit */
    g.replicas_planned = phase == 0 && (p->target_error > 0 || p->time_limit > 0)
                         ? 0 : p->replicas;
    g.f = x->held ? r->f.value : NAN;
    g.f_sigma = x->held ? r->f.sigma : NAN;
    g.elapsed_s = hop_wall_seconds() - k->t0;
    g.steps_per_s = g.elapsed_s > 0 ? (double)steps / g.elapsed_s : 0;
    g.next_part_s = k->rate > 0 ? (double)next / k->rate : 0;
    k->run->progress(&g, k->run->progress_user);
}

/* Vacancy steps (the gas: attempts) in st, for the progress rate. */
static uint64_t stats_steps(const hop_model_stats *st)
{
    return st->counts ? hop_corr_counts_steps(st->counts) : st->acc->vacancy_steps;
}

/* Zeroed statistics shaped like `like` (one rank's slice); HOP_ERR_NOMEM reported. */
static hop_status stats_alloc_like(hop_model_stats *mine, const hop_model_stats *like)
{
    memset(mine, 0, sizeof *mine);
    if (like->counts) {
        mine->counts = hop_corr_counts_alloc(like->counts->n_types, like->counts->n_shells);
        return mine->counts ? HOP_OK : hop_error(HOP_ERR_NOMEM, "out of memory");
    }
    mine->acc = hop_msd_accum_alloc(like->acc->n_times, like->acc->n_series - HOP_SERIES_GROUP0);
    return mine->acc ? HOP_OK : hop_error(HOP_ERR_NOMEM, "out of memory");
}

static void stats_free(hop_model_stats *st)
{
    free(st->counts);
    hop_msd_accum_free(st->acc);
}

/* Every rank's slice summed (integers, so in any order) and added to all. */
static void stats_sum_ranks(hop_model_stats *all, hop_model_stats *mine)
{
    if (mine->counts) {
        hop_mpi_sum_u64(mine->counts->tally,
                        (size_t)HOP_CORR_SLOTS(mine->counts->n_types, mine->counts->n_shells));
        hop_corr_counts_merge(all->counts, mine->counts);
    } else {
        hop_mpi_sum_msd(mine->acc);
        hop_msd_accum_merge(all->acc, mine->acc);
    }
}

/* Replicas [first, first + n) added to st: this rank's slice run here by the estimator,
 * then the slices' statistics summed across ranks.  *batches: device batches of all
 * ranks. */
static hop_status run_part(const hop_params *p, const hop_estimator_ops *e, const void *work,
                           uint64_t first, uint64_t n, hop_model_stats *st, int *batches,
                           int *threads)
{
    hop_model_stats slice, *mine = st;
    uint64_t lo, hi, all_batches;
    hop_status s = HOP_OK;
    hop_mpi_slice(first, n, &lo, &hi);
    if (hop_mpi_size() > 1) {
        mine = &slice;
        s = stats_alloc_like(mine, st);
    }
    *batches = 0;
    if (s == HOP_OK && hi > lo)
        s = e->run_part(p, work, lo, hi - lo, mine, batches, threads);
    if ((s = agreed(s)) == HOP_OK && mine != st)
        stats_sum_ranks(st, mine);
    all_batches = (uint64_t)*batches;
    hop_mpi_sum_u64(&all_batches, 1);
    *batches = (int)all_batches;
    if (mine != st)
        stats_free(mine);
    return s;
}

/* Phase `phase` of a run (the run's parameters `run`): p's box (phase 1: the companion's)
 * over replicas from `first`, in rounds as p says, statistics in ck's phase; the
 * estimate in r (the total ran in r->replicas).  fit_failed NULL: a failed final
 * estimate is the phase's error; else it is quiet, sets *fit_failed and the phase
 * succeeds (the companion box: its failure leaves the run's results, unbounded). */
static hop_status run_phase(const hop_params *run, const hop_params *p, int phase,
                            uint64_t first, hop_checkpoint_state *ck, hop_result *r,
                            int *fit_failed)
{
    const hop_estimator_ops *e = hop_model_estimator(p);
    hop_model_stats st;
    void *work = NULL;
    run_rounds k;
    phase_estimates x;
    uint64_t n;
    hop_status s = agreed(e->work_alloc(p, &work));
    st.counts = ck->counts;
    st.acc = ck->acc[phase];
    rounds_begin(&k, run, p, ck, phase);
    x.p = p;
    x.e = e;
    x.work = work;
    x.st = &st;
    x.r = r;
    x.fresh = -1;
    x.held = 0;
    x.made_at = k.t0;
    n = s == HOP_OK ? next_part_agreed(&k, r, &x) : 0;
    if (n > 0)
        report_progress(&k, &x, stats_steps(&st), 0, phase, 1);
    while (s == HOP_OK && n > 0) {
        const double t = hop_wall_seconds();
        int batches = 0;
        s = run_part(p, e, work, first + *k.done, n, &st, &batches, &r->threads);
        if (s != HOP_OK)
            break;
        s = rounds_after(&k, n, batches, hop_wall_seconds() - t);
        x.fresh = -1;               /* st has changed */
        n = s == HOP_OK ? next_part_agreed(&k, r, &x) : 0;
        report_progress(&k, &x, stats_steps(&st), n, phase, 0);
    }
    /* the final estimate must succeed (one made for a stop rule is it; a failed one is
     * made again, to say why) */
    if (s == HOP_OK && x.fresh != 1
        && (s = phase_estimate(p, e, work, &st, fit_failed != NULL, r)) != HOP_OK
        && fit_failed) {
        *fit_failed = 1;            /* the rounds ended well; only the estimate failed */
        s = HOP_OK;
    }
    e->work_free(work);
    return s;
}

/* Starts phase 1 for a phase 0 of `replicas` replicas: its saved statistics stand only
 * if they were made for that many (a resumed run may have added replicas since). */
static void companion_begin(hop_checkpoint_state *ck, uint64_t replicas)
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

/* Phase 1: the companion box q over m times the replicas phase 0 ran (R; streams
 * [R, R + mR), independent of the main run's; hop_model_companion_replicas), or fewer
 * where the run's time limit (`time_left` s of it; 0: none) ends it first; the
 * estimator bounds r's biases from it.  Where its estimate fails (a half-size gas box
 * frozen by strong coupling), r's results stand, their biases unbounded, and
 * r->check_failed_size says why (the verdict). */
static hop_status run_companion(const hop_params *p, hop_params *q, const hop_estimator_ops *e,
                                hop_checkpoint_state *ck, double time_left, hop_result *r)
{
    hop_result check;
    hop_status s;
    int failed = 0;
    memset(&check, 0, sizeof check);
    companion_begin(ck, r->replicas);
    q->replicas = hop_model_companion_replicas(p, r->replicas);
    q->target_error = 0;
    q->time_limit = p->time_limit > 0 ? (time_left > 1e-9 ? time_left : 1e-9) : 0;
    s = run_phase(p, q, 1, r->replicas, ck, &check, &failed);
    if (s == HOP_OK)
        s = state_save(p, ck);
    if (s == HOP_OK && failed) {
        r->check_failed_size = q->size;     /* e.g. a frozen half-size gas box */
        if (e->bias_unbounded)
            e->bias_unbounded(r);
    } else if (s == HOP_OK) {
        r->check_size = q->size;
        r->check_replicas = check.replicas;
        r->check_box_sites = check.box_sites;
        r->f_check = check.f;
        e->bias_from_companion(r, &check);
        r->vacancy_steps += check.vacancy_steps;
        r->tracer_jumps += check.tracer_jumps;
    }
    free(check.msd);
    return s;
}

/* A run of resolved p: phase 0, then, where the estimator has a box and the model a
 * finite-size effect, the companion box, the two sharing a time limit; the state saved
 * at the end. */
static hop_status run_phases(const hop_params *p, hop_checkpoint_state *ck, hop_result *r)
{
    const hop_model *m = hop_model_get(p->model);
    const hop_estimator_ops *e = hop_model_estimator(p);
    const double t0 = hop_wall_seconds();
    hop_params q = *p, box = *p;
    const hop_companion c = e->bias_from_companion ? m->companion(p, &q)
                                                   : HOP_COMPANION_NOT_NEEDED;
    hop_status s;
    if (c == HOP_COMPANION_RUN)
        box.time_limit *= COMPANION_SHARE;
    if ((s = run_phase(p, &box, 0, 0, ck, r, NULL)) != HOP_OK)
        return s;
    if (c == HOP_COMPANION_RUN)
        return run_companion(p, &q, e, ck, p->time_limit - (hop_wall_seconds() - t0), r);
    if (c == HOP_COMPANION_SKIPPED && e->bias_unbounded)
        e->bias_unbounded(r);       /* no companion box: the bias is not bounded */
    return state_save(p, ck);
}

/* Rank 0's state of a run, on every rank. */
static void state_bcast(hop_checkpoint_state *ck)
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
    if (ck->counts) {
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
        state_bcast(ck);
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
        s = run_phases(&p, &ck, r);
    r->wall_s = ck.compute_s;
    r->batches = ck.batches;
    hop_run_state_free(&ck);
    if (s != HOP_OK) {
        hop_result_free(r);
        return s;
    }
    r->steps_per_s = r->wall_s > 0 ? (double)r->vacancy_steps / r->wall_s : 0;
    hop_model_get(p.model)->apply(r);
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

/* test_rounds.c: runs in rounds (host/run/run.c): --target-error, --time-limit and the
 * progress callback, of the run's box and of its companion box (and its line from `hop
 * run`).  A run's statistics are integer sums over replicas, so a run that
 * went in rounds must give the bits of a plain run over the same replicas; a run to a
 * target stops after the first whole round with sigma(f) <= target. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "run/checkpoint.h"
#include "run/state.h"
#include "dir_helper.h"
#include "proc_helper.h"
#include "run_helper.h"

static void same_bits(const hop_result *a, const hop_result *b, const char *what)
{
    cr_assert(memcmp(&a->f, &b->f, sizeof a->f) == 0, "%s: f %.17g vs %.17g", what, a->f.value,
              b->f.value);
    cr_assert_eq(a->replicas, b->replicas, "%s: replicas", what);
    cr_assert_eq(a->vacancy_steps, b->vacancy_steps, "%s: vacancy steps", what);
}

Test(rounds, target_error_is_a_plain_run_of_whole_rounds)
{
    static const int estimators[] = {HOP_EST_CORR, HOP_EST_MSD};
    for (int e = 0; e < 2; ++e) {
        const uint64_t round = estimators[e] == HOP_EST_CORR ? 20000 : 2000;
        hop_params p = hop_test_params("sc", estimators[e], HOP_MODEL_VACANCY, round, 3);
        hop_result *first = hop_test_run(&p), *to_target, *plain;
        const double target = first->f.sigma * 0.6;   /* needs about three rounds */
        p.target_error = target;
        to_target = hop_test_run(&p);
        cr_assert_str_eq(to_target->stopped_by, "target");
        cr_assert_leq(to_target->f.sigma, target);
        cr_assert_eq(to_target->replicas % round, 0, "whole rounds: %llu",
                     (unsigned long long)to_target->replicas);
        cr_assert_gt(to_target->replicas, round);
        p.target_error = 0;
        p.replicas = to_target->replicas;
        plain = hop_test_run(&p);
        cr_assert_str_eq(plain->stopped_by, "replicas");
        same_bits(to_target, plain, estimators[e] == HOP_EST_CORR ? "corr" : "msd");
        /* and one round fewer would not have reached the target */
        p.replicas = to_target->replicas - round;
        {
            hop_result *less = hop_test_run(&p);
            cr_assert_gt(less->f.sigma, target, "stopped a round late");
            hop_result_free(less);
        }
        hop_result_free(first);
        hop_result_free(to_target);
        hop_result_free(plain);
    }
}

typedef struct {
    int calls, starts;
    uint64_t last_done;
    int increasing;
    double last_f;
    int estimated_reports;      /* reports after a sub-batch whose f is a number */
} seen;

/* A run's progress (the run's box only): one call as it starts, first, with nothing
 * done and no length known, then one after each sub-batch with more done. */
static void count_progress(const hop_progress *g, void *user)
{
    seen *s = user;
    cr_assert_eq(g->phase, 0, "a corr run has no companion box");
    if (g->starting) {
        cr_assert_eq(s->calls, 0, "the start is reported first");
        cr_assert(g->replicas_done == 0 && g->next_part_s == 0);
        ++s->starts;
    } else {
        s->increasing &= g->replicas_done > s->last_done;
        s->last_done = g->replicas_done;
        s->last_f = g->f;
        s->estimated_reports += !isnan(g->f);
    }
    ++s->calls;
}

/* The checkpoint at path, loaded for the run of p: its replicas done and vacancy
 * steps must be those of the result r (the state saved is the state reported). */
static void assert_checkpoint_holds(const char *path, const hop_params *p, const hop_result *r)
{
    hop_params q = *p;
    hop_checkpoint_state ck;
    char msg[256];
    cr_assert_eq(hop_params_resolve(&q, msg, sizeof msg), HOP_OK, "%s", msg);
    cr_assert_eq(hop_run_state_alloc(&q, &ck), HOP_OK);
    cr_assert_eq(hop_checkpoint_load(path, &q, &ck, msg, sizeof msg), HOP_OK, "%s", msg);
    cr_assert_eq(ck.done[0], r->replicas, "the checkpoint holds %llu replicas, the result %llu",
                 (unsigned long long)ck.done[0], (unsigned long long)r->replicas);
    cr_assert_eq(hop_corr_counts_steps(ck.counts), r->vacancy_steps,
                 "the checkpoint's statistics are not the result's");
    hop_run_state_free(&ck);
}

/* Where a time limit stops a run depends on the machine's speed (fcc stopped at 341
 * replicas at load 15, before a corr run waited for a count --replicas accepts), so
 * nothing here asserts a count: the run stops between sub-batches (the last progress
 * report is its end), its checkpoint holds exactly the state of its result, and a plain
 * run of the count it stopped at gives its bits. */
Test(rounds, time_limit_stops_cleanly_and_progress_is_reported)
{
    hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_VACANCY, 4000000, 5);
    seen s = {0, 0, 0, 1, NAN, 0};
    hop_result *r, *plain;
    char dir[64], checkpoint[128];
    make_dir(dir, sizeof dir);
    snprintf(checkpoint, sizeof checkpoint, "%s/run.ckpt", dir);
    p.time_limit = 0.3;
    p.checkpoint = checkpoint;
    p.progress = count_progress;
    p.progress_user = &s;
    r = hop_test_run(&p);
    cr_assert_str_eq(r->stopped_by, "time limit");
    cr_assert_lt(r->replicas, 4000000u);
    cr_assert_gt(s.calls, 1);
    cr_assert_eq(s.starts, 1);
    cr_assert(s.increasing, "replicas done must grow at every report");
    cr_assert_eq(s.last_done, r->replicas, "the last report is the end");
    cr_assert(memcmp(&s.last_f, &r->f.value, sizeof s.last_f) == 0,
              "the last report shows the estimate the limit stopped at: %.17g vs %.17g",
              s.last_f, r->f.value);
    assert_checkpoint_holds(checkpoint, &p, r);
    p.time_limit = 0;
    p.progress = NULL;
    p.replicas = r->replicas;
    p.checkpoint = NULL;
    plain = hop_test_run(&p);
    same_bits(r, plain, "time-limited");
    hop_result_free(r);
    hop_result_free(plain);
    remove_dir(dir);
}

/* A run whose progress does not show f (progress_f 0: `hop run --quiet`, a scan's
 * points) and that has no target or time limit makes no estimate before its end (an
 * estimate is fits: 16 of them were 2.3 % of a 1-s hcp-mg run, host/run/run.c): every
 * report has f NaN, and the result is a plain run's. */
Test(rounds, a_progress_without_f_costs_no_estimates)
{
    hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_VACANCY, 40000, 5);
    seen s = {0, 0, 0, 1, NAN, 0};
    hop_result *r, *plain;
    p.progress = count_progress;
    p.progress_user = &s;
    p.progress_f = 0;
    r = hop_test_run(&p);
    cr_assert_gt(s.calls, 2, "several sub-batches (1, 4, ... replicas first)");
    cr_assert_eq(s.estimated_reports, 0, "an estimate was made for a progress without f");
    cr_assert_eq(s.last_done, r->replicas);
    p.progress = NULL;
    plain = hop_test_run(&p);
    same_bits(r, plain, "progress without f");
    hop_result_free(r);
    hop_result_free(plain);
}

/* However short the limit, a corr run stops with a count that --replicas accepts (fcc:
 * 100 per jump type, 1200), so it is exactly a plain run of that count ([users] audit:
 * on a loaded machine the test above stopped at 341 replicas, which a plain run
 * refuses). */
Test(rounds, a_time_limited_run_is_a_plain_run_of_its_count)
{
    hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_VACANCY, 4000000, 5);
    hop_result *r, *plain;
    p.time_limit = 1e-6;
    r = hop_test_run(&p);
    cr_assert_str_eq(r->stopped_by, "time limit");
    cr_assert_geq(r->replicas, 1200u);
    p.time_limit = 0;
    p.replicas = r->replicas;
    plain = hop_test_run(&p);
    same_bits(r, plain, "time-limited");
    hop_result_free(r);
    hop_result_free(plain);
}

Test(rounds, bad_limits_are_refused)
{
    hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_VACANCY, 0, 1);
    char msg[256];
    p.target_error = 1.5;
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_ERR_INVAL);
    cr_assert(strstr(msg, "--target-error") != NULL, "%s", msg);
    p.target_error = 0;
    p.time_limit = -1;
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_ERR_INVAL);
    cr_assert(strstr(msg, "--time-limit") != NULL, "%s", msg);
}

/* The msd estimator's companion box ([users]: it had no progress): its phase is reported
 * as the run's is, starting once after the run's box has ended, with its own edge and
 * its replica count planned (on sc, half the edge: 4 times the run's, each an eighth of
 * the vacancy steps, models/estimators.h), and ending with all of them done. */
typedef struct {
    int starts[2], reports[2];
    uint64_t done[2];
    int order_ok, companion_size;
} phases_seen;

static void phase_progress(const hop_progress *g, void *user)
{
    phases_seen *s = user;
    const int ph = g->phase;
    cr_assert(ph == 0 || ph == 1);
    s->order_ok &= ph == 0 ? s->starts[1] == 0 : s->starts[0] == 1;
    if (g->starting) {
        s->order_ok &= s->reports[ph] == 0 && g->replicas_done == 0;
        ++s->starts[ph];
        if (ph == 1) {
            s->companion_size = g->box_size;
            cr_assert_eq(g->replicas_planned, 4 * s->done[0],
                         "the companion runs 4 times the run's replicas");
        }
        return;
    }
    s->order_ok &= g->replicas_done > s->done[ph];
    s->done[ph] = g->replicas_done;
    ++s->reports[ph];
}

Test(rounds, the_companion_box_reports_its_progress)
{
    hop_params p = hop_test_params("sc", HOP_EST_MSD, HOP_MODEL_VACANCY, 20000, 3);
    phases_seen s;
    hop_result *r;
    memset(&s, 0, sizeof s);
    s.order_ok = 1;
    p.progress = phase_progress;
    p.progress_user = &s;
    r = hop_test_run(&p);
    cr_assert_gt(r->check_size, 0, "the run has a companion box");
    cr_assert_eq(s.starts[0], 1);
    cr_assert_eq(s.starts[1], 1);
    cr_assert_gt(s.reports[1], 1, "the companion box reported after its sub-batches");
    cr_assert(s.order_ok, "each phase starts once, before its reports, the run's box first, "
              "replicas done growing");
    cr_assert_eq(s.companion_size, r->check_size);
    cr_assert_eq(s.done[0], 20000);
    /* the companion (half the edge, an eighth of the vacancy steps) runs 4 times the
     * replicas (models/estimators.h) */
    cr_assert_eq(s.done[1], 4 * 20000);
    hop_result_free(r);
}

/* As the user sees it: `hop run` announces the companion box on a line of its own. */
Test(rounds, hop_run_announces_the_companion_box)
{
    hop_proc *h = hop_run_list("run", "--backend", "cpu", "--lattice", "sc", "--estimator",
                               "msd", "--replicas", "2000", "--threads", "1", NULL);
    cr_assert_eq(h->status, 0, "%s", h->err);
    cr_assert(strstr(h->err, "\nhop: companion box of 4 cells per edge, 8000 replicas, for "
                     "the finite-size bias ...\n"), "stderr:\n%s", h->err);
    h = hop_run_list("run", "--backend", "cpu", "--lattice", "sc", "--estimator", "msd",
                     "--replicas", "2000", "--threads", "1", "--quiet", NULL);
    cr_assert_eq(h->status, 0, "%s", h->err);
    cr_assert(!strstr(h->err, "companion box"), "--quiet: %s", h->err);
}

/* The gas answers at once ([users]: its first sub-batch was its whole default run of
 * 4096 replicas, 2.6 s on one core, so a time limit, progress and a signal acted only
 * after it).  Each replica is a whole box, so the first sub-batch is one replica and
 * each next one at most 4 times the largest before and announced at most 2 s long
 * (host/run/run.c); a time limit then stops the box at the first sub-batch that ends
 * past its share of it (BOX_SHARE: the companion box takes the rest) with an estimate
 * (the fit fails with too few replicas): every earlier report is before that or
 * without an estimate.  So the run ends within the limit plus one sub-batch of at most
 * about 2 s. */
#define BOX_SHARE 0.5       /* host/run/run.c's COMPANION_SHARE */
typedef struct {
    int reports, grows_ok, announced_ok, stop_ok, stop_due;
    uint64_t done, largest, first;
    double limit;
} gas_parts;

static void gas_part_progress(const hop_progress *g, void *user)
{
    gas_parts *s = user;
    uint64_t part;
    if (g->starting || g->phase != 0)
        return;
    part = g->replicas_done - s->done;
    if (s->reports == 0)
        s->first = part;
    s->grows_ok &= s->reports == 0 || part <= 4 * s->largest;
    s->announced_ok &= g->next_part_s <= 2.0;
    s->stop_ok &= !s->stop_due;     /* no sub-batch after one that met the stop rule */
    s->stop_due = g->elapsed_s >= s->limit && !isnan(g->f);
    s->largest = part > s->largest ? part : s->largest;
    s->done = g->replicas_done;
    ++s->reports;
}

Test(rounds, a_gas_run_answers_its_time_limit_within_a_sub_batch)
{
    hop_params p = hop_test_params("sc", HOP_EST_MSD, HOP_MODEL_GAS, 1000000, 7);
    gas_parts s;
    hop_result *r;
    memset(&s, 0, sizeof s);
    s.grows_ok = s.announced_ok = s.stop_ok = 1;
    s.limit = 0.3 * BOX_SHARE;
    p.c = 0.5;
    p.n_times = 8;
    p.time_limit = 0.3;
    p.progress = gas_part_progress;
    p.progress_user = &s;
    r = hop_test_run(&p);
    cr_assert_str_eq(r->stopped_by, "time limit");
    cr_assert_eq(s.first, 1, "the first sub-batch is one replica, not %llu",
                 (unsigned long long)s.first);
    cr_assert(s.grows_ok, "a sub-batch grew more than 4-fold");
    cr_assert(s.announced_ok, "a sub-batch was announced longer than 2 s");
    cr_assert(s.stop_ok, "the run went on past the limit with an estimate in hand");
    cr_assert(s.stop_due, "the last sub-batch ended past the limit with an estimate");
    cr_assert_eq(s.done, r->replicas);
    cr_assert_lt(r->replicas, 1000000u);
    hop_result_free(r);
}

/* The companion box under a time limit ([users]: it ran all of the box's replicas
 * after the limit, so an msd run with --time-limit 3 ended after 8.8 s): the box stops
 * at the first sub-batch past BOX_SHARE of the limit with an estimate, the companion at
 * the first past the limit (the box's seconds and its own) or at the box's replica
 * count, whichever comes first, never later. */
typedef struct {
    int stop_ok[2], due[2];
    uint64_t done[2];
    double box_s, limit;
} shared_limit;

/* The run's companion clock starts before the box's first report and ends after its
 * last, so the run's own stop rule is met no later than the one judged here from the
 * reports. */
static void shared_limit_progress(const hop_progress *g, void *user)
{
    shared_limit *s = user;
    const int ph = g->phase;
    if (g->starting)
        return;
    s->stop_ok[ph] &= !s->due[ph] && g->replicas_done > s->done[ph];
    s->done[ph] = g->replicas_done;
    if (ph == 0)
        s->box_s = g->elapsed_s;
    s->due[ph] = !isnan(g->f) && (ph == 0 ? g->elapsed_s >= BOX_SHARE * s->limit
                                          : s->box_s + g->elapsed_s >= s->limit);
}

Test(rounds, a_time_limit_is_shared_by_the_box_and_its_companion)
{
    hop_params p = hop_test_params("sc", HOP_EST_MSD, HOP_MODEL_VACANCY, 100000000, 3);
    shared_limit s;
    hop_result *r;
    memset(&s, 0, sizeof s);
    s.stop_ok[0] = s.stop_ok[1] = 1;
    s.limit = 0.6;
    p.n_times = 8;
    p.time_limit = s.limit;
    p.progress = shared_limit_progress;
    p.progress_user = &s;
    r = hop_test_run(&p);
    cr_assert_str_eq(r->stopped_by, "time limit");
    cr_assert_gt(r->check_size, 0, "the companion box ran");
    cr_assert(s.stop_ok[0], "the box went on past its share of the limit with an estimate");
    cr_assert(s.due[0], "the box's last sub-batch ended past its share with an estimate");
    cr_assert(s.stop_ok[1], "the companion went on past the limit with an estimate");
    cr_assert_eq(s.done[0], r->replicas);
    cr_assert_leq(s.done[1], 4 * s.done[0], "at most 4 times the box's replicas (sc)");
    hop_result_free(r);
}

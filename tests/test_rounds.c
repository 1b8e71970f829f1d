/* test_rounds.c: runs in rounds (host/run/run.c): --target-error, --time-limit and the
 * progress callback.  A run's statistics are integer sums over replicas, so a run that
 * went in rounds must give the bits of a plain run over the same replicas; a run to a
 * target stops after the first whole round with sigma(f) <= target. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
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
    int calls;
    uint64_t last_done;
    int increasing;
} seen;

static void count_progress(const hop_progress *g, void *user)
{
    seen *s = user;
    s->increasing &= g->replicas_done > s->last_done;
    s->last_done = g->replicas_done;
    ++s->calls;
}

Test(rounds, time_limit_stops_cleanly_and_progress_is_reported)
{
    hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_VACANCY, 4000000, 5);
    seen s = {0, 0, 1};
    hop_result *r, *plain;
    p.time_limit = 0.3;
    p.progress = count_progress;
    p.progress_user = &s;
    r = hop_test_run(&p);
    cr_assert_str_eq(r->stopped_by, "time limit");
    cr_assert_lt(r->replicas, 4000000u);
    cr_assert_gt(s.calls, 0);
    cr_assert(s.increasing, "replicas done must grow at every report");
    cr_assert_eq(s.last_done, r->replicas, "the last report is the end");
    p.time_limit = 0;
    p.progress = NULL;
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

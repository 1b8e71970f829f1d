/* test_state.c: a run's state (host/run/state.c) has the shape its parameters ask for,
 * the one the backends fill and checkpoints write: corr gets tallies for every
 * (sublattice, jump) type and shell and no accumulators; msd and the lattice gas get two
 * accumulators (one per phase) with the series of the step code's rows (hop_msd_series,
 * hop_gas_series) and the run's time points; everything starts at zero; freeing a state
 * zeroes it, and freeing a zeroed state is safe. */
#include <criterion/criterion.h>
#include <string.h>
#include "hop/gas.h"
#include "hop/step.h"
#include "run/state.h"
#include "run_helper.h"

static hop_params params(const char *lattice, int estimator, int model)
{
    hop_params p = hop_test_params(lattice, estimator, model, 100000, 1);
    char msg[512];
    if (model == HOP_MODEL_GAS)
        p.c = 0.3;
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
    return p;
}

static void expect_zeroed(const hop_checkpoint_state *st)
{
    cr_assert_eq(st->phase, 0);
    cr_assert_eq(st->done[0] + st->done[1] + st->phase1_for, 0);
    cr_assert_eq(st->batches, 0);
    cr_assert_eq(st->compute_s, 0.0);
}

static void expect_accumulators(const hop_params *p, int series)
{
    hop_checkpoint_state st;
    cr_assert_eq(hop_run_state_alloc(p, &st), HOP_OK);
    expect_zeroed(&st);
    cr_assert_null(st.counts, "msd keeps no corr tallies");
    for (int k = 0; k < 2; ++k) {
        const hop_msd_accum *a = st.acc[k];
        cr_assert_not_null(a, "phase %d", k);
        cr_assert_eq(a->n_series, series, "%s phase %d", p->lattice->name, k);
        cr_assert_eq(a->n_times, p->n_times);
        cr_assert_eq(a->replicas + a->vacancy_steps + a->tracer_jumps, 0);
        for (int e = 0; e < hop_msd_entries(series, p->n_times); ++e)
            cr_assert(a->entry[e] == 0, "phase %d entry %d", k, e);
    }
    cr_assert_neq(st.acc[0], st.acc[1], "each phase its own accumulator");
    hop_run_state_free(&st);
    cr_assert_null(st.acc[0]);
    cr_assert_null(st.acc[1]);
}

Test(state, corr_has_a_tally_per_type_and_shell)
{
    const char *lattices[] = { "sc", "fcc", "hcp", "honeycomb" };
    for (int i = 0; i < 4; ++i) {
        const hop_params p = params(lattices[i], HOP_EST_CORR, HOP_MODEL_VACANCY);
        hop_checkpoint_state st;
        cr_assert_eq(hop_run_state_alloc(&p, &st), HOP_OK);
        expect_zeroed(&st);
        cr_assert_not_null(st.counts);
        cr_assert_null(st.acc[0]);
        cr_assert_null(st.acc[1]);
        cr_assert_eq(st.counts->n_types, p.lattice->n_sub * p.lattice->z, "%s",
                     lattices[i]);
        cr_assert_eq(st.counts->n_shells, p.shells);
        for (int s = 0; s < HOP_CORR_SLOTS(st.counts->n_types, st.counts->n_shells); ++s)
            cr_assert_eq(st.counts->tally[s], 0);
        hop_run_state_free(&st);
        cr_assert_null(st.counts);
    }
}

Test(state, msd_series_are_the_step_rows)
{
    const char *lattices[] = { "sc", "hcp", "square" };
    for (int i = 0; i < 3; ++i) {
        const hop_params p = params(lattices[i], HOP_EST_MSD, HOP_MODEL_VACANCY);
        expect_accumulators(&p, hop_msd_series(p.lattice));
    }
}

Test(state, gas_series_are_the_gas_rows)
{
    const char *lattices[] = { "square", "sc", "hcp" };
    for (int i = 0; i < 3; ++i) {
        const hop_params p = params(lattices[i], HOP_EST_MSD, HOP_MODEL_GAS);
        expect_accumulators(&p, hop_gas_series(p.lattice));
    }
}

Test(state, freeing_a_zeroed_state_is_safe)
{
    hop_checkpoint_state st;
    memset(&st, 0, sizeof st);
    hop_run_state_free(&st);
    hop_run_state_free(&st);
    expect_zeroed(&st);
}

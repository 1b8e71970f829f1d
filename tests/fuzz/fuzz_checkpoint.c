/* fuzz_checkpoint.c: fuzz target for checkpoint files (host/run/checkpoint.c), the file a
 * user hands to `hop run --resume FILE`.
 *
 * The first input byte chooses how the rest is read:
 *   bits 0-6  the run the checkpoint is loaded for (value mod 3): corr on sc, msd on
 *             sc with --size 6 (its companion box of 3 cells gives a phase 1), the
 *             lattice gas on square (SETS below; the seed corpus holds checkpoints
 *             `hop run` wrote for each);
 *   bit 7     0: the rest is the whole file; 1: the rest is the file without its
 *             crc32 line, which the target appends, correct, so that mutations get past
 *             the crc32 check to the version, byte order, parameters, state line and
 *             payload size behind it.
 * The file is parsed from memory by hop_checkpoint_parse, into statistics allocated for
 * the run as `hop run` allocates them.  Besides the sanitizers' findings, properties:
 *   - a refused file gets HOP_ERR_INVAL and one line in msg naming the file;
 *   - an accepted one has a state a run can continue: phase 0 or 1, replicas done in
 *     phase 1 <= those phase 1 runs for <= those done in phase 0 <= --replicas (the
 *     sets have no --target-error), nothing of phase 1 in phase 0, batches and seconds
 *     >= 0 and finite;
 *   - round trip: the accepted state written again (hop_checkpoint_format, in memory)
 *     loads back to the same bytes: state line and statistics.
 * The seed corpus is tests/fuzz/corpus/checkpoint/, the dictionary checkpoint.dict. */
#include <math.h>
#include <string.h>
#include <zlib.h>
#include "fuzz.h"
#include "run/checkpoint.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "run/run.h"

#define NAME "input"
#define N_SETS 3

/* The runs, as `hop run` options; tests/fuzz/corpus/checkpoint/README.md has the
 * commands that made the seed checkpoints with the same options. */
static const char *const SETS[N_SETS][16] = {
    {"run", "--lattice", "sc", "--replicas", "12288", "--shells", "2", "--radius", "8",
     "--backend", "cpu", NULL},
    {"run", "--lattice", "sc", "--estimator", "msd", "--size", "6", "--times", "8",
     "--replicas", "12288", "--backend", "cpu", NULL},
    {"run", "--lattice", "square", "--model", "gas", "--c", "0.5", "--size", "4", "--times",
     "8", "--replicas", "12288", "--backend", "cpu", NULL},
};

/* The resolved parameters of set i, made once. */
static const hop_params *run_params(int i)
{
    static hop_params p[N_SETS];
    static int ready[N_SETS];
    if (!ready[i]) {
        static char words[N_SETS][16][32];
        char *argv[17], msg[512] = "";
        hop_run_options o;
        int argc = 0, done = 0;
        for (; SETS[i][argc]; ++argc)
            argv[argc] = strcpy(words[i][argc], SETS[i][argc]);
        argv[argc] = NULL;
        HOP_FUZZ_CHECK(hop_run_options_parse("run", argc, argv, &o, &done) == 0 && !done,
                       "parameter set %d does not parse", i);
        o.p.backend = hop_backend_choose(o.p.backend, NULL, 0);
        HOP_FUZZ_CHECK(hop_params_resolve(&o.p, msg, sizeof msg) == HOP_OK,
                       "parameter set %d does not resolve: %s", i, msg);
        p[i] = o.p;
        ready[i] = 1;
    }
    return &p[i];
}

/* Whether two states of a run of p hold the same bytes. */
static int same_state(const hop_params *p, const hop_checkpoint_state *a,
                      const hop_checkpoint_state *b)
{
    if (a->phase != b->phase || memcmp(a->done, b->done, sizeof a->done) != 0
        || a->phase1_for != b->phase1_for || a->batches != b->batches
        || memcmp(&a->compute_s, &b->compute_s, sizeof a->compute_s) != 0)
        return 0;
    if (p->estimator == HOP_EST_CORR)
        return memcmp(a->counts->tally, b->counts->tally,
                      (size_t)HOP_CORR_SLOTS(a->counts->n_types, a->counts->n_shells)
                          * sizeof(uint64_t)) == 0;
    for (int ph = 0; ph < 2; ++ph) {
        const hop_msd_accum *x = a->acc[ph], *y = b->acc[ph];
        if (x->replicas != y->replicas || x->vacancy_steps != y->vacancy_steps
            || x->tracer_jumps != y->tracer_jumps
            || memcmp(x->entry, y->entry,
                      (size_t)hop_msd_entries(x->n_series, x->n_times) * sizeof(hop_i128)) != 0)
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const hop_params *p;
    hop_checkpoint_state st, again;
    unsigned char *file;
    char msg[512] = "", msg2[512] = "", *text = NULL;
    size_t len, text_len = 0;
    hop_status s;
    if (size < 1)
        return 0;
    p = run_params((data[0] & 0x7f) % N_SETS);
    len = size - 1;
    HOP_FUZZ_CHECK((file = malloc(len + 16)) != NULL, "out of memory");
    if (len)
        memcpy(file, data + 1, len);
    if (data[0] & 0x80) {       /* the body: append its crc32 line */
        char trailer[16];
        snprintf(trailer, sizeof trailer, "crc32 %08lx\n",
                 crc32(crc32(0L, Z_NULL, 0), file, (uInt)len));
        memcpy(file + len, trailer, 15);
        len += 15;
    }
    HOP_FUZZ_CHECK(hop_run_state_alloc(p, &st) == HOP_OK, "out of memory");
    s = hop_checkpoint_parse(file, len, NAME, p, &st, msg, sizeof msg);
    free(file);
    if (s != HOP_OK) {
        HOP_FUZZ_CHECK(s == HOP_ERR_INVAL, "status %d (%s)", (int)s, msg);
        HOP_FUZZ_CHECK(strstr(msg, "'" NAME "'") != NULL, "message does not name the file: '%s'",
                       msg);
        HOP_FUZZ_CHECK(strchr(msg, '\n') == NULL, "message of more than one line: '%s'", msg);
        hop_run_state_free(&st);
        return 0;
    }
    /* A state a run can continue (host/run/run.c: rounds, msd_phase1_begin). */
    HOP_FUZZ_CHECK(st.phase == 0 || st.phase == 1, "phase %d", st.phase);
    HOP_FUZZ_CHECK(st.done[1] <= st.phase1_for && st.phase1_for <= st.done[0]
                       && st.done[0] <= p->replicas,
                   "done %llu %llu, phase 1 for %llu", (unsigned long long)st.done[0],
                   (unsigned long long)st.done[1], (unsigned long long)st.phase1_for);
    HOP_FUZZ_CHECK(st.phase == 1 || (st.done[1] == 0 && st.phase1_for == 0),
                   "phase 0 with phase 1 done %llu for %llu", (unsigned long long)st.done[1],
                   (unsigned long long)st.phase1_for);
    HOP_FUZZ_CHECK(st.batches >= 0 && isfinite(st.compute_s) && st.compute_s >= 0,
                   "batches %d, compute-s %g", st.batches, st.compute_s);
    /* Round trip through the writer. */
    HOP_FUZZ_CHECK(hop_checkpoint_format(p, &st, &text, &text_len) == HOP_OK, "out of memory");
    HOP_FUZZ_CHECK(hop_run_state_alloc(p, &again) == HOP_OK, "out of memory");
    s = hop_checkpoint_parse((const unsigned char *)text, text_len, NAME, p, &again, msg2,
                             sizeof msg2);
    HOP_FUZZ_CHECK(s == HOP_OK, "the state written again does not load: %s", msg2);
    HOP_FUZZ_CHECK(same_state(p, &st, &again), "the state written again loads back different");
    free(text);
    hop_run_state_free(&st);
    hop_run_state_free(&again);
    return 0;
}

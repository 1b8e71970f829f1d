/* test_reduce.c: the CUDA backend's reductions, run on the host.
 *
 * The kernels sum integer statistics in an order set by the hardware: corr outcomes
 * into per-block shared tallies merged with atomics, msd rows by entry and chunk with
 * 128-bit sums split into two 64-bit atomic additions with carry.  These tests do the
 * same arithmetic with the same shared functions (step.h, msd_reduce.h) in scrambled
 * orders and require the very bits the CPU backend's accumulators hold, which is what
 * makes the GPU results bit-identical to the CPU's. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "stats/corr.h"
#include "stats/msd.h"
#include "run/run.h"

#define SEED 77

/* corr: per-"block" flat tallies of consecutive replicas, merged in reverse order. */
Test(reduce, corr_tally_equals_cpu_counts)
{
    static const char *lattices[] = {"sc", "hcp", "diamond", "chain"};
    for (size_t n = 0; n < sizeof lattices / sizeof *lattices; ++n) {
        enum { REPLICAS = 4000, BLOCK = 333 };
        const hop_lattice *L = hop_lattice_find(lattices[n]);
        const int T = L->n_sub * L->z;
        hop_params p;
        hop_corr_params cp;
        double radius[HOP_MAX_SHELLS];
        hop_corr_counts *cpu, *gpu;
        static uint64_t block[(REPLICAS + BLOCK - 1) / BLOCK][HOP_CORR_SLOTS(24, HOP_MAX_SHELLS)];
        char msg[256];
        hop_params_default(&p);
        p.lattice = L;
        p.backend = HOP_BACKEND_CPU;
        cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
        hop_run_corr_params(&p, radius, &cp);
        cr_assert_leq(HOP_CORR_SLOTS(T, cp.n_shells), HOP_CORR_SLOTS(24, HOP_MAX_SHELLS));
        cpu = hop_corr_counts_alloc(T, cp.n_shells);
        gpu = hop_corr_counts_alloc(T, cp.n_shells);
        cr_assert(cpu && gpu);
        memset(block, 0, sizeof block);
        for (uint64_t r = 0; r < REPLICAS; ++r) {
            hop_corr_outcome o;
            uint64_t *t = block[r / BLOCK];
            hop_corr_replica(L, &cp, SEED, r, &o);
            hop_corr_counts_add(cpu, &o);
            t[o.first_type]++;                                   /* as kernels/corr.cu */
            t[hop_corr_slot_end(T, cp.n_shells, &o)]++;
            t[hop_corr_slot_steps(T, cp.n_shells)] += (uint64_t)o.steps;
        }
        for (int b = (REPLICAS + BLOCK - 1) / BLOCK - 1; b >= 0; --b)
            hop_corr_counts_add_tally(gpu, block[b]);
        cr_assert(memcmp(cpu->tally, gpu->tally, HOP_CORR_SLOTS(T, cp.n_shells) * sizeof(uint64_t))
                  == 0, "%s: tallies differ", L->name);
        cr_assert_gt(hop_corr_counts_steps(gpu), REPLICAS);
        hop_corr_counts_free(cpu);
        hop_corr_counts_free(gpu);
    }
}

/* The device's sum: entry by entry, rows in chunks taken in a scrambled order, each
 * chunk's 128-bit sum added to two 64-bit words with hop_u128_high_part's carry. */
static void device_reduce(const int64_t *rows, int row_len, int n_rows, int S, int K,
                          int chunk, uint64_t *words)
{
    const int n_chunks = (n_rows + chunk - 1) / chunk;
    for (int e = 0; e < hop_msd_entries(S, K); ++e) {
        const hop_entry x = hop_msd_entry(S, K, e);
        if (x.kind == HOP_ENTRY_SQUARE && x.i > x.j)
            continue;
        for (int k = 0; k < n_chunks; ++k) {
            const int c = (k * 7 + 3) % n_chunks;    /* a permutation when gcd(7, n) = 1 */
            hop_i128 acc = 0;
            uint64_t old;
            for (int r = c * chunk; r < (c + 1) * chunk && r < n_rows; ++r)
                acc += hop_msd_entry_term(rows + (size_t)r * row_len, S, K, x);
            old = words[2 * e];
            words[2 * e] += (uint64_t)acc;
            words[2 * e + 1] += hop_u128_high_part(acc, old);
        }
    }
}

static void compare_accumulators(const hop_lattice *L, const int64_t *rows, int n_rows, int K,
                                 int chunk)
{
    const int S = hop_msd_series(L), row_len = S * K + 2;
    hop_msd_accum *cpu = hop_msd_accum_alloc(K, L->n_groups);
    hop_msd_accum *gpu = hop_msd_accum_alloc(K, L->n_groups);
    uint64_t *words = calloc(2 * (size_t)hop_msd_entries(S, K), sizeof *words);
    cr_assert(cpu && gpu && words);
    for (int r = 0; r < n_rows; ++r)
        hop_msd_accum_add(cpu, rows + (size_t)r * row_len);
    device_reduce(rows, row_len, n_rows, S, K, chunk, words);
    hop_msd_accum_add_wide(gpu, words, (uint64_t)n_rows);
    cr_assert(memcmp(cpu->entry, gpu->entry,
                     (size_t)hop_msd_entries(S, K) * sizeof *cpu->entry) == 0,
              "%s: accumulators differ", L->name);
    cr_assert(cpu->replicas == gpu->replicas && cpu->vacancy_steps == gpu->vacancy_steps
              && cpu->tracer_jumps == gpu->tracer_jumps, "%s: counters differ", L->name);
    hop_msd_accum_free(cpu);
    hop_msd_accum_free(gpu);
    free(words);
}

/* Real rows of the msd estimator on every lattice. */
Test(reduce, msd_rows_equal_cpu_accumulators)
{
    for (int i = 0; i < hop_lattice_count(); ++i) {
        enum { ROWS = 300, CHUNK = 32 };
        const hop_lattice *L = hop_lattice_get(i);
        hop_params p;
        hop_msd_params mp;
        int64_t *rows;
        int row_len;
        char msg[256];
        hop_params_default(&p);
        p.lattice = L;
        p.backend = HOP_BACKEND_CPU;
        p.estimator = HOP_EST_MSD;
        p.n_times = 12;
        p.replicas = 1000;
        cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
        hop_run_msd_params(&p, p.size, &mp);
        row_len = hop_msd_row_len(L, &mp);
        rows = malloc((size_t)ROWS * row_len * sizeof *rows);
        cr_assert_not_null(rows);
        for (int r = 0; r < ROWS; ++r)
            hop_msd_replica(L, &mp, SEED, (uint64_t)r, rows + (size_t)r * row_len);
        compare_accumulators(L, rows, ROWS, mp.n_times, CHUNK);
        free(rows);
    }
}

/* Synthetic rows of 58-bit values, positive and negative, so that the low words
 * wrap many times and the carries and borrows all matter. */
Test(reduce, carries_are_exact)
{
    enum { ROWS = 200, K = 5 };
    const hop_lattice *L = hop_lattice_find("sc");
    const int S = hop_msd_series(L), row_len = S * K + 2;
    int64_t *rows = malloc((size_t)ROWS * row_len * sizeof *rows);
    uint64_t x = 0x9E3779B97F4A7C15u;
    cr_assert_not_null(rows);
    for (int k = 0; k < ROWS * row_len; ++k) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;           /* xorshift64 */
        rows[k] = (int64_t)(x >> 6) * ((x & 1) ? -1 : 1);   /* |x| < 2^58: no int128 overflow */
    }
    compare_accumulators(L, rows, ROWS, K, 7);
    free(rows);
}

Test(reduce, entries_cover_the_accumulators_once)
{
    const int S = 4, K = 6, n = hop_msd_entries(S, K);
    int sums = 0, squares = 0, cross = 0, counters = 0;
    cr_assert_eq(n, S * K + S * K * K + K * K + 2);
    for (int e = 0; e < n; ++e) {
        const hop_entry x = hop_msd_entry(S, K, e);
        switch (x.kind) {
        case HOP_ENTRY_SUM:
            cr_assert_eq(x.q * K + x.i, sums++);
            break;
        case HOP_ENTRY_SQUARE:
            cr_assert_eq((x.q * K + x.i) * K + x.j, squares++);
            break;
        case HOP_ENTRY_CROSS:
            cr_assert_eq(x.i * K + x.j, cross++);
            break;
        default:
            cr_assert_eq(x.kind, counters++ == 0 ? HOP_ENTRY_JUMPS : HOP_ENTRY_STEPS);
        }
    }
    cr_assert(sums == S * K && squares == S * K * K && cross == K * K && counters == 2);
}

/* msd_reduce.h: the msd estimator's accumulators as a list of "entries", the form in
 * which the CUDA reduction kernel sums replica rows (kernels/msd.cu) and the host reads
 * them back (host/stats/msd.c).
 *
 * For S series and K time points (row layout in step.h) the entries are, in order,
 *   sum[q][i]          sum over replicas of x_q,i                       S K entries
 *   square[q][i][j]    sum of x_q,i x_q,j (i <= j; i > j stay 0)        S K K entries
 *   cross[i][j]        sum of x_tracer,i x_vacancy,j                    K K entries
 *   jumps, steps       sums of the row's two counters                   2 entries
 * Each is an exact 128-bit integer.  A device adds 128-bit values as two 64-bit words
 * (hop_u128_add_parts): addition modulo 2^128 splits into the low words' sum and the
 * high words' sum plus one carry per wrap of the low word, and every such addition
 * commutes, so the result has the same bits in any order.
 *
 * Shared by gcc (C99 + __extension__) and nvcc, which both support __int128 on x86-64. */
#ifndef HOP_MSD_REDUCE_H
#define HOP_MSD_REDUCE_H

#include "hop/step.h"

__extension__ typedef __int128 hop_i128;
__extension__ typedef unsigned __int128 hop_u128;

typedef enum {
    HOP_ENTRY_SUM = 0, HOP_ENTRY_SQUARE, HOP_ENTRY_CROSS, HOP_ENTRY_JUMPS, HOP_ENTRY_STEPS
} hop_entry_kind;

typedef struct {
    int kind;     /* hop_entry_kind */
    int q, i, j;  /* series and time points, where the kind has them */
} hop_entry;

HOP_HD int hop_msd_entries(int S, int K)
{
    return S * K + S * K * K + K * K + 2;
}

/* Entry e (0 <= e < hop_msd_entries(S, K)) as kind and indices. */
HOP_HD hop_entry hop_msd_entry(int S, int K, int e)
{
    hop_entry x;
    x.q = x.i = x.j = 0;
    if (e < S * K) {
        x.kind = HOP_ENTRY_SUM;
        x.q = e / K;
        x.i = e % K;
        return x;
    }
    e -= S * K;
    if (e < S * K * K) {
        x.kind = HOP_ENTRY_SQUARE;
        x.q = e / (K * K);
        x.i = (e / K) % K;
        x.j = e % K;
        return x;
    }
    e -= S * K * K;
    if (e < K * K) {
        x.kind = HOP_ENTRY_CROSS;
        x.i = e / K;
        x.j = e % K;
        return x;
    }
    x.kind = e == K * K ? HOP_ENTRY_JUMPS : HOP_ENTRY_STEPS;
    return x;
}

/* One replica row's contribution to entry x. */
HOP_HD hop_i128 hop_msd_entry_term(const int64_t *row, int S, int K, hop_entry x)
{
    switch (x.kind) {
    case HOP_ENTRY_SUM:
        return row[x.q * K + x.i];
    case HOP_ENTRY_SQUARE:
        return x.i <= x.j ? (hop_i128)row[x.q * K + x.i] * row[x.q * K + x.j] : 0;
    case HOP_ENTRY_CROSS:
        return (hop_i128)row[HOP_SERIES_TRACER * K + x.i] * row[HOP_SERIES_VACANCY * K + x.j];
    case HOP_ENTRY_JUMPS:
        return row[S * K];
    default:
        return row[S * K + 1];
    }
}

/* Adds v to the 128-bit number (*lo, *hi) given the low word's value before the add
 * (old_lo), as a device does it: *lo += low(v) (done by the caller, e.g. atomically,
 * returning old_lo), then the high word gets high(v) plus the carry.  Returns what must
 * be added to the high word. */
HOP_HD uint64_t hop_u128_high_part(hop_i128 v, uint64_t old_lo)
{
    const uint64_t lo = (uint64_t)v;
    const uint64_t hi = (uint64_t)((hop_u128)v >> 64);
    return hi + (old_lo + lo < old_lo ? 1u : 0u);
}

#endif

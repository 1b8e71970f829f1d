/* step.h: the per-step physics of the single-vacancy mechanism, shared verbatim by the
 * CPU backend (host/backend/cpu.c) and the CUDA kernels.
 *
 * State.  One tracer and one vacancy.  Only their relative position matters, so the
 * walk stores the vacancy's position relative to the tracer (`vacancy_rel`), either on
 * the infinite lattice or reduced modulo a periodic box, plus both sublattice labels.
 * The tracer moves only when the vacancy exchanges with it.
 *
 * Random numbers.  Step functions take choices, not an RNG: each 32-bit Philox word
 * yields two neighbour choices by multiply-shift (hop_draw_pair).  For z <= 12 every
 * choice has probability 1/z to within z^2/2^32 < 3.4e-8 relative, far below any
 * statistical resolution hop reaches; all arithmetic is on integers, so both backends
 * make the same choices bit for bit.  A replica draws from the Philox stream
 * (seed, subsequence = global replica index), as curand_init(seed, replica, 0) does.
 *
 * Random numbers come from a hop_rng (rng.h): the C twin of cuRAND on the CPU, cuRAND
 * itself in the kernels (kernels/hop_curand.cuh), the same words either way.
 *
 * Replica drivers.  hop_corr_replica and hop_msd_replica run one whole replica; the
 * CPU backend calls them in a loop over replicas.  The corr walk is also exposed as
 * begin/advance so a CUDA thread can keep its lane busy: when its replica ends it
 * starts the next one while the other lanes of its warp go on stepping.  Outcomes
 * are integers, tallied in layouts defined here once for both backends. */
#ifndef HOP_STEP_H
#define HOP_STEP_H

#include <stddef.h>
#include "hop/defs.h"
#include "hop/hd.h"
#include "hop/lattice.h"
#include "hop/rng.h"

/* Words drawn at a time (a multiple of 4).  Drawing them before the steps that use them
 * keeps the Philox state out of the step loop's registers; a replica that ends early
 * leaves the rest of its batch unused. */
#define HOP_WORD_BATCH 8

typedef struct {
    int32_t vacancy_rel[HOP_MAX_DIM];  /* vacancy minus tracer position (integer coordinates) */
    int32_t vacancy_sub;               /* sublattice of the vacancy's site */
    int32_t tracer_sub;                /* sublattice of the tracer's site */
} hop_walk;

/* Two neighbour choices in [0, z) from one uniform 32-bit word (see file comment). */
HOP_HD void hop_draw_pair(uint32_t word, uint32_t z, int *k1, int *k2)
{
    uint64_t x = (uint64_t)word * z;
    *k1 = (int)(x >> 32);
    x = (uint64_t)(uint32_t)x * z;
    *k2 = (int)(x >> 32);
}

/* Exact uniform integer in [0, n) by rejection from one word: returns 0 and leaves *out
 * unchanged when the word must be rejected (Lemire 2019, integer-only).  n >= 1. */
HOP_HD int hop_draw_below(uint32_t word, uint32_t n, uint32_t *out)
{
    uint64_t m = (uint64_t)word * n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t threshold = (uint32_t)(-n) % n;   /* 2^32 mod n */
        if (low < threshold)
            return 0;
    }
    *out = (uint32_t)(m >> 32);
    return 1;
}

/* Reduce c into [0, period) after a jump changed it by at most one period.  period 0
 * means the infinite lattice (no reduction). */
HOP_HD int32_t hop_wrap(int32_t c, int32_t period)
{
    if (period == 0) return c;
    if (c >= period) c -= period;
    if (c < 0) c += period;
    return c;
}

/* The vacancy exchanges with its neighbour k (0 <= k < z).  `period` holds the box
 * periods per coordinate (all 0 on the infinite lattice).  `bravais` (1 when the lattice
 * has a single sublattice, else 0) is a compile-time constant at the call sites that
 * lets the compiler drop the sublattice lookup from the step's dependency chain.  Returns -1 if the neighbour
 * was an ordinary atom; if it was the tracer, the tracer has jumped by
 * -jump[vacancy_sub][k] and the function returns that tracer jump's type,
 * tracer_sub * z + index of the jump in the tracer's list (types index the jump
 * vectors of every sublattice).  After an exchange the vacancy sits on the site the
 * tracer just left, as it must. */
HOP_HD int hop_vacancy_step(const hop_lattice *L, const int32_t *period, hop_walk *w, int k,
                            int bravais)
{
    const int s = bravais ? 0 : w->vacancy_sub;
    const int *e = L->jump[s][k];
    int32_t x = hop_wrap(w->vacancy_rel[0] + e[0], period[0]);
    int32_t y = hop_wrap(w->vacancy_rel[1] + e[1], period[1]);
    int32_t zc = hop_wrap(w->vacancy_rel[2] + e[2], period[2]);
    if ((x | y | zc) == 0) {
        int type = w->tracer_sub * L->z + L->jump_rev[s][k];
        /* The tracer moved onto the vacancy's site: the vacancy is now at -(tracer jump)
         * = +e relative to it, on the tracer's old sublattice. */
        w->vacancy_rel[0] = hop_wrap(e[0], period[0]);
        w->vacancy_rel[1] = hop_wrap(e[1], period[1]);
        w->vacancy_rel[2] = hop_wrap(e[2], period[2]);
        w->tracer_sub = s;
        w->vacancy_sub = L->jump_sub[s][k];
        return type;
    }
    w->vacancy_rel[0] = x;
    w->vacancy_rel[1] = y;
    w->vacancy_rel[2] = zc;
    w->vacancy_sub = L->jump_sub[s][k];
    return -1;
}

/* ------------------------------------------------------- configuration-dependent rates --- */

/* Rates of the vacancy's exchanges that depend on where it is relative to the tracer,
 * here a solute atom (the five-frequency model of Lidiard and Le Claire; Allnatt &
 * Lidiard, Atomic Transport in Solids, ch. 5):
 *   w2  the vacancy exchanges with the solute
 *   w1  it moves between two nearest neighbours (NN) of the solute (fcc; none in bcc)
 *   w3  it leaves the NN shell, to outer shell j (3 + j: Le Claire's bcc model gives
 *       each shell its own rate)
 *   w4  it enters the NN shell from outer shell j (6 + j)
 *   w0  every other exchange.
 * Residence-time (BKL, n-fold way) selection: at each event the z exchanges get these
 * rates and one is chosen in proportion.  Exactness: rates are integers, the largest
 * 2^32 (a rate is kept to a relative precision 2^-32 w_max / w); the choice draws a
 * 64-bit number r and takes the exchange whose cumulative-weight interval holds
 * floor(r W / 2^64), W < 2^36 the total, so every probability is exact to W / 2^64 <
 * 2^-28 relative.  When the vacancy is more than two jumps from the solute every rate
 * is w0 and the cheaper uniform choice (two per word) is exact; with equal rates the
 * model is the single-vacancy model. */
#define HOP_RATE_CLASSES 9
#define HOP_MAX_OUTER 3
enum { HOP_W0 = 0, HOP_W1 = 1, HOP_W2 = 2, HOP_W3 = 3, HOP_W4 = 6 };

typedef struct {
    uint64_t weight[HOP_RATE_CLASSES];  /* by class; the largest is 2^32 */
    int64_t nn_r2;                      /* x^T M x of the solute's NN sites (= jump_len2) */
    int n_outer;                        /* shells one jump outside the NN shell */
    int64_t outer_r2[HOP_MAX_OUTER];    /* their x^T M x, increasing */
} hop_rates;

/* High 64 bits of a 64 x 64-bit product. */
HOP_HD uint64_t hop_mulhi64(uint64_t a, uint64_t b)
{
#if defined(__CUDA_ARCH__)
    return __umul64hi(a, b);
#else
    __extension__ typedef unsigned __int128 u128;
    return (uint64_t)(((u128)a * b) >> 64);
#endif
}

/* Index j of the outer shell at squared distance r2 (the last if none matches). */
HOP_HD int hop_rates_outer(const hop_rates *R, int64_t r2)
{
    int j = 0;
    while (j < R->n_outer - 1 && R->outer_r2[j] != r2)
        ++j;
    return j;
}

/* Rate class of the exchange moving the vacancy from squared distance r2 to t2 (t2 = 0:
 * onto the solute). */
HOP_HD int hop_rates_class(const hop_rates *R, int64_t r2, int64_t t2)
{
    if (t2 == 0)
        return HOP_W2;
    if (r2 == R->nn_r2)
        return t2 == R->nn_r2 ? HOP_W1 : HOP_W3 + hop_rates_outer(R, t2);
    if (t2 == R->nn_r2)
        return HOP_W4 + hop_rates_outer(R, r2);
    return HOP_W0;
}

/* ---------------------------------------------------------------- corr estimator --- */

/* Parameters of the jump-correlation estimator.  A replica starts right after a tracer
 * jump of type (replica mod n_types), with the vacancy on the site the tracer left, on
 * the infinite lattice, and ends when the vacancy exchanges with the tracer again
 * (a "return", giving the next tracer jump's type) or first reaches squared distance
 * shell_r2[n_shells-1] (the vacancy is "lost").  shell_r2 holds nested truncation radii
 * (increasing, in x^T M x units); the outcome records the outermost one crossed before
 * the return, so one run yields the estimate at every radius. */
typedef struct {
    int model;                      /* hop_model_id */
    int n_shells;                   /* 1..HOP_MAX_SHELLS */
    int64_t shell_r2[HOP_MAX_SHELLS];
    hop_rates rates;                /* HOP_MODEL_SOLUTE: the tracer is a solute */
} hop_corr_params;

typedef struct {
    int first_type;      /* type of the tracer jump the replica starts after */
    int next_type;       /* type of the next tracer jump, or -1 if the vacancy was lost */
    int shell;           /* number of truncation radii crossed before the return (0..n_shells) */
    int64_t steps;       /* vacancy exchanges performed */
} hop_corr_outcome;

/* A corr replica in flight. */
typedef struct {
    hop_rng rng;
    hop_walk w;
    int64_t r2;          /* |vacancy_rel|^2 times metric_den */
    int64_t next_r2;     /* the next truncation radius squared */
    int64_t steps;
    int shell;           /* radii crossed so far */
    int first_type;
    int pending;         /* solute model: the second choice of the last word, or -1 */
} hop_corr_state;

/* Start replica `replica` of the corr estimator, whose first jump type `first` is
 * replica mod (n_sub z) (hop_corr_begin; the kernel counts it along instead of dividing,
 * kernels/corr.cu); see hop_corr_params.  A type of an absent jump (k >= z_sub[s],
 * lattice.h) starts after jump k mod z_sub[s] of the same sublattice instead: the
 * estimator divides each type's returns by its own starts, so the extra starts only
 * sharpen those types' rows. */
HOP_HD void hop_corr_begin_type(const hop_lattice *L, const hop_corr_params *p, uint64_t seed,
                                uint64_t replica, int first, hop_corr_state *st)
{
    const int s0 = first / L->z;
    int k0 = first % L->z;
    if (k0 >= L->z_sub[s0]) {
        k0 %= L->z_sub[s0];
        first = s0 * L->z + k0;
    }
    hop_rng_init(&st->rng, seed, replica);
    st->w.vacancy_rel[0] = -L->jump[s0][k0][0];
    st->w.vacancy_rel[1] = -L->jump[s0][k0][1];
    st->w.vacancy_rel[2] = -L->jump[s0][k0][2];
    st->w.vacancy_sub = s0;
    st->w.tracer_sub = L->jump_sub[s0][k0];
    st->r2 = L->jump_norm2[s0][k0];
    st->next_r2 = p->shell_r2[0];
    st->steps = 0;
    st->shell = 0;
    st->first_type = first;
    st->pending = -1;
}

/* Start replica `replica` of the corr estimator; see hop_corr_params. */
HOP_HD void hop_corr_begin(const hop_lattice *L, const hop_corr_params *p, uint64_t seed,
                           uint64_t replica, hop_corr_state *st)
{
    const int n_types = L->n_sub * L->z;
    hop_corr_begin_type(L, p, seed, replica, (int)(replica % (uint64_t)n_types), st);
}

/* x^T M x of the vacancy's position (relative to the tracer) after exchange k from
 * sublattice s: |x + e|^2 = |x|^2 + 2 (M e).x + |e|^2. */
HOP_HD int64_t hop_corr_target_r2(const hop_lattice *L, const hop_corr_state *st, int s, int k)
{
    const int *me = L->jump_metric[s][k];
    return st->r2 + 2 * ((int64_t)me[0] * st->w.vacancy_rel[0] + (int64_t)me[1] * st->w.vacancy_rel[1]
                         + (int64_t)me[2] * st->w.vacancy_rel[2]) + L->jump_norm2[s][k];
}

/* Whether the replica ends at r2's crossing of the truncation radius *next_r2 (the
 * outermost radius reached: *out filled); else 0, with the radii crossed counted and
 * *next_r2 the next one (hop_corr_exchange, hop_typed_ended). */
HOP_HD int hop_corr_cross(const hop_corr_params *p, hop_corr_state *st, int64_t r2,
                          int64_t *next_r2, hop_corr_outcome *out)
{
    while (st->shell < p->n_shells && r2 >= p->shell_r2[st->shell])
        ++st->shell;
    if (st->shell == p->n_shells) {
        out->next_type = -1;
        out->shell = st->shell;
        return 1;
    }
    *next_r2 = p->shell_r2[st->shell];
    return 0;
}

/* Exchange k of a corr replica: moves the vacancy, updates its distance and, when that
 * ends the replica (a return, or the outermost radius reached), fills *out and returns
 * 1; else 0.  `bravais` as in hop_vacancy_step. */
HOP_HD int hop_corr_exchange(const hop_lattice *L, const hop_corr_params *p, hop_corr_state *st,
                             int k, int bravais, hop_corr_outcome *out)
{
    const int32_t infinite[HOP_MAX_DIM] = {0, 0, 0};
    int type;
    st->r2 = hop_corr_target_r2(L, st, bravais ? 0 : st->w.vacancy_sub, k);
    type = hop_vacancy_step(L, infinite, &st->w, k, bravais);
    ++st->steps;
    if (type >= 0) {
        out->next_type = type;
        out->shell = st->shell;
        out->steps = st->steps;
        return 1;
    }
    if (st->r2 >= st->next_r2 && hop_corr_cross(p, st, st->r2, &st->next_r2, out)) {
        out->steps = st->steps;
        return 1;
    }
    return 0;
}

/* The exchange the vacancy makes next in the solute model (see hop_rates): uniform far
 * from the solute, by residence-time selection within two jumps of it. */
HOP_HD int hop_solute_choice(const hop_lattice *L, const hop_rates *R, hop_corr_state *st,
                             int bravais)
{
    const hop_walk *w = &st->w;
    const int s = bravais ? 0 : w->vacancy_sub;
    uint64_t total = 0, u;
    int k;
    if (st->r2 > 4 * R->nn_r2) {
        if (st->pending >= 0) {
            k = st->pending;
            st->pending = -1;
        } else {
            hop_draw_pair(hop_rng_next(&st->rng), (uint32_t)L->z, &k, &st->pending);
        }
        return k;
    }
    /* Two passes over the z exchanges (total, then the interval holding u) rather
     * than a table of cumulative weights, which a GPU would keep in local memory. */
    st->pending = -1;
    for (k = 0; k < L->z; ++k)
        total += R->weight[hop_rates_class(R, st->r2, hop_corr_target_r2(L, st, s, k))];
    u = (uint64_t)hop_rng_next(&st->rng) << 32;
    u |= hop_rng_next(&st->rng);
    u = hop_mulhi64(u, total);
    for (k = 0; k < L->z - 1; ++k) {
        const uint64_t wk = R->weight[hop_rates_class(R, st->r2, hop_corr_target_r2(L, st, s, k))];
        if (u < wk)
            break;
        u -= wk;
    }
    return k;
}

/* Whether a uniform number U of 48 bits, drawn from the stream (a word, then the top 16
 * bits of another only where the first equals rest's top 32), is below `rest` (< 2^48):
 * the tail of hop_typed_pick's comparison.  rest 0: never, and nothing is drawn. */
HOP_HD int hop_typed_below(uint64_t rest, hop_rng *rng)
{
    uint32_t u, top = (uint32_t)(rest >> 16);
    if (!rest)
        return 0;
    u = hop_rng_next(rng);
    if (u != top)
        return u < top;
    return (hop_rng_next(rng) >> 16) < (uint32_t)(rest & 0xffffu);
}

/* The vacancy's jump from sublattice s on a lattice with unequal rates, from a 16-bit
 * digit (half a word: two choices per word, as hop_draw_pair makes them): jump k with
 * probability q_k / 2^64, q_k the integer weights of rate[s][k] (lattice.h: within
 * 2^-64 of rate[s][k] / rate_total[s]; never a jump of rate 0), by the alias table of
 * s.  The digit's top HOP_CHOICE_BITS bits pick a column c and its other 11 bits are
 * compared with the top 11 of the column's 59-bit threshold T_c: below, the column
 * keeps jump c; above, its alias; equal (probability 2^-11), T_c's other 48 bits
 * decide against fresh words (hop_typed_below).  So every threshold acts to all its 59
 * bits; integer-only, the same on both backends.  *next_sub: jump_sub[s][k], read from
 * the table beside the threshold (choice_sub). */
HOP_HD int hop_typed_pick_to(const hop_lattice *L, int s, uint32_t digit, hop_rng *rng,
                             int *next_sub)
{
    const int c = (int)(digit >> (16 - HOP_CHOICE_BITS));
    const uint32_t cut = L->choice_cut[s][c];
    const uint32_t x = digit & ((1u << (16 - HOP_CHOICE_BITS)) - 1);
    const uint32_t edge = cut >> 21;           /* T_c's top 11 of 59 bits */
    /* All ones where the alias is taken: a mask, not a branch, which the CPU would
     * mispredict about half the time. */
    uint32_t to_alias = 0u - (uint32_t)(x >= edge);
    if (x == edge) {
        const uint64_t rest = (uint64_t)((cut >> HOP_CHOICE_BITS) & 0xffffu) << 32
                            | L->choice_cut_low[s][c];
        to_alias = 0u - (uint32_t)!hop_typed_below(rest, rng);
    }
    {
        const uint32_t own = L->choice_sub[s][c][0], other = L->choice_sub[s][c][1];
        *next_sub = (int)(own ^ ((own ^ other) & to_alias));
    }
    return (int)((uint32_t)c ^ (((uint32_t)c ^ cut) & to_alias & (HOP_CHOICE_COLUMNS - 1)));
}

/* hop_typed_pick_to without the sublattice reached. */
HOP_HD int hop_typed_pick(const hop_lattice *L, int s, uint32_t digit, hop_rng *rng)
{
    int next_sub;
    return hop_typed_pick_to(L, s, digit, rng, &next_sub);
}

/* Advance a solute-model corr replica by up to 2 HOP_WORD_BATCH exchanges; as
 * hop_corr_advance. */
HOP_HD int hop_solute_advance(const hop_lattice *L, const hop_corr_params *p,
                              hop_corr_state *st, int bravais, hop_corr_outcome *out)
{
    out->first_type = st->first_type;
    for (int i = 0; i < 2 * HOP_WORD_BATCH; ++i)
        if (hop_corr_exchange(L, p, st, hop_solute_choice(L, &p->rates, st, bravais), bravais, out))
            return 1;
    return 0;
}

/* Kept out of line on the CPU: inlined into hop_corr_advance it perturbs the equal-rate
 * hot loop's registers (see the note there). */
#if defined(__GNUC__) && !defined(__CUDACC__)
#  define HOP_COLD_HD static __attribute__((noinline))
#else
#  define HOP_COLD_HD HOP_HD
#endif

/* One batch of HOP_WORD_BATCH words of a corr replica on a lattice whose jumps have
 * several lengths (jump_len2 0) or unequal rates (`typed`): the hot loop below written
 * out the same way (calling hop_corr_exchange costs 1.3-1.6x), with each jump's own
 * squared length, two choices per word: equal rates (hop_draw_pair) or, typed, by the
 * rates (hop_typed_pick on each half).  The walk, its distance and its step count are kept in
 * locals and stored back once (kept in *st, gcc 12 stored them at every step: 1.3x).
 * `bravais` and `typed` are constants at the call sites.  The typed corr walk is now
 * hop_corr_walk_typed (typed 1 is no longer called); this loop stays as it was, since
 * rewritten without that branch gcc 12 allocated the equal-rate loop's registers
 * differently: 3.3 % more instructions a step on pyrochlore-nnn with equal rates. */
HOP_HD int hop_corr_walk_batch(const hop_lattice *L, const hop_corr_params *p,
                               hop_corr_state *st, int bravais, int typed, hop_corr_outcome *out)
{
    const int32_t infinite[HOP_MAX_DIM] = {0, 0, 0};
    uint32_t words[HOP_WORD_BATCH];
    hop_walk w = st->w;
    int64_t r2 = st->r2, steps = st->steps;
    int end = 0;
    for (int c = 0; c < HOP_WORD_BATCH; c += 4)
        hop_rng_next4(&st->rng, words + c);
    for (int i = 0; i < HOP_WORD_BATCH && !end; ++i) {
        int k[2];
        if (!typed)
            hop_draw_pair(words[i], (uint32_t)L->z, &k[0], &k[1]);
        for (int h = 0; h < 2 && !end; ++h) {
            const int s = bravais ? 0 : w.vacancy_sub;
            const int *me;
            int next_sub = 0;
            if (typed)
                k[h] = hop_typed_pick_to(L, s, h ? words[i] & 0xffffu : words[i] >> 16,
                                         &st->rng, &next_sub);
            me = L->jump_metric[s][k[h]];
            int type;
            r2 += 2 * ((int64_t)me[0] * w.vacancy_rel[0] + (int64_t)me[1] * w.vacancy_rel[1]
                       + (int64_t)me[2] * w.vacancy_rel[2]) + L->jump_norm2[s][k[h]];
            type = hop_vacancy_step(L, infinite, &w, k[h], bravais);
            if (typed && !bravais)
                w.vacancy_sub = next_sub;    /* the same, off the table read (choice_sub) */
            ++steps;
            if (type >= 0) {
                out->next_type = type;
                out->shell = st->shell;
                end = 1;
            } else if (r2 >= st->next_r2) {
                while (st->shell < p->n_shells && r2 >= p->shell_r2[st->shell])
                    ++st->shell;
                if (st->shell == p->n_shells) {
                    out->next_type = -1;
                    out->shell = st->shell;
                    end = 1;
                } else {
                    st->next_r2 = p->shell_r2[st->shell];
                }
            }
        }
    }
    st->w = w;
    st->r2 = r2;
    st->steps = steps;
    if (end)
        out->steps = steps;
    return end;
}

/* The tie of hop_typed_pick_to's comparison (the digit's 11 bits equal the top 11 of
 * the threshold `cut` of column `col` = s HOP_CHOICE_COLUMNS + c, probability 2^-11):
 * the alias mask, all ones where the alias is taken, from the threshold's other 48 bits
 * against fresh words.  Out of line on the CPU: inlined into hop_corr_walk_typed, its
 * Philox rounds took registers from the step loop. */
HOP_COLD_HD int hop_typed_tie(const hop_lattice *L, unsigned col, uint32_t cut, hop_rng *rng)
{
    const uint64_t rest = (uint64_t)((cut >> HOP_CHOICE_BITS) & 0xffffu) << 32
                        | L->choice_cut_low[col / HOP_CHOICE_COLUMNS][col % HOP_CHOICE_COLUMNS];
    return !hop_typed_below(rest, rng);
}

#if defined(__GNUC__) && !defined(__CUDACC__) && !defined(__clang__)
#  define HOP_UNPREDICTABLE(x) __builtin_expect_with_probability((x), 1, 0.5)
#else
#  define HOP_UNPREDICTABLE(x) (x)
#endif

/* Entry i of the table at byte offset `at` in *L whose entries are `size` bytes, the
 * table's rows read as one ([s][c] as s HOP_CHOICE_COLUMNS + c, [s][k] as s HOP_MAX_Z +
 * k): byte arithmetic within the struct, which the compiler folds into one addressing
 * of *L (through a pointer to the table's first row, an index past that row would be
 * out of its bounds). */
HOP_HD const void *hop_lattice_entry(const hop_lattice *L, size_t at, size_t size, unsigned i)
{
    return (const char *)L + at + size * i;
}

/* A typed corr walk in flight, in hop_corr_walk_typed's locals: the vacancy's position
 * relative to the tracer (64-bit, so the distance's products need no widening), its
 * sublattice as the first column of its alias table (s HOP_CHOICE_COLUMNS), its
 * x^T M x and the next truncation radius, and the last jump's index in the [s][k]
 * tables read as one row. */
typedef struct {
    int64_t v[HOP_MAX_DIM];
    int64_t r2, next_r2;
    unsigned row;
    unsigned jump;
} hop_typed_walk;

enum { HOP_TYPED_ON = 0, HOP_TYPED_RETURN = 1, HOP_TYPED_CROSSED = 2 };

/* One exchange of a typed corr walk, chosen by the rates from a 16-bit digit
 * (hop_typed_pick_to written out on the column's entries of choice_next: the jump's
 * vectors and the next sublattice from one read of the column).  Returns
 * HOP_TYPED_RETURN when the vacancy exchanged with the tracer, HOP_TYPED_CROSSED when
 * it reached the next truncation radius, else HOP_TYPED_ON. */
HOP_HD int hop_typed_exchange(const hop_lattice *L, int bravais, uint32_t digit,
                              hop_rng *rng, hop_typed_walk *t)
{
    const unsigned c = digit >> (16 - HOP_CHOICE_BITS);
    const unsigned col = (bravais ? 0u : t->row) + c;
    const uint32_t cut = *(const uint32_t *)hop_lattice_entry(L, offsetof(hop_lattice, choice_cut),
                                                              sizeof(uint32_t), col);
    /* The digit's low 11 bits against the threshold's top 11 (hop_typed_pick_to), as
     * low 2^21 + 2^21 - 1 >= cut: the shift is then off the chain from the column's
     * read to the next column. */
    const uint32_t low = digit << 21;
    const int tie = (low ^ cut) < (1u << 21);
    const int alias = (low | ((1u << 21) - 1)) >= cut;
    unsigned j;
    if (bravais) {
        /* A mask, not a branch, which the CPU would mispredict (gcc 12 makes a branch
         * of a conditional here). */
        uint32_t to_alias = 0u - (uint32_t)alias;
        if (tie)
            to_alias = 0u - (uint32_t)hop_typed_tie(L, col, cut, rng);
        j = c ^ ((c ^ cut) & to_alias & (HOP_CHOICE_COLUMNS - 1));
    } else {
        /* A conditional move, marked unpredictable: gcc 12 then makes one. */
        const uint16_t *pair = (const uint16_t *)hop_lattice_entry(
            L, offsetof(hop_lattice, choice_next), 2 * sizeof(uint16_t), col);
        const uint32_t own = pair[0], other = pair[1];
        uint32_t to = HOP_UNPREDICTABLE(alias) ? other : own;
        if (tie)
            to = hop_typed_tie(L, col, cut, rng) ? other : own;
        j = to & ((1u << HOP_CHOICE_TO_SHIFT) - 1);
        t->row = (to >> HOP_CHOICE_TO_SHIFT) * HOP_CHOICE_COLUMNS;
    }
    t->jump = j;
    {
        const int *me = (const int *)hop_lattice_entry(L, offsetof(hop_lattice, jump_metric),
                                                       HOP_MAX_DIM * sizeof(int), j);
        const int *e = (const int *)hop_lattice_entry(L, offsetof(hop_lattice, jump),
                                                      HOP_MAX_DIM * sizeof(int), j);
        const int64_t n2 = *(const int64_t *)hop_lattice_entry(
            L, offsetof(hop_lattice, jump_norm2), sizeof(int64_t), j);
        t->r2 += 2 * (me[0] * t->v[0] + me[1] * t->v[1] + me[2] * t->v[2]) + n2;
        t->v[0] += e[0];
        t->v[1] += e[1];
        t->v[2] += e[2];
    }
    if ((t->v[0] | t->v[1] | t->v[2]) == 0)
        return HOP_TYPED_RETURN;
    return t->r2 >= t->next_r2 ? HOP_TYPED_CROSSED : HOP_TYPED_ON;
}

/* Whether hop_typed_exchange's outcome `how` (not HOP_TYPED_ON) ends the replica, with
 * *out filled: a return always (the vacancy then sits at +e of the tracer, on the
 * tracer's old sublattice, as hop_vacancy_step leaves it), a radius crossed when it is
 * the outermost (hop_corr_cross). */
HOP_HD int hop_typed_ended(const hop_lattice *L, const hop_corr_params *p, hop_corr_state *st,
                           int how, hop_typed_walk *t, hop_corr_outcome *out)
{
    if (how == HOP_TYPED_CROSSED)
        return hop_corr_cross(p, st, t->r2, &t->next_r2, out);
    {
        const int from = (int)(t->jump / HOP_MAX_Z), k = (int)(t->jump % HOP_MAX_Z);
        out->next_type = st->w.tracer_sub * L->z + L->jump_rev[from][k];
        out->shell = st->shell;
        for (int a = 0; a < HOP_MAX_DIM; ++a)
            t->v[a] = L->jump[from][k][a];
        st->w.tracer_sub = from;
    }
    return 1;
}

/* One batch of HOP_WORD_BATCH words of a corr replica on a lattice with unequal rates:
 * at most 2 HOP_WORD_BATCH exchanges, each from half a word (hop_typed_exchange; the
 * rare tie of the comparison out of line, hop_typed_tie), the same draws in the same
 * order as hop_typed_pick_to and hop_corr_exchange make them.  The [s][k] tables are
 * read through the jump's index s HOP_MAX_Z + k in choice_next (a row of one table
 * read as the rows of all: they are contiguous), so the step's dependency chain is
 * the column's read -> the comparison -> the next column; the walk lives in locals
 * (hop_typed_walk) and its step count is the exchange's number in the batch.
 * Cachegrind on sc-ab (two sublattices): 113 instructions a step before (the
 * sublattice's rows addressed from s and k, the tie's Philox inlined), against 70 on
 * the one-sublattice sc.  `bravais` is a constant at the call sites. */
HOP_HD int hop_corr_walk_typed(const hop_lattice *L, const hop_corr_params *p,
                               hop_corr_state *st, int bravais, hop_corr_outcome *out)
{
    uint32_t words[HOP_WORD_BATCH];
    hop_typed_walk t;
    int n = 2 * HOP_WORD_BATCH, end = 0;
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        t.v[a] = st->w.vacancy_rel[a];
    t.r2 = st->r2;
    t.next_r2 = st->next_r2;
    t.row = bravais ? 0u : (unsigned)st->w.vacancy_sub * HOP_CHOICE_COLUMNS;
    t.jump = 0;
    for (int c = 0; c < HOP_WORD_BATCH; c += 4)
        hop_rng_next4(&st->rng, words + c);
    for (int i = 0; i < HOP_WORD_BATCH; ++i) {
        int how = hop_typed_exchange(L, bravais, words[i] >> 16, &st->rng, &t);
        if (how != HOP_TYPED_ON && (end = hop_typed_ended(L, p, st, how, &t, out)) != 0) {
            n = 2 * i + 1;
            break;
        }
        how = hop_typed_exchange(L, bravais, words[i] & 0xffffu, &st->rng, &t);
        if (how != HOP_TYPED_ON && (end = hop_typed_ended(L, p, st, how, &t, out)) != 0) {
            n = 2 * i + 2;
            break;
        }
    }
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        st->w.vacancy_rel[a] = (int32_t)t.v[a];
    st->w.vacancy_sub = (int)(t.row / HOP_CHOICE_COLUMNS);
    st->r2 = t.r2;
    st->next_r2 = t.next_r2;
    st->steps += n;
    if (end)
        out->steps = st->steps;
    return end;
}

/* hop_corr_advance on a lattice whose jumps have several lengths, with equal rates. */
HOP_COLD_HD int hop_corr_advance_lengths(const hop_lattice *L, const hop_corr_params *p,
                                         hop_corr_state *st, int bravais, hop_corr_outcome *out)
{
    return bravais ? hop_corr_walk_batch(L, p, st, 1, 0, out)
                   : hop_corr_walk_batch(L, p, st, 0, 0, out);
}

/* hop_corr_advance on a lattice with unequal rates. */
HOP_COLD_HD int hop_corr_advance_typed(const hop_lattice *L, const hop_corr_params *p,
                                       hop_corr_state *st, int bravais, hop_corr_outcome *out)
{
    return bravais ? hop_corr_walk_typed(L, p, st, 1, out)
                   : hop_corr_walk_typed(L, p, st, 0, out);
}

/* Advance a corr replica by one batch of HOP_WORD_BATCH words, at most 2 HOP_WORD_BATCH
 * vacancy exchanges.  Returns 1 with *out filled when the replica has ended (return or
 * loss), else 0.  The squared distance is updated incrementally and compared with the
 * next radius only (hop_corr_exchange).  `bravais` as in hop_vacancy_step. */
HOP_HD int hop_corr_advance(const hop_lattice *L, const hop_corr_params *p, hop_corr_state *st,
                            int bravais, hop_corr_outcome *out)
{
    uint32_t words[HOP_WORD_BATCH];
    out->first_type = st->first_type;
    if (p->model == HOP_MODEL_SOLUTE)
        return hop_solute_advance(L, p, st, bravais, out);
    if (L->rate_total[0]) {
        /* Per-jump rates: each exchange chosen in proportion to its rate. */
        if (p->model == HOP_MODEL_RANDOM) {
            const int t = st->w.tracer_sub;
            out->next_type = t * L->z + hop_typed_pick(L, t, hop_rng_next(&st->rng) >> 16,
                                                       &st->rng);
            out->shell = 0;
            out->steps = 1;
            return 1;
        }
        return hop_corr_advance_typed(L, p, st, bravais, out);
    }
    if (p->model == HOP_MODEL_RANDOM) {
        /* Uncorrelated reference: the next jump is any of the tracer's z jumps. */
        int k1, k2;
        hop_rng_next4(&st->rng, words);
        hop_draw_pair(words[0], (uint32_t)L->z, &k1, &k2);
        out->next_type = st->w.tracer_sub * L->z + k1;
        out->shell = 0;
        out->steps = 1;
        return 1;
    }
    if (!hop_lattice_one_length(L))
        return hop_corr_advance_lengths(L, p, st, bravais, out);
    for (int c = 0; c < HOP_WORD_BATCH; c += 4)
        hop_rng_next4(&st->rng, words + c);
    /* The equal-rate hot loop keeps hop_corr_exchange's body written out: calling it
     * here (inlined) measured 1.3-1.6x slower with gcc 12 on sc (the state stays in
     * memory across the two calls); the other models call hop_corr_exchange. */
    for (int i = 0; i < HOP_WORD_BATCH; ++i) {
        int k[2];
        hop_draw_pair(words[i], (uint32_t)L->z, &k[0], &k[1]);
        for (int h = 0; h < 2; ++h) {
            hop_walk *w = &st->w;
            const int32_t infinite[HOP_MAX_DIM] = {0, 0, 0};
            const int *me = L->jump_metric[bravais ? 0 : w->vacancy_sub][k[h]];
            int type;
            st->r2 += 2 * ((int64_t)me[0] * w->vacancy_rel[0] + (int64_t)me[1] * w->vacancy_rel[1]
                           + (int64_t)me[2] * w->vacancy_rel[2]) + L->jump_len2;
            type = hop_vacancy_step(L, infinite, w, k[h], bravais);
            ++st->steps;
            if (type >= 0) {
                out->next_type = type;
                out->shell = st->shell;
                out->steps = st->steps;
                return 1;
            }
            if (st->r2 >= st->next_r2) {
                while (st->shell < p->n_shells && st->r2 >= p->shell_r2[st->shell])
                    ++st->shell;
                if (st->shell == p->n_shells) {
                    out->next_type = -1;
                    out->shell = st->shell;
                    out->steps = st->steps;
                    return 1;
                }
                st->next_r2 = p->shell_r2[st->shell];
            }
        }
    }
    return 0;
}

/* Run replica `replica` of the corr estimator to its end; see hop_corr_params. */
HOP_HD void hop_corr_replica(const hop_lattice *L, const hop_corr_params *p,
                             uint64_t seed, uint64_t replica, hop_corr_outcome *out)
{
    hop_corr_state st;
    hop_corr_begin(L, p, seed, replica, &st);
    out->next_type = -1;            /* set by the advance that ends the replica */
    out->shell = 0;
    out->steps = 0;
    if (L->n_sub == 1)
        while (!hop_corr_advance(L, p, &st, 1, out))
            ;
    else
        while (!hop_corr_advance(L, p, &st, 0, out))
            ;
}

/* The tally of corr outcomes: a flat array of uint64 counters, accumulated the same way
 * by both backends (integer sums, so in any order) and read by host/stats/corr.c.
 * With T jump types and S radii:
 *   [0, T)                      replicas started after a jump of type i
 *   T + (m T + i) T + j         returns after crossing m radii, first type i, next type j
 *   T + S T T                   replicas whose vacancy was lost
 *   T + S T T + 1               vacancy exchanges */
#define HOP_CORR_SLOTS(T, S) ((T) + (S) * (T) * (T) + 2)
#define HOP_CORR_MAX_SLOTS HOP_CORR_SLOTS(HOP_MAX_TYPES, HOP_MAX_SHELLS)

HOP_HD int hop_corr_slot_return(int n_types, int m, int i, int j)
{
    return n_types + (m * n_types + i) * n_types + j;
}

HOP_HD int hop_corr_slot_lost(int n_types, int n_shells)
{
    return n_types + n_shells * n_types * n_types;
}

HOP_HD int hop_corr_slot_steps(int n_types, int n_shells)
{
    return hop_corr_slot_lost(n_types, n_shells) + 1;
}

/* The slot an outcome counts in besides its start: its return, or the lost counter. */
HOP_HD int hop_corr_slot_end(int n_types, int n_shells, const hop_corr_outcome *o)
{
    return o->next_type < 0 ? hop_corr_slot_lost(n_types, n_shells)
                            : hop_corr_slot_return(n_types, o->shell, o->first_type, o->next_type);
}

/* ----------------------------------------------------------------- msd estimator --- */

/* Parameters of the Einstein (MSD) estimator: one tracer and one vacancy in a periodic
 * box of cells[0] x cells[1] x cells[2] conventional cells (period = cells * cell edge),
 * started in equilibrium (tracer on a uniformly chosen basis site, vacancy on a uniformly
 * chosen other site) and run for time_steps[n_times-1] vacancy exchanges.  Displacements
 * are recorded after time_steps[i] exchanges (strictly increasing, time_steps[0] >= 1).  With equal rates every
 * exchange takes a mean time 1/(z omega), so t_i = time_steps[i] / z in units of 1/omega.
 * In the random model the tracer itself jumps to a random neighbour at every step and
 * there is no vacancy (uncorrelated reference, f = 1).
 * In the solute model (rates, see hop_rates), and on a lattice with per-jump rates
 * (lattice.h; the random walker's too, hop_msd_typed_random_replica), the run is timed
 * by the residence-time clock
 * instead: time_steps holds times in units of 2^-32 / w_max, the vacancy starts in
 * equilibrium (uniform; with a solute, nearest-neighbour sites weighted w4/w3), and each
 * event advances the clock by the mean residence time 1/R of the state it leaves,
 * R = sum of the z rates, as the integer floor((2^64 - 1) / sum of weights).  The mean
 * (the expectation of the exponential waiting time given the path) leaves every
 * long-time average, D included, unchanged and removes the waiting-time noise; being
 * an integer it is the same on every backend. */
typedef struct {
    int model;                       /* hop_model_id */
    int32_t cells[HOP_MAX_DIM];      /* box size in conventional cells; 1 on unused axes */
    int32_t period[HOP_MAX_DIM];     /* cells * lattice cell edge; 0 on unused axes */
    int n_times;                     /* 1..HOP_MAX_TIMES */
    int64_t time_steps[HOP_MAX_TIMES];
    double time_unit;                /* one unit of time_steps in 1/omega (host only) */
    hop_rates rates;                 /* HOP_MODEL_SOLUTE */
} hop_msd_params;

/* What an msd replica records: a row of int64, series-major,
 *   row[q K + i]   series q at time point i (K = n_times), q < S = 2 + n_groups:
 *                  q = 0 the tracer's |d|^2, q = 1 the vacancy's |d_v|^2, q = 2 + g the
 *                  tracer's |d|^2 projected on principal component g (all times metric_den)
 *   row[S K]       tracer jumps
 *   row[S K + 1]   vacancy exchanges
 * Every entry is an exact integer (lattice.h), so sums of rows and of products of their
 * entries are exact in 128-bit integers, in any order. */
enum { HOP_SERIES_TRACER = 0, HOP_SERIES_VACANCY = 1, HOP_SERIES_GROUP0 = 2 };
#define HOP_MAX_SERIES (HOP_SERIES_GROUP0 + HOP_MAX_GROUPS)
#define HOP_MSD_MAX_ROW (HOP_MAX_SERIES * HOP_MAX_TIMES + 2)

HOP_HD int hop_msd_series(const hop_lattice *L)
{
    return HOP_SERIES_GROUP0 + L->n_groups;
}

HOP_HD int hop_msd_row_len(const hop_lattice *L, const hop_msd_params *p)
{
    return hop_msd_series(L) * p->n_times + 2;
}

/* Next exact uniform integer in [0, n) from the replica's stream, one word at a time. */
HOP_HD uint32_t hop_rng_below(hop_rng *rng, uint32_t n)
{
    uint32_t v = 0;
    while (!hop_draw_below(hop_rng_next(rng), n, &v))
        ;
    return v;
}

/* Place the tracer and the vacancy in equilibrium in the box (see hop_msd_params). */
HOP_HD void hop_msd_start(const hop_lattice *L, const hop_msd_params *p, hop_rng *rng,
                          hop_walk *w)
{
    const uint32_t n_sites = (uint32_t)(p->cells[0] * p->cells[1] * p->cells[2] * L->n_basis);
    const uint32_t tracer_site = hop_rng_below(rng, (uint32_t)L->n_basis);
    uint32_t site = hop_rng_below(rng, n_sites - 1);
    uint32_t cell, b;
    int32_t c[HOP_MAX_DIM];
    if (site >= tracer_site)
        ++site;                      /* every site but the tracer's, uniformly */
    cell = site / (uint32_t)L->n_basis;
    b = site % (uint32_t)L->n_basis;
    c[0] = (int32_t)(cell % (uint32_t)p->cells[0]);
    c[1] = (int32_t)((cell / (uint32_t)p->cells[0]) % (uint32_t)p->cells[1]);
    c[2] = (int32_t)(cell / (uint32_t)(p->cells[0] * p->cells[1]));
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        w->vacancy_rel[a] = hop_wrap(c[a] * L->cell[a] + L->basis[b][a]
                                     - L->basis[tracer_site][a], p->period[a]);
    w->vacancy_sub = L->basis_sub[b];
    w->tracer_sub = L->basis_sub[tracer_site];
}

/* Write the series of time point i (K points) into row, from the displacements. */
HOP_HD void hop_msd_record(const hop_lattice *L, const int32_t *tracer_disp,
                           const int32_t *vacancy_disp, int i, int K, int64_t *row)
{
    const int S = hop_msd_series(L);
    int64_t total = 0;
    for (int q = HOP_SERIES_GROUP0; q < S; ++q)
        row[q * K + i] = 0;
    for (int a = 0; a < L->dim; ++a) {
        const int64_t c = hop_lattice_cart(L, tracer_disp, a);
        const int64_t v = (int64_t)L->weight[a] * c * c;
        total += v;
        row[(HOP_SERIES_GROUP0 + L->group_of_axis[a]) * K + i] += v;
    }
    row[HOP_SERIES_TRACER * K + i] = total;
    row[HOP_SERIES_VACANCY * K + i] = hop_lattice_norm2(L, vacancy_disp);
}

/* x^T M x of the shortest periodic image of x (x in [0, period) per axis); exact for
 * the cubic lattices, whose metric is diagonal. */
HOP_HD int64_t hop_min_image_r2(const hop_lattice *L, const int32_t *period, const int32_t *x)
{
    int32_t y[HOP_MAX_DIM];
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        y[a] = period[a] && 2 * x[a] > period[a] ? x[a] - period[a] : x[a];
    return hop_lattice_norm2(L, y);
}

/* Squared distance (minimum image) of the vacancy from the solute after exchange k. */
HOP_HD int64_t hop_box_target_r2(const hop_lattice *L, const int32_t *period, const hop_walk *w,
                                 int k)
{
    int32_t t[HOP_MAX_DIM];
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        t[a] = hop_wrap(w->vacancy_rel[a] + L->jump[w->vacancy_sub][k][a], period[a]);
    return hop_min_image_r2(L, period, t);
}

/* Record, from the displacements, every time point from next_time on that the clock
 * has passed (time_steps[i] < clock); returns the first one it has not.  Out of line on
 * the CPU: it runs a few dozen times a replica, and kept apart its arithmetic stays out
 * of the step loop. */
HOP_COLD_HD int hop_msd_record_passed(const hop_lattice *L, const hop_msd_params *p,
                                      int64_t clock, int next_time, const int32_t *tracer_disp,
                                      const int32_t *vacancy_disp, int64_t *row)
{
    while (next_time < p->n_times && p->time_steps[next_time] < clock)
        hop_msd_record(L, tracer_disp, vacancy_disp, next_time++, p->n_times, row);
    return next_time;
}

/* An msd replica of the solute model, on the residence-time clock (see
 * hop_msd_params); row as hop_msd_replica. */
HOP_HD void hop_msd_clock_replica(const hop_lattice *L, const hop_msd_params *p,
                                  uint64_t seed, uint64_t replica, int64_t *row)
{
    const hop_rates *R = &p->rates;
    const int K = p->n_times, S = hop_msd_series(L);
    const uint64_t w_nn = R->weight[HOP_W4], w_far = R->weight[HOP_W3];
    const uint64_t w_top = w_nn > w_far ? w_nn : w_far;
    int32_t tracer_disp[HOP_MAX_DIM] = {0, 0, 0};
    int32_t vacancy_disp[HOP_MAX_DIM] = {0, 0, 0};
    int64_t clock = 0, next_clock = p->time_steps[0], steps = 0, jumps = 0, r2;
    int next_time = 0, pending = -1;
    hop_rng rng;
    hop_walk w;

    hop_rng_init(&rng, seed, replica);
    /* Equilibrium start: uniform placement kept with probability w4/w3 on the NN shell
     * and 1 elsewhere, relative to the larger (rejection, integer weights). */
    for (;;) {
        uint64_t u;
        hop_msd_start(L, p, &rng, &w);
        r2 = hop_min_image_r2(L, p->period, w.vacancy_rel);
        u = (uint64_t)hop_rng_next(&rng) << 32;
        u |= hop_rng_next(&rng);
        if (hop_mulhi64(u, w_top) < (r2 == R->nn_r2 ? w_nn : w_far))
            break;
    }
    while (next_time < K) {
        uint64_t total = 0;
        int k;
        const int near = r2 <= 4 * R->nn_r2;
        if (near)
            for (k = 0; k < L->z; ++k)
                total += R->weight[hop_rates_class(R, r2, hop_box_target_r2(L, p->period, &w, k))];
        else
            total = (uint64_t)L->z * R->weight[HOP_W0];
        clock += (int64_t)(UINT64_MAX / total);
        /* The state before this event holds for every grid time it passes; tested
         * against the next grid time only, recorded out of line (as the typed loop). */
        if (clock > next_clock) {
            next_time = hop_msd_record_passed(L, p, clock, next_time, tracer_disp,
                                              vacancy_disp, row);
            if (next_time == K)
                break;
            next_clock = p->time_steps[next_time];
        }
        if (!near) {
            if (pending >= 0) {
                k = pending;
                pending = -1;
            } else {
                hop_draw_pair(hop_rng_next(&rng), (uint32_t)L->z, &k, &pending);
            }
        } else {
            uint64_t u = (uint64_t)hop_rng_next(&rng) << 32;
            u |= hop_rng_next(&rng);
            u = hop_mulhi64(u, total);
            pending = -1;
            for (k = 0; k < L->z - 1; ++k) {
                const uint64_t wk = R->weight[hop_rates_class(R, r2, hop_box_target_r2(L, p->period, &w, k))];
                if (u < wk)
                    break;
                u -= wk;
            }
        }
        {
            const int *e = L->jump[w.vacancy_sub][k];
            for (int a = 0; a < HOP_MAX_DIM; ++a)
                vacancy_disp[a] += e[a];
            if (hop_vacancy_step(L, p->period, &w, k, 0) >= 0) {
                for (int a = 0; a < HOP_MAX_DIM; ++a)
                    tracer_disp[a] -= e[a];
                ++jumps;
            }
        }
        r2 = hop_min_image_r2(L, p->period, w.vacancy_rel);
        ++steps;
    }
    row[S * K] = jumps;
    row[S * K + 1] = steps;
}

/* An msd replica on a lattice with unequal rates (per-jump rates, site energies), on
 * the residence-time clock (see hop_msd_params); row as hop_msd_replica.  The start is
 * in equilibrium: uniform placement, kept with probability occupation[s] / 2^32 where
 * the site energies differ (rejection).  Each event adds the mean residence time of
 * the vacancy's sublattice (residence, lattice.h) and chooses the jump from half a
 * word of a batch (hop_typed_pick). */
HOP_HD void hop_msd_typed_replica(const hop_lattice *L, const hop_msd_params *p,
                                  uint64_t seed, uint64_t replica, int64_t *row)
{
    const int K = p->n_times, S = hop_msd_series(L);
    int32_t tracer_disp[HOP_MAX_DIM] = {0, 0, 0};
    int32_t vacancy_disp[HOP_MAX_DIM] = {0, 0, 0};
    int64_t clock = 0, next_clock, steps = 0, jumps = 0;
    int next_time = 0;
    hop_rng rng;
    hop_walk w;

    hop_rng_init(&rng, seed, replica);
    do
        hop_msd_start(L, p, &rng, &w);
    while (L->occupation[0] && (uint64_t)hop_rng_next(&rng) >= L->occupation[w.vacancy_sub]);
    next_clock = p->time_steps[0];
    while (next_time < K) {
        uint32_t words[HOP_WORD_BATCH];
        for (int c = 0; c < HOP_WORD_BATCH; c += 4)
            hop_rng_next4(&rng, words + c);
        for (int i = 0; i < 2 * HOP_WORD_BATCH; ++i) {
            const int s = w.vacancy_sub;
            int k, next_sub;
            clock += (int64_t)L->residence[s];
            /* The state before this event holds for every grid time it passes.  Tested
             * against the next grid time only: a `while` over the grid here let gcc 12
             * hoist the recording's arithmetic out of it into every step (2.4x). */
            if (clock > next_clock) {
                next_time = hop_msd_record_passed(L, p, clock, next_time, tracer_disp,
                                                  vacancy_disp, row);
                if (next_time == K)
                    break;
                next_clock = p->time_steps[next_time];
            }
            k = hop_typed_pick_to(L, s, i & 1 ? words[i >> 1] & 0xffffu : words[i >> 1] >> 16,
                                  &rng, &next_sub);
            for (int a = 0; a < HOP_MAX_DIM; ++a)
                vacancy_disp[a] += L->jump[s][k][a];
            if (hop_vacancy_step(L, p->period, &w, k, 0) >= 0) {
                for (int a = 0; a < HOP_MAX_DIM; ++a)
                    tracer_disp[a] -= L->jump[s][k][a];
                ++jumps;
            }
            w.vacancy_sub = next_sub;    /* the same, off the table read (choice_sub) */
            ++steps;
        }
    }
    row[S * K] = jumps;
    row[S * K + 1] = steps;
}

/* An msd replica of the random model on a lattice with unequal rates: the tracer walks
 * by itself, choosing each jump in proportion to its rate (hop_typed_pick, as the
 * vacancy does in hop_msd_typed_replica) and advancing the residence-time clock by the
 * mean residence time of its sublattice; it starts on a uniformly chosen site, kept
 * with probability occupation[s] / 2^32 where the site energies differ.  Row as
 * hop_msd_replica (the vacancy's series stays 0). */
HOP_HD void hop_msd_typed_random_replica(const hop_lattice *L, const hop_msd_params *p,
                                         uint64_t seed, uint64_t replica, int64_t *row)
{
    const int K = p->n_times, S = hop_msd_series(L);
    const int32_t still[HOP_MAX_DIM] = {0, 0, 0};
    int32_t tracer_disp[HOP_MAX_DIM] = {0, 0, 0};
    int64_t clock = 0, next_clock = p->time_steps[0], jumps = 0;
    int next_time = 0;
    hop_rng rng;
    hop_walk w;

    hop_rng_init(&rng, seed, replica);
    do
        hop_msd_start(L, p, &rng, &w);
    while (L->occupation[0] && (uint64_t)hop_rng_next(&rng) >= L->occupation[w.tracer_sub]);
    while (next_time < K) {
        const int s = w.tracer_sub;
        const uint32_t word = hop_rng_next(&rng);
        int k, next_sub;
        clock += (int64_t)L->residence[s];
        if (clock > next_clock) {        /* as hop_msd_typed_replica: out of line */
            next_time = hop_msd_record_passed(L, p, clock, next_time, tracer_disp, still, row);
            if (next_time == K)
                break;
            next_clock = p->time_steps[next_time];
        }
        k = hop_typed_pick_to(L, s, word >> 16, &rng, &next_sub);
        for (int a = 0; a < HOP_MAX_DIM; ++a)
            tracer_disp[a] += L->jump[s][k][a];
        w.tracer_sub = next_sub;
        ++jumps;
    }
    row[S * K] = jumps;
    row[S * K + 1] = jumps;
}

/* Run replica `replica` of the msd estimator and fill its row (hop_msd_row_len entries,
 * layout above); see hop_msd_params. */
HOP_HD void hop_msd_replica(const hop_lattice *L, const hop_msd_params *p,
                            uint64_t seed, uint64_t replica, int64_t *row)
{
    const int64_t n_max = p->time_steps[p->n_times - 1];
    const int K = p->n_times, S = hop_msd_series(L);
    int32_t tracer_disp[HOP_MAX_DIM] = {0, 0, 0};
    int32_t vacancy_disp[HOP_MAX_DIM] = {0, 0, 0};
    int64_t steps = 0, jumps = 0;
    int next_time = 0;
    hop_rng rng;
    hop_walk w;

    if (p->model == HOP_MODEL_SOLUTE) {
        hop_msd_clock_replica(L, p, seed, replica, row);
        return;
    }
    if (p->model == HOP_MODEL_VACANCY && L->rate_total[0]) {
        hop_msd_typed_replica(L, p, seed, replica, row);
        return;
    }
    if (p->model == HOP_MODEL_RANDOM && L->rate_total[0]) {
        hop_msd_typed_random_replica(L, p, seed, replica, row);
        return;
    }
    hop_rng_init(&rng, seed, replica);
    hop_msd_start(L, p, &rng, &w);
    while (steps < n_max) {
        uint32_t words[HOP_WORD_BATCH];
        for (int c = 0; c < HOP_WORD_BATCH; c += 4)
            hop_rng_next4(&rng, words + c);
        for (int i = 0; i < 2 * HOP_WORD_BATCH && steps < n_max; i += 2) {
            int k[2];
            hop_draw_pair(words[i >> 1], (uint32_t)L->z, &k[0], &k[1]);
            for (int h = 0; h < 2 && steps < n_max; ++h) {
                if (p->model == HOP_MODEL_RANDOM) {
                    const int *e = L->jump[w.tracer_sub][k[h]];
                    for (int a = 0; a < HOP_MAX_DIM; ++a)
                        tracer_disp[a] += e[a];
                    w.tracer_sub = L->jump_sub[w.tracer_sub][k[h]];
                    ++jumps;
                } else {
                    const int *e = L->jump[w.vacancy_sub][k[h]];
                    for (int a = 0; a < HOP_MAX_DIM; ++a)
                        vacancy_disp[a] += e[a];
                    if (hop_vacancy_step(L, p->period, &w, k[h], 0) >= 0) {
                        for (int a = 0; a < HOP_MAX_DIM; ++a)
                            tracer_disp[a] -= e[a];
                        ++jumps;
                    }
                }
                ++steps;
                if (steps == p->time_steps[next_time])
                    hop_msd_record(L, tracer_disp, vacancy_disp, next_time++, K, row);
            }
        }
    }
    row[S * K] = jumps;
    row[S * K + 1] = steps;
}

#endif

/* rng.h: Philox4x32-10, hop's counter-based random number generator, written as a
 * bit-exact C twin of cuRAND's curandStatePhilox4_32_10_t.
 *
 * Philox is the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel
 * random numbers: as easy as 1, 2, 3", SC'11 (2011), doi:10.1145/2063384.2063405
 * (the Random123 library): ten rounds of a keyed bijection of a 128-bit counter,
 * each round two 32x32->64 multiplications and a Weyl-sequence key bump.  Because
 * the output is a pure function of (counter, key), any word of any stream can be
 * produced in O(1), on any device, in any order.
 *
 * The stream layout is cuRAND's (curand_kernel.h, curand_philox4x32_x.h):
 * curand_init(seed, subsequence, offset) sets key = (seed low, seed high), counter =
 * (0, 0, subsequence low, subsequence high) and then skips `offset` 32-bit words.
 * The CPU backend uses the functions below and the CUDA kernels call curand itself;
 * tests/test_rng.c holds the known answers and tests/test_curand_equiv.c checks
 * 10^6 words per stream against cuRAND compiled for the host.
 *
 * Header-only; compiles as C99 and as CUDA C++ (HOP_HD).  No globals, no I/O.
 * Never include Random123 or curand headers here: both define mulhilo32. */
#ifndef HOP_RNG_H
#define HOP_RNG_H

#include "hop/hd.h"

/* Round constants of Philox4x32 (Salmon et al. 2011, Table 2): the multipliers
 * and the Weyl key increments (golden ratio and sqrt(3) - 1). */
#define HOP_PHILOX_M0 0xD2511F53u
#define HOP_PHILOX_M1 0xCD9E8D57u
#define HOP_PHILOX_W0 0x9E3779B9u
#define HOP_PHILOX_W1 0xBB67AE85u

typedef struct {
    uint32_t ctr[4];   /* 128-bit counter, word 0 least significant (cuRAND ctr.x..w) */
    uint32_t out[4];   /* Philox output of the current counter (cuRAND output) */
    uint32_t key[2];   /* key = (low, high 32 bits of the seed) */
    uint32_t idx;      /* words of out[] already consumed, 0..3 (cuRAND STATE) */
} hop_philox;

/* One Philox4x32 round on x[4] with key k[2], in place.  Same word order as
 * cuRAND's _philox4x32round: (hi1^x1^k0, lo1, hi0^x3^k1, lo0). */
HOP_HD void hop_philox_round(uint32_t x[4], const uint32_t k[2])
{
    uint64_t p0 = (uint64_t)HOP_PHILOX_M0 * (uint64_t)x[0];
    uint64_t p1 = (uint64_t)HOP_PHILOX_M1 * (uint64_t)x[2];
    uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
    uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
    x[0] = hi1 ^ x[1] ^ k[0];
    x[1] = lo1;
    x[2] = hi0 ^ x[3] ^ k[1];
    x[3] = lo0;
}

/* Bare Philox4x32-10: out = Philox(ctr, key).
 * ctr: 128-bit counter, word 0 least significant; key: (low, high) 32-bit words.
 * Pure function; out may alias ctr.  Matches Random123's philox4x32(ctr, key) and
 * cuRAND's curand_Philox4x32_10 (known answers in docs/reproducibility.md). */
HOP_HD void hop_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    uint32_t x[4];
    uint32_t k[2];
    int round;
    x[0] = ctr[0]; x[1] = ctr[1]; x[2] = ctr[2]; x[3] = ctr[3];
    k[0] = key[0]; k[1] = key[1];
    for (round = 0; round < 10; ++round) {
        if (round > 0) {
            k[0] += HOP_PHILOX_W0;
            k[1] += HOP_PHILOX_W1;
        }
        hop_philox_round(x, k);
    }
    out[0] = x[0]; out[1] = x[1]; out[2] = x[2]; out[3] = x[3];
}

/* Adds one to the 128-bit counter, carrying through all four words
 * (cuRAND Philox_State_Incr(s)).  Does not recompute out[]. */
HOP_HD void hop_philox_ctr_incr(hop_philox *s)
{
    if (++s->ctr[0]) return;
    if (++s->ctr[1]) return;
    if (++s->ctr[2]) return;
    ++s->ctr[3];
}

/* Adds n to the counter's low 64 bits with carry into the high words, exactly as
 * cuRAND's Philox_State_Incr(s, n) does, including its carry test on word 1 (which
 * differs from a true 128-bit add only when n >= 0xffffffff00000000, never reached
 * from hop_philox_init).  Does not recompute out[]. */
HOP_HD void hop_philox_ctr_add(hop_philox *s, uint64_t n)
{
    uint32_t nlo = (uint32_t)n;
    uint32_t nhi = (uint32_t)(n >> 32);
    s->ctr[0] += nlo;
    if (s->ctr[0] < nlo)
        nhi++;
    s->ctr[1] += nhi;
    if (nhi <= s->ctr[1])
        return;
    if (++s->ctr[2]) return;
    ++s->ctr[3];
}

/* Adds n to the counter's high 64 bits (words 2, 3), wrapping modulo 2^64 like
 * cuRAND's Philox_State_Incr_hi.  Does not recompute out[]. */
HOP_HD void hop_philox_ctr_add_hi(hop_philox *s, uint64_t n)
{
    uint32_t nlo = (uint32_t)n;
    uint32_t nhi = (uint32_t)(n >> 32);
    s->ctr[2] += nlo;
    if (s->ctr[2] < nlo)
        nhi++;
    s->ctr[3] += nhi;
}

/* Same as curand_init(seed, subsequence, offset, &state) for
 * curandStatePhilox4_32_10_t (offset counts 32-bit words).
 * Postcondition: ctr = (offset/4 added to (0, 0, subsequence)), idx = offset % 4,
 * out = Philox(ctr, key); the next word returned is out[idx].  Every input is
 * valid; each subsequence is 2^66 words long.  Cost: one Philox evaluation. */
HOP_HD void hop_philox_init(hop_philox *s, uint64_t seed, uint64_t subsequence, uint64_t offset)
{
    uint64_t n;
    s->ctr[0] = 0; s->ctr[1] = 0; s->ctr[2] = 0; s->ctr[3] = 0;
    s->key[0] = (uint32_t)seed;
    s->key[1] = (uint32_t)(seed >> 32);
    s->idx = 0;
    /* skipahead_sequence(subsequence) */
    hop_philox_ctr_add_hi(s, subsequence);
    /* skipahead(offset), from idx = 0 so no quad carry */
    s->idx = (uint32_t)(offset & 3u);
    n = offset / 4u;
    hop_philox_ctr_add(s, n);
    hop_philox4x32_10(s->ctr, s->key, s->out);
}

/* Same as curand4(&state): writes the next four words of the stream to w[] and
 * advances it by four.  When idx != 0 the four words straddle the current output
 * and the next one (out[idx..3], then the first idx words of the next output); idx
 * itself is unchanged.  Cost: one Philox evaluation. */
HOP_HD void hop_philox_next4(hop_philox *s, uint32_t w[4])
{
    uint32_t prev[4];
    uint32_t i;
    prev[0] = s->out[0]; prev[1] = s->out[1]; prev[2] = s->out[2]; prev[3] = s->out[3];
    hop_philox_ctr_incr(s);
    hop_philox4x32_10(s->ctr, s->key, s->out);
    for (i = 0; i < 4; ++i) {
        uint32_t j = (s->idx & 3u) + i;   /* position in prev ++ out */
        w[i] = j < 4u ? prev[j] : s->out[j - 4u];
    }
}

/* Same as curand(&state): returns the next word of the stream and advances it by
 * one.  Invariant kept from cuRAND: out[idx] is always the next word, so the
 * counter moves (one Philox evaluation) when the fourth word of out[] is used. */
HOP_HD uint32_t hop_philox_next(hop_philox *s)
{
    uint32_t r = s->out[s->idx & 3u];
    if (++s->idx >= 4u) {
        hop_philox_ctr_incr(s);
        hop_philox4x32_10(s->ctr, s->key, s->out);
        s->idx = 0;
    }
    return r;
}

/* hop_rng: the stream the shared step code draws from, one per replica, keyed by
 * (seed, subsequence = global replica index, offset 0).  Here it is the C twin above.
 * CUDA kernels define HOP_RNG_CURAND and include kernels/hop_curand.cuh before any hop
 * header; that file makes hop_rng cuRAND's own curandStatePhilox4_32_10_t with
 * curand_init / curand4 / curand, which produce the same words. */
#if !defined(HOP_RNG_CURAND)
typedef hop_philox hop_rng;

HOP_HD void hop_rng_init(hop_rng *s, uint64_t seed, uint64_t replica)
{
    hop_philox_init(s, seed, replica, 0);
}

HOP_HD void hop_rng_next4(hop_rng *s, uint32_t w[4])
{
    hop_philox_next4(s, w);
}

HOP_HD uint32_t hop_rng_next(hop_rng *s)
{
    return hop_philox_next(s);
}
#endif

#endif

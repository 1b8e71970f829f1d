/* test_rng.c: known answers and stream identities for hop's Philox4x32-10 twin of
 * cuRAND (include/hop/rng.h).  The bare-function vectors are Random123's
 * kat_vectors; the stream answers were read from cuRAND itself compiled for the
 * host (docs/reproducibility.md).  The word-by-word comparison with cuRAND over 10^6 words
 * lives in test_curand_equiv.c. */
#include <criterion/criterion.h>

#include "hop/rng.h"

/* Asserts that four words equal the expected ones, naming the first that differs. */
static void expect_words(const uint32_t got[4], const uint32_t want[4], const char *what)
{
    int i;
    for (i = 0; i < 4; ++i)
        cr_assert_eq(got[i], want[i], "%s: word %d is %08x, expected %08x", what, i,
                     (unsigned)got[i], (unsigned)want[i]);
}

/* ---- bare Philox4x32-10 (Salmon et al. 2011 / Random123 kat_vectors) ---- */

Test(philox_kat, zero_counter_zero_key)
{
    const uint32_t ctr[4] = {0, 0, 0, 0};
    const uint32_t key[2] = {0, 0};
    const uint32_t want[4] = {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u};
    uint32_t out[4];
    hop_philox4x32_10(ctr, key, out);
    expect_words(out, want, "Philox(0, 0)");
}

Test(philox_kat, all_ones)
{
    const uint32_t ctr[4] = {0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu};
    const uint32_t key[2] = {0xffffffffu, 0xffffffffu};
    const uint32_t want[4] = {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu};
    uint32_t out[4];
    hop_philox4x32_10(ctr, key, out);
    expect_words(out, want, "Philox(~0, ~0)");
}

Test(philox_kat, pi_digits)
{
    const uint32_t ctr[4] = {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u};
    const uint32_t key[2] = {0xa4093822u, 0x299f31d0u};
    const uint32_t want[4] = {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u};
    uint32_t out[4];
    hop_philox4x32_10(ctr, key, out);
    expect_words(out, want, "Philox(pi)");
}

Test(philox_kat, output_may_alias_counter)
{
    uint32_t x[4] = {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u};
    const uint32_t key[2] = {0xa4093822u, 0x299f31d0u};
    const uint32_t want[4] = {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u};
    hop_philox4x32_10(x, key, x);
    expect_words(x, want, "Philox(pi) in place");
}

/* ---- cuRAND stream layout ---- */

Test(philox_stream, init_layout)
{
    hop_philox s;
    hop_philox_init(&s, 0x0123456789abcdefull, 5, 0);
    cr_assert_eq(s.key[0], 0x89abcdefu);
    cr_assert_eq(s.key[1], 0x01234567u);
    cr_assert_eq(s.ctr[0], 0u);
    cr_assert_eq(s.ctr[1], 0u);
    cr_assert_eq(s.ctr[2], 5u);
    cr_assert_eq(s.ctr[3], 0u);
    cr_assert_eq(s.idx, 0u);
}

Test(philox_stream, curand4_known_answer)
{
    /* curand_init(0x0123456789abcdef, 5, 0, &s); curand4(&s) */
    const uint32_t want[4] = {0xb341ed12u, 0x7899c9ccu, 0x8d35f144u, 0x68eba6fbu};
    uint32_t w[4];
    hop_philox s;
    hop_philox_init(&s, 0x0123456789abcdefull, 5, 0);
    hop_philox_next4(&s, w);
    expect_words(w, want, "first curand4");
}

Test(philox_stream, curand_offset6_known_answer)
{
    /* curand_init(0x0123456789abcdef, 5, 6, &s); curand(&s) */
    hop_philox s;
    uint32_t r;
    hop_philox_init(&s, 0x0123456789abcdefull, 5, 6);
    r = hop_philox_next(&s);
    cr_assert_eq(r, 0xcd7aeb5cu, "first curand at offset 6 is %08x, expected cd7aeb5c",
                 (unsigned)r);
}

Test(philox_stream, first_output_is_bare_philox_of_layout)
{
    const uint32_t ctr[4] = {0, 0, 5, 0};
    const uint32_t key[2] = {0x89abcdefu, 0x01234567u};
    uint32_t out[4], w[4];
    hop_philox s;
    hop_philox4x32_10(ctr, key, out);
    hop_philox_init(&s, 0x0123456789abcdefull, 5, 0);
    hop_philox_next4(&s, w);
    expect_words(w, out, "curand4 vs Philox(0,0,5,0)");
}

/* next4 and four calls of next give the same words, at every phase of idx. */
Test(philox_stream, next4_equals_four_next)
{
    uint64_t offset;
    for (offset = 0; offset < 8; ++offset) {
        hop_philox a, b;
        int q, i;
        hop_philox_init(&a, 0xfeedfacecafebeefull, 3, offset);
        hop_philox_init(&b, 0xfeedfacecafebeefull, 3, offset);
        for (q = 0; q < 50; ++q) {
            uint32_t w[4];
            hop_philox_next4(&a, w);
            for (i = 0; i < 4; ++i) {
                uint32_t r = hop_philox_next(&b);
                cr_assert_eq(w[i], r, "offset %u, quad %d, word %d: next4 %08x, next %08x",
                             (unsigned)offset, q, i, (unsigned)w[i], (unsigned)r);
            }
        }
    }
}

/* Mixed next/next4 calls follow one stream: a single draw shifts the quad phase. */
Test(philox_stream, mixed_draws_follow_one_stream)
{
    hop_philox a, b;
    uint32_t ref[64];
    uint32_t w[4];
    int i, pos = 0;
    hop_philox_init(&a, 42, 7, 0);
    for (i = 0; i < 64; ++i)
        ref[i] = hop_philox_next(&a);
    hop_philox_init(&b, 42, 7, 0);
    while (pos + 5 <= 64) {
        cr_assert_eq(hop_philox_next(&b), ref[pos], "single draw at %d", pos);
        ++pos;
        hop_philox_next4(&b, w);
        for (i = 0; i < 4; ++i)
            cr_assert_eq(w[i], ref[pos + i], "quad draw at %d", pos + i);
        pos += 4;
    }
}

/* init with offset k equals init with offset 0 followed by k single draws. */
Test(philox_stream, offset_equals_skipped_draws)
{
    hop_philox skip, walk;
    uint64_t k;
    int i;
    hop_philox_init(&walk, 0x0123456789abcdefull, 5, 0);
    for (k = 0; k <= 9; ++k) {
        hop_philox_init(&skip, 0x0123456789abcdefull, 5, k);
        cr_assert_eq(skip.idx, walk.idx, "offset %u: idx", (unsigned)k);
        for (i = 0; i < 4; ++i) {
            cr_assert_eq(skip.ctr[i], walk.ctr[i], "offset %u: ctr[%d]", (unsigned)k, i);
            cr_assert_eq(skip.out[i], walk.out[i], "offset %u: out[%d]", (unsigned)k, i);
        }
        {
            hop_philox a = skip, b = walk;
            for (i = 0; i < 12; ++i)
                cr_assert_eq(hop_philox_next(&a), hop_philox_next(&b),
                             "offset %u: draw %d", (unsigned)k, i);
        }
        (void)hop_philox_next(&walk);
    }
}

/* Large offset 2^33 + 3: the counter moves by 2^31 quads and the phase is 3.
 * Walking 2^33 words one by one is too slow for a unit test, so the walk starts
 * from a state whose counter was set by hand to the quad just before, built with
 * the bare function: that is what k single draws do by construction (one counter
 * increment per four draws), checked for small k above. */
Test(philox_stream, large_offset)
{
    const uint64_t k = (1ull << 33) + 3;
    hop_philox skip, walk;
    int i;
    hop_philox_init(&skip, 0x0123456789abcdefull, 5, k);
    cr_assert_eq(skip.ctr[0], 0x80000000u);
    cr_assert_eq(skip.ctr[1], 0u);
    cr_assert_eq(skip.ctr[2], 5u);
    cr_assert_eq(skip.ctr[3], 0u);
    cr_assert_eq(skip.idx, 3u);

    /* the state after 2^33 - 1 draws from offset 0: counter 2^31 - 1, phase 3 */
    hop_philox_init(&walk, 0x0123456789abcdefull, 5, 0);
    walk.ctr[0] = 0x7fffffffu;
    hop_philox4x32_10(walk.ctr, walk.key, walk.out);
    walk.idx = 3;
    /* four more single draws reach offset 2^33 + 3 */
    for (i = 0; i < 4; ++i)
        (void)hop_philox_next(&walk);
    for (i = 0; i < 4; ++i) {
        cr_assert_eq(skip.ctr[i], walk.ctr[i], "ctr[%d]", i);
        cr_assert_eq(skip.out[i], walk.out[i], "out[%d]", i);
    }
    cr_assert_eq(skip.idx, walk.idx);
    for (i = 0; i < 16; ++i)
        cr_assert_eq(hop_philox_next(&skip), hop_philox_next(&walk), "draw %d", i);
}

/* Offsets past 2^34 words carry into counter word 1, and offset 4*(2^64-1)+r
 * (the largest) stays inside the subsequence's low 64 bits. */
Test(philox_stream, offset_counter_words)
{
    hop_philox s;
    hop_philox_init(&s, 1, 0, (1ull << 34) + 4 * 5 + 2);
    cr_assert_eq(s.ctr[0], 5u);
    cr_assert_eq(s.ctr[1], 1u);
    cr_assert_eq(s.ctr[2], 0u);
    cr_assert_eq(s.idx, 2u);
    hop_philox_init(&s, 1, 9, 0xffffffffffffffffull);
    cr_assert_eq(s.ctr[0], 0xffffffffu);
    cr_assert_eq(s.ctr[1], 0x3fffffffu);
    cr_assert_eq(s.ctr[2], 9u);
    cr_assert_eq(s.ctr[3], 0u);
    cr_assert_eq(s.idx, 3u);
}

/* Counter carry: a draw that completes the quad at counter word 0 = 2^32 - 1 must
 * carry into word 1 (and on through all four words for the all-ones counter). */
Test(philox_stream, counter_carry_low_word)
{
    /* offset 4*(2^32 - 1) + 3: counter (ffffffff, 0, sub), last word of the quad */
    const uint64_t offset = 4 * 0xffffffffull + 3;
    const uint32_t want_ctr[4] = {0, 1, 0xffffffffu, 0};
    uint32_t want_out[4];
    hop_philox s, t;
    uint32_t w[4];
    int i;
    hop_philox_init(&s, 77, 0xffffffffu, offset);
    cr_assert_eq(s.ctr[0], 0xffffffffu);
    cr_assert_eq(s.ctr[1], 0u);
    cr_assert_eq(s.idx, 3u);
    hop_philox4x32_10(want_ctr, s.key, want_out);

    t = s;
    (void)hop_philox_next(&s);   /* consumes the last word: counter moves */
    for (i = 0; i < 4; ++i) {
        cr_assert_eq(s.ctr[i], want_ctr[i], "after next: ctr[%d] = %08x", i,
                     (unsigned)s.ctr[i]);
        cr_assert_eq(s.out[i], want_out[i], "after next: out[%d]", i);
    }
    hop_philox_next4(&t, w);     /* straddles the carry: 1 old word + 3 new */
    for (i = 0; i < 4; ++i)
        cr_assert_eq(t.ctr[i], want_ctr[i], "after next4: ctr[%d]", i);
    for (i = 1; i < 4; ++i)
        cr_assert_eq(w[i], want_out[i - 1], "next4 word %d after the carry", i);

    /* and the same state equals offset 4*2^32 directly */
    hop_philox_init(&t, 77, 0xffffffffu, offset + 1);
    for (i = 0; i < 4; ++i) {
        cr_assert_eq(t.ctr[i], s.ctr[i], "offset 2^34: ctr[%d]", i);
        cr_assert_eq(t.out[i], s.out[i], "offset 2^34: out[%d]", i);
    }
    cr_assert_eq(t.idx, s.idx);
}

Test(philox_stream, counter_carry_all_words)
{
    hop_philox s;
    int i;
    hop_philox_init(&s, 3, 0, 0);
    for (i = 0; i < 4; ++i)
        s.ctr[i] = 0xffffffffu;
    s.idx = 3;
    (void)hop_philox_next(&s);
    for (i = 0; i < 4; ++i)
        cr_assert_eq(s.ctr[i], 0u, "ctr[%d] after the 128-bit wrap", i);
}

/* Subsequence words: 2^32 + 7 sets words 2 and 3; subsequences wrap modulo 2^64. */
Test(philox_stream, subsequence_words)
{
    hop_philox s;
    hop_philox_init(&s, 0, (1ull << 32) + 7, 0);
    cr_assert_eq(s.ctr[2], 7u);
    cr_assert_eq(s.ctr[3], 1u);
    hop_philox_init(&s, 0, 0xffffffffffffffffull, 0);
    cr_assert_eq(s.ctr[2], 0xffffffffu);
    cr_assert_eq(s.ctr[3], 0xffffffffu);
}

/* Distinct subsequences and seeds give distinct streams (a smoke test of the key
 * and counter wiring, not a statistical test). */
Test(philox_stream, streams_differ)
{
    hop_philox a, b, c;
    hop_philox_init(&a, 1, 0, 0);
    hop_philox_init(&b, 1, 1, 0);
    hop_philox_init(&c, 2, 0, 0);
    cr_assert_neq(hop_philox_next(&a), hop_philox_next(&b));
    hop_philox_init(&a, 1, 0, 0);
    cr_assert_neq(hop_philox_next(&a), hop_philox_next(&c));
}

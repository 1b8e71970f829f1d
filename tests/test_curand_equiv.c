/* test_curand_equiv.c: hop's Philox twin (include/hop/rng.h) against cuRAND itself.
 *
 * tests/curand_stream.cu is cuRAND's curandStatePhilox4_32_10_t compiled by nvcc
 * for the host (QUALIFIERS redefined, no GPU needed); for each (seed, subsequence,
 * offset) triple below it writes the first 10^6 words of curand_init + curand4 to a
 * pipe, and this test compares them with hop_philox_init + hop_philox_next4,
 * reporting the first index that differs.  The triples cover the extreme seeds,
 * subsequences that fill counter words 2 and 3, offsets at every phase mod 4
 * (curand4 straddling two Philox outputs), an offset above 2^32, and a run whose
 * counter carries from word 0 into word 1.
 *
 * The build defines HOP_CURAND_STREAM (the program's path) only when nvcc was found
 * at configure time; otherwise every test is skipped with a message. */
#ifndef _POSIX_C_SOURCE
#  define _POSIX_C_SOURCE 200809L   /* popen, pclose */
#endif
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>

#include "hop/rng.h"

#define N_WORDS 1000000u

#if defined(HOP_CURAND_STREAM)
/* Runs curand_stream for one triple, the first `singles` words drawn one at a time
 * (curand) and the rest four at a time (curand4), and compares N_WORDS words with the
 * C twin drawing the same way. */
static void check_stream(uint64_t seed, uint64_t subsequence, uint64_t offset, uint32_t singles)
{
    char command[1024];
    unsigned char *bytes;
    size_t n_read;
    FILE *pipe;
    int status, extra;
    hop_philox s;
    uint32_t w[4];
    uint32_t i;

    snprintf(command, sizeof command, "'%s' %llu %llu %llu %u %u", HOP_CURAND_STREAM,
             (unsigned long long)seed, (unsigned long long)subsequence,
             (unsigned long long)offset, N_WORDS, singles);
    bytes = malloc(4 * (size_t)N_WORDS);
    cr_assert_not_null(bytes, "out of memory");
    pipe = popen(command, "r");
    cr_assert_not_null(pipe, "cannot run %s", command);
    n_read = fread(bytes, 1, 4 * (size_t)N_WORDS, pipe);
    extra = fgetc(pipe);
    status = pclose(pipe);
    cr_assert_eq(status, 0, "%s exited with status %d", command, status);
    cr_assert_eq(n_read, 4 * (size_t)N_WORDS, "%s wrote %zu bytes, expected %zu", command,
                 n_read, 4 * (size_t)N_WORDS);
    cr_assert_eq(extra, EOF, "%s wrote more than %u words", command, N_WORDS);

    hop_philox_init(&s, seed, subsequence, offset);
    for (i = 0; i < N_WORDS; ++i) {
        const unsigned char *b = bytes + 4 * (size_t)i;
        uint32_t want = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                        (uint32_t)b[3] << 24;
        uint32_t got;
        if (i < singles) {
            got = hop_philox_next(&s);
        } else {
            if ((i - singles) % 4 == 0)
                hop_philox_next4(&s, w);
            got = w[(i - singles) % 4];
        }
        if (got != want) {
            free(bytes);
            cr_assert_fail("seed %016llx, subsequence %llu, offset %llu: word %u is "
                           "%08x in hop, %08x in cuRAND (first difference)",
                           (unsigned long long)seed, (unsigned long long)subsequence,
                           (unsigned long long)offset, (unsigned)i, (unsigned)got,
                           (unsigned)want);
        }
    }
    free(bytes);
}
#else
static void check_stream(uint64_t seed, uint64_t subsequence, uint64_t offset, uint32_t singles)
{
    (void)seed;
    (void)subsequence;
    (void)offset;
    (void)singles;
    cr_skip_test("nvcc not found at configure time: cuRAND equivalence not checked");
}
#endif

static void check_triple(uint64_t seed, uint64_t subsequence, uint64_t offset)
{
    check_stream(seed, subsequence, offset, 0);
}

Test(curand_equiv, seed0_sub0_off0)
{
    check_triple(0, 0, 0);
}

Test(curand_equiv, seedmax_sub1_off1)
{
    check_triple(0xffffffffffffffffull, 1, 1);
}

Test(curand_equiv, sub_2p32p7_off3)
{
    check_triple(0x0123456789abcdefull, (1ull << 32) + 7, 3);
}

Test(curand_equiv, sub_2p40_off6)
{
    check_triple(0x9e3779b97f4a7c15ull, 1ull << 40, 6);
}

Test(curand_equiv, offset_2p33p5)
{
    check_triple(0xffffffffffffffffull, 0xffffffffull, (1ull << 33) + 5);
}

/* Starts 2^17 quads below counter word 0 = 2^32, so the 250000 quads read carry
 * into word 1 mid-stream, at phase 1 (curand4 straddling the carry). */
Test(curand_equiv, low_word_carry)
{
    check_triple(0x0123456789abcdefull, 0xffffffffull, (1ull << 34) - (1ull << 19) + 1);
}

/* curand() words first, then curand4 from a state whose index is not 0: the pattern of
 * hop_msd_start (exact rejection sampling one word at a time) before the step loop. */
Test(curand_equiv, singles_then_quads)
{
    for (uint32_t singles = 1; singles <= 6; ++singles)
        check_stream(0x0123456789abcdefULL, 5 + singles, 0, singles);
}

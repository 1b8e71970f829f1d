/* test_choice.c: Criterion tests for the unequal-rate choice of the vacancy's jump: the
 * alias tables of host/lattice/choice.c and hop_typed_pick of include/hop/step.h.
 *
 * Exact properties: the integer weights q_k sum to 2^64, each within one unit of
 * rate_k 2^64 / rate_total, a rate-0 jump weight 0; the table realises them exactly
 * (summed over its columns, in 128-bit integers) and names the sublattices its jumps
 * reach; and hop_typed_pick, enumerated over
 * all 2^16 digits of half a word (the tie digits resolved by the words it then draws,
 * checked against a copy of the stream, their share counted exactly), chooses jump k
 * with probability exactly q_k / 2^64.  Statistical: a typed lattice's corr and msd f
 * agree with the exact solver within 4 sigma + bias. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "hop/step.h"
#include "lattice/choice.h"
#include "lattice/file.h"
#include "lattice/rates.h"
#include "run_helper.h"

typedef hop_u128 u128;
#define DIGIT_BITS 16
#define INDEX_BITS (DIGIT_BITS - HOP_CHOICE_BITS)      /* 11: compared with T's top */
#define COLUMN ((u128)1 << (64 - HOP_CHOICE_BITS))       /* a column's share of 2^64 */

static const hop_lattice *load(const char *name)
{
    const hop_lattice *L = NULL;
    char path[512], msg[512];
    snprintf(path, sizeof path, "%s/tests/lattices/%s.lat", HOP_SOURCE_DIR, name);
    cr_assert_eq(hop_lattice_load(path, &L, msg, sizeof msg), HOP_OK, "%s", msg);
    return L;
}

/* sc with rates 4 : 2 : 2 : 1 : 0 : 1 by hand (a zero-rate jump, as a sublattice padded
 * with absent jumps has), tables derived. */
static hop_lattice with_a_zero_rate(void)
{
    hop_lattice L = *hop_lattice_find("sc");
    static const uint64_t rate[6] = {UINT64_C(1) << 32, UINT64_C(1) << 31, UINT64_C(1) << 31,
                                     UINT64_C(1) << 30, 0, UINT64_C(1) << 30};
    L.rate_total[0] = 0;
    for (int k = 0; k < 6; ++k) {
        L.rate[0][k] = rate[k];
        L.rate_total[0] += rate[k];
    }
    hop_lattice_derive_choice(&L);
    return L;
}

/* The lattices checked: typed files, one with a rate changed on the command line's
 * path, and the hand-made zero-rate one. */
#define N_CASES 6
static hop_lattice cases[N_CASES];
static void make_cases(void)
{
    static const char *files[] = {"fcc-2class", "sc-ab", "pyrochlore-nnn", "sc-layered"};
    for (int i = 0; i < 4; ++i)
        cases[i] = *load(files[i]);
    cases[4] = *load("hcp-mg");
    cr_assert_eq(hop_lattice_set_rate(&cases[4], "c", 0.013), HOP_OK);
    cr_assert_eq(hop_lattice_apply_rates(&cases[4], 0), HOP_OK);
    cases[5] = with_a_zero_rate();
    for (int i = 0; i < N_CASES; ++i)
        cr_assert(cases[i].rate_total[0] != 0, "%s: unequal rates", cases[i].name);
}

Test(choice, weights_sum_to_2_64_each_within_a_unit)
{
    make_cases();
    for (int i = 0; i < N_CASES; ++i) {
        const hop_lattice *L = &cases[i];
        for (int s = 0; s < L->n_sub; ++s) {
            u128 q[HOP_MAX_Z], sum = 0;
            const u128 total = L->rate_total[s];
            hop_lattice_choice_weights(L, s, q);
            for (int k = 0; k < L->z; ++k) {
                const u128 exact = (u128)L->rate[s][k] << 64;       /* q_k * total, exactly */
                const u128 approx = q[k] * total;
                sum += q[k];
                cr_expect(approx > exact ? approx - exact < total : exact - approx < total,
                          "%s sublattice %d jump %d: q off by a unit or more", L->name, s, k);
                cr_expect((q[k] == 0) == (L->rate[s][k] == 0), "%s %d %d: q 0 iff rate 0",
                          L->name, s, k);
            }
            cr_expect(sum == (u128)1 << 64, "%s sublattice %d: weights sum to 2^64", L->name, s);
        }
    }
}

/* T_c of column c of sublattice s, and its alias. */
static u128 threshold(const hop_lattice *L, int s, int c)
{
    return (u128)(L->choice_cut[s][c] >> HOP_CHOICE_BITS) << 32 | L->choice_cut_low[s][c];
}

static int alias_of(const hop_lattice *L, int s, int c)
{
    return (int)(L->choice_cut[s][c] & (HOP_CHOICE_COLUMNS - 1));
}

/* What choice_next holds for jump k of sublattice s: the sublattice it reaches above bit
 * HOP_CHOICE_TO_SHIFT, its index s z_max + k in the [s][k] tables below. */
static unsigned next_entry(const hop_lattice *L, int s, int k)
{
    return (unsigned)L->jump_sub[s][k] << HOP_CHOICE_TO_SHIFT | (unsigned)(s * HOP_MAX_Z + k);
}

Test(choice, table_realises_the_weights_exactly)
{
    make_cases();
    for (int i = 0; i < N_CASES; ++i) {
        const hop_lattice *L = &cases[i];
        for (int s = 0; s < L->n_sub; ++s) {
            u128 q[HOP_MAX_Z], got[HOP_CHOICE_COLUMNS] = {0};
            hop_lattice_choice_weights(L, s, q);
            for (int c = 0; c < HOP_CHOICE_COLUMNS; ++c) {
                const u128 T = threshold(L, s, c);
                const int a = alias_of(L, s, c);
                cr_assert(T < COLUMN, "%s %d column %d: threshold within the column", L->name, s, c);
                cr_assert(a < L->z, "%s %d column %d: alias %d is a jump", L->name, s, c, a);
                cr_assert(L->choice_sub[s][c][1] == L->jump_sub[s][a]
                          && (c >= L->z || L->choice_sub[s][c][0] == L->jump_sub[s][c]),
                          "%s %d column %d: the sublattices reached", L->name, s, c);
                cr_assert(L->choice_next[s][c][1] == next_entry(L, s, a)
                          && L->choice_next[s][c][0] == next_entry(L, s, c < L->z ? c : a),
                          "%s %d column %d: the jumps and the sublattices reached", L->name,
                          s, c);
                got[c] += T;
                got[a] += COLUMN - T;
            }
            for (int c = 0; c < HOP_CHOICE_COLUMNS; ++c)
                cr_expect(got[c] == (c < L->z ? q[c] : 0), "%s sublattice %d: jump %d's share",
                          L->name, s, c);
        }
    }
}

/* Every 16-bit digit through hop_typed_pick: a digit that is not a tie is worth 2^48 of
 * 2^64 to the jump it gives; a tie digit (its low 11 bits equal T's top 11) is worth the
 * rest of T (its low 48 bits) to the column's jump and the remainder to the alias, and
 * the pick must follow the words it draws (predicted on a copy of the stream). */
Test(choice, pick_enumerated_gives_the_weights_exactly)
{
    make_cases();
    for (int i = 0; i < N_CASES; ++i) {
        const hop_lattice *L = &cases[i];
        for (int s = 0; s < L->n_sub; ++s) {
            u128 q[HOP_MAX_Z], got[HOP_CHOICE_COLUMNS] = {0};
            hop_rng rng;
            int ties = 0;
            hop_lattice_choice_weights(L, s, q);
            hop_rng_init(&rng, 99, (uint64_t)(i * HOP_MAX_SUB + s));
            for (uint32_t d = 0; d < (1u << DIGIT_BITS); ++d) {
                const int c = (int)(d >> INDEX_BITS);
                const u128 T = threshold(L, s, c);
                const uint32_t x = d & ((1u << INDEX_BITS) - 1);
                const uint32_t top = (uint32_t)(T >> 48);
                const u128 rest = T & (((u128)1 << 48) - 1);
                hop_rng before = rng;
                const int k = hop_typed_pick(L, s, d, &rng);
                if (x != top) {
                    cr_assert_eq(k, x < top ? c : alias_of(L, s, c), "%s %d digit %u", L->name,
                                 s, d);
                    cr_assert(memcmp(&before, &rng, sizeof rng) == 0, "no word drawn off a tie");
                    got[k] += (u128)1 << 48;
                    continue;
                }
                /* A tie: keep c iff the 48 bits drawn are below rest. */
                {
                    uint64_t U;
                    int keep;
                    const uint32_t w1 = rest ? hop_rng_next(&before) : 0;
                    U = (uint64_t)w1 << 16;
                    if (rest && w1 == (uint32_t)(rest >> 16))
                        U |= hop_rng_next(&before) >> 16;
                    keep = rest && (u128)U < rest;
                    cr_assert_eq(k, keep ? c : alias_of(L, s, c), "%s %d tie digit %u", L->name,
                                 s, d);
                    cr_assert(memcmp(&before, &rng, sizeof rng) == 0, "%s %d tie digit %u: "
                              "words drawn", L->name, s, d);
                    got[c] += rest;
                    got[alias_of(L, s, c)] += ((u128)1 << 48) - rest;
                    ++ties;
                }
            }
            cr_expect_eq(ties, HOP_CHOICE_COLUMNS, "one tie digit per column");
            for (int c = 0; c < HOP_CHOICE_COLUMNS; ++c)
                cr_expect(got[c] == (c < L->z ? q[c] : 0), "%s sublattice %d: jump %d chosen "
                          "with probability q / 2^64", L->name, s, c);
        }
    }
}

/* Equal rates: no table (the built-ins keep their bytes). */
Test(choice, equal_rates_have_no_table)
{
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const hop_lattice *L = hop_lattice_get(i);
        static const hop_lattice zero;
        cr_assert_not_null(L);
        cr_expect(memcmp(L->choice_cut, zero.choice_cut, sizeof zero.choice_cut) == 0
                  && memcmp(L->choice_cut_low, zero.choice_cut_low, sizeof zero.choice_cut_low) == 0
                  && memcmp(L->residence, zero.residence, sizeof zero.residence) == 0,
                  "%s: equal rates, no table", L->name);
    }
}

/* sc-ab (two sublattices, E_B = 1 kT: unequal rates within each sublattice and unequal
 * occupations): corr and msd f against the exact solver's 0.6345731941 (radius 16,
 * bound 9e-7), within 4 sigma + bias. */
Test(choice, typed_lattice_f_agrees_with_exact, .timeout = 300)
{
    const hop_lattice *L = load("sc-ab");
    const double f_exact = 0.6345731941;
    for (int est = HOP_EST_CORR; est <= HOP_EST_MSD; ++est) {
        hop_params p = hop_test_params("sc", est, HOP_MODEL_VACANCY,
                                       est == HOP_EST_MSD ? 4000 : 100000, 17);
        hop_result *r;
        p.lattice = L;
        r = hop_test_run(&p);
        cr_expect(r->f.sigma > 0 && r->f.sigma < (est == HOP_EST_MSD ? 0.02 : 3e-3),
                  "estimator %d: sigma %g", est, r->f.sigma);
        cr_expect_leq(fabs(r->f.value - f_exact), 4 * r->f.sigma + r->f.bias + 1e-6,
                      "estimator %d: f %.5f +- %.5f (bias %.5f), exact %.7f", est, r->f.value,
                      r->f.sigma, r->f.bias, f_exact);
        hop_result_free(r);
    }
}

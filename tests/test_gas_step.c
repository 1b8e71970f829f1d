/* test_gas_step.c: the lattice gas's shared step code (include/hop/gas.h) driven
 * directly along trajectories, the way test_step.c tests step.h: exact identities of its
 * bookkeeping (particle and vacancy counts, occupancy <-> mover positions, the sum of the
 * particles' displacements = - the sum of the vacancies' = the collective displacement,
 * the recorded pair count and slab series recomputed slab by slab) on lattices with one
 * and two sublattices, odd edges and unequal slab blocks, and the CPU's target table
 * against the table-free path the GPU runs (moved whole from test_gas.c); the Metropolis
 * test's words and the host's thresholds at strong coupling. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hop/gas.h"
#include "backend/cpu.h"
#include "models/gas.h"
#include "run_helper.h"

/* ---- exact identities along a trajectory -------------------------------------------- */

/* The slab series recomputed from the cell coordinates of the sites (cells x-fastest,
 * the basis inside: models/gas.c), slab by slab: on each axis B = min(L, 32) blocks, block j
 * the planes x with floor(j L/B) <= x < floor((j + 1) L/B) (found by search); the wide
 * slabs are the B runs of B/2 consecutive blocks (cyclically), the narrow ones of B/4.
 * out[0] = sum over the wide slabs of (n_k - floor(N (B/2)/B))^2, out[1] = out[0] minus
 * the same over the narrow ones with floor(N (B/4)/B).  Also checks the host's sums over
 * the slabs of v_k (1 - v_k/n) and of (N v_k/n - mean)^2, from the slabs' site counts. */
static void slab_series(const hop_params *p, const hop_gas_model *m, const int32_t *occ,
                        int64_t *out)
{
    const hop_lattice *L = p->lattice;
    const int E = p->size, B = E < 32 ? E : 32, blocks[2] = {B / 2, B / 4};
    const int64_t n = m->gp.n_sites, N = m->gp.n_particles;
    double D[2] = {0, 0}, e2[2] = {0, 0};
    int64_t sum[2] = {0, 0};
    cr_assert_eq(m->gp.n_blocks, B);
    for (int a = 0; a < L->dim; ++a)
        for (int j = 0; j < B; ++j)
            for (int k = 0; k < 2; ++k) {
                const int64_t mean = N * blocks[k] / B;
                int64_t sites = 0, in = 0;
                for (int64_t s = 0; s < n; ++s) {
                    int64_t cell = s / L->n_basis;
                    int x, b = 0;
                    for (int i = 0; i < a; ++i)
                        cell /= E;
                    x = (int)(cell % E);
                    while (!(x >= (int64_t)b * E / B && x < (int64_t)(b + 1) * E / B))
                        ++b;
                    if ((b - j + B) % B < blocks[k]) {
                        ++sites;
                        in += hop_gas_code(occ[s]) >= 0;
                    }
                }
                sum[k] += (in - mean) * (in - mean);
                D[k] += sites * (1 - (double)sites / n);
                e2[k] += ((double)N * sites / n - mean) * ((double)N * sites / n - mean);
            }
    cr_assert_float_eq(m->wide_D, D[0], 1e-9 * D[0], "wide_D %.12g, want %.12g", m->wide_D, D[0]);
    cr_assert_float_eq(m->narrow_D, D[1], 1e-9 * (D[1] + 1), "narrow_D %.12g, want %.12g",
                       m->narrow_D, D[1]);
    cr_assert_float_eq(m->wide_e2, e2[0], 1e-9 * (e2[0] + 1));
    cr_assert_float_eq(m->narrow_e2, e2[1], 1e-9 * (e2[1] + 1));
    out[0] = sum[0];
    out[1] = sum[0] - sum[1];
}

static void expect_bookkeeping(const char *lattice, int size, double c, double J)
{
    hop_params p = hop_test_gas_params(lattice, size, c, J, 2000, 3);
    char msg[256];
    hop_gas_model *m;
    hop_gas_params gp;
    hop_gas_work w;
    hop_gas_state st;
    int32_t *space;
    int64_t row[HOP_GAS_MAX_ROW], slabs[2];
    const hop_lattice *L;
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
    L = p.lattice;
    m = hop_gas_model_alloc(&p);
    cr_assert_not_null(m);
    gp = m->gp;
    cr_assert_eq(gp.vacancy_movers, c > 0.5, "%s c = %g: movers", lattice, c);
    space = malloc(hop_gas_work_ints(&gp, L->z, 1) * sizeof *space);
    cr_assert_not_null(space);
    hop_gas_work_carve(&gp, 1, space, &w);
    hop_gas_begin(L, &gp, &m->box, 11, 4, &w, &st);
    hop_gas_equilibrate(L, &gp, &m->box, &w, &st, L->z, 0, gp.vacancy_movers, 1);
    for (int check = 0; check < 20; ++check) {
        int64_t sum[3] = {0, 0, 0}, vsum[3] = {0, 0, 0}, pairs = 0;
        int32_t particles = 0;
        for (int n = 0; n < 500; ++n)
            hop_gas_attempt(L, &gp, &m->box, &w, &st, L->z, 0, gp.vacancy_movers, 1);
        for (int32_t s = 0; s < gp.n_sites; ++s) {
            const int32_t id = hop_gas_code(w.occ[s]);
            int around = 0;
            particles += id >= 0;
            cr_assert(id >= -gp.n_vacancies && id < gp.n_particles, "occupancy code %d", id);
            for (int k = 0; k < L->z; ++k)
                around += hop_gas_code(w.occ[m->nbr[(int64_t)s * L->z + k]]) >= 0;
            if (id >= 0)
                pairs += around;
            /* the neighbour counts are kept with interactions only */
            cr_assert_eq(hop_gas_neighbours(w.occ[s]), gp.interacting ? around : 0,
                         "%s: neighbour count of site %d", lattice, s);
        }
        cr_assert_eq(particles, gp.n_particles, "%s: particles conserved", lattice);
        for (int32_t k = 0; k < gp.n_movers; ++k) {
            const int32_t id = gp.vacancy_movers ? -1 - k : k;
            cr_assert_eq(hop_gas_code(w.occ[w.pos[k]]), id, "%s: mover %d is where pos says",
                         lattice, k);
            for (int j = 0; j < L->z; ++j)
                cr_assert_eq(w.target[k * L->z + j], m->nbr[(int64_t)w.pos[k] * L->z + j],
                             "%s: target %d of mover %d", lattice, j, k);
        }
        for (int32_t j = 0; j < gp.n_sites; ++j)
            for (int a = 0; a < 3; ++a)
                (j < gp.n_particles ? sum : vsum)[a] += w.disp[3 * j + a];
        for (int a = 0; a < 3; ++a) {
            cr_assert_eq(sum[a], -vsum[a], "%s: particles' and vacancies' displacements", lattice);
            cr_assert_eq(sum[a], st.collective[a], "%s: collective displacement", lattice);
        }
        hop_gas_record(L, &gp, &m->box, &w, &st, 0, 1, row);
        cr_assert_eq(row[HOP_GAS_COLLECTIVE], hop_gas_norm2_64(L, sum));
        cr_assert_eq(row[3 + L->n_groups], pairs / 2, "%s: recorded pairs", lattice);
        slab_series(&p, m, w.occ, slabs);
        cr_assert_eq(row[4 + L->n_groups], slabs[0], "%s: recorded wide slab fluctuation",
                     lattice);
        cr_assert_eq(row[5 + L->n_groups], slabs[1], "%s: recorded difference of the widths",
                     lattice);
    }
    cr_assert_gt(st.jumps, 0);
    free(space);
    hop_gas_model_free(m);
}

Test(gas_identities, particles_move) { expect_bookkeeping("sc", 4, 0.3, 0.7); }
Test(gas_identities, vacancies_move) { expect_bookkeeping("fcc", 2, 0.75, -0.5); }
Test(gas_identities, two_sublattices) { expect_bookkeeping("honeycomb", 4, 0.6, 0); }
Test(gas_identities, odd_edge) { expect_bookkeeping("triangular", 5, 0.45, 0.3); }
Test(gas_identities, shifted_slabs) { expect_bookkeeping("hcp", 6, 0.4, -0.2); }
Test(gas_identities, one_width) { expect_bookkeeping("bcc", 3, 0.5, 0.4); }
Test(gas_identities, unequal_blocks) { expect_bookkeeping("square", 37, 0.4, 0.3); }
Test(gas_identities, unequal_blocks_ring) { expect_bookkeeping("chain", 70, 0.3, -0.5); }

/* The CPU's target table (include/hop/gas.h) only shortens the lookup of the target
 * site: every replica's row is the same without it, as the kernel runs. */
static void expect_same_rows_without_targets(const char *lattice, int size, double c, double J)
{
    hop_params p = hop_test_gas_params(lattice, size, c, J, 2000, 29);
    char msg[256];
    hop_gas_model *m;
    int32_t *space;
    int64_t with[HOP_GAS_MAX_ROW], without[HOP_GAS_MAX_ROW];
    hop_gas_work w;
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
    m = hop_gas_model_alloc(&p);
    cr_assert_not_null(m);
    space = malloc(hop_gas_work_ints(&m->gp, p.lattice->z, 1) * sizeof *space);
    cr_assert_not_null(space);
    for (uint64_t r = 0; r < 6; ++r) {
        hop_gas_work_carve(&m->gp, 1, space, &w);
        hop_gas_replica(p.lattice, &m->gp, &m->box, p.seed, r, &w, with);
        hop_gas_work_carve(&m->gp, 0, space, &w);
        cr_assert_null(w.target);
        hop_gas_replica(p.lattice, &m->gp, &m->box, p.seed, r, &w, without);
        cr_assert_gt(with[hop_gas_row_len(p.lattice, &m->gp) - 2], 0, "%s: jumps", lattice);
        cr_assert_arr_eq(with, without, hop_gas_row_len(p.lattice, &m->gp) * sizeof *with,
                         "%s c = %g J = %g: replica %d differs without the target table",
                         lattice, c, J, (int)r);
    }
    free(space);
    hop_gas_model_free(m);
}

Test(gas_identities, target_table)
{
    expect_same_rows_without_targets("sc", 4, 0.3, 0.7);        /* particles move */
    expect_same_rows_without_targets("bcc", 3, 0.7, -0.4);      /* vacancies move */
    expect_same_rows_without_targets("fcc", 2, 0.5, 0);
    expect_same_rows_without_targets("hcp", 3, 0.4, 0.5);       /* two sublattices */
    expect_same_rows_without_targets("honeycomb", 4, 0.6, -0.6);
    expect_same_rows_without_targets("chain", 16, 0.5, 1.0);
}

/* ---- the Metropolis test at any coupling ---------------------------------------------- */

/* hop_gas_accept against threshold t accepts exactly the pairs of words (w1, w2) whose
 * 64-bit number w1 2^32 + w2 is below t, so with probability t/2^64, drawing w2 only
 * when w1 is t's high word; a threshold whose low word is 0 decides on w1 alone (w1 <
 * its high word).  Checked at the edges of both words, on streams whose words are read
 * ahead from a copy of the generator. */
static void expect_decision(uint64_t t, const hop_rng *start)
{
    hop_rng rng = *start, ahead = *start;
    const uint32_t w1 = hop_rng_next(&ahead), w2 = hop_rng_next(&ahead);
    const uint32_t w3 = hop_rng_next(&ahead);
    const uint32_t high = (uint32_t)(t >> 32), low = (uint32_t)t;
    const int two = w1 == high && low != 0;
    const int want = two ? (((uint64_t)w1 << 32) | w2) < t : w1 < high;
    cr_assert_eq(hop_gas_accept(t, &rng), want, "t = %#llx, words %#x %#x",
                 (unsigned long long)t, w1, w2);
    cr_assert_eq(hop_rng_next(&rng), two ? w3 : w2, "t = %#llx: %d word(s) drawn",
                 (unsigned long long)t, two ? 2 : 1);
}

Test(gas_accept, the_accepted_words_are_those_below_the_threshold)
{
    for (uint64_t r = 0; r < 200; ++r) {
        hop_rng start, peek;
        uint64_t pair;
        hop_rng_init(&start, 77, r);
        peek = start;
        pair = (uint64_t)hop_rng_next(&peek) << 32;
        pair |= hop_rng_next(&peek);
        /* the first word is the high word: the second decides */
        for (int64_t d = -2; d <= 2; ++d)
            if ((uint32_t)(pair + (uint64_t)d) != 0)
                expect_decision(pair + (uint64_t)d, &start);
        /* the first word above, below or at a high word whose low word is 0 */
        expect_decision(pair & ~(uint64_t)UINT32_MAX, &start);
        expect_decision((pair & ~(uint64_t)UINT32_MAX) + (UINT64_C(1) << 32), &start);
        if (pair >> 32)
            expect_decision((pair & ~(uint64_t)UINT32_MAX) - 1, &start);
        expect_decision(0, &start);
        expect_decision(1, &start);
    }
}

/* The host's thresholds (models/gas.c) at strong coupling on every lattice: each
 * Metropolis factor p = exp(-J dB) < 1 is t/2^64, within 2^-64 of p below 2^-16 (t =
 * floor(p 2^64): the integers counted by the test above), and from 2^-16 up t's low word
 * is 0 with t/2^64 within 2^-32 and 2^-16 relative; factors of 1 draw nothing.  p from
 * expl (64-bit mantissa), to which exp's rounding (2^-52 relative) is allowed. */
static void expect_thresholds(const hop_lattice *L, double J)
{
    hop_params p = hop_test_gas_params(L->name, 0, 0.5, J, 2000, 1);
    char msg[256];
    hop_gas_model *m;
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s J = %g: %s", L->name, J,
                 msg);
    cr_assert_not_null(m = hop_gas_model_alloc(&p));
    for (int d = -(L->z - 1); d <= L->z - 1; ++d) {
        const uint64_t t = m->gp.accept[d + L->z - 1];
        const long double want = ldexpl(expl(-(long double)J * d), 64);    /* p 2^64 */
        const long double slack = 1 + want * 0x1p-52L;
        if (J * d <= 0) {
            cr_assert_eq(t, HOP_GAS_ALWAYS, "%s J = %g dB = %d: always", L->name, J, d);
            continue;
        }
        cr_assert_neq(t, HOP_GAS_ALWAYS);
        if (want >= 0x1p48L) {
            cr_assert_eq((uint32_t)t, 0, "%s J = %g dB = %d: one word", L->name, J, d);
            cr_assert_leq(fabsl((long double)t - want), 0x1p32L + slack);
            cr_assert_leq(fabsl((long double)t - want), want * 0x1p-16L + slack);
        } else {
            cr_assert_leq(fabsl((long double)t - want), slack, "%s J = %g dB = %d: t = %llu, "
                          "p 2^64 = %.3Lf", L->name, J, d, (unsigned long long)t, want);
        }
    }
    /* a jump that makes or breaks one pair keeps a rate */
    cr_assert_gt(m->gp.accept[(J > 0 ? 1 : -1) + L->z - 1], 0, "%s J = %g", L->name, J);
    hop_gas_model_free(m);
}

Test(gas_accept, thresholds_exact_to_2_pow_minus_64_on_every_lattice)
{
    static const double couplings[] = {10, -10, 25, -25, 44.3, -44.3};
    for (int i = 0; i < hop_lattice_count(); ++i)
        for (size_t j = 0; j < sizeof couplings / sizeof *couplings; ++j)
            expect_thresholds(hop_lattice_get(i), couplings[j]);
}

/* Before the second word, |J| dB_max <= 16 ln 2 was the limit and the threshold
 * floor(p 2^32) of one word: at the largest such |J| on every lattice each threshold a
 * jump can meet (|dB| <= dB_max) is that one word still, so those runs keep their bits
 * (scripts/regress holds some). */
Test(gas_accept, the_former_range_keeps_its_one_word_thresholds)
{
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const hop_lattice *L = hop_lattice_get(i);
        hop_params p = hop_test_gas_params(L->name, 0, 0.5, 0, 2000, 1);
        char msg[256];
        hop_gas_model *m;
        double J;
        cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s: %s", L->name, msg);
        cr_assert_not_null(m = hop_gas_model_alloc(&p));
        J = 16 * log(2.0) / m->max_dB;
        while (J * m->max_dB > 16 * log(2.0))         /* the former check's own rounding */
            J = nextafter(J, 0);
        for (int d = 1; d <= m->max_dB; ++d) {      /* x = -|J| |dB|, either sign of J */
            const double x = -J * d;
            const uint64_t t = hop_gas_accept_threshold(x);
            cr_assert_eq(t, (uint64_t)floor(exp(x) * 4294967296.0) << 32,
                         "%s |J| = %.17g |dB| = %d: %#llx", L->name, J, d,
                         (unsigned long long)t);
        }
        hop_gas_model_free(m);
    }
}

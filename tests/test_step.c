/* test_step.c: Criterion tests for the shared per-step physics (include/hop/step.h) on
 * hand-made states.
 *
 * The random-word helpers are checked exactly: hop_draw_pair against its boundaries
 * and a uniform grid of words, hop_draw_below against the complete list of rejected
 * words derived from number theory and an exhaustive scan of all 2^32 words.  The
 * exchange rule of hop_vacancy_step is checked for every jump of every lattice, on the
 * infinite lattice and in a periodic box, and a long walk in small boxes checks the
 * invariants that tie the relative state to absolute positions.  The replica drivers
 * are checked to be pure functions of (seed, replica) and to respect sublattices. */
#include <criterion/criterion.h>

#include <stdint.h>
#include <string.h>

#include "hop/step.h"
#include "lattice/impl.h"

static const hop_lattice *lattice_at(int i)
{
    const hop_lattice *L = hop_lattice_get(i);
    cr_assert_not_null(L, "lattice %d missing", i);
    return L;
}

/* One vacancy step through the generic path (bravais = 0) and, for lattices with one
 * sublattice, through the specialised path too: both must give the same state and
 * return value. */
static int vacancy_step(const hop_lattice *L, const int32_t *period, hop_walk *w, int k)
{
    hop_walk w1 = *w;
    const int type = hop_vacancy_step(L, period, w, k, 0);
    if (L->n_sub == 1) {
        const int type1 = hop_vacancy_step(L, period, &w1, k, 1);
        cr_assert(type1 == type && !memcmp(&w1, w, sizeof w1),
                  "%s: the Bravais path of hop_vacancy_step differs from the generic one",
                  L->name);
    }
    return type;
}

/* ---- hop_draw_pair ----------------------------------------------------------------- */

Test(draw_pair, extreme_words)
{
    for (uint32_t z = 1; z <= HOP_MAX_Z; ++z) {
        int k1 = -1, k2 = -1;
        hop_draw_pair(0u, z, &k1, &k2);
        cr_expect(k1 == 0 && k2 == 0, "z %u, word 0: (%d, %d)", z, k1, k2);
        /* (2^32 - 1) z = (z - 1) 2^32 + (2^32 - z); (2^32 - z) z >> 32 = z - 1 for
         * z^2 <= 2^32. */
        hop_draw_pair(0xffffffffu, z, &k1, &k2);
        cr_expect(k1 == (int)z - 1 && k2 == (int)z - 1, "z %u, word ~0: (%d, %d)", z, k1, k2);
    }
}

/* The first choice switches from j - 1 to j exactly at word ceil(j 2^32 / z). */
Test(draw_pair, first_choice_boundaries)
{
    for (uint32_t z = 1; z <= HOP_MAX_Z; ++z)
        for (uint32_t j = 1; j < z; ++j) {
            const uint64_t w = ((uint64_t)j << 32) / z + (((uint64_t)j << 32) % z != 0);
            int k1, k2;
            hop_draw_pair((uint32_t)w, z, &k1, &k2);
            cr_expect_eq(k1, (int)j, "z %u: word %#llx gives %d", z, (unsigned long long)w, k1);
            hop_draw_pair((uint32_t)(w - 1), z, &k1, &k2);
            cr_expect_eq(k1, (int)j - 1, "z %u: word %#llx gives %d", z,
                         (unsigned long long)(w - 1), k1);
        }
}

/* Over the grid of words i 2^12 (i < 2^20), the first choice j is taken by a run of
 * consecutive i, along which (w z mod 2^32) runs through an arithmetic progression of
 * step z 2^12 in [0, 2^32); the second choice l is taken where that value lies in an
 * interval of length 2^32 / z.  Such an interval holds floor or ceil of 2^20 / z^2
 * points of the progression, so every pair (j, l) appears, within one of 2^20 / z^2. */
Test(draw_pair, covers_all_pairs_uniformly)
{
    static unsigned count[HOP_MAX_Z][HOP_MAX_Z];
    for (uint32_t z = 1; z <= HOP_MAX_Z; ++z) {
        const double want = (double)(1u << 20) / (z * z);
        memset(count, 0, sizeof count);
        for (uint32_t i = 0; i < (1u << 20); ++i) {
            int k1, k2;
            hop_draw_pair(i << 12, z, &k1, &k2);
            cr_assert(k1 >= 0 && k1 < (int)z && k2 >= 0 && k2 < (int)z,
                      "z %u word %#x: (%d, %d) out of range", z, i << 12, k1, k2);
            count[k1][k2]++;
        }
        for (uint32_t j = 0; j < z; ++j)
            for (uint32_t l = 0; l < z; ++l)
                cr_expect(count[j][l] > want - 1.0 && count[j][l] < want + 1.0,
                          "z %u: pair (%u, %u) drawn %u times, want %.3f", z, j, l,
                          count[j][l], want);
    }
}

/* ---- hop_draw_below ---------------------------------------------------------------- */

/* Inverse of an odd number modulo 2^32 (Newton: each step doubles the correct bits). */
static uint32_t inverse_odd(uint32_t m)
{
    uint32_t x = m;                   /* correct to 3 bits for odd m */
    for (int i = 0; i < 5; ++i)
        x *= 2u - m * x;
    return x;
}

/* The words w with (w n mod 2^32) < t = 2^32 mod n, i.e. those Lemire's method
 * rejects.  With n = 2^k m (m odd), t and w n are multiples of 2^k, and
 * w n = r 2^k (mod 2^32) iff w = r m^-1 (mod 2^(32-k)): 2^k solutions per r. */
static int rejected_words(uint32_t n, uint32_t *out, int max)
{
    const uint32_t t = (uint32_t)((UINT64_C(1) << 32) % n);
    int k = 0, count = 0;
    uint32_t m = n;
    while (!(m & 1u)) { m >>= 1; ++k; }
    for (uint32_t r = 0; (r << k) < t; ++r) {
        const uint32_t base = (r * inverse_odd(m)) & (uint32_t)((UINT64_C(1) << (32 - k)) - 1);
        for (uint32_t j = 0; j < (1u << k); ++j) {
            cr_assert_lt(count, max);
            out[count++] = base + (uint32_t)((uint64_t)j << (32 - k));
        }
    }
    return count;
}

static int in_list(uint32_t w, const uint32_t *list, int n)
{
    for (int i = 0; i < n; ++i)
        if (list[i] == w)
            return 1;
    return 0;
}

Test(draw_below, rejects_exactly_the_expected_words)
{
    static const uint32_t ns[] = {1, 2, 3, 5, 6, 7, 12, 24, 1000, 4096, 65537};
    for (size_t q = 0; q < sizeof ns / sizeof *ns; ++q) {
        const uint32_t n = ns[q];
        static uint32_t rej[1024];
        const int nr = rejected_words(n, rej, 1024);
        cr_expect_eq((uint64_t)nr, (UINT64_C(1) << 32) % n, "n %u: %d rejected words", n, nr);
        for (int i = 0; i < nr; ++i) {
            uint32_t out = 12345u;
            cr_expect_eq(hop_draw_below(rej[i], n, &out), 0, "n %u: word %#x accepted", n, rej[i]);
            cr_expect_eq(out, 12345u, "n %u: rejected word changed *out", n);
            for (int d = -2; d <= 2; d += 4) {
                const uint32_t w = rej[i] + (uint32_t)d;
                if (!in_list(w, rej, nr))
                    cr_expect_eq(hop_draw_below(w, n, &out), 1, "n %u: neighbour %#x rejected", n, w);
            }
        }
    }
}

/* All 2^32 words for n = 7 (z of no lattice, so not tuned to the tables): the
 * rejections are exactly the listed words and every value in [0, n) is produced by
 * exactly floor(2^32 / n) words. */
Test(draw_below, exhaustive_scan, .timeout = 120)
{
    enum { N = 7 };
    uint32_t rej[16];
    const int nr = rejected_words(N, rej, 16);
    uint64_t hits[N] = {0}, rejected = 0;
    uint32_t w = 0, out = 0;
    int bad_reject = 0;
    do {
        if (hop_draw_below(w, N, &out)) {
            hits[out < N ? out : 0] += out < N ? 1 : UINT64_C(1) << 40;
        } else {
            rejected++;
            bad_reject |= !in_list(w, rej, nr);
        }
    } while (++w != 0);
    cr_expect(!bad_reject, "an unexpected word was rejected");
    cr_expect_eq(rejected, (uint64_t)nr, "%llu rejections, want %d",
                 (unsigned long long)rejected, nr);
    for (uint32_t v = 0; v < N; ++v)
        cr_expect_eq(hits[v], (UINT64_C(1) << 32) / N, "value %u from %llu words, want %llu", v,
                     (unsigned long long)hits[v], (unsigned long long)((UINT64_C(1) << 32) / N));
}

/* ---- hop_wrap ---------------------------------------------------------------------- */

Test(wrap, reduces_one_period)
{
    cr_expect_eq(hop_wrap(-1, 6), 5);
    cr_expect_eq(hop_wrap(6, 6), 0);
    cr_expect_eq(hop_wrap(0, 6), 0);
    cr_expect_eq(hop_wrap(5, 6), 5);
    cr_expect_eq(hop_wrap(-6, 6), 0);
    cr_expect_eq(hop_wrap(11, 6), 5);
    cr_expect_eq(hop_wrap(-7, 0), -7);
    cr_expect_eq(hop_wrap(1234567, 0), 1234567);
}

/* ---- hop_vacancy_step -------------------------------------------------------------- */

/* Box periods of `size` cells (0 on unused axes, as hop_run_msd_params sets them), or
 * all zero (infinite lattice) for size 0. */
static void box_period(const hop_lattice *L, int size, int32_t *period)
{
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        period[a] = size > 0 && a < L->dim ? size * L->cell[a] : 0;
}

/* A vacancy next to the tracer that steps onto it: for every tracer sublattice ts and
 * every neighbour direction j the vacancy sits at e = jump[ts][j] on jump_sub[ts][j];
 * its move back onto the tracer makes the tracer jump by e, of type ts z + j, and
 * leaves the vacancy at -e, on ts, with the tracer now on the vacancy's old sublattice. */
static void check_exchange(const hop_lattice *L, int size)
{
    int32_t period[HOP_MAX_DIM];
    box_period(L, size, period);
    for (int ts = 0; ts < L->n_sub; ++ts)
        for (int j = 0; j < L->z; ++j) {
            const int *e = L->jump[ts][j];
            const int vs = L->jump_sub[ts][j], k = L->jump_rev[ts][j];
            hop_walk w;
            int type;
            for (int a = 0; a < HOP_MAX_DIM; ++a)
                w.vacancy_rel[a] = hop_wrap(e[a], period[a]);
            w.vacancy_sub = vs;
            w.tracer_sub = ts;
            type = vacancy_step(L, period, &w, k);
            cr_expect_eq(type, ts * L->z + j, "%s size %d: tracer jump %d,%d reported as type %d",
                         L->name, size, ts, j, type);
            for (int a = 0; a < HOP_MAX_DIM; ++a)
                cr_expect_eq(w.vacancy_rel[a], hop_wrap(-e[a], period[a]),
                             "%s size %d: after jump %d,%d vacancy_rel[%d] = %d, want %d", L->name,
                             size, ts, j, a, w.vacancy_rel[a], hop_wrap(-e[a], period[a]));
            cr_expect_eq(w.vacancy_sub, ts, "%s: vacancy not on the tracer's old sublattice",
                         L->name);
            cr_expect_eq(w.tracer_sub, vs, "%s: tracer not on the vacancy's old sublattice",
                         L->name);
            /* The type indexes a jump vector equal to the tracer's move. */
            cr_expect(type >= 0 && type < L->n_sub * L->z
                      && !memcmp(L->jump[type / L->z][type % L->z], e, sizeof(int) * HOP_MAX_DIM),
                      "%s: type %d is not the tracer's jump", L->name, type);
        }
}

Test(vacancy_step, exchange_with_tracer_infinite)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i)
        check_exchange(lattice_at(i), 0);
}

Test(vacancy_step, exchange_with_tracer_periodic)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_at(i);
        check_exchange(L, L->min_size);
        check_exchange(L, L->min_size + 1);
    }
}

/* A step onto an ordinary atom moves the vacancy by the jump and returns -1. */
Test(vacancy_step, ordinary_atom)
{
    const int32_t infinite[HOP_MAX_DIM] = {0, 0, 0};
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_at(i);
        for (int s = 0; s < L->n_sub; ++s)
            for (int k = 0; k < L->z; ++k) {
                hop_walk w;
                int type;
                /* Vacancy two cells away along every used axis: a lattice translation,
                 * so on the tracer's sublattice, and beyond the reach of one jump. */
                for (int a = 0; a < HOP_MAX_DIM; ++a)
                    w.vacancy_rel[a] = a < L->dim ? 2 * L->cell[a] : 0;
                w.tracer_sub = s;
                w.vacancy_sub = s;
                type = vacancy_step(L, infinite, &w, k);
                cr_expect_eq(type, -1, "%s: exchange reported far from the tracer", L->name);
                for (int a = 0; a < HOP_MAX_DIM; ++a)
                    cr_expect_eq(w.vacancy_rel[a], (a < L->dim ? 2 * L->cell[a] : 0) + L->jump[s][k][a]);
                cr_expect_eq(w.vacancy_sub, L->jump_sub[s][k]);
                cr_expect_eq(w.tracer_sub, s);
            }
    }
}

/* A long walk in small periodic boxes, with the absolute positions of the tracer and
 * the vacancy tracked alongside: coordinates stay in [0, period) (0 on unused axes),
 * vacancy_rel = vacancy - tracer (mod period), both sublattice labels match the sites,
 * and an exchange moves the tracer by minus the vacancy's jump. */
Test(vacancy_step, periodic_walk_invariants)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_at(i);
        for (int size = L->min_size; size <= L->min_size + 1; ++size) {
            int32_t period[HOP_MAX_DIM], tracer[HOP_MAX_DIM], vacancy[HOP_MAX_DIM];
            hop_philox rng;
            hop_walk w;
            long exchanges = 0;
            box_period(L, size, period);
            /* Tracer on basis site 0, vacancy on its neighbour 0. */
            for (int a = 0; a < HOP_MAX_DIM; ++a) {
                tracer[a] = L->basis[0][a];
                vacancy[a] = hop_wrap(tracer[a] + L->jump[L->basis_sub[0]][0][a], period[a]);
                w.vacancy_rel[a] = hop_wrap(vacancy[a] - tracer[a], period[a]);
            }
            w.tracer_sub = L->basis_sub[0];
            w.vacancy_sub = L->jump_sub[w.tracer_sub][0];
            hop_philox_init(&rng, 42, (uint64_t)(100 * i + size), 0);
            for (int step = 0; step < 20000; ++step) {
                const int k = (int)hop_rng_below(&rng, (uint32_t)L->z);
                const int *e = L->jump[w.vacancy_sub][k];
                const int old_tracer_sub = w.tracer_sub;
                int type, b;
                type = vacancy_step(L, period, &w, k);
                for (int a = 0; a < HOP_MAX_DIM; ++a)
                    vacancy[a] = a < L->dim ? hop_wrap(vacancy[a] + e[a], period[a]) : 0;
                if (type >= 0) {
                    const int *te = L->jump[type / L->z][type % L->z];
                    ++exchanges;
                    cr_assert_eq(type / L->z, old_tracer_sub, "%s: jump type on sublattice %d",
                                 L->name, type / L->z);
                    for (int a = 0; a < HOP_MAX_DIM; ++a) {
                        cr_assert_eq(te[a], -e[a], "%s: tracer jump is not -vacancy jump", L->name);
                        tracer[a] = a < L->dim ? hop_wrap(tracer[a] + te[a], period[a]) : 0;
                    }
                }
                for (int a = 0; a < HOP_MAX_DIM; ++a) {
                    const int32_t hi = a < L->dim ? period[a] : 1;
                    cr_assert(w.vacancy_rel[a] >= 0 && w.vacancy_rel[a] < hi,
                              "%s size %d step %d: vacancy_rel[%d] = %d outside [0, %d)", L->name,
                              size, step, a, w.vacancy_rel[a], hi);
                    cr_assert_eq(w.vacancy_rel[a], hop_wrap(vacancy[a] - tracer[a], period[a]),
                                 "%s step %d: relative position inconsistent", L->name, step);
                }
                b = hop_lattice_site_index(L, vacancy);
                cr_assert(b >= 0 && L->basis_sub[b] == w.vacancy_sub,
                          "%s step %d: vacancy_sub %d but site %d", L->name, step, w.vacancy_sub, b);
                b = hop_lattice_site_index(L, tracer);
                cr_assert(b >= 0 && L->basis_sub[b] == w.tracer_sub,
                          "%s step %d: tracer_sub %d but site %d", L->name, step, w.tracer_sub, b);
                cr_assert(w.vacancy_rel[0] | w.vacancy_rel[1] | w.vacancy_rel[2],
                          "%s step %d: vacancy on the tracer", L->name, step);
            }
            cr_expect_gt(exchanges, 0, "%s: no exchange in 20000 steps in a box of %d cells",
                         L->name, size);
        }
    }
}

/* ---- hop_corr_replica --------------------------------------------------------------- */

static void corr_params(const hop_lattice *L, int model, hop_corr_params *p)
{
    memset(p, 0, sizeof *p);
    p->model = model;
    p->n_shells = 2;
    p->shell_r2[0] = 16 * (int64_t)L->jump_len2;    /* radii 4 and 8 jump lengths */
    p->shell_r2[1] = 64 * (int64_t)L->jump_len2;
}

/* After a first jump of type s0 z + k0 the tracer sits on jump_sub[s0][k0]; the next
 * jump (random model: immediately, vacancy model: when the vacancy returns) starts
 * there. */
static void check_next_on_tracer_sublattice(int model)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_at(i);
        const int n_types = L->n_sub * L->z;
        int seen[HOP_MAX_TYPES] = {0}, returns = 0;
        hop_corr_params p;
        corr_params(L, model, &p);
        for (uint64_t r = 0; r < 4000; ++r) {
            hop_corr_outcome o;
            int s0, k0;
            hop_corr_replica(L, &p, 7, r, &o);
            cr_assert_eq(o.first_type, (int)(r % (uint64_t)n_types));
            s0 = o.first_type / L->z;
            k0 = o.first_type % L->z;
            cr_assert_geq(o.steps, 1);
            if (o.next_type < 0) {
                cr_assert_eq(model, HOP_MODEL_VACANCY, "%s: random model lost a replica", L->name);
                cr_assert_eq(o.shell, p.n_shells, "%s: lost at shell %d", L->name, o.shell);
                continue;
            }
            ++returns;
            cr_assert(o.shell >= 0 && o.shell < p.n_shells, "%s: shell %d", L->name, o.shell);
            cr_assert(o.next_type < n_types, "%s: next_type %d", L->name, o.next_type);
            cr_assert_eq(o.next_type / L->z, L->jump_sub[s0][k0],
                         "%s: next jump %d from sublattice %d, tracer is on %d", L->name,
                         o.next_type, o.next_type / L->z, L->jump_sub[s0][k0]);
            if (model == HOP_MODEL_RANDOM)
                cr_assert(o.shell == 0 && o.steps == 1, "%s: random model shell %d steps %lld",
                          L->name, o.shell, (long long)o.steps);
            seen[o.next_type]++;
        }
        cr_expect_gt(returns, 0, "%s: no return in 4000 replicas", L->name);
        for (int t = 0; t < n_types; ++t)
            cr_expect_gt(seen[t], 0, "%s: next type %d never drawn", L->name, t);
    }
}

Test(corr_replica, random_model_next_on_tracer_sublattice)
{
    check_next_on_tracer_sublattice(HOP_MODEL_RANDOM);
}

Test(corr_replica, vacancy_model_next_on_tracer_sublattice)
{
    check_next_on_tracer_sublattice(HOP_MODEL_VACANCY);
}

static int same_outcome(const hop_corr_outcome *a, const hop_corr_outcome *b)
{
    return a->first_type == b->first_type && a->next_type == b->next_type
        && a->shell == b->shell && a->steps == b->steps;
}

Test(corr_replica, pure_function_of_seed_and_replica)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_at(i);
        const uint64_t n_types = (uint64_t)(L->n_sub * L->z);
        hop_corr_params p;
        int differ = 0, differ_seed = 0;
        corr_params(L, HOP_MODEL_VACANCY, &p);
        for (uint64_t r = 0; r < 100; ++r) {
            hop_corr_outcome a, b, c, d;
            hop_corr_replica(L, &p, 11, r, &a);
            hop_corr_replica(L, &p, 11, r, &b);
            cr_assert(same_outcome(&a, &b), "%s replica %llu: two runs differ", L->name,
                      (unsigned long long)r);
            /* Same first type, another stream. */
            hop_corr_replica(L, &p, 11, r + n_types, &c);
            differ += !same_outcome(&a, &c) && a.first_type == c.first_type;
            hop_corr_replica(L, &p, 12, r, &d);
            differ_seed += !same_outcome(&a, &d);
        }
        cr_expect_gt(differ, 0, "%s: replicas r and r + %llu agree for all r < 100", L->name,
                     (unsigned long long)n_types);
        cr_expect_gt(differ_seed, 0, "%s: seeds 11 and 12 agree on 100 replicas", L->name);
    }
}

/* ---- hop_msd_replica ---------------------------------------------------------------- */

Test(msd_replica, pure_function_and_consistent)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_at(i);
        hop_msd_params p;
        memset(&p, 0, sizeof p);
        p.model = HOP_MODEL_VACANCY;
        for (int a = 0; a < HOP_MAX_DIM; ++a) {
            p.cells[a] = a < L->dim ? L->min_size + 1 : 1;
            p.period[a] = a < L->dim ? p.cells[a] * L->cell[a] : 0;
        }
        p.n_times = 3;
        p.time_steps[0] = 10;
        p.time_steps[1] = 100;
        p.time_steps[2] = 1000;
        for (uint64_t r = 0; r < 20; ++r) {
            enum { K = 3 };
            const int S = hop_msd_series(L);
            static int64_t a[HOP_MSD_MAX_ROW], b[HOP_MSD_MAX_ROW];
            int64_t jumps;
            cr_assert_eq(hop_msd_row_len(L, &p), S * K + 2);
            memset(a, 0, sizeof a);
            memset(b, 0xff, sizeof b);
            hop_msd_replica(L, &p, 5, r, a);
            hop_msd_replica(L, &p, 5, r, b);
            cr_assert(memcmp(a, b, (size_t)(S * K + 2) * sizeof a[0]) == 0, "%s: runs differ",
                      L->name);
            jumps = a[S * K];
            cr_assert_eq(a[S * K + 1], 1000);
            cr_assert_leq(jumps, a[S * K + 1]);
            for (int t = 0; t < p.n_times; ++t) {
                const int64_t n = p.time_steps[t];
                const int64_t q = a[HOP_SERIES_TRACER * K + t], v = a[HOP_SERIES_VACANCY * K + t];
                int64_t groups = 0;
                for (int g = 0; g < L->n_groups; ++g) {
                    cr_assert_geq(a[(HOP_SERIES_GROUP0 + g) * K + t], 0);
                    groups += a[(HOP_SERIES_GROUP0 + g) * K + t];
                }
                /* The components add up to the whole; nobody moves farther than its
                 * number of jumps allows (triangle inequality: |d|^2 <= n^2 alpha^2), and
                 * the tracer only by jumping. */
                cr_assert_eq(groups, q, "%s: components %lld, |d|^2 %lld", L->name,
                             (long long)groups, (long long)q);
                cr_assert(v >= 0 && v <= n * n * L->jump_len2,
                          "%s: vacancy |d|^2 %lld after %lld steps", L->name, (long long)v,
                          (long long)n);
                cr_assert(q >= 0 && q <= jumps * jumps * L->jump_len2,
                          "%s: tracer |d|^2 %lld after %lld jumps", L->name, (long long)q,
                          (long long)jumps);
            }
        }
    }
}

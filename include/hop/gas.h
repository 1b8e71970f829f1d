/* gas.h: the per-step physics of the many-body lattice gas, shared verbatim by the CPU
 * backend (host/backend/cpu_gas.c) and the CUDA kernel (kernels/gas.cu).
 *
 * Model.  A periodic box of n_sites sites holds n_particles particles (site exclusion)
 * and n_vacancies = n_sites - n_particles empty sites.  Every particle and every vacancy
 * is tracked with its unwrapped integer displacement.  A particle jumps to an empty
 * nearest neighbour at rate
 *     omega = nu min(1, exp(-J dB))          (Kawasaki dynamics, Metropolis rule)
 * with E = J B, B the number of occupied nearest-neighbour pairs (J in units of kT;
 * J > 0 repulsive, J < 0 attractive) and dB = B(after) - B(before).  The rule obeys
 * detailed balance with respect to exp(-J B): omega(x->y)/omega(y->x) = exp(-J dB).
 * J = 0 is the non-interacting lattice gas (symmetric exclusion).  Time unit 1/nu.
 *
 * Algorithm: residence-time with null events.  Let the "movers" be the particles, or
 * the vacancies when there are fewer vacancies than particles (n_movers of them).  Each
 * attempt picks one mover and one of its z jumps uniformly (exactly: Lemire's integer
 * rejection on n_movers z from one Philox word); the attempt is real when the jump
 * exchanges a particle with a vacancy, and then happens with probability
 * min(1, exp(-J dB)) (hop_gas_accept: one more word, rarely two, against a 64-bit
 * integer threshold fixed on the host; no word when the probability is 1).  Each
 * particle-vacancy exchange is thus proposed with probability 1/(n_movers z) per
 * attempt, whichever species moves.  With attempts at total rate n_movers z nu, each
 * possible exchange fires at rate nu min(1, exp(-J dB)): the null-event (rejection)
 * form of the residence-time algorithm (a rejected attempt is an event that changes
 * nothing), whose waiting time between attempts is exponential with mean
 * 1/(n_movers z nu).  The clock advances by that mean, exactly 1 / (n_movers z) per
 * attempt, as hop's other msd clock does: the expectation of the waiting time given
 * the path leaves every long-time average (D included) unchanged, removes the
 * waiting-time noise, and is the same integer on every backend.  Time points are
 * attempt counts.
 *
 * State, per replica (caller-provided workspace, hop_gas_work): occ[site] holds the
 * site's occupant code, particle id (>= 0) or -1 - vacancy id, in its low 24 bits
 * (two's complement; n_sites <= 2^22) and, with J != 0, the number of occupied
 * neighbours of the site in the bits above (hop_gas_code, hop_gas_neighbours), so dB is
 * two reads and an accepted jump updates the 2z counts around it; pos[m] = site of
 * mover m; disp[3 j + a] = unwrapped displacement of particle j (j < n_particles) or
 * vacancy j - n_particles.  occ and pos are read with a stride (1 on the CPU; the kernel
 * interleaves the replicas of a block in shared memory so the lanes of a warp hit
 * distinct banks).  The box is given as tables built once on the host (hop_gas_box): the
 * neighbour sites, sublattices and the blocks of cell planes.  With J != 0 the replica
 * also carries B itself, updated by dB at every jump.
 *
 * The CPU also keeps target[m z + k] = the site mover m reaches by jump k (an accepted
 * jump rewrites the mover's z entries).  The attempt then finds its target site in one
 * read indexed by the drawn number itself, where the table-free path reads pos[m], with
 * m from a division, and then the neighbour table: the validity test, a branch no
 * predictor can learn, resolves sooner after the draw, and less work is lost when it
 * was mispredicted (measured: the CPU attempt is bound by this latency, not by its
 * instruction count).  The table (n_movers z ints) does not fit beside occ and pos in
 * the kernel's shared memory, so the kernel leaves it out (target = NULL): same sites,
 * same choices.
 *
 * Number fluctuations (the thermodynamic factor, host/models/gas.c).  On every axis the L
 * cell planes of the box form B = min(L, HOP_GAS_MAX_BLOCKS) blocks, block j the planes
 * [floor(j L/B), floor((j + 1) L/B)); the box carries each site's block on every axis
 * (hop_gas_box.block).  The slabs are the runs of consecutive blocks, cyclically: B
 * wide ones of B/2 blocks (about L/2 planes) and B narrow ones of B/4 blocks (about
 * L/4; none when L < 4) per axis, each starting at one of the B blocks.  Each time
 * point records, from the particles' block counts, the exact integers
 *     S_wide = sum over the wide slabs k of (n_k - wide_mean)^2,
 *     S_narrow = the same over the narrow slabs with narrow_mean,
 * wide_mean = floor(N (B/2)/B), narrow_mean = floor(N (B/4)/B) (near N v/n; the host
 * corrects for the difference).  A slab spans the periodic box, so whatever its width
 * it has two interfaces of the same area, and the surface term of its variance cancels
 * in the difference of the two widths: the host's Theta comes from S_wide - S_narrow.
 *
 * Random numbers come from the replica's hop_rng (seed, subsequence = global replica
 * index), one word at a time; every decision is integer, so both backends make the same
 * choices bit for bit.  No globals, allocation or I/O; C99 and CUDA C++. */
#ifndef HOP_GAS_H
#define HOP_GAS_H

#include <stddef.h>
#include "hop/step.h"

#define HOP_GAS_DELTAS (2 * HOP_MAX_Z - 1)   /* dB in -(z-1) .. z-1 */
#define HOP_GAS_ALWAYS UINT64_MAX           /* acceptance threshold of probability 1 */
/* The fields of an occupancy word (see the file comment). */
#define HOP_GAS_CODE_MASK 0xffffff           /* the occupant code, 24-bit two's complement */
#define HOP_GAS_VACANT 0x800000              /* its sign bit: the site is empty */
#define HOP_GAS_NEIGHBOUR (1 << 24)          /* one occupied neighbour (J != 0) */

/* Series of a gas replica's row (hop_msd_accum layout; K time points, G = n_groups):
 *   q = 0          sum over particles of |d_i|^2           (tracer)
 *   q = 1          |sum over particles of d_i|^2           (collective; in the slot whose
 *                  products with q = 0 the accumulator keeps, for the Haven ratio)
 *   q = 2 + g      tracer sum projected on principal component g
 *   q = 2 + G      sum over vacancies of |d_v|^2            (vacancy)
 *   q = 3 + G      occupied nearest-neighbour pairs B       (equilibrium check)
 *   q = 4 + G      S_wide, the number fluctuations of the wide slabs (see above)
 *   q = 5 + G      S_wide - S_narrow (the same slabs' difference, whose mean has no
 *                  surface term; S_wide itself when the box has no narrow slab)
 *                  Each term (n_k - mean)^2 <= n^2 <= 2^44 (boxes of up to 2^22 sites),
 *                  each sum of at most 2 B d <= 192 terms < 2^52; the accumulator's
 *                  sums of products stay exact below 2^127 / 2^104 = 2^23 replicas at
 *                  the largest box (n_k is within ~sqrt(n) of its mean, so in practice
 *                  far more), and below 2^127 / (192 n^2)^2 = 2^75 at the default 512
 *                  sites
 * squared lengths times metric_den (lattice.h), all exact integers; then
 *   row[S K] accepted jumps, row[S K + 1] attempts (after equilibration). */
enum { HOP_GAS_TRACER = 0, HOP_GAS_COLLECTIVE = 1, HOP_GAS_GROUP0 = 2 };
/* Series beyond the msd layout's 2 + G (hop_msd_accum): vacancy, pairs, the wide slabs'
 * fluctuations and the two widths' difference. */
#define HOP_GAS_EXTRA_SERIES 4
#define HOP_GAS_MAX_SERIES (2 + HOP_GAS_EXTRA_SERIES + HOP_MAX_GROUPS)
#define HOP_GAS_MAX_BLOCKS 32         /* blocks of cell planes per axis ... */
#define HOP_GAS_BLOCK_BITS 5          /* ... each axis's block in 5 bits of hop_gas_box.block */
#define HOP_GAS_MAX_ROW (HOP_GAS_MAX_SERIES * HOP_MAX_TIMES + 2)

typedef struct {
    int32_t n_sites, n_particles, n_vacancies;
    int32_t vacancy_movers;      /* 1: attempts pick vacancies (fewer than particles) */
    int32_t n_movers;            /* n_vacancies or n_particles accordingly */
    int32_t interacting;         /* J != 0: acceptance test (and equilibration) */
    uint64_t accept[HOP_GAS_DELTAS];  /* threshold by dB + z - 1 (hop_gas_accept) */
    int32_t n_blocks;            /* B: blocks of cell planes per axis (file comment) */
    int32_t wide_blocks;         /* B/2 blocks per wide slab (0: a box of one cell) */
    int32_t narrow_blocks;       /* B/4 blocks per narrow slab (0: edge < 4, no narrow slab) */
    int32_t wide_mean;           /* floor(N wide_blocks / B) */
    int32_t narrow_mean;         /* floor(N narrow_blocks / B) */
    int64_t equil_attempts;      /* attempts made and discarded before the clock starts */
    int n_times;                 /* 1..HOP_MAX_TIMES */
    int64_t time_attempts[HOP_MAX_TIMES];   /* strictly increasing, >= 1 */
    double time_unit;            /* one attempt in 1/nu: 1 / (n_movers z) (host only) */
} hop_gas_params;

/* The periodic box as tables (host-built, read-only, shared by all replicas). */
typedef struct {
    const int32_t *nbr;          /* nbr[s z + k]: site reached from site s by jump k */
    const int8_t *sub;           /* sublattice of site s */
    const uint16_t *block;       /* bits [5a, 5a + 5): the block of site s on axis a */
} hop_gas_box;

/* Ints of the per-axis block counts a time point tallies (hop_gas_record). */
#define HOP_GAS_COUNT_INTS (HOP_MAX_DIM * HOP_GAS_MAX_BLOCKS)

/* A replica's workspace; see the file comment. */
typedef struct {
    int32_t *occ;                /* n_sites entries, stride apart */
    int32_t *pos;                /* n_movers entries, stride apart */
    int32_t *disp;               /* 3 n_sites entries, contiguous */
    int32_t *count;              /* HOP_GAS_COUNT_INTS, contiguous: scratch of hop_gas_record
                                  * (in the workspace, so the kernel has no stack frame) */
    int32_t *target;             /* n_movers z entries, contiguous, or NULL (none) */
    int32_t stride;
} hop_gas_work;

typedef struct {
    hop_rng rng;
    int64_t collective[HOP_MAX_DIM];   /* sum of the particles' displacements */
    int64_t attempts, jumps;
    int64_t pairs;                     /* B, occupied neighbour pairs (J != 0 only) */
} hop_gas_state;

/* Ints of a contiguous workspace (stride 1) for p on a lattice with z jumps per site,
 * with the target table when `targets` is 1. */
HOP_HD size_t hop_gas_work_ints(const hop_gas_params *p, int z, int targets)
{
    return 4 * (size_t)p->n_sites + (size_t)p->n_movers * (targets ? 1 + (size_t)z : 1)
           + HOP_GAS_COUNT_INTS;
}

/* Point w into space (hop_gas_work_ints(p, z, targets) ints), stride 1. */
HOP_HD void hop_gas_work_carve(const hop_gas_params *p, int targets, int32_t *space,
                               hop_gas_work *w)
{
    w->occ = space;
    w->pos = space + p->n_sites;
    w->disp = space + p->n_sites + p->n_movers;
    w->count = space + 4 * (size_t)p->n_sites + p->n_movers;
    w->target = targets ? w->count + HOP_GAS_COUNT_INTS : NULL;
    w->stride = 1;
}

HOP_HD int hop_gas_series(const hop_lattice *L)
{
    return 2 + HOP_GAS_EXTRA_SERIES + L->n_groups;
}

HOP_HD int hop_gas_row_len(const hop_lattice *L, const hop_gas_params *p)
{
    return hop_gas_series(L) * p->n_times + 2;
}

/* The occupant code of occupancy word v: particle id (>= 0) or -1 - vacancy id. */
HOP_HD int32_t hop_gas_code(int32_t v)
{
    return (v & HOP_GAS_CODE_MASK) - 2 * (v & HOP_GAS_VACANT);
}

/* The occupied neighbours kept in occupancy word v (J != 0). */
HOP_HD int hop_gas_neighbours(int32_t v)
{
    return (int)((uint32_t)v >> 24);
}

/* Index into disp / 3 of the particle or vacancy with occupant code id. */
HOP_HD int32_t hop_gas_index(const hop_gas_params *p, int32_t id)
{
    return id >= 0 ? id : p->n_particles - 1 - id;
}

/* Occupied neighbours of site s, counted from the codes. */
HOP_HD int hop_gas_occupied_around(const hop_gas_box *box, const hop_gas_work *w, int z,
                                   int32_t s)
{
    int n = 0;
    for (int k = 0; k < z; ++k)
        n += !(w->occ[(int64_t)box->nbr[(int64_t)s * z + k] * w->stride] & HOP_GAS_VACANT);
    return n;
}

/* Equilibrium start without interactions: the particles on a uniformly random subset
 * of the sites (a partial Fisher-Yates shuffle, exact integer draws), every displacement
 * zero, neighbour counts zero.  Uses disp as scratch for the shuffle. */
HOP_HD void hop_gas_place(const hop_gas_params *p, hop_gas_work *w, hop_rng *rng)
{
    int32_t *perm = w->disp;
    for (int32_t s = 0; s < p->n_sites; ++s)
        perm[s] = s;
    for (int32_t i = 0; i < p->n_sites - 1; ++i) {
        const int32_t j = i + (int32_t)hop_rng_below(rng, (uint32_t)(p->n_sites - i));
        const int32_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (int32_t i = 0; i < p->n_sites; ++i) {
        /* perm[i] holds particle i for i < n_particles, else vacancy i - n_particles */
        const int32_t id = i < p->n_particles ? i : p->n_particles - 1 - i;
        const int32_t mover = p->vacancy_movers ? i - p->n_particles : i;
        w->occ[(int64_t)perm[i] * w->stride] = id & HOP_GAS_CODE_MASK;
        if (mover >= 0 && mover < p->n_movers)
            w->pos[(int64_t)mover * w->stride] = perm[i];
    }
    for (int32_t j = 0; j < 3 * p->n_sites; ++j)
        w->disp[j] = 0;
}

/* The Metropolis test against threshold t < HOP_GAS_ALWAYS: 1 with probability exactly
 * t / 2^64.  A first word w decides unless it equals t's high word h (w < h accepts,
 * w > h rejects); at w = h, a chance of 2^-32, a second word decides (below t's low word
 * l accepts), so that h 2^32 + l = t of the 2^64 pairs of words accept.  The host keeps
 * l = 0 for probabilities of 2^-16 and above (models/gas.c: one word, within 2^-16
 * relative, as the 32-bit test before the second word, whose runs keep their bits) and
 * the whole floor(p 2^64) below, where one word alone would lose the rate. */
HOP_HD int hop_gas_accept(uint64_t t, hop_rng *rng)
{
    const uint32_t high = (uint32_t)(t >> 32), low = (uint32_t)t;
    const uint32_t w = hop_rng_next(rng);
    if (w != high || low == 0)
        return w < high;
    return hop_rng_next(rng) < low;
}

/* One attempt (see the file comment).  z, bravais (1 when the lattice has one
 * sublattice), vm (p->vacancy_movers) and tg (w->target != NULL) are compile-time
 * constants at the call sites of the replica driver, so the mover/direction split is a
 * multiplication, the sublattice lookup disappears and the particle and vacancy roles
 * are fixed.  Returns 1 when a particle jumped. */
HOP_HD int hop_gas_attempt(const hop_lattice *L, const hop_gas_params *p, const hop_gas_box *box,
                           hop_gas_work *w, hop_gas_state *st, int z, int bravais, int vm,
                           int tg)
{
    const int64_t S = w->stride;
    const uint32_t u = hop_rng_below(&st->rng, (uint32_t)p->n_movers * (uint32_t)z);
    const int32_t m = (int32_t)(u / (uint32_t)z);
    const int k = (int)(u - (uint32_t)m * (uint32_t)z);
    const int32_t from = w->pos[m * S];
    const int32_t to = tg ? w->target[u] : box->nbr[(int64_t)from * z + k];
    const int32_t v_to = w->occ[to * S];
    const int32_t a = vm ? to : from;           /* the particle's site ... */
    const int32_t b = vm ? from : to;           /* ... and the vacancy's */
    int32_t v_a, v_b, swap, ip, iv;
    const int *e;
    ++st->attempts;
    if (((v_to & HOP_GAS_VACANT) != 0) == vm)
        return 0;                               /* vacancy-vacancy or particle-particle */
    v_a = w->occ[a * S];
    v_b = w->occ[b * S];
    if (p->interacting) {
        /* dB = (occupied neighbours of b, less the particle itself) - (those of a) */
        const int dB = hop_gas_neighbours(v_b) - 1 - hop_gas_neighbours(v_a);
        const uint64_t threshold = p->accept[dB + z - 1];
        if (threshold != HOP_GAS_ALWAYS && !hop_gas_accept(threshold, &st->rng))
            return 0;
        st->pairs += dB;
    }
    /* The particle's jump a -> b is jump k of the mover's site, reversed for a vacancy. */
    e = L->jump[bravais ? 0 : box->sub[from]][k];
    /* exchange the codes (each site keeps its count) */
    swap = (v_a ^ v_b) & HOP_GAS_CODE_MASK;
    w->occ[a * S] = v_a ^ swap;
    w->occ[b * S] = v_b ^ swap;
    w->pos[m * S] = vm ? a : b;
    if (tg)
        for (int j = 0; j < z; ++j)
            w->target[(int64_t)m * z + j] = box->nbr[(int64_t)(vm ? a : b) * z + j];
    if (p->interacting)
        for (int j = 0; j < z; ++j) {
            w->occ[box->nbr[(int64_t)a * z + j] * S] -= HOP_GAS_NEIGHBOUR;
            w->occ[box->nbr[(int64_t)b * z + j] * S] += HOP_GAS_NEIGHBOUR;
        }
    /* hop_gas_index of the particle's code, v_a's low bits, and of the vacancy's */
    ip = 3 * (v_a & HOP_GAS_CODE_MASK);
    iv = 3 * (p->n_particles + HOP_GAS_CODE_MASK - (v_b & HOP_GAS_CODE_MASK));
    for (int c = 0; c < HOP_MAX_DIM; ++c) {
        const int32_t step = vm ? -e[c] : e[c];
        w->disp[ip + c] += step;
        w->disp[iv + c] -= step;
        st->collective[c] += step;
    }
    ++st->jumps;
    return 1;
}

/* x^T M x of an int64 vector (the collective displacement). */
HOP_HD int64_t hop_gas_norm2_64(const hop_lattice *L, const int64_t *x)
{
    int64_t s = 0;
    for (int a = 0; a < L->dim; ++a) {
        const int64_t c = L->cart[a][0] * x[0] + L->cart[a][1] * x[1] + L->cart[a][2] * x[2];
        s += L->weight[a] * c * c;
    }
    return s;
}

/* Second moments of the displacements of entries [j0, j1) of disp: mom[b][c] = sum of
 * d_b d_c (symmetric). */
HOP_HD void hop_gas_moments(const int32_t *disp, int32_t j0, int32_t j1,
                            int64_t mom[HOP_MAX_DIM][HOP_MAX_DIM])
{
    int64_t xx = 0, yy = 0, zz = 0, xy = 0, xz = 0, yz = 0;
    for (int32_t j = j0; j < j1; ++j) {
        const int64_t x = disp[3 * j], y = disp[3 * j + 1], z = disp[3 * j + 2];
        xx += x * x;
        yy += y * y;
        zz += z * z;
        xy += x * y;
        xz += x * z;
        yz += y * z;
    }
    mom[0][0] = xx;
    mom[1][1] = yy;
    mom[2][2] = zz;
    mom[0][1] = mom[1][0] = xy;
    mom[0][2] = mom[2][0] = xz;
    mom[1][2] = mom[2][1] = yz;
}

/* Write the series of time point i (K points) into row (layout above).  The sums of
 * squared lengths are taken from the second moments of the displacements: the sum over
 * particles of weight[a] (C d)_a^2 is weight[a] C_a mom C_a^T, and the sum over vacancies
 * of d^T M d is the sum of M_bc mom_bc, the same integers as summed term by term.  The
 * pairs: B itself with J != 0; without interactions counted around the movers, 2B =
 * sum over particles of their occupied neighbours = z n_particles - the same sum over
 * the vacancies. */
HOP_HD void hop_gas_record(const hop_lattice *L, const hop_gas_params *p, const hop_gas_box *box,
                           const hop_gas_work *w, const hop_gas_state *st, int i, int K,
                           int64_t *row)
{
    const int G = L->n_groups, B = p->n_blocks;
    int64_t tracer = 0, vacancy = 0, pairs, wide = 0, narrow = 0;
    int64_t group0 = 0, group1 = 0, group2 = 0;    /* by principal component (no array:
                                                    * the kernel keeps them in registers) */
    int64_t mom[HOP_MAX_DIM][HOP_MAX_DIM];
    int32_t *count = w->count;      /* particles in block b on axis a at [a B_max + b] */
    hop_gas_moments(w->disp, 0, p->n_particles, mom);
    for (int a = 0; a < L->dim; ++a) {
        int64_t q = 0;
        for (int b = 0; b < HOP_MAX_DIM; ++b)
            for (int c = 0; c < HOP_MAX_DIM; ++c)
                q += (int64_t)(L->cart[a][b] * L->cart[a][c]) * mom[b][c];
        tracer += L->weight[a] * q;
        const int g = L->group_of_axis[a];
        group0 += g == 0 ? L->weight[a] * q : 0;
        group1 += g == 1 ? L->weight[a] * q : 0;
        group2 += g == 2 ? L->weight[a] * q : 0;
    }
    hop_gas_moments(w->disp, p->n_particles, p->n_sites, mom);
    for (int b = 0; b < HOP_MAX_DIM; ++b)
        for (int c = 0; c < HOP_MAX_DIM; ++c)
            vacancy += L->metric[b][c] * mom[b][c];
    if (p->interacting) {
        pairs = st->pairs;
    } else {
        int64_t around = 0;
        for (int32_t m = 0; m < p->n_movers; ++m)
            around += hop_gas_occupied_around(box, w, L->z, w->pos[(int64_t)m * w->stride]);
        pairs = (p->vacancy_movers ? (int64_t)L->z * p->n_particles - around : around) / 2;
    }
    for (int a = 0; a < L->dim; ++a)
        for (int b = 0; b < B; ++b)
            count[a * HOP_GAS_MAX_BLOCKS + b] = 0;
    for (int32_t s = 0; s < p->n_sites; ++s)
        if (!(w->occ[(int64_t)s * w->stride] & HOP_GAS_VACANT)) {
            const unsigned code = box->block[s];
            for (int a = 0; a < L->dim; ++a)
                ++count[a * HOP_GAS_MAX_BLOCKS
                        + (code >> (HOP_GAS_BLOCK_BITS * a) & (HOP_GAS_MAX_BLOCKS - 1))];
        }
    /* every slab of each width in turn: a window of blocks sliding once around the axis */
    for (int a = 0; a < L->dim; ++a) {
        const int32_t *n = count + a * HOP_GAS_MAX_BLOCKS;
        int64_t n_wide = 0, n_narrow = 0;
        for (int b = 0; b < p->wide_blocks; ++b)
            n_wide += n[b];
        for (int b = 0; b < p->narrow_blocks; ++b)
            n_narrow += n[b];
        for (int b = 0; b < B; ++b) {
            const int64_t dw = n_wide - p->wide_mean, dn = n_narrow - p->narrow_mean;
            int bw = b + p->wide_blocks, bn = b + p->narrow_blocks;
            wide += dw * dw;
            narrow += dn * dn;
            bw -= bw >= B ? B : 0;
            bn -= bn >= B ? B : 0;
            n_wide += n[bw] - n[b];
            n_narrow += n[bn] - n[b];
        }
    }
    row[HOP_GAS_TRACER * K + i] = tracer;
    row[HOP_GAS_COLLECTIVE * K + i] = hop_gas_norm2_64(L, st->collective);
    for (int g = 0; g < G; ++g)
        row[(HOP_GAS_GROUP0 + g) * K + i] = g == 0 ? group0 : g == 1 ? group1 : group2;
    row[(2 + G) * K + i] = vacancy;
    row[(3 + G) * K + i] = pairs;
    row[(4 + G) * K + i] = wide;
    row[(5 + G) * K + i] = wide - narrow;       /* narrow = 0 without narrow slabs */
}

/* Start replica `replica`: stream (seed, replica), uniform placement, counters zero;
 * with J != 0 the neighbour counts and B of the placement; the target table if any. */
HOP_HD void hop_gas_begin(const hop_lattice *L, const hop_gas_params *p, const hop_gas_box *box,
                          uint64_t seed, uint64_t replica, hop_gas_work *w, hop_gas_state *st)
{
    hop_rng_init(&st->rng, seed, replica);
    hop_gas_place(p, w, &st->rng);
    st->pairs = 0;
    if (p->interacting)
        for (int32_t s = 0; s < p->n_sites; ++s) {
            const int n = hop_gas_occupied_around(box, w, L->z, s);
            w->occ[(int64_t)s * w->stride] += n * HOP_GAS_NEIGHBOUR;
            if (!(w->occ[(int64_t)s * w->stride] & HOP_GAS_VACANT))
                st->pairs += n;
        }
    st->pairs /= 2;                             /* each pair was counted from both ends */
    if (w->target)
        for (int32_t m = 0; m < p->n_movers; ++m) {
            const int32_t site = w->pos[(int64_t)m * w->stride];
            for (int k = 0; k < L->z; ++k)
                w->target[(int64_t)m * L->z + k] = box->nbr[(int64_t)site * L->z + k];
        }
    for (int c = 0; c < HOP_MAX_DIM; ++c)
        st->collective[c] = 0;
    st->attempts = st->jumps = 0;
}

/* The equilibration (J != 0): equil_attempts discarded attempts from the random start;
 * displacements and counters start at zero after.  z, bravais, vm, tg as in
 * hop_gas_attempt. */
HOP_HD void hop_gas_equilibrate(const hop_lattice *L, const hop_gas_params *p,
                                const hop_gas_box *box, hop_gas_work *w, hop_gas_state *st,
                                int z, int bravais, int vm, int tg)
{
    if (p->equil_attempts == 0)
        return;
    while (st->attempts < p->equil_attempts)
        hop_gas_attempt(L, p, box, w, st, z, bravais, vm, tg);
    for (int32_t j = 0; j < 3 * p->n_sites; ++j)
        w->disp[j] = 0;
    for (int c = 0; c < HOP_MAX_DIM; ++c)
        st->collective[c] = 0;
    st->attempts = st->jumps = 0;
}

/* A started replica: equilibration, then the measured stretch, with z, bravais, vm and
 * tg constant at each call site (see hop_gas_attempt). */
HOP_HD void hop_gas_stretch(const hop_lattice *L, const hop_gas_params *p, const hop_gas_box *box,
                            hop_gas_work *w, hop_gas_state *st, int64_t *row, int z, int bravais,
                            int vm, int tg)
{
    const int K = p->n_times;
    hop_gas_equilibrate(L, p, box, w, st, z, bravais, vm, tg);
    for (int i = 0; i < K; ++i) {
        const int64_t until = p->time_attempts[i];
        while (st->attempts < until)
            hop_gas_attempt(L, p, box, w, st, z, bravais, vm, tg);
        hop_gas_record(L, p, box, w, st, i, K, row);
    }
}

/* hop_gas_stretch with vm constant; z, bravais and tg constant at each call site. */
HOP_HD void hop_gas_run(const hop_lattice *L, const hop_gas_params *p, const hop_gas_box *box,
                        hop_gas_work *w, hop_gas_state *st, int64_t *row, int z, int bravais,
                        int tg)
{
    if (p->vacancy_movers)
        hop_gas_stretch(L, p, box, w, st, row, z, bravais, 1, tg);
    else
        hop_gas_stretch(L, p, box, w, st, row, z, bravais, 0, tg);
}

/* hop_gas_run with z and bravais constant for the common lattices. */
HOP_HD void hop_gas_dispatch(const hop_lattice *L, const hop_gas_params *p,
                             const hop_gas_box *box, hop_gas_work *w, hop_gas_state *st,
                             int64_t *row, int tg)
{
    if (L->n_sub == 1) {
        switch (L->z) {
        case 2: hop_gas_run(L, p, box, w, st, row, 2, 1, tg); break;
        case 4: hop_gas_run(L, p, box, w, st, row, 4, 1, tg); break;
        case 6: hop_gas_run(L, p, box, w, st, row, 6, 1, tg); break;
        case 8: hop_gas_run(L, p, box, w, st, row, 8, 1, tg); break;
        case 12: hop_gas_run(L, p, box, w, st, row, 12, 1, tg); break;
        default: hop_gas_run(L, p, box, w, st, row, L->z, 1, tg); break;
        }
    } else {
        switch (L->z) {
        case 3: hop_gas_run(L, p, box, w, st, row, 3, 0, tg); break;
        case 4: hop_gas_run(L, p, box, w, st, row, 4, 0, tg); break;
        case 12: hop_gas_run(L, p, box, w, st, row, 12, 0, tg); break;
        default: hop_gas_run(L, p, box, w, st, row, L->z, 0, tg); break;
        }
    }
}

/* Run replica `replica` and fill its row (hop_gas_row_len entries), with the target
 * table when tg is 1 (w->target set) and without it when tg is 0; tg is a constant at
 * the call site.  The table-free path is the kernel's (see the file comment); on the host
 * it runs without constant z, there only for the checks that compare it with the table
 * path (tests/test_gas.c, tests/step_nvcc.cu). */
HOP_HD void hop_gas_replica_run(const hop_lattice *L, const hop_gas_params *p,
                                const hop_gas_box *box, uint64_t seed, uint64_t replica,
                                hop_gas_work *w, int64_t *row, int tg)
{
    const int S = hop_gas_series(L), K = p->n_times;
    hop_gas_state st;
    hop_gas_begin(L, p, box, seed, replica, w, &st);
#if defined(__CUDA_ARCH__)
    hop_gas_dispatch(L, p, box, w, &st, row, tg);
#else
    if (tg)
        hop_gas_dispatch(L, p, box, w, &st, row, 1);
    else
        hop_gas_run(L, p, box, w, &st, row, L->z, L->n_sub == 1, 0);
#endif
    row[S * K] = st.jumps;
    row[S * K + 1] = st.attempts;
}

/* Run replica `replica` with z, bravais and tg constants at the call site (each of the
 * kernel's specialisations, kernels/gas.cu, is one such call; z = L->z there), filling
 * its row: hop_gas_replica_run without the dispatch. */
HOP_HD void hop_gas_replica_fixed(const hop_lattice *L, const hop_gas_params *p,
                                  const hop_gas_box *box, uint64_t seed, uint64_t replica,
                                  hop_gas_work *w, int64_t *row, int z, int bravais, int tg)
{
    const int S = hop_gas_series(L), K = p->n_times;
    hop_gas_state st;
    hop_gas_begin(L, p, box, seed, replica, w, &st);
    hop_gas_run(L, p, box, w, &st, row, z, bravais, tg);
    row[S * K] = st.jumps;
    row[S * K + 1] = st.attempts;
}

/* hop_gas_replica_run with the target table when w has one. */
HOP_HD void hop_gas_replica(const hop_lattice *L, const hop_gas_params *p, const hop_gas_box *box,
                            uint64_t seed, uint64_t replica, hop_gas_work *w, int64_t *row)
{
#if defined(__CUDA_ARCH__)
    hop_gas_replica_run(L, p, box, seed, replica, w, row, 0);
#else
    if (w->target)
        hop_gas_replica_run(L, p, box, seed, replica, w, row, 1);
    else
        hop_gas_replica_run(L, p, box, seed, replica, w, row, 0);
#endif
}

/* Where a GPU thread keeps its replica's occupancy and mover positions (kernels/gas.cu;
 * `hop bench --backend cuda` measures each): SHARED interleaves them across the block in
 * shared memory (stride blockDim), DEVICE keeps them contiguous per thread in device
 * memory (stride 1), STRIPED interleaves them across the whole grid in device memory
 * (stride = threads in the grid; many more threads resident than SHARED allows).  AUTO
 * is SHARED when 32 threads' worth fit in a block, else DEVICE.  Same bits in all. */
enum { HOP_GAS_LAYOUT_AUTO = 0, HOP_GAS_LAYOUT_SHARED, HOP_GAS_LAYOUT_DEVICE,
       HOP_GAS_LAYOUT_STRIPED };

#endif

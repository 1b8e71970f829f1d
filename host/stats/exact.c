/* exact.c: the matrix method for one vacancy and one tracer (see exact.h, docs/exact.md).
 *
 * The chain.  A state is the vacancy's position x relative to the tracer (integer
 * coordinates) and its sublattice, for one tracer sublattice t; the states are those
 * with |x| < R reachable from the sites the tracer's jumps leave behind.  From x the
 * vacancy makes exchange k at rate r_k(x) (the lattice's per-jump rate, or the solute
 * model's class rate from hop_rates_class, as the Monte Carlo); an exchange onto the
 * tracer is absorbing (it is the tracer's next jump, of type t z + jump_rev), as is one
 * that reaches |x| >= R (the corr estimator's truncation at the same R).  With
 * A = diag(Gamma) - R_interior (Gamma(x) the total rate out of x) the probability of
 * ending in tracer jump j solves A h_j = b_j (b_j(x) the rate of the exchange that is
 * jump j), and the mean displacement of the vacancy until then solves A u = sum_k r_k
 * e_k.  Detailed balance pi(x) r(x, y) = pi(y) r(y, x) makes diag(pi) A symmetric
 * positive definite (irreducible, strictly diagonally dominant at the edge), so one
 * CHOLMOD factorisation serves all z + dim right-hand sides.  pi is found along the
 * breadth-first search that enumerates the states and checked on every bond; the rate
 * tables hop builds always satisfy it (bond rates of lattice files are symmetric; the
 * solute's w4_j / w3_j share one binding factor), up to the 2^-32 rounding of the
 * solute's integer weights, which is below 1e-9 relative and far below the 1e-7 aimed
 * at; the lower triangle of diag(pi) A is what CHOLMOD sees.  With site energies the
 * rates are not symmetric (e^{-E_s} Gamma(s->t) = e^{-E_t} Gamma(t->s)): pi is then the
 * vacancy's occupation e^{-E_s} of the state's sublattice itself (the tracer changes no
 * energy), each bond's ratio checked against it within the integers' rounding, and
 * diag(pi) A is the similarity transform D^{1/2} K D^{-1/2} scaled, symmetric as before.
 * Jumps of several lengths change nothing here: states are integer positions, radii
 * are in the shortest jump (unit_len2), and f weighs each tracer jump by its own vector
 * and the corr estimator's type weights (hop_lattice_type_weight).  The solute model's rates,
 * which differ from w0 only near the solute, can instead go through the elimination of
 * the far region ("Local rates" below), which a cache keeps across calls and which also
 * gives the solute's effect on L_vv. */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <suitesparse/cholmod.h>
#include "base/clock.h"
#include "lattice/moment.h"
#include "stats/exact.h"

/* ------------------------------------------------------------------ state table --- */

typedef struct {
    int32_t x[HOP_MAX_DIM];
    int32_t sub;
    int64_t r2;
    double pi;                /* detailed-balance weight */
} site;

typedef struct {
    site *sites;
    int64_t n, cap;
    uint64_t *keys;           /* open addressing: key + 1, 0 empty */
    int64_t *index;
    int64_t slots;            /* power of two */
} state_table;

static uint64_t pack(const int32_t *x, int sub)
{
    const uint64_t off = 1u << 20;
    return (((uint64_t)(x[0] + off)) << 42 | ((uint64_t)(x[1] + off)) << 21
            | (uint64_t)(x[2] + off)) * 2 + (uint64_t)sub;
}

static uint64_t mix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
}

static int64_t table_find(const state_table *T, uint64_t key)
{
    for (uint64_t h = mix(key) & (uint64_t)(T->slots - 1);; h = (h + 1) & (uint64_t)(T->slots - 1)) {
        if (T->keys[h] == 0)
            return -1;
        if (T->keys[h] == key + 1)
            return T->index[h];
    }
}

static int64_t table_add(state_table *T, const int32_t *x, int sub, int64_t r2)
{
    const uint64_t key = pack(x, sub);
    uint64_t h = mix(key) & (uint64_t)(T->slots - 1);
    while (T->keys[h] != 0) {
        if (T->keys[h] == key + 1)
            return T->index[h];
        h = (h + 1) & (uint64_t)(T->slots - 1);
    }
    T->keys[h] = key + 1;
    T->index[h] = T->n;
    memcpy(T->sites[T->n].x, x, sizeof T->sites[T->n].x);
    T->sites[T->n].sub = sub;
    T->sites[T->n].r2 = r2;
    T->sites[T->n].pi = 0;
    return T->n++;
}

/* Bytes the table holds (its site array as allocated, the hash slots). */
static double table_bytes(const state_table *T)
{
    return (double)T->cap * sizeof(site) + 16.0 * (double)T->slots;
}

static void table_free(state_table *T)
{
    free(T->sites);
    free(T->keys);
    free(T->index);
}

double hop_exact_cell_edge(const hop_lattice *L)
{
    const int32_t edge[HOP_MAX_DIM] = {L->cell[0], 0, 0};
    return sqrt((double)hop_lattice_norm2(L, edge) / (double)L->unit_len2);
}

/* The conventional cell's edge along axis a, x^T M x units. */
static int64_t cell_len2(const hop_lattice *L, int a)
{
    int32_t edge[HOP_MAX_DIM] = {0, 0, 0};
    edge[a] = L->cell[a];
    return hop_lattice_norm2(L, edge);
}

/* The principal component that cell axis a lies in, or -1 when its Cartesian direction
 * has components in two (a monoclinic or triclinic cell's oblique axis). */
static int axis_group(const hop_lattice *L, int a)
{
    int g = -1;
    for (int b = 0; b < L->dim; ++b)
        if (L->cart[b][a] != 0) {
            if (g >= 0 && L->group_of_axis[b] != g)
                return -1;
            g = L->group_of_axis[b];
        }
    return g;
}

/* The wanted ratio: (n_a + 1/2) len_a proportional to sqrt(D_a), D_a the second moment
 * of the vacancy's uncorrelated walk along cell axis a (per Cartesian axis of its
 * principal component: the jump network's moment weighted by sites, occupation and
 * rate, hop_lattice_type_weight).  In cells, (n_a + 1/2)^2 is proportional to
 * D_a / len_a^2, which wanted[] receives; 0 where the cell's axes are not the
 * principal axes. */
static int shape_wanted(const hop_lattice *L, double *wanted)
{
    double weight[HOP_MAX_SUB][HOP_MAX_Z];
    for (int s = 0; s < L->n_sub; ++s)
        for (int k = 0; k < HOP_MAX_Z; ++k)
            weight[s][k] = k < L->z && hop_lattice_has_jump(L, s, k)
                           ? hop_lattice_type_weight(L, s * L->z + k) : 0;
    for (int a = 0; a < L->dim; ++a) {
        const int g = axis_group(L, a);
        if (g < 0)
            return 0;
        wanted[a] = hop_lattice_moment(L, g, weight, 1) / hop_lattice_group_axes(L, g)
                    / (double)cell_len2(L, a);
        if (!(wanted[a] > 0))
            return 0;
    }
    return 1;
}

/* Cells on axis a of the shaped box whose slowest axis has m: (n_a + 1/2) = p_a (m + 1/2). */
static int shaped_cells(int p, int m)
{
    return (p * (2 * m + 1) - 1) / 2;
}

/* The least m of a shaped box's largest box: its five boxes m = 2 .. 6. */
#define SHAPED_LEAST_CELLS 6

/* Sites of the box m of shape p per tracer sublattice. */
static double box_sites(const hop_lattice *L, const int *p, int m)
{
    double sites = L->n_basis;
    for (int a = 0; a < L->dim; ++a)
        sites *= 2.0 * shaped_cells(p[a], m) + 1;
    return sites;
}

/* The default box's m for shape p: about HOP_EXACT_TARGET_STATES states per tracer
 * sublattice (2^7 in 1D), at least 8 cells (five distinct boxes from half the largest);
 * a shaped box comes down from there while it holds more than HOP_EXACT_SHAPE_STATES,
 * to SHAPED_LEAST_CELLS at the least. */
static int default_cells(const hop_lattice *L, const int *p)
{
    const double target = L->dim == 1 ? 128 : HOP_EXACT_TARGET_STATES;
    double shape = 1;
    int cells;
    for (int a = 0; a < L->dim; ++a)
        shape *= p[a];
    cells = (int)floor((pow(target / (L->n_basis * shape), 1.0 / L->dim) - 1) / 2);
    if (cells < 8)
        cells = 8;
    while (shape > 1 && cells > SHAPED_LEAST_CELLS
           && box_sites(L, p, cells) > HOP_EXACT_SHAPE_STATES)
        --cells;
    return cells;
}

int hop_exact_box_shape(const hop_lattice *L, int *p)
{
    double wanted[HOP_MAX_DIM], least = INFINITY;
    int shaped = 0;
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        p[a] = 1;
    if (L->dim < 2 || !shape_wanted(L, wanted))
        return 0;
    for (int a = 0; a < L->dim; ++a)
        if (wanted[a] < least)
            least = wanted[a];
    for (int a = 0; a < L->dim; ++a) {
        /* the odd p nearest the ratio r in log: r <= sqrt(p (p + 2)) keeps p; a tie
         * (within rounding) keeps the smaller, so r = sqrt(3) keeps today's box */
        const double r2 = wanted[a] / least;
        while (r2 > p[a] * (p[a] + 2.0) * (1 + 1e-9) && p[a] < 1001)
            p[a] += 2;
    }
    /* the cost: the least box (SHAPED_LEAST_CELLS on the slowest axis) may hold at most
     * HOP_EXACT_SHAPE_STATES; above it the largest p_a come down by 2 together */
    while (box_sites(L, p, SHAPED_LEAST_CELLS) > HOP_EXACT_SHAPE_STATES) {
        int top = 1;
        for (int a = 0; a < L->dim; ++a)
            top = p[a] > top ? p[a] : top;
        if (top == 1)
            break;
        for (int a = 0; a < L->dim; ++a)
            if (p[a] == top)
                p[a] -= 2;
    }
    for (int a = 0; a < L->dim; ++a)
        shaped |= p[a] > 1;
    return shaped;
}

/* Sites of the ball |x| < R, an upper estimate from the lattice's site density. */
static double ball_sites(const hop_lattice *L, double r2_max)
{
    double det = 1, cell = 1, vol;
    /* Cartesian volume of the conventional cell: prod cell_a * prod s_a * |det C|. */
    for (int a = 0; a < L->dim; ++a) {
        det *= sqrt((double)L->weight[a] / L->metric_den);
        cell *= L->cell[a];
    }
    {
        const int (*C)[HOP_MAX_DIM] = L->cart;
        double dc = L->dim == 1 ? C[0][0]
                  : L->dim == 2 ? C[0][0] * C[1][1] - C[0][1] * C[1][0]
                  : C[0][0] * (C[1][1] * C[2][2] - C[1][2] * C[2][1])
                    - C[0][1] * (C[1][0] * C[2][2] - C[1][2] * C[2][0])
                    + C[0][2] * (C[1][0] * C[2][1] - C[1][1] * C[2][0]);
        vol = fabs(dc) * det * cell / L->n_basis;
    }
    {
        const double r = sqrt(r2_max / L->metric_den) + 2 * sqrt((double)L->unit_len2 / L->metric_den);
        const double ball = L->dim == 1 ? 2 * r : L->dim == 2 ? 4 * r * r : 8 * r * r * r;
        return ball / vol + 16;
    }
}

/* ----------------------------------------------------------------------- rates --- */

static int64_t norm2(const hop_lattice *L, const int32_t *x)
{
    return hop_lattice_norm2(L, x);
}

/* Rate of exchange k of a vacancy at x (sublattice s, squared distance r2) to y (t2). */
static double exchange_rate(const hop_exact_problem *pb, int s, int k, int64_t r2, int64_t t2)
{
    const hop_lattice *L = pb->lattice;
    if (pb->rates)
        return (double)pb->rates->weight[hop_rates_class(pb->rates, r2, t2)];
    return L->rate_total[0] ? (double)L->rate[s][k] : 1.0;
}

/* ------------------------------------------------------------ one tracer sublattice --- */

typedef struct {
    const hop_exact_problem *pb;
    int64_t R2;                    /* the truncation radius squared, x^T M x units */
    int box;                       /* region: the box |x_a| <= half[a], else the ball */
    int64_t half[HOP_MAX_DIM];     /* whole conventional cells: cells * cell[a] */
    int t;                         /* the tracer's sublattice */
    state_table T;
} sub_system;

/* Whether a vacancy at y (squared distance t2) is inside the region. */
static int inside(const sub_system *S, const int32_t *y, int64_t t2)
{
    if (!S->box)
        return t2 < S->R2;
    for (int a = 0; a < S->pb->lattice->dim; ++a)
        if (y[a] > S->half[a] || -y[a] > S->half[a])
            return 0;
    return 1;
}

/* The weight of a start site on sublattice s: the vacancy's equilibrium occupation
 * e^{-E_s} (relative to the lowest energy, a power-of-two scale of the lattice's integer
 * occupation) with site energies, else 1 (every start site is then a neighbour of equal
 * weight, the solute model's binding included).  The search checks these against the
 * rates' own ratios, as it checks every bond. */
static double start_weight(const hop_exact_problem *pb, int s)
{
    const hop_lattice *L = pb->lattice;
    return !pb->rates && L->occupation[0] ? ldexp((double)L->occupation[s], -32) : 1.0;
}

/* The relative rounding of the ratio e^{-E_t} / e^{-E_s} = Gamma(s->t) / Gamma(t->s) as
 * the lattice's integers give it (each within 1/2 of its exact value: rates and
 * occupations scaled to 2^32); 0 without site energies or with a model's rates. */
static double rounding(const hop_lattice *L, int s, int k, double fwd, double back)
{
    const int t = L->jump_sub[s][k];
    if (!L->occupation[0])
        return 0;
    return 0.5 / fwd + 0.5 / back + 0.5 / (double)L->occupation[s] + 0.5 / (double)L->occupation[t];
}

/* The states reachable from the start sites of tracer sublattice t (added to the table
 * on the first call, found on later ones: the search is the same) with pi along the
 * search for S->pb's rates; HOP_ERR_NUMERIC if detailed balance fails on some bond. */
static hop_status weigh(sub_system *S)
{
    const hop_lattice *L = S->pb->lattice;
    state_table *T = &S->T;
    for (int64_t a = 0; a < T->n; ++a)
        T->sites[a].pi = 0;
    for (int s0 = 0; s0 < L->n_sub; ++s0)
        for (int k0 = 0; k0 < L->z; ++k0) {
            int32_t x[HOP_MAX_DIM];
            int64_t a;
            if (L->jump_sub[s0][k0] != S->t || !hop_lattice_has_jump(L, s0, k0))
                continue;
            for (int c = 0; c < HOP_MAX_DIM; ++c)
                x[c] = -L->jump[s0][k0][c];
            a = table_add(T, x, s0, norm2(L, x));
            if (T->sites[a].pi == 0)
                T->sites[a].pi = start_weight(S->pb, s0);
        }
    for (int64_t a = 0; a < T->n; ++a) {
        const site here = T->sites[a];
        for (int k = 0; k < L->z_sub[here.sub]; ++k) {
            const int occupied = !S->pb->rates && L->occupation[0];
            int32_t y[HOP_MAX_DIM];
            int64_t t2, b;
            double fwd, back, pi_y;
            for (int c = 0; c < HOP_MAX_DIM; ++c)
                y[c] = here.x[c] + L->jump[here.sub][k][c];
            t2 = norm2(L, y);
            if (t2 == 0 || !inside(S, y, t2))
                continue;
            if (T->n == T->cap && table_find(T, pack(y, L->jump_sub[here.sub][k])) < 0)
                return hop_error(HOP_ERR_NOMEM, "exact solver: more states than estimated (%lld)",
                                 (long long)T->cap);
            b = table_add(T, y, L->jump_sub[here.sub][k], t2);
            fwd = exchange_rate(S->pb, here.sub, k, here.r2, t2);
            back = exchange_rate(S->pb, L->jump_sub[here.sub][k], L->jump_rev[here.sub][k], t2,
                                 here.r2);
            if (fwd == 0 && back == 0)
                continue;
            if (fwd == 0 || back == 0)
                return hop_error(HOP_ERR_NUMERIC, "exact solver: the exchange %d from sublattice "
                                 "%d has rate 0 one way only (no detailed balance)", k, here.sub);
            pi_y = here.pi * fwd / back;
            if (occupied)                /* the occupation itself, the ratio checked */
                T->sites[b].pi = start_weight(S->pb, L->jump_sub[here.sub][k]);
            else if (T->sites[b].pi == 0)
                T->sites[b].pi = pi_y;
            if (fabs(T->sites[b].pi - pi_y) > (1e-8 + rounding(L, here.sub, k, fwd, back)) * pi_y)
                return hop_error(HOP_ERR_NUMERIC, "exact solver: the rates violate detailed "
                                 "balance (weights %.10g and %.10g of one state); only "
                                 "reversible rate tables are covered", T->sites[b].pi, pi_y);
        }
    }
    return HOP_OK;
}

/* Enumerate the states of tracer sublattice t (at most max_states) with their weights. */
static hop_status enumerate(sub_system *S, double max_states)
{
    state_table *T = &S->T;
    int64_t slots = 64;
    while (slots < 2 * max_states)
        slots *= 2;
    T->cap = (int64_t)max_states;
    T->slots = slots;
    T->sites = malloc((size_t)T->cap * sizeof *T->sites);
    T->keys = calloc((size_t)slots, sizeof *T->keys);
    T->index = malloc((size_t)slots * sizeof *T->index);
    T->n = 0;
    if (!T->sites || !T->keys || !T->index)
        return hop_error(HOP_ERR_NOMEM, "exact solver: no memory for %.0f states", max_states);
    return weigh(S);
}

/* Lower triangle of diag(pi) A and the right-hand sides diag(pi) [b_0 .. b_{z-1},
 * drift_0 .. drift_{dim-1}]. */
static hop_status assemble(sub_system *S, cholmod_common *cc, cholmod_sparse **A_out,
                           cholmod_dense **B_out)
{
    const hop_lattice *L = S->pb->lattice;
    const state_table *T = &S->T;
    const int n_rhs = L->z + HOP_MAX_DIM;
    cholmod_triplet *tr;
    cholmod_dense *B;
    double *bx;
    tr = cholmod_allocate_triplet((size_t)T->n, (size_t)T->n, (size_t)T->n * (L->z + 1) + 16,
                                  -1, CHOLMOD_REAL, cc);
    B = cholmod_zeros((size_t)T->n, (size_t)n_rhs, CHOLMOD_REAL, cc);
    if (!tr || !B) {
        cholmod_free_triplet(&tr, cc);
        cholmod_free_dense(&B, cc);
        return HOP_ERR_NOMEM;
    }
    bx = B->x;
    for (int64_t a = 0; a < T->n; ++a) {
        const site *here = &T->sites[a];
        double gamma = 0;
        for (int k = 0; k < L->z_sub[here->sub]; ++k) {
            int32_t y[HOP_MAX_DIM];
            int64_t t2, b;
            double r;
            for (int c = 0; c < HOP_MAX_DIM; ++c)
                y[c] = here->x[c] + L->jump[here->sub][k][c];
            t2 = norm2(L, y);
            r = exchange_rate(S->pb, here->sub, k, here->r2, t2);
            if (r == 0)
                continue;
            gamma += r;
            for (int c = 0; c < HOP_MAX_DIM; ++c)
                bx[(size_t)(L->z + c) * T->n + a] += here->pi * r * L->jump[here->sub][k][c];
            if (t2 == 0) {
                bx[(size_t)L->jump_rev[here->sub][k] * T->n + a] += here->pi * r;
                continue;
            }
            if (!inside(S, y, t2))
                continue;
            b = table_find(T, pack(y, L->jump_sub[here->sub][k]));
            if (b < a) {
                int *ti = tr->i, *tj = tr->j;
                double *tx = tr->x;
                ti[tr->nnz] = (int)a;
                tj[tr->nnz] = (int)b;
                tx[tr->nnz] = -here->pi * r;
                tr->nnz++;
            }
        }
        {
            int *ti = tr->i, *tj = tr->j;
            double *tx = tr->x;
            ti[tr->nnz] = (int)a;
            tj[tr->nnz] = (int)a;
            tx[tr->nnz] = here->pi * gamma;
            tr->nnz++;
        }
    }
    *A_out = cholmod_triplet_to_sparse(tr, tr->nnz, cc);
    cholmod_free_triplet(&tr, cc);
    *B_out = B;
    if (!*A_out) {
        cholmod_free_dense(B_out, cc);
        return HOP_ERR_NOMEM;
    }
    return HOP_OK;
}

/* The peak memory of factoring A (n states, nnz_A entries of its lower triangle) with
 * F's analysis and solving for n_rhs right-hand sides, `held` bytes besides: the
 * factor (supernodal: its values, index arrays and the largest update block; simplicial:
 * lnz values and row indices), A, and the right-hand sides, solutions and the solve's
 * workspace (three n x n_rhs arrays).  Measured against the peak resident size at
 * sc --radius 26 (768 MiB): within 2 %. */
static double factor_peak(const cholmod_factor *F, const cholmod_common *cc, double n,
                          double nnz_A, int n_rhs, double held)
{
    const double factor = F->is_super
        ? 8.0 * (double)F->xsize + 8.0 * (double)F->maxcsize + 4.0 * (double)F->ssize
              + 24.0 * (double)F->nsuper
        : 12.0 * cc->lnz;
    return factor + 12.0 * nnz_A + 24.0 * n * n_rhs + held;
}

/* A memory refusal's two amounts, needed and allowed (bytes, needed > allowed), in GiB
 * with as many decimals as make them differ: with two decimals a refusal could read
 * "needs at least 2.00 GiB, more than the 2.00 GiB allowed". */
static void memory_amounts(double needed, double allowed, char *needed_s, char *allowed_s,
                           size_t n)
{
    const double gib = 1073741824.0;
    for (int decimals = 2; decimals <= 12; ++decimals) {
        snprintf(needed_s, n, "%.*f GiB", decimals, needed / gib);
        snprintf(allowed_s, n, "%.*f GiB", decimals, allowed / gib);
        if (strcmp(needed_s, allowed_s) != 0)
            return;
    }
}

static void cholmod_quiet(int status, const char *file, int line, const char *message)
{
    (void)status; (void)file; (void)line; (void)message;
}

/* What a whole system keeps across calls (see "Whole systems" below): NULL members
 * until the first analysis. */
typedef struct {
    int64_t n, nnz;
    int *col_start, *row;      /* the lower triangle's pattern (CHOLMOD's p and i) */
    cholmod_factor *symbolic;  /* cholmod_analyze's result for that pattern */
    double bytes;              /* factor_peak of it */
    cholmod_factor *numeric;   /* the last numerical factor (supernodal), NULL: none */
    double numeric_bytes;      /* what it holds */
} kept_analysis;

static void kept_analysis_free(kept_analysis *k)
{
    if (k->symbolic || k->numeric) {
        cholmod_common cc;
        cholmod_start(&cc);
        cholmod_free_factor(&k->symbolic, &cc);
        cholmod_free_factor(&k->numeric, &cc);
        cholmod_finish(&cc);
    }
    free(k->col_start);
    free(k->row);
    memset(k, 0, sizeof *k);
}

/* Whether A has the pattern k was analysed for. */
static int same_pattern(const kept_analysis *k, const cholmod_sparse *A)
{
    return k->symbolic && k->n == (int64_t)A->nrow && k->nnz == (int64_t)A->nzmax
           && memcmp(k->col_start, A->p, (size_t)(k->n + 1) * sizeof(int)) == 0
           && memcmp(k->row, A->i, (size_t)k->nnz * sizeof(int)) == 0;
}

/* CHOLMOD's symbolic factor of A (the fill-reducing ordering, the supernodes) and the
 * peak memory of using it, *bytes: k's last numerical factor or a copy of its symbolic
 * one when A has k's pattern (cholmod_factorize overwrites every value of a supernodal
 * factor, so reusing one saves only its allocation: a tenth of a point's time, in page
 * faults), else a fresh analysis, kept in k (k NULL: nothing kept).  In 3D the
 * ordering is METIS's nested dissection alone: it fills less than AMD (CHOLMOD's
 * default tries AMD first and METIS only when AMD fills a lot; hcp-mg's five boxes:
 * 20.5 against 21.9 Gflop per factorisation, the smaller boxes half of AMD's), and a
 * scan analyses each box once.  In 1D and 2D CHOLMOD's default stays: AMD orders those
 * regions well and METIS's partitioning cost twice AMD's time on a square run (0.29
 * against 0.15 s of CPU).  NULL on failure (cc->status says why). */
static cholmod_factor *analysis(kept_analysis *k, const sub_system *S, cholmod_sparse *A,
                                cholmod_common *cc, double *bytes)
{
    const hop_lattice *L = S->pb->lattice;
    cholmod_factor *F;
    if (k && same_pattern(k, A)) {
        *bytes = k->bytes;
        if (k->numeric) {
            F = k->numeric;
            k->numeric = NULL;
            return F;
        }
        return cholmod_copy_factor(k->symbolic, cc);
    }
    if (L->dim == 3) {
        cc->nmethods = 1;
        cc->method[0].ordering = CHOLMOD_METIS;
    }
    F = cholmod_analyze(A, cc);
    *bytes = F ? factor_peak(F, cc, (double)S->T.n, (double)A->nzmax, L->z + HOP_MAX_DIM,
                             table_bytes(&S->T)) : 0;
    if (F && k) {
        kept_analysis fresh;
        memset(&fresh, 0, sizeof fresh);
        fresh.n = (int64_t)A->nrow;
        fresh.nnz = (int64_t)A->nzmax;
        fresh.col_start = malloc((size_t)(fresh.n + 1) * sizeof(int));
        fresh.row = malloc((size_t)fresh.nnz * sizeof(int));
        fresh.symbolic = cholmod_copy_factor(F, cc);
        fresh.bytes = *bytes;
        kept_analysis_free(k);
        if (fresh.col_start && fresh.row && fresh.symbolic) {
            memcpy(fresh.col_start, A->p, (size_t)(fresh.n + 1) * sizeof(int));
            memcpy(fresh.row, A->i, (size_t)fresh.nnz * sizeof(int));
            *k = fresh;
        } else {
            kept_analysis_free(&fresh);     /* nothing kept: the next call analyses */
        }
    }
    return F;
}

/* The bytes a numerical factor holds (values and indices). */
static double factor_held(const cholmod_factor *F)
{
    return F->is_super ? 8.0 * (double)F->xsize + 4.0 * (double)F->ssize + 24.0 * (double)F->nsuper
                       : 12.0 * (double)F->nzmax + 24.0 * (double)F->n;
}

/* The bytes a symbolic factor holds: the ordering and column counts (Perm, ColCount,
 * IPerm where made) and, supernodal, the supernodes (super, pi, px) and their row
 * indices (s). */
static double symbolic_held(const cholmod_factor *F)
{
    double held = 8.0 * (double)F->n + (F->IPerm ? 4.0 * (double)F->n : 0);
    if (F->is_super)
        held += 4.0 * (double)F->ssize + 12.0 * ((double)F->nsuper + 1);
    return held;
}

/* The bytes k keeps: the pattern, the symbolic factor, the numerical one if any. */
static double kept_bytes(const kept_analysis *k)
{
    double held = 4.0 * ((double)k->n + 1) + 4.0 * (double)k->nnz;
    if (k->symbolic)
        held += symbolic_held(k->symbolic);
    if (k->numeric)
        held += k->numeric_bytes;
    return held;
}

static void make_room(hop_exact_cache *cache, double needed, const state_table *own,
                      double max_bytes);

/* Factor and solve the sub_system of tracer sublattice t; fill the rows of c for the jump
 * types that end on t.  kept (NULL: none) holds the analysis of an earlier call and,
 * with `keep`, this call's supernodal factor for the next, in `cache` (NULL: none),
 * whose kept state counts against the memory allowed: it is let go (make_room) as far
 * as this solve's peak needs beside it, so that the limit, and the largest radius it
 * accepts, are those of a solve without a cache. */
static hop_status solve_system(sub_system *S, double radius, hop_exact_chain *c,
                               kept_analysis *kept, hop_exact_cache *cache, int keep)
{
    const hop_lattice *L = S->pb->lattice;
    cholmod_common cc;
    cholmod_sparse *A = NULL;
    cholmod_dense *B = NULL, *X = NULL;
    cholmod_factor *F = NULL;
    hop_status s;
    double bytes;
    cholmod_start(&cc);
    cc.error_handler = cholmod_quiet;
    cc.print = 0;
    if ((s = assemble(S, &cc, &A, &B)) != HOP_OK) {
        cholmod_finish(&cc);
        return hop_error(s, "exact solver: no memory to assemble %lld states at radius %g",
                         (long long)S->T.n, radius);
    }
    F = analysis(kept, S, A, &cc, &bytes);
    if (!F || bytes > S->pb->max_bytes) {
        /* No analysis: CHOLMOD_TOO_LARGE when the factor has more than 2^31 entries
         * (its 32-bit indices), i.e. more than 16 GiB of values alone. */
        const int too_large = !F && cc.status == CHOLMOD_TOO_LARGE;
        char needed[48], allowed[48];
        cholmod_free_factor(&F, &cc);
        cholmod_free_sparse(&A, &cc);
        cholmod_free_dense(&B, &cc);
        cholmod_finish(&cc);
        if (bytes == 0 && !too_large)
            return hop_error(HOP_ERR_NOMEM, "radius %g: no memory to analyse the factorisation "
                             "of %lld states: use a smaller radius", radius, (long long)S->T.n);
        if (too_large)
            return hop_error(HOP_ERR_NOMEM, "radius %g: the factorisation of %lld states has "
                             "more than 2^31 entries (over 16 GiB), more than CHOLMOD's 32-bit "
                             "indices hold: use a smaller radius", radius, (long long)S->T.n);
        memory_amounts(bytes, S->pb->max_bytes, needed, allowed, sizeof needed);
        return hop_error(HOP_ERR_NOMEM, "radius %g: the factorisation of %lld states needs "
                         "about %s, more than the %s allowed: use a smaller radius", radius,
                         (long long)S->T.n, needed, allowed);
    }
    if (bytes > c->factor_bytes)
        c->factor_bytes = bytes;
    if (cache)
        make_room(cache, bytes, &S->T, S->pb->max_bytes);
    if (!cholmod_factorize(A, F, &cc) || cc.status == CHOLMOD_NOT_POSDEF
        || !(X = cholmod_solve(CHOLMOD_A, F, B, &cc))) {
        const int not_posdef = cc.status == CHOLMOD_NOT_POSDEF;
        cholmod_free_factor(&F, &cc);
        cholmod_free_sparse(&A, &cc);
        cholmod_free_dense(&B, &cc);
        cholmod_finish(&cc);
        return not_posdef ? hop_error(HOP_ERR_NUMERIC, "exact solver: the system at radius %g is "
                                      "singular (a rate table that cuts the vacancy off from "
                                      "the tracer?)", radius)
                          : hop_error(HOP_ERR_NOMEM, "exact solver: the factorisation at radius "
                                      "%g failed (out of memory?)", radius);
    }
    {
        const double *xx = X->x;
        const int64_t n = S->T.n;
        for (int s0 = 0; s0 < L->n_sub; ++s0)
            for (int k0 = 0; k0 < L->z; ++k0) {
                int32_t x[HOP_MAX_DIM];
                int64_t a;
                const int i = s0 * L->z + k0;
                if (L->jump_sub[s0][k0] != S->t || !hop_lattice_has_jump(L, s0, k0))
                    continue;
                for (int d = 0; d < HOP_MAX_DIM; ++d)
                    x[d] = -L->jump[s0][k0][d];
                a = table_find(&S->T, pack(x, s0));
                for (int j = 0; j < L->z; ++j)
                    c->P[i][S->t * L->z + j] = xx[(size_t)j * n + a];
                for (int d = 0; d < HOP_MAX_DIM; ++d)
                    c->drift[i][d] = xx[(size_t)(L->z + d) * n + a];
            }
    }
    cholmod_free_dense(&X, &cc);
    if (keep && kept && cache && F->is_super && same_pattern(kept, A) && !kept->numeric) {
        kept->numeric = F;
        kept->numeric_bytes = factor_held(F);
        F = NULL;
    }
    cholmod_free_factor(&F, &cc);
    cholmod_free_sparse(&A, &cc);
    cholmod_free_dense(&B, &cc);
    cholmod_finish(&cc);
    return HOP_OK;
}

/* ----------------------------------------------------------------- local rates --- *
 *
 * The solute model's rates differ from w0 only on the states within one jump of the
 * solute's nearest-neighbour shell (the local states, 54 on fcc, 34 on bcc); on every
 * other state (far) all z exchanges have rate w0, the weight pi is one constant, and
 * the right-hand sides vanish (sum_k e_k = 0, no exchange with the solute).  Eliminating
 * the far states (Schur complement): with A_FF = w0 K (K: z on the diagonal, -1 per
 * bond inside the far region: no rate in it) and A_FL = -w0 N (N: the bonds from far
 * to local states),
 *     x_L = (A_LL + A_LF K^-1 N)^-1 b_L,
 * and A_LF is nonzero only on the far states bonded to local ones (the edge), so
 * H = K^-1 N on the edge is all a solve needs of the far region.  It depends on the
 * lattice and the region only: a cache keeps it, with the state table, so that a scan
 * over the rates factors K once per region and then solves, per point, a dense system
 * of the local states (diag(pi_L) times it is symmetric: pi(x) r(x, y) = pi_F w0 on
 * every local-far bond; CHOLMOD factors it as it does the whole system).
 *
 * The solute's effect on L_vv (docs/exact.md) comes from the same elimination.  The
 * vacancy's displacement is an additive functional of the chain whose exchange with
 * the solute is not absorbing but maps x to -x; with b(x) = sum_k r_k(x) e_k its mean
 * drift and chi the solution of A'' chi = b (A'' = A with those exchanges as bonds),
 * the variance rate of the vacancy's displacement is, per state weight,
 *     sum_x pi(x) Gamma_2(x) - 2 sum_x pi(x) b(x) . chi(x),  Gamma_2 = sum_k r_k |e_k|^2
 * (the Kipnis-Varadhan form of the central limit theorem for a reversible chain), and
 * one solute among N sites changes the vacancy's diffusivity by 1/N times
 *     Delta = (1/2d) [sum_x pi~(x) (Gamma_2(x) - z w0 alpha^2) - 2 sum_x pi~(x) b . chi]
 * with pi~ = pi / pi_F (the vacancy's weight relative to far away).  Both sums run over
 * the local states only (elsewhere Gamma_2 = z w0 alpha^2 and b = 0), and A'' differs
 * from A only there, so the same H serves.  vv = Delta / ((1/2d) z w0 alpha^2). */

#define CACHE_ENTRIES 16

typedef struct {
    /* the key: the lattice's geometry, region, tracer sublattice, the rate classes'
     * geometry (a copy: a lattice read from a file may be another object each call) */
    hop_lattice lattice;
    int box;
    int64_t R2, half[HOP_MAX_DIM];
    int t;
    int64_t nn_r2, outer_r2[HOP_MAX_OUTER];
    int n_outer;
    /* what is kept */
    sub_system S;                 /* the states; pi rewritten by each call */
    int64_t n_local, n_edge;
    int64_t *local;               /* the table index of each local state */
    int64_t *local_of, *edge_of;  /* table index -> local / edge index, -1 none */
    double *H;                    /* n_edge x n_local, row-major: K^-1 N on the edge */
    double factor_bytes;          /* K's factorisation */
    uint64_t last_use;
} local_entry;

/* A whole system's region ("Whole systems" below). */
typedef struct {
    hop_lattice lattice;          /* the key: its states and bonds (same_states) */
    int box;
    int64_t R2, half[HOP_MAX_DIM];
    int t;
    sub_system S;                 /* the states; pi rewritten by each call */
    kept_analysis analysis;
    uint64_t last_use;
    long uses;                    /* calls that solved it: its factor is kept from the
                                     second on (a single run solves each box once) */
} whole_entry;

#define WHOLE_ENTRIES (4 * HOP_EXACT_MAX_RADII)

struct hop_exact_cache {
    local_entry entry[CACHE_ENTRIES];
    int n;
    whole_entry whole[WHOLE_ENTRIES];
    int n_whole;
    uint64_t clock;
};

hop_exact_cache *hop_exact_cache_alloc(void)
{
    return calloc(1, sizeof(hop_exact_cache));
}

static void entry_free(local_entry *e)
{
    table_free(&e->S.T);
    free(e->local);
    free(e->local_of);
    free(e->edge_of);
    free(e->H);
    memset(e, 0, sizeof *e);
}

static void whole_free(whole_entry *e)
{
    table_free(&e->S.T);
    kept_analysis_free(&e->analysis);
    memset(e, 0, sizeof *e);
}

/* An entry let go stays in its slot, emptied (a solve holds a pointer to its own). */
static int local_in_use(const local_entry *e)
{
    return e->S.T.sites != NULL;
}

static int whole_in_use(const whole_entry *e)
{
    return e->uses > 0;
}

static double local_bytes(const local_entry *e)
{
    if (!local_in_use(e))
        return 0;
    return table_bytes(&e->S.T) + (e->local ? 24.0 * (double)e->S.T.n : 0)
           + (e->H ? 8.0 * (double)e->n_edge * (double)e->n_local : 0);
}

static double whole_bytes(const whole_entry *e)
{
    return whole_in_use(e) ? table_bytes(&e->S.T) + kept_bytes(&e->analysis) : 0;
}

double hop_exact_cache_bytes(const hop_exact_cache *cache)
{
    double held = 0;
    if (!cache)
        return 0;
    for (int k = 0; k < cache->n; ++k)
        held += local_bytes(&cache->entry[k]);
    for (int k = 0; k < cache->n_whole; ++k)
        held += whole_bytes(&cache->whole[k]);
    return held;
}

/* The least recently used whole entry in use whose table is not `own` (with a numerical
 * factor kept if `numeric`), or NULL. */
static whole_entry *whole_to_go(hop_exact_cache *cache, const state_table *own, int numeric)
{
    whole_entry *lru = NULL;
    for (int k = 0; k < cache->n_whole; ++k) {
        whole_entry *e = &cache->whole[k];
        if (whole_in_use(e) && &e->S.T != own && (!numeric || e->analysis.numeric)
            && (!lru || e->last_use < lru->last_use))
            lru = e;
    }
    return lru;
}

static local_entry *local_to_go(hop_exact_cache *cache, const state_table *own)
{
    local_entry *lru = NULL;
    for (int k = 0; k < cache->n; ++k) {
        local_entry *e = &cache->entry[k];
        if (local_in_use(e) && &e->S.T != own && (!lru || e->last_use < lru->last_use))
            lru = e;
    }
    return lru;
}

/* Let go of what the cache keeps until it and a solve needing `needed` bytes at its peak
 * (its own state table `own` included; NULL: a solve not yet in the cache) fit in
 * max_bytes: first the kept numerical factors, then whole entries and far-region
 * eliminations, least recently used first, last the solve's own kept analysis (it is
 * then not kept).  Each is made again when next needed, to the same bits. */
static void make_room(hop_exact_cache *cache, double needed, const state_table *own,
                      double max_bytes)
{
    const double own_bytes = own ? table_bytes(own) : 0;
    while (hop_exact_cache_bytes(cache) - own_bytes + needed > max_bytes) {
        whole_entry *w = whole_to_go(cache, own, 1);
        local_entry *l;
        if (w) {
            cholmod_common cc;
            cholmod_start(&cc);
            cholmod_free_factor(&w->analysis.numeric, &cc);
            cholmod_finish(&cc);
            continue;
        }
        w = whole_to_go(cache, own, 0);
        l = local_to_go(cache, own);
        if (w && (!l || w->last_use < l->last_use)) {
            whole_free(w);
        } else if (l) {
            entry_free(l);
        } else {
            for (int k = 0; k < cache->n_whole; ++k)
                if (&cache->whole[k].S.T == own && cache->whole[k].analysis.symbolic)
                    kept_analysis_free(&cache->whole[k].analysis);
            return;
        }
    }
}

void hop_exact_cache_free(hop_exact_cache *cache)
{
    if (!cache)
        return;
    for (int k = 0; k < cache->n; ++k)
        entry_free(&cache->entry[k]);
    for (int k = 0; k < cache->n_whole; ++k)
        whole_free(&cache->whole[k]);
    free(cache);
}

/* Whether the far region's right-hand sides vanish: sum_k e_k = 0 on every sublattice. */
static int jumps_balance(const hop_lattice *L)
{
    for (int s = 0; s < L->n_sub; ++s)
        for (int c = 0; c < HOP_MAX_DIM; ++c) {
            int64_t sum = 0;
            for (int k = 0; k < L->z; ++k)
                sum += L->jump[s][k][c];
            if (sum != 0)
                return 0;
        }
    return 1;
}

/* Whether a and b have the same states (the enumeration visits every site a jump
 * reaches, whatever its rate) and the same bonds, whatever their rates. */
static int same_states(const hop_lattice *a, const hop_lattice *b)
{
    return a->dim == b->dim && a->z == b->z && a->n_sub == b->n_sub
           && memcmp(a->z_sub, b->z_sub, sizeof a->z_sub) == 0
           && a->jump_len2 == b->jump_len2 && a->unit_len2 == b->unit_len2
           && memcmp(a->jump_norm2, b->jump_norm2, sizeof a->jump_norm2) == 0
           && memcmp(a->cell, b->cell, sizeof a->cell) == 0
           && memcmp(a->jump, b->jump, sizeof a->jump) == 0
           && memcmp(a->jump_sub, b->jump_sub, sizeof a->jump_sub) == 0
           && memcmp(a->jump_rev, b->jump_rev, sizeof a->jump_rev) == 0
           && memcmp(a->metric, b->metric, sizeof a->metric) == 0;
}

/* Whether a and b have the same states and bonds and the same rates on them: what the
 * enumeration and K read. */
static int same_geometry(const hop_lattice *a, const hop_lattice *b)
{
    return same_states(a, b)
           && memcmp(a->rate, b->rate, sizeof a->rate) == 0
           && memcmp(a->rate_total, b->rate_total, sizeof a->rate_total) == 0
           && memcmp(a->site_energy, b->site_energy, sizeof a->site_energy) == 0
           && memcmp(a->occupation, b->occupation, sizeof a->occupation) == 0;
}

static int entry_matches(const local_entry *e, const sub_system *S)
{
    const hop_rates *R = S->pb->rates;
    if (!same_geometry(&e->lattice, S->pb->lattice) || e->box != S->box || e->t != S->t
        || e->nn_r2 != R->nn_r2 || e->n_outer != R->n_outer)
        return 0;
    if (S->box ? memcmp(e->half, S->half, sizeof e->half) != 0 : e->R2 != S->R2)
        return 0;
    for (int j = 0; j < R->n_outer; ++j)
        if (e->outer_r2[j] != R->outer_r2[j])
            return 0;
    return 1;
}

/* The local states: those with an exchange whose rate class is not w0. */
static hop_status classify(local_entry *e)
{
    const sub_system *S = &e->S;
    const hop_lattice *L = S->pb->lattice;
    const state_table *T = &S->T;
    e->local = malloc((size_t)T->n * sizeof *e->local);
    e->local_of = malloc((size_t)T->n * sizeof *e->local_of);
    e->edge_of = malloc((size_t)T->n * sizeof *e->edge_of);
    if (!e->local || !e->local_of || !e->edge_of)
        return hop_error(HOP_ERR_NOMEM, "exact solver: no memory for %lld states",
                         (long long)T->n);
    e->n_local = e->n_edge = 0;
    for (int64_t a = 0; a < T->n; ++a) {
        int near = 0;
        for (int k = 0; k < L->z && !near; ++k) {
            int32_t y[HOP_MAX_DIM];
            for (int c = 0; c < HOP_MAX_DIM; ++c)
                y[c] = T->sites[a].x[c] + L->jump[T->sites[a].sub][k][c];
            near = hop_rates_class(S->pb->rates, T->sites[a].r2, norm2(L, y)) != HOP_W0;
        }
        e->local_of[a] = near ? e->n_local : -1;
        e->edge_of[a] = -1;
        if (near)
            e->local[e->n_local++] = a;
    }
    return HOP_OK;
}

/* The far state b bonded to local state a by jump k, or -1 (local, outside, solute). */
static int64_t far_neighbour(const local_entry *e, int64_t a, int k)
{
    const sub_system *S = &e->S;
    const hop_lattice *L = S->pb->lattice;
    const site *here = &S->T.sites[a];
    int32_t y[HOP_MAX_DIM];
    int64_t t2, b;
    for (int c = 0; c < HOP_MAX_DIM; ++c)
        y[c] = here->x[c] + L->jump[here->sub][k][c];
    t2 = norm2(L, y);
    if (t2 == 0 || !inside(S, y, t2))
        return -1;
    b = table_find(&S->T, pack(y, L->jump_sub[here->sub][k]));
    return b >= 0 && e->local_of[b] < 0 ? b : -1;
}

/* H = K^-1 N on the edge (see above): K over the far states (index far[b]), N's columns
 * the bonds to each local state; CHOLMOD factors K, solves for all columns at once. */
static hop_status eliminate_far(local_entry *e, hop_exact_cache *cache)
{
    const double max_bytes = e->S.pb->max_bytes;
    const sub_system *S = &e->S;
    const hop_lattice *L = S->pb->lattice;
    const state_table *T = &S->T;
    const int64_t m = e->n_local;
    int64_t n_far = 0, *far = malloc((size_t)T->n * sizeof *far);
    cholmod_common cc;
    cholmod_triplet *tr = NULL;
    cholmod_sparse *K = NULL;
    cholmod_dense *N = NULL, *Y = NULL;
    cholmod_factor *F = NULL;
    hop_status s = HOP_ERR_NOMEM;
    int reported = 0;
    if (!far)
        return hop_error(HOP_ERR_NOMEM, "exact solver: no memory for %lld states",
                         (long long)T->n);
    for (int64_t a = 0; a < T->n; ++a)
        far[a] = e->local_of[a] < 0 ? n_far++ : -1;
    cholmod_start(&cc);
    cc.error_handler = cholmod_quiet;
    cc.print = 0;
    tr = cholmod_allocate_triplet((size_t)n_far, (size_t)n_far, (size_t)n_far * (L->z + 1),
                                  -1, CHOLMOD_REAL, &cc);
    N = cholmod_zeros((size_t)n_far, (size_t)m, CHOLMOD_REAL, &cc);
    if (!tr || !N)
        goto done;
    for (int64_t a = 0; a < T->n; ++a) {
        int *ti = tr->i, *tj = tr->j;
        double *tx = tr->x;
        if (far[a] < 0) {
            for (int k = 0; k < L->z; ++k) {          /* local a: its column of N */
                const int64_t b = far_neighbour(e, a, k);
                if (b >= 0)
                    ((double *)N->x)[(size_t)e->local_of[a] * n_far + far[b]] += 1;
            }
            continue;
        }
        ti[tr->nnz] = (int)far[a];
        tj[tr->nnz] = (int)far[a];
        tx[tr->nnz++] = L->z;
        for (int k = 0; k < L->z; ++k) {
            const int64_t b = far_neighbour(e, a, k);
            if (b >= 0 && far[b] < far[a]) {
                ti[tr->nnz] = (int)far[a];
                tj[tr->nnz] = (int)far[b];
                tx[tr->nnz++] = -1;
            }
        }
    }
    if (!(K = cholmod_triplet_to_sparse(tr, tr->nnz, &cc)) || !(F = cholmod_analyze(K, &cc)))
        goto done;
    e->factor_bytes = factor_peak(F, &cc, (double)n_far, (double)K->nzmax, (int)m,
                                  table_bytes(T));
    if (e->factor_bytes > max_bytes) {
        reported = 1;
        char needed[48], allowed[48];
        memory_amounts(e->factor_bytes, max_bytes, needed, allowed, sizeof needed);
        s = hop_error(HOP_ERR_NOMEM, "the factorisation of %lld states needs about %s, more "
                      "than the %s allowed: use a smaller radius", (long long)n_far, needed,
                      allowed);
        goto done;
    }
    make_room(cache, e->factor_bytes, T, max_bytes);
    if (!cholmod_factorize(K, F, &cc) || cc.status != CHOLMOD_OK
        || !(Y = cholmod_solve(CHOLMOD_A, F, N, &cc)))
        goto done;
    for (int64_t a = 0; a < T->n; ++a)             /* the edge: far states bonded to local */
        if (far[a] < 0)
            for (int k = 0; k < L->z; ++k) {
                const int64_t b = far_neighbour(e, a, k);
                if (b >= 0 && e->edge_of[b] < 0)
                    e->edge_of[b] = e->n_edge++;
            }
    if (!(e->H = malloc((size_t)(e->n_edge * m) * sizeof *e->H)))
        goto done;
    for (int64_t b = 0; b < T->n; ++b)
        if (e->edge_of[b] >= 0)
            for (int64_t j = 0; j < m; ++j)
                e->H[e->edge_of[b] * m + j] = ((double *)Y->x)[(size_t)j * n_far + far[b]];
    s = HOP_OK;
done:
    if (s != HOP_OK && !reported)
        hop_error(s, "exact solver: the factorisation of the far region (%lld states) failed "
                  "(out of memory?)", (long long)n_far);
    free(far);
    cholmod_free_triplet(&tr, &cc);
    cholmod_free_sparse(&K, &cc);
    cholmod_free_dense(&N, &cc);
    cholmod_free_dense(&Y, &cc);
    cholmod_free_factor(&F, &cc);
    cholmod_finish(&cc);
    return s;
}

/* The cache's entry for S's region (built on first use; the least recently used one
 * goes when the cache is full), or NULL with a reported status in *s. */
static local_entry *entry_for(hop_exact_cache *cache, const sub_system *S, double est,
                              double needed, hop_status *s)
{
    const hop_rates *R = S->pb->rates;
    local_entry *e = NULL;
    for (int k = 0; k < cache->n; ++k)
        if (local_in_use(&cache->entry[k]) && entry_matches(&cache->entry[k], S)) {
            e = &cache->entry[k];
            e->S.pb = S->pb;
            e->last_use = ++cache->clock;
            *s = weigh(&e->S);
            return *s == HOP_OK ? e : NULL;
        }
    make_room(cache, needed, NULL, S->pb->max_bytes);
    if (cache->n < CACHE_ENTRIES) {
        e = &cache->entry[cache->n++];
    } else {                               /* an emptied slot (last_use 0) or the LRU */
        e = &cache->entry[0];
        for (int k = 1; k < CACHE_ENTRIES; ++k)
            if (cache->entry[k].last_use < e->last_use)
                e = &cache->entry[k];
        entry_free(e);
    }
    e->lattice = *S->pb->lattice;
    e->box = S->box;
    e->R2 = S->R2;
    memcpy(e->half, S->half, sizeof e->half);
    e->t = S->t;
    e->nn_r2 = R->nn_r2;
    e->n_outer = R->n_outer;
    memcpy(e->outer_r2, R->outer_r2, sizeof e->outer_r2);
    e->S = *S;
    e->last_use = ++cache->clock;
    if ((*s = enumerate(&e->S, est)) == HOP_OK && (*s = classify(e)) == HOP_OK)
        *s = eliminate_far(e, cache);
    if (*s != HOP_OK) {
        entry_free(e);                     /* drop it: its slot stays empty */
        return NULL;
    }
    return e;
}

/* (C u)_a for a real vector u. */
static double cart_real(const hop_lattice *L, const double *u, int a)
{
    return L->cart[a][0] * u[0] + L->cart[a][1] * u[1] + L->cart[a][2] * u[2];
}

/* metric_den times u . v for real vectors u, v in lattice coordinates. */
static double dot_reals(const hop_lattice *L, const double *u, const double *v)
{
    double s = 0;
    for (int a = 0; a < L->dim; ++a)
        s += L->weight[a] * cart_real(L, u, a) * cart_real(L, v, a);
    return s;
}

/* The local system of e for the current rates: G = A_LL + A_LF H (absorbing exchange:
 * `bonded` 0) or A''_LL + A_LF H (the exchange a bond to -x: 1), symmetrised by pi,
 * as CHOLMOD's lower triangle; the rates' sums per local state into gamma (total),
 * gamma2 (sum r |e|^2, metric units), drift (b, lattice coordinates). */
static cholmod_sparse *local_matrix(const local_entry *e, int bonded, double *gamma2,
                                    double (*drift)[HOP_MAX_DIM], cholmod_common *cc)
{
    const sub_system *S = &e->S;
    const hop_lattice *L = S->pb->lattice;
    const int64_t m = e->n_local;
    double *G = calloc((size_t)(m * m), sizeof *G);
    cholmod_triplet *tr = G ? cholmod_allocate_triplet((size_t)m, (size_t)m,
                                                       (size_t)(m * (m + 1) / 2), -1,
                                                       CHOLMOD_REAL, cc) : NULL;
    cholmod_sparse *A = NULL;
    if (!tr) {
        free(G);
        return NULL;
    }
    for (int64_t i = 0; i < m; ++i) {
        const site *here = &S->T.sites[e->local[i]];
        double gamma = 0;
        gamma2[i] = 0;
        memset(drift[i], 0, sizeof drift[i]);
        for (int k = 0; k < L->z; ++k) {
            const int *ek = L->jump[here->sub][k];
            const int32_t e32[HOP_MAX_DIM] = {ek[0], ek[1], ek[2]};
            int32_t y[HOP_MAX_DIM];
            int64_t t2, b;
            double r;
            for (int c = 0; c < HOP_MAX_DIM; ++c)
                y[c] = here->x[c] + ek[c];
            t2 = norm2(L, y);
            r = exchange_rate(S->pb, here->sub, k, here->r2, t2);
            if (r == 0)
                continue;
            gamma += r;
            gamma2[i] += r * (double)norm2(L, e32);
            for (int c = 0; c < HOP_MAX_DIM; ++c)
                drift[i][c] += r * ek[c];
            if (t2 == 0) {              /* the exchange: the vacancy's new position is e_k */
                if (bonded) {
                    b = table_find(&S->T, pack(e32, S->t));
                    G[i * m + e->local_of[b]] -= r;
                }
                continue;
            }
            if (!inside(S, y, t2))
                continue;
            b = table_find(&S->T, pack(y, L->jump_sub[here->sub][k]));
            if (e->local_of[b] >= 0) {
                G[i * m + e->local_of[b]] -= r;
            } else {
                const double *h = e->H + e->edge_of[b] * m;
                for (int64_t j = 0; j < m; ++j)
                    G[i * m + j] -= r * h[j];
            }
        }
        G[i * m + i] += gamma;
    }
    for (int64_t i = 0; i < m; ++i) {
        const double pi = S->T.sites[e->local[i]].pi;
        for (int64_t j = 0; j <= i; ++j)
            if (G[i * m + j] != 0) {
                ((int *)tr->i)[tr->nnz] = (int)i;
                ((int *)tr->j)[tr->nnz] = (int)j;
                ((double *)tr->x)[tr->nnz++] = pi * G[i * m + j];
            }
    }
    free(G);
    A = cholmod_triplet_to_sparse(tr, tr->nnz, cc);
    cholmod_free_triplet(&tr, cc);
    return A;
}

/* Factor the symmetric A and solve A X = B (NULL on failure: *posdef 0 when A is not
 * positive definite). */
static cholmod_dense *factor_solve(cholmod_sparse *A, cholmod_dense *B, int *posdef,
                                   cholmod_common *cc)
{
    cholmod_factor *F = cholmod_analyze(A, cc);
    cholmod_dense *X = NULL;
    *posdef = 1;
    if (F && cholmod_factorize(A, F, cc)) {
        if (cc->status == CHOLMOD_NOT_POSDEF)
            *posdef = 0;
        else
            X = cholmod_solve(CHOLMOD_A, F, B, cc);
    }
    cholmod_free_factor(&F, cc);
    return X;
}

/* The right-hand sides diag(pi) [b_0 .. b_{z-1}, drift] of the local states into B. */
static void local_rhs(const local_entry *e, double (*drift)[HOP_MAX_DIM], cholmod_dense *B)
{
    const sub_system *S = &e->S;
    const hop_lattice *L = S->pb->lattice;
    const int64_t m = e->n_local;
    double *bx = B->x;
    for (int64_t i = 0; i < m; ++i) {
        const site *here = &S->T.sites[e->local[i]];
        for (int k = 0; k < L->z; ++k) {
            int32_t y[HOP_MAX_DIM];
            for (int d = 0; d < HOP_MAX_DIM; ++d)
                y[d] = here->x[d] + L->jump[here->sub][k][d];
            if (norm2(L, y) == 0)
                bx[(size_t)L->jump_rev[here->sub][k] * m + i] +=
                    here->pi * exchange_rate(S->pb, here->sub, k, here->r2, 0);
        }
        for (int d = 0; d < HOP_MAX_DIM; ++d)
            bx[(size_t)(L->z + d) * m + i] = here->pi * drift[i][d];
    }
}

/* The rows of c for the jump types that end on the tracer's sublattice, from the
 * solution X of the local system (at the start sites, which are local). */
static void chain_rows(const local_entry *e, const cholmod_dense *X, hop_exact_chain *c)
{
    const sub_system *S = &e->S;
    const hop_lattice *L = S->pb->lattice;
    const int64_t m = e->n_local;
    const double *xx = X->x;
    for (int s0 = 0; s0 < L->n_sub; ++s0)
        for (int k0 = 0; k0 < L->z; ++k0) {
            int32_t x[HOP_MAX_DIM];
            int64_t i;
            const int type = s0 * L->z + k0;
            if (L->jump_sub[s0][k0] != S->t || !hop_lattice_has_jump(L, s0, k0))
                continue;
            for (int d = 0; d < HOP_MAX_DIM; ++d)
                x[d] = -L->jump[s0][k0][d];
            i = e->local_of[table_find(&S->T, pack(x, s0))];
            for (int j = 0; j < L->z; ++j)
                c->P[type][S->t * L->z + j] = xx[(size_t)j * m + i];
            for (int d = 0; d < HOP_MAX_DIM; ++d)
                c->drift[type][d] = xx[(size_t)(L->z + d) * m + i];
        }
}

/* vv (see "Local rates"): solve A'' chi = b (the exchange a bond) with B's first
 * HOP_MAX_DIM columns, then the two sums over the local states relative to pi_F. */
static int vacancy_effect(const local_entry *e, double *gamma2,
                          double (*drift)[HOP_MAX_DIM], cholmod_dense *B, double *vv,
                          int *posdef, cholmod_common *cc)
{
    const sub_system *S = &e->S;
    const hop_lattice *L = S->pb->lattice;
    const int64_t m = e->n_local;
    const double w0 = (double)S->pb->rates->weight[HOP_W0];
    double pi_far = 0, sum = 0, *bx = B->x;
    cholmod_sparse *A;
    cholmod_dense *X;
    for (int64_t a = 0; a < S->T.n && pi_far == 0; ++a)
        if (e->local_of[a] < 0)
            pi_far = S->T.sites[a].pi;
    if (L->n_sub != 1 || !(pi_far > 0))
        return 1;                       /* not computed: vv stays NaN */
    if (!(A = local_matrix(e, 1, gamma2, drift, cc)))
        return 0;
    for (int64_t i = 0; i < m; ++i)
        for (int d = 0; d < HOP_MAX_DIM; ++d)
            bx[(size_t)d * m + i] = S->T.sites[e->local[i]].pi * drift[i][d];
    B->ncol = HOP_MAX_DIM;
    X = factor_solve(A, B, posdef, cc);
    cholmod_free_sparse(&A, cc);
    if (!X)
        return 0;
    for (int64_t i = 0; i < m; ++i) {
        double chi[HOP_MAX_DIM];
        for (int d = 0; d < HOP_MAX_DIM; ++d)
            chi[d] = ((double *)X->x)[(size_t)d * m + i];
        sum += S->T.sites[e->local[i]].pi / pi_far
               * (gamma2[i] - L->z * w0 * L->jump_len2 - 2 * dot_reals(L, drift[i], chi));
    }
    cholmod_free_dense(&X, cc);
    *vv = sum / (L->z * w0 * L->jump_len2);
    return 1;
}

/* Solve the chain of e's region for S->pb's rates (pi already weighed): the rows of c
 * for the jump types that end on the tracer's sublattice, and c->vv (one sublattice). */
static hop_status local_solve(const local_entry *e, double radius, hop_exact_chain *c)
{
    const int64_t m = e->n_local;
    const int n_rhs = e->S.pb->lattice->z + HOP_MAX_DIM;
    double *gamma2 = malloc((size_t)m * sizeof *gamma2);
    double (*drift)[HOP_MAX_DIM] = malloc((size_t)m * sizeof *drift);
    cholmod_common cc;
    cholmod_sparse *A = NULL;
    cholmod_dense *B = NULL, *X = NULL;
    int posdef = 1, ok = 0;
    cholmod_start(&cc);
    cc.error_handler = cholmod_quiet;
    cc.print = 0;
    if (gamma2 && drift && (A = local_matrix(e, 0, gamma2, drift, &cc))
        && (B = cholmod_zeros((size_t)m, (size_t)n_rhs, CHOLMOD_REAL, &cc))) {
        local_rhs(e, drift, B);
        if ((X = factor_solve(A, B, &posdef, &cc))) {
            chain_rows(e, X, c);
            ok = vacancy_effect(e, gamma2, drift, B, &c->vv, &posdef, &cc);
        }
    }
    free(gamma2);
    free(drift);
    cholmod_free_sparse(&A, &cc);
    cholmod_free_dense(&B, &cc);
    cholmod_free_dense(&X, &cc);
    cholmod_finish(&cc);
    if (ok)
        return HOP_OK;
    return posdef ? hop_error(HOP_ERR_NOMEM, "exact solver: the local system at radius %g "
                              "failed (out of memory?)", radius)
                  : hop_error(HOP_ERR_NUMERIC, "exact solver: the system at radius %g is "
                              "singular (a rate table that cuts the vacancy off from the "
                              "tracer?)", radius);
}

/* ---------------------------------------------------------------- whole systems --- *
 *
 * Rates that act everywhere (a lattice file's class rates and site energies, the
 * vacancy model's per-jump rates) leave no far region to eliminate once: each call
 * factors the whole system.  What does not depend on the rates' values is still kept
 * per region and tracer sublattice: the states (enumerated once; pi re-weighed per
 * call), and CHOLMOD's symbolic analysis of the matrix's pattern (the ordering, the
 * supernodes, the factor's structure), which a call whose matrix has the same pattern
 * (compared entry by entry) copies instead of analysing again; cholmod_factorize then
 * fills the copy's values.  The ordering is a function of the pattern only, so a kept
 * analysis gives the same factor, to the bit, as a fresh one. */

/* The cache's entry for S's region (its states enumerated on first use and re-weighed
 * for S->pb's rates on later ones; the least recently used one goes when the cache is
 * full), or NULL with a reported status in *s. */
static whole_entry *whole_for(hop_exact_cache *cache, const sub_system *S, double est,
                              double needed, hop_status *s)
{
    whole_entry *e = NULL;
    for (int k = 0; k < cache->n_whole; ++k) {
        e = &cache->whole[k];
        if (whole_in_use(e) && same_states(&e->lattice, S->pb->lattice) && e->box == S->box
            && e->t == S->t
            && (S->box ? memcmp(e->half, S->half, sizeof e->half) == 0 : e->R2 == S->R2)) {
            const int64_t n = e->S.T.n;
            e->S.pb = S->pb;
            e->last_use = ++cache->clock;
            ++e->uses;
            if ((*s = weigh(&e->S)) == HOP_OK && e->S.T.n != n)
                *s = hop_error(HOP_ERR_NUMERIC, "exact solver: the kept states of radius %g "
                               "changed (an internal error)", sqrt((double)S->R2));
            return *s == HOP_OK ? e : NULL;
        }
    }
    make_room(cache, needed, NULL, S->pb->max_bytes);
    if (cache->n_whole < WHOLE_ENTRIES) {
        e = &cache->whole[cache->n_whole++];
    } else {                                   /* an emptied slot (last_use 0) or the LRU */
        e = &cache->whole[0];
        for (int k = 1; k < WHOLE_ENTRIES; ++k)
            if (cache->whole[k].last_use < e->last_use)
                e = &cache->whole[k];
        whole_free(e);
    }
    e->lattice = *S->pb->lattice;
    e->box = S->box;
    e->R2 = S->R2;
    memcpy(e->half, S->half, sizeof e->half);
    e->t = S->t;
    e->S = *S;
    e->last_use = ++cache->clock;
    e->uses = 1;
    if ((*s = enumerate(&e->S, est)) != HOP_OK) {
        whole_free(e);                         /* drop it: its slot stays empty */
        return NULL;
    }
    return e;
}

static hop_status chain_solve(const hop_exact_problem *pb, double radius, hop_exact_chain *c)
{
    const hop_lattice *L = pb->lattice;
    const double r2 = radius * radius * (double)L->unit_len2;
    double est, bytes;
    memset(c, 0, sizeof *c);
    c->radius = radius;
    c->vv = NAN;
    c->n_types = L->n_sub * L->z;
    if (!(radius > 1) || r2 > 1e15)
        return hop_error(HOP_ERR_INVAL, "exact solver: the radius must exceed one jump length "
                         "(got %g)", radius);
    if (pb->box) {
        const double edge = hop_exact_cell_edge(L);
        int p[HOP_MAX_DIM];
        hop_exact_box_shape(L, p);
        c->cells = (int)floor(radius / edge + 1e-9);
        if (c->cells < 1)
            c->cells = 1;
        c->radius = (c->cells + 0.5) * edge;
        for (int a = 0; a < L->dim; ++a)
            c->half_cells[a] = shaped_cells(p[a], c->cells);
        /* at most n_basis prod_a (2 n_a + 1) sites lie in the box (each basis site's
         * images, 2 n_a + 1 per axis); the table's capacity is checked besides */
        est = L->n_basis;
        for (int a = 0; a < L->dim; ++a)
            est *= 2.0 * c->half_cells[a] + 2;
        est += 16;
    } else {
        est = ball_sites(L, r2);
    }
    /* Before the factor: the state table, the matrix and the right-hand sides and
     * solutions (the factor itself is checked after CHOLMOD's analysis). */
    bytes = est * (56.0 + 16.0 * (L->z + 1) + 16.0 * (L->z + HOP_MAX_DIM));
    if (bytes > pb->max_bytes) {
        char needed[48], allowed[48];
        memory_amounts(bytes, pb->max_bytes, needed, allowed, sizeof needed);
        return hop_error(HOP_ERR_NOMEM, "radius %g: %.3g states need at least %s, more than "
                         "the %s allowed: use a smaller radius", c->radius, est, needed, allowed);
    }
    for (int t = 0; t < L->n_sub; ++t) {
        sub_system S;
        hop_status s;
        memset(&S, 0, sizeof S);
        S.pb = pb;
        S.R2 = (int64_t)ceil(r2 - 1e-9);
        S.box = pb->box;
        for (int a = 0; a < L->dim; ++a)
            S.half[a] = (int64_t)c->half_cells[a] * L->cell[a];
        S.t = t;
        if (pb->cache && pb->rates && jumps_balance(L) && hop_lattice_one_length(L)) {  /* local rates */
            const local_entry *e = entry_for(pb->cache, &S, est, bytes, &s);
            if (e) {
                s = local_solve(e, c->radius, c);
                c->n_states += e->S.T.n;
                if (e->factor_bytes > c->factor_bytes)
                    c->factor_bytes = e->factor_bytes;
            }
            if (s != HOP_OK)
                return s;
            continue;
        }
        if (pb->cache) {                /* the states and the analysis kept */
            whole_entry *e = whole_for(pb->cache, &S, est, bytes, &s);
            if (e) {
                s = solve_system(&e->S, c->radius, c, &e->analysis, pb->cache, e->uses > 1);
                c->n_states += e->S.T.n;
            }
            if (s != HOP_OK)
                return s;
            continue;
        }
        if ((s = enumerate(&S, est)) == HOP_OK)
            s = solve_system(&S, c->radius, c, NULL, NULL, 0);
        c->n_states += S.T.n;
        table_free(&S.T);
        if (s != HOP_OK)
            return s;
    }
    return HOP_OK;
}

/* Debian's CHOLMOD runs a few loops of its supernodal factorisation with OpenMP, on a
 * thread count compiled in (4), whatever the machine.  On one core, or with hop's own
 * threads busy, those teams only wait for each other: hcp-mg's exact scan over five
 * rates took 9.3 s of CPU with them and 5.5 s without (OMP_THREAD_LIMIT=1; the same
 * values to the 12 digits printed; the waiting was a third of perf's samples, in futex
 * calls and libgomp).  So the
 * solve runs with no parallel region active below the caller's: called outside any
 * (hop run, hop scan: points are solved one at a time, docs/exact.md), CHOLMOD's loops
 * run on this thread; called from inside a parallel region, they are already nested
 * and inactive. */
hop_status hop_exact_chain_solve(const hop_exact_problem *pb, double radius, hop_exact_chain *c)
{
    hop_status s;
    if (omp_get_active_level() > 0)
        return chain_solve(pb, radius, c);
    {
        const int levels = omp_get_max_active_levels();
        omp_set_max_active_levels(0);
        s = chain_solve(pb, radius, c);
        omp_set_max_active_levels(levels);
    }
    return s;
}

/* ------------------------------------------------------------ values of a chain --- */

/* e_i . u projected on component g (-1: all), times metric_den. */
static double dot_real(const hop_lattice *L, const int *e, const double *u, int g)
{
    double s = 0;
    for (int a = 0; a < L->dim; ++a)
        if (g < 0 || L->group_of_axis[a] == g) {
            const int32_t ei[HOP_MAX_DIM] = {e[0], e[1], e[2]};
            s += L->weight[a] * (double)hop_lattice_cart(L, ei, a) * cart_real(L, u, a);
        }
    return s;
}

/* f and the drag ratio of component g. */
static hop_status values_of(const hop_lattice *L, hop_exact_chain *c, int g, double *f,
                            double *drag)
{
    const int n = c->n_types;
    double (*S)[HOP_MAX_TYPES] = malloc(sizeof(hop_type_matrix));   /* 1.2 MB */
    double A = 0, cross = 0;
    hop_status s;
    if (!S)
        return hop_error(HOP_ERR_NOMEM, "out of memory");
    if ((s = hop_corr_chain(L, n, c->P, 0, g, f, S)) != HOP_OK) {
        free(S);
        return s;
    }
    for (int i = 0; i < n; ++i) {
        const int *ei = L->jump[i / L->z][i % L->z];
        const double pi = hop_lattice_type_weight(L, i);
        const int32_t e32[HOP_MAX_DIM] = {ei[0], ei[1], ei[2]};
        A += pi * (double)hop_lattice_dot(L, e32, e32, g);
        for (int j = 0; j < n; ++j)
            cross += pi * S[i][j] * dot_real(L, ei, c->drift[j], g);
    }
    /* Per tracer jump: <dR_s.dR_v> = -alpha^2 + 2 sum pi_i S_ij e_i.u_j (exact.h); no
     * ratio where the tracer does not move at long times (f = 0, the chain). */
    *drag = fabs(*f) > 1e-9 ? (-A + 2 * cross) / (*f * A) : NAN;
    free(S);
    return HOP_OK;
}

hop_status hop_exact_values_of(const hop_lattice *L, hop_exact_chain *c, hop_exact_values *v)
{
    hop_status s;
    v->vv = c->vv;
    if ((s = values_of(L, c, -1, &v->f, &v->drag)) != HOP_OK)
        return hop_error(s, "exact solver: the chain of jump types at radius %g is singular",
                         c->radius);
    for (int g = 0; g < L->n_groups; ++g)
        if ((s = values_of(L, c, g, &v->f_group[g], &v->drag_group[g])) != HOP_OK)
            return hop_error(s, "exact solver: the chain of jump types at radius %g is singular",
                             c->radius);
    return HOP_OK;
}

/* --------------------------------------------------------------- extrapolation --- */

/* Richardson: eliminate c_0 .. c_{n-2}, i.e. the value at R infinite of the polynomial
 * in h = 1/R through (h_k^p ... ) -- done by Neville's scheme on the basis
 * h^p, h^(p+1), ...: with g_k = g + h_k^p q(h_k), q a polynomial of degree n - 2. */
static double richardson(int n, const double *radius, const double *g, int p)
{
    /* Solve the (n x n) Vandermonde-like system for g, c_0 .. c_{n-2} directly. */
    double M[HOP_EXACT_MAX_RADII][HOP_EXACT_MAX_RADII + 1];
    for (int k = 0; k < n; ++k) {
        const double h = 1.0 / radius[k];
        M[k][0] = 1;
        for (int m = 1; m < n; ++m)
            M[k][m] = pow(h, p + m - 1);
        M[k][n] = g[k];
    }
    for (int col = 0; col < n; ++col) {
        int piv = col;
        for (int r = col + 1; r < n; ++r)
            if (fabs(M[r][col]) > fabs(M[piv][col]))
                piv = r;
        for (int m = 0; m <= n; ++m) {
            double t = M[col][m]; M[col][m] = M[piv][m]; M[piv][m] = t;
        }
        for (int r = 0; r < n; ++r) {
            double q;
            if (r == col) continue;
            q = M[r][col] / M[col][col];
            for (int m = col; m <= n; ++m)
                M[r][m] -= q * M[col][m];
        }
    }
    return M[0][n] / M[0][0];
}

hop_exact_estimate hop_exact_extrapolate(int n, const double *radius, const double *g, int p)
{
    hop_exact_estimate e;
    if (n == 1) {
        e.value = g[0];
        e.error_bound = INFINITY;
        return e;
    }
    /* The best estimate uses all radii; the bound compares it with the estimate one
     * order lower from the largest radii (which drops the smallest radius), and with
     * the one that drops the largest radius, whichever differs more, times 2. */
    e.value = richardson(n, radius, g, p);
    {
        const double lower = richardson(n - 1, radius + 1, g + 1, p);
        const double inner = richardson(n - 1, radius, g, p);
        const double d1 = fabs(e.value - lower), d2 = fabs(e.value - inner);
        /* 1e-10: the solves' rounding amplified by the extrapolation's weights. */
        e.error_bound = 2 * (d1 > d2 ? d1 : d2) + 1e-10;
    }
    return e;
}

double hop_exact_default_radius(const hop_lattice *L)
{
    int p[HOP_MAX_DIM];
    hop_exact_box_shape(L, p);
    return default_cells(L, p) * hop_exact_cell_edge(L);
}

static int tail_power(const hop_lattice *L)
{
    return L->dim;
}

/* The n_radii boxes of at most c_max whole cells each (m, the slowest axis's, of a
 * shaped box) into radius[] (in jump lengths, cells of `edge`): geometric from
 * c_max / span to c_max (span 2 in 3D, 4 below), rounded, distinct; a shaped box too
 * small for that (its states grow as prod p_a) takes consecutive boxes from 2 cells at
 * the least; 0 when they do not fit under c_max. */
static int radii_in_cells(int dim, int shaped, int c_max, double edge, int n_radii,
                          double *radius)
{
    double q = n_radii > 1 ? pow(dim == 3 ? 2.0 : 4.0, 1.0 / (n_radii - 1)) : 1;
    double c_min = c_max / pow(q, n_radii - 1) > 1 ? c_max / pow(q, n_radii - 1) : 1;
    int prev = 0;
    if (shaped && n_radii > 1 && c_max - (n_radii - 1) < c_min) {
        c_min = c_max - (n_radii - 1) > 2 ? c_max - (n_radii - 1) : 2;
        q = pow(c_max / c_min, 1.0 / (n_radii - 1));
    }
    if (c_max < 1)
        return 0;
    for (int k = 0; k < n_radii; ++k) {
        int ck = n_radii > 1 ? (int)floor(c_min * pow(c_max / c_min, (double)k / (n_radii - 1)) + 0.5)
                             : c_max;
        if (ck <= prev)
            ck = prev + 1;
        if (ck > c_max)
            return 0;
        radius[k] = ck * edge;
        prev = ck;
    }
    return 1;
}

/* The least is the first c_max that fits (whether c_max fits is monotonic: one more cell
 * never closes a gap), rounded up to hundredths of a jump length so that the number
 * printed, given back as --radius, is accepted. */
int hop_exact_radii(const hop_lattice *L, double r_max, int n_radii, double *radius,
                    double *least)
{
    const double edge = hop_exact_cell_edge(L);
    const int c_max = (int)floor(r_max / edge + 1e-9);
    double scratch[HOP_EXACT_MAX_RADII];
    int c = c_max < 1 ? 1 : c_max, p[HOP_MAX_DIM];
    const int shaped = hop_exact_box_shape(L, p);
    *least = 0;
    if (n_radii < 1 || n_radii > HOP_EXACT_MAX_RADII)
        return 0;
    if (radii_in_cells(L->dim, shaped, c_max, edge, n_radii, radius))
        return 1;
    while (c < 1000000 && !radii_in_cells(L->dim, shaped, c, edge, n_radii, scratch))
        ++c;
    *least = ceil(c * edge * 100 - 1e-6) / 100;
    return 0;
}

hop_status hop_exact_solve(const hop_exact_problem *pb, double r_max, int n_radii,
                           hop_exact_result *r)
{
    const hop_lattice *L = pb->lattice;
    const double t0 = hop_wall_seconds();
    double g[HOP_EXACT_MAX_RADII];
    memset(r, 0, sizeof *r);
    if (n_radii < 1 || n_radii > HOP_EXACT_MAX_RADII)
        return hop_error(HOP_ERR_INVAL, "exact solver: 1 to %d radii, not %d",
                         HOP_EXACT_MAX_RADII, n_radii);
    r->n_radii = n_radii;
    r->tail_power = tail_power(L);
    r->shaped = hop_exact_box_shape(L, r->shape);
    for (int a = 0; a < L->dim; ++a)
        r->cell_length[a] = sqrt((double)cell_len2(L, a) / (double)L->unit_len2);
    {
        double least;
        if (!hop_exact_radii(L, r_max, n_radii, r->radius, &least))
            return hop_error(HOP_ERR_INVAL, "exact solver: --radius %g is too small for %d "
                             "radii on %s (at least %g)", r_max, n_radii, L->name, least);
    }
    /* The largest box first: a radius too large for memory is refused at once, naming
     * it, not after the smaller boxes have been solved (each box is independent). */
    for (int k = n_radii - 1; k >= 0; --k) {
        hop_exact_chain *c = malloc(sizeof *c);   /* its chain matrix: 1.2 MB */
        hop_exact_problem box = *pb;
        hop_status s;
        box.box = 1;
        if (!c)
            return hop_error(HOP_ERR_NOMEM, "out of memory");
        if ((s = hop_exact_chain_solve(&box, r->radius[k], c)) == HOP_OK) {
            r->radius[k] = c->radius;   /* (cells + 1/2) edge: m + 1/2 of a shaped box */
            r->states_at[k] = c->n_states;
            memcpy(r->half_cells[k], c->half_cells, sizeof r->half_cells[k]);
            s = hop_exact_values_of(L, c, &r->at[k]);
            if (k == n_radii - 1) {
                r->n_states = c->n_states;
                r->factor_bytes = c->factor_bytes;
            }
        }
        free(c);
        if (s != HOP_OK)
            return s;
    }
#define EXTRAPOLATE(field, into)                                             \
    do {                                                                    \
        for (int k = 0; k < n_radii; ++k)                                   \
            g[k] = r->at[k].field;                                          \
        into = hop_exact_extrapolate(n_radii, r->radius, g, r->tail_power); \
    } while (0)
    EXTRAPOLATE(f, r->f);
    EXTRAPOLATE(drag, r->drag);
    EXTRAPOLATE(vv, r->vv);
    if (!isfinite(r->vv.value))
        r->vv.value = r->vv.error_bound = NAN;
    for (int gi = 0; gi < L->n_groups; ++gi) {
        EXTRAPOLATE(f_group[gi], r->f_group[gi]);
        EXTRAPOLATE(drag_group[gi], r->drag_group[gi]);
    }
#undef EXTRAPOLATE
    /* No drag ratio where the tracer does not move at long times (the chain). */
    if (fabs(r->f.value) <= r->f.error_bound) {
        r->drag.value = r->drag.error_bound = NAN;
        for (int gi = 0; gi < L->n_groups; ++gi)
            r->drag_group[gi].value = r->drag_group[gi].error_bound = NAN;
    }
    r->symmetric = 1;
    r->seconds = hop_wall_seconds() - t0;
    return HOP_OK;
}

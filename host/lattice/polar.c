/* polar.c: the site symmetries of a lattice and whether they leave a vector invariant
 * (lattice/polar.h).
 *
 * Why.  The corr estimator counts the tracer's jumps while one vacancy stays near it;
 * a vacancy that comes back from far away, or a new one, arrives with no memory of the
 * tracer's last jump, and its visit is taken to move the tracer by 0 on average.  That
 * mean, u_s for a tracer on sublattice s, is a vector that every symmetry of the
 * network fixing the tracer's site leaves unchanged, so it is 0 when those symmetries
 * leave no vector invariant; otherwise it is in general not 0.  A site's own jumps
 * summing to 0 (rate-weighted) is not enough: tests/lattices/sc-pairs.lat with
 * `--rate short=2` has that, and polar sites.
 *
 * How.  Symmetries are found as integer maps: with V the matrix of dim independent
 * vectors from x0 to its neighbours (padded with unit vectors on unused axes) and W
 * their images, G = W adj(V) / det(V).  The images are chosen among the vectors of the
 * same kind (a jump of the same rate, or the end of a two-jump path) with the same
 * lengths and mutual dot products as V's (exact integers of the metric), and G is
 * kept when it maps every site of the cell to a site with the image jumps, rates and
 * occupation, and every cell edge to a translation of the network.  All arithmetic is
 * in 64-bit integers: jump components are within +-5 grid points (lattice files), so
 * adj(V), W adj(V) and their products with site coordinates stay far below 2^62. */
#include <string.h>
#include "lattice/impl.h"
#include "lattice/polar.h"

enum { MAX_PATHS = HOP_MAX_Z * HOP_MAX_Z, MAX_VECTORS = HOP_MAX_Z + MAX_PATHS };

typedef struct {
    const hop_lattice *L;
    int s, b0;                            /* the sublattice and a cell site x0 of it */
    int n_jumps, n_paths;                 /* vec[0 .. n_jumps): x0's jumps; then two-jump ends */
    int32_t vec[MAX_VECTORS][HOP_MAX_DIM];
    int v[HOP_MAX_DIM];                   /* V's columns: indices into vec */
    int w[HOP_MAX_DIM];                   /* the images being tried */
    int64_t adj[3][3], det;               /* of V (unused axes: unit vectors) */
    int64_t sum[3][3];                    /* sum of W adj(V) over the symmetries found */
    int found;
} search;

static int64_t dot(const hop_lattice *L, const int32_t *x, const int32_t *y)
{
    int64_t d = 0;
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        for (int b = 0; b < HOP_MAX_DIM; ++b)
            d += (int64_t)L->metric[a][b] * x[a] * y[b];
    return d;
}

static int64_t det3(int64_t m[3][3])
{
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
         - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
         + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

/* The 3 x 3 matrix whose column i is vec[col[i]] for i < dim and the unit vector e_i
 * above. */
static void columns(const search *S, const int *col, int64_t m[3][3])
{
    for (int i = 0; i < 3; ++i)
        for (int a = 0; a < 3; ++a)
            m[a][i] = i < S->L->dim ? S->vec[col[i]][a] : a == i;
}

/* Whether the first n of col (n < dim) and vector j are linearly independent. */
static int independent(const search *S, const int *col, int n, int j)
{
    int64_t m[3][3], c[3];
    const int32_t *x = S->vec[j];
    if (n == 0)
        return x[0] != 0 || x[1] != 0 || x[2] != 0;
    if (n == 1) {
        const int32_t *y = S->vec[col[0]];
        c[0] = (int64_t)x[1] * y[2] - (int64_t)x[2] * y[1];
        c[1] = (int64_t)x[2] * y[0] - (int64_t)x[0] * y[2];
        c[2] = (int64_t)x[0] * y[1] - (int64_t)x[1] * y[0];
        return c[0] != 0 || c[1] != 0 || c[2] != 0;
    }
    for (int a = 0; a < 3; ++a) {
        m[a][0] = S->vec[col[0]][a];
        m[a][1] = S->vec[col[1]][a];
        m[a][2] = x[a];
    }
    return det3(m) != 0;
}

/* Whether sublattices s and t have the same jumps (as vectors), rates and occupation:
 * a translation or a symmetry may take a site of one to a site of the other. */
static int same_sites(const hop_lattice *L, int s, int t)
{
    if (s == t)
        return 1;
    if (L->z_sub[s] != L->z_sub[t] || L->occupation[s] != L->occupation[t])
        return 0;
    for (int k = 0; k < L->z_sub[s]; ++k) {
        int hit = 0;
        for (int k2 = 0; k2 < L->z_sub[t] && !hit; ++k2)
            hit = memcmp(L->jump[s][k], L->jump[t][k2], sizeof L->jump[s][k]) == 0
                  && L->rate[s][k] == L->rate[t][k2];
        if (!hit)
            return 0;
    }
    return 1;
}

/* y = G x = g x / det, or 0 when g x is not divisible by det (G x not an integer
 * vector, so not a lattice vector). */
static int apply(int64_t g[3][3], int64_t det, const int64_t *x, int32_t *y)
{
    for (int a = 0; a < 3; ++a) {
        const int64_t v = g[a][0] * x[0] + g[a][1] * x[1] + g[a][2] * x[2];
        if (v % det != 0)
            return 0;
        y[a] = (int32_t)(v / det);
    }
    return 1;
}

/* Whether the site b of the cell goes, under x -> x0 + G (x - x0), to a site whose jumps
 * are the images of b's with the same rates, and whose occupation is b's. */
static int maps_site(const search *S, int64_t g[3][3], int b)
{
    const hop_lattice *L = S->L;
    const int sb = L->basis_sub[b];
    int64_t x[3];
    int32_t y[3];
    int t, st;
    for (int a = 0; a < 3; ++a)
        x[a] = (int64_t)L->basis[b][a] - L->basis[S->b0][a];
    if (!apply(g, S->det, x, y))
        return 0;
    for (int a = 0; a < 3; ++a)
        y[a] += L->basis[S->b0][a];
    if ((t = hop_lattice_site_index(L, y)) < 0)
        return 0;
    st = L->basis_sub[t];
    if (L->z_sub[sb] != L->z_sub[st] || L->occupation[sb] != L->occupation[st])
        return 0;
    for (int k = 0; k < L->z_sub[sb]; ++k) {
        int hit = 0;
        for (int a = 0; a < 3; ++a)
            x[a] = L->jump[sb][k][a];
        if (!apply(g, S->det, x, y))
            return 0;
        for (int k2 = 0; k2 < L->z_sub[st] && !hit; ++k2)
            hit = memcmp(L->jump[st][k2], y, sizeof y) == 0 && L->rate[st][k2] == L->rate[sb][k];
        if (!hit)
            return 0;
    }
    return 1;
}

/* Whether G takes the cell edge along axis a to a translation of the network. */
static int maps_edge(const search *S, int64_t g[3][3], int a)
{
    const hop_lattice *L = S->L;
    int64_t x[3] = {0, 0, 0};
    int32_t y[3];
    x[a] = L->cell[a];
    if (!apply(g, S->det, x, y))
        return 0;
    for (int b = 0; b < L->n_basis; ++b) {
        int32_t p[3];
        int t;
        for (int c = 0; c < 3; ++c)
            p[c] = L->basis[b][c] + y[c];
        if ((t = hop_lattice_site_index(L, p)) < 0 || !same_sites(L, L->basis_sub[b], L->basis_sub[t]))
            return 0;
    }
    return 1;
}

/* The map with the images S->w: added to the sum where it is a symmetry. */
static void try_map(search *S)
{
    const hop_lattice *L = S->L;
    int64_t W[3][3], g[3][3];
    columns(S, S->w, W);
    for (int a = 0; a < 3; ++a)
        for (int c = 0; c < 3; ++c)
            g[a][c] = W[a][0] * S->adj[0][c] + W[a][1] * S->adj[1][c] + W[a][2] * S->adj[2][c];
    for (int b = 0; b < L->n_basis; ++b)
        if (!maps_site(S, g, b))
            return;
    for (int a = 0; a < L->dim; ++a)
        if (!maps_edge(S, g, a))
            return;
    for (int a = 0; a < 3; ++a)
        for (int c = 0; c < 3; ++c)
            S->sum[a][c] += g[a][c];
    S->found++;
}

/* Choose the image of V's column i among the vectors of its kind with the lengths and
 * dot products of V, then the next. */
static void choose(search *S, int i)
{
    const hop_lattice *L = S->L;
    int vi, jump, first, last;
    if (i >= L->dim || i >= HOP_MAX_DIM) {
        try_map(S);
        return;
    }
    vi = S->v[i];
    jump = vi < S->n_jumps;
    first = jump ? 0 : S->n_jumps;
    last = jump ? S->n_jumps : S->n_jumps + S->n_paths;
    for (int j = first; j < last; ++j) {
        int ok = !jump || L->rate[S->s][j] == L->rate[S->s][vi];
        for (int i2 = 0; i2 <= i && ok; ++i2)
            ok = dot(L, S->vec[j], S->vec[i2 < i ? S->w[i2] : j])
                 == dot(L, S->vec[vi], S->vec[S->v[i2]]);
        if (ok) {
            S->w[i] = j;
            choose(S, i + 1);
        }
    }
}

/* The ends of x0's two-jump paths (not x0 itself), each once, after its jumps. */
static void add_paths(search *S)
{
    const hop_lattice *L = S->L;
    S->n_paths = 0;
    for (int k = 0; k < L->z_sub[S->s]; ++k) {
        const int t = L->jump_sub[S->s][k];
        for (int l = 0; l < L->z_sub[t]; ++l) {
            int32_t *x = S->vec[S->n_jumps + S->n_paths];
            int seen = 0;
            for (int a = 0; a < HOP_MAX_DIM; ++a)
                x[a] = L->jump[S->s][k][a] + L->jump[t][l][a];
            if (x[0] == 0 && x[1] == 0 && x[2] == 0)
                continue;
            for (int j = S->n_jumps; j < S->n_jumps + S->n_paths && !seen; ++j)
                seen = memcmp(S->vec[j], x, sizeof S->vec[j]) == 0;
            S->n_paths += !seen;
        }
    }
}

/* V: dim independent vectors, x0's jumps first; 0 when they and the two-jump ends do
 * not span. */
static int choose_basis(search *S)
{
    const int dim = S->L->dim;
    int n = 0;
    for (int pass = 0; pass < 2 && n < dim; ++pass) {
        if (pass == 1)
            add_paths(S);
        for (int j = pass ? S->n_jumps : 0; j < (pass ? S->n_jumps + S->n_paths : S->n_jumps)
                                            && n < dim; ++j)
            if (independent(S, S->v, n, j))
                S->v[n++] = j;
    }
    return n == dim;
}

/* Whether the sites of sublattice s are polar. */
static int sublattice_polar(search *S, const hop_lattice *L, int s)
{
    int64_t V[3][3];
    memset(S, 0, sizeof *S);
    S->L = L;
    S->s = s;
    while (L->basis_sub[S->b0] != s)
        S->b0++;
    S->n_jumps = L->z_sub[s];
    memcpy(S->vec, L->jump[s], (size_t)S->n_jumps * sizeof S->vec[0]);
    if (!choose_basis(S))
        return 1;
    columns(S, S->v, V);
    S->det = det3(V);
    for (int a = 0; a < 3; ++a)
        for (int c = 0; c < 3; ++c) {     /* adj = transposed cofactors */
            const int r0 = (c + 1) % 3, r1 = (c + 2) % 3, c0 = (a + 1) % 3, c1 = (a + 2) % 3;
            S->adj[a][c] = V[r0][c0] * V[r1][c1] - V[r0][c1] * V[r1][c0];
        }
    choose(S, 0);
    if (S->found == 0)
        return 1;     /* not even the identity: cannot happen for a valid table */
    for (int a = 0; a < L->dim; ++a)
        for (int c = 0; c < L->dim; ++c)
            if (S->sum[a][c] != 0)
                return 1;
    return 0;
}

/* Whether the jumps of sublattice s have a mean: sum_k rate[s][k] e_k != 0. */
static int drifts(const hop_lattice *L, int s)
{
    for (int a = 0; a < HOP_MAX_DIM; ++a) {
        int64_t sum = 0;
        for (int k = 0; k < L->z_sub[s]; ++k)
            sum += (L->rate_total[0] ? (int64_t)L->rate[s][k] : 1) * L->jump[s][k][a];
        if (sum != 0)
            return 1;
    }
    return 0;
}

void hop_lattice_derive_polar(hop_lattice *L)
{
    search S;             /* 7 kB of vectors */
    L->drift_site = 0;
    for (int s = 0; s < L->n_sub && !L->drift_site; ++s)
        if (drifts(L, s))
            L->drift_site = s + 1;
    L->polar_site = L->drift_site;
    for (int s = 0; s < L->n_sub && !L->polar_site; ++s)
        if (sublattice_polar(&S, L, s))
            L->polar_site = s + 1;
}

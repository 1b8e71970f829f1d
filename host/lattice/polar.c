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
 * How.  spglib (Debian's libsymspg-dev) finds the space group of the cell's sites, typed
 * by what every symmetry of the network keeps: the vacancy's occupation and the
 * coordination, never the sublattice label (sublattices the network makes equivalent
 * must stay swappable).  A symmetry of the network that fixes a site x0 is one of
 * those operations, so its rotation R (integer, in the basis of the cell edges) is
 * among spglib's, and the symmetry is x -> x0 + G (x - x0) with G = D R D^-1,
 * D = diag(cell).  Each distinct R is tested exactly, in 64-bit integers: it keeps the
 * metric (R^T N R = N, N the cell edges' integer metric) and takes every site of the
 * cell to a site of the same occupation whose jumps are the images G e of the first's,
 * with the same rates (every cell, then, since R maps cell edges to cell edges).  The
 * R that pass are the site group of x0, each once; their sum is the group's order
 * times the projector on the vectors it leaves invariant, so x0 is polar when the sum
 * is not 0.
 *
 * Tolerance.  spglib gets the Cartesian cell edges (axis rows and weights, in lattice
 * constants; unused axes padded with orthogonal edges, so every R keeps the used
 * axes' span) and symprec = 1e-3 / sqrt(metric_den).  Two distinct grid points are at
 * least 1 / sqrt(metric_den) apart (x^T M x is a positive integer), so that tolerance
 * merges no sites and is 10^5 times the rounding of the float cell (< 1e-13): every
 * exact symmetry is found, and a near-symmetry spglib also returns fails the exact
 * test.  spglib decides only which R are tried, never the answer. */
#include <math.h>
#include <spglib.h>
#include <stdio.h>
#include <string.h>
#include "lattice/impl.h"
#include "lattice/polar.h"

enum { MAX_ROTATIONS = 48 };   /* the largest crystallographic point group */

/* y = G x = g x / den, or 0 when g x is not divisible by den (G x not an integer
 * vector, so not a lattice vector). */
static int apply(int64_t g[3][3], int64_t den, const int64_t *x, int32_t *y)
{
    for (int a = 0; a < 3; ++a) {
        const int64_t v = g[a][0] * x[0] + g[a][1] * x[1] + g[a][2] * x[2];
        if (v % den != 0)
            return 0;
        y[a] = (int32_t)(v / den);
    }
    return 1;
}

/* Whether the site b of the cell goes, under x -> x0 + G (x - x0) (x0 = site b0), to a
 * site whose jumps are the images of b's with the same rates, and whose occupation is
 * b's. */
static int maps_site(const hop_lattice *L, int64_t g[3][3], int64_t den, int b0, int b)
{
    const int sb = L->basis_sub[b];
    int64_t x[3];
    int32_t y[3];
    int t, st;
    for (int a = 0; a < 3; ++a)
        x[a] = (int64_t)L->basis[b][a] - L->basis[b0][a];
    if (!apply(g, den, x, y))
        return 0;
    for (int a = 0; a < 3; ++a)
        y[a] += L->basis[b0][a];
    if ((t = hop_lattice_site_index(L, y)) < 0)
        return 0;
    st = L->basis_sub[t];
    if (L->z_sub[sb] != L->z_sub[st] || L->occupation[sb] != L->occupation[st])
        return 0;
    for (int k = 0; k < L->z_sub[sb]; ++k) {
        int hit = 0;
        for (int a = 0; a < 3; ++a)
            x[a] = L->jump[sb][k][a];
        if (!apply(g, den, x, y))
            return 0;
        for (int k2 = 0; k2 < L->z_sub[st] && !hit; ++k2)
            hit = memcmp(L->jump[st][k2], y, sizeof y) == 0 && L->rate[st][k2] == L->rate[sb][k];
        if (!hit)
            return 0;
    }
    return 1;
}

/* Whether x -> x0 + G (x - x0), G = D R D^-1, with x0 the site b0, is a symmetry of the
 * network.  R's entries within +-2^10 keep R^T N R in int64 (cell edges <= 64, metric
 * entries <= 2^27: 9 2^20 2^12 2^27 < 2^63); a larger one, from a cell skewed beyond
 * any sensible file, is not tried (the safe side: the site may then count as polar). */
static int is_symmetry(const hop_lattice *L, int R[3][3], int b0)
{
    const int64_t den = (int64_t)L->cell[0] * L->cell[1] * L->cell[2];
    int64_t g[3][3];
    for (int a = 0; a < 3; ++a)
        for (int c = 0; c < 3; ++c)
            if (R[a][c] < -1024 || R[a][c] > 1024)
                return 0;
    for (int a = 0; a < L->dim; ++a)          /* R^T N R = N on the used axes */
        for (int c = 0; c < L->dim; ++c) {
            int64_t n = 0;
            for (int i = 0; i < L->dim; ++i)
                for (int j = 0; j < L->dim; ++j)
                    n += (int64_t)R[i][a] * L->cell[i] * L->metric[i][j] * L->cell[j] * R[j][c];
            if (n != (int64_t)L->cell[a] * L->metric[a][c] * L->cell[c])
                return 0;
        }
    for (int a = 0; a < 3; ++a)
        for (int c = 0; c < 3; ++c)
            g[a][c] = L->cell[a] * R[a][c] * (den / L->cell[c]);
    for (int b = 0; b < L->n_basis; ++b)
        if (!maps_site(L, g, den, b0, b))
            return 0;
    return 1;
}

/* spglib's type of sublattice s: the first sublattice with its occupation and
 * coordination. */
static int site_type(const hop_lattice *L, int s)
{
    int t = 0;
    while (L->occupation[t] != L->occupation[s] || L->z_sub[t] != L->z_sub[s])
        ++t;
    return t;
}

/* The distinct rotations of the space group of L's typed sites (spglib), in the basis
 * of the cell edges, into rot: their number, 0 when spglib fails. */
static int rotations(const hop_lattice *L, int rot[MAX_ROTATIONS][3][3])
{
    double edge[3][3] = {{0}}, position[HOP_MAX_BASIS][3], pad = 1;
    int type[HOP_MAX_BASIS], n = 0;
    SpglibDataset *group;
    for (int i = 0; i < L->dim; ++i)          /* column i: cell edge i, Cartesian */
        for (int a = 0; a < L->dim; ++a) {
            edge[a][i] = sqrt((double)L->weight[a] / L->metric_den) * L->cart[a][i] * L->cell[i];
            pad += fabs(edge[a][i]);
        }
    for (int i = L->dim; i < 3; ++i)
        edge[i][i] = pad;
    for (int b = 0; b < L->n_basis; ++b) {
        for (int i = 0; i < 3; ++i)
            position[b][i] = (double)L->basis[b][i] / L->cell[i];
        type[b] = site_type(L, L->basis_sub[b]);
    }
    group = spg_get_dataset(edge, position, type, L->n_basis, 1e-3 / sqrt((double)L->metric_den));
    for (int o = 0; group && o < group->n_operations; ++o) {
        int seen = 0;
        for (int r = 0; r < n && !seen; ++r)
            seen = memcmp(rot[r], group->rotations[o], sizeof rot[r]) == 0;
        if (!seen && n < MAX_ROTATIONS)
            memcpy(rot[n++], group->rotations[o], sizeof rot[0]);
    }
    if (group)
        spg_free_dataset(group);
    return n;
}

/* Whether the sites of sublattice s are polar, given the candidate rotations. */
static int sublattice_polar(const hop_lattice *L, int s, int rot[][3][3], int n_rot)
{
    int64_t sum[3][3] = {{0}};
    int b0 = 0, found = 0;
    while (L->basis_sub[b0] != s)
        ++b0;
    for (int r = 0; r < n_rot; ++r)
        if (is_symmetry(L, rot[r], b0)) {
            ++found;
            for (int a = 0; a < 3; ++a)
                for (int c = 0; c < 3; ++c)
                    sum[a][c] += rot[r][a][c];
        }
    if (found == 0)
        return 1;     /* not even the identity: cannot happen for a valid table */
    for (int a = 0; a < L->dim; ++a)
        for (int c = 0; c < L->dim; ++c)
            if (sum[a][c] != 0)
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

hop_status hop_lattice_derive_polar(hop_lattice *L, char *msg, size_t msg_len)
{
    int rot[MAX_ROTATIONS][3][3], n_rot;
    L->drift_site = 0;
    for (int s = 0; s < L->n_sub && !L->drift_site; ++s)
        if (drifts(L, s))
            L->drift_site = s + 1;
    L->polar_site = L->drift_site;
    if (L->polar_site)
        return HOP_OK;
    if ((n_rot = rotations(L, rot)) == 0) {
        snprintf(msg, msg_len, "lattice %s: spglib finds no symmetry of its sites (%s)",
                 L->name, spg_get_error_message(spg_get_error_code()));
        return HOP_ERR_INVAL;
    }
    for (int s = 0; s < L->n_sub && !L->polar_site; ++s)
        if (sublattice_polar(L, s, rot, n_rot))
            L->polar_site = s + 1;
    return HOP_OK;
}

/* check.c: the checks of a lattice file that need the whole file (sites in the
 * cell, axes, weights, groups, `jumps nearest`, landing, reverses, lengths,
 * connectedness, isotropy), each pointing at the line it concerns.  All in integers. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lattice/check.h"

/* ------------------------------------------------------------ whole file --- */

hop_status hop_lf_check_required(reader *r)
{
    if (!r->line_name)
        return hop_lf_bad(r, 0, "no 'name' line");
    if (!r->line_dim)
        return hop_lf_bad(r, 0, "no 'dim' line");
    if (!r->line_cell)
        return hop_lf_bad(r, 0, "no 'cell' line");
    for (int a = 0; a < r->L.dim; ++a)
        if (!r->line_axis[a])
            return hop_lf_bad(r, 0, "no 'axis %s' line (one axis line per dimension)", hop_lf_axis_names[a]);
    if (r->L.n_basis == 0)
        return hop_lf_bad(r, 0, "no 'site' line");
    if (!r->line_nearest && r->n_jumps[0] == 0 && r->n_jumps[1] == 0)
        return hop_lf_bad(r, 0, "no jumps: give jump lines or 'jumps nearest'");
    return HOP_OK;
}

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a < 0 ? -a : a;
}

/* metric_den = lcm of the denominators, weight[a] = P_a metric_den / Q_a. */
hop_status hop_lf_derive_weights(reader *r)
{
    int64_t den = 1;
    for (int a = 0; a < r->L.dim; ++a) {
        den = den / gcd64(den, r->w_den[a]) * r->w_den[a];
        if (den > LF_MAX_METRIC)
            return hop_lf_bad(r, r->line_axis[a], "the weights' common denominator exceeds %d",
                       LF_MAX_METRIC);
    }
    for (int a = 0; a < r->L.dim; ++a) {
        int64_t w = r->w_num[a] * (den / r->w_den[a]);
        if (w > LF_MAX_METRIC)
            return hop_lf_bad(r, r->line_axis[a], "the weight times the common denominator %lld "
                       "exceeds %d", (long long)den, LF_MAX_METRIC);
        r->L.weight[a] = (int)w;
    }
    r->L.metric_den = (int)den;
    return HOP_OK;
}

/* The axes must be independent, and M = C^T diag(weight) C must stay small: every
 * term and partial sum within LF_MAX_METRIC (hop_lattice_finish sums in int). */
hop_status hop_lf_check_axes(reader *r)
{
    const hop_lattice *L = &r->L;
    const int (*c)[HOP_MAX_DIM] = L->cart;
    int64_t det = L->dim == 1 ? c[0][0]
                : L->dim == 2 ? (int64_t)c[0][0] * c[1][1] - (int64_t)c[0][1] * c[1][0]
                : (int64_t)c[0][0] * ((int64_t)c[1][1] * c[2][2] - (int64_t)c[1][2] * c[2][1])
                  - (int64_t)c[0][1] * ((int64_t)c[1][0] * c[2][2] - (int64_t)c[1][2] * c[2][0])
                  + (int64_t)c[0][2] * ((int64_t)c[1][0] * c[2][1] - (int64_t)c[1][1] * c[2][0]);
    if (det == 0)
        return hop_lf_bad(r, r->line_axis[L->dim - 1], "the axis vectors are linearly dependent "
                   "(determinant 0): they do not span %d dimensions", L->dim);
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        for (int b = 0; b < HOP_MAX_DIM; ++b) {
            int64_t m = 0;
            for (int k = 0; k < L->dim; ++k) {
                int64_t t = (int64_t)c[k][a] * L->weight[k] * c[k][b];
                m += t;
                if (llabs(t) > LF_MAX_METRIC || llabs(m) > LF_MAX_METRIC)
                    return hop_lf_bad(r, r->line_axis[k], "the metric (axis entries squared times "
                               "weights over the common denominator) exceeds %d", LF_MAX_METRIC);
            }
            r->metric[a][b] = m;
        }
    return HOP_OK;
}

/* x^T M x with the checked int64 metric. */
static int64_t norm2(const reader *r, const int *x)
{
    int64_t s = 0;
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        for (int b = 0; b < HOP_MAX_DIM; ++b)
            s += r->metric[a][b] * x[a] * x[b];
    return s;
}

/* Site of the cell at position x (any integers), or -1. */
static int site_at(const reader *r, const int *x)
{
    int32_t y[HOP_MAX_DIM];
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        y[a] = x[a];
    return hop_lattice_site_index(&r->L, y);
}

hop_status hop_lf_check_sites(reader *r)
{
    const hop_lattice *L = &r->L;
    char v[48];
    for (int b = 0; b < L->n_basis; ++b) {
        for (int a = 0; a < L->dim; ++a)
            if (L->basis[b][a] >= L->cell[a])
                return hop_lf_bad(r, r->line_site[b], "site %s is outside the cell (0 <= %s < %d)",
                           hop_lf_vec(v, L->basis[b], L->dim), hop_lf_axis_names[a], L->cell[a]);
        for (int b2 = 0; b2 < b; ++b2)
            if (memcmp(L->basis[b], L->basis[b2], sizeof L->basis[b]) == 0)
                return hop_lf_bad(r, r->line_site[b], "site %s is already given on line %d",
                           hop_lf_vec(v, L->basis[b], L->dim), r->line_site[b2]);
    }
    return HOP_OK;
}

/* Default groups (one per axis) or the check that group lines cover every axis. */
hop_status hop_lf_finish_groups(reader *r)
{
    hop_lattice *L = &r->L;
    if (L->n_groups == 0) {
        L->n_groups = L->dim;
        for (int a = 0; a < L->dim; ++a) {
            L->group_of_axis[a] = a;
            strcpy(L->group_name[a], hop_lf_axis_names[a]);
        }
        return HOP_OK;
    }
    for (int a = 0; a < L->dim; ++a)
        if (!r->axis_group[a])
            return hop_lf_bad(r, r->line_group[L->n_groups - 1], "axis %s is in no group (with group "
                       "lines, every axis belongs to one)", hop_lf_axis_names[a]);
    return HOP_OK;
}

/* Largest |v_a| of a vector with v^T M v <= r2: sqrt(r2 (M^-1)_aa), by cofactors. */
static int search_bound(const reader *r, int a, int64_t r2)
{
    const int d = r->L.dim;
    double m[HOP_MAX_DIM][HOP_MAX_DIM], det, cof, bound;
    for (int i = 0; i < HOP_MAX_DIM; ++i)
        for (int j = 0; j < HOP_MAX_DIM; ++j)
            m[i][j] = (double)r->metric[i][j];
    if (d == 1) {
        det = m[0][0];
        cof = 1;
    } else if (d == 2) {
        det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
        cof = m[1 - a][1 - a];
    } else {
        const int b = (a + 1) % 3, c = (a + 2) % 3;
        det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        cof = m[b][b] * m[c][c] - m[b][c] * m[c][b];
    }
    bound = floor(sqrt((double)r2 * cof / det)) + 1;        /* + 1: rounding margin */
    return bound < INT_MAX ? (int)bound : INT_MAX;   /* converting a larger double is UB */
}

/* `jumps nearest`: each sublattice gets every shortest vector from its first site to
 * another site.  Some site lies one cell edge away, so the shortest vectors are no
 * longer than the shortest edge; the search box follows from the inverse metric. */
/* The distinct squared lengths (x^T M x) of the vectors from site b0 to the other
 * sites within the search box, the n smallest, increasing, into d2 (n_found of them). */
static int shell_lengths(const reader *r, int b0, const int *bound, int n, int64_t *d2)
{
    const hop_lattice *L = &r->L;
    int x[HOP_MAX_DIM], found = 0;
    for (x[0] = -bound[0]; x[0] <= bound[0]; ++x[0])
        for (x[1] = -bound[1]; x[1] <= bound[1]; ++x[1])
            for (x[2] = -bound[2]; x[2] <= bound[2]; ++x[2]) {
                int y[HOP_MAX_DIM], i;
                const int64_t e2 = norm2(r, x);
                for (int a = 0; a < HOP_MAX_DIM; ++a)
                    y[a] = L->basis[b0][a] + x[a];
                if (e2 == 0 || site_at(r, y) < 0)
                    continue;
                for (i = 0; i < found && d2[i] < e2; ++i)
                    ;
                if ((i < found && d2[i] == e2) || i == n)
                    continue;
                if (found < n)
                    ++found;
                memmove(d2 + i + 1, d2 + i, (size_t)(found - 1 - i) * sizeof *d2);
                d2[i] = e2;
            }
    return found;
}

/* `jumps nearest` and (version 2) `jumps shell N CLASS`: each sublattice gets every
 * vector from its first site to the sites at its N-th distinct distance, in the line's
 * class.  Sites lie at 1, 2, ..., N times the shortest cell edge, so the N-th distance
 * is at most N edges; the search box follows from the inverse metric. */
hop_status hop_lf_find_nearest(reader *r)
{
    hop_lattice *L = &r->L;
    int64_t edge2 = INT64_MAX;
    int bound[HOP_MAX_DIM] = {0, 0, 0}, n_max = 1;
    char v[48];
    for (int i = 0; i < r->n_shell_lines; ++i)
        n_max = r->shell_n[i] > n_max ? r->shell_n[i] : n_max;
    for (int a = 0; a < L->dim; ++a)
        if ((int64_t)L->cell[a] * L->cell[a] * r->metric[a][a] < edge2)
            edge2 = (int64_t)L->cell[a] * L->cell[a] * r->metric[a][a];
    for (int a = 0; a < L->dim; ++a)
        if ((bound[a] = search_bound(r, a, edge2 * n_max * n_max)) > LF_MAX_SEARCH)
            return hop_lf_bad(r, r->line_nearest, "jumps: the cell is too skewed or the shell too "
                       "far to search (components up to %d); give jump lines", bound[a]);
    for (int s = 0; s < L->n_sub; ++s) {
        int b0 = 0, x[HOP_MAX_DIM], n = 0, found;
        int64_t d2[16];
        while (L->basis_sub[b0] != s)
            ++b0;
        found = shell_lengths(r, b0, bound, n_max, d2);
        for (int i = 0; i < r->n_shell_lines; ++i) {
            const int line = r->shell_line[i];
            if (r->shell_n[i] > found)
                return hop_lf_bad(r, line, "jumps: sublattice %s has only %d neighbour shells "
                           "within reach", r->label[s], found);
            for (x[0] = -bound[0]; x[0] <= bound[0]; ++x[0])
                for (x[1] = -bound[1]; x[1] <= bound[1]; ++x[1])
                    for (x[2] = -bound[2]; x[2] <= bound[2]; ++x[2]) {
                        int y[HOP_MAX_DIM];
                        for (int a = 0; a < HOP_MAX_DIM; ++a)
                            y[a] = L->basis[b0][a] + x[a];
                        if (norm2(r, x) != d2[r->shell_n[i] - 1] || site_at(r, y) < 0)
                            continue;
                        if (n < HOP_MAX_Z) {
                            memcpy(L->jump[s][n], x, sizeof x);
                            L->jump_class[s][n] = r->shell_class[i];
                            r->line_jump[s][n] = line;
                        }
                        ++n;
                    }
            if (n > HOP_MAX_Z)
                return hop_lf_bad(r, line, "jumps: sublattice %s has %d jumps by this line (at "
                           "most %d)", r->label[s], n, HOP_MAX_Z);
        }
        for (int k = 0; k < n; ++k)
            for (int a = 0; a < L->dim; ++a)
                if (abs(L->jump[s][k][a]) > LF_MAX_JUMP)
                    return hop_lf_bad(r, r->line_jump[s][k], "jumps: the vector %s has a "
                               "component beyond +-%d", hop_lf_vec(v, L->jump[s][k], L->dim),
                               LF_MAX_JUMP);
        r->n_jumps[s] = n;
    }
    return HOP_OK;
}

/* Every sublattice needs jumps; their numbers are z_sub (version 2: any, z the largest;
 * version 1: the same on every sublattice, z). */
hop_status hop_lf_check_counts(reader *r)
{
    r->L.z = 0;
    for (int s = 0; s < r->L.n_sub; ++s) {
        int b = 0;
        while (r->L.basis_sub[b] != s)
            ++b;
        if (r->n_jumps[s] == 0)
            return hop_lf_bad(r, r->line_site[b], "sublattice %s has no jumps", r->label[s]);
        if (r->version < 2 && r->n_jumps[s] != r->n_jumps[0])
            return hop_lf_bad(r, r->line_jump[s][0], "sublattice %s has %d jumps but sublattice "
                       "%s has %d (in version 1 every sublattice needs the same number; "
                       "'hop-lattice 2' allows different ones)", r->label[s], r->n_jumps[s],
                       r->label[0], r->n_jumps[0]);
        r->L.z_sub[s] = r->n_jumps[s];
        r->L.z = r->n_jumps[s] > r->L.z ? r->n_jumps[s] : r->L.z;
    }
    return HOP_OK;
}

/* Index of v among the jumps of sublattice s, or -1. */
static int jump_index(const hop_lattice *L, int s, const int *v)
{
    for (int k = 0; k < L->z_sub[s]; ++k)
        if (memcmp(L->jump[s][k], v, sizeof L->jump[s][k]) == 0)
            return k;
    return -1;
}

/* Pass 1 on jump k of sublattice s: not zero, not repeated, not too long. */
static hop_status check_jump_form(reader *r, int s, int k)
{
    const hop_lattice *L = &r->L;
    const int *j = L->jump[s][k], line = r->line_jump[s][k];
    int twin;
    char v[48];
    if (j[0] == 0 && j[1] == 0 && j[2] == 0)
        return hop_lf_bad(r, line, "jump %s: a zero jump vector", r->label[s]);
    if ((twin = jump_index(L, s, j)) < k)
        return hop_lf_bad(r, line, "jump %s %s is already given on line %d", r->label[s],
                   hop_lf_vec(v, j, L->dim), r->line_jump[s][twin]);
    if (norm2(r, j) > LF_MAX_METRIC)
        return hop_lf_bad(r, line, "jump %s %s: its squared length times the common denominator "
                   "exceeds %d", r->label[s], hop_lf_vec(v, j, L->dim), LF_MAX_METRIC);
    return HOP_OK;
}

/* Sublattice reached by jump k of sublattice s (the same from every site of s), or -1
 * after reporting a jump that misses a site or reaches two sublattices. */
static int jump_target(reader *r, int s, int k)
{
    const hop_lattice *L = &r->L;
    const int *j = L->jump[s][k], line = r->line_jump[s][k];
    int target = -1, b_target = 0;
    char v[48], w[48];
    for (int b = 0; b < L->n_basis; ++b) {
        int y[HOP_MAX_DIM], t;
        if (L->basis_sub[b] != s)
            continue;
        for (int a = 0; a < HOP_MAX_DIM; ++a)
            y[a] = L->basis[b][a] + j[a];
        if ((t = site_at(r, y)) < 0) {
            hop_lf_bad(r, line, "jump %s %s from site %s (line %d) does not land on a site",
                r->label[s], hop_lf_vec(v, j, L->dim), hop_lf_vec(w, L->basis[b], L->dim), r->line_site[b]);
            return -1;
        }
        if (target >= 0 && L->basis_sub[t] != target) {
            hop_lf_bad(r, line, "jump %s %s lands on sublattice %s from site (line %d) but on %s from "
                "site (line %d): sites of one sublattice need the same surroundings",
                r->label[s], hop_lf_vec(v, j, L->dim), r->label[target], r->line_site[b_target],
                r->label[L->basis_sub[t]], r->line_site[b]);
            return -1;
        }
        if (target < 0)
            target = L->basis_sub[t], b_target = b;
    }
    return target;
}

/* The jumps in file order: pass 1 the form of each, pass 2 where it lands, pass 3 its
 * reverse, pass 4 its length against the first jump of the file. */
hop_status hop_lf_check_jumps(reader *r)
{
    const hop_lattice *L = &r->L;
    int order[HOP_MAX_TYPES][2], target[HOP_MAX_TYPES], n = 0;
    hop_status st;
    char v[48], w[48];
    for (int s = 0; s < L->n_sub; ++s)       /* insertion sort of (s, k) by line */
        for (int k = 0; k < L->z_sub[s]; ++k) {
            int i = n++;
            for (; i > 0 && r->line_jump[order[i - 1][0]][order[i - 1][1]] > r->line_jump[s][k];
                 --i)
                order[i][0] = order[i - 1][0], order[i][1] = order[i - 1][1];
            order[i][0] = s, order[i][1] = k;
        }
    for (int i = 0; i < n; ++i)
        if ((st = check_jump_form(r, order[i][0], order[i][1])) != HOP_OK)
            return st;
    for (int i = 0; i < n; ++i)
        if ((target[i] = jump_target(r, order[i][0], order[i][1])) < 0)
            return HOP_ERR_INVAL;
    for (int i = 0; i < n; ++i) {
        const int s = order[i][0], *j = L->jump[s][order[i][1]];
        const int minus[HOP_MAX_DIM] = {-j[0], -j[1], -j[2]};
        if (jump_index(L, target[i], minus) < 0)
            return hop_lf_bad(r, r->line_jump[s][order[i][1]], "jump %s %s lands on sublattice %s, "
                       "whose jumps lack the reverse %s", r->label[s], hop_lf_vec(v, j, L->dim),
                       r->label[target[i]], hop_lf_vec(w, minus, L->dim));
    }
    for (int i = 1; i < n && r->version < 2; ++i) {    /* version 2: several lengths */
        const int s = order[i][0], k = order[i][1];
        const int64_t d2 = norm2(r, L->jump[s][k]);
        const int64_t len2 = norm2(r, L->jump[order[0][0]][order[0][1]]);
        if (d2 != len2)
            return hop_lf_bad(r, r->line_jump[s][k], "jump %s %s has squared length %lld/%d, the "
                       "first jump (line %d) %lld/%d: all jumps must be equally long",
                       r->label[s], hop_lf_vec(v, L->jump[s][k], L->dim), (long long)d2,
                       L->metric_den, r->line_jump[order[0][0]][order[0][1]],
                       (long long)len2, L->metric_den);
    }
    return HOP_OK;
}

/* -------------------------------------------------------- connectedness --- */

/* A sublattice of Z^dim in Hermite normal form: row i is zero or has its first nonzero
 * entry, positive, in column i. */
typedef struct {
    int dim;
    int64_t row[HOP_MAX_DIM][HOP_MAX_DIM];
} int_lattice;

/* Adds v to the generators (v is destroyed); unimodular row operations only. */
static void int_lattice_add(int_lattice *h, int64_t *v)
{
    for (int i = 0; i < h->dim; ++i) {
        int64_t *row = h->row[i], a, b, s0 = 1, s1 = 0, t0 = 0, t1 = 1, g, g1, q;
        if (v[i] == 0)
            continue;
        if (row[i] == 0) {
            for (int c = i; c < h->dim; ++c)
                row[c] = v[i] < 0 ? -v[c] : v[c];
            break;
        }
        /* Extended Euclid: s0 row[i] + t0 v[i] = g. */
        g = row[i], g1 = v[i];
        while (g1 != 0) {
            int64_t t;
            q = g / g1;
            t = g - q * g1, g = g1, g1 = t;
            t = s0 - q * s1, s0 = s1, s1 = t;
            t = t0 - q * t1, t0 = t1, t1 = t;
        }
        if (g < 0)
            g = -g, s0 = -s0, t0 = -t0;
        a = row[i] / g, b = v[i] / g;
        for (int c = i; c < h->dim; ++c) {
            const int64_t rc = row[c], vc = v[c];
            row[c] = s0 * rc + t0 * vc;
            v[c] = a * vc - b * rc;
        }
    }
    for (int i = 0; i < h->dim; ++i)      /* keep entries small: reduce above pivots */
        for (int j = i + 1; j < h->dim; ++j)
            if (h->row[j][j] > 0) {
                const int64_t p = h->row[j][j], x = h->row[i][j];
                const int64_t q = x >= 0 ? x / p : -((-x + p - 1) / p);
                for (int c = j; c < h->dim; ++c)
                    h->row[i][c] -= q * h->row[j][c];
            }
}

/* Whether u is in the lattice. */
static int int_lattice_has(const int_lattice *h, const int64_t *u0)
{
    int64_t u[HOP_MAX_DIM];
    memcpy(u, u0, sizeof u);
    for (int i = 0; i < h->dim; ++i) {
        if (u[i] == 0)
            continue;
        if (h->row[i][i] == 0 || u[i] % h->row[i][i] != 0)
            return 0;
        {
            const int64_t q = u[i] / h->row[i][i];
            for (int c = i; c < h->dim; ++c)
                u[c] -= q * h->row[i][c];
        }
    }
    return 1;
}

/* The jumps must reach every site of the infinite lattice from site 0.  A search over
 * the cell's sites gives each reached site a position; every jump between reached
 * sites closes a loop whose vector, in cells, is a translation the walk can make.  The
 * lattice is connected exactly when every site is reached and those translations
 * generate all of Z^dim (then every one-cell step along an axis can be made). */
hop_status hop_lf_check_connected(reader *r)
{
    const hop_lattice *L = &r->L;
    int pos[HOP_MAX_BASIS][HOP_MAX_DIM], seen[HOP_MAX_BASIS] = {0}, queue[HOP_MAX_BASIS];
    int head = 0, tail = 0, first_line = INT32_MAX;
    int_lattice h;
    char v[48], w[48];
    memset(&h, 0, sizeof h);
    h.dim = L->dim;
    for (int s = 0; s < L->n_sub; ++s)
        if (r->line_jump[s][0] < first_line)
            first_line = r->line_jump[s][0];
    memcpy(pos[0], L->basis[0], sizeof pos[0]);
    seen[0] = 1;
    queue[tail++] = 0;
    while (head < tail) {
        const int b = queue[head++], s = L->basis_sub[b];
        for (int k = 0; k < L->z_sub[s]; ++k) {
            int y[HOP_MAX_DIM], t;
            int64_t loop[HOP_MAX_DIM] = {0, 0, 0};
            for (int a = 0; a < HOP_MAX_DIM; ++a)
                y[a] = pos[b][a] + L->jump[s][k][a];
            t = site_at(r, y);
            if (!seen[t]) {
                memcpy(pos[t], y, sizeof y);
                seen[t] = 1;
                queue[tail++] = t;
                continue;
            }
            for (int a = 0; a < L->dim; ++a)
                loop[a] = (y[a] - pos[t][a]) / L->cell[a];
            int_lattice_add(&h, loop);
        }
    }
    for (int b = 0; b < L->n_basis; ++b)
        if (!seen[b])
            return hop_lf_bad(r, first_line, "the jumps do not connect the lattice: site %s (line %d) "
                       "cannot be reached from site %s", hop_lf_vec(v, L->basis[b], L->dim),
                       r->line_site[b], hop_lf_vec(w, L->basis[0], L->dim));
    for (int a = 0; a < L->dim; ++a) {
        int64_t e[HOP_MAX_DIM] = {0, 0, 0};
        int far[HOP_MAX_DIM];
        e[a] = 1;
        if (int_lattice_has(&h, e))
            continue;
        memcpy(far, L->basis[0], sizeof far);
        far[a] += L->cell[a];
        return hop_lf_bad(r, first_line, "the jumps do not connect the lattice: site %s, one cell "
                   "along %s, cannot be reached from site %s", hop_lf_vec(v, far, L->dim),
                   hop_lf_axis_names[a], hop_lf_vec(w, L->basis[0], L->dim));
    }
    return HOP_OK;
}

/* `isotropic yes` needs the second moment of the whole jump network, weighted by the
 * vacancy's occupation and the rates, proportional to the identity (Cartesian): without
 * it D itself is anisotropic.  Version 2 without an `isotropic` line: hop decides from
 * it.  Runs on the derived lattice (rates and occupations known). */
hop_status hop_lf_check_isotropic(reader *r)
{
    hop_lattice *L = &r->L;
    int a = 0, b = 0;
    const int iso = hop_lattice_moment_isotropic(L, &a, &b);
    if (r->version >= 2 && !r->line_isotropic) {
        L->isotropic = iso;
        return HOP_OK;
    }
    if (L->isotropic && !iso)
        return hop_lf_bad(r, r->line_isotropic, "isotropic yes, but the second moment of the "
                          "jump network is not (its %s%s component): D is not a scalar",
                          hop_lf_axis_names[a], hop_lf_axis_names[b]);
    return HOP_OK;
}


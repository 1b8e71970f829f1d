/* test_lattice.c: Criterion tests for the lattice registry (host/lattice/lattice.c and the
 * tables of host/lattice/tables.c).
 *
 * Everything here is exact geometry in integer arithmetic: coordination numbers and
 * dimensions, jump lengths as rationals (jump_len2 / metric_den against the textbook
 * alpha^2 in units of a^2), the derived metric against C^T diag(weight) C, the
 * symmetry of the neighbour relation (jump_sub / jump_rev), sublattice alternation,
 * the site lookup, the cubic and hexagonal metrics, the isotropy of the second moment
 * of the jump vectors, and the smallest valid periodic box.  No tolerances. */
#include <criterion/criterion.h>

#include <stdint.h>
#include <string.h>

#include "lattice/impl.h"

/* What the textbooks say about each lattice.  alpha^2 = len2_num / len2_den in units of
 * a^2: bcc (sqrt3/2)^2 = 3/4, fcc (sqrt2/2)^2 = 1/2, diamond (sqrt3/4)^2 = 3/16,
 * honeycomb (1/sqrt3)^2 = 1/3 (a = distance between second neighbours, i.e. the
 * triangular lattice constant).  min_size: the smallest box of whole cells in which a
 * site is not its own neighbour and no two jumps from a site land on the same site
 * (see expected_min_size_reason below). */
typedef struct {
    const char *name;
    int dim, z, n_sub, len2_num, len2_den, min_size, isotropic;
} expect_t;

static const expect_t expected[HOP_N_LATTICES] = {
    {"chain",      1,  2, 1, 1,  1, 3, 1},
    {"square",     2,  4, 1, 1,  1, 3, 1},
    {"triangular", 2,  6, 1, 1,  1, 3, 1},
    {"honeycomb",  2,  3, 2, 1,  3, 2, 1},
    {"sc",         3,  6, 1, 1,  1, 3, 1},
    {"bcc",        3,  8, 1, 3,  4, 2, 1},
    {"fcc",        3, 12, 1, 1,  2, 2, 1},
    {"diamond",    3,  4, 2, 3, 16, 1, 1},
    {"hcp",        3, 12, 2, 1,  1, 3, 0},
    {"kagome",     2,  4, 3, 1,  4, 2, 1},
    {"pyrochlore", 3,  6, 4, 1,  8, 1, 1},
    {"perovskite-O", 3, 8, 3, 1, 2, 2, 1},
};
/* expected_min_size_reason: in a box of period P along an axis, two jumps collide when
 * their difference is a multiple of P.  chain/square/sc/triangular (cell 1, jumps +-1):
 * P = 2 makes +1 and -1 collide, P = 3 is fine.  honeycomb (cell 3): P = 3 makes
 * (1,1) and (1,-2) collide, P = 6 is fine.  bcc/fcc (cell 2): P = 2 makes e and -e
 * collide, P = 4 is fine.  diamond (cell 4, jumps (+-1,+-1,+-1)): differences have
 * components 0 or +-2, never a multiple of 4 unless zero, so one cell is enough.
 * hcp (cell 3,3,2): P = 3 maps (3,0,0) to the site itself, P = 6 makes (3,0,0) and
 * (-3,0,0) collide, P = 9 (with 6 along c) is fine.  kagome (cell 2, jumps +-1 along
 * three directions) and perovskite-O (cell 2, jumps (+-1,+-1,0)): P = 2 makes e and -e
 * collide, P = 4 is fine.  pyrochlore (cell 4, jumps (0,+-1,+-1) ...): differences have
 * components 0, +-1 or +-2, never a nonzero multiple of 4, so one cell is enough.
 * Jump lengths: kagome a/2 (a the Bravais constant), pyrochlore a sqrt2/4, perovskite-O
 * a/sqrt2 (O-O along a face diagonal half). */

static const hop_lattice *lattice_named(const char *name)
{
    const hop_lattice *L = hop_lattice_find(name);
    cr_assert_not_null(L, "lattice %s missing from the registry", name);
    return L;
}

/* x^T C^T diag(weight) C x computed from the table's raw fields, independently of the
 * derived metric. */
static int64_t table_norm2(const hop_lattice *L, const int *x)
{
    int64_t s = 0;
    for (int a = 0; a < HOP_MAX_DIM; ++a) {
        int64_t c = 0;
        for (int b = 0; b < HOP_MAX_DIM; ++b)
            c += (int64_t)L->cart[a][b] * x[b];
        s += (int64_t)L->weight[a] * c * c;
    }
    return s;
}

static int same_vec(const int *x, const int *y)
{
    return x[0] == y[0] && x[1] == y[1] && x[2] == y[2];
}

/* Index of v in the jump list of sublattice s, or -1. */
static int find_jump(const hop_lattice *L, int s, const int *v)
{
    for (int k = 0; k < L->z; ++k)
        if (same_vec(L->jump[s][k], v))
            return k;
    return -1;
}

/* ---- registry ------------------------------------------------------------------- */

Test(lattice_registry, nine_lattices_with_dim_and_z)
{
    cr_assert_eq(hop_lattice_count(), HOP_N_LATTICES);
    cr_expect_null(hop_lattice_find("nonsense"));
    cr_expect_null(hop_lattice_get(-1));
    cr_expect_null(hop_lattice_get(HOP_N_LATTICES));
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const expect_t *e = &expected[i];
        const hop_lattice *L = lattice_named(e->name);
        int found = 0;
        for (int j = 0; j < hop_lattice_count(); ++j)
            found += hop_lattice_get(j) == L;
        cr_expect_eq(found, 1, "%s: get() reaches it %d times", e->name, found);
        cr_expect_str_eq(L->name, e->name);
        cr_expect_eq(L->dim, e->dim, "%s: dim %d, want %d", e->name, L->dim, e->dim);
        cr_expect_eq(L->z, e->z, "%s: z %d, want %d", e->name, L->z, e->z);
        cr_expect_eq(L->n_sub, e->n_sub, "%s: %d sublattices, want %d", e->name, L->n_sub,
                     e->n_sub);
        cr_expect_eq(L->isotropic, e->isotropic, "%s: isotropic flag", e->name);
        for (int a = L->dim; a < HOP_MAX_DIM; ++a)
            cr_expect_eq(L->cell[a], 1, "%s: unused axis %d has cell %d", e->name, a,
                         L->cell[a]);
    }
}

Test(lattice_registry, components_reported)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_named(expected[i].name);
        int want = strcmp(L->name, "hcp") == 0 ? 2 : L->dim;
        cr_expect_eq(L->n_groups, want, "%s: %d components, want %d", L->name, L->n_groups,
                     want);
        for (int a = 0; a < L->dim; ++a) {
            int g = L->group_of_axis[a];
            int want_g = strcmp(L->name, "hcp") == 0 ? (a == 2) : a;
            cr_expect_eq(g, want_g, "%s: axis %d in component %d", L->name, a, g);
        }
    }
}

/* ---- lengths ---------------------------------------------------------------------- */

Test(lattice_geometry, jump_length_is_exact_rational)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const expect_t *e = &expected[i];
        const hop_lattice *L = lattice_named(e->name);
        double alpha = hop_lattice_jump_length(L);
        /* jump_len2 / metric_den == num / den, cross-multiplied in integers. */
        cr_expect_eq((int64_t)L->jump_len2 * e->len2_den, (int64_t)e->len2_num * L->metric_den,
                     "%s: alpha^2 = %d/%d, want %d/%d", e->name, L->jump_len2, L->metric_den,
                     e->len2_num, e->len2_den);
        cr_expect(alpha * alpha * e->len2_den > e->len2_num * (1 - 1e-15)
                  && alpha * alpha * e->len2_den < e->len2_num * (1 + 1e-15),
                  "%s: hop_lattice_jump_length %.17g", e->name, alpha);
    }
}

Test(lattice_geometry, derived_metric_is_ctwc)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_named(expected[i].name);
        for (int a = 0; a < HOP_MAX_DIM; ++a)
            for (int b = 0; b < HOP_MAX_DIM; ++b) {
                int m = 0;
                for (int c = 0; c < HOP_MAX_DIM; ++c)
                    m += L->cart[c][a] * L->weight[c] * L->cart[c][b];
                cr_expect_eq(L->metric[a][b], m, "%s: metric[%d][%d] = %d, want %d", L->name,
                             a, b, L->metric[a][b], m);
            }
        /* jump_metric[s][k] = M jump[s][k], used to update |x|^2 incrementally. */
        for (int s = 0; s < L->n_sub; ++s)
            for (int k = 0; k < L->z; ++k)
                for (int a = 0; a < HOP_MAX_DIM; ++a) {
                    int m = 0;
                    for (int b = 0; b < HOP_MAX_DIM; ++b)
                        m += L->metric[a][b] * L->jump[s][k][b];
                    cr_expect_eq(L->jump_metric[s][k][a], m, "%s: jump_metric[%d][%d][%d]",
                                 L->name, s, k, a);
                }
    }
}

Test(lattice_geometry, every_jump_has_the_same_length)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_named(expected[i].name);
        for (int s = 0; s < L->n_sub; ++s)
            for (int k = 0; k < L->z; ++k) {
                const int *e = L->jump[s][k];
                int32_t x[HOP_MAX_DIM] = {e[0], e[1], e[2]};
                cr_expect_eq(table_norm2(L, e), L->jump_len2, "%s: |jump %d,%d|^2 = %lld, want %d",
                             L->name, s, k, (long long)table_norm2(L, e), L->jump_len2);
                cr_expect_eq(hop_lattice_norm2(L, x), L->jump_len2, "%s: norm2 of jump %d,%d",
                             L->name, s, k);
                for (int a = L->dim; a < HOP_MAX_DIM; ++a)
                    cr_expect_eq(e[a], 0, "%s: jump %d,%d leaves the dimension", L->name, s, k);
            }
    }
}

/* ---- neighbour relation ------------------------------------------------------------ */

Test(lattice_neighbours, jumps_distinct_and_sum_to_zero)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_named(expected[i].name);
        for (int s = 0; s < L->n_sub; ++s) {
            int sum[HOP_MAX_DIM] = {0, 0, 0};
            for (int k = 0; k < L->z; ++k) {
                cr_expect_eq(find_jump(L, s, L->jump[s][k]), k, "%s: jump %d,%d repeated",
                             L->name, s, k);
                for (int a = 0; a < HOP_MAX_DIM; ++a)
                    sum[a] += L->jump[s][k][a];
            }
            cr_expect(sum[0] == 0 && sum[1] == 0 && sum[2] == 0,
                      "%s: jumps of sublattice %d sum to (%d,%d,%d)", L->name, s, sum[0],
                      sum[1], sum[2]);
        }
    }
}

Test(lattice_neighbours, relation_is_symmetric)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_named(expected[i].name);
        for (int s = 0; s < L->n_sub; ++s)
            for (int k = 0; k < L->z; ++k) {
                const int t = L->jump_sub[s][k], r = L->jump_rev[s][k];
                int minus[HOP_MAX_DIM];
                for (int a = 0; a < HOP_MAX_DIM; ++a)
                    minus[a] = -L->jump[s][k][a];
                cr_assert(t >= 0 && t < L->n_sub, "%s: jump_sub[%d][%d] = %d", L->name, s, k, t);
                cr_assert(r >= 0 && r < L->z, "%s: jump_rev[%d][%d] = %d", L->name, s, k, r);
                cr_expect(find_jump(L, t, minus) >= 0, "%s: -jump %d,%d not a jump of %d",
                          L->name, s, k, t);
                cr_expect(same_vec(L->jump[t][r], minus), "%s: jump_rev[%d][%d] = %d is not -jump",
                          L->name, s, k, r);
                cr_expect_eq(L->jump_sub[t][r], s, "%s: reverse of %d,%d leads to %d, want %d",
                             L->name, s, k, L->jump_sub[t][r], s);
                cr_expect_eq(L->jump_rev[t][r], k, "%s: reverse of reverse of %d,%d", L->name, s, k);
            }
    }
}

Test(lattice_neighbours, sublattice_alternation)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_named(expected[i].name);
        /* kagome, pyrochlore, perovskite-O: corner-sharing units, every neighbour of a
         * site on another sublattice, as for honeycomb and diamond. */
        const int two_sub = !strcmp(L->name, "honeycomb") || !strcmp(L->name, "diamond")
                            || L->n_sub > 2;
        const int hcp = !strcmp(L->name, "hcp");
        if (!two_sub && !hcp)
            cr_expect_eq(L->n_sub, 1, "%s: a Bravais lattice has one sublattice", L->name);
        for (int s = 0; s < L->n_sub; ++s)
            for (int k = 0; k < L->z; ++k) {
                const int t = L->jump_sub[s][k];
                if (two_sub)
                    cr_expect_neq(t, s, "%s: jump %d,%d keeps the sublattice", L->name, s, k);
                else if (hcp)
                    cr_expect_eq(t == s, L->jump[s][k][2] == 0,
                                 "%s: jump %d,%d (z component %d) reaches sublattice %d",
                                 L->name, s, k, L->jump[s][k][2], t);
                else
                    cr_expect_eq(t, 0);
            }
    }
}

Test(lattice_neighbours, every_jump_reaches_a_site_of_its_sublattice)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_named(expected[i].name);
        for (int b = 0; b < L->n_basis; ++b) {
            const int s = L->basis_sub[b];
            int32_t x[HOP_MAX_DIM] = {L->basis[b][0], L->basis[b][1], L->basis[b][2]};
            cr_expect_eq(hop_lattice_site_index(L, x), b, "%s: basis site %d not found", L->name, b);
            for (int k = 0; k < L->z; ++k) {
                int32_t y[HOP_MAX_DIM];
                int t;
                for (int a = 0; a < HOP_MAX_DIM; ++a)
                    y[a] = x[a] + L->jump[s][k][a];
                t = hop_lattice_site_index(L, y);
                cr_assert(t >= 0, "%s: jump %d from basis site %d reaches no site", L->name, k, b);
                cr_expect_eq(L->basis_sub[t], L->jump_sub[s][k],
                             "%s: jump %d from basis %d reaches sublattice %d, table says %d",
                             L->name, k, b, L->basis_sub[t], L->jump_sub[s][k]);
            }
        }
    }
}

/* Every integer point of one conventional cell (and its periodic images) is either
 * exactly one basis site or not a site. */
Test(lattice_neighbours, site_index_counts_the_basis)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_named(expected[i].name);
        int seen[HOP_MAX_BASIS] = {0};
        int32_t x[HOP_MAX_DIM];
        for (x[0] = 0; x[0] < L->cell[0]; ++x[0])
            for (x[1] = 0; x[1] < L->cell[1]; ++x[1])
                for (x[2] = 0; x[2] < L->cell[2]; ++x[2]) {
                    int b = hop_lattice_site_index(L, x);
                    int32_t img[HOP_MAX_DIM];
                    if (b >= 0)
                        seen[b]++;
                    for (int a = 0; a < HOP_MAX_DIM; ++a)
                        img[a] = x[a] - 5 * L->cell[a];
                    cr_expect_eq(hop_lattice_site_index(L, img), b, "%s: periodic image differs",
                                 L->name);
                }
        for (int b = 0; b < L->n_basis; ++b)
            cr_expect_eq(seen[b], 1, "%s: basis site %d found %d times in one cell", L->name,
                         b, seen[b]);
        for (int s = 0; s < L->n_sub; ++s) {
            int n = 0;
            for (int b = 0; b < L->n_basis; ++b)
                n += L->basis_sub[b] == s;
            cr_expect_gt(n, 0, "%s: sublattice %d has no site", L->name, s);
        }
    }
}

/* ---- metric ------------------------------------------------------------------------ */

Test(lattice_metric, cubic_axes_equivalent)
{
    static const char *cubic[] = {"sc", "bcc", "fcc", "diamond"};
    for (int i = 0; i < 4; ++i) {
        const hop_lattice *L = lattice_named(cubic[i]);
        cr_expect(L->cell[0] == L->cell[1] && L->cell[1] == L->cell[2], "%s: cell not cubic",
                  L->name);
        for (int a = 0; a < 3; ++a)
            for (int b = 0; b < 3; ++b)
                cr_expect_eq(L->metric[a][b], a == b ? L->metric[0][0] : 0,
                             "%s: metric[%d][%d] = %d", L->name, a, b, L->metric[a][b]);
        /* The jump set of each sublattice and the basis are invariant under the cyclic
         * permutation x->y->z->x and under exchanging x and y: the axes are equivalent. */
        for (int s = 0; s < L->n_sub; ++s)
            for (int k = 0; k < L->z; ++k) {
                const int *e = L->jump[s][k];
                int cyc[3] = {e[2], e[0], e[1]}, swp[3] = {e[1], e[0], e[2]};
                cr_expect(find_jump(L, s, cyc) >= 0, "%s: cyclic image of jump %d,%d", L->name, s, k);
                cr_expect(find_jump(L, s, swp) >= 0, "%s: x<->y image of jump %d,%d", L->name, s, k);
            }
        for (int b = 0; b < L->n_basis; ++b) {
            const int *x = L->basis[b];
            int32_t cyc[3] = {x[2], x[0], x[1]}, swp[3] = {x[1], x[0], x[2]};
            int bc = hop_lattice_site_index(L, cyc), bs = hop_lattice_site_index(L, swp);
            cr_expect(bc >= 0 && L->basis_sub[bc] == L->basis_sub[b], "%s: cyclic image of basis %d",
                      L->name, b);
            cr_expect(bs >= 0 && L->basis_sub[bs] == L->basis_sub[b], "%s: x<->y image of basis %d",
                      L->name, b);
        }
    }
}

Test(lattice_metric, hcp_ideal_c_over_a)
{
    const hop_lattice *L = lattice_named("hcp");
    const int c_vec[HOP_MAX_DIM] = {0, 0, 2};   /* c in units of c/2 */
    const int a_vec[HOP_MAX_DIM] = {3, 0, 0};   /* a1 in units of a/3 */
    const int a2_vec[HOP_MAX_DIM] = {0, 3, 0};
    const int a3_vec[HOP_MAX_DIM] = {3, 3, 0};
    int64_t c2 = table_norm2(L, c_vec), a2 = table_norm2(L, a_vec);
    int32_t cx[HOP_MAX_DIM] = {0, 0, 2}, ax[HOP_MAX_DIM] = {3, 0, 0};
    /* (c/a)^2 = 8/3 exactly. */
    cr_expect_eq(3 * c2, 8 * a2, "|c|^2 = %lld, |a|^2 = %lld: ratio not 8/3", (long long)c2,
                 (long long)a2);
    cr_expect_eq(hop_lattice_norm2(L, cx), c2);
    cr_expect_eq(hop_lattice_norm2(L, ax), a2);
    /* a is the jump length, and the three in-plane lattice vectors are equally long
     * (60 degrees apart: |a1 + a2| = |a1|). */
    cr_expect_eq(a2, L->jump_len2);
    cr_expect_eq(table_norm2(L, a2_vec), a2);
    cr_expect_eq(table_norm2(L, a3_vec), a2);
    /* c is perpendicular to the basal plane: no cross terms between z and x, y. */
    for (int a = 0; a < 2; ++a)
        cr_expect(L->metric[a][2] == 0 && L->metric[2][a] == 0, "metric couples c and axis %d", a);
}

/* Mean of e_a e_b over the jumps of each sublattice, in Cartesian components: e_a =
 * s_a (C e)_a with s_a^2 = weight[a] / metric_den.  The off-diagonal sums must vanish
 * and the diagonal ones weight[a] sum (C e)_a^2 be equal, all in integers.  For hcp the
 * ideal c/a = sqrt(8/3) makes the second moment isotropic too (6 in-plane jumps of
 * length a plus 6 out-of-plane ones with (c/2)^2 = 2a^2/3 give sum e_z^2 = 4 a^2 =
 * sum e_x^2 = sum e_y^2); that is why f = (2 f_x + f_z)/3 for hcp. */
/* Sum over the sites b of the cell (all sublattices, or only sublattice `only` >= 0) of
 * C e e^T C^T over their jumps: the second moment of the jump network. */
static void network_moment(const hop_lattice *L, int only, int64_t m[HOP_MAX_DIM][HOP_MAX_DIM])
{
    memset(m, 0, sizeof(int64_t) * HOP_MAX_DIM * HOP_MAX_DIM);
    for (int b = 0; b < L->n_basis; ++b) {
        const int s = L->basis_sub[b];
        if (only >= 0 && s != only)
            continue;
        for (int k = 0; k < L->z; ++k) {
            int32_t e[HOP_MAX_DIM] = {L->jump[s][k][0], L->jump[s][k][1], L->jump[s][k][2]};
            for (int a = 0; a < L->dim; ++a)
                for (int c = 0; c < L->dim; ++c)
                    m[a][c] += hop_lattice_cart(L, e, a) * hop_lattice_cart(L, e, c);
        }
    }
}

/* Symmetry decides isotropy from the whole network (issue 14 item 5): each built-in's
 * network moment is n_basis z jump_len2 / dim times the identity (ideal hcp's too, with
 * equal rates), and hop_lattice_moment_isotropic says so; kagome's, pyrochlore's and
 * perovskite-O's sublattices alone are anisotropic, so a per-sublattice check (the old
 * one) would have refused them. */
Test(lattice_metric, second_moment_isotropic)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_named(expected[i].name);
        int64_t m[HOP_MAX_DIM][HOP_MAX_DIM];
        network_moment(L, -1, m);
        for (int a = 0; a < L->dim; ++a) {
            cr_expect_eq(L->weight[a] * m[a][a] * L->dim,
                         (int64_t)L->n_basis * L->z * L->jump_len2,
                         "%s: weighted sum of e_%d^2 = %lld", L->name, a,
                         (long long)(L->weight[a] * m[a][a]));
            for (int b = 0; b < L->dim; ++b)
                if (a != b)
                    cr_expect_eq(m[a][b], 0, "%s: sum e_%d e_%d = %lld", L->name, a, b,
                                 (long long)m[a][b]);
        }
        cr_expect(hop_lattice_moment_isotropic(L, NULL, NULL), "%s", L->name);
        if (L->n_sub > 2) {
            int64_t ms[HOP_MAX_DIM][HOP_MAX_DIM];
            network_moment(L, 0, ms);
            cr_expect(ms[0][0] * L->weight[0] != ms[L->dim - 1][L->dim - 1] * L->weight[L->dim - 1]
                      || ms[0][1] != 0, "%s: sublattice A alone is anisotropic", L->name);
        }
    }
}

/* ---- periodic boxes -------------------------------------------------------------- */

Test(lattice_box, min_size_is_sensible)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const expect_t *e = &expected[i];
        const hop_lattice *L = lattice_named(e->name);
        cr_expect_eq(L->min_size, e->min_size, "%s: min_size %d, want %d", e->name, L->min_size,
                     e->min_size);
        cr_expect(hop_lattice_box_valid(L, L->min_size), "%s: min_size %d box invalid", e->name,
                  L->min_size);
        cr_expect(!hop_lattice_box_valid(L, L->min_size - 1), "%s: box %d valid below min_size",
                  e->name, L->min_size - 1);
        cr_expect(!hop_lattice_box_valid(L, 0), "%s: empty box valid", e->name);
        /* Every larger box is valid too, so min_size really is a threshold. */
        for (int size = L->min_size; size <= 24; ++size)
            cr_expect(hop_lattice_box_valid(L, size), "%s: box of %d cells invalid", e->name, size);
    }
}

Test(lattice_box, box_sites)
{
    for (int i = 0; i < HOP_N_LATTICES; ++i) {
        const hop_lattice *L = lattice_named(expected[i].name);
        for (int size = 1; size <= 7; ++size) {
            uint64_t want = (uint64_t)L->n_basis;
            for (int a = 0; a < L->dim; ++a)
                want *= (uint64_t)size;
            cr_expect_eq(hop_lattice_box_sites(L, size), want, "%s: sites in %d^d box",
                         L->name, size);
        }
    }
}

/* The table check in hop_lattice_finish rejects broken tables (a lattice whose table
 * failed would silently disappear from the registry, so the checker must work). */
Test(lattice_box, finish_rejects_broken_tables)
{
    char msg[160];
    hop_lattice L = hop_lattice_tables[4];    /* sc */
    cr_assert_str_eq(L.name, "sc");
    cr_expect_eq(hop_lattice_finish(&L, msg, sizeof msg), HOP_OK, "%s", msg);
    L = hop_lattice_tables[4];
    L.jump[0][5][2] = 2;                       /* (0,0,2): no reverse, unequal length */
    cr_expect_eq(hop_lattice_finish(&L, msg, sizeof msg), HOP_ERR_INVAL);
    cr_expect(strstr(msg, "sc") != NULL, "message does not name the lattice: %s", msg);
    L = hop_lattice_tables[5];                 /* bcc */
    L.jump[0][0][0] = 2;                       /* (2,1,1) is not a site */
    cr_expect_eq(hop_lattice_finish(&L, msg, sizeof msg), HOP_ERR_INVAL);
    L = hop_lattice_tables[6];                 /* fcc */
    L.basis[3][0] = 0;                         /* basis site 3 = (0,1,0): jumps miss sites */
    cr_expect_eq(hop_lattice_finish(&L, msg, sizeof msg), HOP_ERR_INVAL);
}

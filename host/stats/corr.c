/* corr.c: from the corr estimator's integer counts to f with its standard error
 * and truncation bias bound (the method is described in stats/corr.h).
 *
 * What the chain leaves out.  After a lost vacancy, the tracer's next jumps come from a
 * vacancy that arrives afresh (the same one returning from far away, or another), with
 * no memory of the tracer's last jump.  Taking them as uncorrelated with it assumes
 * that such a visit moves the tracer by 0 on average: u_s = 0 for a tracer on each
 * sublattice s.  u_s is a vector that every symmetry of the network fixing the
 * tracer's site leaves unchanged, so it is 0 when no site symmetry leaves a vector
 * invariant, and in general not otherwise.  That a site's jumps sum to 0 (rate-weighted)
 * is necessary, not sufficient: on tests/lattices/sc-pairs.lat (polar sites, 4mm about
 * z) the chain gives f_z = 0.6488 (the exact solver) where the walk has 0.9 f_sc =
 * 0.5878, and with `--rate short=2`, whose jumps do sum to 0, corr's f_z 0.619 +- 0.002
 * against msd's 0.592 +- 0.007.  The lattice layer finds polar sites
 * (lattice/polar.c, the field polar_site) and the vacancy model refuses them for corr
 * and exact (models/estimators.c).  The formula also weighs jump types by pi from
 * hop_lattice_type_weight, the stationary share of tracer jumps (occupation x rate).
 *
 * Truncation.  A replica whose vacancy reaches the radius R is counted as lost.  A lost
 * vacancy that came back would arrive from far away almost uniformly over the tracer's
 * neighbours; the uniform part does not change f (no polar site, above), so the
 * truncation error is the dipole part: the vacancy leaves with a direction bias O(alpha/R), comes back
 * with probability O(1) in d <= 2 and O(alpha/R) in d = 3, and arrives with a direction
 * bias O(alpha/R).  Hence f(R) - f = O(R^-p) with p = d for d = 2, 3 (measured: the
 * differences between successive radii shrink 8-fold per doubling on sc, 4- to 5-fold
 * on square).  In one dimension a lost vacancy always returns from the side it left,
 * f(R) = 1/(2R - 1), p = 1.  The bound assumes only the weaker p = max(1, d - 1):
 * with radii R/2 and R the remaining error is bounded by
 *     |f(R) - f| <= (|f(R) - f(R/2)| + 2 sigma_diff) / (2^p - 1),
 * sigma_diff being the standard error of the paired difference (same replicas).
 *
 * Recurrent chains.  When no replica lost its vacancy (1D with few replicas, or the
 * random model) P is stochastic and I - P singular.  The jump vectors have zero mean
 * under the stationary distribution pi of all jump types together (detailed balance
 * pairs each jump with its reverse), so sum_{n>=1} P^n E converges (in the Cesaro sense
 * for the 1D chain) to (Z - I) E with the fundamental matrix Z = (I - P + 1 pi^T)^-1
 * (Kemeny & Snell), which is used instead of (I - P)^-1.  This needs no condition per
 * sublattice and nothing is left out, so the random model's corr is right on every
 * lattice; where a sublattice's jumps do not sum to 0 its f is below 1 (sc-pairs:
 * 17/18, test_polar.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "stats/corr.h"

hop_corr_counts *hop_corr_counts_alloc(int n_types, int n_shells)
{
    const size_t slots = (size_t)HOP_CORR_SLOTS(n_types, n_shells);
    hop_corr_counts *c = malloc(sizeof *c + slots * sizeof(uint64_t));
    if (c) {
        c->tally = (uint64_t *)(c + 1);
        hop_corr_counts_init(c, n_types, n_shells);
    }
    return c;
}

void hop_corr_counts_free(hop_corr_counts *c)
{
    free(c);
}

void hop_corr_counts_init(hop_corr_counts *c, int n_types, int n_shells)
{
    c->n_types = n_types;
    c->n_shells = n_shells;
    memset(c->tally, 0, (size_t)HOP_CORR_SLOTS(n_types, n_shells) * sizeof(uint64_t));
}

void hop_corr_counts_add(hop_corr_counts *c, const hop_corr_outcome *o)
{
    c->tally[o->first_type]++;
    c->tally[hop_corr_slot_end(c->n_types, c->n_shells, o)]++;
    c->tally[hop_corr_slot_steps(c->n_types, c->n_shells)] += (uint64_t)o->steps;
}

void hop_corr_counts_add_tally(hop_corr_counts *into, const uint64_t *tally)
{
    const int n = HOP_CORR_SLOTS(into->n_types, into->n_shells);
    for (int k = 0; k < n; ++k)
        into->tally[k] += tally[k];
}

void hop_corr_counts_merge(hop_corr_counts *into, const hop_corr_counts *from)
{
    hop_corr_counts_add_tally(into, from->tally);
}

uint64_t hop_corr_counts_steps(const hop_corr_counts *c)
{
    return c->tally[hop_corr_slot_steps(c->n_types, c->n_shells)];
}

/* Readers of the tally (layout in include/hop/step.h). */
static uint64_t started(const hop_corr_counts *c, int i)
{
    return c->tally[i];
}

static uint64_t returned(const hop_corr_counts *c, int m, int i, int j)
{
    return c->tally[hop_corr_slot_return(c->n_types, m, i, j)];
}

static uint64_t lost(const hop_corr_counts *c)
{
    return c->tally[hop_corr_slot_lost(c->n_types, c->n_shells)];
}

enum { T_MAX = HOP_MAX_TYPES };
typedef hop_type_matrix mat;

/* The matrices of one estimate, allocated once (10 MB at T_MAX, of which an estimate
 * touches n rows of each). */
typedef struct {
    mat P, S, K, grad, grad_in, diff, SK;
    double a[T_MAX][2 * T_MAX];     /* Gauss-Jordan's augmented matrix */
} workspace;

/* Dot product of jump types i and j projected on principal component g (-1: all),
 * times metric_den. */
static double type_dot(const hop_lattice *L, int i, int j, int g)
{
    return (double)hop_lattice_dot(L, L->jump[i / L->z][i % L->z], L->jump[j / L->z][j % L->z], g);
}

/* inv = (I - P + shift)^-1 by Gauss-Jordan elimination with partial pivoting, where
 * shift is 1 pi^T (pi the stationary share of each jump type) or nothing (pi NULL). */
static hop_status invert_i_minus(int n, mat P, const double *pi, mat inv,
                                 double (*a)[2 * T_MAX])
{
    static const double tiny = 1e-14;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            a[i][j] = (i == j) - P[i][j] + (pi ? pi[j] : 0.0);
            a[i][n + j] = i == j;
        }
    for (int c = 0; c < n; ++c) {
        int piv = c;
        for (int i = c + 1; i < n; ++i)
            if (fabs(a[i][c]) > fabs(a[piv][c]))
                piv = i;
        if (fabs(a[piv][c]) < tiny)
            return HOP_ERR_NUMERIC;
        if (piv != c)
            for (int j = 0; j < 2 * n; ++j) {
                double t = a[c][j]; a[c][j] = a[piv][j]; a[piv][j] = t;
            }
        for (int i = 0; i < n; ++i) {
            double q;
            if (i == c) continue;
            q = a[i][c] / a[c][c];
            for (int j = c; j < 2 * n; ++j)
                a[i][j] -= q * a[c][j];
        }
    }
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            inv[i][j] = a[i][n + j] / a[i][i];
    return HOP_OK;
}

/* Estimated transition matrix with returns that crossed at most `m` radii. */
static void transition(const hop_corr_counts *c, int m, mat P)
{
    const int n = c->n_types;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            uint64_t k = 0;
            for (int s = 0; s <= m; ++s)
                k += returned(c, s, i, j);
            P[i][j] = started(c, i) ? (double)k / (double)started(c, i) : 0.0;
        }
}

/* Replicas counted as lost when the walk is cut at radius m: the lost ones and those
 * that returned only after crossing more than m radii. */
static uint64_t lost_at(const hop_corr_counts *c, int m)
{
    uint64_t n = lost(c);
    for (int s = m + 1; s < c->n_shells; ++s)
        for (int i = 0; i < c->n_types; ++i)
            for (int j = 0; j < c->n_types; ++j)
                n += returned(c, s, i, j);
    return n;
}

/* f of component g from the chain P (see hop_corr_chain), with the inverse S and the
 * weights K[i][j] = pi_i e_i.e_j (projected) that the gradient needs, and A. */
static hop_status chain_f(const hop_lattice *L, int n, mat P, int recurrent, int g,
                          double *f, mat S, mat K, double (*a)[2 * T_MAX], double *A_out)
{
    double A = 0, B = 0, pi[T_MAX];
    hop_status s;
    /* pi_i: the share of tracer jumps of type i (all equal on the built-in lattices with
     * equal rates; by sublattice population and jump rate in general). */
    for (int i = 0; i < n; ++i)
        pi[i] = hop_lattice_type_weight(L, i);
    if ((s = invert_i_minus(n, P, recurrent ? pi : NULL, S, a)) != HOP_OK)
        return s;
    for (int i = 0; i < n; ++i) {
        A += type_dot(L, i, i, g) * pi[i];
        for (int j = 0; j < n; ++j)
            K[i][j] = type_dot(L, i, j, g) * pi[i];
    }
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            B += (S[i][j] - (i == j)) * K[i][j];
    *f = 1.0 + 2.0 * B / A;
    *A_out = A;
    return HOP_OK;
}

hop_status hop_corr_chain(const hop_lattice *L, int n, hop_type_matrix P, int recurrent,
                          int g, double *f, hop_type_matrix S)
{
    workspace *w = malloc(sizeof *w);
    double A;
    hop_status s;
    if (!w)
        return hop_error(HOP_ERR_NOMEM, "out of memory");
    s = chain_f(L, n, P, recurrent, g, f, S, w->K, w->a, &A);
    free(w);
    return s;
}

/* Up to this many jump types (every built-in lattice) the gradient is summed term by
 * term in today's order, which the regression record's bits depend on; above, the
 * same sum as two matrix products (O(n^3) instead of O(n^4)). */
#define HOP_FEW_TYPES 24

/* grad = 2 S^T K S^T / A, summed term by term. */
static void gradient_direct(int n, mat S, mat K, double A, mat grad)
{
    for (int k = 0; k < n; ++k)
        for (int l = 0; l < n; ++l) {
            double v = 0;
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j)
                    v += S[i][k] * K[i][j] * S[l][j];
            grad[k][l] = 2.0 * v / A;
        }
}

/* grad = 2 (S^T K) S^T / A through SK = S^T K. */
static void gradient_by_products(int n, mat S, mat K, double A, mat SK, mat grad)
{
    for (int k = 0; k < n; ++k)
        for (int j = 0; j < n; ++j)
            SK[k][j] = 0;
    for (int i = 0; i < n; ++i)
        for (int k = 0; k < n; ++k)
            for (int j = 0; j < n; ++j)
                SK[k][j] += S[i][k] * K[i][j];
    for (int k = 0; k < n; ++k)
        for (int l = 0; l < n; ++l) {
            double v = 0;
            for (int j = 0; j < n; ++j)
                v += SK[k][j] * S[l][j];
            grad[k][l] = 2.0 * v / A;
        }
}

/* For cutoff m and component g: f and the gradient of f with respect to P. */
static hop_status f_and_gradient(const hop_lattice *L, const hop_corr_counts *c, int m,
                                 int g, double *f, mat grad, workspace *w)
{
    const int n = c->n_types;
    double A;
    hop_status s;
    /* The fundamental-matrix form applies where no replica is lost at this cutoff. */
    transition(c, m, w->P);
    if ((s = chain_f(L, n, w->P, lost_at(c, m) == 0, g, f, w->S, w->K, w->a, &A)) != HOP_OK)
        return s;
    /* dB/dP_kl = (S^T K S^T)_kl, because d(I - P + shift)^-1 = S dP S. */
    if (n <= HOP_FEW_TYPES)
        gradient_direct(n, w->S, w->K, A, grad);
    else
        gradient_by_products(n, w->S, w->K, A, w->SK, grad);
    return HOP_OK;
}

/* Variance of sum_kl g1_kl P1_kl + g2_kl (P2 - P1)_kl where P1 counts returns that
 * crossed at most m1 radii and P2 those that crossed at most m2 >= m1: each row k is
 * multinomial over the categories (returned within m1 to l), (returned between m1 and
 * m2 to l) and the rest, whose gradients are g1[k][l], g2[k][l] and 0. */
static double paired_variance(const hop_corr_counts *c, int m1, int m2, mat g1,
                              mat g2)
{
    const int n = c->n_types;
    double var = 0;
    for (int k = 0; k < n; ++k) {
        double N = (double)started(c, k), mean = 0, sq = 0;
        if (N < 2) continue;
        for (int l = 0; l < n; ++l) {
            uint64_t in = 0, mid = 0;
            for (int s = 0; s <= m2; ++s) {
                if (s <= m1)
                    in += returned(c, s, k, l);
                else
                    mid += returned(c, s, k, l);
            }
            mean += g1[k][l] * in / N + g2[k][l] * mid / N;
            sq += g1[k][l] * g1[k][l] * in / N + g2[k][l] * g2[k][l] * mid / N;
        }
        var += (sq - mean * mean) / N;
    }
    return var > 0 ? var : 0;
}

/* The estimate of component g (-1: scalar) at the outer radius, with its bias bound. */
static hop_status estimate(const hop_lattice *L, const hop_corr_counts *c, int g,
                           hop_estimate *e, workspace *w)
{
    const int outer = c->n_shells - 1, p = L->dim >= 2 ? L->dim - 1 : 1;
    double f, f_in;
    hop_status s;
    mat *grad = &w->grad, *grad_in = &w->grad_in, *diff = &w->diff;
    if ((s = f_and_gradient(L, c, outer, g, &f, *grad, w)) != HOP_OK)
        return s;
    e->value = f;
    e->sigma = sqrt(paired_variance(c, outer, outer, *grad, *grad));
    e->bias = 0;
    if (outer == 0)
        return HOP_OK;
    if ((s = f_and_gradient(L, c, outer - 1, g, &f_in, *grad_in, w)) != HOP_OK)
        return s;
    for (int k = 0; k < c->n_types; ++k)
        for (int l = 0; l < c->n_types; ++l)
            (*diff)[k][l] = (*grad)[k][l] - (*grad_in)[k][l];
    e->bias = (fabs(f - f_in) + 2.0 * sqrt(paired_variance(c, outer - 1, outer, *diff, *grad)))
              / ((1 << p) - 1);
    return HOP_OK;
}

static hop_status estimate_all(const hop_lattice *L, const hop_corr_counts *c,
                             const double *radius, hop_result *r, workspace *w)
{
    uint64_t replicas = 0, returns = 0;
    hop_status s;
    for (int i = 0; i < c->n_types; ++i)
        replicas += started(c, i);
    returns = replicas - lost(c);
    if ((s = estimate(L, c, -1, &r->f, w)) != HOP_OK)
        return hop_error(s, "f on %s: the estimated chain of jump types is singular "
                         "(too few replicas for the lattice's %d jump types?)", L->name,
                         c->n_types);
    r->n_groups = L->n_groups;
    r->isotropy_dev = 0;
    for (int g = 0; g < L->n_groups; ++g) {
        if ((s = estimate(L, c, g, &r->f_group[g], w)) != HOP_OK)
            return s;
        if (r->f_group[g].sigma > 0) {
            double dev = fabs(r->f_group[g].value - r->f.value) / r->f_group[g].sigma;
            if (dev > r->isotropy_dev)
                r->isotropy_dev = dev;
        }
    }
    r->n_shells = c->n_shells;
    for (int m = 0; m < c->n_shells; ++m) {
        double f;
        if ((s = f_and_gradient(L, c, m, -1, &f, w->grad, w)) != HOP_OK)
            return s;
        r->shell_radius[m] = radius[m];
        r->f_shell[m].value = f;
        r->f_shell[m].sigma = sqrt(paired_variance(c, m, m, w->grad, w->grad));
        r->f_shell[m].bias = 0;
    }
    r->lost_fraction = replicas ? (double)lost(c) / (double)replicas : 0;
    r->replicas = replicas;
    r->tracer_jumps = replicas + returns;   /* the jump each replica starts after, and returns */
    r->vacancy_steps = hop_corr_counts_steps(c);
    return HOP_OK;
}

hop_status hop_corr_estimate(const hop_lattice *L, const hop_corr_counts *c,
                             const double *radius, hop_result *r)
{
    workspace *w = malloc(sizeof *w);
    hop_status s;
    if (!w)
        return hop_error(HOP_ERR_NOMEM, "out of memory");
    s = estimate_all(L, c, radius, r, w);
    free(w);
    return s;
}

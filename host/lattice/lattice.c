/* lattice.c: the lattice registry.  Derives the fields of each table that follow from
 * the data (sublattice reached by each jump, reverse jumps, integer metric, smallest
 * valid periodic box) and validates the table, once, on first use. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "lattice/choice.h"
#include "lattice/impl.h"
#include "lattice/polar.h"

static int mod_floor(int a, int m)
{
    int r = a % m;
    return r < 0 ? r + m : r;
}

int hop_lattice_site_index(const hop_lattice *L, const int32_t *x)
{
    for (int b = 0; b < L->n_basis; ++b) {
        int same = 1;
        for (int a = 0; a < HOP_MAX_DIM; ++a)
            same &= mod_floor(x[a] - L->basis[b][a], L->cell[a]) == 0;
        if (same)
            return b;
    }
    return -1;
}

/* Index of vector v in the jump list of sublattice s, or -1. */
static int jump_index(const hop_lattice *L, int s, const int *v)
{
    for (int k = 0; k < L->z_sub[s]; ++k)
        if (L->jump[s][k][0] == v[0] && L->jump[s][k][1] == v[1] && L->jump[s][k][2] == v[2])
            return k;
    return -1;
}

/* Same site of a periodic box with the given periods. */
static int same_in_box(const int *x, const int *y, const int *period)
{
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        if (mod_floor(x[a] - y[a], period[a]) != 0)
            return 0;
    return 1;
}

int hop_lattice_box_valid(const hop_lattice *L, int size)
{
    int period[HOP_MAX_DIM];
    if (size < 1)
        return 0;
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        period[a] = a < L->dim ? size * L->cell[a] : L->cell[a];
    for (int b = 0; b < L->n_basis; ++b) {
        const int *x = L->basis[b];
        const int s = L->basis_sub[b];
        for (int k = 0; k < L->z_sub[s]; ++k) {
            int y[HOP_MAX_DIM];
            for (int a = 0; a < HOP_MAX_DIM; ++a)
                y[a] = x[a] + L->jump[s][k][a];
            if (same_in_box(x, y, period))
                return 0;
            for (int k2 = 0; k2 < k; ++k2) {
                int y2[HOP_MAX_DIM];
                for (int a = 0; a < HOP_MAX_DIM; ++a)
                    y2[a] = x[a] + L->jump[s][k2][a];
                if (same_in_box(y, y2, period))
                    return 0;
            }
        }
    }
    return 1;
}

#define FAIL(...) do { snprintf(msg, msg_len, __VA_ARGS__); return HOP_ERR_INVAL; } while (0)

/* Sublattice labels "A", "B", ... where a table gives none; a table without jump
 * classes and without per-jump rates gets the one class "nn" of rate 1. */
static hop_status finish_names(hop_lattice *L, char *msg, size_t msg_len)
{
    for (int s = 0; s < L->n_sub; ++s) {
        if (!memchr(L->sub_name[s], '\0', HOP_LABEL_LEN))
            FAIL("lattice %s: sublattice %d's label is not terminated", L->name, s);
        if (!L->sub_name[s][0]) {
            L->sub_name[s][0] = (char)('A' + s);
            L->sub_name[s][1] = '\0';
        }
        for (int t = 0; t < s; ++t)
            if (strcmp(L->sub_name[s], L->sub_name[t]) == 0)
                FAIL("lattice %s: two sublattices labelled %s", L->name, L->sub_name[s]);
    }
    if (L->n_classes == 0 && L->rate[0][0] == 0) {
        L->n_classes = 1;
        strcpy(L->class_name[0], "nn");
        L->class_rate[0] = 1;
        L->class_barrier[0] = 0;
        L->class_barrier_ev[0] = 0;
        memset(L->jump_class, 0, sizeof L->jump_class);
    }
    return HOP_OK;
}

/* A zero energy is +0 in kT whatever its sign and unit were written in ("-0", "0 eV"):
 * one table for one lattice, so that a written lattice loads back to the same bytes
 * and a zero in eV does not ask for --T. */
static void canonical_zero(double *energy, unsigned char *ev)
{
    if (*energy == 0) {
        *energy = 0.0;
        *ev = 0;
    }
}

/* Classes: valid, one class per bond (a jump and its reverse), and the integer rates
 * derived unless an energy waits for the temperature (lattice/rates.h). */
static hop_status finish_classes(hop_lattice *L, char *msg, size_t msg_len)
{
    int ev = 0;
    if (L->n_classes < 0 || L->n_classes > HOP_MAX_CLASSES)
        FAIL("lattice %s: %d jump classes (at most %d)", L->name, L->n_classes, HOP_MAX_CLASSES);
    for (int c = 0; c < L->n_classes; ++c) {
        if (!memchr(L->class_name[c], '\0', HOP_LABEL_LEN) || !L->class_name[c][0])
            FAIL("lattice %s: jump class %d has no name", L->name, c);
        canonical_zero(&L->class_barrier[c], &L->class_barrier_ev[c]);
        ev |= L->class_barrier_ev[c];
    }
    for (int s = 0; s < L->n_sub; ++s) {
        canonical_zero(&L->site_energy[s], &L->site_energy_ev[s]);
        ev |= L->site_energy_ev[s];
        for (int k = 0; k < L->z_sub[s]; ++k) {
            const int c = L->jump_class[s][k];
            if (c < 0 || c >= L->n_classes)
                FAIL("lattice %s: jump %d of sublattice %s has no valid class", L->name, k,
                     L->sub_name[s]);
            if (c != L->jump_class[L->jump_sub[s][k]][L->jump_rev[s][k]])
                FAIL("lattice %s: jump %d of sublattice %s and its reverse are in different "
                     "classes (a bond has one class)", L->name, k, L->sub_name[s]);
        }
    }
    return ev ? HOP_OK : hop_lattice_derive_rates(L, 0, msg, msg_len);
}

/* Per-jump rates of a version-1 file: all given or none, and one rate per bond. */
static hop_status finish_jump_rates(hop_lattice *L, char *msg, size_t msg_len)
{
    for (int s = 0; s < L->n_sub; ++s) {
        L->rate_total[s] = 0;
        for (int k = L->z_sub[s]; k < L->z; ++k)
            if (L->rate[s][k] != 0)
                FAIL("lattice %s: sublattice %d has %d jumps, but a rate for jump %d", L->name,
                     s, L->z_sub[s], k);
        for (int k = 0; k < L->z_sub[s]; ++k) {
            const uint64_t w = L->rate[s][k];
            if ((w == 0) != (L->rate[0][0] == 0))
                FAIL("lattice %s: give a rate for every jump or for none", L->name);
            if (w != L->rate[L->jump_sub[s][k]][L->jump_rev[s][k]])
                FAIL("lattice %s: jump %d of sublattice %d and its reverse have different "
                     "rates (a bond has one rate)", L->name, k, s);
            L->rate_total[s] += w;
        }
    }
    hop_lattice_derive_choice(L);
    return hop_lattice_derive_polar(L, msg, msg_len);
}

/* Coordination per sublattice: a table's 0 is z; 1 <= z_sub[s] <= z with z the largest,
 * and the absent jumps (k >= z_sub[s], lattice.h) a zero vector in class 0 that leads
 * back to itself, with no rate. */
static hop_status finish_coordination(hop_lattice *L, char *msg, size_t msg_len)
{
    int largest = 0;
    for (int s = 0; s < HOP_MAX_SUB; ++s) {
        if (s >= L->n_sub) {
            if (L->z_sub[s] != 0)
                FAIL("lattice %s: coordination given for sublattice %d of %d", L->name, s,
                     L->n_sub);
            continue;
        }
        if (L->z_sub[s] == 0)
            L->z_sub[s] = L->z;
        if (L->z_sub[s] < 1 || L->z_sub[s] > L->z)
            FAIL("lattice %s: sublattice %d has %d jumps (1 .. z = %d)", L->name, s,
                 L->z_sub[s], L->z);
        largest = L->z_sub[s] > largest ? L->z_sub[s] : largest;
        for (int k = L->z_sub[s]; k < L->z; ++k) {
            if (L->jump[s][k][0] != 0 || L->jump[s][k][1] != 0 || L->jump[s][k][2] != 0)
                FAIL("lattice %s: sublattice %d has %d jumps, but a vector for jump %d",
                     L->name, s, L->z_sub[s], k);
            memset(L->jump_metric[s][k], 0, sizeof L->jump_metric[s][k]);
            L->jump_norm2[s][k] = 0;
            L->jump_sub[s][k] = s;
            L->jump_rev[s][k] = k;
            L->jump_class[s][k] = 0;
        }
    }
    if (largest != L->z)
        FAIL("lattice %s: z = %d, but no sublattice has that many jumps (z is the largest "
             "coordination)", L->name, L->z);
    return HOP_OK;
}

hop_status hop_lattice_finish(hop_lattice *L, char *msg, size_t msg_len)
{
    int several = 0;      /* jumps of several lengths */
    if (L->dim < 1 || L->dim > HOP_MAX_DIM || L->z < 1 || L->z > HOP_MAX_Z
        || L->n_sub < 1 || L->n_sub > HOP_MAX_SUB || L->n_basis < 1
        || L->n_basis > HOP_MAX_BASIS || L->metric_den < 1)
        FAIL("lattice %s: dimension, z, sublattices or basis out of range", L->name);
    if (finish_coordination(L, msg, msg_len) != HOP_OK)
        return HOP_ERR_INVAL;
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        for (int b = 0; b < HOP_MAX_DIM; ++b) {
            int m = 0;
            for (int c = 0; c < HOP_MAX_DIM; ++c)
                m += L->cart[c][a] * L->weight[c] * L->cart[c][b];
            L->metric[a][b] = m;
        }
    for (int b = 0; b < L->n_basis; ++b) {
        if (L->basis_sub[b] < 0 || L->basis_sub[b] >= L->n_sub)
            FAIL("lattice %s: basis site %d has no valid sublattice", L->name, b);
        for (int b2 = 0; b2 < b; ++b2)
            if (same_in_box(L->basis[b], L->basis[b2], L->cell))
                FAIL("lattice %s: basis sites %d and %d overlap", L->name, b2, b);
    }
    L->jump_len2 = 0;
    L->unit_len2 = 0;
    for (int b = 0; b < L->n_basis; ++b) {
        const int s = L->basis_sub[b];
        for (int k = 0; k < L->z_sub[s]; ++k) {
            int32_t y[HOP_MAX_DIM];
            int t, rev, minus[HOP_MAX_DIM];
            int64_t len2;
            for (int a = 0; a < HOP_MAX_DIM; ++a) {
                y[a] = L->basis[b][a] + L->jump[s][k][a];
                minus[a] = -L->jump[s][k][a];
                if (a >= L->dim && L->jump[s][k][a] != 0)
                    FAIL("lattice %s: jump %d leaves the lattice's dimension", L->name, k);
            }
            t = hop_lattice_site_index(L, y);
            if (t < 0)
                FAIL("lattice %s: jump %d of sublattice %d does not reach a site", L->name, k, s);
            rev = jump_index(L, L->basis_sub[t], minus);
            if (rev < 0)
                FAIL("lattice %s: jump %d of sublattice %d has no reverse", L->name, k, s);
            len2 = hop_lattice_norm2(L, L->jump[s][k]);
            if (len2 < 1 || len2 > INT32_MAX)
                FAIL("lattice %s: jump %d of sublattice %d has squared length %lld/%d (1 .. "
                     "2^31 - 1 over metric_den)", L->name, k, s, (long long)len2, L->metric_den);
            L->jump_norm2[s][k] = len2;
            if (L->unit_len2 == 0 || len2 < L->unit_len2)
                L->unit_len2 = len2;
            if (b == 0 && k == 0)
                L->jump_len2 = (int)len2;
            else if (len2 != L->jump_len2)
                several = 1;
            for (int a = 0; a < HOP_MAX_DIM; ++a) {
                L->jump_metric[s][k][a] = 0;
                for (int b2 = 0; b2 < HOP_MAX_DIM; ++b2)
                    L->jump_metric[s][k][a] += L->metric[a][b2] * L->jump[s][k][b2];
            }
            L->jump_sub[s][k] = L->basis_sub[t];
            L->jump_rev[s][k] = rev;
        }
    }
    if (several)
        L->jump_len2 = 0;
    if (finish_names(L, msg, msg_len) != HOP_OK
        || (L->n_classes ? finish_classes(L, msg, msg_len) : finish_jump_rates(L, msg, msg_len))
               != HOP_OK)
        return HOP_ERR_INVAL;
    L->min_size = 0;
    for (int size = 1; size <= 16 && !L->min_size; ++size)
        if (hop_lattice_box_valid(L, size))
            L->min_size = size;
    if (!L->min_size)
        FAIL("lattice %s: no valid periodic box up to 16 cells", L->name);
    return HOP_OK;
}

int hop_lattice_moment_isotropic(const hop_lattice *L, int *bad_a, int *bad_b)
{
    __extension__ typedef __int128 i128;   /* 2^6 sites x 2^32 x 2^32 x 2^20 x 2^27 x 2^9 < 2^127 */
    i128 m[HOP_MAX_DIM][HOP_MAX_DIM] = {{0}};
    for (int b = 0; b < L->n_basis; ++b) {
        const int s = L->basis_sub[b];
        const i128 occ = L->occupation[0] ? (i128)L->occupation[s] : 1;
        for (int k = 0; k < L->z_sub[s]; ++k) {
            const i128 w = occ * (L->rate_total[0] ? (i128)L->rate[s][k] : 1);
            int32_t j[HOP_MAX_DIM];
            for (int a = 0; a < HOP_MAX_DIM; ++a)
                j[a] = L->jump[s][k][a];
            for (int a = 0; a < L->dim; ++a)
                for (int c = 0; c < L->dim; ++c)
                    m[a][c] += w * hop_lattice_cart(L, j, a) * hop_lattice_cart(L, j, c);
        }
    }
    for (int a = 0; a < L->dim; ++a)
        for (int c = 0; c < L->dim; ++c)
            if ((a != c && m[a][c] != 0)
                || (a == c && (i128)L->weight[a] * m[a][a] != (i128)L->weight[0] * m[0][0])) {
                if (bad_a)
                    *bad_a = a;
                if (bad_b)
                    *bad_b = c;
                return 0;
            }
    return 1;
}

static hop_lattice registry[HOP_N_LATTICES];
static int registry_ready;

/* Derive all tables on first use.  The tables are part of the program, so a table
 * that fails validation is a bug: it is reported and the lattice left out. */
static void registry_init(void)
{
    #pragma omp critical(hop_lattice_registry)
    if (!registry_ready) {
        for (int i = 0; i < HOP_N_LATTICES; ++i) {
            char msg[160];
            registry[i] = hop_lattice_tables[i];
            if (hop_lattice_finish(&registry[i], msg, sizeof msg) != HOP_OK) {
                hop_error(HOP_ERR_INVAL, "%s", msg);
                registry[i].name[0] = '\0';
            }
        }
        registry_ready = 1;
    }
}

int hop_lattice_count(void)
{
    return HOP_N_LATTICES;
}

const hop_lattice *hop_lattice_get(int i)
{
    registry_init();
    return i >= 0 && i < HOP_N_LATTICES && registry[i].name[0] ? &registry[i] : NULL;
}

const hop_lattice *hop_lattice_find(const char *name)
{
    registry_init();
    for (int i = 0; i < HOP_N_LATTICES; ++i)
        if (registry[i].name[0] && strcmp(registry[i].name, name) == 0)
            return &registry[i];
    return NULL;
}

double hop_lattice_jump_length(const hop_lattice *L)
{
    return sqrt((double)L->unit_len2 / L->metric_den);
}

uint64_t hop_lattice_box_sites(const hop_lattice *L, int size)
{
    uint64_t n = (uint64_t)L->n_basis;
    for (int a = 0; a < L->dim; ++a)
        n *= (uint64_t)size;
    return n;
}

/* lattice.h: lattices as data.
 *
 * A lattice is a table: integer site coordinates in a lattice basis, a conventional
 * cell that is diagonal in those coordinates (so a periodic box is a per-axis modulus),
 * the sites of that cell with their sublattice labels, the jump vectors of each
 * sublattice, and an integer metric for lengths.  Adding a lattice is adding a table in
 * host/lattice/tables.c; nothing else in hop knows a lattice by name.
 *
 * Lengths.  Cartesian component a of an integer vector x is s_a (C x)_a with an integer
 * matrix C and scale factors s_a.  We store s_a^2 = weight[a] / metric_den (in units of
 * the lattice constant squared), so |x|^2 = sum_a weight[a] (C x)_a^2 / metric_den and
 * every squared length and every projected dot product is an exact integer divided by
 * metric_den.  This is what lets displacement statistics be accumulated in integers.
 *
 * The struct is plain data (fixed arrays, no pointers) so the CUDA backend can copy it
 * to constant memory unchanged. */
#ifndef HOP_LATTICE_H
#define HOP_LATTICE_H

#include "hop/hd.h"

#define HOP_MAX_DIM 3
/* Compile-time bounds, set by what the plain-data struct (copied whole into each GPU
 * block's shared memory, kernels/shared_lattice.cuh) can hold; host arrays sized by
 * jump types (n_sub z, up to HOP_MAX_TYPES) or corr tally slots are allocated. */
#define HOP_MAX_SUB 16                /* sublattices with distinct jump sets */
#define HOP_MAX_Z 24                  /* jumps per site (fcc nn + nnn is 18) */
#define HOP_MAX_TYPES (HOP_MAX_SUB * HOP_MAX_Z)
#define HOP_MAX_BASIS 64              /* sites per conventional cell */
#define HOP_MAX_GROUPS 3              /* principal components of the correlation tensor */
#define HOP_MAX_CLASSES 8             /* named jump classes, each with one rate and barrier */
#define HOP_LABEL_LEN 16              /* sublattice and class names, with their NUL */
/* Columns of a sublattice's alias table for the unequal-rate choice (hop_typed_pick,
 * step.h): a power of two, at least HOP_MAX_Z, so a word's top HOP_CHOICE_BITS bits
 * pick a column without a multiplication or a division. */
#define HOP_CHOICE_BITS 5
#define HOP_CHOICE_COLUMNS (1 << HOP_CHOICE_BITS)
#if HOP_MAX_Z > HOP_CHOICE_COLUMNS
#  error "HOP_CHOICE_BITS too small for HOP_MAX_Z jumps"
#endif
/* An entry of choice_next: the sublattice reached above this shift, the jump's index in
 * the [s][k] tables below it. */
#define HOP_CHOICE_TO_SHIFT 12
#if HOP_MAX_SUB * HOP_MAX_Z > (1 << HOP_CHOICE_TO_SHIFT) || HOP_MAX_SUB > (1 << (16 - HOP_CHOICE_TO_SHIFT))
#  error "choice_next entries too narrow for HOP_MAX_SUB x HOP_MAX_Z jumps"
#endif

typedef struct {
    char name[16];
    char cell_name[16];       /* what the conventional cell is, for `hop lattices` */
    int dim;                  /* 1, 2 or 3; unused coordinates are 0 */
    int z;                    /* jumps per site: the largest coordination of any sublattice, the
                               * row length of every [s][k] table (jump type i = s z + k) */
    int n_sub;                /* sublattices (sites with different jump vectors) */
    /* Jumps of sublattice s: its coordination.  Jumps k >= z_sub[s] are absent: a zero
     * vector, rate 0 (rate_total != 0 whenever two sublattices differ, so the step code
     * draws from the rates and never chooses them), jump_sub[s][k] = s and
     * jump_rev[s][k] = k.  0 in a table means z (hop_lattice_finish fills it in). */
    int z_sub[HOP_MAX_SUB];
    int cell[HOP_MAX_DIM];    /* conventional cell edges in integer coordinates; 1 if unused */
    int n_basis;              /* sites per conventional cell */
    int basis[HOP_MAX_BASIS][HOP_MAX_DIM];
    int basis_sub[HOP_MAX_BASIS];
    int jump[HOP_MAX_SUB][HOP_MAX_Z][HOP_MAX_DIM];
    int cart[HOP_MAX_DIM][HOP_MAX_DIM];  /* C: Cartesian axis a is proportional to (C x)_a */
    int weight[HOP_MAX_DIM];             /* s_a^2 * metric_den */
    int metric_den;
    int n_groups;                        /* principal components reported for f */
    int group_of_axis[HOP_MAX_DIM];      /* Cartesian axis -> component */
    char group_name[HOP_MAX_GROUPS][8];  /* "x", "y", "z"; for hcp "x" is the basal plane */
    int isotropic;                       /* symmetry makes the f tensor a scalar */
    /* Optional per-jump exchange rates (lattice files): rate[s][k] is the relative rate
     * of the vacancy's jump k from sublattice s as an integer weight, the largest 2^32;
     * all 0 means equal rates.  A bond has one rate: rate[s][k] equals the rate of the
     * reverse jump (detailed balance with equal site energies). */
    uint64_t rate[HOP_MAX_SUB][HOP_MAX_Z];
    /* Jump classes and site energies (lattice-file version 2, docs/lattice-files.md).
     * The vacancy's jump k from sublattice s to t = jump_sub[s][k] in class
     * c = jump_class[s][k] has rate
     *     Gamma = class_rate[c] exp(-class_barrier[c] - (site_energy[t] - site_energy[s]) / 2)
     * (energies in kT), which hop_lattice_apply_rates (lattice/rates.h) turns into
     * rate[][] above.  A jump and its reverse are in one class, so the rates obey
     * detailed balance with the vacancy's occupation of s proportional to
     * n_s exp(-site_energy[s]).  n_classes = 0 only for a version-1 file with per-jump
     * rates (rate[][] is then the file's, and there are no classes to change);
     * otherwise hop_lattice_finish gives a table without classes the one class "nn". */
    int n_classes;
    char class_name[HOP_MAX_CLASSES][HOP_LABEL_LEN];
    double class_rate[HOP_MAX_CLASSES];       /* relative prefactor R_c > 0 */
    double class_barrier[HOP_MAX_CLASSES];    /* B_c: in kT, or eV where class_barrier_ev */
    int jump_class[HOP_MAX_SUB][HOP_MAX_Z];
    double site_energy[HOP_MAX_SUB];          /* E_s: in kT, or eV where site_energy_ev */
    char sub_name[HOP_MAX_SUB][HOP_LABEL_LEN];  /* sublattice labels; "A", "B" ... by default */
    unsigned char site_energy_ev[HOP_MAX_SUB];  /* 1: site_energy[s] is in eV (needs --T) */
    unsigned char class_barrier_ev[HOP_MAX_CLASSES];

    /* Derived by hop_lattice_finish(); never written in a table. */
    int jump_sub[HOP_MAX_SUB][HOP_MAX_Z];  /* sublattice reached by jump k from sublattice s */
    int jump_rev[HOP_MAX_SUB][HOP_MAX_Z];  /* index of -jump[s][k] in jump[jump_sub[s][k]] */
    int metric[HOP_MAX_DIM][HOP_MAX_DIM];  /* M = C^T diag(weight) C: |x|^2 = x^T M x / metric_den */
    int jump_metric[HOP_MAX_SUB][HOP_MAX_Z][HOP_MAX_DIM];  /* M jump[s][k], for updating |x|^2 */
    int jump_len2;                         /* x^T M x of every jump when all are equally long;
                                            * 0 for jumps of several lengths (then look up
                                            * jump_norm2, as the non-hot paths always do) */
    int64_t jump_norm2[HOP_MAX_SUB][HOP_MAX_Z];  /* x^T M x of jump k of sublattice s */
    int64_t unit_len2;                     /* the shortest jump's x^T M x: the unit of
                                            * truncation radii ("jump lengths") */
    int min_size;                          /* smallest periodic box, in cells, that is a valid lattice */
    uint64_t rate_total[HOP_MAX_SUB];      /* sum of rate[s][.]; 0 with equal rates */
    uint64_t occupation[HOP_MAX_SUB];      /* the vacancy's equilibrium occupation of a site of
                                            * s, e^{-E_s}, as an integer weight (the largest
                                            * 2^32); all 0 when every E_s is equal (uniform) */
    /* The choice of the vacancy's jump in proportion to rate[s][] (derived from the
     * rates by hop_lattice_derive_choice, lattice/rates.h; all 0 with equal rates): per
     * sublattice s a Walker alias table of HOP_CHOICE_COLUMNS columns, each holding a
     * 2^-HOP_CHOICE_BITS share of the probability.  Column c keeps jump c with
     * probability T / 2^(64 - HOP_CHOICE_BITS) and gives the rest to its alias, with
     * T = (choice_cut[s][c] >> HOP_CHOICE_BITS) 2^32 + choice_cut_low[s][c] and the
     * alias in the low HOP_CHOICE_BITS bits of choice_cut[s][c].  Jump k is then chosen
     * with probability exactly q_k / 2^64, q_k = rate[s][k] 2^64 / rate_total[s]
     * rounded to integers summing to 2^64 (|error| < 2^-64); a jump of rate 0 never. */
    uint32_t choice_cut[HOP_MAX_SUB][HOP_CHOICE_COLUMNS];
    uint32_t choice_cut_low[HOP_MAX_SUB][HOP_CHOICE_COLUMNS];
    /* The sublattice reached by column c's own jump [0] and by its alias [1]: read beside
     * choice_cut, so the vacancy's next sublattice waits for one table read, not two
     * (the msd's typed step, hop_typed_pick_to). */
    uint8_t choice_sub[HOP_MAX_SUB][HOP_CHOICE_COLUMNS][2];
    /* Column c's own jump [0] and its alias [1] as the corr step reads them, beside
     * choice_cut: jump k of sublattice s as (jump_sub[s][k] << HOP_CHOICE_TO_SHIFT) |
     * (s HOP_MAX_Z + k), the sublattice it reaches and its index in the [s][k] tables read
     * as one row (hop_lattice_entry, step.h); a column c >= z holds its alias in both.
     * So the vacancy's next sublattice and the jump's vectors wait for one read of the
     * column beside its threshold, not for the jump's index and then the sublattice's
     * rows (the typed corr step's dependency chain, hop_typed_exchange). */
    uint16_t choice_next[HOP_MAX_SUB][HOP_CHOICE_COLUMNS][2];
    uint64_t residence[HOP_MAX_SUB];       /* floor((2^64 - 1) / rate_total[s]): the mean
                                            * residence time on s in units of 2^-32 / w_max
                                            * (hop_msd_params); 0 with equal rates */
    /* 1 + the first sublattice whose site symmetry leaves a vector invariant (a polar
     * site: the symmetries of the network with its rates and occupations that fix one
     * of its sites, as hop_lattice_derive_polar finds them, lattice/polar.h); 0 when
     * no site is polar.  On a polar site the vacancy's later visits carry a mean
     * displacement of the tracer, which the jump-chain formula of the corr estimator
     * and the exact solver leaves out (stats/corr.c): the vacancy model refuses them. */
    int polar_site;
    /* 1 + the first sublattice whose jumps have a mean, sum_k rate[s][k] e_k != 0 (1 each
     * with equal rates; exact integers); 0 when none.  Then the walk's (or the vacancy's
     * own) successive jumps are correlated, its D is not the uncorrelated one and the
     * random model's f is not 1.  A drifting site is polar (the sum is a vector the site's
     * symmetries leave invariant), not the reverse: tests/lattices/sc-pairs.lat with
     * `--rate short=2` is polar without a drift. */
    int drift_site;
} hop_lattice;

/* Share of tracer jumps that are of type i = s z + k in equilibrium (the vacancy's jump
 * k from sublattice s, exchanging with the tracer): proportional to the sites of
 * sublattice s, the vacancy's occupation of them (e^{-E_s}) and the jump's rate (1 each
 * with equal rates and energies; 0 for an absent jump, k >= z_sub[s]). */
HOP_HD double hop_lattice_type_weight(const hop_lattice *L, int i)
{
    const int s = i / L->z, k = i % L->z;
    double sites = 0, norm = 0;
    for (int b = 0; b < L->n_basis; ++b)
        sites += L->basis_sub[b] == s;
    for (int t = 0; t < L->n_sub; ++t) {
        double n_t = 0;
        for (int b = 0; b < L->n_basis; ++b)
            n_t += L->basis_sub[b] == t;
        if (L->occupation[0])
            n_t *= (double)L->occupation[t];
        for (int j = 0; j < L->z; ++j)
            norm += n_t * (L->rate_total[0] ? (double)L->rate[t][j] : 1.0);
    }
    if (L->occupation[0])
        sites *= (double)L->occupation[s];
    return sites * (L->rate_total[0] ? (double)L->rate[s][k] : 1.0) / norm;
}

/* Whether sublattice s has a jump k (k < z_sub[s]; every k < z where all sublattices
 * have the same coordination). */
HOP_HD int hop_lattice_has_jump(const hop_lattice *L, int s, int k)
{
    return k < L->z_sub[s];
}

/* Whether every sublattice of L has the same coordination z. */
HOP_HD int hop_lattice_uniform_z(const hop_lattice *L)
{
    for (int s = 0; s < L->n_sub; ++s)
        if (L->z_sub[s] != L->z)
            return 0;
    return 1;
}

/* Cartesian axes in principal component g (a_g: D_g = MSD_g / (2 a_g t)). */
HOP_HD int hop_lattice_group_axes(const hop_lattice *L, int g)
{
    int n = 0;
    for (int a = 0; a < L->dim; ++a)
        n += L->group_of_axis[a] == g;
    return n;
}

/* Whether every jump of L has the same length (jump_len2 then holds it). */
HOP_HD int hop_lattice_one_length(const hop_lattice *L)
{
    return L->jump_len2 != 0;
}

/* x^T M x: squared length of x times metric_den. */
HOP_HD int64_t hop_lattice_norm2(const hop_lattice *L, const int32_t *x)
{
    int64_t s = 0;
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        for (int b = 0; b < HOP_MAX_DIM; ++b)
            s += (int64_t)L->metric[a][b] * x[a] * x[b];
    return s;
}

/* (C x)_a: the Cartesian component a of x, up to the scale factor s_a. */
HOP_HD int64_t hop_lattice_cart(const hop_lattice *L, const int32_t *x, int a)
{
    return (int64_t)L->cart[a][0] * x[0] + (int64_t)L->cart[a][1] * x[1]
         + (int64_t)L->cart[a][2] * x[2];
}

/* Dot product of x and y projected on principal component g (g < 0: all of space),
 * times metric_den: sum over the axes a of g of weight[a] (C x)_a (C y)_a. */
HOP_HD int64_t hop_lattice_dot(const hop_lattice *L, const int32_t *x, const int32_t *y, int g)
{
    int64_t s = 0;
    for (int a = 0; a < L->dim; ++a)
        if (g < 0 || L->group_of_axis[a] == g)
            s += L->weight[a] * hop_lattice_cart(L, x, a) * hop_lattice_cart(L, y, a);
    return s;
}

#endif

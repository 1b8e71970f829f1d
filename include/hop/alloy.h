/* alloy.h: the per-step physics of the concentrated alloy (`hop run --model alloy`),
 * shared by the CPU backend (host/backend/cpu_alloy.c) and, later, a kernel.
 *
 * Model.  A periodic box of n_sites sites holds atoms of n_species species (counts
 * fixed: the composition is exact) and n_vacancies vacancies, arranged uniformly at
 * random at the start (a partial Fisher-Yates shuffle: the equilibrium arrangement of
 * a random alloy).  A vacancy exchanges with a neighbouring atom of species s at rate
 * w_s; vacancy-vacancy exchanges do not happen.  The reverse of every exchange is the
 * same atom exchanging back at the same rate, so the uniform arrangement is stationary
 * (detailed balance) and the random start needs no equilibration.
 *
 * Algorithm: residence time (BKL, n-fold way) on integer rates, as the solute model
 * (step.h, hop_rates).  weight[s] is w_s as an integer, the largest rate 2^32 (a rate
 * is kept to 2^-32 w_max / w_s relative); weight[n_species] = 0 is the vacancy's
 * "species".  rate[v] = the sum of the weights of vacancy v's z neighbours; the total R
 * is their sum.  An event draws one 64-bit number u, takes floor(u R / 2^64) and picks
 * the vacancy, then its neighbour, whose cumulative-weight interval holds it: every
 * exchange has probability weight / R exact to R / 2^64 relative.  The clock advances
 * by the mean residence time 1/R as the integer floor((2^64 - 1) / R) ticks, one tick
 * 2^-32 / w_max (host: time_unit): the expectation of the waiting time given the path,
 * which leaves every long-time average unchanged and removes the waiting-time noise;
 * the floor is exact to R / 2^64 relative (< 2^-20 for the bounded vacancy count).  A
 * state with R = 0 (every vacancy walled in by atoms of rate 0) is absorbing: the
 * remaining time points record it.
 *
 * State, per replica (caller-provided workspace, hop_alloy_work): occ[site] holds the
 * occupant code, atom id (>= 0) or -1 - vacancy id; species[site] the occupant's species
 * (n_species: a vacancy); weight_at[site] its integer rate weight[species[site]] (0 for
 * a vacancy); vpos[v] the site of vacancy v; near[HOP_MAX_Z v + k] the
 * integer rates of vacancy v's exchanges 0 .. k summed, rate[v] the sum of all z;
 * disp[3 j] the unwrapped integer displacement of atom j (j < n_atoms) or of vacancy
 * j - n_atoms.  Atom ids are grouped by species: species s holds ids [first[s],
 * first[s + 1]).  The box is the lattice gas's tables (gas.h, hop_gas_box: neighbour
 * sites and sublattices).
 *
 * Cost (the random alloy, fcc A50B50: about 18 ns an exchange on one CPU core, 2026,
 * bound by the chain of dependent steps more than by the instruction count): an exchange
 * picks its neighbour from the stored cumulative rates by counting those not above u (z
 * independent subtractions and shifts: no compare, branch or conditional move for a
 * compiler to rearrange), moves the two occupants and refills one row, the mover's at
 * its new site, from the neighbours' weight_at (no species-to-weight load on the chain);
 * another vacancy's row is refilled only when the exchange touched one of its
 * neighbours.  Nothing else is updated per exchange: the species' summed displacements
 * and the pair counts are formed at the time points only.  The loop over exchanges
 * (hop_alloy_advance) is specialised on z, the general path and a lone vacancy, and the
 * CPU backend compiles each specialisation as a function of its own, apart from the
 * records and the start, so its code does not move with edits elsewhere.
 *
 * Jump classes of unequal rates (classed = 1; lattice files, docs/lattice-files.md).  The
 * exchange of the vacancy at a with its neighbour k holding species s, along jump k of
 * a's sublattice in class c = jump_class[sub(a)][k], has rate w_s Gamma_c with Gamma_c =
 * R_c exp(-B_c) (no site energies: the host refuses them).  A jump and its reverse share
 * their class, so the rate of a bond is that of its reverse and the uniform arrangement
 * stays stationary.  class_weight[s][c] is w_s Gamma_c as an integer, the largest 2^32;
 * class_factor[c] is Gamma_c over the largest.  Such a run takes the general path (ia =
 * 1, every rate through hop_alloy_rate); the equal-rate path is untouched.
 *
 * Pair energies (interacting = 1).  With nearest-neighbour pair energies eps(s, t) (kT;
 * 0 with a vacancy) an exchange that moves an atom of species s from b to the vacancy's
 * site a changes the energy by dE = sum_t d_t eps(s, t), d_t the atoms of species t
 * around a (b excepted) less those around b, and happens at rate w_s exp(-dE/2): the
 * kinetically resolved barrier E_m,s + dE/2, so forward and backward rates have the
 * ratio exp(-dE) (detailed balance with exp(-E)).  The rate is the product, in a fixed
 * order, of w_s's double weight scale[s], the class's class_factor[c] (1 without
 * classes: the product is exact) and the host's table factor[s][t][d_t + z] =
 * exp(-eps(s, t) d_t / 2), truncated to an integer: only IEEE products, which every
 * backend rounds alike, so the integers are the same everywhere.  The random start is
 * then not in equilibrium: the dynamics itself runs equil_ticks first, and displacements
 * and the clock start after it.  The rates depend on the neighbours' neighbours, so the
 * workspace keeps count[x n_species + t], the atoms of species t around site x: then
 * d_t = count[a][t] - [t = s] - count[b][t] without a walk over the neighbours'
 * neighbours, an exchange updates the 2 z counts around its two sites, and every
 * vacancy's row is refilled from them (2 z count loads and z n_species products a row:
 * far fewer than the z^2 species loads the rates are defined by; the same integers). *
 * Row (hop_msd_accum layout; K time points; n = n_species, E = n + 1 entities, the
 * vacancy last): series
 *   q = e            (e < E) sum over the atoms of species e (e = n: over the
 *                    vacancies) of |d|^2                               (tracer)
 *   q = E + P(i, j)  dR_i . dR_j for i <= j < E, P the row-major index of the upper
 *                    triangle, dR_e the summed displacement of entity e (collective)
 *   q = E + E(E+1)/2 + B(s, t)  the nearest-neighbour pairs of atoms of species s and
 *                    t, s <= t < n (B the upper triangle's index), for the short-range
 *                    order
 *   q = S0 + e G' + g  (S0 = the series above, G' = groups: 0 where the lattice is
 *                    isotropic) the tracer sum of entity e projected on
 *                    component g (hop_lattice_dot), for f per principal axis
 * squared lengths times metric_den (lattice.h), exact integers; then row[S K] the exchanges made
 * and row[S K + 1] the same (the accumulators' two counters).  Since every exchange
 * moves an atom by -e and the vacancy by +e, sum_e dR_e = 0 exactly: the collective
 * series of every row obey sum_j dR_i . dR_j = 0 for every i (tested).
 *
 * Random numbers come from the replica's hop_rng (seed, subsequence = global replica
 * index), two words an exchange in the stream's order, drawn HOP_WORD_BATCH at a time
 * (hop_alloy_draw); every decision is integer, so every backend makes the
 * same choices bit for bit.  No globals, allocation or I/O; C99 and CUDA C++. */
#ifndef HOP_ALLOY_H
#define HOP_ALLOY_H

#include <stddef.h>
#include "hop/gas.h"

#define HOP_ALLOY_ENTITIES (HOP_ALLOY_MAX_SPECIES + 1)     /* species and the vacancy */
#define HOP_ALLOY_PAIRS (HOP_ALLOY_ENTITIES * (HOP_ALLOY_ENTITIES + 1) / 2)
#define HOP_ALLOY_BONDS (HOP_ALLOY_MAX_SPECIES * (HOP_ALLOY_MAX_SPECIES + 1) / 2)
#define HOP_ALLOY_MAX_SERIES (HOP_ALLOY_ENTITIES + HOP_ALLOY_PAIRS + HOP_ALLOY_BONDS \
                              + HOP_ALLOY_ENTITIES * HOP_MAX_GROUPS)
#define HOP_ALLOY_FACTORS (2 * HOP_MAX_Z + 1)     /* d in -z .. z */
#define HOP_ALLOY_MAX_ROW (HOP_ALLOY_MAX_SERIES * HOP_MAX_TIMES + 2)
#define HOP_ALLOY_MAX_VACANCIES 64     /* R <= 64 z 2^32 < 2^42: clock exact to 2^-22 */

typedef struct {
    int32_t n_sites, n_atoms, n_vacancies, n_species;
    int32_t first[HOP_ALLOY_ENTITIES];          /* ids of species s: [first[s], first[s + 1]) */
    uint64_t weight[HOP_ALLOY_ENTITIES];        /* integer rate by species; [n_species] = 0 */
    int32_t interacting;                        /* pair energies (file comment) */
    double scale[HOP_ALLOY_ENTITIES];           /* interacting: w_s's weight at dE = 0 */
    double factor[HOP_ALLOY_MAX_SPECIES][HOP_ALLOY_MAX_SPECIES][HOP_ALLOY_FACTORS];
    int64_t equil_ticks;                        /* interacting: run before the clock starts */
    int32_t classed;                            /* jump classes of unequal rates (file comment) */
    uint8_t jump_class[HOP_MAX_SUB][HOP_MAX_Z];  /* classed: the class of jump k of sublattice s */
    uint64_t class_weight[HOP_ALLOY_ENTITIES][HOP_MAX_CLASSES];  /* classed: w_s Gamma_c */
    double class_factor[HOP_MAX_CLASSES];       /* Gamma_c / max Gamma (1 without classes) */
    int32_t groups;                             /* G': per-axis series (0: isotropic) */
    int n_times;                                /* 1..HOP_MAX_TIMES */
    int64_t time_ticks[HOP_MAX_TIMES];          /* strictly increasing, >= 1 */
    double time_unit;                           /* one tick in the reduced time unit (host) */
} hop_alloy_params;

/* A replica's workspace; see the file comment. */
typedef struct {
    int32_t *occ;               /* n_sites */
    int32_t *species;           /* n_sites */
    int32_t *vpos;              /* n_vacancies */
    int32_t *disp;              /* 3 n_sites */
    uint64_t *rate;             /* n_vacancies */
    uint64_t *near;             /* HOP_MAX_Z n_vacancies: vacancy v's cumulative rates */
    uint64_t *weight_at;        /* n_sites: weight[species[site]], the random alloy's rates */
    uint8_t *count;             /* interacting: n_sites n_species (else not carved) */
} hop_alloy_work;

typedef struct {
    hop_rng rng;
    uint64_t total;             /* sum of rate[] */
    int64_t ticks;              /* the clock */
    int64_t exchanges;
    uint32_t words[HOP_WORD_BATCH];     /* drawn ahead from rng, in the stream's order */
    int32_t used;               /* words[0 .. used) consumed */
} hop_alloy_state;

/* Entities E and series S of an alloy of n species (file comment). */
HOP_HD int hop_alloy_entities(int n_species)
{
    return n_species + 1;
}

HOP_HD int hop_alloy_series(int n_species)
{
    const int E = n_species + 1;
    return E + E * (E + 1) / 2 + n_species * (n_species + 1) / 2;
}

/* Series of the pair count of species s <= t < n. */
HOP_HD int hop_alloy_bond_series(int n_species, int s, int t)
{
    const int E = n_species + 1;
    return E + E * (E + 1) / 2 + s * n_species - s * (s - 1) / 2 + (t - s);
}

/* Series of the collective product dR_i . dR_j, i <= j < E. */
HOP_HD int hop_alloy_pair_series(int n_species, int i, int j)
{
    const int E = n_species + 1;
    return E + i * E - i * (i - 1) / 2 + (j - i);
}

/* All the series of p's rows: hop_alloy_series and the per-axis ones. */
HOP_HD int hop_alloy_row_series(const hop_alloy_params *p)
{
    return hop_alloy_series(p->n_species) + (p->n_species + 1) * p->groups;
}

HOP_HD int hop_alloy_row_len(const hop_alloy_params *p)
{
    return hop_alloy_row_series(p) * p->n_times + 2;
}

/* Bytes of a contiguous workspace for p (uint64 rates first, for alignment; the pair
 * energies' neighbour counts last, only where there are pair energies). */
HOP_HD size_t hop_alloy_work_bytes(const hop_alloy_params *p)
{
    const size_t counts = p->interacting ? (size_t)p->n_sites * (size_t)p->n_species : 0;
    return ((size_t)p->n_vacancies * (1 + HOP_MAX_Z) + (size_t)p->n_sites) * sizeof(uint64_t)
           + (5 * (size_t)p->n_sites + (size_t)p->n_vacancies) * sizeof(int32_t) + counts;
}

/* Point w into space (hop_alloy_work_bytes(p) bytes, 8-byte aligned). */
HOP_HD void hop_alloy_work_carve(const hop_alloy_params *p, void *space, hop_alloy_work *w)
{
    int32_t *ints;
    w->rate = (uint64_t *)space;
    w->near = w->rate + p->n_vacancies;
    w->weight_at = w->near + (size_t)p->n_vacancies * HOP_MAX_Z;
    ints = (int32_t *)(w->weight_at + p->n_sites);
    w->occ = ints;
    w->species = ints + p->n_sites;
    w->disp = ints + 2 * (size_t)p->n_sites;
    w->vpos = ints + 5 * (size_t)p->n_sites;
    w->count = (uint8_t *)(w->vpos + p->n_vacancies);
}

/* Species of atom id (ids grouped by species). */
HOP_HD int hop_alloy_species_of(const hop_alloy_params *p, int32_t id)
{
    int s = 0;
    while (s < p->n_species - 1 && id >= p->first[s + 1])
        ++s;
    return s;
}

/* The integer rate of the exchange of the vacancy at a with the atom of species s at its
 * neighbour b along a jump of class c, with pair energies: w_s Gamma_c exp(-dE/2) as the
 * file comment says, d_t from the neighbour counts. */
HOP_HD uint64_t hop_alloy_pair_rate(const hop_alloy_params *p, const hop_alloy_work *w, int z,
                                    int32_t a, int32_t b, int s, int c)
{
    const int n = p->n_species;
    const uint8_t *ca = w->count + (int64_t)a * n, *cb = w->count + (int64_t)b * n;
    double g = p->scale[s] * p->class_factor[c];     /* class_factor 1 without classes */
    for (int t = 0; t < n; ++t)
        g *= p->factor[s][t][(int)ca[t] - (t == s) - (int)cb[t] + z];
    return (uint64_t)g;
}

/* The integer rate of exchange k of the vacancy at a with the occupant of species s of
 * its neighbour b, on the general path (pair energies or classes): w_s Gamma_c, times
 * exp(-dE/2) with pair energies (0 with a vacancy there). */
HOP_HD uint64_t hop_alloy_rate(const hop_alloy_params *p, const hop_gas_box *box,
                               const hop_alloy_work *w, int z, int32_t a, int k, int32_t b, int s)
{
    const int c = p->classed ? p->jump_class[box->sub[a]][k] : 0;
    if (!p->interacting || s == p->n_species)
        return p->classed ? p->class_weight[s][c] : p->weight[s];
    return hop_alloy_pair_rate(p, w, z, a, b, s, c);
}

/* Fill row[0 .. z) with the cumulative rates of the z exchanges of the vacancy at site
 * a (row[k] = the sum of the rates of exchanges 0 .. k) and return their sum, row[z - 1];
 * ia is p->interacting || p->classed (the general path), a compile-time constant at the
 * call sites (as z), so the random alloy's loops carry no trace of pair energies or
 * classes. */
HOP_HD uint64_t hop_alloy_fill_near(const hop_alloy_params *p, const hop_gas_box *box,
                                    const hop_alloy_work *w, int z, int32_t a, int ia,
                                    uint64_t *row)
{
    const int32_t *nbr = box->nbr + (int64_t)a * z;
    uint64_t r = 0;
    for (int k = 0; k < z; ++k) {
        const int32_t b = nbr[k];
        const int s = w->species[b];
        r += !ia ? w->weight_at[b] : hop_alloy_rate(p, box, w, z, a, k, b, s);
        row[k] = r;
    }
    return r;
}

/* The exchange k of a vacancy whose cumulative rates are row[] that holds u (< row[z -
 * 1]): the number of row[j], j < z - 1, not above u (the same k as walking the
 * intervals in order; zero rates are empty intervals).  Every rate is below 2^63, so
 * row[j] <= u exactly when row[j] - (u + 1) wraps, i.e. has its top bit set: the count
 * is z - 1 independent subtractions and shifts summed, a fixed shape with no compare,
 * branch or conditional move for a compiler to rearrange, whose latency after u is
 * known is a subtraction, a shift and the sum. */
HOP_HD int hop_alloy_pick(const uint64_t *row, int z, uint64_t u)
{
    const uint64_t above = u + 1;
    uint64_t k = 0;
    for (int j = 0; j < z - 1; ++j)
        k += (row[j] - above) >> 63;
    return (int)k;
}

/* Refill the rates of the vacancy at site x, if one is there. */
HOP_HD void hop_alloy_refill(const hop_alloy_params *p, const hop_gas_box *box,
                             hop_alloy_work *w, int z, int32_t x, int ia)
{
    if (w->occ[x] < 0) {
        const int32_t v = -1 - w->occ[x];
        w->rate[v] = hop_alloy_fill_near(p, box, w, z, x, ia, w->near + (int64_t)v * HOP_MAX_Z);
    }
}
/* Start replica `replica`: stream (seed, replica), uniform random arrangement with the
 * exact composition, displacements zero, the neighbour counts (pair energies) and the
 * vacancies' rates. */
HOP_HD void hop_alloy_begin(const hop_lattice *L, const hop_alloy_params *p,
                            const hop_gas_box *box, uint64_t seed, uint64_t replica,
                            hop_alloy_work *w, hop_alloy_state *st)
{
    const int z = L->z, n = p->n_species;
    int32_t *perm = w->disp;        /* scratch: 3 n_sites >= n_sites ints */
    hop_rng_init(&st->rng, seed, replica);
    for (int32_t s = 0; s < p->n_sites; ++s)
        perm[s] = s;
    for (int32_t i = 0; i < p->n_sites - 1; ++i) {
        const int32_t j = i + (int32_t)hop_rng_below(&st->rng, (uint32_t)(p->n_sites - i));
        const int32_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (int32_t i = 0; i < p->n_sites; ++i) {
        const int32_t site = perm[i];
        if (i < p->n_atoms) {
            w->occ[site] = i;
            w->species[site] = hop_alloy_species_of(p, i);
        } else {
            w->occ[site] = p->n_atoms - 1 - i;     /* -1 - vacancy id */
            w->species[site] = n;
            w->vpos[i - p->n_atoms] = site;
        }
        w->weight_at[site] = p->weight[w->species[site]];
    }
    for (int32_t j = 0; j < 3 * p->n_sites; ++j)
        w->disp[j] = 0;
    if (p->interacting)
        for (int32_t x = 0; x < p->n_sites; ++x) {
            uint8_t *c = w->count + (int64_t)x * n;
            for (int t = 0; t < n; ++t)
                c[t] = 0;
            for (int k = 0; k < z; ++k) {
                const int s = w->species[box->nbr[(int64_t)x * z + k]];
                if (s < n)
                    ++c[s];
            }
        }
    st->total = 0;
    for (int32_t v = 0; v < p->n_vacancies; ++v) {
        w->rate[v] = hop_alloy_fill_near(p, box, w, z, w->vpos[v], p->interacting || p->classed,
                                         w->near + (int64_t)v * HOP_MAX_Z);
        st->total += w->rate[v];
    }
    st->ticks = 0;
    st->exchanges = 0;
    st->used = HOP_WORD_BATCH;
}

/* The nearest-neighbour pairs of atoms of species s <= t at time point i (K points)
 * into row.  Over the atoms x: the species around x packed 8 bits a species
 * (code[t] = 2^(8 t), a vacancy 0; z < 256) and added to ordered[s_x][t]; the box's
 * neighbour relation is symmetric, so a pair of unlike species is counted once from
 * each end and a pair of like species twice. */
HOP_HD void hop_alloy_record_pairs(const hop_lattice *L, const hop_alloy_params *p,
                                   const hop_gas_box *box, const hop_alloy_work *w, int i,
                                   int K, int64_t *row)
{
    const int n = p->n_species, z = L->z;
    uint64_t code[HOP_ALLOY_ENTITIES];
    int64_t ordered[HOP_ALLOY_MAX_SPECIES][HOP_ALLOY_MAX_SPECIES];
    for (int s = 0; s < n; ++s) {
        code[s] = (uint64_t)1 << (8 * s);
        for (int t = 0; t < n; ++t)
            ordered[s][t] = 0;
    }
    code[n] = 0;
    for (int32_t x = 0; x < p->n_sites; ++x) {
        const int sx = w->species[x];
        const int32_t *nbr = box->nbr + (int64_t)x * z;
        uint64_t around = 0;
        if (sx == n)
            continue;
        for (int k = 0; k < z; ++k)
            around += code[w->species[nbr[k]]];
        for (int t = 0; t < n; ++t)
            ordered[sx][t] += (int64_t)((around >> (8 * t)) & 255);
    }
    for (int s = 0; s < n; ++s)
        for (int t = s; t < n; ++t)
            row[(int64_t)hop_alloy_bond_series(n, s, t) * K + i]
                = s == t ? ordered[s][s] / 2 : ordered[s][t];
}

/* Write the series of time point i (K points) into row (file comment). */
HOP_HD void hop_alloy_record(const hop_lattice *L, const hop_alloy_params *p,
                             const hop_gas_box *box, const hop_alloy_work *w, int i, int K,
                             int64_t *row)
{
    const int E = p->n_species + 1;
    int64_t sum[HOP_ALLOY_ENTITIES][HOP_MAX_DIM];
    for (int e = 0; e < E; ++e) {
        const int32_t j0 = e < p->n_species ? p->first[e] : p->n_atoms;
        const int32_t j1 = e < p->n_species ? p->first[e + 1] : p->n_sites;
        int64_t tracer = 0;
        for (int c = 0; c < HOP_MAX_DIM; ++c)
            sum[e][c] = 0;
        for (int32_t j = j0; j < j1; ++j) {
            const int32_t *d = w->disp + 3 * (int64_t)j;
            tracer += hop_lattice_norm2(L, d);
            for (int c = 0; c < HOP_MAX_DIM; ++c)
                sum[e][c] += d[c];
        }
        row[(int64_t)e * K + i] = tracer;
        for (int g = 0; g < p->groups; ++g) {
            int64_t part = 0;
            for (int32_t j = j0; j < j1; ++j) {
                const int32_t *d = w->disp + 3 * (int64_t)j;
                part += hop_lattice_dot(L, d, d, g);
            }
            row[(int64_t)(hop_alloy_series(p->n_species) + e * p->groups + g) * K + i] = part;
        }
    }
    for (int a = 0; a < E; ++a)
        for (int b = a; b < E; ++b) {
            int64_t dot = 0;
            for (int x = 0; x < HOP_MAX_DIM; ++x)
                for (int y = 0; y < HOP_MAX_DIM; ++y)
                    dot += L->metric[x][y] * sum[a][x] * sum[b][y];
            row[(int64_t)hop_alloy_pair_series(p->n_species, a, b) * K + i] = dot;
        }
    hop_alloy_record_pairs(L, p, box, w, i, K, row);
}

/* The random alloy's exchange of the vacancy v at a with its neighbour k at b (no pair
 * energies, no classes): both sites' occupants and the two displacements, then the
 * mover's rates at b and, with more vacancies, the rates of those next to either site. */
HOP_HD void hop_alloy_move(const hop_lattice *L, const hop_alloy_params *p,
                           const hop_gas_box *box, hop_alloy_work *w, int32_t v,
                           int32_t a, int k, int32_t b)
{
    const int32_t id = w->occ[b];
    const int *e = L->jump[box->sub[a]][k];
    int32_t *da = w->disp + 3 * (int64_t)id;
    int32_t *dv = w->disp + 3 * ((int64_t)p->n_atoms + v);
    /* the atom moves b -> a (by -e), the vacancy a -> b (by +e) */
    for (int c = 0; c < HOP_MAX_DIM; ++c) {
        da[c] -= e[c];
        dv[c] += e[c];
    }
    w->occ[a] = id;
    w->species[a] = w->species[b];
    w->weight_at[a] = w->weight_at[b];
    w->occ[b] = -1 - v;
    w->species[b] = p->n_species;
    w->weight_at[b] = 0;
    w->vpos[v] = b;
}

/* One exchange chosen by residence time from the state (total > 0) with the 64-bit draw
 * `draw` (two words of the replica's stream, the first the high half), and the rates it
 * changes: the mover's at its new site; without pair energies those of the other
 * vacancies next to either site, with them (the neighbour counts around both sites
 * change) every vacancy's.  one: p->n_vacancies == 1, a compile-time constant as z and
 * ia, so the lone vacancy's path has no vacancy search and no refills of others. */
HOP_HD void hop_alloy_exchange(const hop_lattice *L, const hop_alloy_params *p,
                               const hop_gas_box *box, hop_alloy_work *w, hop_alloy_state *st,
                               int z, int ia, int one, uint64_t draw)
{
    uint64_t u = hop_mulhi64(draw, st->total);
    int32_t v = 0, a, b;
    int k, s;
    while (!one && v < p->n_vacancies - 1 && u >= w->rate[v]) {
        u -= w->rate[v];
        ++v;
    }
    a = w->vpos[v];
    k = hop_alloy_pick(w->near + (int64_t)v * HOP_MAX_Z, z, u);
    b = box->nbr[(int64_t)a * z + k];
    s = w->species[b];
    hop_alloy_move(L, p, box, w, v, a, k, b);
    ++st->exchanges;
    if (ia) {
        /* pair energies: the atom's neighbours change, those of b lose it, those of a gain
         * it (the box's neighbour relation is symmetric); then every vacancy's rates
         * (classes alone would need only the touched ones: the general path is simple) */
        const int n = p->n_species;
        for (int j = 0; j < z && p->interacting; ++j) {
            --w->count[(int64_t)box->nbr[(int64_t)b * z + j] * n + s];
            ++w->count[(int64_t)box->nbr[(int64_t)a * z + j] * n + s];
        }
        st->total = 0;
        for (int32_t j = 0; j < p->n_vacancies; ++j) {
            w->rate[j] = hop_alloy_fill_near(p, box, w, z, w->vpos[j], 1,
                                             w->near + (int64_t)j * HOP_MAX_Z);
            st->total += w->rate[j];
        }
        return;
    }
    w->rate[v] = hop_alloy_fill_near(p, box, w, z, b, 0, w->near + (int64_t)v * HOP_MAX_Z);
    if (one || p->n_vacancies == 1) {
        st->total = w->rate[v];
        return;
    }
    for (int j = 0; j < z; ++j) {
        const int32_t xa = box->nbr[(int64_t)a * z + j], xb = box->nbr[(int64_t)b * z + j];
        if (xa != b)
            hop_alloy_refill(p, box, w, z, xa, 0);
        hop_alloy_refill(p, box, w, z, xb, 0);
    }
    st->total = 0;
    for (int32_t j = 0; j < p->n_vacancies; ++j)
        st->total += w->rate[j];
}

/* The next 64-bit draw of a replica's stream: two words, the first the high half, from
 * the batch of HOP_WORD_BATCH words drawn ahead (the stream's order: any mix of
 * batches and single draws takes the same words). */
HOP_HD uint64_t hop_alloy_draw(hop_alloy_state *st)
{
    uint64_t draw;
    if (st->used == HOP_WORD_BATCH) {
        for (int c = 0; c < HOP_WORD_BATCH; c += 4)
            hop_rng_next4(&st->rng, st->words + c);
        st->used = 0;
    }
    draw = (uint64_t)st->words[st->used] << 32 | st->words[st->used + 1];
    st->used += 2;
    return draw;
}

/* Exchanges while the next one comes no later than tick `until`: returns when the next
 * event would come after it, or when none can (total 0, absorbing), the clock at the
 * last exchange made.  The hot loop: z, ia and one compile-time constants at the call sites
 * (hop_alloy_advance_any, the CPU backend's specialisations), the state held in a local
 * copy so that the stores into the workspace need not reload it. */
HOP_HD void hop_alloy_advance(const hop_lattice *L, const hop_alloy_params *p,
                              const hop_gas_box *box, hop_alloy_work *w, hop_alloy_state *st,
                              int z, int ia, int one, int64_t until)
{
    hop_alloy_state s = *st;
    for (;;) {
        uint64_t step;
        if (s.total == 0 || (step = UINT64_MAX / s.total) > (uint64_t)(until - s.ticks))
            break;
        s.ticks += (int64_t)step;
        hop_alloy_exchange(L, p, box, w, &s, z, ia, one, hop_alloy_draw(&s));
    }
    *st = s;
}

/* After hop_alloy_advance to the next time point *next: record the time points the state
 * holds for, those before the next event (every one left when there is none, or it
 * comes after the last point); returns 1 while time points remain. */
HOP_HD int hop_alloy_record_due(const hop_lattice *L, const hop_alloy_params *p,
                                const hop_gas_box *box, const hop_alloy_work *w,
                                const hop_alloy_state *st, int64_t *row, int *next)
{
    const int K = p->n_times;
    const int64_t last = p->time_ticks[K - 1];
    uint64_t step;
    if (st->total == 0 || (step = UINT64_MAX / st->total) > (uint64_t)(last - st->ticks)) {
        while (*next < K)
            hop_alloy_record(L, p, box, w, (*next)++, K, row);
        return 0;
    }
    /* the next event at ticks + step <= last: points before it (not the last) */
    while (p->time_ticks[*next] < st->ticks + (int64_t)step)
        hop_alloy_record(L, p, box, w, (*next)++, K, row);
    return 1;
}

/* hop_alloy_advance with z, ia and one made constants: the general path (pair energies,
 * classes) or the random alloy on the usual coordinations, with one vacancy or more. */
HOP_HD void hop_alloy_advance_any(const hop_lattice *L, const hop_alloy_params *p,
                                  const hop_gas_box *box, hop_alloy_work *w,
                                  hop_alloy_state *st, int64_t until)
{
    const int one = p->n_vacancies == 1;
    if (p->interacting || p->classed)
        hop_alloy_advance(L, p, box, w, st, L->z, 1, 0, until);
    else if (one)
        switch (L->z) {
        case 4: hop_alloy_advance(L, p, box, w, st, 4, 0, 1, until); break;
        case 6: hop_alloy_advance(L, p, box, w, st, 6, 0, 1, until); break;
        case 8: hop_alloy_advance(L, p, box, w, st, 8, 0, 1, until); break;
        case 12: hop_alloy_advance(L, p, box, w, st, 12, 0, 1, until); break;
        default: hop_alloy_advance(L, p, box, w, st, L->z, 0, 1, until); break;
        }
    else
        switch (L->z) {
        case 4: hop_alloy_advance(L, p, box, w, st, 4, 0, 0, until); break;
        case 6: hop_alloy_advance(L, p, box, w, st, 6, 0, 0, until); break;
        case 8: hop_alloy_advance(L, p, box, w, st, 8, 0, 0, until); break;
        case 12: hop_alloy_advance(L, p, box, w, st, 12, 0, 0, until); break;
        default: hop_alloy_advance(L, p, box, w, st, L->z, 0, 0, until); break;
        }
}

/* With pair energies: the dynamics for equil_ticks from the random start, then
 * displacements, clock and counters from zero (an absorbing state ends it early). */
HOP_HD void hop_alloy_equilibrate(const hop_lattice *L, const hop_alloy_params *p,
                                  const hop_gas_box *box, hop_alloy_work *w, hop_alloy_state *st)
{
    if (p->equil_ticks == 0)
        return;
    hop_alloy_advance(L, p, box, w, st, L->z, 1, 0, p->equil_ticks);
    for (int32_t j = 0; j < 3 * p->n_sites; ++j)
        w->disp[j] = 0;
    st->ticks = 0;
    st->exchanges = 0;
}

/* The row's two counters (the exchanges made), after the last time point. */
HOP_HD void hop_alloy_end(const hop_alloy_params *p, const hop_alloy_state *st, int64_t *row)
{
    const int64_t at = (int64_t)hop_alloy_row_series(p) * p->n_times;
    row[at] = st->exchanges;
    row[at + 1] = st->exchanges;
}

/* Run replica `replica` and fill its row (hop_alloy_row_len(p) entries). */
HOP_HD void hop_alloy_replica(const hop_lattice *L, const hop_alloy_params *p,
                              const hop_gas_box *box, uint64_t seed, uint64_t replica,
                              hop_alloy_work *w, int64_t *row)
{
    hop_alloy_state st;
    int next = 0;
    hop_alloy_begin(L, p, box, seed, replica, w, &st);
    hop_alloy_equilibrate(L, p, box, w, &st);
    do
        hop_alloy_advance_any(L, p, box, w, &st, p->time_ticks[next]);
    while (hop_alloy_record_due(L, p, box, w, &st, row, &next));
    hop_alloy_end(p, &st, row);
}

#endif

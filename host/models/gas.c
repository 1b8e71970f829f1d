/* gas.c: the many-body lattice gas from parameters to a result (see gas.h), and its
 * table (models/model.h) with its own estimator: rows of the tracer, collective and
 * vacancy MSD and the slabs' number fluctuations, with a companion box. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/cpu.h"
#include "backend/cuda.h"
#include "models/estimators.h"
#include "models/gas.h"
#include "models/gas_output.h"
#include "models/sections.h"
#include "lattice/impl.h"
#include "lattice/moment.h"
#include "models/physics.h"

#define GAS_DEFAULT_REPLICAS (UINT64_C(1) << 12)
#define GAS_DEFAULT_REPLICAS_GPU (UINT64_C(1) << 18)
#define GAS_TARGET_SITES 512          /* default box: about this many sites (64 in 1D) */
#define GAS_TARGET_SITES_1D 64
#define GAS_MAX_SITES (1 << 22)       /* n z < 2^31 for the mover/direction draw */
#define GAS_DEFAULT_RELAXATIONS 32.0  /* default run, in relaxation times */
#define GAS_MIN_RELAXATIONS 8.0       /* shortest run */
#define GAS_MAX_ATTEMPTS 4e8          /* per replica and stretch: displacements stay int32 */
#define GAS_MIN_REPLICAS_PER_TIME HOP_MIN_REPLICAS_PER_TIME  /* model.h: GLS weights */
#define GAS_DECADES 3.0               /* the time grid spans t_max/1000 .. t_max */
#define GAS_EQUIL_DENSITY 8.0         /* least default equilibration, in density times */
/* Acceptance probabilities are 64-bit integer thresholds (hop_gas_accept_threshold),
 * exact to 2^-64.  A jump that makes or breaks one pair keeps a rate exp(-|J|) of at least 2^-64,
 * so |J| <= 64 ln 2 = 44.4 kT: beyond, such jumps would never happen. */
#define GAS_MAX_J_LOG2 64
/* Probabilities from 2^-COARSE_LOG2 up keep one word (gas.h, hop_gas_accept). */
#define GAS_COARSE_LOG2 16

#define BAD(...) do { snprintf(msg, msg_len, __VA_ARGS__); return HOP_ERR_INVAL; } while (0)

static int floor_mod(int a, int m)
{
    const int r = a % m;
    return r < 0 ? r + m : r;
}

/* Cells per axis of a box of `size` cells (1 on unused axes). */
static void box_cells(const hop_lattice *L, int size, int *cells)
{
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        cells[a] = a < L->dim ? size : 1;
}

/* Site index of basis site b in cell c: cells in x-fastest order, basis inside. */
static int32_t site_of(const hop_lattice *L, const int *cells, const int *c, int b)
{
    return (int32_t)(((c[2] * cells[1] + c[1]) * cells[0] + c[0]) * L->n_basis + b);
}

/* The blocks of cell planes of a box of `size` cells per edge (gas.h): B = min(size,
 * HOP_GAS_MAX_BLOCKS) per axis, block j the planes [floor(j size/B), floor((j + 1) size/B)),
 * so B/2 and B/4 consecutive blocks make slabs of about size/2 and size/4 planes, at B
 * positions each (all of them when size <= HOP_GAS_MAX_BLOCKS).  Slabs, which span the
 * box, rather than cubes: the surface of a slab is the same two box cross-sections
 * whatever its width, which is what makes the two widths' surface terms cancel. */
static int block_count(int size)
{
    return size < HOP_GAS_MAX_BLOCKS ? size : HOP_GAS_MAX_BLOCKS;
}

static int block_start(int size, int j)
{
    return (int)((int64_t)j * size / block_count(size));
}

/* The block of cell plane x: the last j whose first plane floor(j size/B) <= x. */
static int block_of_plane(int size, int x)
{
    return (int)(((int64_t)(x + 1) * block_count(size) - 1) / size);
}

/* The cell planes of the slab of `blocks` blocks from block j (cyclically). */
static int slab_planes(int size, int j, int blocks)
{
    const int B = block_count(size);
    int planes = 0;
    for (int b = j; b < j + blocks; ++b)
        planes += block_start(size, b % B + 1) - block_start(size, b % B);
    return planes;
}

/* Each axis's block of cell c, in HOP_GAS_BLOCK_BITS bits per axis (hop_gas_box.block). */
static uint16_t block_code(const hop_lattice *L, int size, const int *c)
{
    unsigned code = 0;
    for (int a = 0; a < L->dim; ++a)
        code |= (unsigned)block_of_plane(size, c[a]) << (HOP_GAS_BLOCK_BITS * a);
    return (uint16_t)code;
}

/* The neighbour, sublattice and block tables of a box of `size` cells (block_out may be
 * NULL: not built); 0 when out of memory.  The box is valid (hop_lattice_box_valid),
 * so every jump lands on a distinct site. */
static int box_tables(const hop_lattice *L, int size, int32_t **nbr_out, int8_t **sub_out,
                      uint16_t **block_out)
{
    int cells[HOP_MAX_DIM];
    const int64_t n = (int64_t)hop_lattice_box_sites(L, size);
    int32_t *nbr = malloc((size_t)n * (size_t)L->z * sizeof *nbr);
    int8_t *sub = malloc((size_t)n * sizeof *sub);
    uint16_t *block = block_out ? malloc((size_t)n * sizeof *block) : NULL;
    if (!nbr || !sub || (block_out && !block)) {
        free(nbr);
        free(sub);
        free(block);
        return 0;
    }
    box_cells(L, size, cells);
    for (int c2 = 0; c2 < cells[2]; ++c2)
        for (int c1 = 0; c1 < cells[1]; ++c1)
            for (int c0 = 0; c0 < cells[0]; ++c0)
                for (int b = 0; b < L->n_basis; ++b) {
                    const int c[HOP_MAX_DIM] = {c0, c1, c2};
                    const int32_t s = site_of(L, cells, c, b);
                    const int sl = L->basis_sub[b];
                    sub[s] = (int8_t)sl;
                    if (block)
                        block[s] = block_code(L, size, c);
                    for (int k = 0; k < L->z; ++k) {
                        int32_t y[HOP_MAX_DIM];
                        int t, ct[HOP_MAX_DIM];
                        for (int a = 0; a < HOP_MAX_DIM; ++a)
                            y[a] = c[a] * L->cell[a] + L->basis[b][a] + L->jump[sl][k][a];
                        t = hop_lattice_site_index(L, y);   /* >= 0: the table is valid */
                        for (int a = 0; a < HOP_MAX_DIM; ++a)
                            ct[a] = floor_mod((y[a] - L->basis[t][a]) / L->cell[a], cells[a]);
                        nbr[(int64_t)s * L->z + k] = site_of(L, cells, ct, t);
                    }
                }
    *nbr_out = nbr;
    *sub_out = sub;
    if (block_out)
        *block_out = block;
    return 1;
}

/* Largest |dB| from the tables: for a particle jumping from a to its neighbour b, dB is
 * at most the number of b's neighbours other than a that are not neighbours of a (all
 * occupied, a's own others all empty); by symmetry of the bond the same bounds -dB. */
static int tables_max_dB(const hop_lattice *L, int64_t n, const int32_t *nbr)
{
    int best = 0;
    for (int64_t a = 0; a < n; ++a)
        for (int k = 0; k < L->z; ++k) {
            const int32_t b = nbr[a * L->z + k];
            int count = 0;
            for (int j = 0; j < L->z; ++j) {
                const int32_t x = nbr[(int64_t)b * L->z + j];
                int shared = x == a;
                for (int i = 0; i < L->z && !shared; ++i)
                    shared = nbr[a * L->z + i] == x;
                count += !shared;
            }
            if (count > best)
                best = count;
        }
    return best;
}

int hop_gas_box_tables(const hop_lattice *L, int size, int32_t **nbr, int8_t **sub)
{
    return box_tables(L, size, nbr, sub, NULL);
}

/* The jump network's second moment per site (the mean over the cell's sites), sum over
 * a site's jumps k of |e_k|^2 (g < 0) or of the squared projection of e_k on principal
 * component g, in a^2 (hop_lattice_moment_exact, exact until the division): D0 =
 * moment / 2d, and D0_g = moment_g / (2 a_g) over the a_g axes of g
 * (docs/lattice-gas.md).  z alpha^2 with one length. */
static double jump_moment(const hop_lattice *L, int g)
{
    return (double)hop_lattice_moment_exact(L, g) / L->n_basis / L->metric_den;
}

/* D0 = (1/2d) sum_k |e_k|^2 in a^2 nu: a lone particle's D (one length: (1/2d) z alpha^2,
 * computed as before, the same bits). */
static double gas_D0(const hop_lattice *L)
{
    if (hop_lattice_one_length(L))
        return L->z * ((double)L->jump_len2 / L->metric_den) / (2.0 * L->dim);
    return jump_moment(L, -1) / (2.0 * L->dim);
}

static int default_size(const hop_lattice *L)
{
    const double sites = L->dim == 1 ? GAS_TARGET_SITES_1D : GAS_TARGET_SITES;
    const int size = (int)floor(pow(sites / L->n_basis, 1.0 / L->dim) + 0.5);
    return size < L->min_size ? L->min_size : size;
}

/* Particles and movers of a box of n sites at concentration c. */
static void counts_of(double c, int64_t n, int64_t *particles, int64_t *vacancies, int64_t *movers)
{
    *particles = (int64_t)llround(c * (double)n);
    *vacancies = n - *particles;
    *movers = *vacancies < *particles ? *vacancies : *particles;
}

/* Relaxation time of the box in 1/nu: the time for the vacancies to visit every site
 * (n / (z M) for d >= 2; n^2 / (z M) in 1D, where a tracer moves only as the vacancies
 * wind around the ring), at least 1 (a particle's own few jumps at low c).  The tracer's
 * correlations with the vacancies decay on this scale, so the MSD is linear after a few
 * of them; with one vacancy it is the msd estimator's N vacancy steps. */
static double relaxation_time(const hop_lattice *L, int64_t n, int64_t vacancies)
{
    const double steps = L->dim == 1 ? (double)n * (double)n : (double)n;
    return fmax(1.0, steps / ((double)L->z * (double)vacancies));
}

/* Relaxation time in 1/nu of the longest density wave of a box of `size` cells if
 * D_chem were D0: 1/(D0 k^2) with k = 2 pi / (the longest box edge, in a).  The variance of
 * its amplitude relaxes at twice that rate, so after GAS_EQUIL_DENSITY of these a random
 * start's excess is down by exp(-2 GAS_EQUIL_DENSITY D_chem/D0): e^-4 for D_chem = D0/4.
 * In the default 3D boxes half the run is longer (their defaults are as before); this
 * sets the default in 2D (23 x 23 square: 107 /nu against 16), on the 64-site ring
 * below c = 0.38 (830 /nu) and in large boxes. */
static double density_time(const hop_lattice *L, int size)
{
    const double D0 = gas_D0(L);
    const double pi = 3.14159265358979323846;
    double edge2 = 0;
    for (int a = 0; a < L->dim; ++a) {
        const double e = (double)size * L->cell[a];
        edge2 = fmax(edge2, e * e * L->metric[a][a] / L->metric_den);
    }
    return edge2 / (4 * pi * pi * D0);
}

hop_status hop_gas_resolve(hop_params *p, char *msg, size_t msg_len)
{
    const hop_lattice *L = p->lattice;
    int64_t n, particles, vacancies, movers;
    double relax, least_time, max_time;
    p->estimator = HOP_EST_MSD;
    if (!hop_lattice_uniform_z(L))
        BAD("--model gas: the sublattices of %s differ in coordination, which the gas model "
            "does not support (one z on every site)", L->name);
    /* Jumps of several lengths are fine (integer displacements, the metric on the host);
     * rates are not: an attempt picks one of the z jumps uniformly and accepts by the
     * Metropolis test alone, so every jump has the rate nu (docs/lattice-gas.md). */
    if (L->rate_total[0])
        BAD("--model gas: lattice %s has jumps of unequal rates (classes, per-jump rates or "
            "site energies), which the gas model does not take: its attempts give every jump "
            "the one rate nu (give the classes equal rates and the sites equal energies)",
            L->name);
    if (hop_physics_gas_resolve(p, msg, msg_len) != HOP_OK)    /* sets J from --pair-energy */
        return HOP_ERR_INVAL;
    if (p->physical && !hop_lattice_one_length(L))
        BAD("--model gas: physical units on %s, whose jumps have several lengths, are not "
            "supported (their D0 takes one jump length); use reduced units", L->name);
    for (int i = 0; i < 5; ++i)
        if (p->w[i] > 0 || p->E[i] > 0 || p->w3p > 0 || p->w3pp > 0)
            BAD("--model gas: the solute rates --w0 .. --w4 (--E1 .. --E4) apply to --model solute only");
    if (p->c == 0)
        BAD("--model gas needs --c, the particle concentration (0 < c < 1)");
    if (!(p->c > 0 && p->c < 1))
        BAD("--c: %g is out of range (0 < c < 1)", p->c);
    if (!isfinite(p->J))
        BAD("--J: %g is not a finite number", p->J);
    if (p->n_times < 8 || p->n_times > HOP_MAX_TIMES)
        BAD("--times: %d is out of range (8 .. %d)", p->n_times, HOP_MAX_TIMES);
    if (!(p->fit_from > 0 && p->fit_from < 1))
        BAD("--fit-from: %g is out of range (0 < x < 1)", p->fit_from);
    if (p->replicas == 0)
        p->replicas = p->backend == HOP_BACKEND_CUDA ? GAS_DEFAULT_REPLICAS_GPU
                                                     : GAS_DEFAULT_REPLICAS;
    if (p->replicas < GAS_MIN_REPLICAS_PER_TIME * (uint64_t)p->n_times)
        BAD("--replicas: %llu is too few for the gas model: it needs %d per time point, %llu "
            "for --times %d (fewer time points need fewer)", (unsigned long long)p->replicas,
            GAS_MIN_REPLICAS_PER_TIME, (unsigned long long)(GAS_MIN_REPLICAS_PER_TIME
            * (uint64_t)p->n_times), p->n_times);
    if (p->size == 0)
        p->size = default_size(L);
    {
        const double sites = (double)hop_lattice_box_sites(L, 1) * pow(p->size, L->dim);
        const int max_size = (int)floor(pow((double)GAS_MAX_SITES / L->n_basis, 1.0 / L->dim));
        if (p->size < L->min_size || sites > GAS_MAX_SITES || !hop_lattice_box_valid(L, p->size))
            BAD("--size: %d is out of range for %s (%d .. %d cells): the box is too small "
                "for the lattice or too large", p->size, L->name, L->min_size, max_size);
    }
    n = (int64_t)hop_lattice_box_sites(L, p->size);
    counts_of(p->c, n, &particles, &vacancies, &movers);
    if (particles < 2)
        BAD("--c: %g in a box of %lld sites gives %lld particle%s; the gas needs at least 2 "
            "(raise --c or --size)", p->c, (long long)n, (long long)particles,
            particles == 1 ? "" : "s");
    if (vacancies < 1)
        BAD("--c: %g in a box of %lld sites leaves no empty site (lower --c or raise --size)",
            p->c, (long long)n);
    if (fabs(p->J) > GAS_MAX_J_LOG2 * log(2.0) && p->pair_energy_given)
        BAD("--pair-energy: |E|/kT = %g at %g K makes the rate exp(-|E|/kT) of a jump that "
            "breaks one pair underflow the 64-bit acceptance test (|E| <= %.4g eV at this "
            "T: |E|/kT <= %d ln 2 = %.4g)", fabs(p->J), p->T,
            GAS_MAX_J_LOG2 * log(2.0) * HOP_K_B_EV * p->T, GAS_MAX_J_LOG2,
            GAS_MAX_J_LOG2 * log(2.0));
    if (fabs(p->J) > GAS_MAX_J_LOG2 * log(2.0))
        BAD("--J: |J| = %g kT makes the rate exp(-|J|) of a jump that breaks one pair "
            "underflow the 64-bit acceptance test (|J| <= %d ln 2 = %.4g kT)", fabs(p->J),
            GAS_MAX_J_LOG2, GAS_MAX_J_LOG2 * log(2.0));
    relax = relaxation_time(L, n, vacancies);
    /* at least 10 attempts per time point, and at most GAS_MAX_ATTEMPTS */
    least_time = fmax(GAS_MIN_RELAXATIONS * relax, 10.0 * p->n_times / ((double)movers * L->z));
    max_time = GAS_MAX_ATTEMPTS / ((double)movers * L->z);
    if (p->time == 0)
        p->time = fmin(fmax(GAS_DEFAULT_RELAXATIONS * relax, least_time), max_time);
    if (!(p->time >= least_time && p->time <= max_time))
        BAD("--time: %g is out of range for the gas on %s with --size %d and --c %g "
            "(%g .. %g in 1/nu)", p->time, L->name, p->size, p->c, least_time, max_time);
    /* Equilibration (J != 0): from a random start, by default half the run and at least
     * GAS_EQUIL_DENSITY density times (density_time), at most the longest stretch.  The
     * pair statistics relax locally within a few jumps per particle, well within half
     * the run (at least 4 relaxation times).  The number fluctuations behind Theta relax
     * only as the longest density waves do, in ~L^2/D_chem, which grows with the box in
     * any dimension.  The reported drifts of the pair count and of Theta between the
     * early and late half of the run check both (with strong attraction or near a phase
     * transition D_chem << D0 and relaxation is slower: check the drifts, and raise
     * --equilibrate). */
    if (p->equilibrate == 0 && p->J != 0)
        p->equilibrate = fmin(fmax(0.5 * p->time, GAS_EQUIL_DENSITY * density_time(L, p->size)),
                              max_time);
    if (!(p->equilibrate >= 0 && p->equilibrate <= max_time))
        BAD("--equilibrate: %g is out of range (0 .. %g in 1/nu)", p->equilibrate, max_time);
    return HOP_OK;
}

/* The slabs of the box (gas.h) and the constants of their series (models/gas.h): every
 * slab k of v_k sites has E n_k = N v_k/n exactly (translation symmetry), so
 * E (n_k - mean)^2 = var n_k + e_k^2 with e_k = N v_k/n - mean.  The d axes have the same
 * slabs, so the sums are d times one axis's. */
static void slab_constants(const hop_lattice *L, int size, hop_gas_model *m)
{
    hop_gas_params *gp = &m->gp;
    const int B = block_count(size);
    const int64_t n = gp->n_sites, N = gp->n_particles, per_plane = n / size;
    gp->n_blocks = B;
    gp->wide_blocks = B / 2;
    gp->narrow_blocks = B / 4;
    gp->wide_mean = (int32_t)(N * gp->wide_blocks / B);
    gp->narrow_mean = (int32_t)(N * gp->narrow_blocks / B);
    const int blocks[2] = {gp->wide_blocks, gp->narrow_blocks};
    const int64_t mean[2] = {gp->wide_mean, gp->narrow_mean};
    double D[2] = {0, 0}, e2[2] = {0, 0};
    for (int j = 0; j < B; ++j)
        for (int w = 0; w < 2; ++w) {              /* w = 0: the wide slab from block j */
            const int64_t v = per_plane * slab_planes(size, j, blocks[w]);
            const double e = (double)(N * v - mean[w] * n) / (double)n;  /* exact numerator */
            D[w] += L->dim * ((double)v * (double)(n - v) / (double)n);
            e2[w] += L->dim * e * e;
        }
    m->wide_D = D[0];
    m->narrow_D = D[1];
    m->wide_e2 = e2[0];
    m->narrow_e2 = e2[1];
}

/* The threshold of acceptance probability min(1, exp(x)) (hop_gas_accept): t =
 * floor(exp(x) 2^64), exact (a double times a power of two), within 2^-64 below.  From
 * 2^-16 up only its high word: one random word, t/2^64 within 2^-32 absolute and 2^-16
 * relative of exp(x), and high word = floor(exp(x) 2^32), the 32-bit test's threshold
 * before the second word: runs within its range (|J| dB_max <= 16 ln 2) keep their
 * bits.  Probability 1 (x >= 0, or exp(x) rounds to 1) draws no word. */
uint64_t hop_gas_accept_threshold(double x)
{
    const double t = ldexp(exp(x), 64);
    uint64_t u;
    if (x >= 0 || !(t < ldexp(1.0, 64)))
        return HOP_GAS_ALWAYS;
    u = (uint64_t)t;
    return u >> (64 - GAS_COARSE_LOG2) ? u & ~(uint64_t)UINT32_MAX : u;
}

hop_gas_model *hop_gas_model_alloc(const hop_params *p)
{
    const hop_lattice *L = p->lattice;
    const int64_t n = (int64_t)hop_lattice_box_sites(L, p->size);
    hop_gas_model *m = calloc(1, sizeof *m);
    hop_gas_params *gp;
    int64_t particles, vacancies, movers;
    double n_max;
    if (!m)
        return NULL;
    if (!box_tables(L, p->size, &m->nbr, &m->sub, &m->block)) {
        free(m);
        return NULL;
    }
    m->box.nbr = m->nbr;
    m->box.sub = m->sub;
    m->box.block = m->block;
    m->max_dB = tables_max_dB(L, n, m->nbr);
    gp = &m->gp;
    counts_of(p->c, n, &particles, &vacancies, &movers);
    gp->n_sites = (int32_t)n;
    gp->n_particles = (int32_t)particles;
    gp->n_vacancies = (int32_t)vacancies;
    gp->vacancy_movers = vacancies < particles;
    gp->n_movers = (int32_t)movers;
    gp->interacting = p->J != 0;
    slab_constants(L, p->size, m);
    /* Metropolis: accept with min(1, exp(-J dB)) */
    for (int d = -(L->z - 1); d <= L->z - 1; ++d)
        gp->accept[d + L->z - 1] = hop_gas_accept_threshold(-p->J * d);
    gp->equil_attempts = (int64_t)llround(p->equilibrate * (double)movers * L->z);
    /* Log-spaced attempt counts from n_max/10^3 to n_max, strictly increasing from 1. */
    n_max = floor(p->time * (double)movers * L->z + 0.5);
    gp->n_times = p->n_times;
    for (int i = 0; i < p->n_times; ++i) {
        const double x = (double)(p->n_times - 1 - i) / (p->n_times - 1);
        const int64_t a = (int64_t)floor(n_max * pow(10.0, -GAS_DECADES * x) + 0.5);
        const int64_t least = i == 0 ? 1 : gp->time_attempts[i - 1] + 1;
        gp->time_attempts[i] = a > least ? a : least;
    }
    gp->time_unit = 1.0 / ((double)movers * L->z);
    return m;
}

void hop_gas_model_free(hop_gas_model *m)
{
    if (!m)
        return;
    free(m->nbr);
    free(m->sub);
    free(m->block);
    free(m);
}

/* Mean over time points [i0, i1) of series q and its variance from the covariances. */
static void time_average(const hop_msd_accum *a, int q, int i0, int i1, double *mean, double *var)
{
    double s = 0, v = 0;
    const int n = i1 - i0;
    for (int i = i0; i < i1; ++i) {
        s += hop_msd_accum_mean(a, q, i);
        for (int j = i0; j < i1; ++j)
            v += hop_msd_accum_cov(a, q, i, q, j);
    }
    *mean = s / n;
    *var = v / ((double)n * n);
}

/* sum_i w_i mean_i of series q over the K time points, and sum_ij u_i w_j cov_ij, the
 * covariance of two such sums (the replicas are independent, the time points not). */
static double weighted_mean(const hop_msd_accum *a, int q, const double *w)
{
    double s = 0;
    for (int i = 0; i < a->n_times; ++i)
        s += w[i] * hop_msd_accum_mean(a, q, i);
    return s;
}

static double weighted_cov(const hop_msd_accum *a, int q, const double *u, const double *w)
{
    double v = 0;
    for (int i = 0; i < a->n_times; ++i)
        for (int j = 0; j < a->n_times; ++j)
            v += u[i] * w[j] * hop_msd_accum_cov(a, q, i, q, j);
    return v;
}

/* The thermodynamic factor Theta = d(mu/kT)/d ln c = c / chi, chi = <dN^2>/V the
 * grand-canonical number fluctuation per site, from the slabs (gas.h).
 *
 * The slab variance.  In the canonical box let C(k) be the covariance of the particle
 * counts of two cell planes k apart (k mod L; translation symmetry).  N is fixed, so
 * sum_k C(k) = 0: C decays over the correlation length xi to a plateau -U/L (the fixed
 * total's anticorrelation), and chi_box = U L/n, per site, is chi up to O(1/n) (the
 * canonical corrections of Lebowitz and Percus, Phys. Rev. 124, 1673 (1961)).  A slab of
 * w consecutive planes (v = w n/L sites) has var_w = sum_{i,j<w} C(i - j), whose second
 * difference is var_{w+1} - 2 var_w + var_{w-1} = 2 C(w), and var_w = var_{L-w}.  So
 * wherever C is on its plateau, i.e. for w and L - w beyond the range of the decay,
 *     var_w = chi_box v (1 - v/n) + b
 * exactly, with b the same for every width: a slab spans the box, so it always has two
 * interfaces of the same area, and b (from the pairs across them) is their surface
 * term.  One width gives chi_box + b/(v (1 - v/n)), a bias O(1/L) (b grows as the
 * cross-section n/L, the denominator as n); two widths give
 *     chi_box = (var_wide - var_narrow) / (D_wide - D_narrow),   D = v (1 - v/n),
 * free of it, up to terms exponentially small in the narrow width / xi.  What is left is
 * chi_box - chi = O(1/n) (O(1/L) only in 1D, where n = L).  For J = 0 the counts are
 * hypergeometric: var_w = c (1 - c) n/(n - 1) v (1 - v/n) for every width, and both give
 * Theta_box = (n - 1)/M exactly.
 *
 * The series.  Every slab k has E n_k = N v_k/n exactly (translation symmetry), so the
 * recorded sums of (n_k - mean)^2 have the means sum_k (chi_box D_k + b + e_k^2) (e_k:
 * models/gas.h's *_e2); the B d slabs of each width have B d b in common, which cancels in
 * the difference series, and
 *     Theta = c (sum D_wide - sum D_narrow) / <S_wide - S_narrow - (sum e2_wide - sum e2_narrow)>
 * (one width: c sum D_wide / <S_wide - sum e2_wide>).  Here the caller passes
 * scale = c sum D and offset = sum e^2 of the series q.  The configuration is in
 * equilibrium at every time point, so the time points are averaged, each weighted by the
 * time since the one before (a time average over the run; equal weights would give the
 * first decade of the log-spaced grid, nearly one configuration, most of the weight);
 * the error from the replicas through the covariances, by the delta method for
 * scale/f.  For the difference series these are the covariances of S_wide - S_narrow,
 * i.e. var S_wide + var S_narrow - 2 cov(S_wide, S_narrow): the two widths' replica
 * covariance in full.  The drift is Theta from the second half of the run (in time)
 * minus Theta from the first: the longest density waves relax only in ~L^2/D_chem, so a
 * random start equilibrated too briefly shows as a drift (as for the pair count). */
static void thermodynamic_factor(const hop_gas_model *m, const hop_msd_accum *a, int q,
                                 double scale, double offset, const double *t,
                                 hop_estimate *theta, hop_estimate *drift)
{
    const hop_gas_params *gp = &m->gp;
    const int K = gp->n_times;
    double w[HOP_MAX_TIMES], early[HOP_MAX_TIMES], late[HOP_MAX_TIMES], we = 0, wl = 0;
    double f, fe, fl, ge, gl;
    theta->value = theta->sigma = theta->bias = NAN;
    drift->value = drift->sigma = drift->bias = NAN;
    if (gp->wide_blocks == 0)
        return;                                 /* a box of one cell: no slab */
    for (int i = 0; i < K; ++i) {
        w[i] = (t[i] - (i > 0 ? t[i - 1] : 0)) / t[K - 1];
        early[i] = t[i] <= 0.5 * t[K - 1] ? w[i] : 0;
        late[i] = w[i] - early[i];
        we += early[i];
        wl += late[i];
    }
    for (int i = 0; i < K; ++i) {
        early[i] /= we;
        late[i] /= wl;
    }
    f = weighted_mean(a, q, w) - offset;
    theta->value = scale / f;
    theta->sigma = fabs(theta->value) * sqrt(fmax(weighted_cov(a, q, w, w), 0)) / fabs(f);
    fe = weighted_mean(a, q, early) - offset;
    fl = weighted_mean(a, q, late) - offset;
    ge = scale / (fe * fe);                     /* |d Theta / d f| of each half */
    gl = scale / (fl * fl);
    drift->value = scale / fl - scale / fe;
    drift->sigma = sqrt(fmax(gl * gl * weighted_cov(a, q, late, late)
                             + ge * ge * weighted_cov(a, q, early, early)
                             - 2 * gl * ge * weighted_cov(a, q, late, early), 0));
}

/* A failed GLS fit of series `what`: its time points' covariance is singular, which
 * takes too few replicas or, at strong coupling, particles that barely moved in the run
 * (a few replicas' rare jumps make all of it); says which numbers to look at. */
static hop_status fit_failed(hop_status s, const char *what, const hop_msd_accum *a,
                             const hop_gas_params *gp, double time)
{
    const double per_particle = (double)a->tracer_jumps
                                / ((double)a->replicas * (double)gp->n_particles);
    return hop_error(s, "GLS fit of the %s MSD failed: %llu replicas, a particle made %.3g "
                     "jumps in the run of %g /nu on average: raise --replicas, or --time "
                     "(and --equilibrate) where the particles barely move (strong |J|)", what,
                     (unsigned long long)a->replicas, per_particle, time);
}

/* D* per principal component g (anisotropic lattices, as the vacancy model): D*_g = slope / (2 a_g N)
 * in a^2 nu over the a_g axes of g, and f_g = D*_g / (D0_g M/(n - 1)), D0_g = (1/2 a_g)
 * sum_k |e_k,g|^2 (docs/lattice-gas.md); none where the lattice is isotropic. */
static hop_status axis_estimates(const hop_lattice *L, const hop_gas_model *m,
                                 const hop_msd_accum *a, const double *t, int first,
                                 hop_result *r)
{
    const hop_gas_params *gp = &m->gp;
    const double den = L->metric_den, N = gp->n_particles;
    const double empty = (double)gp->n_vacancies / (gp->n_sites - 1);
    r->gas.n_groups = !L->isotropic && L->n_groups > 1 ? L->n_groups : 0;
    for (int g = 0; g < r->gas.n_groups; ++g) {
        const double axes = hop_lattice_group_axes(L, g), D0 = jump_moment(L, g) / (2.0 * axes);
        hop_line_fit fit;
        hop_status s;
        if ((s = hop_msd_accum_fit(a, t, HOP_GAS_GROUP0 + g, first, &fit, NULL)) != HOP_OK)
            return fit_failed(s, "per-axis tracer", a, gp, t[gp->n_times - 1]);
        r->gas.D0_group[g] = D0;
        r->gas.D_star_group[g].value = fit.slope / den / N / (2.0 * axes);
        r->gas.D_star_group[g].sigma = fit.slope_stderr / den / N / (2.0 * axes);
        r->gas.D_star_group[g].bias = NAN;       /* bounded by the companion box */
        r->gas.f_group[g].value = r->gas.D_star_group[g].value / (D0 * empty);
        r->gas.f_group[g].sigma = r->gas.D_star_group[g].sigma / (D0 * empty);
        r->gas.f_group[g].bias = NAN;
    }
    return HOP_OK;
}

hop_status hop_gas_estimate(const hop_lattice *L, const hop_gas_model *m, double J,
                            double fit_from, const hop_msd_accum *a, hop_result *r)
{
    const hop_gas_params *gp = &m->gp;
    const int K = gp->n_times, d = L->dim, G = L->n_groups;
    const int q_vac = 2 + G, q_pairs = 3 + G, q_wide = 4 + G, q_two = 5 + G;
    const double den = L->metric_den;
    const double N = gp->n_particles, M = gp->n_vacancies, n = gp->n_sites;
    const double D0 = gas_D0(L);
    const double empty = M / (n - 1);
    double t[HOP_MAX_TIMES], w_tracer[HOP_MAX_TIMES], w_coll[HOP_MAX_TIMES];
    double bt, vt, bc, vc, cv = 0, rel2;
    int first = 0;
    hop_line_fit fit;
    hop_status s;

    if (a->replicas < 2)
        return hop_error(HOP_ERR_INVAL, "the gas model needs at least 2 replicas");
    for (int i = 0; i < K; ++i)
        t[i] = (double)gp->time_attempts[i] * gp->time_unit;
    while (first < K - 3 && t[first] < fit_from * t[K - 1])
        ++first;
    free(r->msd);
    r->n_points = K;
    if (!(r->msd = calloc((size_t)K, sizeof *r->msd)))
        return HOP_ERR_NOMEM;
    for (int i = 0; i < K; ++i) {
        hop_msd_point *p = &r->msd[i];
        p->t = t[i];
        p->tracer = hop_msd_accum_mean(a, HOP_GAS_TRACER, i) / den / N;
        p->tracer_se = sqrt(hop_msd_accum_cov(a, HOP_GAS_TRACER, i, HOP_GAS_TRACER, i)) / den / N;
        p->vacancy = hop_msd_accum_mean(a, q_vac, i) / den / M;
        p->vacancy_se = sqrt(hop_msd_accum_cov(a, q_vac, i, q_vac, i)) / den / M;
        p->collective = hop_msd_accum_mean(a, HOP_GAS_COLLECTIVE, i) / den / N;
        p->collective_se = sqrt(hop_msd_accum_cov(a, HOP_GAS_COLLECTIVE, i, HOP_GAS_COLLECTIVE, i))
                           / den / N;
    }
    r->gas.n_particles = (uint64_t)gp->n_particles;
    r->gas.n_vacancies = (uint64_t)gp->n_vacancies;
    r->gas.c = N / n;
    r->gas.empty_neighbour = empty;
    r->gas.D0 = D0;

    /* tracer and collective, with the covariance of their slopes for H */
    if ((s = hop_msd_accum_fit(a, t, HOP_GAS_TRACER, first, &fit, w_tracer)) != HOP_OK)
        return fit_failed(s, "tracer", a, gp, t[K - 1]);
    bt = fit.slope;
    vt = fit.slope_stderr * fit.slope_stderr;
    r->fit_chi2 = fit.chi2;
    r->fit_dof = fit.dof;
    if ((s = hop_msd_accum_fit(a, t, HOP_GAS_COLLECTIVE, first, &fit, w_coll)) != HOP_OK)
        return fit_failed(s, "collective", a, gp, t[K - 1]);
    bc = fit.slope;
    vc = fit.slope_stderr * fit.slope_stderr;
    r->gas.fit_chi2_collective = fit.chi2;
    r->gas.fit_dof_collective = fit.dof;
    for (int i = 0; i < K - first; ++i)
        for (int j = 0; j < K - first; ++j)
            cv += w_tracer[i] * w_coll[j]
                  * hop_msd_accum_cov(a, HOP_GAS_TRACER, first + i, HOP_GAS_COLLECTIVE, first + j);
    r->D_star.value = bt / den / N / (2.0 * d);
    r->D_star.sigma = sqrt(vt) / den / N / (2.0 * d);
    r->D_sigma.value = bc / den / N / (2.0 * d);
    r->D_sigma.sigma = sqrt(vc) / den / N / (2.0 * d);
    r->D_star.bias = r->D_sigma.bias = NAN;      /* bounded by the caller's companion box */
    r->D_uncorrelated = D0 * empty;
    r->gas.D_star.value = r->D_star.value / D0;
    r->gas.D_star.sigma = r->D_star.sigma / D0;
    r->gas.D_sigma.value = r->D_sigma.value / D0;
    r->gas.D_sigma.sigma = r->D_sigma.sigma / D0;
    r->gas.D_star.bias = r->gas.D_sigma.bias = NAN;
    r->f.value = r->D_star.value / r->D_uncorrelated;
    r->f.sigma = r->D_star.sigma / r->D_uncorrelated;
    r->f.bias = NAN;               /* bounded by the caller's companion box (host/run/run.c) */
    /* H = D* / D_sigma.  J = 0: D_sigma = D0 M/(n - 1) exactly (the collective
     * displacement's martingale, as for D_chem below), so H = f with f's error alone;
     * the measured D_sigma stays reported as a check.  Else the delta method for a
     * ratio of two correlated slopes. */
    if (J == 0) {
        r->haven = r->f;
        r->haven_inverse.value = 1.0 / r->f.value;
        r->haven_inverse.sigma = r->f.sigma / (r->f.value * r->f.value);
    } else {
        rel2 = vt / (bt * bt) + vc / (bc * bc) - 2.0 * cv / (bt * bc);
        rel2 = rel2 > 0 ? rel2 : 0;
        r->haven.value = bt / bc;
        r->haven.sigma = fabs(r->haven.value) * sqrt(rel2);
        r->haven_inverse.value = bc / bt;
        r->haven_inverse.sigma = fabs(r->haven_inverse.value) * sqrt(rel2);
    }
    r->haven.bias = r->haven_inverse.bias = NAN;
    /* D_chem = D_sigma Theta.  J = 0: Theta = (n - 1)/M exactly in the box, so
     * D_chem = D_sigma / (M/(n - 1)), whose expectation is D0 exactly at every size (the
     * collective displacement's martingale): no finite-size bias, and the error of
     * D_sigma alone.  The measured Theta is still reported beside its exact value, as a
     * check.  J != 0: the measured Theta.  The accumulator keeps no products between
     * the collective series and the slabs', so the covariance of the GLS D_sigma with
     * Theta is unknown; by Cauchy-Schwarz |cov| <= s_D s_Theta, hence the conservative
     * sigma <= |Theta| s_D + |D_sigma| s_Theta (the first-order error with correlation
     * +-1). */
    {
        const double c = N / n;
        hop_estimate one_drift;
        thermodynamic_factor(m, a, q_wide, c * m->wide_D, m->wide_e2, t,
                             &r->gas.theta_one_width, &one_drift);
        r->gas.theta_two_widths = gp->narrow_blocks > 0;
        if (r->gas.theta_two_widths)
            thermodynamic_factor(m, a, q_two, c * (m->wide_D - m->narrow_D),
                                 m->wide_e2 - m->narrow_e2, t, &r->gas.theta,
                                 &r->gas.theta_drift);
        else {                                  /* edge < 4: one width (models/gas.h) */
            r->gas.theta = r->gas.theta_one_width;
            r->gas.theta_drift = one_drift;
        }
    }
    r->gas.theta_exact = J == 0 ? (n - 1) / M : NAN;
    r->gas.D_chem_exact_theta = J == 0;
    if (J == 0) {
        r->gas.D_chem.value = r->gas.D_sigma.value / empty;
        r->gas.D_chem.sigma = r->gas.D_sigma.sigma / empty;
        r->gas.D_chem.bias = 0;
    } else {
        const hop_estimate *th = &r->gas.theta;
        r->gas.D_chem.value = r->gas.D_sigma.value * th->value;
        r->gas.D_chem.sigma = fabs(th->value) * r->gas.D_sigma.sigma
                              + fabs(r->gas.D_sigma.value) * th->sigma;
        r->gas.D_chem.bias = NAN;  /* bounded by the caller's companion box (host/run/run.c) */
    }

    /* the vacancies' own motion */
    if ((s = hop_msd_accum_fit(a, t, q_vac, first, &fit, NULL)) != HOP_OK)
        return fit_failed(s, "vacancy", a, gp, t[K - 1]);
    r->gas.D_vacancy.value = fit.slope / den / M / (2.0 * d) / D0;
    r->gas.D_vacancy.sigma = fit.slope_stderr / den / M / (2.0 * d) / D0;
    r->gas.D_vacancy.bias = NAN;   /* bounded by the caller's companion box */

    /* occupied pairs per site: the average over all time points (equilibrium), and the
     * late half minus the early half (a drift would mean equilibration was too short) */
    {
        double m_all, v_all, m1, v1, m2, v2, c12 = 0;
        time_average(a, q_pairs, 0, K, &m_all, &v_all);
        time_average(a, q_pairs, 0, K / 2, &m1, &v1);
        time_average(a, q_pairs, K / 2, K, &m2, &v2);
        for (int i = 0; i < K / 2; ++i)
            for (int j = K / 2; j < K; ++j)
                c12 += hop_msd_accum_cov(a, q_pairs, i, q_pairs, j);
        c12 /= (double)(K / 2) * (double)(K - K / 2);
        r->gas.pairs.value = m_all / n;
        r->gas.pairs.sigma = sqrt(fmax(v_all, 0)) / n;
        r->gas.pairs_drift.value = (m2 - m1) / n;
        r->gas.pairs_drift.sigma = sqrt(fmax(v1 + v2 - 2 * c12, 0)) / n;
    }

    r->n_groups = 0;              /* the gas's per-component D* and f: r->gas */
    if ((s = axis_estimates(L, m, a, t, first, r)) != HOP_OK)
        return s;
    r->box_sites = (uint64_t)gp->n_sites;
    r->replicas = a->replicas;
    r->tracer_jumps = a->tracer_jumps;       /* accepted jumps */
    r->vacancy_steps = a->vacancy_steps;     /* attempts */
    r->gas.attempts = a->vacancy_steps;
    return HOP_OK;
}

/* ------------------------------------------------------- the gas's table --- */

/* The gas's own estimator (model.h): rows of the lattice groups plus the gas's series
 * (include/hop/gas.h) in two phases, the box and its companion. */
static void gas_shape(const hop_params *p, hop_state_shape *s)
{
    memset(s, 0, sizeof *s);
    s->row_times = p->n_times;
    s->row_groups = p->lattice->n_groups + HOP_GAS_EXTRA_SERIES;
}

static hop_status gas_work_alloc(const hop_params *p, void **work)
{
    hop_gas_model *m = hop_gas_model_alloc(p);
    *work = m;
    return m ? HOP_OK : hop_error(HOP_ERR_NOMEM, "out of memory");
}

static void gas_work_free(void *work)
{
    hop_gas_model_free(work);
}

static hop_status gas_run_part(const hop_params *p, const void *work, uint64_t first,
                               uint64_t n, hop_model_stats *st, int *batches, int *threads)
{
    const hop_gas_model *m = work;
    return p->backend == HOP_BACKEND_CUDA
               ? hop_cuda_run_gas(p->lattice, m, p->seed, first, n, p->batch, st->acc, batches)
               : hop_cpu_gas(p->lattice, m, p->seed, first, n, p->threads, threads, st->acc);
}

static hop_status gas_rows_estimate(const hop_params *p, const void *work,
                                    const hop_model_stats *st, hop_result *r)
{
    free(r->msd);
    r->msd = NULL;
    return hop_gas_estimate(p->lattice, work, p->J, p->fit_from, st->acc, r);
}

static void estimate_bias(hop_estimate *e, const hop_estimate *c, const hop_result *r,
                          const hop_result *check)
{
    e->bias = hop_size_bias(e->value, e->sigma, c->value, c->sigma, r->box_sites,
                            check->box_sites);
}

/* The companion box (half the edge, same c, time and J, streams [R, 2R)) bounds the
 * finite-size bias as for msd (models/estimators.c; for the gas the box's
 * M/(n-1) -> 1 - c is part of the same O(1/n) effect).
 * Theta from two slab widths has no O(1/L) surface term (see hop_gas_estimate); what
 * is left, chi_box - chi = O(1/n) and terms exponentially small in the narrow slabs'
 * width / xi, at least halves when the edge doubles.  With r(L) that residual,
 * |r(L)| <= |r(L/2)|/2 = |r(L) + Theta_c - Theta|/2 gives |r(L)| <= |Theta_c - Theta|:
 * the bound is the two boxes' difference itself plus two standard errors, not
 * extrapolated (ratio 1, where an O(1/n) residual alone would allow 1/(2^d - 1); the
 * companion's narrow slabs are only 1 or 2 planes wide, so its exponential terms are
 * not negligible).  A companion of edge < 4 has no narrow slab: its Theta carries the
 * one-width surface bias, which bounds nothing here (NaN: not bounded).  D_chem =
 * D_sigma Theta carries Theta's residual and D_sigma's O(1/n): the same bound; for
 * J = 0 it uses the exact Theta and has no bias. */
static void gas_bias_from_companion(hop_result *r, const hop_result *check)
{
    estimate_bias(&r->f, &check->f, r, check);
    estimate_bias(&r->gas.D_star, &check->gas.D_star, r, check);
    estimate_bias(&r->gas.D_sigma, &check->gas.D_sigma, r, check);
    estimate_bias(&r->gas.D_vacancy, &check->gas.D_vacancy, r, check);
    for (int g = 0; g < r->gas.n_groups; ++g) {
        estimate_bias(&r->gas.D_star_group[g], &check->gas.D_star_group[g], r, check);
        estimate_bias(&r->gas.f_group[g], &check->gas.f_group[g], r, check);
    }
    estimate_bias(&r->haven, &check->haven, r, check);
    estimate_bias(&r->haven_inverse, &check->haven_inverse, r, check);
    if (check->gas.theta_two_widths) {
        r->gas.theta.bias = hop_size_bias_ratio(r->gas.theta.value, r->gas.theta.sigma,
                                                check->gas.theta.value,
                                                check->gas.theta.sigma, 1.0);
        if (!r->gas.D_chem_exact_theta)
            r->gas.D_chem.bias = hop_size_bias_ratio(r->gas.D_chem.value,
                                                     r->gas.D_chem.sigma,
                                                     check->gas.D_chem.value,
                                                     check->gas.D_chem.sigma, 1.0);
    }
}

static const hop_estimator_ops gas_estimator = {
    "msd", gas_shape, gas_work_alloc, gas_work_free, gas_run_part, gas_rows_estimate,
    gas_bias_from_companion, NULL,    /* hop_gas_estimate leaves the biases NaN */
    NULL, hop_msd_json_parameters, NULL,    /* the msd box's parameters; the rest: gas_output.c */
    NULL                                    /* the model's verdict judges the gas */
};

/* c, J, the pair energy, D/D0, Theta and D_chem (J = 0: with the exact Theta). */
static void gas_columns(const hop_result *r, hop_model_columns *c)
{
    const hop_params *p = &r->params;
    hop_model_columns_none(r, c);
    c->c = r->gas.c;
    c->J = p->J;
    if (p->pair_energy_given)
        c->pair_energy = p->pair_energy;
    c->D_star = r->gas.D_star;
    c->D_sigma = r->gas.D_sigma;
    c->theta = r->gas.theta;
    c->D_chem = r->gas.D_chem;
}

/* Half the edge at the same concentration, time and J, if it resolves. */
static hop_companion gas_companion(const hop_params *p, hop_params *q)
{
    char msg[256];
    q->size = p->size / 2;
    if (!p->size_check || q->size < p->lattice->min_size
        || hop_gas_resolve(q, msg, sizeof msg) != HOP_OK)
        return HOP_COMPANION_SKIPPED;
    return HOP_COMPANION_RUN;
}

const hop_model hop_model_gas = {
    HOP_MODEL_GAS, "gas",
    "a many-body lattice gas at concentration c with pair energy J: D*,\n"
    "             D_sigma, the Haven ratio, the thermodynamic factor, D_chem", 1,
    {NULL, &gas_estimator},     /* its own rows; hop_gas_resolve sets the estimator to msd */
    hop_gas_resolve, gas_companion, NULL, NULL, NULL, hop_physics_gas_apply,
    "", hop_gas_report, {"jumps", "attempts", "attempts/s"},
    hop_gas_json_parameters, hop_gas_json_results, gas_columns,
    NULL,       /* many bodies: no single-defect chain */
    hop_gas_verdict
};

/* gas_run.c: the many-body lattice gas from parameters to a result (see gas_run.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend_cpu.h"
#include "backend_cuda.h"
#include "gas_run.h"
#include "lattice_impl.h"
#include "physics.h"
#include "run.h"

#define GAS_DEFAULT_REPLICAS (UINT64_C(1) << 12)
#define GAS_DEFAULT_REPLICAS_GPU (UINT64_C(1) << 18)
#define GAS_TARGET_SITES 512          /* default box: about this many sites (64 in 1D) */
#define GAS_TARGET_SITES_1D 64
#define GAS_MAX_SITES (1 << 22)       /* n z < 2^31 for the mover/direction draw */
#define GAS_DEFAULT_RELAXATIONS 32.0  /* default run, in relaxation times */
#define GAS_MIN_RELAXATIONS 8.0       /* shortest run */
#define GAS_MAX_ATTEMPTS 4e8          /* per replica and stretch: displacements stay int32 */
#define GAS_MIN_REPLICAS_PER_TIME 50  /* as the msd estimator: GLS weights from the replicas */
#define GAS_DECADES 3.0               /* the time grid spans t_max/1000 .. t_max */
/* Acceptance probabilities are 32-bit integer thresholds; the smallest, exp(-|J| dB_max),
 * must be at least 2^-16 so each is kept to a relative precision 2^-16 = 1.5e-5. */
#define GAS_MIN_ACCEPT_LOG2 16

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

/* The neighbour and sublattice tables of a box of `size` cells; 0 when out of memory.
 * The box is valid (hop_lattice_box_valid), so every jump lands on a distinct site. */
static int box_tables(const hop_lattice *L, int size, int32_t **nbr_out, int8_t **sub_out)
{
    int cells[HOP_MAX_DIM];
    const int64_t n = (int64_t)hop_lattice_box_sites(L, size);
    int32_t *nbr = malloc((size_t)n * (size_t)L->z * sizeof *nbr);
    int8_t *sub = malloc((size_t)n * sizeof *sub);
    if (!nbr || !sub) {
        free(nbr);
        free(sub);
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

int hop_gas_max_dB(const hop_lattice *L, int size)
{
    int32_t *nbr;
    int8_t *sub;
    int best;
    if (!box_tables(L, size, &nbr, &sub))
        return -1;
    best = tables_max_dB(L, (int64_t)hop_lattice_box_sites(L, size), nbr);
    free(nbr);
    free(sub);
    return best;
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

hop_status hop_gas_resolve(hop_params *p, char *msg, size_t msg_len)
{
    const hop_lattice *L = p->lattice;
    int64_t n, particles, vacancies, movers;
    double relax, least_time, max_time;
    int max_dB;
    p->estimator = HOP_EST_MSD;
    if (L->rate_total[0])
        BAD("--model gas: lattice %s has per-jump rates, which the gas model does not "
            "support (equal rates only)", L->name);
    if (hop_physics_gas_resolve(p, msg, msg_len) != HOP_OK)    /* sets J from --pair-energy */
        return HOP_ERR_INVAL;
    for (int i = 0; i < 5; ++i)
        if (p->w[i] > 0 || p->w3p > 0 || p->w3pp > 0)
            BAD("--model gas: the solute rates --w0 .. --w4 apply to --model solute only");
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
        BAD("--replicas: %llu is too few for the gas model with %d times (at least %llu)",
            (unsigned long long)p->replicas, p->n_times,
            (unsigned long long)(GAS_MIN_REPLICAS_PER_TIME * (uint64_t)p->n_times));
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
    if ((max_dB = hop_gas_max_dB(L, p->size)) < 0)
        BAD("out of memory building the box tables");
    if (fabs(p->J) * max_dB > GAS_MIN_ACCEPT_LOG2 * log(2.0) && p->pair_energy_given)
        BAD("--pair-energy: |E|/kT = %g at %g K makes the slowest jump rate exp(-%d |E|/kT) "
            "underflow the 32-bit acceptance test on %s (|E| <= %.4g eV at this T: rates "
            ">= 2^-%d)", fabs(p->J), p->T, max_dB, L->name,
            GAS_MIN_ACCEPT_LOG2 * log(2.0) / max_dB * HOP_K_B_EV * p->T, GAS_MIN_ACCEPT_LOG2);
    if (fabs(p->J) * max_dB > GAS_MIN_ACCEPT_LOG2 * log(2.0))
        BAD("--J: |J| = %g kT makes the slowest jump rate exp(-|J| %d) underflow the 32-bit "
            "acceptance test on %s (|J| <= %.4g: rates >= 2^-%d)", fabs(p->J), max_dB,
            L->name, GAS_MIN_ACCEPT_LOG2 * log(2.0) / max_dB, GAS_MIN_ACCEPT_LOG2);
    relax = relaxation_time(L, n, vacancies);
    /* at least 10 attempts per time point, and at most GAS_MAX_ATTEMPTS */
    least_time = fmax(GAS_MIN_RELAXATIONS * relax, 10.0 * p->n_times / ((double)movers * L->z));
    max_time = GAS_MAX_ATTEMPTS / ((double)movers * L->z);
    if (p->time == 0)
        p->time = fmin(fmax(GAS_DEFAULT_RELAXATIONS * relax, least_time), max_time);
    if (!(p->time >= least_time && p->time <= max_time))
        BAD("--time: %g is out of range for the gas on %s with --size %d and --c %g "
            "(%g .. %g in 1/nu)", p->time, L->name, p->size, p->c, least_time, max_time);
    /* Equilibration (J != 0): from a random start, half the run by default.  The pair
     * statistics relax locally within a few jumps per particle and density modes across
     * the box within a relaxation time; the run is at least 8 of those, so half of it is
     * at least 4.  The reported drift of the pair count between the early and late time
     * points checks it (near a phase transition relaxation is slower: check the drift). */
    if (p->equilibrate == 0 && p->J != 0)
        p->equilibrate = 0.5 * p->time;
    if (!(p->equilibrate >= 0 && p->equilibrate <= max_time))
        BAD("--equilibrate: %g is out of range (0 .. %g in 1/nu)", p->equilibrate, max_time);
    return HOP_OK;
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
    if (!box_tables(L, p->size, &m->nbr, &m->sub)) {
        free(m);
        return NULL;
    }
    m->box.nbr = m->nbr;
    m->box.sub = m->sub;
    m->max_dB = tables_max_dB(L, n, m->nbr);
    gp = &m->gp;
    counts_of(p->c, n, &particles, &vacancies, &movers);
    gp->n_sites = (int32_t)n;
    gp->n_particles = (int32_t)particles;
    gp->n_vacancies = (int32_t)vacancies;
    gp->vacancy_movers = vacancies < particles;
    gp->n_movers = (int32_t)movers;
    gp->interacting = p->J != 0;
    /* Metropolis: accept with min(1, exp(-J dB)) as floor(p 2^32) / 2^32; 2^32 = always. */
    for (int d = -(L->z - 1); d <= L->z - 1; ++d) {
        const double x = -p->J * d;
        gp->accept[d + L->z - 1] = x >= 0 ? HOP_GAS_ALWAYS
                                          : (uint64_t)floor(exp(x) * 4294967296.0);
    }
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
    free(m);
}

hop_msd_accum *hop_gas_accum_alloc(const hop_lattice *L, const hop_gas_params *p)
{
    /* hop_msd_accum keeps 2 + n_groups series; the gas has 2 more (vacancy, pairs). */
    return hop_msd_accum_alloc(p->n_times, L->n_groups + 2);
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

hop_status hop_gas_estimate(const hop_lattice *L, const hop_gas_model *m, double J,
                            double fit_from, const hop_msd_accum *a, hop_result *r)
{
    const hop_gas_params *gp = &m->gp;
    const int K = gp->n_times, d = L->dim, G = L->n_groups;
    const int q_vac = 2 + G, q_pairs = 3 + G;
    const double den = L->metric_den, alpha2 = (double)L->jump_len2 / den;
    const double N = gp->n_particles, M = gp->n_vacancies, n = gp->n_sites;
    const double D0 = L->z * alpha2 / (2.0 * d);
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
        return hop_error(s, "GLS fit of the tracer MSD failed (too few replicas?)");
    bt = fit.slope;
    vt = fit.slope_stderr * fit.slope_stderr;
    r->fit_chi2 = fit.chi2;
    r->fit_dof = fit.dof;
    if ((s = hop_msd_accum_fit(a, t, HOP_GAS_COLLECTIVE, first, &fit, w_coll)) != HOP_OK)
        return hop_error(s, "GLS fit of the collective MSD failed (too few replicas?)");
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
    r->f.bias = NAN;               /* bounded by the caller's companion box (host/run.c) */
    /* Delta method for a ratio of two correlated slopes. */
    rel2 = vt / (bt * bt) + vc / (bc * bc) - 2.0 * cv / (bt * bc);
    rel2 = rel2 > 0 ? rel2 : 0;
    r->haven.value = bt / bc;
    r->haven.sigma = fabs(r->haven.value) * sqrt(rel2);
    r->haven_inverse.value = bc / bt;
    r->haven_inverse.sigma = fabs(r->haven_inverse.value) * sqrt(rel2);
    r->haven.bias = r->haven_inverse.bias = NAN;
    if (J == 0) {
        r->gas.D_chem.value = r->gas.D_sigma.value / empty;
        r->gas.D_chem.sigma = r->gas.D_sigma.sigma / empty;
    } else {
        r->gas.D_chem.value = r->gas.D_chem.sigma = NAN;
    }

    /* the vacancies' own motion */
    if ((s = hop_msd_accum_fit(a, t, q_vac, first, &fit, NULL)) != HOP_OK)
        return hop_error(s, "GLS fit of the vacancy MSD failed (too few replicas?)");
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

    r->n_groups = 0;              /* no per-component f for the gas */
    r->box_sites = (uint64_t)gp->n_sites;
    r->replicas = a->replicas;
    r->tracer_jumps = a->tracer_jumps;       /* accepted jumps */
    r->vacancy_steps = a->vacancy_steps;     /* attempts */
    r->gas.attempts = a->vacancy_steps;
    return HOP_OK;
}

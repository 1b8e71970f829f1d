/* alloy.c: the concentrated alloy from parameters to a result (see models/alloy.h and
 * include/hop/alloy.h), and its table (models/model.h) with its own estimator: rows of
 * every species' and the vacancy's tracer sums and of the collective products
 * dR_i . dR_j, in two boxes (the run's and a half-edge companion). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/cpu.h"
#include "backend/cuda.h"
#include "lattice/impl.h"
#include "lattice/moment.h"
#include "models/alloy.h"
#include "models/estimators.h"
#include "models/gas.h"
#include "models/model.h"
#include "models/physics.h"
#include "models/sections.h"
#include "models/verdict.h"

#define ALLOY_DEFAULT_REPLICAS (UINT64_C(1) << 12)
#define ALLOY_TARGET_SITES 512          /* default box: about this many sites (64 in 1D) */
#define ALLOY_TARGET_SITES_1D 64
#define ALLOY_MAX_SITES (1 << 22)
#define ALLOY_DEFAULT_JUMPS 64.0        /* default run: uncorrelated jumps per atom of the
                                           slowest mobile species (1D and 3D) */
#define ALLOY_DEFAULT_JUMPS_2D 512.0    /* in 2D, and N (the box's sites) in a box of
                                           more: f approaches its limit by the law only
                                           after the box's composition modes relax, near
                                           N/2 jumps (results/alloys.md, the run-length
                                           law); b_run < sigma on the median run there */
#define ALLOY_MAX_EXCHANGES 4e8         /* per replica: displacements stay int32 */
#define ALLOY_MIN_REPLICAS_PER_TIME HOP_MIN_REPLICAS_PER_TIME  /* model.h: GLS weights */
#define ALLOY_DECADES 3.0               /* the time grid spans t_max/1000 .. t_max */
#define ALLOY_MIN_RATE_LOG2 20          /* a nonzero rate is at least 2^-20 of the largest */
#define ALLOY_FRACTION_TOL 1e-9
#define ALLOY_MAX_PAIR_KT 20.0        /* |pair energy| in kT (as --pair in kT) */
#define ALLOY_LEVER_POWER 8.0         /* the run-length lever: lever^p nearest this */

#define BAD(...) do { snprintf(msg, msg_len, __VA_ARGS__); return HOP_ERR_INVAL; } while (0)

/* --------------------------------------------------------- parameters --- */

static int interacting(const hop_params *p)
{
    for (int i = 0; i < p->alloy.n_species; ++i)
        for (int j = 0; j < p->alloy.n_species; ++j)
            if (p->alloy.pair[i][j] != 0)
                return 1;
    return 0;
}

/* The pair energies' factor table exp(-eps(s, t) d / 2), d in -z .. z, and the largest
 * and smallest rate over w_max any environment can give (products of the extreme
 * factors: bounds, reached or not). */
static void pair_factors(const hop_params *p, hop_alloy_params *ap, double *g_max, double *g_min)
{
    const int z = p->lattice->z, n = p->alloy.n_species;
    double w_max = 0;
    for (int s = 0; s < n; ++s)
        w_max = fmax(w_max, p->alloy.w[s]);
    *g_max = 0;
    *g_min = INFINITY;
    for (int s = 0; s < n; ++s) {
        double hi = p->alloy.w[s] / w_max, lo = hi;
        for (int t = 0; t < n; ++t) {
            double fmx = 0, fmn = INFINITY;
            for (int d = -z; d <= z; ++d) {
                const double f = exp(-p->alloy.pair[s][t] * d / 2);
                if (ap)
                    ap->factor[s][t][d + z] = f;
                fmx = fmax(fmx, f);
                fmn = fmin(fmn, f);
            }
            hi *= fmx;
            lo *= fmn;
        }
        *g_max = fmax(*g_max, hi);
        if (p->alloy.w[s] > 0)
            *g_min = fmin(*g_min, lo);
    }
}


/* ------------------------------------------------- the jump network --- */

/* Gamma_c = R_c exp(-B_c) of jump class c of L (B_c in kT; in eV converted at T): the
 * exchange rate along the class is w_i Gamma_c.  1 for a lattice without classes (the
 * built-ins' one class "nn" has R = 1, B = 0). */
static double class_gamma(const hop_lattice *L, int c, double T)
{
    double B;
    if (L->n_classes == 0)
        return 1;
    B = L->class_barrier[c];
    if (L->class_barrier_ev[c] && B != 0)
        B /= HOP_K_B_EV * T;
    return L->class_rate[c] * exp(-B);
}

/* Whether the alloy's rates differ between jumps (the step's classed path): the
 * lattice's derived per-jump rates are unequal (lattice/rates.h). */
static int classed(const hop_lattice *L)
{
    return L->rate_total[0] != 0;
}

/* Gamma of jump k of sublattice s. */
static double jump_gamma(const hop_lattice *L, int s, int k, double T)
{
    return L->n_classes ? class_gamma(L, L->jump_class[s][k], T) : 1;
}

/* The largest Gamma_c over the classes used by jumps. */
static double gamma_max(const hop_lattice *L, double T)
{
    double top = 0;
    for (int s = 0; s < L->n_sub; ++s)
        for (int k = 0; k < L->z; ++k)
            top = fmax(top, jump_gamma(L, s, k, T));
    return top;
}

/* The network's moment over a site of the cell (sites of every sublattice alike: no
 * site energies), sum over its jumps k of Gamma_k |e_k|^2 (g < 0), or of Gamma_k times
 * the squared projection of e_k on principal component g (hop_lattice_dot), in a^2
 * (docs/alloys.md): the uncorrelated reference is w_i n_v/(N - 1) times this over 2d
 * (or over twice the axes of g).  With one jump length and Gamma = 1 it is z alpha^2,
 * computed as before (the same bits). */
static double rate_moment(const hop_lattice *L, double T, int g)
{
    const double den = L->metric_den;
    double w[HOP_MAX_SUB][HOP_MAX_Z];
    if (g < 0 && hop_lattice_one_length(L) && !classed(L) && gamma_max(L, T) == 1)
        return L->z * ((double)L->jump_len2 / den);
    for (int s = 0; s < L->n_sub; ++s) {
        double sites = 0;
        for (int b = 0; b < L->n_basis; ++b)
            sites += L->basis_sub[b] == s;
        for (int k = 0; k < L->z; ++k)
            w[s][k] = sites * jump_gamma(L, s, k, T);
    }
    return hop_lattice_moment(L, g, w, den) / L->n_basis;
}

/* The sum of Gamma_k over a site's jumps (mean over the cell's sites): z with equal
 * unit rates. */
static double rate_sum(const hop_lattice *L, double T)
{
    double sum = 0;
    for (int b = 0; b < L->n_basis; ++b)
        for (int k = 0; k < L->z; ++k)
            sum += jump_gamma(L, L->basis_sub[b], k, T);
    return sum / L->n_basis;
}

/* The rate-weighted mean squared jump length <|e|^2>_Gamma = rate_moment / rate_sum
 * (alpha^2 with one length: the vacancy's uncorrelated reference per exchange). */
static double mean_len2(const hop_lattice *L, double T, int g)
{
    if (g < 0 && hop_lattice_one_length(L) && !classed(L))
        return (double)L->jump_len2 / L->metric_den;
    return rate_moment(L, T, g) / rate_sum(L, T);
}

/* Principal components with their own series: 0 where the lattice is isotropic (its
 * f is a scalar) or has one. */
static int axis_groups(const hop_lattice *L)
{
    return !L->isotropic && L->n_groups > 1 ? L->n_groups : 0;
}

static int default_size(const hop_lattice *L)
{
    const double sites = L->dim == 1 ? ALLOY_TARGET_SITES_1D : ALLOY_TARGET_SITES;
    const int size = (int)floor(pow(sites / L->n_basis, 1.0 / L->dim) + 0.5);
    return size < L->min_size ? L->min_size : size;
}

void hop_alloy_counts(const hop_params *p, int64_t atoms, int64_t *count)
{
    int64_t sum = 0;
    int largest = 0;
    for (int i = 0; i < p->alloy.n_species; ++i) {
        count[i] = (int64_t)llround(p->alloy.fraction[i] * (double)atoms);
        sum += count[i];
        if (p->alloy.fraction[i] > p->alloy.fraction[largest])
            largest = i;
    }
    count[largest] += atoms - sum;
}

/* The rate of the time unit: the first species' rate, or the largest where it is 0. */
static double reference_rate(const hop_params *p)
{
    double w_max = 0;
    for (int i = 0; i < p->alloy.n_species; ++i)
        w_max = fmax(w_max, p->alloy.w[i]);
    return p->alloy.w[0] > 0 ? p->alloy.w[0] : w_max;
}

/* A vacancy's mean exchange rate over w_ref in the random arrangement, (sum_k Gamma_k)
 * sum c_i w_i (z sum c_i w_i with equal unit rates) with c_i the probability that a
 * given neighbour holds species i. */
static double vacancy_rate(const hop_params *p, int64_t sites, const int64_t *count)
{
    double r = 0;
    for (int i = 0; i < p->alloy.n_species; ++i)
        r += (double)count[i] / (double)(sites - 1) * p->alloy.w[i];
    return rate_sum(p->lattice, p->T) * r / reference_rate(p);
}

static hop_status check_species(const hop_params *p, char *msg, size_t msg_len)
{
    const int n = p->alloy.n_species;
    double sum = 0, w_max = 0;
    if (n < 1)
        BAD("--model alloy needs --species, e.g. --species A:0.5,B:0.5");
    if (n > HOP_ALLOY_MAX_SPECIES)
        BAD("--species: %d species; at most %d", n, HOP_ALLOY_MAX_SPECIES);
    for (int i = 0; i < n; ++i) {
        if (!(p->alloy.fraction[i] > 0 && p->alloy.fraction[i] <= 1))
            BAD("--species: the fraction of %s, %g, is out of range (0 < x <= 1)",
                p->alloy.name[i], p->alloy.fraction[i]);
        sum += p->alloy.fraction[i];
        for (int j = 0; j < i; ++j)
            if (strcmp(p->alloy.name[i], p->alloy.name[j]) == 0)
                BAD("--species: %s is listed twice", p->alloy.name[i]);
        if (!(p->alloy.w[i] >= 0 && isfinite(p->alloy.w[i])))
            BAD("--w: the rate of %s, %g, must be a finite number >= 0 (or --w is missing "
                "it)", p->alloy.name[i], p->alloy.w[i]);
        w_max = fmax(w_max, p->alloy.w[i]);
    }
    if (fabs(sum - 1) > ALLOY_FRACTION_TOL)
        BAD("--species: the fractions sum to %.12g, not 1 (to %g)", sum, ALLOY_FRACTION_TOL);
    if (w_max == 0)
        BAD("--w: every rate is zero; at least one species must exchange with the vacancy");
    for (int i = 0; i < n; ++i)
        if (p->alloy.w[i] > 0 && p->alloy.w[i] < ldexp(w_max, -ALLOY_MIN_RATE_LOG2))
            BAD("--w: %s's rate %g is below 2^-%d of the largest (%g), the integer rates' "
                "range (give 0 for an immobile species)", p->alloy.name[i], p->alloy.w[i],
                ALLOY_MIN_RATE_LOG2, w_max);
    return HOP_OK;
}

static hop_status check_others(const hop_params *p, char *msg, size_t msg_len)
{
    for (int i = 0; i < 5; ++i)
        if (p->w[i] > 0 || p->E[i] > 0)
            BAD("--model alloy: the solute rates --w0 .. --w4 apply to --model solute only "
                "(the alloy's are --w NAME=RATE,...)");
    if (p->w3p > 0 || p->w3pp > 0)
        BAD("--model alloy: --w3p and --w3pp apply to --model solute only");
    if (p->Qm > 0 || p->bond_energy > 0)
        BAD("--model alloy: the migration energies are the species' (--Em NAME=EV,...), "
            "not --Qm or --bond-energy");
    if (p->carrier_density > 0 || p->charge != 0)
        BAD("--model alloy: --carrier-density and --charge do not apply (the Onsager matrix "
            "is in the output instead)");
    if (!hop_lattice_uniform_z(p->lattice))
        BAD("--model alloy: the sublattices of %s differ in coordination, which the alloy "
            "model does not support (one z on every site)", p->lattice->name);
    return HOP_OK;
}

/* The lattice's rates: jump classes (any lengths), each exchange w_i Gamma_c; per-jump
 * rates without classes (a version-1 file) and site energies are refused: with site
 * energies the vacancy's occupation differs between sublattices, which the alloy's
 * uniform random start and its rate rule do not hold (docs/alloys.md).  Every nonzero
 * w_i Gamma_c within the integer rates' range of the largest. */
static hop_status check_lattice_rates(const hop_params *p, char *msg, size_t msg_len)
{
    const hop_lattice *L = p->lattice;
    double w_max = 0, top, low = INFINITY;
    if (L->n_classes == 0 && L->rate_total[0])
        BAD("--model alloy: lattice %s has per-jump rates without jump classes (a version-1 "
            "file); the alloy takes class rates (a version-2 file, docs/lattice-files.md)",
            L->name);
    if (L->occupation[0])
        BAD("--model alloy: lattice %s has unequal site energies, which the alloy model does "
            "not take (its random start assumes every site equally likely for the vacancy); "
            "give equal ones (--site-energy LABEL=0)", L->name);
    if (!classed(L))
        return HOP_OK;
    for (int i = 0; i < p->alloy.n_species; ++i)
        w_max = fmax(w_max, p->alloy.w[i]);
    top = gamma_max(L, p->T);
    for (int s = 0; s < L->n_sub; ++s)
        for (int k = 0; k < L->z; ++k)
            low = fmin(low, jump_gamma(L, s, k, p->T));
    for (int i = 0; i < p->alloy.n_species; ++i)
        if (p->alloy.w[i] > 0
            && p->alloy.w[i] * low < ldexp(w_max * top, -ALLOY_MIN_RATE_LOG2))
            BAD("--w/--rate: %s's slowest exchange, w %g times the slowest class rate %g, is "
                "below 2^-%d of the fastest (%g times %g), the integer rates' range",
                p->alloy.name[i], p->alloy.w[i], low, ALLOY_MIN_RATE_LOG2, w_max, top);
    return HOP_OK;
}

/* The box: size, sites, counts (every species at least one atom). */
static hop_status check_box(hop_params *p, char *msg, size_t msg_len)
{
    const hop_lattice *L = p->lattice;
    int64_t n, count[HOP_ALLOY_MAX_SPECIES];
    if (p->size == 0)
        p->size = default_size(L);
    {
        const double sites = (double)hop_lattice_box_sites(L, 1) * pow(p->size, L->dim);
        const int max_size = (int)floor(pow((double)ALLOY_MAX_SITES / L->n_basis, 1.0 / L->dim));
        if (p->size < L->min_size || sites > ALLOY_MAX_SITES || !hop_lattice_box_valid(L, p->size))
            BAD("--size: %d is out of range for %s (%d .. %d cells): the box is too small "
                "for the lattice or too large", p->size, L->name, L->min_size, max_size);
    }
    n = (int64_t)hop_lattice_box_sites(L, p->size);
    if (p->alloy.vacancies == 0)
        p->alloy.vacancies = 1;
    if (p->alloy.vacancies < 1 || p->alloy.vacancies > HOP_ALLOY_MAX_VACANCIES
        || p->alloy.vacancies > n - 2)
        BAD("--vacancies: %d is out of range (1 .. %lld in a box of %lld sites)",
            p->alloy.vacancies, (long long)(n - 2 < HOP_ALLOY_MAX_VACANCIES
                                            ? n - 2 : HOP_ALLOY_MAX_VACANCIES), (long long)n);
    hop_alloy_counts(p, n - p->alloy.vacancies, count);
    for (int i = 0; i < p->alloy.n_species; ++i)
        if (count[i] < 1)
            BAD("--species: %s gets %lld atoms in the box of %lld sites (%d cells per edge); "
                "every species needs at least 1 (raise --size or its fraction)",
                p->alloy.name[i], (long long)count[i], (long long)n, p->size);
    return HOP_OK;
}

/* The default run in uncorrelated jumps per atom of the slowest mobile species:
 * ALLOY_DEFAULT_JUMPS, and in 2D the larger of ALLOY_DEFAULT_JUMPS_2D and the box's sites
 * (the time the box's composition modes take to relax grows with its area). */
static double default_jumps(const hop_lattice *L, int64_t sites)
{
    return L->dim == 2 ? fmax(ALLOY_DEFAULT_JUMPS_2D, (double)sites) : ALLOY_DEFAULT_JUMPS;
}

/* The run length from which the run-length bound holds in a 2D box of `sites` sites, in
 * uncorrelated jumps per atom of the slowest mobile species: N/2.  Before it the box's
 * composition modes have not relaxed and f still falls faster than the bound's law
 * T^-d/2 allows, so the bound does not cover the distance to the limit.  Measured
 * (results/alloys.md, "The run-length law"; tests/alloy_runlength.c): on square A50B50
 * at w_B/w_A = 0.2 and 5 and A30B70 at 0.2 (484 sites) f falls by a constant step per
 * doubling up to ~120 jumps (N/4, the crossover), and from 244 jumps (N/2) on every f
 * lies within 0.9 sigma of its limit and below b_run; in 1936 sites the fall goes on
 * past 1024 jumps (the crossover grows with the area: there N/2 is the least, not
 * enough).  0 in 1D and 3D (fcc: no change resolved from 30 to 512 jumps). */
static double settled_jumps(const hop_lattice *L, int64_t sites)
{
    return L->dim == 2 ? 0.5 * (double)sites : 0.0;
}

/* The time, in 1/w_ref, in which an atom of the slowest mobile species of p (box of n
 * sites) makes `jumps` uncorrelated jumps. */
static double jumps_time(const hop_params *p, int64_t n, double jumps)
{
    const double w_ref = reference_rate(p);
    double w_slow = INFINITY;
    for (int i = 0; i < p->alloy.n_species; ++i)
        if (p->alloy.w[i] > 0)
            w_slow = fmin(w_slow, p->alloy.w[i] / w_ref);
    return jumps * (double)(n - 1) / (rate_sum(p->lattice, p->T) * w_slow * p->alloy.vacancies);
}

/* The run lengths p's alloy allows in a box of n sites, in 1/w_ref: at least 10
 * exchanges per time point, at most ALLOY_MAX_EXCHANGES per replica on average and a
 * clock below 2^62 ticks. */
static void time_range(const hop_params *p, int64_t n, double *least, double *most)
{
    const hop_lattice *L = p->lattice;
    const double w_ref = reference_rate(p);
    int64_t count[HOP_ALLOY_MAX_SPECIES];
    double w_max = 0, rate;
    hop_alloy_counts(p, n - p->alloy.vacancies, count);
    for (int i = 0; i < p->alloy.n_species; ++i)
        w_max = fmax(w_max, p->alloy.w[i] / w_ref);
    rate = p->alloy.vacancies * vacancy_rate(p, n, count);   /* exchanges per unit time */
    w_max *= gamma_max(L, p->T);    /* the fastest exchange (1 x w_max without classes) */
    *least = 10.0 * p->n_times / rate;
    *most = ALLOY_MAX_EXCHANGES / rate;
    if (interacting(p)) {
        double g_max, g_min;
        pair_factors(p, NULL, &g_max, &g_min);
        w_max *= g_max;             /* the fastest rate any environment gives */
    }
    *most = fmin(*most, ldexp(1.0, 62 - 32) / w_max);
}

int hop_alloy_short_run(const hop_params *p, char *text, size_t n)
{
    const int64_t sites = p->model == HOP_MODEL_ALLOY
                          ? (int64_t)hop_lattice_box_sites(p->lattice, p->size) : 0;
    const double least = sites > 0 ? settled_jumps(p->lattice, sites) : 0;
    double per_jump;
    if (!(least > 0))
        return 0;
    double shortest, longest;
    per_jump = jumps_time(p, sites, 1.0);
    if (p->time >= least * per_jump)
        return 0;
    time_range(p, sites, &shortest, &longest);
    if (least * per_jump * 1.01 > longest)   /* the box is too large for such a run */
        snprintf(text, n, "the run (%.3g jumps per atom of the slowest mobile species) is "
                 "shorter than the N/2 = %.0f jumps (N = %lld sites) a 2D box needs before "
                 "the run-length bound holds (results/alloys.md), and the longest run hop "
                 "allows in this box (--time %.3g) is shorter still: use a smaller --size",
                 p->time / per_jump, least, (long long)sites, longest);
    else
        snprintf(text, n, "the run (%.3g jumps per atom of the slowest mobile species) is "
                 "shorter than the N/2 = %.0f jumps (N = %lld sites) a 2D box needs before "
                 "the run-length bound holds: f still falls faster than it assumes "
                 "(results/alloys.md); use --time %.3g or more",
                 p->time / per_jump, least, (long long)sites, least * per_jump * 1.01);
    return 1;
}

/* Default and bounds of the run length (time_range); the default is default_jumps. */
static hop_status check_time(hop_params *p, char *msg, size_t msg_len)
{
    const hop_lattice *L = p->lattice;
    const int64_t n = (int64_t)hop_lattice_box_sites(L, p->size);
    double least, most;
    time_range(p, n, &least, &most);
    if (p->time == 0)
        p->time = fmin(fmax(jumps_time(p, n, default_jumps(L, n)), least), most);
    if (!(p->time >= least && p->time <= most))
        BAD("--time: %g is out of range for this alloy on %s with --size %d (%g .. %g in "
            "1/w_ref)", p->time, L->name, p->size, least, most);
    if (interacting(p) && p->equilibrate == 0)
        p->equilibrate = 0.5 * p->time;
    if (!(p->equilibrate >= 0 && p->equilibrate <= most))
        BAD("--equilibrate: %g is out of range (0 .. %g in 1/w_ref)", p->equilibrate, most);
    return HOP_OK;
}

/* Pair energies: finite, symmetric, and the slowest possible rate at least
 * 2^-ALLOY_MIN_RATE_LOG2 of the fastest (integer rates); --equilibrate's default is
 * half the run (the short-range order relaxes within a few exchanges per atom). */
static hop_status check_pairs(hop_params *p, char *msg, size_t msg_len)
{
    double g_max, g_min;
    for (int i = 0; i < p->alloy.n_species; ++i)
        for (int j = 0; j < p->alloy.n_species; ++j)
            if (!isfinite(p->alloy.pair[i][j]) || p->alloy.pair[i][j] != p->alloy.pair[j][i])
                BAD("--pair: the energy of %s-%s is not a finite symmetric number",
                    p->alloy.name[i], p->alloy.name[j]);
    if (!interacting(p)) {
        if (p->equilibrate > 0)
            BAD("--equilibrate: the random alloy starts in equilibrium; it applies with --pair");
        return HOP_OK;
    }
    pair_factors(p, NULL, &g_max, &g_min);
    if (classed(p->lattice)) {          /* the slowest class slows every environment */
        double low = INFINITY;
        for (int s = 0; s < p->lattice->n_sub; ++s)
            for (int k = 0; k < p->lattice->z; ++k)
                low = fmin(low, jump_gamma(p->lattice, s, k, p->T));
        g_min *= low / gamma_max(p->lattice, p->T);
    }
    if (g_min / g_max < ldexp(1.0, -ALLOY_MIN_RATE_LOG2))
        BAD("--pair: these energies make the slowest exchange rate %.3g of the fastest on %s, "
            "below the integer rates' range 2^-%d (smaller energies or rate ratios)",
            g_min / g_max, p->lattice->name, ALLOY_MIN_RATE_LOG2);
    return HOP_OK;
}

/* Pair energies given in eV become pair = E/kT (needs --T); every resolve sets them
 * again from pair_eV, so resolving twice (the companion box) changes nothing. */
static hop_status pairs_in_kT(hop_params *p, char *msg, size_t msg_len)
{
    for (int i = 0; i < p->alloy.n_species; ++i)
        for (int j = 0; j < p->alloy.n_species; ++j) {
            const double e = p->alloy.pair_eV[i][j];
            if (e == 0)
                continue;
            if (!(p->T > 0))
                BAD("--pair: %s-%s is in eV: it needs --T (temperature in K), E/kT",
                    p->alloy.name[i], p->alloy.name[j]);
            p->alloy.pair[i][j] = e / (HOP_K_B_EV * p->T);
            if (fabs(p->alloy.pair[i][j]) > ALLOY_MAX_PAIR_KT)
                BAD("--pair: %s-%s = %g eV is %g kT at %g K; at most %g kT", p->alloy.name[i],
                    p->alloy.name[j], e, p->alloy.pair[i][j], p->T, ALLOY_MAX_PAIR_KT);
        }
    return HOP_OK;
}

/* Physical units (docs/alloys.md): with --Em every species' rate is w_i = nu_i exp(S_m)
 * exp(-Em_i/kT) (nu_i the species' --nu or the common one) and the run is the reduced
 * run with w_i/w_ref, w_ref = w of the first species; --T, --a and --Qf are needed. */
static hop_status check_units(hop_params *p, char *msg, size_t msg_len)
{
    const int n = p->alloy.n_species;
    const int pairs_eV = p->alloy.pairs_in_eV;    /* 0 eV counts: a scan's axis crosses it */
    int energies = 0, nus = 0;
    double kT, w[HOP_ALLOY_MAX_SPECIES];
    for (int i = 0; i < n; ++i) {
        energies |= p->alloy.Em[i] != 0;
        nus |= p->alloy.nu[i] != 0;
    }
    if (pairs_in_kT(p, msg, msg_len) != HOP_OK)
        return HOP_ERR_INVAL;
    /* --T with pair energies in eV alone converts them; anything else asks for SI */
    p->physical = energies || nus || p->nu > 0 || p->a > 0 || p->Qf > 0 || p->Sf != 0
                  || p->Sm != 0 || (p->T > 0 && !pairs_eV);
    if (!p->physical)
        return HOP_OK;
    if (!energies)
        BAD("--model alloy: physical units take the species' migration energies --Em "
            "NAME=EV,... (with --nu) in place of the rates --w");
    if (!(p->T > 0) || !(p->a > 0) || !(p->Qf > 0) || !(nus || p->nu > 0))
        BAD("--model alloy: physical units need --T (K), --a (Angstrom), --Qf (the vacancy "
            "formation energy, eV) and --nu (Hz, one for all or NAME=HZ,...)");
    if (!isfinite(p->Sf) || !isfinite(p->Sm) || fabs(p->Sf) > 20 || fabs(p->Sm) > 20)
        BAD("--Sf/--Sm: entropies in k_B within +-20");
    kT = HOP_K_B_EV * p->T;
    if (p->Qf / kT > 700)
        BAD("--T: Q_f/kT = %g at %g K: the vacancy fraction underflows (at most 700)",
            p->Qf / kT, p->T);
    for (int i = 0; i < n; ++i) {
        const double nu = nus ? p->alloy.nu[i] : p->nu;
        if (!(p->alloy.Em[i] > 0) || !(nu > 0))
            BAD("--Em/--nu: species %s needs a migration energy > 0 and an attempt "
                "frequency > 0", p->alloy.name[i]);
        if (p->alloy.Em[i] / kT > 700)
            BAD("--T: Em(%s)/kT = %g at %g K: its rate underflows (at most 700)",
                p->alloy.name[i], p->alloy.Em[i] / kT, p->T);
        w[i] = nu * exp(p->Sm) * exp(-p->alloy.Em[i] / kT);
    }
    for (int i = 0; i < n; ++i)
        p->alloy.w[i] = w[i] / w[0];
    return HOP_OK;
}

/* The rate of the first species in 1/s (physical units; else NaN). */
double hop_alloy_rate_hz(const hop_params *p)
{
    const double nu = p->alloy.nu[0] > 0 ? p->alloy.nu[0] : p->nu;
    if (!p->physical)
        return NAN;
    return nu * exp(p->Sm) * exp(-p->alloy.Em[0] / (HOP_K_B_EV * p->T));
}

hop_status hop_alloy_resolve(hop_params *p, char *msg, size_t msg_len)
{
    p->estimator = HOP_EST_MSD;
    if (check_units(p, msg, msg_len) != HOP_OK || check_species(p, msg, msg_len) != HOP_OK
        || check_others(p, msg, msg_len) != HOP_OK
        || check_lattice_rates(p, msg, msg_len) != HOP_OK)
        return HOP_ERR_INVAL;
    if (p->n_times < 8 || p->n_times > HOP_MAX_TIMES)
        BAD("--times: %d is out of range (8 .. %d)", p->n_times, HOP_MAX_TIMES);
    if (!(p->fit_from > 0 && p->fit_from < 1))
        BAD("--fit-from: %g is out of range (0 < x < 1)", p->fit_from);
    if (p->replicas == 0)
        p->replicas = ALLOY_DEFAULT_REPLICAS;
    if (p->replicas < ALLOY_MIN_REPLICAS_PER_TIME * (uint64_t)p->n_times)
        BAD("--replicas: %llu is too few for the alloy: it needs %d per time point, %llu for "
            "--times %d", (unsigned long long)p->replicas, ALLOY_MIN_REPLICAS_PER_TIME,
            (unsigned long long)(ALLOY_MIN_REPLICAS_PER_TIME * (uint64_t)p->n_times),
            p->n_times);
    if (check_box(p, msg, msg_len) != HOP_OK || check_pairs(p, msg, msg_len) != HOP_OK
        || check_time(p, msg, msg_len) != HOP_OK)
        return HOP_ERR_INVAL;
    return HOP_OK;
}

/* --------------------------------------------------------------- model --- */

hop_alloy_model *hop_alloy_model_alloc(const hop_params *p)
{
    const hop_lattice *L = p->lattice;
    const int64_t n = (int64_t)hop_lattice_box_sites(L, p->size);
    hop_alloy_model *m = calloc(1, sizeof *m);
    hop_alloy_params *ap;
    int64_t count[HOP_ALLOY_MAX_SPECIES];
    double w_max = 0, ticks_per_unit, t_max, g_max = 1, g_min = 1, top;
    if (!m)
        return NULL;
    if (!hop_gas_box_tables(L, p->size, &m->nbr, &m->sub)) {
        free(m);
        return NULL;
    }
    m->box.nbr = m->nbr;
    m->box.sub = m->sub;
    m->box.block = NULL;
    m->w_ref = reference_rate(p);
    ap = &m->ap;
    ap->n_sites = (int32_t)n;
    ap->n_vacancies = p->alloy.vacancies;
    ap->n_atoms = (int32_t)(n - p->alloy.vacancies);
    ap->n_species = p->alloy.n_species;
    hop_alloy_counts(p, ap->n_atoms, count);
    ap->first[0] = 0;
    for (int i = 0; i < ap->n_species; ++i) {
        ap->first[i + 1] = ap->first[i] + (int32_t)count[i];
        w_max = fmax(w_max, p->alloy.w[i]);
    }
    /* integer rates: the largest 2^32 (with pair energies the largest any environment
     * can give, g_max w_max) */
    ap->interacting = interacting(p);
    if (ap->interacting)
        pair_factors(p, ap, &g_max, &g_min);
    for (int i = 0; i < ap->n_species; ++i) {
        ap->weight[i] = (uint64_t)llround(ldexp(p->alloy.w[i] / w_max, 32));
        ap->scale[i] = ldexp(p->alloy.w[i] / w_max / g_max, 32);
    }
    ap->weight[ap->n_species] = 0;
    ap->scale[ap->n_species] = 0;
    /* jump classes: w_i Gamma_c over the largest, as integers (include/hop/alloy.h) */
    top = gamma_max(L, p->T);
    ap->classed = classed(L);
    for (int c = 0; c < HOP_MAX_CLASSES; ++c)
        ap->class_factor[c] = c < L->n_classes && ap->classed ? class_gamma(L, c, p->T) / top : 1;
    if (ap->classed) {
        for (int s = 0; s < L->n_sub; ++s)
            for (int k = 0; k < L->z; ++k)
                ap->jump_class[s][k] = (uint8_t)L->jump_class[s][k];
        for (int i = 0; i < ap->n_species; ++i)
            for (int c = 0; c < L->n_classes; ++c)
                ap->class_weight[i][c] = (uint64_t)llround(ldexp(p->alloy.w[i] / w_max
                                                                 * ap->class_factor[c], 32));
    }
    ap->groups = axis_groups(L);
    /* one tick is 2^-32 / (g_max w_max Gamma_max), i.e. (w_ref / (g_max w_max
     * Gamma_max)) 2^-32 in 1/w_ref (Gamma_max = 1 without classes) */
    ticks_per_unit = ldexp(g_max * w_max * top / m->w_ref, 32);
    ap->equil_ticks = ap->interacting ? (int64_t)llround(p->equilibrate * ticks_per_unit) : 0;
    ap->time_unit = 1.0 / ticks_per_unit;
    ap->n_times = p->n_times;
    t_max = floor(p->time * ticks_per_unit + 0.5);
    for (int i = 0; i < p->n_times; ++i) {
        const double x = (double)(p->n_times - 1 - i) / (p->n_times - 1);
        const int64_t t = (int64_t)floor(t_max * pow(10.0, -ALLOY_DECADES * x) + 0.5);
        const int64_t least = i == 0 ? 1 : ap->time_ticks[i - 1] + 1;
        ap->time_ticks[i] = t > least ? t : least;
    }
    return m;
}

void hop_alloy_model_free(hop_alloy_model *m)
{
    if (!m)
        return;
    free(m->nbr);
    free(m->sub);
    free(m);
}

hop_msd_accum *hop_alloy_accum_alloc(const hop_alloy_model *m)
{
    return hop_msd_accum_alloc(m->ap.n_times, hop_alloy_row_series(&m->ap) - HOP_SERIES_GROUP0);
}

/* ---------------------------------------------------- Manning, tables --- */

double hop_alloy_lattice_f0(const hop_lattice *L)
{
    /* REFERENCE.md: exact single-vacancy correlation factors */
    static const struct { const char *name; double f; } table[] = {
        {"square", 0.46694220}, {"sc", 0.65310884}, {"bcc", 0.72719414},
        {"fcc", 0.78145142},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; ++i)
        if (strcmp(L->name, table[i].name) == 0)
            return table[i].f;
    return NAN;
}

double hop_alloy_percolation_threshold(const hop_lattice *L)
{
    /* REFERENCE.md: site-percolation thresholds */
    static const struct { const char *name; double p; } table[] = {
        {"chain", 1.0}, {"square", 0.592746}, {"triangular", 0.5}, {"honeycomb", 0.697040},
        {"sc", 0.311608}, {"bcc", 0.245962}, {"fcc", 0.199237}, {"hcp", 0.199256},
        {"diamond", 0.430},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; ++i)
        if (strcmp(L->name, table[i].name) == 0)
            return table[i].p;
    return NAN;
}

/* Manning (1971): f_i = H / (H + 2 w_i), H the root of
 *     sum_i c_i w_i / (H + 2 w_i) = 1 / (M0 + 2),   M0 = 2 f0 / (1 - f0),
 * (H = 0 where sum over mobile species of c_i / 2 <= 1/(M0 + 2), i.e. below c = 1 - f0);
 * L_ij = L*_i [delta_ij + 2 L*_j / (M0 sum_k L*_k)], L*_i = c_i f_i w_i, and the vacancy
 * row from the conservation sum_j L_ij = 0 over the species and the vacancy. */
double hop_alloy_manning(int n, const double *c, const double *w, double f0, double *f,
                         double L[HOP_ALLOY_MAX_SPECIES + 1][HOP_ALLOY_MAX_SPECIES + 1],
                         double *wind)
{
    const double M0 = 2 * f0 / (1 - f0), target = 1 / (M0 + 2);
    double lo = 0, hi = 0, H, star[HOP_ALLOY_MAX_SPECIES], sum_star = 0, cw = 0, at0 = 0;
    for (int i = 0; i < n; ++i) {
        hi += c[i] * w[i];
        at0 += w[i] > 0 ? c[i] / 2 : 0;
    }
    cw = hi;
    hi *= M0 + 2;       /* there the sum is below the target */
    if (at0 <= target) {
        H = 0;
    } else {
        for (int it = 0; it < 200; ++it) {
            double g = 0, mid = 0.5 * (lo + hi);
            for (int i = 0; i < n; ++i)
                g += c[i] * w[i] / (mid + 2 * w[i]);
            if (g > target)
                lo = mid;
            else
                hi = mid;
        }
        H = 0.5 * (lo + hi);
    }
    for (int i = 0; i < n; ++i) {
        f[i] = H + 2 * w[i] > 0 ? H / (H + 2 * w[i]) : 1;
        star[i] = c[i] * f[i] * w[i];
        sum_star += star[i];
    }
    for (int i = 0; i <= n; ++i)
        for (int j = 0; j <= n; ++j)
            L[i][j] = 0;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            L[i][j] = star[i] * ((i == j) + (sum_star > 0 ? 2 * star[j] / (M0 * sum_star) : 0));
    for (int i = 0; i < n; ++i) {
        double row = 0;
        for (int j = 0; j < n; ++j)
            row += L[i][j];
        L[i][n] = L[n][i] = -row;
        L[n][n] += row;
    }
    /* the vacancy: D_v = L_VV over (alpha^2 Gamma_v / 2d), Gamma_v = z sum c_i w_i */
    f[n] = cw > 0 ? L[n][n] / cw : NAN;
    for (int i = 0; i < n; ++i)
        wind[i] = NAN;
    if (n == 2)
        for (int i = 0; i < 2; ++i)
            wind[i] = star[i] > 0 ? (L[i][i] - c[i] / c[1 - i] * L[i][1 - i]) / star[i] : NAN;
    return H;
}

/* ----------------------------------------------------------- estimate --- */

/* A series' slope over the run's fit window and over the same relative window of the
 * run's first 1/lever (fit_windows), and their difference with its standard error (same
 * replicas: the covariance of the two GLS slopes from their weights). */
typedef struct {
    double slope, sigma;        /* full window */
    double diff, diff_sigma;    /* full minus early */
    double chi2; int dof;
} series_fit;

/* The fit windows on the time grid.  The grid is geometric (t_k = t_max 10^(-3 (K-1-k)/
 * (K-1)), to a tick), so the full window [first, K) shifted back by `shift` points is
 * the same window of a run `lever` = t_{K-1}/t_{K-1-shift} times shorter.  The lever is
 * the grid's nearest to 8^(1/p), so that lever^p - 1 is about 7 in every dimension:
 * t_max/4 in 3D (4.125 for the default 40 times, 4.28 for 20), t_max/8 in 2D, t_max/64
 * in 1D.  The run-length bound holds under the decay law B(T) ~ T^-p (law 1); law 0:
 * none claimed (a percolating alloy), -1: the grid has no room for the early window. */
typedef struct {
    const hop_msd_accum *a;
    double t[HOP_MAX_TIMES];
    int first, K;               /* full window [first, K) */
    int shift;                  /* early window [first - shift, K - shift) */
    double lever, p;
    int law;
} fit_windows;

static int series_is_zero(const hop_msd_accum *a, int q)
{
    for (int i = 0; i < a->n_times; ++i)
        if (a->sum[q * a->n_times + i] != 0 || hop_msd_accum_cov(a, q, i, q, i) != 0)
            return 0;
    return 1;
}

static hop_status fit_series(const fit_windows *fw, int q, series_fit *out)
{
    const hop_msd_accum *a = fw->a;
    const int qf = fw->first - fw->shift, qe = fw->K - fw->shift;
    double wf[HOP_MAX_TIMES], wq[HOP_MAX_TIMES], cov = 0;
    hop_line_fit full, early;
    hop_status s;
    memset(out, 0, sizeof *out);
    if (series_is_zero(a, q))
        return HOP_OK;          /* an immobile species: exactly 0 */
    if ((s = hop_msd_accum_fit(a, fw->t, q, fw->first, &full, wf)) != HOP_OK)
        return s;
    out->slope = full.slope;
    out->sigma = full.slope_stderr;
    out->chi2 = full.chi2;
    out->dof = full.dof;
    if (fw->law < 0 || hop_msd_accum_fit_window(a, fw->t, q, qf, qe, &early, wq) != HOP_OK) {
        out->diff = out->diff_sigma = NAN;
        return HOP_OK;
    }
    for (int i = fw->first; i < fw->K; ++i)
        for (int j = qf; j < qe; ++j)
            cov += wf[i - fw->first] * wq[j - qf] * hop_msd_accum_cov(a, q, i, q, j);
    out->diff = full.slope - early.slope;
    out->diff_sigma = sqrt(fmax(full.slope_stderr * full.slope_stderr
                                + early.slope_stderr * early.slope_stderr - 2 * cov, 0));
    return HOP_OK;
}

/* The run-length bound of a slope (docs/alloys.md): under B(T) ~ T^-p the difference
 * between the full run's fit and the early run's is B(T)(1 - lever^p), so
 * |B(T)| <= (|diff| + 2 sigma_diff)/(lever^p - 1) with one-sided 97.7 % confidence;
 * NaN where no law is claimed or the early run has no window; 0 for an immobile
 * species (its series is exactly 0). */
static double run_bound(const fit_windows *fw, const series_fit *s)
{
    if (s->slope == 0 && s->sigma == 0 && s->diff == 0)
        return 0;
    if (fw->law <= 0 || !isfinite(s->diff))
        return NAN;
    return (fabs(s->diff) + 2 * s->diff_sigma) / (pow(fw->lever, fw->p) - 1);
}

/* The early window: the shift of the full window [first, K) whose lever t_{K-1}/
 * t_{K-1-shift} is nearest (in log) to `target`; law -1 where the shifted window would
 * start before the grid (a --fit-from too small for --times). */
static void early_window(fit_windows *fw, double target)
{
    const int K = fw->K;
    double best = INFINITY;
    fw->shift = 0;
    for (int s = 1; s < K; ++s) {
        const double miss = fabs(log(fw->t[K - 1] / fw->t[K - 1 - s]) - log(target));
        if (miss < best) {
            best = miss;
            fw->shift = s;
        }
    }
    fw->lever = fw->t[K - 1] / fw->t[K - 1 - fw->shift];
    fw->law = fw->first - fw->shift >= 0 ? 1 : -1;
}

/* The decay law of the run-length bias (docs/alloys.md): the hydrodynamic long-time
 * tail of the velocity autocorrelation, t^-(d/2 + 1) (van Beijeren, Rev. Mod. Phys. 54,
 * 195 (1982)), makes a slope fitted with an intercept over [phi T, T] biased by
 * ~ T^-(d/2): p = d/2.  None is claimed (law 0) where an immobile species leaves the
 * mobile atoms below or within three widths n^(-1/(d nu)) of the lattice's
 * site-percolation threshold (or the threshold is not tabulated): there the approach to
 * the long-time slope is the slow, anomalous crossover of a percolation cluster. */
static void decay_law(const hop_params *p, const hop_alloy_model *m, fit_windows *fw)
{
    const hop_lattice *L = p->lattice;
    const double pc = hop_alloy_percolation_threshold(L);
    double mobile = 0, x;
    for (int i = 0; i < m->ap.n_species; ++i)
        if (p->alloy.w[i] > 0)
            mobile += m->ap.first[i + 1] - m->ap.first[i];
    x = mobile / m->ap.n_atoms;
    fw->p = 0.5 * L->dim;
    early_window(fw, pow(ALLOY_LEVER_POWER, 1 / fw->p));
    if (fw->law < 0)
        return;
    if (x < 1 && !(x >= pc + 3 * hop_alloy_percolation_window((uint64_t)m->ap.n_sites, L->dim)))
        fw->law = 0;
}

/* Half the width of the percolation transition in a box of n sites, n^(-1/(d nu)) (nu
 * the correlation-length exponent: 4/3 in 2D, 0.876 in 3D). */
double hop_alloy_percolation_window(uint64_t sites, int dim)
{
    const double nu = dim == 2 ? 4.0 / 3.0 : dim == 3 ? 0.876 : 1.0;
    return pow((double)sites, -1.0 / (dim * nu));
}

static hop_estimate scaled(const fit_windows *fw, const series_fit *s, double by)
{
    hop_estimate e;
    e.value = s->slope * by;
    e.sigma = s->sigma * fabs(by);
    e.bias = run_bound(fw, s) * fabs(by);
    return e;
}

/* Smallest eigenvalue of the symmetric n x n matrix m (cyclic Jacobi rotations). */
static double min_eigenvalue(int n, double m[HOP_ALLOY_MAX_SPECIES][HOP_ALLOY_MAX_SPECIES])
{
    double lo = INFINITY;
    for (int sweep = 0; sweep < 64; ++sweep) {
        double off = 0;
        for (int i = 0; i < n; ++i)
            for (int j = i + 1; j < n; ++j)
                off += m[i][j] * m[i][j];
        if (off < 1e-30)
            break;
        for (int p = 0; p < n; ++p)
            for (int q = p + 1; q < n; ++q) {
                double theta, t, c, s;
                if (m[p][q] == 0)
                    continue;
                theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
                t = (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
                c = 1 / sqrt(t * t + 1);
                s = t * c;
                for (int k = 0; k < n; ++k) {       /* columns p, q */
                    const double kp = m[k][p], kq = m[k][q];
                    m[k][p] = c * kp - s * kq;
                    m[k][q] = s * kp + c * kq;
                }
                for (int k = 0; k < n; ++k) {       /* rows p, q */
                    const double pk = m[p][k], qk = m[q][k];
                    m[p][k] = c * pk - s * qk;
                    m[q][k] = s * pk + c * qk;
                }
            }
    }
    for (int i = 0; i < n; ++i)
        lo = fmin(lo, m[i][i]);
    return lo;
}

/* Every entity's displacements sum to zero in every replica, so for every i and time
 * point the integer sums over replicas of dR_i . dR_j, summed over j, vanish exactly. */
static int conserved(const hop_msd_accum *a, int n)
{
    const int E = n + 1, K = a->n_times;
    for (int i = 0; i < E; ++i)
        for (int k = 0; k < K; ++k) {
            hop_i128 s = 0;
            for (int j = 0; j < E; ++j)
                s += a->sum[hop_alloy_pair_series(n, i < j ? i : j, i < j ? j : i) * K + k];
            if (s != 0)
                return 0;
        }
    return 1;
}

static void msd_curves(const hop_alloy_model *m, const fit_windows *fw, const hop_lattice *L,
                       hop_result *r)
{
    const hop_alloy_params *ap = &m->ap;
    const double den = L->metric_den, N0 = ap->first[1], nv = ap->n_vacancies;
    const int qv = ap->n_species, q00 = hop_alloy_pair_series(ap->n_species, 0, 0);
    for (int i = 0; i < fw->K; ++i) {
        hop_msd_point *pt = &r->msd[i];
        pt->t = fw->t[i];
        pt->tracer = hop_msd_accum_mean(fw->a, 0, i) / den / N0;
        pt->tracer_se = sqrt(hop_msd_accum_cov(fw->a, 0, i, 0, i)) / den / N0;
        pt->vacancy = hop_msd_accum_mean(fw->a, qv, i) / den / nv;
        pt->vacancy_se = sqrt(hop_msd_accum_cov(fw->a, qv, i, qv, i)) / den / nv;
        pt->collective = hop_msd_accum_mean(fw->a, q00, i) / den / N0;
        pt->collective_se = sqrt(hop_msd_accum_cov(fw->a, q00, i, q00, i)) / den / N0;
    }
}

/* Manning's model beside the measurement, and the percolation data. */
static void alloy_theory(const hop_params *p, hop_result *r)
{
    const int n = r->alloy.n_species;
    double f[HOP_ALLOY_MAX_SPECIES + 1];
    uint64_t mobile = 0;
    /* Manning's model is the random (non-interacting) alloy's */
    r->alloy.f0 = interacting(p) || classed(p->lattice) || !hop_lattice_one_length(p->lattice)
                  || gamma_max(p->lattice, p->T) != 1
                      ? NAN : hop_alloy_lattice_f0(p->lattice);
    for (int i = 0; i < n; ++i)
        mobile += r->alloy.w[i] > 0 ? r->alloy.atoms[i] : 0;
    r->alloy.mobile_fraction = (double)mobile / (double)r->alloy.n_atoms;
    r->alloy.percolation = hop_alloy_percolation_threshold(p->lattice);
    for (int i = 0; i <= n; ++i) {
        r->alloy.manning_f[i] = NAN;
        for (int j = 0; j <= n; ++j)
            r->alloy.manning_onsager[i][j] = NAN;
    }
    for (int i = 0; i < n; ++i)
        r->alloy.manning_wind[i] = NAN;
    if (isfinite(r->alloy.f0)) {
        /* L in units of (1/2d) z alpha^2 w_ref: scale to a^2 w_ref */
        const hop_lattice *L = p->lattice;
        const double D0 = L->z * (double)L->jump_len2 / L->metric_den / (2.0 * L->dim);
        hop_alloy_manning(n, r->alloy.c, r->alloy.w, r->alloy.f0, f, r->alloy.manning_onsager,
                          r->alloy.manning_wind);
        for (int i = 0; i <= n; ++i) {
            r->alloy.manning_f[i] = f[i];
            for (int j = 0; j <= n; ++j)
                r->alloy.manning_onsager[i][j] *= D0;
        }
    }
}

/* The nearest-neighbour pairs of every two species per site, averaged over the time
 * points (every configuration recorded is an equilibrium sample: the random start, or
 * after the equilibration), with the error of that average from the replicas; and the
 * Warren-Cowley parameter 1 - pairs / (their expectation in a uniformly random
 * arrangement of the box: z N_s N_t/(N - 1) for s != t, z N_s (N_s - 1)/(2 (N - 1)) for
 * s = t), 0 for the random alloy. */
static void short_range_order(const hop_params *p, const hop_alloy_model *m,
                              const hop_msd_accum *a, hop_result *r)
{
    const int n = m->ap.n_species, K = m->ap.n_times, z = p->lattice->z;
    const double N = m->ap.n_sites;
    r->alloy.interacting = m->ap.interacting;
    for (int s = 0; s < n; ++s)
        for (int t = s; t < n; ++t) {
            const int q = hop_alloy_bond_series(n, s, t);
            const double Ns = (double)r->alloy.atoms[s], Nt = (double)r->alloy.atoms[t];
            const double random = s == t ? z * Ns * (Ns - 1) / (2 * (N - 1)) : z * Ns * Nt / (N - 1);
            double mean = 0, var = 0;
            hop_estimate b, o;
            for (int i = 0; i < K; ++i) {
                mean += hop_msd_accum_mean(a, q, i);
                for (int j = 0; j < K; ++j)
                    var += hop_msd_accum_cov(a, q, i, q, j);
            }
            mean /= K;
            var = fmax(var, 0) / ((double)K * K);
            b.value = mean / N;
            b.sigma = sqrt(var) / N;
            b.bias = 0;
            o.value = random > 0 ? 1 - mean / random : NAN;
            o.sigma = random > 0 ? sqrt(var) / random : NAN;
            o.bias = 0;
            r->alloy.bonds[s][t] = r->alloy.bonds[t][s] = b;
            r->alloy.sro[s][t] = r->alloy.sro[t][s] = o;
        }
}

/* Binary interdiffusion with thermodynamic factor 1 (the random alloy): Darken's
 * D~ = c_B D_A + c_A D_B with the intrinsic coefficients from the Onsager matrix, D_i =
 * (n_v/N_i)(Lambda_ii - (c_i/c_j) Lambda_ij) = D*_i r_i (the vacancy wind included),
 * beside Darken's original c_B D*_A + c_A D*_B (tracers only) and Manning's r_i applied
 * to the measured D*_i.  Errors combined as if independent (approximate). */
static void interdiffusion(hop_result *r)
{
    const hop_estimate none = {NAN, NAN, NAN};
    r->alloy.interdiffusion = r->alloy.interdiffusion_darken = none;
    r->alloy.interdiffusion_manning = NAN;
    if (r->alloy.n_species != 2)
        return;
    {
        const double nv = (double)r->alloy.n_vacancies, c[2] = {r->alloy.c[0], r->alloy.c[1]};
        double v = 0, s2 = 0, b = 0, dv = 0, ds2 = 0, db = 0, man = 0;
        for (int i = 0; i < 2; ++i) {
            const int j = 1 - i;
            const double k = c[i] / c[j], g = nv / (double)r->alloy.atoms[i];
            const hop_estimate *ii = &r->alloy.onsager[i][i], *ij = &r->alloy.onsager[i][j];
            const hop_estimate *Ds = &r->alloy.D_star[i];
            v += c[j] * g * (ii->value - k * ij->value);
            s2 += pow(c[j] * g, 2) * (ii->sigma * ii->sigma + k * k * ij->sigma * ij->sigma);
            b += c[j] * g * (ii->bias + k * ij->bias);
            dv += c[j] * Ds->value;
            ds2 += pow(c[j] * Ds->sigma, 2);
            db += c[j] * Ds->bias;
            man += c[j] * Ds->value * r->alloy.manning_wind[i];
        }
        r->alloy.interdiffusion.value = v;
        r->alloy.interdiffusion.sigma = sqrt(s2);
        r->alloy.interdiffusion.bias = b;
        r->alloy.interdiffusion_darken.value = dv;
        r->alloy.interdiffusion_darken.sigma = sqrt(ds2);
        r->alloy.interdiffusion_darken.bias = db;
        r->alloy.interdiffusion_manning = man;
    }
}

/* D* and f of every entity per principal component g (lattices with more than one):
 * D*_g = slope / (2 a_g N_e) over the a_g axes of g, and f_g = D*_g over its own
 * uncorrelated reference, (1/2 a_g) sum_k Gamma_k |e_k,g|^2 w_i n_v/(N - 1) for an atom,
 * (1/2 a_g) <|e_g|^2>_Gamma Gamma_v for a vacancy (docs/alloys.md). */
static hop_status axis_estimates(const hop_params *p, const hop_alloy_model *m,
                                 const fit_windows *fw, hop_result *r)
{
    const hop_lattice *L = p->lattice;
    const hop_alloy_params *ap = &m->ap;
    const int n = ap->n_species, G = ap->groups, S0 = hop_alloy_series(n);
    const double den = L->metric_den, N = ap->n_sites, nv = ap->n_vacancies;
    r->alloy.n_groups = G;
    for (int g = 0; g < G; ++g) {
        const double axes = hop_lattice_group_axes(L, g), moment = rate_moment(L, p->T, g);
        const double len2 = moment / rate_sum(L, p->T);
        for (int e = 0; e <= n; ++e) {
            const double count = e < n ? (double)r->alloy.atoms[e] : nv;
            const double ref = e < n ? moment * r->alloy.w[e] * nv / (N - 1) / (2.0 * axes)
                                     : len2 * r->alloy.gamma_v / (2.0 * axes);
            series_fit fit;
            hop_status s;
            if ((s = fit_series(fw, S0 + e * G + g, &fit)) != HOP_OK)
                return hop_error(s, "GLS fit of the %s-axis tracer MSD of %s failed (too few "
                                 "replicas?)", L->group_name[g],
                                 e < n ? p->alloy.name[e] : "the vacancy");
            r->alloy.D_star_group[e][g] = scaled(fw, &fit, 1 / (den * 2.0 * axes * count));
            if (ref > 0)
                r->alloy.f_group[e][g] = scaled(fw, &fit, 1 / (den * 2.0 * axes * count * ref));
            else
                r->alloy.f_group[e][g].value = r->alloy.f_group[e][g].sigma
                    = r->alloy.f_group[e][g].bias = NAN;
        }
    }
    return HOP_OK;
}

hop_status hop_alloy_estimate(const hop_params *p, const hop_alloy_model *m,
                              const hop_msd_accum *a, hop_result *r)
{
    const hop_lattice *L = p->lattice;
    const hop_alloy_params *ap = &m->ap;
    const int n = ap->n_species, E = n + 1, K = ap->n_times, d = L->dim;
    const double den = L->metric_den, alpha2 = mean_len2(L, p->T, -1);
    const double moment = rate_moment(L, p->T, -1);
    const double N = ap->n_sites, nv = ap->n_vacancies;
    double lam[HOP_ALLOY_MAX_SPECIES][HOP_ALLOY_MAX_SPECIES], sig_max = 0;
    series_fit fit;
    fit_windows fw;
    int primary = -1;
    hop_status s;

    if (a->replicas < 2)
        return hop_error(HOP_ERR_INVAL, "the alloy model needs at least 2 replicas");
    memset(&fw, 0, sizeof fw);
    fw.a = a;
    fw.K = K;
    for (int i = 0; i < K; ++i)
        fw.t[i] = (double)ap->time_ticks[i] * ap->time_unit;
    fw.first = 0;
    while (fw.first < K - 3 && fw.t[fw.first] < p->fit_from * fw.t[K - 1])
        ++fw.first;
    decay_law(p, m, &fw);

    memset(&r->alloy, 0, sizeof r->alloy);
    r->alloy.run_law = fw.law;
    r->alloy.run_lever = fw.lever;
    r->alloy.run_p = fw.p;
    r->alloy.n_species = n;
    r->alloy.n_atoms = (uint64_t)ap->n_atoms;
    r->alloy.n_vacancies = (uint64_t)ap->n_vacancies;
    for (int i = 0; i < n; ++i) {
        r->alloy.atoms[i] = (uint64_t)(ap->first[i + 1] - ap->first[i]);
        r->alloy.c[i] = (double)r->alloy.atoms[i] / ap->n_atoms;
        r->alloy.w[i] = p->alloy.w[i] / m->w_ref;
    }
    r->alloy.gamma_v = (double)a->vacancy_steps / ((double)a->replicas * nv * fw.t[K - 1]);

    for (int e = 0; e < E; ++e) {
        const double count = e < n ? (double)r->alloy.atoms[e] : nv;
        if ((s = fit_series(&fw, e, &fit)) != HOP_OK)
            return hop_error(s, "GLS fit of the tracer MSD of %s failed (too few replicas?)",
                             e < n ? p->alloy.name[e] : "the vacancy");
        r->alloy.D_star[e] = scaled(&fw, &fit, 1 / (den * 2.0 * d * count));
        r->alloy.run_bias[e].value = fit.diff / (den * 2.0 * d * count);
        r->alloy.run_bias[e].sigma = fit.diff_sigma / (den * 2.0 * d * count);
        {
            /* the uncorrelated reference: (1/2d) sum_k Gamma_k |e_k|^2 w_i n_v/(N - 1)
             * for an atom ((1/2d) z alpha^2 w_i n_v/(N - 1) with one length and equal
             * rates), (1/2d) <|e|^2>_Gamma Gamma_v for a vacancy */
            const double ref = e < n ? moment * r->alloy.w[e] * nv / (N - 1) / (2.0 * d)
                                     : alpha2 * r->alloy.gamma_v / (2.0 * d);
            const series_fit *f = &fit;
            if (ref > 0)
                r->alloy.f[e] = scaled(&fw, f, 1 / (den * 2.0 * d * count * ref));
            else
                r->alloy.f[e].value = r->alloy.f[e].sigma = r->alloy.f[e].bias = NAN;
            r->alloy.f_run_bound[e] = r->alloy.f[e].bias;
            if (e < n && ref > 0 && primary < 0) {
                primary = e;
                r->D_uncorrelated = ref;
                r->fit_chi2 = fit.chi2;
                r->fit_dof = fit.dof;
            }
        }
    }
    if ((s = axis_estimates(p, m, &fw, r)) != HOP_OK)
        return s;
    for (int i = 0; i < E; ++i)
        for (int j = i; j < E; ++j) {
            if ((s = fit_series(&fw, hop_alloy_pair_series(n, i, j), &fit)) != HOP_OK)
                return hop_error(s, "GLS fit of a collective MSD failed (too few replicas?)");
            r->alloy.onsager[i][j] = r->alloy.onsager[j][i] = scaled(&fw, &fit, 1 / (den * 2.0 * d * nv));
        }
    r->alloy.conservation_max = conserved(a, n) ? 0 : 1;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            lam[i][j] = r->alloy.onsager[i][j].value;
            sig_max = fmax(sig_max, r->alloy.onsager[i][j].sigma);
        }
    r->alloy.min_eigen = min_eigenvalue(n, lam);
    r->alloy.min_eigen_sigma = sig_max;
    for (int i = 0; i < n; ++i)
        r->alloy.wind[i].value = r->alloy.wind[i].sigma = r->alloy.wind[i].bias = NAN;
    if (n == 2)
        for (int i = 0; i < 2; ++i) {
            /* Manning's r_i = (Lambda_ii - (c_i/c_j) Lambda_ij) / Lambda*_i, Lambda*_i =
             * N_i D*_i / n_v; errors combined as if independent (approximate) */
            const double star = (double)r->alloy.atoms[i] * r->alloy.D_star[i].value / nv;
            const double ss = (double)r->alloy.atoms[i] * r->alloy.D_star[i].sigma / nv;
            const double k = r->alloy.c[i] / r->alloy.c[1 - i];
            const hop_estimate *ii = &r->alloy.onsager[i][i], *ij = &r->alloy.onsager[i][1 - i];
            if (!(star > 0))
                continue;
            r->alloy.wind[i].value = (ii->value - k * ij->value) / star;
            r->alloy.wind[i].sigma = sqrt((ii->sigma * ii->sigma + k * k * ij->sigma * ij->sigma)
                                          / (star * star)
                                          + pow(r->alloy.wind[i].value * ss / star, 2));
            r->alloy.wind[i].bias = (ii->bias + k * ij->bias) / star
                                    + fabs(r->alloy.wind[i].value) * r->alloy.D_star[i].bias
                                      / r->alloy.D_star[i].value;
        }
    alloy_theory(p, r);
    short_range_order(p, m, a, r);
    interdiffusion(r);

    /* the common fields: the first mobile species */
    if (primary < 0)
        primary = 0;
    r->alloy.primary = primary;
    r->f = r->alloy.f[primary];
    r->D_star = r->alloy.D_star[primary];
    r->D_sigma.value = r->D_sigma.sigma = r->D_sigma.bias = NAN;
    r->haven = r->haven_inverse = r->D_sigma;
    r->n_groups = 0;
    free(r->msd);
    r->n_points = K;
    if (!(r->msd = calloc((size_t)K, sizeof *r->msd)))
        return hop_error(HOP_ERR_NOMEM, "out of memory");
    msd_curves(m, &fw, L, r);
    r->box_sites = (uint64_t)ap->n_sites;
    r->replicas = a->replicas;
    r->tracer_jumps = a->tracer_jumps;
    r->vacancy_steps = a->vacancy_steps;
    return HOP_OK;
}

/* ------------------------------------------------------------ the table --- */

static void alloy_shape(const hop_params *p, hop_state_shape *s)
{
    memset(s, 0, sizeof *s);
    s->row_times = p->n_times;
    s->row_groups = hop_alloy_series(p->alloy.n_species)
                    + (p->alloy.n_species + 1) * axis_groups(p->lattice) - HOP_SERIES_GROUP0;
}

static hop_status alloy_work_alloc(const hop_params *p, void **work)
{
    hop_alloy_model *m = hop_alloy_model_alloc(p);
    *work = m;
    return m ? HOP_OK : hop_error(HOP_ERR_NOMEM, "out of memory");
}

static void alloy_work_free(void *work)
{
    hop_alloy_model_free(work);
}

static hop_status alloy_run_part(const hop_params *p, const void *work, uint64_t first,
                                 uint64_t n, hop_model_stats *st, int *batches, int *threads)
{
    const hop_alloy_model *m = work;
    *batches = 0;
    return p->backend == HOP_BACKEND_CUDA
               ? hop_cuda_run_alloy(p->lattice, &m->ap, &m->box, p->seed, first, n, p->batch,
                                    st->acc, batches)
               : hop_cpu_alloy(p->lattice, &m->ap, &m->box, p->seed, first, n, p->threads,
                               threads, st->acc);
}

static hop_status alloy_rows_estimate(const hop_params *p, const void *work,
                                      const hop_model_stats *st, hop_result *r)
{
    return hop_alloy_estimate(p, work, st->acc, r);
}

/* The box bound (as msd's, models/estimators.c) added to the run-length bound. */
static void add_size_bias(hop_estimate *e, const hop_estimate *c, const hop_result *r,
                          const hop_result *check)
{
    if (isfinite(e->value) && isfinite(c->value))
        e->bias += hop_size_bias(e->value, e->sigma, c->value, c->sigma, r->box_sites,
                                 check->box_sites);
}

/* An atom's D* is proportional to its box's vacancy concentration n_v/(N - 1) (f is
 * not): the companion's D* is compared at the run's, D*_c (n_v/(N - 1))/(n_vc/(N_c - 1)),
 * else the bound would hold the two boxes' vacancy concentrations (8 times apart for
 * half the edge in 3D).  The vacancy's D and Lambda are per vacancy already. */
static double companion_scale(const hop_result *r, const hop_result *check, int e)
{
    if (e >= r->alloy.n_species)
        return 1;
    return ((double)r->alloy.n_vacancies / (double)(r->box_sites - 1))
           / ((double)check->alloy.n_vacancies / (double)(check->box_sites - 1));
}

static hop_estimate companion_D_star(const hop_result *r, const hop_result *check, int e)
{
    hop_estimate c = check->alloy.D_star[e];
    const double k = ((double)r->alloy.n_vacancies / (double)(r->box_sites - 1))
                     / ((double)check->alloy.n_vacancies / (double)(check->box_sites - 1));
    if (e < r->alloy.n_species) {
        c.value *= k;
        c.sigma *= k;
    }
    return c;
}

static void alloy_bias_from_companion(hop_result *r, const hop_result *check)
{
    const int n = r->alloy.n_species;
    for (int e = 0; e <= n; ++e) {
        const hop_estimate c = companion_D_star(r, check, e);
        r->alloy.f_check[e] = check->alloy.f[e];
        add_size_bias(&r->alloy.f[e], &check->alloy.f[e], r, check);
        add_size_bias(&r->alloy.D_star[e], &c, r, check);
        for (int g = 0; g < r->alloy.n_groups; ++g) {
            hop_estimate cg = check->alloy.D_star_group[e][g];
            const double k = companion_scale(r, check, e);
            cg.value *= k;
            cg.sigma *= k;
            add_size_bias(&r->alloy.f_group[e][g], &check->alloy.f_group[e][g], r, check);
            add_size_bias(&r->alloy.D_star_group[e][g], &cg, r, check);
        }
        for (int j = 0; j <= n; ++j)
            add_size_bias(&r->alloy.onsager[e][j], &check->alloy.onsager[e][j], r, check);
    }
    for (int i = 0; i < n; ++i)
        add_size_bias(&r->alloy.wind[i], &check->alloy.wind[i], r, check);
    r->f = r->alloy.f[r->alloy.primary];
    r->D_star = r->alloy.D_star[r->alloy.primary];
    interdiffusion(r);              /* its bound from the updated ones */
}

static void alloy_bias_unbounded(hop_result *r)
{
    const int n = r->alloy.n_species;
    for (int e = 0; e <= n; ++e) {
        r->alloy.f[e].bias = r->alloy.D_star[e].bias = NAN;
        for (int g = 0; g < r->alloy.n_groups; ++g)
            r->alloy.f_group[e][g].bias = r->alloy.D_star_group[e][g].bias = NAN;
        for (int j = 0; j <= n; ++j)
            r->alloy.onsager[e][j].bias = NAN;
    }
    for (int i = 0; i < n; ++i)
        r->alloy.wind[i].bias = NAN;
    r->f.bias = r->D_star.bias = NAN;
    r->alloy.interdiffusion.bias = r->alloy.interdiffusion_darken.bias = NAN;
}

static const hop_estimator_ops alloy_estimator = {
    "msd", alloy_shape, alloy_work_alloc, alloy_work_free, alloy_run_part,
    alloy_rows_estimate, alloy_bias_from_companion, alloy_bias_unbounded,
    NULL, hop_msd_json_parameters, NULL,    /* the box's parameters; the rest: alloy_output.c */
    NULL                                    /* the model's verdict */
};

/* The companion box (hop_companion_size: half the edge in 3D, N/N_c >= 8 in 2D) with
 * the same composition, rates and vacancies, run for as many exchanges per atom as the
 * run's box (its time and equilibration scaled by (N_c - 1)/(N - 1)), so that its
 * replicas cost about (N - 1)/(N_c - 1) times less and it runs that many times more
 * (models/estimators.h); where that run is too short for the time grid, the run's time
 * and replicas.  Skipped where it does not resolve (a species without an atom). */
static hop_companion alloy_companion(const hop_params *p, hop_params *q)
{
    const hop_lattice *L = p->lattice;
    char msg[256];
    double scale;
    q->size = hop_companion_size(L, p->size);
    if (!p->size_check || q->size < L->min_size)
        return HOP_COMPANION_SKIPPED;
    scale = (double)(hop_lattice_box_sites(L, q->size) - 1)
            / (double)(hop_lattice_box_sites(L, p->size) - 1);
    q->time = p->time * scale;
    q->equilibrate = p->equilibrate * scale;
    q->replicas = hop_companion_replicas(p->replicas, 1.0 / scale);
    if (hop_alloy_resolve(q, msg, sizeof msg) == HOP_OK)
        return HOP_COMPANION_RUN;
    *q = *p;
    q->size = hop_companion_size(L, p->size);
    return hop_alloy_resolve(q, msg, sizeof msg) == HOP_OK ? HOP_COMPANION_RUN
                                                           : HOP_COMPANION_SKIPPED;
}

static hop_estimate times(hop_estimate e, double by)
{
    e.value *= by;
    e.sigma *= by;
    e.bias *= by;
    return e;
}

/* Physical units (docs/alloys.md): a^2 w_ref in m^2/s; the atoms' D* (and the binary
 * interdiffusion) at the crystal's vacancy fraction x_v instead of the box's
 * n_v/(N - 1); the vacancy's D as it is; L_ij = x_v Lambda_ij/(Omega kT), Omega the
 * volume per site. */
static void alloy_apply(hop_result *r)
{
    const hop_params *p = &r->params;
    const hop_lattice *L = p->lattice;
    const int n = r->alloy.n_species;
    double a_m, omega;
    if (!p->physical)
        return;
    a_m = p->a * HOP_ANGSTROM;
    r->alloy.w_ref_hz = hop_alloy_rate_hz(p);
    r->alloy.x_v = exp(p->Sf) * exp(-p->Qf / (HOP_K_B_EV * p->T));
    r->alloy.unit_D = a_m * a_m * r->alloy.w_ref_hz;
    r->alloy.vacancy_scale = r->alloy.x_v * (double)(r->box_sites - 1)
                             / (double)r->alloy.n_vacancies;
    omega = hop_lattice_cell_volume(L) * pow(a_m, L->dim) / L->n_basis;
    r->alloy.unit_L = r->alloy.x_v * r->alloy.unit_D / (omega * HOP_K_B_J * p->T);
    for (int e = 0; e < n; ++e)
        r->alloy.D_star_si[e] = times(r->alloy.D_star[e],
                                       r->alloy.unit_D * r->alloy.vacancy_scale);
    r->alloy.D_star_si[n] = times(r->alloy.D_star[n], r->alloy.unit_D);
    for (int i = 0; i <= n; ++i)
        for (int j = 0; j <= n; ++j)
            r->alloy.onsager_si[i][j] = times(r->alloy.onsager[i][j], r->alloy.unit_L);
    r->alloy.interdiffusion_si = times(r->alloy.interdiffusion,
                                        r->alloy.unit_D * r->alloy.vacancy_scale);
}

static void alloy_columns(const hop_result *r, hop_model_columns *c)
{
    hop_model_columns_none(r, c);
}

const hop_model hop_model_alloy = {
    HOP_MODEL_ALLOY, "alloy",
    "a concentrated alloy of 1 to 8 species (--species, --w): D* and f of\n"
    "             every species and the vacancy, the Onsager matrix, Manning's model", 1,
    {NULL, &alloy_estimator},   /* its own rows; hop_alloy_resolve sets the estimator to msd */
    hop_alloy_resolve, alloy_companion, NULL, NULL, NULL, alloy_apply,
    "", hop_alloy_report, {"vacancy exchanges", "exchanges", "exchanges/s"},
    hop_alloy_json_parameters, hop_alloy_json_results, alloy_columns,
    NULL,       /* many bodies: no single-defect chain */
    hop_alloy_verdict
};

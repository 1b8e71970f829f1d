/* options.c: `hop run`'s options, shared by `hop run` and `hop scan`: the option
 * table, parsing with every value checked (a usage error is one "hop: " line and exit 2),
 * the help text with the resolved defaults, and the command line echoed into result files. */
#include <dirent.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(_OPENMP)
#  include <omp.h>
#endif
#include "cli/options.h"
#include "base/atomic_file.h"
#include "base/parse.h"
#include "backend/cuda.h"
#include "lattice/file.h"
#include "backend/device.h"
#include "run/mpi.h"
#include "models/model.h"
#include "hop/alloy.h"
#include "run/run.h"


/* Prints a usage error (one "hop: " line, then where to find help) and returns 2.
 * cmd is the command whose help applies, or NULL for the top level. */
int hop_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    if (hop_mpi_rank() > 0)
        return 2;       /* every rank parses the same line: rank 0 says it once */
    fputs("hop: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "\ntry 'hop %s --help'\n", cmd);
    else
        fputs("\ntry 'hop --help'\n", stderr);
    return 2;
}

/* Threads used when --threads is not given (OpenMP's default: all cores). */
int hop_default_threads(void)
{
#if defined(_OPENMP)
    return omp_get_max_threads();
#else
    return 1;
#endif
}

void hop_exact_threads_note(const hop_params *p, const char *prefix)
{
    if (p->estimator == HOP_EST_EXACT && p->threads > 0 && hop_mpi_rank() == 0)
        fprintf(stderr, "%s: --threads %d is ignored: the exact solver runs one point at a "
                "time on one thread (its BLAS is not thread-safe; docs/exact.md)\n", prefix,
                p->threads);
}

/* The built-in lattice names, comma-separated, into buf. */
void hop_lattice_names(char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const hop_lattice *L = hop_lattice_get(i);
        int w;
        if (!L)
            continue;
        w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", L->name);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

char *hop_command_line(int argc, char **argv)
{
    static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789-_./=:,+%@";
    size_t len = 1;
    char *s, *q;
    for (int i = 0; i < argc; ++i)
        len += 4 * strlen(argv[i]) + 3;          /* worst case: every char is a quote */
    if (!(s = malloc(len)))
        return NULL;
    q = s;
    for (int i = 0; i < argc; ++i) {
        const char *a = argv[i];
        int plain = a[0] != '\0' && strspn(a, safe) == strlen(a);
        if (i > 0)
            *q++ = ' ';
        if (plain) {
            strcpy(q, a);
            q += strlen(a);
            continue;
        }
        *q++ = '\'';
        for (; *a; ++a) {
            if (*a == '\'') {
                memcpy(q, "'\\''", 4);           /* close, escaped quote, reopen */
                q += 4;
            } else {
                *q++ = *a;
            }
        }
        *q++ = '\'';
    }
    *q = '\0';
    return s;
}


/* Resolved defaults to show in `hop run --help`; fields stay 0 where resolve fails. */
typedef struct {
    hop_params corr, msd, corr_gpu, msd_gpu;
    double radius_by_dim[4];
} run_defaults;

static void resolve_defaults(run_defaults *d)
{
    char msg[MSG_LEN];
    memset(d, 0, sizeof *d);
    hop_params_default(&d->corr);
    d->corr.backend = HOP_BACKEND_CPU;
    if (hop_params_resolve(&d->corr, msg, sizeof msg) != HOP_OK)
        d->corr.replicas = 0;
    hop_params_default(&d->msd);
    d->msd.backend = HOP_BACKEND_CPU;
    d->msd.estimator = HOP_EST_MSD;
    if (hop_params_resolve(&d->msd, msg, sizeof msg) != HOP_OK)
        d->msd.replicas = 0, d->msd.size = 0, d->msd.time = 0;
    d->corr_gpu = d->corr;
    d->corr_gpu.backend = HOP_BACKEND_CUDA;
    d->corr_gpu.replicas = 0;
    if (hop_params_resolve(&d->corr_gpu, msg, sizeof msg) != HOP_OK)
        d->corr_gpu.replicas = 0;
    d->msd_gpu = d->msd;
    d->msd_gpu.backend = HOP_BACKEND_CUDA;
    d->msd_gpu.replicas = 0;
    if (hop_params_resolve(&d->msd_gpu, msg, sizeof msg) != HOP_OK)
        d->msd_gpu.replicas = 0;
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const hop_lattice *L = hop_lattice_get(i);
        hop_params p;
        if (!L || L->dim < 1 || L->dim > 3 || d->radius_by_dim[L->dim] > 0)
            continue;
        hop_params_default(&p);
        p.lattice = L;
        p.backend = HOP_BACKEND_CPU;
        if (hop_params_resolve(&p, msg, sizeof msg) == HOP_OK)
            d->radius_by_dim[L->dim] = p.radius;
    }
}

/* The models, from the registry (models/registry.c): each table's name and help. */
static void model_lines(FILE *out)
{
    static const char *const count[] = {"no", "one", "two", "three", "four", "five", "six",
                                        "seven", "eight", "nine"};
    const int n = hop_model_count();
    if (n < 10)
        fprintf(out, "  for one of %s models (--model) on one lattice:\n", count[n]);
    else
        fprintf(out, "  for one of %d models (--model) on one lattice:\n", n);
    for (int i = 0; i < n; ++i)
        fprintf(out, "    %-8s %s\n", hop_model_at(i)->name, hop_model_at(i)->help);
}

static void run_usage(FILE *out)
{
    run_defaults d;
    char names[256];
    resolve_defaults(&d);
    hop_lattice_names(names, sizeof names);
    fputs(
        "usage: hop run [options]\n"
        "  One estimation, with its statistical error and a bound on the systematic error,\n",
        out);
    model_lines(out);
    fputs(
        "  Units: lengths in a, times in 1/omega, D in a^2 omega (or SI with --T ...).\n"
        "  Integers take exact forms: 1000000, 1e6, 2.5e5, 4M (suffixes k, M, G, T =\n"
        "  1e3, 1e6, 1e9, 1e12).  Long options may be shortened while unambiguous; each\n"
        "  option may be given once (twice is an error); a value that begins with '--'\n"
        "  needs the form --option=value.\n", out);
    fprintf(out,
        "options:\n"
        "  --lattice NAME     %s (default fcc)\n"
        "  --lattice-file F   a lattice from file F (docs/lattice-files.md);"
        " not with --lattice\n", names);
    fputs(
        "  --rate C=R         the rate prefactor R_c of the lattice's jump class C, P/Q or a\n"
        "                     decimal in (0, 1e30]; once per class (built-ins: the one class\n"
        "                     nn); Gamma = R_c exp(-B_c - (E_t - E_s)/2) (default: the\n"
        "                     lattice's)\n"
        "  --site-energy S=E  the vacancy's energy E_s on sublattice S in kT (+-1000), or in\n"
        "                     eV as S=EeV (+-100; needs --T, which alone only converts it);\n"
        "                     once per sublattice (default: the lattice's, else 0)\n", out);
    fprintf(out,
        "  --estimator E      corr: jump correlations on the infinite lattice;\n"
        "                     msd: Einstein relation, periodic box; exact (default corr)\n"
        "  --model M          vacancy; random (uncorrelated jumps, f = 1); solute (the tracer\n"
        "                     is a solute atom, five-frequency model, fcc and bcc: f2, D2\n"
        "                     and Manning's f2); gas (many-body lattice gas, see below);\n"
        "                     alloy (concentrated alloy, see below) (default vacancy)\n"
        "  --seed N           Philox seed, any 64-bit unsigned integer (default 1)\n"
        "  --replicas N       independent walks, up to 1e12; at least 100 per jump type\n"
        "                     (corr) or 50 per time point of --times (msd and gas: 2000 for\n"
        "                     the default 40 points) (default auto: cpu %llu\n"
        "                     for corr, %llu for msd; cuda %llu and %llu)\n"
        "  --backend B        auto, cpu or cuda; auto picks cuda when a GPU is usable and\n"
        "                     says so on stderr (default auto)\n"
        "  --threads N        OpenMP threads of the cpu backend, 1 .. 4096 (default all\n"
        "                     cores: %d here); --estimator exact runs on one (a note)\n"
        "  --batch N          replicas per GPU batch, cuda backend (default auto: corr %llu,\n"
        "                     msd as many as fit in half the free device memory)\n"
        "corr estimator:\n"
        "  --radius R         outer truncation radius in jump lengths, at least 4 and\n"
        "                     2^(shells-1), at most 4096 (1e6 in 1D) (default auto: %g in 1D,\n"
        "                     %g in 2D, %g in 3D)\n"
        "  --shells K         nested radii R/2^k reported, 2 .. %d (default 4)\n"
        "msd estimator:\n"
        "  --size L           box edge in conventional cells (default auto, about 512 sites,\n"
        "                     64 in 1D: %d for fcc); the smallest valid size is in `hop lattices`\n"
        "  --time T           run length in 1/omega, at least 8 relaxation times of the box\n"
        "                     (N vacancy steps, N^2 in 1D) (default auto, 32 relaxation\n"
        "                     times: %g for fcc)\n"
        "  --times K          points of the log-spaced time grid, 8 .. %d (default 40)\n"
        "  --fit-from X       fit MSD(t) for t >= X * time, 0 < X < 1 (default 0.1)\n"
        "  --no-size-check    skip the half-size companion box that bounds the\n"
        "                     finite-size bias (default: run it)\n"
        "  --msd-csv FILE     write the MSD curves as CSV (msd only)\n"
        "lattice gas (--model gas: many particles in a periodic box of --size cells,\n"
        "Kawasaki jumps to empty neighbours, residence-time clock with null events; the\n"
        "msd options --size, --time (in 1/nu), --times, --fit-from, --msd-csv apply):\n"
        "  --c C              particle concentration, 0 < C < 1 (required); the box holds\n"
        "                     round(C sites) particles, at least 2, and one empty site\n"
        "  --J J              nearest-neighbour pair energy in kT, E = J (occupied pairs);\n"
        "                     J > 0 repulsive, |J| <= 44.36; rate nu min(1, exp(-J dB))\n"
        "                     (default 0)\n"
        "  --pair-energy E    the pair energy in eV instead of --J, -100 .. 100 (same sign:\n"
        "                     E > 0 repulsive); needs --T and sets J = E/kT, so a scan over\n"
        "                     --T at fixed E is physical; not with --J\n"
        "  --equilibrate T    time run and discarded before measuring, in 1/nu (also the\n"
        "                     alloy's with --pair) (default: 0 for J = 0, whose random\n"
        "                     start is in equilibrium; else half of --time)\n"
        "  Prints D*/D0, D_sigma/D0, D_vacancy/D0, f = D*/(D0 M/(n-1)), H = D*/D_sigma and\n"
        "  its inverse, the thermodynamic factor Theta = c/chi (from the particle-number\n"
        "  variances of slabs of L/2 and L/4 cell planes, whose difference cancels the\n"
        "  slabs' surface term; one width when the edge is < 4 cells; exactly (n-1)/M for\n"
        "  J = 0), D_chem/D0 = D_sigma Theta/D0 (J = 0: with the exact Theta) and the\n"
        "  occupied pairs per site; D0 = z a^2 nu/2d.\n",
        (unsigned long long)d.corr.replicas, (unsigned long long)d.msd.replicas,
        (unsigned long long)d.corr_gpu.replicas, (unsigned long long)d.msd_gpu.replicas,
        hop_default_threads(), (unsigned long long)HOP_CUDA_CORR_BATCH, d.radius_by_dim[1],
        d.radius_by_dim[2], d.radius_by_dim[3],
        HOP_MAX_SHELLS, d.msd.size, d.msd.time, HOP_MAX_TIMES);
    fputs(
        "  Physical units with the gas: --T, --nu, --a and --Qm (the barrier of a free jump,\n"
        "  dB <= 0): omega = nu exp(-Q_m/kT), D0 = z alpha^2 omega/2d, and D*, D_sigma,\n"
        "  D_vacancy, D_chem in m^2/s and cm^2/s; sigma = n q^2 D_sigma/kT with n = c sites\n"
        "  per cell volume (per m^3; per m^2 or m on 2D or 1D lattices) unless\n"
        "  --carrier-density (per m^3) replaces it, q = --charge (default 1).  --Qf and\n"
        "  --bond-energy do not apply (the vacancy fraction is 1 - c).\n", out);
    fputs(
        "concentrated alloy (--model alloy: atoms of 1 to 8 species and vacancies in a\n"
        "periodic box of --size cells, residence-time exchanges, the msd options --size,\n"
        "--time (in 1/w of the first species), --times, --fit-from, --msd-csv apply;\n"
        "docs/alloys.md):\n"
        "  --species LIST     NAME:FRACTION,... (required), fractions summing to 1 (to 1e-9);\n"
        "                     a species gets round(fraction x atoms) atoms, the remainder\n"
        "                     goes to the largest, and needs at least 1\n"
        "  --w LIST           NAME=RATE,... (required): every species' exchange rate with a\n"
        "                     vacancy, >= 0 (0: immobile), not all 0\n"
        "  --vacancies N      vacancies in the box, 1 .. 64 (default 1)\n"
        "  --pair LIST        A-B=E,...: nearest-neighbour pair energies in kT (default 0),\n"
        "                     or A-B=0.02eV in eV (needs --T); rates w exp(-dE/2), and\n"
        "                     --equilibrate (default half of --time) runs first\n"
        "  --Em LIST          physical units instead of --w: NAME=EV,... the species'\n"
        "                     migration energies, w_i = nu_i exp(S_m) exp(-Em_i/kT); with\n"
        "                     --nu HZ (all) or --nu NAME=HZ,..., --T, --a, --Qf (vacancy\n"
        "                     formation, x_v = exp(S_f) exp(-Q_f/kT)), --Sf, --Sm: D* in\n"
        "                     m^2/s (x_v replaces the box's n_v/(N-1)) and L_ij = x_v\n"
        "                     Lambda_ij/(Omega kT) in 1/(J m s)\n"
        "  Prints D* and f of every species and of the vacancy, the Onsager matrix per\n"
        "  vacancy Lambda_ij = <dR_i . dR_j>/(2 d t n_v) (vacancy last), its checks, the\n"
        "  binary vacancy-wind factors and Manning's random-alloy values beside; default\n"
        "  run (--time): 64 jumps per atom of the slowest mobile species; in 2D 512,\n"
        "  or N in a box of N > 512 sites.\n", out);
    fputs(
        "solute model (--model solute; rates in any common unit, all > 0):\n"
        "  --w0 .. --w4       w0 away from the solute, w1 between two of its nearest neighbours\n"
        "                     (fcc only), w2 exchange with it, w3 leaving and w4 entering its\n"
        "                     nearest-neighbour shell; all required (bcc: all but w1)\n"
        "  --w3p, --w3pp      bcc (Le Claire): w3 to the 3rd and 5th neighbour shells\n"
        "                     (default w3); entering rates follow from w4/w3 (detailed balance)\n"
        "  --E1 .. --E4 E     with physical units instead of --w0 .. --w4: the barriers of\n"
        "                     w1 .. w4 in eV, 0 < E <= 100 (w0's is --Qm; bcc: no --E1);\n"
        "                     w_i = nu exp(S_m) exp(-E_i/kT), so D2 = f2 (1/2d) z alpha^2\n"
        "                     w2 X_v (w4/w3) in m^2/s; --Qf, --Sf, --Sm, --T, --nu, --a apply\n"
        "physical units (all optional; with any of them T, nu, a and the energies are needed):\n"
        "  --T K              temperature, 0 < T <= 1e5\n"
        "  --Qf E, --Qm E     vacancy formation and migration energies in eV, 0 < E <= 100\n"
        "  --Sf S, --Sm S     vacancy formation and migration entropies in k_B, -20 .. 20\n"
        "                     (default 0): X_v = exp(S_f) exp(-Q_f/kT), omega = nu exp(S_m)\n"
        "                     exp(-Q_m/kT); the gas takes --Sm only (docs/units.md: comparing\n"
        "                     with tracer data)\n"
        "  --bond-energy E    instead of --Qf/--Qm, the bond-breaking model: Q_f = (z/2) E,\n"
        "                     Q_m = E x (neighbours nearest the saddle point); sc: 3E and 4E\n"
        "  --nu HZ            attempt frequency, 0 < nu <= 1e20\n"
        "  --a A              lattice constant in Angstrom, 0 < a <= 1000\n"
        "  --carrier-density N  mobile ions per m^3, for the Nernst-Einstein conductivity\n"
        "  --charge Q         their charge in units of e (needed with --carrier-density;\n"
        "                     the gas: default 1)\n"
        "  Prints X_v, omega, Gamma, D and D* = f D in m^2/s and cm^2/s, the Arrhenius\n"
        "  D0 = f (1/2d) z alpha^2 nu exp(S_f + S_m) and Q_D = Q_f + Q_m, D_sigma, the\n"
        "  conductivity and the Haven ratio in both conventions.  On a lattice with\n"
        "  sublattices, jump classes or site energies Q_f is the vacancy's on a site of\n"
        "  energy 0, class barriers add to Q_m (which may be left out when they are in eV),\n"
        "  and D, D0 and Q_D are the jump network's sums, per principal axis too, with X_v\n"
        "  per sublattice (docs/units.md).\n"
        "long runs (replicas in rounds of --replicas; the result depends only on how\n"
        "many ran):\n"
        "  --target-error X   add rounds until sigma(f) <= X, 0 < X < 1 (checked after\n"
        "                     whole rounds, so a run to X is reproducible)\n"
        "  --time-limit S     stop cleanly after the sub-batch that passes S seconds (a\n"
        "                     companion box included: the run's box takes half of S)\n"
        "  --checkpoint FILE  save the run's state to FILE (atomically) every\n"
        "                     --checkpoint-every seconds (default 60), when it ends, and\n"
        "                     on SIGINT or SIGTERM, which then stop the run (exit 130, 143)\n"
        "  --resume FILE      continue the run saved in FILE (same options; backend,\n"
        "                     threads, batch and time limit may differ) and end with the\n"
        "                     bits of an uninterrupted run; goes on saving to FILE\n"
        "output:\n"
        "  --json FILE        write the full record (parameters, results, performance) as JSON\n"
        "  --quiet            no progress on stderr (else a line every 2 s of a long run:\n"
        "                     replicas, f so far, steps/s, ETA; updated in place on a tty)\n"
        "  --help             this text\n"
        "The summary goes to stdout; files are written only when the run succeeds.\n", out);
}


/* -------------------------------------------------------------------- run --- */

enum {
    OPT_LATTICE = 256, OPT_ESTIMATOR, OPT_MODEL, OPT_SEED, OPT_REPLICAS, OPT_THREADS,
    OPT_RADIUS, OPT_SHELLS, OPT_SIZE, OPT_TIME, OPT_TIMES, OPT_FIT_FROM, OPT_NO_SIZE_CHECK,
    OPT_JSON, OPT_MSD_CSV, OPT_QUIET, OPT_BACKEND, OPT_BATCH, OPT_T, OPT_QF, OPT_QM,
    OPT_BOND_ENERGY, OPT_NU, OPT_A, OPT_CARRIER_DENSITY, OPT_CHARGE,
    OPT_W0, OPT_W1, OPT_W2, OPT_W3, OPT_W4, OPT_W3P, OPT_W3PP, OPT_LATTICE_FILE,
    OPT_TARGET_ERROR, OPT_TIME_LIMIT, OPT_CHECKPOINT, OPT_CHECKPOINT_EVERY, OPT_RESUME,
    OPT_C, OPT_J, OPT_EQUILIBRATE, OPT_PAIR_ENERGY, OPT_SF, OPT_SM,
    OPT_E1, OPT_E2, OPT_E3, OPT_E4,
    OPT_SPECIES, OPT_W, OPT_VACANCIES, OPT_PAIR, OPT_EM,
    OPT_RATE, OPT_SITE_ENERGY,  /* repeatable, once per class or sublattice */
    OPT_LAST                    /* one past the last: the size of the given-once table */
};

/* Parses a double that must lie in the open interval (lo, hi]; open_hi also excludes
 * hi.  The message states the interval the way --help does. */
static hop_status parse_open(const char *opt, const char *s, double lo, double hi,
                             int open_hi, double *out, char *msg, size_t n)
{
    double v;
    hop_status st = hop_parse_double(opt, s, lo, hi, &v, msg, n);
    int range = st == HOP_OK ? v == lo || (open_hi && v == hi) : strstr(msg, "out of range") != NULL;
    if (range) {
        snprintf(msg, n, "%s: '%s' is out of range (%g < x %s %g)", opt, s, lo,
                 open_hi ? "<" : "<=", hi);
        return HOP_ERR_INVAL;
    }
    if (st == HOP_OK)
        *out = v;
    return st;
}

/* The physical and rate options: each a number in (0, max], stored in a hop_params field. */
typedef struct {
    int opt;
    const char *name;
    double max;
    size_t offset;
} positive_option;

static const positive_option positive_options[] = {
    {OPT_W0, "--w0", 1e30, offsetof(hop_params, w[0])},
    {OPT_W1, "--w1", 1e30, offsetof(hop_params, w[1])},
    {OPT_W2, "--w2", 1e30, offsetof(hop_params, w[2])},
    {OPT_W3, "--w3", 1e30, offsetof(hop_params, w[3])},
    {OPT_W4, "--w4", 1e30, offsetof(hop_params, w[4])},
    {OPT_W3P, "--w3p", 1e30, offsetof(hop_params, w3p)},
    {OPT_W3PP, "--w3pp", 1e30, offsetof(hop_params, w3pp)},
    {OPT_T, "--T", 1e5, offsetof(hop_params, T)},
    {OPT_QF, "--Qf", 100, offsetof(hop_params, Qf)},
    {OPT_QM, "--Qm", 100, offsetof(hop_params, Qm)},
    {OPT_E1, "--E1", 100, offsetof(hop_params, E[1])},
    {OPT_E2, "--E2", 100, offsetof(hop_params, E[2])},
    {OPT_E3, "--E3", 100, offsetof(hop_params, E[3])},
    {OPT_E4, "--E4", 100, offsetof(hop_params, E[4])},
    {OPT_BOND_ENERGY, "--bond-energy", 100, offsetof(hop_params, bond_energy)},
    {OPT_A, "--a", 1e3, offsetof(hop_params, a)},
    {OPT_CARRIER_DENSITY, "--carrier-density", 1e32, offsetof(hop_params, carrier_density)},
    {OPT_TIME_LIMIT, "--time-limit", 1e9, offsetof(hop_params, time_limit)},
    {OPT_CHECKPOINT_EVERY, "--checkpoint-every", 1e9, offsetof(hop_params, checkpoint_every)},
};

static const positive_option *positive_option_of(int opt)
{
    for (size_t i = 0; i < sizeof positive_options / sizeof *positive_options; ++i)
        if (positive_options[i].opt == opt)
            return &positive_options[i];
    return &positive_options[0];     /* not reached: every caller passes a table entry */
}

/* The long options of `hop run` (and of the points of `hop scan`). */
static const struct option run_long_options[] = {
    {"lattice", required_argument, 0, OPT_LATTICE},
    {"lattice-file", required_argument, 0, OPT_LATTICE_FILE},
    {"rate", required_argument, 0, OPT_RATE},
    {"site-energy", required_argument, 0, OPT_SITE_ENERGY},
    {"estimator", required_argument, 0, OPT_ESTIMATOR},
    {"model", required_argument, 0, OPT_MODEL},
    {"seed", required_argument, 0, OPT_SEED},
    {"replicas", required_argument, 0, OPT_REPLICAS},
    {"threads", required_argument, 0, OPT_THREADS},
    {"backend", required_argument, 0, OPT_BACKEND},
    {"batch", required_argument, 0, OPT_BATCH},
    {"radius", required_argument, 0, OPT_RADIUS},
    {"shells", required_argument, 0, OPT_SHELLS},
    {"size", required_argument, 0, OPT_SIZE},
    {"time", required_argument, 0, OPT_TIME},
    {"times", required_argument, 0, OPT_TIMES},
    {"fit-from", required_argument, 0, OPT_FIT_FROM},
    {"no-size-check", no_argument, 0, OPT_NO_SIZE_CHECK},
    {"w0", required_argument, 0, OPT_W0},
    {"w1", required_argument, 0, OPT_W1},
    {"w2", required_argument, 0, OPT_W2},
    {"w3", required_argument, 0, OPT_W3},
    {"w4", required_argument, 0, OPT_W4},
    {"w3p", required_argument, 0, OPT_W3P},
    {"w3pp", required_argument, 0, OPT_W3PP},
    {"T", required_argument, 0, OPT_T},
    {"Qf", required_argument, 0, OPT_QF},
    {"Qm", required_argument, 0, OPT_QM},
    {"Sf", required_argument, 0, OPT_SF},
    {"Sm", required_argument, 0, OPT_SM},
    {"E1", required_argument, 0, OPT_E1},
    {"E2", required_argument, 0, OPT_E2},
    {"E3", required_argument, 0, OPT_E3},
    {"E4", required_argument, 0, OPT_E4},
    {"bond-energy", required_argument, 0, OPT_BOND_ENERGY},
    {"nu", required_argument, 0, OPT_NU},
    {"a", required_argument, 0, OPT_A},
    {"carrier-density", required_argument, 0, OPT_CARRIER_DENSITY},
    {"charge", required_argument, 0, OPT_CHARGE},
    {"target-error", required_argument, 0, OPT_TARGET_ERROR},
    {"c", required_argument, 0, OPT_C},
    {"J", required_argument, 0, OPT_J},
    {"pair-energy", required_argument, 0, OPT_PAIR_ENERGY},
    {"equilibrate", required_argument, 0, OPT_EQUILIBRATE},
    {"time-limit", required_argument, 0, OPT_TIME_LIMIT},
    {"checkpoint", required_argument, 0, OPT_CHECKPOINT},
    {"checkpoint-every", required_argument, 0, OPT_CHECKPOINT_EVERY},
    {"resume", required_argument, 0, OPT_RESUME},
    {"json", required_argument, 0, OPT_JSON},
    {"msd-csv", required_argument, 0, OPT_MSD_CSV},
    {"quiet", no_argument, 0, OPT_QUIET},
    {"species", required_argument, 0, OPT_SPECIES},
    {"w", required_argument, 0, OPT_W},
    {"vacancies", required_argument, 0, OPT_VACANCIES},
    {"pair", required_argument, 0, OPT_PAIR},
    {"Em", required_argument, 0, OPT_EM},
    {"help", no_argument, 0, 'h'},
    {0, 0, 0, 0}};

/* Usage error for a name that is not one of names[0 .. n-1]: "OPT: unknown WHAT
 * 'typed' (did you mean 'x'? valid: a, b, c)". */
static int unknown_name(const char *cmd, const char *opt, const char *what, const char *typed,
                        const char *const *names, int n)
{
    char valid[512];
    const char *near = hop_nearest_name(typed, names, n);
    size_t used = 0;
    valid[0] = '\0';
    for (int i = 0; i < n && used < sizeof valid; ++i)
        used += (size_t)snprintf(valid + used, sizeof valid - used, "%s%s", i ? ", " : "",
                                 names[i]);
    if (near)
        return hop_usage_error(cmd, "%s: unknown %s '%s' (did you mean '%s'? valid: %s)", opt,
                               what, typed, near, valid);
    return hop_usage_error(cmd, "%s: unknown %s '%s' (valid: %s)", opt, what, typed, valid);
}

int hop_unknown_lattice_error(const char *cmd, const char *opt, const char *typed)
{
    const char *names[64];
    int n = 0;
    for (int i = 0; i < hop_lattice_count() && n < 64; ++i)
        if (hop_lattice_get(i))
            names[n++] = hop_lattice_get(i)->name;
    return unknown_name(cmd, opt, "lattice", typed, names, n);
}

/* " (did you mean ...?)" into hint (empty when none) for a lattice file `path` that does
 * not exist: the built-in lattice of its name ("fcc" or "fcc.lat": --lattice fcc), else
 * the nearest *.lat file in its directory, written with the directory as typed. */
static void lattice_file_hint(const char *path, char *hint, size_t n)
{
    enum { MAX_FILES = 256, NAME_LEN = 256 };
    static char files[MAX_FILES][NAME_LEN];
    const char *names[MAX_FILES], *base = strrchr(path, '/'), *near;
    char dir[1024], typed[NAME_LEN];
    size_t dir_len, len;
    int count = 0;
    DIR *d;
    struct dirent *e;
    hint[0] = '\0';
    base = base ? base + 1 : path;
    dir_len = (size_t)(base - path);
    len = strlen(base);
    snprintf(typed, sizeof typed, "%.*s", (int)(len > 4 && strcmp(base + len - 4, ".lat") == 0
                                                ? len - 4 : len), base);
    if (hop_lattice_find(typed)) {
        snprintf(hint, n, " (did you mean --lattice %s?)", typed);
        return;
    }
    snprintf(dir, sizeof dir, "%.*s", (int)(dir_len ? dir_len : 1), dir_len ? path : ".");
    if (!(d = opendir(dir)))
        return;
    while (count < MAX_FILES && (e = readdir(d)) != NULL) {
        const size_t m = strlen(e->d_name);
        if (m > 4 && m < NAME_LEN && strcmp(e->d_name + m - 4, ".lat") == 0) {
            snprintf(files[count], NAME_LEN, "%s", e->d_name);
            names[count] = files[count];
            ++count;
        }
    }
    closedir(d);
    if ((near = hop_nearest_name(base, names, count)) != NULL)
        snprintf(hint, n, " (did you mean '%.*s%s'?)", (int)dir_len, path, near);
}

/* Usage error for the command-line word `arg` that getopt_long did not accept as a
 * long option: ambiguous abbreviations list their candidates, unknown options get the
 * nearest name as a hint. */
static int unknown_option(const char *cmd, const char *arg)
{
    const char *names[sizeof run_long_options / sizeof *run_long_options];
    char typed[64], candidates[512];
    size_t len, used = 0;
    int n = 0, matches = 0;
    if (strncmp(arg, "--", 2) != 0)
        return hop_usage_error(cmd, "unknown option '%s'", arg);
    len = strcspn(arg + 2, "=");
    snprintf(typed, sizeof typed, "%.*s", (int)(len < 63 ? len : 63), arg + 2);
    candidates[0] = '\0';
    for (const struct option *o = run_long_options; o->name; ++o) {
        names[n++] = o->name;
        if (strncmp(o->name, typed, strlen(typed)) == 0 && used < sizeof candidates) {
            used += (size_t)snprintf(candidates + used, sizeof candidates - used, "%s--%s",
                                     matches ? ", " : "", o->name);
            ++matches;
        }
    }
    if (matches > 1)
        return hop_usage_error(cmd, "option '--%s' is ambiguous: %s", typed, candidates);
    {
        const char *near = hop_nearest_name(typed, names, n);
        if (near)
            return hop_usage_error(cmd, "unknown option '--%s' (did you mean '--%s'?)", typed,
                                   near);
    }
    return hop_usage_error(cmd, "unknown option '--%s'", typed);
}

/* The long name of the option whose getopt value is c. */
static const char *option_name(int c)
{
    for (const struct option *o = run_long_options; o->name; ++o)
        if (o->val == c)
            return o->name;
    return "?";
}

/* ------------------------------------------------------------- alloy --- */

/* The next comma-separated item of *list into item (n bytes); 0 at the end.  An item
 * too long for item is returned cut, which its parser then refuses. */
static int next_item(const char **list, char *item, size_t n)
{
    const char *s = *list;
    size_t len;
    if (!s)
        return 0;
    len = strcspn(s, ",");
    snprintf(item, n, "%.*s", (int)(len < n - 1 ? len : n - 1), s);
    *list = s[len] == ',' ? s + len + 1 : NULL;
    return 1;
}

/* A species name: 1 to HOP_ALLOY_NAME_LEN - 1 letters, digits or '_', not "V" (the
 * vacancy's name in the results). */
static int species_name_ok(const char *name, size_t len)
{
    static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
    return len >= 1 && len < HOP_ALLOY_NAME_LEN && strspn(name, ok) >= len
           && !(len == 1 && name[0] == 'V');
}

/* --species NAME:FRACTION,... into p->alloy (names and fractions). */
static int parse_species(const char *cmd, const char *arg, hop_params *p)
{
    char item[128], msg[MSG_LEN];
    const char *list = arg;
    p->alloy.n_species = 0;
    while (next_item(&list, item, sizeof item)) {
        const char *colon = strchr(item, ':');
        const size_t len = colon ? (size_t)(colon - item) : strlen(item);
        double x;
        int i = p->alloy.n_species;
        if (!colon)
            return hop_usage_error(cmd, "--species: '%s' is not NAME:FRACTION (e.g. "
                                   "--species Ni:0.5,Cr:0.3,Fe:0.2)", item);
        if (!species_name_ok(item, len))
            return hop_usage_error(cmd, "--species: '%.*s' is not a species name (1 to %d "
                                   "letters, digits or '_'; 'V' is the vacancy)", (int)len,
                                   item, HOP_ALLOY_NAME_LEN - 1);
        if (i == HOP_ALLOY_MAX_SPECIES)
            return hop_usage_error(cmd, "--species: more than %d species",
                                   HOP_ALLOY_MAX_SPECIES);
        snprintf(p->alloy.name[i], HOP_ALLOY_NAME_LEN, "%.*s", (int)len, item);
        for (int j = 0; j < i; ++j)
            if (strcmp(p->alloy.name[j], p->alloy.name[i]) == 0)
                return hop_usage_error(cmd, "--species: %s is listed twice", p->alloy.name[i]);
        if (parse_open("--species", colon + 1, 0, 1, 0, &x, msg, sizeof msg) != HOP_OK)
            return hop_usage_error(cmd, "%s (the fraction of %s)", msg, p->alloy.name[i]);
        p->alloy.fraction[i] = x;
        p->alloy.w[i] = -1;             /* not given yet */
        p->alloy.n_species = i + 1;
    }
    if (p->alloy.n_species == 0)
        return hop_usage_error(cmd, "--species: no species given");
    {
        double sum = 0;
        for (int i = 0; i < p->alloy.n_species; ++i)
            sum += p->alloy.fraction[i];
        if (fabs(sum - 1) > 1e-9)
            return hop_usage_error(cmd, "--species: the fractions sum to %.12g, not 1 (to "
                                   "1e-9)", sum);
    }
    return 0;
}

/* A NAME=VALUE,... list of opt over the species of --species into out (every one
 * given once, lo <= value <= hi; `what` names a value in messages, `example` shows the
 * form): every species needs one. */
static int parse_species_values(const char *cmd, const char *opt, const char *arg, double lo,
                                double hi, const char *what, const char *example,
                                const hop_params *p, double *out)
{
    char item[128], msg[MSG_LEN];
    const char *list = arg, *names[HOP_ALLOY_MAX_SPECIES];
    unsigned char given[HOP_ALLOY_MAX_SPECIES] = {0};
    for (int i = 0; i < p->alloy.n_species; ++i)
        names[i] = p->alloy.name[i];
    while (next_item(&list, item, sizeof item)) {
        const char *eq = strchr(item, '=');
        const size_t len = eq ? (size_t)(eq - item) : strlen(item);
        int i = 0;
        if (!eq)
            return hop_usage_error(cmd, "%s: '%s' is not NAME=VALUE (e.g. %s %s)", opt, item,
                                   opt, example);
        while (i < p->alloy.n_species
               && !(strlen(p->alloy.name[i]) == len && strncmp(p->alloy.name[i], item, len) == 0))
            ++i;
        if (i == p->alloy.n_species) {
            char typed[64];
            snprintf(typed, sizeof typed, "%.*s", (int)(len < 63 ? len : 63), item);
            return unknown_name(cmd, opt, "species", typed, names, p->alloy.n_species);
        }
        if (given[i]++)
            return hop_usage_error(cmd, "%s: %s is given twice", opt, p->alloy.name[i]);
        if (hop_parse_double(opt, eq + 1, lo, hi, &out[i], msg, sizeof msg) != HOP_OK)
            return hop_usage_error(cmd, "%s (%s of %s: %g .. %g)", msg, what, p->alloy.name[i],
                                   lo, hi);
    }
    for (int i = 0; i < p->alloy.n_species; ++i)
        if (!given[i])
            return hop_usage_error(cmd, "%s: no value for species %s (every species of "
                                   "--species needs one)", opt, p->alloy.name[i]);
    return 0;
}

/* --w NAME=RATE,... for the species of --species: every one given once, rates >= 0 and
 * not all zero. */
static int parse_rates(const char *cmd, const char *arg, hop_params *p)
{
    int any = 0;
    const int e = parse_species_values(cmd, "--w", arg, 0, 1e30, "the rate", "A=1,B=0.2", p,
                                       p->alloy.w);
    if (e)
        return e;
    for (int i = 0; i < p->alloy.n_species; ++i)
        any |= p->alloy.w[i] > 0;
    if (!any)
        return hop_usage_error(cmd, "--w: every rate is zero; at least one species must "
                               "exchange with the vacancy");
    return 0;
}

/* --Em NAME=EV,... (migration energies, 0 < E <= 100 eV) and, as a list, --nu
 * NAME=HZ,... (attempt frequencies, 0 < nu <= 1e20): physical units of the alloy. */
static int parse_energies(const char *cmd, const char *energies, const char *nus, hop_params *p)
{
    int e;
    if (energies && (e = parse_species_values(cmd, "--Em", energies, 0, 100,
                                              "the migration energy in eV", "A=0.7,B=0.9", p,
                                              p->alloy.Em)) != 0)
        return e;
    if (nus && (e = parse_species_values(cmd, "--nu", nus, 0, 1e20, "the attempt frequency "
                                         "in Hz", "A=1e13,B=2e13", p, p->alloy.nu)) != 0)
        return e;
    for (int i = 0; i < p->alloy.n_species; ++i)
        if ((energies && !(p->alloy.Em[i] > 0)) || (nus && !(p->alloy.nu[i] > 0)))
            return hop_usage_error(cmd, "%s: %s's value must be > 0",
                                   energies && !(p->alloy.Em[i] > 0) ? "--Em" : "--nu",
                                   p->alloy.name[i]);
    return 0;
}

/* The species of --species named by the `len` characters at name, or -1 (a usage
 * error printed: unknown, with the nearest name). */
static int species_index(const char *cmd, const char *opt, const char *name, size_t len,
                         const hop_params *p, int *status)
{
    const char *names[HOP_ALLOY_MAX_SPECIES];
    char typed[64];
    for (int i = 0; i < p->alloy.n_species; ++i) {
        if (strlen(p->alloy.name[i]) == len && strncmp(p->alloy.name[i], name, len) == 0)
            return i;
        names[i] = p->alloy.name[i];
    }
    snprintf(typed, sizeof typed, "%.*s", (int)(len < 63 ? len : 63), name);
    *status = unknown_name(cmd, opt, "species", typed, names, p->alloy.n_species);
    return -1;
}

/* --pair A-B=E,... : nearest-neighbour pair energies in kT, each pair once (A-B and B-A
 * are the same pair), |E| <= 20; E ending in eV (A-B=-0.02eV) is in eV, |E| <= 100,
 * converted with --T when resolving. */
static int parse_pairs(const char *cmd, const char *arg, hop_params *p)
{
    char item[128], msg[MSG_LEN];
    const char *list = arg;
    unsigned char given[HOP_ALLOY_MAX_SPECIES][HOP_ALLOY_MAX_SPECIES];
    memset(given, 0, sizeof given);
    while (next_item(&list, item, sizeof item)) {
        const char *dash = strchr(item, '-'), *eq = strchr(item, '=');
        int i, j, status = 2;
        double e;
        if (!dash || !eq || eq < dash)
            return hop_usage_error(cmd, "--pair: '%s' is not A-B=ENERGY (in kT, e.g. --pair "
                                   "A-B=0.3)", item);
        if ((i = species_index(cmd, "--pair", item, (size_t)(dash - item), p, &status)) < 0
            || (j = species_index(cmd, "--pair", dash + 1, (size_t)(eq - dash - 1), p,
                                  &status)) < 0)
            return status;
        if (given[i][j]++ && i == j)
            return hop_usage_error(cmd, "--pair: %s-%s is given twice", p->alloy.name[i],
                                   p->alloy.name[j]);
        if (given[i][j] > 1)     /* A-B then B-A (or A-B twice): name both spellings */
            return hop_usage_error(cmd, "--pair: %s-%s is given twice (%s-%s and %s-%s are "
                                   "one pair)", p->alloy.name[i], p->alloy.name[j],
                                   p->alloy.name[i], p->alloy.name[j], p->alloy.name[j],
                                   p->alloy.name[i]);
        given[j][i] = 1;
        {
            char value[64];
            const size_t vlen = strlen(eq + 1);
            const int ev = vlen > 2 && strcmp(eq + 1 + vlen - 2, "eV") == 0;
            snprintf(value, sizeof value, "%.*s", (int)(ev ? vlen - 2 : vlen), eq + 1);
            if (hop_parse_double("--pair", value, ev ? -100 : -20, ev ? 100 : 20, &e, msg,
                                 sizeof msg) != HOP_OK)
                return hop_usage_error(cmd, "%s (the energy of %s-%s in %s)", msg,
                                       p->alloy.name[i], p->alloy.name[j], ev ? "eV" : "kT");
            p->alloy.pairs_in_eV |= ev;
            if (ev)     /* in eV: resolving sets pair = E/kT (needs --T) */
                p->alloy.pair_eV[i][j] = p->alloy.pair_eV[j][i] = e;
            else
                p->alloy.pair[i][j] = p->alloy.pair[j][i] = e;
        }
    }
    return 0;
}

/* The alloy's list options, kept as given until the loop ends. */
typedef struct {
    const char *species, *rates, *pairs, *energies, *nus;
} alloy_args;

/* The alloy's options after the loop (--w needs --species, in any order). */
static int alloy_options(const char *cmd, const alloy_args *a, int estimator_given,
                         hop_run_options *o)
{
    int e;
    if (o->p.model != HOP_MODEL_ALLOY) {
        if (a->nus)
            return hop_usage_error(cmd, "--nu: a NAME=HZ list applies to --model alloy only");
        return 0;
    }
    if (!a->species)
        return hop_usage_error(cmd, "--model alloy needs --species, e.g. --species A:0.5,B:0.5");
    if (!a->rates && !a->energies)
        return hop_usage_error(cmd, "--model alloy needs --w, the rates of the species, e.g. "
                               "--w A=1,B=0.2 (or --Em, their migration energies in eV)");
    if (a->rates && a->energies)
        return hop_usage_error(cmd, "give either --w (rates) or --Em (migration energies in "
                               "eV, with --T and --nu), not both");
    if ((e = parse_species(cmd, a->species, &o->p)) != 0
        || (a->rates && (e = parse_rates(cmd, a->rates, &o->p)) != 0)
        || (e = parse_energies(cmd, a->energies, a->nus, &o->p)) != 0
        || (a->pairs && (e = parse_pairs(cmd, a->pairs, &o->p)) != 0))
        return e;
    if (estimator_given && o->p.estimator != HOP_EST_MSD)
        return hop_usage_error(cmd, "--model alloy uses the msd estimator (Einstein relation "
                               "in a periodic box), not %s",
                               o->p.estimator == HOP_EST_EXACT ? "exact" : "corr");
    o->p.estimator = HOP_EST_MSD;
    if (o->p.backend == HOP_BACKEND_AUTO)
        o->p.backend = HOP_BACKEND_CPU;     /* the alloy kernel is not yet measured on a
                                               device: --backend cuda asks for it */
    return 0;
}

int hop_run_options_parse(const char *cmd, int argc, char **argv, hop_run_options *o,
                          int *done)
{
    char msg[MSG_LEN];
    const char *lattice_opt = NULL;     /* --lattice or --lattice-file, once given */
    const char *gas_only = NULL;        /* first --model gas option given */
    const char *alloy_only = NULL;      /* first --model alloy option given */
    alloy_args alloy_arg = {NULL, NULL, NULL, NULL, NULL};
    int equilibrate_given = 0;
    int estimator_given = 0, J_given = 0;
    unsigned char given[OPT_LAST - OPT_LATTICE] = {0};    /* each option at most once */
    int c;

    memset(o, 0, sizeof *o);
    hop_params_default(&o->p);
    *done = 0;
    hop_getopt_reset();
    opterr = 0;             /* report problems ourselves, in one line */
    while ((c = getopt_long(argc, argv, ":h", run_long_options, NULL)) != -1) {
        hop_status s = HOP_OK;
        msg[0] = '\0';
        /* "--lattice --quiet": the next word is an option, so this one has no value
         * (a value that starts with "--" can still be given as --lattice=--odd) */
        if (c >= OPT_LATTICE && optarg && optarg == argv[optind - 1]
            && strncmp(optarg, "--", 2) == 0 && optarg[2] != '\0')
            return hop_usage_error(cmd, "option '--%s' needs a value ('%s' is an option)",
                                   option_name(c), optarg);
        if (c >= OPT_LATTICE && c < OPT_LAST && c != OPT_RATE && c != OPT_SITE_ENERGY
            && given[c - OPT_LATTICE]++)
            return hop_usage_error(cmd, "option '--%s' is given twice: give it once",
                                   option_name(c));
        switch (c) {
        case OPT_LATTICE:
            if (lattice_opt && strcmp(lattice_opt, "--lattice") != 0)
                return hop_usage_error(cmd, "--lattice and --lattice-file exclude each other");
            lattice_opt = "--lattice";
            if (!(o->p.lattice = hop_lattice_find(optarg)))
                return hop_unknown_lattice_error(cmd, "--lattice", optarg);
            break;
        case OPT_LATTICE_FILE:
            if (lattice_opt && strcmp(lattice_opt, "--lattice-file") != 0)
                return hop_usage_error(cmd, "--lattice and --lattice-file exclude each other");
            lattice_opt = "--lattice-file";
            if (hop_lattice_load(optarg, &o->p.lattice, msg, sizeof msg) != HOP_OK) {
                char hint[600] = "";
                if (access(optarg, F_OK) != 0)
                    lattice_file_hint(optarg, hint, sizeof hint);
                return hop_usage_error(cmd, "--lattice-file: %s%s", msg, hint);
            }
            break;
        case OPT_RATE:
        case OPT_SITE_ENERGY:
            s = hop_lattice_setting_parse(c == OPT_RATE ? "--rate" : "--site-energy",
                                          c == OPT_RATE, optarg, &o->lattice_settings, msg,
                                          sizeof msg);
            break;
        case OPT_ESTIMATOR:
            estimator_given = 1;
            if (strcmp(optarg, "corr") == 0)
                o->p.estimator = HOP_EST_CORR;
            else if (strcmp(optarg, "msd") == 0)
                o->p.estimator = HOP_EST_MSD;
            else if (strcmp(optarg, "exact") == 0)
                o->p.estimator = HOP_EST_EXACT;
            else {
                static const char *const estimators[] = {"corr", "msd", "exact"};
                return unknown_name(cmd, "--estimator", "estimator", optarg, estimators, 3);
            }
            break;
        case OPT_MODEL:
            if ((o->p.model = hop_model_parse(optarg)) < 0) {
                const char *models[16];      /* the registry's (models/registry.c) */
                int n = 0;
                while (n < hop_model_count() && n < 16) {
                    models[n] = hop_model_at(n)->name;
                    ++n;
                }
                return unknown_name(cmd, "--model", "model", optarg, models, n);
            }
            break;
        case OPT_SEED:
            s = hop_parse_u64("--seed", optarg, 0, UINT64_MAX, &o->p.seed, msg, sizeof msg);
            break;
        case OPT_REPLICAS:
            s = hop_parse_u64("--replicas", optarg, 2, UINT64_C(1000000000000), &o->p.replicas,
                              msg, sizeof msg);
            break;
        case OPT_THREADS:
            s = hop_parse_int("--threads", optarg, 1, 4096, &o->p.threads, msg, sizeof msg);
            break;
        case OPT_BACKEND:
            if ((o->p.backend = hop_backend_parse(optarg)) < 0) {
                static const char *const backends[] = {"auto", "cpu", "cuda"};
                if (strcmp(optarg, "gpu") == 0 || strcmp(optarg, "GPU") == 0)
                    return hop_usage_error(cmd, "--backend: unknown backend '%s' (the GPU "
                                           "backend is 'cuda'; valid: auto, cpu, cuda)", optarg);
                return unknown_name(cmd, "--backend", "backend", optarg, backends, 3);
            }
            break;
        case OPT_BATCH:
            s = hop_parse_u64("--batch", optarg, 1, UINT64_C(1000000000000), &o->p.batch, msg,
                              sizeof msg);
            break;
        case OPT_RADIUS:
            o->corr_only = o->corr_only ? o->corr_only : "--radius";
            s = hop_parse_double("--radius", optarg, 2, 1e6, &o->p.radius, msg, sizeof msg);
            break;
        case OPT_SHELLS:
            o->corr_only = o->corr_only ? o->corr_only : "--shells";
            s = hop_parse_int("--shells", optarg, 2, HOP_MAX_SHELLS, &o->p.shells, msg, sizeof msg);
            break;
        case OPT_SIZE:
            o->msd_only = o->msd_only ? o->msd_only : "--size";
            s = hop_parse_int("--size", optarg, 1, 1000000, &o->p.size, msg, sizeof msg);
            break;
        case OPT_TIME:
            o->msd_only = o->msd_only ? o->msd_only : "--time";
            s = parse_open("--time", optarg, 0, 1e12, 0, &o->p.time, msg, sizeof msg);
            break;
        case OPT_TIMES:
            o->msd_only = o->msd_only ? o->msd_only : "--times";
            s = hop_parse_int("--times", optarg, 8, HOP_MAX_TIMES, &o->p.n_times, msg, sizeof msg);
            break;
        case OPT_FIT_FROM:
            o->msd_only = o->msd_only ? o->msd_only : "--fit-from";
            s = parse_open("--fit-from", optarg, 0, 1, 1, &o->p.fit_from, msg, sizeof msg);
            break;
        case OPT_NO_SIZE_CHECK:
            o->msd_only = o->msd_only ? o->msd_only : "--no-size-check";
            o->p.size_check = 0;
            break;
        case OPT_NU:
            if (strchr(optarg, '=')) {      /* the alloy's per-species list */
                alloy_arg.nus = optarg;
                break;
            }
            s = parse_open("--nu", optarg, 0, 1e20, 0, &o->p.nu, msg, sizeof msg);
            break;
        case OPT_EM:
            alloy_only = alloy_only ? alloy_only : "--Em";
            alloy_arg.energies = optarg;
            break;
        case OPT_W0: case OPT_W1: case OPT_W2: case OPT_W3: case OPT_W4: case OPT_W3P:
        case OPT_W3PP: case OPT_T: case OPT_QF: case OPT_QM: case OPT_BOND_ENERGY:
        case OPT_A: case OPT_CARRIER_DENSITY: case OPT_TIME_LIMIT: case OPT_CHECKPOINT_EVERY:
        case OPT_E1: case OPT_E2: case OPT_E3: case OPT_E4: {
            const positive_option *q = positive_option_of(c);
            s = parse_open(q->name, optarg, 0, q->max, 0, (double *)((char *)&o->p + q->offset),
                           msg, sizeof msg);
            break;
        }
        case OPT_C:
            gas_only = gas_only ? gas_only : "--c";
            s = parse_open("--c", optarg, 0, 1, 1, &o->p.c, msg, sizeof msg);
            break;
        case OPT_J:
            gas_only = gas_only ? gas_only : "--J";
            J_given = 1;
            s = hop_parse_double("--J", optarg, -1000, 1000, &o->p.J, msg, sizeof msg);
            break;
        case OPT_PAIR_ENERGY:
            gas_only = gas_only ? gas_only : "--pair-energy";
            o->p.pair_energy_given = 1;
            s = hop_parse_double("--pair-energy", optarg, -100, 100, &o->p.pair_energy, msg,
                                 sizeof msg);
            break;
        case OPT_EQUILIBRATE:
            equilibrate_given = 1;
            s = parse_open("--equilibrate", optarg, 0, 1e12, 0, &o->p.equilibrate, msg,
                           sizeof msg);
            break;
        case OPT_SPECIES:
            alloy_only = alloy_only ? alloy_only : "--species";
            alloy_arg.species = optarg;
            break;
        case OPT_W:
            alloy_only = alloy_only ? alloy_only : "--w";
            alloy_arg.rates = optarg;
            break;
        case OPT_PAIR:
            alloy_only = alloy_only ? alloy_only : "--pair";
            alloy_arg.pairs = optarg;
            break;
        case OPT_VACANCIES:
            alloy_only = alloy_only ? alloy_only : "--vacancies";
            s = hop_parse_int("--vacancies", optarg, 1, HOP_ALLOY_MAX_VACANCIES,
                              &o->p.alloy.vacancies, msg, sizeof msg);
            break;
        case OPT_SF:
            s = hop_parse_double("--Sf", optarg, -20, 20, &o->p.Sf, msg, sizeof msg);
            break;
        case OPT_SM:
            s = hop_parse_double("--Sm", optarg, -20, 20, &o->p.Sm, msg, sizeof msg);
            break;
        case OPT_TARGET_ERROR:
            s = parse_open("--target-error", optarg, 0, 1, 1, &o->p.target_error, msg, sizeof msg);
            break;
        case OPT_CHARGE:
            s = hop_parse_double("--charge", optarg, -100, 100, &o->p.charge, msg, sizeof msg);
            if (s == HOP_OK && o->p.charge == 0)
                return hop_usage_error(cmd, "--charge: '%s' must not be zero", optarg);
            break;
        case OPT_JSON:
            o->json = optarg;
            break;
        case OPT_CHECKPOINT:
            o->p.checkpoint = optarg;
            break;
        case OPT_RESUME:
            o->p.resume = optarg;
            break;
        case OPT_MSD_CSV:
            o->msd_csv = optarg;
            break;
        case OPT_QUIET:
            o->quiet = 1;
            break;
        case 'h':
            run_usage(stdout);
            *done = 1;
            return 0;
        case ':':
            return hop_usage_error(cmd, "option '--%s' needs a value", optopt >= OPT_LATTICE
                                   ? option_name(optopt) : argv[optind - 1] + 2);
        default:
            /* glibc sets optopt to the option's value when a long option that takes
             * no value was given one, to the character for an unknown short option,
             * and to 0 for an unknown or ambiguous long option. */
            if (optopt >= OPT_LATTICE || optopt == 'h')
                return hop_usage_error(cmd, "option '%s' takes no value", argv[optind - 1]);
            if (optopt > 0)
                return hop_usage_error(cmd, "unknown option '-%c'", optopt);
            return unknown_option(cmd, argv[optind - 1]);
        }
        if (s != HOP_OK)
            return hop_usage_error(cmd, "%s", msg);
    }
    if (optind < argc)
        return hop_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    /* The gas model runs in a periodic box with the msd options (host/models/gas.h). */
    if (gas_only && o->p.model != HOP_MODEL_GAS)
        return hop_usage_error(cmd, "%s applies to --model gas only", gas_only);
    if (equilibrate_given && o->p.model != HOP_MODEL_GAS && o->p.model != HOP_MODEL_ALLOY)
        return hop_usage_error(cmd, "--equilibrate applies to --model gas or alloy only");
    if (alloy_only && o->p.model != HOP_MODEL_ALLOY)
        return hop_usage_error(cmd, "%s applies to --model alloy only", alloy_only);
    {
        const int e = alloy_options(cmd, &alloy_arg, estimator_given, o);
        if (e)
            return e;
    }
    if (J_given && o->p.pair_energy_given)
        return hop_usage_error(cmd, "--J (in kT) and --pair-energy (in eV, J = E/kT) exclude "
                               "each other");
    if (o->p.model == HOP_MODEL_GAS) {
        if (estimator_given && o->p.estimator != HOP_EST_MSD)
            return hop_usage_error(cmd, "--model gas uses the msd estimator (Einstein relation "
                                   "in a periodic box), not %s%s",
                                   o->p.estimator == HOP_EST_EXACT ? "exact" : "corr",
                                   o->p.estimator == HOP_EST_EXACT
                                       ? " (the exact solver covers one vacancy, not many)"
                                       : "");
        o->p.estimator = HOP_EST_MSD;
    }
    if (o->p.estimator == HOP_EST_CORR && o->msd_only)
        return hop_usage_error(cmd, "%s applies to --estimator msd only", o->msd_only);
    if (o->p.estimator == HOP_EST_MSD && o->corr_only)
        return hop_usage_error(cmd, "%s applies to --estimator corr only", o->corr_only);
    if (o->msd_csv && o->p.estimator != HOP_EST_MSD)
        return hop_usage_error(cmd, "--msd-csv needs --estimator msd");
    if (o->json && o->msd_csv && hop_output_same(o->json, o->msd_csv))
        return hop_usage_error(cmd, "--json and --msd-csv name the same file '%s'", o->json);
    /* --rate and --site-energy (and a lattice's eV energies, which wait for --T): the
     * run's own copy of its lattice (cli/lattice_options.h) */
    if (hop_lattice_settings_apply(&o->lattice_settings, o->p.T, &o->p.lattice, msg, sizeof msg)
        != HOP_OK)
        return hop_usage_error(cmd, "%s", msg);
    if (o->p.resume && !o->p.checkpoint)
        o->p.checkpoint = o->p.resume;      /* a resumed run goes on saving where it was */
    if (o->p.checkpoint_every > 0 && !o->p.checkpoint)
        return hop_usage_error(cmd, "--checkpoint-every needs --checkpoint or --resume");
    if (hop_mpi_rank() > 0)
        return 0;           /* files are rank 0's: the other ranks' nodes need not see them */
    if (o->json && hop_output_check(o->json, msg, sizeof msg) != HOP_OK)
        return hop_usage_error(cmd, "--json: %s", msg);
    if (o->p.checkpoint) {
        const char *out[2] = {o->json, o->msd_csv};
        for (int i = 0; i < 2; ++i)
            if (out[i] && hop_output_same(out[i], o->p.checkpoint))
                return hop_usage_error(cmd, "--checkpoint and --%s name the same file '%s'",
                                       i ? "msd-csv" : "json", out[i]);
        if (hop_output_check(o->p.checkpoint, msg, sizeof msg) != HOP_OK)
            return hop_usage_error(cmd, "--checkpoint: %s", msg);
    }
    if (o->msd_csv && hop_output_check(o->msd_csv, msg, sizeof msg) != HOP_OK)
        return hop_usage_error(cmd, "--msd-csv: %s", msg);
    return 0;
}


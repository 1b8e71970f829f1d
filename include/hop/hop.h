/* hop.h: hop's public API.
 *
 * A run estimates the tracer correlation factor f of the single-vacancy mechanism
 * (equal jump rates) on one lattice with one estimator:
 *   corr  jump correlations on the infinite lattice, f = 1 + 2 sum_j <cos theta_0j>;
 *   msd   Einstein relation in a periodic box, D* from a GLS fit of MSD(t).
 * Units: lengths in lattice constants a, times in 1/omega (omega = exchange rate of the
 * vacancy with one given neighbour), so diffusion coefficients are in a^2 omega.
 *
 *   hop_params p; hop_params_default(&p);  ... set fields ...
 *   hop_result *r = NULL;
 *   hop_status s = hop_run_execute(&p, &r);   ... use r ...   hop_result_free(r);
 */
#ifndef HOP_HOP_H
#define HOP_HOP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "hop/status.h"
#include "hop/lattice.h"
#include "hop/defs.h"

#ifdef __cplusplus
extern "C" {   /* callable from the CUDA (C++) side */
#endif

/* ------------------------------------------------------------------ lattices --- */

/* Number of built-in lattices and the i-th (0 <= i < count), fully derived. */
int hop_lattice_count(void);
const hop_lattice *hop_lattice_get(int i);
/* Built-in lattice by name ("chain", "square", "triangular", "honeycomb", "sc", "bcc",
 * "fcc", "diamond", "hcp"), or NULL. */
const hop_lattice *hop_lattice_find(const char *name);
/* Jump length alpha in lattice constants: of every jump, or of the shortest where the
 * jumps have several lengths. */
double hop_lattice_jump_length(const hop_lattice *L);
/* Lattice sites in a box of `size` conventional cells along each used axis. */
uint64_t hop_lattice_box_sites(const hop_lattice *L, int size);

/* ---------------------------------------------------------------- parameters --- */

typedef enum { HOP_EST_CORR = 0, HOP_EST_MSD = 1, HOP_EST_EXACT = 2 } hop_estimator;

struct hop_progress;

/* Where replicas run.  AUTO: CUDA when a device is usable, else the CPU. */
typedef enum { HOP_BACKEND_AUTO = 0, HOP_BACKEND_CPU = 1, HOP_BACKEND_CUDA = 2 } hop_backend;

typedef struct {
    const hop_lattice *lattice;
    int estimator;          /* hop_estimator */
    int model;              /* hop_model_id: vacancy (default), random (uncorrelated check),
                               solute (five-frequency model, fcc and bcc, corr) or gas
                               (many-body lattice gas, host/models/gas.h) */
    uint64_t seed;
    uint64_t replicas;      /* 0 = the estimator's default for the backend */
    int backend;            /* hop_backend; resolving turns AUTO into CPU or CUDA */
    int threads;            /* OpenMP threads (cpu backend); 0 = all available */
    uint64_t batch;         /* replicas per device batch (cuda backend); 0 = automatic */
    /* corr */
    double radius;          /* outer truncation radius in jump lengths; 0 = default for dim */
    int shells;             /* nested radii radius/2^k reported, k < shells */
    /* msd */
    int size;               /* box edge in conventional cells; 0 = default (about 512 sites; 64 in 1D) */
    double time;            /* run length in 1/omega; 0 = default (32 N/z; 32 N^2/z in 1D) */
    int n_times;            /* points of the log-spaced time grid */
    double fit_from;        /* fit window: t >= fit_from * time */
    int size_check;         /* also run a box of half the edge to bound the finite-size bias */
    /* solute model: w[i] = w_i of the five-frequency model (any common unit; w1 fcc only);
     * bcc: w3p, w3pp = Le Claire's w3', w3'' to the 3rd and 5th neighbour shells
     * (0 = w3) */
    double w[5];
    double w3p, w3pp;
    double E[5];            /* solute with physical units: E[i] the barrier of w_i in eV,
                               i = 1 .. 4 (E[0] = Qm, the host's); resolving sets w_i/w0 =
                               exp(-(E_i - Q_m)/kT), w0 = 1; 0 = not given */
    /* physical units (host/models/physics.h); all 0 = reduced units only */
    double T;               /* temperature, K */
    double Qf, Qm;          /* vacancy formation and migration energies (enthalpies), eV */
    double Sf, Sm;          /* vacancy formation and migration entropies in k_B (0 = none):
                               X_v and omega gain exp(Sf), exp(Sm) */
    double bond_energy;     /* eV: Q_f, Q_m from the bond-breaking model instead */
    double nu;              /* attempt frequency, Hz */
    double a;               /* lattice constant, Angstrom */
    double carrier_density; /* mobile ions per m^3, for the conductivity; 0 = none */
    double charge;          /* their charge in units of e */
    int physical;           /* set by resolving: physical units were given */
    /* gas model (--model gas, host/models/gas.h): many particles in a periodic box of
     * `size` cells; the msd time grid, n_times and fit_from apply */
    double c;               /* particle concentration, 0 < c < 1 (particles = round(c sites)) */
    double J;               /* nearest-neighbour pair energy in units of kT (0: non-interacting) */
    double pair_energy;     /* the same in eV, when pair_energy_given: resolving sets
                               J = pair_energy / (k_B T) (needs T; not with J) */
    int pair_energy_given;
    double equilibrate;     /* J != 0: time run and discarded before measuring, 1/nu; 0 = default */
    /* alloy model (--model alloy, include/hop/alloy.h): atoms of n_species species at
     * the given fractions (atom counts: round(fraction x atoms), the remainder to the
     * largest), each exchanging with a vacancy at rate w (time unit 1/w of the first
     * species listed, or of the fastest when the first has w = 0), in a periodic box of
     * `size` cells with `vacancies` vacancies; the msd time grid, n_times and fit_from
     * apply */
    struct {
        int n_species;
        char name[HOP_ALLOY_MAX_SPECIES][HOP_ALLOY_NAME_LEN];
        double fraction[HOP_ALLOY_MAX_SPECIES];
        double w[HOP_ALLOY_MAX_SPECIES];
        int vacancies;      /* 0 = 1 */
        double pair[HOP_ALLOY_MAX_SPECIES][HOP_ALLOY_MAX_SPECIES];  /* nearest-neighbour
                               pair energies in kT, symmetric (0: none); with any nonzero,
                               the exchange rate is w exp(-dE/2) and the run equilibrates
                               for `equilibrate` (docs/alloys.md) */
        /* physical units (docs/alloys.md): with Em given, every species' rate is
         * w_i = nu_i exp(S_m) exp(-Em_i/kT) and resolving sets w to w_i/w_ref; a pair
         * energy given in eV (pair_eV != 0) sets pair = pair_eV/kT.  0 = not given */
        double nu[HOP_ALLOY_MAX_SPECIES];       /* attempt frequency, Hz (0: --nu's) */
        double Em[HOP_ALLOY_MAX_SPECIES];       /* migration energy, eV */
        double pair_eV[HOP_ALLOY_MAX_SPECIES][HOP_ALLOY_MAX_SPECIES];
        int pairs_in_eV;     /* some --pair was given in eV (0 eV included): --T converts */
    } alloy;
    /* long runs: replicas go in rounds of `replicas` each (the first round is the whole
     * run unless one of these is set); integer sums make the rounds invisible in the
     * result, so a run to a target is reproducible */
    double target_error;    /* > 0: add rounds until sigma(f) <= target_error */
    double time_limit;      /* > 0: stop after the sub-batch that passes this many seconds
                               (the whole run's: with a companion box, the run's box stops
                               at half of it; host/run/run.c) */
    /* checkpoint / resume (host/run/checkpoint.h): the state is saved after the sub-batch
     * that passes checkpoint_every seconds since the last save, when a phase ends and
     * when *interrupt becomes nonzero (then the run stops with HOP_ERR_INTERRUPTED) */
    const char *checkpoint;     /* save the run's state to this file; NULL = none */
    double checkpoint_every;    /* seconds between saves; 0 = 60 */
    const char *resume;         /* continue the run saved in this checkpoint; NULL = new */
    const volatile sig_atomic_t *interrupt;   /* set by a signal handler; NULL = none */
    /* progress, called on the calling thread as each phase starts (the run's box, then
     * the companion box where there is one) and after every sub-batch (NULL: none) */
    void (*progress)(const struct hop_progress *state, void *user);
    void *progress_user;
    int progress_f;     /* nonzero (hop_params_default's): the callback shows f, which the
                           run estimates for it at most once a second; 0: only the stop
                           rules and the end estimate (an estimate is fits) */
} hop_params;

/* What a progress callback is told. */
typedef struct hop_progress {
    uint64_t replicas_done, replicas_planned;   /* planned: 0 when open-ended (target) */
    double f, f_sigma;      /* the phase's latest estimate, at most about a second old
                               where progress_f asks for it (NaN before one exists) */
    double elapsed_s, steps_per_s;
    double next_part_s;     /* the next sub-batch's expected seconds (0: none or unknown) */
    int phase;              /* 0: the run's box; 1: the companion box (finite-size check),
                             * of box_size cells per edge; the counts are the phase's */
    int box_size;
    int starting;           /* 1: the phase starts (or resumes) here, before its first
                             * sub-batch in this process, which is not timed yet; 0: after
                             * a sub-batch */
} hop_progress;

/* Defaults: fcc, corr, vacancy model, seed 1, backend auto, default
 * replicas/radius/size/time, 4 shells, 40 times, fit_from 0.1, size_check on. */
void hop_params_default(hop_params *p);
/* The backend AUTO stands for here: CUDA when a device is usable, else the CPU, with a
 * one-line note saying which and why (for the user's stderr).  Other values are
 * returned unchanged with an empty note. */
int hop_backend_choose(int requested, char *note, size_t note_len);
const char *hop_backend_name(int backend);   /* "auto", "cpu", "cuda" */
int hop_backend_parse(const char *name);     /* the hop_backend named, or -1 */
/* The registered models (host/models/registry.c): "vacancy", "random", "solute", "gas". */
const char *hop_model_name(int model);       /* its name; "unknown" for no model */
int hop_model_parse(const char *name);       /* the hop_model_id named, or -1 */
/* Resolve the zeros (defaults that depend on lattice and estimator) and check every
 * field; on error returns HOP_ERR_INVAL with a one-line message in msg naming the
 * parameter and its valid range. */
hop_status hop_params_resolve(hop_params *p, char *msg, size_t msg_len);

/* ------------------------------------------------------------------- results --- */

typedef struct {
    double value;
    double sigma;           /* standard error from independent replicas */
    double bias;            /* bound on the systematic error (0 where there is none) */
} hop_estimate;

/* Physical units, thermodynamics and transport of a run with T, Q_f, Q_m (or the bond
 * energy), nu and a given (the lattice gas: T, Q_m, nu and a).  D in m^2/s; estimates
 * carry the reduced results' errors and bias bounds scaled. */
typedef struct {
    double kT;              /* eV */
    double X_v;             /* exp(S_f) exp(-Q_f/kT); NaN for the gas (its vacancy fraction is 1 - c) */
    double omega;           /* nu exp(S_m) exp(-Q_m/kT), 1/s; the gas: a free jump (dB <= 0) */
    double Gamma;           /* z omega X_v, 1/s; NaN for the gas */
    double alpha;           /* jump length, m */
    double D_uncorrelated;  /* (1/2d) Gamma alpha^2, m^2/s; the gas: D0 M/(n-1) */
    hop_estimate D_star;    /* f D, m^2/s; the gas: D0 times the reduced D* */
    double D0;              /* f (1/2d) z alpha^2 nu exp(S_f + S_m), m^2/s (Arrhenius
                               prefactor); the gas:
                               (1/2d) z alpha^2 omega, a lone particle's D at T */
    double Q_D;             /* Q_f + Q_m, eV; NaN for the gas */
    hop_estimate D_sigma;   /* m^2/s (corr: exactly D, one vacancy) */
    int D_sigma_exact;      /* 1 when D_sigma is the single-vacancy identity */
    hop_estimate D_vacancy, D_chem;   /* the gas only, m^2/s; D_chem NaN where the reduced
                                         one is */
    double carrier_density; /* carriers per m^density_dim in the conductivity */
    int density_dim;        /* 3; the gas on a 2D or 1D lattice without --carrier-density:
                               2 or 1 (per m^2: sheet conductance in S; per m: S m) */
    hop_estimate conductivity;   /* S m^(2 - density_dim); NaN without a carrier density */
    /* The vacancy models on any lattice (physics.h: the sum over the jump network; with
     * z equal jumps of one length between equivalent sites, the closed forms above) */
    int network;            /* 1: rates, lengths or site energies differ: Gamma, alpha, D0
                               and Q_D are the network's sums (the labels say so) */
    double X_v_site[HOP_MAX_SUB];   /* X_v exp(-E_s): a site of sublattice s */
    double X_v_mean;        /* sum_s x_s X_v_site[s]: the vacancy fraction of all sites */
    double D_uncorrelated_axis[HOP_MAX_GROUPS];   /* per principal component, m^2/s */
    hop_estimate D_star_axis[HOP_MAX_GROUPS];     /* f_g D_uncorrelated_axis[g] */
    double D0_axis[HOP_MAX_GROUPS], Q_D_axis[HOP_MAX_GROUPS];   /* Arrhenius per component */
} hop_physical;

typedef struct {
    double t;               /* time in 1/omega */
    double tracer, tracer_se;        /* MSD in a^2 */
    double vacancy, vacancy_se;
    double collective, collective_se;  /* |sum of all atoms' displacements|^2 / N_atoms */
} hop_msd_point;

typedef struct {
    hop_params params;      /* resolved */
    const char *backend;    /* "cpu" or "cuda" */
    char device[288];       /* what ran it: the CPU model, or the GPU name and driver */
    int threads;            /* cpu backend: threads actually used (0 on cuda) */
    int batches;            /* cuda backend: kernel batches run (all ranks) */
    int ranks;              /* MPI processes that shared the replicas (1 without MPI) */

    hop_estimate f;         /* tr D* / tr D_uncorrelated (the scalar f where isotropic) */
    int n_groups;
    hop_estimate f_group[HOP_MAX_GROUPS];    /* principal components; names in lattice->group_name */
    double isotropy_dev;    /* isotropic lattices: max |f_g - f| in units of its standard error */

    /* corr */
    int n_shells;
    double shell_radius[HOP_MAX_SHELLS];     /* truncation radii in jump lengths, increasing */
    hop_estimate f_shell[HOP_MAX_SHELLS];    /* f at each radius (bias 0 there) */
    double lost_fraction;   /* replicas whose vacancy reached the outer radius */

    /* msd: D in a^2 omega */
    uint64_t box_sites;
    double D_uncorrelated;  /* (1/2d) z alpha^2 omega / (N - 1): one vacancy per N - 1 atoms */
    hop_estimate D_star, D_sigma, haven, haven_inverse;   /* H = D* / D_sigma; inverse D_sigma / D* */
    double fit_chi2; int fit_dof;             /* GLS fit of the tracer MSD */
    int check_size; uint64_t check_box_sites; hop_estimate f_check;   /* companion box */
    int check_failed_size;  /* the companion box of this edge ran but its estimate (fit)
                               failed: the biases are not bounded; 0: no failure */
    uint64_t check_replicas;  /* replicas the companion box ran (its share of a time limit
                                 may stop it before it ran as many as the box) */
    int n_points;
    hop_msd_point *msd;     /* n_points entries, owned by the result */

    hop_physical phys;      /* when params.physical */

    /* solute model */
    double f2_manning;      /* Manning's approximation for the same rates (fcc; NaN else) */
    double D2_over_Xv;      /* D2 / X_v = f2 (1/2d) z alpha^2 w2 (w4/w3), in a^2 [w] */
    double binding;         /* E_b / kT = ln(w4/w3) */
    double D2;              /* physical units: f2 (1/2d) z alpha^2 w2 X_v (w4/w3), m^2/s
                               (w2 = nu exp(S_m) exp(-E_2/kT)); NaN in reduced units */

    /* gas model (host/models/gas.h); D in units of D0 = (1/2d) z alpha^2 nu */
    struct {
        uint64_t n_particles, n_vacancies;
        double c;                /* n_particles / box_sites, the concentration used */
        double empty_neighbour;  /* n_vacancies / (box_sites - 1): probability that a
                                    given neighbour of a particle is empty; -> 1 - c */
        double D0;               /* a^2 nu */
        hop_estimate D_star, D_sigma, D_vacancy;   /* over D0 */
        hop_estimate D_chem;     /* D_sigma Theta over D0 (J = 0: with theta_exact) */
        hop_estimate theta;      /* thermodynamic factor d(mu/kT)/d ln c = c/chi, measured
                                    from the slabs' number fluctuations (NaN: 1-cell box) */
        int theta_two_widths;    /* 1: theta from two slab widths (surface term cancelled);
                                    0: from one (edge < 4 cells, O(1/L) surface bias) */
        hop_estimate theta_one_width;   /* Theta from the wide slabs alone (surface-biased),
                                    for comparison; no bias bound */
        hop_estimate theta_drift;    /* Theta of the late minus the early half of the run */
        double theta_exact;      /* J = 0: (n - 1)/M, its exact value in the box; else NaN */
        int D_chem_exact_theta;  /* 1 when D_chem used theta_exact */
        hop_estimate pairs;      /* occupied nearest-neighbour pairs per site, time average */
        hop_estimate pairs_drift;    /* late minus early half of the time grid */
        double fit_chi2_collective; int fit_dof_collective;
        uint64_t attempts;
        int n_groups;            /* principal components with their own D* (0: isotropic) */
        double D0_group[HOP_MAX_GROUPS];        /* (1/2 a_g) sum_k |e_k,g|^2, a^2 nu */
        hop_estimate D_star_group[HOP_MAX_GROUPS];   /* a^2 nu (not over D0) */
        hop_estimate f_group[HOP_MAX_GROUPS];   /* D*_g / (D0_g M/(n-1)) */
    } gas;

    /* alloy model (host/models/alloy.h); D in a^2 w_ref (w_ref: the time unit's rate);
     * entity e < n_species a species, e = n_species the vacancy ("V") */
    struct {
        int n_species;
        uint64_t atoms[HOP_ALLOY_MAX_SPECIES];   /* atoms of each species in the box */
        uint64_t n_atoms, n_vacancies;
        double c[HOP_ALLOY_MAX_SPECIES];         /* atom fractions atoms / n_atoms */
        double w[HOP_ALLOY_MAX_SPECIES];         /* rates over w_ref */
        hop_estimate D_star[HOP_ALLOY_MAX_SPECIES + 1];   /* tracer D of each species,
                                                             and of the vacancy (last) */
        hop_estimate f[HOP_ALLOY_MAX_SPECIES + 1];        /* correlation factors (the
                                                             vacancy's: D_v / (alpha^2
                                                             Gamma_v / 2d)); NaN for w = 0 */
        double gamma_v;                          /* a vacancy's measured exchange rate */
        hop_estimate onsager[HOP_ALLOY_MAX_SPECIES + 1][HOP_ALLOY_MAX_SPECIES + 1];
                                                 /* Lambda_ij per vacancy, V last */
        double conservation_max;                 /* 0 when every row of the integer sums
                                                    of dR_i . dR_j adds to zero exactly
                                                    (conservation), else 1 */
        int primary;                             /* the species in f and D_star: the
                                                    first mobile one */
        hop_estimate interdiffusion;             /* binary, thermodynamic factor 1:
                                                    c_B D_A + c_A D_B with the intrinsic
                                                    D_i = (n_v/N_i)(Lambda_ii - (c_i/c_j)
                                                    Lambda_ij) (Darken with the vacancy
                                                    wind, from Lambda); else NaN */
        hop_estimate interdiffusion_darken;      /* c_B D*_A + c_A D*_B (tracers only) */
        double interdiffusion_manning;           /* the first with Manning's r_i */
        double min_eigen;                        /* smallest eigenvalue of the species
                                                    block of Lambda (>= 0: PSD) */
        double min_eigen_sigma;                  /* its scale: the largest sigma in the block */
        hop_estimate wind[HOP_ALLOY_MAX_SPECIES];   /* binary: Manning's vacancy-wind
                                                       factors r_i from Lambda; else NaN */
        double f0;                               /* the lattice's single-vacancy f (NaN:
                                                    not tabulated) */
        double manning_f[HOP_ALLOY_MAX_SPECIES + 1];   /* Manning's random alloy model */
        double manning_onsager[HOP_ALLOY_MAX_SPECIES + 1][HOP_ALLOY_MAX_SPECIES + 1];
        double manning_wind[HOP_ALLOY_MAX_SPECIES];
        double mobile_fraction;                  /* atoms with w > 0 over all atoms */
        double percolation;                      /* the lattice's site-percolation threshold
                                                    (NaN: not tabulated) */
        hop_estimate run_bias[HOP_ALLOY_MAX_SPECIES + 1];  /* D*: the full run's slope
                                                             minus the early run's,
                                                             and its sigma */
        double f_run_bound[HOP_ALLOY_MAX_SPECIES + 1];     /* the run-length part of f's
                                                             bias bound (NaN: none) */
        double run_lever;                        /* t_max over the early window's end */
        double run_p;                            /* the decay law's exponent, d/2 */
        int run_law;                             /* 1: the run-length bound holds under
                                                    B ~ T^-p; 0: none claimed (near or
                                                    below percolation); -1: no early
                                                    window on the time grid */
        hop_estimate bonds[HOP_ALLOY_MAX_SPECIES][HOP_ALLOY_MAX_SPECIES];
                                                 /* nearest-neighbour pairs of species i
                                                    and j per site, time average */
        hop_estimate sro[HOP_ALLOY_MAX_SPECIES][HOP_ALLOY_MAX_SPECIES];
                                                 /* Warren-Cowley 1 - bonds / (their
                                                    number in a random arrangement) */
        int interacting;                         /* pair energies were given */
        int n_groups;                            /* principal components with their own
                                                    D* and f (0: the lattice is isotropic) */
        hop_estimate D_star_group[HOP_ALLOY_MAX_SPECIES + 1][HOP_MAX_GROUPS];
        hop_estimate f_group[HOP_ALLOY_MAX_SPECIES + 1][HOP_MAX_GROUPS];
                                                 /* per component g (names in
                                                    lattice->group_name), each over its
                                                    own reference (docs/alloys.md) */
        /* physical units (params.physical): D*_i and D_v in m^2/s, Lambda_ij per vacancy
         * in m^2/s, L_ij = x_v Lambda_ij/(Omega kT) in 1/(J m s) (3D; m^(2-d)/(J s) in
         * d dimensions), docs/alloys.md */
        double w_ref_hz;                         /* the time unit's rate, 1/s */
        double x_v;                              /* vacancy site fraction exp(S_f - Q_f/kT) */
        double unit_D;                           /* m^2/s per a^2 w_ref */
        double vacancy_scale;                    /* x_v (N - 1)/n_v: the box's vacancies
                                                    to the crystal's, for D* */
        double unit_L;                           /* L_ij per Lambda_ij (a^2 w_ref) */
        hop_estimate D_star_si[HOP_ALLOY_MAX_SPECIES + 1];
        hop_estimate onsager_si[HOP_ALLOY_MAX_SPECIES + 1][HOP_ALLOY_MAX_SPECIES + 1];
        hop_estimate interdiffusion_si;
        hop_estimate f_check[HOP_ALLOY_MAX_SPECIES + 1];  /* f in the companion box (for the
                                                             verdict's --size) */
    } alloy;

    /* how the run ended: "replicas" (all asked for), "target" (sigma reached
     * target_error) or "time limit" */
    const char *stopped_by;
    int resumed;            /* the run continued from a checkpoint (params.resume) */

    /* counts and timing */
    uint64_t replicas, tracer_jumps, vacancy_steps;
    double wall_s, steps_per_s;   /* compute time, summed over the sessions of a resumed run */
} hop_result;

/* Run the estimation described by p (resolved by hop_params_resolve if not already).
 * On success *out is a new result the caller frees with hop_result_free. */
hop_status hop_run_execute(const hop_params *p, hop_result **out);
void hop_result_free(hop_result *r);   /* NULL is a no-op */

#ifdef __cplusplus
}
#endif

#endif

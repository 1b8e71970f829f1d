/* alloy.h: the concentrated alloy (`hop run --model alloy`) from parameters to a result:
 * validation and defaults, the box, the CPU backend, and the reduction of the replicas'
 * integer series to the tracer D and f of every species and of the vacancy, the Onsager
 * matrix per vacancy with its checks, the vacancy-wind factors and Manning's random
 * alloy model beside.  The per-step physics is include/hop/alloy.h; the equations and
 * their sources are in docs/alloys.md.
 *
 * Reduced units: lengths in a, times in 1/w_ref (w_ref the rate of the first species
 * listed, or of the fastest where the first has w = 0), D and Lambda in a^2 w_ref.  In a
 * box of N sites with n_v vacancies and N_i atoms of species i (c_i = N_i / atoms):
 *   D*_i   = <sum over atoms of i of |d|^2> / (2 d t N_i),
 *   f_i    = D*_i / [(1/2d) M w_i n_v / (N - 1)],  M = sum over a site's jumps of
 *            Gamma_k |e_k|^2 (z alpha^2 for one length and unit rates; Gamma_k = R_c
 *            exp(-B_c) of the jump's class, the exchange rate being w_i Gamma_k),
 *   D_v    = <sum over vacancies of |d|^2> / (2 d t n_v), f_v = D_v / [(1/2d) <|e|^2> Gamma_v]
 *            with Gamma_v a vacancy's measured exchange rate and <|e|^2> = M / sum_k
 *            Gamma_k (alpha^2 for one length); on anisotropic lattices the same per
 *            principal axis (docs/alloys.md),
 *   Lambda_ij = <dR_i . dR_j> / (2 d t n_v), i, j over the species and the vacancy (last);
 * each slope a GLS fit of the linear regime (stats/msd.c) with its standard error from
 * the independent replicas. */
#ifndef HOP_ALLOY_RUN_H
#define HOP_ALLOY_RUN_H

#include <stddef.h>
#include "hop/hop.h"
#include "hop/alloy.h"
#include "stats/msd.h"

/* A resolved alloy run's step parameters and box (the estimator's work). */
typedef struct {
    hop_alloy_params ap;
    int32_t *nbr;
    int8_t *sub;
    hop_gas_box box;
    double w_ref;               /* the rate of the time unit, in the units of --w */
} hop_alloy_model;

/* Defaults and checks of an alloy run (the table's resolve; also its companion's):
 * sets the estimator to msd, size, time, vacancies and replicas where 0; a bad value is
 * HOP_ERR_INVAL with one line in msg naming the option and its valid range. */
hop_status hop_alloy_resolve(hop_params *p, char *msg, size_t msg_len);

/* Whether resolved p is an alloy run in 2D shorter than the run-length bound needs
 * (alloy.c settled_jumps: N/2 uncorrelated jumps per atom of the slowest mobile species
 * in a box of N sites, results/alloys.md), where the bound does not hold: then 1, and text (n bytes) says so in one sentence naming the --time that
 * reaches it (the verdict's run_length text; `hop run` prints it as it starts). */
int hop_alloy_short_run(const hop_params *p, char *text, size_t n);

/* With physical units (p->physical after resolving), the rate of the first species,
 * nu_0 exp(S_m) exp(-Em_0/kT), in 1/s: the time unit w_ref; else NaN. */
double hop_alloy_rate_hz(const hop_params *p);

/* Atoms of each species in a box of `atoms` atoms at p's fractions: round(fraction x
 * atoms), the remainder (positive or negative) to the largest fraction (the first of
 * equal ones). */
void hop_alloy_counts(const hop_params *p, int64_t atoms, int64_t *count);

/* The model of resolved p (its box of p->size cells); NULL when out of memory.
 * hop_alloy_model_free(NULL) is a no-op. */
hop_alloy_model *hop_alloy_model_alloc(const hop_params *p);
void hop_alloy_model_free(hop_alloy_model *m);

/* Accumulators shaped for m's rows (hop_msd_accum of hop_alloy_series series). */
hop_msd_accum *hop_alloy_accum_alloc(const hop_alloy_model *m);

/* Manning's random alloy model (docs/alloys.md): for atom fractions c[i] and rates w[i]
 * of n species on a lattice whose single-vacancy correlation factor is f0, the tracer
 * correlation factors f[i], the vacancy's f[n], and the Onsager matrix per vacancy
 * L[i][j] (species and vacancy, in units of the rates times (1/2d) z alpha^2, i.e. with
 * D0 = 1 for w = 1) and the binary vacancy-wind factors wind[i] (NaN unless n = 2).
 * Returns the effective escape frequency H (0 below Manning's percolation point). */
double hop_alloy_manning(int n, const double *c, const double *w, double f0, double *f,
                         double L[HOP_ALLOY_MAX_SPECIES + 1][HOP_ALLOY_MAX_SPECIES + 1],
                         double *wind);

/* The exact single-vacancy correlation factor of a built-in lattice used by Manning's
 * model (REFERENCE values), and its site-percolation threshold; NaN where not known. */
double hop_alloy_lattice_f0(const hop_lattice *L);
double hop_alloy_percolation_threshold(const hop_lattice *L);

/* Half the width of the site-percolation transition in a box of `sites` sites of
 * dimension dim, sites^(-1/(dim nu)) (nu = 4/3 in 2D, 0.876 in 3D, 1 in 1D). */
double hop_alloy_percolation_window(uint64_t sites, int dim);

/* Reduce the accumulators of a run of resolved p on m's box into r (r->alloy, and f,
 * D_star, the msd curves of species 0 for the common fields).  Biases are the run-length
 * bounds; the companion adds the box's. */
hop_status hop_alloy_estimate(const hop_params *p, const hop_alloy_model *m,
                              const hop_msd_accum *a, hop_result *r);

/* The table's sections (models/alloy_output.c). */
void hop_alloy_report(FILE *out, const hop_result *r);
struct cJSON;
void hop_alloy_json_parameters(struct cJSON *o, const hop_params *p);
void hop_alloy_json_results(struct cJSON *o, const hop_result *r);
struct hop_verdict_s;
void hop_alloy_verdict(const hop_result *r, struct hop_verdict_s *v);

#endif

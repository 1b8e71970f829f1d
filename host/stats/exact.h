/* exact.h: the exact correlation factor of one vacancy and one tracer (or one solute)
 * by the matrix method: the vacancy's walk relative to the tracer is a Markov chain;
 * on the finite region |x| < R, absorbing at its edge and at an exchange with the
 * tracer, the chain of tracer jump types P_R follows from sparse linear solves
 * (SuiteSparse: CHOLMOD on the system symmetrised by detailed balance; a rate table
 * without detailed balance is refused), f(R) from P_R by the corr estimator's formula
 * (hop_corr_chain), and f from f(R) at geometrically growing radii extrapolated with
 * the known form of the tail, f(R) = f + c R^-p + c' R^-(p+1) + ...  The method, the
 * definitions and the literature: docs/exact.md.
 *
 * Besides f, the chain gives the vacancy-wind (drag) ratio of the solute models:
 * with u_i the expected displacement of the vacancy between a solute jump of type i and
 * the next (its exchange included), per solute jump
 *     <dR_s . dR_s> = alpha^2 f,
 *     <dR_s . dR_v> = -alpha^2 + 2 sum_ij pi_i [(I - P)^-1]_ij e_i . u_j
 * (the second by time reversal, which detailed balance allows), and the ratio
 * L_sv / L_ss = <dR_s . dR_v> / <dR_s . dR_s>; equal rates give u = 0 and -1/f.  With a
 * cache (hop_exact_cache) the solute's chains also give b_vv, its effect on L_vv:
 * L_vv = L_vv^0 (1 + b_vv c_s) (exact.c, "Local rates"; docs/exact.md). */
#ifndef HOP_EXACT_H
#define HOP_EXACT_H

#include "hop/hop.h"
#include "hop/step.h"
#include "stats/corr.h"

#define HOP_EXACT_MAX_RADII 8
#define HOP_EXACT_TARGET_STATES 4e4   /* states per tracer sublattice of the default box */
#define HOP_EXACT_SHAPE_STATES 1.6e5  /* the most a shaped default box may hold */

/* What a sequence of solves on one lattice keeps (exact.c, "Local rates"): for rates
 * that differ from w0 only near the solute (the solute model), the states of each
 * region and the far region's elimination, which do not depend on the rates; a call
 * then costs a solve of the few states near the solute.  Opaque; _free(NULL) is a
 * no-op.  NULL from _alloc when out of memory. */
typedef struct hop_exact_cache hop_exact_cache;
hop_exact_cache *hop_exact_cache_alloc(void);
void hop_exact_cache_free(hop_exact_cache *cache);

/* The bytes the cache keeps between calls (0 for NULL): every entry's state table, kept
 * pattern, symbolic and numerical factors, far-region elimination.  A solve lets them
 * go (numerical factors first, then entries least recently used first) as far as its
 * own peak needs beside them: what the cache keeps plus a solve's peak stays within
 * max_bytes, so this is at most max_bytes after each call. */
double hop_exact_cache_bytes(const hop_exact_cache *cache);

/* What to solve.  `rates` NULL: the vacancy model, with the lattice's per-jump rates
 * (L->rate) or equal rates; else the solute model with these rate classes (the tracer
 * is the solute; hop_rates_class decides each exchange's class, as in the Monte Carlo). */
typedef struct {
    const hop_lattice *lattice;
    const hop_rates *rates;
    double max_bytes;          /* refuse a radius whose factorisation needs more memory */
    int box;                   /* region: 0 the ball |x| < R (the corr estimator's
                                  truncation), 1 the box |x_a| <= R of whole lattice planes */
    hop_exact_cache *cache;    /* NULL: every system is factored whole; else the solute
                                  model's rates (local to the solute) reuse what it keeps
                                  and give the solute's effect on L_vv (vv) too */
} hop_exact_problem;

/* The chain at one radius. */
typedef struct {
    double radius;                   /* in jump lengths: states have |x| < radius (ball), or
                                        (cells + 1/2) edge, the box's half-width along
                                        the first axis where it is not shaped */
    int cells;                       /* box: m, the slowest axis's cells */
    int half_cells[HOP_MAX_DIM];     /* box: |x_a| <= half_cells[a] * cell[a], with
                                        half_cells[a] + 1/2 = p_a (m + 1/2)
                                        (hop_exact_box_shape) */
    int n_types;
    hop_type_matrix P;               /* P[i][j]: the tracer jump after one of type i is j */
    double drift[HOP_MAX_TYPES][HOP_MAX_DIM];  /* u_i: the vacancy's mean displacement
                                                  until the next tracer jump (integer coords) */
    int64_t n_states;                /* transient states, all tracer sublattices */
    double factor_bytes;             /* memory of the largest factorisation */
    int symmetric;                   /* 1: CHOLMOD on the symmetrised system (always) */
    double vv;                       /* the solute's effect on L_vv per solute fraction,
                                        relative to the pure solvent's (docs/exact.md);
                                        NaN where not computed (no cache, several
                                        sublattices, or not the solute model) */
} hop_exact_chain;

/* The conventional cell's first edge in jump lengths (the box grows by it). */
double hop_exact_cell_edge(const hop_lattice *L);

/* The box's shape, fixed for every box of a solve so that f(R) stays a smooth function
 * of one size: per cell axis a the odd p_a with half-widths n_a + 1/2 = p_a (m + 1/2)
 * cells (m the slowest axis's cells, p = 1 there), (n_a + 1/2) cell_a proportional to
 * sqrt(D_a) of the vacancy's uncorrelated walk (the jump network's second moment along
 * a, weighted by sites, occupation and rate) as nearly as odd p_a allow: the odd integer
 * nearest the ratio in log, ties to the smaller; then, while the least box of that
 * shape a run accepts (m = 6: five boxes m = 2 .. 6) would hold more than
 * HOP_EXACT_SHAPE_STATES sites per tracer sublattice, the largest p_a come down by 2
 * together.  p = 1 on every axis
 * (the cube in cell counts) where the ratios are nearer 1 than 3 (every cubic lattice,
 * hcp with equal rates), in 1D, and where a cell axis has components in two principal
 * components (oblique cells).  p receives HOP_MAX_DIM entries (1 beyond dim); returns
 * whether some p_a > 1. */
int hop_exact_box_shape(const hop_lattice *L, int *p);

/* Solve the chain at `radius` (jump lengths, > 1).  HOP_ERR_NOMEM (with the memory
 * needed in the message) when the factorisation would exceed pb->max_bytes,
 * HOP_ERR_NUMERIC when the system is singular (a rate table that disconnects the
 * vacancy from the tracer).  Reports through hop_error. */
hop_status hop_exact_chain_solve(const hop_exact_problem *pb, double radius, hop_exact_chain *c);

/* The quantities of one chain: f (scalar and per principal component) and the drag
 * ratio L_sv/L_ss (scalar and per component). */
typedef struct {
    double f, f_group[HOP_MAX_GROUPS];
    double drag, drag_group[HOP_MAX_GROUPS];
    double vv;                       /* the chain's vv */
} hop_exact_values;

hop_status hop_exact_values_of(const hop_lattice *L, hop_exact_chain *c, hop_exact_values *v);

/* An extrapolated quantity. */
typedef struct {
    double value;
    double error_bound;   /* |value - limit| bound from the extrapolation's convergence */
} hop_exact_estimate;

/* The whole method: radii r_max / q^(n-1) ... r_max (q^(n-1) = 2 in 3D, 4 below;
 * consecutive cells for a shaped box below 8), the values at each, the extrapolation. */
typedef struct {
    int n_radii;
    double radius[HOP_EXACT_MAX_RADII];
    hop_exact_values at[HOP_EXACT_MAX_RADII];
    int tail_power;                  /* p of the leading tail term R^-p */
    hop_exact_estimate f, f_group[HOP_MAX_GROUPS];
    hop_exact_estimate drag, drag_group[HOP_MAX_GROUPS];
    hop_exact_estimate vv;           /* b_vv: L_vv = L_vv^0 (1 + b_vv c_s) (docs/exact.md);
                                        NaN where the chains have none */
    int64_t n_states;                /* at the largest radius */
    int shaped, shape[HOP_MAX_DIM];  /* hop_exact_box_shape */
    double cell_length[HOP_MAX_DIM]; /* cell edge along each axis, jump lengths */
    int half_cells[HOP_EXACT_MAX_RADII][HOP_MAX_DIM];  /* box k: |x_a| <= n_a cell[a] */
    int64_t states_at[HOP_EXACT_MAX_RADII];            /* box k's transient states */
    double factor_bytes;             /* of the largest radius */
    int symmetric;
    double seconds;
} hop_exact_result;

/* Radii for a largest radius r_max: n_radii of them, geometric.  The default largest
 * radius for a lattice (enough for 1e-7 on the built-in ones): */
double hop_exact_default_radius(const hop_lattice *L);

/* The n_radii box radii for a largest radius r_max (jump lengths; whole cells, distinct,
 * from half the largest in 3D, a quarter below; a shaped box (hop_exact_box_shape) of
 * 6 or 7 cells takes consecutive ones) into radius[]; 0 with the least r_max
 * that gives n_radii distinct boxes in *least if r_max is too small (rounded up to
 * hundredths, so that it is accepted when given back; 0 when n_radii is out of range). */
int hop_exact_radii(const hop_lattice *L, double r_max, int n_radii, double *radius,
                    double *least);

/* Solve at n_radii radii up to r_max and extrapolate (see the file comment). */
hop_status hop_exact_solve(const hop_exact_problem *pb, double r_max, int n_radii,
                           hop_exact_result *r);

/* Richardson extrapolation of g(R_k) = g + sum_{m=0}^{n-2} c_m R_k^-(p+m), k < n, to R
 * infinite, with the bound |E_n - E_{n-1}| (the last two orders) scaled by the ratio
 * of successive corrections.  Exposed for the tests. */
hop_exact_estimate hop_exact_extrapolate(int n, const double *radius, const double *g, int p);

#endif

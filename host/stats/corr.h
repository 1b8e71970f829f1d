/* corr.h: counts of the jump-correlation estimator and their reduction to f.
 *
 * The sequence of tracer jump types after a jump is a Markov chain: after each exchange
 * the vacancy sits on the site the tracer left, so the state is fully described by the
 * last jump's type (Howard 1966; Allnatt & Lidiard, Atomic Transport in Solids, ch. 5).
 * Its transition matrix P[i][j] = probability that the next tracer jump after one of
 * type i is of type j (rows sum to less than 1: the vacancy may be lost) is estimated
 * from replica counts, and
 *     sum_{n>=1} <e_0 . e_n> = sum_ij pi_i [(I - P)^-1 - I]_ij e_i . e_j,
 * so f = 1 + 2 sum_{n>=1} <e_0 . e_n> / alpha^2 exactly, per principal component with
 * projected dot products.  Standard errors come from the multinomial covariance of each
 * row of counts, propagated to f to first order (delta method). */
#ifndef HOP_CORR_STATS_H
#define HOP_CORR_STATS_H

#include "hop/hop.h"
#include "hop/step.h"

/* A matrix over jump types (the chain P, its inverse): 1.2 MB at HOP_MAX_TYPES, so
 * always allocated, never on the stack. */
typedef double hop_type_matrix[HOP_MAX_TYPES][HOP_MAX_TYPES];

/* The chain formula: given P[i][j] (the probability that the tracer jump after one of
 * type i is of type j; rows may sum to less than 1) for the n = n_sub z jump types of
 * L, f of principal component g (-1: the scalar f) into *f and S = (I - P)^-1 into S,
 * or with `recurrent` (rows sum to 1) the fundamental matrix (I - P + 1 pi^T)^-1.
 * HOP_ERR_NUMERIC when the matrix is singular. */
hop_status hop_corr_chain(const hop_lattice *L, int n, hop_type_matrix P, int recurrent,
                          int g, double *f, hop_type_matrix S);

/* The tally of include/hop/step.h: HOP_CORR_SLOTS(n_types, n_shells) counters, held
 * in the same allocation as the struct (T^2 S slots: 1.2 M for 384 jump types and 8
 * radii, so never a fixed array). */
typedef struct {
    int n_types, n_shells;
    uint64_t *tally;
} hop_corr_counts;

/* Zeroed counts for n_types jump types and n_shells radii, in one block that free()
 * releases (hop_corr_counts_free is the same); NULL when out of memory. */
hop_corr_counts *hop_corr_counts_alloc(int n_types, int n_shells);
void hop_corr_counts_free(hop_corr_counts *c);
/* Zeroes the counts; n_types and n_shells must be those c was allocated with. */
void hop_corr_counts_init(hop_corr_counts *c, int n_types, int n_shells);
void hop_corr_counts_add(hop_corr_counts *c, const hop_corr_outcome *o);
/* Add a tally of the same n_types and n_shells (e.g. one a CUDA run returned). */
void hop_corr_counts_add_tally(hop_corr_counts *into, const uint64_t *tally);
void hop_corr_counts_merge(hop_corr_counts *into, const hop_corr_counts *from);
uint64_t hop_corr_counts_steps(const hop_corr_counts *c);   /* vacancy exchanges */

/* Fill r->f, f_group, f_shell, shell radii, lost_fraction, tracer_jumps and
 * vacancy_steps from the counts.  `radius` holds the truncation radii in jump lengths
 * (increasing).  The bias bound of f comes from the two outermost radii (see .c). */
hop_status hop_corr_estimate(const hop_lattice *L, const hop_corr_counts *c,
                             const double *radius, hop_result *r);

#endif

/* verdict.h: a judgement on a finished result, one line a reader can act on.
 *
 * A run reports numbers with standard errors and bias bounds; whether those numbers can
 * be used as they stand is a comparison the reader should not have to make: a bias bound
 * above sigma means the printed error understates the real one, a drift means the box
 * was not in equilibrium.  The verdict makes that comparison and names the option that
 * fixes it, with a value derived from how the bias falls (models/verdict.c).  The
 * summary ends with "verdict: <text>", the JSON has {"code", "text"} at the top level,
 * a scan's CSV a `verdict` column of codes.
 *
 * Codes, worst first (the first that applies is the verdict):
 *   stopped_early      msd, gas, alloy: the box or its companion ran fewer replicas than
 *                      the fit needs (HOP_MIN_REPLICAS_PER_TIME per time point), which
 *                      only a time limit allows: sigma and the bounds are unreliable
 *   not_equilibrated   the gas's pair count or Theta drifts between the early and late
 *                      half of the run by more than HOP_VERDICT_DRIFT_Z standard errors
 *   truncation         corr: the truncation bias bound exceeds sigma
 *   finite_size        msd, gas: the finite-size bias bound exceeds sigma
 *   run_length         alloy: the run-length part of f's bound (the larger part) exceeds
 *                      sigma (models/alloy_output.c: the --time that fixes it)
 *   one_dimensional    msd, gas, alloy in one dimension (correlated models): the
 *                      particles keep their order, the infinite chain's f is 0 and the
 *                      ring's is the finite-size effect itself (1/(N-1) for one
 *                      vacancy); no size bounds it below sigma
 *   unbounded          msd, gas: no companion box ran, or its fit failed
 *                      (hop_result.check_failed_size): the finite-size bias is unknown
 *   converged          every bias bound is within sigma: statistical error dominates
 *   exact              the exact estimator (its extrapolation bound; no sigma) */
#ifndef HOP_MODELS_VERDICT_H
#define HOP_MODELS_VERDICT_H

#include <stddef.h>
#include "hop/hop.h"

/* A drift is significant beyond this many standard errors (two drifts are judged: a
 * false alarm on an equilibrated run has probability ~1e-4). */
#define HOP_VERDICT_DRIFT_Z 4.0

typedef struct hop_verdict_s {
    const char *code;       /* static string: one of the codes above */
    char text[320];         /* one line, no newline */
} hop_verdict;

/* The verdict on r: the model's verdict entry where it has one, else its estimator's,
 * else the bias of f against its sigma (models/registry.c reads the tables). */
void hop_verdict_of(const hop_result *r, hop_verdict *v);

/* code and printf-formatted text into v. */
void hop_verdict_set(hop_verdict *v, const char *code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* The corr estimator's verdict: f's truncation bound against sigma; when it exceeds
 * sigma, the radius that brings it below (the bound falls as R^-max(1, d-1)). */
void hop_verdict_corr(const hop_result *r, hop_verdict *v);

/* The finite-size verdict of a box estimate (msd, gas, alloy): one_dimensional on a
 * one-dimensional lattice with a correlated model (of e[0]); else each of n named
 * estimates e[i] judged by bias against sigma, the worst named; unbounded when any
 * bias is NaN; converged otherwise.  The suggested --size makes the worst bound fall below sigma
 * (the bias falls as 1/N = size^-d).  Returns 1 when the verdict is converged. */
int hop_verdict_size(const hop_result *r, const char *const *names,
                     const hop_estimate *const *e, int n, hop_verdict *v);

/* How one estimate's bias bound is made, for the --size that brings it below sigma:
 * the estimate in the companion box (check), the part of the bound that is not the
 * box's (rest: the alloy's run-length part; 0 for msd), and how sigma falls with the
 * box at the same replicas and jumps per atom, sigma ~ N^-sigma_power (0: one tracer,
 * msd; 1/2: an average over all the atoms of a species, the alloy). */
typedef struct {
    const hop_estimate *check;
    double rest, sigma_power;
} hop_size_parts;

/* hop_verdict_size with each e[i]'s parts (parts[i]; NULL: as hop_verdict_size): the
 * suggested edge scales the box part's drift k |x_c - x| as 1/N and its noise part
 * 2 k s and the rest with sigma (verdict.c). */
int hop_verdict_size_parts(const hop_result *r, const char *const *names,
                           const hop_estimate *const *e, const hop_size_parts *parts, int n,
                           hop_verdict *v);

/* The msd estimator's verdict: hop_verdict_size on f. */
void hop_verdict_msd(const hop_result *r, hop_verdict *v);

#endif

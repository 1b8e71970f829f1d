/* gls.h: generalised-least-squares straight-line fits, used to turn mean-squared-
 * displacement curves into diffusion coefficients.
 *
 * MSD(t_k) is the mean over R replicas at K times; its K×K covariance (sample
 * covariance / R) is strongly correlated between times, so an ordinary fit would
 * misstate the error of the slope.  hop_gls_line minimises (y − Xβ)^T C^{-1} (y − Xβ)
 * with X = [1, t] (or X = [t] through the origin) and reports the slope, the intercept,
 * their covariance and the chi2 of the fit.  hop_gls_slope_weights gives the slope as
 * a linear functional of y, so callers can propagate covariances between two fitted
 * series (Cov(b1, b2) = w1^T C12 w2). */
#ifndef HOP_GLS_H
#define HOP_GLS_H

#include "hop/status.h"

typedef struct {
    double slope, slope_stderr;          /* b and sqrt(Var b) */
    double intercept, intercept_stderr;  /* a (0 and 0 when fitted through the origin) */
    double cov_slope_intercept;          /* Cov(a, b) (0 through the origin) */
    double chi2; int dof;                /* chi2 of the fit and n − (number of parameters) */
} hop_line_fit;

/* Fit y = a + b t (intercept != 0) or y = b t (intercept == 0) to the n points (t_k, y_k),
 * where cov is the n×n covariance of y, row-major, symmetric and positive definite; only
 * its lower triangle (cov[i*n + j], j <= i) is read.  Units: slope in y per t, intercept
 * in y.  The standard errors and covariance are the GLS ones, (X^T C^{-1} X)^{-1}, i.e. they
 * take C as known (not rescaled by chi2/dof).
 * Returns HOP_OK and fills *fit; on any error *fit is left untouched and returns
 *   HOP_ERR_INVAL    a NULL pointer, n < 2 + (intercept != 0) (so dof >= 1), or a
 *                    non-finite t or y;
 *   HOP_ERR_NOMEM    the n×n work matrix could not be allocated;
 *   HOP_ERR_NUMERIC  cov is not finite or not numerically positive definite, or the
 *                    times cannot determine a slope (all t equal; all t = 0 through the
 *                    origin).  "Numerically": a point whose variance given the earlier
 *                    points is below sqrt(eps) ≈ 1.5e-8 of its own variance makes cov
 *                    count as singular; this catches a sample covariance from too few
 *                    replicas (R <= n), whose rank is R − 1. */
hop_status hop_gls_line(const double *t, const double *y, const double *cov, int n,
                        int intercept, hop_line_fit *fit);

/* Weights of the GLS slope: for the given t, cov and model (same meaning and argument
 * checks as hop_gls_line, y not needed), writes w[0..n-1] such that the slope fitted by
 * hop_gls_line is b = Σ_k w_k y_k for every y.  They satisfy Σ w_k t_k = 1, Σ w_k = 0
 * with an intercept, and w^T C w = slope_stderr².  The caller owns w (n doubles).
 * Returns HOP_OK, or the errors listed for hop_gls_line (w untouched on error). */
hop_status hop_gls_slope_weights(const double *t, const double *cov, int n, int intercept,
                                 double *w);

#endif

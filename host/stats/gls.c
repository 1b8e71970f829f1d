/* gls.c: generalised-least-squares straight-line fits (see gls.h).
 *
 * Method.  With C = L L^T (Cholesky, no explicit inverse), the GLS problem becomes
 * ordinary least squares in "whitened" coordinates: minimise |L^{-1} y − L^{-1} X β|².
 * The whitened design columns are orthonormalised by modified Gram–Schmidt (with one
 * re-orthogonalisation pass), X̃ = Q R, so that
 *     β = R^{-1} Q^T ỹ,   Cov(β) = R^{-1} R^{-T},   chi2 = |ỹ − Q Q^T ỹ|².
 * This never forms the normal matrix X^T C^{-1} X, whose condition number is the square
 * of X̃'s.  The time axis is also mapped internally to s = (t − t0)/h ∈ [−1, 1]
 * (t0 = midpoint, h = half-range; t0 = 0, h = max|t| through the origin) so that the
 * two columns have comparable size and are far from parallel even when the window sits
 * at large t.  The fit is refined once on its own residual (see gls_line_solve).  Every
 * reported variance is that of a linear functional θ = e^T β' of the scaled parameters
 * β' = (α, β), so with x = R^{-T} e, Var θ = |x|² and Cov(θ1, θ2) = x1 · x2: sums of
 * squares, no cancelling differences.
 *
 * Everything is double precision; one malloc per call (n² + 4n doubles), freed on every
 * path.  Nothing is printed: callers decide what to report. */
#include "stats/gls.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Cholesky factor a = L L^T in place (row-major, lower triangle read and written, upper
 * triangle ignored).  Returns 0, or -1 when a is not numerically positive definite: a
 * diagonal entry that is not finite and positive, or a pivot p_j (the variance of y_j
 * left over once the earlier points are known) with p_j / a_jj <= sqrt(eps) ≈ 1.5e-8.
 *
 * Why that tolerance: a sample covariance from R <= K replicas has rank R − 1 < K, yet
 * rounding leaves its pivots at p/a ~ 1e-16..1e-12, often positive, and a fit with such
 * a matrix reports absurdly small errors.  Full-rank sample covariances of MSD curves give
 * p/a > 1e-5 even at R = K + 1 (measured for K = 24 and 64), so sqrt(eps) sits orders of
 * magnitude from both.  The price: a genuinely definite C in which some point is
 * predicted from the earlier ones to better than 1 part in 1e8 is refused too; such a C
 * would cost at least half of double precision in the whitened data.  NaN or Inf in the
 * lower triangle reaches a later pivot and fails the same test. */
static int gls_cholesky(double *a, int n)
{
    const double tol = sqrt(DBL_EPSILON);
    for (int j = 0; j < n; j++) {
        double *row_j = a + (size_t)j * (size_t)n;
        const double a_jj = row_j[j];
        double pivot = a_jj;
        for (int k = 0; k < j; k++)
            pivot -= row_j[k] * row_j[k];
        if (!(a_jj > 0.0) || !isfinite(a_jj) || !(pivot > tol * a_jj))
            return -1;
        const double l_jj = sqrt(pivot);
        row_j[j] = l_jj;
        for (int i = j + 1; i < n; i++) {
            double *row_i = a + (size_t)i * (size_t)n;
            double s = row_i[j];
            for (int k = 0; k < j; k++)
                s -= row_i[k] * row_j[k];
            row_i[j] = s / l_jj;
        }
    }
    return 0;
}

/* Solve L x = b in place (x holds b on entry), L lower triangular from gls_cholesky. */
static void gls_solve_lower(const double *l, int n, double *x)
{
    for (int i = 0; i < n; i++) {
        const double *row_i = l + (size_t)i * (size_t)n;
        double s = x[i];
        for (int k = 0; k < i; k++)
            s -= row_i[k] * x[k];
        x[i] = s / row_i[i];
    }
}

/* Solve L^T x = b in place; column-oriented so that L is still read along its rows. */
static void gls_solve_upper_t(const double *l, int n, double *x)
{
    for (int i = n - 1; i >= 0; i--) {
        const double *row_i = l + (size_t)i * (size_t)n;
        x[i] /= row_i[i];
        for (int k = 0; k < i; k++)
            x[k] -= row_i[k] * x[i];
    }
}

static double gls_dot(const double *a, const double *b, int n)
{
    double s = 0.0;
    for (int k = 0; k < n; k++)
        s += a[k] * b[k];
    return s;
}

/* a -= c * b */
static void gls_axpy(double *a, double c, const double *b, int n)
{
    for (int k = 0; k < n; k++)
        a[k] -= c * b[k];
}

/* The whitened design after its thin QR: Q's columns q_one (intercept only) and q_time,
 * R = [[r11, r12], [0, r22]] (intercept) or [r22] (through the origin), in the scaled
 * parameters β' = (α, β) of y = α + β s. */
typedef struct {
    const double *q_one, *q_time;
    double r11, r12, r22;
    int intercept, n;
} gls_qr;

/* Least-squares coefficients of a whitened vector v: β' = R^{-1} Q^T v, returned in
 * *alpha (0 through the origin) and *beta; v is overwritten with its residual
 * v − Q Q^T v, whose squared norm is the chi2.  Projections are peeled off one column
 * at a time (modified Gram–Schmidt order). */
static void gls_qr_fit(const gls_qr *qr, double *v, double *alpha, double *beta)
{
    const double c2 = gls_dot(qr->q_time, v, qr->n);
    gls_axpy(v, c2, qr->q_time, qr->n);
    *beta = c2 / qr->r22;
    *alpha = 0.0;
    if (qr->intercept) {
        const double c1 = gls_dot(qr->q_one, v, qr->n);
        gls_axpy(v, c1, qr->q_one, qr->n);
        *alpha = (c1 - qr->r12 * *beta) / qr->r11;
    }
}

/* Shared body of hop_gls_line (y, fit non-NULL) and hop_gls_slope_weights (y NULL, w
 * non-NULL).  Argument checks are the callers'; this checks the data and does the work. */
static hop_status gls_line_solve(const double *t, const double *y, const double *cov, int n,
                                 int intercept, hop_line_fit *fit, double *w)
{
    const size_t nn = (size_t)n;
    if (nn + 4 > SIZE_MAX / sizeof(double) / nn)
        return HOP_ERR_NOMEM;

    double t_min = t[0], t_max = t[0];
    for (int k = 0; k < n; k++) {
        if (!isfinite(t[k]) || (y && !isfinite(y[k])))
            return HOP_ERR_INVAL;
        if (t[k] < t_min) t_min = t[k];
        if (t[k] > t_max) t_max = t[k];
    }
    /* s = (t − t0)/h.  Halves are taken before subtracting so that h cannot overflow. */
    double t0, h;
    if (intercept) {
        t0 = 0.5 * t_min + 0.5 * t_max;
        h = 0.5 * t_max - 0.5 * t_min;
    } else {
        t0 = 0.0;
        h = fmax(fabs(t_min), fabs(t_max));
    }
    if (!(h > 0.0))
        return HOP_ERR_NUMERIC; /* no spread in t: the slope is undetermined */

    double *work = malloc((nn * nn + 4 * nn) * sizeof *work);
    if (!work)
        return HOP_ERR_NOMEM;
    double *chol = work;            /* n×n: L with C = L L^T */
    double *q_one = chol + nn * nn; /* L^{-1} 1 → first column of Q (intercept only) */
    double *q_time = q_one + nn;    /* L^{-1} s → last column of Q */
    double *s = q_time + nn;        /* the scaled times */
    double *v = s + nn;             /* whitened data, then whitened residuals */
    hop_status status = HOP_OK;

    memcpy(chol, cov, nn * nn * sizeof *chol);
    if (gls_cholesky(chol, n) != 0) {
        status = HOP_ERR_NUMERIC;
        goto done;
    }
    for (int k = 0; k < n; k++) {
        s[k] = (t[k] - t0) / h;
        q_one[k] = 1.0;
        q_time[k] = s[k];
    }
    if (intercept)
        gls_solve_lower(chol, n, q_one);
    gls_solve_lower(chol, n, q_time);
    const double s_norm = sqrt(gls_dot(q_time, q_time, n));

    /* Thin QR of the whitened design by modified Gram–Schmidt. */
    gls_qr qr = {NULL, NULL, 0.0, 0.0, 0.0, 0, 0};
    qr.q_one = q_one;
    qr.q_time = q_time;
    qr.intercept = intercept;
    qr.n = n;
    if (intercept) {
        qr.r11 = sqrt(gls_dot(q_one, q_one, n));
        for (int k = 0; k < n; k++)
            q_one[k] /= qr.r11;
        for (int pass = 0; pass < 2; pass++) { /* second pass restores orthogonality */
            const double c = gls_dot(q_one, q_time, n);
            gls_axpy(q_time, c, q_one, n);
            qr.r12 += c;
        }
    }
    qr.r22 = sqrt(gls_dot(q_time, q_time, n));
    /* With h > 0 and C positive definite r22 > 0 in exact arithmetic; if what is left
     * of the s column is rounding noise, the slope is not determined by these data. */
    if (!(qr.r22 > (double)n * DBL_EPSILON * s_norm)) {
        status = HOP_ERR_NUMERIC;
        goto done;
    }
    for (int k = 0; k < n; k++)
        q_time[k] /= qr.r22;

    /* Slope b = β/h = e^T β' with e = (0, 1/h): x_b = R^{-T} e = (0, 1/(h r22)), so
     * b = x_b q_time^T L^{-1} y and Var b = x_b². */
    const double x_b = 1.0 / (h * qr.r22);
    if (w) {
        for (int k = 0; k < n; k++)
            w[k] = x_b * q_time[k];
        gls_solve_upper_t(chol, n, w); /* w = x_b L^{-T} q_time */
    }
    if (fit) {
        /* First solve, then one step of iterative refinement: the residual y − α − β s
         * is formed in the original coordinates, where it is small and nearly exact, and
         * fitted again.  Whitening a vector that is mostly "large line" spreads rounding
         * error of size eps·|L^{-1}|·|y| into the small components; the correction
         * brings the error close to what rounding the data themselves implies (measured
         * on exact data on a line under a strongly correlated C: intercept error 1e-12
         * before, below 1e-15 after).  Its residual is also the final one, so chi2 is a
         * sum of small squares, not a difference of large terms. */
        double alpha, beta, d_alpha, d_beta;
        memcpy(v, y, nn * sizeof *v);
        gls_solve_lower(chol, n, v);
        gls_qr_fit(&qr, v, &alpha, &beta);
        for (int k = 0; k < n; k++)
            v[k] = y[k] - (alpha + beta * s[k]);
        gls_solve_lower(chol, n, v);
        gls_qr_fit(&qr, v, &d_alpha, &d_beta);
        alpha += d_alpha;
        beta += d_beta;

        hop_line_fit out;
        out.slope = beta / h;
        out.slope_stderr = x_b;
        if (intercept) {
            /* a = α − (t0/h) β = e^T β' with e = (1, −t0/h); x_a = R^{-T} e. */
            const double g = t0 / h;
            const double x_a1 = 1.0 / qr.r11;
            const double x_a2 = (-g - qr.r12 * x_a1) / qr.r22;
            out.intercept = alpha - g * beta;
            out.intercept_stderr = sqrt(x_a1 * x_a1 + x_a2 * x_a2);
            out.cov_slope_intercept = x_a2 * x_b;
        } else {
            out.intercept = 0.0;
            out.intercept_stderr = 0.0;
            out.cov_slope_intercept = 0.0;
        }
        out.chi2 = gls_dot(v, v, n);
        out.dof = n - (intercept ? 2 : 1);
        *fit = out;
    }

done:
    free(work);
    return status;
}

hop_status hop_gls_line(const double *t, const double *y, const double *cov, int n,
                        int intercept, hop_line_fit *fit)
{
    if (!t || !y || !cov || !fit || n < 2 + (intercept != 0))
        return HOP_ERR_INVAL;
    return gls_line_solve(t, y, cov, n, intercept != 0, fit, NULL);
}

hop_status hop_gls_slope_weights(const double *t, const double *cov, int n, int intercept,
                                 double *w)
{
    if (!t || !cov || !w || n < 2 + (intercept != 0))
        return HOP_ERR_INVAL;
    return gls_line_solve(t, NULL, cov, n, intercept != 0, NULL, w);
}

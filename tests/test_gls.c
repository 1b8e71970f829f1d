/* test_gls.c: Criterion tests for the GLS straight-line fit (host/stats/gls.c).
 *
 * Exact identities (points on a line are reproduced; with a diagonal covariance GLS is
 * weighted least squares; a dense covariance agrees with the textbook normal equations
 * built from an explicit inverse; the slope weights reproduce the slope and annihilate
 * the intercept), a Monte Carlo check of the reported errors and chi2 against 2000
 * synthetic data sets drawn from a correlated Gaussian with a fixed seed, and every
 * error path provoked on purpose. */
#include <criterion/criterion.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/gls.h"

#define MAX_N 64
#define PI_D 3.14159265358979323846

/* ---- helpers --------------------------------------------------------------------- */

/* Relative closeness, with an absolute floor `scale` for values near zero. */
static int close_rel(double got, double want, double rel, double scale)
{
    return fabs(got - want) <= rel * fmax(fabs(want), scale);
}

/* n log-spaced times from t_lo to t_hi, as for an MSD curve. */
static void log_times(double *t, int n, double t_lo, double t_hi)
{
    for (int k = 0; k < n; k++)
        t[k] = t_lo * pow(t_hi / t_lo, (double)k / (double)(n - 1));
}

/* Random-walk covariance C_ij = scale · min(t_i, t_j). */
static void walk_cov(double *c, const double *t, int n, double scale)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            c[i * n + j] = scale * fmin(t[i], t[j]);
}

/* Dense correlated covariance, not a random walk: C_ij = σ_i σ_j ρ^|i−j| with σ growing
 * like t (MSD variance grows with time), plus a common mode. */
static void ar_cov(double *c, const double *t, int n, double rho)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            c[i * n + j] = 0.04 * t[i] * t[j] * (pow(rho, abs(i - j)) + 0.3);
}

/* SplitMix64 (Steele, Lea & Flood 2014): small, deterministic, good enough to drive a
 * statistical test with a fixed seed. */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Uniform in (0, 1), never 0 or 1. */
static double uniform_open(uint64_t *state)
{
    return ((double)(splitmix64(state) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/* Standard normal by Box–Muller (one of the pair; simplicity over speed). */
static double normal(uint64_t *state)
{
    const double u1 = uniform_open(state), u2 = uniform_open(state);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * PI_D * u2);
}

/* The test's own Cholesky (C = L L^T, L lower, row-major), independent of gls.c. */
static void test_cholesky(const double *c, double *l, int n)
{
    memset(l, 0, sizeof(double) * (size_t)n * (size_t)n);
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            double s = c[i * n + j];
            for (int k = 0; k < j; k++)
                s -= l[i * n + k] * l[j * n + k];
            l[i * n + j] = (i == j) ? sqrt(s) : s / l[j * n + j];
        }
}

/* Explicit inverse by Gauss–Jordan with partial pivoting: the textbook route that gls.c
 * avoids, used here only as an independent reference on well-conditioned inputs. */
static void test_inverse(const double *c, double *inv, int n)
{
    double a[MAX_N * 2 * MAX_N];
    const int m = 2 * n;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            a[i * m + j] = (j < n) ? c[i * n + j] : (j - n == i ? 1.0 : 0.0);
    for (int col = 0; col < n; col++) {
        int piv = col;
        for (int i = col + 1; i < n; i++)
            if (fabs(a[i * m + col]) > fabs(a[piv * m + col]))
                piv = i;
        for (int j = 0; j < m; j++) {
            const double tmp = a[col * m + j];
            a[col * m + j] = a[piv * m + j];
            a[piv * m + j] = tmp;
        }
        const double d = a[col * m + col];
        for (int j = 0; j < m; j++)
            a[col * m + j] /= d;
        for (int i = 0; i < n; i++) {
            if (i == col)
                continue;
            const double f = a[i * m + col];
            for (int j = 0; j < m; j++)
                a[i * m + j] -= f * a[col * m + j];
        }
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            inv[i * n + j] = a[i * m + n + j];
}

/* ---- exact data on a line --------------------------------------------------------- */

static void check_exact_line(const double *t, const double *cov, int n, int intercept)
{
    const double a = intercept ? 0.375 : 0.0, b = 2.5;
    double y[MAX_N];
    for (int k = 0; k < n; k++)
        y[k] = a + b * t[k];
    hop_line_fit fit;
    cr_assert_eq(hop_gls_line(t, y, cov, n, intercept, &fit), HOP_OK);
    cr_expect(close_rel(fit.slope, b, 1e-12, 0.0), "slope %.17g, want %.17g", fit.slope, b);
    if (intercept)
        cr_expect(close_rel(fit.intercept, a, 1e-12, 0.0), "intercept %.17g, want %.17g",
                  fit.intercept, a);
    else
        cr_expect(fit.intercept == 0.0 && fit.intercept_stderr == 0.0
                  && fit.cov_slope_intercept == 0.0);
    cr_expect(fit.dof == n - (intercept ? 2 : 1));
    /* chi2 of exact data is rounding noise: compare with dof, its expectation for noise */
    cr_expect(fit.chi2 >= 0.0 && fit.chi2 < 1e-20, "chi2 %g", fit.chi2);
    cr_expect(fit.slope_stderr > 0.0 && isfinite(fit.slope_stderr));
}

Test(gls, exact_line_diagonal_cov)
{
    double t[MAX_N], cov[MAX_N * MAX_N];
    const int n = 24;
    log_times(t, n, 1.0, 1e4);
    memset(cov, 0, sizeof cov);
    for (int k = 0; k < n; k++)
        cov[k * n + k] = 0.01 * t[k] * t[k]; /* σ ∝ t, as for an MSD */
    check_exact_line(t, cov, n, 1);
    check_exact_line(t, cov, n, 0);
}

Test(gls, exact_line_dense_correlated_cov)
{
    double t[MAX_N], cov[MAX_N * MAX_N];
    const int n = 32;
    log_times(t, n, 0.5, 2e3);
    walk_cov(cov, t, n, 3.0);
    check_exact_line(t, cov, n, 1);
    check_exact_line(t, cov, n, 0);
    ar_cov(cov, t, n, 0.95);
    check_exact_line(t, cov, n, 1);
    check_exact_line(t, cov, n, 0);
}

/* A window far from t = 0 (t in [1e6, 1e6 + 47.5]), where the normal matrix of the
 * unscaled design has a condition number near 1e15.  What no method can beat is the
 * rounding of y ≈ 1.25e5 itself, eps·|y| per point, which moves the slope by up to
 * ~eps·max|y| / (|b|·(t_max − t_min)) relative; allow n of those. */
Test(gls, exact_line_window_at_large_t)
{
    double t[MAX_N], y[MAX_N], cov[MAX_N * MAX_N];
    const int n = 20;
    for (int k = 0; k < n; k++)
        t[k] = 1e6 + 2.5 * k;
    ar_cov(cov, t, n, 0.9);
    for (int k = 0; k < n; k++)
        y[k] = -7.0 + 0.125 * t[k];
    hop_line_fit fit;
    cr_assert_eq(hop_gls_line(t, y, cov, n, 1, &fit), HOP_OK);
    const double tol = n * DBL_EPSILON * fabs(y[n - 1]) / (0.125 * (t[n - 1] - t[0]));
    cr_expect(tol < 1e-10, "tolerance %g is too loose to test anything", tol);
    cr_expect(close_rel(fit.slope, 0.125, tol, 0.0), "slope %.17g (tol %g)", fit.slope, tol);
    /* the intercept is extrapolated over 1e6 in t: relative error ~ eps · b t / a */
    cr_expect(close_rel(fit.intercept, -7.0, 1e-7, 0.0), "intercept %.17g", fit.intercept);
}

/* ---- agreement with hand-computed and textbook formulas -------------------------- */

/* Fixed, visibly non-linear data so that the fit has residuals. */
static void noisy_data(const double *t, double *y, int n)
{
    for (int k = 0; k < n; k++)
        y[k] = 1.5 + 0.8 * t[k] + 0.3 * sqrt(t[k]) * sin(1.7 * k + 0.2);
}

Test(gls, diagonal_cov_equals_weighted_least_squares)
{
    double t[MAX_N], y[MAX_N], cov[MAX_N * MAX_N];
    const int n = 17;
    log_times(t, n, 1.0, 300.0);
    noisy_data(t, y, n);
    memset(cov, 0, sizeof cov);
    for (int k = 0; k < n; k++)
        cov[k * n + k] = 0.05 * t[k] * (1.0 + 0.1 * (k % 3));

    /* Weighted least squares by hand (e.g. Bevington & Robinson, ch. 6), weights 1/σ². */
    double s = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int k = 0; k < n; k++) {
        const double wk = 1.0 / cov[k * n + k];
        s += wk; sx += wk * t[k]; sy += wk * y[k];
        sxx += wk * t[k] * t[k]; sxy += wk * t[k] * y[k];
    }
    const double delta = s * sxx - sx * sx;
    const double b = (s * sxy - sx * sy) / delta;
    const double a = (sxx * sy - sx * sxy) / delta;
    double chi2 = 0;
    for (int k = 0; k < n; k++) {
        const double r = y[k] - a - b * t[k];
        chi2 += r * r / cov[k * n + k];
    }

    hop_line_fit fit;
    cr_assert_eq(hop_gls_line(t, y, cov, n, 1, &fit), HOP_OK);
    cr_expect(close_rel(fit.slope, b, 1e-11, 0.0), "slope %.17g vs %.17g", fit.slope, b);
    cr_expect(close_rel(fit.intercept, a, 1e-11, 0.0), "a %.17g vs %.17g", fit.intercept, a);
    cr_expect(close_rel(fit.slope_stderr, sqrt(s / delta), 1e-11, 0.0));
    cr_expect(close_rel(fit.intercept_stderr, sqrt(sxx / delta), 1e-11, 0.0));
    cr_expect(close_rel(fit.cov_slope_intercept, -sx / delta, 1e-11, 0.0));
    cr_expect(close_rel(fit.chi2, chi2, 1e-10, 0.0), "chi2 %.17g vs %.17g", fit.chi2, chi2);
    cr_expect_eq(fit.dof, n - 2);

    /* through the origin: b = Σ w t y / Σ w t², Var b = 1 / Σ w t² */
    double b0 = sxy / sxx, chi2_0 = 0;
    for (int k = 0; k < n; k++) {
        const double r = y[k] - b0 * t[k];
        chi2_0 += r * r / cov[k * n + k];
    }
    cr_assert_eq(hop_gls_line(t, y, cov, n, 0, &fit), HOP_OK);
    cr_expect(close_rel(fit.slope, b0, 1e-11, 0.0));
    cr_expect(close_rel(fit.slope_stderr, 1.0 / sqrt(sxx), 1e-11, 0.0));
    cr_expect(close_rel(fit.chi2, chi2_0, 1e-10, 0.0));
    cr_expect_eq(fit.dof, n - 1);
}

/* Dense covariance: compare with β = (X^T C^{-1} X)^{-1} X^T C^{-1} y from an explicit
 * inverse, on a small well-conditioned case where that route is accurate. */
Test(gls, dense_cov_equals_normal_equations)
{
    double t[MAX_N], y[MAX_N], cov[MAX_N * MAX_N], inv[MAX_N * MAX_N];
    const int n = 12;
    log_times(t, n, 1.0, 50.0);
    noisy_data(t, y, n);
    ar_cov(cov, t, n, 0.7);
    test_inverse(cov, inv, n);

    for (int intercept = 0; intercept <= 1; intercept++) {
        /* A = X^T C^{-1} X, v = X^T C^{-1} y with X = [1, t] or [t] */
        double a11 = 0, a12 = 0, a22 = 0, v1 = 0, v2 = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                const double ci = inv[i * n + j];
                a11 += ci; a12 += ci * t[j]; a22 += t[i] * ci * t[j];
                v1 += ci * y[j]; v2 += t[i] * ci * y[j];
            }
        double a = 0, b, var_a = 0, var_b, cov_ab = 0;
        if (intercept) {
            const double det = a11 * a22 - a12 * a12;
            a = (a22 * v1 - a12 * v2) / det;
            b = (a11 * v2 - a12 * v1) / det;
            var_a = a22 / det; var_b = a11 / det; cov_ab = -a12 / det;
        } else {
            b = v2 / a22;
            var_b = 1.0 / a22;
        }
        double chi2 = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                chi2 += (y[i] - a - b * t[i]) * inv[i * n + j] * (y[j] - a - b * t[j]);

        hop_line_fit fit;
        cr_assert_eq(hop_gls_line(t, y, cov, n, intercept, &fit), HOP_OK);
        cr_expect(close_rel(fit.slope, b, 1e-9, 0.0), "slope %.17g vs %.17g", fit.slope, b);
        cr_expect(close_rel(fit.intercept, a, 1e-9, 1e-9), "a %.17g vs %.17g",
                  fit.intercept, a);
        cr_expect(close_rel(fit.slope_stderr, sqrt(var_b), 1e-9, 0.0));
        cr_expect(close_rel(fit.intercept_stderr, sqrt(var_a), 1e-9, 1e-9));
        cr_expect(close_rel(fit.cov_slope_intercept, cov_ab, 1e-9, 1e-9));
        cr_expect(close_rel(fit.chi2, chi2, 1e-8, 0.0), "chi2 %.17g vs %.17g", fit.chi2, chi2);
    }
}

/* ---- slope weights ------------------------------------------------------------------ */

static void check_weights(const double *t, const double *y, const double *cov, int n,
                          int intercept)
{
    double w[MAX_N];
    hop_line_fit fit;
    cr_assert_eq(hop_gls_slope_weights(t, cov, n, intercept, w), HOP_OK);
    cr_assert_eq(hop_gls_line(t, y, cov, n, intercept, &fit), HOP_OK);
    double wy = 0, w_sum = 0, w_abs = 0, wt = 0, wt_abs = 0, wy_abs = 0, wcw = 0;
    for (int i = 0; i < n; i++) {
        wy += w[i] * y[i]; wy_abs += fabs(w[i] * y[i]);
        w_sum += w[i]; w_abs += fabs(w[i]);
        wt += w[i] * t[i]; wt_abs += fabs(w[i] * t[i]);
        for (int j = 0; j < n; j++)
            wcw += w[i] * cov[i * n + j] * w[j];
    }
    /* tolerances scale with the sum of absolute terms: the size of the rounding error */
    cr_expect(fabs(wy - fit.slope) <= 1e-12 * wy_abs, "Σwy %.17g vs b %.17g", wy, fit.slope);
    cr_expect(fabs(wt - 1.0) <= 1e-12 * wt_abs, "Σwt - 1 = %g", wt - 1.0);
    if (intercept)
        cr_expect(fabs(w_sum) <= 1e-12 * w_abs, "Σw = %g (Σ|w| = %g)", w_sum, w_abs);
    cr_expect(close_rel(sqrt(wcw), fit.slope_stderr, 1e-10, 0.0),
              "sqrt(w^T C w) %.17g vs stderr %.17g", sqrt(wcw), fit.slope_stderr);
}

Test(gls, slope_weights_reproduce_slope)
{
    double t[MAX_N], y[MAX_N], cov[MAX_N * MAX_N];
    const int n = 40;
    log_times(t, n, 1.0, 1e3);
    noisy_data(t, y, n);
    walk_cov(cov, t, n, 0.7);
    check_weights(t, y, cov, n, 1);
    check_weights(t, y, cov, n, 0);
    ar_cov(cov, t, n, 0.98);
    check_weights(t, y, cov, n, 1);
    check_weights(t, y, cov, n, 0);
}

/* ---- Monte Carlo: reported errors and chi2 match the sampling distribution --------- */

/* Draw n_sets data sets y = a + b t + L ξ with C = L L^T, C_ij = min(t_i, t_j), fit each,
 * and compare the empirical mean and spread of the estimates with the reported errors.
 * Every tolerance is 4 standard errors of the statistic being compared. */
static void monte_carlo(int intercept, uint64_t seed)
{
    enum { N_POINTS = 16, N_SETS = 2000 };
    const int n = N_POINTS;
    const double a_true = intercept ? 0.75 : 0.0, b_true = 2.0;
    double t[N_POINTS], y[N_POINTS], cov[N_POINTS * N_POINTS], l[N_POINTS * N_POINTS];
    log_times(t, n, 1.0, 100.0);
    walk_cov(cov, t, n, 1.0);
    test_cholesky(cov, l, n);

    uint64_t state = seed;
    double sum_b = 0, sum_bb = 0, sum_a = 0, sum_aa = 0, sum_ab = 0, sum_chi2 = 0;
    hop_line_fit fit = {0}, first = {0};
    for (int set = 0; set < N_SETS; set++) {
        double xi[N_POINTS];
        for (int k = 0; k < n; k++)
            xi[k] = normal(&state);
        for (int i = 0; i < n; i++) {
            double noise = 0;
            for (int k = 0; k <= i; k++)
                noise += l[i * n + k] * xi[k];
            y[i] = a_true + b_true * t[i] + noise;
        }
        cr_assert_eq(hop_gls_line(t, y, cov, n, intercept, &fit), HOP_OK);
        if (set == 0)
            first = fit;
        /* the reported errors depend only on t and C, never on y */
        cr_assert_eq(fit.slope_stderr, first.slope_stderr);
        sum_b += fit.slope - b_true; sum_bb += (fit.slope - b_true) * (fit.slope - b_true);
        sum_a += fit.intercept - a_true;
        sum_aa += (fit.intercept - a_true) * (fit.intercept - a_true);
        sum_ab += (fit.intercept - a_true) * (fit.slope - b_true);
        sum_chi2 += fit.chi2;
    }
    const double big_n = N_SETS;
    const double sigma_b = first.slope_stderr, sigma_a = first.intercept_stderr;

    /* mean slope: unbiased, standard error σ_b / sqrt(N) */
    const double mean_b = sum_b / big_n;
    cr_expect(fabs(mean_b) < 4.0 * sigma_b / sqrt(big_n),
              "mean slope - truth = %g, 4 SE = %g", mean_b, 4.0 * sigma_b / sqrt(big_n));
    /* spread: the sample SD of N Gaussian values has standard error ≈ σ / sqrt(2N) */
    const double sd_b = sqrt((sum_bb - big_n * mean_b * mean_b) / (big_n - 1.0));
    cr_expect(fabs(sd_b - sigma_b) < 4.0 * sigma_b / sqrt(2.0 * big_n),
              "empirical sd %g vs reported %g (4 SE = %g)", sd_b, sigma_b,
              4.0 * sigma_b / sqrt(2.0 * big_n));
    /* chi2 ~ χ²(dof): mean dof, variance 2 dof */
    const double dof = first.dof;
    const double mean_chi2 = sum_chi2 / big_n;
    cr_expect(fabs(mean_chi2 - dof) < 4.0 * sqrt(2.0 * dof / big_n),
              "mean chi2 %g vs dof %g (4 SE = %g)", mean_chi2, dof,
              4.0 * sqrt(2.0 * dof / big_n));

    if (intercept) {
        const double mean_a = sum_a / big_n;
        cr_expect(fabs(mean_a) < 4.0 * sigma_a / sqrt(big_n),
                  "mean intercept - truth = %g, 4 SE = %g", mean_a, 4.0 * sigma_a / sqrt(big_n));
        const double sd_a = sqrt((sum_aa - big_n * mean_a * mean_a) / (big_n - 1.0));
        cr_expect(fabs(sd_a - sigma_a) < 4.0 * sigma_a / sqrt(2.0 * big_n),
                  "intercept sd %g vs reported %g", sd_a, sigma_a);
        /* sample covariance of a bivariate Gaussian: Var = (σ_a² σ_b² + c²) / N */
        const double c_ab = first.cov_slope_intercept;
        const double emp_c = (sum_ab - big_n * mean_a * mean_b) / (big_n - 1.0);
        const double se_c = sqrt((sigma_a * sigma_a * sigma_b * sigma_b + c_ab * c_ab) / big_n);
        cr_expect(fabs(emp_c - c_ab) < 4.0 * se_c, "Cov(a,b) empirical %g vs reported %g",
                  emp_c, c_ab);
    } else {
        cr_expect(sum_a == 0.0 && sum_aa == 0.0);
    }
}

Test(gls, monte_carlo_with_intercept) { monte_carlo(1, UINT64_C(20240611)); }
Test(gls, monte_carlo_through_origin) { monte_carlo(0, UINT64_C(7777)); }

/* ---- error paths ------------------------------------------------------------------- */

Test(gls, rejects_invalid_arguments)
{
    double t[4] = {1, 2, 3, 4}, y[4] = {1, 2, 3, 4}, w[4];
    const double cov2[4] = {1, 0, 0, 1}, cov3[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    const double cov[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    hop_line_fit fit, sentinel;
    memset(&sentinel, 0x5a, sizeof sentinel);

    /* too few points for one degree of freedom */
    fit = sentinel;
    cr_expect_eq(hop_gls_line(t, y, cov2, 2, 1, &fit), HOP_ERR_INVAL);
    cr_expect_eq(hop_gls_line(t, y, cov2, 1, 0, &fit), HOP_ERR_INVAL);
    cr_expect_eq(hop_gls_line(t, y, cov, 0, 0, &fit), HOP_ERR_INVAL);
    cr_expect_eq(hop_gls_line(t, y, cov, -3, 1, &fit), HOP_ERR_INVAL);
    cr_expect_eq(hop_gls_slope_weights(t, cov2, 2, 1, w), HOP_ERR_INVAL);
    cr_expect_eq(hop_gls_slope_weights(t, cov2, 1, 0, w), HOP_ERR_INVAL);
    cr_expect(memcmp(&fit, &sentinel, sizeof fit) == 0, "fit written on error");
    /* ...and the smallest valid sizes work */
    cr_expect_eq(hop_gls_line(t, y, cov2, 2, 0, &fit), HOP_OK);
    cr_expect_eq(hop_gls_line(t, y, cov3, 3, 1, &fit), HOP_OK);
    cr_expect_eq(hop_gls_slope_weights(t, cov3, 3, 1, w), HOP_OK);
    cr_expect_eq(hop_gls_slope_weights(t, cov2, 2, 0, w), HOP_OK);

    /* NULL pointers */
    cr_expect_eq(hop_gls_line(NULL, y, cov, 4, 1, &fit), HOP_ERR_INVAL);
    cr_expect_eq(hop_gls_line(t, NULL, cov, 4, 1, &fit), HOP_ERR_INVAL);
    cr_expect_eq(hop_gls_line(t, y, NULL, 4, 1, &fit), HOP_ERR_INVAL);
    cr_expect_eq(hop_gls_line(t, y, cov, 4, 1, NULL), HOP_ERR_INVAL);
    cr_expect_eq(hop_gls_slope_weights(NULL, cov, 4, 1, w), HOP_ERR_INVAL);
    cr_expect_eq(hop_gls_slope_weights(t, NULL, 4, 1, w), HOP_ERR_INVAL);
    cr_expect_eq(hop_gls_slope_weights(t, cov, 4, 1, NULL), HOP_ERR_INVAL);

    /* non-finite data */
    y[2] = NAN;
    cr_expect_eq(hop_gls_line(t, y, cov, 4, 1, &fit), HOP_ERR_INVAL);
    y[2] = 3;
    t[1] = INFINITY;
    cr_expect_eq(hop_gls_line(t, y, cov, 4, 1, &fit), HOP_ERR_INVAL);
    cr_expect_eq(hop_gls_slope_weights(t, cov, 4, 0, w), HOP_ERR_INVAL);
}

Test(gls, rejects_covariance_not_positive_definite)
{
    const double t[4] = {1, 2, 3, 4}, y[4] = {1.1, 2.0, 2.9, 4.2};
    hop_line_fit fit, sentinel;
    double w[4], w_sentinel[4];
    memset(&sentinel, 0x5a, sizeof sentinel);
    memset(w_sentinel, 0x5a, sizeof w_sentinel);

    /* indefinite: positive diagonal, but a 2x2 block with correlation 2 */
    const double indefinite[16] = {1, 2, 0, 0, 2, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    /* negative and zero variances */
    const double negative[16] = {1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    const double zero_var[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    /* singular: two perfectly correlated points (positive semi-definite, rank 3) */
    const double singular[16] = {1, 0, 0, 0, 0, 4, 2, 0, 0, 2, 1, 0, 0, 0, 0, 1};
    /* NaN off the diagonal (lower triangle) */
    const double with_nan[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, NAN, 1, 0, 0, 0, 0, 1};
    const double *bad[] = {indefinite, negative, zero_var, singular, with_nan};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        for (int intercept = 0; intercept <= 1; intercept++) {
            fit = sentinel;
            memcpy(w, w_sentinel, sizeof w);
            cr_expect_eq(hop_gls_line(t, y, bad[i], 4, intercept, &fit), HOP_ERR_NUMERIC,
                         "matrix %zu, intercept %d", i, intercept);
            cr_expect_eq(hop_gls_slope_weights(t, bad[i], 4, intercept, w), HOP_ERR_NUMERIC,
                         "matrix %zu, intercept %d", i, intercept);
            cr_expect(memcmp(&fit, &sentinel, sizeof fit) == 0, "fit written on error");
            cr_expect(memcmp(w, w_sentinel, sizeof w) == 0, "w written on error");
        }
}

/* The case that matters in practice: MSD means over R replicas of a 1D random walk and
 * their sample covariance / R.  With R <= K replicas that matrix has rank R − 1 < K;
 * rounding leaves its Cholesky pivots tiny and often positive (about half the time at
 * R = K), and it must be refused rather than fitted with noise as weights.  One replica
 * more, R = K + 1, gives a full-rank matrix that must be accepted. */
enum { SAMPLE_K = 24, SAMPLE_MAX_R = SAMPLE_K + 1 };

static hop_status fit_sample_msd(int n_rep, uint64_t seed, int intercept)
{
    double t[SAMPLE_K], y[SAMPLE_K], cov[SAMPLE_K * SAMPLE_K], msd[SAMPLE_MAX_R][SAMPLE_K];
    const int n = SAMPLE_K;
    log_times(t, n, 1.0, 1e3);
    uint64_t state = seed;
    for (int r = 0; r < n_rep; r++) {
        double walk = 0, prev_t = 0;
        for (int k = 0; k < n; k++) {
            walk += sqrt(t[k] - prev_t) * normal(&state);
            prev_t = t[k];
            msd[r][k] = walk * walk;
        }
    }
    for (int k = 0; k < n; k++) {
        y[k] = 0;
        for (int r = 0; r < n_rep; r++)
            y[k] += msd[r][k] / n_rep;
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int r = 0; r < n_rep; r++)
                s += (msd[r][i] - y[i]) * (msd[r][j] - y[j]);
            cov[i * n + j] = s / (n_rep - 1) / n_rep;
        }
    hop_line_fit fit;
    return hop_gls_line(t, y, cov, n, intercept, &fit);
}

Test(gls, rejects_rank_deficient_sample_covariance)
{
    const int n_reps[] = {2, SAMPLE_K / 2, SAMPLE_K - 1, SAMPLE_K};
    for (size_t i = 0; i < sizeof n_reps / sizeof n_reps[0]; i++)
        for (uint64_t seed = 1; seed <= 20; seed++)
            for (int intercept = 0; intercept <= 1; intercept++)
                cr_expect_eq(fit_sample_msd(n_reps[i], seed, intercept), HOP_ERR_NUMERIC,
                             "R = %d, K = %d, seed %d, intercept %d accepted", n_reps[i],
                             SAMPLE_K, (int)seed, intercept);
    for (uint64_t seed = 1; seed <= 20; seed++)
        cr_expect_eq(fit_sample_msd(SAMPLE_K + 1, seed, 1), HOP_OK,
                     "full-rank R = K + 1, seed %d refused", (int)seed);
}

Test(gls, rejects_times_without_spread)
{
    const double same_t[4] = {3, 3, 3, 3}, zero_t[4] = {0, 0, 0, 0};
    const double y[4] = {1, 2, 3, 4};
    double cov[16] = {0}, w[4];
    for (int k = 0; k < 4; k++)
        cov[k * 4 + k] = 1.0;
    hop_line_fit fit;
    cr_expect_eq(hop_gls_line(same_t, y, cov, 4, 1, &fit), HOP_ERR_NUMERIC);
    cr_expect_eq(hop_gls_slope_weights(same_t, cov, 4, 1, w), HOP_ERR_NUMERIC);
    cr_expect_eq(hop_gls_line(zero_t, y, cov, 4, 0, &fit), HOP_ERR_NUMERIC);
    /* equal non-zero times still fix the slope through the origin */
    cr_expect_eq(hop_gls_line(same_t, y, cov, 4, 0, &fit), HOP_OK);
    cr_expect(close_rel(fit.slope, 2.5 / 3.0, 1e-14, 0.0), "slope %.17g", fit.slope);
}

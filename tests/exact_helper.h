/* exact_helper.h: the exact solver (host/stats/exact.c) as the oracle of the Monte Carlo
 * tests.  hop_test_exact solves the chain of a lattice (and, for the solute model, its
 * rate classes) at a modest radius, eight cells in 3D (about a second; bound ~1e-7,
 * three orders below the Monte Carlo's sigma), and asserts the bound is that small;
 * hop_test_expect_exact checks an estimate against it within the estimate's own
 * tolerance, 4 sigma + bias bound, widened by the oracle's bound. */
#ifndef HOP_TEST_EXACT_HELPER_H
#define HOP_TEST_EXACT_HELPER_H

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "hop/hop.h"
#include "stats/exact.h"

static inline hop_exact_result hop_test_exact(const hop_lattice *L, const hop_rates *R)
{
    hop_exact_problem pb;
    hop_exact_result r;
    const int cells = L->dim == 3 ? 8 : L->dim == 2 ? 32 : 64;
    hop_status s;
    memset(&pb, 0, sizeof pb);
    pb.lattice = L;
    pb.rates = R;
    pb.max_bytes = 1073741824.0;
    s = hop_exact_solve(&pb, cells * hop_exact_cell_edge(L), 5, &r);
    cr_assert_eq(s, HOP_OK, "exact solver on %s: status %d", L->name, (int)s);
    cr_assert_lt(r.f.error_bound, 1e-5, "exact solver on %s: bound %g", L->name,
                 r.f.error_bound);
    return r;
}

static inline void hop_test_expect_exact(const char *what, const hop_estimate *e,
                                         const hop_exact_estimate *x)
{
    const double tol = 4.0 * e->sigma + e->bias + x->error_bound;
    cr_expect_leq(fabs(e->value - x->value), tol,
                  "%s: %.8f +- %.2e (bias %.2e) against the exact %.8f: off by %.2e > %.2e",
                  what, e->value, e->sigma, e->bias, x->value, fabs(e->value - x->value), tol);
}

#endif

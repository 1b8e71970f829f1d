/* test_moment.c: the jump network's second moment (host/lattice/moment.c).
 *
 * Exact identities on every built-in lattice: with one jump length the exact moment is
 * n_basis z alpha^2 (times metric_den); the weighted sum with the sites of each
 * sublattice as weights and unit 1 is the exact one, as a double; the principal
 * components' moments add up to the whole one; unit metric_den divides each term (a
 * power of two scales exactly).  And the value the msd estimator's reference rests on:
 * weighted by the shares of tracer jumps, <|e|^2> on hcp-mg (basal a, c-class sqrt(a^2/3
 * + c^2/4) at c/a = 1.624) is the mean of the two squared lengths. */
#include <criterion/criterion.h>

#include <math.h>

#include "hop/hop.h"
#include "lattice/file.h"
#include "lattice/moment.h"

static void sites_per_sublattice(const hop_lattice *L, double w[][HOP_MAX_Z])
{
    for (int s = 0; s < HOP_MAX_SUB; ++s)
        for (int k = 0; k < HOP_MAX_Z; ++k)
            w[s][k] = 0;
    for (int b = 0; b < L->n_basis; ++b)
        for (int k = 0; k < HOP_MAX_Z; ++k)
            w[L->basis_sub[b]][k] += 1;
}

Test(moment, exact_and_weighted_agree_on_every_builtin)
{
    static double w[HOP_MAX_SUB][HOP_MAX_Z];
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const hop_lattice *L = hop_lattice_get(i);
        const int64_t total = hop_lattice_moment_exact(L, -1);
        int64_t parts = 0;
        double parts_w = 0;
        sites_per_sublattice(L, w);
        if (hop_lattice_one_length(L))
            cr_expect_eq(total, (int64_t)L->n_basis * L->z * L->jump_len2, "%s", L->name);
        cr_expect(hop_lattice_moment(L, -1, w, 1) == (double)total, "%s", L->name);
        for (int g = 0; g < L->n_groups; ++g) {
            parts += hop_lattice_moment_exact(L, g);
            parts_w += hop_lattice_moment(L, g, w, 1);
        }
        cr_expect_eq(parts, total, "%s: components add up", L->name);
        cr_expect(parts_w == (double)total, "%s", L->name);
        cr_expect(hop_lattice_moment(L, -1, w, 2) == (double)total / 2, "%s: unit 2", L->name);
    }
}

Test(moment, shares_on_two_lengths)
{
    const hop_lattice *L = NULL;
    static double share[HOP_MAX_SUB][HOP_MAX_Z];
    char msg[300] = "";
    double want = 0;
    cr_assert_eq(hop_lattice_load(HOP_SOURCE_DIR "/tests/lattices/hcp-mg.lat", &L, msg,
                                  sizeof msg), HOP_OK, "%s", msg);
    for (int i = 0; i < L->n_sub * L->z; ++i) {
        share[i / L->z][i % L->z] = hop_lattice_type_weight(L, i);
        want += share[i / L->z][i % L->z] * (double)L->jump_norm2[i / L->z][i % L->z];
    }
    /* equal rates: 6 basal jumps of a^2 and 6 of a^2/3 + (c/2)^2 = 1/3 + 0.659344 */
    cr_expect_leq(fabs(hop_lattice_moment(L, -1, share, L->metric_den)
                       - (1 + (1.0 / 3 + 0.659344)) / 2), 1e-12);
    cr_expect_leq(fabs(hop_lattice_moment(L, -1, share, 1) - want), 1e-9 * want);
}

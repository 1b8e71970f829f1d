/* moment.c: the jump network's second moment (lattice/moment.h), in one place for the
 * gas (models/gas.c), the alloy (models/alloy.c), physical units (models/physics.c)
 * and the msd estimator (stats/msd.c).  The order of the weighted sum (sublattice by
 * sublattice, jump by jump, weight times the integer) is the one their results were
 * recorded with (scripts/regress). */
#include "lattice/moment.h"

int64_t hop_lattice_moment_exact(const hop_lattice *L, int g)
{
    int64_t sum = 0;
    for (int b = 0; b < L->n_basis; ++b) {
        const int s = L->basis_sub[b];
        for (int k = 0; k < L->z_sub[s]; ++k)
            sum += hop_lattice_dot(L, L->jump[s][k], L->jump[s][k], g);
    }
    return sum;
}

double hop_lattice_moment(const hop_lattice *L, int g, double weight[][HOP_MAX_Z], double unit)
{
    double sum = 0;
    for (int s = 0; s < L->n_sub; ++s)
        for (int k = 0; k < L->z_sub[s]; ++k)
            sum += weight[s][k]
                   * ((double)hop_lattice_dot(L, L->jump[s][k], L->jump[s][k], g) / unit);
    return sum;
}

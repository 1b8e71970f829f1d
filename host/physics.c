/* physics.c: physical units, thermodynamics and transport (see physics.h). */
#include <math.h>
#include <stdio.h>
#include "physics.h"

int hop_bond_window(const hop_lattice *L)
{
    int window = -1;
    for (int s = 0; s < L->n_sub; ++s)
        for (int k = 0; k < L->z; ++k) {
            /* Distances from the saddle point e/2 in doubled coordinates: |2 e' - e|^2. */
            int64_t best = INT64_MAX;
            int count = 0;
            for (int j = 0; j < L->z; ++j) {
                int32_t v[HOP_MAX_DIM];
                int64_t d2;
                if (j == k)
                    continue;
                for (int a = 0; a < HOP_MAX_DIM; ++a)
                    v[a] = 2 * L->jump[s][j][a] - L->jump[s][k][a];
                d2 = hop_lattice_norm2(L, v);
                if (d2 < best)
                    best = d2, count = 0;
                count += d2 == best;
            }
            if (window >= 0 && count != window)
                return -1;
            window = count;
        }
    return window;
}

#define BAD(...) do { snprintf(msg, msg_len, __VA_ARGS__); return HOP_ERR_INVAL; } while (0)

/* Largest exponent x for which exp(-x) is still a useful double. */
#define MAX_EXPONENT 700.0

hop_status hop_physics_resolve(hop_params *p, char *msg, size_t msg_len)
{
    const hop_lattice *L = p->lattice;
    p->physical = p->T > 0 || p->Qf > 0 || p->Qm > 0 || p->bond_energy > 0 || p->nu > 0
                  || p->a > 0 || p->carrier_density > 0 || p->charge != 0;
    if (!p->physical)
        return HOP_OK;
    if (p->carrier_density > 0 && p->charge == 0)
        BAD("--carrier-density needs --charge (the carriers' charge in units of e)");
    if (p->charge != 0 && !(p->carrier_density > 0))
        BAD("--charge needs --carrier-density (mobile ions per m^3)");
    if (!(p->T > 0))
        BAD("--T (temperature in K) is required with physical units");
    if (!(p->nu > 0))
        BAD("--nu (attempt frequency in Hz) is required with physical units");
    if (!(p->a > 0))
        BAD("--a (lattice constant in Angstrom) is required with physical units");
    if (p->bond_energy > 0) {
        const int window = hop_bond_window(L);
        const double qf = 0.5 * L->z * p->bond_energy, qm = window * p->bond_energy;
        /* Resolving twice finds the energies it set itself: that is not "both". */
        if ((p->Qf > 0 || p->Qm > 0) && !(p->Qf == qf && p->Qm == qm))
            BAD("give either --bond-energy or --Qf and --Qm, not both");
        if (window < 0)
            BAD("--bond-energy: the jumps of %s have different saddle-point windows, so the "
                "bond-breaking model gives unequal rates; give --Qf and --Qm", L->name);
        p->Qf = qf;
        p->Qm = qm;
    } else if (!(p->Qf > 0) || !(p->Qm > 0)) {
        BAD("%s is required with physical units (or --bond-energy)",
            p->Qf > 0 ? "--Qm" : "--Qf");
    }
    if ((p->Qf + p->Qm) / (HOP_K_B_EV * p->T) > MAX_EXPONENT)
        BAD("--T: (Q_f + Q_m)/kT = %g at %g K: the rates underflow (at most %g)",
            (p->Qf + p->Qm) / (HOP_K_B_EV * p->T), p->T, MAX_EXPONENT);
    return HOP_OK;
}

static hop_estimate scaled(const hop_estimate *e, double by)
{
    hop_estimate x;
    x.value = e->value * by;
    x.sigma = e->sigma * by;
    x.bias = e->bias * by;
    return x;
}

void hop_physics_apply(hop_result *r)
{
    const hop_params *p = &r->params;
    const hop_lattice *L = p->lattice;
    hop_physical *x = &r->phys;
    double half_d;
    if (!p->physical)
        return;
    half_d = 1.0 / (2.0 * L->dim);
    x->kT = HOP_K_B_EV * p->T;
    x->X_v = exp(-p->Qf / x->kT);
    x->omega = p->nu * exp(-p->Qm / x->kT);
    x->Gamma = L->z * x->omega * x->X_v;
    x->alpha = hop_lattice_jump_length(L) * p->a * HOP_ANGSTROM;
    x->D_uncorrelated = half_d * x->Gamma * x->alpha * x->alpha;
    x->D_star = scaled(&r->f, x->D_uncorrelated);
    x->D0 = r->f.value * half_d * L->z * x->alpha * x->alpha * p->nu;
    x->Q_D = p->Qf + p->Qm;
    if (p->estimator == HOP_EST_MSD) {
        /* Same scale as D*: reduced D_uncorrelated -> physical D_uncorrelated. */
        x->D_sigma = scaled(&r->D_sigma, x->D_uncorrelated / r->D_uncorrelated);
        x->D_sigma_exact = 0;
    } else {
        x->D_sigma.value = x->D_uncorrelated;
        x->D_sigma.sigma = x->D_sigma.bias = 0;
        x->D_sigma_exact = 1;
        /* H = D* / D_sigma = f for one vacancy; the corr estimator reports it here. */
        r->haven = r->f;
        r->haven_inverse.value = 1.0 / r->f.value;
        r->haven_inverse.sigma = r->f.sigma / (r->f.value * r->f.value);
        r->haven_inverse.bias = r->f.bias / (r->f.value * r->f.value);
    }
    if (p->carrier_density > 0) {
        const double q = p->charge * HOP_E_CHARGE;
        x->conductivity = scaled(&x->D_sigma, p->carrier_density * q * q / (HOP_K_B_J * p->T));
    } else {
        x->conductivity.value = x->conductivity.sigma = x->conductivity.bias = NAN;
    }
}

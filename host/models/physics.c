/* physics.c: physical units, thermodynamics and transport (see physics.h). */
#include <math.h>
#include <stdio.h>
#include "lattice/rates.h"
#include "models/physics.h"

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

/* Largest |S|/k_B taken: measured vacancy entropies are a few k_B. */
#define MAX_ENTROPY 20.0

/* The three parameters every physical run needs. */
static hop_status require_T_nu_a(const hop_params *p, char *msg, size_t msg_len)
{
    if (!(p->T > 0))
        BAD("--T (temperature in K) is required with physical units");
    if (!(p->nu > 0))
        BAD("--nu (attempt frequency in Hz) is required with physical units");
    if (!(p->a > 0))
        BAD("--a (lattice constant in Angstrom) is required with physical units");
    return HOP_OK;
}

hop_status hop_physics_resolve(hop_params *p, char *msg, size_t msg_len)
{
    const hop_lattice *L = p->lattice;
    if (p->pair_energy_given)
        BAD("--pair-energy applies to --model gas only");
    if (!isfinite(p->Sf) || !isfinite(p->Sm) || fabs(p->Sf) > MAX_ENTROPY
        || fabs(p->Sm) > MAX_ENTROPY)
        BAD("--Sf/--Sm: entropies in k_B within +-%g", MAX_ENTROPY);
    /* --T with a lattice's energies in eV alone only converts them (lattice/rates.h). */
    p->physical = (p->T > 0 && !hop_lattice_has_ev(L)) || p->Qf > 0 || p->Qm > 0
                  || p->bond_energy > 0 || p->nu > 0 || p->a > 0 || p->carrier_density > 0
                  || p->charge != 0 || p->Sf != 0 || p->Sm != 0;
    if (!p->physical)
        return HOP_OK;
    for (int s = 0; s < L->n_sub; ++s)
        if (L->site_energy[s] != 0)
            BAD("physical units: %s has site energies, and the units' X_v and D0 assume "
                "equivalent sites; use reduced units", L->name);
    if (!hop_lattice_one_length(L))
        BAD("physical units: the jumps of %s have several lengths, and the units' D0 = z "
            "alpha^2 omega / 2d needs one; use reduced units", L->name);
    if (p->carrier_density > 0 && p->charge == 0)
        BAD("--carrier-density needs --charge (the carriers' charge in units of e)");
    if (p->charge != 0 && !(p->carrier_density > 0))
        BAD("--charge needs --carrier-density (mobile ions per m^3)");
    if (require_T_nu_a(p, msg, msg_len) != HOP_OK)
        return HOP_ERR_INVAL;
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

hop_status hop_physics_gas_resolve(hop_params *p, char *msg, size_t msg_len)
{
    if (p->Sf != 0)
        BAD("--model gas: --Sf does not apply (the gas's vacancy fraction is 1 - c); --Sm "
            "enters the free jump rate");
    if (p->Qf > 0)
        BAD("--model gas: --Qf does not apply (the gas's vacancy fraction is 1 - c, set by "
            "--c); give --Qm for the free jump rate");
    if (p->bond_energy > 0)
        BAD("--model gas: --bond-energy does not apply (the vacancy fraction is 1 - c); give "
            "--Qm for the free jump rate and --pair-energy for the interaction");
    if (p->pair_energy_given) {
        double J;
        if (!isfinite(p->pair_energy))
            BAD("--pair-energy: %g is not a finite number", p->pair_energy);
        if (!(p->T > 0))
            BAD("--pair-energy needs --T (temperature in K): J = E/kT");
        J = p->pair_energy / (HOP_K_B_EV * p->T);
        /* Resolving twice finds the J it set itself: that is not "both". */
        if (p->J != 0 && p->J != J)
            BAD("give either --pair-energy (eV) or --J (in kT), not both");
        p->J = J;
    }
    /* --T with --pair-energy alone only converts E; anything else asks for SI results. */
    p->physical = p->nu > 0 || p->a > 0 || p->Qm > 0 || p->carrier_density > 0
                  || p->charge != 0 || p->Sm != 0 || (p->T > 0 && !p->pair_energy_given);
    if (!p->physical)
        return HOP_OK;
    if (require_T_nu_a(p, msg, msg_len) != HOP_OK)
        return HOP_ERR_INVAL;
    if (!(p->Qm > 0))
        BAD("--Qm (migration energy of a free jump in eV) is required with physical units "
            "for the gas");
    if (p->Qm / (HOP_K_B_EV * p->T) > MAX_EXPONENT)
        BAD("--T: Q_m/kT = %g at %g K: the rates underflow (at most %g)",
            p->Qm / (HOP_K_B_EV * p->T), p->T, MAX_EXPONENT);
    if (p->charge == 0)
        p->charge = 1;          /* every particle carries one elementary charge */
    return HOP_OK;
}

double hop_lattice_cell_volume(const hop_lattice *L)
{
    double m[HOP_MAX_DIM][HOP_MAX_DIM], det;
    const int d = L->dim;
    /* Cartesian component a of cell vector b: s_a C_ab cell_b, s_a^2 = weight_a / den */
    for (int a = 0; a < d; ++a)
        for (int b = 0; b < d; ++b)
            m[a][b] = sqrt((double)L->weight[a] / L->metric_den) * L->cart[a][b] * L->cell[b];
    if (d == 1)
        det = m[0][0];
    else if (d == 2)
        det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    else
        det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
              - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
              + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    return fabs(det);
}

static hop_estimate scaled(const hop_estimate *e, double by)
{
    hop_estimate x;
    x.value = e->value * by;
    x.sigma = e->sigma * by;
    x.bias = e->bias * by;
    return x;
}

/* The lattice gas (physics.h): every D/D0 times D0 = (1/2d) z alpha^2 omega. */
void hop_physics_gas_apply(hop_result *r)
{
    const hop_params *p = &r->params;
    const hop_lattice *L = p->lattice;
    hop_physical *x = &r->phys;
    const double q = p->charge * HOP_E_CHARGE;
    if (!p->physical)
        return;
    x->kT = HOP_K_B_EV * p->T;
    x->X_v = x->Gamma = x->Q_D = NAN;
    x->omega = p->nu * exp(p->Sm) * exp(-p->Qm / x->kT);
    x->alpha = hop_lattice_jump_length(L) * p->a * HOP_ANGSTROM;
    x->D0 = L->z * x->alpha * x->alpha * x->omega / (2.0 * L->dim);
    x->D_uncorrelated = x->D0 * r->gas.empty_neighbour;
    x->D_star = scaled(&r->gas.D_star, x->D0);
    x->D_sigma = scaled(&r->gas.D_sigma, x->D0);
    x->D_sigma_exact = 0;
    x->D_vacancy = scaled(&r->gas.D_vacancy, x->D0);
    x->D_chem = scaled(&r->gas.D_chem, x->D0);
    if (!isfinite(x->D_chem.value))                    /* not computed: nothing to bound */
        x->D_chem.sigma = x->D_chem.bias = NAN;
    if (p->carrier_density > 0) {
        x->carrier_density = p->carrier_density;
        x->density_dim = 3;
    } else {
        /* the particles of the box: c sites per cell over the cell's volume in m^d */
        x->carrier_density = r->gas.c * L->n_basis
                             / (hop_lattice_cell_volume(L) * pow(p->a * HOP_ANGSTROM, L->dim));
        x->density_dim = L->dim;
    }
    x->conductivity = scaled(&x->D_sigma, x->carrier_density * q * q / (HOP_K_B_J * p->T));
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
    /* exp(0) = 1 exactly: without entropies every value has the bits it had before. */
    x->X_v = exp(p->Sf) * exp(-p->Qf / x->kT);
    x->omega = p->nu * exp(p->Sm) * exp(-p->Qm / x->kT);
    x->Gamma = L->z * x->omega * x->X_v;
    x->alpha = hop_lattice_jump_length(L) * p->a * HOP_ANGSTROM;
    x->D_uncorrelated = half_d * x->Gamma * x->alpha * x->alpha;
    x->D_star = scaled(&r->f, x->D_uncorrelated);
    x->D0 = r->f.value * half_d * L->z * x->alpha * x->alpha * p->nu * exp(p->Sf + p->Sm);
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
    x->D_vacancy.value = x->D_vacancy.sigma = x->D_vacancy.bias = NAN;
    x->D_chem = x->D_vacancy;
    x->carrier_density = p->carrier_density;
    x->density_dim = 3;
    if (p->carrier_density > 0) {
        const double q = p->charge * HOP_E_CHARGE;
        x->conductivity = scaled(&x->D_sigma, p->carrier_density * q * q / (HOP_K_B_J * p->T));
    } else {
        x->conductivity.value = x->conductivity.sigma = x->conductivity.bias = NAN;
    }
}

/* physics.c: physical units, thermodynamics and transport (see physics.h). */
#include <math.h>
#include <stdio.h>
#include "lattice/moment.h"
#include "lattice/rates.h"
#include "models/physics.h"

int hop_bond_window(const hop_lattice *L)
{
    int window = -1;
    for (int s = 0; s < L->n_sub; ++s)
        for (int k = 0; k < L->z_sub[s]; ++k) {
            /* Distances from the saddle point e/2 in doubled coordinates: |2 e' - e|^2. */
            int64_t best = INT64_MAX;
            int count = 0;
            for (int j = 0; j < L->z_sub[s]; ++j) {
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

/* A lattice energy in kT (at kT, in eV): e, or e / kT where it is given in eV. */
static double in_kT(double e, int ev, double kT)
{
    return ev ? e / kT : e;
}

/* Its enthalpy in eV, the part that enters the Arrhenius slope: an energy given in kT
 * scales with T and has none. */
static double in_eV(double e, int ev)
{
    return ev ? e : 0.0;
}

/* Whether a jump class of L gives its barrier in eV (then --Qm may be left out). */
static int has_ev_barriers(const hop_lattice *L)
{
    int ev = 0;
    for (int c = 0; c < L->n_classes; ++c)
        ev |= L->class_barrier_ev[c];
    return ev;
}

/* Gamma(s -> t) / omega for the vacancy's jump k from a site of sublattice s, at kT:
 * R_c exp(-B_c - (E_t - E_s)/2) (lattice/rates.h), or a version-1 file's per-jump rate
 * relative to the fastest (omega being the fastest jump's rate). */
static double relative_rate(const hop_lattice *L, double kT, int s, int k)
{
    const int c = L->jump_class[s][k], t = L->jump_sub[s][k];
    if (L->n_classes == 0)
        return L->rate_total[0] ? ldexp((double)L->rate[s][k], -32) : 1.0;
    return L->class_rate[c]
           * exp(-in_kT(L->class_barrier[c], L->class_barrier_ev[c], kT)
                 - (in_kT(L->site_energy[t], L->site_energy_ev[t], kT)
                    - in_kT(L->site_energy[s], L->site_energy_ev[s], kT)) / 2);
}

/* The energies a jump adds to Q_f + Q_m in the exponent of X_v(t) Gamma(t -> s), the
 * tracer on s and the vacancy on t = s + e_k: B_c + (E_s + E_t)/2, in kT (the
 * underflow check) or their enthalpies in eV (the Arrhenius slope, eV = 1). */
static double jump_energy(const hop_lattice *L, double kT, int eV, int s, int k)
{
    const int c = L->jump_class[s][k], t = L->jump_sub[s][k];
    double B, Es, Et;
    if (L->n_classes == 0)
        return 0;
    B = eV ? in_eV(L->class_barrier[c], L->class_barrier_ev[c])
           : in_kT(L->class_barrier[c], L->class_barrier_ev[c], kT);
    Es = eV ? in_eV(L->site_energy[s], L->site_energy_ev[s])
            : in_kT(L->site_energy[s], L->site_energy_ev[s], kT);
    Et = eV ? in_eV(L->site_energy[t], L->site_energy_ev[t])
            : in_kT(L->site_energy[t], L->site_energy_ev[t], kT);
    return B + (Es + Et) / 2;
}

/* The vacancy's formation enthalpy on every sublattice, Q_f + E_s (E_s in kT counts as
 * E_s kT), is > 0; and the largest exponent of a rate, (Q_f + Q_m)/kT plus the largest
 * jump energy in kT, leaves exp(-x) a useful double. */
static hop_status energies_in_range(const hop_params *p, char *msg, size_t msg_len)
{
    const hop_lattice *L = p->lattice;
    const double kT = HOP_K_B_EV * p->T;
    double extra = 0;
    for (int s = 0; s < L->n_sub; ++s) {
        const double Hf = p->Qf + kT * in_kT(L->site_energy[s], L->site_energy_ev[s], kT);
        if (!(Hf > 0))
            BAD("--Qf: the vacancy's formation enthalpy on sublattice %s, Q_f + E_%s = %g eV, "
                "must be > 0 (Q_f is a vacancy's on a site of energy 0)", L->sub_name[s],
                L->sub_name[s], Hf);
    }
    for (int s = 0; s < L->n_sub; ++s)
        for (int k = 0; k < L->z_sub[s]; ++k)
            extra = fmax(extra, jump_energy(L, kT, 0, s, k));
    if ((p->Qf + p->Qm) / kT + extra > MAX_EXPONENT) {
        if (extra > 0)
            BAD("--T: (Q_f + Q_m)/kT = %g plus the lattice's largest B_c + (E_s + E_t)/2 = %g "
                "kT at %g K: the rates underflow (at most %g)", (p->Qf + p->Qm) / kT, extra,
                p->T, MAX_EXPONENT);
        BAD("--T: (Q_f + Q_m)/kT = %g at %g K: the rates underflow (at most %g)",
            (p->Qf + p->Qm) / kT, p->T, MAX_EXPONENT);
    }
    return HOP_OK;
}

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
        if (!hop_lattice_one_length(L))
            BAD("--bond-energy: the jumps of %s have several lengths, and the bond-breaking "
                "model counts every jump as a bond; give --Qf and --Qm", L->name);
        if (!hop_lattice_uniform_z(L))
            BAD("--bond-energy: the sublattices of %s differ in coordination, and the "
                "bond-breaking model's Q_f = (z/2) E needs one z; give --Qf and --Qm", L->name);
        if (window < 0)
            BAD("--bond-energy: the jumps of %s have different saddle-point windows, so the "
                "bond-breaking model gives unequal rates; give --Qf and --Qm", L->name);
        p->Qf = qf;
        p->Qm = qm;
    } else if (!(p->Qf > 0)) {
        BAD("--Qf is required with physical units (or --bond-energy)");
    } else if (!(p->Qm > 0) && !has_ev_barriers(L)) {
        BAD("--Qm is required with physical units (or --bond-energy), unless the lattice's "
            "jump classes give their barriers in eV");
    }
    return energies_in_range(p, msg, msg_len);
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

double hop_physics_site_X_v(const hop_params *p, int s)
{
    const hop_lattice *L = p->lattice;
    const double kT = HOP_K_B_EV * p->T;
    /* exp(0) = 1 exactly: a site of energy 0 has the bits of X_v itself. */
    return exp(p->Sf) * exp(-p->Qf / kT)
           * exp(-in_kT(L->site_energy[s], L->site_energy_ev[s], kT));
}

double hop_physics_vacancy_rate(const hop_params *p, int s, int k)
{
    const double kT = HOP_K_B_EV * p->T;
    return p->nu * exp(p->Sm) * exp(-p->Qm / kT) * relative_rate(p->lattice, kT, s, k);
}

/* The jump network's sums (physics.h).  Each of the tracer's jumps k from a site of
 * sublattice s (n_s sites a cell) to t = s + e_k is weighted by
 *     w = n_s (X_v(t) / X_v) (Gamma(t -> s) / omega),
 * which is n_s exactly where rates, energies and lengths are all equal, so those sums
 * are exact integers and reproduce z, alpha^2 and Q_f + Q_m to the bit. */
typedef struct {
    double rate;                          /* sum w / n_basis = Gamma / (omega X_v) */
    double len2;                          /* sum w |e|^2 / sum w: <alpha^2> in a^2 */
    double len2_axis[HOP_MAX_GROUPS];     /* the same of the component's squared projection */
    double extra, extra_axis[HOP_MAX_GROUPS];  /* eV: B_c + (E_s + E_t)/2 averaged with
                                                * w |e|^2 (w e_g^2): d ln D / d(-1/kT)
                                                * beyond Q_f + Q_m */
    int general;                          /* some w is not n_s, or lengths differ */
} jump_network;

static void network_sums(const hop_lattice *L, double kT, jump_network *net)
{
    double n_sites[HOP_MAX_SUB] = {0}, sum = 0, sum2, q2 = 0;
    double sum_g[HOP_MAX_GROUPS] = {0}, q_g[HOP_MAX_GROUPS] = {0};
    double weight[HOP_MAX_SUB][HOP_MAX_Z];
    const int G = L->n_groups;
    for (int b = 0; b < L->n_basis; ++b)
        n_sites[L->basis_sub[b]] += 1;
    net->general = !hop_lattice_one_length(L) || !hop_lattice_uniform_z(L);
    for (int s = 0; s < L->n_sub; ++s)
        for (int k = 0; k < L->z_sub[s]; ++k) {    /* the jumps each site has */
            const int t = L->jump_sub[s][k];
            const double occupied = exp(-in_kT(L->site_energy[t], L->site_energy_ev[t], kT));
            const double rel = occupied * relative_rate(L, kT, t, L->jump_rev[s][k]);
            const double w = n_sites[s] * rel, e2 = (double)L->jump_norm2[s][k];
            const double extra = jump_energy(L, kT, 1, s, k);
            net->general |= rel != 1.0;
            weight[s][k] = w;
            sum += w;
            q2 += w * e2 * extra;
            for (int g = 0; g < G; ++g)
                q_g[g] += w * (double)hop_lattice_dot(L, L->jump[s][k], L->jump[s][k], g) * extra;
        }
    /* The moments themselves: sum w |e|^2 and sum w e_g^2 (lattice/moment.h). */
    sum2 = hop_lattice_moment(L, -1, weight, 1);
    for (int g = 0; g < G; ++g)
        sum_g[g] = hop_lattice_moment(L, g, weight, 1);
    net->rate = sum / L->n_basis;
    net->len2 = sum2 / sum / L->metric_den;
    net->extra = q2 / sum2;
    for (int g = 0; g < G; ++g) {
        net->len2_axis[g] = sum_g[g] / sum / L->metric_den;
        net->extra_axis[g] = sum_g[g] > 0 ? q_g[g] / sum_g[g] : 0;
    }
}

/* The vacancy per sublattice: X_v(s), and their mean over the sites of a cell. */
static void vacancy_fractions(const hop_params *p, hop_physical *x)
{
    const hop_lattice *L = p->lattice;
    double sum = 0;
    for (int s = 0; s < HOP_MAX_SUB; ++s)
        x->X_v_site[s] = s < L->n_sub ? hop_physics_site_X_v(p, s) : 0;
    for (int b = 0; b < L->n_basis; ++b)
        sum += x->X_v_site[L->basis_sub[b]];
    x->X_v_mean = sum / L->n_basis;
}

/* D_uncorrelated, D* and the Arrhenius tangent per principal component g (its n_g
 * Cartesian axes): D_g = Gamma <e_g^2> / (2 n_g), D*_g = f_g D_g. */
static void per_axis(const hop_result *r, const jump_network *net, hop_physical *x)
{
    const hop_params *p = &r->params;
    const hop_lattice *L = p->lattice;
    const double a2 = (p->a * HOP_ANGSTROM) * (p->a * HOP_ANGSTROM);
    int axes[HOP_MAX_GROUPS] = {0};
    for (int a = 0; a < L->dim; ++a)
        ++axes[L->group_of_axis[a]];
    for (int g = 0; g < HOP_MAX_GROUPS; ++g) {
        const double half = g < L->n_groups ? 1.0 / (2.0 * axes[g]) : NAN;
        x->D_uncorrelated_axis[g] = half * x->Gamma * net->len2_axis[g] * a2;
        x->D_star_axis[g] = scaled(&r->f_group[g], x->D_uncorrelated_axis[g]);
        x->D0_axis[g] = r->f_group[g].value * half * net->rate
                        * exp(net->extra_axis[g] / x->kT) * net->len2_axis[g] * a2 * p->nu
                        * exp(p->Sf + p->Sm);
        x->Q_D_axis[g] = g < L->n_groups ? p->Qf + p->Qm + net->extra_axis[g] : NAN;
    }
}

void hop_physics_apply(hop_result *r)
{
    const hop_params *p = &r->params;
    const hop_lattice *L = p->lattice;
    hop_physical *x = &r->phys;
    jump_network net;
    double half_d;
    if (!p->physical)
        return;
    half_d = 1.0 / (2.0 * L->dim);
    x->kT = HOP_K_B_EV * p->T;
    network_sums(L, x->kT, &net);
    x->network = net.general;
    /* exp(0) = 1 exactly: without entropies every value has the bits it had before. */
    x->X_v = exp(p->Sf) * exp(-p->Qf / x->kT);
    vacancy_fractions(p, x);
    x->omega = p->nu * exp(p->Sm) * exp(-p->Qm / x->kT);
    /* Equal jumps: net.rate = z, net.len2 = alpha^2 and net.extra = 0, to the bit. */
    x->Gamma = net.rate * x->omega * x->X_v;
    x->alpha = sqrt(net.len2) * p->a * HOP_ANGSTROM;
    x->D_uncorrelated = half_d * x->Gamma * x->alpha * x->alpha;
    x->D_star = scaled(&r->f, x->D_uncorrelated);
    x->D0 = r->f.value * half_d * (net.rate * exp(net.extra / x->kT)) * x->alpha * x->alpha
            * p->nu * exp(p->Sf + p->Sm);
    x->Q_D = p->Qf + p->Qm + net.extra;
    per_axis(r, &net, x);
    if (p->estimator == HOP_EST_MSD) {
        /* Same scale as D*: reduced D_uncorrelated -> physical D_uncorrelated. */
        x->D_sigma = scaled(&r->D_sigma, x->D_uncorrelated / r->D_uncorrelated);
        x->D_sigma_exact = 0;
    } else if (L->drift_site) {
        /* The vacancy's own successive jumps are correlated (lattice.h): its D, D_sigma,
         * is not the uncorrelated D, and the corr estimator cannot give it. */
        const hop_estimate none = {NAN, NAN, NAN};
        x->D_sigma = r->haven = r->haven_inverse = none;
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

/* rates.c: jump-class rates and site energies of a lattice, and the integer per-jump
 * rates the step code draws from (see lattice/rates.h for the rule). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "lattice/choice.h"
#include "lattice/impl.h"
#include "lattice/polar.h"
#include "lattice/rates.h"

/* "a, b, c": the `count` names at `names` (one per HOP_LABEL_LEN bytes) into buf. */
static const char *name_list(char *buf, size_t n, const char *names, int count)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < count && used < n; ++i)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "",
                                 names + (size_t)i * HOP_LABEL_LEN);
    return buf;
}

hop_status hop_lattice_set_rate(hop_lattice *L, const char *cls, double R)
{
    char list[HOP_MAX_CLASSES * (HOP_LABEL_LEN + 2)];
    if (!isfinite(R) || R <= 0)
        return hop_error(HOP_ERR_INVAL, "rate of class %s must be a finite number > 0", cls);
    for (int c = 0; c < L->n_classes; ++c)
        if (strcmp(L->class_name[c], cls) == 0) {
            L->class_rate[c] = R;
            return HOP_OK;
        }
    if (L->n_classes == 0)
        return hop_error(HOP_ERR_INVAL, "lattice %s has no jump classes (its rates are per "
                         "jump, from a version-1 file), so there is no class %s", L->name, cls);
    return hop_error(HOP_ERR_INVAL, "lattice %s has no jump class %s; its classes: %s", L->name,
                     cls, name_list(list, sizeof list, L->class_name[0], L->n_classes));
}

hop_status hop_lattice_set_site_energy(hop_lattice *L, const char *label, double E)
{
    char list[HOP_MAX_SUB * (HOP_LABEL_LEN + 2)];
    if (!isfinite(E))
        return hop_error(HOP_ERR_INVAL, "site energy of %s must be a finite number", label);
    for (int s = 0; s < L->n_sub; ++s)
        if (strcmp(L->sub_name[s], label) == 0) {
            L->site_energy[s] = E == 0 ? 0.0 : E;    /* -0 is 0 (lattice.c) */
            L->site_energy_ev[s] = 0;
            return HOP_OK;
        }
    return hop_error(HOP_ERR_INVAL, "lattice %s has no sublattice %s; its sublattices: %s",
                     L->name, label, name_list(list, sizeof list, L->sub_name[0], L->n_sub));
}

/* An energy in kT: e, or e / kT_eV when it is in eV. */
static double in_kT(double e, int ev, double kT_eV)
{
    return ev ? e / kT_eV : e;
}

/* Whether some energy or barrier of L is given in eV. */
static int needs_kT(const hop_lattice *L)
{
    int ev = 0;
    for (int s = 0; s < L->n_sub; ++s)
        ev |= L->site_energy_ev[s] && L->site_energy[s] != 0;
    for (int c = 0; c < L->n_classes; ++c)
        ev |= L->class_barrier_ev[c] && L->class_barrier[c] != 0;
    return ev;
}

/* Gamma of jump k of sublattice s, relative (the rule of lattice/rates.h). */
static double jump_gamma(const hop_lattice *L, int s, int k, double kT_eV)
{
    const int c = L->jump_class[s][k], t = L->jump_sub[s][k];
    const double B = in_kT(L->class_barrier[c], L->class_barrier_ev[c], kT_eV);
    const double dE = in_kT(L->site_energy[t], L->site_energy_ev[t], kT_eV)
                    - in_kT(L->site_energy[s], L->site_energy_ev[s], kT_eV);
    return L->class_rate[c] * exp(-B - dE / 2);
}

#define FAIL(...) do { snprintf(msg, msg_len, __VA_ARGS__); return HOP_ERR_INVAL; } while (0)

/* occupation[s] = e^{-E_s} relative to the lowest E, the largest 2^32; all 0 when every
 * E_s is equal.  A weight that would round to 0 is an error. */
static hop_status occupations(hop_lattice *L, double kT_eV, char *msg, size_t msg_len)
{
    double E[HOP_MAX_SUB], low = INFINITY;
    int equal = 1;
    for (int s = 0; s < L->n_sub; ++s) {
        E[s] = in_kT(L->site_energy[s], L->site_energy_ev[s], kT_eV);
        low = fmin(low, E[s]);
        equal &= E[s] == E[0];
    }
    for (int s = 0; s < HOP_MAX_SUB; ++s)
        L->occupation[s] = 0;
    for (int s = 0; s < L->n_sub && !equal; ++s) {
        const double w = ldexp(exp(low - E[s]), 32);
        if (!(w >= 0.5))
            FAIL("lattice %s: the vacancy's occupation of sublattice %s is %.3g times below the "
                 "lowest-energy one, beyond the 2^32 range of the integer weights", L->name,
                 L->sub_name[s], exp(E[s] - low));
        L->occupation[s] = (uint64_t)llround(w);
    }
    return HOP_OK;
}

hop_status hop_lattice_derive_rates(hop_lattice *L, double kT_eV, char *msg, size_t msg_len)
{
    double gamma[HOP_MAX_SUB][HOP_MAX_Z], top = 0;
    int equal = 1;
    if (L->n_classes == 0) {
        for (int s = 0; s < L->n_sub; ++s)
            if (L->site_energy[s] != 0)
                FAIL("lattice %s: site energies need jump classes (a version-2 lattice file); "
                     "its rates are per jump", L->name);
        return HOP_OK;
    }
    if (needs_kT(L) && !(kT_eV > 0))
        FAIL("lattice %s gives energies in eV: give the temperature (--T) to convert them "
             "to kT", L->name);
    for (int s = 0; s < L->n_sub; ++s)
        for (int k = 0; k < L->z_sub[s]; ++k) {
            gamma[s][k] = jump_gamma(L, s, k, kT_eV);
            if (!isfinite(gamma[s][k]) || !(gamma[s][k] > 0))
                FAIL("lattice %s: jump %d of sublattice %s (class %s) has rate %g; energies "
                     "and rates must give a finite rate > 0", L->name, k, L->sub_name[s],
                     L->class_name[L->jump_class[s][k]], gamma[s][k]);
            top = fmax(top, gamma[s][k]);
            equal &= gamma[s][k] == gamma[0][0];
        }
    equal &= hop_lattice_uniform_z(L);    /* absent jumps need rates of 0 (lattice.h) */
    for (int s = 0; s < L->n_sub; ++s)
        for (int k = 0; k < L->z_sub[s]; ++k)
            if (!equal && llround(ldexp(gamma[s][k] / top, 32)) == 0)
                FAIL("lattice %s: jump %d of sublattice %s (class %s) is %.3g times slower than "
                     "the fastest jump, beyond the 2^32 range of the integer rates", L->name, k,
                     L->sub_name[s], L->class_name[L->jump_class[s][k]], top / gamma[s][k]);
    if (occupations(L, kT_eV, msg, msg_len) != HOP_OK)
        return HOP_ERR_INVAL;
    for (int s = 0; s < L->n_sub; ++s) {
        L->rate_total[s] = 0;
        for (int k = 0; k < L->z; ++k) {
            L->rate[s][k] = equal || !hop_lattice_has_jump(L, s, k)
                                ? 0 : (uint64_t)llround(ldexp(gamma[s][k] / top, 32));
            L->rate_total[s] += L->rate[s][k];
        }
    }
    hop_lattice_derive_choice(L);
    return hop_lattice_derive_polar(L, msg, msg_len);
}

hop_status hop_lattice_apply_rates(hop_lattice *L, double kT_eV)
{
    char msg[400];
    return hop_lattice_derive_rates(L, kT_eV, msg, sizeof msg) == HOP_OK
               ? HOP_OK : hop_error(HOP_ERR_INVAL, "%s", msg);
}

int hop_lattice_has_ev(const hop_lattice *L)
{
    int ev = 0;
    for (int s = 0; s < L->n_sub; ++s)
        ev |= L->site_energy_ev[s];
    for (int c = 0; c < L->n_classes; ++c)
        ev |= L->class_barrier_ev[c];
    return ev;
}

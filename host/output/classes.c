/* classes.c: a lattice's jump classes and site energies in the summary and the JSON
 * record (see classes.h).  Lengths come from the exact integer metric; the numbers
 * shown are the effective ones of the run, --rate and --site-energy applied. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "output/classes.h"

/* Length of jump k of sublattice s in lattice constants. */
static double jump_length(const hop_lattice *L, int s, int k)
{
    int32_t v[HOP_MAX_DIM];
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        v[a] = L->jump[s][k][a];
    return sqrt((double)hop_lattice_norm2(L, v) / L->metric_den);
}

/* An energy in kT: e, or e / kT_eV when it is in eV (NaN without a temperature). */
static double in_kT(double e, int ev, double kT_eV)
{
    return !ev ? e : kT_eV > 0 ? e / kT_eV : NAN;
}

void hop_class_view_of(const hop_lattice *L, int c, double kT_eV, hop_class_view *v)
{
    memset(v, 0, sizeof *v);
    v->length_min = INFINITY;
    v->length_max = 0;
    for (int s = 0; s < L->n_sub; ++s)
        for (int k = 0; k < L->z_sub[s]; ++k)
            if (L->jump_class[s][k] == c) {
                const double len = jump_length(L, s, k);
                v->length_min = fmin(v->length_min, len);
                v->length_max = fmax(v->length_max, len);
                ++v->per_site[s];
            }
    v->barrier_kT = in_kT(L->class_barrier[c], L->class_barrier_ev[c], kT_eV);
}

int hop_classes_shown(const hop_lattice *L)
{
    int energies = 0;
    for (int s = 0; s < L->n_sub; ++s)
        energies |= L->site_energy[s] != 0;
    return L->n_classes > 1 || energies || !hop_lattice_uniform_z(L);
}

/* "  coordination: z_A = 4, z_B = 2, z_C = 2" where the sublattices differ. */
static void coordination_print(FILE *out, const hop_lattice *L)
{
    if (hop_lattice_uniform_z(L))
        return;
    fprintf(out, "  coordination:");
    for (int s = 0; s < L->n_sub; ++s)
        fprintf(out, "%s z_%s = %d", s ? "," : "", L->sub_name[s], L->z_sub[s]);
    fputc('\n', out);
}

/* "6" when every sublattice has n jumps of the class, else "4 (A), 2 (B)". */
static void per_site_text(const hop_lattice *L, const hop_class_view *v, char *buf, size_t n)
{
    int same = 1;
    size_t used = 0;
    for (int s = 1; s < L->n_sub; ++s)
        same &= v->per_site[s] == v->per_site[0];
    if (same) {
        snprintf(buf, n, "%d", v->per_site[0]);
        return;
    }
    buf[0] = '\0';
    for (int s = 0; s < L->n_sub && used < n; ++s)
        used += (size_t)snprintf(buf + used, n - used, "%s%d (%s)", s ? ", " : "",
                                 v->per_site[s], L->sub_name[s]);
}

void hop_classes_print(FILE *out, const hop_lattice *L, double kT_eV)
{
    if (!hop_classes_shown(L))
        return;
    fprintf(out, "lattice %s: %d jump class%s, %s\n", L->name, L->n_classes,
            L->n_classes == 1 ? "" : "es", HOP_RATE_RULE);
    for (int c = 0; c < L->n_classes; ++c) {
        hop_class_view v;
        char per_site[HOP_MAX_SUB * (HOP_LABEL_LEN + 8)], length[48], barrier[64];
        hop_class_view_of(L, c, kT_eV, &v);
        per_site_text(L, &v, per_site, sizeof per_site);
        if (v.length_max - v.length_min > 1e-12 * v.length_max)
            snprintf(length, sizeof length, "%.6f .. %.6f", v.length_min, v.length_max);
        else
            snprintf(length, sizeof length, "%.6f", v.length_min);
        if (L->class_barrier_ev[c])
            snprintf(barrier, sizeof barrier, "%g eV = %.6g kT", L->class_barrier[c],
                     v.barrier_kT);
        else
            snprintf(barrier, sizeof barrier, "%g kT", L->class_barrier[c]);
        fprintf(out, "  class %-15s length %s a, %s per site, R = %.10g, B = %s\n",
                L->class_name[c], length, per_site, L->class_rate[c], barrier);
    }
    coordination_print(out, L);
    fprintf(out, "  site energies:");
    for (int s = 0; s < L->n_sub; ++s) {
        if (L->site_energy_ev[s])
            fprintf(out, "%s E_%s = %g eV = %.6g kT", s ? "," : "", L->sub_name[s],
                    L->site_energy[s], in_kT(L->site_energy[s], 1, kT_eV));
        else
            fprintf(out, "%s E_%s = %g kT", s ? "," : "", L->sub_name[s], L->site_energy[s]);
    }
    fputc('\n', out);
}

void hop_classes_json(cJSON *o, const hop_lattice *L, double kT_eV)
{
    cJSON *classes, *energies;
    if (L->n_classes < 1)
        return;
    cJSON_AddStringToObject(o, "rate_rule", HOP_RATE_RULE);
    classes = cJSON_AddArrayToObject(o, "jump_classes");
    for (int c = 0; c < L->n_classes; ++c) {
        cJSON *x = cJSON_CreateObject(), *per_site;
        hop_class_view v;
        hop_class_view_of(L, c, kT_eV, &v);
        cJSON_AddStringToObject(x, "name", L->class_name[c]);
        cJSON_AddNumberToObject(x, "rate", L->class_rate[c]);
        cJSON_AddNumberToObject(x, "barrier", L->class_barrier[c]);
        cJSON_AddStringToObject(x, "barrier_unit", L->class_barrier_ev[c] ? "eV" : "kT");
        if (isfinite(v.barrier_kT))
            cJSON_AddNumberToObject(x, "barrier_kT", v.barrier_kT);
        cJSON_AddNumberToObject(x, "length", v.length_min);
        if (v.length_max > v.length_min)
            cJSON_AddNumberToObject(x, "length_max", v.length_max);
        per_site = cJSON_AddArrayToObject(x, "jumps_per_site");
        for (int s = 0; s < L->n_sub; ++s)
            cJSON_AddItemToArray(per_site, cJSON_CreateNumber(v.per_site[s]));
        cJSON_AddItemToArray(classes, x);
    }
    if (!hop_lattice_uniform_z(L)) {        /* jumps per site of each sublattice */
        cJSON *z = cJSON_AddArrayToObject(o, "coordination");
        for (int s = 0; s < L->n_sub; ++s)
            cJSON_AddItemToArray(z, cJSON_CreateNumber(L->z_sub[s]));
    }
    energies = cJSON_AddArrayToObject(o, "site_energies");
    for (int s = 0; s < L->n_sub; ++s) {
        cJSON *x = cJSON_CreateObject();
        const double kT = in_kT(L->site_energy[s], L->site_energy_ev[s], kT_eV);
        cJSON_AddStringToObject(x, "sublattice", L->sub_name[s]);
        cJSON_AddNumberToObject(x, "energy", L->site_energy[s]);
        cJSON_AddStringToObject(x, "unit", L->site_energy_ev[s] ? "eV" : "kT");
        if (isfinite(kT))
            cJSON_AddNumberToObject(x, "energy_kT", kT);
        cJSON_AddItemToArray(energies, x);
    }
}

/* write.c: a built-in or loaded lattice written in the lattice-file format
 * (lattice/file.h), which hop_lattice_load reads back to the same table. */
#include <stdint.h>
#include <string.h>
#include "lattice/file.h"
#include "lattice/reader.h"

/* ------------------------------------------------------------------ writing --- */

/* Whether the coordinations z_sub are in range, z the largest (lattice.h). */
static int coordination_writable(const hop_lattice *L)
{
    int largest = 0;
    for (int s = 0; s < L->n_sub; ++s) {
        if (L->z_sub[s] < 1 || L->z_sub[s] > L->z)
            return 0;
        largest = L->z_sub[s] > largest ? L->z_sub[s] : largest;
    }
    return largest == L->z;
}

/* Whether L is a table hop_lattice_write can express (see lattice/file.h). */
static int writable(const hop_lattice *L)
{
    int next_sub = 0, axes[HOP_MAX_GROUPS] = {0, 0, 0};
    if (L->dim < 1 || L->dim > HOP_MAX_DIM || L->n_basis < 1 || L->n_basis > HOP_MAX_BASIS
        || L->n_sub < 1 || L->n_sub > HOP_MAX_SUB || L->z < 1 || L->z > HOP_MAX_Z
        || !coordination_writable(L)
        || L->metric_den < 1 || L->n_groups < 1 || L->n_groups > L->dim
        || !memchr(L->name, '\0', sizeof L->name) || !hop_lf_is_word(L->name, 15, ".+-")
        || !memchr(L->cell_name, '\0', sizeof L->cell_name) || strchr(L->cell_name, '#'))
        return 0;
    for (int b = 0; b < L->n_basis; ++b) {      /* sublattices numbered by first site */
        if (L->basis_sub[b] < 0 || L->basis_sub[b] > next_sub)
            return 0;
        next_sub += L->basis_sub[b] == next_sub;
    }
    if (next_sub != L->n_sub)
        return 0;
    for (int a = 0; a < L->dim; ++a) {
        if (L->weight[a] < 1 || L->group_of_axis[a] < 0 || L->group_of_axis[a] >= L->n_groups)
            return 0;
        ++axes[L->group_of_axis[a]];
    }
    for (int g = 0; g < L->n_groups; ++g)
        if (!axes[g] || !memchr(L->group_name[g], '\0', sizeof L->group_name[g])
            || !hop_lf_is_word(L->group_name[g], 7, ""))
            return 0;
    return 1;
}

/* "P/Q" (or "P" when Q = 1) for axis a's weight, over the common denominator. */
static void weight_text(char *buf, size_t n, const hop_lattice *L, int a)
{
    if (L->metric_den == 1)
        snprintf(buf, n, "%d", L->weight[a]);
    else
        snprintf(buf, n, "%d/%d", L->weight[a], L->metric_den);
}

/* Whether L needs version 2: classes other than the one plain "nn", site energies,
 * jumps of several lengths, or sublattices of different coordination. */
static int needs_version_2(const hop_lattice *L)
{
    int v2 = L->n_classes > 1 || !hop_lattice_one_length(L) || !hop_lattice_uniform_z(L);
    if (L->n_classes == 1)
        v2 |= strcmp(L->class_name[0], "nn") != 0 || L->class_rate[0] != 1
              || L->class_barrier[0] != 0;
    for (int s = 0; s < L->n_sub; ++s)
        v2 |= L->site_energy[s] != 0;
    return v2;
}

/* Version 2's class and energy lines (before the jumps). */
static void write_classes(FILE *f, const hop_lattice *L)
{
    for (int c = 0; c < L->n_classes; ++c) {
        fprintf(f, "class      %s  rate %.17g", L->class_name[c], L->class_rate[c]);
        if (L->class_barrier[c] != 0)
            fprintf(f, "  barrier %.17g%s", L->class_barrier[c],
                    L->class_barrier_ev[c] ? " eV" : "");
        fprintf(f, "\n");
    }
    for (int s = 0; s < L->n_sub; ++s)
        if (L->site_energy[s] != 0)
            fprintf(f, "energy     %s  %.17g%s\n", L->sub_name[s], L->site_energy[s],
                    L->site_energy_ev[s] ? " eV" : "");
}

hop_status hop_lattice_write(FILE *f, const hop_lattice *L)
{
    int v2;
    char w[32];
    if (!L || !writable(L))
        return HOP_ERR_INVAL;
    v2 = needs_version_2(L);
    fprintf(f, "hop-lattice %d\n# lattice %s in hop's lattice file format (host/lattice/file.h, "
            "tests/lattices/README.md)\n", v2 ? 2 : 1, L->name);
    if (L->jump_len2 > 0 && hop_lattice_uniform_z(L))
        fprintf(f, "# z = %d, jump length^2 = %d/%d a^2, smallest periodic box %d cells\n",
                L->z, L->jump_len2, L->metric_den, L->min_size);
    fprintf(f, "name       %s\n", L->name);
    if (L->cell_name[0])
        fprintf(f, "cell-name  %s\n", L->cell_name);
    fprintf(f, "dim        %d\ncell          ", L->dim);
    for (int a = 0; a < L->dim; ++a)
        fprintf(f, " %3d", L->cell[a]);
    fprintf(f, "\n");
    for (int a = 0; a < L->dim; ++a) {
        fprintf(f, "axis %s        ", hop_lf_axis_names[a]);
        for (int b = 0; b < L->dim; ++b)
            fprintf(f, " %3d", L->cart[a][b]);
        weight_text(w, sizeof w, L, a);
        fprintf(f, "  %s\n", w);
    }
    for (int b = 0; b < L->n_basis; ++b) {
        fprintf(f, "site          ");
        for (int a = 0; a < L->dim; ++a)
            fprintf(f, " %3d", L->basis[b][a]);
        fprintf(f, "  %s\n", L->sub_name[L->basis_sub[b]]);
    }
    if (v2)
        write_classes(f, L);
    for (int s = 0; s < L->n_sub; ++s)
        for (int k = 0; k < L->z_sub[s]; ++k) {
            fprintf(f, "jump       %s  ", L->sub_name[s]);
            for (int a = 0; a < L->dim; ++a)
                fprintf(f, " %3d", L->jump[s][k][a]);
            if (v2)
                fprintf(f, "  %s", L->class_name[L->jump_class[s][k]]);
            else if (L->rate_total[0])
                fprintf(f, "  rate %llu", (unsigned long long)L->rate[s][k]);
            fprintf(f, "\n");
        }
    for (int g = 0; g < L->n_groups; ++g) {
        int first = -1;
        fprintf(f, "group     ");
        for (int a = 0; a < L->dim; ++a)
            if (L->group_of_axis[a] == g) {
                first = first < 0 ? a : first;
                fprintf(f, " %s", hop_lf_axis_names[a]);
            }
        if (strcmp(L->group_name[g], hop_lf_axis_names[first]) != 0)
            fprintf(f, " as %s", L->group_name[g]);
        fprintf(f, "\n");
    }
    fprintf(f, "isotropic  %s\n", L->isotropic ? "yes" : "no");
    return ferror(f) ? HOP_ERR_IO : HOP_OK;
}

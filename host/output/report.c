/* report.c: the summary `hop run` prints on stdout (see report.h): the frame (header,
 * how the run went, the work done) around the model's own sections, which its table
 * writes (models/model.h: report; numbers as models/format.h shows them, with as many
 * decimals as their standard error supports).  Reference values are not printed here:
 * a run reports what it measured. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "hop_git.h"
#include "models/model.h"
#include "models/physics.h"
#include "models/verdict.h"
#include "output/classes.h"
#include "output/report.h"
#include "models/physics.h"
#include "run/exact_run.h"

/* How a run in rounds ended, if not with the replicas asked for, and whether it was
 * resumed from a checkpoint. */
static void print_how_it_ran(FILE *out, const hop_result *r)
{
    const hop_params *p = &r->params;
    if (r->stopped_by && strcmp(r->stopped_by, "replicas") != 0)
        fprintf(out, "stopped by the %s after %llu replicas (rounds of %llu)\n", r->stopped_by,
                (unsigned long long)r->replicas, (unsigned long long)p->replicas);
    if (r->resumed)
        fprintf(out, "resumed from checkpoint '%s'; wall time sums every session\n", p->resume);
}

void hop_report_print(FILE *out, const hop_result *r)
{
    const hop_params *p = &r->params;
    const hop_lattice *L = p->lattice;
    const hop_model *m = hop_model_get(p->model);
    char ran_on[96];
    hop_verdict v;
    int used;
    if (p->backend == HOP_BACKEND_CUDA)
        used = snprintf(ran_on, sizeof ran_on, "%d batch%s", r->batches,
                        r->batches == 1 ? "" : "es");
    else
        used = snprintf(ran_on, sizeof ran_on, "%d thread%s", r->threads,
                        r->threads == 1 ? "" : "s");
    if (r->ranks > 1 && used > 0 && (size_t)used < sizeof ran_on)   /* threads: rank 0's */
        snprintf(ran_on + used, sizeof ran_on - (size_t)used, " x %d MPI processes", r->ranks);
    fprintf(out, "hop %s (%s): lattice %s, estimator %s, model %s, backend %s, %s, seed %llu\n",
            HOP_VERSION, HOP_GIT_COMMIT, L ? L->name : "?",
            p->estimator == HOP_EST_MSD ? "msd" : "corr",
            hop_model_name(p->model),
            r->backend ? r->backend : "?", ran_on, (unsigned long long)p->seed);
    fprintf(out, "device: %s\n", r->device);
    if (L)          /* several jump classes or site energies: the effective ones */
        hop_classes_print(out, L, p->T > 0 ? HOP_K_B_EV * p->T : 0);
    if (!m)
        return;
    m->report(out, r);          /* the model's sections (models/model.h) */
    print_how_it_ran(out, r);
    fprintf(out, "replicas %llu, %s %llu, %s %llu, wall %.3f s, %.4g %s\n",
            (unsigned long long)r->replicas, m->counts_label[0],
            (unsigned long long)r->tracer_jumps, m->counts_label[1],
            (unsigned long long)r->vacancy_steps, r->wall_s, r->steps_per_s,
            m->counts_label[2]);
    hop_verdict_of(r, &v);
    fprintf(out, "verdict: %s\n", v.text);
}

/* ------------------------------------------------------------- exact estimator --- */

static void print_exact_line(FILE *out, const char *name, const hop_exact_estimate *e)
{
    if (isnan(e->value))
        fprintf(out, "%-12s (none: f = 0)\n", name);
    else
        fprintf(out, "%-12s %.10f  (extrapolation error bound %.1e)\n", name, e->value,
                e->error_bound);
}

/* Physical units of an exact run: the corr run's conversion of the exact f (exact_run.h),
 * each value with its bound from f's. */
static void print_exact_physical(FILE *out, const hop_params *p, const hop_exact_result *r,
                                 const hop_exact_derived *d)
{
    const hop_physical *x = &d->phys;
    const char *D = d->solute ? "D2" : "D*";
    fprintf(out, "physical     T = %g K, Q_f = %g eV, Q_m = %g eV, S_f = %g k, S_m = %g k, "
            "nu = %g Hz, a = %g A: X_v = %.6g, %s = %.6g /s\n", p->T, p->Qf, p->Qm, p->Sf,
            p->Sm, p->nu, p->a, x->X_v, d->solute ? "w0" : "omega", x->omega);
    fprintf(out, "%-12s %.10g m^2/s  (bound %.1e; %s)\n", D, x->D_star.value, x->D_star.bias,
            d->solute ? "f2 (1/2d) z alpha^2 w2 X_v (w4/w3)"
            : x->network ? "f D, D the jump network's sum (docs/units.md)"
            : "f (1/2d) z alpha^2 omega X_v");
    fprintf(out, "%-12s D0 = %.10g m^2/s (bound %.1e), Q = %.6g eV  (Arrhenius at fixed %s)\n",
            "Arrhenius", x->D0, d->D0_bound, x->Q_D, d->tracer);
    for (int g = 0; !p->lattice->isotropic && g < p->lattice->n_groups; ++g) {
        /* per principal axis, as a corr run gives them (models/physics.h) */
        const char *a = p->lattice->group_name[g];
        fprintf(out, "%s_%-*s %.10g m^2/s  (bound %.1e; f_%s D_%s, D_%s = %.6g m^2/s); "
                "Arrhenius D0_%s = %.6g m^2/s, Q_%s = %.6g eV\n", D, (int)(10 - strlen(D)), a,
                x->D_star_axis[g].value, x->D_star_axis[g].bias, a, a, a,
                x->D_uncorrelated_axis[g], a, x->D0_axis[g], a, x->Q_D_axis[g]);
    }
    if (d->solute)
        fprintf(out, "%-12s L_ss/n_s = %.10g, L_sv/n_s = %.10g m^2/(J s)  (dilute limit, n_s "
                "solutes per m^3: L_ss = n_s D2/kT)\n", "Onsager SI",
                x->D_star.value / (HOP_K_B_J * p->T),
                x->D_star.value / (HOP_K_B_J * p->T) * r->drag.value);
}

void hop_report_exact(FILE *out, const hop_params *p, const hop_exact_result *r)
{
    const hop_lattice *L = p->lattice;
    hop_exact_derived d;
    char name[32];
    hop_exact_derive(p, r, &d);
    fprintf(out, "hop %s: exact solver (matrix method, CHOLMOD) on %s, %s model\n",
            HOP_VERSION, L->name, hop_model_name(p->model));
    hop_classes_print(out, L, p->T > 0 ? HOP_K_B_EV * p->T : 0);
    print_exact_line(out, d.tracer, &r->f);
    for (int g = 0; g < L->n_groups; ++g) {
        snprintf(name, sizeof name, "%s_%s", d.tracer, L->group_name[g]);
        print_exact_line(out, name, &r->f_group[g]);
    }
    print_exact_line(out, "L_sv/L_ss", &r->drag);
    if (d.solute) {
        if (!isnan(d.f2_manning))
            fprintf(out, "%-12s %.10f  (Manning 1964; minus exact: %+.2e)\n", "f2 Manning",
                    d.f2_manning, d.f2_manning - r->f.value);
        fprintf(out, "%-12s %.10g  (D2 / X_v in a^2 times the rates' unit; w0 = %g)\n", "D2/X_v",
                d.D2_over_Xv, p->w[0]);
        fprintf(out, "%-12s L_ss = %.10g, L_sv = %.10g  (dilute limit, in n_s X_v a^2 w / kT)\n",
                "Onsager", d.D2_over_Xv, d.D2_over_Xv * r->drag.value);
        if (!isnan(r->vv.value))
            fprintf(out, "%-12s %.10f  (extrapolation error bound %.1e; L_vv = L_vv^0 (1 + b_vv "
                    "c_s), c_s the solute fraction)\n", "b_vv", r->vv.value, r->vv.error_bound);
    }
    if (d.physical)
        print_exact_physical(out, p, r, &d);
    fprintf(out, "radii        ");
    for (int k = 0; k < r->n_radii; ++k)
        fprintf(out, "%s%.4g", k ? ", " : "", r->radius[k]);
    fprintf(out, " jump lengths (%s; tail R^-%d extrapolated)\n",
            r->shaped ? "(m + 1/2) first edges, m the slowest axis's cells" : "box half-widths",
            r->tail_power);
    if (r->shaped) {
        fprintf(out, "box shape    half-widths ");
        for (int a = 0; a < p->lattice->dim; ++a)
            fprintf(out, "%s%d", a ? " : " : "", r->shape[a]);
        fprintf(out, " in cells per axis, to the vacancy walk's anisotropy (largest ");
        for (int a = 0; a < p->lattice->dim; ++a)
            fprintf(out, "%s%.3g", a ? " x " : "",
                    (r->half_cells[r->n_radii - 1][a] + 0.5) * r->cell_length[a]);
        fprintf(out, " jump lengths)\n");
    }
    fprintf(out, "states       %lld at the largest radius, factor %.1f MiB, %.2f s\n",
            (long long)r->n_states, r->factor_bytes / 1048576.0, r->seconds);
    fprintf(out, "verdict: exact: extrapolation bound %.1e\n", r->f.error_bound);
}

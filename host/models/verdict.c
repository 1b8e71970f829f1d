/* verdict.c: the verdicts of the shared estimators and the lookup through the model
 * tables (verdict.h).  Each judges a finished result by its own numbers: a bias bound
 * is compared with the standard error of the same estimate, and the option that would
 * shrink the bound is suggested with the value that, by the bias's own scaling, brings
 * it below sigma. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "models/model.h"
#include "models/verdict.h"

void hop_verdict_set(hop_verdict *v, const char *code, const char *fmt, ...)
{
    va_list ap;
    v->code = code;
    va_start(ap, fmt);
    vsnprintf(v->text, sizeof v->text, fmt, ap);
    va_end(ap);
}

/* A box (msd, gas, alloy: the msd estimator's slot) that ran fewer replicas than its
 * fit needs, HOP_MIN_REPLICAS_PER_TIME per time point, in the run's box or in its
 * companion: only a time limit stops one there (resolve refuses fewer), and then the
 * fit's GLS weights, estimated from those few replicas, make sigma and every bound
 * computed from it unreliable, whatever they say (an fcc msd run stopped by
 * --time-limit 0.001 at 21 replicas of the 2000 was "converged").  The suggested limit
 * is the run's compute time scaled to the replicas needed, rounded up to two digits
 * (not the limit's: a box stops only at its first estimate past it, 0.37 s for that
 * run). */
static int stopped_early(const hop_result *r, hop_verdict *v)
{
    const hop_params *p = &r->params;
    const uint64_t least = HOP_MIN_REPLICAS_PER_TIME * (uint64_t)p->n_times;
    const int box = r->replicas < least;
    const uint64_t ran = box ? r->replicas : r->check_replicas;
    char longer[96] = "";
    if (p->estimator != HOP_EST_MSD || !(box || (r->check_size > 0 && ran < least)))
        return 0;
    if (p->time_limit > 0 && r->wall_s > 0 && ran > 0) {
        const double t = r->wall_s * (double)least / (double)ran;
        const double digit = pow(10.0, floor(log10(t)) - 1);
        snprintf(longer, sizeof longer, " (--time-limit %g or more)", ceil(t / digit) * digit);
    }
    hop_verdict_set(v, "stopped_early", "stopped early%s: %s %llu replicas, below the %llu %s "
                    "fit needs (%d per time point, --times %d): %s unreliable; run longer%s%s",
                    strcmp(r->stopped_by, "time limit") == 0 ? " by the time limit" : "",
                    box ? "the box ran" : "the half-size companion box ran",
                    (unsigned long long)ran, (unsigned long long)least, box ? "the" : "its",
                    HOP_MIN_REPLICAS_PER_TIME, p->n_times,
                    box ? "the error bars and bias bounds are" : "the finite-size bias bound is",
                    longer, p->n_times > 8 ? " or with fewer --times" : "");
    return 1;
}

void hop_verdict_of(const hop_result *r, hop_verdict *v)
{
    const hop_model *m = hop_model_get(r->params.model);
    const hop_estimator_ops *e = hop_model_estimator(&r->params);
    if (stopped_early(r, v))
        return;
    if (m && m->verdict)
        m->verdict(r, v);
    else if (e && e->verdict)
        e->verdict(r, v);
    else
        hop_verdict_msd(r, v);      /* f's bias against its sigma */
}

/* The truncation bound B at the outer radius R assumes f(R) - f = O(R^-p) with
 * p = max(1, d - 1) (stats/corr.c); the radius that would bring it below sigma is
 * R (B/sigma)^(1/p), rounded up to the next power of two times the innermost radius
 * so that the shells stay a doubling ladder. */
void hop_verdict_corr(const hop_result *r, hop_verdict *v)
{
    const hop_params *p = &r->params;
    const int dim = p->lattice ? p->lattice->dim : 3;
    const double power = dim >= 2 ? dim - 1 : 1;
    const hop_estimate *f = &r->f;
    double radius;
    if (!(f->bias > f->sigma)) {
        hop_verdict_set(v, "converged", "converged: statistical error dominates (f truncation "
                        "bound %.2g <= sigma %.2g)", f->bias, f->sigma);
        return;
    }
    radius = p->radius * pow(f->bias / f->sigma, 1.0 / power);
    radius = p->radius * pow(2.0, ceil(log2(radius / p->radius)));
    hop_verdict_set(v, "truncation", "the truncation bias bound of f (%.2g) exceeds sigma "
                    "(%.2g): use --radius %g or more", f->bias, f->sigma, radius);
}

/* Why no companion box bounded the bias: its fit failed, the option, or a box too small
 * to halve. */
static void unbounded(const hop_result *r, hop_verdict *v)
{
    const hop_params *p = &r->params;
    const int least = p->lattice ? 2 * p->lattice->min_size : 2;
    if (r->check_failed_size > 0)
        hop_verdict_set(v, "unbounded", "the finite-size bias is not bounded: the half-size "
                        "box (%d cells) ran but its fit failed (its particles barely move, or "
                        "too few replicas): use --size %d or more, or raise --time and "
                        "--replicas", r->check_failed_size, 2 * p->size);
    else if (!p->size_check)
        hop_verdict_set(v, "unbounded", "the finite-size bias is not bounded (--no-size-check): "
                        "run without it to bound it");
    else if (p->size < least)
        hop_verdict_set(v, "unbounded", "the finite-size bias is not bounded: the half-size "
                        "box is too small: use --size %d or more", least);
    else
        hop_verdict_set(v, "unbounded", "the finite-size bias is not bounded: the half-size "
                        "box could not run (too few particles or empty sites): raise --size");
}

/* One dimension, a vacancy among atoms in a ring of N sites: the atoms keep their order,
 * so at long times every one moves by minus the vacancy's displacement over N - 1, and
 * the box's f = D* / D_uncorrelated is exactly 1/(N - 1), while the infinite chain's is 0
 * (the tracer only oscillates).  The same holds for every model whose particles cannot
 * pass each other (the gas, the alloy's species: single-file motion, D* falling as
 * 1/N).  The bias is the whole value and falls as 1/N with sigma, so no --size brings it
 * below sigma: the verdict says so (of `name`, the first estimate judged) and, for one
 * vacancy on the plain chain, how far the box's f lies from its own exact value, instead
 * of a size that does not exist. */
static void one_dimensional(const hop_result *r, const char *name, const hop_estimate *e,
                            hop_verdict *v)
{
    const hop_lattice *L = r->params.lattice;
    const int one_vacancy = r->params.model == HOP_MODEL_VACANCY;
    const double ring = 1.0 / (double)(r->box_sites - 1);
    char exact[128] = "";
    if (one_vacancy && L->n_basis == 1 && !L->rate_total[0] && r->box_sites > 1)
        snprintf(exact, sizeof exact, ", 1/(N-1) = %.4g for one vacancy in %llu sites (%.1f "
                 "sigma away),", ring, (unsigned long long)r->box_sites,
                 fabs(e->value - ring) / e->sigma);
    hop_verdict_set(v, "one_dimensional", "one dimension: %s is 0 on the infinite chain "
                    "(the particles keep their order); this ring's %s (%.4g +- %.2g) is the "
                    "finite-size effect itself%s and no --size bounds it below sigma: take %s "
                    "= 0%s", name, name, e->value, e->sigma, exact, name,
                    one_vacancy ? " (D_sigma has no finite-size bias)" : "");
}

/* The edge that brings f's finite-size bound below sigma, from the companion box's
 * numbers, or 0 when no edge does.  The bound (models/estimators.c, hop_size_bias) is
 * k (|f_c - f| + 2 s), k = N_c/(N - N_c) (1/(2^d - 1) for half the edge), s the standard
 * error of the difference: the first part falls as 1/N, the second, the companion's
 * noise, does not (the same replicas at any size), so the edge L' meets sigma where
 * k |f_c - f| (L/L')^d = sigma - 2 k s, which needs sigma > 2 k s.  Nor does the first
 * part fall where the boxes agree within 2 s: the difference is then noise too.  Both
 * happen in 2D, where 2 k s is about 0.94 sigma and a difference of noise alone makes
 * the bound about 1.2 sigma at any size (scaling the whole bound as 1/N suggested
 * sizes whose bound was still above sigma: the square lattice's default msd run was
 * told --size 29, and at --size 47 it read 0.0033 against sigma 0.0028). */
static double size_for_f(const hop_result *r, int dim)
{
    const hop_estimate *f = &r->f, *c = &r->f_check;
    const double k = (double)r->check_box_sites / (double)(r->box_sites - r->check_box_sites);
    const double s = sqrt(f->sigma * f->sigma + c->sigma * c->sigma);
    const double difference = fabs(c->value - f->value);
    if (!(2.0 * k * s < f->sigma) || difference <= 2.0 * s)
        return 0;
    return r->params.size * pow(k * difference / (f->sigma - 2.0 * k * s), 1.0 / dim);
}

/* The finite-size bias falls as 1/N, N = size^d sites: bound B at edge L goes below
 * sigma at L (B/sigma)^(1/d); for f with its companion box's numbers at hand, the edge
 * of size_for_f, which leaves the companion's noise out of the scaling. */
int hop_verdict_size(const hop_result *r, const char *const *names,
                     const hop_estimate *const *e, int n, hop_verdict *v)
{
    const hop_params *p = &r->params;
    const int dim = p->lattice ? p->lattice->dim : 3;
    const hop_model *m = hop_model_get(p->model);
    int worst = -1;
    double worst_ratio = 1.0;
    if (dim == 1 && m && m->correlated && n > 0) {
        one_dimensional(r, names[0], e[0], v);
        return 0;
    }
    for (int i = 0; i < n; ++i) {
        if (isnan(e[i]->bias) && isfinite(e[i]->value)) {
            unbounded(r, v);
            return 0;
        }
        if (e[i]->bias > e[i]->sigma && e[i]->bias / e[i]->sigma > worst_ratio) {
            worst = i;
            worst_ratio = e[i]->bias / e[i]->sigma;
        }
    }
    if (worst >= 0) {
        const int own = e[worst] == &r->f && r->check_size > 0
                        && r->box_sites > r->check_box_sites;
        const double edge = own ? size_for_f(r, dim) : p->size * pow(worst_ratio, 1.0 / dim);
        const int size = (int)ceil(edge);
        if (own && edge == 0) {
            hop_verdict_set(v, "finite_size", "the finite-size bias bound of %s (%.2g) exceeds "
                            "sigma (%.2g), but it is the noise of the two boxes' difference "
                            "(%.2g, standard error %.2g) times N_c/(N - N_c) = %.3g, which "
                            "no --size lowers: no finite-size effect is seen at this "
                            "precision", names[worst], e[worst]->bias, e[worst]->sigma,
                            fabs(r->f_check.value - r->f.value),
                            sqrt(r->f.sigma * r->f.sigma + r->f_check.sigma * r->f_check.sigma),
                            (double)r->check_box_sites
                                / (double)(r->box_sites - r->check_box_sites));
            return 0;
        }
        hop_verdict_set(v, "finite_size", "the finite-size bias bound of %s (%.2g) exceeds "
                        "sigma (%.2g): use --size %d or more", names[worst], e[worst]->bias,
                        e[worst]->sigma, size > p->size ? size : p->size + 1);
        return 0;
    }
    hop_verdict_set(v, "converged", "converged: statistical error dominates (%s finite-size "
                    "bound %.2g <= sigma %.2g)", names[0], e[0]->bias, e[0]->sigma);
    return 1;
}

void hop_verdict_msd(const hop_result *r, hop_verdict *v)
{
    static const char *const names[] = {"f"};
    const hop_estimate *const e[] = {&r->f};
    hop_verdict_size(r, names, e, 1, v);
}

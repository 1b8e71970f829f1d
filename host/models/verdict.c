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

/* The edge that brings an estimate x's bound below sigma, from the companion box's
 * numbers (parts: hop_size_parts), or 0 when no edge does.  The bound is rest + k
 * (|x_c - x| + 2 s) (models/estimators.c, hop_size_bias), k = N_c/(N - N_c), s the
 * standard error of the difference.  In a box of x = N'/N times the sites (the same
 * replicas, the same relaxation times or jumps per atom) the drift k |x_c - x| falls as
 * 1/N, while the noise 2 k s, the rest and sigma itself all fall alike, as
 * x^-sigma_power; so the bound meets sigma where k |x_c - x| / x = (sigma - 2 k s -
 * rest) x^-sigma_power, which needs sigma > 2 k s + rest.  Where the rest alone leaves
 * no room (the alloy's run-length part), *rest_too is set and the edge is the one that
 * brings the box part below sigma.  No edge where the boxes agree within 2 s (the
 * difference is then noise too) or where 2 k s >= sigma.  (Scaling the whole bound as
 * 1/N suggested sizes whose bound was still above sigma: the square lattice's default
 * msd run, with the former half-edge companion, was told --size 29, and at --size 47 it
 * read 0.0033 against sigma 0.0028.) */
static double size_for(const hop_result *r, const hop_estimate *x, const hop_size_parts *parts,
                       int dim, int *rest_too)
{
    const hop_estimate *c = parts->check;
    const double k = (double)r->check_box_sites / (double)(r->box_sites - r->check_box_sites);
    const double s = sqrt(x->sigma * x->sigma + c->sigma * c->sigma);
    const double difference = fabs(c->value - x->value);
    double room = x->sigma - 2.0 * k * s - parts->rest;
    *rest_too = !(room > 0) && parts->rest > 0;
    if (*rest_too)
        room += parts->rest;
    if (!(room > 0) || difference <= 2.0 * s)
        return 0;
    return r->params.size
           * pow(k * difference / room, 1.0 / ((1.0 - parts->sigma_power) * dim));
}

/* The finite-size verdict of x (named `name`) from its companion's numbers (own): the
 * --size of size_for, said with the size effect the boxes measure; or, where no size
 * lowers the box part, that it is noise.  Where sigma falls with the box (the alloy), the
 * box that brings the bound below sigma can be impractical (square's default run was
 * told --size 103 to 9907; fcc's 47, 831 times the exchanges), so quoting the measured
 * size effect as a systematic error is named first; the cost counts the sites only (a
 * 2D alloy run also grows with the box past 512 sites: "at least"). */
static void split_verdict(const hop_result *r, const char *name, const hop_estimate *x,
                          const hop_size_parts *own, int dim, hop_verdict *v)
{
    const hop_estimate *c = own->check;
    const double k = (double)r->check_box_sites / (double)(r->box_sites - r->check_box_sites);
    const int here = r->params.size;
    int rest_too, size;
    const double edge = size_for(r, x, own, dim, &rest_too);
    if (edge == 0) {
        hop_verdict_set(v, "finite_size", "the finite-size bias bound of %s (%.2g) exceeds "
                        "sigma (%.2g), but its box part is the noise of the two boxes' "
                        "difference (%.2g, standard error %.2g) times N_c/(N - N_c) = %.3g, "
                        "which no --size lowers: no finite-size effect is seen at this "
                        "precision", name, x->bias, x->sigma, fabs(c->value - x->value),
                        sqrt(x->sigma * x->sigma + c->sigma * c->sigma), k);
        return;
    }
    size = (int)ceil(edge) > here ? (int)ceil(edge) : here + 1;
    if (rest_too)
        hop_verdict_set(v, "finite_size", "the finite-size bias bound of %s (%.2g) exceeds "
                        "sigma (%.2g); the boxes put the size effect at %.2g: use --size %d "
                        "or more for it, and more --time for the run-length part (%.2g), "
                        "which alone leaves no room below sigma", name, x->bias, x->sigma,
                        k * fabs(c->value - x->value), size, own->rest);
    else if (own->sigma_power > 0)
        hop_verdict_set(v, "finite_size", "the finite-size bias bound of %s (%.2g) exceeds "
                        "sigma (%.2g); the boxes put the size effect at %.2g: quote it as a "
                        "systematic error, or use --size %d or more (at these --replicas: "
                        "at least %.3g times the exchanges, sigma falling with the box too)",
                        name, x->bias, x->sigma, k * fabs(c->value - x->value), size,
                        pow((double)size / here, dim));
    else
        hop_verdict_set(v, "finite_size", "the finite-size bias bound of %s (%.2g) exceeds "
                        "sigma (%.2g); the boxes put the size effect at %.2g: use --size %d "
                        "or more", name, x->bias, x->sigma, k * fabs(c->value - x->value),
                        size);
}

/* The finite-size bias falls as 1/N, N = size^d sites: bound B at edge L goes below
 * sigma at L (B/sigma)^(1/d); for f with its companion box's numbers at hand (or an
 * estimate with its parts), the edge of size_for, which scales only the drift as 1/N. */
int hop_verdict_size(const hop_result *r, const char *const *names,
                     const hop_estimate *const *e, int n, hop_verdict *v)
{
    return hop_verdict_size_parts(r, names, e, NULL, n, v);
}

int hop_verdict_size_parts(const hop_result *r, const char *const *names,
                           const hop_estimate *const *e, const hop_size_parts *parts, int n,
                           hop_verdict *v)
{
    const hop_size_parts f_parts = {&r->f_check, 0.0, 0.0};
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
        const hop_size_parts *own = parts && parts[worst].check ? &parts[worst]
                                    : e[worst] == &r->f ? &f_parts : NULL;
        const double edge = p->size * pow(worst_ratio, 1.0 / dim);
        const int size = (int)ceil(edge);
        if (own && r->check_size > 0 && r->box_sites > r->check_box_sites) {
            split_verdict(r, names[worst], e[worst], own, dim, v);
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

/* alloy_runlength.c: the run-length law of the binary random alloy, measured (not a
 * test; the data of results/alloys/LATTICE/runlength-law-CASE.csv, which
 * scripts/alloy-runlength makes with it).
 *
 * One run of hop's alloy (CPU backend, one thread) to t_max with `times` points on hop's
 * geometric grid; then, for every grid point t_k, hop's own estimate (hop_alloy_estimate)
 * of the run cut at t_k: the accumulators of the first k + 1 points are exactly those of
 * a run of length t_k on a grid of the same spacing, so the fit window [fit_from t_k, t_k]
 * and the early window of the run-length bound are hop's for that run.  The runs of every
 * length share their replicas, so the differences between lengths are precise.  The same
 * for each of BATCHES equal independent batches of the replicas (rows with batch 0 ..
 * BATCHES - 1; the whole run is batch -1): their scatter is the error of anything
 * computed from the curve of f against the run length (jackknife).
 *
 *   alloy_runlength LATTICE SIZE C_B W_B TIME REPLICAS TIMES SEED BATCHES
 *
 * species A (rate 1, the time unit) and B (fraction C_B, rate W_B); TIME in 1/w_A.
 * Prints one CSV row per cut (columns in the header); bad arguments exit 2. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backend/cpu.h"
#include "models/alloy.h"
#include "stats/msd.h"

/* The accumulators of the first k time points of a (k <= a->n_times). */
static hop_msd_accum *accum_cut(const hop_msd_accum *a, int k, int n_groups)
{
    hop_msd_accum *c = hop_msd_accum_alloc(k, n_groups);
    const int K = a->n_times, S = a->n_series;
    if (!c)
        return NULL;
    c->replicas = a->replicas;
    c->tracer_jumps = a->tracer_jumps;
    c->vacancy_steps = a->vacancy_steps;
    for (int q = 0; q < S; ++q)
        for (int i = 0; i < k; ++i) {
            c->sum[q * k + i] = a->sum[q * K + i];
            for (int j = 0; j < k; ++j)
                c->square[(q * k + i) * k + j] = a->square[(q * K + i) * K + j];
        }
    for (int i = 0; i < k; ++i)
        for (int j = 0; j < k; ++j)
            c->cross[i * k + j] = a->cross[i * K + j];
    return c;
}

/* One row per cut of the run in acc (batch b; -1 the whole run). */
static void print_cuts(const hop_params *p, const hop_alloy_model *m, const hop_msd_accum *acc,
                       int groups, int b);

static void print_estimate(const hop_estimate *e)
{
    printf(",%.9g,%.9g,%.9g", e->value, e->sigma, e->bias);
}

int main(int argc, char **argv)
{
    static const char *const names[] = {"A", "B"};
    hop_params p;
    hop_alloy_model *m;
    hop_msd_accum *acc;
    char msg[256];
    const uint64_t chunk = 250;
    int used, groups;
    hop_msd_accum *batch[64];
    int n_batches;
    if (argc != 10 || (n_batches = atoi(argv[9])) < 1 || n_batches > 64) {
        fprintf(stderr, "usage: alloy_runlength LATTICE SIZE C_B W_B TIME REPLICAS TIMES SEED "
                "BATCHES (1 .. 64)\n");
        return 2;
    }
    hop_params_default(&p);
    p.lattice = hop_lattice_find(argv[1]);
    p.estimator = HOP_EST_MSD;
    p.model = HOP_MODEL_ALLOY;
    p.size = atoi(argv[2]);
    p.alloy.n_species = 2;
    for (int i = 0; i < 2; ++i)
        snprintf(p.alloy.name[i], HOP_ALLOY_NAME_LEN, "%s", names[i]);
    p.alloy.fraction[1] = atof(argv[3]);
    p.alloy.fraction[0] = 1 - p.alloy.fraction[1];
    p.alloy.w[0] = 1;
    p.alloy.w[1] = atof(argv[4]);
    p.time = atof(argv[5]);
    p.replicas = strtoull(argv[6], NULL, 10);
    p.n_times = atoi(argv[7]);
    p.seed = strtoull(argv[8], NULL, 10);
    p.threads = 1;
    p.size_check = 0;
    p.backend = HOP_BACKEND_CPU;
    if (!p.lattice || hop_params_resolve(&p, msg, sizeof msg) != HOP_OK) {
        fprintf(stderr, "alloy_runlength: %s\n", p.lattice ? msg : "no such lattice");
        return 2;
    }
    m = hop_alloy_model_alloc(&p);
    acc = m ? hop_alloy_accum_alloc(m) : NULL;
    if (!acc)
        return 1;
    groups = acc->n_series - HOP_SERIES_GROUP0;
    for (int b = 0; b < n_batches; ++b)
        if (!(batch[b] = hop_alloy_accum_alloc(m)))
            return 1;
    for (uint64_t first = 0; first < p.replicas; first += chunk) {
        const uint64_t n = p.replicas - first < chunk ? p.replicas - first : chunk;
        hop_msd_accum *into = batch[first * (uint64_t)n_batches / p.replicas];
        if (hop_cpu_alloy(p.lattice, &m->ap, &m->box, p.seed, first, n, 1, &used, into) != HOP_OK)
            return 1;
        fprintf(stderr, "alloy_runlength: %llu of %llu replicas\n",
                (unsigned long long)(first + n), (unsigned long long)p.replicas);
    }
    printf("batch,t,law,lever");
    for (int e = 0; e < 2; ++e)
        printf(",f_%s,f_%s_sigma,f_%s_bound,f_%s_diff,f_%s_diff_sigma", names[e], names[e],
               names[e], names[e], names[e]);
    printf(",L_AB,L_AB_sigma,L_AB_bound,L_AA,L_AA_sigma,L_AA_bound,L_BB,L_BB_sigma,L_BB_bound\n");
    for (int b = 0; b < n_batches; ++b) {
        hop_msd_accum_merge(acc, batch[b]);
        print_cuts(&p, m, batch[b], groups, b);
        hop_msd_accum_free(batch[b]);
    }
    print_cuts(&p, m, acc, groups, -1);
    hop_msd_accum_free(acc);
    hop_alloy_model_free(m);
    return 0;
}

static void print_cuts(const hop_params *p, const hop_alloy_model *m, const hop_msd_accum *acc,
                       int groups, int b)
{
    for (int k = 8; k <= m->ap.n_times; ++k) {
        hop_alloy_model cut = *m;
        hop_msd_accum *c = accum_cut(acc, k, groups);
        hop_result r;
        memset(&r, 0, sizeof r);
        cut.ap.n_times = k;
        if (!c)
            return;
        c->vacancy_steps = (uint64_t)((double)acc->vacancy_steps * m->ap.time_ticks[k - 1]
                                      / m->ap.time_ticks[m->ap.n_times - 1]);
        if (hop_alloy_estimate(p, &cut, c, &r) == HOP_OK) {
            printf("%d,%.9g,%d,%.6g", b, (double)m->ap.time_ticks[k - 1] * m->ap.time_unit,
                   r.alloy.run_law, r.alloy.run_lever);
            for (int e = 0; e < 2; ++e) {
                /* the run-length difference of D* in units of f */
                const double to_f = r.alloy.f[e].value / r.alloy.D_star[e].value;
                print_estimate(&r.alloy.f[e]);
                printf(",%.9g,%.9g", r.alloy.run_bias[e].value * to_f,
                       r.alloy.run_bias[e].sigma * to_f);
            }
            print_estimate(&r.alloy.onsager[0][1]);
            print_estimate(&r.alloy.onsager[0][0]);
            print_estimate(&r.alloy.onsager[1][1]);
            printf("\n");
        }
        hop_msd_accum_free(c);
    }
}

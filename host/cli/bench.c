/* bench.c: `hop bench`.  For every lattice it times the corr estimator exactly as
 * `hop run` runs it (vacancy steps per second: per thread on the cpu backend, for the
 * whole device on cuda) and, in the same process, a ceiling that draws the same number
 * of Philox words from the same streams and does nothing else (a loop on the CPU, a
 * kernel on the GPU, kernels/ceiling.cu); the ratio shows how far the step code
 * is from RNG-bound.  Then it measures the wall time `hop run --lattice fcc` needs for
 * sigma(f) <= target with the truncation bias bound below sigma.
 *
 * On cuda the figures are kernel time, measured with CUDA events (no allocations,
 * copies or host work), of at least BENCH_MIN_SECONDS each (a pilot sizes the real
 * measurement; the tail of the last long walk is then a small part of it), in whole
 * waves of the replicas the device keeps resident (hop_cuda_wave: no launch ends with a
 * partly filled wave).  The ceiling is measured the same way. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "hop_git.h"
#include "base/atomic_file.h"
#include "backend/cpu.h"
#include "backend/cuda.h"
#include "cli/bench.h"
#include "models/gas.h"
#include "models/alloy.h"
#include "base/parse.h"
#include "run/run.h"

/* Kernel time of one cuda measurement, at least. */
#define BENCH_MIN_SECONDS 0.1
/* Rows per gas and msd batch buffer at most (the backends' own caps). */
#define BENCH_BATCH_CAP (UINT64_C(1) << 20)

/* Replicas for a measurement: n rounded up to whole waves of `wave`; after a pilot of n
 * replicas that took t seconds (t > 0), enough whole waves for BENCH_MIN_SECONDS with
 * 10 % to spare.  wave 1 (cpu): n itself when t is 0. */
static uint64_t bench_waves(uint64_t n, double t, uint64_t wave)
{
    double want = (double)n;
    uint64_t waves;
    if (t > 0 && t < BENCH_MIN_SECONDS)
        want *= 1.1 * BENCH_MIN_SECONDS / t;
    waves = (uint64_t)ceil(want / (double)wave);
    return (waves > 0 ? waves : 1) * wave;
}

/* A batch buffer of whole waves, at most BENCH_BATCH_CAP rows (one wave if larger). */
static uint64_t bench_batch(uint64_t wave)
{
    return wave < BENCH_BATCH_CAP ? BENCH_BATCH_CAP / wave * wave : wave;
}

/* Seconds since t0 on the cpu (wall), the event-timed kernel seconds since the last
 * reset on cuda. */
static double bench_seconds(int backend, double t0)
{
    return backend == HOP_BACKEND_CUDA ? hop_cuda_kernel_seconds(1) : hop_wall_seconds() - t0;
}

typedef struct {
    const char *lattice;
    double steps_per_s, ceiling_per_s, msd_steps_per_s;
    double solute_steps_per_s;      /* the five-frequency model (fcc, bcc), else 0 */
} bench_row;

/* Draw `words` (a multiple of 4) Philox words for each of `count` replicas. */
static uint32_t philox_ceiling(uint64_t seed, uint64_t count, uint64_t words, int threads)
{
    uint32_t sink = 0;
    #pragma omp parallel for num_threads(threads) reduction(^:sink) schedule(dynamic, 1024)
    for (uint64_t r = 0; r < count; ++r) {
        hop_philox rng;
        uint32_t w[4];
        hop_philox_init(&rng, seed, r, 0);
        for (uint64_t i = 0; i < words; i += 4) {
            hop_philox_next4(&rng, w);
            sink ^= w[0] ^ w[1] ^ w[2] ^ w[3];
        }
    }
    return sink;
}

/* The corr estimator's counts for replicas [0, *replicas) on a backend (reset first),
 * in *t seconds; on cuda *replicas grows to whole waves of at least BENCH_MIN_SECONDS. */
static hop_status corr_counts(int backend, const hop_lattice *L, const hop_corr_params *cp,
                              uint64_t seed, uint64_t *replicas, int threads, int *used,
                              hop_corr_counts *counts, double *t)
{
    uint64_t wave = 1;
    int batches = 0;
    hop_status s;
    *used = 1;
    if (backend != HOP_BACKEND_CUDA) {
        const double t0 = hop_wall_seconds();
        hop_corr_counts_init(counts, counts->n_types, counts->n_shells);
        s = hop_cpu_corr(L, cp, seed, 0, *replicas, threads, used, counts);
        *t = hop_wall_seconds() - t0;
        return s;
    }
    if ((s = hop_cuda_wave(L, cp, NULL, &wave)) != HOP_OK)
        return s;
    *replicas = bench_waves(*replicas, 0, wave);
    for (int pass = 0; pass < 2; ++pass) {
        hop_corr_counts_init(counts, counts->n_types, counts->n_shells);
        hop_cuda_kernel_seconds(1);
        s = hop_cuda_run_corr(L, cp, seed, 0, *replicas, *replicas, counts, &batches);
        *t = bench_seconds(backend, 0);
        if (s != HOP_OK || *t >= BENCH_MIN_SECONDS)
            break;
        *replicas = bench_waves(*replicas, *t, wave);
    }
    return s;
}

/* The msd estimator's accumulators for replicas [0, *replicas) (reset first), in *t
 * seconds; on cuda as corr_counts. */
static hop_status msd_accum(int backend, const hop_lattice *L, const hop_msd_params *mp,
                            uint64_t seed, uint64_t *replicas, int threads, int *used,
                            hop_msd_accum **acc, double *t)
{
    uint64_t wave = 1;
    int batches = 0;
    hop_status s = HOP_OK;
    *used = 1;
    if (backend == HOP_BACKEND_CUDA && (s = hop_cuda_wave(L, NULL, NULL, &wave)) != HOP_OK)
        return s;
    *replicas = bench_waves(*replicas, 0, wave);
    for (int pass = 0; pass < 2; ++pass) {
        const double t0 = hop_wall_seconds();
        hop_msd_accum_free(*acc);
        if (!(*acc = hop_msd_accum_alloc(mp->n_times, L->n_groups)))
            return HOP_ERR_NOMEM;
        hop_cuda_kernel_seconds(1);
        s = backend == HOP_BACKEND_CUDA
                ? hop_cuda_run_msd(L, mp, seed, 0, *replicas, bench_batch(wave), *acc, &batches)
                : hop_cpu_msd(L, mp, seed, 0, *replicas, threads, used, *acc);
        *t = bench_seconds(backend, t0);
        if (s != HOP_OK || backend != HOP_BACKEND_CUDA || *t >= BENCH_MIN_SECONDS)
            break;
        *replicas = bench_waves(*replicas, *t, wave);
    }
    return s;
}

/* The Philox ceiling: `words` words (a multiple of 4) for each of *replicas replicas, in
 * *t seconds; on cuda *replicas is rounded to whole waves of the ceiling kernel and
 * grown to at least BENCH_MIN_SECONDS, as the step kernels are. */
static hop_status ceiling_seconds(int backend, uint64_t seed, uint64_t *replicas, uint64_t words,
                                  int threads, double *t, uint32_t *sink)
{
    uint64_t wave = 1;
    hop_status s;
    if (backend != HOP_BACKEND_CUDA) {
        const double t0 = hop_wall_seconds();
        *sink ^= philox_ceiling(seed, *replicas, words, threads);
        *t = hop_wall_seconds() - t0;
        return HOP_OK;
    }
    if ((s = hop_cuda_wave(NULL, NULL, NULL, &wave)) != HOP_OK)
        return s;
    *replicas = bench_waves(*replicas, 0, wave);
    for (int pass = 0; pass < 2; ++pass) {
        s = hop_cuda_time_ceiling(seed, *replicas, words, t);
        if (s != HOP_OK || *t >= BENCH_MIN_SECONDS)
            break;
        *replicas = bench_waves(*replicas, *t, wave);
    }
    return s;
}

static hop_status bench_lattice(int backend, const hop_lattice *L, uint64_t replicas,
                                uint64_t msd_replicas, int threads, bench_row *row,
                                uint32_t *sink)
{
    hop_params p;
    hop_corr_params cp;
    hop_msd_params mp;
    hop_corr_counts *counts = hop_corr_counts_alloc(L->n_sub * L->z, HOP_MAX_SHELLS);
    hop_msd_accum *acc = NULL;
    double radius[HOP_MAX_SHELLS], t_corr = 0, t_ceil = 0, t_msd = 0, t_solute = 0;
    uint64_t words, n = replicas, n_ceil, n_msd = msd_replicas;
    char msg[256];
    int used = 0;
    hop_status s;
    if (!counts)
        return HOP_ERR_NOMEM;
    hop_params_default(&p);
    p.lattice = L;
    p.backend = backend;
    p.threads = threads;
    /* Parameters are resolved with the default replica count; the bench then times
     * its own counts directly (throughput needs no minimum for the statistics). */
    if ((s = hop_params_resolve(&p, msg, sizeof msg)) != HOP_OK) {
        free(counts);
        return hop_error(s, "%s", msg);
    }
    hop_run_corr_params(&p, radius, &cp);
    hop_corr_counts_init(counts, L->n_sub * L->z, p.shells);
    s = corr_counts(backend, L, &cp, p.seed, &n, threads, &used, counts, &t_corr);
    if (s == HOP_OK) {
        /* Two choices per word: the corr run consumed steps/2 words, rounded up to whole
         * curand4 calls per replica; the ceiling draws the same number per replica. */
        words = (hop_corr_counts_steps(counts) / 2 + n - 1) / n;
        words = (words + 3) / 4 * 4;
        n_ceil = n;
        s = ceiling_seconds(backend, p.seed, &n_ceil, words, threads, &t_ceil, sink);
        row->lattice = L->name;
        row->steps_per_s = (double)hop_corr_counts_steps(counts) / t_corr / used;
        row->ceiling_per_s = 2.0 * (double)(words * n_ceil) / t_ceil / used;
    }
    row->solute_steps_per_s = 0;
    if (s == HOP_OK && (strcmp(L->name, "fcc") == 0 || strcmp(L->name, "bcc") == 0)) {
        /* The rate-dependent step on the same replicas, unequal rates in every class. */
        p.model = HOP_MODEL_SOLUTE;
        p.w[0] = 1, p.w[1] = L->name[0] == 'f' ? 0.8 : 0, p.w[2] = 2.5, p.w[3] = 0.45, p.w[4] = 3.7;
        if ((s = hop_params_resolve(&p, msg, sizeof msg)) != HOP_OK) {
            free(counts);
            return hop_error(s, "%s", msg);
        }
        hop_run_corr_params(&p, radius, &cp);
        hop_corr_counts_init(counts, L->n_sub * L->z, p.shells);
        n = replicas;
        s = corr_counts(backend, L, &cp, p.seed, &n, threads, &used, counts, &t_solute);
        row->solute_steps_per_s = (double)hop_corr_counts_steps(counts) / t_solute / used;
        p.model = HOP_MODEL_VACANCY;
        memset(p.w, 0, sizeof p.w);
    }
    if (s == HOP_OK) {
        p.estimator = HOP_EST_MSD;
        p.replicas = 0;
        if ((s = hop_params_resolve(&p, msg, sizeof msg)) != HOP_OK) {
            free(counts);
            return hop_error(s, "%s", msg);
        }
        hop_run_msd_params(&p, p.size, &mp);
        s = msd_accum(backend, L, &mp, p.seed, &n_msd, threads, &used, &acc, &t_msd);
        if (s == HOP_OK)
            row->msd_steps_per_s = (double)acc->vacancy_steps / t_msd / used;
    }
    hop_msd_accum_free(acc);
    free(counts);
    return s;
}

/* The lattice gas (host/models/gas.h): attempted jumps per second (per thread on the cpu
 * backend, whole device on cuda) in the default box at concentration c, beside the
 * ceiling that draws as many Philox words (one per attempt; the J != 0 acceptance test
 * draws more) from the same streams.  On cuda, in the GPU workspace layout `layout`
 * (HOP_GAS_LAYOUT_*, include/hop/gas.h): the layouts are compared on sc. */
typedef struct {
    const char *lattice;
    double c, J;
    int layout;
    double attempts_per_s, ceiling_per_s;
} bench_gas_row;

static const char *gas_layout_name(int backend, int layout)
{
    static const char *names[] = {"auto", "shared", "device", "striped"};
    return backend == HOP_BACKEND_CUDA ? names[layout] : "cpu";
}

static hop_status bench_gas(int backend, int threads, uint64_t replicas, bench_gas_row *row,
                            uint32_t *sink)
{
    hop_params p;
    hop_gas_model *m = NULL;
    hop_msd_accum *acc = NULL;
    char msg[256];
    double t_run = 0, t_ceil = 0;
    uint64_t words, n = replicas, n_ceil, wave = 1;
    int used = 1, batches = 0;
    hop_status s;
    hop_params_default(&p);
    p.lattice = hop_lattice_find(row->lattice);
    p.model = HOP_MODEL_GAS;
    p.c = row->c;
    p.J = row->J;
    p.backend = backend;
    p.threads = threads;
    p.replicas = UINT64_C(1) << 20;     /* resolve's minimum; the bench runs `replicas` */
    if ((s = hop_params_resolve(&p, msg, sizeof msg)) != HOP_OK)
        return hop_error(s, "bench gas: %s", msg);
    if (!(m = hop_gas_model_alloc(&p)))
        return HOP_ERR_NOMEM;
    m->layout = row->layout;
    if (backend == HOP_BACKEND_CUDA && (s = hop_cuda_wave(p.lattice, NULL, m, &wave)) != HOP_OK) {
        hop_gas_model_free(m);
        return s;
    }
    /* whole waves (every replica makes the same attempts), batches of whole waves, and
     * on cuda at least BENCH_MIN_SECONDS of kernel time (as corr_counts) */
    n = bench_waves(n, 0, wave);
    for (int pass = 0; pass < 2; ++pass) {
        const double t0 = hop_wall_seconds();
        hop_msd_accum_free(acc);
        if (!(acc = hop_gas_accum_alloc(p.lattice, &m->gp))) {
            s = HOP_ERR_NOMEM;
            break;
        }
        hop_cuda_kernel_seconds(1);
        s = backend == HOP_BACKEND_CUDA
                ? hop_cuda_run_gas(p.lattice, m, p.seed, 0, n, bench_batch(wave), acc, &batches)
                : hop_cpu_gas(p.lattice, m, p.seed, 0, n, threads, &used, acc);
        t_run = bench_seconds(backend, t0);
        if (s != HOP_OK || backend != HOP_BACKEND_CUDA || t_run >= BENCH_MIN_SECONDS)
            break;
        n = bench_waves(n, t_run, wave);
    }
    /* attempts made, equilibration included (the same per replica) */
    words = (uint64_t)(m->gp.time_attempts[m->gp.n_times - 1] + m->gp.equil_attempts + 3) / 4 * 4;
    if (s == HOP_OK) {
        row->attempts_per_s = (double)(words * n) / t_run / used;
        n_ceil = n;
        s = ceiling_seconds(backend, p.seed, &n_ceil, words, threads, &t_ceil, sink);
        row->ceiling_per_s = (double)(words * n_ceil) / t_ceil / used;
    }
    hop_msd_accum_free(acc);
    hop_gas_model_free(m);
    return s;
}

/* The concentrated alloy (host/models/alloy.h): vacancy exchanges per second (per
 * thread on the cpu backend, whole device on cuda) in the default fcc box, A50B50 with
 * w_B/w_A = 0.2 and the default run length (its 40 time points' records, O(sites z)
 * each, are then a few per cent of the time), with and without a pair energy, beside the
 * ceiling that draws the same Philox words (two per exchange) from the same streams. */
typedef struct {
    double pair;                /* A-B pair energy, kT */
    double exchanges_per_s, ceiling_per_s;
} bench_alloy_row;

static hop_status bench_alloy(int backend, int threads, uint64_t replicas, bench_alloy_row *row,
                              uint32_t *sink)
{
    hop_params p;
    hop_alloy_model *m = NULL;
    hop_msd_accum *acc = NULL;
    char msg[256];
    double t_run = 0, t_ceil = 0;
    uint64_t words, n_ceil;
    int used = 1, batches = 0;
    hop_status s;
    hop_params_default(&p);
    p.lattice = hop_lattice_find("fcc");
    p.model = HOP_MODEL_ALLOY;
    p.backend = backend;
    p.threads = threads;
    p.alloy.n_species = 2;
    snprintf(p.alloy.name[0], HOP_ALLOY_NAME_LEN, "A");
    snprintf(p.alloy.name[1], HOP_ALLOY_NAME_LEN, "B");
    p.alloy.fraction[0] = p.alloy.fraction[1] = 0.5;
    p.alloy.w[0] = 1;
    p.alloy.w[1] = 0.2;
    p.alloy.pair[0][1] = p.alloy.pair[1][0] = row->pair;
    p.replicas = UINT64_C(1) << 20;     /* resolve's minimum; the bench runs `replicas` */
    if ((s = hop_params_resolve(&p, msg, sizeof msg)) != HOP_OK)
        return hop_error(s, "bench alloy: %s", msg);
    if (!(m = hop_alloy_model_alloc(&p)) || !(acc = hop_alloy_accum_alloc(m))) {
        hop_alloy_model_free(m);
        return HOP_ERR_NOMEM;
    }
    {
        const double t0 = hop_wall_seconds();
        hop_cuda_kernel_seconds(1);
        s = backend == HOP_BACKEND_CUDA
                ? hop_cuda_run_alloy(p.lattice, &m->ap, &m->box, p.seed, 0, replicas, 0, acc,
                                     &batches)
                : hop_cpu_alloy(p.lattice, &m->ap, &m->box, p.seed, 0, replicas, threads, &used,
                                acc);
        t_run = bench_seconds(backend, t0);
    }
    if (s == HOP_OK) {
        /* two words per exchange (equilibration included with a pair energy: its
         * exchanges are not counted, so the figure is a lower bound there) */
        row->exchanges_per_s = (double)acc->vacancy_steps / t_run / used;
        words = (2 * acc->vacancy_steps / replicas + 3) / 4 * 4;
        n_ceil = replicas;
        s = ceiling_seconds(backend, p.seed, &n_ceil, words, threads, &t_ceil, sink);
        row->ceiling_per_s = (double)(words * n_ceil) / 2 / t_ceil / used;
    }
    hop_msd_accum_free(acc);
    hop_alloy_model_free(m);
    return s;
}

/* The fcc timing: `hop run --lattice fcc` with enough replicas for sigma(f) <= target
 * and the truncation bias bound below sigma.  A pilot run sizes the real one; while the
 * bound is not below sigma the radius doubles and the run is repeated. */
typedef struct {
    double target, wall, sigma, bias, radius;
    uint64_t replicas;
} bench_target_result;

static hop_status bench_target(int backend, int threads, bench_target_result *t)
{
    hop_params p;
    hop_result *r = NULL;
    hop_status s;
    hop_params_default(&p);
    p.backend = backend;
    p.threads = threads;
    p.replicas = backend == HOP_BACKEND_CUDA ? UINT64_C(1) << 22 : UINT64_C(1) << 16;
    if ((s = hop_run_execute(&p, &r)) != HOP_OK)
        return s;
    p.replicas = (uint64_t)ceil(p.replicas * pow(1.02 * r->f.sigma / t->target, 2));
    p.radius = r->params.radius;
    hop_result_free(r);
    for (int attempt = 0; attempt < 3; ++attempt) {
        if ((s = hop_run_execute(&p, &r)) != HOP_OK)
            return s;
        t->wall = r->wall_s;
        t->sigma = r->f.sigma;
        t->bias = r->f.bias;
        t->radius = r->params.radius;
        t->replicas = p.replicas;
        hop_result_free(r);
        if (t->bias < t->sigma)
            break;
        p.radius *= 2;
    }
    return HOP_OK;
}

static void usage(FILE *out)
{
    fprintf(out,
        "usage: hop bench [options]\n"
        "  Vacancy steps/s of the corr and msd estimators for each lattice, beside a\n"
        "  ceiling that only draws the same Philox words, the solute model's rate-dependent\n"
        "  step (fcc, bcc), the lattice gas's attempted jumps/s (sc, fcc, square at c = 0.5;\n"
        "  sc also at J = 0.5) beside the same ceiling, the concentrated alloy's vacancy\n"
        "  exchanges/s (fcc A50B50, with and without a pair energy) beside it, and the wall\n"
        "  time of\n"
        "  `hop run --lattice fcc` to reach sigma(f) <= --target with the bias bound below it.\n"
        "options:\n"
        "  --backend B      auto, cpu or cuda (default auto: cuda when a GPU is usable)\n"
        "  --lattice NAME   one lattice (default: all)\n"
        "  --replicas N     corr replicas per lattice (default 131072 on cpu, 4194304 on cuda;\n"
        "                   on cuda more, in whole waves, until a kernel runs >= 0.1 s)\n"
        "  --threads N      cpu threads (default 1, so cpu figures are per core)\n"
        "  --target X       target standard error for the fcc timing (default 1e-3 on cpu,\n"
        "                   1e-5 on cuda; 0 skips)\n"
        "  --json FILE      also write the figures as JSON\n"
        "  --dry-run        check the options and exit (no device needed)\n"
        "  --help           this text\n");
}

typedef struct {
    int backend, threads;
    char device[288];
    int driver_version;    /* cuda: the driver's CUDA version, else 0 */
} bench_setup;

static hop_status write_json(const char *path, const char *command_line, const bench_setup *b,
                             const bench_row *rows, int n, const bench_target_result *t,
                             const bench_gas_row *gas, int n_gas,
                             const bench_alloy_row *alloy, int n_alloy)
{
    cJSON *root = cJSON_CreateObject(), *bench = cJSON_AddObjectToObject(root, "bench");
    char driver[32];
    hop_status s;
    char *text;
    cJSON_AddStringToObject(root, "hop_version", HOP_VERSION);
    cJSON_AddStringToObject(root, "git_commit", HOP_GIT_COMMIT);
    cJSON_AddStringToObject(root, "command", command_line);
    cJSON_AddStringToObject(root, "backend", hop_backend_name(b->backend));
    cJSON_AddStringToObject(root, "device", b->device);
    if (b->backend == HOP_BACKEND_CUDA)
        snprintf(driver, sizeof driver, "CUDA %d.%d", b->driver_version / 1000,
                 b->driver_version % 1000 / 10);
    else
        snprintf(driver, sizeof driver, "none (cpu backend)");
    cJSON_AddStringToObject(root, "driver", driver);
    cJSON_AddNumberToObject(root, "threads", b->backend == HOP_BACKEND_CUDA ? 0 : b->threads);
    cJSON_AddStringToObject(root, "steps_per_s_unit", b->backend == HOP_BACKEND_CUDA
                            ? "vacancy steps per second, whole device"
                            : "vacancy steps per second per thread");
    for (int i = 0; i < n; ++i) {
        cJSON *o = cJSON_AddObjectToObject(bench, rows[i].lattice);
        cJSON_AddNumberToObject(o, "steps_per_s", rows[i].steps_per_s);
        cJSON_AddNumberToObject(o, "ceiling_steps_per_s", rows[i].ceiling_per_s);
        cJSON_AddNumberToObject(o, "ceiling_fraction", rows[i].steps_per_s / rows[i].ceiling_per_s);
        cJSON_AddNumberToObject(o, "msd_steps_per_s", rows[i].msd_steps_per_s);
        if (rows[i].solute_steps_per_s > 0)
            cJSON_AddNumberToObject(o, "solute_steps_per_s", rows[i].solute_steps_per_s);
    }
    if (n_alloy > 0) {
        cJSON *a = cJSON_AddArrayToObject(root, "alloy");
        for (int i = 0; i < n_alloy; ++i) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "lattice", "fcc");
            cJSON_AddNumberToObject(o, "pair_AB_kT", alloy[i].pair);
            cJSON_AddNumberToObject(o, "exchanges_per_s", alloy[i].exchanges_per_s);
            cJSON_AddNumberToObject(o, "ceiling_per_s", alloy[i].ceiling_per_s);
            cJSON_AddItemToArray(a, o);
        }
    }
    if (n_gas > 0) {
        cJSON *a = cJSON_AddArrayToObject(root, "gas");
        for (int i = 0; i < n_gas; ++i) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "lattice", gas[i].lattice);
            cJSON_AddNumberToObject(o, "c", gas[i].c);
            cJSON_AddNumberToObject(o, "J", gas[i].J);
            cJSON_AddStringToObject(o, "layout", gas_layout_name(b->backend, gas[i].layout));
            cJSON_AddNumberToObject(o, "attempts_per_s", gas[i].attempts_per_s);
            cJSON_AddNumberToObject(o, "ceiling_per_s", gas[i].ceiling_per_s);
            cJSON_AddItemToArray(a, o);
        }
    }
    if (t->target > 0) {
        cJSON *o = cJSON_AddObjectToObject(root, "fcc_target");
        cJSON_AddNumberToObject(o, "target_sigma", t->target);
        cJSON_AddNumberToObject(o, "sigma", t->sigma);
        cJSON_AddNumberToObject(o, "bias_bound", t->bias);
        cJSON_AddNumberToObject(o, "radius", t->radius);
        cJSON_AddNumberToObject(o, "replicas", (double)t->replicas);
        cJSON_AddNumberToObject(o, "wall_s", t->wall);
    }
    text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return HOP_ERR_NOMEM;
    s = hop_atomic_write_text(path, text);
    free(text);
    return s;
}

/* Which backend runs the bench, what it is, and a note for stderr when auto chose. */
static hop_status bench_backend(int requested, int threads, bench_setup *b)
{
    char note[320];
    memset(b, 0, sizeof *b);
    b->threads = threads;
    b->backend = hop_backend_choose(requested, note, sizeof note);
    if (note[0])
        fprintf(stderr, "hop: %s\n", note);
    if (b->backend == HOP_BACKEND_CUDA) {
        hop_cuda_info info;
        char why[256];
        if (hop_cuda_probe(&info, why, sizeof why) != HOP_OK)
            return hop_error(HOP_ERR_NODEV, "--backend cuda: %s", why);
        b->driver_version = info.driver_version;
        /* Warm up: the first CUDA call creates the context, which is not throughput. */
        {
            hop_params p;
            hop_result *r = NULL;
            hop_params_default(&p);
            p.backend = HOP_BACKEND_CUDA;
            p.replicas = UINT64_C(1) << 16;
            if (hop_run_execute(&p, &r) != HOP_OK)
                return HOP_ERR_CUDA;
            hop_result_free(r);
        }
    }
    return hop_device_describe(b->backend, b->device, sizeof b->device);
}

int hop_bench_main(int argc, char **argv, const char *command_line)
{
    static const struct option opts[] = {
        {"lattice", required_argument, 0, 'l'}, {"replicas", required_argument, 0, 'r'},
        {"threads", required_argument, 0, 't'}, {"target", required_argument, 0, 'e'},
        {"backend", required_argument, 0, 'b'}, {"json", required_argument, 0, 'j'},
        {"dry-run", no_argument, 0, 'n'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const hop_lattice *only = NULL;
    uint64_t replicas = 0;
    int threads = 1, n = 0, c, backend = HOP_BACKEND_AUTO, dry_run = 0;
    double target = -1;
    const char *json = NULL;
    bench_row rows[16];
    bench_gas_row gas_rows[8];
    int n_gas = 0;
    bench_alloy_row alloy_rows[2];
    int n_alloy = 0;
    bench_setup setup;
    bench_target_result t;
    uint32_t sink = 0;
    char msg[256];

    hop_getopt_reset();
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        hop_status s = HOP_OK;
        switch (c) {
        case 'l':
            if (!(only = hop_lattice_find(optarg))) {
                snprintf(msg, sizeof msg, "--lattice: unknown lattice '%s' (see hop lattices)", optarg);
                s = HOP_ERR_INVAL;
            }
            break;
        case 'b':
            if ((backend = hop_backend_parse(optarg)) < 0) {
                snprintf(msg, sizeof msg, "--backend: unknown backend '%s' (valid: auto, cpu, cuda)",
                         optarg);
                s = HOP_ERR_INVAL;
            }
            break;
        case 'r': s = hop_parse_u64("--replicas", optarg, 64, UINT64_C(1000000000000), &replicas, msg, sizeof msg); break;
        case 't': s = hop_parse_int("--threads", optarg, 1, 4096, &threads, msg, sizeof msg); break;
        case 'e': s = hop_parse_double("--target", optarg, 0, 1, &target, msg, sizeof msg); break;
        case 'j': json = optarg; s = hop_output_check(optarg, msg, sizeof msg); break;
        case 'n': dry_run = 1; break;
        case 'h': usage(stdout); return 0;
        default: fprintf(stderr, "try 'hop bench --help'\n"); return 2;
        }
        if (s != HOP_OK) {
            fprintf(stderr, "hop: %s\ntry 'hop bench --help'\n", msg);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "hop: unexpected argument '%s'\ntry 'hop bench --help'\n", argv[optind]);
        return 2;
    }
    if (dry_run) {
        printf("hop bench: options valid (backend %s, lattice %s); --dry-run: nothing run\n",
               hop_backend_name(backend), only ? only->name : "all");
        return 0;
    }
    if (bench_backend(backend, threads, &setup) != HOP_OK)
        return 1;
    if (replicas == 0)
        replicas = setup.backend == HOP_BACKEND_CUDA ? UINT64_C(1) << 22 : UINT64_C(1) << 17;
    if (target < 0)
        target = setup.backend == HOP_BACKEND_CUDA ? 1e-5 : 1e-3;
    memset(&t, 0, sizeof t);
    t.target = target;

    if (setup.backend == HOP_BACKEND_CUDA) {
        printf("hop bench (cuda backend, %s; corr estimator, at least %llu replicas per "
               "lattice; kernel time, events, >= %g s in whole waves each)\n",
               setup.device, (unsigned long long)replicas, BENCH_MIN_SECONDS);
        printf("%-12s %16s %16s %9s %16s %16s\n", "lattice", "steps/s", "philox ceiling",
               "fraction", "msd steps/s", "solute steps/s");
    } else {
        printf("hop bench (cpu backend, %d thread%s, corr estimator, %llu replicas per lattice)\n",
               threads, threads == 1 ? "" : "s", (unsigned long long)replicas);
        printf("%-12s %16s %16s %9s %16s %16s\n", "lattice", "steps/s/thread", "philox ceiling",
               "fraction", "msd steps/s", "solute steps/s");
    }
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const hop_lattice *L = hop_lattice_get(i);
        const uint64_t msd_replicas = setup.backend == HOP_BACKEND_CUDA ? UINT64_C(1) << 17 : 64;
        if (!L || (only && only != L))
            continue;
        if (bench_lattice(setup.backend, L, replicas, msd_replicas, threads, &rows[n], &sink)
            != HOP_OK)
            return 1;
        printf("%-12s %16.4g %16.4g %8.1f%% %16.4g", L->name, rows[n].steps_per_s,
               rows[n].ceiling_per_s, 100.0 * rows[n].steps_per_s / rows[n].ceiling_per_s,
               rows[n].msd_steps_per_s);
        if (rows[n].solute_steps_per_s > 0)
            printf(" %16.4g\n", rows[n].solute_steps_per_s);
        else
            printf(" %16s\n", "-");
        fflush(stdout);
        ++n;
    }
    if (!only || only == hop_lattice_find("sc") || only == hop_lattice_find("fcc")
        || only == hop_lattice_find("square")) {
        /* the cases: lattice, J, layout; on cuda sc also in the device-memory layouts */
        static const struct { const char *lattice; double J; int layout; } cases[] = {
            {"sc", 0, HOP_GAS_LAYOUT_SHARED}, {"sc", 0.5, HOP_GAS_LAYOUT_SHARED},
            {"fcc", 0, HOP_GAS_LAYOUT_SHARED}, {"square", 0, HOP_GAS_LAYOUT_SHARED},
            {"sc", 0, HOP_GAS_LAYOUT_DEVICE}, {"sc", 0.5, HOP_GAS_LAYOUT_DEVICE},
            {"sc", 0, HOP_GAS_LAYOUT_STRIPED}, {"sc", 0.5, HOP_GAS_LAYOUT_STRIPED}};
        const int cuda = setup.backend == HOP_BACKEND_CUDA, n_cases = cuda ? 8 : 4;
        const uint64_t gas_replicas = cuda ? UINT64_C(1) << 17 : 256;
        printf("lattice gas, default box (%s%llu replicas): %s\n", cuda ? "at least " : "",
               (unsigned long long)gas_replicas,
               cuda ? "attempted jumps/s, whole device, by workspace layout"
                    : "attempted jumps/s per thread");
        printf("%-12s %5s %5s %8s %16s %16s %9s\n", "lattice", "c", "J", "layout", "attempts/s",
               "philox ceiling", "fraction");
        for (int i = 0; i < n_cases; ++i) {
            bench_gas_row *g = &gas_rows[n_gas];
            if (only && only != hop_lattice_find(cases[i].lattice))
                continue;
            g->lattice = cases[i].lattice;
            g->c = 0.5;
            g->J = cases[i].J;
            g->layout = cuda ? cases[i].layout : HOP_GAS_LAYOUT_AUTO;
            if (bench_gas(setup.backend, threads, gas_replicas, g, &sink) != HOP_OK)
                return 1;
            printf("%-12s %5g %5g %8s %16.4g %16.4g %8.1f%%\n", g->lattice, g->c, g->J,
                   gas_layout_name(setup.backend, g->layout), g->attempts_per_s, g->ceiling_per_s,
                   100.0 * g->attempts_per_s / g->ceiling_per_s);
            fflush(stdout);
            ++n_gas;
        }
    }
    if (!only || only == hop_lattice_find("fcc")) {
        static const double pairs[] = {0, -0.3};
        const uint64_t alloy_replicas = setup.backend == HOP_BACKEND_CUDA ? UINT64_C(1) << 17
                                                                          : 256;
        printf("alloy, fcc A50B50, w_B/w_A = 0.2, default box (%llu replicas): vacancy "
               "exchanges/s %s\n", (unsigned long long)alloy_replicas,
               setup.backend == HOP_BACKEND_CUDA ? "whole device" : "per thread");
        printf("%-12s %16s %16s %9s\n", "pair A-B", "exchanges/s", "philox ceiling",
               "fraction");
        for (int i = 0; i < 2; ++i) {
            bench_alloy_row *a = &alloy_rows[n_alloy];
            a->pair = pairs[i];
            if (bench_alloy(setup.backend, threads, alloy_replicas, a, &sink) != HOP_OK)
                return 1;
            printf("%-12g %16.4g %16.4g %8.1f%%\n", a->pair, a->exchanges_per_s,
                   a->ceiling_per_s, 100.0 * a->exchanges_per_s / a->ceiling_per_s);
            fflush(stdout);
            ++n_alloy;
        }
    }
    if (target > 0) {
        if (bench_target(setup.backend, threads, &t) != HOP_OK)
            return 1;
        printf("fcc to sigma(f) <= %g: %.2f s wall (%llu replicas, radius %g, sigma = %.3g, "
               "bias bound %.2g)\n", target, t.wall, (unsigned long long)t.replicas, t.radius,
               t.sigma, t.bias);
    }
    if (sink == 0x5eed5eedu)        /* keep the ceiling loop from being optimized away */
        fprintf(stderr, " \n");
    if (json && write_json(json, command_line, &setup, rows, n, &t, gas_rows, n_gas, alloy_rows,
                           n_alloy) != HOP_OK)
        return 1;
    return 0;
}

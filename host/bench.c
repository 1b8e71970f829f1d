/* bench.c: `hop bench`.  For every lattice it times the corr estimator exactly as
 * `hop run` runs it (vacancy steps per second per thread) and, in the same process, a
 * ceiling loop that draws the same number of Philox words from the same streams and
 * does nothing else; the ratio shows how far the step code is from RNG-bound.  Then it
 * measures the wall time `hop run --lattice fcc` needs for sigma(f) <= target. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "hop_git.h"
#include "atomic_file.h"
#include "backend_cpu.h"
#include "bench.h"
#include "parse.h"
#include "run.h"

typedef struct {
    const char *lattice;
    double steps_per_s, ceiling_per_s, msd_steps_per_s;
} bench_row;

/* Draw the Philox words of `words_per_replica` words for each of `count` replicas. */
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

static hop_status bench_lattice(const hop_lattice *L, uint64_t replicas, int threads,
                                bench_row *row, uint32_t *sink)
{
    hop_params p;
    hop_corr_params cp;
    hop_msd_params mp;
    hop_corr_counts *counts = malloc(sizeof *counts);
    hop_msd_accum *acc = NULL;
    double radius[HOP_MAX_SHELLS], t0, t_corr, t_ceil, t_msd;
    uint64_t words, msd_replicas = 64;
    char msg[256];
    int used = 0;
    hop_status s;
    if (!counts)
        return HOP_ERR_NOMEM;
    hop_params_default(&p);
    p.lattice = L;
    p.threads = threads;
    /* Parameters are resolved with the default replica count; the bench then times
     * its own counts directly (throughput needs no minimum for the statistics). */
    if ((s = hop_params_resolve(&p, msg, sizeof msg)) != HOP_OK) {
        free(counts);
        return hop_error(s, "%s", msg);
    }
    hop_run_corr_params(&p, radius, &cp);
    hop_corr_counts_init(counts, L->n_sub * L->z, p.shells);
    t0 = hop_wall_seconds();
    s = hop_cpu_corr(L, &cp, p.seed, 0, replicas, threads, &used, counts);
    t_corr = hop_wall_seconds() - t0;
    if (s == HOP_OK) {
        /* Two choices per word: the corr run consumed steps/2 words, rounded up to whole
         * curand4 calls per replica; the ceiling draws the same number per replica. */
        words = (hop_corr_counts_steps(counts) / 2 + replicas - 1) / replicas;
        t0 = hop_wall_seconds();
        *sink ^= philox_ceiling(p.seed, replicas, words, threads);
        t_ceil = hop_wall_seconds() - t0;
        row->lattice = L->name;
        row->steps_per_s = (double)hop_corr_counts_steps(counts) / t_corr / used;
        row->ceiling_per_s = 2.0 * (double)(words * replicas) / t_ceil / used;

        p.estimator = HOP_EST_MSD;
        p.replicas = 0;
        if ((s = hop_params_resolve(&p, msg, sizeof msg)) != HOP_OK) {
            free(counts);
            return hop_error(s, "%s", msg);
        }
        hop_run_msd_params(&p, p.size, &mp);
        acc = hop_msd_accum_alloc(mp.n_times, L->n_groups);
        if (!acc)
            s = HOP_ERR_NOMEM;
        else {
            t0 = hop_wall_seconds();
            s = hop_cpu_msd(L, &mp, p.seed, 0, msd_replicas, threads, &used, acc);
            t_msd = hop_wall_seconds() - t0;
            row->msd_steps_per_s = (double)acc->vacancy_steps / t_msd / used;
        }
    }
    hop_msd_accum_free(acc);
    free(counts);
    return s;
}

/* Wall time of `hop run --lattice fcc` with enough replicas for sigma(f) <= target:
 * a pilot run sizes the real one; both are reported. */
static hop_status bench_target(double target, int threads, double *wall, double *sigma,
                               uint64_t *replicas)
{
    hop_params p;
    hop_result *r = NULL;
    hop_status s;
    hop_params_default(&p);
    p.threads = threads;
    p.replicas = UINT64_C(1) << 16;
    if ((s = hop_run_execute(&p, &r)) != HOP_OK)
        return s;
    p.replicas = (uint64_t)ceil(p.replicas * pow(1.02 * r->f.sigma / target, 2));
    hop_result_free(r);
    if ((s = hop_run_execute(&p, &r)) != HOP_OK)
        return s;
    *wall = r->wall_s;
    *sigma = r->f.sigma;
    *replicas = p.replicas;
    hop_result_free(r);
    return HOP_OK;
}

static void usage(FILE *out)
{
    fprintf(out,
        "usage: hop bench [options]\n"
        "  Vacancy steps/s per thread of the corr and msd estimators for each lattice,\n"
        "  beside a loop that only draws the same Philox words (the RNG ceiling), and\n"
        "  the wall time of `hop run --lattice fcc` to reach sigma(f) <= --target.\n"
        "options:\n"
        "  --lattice NAME   one lattice (default: all)\n"
        "  --replicas N     corr replicas per lattice (default 131072)\n"
        "  --threads N      threads (default 1, so figures are per core)\n"
        "  --target X       target standard error for the fcc timing (default 1e-3; 0 skips)\n"
        "  --json FILE      also write the figures as JSON\n"
        "  --help           this text\n");
}

/* The processor's model name from /proc/cpuinfo, or "host CPU". */
static void cpu_model(char *buf, size_t n)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    snprintf(buf, n, "host CPU");
    while (f && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            colon += strspn(colon + 1, " \t") + 1;
            colon[strcspn(colon, "\n")] = '\0';
            snprintf(buf, n, "host CPU: %s", colon);
            break;
        }
    }
    if (f)
        fclose(f);
}

static hop_status write_json(const char *path, const char *command_line, const bench_row *rows,
                             int n, int threads, double target, double wall, double sigma,
                             uint64_t replicas)
{
    char device[160];
    cJSON *root = cJSON_CreateObject(), *bench = cJSON_AddObjectToObject(root, "bench");
    hop_status s;
    char *text;
    cJSON_AddStringToObject(root, "hop_version", HOP_VERSION);
    cJSON_AddStringToObject(root, "git_commit", HOP_GIT_COMMIT);
    cJSON_AddStringToObject(root, "command", command_line);
    cJSON_AddStringToObject(root, "backend", "cpu");
    cpu_model(device, sizeof device);
    cJSON_AddStringToObject(root, "device", device);
    cJSON_AddNumberToObject(root, "threads", threads);
    for (int i = 0; i < n; ++i) {
        cJSON *o = cJSON_AddObjectToObject(bench, rows[i].lattice);
        cJSON_AddNumberToObject(o, "steps_per_s", rows[i].steps_per_s);
        cJSON_AddNumberToObject(o, "ceiling_steps_per_s", rows[i].ceiling_per_s);
        cJSON_AddNumberToObject(o, "ceiling_fraction", rows[i].steps_per_s / rows[i].ceiling_per_s);
        cJSON_AddNumberToObject(o, "msd_steps_per_s", rows[i].msd_steps_per_s);
    }
    if (target > 0) {
        cJSON *t = cJSON_AddObjectToObject(root, "fcc_target");
        cJSON_AddNumberToObject(t, "target_sigma", target);
        cJSON_AddNumberToObject(t, "sigma", sigma);
        cJSON_AddNumberToObject(t, "replicas", (double)replicas);
        cJSON_AddNumberToObject(t, "wall_s", wall);
    }
    text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return HOP_ERR_NOMEM;
    s = hop_atomic_write_text(path, text);
    free(text);
    return s;
}

int hop_bench_main(int argc, char **argv, const char *command_line)
{
    static const struct option opts[] = {
        {"lattice", required_argument, 0, 'l'}, {"replicas", required_argument, 0, 'r'},
        {"threads", required_argument, 0, 't'}, {"target", required_argument, 0, 'e'},
        {"json", required_argument, 0, 'j'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const hop_lattice *only = NULL;
    uint64_t replicas = UINT64_C(1) << 17, target_replicas = 0;
    int threads = 1, n = 0, c;
    double target = 1e-3, wall = 0, sigma = 0;
    const char *json = NULL;
    bench_row rows[16];
    uint32_t sink = 0;
    char msg[256];

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        hop_status s = HOP_OK;
        switch (c) {
        case 'l':
            if (!(only = hop_lattice_find(optarg))) {
                snprintf(msg, sizeof msg, "--lattice: unknown lattice '%s' (see hop lattices)", optarg);
                s = HOP_ERR_INVAL;
            }
            break;
        case 'r': s = hop_parse_u64("--replicas", optarg, 64, UINT64_C(1000000000000), &replicas, msg, sizeof msg); break;
        case 't': s = hop_parse_int("--threads", optarg, 1, 4096, &threads, msg, sizeof msg); break;
        case 'e': s = hop_parse_double("--target", optarg, 0, 1, &target, msg, sizeof msg); break;
        case 'j': json = optarg; s = hop_output_check(optarg, msg, sizeof msg); break;
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

    printf("hop bench (cpu backend, %d thread%s, corr estimator, %llu replicas per lattice)\n",
           threads, threads == 1 ? "" : "s", (unsigned long long)replicas);
    printf("%-12s %16s %16s %9s %16s\n", "lattice", "steps/s/thread", "philox ceiling",
           "fraction", "msd steps/s");
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const hop_lattice *L = hop_lattice_get(i);
        if (!L || (only && only != L))
            continue;
        if (bench_lattice(L, replicas, threads, &rows[n], &sink) != HOP_OK)
            return 1;
        printf("%-12s %16.4g %16.4g %8.1f%% %16.4g\n", L->name, rows[n].steps_per_s,
               rows[n].ceiling_per_s, 100.0 * rows[n].steps_per_s / rows[n].ceiling_per_s,
               rows[n].msd_steps_per_s);
        fflush(stdout);
        ++n;
    }
    if (target > 0) {
        if (bench_target(target, threads, &wall, &sigma, &target_replicas) != HOP_OK)
            return 1;
        printf("fcc to sigma(f) <= %g: %.2f s wall (%llu replicas, sigma = %.3g, %d thread%s)\n",
               target, wall, (unsigned long long)target_replicas, sigma, threads,
               threads == 1 ? "" : "s");
    }
    if (sink == 0x5eed5eedu)        /* keep the ceiling loop from being optimized away */
        fprintf(stderr, " \n");
    if (json && write_json(json, command_line, rows, n, threads, target, wall, sigma, target_replicas) != HOP_OK)
        return 1;
    return 0;
}

/* test_gpu.c: the CUDA backend against the CPU reference, on a real GPU.
 *
 * For every lattice, both estimators and both models the CUDA backend must give the
 * CPU backend's results to the bit (same seed, same replicas): the f estimates, every
 * truncation radius, every MSD point, every count.  Also with many small batches (the
 * batching must not matter), and through the command line, where the JSON "results"
 * objects must be identical.  Each test skips with a message when no CUDA device is
 * usable (CI has none); scripts/gpu-check runs them on a GPU machine. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "backend/cpu.h"
#include "backend/cuda.h"
#include "models/gas.h"
#include "dir_helper.h"
#include "lattice/file.h"
#include "lattice/rates.h"
#include "output/json.h"
#include "run_helper.h"
#include "json_helper.h"

#define SEED UINT64_C(0x5eed)

static void need_device(void)
{
    hop_cuda_info info;
    char why[256];
    if (hop_cuda_probe(&info, why, sizeof why) != HOP_OK)
        cr_skip_test("no CUDA device: %s", why);
}

#define SAME(what, a, b) \
    cr_assert(memcmp(&(a), &(b), sizeof(a)) == 0, "%s: %s differs: cpu %.17g, cuda %.17g", \
              tag, what, (double)(a), (double)(b))

static void same_estimate(const char *tag, const char *what, const hop_estimate *a,
                          const hop_estimate *b)
{
    cr_assert(memcmp(a, b, sizeof *a) == 0,
              "%s: %s differs: cpu %.17g ± %.17g (bias %.3g), cuda %.17g ± %.17g (bias %.3g)",
              tag, what, a->value, a->sigma, a->bias, b->value, b->sigma, b->bias);
}

/* Every statistic of two results, bit for bit. */
static void same_results(const char *tag, const hop_result *a, const hop_result *b)
{
    same_estimate(tag, "f", &a->f, &b->f);
    for (int g = 0; g < a->n_groups; ++g)
        same_estimate(tag, "f_group", &a->f_group[g], &b->f_group[g]);
    for (int m = 0; m < a->n_shells; ++m)
        same_estimate(tag, "f_shell", &a->f_shell[m], &b->f_shell[m]);
    same_estimate(tag, "D_star", &a->D_star, &b->D_star);
    same_estimate(tag, "D_sigma", &a->D_sigma, &b->D_sigma);
    same_estimate(tag, "haven", &a->haven, &b->haven);
    same_estimate(tag, "f_check", &a->f_check, &b->f_check);
    SAME("lost_fraction", a->lost_fraction, b->lost_fraction);
    SAME("fit_chi2", a->fit_chi2, b->fit_chi2);
    SAME("replicas", a->replicas, b->replicas);
    SAME("tracer_jumps", a->tracer_jumps, b->tracer_jumps);
    SAME("vacancy_steps", a->vacancy_steps, b->vacancy_steps);
    cr_assert_eq(a->n_points, b->n_points, "%s: MSD points", tag);
    if (a->n_points)
        cr_assert(memcmp(a->msd, b->msd, (size_t)a->n_points * sizeof *a->msd) == 0,
                  "%s: MSD curves differ", tag);
}

static void cpu_vs_cuda(const char *lattice, int estimator, int model, uint64_t replicas,
                        uint64_t batch)
{
    hop_params p = hop_test_params(lattice, estimator, model, replicas, SEED);
    if (model == HOP_MODEL_SOLUTE) {          /* unequal rates, every class in use */
        p.w[0] = 1, p.w[2] = 2.5, p.w[3] = 0.45, p.w[4] = 3.7;
        p.w[1] = strcmp(lattice, "fcc") == 0 ? 0.8 : 0;
    }
    hop_result *cpu, *cuda;
    char tag[96];
    snprintf(tag, sizeof tag, "%s %s %s batch %llu", lattice,
             estimator == HOP_EST_MSD ? "msd" : "corr", model == HOP_MODEL_RANDOM ? "random" : "vacancy",
             (unsigned long long)batch);
    cpu = hop_test_run(&p);
    p.backend = HOP_BACKEND_CUDA;
    p.batch = batch;
    cuda = hop_test_run(&p);
    cr_assert_str_eq(cuda->backend, "cuda");
    cr_assert_geq(cuda->batches, batch ? (int)((replicas + batch - 1) / batch) : 1, "%s", tag);
    same_results(tag, cpu, cuda);
    hop_result_free(cpu);
    hop_result_free(cuda);
}

Test(gpu, corr_every_lattice_and_model, .timeout = 600)
{
    need_device();
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const char *name = hop_lattice_get(i)->name;
        cpu_vs_cuda(name, HOP_EST_CORR, HOP_MODEL_VACANCY, 200000, 0);
        cpu_vs_cuda(name, HOP_EST_CORR, HOP_MODEL_RANDOM, 20000, 0);
    }
}

Test(gpu, msd_every_lattice_and_model, .timeout = 600)
{
    need_device();
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const char *name = hop_lattice_get(i)->name;
        cpu_vs_cuda(name, HOP_EST_MSD, HOP_MODEL_VACANCY, 4000, 0);
        cpu_vs_cuda(name, HOP_EST_MSD, HOP_MODEL_RANDOM, 4000, 0);
    }
}

/* The solute model's residence-time choices (hop_rates) on both lattices it has. */
Test(gpu, corr_solute_model, .timeout = 600)
{
    need_device();
    cpu_vs_cuda("fcc", HOP_EST_CORR, HOP_MODEL_SOLUTE, 200000, 0);
    cpu_vs_cuda("bcc", HOP_EST_CORR, HOP_MODEL_SOLUTE, 200000, 0);
    cpu_vs_cuda("fcc", HOP_EST_MSD, HOP_MODEL_SOLUTE, 3000, 0);     /* residence-time clock */
    cpu_vs_cuda("bcc", HOP_EST_MSD, HOP_MODEL_SOLUTE, 3000, 777);
}

/* Per-jump rates from a lattice file (residence-time choice by jump). */
Test(gpu, corr_per_jump_rates, .timeout = 600)
{
    const hop_lattice *L = NULL;
    char msg[512];
    hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_VACANCY, 100000, SEED);
    hop_result *cpu, *cuda;
    need_device();
    cr_assert_eq(hop_lattice_load(HOP_SOURCE_DIR "/tests/lattices/sc-layered.lat", &L, msg,
                                  sizeof msg), HOP_OK, "%s", msg);
    p.lattice = L;
    p.radius = 64;
    cpu = hop_test_run(&p);
    p.backend = HOP_BACKEND_CUDA;
    cuda = hop_test_run(&p);
    same_results("sc-layered corr", cpu, cuda);
    hop_result_free(cpu);
    hop_result_free(cuda);
    /* and the msd estimator on the residence-time clock */
    p = hop_test_params("fcc", HOP_EST_MSD, HOP_MODEL_VACANCY, 3000, SEED);
    p.lattice = L;
    cpu = hop_test_run(&p);
    p.backend = HOP_BACKEND_CUDA;
    cuda = hop_test_run(&p);
    same_results("sc-layered msd", cpu, cuda);
    hop_result_free(cpu);
    hop_result_free(cuda);
    /* and the random walker choosing by the rates (hop_msd_typed_random_replica) */
    p.model = HOP_MODEL_RANDOM;
    p.backend = HOP_BACKEND_CPU;
    cpu = hop_test_run(&p);
    p.backend = HOP_BACKEND_CUDA;
    cuda = hop_test_run(&p);
    same_results("sc-layered msd random", cpu, cuda);
    hop_result_free(cpu);
    hop_result_free(cuda);
}

/* A general lattice (tests/lattices/pyrochlore-nnn.lat): four sublattices, first- and
 * second-neighbour jumps of two lengths in two classes, a site energy; its 72 jump types
 * make a corr tally too large for shared memory (kernels/corr.cu counts in global
 * memory), and the step code takes the several-lengths path.  Both estimators. */
Test(gpu, general_lattice_four_sublattices_two_lengths, .timeout = 600)
{
    const hop_lattice *L = NULL;
    char msg[512];
    hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_VACANCY, 100000, SEED);
    hop_result *cpu, *cuda;
    need_device();
    cr_assert_eq(hop_lattice_load(HOP_SOURCE_DIR "/tests/lattices/pyrochlore-nnn.lat", &L, msg,
                                  sizeof msg), HOP_OK, "%s", msg);
    cr_assert(L->n_sub >= 4 && L->jump_len2 == 0, "four sublattices, several lengths");
    for (int est = HOP_EST_CORR; est <= HOP_EST_MSD; ++est) {
        p = hop_test_params("fcc", est, HOP_MODEL_VACANCY, est == HOP_EST_MSD ? 4000 : 100000,
                            SEED);
        p.lattice = L;
        p.radius = est == HOP_EST_MSD ? 0 : 12;
        cpu = hop_test_run(&p);
        p.backend = HOP_BACKEND_CUDA;
        cuda = hop_test_run(&p);
        same_results(est == HOP_EST_MSD ? "pyrochlore-nnn msd" : "pyrochlore-nnn corr", cpu, cuda);
        hop_result_free(cpu);
        hop_result_free(cuda);
    }
}

/* Sublattices of different coordination (tests/lattices/fcc-octtet.lat: z = 8, 4, 4):
 * absent jumps have rate 0 on both backends, corr replicas of absent types start after a
 * present jump of the same sublattice (step.h), and the per-sublattice residence-time
 * clock runs the msd estimator.  Both estimators, odd batches for corr. */
Test(gpu, different_coordination, .timeout = 600)
{
    const hop_lattice *L = NULL;
    char msg[512];
    hop_params p;
    hop_result *cpu, *cuda;
    need_device();
    cr_assert_eq(hop_lattice_load(HOP_SOURCE_DIR "/tests/lattices/fcc-octtet.lat", &L, msg,
                                  sizeof msg), HOP_OK, "%s", msg);
    cr_assert(!hop_lattice_uniform_z(L), "z = 8, 4, 4");
    for (int est = HOP_EST_CORR; est <= HOP_EST_MSD; ++est) {
        p = hop_test_params("fcc", est, HOP_MODEL_VACANCY, est == HOP_EST_MSD ? 4000 : 100000,
                            SEED);
        p.lattice = L;
        cpu = hop_test_run(&p);
        p.backend = HOP_BACKEND_CUDA;
        p.batch = est == HOP_EST_MSD ? 0 : 33333;
        cuda = hop_test_run(&p);
        same_results(est == HOP_EST_MSD ? "fcc-octtet msd" : "fcc-octtet corr", cpu, cuda);
        hop_result_free(cpu);
        hop_result_free(cuda);
    }
}

/* Batches of odd sizes: replica indices, tallies and accumulators across launches. */
Test(gpu, batching_does_not_change_the_bits, .timeout = 600)
{
    need_device();
    cpu_vs_cuda("hcp", HOP_EST_CORR, HOP_MODEL_VACANCY, 100000, 9999);
    cpu_vs_cuda("fcc", HOP_EST_MSD, HOP_MODEL_VACANCY, 3000, 777);
    cpu_vs_cuda("diamond", HOP_EST_MSD, HOP_MODEL_VACANCY, 3000, 1);
}

/* The same through `hop run`: the JSON "results" objects are identical. */
Test(gpu, json_results_identical, .timeout = 600)
{
    static const char *estimators[] = {"corr", "msd"};
    char dir[64], a[128], b[128], cmd[1024];
    need_device();
    make_dir(dir, sizeof dir);
    for (int e = 0; e < 2; ++e) {
        cJSON *ra, *rb;
        snprintf(a, sizeof a, "%s/cpu-%s.json", dir, estimators[e]);
        snprintf(b, sizeof b, "%s/cuda-%s.json", dir, estimators[e]);
        snprintf(cmd, sizeof cmd, "%s run --quiet --lattice bcc --estimator %s --replicas 20000 "
                 "--seed 99 --backend cpu --json %s > /dev/null && %s run --quiet --lattice bcc "
                 "--estimator %s --replicas 20000 --seed 99 --backend cuda --json %s > /dev/null",
                 HOP_BINARY, estimators[e], a, HOP_BINARY, estimators[e], b);
        cr_assert_eq(system(cmd), 0, "%s", cmd);
        ra = hop_test_results(a);
        rb = hop_test_results(b);
        cr_assert(cJSON_Compare(ra, rb, 1), "%s: JSON results differ", estimators[e]);
        cJSON_Delete(ra);
        cJSON_Delete(rb);
    }
    remove_dir(dir);
}

/* auto picks the GPU and says so. */
Test(gpu, auto_uses_the_device)
{
    char note[320];
    need_device();
    cr_assert_eq(hop_backend_choose(HOP_BACKEND_AUTO, note, sizeof note), HOP_BACKEND_CUDA);
    cr_assert(strstr(note, "using cuda") != NULL, "%s", note);
}

/* ---- the lattice gas (include/hop/gas.h, kernels/gas.cu) ---------------------------- */

/* Every gas statistic of two results, bit for bit. */
static void same_gas(const char *tag, const hop_result *a, const hop_result *b)
{
    same_results(tag, a, b);
    same_estimate(tag, "D_star/D0", &a->gas.D_star, &b->gas.D_star);
    same_estimate(tag, "D_sigma/D0", &a->gas.D_sigma, &b->gas.D_sigma);
    same_estimate(tag, "D_vacancy/D0", &a->gas.D_vacancy, &b->gas.D_vacancy);
    same_estimate(tag, "pairs", &a->gas.pairs, &b->gas.pairs);
    same_estimate(tag, "Theta", &a->gas.theta, &b->gas.theta);
    same_estimate(tag, "Theta (one width)", &a->gas.theta_one_width, &b->gas.theta_one_width);
    same_estimate(tag, "D_chem/D0", &a->gas.D_chem, &b->gas.D_chem);
    same_estimate(tag, "haven_inverse", &a->haven_inverse, &b->haven_inverse);
    SAME("attempts", a->gas.attempts, b->gas.attempts);
}

/* Particles or vacancies as movers, with and without interactions, on Bravais and
 * two-sublattice lattices, in one batch and in many. */
static void gas_cpu_vs_cuda(const char *lattice, int size, double c, double J,
                            uint64_t replicas, uint64_t batch)
{
    hop_params p = hop_test_params(lattice, HOP_EST_MSD, HOP_MODEL_GAS, replicas, SEED);
    hop_result *cpu, *cuda;
    char tag[96];
    p.size = size;
    p.c = c;
    p.J = J;
    if (replicas < 2000)
        p.n_times = 8;             /* a large box: few replicas, few time points */
    snprintf(tag, sizeof tag, "gas %s c %g J %g batch %llu", lattice, c, J,
             (unsigned long long)batch);
    cpu = hop_test_run(&p);
    p.backend = HOP_BACKEND_CUDA;
    p.batch = batch;
    cuda = hop_test_run(&p);
    cr_assert_str_eq(cuda->backend, "cuda");
    same_gas(tag, cpu, cuda);
    hop_result_free(cpu);
    hop_result_free(cuda);
}

Test(gpu, gas_model, .timeout = 600)
{
    need_device();
    gas_cpu_vs_cuda("sc", 4, 0.3, 0, 3000, 0);
    gas_cpu_vs_cuda("sc", 4, 0.8, 0.7, 3000, 0);
    gas_cpu_vs_cuda("fcc", 2, 0.5, -0.5, 3000, 777);
    gas_cpu_vs_cuda("honeycomb", 4, 0.6, 0.4, 3000, 0);
    gas_cpu_vs_cuda("square", 16, 0.5, 0, 2000, 0);     /* 256 sites: occupancy in shared memory */
    gas_cpu_vs_cuda("sc", 20, 0.5, 0, 400, 0);          /* 8000 sites: device memory */
    gas_cpu_vs_cuda("chain", 70, 0.3, -0.5, 2000, 0);   /* 32 blocks of 2 or 3 planes */
}

/* Strong coupling, |J| = 10 (thresholds below 2^-16 keep a second word): the same bits. */
Test(gpu, gas_strong_coupling, .timeout = 600)
{
    need_device();
    gas_cpu_vs_cuda("sc", 4, 0.3, 10, 3000, 0);
    gas_cpu_vs_cuda("sc", 4, 0.3, -10, 3000, 0);
    gas_cpu_vs_cuda("fcc", 2, 0.25, -10, 3000, 777);
}

/* Every GPU workspace layout (include/hop/gas.h) sums the CPU's accumulator entries. */
Test(gpu, gas_layouts, .timeout = 600)
{
    static const int layouts[] = {HOP_GAS_LAYOUT_SHARED, HOP_GAS_LAYOUT_DEVICE,
                                  HOP_GAS_LAYOUT_STRIPED};
    hop_params p = hop_test_params("sc", HOP_EST_MSD, HOP_MODEL_GAS, 3000, SEED);
    hop_gas_model *m;
    hop_msd_accum *cpu;
    char msg[256];
    int used = 0, batches = 0;
    size_t bytes;
    need_device();
    p.size = 6;
    p.c = 0.4;
    p.J = 0.6;
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
    cr_assert_not_null(m = hop_gas_model_alloc(&p));
    cr_assert_not_null(cpu = hop_gas_accum_alloc(p.lattice, &m->gp));
    bytes = (size_t)hop_msd_entries(cpu->n_series, cpu->n_times) * sizeof *cpu->entry;
    cr_assert_eq(hop_cpu_gas(p.lattice, m, SEED, 5, 3000, 2, &used, cpu), HOP_OK);
    for (int i = 0; i < 3; ++i) {
        hop_msd_accum *gpu = hop_gas_accum_alloc(p.lattice, &m->gp);
        cr_assert_not_null(gpu);
        m->layout = layouts[i];
        cr_assert_eq(hop_cuda_run_gas(p.lattice, m, SEED, 5, 3000, 1000, gpu, &batches), HOP_OK,
                     "layout %d", layouts[i]);
        cr_expect_eq(gpu->replicas, cpu->replicas, "layout %d: replicas", layouts[i]);
        cr_expect(memcmp(gpu->entry, cpu->entry, bytes) == 0,
                  "layout %d: the accumulator entries differ from the cpu's", layouts[i]);
        hop_msd_accum_free(gpu);
    }
    hop_msd_accum_free(cpu);
    hop_gas_model_free(m);
}

/* ---- the concentrated alloy (include/hop/alloy.h, kernels/alloy.cu) ------------------ */

/* Every alloy statistic of a cpu and a cuda run, bit for bit: species and vacancy D* and
 * f, the Onsager matrix, the short-range order (and so the rows they come from). */
static void alloy_cpu_vs_cuda_on(const char *lattice, const hop_lattice *file, int size,
                                 int vacancies, double pair, uint64_t batch)
{
    static const char *const names[] = {"A", "B", "C"};
    static const double x[] = {0.5, 0.3, 0.2}, w[] = {1, 0.2, 3};
    hop_params p = hop_test_params(file ? "fcc" : lattice, HOP_EST_MSD, HOP_MODEL_ALLOY, 3000,
                                   SEED);
    hop_result *cpu, *cuda;
    char tag[96];
    if (file)
        p.lattice = file;
    p.size = size;
    p.time = 200;
    p.alloy.n_species = 3;
    p.alloy.vacancies = vacancies;
    for (int i = 0; i < 3; ++i) {
        snprintf(p.alloy.name[i], HOP_ALLOY_NAME_LEN, "%s", names[i]);
        p.alloy.fraction[i] = x[i];
        p.alloy.w[i] = w[i];
    }
    p.alloy.pair[0][1] = p.alloy.pair[1][0] = pair;
    snprintf(tag, sizeof tag, "alloy %s size %d vacancies %d pair %g batch %llu", lattice,
             size, vacancies, pair, (unsigned long long)batch);
    cpu = hop_test_run(&p);
    p.backend = HOP_BACKEND_CUDA;
    p.batch = batch;
    cuda = hop_test_run(&p);
    cr_assert_str_eq(cuda->backend, "cuda");
    same_results(tag, cpu, cuda);
    cr_assert(memcmp(cpu->alloy.f, cuda->alloy.f, sizeof cpu->alloy.f) == 0, "%s: f", tag);
    cr_assert(memcmp(cpu->alloy.onsager, cuda->alloy.onsager, sizeof cpu->alloy.onsager) == 0,
              "%s: Onsager matrix", tag);
    cr_assert(memcmp(cpu->alloy.bonds, cuda->alloy.bonds, sizeof cpu->alloy.bonds) == 0,
              "%s: pair counts", tag);
    cr_assert(memcmp(cpu->alloy.f_group, cuda->alloy.f_group, sizeof cpu->alloy.f_group) == 0,
              "%s: f per axis", tag);
    hop_result_free(cpu);
    hop_result_free(cuda);
}

static void alloy_cpu_vs_cuda(const char *lattice, int size, int vacancies, double pair,
                              uint64_t batch)
{
    alloy_cpu_vs_cuda_on(lattice, NULL, size, vacancies, pair, batch);
}

Test(gpu, alloy_model, .timeout = 600)
{
    need_device();
    alloy_cpu_vs_cuda("fcc", 3, 1, 0, 0);
    alloy_cpu_vs_cuda("bcc", 4, 3, 0, 777);             /* several vacancies, many batches */
    alloy_cpu_vs_cuda("honeycomb", 4, 1, 0.4, 0);       /* pair energies, two sublattices */
}

/* hcp-mg (tests/lattices/hcp-mg.lat): two jump lengths, the per-axis series; then with
 * the c class at 1/4 (the classed path's integer class weights), with two vacancies and
 * with pair energies. */
Test(gpu, alloy_model_two_lengths_and_classes, .timeout = 600)
{
    const hop_lattice *L = NULL;
    hop_lattice classes;
    char msg[512];
    need_device();
    cr_assert_eq(hop_lattice_load(HOP_SOURCE_DIR "/tests/lattices/hcp-mg.lat", &L, msg,
                                  sizeof msg), HOP_OK, "%s", msg);
    alloy_cpu_vs_cuda_on("hcp-mg", L, 4, 1, 0, 0);
    classes = *L;
    cr_assert_eq(hop_lattice_set_rate(&classes, "c", 0.25), HOP_OK);
    cr_assert_eq(hop_lattice_apply_rates(&classes, 0), HOP_OK);
    alloy_cpu_vs_cuda_on("hcp-mg c=1/4", &classes, 4, 2, 0, 333);
    alloy_cpu_vs_cuda_on("hcp-mg c=1/4", &classes, 4, 1, 0.4, 0);
}

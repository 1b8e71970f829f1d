/* test_step_nvcc.c: the shared step code gives the same outcomes, replica by replica,
 * whether compiled by gcc as C99 (this test) or by nvcc as CUDA C++ (tests/step_nvcc.cu,
 * whose kernel is also compiled for the device).  This is what lets the CUDA backend
 * reuse include/hop/step.h unchanged.  Skipped with a message when nvcc was not found
 * at configure time. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lattice/file.h"
#include "run/run.h"
#include "step_nvcc_rates.h"

#define CORR_REPLICAS 3000
#define MSD_REPLICAS 3
#define SEED 0x5eedULL
#define SOLUTE 2          /* compare()'s third mode: corr estimator, solute model */
#define GAS 3             /* the lattice gas, particles moving ... */
#define GASV 4            /* ... and vacancies moving (step_nvcc_rates.h) */
#define GAS_REPLICAS 4
#define ALLOY 5           /* the alloy (step_nvcc_rates.h) */
#define ALLOY_REPLICAS 4

static const char *mode_name(int mode)
{
    return mode == ALLOY ? "alloy" : mode == GAS ? "gas" : mode == GASV ? "gasv" : mode == SOLUTE ? "solute"
         : mode == HOP_EST_CORR ? "corr" : "msd";
}

/* The line step_nvcc prints for one replica, produced here by the gcc build. */
static void expected_lines(const hop_params *p, unsigned long long first, unsigned long long count,
                           FILE *out)
{
    const hop_lattice *L = p->lattice;
    if (p->model == HOP_MODEL_GAS) {
        cr_assert_eq(hop_step_nvcc_gas_rows(p, first, count, out), 0);
        return;
    }
    if (p->model == HOP_MODEL_ALLOY) {
        cr_assert_eq(hop_step_nvcc_alloy_rows(p, first, count, out), 0);
        return;
    }
    if (p->estimator == HOP_EST_CORR) {
        double radius[HOP_MAX_SHELLS];
        hop_corr_params cp;
        hop_run_corr_params(p, radius, &cp);
        for (unsigned long long r = first; r < first + count; ++r) {
            hop_corr_outcome o;
            hop_corr_replica(L, &cp, p->seed, r, &o);
            fprintf(out, "%d %d %d %lld\n", o.first_type, o.next_type, o.shell, (long long)o.steps);
        }
    } else {
        hop_msd_params mp;
        int64_t row[HOP_MSD_MAX_ROW];
        hop_run_msd_params(p, p->size, &mp);
        for (unsigned long long r = first; r < first + count; ++r) {
            hop_msd_replica(L, &mp, p->seed, r, row);
            for (int k = 0; k < hop_msd_row_len(L, &mp); ++k)
                fprintf(out, "%s%lld", k ? " " : "", (long long)row[k]);
            fprintf(out, "\n");
        }
    }
}

static void compare(const char *lattice, int estimator, unsigned long long count)
{
#ifndef HOP_STEP_NVCC
    (void)lattice; (void)estimator; (void)count;
    cr_skip_test("nvcc not found at configure time: step code not checked under CUDA");
#else
    hop_params p;
    char msg[256], cmd[512], *want = NULL, got[8192], line[8192];
    size_t want_len = 0;
    FILE *mem, *pipe;
    unsigned long long first = 1000, n = 0;
    const char *w;
    hop_params_default(&p);
    if (strchr(lattice, '/'))
        cr_assert_eq(hop_lattice_load(lattice, &p.lattice, msg, sizeof msg), HOP_OK, "%s", msg);
    else
        p.lattice = hop_lattice_find(lattice);
    p.estimator = estimator == SOLUTE ? HOP_EST_CORR : estimator;
    p.backend = HOP_BACKEND_CPU;
    p.seed = SEED;
    if (estimator == SOLUTE)     /* the rates tests/step_nvcc.cu uses for "solute" */
        hop_step_nvcc_solute(&p);
    if (estimator == GAS || estimator == GASV)
        hop_step_nvcc_gas(&p, estimator == GASV);
    if (estimator == ALLOY)
        hop_step_nvcc_alloy(&p);
    cr_assert_eq(hop_params_resolve(&p, msg, sizeof msg), HOP_OK, "%s", msg);
    mem = open_memstream(&want, &want_len);
    cr_assert_not_null(mem);
    expected_lines(&p, first, count, mem);
    fclose(mem);
    snprintf(cmd, sizeof cmd, "%s %s %s %llu %llu %llu", HOP_STEP_NVCC, lattice,
             mode_name(estimator), (unsigned long long)SEED, first, count);
    pipe = popen(cmd, "r");
    cr_assert_not_null(pipe, "cannot run %s", cmd);
    w = want;
    while (fgets(got, sizeof got, pipe)) {
        const char *nl = strchr(w, '\n');
        size_t len = nl ? (size_t)(nl - w + 1) : strlen(w);
        cr_assert_lt(len, sizeof line);
        memcpy(line, w, len);
        line[len] = '\0';
        cr_assert_str_eq(got, line, "%s %s replica %llu: nvcc build gave\n  %.120s\ngcc build gave\n  %.120s",
                         lattice, mode_name(estimator), first + n, got, line);
        w += len;
        ++n;
    }
    cr_assert_eq(pclose(pipe), 0, "%s failed", cmd);
    cr_assert_eq(n, count, "%s: %llu lines from nvcc build, want %llu", lattice, n, count);
    free(want);
#endif
}

#define BOTH(name)                                                              \
    Test(step_nvcc, name##_corr) { compare(#name, HOP_EST_CORR, CORR_REPLICAS); } \
    Test(step_nvcc, name##_msd) { compare(#name, HOP_EST_MSD, MSD_REPLICAS); }

BOTH(chain)
BOTH(square)
BOTH(triangular)
BOTH(honeycomb)
BOTH(sc)
BOTH(bcc)
BOTH(fcc)
BOTH(diamond)
BOTH(hcp)
/* Lattices with unequal rates (the alias tables, include/hop/step.h's hop_typed_pick):
 * one sublattice with per-jump rates, and four with two lengths and a site energy. */
#define TYPED(name, file)                                                                  \
    Test(step_nvcc, name##_corr) {                                                          \
        compare(HOP_SOURCE_DIR "/tests/lattices/" file, HOP_EST_CORR, CORR_REPLICAS); }    \
    Test(step_nvcc, name##_msd) {                                                           \
        compare(HOP_SOURCE_DIR "/tests/lattices/" file, HOP_EST_MSD, MSD_REPLICAS); }
TYPED(typed_sc_layered, "sc-layered.lat")
TYPED(typed_pyrochlore_nnn, "pyrochlore-nnn.lat")
/* The solute model's residence-time selection (64-bit products, rate classes). */
Test(step_nvcc, fcc_solute) { compare("fcc", SOLUTE, CORR_REPLICAS); }
Test(step_nvcc, bcc_solute) { compare("bcc", SOLUTE, CORR_REPLICAS); }
/* The lattice gas (include/hop/gas.h): both kinds of mover, with interactions. */
Test(step_nvcc, sc_gas) { compare("sc", GAS, GAS_REPLICAS); }
Test(step_nvcc, fcc_gas_vacancies) { compare("fcc", GASV, GAS_REPLICAS); }
Test(step_nvcc, honeycomb_gas) { compare("honeycomb", GAS, GAS_REPLICAS); }
/* The concentrated alloy (include/hop/alloy.h): residence-time selection over two
 * vacancies, an immobile species. */
Test(step_nvcc, bcc_alloy) { compare("bcc", ALLOY, ALLOY_REPLICAS); }
Test(step_nvcc, honeycomb_alloy) { compare("honeycomb", ALLOY, ALLOY_REPLICAS); }

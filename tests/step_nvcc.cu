/* step_nvcc.cu: the shared step code (include/hop/step.h) compiled by nvcc.
 *
 * Two checks that the per-step physics is written "for both backends" (README):
 *  - a kernel that runs one corr and one msd replica per thread is compiled for the
 *    device (sm_90 by default), so the step code must be valid CUDA;
 *  - this host program runs replicas through the same functions compiled by nvcc's
 *    C++ front end and prints their integer outcomes, which tests/test_step_nvcc.c
 *    compares with the outcomes of the gcc-compiled C99 build, replica by replica.
 *
 *   step_nvcc LATTICE corr|msd|solute|gas|gasv|alloy SEED FIRST COUNT   (LATTICE: a
 *   built-in's name, or a lattice file's path (a name with a '/'); solute: corr with
 *   the rates of step_nvcc_rates.h; gas, gasv: the lattice gas, alloy: the alloy of
 *   step_nvcc_rates.h)
 * prints one line per replica (the format of tests/test_step_nvcc.c's print_*). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern "C" {
#include "lattice/file.h"
#include "run/run.h"
#include "models/gas.h"
#include "models/alloy.h"
}
#include "step_nvcc_rates.h"

__global__ void hop_step_device_check(const hop_lattice *L, const hop_corr_params *cp,
                                      const hop_msd_params *mp, uint64_t seed,
                                      hop_corr_outcome *corr, int64_t *msd)
{
    const uint64_t r = blockIdx.x * (uint64_t)blockDim.x + threadIdx.x;
    hop_corr_replica(L, cp, seed, r, &corr[r]);
    hop_msd_replica(L, mp, seed, r, msd + r * HOP_MSD_MAX_ROW);
}

/* The alloy's step code compiled for the device too (one replica per thread). */
__global__ void hop_alloy_device_check(const hop_lattice *L, const hop_alloy_params *ap,
                                       const hop_gas_box *box, uint64_t seed, void *space,
                                       size_t bytes, int64_t *rows)
{
    const uint64_t r = blockIdx.x * (uint64_t)blockDim.x + threadIdx.x;
    hop_alloy_work w;
    hop_alloy_work_carve(ap, (char *)space + r * bytes, &w);
    hop_alloy_replica(L, ap, box, seed, r, &w, rows + r * HOP_ALLOY_MAX_ROW);
}

int main(int argc, char **argv)
{
    const hop_lattice *L;
    hop_params p;
    char msg[256];
    unsigned long long seed, first, count;
    if (argc == 6 && strchr(argv[1], '/') && hop_lattice_load(argv[1], &L, msg, sizeof msg) != HOP_OK) {
        fprintf(stderr, "step_nvcc: %s\n", msg);
        return 2;
    }
    if (argc != 6 || !(strchr(argv[1], '/') || (L = hop_lattice_find(argv[1])))) {
        fprintf(stderr, "usage: step_nvcc LATTICE corr|msd|solute SEED FIRST COUNT\n");
        return 2;
    }
    seed = strtoull(argv[3], NULL, 0);
    first = strtoull(argv[4], NULL, 0);
    count = strtoull(argv[5], NULL, 0);
    hop_params_default(&p);
    p.lattice = L;
    p.estimator = strcmp(argv[2], "msd") == 0 ? HOP_EST_MSD : HOP_EST_CORR;
    p.backend = HOP_BACKEND_CPU;
    p.seed = seed;
    if (strcmp(argv[2], "solute") == 0)
        hop_step_nvcc_solute(&p);
    if (strncmp(argv[2], "gas", 3) == 0)
        hop_step_nvcc_gas(&p, strcmp(argv[2], "gasv") == 0);
    if (strcmp(argv[2], "alloy") == 0)
        hop_step_nvcc_alloy(&p);
    if (hop_params_resolve(&p, msg, sizeof msg) != HOP_OK) {
        fprintf(stderr, "step_nvcc: %s\n", msg);
        return 2;
    }
    if (p.model == HOP_MODEL_GAS)
        return hop_step_nvcc_gas_rows(&p, first, count, stdout);
    if (p.model == HOP_MODEL_ALLOY)
        return hop_step_nvcc_alloy_rows(&p, first, count, stdout);
    if (p.estimator == HOP_EST_CORR) {
        double radius[HOP_MAX_SHELLS];
        hop_corr_params cp;
        hop_run_corr_params(&p, radius, &cp);
        for (unsigned long long r = first; r < first + count; ++r) {
            hop_corr_outcome o;
            hop_corr_replica(L, &cp, seed, r, &o);
            printf("%d %d %d %lld\n", o.first_type, o.next_type, o.shell, (long long)o.steps);
        }
    } else {
        hop_msd_params mp;
        int64_t row[HOP_MSD_MAX_ROW];
        hop_run_msd_params(&p, p.size, &mp);
        for (unsigned long long r = first; r < first + count; ++r) {
            hop_msd_replica(L, &mp, seed, r, row);
            for (int k = 0; k < hop_msd_row_len(L, &mp); ++k)
                printf("%s%lld", k ? " " : "", (long long)row[k]);
            printf("\n");
        }
    }
    return 0;
}

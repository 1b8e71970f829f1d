/* cuda_stub.c: the CUDA backend of a build without CUDA (HOP_CUDA=OFF, or no
 * nvcc found): every entry point says so. */
#include <stdio.h>
#include "backend/cuda.h"

#define NO_CUDA "no CUDA support in this build (configured without nvcc or with -DHOP_CUDA=OFF)"

hop_status hop_cuda_probe(hop_cuda_info *info, char *why, size_t why_len)
{
    (void)info;
    snprintf(why, why_len, "%s", NO_CUDA);
    return HOP_ERR_NODEV;
}

hop_status hop_cuda_select(int local_rank)
{
    (void)local_rank;
    return HOP_OK;
}

hop_status hop_cuda_run_corr(const hop_lattice *L, const hop_corr_params *p, uint64_t seed,
                             uint64_t first, uint64_t count, uint64_t batch,
                             hop_corr_counts *counts, int *batches)
{
    (void)L; (void)p; (void)seed; (void)first; (void)count; (void)batch; (void)counts;
    (void)batches;
    return hop_error(HOP_ERR_NODEV, "--backend cuda: %s", NO_CUDA);
}

hop_status hop_cuda_run_msd(const hop_lattice *L, const hop_msd_params *p, uint64_t seed,
                            uint64_t first, uint64_t count, uint64_t batch,
                            hop_msd_accum *acc, int *batches)
{
    (void)L; (void)p; (void)seed; (void)first; (void)count; (void)batch; (void)acc;
    (void)batches;
    return hop_error(HOP_ERR_NODEV, "--backend cuda: %s", NO_CUDA);
}

hop_status hop_cuda_run_gas(const hop_lattice *L, const hop_gas_model *m, uint64_t seed,
                            uint64_t first, uint64_t count, uint64_t batch,
                            hop_msd_accum *acc, int *batches)
{
    (void)L; (void)m; (void)seed; (void)first; (void)count; (void)batch; (void)acc;
    (void)batches;
    return hop_error(HOP_ERR_NODEV, "--backend cuda: %s", NO_CUDA);
}

hop_status hop_cuda_run_alloy(const hop_lattice *L, const hop_alloy_params *ap,
                              const hop_gas_box *box, uint64_t seed, uint64_t first,
                              uint64_t count, uint64_t batch, hop_msd_accum *acc, int *batches)
{
    (void)L; (void)ap; (void)box; (void)seed; (void)first; (void)count; (void)batch;
    (void)acc; (void)batches;
    return hop_error(HOP_ERR_NODEV, "--backend cuda: %s", NO_CUDA);
}

hop_status hop_cuda_time_ceiling(uint64_t seed, uint64_t count, uint64_t words, double *seconds)
{
    (void)seed; (void)count; (void)words; (void)seconds;
    return hop_error(HOP_ERR_NODEV, "--backend cuda: %s", NO_CUDA);
}

hop_status hop_cuda_wave(const hop_lattice *L, const hop_corr_params *cp,
                         const hop_gas_model *m, uint64_t *replicas)
{
    (void)L; (void)cp; (void)m;
    *replicas = 0;
    return hop_error(HOP_ERR_NODEV, "--backend cuda: %s", NO_CUDA);
}

double hop_cuda_kernel_seconds(int reset)
{
    (void)reset;
    return 0;
}

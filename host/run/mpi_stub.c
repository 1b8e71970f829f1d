/* mpi_stub.c: the single process of a build without MPI (see run/mpi.h): rank 0 of 1, and
 * every collective is the identity. */
#include "run/mpi.h"

hop_status hop_mpi_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return HOP_OK;
}

int hop_mpi_rank(void) { return 0; }
int hop_mpi_size(void) { return 1; }
int hop_mpi_local_rank(void) { return 0; }

void hop_mpi_slice(uint64_t first, uint64_t count, uint64_t *lo, uint64_t *hi)
{
    *lo = first;
    *hi = first + count;
}

void hop_mpi_max_int(int *v, int n) { (void)v; (void)n; }
void hop_mpi_bcast_u64(uint64_t *v, int n) { (void)v; (void)n; }
void hop_mpi_bcast_bytes(void *v, size_t n) { (void)v; (void)n; }
void hop_mpi_sum_u64(uint64_t *v, size_t n) { (void)v; (void)n; }
void hop_mpi_sum_msd(hop_msd_accum *a) { (void)a; }

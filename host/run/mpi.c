/* mpi.c: hop across processes with MPI (see run/mpi.h).  Built when CMake finds MPI.  A
 * process not started by an MPI launcher does not initialise MPI at all (no singleton
 * start-up cost); it is then rank 0 of 1 and every collective below is skipped. */
#include <mpi.h>
#include <stdlib.h>
#include "run/mpi.h"

static int rank, size = 1, local_rank;

static void finalize_at_exit(void)
{
    int done = 0;
    MPI_Finalized(&done);
    if (!done)
        MPI_Finalize();
}

/* Whether a launcher (mpirun, srun) started this process as part of a job. */
static int launched_by_mpi(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK",
                                       "PMI_SIZE"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; ++i)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

hop_status hop_mpi_init(int *argc, char ***argv)
{
    MPI_Comm node;
    if (!launched_by_mpi())
        return HOP_OK;          /* a plain process: rank 0 of 1, MPI never touched */
    if (MPI_Init(argc, argv) != MPI_SUCCESS)
        return hop_error(HOP_ERR_IO, "MPI_Init failed");
    atexit(finalize_at_exit);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
    MPI_Comm_rank(node, &local_rank);
    MPI_Comm_free(&node);
    return HOP_OK;
}

int hop_mpi_rank(void) { return rank; }
int hop_mpi_size(void) { return size; }
int hop_mpi_local_rank(void) { return local_rank; }

void hop_mpi_slice(uint64_t first, uint64_t count, uint64_t *lo, uint64_t *hi)
{
    /* count * rank / size without overflow: count < 2^40 (MAX_REPLICAS), size < 2^23 */
    *lo = first + count / (uint64_t)size * (uint64_t)rank
          + count % (uint64_t)size * (uint64_t)rank / (uint64_t)size;
    *hi = first + count / (uint64_t)size * (uint64_t)(rank + 1)
          + count % (uint64_t)size * (uint64_t)(rank + 1) / (uint64_t)size;
}

void hop_mpi_max_int(int *v, int n)
{
    if (size > 1)
        MPI_Allreduce(MPI_IN_PLACE, v, n, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
}

void hop_mpi_bcast_u64(uint64_t *v, int n)
{
    if (size > 1)
        MPI_Bcast(v, n, MPI_UINT64_T, 0, MPI_COMM_WORLD);
}

void hop_mpi_bcast_bytes(void *v, size_t n)
{
    unsigned char *b = v;
    const size_t chunk = (size_t)1 << 30;
    for (size_t at = 0; size > 1 && at < n; at += chunk)
        MPI_Bcast(b + at, (int)(n - at < chunk ? n - at : chunk), MPI_BYTE, 0, MPI_COMM_WORLD);
}

void hop_mpi_sum_u64(uint64_t *v, size_t n)
{
    if (size > 1)
        MPI_Allreduce(MPI_IN_PLACE, v, (int)n, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
}

/* MPI_Op for 128-bit integers: wrapping addition, which is associative and commutative,
 * so MPI may combine in any order and the sum is exact. */
static void add_i128(void *in, void *inout, int *len, MPI_Datatype *type)
{
    const hop_i128 *a = in;
    hop_i128 *b = inout;
    (void)type;
    for (int i = 0; i < *len; ++i)
        b[i] = (hop_i128)((hop_u128)b[i] + (hop_u128)a[i]);
}

void hop_mpi_sum_msd(hop_msd_accum *a)
{
    MPI_Datatype i128;
    MPI_Op add;
    uint64_t counts[3];
    if (size == 1)
        return;
    counts[0] = a->replicas;
    counts[1] = a->vacancy_steps;
    counts[2] = a->tracer_jumps;
    hop_mpi_sum_u64(counts, 3);
    a->replicas = counts[0];
    a->vacancy_steps = counts[1];
    a->tracer_jumps = counts[2];
    MPI_Type_contiguous((int)sizeof(hop_i128), MPI_BYTE, &i128);
    MPI_Type_commit(&i128);
    MPI_Op_create(add_i128, 1, &add);
    MPI_Allreduce(MPI_IN_PLACE, a->entry, hop_msd_entries(a->n_series, a->n_times), i128, add,
                  MPI_COMM_WORLD);
    MPI_Op_free(&add);
    MPI_Type_free(&i128);
}

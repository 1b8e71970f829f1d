/* mpi.h: hop across processes (Open MPI), or a single process when built without MPI
 * (host/run/mpi_stub.c).
 *
 * Under `mpirun -n N hop run ...` every rank parses the same command line, runs a
 * contiguous slice of every sub-batch of replicas (replica r keeps its global index as
 * its Philox subsequence, so which rank runs it does not matter) and the integer
 * statistics are summed across ranks after each sub-batch.  Integer sums are exact in
 * any order, so the result has the bits of one process running all replicas.  Every
 * decision that could differ between ranks (a sub-batch's size, a time limit, a
 * signal, an error on one rank) is taken collectively, so the ranks never disagree
 * and never wait on each other forever; rank 0 alone reads checkpoints (and sends their
 * state to the others) and writes files and progress.  A rank that dies ends the job:
 * mpirun stops the others. */
#ifndef HOP_MPI_JOB_H
#define HOP_MPI_JOB_H

#include <stddef.h>
#include <stdint.h>
#include "hop/status.h"
#include "stats/msd.h"

/* Initialises MPI when a launcher (mpirun, srun) started the process and arranges
 * MPI_Finalize at exit; a plain process stays rank 0 of 1.  Returns HOP_OK or
 * HOP_ERR_IO. */
hop_status hop_mpi_init(int *argc, char ***argv);

int hop_mpi_rank(void);         /* 0 .. size-1; 0 without MPI */
int hop_mpi_size(void);         /* ranks in the job; 1 without MPI */
int hop_mpi_local_rank(void);   /* rank among the job's processes on this node */

/* The slice [*lo, *hi) of replicas [first, first + count) this rank runs: contiguous
 * and as equal as possible, rank order. */
void hop_mpi_slice(uint64_t first, uint64_t count, uint64_t *lo, uint64_t *hi);

/* The largest of every rank's v[i], in place on every rank (collective). */
void hop_mpi_max_int(int *v, int n);
/* Rank 0's values of v[0..n), on every rank (collective). */
void hop_mpi_bcast_u64(uint64_t *v, int n);
void hop_mpi_bcast_bytes(void *v, size_t n);
/* Sums across ranks, in place on every rank (collective): exact (mod 2^64, 2^128). */
void hop_mpi_sum_u64(uint64_t *v, size_t n);
void hop_mpi_sum_msd(hop_msd_accum *a);

#endif

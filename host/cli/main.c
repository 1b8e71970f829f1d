/* main.c: the hop executable.  Under mpirun every process joins the MPI job and takes
 * its node's GPU by local rank (host/run/mpi.h); everything else happens in hop_cli_main
 * (host/cli/cli.c). */
#include "backend/cuda.h"
#include "cli/cli.h"
#include "run/mpi.h"

int main(int argc, char **argv)
{
    if (hop_mpi_init(&argc, &argv) != HOP_OK)
        return 1;
    if (hop_mpi_size() > 1 && hop_cuda_select(hop_mpi_local_rank()) != HOP_OK)
        return 1;
    return hop_cli_main(argc, argv);
}

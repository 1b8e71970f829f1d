/* cpu_gas.c: the CPU backend of the lattice gas (see backend/cpu.h): the shared step
 * code of include/hop/gas.h in chunks of replicas, run over threads by the row driver
 * (backend/cpu_rows.h).  Each thread owns a
 * workspace (occupancy, movers, displacements and the movers' target table: about 18 +
 * 4 z min(c, 1 - c) bytes per site, in cache for the default 512-site box) and private
 * integer accumulators, merged at the end in any order (integer sums). */
#include "backend/cpu.h"
#include "backend/cpu_rows.h"
#include "backend/gas_job.h"

#if defined(__GNUC__)
#  define HOP_NOINLINE __attribute__((noinline))
#else
#  define HOP_NOINLINE
#endif
#define GAS_CHUNK 4

typedef struct {
    const hop_lattice *L;
    const hop_gas_model *m;
} gas_job;

/* Replicas [begin, end) on private copies of the lattice and parameters (so the
 * compiler keeps them out of memory it must reload after every store; hop_cpu_chunk_fn). */
static HOP_NOINLINE void gas_chunk(const void *job, uint64_t seed, uint64_t begin, uint64_t end,
                                   void *space, int64_t *row, hop_msd_accum *acc)
{
    const gas_job *j = job;
    const hop_lattice lat = *j->L;
    const hop_gas_params par = j->m->gp;
    const hop_gas_box box = j->m->box;
    hop_gas_work work;
    hop_gas_work_carve(&par, 1, space, &work);
    for (uint64_t r = begin; r < end; ++r) {
        hop_gas_replica_run(&lat, &par, &box, seed, r, &work, row, 1);   /* with targets */
        hop_msd_accum_add(acc, row);
    }
}

hop_status hop_cpu_gas(const hop_lattice *L, const hop_gas_model *m, uint64_t seed,
                       uint64_t first, uint64_t count, int threads, int *used,
                       hop_msd_accum *acc)
{
    const gas_job job = {L, m};
    const hop_cpu_rows rows = {gas_chunk, &job,
                               hop_gas_work_ints(&m->gp, L->z, 1) * sizeof(int32_t),
                               HOP_GAS_MAX_ROW, GAS_CHUNK};
    return hop_cpu_rows_run(&rows, seed, first, count, threads, used, acc);
}

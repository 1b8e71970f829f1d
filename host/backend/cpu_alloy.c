/* cpu_alloy.c: the CPU backend of the concentrated alloy (see backend/cpu.h): the shared
 * step code of include/hop/alloy.h in chunks of replicas, run over threads by the row
 * driver (backend/cpu_rows.h).  Each thread owns a workspace (about 28 bytes per site:
 * in cache for the default 512-site box) and private integer accumulators. */
#include "backend/cpu.h"
#include "backend/cpu_rows.h"

#if defined(__GNUC__)
#  define HOP_NOINLINE __attribute__((noinline))
#else
#  define HOP_NOINLINE
#endif
#define ALLOY_CHUNK 4

/* The hot loop, hop_alloy_advance, one function for each specialisation that
 * hop_alloy_advance_any makes (z and the general path constants), chosen once per
 * chunk: each is compiled on its own, its registers not shared with the records, the
 * start or the other variants, so what the compiler makes of one does not move with
 * changes to the rest of this file.  The lattice, parameters and box are private copies
 * (the caller's), which the stores into the workspace cannot alias. */
typedef void alloy_advance_fn(const hop_lattice *L, const hop_alloy_params *p,
                              const hop_gas_box *box, hop_alloy_work *w, hop_alloy_state *st,
                              int64_t until);

#define ALLOY_ADVANCE(name, z, ia, one)                                                      \
    static HOP_NOINLINE void name(const hop_lattice *L, const hop_alloy_params *p,          \
                                  const hop_gas_box *box, hop_alloy_work *w,                 \
                                  hop_alloy_state *st, int64_t until)                        \
    {                                                                                        \
        hop_alloy_advance(L, p, box, w, st, z, ia, one, until);                              \
    }
ALLOY_ADVANCE(alloy_advance_4_one, 4, 0, 1)
ALLOY_ADVANCE(alloy_advance_6_one, 6, 0, 1)
ALLOY_ADVANCE(alloy_advance_8_one, 8, 0, 1)
ALLOY_ADVANCE(alloy_advance_12_one, 12, 0, 1)
ALLOY_ADVANCE(alloy_advance_z_one, L->z, 0, 1)
ALLOY_ADVANCE(alloy_advance_4, 4, 0, 0)
ALLOY_ADVANCE(alloy_advance_6, 6, 0, 0)
ALLOY_ADVANCE(alloy_advance_8, 8, 0, 0)
ALLOY_ADVANCE(alloy_advance_12, 12, 0, 0)
ALLOY_ADVANCE(alloy_advance_z, L->z, 0, 0)
ALLOY_ADVANCE(alloy_advance_general, L->z, 1, 0)

/* hop_alloy_advance_any's choice. */
static alloy_advance_fn *alloy_advance_for(const hop_lattice *L, const hop_alloy_params *p)
{
    alloy_advance_fn *const one[] = {alloy_advance_4_one, alloy_advance_6_one,
                                     alloy_advance_8_one, alloy_advance_12_one,
                                     alloy_advance_z_one};
    alloy_advance_fn *const many[] = {alloy_advance_4, alloy_advance_6, alloy_advance_8,
                                      alloy_advance_12, alloy_advance_z};
    const int i = L->z == 4 ? 0 : L->z == 6 ? 1 : L->z == 8 ? 2 : L->z == 12 ? 3 : 4;
    if (p->interacting || p->classed)
        return alloy_advance_general;
    return p->n_vacancies == 1 ? one[i] : many[i];
}

typedef struct {
    const hop_lattice *L;
    const hop_alloy_params *ap;
    const hop_gas_box *box;
} alloy_job;

/* Replicas [begin, end): hop_alloy_replica with the advance specialised above, on
 * private copies of the lattice, parameters and box (hop_cpu_chunk_fn). */
static HOP_NOINLINE void alloy_chunk(const void *job, uint64_t seed, uint64_t begin,
                                     uint64_t end, void *space, int64_t *row,
                                     hop_msd_accum *acc)
{
    const alloy_job *j = job;
    const hop_lattice lat = *j->L;
    const hop_alloy_params par = *j->ap;
    const hop_gas_box b = *j->box;
    alloy_advance_fn *advance = alloy_advance_for(&lat, &par);
    hop_alloy_work w;
    hop_alloy_work_carve(&par, space, &w);
    for (uint64_t r = begin; r < end; ++r) {
        hop_alloy_state st;
        int next = 0;
        hop_alloy_begin(&lat, &par, &b, seed, r, &w, &st);
        hop_alloy_equilibrate(&lat, &par, &b, &w, &st);
        do
            advance(&lat, &par, &b, &w, &st, par.time_ticks[next]);
        while (hop_alloy_record_due(&lat, &par, &b, &w, &st, row, &next));
        hop_alloy_end(&par, &st, row);
        hop_msd_accum_add(acc, row);
    }
}

hop_status hop_cpu_alloy(const hop_lattice *L, const hop_alloy_params *ap, const hop_gas_box *box,
                         uint64_t seed, uint64_t first, uint64_t count, int threads, int *used,
                         hop_msd_accum *acc)
{
    const alloy_job job = {L, ap, box};
    const hop_cpu_rows rows = {alloy_chunk, &job, hop_alloy_work_bytes(ap),
                               (size_t)hop_alloy_row_len(ap), ALLOY_CHUNK};
    return hop_cpu_rows_run(&rows, seed, first, count, threads, used, acc);
}

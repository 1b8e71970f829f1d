/* test_batch.c: sizes of device batches (host/backend/batch.c), the arithmetic behind the
 * CUDA backend's "batches sized from free memory, smaller on out-of-memory", the latter
 * against a simulated device of a tiny memory budget. */
#include <criterion/criterion.h>
#include "backend/batch.h"

Test(batch, user_choice_wins_but_never_exceeds_what_remains)
{
    cr_assert_eq(hop_batch_size(1000, 1u << 20, 0, 8, 0), 1000);
    cr_assert_eq(hop_batch_size(1000, 10, (size_t)1 << 40, 8, 0), 10);
    cr_assert_eq(hop_batch_size(1000, 0, (size_t)1 << 40, 8, 0), 0);
}

Test(batch, sized_from_free_memory)
{
    const size_t row = 1000, free_bytes = (size_t)1 << 30;
    const uint64_t fit = (uint64_t)(HOP_BATCH_MEMORY_FRACTION * (double)free_bytes / row);
    cr_assert_eq(hop_batch_size(0, UINT64_C(1) << 40, free_bytes, row, 0), fit);
    cr_assert_eq(hop_batch_size(0, UINT64_C(1) << 40, free_bytes, row, 4096), 4096);
    cr_assert_eq(hop_batch_size(0, 17, free_bytes, row, 4096), 17);
    /* No memory per replica (corr): everything that remains, up to the cap. */
    cr_assert_eq(hop_batch_size(0, 12345, 0, 0, 0), 12345);
    cr_assert_eq(hop_batch_size(0, 12345, 0, 0, 100), 100);
    /* Almost no free memory: still one replica, so the allocation itself decides. */
    cr_assert_eq(hop_batch_size(0, 12345, 10, row, 0), 1);
}

Test(batch, shrinking_ends_at_zero)
{
    uint64_t b = 1000, steps = 0;
    while ((b = hop_batch_shrink(b)) > 0)
        ++steps;
    cr_assert_eq(steps, 9, "1000 halves to 1 in 9 steps, then 0 (not enough memory)");
    cr_assert_eq(hop_batch_shrink(1), 0);
}

/* A simulated device: `budget` bytes, one allocation at a time; counts the tries. */
typedef struct {
    size_t budget;
    int tries, fail_other;
    char memory[4096];
} sim_device;

static int sim_alloc(void *ctx, size_t bytes, void **p)
{
    sim_device *d = ctx;
    ++d->tries;
    if (d->fail_other)
        return -1;
    if (bytes > d->budget)
        return 1;
    *p = d->memory;
    return 0;
}

Test(batch, halved_on_out_of_memory_until_it_fits)
{
    sim_device d = {.budget = 1000};
    void *p = NULL;
    uint64_t count = 64;          /* 64 x 100 B asked, 1000 B there: 32, 16, then 8 fit */
    cr_assert_eq(hop_batch_alloc(sim_alloc, &d, 100, &count, &p), 0);
    cr_assert_eq(count, 8);
    cr_assert_eq(d.tries, 4);
    cr_assert_eq(p, d.memory);
    /* exactly the budget fits at once */
    d.tries = 0, count = 10;
    cr_assert_eq(hop_batch_alloc(sim_alloc, &d, 100, &count, &p), 0);
    cr_assert(count == 10 && d.tries == 1);
}

Test(batch, not_one_unit_fits_or_another_failure)
{
    sim_device d = {.budget = 99};
    void *p = NULL;
    uint64_t count = 5;
    cr_assert_eq(hop_batch_alloc(sim_alloc, &d, 100, &count, &p), 1);
    cr_assert_eq(count, 0);
    cr_assert_eq(d.tries, 3, "5, 2, 1 units tried");
    d.fail_other = 1, d.budget = 1 << 20, count = 5;
    cr_assert_eq(hop_batch_alloc(sim_alloc, &d, 100, &count, &p), -1, "no retry on other errors");
    cr_assert_eq(d.tries, 4);
}

/* The gas workspace: a block of resident threads needs its own workspace; blocks are
 * sized as batches are (hop_batch_size with one block as the unit), so a box of 1e5
 * sites on a small device gets fewer resident blocks instead of failing. */
Test(batch, gas_workspace_blocks_from_free_memory)
{
    const size_t block = (size_t)128 * 4 * 400000 * sizeof(int32_t);   /* ~820 MB */
    cr_assert_eq(hop_batch_size(0, 660, (size_t)80 << 30, block, 0), 52);
    cr_assert_eq(hop_batch_size(0, 660, (size_t)1 << 20, block, 0), 1, "the allocation decides");
    cr_assert_eq(hop_batch_size(0, 4, (size_t)80 << 30, block, 0), 4, "never more than asked");
}

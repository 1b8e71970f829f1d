/* test_batch.c: sizes of device batches (host/backend/batch.c), the arithmetic behind the
 * CUDA backend's "batches sized from free memory, smaller on out-of-memory". */
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

/* batch.c: sizes of device batches (see batch.h). */
#include "backend/batch.h"

uint64_t hop_batch_size(uint64_t requested, uint64_t remaining, size_t free_bytes,
                        size_t bytes_per_replica, uint64_t cap)
{
    uint64_t n = requested;
    if (remaining == 0)
        return 0;
    if (n == 0) {
        n = remaining;
        if (bytes_per_replica > 0) {
            const double fit = HOP_BATCH_MEMORY_FRACTION * (double)free_bytes
                               / (double)bytes_per_replica;
            if (fit < (double)n)
                n = (uint64_t)fit;
        }
        if (cap > 0 && n > cap)
            n = cap;
    }
    if (n > remaining)
        n = remaining;
    return n > 0 ? n : 1;
}

uint64_t hop_batch_shrink(uint64_t batch)
{
    return batch / 2;
}

int hop_batch_alloc(hop_batch_alloc_fn alloc, void *ctx, size_t unit_bytes, uint64_t *count,
                    void **p)
{
    while (*count > 0) {
        const int r = alloc(ctx, (size_t)*count * unit_bytes, p);
        if (r != 1)
            return r;
        *count = hop_batch_shrink(*count);
    }
    return 1;
}

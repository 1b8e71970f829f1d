/* batch.h: how many replicas a device batch holds.  Pure arithmetic, so it is tested
 * on every machine (tests/test_batch.c) although only the CUDA backend uses it. */
#ifndef HOP_BATCH_H
#define HOP_BATCH_H

#include <stddef.h>
#include <stdint.h>

/* Share of the free device memory one batch may take. */
#define HOP_BATCH_MEMORY_FRACTION 0.5

/* Replicas in the next batch: `requested` if nonzero (the user's --batch), else as
 * many as fit in HOP_BATCH_MEMORY_FRACTION of free_bytes at bytes_per_replica (no
 * limit when bytes_per_replica is 0), never more than cap (if nonzero) or remaining,
 * and at least 1 while anything remains.  0 only when remaining is 0. */
uint64_t hop_batch_size(uint64_t requested, uint64_t remaining, size_t free_bytes,
                        size_t bytes_per_replica, uint64_t cap);

/* After an allocation of a batch failed for lack of memory: the next smaller batch to
 * try (half), or 0 when even one replica did not fit. */
uint64_t hop_batch_shrink(uint64_t batch);

#endif

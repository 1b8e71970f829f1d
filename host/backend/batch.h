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

/* An allocator for hop_batch_alloc (cudaMalloc in the CUDA backend, a simulated budget
 * in tests/test_batch.c): 0 when it allocated `bytes` at *p, 1 when the device lacks the
 * memory (a smaller request may succeed), -1 on any other failure. */
typedef int (*hop_batch_alloc_fn)(void *ctx, size_t bytes, void **p);

/* Allocates *count units of unit_bytes each (replica rows, or blocks' workspaces) with
 * alloc, halving *count (hop_batch_shrink) while memory is lacking.  Returns 0 with
 * *count the units allocated at *p; 1 when not even one unit fits (*count 0); -1 when
 * alloc failed otherwise. */
int hop_batch_alloc(hop_batch_alloc_fn alloc, void *ctx, size_t unit_bytes, uint64_t *count,
                    void **p);

#endif

/* fuzz.h: what the fuzz targets of tests/fuzz/ share.  Each target defines
 * LLVMFuzzerTestOneInput, the entry point of libFuzzer (clang -fsanitize=fuzzer, the
 * HOP_FUZZ build) and of tests/fuzz/replay.c (any compiler: the corpus and the
 * regression inputs as ordinary tests). */
#ifndef HOP_FUZZ_H
#define HOP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Runs one input; returns 0 (libFuzzer's convention).  A broken invariant aborts. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property every input must keep; assert() would vanish under NDEBUG (Release).
 * Aborting is how a target reports a finding to libFuzzer and to replay. */
#define HOP_FUZZ_CHECK(cond, ...)                                                 \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "%s:%d: fuzz check failed: %s: ", __FILE__, __LINE__, \
                    #cond);                                                       \
            fprintf(stderr, __VA_ARGS__);                                         \
            fputc('\n', stderr);                                                  \
            abort();                                                              \
        }                                                                         \
    } while (0)

#endif

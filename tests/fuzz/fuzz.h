/* fuzz.h: what the fuzz targets of tests/fuzz/ share (fuzz_args.c: command lines).
 * Each target defines LLVMFuzzerTestOneInput, the entry point of libFuzzer (clang
 * -fsanitize=fuzzer, the HOP_FUZZ build) and of tests/fuzz/replay.c (any compiler: the
 * corpus and the regression inputs as ordinary tests). */
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

/* Command lines (fuzz_args.c).  The input split into arguments, one per line (a last
 * newline ends the last argument; an empty line is an empty argument), after
 * argv[0] = prog, with argv[*argc] = NULL: one allocation for the caller to free.
 * NULL (nothing to free) for more than HOP_FUZZ_MAX_ARGS arguments. */
#define HOP_FUZZ_MAX_ARGS 64
char **hop_fuzz_args(const uint8_t *data, size_t size, char *prog, int *argc);

/* Whether argument a is a long option that getopt_long would take for --lattice-file:
 * the name before any '=' is a prefix of "lattice-file" longer than "lattice"
 * (shorter prefixes are --lattice itself or ambiguous).  The command-line targets skip
 * such inputs: the option reads any path, /dev/stdin included (lattice files have
 * their own target). */
int hop_fuzz_names_lattice_file(const char *a);

#endif

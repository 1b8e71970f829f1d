/* curand_stream.cu: prints cuRAND's own Philox4_32_10 stream, computed on the CPU,
 * so that tests/test_curand_equiv.c can compare it word for word with hop's C twin
 * (include/hop/rng.h).  No GPU is needed: redefining QUALIFIERS before including
 * curand_kernel.h makes cuRAND's device functions host-callable, and NVIDIA's
 * NV_IF_ELSE_TARGET picks the portable 64-bit multiply on the host.
 *
 *   curand_stream SEED SUBSEQ OFFSET COUNT [SINGLES]
 *
 * does curand_init(SEED, SUBSEQ, OFFSET, &s), then calls curand(&s) SINGLES times
 * (default 0; the way hop's msd estimator starts a replica) and curand4(&s) until COUNT
 * 32-bit words have been produced (the last quad is truncated) and writes them to
 * stdout as raw little-endian binary.  Numbers accept decimal, 0x hex or 0 octal.
 * Exit 0 on success, 2 on a usage error, 1 on a write error.
 *
 * This file deliberately includes no hop header: cuRAND and Random123 both define
 * mulhilo32, and hop keeps the two apart (STYLE.md, "Random streams"). */
#define QUALIFIERS static __forceinline__ __host__ __device__
#include <curand_kernel.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* Parses a whole unsigned 64-bit number; returns 0 on success, -1 otherwise. */
static int parse_u64(const char *text, unsigned long long *value)
{
    char *end = NULL;
    if (text[0] == '-' || text[0] == '\0')
        return -1;
    errno = 0;
    *value = strtoull(text, &end, 0);
    if (errno != 0 || *end != '\0')
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long long seed, subseq, offset, count, singles = 0;
    if ((argc != 5 && argc != 6) || parse_u64(argv[1], &seed) || parse_u64(argv[2], &subseq) ||
        parse_u64(argv[3], &offset) || parse_u64(argv[4], &count) ||
        (argc == 6 && parse_u64(argv[5], &singles))) {
        fprintf(stderr, "usage: curand_stream SEED SUBSEQ OFFSET COUNT [SINGLES]\n");
        return 2;
    }

    curandStatePhilox4_32_10_t state;
    curand_init(seed, subseq, offset, &state);

    enum { QUADS_PER_CHUNK = 4096 };
    static unsigned char buf[QUADS_PER_CHUNK * 16];
    while (count > 0) {
        size_t n_bytes = 0;
        for (int q = 0; q < QUADS_PER_CHUNK && count > 0; ++q) {
            uint4 r;
            if (singles > 0) {          /* one word from curand, padded to a "quad" */
                unsigned int w = curand(&state);
                --singles;
                --count;
                buf[n_bytes++] = (unsigned char)(w);
                buf[n_bytes++] = (unsigned char)(w >> 8);
                buf[n_bytes++] = (unsigned char)(w >> 16);
                buf[n_bytes++] = (unsigned char)(w >> 24);
                continue;
            }
            r = curand4(&state);
            unsigned int w[4] = {r.x, r.y, r.z, r.w};
            for (int i = 0; i < 4 && count > 0; ++i, --count) {
                /* explicit little-endian, whatever the host byte order */
                buf[n_bytes++] = (unsigned char)(w[i]);
                buf[n_bytes++] = (unsigned char)(w[i] >> 8);
                buf[n_bytes++] = (unsigned char)(w[i] >> 16);
                buf[n_bytes++] = (unsigned char)(w[i] >> 24);
            }
        }
        if (fwrite(buf, 1, n_bytes, stdout) != n_bytes) {
            fprintf(stderr, "curand_stream: write error\n");
            return 1;
        }
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "curand_stream: write error\n");
        return 1;
    }
    return 0;
}

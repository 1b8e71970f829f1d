/* fuzz_args.c: command lines for the fuzz targets fuzz_cli.c and fuzz_scan.c (see
 * fuzz.h): an input is split into arguments, one per line. */
#include <string.h>
#include "fuzz.h"

char **hop_fuzz_args(const uint8_t *data, size_t size, char *prog, int *argc)
{
    char **argv = malloc((HOP_FUZZ_MAX_ARGS + 2) * sizeof *argv + size + 1);
    char *text = (char *)(argv + HOP_FUZZ_MAX_ARGS + 2), *p, *end = text + size;
    int n = 1;
    HOP_FUZZ_CHECK(argv != NULL, "out of memory");
    memcpy(text, data, size);
    *end = '\0';
    argv[0] = prog;
    for (p = text; p < end; ) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (n == HOP_FUZZ_MAX_ARGS + 1) {
            free(argv);
            return NULL;
        }
        argv[n++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    argv[n] = NULL;
    *argc = n;
    return argv;
}

int hop_fuzz_names_lattice_file(const char *a)
{
    size_t n;
    if (strncmp(a, "--", 2) != 0)
        return 0;
    a += 2;
    n = strcspn(a, "=");
    return n > strlen("lattice") && strncmp(a, "lattice-file", n) == 0;
}

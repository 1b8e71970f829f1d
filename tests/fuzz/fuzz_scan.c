/* fuzz_scan.c: fuzz target for `hop scan`'s command line (host/cli/scan.c: grids of lists
 * and ranges, --out, --resume), and through it hop_run_options_parse and
 * hop_params_resolve on every point of the grid.
 *
 * The input is the argument list of `hop scan`, one argument per line
 * (hop_fuzz_args in fuzz.h; argv[0] is "scan").  It goes to hop_scan_check, which
 * does what hop_scan_main does before its first run: the grid planned, --out checked
 * (not created), every point parsed and resolved; nothing is run or written.  An
 * input naming --lattice-file is skipped (it reads any path).  Grids of 2000 to 100000
 * points are skipped too: every point is a parse and a resolve, and such grids slowed
 * the target twentyfold (larger grids are refused before the first point, cheaply).
 * Checked: the status is 0 or 2 (usage error), plus the sanitizers (a bad axis once
 * leaked its values: regressions/scan/).  Seed corpus tests/fuzz/corpus/scan/,
 * dictionary scan.dict. */
#include <string.h>
#include "fuzz.h"
#include "cli/lattice_options.h"
#include "cli/scan.h"

/* Points of the grid that scan would make of argv, roughly: a value with ':' counts
 * as its third field, one with ',' as its commas plus one. */
static double scan_points(int argc, char **argv)
{
    double points = 1;
    for (int i = 1; i < argc; ++i) {
        const char *colon = strchr(argv[i], ':'), *c;
        double n = 1;
        if (colon && (colon = strchr(colon + 1, ':')))
            n = strtod(colon + 1, NULL);
        else
            for (c = argv[i]; (c = strchr(c, ',')) != NULL; ++c)
                n += 1;
        points *= n > 1 ? n : 1;
    }
    return points;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char prog[] = "scan";
    int argc, skip = 0;
    char **argv = hop_fuzz_args(data, size, prog, &argc);
    double points;
    if (!argv)
        return 0;
    hop_lattice_copies_clear();    /* earlier inputs' --rate copies (cli/lattice_options.h) */
    points = scan_points(argc, argv);
    skip = points > 2000 && points <= 100000;
    for (int i = 1; i < argc; ++i)
        skip |= hop_fuzz_names_lattice_file(argv[i]);
    if (!skip) {
        const int rc = hop_scan_check(argc, argv);
        HOP_FUZZ_CHECK(rc == 0 || rc == 2, "hop_scan_check returned %d", rc);
    }
    free(argv);
    return 0;
}

/* test_cli.c: Criterion tests of the hop executable's commands (host/cli/cli.c): the
 * command names, the version and `hop lattices`.  The units behind the other things a
 * user meets have their own files: test_options.c (hop run's options and help),
 * test_json.c, test_csv.c, test_report.c, test_bench.c, test_device.c (backends),
 * test_atomic_file.c (outputs never half-written), test_gas_kinetic.c.
 *
 * The built binary (HOP_BINARY) is run with fork/exec, its stdout and stderr captured
 * in files.  Every bad input is provoked on purpose and must give exit status 2,
 * exactly one "hop: ..." line followed by one "try 'hop ... --help'" line on stderr,
 * and no output file (nor a truncated pre-existing one).  The positive tests run tiny
 * real estimations and read the JSON back with cJSON and the CSV line by line.  Note
 * that tests may run as root, for whom directory permissions do not block writes, so
 * unwritable paths are a missing directory and a path that is itself a directory. */
#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "hop_git.h"
#include "backend/cuda.h"
#include "dir_helper.h"
#include "proc_helper.h"
#include "json_helper.h"
#include "cli_helper.h"

/* ---- usage errors ------------------------------------------------------------------ */

Test(cli_usage, commands_and_options)
{
    assert_usage_error(hop_run_list("frobnicate", NULL), "unknown command 'frobnicate'", "command");
    assert_usage_error(hop_run_list("--frob", NULL), "--frob", "top-level option");
    assert_usage_error(hop_run_list("lattices", "--frob", NULL), "--frob", "lattices option");
    assert_usage_error(hop_run_list("lattices", "extra", NULL), "extra", "lattices argument");
    assert_usage_error(hop_run_list("help", "frobnicate", NULL), "frobnicate", "help topic");
    BAD_RUN("unknown option '--frob'", "--frob");
    BAD_RUN("option '--quiet=1' takes no value", "--quiet=1");
    BAD_RUN("option '--t' is ambiguous: --threads, --time, --times, --target-error, "
            "--time-limit", "--t", "3");
    BAD_RUN("unknown option '-x'", "-x");
    BAD_RUN("unexpected argument 'stray'", "stray");
    BAD_RUN("--replicas", "--replicas");
}

/* ---- help, version, lattices ------------------------------------------------------- */

Test(cli_info, version)
{
    hop_proc *p = hop_run_list("--version", NULL);
    char want[64];
    cr_assert_eq(p->status, 0);
    snprintf(want, sizeof want, "hop %s (%s)\n", HOP_VERSION, HOP_GIT_COMMIT);
    cr_assert_str_eq(p->out, want);
}

Test(cli_info, lattices_lists_all_twelve)
{
    static const char *names[] = {"chain", "square", "triangular", "honeycomb", "sc", "bcc",
                                  "fcc", "diamond", "hcp", "kagome", "pyrochlore",
                                  "perovskite-O"};
    hop_proc *p = hop_run_list("lattices", NULL);
    int lines = 0;
    cr_assert_eq(p->status, 0, "%s", p->err);
    for (size_t i = 0; i < sizeof names / sizeof *names; ++i) {
        char row[32];
        snprintf(row, sizeof row, "\n%s ", names[i]);
        cr_assert(strstr(p->out, row) != NULL, "'%s' missing:\n%s", names[i], p->out);
    }
    for (const char *c = p->out; *c; ++c)
        lines += *c == '\n';
    cr_assert_eq(lines, 13, "header and twelve rows:\n%s", p->out);
    cr_assert(strstr(p->out, "0.707107") != NULL, "fcc jump length a/sqrt2:\n%s", p->out);
}

/* ---- real runs --------------------------------------------------------------------- */

/* ---- backends ----------------------------------------------------------------------- */


/* The alloy's summary where Manning's model gives nothing (hcp at its real c/a, a species
 * that does not move) says "-", never "nan". */
Test(cli_output, alloy_summary_has_no_nan_off_mannings_lattices)
{
    hop_proc *p = hop_run_list("run", "--model", "alloy", "--lattice-file",
                               HOP_SOURCE_DIR "/tests/lattices/hcp-mg.lat", "--species",
                               "A:0.5,B:0.5", "--w", "A=1,B=0", "--size", "4", "--times", "8",
                               "--replicas", "400", "--no-size-check", "--threads", "1", NULL);
    cr_assert_eq(p->status, 0, "%s", p->err);
    cr_assert(strstr(p->out, "vacancy-wind") != NULL, "%s", p->out);
    cr_expect(strstr(p->out, "nan") == NULL, "'nan' in the summary:\n%s", p->out);
}

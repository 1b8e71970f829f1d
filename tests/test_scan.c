/* test_scan.c: `hop scan` (host/cli/scan.c) and the plots made from its CSV.
 *
 *  - a temperature scan gives one row per point, and scripts/plot-arrhenius recovers
 *    Q_D = Q_f + Q_m within the fit's own standard error;
 *  - an interrupted scan (cut in the middle of a row) resumed with --resume ends with
 *    the rows of an uninterrupted one (timings aside); another grid is refused;
 *  - a scan CSV damaged before its last line (a NUL byte inside a row, a row missing,
 *    a last row cut but ended by a newline) is refused with one line naming the file
 *    and the line, and nothing in it is cut or lost;
 *  - a bad point anywhere in the grid is a usage error before anything is written;
 *  - scripts/plot-solute draws a solute scan. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "dir_helper.h"

static int run(const char *cmd)
{
    int status = system(cmd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The first line a shell command prints, into buf (the rest is read and dropped). */
static void capture(const char *cmd, char *buf, size_t n)
{
    FILE *p = popen(cmd, "r");
    char rest[256];
    cr_assert_not_null(p);
    if (!fgets(buf, (int)n, p))
        buf[0] = '\0';
    while (fgets(rest, sizeof rest, p))
        ;
    cr_assert_eq(pclose(p), 0, "%s", cmd);
}

#define SCAN_T "--backend cpu --quiet --lattice bcc --replicas 20000 --T 700:1300:4 " \
               "--Qf 1.1 --Qm 0.6 --nu 1e13 --a 3.3"

Test(scan, arrhenius_fit_recovers_Q_D)
{
    char dir[64], cmd[1024], out[512];
    double q, err;
    if (run("command -v gnuplot >/dev/null 2>&1") != 0)
        cr_skip_test("gnuplot not installed (scripts/setup installs it)");
    make_dir(dir, sizeof dir);
    snprintf(cmd, sizeof cmd, "%s scan --out %s/t.csv " SCAN_T, HOP_BINARY, dir);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "grep -vc '^#' %s/t.csv", dir);
    capture(cmd, out, sizeof out);
    cr_assert_eq(atoi(out), 5, "header + 4 rows, got %s", out);
    /* what made it: the whole command line and the device; every row its seed and box */
    snprintf(cmd, sizeof cmd, "head -n 1 %s/t.csv", dir);
    capture(cmd, out, sizeof out);
    cr_assert(strstr(out, "; command: ") && strstr(out, " scan --out ")
              && strstr(out, "--T 700:1300:4") && strstr(out, "; device: host CPU"), "%s", out);
    snprintf(cmd, sizeof cmd, "sed -n 3p %s/t.csv | awk -F, '{ print $(NF-1) \",\" $NF }'", dir);
    capture(cmd, out, sizeof out);
    cr_assert_str_eq(out, "seed,size\n");
    snprintf(cmd, sizeof cmd, "sed -n 4p %s/t.csv | awk -F, '{ print $(NF-1) \",\" $NF }'", dir);
    capture(cmd, out, sizeof out);
    cr_assert_str_eq(out, "1,0\n", "corr rows: seed 1, no box");
    snprintf(cmd, sizeof cmd, "%s/scripts/plot-arrhenius %s/t.csv %s/t.png", HOP_SOURCE_DIR, dir,
             dir);
    capture(cmd, out, sizeof out);
    cr_assert_eq(sscanf(out, "Q_D = %lf ± %lf eV", &q, &err), 2, "%s", out);
    cr_assert_gt(err, 0);
    cr_assert_leq(fabs(q - 1.7), 3 * err, "Q_D = %g ± %g, want 1.7", q, err);
    remove_dir(dir);
}

Test(scan, resume_continues_an_interrupted_scan)
{
    char dir[64], cmd[2048], a[128], b[128];
    make_dir(dir, sizeof dir);
    snprintf(a, sizeof a, "%s/full.csv", dir);
    snprintf(b, sizeof b, "%s/cut.csv", dir);
    snprintf(cmd, sizeof cmd, "%s scan --out %s " SCAN_T, HOP_BINARY, a);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    /* Interrupted inside the third row: the first two rows and half a line remain. */
    snprintf(cmd, sizeof cmd, "head -n 5 %s > %s && sed -n 6p %s | head -c 40 >> %s", a, b, a, b);
    cr_assert_eq(run(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s scan --resume --out %s " SCAN_T " 2>&1", HOP_BINARY, b);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "cmp <(cut -d, -f1-34 %s) <(cut -d, -f1-34 %s) >/dev/null", a, b);
    {
        char bash[2200];
        snprintf(bash, sizeof bash, "bash -c '%s'", cmd);
        cr_assert_eq(run(bash), 0, "resumed scan differs from the uninterrupted one");
    }
    /* Another grid in the same file is refused, and the file is left alone. */
    snprintf(cmd, sizeof cmd, "cp %s %s.before && %s scan --resume --out %s --backend cpu --quiet "
             "--lattice bcc --replicas 20000 --T 700:1300:5 --Qf 1.1 --Qm 0.6 --nu 1e13 --a 3.3 "
             "2>/dev/null", b, b, HOP_BINARY, b);
    cr_assert_eq(run(cmd), 2, "%s", cmd);
    snprintf(cmd, sizeof cmd, "cmp -s %s %s.before", b, b);
    cr_assert_eq(run(cmd), 0, "a refused --resume changed the file");
    remove_dir(dir);
}

/* Resumes the damaged scan `bad` (made by SCAN_T): it must be refused (exit 2) with a
 * message naming the file and line `line`, and the file left exactly as it was. */
static void refused_untouched(const char *dir, const char *bad, int line)
{
    char cmd[1024], out[512], want[64];
    snprintf(cmd, sizeof cmd, "cp %s %s/before", bad, dir);
    cr_assert_eq(run(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s scan --resume --out %s " SCAN_T " 2>%s/err", HOP_BINARY, bad,
             dir);
    cr_assert_eq(run(cmd), 2, "%s: exit status", bad);
    snprintf(cmd, sizeof cmd, "head -n 1 %s/err", dir);
    capture(cmd, out, sizeof out);
    snprintf(want, sizeof want, "line %d ", line);
    cr_assert(strncmp(out, "hop: --resume: '", 16) == 0 && strstr(out, bad) && strstr(out, want),
              "the message does not name %s, %s: %s", bad, want, out);
    snprintf(cmd, sizeof cmd, "sed -n 2p %s/err", dir);
    capture(cmd, out, sizeof out);
    cr_assert(strncmp(out, "try 'hop scan --help'", 21) == 0, "more than one line: %s", out);
    snprintf(cmd, sizeof cmd, "cmp -s %s %s/before", bad, dir);
    cr_assert_eq(run(cmd), 0, "a refused --resume changed %s", bad);
}

Test(scan, resume_refuses_a_damaged_scan_and_cuts_nothing)
{
    char dir[64], cmd[2048], full[128], bad[128];
    make_dir(dir, sizeof dir);
    snprintf(full, sizeof full, "%s/full.csv", dir);
    snprintf(bad, sizeof bad, "%s/bad.csv", dir);
    snprintf(cmd, sizeof cmd, "%s scan --out %s " SCAN_T, HOP_BINARY, full);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    /* A NUL byte in the 21st byte of the first row (line 4 of 7): fgets took it for
     * the end of a cut last line and dropped the three rows after it. */
    snprintf(cmd, sizeof cmd, "bash -c '{ head -n 3 %s; sed -n 4p %s | head -c 20; printf \"\\0\"; "
             "sed -n 4p %s | tail -c +22; tail -n +5 %s; } > %s'", full, full, full, full, bad);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "test $(wc -c < %s) = $(wc -c < %s)", bad, full);
    cr_assert_eq(run(cmd), 0, "the damaged copy has another size");
    refused_untouched(dir, bad, 4);
    /* The second row missing: point 3 stands on line 5. */
    snprintf(cmd, sizeof cmd, "sed 5d %s > %s", full, bad);
    cr_assert_eq(run(cmd), 0);
    refused_untouched(dir, bad, 5);
    /* The last row cut but ended with a newline: not an interrupted write. */
    snprintf(cmd, sizeof cmd, "{ head -n 6 %s; sed -n 7p %s | head -c 40; echo; } > %s", full,
             full, bad);
    cr_assert_eq(run(cmd), 0);
    refused_untouched(dir, bad, 7);
    /* The same cut without its newline is an interrupted write: cut, and the scan ends
     * with every row of the uninterrupted one. */
    snprintf(cmd, sizeof cmd, "{ head -n 6 %s; sed -n 7p %s | head -c 40; } > %s", full, full,
             bad);
    cr_assert_eq(run(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s scan --resume --out %s " SCAN_T, HOP_BINARY, bad);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "bash -c 'cmp <(cut -d, -f1-34 %s) <(cut -d, -f1-34 %s) "
             ">/dev/null'", full, bad);
    cr_assert_eq(run(cmd), 0, "resumed scan differs from the uninterrupted one");
    remove_dir(dir);
}

Test(scan, a_bad_point_writes_nothing)
{
    char dir[64], cmd[1024];
    make_dir(dir, sizeof dir);
    snprintf(cmd, sizeof cmd, "%s scan --out %s/bad.csv --backend cpu --quiet --T 600,0,900 "
             "--Qf 1 --Qm 1 --nu 1e13 --a 3 2>/dev/null", HOP_BINARY, dir);
    cr_assert_eq(run(cmd), 2, "%s", cmd);
    snprintf(cmd, sizeof cmd, "%s scan --out %s/bad.csv --backend cpu --quiet --w2 1:2 "
             "2>/dev/null", HOP_BINARY, dir);
    cr_assert_eq(run(cmd), 2, "a range without a count: %s", cmd);
    snprintf(cmd, sizeof cmd, "%s scan --backend cpu --T 600,900 2>/dev/null", HOP_BINARY);
    cr_assert_eq(run(cmd), 2, "no --out: %s", cmd);
    snprintf(cmd, sizeof cmd, "%s scan --out %s/x.csv --json %s/x.json 2>/dev/null", HOP_BINARY,
             dir, dir);
    cr_assert_eq(run(cmd), 2, "--json in a scan: %s", cmd);
    cr_assert_eq(count_entries(dir), 0, "a file was written");
    remove_dir(dir);
}

Test(scan, plot_solute)
{
    char dir[64], cmd[1024], png[128];
    unsigned char magic[4] = {0};
    FILE *f;
    if (run("command -v gnuplot >/dev/null 2>&1") != 0)
        cr_skip_test("gnuplot not installed (scripts/setup installs it)");
    make_dir(dir, sizeof dir);
    snprintf(cmd, sizeof cmd, "%s scan --out %s/f2.csv --backend cpu --quiet --model solute "
             "--w0 1 --w1 1 --w2 0.1,1,10 --w3 1 --w4 1 --replicas 20000 && "
             "%s/scripts/plot-solute %s/f2.csv %s/f2.png > /dev/null", HOP_BINARY, dir,
             HOP_SOURCE_DIR, dir, dir);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(png, sizeof png, "%s/f2.png", dir);
    f = fopen(png, "rb");
    cr_assert_not_null(f, "no %s", png);
    cr_assert_eq(fread(magic, 1, 4, f), 4);
    fclose(f);
    cr_assert(magic[0] == 0x89 && magic[1] == 'P' && magic[2] == 'N' && magic[3] == 'G');
    snprintf(cmd, sizeof cmd, "%s/scripts/plot-arrhenius %s/f2.csv %s/no.png 2>/dev/null",
             HOP_SOURCE_DIR, dir, dir);
    cr_assert_eq(run(cmd), 2, "plot-arrhenius on a scan without physical units");
    remove_dir(dir);
}

/* A lattice-gas scan across J = 0: the columns of the thermodynamic factor and D_chem
 * (each with its error and bias bound) are filled; for J = 0 D_chem uses the exact Theta
 * and has bias 0, for J != 0 the measured one with a finite bound (edge 8: the companion
 * box of edge 4 has both slab widths). */
Test(scan, gas_thermodynamic_factor_columns)
{
    static const char *cols[] = {"thermodynamic_factor", "thermodynamic_factor_stderr",
                                 "thermodynamic_factor_bias", "D_chem_over_D0",
                                 "D_chem_over_D0_stderr", "D_chem_over_D0_bias"};
    char dir[64], cmd[1024], out[512];
    make_dir(dir, sizeof dir);
    snprintf(cmd, sizeof cmd, "%s scan --out %s/g.csv --backend cpu --quiet --model gas "
             "--lattice square --size 8 --c 0.5 --J 0,0.5 --replicas 2000", HOP_BINARY, dir);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    for (size_t k = 0; k < sizeof cols / sizeof *cols; ++k)
        for (int row = 4; row <= 5; ++row) {
            double x;
            snprintf(cmd, sizeof cmd, "awk -F, 'NR == 3 { for (i = 1; i <= NF; ++i) if ($i == "
                     "\"%s\") c = i } NR == %d { print $c }' %s/g.csv", cols[k], row, dir);
            capture(cmd, out, sizeof out);
            x = strtod(out, NULL);
            cr_assert(isfinite(x) && x >= 0, "row %d %s: '%s'", row - 3, cols[k], out);
            if (k == 5 && row == 4)
                cr_expect_eq(x, 0.0, "J = 0: D_chem/D0 has no bias (exact Theta)");
            if ((k == 2 || k == 5) && row == 5)
                cr_expect_gt(x, 0.0, "J = 0.5: %s bounded, not zero", cols[k]);
        }
    remove_dir(dir);
}

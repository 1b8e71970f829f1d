/* test_scan.c: `hop scan` (host/cli/scan.c) and the plots made from its CSV.
 *
 *  - a temperature scan gives one row per point from one reduced run (only T changes),
 *    and scripts/plot-arrhenius, fitting with the rows' shared f, recovers Q_D = Q_f +
 *    Q_m exactly, with f's error in D0; with --no-reuse within its standard error;
 *  - point k's seed is the documented SplitMix64 output, and its row is `hop run --seed`
 *    of it; --same-seed and a --seed axis use the seeds as given;
 *  - `hop scan --help` names every CSV column;
 *  - an interrupted scan (cut in the middle of a row) resumed with --resume ends with
 *    the rows of an uninterrupted one (timings aside); another grid is refused;
 *  - a scan CSV damaged before its last line (a NUL byte inside a row, a row missing,
 *    a last row cut but ended by a newline) is refused with one line naming the file
 *    and the line, and nothing in it is cut or lost;
 *  - SIGINT during a scan keeps the finished rows and says how many points are done
 *    and how to --resume;
 *  - a bad point anywhere in the grid is a usage error before anything is written;
 *  - --threads with the exact solver (one thread) is one note on stderr, not an error;
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

#define SCAN_T_LOUD "--backend cpu --lattice bcc --replicas 20000 --T 700:1300:4 " \
                    "--Qf 1.1 --Qm 0.6 --nu 1e13 --a 3.3"
#define SCAN_T "--quiet " SCAN_T_LOUD

/* Column `name` of row `row` (1 = the first point) of the scan CSV at path, into buf. */
static void cell(const char *path, const char *name, int row, char *buf, size_t n)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "awk -F, '/^#/ { next } !c { for (i = 1; i <= NF; ++i) if ($i == "
             "\"%s\") c = i; next } ++r == %d { print $c }' %s", name, row, path);
    capture(cmd, buf, n);
    buf[strcspn(buf, "\n")] = '\0';
    cr_assert(buf[0] != '\0', "%s: no column %s in row %d", path, name, row);
}

/* A temperature scan: only T changes, so the reduced run is made once (the rows' f are
 * the same bits, run_point 1, the progress says so) with point 1's derived seed, and
 * plot-arrhenius, which knows the rows share f, recovers Q_D = Q_f + Q_m exactly (an
 * error ~1e-12, where a fit of the rows as independent gave a tiny but false error
 * from f's noise) and puts f's relative error into D0's. */
Test(scan, arrhenius_scan_reuses_one_run_and_fits_Q_D_exactly)
{
    char dir[64], cmd[1024], out[512], path[128], f1[64], x[64], se[64];
    double q, err, d0, d0_err;
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/t.csv", dir);
    snprintf(cmd, sizeof cmd, "%s scan --out %s " SCAN_T " 2>/dev/null", HOP_BINARY, path);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "grep -vc '^#' %s", path);
    capture(cmd, out, sizeof out);
    cr_assert_eq(atoi(out), 5, "header + 4 rows, got %s", out);
    /* what made it: the whole command line and the device */
    snprintf(cmd, sizeof cmd, "head -n 1 %s", path);
    capture(cmd, out, sizeof out);
    cr_assert(strstr(out, "; command: ") && strstr(out, " scan --out ")
              && strstr(out, "--T 700:1300:4") && strstr(out, "; device: host CPU"), "%s", out);
    cell(path, "f", 1, f1, sizeof f1);
    for (int row = 1; row <= 4; ++row) {
        cell(path, "f", row, x, sizeof x);
        cr_assert_str_eq(x, f1, "row %d: f is point 1's, to the last digit", row);
        cell(path, "run_point", row, x, sizeof x);
        cr_assert_str_eq(x, "1", "row %d reports point 1's run", row);
        cell(path, "seed", row, x, sizeof x);
        cr_assert_str_eq(x, "10451216379200822465", "row %d: point 1's seed (SplitMix64 of 1)",
                         row);
        cell(path, "wall_s", row, x, sizeof x);
        cr_assert((row == 1) == (strtod(x, NULL) > 0), "row %d: wall_s %s", row, x);
    }
    {   /* a reused row is hop run at its T with the seed of the run it reports */
        char d_row[64];
        cell(path, "D_star", 3, d_row, sizeof d_row);
        cell(path, "T", 3, x, sizeof x);
        cr_assert_str_eq(x, "1100");
        snprintf(cmd, sizeof cmd, "%s run --quiet --backend cpu --lattice bcc --replicas 20000 "
                 "--T 1100 --Qf 1.1 --Qm 0.6 --nu 1e13 --a 3.3 --seed 10451216379200822465 "
                 "--json %s/p3.json >/dev/null && jq .results.D_star.value %s/p3.json",
                 HOP_BINARY, dir, dir);
        capture(cmd, out, sizeof out);
        cr_assert(strtod(out, NULL) == strtod(d_row, NULL), "row 3 D* %s, hop run %s", d_row,
                  out);
    }
    /* the progress says how many runs made the points */
    snprintf(cmd, sizeof cmd, "%s scan --out %s/again.csv " SCAN_T_LOUD " 2>&1 >/dev/null | tail -n 1",
             HOP_BINARY, dir);
    capture(cmd, out, sizeof out);
    cr_assert(strstr(out, "hop scan: 4 points from 1 run: 3 reused the reduced run of an "
                     "earlier point"), "%s", out);
    if (run("command -v gnuplot >/dev/null 2>&1") != 0) {
        remove_dir(dir);
        cr_skip_test("gnuplot not installed (scripts/setup installs it)");
    }
    snprintf(cmd, sizeof cmd, "%s/scripts/plot-arrhenius %s %s/t.png", HOP_SOURCE_DIR, path, dir);
    capture(cmd, out, sizeof out);
    cr_assert_eq(sscanf(out, "Q_D = %lf ± %lf eV, D0 = %lf ± %lf m^2/s", &q, &err, &d0, &d0_err),
                 4, "%s", out);
    cr_assert_leq(err, 1e-9, "one shared f moves D0, not the slope: %s", out);
    cr_assert_leq(fabs(q - 1.7), 1e-9, "Q_D = Q_f + Q_m exactly: %s", out);
    cell(path, "f_stderr", 1, se, sizeof se);
    cr_assert_leq(fabs(d0_err / d0 - strtod(se, NULL) / strtod(f1, NULL)),
                  1e-3 * strtod(se, NULL) / strtod(f1, NULL),
                  "sigma(D0)/D0 = sigma(f)/f: %s", out);
    cr_assert(strstr(out, "from 1 independent run)"), "%s", out);
    remove_dir(dir);
}

/* --no-reuse: every point its own run with its own seed; the fit then treats the
 * points as independent, and Q_D is within 3 of its (now finite) standard errors. */
Test(scan, arrhenius_scan_without_reuse_fits_independent_points)
{
    char dir[64], cmd[1024], out[512], path[128], a[64], b[64];
    double q, err;
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/t.csv", dir);
    snprintf(cmd, sizeof cmd, "%s scan --no-reuse --out %s " SCAN_T, HOP_BINARY, path);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    cell(path, "f", 1, a, sizeof a);
    cell(path, "f", 2, b, sizeof b);
    cr_assert_str_neq(a, b, "independent runs give different f");
    cell(path, "run_point", 3, a, sizeof a);
    cr_assert_str_eq(a, "3");
    if (run("command -v gnuplot >/dev/null 2>&1") != 0) {
        remove_dir(dir);
        cr_skip_test("gnuplot not installed (scripts/setup installs it)");
    }
    snprintf(cmd, sizeof cmd, "%s/scripts/plot-arrhenius %s %s/t.png", HOP_SOURCE_DIR, path, dir);
    capture(cmd, out, sizeof out);
    cr_assert_eq(sscanf(out, "Q_D = %lf ± %lf eV", &q, &err), 2, "%s", out);
    cr_assert_gt(err, 1e-6, "%s", out);
    cr_assert_leq(fabs(q - 1.7), 3 * err, "Q_D = %g ± %g, want 1.7", q, err);
    cr_assert(strstr(out, "from 4 independent runs,"), "%s", out);
    /* measured values overlaid (T in K, D in cm^2/s, its error), a header skipped; a
     * file without such rows is refused */
    snprintf(cmd, sizeof cmd, "printf 'T_K,D_cm2_s,err\\n800,1e-14,1e-15\\n1000,3e-12,2e-13\\n' "
             "> %s/exp.csv && %s/scripts/plot-arrhenius --exp %s/exp.csv --exp-label 'a test' %s "
             "%s/e.png >/dev/null && test -s %s/e.png", dir, HOP_SOURCE_DIR, dir, path, dir, dir);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "echo 'T,D' > %s/none.csv && %s/scripts/plot-arrhenius --exp "
             "%s/none.csv %s %s/n.png 2>/dev/null", dir, HOP_SOURCE_DIR, dir, path, dir);
    cr_assert_eq(run(cmd), 2, "an --exp file without rows");
    remove_dir(dir);
}

/* plot-arrhenius on two runs of two points each (a hand-made CSV): exact Arrhenius
 * values times 1.01 for run 1 and 0.99 for run 3, each with s = 1 %.  Within a run the
 * points share the error, so the slope comes from the exact law (Q_D = 1.5 eV to
 * rounding) and ln D0 is the mean of the two runs' offsets, with the error of the mean
 * of two independent ones, s/sqrt(2). */
Test(scan, arrhenius_fit_of_two_runs_of_two_points)
{
    char dir[64], cmd[2048], out[512];
    double q, err, d0, d0_err;
    if (run("command -v gnuplot >/dev/null 2>&1") != 0)
        cr_skip_test("gnuplot not installed (scripts/setup installs it)");
    make_dir(dir, sizeof dir);
    snprintf(cmd, sizeof cmd, "awk 'BEGIN { print \"# hand-made\"; print \"# grid: none\"; "
             "print \"point,T,D_star,D_star_stderr,D_unit,run_point\"; "
             "split(\"800 900 1000 1100\", T, \" \"); split(\"1.01 1.01 0.99 0.99\", m, \" \"); "
             "split(\"1 1 3 3\", g, \" \"); for (i = 1; i <= 4; ++i) { "
             "d = 1e-5 * exp(-1.5 / (8.617333262e-5 * T[i])) * m[i]; "
             "printf \"%%d,%%s,%%.17g,%%.17g,m^2/s,%%d\\n\", i, T[i], d, 0.01 * d, g[i] } }' "
             "> %s/two.csv && %s/scripts/plot-arrhenius %s/two.csv %s/two.png", dir,
             HOP_SOURCE_DIR, dir, dir);
    capture(cmd, out, sizeof out);
    cr_assert_eq(sscanf(out, "Q_D = %lf ± %lf eV, D0 = %lf ± %lf m^2/s", &q, &err, &d0, &d0_err),
                 4, "%s", out);
    cr_assert_leq(fabs(q - 1.5), 1e-9, "%s", out);
    cr_assert_leq(err, 1e-9, "%s", out);
    /* D0 is printed to 6 digits, its error to 3 */
    cr_assert_leq(fabs(log(d0 / 1e-5) - 0.5 * (log(1.01) + log(0.99))), 1e-5, "%s", out);
    cr_assert_leq(fabs(d0_err / d0 - 0.01 / sqrt(2.0)), 2e-5, "%s", out);
    cr_assert(strstr(out, "from 2 independent runs"), "%s", out);
    remove_dir(dir);
}

/* Seeds: point k runs with the k-th output of SplitMix64 started at --seed (scan.h),
 * checked against the published vector of SplitMix64 from 1234567, and the row of a
 * point equals `hop run --seed <that>` with the point's values, to the last digit;
 * --same-seed gives every point --seed itself. */
Test(scan, point_seeds_are_documented_and_reproducible)
{
    static const char *splitmix_1234567[] = {"6457827717110365317", "3203168211198807973",
                                             "9817491932198370423"};
    char dir[64], cmd[2048], out[512], path[128], seed[64], f_row[64];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/s.csv", dir);
    snprintf(cmd, sizeof cmd, "%s scan --quiet --out %s --backend cpu --model solute --w0 1 "
             "--w1 1 --w2 0.5,2,8 --w3 1 --w4 1.5 --replicas 5000 --radius 8 --seed 1234567",
             HOP_BINARY, path);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    for (int row = 1; row <= 3; ++row) {
        cell(path, "seed", row, seed, sizeof seed);
        cr_assert_str_eq(seed, splitmix_1234567[row - 1], "point %d's seed", row);
        cell(path, "run_point", row, out, sizeof out);
        cr_assert_eq(atoi(out), row, "w2 changes the reduced run: no reuse");
    }
    cell(path, "f", 2, f_row, sizeof f_row);
    snprintf(cmd, sizeof cmd, "%s run --quiet --backend cpu --model solute --w0 1 --w1 1 "
             "--w2 2 --w3 1 --w4 1.5 --replicas 5000 --radius 8 --seed %s --json %s/p2.json "
             ">/dev/null && jq .results.f.value %s/p2.json", HOP_BINARY, splitmix_1234567[1], dir,
             dir);
    capture(cmd, out, sizeof out);
    cr_assert(strtod(out, NULL) == strtod(f_row, NULL),
              "point 2 (f = %s) is hop run --seed %s (f = %s)", f_row, splitmix_1234567[1], out);
    snprintf(cmd, sizeof cmd, "%s scan --quiet --same-seed --out %s/same.csv --backend cpu "
             "--model solute --w0 1 --w1 1 --w2 0.5,2 --w3 1 --w4 1.5 --replicas 5000 "
             "--radius 8 --seed 77", HOP_BINARY, dir);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(path, sizeof path, "%s/same.csv", dir);
    for (int row = 1; row <= 2; ++row) {
        cell(path, "seed", row, seed, sizeof seed);
        cr_assert_str_eq(seed, "77", "--same-seed: row %d", row);
    }
    remove_dir(dir);
}

/* `hop scan --help` names every column of the CSV header. */
Test(scan, help_lists_every_csv_column)
{
    char dir[64], cmd[1024], header[4096], help[16384];
    FILE *p;
    size_t got;
    make_dir(dir, sizeof dir);
    snprintf(cmd, sizeof cmd, "%s scan --quiet --out %s/h.csv --backend cpu --lattice sc "
             "--replicas 2000 --radius 8 --seed 1,2", HOP_BINARY, dir);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "sed -n 3p %s/h.csv", dir);
    capture(cmd, header, sizeof header);
    snprintf(cmd, sizeof cmd, "%s scan --help", HOP_BINARY);
    p = popen(cmd, "r");
    cr_assert_not_null(p);
    got = fread(help, 1, sizeof help - 1, p);
    help[got] = '\0';
    cr_assert_eq(pclose(p), 0);
    header[strcspn(header, "\n")] = '\0';
    for (char *save = NULL, *c = strtok_r(header, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
        char word[80];
        snprintf(word, sizeof word, "%s", c);
        /* as a word: not only inside a longer column name */
        int found = 0;
        for (const char *at = help; (at = strstr(at, word)) != NULL; at += strlen(word)) {
            const char before = at == help ? ' ' : at[-1], after = at[strlen(word)];
            if (!(before == '_' || (before >= 'a' && before <= 'z'))
                && !(after == '_' || (after >= 'a' && after <= 'z')))
                found = 1;
        }
        cr_assert(found, "column '%s' is not in hop scan --help", word);
    }
    cr_assert(strstr(help, "SplitMix64") && strstr(help, "--same-seed")
              && strstr(help, "--no-reuse"), "seeds and reuse documented");
    /* a --seed axis is used as given (seed, size, run_point, verdict end a row) */
    snprintf(cmd, sizeof cmd, "awk -F, 'NR == 5 { print $(NF-3) }' %s/h.csv", dir);
    capture(cmd, header, sizeof header);
    cr_assert_str_eq(header, "2\n", "a --seed axis is used as given");
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

/* SIGINT during a scan's second point (a long one): the run stops after its sub-batch,
 * the first point's row stays, and the scan says how many points are done and how to
 * go on (exit status 130). */
Test(scan, sigint_says_how_many_points_are_done_and_how_to_resume)
{
    char dir[64], cmd[2048], csv[128], err[128], line[512];
    make_dir(dir, sizeof dir);
    snprintf(csv, sizeof csv, "%s/s.csv", dir);
    snprintf(err, sizeof err, "%s/err", dir);
    snprintf(cmd, sizeof cmd, "bash -c '%s scan --out %s --quiet --backend cpu --lattice sc "
             "--replicas 20000,100000000 2>%s & pid=$!; "
             "until grep -q \"^1,\" %s 2>/dev/null; do sleep 0.05; done; sleep 0.5; "
             "kill -INT $pid; wait $pid'", HOP_BINARY, csv, err, csv);
    cr_assert_eq(run(cmd), 130, "%s", cmd);
    snprintf(cmd, sizeof cmd, "grep '^hop scan: stopped' %s", err);
    capture(cmd, line, sizeof line);
    cr_assert(strstr(line, "stopped by signal 2; 1 of 2 points are done in '")
              && strstr(line, "s.csv': continue with the same command and --resume"), "%s", line);
    snprintf(cmd, sizeof cmd, "grep -c '^[0-9]' %s", csv);
    capture(cmd, line, sizeof line);
    cr_assert_eq(atoi(line), 1, "the first point's row stays, alone");
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

/* A CSV written by an older hop (before the verdict column): refused in one line that
 * names the missing column and what to do, the file untouched. */
Test(scan, resume_refuses_an_older_hop_s_columns_in_one_line)
{
    char dir[64], cmd[2048], full[128], old[128], out[512];
    make_dir(dir, sizeof dir);
    snprintf(full, sizeof full, "%s/full.csv", dir);
    snprintf(old, sizeof old, "%s/old.csv", dir);
    snprintf(cmd, sizeof cmd, "%s scan --out %s " SCAN_T, HOP_BINARY, full);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "{ head -n 2 %s; sed -n 3p %s | sed 's/,verdict$//'; sed -n 4p %s "
             "| sed 's/,[^,]*$//'; } > %s && cp %s %s/before", full, full, full, old, old, dir);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "%s scan --resume --out %s " SCAN_T " 2>%s/err", HOP_BINARY, old,
             dir);
    cr_assert_eq(run(cmd), 2, "exit status");
    snprintf(cmd, sizeof cmd, "head -n 1 %s/err", dir);
    capture(cmd, out, sizeof out);
    cr_assert(strstr(out, "was written by another hop version (it lacks the column 'verdict')")
              && strstr(out, "start the scan again with another --out"), "%s", out);
    snprintf(cmd, sizeof cmd, "sed -n 2p %s/err", dir);
    capture(cmd, out, sizeof out);
    cr_assert(strncmp(out, "try 'hop scan --help'", 21) == 0, "more than one line: %s", out);
    snprintf(cmd, sizeof cmd, "cmp -s %s %s/before", old, dir);
    cr_assert_eq(run(cmd), 0, "a refused --resume changed %s", old);
    /* as typed, without --quiet and --backend: the backend auto note came first, so the
     * refusal was not one line ([users] audit) */
    snprintf(cmd, sizeof cmd, "%s scan --resume --out %s --lattice bcc --replicas 20000 --T "
             "700:1300:4 --Qf 1.1 --Qm 0.6 --nu 1e13 --a 3.3 2>%s/err", HOP_BINARY, old, dir);
    cr_assert_eq(run(cmd), 2, "exit status");
    snprintf(cmd, sizeof cmd, "wc -l < %s/err", dir);
    capture(cmd, out, sizeof out);
    cr_assert_eq(atoi(out), 2, "the refusal and 'try', nothing else: %s lines", out);
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

/* The exact solver runs one point at a time on one thread (docs/exact.md): --threads
 * given to an exact scan or run is accepted, so that a script passing it to every
 * scan does not break, and said so in exactly one line on stderr (a scan: once, not
 * per point; none with --quiet); the rows are those of the scan without it. */
Test(scan, exact_threads_is_a_note_not_an_error, .timeout = 60)
{
    static const char *const note = "--threads 2 is ignored: the exact solver runs one "
                                    "point at a time";
    char dir[64], cmd[1024], out[64];
    make_dir(dir, sizeof dir);
    snprintf(cmd, sizeof cmd, "%s scan --out %s/t.csv --estimator exact --lattice square "
             "--radius 8,10 --threads 2 2>%s/err", HOP_BINARY, dir, dir);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "grep -c -F 'hop scan: %s' %s/err || true", note, dir);
    capture(cmd, out, sizeof out);
    cr_assert_eq(atoi(out), 1, "the scan's note, once: %s", out);
    snprintf(cmd, sizeof cmd, "%s scan --out %s/plain.csv --quiet --estimator exact "
             "--lattice square --radius 8,10 && cut -d, -f1-15 %s/t.csv | grep -v '^#' > "
             "%s/a && cut -d, -f1-15 %s/plain.csv | grep -v '^#' > %s/b && cmp %s/a %s/b",
             HOP_BINARY, dir, dir, dir, dir, dir, dir, dir);
    cr_assert_eq(run(cmd), 0, "the rows differ from the scan without --threads: %s", cmd);
    snprintf(cmd, sizeof cmd, "%s run --estimator exact --lattice square --radius 8 "
             "--threads 2 2>&1 >/dev/null | grep -c -F 'hop: %s' || true", HOP_BINARY, note);
    capture(cmd, out, sizeof out);
    cr_assert_eq(atoi(out), 1, "hop run's note, once: %s", out);
    snprintf(cmd, sizeof cmd, "%s run --quiet --estimator exact --lattice square --radius 8 "
             "--threads 2 2>&1 >/dev/null | wc -l", HOP_BINARY);
    capture(cmd, out, sizeof out);
    cr_assert_eq(atoi(out), 0, "--quiet: no note: %s lines", out);
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

/* The alloy's axes (--w NAME=VALUES, --c NAME=VALUES): each row is `hop run` with the
 * --w list's entry replaced and NAME's fraction set, the other species scaled in their
 * ratios (A 0.5 -> 0.25 when B goes 0.5 -> 0.75), at the row's seed, to the bit; the
 * columns per species and the Onsager entries; a list axis without its list, or naming
 * a species not in it, is a usage error before anything is written. */
Test(scan, alloy_axes_are_hop_run_at_their_values)
{
    char dir[64], cmd[2048], out[512], path[128], seed[64], cell_f[64], cell_c[64], cell_L[64];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/a.csv", dir);
#define ALLOY_RUN "--backend cpu --model alloy --lattice fcc --size 2 --replicas 600 " \
                  "--times 12 --time 100"
#define ALLOY_SCAN ALLOY_RUN " --seed 9"
    snprintf(cmd, sizeof cmd, "%s scan --quiet --out %s " ALLOY_SCAN " --species A:0.5,B:0.5 "
             "--w A=1,B=1 --w B=0.2,5 --c B=0.25,0.75", HOP_BINARY, path);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    cell(path, "seed", 4, seed, sizeof seed);
    cell(path, "f_A", 4, cell_f, sizeof cell_f);
    cell(path, "c_B", 4, cell_c, sizeof cell_c);
    cell(path, "L_A_B", 4, cell_L, sizeof cell_L);
    cell(path, "w_B", 4, out, sizeof out);
    cr_assert(strtod(out, NULL) == 5, "row 4: w_B = 5 (%s)", out);
    snprintf(cmd, sizeof cmd, "%s run --quiet " ALLOY_RUN " --species A:0.25,B:0.75 --w A=1,B=5 "
             "--seed %s --json %s/p4.json >/dev/null && jq -r '[.results.species.A.f.value, "
             ".results.species.B.c, .results.onsager.A.B.value] | map(tostring) | join(\" \")' "
             "%s/p4.json", HOP_BINARY, seed, dir, dir);
    capture(cmd, out, sizeof out);
    {
        double f, c, L;
        cr_assert_eq(sscanf(out, "%lf %lf %lf", &f, &c, &L), 3, "%s", out);
        cr_assert(f == strtod(cell_f, NULL), "f_A: scan %s, run %.17g", cell_f, f);
        cr_assert(fabs(c - strtod(cell_c, NULL)) < 1e-9, "c_B: scan %s, run %.17g", cell_c, c);
        cr_assert(L == strtod(cell_L, NULL), "L_A_B: scan %s, run %.17g", cell_L, L);
    }
    snprintf(cmd, sizeof cmd, "%s scan --quiet --out %s/b.csv " ALLOY_SCAN " --species "
             "A:0.5,B:0.5 --w B=0.2,5 2>/dev/null", HOP_BINARY, dir);
    cr_assert_eq(run(cmd), 2, "a --w axis without the --w list");
    snprintf(cmd, sizeof cmd, "%s scan --quiet --out %s/b.csv " ALLOY_SCAN " --species "
             "A:0.5,B:0.5 --w A=1,B=1 --c C=0.2,0.4 2>/dev/null", HOP_BINARY, dir);
    cr_assert_eq(run(cmd), 2, "--c of a species not in --species");
    snprintf(cmd, sizeof cmd, "test -e %s/b.csv", dir);
    cr_assert_neq(run(cmd), 0, "nothing written");
#undef ALLOY_SCAN
#undef ALLOY_RUN
    remove_dir(dir);
}

/* The scan's row `row` of path against `hop run RUN_ARGS --seed <the row's seed>`: f_A,
 * f_B and L_A_B to the bit. */
static void expect_row_is_run(const char *path, int row, const char *run_args, const char *dir)
{
    char cmd[2048], out[512], seed[64], f_a[64], f_b[64], l_ab[64];
    double f, g, L;
    cell(path, "seed", row, seed, sizeof seed);
    cell(path, "f_A", row, f_a, sizeof f_a);
    cell(path, "f_B", row, f_b, sizeof f_b);
    cell(path, "L_A_B", row, l_ab, sizeof l_ab);
    snprintf(cmd, sizeof cmd, "%s run --quiet %s --seed %s --json %s/r.json >/dev/null && "
             "jq -r '[.results.species.A.f.value, .results.species.B.f.value, "
             ".results.onsager.A.B.value] | map(tostring) | join(\" \")' %s/r.json",
             HOP_BINARY, run_args, seed, dir, dir);
    capture(cmd, out, sizeof out);
    cr_assert_eq(sscanf(out, "%lf %lf %lf", &f, &g, &L), 3, "%s", out);
    cr_assert(f == strtod(f_a, NULL), "row %d f_A: scan %s, run %.17g", row, f_a, f);
    cr_assert(g == strtod(f_b, NULL), "row %d f_B: scan %s, run %.17g", row, f_b, g);
    cr_assert(L == strtod(l_ab, NULL), "row %d L_A_B: scan %s, run %.17g", row, l_ab, L);
}

/* The alloy's --pair S-T=VALUES axis: each row is `hop run` with S-T=value set in the
 * --pair list given (A-A=0.2 stays) or, with none given, in a list of its own, at the
 * row's seed, to the bit; the pair_S_T column holds the energy in kT (pair_S_T_eV too
 * for an axis in eV, its kT the eV over kT at --T); the same pair twice (A-B, B-A) or a
 * species not in --species is a usage error before anything is written. */
Test(scan, alloy_pair_axis_is_hop_run_at_its_values)
{
    char dir[64], cmd[2048], out[512], path[128];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/p.csv", dir);
#define PAIR_RUN "--backend cpu --model alloy --lattice fcc --size 2 --replicas 600 " \
                 "--times 12 --time 100 --species A:0.5,B:0.5 --w A=1,B=0.5"
    snprintf(cmd, sizeof cmd, "%s scan --quiet --out %s " PAIR_RUN " --seed 9 --pair A-A=0.2 "
             "--pair A-B=-0.3,0.3", HOP_BINARY, path);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    expect_row_is_run(path, 1, PAIR_RUN " --pair A-A=0.2,A-B=-0.3", dir);
    expect_row_is_run(path, 2, PAIR_RUN " --pair A-A=0.2,A-B=0.3", dir);
    cell(path, "pair_A_B", 2, out, sizeof out);
    cr_assert(strtod(out, NULL) == 0.3, "row 2: pair_A_B = 0.3 kT (%s)", out);

    snprintf(cmd, sizeof cmd, "%s scan --quiet --out %s/q.csv " PAIR_RUN " --seed 9 --T 1000 "
             "--pair B-A=-0.02,0.02eV", HOP_BINARY, dir);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(path, sizeof path, "%s/q.csv", dir);
    expect_row_is_run(path, 1, PAIR_RUN " --T 1000 --pair A-B=-0.02eV", dir);
    cell(path, "pair_B_A_eV", 1, out, sizeof out);
    cr_assert(strtod(out, NULL) == -0.02, "row 1: pair_B_A_eV = -0.02 (%s)", out);
    cell(path, "pair_B_A", 1, out, sizeof out);
    cr_assert(fabs(strtod(out, NULL) + 0.02 / (8.617333262e-5 * 1000)) < 1e-6,
              "row 1: pair_B_A = -0.02 eV / kT at 1000 K (%s)", out);

    snprintf(cmd, sizeof cmd, "%s scan --quiet --out %s/b.csv " PAIR_RUN " --pair A-B=0,0.1 "
             "--pair B-A=0.2,0.3 2>/dev/null", HOP_BINARY, dir);
    cr_assert_eq(run(cmd), 2, "one axis per pair");
    snprintf(cmd, sizeof cmd, "%s scan --quiet --out %s/b.csv " PAIR_RUN " --pair A-C=0,0.1 "
             "2>/dev/null", HOP_BINARY, dir);
    cr_assert_eq(run(cmd), 2, "a pair of a species not in --species");
    snprintf(cmd, sizeof cmd, "test -e %s/b.csv", dir);
    cr_assert_neq(run(cmd), 0, "nothing written");
#undef PAIR_RUN
    remove_dir(dir);
}

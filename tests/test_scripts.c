/* test_scripts.c: the user-facing scripts in scripts/ that turn hop's output into
 * figures, run on real output: plot-msd makes a PNG from `hop run --msd-csv`;
 * plot-gas makes one from a small `hop scan --model gas` over c and over J; both
 * refuse bad input (a missing file, a scan of another model) with exit 2 without
 * writing anything.  scripts/gpu-check: every hop command line it runs on the GPU
 * machine is valid (run here on the cpu backend, bench with --dry-run), and its plan
 * stays under 6 minutes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "dir_helper.h"

/* Exit status of a shell command. */
static int run(const char *cmd)
{
    int status = system(cmd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Asserts that `path` starts with the PNG signature. */
static void assert_png(const char *path)
{
    unsigned char magic[8] = {0};
    const unsigned char want[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "no %s", path);
    cr_assert_eq(fread(magic, 1, sizeof magic, f), sizeof magic);
    fclose(f);
    cr_assert_arr_eq(magic, want, sizeof want, "%s is not a PNG", path);
}

Test(plot_msd, makes_a_png_from_hop_output)
{
    char dir[64], cmd[1024], png[128];
    if (run("command -v gnuplot >/dev/null 2>&1") != 0)
        cr_skip_test("gnuplot not installed (scripts/setup installs it): plot-msd not checked");
    make_dir(dir, sizeof dir);
    snprintf(cmd, sizeof cmd, "%s run --lattice sc --estimator msd --replicas 2000 --quiet "
             "--msd-csv %s/m.csv > /dev/null", HOP_BINARY, dir);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "%s/scripts/plot-msd %s/m.csv %s/m.png > /dev/null",
             HOP_SOURCE_DIR, dir, dir);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(png, sizeof png, "%s/m.png", dir);
    assert_png(png);
    remove_dir(dir);
}

Test(plot_msd, refuses_a_missing_csv)
{
    char dir[64], cmd[512], png[128];
    struct stat st;
    make_dir(dir, sizeof dir);
    snprintf(png, sizeof png, "%s/x.png", dir);
    snprintf(cmd, sizeof cmd, "%s/scripts/plot-msd %s/missing.csv %s 2> /dev/null",
             HOP_SOURCE_DIR, dir, png);
    cr_assert_eq(run(cmd), 2, "%s", cmd);
    cr_assert_neq(stat(png, &st), 0, "%s was created", png);
    remove_dir(dir);
}

/* A gas scan of a few seconds (`axis`: its own options, c or J as the axis, `points`
 * points) drawn by plot-gas, which prints `expect`, and tabulated by gas-table. */
static void plot_gas_scan(const char *axis, int points, const char *expect)
{
    char dir[64], cmd[1024], png[128], line[512];
    int found = 0;
    FILE *p;
    if (run("command -v gnuplot >/dev/null 2>&1") != 0)
        cr_skip_test("gnuplot not installed (scripts/setup installs it): plot-gas not checked");
    make_dir(dir, sizeof dir);
    snprintf(cmd, sizeof cmd, "%s scan --quiet --out %s/g.csv --model gas --lattice square "
             "--size 8 %s --replicas 400 --times 8 --threads 1 --backend cpu",
             HOP_BINARY, dir, axis);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "%s/scripts/plot-gas %s/g.csv %s/g.png", HOP_SOURCE_DIR, dir, dir);
    p = popen(cmd, "r");
    cr_assert_not_null(p);
    while (fgets(line, sizeof line, p))
        if (strstr(line, expect))
            found = 1;
    cr_assert_eq(pclose(p), 0, "%s", cmd);
    cr_assert(found, "%s printed no line with '%s'", cmd, expect);
    snprintf(png, sizeof png, "%s/g.png", dir);
    assert_png(png);
    /* gas-table: the header, the rule and one row per point */
    snprintf(cmd, sizeof cmd, "%s/scripts/gas-table %s/g.csv | grep -c '^|'", HOP_SOURCE_DIR, dir);
    p = popen(cmd, "r");
    cr_assert_not_null(p);
    cr_assert_not_null(fgets(line, sizeof line, p));
    pclose(p);
    cr_assert_eq(atoi(line), 2 + points, "%s: %s lines", cmd, line);
    remove_dir(dir);
}

Test(plot_gas, makes_a_png_from_a_scan_over_c)
{
    /* J = 0: the D_sigma check against the box's exact value is printed */
    plot_gas_scan("--c 0.3,0.6", 2, "square: D_sigma/D0 against the exact M/(n-1), 2 points:");
}

Test(plot_gas, makes_a_png_from_a_scan_over_J)
{
    /* the one J = 0 point is the only one with an exact D_sigma */
    plot_gas_scan("--c 0.5 --J -0.5,0,0.5", 3, "square c=0.5: D_sigma/D0 against the exact M/(n-1), 1 point:");
}

/* Both scripts refuse a scan of the vacancy model, exit 2; plot-gas writes nothing and
 * gas-table prints nothing. */
Test(plot_gas, refuses_a_scan_of_another_model)
{
    char dir[64], cmd[1024];
    make_dir(dir, sizeof dir);
    snprintf(cmd, sizeof cmd, "%s scan --quiet --out %s/v.csv --lattice sc --replicas 10000 "
             "--radius 8 --shells 2 --threads 1 --backend cpu", HOP_BINARY, dir);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "%s/scripts/plot-gas %s/v.csv %s/v.png 2> /dev/null",
             HOP_SOURCE_DIR, dir, dir);
    cr_assert_eq(run(cmd), 2, "%s", cmd);
    snprintf(cmd, sizeof cmd, "%s/scripts/gas-table %s/v.csv > %s/v.md 2> /dev/null",
             HOP_SOURCE_DIR, dir, dir);
    cr_assert_eq(run(cmd), 2, "%s", cmd);
    snprintf(cmd, sizeof cmd, "test ! -s %s/v.md && rm %s/v.md", dir, dir);
    cr_assert_eq(run(cmd), 0, "gas-table printed something for a vacancy scan");
    snprintf(cmd, sizeof cmd, "%s/scripts/plot-gas %s/missing.csv %s/m.png 2> /dev/null",
             HOP_SOURCE_DIR, dir, dir);
    cr_assert_eq(run(cmd), 2, "%s", cmd);
    cr_assert_eq(count_entries(dir), 1, "plot-gas wrote something beside v.csv in %s", dir);
    remove_dir(dir);
}

/* Every hop command line of scripts/gpu-check (--print-commands): the `run`s on the cpu
 * backend must succeed, the `bench`es must pass their option checks (--dry-run), so no
 * stage of the one short GPU lease is lost to a usage error. */
Test(gpu_check, every_command_line_is_valid)
{
    char cmd[1024], line[512];
    int runs = 0, benches = 0;
    FILE *list;
    snprintf(cmd, sizeof cmd, "%s/scripts/gpu-check --print-commands", HOP_SOURCE_DIR);
    list = popen(cmd, "r");
    cr_assert_not_null(list);
    while (fgets(line, sizeof line, list)) {
        char *cuda = strstr(line, "--backend cuda");
        line[strcspn(line, "\n")] = '\0';
        cr_assert_not_null(cuda, "not pinned to the cuda backend: %s", line);
        if (strncmp(line, "run ", 4) == 0) {
            memcpy(cuda, "--backend  cpu", 14);         /* same length, in place */
            /* from the source tree, as gpu-check runs them (lattice files by path) */
            snprintf(cmd, sizeof cmd, "cd '%s' && %s %s --threads 1 > /dev/null", HOP_SOURCE_DIR,
                     HOP_BINARY, line);
            ++runs;
        } else {
            cr_assert(strncmp(line, "bench ", 6) == 0, "neither run nor bench: %s", line);
            snprintf(cmd, sizeof cmd, "%s %s --dry-run > /dev/null", HOP_BINARY, line);
            ++benches;
        }
        cr_assert_eq(run(cmd), 0, "%s", cmd);
    }
    cr_assert_eq(pclose(list), 0);
    cr_assert(runs >= 3 && benches >= 2, "%d runs, %d benches listed", runs, benches);
    /* --dry-run still checks the options */
    snprintf(cmd, sizeof cmd, "%s bench --backend gpu --dry-run 2> /dev/null", HOP_BINARY);
    cr_assert_eq(run(cmd), 2, "%s", cmd);
}

/* The plan printed before anything starts sums the stages' budgets to under 6 minutes
 * (the bound for one H100-class lease), and an unknown option is exit 2. */
Test(gpu_check, plan_fits_six_minutes)
{
    char cmd[512], text[512] = "";
    int min = -1, sec = -1;
    const char *total;
    FILE *out;
    snprintf(cmd, sizeof cmd, "%s/scripts/gpu-check --plan 2>&1", HOP_SOURCE_DIR);
    out = popen(cmd, "r");
    cr_assert_not_null(out);
    cr_assert_not_null(fgets(text, sizeof text, out));
    cr_assert_eq(pclose(out), 0);
    total = strstr(text, "total <= ");
    cr_assert(total && sscanf(total, "total <= %d min %d s", &min, &sec) == 2, "%s", text);
    cr_assert_lt(60 * min + sec, 360, "%s", text);
    cr_assert(strstr(text, "build") && strstr(text, "sanitizer") && strstr(text, "bench"),
              "%s", text);
    snprintf(cmd, sizeof cmd, "%s/scripts/gpu-check --bogus 2> /dev/null", HOP_SOURCE_DIR);
    cr_assert_eq(run(cmd), 2);
}

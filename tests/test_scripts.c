/* test_scripts.c: the user-facing scripts in scripts/ that turn hop's output into
 * figures, run on real output: plot-msd makes a PNG from `hop run --msd-csv`, and
 * refuses bad arguments without writing anything. */
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

Test(plot_msd, makes_a_png_from_hop_output)
{
    char dir[64], cmd[1024], png[128];
    unsigned char magic[8] = {0};
    const unsigned char want[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    FILE *f;
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
    f = fopen(png, "rb");
    cr_assert_not_null(f, "no %s", png);
    cr_assert_eq(fread(magic, 1, sizeof magic, f), sizeof magic);
    fclose(f);
    cr_assert_arr_eq(magic, want, sizeof want, "%s is not a PNG", png);
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

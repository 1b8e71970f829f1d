/* test_csv.c: the MSD table of an msd run (host/output/csv.c) beside its JSON record.
 * Moved whole from test_cli.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "hop_git.h"
#include "backend/cuda.h"
#include "dir_helper.h"
#include "proc_helper.h"
#include "json_helper.h"
#include "cli_helper.h"

Test(cli_run, msd_csv_and_json)
{
    char dir[64], csv[128], json[128], *text, *line, *save = NULL;
    int rows = 0;
    cJSON *root;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(csv, sizeof csv, "%s/msd.csv", dir);
    snprintf(json, sizeof json, "%s/msd.json", dir);
    p = hop_run_list("run", "--estimator", "msd", "--lattice", "sc", "--size", "6", "--replicas",
                "600", "--times", "12", "--msd-csv", csv, "--json", json, NULL);
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    cr_assert(strncmp(p->err, "hop: ", 5) == 0, "progress on stderr without --quiet");
    cr_assert(strstr(p->out, "H = D*/D_sigma = ") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "H_R = D_sigma/D* = ") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "(inverse convention)") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "finite-size check") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "chi2/dof") != NULL, "%s", p->out);

    text = read_whole_file(csv);
    line = strtok_r(text, "\n", &save);
    cr_assert(line && line[0] == '#', "comment line first: %s", line);
    cr_assert(strstr(line, "sc") != NULL);
    line = strtok_r(NULL, "\n", &save);
    cr_assert_str_eq(line, "t,msd_tracer,msd_tracer_se,msd_vacancy,msd_vacancy_se,"
                           "msd_collective,msd_collective_se");
    while ((line = strtok_r(NULL, "\n", &save))) {
        double v[7];
        cr_assert_eq(sscanf(line, "%lf,%lf,%lf,%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3],
                            &v[4], &v[5], &v[6]), 7, "row '%s'", line);
        cr_assert(v[0] > 0);
        ++rows;
    }
    cr_assert_eq(rows, 12, "one row per --times point");
    free(text);

    root = hop_test_json(json);
    for (const char *const *k = (const char *const[]){"results.box_sites",
             "results.D_uncorrelated", "results.D_star.value", "results.D_star.stderr",
             "results.D_sigma.value", "results.haven_ratio.value", "results.haven_ratio.stderr",
             "results.haven_ratio_inverse.value", "results.fit.chi2", "results.fit.dof",
             "results.finite_size_check.size", "results.finite_size_check.box_sites",
             "results.finite_size_check.f.value", "parameters.size", "parameters.time",
             "parameters.n_times", "parameters.fit_from", NULL}; *k; ++k)
        number(root, *k);
    cr_assert_eq(number(root, "results.box_sites"), 216);
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "results.haven_ratio.convention")),
                     "H = D*/D_sigma");
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "results.haven_ratio_inverse.convention")),
                     "D_sigma/D*");
    cr_assert_not_null(cJSON_GetStringValue(item(root, "results.units")));
    cJSON_Delete(root);
    remove_dir(dir);
}

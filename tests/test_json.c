/* test_json.c: the JSON record of `hop run` (host/output/json.c) read back with cJSON:
 * the provenance keys, parameters, results with their errors and bounds, physical units.
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

Test(cli_run, corr_json_record)
{
    char dir[64], json[128];
    cJSON *root;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/with space.json", dir);
    p = hop_run_list("run", "--lattice", "sc", "--replicas", "2000", "--seed",
                "18446744073709551615", "--threads", "2", "--json", json, "--quiet",
                "--backend", "cpu", NULL);       /* cpu, pinned: 2 threads asserted below */
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    cr_assert_str_eq(p->err, "", "--quiet leaves stderr empty");
    cr_assert(strstr(p->out, "f = ") && strstr(p->out, "± "), "%s", p->out);
    cr_assert(strstr(p->out, "lattice sc") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "two outermost radii") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "isotropy check") != NULL, "%s", p->out);
    root = hop_test_json(json);
    cr_assert(number(root, "results.f.value") > 0.4 && number(root, "results.f.value") < 0.9);
    cr_assert(number(root, "results.f.stderr") > 0);
    cr_assert(number(root, "results.f.bias_bound") >= 0);
    for (const char *const *k = (const char *const[]){"results.f_x.value", "results.f_y.value",
             "results.f_z.value", "results.isotropy_max_dev_sigma", "results.lost_fraction",
             "performance.replicas", "performance.tracer_jumps", "performance.vacancy_steps",
             "performance.wall_s", "performance.steps_per_s", "parameters.radius",
             "parameters.shells", "threads", NULL}; *k; ++k)
        number(root, *k);
    cr_assert_eq(number(root, "performance.replicas"), 2000);
    cr_assert(number(root, "performance.vacancy_steps") > 0);
    cr_assert_eq(number(root, "threads"), 2);
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "parameters.seed_str")),
                     "18446744073709551615");
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "parameters.lattice")), "sc");
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "parameters.estimator")), "corr");
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "hop_version")), HOP_VERSION);
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "git_commit")), HOP_GIT_COMMIT);
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "backend")), "cpu");
    {
        const char *cl = cJSON_GetStringValue(item(root, "command_line"));
        char want[160];
        cr_assert_not_null(cl);
        snprintf(want, sizeof want, "--json '%s' --quiet", json);
        cr_assert(strncmp(cl, "hop run --lattice sc --replicas 2000", 36) == 0, "%s", cl);
        cr_assert(strstr(cl, want) != NULL, "argument with a space is quoted: %s", cl);
    }
    {
        const cJSON *t = item(root, "results.truncation");
        cr_assert(cJSON_IsArray(t) && cJSON_GetArraySize(t) == 4, "four shells by default");
        number(cJSON_GetArrayItem(t, 3), "radius");
        number(cJSON_GetArrayItem(t, 3), "f.value");
        number(cJSON_GetArrayItem(t, 3), "f.stderr");
    }
    cJSON_Delete(root);
    cr_assert_eq(count_entries(dir), 1, "no temporary left behind");
    remove_dir(dir);
}

/* With physical units the JSON holds D* in m^2/s under results.D_star, as documented. */
Test(cli_run, physical_units_json)
{
    char dir[64], json[128];
    cJSON *root;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/cu.json", dir);
    p = hop_run_list("run", "--backend", "cpu", "--lattice", "fcc", "--replicas", "20000", "--T", "1000",
                "--bond-energy", "0.3", "--nu", "1e13", "--a", "3.61", "--carrier-density",
                "8.5e28", "--charge", "1", "--json", json, NULL);
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    cr_assert(strstr(p->out, "D* = f D = (") && strstr(p->out, "m^2/s"), "%s", p->out);
    cr_assert(strstr(p->out, "H = D*/D_sigma") && strstr(p->out, "H_R = D_sigma/D*"), "%s", p->out);
    root = hop_test_json(json);
    cr_assert(strstr(cJSON_GetStringValue(item(root, "results.units")), "m^2/s") != NULL);
    cr_assert_float_eq(number(root, "results.Q_f"), 1.8, 1e-12);    /* (z/2) eps, z = 12 */
    cr_assert_float_eq(number(root, "results.Q_m"), 1.2, 1e-12);    /* 4 eps */
    cr_assert_float_eq(number(root, "results.D_star.value"),
                       number(root, "results.f.value") * number(root, "results.D_uncorrelated"),
                       1e-28);
    cr_assert_gt(number(root, "results.D_star.stderr"), 0);
    cr_assert_gt(number(root, "results.conductivity.value"), 0);
    cr_assert_float_eq(number(root, "results.haven_ratio.value"), number(root, "results.f.value"),
                       1e-15);
    cJSON_Delete(root);
    remove_dir(dir);
}

/* The companion box's record, results.finite_size_check: its edge, its sites and the
 * replicas it ran, the documented multiple of the run's (models/estimators.h): msd on
 * sc halves the edge (512 -> 64 sites) and runs 4 times the replicas (its cap, each an
 * eighth of the box's time or more); the alloy on fcc halves it too (256 -> 32 sites)
 * and runs (N - 1)/(N_c - 1) = 255/31, rounded to 8, times as many; each with its f
 * {value, stderr} (the alloy's per species and for V). */
Test(cli_run, finite_size_check_gives_the_companion_s_replicas)
{
    char dir[64], json[128];
    cJSON *root;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/r.json", dir);
    p = hop_run_list("run", "--lattice", "sc", "--estimator", "msd", "--size", "8",
                     "--replicas", "2000", "--times", "16", "--json", json, "--quiet",
                     "--backend", "cpu", NULL);
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    root = hop_test_json(json);
    cr_assert_eq(number(root, "results.box_sites"), 512);
    cr_assert_eq(number(root, "results.finite_size_check.size"), 4);
    cr_assert_eq(number(root, "results.finite_size_check.box_sites"), 64);
    cr_assert_eq(number(root, "results.finite_size_check.replicas"),
                 4 * number(root, "performance.replicas"));
    cr_assert_gt(number(root, "results.finite_size_check.f.stderr"), 0);
    number(root, "results.finite_size_check.f.value");
    cJSON_Delete(root);
    p = hop_run_list("run", "--model", "alloy", "--lattice", "fcc", "--species",
                     "A:0.5,B:0.5", "--w", "A=1,B=0.2", "--size", "4", "--time", "300",
                     "--replicas", "1000", "--times", "12", "--json", json, "--quiet",
                     "--backend", "cpu", NULL);
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    root = hop_test_json(json);
    cr_assert_eq(number(root, "results.finite_size_check.size"), 2);
    cr_assert_eq(number(root, "results.finite_size_check.box_sites"), 32);
    cr_assert_eq(number(root, "results.finite_size_check.replicas"),
                 8 * number(root, "performance.replicas"));
    for (const char *const *k = (const char *const[]){"results.finite_size_check.f.A.value",
             "results.finite_size_check.f.B.stderr", "results.finite_size_check.f.V.value",
             NULL}; *k; ++k)
        cr_assert(number(root, *k) > 0, "%s", *k);
    cJSON_Delete(root);
    remove_dir(dir);
}

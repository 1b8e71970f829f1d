/* test_bench.c: `hop bench` (host/cli/bench.c): its table and JSON, and its refusals.
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

/* hop bench: the table on stdout and the JSON keys [gpu-run] relies on, also for a
 * replica count below what `hop run` would accept (throughput needs no minimum). */
Test(cli_bench, table_and_json)
{
    char dir[64], json[128];
    cJSON *root;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/bench.json", dir);
    p = hop_run_list("bench", "--lattice", "hcp", "--replicas", "64", "--target", "0", "--json",
                json, NULL);
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    cr_assert(strstr(p->out, "hcp") != NULL, "no hcp row:\n%s", p->out);
    root = hop_test_json(json);
    cr_assert_gt(number(root, "bench.hcp.steps_per_s"), 0);
    cr_assert_gt(number(root, "bench.hcp.ceiling_steps_per_s"), 0);
    cr_assert_gt(number(root, "bench.hcp.ceiling_fraction"), 0);
    cr_assert_gt(number(root, "bench.hcp.msd_steps_per_s"), 0);
    cr_assert(cJSON_IsString(item(root, "device")) && cJSON_IsString(item(root, "command")));
    cr_assert(cJSON_IsString(item(root, "driver")) && cJSON_IsString(item(root, "backend")));
    cr_assert(strstr(cJSON_GetStringValue(item(root, "command")), "bench --lattice hcp") != NULL);
    cJSON_Delete(root);
    remove_dir(dir);
    assert_usage_error(hop_run_list("bench", "--replicas", "0", NULL), "--replicas", "bench replicas");
    assert_usage_error(hop_run_list("bench", "--lattice", "nope", NULL), "nope", "bench lattice");
    assert_usage_error(hop_run_list("bench", "--backend", "gpu", NULL), "gpu", "bench backend");
}

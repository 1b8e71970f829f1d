/* test_report.c: the summary `hop run` prints (host/output/report.c), on the tensor
 * of hcp.  Moved whole from test_cli.c. */
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

Test(cli_run, hcp_principal_components)
{
    char dir[64], json[128];
    cJSON *root;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/hcp.json", dir);
    p = hop_run_list("run", "--lattice", "hcp", "--replicas", "3000", "--json", json, "--quiet", NULL);
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    cr_assert(strstr(p->out, "f_x (basal)") && strstr(p->out, "f_z (c axis)"), "%s", p->out);
    root = hop_test_json(json);
    number(root, "results.f_x.value");
    number(root, "results.f_x.stderr");
    number(root, "results.f_z.value");
    number(root, "results.f_z.bias_bound");
    cr_assert_null(item(root, "results.f_y"), "hcp has two principal components");
    cr_assert_null(item(root, "results.isotropy_max_dev_sigma"), "hcp is not isotropic");
    cJSON_Delete(root);
    remove_dir(dir);
}

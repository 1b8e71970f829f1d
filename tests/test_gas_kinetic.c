/* test_gas_kinetic.c: Chapman-Enskog rigid-sphere diffusion (host/cli/gas_kinetic.c)
 * against values computed by hand, and its exact scaling laws. */
#include <criterion/criterion.h>
#include <math.h>
#include "cli/gas_kinetic.h"
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

#define REL(a, b) (fabs((a) - (b)) / fabs(b))

/* By hand at 300 K and 101325 Pa:
 *   n = p/kT = 101325 / (1.380649e-23 * 300) = 2.44631e25 m^-3
 * 86Kr in 84Kr: mu = 85.9106106 * 83.9114977 / 169.8221083 u = 42.45019 u
 *   = 7.049016e-26 kg; sqrt(kT / (2 pi mu)) = sqrt(4.141947e-21 / 4.428985e-25)
 *   = 96.7052 m/s; sigma^2 = (4.16e-10)^2 = 1.73056e-19 m^2;
 *   D = 3 / (8 n sigma^2) * 96.7052 = 8.5661e-6 m^2/s.
 * 84Kr in 40Ar: mu = 83.9114977 * 39.9623831 / 123.8738808 u = 27.07045 u;
 *   sigma = 3.90e-10 m; D = 1.22048e-5 m^2/s; ratio 1.42478. */
Test(gas_kinetic, hand_computed)
{
    const double self = hop_chapman_enskog(300, 101325, 85.9106106, 83.9114977, 4.16, 4.16);
    const double mutual = hop_chapman_enskog(300, 101325, 83.9114977, 39.9623831, 4.16, 3.64);
    cr_assert_lt(REL(self, 8.5661e-6), 2e-5, "D_self %.6g", self);
    cr_assert_lt(REL(mutual, 1.22048e-5), 2e-5, "D_mutual %.6g", mutual);
    cr_assert_lt(REL(mutual / self, 1.42478), 2e-5, "ratio %.6g", mutual / self);
}

Test(gas_kinetic, scaling_laws)
{
    const double d = hop_chapman_enskog(300, 1e5, 84, 40, 4.16, 3.64);
    cr_assert_lt(REL(hop_chapman_enskog(600, 1e5, 84, 40, 4.16, 3.64), d * pow(2, 1.5)), 1e-14);
    cr_assert_lt(REL(hop_chapman_enskog(300, 2e5, 84, 40, 4.16, 3.64), d / 2), 1e-14);
    cr_assert_lt(REL(hop_chapman_enskog(300, 1e5, 40, 84, 3.64, 4.16), d), 1e-14);
    /* D ~ sigma^-2 and mu^-1/2 */
    cr_assert_lt(REL(hop_chapman_enskog(300, 1e5, 84, 40, 8.32, 7.28), d / 4), 1e-14);
    cr_assert_lt(REL(hop_chapman_enskog(300, 1e5, 4 * 84, 4 * 40, 4.16, 3.64), d / 2), 1e-14);
}

/* hop gas-kinetic: the numbers on stdout and in JSON; bad input is a usage error. */
Test(cli_gas_kinetic, values_and_errors)
{
    char dir[64], json[128];
    cJSON *root;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/kr.json", dir);
    p = hop_run_list("gas-kinetic", "--T", "300", "--json", json, NULL);
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    cr_assert(strstr(p->out, "D_self   = 8.5661e-06 m^2/s") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "ratio D_mutual/D_self = 1.42478") != NULL, "%s", p->out);
    root = hop_test_json(json);
    cr_assert_float_eq(number(root, "results.D_mutual") / number(root, "results.D_self"),
                       number(root, "results.ratio_mutual_over_self"), 1e-12);
    cJSON_Delete(root);
    remove_dir(dir);
    assert_usage_error(hop_run_list("gas-kinetic", "--T", "0", NULL), "--T: '0' is out of range",
                       "gas T");
    assert_usage_error(hop_run_list("gas-kinetic", "--p", "-1", NULL), "--p", "gas p");
    assert_usage_error(hop_run_list("gas-kinetic", "--d-kr", "abc", NULL), "--d-kr", "gas d");
    assert_usage_error(hop_run_list("gas-kinetic", "--m-ar40", "0", NULL), "--m-ar40", "gas m");
    assert_usage_error(hop_run_list("gas-kinetic", "--frob", NULL), "--frob", "gas option");
    assert_usage_error(hop_run_list("gas-kinetic", "--T", NULL), "--T", "gas missing value");
}

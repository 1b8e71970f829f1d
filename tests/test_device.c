/* test_device.c: backend names and choice, and the device description of
 * host/backend/device.c: every backend's name parses back to it and nothing else
 * parses; an explicit backend is kept; auto becomes cuda only with a device, and says
 * which it chose and why; the cpu backend is described as the host CPU (the string
 * every result file carries).  Passes with or without a GPU and with HOP_CUDA=OFF. */
#include <criterion/criterion.h>
#include <string.h>
#include "backend/cuda.h"
#include "backend/device.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "hop_git.h"
#include "dir_helper.h"
#include "proc_helper.h"
#include "json_helper.h"
#include "cli_helper.h"

Test(device, backend_names_round_trip)
{
    const int all[] = { HOP_BACKEND_AUTO, HOP_BACKEND_CPU, HOP_BACKEND_CUDA };
    for (int i = 0; i < 3; ++i) {
        const char *name = hop_backend_name(all[i]);
        cr_assert_eq(hop_backend_parse(name), all[i], "%s", name);
        for (int j = 0; j < i; ++j)
            cr_assert_str_neq(name, hop_backend_name(all[j]));
    }
    cr_assert_str_eq(hop_backend_name(HOP_BACKEND_CPU), "cpu");
    cr_assert_str_eq(hop_backend_name(HOP_BACKEND_CUDA), "cuda");
    cr_assert_str_eq(hop_backend_name(HOP_BACKEND_AUTO), "auto");
}

Test(device, other_names_do_not_parse)
{
    const char *bad[] = { "", "CPU", "gpu", "cuda ", " cpu", "cp", "autos" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i)
        cr_assert_eq(hop_backend_parse(bad[i]), -1, "\"%s\" parsed", bad[i]);
}

Test(device, explicit_backend_is_kept_without_a_note)
{
    char note[256] = "stale";
    cr_assert_eq(hop_backend_choose(HOP_BACKEND_CPU, note, sizeof note), HOP_BACKEND_CPU);
    cr_assert_str_empty(note);
    cr_assert_eq(hop_backend_choose(HOP_BACKEND_CUDA, note, sizeof note), HOP_BACKEND_CUDA);
    cr_assert_str_empty(note);
}

Test(device, auto_chooses_cuda_only_with_a_device_and_says_so)
{
    hop_cuda_info info;
    char why[256], note[512];
    const int device = hop_cuda_probe(&info, why, sizeof why) == HOP_OK;
    const int chosen = hop_backend_choose(HOP_BACKEND_AUTO, note, sizeof note);
    cr_assert_eq(chosen, device ? HOP_BACKEND_CUDA : HOP_BACKEND_CPU, "note: %s", note);
    cr_assert_eq(strncmp(note, "backend auto: ", 14), 0, "note: %s", note);
    if (device)
        cr_assert_not_null(strstr(note, info.name), "note: %s", note);
    else
        cr_assert_not_null(strstr(note, "using the cpu backend"), "note: %s", note);
}

Test(device, cpu_is_described_as_the_host_cpu)
{
    char d[256];
    cr_assert_eq(hop_device_describe(HOP_BACKEND_CPU, d, sizeof d), HOP_OK);
    cr_assert_eq(strncmp(d, "host CPU", 8), 0, "description: %s", d);
    cr_assert(d[8] == '\0' || strncmp(d + 8, ": ", 2) == 0, "description: %s", d);
    cr_assert_null(strchr(d, '\n'), "one line: %s", d);
    /* A short buffer is cut, never overrun. */
    char small[6];
    hop_cpu_model(small, sizeof small);
    cr_assert_str_eq(small, "host ");
}

Test(device, cuda_without_a_device_is_refused)
{
    hop_cuda_info info;
    char why[256], d[256];
    if (hop_cuda_probe(&info, why, sizeof why) == HOP_OK)
        cr_skip_test("a CUDA device is present (%s)", info.name);
    cr_assert_eq(hop_device_describe(HOP_BACKEND_CUDA, d, sizeof d), HOP_ERR_NODEV);
}

/* Without a usable GPU: --backend auto runs on the CPU and says so on stderr, and
 * --backend cuda (run and bench) is a runtime error, exit 1, one "hop: error:" line
 * naming the backend, no file written.  Under ctest this runs on a GPU machine too: the
 * tests not labelled gpu see no device (CUDA_VISIBLE_DEVICES empty, tests/CMakeLists.txt),
 * and this is the check that `--backend auto` inside them then is the cpu backend.  Run
 * by hand beside a GPU it skips; the GPU's side is tests/test_gpu.c's business. */
Test(cli_backend, no_device)
{
    hop_cuda_info info;
    char why[256], dir[64], json[128];
    cJSON *root;
    hop_proc *p;
    if (hop_cuda_probe(&info, why, sizeof why) == HOP_OK)
        cr_skip_test("a CUDA device is present (%s): the no-device paths cannot be checked",
                     info.name);
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/run.json", dir);
    p = hop_run_list("run", "--lattice", "sc", "--replicas", "2000", "--json", json, NULL);
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    cr_assert(strstr(p->err, "hop: backend auto: ") && strstr(p->err, "using the cpu backend"),
              "auto does not say it fell back:\n%s", p->err);
    cr_assert(strstr(p->err, why) != NULL, "the reason '%s' is not given:\n%s", why, p->err);
    root = hop_test_json(json);
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "backend")), "cpu");
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "parameters.backend")), "cpu");
    cJSON_Delete(root);
    remove_dir(dir);

    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/run.json", dir);
    p = hop_run_list("run", "--backend", "cuda", "--quiet", "--json", json, NULL);
    cr_assert_eq(p->status, 1, "--backend cuda without a device: exit %d\n%s", p->status, p->err);
    cr_assert(strncmp(p->err, "hop: error: --backend cuda: ", 28) == 0, "stderr:\n%s", p->err);
    cr_assert(strchr(p->err, '\n') && strchr(p->err, '\n')[1] == '\0', "one line:\n%s", p->err);
    cr_assert_eq(count_entries(dir), 0, "a file was written");
    remove_dir(dir);

    p = hop_run_list("bench", "--backend", "cuda", "--lattice", "sc", NULL);
    cr_assert_eq(p->status, 1, "bench --backend cuda without a device: exit %d", p->status);
    cr_assert(strstr(p->err, "hop: error: --backend cuda: ") != NULL, "stderr:\n%s", p->err);
}

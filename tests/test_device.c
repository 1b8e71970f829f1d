/* test_device.c: backend names and choice, and the device description of
 * host/backend/device.c: every backend's name parses back to it and nothing else
 * parses; an explicit backend is kept; auto becomes cuda only with a device, and says
 * which it chose and why; the cpu backend is described as the host CPU (the string
 * every result file carries).  Passes with or without a GPU and with HOP_CUDA=OFF. */
#include <criterion/criterion.h>
#include <string.h>
#include "backend/cuda.h"
#include "backend/device.h"

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

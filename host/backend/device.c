/* device.c: which backend runs a run and what it runs on.
 * AUTO becomes CUDA when a device answers, else the CPU; the device string (CPU model, or
 * GPU name, architecture, memory and CUDA versions) goes into every result file. */
#include <stdio.h>
#include <string.h>
#include "backend/cuda.h"
#include "backend/device.h"

const char *hop_backend_name(int backend)
{
    return backend == HOP_BACKEND_CPU ? "cpu" : backend == HOP_BACKEND_CUDA ? "cuda" : "auto";
}

int hop_backend_parse(const char *name)
{
    for (int b = HOP_BACKEND_AUTO; b <= HOP_BACKEND_CUDA; ++b)
        if (strcmp(name, hop_backend_name(b)) == 0)
            return b;
    return -1;
}

int hop_backend_choose(int requested, char *note, size_t note_len)
{
    hop_cuda_info info;
    char why[256];
    if (note && note_len)
        note[0] = '\0';
    if (requested != HOP_BACKEND_AUTO)
        return requested;
    if (hop_cuda_probe(&info, why, sizeof why) == HOP_OK) {
        if (note)
            snprintf(note, note_len, "backend auto: using cuda on %s", info.name);
        return HOP_BACKEND_CUDA;
    }
    if (note)
        snprintf(note, note_len, "backend auto: %s; using the cpu backend", why);
    return HOP_BACKEND_CPU;
}

/* The processor's model name from /proc/cpuinfo, or "host CPU". */
void hop_cpu_model(char *buf, size_t n)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    snprintf(buf, n, "host CPU");
    while (f && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            colon += strspn(colon + 1, " \t") + 1;
            colon[strcspn(colon, "\n")] = '\0';
            snprintf(buf, n, "host CPU: %s", colon);
            break;
        }
    }
    if (f)
        fclose(f);
}

hop_status hop_device_describe(int backend, char *buf, size_t n)
{
    hop_cuda_info info;
    char why[256];
    if (backend != HOP_BACKEND_CUDA) {
        hop_cpu_model(buf, n);
        return HOP_OK;
    }
    if (hop_cuda_probe(&info, why, sizeof why) != HOP_OK)
        return hop_error(HOP_ERR_NODEV, "--backend cuda: %s", why);
    snprintf(buf, n, "%s (sm_%d%d, %d multiprocessors, %.0f GiB; CUDA driver %d.%d, runtime %d.%d)",
             info.name, info.cc_major, info.cc_minor, info.multiprocessors,
             (double)info.total_bytes / 1073741824.0, info.driver_version / 1000,
             info.driver_version % 1000 / 10, info.runtime_version / 1000,
             info.runtime_version % 1000 / 10);
    return HOP_OK;
}

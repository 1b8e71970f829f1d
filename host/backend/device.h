/* device.h: the backend's device (backend/device.c).  The choice of backend
 * (hop_backend_choose, _name, _parse) is declared in include/hop/hop.h. */
#ifndef HOP_BACKEND_DEVICE_H
#define HOP_BACKEND_DEVICE_H

#include <stddef.h>
#include "hop/hop.h"
#include "base/clock.h"

/* What runs a backend, into buf: "host CPU: <model>", or for cuda the GPU's name,
 * architecture, memory and CUDA versions.  HOP_ERR_NODEV (reported) when cuda is asked
 * for and no device is usable. */
hop_status hop_device_describe(int backend, char *buf, size_t n);
/* The processor's model name from /proc/cpuinfo ("host CPU: <model>"), or "host CPU". */
void hop_cpu_model(char *buf, size_t n);

#endif

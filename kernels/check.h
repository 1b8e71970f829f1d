/* check.h: how hop checks the CUDA runtime.  Every runtime call and every kernel launch
 * goes through HOP_CUDA_CHECK, which on failure reports the call, the file and the line
 * through hop_error (one message funnel) and returns HOP_ERR_CUDA from the caller.
 * C and CUDA alike include it. */
#ifndef HOP_KERNELS_CHECK_H
#define HOP_KERNELS_CHECK_H

#include <cuda_runtime_api.h>
#include "hop/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reports "CALL failed at FILE:LINE: cudaErrorX (text)" and returns HOP_ERR_CUDA. */
hop_status hop_cuda_fail(cudaError_t err, const char *call, const char *file, int line);

#ifdef __cplusplus
}
#endif

#define HOP_CUDA_CHECK(call)                                                  \
    do {                                                                      \
        cudaError_t hop_err_ = (call);                                        \
        if (hop_err_ != cudaSuccess)                                          \
            return hop_cuda_fail(hop_err_, #call, __FILE__, __LINE__);        \
    } while (0)

/* After a launch: the launch itself (configuration errors) is checked at once;
 * faults inside the kernel surface at the next synchronizing call, also checked. */
#define HOP_CUDA_CHECK_LAUNCH(what) HOP_CUDA_CHECK((what, cudaGetLastError()))

#endif

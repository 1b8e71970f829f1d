/* check.cu: the failure report behind HOP_CUDA_CHECK (check.h). */
#include "check.h"

extern "C" hop_status hop_cuda_fail(cudaError_t err, const char *call, const char *file, int line)
{
    return hop_error(HOP_ERR_CUDA, "%s failed at %s:%d: %s (%s)", call, file, line,
                     cudaGetErrorName(err), cudaGetErrorString(err));
}

/* hd.h: portability macros that let hop's shared physics headers compile both as
 * C99 (CPU backend, gcc) and as CUDA C++ (kernels, nvcc).
 *
 * HOP_HD marks a function that is inlined into both host and device code.  Shared
 * headers stay inside the overlap of C99 and C++: no compound literals, designated
 * initializers or VLAs, no globals, allocation, I/O or errno. */
#ifndef HOP_HD_H
#define HOP_HD_H

#if defined(__CUDACC__)
#  define HOP_HD static __host__ __device__ __forceinline__
#elif defined(__GNUC__)
   /* Always inline: the replica drivers are specialized through constant arguments
    * (e.g. `bravais`), which only happens when every call is inlined. */
#  define HOP_HD static inline __attribute__((always_inline))
#else
#  define HOP_HD static inline
#endif

#include <stdint.h>

#endif

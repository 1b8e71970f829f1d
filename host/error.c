/* error.c: the status strings and the single funnel every hop error message goes
 * through (see include/hop/status.h).  Keeping one function lets a debugger stop on
 * every reported error with one breakpoint, as GSL's gsl_error does. */
#include <stdarg.h>
#include <stdio.h>
#include "mpi_job.h"
#include "hop/status.h"

/* Short static description of s; unknown codes get a generic string, never NULL. */
const char *hop_strerror(hop_status s)
{
    switch (s) {
    case HOP_OK:          return "success";
    case HOP_ERR_INVAL:   return "invalid argument";
    case HOP_ERR_NOMEM:   return "out of memory";
    case HOP_ERR_IO:      return "input/output error";
    case HOP_ERR_CUDA:    return "CUDA runtime error";
    case HOP_ERR_NODEV:   return "no usable device";
    case HOP_ERR_NUMERIC: return "numerical failure";
    case HOP_ERR_INTERRUPTED: return "interrupted";
    }
    return "unknown error";
}

static unsigned long reported;   /* messages printed so far (hop_error_count) */
static int silenced;             /* hop_error_silence */

int hop_error_silence(int on)
{
    const int was = silenced;
    silenced = on;
    return was;
}

unsigned long hop_error_count(void)
{
    return reported;
}

/* Prints "hop: error: <formatted message>\n" to stderr ("hop: error: rank K: ..." in an
 * MPI job) and returns s unchanged. */
hop_status hop_error(hop_status s, const char *fmt, ...)
{
    va_list ap;
    if (silenced)
        return s;
    ++reported;
    if (hop_mpi_size() > 1)         /* say which process of an MPI job failed */
        fprintf(stderr, "hop: error: rank %d: ", hop_mpi_rank());
    else
        fputs("hop: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    return s;
}

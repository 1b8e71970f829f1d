/* error.c: the status strings and the single funnel every hop error message goes
 * through (see include/hop/status.h).  Keeping one function lets a debugger stop on
 * every reported error with one breakpoint, as GSL's gsl_error does.  The library never
 * prints: a message goes to the handler the caller installed (hop_set_error_handler, as
 * GSL's gsl_set_error_handler); the hop program's prints "hop: error: ..." on stderr. */
#include <stdarg.h>
#include <stdio.h>
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

/* The handler every message goes to; NULL: none (the library itself never prints). */
static hop_error_handler *handler;

hop_error_handler *hop_set_error_handler(hop_error_handler *h)
{
    hop_error_handler *was = handler;
    handler = h;
    return was;
}

/* Formats the message, counts it and hands it to the handler; returns s unchanged. */
hop_status hop_error(hop_status s, const char *fmt, ...)
{
    char message[1024];
    va_list ap;
    if (silenced)
        return s;
    ++reported;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    if (handler)
        handler(s, message);
    return s;
}

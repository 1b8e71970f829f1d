/* status.h: hop's error codes.  Library code returns one of these and never exits;
 * the command-line layer maps them to exit statuses (2 for usage errors, 1 otherwise). */
#ifndef HOP_STATUS_H
#define HOP_STATUS_H

#ifdef __cplusplus
extern "C" {   /* callable from the CUDA (C++) side */
#endif

typedef enum {
    HOP_OK = 0,
    HOP_ERR_INVAL,   /* invalid argument or parameter (a usage error) */
    HOP_ERR_NOMEM,   /* allocation failed */
    HOP_ERR_IO,      /* file could not be written or read */
    HOP_ERR_CUDA,    /* a CUDA runtime call failed */
    HOP_ERR_NODEV,   /* no usable device, or backend not compiled in */
    HOP_ERR_NUMERIC, /* singular matrix, overflow or other numerical failure */
    HOP_ERR_INTERRUPTED  /* stopped on request (a signal); the state was checkpointed */
} hop_status;

/* Short, static description of a status code; never NULL. */
const char *hop_strerror(hop_status s);

/* The single funnel for error messages: formats the message and hands it to the error
 * handler (below), then returns s, so call sites read
 * `return hop_error(HOP_ERR_IO, "cannot write %s", p);`.  One breakpoint here catches
 * every error hop reports. */
hop_status hop_error(hop_status s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* What receives each message (one line, no trailing newline, at most 1023 bytes).  The
 * library never prints on its own: without a handler messages are only counted.  The hop
 * program installs one that writes "hop: error: <message>" to stderr.  Returns the
 * previous handler; not thread-safe (install it before running). */
typedef void hop_error_handler(hop_status s, const char *message);
hop_error_handler *hop_set_error_handler(hop_error_handler *h);

/* Number of messages hop_error has reported in this process: lets a caller that gets
 * a failure status add a generic message only when none was printed. */
unsigned long hop_error_count(void);

/* While on, hop_error reports and counts nothing (for trial computations whose failure
 * is expected and handled, e.g. an estimate after the first few replicas).  Returns the
 * previous setting; not thread-safe. */
int hop_error_silence(int on);

#ifdef __cplusplus
}
#endif

#endif

/* parse.h: strict parsing of numeric command-line values, and the getopt restart that
 * every option parser shares.
 *
 * Every number a user types goes through one of these: the whole string must be the
 * number (no leading whitespace, no trailing characters), unsigned values take no
 * sign, results that overflow the type or fall outside [lo, hi] are rejected, and for
 * doubles NaN and infinities are rejected.  On failure the functions write a one-line
 * message naming the option, the offending value and the valid range, e.g.
 *   --replicas: '0' is out of range (2 .. 1e12)
 *   --time: 'abc' is not a number
 * and return HOP_ERR_INVAL without touching *out. */
#ifndef HOP_PARSE_H
#define HOP_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include "hop/status.h"

/* Decimal unsigned integer in [lo, hi].  opt names the option in the message (e.g.
 * "--replicas"); msg (n bytes, n may be 0) receives the message on failure. */
hop_status hop_parse_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi,
                         uint64_t *out, char *msg, size_t n);

/* Decimal signed integer in [lo, hi]; otherwise as hop_parse_u64. */
hop_status hop_parse_int(const char *opt, const char *s, int lo, int hi,
                         int *out, char *msg, size_t n);

/* Finite floating-point number (strtod syntax) in [lo, hi]; otherwise as hop_parse_u64. */
hop_status hop_parse_double(const char *opt, const char *s, double lo, double hi,
                            double *out, char *msg, size_t n);

/* Makes the next getopt_long call start afresh, on any argv.  Every command's option
 * parser calls it first: getopt keeps state between parses, and optind = 1 alone does
 * not clear glibc's position inside a cluster of short options (after a parse that
 * stopped at the 'h' of "-hx", the next one would go on with a stale "x"). */
void hop_getopt_reset(void);

#endif

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
 * and return HOP_ERR_INVAL without touching *out.
 *
 * Integers may be written in any exact form: plain decimal (010 is ten, not octal), with
 * an exponent (1e6, 2.5e5, 1000e-3) or with one decimal suffix, k or K = 1e3, M = 1e6,
 * G = 1e9, T = 1e12 (4M, 1.5k); the value must be a whole number ("1.5" and "1e-3" are
 * refused as "not a whole number").  Hex and binary suffixes are not accepted. */
#ifndef HOP_PARSE_H
#define HOP_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include "hop/status.h"

/* Unsigned integer (the forms above, no sign) in [lo, hi].  opt names the option in
 * the message (e.g. "--replicas"); msg (n bytes, n may be 0) receives the message on failure. */
hop_status hop_parse_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi,
                         uint64_t *out, char *msg, size_t n);

/* Signed integer (the forms above, optional sign) in [lo, hi]; otherwise as hop_parse_u64. */
hop_status hop_parse_int(const char *opt, const char *s, int lo, int hi,
                         int *out, char *msg, size_t n);

/* Finite floating-point number (strtod syntax) in [lo, hi]; otherwise as hop_parse_u64. */
hop_status hop_parse_double(const char *opt, const char *s, double lo, double hi,
                            double *out, char *msg, size_t n);

/* The name in names[0 .. n-1] nearest to what the user typed, for a "did you mean"
 * hint: the one with the fewest single-character edits (insert, delete, replace, swap
 * two neighbours; case ignored), if at most 1 edit for words of up to 3 characters, 2
 * up to 7 and 3 beyond; else NULL.  Ties go to the name sharing the longest start with
 * what was typed ("fc": fcc, not sc), then to the earlier name. */
const char *hop_nearest_name(const char *typed, const char *const *names, int n);

/* Makes the next getopt_long call start afresh, on any argv.  Every command's option
 * parser calls it first: getopt keeps state between parses, and optind = 1 alone does
 * not clear glibc's position inside a cluster of short options (after a parse that
 * stopped at the 'h' of "-hx", the next one would go on with a stale "x"). */
void hop_getopt_reset(void);

#endif

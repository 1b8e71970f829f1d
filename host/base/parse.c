/* parse.c: strict numeric parsing for the command line (see parse.h).  Built on
 * strtoull/strtol/strtod with errno, end-pointer and range checks; never atoi.  Also
 * the one place that restarts getopt between parses. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "base/parse.h"

/* Writes a bound the way a user would type it: 1000000000000 as "1e12", other values
 * in plain decimal.  buf must hold at least 24 bytes. */
static void format_u64(uint64_t v, char *buf, size_t n)
{
    int zeros = 0;
    uint64_t m = v;
    while (m >= 10 && m % 10 == 0) {
        m /= 10;
        ++zeros;
    }
    if (zeros >= 6)
        snprintf(buf, n, "%llue%d", (unsigned long long)m, zeros);
    else
        snprintf(buf, n, "%llu", (unsigned long long)v);
}

static hop_status not_a(const char *opt, const char *s, const char *what, char *msg, size_t n)
{
    if (n > 0)
        snprintf(msg, n, "%s: '%s' is not %s", opt, s, what);
    return HOP_ERR_INVAL;
}

static hop_status out_of_range(const char *opt, const char *s, const char *lo,
                               const char *hi, char *msg, size_t n)
{
    if (n > 0)
        snprintf(msg, n, "%s: '%s' is out of range (%s .. %s)", opt, s, lo, hi);
    return HOP_ERR_INVAL;
}

/* True when s starts with an optional sign followed by a digit: the shape of a
 * number, so a failed conversion is a range problem rather than junk. */
static int looks_numeric(const char *s)
{
    if (*s == '+' || *s == '-')
        ++s;
    return isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1]));
}

hop_status hop_parse_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi,
                         uint64_t *out, char *msg, size_t n)
{
    char lo_s[32], hi_s[32], *end;
    unsigned long long v;
    format_u64(lo, lo_s, sizeof lo_s);
    format_u64(hi, hi_s, sizeof hi_s);
    if (!s || !isdigit((unsigned char)s[0])) {
        /* strtoull would accept leading blanks and a '-' that wraps around. */
        if (s && s[0] == '-' && isdigit((unsigned char)s[1]))
            return out_of_range(opt, s, lo_s, hi_s, msg, n);
        return not_a(opt, s ? s : "", "a non-negative integer", msg, n);
    }
    errno = 0;
    v = strtoull(s, &end, 10);
    if (*end != '\0')
        return not_a(opt, s, "a non-negative integer", msg, n);
    if (errno == ERANGE || (uint64_t)v < lo || (uint64_t)v > hi)
        return out_of_range(opt, s, lo_s, hi_s, msg, n);
    *out = (uint64_t)v;
    return HOP_OK;
}

hop_status hop_parse_int(const char *opt, const char *s, int lo, int hi,
                         int *out, char *msg, size_t n)
{
    char lo_s[16], hi_s[16], *end;
    long v;
    snprintf(lo_s, sizeof lo_s, "%d", lo);
    snprintf(hi_s, sizeof hi_s, "%d", hi);
    if (!s || !looks_numeric(s))
        return not_a(opt, s ? s : "", "an integer", msg, n);
    errno = 0;
    v = strtol(s, &end, 10);
    if (*end != '\0')
        return not_a(opt, s, "an integer", msg, n);
    if (errno == ERANGE || v < lo || v > hi)
        return out_of_range(opt, s, lo_s, hi_s, msg, n);
    *out = (int)v;
    return HOP_OK;
}

hop_status hop_parse_double(const char *opt, const char *s, double lo, double hi,
                            double *out, char *msg, size_t n)
{
    char lo_s[32], hi_s[32], *end;
    double v;
    snprintf(lo_s, sizeof lo_s, "%g", lo);
    snprintf(hi_s, sizeof hi_s, "%g", hi);
    /* Requiring a digit up front rejects blanks, "nan", "inf" and "infinity". */
    if (!s || !looks_numeric(s))
        return not_a(opt, s ? s : "", "a number", msg, n);
    errno = 0;
    v = strtod(s, &end);
    if (*end != '\0')
        return not_a(opt, s, "a number", msg, n);
    if (errno == ERANGE || !isfinite(v) || v < lo || v > hi)
        return out_of_range(opt, s, lo_s, hi_s, msg, n);
    *out = v;
    return HOP_OK;
}

void hop_getopt_reset(void)
{
#if defined(__GLIBC__)
    optind = 0;         /* glibc: a full restart (optind 1, no pending short options) */
#else
    optind = 1;         /* elsewhere the documented restart (BSDs also want optreset) */
#endif
}

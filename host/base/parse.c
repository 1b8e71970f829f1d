/* parse.c: strict numeric parsing for the command line (see parse.h).  Integers are
 * read digit by digit with overflow checks (exact forms such as 1e6 and 4M included),
 * doubles by strtod with errno, end-pointer and range checks; never atoi.  Also
 * the one place that restarts getopt between parses. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* The value of s in the integer grammar of parse.h: [sign] digits [. digits]
 * [e [sign] digits | k | K | M | G | T], which must be a whole number.  Returns 0 with
 * *negative and *magnitude set, 1 when s is not of that shape, 2 when it is but its
 * value is not whole (1.5, 1e-3), 3 when the magnitude exceeds UINT64_MAX. */
static int exact_integer(const char *s, int *negative, uint64_t *magnitude)
{
    uint64_t m = 0;
    long exponent = 0;              /* value = m 10^exponent */
    int digits = 0, overflow = 0;
    *negative = *s == '-';
    if (*s == '+' || *s == '-')
        ++s;
    for (int fraction = 0; isdigit((unsigned char)*s) || (*s == '.' && !fraction); ++s) {
        if (*s == '.') {
            fraction = 1;
            continue;
        }
        ++digits;
        exponent -= fraction;
        if (m > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
            overflow = 1;           /* kept going: the exponent may still make it whole */
        else
            m = 10 * m + (uint64_t)(*s - '0');
    }
    if (digits == 0)
        return 1;
    if (*s == 'e' || *s == 'E') {
        const char *e = s + 1;
        int sign = 1;
        long x = 0;
        if (*e == '+' || *e == '-')
            sign = *e++ == '-' ? -1 : 1;
        if (!isdigit((unsigned char)*e))
            return 1;
        for (; isdigit((unsigned char)*e); ++e)
            x = x < 100000 ? 10 * x + (*e - '0') : x;
        exponent += sign * x;
        s = e;
    } else if (*s != '\0' && s[1] == '\0' && strchr("kKMGT", *s)) {
        exponent += *s == 'k' || *s == 'K' ? 3 : *s == 'M' ? 6 : *s == 'G' ? 9 : 12;
        ++s;
    }
    if (*s != '\0')
        return 1;
    if (overflow)
        return 3;
    for (; exponent < 0 && m != 0; ++exponent) {
        if (m % 10 != 0)
            return 2;
        m /= 10;
    }
    for (; exponent > 0 && m != 0; --exponent) {
        if (m > UINT64_MAX / 10)
            return 3;
        m *= 10;
    }
    *magnitude = m;
    return 0;
}

hop_status hop_parse_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi,
                         uint64_t *out, char *msg, size_t n)
{
    char lo_s[32], hi_s[32];
    uint64_t v;
    int negative, shape;
    format_u64(lo, lo_s, sizeof lo_s);
    format_u64(hi, hi_s, sizeof hi_s);
    /* unsigned: no '+', and no blanks (strtoull-style leading space is junk here) */
    if (!s || !(isdigit((unsigned char)s[0]) || (s[0] == '.' && isdigit((unsigned char)s[1]))
                || (s[0] == '-' && isdigit((unsigned char)s[1]))))
        return not_a(opt, s ? s : "", "a non-negative integer", msg, n);
    shape = exact_integer(s, &negative, &v);
    if (shape == 1 || shape == 2)
        return not_a(opt, s, shape == 1 ? "a non-negative integer" : "a whole number", msg, n);
    if (shape == 3 || (negative && v != 0) || v < lo || v > hi)
        return out_of_range(opt, s, lo_s, hi_s, msg, n);
    *out = v;
    return HOP_OK;
}

hop_status hop_parse_int(const char *opt, const char *s, int lo, int hi,
                         int *out, char *msg, size_t n)
{
    char lo_s[16], hi_s[16];
    uint64_t m;
    int negative, shape;
    long long v;
    snprintf(lo_s, sizeof lo_s, "%d", lo);
    snprintf(hi_s, sizeof hi_s, "%d", hi);
    if (!s || !looks_numeric(s))
        return not_a(opt, s ? s : "", "an integer", msg, n);
    shape = exact_integer(s, &negative, &m);
    if (shape == 1 || shape == 2)
        return not_a(opt, s, shape == 1 ? "an integer" : "a whole number", msg, n);
    if (shape == 3 || m > (uint64_t)INT_MAX + 1)
        return out_of_range(opt, s, lo_s, hi_s, msg, n);
    v = negative ? -(long long)m : (long long)m;
    if (v < lo || v > hi)
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

/* Optimal string alignment distance between a and b (insertions, deletions,
 * substitutions and swaps of neighbours cost 1), ignoring case; strings longer than
 * 63 characters count as far from everything. */
static int name_distance(const char *a, const char *b)
{
    int d[64][64];
    const size_t la = strlen(a), lb = strlen(b);
    if (la >= 64 || lb >= 64)
        return 1000;
    for (size_t i = 0; i <= la; ++i)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; ++j)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; ++i)
        for (size_t j = 1; j <= lb; ++j) {
            const int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
            int best = d[i - 1][j - 1] + !same;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]
                && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *hop_nearest_name(const char *typed, const char *const *names, int n)
{
    const size_t len = strlen(typed);
    const int most = len <= 3 ? 1 : len <= 7 ? 2 : 3;
    const char *best = NULL;
    int best_d = most + 1;
    size_t best_prefix = 0;
    for (int i = 0; i < n; ++i) {
        const int dist = names[i] ? name_distance(typed, names[i]) : 1000;
        size_t prefix = 0;
        while (dist < 1000 && typed[prefix] && tolower((unsigned char)typed[prefix])
                                                == tolower((unsigned char)names[i][prefix]))
            ++prefix;
        if (dist < best_d || (dist == best_d && prefix > best_prefix)) {
            best_d = dist;
            best = names[i];
            best_prefix = prefix;
        }
    }
    return best;
}

void hop_getopt_reset(void)
{
#if defined(__GLIBC__)
    optind = 0;         /* glibc: a full restart (optind 1, no pending short options) */
#else
    optind = 1;         /* elsewhere the documented restart (BSDs also want optreset) */
#endif
}

/* reader.c: what reading, checking and writing lattice files share: the axis names, the
 * one place load errors are formatted, and two small text helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "lattice/reader.h"

const char *const hop_lf_axis_names[HOP_MAX_DIM] = {"x", "y", "z"};

/* The one place load errors are written: "FILE:LINE: problem", or "FILE: problem"
 * when line is 0.  Returns HOP_ERR_INVAL. */
hop_status hop_lf_bad(reader *r, int line, const char *fmt, ...)
{
    va_list ap;
    int n = line > 0 ? snprintf(r->msg, r->msg_len, "%s:%d: ", r->path, line)
                     : snprintf(r->msg, r->msg_len, "%s: ", r->path);
    if (n >= 0 && (size_t)n < r->msg_len) {
        va_start(ap, fmt);
        vsnprintf(r->msg + n, r->msg_len - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return HOP_ERR_INVAL;
}

/* "(v0 v1 v2)", the first dim components of v, into buf (at least 48 bytes). */
const char *hop_lf_vec(char *buf, const int *v, int dim)
{
    int n = sprintf(buf, "(");
    for (int a = 0; a < dim; ++a)
        n += sprintf(buf + n, a ? " %d" : "%d", v[a]);
    sprintf(buf + n, ")");
    return buf;
}

/* Whether s has 1..max characters, each a letter, a digit, '_' or one of `extra`. */
int hop_lf_is_word(const char *s, size_t max, const char *extra)
{
    size_t n = strlen(s), i;
    for (i = 0; i < n; ++i)
        if (!strchr(LF_WORD, s[i]) && !strchr(extra, s[i]))
            return 0;
    return n >= 1 && n <= max;
}

/* test_parse.c: Criterion tests for the strict numeric parsers (host/base/parse.c).
 *
 * Every rejection the command line relies on is provoked: empty strings, leading
 * whitespace, trailing junk, signs on unsigned values, overflow, NaN and infinities,
 * values outside the range; the messages name the option, the value and the range; a
 * failed parse leaves the output untouched.  (The atomic output file has its own,
 * test_atomic_file.c.) */
#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/parse.h"

#define TERA UINT64_C(1000000000000)

/* ---- unsigned ------------------------------------------------------------------ */

Test(parse_u64, accepts_plain_decimals)
{
    uint64_t v = 0;
    char msg[128];
    cr_assert_eq(hop_parse_u64("--seed", "0", 0, UINT64_MAX, &v, msg, sizeof msg), HOP_OK);
    cr_assert_eq(v, 0);
    cr_assert_eq(hop_parse_u64("--seed", "18446744073709551615", 0, UINT64_MAX, &v, msg,
                               sizeof msg), HOP_OK);
    cr_assert_eq(v, UINT64_MAX);
    cr_assert_eq(hop_parse_u64("--replicas", "1000000000000", 1, TERA, &v, msg, sizeof msg), HOP_OK);
    cr_assert_eq(v, TERA);
    cr_assert_eq(hop_parse_u64("--replicas", "010", 1, TERA, &v, msg, sizeof msg), HOP_OK);
    cr_assert_eq(v, 10, "decimal, not octal");
}

/* The exact forms of parse.h: exponents and decimal suffixes, whenever the value is a
 * whole number; what is not whole says so. */
Test(parse_u64, accepts_exact_exponent_and_suffix_forms)
{
    static const struct { const char *s; uint64_t v; } good[] = {
        {"1e6", 1000000}, {"1E6", 1000000}, {"2.5e5", 250000}, {"1e+3", 1000}, {"1000e-3", 1},
        {"4M", 4000000}, {"1.5k", 1500}, {"2K", 2000}, {"3G", UINT64_C(3000000000)},
        {"1T", TERA}, {"1e12", TERA}, {"1.0", 1}, {"0e99999", 0},
        {"18446744073709551615", UINT64_MAX}, {"1.8446744073709551615e19", UINT64_MAX}};
    char msg[128];
    for (size_t i = 0; i < sizeof good / sizeof *good; ++i) {
        uint64_t v = 42;
        cr_assert_eq(hop_parse_u64("--replicas", good[i].s, 0, UINT64_MAX, &v, msg, sizeof msg),
                     HOP_OK, "'%s': %s", good[i].s, msg);
        cr_assert_eq(v, good[i].v, "'%s' read as %llu", good[i].s, (unsigned long long)v);
    }
    {
        uint64_t v = 42;
        cr_assert_eq(hop_parse_u64("--replicas", "1.5", 0, TERA, &v, msg, sizeof msg),
                     HOP_ERR_INVAL);
        cr_assert_str_eq(msg, "--replicas: '1.5' is not a whole number");
        cr_assert_eq(hop_parse_u64("--replicas", "1e-3", 0, TERA, &v, msg, sizeof msg),
                     HOP_ERR_INVAL);
        cr_assert_eq(hop_parse_u64("--replicas", "2e12", 0, TERA, &v, msg, sizeof msg),
                     HOP_ERR_INVAL);
        cr_assert_str_eq(msg, "--replicas: '2e12' is out of range (0 .. 1e12)");
        cr_assert_eq(hop_parse_u64("--seed", "1e20", 0, UINT64_MAX, &v, msg, sizeof msg),
                     HOP_ERR_INVAL, "beyond 2^64");
        cr_assert(strstr(msg, "out of range") != NULL, "%s", msg);
        cr_assert_eq(hop_parse_u64("--seed", "1e999999999", 0, UINT64_MAX, &v, msg, sizeof msg),
                     HOP_ERR_INVAL, "a huge exponent");
        cr_assert_eq(v, 42);
    }
}

Test(parse_u64, rejects_malformed_and_keeps_output)
{
    static const char *bad[] = {"", " 5", "5 ", "5x", "abc", "+5", "0x10", "1e", "1.5",
                                "\t7", "4m", "4MB", "1e3k", "e3", "1.2.3", "1,000"};
    char msg[128];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; ++i) {
        uint64_t v = 42;
        cr_assert_eq(hop_parse_u64("--replicas", bad[i], 1, TERA, &v, msg, sizeof msg),
                     HOP_ERR_INVAL, "'%s' accepted", bad[i]);
        cr_assert_eq(v, 42, "output changed by '%s'", bad[i]);
        cr_assert(strncmp(msg, "--replicas: '", 13) == 0, "message '%s'", msg);
        cr_assert(strchr(msg, '\n') == NULL, "message is one line");
    }
    cr_assert_eq(hop_parse_u64("--replicas", NULL, 1, TERA, NULL, msg, sizeof msg), HOP_ERR_INVAL);
}

Test(parse_u64, rejects_out_of_range_with_range_in_message)
{
    uint64_t v = 42;
    char msg[128];
    cr_assert_eq(hop_parse_u64("--replicas", "0", 1, TERA, &v, msg, sizeof msg), HOP_ERR_INVAL);
    cr_assert_str_eq(msg, "--replicas: '0' is out of range (1 .. 1e12)");
    cr_assert_eq(hop_parse_u64("--replicas", "-3", 1, TERA, &v, msg, sizeof msg), HOP_ERR_INVAL);
    cr_assert_str_eq(msg, "--replicas: '-3' is out of range (1 .. 1e12)");
    cr_assert_eq(hop_parse_u64("--replicas", "1000000000001", 1, TERA, &v, msg, sizeof msg),
                 HOP_ERR_INVAL);
    cr_assert_eq(hop_parse_u64("--replicas", "99999999999999999999999", 1, TERA, &v, msg,
                               sizeof msg), HOP_ERR_INVAL);
    cr_assert(strstr(msg, "out of range") != NULL, "overflow message '%s'", msg);
    cr_assert_eq(hop_parse_u64("--seed", "18446744073709551616", 0, UINT64_MAX, &v, msg,
                               sizeof msg), HOP_ERR_INVAL, "2^64 overflows");
    cr_assert_eq(v, 42);
}

Test(parse_u64, message_is_truncated_safely)
{
    uint64_t v;
    char msg[8];
    memset(msg, 'z', sizeof msg);
    cr_assert_eq(hop_parse_u64("--replicas", "abc", 1, 5, &v, msg, sizeof msg), HOP_ERR_INVAL);
    cr_assert_eq(msg[sizeof msg - 1], '\0');
    cr_assert_eq(hop_parse_u64("--replicas", "abc", 1, 5, &v, NULL, 0), HOP_ERR_INVAL,
                 "a zero-length message buffer is allowed");
}

/* ---- int ------------------------------------------------------------------------- */

Test(parse_int, accepts_signed_in_range)
{
    int v = 0;
    char msg[128];
    cr_assert_eq(hop_parse_int("--threads", "4096", 1, 4096, &v, msg, sizeof msg), HOP_OK);
    cr_assert_eq(v, 4096);
    cr_assert_eq(hop_parse_int("--x", "-7", -10, 10, &v, msg, sizeof msg), HOP_OK);
    cr_assert_eq(v, -7);
    cr_assert_eq(hop_parse_int("--x", "+7", -10, 10, &v, msg, sizeof msg), HOP_OK);
    cr_assert_eq(v, 7);
    cr_assert_eq(hop_parse_int("--times", "2e1", 8, 1000, &v, msg, sizeof msg), HOP_OK);
    cr_assert_eq(v, 20);
    cr_assert_eq(hop_parse_int("--x", "-1k", -5000, 0, &v, msg, sizeof msg), HOP_OK);
    cr_assert_eq(v, -1000);
    cr_assert_eq(hop_parse_int("--x", "-2147483648", INT32_MIN, INT32_MAX, &v, msg, sizeof msg),
                 HOP_OK);
    cr_assert_eq(v, INT32_MIN);
    cr_assert_eq(hop_parse_int("--threads", "1.5", 1, 4096, &v, msg, sizeof msg), HOP_ERR_INVAL);
    cr_assert_str_eq(msg, "--threads: '1.5' is not a whole number");
}

Test(parse_int, rejects_junk_range_and_overflow)
{
    static const char *junk[] = {"", " 1", "1 ", "one", "0x4", "-", "+", "2e", "2x"};
    char msg[128];
    int v = 42;
    for (size_t i = 0; i < sizeof junk / sizeof *junk; ++i) {
        cr_assert_eq(hop_parse_int("--threads", junk[i], 1, 4096, &v, msg, sizeof msg),
                     HOP_ERR_INVAL, "'%s' accepted", junk[i]);
        cr_assert(strstr(msg, "is not an integer") != NULL, "'%s': '%s'", junk[i], msg);
    }
    cr_assert_eq(hop_parse_int("--threads", "0", 1, 4096, &v, msg, sizeof msg), HOP_ERR_INVAL);
    cr_assert_str_eq(msg, "--threads: '0' is out of range (1 .. 4096)");
    cr_assert_eq(hop_parse_int("--threads", "4097", 1, 4096, &v, msg, sizeof msg), HOP_ERR_INVAL);
    cr_assert_eq(hop_parse_int("--threads", "-1", 1, 4096, &v, msg, sizeof msg), HOP_ERR_INVAL);
    cr_assert_eq(hop_parse_int("--x", "2147483648", INT32_MIN, INT32_MAX, &v, msg, sizeof msg),
                 HOP_ERR_INVAL, "beyond int");
    cr_assert_eq(hop_parse_int("--x", "99999999999999999999999", INT32_MIN, INT32_MAX, &v, msg,
                               sizeof msg), HOP_ERR_INVAL);
    cr_assert(strstr(msg, "out of range") != NULL, "%s", msg);
    cr_assert_eq(v, 42);
}

/* ---- double ---------------------------------------------------------------------- */

Test(parse_double, accepts_decimal_and_exponent_forms)
{
    double v = 0;
    char msg[128];
    cr_assert_eq(hop_parse_double("--time", "12.5", 0, 1e12, &v, msg, sizeof msg), HOP_OK);
    cr_assert_eq(v, 12.5);
    cr_assert_eq(hop_parse_double("--time", "1e3", 0, 1e12, &v, msg, sizeof msg), HOP_OK);
    cr_assert_eq(v, 1000.0);
    cr_assert_eq(hop_parse_double("--fit-from", ".25", 0, 1, &v, msg, sizeof msg), HOP_OK);
    cr_assert_eq(v, 0.25);
    cr_assert_eq(hop_parse_double("--x", "-2", -5, 5, &v, msg, sizeof msg), HOP_OK);
    cr_assert_eq(v, -2.0);
    cr_assert_eq(hop_parse_double("--radius", "2", 2, 1e6, &v, msg, sizeof msg), HOP_OK,
                 "bounds are inclusive");
}

Test(parse_double, rejects_nan_inf_junk_and_range)
{
    static const char *junk[] = {"", "abc", " 1", "1 ", "1.5x", "nan", "NaN", "inf", "-inf",
                                 "infinity", "e5", ".", "--1"};
    char msg[128];
    double v = 42;
    for (size_t i = 0; i < sizeof junk / sizeof *junk; ++i) {
        cr_assert_eq(hop_parse_double("--time", junk[i], 0, 1e12, &v, msg, sizeof msg),
                     HOP_ERR_INVAL, "'%s' accepted", junk[i]);
        cr_assert(strstr(msg, "is not a number") != NULL, "'%s': '%s'", junk[i], msg);
    }
    cr_assert_eq(hop_parse_double("--time", "abc", 0, 1e12, &v, msg, sizeof msg), HOP_ERR_INVAL);
    cr_assert_str_eq(msg, "--time: 'abc' is not a number");
    cr_assert_eq(hop_parse_double("--radius", "-1", 2, 1e6, &v, msg, sizeof msg), HOP_ERR_INVAL);
    cr_assert_str_eq(msg, "--radius: '-1' is out of range (2 .. 1e+06)");
    cr_assert_eq(hop_parse_double("--time", "1e999", 0, 1e300, &v, msg, sizeof msg),
                 HOP_ERR_INVAL, "overflow");
    cr_assert_eq(hop_parse_double("--time", "1e-400", 0, 1, &v, msg, sizeof msg),
                 HOP_ERR_INVAL, "underflow");
    cr_assert_eq(v, 42);
}

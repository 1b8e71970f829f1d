/* test_error.c: the error funnel of host/base/error.c (include/hop/status.h): the
 * handler a caller installs receives the status and the formatted message, long ones
 * cut to the 1023 characters the funnel keeps; hop_error returns the status it was
 * given, counts what it reports, and while silenced neither reports nor counts;
 * hop_strerror names every status.  Each Criterion test runs in its own process, so
 * the funnel's state starts fresh (no handler, count 0, not silenced) in each. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "hop/status.h"

static int calls;
static hop_status last_status;
static char last_message[2048];

static void record(hop_status s, const char *message)
{
    ++calls;
    last_status = s;
    snprintf(last_message, sizeof last_message, "%s", message);
}

Test(error, handler_receives_status_and_formatted_message)
{
    cr_assert_null(hop_set_error_handler(record), "no handler before one is installed");
    cr_assert_eq(hop_error(HOP_ERR_IO, "cannot write %s (%d of %u bytes)", "o.json", 3, 7u),
                 HOP_ERR_IO, "hop_error returns the status it reports");
    cr_assert_eq(calls, 1);
    cr_assert_eq(last_status, HOP_ERR_IO);
    cr_assert_str_eq(last_message, "cannot write o.json (3 of 7 bytes)");
    cr_assert_eq(hop_set_error_handler(NULL), record, "the previous handler comes back");
    cr_assert_eq(hop_error(HOP_ERR_INVAL, "no handler now"), HOP_ERR_INVAL);
    cr_assert_eq(calls, 1, "a removed handler is not called");
}

Test(error, long_messages_are_cut_not_overrun)
{
    char word[3000];
    memset(word, 'x', sizeof word - 1);
    word[sizeof word - 1] = '\0';
    hop_set_error_handler(record);
    hop_error(HOP_ERR_INVAL, "%s", word);
    cr_assert_eq(strlen(last_message), 1023, "the funnel keeps 1023 characters, got %zu",
                 strlen(last_message));
    cr_assert_eq(strspn(last_message, "x"), 1023);
}

Test(error, counts_what_it_reports)
{
    cr_assert_eq(hop_error_count(), 0);
    hop_error(HOP_ERR_INVAL, "one");                /* counted without a handler too */
    hop_set_error_handler(record);
    hop_error(HOP_ERR_NOMEM, "two");
    hop_error(HOP_ERR_NUMERIC, "three");
    cr_assert_eq(hop_error_count(), 3);
    cr_assert_eq(calls, 2);
}

Test(error, silence_reports_and_counts_nothing)
{
    hop_set_error_handler(record);
    cr_assert_eq(hop_error_silence(1), 0, "not silenced at first");
    cr_assert_eq(hop_error(HOP_ERR_NUMERIC, "trial failed"), HOP_ERR_NUMERIC,
                 "silenced, hop_error still returns its status");
    cr_assert_eq(calls, 0);
    cr_assert_eq(hop_error_count(), 0);
    cr_assert_eq(hop_error_silence(1), 1, "silence answers the state it replaces");
    cr_assert_eq(hop_error_silence(0), 1);
    hop_error(HOP_ERR_IO, "heard again");
    cr_assert_eq(calls, 1);
    cr_assert_eq(hop_error_count(), 1);
    cr_assert_str_eq(last_message, "heard again");
}

Test(error, every_status_has_its_own_name)
{
    const hop_status all[] = { HOP_OK, HOP_ERR_INVAL, HOP_ERR_NOMEM, HOP_ERR_IO,
                               HOP_ERR_CUDA, HOP_ERR_NODEV, HOP_ERR_NUMERIC,
                               HOP_ERR_INTERRUPTED };
    const int n = (int)(sizeof all / sizeof all[0]);
    for (int i = 0; i < n; ++i) {
        cr_assert_str_neq(hop_strerror(all[i]), "unknown error", "status %d", (int)all[i]);
        for (int j = 0; j < i; ++j)
            cr_assert_str_neq(hop_strerror(all[i]), hop_strerror(all[j]));
    }
    cr_assert_str_eq(hop_strerror(HOP_OK), "success");
    cr_assert_str_eq(hop_strerror((hop_status)1000), "unknown error");
}

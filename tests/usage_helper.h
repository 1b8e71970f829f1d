/* usage_helper.h: the check of a refused command line (proc_helper.h, dir_helper.h).
 * hop_expect_usage_error runs `hop run --json DIR/out.json --quiet extra...` in a fresh
 * directory and expects a usage error: exit 2, one "hop: " line (not "hop: error:")
 * naming `needle`, then the "try 'hop ..." hint, nothing on stdout, no file written. */
#ifndef HOP_TEST_USAGE_HELPER_H
#define HOP_TEST_USAGE_HELPER_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "dir_helper.h"
#include "proc_helper.h"

static inline void hop_expect_usage_error(const char *needle, const char *const *extra)
{
    char dir[64], json[128];
    const char *args[HOP_PROC_MAX_ARGS + 1];
    int n = 0;
    hop_proc *r;
    const char *nl;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/out.json", dir);
    args[n++] = "run";
    args[n++] = "--json";
    args[n++] = json;
    args[n++] = "--quiet";
    for (int i = 0; extra[i] && n < HOP_PROC_MAX_ARGS; ++i)
        args[n++] = extra[i];
    args[n] = NULL;
    r = hop_run_args(args);
    cr_expect_eq(r->status, 2, "%s: exit %d, stderr:\n%s", needle, r->status, r->err);
    cr_expect(strncmp(r->err, "hop: ", 5) == 0 && strncmp(r->err, "hop: error:", 11) != 0,
              "%s: stderr:\n%s", needle, r->err);
    nl = strchr(r->err, '\n');
    cr_expect(nl && strncmp(nl + 1, "try 'hop", 8) == 0, "%s: stderr:\n%s", needle, r->err);
    cr_expect(nl && strstr(r->err, needle) && strstr(r->err, needle) < nl,
              "'%s' not in the first line:\n%s", needle, r->err);
    cr_expect_str_eq(r->out, "", "%s: nothing on stdout", needle);
    cr_expect_eq(count_entries(dir), 0, "%s: no file written", needle);
    remove_dir(dir);
}

#endif

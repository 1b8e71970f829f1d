/* cli_helper.h: what the tests of the hop binary share (test_cli.c, test_options.c,
 * test_json.c, test_csv.c, test_report.c, test_bench.c, test_device.c, ...): the shape
 * of a usage error, a bad `hop run` line that must write nothing, and JSON look-ups by
 * dotted path. */
#ifndef HOP_TEST_CLI_HELPER_H
#define HOP_TEST_CLI_HELPER_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "dir_helper.h"
#include "proc_helper.h"

static inline void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

/* The shape of a usage error: status 2, stderr exactly "hop: <problem>\ntry 'hop...\n",
 * and (when given) the problem line contains `needle`. */
static inline void assert_usage_error(const hop_proc *p, const char *needle, const char *what)
{
    const char *nl;
    cr_assert_eq(p->status, 2, "%s: exit status %d, stderr:\n%s", what, p->status, p->err);
    cr_assert(strncmp(p->err, "hop: ", 5) == 0, "%s: stderr:\n%s", what, p->err);
    cr_assert(strncmp(p->err, "hop: error:", 11) != 0, "%s: a usage error, not a runtime one", what);
    nl = strchr(p->err, '\n');
    cr_assert_not_null(nl, "%s: one full line", what);
    cr_assert(strncmp(nl + 1, "try 'hop", 8) == 0, "%s: second line:\n%s", what, p->err);
    nl = strchr(nl + 1, '\n');
    cr_assert(nl && nl[1] == '\0', "%s: exactly two lines on stderr:\n%s", what, p->err);
    if (needle) {
        size_t first = (size_t)(strchr(p->err, '\n') - p->err);
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)first, p->err);
        cr_assert(strstr(line, needle) != NULL, "%s: '%s' not in '%s'", what, needle, line);
    }
    cr_assert_str_eq(p->out, "", "%s: nothing on stdout", what);
}


/* One bad command line: run with --json into an empty directory placed before the bad
 * arguments, expect a usage error mentioning `needle` and an empty directory after. */
#define BAD_RUN(needle, ...)                                                      \
    do {                                                                          \
        char dir_[64], json_[128];                                                \
        make_dir(dir_, sizeof dir_);                                              \
        snprintf(json_, sizeof json_, "%s/out.json", dir_);                       \
        assert_usage_error(hop_run_list("run", "--json", json_, __VA_ARGS__, NULL),     \
                           needle, #__VA_ARGS__);                                 \
        cr_assert_eq(count_entries(dir_), 0, "%s: created a file", #__VA_ARGS__);  \
        remove_dir(dir_);                                                         \
    } while (0)

static inline cJSON *item(const cJSON *o, const char *path)
{
    char buf[128], *key, *save = NULL;
    const cJSON *cur = o;
    snprintf(buf, sizeof buf, "%s", path);
    for (key = strtok_r(buf, ".", &save); key && cur; key = strtok_r(NULL, ".", &save))
        cur = cJSON_GetObjectItemCaseSensitive(cur, key);
    return (cJSON *)cur;
}

static inline double number(const cJSON *o, const char *path)
{
    const cJSON *x = item(o, path);
    cr_assert(x && cJSON_IsNumber(x), "%s is not a number", path);
    return x->valuedouble;
}

#endif

/* dir_helper.h: scratch directories for tests that check which files a command creates.
 * make_dir gives a fresh empty directory under /tmp, count_entries says how many files
 * are in it (0 when nothing was created), remove_dir deletes it with its contents. */
#ifndef HOP_TEST_DIR_HELPER_H
#define HOP_TEST_DIR_HELPER_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

static inline void make_dir(char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/hop-test-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static inline void remove_dir(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static inline int count_entries(const char *dir)
{
    char cmd[256];
    int n = -1;
    FILE *f;
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    f = popen(cmd, "r");
    cr_assert_not_null(f);
    cr_assert_eq(fscanf(f, "%d", &n), 1);
    pclose(f);
    return n;
}

#endif

/* test_atomic_file.c: Criterion tests for host/base/atomic_file.c: an output path is
 * checked before any work without creating anything, a file is written to a temporary
 * beside its target and renamed only on commit (an aborted write leaves the old file),
 * the result has the usual permissions, and a failure is reported through the error
 * handler, never printed by the library. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/atomic_file.h"
#include "dir_helper.h"
#include <cjson/cJSON.h>
#include "hop_git.h"
#include "backend/cuda.h"
#include "proc_helper.h"
#include "json_helper.h"
#include "cli_helper.h"

/* The contents of path (at most n - 1 bytes) into buf. */
static void read_file(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    size_t got;
    cr_assert_not_null(f, "cannot read %s", path);
    got = fread(buf, 1, n - 1, f);
    buf[got] = '\0';
    fclose(f);
}

Test(atomic_file, output_check_accepts_and_rejects_without_creating)
{
    char dir[64], path[128], msg[256];
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/out.json", dir);
    cr_assert_eq(hop_output_check(path, msg, sizeof msg), HOP_OK, "%s", msg);
    cr_assert_eq(count_entries(dir), 0, "the check created something");
    cr_assert_eq(hop_output_check("/nonexistent/dir/x.json", msg, sizeof msg), HOP_ERR_INVAL);
    cr_assert(strstr(msg, "/nonexistent/dir/x.json") != NULL, "message names the path: %s", msg);
    cr_assert_eq(hop_output_check(dir, msg, sizeof msg), HOP_ERR_INVAL, "a directory");
    snprintf(path, sizeof path, "%s/", dir);
    cr_assert_eq(hop_output_check(path, msg, sizeof msg), HOP_ERR_INVAL, "trailing slash");
    cr_assert_eq(hop_output_check("", msg, sizeof msg), HOP_ERR_INVAL, "empty path");
    snprintf(path, sizeof path, "%s/file", dir);
    write_file(path, "x");
    snprintf(path, sizeof path, "%s/file/y.json", dir);
    cr_assert_eq(hop_output_check(path, msg, sizeof msg), HOP_ERR_INVAL, "parent is a file");
    cr_assert_eq(hop_output_check("relative-name.json", msg, sizeof msg), HOP_OK,
                 "a bare name lives in the current directory: %s", msg);
    remove_dir(dir);
}

Test(atomic_file, commit_replaces_abort_keeps)
{
    char dir[64], path[128], buf[256];
    hop_atomic_file af;
    struct stat st;
    umask(022);
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/out.txt", dir);

    /* Abort with no prior target: nothing is left behind. */
    cr_assert_eq(hop_atomic_open(path, &af), HOP_OK);
    fputs("partial", af.fp);
    hop_atomic_abort(&af);
    cr_assert_eq(count_entries(dir), 0);
    hop_atomic_abort(&af);          /* a second abort is harmless */

    /* Abort with a prior target: its content survives. */
    write_file(path, "keep");
    cr_assert_eq(hop_atomic_open(path, &af), HOP_OK);
    fputs("new content", af.fp);
    hop_atomic_abort(&af);
    read_file(path, buf, sizeof buf);
    cr_assert_str_eq(buf, "keep");
    cr_assert_eq(count_entries(dir), 1);

    /* Commit: the target is replaced whole, no temporary remains, usual permissions. */
    cr_assert_eq(hop_atomic_open(path, &af), HOP_OK);
    fputs("new content", af.fp);
    cr_assert_eq(hop_atomic_commit(&af), HOP_OK);
    read_file(path, buf, sizeof buf);
    cr_assert_str_eq(buf, "new content");
    cr_assert_eq(count_entries(dir), 1);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0644, "mode %o: the temporary's 0600 was kept",
                 (unsigned)(st.st_mode & 0777));

    cr_assert_eq(hop_atomic_write_text(path, "text\n"), HOP_OK);
    read_file(path, buf, sizeof buf);
    cr_assert_str_eq(buf, "text\n");
    remove_dir(dir);
}

/* The library reports through the installed handler (it never prints itself). */
static char reported_message[1024];
static void capture_error(hop_status s, const char *message)
{
    (void)s;
    snprintf(reported_message, sizeof reported_message, "%s", message);
}

Test(atomic_file, open_fails_cleanly_without_directory)
{
    hop_atomic_file af;
    hop_error_handler *was = hop_set_error_handler(capture_error);
    const unsigned long before = hop_error_count();
    reported_message[0] = '\0';
    cr_assert_eq(hop_atomic_open("/nonexistent/dir/x.json", &af), HOP_ERR_IO);
    cr_assert_null(af.fp);
    cr_assert_eq(hop_atomic_write_text("/nonexistent/dir/x.json", "x"), HOP_ERR_IO);
    hop_set_error_handler(was);
    cr_assert_gt(hop_error_count(), before, "the failure was reported");
    cr_assert(strstr(reported_message, "/nonexistent/dir/x.json"),
              "the message names the file: '%s'", reported_message);
}

Test(cli_usage, unwritable_outputs)
{
    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    assert_usage_error(hop_run_list("run", "--json", "/nonexistent/dir/x.json", NULL),
                       "/nonexistent/dir/x.json", "missing directory");
    assert_usage_error(hop_run_list("run", "--json", dir, NULL), dir, "path is a directory");
    assert_usage_error(hop_run_list("run", "--estimator", "msd", "--msd-csv",
                               "/nonexistent/dir/x.csv", NULL), "/nonexistent/dir/x.csv",
                       "csv in a missing directory");
    snprintf(path, sizeof path, "%s/sub/", dir);
    cr_assert_eq(mkdir(path, 0755), 0);
    assert_usage_error(hop_run_list("run", "--json", path, NULL), "sub", "trailing slash");
    cr_assert_eq(count_entries(dir), 1, "only the subdirectory");
    if (geteuid() != 0) {   /* permissions only bind non-root users */
        snprintf(path, sizeof path, "%s/sub", dir);
        cr_assert_eq(chmod(path, 0555), 0);
        snprintf(path, sizeof path, "%s/sub/x.json", dir);
        assert_usage_error(hop_run_list("run", "--json", path, NULL), "not writable",
                           "read-only directory");
    }
    remove_dir(dir);
}

Test(cli_usage, failed_run_keeps_existing_file)
{
    char dir[64], json[128];
    char *content;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/out.json", dir);
    write_file(json, "keep");
    assert_usage_error(hop_run_list("run", "--json", json, "--bogus", NULL), "--bogus", "bad option");
    assert_usage_error(hop_run_list("run", "--json", json, "--replicas", "0", NULL), "--replicas",
                       "bad value");
    assert_usage_error(hop_run_list("run", "--json", json, "--estimator", "msd", "--lattice", "sc",
                               "--size", "1", NULL), "--size", "resolve failure");
    content = read_whole_file(json);
    cr_assert_str_eq(content, "keep", "the existing file was changed");
    free(content);
    cr_assert_eq(count_entries(dir), 1, "no temporary left behind");
    remove_dir(dir);
}

/* A target that is not a regular file is written directly, never renamed over: a FIFO
 * here (a device such as /dev/null is the case met in use: `--json /dev/null` run as
 * root replaced /dev/null by a regular file).  The test holds the FIFO's read end open
 * (non-blocking), so the write does not wait for a reader; the contents fit the pipe. */
Test(atomic_file, a_fifo_is_written_not_replaced)
{
    char dir[64], path[128], buf[64] = {0}, msg[256];
    hop_atomic_file af;
    struct stat st;
    int rd;
    ssize_t got;
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/pipe", dir);
    cr_assert_eq(mkfifo(path, 0600), 0);
    cr_assert_eq(hop_output_check(path, msg, sizeof msg), HOP_OK, "%s", msg);
    cr_assert_not(hop_output_same(path, path), "two outputs to one FIFO overwrite nothing");
    rd = open(path, O_RDONLY | O_NONBLOCK);
    cr_assert_geq(rd, 0);
    cr_assert_eq(hop_atomic_open(path, &af), HOP_OK);
    cr_assert_null(af.tmp_path, "no temporary for a FIFO");
    fputs("through the pipe", af.fp);
    cr_assert_eq(hop_atomic_commit(&af), HOP_OK);
    got = read(rd, buf, sizeof buf - 1);
    close(rd);
    cr_assert_eq(got, (ssize_t)strlen("through the pipe"));
    cr_assert_str_eq(buf, "through the pipe");
    cr_assert_eq(lstat(path, &st), 0);
    cr_assert(S_ISFIFO(st.st_mode), "the FIFO was replaced (mode %o)", (unsigned)st.st_mode);
    cr_assert_eq(count_entries(dir), 1, "nothing beside it");
    remove_dir(dir);
}

/* A symbolic link to a regular file is followed: the file it names is replaced (through
 * a temporary beside that file), the link stays a link; a link and its file are "the
 * same" output. */
Test(atomic_file, a_link_is_followed_not_replaced)
{
    char dir[64], sub[128], real[160], link[128], buf[64];
    struct stat st;
    make_dir(dir, sizeof dir);
    snprintf(sub, sizeof sub, "%s/data", dir);
    cr_assert_eq(mkdir(sub, 0755), 0);
    snprintf(real, sizeof real, "%s/result.json", sub);
    snprintf(link, sizeof link, "%s/latest.json", dir);
    write_file(real, "old");
    cr_assert_eq(symlink("data/result.json", link), 0);
    cr_assert(hop_output_same(link, real), "a link and its file name one output");
    cr_assert_eq(hop_atomic_write_text(link, "new"), HOP_OK);
    cr_assert_eq(lstat(link, &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "the link was replaced by a file");
    read_file(real, buf, sizeof buf);
    cr_assert_str_eq(buf, "new");
    cr_assert_eq(count_entries(dir), 2, "the link and the folder only");
    cr_assert_eq(count_entries(sub), 1, "the file only: no temporary left");
    remove_dir(dir);
}

/* `--json /dev/stdout` with standard output redirected to a file writes the JSON after
 * the report in that file, as the shell's redirection means; a rename over the link's
 * file would have replaced the report with the JSON (the report went to the unlinked
 * file). */
Test(cli_usage, json_to_a_redirected_stdout_follows_the_report)
{
    char dir[64], out[128], cmd[512];
    char *content;
    make_dir(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/out.txt", dir);
    snprintf(cmd, sizeof cmd, "'%s' run --backend cpu --lattice sc --replicas 2000 --json "
             "/dev/stdout > '%s' 2>/dev/null", HOP_BINARY, out);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    content = read_whole_file(out);
    cr_assert_not_null(strstr(content, "f = "), "the report is kept:\n%s", content);
    cr_assert_not_null(strstr(content, "\"results\""), "the JSON follows it:\n%s", content);
    cr_assert_lt(strstr(content, "f = ") - content, strstr(content, "\"results\"") - content);
    cr_assert_eq(count_entries(dir), 1, "no temporary left");
    free(content);
    remove_dir(dir);
}

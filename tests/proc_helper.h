/* proc_helper.h: running the built hop binary (HOP_BINARY) the way a user does, for the
 * command-line tests.  hop_run_args runs `hop args...` (a NULL-terminated list) and
 * captures its exit status, stdout and stderr; hop_run_list does the same from a
 * variadic list; read_whole_file returns a file's contents as a new string. */
#ifndef HOP_TEST_PROC_HELPER_H
#define HOP_TEST_PROC_HELPER_H

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define HOP_PROC_MAX_ARGS 48
#define HOP_PROC_CAP (1 << 16)

typedef struct {
    int status;                  /* exit status, or -1 if the process did not exit normally */
    char out[HOP_PROC_CAP];      /* stdout */
    char err[HOP_PROC_CAP];      /* stderr */
} hop_proc;

static inline void hop_proc_slurp_fd(int fd, char *buf, size_t n)
{
    ssize_t got;
    size_t used = 0;
    lseek(fd, 0, SEEK_SET);
    while (used + 1 < n && (got = read(fd, buf + used, n - 1 - used)) > 0)
        used += (size_t)got;
    buf[used] = '\0';
    close(fd);
}

/* `hop args...`; the result is static, valid until the next call. */
static inline hop_proc *hop_run_args(const char *const *args)
{
    static hop_proc p;
    char *argv[HOP_PROC_MAX_ARGS + 2];
    char out_name[] = "/tmp/hop-test-out-XXXXXX", err_name[] = "/tmp/hop-test-err-XXXXXX";
    int argc = 0, fd_out = mkstemp(out_name), fd_err = mkstemp(err_name), ws;
    pid_t pid;
    cr_assert(fd_out >= 0 && fd_err >= 0);
    unlink(out_name);
    unlink(err_name);
    argv[argc++] = (char *)"hop";
    for (int i = 0; args[i]; ++i) {
        cr_assert(argc <= HOP_PROC_MAX_ARGS, "more than %d arguments", HOP_PROC_MAX_ARGS);
        argv[argc++] = (char *)args[i];
    }
    argv[argc] = NULL;
    fflush(NULL);
    pid = fork();
    cr_assert(pid >= 0, "fork failed");
    if (pid == 0) {
        dup2(fd_out, 1);
        dup2(fd_err, 2);
        execv(HOP_BINARY, argv);
        _exit(127);
    }
    cr_assert_eq(waitpid(pid, &ws, 0), pid);
    p.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
    hop_proc_slurp_fd(fd_out, p.out, sizeof p.out);
    hop_proc_slurp_fd(fd_err, p.err, sizeof p.err);
    return &p;
}

/* `hop first ...` from a NULL-terminated argument list. */
static inline hop_proc *hop_run_list(const char *first, ...)
{
    const char *args[HOP_PROC_MAX_ARGS + 1];
    int n = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && n < HOP_PROC_MAX_ARGS; a = va_arg(ap, const char *))
        args[n++] = a;
    va_end(ap);
    args[n] = NULL;
    return hop_run_args(args);
}

/* The whole file at path as a new string (the caller frees it). */
static inline char *read_whole_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long len;
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)len + 1);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
    buf[len] = '\0';
    fclose(f);
    return buf;
}

#endif

/* atomic_file.c: write-to-temporary-then-rename output (see atomic_file.h).  POSIX:
 * mkstemp, fsync, rename.  rename within one directory is atomic, which is why the
 * temporary lives beside the target rather than in /tmp.  A link to a regular file is
 * followed and a target that is not a regular file is written directly: a rename would
 * replace the link, or the device (`--json /dev/null` run as root replaced /dev/null by
 * a regular file). */
#define _XOPEN_SOURCE 700   /* realpath */
#include <limits.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/atomic_file.h"

/* The directory part of path as a new string: "." when there is no '/', "/" for a
 * file in the root.  NULL when out of memory. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : 1;
    char *dir;
    if (slash && len == 0)
        len = 1;                      /* "/name" lives in "/" */
    if (!(dir = malloc(len + 1)))
        return NULL;
    if (slash)
        memcpy(dir, path, len);
    else
        dir[0] = '.';
    dir[len] = '\0';
    return dir;
}

static char *copy_string(const char *s)
{
    size_t len = strlen(s) + 1;
    char *c = malloc(len);
    if (c)
        memcpy(c, s, len);
    return c;
}

/* The standard stream (stdout or stderr) that path names (links followed: /dev/stdout,
 * /proc/self/fd/1, or the file it is redirected to), or NULL: writing such a path means
 * that stream, whose file may already hold this run's report. */
static FILE *standard_stream(const char *path)
{
    struct stat st, out;
    if (stat(path, &st) != 0)
        return NULL;
    if (fstat(STDOUT_FILENO, &out) == 0 && out.st_dev == st.st_dev && out.st_ino == st.st_ino)
        return stdout;
    if (fstat(STDERR_FILENO, &out) == 0 && out.st_dev == st.st_dev && out.st_ino == st.st_ino)
        return stderr;
    return NULL;
}

/* Whether path exists (links followed) and is neither a regular file nor a directory
 * (a device, a FIFO or a socket), or is a standard stream: written directly. */
static int is_special(const char *path)
{
    struct stat st;
    return standard_stream(path)
           || (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode));
}

/* The file that writing path replaces, as a new string (NULL when out of memory): the
 * file a symbolic link to a regular file names, else path itself. */
static char *target_of(const char *path)
{
    struct stat st;
    char *real;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && stat(path, &st) == 0
        && S_ISREG(st.st_mode) && (real = realpath(path, NULL)) != NULL)
        return real;
    return copy_string(path);
}

hop_status hop_output_check(const char *path, char *msg, size_t n)
{
    struct stat st;
    char *dir, *target;
    hop_status s = HOP_OK;
    if (!path || !path[0]) {
        snprintf(msg, n, "output path is empty");
        return HOP_ERR_INVAL;
    }
    if (path[strlen(path) - 1] == '/') {
        snprintf(msg, n, "cannot write '%s': it names a directory", path);
        return HOP_ERR_INVAL;
    }
    if (is_special(path)) {
        if (access(path, W_OK) == 0)
            return HOP_OK;
        snprintf(msg, n, "cannot write '%s': %s", path, strerror(errno));
        return HOP_ERR_INVAL;
    }
    if (!(target = target_of(path)) || !(dir = dir_of(target))) {
        free(target);
        snprintf(msg, n, "out of memory");
        return HOP_ERR_NOMEM;
    }
    if (stat(dir, &st) != 0) {
        snprintf(msg, n, "cannot write '%s': directory '%s': %s", path, dir, strerror(errno));
        s = HOP_ERR_INVAL;
    } else if (!S_ISDIR(st.st_mode)) {
        snprintf(msg, n, "cannot write '%s': '%s' is not a directory", path, dir);
        s = HOP_ERR_INVAL;
    } else if (access(dir, W_OK | X_OK) != 0) {
        snprintf(msg, n, "cannot write '%s': directory '%s' is not writable", path, dir);
        s = HOP_ERR_INVAL;
    } else if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            snprintf(msg, n, "cannot write '%s': it is a directory", path);
            s = HOP_ERR_INVAL;
        } else if (access(path, W_OK) != 0) {
            snprintf(msg, n, "cannot write '%s': %s", path, strerror(errno));
            s = HOP_ERR_INVAL;
        }
    }
    free(dir);
    free(target);
    return s;
}

/* Opens the existing non-regular target path itself for writing (af->tmp_path NULL); a
 * standard stream is written through its own FILE, after what it holds, and not closed. */
static hop_status open_direct(const char *path, hop_atomic_file *af)
{
    if (!(af->path = copy_string(path)))
        return hop_error(HOP_ERR_NOMEM, "out of memory opening '%s'", path);
    if ((af->fp = standard_stream(path)) != NULL)
        return HOP_OK;
    if (!(af->fp = fopen(path, "w"))) {
        int e = errno;
        hop_atomic_abort(af);
        return hop_error(HOP_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    }
    return HOP_OK;
}

hop_status hop_atomic_open(const char *path, hop_atomic_file *af)
{
    static const char suffix[] = ".hop-tmp-XXXXXX";
    size_t len;
    mode_t mask;
    int fd;
    memset(af, 0, sizeof *af);
    if (is_special(path))
        return open_direct(path, af);
    af->path = target_of(path);
    len = af->path ? strlen(af->path) : 0;
    af->tmp_path = malloc(len + sizeof suffix);
    if (!af->path || !af->tmp_path) {
        free(af->path);              /* no temporary exists yet: nothing to unlink */
        free(af->tmp_path);
        af->path = af->tmp_path = NULL;
        return hop_error(HOP_ERR_NOMEM, "out of memory opening '%s'", path);
    }
    memcpy(af->tmp_path, af->path, len);
    memcpy(af->tmp_path + len, suffix, sizeof suffix);
    if ((fd = mkstemp(af->tmp_path)) < 0) {
        int e = errno;
        free(af->tmp_path);          /* nothing was created: do not unlink */
        af->tmp_path = NULL;
        hop_atomic_abort(af);
        return hop_error(HOP_ERR_IO, "cannot create a temporary file beside '%s': %s",
                         path, strerror(e));
    }
    /* mkstemp makes the file 0600; give the result the permissions open() would. */
    mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(af->fp = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        hop_atomic_abort(af);
        return hop_error(HOP_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    }
    return HOP_OK;
}

hop_status hop_atomic_commit(hop_atomic_file *af)
{
    int failed = 0, e = 0;
    FILE *fp = af->fp;
    if (!fp || !af->path) {
        hop_atomic_abort(af);
        return hop_error(HOP_ERR_IO, "internal: commit of a file that is not open");
    }
    af->fp = NULL;
    /* a direct write (a device, a pipe) is not synced: fsync refuses them (EINVAL) */
    if (ferror(fp) || fflush(fp) != 0 || (af->tmp_path && fsync(fileno(fp)) != 0)) {
        failed = 1;
        e = errno;
    }
    if (fp != stdout && fp != stderr && fclose(fp) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    if (!failed && af->tmp_path && rename(af->tmp_path, af->path) != 0) {
        failed = 1;
        e = errno;
    }
    if (failed) {
        hop_error(HOP_ERR_IO, "cannot write '%s': %s", af->path,
                  e ? strerror(e) : "write error");
        hop_atomic_abort(af);        /* removes the temporary */
        return HOP_ERR_IO;
    }
    free(af->tmp_path);
    free(af->path);
    af->tmp_path = af->path = NULL;
    return HOP_OK;
}

void hop_atomic_abort(hop_atomic_file *af)
{
    if (af->fp && af->fp != stdout && af->fp != stderr)
        fclose(af->fp);
    if (af->tmp_path)
        unlink(af->tmp_path);
    free(af->tmp_path);
    free(af->path);
    af->fp = NULL;
    af->tmp_path = af->path = NULL;
}

hop_status hop_atomic_write_text(const char *path, const char *text)
{
    hop_atomic_file af;
    hop_status s = hop_atomic_open(path, &af);
    if (s != HOP_OK)
        return s;
    if (fputs(text, af.fp) == EOF) {
        int e = errno;
        hop_atomic_abort(&af);
        return hop_error(HOP_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    }
    return hop_atomic_commit(&af);
}

/* "<resolved directory>/<basename>" of path into buf, or path itself if the directory
 * does not resolve. */
static void canonical_output(const char *path, char *buf, size_t n)
{
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX], *real;
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    real = realpath(dir, NULL);
    if (real)
        snprintf(buf, n, "%s/%s", real, slash ? slash + 1 : path);
    else
        snprintf(buf, n, "%s", path);
    free(real);
}

int hop_output_same(const char *a, const char *b)
{
    char ca[2 * PATH_MAX], cb[2 * PATH_MAX];
    char *ta, *tb;
    if (is_special(a) || is_special(b))
        return 0;
    ta = target_of(a);
    tb = target_of(b);
    canonical_output(ta ? ta : a, ca, sizeof ca);
    canonical_output(tb ? tb : b, cb, sizeof cb);
    free(ta);
    free(tb);
    return strcmp(ca, cb) == 0;
}

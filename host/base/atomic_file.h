/* atomic_file.h: output files that appear complete or not at all.
 *
 * A result file is written to a temporary file (mkstemp) in the target's directory
 * and renamed over the target only once it has been flushed and synced, so a failed
 * or interrupted run never leaves a created, truncated or half-written target.
 * hop_output_check lets the command line reject an unusable path before any
 * computation starts.
 *
 * Two kinds of target are not replaced by a rename: a symbolic link to a regular file is
 * followed (the file it names is replaced, the link kept), and a target that exists and
 * is not a regular file (/dev/null, a terminal, a FIFO) is written directly, since
 * renaming over it would replace the device or pipe by a file; a path that names this
 * process's standard output or error (/dev/stdout, also when redirected to a file) is
 * written through that stream, after what it already holds.  Direct writes cannot be
 * undone: an aborted one may have passed part of the contents on. */
#ifndef HOP_ATOMIC_FILE_H
#define HOP_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>
#include "hop/status.h"

typedef struct {
    FILE *fp;           /* write the contents here */
    char *path;         /* the target (owned copy; a followed link's file) */
    char *tmp_path;     /* the temporary beside it (owned); NULL when written directly */
} hop_atomic_file;

/* Early check that `path` can later be written: it is non-empty, does not end in '/',
 * its directory exists, is a directory and is writable, and the path itself is not a
 * directory (nor an existing unwritable file); an existing target that is not a regular
 * file need only be writable itself, a link to a regular file needs the directory of
 * the file it names.  Creates and changes nothing.  Returns
 * HOP_OK, or HOP_ERR_INVAL with a one-line message (naming the path) in msg. */
hop_status hop_output_check(const char *path, char *msg, size_t n);

/* Whether two output paths name the same file, after resolving the directories (so
 * "x.json" and "/cwd/x.json" or "d/../x.json" match).  Paths whose directory cannot be
 * resolved compare as written.  An existing target that is not a regular file (two
 * outputs to /dev/null) is never "the same": writing it twice overwrites nothing. */
int hop_output_same(const char *a, const char *b);

/* Opens a temporary file beside `path` (or the file a link names; or the target itself
 * when it is not a regular file) for writing into af->fp.  On failure reports the
 * error through hop_error, leaves *af empty and returns HOP_ERR_IO or HOP_ERR_NOMEM.
 * On success the caller must end with exactly one of commit or abort. */
hop_status hop_atomic_open(const char *path, hop_atomic_file *af);

/* Flushes, syncs and closes the temporary and renames it over the target (which gets
 * the usual 0666 & ~umask permissions); a direct write is flushed and closed.  On any failure the temporary is removed, the
 * target is left as it was, the error is reported through hop_error and HOP_ERR_IO is
 * returned.  Frees af's strings either way. */
hop_status hop_atomic_commit(hop_atomic_file *af);

/* Closes and removes the temporary; the target is untouched.  Safe on an empty af. */
void hop_atomic_abort(hop_atomic_file *af);

/* Writes the NUL-terminated `text` to `path` atomically (open, write, commit). */
hop_status hop_atomic_write_text(const char *path, const char *text);

#endif

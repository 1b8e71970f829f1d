/* checkpoint.h: the state of a run in rounds, saved so that an interrupted run can
 * continue and end with the bits an uninterrupted one would have.
 *
 * What a run is at any sub-batch boundary (host/run/run.c): the resolved parameters, the
 * replicas done (replica r always draws from Philox stream (seed, r), so "done" is the
 * next replica index) and the integer statistics accumulated so far.  A checkpoint
 * holds exactly that, in one file:
 *
 *   hop-checkpoint 1                   format version
 *   hop 0.2.0                          the program version that wrote it
 *   byte-order 0807060504030201        how the payload's integers are laid out
 *   params                             the parameters that decide the result, one
 *   ...                                  "key value" line each (hop_checkpoint_describe),
 *   end-params                           the lattice included in its file format
 *   state ...                          phase, replicas done, batches, seconds
 *   payload N                          N bytes follow: the integer statistics
 *   <N bytes>
 *   crc32 XXXXXXXX                     zlib crc32 of every byte before this line
 *
 * It is written to a temporary beside the target, synced and renamed over it
 * (host/base/atomic_file.c), so a kill at any moment leaves the previous checkpoint whole.
 * Reading refuses, with one line naming the file and the problem: a file that is not
 * a checkpoint, another format or program version, a truncated or corrupted file (the
 * crc32), a checkpoint of other parameters (naming the first that differs), and a
 * state no run of the parameters reaches (more replicas done than they ask for).
 * Parameters that do not change the result (backend, threads, batch, time limit)
 * may differ between the run that wrote a checkpoint and the one that resumes it. */
#ifndef HOP_CHECKPOINT_H
#define HOP_CHECKPOINT_H

#include "hop/hop.h"
#include "run/state.h"

/* The parameters of p (resolved) that decide a run's result, as "key value" lines in
 * a fixed order with doubles written exactly (%a), the lattice table included.
 * Returns a new string the caller frees, or NULL when out of memory. */
char *hop_checkpoint_describe(const hop_params *p);

/* Saves st for the run of p at path, atomically.  Returns HOP_OK, or HOP_ERR_IO /
 * HOP_ERR_NOMEM after reporting the problem through hop_error (the previous
 * checkpoint, if any, is left as it was). */
hop_status hop_checkpoint_save(const char *path, const hop_params *p,
                               const hop_checkpoint_state *st);

/* The checkpoint hop_checkpoint_save writes, crc32 line included, in a new buffer
 * (*text, *len bytes, not NUL-terminated) that the caller frees.  Returns HOP_OK, or
 * HOP_ERR_NOMEM with *text NULL. */
hop_status hop_checkpoint_format(const hop_params *p, const hop_checkpoint_state *st,
                                 char **text, size_t *len);

/* Loads the checkpoint at path into st, whose counts / acc[] the caller has allocated
 * for p (zeroed).  Returns HOP_OK; HOP_ERR_INVAL with one line in msg when the file is
 * unreadable, not a checkpoint, of another version, truncated, corrupted, made with
 * other parameters or holds a state no run of p reaches; HOP_ERR_NOMEM.  On failure
 * st's statistics are unspecified. */
hop_status hop_checkpoint_load(const char *path, const hop_params *p,
                               hop_checkpoint_state *st, char *msg, size_t msg_len);

/* hop_checkpoint_load on the len bytes at buf (not changed; no NUL needed) as the
 * contents of a file called name (for messages).  Same returns, except that there is no
 * file to be unreadable. */
hop_status hop_checkpoint_parse(const unsigned char *buf, size_t len, const char *name,
                                const hop_params *p, hop_checkpoint_state *st, char *msg,
                                size_t msg_len);

/* hop_checkpoint_load into scratch statistics, for checking a --resume file before a
 * run starts.  Same returns. */
hop_status hop_checkpoint_check(const char *path, const hop_params *p, char *msg,
                                size_t msg_len);

#endif

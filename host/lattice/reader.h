/* reader.h: internals shared by the lattice-file reader (lattice/file.c), its
 * whole-file checks (lattice/check.c) and the writer (lattice/write.c); see
 * lattice/file.h for the format.  Not public API. */
#ifndef HOP_LATTICE_READER_H
#define HOP_LATTICE_READER_H

#include <stdio.h>
#include "lattice/impl.h"

#define LF_VERSION 2             /* the newest version read; version 1 is read unchanged */
#define LF_MAX_SHELL_LINES 16    /* `jumps shell` / `jumps nearest` lines */
#define LF_MAX_DECIMALS 9        /* digits after the point of a decimal weight or rate */
#define LF_LINE_MAX 1000         /* characters per line */
#define LF_MAX_FIELDS 16
#define LF_MAX_COORD 64          /* cell edges, site coordinates, |axis entries| */
#define LF_MAX_JUMP 5            /* |jump component|: 4e8 msd steps x 5 < 2^31 */
/* Weights, metric_den, metric entries, |jump|^2: at most 2^27 (version 2's decimals of 7
 * digits make denominators like lcm(36, 12, 10^7) = 9 10^7).  Why it holds: hop_lattice_finish
 * sums the metric in int (each term checked), jump_metric = M e stays below
 * 3 2^27 5 < 2^31, r2 and dot products are int64 of a bounded vacancy distance (corr),
 * and the msd rows hold sum_a w_a (C x)_a^2 in int64: with an unwrapped displacement of
 * ~ sqrt(N) jumps (~10^5 cells at the 4e8 steps of the longest msd grids) and a
 * conventional cell's C row of |entries| <= 1 (as the structure converter writes) an
 * entry is ~ 2^27 10^10 < 2^61, below int64's 2^63 (it was 2^58 at 2^24); rows with C
 * entries up to 3 and such long grids have less room: not checked at run time. */
#define LF_MAX_METRIC (1 << 27)
#define LF_MAX_SEARCH 64         /* `jumps nearest`: largest |component| searched */
#define BLANKS " \t\r\n\v\f"
#define LF_WORD "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"

extern const char *const hop_lf_axis_names[HOP_MAX_DIM];

/* What has been read so far, and where.  Line numbers are 0 for "not given". */
typedef struct {
    const char *path;
    char *msg;
    size_t msg_len;
    int line;                                  /* line being read (1-based) */
    const char *rest;                          /* the line after its keyword */
    hop_lattice L;                             /* table fields as read */
    int line_version, line_name, line_cell_name, line_dim, line_cell, line_isotropic;
    int line_nearest;                          /* `jumps nearest` or the first `jumps shell` */
    int version;                               /* 1 or 2 */
    int n_shell_lines;                         /* `jumps nearest|shell`: shell N of class c */
    int shell_n[LF_MAX_SHELL_LINES], shell_class[LF_MAX_SHELL_LINES];
    int shell_line[LF_MAX_SHELL_LINES];
    int line_class[HOP_MAX_CLASSES];           /* version 2: `class` lines */
    int line_energy[HOP_MAX_SUB];              /* version 2: `energy` lines */
    int line_classless;                        /* version 2: first jump(s) without a class */
    int line_axis[HOP_MAX_DIM];
    int line_group[HOP_MAX_GROUPS];
    int axis_group[HOP_MAX_DIM];               /* 1 + group of each axis; 0: none yet */
    int line_site[HOP_MAX_BASIS];
    int line_jump[HOP_MAX_SUB][HOP_MAX_Z];
    int n_jumps[HOP_MAX_SUB];
    char label[HOP_MAX_SUB][HOP_LABEL_LEN];    /* sublattice labels, in order of appearance */
    int64_t w_num[HOP_MAX_DIM], w_den[HOP_MAX_DIM];   /* weights as written, P/Q */
    int64_t rate_num[HOP_MAX_SUB][HOP_MAX_Z], rate_den[HOP_MAX_SUB][HOP_MAX_Z];  /* 0: none */
    int line_rate;                             /* first jump line with a rate */
    int64_t metric[HOP_MAX_DIM][HOP_MAX_DIM];  /* C^T diag(weight) C, checked in int64 */
} reader;

/* The one place load errors are written: "FILE:LINE: problem", or "FILE: problem"
 * when line is 0.  Returns HOP_ERR_INVAL. */
hop_status hop_lf_bad(reader *r, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Whether s has 1..max characters, each a letter, a digit, '_' or one of `extra`. */
int hop_lf_is_word(const char *s, size_t max, const char *extra);

/* "(v0 v1 v2)", the first dim components of v, into buf (at least 48 bytes). */
const char *hop_lf_vec(char *buf, const int *v, int dim);

#endif

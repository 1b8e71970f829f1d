/* file.h: user-defined lattices read from text files ("hop-lattice 1").
 *
 * A lattice file is hop_lattice (include/hop/lattice.h) written out line by line, in
 * integers and fractions only, so that loading it gives exactly the table a built-in
 * would have; hop_lattice_finish then derives the rest as for the built-ins.  Example
 * (ideal hcp, the built-in `hcp`; `hop lattices --write NAME` prints any built-in):
 *
 *   hop-lattice 1                 # the first line that is not blank or a comment
 *   name       hcp                # 1..15 of [A-Za-z0-9._+-]
 *   cell-name  hexagonal          # optional, the rest of the line (<= 15 characters)
 *   dim        3                  # 1..3; before every line that holds coordinates
 *   cell       3 3 2              # conventional cell edges (diagonal), 1..64 each
 *   axis x     2 -1 0  1/36       # Cartesian x = sqrt(1/36) (2 v0 - v1) lattice constants
 *   axis y     0  1 0  3/36       #   for an integer vector v; one axis line per dimension,
 *   axis z     0  0 1  24/36      #   named x, y, z in order; weight P/Q or P, P, Q > 0
 *   site       0 0 0  A           # a site of the cell (0 <= v_a < cell_a) and its
 *   site       1 2 1  B           #   sublattice label; 1..64 sites, 1..16 labels
 *   jump       A  3 0 0           # a jump vector of every site of sublattice A
 *   ...                           #   (11 more for A, then 12 for B)
 *   jump       A  0 0 1  rate 1/4 # optional relative rate of a jump (P/Q or P > 0):
 *                                 #   on every jump or none; a jump and its reverse
 *                                 #   (one bond) need the same rate
 *   group      x y                # optional principal components of f; default one
 *   group      z                  #   per axis; named after the first axis ('as NAME')
 *   isotropic  no                 # optional, yes or no (default no)
 *
 * `#` starts a comment; fields are separated by blanks.  `jumps nearest` replaces the
 * jump lines: every sublattice gets the shortest vectors from its first site to any
 * other site.  Mapping onto hop_lattice: metric_den is the least common multiple of the
 * weights' denominators as written and weight[a] = P_a metric_den / Q_a, so weights
 * written over one common denominator keep it; cart[a] is axis a's row; sublattices are
 * numbered in order of their first site line, jumps in file order; unused axes get
 * cell 1 and zeros, exactly as in host/lattice/tables.c.  The user's guide to the
 * format is tests/lattices/README.md.
 *
 * Checks, each reported as one message "FILE:LINE: problem" pointing at the offending
 * line ("FILE: problem" for the file as a whole): unreadable file, missing or unknown
 * version line, a NUL byte (not a text file), unknown keyword, wrong number of fields,
 * a key given twice, a non-integer or out-of-range number (jump components |v| <= 5,
 * so 4e8 msd steps stay inside int32), a weight that is not positive, linearly
 * dependent axes, a missing required key (name, dim, cell, an axis per dimension, a
 * site, jumps), more than HOP_MAX_BASIS sites, HOP_MAX_SUB sublattices or HOP_MAX_Z
 * jumps per sublattice, a site outside the cell or on another site, a jump naming an
 * unknown sublattice, a zero or repeated jump, a jump that does not land on a site
 * from every site of its sublattice (or lands on different sublattices), a jump whose
 * reverse is missing from the target sublattice's list, jumps of different lengths (at
 * the first that differs from the first jump), sublattices with different numbers of
 * jumps, a disconnected lattice (exactly: the jumps must reach every site of the
 * infinite lattice from site 0; the message names a site they miss and points at the
 * first jump line), metric entries or squared lengths beyond 2^27 (lattice/reader.h says why), `isotropic yes` on
 * jumps whose second moment is not isotropic, a group naming an unknown or already
 * grouped axis, a built-in's name on a different lattice, a different lattice already
 * loaded under the same name; then whatever hop_lattice_finish rejects. */
#ifndef HOP_LATTICE_FILE_H
#define HOP_LATTICE_FILE_H

#include <stdio.h>
#include "hop/hop.h"

/* Lattices one process can hold from files (distinct contents; reloading one is free). */
#define HOP_LATTICE_FILE_MAX 16

/* Reads the lattice file at path, checks it (see above), derives it with
 * hop_lattice_finish and sets *out to a copy held in storage owned by this module,
 * valid until the process ends.  Loading a lattice equal to one already loaded returns
 * the same pointer.  Returns HOP_OK; HOP_ERR_INVAL for an unreadable or invalid file;
 * HOP_ERR_NOMEM when HOP_LATTICE_FILE_MAX other lattices are already loaded.  On
 * failure *out is untouched and msg holds one line "FILE:LINE: problem" (or
 * "FILE: problem").  Not thread-safe: load lattices before starting runs. */
hop_status hop_lattice_load(const char *path, const hop_lattice **out, char *msg,
                            size_t msg_len);

/* The reading, checks and derivation of hop_lattice_load on a file already open as f,
 * with path naming it in messages, into *out (caller's storage); the lattice is not
 * kept, so the checks against lattices loaded before do not apply (a built-in's name
 * on a different lattice is still refused).  Returns HOP_OK, or HOP_ERR_INVAL with
 * *out untouched and msg as for hop_lattice_load.  f is read to the first error or
 * its end and left open.  Lets a lattice come from memory (fmemopen) or a pipe. */
hop_status hop_lattice_parse(FILE *f, const char *path, hop_lattice *out, char *msg,
                             size_t msg_len);

/* Writes the table fields of L (not the derived ones) to f in the format above, so
 * that hop_lattice_load gives back a lattice equal to L field by field.  L must be
 * representable: dimensions and counts within the HOP_MAX_* limits, sublattice 0 on
 * the first site and sublattice 1 (if any) on the first site not of sublattice 0,
 * nothing on unused axes.  Returns HOP_OK, HOP_ERR_INVAL when L is not representable
 * (nothing written), or HOP_ERR_IO when writing to f failed. */
hop_status hop_lattice_write(FILE *f, const hop_lattice *L);

#endif

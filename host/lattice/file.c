/* file.c: lattice files (see lattice/file.h for the format and its checks).
 *
 * Loading reads the file line by line into a hop_lattice and remembers the line of
 * every key, site and jump, so that the checks which need the whole file (sites in
 * the cell, landing, reverses, lengths, connectivity) can still point at a line.  All
 * arithmetic is in integers; the checked bounds keep hop_lattice_finish's int
 * arithmetic and the engine's int32 displacements from overflowing.  Loaded lattices
 * live in a small table owned by this module (its only global state);
 * hop_lattice_parse does everything but keep them (the fuzz target tests/fuzz/
 * fuzz_lattice.c reads from memory with it). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lattice/check.h"
#include "lattice/file.h"
#include "lattice/reader.h"

static hop_lattice loaded[HOP_LATTICE_FILE_MAX];   /* lattices handed out, never freed */
static int n_loaded;

/* ------------------------------------------------------------------ fields --- */

/* Integer field s into *out, which must lie in [lo, hi]; `what` names it. */
static hop_status get_int(reader *r, const char *what, const char *s, long lo, long hi,
                          int *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (end == s || *end != '\0')
        return hop_lf_bad(r, r->line, "%s: '%s' is not an integer", what, s);
    if (errno == ERANGE || v < lo || v > hi)
        return hop_lf_bad(r, r->line, "%s: %s is out of range (%ld .. %ld)", what, s, lo, hi);
    *out = (int)v;
    return HOP_OK;
}

/* Version 2: a decimal "I.F" (digits, a point, 1 to LF_MAX_DECIMALS digits) read exactly
 * as the fraction IF / 10^|F| into num/den, each at most max; 0 when s is no decimal. */
static int get_decimal(const char *s, int64_t max, int64_t *num, int64_t *den)
{
    const char *point = strchr(s, '.');
    int64_t n = 0, d = 1;
    if (!point || point == s || !point[1] || strlen(point + 1) > LF_MAX_DECIMALS)
        return 0;
    for (const char *c = s; *c; ++c) {
        if (c == point)
            continue;
        if (*c < '0' || *c > '9' || n > (INT64_MAX - 9) / 10)
            return 0;
        n = 10 * n + (*c - '0');
        if (c > point)
            d *= 10;
    }
    while (n % 10 == 0 && d > 1)    /* 2.50 is 5/2, as written in lowest decimal terms */
        n /= 10, d /= 10;
    if (n > max || d > max)
        return 0;
    *num = n;
    *den = d;
    return 1;
}

/* A weight "P/Q" or "P" with integers P, Q >= 1 into num/den; in version 2 also a
 * decimal (get_decimal). */
static hop_status get_weight(reader *r, const char *what, const char *s, int64_t max,
                             int64_t *num, int64_t *den)
{
    const char *slash;
    char *end;
    long p, q = 1;
    if (r->version >= 2 && strchr(s, '.')) {
        if (get_decimal(s, max, num, den) && *num > 0)
            return HOP_OK;
        return hop_lf_bad(r, r->line, "%s: '%s' is not a positive decimal with 1 to %d digits "
                          "after the point (numerator and denominator <= %lld)", what, s,
                          LF_MAX_DECIMALS, (long long)max);
    }
    errno = 0;
    p = strtol(s, &end, 10);    /* in place: a copy would cut long fields short */
    if (end != s && *end == '/')
        slash = end + 1, q = strtol(slash, &end, 10);
    else
        slash = NULL;
    if (end == s || end == slash || *end)
        return hop_lf_bad(r, r->line, "%s: the weight '%s' is not an integer or a fraction P/Q", what,
                   s);
    if (p <= 0 || q <= 0)
        return hop_lf_bad(r, r->line, "%s: the weight %s is not positive", what, s);
    if (errno == ERANGE || p > max || q > max)
        return hop_lf_bad(r, r->line, "%s: the weight %s is out of range (P, Q <= %lld)", what, s,
                   (long long)max);
    *num = p;
    *den = q;
    return HOP_OK;
}

/* Axis index of "x", "y" or "z" below dim, or -1. */
static int axis_index(const char *s, int dim)
{
    for (int a = 0; a < dim; ++a)
        if (strcmp(s, hop_lf_axis_names[a]) == 0)
            return a;
    return -1;
}

/* Checks that the line has `want` fields; `form` shows the line's form. */
static hop_status want_fields(reader *r, int nf, int want, const char *key, const char *form)
{
    if (nf != want)
        return hop_lf_bad(r, r->line, "'%s' takes %d field%s: %s (got %d)", key, want - 1,
                   want == 2 ? "" : "s", form, nf - 1);
    return HOP_OK;
}

/* Records that a key given at most once appears on this line. */
static hop_status once(reader *r, int *where, const char *key)
{
    if (*where)
        return hop_lf_bad(r, r->line, "'%s' given twice (first on line %d)", key, *where);
    *where = r->line;
    return HOP_OK;
}

/* ---------------------------------------------------------------- keywords --- */

typedef hop_status (*key_fn)(reader *r, int nf, char **fv);

static hop_status key_version(reader *r, int nf, char **fv)
{
    hop_status s;
    if ((s = want_fields(r, nf, 2, "hop-lattice", "the format version")) != HOP_OK
        || (s = once(r, &r->line_version, "hop-lattice")) != HOP_OK)
        return s;
    if (strcmp(fv[1], "1") != 0 && strcmp(fv[1], "2") != 0)
        return hop_lf_bad(r, r->line, "unsupported format version '%s' (this hop reads versions "
                   "1 and %d)", fv[1], LF_VERSION);
    r->version = fv[1][0] - '0';
    return HOP_OK;
}

static hop_status key_name(reader *r, int nf, char **fv)
{
    hop_status s;
    if ((s = want_fields(r, nf, 2, "name", "NAME")) != HOP_OK
        || (s = once(r, &r->line_name, "name")) != HOP_OK)
        return s;
    if (!hop_lf_is_word(fv[1], sizeof r->L.name - 1, ".+-"))
        return hop_lf_bad(r, r->line, "name '%s': 1 to %d letters, digits or . _ + -", fv[1],
                   (int)sizeof r->L.name - 1);
    strcpy(r->L.name, fv[1]);
    return HOP_OK;
}

static hop_status key_cell_name(reader *r, int nf, char **fv)
{
    hop_status s;
    (void)fv;
    if (nf < 2)
        return hop_lf_bad(r, r->line, "'cell-name' needs a text");
    if ((s = once(r, &r->line_cell_name, "cell-name")) != HOP_OK)
        return s;
    if (strlen(r->rest) >= sizeof r->L.cell_name)
        return hop_lf_bad(r, r->line, "cell-name '%s' is longer than %d characters", r->rest,
                   (int)sizeof r->L.cell_name - 1);
    for (const char *c = r->rest; *c; ++c)
        if (*c < ' ' || *c > '~')
            return hop_lf_bad(r, r->line, "cell-name: only printable ASCII characters");
    strcpy(r->L.cell_name, r->rest);
    return HOP_OK;
}

static hop_status key_dim(reader *r, int nf, char **fv)
{
    hop_status s;
    if ((s = want_fields(r, nf, 2, "dim", "1, 2 or 3")) != HOP_OK
        || (s = once(r, &r->line_dim, "dim")) != HOP_OK)
        return s;
    return get_int(r, "dim", fv[1], 1, HOP_MAX_DIM, &r->L.dim);
}

static hop_status key_cell(reader *r, int nf, char **fv)
{
    hop_status s;
    if ((s = want_fields(r, nf, 1 + r->L.dim, "cell", "one edge per dimension")) != HOP_OK
        || (s = once(r, &r->line_cell, "cell")) != HOP_OK)
        return s;
    for (int a = 0; a < r->L.dim; ++a)
        if ((s = get_int(r, "cell", fv[1 + a], 1, LF_MAX_COORD, &r->L.cell[a])) != HOP_OK)
            return s;
    return HOP_OK;
}

static hop_status key_axis(reader *r, int nf, char **fv)
{
    const int dim = r->L.dim;
    hop_status s;
    int a;
    if ((s = want_fields(r, nf, 3 + dim, "axis",
                         "an axis name, one integer per dimension and a weight")) != HOP_OK)
        return s;
    if ((a = axis_index(fv[1], dim)) < 0)
        return hop_lf_bad(r, r->line, "axis '%s': the axes of dim %d are x%s%s", fv[1], dim,
                   dim > 1 ? ", y" : "", dim > 2 ? ", z" : "");
    if ((s = once(r, &r->line_axis[a], a == 0 ? "axis x" : a == 1 ? "axis y" : "axis z"))
        != HOP_OK)
        return s;
    for (int b = 0; b < dim; ++b)
        if ((s = get_int(r, "axis", fv[2 + b], -LF_MAX_COORD, LF_MAX_COORD,
                         &r->L.cart[a][b])) != HOP_OK)
            return s;
    return get_weight(r, "axis", fv[2 + dim], LF_MAX_METRIC, &r->w_num[a], &r->w_den[a]);
}

/* Index of jump class `name`, or -1. */
static int class_index(const reader *r, const char *name)
{
    for (int c = 0; c < r->L.n_classes; ++c)
        if (strcmp(r->L.class_name[c], name) == 0)
            return c;
    return -1;
}

/* An energy "E" or "E eV" (fields fv[0], and fv[1] when n == 2) into *e, *ev. */
static hop_status get_energy(reader *r, const char *what, char **fv, int n, double *e,
                             unsigned char *ev)
{
    char *end;
    errno = 0;
    *e = strtod(fv[0], &end);
    if (end == fv[0] || *end || errno == ERANGE || !isfinite(*e) || fabs(*e) > 1e6)
        return hop_lf_bad(r, r->line, "%s: '%s' is not a number (in kT, or in eV with the unit "
                          "eV)", what, fv[0]);
    if (n == 2 && strcmp(fv[1], "eV") != 0)
        return hop_lf_bad(r, r->line, "%s: the unit '%s' is not eV (without a unit: kT)", what,
                          fv[1]);
    *ev = n == 2;
    return HOP_OK;
}

/* Version 2: class NAME [rate R] [barrier B [eV]] */
static hop_status key_class(reader *r, int nf, char **fv)
{
    hop_lattice *L = &r->L;
    const int c = L->n_classes;
    int i = 2;
    hop_status s;
    if (r->version < 2)
        return hop_lf_bad(r, r->line, "'class' needs version 2 ('hop-lattice 2')");
    if (nf < 2)
        return hop_lf_bad(r, r->line, "'class' takes NAME [rate R] [barrier B [eV]]");
    if (!hop_lf_is_word(fv[1], HOP_LABEL_LEN - 1, ""))
        return hop_lf_bad(r, r->line, "class name '%s': 1 to %d letters, digits or _", fv[1],
                          HOP_LABEL_LEN - 1);
    if (class_index(r, fv[1]) >= 0)
        return hop_lf_bad(r, r->line, "class '%s' is already declared on line %d", fv[1],
                          r->line_class[class_index(r, fv[1])]);
    if (c == HOP_MAX_CLASSES)
        return hop_lf_bad(r, r->line, "more than %d jump classes", HOP_MAX_CLASSES);
    if (r->line_classless)
        return hop_lf_bad(r, r->line, "a class after jumps without one (line %d): declare the "
                          "classes first and give every jump its class", r->line_classless);
    strcpy(L->class_name[c], fv[1]);
    L->class_rate[c] = 1;
    L->class_barrier[c] = 0;
    if (i < nf && strcmp(fv[i], "rate") == 0) {
        int64_t num, den;
        char *end;
        if (i + 1 >= nf)
            return hop_lf_bad(r, r->line, "class %s: 'rate' needs a value", fv[1]);
        if (strchr(fv[i + 1], '/') || fv[i + 1][strspn(fv[i + 1], "0123456789")] == '\0') {
            if ((s = get_weight(r, "class rate", fv[i + 1], INT64_C(1) << 40, &num, &den))
                != HOP_OK)
                return s;
            L->class_rate[c] = (double)num / (double)den;
        } else {        /* a decimal: the nearest double (what the writer prints back) */
            errno = 0;
            L->class_rate[c] = strtod(fv[i + 1], &end);
            if (end == fv[i + 1] || *end || errno == ERANGE || !isfinite(L->class_rate[c])
                || !(L->class_rate[c] > 0))
                return hop_lf_bad(r, r->line, "class %s: rate '%s' is not a number > 0 (P/Q, P "
                                  "or a decimal)", fv[1], fv[i + 1]);
        }
        i += 2;
    }
    if (i < nf && strcmp(fv[i], "barrier") == 0) {
        const int n = i + 3 == nf ? 2 : 1;
        if (i + 1 >= nf)
            return hop_lf_bad(r, r->line, "class %s: 'barrier' needs a value", fv[1]);
        if ((s = get_energy(r, "class barrier", fv + i + 1, n, &L->class_barrier[c],
                            &L->class_barrier_ev[c])) != HOP_OK)
            return s;
        i += 1 + n;
    }
    if (i != nf)
        return hop_lf_bad(r, r->line, "class %s: unexpected '%s' (the form is 'class NAME "
                          "[rate R] [barrier B [eV]]')", fv[1], fv[i]);
    r->line_class[c] = r->line;
    L->n_classes++;
    return HOP_OK;
}

/* Index of sublattice label s, or -1. */
static int label_index(const reader *r, const char *s)
{
    for (int i = 0; i < r->L.n_sub; ++i)
        if (strcmp(r->label[i], s) == 0)
            return i;
    return -1;
}

/* Version 2: energy LABEL E [eV] (the vacancy's site energy on sublattice LABEL) */
static hop_status key_energy(reader *r, int nf, char **fv)
{
    int sub;
    if (r->version < 2)
        return hop_lf_bad(r, r->line, "'energy' needs version 2 ('hop-lattice 2')");
    if (nf != 3 && nf != 4)
        return hop_lf_bad(r, r->line, "'energy' takes LABEL E [eV]");
    if ((sub = label_index(r, fv[1])) < 0)
        return hop_lf_bad(r, r->line, "unknown sublattice '%s' (an energy's label must appear "
                          "on an earlier site line)", fv[1]);
    if (r->line_energy[sub])
        return hop_lf_bad(r, r->line, "the energy of %s is already given on line %d", fv[1],
                          r->line_energy[sub]);
    r->line_energy[sub] = r->line;
    return get_energy(r, "energy", fv + 2, nf - 2, &r->L.site_energy[sub],
                      &r->L.site_energy_ev[sub]);
}

static hop_status key_site(reader *r, int nf, char **fv)
{
    const int dim = r->L.dim, b = r->L.n_basis;
    hop_status s;
    int sub;
    if ((s = want_fields(r, nf, 2 + dim, "site",
                         "one integer per dimension and a sublattice label")) != HOP_OK)
        return s;
    if (b == HOP_MAX_BASIS)
        return hop_lf_bad(r, r->line, "more than %d sites in the cell", HOP_MAX_BASIS);
    for (int a = 0; a < dim; ++a)
        if ((s = get_int(r, "site", fv[1 + a], 0, LF_MAX_COORD - 1, &r->L.basis[b][a])) != HOP_OK)
            return s;
    if (!hop_lf_is_word(fv[1 + dim], sizeof r->label[0] - 1, ""))
        return hop_lf_bad(r, r->line, "sublattice label '%s': 1 to %d letters, digits or _",
                   fv[1 + dim], (int)sizeof r->label[0] - 1);
    if ((sub = label_index(r, fv[1 + dim])) < 0) {
        if (r->L.n_sub == HOP_MAX_SUB)
            return hop_lf_bad(r, r->line, "sublattice label '%s' is one too many (at most %d "
                       "sublattices)", fv[1 + dim], HOP_MAX_SUB);
        sub = r->L.n_sub++;
        strcpy(r->label[sub], fv[1 + dim]);
        strcpy(r->L.sub_name[sub], fv[1 + dim]);
    }
    r->L.basis_sub[b] = sub;
    r->line_site[b] = r->line;
    r->L.n_basis++;
    return HOP_OK;
}

static hop_status key_jump(reader *r, int nf, char **fv)
{
    const int dim = r->L.dim;
    hop_status s;
    int sub, k, cls = 0;
    if (r->version >= 2) {
        if (nf >= 3 + dim && strcmp(fv[2 + dim], "rate") == 0)
            return hop_lf_bad(r, r->line, "in version 2 a jump has no rate: rates belong to "
                              "classes ('class NAME rate R', then 'jump LABEL V.. NAME')");
        if (nf == 3 + dim && (cls = class_index(r, fv[2 + dim])) < 0)
            return hop_lf_bad(r, r->line, "unknown jump class '%s' (declare it with a 'class' "
                              "line before the jumps that use it)", fv[2 + dim]);
        if (nf == 3 + dim)
            nf--;
        else if (nf == 2 + dim && r->L.n_classes > 0)
            return hop_lf_bad(r, r->line, "this jump has no class, but the file declares "
                              "classes (line %d): end the line with the jump's class",
                              r->line_class[0]);
        else if (nf == 2 + dim && !r->line_classless)
            r->line_classless = r->line;
    } else if (nf == 4 + dim && strcmp(fv[2 + dim], "rate") == 0) {
        /* optional relative exchange rate of this jump: `rate P` or `rate P/Q` */
        const int k_next = (sub = label_index(r, fv[1])) >= 0 ? r->n_jumps[sub] : 0;
        if (sub >= 0 && k_next < HOP_MAX_Z) {
            if ((s = get_weight(r, "jump rate", fv[3 + dim], INT64_C(1) << 32,
                                &r->rate_num[sub][k_next], &r->rate_den[sub][k_next])) != HOP_OK)
                return s;
            if (!r->line_rate)
                r->line_rate = r->line;
        }
        nf -= 2;
    }
    if ((s = want_fields(r, nf, 2 + dim, "jump", r->version >= 2
                         ? "a sublattice label, one integer per dimension, and its class"
                         : "a sublattice label, one integer per dimension, and optionally "
                           "'rate P/Q'")) != HOP_OK)
        return s;
    if (r->line_nearest)
        return hop_lf_bad(r, r->line, "jump lines and 'jumps nearest' (line %d) exclude each other",
                   r->line_nearest);
    if ((sub = label_index(r, fv[1])) < 0)
        return hop_lf_bad(r, r->line, "unknown sublattice '%s' (a jump's label must appear on an "
                   "earlier site line)", fv[1]);
    if ((k = r->n_jumps[sub]) == HOP_MAX_Z)
        return hop_lf_bad(r, r->line, "more than %d jumps for sublattice %s", HOP_MAX_Z, fv[1]);
    for (int a = 0; a < dim; ++a)
        if ((s = get_int(r, "jump", fv[2 + a], -LF_MAX_JUMP, LF_MAX_JUMP,
                         &r->L.jump[sub][k][a])) != HOP_OK)
            return s;
    r->line_jump[sub][k] = r->line;
    r->L.jump_class[sub][k] = cls;
    r->n_jumps[sub]++;
    return HOP_OK;
}

/* Version 2: `jumps nearest [CLASS]` and `jumps shell N CLASS`. */
static hop_status jumps_v2(reader *r, int nf, char **fv)
{
    const int shell = strcmp(fv[1], "shell") == 0;
    const int want = shell ? 4 : nf == 3 ? 3 : 2;
    int n = 1, cls = 0;
    hop_status s;
    if (!shell && strcmp(fv[1], "nearest") != 0)
        return hop_lf_bad(r, r->line, "'jumps' takes 'nearest [CLASS]' or 'shell N CLASS', not "
                          "'%s'", fv[1]);
    if ((s = want_fields(r, nf, want, "jumps", shell ? "shell N CLASS" : "nearest [CLASS]"))
        != HOP_OK)
        return s;
    if (shell && (s = get_int(r, "jumps shell", fv[2], 1, 16, &n)) != HOP_OK)
        return s;
    if (want > 2 && (cls = class_index(r, fv[want - 1])) < 0)
        return hop_lf_bad(r, r->line, "unknown jump class '%s' (declare it with a 'class' line "
                          "before the jumps that use it)", fv[want - 1]);
    if (want == 2 && r->L.n_classes > 0)
        return hop_lf_bad(r, r->line, "'jumps nearest' without a class, but the file declares "
                          "classes (line %d): add the class", r->line_class[0]);
    if (r->n_shell_lines == LF_MAX_SHELL_LINES)
        return hop_lf_bad(r, r->line, "more than %d 'jumps' lines", LF_MAX_SHELL_LINES);
    for (int i = 0; i < r->n_shell_lines; ++i)
        if (r->shell_n[i] == n)
            return hop_lf_bad(r, r->line, "shell %d is already given on line %d", n,
                              r->shell_line[i]);
    if (want == 2 && !r->line_classless)
        r->line_classless = r->line;
    r->shell_n[r->n_shell_lines] = n;
    r->shell_class[r->n_shell_lines] = cls;
    r->shell_line[r->n_shell_lines++] = r->line;
    if (!r->line_nearest)
        r->line_nearest = r->line;
    for (int sub = 0; sub < HOP_MAX_SUB; ++sub)
        if (r->n_jumps[sub])
            return hop_lf_bad(r, r->line, "'jumps' lines and jump lines (line %d) exclude each "
                              "other", r->line_jump[sub][0]);
    return HOP_OK;
}

static hop_status key_jumps(reader *r, int nf, char **fv)
{
    hop_status s;
    if (r->version >= 2 && nf >= 2)
        return jumps_v2(r, nf, fv);
    if ((s = want_fields(r, nf, 2, "jumps", "nearest")) != HOP_OK)
        return s;
    if (strcmp(fv[1], "nearest") != 0)
        return hop_lf_bad(r, r->line, "'jumps' takes 'nearest', not '%s'", fv[1]);
    if ((s = once(r, &r->line_nearest, "jumps")) != HOP_OK)
        return s;
    r->shell_n[0] = 1;
    r->shell_line[0] = r->line;
    r->n_shell_lines = 1;
    for (int sub = 0; sub < HOP_MAX_SUB; ++sub)
        if (r->n_jumps[sub])
            return hop_lf_bad(r, r->line, "'jumps nearest' and jump lines (line %d) exclude each other",
                       r->line_jump[sub][0]);
    return HOP_OK;
}

/* group AXIS... [as NAME] */
static hop_status key_group(reader *r, int nf, char **fv)
{
    const int g = r->L.n_groups;
    const int named = nf >= 4 && strcmp(fv[nf - 2], "as") == 0;
    const int n_axes = nf - 1 - 2 * named;
    const char *name = named ? fv[nf - 1] : fv[1];
    if (n_axes < 1)
        return hop_lf_bad(r, r->line, "'group' takes one or more axes and optionally 'as NAME'");
    for (int i = 1; i <= n_axes; ++i) {
        int a = axis_index(fv[i], r->L.dim);
        if (a < 0)
            return hop_lf_bad(r, r->line, "group: '%s' is not an axis of dim %d", fv[i], r->L.dim);
        if (r->axis_group[a])
            return hop_lf_bad(r, r->line, "group: axis %s is already in the group of line %d", fv[i],
                       r->line_group[r->axis_group[a] - 1]);
        r->axis_group[a] = g + 1;
        r->L.group_of_axis[a] = g;
    }
    if (!hop_lf_is_word(name, sizeof r->L.group_name[0] - 1, ""))
        return hop_lf_bad(r, r->line, "group name '%s': 1 to %d letters, digits or _", name,
                   (int)sizeof r->L.group_name[0] - 1);
    for (int h = 0; h < g; ++h)
        if (strcmp(r->L.group_name[h], name) == 0)
            return hop_lf_bad(r, r->line, "group name '%s' already used on line %d", name,
                       r->line_group[h]);
    strcpy(r->L.group_name[g], name);
    r->line_group[g] = r->line;
    r->L.n_groups++;
    return HOP_OK;
}

static hop_status key_isotropic(reader *r, int nf, char **fv)
{
    hop_status s;
    if ((s = want_fields(r, nf, 2, "isotropic", "yes or no")) != HOP_OK
        || (s = once(r, &r->line_isotropic, "isotropic")) != HOP_OK)
        return s;
    if (strcmp(fv[1], "yes") != 0 && strcmp(fv[1], "no") != 0)
        return hop_lf_bad(r, r->line, "'isotropic' takes yes or no, not '%s'", fv[1]);
    r->L.isotropic = fv[1][0] == 'y';
    return HOP_OK;
}

static const struct {
    const char *key;
    key_fn fn;
    int needs_dim;      /* the line's length depends on dim */
} keys[] = {
    {"hop-lattice", key_version, 0}, {"name", key_name, 0}, {"cell-name", key_cell_name, 0},
    {"dim", key_dim, 0}, {"cell", key_cell, 1}, {"axis", key_axis, 1}, {"site", key_site, 1},
    {"jump", key_jump, 1}, {"jumps", key_jumps, 0}, {"group", key_group, 1},
    {"isotropic", key_isotropic, 0}, {"class", key_class, 0}, {"energy", key_energy, 0},
};

/* Splits text (comment already cut) into blank-separated fields; returns their count
 * (fields beyond LF_MAX_FIELDS are counted, not stored). */
static int split(char *text, char **fv)
{
    char *save = NULL;
    int n = 0;
    for (char *t = strtok_r(text, BLANKS, &save); t; t = strtok_r(NULL, BLANKS, &save), ++n)
        if (n < LF_MAX_FIELDS)
            fv[n] = t;
    return n;
}

/* The text after the first field, without surrounding blanks, into rest. */
static void rest_of_line(const char *text, char *rest, size_t n)
{
    const char *s = text + strspn(text, BLANKS);
    size_t len;
    s += strcspn(s, BLANKS);
    s += strspn(s, BLANKS);
    len = strlen(s);
    while (len > 0 && strchr(BLANKS, s[len - 1]))
        --len;
    snprintf(rest, n, "%.*s", (int)len, s);
}

/* Reads one line (text is modified). */
static hop_status read_line(reader *r, char *text)
{
    char *fv[LF_MAX_FIELDS], rest[LF_LINE_MAX + 2], *hash = strchr(text, '#');
    int nf;
    if (hash)
        *hash = '\0';
    rest_of_line(text, rest, sizeof rest);
    r->rest = rest;
    if ((nf = split(text, fv)) == 0)
        return HOP_OK;
    if (nf > LF_MAX_FIELDS)
        return hop_lf_bad(r, r->line, "too many fields (%d)", nf);
    if (!r->line_version && strcmp(fv[0], "hop-lattice") != 0)
        return hop_lf_bad(r, r->line, "not a hop lattice file: the first line must be 'hop-lattice %d' (or 2)",
                   1);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; ++i) {
        if (strcmp(fv[0], keys[i].key) != 0)
            continue;
        if (keys[i].needs_dim && !r->line_dim)
            return hop_lf_bad(r, r->line, "'%s' before 'dim' (dim comes first: it sets the number of "
                       "coordinates)", fv[0]);
        return keys[i].fn(r, nf, fv);
    }
    return hop_lf_bad(r, r->line, "unknown keyword '%s' (valid: hop-lattice, name, cell-name, dim, "
               "cell, axis, site, jump, jumps, group, isotropic%s)", fv[0],
               r->version >= 2 ? ", class, energy" : "");
}

/* The next line of f into text (size bytes: at most size - 1 characters, the newline
 * included, then a terminating NUL), as fgets reads it; returns the characters read,
 * 0 at the end of the file.  Unlike fgets it tells a NUL byte inside the line
 * (*has_nul), which would otherwise cut the line short without a word; getline would
 * tell too, but reads a line of any length into memory (think of /dev/zero). */
static size_t get_line(FILE *f, char *text, size_t size, int *has_nul)
{
    size_t n = 0;
    int c;
    *has_nul = 0;
    while (n + 1 < size && (c = getc(f)) != EOF) {
        text[n++] = (char)c;
        if (c == '\0')
            *has_nul = 1;
        if (c == '\n')
            break;
    }
    text[n] = '\0';
    return n;
}

/* Reads the whole file, open as f, into r. */
static hop_status read_lines(reader *r, FILE *f)
{
    char text[LF_LINE_MAX + 2];
    hop_status s = HOP_OK;
    size_t n;
    int has_nul;
    while (s == HOP_OK && (n = get_line(f, text, sizeof text, &has_nul)) > 0) {
        ++r->line;
        if (has_nul)
            s = hop_lf_bad(r, r->line, "a NUL byte: not a text file");
        else if (n == sizeof text - 1 && text[n - 1] != '\n')
            s = hop_lf_bad(r, r->line, "line longer than %d characters", LF_LINE_MAX);
        else
            s = read_line(r, text);
    }
    if (s == HOP_OK && ferror(f))
        s = hop_lf_bad(r, 0, "cannot read: %s", strerror(errno));
    if (s == HOP_OK && !r->line_version)
        s = hop_lf_bad(r, 0, "not a hop lattice file: no 'hop-lattice %d' line (nor 'hop-lattice 2')", 1);
    return s;
}

/* Built-in names belong to the built-ins. */
static hop_status check_builtin_name(reader *r)
{
    const hop_lattice *B = hop_lattice_find(r->L.name);
    if (B) {
        hop_lattice same = r->L;
        memcpy(same.cell_name, B->cell_name, sizeof same.cell_name);
        memcpy(same.sub_name, B->sub_name, sizeof same.sub_name);   /* labels are names */
        if (memcmp(&same, B, sizeof same) != 0)
            return hop_lf_bad(r, r->line_name, "'%s' is the name of a built-in lattice, and this "
                       "lattice differs from it (jump order included): choose another name",
                       r->L.name);
    }
    return HOP_OK;
}

/* One name per loaded lattice; the store. */
static hop_status keep(reader *r, const hop_lattice **out)
{
    for (int i = 0; i < n_loaded; ++i) {
        if (memcmp(&loaded[i], &r->L, sizeof r->L) == 0) {
            *out = &loaded[i];
            return HOP_OK;
        }
        if (strcmp(loaded[i].name, r->L.name) == 0)
            return hop_lf_bad(r, r->line_name, "a different lattice named '%s' is already loaded: "
                       "choose another name", r->L.name);
    }
    if (n_loaded == HOP_LATTICE_FILE_MAX) {
        hop_lf_bad(r, 0, "cannot keep more than %d lattices from files in one process",
            HOP_LATTICE_FILE_MAX);
        return HOP_ERR_NOMEM;
    }
    loaded[n_loaded] = r->L;
    *out = &loaded[n_loaded++];
    return HOP_OK;
}

/* Rates of the jump lines as integer weights, the largest 2^32 (lattice.h); every jump
 * has one or none has. */
static hop_status rates_to_weights(reader *r)
{
    double top = 0;
    if (!r->line_rate)
        return HOP_OK;
    if (r->line_nearest)
        return hop_lf_bad(r, r->line_nearest, "'jumps nearest' gives no rates; write the jump "
                          "lines to give them");
    for (int s = 0; s < HOP_MAX_SUB; ++s)
        for (int k = 0; k < r->n_jumps[s]; ++k) {
            if (!r->rate_num[s][k])
                return hop_lf_bad(r, r->line_jump[s][k], "this jump has no rate, but the jump "
                                  "on line %d has one: give a rate for every jump or for none",
                                  r->line_rate);
            top = fmax(top, (double)r->rate_num[s][k] / (double)r->rate_den[s][k]);
        }
    for (int s = 0; s < HOP_MAX_SUB; ++s)
        for (int k = 0; k < r->n_jumps[s]; ++k) {
            const double x = ldexp((double)r->rate_num[s][k] / (double)r->rate_den[s][k] / top, 32);
            r->L.rate[s][k] = x < 1 ? 1 : (uint64_t)llround(x);
        }
    return HOP_OK;
}

/* A fresh reader for the file named path, reporting into msg. */
static void reader_init(reader *r, const char *path, char *msg, size_t msg_len)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->msg = msg;
    r->msg_len = msg_len;
    for (int a = 0; a < HOP_MAX_DIM; ++a)
        r->L.cell[a] = 1;
}

/* Reads the file open as f into r, checks it, derives r->L and checks its name against
 * the built-ins: everything but the store. */
static hop_status read_checked(reader *r, FILE *f)
{
    char finish_msg[256];
    hop_status s;
    if ((s = read_lines(r, f)) != HOP_OK || (s = rates_to_weights(r)) != HOP_OK
        || (s = hop_lf_check_required(r)) != HOP_OK
        || (s = hop_lf_derive_weights(r)) != HOP_OK || (s = hop_lf_check_axes(r)) != HOP_OK
        || (s = hop_lf_check_sites(r)) != HOP_OK || (s = hop_lf_finish_groups(r)) != HOP_OK
        || (r->line_nearest && (s = hop_lf_find_nearest(r)) != HOP_OK)
        || (s = hop_lf_check_counts(r)) != HOP_OK || (s = hop_lf_check_jumps(r)) != HOP_OK
        || (s = hop_lf_check_connected(r)) != HOP_OK)
        return s;
    if (hop_lattice_finish(&r->L, finish_msg, sizeof finish_msg) != HOP_OK)
        return hop_lf_bad(r, 0, "%s", finish_msg);
    if ((s = hop_lf_check_isotropic(r)) != HOP_OK)
        return s;
    return check_builtin_name(r);
}

hop_status hop_lattice_parse(FILE *f, const char *path, hop_lattice *out, char *msg,
                             size_t msg_len)
{
    reader r;
    hop_status s;
    reader_init(&r, path, msg, msg_len);
    if ((s = read_checked(&r, f)) == HOP_OK)
        *out = r.L;
    return s;
}

hop_status hop_lattice_load(const char *path, const hop_lattice **out, char *msg,
                            size_t msg_len)
{
    reader r;
    hop_status s;
    FILE *f;
    reader_init(&r, path, msg, msg_len);
    if (!(f = fopen(path, "r")))
        return hop_lf_bad(&r, 0, "cannot open: %s", strerror(errno));
    s = read_checked(&r, f);
    fclose(f);
    return s != HOP_OK ? s : keep(&r, out);
}

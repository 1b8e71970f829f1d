/* test_lattice_file.c: Criterion tests of lattice files (host/lattice/file.c) and their
 * command line (`hop run --lattice-file`, `hop lattices --write`).
 *
 * Reading: hand-written files give the tables they describe (the writer's round trip of
 * the built-ins is test_lattice_write.c), and the two lattices that are not built in give physical answers (bct
 * has bcc's f along every axis: the same walk seen through a linear map).  Every load
 * error is provoked on purpose and must name FILE:LINE (or FILE) and the problem.
 * The command-line tests run the built binary (HOP_BINARY) with fork/exec like
 * tests/test_cli.c. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "dir_helper.h"
#include "proc_helper.h"
#include "lattice/file.h"
#include "lattice/impl.h"
#include "run_helper.h"
#include "exact_helper.h"
#include "lattice_file_helper.h"

/* ---- round trip ------------------------------------------------------------------ */

/* A file written by hand, with defaults for what it leaves out, is the table. */
#define SQ_HEAD "hop-lattice 1\nname sq2\ndim 2\ncell 1 1\naxis x 1 0 1\naxis y 0 1 1\n" \
                "site 0 0 A\n"                                    /* lines 1 .. 7 */
#define SQ_JUMPS "jump A 1 0\njump A -1 0\njump A 0 1\njump A 0 -1\n"  /* lines 8 .. 11 */

Test(lattice_file_roundtrip, hand_written_square_is_the_table, .init = scratch_make,
     .fini = scratch_remove)
{
    const hop_lattice *B = hop_lattice_find("square");
    const hop_lattice *L = must_load(put("sq.lat", "# a square lattice\n\n" SQ_HEAD SQ_JUMPS
                                         "cell-name  square   # trailing comment\n"
                                         "isotropic yes\n"));
    hop_lattice copy = *L;
    cr_expect_str_eq(L->name, "sq2");
    cr_expect_str_eq(L->cell_name, "square");
    memcpy(copy.name, B->name, sizeof copy.name);
    cr_expect_eq(memcmp(&copy, B, sizeof copy), 0, "hand-written square differs");
}

/* `jumps nearest` finds fcc's twelve jumps (in its own order). */
Test(lattice_file_roundtrip, jumps_nearest_finds_fcc, .init = scratch_make,
     .fini = scratch_remove)
{
    const hop_lattice *B = hop_lattice_find("fcc");
    const hop_lattice *L = must_load(put("fcc.lat",
        "hop-lattice 1\nname fcc-nn\ndim 3\ncell 2 2 2\naxis x 1 0 0 1/4\naxis y 0 1 0 1/4\n"
        "axis z 0 0 1 1/4\nsite 0 0 0 A\nsite 0 1 1 A\nsite 1 0 1 A\nsite 1 1 0 A\n"
        "jumps nearest\nisotropic yes\n"));
    cr_assert_eq(L->z, 12);
    cr_expect_eq(L->jump_len2, B->jump_len2);
    cr_expect_eq(L->metric_den, B->metric_den);
    for (int k = 0; k < B->z; ++k) {
        int found = 0;
        for (int m = 0; m < L->z; ++m)
            found += memcmp(L->jump[0][m], B->jump[0][k], sizeof B->jump[0][k]) == 0;
        cr_expect_eq(found, 1, "fcc jump %d found %d times", k, found);
    }
}

/* ---- the checked-in example files -------------------------------------------------- */

/* Simple hexagonal, c = a: eight jumps, f strictly between 0 and 1 on both axes. */
Test(lattice_file_examples, simple_hexagonal)
{
    const hop_lattice *L = must_load(HOP_SOURCE_DIR "/tests/lattices/sh.lat");
    hop_result *r;
    cr_assert_eq(L->z, 8);
    cr_expect_eq(L->jump_len2, L->metric_den, "jump length a");
    cr_expect_eq(L->n_groups, 2);
    cr_expect_str_eq(L->group_name[0], "x");
    cr_expect_str_eq(L->group_name[1], "z");
    cr_expect_eq(L->isotropic, 0);
    r = run_corr(L, 20000, 3);
    for (int g = -1; g < r->n_groups; ++g) {
        const hop_estimate *f = g < 0 ? &r->f : &r->f_group[g];
        cr_expect(f->value > 0 && f->value < 1 && f->sigma > 0 && f->sigma < 0.02,
                  "component %d: f = %g +- %g", g, f->value, f->sigma);
    }
    hop_result_free(r);
}

/* bct is bcc stretched along z: the same walk, so bcc's f along every axis. */
Test(lattice_file_examples, bct_has_bcc_f_on_every_axis)
{
    const hop_lattice *L = must_load(HOP_SOURCE_DIR "/tests/lattices/bct.lat");
    hop_result *r, *rb;
    cr_assert_eq(L->z, 8, "jumps nearest: the 8 body diagonals");
    for (int k = 0; k < L->z; ++k)
        for (int a = 0; a < 3; ++a)
            cr_expect_eq(abs(L->jump[0][k][a]), 1);
    cr_expect_eq((int64_t)L->jump_len2 * 6, (int64_t)L->metric_den * 5, "alpha^2 = 5/6");
    r = run_corr(L, 40000, 5);
    rb = run_corr(hop_lattice_find("bcc"), 40000, 6);
    cr_assert_eq(r->n_groups, 2);
    expect_agree(&r->f_group[0], &rb->f, 4, "bct f_x vs bcc f");
    expect_agree(&r->f_group[1], &rb->f, 4, "bct f_z vs bcc f");
    {   /* and the exact solver on the file: bcc's f on both axes */
        const hop_exact_result x = hop_test_exact(L, NULL);
        hop_test_expect_exact("bct f_x", &r->f_group[0], &x.f_group[0]);
        hop_test_expect_exact("bct f_z", &r->f_group[1], &x.f_group[1]);
        cr_expect_leq(fabs(x.f_group[1].value - 0.72719414), 1e-7, "exact bct f_z %.9f",
                      x.f_group[1].value);
    }
    hop_result_free(r);
    hop_result_free(rb);
}

/* The example of tests/lattices/README.md: triangular written in a rectangular basis
 * gives triangular's f. */
Test(lattice_file_examples, readme_example_is_triangular, .init = scratch_make,
     .fini = scratch_remove)
{
    const hop_lattice *L = must_load(put("tri.lat",
        "hop-lattice 1\nname       tri-rect\ndim        2\ncell       2 2\n"
        "axis x     1 0  1/4          # x = v1 a/2\n"
        "axis y     0 1  3/4          # y = v2 b/2 = v2 (sqrt3/2) a\n"
        "site       0 0  A\nsite       1 1  A\n"
        "jump       A   2  0\njump       A  -2  0\njump       A   1  1\n"
        "jump       A  -1 -1\njump       A   1 -1\njump       A  -1  1\nisotropic  yes\n"));
    hop_result *r = run_corr(L, 20000, 7), *rt = run_corr(hop_lattice_find("triangular"), 20000, 8);
    cr_expect_eq(L->z, 6);
    expect_agree(&r->f, &rt->f, 4, "tri-rect vs triangular");
    hop_result_free(r);
    hop_result_free(rt);
}

/* ---- errors ------------------------------------------------------------------------ */

typedef struct {
    const char *what;
    const char *text;
    int line;              /* 0: a whole-file message "FILE: ..." */
    const char *needle;
} bad_case;

#define HEAD2(cell, wx, wy) "hop-lattice 1\nname a\ndim 2\ncell " cell "\naxis x 1 0 " wx \
                            "\naxis y 0 1 " wy "\n"              /* lines 1 .. 6 */
#define LINE1 "hop-lattice 1\nname a\ndim 1\ncell 1\naxis x 1 1\n"   /* lines 1 .. 5 */

static const bad_case bad_cases[] = {
    /* per-jump rates */
    {"rate on some jumps only", SQ_HEAD "jump A 1 0 rate 2\njump A -1 0\njump A 0 1 rate 2\n"
     "jump A 0 -1 rate 2\n", 9, "give a rate for every jump or for none"},
    {"rate not positive", SQ_HEAD "jump A 1 0 rate 0\n", 8, "not positive"},
    {"rate not a number", SQ_HEAD "jump A 1 0 rate fast\n", 8, "not an integer or a fraction"},
    {"bond with two rates", SQ_HEAD "jump A 1 0 rate 2\njump A -1 0 rate 1\njump A 0 1 rate 1\n"
     "jump A 0 -1 rate 1\n", 0, "different rates"},
    /* the file as a whole, and single lines */
    {"not a lattice file", "name x\n", 1, "the first line must be 'hop-lattice 1'"},
    {"no version line", "# only a comment\n\n", 0, "no 'hop-lattice 1' line"},
    {"version", "hop-lattice 3\n", 1, "unsupported format version '3'"},
    {"unknown keyword", SQ_HEAD "colour red\n" SQ_JUMPS, 8, "unknown keyword 'colour'"},
    {"fields: cell", "hop-lattice 1\nname a\ndim 2\ncell 1\n", 4, "'cell' takes 2 fields"},
    {"fields: name", "hop-lattice 1\nname a b\n", 2, "'name' takes 1 field"},
    {"fields: too many", "hop-lattice 1\nsite 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n", 2,
     "too many fields"},
    {"not an integer", "hop-lattice 1\nname a\ndim 2\ncell 1 x\n", 4, "'x' is not an integer"},
    {"not an integer: 2.5", "hop-lattice 1\nname a\ndim 2.5\n", 3, "'2.5' is not an integer"},
    {"jump out of range", SQ_HEAD "jump A 6 0\n", 8, "6 is out of range (-5 .. 5)"},
    {"dim out of range", "hop-lattice 1\nname a\ndim 4\n", 3, "4 is out of range (1 .. 3)"},
    {"cell before dim", "hop-lattice 1\nname a\ncell 1 1\ndim 2\n", 3, "'cell' before 'dim'"},
    {"name twice", "hop-lattice 1\nname a\nname b\n", 3, "'name' given twice (first on line 2)"},
    {"bad name", "hop-lattice 1\nname a,b\n", 2, "name 'a,b'"},
    {"long name", "hop-lattice 1\nname abcdefghijklmnop\n", 2, "1 to 15 letters"},
    {"long cell-name", "hop-lattice 1\ncell-name a very long cell name\n", 2,
     "longer than 15 characters"},
    {"weight zero", HEAD2("1 1", "0", "1") "site 0 0 A\n" SQ_JUMPS, 5, "weight 0 is not positive"},
    {"weight negative", HEAD2("1 1", "1", "-1/4") "site 0 0 A\n" SQ_JUMPS, 6,
     "weight -1/4 is not positive"},
    {"weight decimal", HEAD2("1 1", "0.25", "1") "site 0 0 A\n" SQ_JUMPS, 5,
     "is not an integer or a fraction"},
    {"weight: junk after a long number", HEAD2("1 1", "1", "1/" "0000000000000000000000000"
     "00000000000000000000000000000000000002junk") "site 0 0 A\n" SQ_JUMPS, 6,
     "is not an integer or a fraction"},
    {"axis twice", "hop-lattice 1\nname a\ndim 2\naxis x 1 0 1\naxis x 1 0 1\n", 5,
     "'axis x' given twice (first on line 4)"},
    {"axis z in 2D", "hop-lattice 1\nname a\ndim 2\naxis z 0 0 1\n", 4, "axis 'z'"},
    {"metric too large", "hop-lattice 1\nname a\ndim 1\ncell 1\naxis x 64 134217728\n"
     "site 0 A\njump A 1\njump A -1\n", 5, "exceeds 134217728"},
    /* missing keys */
    {"no name", "hop-lattice 1\ndim 1\ncell 1\naxis x 1 1\nsite 0 A\njump A 1\njump A -1\n",
     0, "no 'name' line"},
    {"no dim", "hop-lattice 1\nname a\n", 0, "no 'dim' line"},
    {"no cell", "hop-lattice 1\nname a\ndim 1\naxis x 1 1\nsite 0 A\njump A 1\njump A -1\n",
     0, "no 'cell' line"},
    {"no axis y", "hop-lattice 1\nname a\ndim 2\ncell 1 1\naxis x 1 0 1\nsite 0 0 A\n", 0,
     "no 'axis y' line"},
    {"no site", LINE1, 0, "no 'site' line"},
    {"no jumps", LINE1 "site 0 A\n", 0, "no jumps"},
    /* limits */
    /* limits: lattice_file_errors.one_past_each_limit */
    /* sites */
    {"site outside the cell", HEAD2("2 2", "1/4", "1/4") "site 0 0 A\nsite 2 1 A\n"
     "jump A 1 1\n", 8, "site (2 1) is outside the cell"},
    {"two sites in one place", HEAD2("2 2", "1/4", "1/4") "site 1 1 A\nsite 1 1 B\n"
     "jump A 1 1\n", 8, "site (1 1) is already given on line 7"},
    /* jumps */
    {"unknown sublattice", SQ_HEAD "jump B 1 0\n", 8, "unknown sublattice 'B'"},
    {"zero jump", SQ_HEAD "jump A 0 0\n", 8, "a zero jump vector"},
    {"repeated jump", SQ_HEAD "jump A 1 0\njump A 1 0\n", 9, "(1 0) is already given on line 8"},
    {"jump off the sites", HEAD2("2 2", "1/4", "1/4") "site 0 0 A\njump A 2 0\njump A -2 0\n"
     "jump A 1 0\njump A -1 0\n", 10,
     "jump A (1 0) from site (0 0) (line 7) does not land on a site"},
    {"reverse missing", SQ_HEAD "jump A 1 0\njump A -1 0\njump A 0 1\n", 10,
     "whose jumps lack the reverse (0 -1)"},
    {"unequal lengths", SQ_HEAD "jump A 1 0\njump A -1 0\njump A 1 1\njump A -1 -1\n", 10,
     "squared length 2/1, the first jump (line 8) 1/1"},
    {"unequal counts", HEAD2("3 3", "1/36", "3/36") "site 0 0 A\nsite 1 1 B\n"
     "jump A 1 1\njump A 1 -2\njump A -2 1\njump B -1 -1\njump B -1 2\n", 12,
     "sublattice B has 2 jumps but sublattice A has 3"},
    {"two target sublattices", "hop-lattice 1\nname a\ndim 1\ncell 3\naxis x 1 1\nsite 0 A\n"
     "site 1 A\nsite 2 B\njump A 1\njump A -1\njump B 1\njump B -1\n", 9,
     "lands on sublattice A from site (line 6) but on B from site (line 7)"},
    {"disconnected: translations", SQ_HEAD "jump A 2 0\njump A -2 0\njump A 0 2\njump A 0 -2\n",
     8, "do not connect the lattice: site (1 0), one cell along x, cannot be reached"},
    {"disconnected: a site", HEAD2("2 1", "1/4", "1") "site 0 0 A\nsite 1 0 A\njump A 2 0\n"
     "jump A -2 0\njump A 0 1\njump A 0 -1\n", 9, "site (1 0) (line 8) cannot be reached"},
    {"dependent axes", "hop-lattice 1\nname a\ndim 2\ncell 1 1\naxis x 1 0 1\naxis y 2 0 1\n"
     "site 0 0 A\n" SQ_JUMPS, 6, "linearly dependent"},
    {"jumps nearest after jump lines", SQ_HEAD "jump A 1 0\njumps nearest\n", 9,
     "exclude each other"},
    {"jump line after jumps nearest", SQ_HEAD "jumps nearest\njump A 1 0\n", 9,
     "exclude each other"},
    {"nearest too far", "hop-lattice 1\nname a\ndim 1\ncell 6\naxis x 1 1\nsite 0 A\n"
     "jumps nearest\n", 7, "component beyond +-5"},
    /* groups and symmetry */
    {"isotropic wrongly claimed", HEAD2("2 2", "1/4", "3/4") "site 0 0 A\nsite 1 1 A\n"
     "jump A 1 1\njump A -1 -1\njump A 1 -1\njump A -1 1\nisotropic yes\n", 13,
     "isotropic yes, but the second moment"},
    {"group: unknown axis", SQ_HEAD SQ_JUMPS "group w\n", 12, "'w' is not an axis"},
    {"group: axis twice", SQ_HEAD SQ_JUMPS "group x\ngroup y x\n", 13,
     "axis x is already in the group of line 12"},
    {"group: axis left out", SQ_HEAD SQ_JUMPS "group x\n", 12, "axis y is in no group"},
    /* names */
    {"built-in name, other lattice", "hop-lattice 1\nname square\ndim 2\ncell 1 1\n"
     "axis x 1 0 1\naxis y 0 1 1\nsite 0 0 A\njump A 0 1\njump A 0 -1\njump A 1 0\n"
     "jump A -1 0\n", 2, "name of a built-in lattice"},
};

/* Checks one failed load: status, "FILE:LINE: " or "FILE: " prefix, the needle, one line. */
static void expect_message(const char *what, hop_status s, const char *msg, const char *path,
                           int line, const char *needle)
{
    char prefix[256];
    if (line > 0)
        snprintf(prefix, sizeof prefix, "%s:%d: ", path, line);
    else
        snprintf(prefix, sizeof prefix, "%s: ", path);
    cr_expect_eq(s, HOP_ERR_INVAL, "%s: status %d (%s)", what, (int)s, msg);
    cr_expect(strncmp(msg, prefix, strlen(prefix)) == 0, "%s: '%s' does not start with '%s'",
              what, msg, prefix);
    cr_expect(strstr(msg, needle) != NULL, "%s: '%s' not in '%s'", what, needle, msg);
    cr_expect(strchr(msg, '\n') == NULL, "%s: more than one line: '%s'", what, msg);
}

Test(lattice_file_errors, every_problem_names_file_and_line, .init = scratch_make,
     .fini = scratch_remove)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; ++i) {
        const bad_case *c = &bad_cases[i];
        const hop_lattice *sentinel = hop_lattice_find("fcc"), *L = sentinel;
        const char *path = put("bad.lat", c->text);
        char msg[512] = "";
        hop_status s = hop_lattice_load(path, &L, msg, sizeof msg);
        expect_message(c->what, s, msg, path, c->line, c->needle);
        cr_expect_eq(L, sentinel, "%s: *out changed on failure", c->what);
    }
}

/* One site, sublattice or jump past HOP_MAX_BASIS, HOP_MAX_SUB, HOP_MAX_Z, each refused
 * on the line that passes it. */
Test(lattice_file_errors, one_past_each_limit, .init = scratch_make, .fini = scratch_remove)
{
    static char text[8192];
    const hop_lattice *L = NULL;
    char msg[512] = "", needle[80];
    size_t n;
    /* HOP_MAX_BASIS + 1 sites, all A, in a 9 x 9 cell (lines 7 ..) */
    n = (size_t)snprintf(text, sizeof text, HEAD2("9 9", "1", "1"));
    for (int b = 0; b <= HOP_MAX_BASIS; ++b)
        n += (size_t)snprintf(text + n, sizeof text - n, "site %d %d A\n", b % 9, b / 9);
    snprintf(needle, sizeof needle, "more than %d sites", HOP_MAX_BASIS);
    expect_message("sites", hop_lattice_load(put("bad.lat", text), &L, msg, sizeof msg), msg,
                   path_of("bad.lat"), 7 + HOP_MAX_BASIS, needle);
    /* HOP_MAX_SUB + 1 labels */
    n = (size_t)snprintf(text, sizeof text, HEAD2("9 9", "1", "1"));
    for (int b = 0; b <= HOP_MAX_SUB; ++b)
        n += (size_t)snprintf(text + n, sizeof text - n, "site %d %d L%d\n", b % 9, b / 9, b);
    snprintf(needle, sizeof needle, "label 'L%d' is one too many (at most %d", HOP_MAX_SUB,
             HOP_MAX_SUB);
    expect_message("labels", hop_lattice_load(put("bad.lat", text), &L, msg, sizeof msg), msg,
                   path_of("bad.lat"), 7 + HOP_MAX_SUB, needle);
    /* HOP_MAX_Z + 1 jumps (lines 8 ..) */
    n = (size_t)snprintf(text, sizeof text, SQ_HEAD);
    for (int k = 0; k <= HOP_MAX_Z; ++k)
        n += (size_t)snprintf(text + n, sizeof text - n, "jump A %d %d\n", k % 7 - 3, k / 7 + 1);
    snprintf(needle, sizeof needle, "more than %d jumps for sublattice A", HOP_MAX_Z);
    expect_message("jumps", hop_lattice_load(put("bad.lat", text), &L, msg, sizeof msg), msg,
                   path_of("bad.lat"), 8 + HOP_MAX_Z, needle);
    cr_expect_null(L);
}

Test(lattice_file_errors, unreadable_files, .init = scratch_make, .fini = scratch_remove)
{
    const hop_lattice *L = NULL;
    char msg[512] = "";
    const char *missing = path_of("missing.lat");
    expect_message("missing file", hop_lattice_load(missing, &L, msg, sizeof msg), msg, missing,
                   0, "cannot open: No such file");
    expect_message("directory", hop_lattice_load(scratch, &L, msg, sizeof msg), msg, scratch, 0,
                   "cannot read");
    cr_expect_null(L);
}

/* A NUL byte ends a line for fgets, which would cut the line short in silence (and
 * read /dev/zero forever): it is refused as not text. */
Test(lattice_file_errors, nul_byte, .init = scratch_make, .fini = scratch_remove)
{
    static const char text[] = "hop-lattice 1\nname a\0b\ndim 1\n";
    const hop_lattice *L = NULL;
    char msg[512] = "";
    const char *path = path_of("nul.lat");
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(text, 1, sizeof text - 1, f), sizeof text - 1);
    cr_assert_eq(fclose(f), 0);
    expect_message("NUL byte", hop_lattice_load(path, &L, msg, sizeof msg), msg, path, 2,
                   "a NUL byte: not a text file");
    expect_message("/dev/zero", hop_lattice_load("/dev/zero", &L, msg, sizeof msg), msg,
                   "/dev/zero", 1, "a NUL byte");
    cr_expect_null(L);
}

/* hop_lattice_parse reads an open stream (here memory) and keeps nothing: the same
 * lattice as hop_lattice_load, and as often as asked. */
Test(lattice_file_roundtrip, parse_from_memory)
{
    static char text[] = SQ_HEAD SQ_JUMPS;
    hop_lattice a, b;
    char msg[512] = "";
    for (int i = 0; i < HOP_LATTICE_FILE_MAX + 2; ++i) {
        FILE *f = fmemopen(text, strlen(text), "r");
        cr_assert_not_null(f);
        cr_assert_eq(hop_lattice_parse(f, "mem", i ? &b : &a, msg, sizeof msg), HOP_OK, "%s", msg);
        fclose(f);
        cr_expect(i == 0 || memcmp(&a, &b, sizeof a) == 0);
    }
    cr_expect_eq(a.z, 4);
    {
        static char bad[] = "hop-lattice 1\nname a\ndim 9\n";
        FILE *f = fmemopen(bad, strlen(bad), "r");
        cr_assert_not_null(f);
        cr_expect_eq(hop_lattice_parse(f, "mem", &b, msg, sizeof msg), HOP_ERR_INVAL);
        fclose(f);
        cr_expect_str_eq(msg, "mem:3: dim: 9 is out of range (1 .. 3)");
    }
}

Test(lattice_file_errors, long_line, .init = scratch_make, .fini = scratch_remove)
{
    char text[1200];
    const hop_lattice *L = NULL;
    char msg[512] = "";
    const char *path;
    memset(text, 'a', sizeof text);
    memcpy(text, "hop-lattice 1\nname ", 19);
    text[sizeof text - 2] = '\n';
    text[sizeof text - 1] = '\0';
    path = put("long.lat", text);
    expect_message("long line", hop_lattice_load(path, &L, msg, sizeof msg), msg, path, 2,
                   "longer than 1000 characters");
}

/* One name, one lattice: a different lattice under a loaded name is refused; the
 * same lattice again is the same pointer. */
Test(lattice_file_errors, one_lattice_per_name, .init = scratch_make, .fini = scratch_remove)
{
    const hop_lattice *first = must_load(put("a.lat", SQ_HEAD SQ_JUMPS)), *L = NULL;
    const char *other = put("b.lat", SQ_HEAD "jump A 0 1\njump A 0 -1\njump A 1 0\njump A -1 0\n");
    char msg[512] = "";
    cr_expect_eq(must_load(put("c.lat", "# same lattice, other file\n" SQ_HEAD SQ_JUMPS)), first);
    expect_message("same name", hop_lattice_load(other, &L, msg, sizeof msg), msg, other, 2,
                   "a different lattice named 'sq2' is already loaded");
}

/* The module keeps HOP_LATTICE_FILE_MAX lattices; one more is HOP_ERR_NOMEM, and the
 * ones it holds can still be loaded again. */
Test(lattice_file_errors, storage_is_bounded, .init = scratch_make, .fini = scratch_remove)
{
    const hop_lattice *kept[HOP_LATTICE_FILE_MAX], *L = NULL;
    char text[512], msg[512] = "";
    const char *path = NULL;
    hop_status s;
    for (int i = 0; i <= HOP_LATTICE_FILE_MAX; ++i) {
        snprintf(text, sizeof text, "hop-lattice 1\nname t%d\ndim 1\ncell 1\naxis x 1 1\n"
                 "site 0 A\njump A 1\njump A -1\n", i);
        path = put("t.lat", text);
        if (i < HOP_LATTICE_FILE_MAX)
            kept[i] = must_load(path);
    }
    s = hop_lattice_load(path, &L, msg, sizeof msg);
    cr_expect_eq(s, HOP_ERR_NOMEM, "status %d (%s)", (int)s, msg);
    cr_expect(strstr(msg, "cannot keep more than 16 lattices") != NULL, "%s", msg);
    cr_expect_null(L);
    snprintf(text, sizeof text, "hop-lattice 1\nname t3\ndim 1\ncell 1\naxis x 1 1\n"
             "site 0 A\njump A 1\njump A -1\n");
    cr_expect_eq(must_load(put("t3.lat", text)), kept[3]);
}

/* ---- command line ---------------------------------------------------------------------- */

/* A bad file is a usage error naming FILE:LINE, and no --json file appears. */
Test(lattice_file_cli, bad_file_is_a_usage_error, .init = scratch_make, .fini = scratch_remove)
{
    char out_dir[64], json[128], needle[256];
    const char *bad = put("bad.lat", SQ_HEAD "jump A 1 0\njump A -1 0\njump A 0 1\n");
    const char *args[] = {"run", "--json", json, "--lattice-file", bad, NULL};
    make_dir(out_dir, sizeof out_dir);
    snprintf(json, sizeof json, "%s/out.json", out_dir);
    snprintf(needle, sizeof needle, "--lattice-file: %s:10: ", bad);
    expect_usage_error(hop_run_args(args), "run", needle);
    cr_expect_eq(count_entries(out_dir), 0, "a file was created");
    remove_dir(out_dir);
}

Test(lattice_file_cli, lattice_and_lattice_file_exclude_each_other)
{
    const char *sh = HOP_SOURCE_DIR "/tests/lattices/sh.lat";
    const char *a[] = {"run", "--lattice", "fcc", "--lattice-file", sh, NULL};
    const char *b[] = {"run", "--lattice-file", sh, "--lattice", "fcc", NULL};
    expect_usage_error(hop_run_args(a), "run", "--lattice and --lattice-file exclude each other");
    expect_usage_error(hop_run_args(b), "run", "--lattice and --lattice-file exclude each other");
}

/* A run and a scan on a file lattice: the name reaches the summary, JSON and CSV. */
Test(lattice_file_cli, run_and_scan_on_a_file, .init = scratch_make, .fini = scratch_remove)
{
    const char *sh = HOP_SOURCE_DIR "/tests/lattices/sh.lat";
    const char *json = path_of("sh.json"), *csv = path_of("sh.csv");
    const char *run[] = {"run", "--lattice-file", sh, "--replicas", "3000", "--backend", "cpu",
                         "--quiet", "--json", json, NULL};
    const char *scan[] = {"scan", "--out", csv, "--lattice-file", sh, "--seed", "1,2,3",
                          "--replicas", "3000", "--backend", "cpu", "--quiet", NULL};
    hop_proc *p = hop_run_args(run);
    char *text, *line;
    cJSON *root, *lattice;
    int rows = 0;
    cr_assert_eq(p->status, 0, "stderr: %s", p->err);
    cr_expect(strstr(p->out, "lattice sh,") != NULL, "summary: %s", p->out);
    text = read_whole_file(json);
    root = cJSON_Parse(text);
    cr_assert_not_null(root);
    lattice = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root,
                                               "parameters"), "lattice");
    if (!lattice)
        lattice = cJSON_GetObjectItemCaseSensitive(root, "lattice");
    cr_expect(cJSON_IsString(lattice) && strcmp(lattice->valuestring, "sh") == 0,
              "JSON lattice: %s", text);
    cJSON_Delete(root);
    free(text);
    p = hop_run_args(scan);
    cr_assert_eq(p->status, 0, "stderr: %s", p->err);
    text = read_whole_file(csv);
    for (line = strstr(text, "\n"); line; line = strstr(line + 1, "\n"))
        rows += strncmp(line + 1, "1,sh,corr,", 10) == 0 || strncmp(line + 1, "2,sh,corr,", 10) == 0
                || strncmp(line + 1, "3,sh,corr,", 10) == 0;
    cr_expect_eq(rows, 3, "CSV:\n%s", text);
    free(text);
}

/* ---- per-jump rates ------------------------------------------------------------------ */

/* sc with the z bonds a million times slower than x and y is the square lattice within
 * its layers: f_x and f_y are square's exact 1/(pi - 1) = 0.46694220 within
 * 4 sqrt(sigma^2 + bias^2) (docs/estimators.md). */
Test(lattice_file_rates, slow_z_bonds_give_the_square_lattice, .timeout = 300)
{
    const hop_lattice *L = must_load(HOP_SOURCE_DIR "/tests/lattices/sc-layered.lat");
    hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_VACANCY, 50000, 23);
    hop_result *r;
    cr_assert_gt(L->rate_total[0], 0);
    cr_assert_eq(L->rate[0][0], UINT64_C(1) << 32, "the largest rate is 2^32");
    cr_assert_eq(L->rate[0][4], (uint64_t)llround(ldexp(1e-6, 32)));
    p.lattice = L;
    p.radius = 128;
    r = hop_test_run(&p);
    for (int g = 0; g < 2; ++g) {
        const hop_estimate *f = &r->f_group[g];
        cr_expect_leq(fabs(f->value - 0.46694220), 4 * sqrt(f->sigma * f->sigma + f->bias * f->bias),
                      "f_%s = %g ± %g (bias %g), square 0.46694220", L->group_name[g], f->value,
                      f->sigma, f->bias);
    }
    hop_result_free(r);
}

/* Equal rates written out are the equal-rate model: sc's f (statistically; the
 * residence-time choice draws other words than the uniform one). */
Test(lattice_file_rates, equal_rates_give_sc, .init = scratch_make, .fini = scratch_remove)
{
    const char *text = "hop-lattice 1\nname sc-rated\ndim 3\ncell 1 1 1\naxis x 1 0 0 1\n"
                       "axis y 0 1 0 1\naxis z 0 0 1 1\nsite 0 0 0 A\n"
                       "jump A 1 0 0 rate 3\njump A -1 0 0 rate 3\njump A 0 1 0 rate 3\n"
                       "jump A 0 -1 0 rate 3\njump A 0 0 1 rate 3\njump A 0 0 -1 rate 3\n";
    const hop_lattice *L = must_load(put("rated.lat", text));
    hop_result *r = run_corr(L, 100000, 29);
    cr_expect_leq(fabs(r->f.value - 0.65310884), 4 * sqrt(r->f.sigma * r->f.sigma + r->f.bias * r->f.bias),
                  "f = %g ± %g, sc 0.65310884", r->f.value, r->f.sigma);
    {   /* the exact solver with the file's rates gives sc's f */
        const hop_exact_result x = hop_test_exact(L, NULL);
        cr_expect_leq(fabs(x.f.value - 0.65310884), 1e-6, "exact f %.8f", x.f.value);
        hop_test_expect_exact("sc-rated", &r->f, &x.f);
    }
    hop_result_free(r);
}

/* Rates survive writing: the written file loads back to the very same table. */
Test(lattice_file_rates, rates_round_trip, .init = scratch_make, .fini = scratch_remove)
{
    const hop_lattice *L = must_load(HOP_SOURCE_DIR "/tests/lattices/sc-layered.lat");
    const hop_lattice *back = must_load(write_lattice("layered.lat", L));
    cr_assert(back == L, "loading the written lattice gave another table");
}

/* The msd estimator on the residence-time clock (time in 1/omega, omega the largest
 * rate) and the corr estimator agree on sc with z bonds four times slower, scalar and
 * per component, within 4 combined standard errors plus both bias bounds. */
Test(lattice_file_rates, msd_clock_agrees_with_corr, .init = scratch_make,
     .fini = scratch_remove, .timeout = 300)
{
    const char *text = "hop-lattice 1\nname sc-aniso\ndim 3\ncell 1 1 1\naxis x 1 0 0 1\n"
                       "axis y 0 1 0 1\naxis z 0 0 1 1\nsite 0 0 0 A\n"
                       "jump A 1 0 0 rate 1\njump A -1 0 0 rate 1\njump A 0 1 0 rate 1\n"
                       "jump A 0 -1 0 rate 1\njump A 0 0 1 rate 1/4\njump A 0 0 -1 rate 1/4\n";
    const hop_lattice *L = must_load(put("aniso.lat", text));
    hop_params p = hop_test_params("fcc", HOP_EST_MSD, HOP_MODEL_VACANCY, 4000, 31);
    hop_result *msd, *corr = run_corr(L, 100000, 37);
    p.lattice = L;
    msd = hop_test_run(&p);
    for (int g = -1; g < msd->n_groups; ++g) {
        const hop_estimate *a = g < 0 ? &msd->f : &msd->f_group[g];
        const hop_estimate *b = g < 0 ? &corr->f : &corr->f_group[g];
        const double tol = 4 * sqrt(a->sigma * a->sigma + b->sigma * b->sigma) + a->bias + b->bias;
        cr_expect_leq(fabs(a->value - b->value), tol, "component %d: msd %g ± %g (bias %g), "
                      "corr %g ± %g", g, a->value, a->sigma, a->bias, b->value, b->sigma);
    }
    {   /* both, per component, against the exact solver with the file's rates */
        const hop_exact_result x = hop_test_exact(L, NULL);
        hop_estimate m;
        for (int g = 0; g < msd->n_groups; ++g) {
            m = msd->f_group[g];
            m.bias = isnan(m.bias) ? 0 : m.bias;
            hop_test_expect_exact("sc-aniso corr f_g", &corr->f_group[g], &x.f_group[g]);
            hop_test_expect_exact("sc-aniso msd f_g", &m, &x.f_group[g]);
        }
        cr_expect_gt(x.f_group[2].value, x.f_group[0].value + 0.1, "exact f_z %.6f, f_x %.6f",
                     x.f_group[2].value, x.f_group[0].value);
    }
    cr_expect_gt(corr->f_group[2].value, corr->f_group[0].value + 0.1,
                 "slow z bonds: f_z %g should exceed f_x %g", corr->f_group[2].value,
                 corr->f_group[0].value);
    hop_result_free(msd);
    hop_result_free(corr);
}

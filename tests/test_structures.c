/* test_structures.c: scripts/lattice-from-structure, the converter from crystal structure
 * files (CIF, POSCAR) to hop lattice files (version 2), on the structures shipped in
 * tests/structures/.  Each converts; the lattice it writes has the sites, sublattices,
 * coordination z, jump classes, multiplicities and jump lengths derived by hand for that
 * crystal (lengths recomputed here from the file's own axis rows, so the metric and the
 * jump vectors are checked together, not just the comments); every refusal is one line,
 * exit 2, nothing written; the conversion gives the same bytes twice.  The last cases
 * run hop on the converted files (diamond's f = 1/2 exactly, hcp's tensor whatever c/a);
 * they skip with a message until hop reads version-2 files (branch lattices).  Without
 * ASE and spglib in Debian's python3 every case skips (scripts/setup installs them). */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "dir_helper.h"
#include "json_helper.h"

#define CONVERTER HOP_SOURCE_DIR "/scripts/lattice-from-structure"
#define STRUCTURES HOP_SOURCE_DIR "/tests/structures/"
#define MAX_LINES 4096

/* Exit status of a shell command. */
static int run(const char *cmd)
{
    int status = system(cmd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void need_ase_and_spglib(void)
{
    if (run("/usr/bin/python3 -c 'import ase, spglib' > /dev/null 2>&1") != 0)
        cr_skip_test("/usr/bin/python3 lacks ase or spglib (scripts/setup installs "
                     "python3-ase and python3-spglib): lattice-from-structure not checked");
}

/* Runs the converter with `args` in a fresh dir; its stdout is dir/out.lat and its stderr
 * dir/err.txt.  Returns the exit status. */
static int convert(char *dir, size_t n, const char *args)
{
    char cmd[2048];
    make_dir(dir, n);
    snprintf(cmd, sizeof cmd, "cd %s && %s %s > out.lat 2> err.txt", dir, CONVERTER, args);
    return run(cmd);
}

static char *dir_file(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return read_whole_file(path);
}

/* --- the converted lattice, read back ------------------------------------------ */

typedef struct {
    char name[16];
    double length_comment;   /* "length L a" in its comment */
    int per_site;            /* "N per site" in its comment; -1 when per sublattice */
    double length_min, length_max;  /* of its jump lines, from the axis rows */
    int jumps;               /* jump lines in it, all sublattices */
} lattice_class;

typedef struct {
    int sites, sublattices, classes, z;   /* z: the largest coordination */
    int uniform;             /* every sublattice has z jumps */
    int cell[3];
    int c[3][3];             /* axis rows */
    double w[3];             /* axis weights */
    char sub[16][16];
    int sub_jumps[16];
    lattice_class cls[8];
} lattice_summary;

/* A weight "P/Q", "P" or a decimal. */
static double weight(const char *s)
{
    long p, q;
    if (strchr(s, '/') && sscanf(s, "%ld/%ld", &p, &q) == 2)
        return (double)p / (double)q;
    return strtod(s, NULL);
}

static int find_sub(lattice_summary *l, const char *label)
{
    for (int i = 0; i < l->sublattices; ++i)
        if (strcmp(l->sub[i], label) == 0)
            return i;
    return -1;
}

static lattice_class *find_class(lattice_summary *l, const char *name)
{
    for (int i = 0; i < l->classes; ++i)
        if (strcmp(l->cls[i].name, name) == 0)
            return &l->cls[i];
    return NULL;
}

/* Length in a of a jump vector v, from the axis rows: sqrt(sum_X W_X (C_X . v)^2). */
static double jump_length(const lattice_summary *l, const int v[3])
{
    double sum = 0;
    for (int x = 0; x < 3; ++x) {
        double dot = l->c[x][0] * v[0] + l->c[x][1] * v[1] + l->c[x][2] * v[2];
        sum += l->w[x] * dot * dot;
    }
    return sqrt(sum);
}

static void read_axis(lattice_summary *l, const char *line)
{
    char axis, w[64];
    int c[3];
    cr_assert_eq(sscanf(line, "axis %c %d %d %d %63s", &axis, &c[0], &c[1], &c[2], w), 5,
                 "%s", line);
    cr_assert(axis >= 'x' && axis <= 'z', "%s", line);
    memcpy(l->c[axis - 'x'], c, sizeof c);
    l->w[axis - 'x'] = weight(w);
}

static void read_site(lattice_summary *l, const char *line)
{
    char label[16];
    int v[3];
    cr_assert_eq(sscanf(line, "site %d %d %d %15s", &v[0], &v[1], &v[2], label), 4, "%s", line);
    for (int a = 0; a < 3; ++a)
        cr_assert(v[a] >= 0 && v[a] < l->cell[a], "site outside the cell: %s", line);
    if (find_sub(l, label) < 0) {
        cr_assert_lt(l->sublattices, 16);
        strcpy(l->sub[l->sublattices++], label);
    }
    ++l->sites;
}

static void read_class(lattice_summary *l, const char *line)
{
    lattice_class *c = &l->cls[l->classes];
    const char *len = strstr(line, "# length "), *per = strstr(line, " per site");
    cr_assert_lt(l->classes, 8);
    cr_assert_eq(sscanf(line, "class %15s", c->name), 1, "%s", line);
    cr_assert(len && sscanf(len, "# length %lf a", &c->length_comment) == 1, "%s", line);
    c->per_site = -1;
    if (per) {
        while (per > line && per[-1] != ' ')
            --per;
        c->per_site = atoi(per);
    }
    c->length_min = INFINITY;
    c->length_max = 0;
    ++l->classes;
}

static void read_jump(lattice_summary *l, const char *line)
{
    char label[16], name[16];
    int v[3], s;
    lattice_class *c;
    double len;
    cr_assert_eq(sscanf(line, "jump %15s %d %d %d %15s", label, &v[0], &v[1], &v[2], name), 5,
                 "every jump names its class: %s", line);
    s = find_sub(l, label);
    c = find_class(l, name);
    cr_assert(s >= 0 && c, "jump of an unknown sublattice or class: %s", line);
    len = jump_length(l, v);
    c->length_min = fmin(c->length_min, len);
    c->length_max = fmax(c->length_max, len);
    ++c->jumps;
    ++l->sub_jumps[s];
}

/* The converter's output text, read line by line. */
static void summarise(const char *text, lattice_summary *l)
{
    char *copy = strdup(text), *save = NULL;
    memset(l, 0, sizeof *l);
    cr_assert(strncmp(text, "hop-lattice 2\n", 14) == 0, "not a version-2 lattice file:\n%s", text);
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "cell ", 5) == 0)
            cr_assert_eq(sscanf(line, "cell %d %d %d", &l->cell[0], &l->cell[1], &l->cell[2]), 3);
        else if (strncmp(line, "axis ", 5) == 0)
            read_axis(l, line);
        else if (strncmp(line, "site ", 5) == 0)
            read_site(l, line);
        else if (strncmp(line, "class ", 6) == 0)
            read_class(l, line);
        else if (strncmp(line, "jump ", 5) == 0)
            read_jump(l, line);
    }
    free(copy);
    l->z = 0;
    for (int s = 0; s < l->sublattices; ++s)
        l->z = l->sub_jumps[s] > l->z ? l->sub_jumps[s] : l->z;
    l->uniform = 1;
    for (int s = 0; s < l->sublattices; ++s)
        l->uniform &= l->sub_jumps[s] == l->z;
}

/* Class `name` has jumps of length `len` (in a, within rel) on every line and in its
 * comment, and `per_site` of them from every site. */
static void assert_class(lattice_summary *l, const char *name, double len, double rel,
                         int per_site)
{
    lattice_class *c = find_class(l, name);
    cr_assert_not_null(c, "no class %s", name);
    cr_assert(fabs(c->length_min - len) <= rel * len && fabs(c->length_max - len) <= rel * len,
              "class %s: jump lengths %.9f .. %.9f a, expected %.9f", name, c->length_min,
              c->length_max, len);
    cr_assert(fabs(c->length_comment - len) <= 1e-6 + rel * len, "class %s: comment says %.6f a",
              name, c->length_comment);
    cr_assert_eq(c->per_site, per_site, "class %s: %d per site", name, c->per_site);
    cr_assert_eq(c->jumps, per_site * l->sublattices, "class %s: %d jump lines", name, c->jumps);
}

/* The counts every lattice of one coordination is first checked by. */
static void assert_shape(const lattice_summary *l, int sites, int sublattices, int z, int classes)
{
    for (int s = 0; s < l->sublattices; ++s)
        cr_assert_eq(l->sub_jumps[s], l->z, "sublattice %s has %d jumps, another %d",
                     l->sub[s], l->sub_jumps[s], l->z);
    cr_assert_eq(l->sites, sites, "%d sites per cell, expected %d", l->sites, sites);
    cr_assert_eq(l->sublattices, sublattices, "%d sublattices, expected %d", l->sublattices,
                 sublattices);
    cr_assert_eq(l->z, z, "z = %d, expected %d", l->z, z);
    cr_assert_eq(l->classes, classes, "%d classes, expected %d", l->classes, classes);
}

/* Converts tests/structures/FILE with `options` and summarises what it wrote. */
static void convert_shipped(const char *file, const char *options, lattice_summary *l)
{
    char dir[64], args[512], *out;
    need_ase_and_spglib();
    snprintf(args, sizeof args, "%s%s %s", STRUCTURES, file, options);
    cr_assert_eq(convert(dir, sizeof dir, args), 0, "%s: %s", args, dir_file(dir, "err.txt"));
    out = dir_file(dir, "out.lat");
    summarise(out, l);
    free(out);
    remove_dir(dir);
}

Test(structures, perovskite_oxygen_is_three_sublattices_with_z_8)
{
    lattice_summary l;
    convert_shipped("SrTiO3.cif", "--species O --shells 1", &l);
    /* O on 3c: (1/2,1/2,0) and its two rotations, each a sublattice of its own: the
     * 8 O neighbours at a/sqrt2 lie in the two planes that contain the site's Ti-O-Ti
     * axis, which is z for this site and x or y for the other two */
    assert_shape(&l, 3, 3, 8, 1);
    assert_class(&l, "nn", sqrt(0.5), 1e-12, 8);
}

Test(structures, magnesium_hcp_has_basal_and_c_classes)
{
    const double a = 3.209, c = 5.211, ca = c / a;
    lattice_summary l;
    convert_shipped("Mg.vasp", "--species Mg --shells 2", &l);
    /* hcp's two sites (1/3,2/3,1/4), (2/3,1/3,3/4): their c-class jumps point in
     * opposite senses, so two sublattices; 6 in-plane neighbours at a and 6 out of the
     * plane at sqrt(a^2/3 + c^2/4) (shorter than a for c/a < sqrt(8/3)) */
    assert_shape(&l, 2, 2, 12, 2);
    assert_class(&l, "basal", 1.0, 1e-12, 6);
    /* (c/a)^2 is rounded to hop's common denominator (about 10^8) */
    assert_class(&l, "c", sqrt(1.0 / 3.0 + ca * ca / 4.0), 1e-7, 6);
}

Test(structures, magnesium_by_cutoff_is_magnesium_by_shells)
{
    char dir[64], *shells, *cutoff;
    need_ase_and_spglib();
    /* 3.3 Angstrom lies between the second shell (a = 3.209) and the third (a sqrt2) */
    cr_assert_eq(convert(dir, sizeof dir, STRUCTURES "Mg.vasp --species Mg --shells 2"), 0);
    shells = dir_file(dir, "out.lat");
    remove_dir(dir);
    cr_assert_eq(convert(dir, sizeof dir, STRUCTURES "Mg.vasp --species Mg --cutoff 3.3"), 0);
    cutoff = dir_file(dir, "out.lat");
    remove_dir(dir);
    /* the same file but for the second line, which records the options */
    cr_assert_str_eq(strchr(strchr(shells, '\n') + 1, '\n'), strchr(strchr(cutoff, '\n') + 1, '\n'));
    free(shells);
    free(cutoff);
}

Test(structures, spinel_magnesium_is_diamond)
{
    lattice_summary l;
    convert_shipped("MgAl2O4-spinel.vasp", "--species Mg --shells 1", &l);
    /* Mg on 8a forms a diamond lattice: 8 sites in the cubic cell, two fcc sublattices
     * whose 4 jumps point along opposite <111> tetrahedra, length sqrt3/4 a */
    assert_shape(&l, 8, 2, 4, 1);
    assert_class(&l, "nn", sqrt(3.0) / 4.0, 1e-12, 4);
}

Test(structures, spinel_aluminium_is_pyrochlore)
{
    lattice_summary l;
    convert_shipped("MgAl2O4-spinel.vasp", "--species Al --shells 1", &l);
    /* Al on 16d: corner-sharing tetrahedra, the pyrochlore lattice; each site's 6
     * neighbours are the other corners of its two tetrahedra, at +- the three <110>
     * edges from its corner, which differ from corner to corner: four sublattices of
     * 4 sites each; length sqrt2/4 a */
    assert_shape(&l, 16, 4, 6, 1);
    assert_class(&l, "nn", sqrt(2.0) / 4.0, 1e-12, 6);
}

Test(structures, rutile_titanium_is_tetragonal_with_two_classes)
{
    const double ca = 2.958682 / 4.593659;
    lattice_summary l;
    convert_shipped("TiO2-rutile.cif", "--species Ti --shells 2", &l);
    /* Ti on 2a: (0,0,0) and (1/2,1/2,1/2), one orbit whose sites have the same Ti
     * neighbours (their O octahedra are rotated, their Ti-Ti vectors are not): one
     * sublattice.  2 neighbours along c, then the 8 at (+-a/2, +-a/2, +-c/2) */
    assert_shape(&l, 2, 1, 10, 2);
    assert_class(&l, "nn", ca, 1e-6, 2);
    assert_class(&l, "nnn", sqrt(0.5 + ca * ca / 4.0), 1e-6, 8);
}

/* Two runs, one to stdout and one with -o, write the same bytes. */
Test(structures, fcc_interstitial_network_has_z_8_and_4)
{
    lattice_summary l;
    int o, t1, t2;
    convert_shipped("CuH3-interstitial.vasp", "--species H --shells 1", &l);
    /* H on fcc's octahedral (4b) and tetrahedral (8c) sites: each octahedral site's
     * nearest H are its 8 tetrahedral neighbours at sqrt3/4 a (the next octahedral ones
     * are a/sqrt2 away, tetrahedral ones a/2), each tetrahedral site's its 4 octahedral
     * ones; the tetrahedral orbit splits by the sense of its tetrahedron of jumps into
     * two sublattices of 4 sites, so z = 8, 4, 4 and 4 x 8 + 8 x 4 directed jumps of one
     * class per cell */
    cr_assert_eq(l.sites, 12);
    cr_assert_eq(l.sublattices, 3);
    cr_assert_eq(l.classes, 1);
    cr_assert(!l.uniform);
    o = find_sub(&l, "H1"), t1 = find_sub(&l, "H2"), t2 = find_sub(&l, "H3");
    cr_assert(o >= 0 && t1 >= 0 && t2 >= 0);
    cr_assert_eq(l.sub_jumps[o], 8);
    cr_assert_eq(l.sub_jumps[t1], 4);
    cr_assert_eq(l.sub_jumps[t2], 4);
    cr_assert_eq(l.cls[0].per_site, -1, "the class comment gives the count per sublattice");
    cr_assert(fabs(l.cls[0].length_min - sqrt(3.0) / 4.0) < 1e-12
              && fabs(l.cls[0].length_max - sqrt(3.0) / 4.0) < 1e-12);
}

Test(structures, coordination_that_differs_between_sites_is_kept)
{
    /* a cubic cell of 4 Angstrom with sites at (0,0,0), (1/2,0,0), (0,1/2,0), (0,0,1/2)
     * (the network of ReO3's Re and O together): the corner has 6 neighbours at 2
     * Angstrom, each edge site 2; four sublattices with 6, 2, 2, 2 jumps */
    char dir[64], path[128], cmd[512], *out;
    lattice_summary l;
    FILE *f;
    need_ase_and_spglib();
    make_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/in.vasp", dir);
    cr_assert_not_null(f = fopen(path, "w"));
    fputs("corners and edges\n1.0\n4 0 0\n0 4 0\n0 0 4\nCu\n4\nDirect\n"
          "0 0 0\n0.5 0 0\n0 0.5 0\n0 0 0.5\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "cd %s && %s in.vasp --species Cu --shells 1 > out.lat "
             "2> err.txt", dir, CONVERTER);
    cr_assert_eq(run(cmd), 0, "%s", dir_file(dir, "err.txt"));
    out = dir_file(dir, "out.lat");
    summarise(out, &l);
    cr_assert(strstr(out, "coordination 6 (Cu1), 2 (Cu2), 2 (Cu3), 2 (Cu4)"), "%s", out);
    free(out);
    cr_assert_eq(l.sites, 4);
    cr_assert_eq(l.sublattices, 4);
    cr_assert_eq(l.z, 6);
    cr_assert_eq(l.sub_jumps[0] + l.sub_jumps[1] + l.sub_jumps[2] + l.sub_jumps[3], 12);
    cr_assert(!l.uniform);
    remove_dir(dir);
}

Test(structures, conversion_is_deterministic_and_o_writes_stdout)
{
    static const char *const cases[] = {
        "SrTiO3.cif --species O --shells 1", "Mg.vasp --species Mg --shells 2",
        "MgAl2O4-spinel.vasp --species Mg --shells 1", "TiO2-rutile.cif --species Ti --shells 2",
        "TiO2-rutile.cif --species O --cutoff 3 --tolerance 0.05",  /* x rounded */
    };
    need_ase_and_spglib();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        char dir[64], cmd[1024], *first, *written;
        snprintf(cmd, sizeof cmd, "%s%s", STRUCTURES, cases[i]);
        cr_assert_eq(convert(dir, sizeof dir, cmd), 0, "%s", cmd);
        first = dir_file(dir, "out.lat");
        snprintf(cmd, sizeof cmd, "%s %s%s -o %s/o.lat", CONVERTER, STRUCTURES, cases[i], dir);
        cr_assert_eq(run(cmd), 0, "%s", cmd);
        written = dir_file(dir, "o.lat");
        cr_assert_str_eq(first, written, "%s: the two runs differ", cases[i]);
        free(first);
        free(written);
        remove_dir(dir);
    }
}

/* --- refusals ------------------------------------------------------------------ */

/* The converter run in dir with `args` (a structure file `input` written there first
 * when not NULL) exits 2 with one line on stderr that contains `says`, prints nothing on
 * stdout and writes no -o file. */
static void assert_refused(const char *input, const char *args, const char *says)
{
    char dir[64], cmd[2048], *err, *out;
    FILE *f;
    struct stat st;
    char path[128];
    need_ase_and_spglib();
    make_dir(dir, sizeof dir);
    if (input) {
        snprintf(path, sizeof path, "%s/in.vasp", dir);
        f = fopen(path, "w");
        cr_assert_not_null(f);
        fputs(input, f);
        fclose(f);
    }
    snprintf(cmd, sizeof cmd, "cd %s && %s %s -o o.lat > out.lat 2> err.txt", dir, CONVERTER, args);
    cr_assert_eq(run(cmd), 2, "%s", cmd);
    err = dir_file(dir, "err.txt");
    out = dir_file(dir, "out.lat");
    cr_assert(strncmp(err, "lattice-from-structure: error: ", 31) == 0, "%s: %s", args, err);
    cr_assert(strchr(err, '\n') == err + strlen(err) - 1, "%s: not one line: %s", args, err);
    cr_assert_not_null(strstr(err, says), "%s: '%s' does not say '%s'", args, err, says);
    cr_assert_str_empty(out, "%s printed %s", args, out);
    snprintf(path, sizeof path, "%s/o.lat", dir);
    cr_assert_neq(stat(path, &st), 0, "%s wrote o.lat", args);
    cr_assert_eq(count_entries(dir), input ? 3 : 2, "%s left a file behind in %s", args, dir);
    free(err);
    free(out);
    remove_dir(dir);
}

Test(structures_refused, unreadable_files)
{
    assert_refused(NULL, "missing.cif --species O --shells 1", "cannot read missing.cif");
    assert_refused("not a structure\n", "in.vasp --species O --shells 1", "cannot read in.vasp");
}

Test(structures_refused, an_unwritable_output)
{
    char dir[64], *err, *out;
    need_ase_and_spglib();
    cr_assert_eq(convert(dir, sizeof dir, STRUCTURES "Mg.vasp --species Mg --shells 2 "
                         "-o missing/x.lat"), 2);
    err = dir_file(dir, "err.txt");
    out = dir_file(dir, "out.lat");
    cr_assert(strncmp(err, "lattice-from-structure: error: cannot write missing/x.lat", 57) == 0
              && strchr(err, '\n') == err + strlen(err) - 1, "%s", err);
    cr_assert_str_empty(out);
    cr_assert_eq(count_entries(dir), 2, "a temporary file was left in %s", dir);
    free(err);
    free(out);
    remove_dir(dir);
}

Test(structures_refused, unknown_species_lists_those_present)
{
    assert_refused(NULL, STRUCTURES "SrTiO3.cif --species Mg --shells 1",
                   "no species Mg in the structure; it has O, Sr, Ti");
}

Test(structures_refused, usage_errors)
{
    assert_refused(NULL, STRUCTURES "Mg.vasp --species Mg", "--cutoff --shells");
    assert_refused(NULL, STRUCTURES "Mg.vasp --species Mg --shells 1 --cutoff 3", "not allowed");
    assert_refused(NULL, STRUCTURES "Mg.vasp --species Mg --cutoff -1", "--cutoff");
    assert_refused(NULL, STRUCTURES "Mg.vasp --species Mg --shells 0", "--shells");
}


Test(structures_refused, shells_that_are_not_mutual)
{
    /* three sites on a line with gaps of 3, 4 and 5 Angstrom (b and c far larger): each
     * has one nearest neighbour, but the third's (4 Angstrom away) is the second, whose
     * own nearest is the first (3 Angstrom) */
    assert_refused("gaps 3 4 5\n1.0\n12 0 0\n0 20 0\n0 0 21\nCu\n3\nDirect\n"
                   "0 0 0\n0.25 0 0\n0.583333 0 0\n",
                   "in.vasp --species Cu --shells 1", "the jumps are not mutual");
}

Test(structures_refused, more_jumps_than_hop_takes)
{
    /* hcp within 6 Angstrom: 12 + 6 + 2 + 18 + ... neighbours */
    assert_refused(NULL, STRUCTURES "Mg.vasp --species Mg --cutoff 6", "hop takes at most 24");
}

Test(structures_refused, jumps_longer_than_hop_takes_on_a_fine_grid)
{
    /* rutile's oxygen on the 18 x 18 x 2 grid of --tolerance 0.01: a jump of 7 grid
     * points, past hop's bound of 5 (--tolerance 0.05 gives a 10-point grid that loads) */
    assert_refused(NULL, STRUCTURES "TiO2-rutile.cif --species O --shells 2",
                   "a larger --tolerance");
}

Test(structures_refused, a_disconnected_jump_network)
{
    /* rutile's nearest Ti neighbours are along c only: separate chains */
    assert_refused(NULL, STRUCTURES "TiO2-rutile.cif --species Ti --shells 1", "disconnected");
}

/* A triclinic cell of about 10 Angstrom edges with n atoms of Cu at positions from
 * irrational multiples of i, i^2 and i^3 (linear ones alone would have a centre of
 * inversion), so that spglib finds P1 and every atom is an orbit of its own. */
static char *p1_structure(int n)
{
    size_t cap = 256 + 64 * (size_t)n, used;
    char *s = malloc(cap);
    cr_assert_not_null(s);
    used = (size_t)snprintf(s, cap, "P1 Cu\n1.0\n10 0 0\n0.7 10.3 0\n1.1 0.9 10.6\nCu\n%d\nDirect\n", n);
    for (int i = 1; i <= n; ++i)
        used += (size_t)snprintf(s + used, cap - used, "%.6f %.6f %.6f\n",
                                 fmod(i * i * 0.6180339887, 1.0), fmod(i * 0.4142135624, 1.0),
                                 fmod((double)i * i * i * 0.7320508076, 1.0));
    return s;
}

Test(structures_refused, more_sites_or_sublattices_than_hop_takes)
{
    char *many = p1_structure(65), *seventeen = p1_structure(17);
    assert_refused(many, "in.vasp --species Cu --shells 1", "hop takes at most 64");
    assert_refused(seventeen, "in.vasp --species Cu --shells 1", "hop takes at most 16");
    free(many);
    free(seventeen);
}

/* --- hop on the converted files (once hop reads version 2) ----------------------- */

/* Skips unless `hop run --lattice-file` accepts a small version-2 file. */
static void need_hop_v2(void)
{
    char dir[64], cmd[1024];
    FILE *f;
    make_dir(dir, sizeof dir);
    snprintf(cmd, sizeof cmd, "%s/probe.lat", dir);
    f = fopen(cmd, "w");
    cr_assert_not_null(f);
    fputs("hop-lattice 2\nname probe\ndim 3\ncell 1 1 1\naxis x 1 0 0 1\naxis y 0 1 0 1\n"
          "axis z 0 0 1 1\nsite 0 0 0 A\nclass nn\njumps nearest nn\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s run --lattice-file %s/probe.lat --replicas 2000 --threads 1 "
             "--quiet > /dev/null 2>&1", HOP_BINARY, dir);
    if (run(cmd) != 0) {
        remove_dir(dir);
        cr_skip_test("hop does not read version-2 lattice files yet (branch lattices): the "
                     "converted lattices are not run");
    }
    remove_dir(dir);
}


/* --- every file the converter writes, hop reads --------------------------------- */

/* A tetragonal cell (I4/mmm, a = 6, c = 2.93 Angstrom) with Cu on 8i (1/3,0,0): the
 * sites lie on a 6 x 6 x 2 grid, so the weights are 1/36, 1/36 and (c/a)^2/4, whose
 * 7-digit decimal (denominator 10^8) beside 1/36 made the common denominator 9 x 10^8,
 * past hop's 2^27. */
static const char tetragonal_36[] =
    "Cu on 8i of I4/mmm\n1.0\n6 0 0\n0 6 0\n0 0 2.93\nCu\n8\nDirect\n"
    "0.333333333333 0 0\n0.666666666667 0 0\n0 0.333333333333 0\n0 0.666666666667 0\n"
    "0.833333333333 0.5 0.5\n0.166666666667 0.5 0.5\n0.5 0.833333333333 0.5\n"
    "0.5 0.166666666667 0.5\n";

/* A monoclinic cell (C2/m, a = 2.6, b = 2.9, c = 3.1 Angstrom, beta = 101.3 degrees):
 * its rows are approximated, and were written with entries such as 500, which hop
 * refuses (at most 64). */
static const char monoclinic[] =
    "Cu, C2/m\n1.0\n2.6 0 0\n0 2.9 0\n-0.6074330471518039 0 3.0399054414945006\nCu\n1\n"
    "Direct\n0 0 0\n";

/* The largest relative error of a jump length the "# metric:" comment states (0 when
 * it says the metric is exact). */
static double stated_length_error(const char *text)
{
    const char *metric = strstr(text, "\n# metric: "), *end, *err;
    double e;
    cr_assert_not_null(metric, "no metric comment:\n%s", text);
    end = strchr(metric + 1, '\n');
    err = strstr(metric, "of a jump length ");
    if (!err || err > end)
        return 0;
    cr_assert_eq(sscanf(err, "of a jump length %lf", &e), 1);
    return e;
}

/* Converts `args` in a fresh dir (with in.vasp written there from `input` unless NULL),
 * then runs hop on what it wrote: a short msd run, which takes polar sites too.  Both
 * must succeed; the error the file states for its jump lengths must be at most
 * max_error, and every class's jump lengths, computed from the written rows and weights,
 * must be its comment's (the structure's) within that error and the comment's 6
 * decimals. */
static void assert_hop_reads(const char *input, const char *args, double max_error)
{
    char dir[64], path[128], cmd[2048], *out;
    lattice_summary l;
    double stated;
    FILE *f;
    make_dir(dir, sizeof dir);
    if (input) {
        snprintf(path, sizeof path, "%s/in.vasp", dir);
        cr_assert_not_null(f = fopen(path, "w"));
        fputs(input, f);
        fclose(f);
    }
    snprintf(cmd, sizeof cmd, "cd %s && %s %s -o x.lat 2> err.txt", dir, CONVERTER, args);
    cr_assert_eq(run(cmd), 0, "%s: %s", args, dir_file(dir, "err.txt"));
    out = dir_file(dir, "x.lat");
    summarise(out, &l);
    stated = stated_length_error(out);
    cr_assert_leq(stated, max_error, "%s: the metric's stated error %g exceeds %g", args, stated,
                  max_error);
    for (int c = 0; c < l.classes; ++c) {
        const lattice_class *k = &l.cls[c];
        const double tol = 5e-7 + 1e-9 + stated * k->length_comment;
        cr_assert(fabs(k->length_min - k->length_comment) <= tol
                  && fabs(k->length_max - k->length_comment) <= tol,
                  "%s: class %s: lengths %.9f .. %.9f a from the rows, %.6f a in its comment",
                  args, k->name, k->length_min, k->length_max, k->length_comment);
    }
    free(out);
    snprintf(cmd, sizeof cmd, "cd %s && %s run --lattice-file x.lat --estimator msd --replicas 400 "
             "--times 8 --threads 1 --quiet > /dev/null 2> err.txt", dir, HOP_BINARY);
    cr_assert_eq(run(cmd), 0, "hop refuses what `%s` wrote: %s", args, dir_file(dir, "err.txt"));
    remove_dir(dir);
}

/* hcp metals with their real c/a: the weight (c/a)^2 is no small fraction, and its
 * 7-digit decimal (denominator 10^7) times the third shell's longest squared jump
 * exceeded hop's 2^27 (Zn, Ti, Cd, Mg with --shells 3). */
Test(structures_hop, hcp_metals_with_real_c_over_a_are_read, .timeout = 240)
{
    static const char *const cases[] = {
        "Zn.vasp --species Zn --shells 2", "Zn.vasp --species Zn --shells 3",
        "Ti.vasp --species Ti --shells 1", "Ti.vasp --species Ti --shells 2",
        "Ti.vasp --species Ti --shells 3", "Cd.vasp --species Cd --shells 2",
        "Cd.vasp --species Cd --shells 3", "Mg.vasp --species Mg --shells 3",
    };
    need_ase_and_spglib();
    need_hop_v2();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        char args[512];
        snprintf(args, sizeof args, "%s%s", STRUCTURES, cases[i]);
        assert_hop_reads(NULL, args, 1e-7);
    }
}

/* hcp's octahedral-tetrahedral network (its z grid of 8 points makes the weight
 * (c/a)^2/64, a decimal of 8 digits beside 1/36 and 1/12: denominator 9 x 10^8), a
 * tetragonal cell with 1/36 beside a decimal, and a monoclinic cell (approximated
 * rows, within hop's 64 now). */
Test(structures_hop, interstitial_tetragonal_and_monoclinic_files_are_read, .timeout = 240)
{
    need_ase_and_spglib();
    need_hop_v2();
    assert_hop_reads(NULL, STRUCTURES "TiH3-interstitial.vasp --species H --shells 2", 1e-7);
    assert_hop_reads(NULL, STRUCTURES "TiH3-interstitial.vasp --species H --cutoff 2", 1e-7);
    assert_hop_reads(tetragonal_36, "in.vasp --species Cu --shells 3", 1e-7);
    assert_hop_reads(monoclinic, "in.vasp --species Cu --shells 3", 1e-3);
}

typedef struct {
    double value, sigma, bias;
} estimate;

static estimate get_estimate(cJSON *results, const char *key)
{
    cJSON *e = cJSON_GetObjectItemCaseSensitive(results, key);
    estimate r;
    cr_assert_not_null(e, "no results.%s", key);
    r.value = cJSON_GetObjectItemCaseSensitive(e, "value")->valuedouble;
    r.sigma = cJSON_GetObjectItemCaseSensitive(e, "stderr")->valuedouble;
    r.bias = cJSON_GetObjectItemCaseSensitive(e, "bias_bound")->valuedouble;
    return r;
}

/* `hop run` on `lattice` (a --lattice-file path or "--lattice NAME") with seed `seed`;
 * returns its JSON results (the caller deletes them). */
static cJSON *hop_results(const char *dir, const char *lattice, int seed)
{
    char cmd[2048], json[128];
    snprintf(json, sizeof json, "%s/r%d.json", dir, seed);
    snprintf(cmd, sizeof cmd, "%s run %s --replicas 100000 --seed %d --threads 1 --quiet "
             "--json %s > /dev/null", HOP_BINARY, lattice, seed, json);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    return hop_test_results(json);
}

/* Converts a shipped structure into dir/x.lat and returns "--lattice-file dir/x.lat". */
static void convert_into(const char *dir, const char *args, char *lattice, size_t n)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s%s -o %s/x.lat", CONVERTER, STRUCTURES, args, dir);
    cr_assert_eq(run(cmd), 0, "%s", cmd);
    snprintf(lattice, n, "--lattice-file %s/x.lat", dir);
}

/* |a - b| within 4 combined standard errors and bias bounds. */
static void assert_agree(estimate a, estimate b, const char *what)
{
    double tol = 4 * sqrt(a.sigma * a.sigma + b.sigma * b.sigma + a.bias * a.bias
                          + b.bias * b.bias);
    cr_assert_leq(fabs(a.value - b.value), tol, "%s: %.5f against %.5f (tolerance %.5f)",
                  what, a.value, b.value, tol);
}

Test(structures_hop, spinel_magnesium_has_f_one_half)
{
    char dir[64], lattice[256];
    cJSON *r;
    estimate f, half = {0.5, 0, 0};
    need_ase_and_spglib();
    need_hop_v2();
    make_dir(dir, sizeof dir);
    convert_into(dir, "MgAl2O4-spinel.vasp --species Mg --shells 1", lattice, sizeof lattice);
    r = hop_results(dir, lattice, 1);
    f = get_estimate(r, "f");
    assert_agree(f, half, "diamond (spinel Mg) f = 1/2");
    cJSON_Delete(r);
    remove_dir(dir);
}

Test(structures_hop, magnesium_has_the_hcp_tensor)
{
    /* with equal rates f_x and f_z of hcp do not depend on c/a */
    char dir[64], lattice[256];
    cJSON *mg, *hcp;
    need_ase_and_spglib();
    need_hop_v2();
    make_dir(dir, sizeof dir);
    convert_into(dir, "Mg.vasp --species Mg --shells 2", lattice, sizeof lattice);
    mg = hop_results(dir, lattice, 1);
    hcp = hop_results(dir, "--lattice hcp", 2);
    assert_agree(get_estimate(mg, "f_x"), get_estimate(hcp, "f_x"), "Mg f_x against hcp");
    assert_agree(get_estimate(mg, "f_z"), get_estimate(hcp, "f_z"), "Mg f_z against hcp");
    cJSON_Delete(mg);
    cJSON_Delete(hcp);
    remove_dir(dir);
}

Test(structures_hop, fcc_interstitial_network_has_its_exact_f)
{
    /* the converted octahedral-tetrahedral network of fcc (z = 8, 4, 4) against the exact
     * solver's f on tests/lattices/fcc-octtet.lat, the same network written by hand
     * (results/exact.md) */
    char dir[64], lattice[256];
    cJSON *r;
    estimate exact = {0.60529191, 0, 1e-8};
    need_ase_and_spglib();
    need_hop_v2();
    make_dir(dir, sizeof dir);
    convert_into(dir, "CuH3-interstitial.vasp --species H --shells 1", lattice, sizeof lattice);
    r = hop_results(dir, lattice, 1);
    assert_agree(get_estimate(r, "f"), exact, "fcc interstitial network f");
    cJSON_Delete(r);
    remove_dir(dir);
}

Test(structures_hop, perovskite_oxygen_and_rutile_run)
{
    char dir[64], lattice[256];
    cJSON *r, *builtin;
    estimate f;
    need_ase_and_spglib();
    need_hop_v2();
    make_dir(dir, sizeof dir);
    convert_into(dir, "TiO2-rutile.cif --species Ti --shells 2", lattice, sizeof lattice);
    r = hop_results(dir, lattice, 1);
    f = get_estimate(r, "f");
    cr_assert(f.value > 0 && f.value < 1, "rutile Ti: f = %g", f.value);
    cJSON_Delete(r);
    convert_into(dir, "SrTiO3.cif --species O --shells 1", lattice, sizeof lattice);
    r = hop_results(dir, lattice, 1);
    if (run(HOP_BINARY " lattices | grep -q '^perovskite-O '") == 0) {
        builtin = hop_results(dir, "--lattice perovskite-O", 2);
        assert_agree(get_estimate(r, "f"), get_estimate(builtin, "f"),
                     "SrTiO3 O against the built-in perovskite-O");
        cJSON_Delete(builtin);
    } else {
        f = get_estimate(r, "f");
        cr_assert(f.value > 0 && f.value < 1, "SrTiO3 O: f = %g", f.value);
    }
    cJSON_Delete(r);
    remove_dir(dir);
}

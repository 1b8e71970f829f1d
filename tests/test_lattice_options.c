/* test_lattice_options.c: a lattice's rates and site energies from the command line
 * (--rate CLASS=VALUE, --site-energy LABEL=VALUE[eV]: host/cli/lattice_options.c, their
 * scan axes in host/cli/scan.c, their summary and JSON in host/output/classes.c), and
 * the lattice-file examples of docs/lattice-files.md.
 *
 *  - a scan's --rate and --site-energy rows are `hop run` at those values with the
 *    rows' seeds, to the bit, under rate_CLASS and site_energy_LABEL columns, each its
 *    own run; energies in eV at two --T are two runs (E/kT differs), never one reused;
 *  - the JSON parameters hold the effective classes (rate, barrier, length, jumps per
 *    site), the site energies (unit and kT) and the rule; the summary lists them;
 *  - an override gives the bits of a lattice file with the same value written in (a
 *    class rate P/Q and its decimal, a site energy in kT, one in eV at a temperature),
 *    and differs from the file as it is;
 *  - an energy that breaks kagome's symmetry ends its isotropy (f per axis);
 *  - every lattice file shown in docs/lattice-files.md is the file in tests/lattices/
 *    it names, byte for byte, and each loads (hop_lattice_load). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "dir_helper.h"
#include "json_helper.h"
#include "cli_helper.h"
#include "lattice/file.h"

#define LAT HOP_SOURCE_DIR "/tests/lattices/"
#define K_B_EV 8.617333262e-5

/* A copy of the file at `from` in `to` with the first `old` replaced by `new`. */
static void copy_replacing(const char *from, const char *to, const char *old, const char *new)
{
    char *text = read_whole_file(from), *at;
    FILE *f;
    cr_assert_not_null(text, "%s", from);
    at = strstr(text, old);
    cr_assert_not_null(at, "'%s' not in %s", old, from);
    f = fopen(to, "w");
    cr_assert_not_null(f);
    fprintf(f, "%.*s%s%s", (int)(at - text), text, new, at + strlen(old));
    fclose(f);
    free(text);
}

/* `hop run` with args (NULL-terminated, at most 16) and --json into path: the results
 * object as one line (the caller frees it). */
static char *results_of(const char *path, const char *const *args)
{
    const char *all[24];
    int n = 0;
    cJSON *r;
    char *text;
    all[n++] = "run";
    all[n++] = "--quiet";
    all[n++] = "--backend";
    all[n++] = "cpu";
    all[n++] = "--json";
    all[n++] = path;
    for (int i = 0; args[i] && n < 23; ++i)
        all[n++] = args[i];
    all[n] = NULL;
    {
        hop_proc *p = hop_run_args(all);
        cr_assert_eq(p->status, 0, "hop run failed:\n%s", p->err);
    }
    r = hop_test_results(path);
    text = cJSON_PrintUnformatted(r);
    cJSON_Delete(r);
    return text;
}

#define RESULTS(path, ...) results_of(path, (const char *const[]){__VA_ARGS__, NULL})

/* --rate c=1/4 on hcp-mg is the file with `class c rate 1/4` (and c=0.25 the same);
 * --site-energy C=2 on kagome-abc the file with `energy C 2`; each differs from the
 * file unchanged.  B=0.05eV at 800 K on honeycomb-ab is the file with `energy B 0.05
 * eV` (--T alone only converts). */
Test(lattice_options, override_is_the_file_with_the_value_written_in)
{
    char dir[64], file[128], j[4][160];
    char *as_is, *over, *written;
    make_dir(dir, sizeof dir);
    snprintf(file, sizeof file, "%s/c.lat", dir);
    for (int i = 0; i < 4; ++i)
        snprintf(j[i], sizeof j[i], "%s/%d.json", dir, i);
    copy_replacing(LAT "hcp-mg.lat", file, "class      c      rate 1 ",
                   "class      c      rate 1/4 ");
    as_is = RESULTS(j[0], "--lattice-file", LAT "hcp-mg.lat", "--replicas", "20000", "--radius",
                    "16");
    over = RESULTS(j[1], "--lattice-file", LAT "hcp-mg.lat", "--rate", "c=1/4", "--replicas",
                   "20000", "--radius", "16");
    written = RESULTS(j[2], "--lattice-file", file, "--replicas", "20000", "--radius", "16");
    cr_assert_str_eq(over, written, "--rate c=1/4 and the file with rate 1/4 differ");
    cr_assert_str_neq(over, as_is, "--rate c=1/4 changed nothing");
    {   /* a decimal is the same double as P/Q when it is exact */
        char *decimal = RESULTS(j[3], "--lattice-file", LAT "hcp-mg.lat", "--rate", "c=0.25",
                                "--replicas", "20000", "--radius", "16");
        cr_assert_str_eq(decimal, over);
        free(decimal);
    }
    free(as_is), free(over), free(written);

    copy_replacing(LAT "kagome-abc.lat", file, "site       0 1  C\n",
                   "site       0 1  C\nenergy     C 2\n");
    as_is = RESULTS(j[0], "--lattice-file", LAT "kagome-abc.lat", "--replicas", "20000",
                    "--radius", "16");
    over = RESULTS(j[1], "--lattice-file", LAT "kagome-abc.lat", "--site-energy", "C=2",
                   "--replicas", "20000", "--radius", "16");
    written = RESULTS(j[2], "--lattice-file", file, "--replicas", "20000", "--radius", "16");
    cr_assert_str_eq(over, written, "--site-energy C=2 and the file with energy C 2 differ");
    cr_assert_str_neq(over, as_is, "--site-energy C=2 changed nothing");
    free(as_is), free(over), free(written);

    copy_replacing(LAT "honeycomb-ab.lat", file, "energy     B 1 ", "energy     B 0.05 eV ");
    over = RESULTS(j[1], "--lattice-file", LAT "honeycomb-ab.lat", "--site-energy", "B=0.05eV",
                   "--T", "800", "--replicas", "20000", "--radius", "16");
    written = RESULTS(j[2], "--lattice-file", file, "--T", "800", "--replicas", "20000",
                      "--radius", "16");
    cr_assert_str_eq(over, written, "--site-energy B=0.05eV and the file's eV energy differ");
    free(over), free(written);
    remove_dir(dir);
}

/* Column `name` of data row `row` (1 = point 1) of the scan CSV at path, into buf. */
static void cell(const char *path, const char *name, int row, char *buf, size_t n)
{
    char *text = read_whole_file(path), *line, *save = NULL;
    int col = -1, r = -1;
    cr_assert_not_null(text, "%s", path);
    buf[0] = '\0';
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *field, *fsave = NULL;
        int c = 0;
        if (line[0] == '#')
            continue;
        if (++r > 0 && r != row)
            continue;
        for (field = line; field; field = fsave, ++c) {     /* empty fields count */
            fsave = strchr(field, ',');
            if (fsave)
                *fsave++ = '\0';
            if (r == 0 && strcmp(field, name) == 0)
                col = c;
            else if (r == row && c == col)
                snprintf(buf, n, "%s", field);
        }
        if (r == row)
            break;
    }
    free(text);
    cr_assert(col >= 0 && buf[0], "%s: no column %s in row %d", path, name, row);
}

/* --rate and --site-energy axes: a column each, every row `hop run --seed` of its seed
 * at its values to the bit, each its own run; energies in eV at two --T: two runs. */
Test(lattice_options, scan_rows_are_single_runs)
{
    static const char *const rates[] = {"1", "2", "1", "2"}, *const energies[] = {"0", "0",
                                                                                  "1.5", "1.5"};
    char dir[64], csv[128], json[160], seed[32], f_row[40], x[40], f_first[40];
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(csv, sizeof csv, "%s/s.csv", dir);
    snprintf(json, sizeof json, "%s/r.json", dir);
    p = hop_run_list("scan", "--quiet", "--out", csv, "--backend", "cpu", "--lattice",
                     "honeycomb", "--site-energy", "B=0,1.5", "--rate", "nn=1:2:2",
                     "--replicas", "20000", "--radius", "16", NULL);
    cr_assert_eq(p->status, 0, "%s", p->err);
    for (int row = 1; row <= 4; ++row) {
        char rate_arg[48], energy_arg[48];
        cJSON *res;
        cell(csv, "rate_nn", row, x, sizeof x);
        cr_assert_str_eq(x, rates[row - 1], "row %d: rate_nn %s", row, x);
        cell(csv, "site_energy_B", row, x, sizeof x);
        cr_assert_str_eq(x, energies[row - 1], "row %d: site_energy_B", row);
        cell(csv, "run_point", row, x, sizeof x);
        cr_assert_eq(atoi(x), row, "row %d is its own run", row);
        cell(csv, "seed", row, seed, sizeof seed);
        cell(csv, "f", row, f_row, sizeof f_row);
        if (row == 1)
            snprintf(f_first, sizeof f_first, "%s", f_row);
        snprintf(rate_arg, sizeof rate_arg, "nn=%s", rates[row - 1]);
        snprintf(energy_arg, sizeof energy_arg, "B=%s", energies[row - 1]);
        free(RESULTS(json, "--lattice", "honeycomb", "--site-energy", energy_arg, "--rate",
                     rate_arg, "--seed", seed, "--replicas", "20000", "--radius", "16"));
        res = hop_test_results(json);
        cr_assert(number(res, "f.value") == strtod(f_row, NULL), "row %d: f %s, hop run %.17g",
                  row, f_row, number(res, "f.value"));
        cell(csv, "f_stderr", row, x, sizeof x);
        cr_assert(number(res, "f.stderr") == strtod(x, NULL), "row %d: f_stderr", row);
        cJSON_Delete(res);
    }
    /* site energies in eV and two temperatures: E/kT differs, so two runs */
    p = hop_run_list("scan", "--quiet", "--out", csv, "--backend", "cpu", "--lattice",
                     "honeycomb", "--site-energy", "B=0.05eV", "--T", "300,900", "--replicas",
                     "20000", "--radius", "16", NULL);
    cr_assert_eq(p->status, 0, "%s", p->err);
    cell(csv, "run_point", 2, x, sizeof x);
    cr_assert_str_eq(x, "2", "the 900 K point reused the 300 K run");
    cell(csv, "site_energy_B_eV", 2, x, sizeof x);
    cr_assert_str_eq(x, "0.05");
    cell(csv, "f", 1, f_row, sizeof f_row);
    cell(csv, "f", 2, x, sizeof x);
    cr_assert_str_neq(f_row, x, "f at 300 K and 900 K are the same bits");
    remove_dir(dir);
}

/* The JSON parameters: the effective classes and energies with the rule; the summary
 * lists them (more than one class, or site energies). */
Test(lattice_options, json_and_summary_show_the_effective_classes)
{
    char dir[64], json[128];
    cJSON *root, *classes, *energies, *c;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/r.json", dir);
    p = hop_run_list("run", "--backend", "cpu", "--json", json, "--lattice", "honeycomb",
                     "--rate", "nn=3", "--site-energy", "B=0.05eV",
                     "--T", "800", "--replicas", "2000", "--radius", "8", NULL);
    cr_assert_eq(p->status, 0, "%s", p->err);
    cr_assert(strstr(p->out, "lattice honeycomb: 1 jump class, Gamma(s->t) = R_c exp(-B_c - "
                             "(E_t - E_s)/2)") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "  class nn              length 0.577350 a, 3 per site, R = 3, "
                             "B = 0 kT\n") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "  site energies: E_A = 0 kT, E_B = 0.05 eV = 0.725282 kT\n")
              != NULL, "%s", p->out);
    root = hop_test_json(json);
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "parameters.rate_rule")),
                     "Gamma(s->t) = R_c exp(-B_c - (E_t - E_s)/2), energies in kT");
    classes = item(root, "parameters.jump_classes");
    cr_assert_eq(cJSON_GetArraySize(classes), 1);
    c = cJSON_GetArrayItem(classes, 0);
    cr_assert_str_eq(cJSON_GetStringValue(item(c, "name")), "nn");
    cr_assert(number(c, "rate") == 3 && number(c, "barrier") == 0
              && number(c, "barrier_kT") == 0);
    cr_assert_float_eq(number(c, "length"), sqrt(1.0 / 3), 1e-15);
    cr_assert_eq(cJSON_GetArraySize(item(c, "jumps_per_site")), 2);
    energies = item(root, "parameters.site_energies");
    cr_assert_eq(cJSON_GetArraySize(energies), 2);
    c = cJSON_GetArrayItem(energies, 1);
    cr_assert_str_eq(cJSON_GetStringValue(item(c, "sublattice")), "B");
    cr_assert_str_eq(cJSON_GetStringValue(item(c, "unit")), "eV");
    cr_assert(number(c, "energy") == 0.05);
    cr_assert(number(c, "energy_kT") == 0.05 / (K_B_EV * 800), "%.17g", number(c, "energy_kT"));
    cJSON_Delete(root);
    /* one class and no energies: no lines */
    p = hop_run_list("run", "--backend", "cpu", "--lattice", "fcc", "--rate", "nn=2",
                     "--replicas", "2000", "--radius", "8", NULL);
    cr_assert_eq(p->status, 0, "%s", p->err);
    cr_assert_null(strstr(p->out, "jump class"), "%s", p->out);
    remove_dir(dir);
}

/* kagome is isotropic (its network's second moment), so its summary checks f_x against
 * f_y; an energy on one sublattice breaks that symmetry, and the run reports a tensor. */
Test(lattice_options, energies_that_break_symmetry_end_isotropy)
{
    hop_proc *p = hop_run_list("run", "--backend", "cpu", "--lattice", "kagome", "--replicas",
                               "2000", "--radius", "8", NULL);
    cr_assert_eq(p->status, 0, "%s", p->err);
    cr_assert(strstr(p->out, "isotropy check:") != NULL, "%s", p->out);
    p = hop_run_list("run", "--backend", "cpu", "--lattice", "kagome", "--site-energy", "A=1",
                     "--replicas", "2000", "--radius", "8", NULL);
    cr_assert_eq(p->status, 0, "%s", p->err);
    cr_assert_null(strstr(p->out, "isotropy check:"), "%s", p->out);
    cr_assert(strstr(p->out, "  f_x = ") && strstr(p->out, "  f_y = "), "%s", p->out);
    p = hop_run_list("run", "--backend", "cpu", "--lattice", "kagome", "--rate", "nn=2",
                     "--replicas", "2000", "--radius", "8", NULL);     /* one class: still */
    cr_assert(strstr(p->out, "isotropy check:") != NULL, "%s", p->out);
}

/* The path tests/lattices/X.lat mentioned in line (up to its newline) into name, if any. */
static void lattice_named(const char *line, char *name, size_t n)
{
    const char *m = strstr(line, "tests/lattices/"), *nl = strchr(line, '\n');
    size_t len;
    if (!m || (nl && m > nl))
        return;
    len = strcspn(m, ")` \n");
    if (len > 4 && strncmp(m + len - 4, ".lat", 4) == 0)
        snprintf(name, n, "%.*s", (int)len, m);
}

/* Every fenced block of docs/lattice-files.md that is a lattice file (its first line
 * `hop-lattice N`) is, byte for byte, the file tests/lattices/X.lat named last before
 * it, and every such file loads. */
Test(lattice_options, docs_examples_are_the_files_and_load)
{
    char *doc = read_whole_file(HOP_SOURCE_DIR "/docs/lattice-files.md");
    char name[256] = "";
    int examples = 0, line_no = 1;
    cr_assert_not_null(doc);
    for (const char *line = doc; *line; ++line_no) {
        const char *next = strchr(line, '\n');
        next = next ? next + 1 : line + strlen(line);
        if (strncmp(line, "```", 3) != 0) {
            lattice_named(line, name, sizeof name);
            line = next;
            continue;
        }
        {
            const char *body = next, *end = strstr(body, "\n```");
            const hop_lattice *L;
            char path[512], msg[512], *file;
            cr_assert_not_null(end, "line %d: an unclosed code block", line_no);
            for (const char *c = line; c < end + 1; ++c)
                line_no += *c == '\n';
            line = strchr(end + 1, '\n') ? strchr(end + 1, '\n') + 1 : end + 4;
            if (strncmp(body, "hop-lattice ", 12) != 0)
                continue;
            cr_assert(name[0], "line %d: a lattice file shown before any tests/lattices/ name",
                      line_no);
            snprintf(path, sizeof path, "%s/%s", HOP_SOURCE_DIR, name);
            file = read_whole_file(path);
            cr_assert_not_null(file, "docs/lattice-files.md shows %s, which is missing", path);
            cr_assert(strlen(file) == (size_t)(end + 1 - body)
                      && strncmp(file, body, strlen(file)) == 0,
                      "the block ending at line %d of docs/lattice-files.md is not %s byte for "
                      "byte", line_no, name);
            cr_assert_eq(hop_lattice_load(path, &L, msg, sizeof msg), HOP_OK, "%s", msg);
            free(file);
            ++examples;
        }
    }
    cr_assert_geq(examples, 5, "only %d lattice files shown", examples);
    free(doc);
}

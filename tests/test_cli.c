/* test_cli.c: Criterion tests of the hop executable as a user meets it (host/cli/cli.c,
 * report.c, output/json.c, output/csv.c).
 *
 * The built binary (HOP_BINARY) is run with fork/exec, its stdout and stderr captured
 * in files.  Every bad input is provoked on purpose and must give exit status 2,
 * exactly one "hop: ..." line followed by one "try 'hop ... --help'" line on stderr,
 * and no output file (nor a truncated pre-existing one).  The positive tests run tiny
 * real estimations and read the JSON back with cJSON and the CSV line by line.  Note
 * that tests may run as root, for whom directory permissions do not block writes, so
 * unwritable paths are a missing directory and a path that is itself a directory. */
#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "hop_git.h"
#include "backend/cuda.h"
#include "dir_helper.h"
#include "proc_helper.h"
#include "json_helper.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

/* The shape of a usage error: status 2, stderr exactly "hop: <problem>\ntry 'hop...\n",
 * and (when given) the problem line contains `needle`. */
static void assert_usage_error(const hop_proc *p, const char *needle, const char *what)
{
    const char *nl;
    cr_assert_eq(p->status, 2, "%s: exit status %d, stderr:\n%s", what, p->status, p->err);
    cr_assert(strncmp(p->err, "hop: ", 5) == 0, "%s: stderr:\n%s", what, p->err);
    cr_assert(strncmp(p->err, "hop: error:", 11) != 0, "%s: a usage error, not a runtime one", what);
    nl = strchr(p->err, '\n');
    cr_assert_not_null(nl, "%s: one full line", what);
    cr_assert(strncmp(nl + 1, "try 'hop", 8) == 0, "%s: second line:\n%s", what, p->err);
    nl = strchr(nl + 1, '\n');
    cr_assert(nl && nl[1] == '\0', "%s: exactly two lines on stderr:\n%s", what, p->err);
    if (needle) {
        size_t first = (size_t)(strchr(p->err, '\n') - p->err);
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)first, p->err);
        cr_assert(strstr(line, needle) != NULL, "%s: '%s' not in '%s'", what, needle, line);
    }
    cr_assert_str_eq(p->out, "", "%s: nothing on stdout", what);
}

/* ---- usage errors ------------------------------------------------------------------ */

/* One bad command line: run with --json into an empty directory placed before the bad
 * arguments, expect a usage error mentioning `needle` and an empty directory after. */
#define BAD_RUN(needle, ...)                                                      \
    do {                                                                          \
        char dir_[64], json_[128];                                                \
        make_dir(dir_, sizeof dir_);                                              \
        snprintf(json_, sizeof json_, "%s/out.json", dir_);                       \
        assert_usage_error(hop_run_list("run", "--json", json_, __VA_ARGS__, NULL),     \
                           needle, #__VA_ARGS__);                                 \
        cr_assert_eq(count_entries(dir_), 0, "%s: created a file", #__VA_ARGS__);  \
        remove_dir(dir_);                                                         \
    } while (0)

Test(cli_usage, commands_and_options)
{
    assert_usage_error(hop_run_list("frobnicate", NULL), "unknown command 'frobnicate'", "command");
    assert_usage_error(hop_run_list("--frob", NULL), "--frob", "top-level option");
    assert_usage_error(hop_run_list("lattices", "--frob", NULL), "--frob", "lattices option");
    assert_usage_error(hop_run_list("lattices", "extra", NULL), "extra", "lattices argument");
    assert_usage_error(hop_run_list("help", "frobnicate", NULL), "frobnicate", "help topic");
    BAD_RUN("unknown option '--frob'", "--frob");
    BAD_RUN("option '--quiet=1' takes no value", "--quiet=1");
    BAD_RUN("option '--t' is ambiguous: --threads, --time, --times, --target-error, "
            "--time-limit", "--t", "3");
    BAD_RUN("unknown option '-x'", "-x");
    BAD_RUN("unexpected argument 'stray'", "stray");
    BAD_RUN("--replicas", "--replicas");
}

Test(cli_usage, names)
{
    BAD_RUN("unknown lattice 'nope'", "--lattice", "nope");
    {   /* the message lists every valid name */
        static const char *names[] = {"chain", "square", "triangular", "honeycomb", "sc",
                                      "bcc", "fcc", "diamond", "hcp"};
        hop_proc *p = hop_run_list("run", "--lattice", "nope", NULL);
        for (size_t i = 0; i < sizeof names / sizeof *names; ++i)
            cr_assert(strstr(p->err, names[i]) != NULL, "'%s' not listed:\n%s", names[i], p->err);
    }
    BAD_RUN("unknown estimator 'nope'", "--estimator", "nope");
    BAD_RUN("unknown model 'nope' (valid: vacancy, random, solute, gas)", "--model", "nope");
    BAD_RUN("--w2 is required with --model solute", "--model", "solute", "--w0", "1",
            "--w1", "1", "--w3", "1", "--w4", "1");
    BAD_RUN("fcc and bcc, not sc", "--model", "solute", "--lattice", "sc", "--w0", "1");
    BAD_RUN("--w2: '0' is out of range", "--w2", "0");
    BAD_RUN("--model solute only", "--w2", "2");
    BAD_RUN("unknown backend 'gpu' (the GPU backend is 'cuda'; valid: auto, cpu, cuda)",
            "--backend", "gpu");
    BAD_RUN("--batch", "--batch", "0");
    BAD_RUN("--target-error: '0' is out of range", "--target-error", "0");
    BAD_RUN("--target-error: '1' is out of range", "--target-error", "1");
    BAD_RUN("--time-limit: '0' is out of range", "--time-limit", "0");
}

/* What a person types by mistake gets a message that says what to do: a value taken
 * by the next option, a near miss with the name meant, an abbreviation with its
 * candidates, a repeated option (an error: which value was meant is not ours to guess). */
Test(cli_usage, mistakes_get_helpful_messages)
{
    BAD_RUN("option '--lattice' needs a value ('--quiet' is an option)", "--lattice", "--quiet");
    BAD_RUN("option '--seed' needs a value ('--replicas' is an option)", "--seed", "--replicas",
            "5000");
    BAD_RUN("option '--json' needs a value", "--json");
    BAD_RUN("unknown option '--lattis' (did you mean '--lattice'?)", "--lattis", "fcc");
    BAD_RUN("unknown option '--replcias' (did you mean '--replicas'?)", "--replcias=5");
    BAD_RUN("unknown option '--qm' (did you mean '--Qm'?)", "--qm", "1");
    BAD_RUN("option '--lat' is ambiguous: --lattice, --lattice-file", "--lat", "fcc");
    BAD_RUN("option '--seed' is given twice: give it once", "--seed", "1", "--seed", "2");
    BAD_RUN("option '--lattice' is given twice", "--lattice", "fcc", "--lattice", "fcc");
    BAD_RUN("option '--quiet' is given twice", "--quiet", "--quiet");
    BAD_RUN("option '--T' is given twice", "--T", "900", "--T=1000");
    BAD_RUN("unknown lattice 'fc' (did you mean 'fcc'? valid: chain,", "--lattice", "fc");
    BAD_RUN("unknown lattice 'bbc' (did you mean 'bcc'?", "--lattice", "bbc");
    BAD_RUN("unknown model 'gass' (did you mean 'gas'? valid:", "--model", "gass");
    BAD_RUN("unknown estimator 'mds' (did you mean 'msd'?", "--estimator", "mds");
    BAD_RUN("unknown lattice 'zzzzzz' (valid:", "--lattice", "zzzzzz");
    BAD_RUN("--replicas: '2.5' is not a whole number", "--replicas", "2.5");
    BAD_RUN("--replicas: '2e12' is out of range (2 .. 1e12)", "--replicas", "2e12");
    assert_usage_error(hop_run_list("rnu", NULL), "unknown command 'rnu' (did you mean 'run'?",
                       "near command");
    assert_usage_error(hop_run_list("lattices", "--write", "fc", NULL),
                       "--write: unknown lattice 'fc' (did you mean 'fcc'?", "lattices --write");
    assert_usage_error(hop_run_list("scan", "--out", "--T", "900", NULL),
                       "option '--out' needs a value", "scan --out");
    assert_usage_error(hop_run_list("scan", "--out", "a.csv", "--out", "b.csv", NULL),
                       "option '--out' is given twice", "scan --out twice");
    assert_usage_error(hop_run_list("scan", "--out", "a.csv", "--T", "900,1000", "--T", "800",
                                    NULL), "option '--T' is given twice", "scan option twice");
}

/* The gas's least replica count is 50 per time point of --times, and the message says
 * how to need fewer. */
Test(cli_usage, gas_replicas_follow_the_time_points)
{
    BAD_RUN("it needs 50 per time point, 2000 for --times 40", "--model", "gas", "--c", "0.3",
            "--lattice", "sc", "--replicas", "1999");
    BAD_RUN("it needs 50 per time point, 400 for --times 8", "--model", "gas", "--c", "0.3",
            "--lattice", "sc", "--replicas", "399", "--times", "8");
}

/* Physical units: every bad or incomplete set is a usage error before anything runs. */
Test(cli_usage, physical_units)
{
    BAD_RUN("--T: '0' is out of range", "--T", "0");
    BAD_RUN("--T: '-300' is out of range", "--T", "-300");
    BAD_RUN("--Qf: 'abc' is not", "--Qf", "abc");
    BAD_RUN("--Qm: '-0.5' is out of range", "--Qm", "-0.5");
    BAD_RUN("--nu: '0' is out of range", "--nu", "0");
    BAD_RUN("--a: '0' is out of range", "--a", "0");
    BAD_RUN("--bond-energy: '0' is out of range", "--bond-energy", "0");
    BAD_RUN("--charge: '0' must not be zero", "--charge", "0");
    BAD_RUN("--carrier-density: '-1' is out of range", "--carrier-density", "-1");
    BAD_RUN("--Qm is required", "--T", "900", "--Qf", "1", "--nu", "1e13", "--a", "3");
    BAD_RUN("--T (temperature in K) is required", "--Qf", "1", "--Qm", "1", "--nu", "1e13",
            "--a", "3");
    BAD_RUN("not both", "--T", "900", "--Qf", "1", "--Qm", "1", "--bond-energy", "0.2",
            "--nu", "1e13", "--a", "3");
    BAD_RUN("--charge needs --carrier-density", "--T", "900", "--Qf", "1", "--Qm", "1",
            "--nu", "1e13", "--a", "3", "--charge", "2");
    BAD_RUN("the rates underflow", "--T", "1", "--Qf", "5", "--Qm", "5", "--nu", "1e13",
            "--a", "3");
}

Test(cli_usage, numbers)
{
    BAD_RUN("--replicas: 'abc' is not", "--replicas", "abc");
    BAD_RUN("--replicas: '-5' is out of range", "--replicas", "-5");
    BAD_RUN("--replicas: '0' is out of range", "--replicas", "0");
    BAD_RUN("--replicas: '99999999999999999999999' is out of range", "--replicas",
            "99999999999999999999999");
    BAD_RUN("--replicas", "--replicas", "10x");
    BAD_RUN("--replicas", "--replicas", "");
    BAD_RUN("--seed", "--seed", "-1");
    BAD_RUN("--seed", "--seed", "18446744073709551616");
    BAD_RUN("--threads: '0' is out of range", "--threads", "0");
    BAD_RUN("--threads", "--threads", "5000");
    BAD_RUN("--radius: '-1' is out of range", "--radius", "-1");
    BAD_RUN("--radius", "--radius", "nan");
    BAD_RUN("--shells", "--shells", "9");
    BAD_RUN("--time: '0' is out of range", "--estimator", "msd", "--time", "0");
    BAD_RUN("--time", "--estimator", "msd", "--time", "inf");
    BAD_RUN("--fit-from: '1' is out of range", "--estimator", "msd", "--fit-from", "1");
    BAD_RUN("--fit-from", "--estimator", "msd", "--fit-from", "0");
    BAD_RUN("--times", "--estimator", "msd", "--times", "7");
}

Test(cli_usage, lattice_dependent_ranges)
{
    /* Only the lattice knows its smallest box: hop_params_resolve reports it. */
    BAD_RUN("--size", "--estimator", "msd", "--lattice", "sc", "--size", "1");
    /* Too few replicas for the statistics: 100 per jump type (corr), 50 per time (msd). */
    BAD_RUN("--replicas: 2399 is too few for corr on hcp", "--lattice", "hcp", "--replicas",
            "2399");
    BAD_RUN("--replicas: 1999 is too few for msd", "--estimator", "msd", "--replicas", "1999");
    /* Outer radii too small for the truncation bound; a box too large for any run. */
    BAD_RUN("--radius: 2 is out of range", "--lattice", "chain", "--radius", "2", "--shells", "2");
    BAD_RUN("--radius: 5000 is out of range", "--lattice", "sc", "--radius", "5000");
    BAD_RUN("--size: 9000 is out of range", "--estimator", "msd", "--lattice", "chain",
            "--size", "9000");
    BAD_RUN("--time", "--estimator", "msd", "--lattice", "sc", "--size", "300", "--time", "1000");
}

/* --json and --msd-csv naming one file through different paths: refused, nothing written. */
Test(cli_usage, same_output_through_two_paths)
{
    char dir[64], a[128], b[160];
    make_dir(dir, sizeof dir);
    snprintf(a, sizeof a, "%s/same.json", dir);
    snprintf(b, sizeof b, "%s/./same.json", dir);
    assert_usage_error(hop_run_list("run", "--estimator", "msd", "--json", a, "--msd-csv", b, NULL),
                       "name the same file", "same file, two spellings");
    cr_assert_eq(count_entries(dir), 0);
    remove_dir(dir);
}

Test(cli_usage, option_combinations)
{
    char dir[64], csv[128];
    make_dir(dir, sizeof dir);
    snprintf(csv, sizeof csv, "%s/msd.csv", dir);
    assert_usage_error(hop_run_list("run", "--lattice", "sc", "--msd-csv", csv, NULL), "--msd-csv",
                       "--msd-csv with corr");
    cr_assert_eq(count_entries(dir), 0);
    remove_dir(dir);
    BAD_RUN("--size", "--size", "4");                       /* msd option with corr */
    BAD_RUN("--radius", "--estimator", "msd", "--radius", "8");  /* corr option with msd */
}

Test(cli_usage, unwritable_outputs)
{
    char dir[64], path[128];
    make_dir(dir, sizeof dir);
    assert_usage_error(hop_run_list("run", "--json", "/nonexistent/dir/x.json", NULL),
                       "/nonexistent/dir/x.json", "missing directory");
    assert_usage_error(hop_run_list("run", "--json", dir, NULL), dir, "path is a directory");
    assert_usage_error(hop_run_list("run", "--estimator", "msd", "--msd-csv",
                               "/nonexistent/dir/x.csv", NULL), "/nonexistent/dir/x.csv",
                       "csv in a missing directory");
    snprintf(path, sizeof path, "%s/sub/", dir);
    cr_assert_eq(mkdir(path, 0755), 0);
    assert_usage_error(hop_run_list("run", "--json", path, NULL), "sub", "trailing slash");
    cr_assert_eq(count_entries(dir), 1, "only the subdirectory");
    if (geteuid() != 0) {   /* permissions only bind non-root users */
        snprintf(path, sizeof path, "%s/sub", dir);
        cr_assert_eq(chmod(path, 0555), 0);
        snprintf(path, sizeof path, "%s/sub/x.json", dir);
        assert_usage_error(hop_run_list("run", "--json", path, NULL), "not writable",
                           "read-only directory");
    }
    remove_dir(dir);
}

Test(cli_usage, failed_run_keeps_existing_file)
{
    char dir[64], json[128];
    char *content;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/out.json", dir);
    write_file(json, "keep");
    assert_usage_error(hop_run_list("run", "--json", json, "--bogus", NULL), "--bogus", "bad option");
    assert_usage_error(hop_run_list("run", "--json", json, "--replicas", "0", NULL), "--replicas",
                       "bad value");
    assert_usage_error(hop_run_list("run", "--json", json, "--estimator", "msd", "--lattice", "sc",
                               "--size", "1", NULL), "--size", "resolve failure");
    content = read_whole_file(json);
    cr_assert_str_eq(content, "keep", "the existing file was changed");
    free(content);
    cr_assert_eq(count_entries(dir), 1, "no temporary left behind");
    remove_dir(dir);
}

/* ---- help, version, lattices ------------------------------------------------------- */

Test(cli_info, help_shows_defaults)
{
    static const char *opts[] = {"--lattice", "--estimator", "--model", "--seed", "--replicas",
                                 "--threads", "--radius", "--shells", "--size", "--time",
                                 "--times", "--fit-from", "--no-size-check", "--json",
                                 "--msd-csv", "--quiet", "--help"};
    hop_proc *p = hop_run_list("run", "--help", NULL);
    cr_assert_eq(p->status, 0);
    cr_assert_str_eq(p->err, "");
    for (size_t i = 0; i < sizeof opts / sizeof *opts; ++i)
        cr_assert(strstr(p->out, opts[i]) != NULL, "%s missing from --help", opts[i]);
    cr_assert(strstr(p->out, "default fcc") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "default corr") != NULL);
    cr_assert(strstr(p->out, "default vacancy") != NULL);
    cr_assert(strstr(p->out, "default 1)") != NULL, "seed default");
    cr_assert(strstr(p->out, "default 4)") != NULL, "shells default");
    cr_assert(strstr(p->out, "default 40)") != NULL, "times default");
    cr_assert(strstr(p->out, "default 0.1)") != NULL, "fit-from default");
    cr_assert(strstr(p->out, "default auto") != NULL, "replicas default");

    {   /* the first lines introduce every model, then the integer forms and the rule
         * for a repeated option */
        const char *options = strstr(p->out, "\noptions:");
        static const char *models[] = {"vacancy", "random", "solute", "gas"};
        cr_assert_not_null(options);
        for (size_t i = 0; i < 4; ++i) {
            const char *m = strstr(p->out, models[i]);
            cr_assert(m && m < options, "model %s not introduced before the options", models[i]);
        }
        cr_assert(strstr(p->out, "1e6") && strstr(p->out, "4M") && strstr(p->out, "twice is an "
                  "error") && strstr(p->out, "--option=value"), "%s", p->out);
    }

    p = hop_run_list("--help", NULL);
    cr_assert_eq(p->status, 0);
    cr_assert(strstr(p->out, "run") && strstr(p->out, "lattices") && strstr(p->out, "bench"));
    {   /* plain `hop` is the help, not an error */
        char *help = strdup(p->out);
        p = hop_run_list(NULL);
        cr_assert_eq(p->status, 0);
        cr_assert_str_eq(p->err, "");
        cr_assert_str_eq(p->out, help);
        free(help);
    }
    cr_assert_eq(hop_run_list("-h", NULL)->status, 0);
    cr_assert_eq(hop_run_list("help", NULL)->status, 0);
    p = hop_run_list("help", "run", NULL);
    cr_assert_eq(p->status, 0);
    cr_assert(strstr(p->out, "--fit-from") != NULL);
    cr_assert_eq(hop_run_list("lattices", "--help", NULL)->status, 0);
}

Test(cli_info, version)
{
    hop_proc *p = hop_run_list("--version", NULL);
    char want[64];
    cr_assert_eq(p->status, 0);
    snprintf(want, sizeof want, "hop %s (%s)\n", HOP_VERSION, HOP_GIT_COMMIT);
    cr_assert_str_eq(p->out, want);
}

Test(cli_info, lattices_lists_all_nine)
{
    static const char *names[] = {"chain", "square", "triangular", "honeycomb", "sc", "bcc",
                                  "fcc", "diamond", "hcp"};
    hop_proc *p = hop_run_list("lattices", NULL);
    int lines = 0;
    cr_assert_eq(p->status, 0, "%s", p->err);
    for (size_t i = 0; i < sizeof names / sizeof *names; ++i) {
        char row[32];
        snprintf(row, sizeof row, "\n%s ", names[i]);
        cr_assert(strstr(p->out, row) != NULL, "'%s' missing:\n%s", names[i], p->out);
    }
    for (const char *c = p->out; *c; ++c)
        lines += *c == '\n';
    cr_assert_eq(lines, 10, "header and nine rows:\n%s", p->out);
    cr_assert(strstr(p->out, "0.707107") != NULL, "fcc jump length a/sqrt2:\n%s", p->out);
}

/* ---- real runs --------------------------------------------------------------------- */

static cJSON *item(const cJSON *o, const char *path)
{
    char buf[128], *key, *save = NULL;
    const cJSON *cur = o;
    snprintf(buf, sizeof buf, "%s", path);
    for (key = strtok_r(buf, ".", &save); key && cur; key = strtok_r(NULL, ".", &save))
        cur = cJSON_GetObjectItemCaseSensitive(cur, key);
    return (cJSON *)cur;
}

static double number(const cJSON *o, const char *path)
{
    const cJSON *x = item(o, path);
    cr_assert(x && cJSON_IsNumber(x), "%s is not a number", path);
    return x->valuedouble;
}

Test(cli_run, corr_json_record)
{
    char dir[64], json[128];
    cJSON *root;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/with space.json", dir);
    p = hop_run_list("run", "--lattice", "sc", "--replicas", "2000", "--seed",
                "18446744073709551615", "--threads", "2", "--json", json, "--quiet",
                "--backend", "cpu", NULL);       /* cpu, pinned: 2 threads asserted below */
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    cr_assert_str_eq(p->err, "", "--quiet leaves stderr empty");
    cr_assert(strstr(p->out, "f = ") && strstr(p->out, "± "), "%s", p->out);
    cr_assert(strstr(p->out, "lattice sc") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "two outermost radii") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "isotropy check") != NULL, "%s", p->out);
    root = hop_test_json(json);
    cr_assert(number(root, "results.f.value") > 0.4 && number(root, "results.f.value") < 0.9);
    cr_assert(number(root, "results.f.stderr") > 0);
    cr_assert(number(root, "results.f.bias_bound") >= 0);
    for (const char *const *k = (const char *const[]){"results.f_x.value", "results.f_y.value",
             "results.f_z.value", "results.isotropy_max_dev_sigma", "results.lost_fraction",
             "performance.replicas", "performance.tracer_jumps", "performance.vacancy_steps",
             "performance.wall_s", "performance.steps_per_s", "parameters.radius",
             "parameters.shells", "threads", NULL}; *k; ++k)
        number(root, *k);
    cr_assert_eq(number(root, "performance.replicas"), 2000);
    cr_assert(number(root, "performance.vacancy_steps") > 0);
    cr_assert_eq(number(root, "threads"), 2);
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "parameters.seed_str")),
                     "18446744073709551615");
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "parameters.lattice")), "sc");
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "parameters.estimator")), "corr");
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "hop_version")), HOP_VERSION);
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "git_commit")), HOP_GIT_COMMIT);
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "backend")), "cpu");
    {
        const char *cl = cJSON_GetStringValue(item(root, "command_line"));
        char want[160];
        cr_assert_not_null(cl);
        snprintf(want, sizeof want, "--json '%s' --quiet", json);
        cr_assert(strncmp(cl, "hop run --lattice sc --replicas 2000", 36) == 0, "%s", cl);
        cr_assert(strstr(cl, want) != NULL, "argument with a space is quoted: %s", cl);
    }
    {
        const cJSON *t = item(root, "results.truncation");
        cr_assert(cJSON_IsArray(t) && cJSON_GetArraySize(t) == 4, "four shells by default");
        number(cJSON_GetArrayItem(t, 3), "radius");
        number(cJSON_GetArrayItem(t, 3), "f.value");
        number(cJSON_GetArrayItem(t, 3), "f.stderr");
    }
    cJSON_Delete(root);
    cr_assert_eq(count_entries(dir), 1, "no temporary left behind");
    remove_dir(dir);
}

Test(cli_run, hcp_principal_components)
{
    char dir[64], json[128];
    cJSON *root;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/hcp.json", dir);
    p = hop_run_list("run", "--lattice", "hcp", "--replicas", "3000", "--json", json, "--quiet", NULL);
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    cr_assert(strstr(p->out, "f_x (basal)") && strstr(p->out, "f_z (c axis)"), "%s", p->out);
    root = hop_test_json(json);
    number(root, "results.f_x.value");
    number(root, "results.f_x.stderr");
    number(root, "results.f_z.value");
    number(root, "results.f_z.bias_bound");
    cr_assert_null(item(root, "results.f_y"), "hcp has two principal components");
    cr_assert_null(item(root, "results.isotropy_max_dev_sigma"), "hcp is not isotropic");
    cJSON_Delete(root);
    remove_dir(dir);
}

Test(cli_run, msd_csv_and_json)
{
    char dir[64], csv[128], json[128], *text, *line, *save = NULL;
    int rows = 0;
    cJSON *root;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(csv, sizeof csv, "%s/msd.csv", dir);
    snprintf(json, sizeof json, "%s/msd.json", dir);
    p = hop_run_list("run", "--estimator", "msd", "--lattice", "sc", "--size", "6", "--replicas",
                "600", "--times", "12", "--msd-csv", csv, "--json", json, NULL);
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    cr_assert(strncmp(p->err, "hop: ", 5) == 0, "progress on stderr without --quiet");
    cr_assert(strstr(p->out, "H = D*/D_sigma = ") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "H_R = D_sigma/D* = ") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "(inverse convention)") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "finite-size check") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "chi2/dof") != NULL, "%s", p->out);

    text = read_whole_file(csv);
    line = strtok_r(text, "\n", &save);
    cr_assert(line && line[0] == '#', "comment line first: %s", line);
    cr_assert(strstr(line, "sc") != NULL);
    line = strtok_r(NULL, "\n", &save);
    cr_assert_str_eq(line, "t,msd_tracer,msd_tracer_se,msd_vacancy,msd_vacancy_se,"
                           "msd_collective,msd_collective_se");
    while ((line = strtok_r(NULL, "\n", &save))) {
        double v[7];
        cr_assert_eq(sscanf(line, "%lf,%lf,%lf,%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3],
                            &v[4], &v[5], &v[6]), 7, "row '%s'", line);
        cr_assert(v[0] > 0);
        ++rows;
    }
    cr_assert_eq(rows, 12, "one row per --times point");
    free(text);

    root = hop_test_json(json);
    for (const char *const *k = (const char *const[]){"results.box_sites",
             "results.D_uncorrelated", "results.D_star.value", "results.D_star.stderr",
             "results.D_sigma.value", "results.haven_ratio.value", "results.haven_ratio.stderr",
             "results.haven_ratio_inverse.value", "results.fit.chi2", "results.fit.dof",
             "results.finite_size_check.size", "results.finite_size_check.box_sites",
             "results.finite_size_check.f.value", "parameters.size", "parameters.time",
             "parameters.n_times", "parameters.fit_from", NULL}; *k; ++k)
        number(root, *k);
    cr_assert_eq(number(root, "results.box_sites"), 216);
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "results.haven_ratio.convention")),
                     "H = D*/D_sigma");
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "results.haven_ratio_inverse.convention")),
                     "D_sigma/D*");
    cr_assert_not_null(cJSON_GetStringValue(item(root, "results.units")));
    cJSON_Delete(root);
    remove_dir(dir);
}

/* hop bench: the table on stdout and the JSON keys [gpu-run] relies on, also for a
 * replica count below what `hop run` would accept (throughput needs no minimum). */
Test(cli_bench, table_and_json)
{
    char dir[64], json[128];
    cJSON *root;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/bench.json", dir);
    p = hop_run_list("bench", "--lattice", "hcp", "--replicas", "64", "--target", "0", "--json",
                json, NULL);
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    cr_assert(strstr(p->out, "hcp") != NULL, "no hcp row:\n%s", p->out);
    root = hop_test_json(json);
    cr_assert_gt(number(root, "bench.hcp.steps_per_s"), 0);
    cr_assert_gt(number(root, "bench.hcp.ceiling_steps_per_s"), 0);
    cr_assert_gt(number(root, "bench.hcp.ceiling_fraction"), 0);
    cr_assert_gt(number(root, "bench.hcp.msd_steps_per_s"), 0);
    cr_assert(cJSON_IsString(item(root, "device")) && cJSON_IsString(item(root, "command")));
    cr_assert(cJSON_IsString(item(root, "driver")) && cJSON_IsString(item(root, "backend")));
    cr_assert(strstr(cJSON_GetStringValue(item(root, "command")), "bench --lattice hcp") != NULL);
    cJSON_Delete(root);
    remove_dir(dir);
    assert_usage_error(hop_run_list("bench", "--replicas", "0", NULL), "--replicas", "bench replicas");
    assert_usage_error(hop_run_list("bench", "--lattice", "nope", NULL), "nope", "bench lattice");
    assert_usage_error(hop_run_list("bench", "--backend", "gpu", NULL), "gpu", "bench backend");
}

/* ---- backends ----------------------------------------------------------------------- */

/* Without a usable GPU: --backend auto runs on the CPU and says so on stderr, and
 * --backend cuda (run and bench) is a runtime error, exit 1, one "hop: error:" line
 * naming the backend, no file written.  Under ctest this runs on a GPU machine too: the
 * tests not labelled gpu see no device (CUDA_VISIBLE_DEVICES empty, tests/CMakeLists.txt),
 * and this is the check that `--backend auto` inside them then is the cpu backend.  Run
 * by hand beside a GPU it skips; the GPU's side is tests/test_gpu.c's business. */
Test(cli_backend, no_device)
{
    hop_cuda_info info;
    char why[256], dir[64], json[128];
    cJSON *root;
    hop_proc *p;
    if (hop_cuda_probe(&info, why, sizeof why) == HOP_OK)
        cr_skip_test("a CUDA device is present (%s): the no-device paths cannot be checked",
                     info.name);
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/run.json", dir);
    p = hop_run_list("run", "--lattice", "sc", "--replicas", "2000", "--json", json, NULL);
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    cr_assert(strstr(p->err, "hop: backend auto: ") && strstr(p->err, "using the cpu backend"),
              "auto does not say it fell back:\n%s", p->err);
    cr_assert(strstr(p->err, why) != NULL, "the reason '%s' is not given:\n%s", why, p->err);
    root = hop_test_json(json);
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "backend")), "cpu");
    cr_assert_str_eq(cJSON_GetStringValue(item(root, "parameters.backend")), "cpu");
    cJSON_Delete(root);
    remove_dir(dir);

    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/run.json", dir);
    p = hop_run_list("run", "--backend", "cuda", "--quiet", "--json", json, NULL);
    cr_assert_eq(p->status, 1, "--backend cuda without a device: exit %d\n%s", p->status, p->err);
    cr_assert(strncmp(p->err, "hop: error: --backend cuda: ", 28) == 0, "stderr:\n%s", p->err);
    cr_assert(strchr(p->err, '\n') && strchr(p->err, '\n')[1] == '\0', "one line:\n%s", p->err);
    cr_assert_eq(count_entries(dir), 0, "a file was written");
    remove_dir(dir);

    p = hop_run_list("bench", "--backend", "cuda", "--lattice", "sc", NULL);
    cr_assert_eq(p->status, 1, "bench --backend cuda without a device: exit %d", p->status);
    cr_assert(strstr(p->err, "hop: error: --backend cuda: ") != NULL, "stderr:\n%s", p->err);
}

/* With physical units the JSON holds D* in m^2/s under results.D_star, as documented. */
Test(cli_run, physical_units_json)
{
    char dir[64], json[128];
    cJSON *root;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/cu.json", dir);
    p = hop_run_list("run", "--backend", "cpu", "--lattice", "fcc", "--replicas", "20000", "--T", "1000",
                "--bond-energy", "0.3", "--nu", "1e13", "--a", "3.61", "--carrier-density",
                "8.5e28", "--charge", "1", "--json", json, NULL);
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    cr_assert(strstr(p->out, "D* = f D = (") && strstr(p->out, "m^2/s"), "%s", p->out);
    cr_assert(strstr(p->out, "H = D*/D_sigma") && strstr(p->out, "H_R = D_sigma/D*"), "%s", p->out);
    root = hop_test_json(json);
    cr_assert(strstr(cJSON_GetStringValue(item(root, "results.units")), "m^2/s") != NULL);
    cr_assert_float_eq(number(root, "results.Q_f"), 1.8, 1e-12);    /* (z/2) eps, z = 12 */
    cr_assert_float_eq(number(root, "results.Q_m"), 1.2, 1e-12);    /* 4 eps */
    cr_assert_float_eq(number(root, "results.D_star.value"),
                       number(root, "results.f.value") * number(root, "results.D_uncorrelated"),
                       1e-28);
    cr_assert_gt(number(root, "results.D_star.stderr"), 0);
    cr_assert_gt(number(root, "results.conductivity.value"), 0);
    cr_assert_float_eq(number(root, "results.haven_ratio.value"), number(root, "results.f.value"),
                       1e-15);
    cJSON_Delete(root);
    remove_dir(dir);
}

/* hop gas-kinetic: the numbers on stdout and in JSON; bad input is a usage error. */
Test(cli_gas_kinetic, values_and_errors)
{
    char dir[64], json[128];
    cJSON *root;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/kr.json", dir);
    p = hop_run_list("gas-kinetic", "--T", "300", "--json", json, NULL);
    cr_assert_eq(p->status, 0, "stderr:\n%s", p->err);
    cr_assert(strstr(p->out, "D_self   = 8.5661e-06 m^2/s") != NULL, "%s", p->out);
    cr_assert(strstr(p->out, "ratio D_mutual/D_self = 1.42478") != NULL, "%s", p->out);
    root = hop_test_json(json);
    cr_assert_float_eq(number(root, "results.D_mutual") / number(root, "results.D_self"),
                       number(root, "results.ratio_mutual_over_self"), 1e-12);
    cJSON_Delete(root);
    remove_dir(dir);
    assert_usage_error(hop_run_list("gas-kinetic", "--T", "0", NULL), "--T: '0' is out of range",
                       "gas T");
    assert_usage_error(hop_run_list("gas-kinetic", "--p", "-1", NULL), "--p", "gas p");
    assert_usage_error(hop_run_list("gas-kinetic", "--d-kr", "abc", NULL), "--d-kr", "gas d");
    assert_usage_error(hop_run_list("gas-kinetic", "--m-ar40", "0", NULL), "--m-ar40", "gas m");
    assert_usage_error(hop_run_list("gas-kinetic", "--frob", NULL), "--frob", "gas option");
    assert_usage_error(hop_run_list("gas-kinetic", "--T", NULL), "--T", "gas missing value");
}

/* Integer options take the exact forms of base/parse.h, and the JSON parameters record
 * the thread count that ran (not --threads' 0 for "all cores"). */
Test(cli_run, exact_integer_forms_and_threads_used)
{
    char dir[64], json[128];
    cJSON *root;
    hop_proc *p;
    make_dir(dir, sizeof dir);
    snprintf(json, sizeof json, "%s/r.json", dir);
    p = hop_run_list("run", "--backend", "cpu", "--lattice", "sc", "--replicas", "2e4",
                     "--radius", "8", "--seed", "1.2k", "--quiet", "--json", json, NULL);
    cr_assert_eq(p->status, 0, "%s", p->err);
    root = hop_test_json(json);
    cr_assert_eq(number(root, "parameters.replicas"), 20000);
    cr_assert_eq(number(root, "parameters.seed"), 1200);
    cr_assert_gt(number(root, "threads"), 0);
    cr_assert_eq(number(root, "parameters.threads"), number(root, "threads"),
                 "parameters.threads says how many threads ran");
    cJSON_Delete(root);
    remove_dir(dir);
}

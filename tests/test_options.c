/* test_options.c: `hop run`'s options through the hop binary (host/cli/options.c):
 * every bad value is one "hop: ..." line and a "try" line, exit status 2, nothing
 * written; names get suggestions; numbers their exact forms and ranges; the help shows
 * the resolved defaults.  Moved whole from test_cli.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "hop_git.h"
#include "backend/cuda.h"
#include "models/model.h"
#include "dir_helper.h"
#include "proc_helper.h"
#include "json_helper.h"
#include "cli_helper.h"

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
    BAD_RUN("unknown model 'nope' (valid: vacancy, random, solute, gas, alloy)", "--model", "nope");
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

/* --rate CLASS=VALUE and --site-energy LABEL=VALUE[eV] (cli/lattice_options.c): names
 * the lattice lacks are refused with the valid ones listed (and the nearest as a hint),
 * bad values with their range, the same class or sublattice twice as a repeated option
 * is; a version-1 file's per-jump rates have no classes to set; energies in eV wait for
 * --T; rates beyond the integer rates' 2^32 range are refused before anything runs. */
Test(cli_usage, rates_and_site_energies)
{
    char file[512], scan_dir[64], scan_out[128];
    BAD_RUN("--rate: lattice fcc has no jump class 'c' (valid: nn)", "--rate", "c=2");
    BAD_RUN("--rate: lattice fcc has no jump class 'n' (did you mean 'nn'? valid: nn)",
            "--rate", "n=2");
    BAD_RUN("option '--rate' is given twice for class nn: give it once", "--rate", "nn=1",
            "--rate", "nn=2");
    BAD_RUN("--rate: rate '0' is not a number in (0, 1e30] or P/Q", "--rate", "nn=0");
    BAD_RUN("--rate: rate '-1' is not a number", "--rate", "nn=-1");
    BAD_RUN("--rate: rate '1/0' is not P/Q", "--rate", "nn=1/0");
    BAD_RUN("--rate: rate 'fast' is not a number", "--rate", "nn=fast");
    BAD_RUN("--rate: 'nn' is not CLASS=VALUE", "--rate", "nn");
    BAD_RUN("--rate: 'n-n' is not a jump class name", "--rate", "n-n=1");
    BAD_RUN("--rate: '' is not a jump class name", "--rate", "=1");
    BAD_RUN("--site-energy: lattice honeycomb has no sublattice 'C' (", "--lattice",
            "honeycomb", "--site-energy", "C=1");
    BAD_RUN("valid: A, B)", "--lattice", "honeycomb", "--site-energy", "C=1");
    BAD_RUN("option '--site-energy' is given twice for sublattice B", "--lattice", "honeycomb",
            "--site-energy", "B=1", "--site-energy", "B=1");
    BAD_RUN("--site-energy B=0.1eV needs --T", "--lattice", "honeycomb", "--site-energy",
            "B=0.1eV");
    BAD_RUN("--site-energy: energy '1kT' is not a number within +-1000 kT", "--lattice",
            "honeycomb", "--site-energy", "B=1kT");
    BAD_RUN("--site-energy: energy '200eV' is not a number within +-100 eV", "--lattice",
            "honeycomb", "--site-energy", "B=200eV", "--T", "800");
    /* exp(-60/2) / exp(60/2) = e^-60: beyond the integer rates' 2^-32 */
    BAD_RUN("beyond the 2^32 range of the integer rates", "--lattice", "honeycomb",
            "--site-energy", "B=60");
    snprintf(file, sizeof file, "%s/tests/lattices/sc-layered.lat", HOP_SOURCE_DIR);
    BAD_RUN("--rate: lattice sc-layered has per-jump rates (a version-1 file), no jump classes",
            "--lattice-file", file, "--rate", "nn=2");
    BAD_RUN("site energies need jump classes", "--lattice-file", file, "--site-energy", "A=1");
    /* a lattice file that does not exist: the nearest *.lat beside it, or the built-in
     * lattice of that name ([users] audit: only "cannot open") */
    {
        char missing[600], hint[700];
        snprintf(missing, sizeof missing, "%s/tests/lattices/kagome-ab.lat", HOP_SOURCE_DIR);
        snprintf(hint, sizeof hint, "cannot open: No such file or directory (did you mean "
                 "'%s/tests/lattices/kagome-abc.lat'?)", HOP_SOURCE_DIR);
        BAD_RUN(hint, "--lattice-file", missing);
        BAD_RUN("(did you mean --lattice fcc?)", "--lattice-file", "fcc.lat");
        snprintf(missing, sizeof missing, "%s/tests/lattices/zzzzzzzz.lat", HOP_SOURCE_DIR);
        BAD_RUN("zzzzzzzz.lat: cannot open: No such file or directory", "--lattice-file",
                missing);
    }
    /* a scan: a bad axis value is a usage error before the CSV exists */
    make_dir(scan_dir, sizeof scan_dir);
    snprintf(scan_out, sizeof scan_out, "%s/s.csv", scan_dir);
    assert_usage_error(hop_run_list("scan", "--out", scan_out, "--rate", "nn=1:2:3", "--rate",
                                    "x=1,2", NULL), "no jump class 'x'", "scan --rate x");
    assert_usage_error(hop_run_list("scan", "--out", scan_out, "--rate", "nn=1,0", NULL),
                       "--rate: rate '0'", "scan --rate 0");
    assert_usage_error(hop_run_list("scan", "--out", scan_out, "--rate", "nn=1,2", "--rate",
                                    "nn=3", NULL), "given twice for class nn", "scan --rate twice");
    cr_assert_eq(count_entries(scan_dir), 0, "a refused scan wrote nothing");
    remove_dir(scan_dir);
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

Test(cli_info, help_shows_defaults)
{
    static const char *opts[] = {"--lattice", "--estimator", "--model", "--seed", "--replicas",
                                 "--threads", "--radius", "--shells", "--size", "--time",
                                 "--times", "--fit-from", "--no-size-check", "--json",
                                 "--msd-csv", "--quiet", "--help", "--rate", "--site-energy"};
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
        cr_assert_not_null(options);
        for (int i = 0; i < hop_model_count(); ++i) {
            const char *name = hop_model_at(i)->name, *m = strstr(p->out, name);
            cr_assert(m && m < options, "model %s not introduced before the options", name);
        }
        cr_assert_eq(hop_model_count(), 5, "vacancy, random, solute, gas, alloy");
        cr_assert(strstr(p->out, "1e6") && strstr(p->out, "4M") && strstr(p->out, "twice is an "
                  "error") && strstr(p->out, "--option=value"), "%s", p->out);
    }

    p = hop_run_list("--help", NULL);
    cr_assert_eq(p->status, 0);
    cr_assert(strstr(p->out, "run") && strstr(p->out, "lattices") && strstr(p->out, "bench"));
    /* the run command names every model ([users] audit: the alloy was missing) */
    cr_assert_not_null(strstr(p->out, "one estimation on one lattice: the vacancy, random, "
                              "solute, gas or alloy\n"), "%s", p->out);
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

/* fuzz_cli.c: fuzz target for hop's command line (host/cli/cli.c, host/base/parse.c,
 * hop_params_resolve in host/run/run.c and the physics and solute checks it calls).
 *
 * The input is a command line, one argument per line (hop_fuzz_args in fuzz.h).  The
 * first argument picks what runs:
 *   run ...        hop_run_options_parse, then, as `hop run` does before it computes
 *                  anything, the backend choice and hop_params_resolve, then the
 *                  corr or msd step parameters a run would derive (hop_run_*_params);
 *   scan           skipped: fuzz_scan.c is its target;
 *   bench, gas-kinetic
 *                  skipped: they compute, and write files;
 *   anything else  hop_cli_main as `hop ARG ...` (lattices, lattices --write NAME,
 *                  help [CMD], --version, --help, unknown commands): cheap and free of
 *                  side effects.
 * No run is ever started and no file written: --json and --msd-csv are only checked
 * (stat, access); an input naming --lattice-file is skipped.  Checked properties:
 * parse and resolve return what their contracts say (0 or 2; HOP_OK or HOP_ERR_INVAL
 * with a one-line message); parsing the same arguments twice gives the same outcome
 * (getopt keeps state between calls); a resolved run has its lattice and replicas,
 * resolving it again changes nothing, and the truncation radii (corr) or time grid
 * (msd; the gas model's, from its box tables) it derives increase strictly.  Gas boxes
 * beyond 8 cells are skipped (their tables take long to build).  The seed corpus is
 * tests/fuzz/corpus/cli/, the dictionary cli.dict. */
#include <string.h>
#include "fuzz.h"
#include "cli/lattice_options.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "models/gas.h"
#include "hop/hop.h"
#include "run/run.h"

/* `run ARGS`: parse (twice), choose the backend, resolve (twice), derive the step
 * parameters. */
static void fuzz_run(int argc, char **argv)
{
    hop_run_options o, o2;
    hop_params p2;
    char *argv2[HOP_FUZZ_MAX_ARGS + 2], msg[512] = "", msg2[512] = "";
    int done = -1, done2 = -1, rc, rc2;
    for (int i = 1; i < argc; ++i)
        if (hop_fuzz_names_lattice_file(argv[i]))
            return;
    memcpy(argv2, argv, (size_t)(argc + 1) * sizeof *argv);    /* getopt permutes argv */
    rc = hop_run_options_parse("run", argc, argv, &o, &done);
    HOP_FUZZ_CHECK(rc == 0 || rc == 2, "hop_run_options_parse returned %d", rc);
    HOP_FUZZ_CHECK(done == 0 || (done == 1 && rc == 0), "done %d with status %d", done, rc);
    /* The outcome depends on the arguments only, not on what an earlier parse left. */
    rc2 = hop_run_options_parse("run", argc, argv2, &o2, &done2);
    HOP_FUZZ_CHECK(rc2 == rc && done2 == done, "parsed twice: status %d then %d, done %d then %d",
                   rc, rc2, done, done2);
    HOP_FUZZ_CHECK(rc != 0 || done || memcmp(&o, &o2, sizeof o) == 0,
                   "parsed twice: different options");
    if (rc != 0 || done)
        return;
    /* The gas model builds its box tables while resolving (up to 2^22 sites): boxes
     * beyond 8 cells are skipped, as they would take the fuzzer's time. */
    if (o.p.model == HOP_MODEL_GAS && o.p.size > 8)
        return;
    o.p.backend = hop_backend_choose(o.p.backend, NULL, 0);
    if (hop_params_resolve(&o.p, msg, sizeof msg) != HOP_OK) {
        HOP_FUZZ_CHECK(msg[0] != '\0' && strchr(msg, '\n') == NULL,
                       "resolve failed without a one-line message: '%s'", msg);
        return;
    }
    HOP_FUZZ_CHECK(o.p.lattice != NULL && o.p.replicas >= 2, "resolved without %s",
                   o.p.lattice ? "replicas" : "a lattice");
    /* Resolving resolved parameters changes nothing (hop_run_execute may do it). */
    p2 = o.p;
    HOP_FUZZ_CHECK(hop_params_resolve(&p2, msg2, sizeof msg2) == HOP_OK,
                   "resolved parameters fail a second resolve: %s", msg2);
    HOP_FUZZ_CHECK(memcmp(&p2, &o.p, sizeof p2) == 0, "a second resolve changed them");
    /* What a run derives: increasing truncation radii; the msd time grid "strictly
     * increasing, time_steps[0] >= 1" (step.h), in clock units for rates. */
    if (o.p.model == HOP_MODEL_GAS) {
        hop_gas_model *m = hop_gas_model_alloc(&o.p);
        HOP_FUZZ_CHECK(m != NULL, "hop_gas_model_alloc failed");
        for (int i = 0; i < m->gp.n_times; ++i)
            HOP_FUZZ_CHECK(m->gp.time_attempts[i] > (i ? m->gp.time_attempts[i - 1] : 0),
                           "time_attempts[%d] = %lld after %lld", i,
                           (long long)m->gp.time_attempts[i],
                           (long long)(i ? m->gp.time_attempts[i - 1] : 0));
        hop_gas_model_free(m);
    } else if (o.p.estimator == HOP_EST_CORR) {
        double radius[HOP_MAX_SHELLS];
        hop_corr_params cp;
        hop_run_corr_params(&o.p, radius, &cp);
        for (int m = 0; m < cp.n_shells; ++m)
            HOP_FUZZ_CHECK(cp.shell_r2[m] > (m ? cp.shell_r2[m - 1] : 0),
                           "shell_r2[%d] = %lld after %lld", m, (long long)cp.shell_r2[m],
                           (long long)(m ? cp.shell_r2[m - 1] : 0));
    } else {
        hop_msd_params mp;
        hop_run_msd_params(&o.p, o.p.size, &mp);
        for (int i = 0; i < mp.n_times; ++i)
            HOP_FUZZ_CHECK(mp.time_steps[i] > (i ? mp.time_steps[i - 1] : 0),
                           "time_steps[%d] = %lld after %lld", i, (long long)mp.time_steps[i],
                           (long long)(i ? mp.time_steps[i - 1] : 0));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char prog[] = "hop";
    int argc;
    char **argv = hop_fuzz_args(data, size, prog, &argc);
    if (!argv)
        return 0;
    /* --rate/--site-energy copies (cli/lattice_options.h) of earlier inputs go: the
     * table of distinct copies would fill up over millions of inputs */
    hop_lattice_copies_clear();
    if (argc >= 2 && strcmp(argv[1], "run") == 0) {
        fuzz_run(argc - 1, argv + 1);
    } else if (argc < 2 || (strcmp(argv[1], "scan") != 0 && strcmp(argv[1], "bench") != 0
                            && strcmp(argv[1], "gas-kinetic") != 0)) {
        int rc = hop_cli_main(argc, argv);
        HOP_FUZZ_CHECK(rc >= 0 && rc <= 2, "hop_cli_main returned %d", rc);
    }
    free(argv);
    return 0;
}

/* cli.c: everything between the user and the library.
 *
 *   hop run [options]       one estimation of f (hop_run_execute), summary on stdout,
 *                           optional JSON record and MSD table
 *   hop lattices            the built-in lattices as a table; --write NAME prints one
 *                           in the lattice file format (host/lattice/file.h)
 *   hop bench [options]     throughput figures (host/cli/bench.c)
 *   hop help [command], hop --help, hop -h, hop --version; plain `hop` prints the help
 *
 * Exit statuses: 0 success; 2 usage error, reported as one line "hop: <problem>" plus
 * "try 'hop <cmd> --help'" on stderr; 1 runtime error ("hop: error: ..." through
 * hop_error).  Every usage problem, including unusable output paths and parameters
 * that only the lattice can judge (hop_params_resolve), is found before any
 * computation starts, and no output file is created or truncated unless the run
 * succeeds (host/base/atomic_file.c). */
#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(_OPENMP)
#  include <omp.h>
#endif
#include "hop_git.h"
#include "base/atomic_file.h"
#include "backend/cuda.h"
#include "cli/bench.h"
#include "run/checkpoint.h"
#include "cli/gas_kinetic.h"
#include "cli/stop_signal.h"
#include "lattice/file.h"
#include "run/mpi.h"
#include "run/exact_run.h"
#include "models/model.h"
#include "models/alloy.h"
#include "cli/scan.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "hop/hop.h"
#include "output/csv.h"
#include "output/json.h"
#include "base/parse.h"
#include "output/report.h"
#include "run/run.h"

/* ------------------------------------------------------------------- help --- */

/* The models of the registry (models/registry.c) as "a, b, c or d" into buf. */
static void model_names(char *buf, size_t n)
{
    const int count = hop_model_count();
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < count && used < n; ++i)
        used += (size_t)snprintf(buf + used, n - used, "%s%s",
                                 i == 0 ? "" : i == count - 1 ? " or " : ", ",
                                 hop_model_at(i)->name);
}

static void top_usage(FILE *out)
{
    char models[256];
    model_names(models, sizeof models);
    fprintf(out,
        "hop %s: lattice hopping engine; tracer correlation factors of the vacancy mechanism\n"
        "usage: hop <command> [options]\n"
        "commands:\n"
        "  run        one estimation on one lattice: the %s\n"
        "             model (hop run --help for its options)\n"
        "  scan       a grid of runs (temperatures, rates, lattices, ...) into one CSV\n"
        "  lattices   list the built-in lattices\n"
        "  bench      throughput of a backend (hop bench --help)\n"
        "  gas-kinetic  self vs mutual diffusion of krypton in a dilute gas (Chapman-Enskog)\n"
        "  help [cmd] this text, or the options of one command\n"
        "options:\n"
        "  --version  print the version and exit\n"
        "  --help     this text (also -h)\n"
        "units: lengths in lattice constants a, times in 1/omega, D in a^2 omega\n",
        HOP_VERSION, models);
}


static void lattices_usage(FILE *out)
{
    fprintf(out,
        "usage: hop lattices [--write NAME]\n"
        "  Lists the built-in lattices: dimension, coordination z, jump length in lattice\n"
        "  constants, sublattices with distinct jump sets, sites per conventional cell,\n"
        "  the cell, and the smallest --size (in cells) of a valid periodic box.\n"
        "options:\n"
        "  --write NAME   print the built-in lattice NAME in the lattice file format\n"
        "                 instead (tests/lattices/README.md): a start for your own lattice,\n"
        "                 which `hop run --lattice-file FILE` reads\n"
        "  --help         this text\n");
}

/* --------------------------------------------------------------- lattices --- */

/* `hop lattices --write NAME`: the built-in NAME as a lattice file on stdout. */
static int lattices_write(const char *name)
{
    const hop_lattice *L = hop_lattice_find(name);
    hop_status s;
    if (!L)
        return hop_unknown_lattice_error("lattices", "--write", name);
    s = hop_lattice_write(stdout, L);
    if (s != HOP_OK || fflush(stdout) != 0) {
        hop_error(HOP_ERR_IO, "cannot write lattice %s to stdout: %s", name,
                  hop_strerror(s != HOP_OK ? s : HOP_ERR_IO));
        return 1;
    }
    return 0;
}

static int cmd_lattices(int argc, char **argv)
{
    if (argc > 1) {
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
            lattices_usage(stdout);
            return 0;
        }
        if (strcmp(argv[1], "--write") == 0 || strncmp(argv[1], "--write=", 8) == 0) {
            const int inline_value = argv[1][7] == '=';
            const char *name = inline_value ? argv[1] + 8 : argc > 2 ? argv[2] : NULL;
            const int next = inline_value ? 2 : 3;
            if (!name)
                return hop_usage_error("lattices", "option '--write' needs a value");
            if (argc > next)
                return hop_usage_error("lattices", "unexpected argument '%s'", argv[next]);
            return lattices_write(name);
        }
        if (argv[1][0] == '-')
            return hop_usage_error("lattices", "unknown option '%s'", argv[1]);
        return hop_usage_error("lattices", "unexpected argument '%s'", argv[1]);
    }
    printf("%-12s %3s %3s %12s %11s %10s  %-10s %8s\n", "name", "dim", "z", "jump [a]",
           "sublattices", "sites/cell", "cell", "min size");
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const hop_lattice *L = hop_lattice_get(i);
        if (!L)
            continue;
        printf("%-12s %3d %3d %12.6f %11d %10d  %-10s %8d\n", L->name, L->dim, L->z,
               hop_lattice_jump_length(L), L->n_sub, L->n_basis, L->cell_name, L->min_size);
    }
    return 0;
}

/* Progress of `hop run` on stderr, at most one report every 2 s per box: in place
 * (carriage return) on a terminal, plain lines otherwise; none when quiet.  The
 * companion box (the msd estimator's finite-size check) is announced on a line of its
 * own as it starts, then reported the same way, its lines saying so.  Every sub-batch
 * tells the first signal's message its length (a box's first is not timed yet), and
 * the last report of each box is kept for an interrupted run's word on what it had
 * done. */
typedef struct {
    double last;
    int tty, shown, quiet;
    hop_progress latest, companion;     /* companion.phase == 1 once it has started */
} progress_state;

/* The companion box's announcement: ends the line left open on a terminal. */
static void announce_companion(progress_state *ps, const hop_progress *g)
{
    fprintf(stderr, "%shop: companion box of %d cells per edge, %llu replicas, for the "
            "finite-size bias ...\n", ps->tty && ps->shown ? "\n" : "", g->box_size,
            (unsigned long long)g->replicas_planned);
    fflush(stderr);
    ps->shown = 0;
}

static void print_progress(const hop_progress *g, void *user)
{
    progress_state *ps = user;
    char of[48] = "", eta[48] = "";
    if (g->phase == 1)
        ps->companion = *g;
    else
        ps->latest = *g;
    if (g->starting) {
        ps->last = 0;                   /* elapsed_s counts from the box's start */
        if (g->phase == 1 && !ps->quiet && !hop_stop_signal)
            announce_companion(ps, g);
        hop_stop_signals_part(HOP_STOP_UNTIMED, ps->tty && ps->shown);
        return;
    }
    if (ps->quiet || hop_stop_signal || g->elapsed_s - ps->last < 2.0) {
        hop_stop_signals_part(g->next_part_s, ps->tty && ps->shown);
        return;     /* a stopping run's last report would come under the signal's message */
    }
    ps->last = g->elapsed_s;
    ps->shown = 1;
    if (g->replicas_planned > 0) {
        snprintf(of, sizeof of, " of %llu", (unsigned long long)g->replicas_planned);
        if (g->replicas_done > 0)
            snprintf(eta, sizeof eta, ", ETA %.0f s", g->elapsed_s
                     * ((double)g->replicas_planned / (double)g->replicas_done - 1.0));
    }
    fprintf(stderr, "%shop: %s%llu%s replicas, f = %.6g ± %.2g, %.3g steps/s, %.0f s%s%s",
            ps->tty ? "\r" : "", g->phase == 1 ? "companion box: " : "",
            (unsigned long long)g->replicas_done, of, g->f, g->f_sigma, g->steps_per_s,
            g->elapsed_s, eta, ps->tty ? "   " : "\n");
    fflush(stderr);
    hop_stop_signals_part(g->next_part_s, ps->tty);
}

/* What an interrupted run says (rank 0): where its state is, or, without a checkpoint,
 * what it had done and how to keep it next time. */
static void say_interrupted(const hop_params *p, const progress_state *ps, int sig)
{
    if (p->checkpoint) {
        fprintf(stderr, "hop: stopped by signal %d; the state is saved in '%s': continue "
                "with --resume %s\n", sig, p->checkpoint, p->checkpoint);
        return;
    }
    char companion[96] = "";
    if (ps->companion.phase == 1)
        snprintf(companion, sizeof companion, " and %llu of the companion box's in %.0f s "
                 "more", (unsigned long long)ps->companion.replicas_done,
                 ps->companion.elapsed_s);
    fprintf(stderr, "hop: stopped by signal %d after %llu replica%s in %.0f s%s; without "
            "--checkpoint they are lost: run with --checkpoint FILE to keep the state and "
            "continue later with --resume FILE\n", sig,
            (unsigned long long)ps->latest.replicas_done,
            ps->latest.replicas_done == 1 ? "" : "s", ps->latest.elapsed_s, companion);
}

/* One exit status for all ranks of an MPI job (the largest), so that none goes on
 * alone into a run the others have left. */
static int agreed_exit(int rc)
{
    hop_mpi_max_int(&rc, 1);
    return rc;
}

/* hop run --estimator exact: one process, no replicas (exact_run.h).  A radius too
 * large for memory or a singular system is bad input: one line, exit 2, nothing
 * written.  [exact] wired as its own branch until the model table lands. */
static int cmd_run_exact(hop_run_options *o, int full_argc, char **full_argv)
{
    hop_exact_result r;
    char msg[MSG_LEN];
    char *cmdline;
    hop_status s;
    int rc = 0;
    if (hop_exact_run_check(&o->p, msg, sizeof msg) != HOP_OK)
        return hop_usage_error("run", "%s", msg);
    if (hop_mpi_rank() > 0)
        return 0;
    if (!o->quiet) {
        hop_exact_threads_note(&o->p, "hop");
        fprintf(stderr, "hop: exact solver on %s, %s model ...\n", o->p.lattice->name,
                hop_model_name(o->p.model));
    }
    s = hop_exact_run(&o->p, HOP_EXACT_DEFAULT_MAX_BYTES, NULL, &r);
    if (s != HOP_OK)
        return s == HOP_ERR_NOMEM || s == HOP_ERR_NUMERIC || s == HOP_ERR_INVAL ? 2 : 1;
    hop_report_exact(stdout, &o->p, &r);
    fflush(stdout);
    if (o->json) {
        if (!(cmdline = hop_command_line(full_argc, full_argv))) {
            hop_error(HOP_ERR_NOMEM, "out of memory recording the command line");
            return 1;
        }
        if (hop_json_write_exact(o->json, &o->p, &r, cmdline) != HOP_OK)
            rc = 1;
        free(cmdline);
    }
    return rc;
}

static int cmd_run(int argc, char **argv, int full_argc, char **full_argv)
{
    hop_run_options o;
    hop_result *r = NULL;
    char msg[MSG_LEN];
    char *cmdline;
    char note[MSG_LEN];
    progress_state progress;
    hop_status s;
    unsigned long errors;
    int done, rc;

    /* Every rank parses the same line; rank 0 alone checks files, so its verdict is
     * shared before anyone goes on (run/mpi.h).  Rank 0 alone prints. */
    rc = hop_run_options_parse("run", argc, argv, &o, &done);
    if ((rc = agreed_exit(rc)) != 0 || done)
        return rc;
    if (o.p.estimator == HOP_EST_EXACT)
        return cmd_run_exact(&o, full_argc, full_argv);
    o.quiet |= hop_mpi_rank() > 0;
    o.p.backend = hop_backend_choose(o.p.backend, note, sizeof note);
    if (hop_params_resolve(&o.p, msg, sizeof msg) != HOP_OK)
        rc = hop_usage_error("run", "%s", msg);
    else if (o.p.resume && hop_mpi_rank() == 0
             && hop_checkpoint_check(o.p.resume, &o.p, msg, sizeof msg) != HOP_OK)
        rc = hop_usage_error("run", "--resume: %s", msg);
    if ((rc = agreed_exit(rc)) != 0)
        return rc;
    if (note[0] && !o.quiet)
        fprintf(stderr, "hop: %s\n", note);
    if (!o.quiet) {
        const int threads = o.p.threads ? o.p.threads : hop_default_threads();
        char where[96];
        int used;
        if (o.p.backend == HOP_BACKEND_CUDA)
            used = snprintf(where, sizeof where, "cuda backend");
        else
            used = snprintf(where, sizeof where, "cpu backend, %d thread%s", threads,
                            threads == 1 ? "" : "s");
        if (hop_mpi_size() > 1 && used > 0 && (size_t)used < sizeof where)
            snprintf(where + used, sizeof where - (size_t)used, " (rank 0 of %d MPI processes)",
                     hop_mpi_size());
        fprintf(stderr, "hop: %s estimator on %s, %s model, %llu replicas, %s ...\n",
                o.p.estimator == HOP_EST_MSD ? "msd" : "corr", o.p.lattice->name,
                hop_model_name(o.p.model),
                (unsigned long long)o.p.replicas, where);
        if (hop_alloy_short_run(&o.p, msg, sizeof msg))    /* the verdict will say it too */
            fprintf(stderr, "hop: warning: %s\n", msg);
        fflush(stderr);
    }
    memset(&progress, 0, sizeof progress);
    progress.quiet = o.quiet;
    progress.tty = isatty(fileno(stderr));
    o.p.progress = print_progress;
    o.p.progress_user = &progress;
    o.p.progress_f = !o.quiet;      /* quiet: no estimates for a progress not shown */
    o.p.interrupt = &hop_stop_signal;
    hop_stop_signals_catch(hop_mpi_rank() == 0);
    errors = hop_error_count();
    s = hop_run_execute(&o.p, &r);
    if (progress.shown && progress.tty && !(hop_stop_signal && hop_mpi_rank() == 0))
        fputc('\n', stderr);       /* (the signal's message has ended the line) */
    if (s == HOP_ERR_INTERRUPTED) {
        const int sig = hop_stop_signal ? (int)hop_stop_signal : SIGTERM;  /* another rank's */
        if (hop_mpi_rank() == 0)
            say_interrupted(&o.p, &progress, sig);
        return 128 + sig;
    }
    if (s != HOP_OK) {
        if (hop_error_count() == errors)     /* else the library has said what went wrong */
            hop_error(s, "the run failed: %s", hop_strerror(s));
        return 1;
    }
    if (hop_mpi_rank() > 0) {
        hop_result_free(r);
        return 0;
    }
    if (!o.quiet)
        fprintf(stderr, "hop: done in %.3f s (%llu replicas; stopped by %s)\n", r->wall_s,
                (unsigned long long)r->replicas, r->stopped_by);
    hop_report_print(stdout, r);
    fflush(stdout);
    rc = 0;
    if (o.json) {
        if (!(cmdline = hop_command_line(full_argc, full_argv))) {
            hop_error(HOP_ERR_NOMEM, "out of memory recording the command line");
            rc = 1;
        } else {
            if (hop_json_write(o.json, r, cmdline) != HOP_OK)
                rc = 1;
            free(cmdline);
        }
    }
    if (o.msd_csv && hop_msd_csv_write(o.msd_csv, r) != HOP_OK)
        rc = 1;
    if (rc != 0 && o.p.checkpoint)
        fprintf(stderr, "hop: the statistics are saved in '%s': write the outputs with the "
                "same command and --resume %s\n", o.p.checkpoint, o.p.checkpoint);
    hop_result_free(r);
    return rc;
}

/* ------------------------------------------------------------------- main --- */

static int is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 || strcmp(a, "help") == 0;
}

/* The program's error handler: "hop: error: <message>" on stderr, with the rank in an MPI
 * job of several processes. */
static void print_error(hop_status s, const char *message)
{
    (void)s;
    if (hop_mpi_size() > 1)
        fprintf(stderr, "hop: error: rank %d: %s\n", hop_mpi_rank(), message);
    else
        fprintf(stderr, "hop: error: %s\n", message);
    fflush(stderr);
}

int hop_cli_main(int argc, char **argv)
{
    const char *cmd;
    hop_set_error_handler(print_error);
    if (argc < 2) {             /* plain `hop`: what it can do */
        top_usage(stdout);
        return 0;
    }
    cmd = argv[1];
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1, argc, argv);
    if (hop_mpi_size() > 1)     /* the others are cheap, or measure one process */
        return hop_mpi_rank() > 0 ? 2
               : hop_usage_error(NULL, "under mpirun only `hop run` shares its replicas "
                                 "across processes; run '%s' without mpirun", cmd);
    if (strcmp(cmd, "lattices") == 0)
        return cmd_lattices(argc - 1, argv + 1);
    if (strcmp(cmd, "bench") == 0 || strcmp(cmd, "gas-kinetic") == 0 || strcmp(cmd, "scan") == 0) {
        char *line = hop_command_line(argc, argv);
        int status = !line ? 1
                     : cmd[0] == 'b' ? hop_bench_main(argc - 1, argv + 1, line)
                     : cmd[0] == 's' ? hop_scan_main(argc - 1, argv + 1, line)
                                     : hop_gas_kinetic_main(argc - 1, argv + 1, line);
        if (!line)
            hop_error(HOP_ERR_NOMEM, "out of memory");
        free(line);
        return status;
    }
    if (strcmp(cmd, "--version") == 0) {
        if (argc > 2)
            return hop_usage_error(NULL, "unexpected argument '%s'", argv[2]);
        printf("hop %s (%s)\n", HOP_VERSION, HOP_GIT_COMMIT);
        return 0;
    }
    if (is_help(cmd)) {
        char help_opt[] = "--help";
        char *help_argv[4];
        if (argc == 2 || (argc == 3 && is_help(argv[2]))) {
            top_usage(stdout);
            return 0;
        }
        if (argc > 3)
            return hop_usage_error(NULL, "unexpected argument '%s'", argv[3]);
        if (strcmp(argv[2], "run") != 0 && strcmp(argv[2], "lattices") != 0
            && strcmp(argv[2], "bench") != 0 && strcmp(argv[2], "gas-kinetic") != 0
            && strcmp(argv[2], "scan") != 0)
            return hop_usage_error(NULL, "unknown command '%s'", argv[2]);
        /* `hop help CMD` is `hop CMD --help`. */
        help_argv[0] = argv[0];
        help_argv[1] = argv[2];
        help_argv[2] = help_opt;
        help_argv[3] = NULL;
        return hop_cli_main(3, help_argv);
    }
    if (cmd[0] == '-')
        return hop_usage_error(NULL, "unknown option '%s'", cmd);
    {
        static const char *const commands[] = {"run", "scan", "lattices", "bench",
                                               "gas-kinetic", "help"};
        const char *near = hop_nearest_name(cmd, commands, 6);
        if (near)
            return hop_usage_error(NULL, "unknown command '%s' (did you mean '%s'? commands: "
                                   "run, scan, lattices, bench, gas-kinetic, help)", cmd, near);
    }
    return hop_usage_error(NULL, "unknown command '%s' (commands: run, scan, lattices, bench, "
                           "gas-kinetic, help)", cmd);
}

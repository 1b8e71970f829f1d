/* options.h: `hop run`'s options (cli/options.c), parsed by `hop run` and `hop scan`. */
#ifndef HOP_CLI_OPTIONS_H
#define HOP_CLI_OPTIONS_H

#include <stddef.h>
#include "hop/hop.h"
#include "cli/lattice_options.h"

#define MSG_LEN 512

/* `hop run`'s options, parsed but not yet resolved. */
typedef struct {
    hop_params p;
    const char *json, *msd_csv;
    const char *corr_only, *msd_only;   /* first estimator-specific option given */
    hop_lattice_settings lattice_settings;  /* --rate, --site-energy (applied to p.lattice) */
    int quiet;
} hop_run_options;

/* Parses `hop run`'s options (argv[0] is the command name) into o.  Returns 0 to go
 * on, or the exit status: 0 after --help (*done set), 2 after a usage error, reported
 * with "try 'hop <cmd> --help'". */
int hop_run_options_parse(const char *cmd, int argc, char **argv, hop_run_options *o,
                          int *done);

/* Usage error of command cmd (NULL: the top level): prints "hop: <message>" and the
 * "try ... --help" line, returns 2. */
int hop_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Usage error of command cmd for an unknown lattice name typed after option opt:
 * names the valid ones and the nearest as a hint; returns 2. */
int hop_unknown_lattice_error(const char *cmd, const char *opt, const char *typed);

/* The whole command line, arguments separated by spaces and quoted for a POSIX shell
 * when they contain anything but plainly safe characters.  Returns a new string the
 * caller frees, or NULL when out of memory. */
char *hop_command_line(int argc, char **argv);

/* Threads used when --threads is not given (OpenMP's default: all cores). */
int hop_default_threads(void);

/* The one line `hop run` and `hop scan` print on stderr (unless --quiet) when --threads
 * comes with --estimator exact: the solver runs on one thread (docs/exact.md), and the
 * option is accepted, so that a script passing it to every run does not break.  prefix:
 * "hop" or "hop scan", as the command's other lines begin. */
void hop_exact_threads_note(const hop_params *p, const char *prefix);

/* The built-in lattice names, comma-separated, into buf. */
void hop_lattice_names(char *buf, size_t n);

#endif

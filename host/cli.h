/* cli.h: hop's command line: `hop run`, `hop lattices`, `hop bench`, help and version. */
#ifndef HOP_CLI_H
#define HOP_CLI_H

#include "hop/hop.h"

/* Runs the command in argv (argv[0] is the program name) and returns the exit status:
 * 0 success, 2 usage error (one line "hop: <problem>" and a "try ... --help" line on
 * stderr), 1 runtime error ("hop: error: ..." on stderr).  Results go to stdout and
 * the files named by --json / --msd-csv; progress goes to stderr. */
int hop_cli_main(int argc, char **argv);

/* `hop run`'s options, parsed but not yet resolved. */
typedef struct {
    hop_params p;
    const char *json, *msd_csv;
    const char *corr_only, *msd_only;   /* first estimator-specific option given */
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

/* The whole command line, arguments separated by spaces and quoted for a POSIX shell
 * when they contain anything but plainly safe characters.  Returns a new string the
 * caller frees, or NULL when out of memory. */
char *hop_command_line(int argc, char **argv);

#endif

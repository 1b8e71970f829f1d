/* cli.h: hop's command line: `hop run`, `hop lattices`, `hop bench`, help and version. */
#ifndef HOP_CLI_H
#define HOP_CLI_H

#include "hop/hop.h"

/* Runs the command in argv (argv[0] is the program name) and returns the exit status:
 * 0 success, 2 usage error (one line "hop: <problem>" and a "try ... --help" line on
 * stderr), 1 runtime error ("hop: error: ..." on stderr).  Results go to stdout and
 * the files named by --json / --msd-csv; progress goes to stderr. */
int hop_cli_main(int argc, char **argv);

#endif

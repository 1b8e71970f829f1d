/* cli.h: hop's command line: `hop run`, `hop lattices`, `hop bench`, help and version. */
#ifndef HOP_CLI_H
#define HOP_CLI_H

/* Runs the command in argv (argv[0] is the program name) and returns the exit status:
 * 0 success, 2 usage error (one line "hop: <problem>" and a "try ... --help" line on
 * stderr), 1 runtime error ("hop: error: ..." on stderr).  Results go to stdout and
 * the files named by --json / --msd-csv; progress goes to stderr. */
int hop_cli_main(int argc, char **argv);

/* The whole command line, arguments separated by spaces and quoted for a POSIX shell
 * when they contain anything but plainly safe characters.  Returns a new string the
 * caller frees, or NULL when out of memory. */
char *hop_command_line(int argc, char **argv);

#endif

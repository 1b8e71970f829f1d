/* scan.h: `hop scan`, a grid of `hop run`s in one process. */
#ifndef HOP_SCAN_H
#define HOP_SCAN_H

/* `hop scan` (argv[0] = "scan"); returns the exit status. */
int hop_scan_main(int argc, char **argv, const char *command_line);

/* What hop_scan_main does before its first run, and no more: the grid planned, --out
 * checked (not created), every point parsed and resolved.  Nothing runs, nothing is
 * written.  Returns 0 when the scan could start (or after --help, which prints its
 * text), else the exit status with the problem reported as hop_scan_main would. */
int hop_scan_check(int argc, char **argv);

#endif

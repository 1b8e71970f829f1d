/* scan.h: `hop scan`, a grid of `hop run`s in one process. */
#ifndef HOP_SCAN_H
#define HOP_SCAN_H

/* `hop scan` (argv[0] = "scan"); returns the exit status. */
int hop_scan_main(int argc, char **argv, const char *command_line);

#endif

/* scan.h: `hop scan`, a grid of `hop run`s in one process. */
#ifndef HOP_SCAN_H
#define HOP_SCAN_H

#include <stdint.h>

/* `hop scan` (argv[0] = "scan"); returns the exit status. */
int hop_scan_main(int argc, char **argv, const char *command_line);

/* What hop_scan_main does before its first run, and no more: the grid planned, --out
 * checked (not created), every point parsed and resolved.  Nothing runs, nothing is
 * written.  Returns 0 when the scan could start (or after --help, which prints its
 * text), else the exit status with the problem reported as hop_scan_main would. */
int hop_scan_check(int argc, char **argv);

/* The seed of point `point` (1, 2, ...) of a scan with seed `seed`: the point-th output
 * of SplitMix64 (Steele, Lea and Flood 2014) started at state seed, i.e. with
 * z = seed + point * 0x9E3779B97F4A7C15 (mod 2^64), z = (z ^ z>>30) * 0xBF58476D1CE4E5B9,
 * z = (z ^ z>>27) * 0x94D049BB133111EB, the result z ^ z>>31.  A bijective mix: distinct
 * points of one scan get distinct seeds, and a point's row equals
 * `hop run --seed <this>` with the point's values. */
uint64_t hop_scan_point_seed(uint64_t seed, long point);

#endif

/* bench.h: `hop bench`, throughput of the CPU backend per lattice beside the Philox
 * ceiling, and the time to reach a target error on fcc. */
#ifndef HOP_BENCH_H
#define HOP_BENCH_H

/* Entry point of `hop bench`; argv[0] is "bench", command_line the whole invocation
 * (recorded in the JSON).  Returns the process exit status. */
int hop_bench_main(int argc, char **argv, const char *command_line);

#endif

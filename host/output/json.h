/* json.h: the machine-readable record of one `hop run`. */
#ifndef HOP_OUTPUT_JSON_H
#define HOP_OUTPUT_JSON_H

#include "hop/hop.h"
#include "stats/exact.h"

/* Writes r as one JSON object to `path`, atomically (temporary + rename): version, git
 * commit, command line, backend, threads, the resolved parameters, the results (D in
 * a^2 omega, lengths in a, times in 1/omega) and the performance counters.  Values
 * that are unknown (NaN, e.g. a bias bound without a size check) are written as null.
 * parameters.threads is the request (0 = all cores), the top-level threads the count
 * used.  command_line may be NULL.  Errors are reported through hop_error; returns HOP_OK,
 * HOP_ERR_NOMEM or HOP_ERR_IO. */
hop_status hop_json_write(const char *path, const hop_result *r, const char *command_line);

/* The JSON of an exact run: results.f (and f_x ...), f2 (solute), drag_ratio, each
 * {value, error_bound}; the radii, states, memory and time. */
hop_status hop_json_write_exact(const char *path, const hop_params *p, const hop_exact_result *r,
                                const char *command_line);

#endif

/* gas_output.h: the lattice gas's summary and JSON sections (models/gas_output.c), the
 * report, json_parameters and json_results of its table (models/gas.c). */
#ifndef HOP_MODELS_GAS_OUTPUT_H
#define HOP_MODELS_GAS_OUTPUT_H

#include <stdio.h>
#include <cjson/cJSON.h>
#include "hop/hop.h"

/* The gas's block (particles, D/D0, Theta, D_chem, f, Haven ratios, pairs, fits,
 * finite-size check), then its physical units when given. */
void hop_gas_report(FILE *out, const hop_result *r);
/* c, J, the pair energy, equilibrate and the physical units given. */
void hop_gas_json_parameters(cJSON *o, const hop_params *p);
/* The gas's results (the "units" key replaced: D in units of D0) and SI beside. */
void hop_gas_json_results(cJSON *o, const hop_result *r);
/* The gas's verdict (models/verdict.h): not_equilibrated when the pair count or Theta
 * drifts between the halves of the run, then the finite-size bounds of f and H. */
struct hop_verdict_s;
void hop_gas_verdict(const hop_result *r, struct hop_verdict_s *v);

#endif

/* format.h: numbers with their errors, as the models' summary and JSON sections write
 * them (models/model.h: report, json_*) and output/ around them.  A value is shown with
 * as many decimals as its standard error supports (two significant digits of the
 * error), so the printed digits are the meaningful ones; JSON has null for NaN.  These
 * write only into the buffer, stream or cJSON object they are given. */
#ifndef HOP_MODELS_FORMAT_H
#define HOP_MODELS_FORMAT_H

#include <stddef.h>
#include <stdio.h>
#include <cjson/cJSON.h>
#include "hop/hop.h"

/* "value ± sigma" into buf with decimals from sigma; %.8g for the value when sigma is
 * 0 (an exact result) or unknown; "undefined" when the value itself is NaN. */
void hop_format_pm(char *buf, size_t n, double value, double sigma);
/* A systematic bound with the decimals of the statistical error ("unknown" for NaN). */
void hop_format_bias(char *buf, size_t n, double bias, double sigma);
/* "(m ± s)e-15" for physical values of any magnitude. */
void hop_format_sci(char *buf, size_t n, double value, double sigma);
/* "label = value ± sigma units (stat), systematic bound b" and a newline. */
void hop_print_estimate(FILE *out, const char *label, const hop_estimate *e, const char *units);
/* "  label = (m ± s)eN units[, systematic bound b]" and a newline. */
void hop_print_sci(FILE *out, const char *label, const hop_estimate *e, const char *units);

/* key = v, or null when v is not finite.  NULL on failure. */
cJSON *hop_json_number(cJSON *o, const char *key, double v);
/* key = {value, stderr}; _estimate adds bias_bound (null where unknown). */
cJSON *hop_json_value_stderr(cJSON *o, const char *key, const hop_estimate *e);
cJSON *hop_json_estimate(cJSON *o, const char *key, const hop_estimate *e);
/* key = {value, stderr, bias_bound, unit}: e scaled by `by`. */
void hop_json_unit_estimate(cJSON *o, const char *key, const hop_estimate *e, double by,
                            const char *unit);
/* finite_size_check = {size, box_sites, replicas}, when a companion box ran, returned
 * for the caller's f (NULL: none ran, or {size, failed: true} when its fit failed);
 * _size_check adds f = {value, stderr} (r->f_check). */
cJSON *hop_json_companion(cJSON *o, const hop_result *r);
void hop_json_size_check(cJSON *o, const hop_result *r);

#endif

/* format.c: numbers with their errors as text and as JSON fields (see format.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "models/format.h"

/* Decimals that show two significant digits of sigma; -1 when sigma is 0 or unknown. */
static int decimals_for(double sigma)
{
    int d;
    if (!(sigma > 0) || !isfinite(sigma))
        return -1;
    d = 1 - (int)floor(log10(sigma));
    return d < 0 ? 0 : d > 15 ? 15 : d;
}

/* "value ± sigma" into buf with decimals from sigma; %.8g for the value when sigma is
 * 0 (an exact result) or unknown; "undefined" when the value itself is NaN (e.g.
 * D_sigma of the random model, which has no vacancy). */
void hop_format_pm(char *buf, size_t n, double value, double sigma)
{
    int d = decimals_for(sigma);
    if (!isfinite(value))
        snprintf(buf, n, "undefined");
    else if (d >= 0)
        snprintf(buf, n, "%.*f ± %.*f", d, value, d, sigma);
    else if (sigma == 0)
        snprintf(buf, n, "%.8g ± 0", value);
    else
        snprintf(buf, n, "%.8g ± unknown", value);
}

/* The systematic bound with the decimals of the statistical error, or two significant
 * digits when those decimals would round a non-zero bound to zero. */
void hop_format_bias(char *buf, size_t n, double bias, double sigma)
{
    int d = decimals_for(sigma);
    if (!isfinite(bias))
        snprintf(buf, n, "unknown");
    else if (bias == 0)
        snprintf(buf, n, "0");
    else if (d >= 0 && bias >= 0.5 * pow(10.0, -d))
        snprintf(buf, n, "%.*f", d, bias);
    else
        snprintf(buf, n, "%.2g", bias);
}

void hop_print_estimate(FILE *out, const char *label, const hop_estimate *e,
                           const char *units)
{
    char pm[96], bias[48];
    hop_format_pm(pm, sizeof pm, e->value, e->sigma);
    hop_format_bias(bias, sizeof bias, e->bias, e->sigma);
    fprintf(out, "%s = %s%s (stat), systematic bound %s\n", label, pm, units, bias);
}

/* "(m ± s)e-15" style for physical values of any magnitude, digits as hop_format_pm. */
void hop_format_sci(char *buf, size_t n, double value, double sigma)
{
    char pm[96];
    int e;
    if (!isfinite(value) || value == 0) {
        hop_format_pm(buf, n, value, sigma);
        return;
    }
    if (sigma == 0) {                 /* exact given its inputs */
        snprintf(buf, n, "%.6g", value);
        return;
    }
    e = (int)floor(log10(fabs(value)));
    hop_format_pm(pm, sizeof pm, value / pow(10, e), sigma / pow(10, e));
    snprintf(buf, n, "(%s)e%+03d", pm, e);
}

void hop_print_sci(FILE *out, const char *label, const hop_estimate *e, const char *units)
{
    char pm[128];
    hop_format_sci(pm, sizeof pm, e->value, e->sigma);
    fprintf(out, "  %s = %s %s", label, pm, units);
    if (e->bias > 0)
        fprintf(out, ", systematic bound %.2g", e->bias);
    fputc('\n', out);
}

/* Adds key = v, or null when v is not finite (JSON has no NaN).  NULL on failure. */
cJSON *hop_json_number(cJSON *o, const char *key, double v)
{
    return isfinite(v) ? cJSON_AddNumberToObject(o, key, v) : cJSON_AddNullToObject(o, key);
}

cJSON *hop_json_value_stderr(cJSON *o, const char *key, const hop_estimate *e)
{
    cJSON *x = cJSON_AddObjectToObject(o, key);
    hop_json_number(x, "value", e->value);
    hop_json_number(x, "stderr", e->sigma);
    return x;
}

/* value, stderr and bias_bound (null where unknown) */
cJSON *hop_json_estimate(cJSON *o, const char *key, const hop_estimate *e)
{
    cJSON *x = hop_json_value_stderr(o, key, e);
    hop_json_number(x, "bias_bound", e->bias);
    return x;
}

/* {value, stderr, bias_bound, unit}: a physical estimate scaled by `by`. */
void hop_json_unit_estimate(cJSON *o, const char *key, const hop_estimate *e, double by,
                              const char *unit)
{
    const hop_estimate x = {e->value * by, e->sigma * by, e->bias * by};
    cJSON_AddStringToObject(hop_json_estimate(o, key, &x), "unit", unit);
}

/* The companion box that bounds the finite-size bias, when one ran: its edge, sites
 * and the replicas it ran (a multiple of the run's, each shorter: about N/N_c for the
 * alloy, at most 4 for msd, 1 for the gas, models/estimators.h; fewer where a time
 * limit stopped it); the caller adds its f.  {size, failed: true} when it ran but its
 * estimate failed. */
cJSON *hop_json_companion(cJSON *o, const hop_result *r)
{
    cJSON *h;
    if (r->check_failed_size > 0) {
        h = cJSON_AddObjectToObject(o, "finite_size_check");
        cJSON_AddNumberToObject(h, "size", r->check_failed_size);
        cJSON_AddTrueToObject(h, "failed");
        return NULL;
    }
    if (r->check_size <= 0)
        return NULL;
    h = cJSON_AddObjectToObject(o, "finite_size_check");
    cJSON_AddNumberToObject(h, "size", r->check_size);
    cJSON_AddNumberToObject(h, "box_sites", (double)r->check_box_sites);
    cJSON_AddNumberToObject(h, "replicas", (double)r->check_replicas);  /* <= 2^53 */
    return h;
}

void hop_json_size_check(cJSON *o, const hop_result *r)
{
    cJSON *h = hop_json_companion(o, r);
    if (h)
        hop_json_value_stderr(h, "f", &r->f_check);
}

/* gas_kinetic.c: `hop gas-kinetic` (see gas_kinetic.h). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <cjson/cJSON.h>
#include "hop_git.h"
#include "base/atomic_file.h"
#include "cli/gas_kinetic.h"
#include "base/parse.h"
#include "models/physics.h"

/* Defaults: isotope masses (AME2020) and rigid-sphere diameters from viscosity
 * (Chapman & Cowling, table 14 / Kennard: Ar 3.64 A, Kr 4.16 A). */
#define M_KR84 83.9114977
#define M_KR86 85.9106106
#define M_AR40 39.9623831
#define D_KR 4.16
#define D_AR 3.64

double hop_chapman_enskog(double T, double p, double m1, double m2, double d1, double d2)
{
    const double kT = HOP_K_B_J * T;
    const double n = p / kT;
    const double mu = m1 * m2 / (m1 + m2) * HOP_AMU;
    const double sigma = 0.5 * (d1 + d2) * HOP_ANGSTROM;
    const double pi = 3.14159265358979323846;
    return 3.0 / (8.0 * n * sigma * sigma) * sqrt(kT / (2.0 * pi * mu));
}

static void usage(FILE *out)
{
    fprintf(out,
        "usage: hop gas-kinetic [options]\n"
        "  Self-diffusion of 86Kr in 84Kr and mutual diffusion of 84Kr in 40Ar in a dilute\n"
        "  gas, from Chapman-Enskog theory of rigid spheres (first approximation):\n"
        "  D_12 = 3/(8 n sigma_12^2) sqrt(kT/(2 pi mu)), n = p/kT, sigma_12 = (d_1 + d_2)/2.\n"
        "options (defaults in parentheses):\n"
        "  --T K          temperature, 0 < T <= 1e5 (300)\n"
        "  --p PA         pressure, 0 < p <= 1e9 (101325)\n"
        "  --m-kr84 U     mass of 84Kr in u (%.7f)\n"
        "  --m-kr86 U     mass of 86Kr in u (%.7f)\n"
        "  --m-ar40 U     mass of 40Ar in u (%.7f)\n"
        "  --d-kr A       rigid-sphere diameter of Kr in Angstrom, from viscosity (%.2f)\n"
        "  --d-ar A       rigid-sphere diameter of Ar in Angstrom, from viscosity (%.2f)\n"
        "  --json FILE    also write the values as JSON\n"
        "  --help         this text\n",
        M_KR84, M_KR86, M_AR40, D_KR, D_AR);
}

/* A positive number in (0, hi]. */
static hop_status positive(const char *opt, const char *s, double hi, double *out, char *msg,
                           size_t n)
{
    double v;
    hop_status st = hop_parse_double(opt, s, 0, hi, &v, msg, n);
    if (st == HOP_OK && v == 0) {
        snprintf(msg, n, "%s: '%s' is out of range (0 < x <= %g)", opt, s, hi);
        return HOP_ERR_INVAL;
    }
    if (st == HOP_OK)
        *out = v;
    return st;
}

static hop_status write_json(const char *path, const char *command_line, const double *in,
                             double self, double mutual)
{
    static const char *names[] = {"T", "p", "m_kr84", "m_kr86", "m_ar40", "d_kr", "d_ar"};
    cJSON *root = cJSON_CreateObject(), *o;
    char *text;
    hop_status s;
    cJSON_AddStringToObject(root, "hop_version", HOP_VERSION);
    cJSON_AddStringToObject(root, "git_commit", HOP_GIT_COMMIT);
    cJSON_AddStringToObject(root, "command_line", command_line);
    o = cJSON_AddObjectToObject(root, "parameters");
    for (int i = 0; i < 7; ++i)
        cJSON_AddNumberToObject(o, names[i], in[i]);
    o = cJSON_AddObjectToObject(root, "results");
    cJSON_AddStringToObject(o, "units", "m^2/s");
    cJSON_AddNumberToObject(o, "D_self", self);
    cJSON_AddNumberToObject(o, "D_mutual", mutual);
    cJSON_AddNumberToObject(o, "ratio_mutual_over_self", mutual / self);
    text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return hop_error(HOP_ERR_NOMEM, "out of memory building the JSON record");
    s = hop_atomic_write_text(path, text);
    free(text);
    return s;
}

int hop_gas_kinetic_main(int argc, char **argv, const char *command_line)
{
    static const struct option opts[] = {
        {"T", required_argument, 0, 0}, {"p", required_argument, 0, 1},
        {"m-kr84", required_argument, 0, 2}, {"m-kr86", required_argument, 0, 3},
        {"m-ar40", required_argument, 0, 4}, {"d-kr", required_argument, 0, 5},
        {"d-ar", required_argument, 0, 6}, {"json", required_argument, 0, 'j'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    static const char *flags[] = {"--T", "--p", "--m-kr84", "--m-kr86", "--m-ar40", "--d-kr",
                                  "--d-ar"};
    static const double limits[] = {1e5, 1e9, 1e4, 1e4, 1e4, 100, 100};
    double in[7] = {300, 101325, M_KR84, M_KR86, M_AR40, D_KR, D_AR}, self, mutual;
    const char *json = NULL;
    char msg[256];
    int c;
    hop_getopt_reset();
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        hop_status s = HOP_OK;
        if (c >= 0 && c < 7)
            s = positive(flags[c], optarg, limits[c], &in[c], msg, sizeof msg);
        else if (c == 'j') {
            json = optarg;
            s = hop_output_check(optarg, msg, sizeof msg);
        } else if (c == 'h') {
            usage(stdout);
            return 0;
        } else {
            snprintf(msg, sizeof msg, "%s '%s'", c == ':' ? "option needs a value:" : "unknown option",
                     argv[optind - 1]);
            s = HOP_ERR_INVAL;
        }
        if (s != HOP_OK) {
            fprintf(stderr, "hop: %s\ntry 'hop gas-kinetic --help'\n", msg);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "hop: unexpected argument '%s'\ntry 'hop gas-kinetic --help'\n",
                argv[optind]);
        return 2;
    }
    self = hop_chapman_enskog(in[0], in[1], in[3], in[2], in[5], in[5]);
    mutual = hop_chapman_enskog(in[0], in[1], in[2], in[4], in[5], in[6]);
    printf("hop %s gas-kinetic: Chapman-Enskog rigid spheres, T = %g K, p = %g Pa\n",
           HOP_VERSION, in[0], in[1]);
    printf("  self-diffusion 86Kr in 84Kr:  D_self   = %.6g m^2/s = %.6g cm^2/s\n", self,
           self * 1e4);
    printf("  mutual diffusion 84Kr in 40Ar: D_mutual = %.6g m^2/s = %.6g cm^2/s\n", mutual,
           mutual * 1e4);
    printf("  ratio D_mutual/D_self = %.6g\n", mutual / self);
    printf("  (masses %g, %g, %g u; diameters Kr %g A, Ar %g A)\n", in[2], in[3], in[4], in[5],
           in[6]);
    if (json && write_json(json, command_line, in, self, mutual) != HOP_OK)
        return 1;
    return 0;
}

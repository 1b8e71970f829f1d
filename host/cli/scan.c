/* scan.c: `hop scan` (see scan.h).
 *
 *   hop scan --out FILE.csv [--resume] [--quiet] <hop run options>
 *
 * Any `hop run` option whose value is a list "a,b,c" or a range "start:stop:n" (n
 * evenly spaced values; "start:stop:n:log" for logarithmic spacing) is a scan axis;
 * the grid is every combination, the first axis varying slowest.  Every point is
 * parsed and resolved before the first runs, so a bad grid is a usage error with
 * nothing written.  Each finished point appends one complete CSV row, flushed and
 * fsync'ed, so an interrupted scan keeps every finished point; --resume checks that
 * the file was made by the same grid, drops a partial last line (and only that: a file
 * damaged elsewhere is refused) and goes on with the next point.  Progress (one line
 * per point) goes to stderr.
 *
 * Seeds: point k runs with hop_scan_point_seed(seed, k) unless --same-seed (scan.h).
 * Reuse: points that differ only in options of the physical units (T, Q, nu, a, the
 * carrier density) make the same reduced run; it runs once, with the first such point's
 * seed, and the others convert its result to their units (the model's apply). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hop_git.h"
#include "base/atomic_file.h"
#include "cli/options.h"
#include "base/parse.h"
#include "models/model.h"
#include "run/run.h"
#include "run/exact_run.h"
#include "models/solute.h"
#include "models/verdict.h"
#include "cli/scan.h"
#include "cli/stop_signal.h"

#define MAX_ARGS 128
#define MAX_AXES 8
#define MAX_VALUES 10000
#define MAX_POINTS 100000
#define VALUE_LEN 48            /* NAME=VALUE of --rate and --site-energy too */

#define LIST_LEN 1024           /* a merged --species, --w or --Em list */

/* An axis's kind: a run option's value, or one entry of the alloy's lists (the run gets
 * the whole list with that entry replaced, or --pair's with it added). */
enum { AXIS_VALUE, AXIS_LIST_ENTRY, AXIS_FRACTION, AXIS_PAIR };

typedef struct {
    int arg;                 /* index of the value in the run arguments (-1: a list axis) */
    int n;
    char (*values)[VALUE_LEN];
    int kind;                /* AXIS_VALUE; AXIS_LIST_ENTRY: --w or --Em NAME=VALUES, the
                                entry NAME=value of that list; AXIS_FRACTION: --c
                                NAME=VALUES, NAME's fraction in --species, the others
                                scaled in their ratios; AXIS_PAIR: --pair S-T=VALUES,
                                the entry S-T=value of the --pair list */
    const char *option;      /* a list axis's option (--w, --Em, --c or --pair) */
    char name[32];           /* a list axis's species, or pair S-T */
    int ev;                  /* a --pair axis's values are in eV */
    int target;              /* index of the list's value in the run arguments */
} scan_axis;

typedef struct {
    char *args[MAX_ARGS];    /* "scan", then the run options (values of axes replaced) */
    int n_args;
    scan_axis axis[MAX_AXES];
    int n_axes;
    long n_points;
    const char *out;
    int resume, quiet;
    int same_seed;           /* --same-seed: every point runs with --seed as given */
    int no_reuse;            /* --no-reuse: every point runs, even when its run is another's */
    int seed_axis;           /* --seed is itself an axis: its values are used as given */
    int exact;               /* every point uses --estimator exact (its own columns) */
    hop_lattice_settings columns;   /* --rate and --site-energy given: a column each */
} scan_plan;

static void usage(FILE *out)
{
    fputs(
        "usage: hop scan --out FILE.csv [--resume] [--quiet] [--same-seed] [--no-reuse]\n"
        "                [hop run options]\n"
        "  Runs `hop run` for every point of a grid and writes one CSV row per point with\n"
        "  the point's values and every result with its standard error.  A run option\n"
        "  whose value is a list or a range is a scan axis:\n"
        "    --T 600,800,1000         a list\n"
        "    --T 600:1400:9           9 evenly spaced values from 600 to 1400\n"
        "    --w2 0.01:100:9:log      9 logarithmically spaced values\n"
        "    --lattice sc,bcc,fcc     names too\n"
        "    --rate c=0.01:100:9:log  a jump class's rate (NAME=VALUES: NAME= stays on each\n"
        "                             value; one axis per class); --site-energy B=0:2:5,\n"
        "                             or B=0:0.2:5eV (the unit applies to every value)\n"
        "  The alloy (--model alloy): --species, --pair and --w/--Em/--nu NAME=VALUE lists\n"
        "  are run options as given; one species' entry is an axis with the whole list:\n"
        "    --w A=1,B=1 --w B=0.01:100:9:log   B's rate (--Em B=0.6:0.9:4 alike)\n"
        "    --species A:0.5,B:0.5 --c B=0.1:0.9:9   B's fraction; the others take the\n"
        "                             rest in their ratios (one --c axis)\n"
        "    --pair A-B=-0.4:0.4:5    the pair energy of A-B in kT (or -0.03:0.03:4eV with\n"
        "                             --T), in the --pair list or added to it\n"
        "  The first axis varies slowest.  Each finished point is appended to FILE.csv at\n"
        "  once (flushed to disk); --resume continues an interrupted scan of the same grid.\n"
        "seeds: point k (1, 2, ...) runs with its own seed, the k-th output of SplitMix64\n"
        "  started at --seed (default 1): z = seed + k 0x9E3779B97F4A7C15,\n"
        "  z = (z ^ z>>30) 0xBF58476D1CE4E5B9, z = (z ^ z>>27) 0x94D049BB133111EB,\n"
        "  seed_k = z ^ z>>31 (mod 2^64), so the points are independent and the row equals\n"
        "  `hop run --seed seed_k` with the point's values (the CSV's seed column).\n"
        "  --same-seed runs every point with --seed itself (common random numbers: the\n"
        "  differences between points are less noisy); a --seed axis is used as given.\n"
        "reuse: points that differ only in --T, --Qf, --Qm, --bond-energy, --nu, --a,\n"
        "  --carrier-density, --charge (and the gas's --pair-energy while J = E/kT stays\n"
        "  the same; a lattice's energies in eV while E/kT does) make the same reduced\n"
        "  run: it runs once, with the seed of the first such point, and the others take\n"
        "  its result in their own units (the run_point column; the progress says so).\n"
        "  Their D* share one f: plot-arrhenius fits them with that correlation.  A --rate\n"
        "  or --site-energy changes the walk: such points make their own runs.\n"
        "  --no-reuse runs every point with its own seed.\n"
        "options:\n"
        "  --out FILE     the CSV (required)\n"
        "  --resume       continue FILE, which must come from the same grid\n"
        "  --quiet        no progress lines\n"
        "  --same-seed    every point with the seed of --seed (see seeds)\n"
        "  --no-reuse     every point makes its own run (see reuse)\n"
        "  --help         this text\n", out);
    fputs(
        "The CSV: a '#' line with the version, command line and device, a '# grid:' line,\n"
        "the header, then one row per point, with the columns (NaN where one does not\n"
        "apply; 'stderr' is the standard error, 'bias' the bound on the systematic error):\n"
        "  point                   the point's number, 1, 2, ...\n"
        "  lattice, estimator, model, backend, T, w0, w1, w2, w3, w4   the point's values\n"
        "  f, f_stderr, f_bias     the correlation factor (the gas: D*/(D0 M/(n-1)))\n"
        "  D_star, D_star_stderr, D_star_bias, D_unit   D* in D_unit (m^2/s with\n"
        "                          physical units, else a^2 omega)\n"
        "  D_sigma, D_sigma_stderr the collective (charge) diffusion coefficient\n"
        "  haven, haven_stderr, haven_inverse, haven_inverse_stderr   H = D*/D_sigma, 1/H\n"
        "  conductivity, conductivity_stderr, conductivity_unit   Nernst-Einstein sigma\n"
        "  X_v, omega, D0, Q_D     vacancy fraction, jump rate (1/s), Arrhenius D0 (m^2/s)\n"
        "                          and Q_D (eV)\n"
        "  f2_manning, D2_over_Xv  the solute model: Manning's f2, D2/X_v in a^2 w\n"
        "  replicas, vacancy_steps, wall_s   the run's size and its seconds (0 in a row\n"
        "                          that reused another point's run)\n"
        "  c, J, pair_energy       the gas: concentration, J in kT, E in eV\n"
        "  D_star_over_D0, D_star_over_D0_stderr, D_sigma_over_D0, D_sigma_over_D0_stderr\n"
        "  thermodynamic_factor, thermodynamic_factor_stderr, thermodynamic_factor_bias\n"
        "  D_chem_over_D0, D_chem_over_D0_stderr, D_chem_over_D0_bias   the gas\n"
        "  seed                    the Philox seed the row's run used (see seeds)\n"
        "  size                    the box edge in cells (msd and gas; 0 for corr)\n"
        "  run_point               the point whose run the row reports (its own number\n"
        "                          unless it reused an earlier point's run)\n"
        "  verdict                 the run's verdict code: converged, truncation,\n"
        "                          finite_size, run_length, one_dimensional,\n"
        "                          unbounded, not_equilibrated or stopped_early (the\n"
        "                          summary's last line says why; docs/output.md)\n"
        "  rate_CLASS              last (corr and msd scans), one for each --rate given:\n"
        "                          the class's R_c\n"
        "  site_energy_LABEL       then one for each --site-energy: E_s in kT\n"
        "                          (site_energy_LABEL_eV: in eV)\n"
        "  pair_S_T                then one for each --pair axis: the pair energy in kT\n"
        "                          the run used (pair_S_T_eV after it: in eV)\n"
        "  the alloy, then per species S and the vacancy V: c_S, w_S (over w_ref), f_S,\n"
        "                          f_S_stderr, f_S_bias, f_S_manning, D_star_S (a^2 w_ref)\n"
        "                          with _stderr and _bias, D_star_S_m2_s (physical units)\n"
        "                          with _stderr; then the Onsager matrix per vacancy L_I_J\n"
        "                          and L_I_J_stderr for I <= J (V last; docs/alloys.md)\n"
        "Plots: scripts/plot-arrhenius FILE.csv (log10 D* against 10^4/T with the fitted\n"
        "Q_D and D0), scripts/plot-solute FILE.csv (f2 against w2/w1 beside Manning's f2),\n"
        "scripts/plot-gas FILE.csv (--model gas: f, D*, D_sigma, H against c or J).\n", out);
    fputs(
        "With --estimator exact (docs/exact.md) the columns are instead: point, lattice,\n"
        "  estimator, model, w0, w1, w2, w3, w4, w3p, w3pp; f, f_error_bound (f2 in the\n"
        "  solute model); drag_ratio, drag_ratio_error_bound (L_sv/L_ss); f2_manning,\n"
        "  D2_over_Xv; radius (the largest box, jump lengths), states, wall_s (0 where\n"
        "  the row reuses an earlier point's solution); T, D_star, D_star_error_bound,\n"
        "  D0, Q_D (physical units; D_star is D2 in the solute model); run_point; b_vv,\n"
        "  b_vv_error_bound (the solute's effect on L_vv: L_vv = L_vv^0 (1 + b_vv c_s));\n"
        "  rate_CLASS, site_energy_LABEL as above; then per principal axis N = 1, 2, 3 of\n"
        "  the point's lattice: axisN (its name, empty where it has fewer), f_axisN,\n"
        "  f_axisN_error_bound, D_star_axisN, D_star_axisN_error_bound (physical units).\n"
        "  A first point the solver refuses (memory, a singular system) writes no file.\n"
        "  The solver runs one point at a time on one thread (its BLAS is not thread-safe):\n"
        "  --threads is accepted and ignored, with one note on stderr (docs/exact.md).\n", out);
}

/* Values of an axis from "a,b,c" or "start:stop:n[:log]" (body, NUL-terminated). */
static int expand_values(const char *option, const char *spec, const char *body, scan_axis *a)
{
    char msg[256];
    if (strchr(body, ':')) {
        char buf[128], *parts[4], *save = NULL;
        double lo, hi;
        int n = 0, count, logs = 0;
        snprintf(buf, sizeof buf, "%s", body);
        for (char *t = strtok_r(buf, ":", &save); t && n < 4; t = strtok_r(NULL, ":", &save))
            parts[n++] = t;
        if (n == 4 && strcmp(parts[3], "log") == 0)
            logs = 1;
        else if (n != 3)
            return hop_usage_error("scan", "%s: '%s' is not a range start:stop:n[:log]", option,
                                   spec);
        if (hop_parse_double(option, parts[0], -1e300, 1e300, &lo, msg, sizeof msg) != HOP_OK
            || hop_parse_double(option, parts[1], -1e300, 1e300, &hi, msg, sizeof msg) != HOP_OK
            || hop_parse_int(option, parts[2], 2, MAX_VALUES, &count, msg, sizeof msg) != HOP_OK)
            return hop_usage_error("scan", "%s (in the range '%s')", msg, spec);
        if (logs && !(lo > 0 && hi > 0))
            return hop_usage_error("scan", "%s: a log range needs positive ends ('%s')", option,
                                   spec);
        for (int i = 0; i < count; ++i) {
            const double x = (double)i / (count - 1);
            const double v = logs ? lo * pow(hi / lo, x) : lo + (hi - lo) * x;
            snprintf(a->values[a->n++], VALUE_LEN, "%.10g", v);
        }
        return 0;
    }
    {
        const char *s = body;
        while (*s) {
            size_t len = strcspn(s, ",");
            if (len == 0 || len >= VALUE_LEN || a->n == MAX_VALUES)
                return hop_usage_error("scan", "%s: bad list '%s'", option, spec);
            memcpy(a->values[a->n], s, len);
            a->values[a->n++][len] = '\0';
            s += len;
            if (*s == ',' && *++s == '\0')
                return hop_usage_error("scan", "%s: bad list '%s'", option, spec);
        }
    }
    return 0;
}

/* Whether option (as typed, "--rat" too) is --rate or --site-energy, whose values are
 * NAME=VALUE, or one of the alloy's list axes (--w, --Em, --c NAME=VALUES: list_axis). */
static int takes_named_values(const char *option)
{
    const size_t len = strlen(option);
    return (len >= 5 && (strncmp(option, "--rate", len) == 0
                         || strncmp(option, "--site-energy", len) == 0))
           || strcmp(option, "--w") == 0 || strcmp(option, "--Em") == 0
           || strcmp(option, "--c") == 0 || strcmp(option, "--pair") == 0;
}

/* Values of an axis from spec.  For --rate CLASS=VALUES and --site-energy LABEL=VALUES
 * the axis scans VALUES with NAME= in front of each value, and a unit eV at the end of
 * VALUES is every value's: A=0:0.2:3eV is A=0eV, A=0.1eV, A=0.2eV. */
static int expand(const char *option, const char *spec, scan_axis *a)
{
    const char *eq = takes_named_values(option) ? strchr(spec, '=') : NULL;
    const size_t prefix = eq && (size_t)(eq - spec) < strcspn(spec, ",:") ? (size_t)(eq - spec) + 1
                                                                          : 0;
    char body[128];
    size_t len;
    int ev, rc;
    a->n = 0;
    a->values = malloc(MAX_VALUES * sizeof *a->values);
    if (!a->values)
        return hop_usage_error("scan", "out of memory");
    snprintf(body, sizeof body, "%s", spec + prefix);
    len = strlen(body);
    ev = prefix > 0 && len > 2 && strcmp(body + len - 2, "eV") == 0;
    if (ev)
        body[len - 2] = '\0';
    if ((rc = expand_values(option, spec, body, a)) != 0 || prefix == 0)
        return rc;
    for (int i = 0; i < a->n; ++i) {
        const size_t vlen = strlen(a->values[i]);
        const size_t ulen = ev && !(vlen > 2 && strcmp(a->values[i] + vlen - 2, "eV") == 0) ? 2 : 0;
        if (prefix + vlen + ulen >= VALUE_LEN)
            return hop_usage_error("scan", "%s: value '%.*s%s' is too long", option,
                                   (int)prefix, spec, a->values[i]);
        memmove(a->values[i] + prefix, a->values[i], vlen);
        memcpy(a->values[i], spec, prefix);
        memcpy(a->values[i] + prefix + vlen, "eV", ulen);
        a->values[i][prefix + vlen + ulen] = '\0';
    }
    return 0;
}

/* Whether option a's value v is an alloy list axis (docs/scans-and-plots.md): --w or
 * --Em NAME=VALUES, --c NAME=VALUES or --pair S-T=VALUES, VALUES several (a ',' or
 * ':') and without '='; a whole list (--w A=1,B=0.2, --pair A-B=-0.3,A-A=0.1) is a
 * run option as given. */
static int list_axis(const char *a, const char *v)
{
    const char *eq = strchr(v, '=');
    const size_t name = eq ? (size_t)(eq - v) : 0;
    const int pair = strcmp(a, "--pair") == 0;
    if (strcmp(a, "--w") != 0 && strcmp(a, "--Em") != 0 && strcmp(a, "--c") != 0 && !pair)
        return 0;
    if (!eq || name == 0 || name >= 32 || strcspn(v, ",:") < name || strchr(eq + 1, '='))
        return 0;
    if (pair && !memchr(v, '-', name))
        return 0;                       /* not S-T: the run's parser says why */
    return strcmp(a, "--c") == 0 || strpbrk(eq + 1, ",:") != NULL;
}

/* Whether pair axis names p and q ("S-T") are the same pair, in either order. */
static int same_pair(const char *p, const char *q)
{
    const char *dp = strchr(p, '-'), *dq = strchr(q, '-');
    const size_t sp = (size_t)(dp - p), sq = (size_t)(dq - q);
    return strcmp(p, q) == 0
           || (sp == strlen(dq + 1) && sq == strlen(dp + 1) && strncmp(p, dq + 1, sp) == 0
               && strncmp(q, dp + 1, sq) == 0);
}

/* Whether option a's value v is one of the alloy's lists as a run takes it (--species,
 * --pair; --w, --Em, --nu with NAME=VALUE items), not an axis. */
static int alloy_list(const char *a, const char *v)
{
    return strcmp(a, "--species") == 0 || strcmp(a, "--pair") == 0
           || ((strcmp(a, "--w") == 0 || strcmp(a, "--Em") == 0 || strcmp(a, "--nu") == 0)
               && strchr(v, '='));
}

/* A --pair axis: its list is the --pair list given, or one added to the run arguments
 * (unlisted pairs are 0); its species are checked by the run's parser (every point is
 * parsed before the first runs); one axis per pair. */
static int plan_pair_axis(scan_plan *plan, int k)
{
    static char added_option[] = "--pair", added_list[] = "";
    scan_axis *x = &plan->axis[k];
    const size_t len = strlen(x->values[0]);
    x->ev = len > 2 && strcmp(x->values[0] + len - 2, "eV") == 0;   /* expand: all or none */
    for (int j = 0; j < k; ++j)
        if (plan->axis[j].kind == AXIS_PAIR && same_pair(plan->axis[j].name, x->name))
            return hop_usage_error("scan", "--pair %s=VALUES: one axis per pair", x->name);
    for (int i = 1; i + 1 < plan->n_args; ++i)
        if (strcmp(plan->args[i], "--pair") == 0) {
            x->target = i + 1;
            return 0;
        }
    if (plan->n_args + 2 > MAX_ARGS)
        return hop_usage_error("scan", "too many arguments");
    plan->args[plan->n_args++] = added_option;
    x->target = plan->n_args;
    plan->args[plan->n_args++] = added_list;
    return 0;
}

/* The alloy's list axes: each names the list it changes (--w, --Em: that list; --c:
 * --species), which must be given whole, hold the species and (--c) another one;
 * --pair's (plan_pair_axis) may be given or not. */
static int plan_list_axes(scan_plan *plan)
{
    for (int k = 0; k < plan->n_axes; ++k) {
        scan_axis *x = &plan->axis[k];
        const char *list = x->kind == AXIS_FRACTION ? "--species" : x->option;
        const char *value = NULL;
        char entry[40];
        if (x->kind == AXIS_VALUE)
            continue;
        if (x->kind == AXIS_PAIR) {
            const int rc = plan_pair_axis(plan, k);
            if (rc)
                return rc;
            continue;
        }
        for (int i = 1; i + 1 < plan->n_args; ++i)
            if (strcmp(plan->args[i], list) == 0)
                value = plan->args[x->target = i + 1];
        if (!value)
            return hop_usage_error("scan", "%s %s=VALUES scans one entry of the %s list: give "
                                   "the whole list too (e.g. --species A:0.5,B:0.5 --w "
                                   "A=1,B=1)", x->option, x->name, list);
        snprintf(entry, sizeof entry, "%s%c", x->name, x->kind == AXIS_FRACTION ? ':' : '=');
        if (!(strncmp(value, entry, strlen(entry)) == 0
              || (strstr(value, entry) && strstr(value, entry)[-1] == ',')))
            return hop_usage_error("scan", "%s %s=VALUES: %s is not in %s %s", x->option,
                                   x->name, x->name, list, value);
        if (x->kind == AXIS_FRACTION && !strchr(value, ','))
            return hop_usage_error("scan", "--c %s=VALUES needs another species in --species "
                                   "to take the rest", x->name);
        for (int j = 0; j < k; ++j)
            if (plan->axis[j].kind == AXIS_FRACTION && x->kind == AXIS_FRACTION)
                return hop_usage_error("scan", "--c: one composition axis per scan");
    }
    return 0;
}

/* Splits argv into scan options, run options and axes. */
static int plan_scan(int argc, char **argv, scan_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    plan->args[plan->n_args++] = argv[0];
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return -1;
        }
        if (strcmp(a, "--out") == 0 || strncmp(a, "--out=", 6) == 0) {
            if (plan->out)
                return hop_usage_error("scan", "option '--out' is given twice: give it once");
            plan->out = a[5] == '=' ? a + 6 : i + 1 < argc ? argv[++i] : NULL;
            if (!plan->out || (a[5] != '=' && strncmp(plan->out, "--", 2) == 0))
                return hop_usage_error("scan", "option '--out' needs a value");
            continue;
        }
        if (strcmp(a, "--resume") == 0) { plan->resume = 1; continue; }
        if (strcmp(a, "--quiet") == 0) { plan->quiet = 1; continue; }
        if (strcmp(a, "--same-seed") == 0) { plan->same_seed = 1; continue; }
        if (strcmp(a, "--no-reuse") == 0) { plan->no_reuse = 1; continue; }
        if (strcmp(a, "--json") == 0 || strcmp(a, "--msd-csv") == 0)
            return hop_usage_error("scan", "%s: a scan writes one CSV (--out), not a file per run",
                                   a);
        if (strncmp(a, "--checkpoint", 12) == 0)
            return hop_usage_error("scan", "%s: a scan saves each point as its CSV row "
                                   "(continue with --resume)", a);
        if (plan->n_args + 2 >= MAX_ARGS)
            return hop_usage_error("scan", "too many arguments");
        if (i + 1 < argc && list_axis(a, argv[i + 1])) {
            const char *v = argv[++i], *eq = strchr(v, '=');
            scan_axis *x = &plan->axis[plan->n_axes];
            int rc;
            if (plan->n_axes == MAX_AXES)
                return hop_usage_error("scan", "at most %d scan axes", MAX_AXES);
            plan->n_axes++;
            if ((rc = expand(a, v, x)) != 0)     /* NAME=value each, as --rate's */
                return rc;
            x->arg = -1;
            x->kind = strcmp(a, "--c") == 0      ? AXIS_FRACTION
                      : strcmp(a, "--pair") == 0 ? AXIS_PAIR
                                                 : AXIS_LIST_ENTRY;
            x->option = a;
            snprintf(x->name, sizeof x->name, "%.*s", (int)(eq - v), v);
            continue;
        }
        plan->args[plan->n_args++] = argv[i];
        if (strncmp(a, "--", 2) == 0 && !strchr(a, '=') && i + 1 < argc
            && strncmp(argv[i + 1], "--", 2) != 0) {
            const char *v = argv[++i];
            if (strpbrk(v, ",:") && !alloy_list(a, v)) {
                scan_axis *x = &plan->axis[plan->n_axes];
                int rc;
                if (plan->n_axes == MAX_AXES)
                    return hop_usage_error("scan", "at most %d scan axes", MAX_AXES);
                plan->n_axes++;         /* first, so free_plan frees a bad axis's values */
                if ((rc = expand(a, v, x)) != 0)
                    return rc;
                x->arg = plan->n_args;
                plan->seed_axis |= strcmp(a, "--seed") == 0;
            }
            plan->args[plan->n_args++] = argv[i];
        }
    }
    if (!plan->out)
        return hop_usage_error("scan", "--out FILE.csv is required");
    {
        const int rc = plan_list_axes(plan);
        if (rc)
            return rc;
    }
    plan->n_points = 1;
    for (int k = 0; k < plan->n_axes; ++k) {
        plan->n_points *= plan->axis[k].n;
        if (plan->n_points > MAX_POINTS)
            return hop_usage_error("scan", "the grid has more than %d points", MAX_POINTS);
    }
    return 0;
}

/* list (NAME=VALUE or NAME:FRACTION items) with NAME's item set to value. */
static void set_entry(char *list, const char *name, char sep, const char *value)
{
    char out[LIST_LEN], *save = NULL;
    size_t used = 0;
    for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        const int hit = strncmp(t, name, strlen(name)) == 0 && t[strlen(name)] == sep;
        if (hit)
            used += (size_t)snprintf(out + used, sizeof out - used, "%s%s%c%s",
                                     used ? "," : "", name, sep, value);
        else
            used += (size_t)snprintf(out + used, sizeof out - used, "%s%s", used ? "," : "", t);
        if (used >= sizeof out)
            used = sizeof out - 1;
    }
    memcpy(list, out, used + 1);
}

/* --pair list with pair S-T's entry (as S-T or T-S) set to value, or added. */
static void set_pair(char *list, const char *pair, const char *value)
{
    char out[LIST_LEN], *save = NULL;
    size_t used = 0;
    int found = 0;
    for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char name[32];
        const size_t n = strcspn(t, "=");
        snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), t);
        if (strchr(name, '-') && same_pair(name, pair)) {
            found = 1;
            used += (size_t)snprintf(out + used, sizeof out - used, "%s%s=%s", used ? "," : "",
                                     pair, value);
        } else {
            used += (size_t)snprintf(out + used, sizeof out - used, "%s%s", used ? "," : "", t);
        }
        if (used >= sizeof out)
            used = sizeof out - 1;
    }
    if (!found)
        used += (size_t)snprintf(out + used, sizeof out - used, "%s%s=%s", used ? "," : "",
                                 pair, value);
    if (used >= sizeof out)
        used = sizeof out - 1;
    memcpy(list, out, used + 1);
}

/* --species list with NAME's fraction x and the others scaled by (1 - x)/(1 - x_NAME),
 * so their ratios stay (exact to rounding; printed to 17 digits). */
static void set_fraction(char *list, const char *name, const char *value)
{
    char copy[LIST_LEN], *save = NULL, frac[40];
    const double x = atof(value);
    double old = 1;
    snprintf(copy, sizeof copy, "%s", list);
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (strncmp(t, name, strlen(name)) == 0 && t[strlen(name)] == ':')
            old = atof(t + strlen(name) + 1);
    snprintf(copy, sizeof copy, "%s", list);
    save = NULL;
    list[0] = '\0';
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        const char *colon = strchr(t, ':');
        const size_t used = strlen(list);
        if (!colon)
            continue;
        if ((size_t)(colon - t) == strlen(name) && strncmp(t, name, strlen(name)) == 0)
            snprintf(frac, sizeof frac, "%s", value);
        else
            snprintf(frac, sizeof frac, "%.17g", old < 1 ? atof(colon + 1) * (1 - x) / (1 - old)
                                                         : 0.0);
        snprintf(list + used, LIST_LEN - used, "%s%.*s:%s", used ? "," : "", (int)(colon - t),
                 t, frac);
    }
}

/* The run arguments of point i (axis values in place) into args; a list axis's list is
 * rewritten into lists[k] (k its first axis) and args points there. */
static void point_args(const scan_plan *plan, long i, char **args)
{
    static char lists[MAX_AXES][LIST_LEN];
    int index[MAX_AXES];
    memcpy(args, plan->args, (size_t)plan->n_args * sizeof *args);
    for (int k = plan->n_axes - 1; k >= 0; --k) {
        const scan_axis *x = &plan->axis[k];
        index[k] = (int)(i % x->n);
        if (x->kind == AXIS_VALUE)
            args[x->arg] = x->values[index[k]];
        i /= x->n;
    }
    for (int k = 0; k < plan->n_axes; ++k) {
        const scan_axis *x = &plan->axis[k];
        if (x->kind == AXIS_VALUE)
            continue;
        if (args[x->target] == plan->args[x->target]) {
            snprintf(lists[k], LIST_LEN, "%s", plan->args[x->target]);
            args[x->target] = lists[k];
        }
        /* the values are NAME=value (expand) */
        if (x->kind == AXIS_FRACTION)
            set_fraction(args[x->target], x->name, strchr(x->values[index[k]], '=') + 1);
        else if (x->kind == AXIS_PAIR)
            set_pair(args[x->target], x->name, strchr(x->values[index[k]], '=') + 1);
        else
            set_entry(args[x->target], x->name, '=', strchr(x->values[index[k]], '=') + 1);
    }
}

uint64_t hop_scan_point_seed(uint64_t seed, long point)
{
    /* SplitMix64 (Steele, Lea and Flood 2014): its point-th output from state seed */
    uint64_t z = seed + (uint64_t)point * UINT64_C(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Options that enter only the conversion of a run's reduced results to physical units
 * (models/physics.h): points that differ only in these share one reduced run.  (The
 * gas's --pair-energy and, with it, --T also set J = E/kT: same_reduced_run checks J.) */
static int is_physical_option(const char *opt)
{
    static const char *const physical[] = {"--T", "--Qf", "--Qm", "--bond-energy", "--nu",
                                           "--a", "--carrier-density", "--charge",
                                           "--pair-energy", "--Sf", "--Sm"};
    for (size_t k = 0; k < sizeof physical / sizeof *physical; ++k)
        if (strcmp(opt, physical[k]) == 0)
            return 1;
    return 0;
}

/* Whether axis k is a physical option (its points may share one reduced run). */
static int axis_physical(const scan_plan *plan, int k)
{
    return plan->axis[k].kind == AXIS_VALUE
           && is_physical_option(plan->args[plan->axis[k].arg - 1]);
}

/* The first point whose values on every axis but the physical ones equal point i's
 * (point i itself when no physical axis varies): its run is point i's candidate. */
static long reduced_run_point(const scan_plan *plan, long i)
{
    long j = 0, stride = 1, rest = i;
    for (int k = plan->n_axes - 1; k >= 0; --k) {
        const scan_axis *x = &plan->axis[k];
        const long index = rest % x->n;
        if (plan->no_reuse || !axis_physical(plan, k))
            j += index * stride;
        rest /= x->n;
        stride *= x->n;
    }
    return j;
}

/* Whether the resolved parameters a and b make the same reduced run (seeds aside):
 * every field that reaches the walks.  The lattice compares by pointer: built-ins,
 * files (lattice/file.h) and copies with --rate or --site-energy applied
 * (cli/lattice_options.h) are each stored once per content, so equal pointers are
 * equal lattices, rates included (a site energy in eV at another --T is another). */
static int same_reduced_run(const hop_params *a, const hop_params *b)
{
    int same = a->lattice == b->lattice
               && a->estimator == b->estimator && a->model == b->model
               && a->replicas == b->replicas && a->backend == b->backend
               && a->batch == b->batch && a->radius == b->radius && a->shells == b->shells
               && a->size == b->size && a->time == b->time && a->n_times == b->n_times
               && a->fit_from == b->fit_from && a->size_check == b->size_check
               && a->w3p == b->w3p && a->w3pp == b->w3pp && a->c == b->c && a->J == b->J
               && a->equilibrate == b->equilibrate && a->target_error == b->target_error;
    for (int k = 0; k < 5; ++k)
        same = same && a->w[k] == b->w[k];
    /* the alloy's resolved species, rates (w/w_ref) and pair energies (in kT) */
    same = same && a->alloy.n_species == b->alloy.n_species
           && a->alloy.vacancies == b->alloy.vacancies
           && memcmp(a->alloy.name, b->alloy.name, sizeof a->alloy.name) == 0
           && memcmp(a->alloy.fraction, b->alloy.fraction, sizeof a->alloy.fraction) == 0
           && memcmp(a->alloy.w, b->alloy.w, sizeof a->alloy.w) == 0
           && memcmp(a->alloy.pair, b->alloy.pair, sizeof a->alloy.pair) == 0;
    return same;
}

/* The seed point i (0-based) runs with when it makes its own run (scan.h). */
static uint64_t point_seed(const scan_plan *plan, long i, uint64_t given)
{
    return plan->same_seed || plan->seed_axis ? given : hop_scan_point_seed(given, i + 1);
}

/* Parses and resolves point i; prints a usage error (exit 2) if it is not valid. */
static int point_params(const scan_plan *plan, long i, hop_params *p)
{
    char *args[MAX_ARGS], msg[512];
    hop_run_options o;
    int done = 0, rc;
    point_args(plan, i, args);
    if ((rc = hop_run_options_parse("scan", plan->n_args, args, &o, &done)) != 0)
        return rc;
    if (done)
        return -1;
    if (o.p.estimator == HOP_EST_EXACT) {
        if (hop_exact_run_check(&o.p, msg, sizeof msg) != HOP_OK)
            return hop_usage_error("scan", "point %ld: %s", i + 1, msg);
    } else if (hop_params_resolve(&o.p, msg, sizeof msg) != HOP_OK) {
        return hop_usage_error("scan", "point %ld: %s", i + 1, msg);
    }
    o.p.seed = point_seed(plan, i, o.p.seed);
    *p = o.p;
    return 0;
}

/* The point (0-based) whose run point i's row reports: reduced_run_point when the two
 * resolve to the same reduced run, else i.  Point i then runs with that point's seed,
 * so its reduced results are that point's to the bit whether or not it is cached. */
static long run_point_of(const scan_plan *plan, long i, hop_params *p)
{
    const long j = reduced_run_point(plan, i);
    hop_params q;
    if (j == i || point_params(plan, j, &q) != 0 || !same_reduced_run(p, &q))
        return i;
    p->seed = q.seed;
    return j;
}

static const char *header;      /* mc_header or exact_header, set by scan_prepare */

/* The columns of an exact scan: the point, the rates, each extrapolated value with its
 * bound, Manning's f2 and D2/X_v (solute), the largest radius, states and time (0 in a
 * row that reused another point's solution); with physical units T, D* (the solute: D2)
 * with its bound, D0 and Q (NaN without); the point whose solution the row reports; the
 * solute's effect on L_vv, b_vv, with its bound (NaN where not computed). */
static const char *exact_header =
    "point,lattice,estimator,model,w0,w1,w2,w3,w4,w3p,w3pp,f,f_error_bound,drag_ratio,"
    "drag_ratio_error_bound,f2_manning,D2_over_Xv,radius,states,wall_s,T,D_star,"
    "D_star_error_bound,D0,Q_D,run_point,b_vv,b_vv_error_bound";

static const char *mc_header =
    "point,lattice,estimator,model,backend,T,w0,w1,w2,w3,w4,f,f_stderr,f_bias,"
    "D_star,D_star_stderr,D_star_bias,D_unit,D_sigma,D_sigma_stderr,haven,haven_stderr,"
    "haven_inverse,haven_inverse_stderr,conductivity,conductivity_stderr,conductivity_unit,"
    "X_v,omega,D0,Q_D,f2_manning,D2_over_Xv,replicas,vacancy_steps,wall_s,"
    "c,J,pair_energy,D_star_over_D0,D_star_over_D0_stderr,D_sigma_over_D0,"
    "D_sigma_over_D0_stderr,"
    "thermodynamic_factor,thermodynamic_factor_stderr,thermodynamic_factor_bias,"
    "D_chem_over_D0,D_chem_over_D0_stderr,D_chem_over_D0_bias,"
    "seed,size,run_point,verdict";

/* The alloy's columns after mc_header's and the lattice's (docs/scans-and-plots.md),
 * named by the species of the first point (every point has the same): per species and
 * the vacancy
 * (V) c, w, f, D* with stderr and bound, Manning's f, D* in m^2/s (NaN without physical
 * units), then the Onsager matrix per vacancy L_i_j (i <= j, V last) with its stderr. */
static struct {
    int n;
    char name[HOP_ALLOY_MAX_SPECIES][HOP_ALLOY_NAME_LEN];
} alloy_columns;

static const char *alloy_entity(int e)
{
    return e < alloy_columns.n ? alloy_columns.name[e] : "V";
}

/* header_text (used characters so far) with the alloy's columns appended. */
static void alloy_header(char *text, size_t size, size_t used)
{
    for (int e = 0; e <= alloy_columns.n; ++e) {
        const char *s = alloy_entity(e);
        used += (size_t)snprintf(text + used, size - used,
                                 ",c_%s,w_%s,f_%s,f_%s_stderr,f_%s_bias,f_%s_manning,D_star_%s,"
                                 "D_star_%s_stderr,D_star_%s_bias,D_star_%s_m2_s,"
                                 "D_star_%s_m2_s_stderr", s, s, s, s, s, s, s, s, s, s, s);
    }
    for (int i = 0; i <= alloy_columns.n; ++i)
        for (int j = i; j <= alloy_columns.n; ++j)
            used += (size_t)snprintf(text + used, size - used, ",L_%s_%s,L_%s_%s_stderr",
                                     alloy_entity(i), alloy_entity(j), alloy_entity(i),
                                     alloy_entity(j));
}

/* The alloy's part of a row (alloy_header's columns), nothing for other models. */
static void alloy_row(FILE *f, const hop_result *r)
{
    const int n = r->alloy.n_species, phys = r->params.physical;
    if (alloy_columns.n == 0)
        return;
    for (int e = 0; e <= n; ++e) {
        const hop_estimate *fe = &r->alloy.f[e], *D = &r->alloy.D_star[e];
        fprintf(f, ",%.10g,%.10g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g",
                e < n ? r->alloy.c[e] : NAN, e < n ? r->alloy.w[e] : NAN, fe->value, fe->sigma,
                fe->bias, r->alloy.manning_f[e], D->value, D->sigma, D->bias,
                phys ? r->alloy.D_star_si[e].value : NAN, phys ? r->alloy.D_star_si[e].sigma : NAN);
    }
    for (int i = 0; i <= n; ++i)
        for (int j = i; j <= n; ++j)
            fprintf(f, ",%.17g,%.17g", r->alloy.onsager[i][j].value, r->alloy.onsager[i][j].sigma);
}

/* An exact scan's columns per principal axis, after the rates' (exact_axes_row): for
 * each of up to three principal components (the point's lattice's groups, in order) its
 * name (x, z, ...; empty where the lattice has fewer), f (f2 in the solute model) with
 * its bound, and D* (the solute: D2) with its bound in physical units (NaN without).
 * By position, not name, so that a scan over lattices of different axes has one header. */
#define EXACT_AXES 3

static const char *exact_axes_header =
    ",axis1,f_axis1,f_axis1_error_bound,D_star_axis1,D_star_axis1_error_bound"
    ",axis2,f_axis2,f_axis2_error_bound,D_star_axis2,D_star_axis2_error_bound"
    ",axis3,f_axis3,f_axis3_error_bound,D_star_axis3,D_star_axis3_error_bound";

/* mc_header (an exact scan: exact_header) with a column for each --rate (rate_CLASS, the
 * class's R_c) and --site-energy (site_energy_LABEL in kT, site_energy_LABEL_eV in eV)
 * given; an exact scan's per-axis columns after them. */
static char header_text[16384];

static void make_header(const scan_plan *plan)
{
    const hop_lattice_settings *c = &plan->columns;
    size_t used;
    used = (size_t)snprintf(header_text, sizeof header_text, "%s",
                            plan->exact ? exact_header : mc_header);
    for (int i = 0; i < c->n_rates; ++i)
        used += (size_t)snprintf(header_text + used, sizeof header_text - used, ",rate_%s",
                                 c->rate[i].name);
    for (int i = 0; i < c->n_energies; ++i)
        used += (size_t)snprintf(header_text + used, sizeof header_text - used,
                                 ",site_energy_%s%s", c->energy[i].name,
                                 c->energy[i].ev ? "_eV" : "");
    if (plan->exact) {
        snprintf(header_text + used, sizeof header_text - used, "%s", exact_axes_header);
        header = header_text;
        return;
    }
    for (int k = 0; k < plan->n_axes; ++k) {       /* pair_S_T (kT), pair_S_T_eV */
        const scan_axis *x = &plan->axis[k];
        const char *dash = x->kind == AXIS_PAIR ? strchr(x->name, '-') : NULL;
        const int s_len = dash ? (int)(dash - x->name) : 0;
        if (!dash)
            continue;
        used += (size_t)snprintf(header_text + used, sizeof header_text - used,
                                 ",pair_%.*s_%s", s_len, x->name, dash + 1);
        if (x->ev)
            used += (size_t)snprintf(header_text + used, sizeof header_text - used,
                                     ",pair_%.*s_%s_eV", s_len, x->name, dash + 1);
    }
    if (alloy_columns.n > 0 && used < sizeof header_text)
        alloy_header(header_text, sizeof header_text, used);
    header = header_text;
}

/* The values of the --rate and --site-energy columns, the point's lattice's own by
 * name (every point has the same names; NaN where a name is missing, which parsing
 * refuses). */
static void lattice_columns(FILE *f, const scan_plan *plan, const hop_lattice *L)
{
    const hop_lattice_settings *c = &plan->columns;
    for (int i = 0; i < c->n_rates; ++i) {
        double R = NAN;
        for (int k = 0; k < L->n_classes; ++k)
            if (strcmp(L->class_name[k], c->rate[i].name) == 0)
                R = L->class_rate[k];
        fprintf(f, ",%.10g", R);
    }
    for (int i = 0; i < c->n_energies; ++i) {
        double E = NAN;
        for (int s = 0; s < L->n_sub; ++s)
            if (strcmp(L->sub_name[s], c->energy[i].name) == 0)
                E = L->site_energy[s];
        fprintf(f, ",%.10g", E);
    }
}

/* The values of the --pair axes' columns: the pair energy in kT the point's run used
 * (resolved: eV over kT), and in eV for an axis in eV. */
static void pair_columns(FILE *f, const scan_plan *plan, const hop_params *p)
{
    for (int k = 0; k < plan->n_axes; ++k) {
        const scan_axis *x = &plan->axis[k];
        const char *dash = x->kind == AXIS_PAIR ? strchr(x->name, '-') : NULL;
        int s = -1, t = -1;
        if (!dash)
            continue;
        for (int i = 0; i < p->alloy.n_species; ++i) {
            if (strlen(p->alloy.name[i]) == (size_t)(dash - x->name)
                && strncmp(p->alloy.name[i], x->name, (size_t)(dash - x->name)) == 0)
                s = i;
            if (strcmp(p->alloy.name[i], dash + 1) == 0)
                t = i;
        }
        fprintf(f, ",%.17g", s >= 0 && t >= 0 ? p->alloy.pair[s][t] : NAN);
        if (x->ev)
            fprintf(f, ",%.10g", s >= 0 && t >= 0 ? p->alloy.pair_eV[s][t] : NAN);
    }
}

/* The grid line: the run arguments as given (axes as specs). */
static void grid_line(int argc, char **argv, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 1; i < argc && used < n; ++i) {
        if (strcmp(argv[i], "--resume") == 0 || strcmp(argv[i], "--quiet") == 0)
            continue;
        if (strcmp(argv[i], "--out") == 0) { ++i; continue; }
        if (strncmp(argv[i], "--out=", 6) == 0)
            continue;
        used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? " " : "", argv[i]);
    }
}

/* Point i's row from the result r of point run_point's run (i itself, or an earlier
 * point with the same reduced run), wall_s the seconds this row cost. */
static void row(FILE *f, long i, const hop_result *r, long run_point, double wall_s)
{
    static const char *const conductivity_unit[] = {"", "S m", "S", "S/m"};
    const hop_params *p = &r->params;
    const int phys = p->physical;
    const hop_estimate D = phys ? r->phys.D_star : r->D_star;
    const hop_estimate S = phys ? r->phys.D_sigma : r->D_sigma;
    const int has_d = phys || p->estimator == HOP_EST_MSD;
    /* the gas on a 2D or 1D lattice: carriers per m^2 or per m, sigma in S or S m */
    const int dd = r->phys.density_dim >= 1 && r->phys.density_dim <= 3 ? r->phys.density_dim : 3;
    hop_model_columns x;       /* the model's own columns, NaN where it has none */
    hop_verdict v;             /* models/verdict.h: its code (no commas) */
    hop_model_get(p->model)->columns(r, &x);
    hop_verdict_of(r, &v);
    fprintf(f, "%ld,%s,%s,%s,%s,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.17g,%.17g,%.17g,"
            "%.17g,%.17g,%.17g,%s,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%s,%.17g,%.17g,"
            "%.17g,%.17g,%.17g,%.17g,%llu,%llu,%.6g",
            i + 1, p->lattice->name, p->estimator == HOP_EST_MSD ? "msd" : "corr",
            hop_model_name(p->model), r->backend, p->T, p->w[0], p->w[1], p->w[2], p->w[3],
            p->w[4], r->f.value, r->f.sigma, r->f.bias,
            has_d ? D.value : NAN, has_d ? D.sigma : NAN, has_d ? D.bias : NAN,
            phys ? "m^2/s" : "a^2 omega", has_d ? S.value : NAN, has_d ? S.sigma : NAN,
            has_d ? r->haven.value : NAN, has_d ? r->haven.sigma : NAN,
            has_d ? r->haven_inverse.value : NAN, has_d ? r->haven_inverse.sigma : NAN,
            phys ? r->phys.conductivity.value : NAN, phys ? r->phys.conductivity.sigma : NAN,
            phys && isfinite(r->phys.conductivity.value) ? conductivity_unit[dd] : "",
            phys ? r->phys.X_v : NAN, phys ? r->phys.omega : NAN, phys ? r->phys.D0 : NAN,
            phys ? r->phys.Q_D : NAN,
            x.f2_manning, x.D2_over_Xv,
            (unsigned long long)r->replicas, (unsigned long long)r->vacancy_steps, wall_s);
    /* the lattice gas (--model gas): concentration used, J (in kT), the pair energy
     * (eV; NaN unless given), D in units of D0, the thermodynamic factor and D_chem
     * (J = 0: with the exact Theta, README) */
    fprintf(f, ",%.10g,%.10g,%.10g,%.17g,%.17g,%.17g,%.17g", x.c, x.J, x.pair_energy,
            x.D_star.value, x.D_star.sigma, x.D_sigma.value, x.D_sigma.sigma);
    fprintf(f, ",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g", x.theta.value, x.theta.sigma,
            x.theta.bias, x.D_chem.value, x.D_chem.sigma, x.D_chem.bias);
    /* the Philox seed and the box edge (msd and gas; 0 for corr); the point whose run
     * this row reports; the verdict's code */
    fprintf(f, ",%llu,%d,%ld,%s", (unsigned long long)p->seed,
            p->estimator == HOP_EST_MSD ? p->size : 0, run_point + 1, v.code);
}

/* Whether line (NUL-terminated) is the CSV row of point `point`: it starts with that
 * number and a comma and has as many columns as the header. */
static int is_row(const char *line, long point)
{
    char first[32];
    size_t commas = 0, want = 0;
    for (const char *c = header; *c; ++c)
        want += *c == ',';
    for (const char *c = line; *c; ++c)
        commas += *c == ',';
    snprintf(first, sizeof first, "%ld,", point);
    return commas == want && strncmp(line, first, strlen(first)) == 0;
}

/* Opens FILE for appending after checking it is a scan of this grid; *done = rows in it.
 * Only a last line without its newline (an interrupted write) is cut off.  Any other
 * damage (a NUL byte, a line that is not the next point's whole row) is a usage error
 * naming the line, with the file left as it was: cutting there would lose every row
 * after it. */
/* Whether the comma-separated list `columns` holds `name` as a whole column. */
static int has_column(const char *columns, const char *name, size_t len)
{
    for (const char *c = columns; c; c = strchr(c, ',') ? strchr(c, ',') + 1 : NULL)
        if (strncmp(c, name, len) == 0 && (c[len] == ',' || c[len] == '\0'))
            return 1;
    return 0;
}

/* A CSV whose header is not this hop's (written by an older or newer hop: columns were
 * added since): one line naming the first column that differs and what to do.  Its
 * rows cannot be continued under another header, and rewriting them would leave the
 * new columns empty for the points already done. */
static int other_columns(const char *path, const char *file_header)
{
    const char *mine = header, *theirs = file_header, *c;
    for (int pass = 0; pass < 2; ++pass, mine = file_header, theirs = header)
        for (c = mine; c; c = strchr(c, ',') ? strchr(c, ',') + 1 : NULL) {
            const size_t len = strchr(c, ',') ? (size_t)(strchr(c, ',') - c) : strlen(c);
            if (!has_column(theirs, c, len))
                return hop_usage_error("scan", "--resume: '%s' was written by another hop "
                                       "version (it %s column '%.*s'): its rows cannot be "
                                       "continued; start the scan again with another --out "
                                       "(the old file stays readable as it is)", path,
                                       pass == 0 ? "lacks the" : "has a", (int)len, c);
        }
    return hop_usage_error("scan", "--resume: '%s' has this hop's columns in another order "
                           "(another hop version): start the scan again with another --out",
                           path);
}

static int open_resume(const char *path, const char *grid, FILE **out, long *done)
{
    FILE *f = fopen(path, "r+");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long rows = 0, good_end = 0, n = 0;
    int rc = 0;
    if (!f)
        return hop_usage_error("scan", "--resume: cannot open '%s': %s", path, strerror(errno));
    while (rc == 0 && (len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] != '\n')
            break;                               /* the last line, cut by an interrupt */
        line[len - 1] = '\0';
        if (memchr(line, '\0', (size_t)len - 1))
            rc = hop_usage_error("scan", "--resume: '%s' line %ld holds a NUL byte (damaged?)",
                                 path, n + 1);
        else if (n == 1 && (strncmp(line, "# grid: ", 8) != 0 || strcmp(line + 8, grid) != 0))
            rc = hop_usage_error("scan", "--resume: '%s' was made by another grid (%s)", path,
                                 line);
        else if (n == 2 && strcmp(line, header) != 0)
            rc = other_columns(path, line);
        else if (n >= 3 && !is_row(line, rows + 1))
            rc = hop_usage_error("scan", "--resume: '%s' line %ld is not the whole row of "
                                 "point %ld (damaged?)", path, n + 1, rows + 1);
        rows += n >= 3;
        ++n;
        good_end = ftell(f);
    }
    free(line);
    if (rc == 0 && n < 3)
        rc = hop_usage_error("scan", "--resume: '%s' is not a hop scan CSV", path);
    if (rc != 0) {
        fclose(f);
        return rc;
    }
    if (ftruncate(fileno(f), good_end) != 0 || fseek(f, good_end, SEEK_SET) != 0) {
        fclose(f);
        hop_error(HOP_ERR_IO, "cannot truncate '%s': %s", path, strerror(errno));
        return 1;
    }
    *out = f;
    *done = rows;
    return 0;
}

/* Creates FILE with its comment (version, commit, the whole command line, the device),
 * grid and header lines (atomically). */
static int create_csv(const char *path, const char *grid, const char *command_line,
                      const char *device, FILE **out)
{
    char *text;
    size_t len = strlen(grid) + strlen(header) + strlen(command_line) + strlen(device) + 256;
    if (!(text = malloc(len)))
        return 1;
    snprintf(text, len, "# hop %s (%s) scan, one row per point; command: %s; device: %s\n"
             "# grid: %s\n%s\n", HOP_VERSION, HOP_GIT_COMMIT, command_line, device, grid, header);
    if (hop_atomic_write_text(path, text) != HOP_OK) {
        free(text);
        return 1;
    }
    free(text);
    if (!(*out = fopen(path, "a"))) {
        hop_error(HOP_ERR_IO, "cannot append to '%s': %s", path, strerror(errno));
        return 1;
    }
    return 0;
}

static void free_plan(scan_plan *plan)
{
    for (int k = 0; k < plan->n_axes; ++k)
        free(plan->axis[k].values);
}

/* Everything before the first run: the plan, the output path, every point parsed and
 * resolved.  Returns 0 to go on, -1 after --help, or the exit status of a usage error;
 * the caller frees the plan in every case. */
static int scan_prepare(int argc, char **argv, scan_plan *plan)
{
    char msg[512];
    int rc;
    if ((rc = plan_scan(argc, argv, plan)) != 0)
        return rc;
    if (hop_output_check(plan->out, msg, sizeof msg) != HOP_OK)
        return hop_usage_error("scan", "--out: %s", msg);
    for (long i = 0; i < plan->n_points; ++i) {
        hop_params p;
        memset(&p, 0, sizeof p);
        if ((rc = point_params(plan, i, &p)) != 0)
            return rc;
        if (i == 0) {
            plan->exact = p.estimator == HOP_EST_EXACT;
            alloy_columns.n = p.model == HOP_MODEL_ALLOY ? p.alloy.n_species : 0;
            memcpy(alloy_columns.name, p.alloy.name, sizeof alloy_columns.name);
        } else if (plan->exact != (p.estimator == HOP_EST_EXACT)) {
            return hop_usage_error("scan", "--estimator: exact has its own columns; scan it "
                                   "apart from corr and msd");
        } else if ((p.model == HOP_MODEL_ALLOY) != (alloy_columns.n > 0)
                   || (alloy_columns.n > 0
                       && (p.alloy.n_species != alloy_columns.n
                           || memcmp(p.alloy.name, alloy_columns.name,
                                     sizeof alloy_columns.name) != 0))) {
            return hop_usage_error("scan", "--model alloy: every point needs the same species "
                                   "in the same order (their own columns); scan other "
                                   "models apart");
        }
    }

    {           /* the --rate and --site-energy columns, named by the first point */
        char *args[MAX_ARGS];
        hop_run_options o;
        int help = 0;
        point_args(plan, 0, args);
        if (hop_run_options_parse("scan", plan->n_args, args, &o, &help) == 0 && !help)
            plan->columns = o.lattice_settings;
    }
    make_header(plan);
    return 0;
}

int hop_scan_check(int argc, char **argv)
{
    scan_plan plan;
    const int rc = scan_prepare(argc, argv, &plan);
    free_plan(&plan);
    return rc < 0 ? 0 : rc;
}

/* Runs that later points may reuse, by the point that made them (0-based). */
#define MAX_KEPT_RUNS 256
typedef struct {
    long point[MAX_KEPT_RUNS];
    hop_result *result[MAX_KEPT_RUNS];
    int n;
} kept_runs;

static hop_result *kept_run(const kept_runs *kept, long point)
{
    for (int k = 0; k < kept->n; ++k)
        if (kept->point[k] == point)
            return kept->result[k];
    return NULL;
}

/* Whether some axis of the plan is a physical option, so later points may reuse runs. */
static int may_reuse(const scan_plan *plan)
{
    for (int k = 0; k < plan->n_axes && !plan->no_reuse; ++k)
        if (axis_physical(plan, k))
            return 1;
    return 0;
}

/* exact_axes_header's values. */
static void exact_axes_row(FILE *f, const hop_params *p, const hop_exact_result *r,
                           const hop_exact_derived *d)
{
    const hop_lattice *L = p->lattice;
    for (int g = 0; g < EXACT_AXES; ++g) {
        const int has = g < L->n_groups;
        const hop_estimate *D = has ? &d->phys.D_star_axis[g] : NULL;
        fprintf(f, ",%s,%.12g,%.3g,%.12g,%.3g", has ? L->group_name[g] : "",
                has ? r->f_group[g].value : NAN, has ? r->f_group[g].error_bound : NAN,
                has && d->physical ? D->value : NAN, has && d->physical ? D->bias : NAN);
    }
}

static void exact_row(FILE *f, long i, const scan_plan *plan, const hop_params *p,
                      const hop_exact_result *r, long run_point, double wall_s)
{
    hop_exact_derived d;
    const hop_physical *x;
    hop_exact_derive(p, r, &d);
    x = &d.phys;
    fprintf(f, "%ld,%s,exact,%s,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g,%.12g,%.3g,%.12g,%.3g,"
            "%.12g,%.10g,%.6g,%lld,%.3f,%.10g,%.12g,%.3g,%.12g,%.10g,%ld,%.12g,%.3g", i + 1,
            p->lattice->name, hop_model_name(p->model), p->w[0], p->w[1], p->w[2], p->w[3],
            p->w[4], p->w3p, p->w3pp, r->f.value, r->f.error_bound, r->drag.value,
            r->drag.error_bound, d.f2_manning, d.D2_over_Xv, r->radius[r->n_radii - 1],
            (long long)r->n_states, wall_s, d.physical ? p->T : NAN,
            d.physical ? x->D_star.value : NAN, d.physical ? x->D_star.bias : NAN,
            d.physical ? x->D0 : NAN, d.physical ? x->Q_D : NAN, run_point + 1, r->vv.value,
            r->vv.error_bound);
    lattice_columns(f, plan, p->lattice);
    exact_axes_row(f, p, r, &d);
    fputc('\n', f);
}

/* The CSV a fresh exact scan creates once its first point is solved (create_csv's
 * arguments), so that a first point the solver refuses leaves nothing written. */
typedef struct {
    const char *grid, *command_line, *device;
} deferred_csv;

static int create_csv(const char *path, const char *grid, const char *command_line,
                      const char *device, FILE **out);

/* Points done .. n_points-1 of an exact scan, one row each, into *csv (NULL: created by
 * `later` before the first row).  A point whose reduced
 * problem is an earlier point's (run_point_of: only physical units differ, and not the
 * rates they set) takes that point's solution, kept in memory, with its own units; one
 * not kept (a resumed scan) is solved again, which gives the same bits.  A point the
 * solver refuses (memory, a singular system) is bad input: exit 2 with its one line
 * (the first point of a fresh scan: no file written). */
static int run_exact_points(const scan_plan *plan, long done, FILE **csv_at,
                            const deferred_csv *later)
{
    FILE *csv = *csv_at;
    hop_exact_result *kept = NULL;      /* by point, where may_reuse */
    long *kept_point = NULL, n_kept = 0, solved = 0, reused = 0;
    hop_exact_cache *cache = hop_exact_cache_alloc();   /* across points: exact.h */
    int rc = 0;
    if (!cache) {
        hop_error(HOP_ERR_NOMEM, "out of memory for the exact solver");
        return 1;
    }
    if (may_reuse(plan)) {
        kept = malloc(MAX_KEPT_RUNS * sizeof *kept);
        kept_point = malloc(MAX_KEPT_RUNS * sizeof *kept_point);
        if (!kept || !kept_point) {
            free(kept);
            free(kept_point);
            hop_exact_cache_free(cache);
            hop_error(HOP_ERR_NOMEM, "out of memory keeping the scan's solutions");
            return 1;
        }
    }
    for (long i = done; i < plan->n_points && rc == 0; ++i) {
        hop_params p;
        hop_exact_result er;
        const hop_exact_result *use = NULL;
        double wall_s = 0;
        long j, k;
        point_params(plan, i, &p);
        j = run_point_of(plan, i, &p);
        for (k = 0; j != i && k < n_kept && !use; ++k)
            if (kept_point[k] == j)
                use = &kept[k];
        if (use) {
            ++reused;
        } else {
            if (hop_exact_run(&p, HOP_EXACT_DEFAULT_MAX_BYTES, cache, &er) != HOP_OK) {
                rc = 2;
                break;
            }
            use = &er;
            wall_s = er.seconds;
            ++solved;
            if (kept && n_kept < MAX_KEPT_RUNS) {
                kept[n_kept] = er;
                kept_point[n_kept++] = j;
            }
        }
        if (!csv) {
            if (create_csv(plan->out, later->grid, later->command_line, later->device,
                           csv_at) != 0) {
                rc = 1;
                break;
            }
            csv = *csv_at;
        }
        exact_row(csv, i, plan, &p, use, j, wall_s);
        if (fflush(csv) != 0 || fsync(fileno(csv)) != 0) {
            hop_error(HOP_ERR_IO, "cannot write '%s': %s", plan->out, strerror(errno));
            rc = 1;
        }
        if (!plan->quiet)
            fprintf(stderr, "hop scan: point %ld/%ld (%s, %s): f = %.10f (bound %.1e), %s\n",
                    i + 1, plan->n_points, p.lattice->name, hop_model_name(p.model),
                    use->f.value, use->f.error_bound,
                    use == &er ? "solved" : "the solution of an earlier point");
    }
    if (!plan->quiet && reused > 0)
        fprintf(stderr, "hop scan: %ld points from %ld solution%s: %ld reused the solution of an "
                "earlier point (only physical units differ)\n", solved + reused, solved,
                solved == 1 ? "" : "s", reused);
    free(kept);
    free(kept_point);
    hop_exact_cache_free(cache);
    return rc;
}

/* A point's progress: only the length of its next sub-batch, for a signal's message
 * (a box's first is not timed). */
static void point_progress(const hop_progress *g, void *user)
{
    (void)user;
    hop_stop_signals_part(g->starting ? HOP_STOP_UNTIMED : g->next_part_s, 0);
}

/* What a scan stopped by signal `sig` says: the points done and how to go on. */
static int say_interrupted(const scan_plan *plan, long done, int sig)
{
    fprintf(stderr, "hop scan: stopped by signal %d; %ld of %ld points are done in '%s': "
            "continue with the same command and --resume\n", sig, done, plan->n_points,
            plan->out);
    return 128 + sig;
}

/* Points done .. n_points-1, one CSV row each (flushed and fsync'ed).  A point whose
 * reduced run is an earlier point's (run_point_of) takes that run's result, kept in
 * memory, with its own physical units applied (the model's apply); when the run is not
 * kept (a resumed scan, or more than MAX_KEPT_RUNS) it runs again with that point's
 * seed, which gives the same bits.  Returns the exit status. */
static int run_points(const scan_plan *plan, long done, FILE *csv)
{
    kept_runs kept;
    long runs = 0, reused = 0;
    int rc = 0;
    const int keep = may_reuse(plan);
    kept.n = 0;
    for (long i = done; i < plan->n_points && rc == 0; ++i) {
        hop_params p;
        hop_result *r = NULL;
        long j;
        double wall_s = 0;
        if (hop_stop_signal) {              /* came between two points */
            rc = say_interrupted(plan, i, (int)hop_stop_signal);
            break;
        }
        point_params(plan, i, &p);
        p.interrupt = &hop_stop_signal;
        p.progress = point_progress;
        p.progress_f = 0;           /* its f is not shown: no estimates for it */
        j = run_point_of(plan, i, &p);
        if (j != i && (r = kept_run(&kept, j)) != NULL) {
            r->params = p;              /* the reduced results stay; the units are point i's */
            hop_model_get(p.model)->apply(r);
            ++reused;
        } else {
            unsigned long errors = hop_error_count();
            hop_status s = hop_run_execute(&p, &r);
            if (s == HOP_ERR_INTERRUPTED) {
                rc = say_interrupted(plan, i, (int)hop_stop_signal);
                break;
            }
            if (s != HOP_OK) {
                if (hop_error_count() == errors)
                    hop_error(s, "point %ld failed: %s", i + 1, hop_strerror(s));
                rc = 1;
                break;
            }
            wall_s = r->wall_s;
            ++runs;
            if (keep && kept.n < MAX_KEPT_RUNS) {
                kept.point[kept.n] = j;
                kept.result[kept.n++] = r;
            }
        }
        row(csv, i, r, j, wall_s);
        lattice_columns(csv, plan, p.lattice);
        pair_columns(csv, plan, &p);
        alloy_row(csv, r);
        fputc('\n', csv);
        if (fflush(csv) != 0 || fsync(fileno(csv)) != 0) {
            hop_error(HOP_ERR_IO, "cannot write '%s': %s", plan->out, strerror(errno));
            rc = 1;
        }
        if (!plan->quiet) {
            char how[96];
            if (j == i)
                snprintf(how, sizeof how, "%.2f s", wall_s);
            else
                snprintf(how, sizeof how, "the reduced run of point %ld%s", j + 1,
                         wall_s > 0 ? " (run again: not kept)" : "");
            fprintf(stderr, "hop scan: point %ld/%ld (%s, %s): f = %.6g ± %.2g, %s\n", i + 1,
                    plan->n_points, p.lattice->name, hop_model_name(p.model), r->f.value,
                    r->f.sigma, how);
        }
        if (kept_run(&kept, j) != r)
            hop_result_free(r);
    }
    if (!plan->quiet && reused > 0)
        fprintf(stderr, "hop scan: %ld points from %ld run%s: %ld reused the reduced run of an "
                "earlier point (only physical units differ: T, Q, nu, a, carrier density)\n",
                runs + reused, runs, runs == 1 ? "" : "s", reused);
    for (int k = 0; k < kept.n; ++k)
        hop_result_free(kept.result[k]);
    return rc;
}

int hop_scan_main(int argc, char **argv, const char *command_line)
{
    scan_plan plan;
    char grid[4096];
    char device[320];
    FILE *csv = NULL;
    long done = 0;
    int rc;
    if ((rc = scan_prepare(argc, argv, &plan)) != 0) {
        free_plan(&plan);
        return rc < 0 ? 0 : rc;
    }
    {       /* the device of the first point (every point resolves its backend alike) */
        hop_params p0;
        int was;
        point_params(&plan, 0, &p0);
        was = hop_error_silence(1);      /* no device: the first point will say so */
        if (hop_device_describe(p0.backend, device, sizeof device) != HOP_OK)
            snprintf(device, sizeof device, "unknown");
        hop_error_silence(was);
    }
    grid_line(argc, argv, grid, sizeof grid);
    if (plan.resume && access(plan.out, F_OK) == 0)
        rc = open_resume(plan.out, grid, &csv, &done);
    else if (!plan.exact)         /* an exact scan creates it with its first row */
        rc = create_csv(plan.out, grid, command_line, device, &csv);
    if (rc != 0) {
        free_plan(&plan);
        return rc;
    }
    if (!plan.quiet) {            /* say once which backend auto picked, as hop run does
                                     (the exact estimator uses none: no note, but one
                                     where --threads is given to it), once the CSV is
                                     accepted: a refused --resume is one line */
        char *args[MAX_ARGS], note[320];
        hop_run_options o;
        int help = 0, parsed;
        point_args(&plan, 0, args);
        parsed = hop_run_options_parse("scan", plan.n_args, args, &o, &help) == 0 && !help;
        if (parsed && o.p.backend == HOP_BACKEND_AUTO && o.p.estimator != HOP_EST_EXACT) {
            hop_backend_choose(HOP_BACKEND_AUTO, note, sizeof note);
            fprintf(stderr, "hop: %s\n", note);
        }
        if (parsed)
            hop_exact_threads_note(&o.p, "hop scan");
    }
    if (!plan.quiet && done > 0)
        fprintf(stderr, "hop scan: %ld of %ld points already in %s\n", done, plan.n_points,
                plan.out);
    if (!plan.exact)            /* the exact solver has no sub-batches to stop after */
        hop_stop_signals_catch(1);
    if (plan.exact) {
        const deferred_csv later = {grid, command_line, device};
        rc = run_exact_points(&plan, done, &csv, &later);
    } else {
        rc = run_points(&plan, done, csv);
    }
    if (csv && fclose(csv) != 0 && rc == 0) {
        hop_error(HOP_ERR_IO, "cannot write '%s': %s", plan.out, strerror(errno));
        rc = 1;
    }
    free_plan(&plan);
    return rc;
}

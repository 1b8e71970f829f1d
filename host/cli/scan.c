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
 * per point) goes to stderr. */
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
#include "run/run.h"
#include "cli/scan.h"

#define MAX_ARGS 128
#define MAX_AXES 8
#define MAX_VALUES 10000
#define MAX_POINTS 100000
#define VALUE_LEN 32

typedef struct {
    int arg;                 /* index of the value in the run arguments */
    int n;
    char (*values)[VALUE_LEN];
} scan_axis;

typedef struct {
    char *args[MAX_ARGS];    /* "scan", then the run options (values of axes replaced) */
    int n_args;
    scan_axis axis[MAX_AXES];
    int n_axes;
    long n_points;
    const char *out;
    int resume, quiet;
} scan_plan;

static void usage(FILE *out)
{
    fprintf(out,
        "usage: hop scan --out FILE.csv [--resume] [--quiet] [hop run options]\n"
        "  Runs `hop run` for every point of a grid and writes one CSV row per point with\n"
        "  the point's values and every result with its standard error.  A run option\n"
        "  whose value is a list or a range is a scan axis:\n"
        "    --T 600,800,1000         a list\n"
        "    --T 600:1400:9           9 evenly spaced values from 600 to 1400\n"
        "    --w2 0.01:100:9:log      9 logarithmically spaced values\n"
        "    --lattice sc,bcc,fcc     names too\n"
        "  The first axis varies slowest.  Each finished point is appended to FILE.csv at\n"
        "  once (flushed to disk); --resume continues an interrupted scan of the same grid.\n"
        "options:\n"
        "  --out FILE     the CSV (required)\n"
        "  --resume       continue FILE, which must come from the same grid\n"
        "  --quiet        no progress lines\n"
        "  --help         this text\n"
        "Plots: scripts/plot-arrhenius FILE.csv (ln D* against 1/T, with the fitted Q_D and\n"
        "D0), scripts/plot-solute FILE.csv (f2 against w2/w1 beside Manning's f2),\n"
        "scripts/plot-gas FILE.csv (--model gas: f, D*, D_sigma, H against c or J).\n");
}

/* Values of an axis from "a,b,c" or "start:stop:n[:log]". */
static int expand(const char *option, const char *spec, scan_axis *a)
{
    char msg[256];
    a->n = 0;
    a->values = malloc(MAX_VALUES * sizeof *a->values);
    if (!a->values)
        return hop_usage_error("scan", "out of memory");
    if (strchr(spec, ':')) {
        char buf[128], *parts[4], *save = NULL;
        double lo, hi;
        int n = 0, count, logs = 0;
        snprintf(buf, sizeof buf, "%s", spec);
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
        const char *s = spec;
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
            plan->out = a[5] == '=' ? a + 6 : i + 1 < argc ? argv[++i] : NULL;
            if (!plan->out)
                return hop_usage_error("scan", "option '--out' needs a value");
            continue;
        }
        if (strcmp(a, "--resume") == 0) { plan->resume = 1; continue; }
        if (strcmp(a, "--quiet") == 0) { plan->quiet = 1; continue; }
        if (strcmp(a, "--json") == 0 || strcmp(a, "--msd-csv") == 0)
            return hop_usage_error("scan", "%s: a scan writes one CSV (--out), not a file per run",
                                   a);
        if (strncmp(a, "--checkpoint", 12) == 0)
            return hop_usage_error("scan", "%s: a scan saves each point as its CSV row "
                                   "(continue with --resume)", a);
        if (plan->n_args + 2 >= MAX_ARGS)
            return hop_usage_error("scan", "too many arguments");
        plan->args[plan->n_args++] = argv[i];
        if (strncmp(a, "--", 2) == 0 && !strchr(a, '=') && i + 1 < argc
            && strncmp(argv[i + 1], "--", 2) != 0) {
            const char *v = argv[++i];
            if (strpbrk(v, ",:")) {
                scan_axis *x = &plan->axis[plan->n_axes];
                int rc;
                if (plan->n_axes == MAX_AXES)
                    return hop_usage_error("scan", "at most %d scan axes", MAX_AXES);
                plan->n_axes++;         /* first, so free_plan frees a bad axis's values */
                if ((rc = expand(a, v, x)) != 0)
                    return rc;
                x->arg = plan->n_args;
            }
            plan->args[plan->n_args++] = argv[i];
        }
    }
    if (!plan->out)
        return hop_usage_error("scan", "--out FILE.csv is required");
    plan->n_points = 1;
    for (int k = 0; k < plan->n_axes; ++k) {
        plan->n_points *= plan->axis[k].n;
        if (plan->n_points > MAX_POINTS)
            return hop_usage_error("scan", "the grid has more than %d points", MAX_POINTS);
    }
    return 0;
}

/* The run arguments of point i (axis values in place) into args. */
static void point_args(const scan_plan *plan, long i, char **args)
{
    memcpy(args, plan->args, (size_t)plan->n_args * sizeof *args);
    for (int k = plan->n_axes - 1; k >= 0; --k) {
        const scan_axis *x = &plan->axis[k];
        args[x->arg] = x->values[i % x->n];
        i /= x->n;
    }
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
    if (hop_params_resolve(&o.p, msg, sizeof msg) != HOP_OK)
        return hop_usage_error("scan", "point %ld: %s", i + 1, msg);
    *p = o.p;
    return 0;
}

static const char *header =
    "point,lattice,estimator,model,backend,T,w0,w1,w2,w3,w4,f,f_stderr,f_bias,"
    "D_star,D_star_stderr,D_star_bias,D_unit,D_sigma,D_sigma_stderr,haven,haven_stderr,"
    "haven_inverse,haven_inverse_stderr,conductivity,conductivity_stderr,conductivity_unit,"
    "X_v,omega,D0,Q_D,f2_manning,D2_over_Xv,replicas,vacancy_steps,wall_s,"
    "c,J,pair_energy,D_star_over_D0,D_star_over_D0_stderr,D_sigma_over_D0,"
    "D_sigma_over_D0_stderr,"
    "thermodynamic_factor,thermodynamic_factor_stderr,thermodynamic_factor_bias,"
    "D_chem_over_D0,D_chem_over_D0_stderr,D_chem_over_D0_bias,"
    "seed,size";

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

static void row(FILE *f, long i, const hop_result *r)
{
    static const char *const conductivity_unit[] = {"", "S m", "S", "S/m"};
    const hop_params *p = &r->params;
    const int phys = p->physical;
    const hop_estimate D = phys ? r->phys.D_star : r->D_star;
    const hop_estimate S = phys ? r->phys.D_sigma : r->D_sigma;
    const int has_d = phys || p->estimator == HOP_EST_MSD;
    /* the gas on a 2D or 1D lattice: carriers per m^2 or per m, sigma in S or S m */
    const int dd = r->phys.density_dim >= 1 && r->phys.density_dim <= 3 ? r->phys.density_dim : 3;
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
            p->model == HOP_MODEL_SOLUTE ? r->f2_manning : NAN,
            p->model == HOP_MODEL_SOLUTE ? r->D2_over_Xv : NAN,
            (unsigned long long)r->replicas, (unsigned long long)r->vacancy_steps, r->wall_s);
    /* the lattice gas (--model gas): concentration used, J (in kT), the pair energy
     * (eV; NaN unless given), D in units of D0, the thermodynamic factor and D_chem
     * (J = 0: with the exact Theta, README) */
    {
        const int gas = p->model == HOP_MODEL_GAS;
        const hop_estimate none = {NAN, NAN, NAN};
        const hop_estimate *th = gas ? &r->gas.theta : &none, *dc = gas ? &r->gas.D_chem : &none;
        fprintf(f, ",%.10g,%.10g,%.10g,%.17g,%.17g,%.17g,%.17g", gas ? r->gas.c : NAN,
                gas ? p->J : NAN, gas && p->pair_energy_given ? p->pair_energy : NAN,
                gas ? r->gas.D_star.value : NAN, gas ? r->gas.D_star.sigma : NAN,
                gas ? r->gas.D_sigma.value : NAN, gas ? r->gas.D_sigma.sigma : NAN);
        fprintf(f, ",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g", th->value, th->sigma, th->bias,
                dc->value, dc->sigma, dc->bias);
    }
    /* the Philox seed and the box edge (msd and gas; 0 for corr) */
    fprintf(f, ",%llu,%d\n", (unsigned long long)p->seed,
            p->estimator == HOP_EST_MSD ? p->size : 0);
    {
    }
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
            rc = hop_usage_error("scan", "--resume: '%s' has other columns", path);
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
        if ((rc = point_params(plan, i, &p)) != 0)
            return rc;
    }
    return 0;
}

int hop_scan_check(int argc, char **argv)
{
    scan_plan plan;
    const int rc = scan_prepare(argc, argv, &plan);
    free_plan(&plan);
    return rc < 0 ? 0 : rc;
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
    if (!plan.quiet) {            /* say once which backend auto picked, as hop run does */
        char *args[MAX_ARGS], note[320];
        hop_run_options o;
        int help = 0;
        point_args(&plan, 0, args);
        if (hop_run_options_parse("scan", plan.n_args, args, &o, &help) == 0 && !help
            && o.p.backend == HOP_BACKEND_AUTO) {
            hop_backend_choose(HOP_BACKEND_AUTO, note, sizeof note);
            fprintf(stderr, "hop: %s\n", note);
        }
    }
    grid_line(argc, argv, grid, sizeof grid);
    if (plan.resume && access(plan.out, F_OK) == 0)
        rc = open_resume(plan.out, grid, &csv, &done);
    else
        rc = create_csv(plan.out, grid, command_line, device, &csv);
    if (rc != 0) {
        free_plan(&plan);
        return rc;
    }
    if (!plan.quiet && done > 0)
        fprintf(stderr, "hop scan: %ld of %ld points already in %s\n", done, plan.n_points,
                plan.out);
    for (long i = done; i < plan.n_points && rc == 0; ++i) {
        hop_params p;
        hop_result *r = NULL;
        unsigned long errors = hop_error_count();
        hop_status s;
        point_params(&plan, i, &p);
        if ((s = hop_run_execute(&p, &r)) != HOP_OK) {
            if (hop_error_count() == errors)
                hop_error(s, "point %ld failed: %s", i + 1, hop_strerror(s));
            rc = 1;
            break;
        }
        row(csv, i, r);
        if (fflush(csv) != 0 || fsync(fileno(csv)) != 0) {
            hop_error(HOP_ERR_IO, "cannot write '%s': %s", plan.out, strerror(errno));
            rc = 1;
        }
        if (!plan.quiet) {
            fprintf(stderr, "hop scan: point %ld/%ld (%s, %s): f = %.6g ± %.2g, %.2f s\n", i + 1,
                    plan.n_points, p.lattice->name, hop_model_name(p.model), r->f.value,
                    r->f.sigma, r->wall_s);
        }
        hop_result_free(r);
    }
    if (fclose(csv) != 0 && rc == 0) {
        hop_error(HOP_ERR_IO, "cannot write '%s': %s", plan.out, strerror(errno));
        rc = 1;
    }
    free_plan(&plan);
    return rc;
}

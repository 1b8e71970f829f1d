/* lattice_options.c: --rate CLASS=VALUE and --site-energy LABEL=VALUE[eV] (see
 * lattice_options.h): parsing each value, then the run's private copy of its lattice
 * with the settings applied and the integer rates derived again (lattice/rates.h).
 *
 * The copies live in one table for the life of the process, found again by content,
 * so parsing a scan's point twice gives the same pointer, and points whose settings
 * give the same lattice compare equal by pointer (cli/scan.c's reuse). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/parse.h"
#include "cli/lattice_options.h"
#include "lattice/impl.h"
#include "lattice/rates.h"
#include "models/physics.h"

#define BAD(...) do { snprintf(msg, n, __VA_ARGS__); return HOP_ERR_INVAL; } while (0)

/* Whether name is 1 to HOP_LABEL_LEN - 1 letters, digits or '_' (the lattice file's
 * rule for class names and sublattice labels). */
static int valid_name(const char *name, size_t len)
{
    if (len == 0 || len >= HOP_LABEL_LEN)
        return 0;
    for (size_t i = 0; i < len; ++i) {
        const char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
              || c == '_'))
            return 0;
    }
    return 1;
}

/* A rate: P/Q (positive integers up to 2^53, read as the double P / Q, as the lattice
 * file reads it) or a decimal in (0, 1e30]. */
static hop_status parse_rate(const char *opt, const char *v, double *out, char *msg, size_t n)
{
    const char *slash = strchr(v, '/');
    if (slash) {
        char p_text[64];
        uint64_t p, q;
        const size_t len = (size_t)(slash - v);
        snprintf(p_text, sizeof p_text, "%.*s", (int)(len < 63 ? len : 63), v);
        if (len >= sizeof p_text
            || hop_parse_u64(opt, p_text, 1, UINT64_C(1) << 53, &p, msg, n) != HOP_OK
            || hop_parse_u64(opt, slash + 1, 1, UINT64_C(1) << 53, &q, msg, n) != HOP_OK) {
            snprintf(msg, n, "%s: rate '%s' is not P/Q with whole numbers 1 .. 2^53", opt, v);
            return HOP_ERR_INVAL;
        }
        *out = (double)p / (double)q;
        return HOP_OK;
    }
    if (hop_parse_double(opt, v, 0, 1e30, out, msg, n) != HOP_OK || !(*out > 0)) {
        snprintf(msg, n, "%s: rate '%s' is not a number in (0, 1e30] or P/Q", opt, v);
        return HOP_ERR_INVAL;
    }
    return HOP_OK;
}

/* A site energy: a decimal in kT within +-1000, or VALUEeV within +-100 eV. */
static hop_status parse_energy(const char *opt, const char *v, double *out, int *ev, char *msg,
                               size_t n)
{
    char number[64];
    const size_t len = strlen(v);
    *ev = len > 2 && strcmp(v + len - 2, "eV") == 0;
    snprintf(number, sizeof number, "%.*s", (int)(*ev ? len - 2 : len), v);
    if ((*ev ? len - 2 : len) >= sizeof number
        || hop_parse_double(opt, number, *ev ? -100 : -1000, *ev ? 100 : 1000, out, msg, n)
               != HOP_OK) {
        snprintf(msg, n, "%s: energy '%s' is not a number within %s", opt, v,
                 *ev ? "+-100 eV" : "+-1000 kT (or VALUEeV)");
        return HOP_ERR_INVAL;
    }
    return HOP_OK;
}

hop_status hop_lattice_setting_parse(const char *opt, int rate, const char *arg,
                                     hop_lattice_settings *s, char *msg, size_t n)
{
    const char *eq = strchr(arg, '=');
    hop_lattice_setting *list = rate ? s->rate : s->energy;
    int *count = rate ? &s->n_rates : &s->n_energies;
    const int max = rate ? HOP_MAX_CLASSES : HOP_MAX_SUB;
    hop_lattice_setting x;
    memset(&x, 0, sizeof x);
    if (!eq)
        BAD("%s: '%s' is not %s=VALUE", opt, arg, rate ? "CLASS" : "SUBLATTICE");
    if (!valid_name(arg, (size_t)(eq - arg)))
        BAD("%s: '%.*s' is not a %s name (1 to %d letters, digits or '_')", opt,
            (int)(eq - arg), arg, rate ? "jump class" : "sublattice", HOP_LABEL_LEN - 1);
    memcpy(x.name, arg, (size_t)(eq - arg));
    if ((rate ? parse_rate(opt, eq + 1, &x.value, msg, n)
              : parse_energy(opt, eq + 1, &x.value, &x.ev, msg, n)) != HOP_OK)
        return HOP_ERR_INVAL;
    for (int i = 0; i < *count; ++i)
        if (strcmp(list[i].name, x.name) == 0)
            BAD("option '%s' is given twice for %s %s: give it once", opt,
                rate ? "class" : "sublattice", x.name);
    if (*count == max)
        BAD("%s: at most %d (a lattice has at most %d %s)", opt, max, max,
            rate ? "jump classes" : "sublattices");
    list[(*count)++] = x;
    return HOP_OK;
}

/* --------------------------------------------------------------- the copies --- */

static hop_lattice *copies[HOP_LATTICE_COPIES_MAX];
static uint64_t copy_hash[HOP_LATTICE_COPIES_MAX];
static int n_copies;

/* FNV-1a over the bytes of L. */
static uint64_t lattice_hash(const hop_lattice *L)
{
    const unsigned char *b = (const unsigned char *)L;
    uint64_t h = UINT64_C(14695981039346656037);
    for (size_t i = 0; i < sizeof *L; ++i)
        h = (h ^ b[i]) * UINT64_C(1099511628211);
    return h;
}

/* The stored copy equal to L, stored now if there is none; NULL when the table is full
 * or out of memory. */
static const hop_lattice *keep(const hop_lattice *L)
{
    const uint64_t h = lattice_hash(L);
    hop_lattice *c;
    for (int i = 0; i < n_copies; ++i)
        if (copy_hash[i] == h && memcmp(copies[i], L, sizeof *L) == 0)
            return copies[i];
    if (n_copies == HOP_LATTICE_COPIES_MAX || !(c = malloc(sizeof *c)))
        return NULL;
    memcpy(c, L, sizeof *c);
    copies[n_copies] = c;
    copy_hash[n_copies++] = h;
    return c;
}

void hop_lattice_copies_clear(void)
{
    for (int i = 0; i < n_copies; ++i)
        free(copies[i]);
    n_copies = 0;
}

/* Name i of L's jump classes (classes) or sublattices, and how many there are. */
static const char *label(const hop_lattice *L, int classes, int i)
{
    return classes ? L->class_name[i] : L->sub_name[i];
}

static int label_count(const hop_lattice *L, int classes)
{
    return classes ? L->n_classes : L->n_sub;
}

/* Index of name among L's classes (classes) or sublattices, or -1. */
static int find_name(const hop_lattice *L, int classes, const char *name)
{
    for (int i = 0; i < label_count(L, classes); ++i)
        if (strcmp(label(L, classes, i), name) == 0)
            return i;
    return -1;
}

/* The message: `typed` is none of L's classes (classes) or sublattices; lists them,
 * with the nearest as a hint. */
static hop_status unknown(const char *opt, const hop_lattice *L, int classes, const char *typed,
                          char *msg, size_t n)
{
    const char *list[HOP_MAX_CLASSES > HOP_MAX_SUB ? HOP_MAX_CLASSES : HOP_MAX_SUB];
    char valid[(HOP_MAX_CLASSES > HOP_MAX_SUB ? HOP_MAX_CLASSES : HOP_MAX_SUB)
               * (HOP_LABEL_LEN + 2)];
    const char *what = classes ? "jump class" : "sublattice", *near;
    const int count = label_count(L, classes);
    size_t used = 0;
    valid[0] = '\0';
    for (int i = 0; i < count; ++i) {
        list[i] = label(L, classes, i);
        used += (size_t)snprintf(valid + used, sizeof valid - used, "%s%s", i ? ", " : "",
                                 list[i]);
    }
    near = hop_nearest_name(typed, list, count);
    if (near)
        BAD("%s: lattice %s has no %s '%s' (did you mean '%s'? valid: %s)", opt, L->name, what,
            typed, near, valid);
    BAD("%s: lattice %s has no %s '%s' (valid: %s)", opt, L->name, what, typed, valid);
}

/* The settings on copy (a copy of a lattice): names checked, values set. */
static hop_status set_all(const hop_lattice_settings *s, double T, hop_lattice *copy, char *msg,
                          size_t n)
{
    for (int i = 0; i < s->n_rates; ++i) {
        const hop_lattice_setting *x = &s->rate[i];
        if (copy->n_classes == 0)
            BAD("--rate: lattice %s has per-jump rates (a version-1 file), no jump classes to "
                "set; write it as version 2 with classes (docs/lattice-files.md)", copy->name);
        if (find_name(copy, 1, x->name) < 0)
            return unknown("--rate", copy, 1, x->name, msg, n);
        if (hop_lattice_set_rate(copy, x->name, x->value) != HOP_OK)
            BAD("--rate: %s=%g refused", x->name, x->value);    /* not reached: checked */
    }
    for (int i = 0; i < s->n_energies; ++i) {
        const hop_lattice_setting *x = &s->energy[i];
        const int sub = find_name(copy, 0, x->name);
        if (sub < 0)
            return unknown("--site-energy", copy, 0, x->name, msg, n);
        if (x->ev && x->value != 0 && !(T > 0))
            BAD("--site-energy %s=%geV needs --T (temperature in K) to convert eV to kT", x->name,
                x->value);
        if (hop_lattice_set_site_energy(copy, x->name, x->value) != HOP_OK)
            BAD("--site-energy: %s=%g refused", x->name, x->value);    /* not reached */
        copy->site_energy_ev[sub] = (unsigned char)(x->ev && x->value != 0);  /* 0 eV = 0 kT */
    }
    return HOP_OK;
}

hop_status hop_lattice_settings_apply(const hop_lattice_settings *s, double T,
                                      const hop_lattice **lattice, char *msg, size_t n)
{
    const hop_lattice *L = *lattice, *kept = NULL;
    hop_lattice *copy;
    char why[400];
    hop_status st;
    if (s->n_rates == 0 && s->n_energies == 0 && !hop_lattice_has_ev(L))
        return HOP_OK;
    if (!(copy = malloc(sizeof *copy)))
        BAD("out of memory");
    memcpy(copy, L, sizeof *copy);        /* bytes, padding included: copies compare by memcmp */
    st = set_all(s, T, copy, msg, n);
    if (st == HOP_OK && hop_lattice_derive_rates(copy, T > 0 ? HOP_K_B_EV * T : 0, why,
                                                 sizeof why) != HOP_OK) {
        snprintf(msg, n, "%s%s", s->n_rates || s->n_energies ? "with --rate/--site-energy: " : "",
                 why);
        st = HOP_ERR_INVAL;
    }
    /* Rates and energies that break the symmetry make f a tensor again: a lattice
     * isotropic before (its table, its file's line, or hop's own decision) is not after
     * when its network's second moment says so (lattice/impl.h); as for a file that
     * gives the same values without an isotropic line. */
    if (st == HOP_OK && copy->isotropic && !hop_lattice_moment_isotropic(copy, NULL, NULL))
        copy->isotropic = 0;
    if (st == HOP_OK && !(kept = keep(copy))) {
        snprintf(msg, n, "--rate/--site-energy: more than %d different lattices in one process",
                 HOP_LATTICE_COPIES_MAX);
        st = HOP_ERR_INVAL;
    }
    free(copy);
    if (st == HOP_OK)
        *lattice = kept;
    return st;
}

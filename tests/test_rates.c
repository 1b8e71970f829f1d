/* test_rates.c: Criterion tests for jump classes, site energies and the integer rates
 * derived from them (host/lattice/rates.c).
 *
 * Exact properties: the built-ins carry the one class "nn" and keep equal rates (the
 * fast path, rate_total 0); a class rate ratio that is a power of two gives exactly
 * that ratio of integers; site energies give rates in detailed balance,
 * e^{-E_s} Gamma(s->t) = e^{-E_t} Gamma(t->s), to the integers' rounding (half a unit
 * in 2^32); every error names what is wrong and lists the valid names. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lattice/impl.h"
#include "lattice/rates.h"

static char last_message[1024];

static void capture(hop_status s, const char *message)
{
    (void)s;
    snprintf(last_message, sizeof last_message, "%s", message);
}

/* A writable copy of built-in `name`, errors captured. */
static hop_lattice copy_of(const char *name)
{
    const hop_lattice *L = hop_lattice_find(name);
    cr_assert_not_null(L, "built-in %s", name);
    hop_set_error_handler(capture);
    last_message[0] = '\0';
    return *L;
}

Test(rates_builtin, one_class_nn_and_equal_rates)
{
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const hop_lattice *L = hop_lattice_get(i);
        cr_assert_eq(L->n_classes, 1, "%s", L->name);
        cr_assert_str_eq(L->class_name[0], "nn", "%s", L->name);
        cr_assert_eq(L->class_rate[0], 1.0);
        for (int s = 0; s < L->n_sub; ++s) {
            cr_assert_eq(L->rate_total[s], 0, "%s: equal rates keep the fast path", L->name);
            if (strcmp(L->name, "perovskite-O") != 0)      /* its table names X, Y, Z */
                cr_assert_eq(L->sub_name[s][0], 'A' + s, "%s: default labels A, B", L->name);
            for (int k = 0; k < L->z; ++k)
                cr_assert_eq(L->jump_class[s][k], 0);
        }
        hop_lattice copy = *L;
        cr_assert_eq(hop_lattice_apply_rates(&copy, 0), HOP_OK);
        cr_assert_eq(memcmp(&copy, L, sizeof copy), 0, "%s: applying changes nothing", L->name);
    }
}

Test(rates_set, unknown_class_lists_the_valid_ones)
{
    hop_lattice L = copy_of("fcc");
    cr_assert_eq(hop_lattice_set_rate(&L, "basal", 2), HOP_ERR_INVAL);
    cr_assert(strstr(last_message, "basal") && strstr(last_message, "nn"), "%s", last_message);
    cr_assert_eq(L.class_rate[0], 1.0, "untouched");
}

Test(rates_set, rate_must_be_finite_and_positive)
{
    const double bad[] = {0, -1, NAN, INFINITY};
    hop_lattice L = copy_of("sc");
    for (int i = 0; i < 4; ++i) {
        cr_assert_eq(hop_lattice_set_rate(&L, "nn", bad[i]), HOP_ERR_INVAL, "%g", bad[i]);
        cr_assert(strstr(last_message, "> 0"), "%s", last_message);
    }
    cr_assert_eq(hop_lattice_set_rate(&L, "nn", 3.5), HOP_OK);
    cr_assert_eq(L.class_rate[0], 3.5);
    cr_assert_eq(hop_lattice_apply_rates(&L, 0), HOP_OK);
    cr_assert_eq(L.rate_total[0], 0, "one class: all rates equal whatever its value");
}

Test(rates_set, unknown_label_lists_the_valid_ones)
{
    hop_lattice L = copy_of("hcp");
    cr_assert_eq(hop_lattice_set_site_energy(&L, "C", 1), HOP_ERR_INVAL);
    cr_assert(strstr(last_message, "A, B"), "%s", last_message);
    cr_assert_eq(hop_lattice_set_site_energy(&L, "B", NAN), HOP_ERR_INVAL);
    cr_assert_eq(hop_lattice_set_site_energy(&L, "B", 1), HOP_OK);
    cr_assert_eq(L.site_energy[1], 1.0);
}

/* hcp with its basal jumps (the first six of each sublattice) in class "basal" and the
 * others in class "c" at a quarter of the rate: exactly 2^32 and 2^30. */
Test(rates_apply, class_ratio_is_exact)
{
    hop_lattice L = copy_of("hcp");
    L.n_classes = 2;
    strcpy(L.class_name[0], "basal");
    strcpy(L.class_name[1], "c");
    L.class_rate[1] = 1;
    for (int s = 0; s < 2; ++s)
        for (int k = 0; k < L.z; ++k)
            L.jump_class[s][k] = L.jump[s][k][2] != 0;
    cr_assert_eq(hop_lattice_set_rate(&L, "c", 0.25), HOP_OK);
    cr_assert_eq(hop_lattice_apply_rates(&L, 0), HOP_OK);
    for (int s = 0; s < 2; ++s) {
        for (int k = 0; k < L.z; ++k)
            cr_assert_eq(L.rate[s][k], L.jump_class[s][k] ? UINT64_C(1) << 30 : UINT64_C(1) << 32);
        cr_assert_eq(L.rate_total[s], 6 * (UINT64_C(1) << 32) + 6 * (UINT64_C(1) << 30));
    }
    cr_assert_eq(hop_lattice_set_rate(&L, "c", 1), HOP_OK);
    cr_assert_eq(hop_lattice_apply_rates(&L, 0), HOP_OK);
    cr_assert_eq(L.rate_total[0], 0, "equal again: back to the fast path");
    cr_assert_eq(L.rate_total[1], 0);
}

/* Honeycomb with E_B = 1 kT: A -> B at e^{-1/2}, B -> A at 1 relative; detailed balance
 * e^{-E_A} rate(A->B) = e^{-E_B} rate(B->A) holds to the rounding of each integer. */
Test(rates_apply, site_energies_obey_detailed_balance)
{
    const double E_B[] = {1.0, -3.0, 20.0};
    for (int i = 0; i < 3; ++i) {
        hop_lattice L = copy_of("honeycomb");
        cr_assert_eq(hop_lattice_set_site_energy(&L, "B", E_B[i]), HOP_OK);
        cr_assert_eq(hop_lattice_apply_rates(&L, 0), HOP_OK);
        for (int s = 0; s < 2; ++s)
            for (int k = 0; k < L.z; ++k) {
                const int t = L.jump_sub[s][k], r = L.jump_rev[s][k];
                const double lhs = exp(-L.site_energy[s]) * (double)L.rate[s][k];
                const double rhs = exp(-L.site_energy[t]) * (double)L.rate[t][r];
                const double tol = 0.5 * (exp(-L.site_energy[s]) + exp(-L.site_energy[t]));
                cr_assert(fabs(lhs - rhs) <= tol, "E_B %g: %g vs %g", E_B[i], lhs, rhs);
                cr_assert(L.rate[s][k] > 0);
            }
        cr_assert_eq(L.rate[E_B[i] > 0][0], UINT64_C(1) << 32, "the faster jump is downhill");
    }
}

Test(rates_apply, electronvolts_need_the_temperature)
{
    hop_lattice L = copy_of("honeycomb");
    cr_assert_eq(hop_lattice_set_site_energy(&L, "B", 0.05), HOP_OK);
    L.site_energy_ev[1] = 1;
    cr_assert_eq(hop_lattice_apply_rates(&L, 0), HOP_ERR_INVAL);
    cr_assert(strstr(last_message, "--T"), "%s", last_message);
    cr_assert_eq(L.rate_total[0], 0, "untouched");
    cr_assert_eq(hop_lattice_apply_rates(&L, 0.025), HOP_OK);    /* E_B = 2 kT */
    cr_assert_eq(L.rate[1][0], UINT64_C(1) << 32);
    cr_assert_eq(L.rate[0][0], (uint64_t)llround(ldexp(exp(-2.0), 32)));
}

Test(rates_apply, too_slow_a_rate_is_an_error_naming_the_ratio)
{
    hop_lattice L = copy_of("honeycomb");
    cr_assert_eq(hop_lattice_set_site_energy(&L, "B", 50), HOP_OK);   /* ratio e^50 */
    cr_assert_eq(hop_lattice_apply_rates(&L, 0), HOP_ERR_INVAL);
    cr_assert(strstr(last_message, "times slower") && strstr(last_message, "5.18e+21"),
              "%s", last_message);
}

Test(rates_apply, a_version_1_lattice_without_classes_refuses_energies)
{
    hop_lattice L = copy_of("honeycomb");
    L.n_classes = 0;
    cr_assert_eq(hop_lattice_set_rate(&L, "nn", 2), HOP_ERR_INVAL);
    cr_assert(strstr(last_message, "version-1"), "%s", last_message);
    cr_assert_eq(hop_lattice_apply_rates(&L, 0), HOP_OK, "no energies: the rates stay");
    L.site_energy[1] = 1;
    cr_assert_eq(hop_lattice_apply_rates(&L, 0), HOP_ERR_INVAL);
    cr_assert(strstr(last_message, "classes"), "%s", last_message);
}

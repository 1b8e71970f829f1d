/* test_lengths.c: lattices whose jumps have several lengths (jump_len2 = 0, each jump's
 * own jump_norm2; host/lattice/lattice.c, the step code's general path in
 * include/hop/step.h, the corr and msd estimators' uncorrelated reference).
 *
 * The derivable case: simple cubic stretched along z to c = 2a.  Every jump has the
 * same rate, so the vacancy's walk is sc's walk seen through a linear map: the
 * correlation factor along each axis is sc's f = 0.65310884 (exact), and so is the
 * scalar f = D* / D_unc (every axis has the same f).  Tolerances: 4 sigma + the bias
 * bound the run reports.  Runs on 1 and 2 threads give the same bits. */
#include <criterion/criterion.h>

#include <math.h>
#include <string.h>

#include "lattice/impl.h"
#include "run_helper.h"

#define F_SC 0.65310884

static hop_lattice stretched_sc(void)
{
    hop_lattice L;
    char msg[200];
    memset(&L, 0, sizeof L);
    strcpy(L.name, "sc-c2");
    L.dim = 3, L.z = 6, L.n_sub = 1, L.n_basis = 1;
    L.cell[0] = L.cell[1] = L.cell[2] = 1;
    for (int a = 0; a < 3; ++a) {
        L.jump[0][2 * a][a] = 1;
        L.jump[0][2 * a + 1][a] = -1;
        L.cart[a][a] = 1;
    }
    L.weight[0] = L.weight[1] = 1, L.weight[2] = 4, L.metric_den = 1;
    L.n_groups = 2, L.group_of_axis[2] = 1;
    strcpy(L.group_name[0], "x");
    strcpy(L.group_name[1], "z");
    cr_assert_eq(hop_lattice_finish(&L, msg, sizeof msg), HOP_OK, "%s", msg);
    return L;
}

Test(lengths, derived_fields)
{
    const hop_lattice L = stretched_sc();
    cr_assert_eq(L.jump_len2, 0, "several lengths: no common one");
    cr_assert_eq(L.unit_len2, 1);
    for (int k = 0; k < 6; ++k)
        cr_assert_eq(L.jump_norm2[0][k], k < 4 ? 1 : 4);
    cr_assert_float_eq(hop_lattice_jump_length(&L), 1.0, 0, "the shortest jump");
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const hop_lattice *B = hop_lattice_get(i);
        cr_assert_eq(B->unit_len2, B->jump_len2, "%s", B->name);
        for (int s = 0; s < B->n_sub; ++s)
            for (int k = 0; k < B->z; ++k)
                cr_assert_eq(B->jump_norm2[s][k], B->jump_len2);
    }
}

static void expect_f(const char *what, const hop_estimate *e, double ref)
{
    const double tol = 4 * e->sigma + e->bias;
    cr_expect(e->sigma > 0 && e->sigma < 8e-3, "%s: sigma %g", what, e->sigma);
    cr_expect_leq(fabs(e->value - ref), tol, "%s: %.5f +- %.5f (bias %.5f), expected %.5f", what,
                  e->value, e->sigma, e->bias, ref);
}

Test(lengths, stretched_sc_has_sc_f_on_every_axis, .timeout = 300)
{
    static hop_lattice L;
    hop_params p;
    hop_result *r1, *r2;
    L = stretched_sc();
    p = hop_test_params("sc", HOP_EST_CORR, HOP_MODEL_VACANCY, 100000, 11);
    p.lattice = &L;
    p.radius = 16;
    p.threads = 1;
    r1 = hop_test_run(&p);
    expect_f("f", &r1->f, F_SC);
    expect_f("f_x", &r1->f_group[0], F_SC);
    expect_f("f_z", &r1->f_group[1], F_SC);
    p.threads = 2;
    r2 = hop_test_run(&p);
    cr_assert(memcmp(&r1->f, &r2->f, sizeof r1->f) == 0
              && memcmp(r1->f_group, r2->f_group, sizeof r1->f_group) == 0,
              "1 and 2 threads give the same bits");
    hop_result_free(r1);
    hop_result_free(r2);
}

Test(lengths, msd_agrees_with_sc_f, .timeout = 300)
{
    static hop_lattice L;
    hop_params p;
    hop_result *r;
    L = stretched_sc();
    p = hop_test_params("sc", HOP_EST_MSD, HOP_MODEL_VACANCY, 20000, 5);
    p.lattice = &L;
    r = hop_test_run(&p);
    expect_f("msd f", &r->f, F_SC);
    expect_f("msd f_x", &r->f_group[0], F_SC);
    expect_f("msd f_z", &r->f_group[1], F_SC);
    hop_result_free(r);
}

/* test_lattice_write.c: the lattice-file writer (host/lattice/write.c, `hop lattices
 * --write`): every built-in written and loaded back is the built-in table field by field
 * (memcmp of the derived struct) and gives bit-identical f; the checked-in files of
 * tests/lattices/ are exactly what `hop lattices --write` prints today; a table the format
 * cannot express is refused.  Moved whole from test_lattice_file.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lattice_file_helper.h"

Test(lattice_file_roundtrip, builtins_load_back_field_by_field, .init = scratch_make,
     .fini = scratch_remove)
{
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const hop_lattice *B = hop_lattice_get(i);
        const char *path = write_lattice("a.lat", B);
        const hop_lattice *L = must_load(path);
        hop_lattice copy = *L;
        char *first = read_whole_file(path), *second;
        memcpy(copy.name, B->name, sizeof copy.name);
        cr_expect_eq(memcmp(&copy, B, sizeof copy), 0, "%s: loaded table differs", B->name);
        cr_expect_str_eq(L->name, B->name);
        cr_expect_str_eq(L->cell_name, B->cell_name);
        /* Written again, the loaded lattice gives the same text. */
        second = read_whole_file(write_lattice("b.lat", L));
        cr_expect_str_eq(first, second, "%s: second write differs", B->name);
        /* Loading the same lattice again hands out the same storage. */
        cr_expect_eq(must_load(path), L, "%s: reloaded into a new slot", B->name);
        free(first);
        free(second);
    }
}

/* "The nine built-in lattices can be written in this format and give the same
 * results": same seed and replicas, bit-identical estimates. */
Test(lattice_file_roundtrip, builtins_give_bit_identical_f, .init = scratch_make,
     .fini = scratch_remove)
{
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const hop_lattice *B = hop_lattice_get(i);
        const hop_lattice *L = must_load(write_lattice("a.lat", B));
        hop_result *rb = run_corr(B, 3000, 11), *rl = run_corr(L, 3000, 11);
        cr_expect_neq(L, B, "%s: a copy, not the built-in itself", B->name);
        cr_expect(rb->tracer_jumps > 0 && isfinite(rb->f.value), "%s: a real run", B->name);
        cr_expect_eq(memcmp(&rb->f, &rl->f, sizeof rb->f), 0, "%s: f %.17g vs %.17g",
                     B->name, rb->f.value, rl->f.value);
        cr_expect_eq(rb->n_groups, rl->n_groups);
        cr_expect_eq(memcmp(rb->f_group, rl->f_group, sizeof rb->f_group), 0,
                     "%s: principal components differ", B->name);
        cr_expect_eq(rb->vacancy_steps, rl->vacancy_steps, "%s: different walks", B->name);
        hop_result_free(rb);
        hop_result_free(rl);
    }
}

Test(lattice_file_examples, builtin_files_are_current, .init = scratch_make,
     .fini = scratch_remove)
{
    for (int i = 0; i < hop_lattice_count(); ++i) {
        const hop_lattice *B = hop_lattice_get(i);
        char path[512];
        char *checked_in, *now;
        const hop_lattice *L;
        snprintf(path, sizeof path, "%s/tests/lattices/%s.lat", HOP_SOURCE_DIR, B->name);
        L = must_load(path);
        cr_expect_eq(memcmp(L, B, sizeof *L), 0, "%s: differs from the built-in", path);
        checked_in = read_whole_file(path);
        now = read_whole_file(write_lattice("now.lat", B));
        cr_expect_str_eq(checked_in, now, "%s is stale: regenerate it with "
                         "`hop lattices --write %s`", path, B->name);
        free(checked_in);
        free(now);
    }
}

/* hop_lattice_write refuses tables it cannot express, and reports write errors. */
Test(lattice_file_errors, write_refuses_what_it_cannot_express)
{
    hop_lattice L = *hop_lattice_find("honeycomb");
    FILE *f = fopen("/dev/null", "w");
    cr_assert_not_null(f);
    L.basis_sub[0] = 1, L.basis_sub[1] = 0;     /* sublattice 1 before 0 */
    cr_expect_eq(hop_lattice_write(f, &L), HOP_ERR_INVAL);
    L = *hop_lattice_find("honeycomb");
    L.dim = 4;
    cr_expect_eq(hop_lattice_write(f, &L), HOP_ERR_INVAL);
    fclose(f);
    f = fopen(HOP_SOURCE_DIR "/tests/lattices/README.md", "r");    /* not writable */
    cr_assert_not_null(f);
    cr_expect_eq(hop_lattice_write(f, hop_lattice_find("fcc")), HOP_ERR_IO);
    fclose(f);
}

Test(lattice_file_cli, write_prints_a_loadable_builtin, .init = scratch_make,
     .fini = scratch_remove)
{
    const char *args[] = {"lattices", "--write", "fcc", NULL};
    const char *args_eq[] = {"lattices", "--write=hcp", NULL};
    hop_proc *p = hop_run_args(args);
    const hop_lattice *L;
    cr_assert_eq(p->status, 0, "stderr: %s", p->err);
    cr_expect_str_eq(p->err, "");
    L = must_load(put("fcc.lat", p->out));
    cr_expect_eq(memcmp(L, hop_lattice_find("fcc"), sizeof *L), 0);
    p = hop_run_args(args_eq);
    cr_assert_eq(p->status, 0);
    L = must_load(put("hcp.lat", p->out));
    cr_expect_eq(memcmp(L, hop_lattice_find("hcp"), sizeof *L), 0);
}

Test(lattice_file_cli, write_usage_errors)
{
    const char *unknown[] = {"lattices", "--write", "nope", NULL};
    const char *no_value[] = {"lattices", "--write", NULL};
    const char *extra[] = {"lattices", "--write", "fcc", "sc", NULL};
    expect_usage_error(hop_run_args(unknown), "lattices", "--write: unknown lattice 'nope'");
    expect_usage_error(hop_run_args(no_value), "lattices", "option '--write' needs a value");
    expect_usage_error(hop_run_args(extra), "lattices", "unexpected argument 'sc'");
}

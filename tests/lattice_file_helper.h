/* lattice_file_helper.h: what the lattice-file tests share (test_lattice_file.c,
 * test_lattice_write.c): a scratch directory per test, files written into it, lattices
 * loaded or run from it, and the shape of a usage error of the hop binary. */
#ifndef HOP_TEST_LATTICE_FILE_HELPER_H
#define HOP_TEST_LATTICE_FILE_HELPER_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "dir_helper.h"
#include "proc_helper.h"
#include "lattice/file.h"
#include "lattice/impl.h"
#include "run_helper.h"

static char scratch[64];          /* a fresh directory per test */

static inline void scratch_make(void)
{
    make_dir(scratch, sizeof scratch);
}

static inline void scratch_remove(void)
{
    remove_dir(scratch);
}

/* scratch/name, in one of four rotating buffers. */
static inline const char *path_of(const char *name)
{
    static char buf[4][128];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", scratch, name);
    return p;
}

static inline const char *put(const char *name, const char *text)
{
    const char *path = path_of(name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot create %s", path);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
    return path;
}

/* L written by hop_lattice_write to scratch/name; returns the path. */
static inline const char *write_lattice(const char *name, const hop_lattice *L)
{
    const char *path = path_of(name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    cr_assert_eq(hop_lattice_write(f, L), HOP_OK, "%s: write failed", L->name);
    cr_assert_eq(fclose(f), 0);
    return path;
}

/* Loads path and fails the test unless that succeeds. */
static inline const hop_lattice *must_load(const char *path)
{
    const hop_lattice *L = NULL;
    char msg[512] = "";
    hop_status s = hop_lattice_load(path, &L, msg, sizeof msg);
    cr_assert_eq(s, HOP_OK, "loading %s: status %d, %s", path, (int)s, msg);
    cr_assert_not_null(L);
    return L;
}

/* A corr run on the cpu backend. */
static inline hop_result *run_corr(const hop_lattice *L, uint64_t replicas, uint64_t seed)
{
    hop_params p = hop_test_params("fcc", HOP_EST_CORR, HOP_MODEL_VACANCY, replicas, seed);
    p.lattice = L;
    return hop_test_run(&p);
}

/* |a - b| within k combined standard errors. */
static inline void expect_agree(const hop_estimate *a, const hop_estimate *b, double k,
                         const char *what)
{
    const double tol = k * sqrt(a->sigma * a->sigma + b->sigma * b->sigma);
    cr_expect(fabs(a->value - b->value) <= tol, "%s: %.5f +- %.5f vs %.5f +- %.5f", what,
              a->value, a->sigma, b->value, b->sigma);
}

/* Exit 2, nothing on stdout, stderr exactly "hop: ...needle...\ntry 'hop CMD --help'\n". */
static inline void expect_usage_error(const hop_proc *p, const char *cmd, const char *needle)
{
    char try_line[64];
    const char *nl = strchr(p->err, '\n');
    snprintf(try_line, sizeof try_line, "try 'hop %s --help'\n", cmd);
    cr_expect_eq(p->status, 2, "exit %d, stderr: %s", p->status, p->err);
    cr_expect_str_eq(p->out, "");
    cr_assert(strncmp(p->err, "hop: ", 5) == 0 && nl, "stderr: %s", p->err);
    cr_expect_str_eq(nl + 1, try_line, "stderr: %s", p->err);
    cr_expect(strstr(p->err, needle) != NULL && strstr(p->err, needle) < nl,
              "'%s' not in the first line of: %s", needle, p->err);
}

#endif

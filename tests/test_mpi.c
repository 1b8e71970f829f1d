/* test_mpi.c: `mpirun -n N hop run ...` (host/run/mpi.c) on the cpu backend.
 *
 * The contract: the same seed and total replicas give the bits of a single process for
 * N = 2, 3, 4 (corr, msd with its companion box, the solute model, the lattice gas, the
 * alloy, a
 * run to a target), and for N = 1, 2, 3 on a general lattice (four sublattices, two jump
 * lengths, a site energy: corr and msd);
 * a checkpoint made by one job size resumes in another to the same bits; rank 0 alone
 * writes; a usage error is said once; a rank that dies ends the job (no hang).  Skips
 * in a build without MPI (HOP_MPI=OFF or no MPI found). */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dir_helper.h"
#include "proc_helper.h"
#include "json_helper.h"

#define MAX_ARGS 40

static void need_mpi(void)
{
    if (HOP_MPIEXEC[0] == '\0')
        cr_skip_test("built without MPI (HOP_MPI=OFF or no MPI found)");
    /* Open MPI refuses to start as root unless told that is intended (CI runs as root) */
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
}

/* argv for `mpirun --oversubscribe -n ranks hop run <args>`, or plain `hop run <args>`
 * with ranks 0. */
static void job_argv(int ranks, const char *const *args, char **argv)
{
    static char n[16];
    int c = 0;
    snprintf(n, sizeof n, "%d", ranks);
    if (ranks > 0) {
        argv[c++] = (char *)HOP_MPIEXEC;
        argv[c++] = (char *)"--oversubscribe";
        argv[c++] = (char *)"-n";
        argv[c++] = n;
    }
    argv[c++] = (char *)HOP_BINARY;
    argv[c++] = (char *)"run";
    for (int i = 0; args[i] && c < MAX_ARGS - 1; ++i)
        argv[c++] = (char *)args[i];
    argv[c] = NULL;
}

/* Starts the job in the background, stdout/stderr into files; returns its pid. */
static pid_t start_job(int ranks, const char *const *args, const char *out, const char *err)
{
    char *argv[MAX_ARGS];
    pid_t pid;
    job_argv(ranks, args, argv);
    fflush(NULL);
    pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0);
        if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr))
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/* Waits up to `limit` seconds; returns the exit status, 1000 + signal, or -1 when the
 * job had to be killed (a hang). */
static int wait_job(pid_t pid, double limit)
{
    const struct timespec tick = {0, 10000000};
    int ws;
    for (double t = 0; t < limit; t += 0.01) {
        if (waitpid(pid, &ws, WNOHANG) == pid)
            return WIFEXITED(ws) ? WEXITSTATUS(ws) : 1000 + WTERMSIG(ws);
        nanosleep(&tick, NULL);
    }
    kill(-pid, SIGKILL);
    waitpid(pid, &ws, 0);
    return -1;
}

typedef struct {
    char dir[64], out[96], err[96];
} scratch;

static void scratch_make(scratch *s)
{
    make_dir(s->dir, sizeof s->dir);
    snprintf(s->out, sizeof s->out, "%s/stdout", s->dir);
    snprintf(s->err, sizeof s->err, "%s/stderr", s->dir);
}

/* Runs the job to its end (at most 120 s) and returns its exit status. */
static int run_job(const scratch *s, int ranks, const char *const *args)
{
    return wait_job(start_job(ranks, args, s->out, s->err), 120);
}

static double performance_of(const char *path, const char *key)
{
    char *text = read_whole_file(path);
    cJSON *j = cJSON_Parse(text);
    double v;
    free(text);
    v = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "performance"), key)->valuedouble;
    cJSON_Delete(j);
    return v;
}

/* The run `args` (ending "--json", NULL, NULL: the file goes in the first NULL) in one
 * process and in jobs of `first` .. `last` ranks: identical results. */
static void same_bits_for_job_sizes(const char **args, int first, int last)
{
    scratch s;
    char ref[128], job[128];
    cJSON *want;
    int n = 0;
    need_mpi();
    scratch_make(&s);
    while (args[n])
        ++n;
    snprintf(ref, sizeof ref, "%s/ref.json", s.dir);
    args[n] = ref;
    cr_assert_eq(run_job(&s, 0, args), 0, "single process failed: %s", read_whole_file(s.err));
    want = hop_test_results(ref);
    for (int ranks = first; ranks <= last; ++ranks) {
        cJSON *got;
        snprintf(job, sizeof job, "%s/job%d.json", s.dir, ranks);
        args[n] = job;
        cr_assert_eq(run_job(&s, ranks, args), 0, "%d ranks failed: %s", ranks,
                     read_whole_file(s.err));
        got = hop_test_results(job);
        cr_assert(cJSON_Compare(want, got, 1), "%d ranks: other results than one process",
                  ranks);
        cr_assert_eq(performance_of(job, "ranks"), ranks);
        cJSON_Delete(got);
    }
    cJSON_Delete(want);
    remove_dir(s.dir);
}

/* ... in jobs of 2, 3 and 4 ranks. */
static void same_bits_for_every_job_size(const char **args)
{
    same_bits_for_job_sizes(args, 2, 4);
}

Test(mpi, corr_same_bits_on_1_2_3_4_ranks)
{
    const char *args[] = {"--lattice", "sc", "--replicas", "60000", "--threads", "1",
                          "--backend", "cpu", "--quiet", "--json", NULL, NULL};
    same_bits_for_every_job_size(args);
}

Test(mpi, msd_with_companion_box_same_bits)
{
    const char *args[] = {"--lattice", "bcc", "--estimator", "msd", "--size", "4",
                          "--replicas", "6000", "--threads", "1", "--backend", "cpu",
                          "--quiet", "--json", NULL, NULL};
    same_bits_for_every_job_size(args);
}

Test(mpi, solute_model_same_bits)
{
    const char *args[] = {"--lattice", "fcc", "--model", "solute", "--w0", "1", "--w1", "0.5",
                          "--w2", "2", "--w3", "1", "--w4", "3", "--replicas", "20000",
                          "--threads", "1", "--backend", "cpu", "--quiet", "--json", NULL, NULL};
    same_bits_for_every_job_size(args);
}

Test(mpi, lattice_gas_same_bits)
{
    const char *args[] = {"--model", "gas", "--lattice", "sc", "--c", "0.3", "--J", "0.5",
                          "--size", "4", "--replicas", "3000", "--threads", "1",
                          "--backend", "cpu", "--quiet", "--json", NULL, NULL};
    same_bits_for_every_job_size(args);
}

Test(mpi, alloy_same_bits)
{
    const char *args[] = {"--model", "alloy", "--lattice", "bcc", "--species", "A:0.6,B:0.4",
                          "--w", "A=1,B=0.25", "--size", "4", "--time", "100", "--replicas",
                          "3000", "--threads", "1", "--backend", "cpu", "--quiet", "--json",
                          NULL, NULL};
    same_bits_for_every_job_size(args);
}

/* hcp-mg: two jump lengths (per-axis series), the c class at 1/4 (the classed path). */
Test(mpi, alloy_two_lengths_and_classes_same_bits)
{
    const char *args[] = {"--model", "alloy", "--lattice-file",
                          HOP_SOURCE_DIR "/tests/lattices/hcp-mg.lat", "--rate", "c=0.25",
                          "--species", "A:0.6,B:0.4", "--w", "A=1,B=0.25", "--size", "4",
                          "--time", "100", "--replicas", "3000", "--threads", "1",
                          "--backend", "cpu", "--quiet", "--json", NULL, NULL};
    same_bits_for_every_job_size(args);
}

Test(mpi, run_to_a_target_same_bits)
{
    const char *args[] = {"--lattice", "square", "--replicas", "8000", "--target-error",
                          "0.006", "--threads", "1", "--backend", "cpu", "--quiet",
                          "--json", NULL, NULL};
    same_bits_for_every_job_size(args);
}

/* A general lattice (issue 14 item 8): tests/lattices/pyrochlore-nnn.lat has four
 * sublattices, two jump lengths in two classes of different rates and a site energy;
 * corr and msd (with its companion box) give the bits of one process on 1, 2 and 3
 * ranks. */
Test(mpi, general_lattice_same_bits_on_1_2_3_ranks)
{
    const char *corr[] = {"--lattice-file", HOP_SOURCE_DIR "/tests/lattices/pyrochlore-nnn.lat",
                          "--replicas", "7200", "--radius", "8", "--threads", "1",
                          "--backend", "cpu", "--quiet", "--json", NULL, NULL};
    const char *msd[] = {"--lattice-file", HOP_SOURCE_DIR "/tests/lattices/pyrochlore-nnn.lat",
                         "--estimator", "msd", "--size", "4", "--times", "12", "--replicas",
                         "600", "--threads", "1", "--backend", "cpu", "--quiet", "--json",
                         NULL, NULL};
    same_bits_for_job_sizes(corr, 1, 3);
    same_bits_for_job_sizes(msd, 1, 3);
}

Test(mpi, a_checkpoint_resumes_in_a_job_of_another_size)
{
    scratch s;
    char ref[128], out[128], ck[128];
    cJSON *want, *got;
    need_mpi();
    scratch_make(&s);
    snprintf(ref, sizeof ref, "%s/ref.json", s.dir);
    snprintf(out, sizeof out, "%s/out.json", s.dir);
    snprintf(ck, sizeof ck, "%s/run.ckpt", s.dir);
    {
        const char *args[] = {"--lattice", "sc", "--replicas", "400000", "--threads", "1",
                              "--backend", "cpu", "--quiet", "--json", ref, NULL};
        cr_assert_eq(run_job(&s, 0, args), 0);
    }
    /* a 2-rank job killed (kill -9 on the whole job) after it saved at least once ... */
    {
        const char *args[] = {"--lattice", "sc", "--replicas", "400000", "--threads", "1",
                              "--backend", "cpu", "--quiet", "--json", out,
                              "--checkpoint", ck, "--checkpoint-every", "0.001", NULL};
        pid_t pid = start_job(2, args, s.out, s.err);
        const struct timespec tick = {0, 10000000};
        for (int i = 0; i < 6000 && access(ck, F_OK) != 0; ++i)
            nanosleep(&tick, NULL);
        cr_assert_eq(access(ck, F_OK), 0, "no checkpoint: %s", read_whole_file(s.err));
        kill(-pid, SIGKILL);
        wait_job(pid, 60);
    }
    /* ... resumed by 3 ranks, then the finished state by one process */
    for (int ranks = 3; ranks >= 0; ranks -= 3) {
        const char *args[] = {"--lattice", "sc", "--replicas", "400000", "--threads", "1",
                              "--backend", "cpu", "--quiet", "--json", out, "--resume",
                              ck, NULL};
        cr_assert_eq(run_job(&s, ranks, args), 0, "resume on %d: %s", ranks,
                     read_whole_file(s.err));
        want = hop_test_results(ref);
        got = hop_test_results(out);
        cr_assert(cJSON_Compare(want, got, 1), "resumed on %d ranks: other results", ranks);
        cJSON_Delete(want);
        cJSON_Delete(got);
    }
    remove_dir(s.dir);
}

Test(mpi, usage_errors_are_said_once_and_nothing_is_written)
{
    scratch s;
    char out[128], *err;
    need_mpi();
    scratch_make(&s);
    snprintf(out, sizeof out, "%s/out.json", s.dir);
    {
        const char *args[] = {"--lattice", "nope", "--json", out, NULL};
        cr_assert_eq(run_job(&s, 3, args), 2);
    }
    err = read_whole_file(s.err);
    cr_assert(strstr(err, "unknown lattice 'nope'"), "%s", err);
    cr_assert_null(strstr(strstr(err, "unknown lattice") + 1, "unknown lattice"),
                   "said more than once: %s", err);
    free(err);
    cr_assert_eq(access(out, F_OK), -1);
    remove_dir(s.dir);
}

/* A wall-clock limit (tests/README.md, "Wall-clock limits"): 60 s for the job to end
 * after a rank is killed is a hang guard, not a timing; the job ends in seconds. */
Test(mpi, a_rank_that_dies_ends_the_job)
{
    scratch s;
    char out[128], cmd[256];
    const char *args[] = {"--lattice", "sc", "--replicas", "4000000", "--threads", "1",
                          "--backend", "cpu", "--quiet", "--json", NULL, NULL};
    pid_t pid;
    int status;
    need_mpi();
    scratch_make(&s);
    snprintf(out, sizeof out, "%s/out.json", s.dir);
    args[10] = out;
    pid = start_job(2, args, s.out, s.err);
    sleep(2);
    /* kill -9 one of mpirun's hop processes */
    snprintf(cmd, sizeof cmd, "pkill -9 -n -P %d -f 'hop run'", (int)pid);
    cr_assert_eq(system(cmd), 0, "no rank to kill");
    status = wait_job(pid, 60);
    cr_assert_neq(status, -1, "the job hung after a rank died");
    cr_assert_neq(status, 0, "the job succeeded without a rank");
    cr_assert_eq(access(out, F_OK), -1, "a result was written");
    remove_dir(s.dir);
}

Test(mpi, only_hop_run_shares_its_replicas)
{
    scratch s;
    char *err;
    need_mpi();
    scratch_make(&s);
    {
        char *argv[] = {(char *)HOP_MPIEXEC, (char *)"--oversubscribe", (char *)"-n",
                        (char *)"2", (char *)HOP_BINARY, (char *)"bench", NULL};
        pid_t pid;
        fflush(NULL);
        pid = fork();
        cr_assert(pid >= 0);
        if (pid == 0) {
            if (!freopen(s.out, "w", stdout) || !freopen(s.err, "w", stderr))
                _exit(126);
            execv(argv[0], argv);
            _exit(127);
        }
        cr_assert_eq(wait_job(pid, 60), 2);
    }
    err = read_whole_file(s.err);
    cr_assert(strstr(err, "under mpirun only `hop run` shares its replicas"), "%s", err);
    free(err);
    remove_dir(s.dir);
}

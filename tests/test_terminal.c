/* test_terminal.c: `hop run` as a person meets it in a terminal, driven through tmux.
 *
 * A private tmux server (its own socket) runs `hop run` in a pane; the test reads the
 * pane as the person would see it (capture-pane) and presses Ctrl-C (send-keys C-c):
 *  - the progress line is updated in place: after two different reports the pane
 *    holds exactly one progress line, starting at the first column;
 *  - Ctrl-C during a checkpointed run stops it after the sub-batch in progress: the
 *    message names the signal and the file to --resume, on its own line under the
 *    progress line, the checkpoint exists and the exit status is 130;
 *  - the first Ctrl-C says at once, on its own line, that the run stops after the
 *    current sub-batch (about N s, N <= 2) and that a second Ctrl-C stops it now;
 *  - Ctrl-C during a plain run stops it after the sub-batch with status 130, no output
 *    file, and says that the replicas are lost and how to keep them next time.
 * The shell in the pane traps SIGINT with a command (so hop itself gets the default
 * action) and writes hop's exit status to a file.  The waits poll the pane with
 * deadlines far above what a loaded machine needs; nothing is timed.  Without tmux
 * (scripts/setup installs it) every case skips with a message. */
#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "dir_helper.h"

#define POLL_US 200000
#define DEADLINE_POLLS 600          /* 120 s */

static char tmux_socket[64];

static void pause_poll(void)
{
    const struct timespec t = {0, POLL_US * 1000L};
    nanosleep(&t, NULL);
}

/* system() of a formatted command; its exit status. */
static int shell(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    int status;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    status = system(cmd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void need_tmux(void)
{
    if (shell("command -v tmux >/dev/null 2>&1") != 0)
        cr_skip_test("tmux not installed (scripts/setup installs it): the terminal tests skip");
    snprintf(tmux_socket, sizeof tmux_socket, "hop-test-%d", (int)getpid());
}

/* Starts `hop run ARGS` in a 160x40 pane, in dir, the exit status going to dir/status. */
static void start_in_terminal(const char *dir, const char *args)
{
    cr_assert_eq(shell("tmux -L %s new-session -d -s hop -x 160 -y 40 \"cd %s && trap : INT; "
                       "%s run %s; echo \\$? > status; sleep 600\"", tmux_socket, dir,
                       HOP_BINARY, args), 0, "tmux new-session");
}

static void stop_terminal(void)
{
    shell("tmux -L %s kill-server >/dev/null 2>&1", tmux_socket);
}

/* What the pane shows now (its visible lines), into buf. */
static void pane(char *buf, size_t n)
{
    char cmd[256];
    FILE *p;
    size_t got;
    snprintf(cmd, sizeof cmd, "tmux -L %s capture-pane -p -t hop", tmux_socket);
    p = popen(cmd, "r");
    cr_assert_not_null(p);
    got = fread(buf, 1, n - 1, p);
    buf[got] = '\0';
    pclose(p);
}

/* The lines of text holding `needle`, and the first of them into line (n bytes). */
static int lines_with(const char *text, const char *needle, char *line, size_t n)
{
    int count = 0;
    for (const char *s = text; *s;) {
        const size_t len = strcspn(s, "\n");
        char one[512];
        snprintf(one, sizeof one, "%.*s", (int)(len < 511 ? len : 511), s);
        if (strstr(one, needle)) {
            if (count++ == 0 && line)
                snprintf(line, n, "%s", one);
        }
        s += len + (s[len] == '\n');
    }
    return count;
}

/* Waits until two different progress lines have been seen; checks each time that the
 * pane holds exactly one, at the first column.  Returns the number of reports seen. */
static int watch_progress(void)
{
    char screen[16384], line[512], first[512] = "";
    for (int poll = 0; poll < DEADLINE_POLLS; ++poll) {
        int n;
        pause_poll();
        pane(screen, sizeof screen);
        n = lines_with(screen, "replicas, f = ", line, sizeof line);
        if (n == 0)
            continue;
        cr_assert_eq(n, 1, "the progress is one line updated in place, the pane shows %d:\n%s",
                     n, screen);
        cr_assert(strncmp(line, "hop: ", 5) == 0, "the progress line starts the line: '%s'",
                  line);
        if (!first[0])
            snprintf(first, sizeof first, "%s", line);
        else if (strcmp(first, line) != 0)
            return 2;
    }
    cr_assert_fail("no second progress report within %d s:\n%s", DEADLINE_POLLS * POLL_US / 1000000,
            screen);
    return 0;
}

/* Waits for the pane's shell to write hop's exit status; returns it. */
static int exit_status(const char *dir)
{
    char path[128];
    snprintf(path, sizeof path, "%s/status", dir);
    for (int poll = 0; poll < DEADLINE_POLLS; ++poll) {
        FILE *f = fopen(path, "r");
        int status = -1;
        if (f) {
            const int got = fscanf(f, "%d", &status);
            fclose(f);
            if (got == 1)
                return status;
        }
        pause_poll();
    }
    cr_assert_fail("hop did not exit within %d s of Ctrl-C", DEADLINE_POLLS * POLL_US / 1000000);
    return -1;
}

/* A run long enough to report progress several times (one thread, 4e6 fcc walks in
 * sub-batches of about 2 s); Ctrl-C ends it long before. */
#define LONG_RUN "--backend cpu --threads 1 --lattice fcc --replicas 4e6"

/* Starts LONG_RUN plus `args` in a fresh directory (dir, at least 64 bytes) in a
 * terminal, waits for its progress, presses Ctrl-C once, expects exit status 130 and
 * leaves the final screen in screen. */
static void ctrl_c_a_long_run(char *dir, const char *args, char *screen, size_t n)
{
    char command[256];
    need_tmux();
    make_dir(dir, 64);
    snprintf(command, sizeof command, "%s%s", LONG_RUN, args);
    start_in_terminal(dir, command);
    watch_progress();
    cr_assert_eq(shell("tmux -L %s send-keys -t hop C-c", tmux_socket), 0);
    cr_assert_eq(exit_status(dir), 130, "Ctrl-C (SIGINT): exit status 128 + 2");
    pane(screen, n);
    stop_terminal();
}

Test(terminal, progress_in_place_and_ctrl_c_saves_the_run)
{
    char dir[64], screen[16384], line[512], path[128];
    struct stat st;
    ctrl_c_a_long_run(dir, " --checkpoint run.ck --json run.json", screen, sizeof screen);
    cr_assert_eq(lines_with(screen, "hop: stopped by signal 2; the state is saved in 'run.ck': "
                            "continue with --resume run.ck", line, sizeof line), 1,
                 "the stop message, once:\n%s", screen);
    cr_assert(strncmp(line, "hop: stopped", 12) == 0, "on its own line: '%s'", line);
    cr_assert_eq(lines_with(screen, "replicas, f = ", NULL, 0), 1,
                 "the progress line stays, above the message:\n%s", screen);
    snprintf(path, sizeof path, "%s/run.ck", dir);
    cr_assert_eq(stat(path, &st), 0, "the checkpoint exists");
    snprintf(path, sizeof path, "%s/run.json", dir);
    cr_assert_neq(stat(path, &st), 0, "no JSON from a stopped run");
    remove_dir(dir);
}

Test(terminal, ctrl_c_stops_a_plain_run_and_says_how_to_keep_one)
{
    char dir[64], screen[16384], path[128];
    struct stat st;
    ctrl_c_a_long_run(dir, " --json run.json", screen, sizeof screen);
    cr_assert_eq(lines_with(screen, "hop: done", NULL, 0), 0, "the run did not finish:\n%s",
                 screen);
    cr_assert_eq(lines_with(screen, "without --checkpoint they are lost: run with "
                            "--checkpoint FILE", NULL, 0), 1, "what to do next time:\n%s",
                 screen);
    snprintf(path, sizeof path, "%s/run.json", dir);
    cr_assert_neq(stat(path, &st), 0, "no JSON from an interrupted run");
    remove_dir(dir);
}

Test(terminal, first_ctrl_c_says_at_once_when_the_run_stops)
{
    char dir[64], screen[16384], line[512];
    int seconds = -1;
    ctrl_c_a_long_run(dir, " --checkpoint run.ck", screen, sizeof screen);
    cr_assert_eq(lines_with(screen, "hop: stopping after the current sub-batch (about ", line,
                            sizeof line), 1, "the first Ctrl-C's message, once:\n%s", screen);
    cr_assert(sscanf(line, "hop: stopping after the current sub-batch (about %d s); press "
                     "Ctrl-C again to stop now", &seconds) == 1 && strstr(line, "again to stop now"),
              "'%s'", line);
    /* sub-batches are sized to about 2 s of the measured rate: never more */
    cr_assert(seconds >= 1 && seconds <= 2, "about %d s", seconds);
    cr_assert_eq(lines_with(screen, "replicas, f = ", NULL, 0), 1,
                 "the message is under the progress line, not on it:\n%s", screen);
    cr_assert(strstr(screen, "hop: stopping after") < strstr(screen, "hop: stopped by signal 2"),
              "the message comes before the run's end:\n%s", screen);
    remove_dir(dir);
}

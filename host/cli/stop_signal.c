/* stop_signal.c: the first SIGINT/SIGTERM's message, written from the handler with
 * write(2) alone (async-signal-safe).  The text is composed between sub-batches into
 * one of two buffers and published by flipping an index, so the handler never reads a
 * buffer that is being written. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/stop_signal.h"

volatile sig_atomic_t hop_stop_signal;

static char message[2][128];
static volatile sig_atomic_t shown = -1;      /* the buffer the handler writes; -1: none */

static void on_stop_signal(int sig)
{
    static const char again[] = "; press Ctrl-C again to stop now\n";
    const int m = shown;
    hop_stop_signal = sig;
    if (m < 0)
        return;
    (void)!write(STDERR_FILENO, message[m], strlen(message[m]));
    if (sig == SIGINT)
        (void)!write(STDERR_FILENO, again, sizeof again - 1);
    else
        (void)!write(STDERR_FILENO, "\n", 1);
}

void hop_stop_signals_part(double seconds, int newline_first)
{
    const int next = shown == 0 ? 1 : 0;
    if (shown < 0)
        return;
    if (seconds > 0)
        snprintf(message[next], sizeof message[next], "%shop: stopping after the current "
                 "sub-batch (about %.0f s)", newline_first ? "\n" : "", seconds < 1 ? 1 : seconds);
    else if (seconds == HOP_STOP_UNTIMED)
        snprintf(message[next], sizeof message[next], "%shop: stopping after the first "
                 "sub-batch (not timed yet)", newline_first ? "\n" : "");
    else
        snprintf(message[next], sizeof message[next], "%shop: stopping after the current "
                 "sub-batch", newline_first ? "\n" : "");
    shown = next;
}

void hop_stop_signals_catch(int say)
{
    struct sigaction sa;
    hop_stop_signal = 0;
    shown = say ? 1 : -1;
    hop_stop_signals_part(HOP_STOP_UNTIMED, 0);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

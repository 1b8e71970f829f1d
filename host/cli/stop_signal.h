/* stop_signal.h: SIGINT and SIGTERM during `hop run` and `hop scan`.  The first signal
 * asks the run to stop after the sub-batch in progress (hop_params.interrupt) and says
 * so at once on stderr, with that sub-batch's expected length; the handler is reset
 * (SA_RESETHAND), so a second signal stops the process now. */
#ifndef HOP_CLI_STOP_SIGNAL_H
#define HOP_CLI_STOP_SIGNAL_H

#include <signal.h>

/* Set by the handler to the signal's number; 0 until one came. */
extern volatile sig_atomic_t hop_stop_signal;

/* Installs the handler for SIGINT and SIGTERM and clears hop_stop_signal.  say: whether
 * this process writes the first signal's message (rank 0 of an MPI job). */
void hop_stop_signals_catch(int say);

/* The length, in seconds, of the sub-batch now starting, for the first signal's message
 * ("about N s"); 0: unknown; HOP_STOP_UNTIMED: the first sub-batch of a box, which
 * nothing has timed yet (the message says so).  newline_first: the message first ends a
 * line left open (a progress line updated in place on a terminal).  Not for the handler:
 * call it between sub-batches (from the progress callback). */
#define HOP_STOP_UNTIMED (-1.0)
void hop_stop_signals_part(double seconds, int newline_first);

#endif

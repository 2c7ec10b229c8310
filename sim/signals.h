/* SIGINT and SIGTERM stop the guest: the handler asks whichever Unicorn
 * engine is running to stop, and the run loop reports the signal as the
 * outcome (exit status 128 + the signal's number, as shells do). */
#pragma once

#include <unicorn/unicorn.h>

/* Installs the handlers. Idempotent. */
void sim_signals_install(void);

/* The engine a signal must stop from now on (NULL: none is running). A
 * signal that arrived before the engine was set is pending: the caller
 * checks sim_signals_pending() before starting it. */
void sim_signals_watch(uc_engine *uc);

/* The signal that asked to stop (SIGINT or SIGTERM), or 0. */
int sim_signals_pending(void);

/* "SIGINT" or "SIGTERM". */
const char *sim_signals_name(int signo);

/* --timeout for a run that calls uc_emu_start many times (once per traced
 * fault, once per detailed-mode switch): one host thread for the whole
 * run, where Unicorn's own timeout starts and joins one per call. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <unicorn/unicorn.h>

typedef struct sim_watchdog sim_watchdog;

/* From deadline (g_get_monotonic_time's clock) on, stops the engine *engine
 * points at (read each time: the run may change engines), and again every
 * millisecond until sim_watchdog_stop, since uc_emu_start forgets a stop
 * that came between two calls. */
sim_watchdog *sim_watchdog_start(uc_engine **engine, gint64 deadline);
/* Ends the thread and frees w (NULL is allowed); whether it fired. */
bool sim_watchdog_stop(sim_watchdog *w);

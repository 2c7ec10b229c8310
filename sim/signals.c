#include "signals.h"

#include <signal.h>
#include <stddef.h>
#include <string.h>

static volatile sig_atomic_t pending;
/* Read by the handler; written only by the thread that runs the engine. */
static uc_engine *volatile watched;

/* uc_emu_stop only sets Unicorn's stop request and the CPU's exit request
 * (plain stores QEMU's own signal and timer paths rely on); the engine
 * leaves its loop at the next translation block. */
static void on_signal(int signo)
{
    pending = signo;
    uc_engine *uc = watched;
    if (uc != NULL)
        uc_emu_stop(uc);
}

void sim_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* Restart interrupted host calls (writes of guest output): the signal
     * is acted upon when the engine returns, not by failing a write. */
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

void sim_signals_watch(uc_engine *uc)
{
    watched = uc;
}

int sim_signals_pending(void)
{
    return pending;
}

const char *sim_signals_name(int signo)
{
    return signo == SIGINT ? "SIGINT" : signo == SIGTERM ? "SIGTERM" : "a signal";
}

#include "watchdog.h"

struct sim_watchdog {
    GThread *thread;
    GMutex lock;
    GCond cond;
    bool done; /* under lock */
    gint fired;
    gint64 deadline;
    uc_engine **engine;
};

static gpointer watch(gpointer data)
{
    sim_watchdog *w = data;
    gint64 until = w->deadline;
    g_mutex_lock(&w->lock);
    while (!w->done) {
        if (g_cond_wait_until(&w->cond, &w->lock, until))
            continue; /* woken: done, or spuriously */
        g_atomic_int_set(&w->fired, 1);
        uc_emu_stop(__atomic_load_n(w->engine, __ATOMIC_ACQUIRE));
        until = g_get_monotonic_time() + 1000;
    }
    g_mutex_unlock(&w->lock);
    return NULL;
}

sim_watchdog *sim_watchdog_start(uc_engine **engine, gint64 deadline)
{
    sim_watchdog *w = g_new0(sim_watchdog, 1);
    g_mutex_init(&w->lock);
    g_cond_init(&w->cond);
    w->deadline = deadline;
    w->engine = engine;
    w->thread = g_thread_new("zxsim-timeout", watch, w);
    return w;
}

bool sim_watchdog_stop(sim_watchdog *w)
{
    if (w == NULL)
        return false;
    g_mutex_lock(&w->lock);
    w->done = true;
    g_cond_signal(&w->cond);
    g_mutex_unlock(&w->lock);
    g_thread_join(w->thread);
    bool fired = g_atomic_int_get(&w->fired) != 0;
    g_cond_clear(&w->cond);
    g_mutex_clear(&w->lock);
    g_free(w);
    return fired;
}

#include "teach.h"

#include "run.h"

#include <string.h>

#define HEX "0x%" G_GINT64_MODIFIER "x"

bool sim_teach_begin(sim_teach *t, sim_machine *m, const sim_elf_image *img,
                     const sim_options *opts, GError **error)
{
    memset(t, 0, sizeof *t);
    t->opts = opts;
    t->m = m;
    if (!opts->dump && !opts->step && !opts->explain_at)
        return true;
    t->syms = sim_symbols_load(img);
    t->dumps = (sim_dumps){.what = opts->dump, .json = opts->dump_json};
    sim_dumps_attach(&t->dumps, m->k);
    if (opts->step &&
        !sim_step_begin(&t->step, m, t->syms, opts->step, opts->step_from, stderr, error)) {
        g_prefix_error(error, "--step-from: ");
        return false;
    }
    if (opts->explain_at) {
        uint64_t at;
        if (!sim_symbols_resolve(t->syms, opts->explain_at, &at, error)) {
            g_prefix_error(error, "--at: ");
            return false;
        }
        if (!sim_symbols_resolve(t->syms, opts->explain_va, &t->explain_va, error)) {
            g_prefix_error(error, "--va: ");
            return false;
        }
        if (!sim_explain_arm(&t->explain, m, at, error))
            return false;
    }
    return true;
}

bool sim_teach_stopped(sim_teach *t, sim_stop_reason why, int *status)
{
    if (t->opts == NULL || !t->opts->explain_at)
        return false;
    if (!t->explain.hit) {
        /* The run ended some other way: the usual report, and say so. */
        fprintf(stderr, "zxsim: explain: the guest never reached %s (" HEX ")\n",
                t->opts->explain_at, t->explain.at);
        return false;
    }
    uint64_t off;
    const char *fn = sim_symbols_at(t->syms, t->explain.at, &off);
    fflush(stdout);
    printf("stopped at " HEX, t->explain.at);
    if (fn)
        printf(" (%s+%" G_GUINT64_FORMAT ")", fn, off);
    printf(", before that instruction runs\n");
    sim_explain_print(t->m, t->syms, t->explain_va, stdout);
    fflush(stdout);
    *status = 0;
    return true;
}

void sim_teach_end(sim_teach *t, vm_process *p)
{
    if (t->opts == NULL)
        return;
    if (t->opts->step)
        sim_step_end(&t->step);
    if (p && !t->explain.hit)
        sim_dumps_at_exit(&t->dumps, p);
    sim_symbols_free(t->syms);
    t->syms = NULL;
}

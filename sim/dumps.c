#include "dumps.h"

#include "vm/dump.h"

#include <stdio.h>

static void emit(sim_dumps *d, vm_process *p, const char *label, bool at_exit)
{
    vm_dump_request req = {
        .what = d->what,
        .json = d->json,
        .serial = ++d->count,
        .label = label,
        .at_exit = at_exit,
    };
    GString *text = g_string_new(NULL);
    vm_dump(p, &req, text);
    /* The guest's own output goes first, so the two read in program order. */
    fflush(stdout);
    fwrite(text->str, 1, text->len, d->out);
    fflush(d->out);
    g_string_free(text, TRUE);
}

static void on_guest_dump(void *ctx, vm_process *p, const char *label)
{
    emit(ctx, p, label, false);
}

void sim_dumps_attach(sim_dumps *d, vm_kernel *k)
{
    if (d->what == 0)
        return;
    if (d->out == NULL)
        d->out = stderr;
    k->dump = on_guest_dump;
    k->dump_ctx = d;
}

void sim_dumps_at_exit(sim_dumps *d, vm_process *p)
{
    if (d->what != 0)
        emit(d, p, NULL, true);
}

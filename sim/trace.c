#include "trace.h"

#include "mmu/hw.h"
#include "traces/writer.h"

#include <stdio.h>

struct sim_trace {
    tr_writer *writer;
    tr_sink sink;
    sim_machine *m;
    uint64_t insns;
    uc_hook insn_hook;
};

static uint64_t pc_now(void *ctx)
{
    return sim_machine_pc(ctx);
}

static uint64_t insns_now(void *ctx)
{
    return ((sim_trace *)ctx)->insns;
}

static void count_insn(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    ((sim_trace *)user)->insns++;
}

static uint64_t hw_cycles(void *ctx)
{
    return mmu_hw_cycles(ctx);
}

void sim_trace_use_hw(sim_trace *t, mmu_hw *hw)
{
    if (t == NULL || hw == NULL)
        return;
    t->sink.clock_kind = TR_CLOCK_CYCLES;
    t->sink.now = hw_cycles;
    t->sink.now_ctx = hw;
    unsigned mask = 0;
    if (tr_wants(&t->sink, TR_EV_TLB))
        mask |= 1u << TR_EV_TLB;
    if (tr_wants(&t->sink, TR_EV_WALK))
        mask |= 1u << TR_EV_WALK;
    if (tr_wants(&t->sink, TR_EV_CACHE))
        mask |= 1u << TR_EV_CACHE;
    mmu_hw_set_trace(hw, &t->sink, mask);
}

sim_trace *sim_trace_open(const sim_options *opts, sim_machine *m, GError **error)
{
    if (opts->trace_path == NULL)
        return NULL;
    sim_trace *t = g_new0(sim_trace, 1);
    t->m = m;
    vm_kernel *k = m->k;
    /* The clock: the hardware model's cycles when there is one; counted
     * instructions when the run counts them anyway (--max-insns); else one
     * tick per event, which costs nothing. */
    if (k->hw) {
        t->sink.clock_kind = TR_CLOCK_CYCLES; /* sim_trace_use_hw below */
    } else if (opts->max_insns) {
        if (uc_hook_add(m->uc, &t->insn_hook, UC_HOOK_CODE, count_insn, t, 1, 0) != UC_ERR_OK) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                        "--trace: cannot count instructions");
            g_free(t);
            return NULL;
        }
        t->sink.clock_kind = TR_CLOCK_INSNS;
        t->sink.now = insns_now;
        t->sink.now_ctx = t;
    }
    g_autofree char *guest = g_path_get_basename(opts->guest_path);
    tr_meta meta = {
        .clock = t->sink.clock_kind,
        .ticks_per_second = TR_TICKS_PER_SECOND,
        .guest = guest,
        .isa = m->isa->name,
        .version = ZXSIM_VERSION,
        .categories = opts->trace_categories,
    };
    t->writer = tr_writer_open(opts->trace_path, &meta, error);
    if (t->writer == NULL) {
        if (t->insn_hook)
            uc_hook_del(m->uc, t->insn_hook);
        g_free(t);
        return NULL;
    }
    tr_writer_attach(t->writer, &t->sink);
    t->sink.skip = TR_CAT_ALL & ~opts->trace_categories;
    t->sink.pc = pc_now;
    t->sink.pc_ctx = m;
    k->trace = &t->sink;
    sim_trace_use_hw(t, k->hw);
    return t;
}

void sim_trace_exit(sim_trace *t, int status)
{
    if (t == NULL)
        return;
    tr_event ev = {.kind = TR_EV_PROCESS_EXIT, .u.exit.code = status};
    tr_emit(&t->sink, &ev);
}

bool sim_trace_close(sim_trace *t)
{
    if (t == NULL)
        return true;
    if (t->m->k->trace == &t->sink)
        t->m->k->trace = NULL;
    GError *err = NULL;
    bool ok = tr_writer_close(t->writer, &err);
    if (!ok) {
        fprintf(stderr, "zxsim: %s\n", err->message);
        g_error_free(err);
    }
    g_free(t);
    return ok;
}

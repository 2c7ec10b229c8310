#include "trace.h"

#include "insn_decode.h"
#include "mmu/hw.h"
#include "vm/usercopy.h"
#include "traces/writer.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct sim_trace {
    tr_writer *writer; /* NULL until the run starts */
    tr_sink sink;
    sim_machine *m;
    const sim_options *opts;
    GArray *held; /* tr_event, before the run */
    GStringChunk *strings;
    uint64_t insns;
    uc_hook insn_hook;
    /* The pc a fault event's address was decoded at, which the same event
     * asks for next: good for that fill only. */
    bool fault_pc_known;
    uint64_t fault_pc;
    uint64_t fault_pc_fill;
};

static uint64_t pc_now(void *ctx)
{
    sim_trace *t = ctx;
    if (t->fault_pc_known && t->fault_pc_fill == t->m->tlb_fills) {
        t->fault_pc_known = false;
        return t->fault_pc;
    }
    return sim_machine_pc(t->m);
}

/* The instruction's bytes at pc: straight from the frame its page-table
 * entry maps (the CPU has just fetched them from there) when they lie in
 * one page; else through the VMOs, as a debugger reads memory. */
static size_t code_at(sim_machine *m, uint64_t pc, uint8_t code[16])
{
    uint64_t pa;
    unsigned perms;
    if ((pc & MMU_PAGE_MASK) <= MMU_PAGE_SIZE - 16 &&
        mmu_pt_lookup(m->proc->aspace->pt, pc, &pa, &perms) && (perms & MMU_PERM_EXEC)) {
        memcpy(code, mmu_phys_ptr(m->k->mem, pa), 16);
        return 16;
    }
    return vm_peek_user(m->proc->aspace, pc, code, 16);
}

static uint64_t fault_va_at(sim_machine *m, uint64_t va, unsigned access, uint64_t pc)
{
    uint64_t granule = m->uc_page_size;
    uint8_t code[16];
    size_t len = code_at(m, pc, code);
    sim_insn_info info;
    if (len)
        sim_insn_decode(m->isa->isa, m->uc, code, len, pc, &info);
    return sim_insn_fault_address(len ? &info : NULL, va, granule, access == TR_ACCESS_WRITE,
                                  access == TR_ACCESS_EXEC, pc, NULL);
}

/* The CPU reports a faulting access by its (Unicorn) page only; the
 * faulting instruction's operands and registers give the byte. */
uint64_t sim_trace_fault_va(void *ctx, uint64_t va, unsigned access)
{
    sim_machine *m = ctx;
    uint64_t granule = m->uc_page_size;
    if (granule == 0 || (va & (granule - 1)) != 0)
        return va; /* already a byte address */
    return fault_va_at(m, va, access, sim_machine_pc(m));
}

/* The trace's own source: the same, keeping the pc for the event. */
static uint64_t trace_fault_va(void *ctx, uint64_t va, unsigned access)
{
    sim_trace *t = ctx;
    sim_machine *m = t->m;
    uint64_t granule = m->uc_page_size;
    if (granule == 0 || (va & (granule - 1)) != 0)
        return va;
    t->fault_pc = sim_machine_pc(m);
    t->fault_pc_fill = m->tlb_fills;
    t->fault_pc_known = true;
    return fault_va_at(m, va, access, t->fault_pc);
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

/* Until the run starts, events wait here: the clock is only known then,
 * once detailed mode has (or has not) set up its hardware model. */
static void hold(void *ctx, const tr_event *event)
{
    sim_trace *t = ctx;
    tr_event copy = *event;
    const char **s = NULL;
    if (copy.kind == TR_EV_PROCESS_START)
        s = &copy.u.start.name;
    else if (copy.kind == TR_EV_MAP || copy.kind == TR_EV_UNMAP || copy.kind == TR_EV_PROTECT)
        s = &copy.u.range.vmo_name;
    else if (copy.kind == TR_EV_SYSCALL || copy.kind == TR_EV_SYSCALL_BEGIN)
        s = &copy.u.syscall.name;
    if (s && *s)
        *s = g_string_chunk_insert_const(t->strings, *s);
    g_array_append_val(t->held, copy);
}

sim_trace *sim_trace_open(const sim_options *opts, sim_machine *m, GError **error)
{
    if (opts->trace_path == NULL)
        return NULL;
    /* Refuse an unwritable path now, before anything runs. */
    if (strcmp(opts->trace_path, "-") != 0) {
        FILE *f = fopen(opts->trace_path, "wb");
        if (f == NULL) {
            int e = errno;
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "--trace %s: %s",
                        opts->trace_path, g_strerror(e));
            return NULL;
        }
        fclose(f);
    }
    sim_trace *t = g_new0(sim_trace, 1);
    t->m = m;
    t->opts = opts;
    t->held = g_array_new(FALSE, FALSE, sizeof(tr_event));
    t->strings = g_string_chunk_new(1024);
    t->sink.emit = hold;
    t->sink.ctx = t;
    t->sink.skip = TR_CAT_ALL & ~opts->trace_categories;
    t->sink.pc = pc_now;
    t->sink.pc_ctx = t;
    t->sink.fault_va = trace_fault_va;
    t->sink.fault_ctx = t;
    m->k->trace = &t->sink;
    return t;
}

bool sim_trace_start(sim_trace *t, GError **error)
{
    if (t == NULL || t->writer)
        return true;
    sim_machine *m = t->m;
    vm_kernel *k = m->k;
    /* The clock: the hardware model's cycles when there is one; counted
     * instructions when the run counts them anyway (--max-insns); else one
     * tick per event, which costs nothing. What happened before the run
     * (the process's creation, the loader's mappings) is at time 0 on the
     * first two. */
    tr_clock_kind clock = TR_CLOCK_LOGICAL;
    if (k->hw) {
        clock = TR_CLOCK_CYCLES;
    } else if (t->opts->max_insns) {
        if (uc_hook_add(m->uc, &t->insn_hook, UC_HOOK_CODE, count_insn, t, 1, 0) != UC_ERR_OK) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                        "--trace: cannot count instructions");
            return false;
        }
        clock = TR_CLOCK_INSNS;
        t->sink.now = insns_now;
        t->sink.now_ctx = t;
    }
    t->sink.clock_kind = clock;
    /* Without a per-instruction hook the pc read during a fill is stale;
     * the machine rolls back to the faulting instruction instead. The
     * debugger's own run loop and the detailed engine keep the decode at
     * whatever pc they have. */
    m->exact_faults = clock == TR_CLOCK_LOGICAL && m->detailed == NULL && !t->opts->gdb &&
                      tr_wants(&t->sink, TR_EV_FAULT);
    g_autofree char *guest = g_path_get_basename(t->opts->guest_path);
    tr_meta meta = {
        .clock = clock,
        .ticks_per_second = TR_TICKS_PER_SECOND,
        .guest = guest,
        .isa = m->isa->name,
        .version = ZXSIM_VERSION,
        .categories = t->opts->trace_categories,
    };
    t->writer = tr_writer_open(t->opts->trace_path, &meta, error);
    if (t->writer == NULL)
        return false;
    tr_writer_attach(t->writer, &t->sink);
    for (guint i = 0; i < t->held->len; i++) {
        tr_event *ev = &g_array_index(t->held, tr_event, i);
        if (clock != TR_CLOCK_LOGICAL)
            ev->time = 0;
        tr_writer_emit(t->writer, ev);
    }
    g_array_set_size(t->held, 0);
    sim_trace_use_hw(t, k->hw);
    return true;
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
    GError *err = NULL;
    bool ok = sim_trace_start(t, &err) && tr_writer_close(t->writer, &err);
    if (t->m->k->trace == &t->sink)
        t->m->k->trace = NULL;
    if (!ok) {
        fprintf(stderr, "zxsim: %s\n", err->message);
        g_error_free(err);
    }
    /* The instruction hook stays until the engine closes: removing it
     * flushes Unicorn's code, which would translate through a process
     * that no longer exists. */
    g_array_free(t->held, TRUE);
    g_string_chunk_free(t->strings);
    g_free(t);
    return ok;
}

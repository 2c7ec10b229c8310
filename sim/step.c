#include "step.h"

#include "detailed.h"
#include "insn_decode.h"
#include "trace.h"
#include "vm/kernel.h"
#include "vm/process.h"
#include "vm/usercopy.h"

#include <string.h>

#define HEX "0x%" G_GINT64_MODIFIER "x"

/* Where each access of the instruction about to run lands in physical
 * memory, as the page tables say now. A missing or too narrow entry means
 * the access will fault first: the fault line follows. */
static void print_accesses(sim_step *st, const sim_insn_info *info, GString *line)
{
    const mmu_page_table *pt = st->m->proc->aspace->pt;
    for (unsigned i = 0; i < info->n_access; i++) {
        const sim_mem_access *a = &info->access[i];
        unsigned need = a->is_write ? MMU_PERM_WRITE : MMU_PERM_READ;
        g_string_append_printf(line, "  %s%u va " HEX,
                               a->is_write && a->is_read ? "RW"
                               : a->is_write             ? "W"
                                                         : "R",
                               a->size, a->address);
        uint64_t pa;
        unsigned perms;
        if (!mmu_pt_lookup(pt, a->address, &pa, &perms))
            g_string_append(line, " pa - (no entry: page fault)");
        else if (!mmu_perms_allow(perms, need) ||
                 (a->is_read && a->is_write && !mmu_perms_allow(perms, MMU_PERM_READ)))
            g_string_append_printf(line, " pa " HEX " (entry forbids it: page fault)", pa);
        else
            g_string_append_printf(line, " pa " HEX, pa);
    }
}

/* "L1D miss L2 hit": the levels a reference went through, the present
 * ones only; false when none of them had it. */
static bool append_levels(GString *line, const char *const *names, const bool *present, int levels,
                          int served)
{
    bool first = true;
    for (int l = 0; l < levels; l++) {
        if (!present[l])
            continue;
        g_string_append_printf(line, "%s%s %s", first ? "" : " ", names[l],
                               l == served ? "hit" : "miss");
        first = false;
        if (l == served)
            return true;
    }
    if (!first)
        g_string_append(line, ", ");
    return false;
}

static void on_reference(void *ctx, mmu_ref_kind kind, uint64_t va, uint64_t pa, unsigned size,
                         const mmu_hw_outcome *o)
{
    sim_step *st = ctx;
    if (!st->started || st->done)
        return;
    const mmu_hw_config *cfg = mmu_hw_config_get(sim_detailed_hw(st->m->detailed));
    GString *line = g_string_new(NULL);
    g_string_append_printf(line, "        %s%u va " HEX " pa " HEX ": TLB ",
                           kind == MMU_REF_WRITE ? "W" : "R", size, va, pa);
    static const char *const tlb_names[] = {"L1D", "L2"};
    bool tlb_present[] = {cfg->tlb[TR_TLB_L1D].entries > 0, cfg->tlb[TR_TLB_L2].entries > 0};
    int tlb_served = o->xlate == MMU_XLATE_L1 ? 0 : o->xlate == MMU_XLATE_L2 ? 1 : 2;
    if (!append_levels(line, tlb_names, tlb_present, 2, tlb_served))
        g_string_append_printf(line, "walk (%d entries read, %d from the walk cache)",
                               o->walk_reads, o->walk_cache_hits);
    g_string_append(line, ", cache ");
    static const char *const cache_names[] = {"L1D", "L2", "L3"};
    bool cache_present[] = {cfg->cache[TR_CACHE_L1D].size > 0, cfg->cache[TR_CACHE_L2].size > 0,
                            cfg->cache[TR_CACHE_L3].size > 0};
    int served = o->served_by >= TR_CACHE_L1D && o->served_by < TR_CACHE_LEVELS
                     ? o->served_by - TR_CACHE_L1D
                     : 3;
    if (!append_levels(line, cache_names, cache_present, 3, served))
        g_string_append(line, "memory");
    if (o->pieces > 1)
        g_string_append(line, " (two pieces; the worse shown)");
    fprintf(st->out, "%s\n", line->str);
    g_string_free(line, TRUE);
}

static void on_code(uc_engine *uc, uint64_t pc, uint32_t size, void *user)
{
    sim_step *st = user;
    sim_machine *m = st->m;
    if (m == NULL || st->done || !m->in_user || pc == m->isa->rom_va)
        return;
    if (!st->started) {
        if (pc != st->from)
            return;
        st->started = true;
    }
    uint8_t code[16];
    size_t len = vm_peek_user(m->proc->aspace, pc, code, sizeof code);
    sim_insn_info info;
    memset(&info, 0, sizeof info);
    if (len)
        sim_insn_decode(m->isa->isa, uc, code, len, pc, &info);
    GString *line = g_string_new(NULL);
    uint64_t off = 0;
    const char *fn = sim_symbols_at(st->syms, pc, &off);
    g_string_append_printf(line, "%6" G_GUINT64_FORMAT "  " HEX " ", st->shown + 1, pc);
    if (fn)
        g_string_append_printf(line, "<%s+%" G_GUINT64_FORMAT ">", fn, off);
    g_string_append_printf(line, "  %s", len ? info.text : "(not readable)");
    print_accesses(st, &info, line);
    fflush(stdout);
    fprintf(st->out, "%s\n", line->str);
    g_string_free(line, TRUE);
    if (++st->shown == st->limit) {
        st->done = true;
        /* The hook stays: deleting it here would invalidate the translated
         * block that is running. It returns at once from now on. */
        fprintf(st->out,
                "zxsim: step: %" G_GUINT64_FORMAT " instructions shown; the guest runs on "
                "without printing\n",
                st->shown);
    }
}

static void on_event(void *ctx, const tr_event *ev)
{
    sim_step *st = ctx;
    if (st->next)
        tr_emit(st->next, (tr_event *)ev);
    if (!st->started || st->done)
        return;
    if (ev->kind == TR_EV_FAULT) {
        const __typeof__(ev->u.fault) *f = &ev->u.fault;
        fprintf(st->out, "        page fault: %s at " HEX "%s: %s", tr_access_name(f->access),
                f->va, f->from_kernel ? " (by the kernel, copying user memory)" : "",
                tr_fault_kind_name(f->kind));
        if (f->kind != TR_FAULT_FATAL)
            fprintf(st->out, ", VMO koid %" G_GUINT64_FORMAT " offset " HEX " -> frame " HEX,
                    f->vmo_koid, f->vmo_offset, f->pa);
        fputc('\n', st->out);
    } else if (ev->kind == TR_EV_TLB && ev->u.tlb.op == TR_TLB_MISS) {
        fprintf(st->out, "        TLB %s miss at va " HEX "\n", tr_tlb_level_name(ev->u.tlb.level),
                ev->u.tlb.va);
    } else if (ev->kind == TR_EV_WALK) {
        fprintf(st->out, "        page walk: %d entries read, %d levels from the walk cache\n",
                ev->u.walk.levels_read, ev->u.walk.walk_cache_hits);
    } else if (ev->kind == TR_EV_CACHE && ev->u.cache.op == TR_CACHE_MISS) {
        fprintf(st->out, "        cache %s miss at pa " HEX "\n",
                tr_cache_level_name(ev->u.cache.level), ev->u.cache.pa);
    } else if (ev->kind == TR_EV_SYSCALL) {
        fprintf(st->out, "        syscall %s%s -> %" G_GINT64_FORMAT "\n",
                g_str_has_prefix(ev->u.syscall.name, "zxsim_") ? "" : "zx_", ev->u.syscall.name,
                ev->u.syscall.result);
    }
}

bool sim_step_begin(sim_step *st, sim_machine *m, const sim_symbols *syms, uint64_t limit,
                    const char *from, FILE *out, GError **error)
{
    memset(st, 0, sizeof *st);
    st->syms = syms;
    st->out = out;
    st->limit = limit;
    st->started = true;
    if (from) {
        if (!sim_symbols_resolve(syms, from, &st->from, error))
            return false;
        st->has_from = true;
        st->started = false;
    }
    /* Both engines in detailed mode: the guest runs on either. */
    uc_err err = uc_hook_add(m->fast_uc, &st->hook, UC_HOOK_CODE, on_code, st, 1, 0);
    if (err == UC_ERR_OK && m->uc != m->fast_uc)
        err = uc_hook_add(m->uc, &st->detailed_hook, UC_HOOK_CODE, on_code, st, 1, 0);
    if (err != UC_ERR_OK) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "Unicorn: code hook: %s",
                    uc_strerror(err));
        return false;
    }
    st->m = m;
    st->next = m->k->trace;
    st->sink = (tr_sink){.emit = on_event, .ctx = st};
    if (st->next) {
        st->sink.pc = st->next->pc;
        st->sink.pc_ctx = st->next->pc_ctx;
    }
    /* The code hook keeps the pc exact: the faulting instruction decodes
     * in place. */
    st->sink.fault_va = sim_trace_fault_va;
    st->sink.fault_ctx = m;
    m->k->trace = &st->sink;
    /* The hardware model's misses and walks, between the instructions. */
    if (m->detailed)
        mmu_hw_set_trace(sim_detailed_hw(m->detailed), &st->sink,
                         (1u << TR_EV_TLB) | (1u << TR_EV_WALK) | (1u << TR_EV_CACHE));
    if (m->detailed)
        sim_detailed_observe(m->detailed, on_reference, st);
    return true;
}

void sim_step_end(sim_step *st)
{
    if (st->m == NULL)
        return;
    st->m->k->trace = st->next;
    if (st->m->detailed)
        sim_detailed_observe(st->m->detailed, NULL, NULL);
    if (st->has_from && !st->started)
        fprintf(st->out, "zxsim: step: the guest never ran the instruction at " HEX "\n", st->from);
}

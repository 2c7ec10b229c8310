#include "detailed.h"

#include "uc_control.h"

#include <capstone/capstone.h>
#include <string.h>

/* Unicorn's memory hooks report physical addresses, and one frame may be
 * mapped at several virtual pages at once (the zero page, copy-on-write
 * sharing). So the detailed engine sees RAM SIM_ALIASES times, at
 * k << ALIAS_SHIFT, and each live (virtual page -> frame) translation in
 * its TLB gets an alias of the frame that no other live translation of
 * that frame holds: alias and frame give back the virtual page exactly.
 * Alias 0 is the only one mapped executable (translated code is keyed by
 * physical address), so executable pages always use it. */
#define SIM_ALIASES 8u
#define ALIAS_SHIFT 40
#define ALIAS_MASK  ((1ull << ALIAS_SHIFT) - 1)

/* Instruction counts of x86-64 blocks, whose lengths vary: decoded once. */
#define INSN_CACHE_SIZE 4096u

typedef struct alias_slot {
    uint64_t vpage;
    uint32_t asid;
    uint32_t epoch; /* live only in the current epoch (bumped by each flush) */
} alias_slot;

typedef struct insn_count {
    uint64_t pc;
    uint32_t size;
    uint32_t count;
} insn_count;

/* The last block, when all its fetches were all-hits: a loop's body runs
 * again at once (see mmu_hw_fetch_epoch). */
typedef struct block_memo {
    bool valid;
    uint64_t pc, epoch;
    uint32_t size, asid, instructions, lines;
} block_memo;

struct sim_detailed {
    sim_machine *m;
    mmu_hw *hw;
    uc_engine *uc;
    uc_hook hooks[5];
    uc_hook entry_hook; /* on the fast engine, only with --detail */
    uc_context *ctx;
    alias_slot *slots; /* [frame * SIM_ALIASES + alias] */
    uint64_t slot_frames;
    uint32_t epoch;
    uint64_t alias_flushes;
    uint64_t fills_since_flush, tlb_estimate;
    uint64_t line;

    /* The page the last block was fetched from. */
    bool fetch_valid;
    uint64_t fetch_vpage, fetch_pa;

    block_memo last_block;

    insn_count *insn_cache;
    csh cs;
    bool cs_open;

    /* The region of interest. */
    sim_region region;
    bool in_function;
    uint64_t return_pc, entry_sp;
    bool stopping; /* the run stops here for the fast engine: model nothing */

    sim_detailed_observer observe; /* --step: each data reference's outcome */
    void *observe_ctx;
};

static inline bool slot_live(const sim_detailed *d, const alias_slot *s)
{
    return s->epoch == d->epoch;
}

static void forget_translations(sim_detailed *d)
{
    d->epoch++;
    d->fetch_valid = false;
}

void sim_detailed_flush(sim_detailed *d)
{
    d->fills_since_flush = 0;
    sim_uc_flush_tlb(d->uc);
    forget_translations(d);
}

/* Called from the TLB fill only, where flushing is safe. */
static void flush_for_alias(sim_detailed *d)
{
    d->alias_flushes++;
    d->m->tlb_flushes++;
    sim_detailed_flush(d);
}

static unsigned alias_for(sim_detailed *d, uint64_t frame, uint64_t vpage, bool exec)
{
    alias_slot *s = &d->slots[frame * SIM_ALIASES];
    uint32_t asid = d->m->proc->aspace->asid;
    unsigned k;
    if (exec) {
        k = 0;
        if (slot_live(d, &s[0]) && (s[0].vpage != vpage || s[0].asid != asid))
            flush_for_alias(d);
    } else {
        unsigned free = 0;
        for (k = 1; k < SIM_ALIASES; k++) {
            if (!slot_live(d, &s[k])) {
                if (!free)
                    free = k;
            } else if (s[k].vpage == vpage && s[k].asid == asid) {
                return k;
            }
        }
        if (!free) {
            flush_for_alias(d);
            free = 1;
        }
        k = free;
    }
    s[k] = (alias_slot){.vpage = vpage, .asid = asid, .epoch = d->epoch};
    return k;
}

static bool on_fill(uc_engine *uc, uint64_t va, uc_mem_type type, uc_tlb_entry *out, void *user)
{
    sim_detailed *d = user;
    sim_machine *m = d->m;
    uint64_t pa;
    unsigned perms;
    if (!sim_machine_translate(m, va, type, &pa, &perms))
        return false;
    out->perms = perms;
    uint64_t frame = pa >> MMU_PAGE_SHIFT;
    if (frame >= d->slot_frames) { /* the boot ROM: never a guest reference */
        out->paddr = pa;
        return true;
    }
    if (sim_machine_grow_tlb(m, uc, &d->fills_since_flush, &d->tlb_estimate))
        forget_translations(d);
    unsigned k = alias_for(d, frame, va >> MMU_PAGE_SHIFT, perms & UC_PROT_EXEC);
    out->paddr = ((uint64_t)k << ALIAS_SHIFT) | pa;
    return true;
}

static void on_mem(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value,
                   void *user)
{
    sim_detailed *d = user;
    if (d->stopping)
        return;
    uint64_t pa = address & ALIAS_MASK;
    const alias_slot *s =
        &d->slots[(pa >> MMU_PAGE_SHIFT) * SIM_ALIASES + (address >> ALIAS_SHIFT)];
    uint64_t va = (s->vpage << MMU_PAGE_SHIFT) | (pa & MMU_PAGE_MASK);
    mmu_ref_kind kind = type == UC_MEM_WRITE ? MMU_REF_WRITE : MMU_REF_READ;
    if (d->observe == NULL) {
        mmu_hw_access(d->hw, d->m->proc->aspace->pt, s->asid, va, pa, (unsigned)size, kind, NULL);
        return;
    }
    mmu_hw_outcome o;
    mmu_hw_access(d->hw, d->m->proc->aspace->pt, s->asid, va, pa, (unsigned)size, kind, &o);
    d->observe(d->observe_ctx, kind, va, pa, (unsigned)size, &o);
}

void sim_detailed_observe(sim_detailed *d, sim_detailed_observer fn, void *ctx)
{
    d->observe = fn;
    d->observe_ctx = ctx;
}

/* The bytes of the block at pc, through the page tables. */
static size_t read_code(sim_detailed *d, uint64_t pc, uint8_t *buf, size_t len)
{
    const mmu_page_table *pt = d->m->proc->aspace->pt;
    size_t done = 0;
    while (done < len) {
        uint64_t at = pc + done, pa;
        unsigned perms;
        if (!mmu_pt_lookup(pt, at, &pa, &perms))
            break;
        size_t chunk = MIN(len - done, MMU_PAGE_SIZE - (at & MMU_PAGE_MASK));
        memcpy(buf + done, mmu_phys_ptr(pt->mem, pa), chunk);
        done += chunk;
    }
    return done;
}

static uint32_t block_instructions(sim_detailed *d, uint64_t pc, uint32_t size)
{
    if (d->m->isa->isa == SIM_ISA_ARM64)
        return size / 4;
    insn_count *c = &d->insn_cache[(pc ^ (pc >> 12)) % INSN_CACHE_SIZE];
    if (c->pc == pc && c->size == size && c->count)
        return c->count;
    uint8_t code[4096];
    size_t len = read_code(d, pc, code, MIN(size, sizeof code));
    cs_insn *insn = NULL;
    size_t n = d->cs_open ? cs_disasm(d->cs, code, len, pc, 0, &insn) : 0;
    if (insn)
        cs_free(insn, n);
    if (n == 0)
        n = 1;
    *c = (insn_count){.pc = pc, .size = size, .count = (uint32_t)n};
    return (uint32_t)n;
}

static uint64_t reg(uc_engine *uc, int r)
{
    uint64_t v = 0;
    uc_reg_read(uc, r, &v);
    return v;
}

/* The function's return address and stack pointer at its first
 * instruction: arm64 has it in LR, x86-64 on top of the stack. */
static void enter_function(sim_detailed *d, uc_engine *uc)
{
    sim_machine *m = d->m;
    d->entry_sp = reg(uc, m->isa->sp_reg);
    if (m->isa->isa == SIM_ISA_ARM64) {
        d->return_pc = reg(uc, UC_ARM64_REG_LR);
    } else {
        uint64_t pa;
        unsigned perms;
        d->return_pc = 0;
        if (mmu_pt_lookup(m->proc->aspace->pt, d->entry_sp, &pa, &perms) &&
            (d->entry_sp & MMU_PAGE_MASK) <= MMU_PAGE_SIZE - 8)
            memcpy(&d->return_pc, mmu_phys_ptr(m->k->mem, pa), 8);
        d->entry_sp += 8; /* where the stack pointer is after the return */
    }
    d->in_function = true;
    d->region.calls++;
}

static void request_switch(sim_detailed *d, uc_engine *uc)
{
    d->m->switch_pending = true;
    d->stopping = true;
    uc_emu_stop(uc);
}

/* Every executed block: region bookkeeping, then its instructions retire
 * and its fetch references go through the model, one per cache line the
 * block covers. */
static void on_block(uc_engine *uc, uint64_t pc, uint32_t size, void *user)
{
    sim_detailed *d = user;
    sim_machine *m = d->m;
    if (d->stopping || !m->in_user || pc == m->isa->rom_va)
        return;
    if (!d->region.whole_run) {
        if (d->in_function && pc == d->return_pc && reg(uc, m->isa->sp_reg) >= d->entry_sp) {
            d->in_function = false;
            if (m->k->detail_depth == 0) {
                request_switch(d, uc);
                return;
            }
        }
        if (!d->in_function && d->region.function && pc == d->region.function_pc)
            enter_function(d, uc);
    }
    if (size == 0)
        return;
    uint32_t asid = m->proc->aspace->asid;
    if (d->last_block.valid && d->last_block.pc == pc && d->last_block.size == size &&
        d->last_block.asid == asid && d->last_block.epoch == mmu_hw_fetch_epoch(d->hw)) {
        d->region.instructions += d->last_block.instructions;
        mmu_hw_retire(d->hw, d->last_block.instructions);
        mmu_hw_fetch_hits(d->hw, d->last_block.lines);
        return;
    }
    uint32_t n = block_instructions(d, pc, size);
    d->region.instructions += n;
    mmu_hw_retire(d->hw, n);
    const mmu_page_table *pt = m->proc->aspace->pt;
    uint64_t end = pc + size, epoch = mmu_hw_fetch_epoch(d->hw);
    uint32_t lines = 0;
    d->last_block.valid = false;
    for (uint64_t at = pc; at < end; lines++) {
        uint64_t next = MIN(end, (at & ~(d->line - 1)) + d->line);
        uint64_t vpage = at >> MMU_PAGE_SHIFT;
        if (!d->fetch_valid || vpage != d->fetch_vpage) {
            unsigned perms;
            if (!mmu_pt_lookup(pt, at & ~MMU_PAGE_MASK, &d->fetch_pa, &perms))
                return;
            d->fetch_vpage = vpage;
            d->fetch_valid = true;
        }
        mmu_hw_access(d->hw, pt, asid, at, d->fetch_pa | (at & MMU_PAGE_MASK),
                      (unsigned)(next - at), MMU_REF_FETCH, NULL);
        at = next;
    }
    if (mmu_hw_fetch_epoch(d->hw) == epoch)
        d->last_block = (block_memo){.valid = true,
                                     .pc = pc,
                                     .epoch = epoch,
                                     .size = size,
                                     .asid = asid,
                                     .instructions = n,
                                     .lines = lines};
}

/* The fast engine reached the function: stop there for the detailed one. */
static void on_fast_entry(uc_engine *uc, uint64_t pc, uint32_t size, void *user)
{
    sim_detailed *d = user;
    if (d->m->uc != uc)
        return;
    d->m->switch_pending = true;
    uc_emu_stop(uc);
}

static bool should_model(const sim_detailed *d)
{
    return d->region.whole_run || d->in_function || d->m->k->detail_depth > 0;
}

/* zxsim_detail_begin / zxsim_detail_end (vm_detail_fn). The first begin of
 * a whole-run detailed run makes it a bracketed one: what was counted so
 * far is dropped. */
static void on_bracket(void *ctx, bool begin)
{
    sim_detailed *d = ctx;
    sim_machine *m = d->m;
    if (begin) {
        if (d->region.whole_run) {
            d->region.whole_run = false;
            d->region.instructions = 0;
            mmu_hw_stats_reset(d->hw);
        }
        if (m->k->detail_depth == 1)
            d->region.brackets++;
        if (m->uc != d->uc)
            m->switch_pending = true;
    } else if (m->uc == d->uc && !should_model(d)) {
        m->switch_pending = true;
    }
}

uint64_t sim_detailed_switch(sim_detailed *d)
{
    sim_machine *m = d->m;
    uc_engine *to = m->uc == d->uc ? m->fast_uc : d->uc;
    uc_context_save(m->uc, d->ctx);
    uc_context_restore(to, d->ctx);
    /* --timeout's watchdog thread reads m->uc to stop the running engine. */
    __atomic_store_n(&m->uc, to, __ATOMIC_RELEASE);
    d->stopping = false;
    m->k->hw_counting = to == d->uc;
    return reg(to, m->isa->pc_reg);
}

static bool fail(GError **error, const char *what, uc_err err)
{
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "Unicorn (detailed engine): %s: %s", what,
                uc_strerror(err));
    return false;
}

sim_detailed *sim_detailed_create(sim_machine *m, mmu_hw *hw, GError **error)
{
    sim_detailed *d = g_new0(sim_detailed, 1);
    d->m = m;
    d->hw = hw;
    d->region.whole_run = true;
    d->epoch = 1;
    d->tlb_estimate = SIM_UNICORN_TLB_MIN;
    const mmu_hw_config *cfg = mmu_hw_config_get(hw);
    d->line = cfg->cache[TR_CACHE_L1I].size ? cfg->cache[TR_CACHE_L1I].line : 64;
    if (d->line == 0 || (d->line & (d->line - 1)))
        d->line = 64;
    const mmu_physmem *mem = m->k->mem;
    d->slot_frames = mem->size >> MMU_PAGE_SHIFT;
    d->slots = g_new0(alias_slot, d->slot_frames * SIM_ALIASES);
    d->insn_cache = g_new0(insn_count, INSN_CACHE_SIZE);
    if (m->isa->isa == SIM_ISA_X86_64)
        d->cs_open = cs_open(CS_ARCH_X86, CS_MODE_64, &d->cs) == CS_ERR_OK;

    uc_err err = sim_machine_open_engine(m->isa, &d->uc);
    const char *what = "cannot open an engine";
    for (unsigned k = 0; err == UC_ERR_OK && k < SIM_ALIASES; k++) {
        what = "mapping a RAM alias";
        err = uc_mem_map_ptr(d->uc, (uint64_t)k << ALIAS_SHIFT, mem->host_size,
                             k == 0 ? UC_PROT_ALL : UC_PROT_READ | UC_PROT_WRITE, mem->host);
    }
    if (err == UC_ERR_OK) {
        what = "hooks";
        err = uc_hook_add(d->uc, &d->hooks[0], UC_HOOK_TLB_FILL, on_fill, d, 1, 0);
    }
    if (err == UC_ERR_OK)
        err =
            uc_hook_add(d->uc, &d->hooks[1], UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, on_mem, d, 1, 0);
    if (err == UC_ERR_OK)
        err = uc_hook_add(d->uc, &d->hooks[2], UC_HOOK_BLOCK, on_block, d, 1, 0);
    if (err == UC_ERR_OK)
        err = sim_machine_add_trap_hooks(m, d->uc, &d->hooks[3]);
    if (err == UC_ERR_OK) {
        what = "context";
        err = uc_context_alloc(d->uc, &d->ctx);
    }
    if (err != UC_ERR_OK) {
        fail(error, what, err);
        m->detailed = d;
        sim_detailed_destroy(d);
        return NULL;
    }
    m->detailed = d;
    m->uc = d->uc;
    vm_kernel *k = m->k;
    k->hw = hw;
    k->hw_counting = true;
    k->model_clock = !k->host_clock;
    k->detail = on_bracket;
    k->detail_ctx = d;
    return d;
}

bool sim_detailed_set_function(sim_detailed *d, const char *name, uint64_t pc, GError **error)
{
    sim_machine *m = d->m;
    uc_err err = uc_hook_add(m->fast_uc, &d->entry_hook, UC_HOOK_CODE, on_fast_entry, d, pc, pc);
    if (err != UC_ERR_OK)
        return fail(error, "entry hook", err);
    d->region.whole_run = false;
    d->region.function = name;
    d->region.function_pc = pc;
    m->uc = m->fast_uc;
    m->k->hw_counting = false;
    return true;
}

void sim_detailed_destroy(sim_detailed *d)
{
    if (d == NULL)
        return;
    sim_machine *m = d->m;
    if (m->detailed == d) {
        m->detailed = NULL;
        m->uc = m->fast_uc;
        m->k->hw = NULL;
        m->k->hw_counting = false;
        m->k->model_clock = false;
        m->k->detail = NULL;
    }
    if (d->ctx)
        uc_context_free(d->ctx);
    if (d->uc)
        uc_close(d->uc);
    if (d->cs_open)
        cs_close(&d->cs);
    g_free(d->insn_cache);
    g_free(d->slots);
    mmu_hw_destroy(d->hw);
    g_free(d);
}

mmu_hw *sim_detailed_hw(const sim_detailed *d)
{
    return d->hw;
}

const sim_region *sim_detailed_region(const sim_detailed *d)
{
    return &d->region;
}

uint64_t sim_detailed_alias_flushes(const sim_detailed *d)
{
    return d->alias_flushes;
}

void sim_detailed_region_text(const sim_detailed *d, GString *out)
{
    const sim_region *r = &d->region;
    if (r->whole_run) {
        g_string_append(out, "the whole run");
        return;
    }
    const char *sep = "";
    if (r->function) {
        g_string_append_printf(out, "calls of %s (%" G_GUINT64_FORMAT ")", r->function, r->calls);
        sep = " and ";
    }
    if (r->brackets || !r->function)
        g_string_append_printf(out, "%szxsim_detail_begin/end brackets (%" G_GUINT64_FORMAT ")",
                               sep, r->brackets);
    g_string_append_printf(out, " only, %" G_GUINT64_FORMAT " instructions", r->instructions);
}

void sim_detailed_region_json(const sim_detailed *d, GString *out)
{
    const sim_region *r = &d->region;
    g_string_append_printf(out,
                           "{\"whole_run\": %s, \"function\": ", r->whole_run ? "true" : "false");
    if (r->function) {
        g_autofree char *esc = g_strescape(r->function, NULL);
        g_string_append_printf(out, "\"%s\"", esc);
    } else {
        g_string_append(out, "null");
    }
    g_string_append_printf(out,
                           ", \"calls\": %" G_GUINT64_FORMAT ", \"brackets\": %" G_GUINT64_FORMAT
                           ", \"instructions\": %" G_GUINT64_FORMAT "}",
                           r->calls, r->brackets, r->instructions);
}

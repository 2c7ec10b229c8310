#include "machine.h"

#include "detailed.h"
#include "signals.h"
#include "uc_control.h"
#include "vm/fault.h"
#include "watchdog.h"
#include "vm/syscalls.h"

#include <string.h>

static unsigned access_of(uc_mem_type type)
{
    switch (type) {
    case UC_MEM_WRITE:
        return TR_ACCESS_WRITE;
    case UC_MEM_FETCH:
        return TR_ACCESS_EXEC;
    default:
        return TR_ACCESS_READ;
    }
}

/* Unicorn's TLB (256 entries at first) only grows inside a flush, when
 * more than 70% of it was used since the last one. A program whose working
 * set is beyond its reach would miss forever at that size, so after every
 * few times its size in fills we flush, and it doubles. Flushing inside the
 * fill is safe: Unicorn looks its entry up again after a fill returns.
 * Inline in the fast engine's fill, which every Unicorn TLB miss takes. */
static inline bool grow_tlb(sim_machine *m, uc_engine *uc, uint64_t *fills_since_flush,
                            uint64_t *estimate)
{
    if (++*fills_since_flush < 4 * *estimate)
        return false;
    if (*estimate < SIM_UNICORN_TLB_MAX)
        *estimate *= 2;
    /* Housekeeping, not a shootdown: no translation was removed. */
    m->tlb_flushes++;
    m->tlb_grow_flushes++;
    *fills_since_flush = 0;
    sim_uc_flush_tlb(uc);
    return true;
}

bool sim_machine_grow_tlb(sim_machine *m, uc_engine *uc, uint64_t *fills_since_flush,
                          uint64_t *estimate)
{
    return grow_tlb(m, uc, fills_since_flush, estimate);
}

/* Every miss in Unicorn's own TLB lands here: the translation comes from
 * the guest's page tables, and a missing or too-narrow entry is a page
 * fault for the kernel to resolve. MMU_PERM_* equal UC_PROT_*. */
static inline bool translate(sim_machine *m, uint64_t va, uc_mem_type type, uint64_t *pa,
                             unsigned *perms)
{
    m->tlb_fills++;
    unsigned access = access_of(type);
    if (!m->in_user) {
        if ((va & ~MMU_PAGE_MASK) == m->isa->rom_va) {
            *pa = mmu_physmem_rom_base(m->k->mem) | (va & MMU_PAGE_MASK);
            *perms = UC_PROT_READ | UC_PROT_EXEC;
            return true;
        }
        m->in_user = true; /* the ROM's exception return has run */
        /* A signal that arrived as the engine started was lost to
         * uc_emu_start clearing its stop request; this fill is the first
         * moment after that. */
        if (sim_signals_pending())
            uc_emu_stop(m->uc);
    }
    if (m->exact_faults) {
        if (m->retried && m->retried_va == va) {
            m->retried = false;
        } else if (mmu_pt_lookup(m->proc->aspace->pt, va, pa, perms) &&
                   mmu_perms_allow(*perms, access)) {
            return true; /* the walk vm_translate would repeat */
        } else {
            m->retry_pending = true;
            m->retried = true;
            m->retried_va = va;
            return false;
        }
    }
    zx_status_t st = vm_translate(m->proc->aspace, va, access, false, pa, perms);
    if (st != ZX_OK) {
        m->fault_pending = true;
        m->fault = (sim_fault){.page = va, .access = access, .status = st};
        return false;
    }
    return true;
}

bool sim_machine_translate(sim_machine *m, uint64_t va, uc_mem_type type, uint64_t *pa,
                           unsigned *perms)
{
    return translate(m, va, type, pa, perms);
}

static bool on_tlb_fill(uc_engine *uc, uint64_t va, uc_mem_type type, uc_tlb_entry *out, void *user)
{
    sim_machine *m = user;
    uint64_t pa;
    unsigned perms;
    if (!translate(m, va, type, &pa, &perms))
        return false;
    if (m->in_user)
        grow_tlb(m, uc, &m->fills_since_flush, &m->tlb_estimate);
    out->paddr = pa;
    out->perms = perms;
    return true;
}

void sim_machine_syscall(sim_machine *m, uc_engine *uc)
{
    uint32_t number;
    uint64_t args[8];
    m->isa->read_syscall(uc, &number, args);
    uint64_t result = vm_syscall(m->proc, number, args);
    if (m->proc->exited || m->proc->killed) {
        uc_emu_stop(uc);
        return;
    }
    m->isa->write_result(uc, result);
    /* zxsim_detail_begin/end asked for the other engine. */
    if (m->switch_pending)
        uc_emu_stop(uc);
}

void sim_machine_intr(sim_machine *m, uc_engine *uc, uint32_t intno)
{
    if (m->isa->intr_is_syscall(intno)) {
        sim_machine_syscall(m, uc);
        return;
    }
    m->exception_pending = true;
    m->exception_intno = intno;
    uc_emu_stop(uc);
}

static void on_intr(uc_engine *uc, uint32_t intno, void *user)
{
    sim_machine_intr(user, uc, intno);
}

static void on_x86_syscall(uc_engine *uc, void *user)
{
    sim_machine_syscall(user, uc);
}

void sim_machine_shootdown(void *machine, tr_shootdown_kind kind, uint32_t asid, uint64_t va,
                           uint64_t len)
{
    sim_machine *m = machine;
    m->tlb_flushes++;
    m->tlb_shootdown_flushes++;
    m->fills_since_flush = 0;
    sim_uc_flush_tlb(m->fast_uc);
    if (m->detailed)
        sim_detailed_flush(m->detailed);
}

static bool fail(GError **error, const char *what, uc_err err)
{
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "Unicorn: %s: %s", what,
                uc_strerror(err));
    return false;
}

sim_machine *sim_machine_create(const sim_isa_ops *isa, vm_kernel *k, GError **error)
{
    sim_machine *m = g_new0(sim_machine, 1);
    m->isa = isa;
    m->k = k;
    uc_err err = uc_open(isa->uc_arch, isa->uc_mode, &m->uc);
    if (err != UC_ERR_OK) {
        fail(error, "cannot open an engine", err);
        g_free(m);
        return NULL;
    }
    /* Unicorn 2.1.1 refuses 4 KiB pages on arm64 (it keeps 1 KiB); later
     * releases accept them if this is the first control call. */
    if (isa->isa == SIM_ISA_ARM64)
        sim_uc_set_page_size(m->uc, 4096);
    sim_uc_get_page_size(m->uc, &m->uc_page_size);
    /* Exits enabled with none set: uc_emu_start's `until` is ignored, so
     * Unicorn never translates a stop address after the run, which it would
     * do through our TLB-fill callback outside the CPU loop. */
    const char *what = "exits";
    err = sim_uc_exits_enable(m->uc);
    if (err == UC_ERR_OK) {
        what = "virtual TLB mode";
        err = sim_uc_tlb_mode(m->uc, UC_TLB_VIRTUAL);
    }
    if (err == UC_ERR_OK) {
        what = "mapping RAM";
        err = uc_mem_map_ptr(m->uc, 0, k->mem->host_size, UC_PROT_ALL, k->mem->host);
    }
    if (err == UC_ERR_OK) {
        what = "TLB fill hook";
        err = uc_hook_add(m->uc, &m->hooks[0], UC_HOOK_TLB_FILL, on_tlb_fill, m, 1, 0);
    }
    if (err == UC_ERR_OK) {
        what = "interrupt hook";
        err = uc_hook_add(m->uc, &m->hooks[1], UC_HOOK_INTR, on_intr, m, 1, 0);
    }
    if (err == UC_ERR_OK && isa->isa == SIM_ISA_X86_64) {
        what = "syscall hook";
        err = uc_hook_add(m->uc, &m->hooks[2], UC_HOOK_INSN, on_x86_syscall, m, 1, 0,
                          UC_X86_INS_SYSCALL);
    }
    if (err != UC_ERR_OK) {
        fail(error, what, err);
        uc_close(m->uc);
        g_free(m);
        return NULL;
    }
    isa->write_rom(mmu_phys_ptr(k->mem, mmu_physmem_rom_base(k->mem)));
    m->tlb_estimate = SIM_UNICORN_TLB_MIN;
    m->fast_uc = m->uc;
    return m;
}

void sim_machine_destroy(sim_machine *m)
{
    if (m == NULL)
        return;
    sim_detailed_destroy(m->detailed);
    uc_close(m->fast_uc);
    g_free(m);
}

uc_err sim_machine_open_engine(const sim_isa_ops *isa, uc_engine **out)
{
    uc_err err = uc_open(isa->uc_arch, isa->uc_mode, out);
    if (err != UC_ERR_OK)
        return err;
    if (isa->isa == SIM_ISA_ARM64)
        sim_uc_set_page_size(*out, 4096);
    err = sim_uc_exits_enable(*out);
    if (err == UC_ERR_OK)
        err = sim_uc_tlb_mode(*out, UC_TLB_VIRTUAL);
    if (err != UC_ERR_OK) {
        uc_close(*out);
        *out = NULL;
    }
    return err;
}

uc_err sim_machine_add_trap_hooks(sim_machine *m, uc_engine *uc, uc_hook hooks[2])
{
    uc_err err = uc_hook_add(uc, &hooks[0], UC_HOOK_INTR, on_intr, m, 1, 0);
    if (err == UC_ERR_OK && m->isa->isa == SIM_ISA_X86_64)
        err = uc_hook_add(uc, &hooks[1], UC_HOOK_INSN, on_x86_syscall, m, 1, 0, UC_X86_INS_SYSCALL);
    return err;
}

void sim_machine_attach(sim_machine *m, vm_process *p)
{
    m->proc = p;
}

uint64_t sim_machine_pc(sim_machine *m)
{
    uint64_t pc = 0;
    uc_reg_read(m->uc, m->isa->pc_reg, &pc);
    return pc;
}

sim_stop_reason sim_machine_run(sim_machine *m, const sim_entry_state *entry, uint64_t max_insns,
                                double timeout_s)
{
    m->error = m->isa->prepare_entry(m->uc, entry);
    if (m->error != UC_ERR_OK)
        return SIM_STOP_ERROR;
    uint64_t timeout_us = timeout_s > 0 ? (uint64_t)(timeout_s * 1e6) : 0;
    if (timeout_s > 0 && timeout_us == 0)
        timeout_us = 1;
    /* The ROM's one instruction is not the guest's: add it to the budget. */
    size_t count = max_insns ? (size_t)max_insns + 1 : 0;
    if (sim_signals_pending())
        return SIM_STOP_SIGNAL;
    /* Detailed mode's regions of interest stop the run to move the CPU
     * state to the other engine; fast mode runs in one piece. */
    uint64_t pc = m->isa->rom_va;
    gint64 deadline = timeout_us ? g_get_monotonic_time() + (gint64)timeout_us : 0;
    /* Not uc_emu_start's timeout: that starts and joins a thread at every
     * call, and a traced fault makes one call per fault. */
    sim_watchdog *watchdog = deadline ? sim_watchdog_start(&m->uc, deadline) : NULL;
    bool late = false;
    for (;;) {
        m->switch_pending = false;
        m->retry_pending = false;
        sim_signals_watch(m->uc);
        m->error = uc_emu_start(m->uc, pc, 0, 0, count);
        sim_signals_watch(NULL);
        if (m->retry_pending && m->error == UC_ERR_EXCEPTION && !m->proc->exited &&
            !m->proc->killed && !sim_signals_pending()) {
            /* Rolled back to the faulting instruction: resume there. */
            pc = sim_machine_pc(m);
            m->error = UC_ERR_OK;
            if (deadline && deadline <= g_get_monotonic_time()) {
                late = true;
                break;
            }
            continue;
        }
        if (!m->switch_pending || m->proc->exited || m->proc->killed || m->fault_pending ||
            m->exception_pending || m->error != UC_ERR_OK || sim_signals_pending())
            break;
        pc = sim_detailed_switch(m->detailed);
        if (deadline && deadline <= g_get_monotonic_time()) {
            late = true;
            break;
        }
    }
    bool timed_out = sim_watchdog_stop(watchdog);
    if (late)
        return SIM_STOP_TIMEOUT;

    if (m->proc->exited)
        return SIM_STOP_EXITED;
    if (m->proc->killed)
        return SIM_STOP_KILLED;
    if (m->fault_pending)
        return SIM_STOP_FAULT;
    if (m->exception_pending)
        return SIM_STOP_EXCEPTION;
    if (sim_signals_pending())
        return SIM_STOP_SIGNAL;
    if (m->error == UC_ERR_INSN_INVALID) {
        m->exception_pending = true;
        m->exception_intno = m->isa->isa == SIM_ISA_X86_64 ? 6 : 1;
        return SIM_STOP_EXCEPTION;
    }
    if (m->error != UC_ERR_OK)
        return SIM_STOP_ERROR;
    if (timed_out)
        return SIM_STOP_TIMEOUT;
    if (count)
        return SIM_STOP_BUDGET;
    return SIM_STOP_ERROR;
}

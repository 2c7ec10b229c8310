#include "machine.h"

#include "signals.h"
#include "uc_control.h"
#include "vm/fault.h"
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
 * fill is safe: Unicorn looks its entry up again after a fill returns. */
static void grow_unicorn_tlb(sim_machine *m)
{
    if (++m->fills_since_flush < 4 * m->tlb_estimate)
        return;
    if (m->tlb_estimate < SIM_UNICORN_TLB_MAX)
        m->tlb_estimate *= 2;
    sim_machine_flush_tlb(m);
}

/* Every miss in Unicorn's own TLB lands here: the translation comes from
 * the guest's page tables, and a missing or too-narrow entry is a page
 * fault for the kernel to resolve. MMU_PERM_* equal UC_PROT_*. */
static bool on_tlb_fill(uc_engine *uc, uint64_t va, uc_mem_type type, uc_tlb_entry *out, void *user)
{
    sim_machine *m = user;
    m->tlb_fills++;
    unsigned access = access_of(type);
    if (!m->in_user) {
        if ((va & ~MMU_PAGE_MASK) == m->isa->rom_va) {
            out->paddr = mmu_physmem_rom_base(m->k->mem) | (va & MMU_PAGE_MASK);
            out->perms = UC_PROT_READ | UC_PROT_EXEC;
            return true;
        }
        m->in_user = true; /* the ROM's exception return has run */
    }
    uint64_t pa;
    unsigned perms;
    zx_status_t st = vm_translate(m->proc->aspace, va, access, false, &pa, &perms);
    if (st != ZX_OK) {
        m->fault_pending = true;
        m->fault = (sim_fault){.page = va, .access = access, .status = st};
        return false;
    }
    grow_unicorn_tlb(m);
    out->paddr = pa;
    out->perms = perms;
    return true;
}

static void handle_syscall(sim_machine *m)
{
    uint32_t number;
    uint64_t args[8];
    m->isa->read_syscall(m->uc, &number, args);
    uint64_t result = vm_syscall(m->proc, number, args);
    if (m->proc->exited || m->proc->killed) {
        uc_emu_stop(m->uc);
        return;
    }
    m->isa->write_result(m->uc, result);
}

static void on_intr(uc_engine *uc, uint32_t intno, void *user)
{
    sim_machine *m = user;
    if (m->isa->intr_is_syscall(intno)) {
        handle_syscall(m);
        return;
    }
    m->exception_pending = true;
    m->exception_intno = intno;
    uc_emu_stop(uc);
}

static void on_x86_syscall(uc_engine *uc, void *user)
{
    handle_syscall(user);
}

void sim_machine_flush_tlb(void *machine)
{
    sim_machine *m = machine;
    m->tlb_flushes++;
    m->fills_since_flush = 0;
    sim_uc_flush_tlb(m->uc);
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
    return m;
}

void sim_machine_destroy(sim_machine *m)
{
    if (m == NULL)
        return;
    uc_close(m->uc);
    g_free(m);
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
    sim_signals_watch(m->uc);
    m->error = uc_emu_start(m->uc, m->isa->rom_va, 0, timeout_us, count);
    sim_signals_watch(NULL);

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
    size_t timed_out = 0;
    if (timeout_us && uc_query(m->uc, UC_QUERY_TIMEOUT, &timed_out) == UC_ERR_OK && timed_out)
        return SIM_STOP_TIMEOUT;
    if (count)
        return SIM_STOP_BUDGET;
    return SIM_STOP_ERROR;
}

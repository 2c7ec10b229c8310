/* The machine: one Unicorn engine whose every translation comes from the
 * guest's page tables through the kernel's fault handler, and whose traps
 * go to the kernel's syscall entry. */
#pragma once

#include "isa.h"
#include "vm/types.h"

typedef enum sim_stop_reason {
    SIM_STOP_EXITED,    /* zx_process_exit */
    SIM_STOP_KILLED,    /* the kernel killed the process (e.g. a bad syscall) */
    SIM_STOP_FAULT,     /* a page fault the kernel could not resolve */
    SIM_STOP_EXCEPTION, /* another CPU exception: undefined instruction, ... */
    SIM_STOP_BUDGET,    /* --max-insns reached */
    SIM_STOP_TIMEOUT,   /* --timeout reached */
    SIM_STOP_SIGNAL,    /* SIGINT or SIGTERM (sim/signals.c) */
    SIM_STOP_DEBUGGER,  /* GDB killed the guest (--gdb) */
    SIM_STOP_ERROR,     /* Unicorn failed */
} sim_stop_reason;

/* Unicorn's TLB: 256 entries at first, at most 2^22 (QEMU's dynamic TLB). */
#define SIM_UNICORN_TLB_MIN 256u
#define SIM_UNICORN_TLB_MAX (1u << 22)

typedef struct sim_fault {
    uint64_t page;      /* as Unicorn reported it: aligned to its page size */
    unsigned access;    /* TR_ACCESS_* */
    zx_status_t status; /* NOT_FOUND, ACCESS_DENIED, OUT_OF_RANGE or NO_MEMORY */
} sim_fault;

typedef struct sim_detailed sim_detailed;

typedef struct sim_machine {
    const sim_isa_ops *isa;
    uc_engine *uc; /* the engine running the guest now: fast or detailed */
    uc_engine *fast_uc;
    sim_detailed *detailed; /* NULL in fast mode (sim/detailed.c) */
    bool switch_pending;    /* the run stopped to move to the other engine */
    vm_kernel *k;
    vm_process *proc;
    uint32_t uc_page_size;
    bool in_user;
    bool fault_pending;
    sim_fault fault;
    /* Exact fault addresses for the trace (sim/trace.c sets it in fast
     * mode): a fill that would fault is refused once, so that Unicorn rolls
     * the CPU back to the faulting instruction, and the run resumes there;
     * its pc is then exact for decoding. Costs one engine restart per
     * fault, so only while fault events are recorded. */
    bool exact_faults;
    bool retry_pending;  /* the run stopped for that roll-back */
    uint64_t retried_va; /* the page refused last; the next fill takes it */
    bool retried;
    bool exception_pending;
    uint32_t exception_intno;
    uc_err error;
    uint64_t tlb_fills;
    uint64_t tlb_flushes;           /* every flush of Unicorn's TLB, either kind: */
    uint64_t tlb_grow_flushes;      /* housekeeping, to let it grow */
    uint64_t tlb_shootdown_flushes; /* the kernel removed translations */
    uint64_t fills_since_flush;
    uint64_t tlb_estimate; /* what we believe Unicorn's TLB has grown to */
    uc_hook hooks[3];
} sim_machine;

sim_machine *sim_machine_create(const sim_isa_ops *isa, vm_kernel *k, GError **error);
void sim_machine_destroy(sim_machine *m);

/* The TLB shootdown the kernel's address space calls (vm_tlb_flush_fn):
 * Unicorn can only forget everything, so both engines flush whole. */
void sim_machine_shootdown(void *machine, tr_shootdown_kind kind, uint32_t asid, uint64_t va,
                           uint64_t len);

/* The translation of the page at va for a TLB fill of either engine: the
 * boot ROM before user mode, then the guest's page tables through the
 * kernel's fault handler. False records the fault and refuses the fill. */
bool sim_machine_translate(sim_machine *m, uint64_t va, uc_mem_type type, uint64_t *pa,
                           unsigned *perms);
/* Counts a fill; every few Unicorn-TLB sizes' worth, flushes uc so that
 * its TLB can grow. Returns true when it flushed. */
bool sim_machine_grow_tlb(sim_machine *m, uc_engine *uc, uint64_t *fills_since_flush,
                          uint64_t *estimate);
/* Handles the trap: used by both engines' interrupt hooks. */
void sim_machine_syscall(sim_machine *m, uc_engine *uc);
void sim_machine_intr(sim_machine *m, uc_engine *uc, uint32_t intno);
/* An engine set up as the machine needs one (page size, exits, virtual
 * TLB), without memory or hooks; and the trap hooks of the machine. */
uc_err sim_machine_open_engine(const sim_isa_ops *isa, uc_engine **out);
uc_err sim_machine_add_trap_hooks(sim_machine *m, uc_engine *uc, uc_hook hooks[2]);

void sim_machine_attach(sim_machine *m, vm_process *p);

/* Runs the process from its entry state until it stops. max_insns 0 means
 * no budget (no instruction hook at all); timeout_s 0 means none. */
sim_stop_reason sim_machine_run(sim_machine *m, const sim_entry_state *entry, uint64_t max_insns,
                                double timeout_s);

uint64_t sim_machine_pc(sim_machine *m);

/* What differs between guest ISAs for the machine: Unicorn's engine
 * settings, the trap ABI, the boot ROM that enters user mode, and the
 * registers a process starts with. */
#pragma once

#include "isa_kind.h"
#include "vm/types.h"

#include <unicorn/unicorn.h>

typedef struct sim_entry_state {
    uint64_t pc;
    uint64_t sp;
    uint64_t args[4]; /* process handle, root VMAR handle, argc, argv */
} sim_entry_state;

typedef struct sim_isa_ops {
    sim_isa isa;
    const char *name;
    uint16_t elf_machine;
    uc_arch uc_arch;
    uc_mode uc_mode;
    const vm_arch *vm_arch;
    uint64_t rom_va; /* kernel-space page the boot ROM is mapped at */
    int pc_reg, sp_reg;
    /* Writes the boot ROM code into `rom` (one page). */
    void (*write_rom)(uint8_t *rom);
    /* Sets the registers so that running the ROM enters user mode at entry. */
    uc_err (*prepare_entry)(uc_engine *uc, const sim_entry_state *entry);
    /* The trap's syscall number and eight arguments. */
    void (*read_syscall)(uc_engine *uc, uint32_t *number, uint64_t args[8]);
    void (*write_result)(uc_engine *uc, uint64_t value);
    /* Name of a CPU exception number delivered to UC_HOOK_INTR. */
    const char *(*exception_name)(uint32_t intno);
    /* Is this UC_HOOK_INTR number the syscall trap? */
    bool (*intr_is_syscall)(uint32_t intno);
} sim_isa_ops;

extern const sim_isa_ops sim_isa_arm64;
extern const sim_isa_ops sim_isa_x86_64;

/* The ISA for an ELF e_machine, or NULL. */
const sim_isa_ops *sim_isa_for_machine(uint16_t machine);

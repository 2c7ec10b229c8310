/* arm64: the guest runs at EL0; `svc #0` with the number in x16 traps. */
#include "isa.h"

#include <elf.h>
#include <string.h>

#define EXCP_UDEF           1
#define EXCP_SWI            2
#define EXCP_PREFETCH_ABORT 3
#define EXCP_DATA_ABORT     4
#define EXCP_BKPT           7

/* The ROM holds a single `eret`: ELR_EL1 and SPSR_EL1 name EL0t at entry. */
static void arm64_write_rom(uint8_t *rom)
{
    const uint32_t eret = 0xd69f03e0;
    memcpy(rom, &eret, sizeof eret);
}

static uc_err arm64_prepare_entry(uc_engine *uc, const sim_entry_state *e)
{
    static const int arg_regs[4] = {UC_ARM64_REG_X0, UC_ARM64_REG_X1, UC_ARM64_REG_X2,
                                    UC_ARM64_REG_X3};
    uc_err err = UC_ERR_OK;
    for (int i = 0; i < 4 && err == UC_ERR_OK; i++)
        err = uc_reg_write(uc, arg_regs[i], &e->args[i]);
    /* SPSR_EL1 = 0: return to EL0 using SP_EL0, interrupts unmasked. */
    uc_arm64_cp_reg spsr = {.crn = 4, .crm = 0, .op0 = 3, .op1 = 0, .op2 = 0, .val = 0};
    if (err == UC_ERR_OK)
        err = uc_reg_write(uc, UC_ARM64_REG_CP_REG, &spsr);
    if (err == UC_ERR_OK)
        err = uc_reg_write(uc, UC_ARM64_REG_ELR_EL1, &e->pc);
    if (err == UC_ERR_OK)
        err = uc_reg_write(uc, UC_ARM64_REG_SP_EL0, &e->sp);
    /* CPACR_EL1.FPEN = 0b11: EL0 may use FP/SIMD without trapping. */
    uint32_t cpacr = 3u << 20;
    if (err == UC_ERR_OK)
        err = uc_reg_write(uc, UC_ARM64_REG_CPACR_EL1, &cpacr);
    return err;
}

static void arm64_read_syscall(uc_engine *uc, uint32_t *number, uint64_t args[8])
{
    static const int regs[8] = {UC_ARM64_REG_X0, UC_ARM64_REG_X1, UC_ARM64_REG_X2, UC_ARM64_REG_X3,
                                UC_ARM64_REG_X4, UC_ARM64_REG_X5, UC_ARM64_REG_X6, UC_ARM64_REG_X7};
    void *vals[8];
    for (int i = 0; i < 8; i++)
        vals[i] = &args[i];
    uc_reg_read_batch(uc, (int *)regs, vals, 8);
    uint64_t x16 = 0;
    uc_reg_read(uc, UC_ARM64_REG_X16, &x16);
    *number = x16 > UINT32_MAX ? UINT32_MAX : (uint32_t)x16;
}

static void arm64_write_result(uc_engine *uc, uint64_t value)
{
    uc_reg_write(uc, UC_ARM64_REG_X0, &value);
}

static const char *arm64_exception_name(uint32_t intno)
{
    switch (intno) {
    case EXCP_UDEF:
        return "undefined instruction";
    case EXCP_SWI:
        return "supervisor call";
    case EXCP_PREFETCH_ABORT:
        return "prefetch abort";
    case EXCP_DATA_ABORT:
        return "data abort (alignment)";
    case EXCP_BKPT:
        return "breakpoint (brk)";
    default:
        return "CPU exception";
    }
}

static bool arm64_intr_is_syscall(uint32_t intno)
{
    return intno == EXCP_SWI;
}

const sim_isa_ops sim_isa_arm64 = {
    .isa = SIM_ISA_ARM64,
    .name = "arm64",
    .elf_machine = EM_AARCH64,
    .uc_arch = UC_ARCH_ARM64,
    .uc_mode = UC_MODE_ARM,
    .vm_arch = &vm_arch_arm64,
    .rom_va = 0xFFFF000000000000ull,
    .pc_reg = UC_ARM64_REG_PC,
    .sp_reg = UC_ARM64_REG_SP,
    .write_rom = arm64_write_rom,
    .prepare_entry = arm64_prepare_entry,
    .read_syscall = arm64_read_syscall,
    .write_result = arm64_write_result,
    .exception_name = arm64_exception_name,
    .intr_is_syscall = arm64_intr_is_syscall,
};

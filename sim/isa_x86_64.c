/* x86-64: the guest runs at CPL 3; `syscall` with the number in rax traps.
 * A `sysretq` in the boot ROM lowers the CPU from CPL 0, so rcx and r11
 * carry the entry pc and flags at entry and argv travels in r8. */
#include "isa.h"

#include <elf.h>
#include <string.h>

#define MSR_EFER     0xC0000080u
#define MSR_STAR     0xC0000081u
#define EFER_SCE     (1ull << 0)
#define RFLAGS_IF    (1ull << 9)
#define RFLAGS_FIXED (1ull << 1)

static void x86_write_rom(uint8_t *rom)
{
    static const uint8_t sysretq[] = {0x48, 0x0f, 0x07};
    memcpy(rom, sysretq, sizeof sysretq);
}

static uc_err x86_prepare_entry(uc_engine *uc, const sim_entry_state *e)
{
    uc_x86_msr efer = {.rid = MSR_EFER};
    uc_err err = uc_reg_read(uc, UC_X86_REG_MSR, &efer);
    efer.value |= EFER_SCE;
    if (err == UC_ERR_OK)
        err = uc_reg_write(uc, UC_X86_REG_MSR, &efer);
    /* sysret takes CS = STAR[63:48] + 16 and SS = + 8, both with RPL 3. */
    uc_x86_msr star = {.rid = MSR_STAR, .value = (0x10ull << 48) | (0x08ull << 32)};
    if (err == UC_ERR_OK)
        err = uc_reg_write(uc, UC_X86_REG_MSR, &star);
    uint64_t flags = RFLAGS_IF | RFLAGS_FIXED;
    const struct {
        int reg;
        const uint64_t *val;
    } regs[] = {
        {UC_X86_REG_RCX, &e->pc},      {UC_X86_REG_R11, &flags},      {UC_X86_REG_RSP, &e->sp},
        {UC_X86_REG_RDI, &e->args[0]}, {UC_X86_REG_RSI, &e->args[1]}, {UC_X86_REG_RDX, &e->args[2]},
        {UC_X86_REG_R8, &e->args[3]},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(regs) && err == UC_ERR_OK; i++)
        err = uc_reg_write(uc, regs[i].reg, regs[i].val);
    return err;
}

static void x86_read_syscall(uc_engine *uc, uint32_t *number, uint64_t args[8])
{
    static const int regs[8] = {UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX, UC_X86_REG_R10,
                                UC_X86_REG_R8,  UC_X86_REG_R9,  UC_X86_REG_R12, UC_X86_REG_R13};
    void *vals[8];
    for (int i = 0; i < 8; i++)
        vals[i] = &args[i];
    uc_reg_read_batch(uc, (int *)regs, vals, 8);
    uint64_t rax = 0;
    uc_reg_read(uc, UC_X86_REG_RAX, &rax);
    *number = rax > UINT32_MAX ? UINT32_MAX : (uint32_t)rax;
}

/* The kernel returns in rax and, like `syscall` itself, leaves the return
 * address in rcx and the flags in r11. */
static void x86_write_result(uc_engine *uc, uint64_t value)
{
    uint64_t rip = 0, flags = 0;
    uc_reg_read(uc, UC_X86_REG_RIP, &rip);
    uc_reg_read(uc, UC_X86_REG_EFLAGS, &flags);
    rip += 2; /* the hook runs with rip at the 2-byte `syscall` */
    uc_reg_write(uc, UC_X86_REG_RAX, &value);
    uc_reg_write(uc, UC_X86_REG_RCX, &rip);
    uc_reg_write(uc, UC_X86_REG_R11, &flags);
}

static const char *x86_exception_name(uint32_t intno)
{
    switch (intno) {
    case 0:
        return "divide error (#DE)";
    case 1:
        return "debug trap (#DB)";
    case 3:
        return "breakpoint (#BP)";
    case 4:
        return "overflow (#OF)";
    case 5:
        return "bound range exceeded (#BR)";
    case 6:
        return "invalid opcode (#UD)";
    case 7:
        return "device not available (#NM)";
    case 13:
        return "general protection fault (#GP)";
    case 16:
        return "x87 floating-point error (#MF)";
    case 17:
        return "alignment check (#AC)";
    case 19:
        return "SIMD floating-point exception (#XM)";
    default:
        return "CPU exception";
    }
}

static bool x86_intr_is_syscall(uint32_t intno)
{
    return false;
}

const sim_isa_ops sim_isa_x86_64 = {
    .isa = SIM_ISA_X86_64,
    .name = "x86-64",
    .elf_machine = EM_X86_64,
    .uc_arch = UC_ARCH_X86,
    .uc_mode = UC_MODE_64,
    .vm_arch = &vm_arch_x86_64,
    .rom_va = 0xFFFFFF8000000000ull,
    .pc_reg = UC_X86_REG_RIP,
    .sp_reg = UC_X86_REG_RSP,
    .write_rom = x86_write_rom,
    .prepare_entry = x86_prepare_entry,
    .read_syscall = x86_read_syscall,
    .write_result = x86_write_result,
    .exception_name = x86_exception_name,
    .intr_is_syscall = x86_intr_is_syscall,
};

const sim_isa_ops *sim_isa_for_machine(uint16_t machine)
{
    if (machine == EM_AARCH64)
        return &sim_isa_arm64;
    if (machine == EM_X86_64)
        return &sim_isa_x86_64;
    return NULL;
}

/* Memory operands of one guest instruction, recomputed for exact fault addresses. */
#include "sim/insn_decode.h"

#include <capstone/capstone.h>
#include <glib.h>
#include <string.h>

/* XSAVE writes a variable-size area that depends on XCR0; this bounds the
 * largest one QEMU's CPU models can produce (x87 to PKRU). Overstating it is
 * harmless: a fault can only be reported inside the real area, so the extra
 * tail never matches. */
#define X86_XSAVE_MAX_BYTES 2696

/* ------------------------------------------------------------------------ */
/* Capstone engines                                                          */

/* One engine and one instruction buffer per ISA, opened on first use.
 * Capstone handles must not be used by two threads at once and faults are
 * rare, so a single lock serialises all decoding. */
static GMutex cs_lock;
static struct {
    bool open;
    csh handle;
    cs_insn *insn;
} cs_engines[2];

static bool engine_get(sim_isa isa, csh *handle, cs_insn **insn)
{
    unsigned i = isa == SIM_ISA_ARM64 ? 0 : 1;
    if (!cs_engines[i].open) {
        cs_arch arch = isa == SIM_ISA_ARM64 ? CS_ARCH_ARM64 : CS_ARCH_X86;
        cs_mode mode = isa == SIM_ISA_ARM64 ? CS_MODE_LITTLE_ENDIAN : CS_MODE_64;
        csh h;
        if (cs_open(arch, mode, &h) != CS_ERR_OK)
            return false;
        cs_insn *buf = NULL;
        if (cs_option(h, CS_OPT_DETAIL, CS_OPT_ON) != CS_ERR_OK || !(buf = cs_malloc(h))) {
            cs_close(&h);
            return false;
        }
        cs_engines[i].handle = h;
        cs_engines[i].insn = buf;
        cs_engines[i].open = true;
    }
    *handle = cs_engines[i].handle;
    *insn = cs_engines[i].insn;
    return true;
}

/* ------------------------------------------------------------------------ */
/* Decoded instructions                                                      */

/* A guest that faults over and over does so at a few instructions (a loop
 * touching pages, memset, a copy), and Capstone's decode and printing cost
 * far more than the registers the addresses need. So what Capstone says
 * about an instruction is kept by pc and the instruction's own bytes (code
 * rewritten at that pc decodes again), and only the register-dependent
 * part is redone. Direct-mapped and fixed in size; a collision only costs
 * a decode. Guarded by cs_lock. */
#define DECODED_SLOTS 256

typedef struct decoded {
    bool valid;
    sim_isa isa;
    uint64_t pc;
    cs_insn insn; /* .detail points at detail below; insn.bytes are the key */
    cs_detail detail;
    char text[SIM_INSN_TEXT_MAX];
} decoded;

static decoded *decoded_slots;

static decoded *decoded_slot(sim_isa isa, uint64_t pc)
{
    if (!decoded_slots)
        decoded_slots = g_new0(decoded, DECODED_SLOTS);
    uint64_t h = (pc ^ (uint64_t)isa) * 0x9e3779b97f4a7c15ull;
    return &decoded_slots[h >> 56 & (DECODED_SLOTS - 1)];
}

static const decoded *decoded_find(sim_isa isa, uint64_t pc, const uint8_t *code, size_t len)
{
    const decoded *d = decoded_slot(isa, pc);
    if (!d->valid || d->isa != isa || d->pc != pc || d->insn.size > len ||
        memcmp(d->insn.bytes, code, d->insn.size) != 0)
        return NULL;
    return d;
}

static const decoded *decoded_keep(sim_isa isa, uint64_t pc, const cs_insn *insn, const char *text)
{
    decoded *d = decoded_slot(isa, pc);
    d->valid = true;
    d->isa = isa;
    d->pc = pc;
    d->insn = *insn;
    d->detail = *insn->detail;
    d->insn.detail = &d->detail;
    g_strlcpy(d->text, text, sizeof d->text);
    return d;
}

void sim_insn_decode_shutdown(void)
{
    g_mutex_lock(&cs_lock);
    g_free(decoded_slots);
    decoded_slots = NULL;
    for (unsigned i = 0; i < G_N_ELEMENTS(cs_engines); i++) {
        if (!cs_engines[i].open)
            continue;
        cs_free(cs_engines[i].insn, 1);
        cs_close(&cs_engines[i].handle);
        cs_engines[i].insn = NULL;
        cs_engines[i].open = false;
    }
    g_mutex_unlock(&cs_lock);
}

/* ------------------------------------------------------------------------ */
/* Shared helpers                                                            */

static void add_access(sim_insn_info *out, uint64_t address, uint32_t size, bool is_read,
                       bool is_write)
{
    if (out->n_access >= SIM_INSN_MAX_ACCESS)
        return;
    out->access[out->n_access++] = (sim_mem_access){
        .address = address,
        .size = size ? size : 1,
        .is_write = is_write,
        .is_read = is_read || !is_write,
    };
}

static bool reg_read(uc_engine *uc, int regid, uint64_t *value)
{
    /* Oversized so that a register id the engine reads as something wider
     * (a vector register on the other ISA, say) cannot overrun the stack. */
    uint64_t buf[8] = {0};
    *value = 0;
    if (!uc || uc_reg_read(uc, regid, buf) != UC_ERR_OK)
        return false;
    *value = buf[0];
    return true;
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void set_text(sim_insn_info *out, const char *mnemonic, const char *op_str)
{
    g_strlcpy(out->text, mnemonic, sizeof out->text);
    if (op_str && op_str[0]) {
        g_strlcat(out->text, " ", sizeof out->text);
        g_strlcat(out->text, op_str, sizeof out->text);
    }
}

/* ------------------------------------------------------------------------ */
/* arm64                                                                     */

/* Capstone and Unicorn number arm64 registers independently; the two enums
 * happen to agree today, so map by name to survive either changing. A W
 * register reads its X register and truncates; zero registers have bits set
 * but no Unicorn id. */
#define A64_GPR(n)                                                                                 \
    [ARM64_REG_X##n] = {UC_ARM64_REG_X##n, 64}, [ARM64_REG_W##n] = {UC_ARM64_REG_X##n, 32}

/* clang-format off */
static const struct {
    uint16_t uc;
    uint8_t bits;
} a64_gprs[ARM64_REG_ENDING] = {
    A64_GPR(0),  A64_GPR(1),  A64_GPR(2),  A64_GPR(3),  A64_GPR(4),  A64_GPR(5),
    A64_GPR(6),  A64_GPR(7),  A64_GPR(8),  A64_GPR(9),  A64_GPR(10), A64_GPR(11),
    A64_GPR(12), A64_GPR(13), A64_GPR(14), A64_GPR(15), A64_GPR(16), A64_GPR(17),
    A64_GPR(18), A64_GPR(19), A64_GPR(20), A64_GPR(21), A64_GPR(22), A64_GPR(23),
    A64_GPR(24), A64_GPR(25), A64_GPR(26), A64_GPR(27), A64_GPR(28), A64_GPR(29),
    A64_GPR(30),
    [ARM64_REG_SP] = {UC_ARM64_REG_SP, 64},
    [ARM64_REG_WSP] = {UC_ARM64_REG_SP, 32},
    [ARM64_REG_XZR] = {UC_ARM64_REG_INVALID, 64},
    [ARM64_REG_WZR] = {UC_ARM64_REG_INVALID, 32},
};
/* clang-format on */

static bool a64_gpr_value(uc_engine *uc, unsigned reg, uint64_t *value)
{
    *value = 0;
    if (reg >= G_N_ELEMENTS(a64_gprs) || a64_gprs[reg].bits == 0)
        return false;
    if (a64_gprs[reg].uc == UC_ARM64_REG_INVALID)
        return true;
    if (!reg_read(uc, a64_gprs[reg].uc, value))
        return false;
    if (a64_gprs[reg].bits == 32)
        *value = (uint32_t)*value;
    return true;
}

/* Capstone id of X<n>, with 31 meaning SP (base registers) or XZR. */
static unsigned a64_xreg(unsigned n, bool is_base)
{
    if (n == 29)
        return ARM64_REG_X29;
    if (n == 30)
        return ARM64_REG_X30;
    if (n == 31)
        return is_base ? ARM64_REG_SP : ARM64_REG_XZR;
    return ARM64_REG_X0 + n;
}

/* Bytes moved by one transfer register. */
static uint32_t a64_reg_bytes(unsigned r)
{
    if ((r >= ARM64_REG_X0 && r <= ARM64_REG_X28) || r == ARM64_REG_X29 || r == ARM64_REG_X30 ||
        r == ARM64_REG_XZR || r == ARM64_REG_SP)
        return 8;
    if ((r >= ARM64_REG_W0 && r <= ARM64_REG_W30) || r == ARM64_REG_WZR || r == ARM64_REG_WSP)
        return 4;
    if (r >= ARM64_REG_B0 && r <= ARM64_REG_B31)
        return 1;
    if (r >= ARM64_REG_H0 && r <= ARM64_REG_H31)
        return 2;
    if (r >= ARM64_REG_S0 && r <= ARM64_REG_S31)
        return 4;
    if (r >= ARM64_REG_D0 && r <= ARM64_REG_D31)
        return 8;
    if ((r >= ARM64_REG_Q0 && r <= ARM64_REG_Q31) || (r >= ARM64_REG_V0 && r <= ARM64_REG_V31))
        return 16;
    return 0;
}

static uint32_t a64_vas_elem_bytes(arm64_vas vas)
{
    switch (vas) {
    case ARM64_VAS_8B:
    case ARM64_VAS_16B:
        return 1;
    case ARM64_VAS_4H:
    case ARM64_VAS_8H:
        return 2;
    case ARM64_VAS_2S:
    case ARM64_VAS_4S:
        return 4;
    case ARM64_VAS_1D:
    case ARM64_VAS_2D:
        return 8;
    case ARM64_VAS_1Q:
        return 16;
    default:
        return 0;
    }
}

static uint32_t a64_vas_reg_bytes(arm64_vas vas)
{
    switch (vas) {
    case ARM64_VAS_8B:
    case ARM64_VAS_4H:
    case ARM64_VAS_2S:
    case ARM64_VAS_1D:
        return 8;
    case ARM64_VAS_INVALID:
        return 0;
    default:
        return 16;
    }
}

static uint32_t a64_vess_bytes(arm64_vess vess)
{
    switch (vess) {
    case ARM64_VESS_B:
        return 1;
    case ARM64_VESS_H:
        return 2;
    case ARM64_VESS_S:
        return 4;
    case ARM64_VESS_D:
        return 8;
    default:
        return 0;
    }
}

/* DC ZVA zeroes one DCZID_EL0-sized block; 64 bytes on every QEMU model. */
static uint32_t a64_zva_block(uc_engine *uc)
{
    uc_arm64_cp_reg reg = {.op0 = 3, .op1 = 3, .crn = 0, .crm = 0, .op2 = 7};
    if (uc && uc_reg_read(uc, UC_ARM64_REG_CP_REG, &reg) == UC_ERR_OK)
        return 4u << (reg.val & 0xf);
    return 64;
}

/* Bytes moved by an LDn/STn structure instruction: the registers listed in
 * front of the address, a whole register each, or one element each for the
 * single-lane and replicating forms. */
static uint32_t a64_struct_bytes(const cs_insn *insn, int mem_idx)
{
    const cs_arm64 *d = &insn->detail->arm64;
    uint32_t total = 0;
    bool replicate = has_suffix(insn->mnemonic, "r");
    for (int i = 0; i < mem_idx; i++) {
        const cs_arm64_op *op = &d->operands[i];
        if (op->type != ARM64_OP_REG)
            continue;
        if (op->vector_index >= 0 || op->vess != ARM64_VESS_INVALID)
            total += a64_vess_bytes(op->vess);
        else if (replicate)
            total += a64_vas_elem_bytes(op->vas);
        else
            total += a64_vas_reg_bytes(op->vas);
    }
    return total;
}

/* Bytes moved by a scalar load/store: the transfer register in front of the
 * address (status registers of store-exclusives come earlier), doubled for
 * pairs, narrowed by the b/h/sw mnemonic suffixes. */
static uint32_t a64_scalar_bytes(const cs_insn *insn, int addr_idx)
{
    const cs_arm64 *d = &insn->detail->arm64;
    const char *mn = insn->mnemonic;
    uint32_t elem = 0;
    if (addr_idx > 0 && d->operands[addr_idx - 1].type == ARM64_OP_REG)
        elem = a64_reg_bytes(d->operands[addr_idx - 1].reg);
    if (has_suffix(mn, "sw"))
        elem = 4;
    else if (has_suffix(mn, "b"))
        elem = 1;
    else if (has_suffix(mn, "h"))
        elem = 2;
    bool pair = has_suffix(mn, "p") || strcmp(mn, "ldpsw") == 0;
    return pair ? 2 * elem : elem;
}

static void a64_accesses(uc_engine *uc, const cs_insn *insn, sim_insn_info *out)
{
    const cs_arm64 *d = &insn->detail->arm64;
    const char *mn = insn->mnemonic;

    if (strcmp(mn, "dc") == 0) {
        /* Of the cache operations only ZVA stores; QEMU treats the others as
         * no-ops that cannot fault. */
        uint64_t va;
        if (d->op_count == 2 && d->operands[0].type == ARM64_OP_SYS &&
            d->operands[0].sys == ARM64_DC_ZVA && d->operands[1].type == ARM64_OP_REG &&
            a64_gpr_value(uc, d->operands[1].reg, &va)) {
            uint32_t block = a64_zva_block(uc);
            add_access(out, va & ~(uint64_t)(block - 1), block, false, true);
        }
        return;
    }

    /* Capstone 4's per-operand access flags are wrong for many arm64 stores,
     * so the mnemonic decides. Prefetches (prfm, prfum) never fault. */
    bool is_store = has_prefix(mn, "st");
    if (!is_store && !has_prefix(mn, "ld"))
        return;

    int mem_idx = -1;
    for (int i = 0; i < d->op_count; i++) {
        if (d->operands[i].type == ARM64_OP_MEM) {
            mem_idx = i;
            break;
        }
    }

    if (mem_idx < 0) {
        /* Literal loads: Capstone already turned the pc-relative offset into
         * an absolute address because we decode at pc. */
        int last = d->op_count - 1;
        if (last >= 1 && d->operands[last].type == ARM64_OP_IMM &&
            (strcmp(mn, "ldr") == 0 || strcmp(mn, "ldrsw") == 0))
            add_access(out, (uint64_t)d->operands[last].imm, a64_scalar_bytes(insn, last), true,
                       false);
        return;
    }

    const cs_arm64_op *mem = &d->operands[mem_idx];
    uint64_t address;
    if (!a64_gpr_value(uc, mem->mem.base, &address))
        return;
    if (mem->mem.index != ARM64_REG_INVALID) {
        uint64_t index;
        if (!a64_gpr_value(uc, mem->mem.index, &index))
            return;
        switch (mem->ext) {
        case ARM64_EXT_UXTB:
            index = (uint8_t)index;
            break;
        case ARM64_EXT_UXTH:
            index = (uint16_t)index;
            break;
        case ARM64_EXT_UXTW:
            index = (uint32_t)index;
            break;
        case ARM64_EXT_SXTB:
            index = (uint64_t)(int64_t)(int8_t)index;
            break;
        case ARM64_EXT_SXTH:
            index = (uint64_t)(int64_t)(int16_t)index;
            break;
        case ARM64_EXT_SXTW:
            index = (uint64_t)(int64_t)(int32_t)index;
            break;
        default:
            break;
        }
        if (mem->shift.type == ARM64_SFT_LSL && mem->shift.value < 64)
            index <<= mem->shift.value;
        address += index;
    }
    /* Post-index shows up as writeback plus an operand after the address
     * (the immediate or register increment); the access uses the old base.
     * Pre-index has the offset inside the brackets and uses base + offset. */
    bool post_index = d->writeback && mem_idx + 1 < d->op_count;
    if (!post_index)
        address += (uint64_t)(int64_t)mem->mem.disp;

    bool structure = (mn[0] == 'l' || mn[0] == 's') && mn[2] >= '1' && mn[2] <= '4';
    uint32_t size = structure ? a64_struct_bytes(insn, mem_idx) : a64_scalar_bytes(insn, mem_idx);
    add_access(out, address, size, !is_store, is_store);
}

static void a64_gpr_name(char *buf, size_t len, unsigned n, bool is64, bool is_base)
{
    if (n == 31)
        g_strlcpy(buf, is_base ? "sp" : is64 ? "xzr" : "wzr", len);
    else
        g_snprintf(buf, len, "%c%u", is64 ? 'x' : 'w', n);
}

/* Capstone 4 predates ARMv8.1, so the LSE atomics (LD<op>, ST<op>, SWP, CAS,
 * CASP) and v8.3 LDAPR are decoded here; they all address [Xn|SP] with no
 * offset. Taken ahead of Capstone so the result does not depend on which
 * Capstone is installed. */
static bool a64_decode_atomic(uint32_t w, uc_engine *uc, sim_insn_info *out)
{
    static const char *const ld_ops[8] = {"add",  "clr",  "eor",  "set",
                                          "smax", "smin", "umax", "umin"};
    unsigned size = w >> 30, rs = (w >> 16) & 31, rn = (w >> 5) & 31, rt = w & 31;
    const char *sz_sfx = size == 0 ? "b" : size == 1 ? "h" : "";
    bool is64 = size == 3;
    bool is_write = true;
    uint32_t bytes = 1u << size;
    char mn[16], r1[8], r2[8], r3[8], r4[8], base[8], ops[64];

    /* Most instructions are none of these: leave before naming anything. */
    if ((w & 0x3f200c00) != 0x38200000 && (w & 0x3fa07c00) != 0x08a07c00 &&
        (w & 0xbfa07c00) != 0x08207c00)
        return false;
    a64_gpr_name(base, sizeof base, rn, true, true);
    if ((w & 0x3f200c00) == 0x38200000) {
        bool acq = (w >> 23) & 1, rel = (w >> 22) & 1;
        unsigned opc = (w >> 12) & 15; /* o3:opc */
        a64_gpr_name(r1, sizeof r1, rs, is64, false);
        a64_gpr_name(r2, sizeof r2, rt, is64, false);
        if (opc == 12) {
            if (!acq || rel || rs != 31)
                return false;
            g_snprintf(mn, sizeof mn, "ldapr%s", sz_sfx);
            g_snprintf(ops, sizeof ops, "%s, [%s]", r2, base);
            is_write = false;
        } else if (opc == 8) {
            g_snprintf(mn, sizeof mn, "swp%s%s%s", acq ? "a" : "", rel ? "l" : "", sz_sfx);
            g_snprintf(ops, sizeof ops, "%s, %s, [%s]", r1, r2, base);
        } else if (opc < 8 && rt == 31 && !acq) {
            g_snprintf(mn, sizeof mn, "st%s%s%s", ld_ops[opc], rel ? "l" : "", sz_sfx);
            g_snprintf(ops, sizeof ops, "%s, [%s]", r1, base);
        } else if (opc < 8) {
            g_snprintf(mn, sizeof mn, "ld%s%s%s%s", ld_ops[opc], acq ? "a" : "", rel ? "l" : "",
                       sz_sfx);
            g_snprintf(ops, sizeof ops, "%s, %s, [%s]", r1, r2, base);
        } else {
            return false;
        }
    } else if ((w & 0x3fa07c00) == 0x08a07c00) {
        bool acq = (w >> 22) & 1, rel = (w >> 15) & 1;
        a64_gpr_name(r1, sizeof r1, rs, is64, false);
        a64_gpr_name(r2, sizeof r2, rt, is64, false);
        g_snprintf(mn, sizeof mn, "cas%s%s%s", acq ? "a" : "", rel ? "l" : "", sz_sfx);
        g_snprintf(ops, sizeof ops, "%s, %s, [%s]", r1, r2, base);
    } else if ((w & 0xbfa07c00) == 0x08207c00) {
        bool acq = (w >> 22) & 1, rel = (w >> 15) & 1;
        if ((rs & 1) || (rt & 1))
            return false;
        is64 = (w >> 30) & 1;
        bytes = is64 ? 16 : 8;
        a64_gpr_name(r1, sizeof r1, rs, is64, false);
        a64_gpr_name(r2, sizeof r2, rs + 1, is64, false);
        a64_gpr_name(r3, sizeof r3, rt, is64, false);
        a64_gpr_name(r4, sizeof r4, rt + 1, is64, false);
        g_snprintf(mn, sizeof mn, "casp%s%s", acq ? "a" : "", rel ? "l" : "");
        g_snprintf(ops, sizeof ops, "%s, %s, %s, %s, [%s]", r1, r2, r3, r4, base);
    } else {
        return false;
    }

    out->decoded = true;
    out->length = 4;
    set_text(out, mn, ops);
    uint64_t address;
    if (a64_gpr_value(uc, a64_xreg(rn, true), &address))
        add_access(out, address, bytes, true, is_write);
    return true;
}

/* ------------------------------------------------------------------------ */
/* x86-64                                                                    */

#define X86_GPR(r64, r32, r16)                                                                     \
    [X86_REG_##r64] = {UC_X86_REG_##r64, 64}, [X86_REG_##r32] = {UC_X86_REG_##r64, 32},            \
    [X86_REG_##r16] = {UC_X86_REG_##r64, 16}

/* Address and bit-offset registers, mapped by name for the same reason as
 * on arm64; narrower registers read the full one and truncate. */
static const struct {
    uint16_t uc;
    uint8_t bits;
} x86_gprs[X86_REG_ENDING] = {
    X86_GPR(RAX, EAX, AX),
    X86_GPR(RBX, EBX, BX),
    X86_GPR(RCX, ECX, CX),
    X86_GPR(RDX, EDX, DX),
    X86_GPR(RSI, ESI, SI),
    X86_GPR(RDI, EDI, DI),
    X86_GPR(RBP, EBP, BP),
    X86_GPR(RSP, ESP, SP),
    X86_GPR(R8, R8D, R8W),
    X86_GPR(R9, R9D, R9W),
    X86_GPR(R10, R10D, R10W),
    X86_GPR(R11, R11D, R11W),
    X86_GPR(R12, R12D, R12W),
    X86_GPR(R13, R13D, R13W),
    X86_GPR(R14, R14D, R14W),
    X86_GPR(R15, R15D, R15W),
    /* The "no index" pseudo-registers of SIB encodings. */
    [X86_REG_RIZ] = {UC_X86_REG_INVALID, 64},
    [X86_REG_EIZ] = {UC_X86_REG_INVALID, 32},
};

static bool x86_gpr_value(uc_engine *uc, unsigned reg, uint64_t *value)
{
    *value = 0;
    if (reg >= G_N_ELEMENTS(x86_gprs) || x86_gprs[reg].bits == 0)
        return false;
    if (x86_gprs[reg].uc == UC_X86_REG_INVALID)
        return true;
    if (!reg_read(uc, x86_gprs[reg].uc, value))
        return false;
    if (x86_gprs[reg].bits == 32)
        *value = (uint32_t)*value;
    else if (x86_gprs[reg].bits == 16)
        *value = (uint16_t)*value;
    return true;
}

static bool x86_segment_base(uc_engine *uc, unsigned seg, uint64_t *base)
{
    /* In 64-bit mode only FS and GS have a base. */
    *base = 0;
    if (seg == X86_REG_FS)
        return reg_read(uc, UC_X86_REG_FS_BASE, base);
    if (seg == X86_REG_GS)
        return reg_read(uc, UC_X86_REG_GS_BASE, base);
    return true;
}

static uint64_t x86_wrap(const cs_x86 *d, uint64_t address)
{
    return d->addr_size == 4 ? (uint32_t)address : d->addr_size == 2 ? (uint16_t)address : address;
}

static bool x86_effective_address(uc_engine *uc, const cs_insn *insn, const x86_op_mem *m,
                                  uint64_t next_pc, uint64_t *out)
{
    const cs_x86 *d = &insn->detail->x86;
    uint64_t address = (uint64_t)m->disp, v, seg;
    if (m->base == X86_REG_RIP || m->base == X86_REG_EIP) {
        address += next_pc;
    } else if (m->base != X86_REG_INVALID) {
        if (!x86_gpr_value(uc, m->base, &v))
            return false;
        address += v;
    }
    if (m->index != X86_REG_INVALID) {
        /* Vector (VSIB) indexes of gathers/scatters are not followed: there
         * is one address per lane. */
        if (!x86_gpr_value(uc, m->index, &v))
            return false;
        address += v * (uint64_t)(m->scale ? m->scale : 1);
    }
    if (!x86_segment_base(uc, m->segment, &seg))
        return false;
    *out = x86_wrap(d, address) + seg;
    return true;
}

/* Instructions whose memory operand is only an address. */
static bool x86_no_access(unsigned id)
{
    switch (id) {
    case X86_INS_LEA:
    case X86_INS_NOP:
    case X86_INS_PREFETCH:
    case X86_INS_PREFETCHNTA:
    case X86_INS_PREFETCHT0:
    case X86_INS_PREFETCHT1:
    case X86_INS_PREFETCHT2:
    case X86_INS_PREFETCHW:
    case X86_INS_CLFLUSH:
    case X86_INS_CLFLUSHOPT:
    case X86_INS_CLWB:
        return true;
    default:
        return false;
    }
}

/* Two-operand instructions whose first (memory) operand is only read. */
static bool x86_reads_first_operand(unsigned id)
{
    switch (id) {
    case X86_INS_CMP:
    case X86_INS_TEST:
    case X86_INS_BT:
    case X86_INS_CMPSB:
    case X86_INS_CMPSW:
    case X86_INS_CMPSD:
    case X86_INS_CMPSQ:
        return true;
    default:
        return false;
    }
}

/* Single-operand stores that Capstone 4 flags as reads. */
static bool x86_pure_store(unsigned id)
{
    switch (id) {
    case X86_INS_FST:
    case X86_INS_FSTP:
    case X86_INS_FIST:
    case X86_INS_FISTP:
    case X86_INS_FISTTP:
    case X86_INS_FBSTP:
    case X86_INS_FNSTCW:
    case X86_INS_FNSTSW:
    case X86_INS_FNSTENV:
    case X86_INS_FNSAVE:
    case X86_INS_STMXCSR:
    case X86_INS_VSTMXCSR:
    case X86_INS_FXSAVE:
    case X86_INS_FXSAVE64:
    case X86_INS_XSAVE:
    case X86_INS_XSAVE64:
    case X86_INS_XSAVEOPT:
    case X86_INS_XSAVEOPT64:
    case X86_INS_XSAVEC:
    case X86_INS_XSAVEC64:
    case X86_INS_XSAVES:
    case X86_INS_XSAVES64:
        return true;
    default:
        return false;
    }
}

/* Moves (and port input) only write their destination, which Capstone 4
 * often flags as read too. */
static bool x86_move_like(const char *mnemonic)
{
    static const char *const prefixes[] = {
        "mov",       "vmov",       "vpmov",     "pextr",     "vpextr",
        "extractps", "vextract",   "vmaskmov",  "vpmaskmov", "vpscatter",
        "vscatter",  "vpcompress", "vcompress", "vcvtps2ph", "ins",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(prefixes); i++)
        if (has_prefix(mnemonic, prefixes[i]))
            return true;
    return false;
}

/* Loads whose source Capstone 4 flags as written. */
static bool x86_pure_load(unsigned id)
{
    switch (id) {
    case X86_INS_FRSTOR:
    case X86_INS_FLDENV:
    case X86_INS_FLDCW:
    case X86_INS_LDMXCSR:
    case X86_INS_VLDMXCSR:
    case X86_INS_FXRSTOR:
    case X86_INS_FXRSTOR64:
    case X86_INS_XRSTOR:
    case X86_INS_XRSTOR64:
    case X86_INS_XRSTORS:
    case X86_INS_XRSTORS64:
        return true;
    default:
        return false;
    }
}

/* Capstone 4 sizes these state areas as a pointer. */
static uint32_t x86_area_bytes(unsigned id, uint32_t capstone_size)
{
    switch (id) {
    case X86_INS_FXSAVE:
    case X86_INS_FXSAVE64:
    case X86_INS_FXRSTOR:
    case X86_INS_FXRSTOR64:
        return 512;
    case X86_INS_FNSAVE:
    case X86_INS_FRSTOR:
        return 108;
    case X86_INS_FNSTENV:
    case X86_INS_FLDENV:
        return 28;
    case X86_INS_XSAVE:
    case X86_INS_XSAVE64:
    case X86_INS_XSAVEOPT:
    case X86_INS_XSAVEOPT64:
    case X86_INS_XSAVEC:
    case X86_INS_XSAVEC64:
    case X86_INS_XSAVES:
    case X86_INS_XSAVES64:
    case X86_INS_XRSTOR:
    case X86_INS_XRSTOR64:
    case X86_INS_XRSTORS:
    case X86_INS_XRSTORS64:
        return X86_XSAVE_MAX_BYTES;
    default:
        return capstone_size;
    }
}

static unsigned x86_prefix_segment(const cs_x86 *d)
{
    return d->prefix[1] == X86_PREFIX_FS   ? X86_REG_FS
           : d->prefix[1] == X86_PREFIX_GS ? X86_REG_GS
                                           : X86_REG_INVALID;
}

/* The explicit memory operands, in operand order. */
static void x86_explicit_accesses(uc_engine *uc, const cs_insn *insn, uint64_t next_pc,
                                  uint32_t stack_bytes, sim_insn_info *out)
{
    const cs_x86 *d = &insn->detail->x86;
    unsigned id = insn->id;
    if (x86_no_access(id))
        return;
    for (int i = 0; i < d->op_count; i++) {
        const cs_x86_op *op = &d->operands[i];
        if (op->type != X86_OP_MEM)
            continue;
        uint64_t address;
        if (!x86_effective_address(uc, insn, &op->mem, next_pc, &address))
            continue;
        uint32_t size = x86_area_bytes(id, op->size);
        bool is_read = (op->access & CS_AC_READ) || !(op->access & CS_AC_WRITE);
        bool is_write = (op->access & CS_AC_WRITE) != 0;

        /* In Intel order a memory first operand with a source after it is the
         * destination; Capstone 4 misses that for rol, cmpxchg, movq, movnti,
         * movbe, pextr, ins... */
        if (i == 0 && d->op_count >= 2 && !x86_reads_first_operand(id))
            is_write = true;
        if (id == X86_INS_CMPXCHG8B || id == X86_INS_CMPXCHG16B || id == X86_INS_CMPXCHG)
            is_read = is_write = true;
        if (i == 0 && is_write && x86_move_like(insn->mnemonic))
            is_read = false;
        if (x86_pure_store(id))
            is_read = false, is_write = true;
        if (x86_pure_load(id))
            is_read = true, is_write = false;

        /* A register bit offset can select a bit outside the operand; the
         * CPU moves the address by whole operands (as QEMU computes it). */
        if ((id == X86_INS_BT || id == X86_INS_BTS || id == X86_INS_BTR || id == X86_INS_BTC) &&
            i == 0 && d->op_count == 2 && d->operands[1].type == X86_OP_REG && size >= 2) {
            uint64_t bit;
            if (!x86_gpr_value(uc, d->operands[1].reg, &bit))
                continue;
            unsigned shift = size == 2 ? 1 : size == 4 ? 2 : 3;
            int64_t sbit = size == 2 ? (int16_t)bit : size == 4 ? (int32_t)bit : (int64_t)bit;
            uint64_t seg = 0;
            x86_segment_base(uc, op->mem.segment, &seg);
            uint64_t offset = (uint64_t)((sbit >> (3 + shift)) * (int64_t)size);
            address = x86_wrap(d, address - seg + offset) + seg;
        }
        /* pop to an rsp-based operand addresses it after the increment. */
        if (id == X86_INS_POP && (op->mem.base == X86_REG_RSP || op->mem.base == X86_REG_ESP))
            address = x86_wrap(d, address + stack_bytes);

        add_access(out, address, size, is_read, is_write);
    }
}

static void x86_accesses(uc_engine *uc, const cs_insn *insn, uint64_t pc, sim_insn_info *out)
{
    const cs_x86 *d = &insn->detail->x86;
    uint64_t next_pc = pc + insn->size;
    /* Push and pop move 8 bytes in long mode unless 0x66 narrows them. */
    uint32_t stack_bytes = d->prefix[2] == X86_PREFIX_OPSIZE ? 2 : 8;
    uint64_t rsp = 0, rax, v, seg;
    /* Only the stack instructions need it: the rest skip the read. */
    bool have_rsp = false;
    switch (insn->id) {
    case X86_INS_POP:
    case X86_INS_POPF:
    case X86_INS_POPFQ:
    case X86_INS_RET:
    case X86_INS_RETF:
    case X86_INS_RETFQ:
    case X86_INS_PUSH:
    case X86_INS_PUSHF:
    case X86_INS_PUSHFQ:
    case X86_INS_CALL:
    case X86_INS_ENTER:
        have_rsp = reg_read(uc, UC_X86_REG_RSP, &rsp);
        break;
    default:
        break;
    }

    switch (insn->id) {
    case X86_INS_POP:
    case X86_INS_POPF:
    case X86_INS_POPFQ:
        /* The stack read comes before the store of a memory destination. */
        if (have_rsp)
            add_access(out, rsp, stack_bytes, true, false);
        x86_explicit_accesses(uc, insn, next_pc, stack_bytes, out);
        return;
    case X86_INS_RET:
    case X86_INS_RETF:
    case X86_INS_RETFQ:
        if (have_rsp)
            add_access(out, rsp, 8, true, false);
        return;
    case X86_INS_LEAVE:
        if (reg_read(uc, UC_X86_REG_RBP, &v))
            add_access(out, v, stack_bytes, true, false);
        return;
    default:
        break;
    }

    x86_explicit_accesses(uc, insn, next_pc, stack_bytes, out);

    switch (insn->id) {
    case X86_INS_PUSH:
    case X86_INS_PUSHF:
    case X86_INS_PUSHFQ:
        if (have_rsp)
            add_access(out, rsp - stack_bytes, stack_bytes, false, true);
        break;
    case X86_INS_CALL:
    case X86_INS_ENTER:
        if (have_rsp)
            add_access(out, rsp - 8, 8, false, true);
        break;
    case X86_INS_XLATB:
        if (x86_gpr_value(uc, d->addr_size == 4 ? X86_REG_EBX : X86_REG_RBX, &v) &&
            reg_read(uc, UC_X86_REG_RAX, &rax) && x86_segment_base(uc, x86_prefix_segment(d), &seg))
            add_access(out, x86_wrap(d, v + (uint8_t)rax) + seg, 1, true, false);
        break;
    case X86_INS_MASKMOVDQU:
    case X86_INS_VMASKMOVDQU:
        if (x86_gpr_value(uc, d->addr_size == 4 ? X86_REG_EDI : X86_REG_RDI, &v) &&
            x86_segment_base(uc, x86_prefix_segment(d), &seg))
            add_access(out, v + seg, 16, false, true);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------------ */
/* Entry points                                                              */

/* An engine of the other architecture would read unrelated registers. */
static uc_engine *engine_for(sim_isa isa, uc_engine *uc)
{
    size_t arch = 0;
    if (!uc || uc_query(uc, UC_QUERY_ARCH, &arch) != UC_ERR_OK)
        return NULL;
    return arch == (isa == SIM_ISA_ARM64 ? UC_ARCH_ARM64 : UC_ARCH_X86) ? uc : NULL;
}

bool sim_insn_decode(sim_isa isa, uc_engine *uc, const uint8_t *code, size_t code_len, uint64_t pc,
                     sim_insn_info *out)
{
    /* Not a memset: this runs at every traced fault, and the access slots
     * past n_access are never read. */
    out->decoded = false;
    out->text[0] = '\0';
    out->length = 0;
    out->n_access = 0;
    uc = engine_for(isa, uc);

    uint32_t w = 0;
    bool a64_word = isa == SIM_ISA_ARM64 && code && code_len >= 4;
    if (a64_word) {
        w = (uint32_t)code[0] | (uint32_t)code[1] << 8 | (uint32_t)code[2] << 16 |
            (uint32_t)code[3] << 24;
        if (a64_decode_atomic(w, uc, out))
            return true;
    }

    if (!code || code_len == 0) {
        g_strlcpy(out->text, "(bad)", sizeof out->text);
        return false;
    }
    g_mutex_lock(&cs_lock);
    const decoded *d = decoded_find(isa, pc, code, code_len);
    if (!d) {
        csh handle;
        cs_insn *insn;
        const uint8_t *p = code;
        size_t left = code_len;
        uint64_t address = pc;
        if (engine_get(isa, &handle, &insn) && cs_disasm_iter(handle, &p, &left, &address, insn)) {
            set_text(out, insn->mnemonic, insn->op_str);
            d = decoded_keep(isa, pc, insn, out->text);
        }
    }
    if (d) {
        out->decoded = true;
        out->length = d->insn.size;
        memcpy(out->text, d->text, sizeof out->text);
        if (isa == SIM_ISA_ARM64)
            a64_accesses(uc, &d->insn, out);
        else
            x86_accesses(uc, &d->insn, pc, out);
    }
    g_mutex_unlock(&cs_lock);
    if (!out->decoded) {
        /* Printed only now: formatting it costs more than a kept decode. */
        if (a64_word) {
            g_snprintf(out->text, sizeof out->text, ".word 0x%08x", w);
            out->length = 4;
        } else {
            g_strlcpy(out->text, "(bad)", sizeof out->text);
        }
    }
    return out->decoded;
}

/* Inclusive end, saturating so a range at the top of the address space
 * does not wrap to zero. */
static uint64_t range_last(uint64_t start, uint64_t size)
{
    uint64_t n = size ? size - 1 : 0;
    return start > UINT64_MAX - n ? UINT64_MAX : start + n;
}

uint64_t sim_insn_fault_address(const sim_insn_info *info, uint64_t fault_page, uint64_t granule,
                                bool is_write, bool is_fetch, uint64_t pc, bool *exact)
{
    bool dummy;
    if (!exact)
        exact = &dummy;
    *exact = false;
    if (granule == 0)
        granule = 1;
    uint64_t page = fault_page - fault_page % granule;
    uint64_t page_last = range_last(page, granule);

    if (is_fetch) {
        /* The instruction is at pc, or started before the page and runs
         * into it (x86 up to 15 bytes; arm64 never crosses a 1 KiB granule). */
        uint64_t len = info && info->decoded && info->length ? info->length : 15;
        if (pc >= page && pc <= page_last) {
            *exact = true;
            return pc;
        }
        if (pc < page && range_last(pc, len) >= page) {
            *exact = true;
            return page;
        }
        return fault_page;
    }
    if (!info)
        return fault_page;

    /* First pass wants the access kind to agree; the second takes any
     * access that reaches the granule. */
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < info->n_access && i < SIM_INSN_MAX_ACCESS; i++) {
            const sim_mem_access *a = &info->access[i];
            if (pass == 0 && !(is_write ? a->is_write : a->is_read))
                continue;
            uint64_t last = range_last(a->address, a->size);
            if (a->address > page_last || last < page)
                continue;
            *exact = true;
            /* An unaligned report is already a byte address. */
            if (fault_page >= a->address && fault_page <= last)
                return fault_page;
            return a->address > page ? a->address : page;
        }
    }
    return fault_page;
}

#include "gdb_regs.h"

#include <string.h>

/* A feature of the target description: GDB checks each of its registers by
 * name, and numbers them in the order they appear across features. */
typedef struct feature {
    const char *name;
    const char *types; /* type definitions the registers use */
    unsigned first, count;
} feature;

typedef struct reg_desc {
    const char *type; /* NULL: a plain integer */
    const char *group;
} reg_desc;

#define X(n)                                                                                       \
    {                                                                                              \
        "x" #n, 8, UC_ARM64_REG_X0 + (n), false                                                    \
    }
#define V(n)                                                                                       \
    {                                                                                              \
        "v" #n, 16, UC_ARM64_REG_V0 + (n), false                                                   \
    }
#define ST(n)                                                                                      \
    {                                                                                              \
        "st" #n, 10, UC_X86_REG_ST0 + (n), true                                                    \
    }
#define XMM(n)                                                                                     \
    {                                                                                              \
        "xmm" #n, 16, UC_X86_REG_XMM0 + (n), false                                                 \
    }

/* GDB's own register order for AArch64: x0-x30, sp, pc, cpsr, then the
 * FP/SIMD registers. */
static const sim_gdb_reg arm64_regs[] = {
    X(0),
    X(1),
    X(2),
    X(3),
    X(4),
    X(5),
    X(6),
    X(7),
    X(8),
    X(9),
    X(10),
    X(11),
    X(12),
    X(13),
    X(14),
    X(15),
    X(16),
    X(17),
    X(18),
    X(19),
    X(20),
    X(21),
    X(22),
    X(23),
    X(24),
    X(25),
    X(26),
    X(27),
    X(28),
    {"x29", 8, UC_ARM64_REG_X29, false},
    {"x30", 8, UC_ARM64_REG_X30, false},
    {"sp", 8, UC_ARM64_REG_SP, false},
    {"pc", 8, UC_ARM64_REG_PC, false},
    {"cpsr", 4, UC_ARM64_REG_PSTATE, false},
    V(0),
    V(1),
    V(2),
    V(3),
    V(4),
    V(5),
    V(6),
    V(7),
    V(8),
    V(9),
    V(10),
    V(11),
    V(12),
    V(13),
    V(14),
    V(15),
    V(16),
    V(17),
    V(18),
    V(19),
    V(20),
    V(21),
    V(22),
    V(23),
    V(24),
    V(25),
    V(26),
    V(27),
    V(28),
    V(29),
    V(30),
    V(31),
    {"fpsr", 4, UC_ARM64_REG_FPSR, false},
    {"fpcr", 4, UC_ARM64_REG_FPCR, false},
};

/* GDB's order for amd64: the general registers, rip, eflags, the segment
 * selectors, the x87 stack and its control words (org.gnu.gdb.i386.core
 * must hold all 40), then SSE, then the segment bases. */
static const sim_gdb_reg x86_regs[] = {
    {"rax", 8, UC_X86_REG_RAX, false},
    {"rbx", 8, UC_X86_REG_RBX, false},
    {"rcx", 8, UC_X86_REG_RCX, false},
    {"rdx", 8, UC_X86_REG_RDX, false},
    {"rsi", 8, UC_X86_REG_RSI, false},
    {"rdi", 8, UC_X86_REG_RDI, false},
    {"rbp", 8, UC_X86_REG_RBP, false},
    {"rsp", 8, UC_X86_REG_RSP, false},
    {"r8", 8, UC_X86_REG_R8, false},
    {"r9", 8, UC_X86_REG_R9, false},
    {"r10", 8, UC_X86_REG_R10, false},
    {"r11", 8, UC_X86_REG_R11, false},
    {"r12", 8, UC_X86_REG_R12, false},
    {"r13", 8, UC_X86_REG_R13, false},
    {"r14", 8, UC_X86_REG_R14, false},
    {"r15", 8, UC_X86_REG_R15, false},
    {"rip", 8, UC_X86_REG_RIP, false},
    {"eflags", 4, UC_X86_REG_EFLAGS, false},
    /* Loading a selector in 64-bit mode can fault: the user does not
     * change them from the debugger. */
    {"cs", 4, UC_X86_REG_CS, true},
    {"ss", 4, UC_X86_REG_SS, true},
    {"ds", 4, UC_X86_REG_DS, true},
    {"es", 4, UC_X86_REG_ES, true},
    {"fs", 4, UC_X86_REG_FS, true},
    {"gs", 4, UC_X86_REG_GS, true},
    ST(0),
    ST(1),
    ST(2),
    ST(3),
    ST(4),
    ST(5),
    ST(6),
    ST(7),
    {"fctrl", 4, UC_X86_REG_FPCW, true},
    {"fstat", 4, UC_X86_REG_FPSW, true},
    {"ftag", 4, UC_X86_REG_FPTAG, true},
    {"fiseg", 4, UC_X86_REG_FCS, true},
    {"fioff", 4, UC_X86_REG_FIP, true},
    {"foseg", 4, UC_X86_REG_FDS, true},
    {"fooff", 4, UC_X86_REG_FDP, true},
    {"fop", 4, UC_X86_REG_FOP, true},
    XMM(0),
    XMM(1),
    XMM(2),
    XMM(3),
    XMM(4),
    XMM(5),
    XMM(6),
    XMM(7),
    XMM(8),
    XMM(9),
    XMM(10),
    XMM(11),
    XMM(12),
    XMM(13),
    XMM(14),
    XMM(15),
    {"mxcsr", 4, UC_X86_REG_MXCSR, false},
    {"fs_base", 8, UC_X86_REG_FS_BASE, false},
    {"gs_base", 8, UC_X86_REG_GS_BASE, false},
};

/* Types by register name; everything else is a plain integer. */
static reg_desc desc_of(const char *name)
{
    static const struct {
        const char *name;
        reg_desc d;
    } special[] = {
        {"sp", {"data_ptr", NULL}},  {"pc", {"code_ptr", NULL}},  {"cpsr", {"cpsr_flags", NULL}},
        {"fpsr", {NULL, "float"}},   {"fpcr", {NULL, "float"}},   {"rbp", {"data_ptr", NULL}},
        {"rsp", {"data_ptr", NULL}}, {"rip", {"code_ptr", NULL}}, {"eflags", {"i386_eflags", NULL}},
        {"mxcsr", {NULL, "vector"}}, {"fs_base", {"int", NULL}},  {"gs_base", {"int", NULL}},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(special); i++)
        if (strcmp(name, special[i].name) == 0)
            return special[i].d;
    if (g_str_has_prefix(name, "st"))
        return (reg_desc){"i387_ext", NULL};
    if (name[0] == 'f' && name[1] != 's')
        return (reg_desc){NULL, "float"};
    if (g_str_has_prefix(name, "xmm") || (name[0] == 'v' && g_ascii_isdigit(name[1])))
        return (reg_desc){"vec128", NULL};
    return (reg_desc){NULL, NULL};
}

static const char vec128_types[] = "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
                                   "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
                                   "<vector id=\"v2u\" type=\"uint64\" count=\"2\"/>"
                                   "<vector id=\"v4u\" type=\"uint32\" count=\"4\"/>"
                                   "<vector id=\"v8u\" type=\"uint16\" count=\"8\"/>"
                                   "<vector id=\"v16u\" type=\"uint8\" count=\"16\"/>"
                                   "<union id=\"vec128\"><field name=\"d\" type=\"v2d\"/>"
                                   "<field name=\"s\" type=\"v4f\"/>"
                                   "<field name=\"u64\" type=\"v2u\"/>"
                                   "<field name=\"u32\" type=\"v4u\"/>"
                                   "<field name=\"u16\" type=\"v8u\"/>"
                                   "<field name=\"u8\" type=\"v16u\"/>"
                                   "<field name=\"q\" type=\"uint128\"/></union>";

static const char cpsr_type[] = "<flags id=\"cpsr_flags\" size=\"4\">"
                                "<field name=\"V\" start=\"28\" end=\"28\"/>"
                                "<field name=\"C\" start=\"29\" end=\"29\"/>"
                                "<field name=\"Z\" start=\"30\" end=\"30\"/>"
                                "<field name=\"N\" start=\"31\" end=\"31\"/></flags>";

static const char eflags_type[] = "<flags id=\"i386_eflags\" size=\"4\">"
                                  "<field name=\"CF\" start=\"0\" end=\"0\"/>"
                                  "<field name=\"PF\" start=\"2\" end=\"2\"/>"
                                  "<field name=\"AF\" start=\"4\" end=\"4\"/>"
                                  "<field name=\"ZF\" start=\"6\" end=\"6\"/>"
                                  "<field name=\"SF\" start=\"7\" end=\"7\"/>"
                                  "<field name=\"TF\" start=\"8\" end=\"8\"/>"
                                  "<field name=\"IF\" start=\"9\" end=\"9\"/>"
                                  "<field name=\"DF\" start=\"10\" end=\"10\"/>"
                                  "<field name=\"OF\" start=\"11\" end=\"11\"/></flags>";

static const feature arm64_features[] = {
    {"org.gnu.gdb.aarch64.core", cpsr_type, 0, 34},
    {"org.gnu.gdb.aarch64.fpu", vec128_types, 34, 34},
};

static const feature x86_features[] = {
    {"org.gnu.gdb.i386.core", eflags_type, 0, 40},
    {"org.gnu.gdb.i386.sse", vec128_types, 40, 17},
    {"org.gnu.gdb.i386.segments", "", 57, 2},
};

static char *build_xml(const char *arch, const feature *features, size_t nfeatures,
                       const sim_gdb_reg *regs)
{
    GString *s = g_string_new("<?xml version=\"1.0\"?>\n"
                              "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target>\n");
    g_string_append_printf(s, "<architecture>%s</architecture>\n", arch);
    for (size_t f = 0; f < nfeatures; f++) {
        g_string_append_printf(s, "<feature name=\"%s\">\n%s\n", features[f].name,
                               features[f].types);
        for (unsigned i = features[f].first; i < features[f].first + features[f].count; i++) {
            reg_desc d = desc_of(regs[i].name);
            g_string_append_printf(s, "<reg name=\"%s\" bitsize=\"%u\" regnum=\"%u\"", regs[i].name,
                                   regs[i].bytes * 8, i);
            if (d.type)
                g_string_append_printf(s, " type=\"%s\"", d.type);
            if (d.group)
                g_string_append_printf(s, " group=\"%s\"", d.group);
            g_string_append(s, "/>\n");
        }
        g_string_append(s, "</feature>\n");
    }
    g_string_append(s, "</target>\n");
    return g_string_free(s, FALSE);
}

const sim_gdb_regs *sim_gdb_regs_for(const sim_isa_ops *isa)
{
    static sim_gdb_regs arm64, x86;
    static gsize done;
    if (g_once_init_enter(&done)) {
        arm64 = (sim_gdb_regs){
            arm64_regs, G_N_ELEMENTS(arm64_regs),
            build_xml("aarch64", arm64_features, G_N_ELEMENTS(arm64_features), arm64_regs),
            UC_ARM64_REG_NZCV, 33};
        x86 = (sim_gdb_regs){
            x86_regs, G_N_ELEMENTS(x86_regs),
            build_xml("i386:x86-64", x86_features, G_N_ELEMENTS(x86_features), x86_regs), -1, 17};
        g_once_init_leave(&done, 1);
    }
    return isa->isa == SIM_ISA_ARM64 ? &arm64 : &x86;
}

unsigned sim_gdb_regs_bytes(const sim_gdb_regs *r)
{
    unsigned total = 0;
    for (unsigned i = 0; i < r->count; i++)
        total += r->regs[i].bytes;
    return total;
}

/* Unicorn writes a register's natural size into the buffer, at most 16
 * bytes here; the packet takes the low `bytes` of it (the host is
 * little-endian, as both guests are). */
bool sim_gdb_reg_read(const sim_gdb_regs *r, uc_engine *uc, unsigned i, uint8_t *out)
{
    if (i >= r->count)
        return false;
    uint8_t buf[64] = {0};
    if (r->regs[i].uc_reg >= 0)
        uc_reg_read(uc, r->regs[i].uc_reg, buf);
    memcpy(out, buf, r->regs[i].bytes);
    return true;
}

bool sim_gdb_reg_write(const sim_gdb_regs *r, uc_engine *uc, unsigned i, const uint8_t *in)
{
    if (i >= r->count)
        return false;
    const sim_gdb_reg *reg = &r->regs[i];
    if (reg->read_only || reg->uc_reg < 0)
        return true;
    uint8_t buf[64] = {0};
    int id = reg->uc_reg;
    /* arm64: only the condition flags of PSTATE; the rest is the CPU's
     * exception level and masks, which the guest cannot change either. */
    if (i == r->flags_index && r->write_flags_reg >= 0) {
        id = r->write_flags_reg;
        memcpy(buf, in, reg->bytes);
        uint32_t nzcv;
        memcpy(&nzcv, buf, 4);
        nzcv &= 0xf0000000u;
        memcpy(buf, &nzcv, 4);
    } else {
        uc_reg_read(uc, id, buf);
        memcpy(buf, in, reg->bytes);
    }
    return uc_reg_write(uc, id, buf) == UC_ERR_OK;
}

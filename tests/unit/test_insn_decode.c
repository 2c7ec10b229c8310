/* sim/insn_decode: exact fault addresses from decoded memory operands.
 * Encodings come from llvm-mc --triple=aarch64 / x86_64 -show-encoding. */
#include "check_main.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/insn_decode.h"

#define A64_PC 0x400000ull
#define X86_PC 0x401000ull

static uc_engine *uc;

static void a64_setup(void)
{
    ck_assert_int_eq(uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc), UC_ERR_OK);
}

static void x86_setup(void)
{
    ck_assert_int_eq(uc_open(UC_ARCH_X86, UC_MODE_64, &uc), UC_ERR_OK);
}

static void teardown(void)
{
    uc_close(uc);
    uc = NULL;
    /* Each test runs in its own forked child, which must leave no engine
     * behind for the leak checker. */
    sim_insn_decode_shutdown();
}

static void set(int reg, uint64_t value)
{
    ck_assert_int_eq(uc_reg_write(uc, reg, &value), UC_ERR_OK);
}

#define BYTES(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

static sim_insn_info decode_at(sim_isa isa, const uint8_t *code, size_t len, uint64_t pc)
{
    sim_insn_info info;
    bool ok = sim_insn_decode(isa, uc, code, len, pc, &info);
    ck_assert_msg(ok, "undecoded: %s", info.text);
    ck_assert(info.decoded);
    return info;
}

#define A64(...) decode_at(SIM_ISA_ARM64, BYTES(__VA_ARGS__), A64_PC)
#define X86(...) decode_at(SIM_ISA_X86_64, BYTES(__VA_ARGS__), X86_PC)

/* Access i is [addr, addr+size) and writes iff wr. */
#define ck_access(info, i, addr, sz, wr)                                                           \
    do {                                                                                           \
        ck_assert_uint_gt((info).n_access, (i));                                                   \
        ck_assert_msg((info).access[i].address == (uint64_t)(addr),                                \
                      "%s: access %u at %#llx, want %#llx", (info).text, (unsigned)(i),            \
                      (unsigned long long)(info).access[i].address, (unsigned long long)(addr));   \
        ck_assert_uint_eq((info).access[i].size, (sz));                                            \
        ck_assert_int_eq((info).access[i].is_write, (wr));                                         \
    } while (0)

/* The single access of a one-operand instruction. */
#define ck_only(info, addr, sz, wr)                                                                \
    do {                                                                                           \
        ck_assert_uint_eq((info).n_access, 1);                                                     \
        ck_access(info, 0, addr, sz, wr);                                                          \
    } while (0)

/* ======================================================================== */
/* arm64                                                                     */

START_TEST(a64_ldr_str_imm)
{
    set(UC_ARM64_REG_X0, 0x20000);
    set(UC_ARM64_REG_X1, 0x10000);
    sim_insn_info i = A64(0x20, 0x04, 0x40, 0xf9); /* ldr x0, [x1, #8] */
    ck_assert_str_eq(i.text, "ldr x0, [x1, #8]");
    ck_assert_uint_eq(i.length, 4);
    ck_only(i, 0x10008, 8, false);
    ck_assert(i.access[0].is_read);

    i = A64(0x01, 0x04, 0x00, 0xf9); /* str x1, [x0, #8] */
    ck_assert_str_eq(i.text, "str x1, [x0, #8]");
    ck_only(i, 0x20008, 8, true);
    ck_assert(!i.access[0].is_read);
}
END_TEST

START_TEST(a64_narrow_and_signed)
{
    set(UC_ARM64_REG_X1, 0x10000);
    ck_only(A64(0x20, 0x0c, 0x40, 0x39), 0x10003, 1, false); /* ldrb w0, [x1, #3] */
    ck_only(A64(0x20, 0x0c, 0x40, 0x79), 0x10006, 2, false); /* ldrh w0, [x1, #6] */
    ck_only(A64(0x20, 0x04, 0x80, 0x39), 0x10001, 1, false); /* ldrsb x0, [x1, #1] */
    ck_only(A64(0x20, 0x04, 0xc0, 0x79), 0x10002, 2, false); /* ldrsh w0, [x1, #2] */
    ck_only(A64(0x20, 0x04, 0x80, 0xb9), 0x10004, 4, false); /* ldrsw x0, [x1, #4] */
}
END_TEST

START_TEST(a64_unscaled)
{
    set(UC_ARM64_REG_X1, 0x10000);
    ck_only(A64(0x20, 0x80, 0x5f, 0xf8), 0xfff8, 8, false); /* ldur x0, [x1, #-8] */
    ck_only(A64(0x20, 0xd0, 0x1f, 0xb8), 0xfffd, 4, true);  /* stur w0, [x1, #-3] */
    ck_only(A64(0x20, 0xf0, 0x1f, 0x38), 0xffff, 1, true);  /* sturb w0, [x1, #-1] */
    ck_only(A64(0x20, 0xe0, 0x1f, 0x78), 0xfffe, 2, true);  /* sturh w0, [x1, #-2] */
}
END_TEST

START_TEST(a64_register_offset_sxtw)
{
    set(UC_ARM64_REG_X1, 0x10000);
    /* Upper half is junk: sxtw must use only w2 = -2. */
    set(UC_ARM64_REG_X2, 0xdeadbeeffffffffeull);
    sim_insn_info i = A64(0x20, 0xd8, 0x62, 0xf8); /* ldr x0, [x1, w2, sxtw #3] */
    ck_assert_str_eq(i.text, "ldr x0, [x1, w2, sxtw #3]");
    ck_only(i, 0x10000 - 16, 8, false);
    /* strh w0, [x1, w2, sxtw #1] */
    ck_only(A64(0x20, 0xd8, 0x22, 0x78), 0x10000 - 4, 2, true);
}
END_TEST

START_TEST(a64_register_offset_lsl_uxtw)
{
    set(UC_ARM64_REG_X1, 0x10000);
    set(UC_ARM64_REG_X2, 0x100000005ull);
    ck_only(A64(0x20, 0x78, 0x62, 0xf8), 0x10000 + (0x100000005ull << 3), 8,
            false); /* ldr x0, [x1, x2, lsl #3] */
    ck_only(A64(0x20, 0x68, 0x62, 0xb8), 0x10000 + 0x100000005ull, 4, false); /* ldr w0, [x1, x2] */
    ck_only(A64(0x20, 0x48, 0x62, 0x38), 0x10005, 1, false); /* ldrb w0, [x1, w2, uxtw] */
    ck_only(A64(0x20, 0x78, 0x22, 0xb8), 0x10000 + (0x100000005ull << 2), 4,
            true);                                           /* str w0, [x1, x2, lsl #2] */
    ck_only(A64(0x20, 0x48, 0x7f, 0xb8), 0x10000, 4, false); /* ldr w0, [x1, wzr, uxtw] */
}
END_TEST

START_TEST(a64_pre_index)
{
    set(UC_ARM64_REG_X1, 0x10000);
    ck_only(A64(0x20, 0x0c, 0x41, 0xf8), 0x10010, 8, false); /* ldr x0, [x1, #16]! */
    ck_only(A64(0x20, 0x0c, 0x1f, 0xf8), 0xfff0, 8, true);   /* str x0, [x1, #-16]! */
    ck_only(A64(0x20, 0x1c, 0x40, 0x38), 0x10001, 1, false); /* ldrb w0, [x1, #1]! */
}
END_TEST

START_TEST(a64_post_index)
{
    set(UC_ARM64_REG_X1, 0x10000);
    /* The access uses the old base; the increment applies afterwards. */
    ck_only(A64(0x20, 0x04, 0x41, 0xf8), 0x10000, 8, false); /* ldr x0, [x1], #16 */
    ck_only(A64(0x20, 0x04, 0x1f, 0xf8), 0x10000, 8, true);  /* str x0, [x1], #-16 */
}
END_TEST

START_TEST(a64_pairs)
{
    set(UC_ARM64_REG_X2, 0x30000);
    ck_only(A64(0x40, 0x04, 0x41, 0xa9), 0x30010, 16, false); /* ldp x0, x1, [x2, #16] */
    ck_only(A64(0x40, 0x04, 0x41, 0x29), 0x30008, 8, false);  /* ldp w0, w1, [x2, #8] */
    ck_only(A64(0x40, 0x04, 0x41, 0x69), 0x30008, 8, false);  /* ldpsw x0, x1, [x2, #8] */
    ck_only(A64(0x40, 0x04, 0x41, 0xad), 0x30020, 32, false); /* ldp q0, q1, [x2, #32] */
    ck_only(A64(0x40, 0x04, 0x81, 0x6c), 0x30000, 16, true);  /* stp d0, d1, [x2], #16 */
    ck_only(A64(0x40, 0x04, 0x41, 0xa8), 0x30010, 16, false); /* ldnp x0, x1, [x2, #16] */
}
END_TEST

START_TEST(a64_sp_frame)
{
    set(UC_ARM64_REG_SP, 0x7ff000);
    set(UC_ARM64_REG_X29, 0x7ff100);
    sim_insn_info i = A64(0xfd, 0x7b, 0xbf, 0xa9); /* stp x29, x30, [sp, #-16]! */
    ck_assert_str_eq(i.text, "stp x29, x30, [sp, #-0x10]!");
    ck_only(i, 0x7feff0, 16, true);
    ck_only(A64(0xfd, 0x7b, 0xc1, 0xa8), 0x7ff000, 16, false); /* ldp x29, x30, [sp], #16 */
    ck_only(A64(0xe0, 0x07, 0x40, 0xf9), 0x7ff008, 8, false);  /* ldr x0, [sp, #8] */
    ck_only(A64(0xe0, 0x0b, 0x80, 0x3d), 0x7ff020, 16, true);  /* str q0, [sp, #32] */
    ck_only(A64(0xa0, 0x83, 0x5f, 0xf8), 0x7ff0f8, 8, false);  /* ldur x0, [x29, #-8] */
}
END_TEST

START_TEST(a64_literal)
{
    sim_insn_info i = A64(0x00, 0x08, 0x00, 0x58); /* ldr x0, .+0x100 */
    ck_only(i, A64_PC + 0x100, 8, false);
    ck_only(A64(0x00, 0xf8, 0xff, 0x18), A64_PC - 0x100, 4, false); /* ldr w0, .-0x100 */
    ck_only(A64(0x00, 0x02, 0x00, 0x98), A64_PC + 0x40, 4, false);  /* ldrsw x0, .+0x40 */
    ck_only(A64(0x00, 0x02, 0x00, 0x9c), A64_PC + 0x40, 16, false); /* ldr q0, .+0x40 */
}
END_TEST

START_TEST(a64_exclusive_and_ordered)
{
    set(UC_ARM64_REG_X1, 0x10000);
    set(UC_ARM64_REG_X2, 0x20000);
    ck_only(A64(0x20, 0x7c, 0x5f, 0xc8), 0x10000, 8, false);  /* ldxr x0, [x1] */
    ck_only(A64(0x20, 0x7c, 0x02, 0xc8), 0x10000, 8, true);   /* stxr w2, x0, [x1] */
    ck_only(A64(0x20, 0xfc, 0x5f, 0x88), 0x10000, 4, false);  /* ldaxr w0, [x1] */
    ck_only(A64(0x20, 0xfc, 0x9f, 0xc8), 0x10000, 8, true);   /* stlr x0, [x1] */
    ck_only(A64(0x20, 0xfc, 0xdf, 0x88), 0x10000, 4, false);  /* ldar w0, [x1] */
    ck_only(A64(0x40, 0x04, 0x7f, 0xc8), 0x20000, 16, false); /* ldxp x0, x1, [x2] */
    ck_only(A64(0x40, 0x04, 0x23, 0xc8), 0x20000, 16, true);  /* stxp w3, x0, x1, [x2] */
}
END_TEST

START_TEST(a64_lse_atomics)
{
    set(UC_ARM64_REG_X1, 0x10000);
    set(UC_ARM64_REG_X2, 0x20000);
    set(UC_ARM64_REG_X4, 0x40000);
    sim_insn_info i = A64(0x41, 0x00, 0x20, 0xf8); /* ldadd x0, x1, [x2] */
    ck_assert_str_eq(i.text, "ldadd x0, x1, [x2]");
    ck_only(i, 0x20000, 8, true);
    ck_assert(i.access[0].is_read);

    i = A64(0x41, 0x00, 0xe0, 0xb8);
    ck_assert_str_eq(i.text, "ldaddal w0, w1, [x2]");
    ck_only(i, 0x20000, 4, true);

    i = A64(0x41, 0x80, 0x20, 0xf8);
    ck_assert_str_eq(i.text, "swp x0, x1, [x2]");
    ck_only(i, 0x20000, 8, true);

    i = A64(0x41, 0x7c, 0xa0, 0xc8);
    ck_assert_str_eq(i.text, "cas x0, x1, [x2]");
    ck_only(i, 0x20000, 8, true);

    i = A64(0x82, 0x7c, 0x20, 0x48);
    ck_assert_str_eq(i.text, "casp x0, x1, x2, x3, [x4]");
    ck_only(i, 0x40000, 16, true);

    i = A64(0x5f, 0x00, 0x20, 0xf8);
    ck_assert_str_eq(i.text, "stadd x0, [x2]");
    ck_only(i, 0x20000, 8, true);

    i = A64(0x20, 0xc0, 0xbf, 0x38);
    ck_assert_str_eq(i.text, "ldaprb w0, [x1]");
    ck_only(i, 0x10000, 1, false);
}
END_TEST

START_TEST(a64_fp_simd_scalar)
{
    set(UC_ARM64_REG_X1, 0x10000);
    ck_only(A64(0x20, 0x04, 0xc0, 0x3d), 0x10010, 16, false); /* ldr q0, [x1, #16] */
    ck_only(A64(0x20, 0x04, 0x40, 0xfd), 0x10008, 8, false);  /* ldr d0, [x1, #8] */
    ck_only(A64(0x20, 0x04, 0x40, 0xbd), 0x10004, 4, false);  /* ldr s0, [x1, #4] */
    ck_only(A64(0x20, 0x04, 0x40, 0x7d), 0x10002, 2, false);  /* ldr h0, [x1, #2] */
    ck_only(A64(0x20, 0x04, 0x40, 0x3d), 0x10001, 1, false);  /* ldr b0, [x1, #1] */
}
END_TEST

START_TEST(a64_simd_structures)
{
    set(UC_ARM64_REG_X0, 0x50000);
    set(UC_ARM64_REG_X2, 0x999);
    ck_only(A64(0x00, 0x70, 0x40, 0x4c), 0x50000, 16, false); /* ld1 {v0.16b}, [x0] */
    ck_only(A64(0x00, 0xa0, 0x40, 0x4c), 0x50000, 32, false); /* ld1 {v0.16b, v1.16b}, [x0] */
    sim_insn_info i = A64(0x00, 0x28, 0xdf, 0x4c);            /* ld1 {v0.4s-v3.4s}, [x0], #64 */
    ck_assert_str_eq(i.text, "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [x0], #0x40");
    ck_only(i, 0x50000, 64, false);
    ck_only(A64(0x00, 0xac, 0x82, 0x4c), 0x50000, 32, true);  /* st1 {v0.2d, v1.2d}, [x0], x2 */
    ck_only(A64(0x00, 0x70, 0x40, 0x0c), 0x50000, 8, false);  /* ld1 {v0.8b}, [x0] */
    ck_only(A64(0x00, 0x04, 0x00, 0x4c), 0x50000, 64, true);  /* st4 {v0.8h-v3.8h}, [x0] */
    ck_only(A64(0x00, 0x88, 0x40, 0x4c), 0x50000, 32, false); /* ld2 {v0.4s, v1.4s}, [x0] */
}
END_TEST

START_TEST(a64_simd_single_element)
{
    set(UC_ARM64_REG_X0, 0x50000);
    ck_only(A64(0x00, 0x90, 0x40, 0x0d), 0x50000, 4, false); /* ld1 {v0.s}[1], [x0] */
    ck_only(A64(0x00, 0xc8, 0x40, 0x4d), 0x50000, 4, false); /* ld1r {v0.4s}, [x0] */
}
END_TEST

START_TEST(a64_dc_zva_and_prefetch)
{
    set(UC_ARM64_REG_X0, 0x50038);
    sim_insn_info i = A64(0x20, 0x74, 0x0b, 0xd5); /* dc zva, x0 */
    ck_assert_str_eq(i.text, "dc zva, x0");
    ck_only(i, 0x50000, 64, true);
    /* Prefetches cannot fault, so they report no access. */
    i = A64(0x00, 0x00, 0x80, 0xf9); /* prfm pldl1keep, [x0] */
    ck_assert_uint_eq(i.n_access, 0);
}
END_TEST

START_TEST(a64_no_memory)
{
    sim_insn_info i = A64(0x20, 0x00, 0x02, 0x8b); /* add x0, x1, x2 */
    ck_assert_str_eq(i.text, "add x0, x1, x2");
    ck_assert_uint_eq(i.n_access, 0);
}
END_TEST

START_TEST(a64_undecodable)
{
    sim_insn_info i;
    ck_assert(!sim_insn_decode(SIM_ISA_ARM64, uc, BYTES(0x00, 0x00, 0x00, 0x00), A64_PC, &i));
    ck_assert(!i.decoded);
    ck_assert_str_eq(i.text, ".word 0x00000000");
    ck_assert_uint_eq(i.n_access, 0);
    ck_assert(!sim_insn_decode(SIM_ISA_ARM64, uc, BYTES(0x12, 0x34), A64_PC, &i));
    ck_assert_str_eq(i.text, "(bad)");
}
END_TEST

START_TEST(a64_fault_crossing_1k_granule)
{
    /* 8 bytes at 0x103fc straddle the 1 KiB granule boundary at 0x10400. */
    set(UC_ARM64_REG_X1, 0x103fc);
    sim_insn_info i = A64(0x20, 0x00, 0x00, 0xf9); /* str x0, [x1] */
    ck_only(i, 0x103fc, 8, true);
    bool exact = false;
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x10400, 1024, true, false, A64_PC, &exact),
                      0x10400);
    ck_assert(exact);
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x10000, 1024, true, false, A64_PC, &exact),
                      0x103fc);
    ck_assert(exact);
}
END_TEST

START_TEST(a64_fault_inside_granule)
{
    set(UC_ARM64_REG_X1, 0x10500);
    sim_insn_info i = A64(0x20, 0x04, 0x40, 0xf9); /* ldr x0, [x1, #8] */
    bool exact = false;
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x10400, 1024, false, false, A64_PC, &exact),
                      0x10508);
    ck_assert(exact);
    /* The same access seen through a 4 KiB page. */
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x10000, 4096, false, false, A64_PC, &exact),
                      0x10508);
    ck_assert(exact);
    /* A granule the access does not reach. */
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x10000, 1024, false, false, A64_PC, &exact),
                      0x10000);
    ck_assert(!exact);
}
END_TEST

START_TEST(a64_fault_kind_mismatch)
{
    /* A write fault on a load still lands on its operand, as a fallback. */
    set(UC_ARM64_REG_X1, 0x10500);
    sim_insn_info i = A64(0x20, 0x04, 0x40, 0xf9); /* ldr x0, [x1, #8] */
    bool exact = false;
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x10400, 1024, true, false, A64_PC, &exact),
                      0x10508);
    ck_assert(exact);
}
END_TEST

START_TEST(a64_fault_pair_second_granule)
{
    /* stp x0, x1, [x2, #8] with the pair's second register in the next granule. */
    set(UC_ARM64_REG_X2, 0x107f8);
    sim_insn_info i = A64(0x40, 0x84, 0x00, 0xa9);
    ck_only(i, 0x10800, 16, true);
    set(UC_ARM64_REG_X2, 0x107f0);
    i = A64(0x40, 0x84, 0x00, 0xa9);
    ck_only(i, 0x107f8, 16, true);
    bool exact = false;
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x10800, 1024, true, false, A64_PC, &exact),
                      0x10800);
    ck_assert(exact);
}
END_TEST

START_TEST(a64_without_engine)
{
    /* No registers: only the literal load's address is known. */
    sim_insn_info i;
    ck_assert(sim_insn_decode(SIM_ISA_ARM64, NULL, BYTES(0x00, 0x08, 0x00, 0x58), A64_PC, &i));
    ck_only(i, A64_PC + 0x100, 8, false);
    ck_assert(sim_insn_decode(SIM_ISA_ARM64, NULL, BYTES(0x20, 0x04, 0x40, 0xf9), A64_PC, &i));
    ck_assert_str_eq(i.text, "ldr x0, [x1, #8]");
    ck_assert_uint_eq(i.n_access, 0);
}
END_TEST

/* ======================================================================== */
/* x86-64                                                                    */

START_TEST(x86_base_disp)
{
    set(UC_X86_REG_RBX, 0x20000);
    sim_insn_info i = X86(0x48, 0x8b, 0x43, 0x08); /* mov rax, qword ptr [rbx + 8] */
    ck_assert_str_eq(i.text, "mov rax, qword ptr [rbx + 8]");
    ck_assert_uint_eq(i.length, 4);
    ck_only(i, 0x20008, 8, false);
}
END_TEST

START_TEST(x86_base_index_scale)
{
    set(UC_X86_REG_RBX, 0x20000);
    set(UC_X86_REG_RCX, 3);
    /* mov qword ptr [rbx + rcx*8 - 16], rax */
    ck_only(X86(0x48, 0x89, 0x44, 0xcb, 0xf0), 0x20000 + 24 - 16, 8, true);
    set(UC_X86_REG_R12, 0x30000);
    set(UC_X86_REG_R13, 0x10);
    /* mov qword ptr [r12 + r13*4 + 0x10], r14 */
    ck_only(X86(0x4f, 0x89, 0x74, 0xac, 0x10), 0x30050, 8, true);
}
END_TEST

START_TEST(x86_rip_relative)
{
    /* mov dword ptr [rip + 0x100], 5: rip is the next instruction (10 bytes on). */
    sim_insn_info i = X86(0xc7, 0x05, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00);
    ck_assert_uint_eq(i.length, 10);
    ck_only(i, X86_PC + 10 + 0x100, 4, true);
    /* call qword ptr [rip + 0x2000] reads the target, then pushes. */
    set(UC_X86_REG_RSP, 0x80000);
    i = X86(0xff, 0x15, 0x00, 0x20, 0x00, 0x00);
    ck_assert_uint_eq(i.n_access, 2);
    ck_access(i, 0, X86_PC + 6 + 0x2000, 8, false);
    ck_access(i, 1, 0x80000 - 8, 8, true);
}
END_TEST

START_TEST(x86_segments)
{
    set(UC_X86_REG_FS_BASE, 0x7f0000001000ull);
    set(UC_X86_REG_GS_BASE, 0x7f0000100000ull);
    set(UC_X86_REG_RAX, 0x40);
    /* mov rax, qword ptr fs:[0x28] */
    ck_only(X86(0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0x00, 0x00, 0x00), 0x7f0000001028ull, 8, false);
    /* mov rax, qword ptr gs:[rax + 8] */
    ck_only(X86(0x65, 0x48, 0x8b, 0x40, 0x08), 0x7f0000100048ull, 8, false);
}
END_TEST

START_TEST(x86_absolute)
{
    ck_only(X86(0x8a, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00), 0x1000, 1, false); /* mov al, [0x1000] */
    /* movabs al, byte ptr [0x123456789] */
    ck_only(X86(0xa0, 0x89, 0x67, 0x45, 0x23, 0x01, 0x00, 0x00, 0x00), 0x123456789ull, 1, false);
}
END_TEST

START_TEST(x86_address_size_override)
{
    /* mov eax, dword ptr [ebx + 4]: 32-bit addressing wraps at 4 GiB. */
    set(UC_X86_REG_RBX, 0x1fffffffeull);
    ck_only(X86(0x67, 0x8b, 0x43, 0x04), 0x2, 4, false);
}
END_TEST

START_TEST(x86_read_modify_write)
{
    set(UC_X86_REG_RDI, 0x60000);
    set(UC_X86_REG_RSI, 0x50000);
    sim_insn_info i = X86(0x48, 0x01, 0x07); /* add qword ptr [rdi], rax */
    ck_only(i, 0x60000, 8, true);
    ck_assert(i.access[0].is_read);
    i = X86(0x48, 0x03, 0x07); /* add rax, qword ptr [rdi] */
    ck_only(i, 0x60000, 8, false);
    i = X86(0xff, 0x06); /* inc dword ptr [rsi] */
    ck_only(i, 0x50000, 4, true);
    ck_assert(i.access[0].is_read);
    ck_only(X86(0x80, 0x7f, 0x03, 0x00), 0x60003, 1, false); /* cmp byte ptr [rdi + 3], 0 */
    ck_only(X86(0x48, 0x85, 0x07), 0x60000, 8, false);       /* test qword ptr [rdi], rax */
    ck_only(X86(0xd0, 0x07), 0x60000, 1, true);              /* rol byte ptr [rdi], 1 */
}
END_TEST

START_TEST(x86_atomics)
{
    set(UC_X86_REG_RDI, 0x60000);
    sim_insn_info i = X86(0xf0, 0x48, 0x0f, 0xb1, 0x0f); /* lock cmpxchg [rdi], rcx */
    ck_only(i, 0x60000, 8, true);
    ck_assert(i.access[0].is_read);
    ck_only(X86(0x48, 0x0f, 0xc7, 0x0f), 0x60000, 16, true);      /* cmpxchg16b [rdi] */
    ck_only(X86(0xf0, 0x48, 0x0f, 0xc1, 0x07), 0x60000, 8, true); /* lock xadd [rdi], rax */
    ck_only(X86(0x48, 0x87, 0x07), 0x60000, 8, true);             /* xchg [rdi], rax */
}
END_TEST

START_TEST(x86_push_pop)
{
    set(UC_X86_REG_RSP, 0x80000);
    set(UC_X86_REG_RAX, 0x10000);
    ck_only(X86(0x50), 0x80000 - 8, 8, true);       /* push rax */
    ck_only(X86(0x6a, 0x05), 0x80000 - 8, 8, true); /* push 5 */
    ck_only(X86(0x5b), 0x80000, 8, false);          /* pop rbx */

    sim_insn_info i = X86(0xff, 0x30); /* push qword ptr [rax] */
    ck_assert_uint_eq(i.n_access, 2);
    ck_access(i, 0, 0x10000, 8, false);
    ck_access(i, 1, 0x80000 - 8, 8, true);

    i = X86(0x66, 0xff, 0x30); /* push word ptr [rax] */
    ck_assert_uint_eq(i.n_access, 2);
    ck_access(i, 0, 0x10000, 2, false);
    ck_access(i, 1, 0x80000 - 2, 2, true);
}
END_TEST

START_TEST(x86_pop_to_rsp_relative)
{
    /* pop qword ptr [rsp + 8] addresses its destination after rsp += 8. */
    set(UC_X86_REG_RSP, 0x80000);
    sim_insn_info i = X86(0x8f, 0x44, 0x24, 0x08);
    ck_assert_uint_eq(i.n_access, 2);
    ck_access(i, 0, 0x80000, 8, false);
    ck_access(i, 1, 0x80010, 8, true);
}
END_TEST

START_TEST(x86_call_ret_leave)
{
    set(UC_X86_REG_RSP, 0x80000);
    set(UC_X86_REG_RBP, 0x80100);
    set(UC_X86_REG_RAX, 0x10000);
    ck_only(X86(0xff, 0xd0), 0x80000 - 8, 8, true);                   /* call rax */
    ck_only(X86(0xe8, 0x00, 0x00, 0x00, 0x00), 0x80000 - 8, 8, true); /* call .+5 */
    sim_insn_info i = X86(0xff, 0x50, 0x10); /* call qword ptr [rax + 0x10] */
    ck_assert_uint_eq(i.n_access, 2);
    ck_access(i, 0, 0x10010, 8, false);
    ck_access(i, 1, 0x80000 - 8, 8, true);
    ck_only(X86(0xc3), 0x80000, 8, false);             /* ret */
    ck_only(X86(0xc2, 0x10, 0x00), 0x80000, 8, false); /* ret 16 */
    ck_only(X86(0xc9), 0x80100, 8, false);             /* leave */
    ck_only(X86(0x9c), 0x80000 - 8, 8, true);          /* pushfq */
    ck_only(X86(0x9d), 0x80000, 8, false);             /* popfq */
}
END_TEST

START_TEST(x86_string_ops)
{
    set(UC_X86_REG_RSI, 0x50000);
    set(UC_X86_REG_RDI, 0x60000);
    sim_insn_info i = X86(0x48, 0xa5); /* movsq */
    ck_assert_uint_eq(i.n_access, 2);
    ck_access(i, 0, 0x60000, 8, true);
    ck_access(i, 1, 0x50000, 8, false);
    i = X86(0xf3, 0x48, 0xa5); /* rep movsq: the current element */
    ck_access(i, 0, 0x60000, 8, true);
    ck_access(i, 1, 0x50000, 8, false);
    ck_only(X86(0xf3, 0xaa), 0x60000, 1, true);  /* rep stosb */
    ck_only(X86(0xab), 0x60000, 4, true);        /* stosd */
    ck_only(X86(0x48, 0xad), 0x50000, 8, false); /* lodsq */
    ck_only(X86(0xf2, 0xae), 0x60000, 1, false); /* repne scasb */
    i = X86(0xa6);                               /* cmpsb */
    ck_assert_uint_eq(i.n_access, 2);
    ck_access(i, 0, 0x50000, 1, false);
    ck_access(i, 1, 0x60000, 1, false);
}
END_TEST

START_TEST(x86_string_segment_override)
{
    /* movsb byte ptr [rdi], byte ptr fs:[rsi]: only the source is overridable. */
    set(UC_X86_REG_FS_BASE, 0x100000);
    set(UC_X86_REG_RSI, 0x50);
    set(UC_X86_REG_RDI, 0x60);
    sim_insn_info i = X86(0x64, 0xa4);
    ck_access(i, 0, 0x60, 1, true);
    ck_access(i, 1, 0x100050, 1, false);
}
END_TEST

START_TEST(x86_no_access)
{
    set(UC_X86_REG_RAX, 0x10000);
    set(UC_X86_REG_RBX, 0x20000);
    ck_assert_uint_eq(X86(0x48, 0x8d, 0x43, 0x08).n_access, 0); /* lea rax, [rbx + 8] */
    ck_assert_uint_eq(X86(0x0f, 0x1f, 0x04, 0x00).n_access, 0); /* nop dword ptr [rax + rax] */
    ck_assert_uint_eq(X86(0x0f, 0x18, 0x08).n_access, 0);       /* prefetcht0 [rax] */
    ck_assert_uint_eq(X86(0x0f, 0x05).n_access, 0);             /* syscall */
}
END_TEST

START_TEST(x86_simd)
{
    set(UC_X86_REG_RAX, 0x10000);
    ck_only(X86(0x0f, 0x10, 0x00), 0x10000, 16, false);       /* movups xmm0, [rax] */
    ck_only(X86(0x0f, 0x29, 0x08), 0x10000, 16, true);        /* movaps [rax], xmm1 */
    ck_only(X86(0xc5, 0xfe, 0x6f, 0x00), 0x10000, 32, false); /* vmovdqu ymm0, [rax] */
    /* Capstone 4 flags these stores as reads. */
    sim_insn_info i = X86(0x66, 0x0f, 0xd6, 0x00); /* movq qword ptr [rax], xmm0 */
    ck_only(i, 0x10000, 8, true);
    ck_assert(!i.access[0].is_read);
    ck_only(X86(0x48, 0x0f, 0xc3, 0x00), 0x10000, 8, true); /* movnti [rax], rax */
    ck_only(X86(0xd9, 0x10), 0x10000, 4, true);             /* fst dword ptr [rax] */
}
END_TEST

START_TEST(x86_state_areas)
{
    set(UC_X86_REG_RAX, 0x10000);
    ck_only(X86(0x0f, 0xae, 0x00), 0x10000, 512, true);        /* fxsave [rax] */
    ck_only(X86(0x48, 0x0f, 0xae, 0x08), 0x10000, 512, false); /* fxrstor64 [rax] */
    sim_insn_info i = X86(0x0f, 0xae, 0x20);                   /* xsave [rax] */
    ck_assert_uint_eq(i.n_access, 1);
    ck_assert(i.access[0].is_write);
    ck_assert_uint_ge(i.access[0].size, 576);
}
END_TEST

START_TEST(x86_bit_string)
{
    /* bt qword ptr [rax], rcx: the bit offset moves the address by qwords. */
    set(UC_X86_REG_RAX, 0x10000);
    set(UC_X86_REG_RCX, 100);
    ck_only(X86(0x48, 0x0f, 0xa3, 0x08), 0x10008, 8, false);
    set(UC_X86_REG_RCX, (uint64_t)-1);
    ck_only(X86(0x48, 0x0f, 0xa3, 0x08), 0x10000 - 8, 8, false);
    /* bts dword ptr [rax], ecx with ecx = 33: one dword on, read-modify-write. */
    set(UC_X86_REG_RCX, 0xffffffff00000021ull);
    ck_only(X86(0x0f, 0xab, 0x08), 0x10004, 4, true);
}
END_TEST

START_TEST(x86_xlat_maskmov)
{
    set(UC_X86_REG_RBX, 0x20000);
    set(UC_X86_REG_RAX, 0x12345);
    ck_only(X86(0xd7), 0x20045, 1, false); /* xlatb */
    set(UC_X86_REG_RDI, 0x60000);
    ck_only(X86(0x66, 0x0f, 0xf7, 0xc1), 0x60000, 16, true); /* maskmovdqu xmm0, xmm1 */
}
END_TEST

START_TEST(x86_undecodable)
{
    sim_insn_info i;
    ck_assert(!sim_insn_decode(SIM_ISA_X86_64, uc, BYTES(0xd6), X86_PC, &i));
    ck_assert(!i.decoded);
    ck_assert_str_eq(i.text, "(bad)");
    ck_assert_uint_eq(i.n_access, 0);
    /* A REX prefix with the rest of the instruction missing. */
    ck_assert(!sim_insn_decode(SIM_ISA_X86_64, uc, BYTES(0x48), X86_PC, &i));
    ck_assert(!sim_insn_decode(SIM_ISA_X86_64, uc, NULL, 0, X86_PC, &i));
}
END_TEST

START_TEST(x86_fault_crossing_page)
{
    /* An 8-byte load at 0x5ffc whose second half is in the faulting page. */
    set(UC_X86_REG_RBX, 0x5ff4);
    sim_insn_info i = X86(0x48, 0x8b, 0x43, 0x08); /* mov rax, [rbx + 8] */
    ck_only(i, 0x5ffc, 8, false);
    bool exact = false;
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x6000, 4096, false, false, X86_PC, &exact),
                      0x6000);
    ck_assert(exact);
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x5000, 4096, false, false, X86_PC, &exact),
                      0x5ffc);
    ck_assert(exact);
    /* exact may be omitted. */
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x6000, 4096, false, false, X86_PC, NULL), 0x6000);
}
END_TEST

START_TEST(x86_fault_picks_by_kind)
{
    /* movsq with source and destination in the same page: the kind decides. */
    set(UC_X86_REG_RSI, 0x5010);
    set(UC_X86_REG_RDI, 0x5800);
    sim_insn_info i = X86(0x48, 0xa5);
    bool exact = false;
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x5000, 4096, true, false, X86_PC, &exact),
                      0x5800);
    ck_assert(exact);
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x5000, 4096, false, false, X86_PC, &exact),
                      0x5010);
    ck_assert(exact);
}
END_TEST

START_TEST(x86_fault_push_stack)
{
    /* push qword ptr [rax]: a write fault is the stack slot, a read the operand. */
    set(UC_X86_REG_RSP, 0x80000);
    set(UC_X86_REG_RAX, 0x7ff00);
    sim_insn_info i = X86(0xff, 0x30);
    bool exact = false;
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x7f000, 4096, true, false, X86_PC, &exact),
                      0x7fff8);
    ck_assert(exact);
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x7f000, 4096, false, false, X86_PC, &exact),
                      0x7ff00);
    ck_assert(exact);
}
END_TEST

START_TEST(x86_fault_no_match)
{
    set(UC_X86_REG_RBX, 0x20000);
    sim_insn_info i = X86(0x48, 0x8b, 0x43, 0x08);
    bool exact = true;
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x90000, 4096, false, false, X86_PC, &exact),
                      0x90000);
    ck_assert(!exact);
    exact = true;
    ck_assert_uint_eq(sim_insn_fault_address(NULL, 0x90000, 4096, false, false, X86_PC, &exact),
                      0x90000);
    ck_assert(!exact);
}
END_TEST

START_TEST(x86_fault_unaligned_report)
{
    /* An address already exact inside the operand is kept as is. */
    set(UC_X86_REG_RBX, 0x5ff4);
    sim_insn_info i = X86(0x48, 0x8b, 0x43, 0x08);
    bool exact = false;
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x5ffe, 4096, false, false, X86_PC, &exact),
                      0x5ffe);
    ck_assert(exact);
}
END_TEST

START_TEST(fetch_faults)
{
    bool exact = false;
    /* pc inside the faulting page. */
    ck_assert_uint_eq(sim_insn_fault_address(NULL, 0x401000, 4096, false, true, 0x401234, &exact),
                      0x401234);
    ck_assert(exact);
    /* An instruction starting 2 bytes before the faulting page runs into it. */
    sim_insn_info i = X86(0x48, 0x8b, 0x43, 0x08);
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x402000, 4096, false, true, 0x401ffe, &exact),
                      0x402000);
    ck_assert(exact);
    /* ...but a 4-byte instruction 8 bytes before the page does not. */
    ck_assert_uint_eq(sim_insn_fault_address(&i, 0x402000, 4096, false, true, 0x401ff8, &exact),
                      0x402000);
    ck_assert(!exact);
    /* arm64: 1 KiB granule holding pc. */
    ck_assert_uint_eq(sim_insn_fault_address(NULL, 0x400400, 1024, false, true, 0x400404, &exact),
                      0x400404);
    ck_assert(exact);
}
END_TEST

/* Decoded instructions are kept by pc and bytes: the same instruction
 * decoded again reads the registers of now, other bytes at that pc decode
 * afresh, and a kept instruction never answers for fewer bytes than it
 * has or for another pc. */
START_TEST(a64_kept_insn_reads_live_registers)
{
    for (uint64_t k = 0; k < 300; k++) {
        uint64_t x0 = 0x10000000 + k * 4096 + (k * 8) % 4096;
        set(UC_ARM64_REG_X0, x0);
        sim_insn_info i = A64(0x01, 0x00, 0x00, 0x39); /* strb w1, [x0] */
        ck_assert_str_eq(i.text, "strb w1, [x0]");
        ck_only(i, x0, 1, true);
        bool exact = false;
        ck_assert_uint_eq(
            sim_insn_fault_address(&i, x0 & ~0x3ffull, 1024, true, false, A64_PC, &exact), x0);
        ck_assert(exact);
    }
}
END_TEST

START_TEST(a64_new_bytes_at_kept_pc)
{
    set(UC_ARM64_REG_X0, 0x20000);
    set(UC_ARM64_REG_X1, 0x10000);
    ck_only(A64(0x20, 0x04, 0x40, 0xf9), 0x10008, 8, false); /* ldr x0, [x1, #8] */
    sim_insn_info i = A64(0x01, 0x04, 0x00, 0xf9);           /* str x1, [x0, #8] */
    ck_assert_str_eq(i.text, "str x1, [x0, #8]");
    ck_only(i, 0x20008, 8, true);
    i = A64(0x20, 0x04, 0x40, 0xf9);
    ck_assert_str_eq(i.text, "ldr x0, [x1, #8]");
    ck_only(i, 0x10008, 8, false);
    /* A literal load at many pcs (more than are kept, so some share a
     * place) reads as many places. */
    static const uint8_t literal[] = {0x00, 0x08, 0x00, 0x58}; /* ldr x0, .+0x100 */
    for (int round = 0; round < 2; round++)
        for (uint64_t pc = A64_PC; pc < A64_PC + 1000 * 4; pc += 4)
            ck_only(decode_at(SIM_ISA_ARM64, literal, sizeof literal, pc), pc + 0x100, 8, false);
}
END_TEST

START_TEST(x86_kept_insn_needs_its_bytes_and_pc)
{
    set(UC_X86_REG_RBX, 0x20000);
    ck_only(X86(0x48, 0x8b, 0x43, 0x08), 0x20008, 8, false); /* mov rax, qword ptr [rbx + 8] */
    /* Its first three bytes alone are no instruction. */
    static const uint8_t mov[] = {0x48, 0x8b, 0x43, 0x08};
    sim_insn_info i;
    ck_assert(!sim_insn_decode(SIM_ISA_X86_64, uc, mov, 3, X86_PC, &i));
    ck_assert_uint_eq(i.n_access, 0);
    /* The same rip-relative bytes at many pcs address as many places. */
    const uint8_t store[] = {0xc7, 0x05, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00};
    for (int round = 0; round < 2; round++) {
        for (uint64_t pc = X86_PC; pc < X86_PC + 1000 * 0x10; pc += 0x10) {
            i = decode_at(SIM_ISA_X86_64, store, sizeof store, pc);
            ck_only(i, pc + 10 + 0x100, 4, true);
        }
    }
    /* Trailing bytes after the instruction do not matter. */
    ck_only(X86(0x48, 0x8b, 0x43, 0x08, 0x90, 0x90), 0x20008, 8, false);
    set(UC_X86_REG_RBX, 0x30000);
    ck_only(X86(0x48, 0x8b, 0x43, 0x08, 0xcc), 0x30008, 8, false);
}
END_TEST

START_TEST(x86_engine_mismatch)
{
    /* An x86 engine passed for an arm64 instruction must not be read. */
    set(UC_X86_REG_RAX, 0x10000);
    sim_insn_info i;
    ck_assert(sim_insn_decode(SIM_ISA_ARM64, uc, BYTES(0x20, 0x04, 0x40, 0xf9), A64_PC, &i));
    ck_assert_uint_eq(i.n_access, 0);
}
END_TEST

START_TEST(shutdown_and_reopen)
{
    sim_insn_decode_shutdown();
    sim_insn_decode_shutdown();
    set(UC_X86_REG_RBX, 0x20000);
    ck_only(X86(0x48, 0x8b, 0x43, 0x08), 0x20008, 8, false);
}
END_TEST

static Suite *insn_decode_suite(void)
{
    Suite *s = suite_create("insn_decode");

    TCase *a64 = tcase_create("arm64");
    tcase_add_checked_fixture(a64, a64_setup, teardown);
    tcase_add_test(a64, a64_ldr_str_imm);
    tcase_add_test(a64, a64_narrow_and_signed);
    tcase_add_test(a64, a64_unscaled);
    tcase_add_test(a64, a64_register_offset_sxtw);
    tcase_add_test(a64, a64_register_offset_lsl_uxtw);
    tcase_add_test(a64, a64_pre_index);
    tcase_add_test(a64, a64_post_index);
    tcase_add_test(a64, a64_pairs);
    tcase_add_test(a64, a64_sp_frame);
    tcase_add_test(a64, a64_literal);
    tcase_add_test(a64, a64_exclusive_and_ordered);
    tcase_add_test(a64, a64_lse_atomics);
    tcase_add_test(a64, a64_fp_simd_scalar);
    tcase_add_test(a64, a64_simd_structures);
    tcase_add_test(a64, a64_simd_single_element);
    tcase_add_test(a64, a64_dc_zva_and_prefetch);
    tcase_add_test(a64, a64_no_memory);
    tcase_add_test(a64, a64_undecodable);
    tcase_add_test(a64, a64_fault_crossing_1k_granule);
    tcase_add_test(a64, a64_fault_inside_granule);
    tcase_add_test(a64, a64_fault_kind_mismatch);
    tcase_add_test(a64, a64_fault_pair_second_granule);
    tcase_add_test(a64, a64_without_engine);
    tcase_add_test(a64, a64_kept_insn_reads_live_registers);
    tcase_add_test(a64, a64_new_bytes_at_kept_pc);
    suite_add_tcase(s, a64);

    TCase *x86 = tcase_create("x86_64");
    tcase_add_checked_fixture(x86, x86_setup, teardown);
    tcase_add_test(x86, x86_base_disp);
    tcase_add_test(x86, x86_base_index_scale);
    tcase_add_test(x86, x86_rip_relative);
    tcase_add_test(x86, x86_segments);
    tcase_add_test(x86, x86_absolute);
    tcase_add_test(x86, x86_address_size_override);
    tcase_add_test(x86, x86_read_modify_write);
    tcase_add_test(x86, x86_atomics);
    tcase_add_test(x86, x86_push_pop);
    tcase_add_test(x86, x86_pop_to_rsp_relative);
    tcase_add_test(x86, x86_call_ret_leave);
    tcase_add_test(x86, x86_string_ops);
    tcase_add_test(x86, x86_string_segment_override);
    tcase_add_test(x86, x86_no_access);
    tcase_add_test(x86, x86_simd);
    tcase_add_test(x86, x86_state_areas);
    tcase_add_test(x86, x86_bit_string);
    tcase_add_test(x86, x86_xlat_maskmov);
    tcase_add_test(x86, x86_undecodable);
    tcase_add_test(x86, x86_fault_crossing_page);
    tcase_add_test(x86, x86_fault_picks_by_kind);
    tcase_add_test(x86, x86_fault_push_stack);
    tcase_add_test(x86, x86_fault_no_match);
    tcase_add_test(x86, x86_fault_unaligned_report);
    tcase_add_test(x86, fetch_faults);
    tcase_add_test(x86, x86_engine_mismatch);
    tcase_add_test(x86, shutdown_and_reopen);
    tcase_add_test(x86, x86_kept_insn_needs_its_bytes_and_pc);
    suite_add_tcase(s, x86);

    return s;
}

int main(void)
{
    return run_suite(insn_decode_suite());
}

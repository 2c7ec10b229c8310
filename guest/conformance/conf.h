/* conf.h: a tiny header-only test framework for zxsim's guest conformance
 * suite, in the spirit of Zircon's zxtest but in C.
 *
 *   CASE(group, name) { ... }       registers a case (group = the syscall)
 *   EXPECT_OK(expr)                 expr must be ZX_OK
 *   EXPECT_STATUS(expr, ZX_ERR_X)   expr must be that status
 *   EXPECT_EQ(a, b) / _NE / _TRUE / _FALSE / _GE / _LE / _STR_EQ / _BYTES_EQ
 *   ASSERT_*                        the same, but a failure ends the case
 *
 * A failure prints file:line, the expression, the expected and the actual
 * value (status names, not numbers). ASSERT_* may be used in helper
 * functions too: it ends the case by a long jump back to the runner.
 *
 * Clean-up: every handle, mapping and VMAR made through the helpers below
 * (or registered with track*()) is released when the case ends, whether it
 * passed, failed or was cut short, so cases don't interfere.
 *
 * main() runs every case in source order, or only those whose
 * "group.name" starts with argv[1] (so "vmo_rw" runs a whole group).
 * Output: one line per case, "PASS group.name", "SKIP group.name: why" or
 * "FAIL group.name: <first failure>" (failure details are printed above
 * it), then exactly "N passed, N failed, N skipped". The exit status is 1
 * when a case failed. A case that leaks handles, regions or mappings
 * fails. "-l" lists the cases; "--start=group.name" runs from that case on
 * (the host runner uses it to carry on after a case crashed the guest).
 *
 * Define CONF_NO_MAIN before including to supply your own main().
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/rights.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zircon/types.h>
#include <zxsim/zxsim.h>

#define CONF_UNUSED __attribute__((unused))

#define PAGE ((uint64_t)4096)

/* Largest VMO size (docs/semantics.md "Conventions"): 2^64 - 2^17. */
#define MAX_VMO_SIZE ((uint64_t)0xFFFFFFFFFFFE0000ull)

/* The user address space (docs/semantics.md "Address space"). */
#define USER_BASE ((uint64_t)0x200000)
#if defined(__x86_64__)
#define USER_LEN    ((uint64_t)0x00007FFFFFDFF000ull)
#define KERNEL_ADDR ((uint64_t)0xFFFFFF8000001000ull)
#else
#define USER_LEN    ((uint64_t)0x0000FFFFFEE00000ull)
#define KERNEL_ADDR ((uint64_t)0xFFFF000000001000ull)
#endif

/* ---- setjmp/longjmp: the SDK libc has none, and clang's builtins are not
 * available on arm64. Only callee-saved state is kept. ---- */

typedef uint64_t conf_jmp_buf[22];
int conf_setjmp(conf_jmp_buf buf) __attribute__((returns_twice));
__attribute__((noreturn)) void conf_longjmp(conf_jmp_buf buf, int value);

#if defined(__aarch64__)
__asm__(".pushsection .text\n"
        ".globl conf_setjmp\n"
        ".type conf_setjmp, %function\n"
        "conf_setjmp:\n"
        "    stp x19, x20, [x0, #0]\n"
        "    stp x21, x22, [x0, #16]\n"
        "    stp x23, x24, [x0, #32]\n"
        "    stp x25, x26, [x0, #48]\n"
        "    stp x27, x28, [x0, #64]\n"
        "    stp x29, x30, [x0, #80]\n"
        "    mov x16, sp\n"
        "    str x16, [x0, #96]\n"
        "    stp d8, d9, [x0, #104]\n"
        "    stp d10, d11, [x0, #120]\n"
        "    stp d12, d13, [x0, #136]\n"
        "    stp d14, d15, [x0, #152]\n"
        "    mov w0, #0\n"
        "    ret\n"
        ".size conf_setjmp, . - conf_setjmp\n"
        ".globl conf_longjmp\n"
        ".type conf_longjmp, %function\n"
        "conf_longjmp:\n"
        "    ldp x19, x20, [x0, #0]\n"
        "    ldp x21, x22, [x0, #16]\n"
        "    ldp x23, x24, [x0, #32]\n"
        "    ldp x25, x26, [x0, #48]\n"
        "    ldp x27, x28, [x0, #64]\n"
        "    ldp x29, x30, [x0, #80]\n"
        "    ldr x16, [x0, #96]\n"
        "    mov sp, x16\n"
        "    ldp d8, d9, [x0, #104]\n"
        "    ldp d10, d11, [x0, #120]\n"
        "    ldp d12, d13, [x0, #136]\n"
        "    ldp d14, d15, [x0, #152]\n"
        "    cmp w1, #0\n"
        "    csinc w0, w1, wzr, ne\n"
        "    ret\n"
        ".size conf_longjmp, . - conf_longjmp\n"
        ".popsection\n");
#elif defined(__x86_64__)
__asm__(".pushsection .text\n"
        ".globl conf_setjmp\n"
        ".type conf_setjmp, @function\n"
        "conf_setjmp:\n"
        "    movq %rbx, 0(%rdi)\n"
        "    movq %rbp, 8(%rdi)\n"
        "    movq %r12, 16(%rdi)\n"
        "    movq %r13, 24(%rdi)\n"
        "    movq %r14, 32(%rdi)\n"
        "    movq %r15, 40(%rdi)\n"
        "    leaq 8(%rsp), %rdx\n"
        "    movq %rdx, 48(%rdi)\n"
        "    movq (%rsp), %rdx\n"
        "    movq %rdx, 56(%rdi)\n"
        "    xorl %eax, %eax\n"
        "    ret\n"
        ".size conf_setjmp, . - conf_setjmp\n"
        ".globl conf_longjmp\n"
        ".type conf_longjmp, @function\n"
        "conf_longjmp:\n"
        "    movl %esi, %eax\n"
        "    testl %eax, %eax\n"
        "    jnz 1f\n"
        "    incl %eax\n"
        "1:  movq 0(%rdi), %rbx\n"
        "    movq 8(%rdi), %rbp\n"
        "    movq 16(%rdi), %r12\n"
        "    movq 24(%rdi), %r13\n"
        "    movq 32(%rdi), %r14\n"
        "    movq 40(%rdi), %r15\n"
        "    movq 48(%rdi), %rsp\n"
        "    jmp *56(%rdi)\n"
        ".size conf_longjmp, . - conf_longjmp\n"
        ".popsection\n");
#else
#error "conf.h supports arm64 and x86-64 only"
#endif

/* ---- the case table ---- */

typedef struct conf_case {
    const char *group;
    const char *name;
    void (*fn)(void);
    int line;
} conf_case_t;

#define CONF_MAX_CASES 512
static conf_case_t conf_cases[CONF_MAX_CASES];
static int conf_ncases;

CONF_UNUSED static void conf_register(const char *group, const char *name, void (*fn)(void),
                                      int line)
{
    if (conf_ncases == CONF_MAX_CASES) {
        printf("conf.h: too many cases\n");
        abort();
    }
    conf_cases[conf_ncases++] = (conf_case_t){group, name, fn, line};
}

#define CASE(group, name)                                                                          \
    static void conf_case_##group##__##name(void);                                                 \
    __attribute__((constructor)) static void conf_reg_##group##__##name(void)                      \
    {                                                                                              \
        conf_register(#group, #name, conf_case_##group##__##name, __LINE__);                       \
    }                                                                                              \
    static void conf_case_##group##__##name(void)

/* ---- failure reporting ---- */

static conf_jmp_buf conf_jmp;
static int conf_case_failures;
/* Checks made by the running case: the harness's self-test proves that each
 * of them failed. */
static int conf_case_checks;
static char conf_first_failure[256];

CONF_UNUSED static const char *conf_status_name(zx_status_t s)
{
    switch (s) {
#define CONF_S(x)                                                                                  \
    case x:                                                                                        \
        return #x;
        CONF_S(ZX_OK)
        CONF_S(ZX_ERR_INTERNAL)
        CONF_S(ZX_ERR_NOT_SUPPORTED)
        CONF_S(ZX_ERR_NO_RESOURCES)
        CONF_S(ZX_ERR_NO_MEMORY)
        CONF_S(ZX_ERR_INTERNAL_INTR_RETRY)
        CONF_S(ZX_ERR_INVALID_ARGS)
        CONF_S(ZX_ERR_BAD_HANDLE)
        CONF_S(ZX_ERR_WRONG_TYPE)
        CONF_S(ZX_ERR_BAD_SYSCALL)
        CONF_S(ZX_ERR_OUT_OF_RANGE)
        CONF_S(ZX_ERR_BUFFER_TOO_SMALL)
        CONF_S(ZX_ERR_BAD_STATE)
        CONF_S(ZX_ERR_TIMED_OUT)
        CONF_S(ZX_ERR_SHOULD_WAIT)
        CONF_S(ZX_ERR_CANCELED)
        CONF_S(ZX_ERR_PEER_CLOSED)
        CONF_S(ZX_ERR_NOT_FOUND)
        CONF_S(ZX_ERR_ALREADY_EXISTS)
        CONF_S(ZX_ERR_ALREADY_BOUND)
        CONF_S(ZX_ERR_UNAVAILABLE)
        CONF_S(ZX_ERR_ACCESS_DENIED)
        CONF_S(ZX_ERR_IO)
        CONF_S(ZX_ERR_IO_REFUSED)
        CONF_S(ZX_ERR_IO_DATA_INTEGRITY)
        CONF_S(ZX_ERR_IO_DATA_LOSS)
        CONF_S(ZX_ERR_IO_NOT_PRESENT)
        CONF_S(ZX_ERR_IO_OVERRUN)
        CONF_S(ZX_ERR_IO_MISSED_DEADLINE)
        CONF_S(ZX_ERR_IO_INVALID)
        CONF_S(ZX_ERR_BAD_PATH)
        CONF_S(ZX_ERR_NOT_DIR)
        CONF_S(ZX_ERR_NOT_FILE)
        CONF_S(ZX_ERR_FILE_BIG)
        CONF_S(ZX_ERR_NO_SPACE)
        CONF_S(ZX_ERR_NOT_EMPTY)
        CONF_S(ZX_ERR_STOP)
        CONF_S(ZX_ERR_NEXT)
        CONF_S(ZX_ERR_ASYNC)
        CONF_S(ZX_ERR_PROTOCOL_NOT_SUPPORTED)
        CONF_S(ZX_ERR_ADDRESS_UNREACHABLE)
        CONF_S(ZX_ERR_ADDRESS_IN_USE)
        CONF_S(ZX_ERR_NOT_CONNECTED)
        CONF_S(ZX_ERR_CONNECTION_REFUSED)
        CONF_S(ZX_ERR_CONNECTION_RESET)
        CONF_S(ZX_ERR_CONNECTION_ABORTED)
        CONF_S(ZX_ERR_INTERNAL_INTR_KILLED)
#undef CONF_S
    default: {
        static char buf[4][32];
        static int next;
        char *b = buf[next++ & 3];
        snprintf(b, sizeof buf[0], "status %d", (int)s);
        return b;
    }
    }
}

CONF_UNUSED __attribute__((format(printf, 3, 4))) static void conf_fail(const char *file, int line,
                                                                        const char *fmt, ...)
{
    char msg[224];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    printf("    %s:%d: %s\n", base, line, msg);
    if (conf_case_failures++ == 0)
        snprintf(conf_first_failure, sizeof conf_first_failure, "%s:%d: %s", base, line, msg);
}

CONF_UNUSED __attribute__((noreturn)) static void conf_abort_case(void)
{
    conf_longjmp(conf_jmp, 1);
}

CONF_UNUSED static bool conf_check_status(const char *file, int line, const char *expr,
                                          zx_status_t got, zx_status_t want)
{
    conf_case_checks++;
    if (got == want)
        return true;
    conf_fail(file, line, "%s: expected %s, got %s", expr, conf_status_name(want),
              conf_status_name(got));
    return false;
}

/* For the few places where Zircon allows either of two statuses. */
CONF_UNUSED static bool conf_check_status2(const char *file, int line, const char *expr,
                                           zx_status_t got, zx_status_t a, zx_status_t b)
{
    conf_case_checks++;
    if (got == a || got == b)
        return true;
    conf_fail(file, line, "%s: expected %s or %s, got %s", expr, conf_status_name(a),
              conf_status_name(b), conf_status_name(got));
    return false;
}

/* One operand of a comparison: its value and whether its type is signed.
 * Both sides are compared by value, as mathematics would, so a negative
 * signed value is below every unsigned one (C's usual conversions would
 * turn -1 into 2^64 - 1 and make `EXPECT_GE(-1, 0)` hold). */
typedef struct conf_operand {
    uint64_t bits;
    bool is_signed;
} conf_operand_t;

/* _Generic never evaluates its operand, so `x` is evaluated once. */
#define CONF_IS_SIGNED(x)                                                                          \
    _Generic((x), char                                                                             \
             : (char)-1 < 0, signed char                                                           \
             : true, short                                                                         \
             : true, int                                                                           \
             : true, long                                                                          \
             : true, long long                                                                     \
             : true, default                                                                       \
             : false)
#define CONF_OPERAND(x) ((conf_operand_t){CONF_U64(x), CONF_IS_SIGNED(x)})

/* -1, 0 or 1 as a is below, equal to or above b. */
CONF_UNUSED static int conf_compare(conf_operand_t a, conf_operand_t b)
{
    if (a.is_signed && b.is_signed) {
        int64_t x = (int64_t)a.bits, y = (int64_t)b.bits;
        return x < y ? -1 : x > y;
    }
    if (a.is_signed && (int64_t)a.bits < 0)
        return -1;
    if (b.is_signed && (int64_t)b.bits < 0)
        return 1;
    return a.bits < b.bits ? -1 : a.bits > b.bits;
}

CONF_UNUSED static void conf_format_operand(char *out, size_t n, conf_operand_t v)
{
    if (v.is_signed)
        snprintf(out, n, "%lld (0x%llx)", (long long)v.bits, (unsigned long long)v.bits);
    else
        snprintf(out, n, "%llu (0x%llx)", (unsigned long long)v.bits, (unsigned long long)v.bits);
}

CONF_UNUSED static bool conf_check_cmp(const char *file, int line, const char *a_text,
                                       const char *op, const char *b_text, conf_operand_t a,
                                       conf_operand_t b)
{
    int c = conf_compare(a, b);
    bool ok;
    if (strcmp(op, "==") == 0)
        ok = c == 0;
    else if (strcmp(op, "!=") == 0)
        ok = c != 0;
    else if (strcmp(op, ">=") == 0)
        ok = c >= 0;
    else if (strcmp(op, "<=") == 0)
        ok = c <= 0;
    else if (strcmp(op, "<") == 0)
        ok = c < 0;
    else
        ok = c > 0;
    conf_case_checks++;
    if (ok)
        return true;
    char got[48], want[48];
    conf_format_operand(got, sizeof got, a);
    conf_format_operand(want, sizeof want, b);
    conf_fail(file, line, "%s %s %s: got %s, expected %s%s", a_text, op, b_text, got,
              op[0] == '=' ? "" : op, want);
    return false;
}

CONF_UNUSED static bool conf_check_true(const char *file, int line, const char *text, bool ok,
                                        bool want)
{
    conf_case_checks++;
    if (ok == want)
        return true;
    conf_fail(file, line, "expected %s to be %s", text, want ? "true" : "false");
    return false;
}

CONF_UNUSED static bool conf_check_str(const char *file, int line, const char *a_text,
                                       const char *a, const char *b)
{
    conf_case_checks++;
    if (strcmp(a, b) == 0)
        return true;
    conf_fail(file, line, "%s: got \"%s\", expected \"%s\"", a_text, a, b);
    return false;
}

CONF_UNUSED static bool conf_check_bytes(const char *file, int line, const char *a_text,
                                         const void *a, const void *b, size_t n)
{
    conf_case_checks++;
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            conf_fail(file, line, "%s: byte %zu is 0x%02x, expected 0x%02x", a_text, i, x[i], y[i]);
            return false;
        }
    }
    return true;
}

CONF_UNUSED static bool conf_check_filled(const char *file, int line, const char *a_text,
                                          const void *a, uint8_t value, size_t n)
{
    conf_case_checks++;
    const uint8_t *x = a;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != value) {
            conf_fail(file, line, "%s: byte %zu is 0x%02x, expected 0x%02x", a_text, i, x[i],
                      value);
            return false;
        }
    }
    return true;
}

#define CONF_U64(x) ((uint64_t)(x))

/* Each public macro stringifies its own arguments (a macro that forwards
 * to another would print them macro-expanded). */
#define CONF_STATUS(text, expr, want)                                                              \
    conf_check_status(__FILE__, __LINE__, text, (zx_status_t)(expr), (zx_status_t)(want))
#define CONF_CMP(ta, a, op, tb, b)                                                                 \
    conf_check_cmp(__FILE__, __LINE__, ta, op, tb, CONF_OPERAND(a), CONF_OPERAND(b))

#define EXPECT_STATUS(expr, want) CONF_STATUS(#expr, expr, want)
#define EXPECT_OK(expr)           CONF_STATUS(#expr, expr, ZX_OK)
#define EXPECT_STATUS_EITHER(expr, a, b)                                                           \
    conf_check_status2(__FILE__, __LINE__, #expr, (zx_status_t)(expr), (zx_status_t)(a),           \
                       (zx_status_t)(b))
#define EXPECT_EQ(a, b)          CONF_CMP(#a, a, "==", #b, b)
#define EXPECT_NE(a, b)          CONF_CMP(#a, a, "!=", #b, b)
#define EXPECT_GE(a, b)          CONF_CMP(#a, a, ">=", #b, b)
#define EXPECT_LE(a, b)          CONF_CMP(#a, a, "<=", #b, b)
#define EXPECT_LT(a, b)          CONF_CMP(#a, a, "<", #b, b)
#define EXPECT_GT(a, b)          CONF_CMP(#a, a, ">", #b, b)
#define EXPECT_TRUE(c)           conf_check_true(__FILE__, __LINE__, #c, (c) ? true : false, true)
#define EXPECT_FALSE(c)          conf_check_true(__FILE__, __LINE__, #c, (c) ? true : false, false)
#define EXPECT_STR_EQ(a, b)      conf_check_str(__FILE__, __LINE__, #a, (a), (b))
#define EXPECT_BYTES_EQ(a, b, n) conf_check_bytes(__FILE__, __LINE__, #a, (a), (b), (n))
#define EXPECT_FILLED(a, v, n)   conf_check_filled(__FILE__, __LINE__, #a, (a), (uint8_t)(v), (n))

#define CONF_ASSERT(check)                                                                         \
    do {                                                                                           \
        if (!(check))                                                                              \
            conf_abort_case();                                                                     \
    } while (0)
#define ASSERT_STATUS(expr, want) CONF_ASSERT(CONF_STATUS(#expr, expr, want))
#define ASSERT_OK(expr)           CONF_ASSERT(CONF_STATUS(#expr, expr, ZX_OK))
#define ASSERT_EQ(a, b)           CONF_ASSERT(CONF_CMP(#a, a, "==", #b, b))
#define ASSERT_NE(a, b)           CONF_ASSERT(CONF_CMP(#a, a, "!=", #b, b))
#define ASSERT_GE(a, b)           CONF_ASSERT(CONF_CMP(#a, a, ">=", #b, b))
#define ASSERT_LE(a, b)           CONF_ASSERT(CONF_CMP(#a, a, "<=", #b, b))
#define ASSERT_LT(a, b)           CONF_ASSERT(CONF_CMP(#a, a, "<", #b, b))
#define ASSERT_GT(a, b)           CONF_ASSERT(CONF_CMP(#a, a, ">", #b, b))
#define ASSERT_TRUE(c)                                                                             \
    CONF_ASSERT(conf_check_true(__FILE__, __LINE__, #c, (c) ? true : false, true))
#define ASSERT_FALSE(c)                                                                            \
    CONF_ASSERT(conf_check_true(__FILE__, __LINE__, #c, (c) ? true : false, false))
#define ASSERT_BYTES_EQ(a, b, n)                                                                   \
    CONF_ASSERT(conf_check_bytes(__FILE__, __LINE__, #a, (a), (b), (n)))
#define ASSERT_FILLED(a, v, n)                                                                     \
    CONF_ASSERT(conf_check_filled(__FILE__, __LINE__, #a, (a), (uint8_t)(v), (n)))

/* ---- resources released at the end of each case ---- */

#define CONF_MAX_TRACKED 256
static zx_handle_t conf_handles[CONF_MAX_TRACKED];
static int conf_nhandles;
static zx_handle_t conf_vmars[CONF_MAX_TRACKED];
static int conf_nvmars;
static struct {
    zx_handle_t vmar;
    zx_vaddr_t addr;
    size_t len;
} conf_maps[CONF_MAX_TRACKED];
static int conf_nmaps;

/* Closes h when the case ends. Closing a handle the case already closed is
 * harmless (BAD_HANDLE, ignored). */
CONF_UNUSED static zx_handle_t track(zx_handle_t h)
{
    if (h != ZX_HANDLE_INVALID && conf_nhandles < CONF_MAX_TRACKED)
        conf_handles[conf_nhandles++] = h;
    return h;
}

/* Destroys the VMAR (and closes the handle) when the case ends. */
CONF_UNUSED static zx_handle_t track_vmar(zx_handle_t h)
{
    if (h != ZX_HANDLE_INVALID && conf_nvmars < CONF_MAX_TRACKED)
        conf_vmars[conf_nvmars++] = h;
    return track(h);
}

/* Unmaps [addr, addr+len) of vmar when the case ends. */
CONF_UNUSED static void track_map(zx_handle_t vmar, zx_vaddr_t addr, size_t len)
{
    if (conf_nmaps < CONF_MAX_TRACKED) {
        conf_maps[conf_nmaps].vmar = vmar;
        conf_maps[conf_nmaps].addr = addr;
        conf_maps[conf_nmaps].len = len;
        conf_nmaps++;
    }
}

CONF_UNUSED static void conf_cleanup(void)
{
    for (int i = conf_nmaps - 1; i >= 0; i--)
        zx_vmar_unmap(conf_maps[i].vmar, conf_maps[i].addr, conf_maps[i].len);
    for (int i = conf_nvmars - 1; i >= 0; i--)
        zx_vmar_destroy(conf_vmars[i]);
    for (int i = conf_nhandles - 1; i >= 0; i--)
        zx_handle_close(conf_handles[i]);
    conf_nmaps = conf_nvmars = conf_nhandles = 0;
}

/* ---- helpers (they ASSERT, so a failed setup ends the case) ---- */

#define ROOT zx_vmar_root_self()
#define SELF zx_process_self()

#define vmo_create(size, options) conf_vmo_create(__FILE__, __LINE__, (size), (options))
CONF_UNUSED static zx_handle_t conf_vmo_create(const char *file, int line, uint64_t size,
                                               uint32_t options)
{
    zx_handle_t h = ZX_HANDLE_INVALID;
    if (!conf_check_status(file, line, "zx_vmo_create()", zx_vmo_create(size, options, &h), ZX_OK))
        conf_abort_case();
    return track(h);
}

#define dup(h, rights) conf_dup(__FILE__, __LINE__, (h), (rights))
CONF_UNUSED static zx_handle_t conf_dup(const char *file, int line, zx_handle_t h,
                                        zx_rights_t rights)
{
    zx_handle_t out = ZX_HANDLE_INVALID;
    if (!conf_check_status(file, line, "zx_handle_duplicate()",
                           zx_handle_duplicate(h, rights, &out), ZX_OK))
        conf_abort_case();
    return track(out);
}

#define child(h, options, offset, size)                                                            \
    conf_child(__FILE__, __LINE__, (h), (options), (offset), (size))
CONF_UNUSED static zx_handle_t conf_child(const char *file, int line, zx_handle_t h,
                                          uint32_t options, uint64_t offset, uint64_t size)
{
    zx_handle_t out = ZX_HANDLE_INVALID;
    if (!conf_check_status(file, line, "zx_vmo_create_child()",
                           zx_vmo_create_child(h, options, offset, size, &out), ZX_OK))
        conf_abort_case();
    return track(out);
}

/* A fresh sub-VMAR of the root that can map anything anywhere; destroyed at
 * the end of the case. Mapping inside it keeps cases apart. */
#define scratch(size, base) conf_scratch(__FILE__, __LINE__, (size), (base))
CONF_UNUSED static zx_handle_t conf_scratch(const char *file, int line, size_t size,
                                            zx_vaddr_t *base)
{
    zx_handle_t h = ZX_HANDLE_INVALID;
    zx_vaddr_t addr = 0;
    if (!conf_check_status(file, line, "zx_vmar_allocate(scratch)",
                           zx_vmar_allocate(ROOT,
                                            ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE |
                                                ZX_VM_CAN_MAP_EXECUTE | ZX_VM_CAN_MAP_SPECIFIC,
                                            0, size, &h, &addr),
                           ZX_OK))
        conf_abort_case();
    if (base)
        *base = addr;
    return track_vmar(h);
}

#define map(vmar, options, offset, vmo, vmo_offset, len)                                           \
    conf_map(__FILE__, __LINE__, (vmar), (options), (offset), (vmo), (vmo_offset), (len))
CONF_UNUSED static zx_vaddr_t conf_map(const char *file, int line, zx_handle_t vmar,
                                       zx_vm_option_t options, size_t offset, zx_handle_t vmo,
                                       uint64_t vmo_offset, size_t len)
{
    zx_vaddr_t addr = 0;
    if (!conf_check_status(file, line, "zx_vmar_map()",
                           zx_vmar_map(vmar, options, offset, vmo, vmo_offset, len, &addr), ZX_OK))
        conf_abort_case();
    track_map(vmar, addr, len);
    return addr;
}

/* A sub-VMAR of `parent`, destroyed at the end of the case. */
#define subvmar(parent, options, offset, size, addr)                                               \
    conf_subvmar(__FILE__, __LINE__, (parent), (options), (offset), (size), (addr))
CONF_UNUSED static zx_handle_t conf_subvmar(const char *file, int line, zx_handle_t parent,
                                            zx_vm_option_t options, size_t offset, size_t size,
                                            zx_vaddr_t *addr)
{
    zx_handle_t h = ZX_HANDLE_INVALID;
    zx_vaddr_t a = 0;
    if (!conf_check_status(file, line, "zx_vmar_allocate()",
                           zx_vmar_allocate(parent, options, offset, size, &h, &a), ZX_OK))
        conf_abort_case();
    if (addr)
        *addr = a;
    return track_vmar(h);
}

#define RW (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE)
#define RX (ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE)

#define vmo_info(h) conf_vmo_info(__FILE__, __LINE__, (h))
CONF_UNUSED static zx_info_vmo_t conf_vmo_info(const char *file, int line, zx_handle_t h)
{
    zx_info_vmo_t info;
    memset(&info, 0xEE, sizeof info);
    if (!conf_check_status(file, line, "zx_object_get_info(ZX_INFO_VMO)",
                           zx_object_get_info(h, ZX_INFO_VMO, &info, sizeof info, NULL, NULL),
                           ZX_OK))
        conf_abort_case();
    return info;
}

#define basic(h) conf_basic(__FILE__, __LINE__, (h))
CONF_UNUSED static zx_info_handle_basic_t conf_basic(const char *file, int line, zx_handle_t h)
{
    zx_info_handle_basic_t info;
    memset(&info, 0xEE, sizeof info);
    if (!conf_check_status(
            file, line, "zx_object_get_info(ZX_INFO_HANDLE_BASIC)",
            zx_object_get_info(h, ZX_INFO_HANDLE_BASIC, &info, sizeof info, NULL, NULL), ZX_OK))
        conf_abort_case();
    return info;
}

#define rights_of(h) (basic(h).rights)
#define koid_of(h)   (basic(h).koid)
#define committed(h) (vmo_info(h).committed_bytes)

#define vmo_size(h) conf_vmo_size(__FILE__, __LINE__, (h))
CONF_UNUSED static uint64_t conf_vmo_size(const char *file, int line, zx_handle_t h)
{
    uint64_t size = 0xDEADBEEF;
    if (!conf_check_status(file, line, "zx_vmo_get_size()", zx_vmo_get_size(h, &size), ZX_OK))
        conf_abort_case();
    return size;
}

#define content_size(h) conf_content_size(__FILE__, __LINE__, (h))
CONF_UNUSED static uint64_t conf_content_size(const char *file, int line, zx_handle_t h)
{
    uint64_t size = 0xDEADBEEF;
    if (!conf_check_status(file, line, "zx_object_get_property(ZX_PROP_VMO_CONTENT_SIZE)",
                           zx_object_get_property(h, ZX_PROP_VMO_CONTENT_SIZE, &size, sizeof size),
                           ZX_OK))
        conf_abort_case();
    return size;
}

static uint8_t conf_page_buf[4096];

/* Writes `len` bytes of `value` at `offset`. */
#define vmo_fill(h, offset, len, value)                                                            \
    conf_vmo_fill(__FILE__, __LINE__, (h), (offset), (len), (value))
CONF_UNUSED static void conf_vmo_fill(const char *file, int line, zx_handle_t h, uint64_t offset,
                                      uint64_t len, uint8_t value)
{
    memset(conf_page_buf, value, sizeof conf_page_buf);
    while (len > 0) {
        size_t n = len < sizeof conf_page_buf ? len : sizeof conf_page_buf;
        if (!conf_check_status(file, line, "zx_vmo_write()",
                               zx_vmo_write(h, conf_page_buf, offset, n), ZX_OK))
            conf_abort_case();
        offset += n;
        len -= n;
    }
}

/* Checks that `len` bytes at `offset` all read as `value`. */
#define EXPECT_VMO_FILLED(h, offset, len, value)                                                   \
    conf_vmo_filled(__FILE__, __LINE__, #h, (h), (offset), (len), (value))
CONF_UNUSED static bool conf_vmo_filled(const char *file, int line, const char *text, zx_handle_t h,
                                        uint64_t offset, uint64_t len, uint8_t value)
{
    /* One check, however many reads it takes. */
    int checks = conf_case_checks + 1;
    bool ok = true;
    while (ok && len > 0) {
        size_t n = len < sizeof conf_page_buf ? len : sizeof conf_page_buf;
        memset(conf_page_buf, value ^ 0x5A, sizeof conf_page_buf);
        if (!conf_check_status(file, line, "zx_vmo_read()",
                               zx_vmo_read(h, conf_page_buf, offset, n), ZX_OK)) {
            ok = false;
            break;
        }
        for (size_t i = 0; i < n; i++) {
            if (conf_page_buf[i] != value) {
                conf_fail(file, line, "%s: byte at offset 0x%llx is 0x%02x, expected 0x%02x", text,
                          (unsigned long long)(offset + i), conf_page_buf[i], value);
                ok = false;
                break;
            }
        }
        offset += n;
        len -= n;
    }
    conf_case_checks = checks;
    return ok;
}

/* Reads one byte of a VMO. */
CONF_UNUSED static uint8_t vmo_byte(zx_handle_t h, uint64_t offset)
{
    uint8_t b = 0xCC;
    ASSERT_OK(zx_vmo_read(h, &b, offset, 1));
    return b;
}

/* Is `signal` asserted on h right now? (A wait with a deadline in the past.) */
#define signaled(h, signal) conf_signaled(__FILE__, __LINE__, (h), (signal))
CONF_UNUSED static bool conf_signaled(const char *file, int line, zx_handle_t h,
                                      zx_signals_t signal)
{
    zx_signals_t observed = 0;
    zx_status_t s = zx_object_wait_one(h, signal, ZX_TIME_INFINITE_PAST, &observed);
    if (s == ZX_OK) {
        if (!(observed & signal))
            conf_fail(file, line, "wait_one returned ZX_OK but observed 0x%x lacks 0x%x", observed,
                      signal);
        return true;
    }
    if (s == ZX_ERR_TIMED_OUT) {
        if (observed & signal)
            conf_fail(file, line, "wait_one timed out but observed 0x%x has 0x%x", observed,
                      signal);
        return false;
    }
    conf_fail(file, line, "zx_object_wait_one(): expected ZX_OK or ZX_ERR_TIMED_OUT, got %s",
              conf_status_name(s));
    conf_abort_case();
}

/* The ZX_INFO_VMAR_MAPS records of a VMAR (first: the VMAR itself). */
#define CONF_MAX_MAPS 64
static zx_info_maps_t conf_maps_buf[CONF_MAX_MAPS];
#define vmar_maps(vmar, count) conf_vmar_maps(__FILE__, __LINE__, (vmar), (count))
CONF_UNUSED static zx_info_maps_t *conf_vmar_maps(const char *file, int line, zx_handle_t vmar,
                                                  size_t *count)
{
    size_t actual = 0, avail = 0;
    memset(conf_maps_buf, 0xEE, sizeof conf_maps_buf);
    if (!conf_check_status(file, line, "zx_object_get_info(ZX_INFO_VMAR_MAPS)",
                           zx_object_get_info(vmar, ZX_INFO_VMAR_MAPS, conf_maps_buf,
                                              sizeof conf_maps_buf, &actual, &avail),
                           ZX_OK))
        conf_abort_case();
    if (!conf_check_cmp(file, line, "actual", "==", "avail", CONF_OPERAND(actual),
                        CONF_OPERAND(avail)))
        conf_abort_case();
    *count = actual;
    return conf_maps_buf;
}

/* The MAPPING records of a VMAR's subtree, in address order. */
#define mappings_of(vmar, count) conf_mappings_of(__FILE__, __LINE__, (vmar), (count))
CONF_UNUSED static zx_info_maps_t *conf_mappings_of(const char *file, int line, zx_handle_t vmar,
                                                    size_t *count)
{
    size_t n = 0, m = 0;
    zx_info_maps_t *all = conf_vmar_maps(file, line, vmar, &n);
    for (size_t i = 0; i < n; i++) {
        if (all[i].type == ZX_INFO_MAPS_TYPE_MAPPING)
            all[m++] = all[i];
    }
    *count = m;
    return all;
}

/* Number of records a process-wide array topic has. */
CONF_UNUSED static size_t conf_avail(uint32_t topic)
{
    size_t actual = 0, avail = 0;
    if (zx_object_get_info(SELF, topic, NULL, 0, &actual, &avail) != ZX_OK)
        return (size_t)-1;
    return avail;
}

/* Handles the process holds, every type together; (size_t)-1 if unknown. */
CONF_UNUSED static size_t conf_handle_count(void)
{
    zx_info_process_handle_stats_t stats;
    if (zx_object_get_info(SELF, ZX_INFO_PROCESS_HANDLE_STATS, &stats, sizeof stats, NULL, NULL) !=
        ZX_OK)
        return (size_t)-1;
    size_t n = 0;
    for (size_t i = 0; i < ZX_OBJ_TYPE_UPPER_BOUND; i++)
        n += stats.handle_count[i];
    return n;
}

/* ---- fault helpers (conf_fault.c) ---- */

/* Prints what is about to happen, then touches `addr`. The host runner
 * compares this line with zxsim's fatal-fault report. */
CONF_UNUSED static void conf_touch(const char *access, zx_vaddr_t addr, const char *reason)
{
    printf("about to fault: %s at 0x%016llx: %s\n", access, (unsigned long long)addr, reason);
    fflush(stdout);
    if (strcmp(access, "read") == 0) {
        (void)*(volatile uint8_t *)addr;
    } else if (strcmp(access, "write") == 0) {
        *(volatile uint64_t *)addr = 0x1122334455667788ull;
    } else {
        ((void (*)(void))addr)();
    }
    printf("survived the access at 0x%016llx\n", (unsigned long long)addr);
}

/* ---- the runner ---- */

CONF_UNUSED static int conf_case_cmp(const void *a, const void *b)
{
    return ((const conf_case_t *)a)->line - ((const conf_case_t *)b)->line;
}

CONF_UNUSED static void conf_full_name(const conf_case_t *c, char *out, size_t n)
{
    snprintf(out, n, "%s.%s", c->group, c->name);
}

/* A case that cannot run here ends with CONF_SKIP("why"): it is counted as
 * skipped, neither passed nor failed. */
static const char *conf_skip_reason;
#define CONF_SKIP(why)                                                                             \
    do {                                                                                           \
        conf_skip_reason = (why);                                                                  \
        conf_abort_case();                                                                         \
    } while (0)

/* With --expect-failure every case must fail every check it makes: the
 * harness's self-test (conf_selftest.c) runs its "breaks" group that way. */
static bool conf_expect_failure;

typedef enum { CONF_PASSED, CONF_FAILED, CONF_SKIPPED } conf_outcome_t;

/* Runs one case with clean-up. A case that leaves more handles of any kind
 * (PROCESS_HANDLE_STATS), VMO handles or mappings (PROCESS_VMOS records) or
 * regions and mappings (PROCESS_MAPS records) behind than it found fails:
 * the next case would inherit them. */
CONF_UNUSED static conf_outcome_t conf_run_one(const conf_case_t *c)
{
    char name[128];
    conf_full_name(c, name, sizeof name);
    conf_case_failures = 0;
    conf_case_checks = 0;
    conf_first_failure[0] = 0;
    conf_skip_reason = NULL;
    size_t handles_before = conf_handle_count();
    size_t vmos_before = conf_avail(ZX_INFO_PROCESS_VMOS);
    size_t maps_before = conf_avail(ZX_INFO_PROCESS_MAPS);
    if (conf_setjmp(conf_jmp) == 0)
        c->fn();
    conf_cleanup();
    int checks = conf_case_checks, failures = conf_case_failures;
    size_t handles_after = conf_handle_count();
    size_t vmos_after = conf_avail(ZX_INFO_PROCESS_VMOS);
    size_t maps_after = conf_avail(ZX_INFO_PROCESS_MAPS);
    if (handles_before == (size_t)-1 || handles_after == (size_t)-1 || vmos_before == (size_t)-1 ||
        vmos_after == (size_t)-1 || maps_before == (size_t)-1 || maps_after == (size_t)-1) {
        conf_fail(__FILE__, __LINE__,
                  "zx_object_get_info(PROCESS_HANDLE_STATS/PROCESS_VMOS/PROCESS_MAPS) failed");
        failures++;
        checks++;
    } else if (handles_after != handles_before || vmos_after != vmos_before ||
               maps_after != maps_before) {
        conf_fail(__FILE__, __LINE__,
                  "leak: the case left %lld more handles, %lld more PROCESS_VMOS and %lld more "
                  "PROCESS_MAPS records than it found",
                  (long long)(handles_after - handles_before),
                  (long long)(vmos_after - vmos_before), (long long)(maps_after - maps_before));
        failures++;
        checks++;
    }
    if (conf_skip_reason && failures == 0) {
        printf("SKIP %s: %s\n", name, conf_skip_reason);
        return CONF_SKIPPED;
    }
    if (conf_expect_failure) {
        if (checks > 0 && failures == checks) {
            printf("    all %d checks failed, as they must\n", checks);
            printf("PASS %s\n", name);
            return CONF_PASSED;
        }
        printf("FAIL %s: %d of %d checks failed; every one must\n", name, failures, checks);
        return CONF_FAILED;
    }
    if (failures == 0) {
        printf("PASS %s\n", name);
        return CONF_PASSED;
    }
    if (failures == 1)
        printf("FAIL %s: %s\n", name, conf_first_failure);
    else
        printf("FAIL %s: %s (and %d more)\n", name, conf_first_failure, failures - 1);
    return CONF_FAILED;
}

CONF_UNUSED static int conf_main(int argc, char **argv)
{
    qsort(conf_cases, conf_ncases, sizeof conf_cases[0], conf_case_cmp);
    const char *filter = NULL, *start = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-l") == 0) {
            for (int j = 0; j < conf_ncases; j++)
                printf("%s.%s\n", conf_cases[j].group, conf_cases[j].name);
            return 0;
        } else if (strncmp(argv[i], "--start=", 8) == 0) {
            start = argv[i] + 8;
        } else if (strcmp(argv[i], "--expect-failure") == 0) {
            conf_expect_failure = true;
        } else {
            filter = argv[i];
        }
    }
    int counts[3] = {0, 0, 0};
    bool started = start == NULL;
    for (int i = 0; i < conf_ncases; i++) {
        char name[128];
        conf_full_name(&conf_cases[i], name, sizeof name);
        if (!started && strcmp(name, start) == 0)
            started = true;
        if (!started)
            continue;
        if (filter && strncmp(name, filter, strlen(filter)) != 0)
            continue;
        counts[conf_run_one(&conf_cases[i])]++;
    }
    printf("%d passed, %d failed, %d skipped\n", counts[CONF_PASSED], counts[CONF_FAILED],
           counts[CONF_SKIPPED]);
    return counts[CONF_FAILED] ? 1 : 0;
}

/* Fault programs run one case per process: the case sets up, announces
 * the access with conf_touch and dies of it, which the host runner checks
 * (tests/conformance/run_fault_case.py). A case that must NOT fault calls
 * conf_expect_no_fault() first and returns normally. */
static bool conf_no_fault_expected;

CONF_UNUSED static void conf_expect_no_fault(void)
{
    conf_no_fault_expected = true;
    printf("expecting no fault\n");
}

/* `-l` lists the cases; `GROUP.NAME` (or NAME) runs one. */
CONF_UNUSED static int conf_fault_main(int argc, char **argv)
{
    qsort(conf_cases, conf_ncases, sizeof conf_cases[0], conf_case_cmp);
    if (argc < 2 || strcmp(argv[1], "-l") == 0) {
        for (int i = 0; i < conf_ncases; i++)
            printf("%s.%s\n", conf_cases[i].group, conf_cases[i].name);
        return argc < 2 ? 2 : 0;
    }
    const char *want = argv[1];
    for (int i = 0; i < conf_ncases; i++) {
        char name[128];
        conf_full_name(&conf_cases[i], name, sizeof name);
        if (strcmp(name, want) != 0 && strcmp(conf_cases[i].name, want) != 0)
            continue;
        if (conf_setjmp(conf_jmp) != 0) {
            printf("FAIL %s: set-up failed: %s\n", name, conf_first_failure);
            return 1;
        }
        conf_cases[i].fn();
        if (!conf_no_fault_expected) {
            printf("FAIL %s: the access did not fault\n", name);
            return 1;
        }
        if (conf_case_failures) {
            printf("FAIL %s: %s\n", name, conf_first_failure);
            return 1;
        }
        printf("no fault, as expected\n");
        return 0;
    }
    printf("no case named %s\n", want);
    return 2;
}

#ifndef CONF_NO_MAIN
int main(int argc, char **argv)
{
    return conf_main(argc, argv);
}
#endif

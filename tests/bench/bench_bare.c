/* The bare Unicorn runner of `make bench`: runs a zxsim guest ELF on flat
 * memory the way plain Unicorn is usually used, so that scripts/bench.sh
 * can compare zxsim with it on the same guest code.
 *
 * The PT_LOAD segments and a stack are mapped with uc_mem_map_ptr at their
 * own addresses (virtual = physical: arm64 runs at EL1 with its MMU off,
 * x86-64 in Unicorn's default long mode without paging), in Unicorn's
 * default TLB mode. The only hook stops the run at the guest's first
 * syscall (UC_HOOK_INTR for `svc` on arm64, UC_HOOK_INSN for `syscall` on
 * x86-64), neither of which costs anything per instruction; the bench
 * guests make no syscall before they exit, so that syscall is the end.
 *
 * Host memory is allocated, advised for huge pages like zxsim's RAM and
 * written before the run, so the host's own page faults are not timed:
 * a run measures Unicorn alone.
 *
 * Usage: bench_bare [--count | --hooks] GUEST.elf [GUEST-ARGS...]
 * Prints one line on stdout:
 *   bare: isa ISA, syscall N, status S, host time SECONDS s[, insns COUNT]
 *         [, data refs COUNT, blocks COUNT]
 * where SECONDS covers uc_emu_start only. --count adds a UC_HOOK_CODE that
 * counts every guest instruction (slow: for checking instruction-count
 * formulas, never for timing). --hooks adds the hooks zxsim's detailed mode
 * needs, a memory hook on every load and store and a block hook, each only
 * counting: what Unicorn alone costs a hook-based model before the model
 * does any work. */
#include "sim/elf_image.h"
#include "sim/uc_control.h"

#include <elf.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unicorn/unicorn.h>

#define STACK_BASE     0x70000000ull
#define STACK_SIZE     (1ull << 20)
#define HUGE_ALIGN     (2ull << 20)
#define ARM64_EXCP_SWI 2

typedef struct run_state {
    bool arm64;
    bool trapped; /* the first syscall was reached */
    uint32_t exc; /* another exception number (arm64) */
    bool exc_seen;
    uint64_t number;       /* syscall number: x16 / rax */
    uint64_t arg0;         /* first argument: x0 / rdi (the exit status) */
    uint64_t insns;        /* --count only */
    uint64_t refs, blocks; /* --hooks only */
} run_state;

static void stop_at_syscall(uc_engine *uc, run_state *st)
{
    st->trapped = true;
    uc_reg_read(uc, st->arm64 ? UC_ARM64_REG_X16 : UC_X86_REG_RAX, &st->number);
    uc_reg_read(uc, st->arm64 ? UC_ARM64_REG_X0 : UC_X86_REG_RDI, &st->arg0);
    uc_emu_stop(uc);
}

static void on_intr(uc_engine *uc, uint32_t intno, void *user)
{
    run_state *st = user;
    if (intno == ARM64_EXCP_SWI) {
        stop_at_syscall(uc, st);
        return;
    }
    st->exc_seen = true;
    st->exc = intno;
    uc_emu_stop(uc);
}

static void on_syscall(uc_engine *uc, void *user)
{
    stop_at_syscall(uc, user);
}

static void on_code(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
    ((run_state *)user)->insns++;
}

static void on_mem(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value,
                   void *user)
{
    ((run_state *)user)->refs++;
}

static void on_block(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
    ((run_state *)user)->blocks++;
}

static G_NORETURN void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bench_bare: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void check(uc_err err, const char *what)
{
    if (err != UC_ERR_OK)
        die("%s: %s", what, uc_strerror(err));
}

/* Host memory for one region: 2 MiB-aligned so that huge pages can back it
 * (as they back zxsim's RAM), and written once so that the host has
 * populated it before anything is timed. */
static uint8_t *host_region(uint64_t size)
{
    uint64_t span = size + HUGE_ALIGN;
    uint8_t *raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        die("cannot allocate %" G_GUINT64_FORMAT " bytes", size);
    uint8_t *p = (uint8_t *)(((uintptr_t)raw + HUGE_ALIGN - 1) & ~(uintptr_t)(HUGE_ALIGN - 1));
    madvise(p, size, MADV_HUGEPAGE);
    memset(p, 0, size);
    return p;
}

static void map_region(uc_engine *uc, uint64_t va, uint64_t size, uint8_t *host)
{
    uc_err err = uc_mem_map_ptr(uc, va, size, UC_PROT_ALL, host);
    if (err != UC_ERR_OK)
        die("mapping [0x%" G_GINT64_MODIFIER "x, +0x%" G_GINT64_MODIFIER "x): %s", va, size,
            uc_strerror(err));
}

/* The same stack layout as zxsim's loader: strings at the top, then the
 * NULL-terminated argv array, sp 16-byte aligned at the array. */
static uint64_t build_stack(uint8_t *stack, int argc, char **argv, uint64_t *argv_at)
{
    uint64_t top = STACK_BASE + STACK_SIZE;
    uint64_t len = 0;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    uint64_t strings_at = (top - len) & ~15ull;
    uint64_t vec_at = (strings_at - 8ull * (argc + 1)) & ~15ull;
    uint64_t at = strings_at;
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]) + 1;
        memcpy(stack + (at - STACK_BASE), argv[i], n);
        uint64_t ptr = at;
        memcpy(stack + (vec_at - STACK_BASE) + 8ull * i, &ptr, 8);
        at += n;
    }
    memset(stack + (vec_at - STACK_BASE) + 8ull * argc, 0, 8);
    *argv_at = vec_at;
    return vec_at;
}

static void set_entry_arm64(uc_engine *uc, uint64_t sp, uint64_t argc, uint64_t argv)
{
    uint64_t zero = 0;
    check(uc_reg_write(uc, UC_ARM64_REG_X0, &zero), "x0");
    check(uc_reg_write(uc, UC_ARM64_REG_X1, &zero), "x1");
    check(uc_reg_write(uc, UC_ARM64_REG_X2, &argc), "x2");
    check(uc_reg_write(uc, UC_ARM64_REG_X3, &argv), "x3");
    check(uc_reg_write(uc, UC_ARM64_REG_SP, &sp), "sp");
    /* CPACR_EL1.FPEN = 0b11: the guest code uses FP/SIMD, as under zxsim. */
    uint32_t cpacr = 3u << 20;
    check(uc_reg_write(uc, UC_ARM64_REG_CPACR_EL1, &cpacr), "CPACR_EL1");
}

static void set_entry_x86(uc_engine *uc, uint64_t pc, uint64_t sp, uint64_t argc, uint64_t argv)
{
    /* zxsim enters with sysretq: rcx = pc and r11 = rflags are left over. */
    uint64_t zero = 0, flags = 0x202;
    const struct {
        int reg;
        const uint64_t *val;
    } regs[] = {
        {UC_X86_REG_RDI, &zero}, {UC_X86_REG_RSI, &zero}, {UC_X86_REG_RDX, &argc},
        {UC_X86_REG_R8, &argv},  {UC_X86_REG_RCX, &pc},   {UC_X86_REG_R11, &flags},
        {UC_X86_REG_RSP, &sp},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(regs); i++)
        check(uc_reg_write(uc, regs[i].reg, regs[i].val), "x86 register");
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    bool count = false, hooks = false;
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--count") == 0) {
        count = true;
        first = 2;
    } else if (argc > 1 && strcmp(argv[1], "--hooks") == 0) {
        hooks = true;
        first = 2;
    }
    if (argc <= first) {
        fprintf(stderr, "usage: bench_bare [--count | --hooks] GUEST.elf [GUEST-ARGS...]\n");
        return 2;
    }
    GError *error = NULL;
    sim_elf_image *img = sim_elf_image_load(argv[first], &error);
    if (img == NULL)
        die("%s", error->message);
    run_state st = {.arm64 = img->machine == EM_AARCH64};
    if (!st.arm64 && img->machine != EM_X86_64)
        die("%s: neither arm64 nor x86-64", argv[first]);

    uc_engine *uc;
    check(uc_open(st.arm64 ? UC_ARCH_ARM64 : UC_ARCH_X86, st.arm64 ? UC_MODE_ARM : UC_MODE_64, &uc),
          "uc_open");
    /* As zxsim does: 4 KiB pages where Unicorn allows it on arm64 (2.1.2
     * and later); 2.1.1 refuses and keeps 1 KiB, in both programs alike. */
    if (st.arm64)
        sim_uc_set_page_size(uc, 4096);

    gsize file_len;
    const uint8_t *file = g_bytes_get_data(img->file, &file_len);
    for (guint i = 0; i < img->segments->len; i++) {
        const sim_elf_segment *s = &g_array_index(img->segments, sim_elf_segment, i);
        uint64_t start = s->vaddr & ~0xfffull;
        uint64_t end = (s->vaddr + s->memsz + 0xfff) & ~0xfffull;
        uint8_t *host = host_region(end - start);
        memcpy(host + (s->vaddr - start), file + s->file_offset, s->filesz);
        map_region(uc, start, end - start, host);
    }
    uint8_t *stack = host_region(STACK_SIZE);
    map_region(uc, STACK_BASE, STACK_SIZE, stack);
    int guest_argc = argc - first;
    uint64_t argv_at;
    uint64_t sp = build_stack(stack, guest_argc, argv + first, &argv_at);

    uc_hook trap, code, mem, block;
    if (st.arm64) {
        set_entry_arm64(uc, sp, (uint64_t)guest_argc, argv_at);
        check(uc_hook_add(uc, &trap, UC_HOOK_INTR, on_intr, &st, 1, 0), "interrupt hook");
    } else {
        set_entry_x86(uc, img->entry, sp, (uint64_t)guest_argc, argv_at);
        check(uc_hook_add(uc, &trap, UC_HOOK_INSN, on_syscall, &st, 1, 0, UC_X86_INS_SYSCALL),
              "syscall hook");
    }
    if (count)
        check(uc_hook_add(uc, &code, UC_HOOK_CODE, on_code, &st, 1, 0), "code hook");
    if (hooks) {
        check(uc_hook_add(uc, &mem, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, on_mem, &st, 1, 0),
              "memory hook");
        check(uc_hook_add(uc, &block, UC_HOOK_BLOCK, on_block, &st, 1, 0), "block hook");
    }

    /* `until` 0 is never executed: the syscall hook ends the run. */
    double t0 = now_s();
    uc_err err = uc_emu_start(uc, img->entry, 0, 0, 0);
    double seconds = now_s() - t0;
    if (err != UC_ERR_OK || !st.trapped) {
        uint64_t pc = 0;
        uc_reg_read(uc, st.arm64 ? UC_ARM64_REG_PC : UC_X86_REG_RIP, &pc);
        die("%s: the run ended before a syscall (%s, exception %d, pc 0x%" G_GINT64_MODIFIER "x)",
            argv[first], uc_strerror(err), st.exc_seen ? (int)st.exc : -1, pc);
    }
    printf("bare: isa %s, syscall %" G_GUINT64_FORMAT ", status %" G_GUINT64_FORMAT
           ", host time %.9f s",
           st.arm64 ? "arm64" : "x86-64", st.number, st.arg0, seconds);
    if (count)
        printf(", insns %" G_GUINT64_FORMAT, st.insns);
    if (hooks)
        printf(", data refs %" G_GUINT64_FORMAT ", blocks %" G_GUINT64_FORMAT, st.refs, st.blocks);
    printf("\n");
    uc_close(uc);
    sim_elf_image_free(img);
    return 0;
}

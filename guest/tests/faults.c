/* Dies in the way argv[1] names, so that the integration tests can check
 * zxsim's report of each fatal outcome (tests/integration/run.py).
 *
 *   faults CASE [OFFSET]
 *
 * Memory cases touch base + OFFSET (hex, default 0x18) of a page the guest
 * sets up itself, after printing one line
 *   touch ACCESS 0xADDRESS
 * so that the runner can compare the exact address with zxsim's report. The
 * offsets are deliberately not page aligned: the report must carry the
 * address the instruction used, not the page Unicorn's TLB asked about.
 *
 * Memory cases:
 *   read-unmapped      8-byte load from a page that was mapped and unmapped
 *   read-indexed       the same, through an indexed (base + index) load
 *   read-byte          1-byte load (any offset, odd ones too)
 *   read-preindex      arm64: pre-indexed load with writeback
 *                      (ldr x, [x, #16]!); x86-64: base + index * 4 + 0x10
 *   read-postindex     arm64: post-indexed load (ldr x, [x], #16), which
 *                      reads at the base; x86-64: pop with rsp at the address
 *   write-readonly     8-byte store into a read-only mapping
 *   exec-nx            call into a read-write (not executable) mapping
 *   exec-unmapped      call into an unmapped page
 *   write-beyond       8-byte store into the second page of a two-page
 *                      mapping of a one-page VMO
 * CPU exceptions and kills:
 *   trap               __builtin_trap()
 *   udf                a permanently undefined instruction (udf / ud2)
 *   privileged         a privileged instruction (x86-64: hlt; arm64: msr to
 *                      an EL1 system register)
 *   bad-syscall        a raw trap with syscall number 9999
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#define PAGE 4096u

static void check(zx_status_t status, const char *what)
{
    if (status != ZX_OK) {
        printf("setup failed: %s -> %d\n", what, status);
        exit(1);
    }
}

/* Maps a fresh VMO of vmo_pages pages over map_pages pages with perms. */
static uintptr_t map_new(uint64_t vmo_pages, uint64_t map_pages, zx_vm_option_t perms)
{
    zx_handle_t vmo;
    check(zx_vmo_create(vmo_pages * PAGE, 0, &vmo), "zx_vmo_create");
    zx_vaddr_t addr;
    check(zx_vmar_map(zx_vmar_root_self(), perms, 0, vmo, 0, map_pages * PAGE, &addr),
          "zx_vmar_map");
    zx_handle_close(vmo);
    return addr;
}

/* A page-sized hole in the address space that certainly holds no mapping. */
static uintptr_t unmapped_page(void)
{
    uintptr_t addr = map_new(1, 1, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE);
    check(zx_vmar_unmap(zx_vmar_root_self(), addr, PAGE), "zx_vmar_unmap");
    return addr;
}

static void announce(const char *access, uintptr_t addr)
{
    printf("touch %s 0x%016lx\n", access, (unsigned long)addr);
    fflush(stdout);
}

/* noinline keeps each access a single load or store the decoder must read. */
__attribute__((noinline)) static uint64_t load64(volatile uint64_t *p)
{
    return *p;
}

__attribute__((noinline)) static uint64_t load_indexed(volatile uint64_t *base, uint64_t index)
{
    return base[index];
}

__attribute__((noinline)) static uint8_t load8(volatile uint8_t *p)
{
    return *p;
}

__attribute__((noinline)) static void store64(volatile uint64_t *p, uint64_t v)
{
    *p = v;
}

/* Addressing forms whose effective address the decoder must work out:
 * both load from address a. */
__attribute__((noinline)) static uint64_t load_preindex(uintptr_t a)
{
    uint64_t v;
#if defined(__aarch64__)
    uintptr_t base = a - 16;
    __asm__ volatile("ldr %0, [%1, #16]!" : "=&r"(v), "+r"(base) : : "memory");
#else
    uintptr_t base = a - 0x10 - 4 * 5, index = 5;
    __asm__ volatile("mov 0x10(%1,%2,4), %0" : "=r"(v) : "r"(base), "r"(index) : "memory");
#endif
    return v;
}

__attribute__((noinline)) static uint64_t load_postindex(uintptr_t a)
{
    uint64_t v;
#if defined(__aarch64__)
    uintptr_t base = a;
    __asm__ volatile("ldr %0, [%1], #16" : "=&r"(v), "+r"(base) : : "memory");
#else
    /* The stack pointer moves to a; the pop faults, so it never returns
     * here with a strange stack. */
    __asm__ volatile("mov %%rsp, %%r12\n\t"
                     "mov %1, %%rsp\n\t"
                     "pop %0\n\t"
                     "mov %%r12, %%rsp"
                     : "=r"(v)
                     : "r"(a)
                     : "r12", "memory");
#endif
    return v;
}

static int memory_case(const char *name, uintptr_t off)
{
    if (!strcmp(name, "read-unmapped")) {
        uintptr_t a = unmapped_page() + off;
        announce("read", a);
        return (int)load64((volatile uint64_t *)a);
    }
    if (!strcmp(name, "read-indexed")) {
        uintptr_t base = unmapped_page();
        announce("read", base + (off & ~(uintptr_t)7));
        return (int)load_indexed((volatile uint64_t *)base, off / 8);
    }
    if (!strcmp(name, "read-byte")) {
        uintptr_t a = unmapped_page() + off;
        announce("read", a);
        return load8((volatile uint8_t *)a);
    }
    if (!strcmp(name, "read-preindex")) {
        uintptr_t a = unmapped_page() + off;
        announce("read", a);
        return (int)load_preindex(a);
    }
    if (!strcmp(name, "read-postindex")) {
        uintptr_t a = unmapped_page() + off;
        announce("read", a);
        return (int)load_postindex(a);
    }
    if (!strcmp(name, "write-readonly")) {
        uintptr_t a = map_new(1, 1, ZX_VM_PERM_READ) + off;
        /* Reading works: the mapping is there, only writing is refused. */
        printf("read back %lu\n", (unsigned long)load64((volatile uint64_t *)a));
        announce("write", a);
        store64((volatile uint64_t *)a, 0x5a5a);
        return 0;
    }
    if (!strcmp(name, "exec-nx")) {
        uintptr_t base = map_new(1, 1, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE);
        /* Fill the page with return instructions: were it executable, the
         * call would simply come back. */
#if defined(__aarch64__)
        for (uintptr_t i = 0; i < PAGE; i += 4)
            *(volatile uint32_t *)(base + i) = 0xd65f03c0; /* ret */
#else
        memset((void *)base, 0xc3, PAGE); /* ret */
#endif
        uintptr_t a = base + off;
        announce("execute", a);
        ((void (*)(void))a)();
        return 0;
    }
    if (!strcmp(name, "exec-unmapped")) {
        uintptr_t a = unmapped_page() + off;
        announce("execute", a);
        ((void (*)(void))a)();
        return 0;
    }
    if (!strcmp(name, "write-beyond")) {
        /* A mapping may be larger than its VMO; its second page lies beyond
         * the VMO's end. The first page is fine. */
        uintptr_t base = map_new(1, 2, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE);
        store64((volatile uint64_t *)(base + off), 1);
        uintptr_t a = base + PAGE + off;
        announce("write", a);
        store64((volatile uint64_t *)a, 2);
        return 0;
    }
    printf("unknown case %s\n", name);
    return 1;
}

/* A syscall number the table does not have, with the ISA's own trap. */
static long raw_syscall_9999(void)
{
#if defined(__aarch64__)
    register long x0 __asm__("x0") = 0;
    register long x16 __asm__("x16") = 9999;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x16) : "memory");
    return x0;
#else
    long rax = 9999;
    __asm__ volatile("syscall" : "+a"(rax) : : "rcx", "r11", "memory");
    return rax;
#endif
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: faults CASE [OFFSET]\n");
        return 1;
    }
    const char *name = argv[1];
    uintptr_t off = argc > 2 ? strtoull(argv[2], NULL, 16) : 0x18;
    if (!strcmp(name, "trap")) {
        printf("about to trap\n");
        fflush(stdout);
        __builtin_trap();
    }
    if (!strcmp(name, "udf")) {
        printf("about to execute an undefined instruction\n");
        fflush(stdout);
#if defined(__aarch64__)
        __asm__ volatile("udf #0");
#else
        __asm__ volatile("ud2");
#endif
        return 0;
    }
    if (!strcmp(name, "privileged")) {
        printf("about to execute a privileged instruction\n");
        fflush(stdout);
#if defined(__aarch64__)
        /* SCTLR_EL1 is not accessible from EL0: an undefined instruction. */
        __asm__ volatile("msr sctlr_el1, %0" : : "r"(0ul));
#else
        /* hlt at CPL 3 raises a general protection fault. */
        __asm__ volatile("hlt");
#endif
        return 0;
    }
    if (!strcmp(name, "bad-syscall")) {
        printf("about to make syscall 9999\n");
        fflush(stdout);
        long r = raw_syscall_9999();
        printf("syscall 9999 returned %ld\n", r);
        return 0;
    }
    return memory_case(name, off);
}

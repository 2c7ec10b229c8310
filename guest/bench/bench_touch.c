/* Page-touch benchmark: stores one byte to each 4 KiB page of the first MIB
 * MiB of a zero-filled BENCH_TOUCH_MAX_MIB MiB .bss arena, PASSES times
 * over. The inner loop is 4 instructions per page and each pass adds 3, so
 * the guest executes
 *
 *     PASSES * (4 * PAGES + 3) + (a fixed start-up and exit overhead)
 *
 * instructions, PAGES = MIB * 256. The overhead is measured by the bare
 * runner's --count mode.
 *
 * The working set is far beyond the reach of Unicorn's 256-entry TLB, so
 * every store misses it: the first pass measures demand faults (zxsim
 * commits each page then), the later ones the steady-state TLB-miss path.
 *
 * Usage: bench_touch PASSES [MIB]      (MIB defaults to 64)
 *
 * The program makes no syscall before it exits, and prints nothing; a bad
 * argument is exit status 2. */
#include <stdint.h>
#include <stdlib.h>

#define BENCH_TOUCH_MAX_MIB 256
#define PAGE                4096

static uint8_t arena[(uint64_t)BENCH_TOUCH_MAX_MIB << 20] __attribute__((aligned(PAGE)));

static void touch(uint8_t *base, uint8_t *end, uint64_t passes)
{
#if defined(__aarch64__)
    uint8_t *p;
    __asm__ volatile("2:\n\t"
                     "mov  %[p], %[base]\n\t"
                     "1:\n\t"
                     "strb %w[one], [%[p]]\n\t"
                     "add  %[p], %[p], #4096\n\t"
                     "cmp  %[p], %[end]\n\t"
                     "b.ne 1b\n\t"
                     "subs %[n], %[n], #1\n\t"
                     "b.ne 2b\n\t"
                     : [p] "=&r"(p), [n] "+r"(passes)
                     : [base] "r"(base), [end] "r"(end), [one] "r"(1)
                     : "cc", "memory");
#elif defined(__x86_64__)
    uint8_t *p;
    __asm__ volatile("2:\n\t"
                     "mov  %[base], %[p]\n\t"
                     "1:\n\t"
                     "movb $1, (%[p])\n\t"
                     "add  $4096, %[p]\n\t"
                     "cmp  %[end], %[p]\n\t"
                     "jne  1b\n\t"
                     "dec  %[n]\n\t"
                     "jnz  2b\n\t"
                     : [p] "=&r"(p), [n] "+r"(passes)
                     : [base] "r"(base), [end] "r"(end)
                     : "cc", "memory");
#else
#error "unsupported guest ISA"
#endif
}

int main(int argc, char **argv)
{
    uint64_t passes = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
    uint64_t mib = argc > 2 ? strtoull(argv[2], NULL, 0) : 64;
    if (passes == 0 || mib == 0 || mib > BENCH_TOUCH_MAX_MIB)
        return 2;
    touch(arena, arena + (mib << 20), passes);
    return 0;
}

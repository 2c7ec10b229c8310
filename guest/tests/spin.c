/* A guest that runs for as long as it is told: forever without an argument
 * (to be stopped by --max-insns or --timeout), or N turns of a two-instruction
 * loop written in assembly, so that its instruction count is exact and
 * grows by exactly 2 per turn (the integration runner checks both).
 *
 *   spin [N]
 */
#include <stdint.h>
#include <stdlib.h>
#include <zircon/syscalls.h>

/* n >= 1 turns of "decrement, branch if not zero". */
static void turns(uint64_t n)
{
#if defined(__aarch64__)
    __asm__ volatile("1: subs %0, %0, #1\n\t"
                     "b.ne 1b"
                     : "+r"(n)
                     :
                     : "cc");
#else
    __asm__ volatile("1: dec %0\n\t"
                     "jnz 1b"
                     : "+r"(n)
                     :
                     : "cc");
#endif
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        volatile uint64_t counter = 0;
        for (;;)
            counter++;
    }
    uint64_t n = strtoull(argv[1], NULL, 10);
    if (n > 0)
        turns(n);
    /* Straight to the kernel: no stdio flushing whose work could vary. */
    zx_process_exit(0);
}

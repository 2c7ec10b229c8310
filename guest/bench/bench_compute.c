/* Compute-bound benchmark: a register-only loop whose body is exactly
 * BENCH_COMPUTE_BODY instructions on both ISAs (8 ALU operations, the
 * counter decrement and the branch), so that the guest executes
 *
 *     10 * ITERATIONS + (a fixed start-up and exit overhead)
 *
 * instructions. The overhead is measured by the bare runner's --count mode
 * and printed by scripts/bench.sh; it is a few hundred instructions.
 *
 * Usage: bench_compute ITERATIONS
 *
 * The program makes no syscall before it exits (the bare runner stops at
 * the first one), and prints nothing. */
#include <stdint.h>
#include <stdlib.h>

#define BENCH_COMPUTE_BODY 10

static uint64_t spin(uint64_t n)
{
    uint64_t a = 0x9e3779b97f4a7c15ull, b = 0x243f6a8885a308d3ull, c = 1;
    if (n == 0)
        return a;
#if defined(__aarch64__)
    __asm__ volatile("1:\n\t"
                     "add  %[a], %[a], %[b]\n\t"
                     "eor  %[b], %[b], %[a], ror #7\n\t"
                     "add  %[c], %[c], %[a], lsr #3\n\t"
                     "orr  %[a], %[a], %[c], lsl #1\n\t"
                     "sub  %[b], %[b], %[c]\n\t"
                     "eor  %[c], %[c], %[b]\n\t"
                     "and  %[a], %[a], %[b], ror #13\n\t"
                     "add  %[b], %[b], #0x123\n\t"
                     "subs %[n], %[n], #1\n\t"
                     "b.ne 1b\n\t"
                     : [a] "+r"(a), [b] "+r"(b), [c] "+r"(c), [n] "+r"(n)
                     :
                     : "cc");
#elif defined(__x86_64__)
    __asm__ volatile("1:\n\t"
                     "add  %[b], %[a]\n\t"
                     "xor  %[a], %[b]\n\t"
                     "rol  $7, %[b]\n\t"
                     "add  %[a], %[c]\n\t"
                     "or   %[c], %[a]\n\t"
                     "sub  %[c], %[b]\n\t"
                     "xor  %[b], %[c]\n\t"
                     "add  $0x123, %[b]\n\t"
                     "dec  %[n]\n\t"
                     "jnz  1b\n\t"
                     : [a] "+r"(a), [b] "+r"(b), [c] "+r"(c), [n] "+r"(n)
                     :
                     : "cc");
#else
#error "unsupported guest ISA"
#endif
    return a ^ b ^ c;
}

int main(int argc, char **argv)
{
    uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000000;
    /* The exit status depends on the loop's result, so the loop stays live
     * even for a compiler that looked inside the asm. */
    uint64_t r = spin(n);
    return r == 0x5a5a5a5a5a5a5a5aull ? 1 : 0;
}

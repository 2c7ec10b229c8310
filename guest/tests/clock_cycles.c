/* Reads the monotonic clock around a loop of known length and prints the
 * difference: in fast mode the clock moves one microsecond per syscall, in
 * detailed mode with the modelled cycles.
 *
 *   clock_cycles ITERATIONS */
#include <stdio.h>
#include <stdlib.h>
#include <zircon/syscalls.h>

__attribute__((noinline)) unsigned long spin(unsigned long n)
{
    unsigned long x = 1;
    for (unsigned long i = 0; i < n; i++) {
        x = x * 3 + i;
        __asm__ volatile("" : "+r"(x));
    }
    return x;
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;
    zx_time_t t0 = zx_clock_get_monotonic();
    unsigned long x = spin(n);
    zx_time_t t1 = zx_clock_get_monotonic();
    printf("x %lu\n", x);
    printf("elapsed_ns %ld\n", (long)(t1 - t0));
    return 0;
}

/* The program GDB debugs in the --gdb tests (tests/integration/run_gdb.py):
 * a global variable for the debugger to read and change, and a function to
 * stop in, twice. The exit code is counter + argc, so that the tests see a
 * write made from GDB arrive in the guest. */
#include <stdio.h>

volatile int counter = 41;

__attribute__((noinline)) static int bump(int by)
{
    counter += by;
    return counter;
}

int main(int argc, char **argv)
{
    (void)argv;
    bump(argc);
    /* Called twice, so that a breakpoint in bump is hit twice. */
    int value = bump(0);
    printf("counter = %d\n", value);
    return value & 0xff;
}

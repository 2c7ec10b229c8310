/* The smallest useful guest: greets, then echoes its command line. */
#include <stdio.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

int main(int argc, char **argv)
{
    printf("Hello from zxsim!\n");
    printf("argc = %d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = \"%s\"\n", i, argv[i]);
    return 0;
}

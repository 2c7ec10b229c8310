/* The C half of program start-up, entered from crt0's _start with the
 * registers zxsim set up (see guest/README.md). */
#include <stdlib.h>
#include <zircon/types.h>

#include "libc_internal.h"

int main(int argc, char **argv);

extern void (*__preinit_array_start[])(void) __attribute__((__visibility__("hidden")));
extern void (*__preinit_array_end[])(void) __attribute__((__visibility__("hidden")));
extern void (*__init_array_start[])(void) __attribute__((__visibility__("hidden")));
extern void (*__init_array_end[])(void) __attribute__((__visibility__("hidden")));

/* The linker script (zxsim.ld) defines the array bounds. */
static void run(void (**begin)(void), void (**end)(void))
{
    for (; begin < end; begin++)
        (*begin)();
}

__NO_RETURN void __zxsim_start(zx_handle_t process, zx_handle_t root_vmar, long argc, char **argv)
{
    __zxsim_set_startup_handles(process, root_vmar);
    run(__preinit_array_start, __preinit_array_end);
    run(__init_array_start, __init_array_end);
    exit(main((int)argc, argv));
}

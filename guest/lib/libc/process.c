/* <zircon/process.h>: the handles zxsim passed to _start. */
#include <zircon/process.h>

#include "libc_internal.h"

static zx_handle_t process_self;
static zx_handle_t vmar_root_self;

void __zxsim_set_startup_handles(zx_handle_t process, zx_handle_t root_vmar)
{
    process_self = process;
    vmar_root_self = root_vmar;
}

zx_handle_t zx_process_self(void)
{
    return process_self;
}

zx_handle_t zx_vmar_root_self(void)
{
    return vmar_root_self;
}

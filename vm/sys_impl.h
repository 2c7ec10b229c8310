/* Handlers behind the dispatch table, one per syscall; each checks handles,
 * rights and arguments in Zircon's order. Arguments arrive as raw 64-bit
 * register values and are narrowed here, as the kernel's ABI does. */
#pragma once

#include "types.h"

typedef const uint64_t *vm_args;

/* Handlers return a zx_status_t, except the few calls that return a value. */
#define ZX_SYSCALL(name, number, nargs) int64_t sys_##name(vm_process *p, vm_args a);
#include "syscalls.inc"
#undef ZX_SYSCALL

/* Shared helpers. */
static inline uint32_t arg32(vm_args a, int i)
{
    return (uint32_t)a[i];
}

/* Installs a handle and copies its value to the guest; on a failed copy the
 * handle is closed again and INVALID_ARGS returned, as Zircon does. */
zx_status_t vm_sys_return_handle(vm_process *p, vm_object *obj, zx_rights_t rights,
                                 uint64_t out_ptr);

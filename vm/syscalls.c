#include "syscalls.h"

#include "handle_table.h"
#include "invariants.h"
#include "sys_impl.h"
#include "usercopy.h"

typedef int64_t (*sys_fn)(vm_process *p, vm_args a);

typedef struct syscall_entry {
    const char *name;
    sys_fn fn;
    int nargs;
} syscall_entry;

#define ZX_SYSCALL(name, number, nargs) [number] = {#name, sys_##name, nargs},
static const syscall_entry table[] = {
#include "syscalls.inc"
};
#undef ZX_SYSCALL

uint64_t vm_syscall(vm_process *p, uint32_t number, const uint64_t args[VM_SYSCALL_ARGS])
{
    vm_kernel *k = p->k;
    k->stats.syscalls++;
    if (number >= G_N_ELEMENTS(table) || table[number].fn == NULL) {
        /* Upstream raises a policy exception that kills the process. */
        p->killed = true;
        p->kill_reason = "made a syscall that does not exist";
        p->kill_syscall = number;
        return (uint64_t)(int64_t)ZX_ERR_BAD_SYSCALL;
    }
    uint64_t result = (uint64_t)table[number].fn(p, args);
    if (k->trace) {
        tr_event ev = {.kind = TR_EV_SYSCALL};
        ev.u.syscall.number = number;
        ev.u.syscall.name = table[number].name;
        for (int i = 0; i < VM_SYSCALL_ARGS; i++)
            ev.u.syscall.args[i] = args[i];
        ev.u.syscall.result = (int64_t)result;
        tr_emit(k->trace, &ev);
    }
    if (k->check_invariants)
        vm_check_invariants_or_die(k, table[number].name);
    return result;
}

zx_status_t vm_sys_return_handle(vm_process *p, vm_object *obj, zx_rights_t rights,
                                 uint64_t out_ptr)
{
    zx_handle_t h = vm_handle_install(&p->handles, obj, rights);
    zx_status_t st = vm_copy_out_u32(p->aspace, out_ptr, h);
    if (st != ZX_OK)
        vm_handle_close(&p->handles, h);
    return st;
}

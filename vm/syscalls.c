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

/* The begin event returns its time, from which the end event's duration
 * is measured on the same clock. */
static uint64_t trace_begin(vm_kernel *k, uint32_t number, const syscall_entry *e,
                            const uint64_t args[VM_SYSCALL_ARGS])
{
    if (!tr_wants(k->trace, TR_EV_SYSCALL_BEGIN))
        return 0;
    tr_event ev = {.kind = TR_EV_SYSCALL_BEGIN};
    ev.u.syscall.number = number;
    ev.u.syscall.name = e ? e->name : NULL;
    ev.u.syscall.nargs = e ? (uint32_t)e->nargs : VM_SYSCALL_ARGS;
    for (int i = 0; i < VM_SYSCALL_ARGS; i++)
        ev.u.syscall.args[i] = args[i];
    tr_emit(k->trace, &ev);
    return ev.time;
}

static void trace_end(vm_kernel *k, uint32_t number, const syscall_entry *e,
                      const uint64_t args[VM_SYSCALL_ARGS], uint64_t began, uint64_t result)
{
    if (!tr_wants(k->trace, TR_EV_SYSCALL))
        return;
    tr_event ev = {.kind = TR_EV_SYSCALL};
    ev.u.syscall.number = number;
    ev.u.syscall.name = e ? e->name : NULL;
    ev.u.syscall.nargs = e ? (uint32_t)e->nargs : VM_SYSCALL_ARGS;
    for (int i = 0; i < VM_SYSCALL_ARGS; i++)
        ev.u.syscall.args[i] = args[i];
    ev.u.syscall.result = (int64_t)result;
    ev.u.syscall.duration = tr_now(k->trace) - began;
    tr_emit(k->trace, &ev);
}

uint64_t vm_syscall(vm_process *p, uint32_t number, const uint64_t args[VM_SYSCALL_ARGS])
{
    vm_kernel *k = p->k;
    k->stats.syscalls++;
    const syscall_entry *e =
        number < G_N_ELEMENTS(table) && table[number].fn ? &table[number] : NULL;
    uint64_t began = trace_begin(k, number, e, args);
    if (e == NULL) {
        /* Upstream raises a policy exception that kills the process. */
        p->killed = true;
        p->kill_reason = "made a syscall that does not exist";
        p->kill_syscall = number;
        trace_end(k, number, e, args, began, (uint64_t)(int64_t)ZX_ERR_BAD_SYSCALL);
        return (uint64_t)(int64_t)ZX_ERR_BAD_SYSCALL;
    }
    uint64_t result = (uint64_t)e->fn(p, args);
    trace_end(k, number, e, args, began, result);
    if (k->check_invariants)
        vm_check_invariants_or_die(k, table[number].name);
    return result;
}

zx_status_t vm_sys_return_handle(vm_process *p, vm_object *obj, zx_rights_t rights,
                                 uint64_t out_ptr)
{
    zx_handle_t h = vm_handle_install(&p->handles, obj, rights);
    if (h == ZX_HANDLE_INVALID)
        return ZX_ERR_NO_MEMORY;
    zx_status_t st = vm_copy_out_u32(p->aspace, out_ptr, h);
    if (st != ZX_OK)
        vm_handle_close(&p->handles, h);
    return st;
}

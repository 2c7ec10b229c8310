/* The syscall entry: a trap's number and arguments in, a result out. */
#pragma once

#include "types.h"

#define VM_SYSCALL_ARGS 8

/* Services one syscall for p. The result goes to the guest's return
 * register; after zx_process_exit (or a kill) p->exited / p->killed is set
 * and the guest must not run again. */
uint64_t vm_syscall(vm_process *p, uint32_t number, const uint64_t args[VM_SYSCALL_ARGS]);

/* A process: an address space, a handle table, and how it ended. */
#pragma once

#include "types.h"

/* Creates the process with its two startup handles (itself and its root
 * VMAR). NULL when RAM cannot hold the first page table. */
vm_process *vm_process_create(vm_kernel *k, const char *name, vm_tlb_flush_fn flush,
                              void *flush_ctx);
/* Closes every handle and tears the address space down. */
void vm_process_destroy(vm_process *p);

#define VM_ROOT_VMAR_RIGHTS                                                                        \
    (ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE)

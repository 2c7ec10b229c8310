/* An address space: the page tables and the root VMAR of one process. */
#pragma once

#include "types.h"

/* NULL when RAM cannot hold the root page table. */
vm_aspace *vm_aspace_create(vm_kernel *k, vm_tlb_flush_fn flush, void *flush_ctx);
void vm_aspace_destroy(vm_aspace *as);

/* The mapping that covers va, or NULL. */
vm_mapping *vm_aspace_find_mapping(vm_aspace *as, uint64_t va);

/* Page-table edits that TLBs must hear about: a shootdown follows whenever
 * a present entry was removed or lost a permission. */
void vm_aspace_unmap_ptes(vm_aspace *as, uint64_t va, uint64_t len);
void vm_aspace_narrow_ptes(vm_aspace *as, uint64_t va, uint64_t len, unsigned allowed);

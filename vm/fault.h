/* The kernel's page-fault handler: resolves an access to a mapped page by
 * committing, sharing or copying the page behind it and installing the
 * page-table entry, or says why the access is fatal. */
#pragma once

#include "types.h"

typedef struct vm_fault_result {
    tr_fault_kind kind;
    vm_mapping *mapping; /* covering va, when any */
    uint64_t pa;         /* frame installed */
    unsigned perms;      /* permissions of the entry installed */
} vm_fault_result;

/* access: TR_ACCESS_READ / WRITE / EXEC. Returns ZX_OK with the entry
 * installed, or NOT_FOUND (no mapping), ACCESS_DENIED (permission),
 * OUT_OF_RANGE (beyond the VMO or its stream size), NO_MEMORY. */
zx_status_t vm_fault(vm_aspace *as, uint64_t va, unsigned access, bool from_kernel,
                     vm_fault_result *result);

/* The translation a user access to va needs: the page-table entry when it
 * allows the access, else the one the fault handler installs. The one path
 * for the CPU's TLB misses and for the kernel's copies of user memory. */
zx_status_t vm_translate(vm_aspace *as, uint64_t va, unsigned access, bool from_kernel,
                         uint64_t *pa, unsigned *perms);

/* Is the page at va inside the VMO as mapping m sees it now (its size, and
 * its stream size for FAULT_BEYOND_STREAM_SIZE mappings)? Beyond it an
 * access is fatal (OUT_OF_RANGE). */
bool vm_fault_page_in_vmo(const vm_mapping *m, uint64_t va);

/* Installs entries for the committed pages of [va, va+len) inside m, as
 * MAP_RANGE does: nothing new is committed. */
zx_status_t vm_fault_map_committed(vm_mapping *m, uint64_t va, uint64_t len);

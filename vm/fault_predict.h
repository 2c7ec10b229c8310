/* What the fault handler would do for an access, without doing it: for
 * explaining an address that has no translation yet. */
#pragma once

#include "types.h"

typedef struct vm_fault_prediction {
    vm_mapping *mapping; /* covering va, or NULL */
    bool needs_fault;    /* false: the page-table entry already allows it */
    zx_status_t status;  /* ZX_OK, or why the fault would be fatal */
    tr_fault_kind kind;  /* when needs_fault and status is ZX_OK */
    uint64_t vmo_index;  /* page index in the mapping's root (paged) VMO */
    uint32_t frame;      /* the frame that page has now, 0 when uncommitted */
    uint32_t holders;    /* page lists that hold that frame */
} vm_fault_prediction;

/* access: one TR_ACCESS_* bit. Changes nothing. */
void vm_fault_predict(vm_aspace *as, uint64_t va, unsigned access, vm_fault_prediction *out);

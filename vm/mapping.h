/* A mapping: a range of a VMAR that shows a range of a VMO. */
#pragma once

#include "types.h"

/* Inserts a new mapping into parent; takes a user reference on vmo. */
vm_mapping *vm_mapping_create(vm_vmar *parent, uint64_t base, uint64_t size, vm_vmo *vmo,
                              uint64_t vmo_offset, unsigned perms, unsigned max_perms,
                              uint32_t options);
/* Removes its page-table entries, leaves its VMAR and drops the VMO. */
void vm_mapping_destroy(vm_mapping *m);

unsigned vm_mapping_perms_at(const vm_mapping *m, uint64_t va);
/* The index in m->prot of the run that holds offset (from m's base). */
guint vm_mapping_run_at(const vm_mapping *m, uint64_t offset);
/* m keeps [base, va); the returned mapping covers [va, end). */
vm_mapping *vm_mapping_split(vm_mapping *m, uint64_t va);
/* Sets the current permissions of [va, va+len) (inside m); removes or
 * narrows page-table entries at once, widening is left to faults. */
void vm_mapping_protect(vm_mapping *m, uint64_t va, uint64_t len, unsigned perms);
/* Joins a right neighbour into m when Zircon would merge them: same VMO,
 * contiguous offsets, same maximum permissions and options. The current
 * permissions may differ: they stay runs of the merged mapping. */
bool vm_mapping_try_merge(vm_mapping *m, vm_mapping *right);

/* ZX_VM_PERM_* <-> MMU_PERM_* (the same bits, kept explicit). */
static inline unsigned vm_perms_from_options(uint32_t options)
{
    return options & (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE);
}

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

/* A run of pages with the same current permissions: an entry of m->prot,
 * whose key is the run's offset from m's base. Runs are joined whenever
 * two neighbours have the same permissions. A vm_run is a position (see
 * vm/run_tree.h), valid until the mapping's runs change; vm_run_valid
 * tells whether there is one. */
static inline size_t vm_mapping_run_count(const vm_mapping *m)
{
    return vm_run_tree_count(&m->prot);
}
static inline vm_run vm_mapping_first_run(const vm_mapping *m)
{
    return vm_run_tree_first(&m->prot);
}
/* The run that holds offset (from m's base). */
static inline vm_run vm_mapping_run_at(const vm_mapping *m, uint64_t offset)
{
    return vm_run_tree_floor(&m->prot, offset);
}
/* The run after run, or none. */
static inline vm_run vm_mapping_next_run(vm_run run)
{
    return vm_run_next(run);
}
/* Where run ends: the next run's offset, or m's size. */
static inline uint64_t vm_mapping_run_end(const vm_mapping *m, vm_run run)
{
    vm_run next = vm_run_next(run);
    return vm_run_valid(next) ? vm_run_offset(next) : m->region.size;
}
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

/* Virtual memory address regions: the tree that carves up an address space. */
#pragma once

#include "types.h"

vm_vmar *vm_vmar_create_root(vm_aspace *as, uint64_t base, uint64_t size);
/* A sub-region at [base, base+size), which must be free in parent. The
 * parent's tree holds a reference; the caller gets one too. */
vm_vmar *vm_vmar_create_child(vm_vmar *parent, uint64_t base, uint64_t size, uint32_t flags);

static inline vm_vmar *vm_vmar_from_region(vm_region *r)
{
    return (vm_vmar *)((char *)r - offsetof(vm_vmar, region));
}

static inline vm_mapping *vm_mapping_from_region(vm_region *r)
{
    return (vm_mapping *)((char *)r - offsetof(vm_mapping, region));
}

static inline uint64_t vm_region_end(const vm_region *r)
{
    return r->base + r->size;
}

size_t vm_vmar_child_count(const vm_vmar *vmar);
/* Calls fn(&region->base, region, user) for each direct child in address
 * order until it returns TRUE (a GTraverseFunc, as GTree would). */
void vm_vmar_foreach_child(vm_vmar *vmar, GTraverseFunc fn, gpointer user);

/* r's neighbours among its parent's children, in address order, or NULL. */
vm_region *vm_vmar_prev_child(const vm_region *r);
vm_region *vm_vmar_next_child(const vm_region *r);
/* The neighbours that touch r (end at its base, begin at its end), or NULL. */
void vm_vmar_touching_children(const vm_region *r, vm_region **left, vm_region **right);

/* The direct child (VMAR or mapping) that contains va, or NULL. */
vm_region *vm_vmar_child_at(vm_vmar *vmar, uint64_t va);
/* Direct children overlapping [base, end), ascending (a new array). */
GPtrArray *vm_vmar_children_in(vm_vmar *vmar, uint64_t base, uint64_t end);
bool vm_vmar_range_is_free(vm_vmar *vmar, uint64_t base, uint64_t size);

void vm_vmar_insert(vm_vmar *vmar, vm_region *r);
/* A mapping of vmar gained (or lost) permission runs: vmar's and its
 * ancestors' map_records follow. */
void vm_vmar_add_map_records(vm_vmar *vmar, int64_t delta);
void vm_vmar_remove(vm_vmar *vmar, vm_region *r);

/* Finds room for `size` bytes aligned to `align` whose end is at most
 * limit_end: uniformly at random among all such spots (seeded) unless the
 * region is COMPACT or ASLR is off, then the lowest. NO_RESOURCES when
 * nothing fits. O(log n) in the number of children unless free space is
 * scarce and scattered. */
zx_status_t vm_vmar_place(vm_vmar *vmar, uint64_t size, uint64_t align, uint64_t limit_end,
                          uint64_t *base);

/* Unmaps every mapping below vmar and marks it and every sub-region dead;
 * vmar is removed from its parent. */
void vm_vmar_destroy_tree(vm_vmar *vmar);

/* Mappings overlapping [base, end) anywhere below vmar, ascending. */
typedef struct vm_leaf {
    vm_mapping *mapping;
    bool in_subregion; /* below a sub-VMAR of vmar, not a direct child */
} vm_leaf;
GArray *vm_vmar_leaves_in(vm_vmar *vmar, uint64_t base, uint64_t end);

/* Removes [base, end) from vmar's direct children: sub-VMARs inside are
 * destroyed, mappings are split at the edges and the inner parts removed.
 * The caller has checked that no sub-VMAR is only partly covered. */
void vm_vmar_unmap_range(vm_vmar *vmar, uint64_t base, uint64_t end);
/* The same, given vm_vmar_children_in(vmar, base, end) from the caller. */
void vm_vmar_unmap_children(vm_vmar *vmar, GPtrArray *kids, uint64_t base, uint64_t end);

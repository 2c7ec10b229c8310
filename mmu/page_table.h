/* Architecture-format page tables living in simulated physical memory.
 * Table frames come from the kernel's frame allocator through a small
 * interface, so the hardware model never depends on the kernel. */
#pragma once

#include "physmem.h"
#include "pt_format.h"

typedef struct mmu_frame_source {
    /* Hands out one zero-filled frame, or returns false when RAM is exhausted. */
    bool (*alloc)(void *ctx, uint64_t *pa);
    void (*free)(void *ctx, uint64_t pa);
    void *ctx;
} mmu_frame_source;

typedef struct mmu_page_table {
    const mmu_pt_format *fmt;
    const mmu_physmem *mem;
    mmu_frame_source frames;
    uint64_t root;         /* physical address of the level-0 table */
    uint64_t table_frames; /* frames holding tables, the root included */
} mmu_page_table;

/* One walk, level by level, as the hardware would perform it. */
typedef struct mmu_walk {
    int levels_read; /* entries read before the walk ended */
    uint64_t entry_pa[MMU_PT_LEVELS];
    uint64_t entry[MMU_PT_LEVELS];
    bool present; /* a leaf maps the address */
    uint64_t pa;  /* physical address of the byte, when present */
    unsigned perms;
} mmu_walk;

/* NULL when no frame is left for the root table. */
mmu_page_table *mmu_pt_create(const mmu_pt_format *fmt, const mmu_physmem *mem,
                              mmu_frame_source frames);
/* Frees every table frame (never the leaf frames, which are not ours). */
void mmu_pt_destroy(mmu_page_table *pt);

/* Installs or replaces the leaf for the page at va. perms must be non-zero.
 * Returns false if a table frame could not be allocated. */
bool mmu_pt_map(mmu_page_table *pt, uint64_t va, uint64_t pa, unsigned perms,
                mmu_cache_policy cache);

/* Removes every leaf in [va, va+len) and frees tables left empty.
 * Returns how many present leaves were removed (TLBs must forget those). */
uint64_t mmu_pt_unmap(mmu_page_table *pt, uint64_t va, uint64_t len);

/* Narrows the leaves in [va, va+len) to perms & allowed; a leaf left with no
 * permission is removed. Returns how many leaves lost a permission. */
uint64_t mmu_pt_narrow(mmu_page_table *pt, uint64_t va, uint64_t len, unsigned allowed);

/* The hot path: the leaf for va, if present. */
static inline bool mmu_pt_lookup(const mmu_page_table *pt, uint64_t va, uint64_t *pa,
                                 unsigned *perms)
{
    const mmu_pt_format *fmt = pt->fmt;
    if (va >> MMU_VA_BITS)
        return false;
    uint64_t table = pt->root;
    for (int level = 0; level < MMU_PT_LEAF_LEVEL; level++) {
        uint64_t e = ((const uint64_t *)mmu_phys_ptr(pt->mem, table))[mmu_pt_index(va, level)];
        if ((e & fmt->table_mask) != fmt->table_value)
            return false;
        table = e & fmt->addr_mask;
    }
    uint64_t e =
        ((const uint64_t *)mmu_phys_ptr(pt->mem, table))[mmu_pt_index(va, MMU_PT_LEAF_LEVEL)];
    if (!(e & fmt->present_mask))
        return false;
    *pa = (e & fmt->addr_mask) | (va & MMU_PAGE_MASK);
    *perms = fmt->leaf_perms(e);
    return true;
}

void mmu_pt_walk(const mmu_page_table *pt, uint64_t va, mmu_walk *out);

typedef void (*mmu_leaf_fn)(uint64_t va, uint64_t entry, uint64_t pa, unsigned perms, void *user);
/* Visits every present leaf in ascending virtual-address order. */
void mmu_pt_foreach_leaf(const mmu_page_table *pt, mmu_leaf_fn fn, void *user);

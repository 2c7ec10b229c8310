#include "page_table.h"

#include <string.h>

static uint64_t *table_ptr(const mmu_page_table *pt, uint64_t table_pa)
{
    return mmu_phys_ptr(pt->mem, table_pa);
}

static bool alloc_table(mmu_page_table *pt, uint64_t *pa)
{
    if (!pt->frames.alloc(pt->frames.ctx, pa))
        return false;
    pt->table_frames++;
    return true;
}

static void free_table(mmu_page_table *pt, uint64_t pa)
{
    pt->frames.free(pt->frames.ctx, pa);
    pt->table_frames--;
}

mmu_page_table *mmu_pt_create(const mmu_pt_format *fmt, const mmu_physmem *mem,
                              mmu_frame_source frames)
{
    mmu_page_table *pt = g_new0(mmu_page_table, 1);
    pt->fmt = fmt;
    pt->mem = mem;
    pt->frames = frames;
    if (!alloc_table(pt, &pt->root)) {
        g_free(pt);
        return NULL;
    }
    return pt;
}

static void destroy_level(mmu_page_table *pt, uint64_t table_pa, int level)
{
    if (level < MMU_PT_LEAF_LEVEL) {
        uint64_t *t = table_ptr(pt, table_pa);
        for (unsigned i = 0; i < MMU_PT_ENTRIES; i++) {
            if (mmu_pte_is_table(pt->fmt, t[i], level))
                destroy_level(pt, mmu_pte_address(pt->fmt, t[i]), level + 1);
        }
    }
    free_table(pt, table_pa);
}

void mmu_pt_destroy(mmu_page_table *pt)
{
    if (pt == NULL)
        return;
    destroy_level(pt, pt->root, 0);
    g_free(pt);
}

bool mmu_pt_map(mmu_page_table *pt, uint64_t va, uint64_t pa, unsigned perms,
                mmu_cache_policy cache)
{
    g_assert(perms != 0 && (va >> MMU_VA_BITS) == 0);
    const mmu_pt_format *fmt = pt->fmt;
    uint64_t table = pt->root;
    for (int level = 0; level < MMU_PT_LEAF_LEVEL; level++) {
        uint64_t *e = &table_ptr(pt, table)[mmu_pt_index(va, level)];
        if (!mmu_pte_is_table(fmt, *e, level)) {
            uint64_t next;
            if (!alloc_table(pt, &next))
                return false;
            *e = fmt->table_entry(next);
        }
        table = mmu_pte_address(fmt, *e);
    }
    table_ptr(pt, table)[mmu_pt_index(va, MMU_PT_LEAF_LEVEL)] =
        fmt->leaf_entry(pa & ~MMU_PAGE_MASK, perms, cache);
    return true;
}

static bool table_empty(const mmu_page_table *pt, uint64_t table_pa)
{
    const uint64_t *t = table_ptr(pt, table_pa);
    for (unsigned i = 0; i < MMU_PT_ENTRIES; i++) {
        if (mmu_pte_present(pt->fmt, t[i]))
            return false;
    }
    return true;
}

/* Applies `allowed` (0 = remove) to the leaves of [start, end) below one table,
 * whose first entry maps table_va. Counts leaves that lost a permission. */
static uint64_t change_level(mmu_page_table *pt, uint64_t table_pa, int level, uint64_t table_va,
                             uint64_t start, uint64_t end, unsigned allowed)
{
    const mmu_pt_format *fmt = pt->fmt;
    uint64_t *t = table_ptr(pt, table_pa);
    uint64_t span = mmu_pt_entry_span(level);
    uint64_t changed = 0;
    unsigned first = (unsigned)((start - table_va) / span);
    unsigned last = (unsigned)((end - 1 - table_va) / span);
    for (unsigned i = first; i <= last; i++) {
        if (!mmu_pte_present(fmt, t[i]))
            continue;
        uint64_t entry_va = table_va + i * span;
        if (level == MMU_PT_LEAF_LEVEL) {
            unsigned old = fmt->leaf_perms(t[i]);
            unsigned now = old & allowed;
            if (now == old)
                continue;
            t[i] = now ? fmt->with_perms(t[i], now) : 0;
            changed++;
            continue;
        }
        if (!mmu_pte_is_table(fmt, t[i], level))
            continue;
        uint64_t lo = MAX(start, entry_va);
        uint64_t hi = MIN(end, entry_va + span);
        uint64_t child = mmu_pte_address(fmt, t[i]);
        uint64_t below = change_level(pt, child, level + 1, entry_va, lo, hi, allowed);
        changed += below;
        /* Only a table that just lost entries can have become empty. */
        if (allowed == 0 && below > 0 && table_empty(pt, child)) {
            t[i] = 0;
            free_table(pt, child);
        }
    }
    return changed;
}

static uint64_t clip_end(uint64_t va, uint64_t len)
{
    uint64_t limit = 1ull << MMU_VA_BITS;
    if (va >= limit)
        return va;
    return (len > limit - va) ? limit : va + len;
}

uint64_t mmu_pt_unmap(mmu_page_table *pt, uint64_t va, uint64_t len)
{
    uint64_t end = clip_end(va, len);
    if (end <= va)
        return 0;
    return change_level(pt, pt->root, 0, 0, va, end, 0);
}

uint64_t mmu_pt_narrow(mmu_page_table *pt, uint64_t va, uint64_t len, unsigned allowed)
{
    uint64_t end = clip_end(va, len);
    if (end <= va || allowed == MMU_PERM_RWX)
        return 0;
    return change_level(pt, pt->root, 0, 0, va, end, allowed);
}

void mmu_pt_walk(const mmu_page_table *pt, uint64_t va, mmu_walk *out)
{
    const mmu_pt_format *fmt = pt->fmt;
    memset(out, 0, sizeof *out);
    if (va >> MMU_VA_BITS)
        return;
    uint64_t table = pt->root;
    for (int level = 0; level < MMU_PT_LEVELS; level++) {
        uint64_t entry_pa = table + 8ull * mmu_pt_index(va, level);
        uint64_t e = *(const uint64_t *)mmu_phys_ptr(pt->mem, entry_pa);
        out->entry_pa[level] = entry_pa;
        out->entry[level] = e;
        out->levels_read = level + 1;
        if (level == MMU_PT_LEAF_LEVEL) {
            if (mmu_pte_present(fmt, e)) {
                out->present = true;
                out->pa = mmu_pte_address(fmt, e) | (va & MMU_PAGE_MASK);
                out->perms = fmt->leaf_perms(e);
            }
            return;
        }
        if (!mmu_pte_is_table(fmt, e, level))
            return;
        table = mmu_pte_address(fmt, e);
    }
}

static void foreach_level(const mmu_page_table *pt, uint64_t table_pa, int level, uint64_t table_va,
                          mmu_leaf_fn fn, void *user)
{
    const mmu_pt_format *fmt = pt->fmt;
    const uint64_t *t = table_ptr(pt, table_pa);
    for (unsigned i = 0; i < MMU_PT_ENTRIES; i++) {
        uint64_t va = table_va + i * mmu_pt_entry_span(level);
        if (level == MMU_PT_LEAF_LEVEL) {
            if (mmu_pte_present(fmt, t[i]))
                fn(va, t[i], mmu_pte_address(fmt, t[i]), fmt->leaf_perms(t[i]), user);
        } else if (mmu_pte_is_table(fmt, t[i], level)) {
            foreach_level(pt, mmu_pte_address(fmt, t[i]), level + 1, va, fn, user);
        }
    }
}

void mmu_pt_foreach_leaf(const mmu_page_table *pt, mmu_leaf_fn fn, void *user)
{
    foreach_level(pt, pt->root, 0, 0, fn, user);
}

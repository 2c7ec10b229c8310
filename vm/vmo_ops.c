#include "vmo_ops.h"

#include "hw_refs.h"
#include "vmo.h"

#include <string.h>

zx_status_t vm_vmo_op_commit(vm_vmo *v, uint64_t offset, uint64_t len)
{
    if (!vm_range_within(offset, len, vm_vmo_size(v)))
        return ZX_ERR_OUT_OF_RANGE;
    if (len == 0)
        return ZX_OK;
    uint64_t base;
    vm_vmo *root = vm_vmo_root(v, &base);
    uint64_t first = (base + offset) >> VM_PAGE_SHIFT;
    uint64_t end = (base + offset + len + VM_PAGE_MASK) >> VM_PAGE_SHIFT;
    for (uint64_t i = first; i < end; i++) {
        uint32_t frame;
        /* In a clone this forks shared pages: a commit makes them private. */
        zx_status_t st = vm_vmo_page_for_write(root, i, &frame, NULL);
        if (st != ZX_OK)
            return st;
    }
    return ZX_OK;
}

zx_status_t vm_vmo_op_decommit(vm_vmo *v, uint64_t offset, uint64_t len)
{
    if (!vm_range_within(offset, len, vm_vmo_size(v)))
        return ZX_ERR_OUT_OF_RANGE;
    if (len == 0)
        return ZX_OK;
    uint64_t base;
    vm_vmo *root = vm_vmo_root(v, &base);
    /* A copy-on-write family cannot decommit until it dissolves. */
    if (root->child_kind == VM_CHILD_SNAPSHOT || root->snapshot_children > 0)
        return ZX_ERR_NOT_SUPPORTED;
    if (!vm_is_page_aligned(offset) || !vm_is_page_aligned(len))
        return ZX_ERR_INVALID_ARGS;
    vm_vmo_drop_pages(root, (base + offset) >> VM_PAGE_SHIFT,
                      (base + offset + len) >> VM_PAGE_SHIFT);
    return ZX_OK;
}

zx_status_t vm_vmo_zero_range(vm_vmo *v, uint64_t offset, uint64_t end)
{
    uint64_t base;
    vm_vmo *root = vm_vmo_root(v, &base);
    uint64_t lo = base + offset, hi = base + end;
    while (lo < hi) {
        uint64_t page = vm_rounddown_page(lo);
        uint64_t page_end = page + VM_PAGE_SIZE;
        uint64_t index = page >> VM_PAGE_SHIFT;
        if (lo == page && hi >= page_end) {
            /* A whole page: release it. Past the partial first page, whole
             * pages run up to the last one; drop them in one sweep. */
            uint64_t last = hi >> VM_PAGE_SHIFT;
            vm_vmo_drop_pages(root, index, last);
            lo = last << VM_PAGE_SHIFT;
            continue;
        }
        uint64_t stop = MIN(hi, page_end);
        if (vm_vmo_page(root, index) != 0) {
            uint32_t frame;
            zx_status_t st = vm_vmo_page_for_write(root, index, &frame, NULL);
            if (st != ZX_OK)
                return st;
            vm_hw_kernel_access(root->k, vm_pmm_pa(frame) + (lo - page), stop - lo, true);
            memset((uint8_t *)vm_pmm_frame_ptr(root->k->pmm, frame) + (lo - page), 0, stop - lo);
        }
        lo = stop;
    }
    return ZX_OK;
}

zx_status_t vm_vmo_op_zero(vm_vmo *v, uint64_t offset, uint64_t len)
{
    if (!vm_range_within(offset, len, vm_vmo_size(v)))
        return ZX_ERR_OUT_OF_RANGE;
    return vm_vmo_zero_range(v, offset, offset + len);
}

zx_status_t vm_vmo_op_cache(vm_vmo *v, uint32_t op, uint64_t offset, uint64_t len)
{
    if (len == 0)
        return ZX_ERR_INVALID_ARGS;
    if (!vm_range_within(offset, len, vm_vmo_size(v)))
        return ZX_ERR_OUT_OF_RANGE;
    vm_kernel *k = v->k;
    if (!k->hw || !k->hw_counting)
        return ZX_OK; /* contents are unaffected: only a cache model sees it */
    mmu_cache_op what = op == ZX_VMO_OP_CACHE_CLEAN              ? MMU_CACHE_OP_CLEAN
                        : op == ZX_VMO_OP_CACHE_INVALIDATE       ? MMU_CACHE_OP_INVALIDATE
                        : op == ZX_VMO_OP_CACHE_CLEAN_INVALIDATE ? MMU_CACHE_OP_CLEAN_INVALIDATE
                                                                 : MMU_CACHE_OP_SYNC;
    /* Only committed frames can have lines in a cache. */
    uint64_t base;
    vm_vmo *root = vm_vmo_root(v, &base);
    uint64_t lo = base + offset, hi = base + offset + len;
    while (lo < hi) {
        uint64_t page = vm_rounddown_page(lo);
        uint64_t stop = MIN(hi, page + VM_PAGE_SIZE);
        uint32_t frame = vm_vmo_page(root, page >> VM_PAGE_SHIFT);
        if (frame != VM_ZERO_FRAME)
            mmu_hw_cache_op(k->hw, vm_pmm_pa(frame) + (lo - page), stop - lo, what);
        lo = stop;
    }
    return ZX_OK;
}

zx_status_t vm_vmo_op_prefetch(vm_vmo *v, uint64_t offset, uint64_t len)
{
    if (!vm_range_within(offset, len, vm_vmo_size(v)))
        return ZX_ERR_OUT_OF_RANGE;
    return ZX_OK;
}

zx_status_t vm_vmo_op_hint(vm_vmo *v, uint32_t op, uint64_t offset, uint64_t len)
{
    /* Without a user pager the hints are accepted for any range
     * (VmObjectPaged::HintRange returns before its range check). */
    return ZX_OK;
}

zx_status_t vm_vmo_set_content_size(vm_vmo *v, uint64_t content, uint64_t zero_from)
{
    vm_vmo *t = vm_vmo_target(v);
    if (zero_from < t->size) {
        zx_status_t st = vm_vmo_zero_range(t, zero_from, t->size);
        if (st != ZX_OK)
            return st;
    }
    t->content_size = content;
    return ZX_OK;
}

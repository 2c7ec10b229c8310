#include "aspace.h"

#include "mmu/hw.h"
#include "object.h"
#include "vmar.h"

vm_aspace *vm_aspace_create(vm_kernel *k, vm_tlb_flush_fn flush, void *flush_ctx)
{
    mmu_frame_source frames;
    vm_pmm_frame_source(k->pmm, &frames);
    mmu_page_table *pt = mmu_pt_create(k->arch->pt_format, k->mem, frames);
    if (pt == NULL)
        return NULL;
    vm_aspace *as = g_new0(vm_aspace, 1);
    as->k = k;
    as->pt = pt;
    as->asid = ++k->next_asid;
    as->tlb_flush = flush;
    as->tlb_ctx = flush_ctx;
    as->root = vm_vmar_create_root(as, k->arch->user_base, k->arch->user_size);
    k->aspaces = g_list_append(k->aspaces, as);
    return as;
}

void vm_aspace_destroy(vm_aspace *as)
{
    if (as == NULL)
        return;
    as->k->aspaces = g_list_remove(as->k->aspaces, as);
    vm_vmar_destroy_tree(as->root);
    vm_object_unref(&as->root->obj);
    mmu_pt_destroy(as->pt);
    g_free(as);
}

vm_mapping *vm_aspace_find_mapping(vm_aspace *as, uint64_t va)
{
    vm_vmar *vmar = as->root;
    for (;;) {
        vm_region *r = vm_vmar_child_at(vmar, va);
        if (r == NULL)
            return NULL;
        if (r->kind == VM_REGION_MAPPING)
            return (vm_mapping *)((char *)r - offsetof(vm_mapping, region));
        vmar = (vm_vmar *)((char *)r - offsetof(vm_vmar, region));
    }
}

/* Only a change that removed or narrowed a present entry needs one: the
 * TLB can hold nothing else. The model forgets exactly what was named. */
static void shootdown(vm_aspace *as, tr_shootdown_kind kind, uint64_t va, uint64_t len,
                      uint64_t entries)
{
    if (entries == 0)
        return;
    vm_kernel *k = as->k;
    as->shootdowns++;
    k->stats.shootdowns++;
    k->stats.shootdowns_by_kind[kind]++;
    tr_event ev = {
        .kind = TR_EV_SHOOTDOWN,
        .u.shootdown = {.kind = kind, .asid = as->asid, .va = va, .len = len, .entries = entries}};
    tr_emit(k->trace, &ev);
    if (k->hw)
        mmu_hw_shootdown(k->hw, kind, as->asid, va, len);
    if (as->tlb_flush)
        as->tlb_flush(as->tlb_ctx, kind, as->asid, va, len);
}

void vm_aspace_unmap_ptes(vm_aspace *as, uint64_t va, uint64_t len)
{
    shootdown(as, TR_SHOOTDOWN_ADDR, va, len, mmu_pt_unmap(as->pt, va, len));
}

void vm_aspace_narrow_ptes(vm_aspace *as, uint64_t va, uint64_t len, unsigned allowed)
{
    shootdown(as, TR_SHOOTDOWN_ADDR, va, len, mmu_pt_narrow(as->pt, va, len, allowed));
}

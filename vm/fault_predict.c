#include "fault_predict.h"

#include "aspace.h"
#include "fault.h"
#include "mapping.h"
#include "vmo.h"

#include <string.h>

/* The same decisions as the fault handler's resolve(), in its order. */
void vm_fault_predict(vm_aspace *as, uint64_t va, unsigned access, vm_fault_prediction *out)
{
    memset(out, 0, sizeof *out);
    out->kind = TR_FAULT_FATAL;
    uint64_t pa;
    unsigned have;
    if (mmu_pt_lookup(as->pt, va, &pa, &have) && mmu_perms_allow(have, access)) {
        out->status = ZX_OK;
        out->mapping = vm_aspace_find_mapping(as, va);
        out->frame = vm_pmm_frame(pa);
        out->holders = as->k->pmm->page_refs[out->frame];
        return;
    }
    out->needs_fault = true;
    vm_mapping *m = vm_aspace_find_mapping(as, va);
    out->mapping = m;
    if (m == NULL) {
        out->status = ZX_ERR_NOT_FOUND;
        return;
    }
    if (!mmu_perms_allow(vm_mapping_perms_at(m, va), access)) {
        out->status = ZX_ERR_ACCESS_DENIED;
        return;
    }
    if (!vm_fault_page_in_vmo(m, va)) {
        out->status = ZX_ERR_OUT_OF_RANGE;
        return;
    }
    out->vmo_index = (m->root_offset + (vm_rounddown_page(va) - m->region.base)) >> VM_PAGE_SHIFT;
    out->frame = vm_vmo_page(m->root, out->vmo_index);
    out->holders = out->frame ? as->k->pmm->page_refs[out->frame] : 0;
    out->status = ZX_OK;
    if (!(access & TR_ACCESS_WRITE))
        out->kind = out->frame ? TR_FAULT_MAP_COMMITTED : TR_FAULT_ZERO_PAGE;
    else if (out->frame == 0)
        out->kind = TR_FAULT_DEMAND_ZERO;
    else
        out->kind = out->holders > 1 ? TR_FAULT_COW_COPY : TR_FAULT_MAP_COMMITTED;
}

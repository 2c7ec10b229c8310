#include "fault.h"

#include "aspace.h"
#include "invariants.h"
#include "mapping.h"
#include "page_list.h"
#include "vmo.h"

/* Is the page at va inside the VMO as the mapping sees it right now? */
static bool page_in_vmo(const vm_mapping *m, uint64_t va)
{
    uint64_t offset = m->vmo_offset + (vm_rounddown_page(va) - m->region.base);
    if (offset >= vm_vmo_size(m->vmo))
        return false;
    if (m->options & ZX_VM_FAULT_BEYOND_STREAM_SIZE) {
        uint64_t stream;
        if (!vm_roundup_page(vm_vmo_content_size(m->vmo), &stream))
            stream = UINT64_MAX;
        if (offset >= stream)
            return false;
    }
    return true;
}

static void record(vm_kernel *k, uint64_t va, unsigned access, bool from_kernel,
                   const vm_fault_result *res, zx_status_t status)
{
    k->stats.faults++;
    k->stats.faults_by_kind[res->kind]++;
    if (!tr_wants(k->trace, TR_EV_FAULT))
        return;
    /* A user copy already knows its byte; the guest's own access is known
     * only by its page until sim/ decodes the instruction. */
    if (!from_kernel && k->trace->fault_va)
        va = k->trace->fault_va(k->trace->fault_ctx, va, access);
    tr_event ev = {.kind = TR_EV_FAULT};
    ev.u.fault.va = va;
    ev.u.fault.pc = k->trace->pc ? k->trace->pc(k->trace->pc_ctx) : 0;
    ev.u.fault.access = access;
    ev.u.fault.kind = res->kind;
    ev.u.fault.pa = res->pa;
    ev.u.fault.status = status;
    ev.u.fault.from_kernel = from_kernel;
    if (res->mapping) {
        ev.u.fault.vmo_koid = res->mapping->vmo->obj.koid;
        ev.u.fault.vmo_offset = res->mapping->vmo_offset + (va - res->mapping->region.base);
    }
    tr_emit(k->trace, &ev);
}

static zx_status_t install(vm_aspace *as, const vm_mapping *m, uint64_t va, uint32_t frame,
                           unsigned perms)
{
    if (!mmu_pt_map(as->pt, vm_rounddown_page(va), vm_pmm_pa(frame), perms,
                    (mmu_cache_policy)m->root->cache_policy))
        return ZX_ERR_NO_MEMORY;
    return ZX_OK;
}

/* Permissions an entry may carry for a frame: shared frames and the zero
 * page never carry write, so that writes come back here to copy. */
static unsigned entry_perms(vm_kernel *k, unsigned perms, uint32_t frame)
{
    if (frame == VM_ZERO_FRAME || k->pmm->page_refs[frame] > 1)
        perms &= ~MMU_PERM_WRITE;
    return perms;
}

static zx_status_t resolve(vm_aspace *as, uint64_t va, unsigned access, vm_fault_result *res)
{
    vm_kernel *k = as->k;
    vm_mapping *m = vm_aspace_find_mapping(as, va);
    res->mapping = m;
    if (m == NULL)
        return ZX_ERR_NOT_FOUND;
    unsigned perms = vm_mapping_perms_at(m, va);
    if (!mmu_perms_allow(perms, access))
        return ZX_ERR_ACCESS_DENIED;
    if (!page_in_vmo(m, va))
        return ZX_ERR_OUT_OF_RANGE;

    uint64_t index = (m->root_offset + (vm_rounddown_page(va) - m->region.base)) >> VM_PAGE_SHIFT;
    uint32_t frame;
    if (access & TR_ACCESS_WRITE) {
        zx_status_t st = vm_vmo_page_for_write(m->root, index, &frame, &res->kind);
        if (st != ZX_OK)
            return st;
    } else {
        frame = vm_vmo_page(m->root, index);
        res->kind = frame ? TR_FAULT_MAP_COMMITTED : TR_FAULT_ZERO_PAGE;
        if (frame == VM_ZERO_FRAME)
            m->root->zero_page_shown = true;
    }
    res->pa = vm_pmm_pa(frame);
    res->perms = entry_perms(k, perms, frame);
    return install(as, m, va, frame, res->perms);
}

bool vm_fault_page_in_vmo(const vm_mapping *m, uint64_t va)
{
    return page_in_vmo(m, va);
}

zx_status_t vm_fault(vm_aspace *as, uint64_t va, unsigned access, bool from_kernel,
                     vm_fault_result *result)
{
    vm_fault_result local;
    vm_fault_result *res = result ? result : &local;
    *res = (vm_fault_result){.kind = TR_FAULT_FATAL};
    zx_status_t st = resolve(as, va, access, res);
    /* A syscall's failed copy is an error status for the syscall, not the
     * end of the guest: counted apart from the guest's fatal faults. */
    if (st != ZX_OK)
        res->kind = from_kernel ? TR_FAULT_USER_COPY : TR_FAULT_FATAL;
    record(as->k, va, access, from_kernel, res, st);
    if (as->k->check_invariants)
        vm_check_invariants_or_die(as->k, "page fault");
    return st;
}

zx_status_t vm_translate(vm_aspace *as, uint64_t va, unsigned access, bool from_kernel,
                         uint64_t *pa, unsigned *perms)
{
    if (mmu_pt_lookup(as->pt, va, pa, perms) && mmu_perms_allow(*perms, access))
        return ZX_OK;
    vm_fault_result res;
    zx_status_t st = vm_fault(as, va, access, from_kernel, &res);
    if (st != ZX_OK)
        return st;
    if (!mmu_perms_allow(res.perms, access))
        return ZX_ERR_INTERNAL; /* resolved, yet the entry does not allow it */
    *pa = res.pa | (va & MMU_PAGE_MASK);
    *perms = res.perms;
    return ZX_OK;
}

zx_status_t vm_fault_map_committed(vm_mapping *m, uint64_t va, uint64_t len)
{
    vm_aspace *as = m->region.parent->aspace;
    /* Visit the committed pages of the window, not every page of it: a
     * mapping may span terabytes of a sparse VMO. */
    uint64_t first = (m->root_offset + (va - m->region.base)) >> VM_PAGE_SHIFT;
    uint64_t end = first + (len >> VM_PAGE_SHIFT);
    GArray *present = vm_page_list_indexes(&m->root->pages, first, end);
    zx_status_t st = ZX_OK;
    for (guint i = 0; i < present->len && st == ZX_OK; i++) {
        uint64_t index = g_array_index(present, uint64_t, i);
        uint64_t page_va = va + ((index - first) << VM_PAGE_SHIFT);
        unsigned perms = vm_mapping_perms_at(m, page_va);
        if (perms == 0 || !page_in_vmo(m, page_va))
            continue;
        uint64_t pa;
        unsigned have;
        if (mmu_pt_lookup(as->pt, page_va, &pa, &have))
            continue;
        uint32_t frame = vm_vmo_page(m->root, index);
        st = install(as, m, page_va, frame, entry_perms(as->k, perms, frame));
    }
    g_array_free(present, TRUE);
    return st;
}

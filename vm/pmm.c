#include "pmm.h"

#include "mmu/page_table.h"

#include <string.h>

vm_pmm *vm_pmm_new(mmu_physmem *mem)
{
    vm_pmm *pmm = g_new0(vm_pmm, 1);
    pmm->mem = mem;
    pmm->nframes = mem->size >> 12;
    pmm->free_frames = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    pmm->page_refs = g_new0(uint32_t, pmm->nframes);
    /* The zero page: never written, never freed. */
    pmm->next_fresh = 1;
    pmm->in_use = 1;
    pmm->peak_in_use = 1;
    return pmm;
}

void vm_pmm_free(vm_pmm *pmm)
{
    if (pmm == NULL)
        return;
    g_array_free(pmm->free_frames, TRUE);
    g_free(pmm->page_refs);
    g_free(pmm);
}

static bool take_frame(vm_pmm *pmm, uint64_t *pa)
{
    if (pmm->free_frames->len > 0) {
        /* Reused frames are warm in the host cache; they need zeroing. */
        uint32_t frame = g_array_index(pmm->free_frames, uint32_t, pmm->free_frames->len - 1);
        g_array_set_size(pmm->free_frames, pmm->free_frames->len - 1);
        memset(vm_pmm_frame_ptr(pmm, frame), 0, 4096);
        *pa = vm_pmm_pa(frame);
        return true;
    }
    if (pmm->next_fresh < pmm->nframes) {
        /* Host anonymous memory starts zeroed: fresh frames need no memset. */
        *pa = vm_pmm_pa((uint32_t)pmm->next_fresh++);
        return true;
    }
    return false;
}

bool vm_pmm_alloc(vm_pmm *pmm, uint64_t *pa)
{
    if (!take_frame(pmm, pa)) {
        if (pmm->reclaim == NULL || !pmm->reclaim(pmm->reclaim_ctx) || !take_frame(pmm, pa))
            return false;
    }
    pmm->in_use++;
    pmm->allocs++;
    if (pmm->in_use > pmm->peak_in_use)
        pmm->peak_in_use = pmm->in_use;
    return true;
}

void vm_pmm_release(vm_pmm *pmm, uint64_t pa)
{
    uint32_t frame = vm_pmm_frame(pa);
    g_assert(frame != VM_ZERO_FRAME && frame < pmm->nframes);
    g_assert(pmm->page_refs[frame] == 0);
    g_array_append_val(pmm->free_frames, frame);
    pmm->in_use--;
    pmm->frees++;
}

void vm_pmm_ref_page(vm_pmm *pmm, uint32_t frame)
{
    if (pmm->page_refs[frame]++ == 0)
        pmm->page_frames++;
}

void vm_pmm_unref_page(vm_pmm *pmm, uint32_t frame)
{
    g_assert(pmm->page_refs[frame] > 0);
    if (--pmm->page_refs[frame] == 0) {
        pmm->page_frames--;
        vm_pmm_release(pmm, vm_pmm_pa(frame));
    }
}

static bool source_alloc(void *ctx, uint64_t *pa)
{
    return vm_pmm_alloc(ctx, pa);
}

static void source_free(void *ctx, uint64_t pa)
{
    vm_pmm_release(ctx, pa);
}

void vm_pmm_frame_source(vm_pmm *pmm, mmu_frame_source *out)
{
    out->alloc = source_alloc;
    out->free = source_free;
    out->ctx = pmm;
}

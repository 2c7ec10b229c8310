#include "kernel.h"

#include "discard.h"
#include "page_list.h"

static bool reclaim_for_pmm(void *ctx)
{
    vm_kernel *k = ctx;
    if (k->discard_policy == VM_DISCARD_NEVER)
        return false;
    return vm_kernel_reclaim(k) > 0;
}

vm_kernel *vm_kernel_create(const vm_kernel_config *cfg, GError **error)
{
    mmu_physmem *mem = mmu_physmem_new(cfg->ram_bytes, error);
    if (mem == NULL)
        return NULL;
    vm_kernel *k = g_new0(vm_kernel, 1);
    k->mem = mem;
    k->pmm = vm_pmm_new(mem);
    k->pmm->reclaim = reclaim_for_pmm;
    k->pmm->reclaim_ctx = k;
    k->arch = cfg->arch;
    k->next_koid = ZX_KOID_FIRST;
    k->rand = g_rand_new_with_seed((guint32)(cfg->seed ^ (cfg->seed >> 32)));
    k->aslr = cfg->aslr;
    k->discard_policy = cfg->discard_policy;
    k->check_invariants = cfg->check_invariants;
    return k;
}

void vm_kernel_destroy(vm_kernel *k)
{
    if (k == NULL)
        return;
    g_assert(k->vmos == NULL);
    g_assert(g_queue_is_empty(&k->reclaimable));
    g_rand_free(k->rand);
    vm_pmm_free(k->pmm);
    mmu_physmem_free(k->mem);
    g_free(k);
}

/* Only VMOs on the reclaimable list can lose pages, so finding that there
 * is nothing to reclaim costs nothing however many VMOs exist. */
uint64_t vm_kernel_reclaim(vm_kernel *k)
{
    uint64_t discarded = 0;
    while (!g_queue_is_empty(&k->reclaimable)) {
        bool done = vm_discard_if_reclaimable(g_queue_peek_head(&k->reclaimable));
        g_assert(done);
        discarded++;
    }
    return discarded;
}

uint64_t vm_kernel_committed_frames(vm_kernel *k)
{
    return k->pmm->page_frames;
}

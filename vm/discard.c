#include "discard.h"

#include "vmo.h"

static bool reclaimable(const vm_vmo *v)
{
    return v->discardable && !v->dead && v->lock_count == 0 && !v->discarded;
}

void vm_discard_track(vm_vmo *v)
{
    GQueue *q = &v->k->reclaimable;
    bool want = reclaimable(v);
    if (want && v->reclaim_link == NULL) {
        g_queue_push_tail(q, v);
        v->reclaim_link = q->tail;
    } else if (!want && v->reclaim_link != NULL) {
        g_queue_delete_link(q, v->reclaim_link);
        v->reclaim_link = NULL;
    }
}

bool vm_discard_if_reclaimable(vm_vmo *v)
{
    if (!reclaimable(v))
        return false;
    vm_vmo_drop_pages(v, 0, v->size >> VM_PAGE_SHIFT);
    v->discarded = true;
    v->committed_change_events++;
    vm_discard_track(v);
    return true;
}

#include "discard.h"

#include "vmo.h"

bool vm_discard_if_reclaimable(vm_vmo *v)
{
    if (!v->discardable || v->dead || v->lock_count > 0 || v->discarded)
        return false;
    vm_vmo_drop_pages(v, 0, v->size >> VM_PAGE_SHIFT);
    v->discarded = true;
    v->committed_change_events++;
    return true;
}

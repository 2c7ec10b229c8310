#include "vmo_child.h"

#include "object.h"
#include "page_list.h"
#include "vmo.h"

/* g_list_append without the walk to the end: children stay in creation order. */
void vm_vmo_link_child(vm_vmo *parent, vm_vmo *child)
{
    GList *l = g_list_alloc();
    l->data = child;
    l->prev = parent->children_tail;
    if (parent->children_tail)
        parent->children_tail->next = l;
    else
        parent->children = l;
    parent->children_tail = l;
    parent->child_count++;
    child->child_link = l;
}

void vm_vmo_unlink_child(vm_vmo *parent, vm_vmo *child)
{
    if (child->child_link == NULL)
        return;
    if (parent->children_tail == child->child_link)
        parent->children_tail = child->child_link->prev;
    parent->children = g_list_delete_link(parent->children, child->child_link);
    parent->child_count--;
    child->child_link = NULL;
}

static void adopt(vm_vmo *parent, vm_vmo *child, vm_child_kind kind)
{
    child->child_kind = kind;
    child->parent = parent;
    child->parent_koid = parent->obj.koid;
    vm_object_ref(&parent->obj);
    vm_vmo_link_child(parent, child);
    parent->dependents = g_list_prepend(parent->dependents, child);
    child->dependent_link = parent->dependents;
    for (vm_vmo *a = parent; a; a = a->parent)
        a->descendants++;
    if (kind == VM_CHILD_SNAPSHOT)
        parent->snapshot_children++;
    else
        vm_object_user_ref(&parent->obj);
}

static vm_vmo *alias_new(vm_vmo *parent, vm_vmo_kind kind)
{
    vm_vmo *v = vm_vmo_create(parent->k, 0, 0, false, false, false);
    /* An alias owns no pages: it is not a paged VMO after all. */
    parent->k->vmos = g_list_delete_link(parent->k->vmos, v->vmos_link);
    v->vmos_link = NULL;
    v->kind = kind;
    v->cache_policy = parent->cache_policy;
    return v;
}

vm_vmo *vm_vmo_create_slice(vm_vmo *parent, uint64_t offset, uint64_t size)
{
    vm_vmo *v = alias_new(parent, VM_VMO_SLICE);
    v->parent_offset = offset;
    v->size = size;
    v->content_size = size;
    adopt(parent, v, VM_CHILD_SLICE);
    return v;
}

vm_vmo *vm_vmo_create_reference(vm_vmo *parent)
{
    vm_vmo *v = alias_new(parent, VM_VMO_REFERENCE);
    /* A reference is resizable exactly when its parent is; CHILD_RESIZABLE
     * only decides whether its handle gets ZX_RIGHT_RESIZE. */
    v->resizable = vm_vmo_target(parent)->resizable;
    adopt(parent, v, VM_CHILD_REFERENCE);
    return v;
}

vm_vmo *vm_vmo_create_snapshot(vm_vmo *parent, uint64_t offset, uint64_t size,
                               uint64_t content_size, bool resizable)
{
    vm_vmo *child = vm_vmo_create(parent->k, size, content_size, resizable, false, false);
    uint64_t base;
    vm_vmo *root = vm_vmo_root(parent, &base);
    uint64_t parent_size = vm_vmo_size(parent);
    /* Only bytes the parent has now are captured; the rest reads zero. */
    uint64_t avail = offset < parent_size ? parent_size - offset : 0;
    uint64_t span = MIN(size, avail);
    uint64_t first = (base + offset) >> VM_PAGE_SHIFT;
    uint64_t end = (base + offset + span) >> VM_PAGE_SHIFT;
    GArray *present = vm_page_list_indexes(&root->pages, first, end);
    for (guint i = 0; i < present->len; i++) {
        uint64_t index = g_array_index(present, uint64_t, i);
        uint32_t frame = vm_vmo_page(root, index);
        vm_pmm_ref_page(root->k->pmm, frame);
        vm_page_list_set(&child->pages, index - first, frame);
    }
    g_array_free(present, TRUE);
    /* The shared pages must fault on the parent's next write. */
    if (span > 0)
        vm_vmo_write_protect_range(root, base + offset, span);
    child->cache_policy = parent->cache_policy;
    /* Remembered for the size checks of zx_vmo_set_size; the pages do not
     * depend on it (a paged VMO owns its page list). */
    child->parent_offset = offset;
    adopt(parent, child, VM_CHILD_SNAPSHOT);
    return child;
}

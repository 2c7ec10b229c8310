#include "vmo.h"

#include "aspace.h"
#include "discard.h"
#include "hw_refs.h"
#include "object.h"
#include "page_list.h"
#include "vmo_child.h"

#include <string.h>

static void vmo_on_last_user_ref(vm_object *obj);
static void vmo_on_free(vm_object *obj);

vm_vmo *vm_vmo_create(vm_kernel *k, uint64_t size, uint64_t content_size, bool resizable,
                      bool discardable, bool unbounded)
{
    vm_vmo *v = g_new0(vm_vmo, 1);
    vm_object_init(k, &v->obj, ZX_OBJ_TYPE_VMO);
    v->obj.on_last_user_ref = vmo_on_last_user_ref;
    v->obj.on_free = vmo_on_free;
    v->k = k;
    v->kind = VM_VMO_PAGED;
    v->size = size;
    v->content_size = content_size;
    v->resizable = resizable;
    v->discardable = discardable;
    v->unbounded = unbounded;
    v->cache_policy = ZX_CACHE_POLICY_CACHED;
    vm_page_list_init(&v->pages);
    k->vmos = g_list_prepend(k->vmos, v);
    v->vmos_link = k->vmos;
    vm_discard_track(v);
    return v;
}

vm_vmo *vm_vmo_target(vm_vmo *v)
{
    while (v->kind == VM_VMO_REFERENCE)
        v = v->parent;
    return v;
}

uint64_t vm_vmo_size(vm_vmo *v)
{
    return vm_vmo_target(v)->size;
}

uint64_t vm_vmo_content_size(vm_vmo *v)
{
    return vm_vmo_target(v)->content_size;
}

vm_vmo *vm_vmo_root(vm_vmo *v, uint64_t *offset_in_root)
{
    uint64_t offset = 0;
    while (v->kind != VM_VMO_PAGED) {
        offset += v->parent_offset;
        v = v->parent;
    }
    *offset_in_root = offset;
    return v;
}

uint32_t vm_vmo_page(vm_vmo *root, uint64_t index)
{
    return vm_page_list_get(&root->pages, index);
}

uint64_t vm_vmo_committed_pages(vm_vmo *v)
{
    return v->kind == VM_VMO_PAGED ? vm_page_list_count(&v->pages) : 0;
}

static void put_page(vm_vmo *root, uint64_t index, uint32_t frame)
{
    vm_pmm_ref_page(root->k->pmm, frame);
    vm_page_list_set(&root->pages, index, frame);
}

static zx_status_t alloc_frame(vm_kernel *k, uint32_t *frame)
{
    uint64_t pa;
    if (!vm_pmm_alloc(k->pmm, &pa))
        return ZX_ERR_NO_MEMORY;
    *frame = vm_pmm_frame(pa);
    return ZX_OK;
}

zx_status_t vm_vmo_page_for_write(vm_vmo *root, uint64_t index, uint32_t *frame, tr_fault_kind *how)
{
    vm_kernel *k = root->k;
    uint32_t old = vm_page_list_get(&root->pages, index);
    if (old != 0 && k->pmm->page_refs[old] == 1) {
        *frame = old;
        if (how)
            *how = TR_FAULT_MAP_COMMITTED;
        return ZX_OK;
    }
    uint32_t fresh;
    zx_status_t st = alloc_frame(k, &fresh);
    if (st != ZX_OK)
        return st;
    if (old != 0) {
        /* Copy-on-write: the page is shared with a snapshot relative. */
        vm_hw_kernel_access(k, vm_pmm_pa(old), VM_PAGE_SIZE, false);
        memcpy(vm_pmm_frame_ptr(k->pmm, fresh), vm_pmm_frame_ptr(k->pmm, old), VM_PAGE_SIZE);
        vm_page_list_take(&root->pages, index);
        vm_pmm_unref_page(k->pmm, old);
    }
    /* A fresh frame is zero-filled, or written by the copy above. */
    vm_hw_kernel_access(k, vm_pmm_pa(fresh), VM_PAGE_SIZE, true);
    put_page(root, index, fresh);
    /* Other mappings showed the old frame or the zero page here. */
    if (old != 0 || root->zero_page_shown)
        vm_vmo_unmap_range(root, index << VM_PAGE_SHIFT, VM_PAGE_SIZE);
    *frame = fresh;
    if (how)
        *how = old ? TR_FAULT_COW_COPY : TR_FAULT_DEMAND_ZERO;
    return ZX_OK;
}

void vm_vmo_drop_pages(vm_vmo *root, uint64_t first, uint64_t end)
{
    if (end <= first)
        return;
    GArray *present = vm_page_list_indexes(&root->pages, first, end);
    for (guint i = 0; i < present->len; i++) {
        uint64_t index = g_array_index(present, uint64_t, i);
        vm_pmm_unref_page(root->k->pmm, vm_page_list_take(&root->pages, index));
    }
    g_array_free(present, TRUE);
    /* Zero-page entries must go too, whether pages were present or not. */
    /* Page indexes stay below 2^52 (the maximum VMO size), so no overflow. */
    vm_vmo_unmap_range(root, first << VM_PAGE_SHIFT, (end - first) << VM_PAGE_SHIFT);
}

/* The part of a mapping that shows root bytes [offset, offset+len). */
static bool mapping_window(const vm_mapping *m, uint64_t offset, uint64_t len, uint64_t *va,
                           uint64_t *va_len)
{
    uint64_t m_start = m->root_offset;
    uint64_t m_end = m->root_offset + m->region.size;
    uint64_t end = (len > UINT64_MAX - offset) ? UINT64_MAX : offset + len;
    uint64_t lo = MAX(m_start, offset), hi = MIN(m_end, end);
    if (lo >= hi)
        return false;
    *va = m->region.base + (lo - m_start);
    *va_len = hi - lo;
    return true;
}

void vm_vmo_unmap_range(vm_vmo *root, uint64_t offset, uint64_t len)
{
    for (vm_mapping *m = root->page_mappings; m; m = m->page_next) {
        uint64_t va, va_len;
        if (mapping_window(m, offset, len, &va, &va_len))
            vm_aspace_unmap_ptes(m->region.parent->aspace, va, va_len);
    }
}

void vm_vmo_write_protect_range(vm_vmo *root, uint64_t offset, uint64_t len)
{
    for (vm_mapping *m = root->page_mappings; m; m = m->page_next) {
        uint64_t va, va_len;
        if (mapping_window(m, offset, len, &va, &va_len))
            vm_aspace_narrow_ptes(m->region.parent->aspace, va, va_len,
                                  MMU_PERM_READ | MMU_PERM_EXEC);
    }
}

zx_status_t vm_vmo_read(vm_vmo *v, uint64_t offset, uint64_t len, vm_vmo_read_fn fn, void *ctx)
{
    uint64_t base;
    vm_vmo *root = vm_vmo_root(v, &base);
    uint64_t done = 0;
    while (done < len) {
        uint64_t pos = base + offset + done;
        size_t in_page = (size_t)(pos & VM_PAGE_MASK);
        size_t chunk = (size_t)MIN(len - done, VM_PAGE_SIZE - in_page);
        uint32_t frame = vm_vmo_page(root, pos >> VM_PAGE_SHIFT);
        const uint8_t *src =
            frame ? (const uint8_t *)vm_pmm_frame_ptr(root->k->pmm, frame) + in_page : NULL;
        zx_status_t st = fn(ctx, done, src, chunk);
        if (st != ZX_OK)
            return st;
        done += chunk;
    }
    return ZX_OK;
}

zx_status_t vm_vmo_write(vm_vmo *v, uint64_t offset, uint64_t len, vm_vmo_write_fn fn, void *ctx)
{
    uint64_t base;
    vm_vmo *root = vm_vmo_root(v, &base);
    uint64_t done = 0;
    while (done < len) {
        uint64_t pos = base + offset + done;
        size_t in_page = (size_t)(pos & VM_PAGE_MASK);
        size_t chunk = (size_t)MIN(len - done, VM_PAGE_SIZE - in_page);
        uint32_t frame;
        zx_status_t st = vm_vmo_page_for_write(root, pos >> VM_PAGE_SHIFT, &frame, NULL);
        if (st != ZX_OK)
            return st;
        st = fn(ctx, done, (uint8_t *)vm_pmm_frame_ptr(root->k->pmm, frame) + in_page, chunk);
        if (st != ZX_OK)
            return st;
        done += chunk;
    }
    return ZX_OK;
}

static zx_status_t copy_in(void *ctx, uint64_t done, uint8_t *dst, size_t len)
{
    memcpy(dst, (const uint8_t *)ctx + done, len);
    return ZX_OK;
}

zx_status_t vm_vmo_write_bytes(vm_vmo *v, uint64_t offset, const void *src, uint64_t len)
{
    return vm_vmo_write(v, offset, len, copy_in, (void *)src);
}

void vm_vmo_set_name(vm_vmo *v, const char *name, size_t len)
{
    memset(v->name, 0, sizeof v->name);
    len = MIN(len, sizeof v->name - 1);
    memcpy(v->name, name, len);
    v->name[strnlen(v->name, len)] = '\0';
}

static void release_all_pages(vm_vmo *v)
{
    GArray *present = vm_page_list_indexes(&v->pages, 0, UINT64_MAX);
    for (guint i = 0; i < present->len; i++) {
        uint64_t index = g_array_index(present, uint64_t, i);
        vm_pmm_unref_page(v->k->pmm, vm_page_list_take(&v->pages, index));
    }
    g_array_free(present, TRUE);
}

/* Only snapshots outlive a parent (slices and references keep theirs
 * alive), and v, now dead, has no pages to give them: they hang from
 * v's parent instead, so that no chain grows through closed VMOs. Their
 * offsets add up as they did through v. */
static void hang_dependents_from(vm_vmo *v, vm_vmo *p)
{
    while (v->dependents) {
        vm_vmo *d = v->dependents->data;
        v->dependents = g_list_delete_link(v->dependents, v->dependents);
        d->parent_offset = v->parent_offset > UINT64_MAX - d->parent_offset
                               ? UINT64_MAX
                               : d->parent_offset + v->parent_offset;
        vm_vmo_unlink_child(v, d);
        d->parent = p;
        d->rehung = true;
        p->dependents = g_list_prepend(p->dependents, d);
        d->dependent_link = p->dependents;
        vm_object_ref(&p->obj);
        vm_object_unref(&v->obj);
    }
}

static void vmo_on_last_user_ref(vm_object *obj)
{
    vm_vmo *v = (vm_vmo *)obj;
    g_assert(v->mappings == NULL && v->page_mappings == NULL);
    v->dead = true;
    vm_discard_track(v);
    if (v->kind == VM_VMO_PAGED) {
        release_all_pages(v);
        v->k->vmos = g_list_delete_link(v->k->vmos, v->vmos_link);
        v->vmos_link = NULL;
    }
    if (v->parent) {
        vm_vmo *p = v->parent;
        vm_vmo_unlink_child(p, v);
        p->dependents = g_list_delete_link(p->dependents, v->dependent_link);
        v->dependent_link = NULL;
        for (vm_vmo *a = p; a; a = a->parent)
            a->descendants--;
        if (v->child_kind == VM_CHILD_SNAPSHOT && !v->rehung)
            p->snapshot_children--;
        /* Before p may die below, so that p hands them on in turn. */
        hang_dependents_from(v, p);
        if (v->kind != VM_VMO_PAGED)
            vm_object_user_unref(&p->obj);
    }
}

static void vmo_on_free(vm_object *obj)
{
    vm_vmo *v = (vm_vmo *)obj;
    /* A VMO the kernel made and dropped before any handle existed. */
    if (!v->dead)
        vmo_on_last_user_ref(obj);
    vm_page_list_destroy(&v->pages);
    vm_vmo *parent = v->parent;
    g_assert(v->children == NULL && v->dependents == NULL);
    g_free(v);
    if (parent)
        vm_object_unref(&parent->obj);
}

#include "info.h"

#include "handle_table.h"
#include "gap_tree.h"
#include "mapping.h"
#include "page_list.h"
#include "vmar.h"
#include "vmo.h"

#include <string.h>

#define FRACTION_ONE (1ull << 63)

void vm_attribute_range(vm_vmo *root, uint64_t offset, uint64_t len, vm_attribution *out)
{
    memset(out, 0, sizeof *out);
    if (len == 0)
        return;
    const uint32_t *refs = root->k->pmm->page_refs;
    uint64_t first = offset >> VM_PAGE_SHIFT;
    uint64_t end = (offset + len + VM_PAGE_MASK) >> VM_PAGE_SHIFT;
    GArray *present = vm_page_list_indexes(&root->pages, first, end);
    for (guint i = 0; i < present->len; i++) {
        uint32_t n = refs[vm_vmo_page(root, g_array_index(present, uint64_t, i))];
        out->committed_bytes += VM_PAGE_SIZE;
        if (n == 1)
            out->private_bytes += VM_PAGE_SIZE;
        out->scaled_bytes += VM_PAGE_SIZE / n;
        /* The remainder of P/n as a 63-bit binary fraction of a byte. */
        uint64_t frac = (uint64_t)(((unsigned __int128)(VM_PAGE_SIZE % n) << 63) / n);
        out->scaled_fraction += frac;
        if (out->scaled_fraction >= FRACTION_ONE) {
            out->scaled_fraction -= FRACTION_ONE;
            out->scaled_bytes++;
        }
    }
    g_array_free(present, TRUE);
}

void vm_info_vmo(vm_vmo *v, bool via_mapping, zx_rights_t rights, zx_info_vmo_t *out)
{
    memset(out, 0, sizeof *out);
    out->koid = v->obj.koid;
    memcpy(out->name, v->name, sizeof out->name);
    out->size_bytes = vm_vmo_size(v);
    out->parent_koid = v->parent_koid;
    out->num_children = v->child_count;
    out->num_mappings = v->mapping_count;
    /* One process, one address space: Zircon answers 1 below two mappings. */
    out->share_count = 1;
    out->flags = ZX_INFO_VMO_TYPE_PAGED;
    if (v->resizable)
        out->flags |= ZX_INFO_VMO_RESIZABLE;
    if (v->child_kind == VM_CHILD_SNAPSHOT)
        out->flags |= ZX_INFO_VMO_IS_COW_CLONE;
    if (vm_vmo_target(v)->discardable)
        out->flags |= ZX_INFO_VMO_DISCARDABLE;
    if (v->immutable)
        out->flags |= ZX_INFO_VMO_IMMUTABLE;
    out->flags |= via_mapping ? ZX_INFO_VMO_VIA_MAPPING : ZX_INFO_VMO_VIA_HANDLE;
    out->handle_rights = via_mapping ? 0 : rights;
    uint64_t root_off;
    out->cache_policy = vm_vmo_root(v, &root_off)->cache_policy;
    out->committed_change_events = vm_vmo_target(v)->committed_change_events;
    if (v->kind == VM_VMO_PAGED) {
        /* The kernel's bookkeeping for the pages: one page-list slot each
         * (key, frame and hash of a GHashTable entry). */
        out->metadata_bytes = vm_page_list_count(&v->pages) * VM_PAGE_LIST_SLOT_BYTES;
        vm_attribution at;
        vm_attribute_range(v, 0, v->size, &at);
        out->committed_bytes = out->populated_bytes = at.committed_bytes;
        out->committed_private_bytes = out->populated_private_bytes = at.private_bytes;
        out->committed_scaled_bytes = out->populated_scaled_bytes = at.scaled_bytes;
        out->committed_fractional_scaled_bytes = out->populated_fractional_scaled_bytes =
            at.scaled_fraction;
    }
}

static void append_record(GArray *out, const char *name, uint64_t base, uint64_t size, size_t depth,
                          zx_info_maps_type_t type, zx_info_maps_t **rec)
{
    zx_info_maps_t r;
    memset(&r, 0, sizeof r);
    g_strlcpy(r.name, name, sizeof r.name);
    r.base = base;
    r.size = size;
    r.depth = depth;
    r.type = type;
    g_array_append_val(out, r);
    *rec = &g_array_index(out, zx_info_maps_t, out->len - 1);
}

/* One record per run of equal permissions inside the mapping. */
static void mapping_records(vm_mapping *m, size_t depth, GArray *out, size_t limit)
{
    for (vm_run node = vm_mapping_first_run(m); vm_run_valid(node) && out->len < limit;
         node = vm_mapping_next_run(node)) {
        struct {
            uint64_t offset;
            unsigned perms;
        } run = {vm_run_offset(node), vm_run_perms(node)};
        uint64_t end = vm_mapping_run_end(m, node);
        zx_info_maps_t *r;
        append_record(out, m->vmo->name, m->region.base + run.offset, end - run.offset, depth,
                      ZX_INFO_MAPS_TYPE_MAPPING, &r);
        zx_info_maps_mapping_t *mm = &r->u.mapping;
        mm->mmu_flags = run.perms;
        mm->vmo_koid = m->vmo->obj.koid;
        mm->vmo_offset = m->vmo_offset + run.offset;
        /* Only pages inside the VMO's current size can be committed. */
        uint64_t vmo_size = vm_vmo_size(m->vmo);
        uint64_t lo = m->vmo_offset + run.offset;
        uint64_t hi = MIN(m->vmo_offset + end, vmo_size);
        vm_attribution at = {0};
        if (lo < hi)
            vm_attribute_range(m->root, m->root_offset + run.offset, hi - lo, &at);
        mm->committed_bytes = mm->populated_bytes = at.committed_bytes;
        mm->committed_private_bytes = mm->populated_private_bytes = at.private_bytes;
        mm->committed_scaled_bytes = mm->populated_scaled_bytes = at.scaled_bytes;
        mm->committed_fractional_scaled_bytes = mm->populated_fractional_scaled_bytes =
            at.scaled_fraction;
    }
}

static const char *vmar_name(const vm_vmar *vmar)
{
    return vmar->region.parent ? "useralloc" : "root";
}

/* Children are taken one at a time, so that a short buffer costs only the
 * records it holds. */
void vm_info_vmar_maps(vm_vmar *vmar, size_t first_depth, GArray *out, size_t limit)
{
    if (out->len >= limit)
        return;
    zx_info_maps_t *r;
    append_record(out, vmar_name(vmar), vmar->region.base, vmar->region.size, first_depth,
                  ZX_INFO_MAPS_TYPE_VMAR, &r);
    if (vmar->dead)
        return;
    for (vm_region *k = vm_gap_tree_first(&vmar->children); k && out->len < limit;
         k = vm_gap_tree_next(k)) {
        if (k->kind == VM_REGION_MAPPING)
            mapping_records(vm_mapping_from_region(k), first_depth + 1, out, limit);
        else
            vm_info_vmar_maps(vm_vmar_from_region(k), first_depth + 1, out, limit);
    }
}

void vm_info_process_maps(vm_process *p, GArray *out, size_t limit)
{
    vm_vmar *root = p->aspace->root;
    if (limit == 0)
        return;
    zx_info_maps_t *r;
    append_record(out, p->name, root->region.base, root->region.size, 0, ZX_INFO_MAPS_TYPE_ASPACE,
                  &r);
    vm_info_vmar_maps(root, 1, out, limit);
}

static void collect_mapped(vm_vmar *vmar, GArray *out, size_t limit)
{
    for (vm_region *k = vm_gap_tree_first(&vmar->children); k && out->len < limit;
         k = vm_gap_tree_next(k)) {
        if (k->kind == VM_REGION_MAPPING) {
            zx_info_vmo_t rec;
            vm_info_vmo(vm_mapping_from_region(k)->vmo, true, 0, &rec);
            g_array_append_val(out, rec);
        } else {
            collect_mapped(vm_vmar_from_region(k), out, limit);
        }
    }
}

void vm_info_process_vmos(vm_process *p, GArray *out, size_t limit)
{
    for (vm_handle *h = vm_handle_first_vmo(&p->handles); h && out->len < limit;
         h = vm_handle_next_vmo(&p->handles, h)) {
        zx_info_vmo_t rec;
        vm_info_vmo((vm_vmo *)h->obj, false, h->rights, &rec);
        g_array_append_val(out, rec);
    }
    collect_mapped(p->aspace->root, out, limit);
}

uint64_t vm_info_process_vmos_count(vm_process *p)
{
    return p->handles.count_by_type[ZX_OBJ_TYPE_VMO] + p->aspace->mappings;
}

/* Zircon walks each mapping of the address space: its whole size is mapped
 * bytes, and the committed pages in its range are private when one VMO
 * reaches them (the only address space maps them), shared otherwise, scaled
 * by the number of VMOs sharing each page. */
static void add_task_stats(vm_vmar *vmar, zx_info_task_stats_t *out)
{
    GPtrArray *kids = vm_vmar_children_in(vmar, 0, UINT64_MAX);
    for (guint i = 0; i < kids->len; i++) {
        vm_region *k = g_ptr_array_index(kids, i);
        if (k->kind != VM_REGION_MAPPING) {
            add_task_stats(vm_vmar_from_region(k), out);
            continue;
        }
        vm_mapping *m = vm_mapping_from_region(k);
        out->mem_mapped_bytes += m->region.size;
        uint64_t vmo_size = vm_vmo_size(m->vmo);
        if (m->vmo_offset >= vmo_size)
            continue;
        vm_attribution at;
        vm_attribute_range(m->root, m->root_offset, MIN(m->region.size, vmo_size - m->vmo_offset),
                           &at);
        out->mem_private_bytes += at.private_bytes;
        out->mem_shared_bytes += at.committed_bytes - at.private_bytes;
        out->mem_scaled_shared_bytes += at.scaled_bytes - at.private_bytes;
        out->mem_fractional_scaled_shared_bytes += at.scaled_fraction;
        if (out->mem_fractional_scaled_shared_bytes >= FRACTION_ONE) {
            out->mem_fractional_scaled_shared_bytes -= FRACTION_ONE;
            out->mem_scaled_shared_bytes++;
        }
    }
    g_ptr_array_free(kids, TRUE);
}

void vm_info_task_stats(vm_process *p, zx_info_task_stats_t *out)
{
    memset(out, 0, sizeof *out);
    add_task_stats(p->aspace->root, out);
}

#include "mapping.h"

#include "aspace.h"
#include "gap_tree.h"
#include "object.h"
#include "vmar.h"
#include "vmo.h"

_Static_assert(ZX_VM_PERM_READ == MMU_PERM_READ && ZX_VM_PERM_WRITE == MMU_PERM_WRITE &&
                   ZX_VM_PERM_EXECUTE == MMU_PERM_EXEC,
               "ZX_VM_PERM_* and MMU_PERM_* share bits");
_Static_assert((unsigned)TR_ACCESS_READ == MMU_PERM_READ &&
                   (unsigned)TR_ACCESS_WRITE == MMU_PERM_WRITE &&
                   (unsigned)TR_ACCESS_EXEC == MMU_PERM_EXEC,
               "an access is the permission it needs");

/* Every change of an address space passes here, whoever asked for it: a
 * syscall, the loader, a VMAR's destruction or the process's teardown. */
static void trace_range(vm_mapping *m, tr_event_kind kind, uint64_t va, uint64_t len,
                        unsigned perms)
{
    vm_kernel *k = m->vmo->k;
    if (!tr_wants(k->trace, kind))
        return;
    tr_event ev = {.kind = kind};
    ev.u.range.base = va;
    ev.u.range.size = len;
    ev.u.range.perms = perms;
    ev.u.range.vmo_koid = m->vmo->obj.koid;
    ev.u.range.vmo_offset = m->vmo_offset + (va - m->region.base);
    ev.u.range.vmo_name = m->vmo->name;
    tr_emit(k->trace, &ev);
}

static void attach(vm_mapping *m)
{
    m->root = vm_vmo_root(m->vmo, &m->root_offset);
    m->root_offset += m->vmo_offset;
    m->vmo->mappings = g_list_prepend(m->vmo->mappings, m);
    m->vmo_link = m->vmo->mappings;
    m->vmo->mapping_count++;
    m->root->page_mappings = g_list_prepend(m->root->page_mappings, m);
    m->page_link = m->root->page_mappings;
    vm_object_ref(&m->vmo->obj);
    vm_object_user_ref(&m->vmo->obj);
}

static void detach(vm_mapping *m)
{
    m->vmo->mappings = g_list_delete_link(m->vmo->mappings, m->vmo_link);
    m->vmo->mapping_count--;
    m->root->page_mappings = g_list_delete_link(m->root->page_mappings, m->page_link);
    vm_object_user_unref(&m->vmo->obj);
    vm_object_unref(&m->vmo->obj);
}

vm_mapping *vm_mapping_create(vm_vmar *parent, uint64_t base, uint64_t size, vm_vmo *vmo,
                              uint64_t vmo_offset, unsigned perms, unsigned max_perms,
                              uint32_t options)
{
    vm_mapping *m = g_new0(vm_mapping, 1);
    m->region.kind = VM_REGION_MAPPING;
    m->region.base = base;
    m->region.size = size;
    m->vmo = vmo;
    m->vmo_offset = vmo_offset;
    m->max_perms = max_perms;
    m->options = options;
    m->prot = g_array_new(FALSE, FALSE, sizeof(vm_prot_run));
    vm_prot_run run = {.offset = 0, .perms = perms};
    g_array_append_val(m->prot, run);
    attach(m);
    vm_vmar_insert(parent, &m->region);
    trace_range(m, TR_EV_MAP, base, size, perms);
    return m;
}

void vm_mapping_destroy(vm_mapping *m)
{
    vm_vmar *parent = m->region.parent;
    trace_range(m, TR_EV_UNMAP, m->region.base, m->region.size, 0);
    vm_aspace_unmap_ptes(parent->aspace, m->region.base, m->region.size);
    vm_vmar_remove(parent, &m->region);
    detach(m);
    g_array_free(m->prot, TRUE);
    g_free(m);
}

guint vm_mapping_run_at(const vm_mapping *m, uint64_t offset)
{
    /* The last run starting at or before offset; runs[0] starts at 0. */
    guint lo = 0, hi = m->prot->len;
    while (hi - lo > 1) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(m->prot, vm_prot_run, mid).offset <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static guint run_index(const vm_mapping *m, uint64_t offset)
{
    return vm_mapping_run_at(m, offset);
}

static uint64_t run_end(const vm_mapping *m, guint i)
{
    return i + 1 < m->prot->len ? g_array_index(m->prot, vm_prot_run, i + 1).offset
                                : m->region.size;
}

unsigned vm_mapping_perms_at(const vm_mapping *m, uint64_t va)
{
    return g_array_index(m->prot, vm_prot_run, run_index(m, va - m->region.base)).perms;
}

/* Joins neighbouring runs with equal permissions. */
static void normalize_runs(GArray *prot)
{
    guint out = 0;
    for (guint i = 0; i < prot->len; i++) {
        vm_prot_run r = g_array_index(prot, vm_prot_run, i);
        if (out > 0 && g_array_index(prot, vm_prot_run, out - 1).perms == r.perms)
            continue;
        g_array_index(prot, vm_prot_run, out++) = r;
    }
    g_array_set_size(prot, out);
}

vm_mapping *vm_mapping_split(vm_mapping *m, uint64_t va)
{
    uint64_t cut = va - m->region.base;
    g_assert(cut > 0 && cut < m->region.size && (cut & VM_PAGE_MASK) == 0);
    vm_mapping *right = g_new0(vm_mapping, 1);
    right->region.kind = VM_REGION_MAPPING;
    right->region.base = va;
    right->region.size = m->region.size - cut;
    right->vmo = m->vmo;
    right->vmo_offset = m->vmo_offset + cut;
    right->max_perms = m->max_perms;
    right->options = m->options;
    right->prot = g_array_new(FALSE, FALSE, sizeof(vm_prot_run));

    guint split_at = run_index(m, cut);
    vm_prot_run first = {.offset = 0, .perms = g_array_index(m->prot, vm_prot_run, split_at).perms};
    g_array_append_val(right->prot, first);
    for (guint i = split_at + 1; i < m->prot->len; i++) {
        vm_prot_run r = g_array_index(m->prot, vm_prot_run, i);
        r.offset -= cut;
        g_array_append_val(right->prot, r);
    }
    /* A run that starts exactly at the cut belongs to the right part only. */
    guint keep = split_at + 1;
    if (g_array_index(m->prot, vm_prot_run, split_at).offset == cut)
        keep = split_at;
    g_array_set_size(m->prot, keep);
    vm_gap_tree_set_size(&m->region, cut);

    attach(right);
    vm_vmar_insert(m->region.parent, &right->region);
    return right;
}

void vm_mapping_protect(vm_mapping *m, uint64_t va, uint64_t len, unsigned perms)
{
    uint64_t lo = va - m->region.base, hi = lo + len;
    /* Only runs first..last change: they become at most three (the part of
     * first before lo, [lo, hi), the part of last after hi), spliced in. */
    guint first = run_index(m, lo), last = run_index(m, hi - 1);
    unsigned lost = 0;
    for (guint i = first; i <= last; i++)
        lost |= g_array_index(m->prot, vm_prot_run, i).perms & ~perms;
    vm_prot_run head = g_array_index(m->prot, vm_prot_run, first);
    vm_prot_run tail = {.offset = hi, .perms = g_array_index(m->prot, vm_prot_run, last).perms};
    bool keep_tail = run_end(m, last) > hi;
    vm_prot_run fresh[3];
    guint n = 0;
    if (head.offset < lo)
        fresh[n++] = head;
    fresh[n++] = (vm_prot_run){.offset = lo, .perms = perms};
    if (keep_tail)
        fresh[n++] = tail;
    g_array_remove_range(m->prot, first, last - first + 1);
    g_array_insert_vals(m->prot, first, fresh, n);
    /* Equal neighbours join, as normalize_runs would, only around the splice. */
    guint from = first > 0 ? first - 1 : 0;
    guint to = MIN(first + n, m->prot->len - 1);
    for (guint i = to; i > from; i--) {
        if (g_array_index(m->prot, vm_prot_run, i).perms ==
            g_array_index(m->prot, vm_prot_run, i - 1).perms)
            g_array_remove_index(m->prot, i);
    }
    trace_range(m, TR_EV_PROTECT, va, len, perms);
    vm_aspace *as = m->region.parent->aspace;
    if (perms == 0)
        vm_aspace_unmap_ptes(as, va, len);
    else if (lost)
        vm_aspace_narrow_ptes(as, va, len, perms);
}

bool vm_mapping_try_merge(vm_mapping *m, vm_mapping *right)
{
    if (m->vmo != right->vmo || m->max_perms != right->max_perms || m->options != right->options ||
        vm_region_end(&m->region) != right->region.base ||
        m->vmo_offset + m->region.size != right->vmo_offset)
        return false;
    uint64_t shift = m->region.size;
    for (guint i = 0; i < right->prot->len; i++) {
        vm_prot_run r = g_array_index(right->prot, vm_prot_run, i);
        r.offset += shift;
        g_array_append_val(m->prot, r);
    }
    normalize_runs(m->prot);
    /* Grown first, so that removing right measures the next gap from m's new end. */
    vm_gap_tree_set_size(&m->region, m->region.size + right->region.size);
    vm_vmar_remove(right->region.parent, &right->region);
    detach(right);
    g_array_free(right->prot, TRUE);
    g_free(right);
    return true;
}

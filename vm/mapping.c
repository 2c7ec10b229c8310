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
    m->vmo_next = m->vmo->mappings;
    if (m->vmo_next)
        m->vmo_next->vmo_prev = m;
    m->vmo->mappings = m;
    m->vmo->mapping_count++;
    m->page_next = m->root->page_mappings;
    if (m->page_next)
        m->page_next->page_prev = m;
    m->root->page_mappings = m;
    vm_object_ref(&m->vmo->obj);
    vm_object_user_ref(&m->vmo->obj);
}

static void detach(vm_mapping *m)
{
    if (m->vmo_prev)
        m->vmo_prev->vmo_next = m->vmo_next;
    else
        m->vmo->mappings = m->vmo_next;
    if (m->vmo_next)
        m->vmo_next->vmo_prev = m->vmo_prev;
    m->vmo->mapping_count--;
    if (m->page_prev)
        m->page_prev->page_next = m->page_next;
    else
        m->root->page_mappings = m->page_next;
    if (m->page_next)
        m->page_next->page_prev = m->page_prev;
    vm_object_user_unref(&m->vmo->obj);
    vm_object_unref(&m->vmo->obj);
}

/* m->prot maps a run's start offset (a gsize key) to its permissions. */
_Static_assert(sizeof(gsize) >= sizeof(uint64_t), "offsets fit a tree key");

static gint by_offset(gconstpointer a, gconstpointer b)
{
    gsize x = GPOINTER_TO_SIZE(a), y = GPOINTER_TO_SIZE(b);
    return (x > y) - (x < y);
}

static void set_run(GTree *prot, uint64_t offset, unsigned perms)
{
    g_tree_insert(prot, GSIZE_TO_POINTER(offset), GUINT_TO_POINTER(perms));
}

static void drop_run(GTree *prot, uint64_t offset)
{
    g_tree_remove(prot, GSIZE_TO_POINTER(offset));
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
    m->prot = g_tree_new(by_offset);
    set_run(m->prot, 0, perms);
    attach(m);
    vm_vmar_insert(parent, &m->region);
    parent->aspace->mappings++;
    trace_range(m, TR_EV_MAP, base, size, perms);
    return m;
}

void vm_mapping_destroy(vm_mapping *m)
{
    vm_vmar *parent = m->region.parent;
    trace_range(m, TR_EV_UNMAP, m->region.base, m->region.size, 0);
    vm_aspace_unmap_ptes(parent->aspace, m->region.base, m->region.size);
    vm_vmar_remove(parent, &m->region);
    parent->aspace->mappings--;
    detach(m);
    g_tree_destroy(m->prot);
    g_free(m);
}

guint vm_mapping_run_count(const vm_mapping *m)
{
    return (guint)g_tree_nnodes(m->prot);
}

vm_run *vm_mapping_first_run(const vm_mapping *m)
{
    return g_tree_node_first(m->prot);
}

vm_run *vm_mapping_run_at(const vm_mapping *m, uint64_t offset)
{
    /* The last run starting at or before offset; the first starts at 0. */
    vm_run *after = g_tree_upper_bound(m->prot, GSIZE_TO_POINTER(offset));
    return after ? g_tree_node_previous(after) : g_tree_node_last(m->prot);
}

uint64_t vm_mapping_run_end(const vm_mapping *m, vm_run *run)
{
    vm_run *next = g_tree_node_next(run);
    return next ? vm_run_offset(next) : m->region.size;
}

unsigned vm_mapping_perms_at(const vm_mapping *m, uint64_t va)
{
    return vm_run_perms(vm_mapping_run_at(m, va - m->region.base));
}

/* The start offsets of run and every later one up to last (or the end),
 * for edits that would otherwise remove nodes from under an iteration. */
static GArray *offsets_from(vm_run *run, vm_run *last)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    for (; run; run = run == last ? NULL : g_tree_node_next(run)) {
        uint64_t off = vm_run_offset(run);
        g_array_append_val(out, off);
    }
    return out;
}

/* The run starting at offset goes if the one before has the same
 * permissions. */
static void join_at(GTree *prot, uint64_t offset)
{
    vm_run *run = g_tree_lookup_node(prot, GSIZE_TO_POINTER(offset));
    vm_run *before = run ? g_tree_node_previous(run) : NULL;
    if (before && vm_run_perms(before) == vm_run_perms(run))
        drop_run(prot, offset);
}

vm_mapping *vm_mapping_split(vm_mapping *m, uint64_t va)
{
    uint64_t cut = va - m->region.base;
    g_assert(cut > 0 && cut < m->region.size && (cut & VM_PAGE_MASK) == 0);
    guint runs_before = vm_mapping_run_count(m);
    vm_mapping *right = g_new0(vm_mapping, 1);
    right->region.kind = VM_REGION_MAPPING;
    right->region.base = va;
    right->region.size = m->region.size - cut;
    right->vmo = m->vmo;
    right->vmo_offset = m->vmo_offset + cut;
    right->max_perms = m->max_perms;
    right->options = m->options;
    right->prot = g_tree_new(by_offset);

    /* The runs from the cut on move over (a run that starts exactly at the
     * cut belongs to the right part only). */
    vm_run *at = vm_mapping_run_at(m, cut);
    set_run(right->prot, 0, vm_run_perms(at));
    GArray *moved = offsets_from(vm_run_offset(at) == cut ? at : g_tree_node_next(at), NULL);
    for (guint i = 0; i < moved->len; i++) {
        uint64_t off = g_array_index(moved, uint64_t, i);
        if (off > cut)
            set_run(right->prot, off - cut,
                    GPOINTER_TO_UINT(g_tree_lookup(m->prot, GSIZE_TO_POINTER(off))));
        drop_run(m->prot, off);
    }
    g_array_free(moved, TRUE);
    vm_gap_tree_set_size(&m->region, cut);
    vm_vmar_add_map_records(m->region.parent, (int64_t)vm_mapping_run_count(m) - runs_before);

    attach(right);
    vm_vmar_insert(m->region.parent, &right->region);
    m->region.parent->aspace->mappings++;
    return right;
}

void vm_mapping_protect(vm_mapping *m, uint64_t va, uint64_t len, unsigned perms)
{
    uint64_t lo = va - m->region.base, hi = lo + len;
    /* Only runs first..last change: they become at most three (the part of
     * first before lo, [lo, hi), the part of last after hi). */
    vm_run *first = vm_mapping_run_at(m, lo), *last = vm_mapping_run_at(m, hi - 1);
    guint runs_before = vm_mapping_run_count(m);
    unsigned lost = 0;
    for (vm_run *r = first;; r = g_tree_node_next(r)) {
        lost |= vm_run_perms(r) & ~perms;
        if (r == last)
            break;
    }
    unsigned tail_perms = vm_run_perms(last);
    bool keep_tail = vm_mapping_run_end(m, last) > hi;
    /* first stays as the part before lo, or becomes [lo, hi) in place. */
    if (first != last) {
        GArray *gone = offsets_from(g_tree_node_next(first), last);
        for (guint i = 0; i < gone->len; i++)
            drop_run(m->prot, g_array_index(gone, uint64_t, i));
        g_array_free(gone, TRUE);
    }
    set_run(m->prot, lo, perms);
    if (keep_tail)
        set_run(m->prot, hi, tail_perms);
    /* Equal neighbours join, only around the change. */
    join_at(m->prot, hi);
    join_at(m->prot, lo);
    vm_vmar_add_map_records(m->region.parent, (int64_t)vm_mapping_run_count(m) - runs_before);
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
    guint runs_before = vm_mapping_run_count(m);
    for (vm_run *r = vm_mapping_first_run(right); r; r = g_tree_node_next(r))
        set_run(m->prot, vm_run_offset(r) + shift, vm_run_perms(r));
    /* Each side was joined already: only the seam may need it. */
    join_at(m->prot, shift);
    vm_vmar_add_map_records(m->region.parent, (int64_t)vm_mapping_run_count(m) - runs_before);
    /* Grown first, so that removing right measures the next gap from m's new end. */
    vm_gap_tree_set_size(&m->region, m->region.size + right->region.size);
    right->region.parent->aspace->mappings--;
    vm_vmar_remove(right->region.parent, &right->region);
    detach(right);
    g_tree_destroy(right->prot);
    g_free(right);
    return true;
}

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
    vm_run_tree_set(&m->prot, 0, perms);
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
    vm_run_tree_clear(&m->prot);
    g_free(m);
}

unsigned vm_mapping_perms_at(const vm_mapping *m, uint64_t va)
{
    return vm_run_perms(vm_mapping_run_at(m, va - m->region.base));
}

/* The run starting at offset goes if the one before has the same
 * permissions. */
static void join_at(vm_run_tree *prot, uint64_t offset)
{
    vm_run run = vm_run_tree_floor(prot, offset);
    if (!vm_run_valid(run) || vm_run_offset(run) != offset)
        return;
    vm_run before = vm_run_prev(run);
    if (vm_run_valid(before) && vm_run_perms(before) == vm_run_perms(run))
        vm_run_tree_remove(prot, offset);
}

vm_mapping *vm_mapping_split(vm_mapping *m, uint64_t va)
{
    uint64_t cut = va - m->region.base;
    g_assert(cut > 0 && cut < m->region.size && (cut & VM_PAGE_MASK) == 0);
    int64_t runs_before = (int64_t)vm_mapping_run_count(m);
    vm_mapping *right = g_new0(vm_mapping, 1);
    right->region.kind = VM_REGION_MAPPING;
    right->region.base = va;
    right->region.size = m->region.size - cut;
    right->vmo = m->vmo;
    right->vmo_offset = m->vmo_offset + cut;
    right->max_perms = m->max_perms;
    right->options = m->options;

    /* The runs from the cut on move over; the run holding the cut starts
     * the right part when none starts exactly there. */
    unsigned cut_perms = vm_run_perms(vm_mapping_run_at(m, cut));
    vm_run_tree_split(&m->prot, cut, &right->prot);
    if (vm_run_tree_count(&right->prot) == 0 || vm_run_offset(vm_run_tree_first(&right->prot)) != 0)
        vm_run_tree_set(&right->prot, 0, cut_perms);
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
    int64_t runs_before = (int64_t)vm_mapping_run_count(m);
    /* Only runs first..last change: they become at most three (the part of
     * first before lo, [lo, hi), the part of last from hi), and each of
     * those joins an equal neighbour. All is decided before the tree
     * changes, so that each edit is one descent. */
    vm_run first = vm_mapping_run_at(m, lo), last = first;
    unsigned lost = vm_run_perms(first) & ~perms;
    for (vm_run r = vm_run_next(first); vm_run_valid(r) && vm_run_offset(r) < hi;
         r = vm_run_next(r)) {
        lost |= vm_run_perms(r) & ~perms;
        last = r;
    }
    uint64_t first_offset = vm_run_offset(first), last_offset = vm_run_offset(last);
    vm_run before = first_offset < lo ? first : vm_run_prev(first);
    vm_run after = vm_run_next(last);
    bool lo_starts_run = !vm_run_valid(before) || vm_run_perms(before) != perms;
    unsigned tail_perms = vm_run_perms(last);
    bool keep_tail = (vm_run_valid(after) ? vm_run_offset(after) : m->region.size) > hi;
    /* Without a tail, after (if any) starts at hi. */
    bool after_joins = !keep_tail && vm_run_valid(after) && vm_run_perms(after) == perms;

    if (first_offset != last_offset)
        vm_run_tree_remove_range(&m->prot, first_offset + 1, last_offset);
    if (keep_tail && tail_perms != perms)
        vm_run_tree_set(&m->prot, hi, tail_perms);
    else if (after_joins)
        vm_run_tree_remove(&m->prot, hi);
    if (lo_starts_run)
        vm_run_tree_set(&m->prot, lo, perms);
    else if (first_offset == lo)
        vm_run_tree_remove(&m->prot, lo);
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
    /* Grown first, so that removing right measures the next gap from m's new end. */
    vm_gap_tree_set_size(&m->region, m->region.size + right->region.size);
    right->region.parent->aspace->mappings--;
    /* Removed while it still holds its runs, which its VMAR counts. */
    vm_vmar_remove(right->region.parent, &right->region);
    int64_t runs_before = (int64_t)vm_mapping_run_count(m);
    vm_run_tree_append(&m->prot, &right->prot, shift);
    /* Each side was joined already: only the seam may need it. */
    join_at(&m->prot, shift);
    vm_vmar_add_map_records(m->region.parent, (int64_t)vm_mapping_run_count(m) - runs_before);
    detach(right);
    g_free(right);
    return true;
}

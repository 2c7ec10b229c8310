#include "invariants.h"

#include "aspace.h"
#include "gap_tree.h"
#include "mapping.h"
#include "vmar.h"
#include "vmo.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct checker {
    vm_kernel *k;
    GString *report;
    unsigned problems;
} checker;

static void fail(checker *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void fail(checker *c, const char *fmt, ...)
{
    if (c->problems++ >= 20)
        return;
    va_list ap;
    va_start(ap, fmt);
    g_string_append_vprintf(c->report, fmt, ap);
    va_end(ap);
    g_string_append_c(c->report, '\n');
}

static void check_mapping(checker *c, vm_mapping *m)
{
    char tree_err[160];
    if (vm_run_tree_check(&m->prot, tree_err, sizeof tree_err) > 0)
        fail(c, "mapping 0x%" G_GINT64_MODIFIER "x: protection runs: %s", m->region.base, tree_err);
    vm_run first = vm_mapping_first_run(m);
    if (!vm_run_valid(first) || vm_run_offset(first) != 0)
        fail(c, "mapping 0x%" G_GINT64_MODIFIER "x: protection runs do not start at 0",
             m->region.base);
    vm_run prev = {0};
    for (vm_run run = first; vm_run_valid(run); prev = run, run = vm_mapping_next_run(run)) {
        struct {
            uint64_t offset;
            unsigned perms;
        } r = {vm_run_offset(run), vm_run_perms(run)};
        if (r.offset >= m->region.size || (r.offset & VM_PAGE_MASK))
            fail(c, "mapping 0x%" G_GINT64_MODIFIER "x: bad protection run offset", m->region.base);
        if (vm_run_valid(prev) && vm_run_offset(prev) >= r.offset)
            fail(c, "mapping 0x%" G_GINT64_MODIFIER "x: protection runs out of order",
                 m->region.base);
        if (vm_run_valid(prev) && vm_run_perms(prev) == r.perms)
            fail(c, "mapping 0x%" G_GINT64_MODIFIER "x: neighbouring runs not joined",
                 m->region.base);
        if (r.perms & ~m->max_perms)
            fail(c, "mapping 0x%" G_GINT64_MODIFIER "x: permissions wider than its maximum",
                 m->region.base);
    }
    bool in_vmo = m->vmo_prev ? m->vmo_prev->vmo_next == m : m->vmo->mappings == m;
    bool in_root = m->page_prev ? m->page_prev->page_next == m : m->root->page_mappings == m;
    in_vmo &= !m->vmo_next || m->vmo_next->vmo_prev == m;
    in_root &= !m->page_next || m->page_next->page_prev == m;
    if (!in_vmo || !in_root)
        fail(c, "mapping 0x%" G_GINT64_MODIFIER "x: not registered with its VMO", m->region.base);
    if (m->vmo->dead)
        fail(c, "mapping 0x%" G_GINT64_MODIFIER "x: maps a dead VMO", m->region.base);
}

static void check_vmar(checker *c, vm_vmar *vmar)
{
    if (vmar->dead)
        fail(c, "VMAR koid %" G_GUINT64_FORMAT " is dead but still in the tree", vmar->obj.koid);
    GString *tree_err = g_string_new(NULL);
    if (vm_gap_tree_check(&vmar->children, tree_err) > 0)
        fail(c, "VMAR koid %" G_GUINT64_FORMAT ": %s", vmar->obj.koid, g_strchomp(tree_err->str));
    g_string_free(tree_err, TRUE);
    uint64_t cursor = vmar->region.base;
    uint64_t records = 1;
    GPtrArray *kids = vm_vmar_children_in(vmar, 0, UINT64_MAX);
    for (guint i = 0; i < kids->len; i++) {
        vm_region *r = g_ptr_array_index(kids, i);
        records += r->kind == VM_REGION_VMAR ? vm_vmar_from_region(r)->map_records
                                             : vm_mapping_run_count(vm_mapping_from_region(r));
        if (r->parent != vmar)
            fail(c, "region 0x%" G_GINT64_MODIFIER "x: wrong parent", r->base);
        if (r->base < cursor)
            fail(c, "region 0x%" G_GINT64_MODIFIER "x overlaps its left neighbour", r->base);
        if (r->size == 0 || vm_region_end(r) > vm_region_end(&vmar->region) ||
            vm_region_end(r) < r->base)
            fail(c, "region 0x%" G_GINT64_MODIFIER "x lies outside its VMAR", r->base);
        if ((r->base | r->size) & VM_PAGE_MASK)
            fail(c, "region 0x%" G_GINT64_MODIFIER "x is not page-aligned", r->base);
        cursor = vm_region_end(r);
        if (r->kind == VM_REGION_VMAR)
            check_vmar(c, vm_vmar_from_region(r));
        else
            check_mapping(c, vm_mapping_from_region(r));
    }
    g_ptr_array_free(kids, TRUE);
    if (vmar->map_records != records)
        fail(c,
             "VMAR koid %" G_GUINT64_FORMAT ": counts %" G_GUINT64_FORMAT
             " maps records, has %" G_GUINT64_FORMAT,
             vmar->obj.koid, vmar->map_records, records);
}

typedef struct leaf_ctx {
    checker *c;
    vm_aspace *as;
} leaf_ctx;

static void check_leaf(uint64_t va, uint64_t entry, uint64_t pa, unsigned perms, void *user)
{
    leaf_ctx *lc = user;
    checker *c = lc->c;
    vm_mapping *m = vm_aspace_find_mapping(lc->as, va);
    if (m == NULL) {
        fail(c, "PTE for 0x%" G_GINT64_MODIFIER "x but no mapping covers it", va);
        return;
    }
    if (perms & ~vm_mapping_perms_at(m, va))
        fail(c, "PTE for 0x%" G_GINT64_MODIFIER "x is wider than the mapping allows", va);
    uint64_t offset = m->vmo_offset + (va - m->region.base);
    if (offset >= vm_vmo_size(m->vmo))
        fail(c, "PTE for 0x%" G_GINT64_MODIFIER "x lies beyond its VMO's end", va);
    uint32_t frame = vm_pmm_frame(pa);
    uint64_t index = (m->root_offset + (va - m->region.base)) >> VM_PAGE_SHIFT;
    uint32_t committed = vm_vmo_page(m->root, index);
    if (frame == VM_ZERO_FRAME) {
        if (committed != 0)
            fail(c, "PTE for 0x%" G_GINT64_MODIFIER "x shows the zero page over a committed page",
                 va);
        if (perms & MMU_PERM_WRITE)
            fail(c, "PTE for 0x%" G_GINT64_MODIFIER "x makes the zero page writable", va);
        return;
    }
    if (frame != committed)
        fail(c, "PTE for 0x%" G_GINT64_MODIFIER "x points to frame %u, the VMO holds %u", va, frame,
             committed);
    if ((perms & MMU_PERM_WRITE) && c->k->pmm->page_refs[frame] > 1)
        fail(c, "PTE for 0x%" G_GINT64_MODIFIER "x makes a shared page writable", va);
}

static void check_frames(checker *c)
{
    vm_kernel *k = c->k;
    GHashTable *slots = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (GList *l = k->vmos; l; l = l->next) {
        vm_vmo *v = l->data;
        if (v->kind != VM_VMO_PAGED || v->dead)
            fail(c, "VMO koid %" G_GUINT64_FORMAT " in the page-owner list is not a live paged VMO",
                 v->obj.koid);
        GHashTableIter it;
        gpointer key, frame;
        g_hash_table_iter_init(&it, v->pages.frames);
        while (g_hash_table_iter_next(&it, &key, &frame)) {
            if (GPOINTER_TO_SIZE(key) >= (v->size >> VM_PAGE_SHIFT))
                fail(c, "VMO koid %" G_GUINT64_FORMAT " holds a page beyond its size", v->obj.koid);
            guint n = GPOINTER_TO_UINT(g_hash_table_lookup(slots, frame));
            g_hash_table_insert(slots, frame, GUINT_TO_POINTER(n + 1));
        }
    }
    GHashTableIter it;
    gpointer frame, count;
    g_hash_table_iter_init(&it, slots);
    while (g_hash_table_iter_next(&it, &frame, &count)) {
        uint32_t f = GPOINTER_TO_UINT(frame);
        if (k->pmm->page_refs[f] != GPOINTER_TO_UINT(count))
            fail(c, "frame %u: %u references recorded, %u page-list slots hold it", f,
                 k->pmm->page_refs[f], GPOINTER_TO_UINT(count));
    }
    uint64_t tables = 0;
    for (GList *l = k->aspaces; l; l = l->next)
        tables += ((vm_aspace *)l->data)->pt->table_frames;
    if (k->pmm->page_frames != g_hash_table_size(slots))
        fail(c, "PMM: %" G_GUINT64_FORMAT " frames counted as held by page lists, %u are",
             k->pmm->page_frames, g_hash_table_size(slots));
    uint64_t expected = g_hash_table_size(slots) + tables + 1;
    if (k->pmm->in_use != expected)
        fail(c,
             "PMM: %" G_GUINT64_FORMAT " frames in use, but %u committed + %" G_GUINT64_FORMAT
             " page tables + 1 zero page = %" G_GUINT64_FORMAT,
             k->pmm->in_use, g_hash_table_size(slots), tables, expected);
    g_hash_table_destroy(slots);
}

/* The reclaimable list holds exactly the paged VMOs that could be
 * discarded now; each live VMO hangs from a live parent or a dead root. */
static void check_vmo_links(checker *c)
{
    vm_kernel *k = c->k;
    guint reclaimable = 0;
    for (GList *l = k->vmos; l; l = l->next) {
        vm_vmo *v = l->data;
        bool want = v->discardable && !v->dead && v->lock_count == 0 && !v->discarded;
        reclaimable += want;
        if (want != (v->reclaim_link != NULL))
            fail(c, "VMO koid %" G_GUINT64_FORMAT " is %son the reclaimable list", v->obj.koid,
                 want ? "not " : "wrongly ");
        uint64_t mappings = 0;
        for (vm_mapping *m = v->mappings; m; m = m->vmo_next)
            mappings++;
        if (v->child_count != g_list_length(v->children) || v->mapping_count != mappings)
            fail(c, "VMO koid %" G_GUINT64_FORMAT ": child or mapping count is wrong", v->obj.koid);
        if (v->parent == NULL)
            continue;
        if (v->dependent_link == NULL || v->dependent_link->data != v ||
            !g_list_find(v->parent->dependents, v))
            fail(c, "VMO koid %" G_GUINT64_FORMAT " is not among its parent's dependents",
                 v->obj.koid);
        if (v->parent->dead && v->parent->parent != NULL)
            fail(c, "VMO koid %" G_GUINT64_FORMAT " hangs from a closed VMO that has a parent",
                 v->obj.koid);
    }
    if (g_queue_get_length(&k->reclaimable) != reclaimable)
        fail(c, "reclaimable list holds %u VMOs, %u are reclaimable",
             g_queue_get_length(&k->reclaimable), reclaimable);
}

static uint64_t count_mappings(vm_vmar *vmar)
{
    uint64_t n = 0;
    for (vm_region *r = vm_gap_tree_first(&vmar->children); r; r = vm_gap_tree_next(r))
        n += r->kind == VM_REGION_MAPPING ? 1 : count_mappings(vm_vmar_from_region(r));
    return n;
}

bool vm_check_invariants(vm_kernel *k, GString *report)
{
    checker c = {.k = k, .report = report};
    for (GList *l = k->aspaces; l; l = l->next) {
        vm_aspace *as = l->data;
        check_vmar(&c, as->root);
        uint64_t mappings = count_mappings(as->root);
        if (mappings != as->mappings)
            fail(&c, "address space counts %" G_GUINT64_FORMAT " mappings, has %" G_GUINT64_FORMAT,
                 as->mappings, mappings);
        leaf_ctx lc = {.c = &c, .as = as};
        mmu_pt_foreach_leaf(as->pt, check_leaf, &lc);
    }
    check_frames(&c);
    check_vmo_links(&c);
    return c.problems == 0;
}

void vm_check_invariants_or_die(vm_kernel *k, const char *where)
{
    GString *report = g_string_new(NULL);
    if (!vm_check_invariants(k, report)) {
        fprintf(stderr, "zxsim: kernel invariant violated after %s:\n%s", where, report->str);
        abort();
    }
    g_string_free(report, TRUE);
}

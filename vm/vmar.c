#include "vmar.h"

#include "mapping.h"
#include "object.h"

static gint compare_base(gconstpointer a, gconstpointer b, gpointer unused)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void vmar_on_free(vm_object *obj)
{
    vm_vmar *vmar = (vm_vmar *)obj;
    g_assert(g_tree_nnodes(vmar->children) == 0);
    g_tree_destroy(vmar->children);
    g_free(vmar);
}

static vm_vmar *vmar_new(vm_aspace *as, uint64_t base, uint64_t size, uint32_t flags)
{
    vm_vmar *vmar = g_new0(vm_vmar, 1);
    vm_object_init(as->k, &vmar->obj, ZX_OBJ_TYPE_VMAR);
    vmar->obj.on_free = vmar_on_free;
    vmar->region.kind = VM_REGION_VMAR;
    vmar->region.base = base;
    vmar->region.size = size;
    vmar->aspace = as;
    vmar->flags = flags;
    vmar->children = g_tree_new_full(compare_base, NULL, NULL, NULL);
    return vmar;
}

vm_vmar *vm_vmar_create_root(vm_aspace *as, uint64_t base, uint64_t size)
{
    return vmar_new(as, base, size,
                    ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE |
                        ZX_VM_CAN_MAP_SPECIFIC);
}

vm_vmar *vm_vmar_create_child(vm_vmar *parent, uint64_t base, uint64_t size, uint32_t flags)
{
    vm_vmar *child = vmar_new(parent->aspace, base, size, flags);
    child->region.parent = parent;
    vm_object_ref(&child->obj);
    vm_vmar_insert(parent, &child->region);
    return child;
}

void vm_vmar_insert(vm_vmar *vmar, vm_region *r)
{
    r->parent = vmar;
    g_tree_insert(vmar->children, &r->base, r);
}

void vm_vmar_remove(vm_vmar *vmar, vm_region *r)
{
    gboolean removed = g_tree_remove(vmar->children, &r->base);
    g_assert(removed);
}

/* The last child whose base is <= va. */
static GTreeNode *node_at_or_before(vm_vmar *vmar, uint64_t va)
{
    GTreeNode *after = g_tree_upper_bound(vmar->children, &va);
    return after ? g_tree_node_previous(after) : g_tree_node_last(vmar->children);
}

vm_region *vm_vmar_child_at(vm_vmar *vmar, uint64_t va)
{
    GTreeNode *node = node_at_or_before(vmar, va);
    if (node == NULL)
        return NULL;
    vm_region *r = g_tree_node_value(node);
    return va - r->base < r->size ? r : NULL;
}

GPtrArray *vm_vmar_children_in(vm_vmar *vmar, uint64_t base, uint64_t end)
{
    GPtrArray *out = g_ptr_array_new();
    GTreeNode *node = node_at_or_before(vmar, base);
    if (node == NULL || vm_region_end(g_tree_node_value(node)) <= base)
        node = node ? g_tree_node_next(node) : g_tree_node_first(vmar->children);
    for (; node; node = g_tree_node_next(node)) {
        vm_region *r = g_tree_node_value(node);
        if (r->base >= end)
            break;
        g_ptr_array_add(out, r);
    }
    return out;
}

bool vm_vmar_range_is_free(vm_vmar *vmar, uint64_t base, uint64_t size)
{
    GPtrArray *hits = vm_vmar_children_in(vmar, base, base + size);
    bool free = hits->len == 0;
    g_ptr_array_free(hits, TRUE);
    return free;
}

static uint64_t align_up(uint64_t x, uint64_t align, bool *overflow)
{
    if (x > UINT64_MAX - (align - 1)) {
        *overflow = true;
        return 0;
    }
    return (x + align - 1) & ~(align - 1);
}

/* Spots for a `size` block aligned to `align` inside [lo, hi). */
static uint64_t spots_in_gap(uint64_t lo, uint64_t hi, uint64_t size, uint64_t align,
                             uint64_t *first)
{
    bool overflow = false;
    uint64_t start = align_up(lo, align, &overflow);
    if (overflow || start >= hi || hi - start < size)
        return 0;
    *first = start;
    return (hi - start - size) / align + 1;
}

typedef struct placement {
    uint64_t size, align, lo, hi;
    uint64_t total; /* spots counted so far */
    uint64_t pick;  /* the spot wanted (second pass) */
    bool found;
    uint64_t base;
} placement;

static void visit_gaps(vm_vmar *vmar, placement *p, bool choose)
{
    uint64_t cursor = p->lo;
    GTreeNode *node = g_tree_node_first(vmar->children);
    for (;;) {
        uint64_t gap_end = p->hi;
        vm_region *r = NULL;
        if (node) {
            r = g_tree_node_value(node);
            gap_end = MIN(p->hi, r->base);
        }
        uint64_t first;
        uint64_t n =
            cursor < gap_end ? spots_in_gap(cursor, gap_end, p->size, p->align, &first) : 0;
        if (choose && n > 0 && p->pick < p->total + n) {
            p->base = first + (p->pick - p->total) * p->align;
            p->found = true;
            return;
        }
        p->total += n;
        if (r == NULL || vm_region_end(r) >= p->hi)
            return;
        cursor = MAX(cursor, vm_region_end(r));
        node = g_tree_node_next(node);
    }
}

static uint64_t random_below(GRand *rand, uint64_t n)
{
    uint64_t r = ((uint64_t)g_rand_int(rand) << 32) | g_rand_int(rand);
    return r % n;
}

zx_status_t vm_vmar_place(vm_vmar *vmar, uint64_t size, uint64_t align, uint64_t limit_end,
                          uint64_t *base)
{
    placement p = {.size = size,
                   .align = MAX(align, VM_PAGE_SIZE),
                   .lo = vmar->region.base,
                   .hi = MIN(vm_region_end(&vmar->region), limit_end)};
    if (p.hi <= p.lo || p.hi - p.lo < size)
        return ZX_ERR_NO_RESOURCES;
    visit_gaps(vmar, &p, false);
    if (p.total == 0)
        return ZX_ERR_NO_RESOURCES;
    vm_kernel *k = vmar->aspace->k;
    bool randomize = k->aslr && !(vmar->flags & ZX_VM_COMPACT);
    p.pick = randomize ? random_below(k->rand, p.total) : 0;
    p.total = 0;
    visit_gaps(vmar, &p, true);
    g_assert(p.found);
    *base = p.base;
    return ZX_OK;
}

static void mark_dead(vm_vmar *vmar)
{
    GPtrArray *kids = vm_vmar_children_in(vmar, 0, UINT64_MAX);
    for (guint i = 0; i < kids->len; i++) {
        vm_region *r = g_ptr_array_index(kids, i);
        if (r->kind == VM_REGION_MAPPING) {
            vm_mapping_destroy(vm_mapping_from_region(r));
        } else {
            vm_vmar *child = vm_vmar_from_region(r);
            mark_dead(child);
            vm_vmar_remove(vmar, r);
            child->region.parent = NULL;
            vm_object_unref(&child->obj);
        }
    }
    g_ptr_array_free(kids, TRUE);
    vmar->dead = true;
}

void vm_vmar_destroy_tree(vm_vmar *vmar)
{
    vm_vmar *parent = vmar->region.parent;
    mark_dead(vmar);
    if (parent) {
        vm_vmar_remove(parent, &vmar->region);
        vmar->region.parent = NULL;
        vm_object_unref(&vmar->obj);
    }
}

static void collect_leaves(vm_vmar *vmar, uint64_t base, uint64_t end, bool below, GArray *out)
{
    GPtrArray *kids = vm_vmar_children_in(vmar, base, end);
    for (guint i = 0; i < kids->len; i++) {
        vm_region *r = g_ptr_array_index(kids, i);
        if (r->kind == VM_REGION_MAPPING) {
            vm_leaf leaf = {.mapping = vm_mapping_from_region(r), .in_subregion = below};
            g_array_append_val(out, leaf);
        } else {
            collect_leaves(vm_vmar_from_region(r), base, end, true, out);
        }
    }
    g_ptr_array_free(kids, TRUE);
}

GArray *vm_vmar_leaves_in(vm_vmar *vmar, uint64_t base, uint64_t end)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(vm_leaf));
    collect_leaves(vmar, base, end, false, out);
    return out;
}

void vm_vmar_unmap_range(vm_vmar *vmar, uint64_t base, uint64_t end)
{
    GPtrArray *kids = vm_vmar_children_in(vmar, base, end);
    for (guint i = 0; i < kids->len; i++) {
        vm_region *r = g_ptr_array_index(kids, i);
        if (r->kind == VM_REGION_VMAR) {
            vm_vmar_destroy_tree(vm_vmar_from_region(r));
            continue;
        }
        vm_mapping *m = vm_mapping_from_region(r);
        if (m->region.base < base)
            m = vm_mapping_split(m, base);
        if (vm_region_end(&m->region) > end)
            vm_mapping_split(m, end);
        vm_mapping_destroy(m);
    }
    g_ptr_array_free(kids, TRUE);
}

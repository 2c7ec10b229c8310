#include "vmar.h"

#include "gap_tree.h"
#include "mapping.h"
#include "object.h"

static void vmar_on_free(vm_object *obj)
{
    vm_vmar *vmar = (vm_vmar *)obj;
    g_assert(vmar->children.count == 0);
    vm_gap_tree_destroy(&vmar->children);
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
    vmar->map_records = 1;
    vm_gap_tree_init(&vmar->children, base, base + size);
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

void vm_vmar_add_map_records(vm_vmar *vmar, int64_t delta)
{
    for (; vmar; vmar = vmar->region.parent)
        vmar->map_records += (uint64_t)delta;
}

static uint64_t records_of(vm_region *r)
{
    return r->kind == VM_REGION_VMAR ? vm_vmar_from_region(r)->map_records
                                     : vm_mapping_run_count(vm_mapping_from_region(r));
}

void vm_vmar_insert(vm_vmar *vmar, vm_region *r)
{
    r->parent = vmar;
    vm_gap_tree_insert(&vmar->children, r);
    vm_vmar_add_map_records(vmar, (int64_t)records_of(r));
}

void vm_vmar_remove(vm_vmar *vmar, vm_region *r)
{
    g_assert(r->parent == vmar);
    vm_gap_tree_remove(&vmar->children, r);
    vm_vmar_add_map_records(vmar, -(int64_t)records_of(r));
}

size_t vm_vmar_child_count(const vm_vmar *vmar)
{
    return vmar->children.count;
}

vm_region *vm_vmar_prev_child(const vm_region *r)
{
    return vm_gap_tree_prev(r);
}

vm_region *vm_vmar_next_child(const vm_region *r)
{
    return vm_gap_tree_next(r);
}

void vm_vmar_touching_children(const vm_region *r, vm_region **left, vm_region **right)
{
    vm_gap_tree_touching(r, left, right);
}

vm_region *vm_vmar_child_at(vm_vmar *vmar, uint64_t va)
{
    vm_region *r = vm_gap_tree_find_le(&vmar->children, va);
    return r && va - r->base < r->size ? r : NULL;
}

void vm_vmar_foreach_child(vm_vmar *vmar, GTraverseFunc fn, gpointer user)
{
    vm_region *r = vm_gap_tree_first(&vmar->children);
    while (r) {
        /* fn may not change the tree, but take the next one first anyway. */
        vm_region *next = vm_gap_tree_next(r);
        if (fn(&r->base, r, user))
            return;
        r = next;
    }
}

GPtrArray *vm_vmar_children_in(vm_vmar *vmar, uint64_t base, uint64_t end)
{
    GPtrArray *out = g_ptr_array_new();
    vm_gap_tree_collect(&vmar->children, base, end, out);
    return out;
}

bool vm_vmar_range_is_free(vm_vmar *vmar, uint64_t base, uint64_t size)
{
    return vm_gap_tree_range_is_free(&vmar->children, base, size);
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
    uint64_t pick;  /* the spot wanted, when choosing */
    bool choose;
    bool found;
    uint64_t base;
} placement;

/* Counts the spots of one gap, or stops at the one picked. */
static bool count_or_pick(void *ctx, uint64_t lo, uint64_t hi)
{
    placement *p = ctx;
    uint64_t first;
    uint64_t n = spots_in_gap(MAX(lo, p->lo), hi, p->size, p->align, &first);
    if (p->choose && n > 0 && p->pick < p->total + n) {
        p->base = first + (p->pick - p->total) * p->align;
        p->found = true;
        return true;
    }
    p->total += n;
    return false;
}

static uint64_t random_below(GRand *rand, uint64_t n)
{
    uint64_t r = ((uint64_t)g_rand_int(rand) << 32) | g_rand_int(rand);
    return r % n;
}

/* Draws per sampling method before falling back to counting every spot. */
#define PLACE_TRIES 8

/* A spot drawn uniformly from every aligned address of the range: taken if
 * it is free. */
static bool try_any_address(vm_vmar *vmar, placement *p, GRand *rand)
{
    bool overflow = false;
    uint64_t first = align_up(p->lo, p->align, &overflow);
    if (overflow || first >= p->hi || p->hi - first < p->size)
        return false;
    uint64_t n = (p->hi - first - p->size) / p->align + 1;
    for (int i = 0; i < PLACE_TRIES; i++) {
        uint64_t base = first + random_below(rand, n) * p->align;
        if (vm_vmar_range_is_free(vmar, base, p->size)) {
            p->base = base;
            return true;
        }
    }
    return false;
}

/* A free page drawn uniformly: taken if a spot starts there. */
static bool try_free_page(vm_vmar *vmar, placement *p, GRand *rand)
{
    uint64_t pages = vm_gap_tree_free_bytes(&vmar->children) >> VM_PAGE_SHIFT;
    if (pages == 0)
        return false;
    for (int i = 0; i < PLACE_TRIES; i++) {
        uint64_t gap_lo, gap_hi;
        uint64_t base = vm_gap_tree_free_at(
            &vmar->children, random_below(rand, pages) << VM_PAGE_SHIFT, &gap_lo, &gap_hi);
        uint64_t hi = MIN(gap_hi, p->hi);
        if (base % p->align == 0 && base < hi && hi - base >= p->size) {
            p->base = base;
            return true;
        }
    }
    return false;
}

/* Both draws give every spot the same chance, so any mix of them and of the
 * exact count keeps the choice uniform over all spots. */
zx_status_t vm_vmar_place(vm_vmar *vmar, uint64_t size, uint64_t align, uint64_t limit_end,
                          uint64_t *base)
{
    placement p = {.size = size,
                   .align = MAX(align, VM_PAGE_SIZE),
                   .lo = vmar->region.base,
                   .hi = MIN(vm_region_end(&vmar->region), limit_end)};
    if (p.hi <= p.lo || p.hi - p.lo < size)
        return ZX_ERR_NO_RESOURCES;
    vm_kernel *k = vmar->aspace->k;
    bool randomize = k->aslr && !(vmar->flags & ZX_VM_COMPACT);
    if (randomize) {
        if (try_any_address(vmar, &p, k->rand) || try_free_page(vmar, &p, k->rand)) {
            *base = p.base;
            return ZX_OK;
        }
        vm_gap_tree_visit_gaps(&vmar->children, size, p.hi, count_or_pick, &p);
        if (p.total == 0)
            return ZX_ERR_NO_RESOURCES;
        p.pick = random_below(k->rand, p.total);
        p.total = 0;
    }
    /* Without randomization the pick is 0: the lowest spot. */
    p.choose = true;
    vm_gap_tree_visit_gaps(&vmar->children, size, p.hi, count_or_pick, &p);
    if (!p.found)
        return ZX_ERR_NO_RESOURCES;
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
    vm_vmar_unmap_children(vmar, kids, base, end);
    g_ptr_array_free(kids, TRUE);
}

void vm_vmar_unmap_children(vm_vmar *vmar, GPtrArray *kids, uint64_t base, uint64_t end)
{
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
}

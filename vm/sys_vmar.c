/* zx_vmar_*: VMAR handles, rights and arguments checked in Zircon's order
 * (docs/semantics.md "VMAR model"), then the region tree and mappings are edited. */
#include "aspace.h"
#include "fault.h"
#include "handle_table.h"
#include "mapping.h"
#include "object.h"
#include "sys_impl.h"
#include "usercopy.h"
#include "vmar.h"
#include "vmo.h"
#include "vmo_ops.h"

#define VM_OPTION_PERMS       (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE)
#define VM_OPTION_CAN_MAP_RWX (ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE)
#define VM_OPTION_KNOWN       0x0000FFFFu
#define VM_OPTION_ALIGN_MASK  0xFF000000u

/* Permissions, CAN_MAP_* flags and the READ/WRITE/EXECUTE rights are the
 * same three bits at different places, so each converts by a shift. */
_Static_assert(ZX_RIGHT_READ == ZX_VM_PERM_READ << 2 && ZX_RIGHT_EXECUTE == ZX_VM_PERM_EXECUTE << 2,
               "rights are permissions shifted by 2");
_Static_assert(ZX_VM_CAN_MAP_READ == ZX_VM_PERM_READ << 7 &&
                   ZX_VM_CAN_MAP_EXECUTE == ZX_VM_PERM_EXECUTE << 7,
               "CAN_MAP_* are permissions shifted by 7");

static zx_rights_t rights_for_perms(uint32_t options)
{
    return (options & VM_OPTION_PERMS) << 2;
}

static zx_rights_t rights_for_can_map(uint32_t options)
{
    return rights_for_perms(options >> 7);
}

static uint32_t can_map_for_perms(uint32_t perms)
{
    return (perms & VM_OPTION_PERMS) << 7;
}

static unsigned perms_for_rights(zx_rights_t rights)
{
    return (rights >> 2) & VM_OPTION_PERMS;
}

/* Bits 24..31 hold log2 of the alignment: 0 or 10..32. */
static bool decode_align(uint32_t options, uint64_t *align)
{
    uint32_t n = options >> ZX_VM_ALIGN_BASE;
    if (n == 0) {
        *align = VM_PAGE_SIZE;
        return true;
    }
    if (n < 10 || n > 32)
        return false;
    *align = MAX(1ull << n, VM_PAGE_SIZE);
    return true;
}

/* ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED: where the kernel cannot map
 * execute-only pages it means READ. Current Zircon keeps its execute-only
 * feature bit off on every architecture (and refuses EXECUTE without READ),
 * so zxsim does the same on both ISAs, although the arm64 page format could
 * express such pages. */
static uint32_t resolve_xom(const vm_kernel *k, uint32_t options)
{
    if ((options & ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED) && !k->arch->execute_only)
        options |= ZX_VM_PERM_READ;
    return options & ~ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED;
}

/* Neither write nor execute without read. */
static bool valid_protection(uint32_t options)
{
    return (options & ZX_VM_PERM_READ) || !(options & (ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE));
}

static vm_vmar *vmar_of(vm_handle *h)
{
    return (vm_vmar *)h->obj;
}

/* Placement shared by allocate and map (allocate steps 9-15). */
static zx_status_t place(vm_vmar *vmar, uint32_t options, uint64_t offset, uint64_t size,
                         uint64_t align, uint64_t *base)
{
    bool specific = options & (ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE);
    bool upper = options & ZX_VM_OFFSET_IS_UPPER_LIMIT;
    if (upper && specific)
        return ZX_ERR_INVALID_ARGS;
    if (offset != 0 && !specific && !upper)
        return ZX_ERR_INVALID_ARGS;
    if (!vm_is_page_aligned(offset))
        return ZX_ERR_INVALID_ARGS;
    if ((specific || upper) && !(vmar->flags & ZX_VM_CAN_MAP_SPECIFIC))
        return ZX_ERR_ACCESS_DENIED;
    uint64_t psize = vmar->region.size;
    if (!upper) {
        if (offset >= psize || size > psize - offset)
            return ZX_ERR_INVALID_ARGS;
    } else if (offset > psize || size > psize || size > offset) {
        return ZX_ERR_INVALID_ARGS;
    }
    if (specific) {
        *base = vmar->region.base + offset;
        if (*base % align != 0)
            return ZX_ERR_INVALID_ARGS;
        if (!(options & ZX_VM_SPECIFIC_OVERWRITE) && !vm_vmar_range_is_free(vmar, *base, size))
            return ZX_ERR_ALREADY_EXISTS;
        return ZX_OK;
    }
    uint64_t limit = upper ? vmar->region.base + offset : UINT64_MAX;
    return vm_vmar_place(vmar, size, align, limit, base);
}

int64_t sys_vmar_allocate(vm_process *p, vm_args a)
{
    zx_handle_t parent_h = arg32(a, 0);
    uint32_t options = arg32(a, 1);
    uint64_t offset = a[2], size = a[3];
    uint64_t out_handle = a[4], out_addr = a[5];

    vm_handle *h;
    zx_status_t st =
        vm_handle_get(&p->handles, parent_h, ZX_OBJ_TYPE_VMAR, rights_for_can_map(options), &h);
    if (st != ZX_OK)
        return st;
    vm_vmar *parent = vmar_of(h);
    uint64_t align;
    if ((options & ~VM_OPTION_ALIGN_MASK & ~VM_OPTION_KNOWN) || !decode_align(options, &align))
        return ZX_ERR_INVALID_ARGS;
    if (options & VM_OPTION_PERMS)
        return ZX_ERR_INVALID_ARGS;
    if (!vm_is_page_aligned(size))
        return ZX_ERR_INVALID_ARGS;
    if (options & (ZX_VM_SPECIFIC_OVERWRITE | ZX_VM_MAP_RANGE | ZX_VM_REQUIRE_NON_RESIZABLE |
                   ZX_VM_ALLOW_FAULTS | ZX_VM_FAULT_BEYOND_STREAM_SIZE))
        return ZX_ERR_INVALID_ARGS;
    options &= ~ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED;
    if (parent->dead)
        return ZX_ERR_BAD_STATE;
    if (size == 0)
        return ZX_ERR_INVALID_ARGS;
    if ((options & VM_OPTION_CAN_MAP_RWX) & ~(parent->flags & VM_OPTION_CAN_MAP_RWX))
        return ZX_ERR_ACCESS_DENIED;
    uint64_t base;
    st = place(parent, options, offset, size, align, &base);
    if (st != ZX_OK)
        return st;

    uint32_t flags = options & (VM_OPTION_CAN_MAP_RWX | ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_COMPACT);
    vm_vmar *child = vm_vmar_create_child(parent, base, size, flags);
    zx_rights_t rights = ZX_DEFAULT_VMAR_RIGHTS | rights_for_can_map(options);
    zx_handle_t value = vm_handle_install(&p->handles, &child->obj, rights);
    st = value == ZX_HANDLE_INVALID ? ZX_ERR_NO_MEMORY
                                    : vm_copy_out_u32(p->aspace, out_handle, value);
    if (st == ZX_OK)
        st = vm_copy_out_u64(p->aspace, out_addr, base);
    if (st != ZX_OK) {
        if (!child->dead)
            vm_vmar_destroy_tree(child);
        if (value != ZX_HANDLE_INVALID)
            vm_handle_close(&p->handles, value);
    }
    vm_object_unref(&child->obj);
    return st;
}

int64_t sys_vmar_destroy(vm_process *p, vm_args a)
{
    vm_handle *h;
    zx_status_t st =
        vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_VMAR, ZX_RIGHT_OP_CHILDREN, &h);
    if (st != ZX_OK)
        return st;
    vm_vmar *vmar = vmar_of(h);
    if (vmar == vmar->aspace->root)
        return ZX_ERR_NOT_SUPPORTED;
    if (vmar->dead)
        return ZX_ERR_BAD_STATE;
    vm_vmar_destroy_tree(vmar);
    return ZX_OK;
}

/* Does [base, end) touch any sub-VMAR of vmar? */
static bool touches_subregion(vm_vmar *vmar, uint64_t base, uint64_t end)
{
    GPtrArray *kids = vm_vmar_children_in(vmar, base, end);
    bool found = false;
    for (guint i = 0; i < kids->len && !found; i++)
        found = ((vm_region *)g_ptr_array_index(kids, i))->kind == VM_REGION_VMAR;
    g_ptr_array_free(kids, TRUE);
    return found;
}

/* Zircon merges a new mapping with neighbours that continue it. */
static void merge_neighbours(vm_mapping *m)
{
    vm_region *left, *right;
    vm_vmar_touching_children(&m->region, &left, &right);
    if (right && right->kind == VM_REGION_MAPPING)
        vm_mapping_try_merge(m, vm_mapping_from_region(right));
    if (left && left->kind == VM_REGION_MAPPING)
        vm_mapping_try_merge(vm_mapping_from_region(left), m);
}

int64_t sys_vmar_map(vm_process *p, vm_args a)
{
    zx_handle_t vmar_h = arg32(a, 0);
    uint32_t options = arg32(a, 1);
    uint64_t vmar_offset = a[2];
    zx_handle_t vmo_h = arg32(a, 3);
    uint64_t vmo_offset = a[4], len = a[5], out_addr = a[6];

    vm_handle *hv, *ho;
    zx_status_t st = vm_handle_get(&p->handles, vmar_h, ZX_OBJ_TYPE_VMAR, 0, &hv);
    if (st != ZX_OK)
        return st;
    st = vm_handle_get(&p->handles, vmo_h, ZX_OBJ_TYPE_VMO, 0, &ho);
    if (st != ZX_OK)
        return st;
    vm_vmar *vmar = vmar_of(hv);
    vm_vmo *vmo = (vm_vmo *)ho->obj;

    if (!(ho->rights & ZX_RIGHT_MAP))
        return ZX_ERR_ACCESS_DENIED;
    options = resolve_xom(p->k, options);
    if (!valid_protection(options))
        return ZX_ERR_INVALID_ARGS;
    bool map_range = options & ZX_VM_MAP_RANGE;
    if (map_range && (options & ZX_VM_SPECIFIC_OVERWRITE))
        return ZX_ERR_INVALID_ARGS;
    if (options & VM_OPTION_CAN_MAP_RWX)
        return ZX_ERR_INVALID_ARGS;
    zx_rights_t both = ho->rights & hv->rights;
    if (rights_for_perms(options) & ~both)
        return ZX_ERR_ACCESS_DENIED;
    if ((options & ZX_VM_FAULT_BEYOND_STREAM_SIZE) && !(options & ZX_VM_ALLOW_FAULTS))
        return ZX_ERR_INVALID_ARGS;
    uint64_t align;
    if ((options & ~VM_OPTION_ALIGN_MASK & ~VM_OPTION_KNOWN) || !decode_align(options, &align))
        return ZX_ERR_INVALID_ARGS;
    if ((options & ZX_VM_REQUIRE_NON_RESIZABLE) && vm_vmo_target(vmo)->resizable)
        return ZX_ERR_NOT_SUPPORTED;
    if (!(options & ZX_VM_ALLOW_FAULTS) && vm_vmo_target(vmo)->discardable)
        return ZX_ERR_NOT_SUPPORTED;
    if (options & (ZX_VM_COMPACT | ZX_VM_CAN_MAP_SPECIFIC))
        return ZX_ERR_INVALID_ARGS;
    if (can_map_for_perms(options) & ~vmar->flags)
        return ZX_ERR_ACCESS_DENIED;
    if (!vm_is_page_aligned(vmo_offset))
        return ZX_ERR_INVALID_ARGS;
    uint64_t size;
    if (!vm_roundup_page(len, &size) || size > UINT64_MAX - vmo_offset)
        return ZX_ERR_OUT_OF_RANGE;
    if (vmar->dead)
        return ZX_ERR_BAD_STATE;
    if (size == 0)
        return ZX_ERR_INVALID_ARGS;
    uint64_t base;
    st = place(vmar, options, vmar_offset, size, align, &base);
    if (st != ZX_OK)
        return st;
    bool overwrite = options & ZX_VM_SPECIFIC_OVERWRITE;
    if (overwrite && touches_subregion(vmar, base, base + size))
        return ZX_ERR_INVALID_ARGS;

    /* All checks passed: the overwrite and the new mapping are one step. */
    if (overwrite)
        vm_vmar_unmap_range(vmar, base, base + size);
    unsigned max_perms = perms_for_rights(both);
    uint64_t map_offset = (options & ZX_VM_OFFSET_IS_UPPER_LIMIT) ? 0 : vmo_offset;
    uint32_t kept = options & (ZX_VM_ALLOW_FAULTS | ZX_VM_FAULT_BEYOND_STREAM_SIZE);
    vm_mapping *m = vm_mapping_create(vmar, base, size, vmo, map_offset,
                                      vm_perms_from_options(options), max_perms, kept);
    if (map_range) {
        st = vm_fault_map_committed(m, base, size);
        if (st != ZX_OK) {
            vm_mapping_destroy(m);
            return st;
        }
    }
    st = vm_copy_out_u64(p->aspace, out_addr, base);
    if (st != ZX_OK) {
        vm_mapping_destroy(m);
        return st;
    }
    merge_neighbours(m);
    return ZX_OK;
}

/* [addr, addr+len) inside vmar, without overflow. */
static bool range_inside(const vm_vmar *vmar, uint64_t addr, uint64_t len)
{
    if (addr + len < addr)
        return false;
    return addr >= vmar->region.base && addr + len <= vm_region_end(&vmar->region);
}

int64_t sys_vmar_unmap(vm_process *p, vm_args a)
{
    uint64_t addr = a[1], len = a[2];
    vm_handle *h;
    zx_status_t st = vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_VMAR, 0, &h);
    if (st != ZX_OK)
        return st;
    vm_vmar *vmar = vmar_of(h);
    if (!vm_is_page_aligned(addr))
        return ZX_ERR_INVALID_ARGS;
    uint64_t size;
    if (!vm_roundup_page(len, &size) || size == 0)
        return ZX_ERR_INVALID_ARGS;
    if (vmar->dead)
        return ZX_ERR_BAD_STATE;
    if (!range_inside(vmar, addr, size))
        return ZX_ERR_INVALID_ARGS;
    if (vm_vmar_child_count(vmar) == 0)
        return ZX_OK;
    uint64_t end = addr + size;
    GPtrArray *kids = vm_vmar_children_in(vmar, addr, end);
    for (guint i = 0; i < kids->len && st == ZX_OK; i++) {
        vm_region *r = g_ptr_array_index(kids, i);
        if (r->kind != VM_REGION_VMAR)
            continue;
        if (r->base < addr || vm_region_end(r) > end || !(h->rights & ZX_RIGHT_OP_CHILDREN))
            st = ZX_ERR_INVALID_ARGS;
    }
    if (st == ZX_OK)
        vm_vmar_unmap_children(vmar, kids, addr, end);
    g_ptr_array_free(kids, TRUE);
    return st;
}

/* Would setting `perms` on [lo, hi) of m add a permission to any page? */
static bool adds_permission(const vm_mapping *m, uint64_t lo, uint64_t hi, unsigned perms)
{
    for (vm_run r = vm_mapping_run_at(m, lo - m->region.base); vm_run_valid(r);
         r = vm_mapping_next_run(r)) {
        uint64_t r_lo = m->region.base + vm_run_offset(r);
        if (r_lo >= hi)
            break;
        uint64_t r_hi = m->region.base + vm_mapping_run_end(m, r);
        if (r_lo < hi && r_hi > lo && (perms & ~vm_run_perms(r)))
            return true;
    }
    return false;
}

int64_t sys_vmar_protect(vm_process *p, vm_args a)
{
    uint32_t options = arg32(a, 1);
    uint64_t addr = a[2], len = a[3];
    options = resolve_xom(p->k, options);
    vm_handle *h;
    zx_status_t st =
        vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_VMAR, rights_for_perms(options), &h);
    if (st != ZX_OK)
        return st;
    vm_vmar *vmar = vmar_of(h);
    if (!valid_protection(options))
        return ZX_ERR_INVALID_ARGS;
    if (!vm_is_page_aligned(addr))
        return ZX_ERR_INVALID_ARGS;
    if (options & ~VM_OPTION_PERMS)
        return ZX_ERR_INVALID_ARGS;
    uint64_t size;
    if (!vm_roundup_page(len, &size) || size == 0)
        return ZX_ERR_INVALID_ARGS;
    if (vmar->dead)
        return ZX_ERR_BAD_STATE;
    if (!range_inside(vmar, addr, size))
        return ZX_ERR_INVALID_ARGS;

    unsigned perms = vm_perms_from_options(options);
    uint64_t end = addr + size;
    GArray *leaves = vm_vmar_leaves_in(vmar, addr, end);
    uint64_t cursor = addr;
    for (guint i = 0; i < leaves->len && st == ZX_OK; i++) {
        vm_leaf *leaf = &g_array_index(leaves, vm_leaf, i);
        vm_mapping *m = leaf->mapping;
        uint64_t lo = MAX(addr, m->region.base), hi = MIN(end, vm_region_end(&m->region));
        if (m->region.base > cursor)
            st = ZX_ERR_NOT_FOUND;
        else if (perms & ~m->max_perms)
            st = ZX_ERR_ACCESS_DENIED;
        else if (leaf->in_subregion && !(h->rights & ZX_RIGHT_OP_CHILDREN))
            st = ZX_ERR_INVALID_ARGS;
        else if (leaf->in_subregion && adds_permission(m, lo, hi, perms))
            st = ZX_ERR_ACCESS_DENIED;
        cursor = hi;
    }
    if (st == ZX_OK && cursor < end)
        st = ZX_ERR_NOT_FOUND;
    if (st == ZX_OK) {
        for (guint i = 0; i < leaves->len; i++) {
            vm_mapping *m = g_array_index(leaves, vm_leaf, i).mapping;
            uint64_t lo = MAX(addr, m->region.base), hi = MIN(end, vm_region_end(&m->region));
            vm_mapping_protect(m, lo, hi - lo, perms);
        }
    }
    g_array_free(leaves, TRUE);
    return st;
}

static bool vmar_op_known(uint32_t op, zx_rights_t *right)
{
    switch (op) {
    case ZX_VMAR_OP_COMMIT:
    case ZX_VMAR_OP_DECOMMIT:
    case ZX_VMAR_OP_ZERO:
        *right = ZX_RIGHT_WRITE;
        return true;
    case ZX_VMAR_OP_MAP_RANGE:
    case ZX_VMAR_OP_PREFETCH:
        *right = ZX_RIGHT_READ;
        return true;
    case ZX_VMAR_OP_DONT_NEED:
    case ZX_VMAR_OP_ALWAYS_NEED:
        *right = 0;
        return true;
    default:
        return false;
    }
}

/* One mapping's share of a zx_vmar_op_range, after the walk's checks. */
static zx_status_t op_on_mapping(uint32_t op, vm_mapping *m, uint64_t lo, uint64_t hi)
{
    uint64_t voff = m->vmo_offset + (lo - m->region.base);
    uint64_t vlen = hi - lo;
    if (m->options & ZX_VM_FAULT_BEYOND_STREAM_SIZE) {
        uint64_t stream;
        if (vm_roundup_page(vm_vmo_content_size(m->vmo), &stream) && voff + vlen > stream)
            return ZX_ERR_OUT_OF_RANGE;
    }
    switch (op) {
    case ZX_VMAR_OP_COMMIT: {
        zx_status_t st = vm_vmo_op_commit(m->vmo, voff, vlen);
        return st == ZX_OK ? vm_fault_map_committed(m, lo, vlen) : st;
    }
    case ZX_VMAR_OP_DECOMMIT:
        return vm_vmo_op_decommit(m->vmo, voff, vlen);
    case ZX_VMAR_OP_ZERO:
        return vm_vmo_op_zero(m->vmo, voff, vlen);
    case ZX_VMAR_OP_PREFETCH:
        return vm_vmo_op_prefetch(m->vmo, voff, vlen);
    case ZX_VMAR_OP_MAP_RANGE:
    case ZX_VMAR_OP_ALWAYS_NEED:
        return vm_fault_map_committed(m, lo, vlen);
    case ZX_VMAR_OP_DONT_NEED:
    default:
        return ZX_OK;
    }
}

int64_t sys_vmar_op_range(vm_process *p, vm_args a)
{
    uint32_t op = arg32(a, 1);
    uint64_t addr = a[2], len = a[3], buffer = a[4], buffer_size = a[5];
    vm_handle *h;
    zx_status_t st = vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_VMAR, 0, &h);
    if (st != ZX_OK)
        return st;
    vm_vmar *vmar = vmar_of(h);
    zx_rights_t needed;
    if (!vmar_op_known(op, &needed))
        return ZX_ERR_INVALID_ARGS;
    if ((h->rights & needed) != needed)
        return ZX_ERR_ACCESS_DENIED;
    if (buffer != 0 || buffer_size != 0)
        return ZX_ERR_INVALID_ARGS;
    uint64_t size;
    if (!vm_roundup_page(len, &size) || size == 0 || !vm_is_page_aligned(addr))
        return ZX_ERR_INVALID_ARGS;
    if (!range_inside(vmar, addr, size))
        return ZX_ERR_OUT_OF_RANGE;
    if (vmar->dead)
        return ZX_ERR_BAD_STATE;

    uint64_t end = addr + size;
    GArray *leaves = vm_vmar_leaves_in(vmar, addr, end);
    uint64_t cursor = addr;
    for (guint i = 0; i < leaves->len && st == ZX_OK; i++) {
        vm_leaf *leaf = &g_array_index(leaves, vm_leaf, i);
        vm_mapping *m = leaf->mapping;
        uint64_t lo = MAX(addr, m->region.base), hi = MIN(end, vm_region_end(&m->region));
        if (m->region.base > cursor)
            st = ZX_ERR_BAD_STATE;
        else if (leaf->in_subregion && (op == ZX_VMAR_OP_COMMIT || op == ZX_VMAR_OP_DECOMMIT ||
                                        op == ZX_VMAR_OP_PREFETCH))
            st = ZX_ERR_INVALID_ARGS;
        else if (leaf->in_subregion && !(h->rights & ZX_RIGHT_OP_CHILDREN))
            st = ZX_ERR_INVALID_ARGS;
        else if ((op == ZX_VMAR_OP_COMMIT || op == ZX_VMAR_OP_DECOMMIT || op == ZX_VMAR_OP_ZERO) &&
                 !(m->max_perms & MMU_PERM_WRITE))
            st = ZX_ERR_ACCESS_DENIED;
        else if (op == ZX_VMAR_OP_PREFETCH && !(m->max_perms & MMU_PERM_READ))
            st = ZX_ERR_ACCESS_DENIED;
        else
            st = op_on_mapping(op, m, lo, hi);
        cursor = hi;
    }
    if (st == ZX_OK && cursor < end)
        st = ZX_ERR_BAD_STATE;
    g_array_free(leaves, TRUE);
    return st;
}

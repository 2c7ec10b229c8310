/* zx_vmo_*: VMO handles, rights and arguments checked in Zircon's order
 * (docs/semantics.md, "zx_vmo_create" to "Discardable VMOs"), then the VMO layer acts. */
#include "discard.h"
#include "handle_table.h"
#include "hw_refs.h"
#include "object.h"
#include "sys_impl.h"
#include "usercopy.h"
#include "vmo.h"
#include "vmo_child.h"
#include "vmo_ops.h"

#include <string.h>

#define VMO_CREATE_OPTIONS (ZX_VMO_RESIZABLE | ZX_VMO_DISCARDABLE | ZX_VMO_UNBOUNDED)

static vm_vmo *vmo_of(vm_handle *h)
{
    return (vm_vmo *)h->obj;
}

int64_t sys_vmo_create(vm_process *p, vm_args a)
{
    uint64_t size = a[0];
    uint32_t options = arg32(a, 1);
    uint64_t out = a[2];
    if ((options & ZX_VMO_RESIZABLE) && (options & ZX_VMO_UNBOUNDED))
        return ZX_ERR_INVALID_ARGS;
    uint64_t rounded = 0;
    if (!(options & ZX_VMO_UNBOUNDED) &&
        (!vm_roundup_page(size, &rounded) || rounded > VM_MAX_VMO_SIZE))
        return ZX_ERR_OUT_OF_RANGE;
    if (options & ~VMO_CREATE_OPTIONS)
        return ZX_ERR_INVALID_ARGS;
    if ((options & ZX_VMO_UNBOUNDED) && size > VM_MAX_VMO_SIZE)
        return ZX_ERR_OUT_OF_RANGE;
    bool unbounded = options & ZX_VMO_UNBOUNDED;
    vm_vmo *v = vm_vmo_create(p->k, unbounded ? VM_MAX_VMO_SIZE : rounded, size,
                              options & ZX_VMO_RESIZABLE, options & ZX_VMO_DISCARDABLE, unbounded);
    zx_rights_t rights = ZX_DEFAULT_VMO_RIGHTS;
    if (options & ZX_VMO_RESIZABLE)
        rights |= ZX_RIGHT_RESIZE;
    zx_status_t st = vm_sys_return_handle(p, &v->obj, rights, out);
    vm_object_unref(&v->obj);
    return st;
}

typedef struct user_io {
    vm_process *p;
    uint64_t user;
    uint8_t bounce[VM_PAGE_SIZE];
} user_io;

/* A bounce page keeps a fault on the user buffer from ever seeing a frame
 * that the same fault replaces (copy-on-write of the page being copied). */
static zx_status_t read_to_user(void *ctx, uint64_t done, const uint8_t *src, size_t len)
{
    user_io *io = ctx;
    if (src) {
        vm_hw_kernel_access(io->p->k, vm_hw_pa_of(io->p->k, src), len, false);
        memcpy(io->bounce, src, len);
    } else
        memset(io->bounce, 0, len);
    return vm_copy_to_user(io->p->aspace, io->user + done, io->bounce, len);
}

static zx_status_t write_from_user(void *ctx, uint64_t done, uint8_t *dst, size_t len)
{
    user_io *io = ctx;
    vm_hw_kernel_access(io->p->k, vm_hw_pa_of(io->p->k, dst), len, true);
    memcpy(dst, io->bounce, len);
    return ZX_OK;
}

static zx_status_t check_io(vm_process *p, vm_args a, zx_rights_t right, vm_vmo **out)
{
    vm_handle *h;
    zx_status_t st = vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_VMO, right, &h);
    if (st != ZX_OK)
        return st;
    vm_vmo *v = vmo_of(h);
    if (!vm_range_within(a[2], a[3], vm_vmo_size(v)))
        return ZX_ERR_OUT_OF_RANGE;
    uint64_t root_off;
    if (vm_vmo_root(v, &root_off)->cache_policy != ZX_CACHE_POLICY_CACHED)
        return ZX_ERR_BAD_STATE;
    *out = v;
    return ZX_OK;
}

int64_t sys_vmo_read(vm_process *p, vm_args a)
{
    vm_vmo *v;
    zx_status_t st = check_io(p, a, ZX_RIGHT_READ, &v);
    if (st != ZX_OK)
        return st;
    user_io *io = g_new(user_io, 1);
    io->p = p;
    io->user = a[1];
    st = vm_vmo_read(v, a[2], a[3], read_to_user, io);
    g_free(io);
    return st;
}

int64_t sys_vmo_write(vm_process *p, vm_args a)
{
    vm_vmo *v;
    zx_status_t st = check_io(p, a, ZX_RIGHT_WRITE, &v);
    if (st != ZX_OK)
        return st;
    user_io *io = g_new(user_io, 1);
    io->p = p;
    uint64_t offset = a[2], len = a[3], done = 0;
    /* Page by page: read the user's bytes first, so that a bad buffer
     * commits nothing, then commit and fill the page. */
    while (done < len && st == ZX_OK) {
        uint64_t pos = offset + done;
        size_t chunk = (size_t)MIN(len - done, VM_PAGE_SIZE - (pos & VM_PAGE_MASK));
        st = vm_copy_from_user(p->aspace, io->bounce, a[1] + done, chunk);
        if (st == ZX_OK)
            st = vm_vmo_write(v, pos, chunk, write_from_user, io);
        done += chunk;
    }
    g_free(io);
    return st;
}

int64_t sys_vmo_get_size(vm_process *p, vm_args a)
{
    vm_handle *h;
    zx_status_t st = vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_VMO, 0, &h);
    if (st != ZX_OK)
        return st;
    return vm_copy_out_u64(p->aspace, a[1], vm_vmo_size(vmo_of(h)));
}

/* New size (page-rounded) and content size; shrinking frees pages and
 * invalidates mappings beyond the end, growing exposes zeros. */
static zx_status_t resize(vm_vmo *v, uint64_t size, uint64_t rounded)
{
    vm_vmo *t = vm_vmo_target(v);
    uint64_t old = t->size;
    uint64_t root_off;
    vm_vmo *root = vm_vmo_root(t, &root_off);
    if (rounded < old)
        vm_vmo_drop_pages(root, (root_off + rounded) >> VM_PAGE_SHIFT,
                          (root_off + old) >> VM_PAGE_SHIFT);
    /* Bytes between the new end and its page boundary read as zero. */
    if (size < rounded && size < old) {
        zx_status_t st = vm_vmo_zero_range(t, size, MIN(rounded, old));
        if (st != ZX_OK)
            return st;
    }
    t->size = rounded;
    t->content_size = size;
    return ZX_OK;
}

/* A child's offset in its ancestor chain plus its size must not overflow. */
static bool fits_in_ancestors(const vm_vmo *v, uint64_t size)
{
    uint64_t end = size;
    for (const vm_vmo *c = v; c; c = c->parent) {
        if (end > UINT64_MAX - c->parent_offset)
            return false;
        end += c->parent_offset;
    }
    return true;
}

int64_t sys_vmo_set_size(vm_process *p, vm_args a)
{
    uint64_t size = a[1];
    vm_handle *h;
    zx_status_t st = vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE, &h);
    if (st != ZX_OK)
        return st;
    vm_vmo *v = vmo_of(h);
    if (v->resizable && !(h->rights & ZX_RIGHT_RESIZE))
        return ZX_ERR_ACCESS_DENIED;
    uint64_t rounded;
    if (!vm_roundup_page(size, &rounded))
        return ZX_ERR_OUT_OF_RANGE;
    if (!v->resizable)
        return ZX_ERR_UNAVAILABLE;
    if (rounded > VM_MAX_VMO_SIZE)
        return ZX_ERR_OUT_OF_RANGE;
    if (!fits_in_ancestors(v, rounded))
        return ZX_ERR_INVALID_ARGS;
    return resize(v, size, rounded);
}

/* The kernel asks for no right to read the stream size. */
int64_t sys_vmo_get_stream_size(vm_process *p, vm_args a)
{
    vm_handle *h;
    zx_status_t st = vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_VMO, 0, &h);
    if (st != ZX_OK)
        return st;
    return vm_copy_out_u64(p->aspace, a[1], vm_vmo_content_size(vmo_of(h)));
}

/* The stream size never grows the VMO; whatever lies beyond the smaller of
 * the old and new stream sizes reads as zero afterwards. */
int64_t sys_vmo_set_stream_size(vm_process *p, vm_args a)
{
    uint64_t size = a[1];
    vm_handle *h;
    zx_status_t st = vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE, &h);
    if (st != ZX_OK)
        return st;
    vm_vmo *v = vmo_of(h);
    if (size > vm_vmo_size(v))
        return ZX_ERR_OUT_OF_RANGE;
    return vm_vmo_set_content_size(v, size, MIN(size, vm_vmo_content_size(v)));
}

static bool vmo_op_right(uint32_t op, zx_rights_t *right, bool *lock_family)
{
    *lock_family = false;
    switch (op) {
    case ZX_VMO_OP_COMMIT:
    case ZX_VMO_OP_DECOMMIT:
    case ZX_VMO_OP_ZERO:
    case ZX_VMO_OP_CACHE_INVALIDATE:
        *right = ZX_RIGHT_WRITE;
        return true;
    case ZX_VMO_OP_CACHE_SYNC:
    case ZX_VMO_OP_CACHE_CLEAN:
    case ZX_VMO_OP_CACHE_CLEAN_INVALIDATE:
    case ZX_VMO_OP_PREFETCH:
        *right = ZX_RIGHT_READ;
        return true;
    case ZX_VMO_OP_LOCK:
    case ZX_VMO_OP_TRY_LOCK:
    case ZX_VMO_OP_UNLOCK:
        *lock_family = true;
        *right = 0;
        return true;
    case ZX_VMO_OP_DONT_NEED:
    case ZX_VMO_OP_ALWAYS_NEED:
        *right = 0;
        return true;
    default:
        return false;
    }
}

static zx_status_t lock_op(vm_process *p, vm_vmo *v, uint32_t op, vm_args a)
{
    uint64_t offset = a[2], size = a[3], buffer = a[4], buffer_size = a[5];
    if (!v->discardable)
        return ZX_ERR_NOT_SUPPORTED;
    if (offset != 0 || size != v->size)
        return ZX_ERR_OUT_OF_RANGE;
    switch (op) {
    case ZX_VMO_OP_TRY_LOCK:
        if (v->discarded)
            return ZX_ERR_UNAVAILABLE;
        v->lock_count++;
        vm_discard_track(v);
        return ZX_OK;
    case ZX_VMO_OP_UNLOCK:
        if (v->lock_count == 0)
            return ZX_ERR_BAD_STATE;
        v->lock_count--;
        vm_discard_track(v);
        if (v->lock_count == 0 && v->k->discard_policy == VM_DISCARD_ALWAYS)
            vm_discard_if_reclaimable(v);
        return ZX_OK;
    default: {
        zx_vmo_lock_state_t state = {.offset = offset, .size = size};
        bool was_discarded = v->discarded;
        if (was_discarded) {
            state.discarded_offset = 0;
            state.discarded_size = v->size;
        }
        v->lock_count++;
        v->discarded = false;
        vm_discard_track(v);
        zx_status_t st = buffer_size < sizeof state
                             ? ZX_ERR_INVALID_ARGS
                             : vm_copy_out_record(p->aspace, buffer, &state, sizeof state);
        if (st != ZX_OK) {
            v->lock_count--;
            v->discarded = was_discarded;
            vm_discard_track(v);
        }
        return st;
    }
    }
}

int64_t sys_vmo_op_range(vm_process *p, vm_args a)
{
    uint32_t op = arg32(a, 1);
    uint64_t offset = a[2], size = a[3];
    vm_handle *h;
    zx_status_t st = vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_VMO, 0, &h);
    if (st != ZX_OK)
        return st;
    vm_vmo *v = vmo_of(h);
    zx_rights_t right;
    bool lock_family;
    if (!vmo_op_right(op, &right, &lock_family))
        return ZX_ERR_INVALID_ARGS;
    if (lock_family) {
        if (!(h->rights & (ZX_RIGHT_READ | ZX_RIGHT_WRITE)))
            return ZX_ERR_ACCESS_DENIED;
        return lock_op(p, vm_vmo_target(v), op, a);
    }
    if ((h->rights & right) != right)
        return ZX_ERR_ACCESS_DENIED;
    switch (op) {
    case ZX_VMO_OP_COMMIT:
        return vm_vmo_op_commit(v, offset, size);
    case ZX_VMO_OP_DECOMMIT:
        return vm_vmo_op_decommit(v, offset, size);
    case ZX_VMO_OP_ZERO:
        return vm_vmo_op_zero(v, offset, size);
    case ZX_VMO_OP_PREFETCH:
        return vm_vmo_op_prefetch(v, offset, size);
    case ZX_VMO_OP_DONT_NEED:
    case ZX_VMO_OP_ALWAYS_NEED:
        return vm_vmo_op_hint(v, op, offset, size);
    default:
        return vm_vmo_op_cache(v, op, offset, size);
    }
}

static zx_rights_t child_rights(zx_rights_t parent, uint32_t options, bool snapshot)
{
    zx_rights_t r = (parent & ~ZX_RIGHT_RESIZE) | ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY;
    if (options & ZX_VMO_CHILD_RESIZABLE)
        r |= ZX_RIGHT_RESIZE;
    if (options & ZX_VMO_CHILD_NO_WRITE)
        r &= ~ZX_RIGHT_WRITE;
    else if (snapshot)
        r = (r | ZX_RIGHT_WRITE) & ~ZX_RIGHT_EXECUTE;
    return r;
}

static zx_status_t slice_checks(vm_vmo *parent, uint64_t offset, uint64_t rounded)
{
    if (rounded > VM_MAX_VMO_SIZE)
        return ZX_ERR_OUT_OF_RANGE;
    if (!vm_range_within(offset, rounded, vm_vmo_size(parent)))
        return ZX_ERR_INVALID_ARGS;
    if (!vm_is_page_aligned(offset))
        return ZX_ERR_INVALID_ARGS;
    if (vm_vmo_target(parent)->resizable)
        return ZX_ERR_NOT_SUPPORTED;
    uint64_t root_off;
    vm_vmo_root(parent, &root_off);
    if (root_off + offset < root_off)
        return ZX_ERR_INVALID_ARGS;
    return ZX_OK;
}

int64_t sys_vmo_create_child(vm_process *p, vm_args a)
{
    uint32_t options = arg32(a, 1);
    uint64_t offset = a[2], size = a[3], out = a[4];
    uint64_t rounded;
    if (!vm_roundup_page(size, &rounded))
        return ZX_ERR_OUT_OF_RANGE;
    if ((options & ZX_VMO_CHILD_NO_WRITE) && (options & ZX_VMO_CHILD_RESIZABLE))
        return ZX_ERR_INVALID_ARGS;
    vm_handle *h;
    zx_status_t st = vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_VMO,
                                   ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ, &h);
    if (st != ZX_OK)
        return st;
    vm_vmo *parent = vmo_of(h);
    if (vm_vmo_target(parent)->discardable)
        return ZX_ERR_NOT_SUPPORTED;
    uint32_t rest = options & ~ZX_VMO_CHILD_NO_WRITE;
    vm_vmo *child;
    bool snapshot = false;
    if (options & ZX_VMO_CHILD_SLICE) {
        if (rest != ZX_VMO_CHILD_SLICE)
            return ZX_ERR_INVALID_ARGS;
        st = slice_checks(parent, offset, rounded);
        if (st != ZX_OK)
            return st;
        child = vm_vmo_create_slice(parent, offset, rounded);
    } else if (options & ZX_VMO_CHILD_REFERENCE) {
        if (rest & ~(ZX_VMO_CHILD_REFERENCE | ZX_VMO_CHILD_RESIZABLE))
            return ZX_ERR_INVALID_ARGS;
        if (offset != 0 || size != 0)
            return ZX_ERR_INVALID_ARGS;
        if (parent->kind == VM_VMO_SLICE)
            return ZX_ERR_NOT_SUPPORTED;
        if ((options & ZX_VMO_CHILD_RESIZABLE) && !vm_vmo_target(parent)->resizable)
            return ZX_ERR_NOT_SUPPORTED;
        child = vm_vmo_create_reference(parent);
    } else {
        uint32_t type = 0;
        if (options & ZX_VMO_CHILD_SNAPSHOT)
            type = ZX_VMO_CHILD_SNAPSHOT;
        else if (options & ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE)
            type = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
        else if (options & ZX_VMO_CHILD_SNAPSHOT_MODIFIED)
            type = ZX_VMO_CHILD_SNAPSHOT_MODIFIED;
        if (type == 0 || (rest & ~(type | ZX_VMO_CHILD_RESIZABLE)))
            return ZX_ERR_INVALID_ARGS;
        if (!vm_is_page_aligned(offset))
            return ZX_ERR_INVALID_ARGS;
        if (rounded > VM_MAX_VMO_SIZE)
            return ZX_ERR_OUT_OF_RANGE;
        uint64_t root_off;
        vm_vmo *root = vm_vmo_root(parent, &root_off);
        /* The offset accumulates along the chain of parents. */
        if (offset > UINT64_MAX - rounded || !fits_in_ancestors(parent, offset + rounded))
            return ZX_ERR_INVALID_ARGS;
        if (root->cache_policy != ZX_CACHE_POLICY_CACHED)
            return ZX_ERR_BAD_STATE;
        snapshot = true;
        child =
            vm_vmo_create_snapshot(parent, offset, rounded, size, options & ZX_VMO_CHILD_RESIZABLE);
        child->immutable = type == ZX_VMO_CHILD_SNAPSHOT && (options & ZX_VMO_CHILD_NO_WRITE);
    }
    if (h->rights & ZX_RIGHT_GET_PROPERTY)
        memcpy(child->name, parent->name, sizeof child->name);
    if (!snapshot && child->kind == VM_VMO_SLICE)
        child->content_size = size;
    st = vm_sys_return_handle(p, &child->obj, child_rights(h->rights, options, snapshot), out);
    vm_object_unref(&child->obj);
    return st;
}

int64_t sys_vmo_set_cache_policy(vm_process *p, vm_args a)
{
    uint32_t policy = arg32(a, 1);
    if (policy & ~ZX_CACHE_POLICY_MASK)
        return ZX_ERR_INVALID_ARGS;
    vm_handle *h;
    zx_status_t st = vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_VMO, ZX_RIGHT_MAP, &h);
    if (st != ZX_OK)
        return st;
    vm_vmo *v = vmo_of(h);
    if (v->mappings || v->page_mappings || v->children || v->parent ||
        (vm_vmo_committed_pages(v) > 0 && v->cache_policy != ZX_CACHE_POLICY_CACHED))
        return ZX_ERR_BAD_STATE;
    v->cache_policy = policy;
    return ZX_OK;
}

int64_t sys_vmo_replace_as_executable(vm_process *p, vm_args a)
{
    zx_handle_t vmex = arg32(a, 1);
    zx_status_t vmex_status = ZX_OK;
    if (vmex != ZX_HANDLE_INVALID) {
        vm_handle *vh;
        vmex_status = vm_handle_get(&p->handles, vmex, ZX_OBJ_TYPE_RESOURCE, 0, &vh);
    }
    vm_handle *h;
    zx_status_t st = vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_NONE, 0, &h);
    if (st != ZX_OK)
        return ZX_ERR_BAD_HANDLE;
    /* The handle goes away in every case, even when the answer is an error. */
    vm_object *obj = h->obj;
    zx_rights_t rights = h->rights | ZX_RIGHT_EXECUTE;
    bool is_vmo = obj->type == ZX_OBJ_TYPE_VMO;
    /* Keep the object alive across the swap of handles. */
    vm_object_ref(obj);
    vm_object_user_ref(obj);
    vm_handle_close(&p->handles, arg32(a, 0));
    if (!is_vmo)
        st = ZX_ERR_BAD_HANDLE;
    else if (vmex_status != ZX_OK)
        st = vmex_status;
    else
        st = vm_sys_return_handle(p, obj, rights, a[2]);
    vm_object_user_unref(obj);
    vm_object_unref(obj);
    return st;
}

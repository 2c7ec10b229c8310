/* zx_handle_*: closing, duplicating and replacing handles (docs/semantics.md "Handle calls"). */
#include "handle_table.h"
#include "object.h"
#include "sys_impl.h"
#include "usercopy.h"

int64_t sys_handle_close(vm_process *p, vm_args a)
{
    zx_handle_t h = arg32(a, 0);
    if (h == ZX_HANDLE_INVALID)
        return ZX_OK;
    return vm_handle_close(&p->handles, h);
}

int64_t sys_handle_close_many(vm_process *p, vm_args a)
{
    uint64_t ptr = a[0], count = a[1];
    if (count > UINT64_MAX / sizeof(zx_handle_t))
        return ZX_ERR_INVALID_ARGS;
    zx_status_t result = ZX_OK;
    zx_handle_t chunk[1024];
    /* A chunk at a time: a huge count must not cost a user copy per handle. */
    for (uint64_t done = 0; done < count;) {
        size_t n = (size_t)MIN(count - done, (uint64_t)G_N_ELEMENTS(chunk));
        if (vm_copy_from_user(p->aspace, chunk, ptr + done * sizeof(zx_handle_t),
                              n * sizeof(zx_handle_t)) != ZX_OK)
            return ZX_ERR_INVALID_ARGS;
        for (size_t i = 0; i < n; i++) {
            if (chunk[i] != ZX_HANDLE_INVALID && vm_handle_close(&p->handles, chunk[i]) != ZX_OK)
                result = ZX_ERR_BAD_HANDLE;
        }
        done += n;
    }
    return result;
}

/* SAME_RIGHTS copies; anything else must be a subset of what is held. */
static bool derive_rights(zx_rights_t held, zx_rights_t asked, zx_rights_t *out)
{
    if (asked == ZX_RIGHT_SAME_RIGHTS) {
        *out = held;
        return true;
    }
    if (asked & ~held)
        return false;
    *out = asked;
    return true;
}

int64_t sys_handle_duplicate(vm_process *p, vm_args a)
{
    vm_handle *h;
    zx_status_t st = vm_handle_get(&p->handles, arg32(a, 0), ZX_OBJ_TYPE_NONE, 0, &h);
    if (st != ZX_OK)
        return st;
    if (!(h->rights & ZX_RIGHT_DUPLICATE))
        return ZX_ERR_ACCESS_DENIED;
    zx_rights_t rights;
    if (!derive_rights(h->rights, arg32(a, 1), &rights))
        return ZX_ERR_INVALID_ARGS;
    return vm_sys_return_handle(p, h->obj, rights, a[2]);
}

int64_t sys_handle_replace(vm_process *p, vm_args a)
{
    zx_handle_t value = arg32(a, 0);
    vm_handle *h;
    zx_status_t st = vm_handle_get(&p->handles, value, ZX_OBJ_TYPE_NONE, 0, &h);
    if (st != ZX_OK)
        return st;
    vm_object *obj = h->obj;
    zx_rights_t rights;
    bool ok = derive_rights(h->rights, arg32(a, 1), &rights);
    /* The object must outlive the swap of handles. */
    vm_object_ref(obj);
    vm_object_user_ref(obj);
    vm_handle_close(&p->handles, value);
    st = ok ? vm_sys_return_handle(p, obj, rights, a[2]) : ZX_ERR_INVALID_ARGS;
    vm_object_user_unref(obj);
    vm_object_unref(obj);
    return st;
}

#include "object.h"

void vm_object_init(vm_kernel *k, vm_object *obj, zx_obj_type_t type)
{
    obj->type = type;
    obj->koid = k->next_koid++;
    obj->refs = 1;
    obj->user_refs = 0;
    obj->handle_count = 0;
}

void vm_object_ref(vm_object *obj)
{
    obj->refs++;
}

void vm_object_unref(vm_object *obj)
{
    g_assert(obj->refs > 0);
    if (--obj->refs == 0 && obj->on_free)
        obj->on_free(obj);
}

void vm_object_user_ref(vm_object *obj)
{
    obj->user_refs++;
}

/* The last user reference is the moment the guest can no longer reach the
 * object: a VMO frees its pages then, even if a child still keeps the struct. */
void vm_object_user_unref(vm_object *obj)
{
    g_assert(obj->user_refs > 0);
    if (--obj->user_refs == 0 && obj->on_last_user_ref) {
        vm_object_ref(obj);
        obj->on_last_user_ref(obj);
        vm_object_unref(obj);
    }
}

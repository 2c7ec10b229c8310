/* Reference counting shared by every kernel object. */
#pragma once

#include "types.h"

void vm_object_init(vm_kernel *k, vm_object *obj, zx_obj_type_t type);
void vm_object_ref(vm_object *obj);
void vm_object_unref(vm_object *obj);
void vm_object_user_ref(vm_object *obj);
void vm_object_user_unref(vm_object *obj);

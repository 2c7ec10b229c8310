/* A process's handles: opaque values naming (object, rights) pairs. */
#pragma once

#include "types.h"

void vm_handle_table_init(vm_handle_table *t, uint32_t secret);
/* Closes every handle. */
void vm_handle_table_clear(vm_handle_table *t);

/* Live handles a process may hold; one more is refused. */
#define VM_HANDLE_MAX (1u << 20)

/* Installs a handle for obj and takes a user reference on it; returns
 * ZX_HANDLE_INVALID (taking nothing) when the process holds VM_HANDLE_MAX. */
zx_handle_t vm_handle_install(vm_handle_table *t, vm_object *obj, zx_rights_t rights);

/* Live handles. */
static inline uint32_t vm_handle_count(const vm_handle_table *t)
{
    return t->count;
}

/* Zircon's universal first checks, in order: BAD_HANDLE, WRONG_TYPE (type 0
 * accepts any), ACCESS_DENIED when a right in `needed` is missing. */
zx_status_t vm_handle_get(vm_handle_table *t, zx_handle_t value, zx_obj_type_t type,
                          zx_rights_t needed, vm_handle **out);

/* Removes the handle, dropping its user reference. */
zx_status_t vm_handle_close(vm_handle_table *t, zx_handle_t value);

/* The live handles to VMOs, oldest first: the first and the one after h. */
vm_handle *vm_handle_first_vmo(vm_handle_table *t);
vm_handle *vm_handle_next_vmo(vm_handle_table *t, const vm_handle *h);

/* Every live handle in creation order (a new array of vm_handle*). */
GPtrArray *vm_handle_table_list(vm_handle_table *t);

#include "process.h"

#include "aspace.h"
#include "handle_table.h"
#include "object.h"

#include <string.h>

vm_process *vm_process_create(vm_kernel *k, const char *name, vm_tlb_flush_fn flush,
                              void *flush_ctx)
{
    vm_aspace *as = vm_aspace_create(k, flush, flush_ctx);
    if (as == NULL)
        return NULL;
    vm_process *p = g_new0(vm_process, 1);
    vm_object_init(k, &p->obj, ZX_OBJ_TYPE_PROCESS);
    p->k = k;
    g_strlcpy(p->name, name, sizeof p->name);
    p->aspace = as;
    vm_handle_table_init(&p->handles, g_rand_int(k->rand));
    p->self_handle = vm_handle_install(&p->handles, &p->obj, ZX_DEFAULT_PROCESS_RIGHTS);
    p->root_vmar_handle = vm_handle_install(&p->handles, &as->root->obj, VM_ROOT_VMAR_RIGHTS);
    tr_event ev = {.kind = TR_EV_PROCESS_START};
    ev.u.start.koid = p->obj.koid;
    ev.u.start.name = p->name;
    tr_emit(k->trace, &ev);
    return p;
}

void vm_process_destroy(vm_process *p)
{
    if (p == NULL)
        return;
    vm_handle_table_clear(&p->handles);
    vm_aspace_destroy(p->aspace);
    g_free(p);
}

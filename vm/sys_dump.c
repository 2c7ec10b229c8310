/* zxsim_dump: the guest asks for the dumps named on the command line. */
#include "sys_impl.h"
#include "usercopy.h"

#define LABEL_MAX 64

int64_t sys_zxsim_dump(vm_process *p, vm_args a)
{
    char label[LABEL_MAX];
    size_t len = 0;
    if (a[0] != 0) {
        /* A C string of unknown length: byte by byte, at most LABEL_MAX-1. */
        for (; len < LABEL_MAX - 1; len++) {
            if (vm_copy_from_user(p->aspace, &label[len], a[0] + len, 1) != ZX_OK)
                return ZX_ERR_INVALID_ARGS;
            if (label[len] == '\0')
                break;
        }
    }
    label[len] = '\0';
    if (p->k->dump)
        p->k->dump(p->k->dump_ctx, p, a[0] ? label : NULL);
    return ZX_OK;
}

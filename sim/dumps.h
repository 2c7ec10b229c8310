/* --dump: kernel and page-table dumps on standard error, at every
 * zxsim_dump() of the guest and at exit. */
#pragma once

#include "vm/types.h"

#include <stdio.h>

typedef struct sim_dumps {
    unsigned what; /* VM_DUMP_*; 0: no dumps */
    bool json;
    unsigned count;
    FILE *out;
} sim_dumps;

/* Routes the guest's zxsim_dump() calls to d (which must outlive k). */
void sim_dumps_attach(sim_dumps *d, vm_kernel *k);
void sim_dumps_at_exit(sim_dumps *d, vm_process *p);

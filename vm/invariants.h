/* A checker for the whole kernel state, run after every syscall and fault
 * when --check-invariants is on (the test suites turn it on). */
#pragma once

#include "types.h"

/* Appends one line per violation to `report`; true when there is none. */
bool vm_check_invariants(vm_kernel *k, GString *report);
/* Prints the violations with `where` and aborts. */
void vm_check_invariants_or_die(vm_kernel *k, const char *where);

/* Snapshots of kernel state for people: the VMAR tree, the page tables and
 * the VMOs with their pages and copy-on-write sharing, as plain text or as
 * one JSON object per dump. */
#pragma once

#include "types.h"

enum {
    VM_DUMP_VMAR = 1u << 0,
    VM_DUMP_PAGETABLES = 1u << 1,
    VM_DUMP_VMOS = 1u << 2,
};

typedef struct vm_dump_request {
    unsigned what; /* VM_DUMP_* */
    bool json;
    unsigned serial;   /* 1 for the first dump of the run */
    const char *label; /* the guest's label, or NULL */
    bool at_exit;
} vm_dump_request;

/* Appends the dump to out: text ends with a newline, JSON is one line. */
void vm_dump(vm_process *p, const vm_dump_request *req, GString *out);

/* Parses "vmar,pagetables,vmos" (also "all"); 0 on an unknown word. */
unsigned vm_dump_parse(const char *list);

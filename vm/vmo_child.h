/* Children of a VMO (docs/semantics.md "Child check order"): slices, references and snapshots. The
 * checks of zx_vmo_create_child live in its syscall; these build the objects. */
#pragma once

#include "types.h"

vm_vmo *vm_vmo_create_slice(vm_vmo *parent, uint64_t offset, uint64_t size);
vm_vmo *vm_vmo_create_reference(vm_vmo *parent);
/* A copy-on-write child that sees parent bytes [offset, offset+size) as
 * they are now; pages beyond the parent's size read as zero. */
vm_vmo *vm_vmo_create_snapshot(vm_vmo *parent, uint64_t offset, uint64_t size,
                               uint64_t content_size, bool resizable);

/* The list of live direct children (ZX_INFO_VMO num_children), in O(1). */
void vm_vmo_link_child(vm_vmo *parent, vm_vmo *child);
void vm_vmo_unlink_child(vm_vmo *parent, vm_vmo *child);

/* The range operations of zx_vmo_op_range, after the handle and right
 * checks: each applies its own range and state rules (docs/semantics.md "Op check order") and acts
 * on the pages. zx_vmar_op_range reaches the same functions through mappings. */
#pragma once

#include "types.h"

zx_status_t vm_vmo_op_commit(vm_vmo *v, uint64_t offset, uint64_t len);
zx_status_t vm_vmo_op_decommit(vm_vmo *v, uint64_t offset, uint64_t len);
zx_status_t vm_vmo_op_zero(vm_vmo *v, uint64_t offset, uint64_t len);
zx_status_t vm_vmo_op_cache(vm_vmo *v, uint32_t op, uint64_t offset, uint64_t len);
zx_status_t vm_vmo_op_prefetch(vm_vmo *v, uint64_t offset, uint64_t len);
zx_status_t vm_vmo_op_hint(vm_vmo *v, uint32_t op, uint64_t offset, uint64_t len);

/* Makes root bytes [offset, end) of a VMO read zero without committing:
 * whole pages are released, partial pages are cleared in place. */
zx_status_t vm_vmo_zero_range(vm_vmo *v, uint64_t offset, uint64_t end);

/* The only way the kernel touches guest memory named by a pointer: through
 * the guest's page tables, faulting pages in exactly as a user access would.
 * Failures carry the docs/semantics.md "User pointers" statuses: NOT_FOUND (unmapped),
 * ACCESS_DENIED (permission), OUT_OF_RANGE (beyond the backing VMO). */
#pragma once

#include "types.h"

zx_status_t vm_copy_from_user(vm_aspace *as, void *dst, uint64_t va, size_t len);
zx_status_t vm_copy_to_user(vm_aspace *as, uint64_t va, const void *src, size_t len);

/* Typed helpers for out-parameters; a fault becomes INVALID_ARGS, as
 * Zircon reports failed copies of handles, sizes and records. */
zx_status_t vm_copy_out_u64(vm_aspace *as, uint64_t va, uint64_t value);
zx_status_t vm_copy_out_u32(vm_aspace *as, uint64_t va, uint32_t value);
zx_status_t vm_copy_out_record(vm_aspace *as, uint64_t va, const void *src, size_t len);

/* Reads guest memory the way a debugger would: through the mappings and
 * the VMOs' pages, without faulting anything in or changing any state.
 * Returns how many bytes from va on could be read (unmapped stops it). */
size_t vm_peek_user(vm_aspace *as, uint64_t va, void *dst, size_t len);

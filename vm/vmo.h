/* Virtual memory objects: creation, lifetime, and access to their pages. */
#pragma once

#include "types.h"

/* A new paged VMO (the caller owns one struct reference). `size` must be
 * page-aligned; content_size is the stream size. */
vm_vmo *vm_vmo_create(vm_kernel *k, uint64_t size, uint64_t content_size, bool resizable,
                      bool discardable, bool unbounded);

/* The object whose size and content size `v` shows (references delegate). */
vm_vmo *vm_vmo_target(vm_vmo *v);
uint64_t vm_vmo_size(vm_vmo *v);
uint64_t vm_vmo_content_size(vm_vmo *v);

/* The paged VMO that owns v's pages, and where v's offset 0 lies in it. */
vm_vmo *vm_vmo_root(vm_vmo *v, uint64_t *offset_in_root);

/* Frame holding the page at `index` of a paged VMO, 0 when uncommitted. */
uint32_t vm_vmo_page(vm_vmo *root, uint64_t index);

/* Makes the page at `index` of a paged VMO committed and private, ready to
 * be written: commits a zero frame, or copies a shared one. Mappings that
 * showed another frame at this index are invalidated. */
zx_status_t vm_vmo_page_for_write(vm_vmo *root, uint64_t index, uint32_t *frame,
                                  tr_fault_kind *how);

/* Removes pages [first, end) from a paged VMO's list, freeing frames no
 * other VMO holds, and invalidates the mappings that showed them. */
void vm_vmo_drop_pages(vm_vmo *root, uint64_t first, uint64_t end);

/* Page-table maintenance for every mapping that shows root's bytes
 * [offset, offset+len): remove the entries, or take write permission away. */
void vm_vmo_unmap_range(vm_vmo *root, uint64_t offset, uint64_t len);
void vm_vmo_write_protect_range(vm_vmo *root, uint64_t offset, uint64_t len);

/* Kernel-side I/O, page by page, on v's own offsets. The callbacks get a
 * host pointer into the frame (NULL for reads of uncommitted pages: zeros). */
typedef zx_status_t (*vm_vmo_read_fn)(void *ctx, uint64_t done, const uint8_t *src, size_t len);
typedef zx_status_t (*vm_vmo_write_fn)(void *ctx, uint64_t done, uint8_t *dst, size_t len);
zx_status_t vm_vmo_read(vm_vmo *v, uint64_t offset, uint64_t len, vm_vmo_read_fn fn, void *ctx);
zx_status_t vm_vmo_write(vm_vmo *v, uint64_t offset, uint64_t len, vm_vmo_write_fn fn, void *ctx);
zx_status_t vm_vmo_write_bytes(vm_vmo *v, uint64_t offset, const void *src, uint64_t len);

/* Pages this VMO owns that are committed (paged VMOs; 0 for aliases). */
uint64_t vm_vmo_committed_pages(vm_vmo *v);

/* Sets the content (stream) size; bytes from zero_from to the end of the
 * VMO read as zero afterwards. The VMO's size does not change. */
zx_status_t vm_vmo_set_content_size(vm_vmo *v, uint64_t content, uint64_t zero_from);

void vm_vmo_set_name(vm_vmo *v, const char *name, size_t len);

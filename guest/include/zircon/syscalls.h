/* The Zircon VM syscall surface, with upstream's C signatures. zxsim's stubs
 * (guest/lib/syscall_stubs.S) trap into the simulator for every call here
 * except zx_system_get_page_size, which the stub answers itself. */
#pragma once

#include <zircon/types.h>
#include <zircon/syscalls/object.h>

__BEGIN_CDECLS

typedef struct zx_iovec {
    void *buffer;
    size_t capacity;
} zx_iovec_t;

typedef struct zx_pager_vmo_stats zx_pager_vmo_stats_t;

uint32_t zx_system_get_page_size(void);
zx_time_t zx_clock_get_monotonic(void);

__NO_RETURN void zx_process_exit(int64_t retcode);
zx_status_t zx_debug_write(const char *buffer, size_t buffer_size);

zx_status_t zx_handle_close(zx_handle_t handle);
zx_status_t zx_handle_close_many(const zx_handle_t *handles, size_t num_handles);
zx_status_t zx_handle_duplicate(zx_handle_t handle, zx_rights_t rights, zx_handle_t *out);
zx_status_t zx_handle_replace(zx_handle_t handle, zx_rights_t rights, zx_handle_t *out);

zx_status_t zx_object_get_info(zx_handle_t handle, uint32_t topic, void *buffer, size_t buffer_size,
                               size_t *actual, size_t *avail);
zx_status_t zx_object_get_property(zx_handle_t handle, uint32_t property, void *value,
                                   size_t value_size);
zx_status_t zx_object_set_property(zx_handle_t handle, uint32_t property, const void *value,
                                   size_t value_size);
zx_status_t zx_object_wait_one(zx_handle_t handle, zx_signals_t signals, zx_time_t deadline,
                               zx_signals_t *observed);

zx_status_t zx_vmo_create(uint64_t size, uint32_t options, zx_handle_t *out);
zx_status_t zx_vmo_read(zx_handle_t handle, void *buffer, uint64_t offset, size_t buffer_size);
zx_status_t zx_vmo_write(zx_handle_t handle, const void *buffer, uint64_t offset,
                         size_t buffer_size);
zx_status_t zx_vmo_get_size(zx_handle_t handle, uint64_t *size);
zx_status_t zx_vmo_set_size(zx_handle_t handle, uint64_t size);
zx_status_t zx_vmo_get_stream_size(zx_handle_t handle, uint64_t *size);
zx_status_t zx_vmo_set_stream_size(zx_handle_t handle, uint64_t size);
zx_status_t zx_vmo_op_range(zx_handle_t handle, uint32_t op, uint64_t offset, uint64_t size,
                            void *buffer, size_t buffer_size);
zx_status_t zx_vmo_create_child(zx_handle_t handle, uint32_t options, uint64_t offset,
                                uint64_t size, zx_handle_t *out);
zx_status_t zx_vmo_set_cache_policy(zx_handle_t handle, uint32_t cache_policy);
zx_status_t zx_vmo_replace_as_executable(zx_handle_t handle, zx_handle_t vmex, zx_handle_t *out);
zx_status_t zx_vmo_create_contiguous(zx_handle_t bti, size_t size, uint32_t alignment_log2,
                                     zx_handle_t *out);
zx_status_t zx_vmo_create_physical(zx_handle_t resource, zx_paddr_t paddr, size_t size,
                                   zx_handle_t *out);

zx_status_t zx_vmar_allocate(zx_handle_t parent_vmar, zx_vm_option_t options, size_t offset,
                             size_t size, zx_handle_t *child_vmar, zx_vaddr_t *child_addr);
zx_status_t zx_vmar_destroy(zx_handle_t handle);
zx_status_t zx_vmar_map(zx_handle_t handle, zx_vm_option_t options, size_t vmar_offset,
                        zx_handle_t vmo, uint64_t vmo_offset, size_t len, zx_vaddr_t *mapped_addr);
zx_status_t zx_vmar_unmap(zx_handle_t handle, zx_vaddr_t addr, size_t len);
zx_status_t zx_vmar_protect(zx_handle_t handle, zx_vm_option_t options, zx_vaddr_t addr,
                            size_t len);
zx_status_t zx_vmar_op_range(zx_handle_t handle, uint32_t op, zx_vaddr_t address, size_t size,
                             void *buffer, size_t buffer_size);

/* Declared for completeness; zxsim answers ZX_ERR_NOT_SUPPORTED for now. */
zx_status_t zx_pager_create(uint32_t options, zx_handle_t *out);
zx_status_t zx_pager_create_vmo(zx_handle_t pager, uint32_t options, zx_handle_t port, uint64_t key,
                                uint64_t size, zx_handle_t *out);
zx_status_t zx_pager_detach_vmo(zx_handle_t pager, zx_handle_t vmo);
zx_status_t zx_pager_supply_pages(zx_handle_t pager, zx_handle_t pager_vmo, uint64_t offset,
                                  uint64_t length, zx_handle_t aux_vmo, uint64_t aux_offset);
zx_status_t zx_pager_op_range(zx_handle_t pager, uint32_t op, zx_handle_t pager_vmo,
                              uint64_t offset, uint64_t length, uint64_t data);
zx_status_t zx_pager_query_dirty_ranges(zx_handle_t pager, zx_handle_t pager_vmo, uint64_t offset,
                                        uint64_t length, void *buffer, size_t buffer_size,
                                        size_t *actual, size_t *avail);
zx_status_t zx_pager_query_vmo_stats(zx_handle_t pager, zx_handle_t pager_vmo, uint32_t options,
                                     void *buffer, size_t buffer_size);
zx_status_t zx_stream_create(uint32_t options, zx_handle_t vmo, zx_off_t seek, zx_handle_t *out);
zx_status_t zx_stream_writev(zx_handle_t handle, uint32_t options, const zx_iovec_t *vectors,
                             size_t num_vectors, size_t *actual);
zx_status_t zx_stream_writev_at(zx_handle_t handle, uint32_t options, zx_off_t offset,
                                const zx_iovec_t *vectors, size_t num_vectors, size_t *actual);
zx_status_t zx_stream_readv(zx_handle_t handle, uint32_t options, zx_iovec_t *vectors,
                            size_t num_vectors, size_t *actual);
zx_status_t zx_stream_readv_at(zx_handle_t handle, uint32_t options, zx_off_t offset,
                               zx_iovec_t *vectors, size_t num_vectors, size_t *actual);
zx_status_t zx_stream_seek(zx_handle_t handle, uint32_t whence, int64_t offset, zx_off_t *out_seek);

__END_CDECLS

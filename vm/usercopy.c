#include "usercopy.h"

#include "aspace.h"
#include "fault.h"
#include "hw_refs.h"
#include "vmo.h"

#include <string.h>

/* Host pointer to the byte at va, faulting the page in for `access`. */
static zx_status_t user_page(vm_aspace *as, uint64_t va, unsigned access, uint8_t **host)
{
    uint64_t pa;
    unsigned perms;
    zx_status_t st = vm_translate(as, va, access, true, &pa, &perms);
    if (st == ZX_OK)
        *host = mmu_phys_ptr(as->k->mem, pa);
    return st;
}

static zx_status_t copy_user(vm_aspace *as, uint64_t va, uint8_t *buf, size_t len, bool to_user)
{
    if (len == 0)
        return ZX_OK;
    if (va + len < va)
        return ZX_ERR_NOT_FOUND;
    size_t done = 0;
    while (done < len) {
        uint64_t at = va + done;
        size_t chunk = (size_t)MIN(len - done, VM_PAGE_SIZE - (at & VM_PAGE_MASK));
        uint8_t *host;
        zx_status_t st = user_page(as, at, to_user ? TR_ACCESS_WRITE : TR_ACCESS_READ, &host);
        if (st != ZX_OK)
            return st;
        vm_hw_kernel_access(as->k, vm_hw_pa_of(as->k, host), chunk, to_user);
        if (to_user)
            memcpy(host, buf + done, chunk);
        else
            memcpy(buf + done, host, chunk);
        done += chunk;
    }
    return ZX_OK;
}

zx_status_t vm_copy_from_user(vm_aspace *as, void *dst, uint64_t va, size_t len)
{
    return copy_user(as, va, dst, len, false);
}

zx_status_t vm_copy_to_user(vm_aspace *as, uint64_t va, const void *src, size_t len)
{
    return copy_user(as, va, (uint8_t *)src, len, true);
}

zx_status_t vm_copy_out_record(vm_aspace *as, uint64_t va, const void *src, size_t len)
{
    return vm_copy_to_user(as, va, src, len) == ZX_OK ? ZX_OK : ZX_ERR_INVALID_ARGS;
}

zx_status_t vm_copy_out_u64(vm_aspace *as, uint64_t va, uint64_t value)
{
    return vm_copy_out_record(as, va, &value, sizeof value);
}

zx_status_t vm_copy_out_u32(vm_aspace *as, uint64_t va, uint32_t value)
{
    return vm_copy_out_record(as, va, &value, sizeof value);
}

size_t vm_peek_user(vm_aspace *as, uint64_t va, void *dst, size_t len)
{
    size_t done = 0;
    while (done < len) {
        uint64_t at = va + done;
        if (at < va)
            break;
        vm_mapping *m = vm_aspace_find_mapping(as, at);
        if (m == NULL)
            break;
        uint64_t offset = m->vmo_offset + (at - m->region.base);
        if (offset >= vm_vmo_size(m->vmo))
            break;
        size_t chunk = (size_t)MIN(len - done, VM_PAGE_SIZE - (at & VM_PAGE_MASK));
        uint64_t index = (m->root_offset + (at - m->region.base)) >> VM_PAGE_SHIFT;
        uint32_t frame = vm_vmo_page(m->root, index);
        if (frame)
            memcpy((uint8_t *)dst + done,
                   (uint8_t *)vm_pmm_frame_ptr(as->k->pmm, frame) + (at & VM_PAGE_MASK), chunk);
        else
            memset((uint8_t *)dst + done, 0, chunk);
        done += chunk;
    }
    return done;
}

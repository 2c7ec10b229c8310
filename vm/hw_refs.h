/* The kernel's own references to guest memory, as the hardware model sees
 * them: user copies, copy-on-write copies, zero-fills. They count apart from
 * the guest's, and only while the model is watching (detailed mode, inside
 * the region of interest). */
#pragma once

#include "mmu/hw.h"
#include "types.h"

static inline void vm_hw_kernel_access(vm_kernel *k, uint64_t pa, uint64_t len, bool write)
{
    if (k->hw && k->hw_counting)
        mmu_hw_kernel_access(k->hw, pa, len, write);
}

static inline uint64_t vm_hw_pa_of(const vm_kernel *k, const void *host)
{
    return (uint64_t)((const uint8_t *)host - k->mem->host);
}

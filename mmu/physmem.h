/* Simulated physical memory: one host mapping that is the machine's RAM. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define MMU_PAGE_SHIFT 12
#define MMU_PAGE_SIZE  (1ull << MMU_PAGE_SHIFT)
#define MMU_PAGE_MASK  (MMU_PAGE_SIZE - 1)

typedef struct mmu_physmem {
    uint8_t *host;      /* host address of physical address 0 */
    uint64_t size;      /* bytes of RAM the PMM may hand out */
    uint64_t host_size; /* RAM plus the boot ROM page above it */
} mmu_physmem;

/* The boot ROM is one page above RAM that the PMM never hands out: it holds
 * the few instructions that drop the CPU from kernel to user mode. */
static inline uint64_t mmu_physmem_rom_base(const mmu_physmem *mem)
{
    return mem->size;
}

mmu_physmem *mmu_physmem_new(uint64_t ram_bytes, GError **error);
void mmu_physmem_free(mmu_physmem *mem);

static inline void *mmu_phys_ptr(const mmu_physmem *mem, uint64_t pa)
{
    return mem->host + pa;
}

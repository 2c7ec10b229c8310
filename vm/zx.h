/* The Zircon ABI as the kernel sees it: the guest SDK's headers are the one
 * source of constants and record layouts, shared by both sides. */
#pragma once

#include <zircon/errors.h>
#include <zircon/rights.h>
#include <zircon/syscalls/object.h>
#include <zircon/types.h>

#define VM_PAGE_SIZE  4096ull
#define VM_PAGE_SHIFT 12
#define VM_PAGE_MASK  (VM_PAGE_SIZE - 1)

/* The kernel's VmPageList::MAX_SIZE rounded down to 2 x 16 pages. */
#define VM_MAX_VMO_SIZE 0xFFFFFFFFFFFE0000ull

static inline bool vm_is_page_aligned(uint64_t x)
{
    return (x & VM_PAGE_MASK) == 0;
}

/* Rounds x up to a page; false when that overflows 64 bits. */
static inline bool vm_roundup_page(uint64_t x, uint64_t *out)
{
    if (x > UINT64_MAX - VM_PAGE_MASK)
        return false;
    *out = (x + VM_PAGE_MASK) & ~VM_PAGE_MASK;
    return true;
}

static inline uint64_t vm_rounddown_page(uint64_t x)
{
    return x & ~VM_PAGE_MASK;
}

/* offset + len without overflow, and within size. */
static inline bool vm_range_within(uint64_t offset, uint64_t len, uint64_t size)
{
    return offset <= size && len <= size - offset;
}

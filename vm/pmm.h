/* The physical memory manager: hands out 4 KiB frames of simulated RAM.
 * Frame 0 is the shared zero page, allocated for the machine's lifetime. */
#pragma once

#include "mmu/physmem.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct vm_pmm vm_pmm;

/* Called when no frame is free; returns true if it freed some. */
typedef bool (*vm_pmm_reclaim_fn)(void *ctx);

struct vm_pmm {
    mmu_physmem *mem;
    uint64_t nframes;
    uint64_t in_use; /* frames handed out, the zero page included */
    uint64_t peak_in_use;
    uint64_t next_fresh;  /* frames at or above this were never used */
    GArray *free_frames;  /* uint32_t frame numbers, contents stale */
    uint32_t *page_refs;  /* per frame: page-list slots that hold it */
    uint64_t page_frames; /* frames some page list holds (page_refs > 0) */
    uint64_t allocs, frees;
    vm_pmm_reclaim_fn reclaim;
    void *reclaim_ctx;
};

#define VM_ZERO_FRAME 0u

vm_pmm *vm_pmm_new(mmu_physmem *mem);
void vm_pmm_free(vm_pmm *pmm);

/* A zero-filled frame, or false when RAM is exhausted even after reclaim. */
bool vm_pmm_alloc(vm_pmm *pmm, uint64_t *pa);
void vm_pmm_release(vm_pmm *pmm, uint64_t pa);

/* A page list takes or drops a frame; the last drop frees it. */
void vm_pmm_ref_page(vm_pmm *pmm, uint32_t frame);
void vm_pmm_unref_page(vm_pmm *pmm, uint32_t frame);

static inline uint32_t vm_pmm_frame(uint64_t pa)
{
    return (uint32_t)(pa >> 12);
}

static inline uint64_t vm_pmm_pa(uint32_t frame)
{
    return (uint64_t)frame << 12;
}

static inline void *vm_pmm_frame_ptr(const vm_pmm *pmm, uint32_t frame)
{
    return mmu_phys_ptr(pmm->mem, vm_pmm_pa(frame));
}

/* The frame source the page tables draw from. */
struct mmu_frame_source;
void vm_pmm_frame_source(vm_pmm *pmm, struct mmu_frame_source *out);

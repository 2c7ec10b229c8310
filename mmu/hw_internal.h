/* The model's state, shared by the files of mmu/hw*.c only. */
#pragma once

#include "hw.h"
#include "pt_ad.h"
#include "sa.h"

enum {
    TLBF_GLOBAL = 1,
    TLBF_WRITABLE = 2,
    TLBF_DIRTY = 4, /* the leaf's dirty bit is known set */
};

typedef struct hw_tlb {
    bool present;
    mmu_sa sa;         /* tag = virtual page number (walk cache: level | prefix) */
    uint32_t *asid;    /* per entry */
    uint64_t *frame;   /* TLB: physical page number; walk cache: next table */
    uint64_t *leaf_pa; /* physical address of the leaf entry (dirty updates) */
    uint8_t *flags;
    /* Where a page was last seen, by page number: a guess checked against
     * the entry's tag, so it never needs invalidating, and a fully
     * associative TLB is not scanned on every hit. */
    uint32_t *hint;
    uint64_t hint_mask;
} hw_tlb;

typedef struct hw_cache {
    bool present;
    mmu_sa sa; /* tag = line number */
    uint8_t *dirty;
    unsigned line_shift;
    bool write_back, write_allocate;
    int next; /* next present level, TR_CACHE_LEVELS = memory */
} hw_cache;

/* What the all-hit path of one reference kind needs, resolved once. */
typedef struct hw_fast {
    bool ok; /* an L1 TLB and a write-back (or fetch-only) L1 cache exist */
    hw_tlb *tlb;
    hw_cache *cache;
    mmu_struct_stats *tlb_stats, *cache_stats;
    uint32_t latency; /* of the L1 cache */
} hw_fast;

struct mmu_hw {
    mmu_hw_config cfg;
    hw_fast fast[2]; /* fetches, data */
    /* References of each kind the all-hit path served since the counters
     * were last read: one increment there instead of six; folded into
     * stats (L1 TLB and L1 cache hits, references, their cycles) on read. */
    uint64_t fast_hits[2];
    uint64_t fetch_epoch; /* see mmu_hw_fetch_epoch */
    const mmu_physmem *mem;
    hw_tlb tlb[TR_TLB_LEVELS];
    hw_tlb walk_cache;
    hw_cache cache[TR_CACHE_LEVELS];
    int walk_enter;                        /* first present level at or below cfg.walk_enter */
    int cache_start[2];                    /* first present level for fetches [0] and data [1] */
    uint32_t latency[TR_CACHE_LEVELS + 1]; /* by serving level, memory last */
    mmu_hw_stats stats;
    tr_sink *sink;
    bool ev_tlb, ev_walk, ev_cache;
    const mmu_pt_format *ad_fmt; /* the format ad belongs to */
    const mmu_pt_ad *ad;
};

/* A reference of the given origin to the lines of pa[0..n) at cache level
 * lvl (n = 2 only for a straddle counted as one). Returns the level that
 * served it. */
int mmu_hw_cache_ref(mmu_hw *hw, int lvl, const uint64_t *pa, int n, bool write, mmu_origin origin);
void mmu_hw_tlb_invalidate(mmu_hw *hw, hw_tlb *t, uint64_t index);

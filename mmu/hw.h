/* The hardware model of one machine: TLB hierarchy, page-walk cache, cache
 * hierarchy, cost model and their statistics. It knows no Zircon and no
 * Unicorn: the CPU side hands it references with their addresses. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hw_config.h"
#include "page_table.h"
#include "physmem.h"
#include "traces/events.h"

typedef enum { MMU_REF_FETCH, MMU_REF_READ, MMU_REF_WRITE } mmu_ref_kind;

typedef enum {
    MMU_CACHE_OP_CLEAN,
    MMU_CACHE_OP_INVALIDATE,
    MMU_CACHE_OP_CLEAN_INVALIDATE,
    MMU_CACHE_OP_SYNC
} mmu_cache_op;

/* Which translation step answered. */
typedef enum { MMU_XLATE_L1, MMU_XLATE_L2, MMU_XLATE_WALK } mmu_xlate_level;

/* What one mmu_hw_access did (the worse piece of a straddling reference). */
typedef struct mmu_hw_outcome {
    mmu_xlate_level xlate;
    int walk_reads;      /* entries read from memory by the walk */
    int walk_cache_hits; /* upper levels the walk cache supplied */
    int served_by;       /* tr_cache_level that hit, TR_CACHE_LEVELS = memory */
    unsigned pieces;     /* 1, or 2 for a straddling reference */
    uint64_t stall;      /* cycles beyond the instruction's one */
} mmu_hw_outcome;

/* Counters of one structure. For TLBs read_misses counts fetch and read
 * misses; write-backs are 0. */
typedef struct mmu_struct_stats {
    uint64_t accesses, hits, misses;
    uint64_t read_misses, write_misses;
    uint64_t evictions, writebacks;
} mmu_struct_stats;

typedef enum { MMU_ORIGIN_GUEST, MMU_ORIGIN_KERNEL, MMU_ORIGINS } mmu_origin;

typedef struct mmu_hw_stats {
    mmu_struct_stats tlb[TR_TLB_LEVELS];
    mmu_struct_stats walk_cache;
    /* Cache references by origin: the guest's own (walk entry reads
     * included) and the kernel's work on guest memory, apart. */
    mmu_struct_stats cache[MMU_ORIGINS][TR_CACHE_LEVELS];
    uint64_t memory_reads[MMU_ORIGINS], memory_writes[MMU_ORIGINS];
    uint64_t walks;
    uint64_t walk_entry_reads[MMU_PT_LEVELS];
    uint64_t walk_cache_skipped;  /* entry reads the walk cache saved */
    uint64_t ad_updates;          /* accessed/dirty bits the walker set */
    uint64_t shootdowns[3];       /* per tr_shootdown_kind */
    uint64_t shootdown_entries;   /* TLB entries they removed */
    uint64_t cache_ops[4];        /* per mmu_cache_op */
    uint64_t cache_op_writebacks; /* dirty lines the ops wrote back, all levels */
    uint64_t cache_op_dropped;    /* lines the ops invalidated, all levels */
    uint64_t references;          /* guest references (a split straddle counts two) */
    uint64_t instructions;
    uint64_t stall_cycles;     /* sum of the references' stalls */
    uint64_t reference_cycles; /* sum of the references' full latencies: AMAT numerator */
    uint64_t kernel_references;
} mmu_hw_stats;

typedef struct mmu_hw mmu_hw;

/* The model keeps a copy of cfg; mem is read for page-table entries. */
mmu_hw *mmu_hw_create(const mmu_hw_config *cfg, const mmu_physmem *mem, GError **error);
void mmu_hw_destroy(mmu_hw *hw);
const mmu_hw_config *mmu_hw_config_get(const mmu_hw *hw);

/* Events: bits (1u << TR_EV_TLB) | (1u << TR_EV_WALK) | (1u << TR_EV_CACHE).
 * Nothing is built when sink is NULL or the mask is 0. */
void mmu_hw_set_trace(mmu_hw *hw, tr_sink *sink, unsigned event_mask);

/* One guest reference of `size` bytes at va, which the CPU already knows
 * translates to pa, through L1I/L1D TLB -> L2 TLB -> page walk over pt
 * (entry reads through the data caches from walk_enter; the walker sets
 * accessed/dirty bits in the real entries), then the cache hierarchy at pa.
 * Returns the stall cycles. out may be NULL. */
uint64_t mmu_hw_access(mmu_hw *hw, const mmu_page_table *pt, uint32_t asid, uint64_t va,
                       uint64_t pa, unsigned size, mmu_ref_kind kind, mmu_hw_outcome *out);
void mmu_hw_retire(mmu_hw *hw, uint64_t instructions); /* one cycle each */

/* A block executed again at once replays the same fetches: when they all
 * hit the L1 TLB and L1I last time and nothing has touched either since,
 * they all hit again and leave both exactly as they are (a hit on what a
 * sequence of hits just used changes no replacement state). The epoch
 * changes whenever the fetch side changes any other way (a fetch that was
 * not an all-hit, a shootdown); mmu_hw_fetch_hits then counts n fetches
 * as the all-hit path would have. */
uint64_t mmu_hw_fetch_epoch(const mmu_hw *hw);
void mmu_hw_fetch_hits(mmu_hw *hw, uint64_t n);

/* Kernel work on guest memory (user copies, copy-on-write copies, zero
 * fill), counted apart from the guest's: one reference per line. */
void mmu_hw_kernel_access(mmu_hw *hw, uint64_t pa, uint64_t len, bool write);

/* Removes exactly what the kernel shot down: TR_SHOOTDOWN_ADDR (asid's
 * entries and global ones in [va, va+len)), _ASID (asid's non-global
 * entries), _ALL. The walk cache forgets what covers the same range. */
void mmu_hw_shootdown(mmu_hw *hw, tr_shootdown_kind kind, uint32_t asid, uint64_t va, uint64_t len);

/* One physically contiguous piece of a VMO's cache op, on L1D, L2 and L3. */
void mmu_hw_cache_op(mmu_hw *hw, uint64_t pa, uint64_t len, mmu_cache_op op);

/* Where one structure holds something now, for teaching tools: the set the
 * address indexes and, when it is there, the way. Read-only: no counter,
 * no fill, no replacement-policy update. False (and *out zeroed) when the
 * profile has no such structure. */
typedef struct mmu_hw_probe {
    bool present; /* the structure exists */
    bool hit;
    uint32_t set;
    uint32_t way; /* when hit */
} mmu_hw_probe;
bool mmu_hw_probe_tlb(const mmu_hw *hw, tr_tlb_level level, uint32_t asid, uint64_t va,
                      mmu_hw_probe *out);
bool mmu_hw_probe_cache(const mmu_hw *hw, tr_cache_level level, uint64_t pa, mmu_hw_probe *out);

/* The counters as of this call (hits of the all-hit path are added here):
 * read them again after more references. */
const mmu_hw_stats *mmu_hw_stats_get(mmu_hw *hw);
/* Zeroes the counters (a region of interest starts); contents stay. */
void mmu_hw_stats_reset(mmu_hw *hw);
uint64_t mmu_hw_cycles(const mmu_hw *hw);
/* Modelled time of the cycles so far at the profile's clock rate. */
uint64_t mmu_hw_time_ns(const mmu_hw *hw);

void mmu_hw_stats_print(mmu_hw *hw, FILE *out);
/* One JSON object of the hardware figures, names as in the profile:
 * "tlb.l1d.misses", "cache.l1d.read_misses", ... */
void mmu_hw_stats_json(mmu_hw *hw, GString *out);

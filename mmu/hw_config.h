/* A resolved hardware profile: plain data, one field per profile key.
 * mmu/profile.c reads and writes it as a key file; mmu/hw.c builds the
 * structures it describes. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "traces/events.h"

typedef enum {
    MMU_POLICY_LRU,
    MMU_POLICY_PLRU, /* tree pseudo-LRU; ways must be a power of two */
    MMU_POLICY_FIFO,
    MMU_POLICY_RANDOM, /* seeded by machine.seed: runs repeat exactly */
} mmu_policy;

/* ways == 0 means fully associative (one set holding every entry). */
typedef struct mmu_tlb_config {
    uint32_t entries; /* 0: the structure is absent */
    uint32_t ways;
    mmu_policy policy;
} mmu_tlb_config;

typedef struct mmu_cache_config {
    uint64_t size; /* bytes; 0: the level is absent */
    uint32_t line;
    uint32_t ways;
    mmu_policy policy;
    bool write_back;     /* else write-through */
    bool write_allocate; /* a write miss fills the line */
} mmu_cache_config;

/* Where page-walk entry reads enter the data-cache hierarchy. */
typedef enum {
    MMU_WALK_ENTER_L1D = TR_CACHE_L1D,
    MMU_WALK_ENTER_L2 = TR_CACHE_L2,
    MMU_WALK_ENTER_L3 = TR_CACHE_L3,
    MMU_WALK_ENTER_MEMORY = TR_CACHE_LEVELS, /* bypass every cache */
} mmu_walk_enter;

/* How a reference that straddles two cache lines is counted. */
typedef enum {
    MMU_STRADDLE_SPLIT, /* two references, one per line (and per page) */
    MMU_STRADDLE_ONE,   /* one reference, a miss if either line misses;
                           the next level sees both lines (valgrind's rule) */
} mmu_straddle;

/* Latencies in cycles. A reference served by cache level X takes cache[X];
 * its stall is that minus the L1 latency (an L1 hit is pipelined). A
 * translation that misses the L1 TLB stalls tlb_l2 cycles more; a walk
 * stalls walk cycles plus, for each entry read, the full latency of the
 * level that served it (walk reads are not pipelined). */
typedef struct mmu_cost_config {
    uint32_t tlb_l2;
    uint32_t walk;
    uint32_t cache[TR_CACHE_LEVELS]; /* l1i, l1d, l2, l3 */
    uint32_t memory;
} mmu_cost_config;

typedef struct mmu_hw_config {
    char *name;        /* the profile's name (file stem) */
    char *description; /* one line, from the file */
    mmu_tlb_config tlb[TR_TLB_LEVELS];
    mmu_tlb_config walk_cache; /* upper-level page-table entries; entries 0: none */
    mmu_walk_enter walk_enter;
    mmu_cache_config cache[TR_CACHE_LEVELS];
    mmu_straddle straddle;
    mmu_cost_config cost;
    uint64_t clock_hz; /* modelled cycles per second of guest time */
    uint64_t seed;     /* of the random replacement policy */
} mmu_hw_config;

/* A set-associative array of tags with a replacement policy: the one
 * structure behind the TLBs, the page-walk cache and the caches. Callers
 * keep their own per-entry payload in arrays indexed like the tags. The hot
 * functions are inline: flat arrays, precomputed masks, no allocation. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "hw_config.h"

#define MMU_SA_EMPTY UINT64_MAX

typedef struct mmu_sa {
    uint64_t *tag;   /* sets * ways; MMU_SA_EMPTY when the way holds nothing */
    uint64_t *stamp; /* LRU: last use; FIFO: fill time */
    uint8_t *plru;   /* per set, ways - 1 tree nodes in heap order (node 1 = root) */
    uint32_t *mru;   /* per set, the way used last: looked at first */
    /* Where a tag was last found, by its low bits: a guess checked against
     * the tag array, so it never needs invalidating. It finds a way of a
     * busy set without scanning the set (a scan's exit is hard to predict). */
    uint32_t *hint;
    uint32_t hint_mask;
    uint32_t ways;
    uint32_t sets;
    uint32_t set_mask;
    unsigned way_bits; /* log2(ways) for the tree */
    mmu_policy policy;
    uint64_t clock;
    uint64_t rng;
} mmu_sa;

/* ways divides entries; both validated by the profile. ways 0 = entries. */
void mmu_sa_init(mmu_sa *sa, uint32_t entries, uint32_t ways, mmu_policy policy, uint64_t seed);
void mmu_sa_fini(mmu_sa *sa);
void mmu_sa_clear(mmu_sa *sa);

static inline uint32_t mmu_sa_set(const mmu_sa *sa, uint64_t key)
{
    return (uint32_t)key & sa->set_mask;
}

/* Index (set * ways + way) of tag in set, or -1. The hint and the way
 * used last in the set are tried first: guesses, checked. Tags carry their
 * set's bits, so a hinted index holding tag lies in the right set. */
static inline int64_t mmu_sa_find(mmu_sa *sa, uint32_t set, uint64_t tag)
{
    uint32_t *h = &sa->hint[tag & sa->hint_mask];
    if (sa->tag[*h] == tag)
        return (int64_t)*h;
    uint64_t base = (uint64_t)set * sa->ways;
    const uint64_t *t = sa->tag + base;
    uint32_t m = sa->mru[set];
    if (t[m] == tag) {
        *h = (uint32_t)(base + m);
        return (int64_t)*h;
    }
    for (uint32_t w = 0; w < sa->ways; w++)
        if (t[w] == tag) {
            *h = (uint32_t)(base + w);
            return (int64_t)*h;
        }
    return -1;
}

/* The tree points away from the way just used: at each node on the way's
 * path the bit names the other half (0 = victim on the left). */
static inline void mmu_sa_plru_touch(mmu_sa *sa, uint32_t set, uint32_t way)
{
    uint8_t *tree = sa->plru + (uint64_t)set * sa->ways;
    unsigned node = 1;
    for (int b = (int)sa->way_bits - 1; b >= 0; b--) {
        unsigned right = (way >> b) & 1;
        tree[node] = (uint8_t)!right;
        node = 2 * node + right;
    }
}

/* A hit on `way` of `set`: the policy learns of the use. */
static inline void mmu_sa_touch_way(mmu_sa *sa, uint32_t set, uint32_t way)
{
    /* Using the set's most recent way again changes nothing under any
     * policy: LRU's order and the PLRU tree already put it last. */
    if (sa->mru[set] == way)
        return;
    sa->mru[set] = way;
    switch (sa->policy) {
    case MMU_POLICY_LRU:
        sa->stamp[(uint64_t)set * sa->ways + way] = ++sa->clock;
        break;
    case MMU_POLICY_PLRU:
        mmu_sa_plru_touch(sa, set, way);
        break;
    case MMU_POLICY_FIFO:
    case MMU_POLICY_RANDOM:
        break;
    }
}

/* The same by index (set * ways + way). */
static inline void mmu_sa_touch(mmu_sa *sa, uint64_t index)
{
    mmu_sa_touch_way(sa, (uint32_t)(index / sa->ways), (uint32_t)(index % sa->ways));
}

/* The way a fill of `set` replaces: the lowest empty way, else the
 * policy's victim. Returns its index; the caller reads the old tag. */
uint64_t mmu_sa_victim(mmu_sa *sa, uint32_t set);

/* Puts tag at index (from mmu_sa_victim) and counts it as a use. */
static inline void mmu_sa_fill(mmu_sa *sa, uint64_t index, uint64_t tag)
{
    sa->tag[index] = tag;
    sa->hint[tag & sa->hint_mask] = (uint32_t)index;
    sa->mru[index / sa->ways] = (uint32_t)(index % sa->ways);
    if (sa->policy == MMU_POLICY_LRU || sa->policy == MMU_POLICY_FIFO)
        sa->stamp[index] = ++sa->clock;
    else if (sa->policy == MMU_POLICY_PLRU)
        mmu_sa_plru_touch(sa, (uint32_t)(index / sa->ways), (uint32_t)(index % sa->ways));
}

static inline void mmu_sa_invalidate(mmu_sa *sa, uint64_t index)
{
    sa->tag[index] = MMU_SA_EMPTY;
}

static inline uint64_t mmu_sa_entries(const mmu_sa *sa)
{
    return (uint64_t)sa->sets * sa->ways;
}

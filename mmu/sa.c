#include "sa.h"

#include <string.h>

void mmu_sa_init(mmu_sa *sa, uint32_t entries, uint32_t ways, mmu_policy policy, uint64_t seed)
{
    memset(sa, 0, sizeof *sa);
    if (entries == 0)
        return;
    if (ways == 0 || ways > entries)
        ways = entries;
    sa->ways = ways;
    sa->sets = entries / ways;
    sa->set_mask = sa->sets - 1;
    sa->policy = policy;
    while ((1u << sa->way_bits) < ways)
        sa->way_bits++;
    sa->tag = g_new(uint64_t, entries);
    sa->stamp = g_new0(uint64_t, entries);
    sa->plru = g_new0(uint8_t, entries);
    sa->mru = g_new0(uint32_t, sa->sets);
    /* Twice the entries, at most 2^16: a guess table that stays in the
     * host's own caches. Index 0 is always a valid index to check. */
    uint32_t hints = 64;
    while (hints < 2 * entries && hints < (1u << 16))
        hints *= 2;
    sa->hint = g_new0(uint32_t, hints);
    sa->hint_mask = hints - 1;
    /* xorshift64 must not start at 0 */
    sa->rng = seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
    if (sa->rng == 0)
        sa->rng = 1;
    mmu_sa_clear(sa);
}

void mmu_sa_fini(mmu_sa *sa)
{
    g_free(sa->tag);
    g_free(sa->stamp);
    g_free(sa->plru);
    g_free(sa->mru);
    g_free(sa->hint);
    memset(sa, 0, sizeof *sa);
}

void mmu_sa_clear(mmu_sa *sa)
{
    uint64_t n = mmu_sa_entries(sa);
    for (uint64_t i = 0; i < n; i++)
        sa->tag[i] = MMU_SA_EMPTY;
    if (n) {
        memset(sa->stamp, 0, n * sizeof *sa->stamp);
        memset(sa->plru, 0, n);
    }
}

static uint64_t next_random(mmu_sa *sa)
{
    uint64_t x = sa->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    sa->rng = x;
    return x;
}

uint64_t mmu_sa_victim(mmu_sa *sa, uint32_t set)
{
    uint64_t base = (uint64_t)set * sa->ways;
    for (uint32_t w = 0; w < sa->ways; w++)
        if (sa->tag[base + w] == MMU_SA_EMPTY)
            return base + w;
    switch (sa->policy) {
    case MMU_POLICY_LRU:
    case MMU_POLICY_FIFO: {
        uint64_t best = base;
        for (uint32_t w = 1; w < sa->ways; w++)
            if (sa->stamp[base + w] < sa->stamp[best])
                best = base + w;
        return best;
    }
    case MMU_POLICY_PLRU: {
        const uint8_t *tree = sa->plru + base;
        unsigned node = 1;
        for (unsigned b = 0; b < sa->way_bits; b++)
            node = 2 * node + tree[node];
        return base + (node - sa->ways);
    }
    case MMU_POLICY_RANDOM:
        break;
    }
    return base + next_random(sa) % sa->ways;
}

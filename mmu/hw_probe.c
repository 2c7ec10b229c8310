/* Read-only looks into the model for teaching tools: where a translation
 * or a line sits now. Nothing here counts, fills or tells a replacement
 * policy of a use, so a probe never changes what the guest measures. */
#include "hw_internal.h"

bool mmu_hw_probe_tlb(const mmu_hw *hw, tr_tlb_level level, uint32_t asid, uint64_t va,
                      mmu_hw_probe *out)
{
    *out = (mmu_hw_probe){0};
    if ((unsigned)level >= TR_TLB_LEVELS || !hw->tlb[level].present)
        return false;
    const hw_tlb *t = &hw->tlb[level];
    uint64_t vpn = va >> MMU_PAGE_SHIFT;
    out->present = true;
    out->set = mmu_sa_set(&t->sa, vpn);
    uint64_t base = (uint64_t)out->set * t->sa.ways;
    for (uint32_t w = 0; w < t->sa.ways; w++) {
        uint64_t i = base + w;
        if (t->sa.tag[i] == vpn && (t->asid[i] == asid || (t->flags[i] & TLBF_GLOBAL))) {
            out->hit = true;
            out->way = w;
            break;
        }
    }
    return true;
}

bool mmu_hw_probe_cache(const mmu_hw *hw, tr_cache_level level, uint64_t pa, mmu_hw_probe *out)
{
    *out = (mmu_hw_probe){0};
    if ((unsigned)level >= TR_CACHE_LEVELS || !hw->cache[level].present)
        return false;
    const hw_cache *c = &hw->cache[level];
    uint64_t line = pa >> c->line_shift;
    out->present = true;
    out->set = mmu_sa_set(&c->sa, line);
    uint64_t base = (uint64_t)out->set * c->sa.ways;
    for (uint32_t w = 0; w < c->sa.ways; w++)
        if (c->sa.tag[base + w] == line) {
            out->hit = true;
            out->way = w;
            break;
        }
    return true;
}

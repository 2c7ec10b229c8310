/* The cache hierarchy: physically indexed and tagged, non-inclusive. A miss
 * first writes back the victim it replaces (if dirty), then fetches the
 * line from the next level; a write-through level passes every write on. */
#include <string.h>

#include "hw_internal.h"

static void emit_cache(mmu_hw *hw, int lvl, tr_cache_op op, uint64_t line, unsigned shift,
                       mmu_origin origin)
{
    tr_event ev = {.kind = TR_EV_CACHE};
    ev.u.cache.level = (tr_cache_level)lvl;
    ev.u.cache.op = op;
    ev.u.cache.pa = line << shift;
    ev.u.cache.from_kernel = origin == MMU_ORIGIN_KERNEL;
    tr_emit(hw->sink, &ev);
}

/* One line at one level: true on a hit. A miss allocates unless told not
 * to; `dirty` marks the line written (write-back levels only). */
static bool line_ref(mmu_hw *hw, hw_cache *c, int lvl, uint64_t line, bool dirty, bool allocate,
                     mmu_origin origin)
{
    uint32_t set = mmu_sa_set(&c->sa, line);
    int64_t i = mmu_sa_find(&c->sa, set, line);
    if (i >= 0) {
        mmu_sa_touch(&c->sa, (uint64_t)i);
        if (dirty)
            c->dirty[i] = 1;
        return true;
    }
    if (G_UNLIKELY(hw->ev_cache))
        emit_cache(hw, lvl, TR_CACHE_MISS, line, c->line_shift, origin);
    if (!allocate)
        return false;
    uint64_t v = mmu_sa_victim(&c->sa, set);
    uint64_t old = c->sa.tag[v];
    if (old != MMU_SA_EMPTY) {
        mmu_struct_stats *st = &hw->stats.cache[origin][lvl];
        st->evictions++;
        if (G_UNLIKELY(hw->ev_cache))
            emit_cache(hw, lvl, TR_CACHE_EVICT, old, c->line_shift, origin);
        if (c->dirty[v]) {
            st->writebacks++;
            if (G_UNLIKELY(hw->ev_cache))
                emit_cache(hw, lvl, TR_CACHE_WRITEBACK, old, c->line_shift, origin);
            uint64_t victim_pa = old << c->line_shift;
            c->dirty[v] = 0;
            mmu_hw_cache_ref(hw, c->next, &victim_pa, 1, true, origin);
        }
    }
    mmu_sa_fill(&c->sa, v, line);
    c->dirty[v] = dirty;
    return false;
}

/* `write` is a store reaching this level. A fill for a write miss above is
 * counted as a write here too (a read for ownership) but leaves the line
 * clean: the level above holds the new data. */
static int cache_ref(mmu_hw *hw, int lvl, const uint64_t *pa, int n, bool write, bool store,
                     mmu_origin origin)
{
    if (lvl >= TR_CACHE_LEVELS) {
        if (store)
            hw->stats.memory_writes[origin]++;
        else
            hw->stats.memory_reads[origin]++;
        return TR_CACHE_LEVELS;
    }
    hw_cache *c = &hw->cache[lvl];
    mmu_struct_stats *st = &hw->stats.cache[origin][lvl];
    st->accesses++;
    bool allocate = !store || c->write_allocate;
    bool dirty = store && c->write_back;
    bool miss = false;
    for (int i = 0; i < n; i++)
        miss |= !line_ref(hw, c, lvl, pa[i] >> c->line_shift, dirty, allocate, origin);
    if (!miss) {
        st->hits++;
        if (store && !c->write_back)
            cache_ref(hw, c->next, pa, n, true, true, origin);
        return lvl;
    }
    st->misses++;
    if (write)
        st->write_misses++;
    else
        st->read_misses++;
    if (!allocate) /* the store goes on down without a fill */
        return cache_ref(hw, c->next, pa, n, true, true, origin);
    int served = cache_ref(hw, c->next, pa, n, write, false, origin);
    if (store && !c->write_back)
        cache_ref(hw, c->next, pa, n, true, true, origin);
    return served;
}

int mmu_hw_cache_ref(mmu_hw *hw, int lvl, const uint64_t *pa, int n, bool write, mmu_origin origin)
{
    return cache_ref(hw, lvl, pa, n, write, write, origin);
}

void mmu_hw_kernel_access(mmu_hw *hw, uint64_t pa, uint64_t len, bool write)
{
    int start = hw->cache_start[1];
    unsigned shift = start < TR_CACHE_LEVELS ? hw->cache[start].line_shift : 6;
    if (len == 0)
        return;
    uint64_t first = pa >> shift, last = (pa + len - 1) >> shift;
    for (uint64_t line = first; line <= last; line++) {
        uint64_t lpa = line << shift;
        hw->stats.kernel_references++;
        cache_ref(hw, start, &lpa, 1, write, write, MMU_ORIGIN_KERNEL);
    }
}

/* Applies op to one line index of one level. */
static void op_line(mmu_hw *hw, hw_cache *c, uint64_t i, mmu_cache_op op)
{
    if (c->sa.tag[i] == MMU_SA_EMPTY)
        return;
    if (op != MMU_CACHE_OP_INVALIDATE && c->dirty[i]) {
        uint64_t line_pa = c->sa.tag[i] << c->line_shift;
        c->dirty[i] = 0;
        hw->stats.cache_op_writebacks++;
        cache_ref(hw, c->next, &line_pa, 1, true, true, MMU_ORIGIN_KERNEL);
    }
    if (op != MMU_CACHE_OP_CLEAN) {
        c->dirty[i] = 0;
        mmu_sa_invalidate(&c->sa, i);
        hw->stats.cache_op_dropped++;
    }
}

void mmu_hw_cache_op(mmu_hw *hw, uint64_t pa, uint64_t len, mmu_cache_op op)
{
    hw->stats.cache_ops[op]++;
    if (op == MMU_CACHE_OP_SYNC || len == 0)
        return;
    /* Top down, so what a clean pushes into the next level is cleaned there
     * too: the range ends clean at the point of coherency. */
    for (int lvl = TR_CACHE_L1D; lvl < TR_CACHE_LEVELS; lvl++) {
        hw_cache *c = &hw->cache[lvl];
        if (!c->present)
            continue;
        uint64_t first = pa >> c->line_shift, last = (pa + len - 1) >> c->line_shift;
        uint64_t entries = mmu_sa_entries(&c->sa);
        if (last - first + 1 > entries) {
            for (uint64_t i = 0; i < entries; i++)
                if (c->sa.tag[i] >= first && c->sa.tag[i] <= last)
                    op_line(hw, c, i, op);
            continue;
        }
        for (uint64_t line = first; line <= last; line++) {
            int64_t i = mmu_sa_find(&c->sa, mmu_sa_set(&c->sa, line), line);
            if (i >= 0)
                op_line(hw, c, (uint64_t)i, op);
        }
    }
}

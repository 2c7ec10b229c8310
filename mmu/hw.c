/* The model's hot path: translation through the TLB hierarchy and the walk,
 * then the cache hierarchy, with the cost of each step. */
#include <string.h>

#include "hw_internal.h"
#include "profile.h"

static void tlb_init(hw_tlb *t, const mmu_tlb_config *cfg, uint64_t seed)
{
    memset(t, 0, sizeof *t);
    if (cfg->entries == 0)
        return;
    uint64_t hints = 64;
    while (hints < 2ull * cfg->entries)
        hints *= 2;
    t->hint = g_new0(uint32_t, hints);
    t->hint_mask = hints - 1;
    t->present = true;
    mmu_sa_init(&t->sa, cfg->entries, cfg->ways, cfg->policy, seed);
    t->asid = g_new0(uint32_t, cfg->entries);
    t->frame = g_new0(uint64_t, cfg->entries);
    t->leaf_pa = g_new0(uint64_t, cfg->entries);
    t->flags = g_new0(uint8_t, cfg->entries);
}

static void tlb_fini(hw_tlb *t)
{
    mmu_sa_fini(&t->sa);
    g_free(t->asid);
    g_free(t->frame);
    g_free(t->leaf_pa);
    g_free(t->flags);
    g_free(t->hint);
}

mmu_hw *mmu_hw_create(const mmu_hw_config *cfg, const mmu_physmem *mem, GError **error)
{
    if (!mmu_hw_config_validate(cfg, error))
        return NULL;
    mmu_hw *hw = g_new0(mmu_hw, 1);
    hw->cfg = *cfg;
    hw->cfg.name = g_strdup(cfg->name);
    hw->cfg.description = g_strdup(cfg->description);
    hw->mem = mem;
    /* Each structure gets its own random stream from the one seed. */
    for (int i = 0; i < TR_TLB_LEVELS; i++)
        tlb_init(&hw->tlb[i], &cfg->tlb[i], cfg->seed + 1 + i);
    tlb_init(&hw->walk_cache, &cfg->walk_cache, cfg->seed + 10);
    for (int i = TR_CACHE_LEVELS - 1; i >= 0; i--) {
        hw_cache *c = &hw->cache[i];
        const mmu_cache_config *cc = &cfg->cache[i];
        /* L1I and L1D both continue at the first present level below them. */
        int below = i < TR_CACHE_L2 ? TR_CACHE_L2 : i + 1;
        while (below < TR_CACHE_LEVELS && cfg->cache[below].size == 0)
            below++;
        c->next = below;
        if (cc->size == 0)
            continue;
        c->present = true;
        uint32_t lines = (uint32_t)(cc->size / cc->line);
        mmu_sa_init(&c->sa, lines, cc->ways, cc->policy, cfg->seed + 20 + i);
        c->dirty = g_new0(uint8_t, lines);
        while ((1u << c->line_shift) < cc->line)
            c->line_shift++;
        c->write_back = cc->write_back;
        c->write_allocate = cc->write_allocate;
    }
    hw->cache_start[0] =
        hw->cache[TR_CACHE_L1I].present ? TR_CACHE_L1I : hw->cache[TR_CACHE_L1I].next;
    hw->cache_start[1] =
        hw->cache[TR_CACHE_L1D].present ? TR_CACHE_L1D : hw->cache[TR_CACHE_L1D].next;
    int w = (int)cfg->walk_enter;
    if (w < TR_CACHE_LEVELS && !hw->cache[w].present)
        w = hw->cache[w].next;
    hw->walk_enter = w;
    for (int i = 0; i < TR_CACHE_LEVELS; i++)
        hw->latency[i] = cfg->cost.cache[i];
    hw->latency[TR_CACHE_LEVELS] = cfg->cost.memory;
    for (int data = 0; data < 2; data++) {
        int tl = data ? TR_TLB_L1D : TR_TLB_L1I, cl = data ? TR_CACHE_L1D : TR_CACHE_L1I;
        hw_fast *f = &hw->fast[data];
        f->ok = hw->tlb[tl].present && hw->cache[cl].present && hw->cache[cl].write_back;
        f->tlb = &hw->tlb[tl];
        f->cache = &hw->cache[cl];
        f->tlb_stats = &hw->stats.tlb[tl];
        f->cache_stats = &hw->stats.cache[MMU_ORIGIN_GUEST][cl];
        f->latency = hw->latency[cl];
    }
    return hw;
}

void mmu_hw_destroy(mmu_hw *hw)
{
    if (!hw)
        return;
    for (int i = 0; i < TR_TLB_LEVELS; i++)
        tlb_fini(&hw->tlb[i]);
    tlb_fini(&hw->walk_cache);
    for (int i = 0; i < TR_CACHE_LEVELS; i++) {
        mmu_sa_fini(&hw->cache[i].sa);
        g_free(hw->cache[i].dirty);
    }
    g_free(hw->cfg.name);
    g_free(hw->cfg.description);
    g_free(hw);
}

const mmu_hw_config *mmu_hw_config_get(const mmu_hw *hw)
{
    return &hw->cfg;
}

void mmu_hw_set_trace(mmu_hw *hw, tr_sink *sink, unsigned event_mask)
{
    hw->sink = sink;
    hw->ev_tlb = sink && (event_mask & (1u << TR_EV_TLB));
    hw->ev_walk = sink && (event_mask & (1u << TR_EV_WALK));
    hw->ev_cache = sink && (event_mask & (1u << TR_EV_CACHE));
}

static void emit_tlb(mmu_hw *hw, int lvl, tr_tlb_op op, uint32_t asid, uint64_t vpn)
{
    tr_event ev = {.kind = TR_EV_TLB};
    ev.u.tlb.level = (tr_tlb_level)lvl;
    ev.u.tlb.op = op;
    ev.u.tlb.asid = asid;
    ev.u.tlb.va = vpn << MMU_PAGE_SHIFT;
    tr_emit(hw->sink, &ev);
}

void mmu_hw_tlb_invalidate(mmu_hw *hw, hw_tlb *t, uint64_t index)
{
    mmu_sa_invalidate(&t->sa, index);
}

static inline bool tlb_match(const hw_tlb *t, uint64_t i, uint64_t vpn, uint32_t asid)
{
    return t->sa.tag[i] == vpn && (t->asid[i] == asid || (t->flags[i] & TLBF_GLOBAL));
}

static int64_t tlb_find(const hw_tlb *t, uint64_t vpn, uint32_t asid)
{
    uint64_t h = t->hint[vpn & t->hint_mask];
    if (tlb_match(t, h, vpn, asid))
        return (int64_t)h;
    uint64_t base = (uint64_t)mmu_sa_set(&t->sa, vpn) * t->sa.ways;
    for (uint32_t w = 0; w < t->sa.ways; w++) {
        uint64_t i = base + w;
        if (t->sa.tag[i] == vpn && (t->asid[i] == asid || (t->flags[i] & TLBF_GLOBAL)))
            return (int64_t)i;
    }
    return -1;
}

/* One lookup in one TLB, counted; the entry's index or -1. */
static int64_t tlb_lookup(mmu_hw *hw, int lvl, uint64_t vpn, uint32_t asid, bool write)
{
    hw_tlb *t = &hw->tlb[lvl];
    mmu_struct_stats *st = &hw->stats.tlb[lvl];
    st->accesses++;
    int64_t i = tlb_find(t, vpn, asid);
    if (i >= 0) {
        mmu_sa_touch(&t->sa, (uint64_t)i);
        t->hint[vpn & t->hint_mask] = (uint32_t)i;
    }
    /* A store through a read-only entry faulted; the fault removed the
     * entry (as an x86 page fault does, and as Arm's kernel does with a TLBI
     * before it widens a page) and the retried store misses. */
    if (i >= 0 && write && !(t->flags[i] & TLBF_WRITABLE)) {
        mmu_hw_tlb_invalidate(hw, t, (uint64_t)i);
        i = -1;
    }
    if (G_LIKELY(i >= 0)) {
        st->hits++;
        return i;
    }
    st->misses++;
    if (write)
        st->write_misses++;
    else
        st->read_misses++;
    if (G_UNLIKELY(hw->ev_tlb))
        emit_tlb(hw, lvl, TR_TLB_MISS, asid, vpn);
    return -1;
}

static void tlb_fill(mmu_hw *hw, int lvl, uint64_t vpn, uint32_t asid, uint64_t frame,
                     uint64_t leaf_pa, uint8_t flags)
{
    hw_tlb *t = &hw->tlb[lvl];
    uint64_t v = mmu_sa_victim(&t->sa, mmu_sa_set(&t->sa, vpn));
    if (t->sa.tag[v] != MMU_SA_EMPTY) {
        hw->stats.tlb[lvl].evictions++;
        if (G_UNLIKELY(hw->ev_tlb))
            emit_tlb(hw, lvl, TR_TLB_EVICT, t->asid[v], t->sa.tag[v]);
    }
    mmu_sa_fill(&t->sa, v, vpn);
    t->asid[v] = asid;
    t->frame[v] = frame;
    t->leaf_pa[v] = leaf_pa;
    t->flags[v] = flags;
    t->hint[vpn & t->hint_mask] = (uint32_t)v;
    if (G_UNLIKELY(hw->ev_tlb))
        emit_tlb(hw, lvl, TR_TLB_FILL, asid, vpn);
}

/* The first store through an entry whose leaf is not yet dirty sets the
 * dirty bit in the leaf itself (no walk: the entry knows where it is). */
static void mark_dirty(mmu_hw *hw, const mmu_pt_ad *ad, hw_tlb *t, int64_t i)
{
    t->flags[i] |= TLBF_DIRTY;
    if (!ad->dirty)
        return;
    uint64_t *leaf = mmu_phys_ptr(hw->mem, t->leaf_pa[i]);
    if (!(*leaf & ad->dirty)) {
        *leaf |= ad->dirty;
        hw->stats.ad_updates++;
    }
}

static inline const mmu_pt_ad *ad_of(mmu_hw *hw, const mmu_pt_format *fmt)
{
    if (G_UNLIKELY(hw->ad_fmt != fmt)) {
        hw->ad_fmt = fmt;
        hw->ad = mmu_pt_ad_of(fmt);
    }
    return hw->ad;
}

static uint64_t wc_tag(uint64_t va, int level)
{
    return ((va >> (39 - 9 * level)) << 2) | (uint64_t)level;
}

typedef struct walk_result {
    bool ok;
    uint64_t frame, leaf_pa;
    uint8_t flags;
} walk_result;

static walk_result walk(mmu_hw *hw, const mmu_page_table *pt, uint32_t asid, uint64_t va,
                        mmu_ref_kind kind, uint64_t *stall, mmu_hw_outcome *o)
{
    const mmu_pt_format *fmt = pt->fmt;
    const mmu_pt_ad *ad = ad_of(hw, fmt);
    walk_result r = {0};
    hw->stats.walks++;
    *stall += hw->cfg.cost.walk;
    int level = 0;
    uint64_t table = pt->root;
    hw_tlb *wc = &hw->walk_cache;
    if (wc->present) {
        /* Probe for the deepest upper-level entry first: it skips most. */
        mmu_struct_stats *st = &hw->stats.walk_cache;
        st->accesses++;
        for (int l = MMU_PT_LEAF_LEVEL - 1; l >= 0; l--) {
            int64_t i = tlb_find(wc, wc_tag(va, l), asid);
            if (i >= 0) {
                mmu_sa_touch(&wc->sa, (uint64_t)i);
                table = wc->frame[i];
                level = l + 1;
                break;
            }
        }
        if (level > 0) {
            st->hits++;
            hw->stats.walk_cache_skipped += (uint64_t)level;
        } else {
            st->misses++;
            st->read_misses++;
        }
    }
    int first = level, reads = 0;
    for (; level < MMU_PT_LEVELS; level++) {
        uint64_t epa = table + 8ull * mmu_pt_index(va, level);
        int served = mmu_hw_cache_ref(hw, hw->walk_enter, &epa, 1, false, MMU_ORIGIN_GUEST);
        *stall += hw->latency[served];
        reads++;
        hw->stats.walk_entry_reads[level]++;
        uint64_t *ep = mmu_phys_ptr(hw->mem, epa);
        uint64_t e = *ep;
        if (level < MMU_PT_LEAF_LEVEL) {
            if (!mmu_pte_is_table(fmt, e, level))
                break;
            if (ad->accessed_upper && !(e & ad->accessed)) {
                *ep = e | ad->accessed;
                hw->stats.ad_updates++;
            }
            table = mmu_pte_address(fmt, e);
            if (wc->present) {
                uint64_t tag = wc_tag(va, level);
                if (tlb_find(wc, tag, asid) < 0) {
                    uint64_t v = mmu_sa_victim(&wc->sa, mmu_sa_set(&wc->sa, tag));
                    if (wc->sa.tag[v] != MMU_SA_EMPTY)
                        hw->stats.walk_cache.evictions++;
                    mmu_sa_fill(&wc->sa, v, tag);
                    wc->asid[v] = asid;
                    wc->frame[v] = table;
                    wc->flags[v] = 0;
                }
            }
            continue;
        }
        if (!mmu_pte_present(fmt, e))
            break;
        uint64_t set = ad->accessed;
        if (kind == MMU_REF_WRITE)
            set |= ad->dirty;
        if ((e & set) != set) {
            e |= set;
            *ep = e;
            hw->stats.ad_updates++;
        }
        r.ok = true;
        r.frame = mmu_pte_address(fmt, e) >> MMU_PAGE_SHIFT;
        r.leaf_pa = epa;
        unsigned perms = fmt->leaf_perms(e);
        r.flags = (mmu_pt_ad_is_global(ad, e) ? TLBF_GLOBAL : 0) |
                  ((perms & MMU_PERM_WRITE) ? TLBF_WRITABLE : 0) |
                  ((!ad->dirty || (e & ad->dirty)) ? TLBF_DIRTY : 0);
    }
    if (o) {
        o->walk_reads += reads;
        o->walk_cache_hits += first;
    }
    if (G_UNLIKELY(hw->ev_walk)) {
        tr_event ev = {.kind = TR_EV_WALK};
        ev.u.walk.asid = asid;
        ev.u.walk.va = va;
        ev.u.walk.access = kind == MMU_REF_FETCH   ? TR_ACCESS_EXEC
                           : kind == MMU_REF_WRITE ? TR_ACCESS_WRITE
                                                   : TR_ACCESS_READ;
        ev.u.walk.levels_read = reads;
        ev.u.walk.walk_cache_hits = first;
        tr_emit(hw->sink, &ev);
    }
    return r;
}

/* The physical page number of va's page, through L1 TLB, L2 TLB and the
 * walk; `fallback` is used when the tables do not map va (the model was
 * handed a reference the CPU could make but the tables no longer show). */
static uint64_t translate(mmu_hw *hw, const mmu_page_table *pt, uint32_t asid, uint64_t va,
                          mmu_ref_kind kind, uint64_t fallback, uint64_t *stall, mmu_hw_outcome *o)
{
    uint64_t vpn = va >> MMU_PAGE_SHIFT;
    bool write = kind == MMU_REF_WRITE;
    int l1 = kind == MMU_REF_FETCH ? TR_TLB_L1I : TR_TLB_L1D;
    if (hw->tlb[l1].present) {
        int64_t i = tlb_lookup(hw, l1, vpn, asid, write);
        if (i >= 0) {
            hw_tlb *t = &hw->tlb[l1];
            if (write && !(t->flags[i] & TLBF_DIRTY))
                mark_dirty(hw, ad_of(hw, pt->fmt), t, i);
            return t->frame[i];
        }
    }
    if (hw->tlb[TR_TLB_L2].present) {
        *stall += hw->cfg.cost.tlb_l2;
        hw_tlb *t = &hw->tlb[TR_TLB_L2];
        int64_t i = tlb_lookup(hw, TR_TLB_L2, vpn, asid, write);
        if (i >= 0) {
            if (write && !(t->flags[i] & TLBF_DIRTY))
                mark_dirty(hw, ad_of(hw, pt->fmt), t, i);
            if (o && o->xlate < MMU_XLATE_L2)
                o->xlate = MMU_XLATE_L2;
            if (hw->tlb[l1].present)
                tlb_fill(hw, l1, vpn, asid, t->frame[i], t->leaf_pa[i], t->flags[i]);
            return t->frame[i];
        }
    }
    if (o)
        o->xlate = MMU_XLATE_WALK;
    walk_result r = walk(hw, pt, asid, va, kind, stall, o);
    if (!r.ok)
        return fallback;
    if (hw->tlb[TR_TLB_L2].present)
        tlb_fill(hw, TR_TLB_L2, vpn, asid, r.frame, r.leaf_pa, r.flags);
    if (hw->tlb[l1].present)
        tlb_fill(hw, l1, vpn, asid, r.frame, r.leaf_pa, r.flags);
    return r.frame;
}

static inline uint64_t finish_ref(mmu_hw *hw, int served, int start, uint64_t stall,
                                  mmu_hw_outcome *o)
{
    uint32_t base = start < TR_CACHE_LEVELS ? hw->latency[start] : hw->latency[TR_CACHE_LEVELS];
    uint32_t lat = hw->latency[served];
    stall += lat > base ? lat - base : 0;
    hw->stats.references++;
    hw->stats.stall_cycles += stall;
    hw->stats.reference_cycles += base + stall;
    if (o && served > o->served_by)
        o->served_by = served;
    return stall;
}

/* The common case in one piece: the L1 TLB and the L1 cache both hit. It
 * changes nothing unless both do, so any other case starts afresh. */
static inline bool all_hit(mmu_hw *hw, uint32_t asid, uint64_t va, unsigned size, mmu_ref_kind kind)
{
    const hw_fast *f = &hw->fast[kind != MMU_REF_FETCH];
    if (!f->ok)
        return false;
    hw_cache *c = f->cache;
    if (((va ^ (va + size - 1)) >> c->line_shift) != 0)
        return false;
    hw_tlb *t = f->tlb;
    uint64_t vpn = va >> MMU_PAGE_SHIFT;
    uint32_t h = t->hint[vpn & t->hint_mask];
    uint8_t flags = t->flags[h];
    if (t->sa.tag[h] != vpn || (t->asid[h] != asid && !(flags & TLBF_GLOBAL)))
        return false;
    bool write = kind == MMU_REF_WRITE;
    if (write && (flags & (TLBF_WRITABLE | TLBF_DIRTY)) != (TLBF_WRITABLE | TLBF_DIRTY))
        return false;
    uint64_t line = ((t->frame[h] << MMU_PAGE_SHIFT) | (va & MMU_PAGE_MASK)) >> c->line_shift;
    uint32_t set = (uint32_t)line & c->sa.set_mask;
    int64_t i = mmu_sa_find(&c->sa, set, line);
    if (i < 0)
        return false;
    uint32_t tset = (uint32_t)vpn & t->sa.set_mask;
    mmu_sa_touch_way(&t->sa, tset, h - tset * t->sa.ways);
    mmu_sa_touch_way(&c->sa, set, (uint32_t)((uint64_t)i - (uint64_t)set * c->sa.ways));
    if (write)
        c->dirty[i] = 1;
    hw->fast_hits[kind != MMU_REF_FETCH]++;
    return true;
}

static uint64_t access_slow(mmu_hw *hw, const mmu_page_table *pt, uint32_t asid, uint64_t va,
                            uint64_t pa, unsigned size, mmu_ref_kind kind, mmu_hw_outcome *out);

uint64_t mmu_hw_access(mmu_hw *hw, const mmu_page_table *pt, uint32_t asid, uint64_t va,
                       uint64_t pa, unsigned size, mmu_ref_kind kind, mmu_hw_outcome *out)
{
    if (G_LIKELY(out == NULL && size != 0) && all_hit(hw, asid, va, size, kind))
        return 0;
    return access_slow(hw, pt, asid, va, pa, size, kind, out);
}

/* Everything but the all-hit case: translation and the hierarchy in full. */
static __attribute__((noinline)) uint64_t access_slow(mmu_hw *hw, const mmu_page_table *pt,
                                                      uint32_t asid, uint64_t va, uint64_t pa,
                                                      unsigned size, mmu_ref_kind kind,
                                                      mmu_hw_outcome *out)
{
    if (out) {
        memset(out, 0, sizeof *out);
        out->served_by = -1;
    }
    if (kind == MMU_REF_FETCH)
        hw->fetch_epoch++;
    if (size == 0)
        size = 1;
    int start = hw->cache_start[kind != MMU_REF_FETCH];
    unsigned shift = start < TR_CACHE_LEVELS ? hw->cache[start].line_shift : MMU_PAGE_SHIFT;
    uint64_t last = va + size - 1;
    uint64_t total = 0;
    bool write = kind == MMU_REF_WRITE;

    if (G_LIKELY(((va ^ last) >> shift) == 0)) {
        uint64_t stall = 0;
        uint64_t frame = translate(hw, pt, asid, va, kind, pa >> MMU_PAGE_SHIFT, &stall, out);
        uint64_t p = (frame << MMU_PAGE_SHIFT) | (va & MMU_PAGE_MASK);
        int served = start;
        hw_cache *c = &hw->cache[start];
        /* An L1 hit in place; everything else through the hierarchy. */
        int64_t i = -1;
        if (G_LIKELY(start < TR_CACHE_LEVELS) && (c->write_back || !write)) {
            uint64_t line = p >> c->line_shift;
            i = mmu_sa_find(&c->sa, mmu_sa_set(&c->sa, line), line);
            if (G_LIKELY(i >= 0)) {
                mmu_sa_touch(&c->sa, (uint64_t)i);
                if (write)
                    c->dirty[i] = 1;
                mmu_struct_stats *cs = &hw->stats.cache[MMU_ORIGIN_GUEST][start];
                cs->accesses++;
                cs->hits++;
            }
        }
        if (i < 0)
            served = mmu_hw_cache_ref(hw, start, &p, 1, write, MMU_ORIGIN_GUEST);
        total = finish_ref(hw, served, start, stall, out);
        if (out) {
            out->pieces = 1;
            out->stall = total;
        }
        return total;
    }

    /* A straddling reference: each line's physical address comes from its
     * own page's translation. */
    uint64_t lines[8];
    int n = 0;
    uint64_t stall = 0, frame = 0, page = UINT64_MAX;
    for (uint64_t l = va >> shift; l <= (last >> shift) && n < 8; l++) {
        uint64_t lva = l == (va >> shift) ? va : l << shift;
        if ((lva >> MMU_PAGE_SHIFT) != page) {
            page = lva >> MMU_PAGE_SHIFT;
            uint64_t fallback =
                ((pa & ~MMU_PAGE_MASK) + (lva - (va & ~MMU_PAGE_MASK))) >> MMU_PAGE_SHIFT;
            frame = translate(hw, pt, asid, lva, kind, fallback, &stall, out);
        }
        lines[n++] = (frame << MMU_PAGE_SHIFT) | (lva & MMU_PAGE_MASK);
        if (hw->cfg.straddle == MMU_STRADDLE_SPLIT) {
            int served = mmu_hw_cache_ref(hw, start, &lines[n - 1], 1, write, MMU_ORIGIN_GUEST);
            total += finish_ref(hw, served, start, stall, out);
            stall = 0;
        }
    }
    if (hw->cfg.straddle == MMU_STRADDLE_ONE) {
        int served = mmu_hw_cache_ref(hw, start, lines, n, write, MMU_ORIGIN_GUEST);
        total = finish_ref(hw, served, start, stall, out);
    }
    if (out) {
        out->pieces = (unsigned)n;
        out->stall = total;
    }
    return total;
}

void mmu_hw_retire(mmu_hw *hw, uint64_t instructions)
{
    hw->stats.instructions += instructions;
}

uint64_t mmu_hw_fetch_epoch(const mmu_hw *hw)
{
    return hw->fetch_epoch;
}

void mmu_hw_fetch_hits(mmu_hw *hw, uint64_t n)
{
    hw->fast_hits[0] += n;
}

uint64_t mmu_hw_cycles(const mmu_hw *hw)
{
    return hw->stats.instructions + hw->stats.stall_cycles;
}

uint64_t mmu_hw_time_ns(const mmu_hw *hw)
{
    /* 128-bit product: cycles * 1e9 overflows 64 bits after ~18 s at 1 GHz */
    unsigned __int128 ns = (unsigned __int128)mmu_hw_cycles(hw) * 1000000000u;
    return (uint64_t)(ns / (hw->cfg.clock_hz ? hw->cfg.clock_hz : 1));
}

const mmu_hw_stats *mmu_hw_stats_get(mmu_hw *hw)
{
    for (int k = 0; k < 2; k++) {
        const hw_fast *f = &hw->fast[k];
        uint64_t n = hw->fast_hits[k];
        if (n == 0)
            continue;
        hw->fast_hits[k] = 0;
        f->tlb_stats->accesses += n;
        f->tlb_stats->hits += n;
        f->cache_stats->accesses += n;
        f->cache_stats->hits += n;
        hw->stats.references += n;
        hw->stats.reference_cycles += n * f->latency;
    }
    return &hw->stats;
}

void mmu_hw_stats_reset(mmu_hw *hw)
{
    memset(&hw->stats, 0, sizeof hw->stats);
    memset(hw->fast_hits, 0, sizeof hw->fast_hits);
}

void mmu_hw_shootdown(mmu_hw *hw, tr_shootdown_kind kind, uint32_t asid, uint64_t va, uint64_t len)
{
    hw->stats.shootdowns[kind]++;
    hw->fetch_epoch++;
    uint64_t first = va >> MMU_PAGE_SHIFT;
    uint64_t last = len ? (va + len - 1) >> MMU_PAGE_SHIFT : first;
    for (int lvl = 0; lvl <= TR_TLB_LEVELS; lvl++) {
        bool is_wc = lvl == TR_TLB_LEVELS;
        hw_tlb *t = is_wc ? &hw->walk_cache : &hw->tlb[lvl];
        if (!t->present)
            continue;
        uint64_t n = mmu_sa_entries(&t->sa);
        for (uint64_t i = 0; i < n; i++) {
            uint64_t tag = t->sa.tag[i];
            if (tag == MMU_SA_EMPTY)
                continue;
            bool global = t->flags[i] & TLBF_GLOBAL;
            bool hit;
            switch (kind) {
            case TR_SHOOTDOWN_ADDR: {
                uint64_t lo = tag, hi = tag;
                if (is_wc) { /* the pages the cached table entry spans */
                    int level = (int)(tag & 3);
                    unsigned s = 39 - 9 * level - MMU_PAGE_SHIFT;
                    lo = (tag >> 2) << s;
                    hi = lo + (1ull << s) - 1;
                }
                hit = len && (t->asid[i] == asid || global) && lo <= last && hi >= first;
                break;
            }
            case TR_SHOOTDOWN_ASID:
                hit = t->asid[i] == asid && !global;
                break;
            default:
                hit = true;
                break;
            }
            if (hit) {
                mmu_sa_invalidate(&t->sa, i);
                if (!is_wc)
                    hw->stats.shootdown_entries++;
            }
        }
    }
}

/* The hardware model without a CPU: every figure below is worked out by
 * hand from the structure's geometry and policy, and compared exactly. */
#include "mmu/hw.h"
#include "mmu/profile.h"
#include "mmu/pt_ad.h"
#include "mmu/sa.h"

#include "check_main.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAM     (32u << 20)
#define DATA_PA (16u << 20) /* data frames from here, tables below */
#define VA_BASE 0x10000000ull
#define ASID    1u

typedef struct frames {
    mmu_physmem *mem;
    uint64_t next;
} frames;

static bool take(void *ctx, uint64_t *pa)
{
    frames *f = ctx;
    if (f->next + 4096 > DATA_PA)
        return false;
    *pa = f->next;
    f->next += 4096;
    memset(mmu_phys_ptr(f->mem, *pa), 0, 4096);
    return true;
}

static void give(void *ctx, uint64_t pa)
{
    (void)ctx;
    (void)pa;
}

static frames fx;
static mmu_page_table *pt;
static mmu_hw_config *cfg;
static mmu_hw *hw;

static const mmu_pt_format *format_of(int i)
{
    return i == 0 ? &mmu_pt_format_arm64 : &mmu_pt_format_x86_64;
}

/* A machine with nothing in it; each test adds what it measures. */
static void setup_format(const mmu_pt_format *fmt)
{
    fx.mem = mmu_physmem_new(RAM, NULL);
    ck_assert_ptr_nonnull(fx.mem);
    fx.next = 4096;
    pt = mmu_pt_create(fmt, fx.mem, (mmu_frame_source){take, give, &fx});
    ck_assert_ptr_nonnull(pt);
    GError *e = NULL;
    cfg = mmu_profile_load_data("test", "", &e);
    ck_assert_ptr_nonnull(cfg);
    /* walk reads stay out of the cache counts unless a test wants them */
    cfg->walk_enter = MMU_WALK_ENTER_MEMORY;
    hw = NULL;
}

static void teardown_all(void)
{
    mmu_hw_destroy(hw);
    mmu_hw_config_free(cfg);
    mmu_pt_destroy(pt);
    mmu_physmem_free(fx.mem);
}

static void set(const char *assignment)
{
    GError *e = NULL;
    if (!mmu_profile_set(cfg, assignment, &e))
        ck_abort_msg("%s: %s", assignment, e->message);
}

static void build(void)
{
    GError *e = NULL;
    hw = mmu_hw_create(cfg, fx.mem, &e);
    if (!hw)
        ck_abort_msg("create: %s", e->message);
}

/* Page i of the test region maps data frame i. */
static void map_pages(uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        ck_assert(mmu_pt_map(pt, VA_BASE + i * 4096, DATA_PA + i * 4096,
                             MMU_PERM_READ | MMU_PERM_WRITE, MMU_CACHE_CACHED));
}

static uint64_t ref(uint64_t va, unsigned size, mmu_ref_kind kind, mmu_hw_outcome *o)
{
    uint64_t pa;
    unsigned perms;
    ck_assert(mmu_pt_lookup(pt, va, &pa, &perms));
    return mmu_hw_access(hw, pt, ASID, va, pa, size, kind, o);
}

static const mmu_hw_stats *st(void)
{
    return mmu_hw_stats_get(hw);
}

/* A strided sweep over N pages against an E-entry fully associative LRU
 * TLB: N misses per sweep when N > E, N misses in all when N <= E. */
START_TEST(tlb_sweep_fully_associative_lru)
{
    setup_format(format_of(_i % 2));
    set("tlb.l1d.entries=8");
    set("tlb.l1d.ways=full");
    build();
    static const uint64_t sizes[] = {4, 8, 9, 16};
    uint64_t n = sizes[_i / 2];
    map_pages(n);
    for (int sweep = 0; sweep < 5; sweep++)
        for (uint64_t p = 0; p < n; p++)
            ref(VA_BASE + p * 4096 + 8, 8, MMU_REF_READ, NULL);
    uint64_t want = n > 8 ? 5 * n : n;
    ck_assert_uint_eq(st()->tlb[TR_TLB_L1D].misses, want);
    ck_assert_uint_eq(st()->tlb[TR_TLB_L1D].accesses, 5 * n);
    ck_assert_uint_eq(st()->tlb[TR_TLB_L1D].hits, 5 * n - want);
    ck_assert_uint_eq(st()->walks, want);
    teardown_all();
}
END_TEST

/* 16 entries, 4 ways: 4 sets, so pages 4 apart share a set. Five such pages
 * in a cycle always miss under LRU; four fit. */
START_TEST(tlb_set_conflicts)
{
    setup_format(&mmu_pt_format_x86_64);
    set("tlb.l1d.entries=16");
    set("tlb.l1d.ways=4");
    build();
    map_pages(32);
    for (int round = 0; round < 3; round++)
        for (int k = 0; k < 5; k++)
            ref(VA_BASE + (uint64_t)k * 4 * 4096, 4, MMU_REF_READ, NULL);
    ck_assert_uint_eq(st()->tlb[TR_TLB_L1D].misses, 15);
    mmu_hw_stats_reset(hw);
    /* four of another set (pages 1, 5, 9, 13) stay */
    for (int round = 0; round < 3; round++)
        for (int k = 0; k < 4; k++)
            ref(VA_BASE + (uint64_t)(1 + 4 * k) * 4096, 4, MMU_REF_READ, NULL);
    ck_assert_uint_eq(st()->tlb[TR_TLB_L1D].misses, 4);
    ck_assert_uint_eq(st()->tlb[TR_TLB_L1D].evictions, 0);
    teardown_all();
}
END_TEST

/* L1D 1 KiB, 2 ways, 64-byte lines: 8 sets, lines 512 bytes apart share
 * one. Three of them in a cycle always miss; two fit. */
START_TEST(cache_set_conflicts)
{
    setup_format(&mmu_pt_format_arm64);
    set("tlb.l1d.entries=4");
    set("cache.l1d.size=1K");
    set("cache.l1d.ways=2");
    build();
    map_pages(1);
    for (int round = 0; round < 4; round++)
        for (int k = 0; k < 3; k++)
            ref(VA_BASE + (uint64_t)k * 512, 8, MMU_REF_READ, NULL);
    const mmu_struct_stats *l1 = &st()->cache[MMU_ORIGIN_GUEST][TR_CACHE_L1D];
    ck_assert_uint_eq(l1->misses, 12);
    ck_assert_uint_eq(l1->read_misses, 12);
    ck_assert_uint_eq(l1->evictions, 10);
    /* the one walk's four entry reads, then the twelve lines */
    ck_assert_uint_eq(st()->memory_reads[MMU_ORIGIN_GUEST], 4 + 12);
    mmu_hw_stats_reset(hw);
    for (int round = 0; round < 4; round++)
        for (int k = 0; k < 2; k++)
            ref(VA_BASE + 64 + (uint64_t)k * 512, 8, MMU_REF_READ, NULL);
    l1 = &st()->cache[MMU_ORIGIN_GUEST][TR_CACHE_L1D]; /* counters as of now */
    ck_assert_uint_eq(l1->misses, 2);
    ck_assert_uint_eq(l1->hits, 6);
    teardown_all();
}
END_TEST

/* The probes name the set from the geometry (TLB: 16 entries, 4 ways, 4
 * sets by page number; L1D: 1 KiB, 2 ways, 64-byte lines, 8 sets) and the
 * way, and change nothing: after probing line A many times, a third line
 * of the set still evicts A, the least recently used. */
START_TEST(probes_are_read_only)
{
    setup_format(&mmu_pt_format_arm64);
    set("tlb.l1d.entries=16");
    set("tlb.l1d.ways=4");
    set("cache.l1d.size=1K");
    set("cache.l1d.ways=2");
    build();
    map_pages(8);
    mmu_hw_probe p;
    ck_assert(mmu_hw_probe_tlb(hw, TR_TLB_L1D, ASID, VA_BASE + 3 * 4096, &p));
    ck_assert(p.present && !p.hit);
    ck_assert_uint_eq(p.set, ((VA_BASE >> 12) + 3) & 3);
    ref(VA_BASE + 64, 8, MMU_REF_READ, NULL);       /* A: set 1 */
    ref(VA_BASE + 64 + 512, 8, MMU_REF_READ, NULL); /* B: set 1 */
    ref(VA_BASE + 3 * 4096 + 0x123, 1, MMU_REF_READ, NULL);
    ck_assert(mmu_hw_probe_tlb(hw, TR_TLB_L1D, ASID, VA_BASE + 3 * 4096 + 0x123, &p));
    ck_assert(p.hit && p.set == (((VA_BASE >> 12) + 3) & 3) && p.way < 4);
    ck_assert(mmu_hw_probe_tlb(hw, TR_TLB_L1D, ASID + 1, VA_BASE + 3 * 4096, &p));
    ck_assert(!p.hit); /* another address space's entry */
    mmu_hw_probe a, b;
    ck_assert(mmu_hw_probe_cache(hw, TR_CACHE_L1D, DATA_PA + 64, &a));
    ck_assert(mmu_hw_probe_cache(hw, TR_CACHE_L1D, DATA_PA + 64 + 512, &b));
    ck_assert(a.hit && b.hit && a.set == 1 && b.set == 1 && a.way != b.way);
    ck_assert(mmu_hw_probe_cache(hw, TR_CACHE_L1D, DATA_PA + 3 * 4096 + 0x123, &p));
    ck_assert(p.hit && p.set == ((0x123 >> 6) & 7));
    ck_assert(!mmu_hw_probe_cache(hw, TR_CACHE_L3, DATA_PA, &p) && !p.present);
    mmu_hw_stats before = *st();
    uint64_t cycles = mmu_hw_cycles(hw);
    for (int i = 0; i < 10; i++) {
        mmu_hw_probe_cache(hw, TR_CACHE_L1D, DATA_PA + 64, &p);
        mmu_hw_probe_tlb(hw, TR_TLB_L1D, ASID, VA_BASE, &p);
        mmu_hw_probe_tlb(hw, TR_TLB_L2, ASID, VA_BASE, &p);
    }
    ck_assert(memcmp(&before, st(), sizeof before) == 0);
    ck_assert_uint_eq(mmu_hw_cycles(hw), cycles);
    ref(VA_BASE + 64 + 1024, 8, MMU_REF_READ, NULL); /* C: set 1, evicts A */
    ck_assert(mmu_hw_probe_cache(hw, TR_CACHE_L1D, DATA_PA + 64, &a));
    ck_assert(mmu_hw_probe_cache(hw, TR_CACHE_L1D, DATA_PA + 64 + 512, &b));
    ck_assert(!a.hit && b.hit);
    teardown_all();
}
END_TEST

static mmu_sa one_set(uint32_t ways, mmu_policy policy, uint64_t seed)
{
    mmu_sa sa;
    mmu_sa_init(&sa, ways, ways, policy, seed);
    return sa;
}

static void use(mmu_sa *sa, uint64_t tag)
{
    int64_t i = mmu_sa_find(sa, 0, tag);
    if (i >= 0)
        mmu_sa_touch(sa, (uint64_t)i);
    else
        mmu_sa_fill(sa, mmu_sa_victim(sa, 0), tag);
}

/* Tree-PLRU, 4 ways: after A B C D and a hit on A, the tree points at the
 * right half and there at C (the way not used last), where true LRU would
 * evict B. Filling E there turns the root to the left half, whose node
 * points at B. */
START_TEST(plru_victim_sequence)
{
    mmu_sa sa = one_set(4, MMU_POLICY_PLRU, 1);
    for (uint64_t t = 1; t <= 4; t++)
        use(&sa, t);
    use(&sa, 1);
    ck_assert_uint_eq(mmu_sa_victim(&sa, 0), 2);
    use(&sa, 5); /* replaces C */
    ck_assert_int_eq(mmu_sa_find(&sa, 0, 3), -1);
    ck_assert_uint_eq(mmu_sa_victim(&sa, 0), 1);
    use(&sa, 6); /* replaces B */
    ck_assert_uint_eq(mmu_sa_victim(&sa, 0), 3);
    mmu_sa_fini(&sa);

    /* 8 ways filled in order 0..7: victims come round as 0 4 2 6 1 5 3 7 */
    sa = one_set(8, MMU_POLICY_PLRU, 1);
    for (uint64_t t = 0; t < 8; t++)
        use(&sa, 100 + t);
    static const uint64_t want[] = {0, 4, 2, 6, 1, 5, 3, 7};
    for (int k = 0; k < 8; k++) {
        uint64_t v = mmu_sa_victim(&sa, 0);
        ck_assert_uint_eq(v, want[k]);
        mmu_sa_fill(&sa, v, 200 + (uint64_t)k);
    }
    mmu_sa_fini(&sa);

    mmu_sa lru = one_set(4, MMU_POLICY_LRU, 1);
    for (uint64_t t = 1; t <= 4; t++)
        use(&lru, t);
    use(&lru, 1);
    ck_assert_uint_eq(mmu_sa_victim(&lru, 0), 1);
    mmu_sa_fini(&lru);
}
END_TEST

START_TEST(fifo_and_random_are_deterministic)
{
    mmu_sa fifo = one_set(4, MMU_POLICY_FIFO, 1);
    for (uint64_t t = 1; t <= 4; t++)
        use(&fifo, t);
    use(&fifo, 1); /* a hit changes nothing under FIFO */
    ck_assert_uint_eq(mmu_sa_victim(&fifo, 0), 0);
    use(&fifo, 5);
    ck_assert_uint_eq(mmu_sa_victim(&fifo, 0), 1);
    mmu_sa_fini(&fifo);

    mmu_sa a = one_set(8, MMU_POLICY_RANDOM, 42), b = one_set(8, MMU_POLICY_RANDOM, 42),
           c = one_set(8, MMU_POLICY_RANDOM, 43);
    for (uint64_t t = 0; t < 8; t++) {
        use(&a, t);
        use(&b, t);
        use(&c, t);
    }
    int differ = 0;
    unsigned seen = 0;
    for (int k = 0; k < 1000; k++) {
        uint64_t va = mmu_sa_victim(&a, 0), vb = mmu_sa_victim(&b, 0), vc = mmu_sa_victim(&c, 0);
        ck_assert_uint_eq(va, vb);
        ck_assert_uint_lt(va, 8);
        seen |= 1u << va;
        differ += va != vc;
    }
    ck_assert_uint_eq(seen, 0xff);
    ck_assert_int_gt(differ, 0);
    mmu_sa_fini(&a);
    mmu_sa_fini(&b);
    mmu_sa_fini(&c);
}
END_TEST

/* 32 stores to 32 lines through a 16-line L1D into an 8 KiB L2. */
static void store_lines(int n)
{
    for (int k = 0; k < n; k++)
        ref(VA_BASE + (uint64_t)k * 64, 8, MMU_REF_WRITE, NULL);
}

START_TEST(write_back_against_write_through)
{
    static const char *const modes[] = {"back-allocate", "through-allocate", "back-noallocate",
                                        "through-noallocate"};
    setup_format(&mmu_pt_format_x86_64);
    set("cache.l1d.size=1K");
    set("cache.l1d.ways=2");
    set("cache.l2.size=8K");
    set("cache.l2.ways=4");
    char s[64];
    g_snprintf(s, sizeof s, "cache.l1d.write=%s", modes[_i]);
    set(s);
    build();
    map_pages(1);
    store_lines(32);
    const mmu_struct_stats *l1 = &st()->cache[MMU_ORIGIN_GUEST][TR_CACHE_L1D];
    const mmu_struct_stats *l2 = &st()->cache[MMU_ORIGIN_GUEST][TR_CACHE_L2];
    ck_assert_uint_eq(l1->write_misses, 32);
    ck_assert_uint_eq(l1->read_misses, 0);
    switch (_i) {
    case 0: /* 32 fills; the first 16 lines leave dirty */
        ck_assert_uint_eq(l1->evictions, 16);
        ck_assert_uint_eq(l1->writebacks, 16);
        ck_assert_uint_eq(l2->accesses, 32 + 16);
        ck_assert_uint_eq(l2->write_misses, 32);
        ck_assert_uint_eq(l2->hits, 16);
        break;
    case 1: /* 32 fills and 32 stores passed on; nothing dirty to write back */
        ck_assert_uint_eq(l1->evictions, 16);
        ck_assert_uint_eq(l1->writebacks, 0);
        ck_assert_uint_eq(l2->accesses, 64);
        ck_assert_uint_eq(l2->hits, 32);
        break;
    default: /* no fill: every store goes on to L2, L1 stays empty */
        ck_assert_uint_eq(l1->evictions, 0);
        ck_assert_uint_eq(l1->writebacks, 0);
        ck_assert_uint_eq(l2->accesses, 32);
        ck_assert_uint_eq(l2->misses, 32);
        mmu_hw_stats_reset(hw);
        for (int k = 0; k < 32; k++)
            ref(VA_BASE + (uint64_t)k * 64, 8, MMU_REF_READ, NULL);
        ck_assert_uint_eq(l1->read_misses, 32);
        ck_assert_uint_eq(l2->hits, 32);
        break;
    }
    ck_assert_uint_eq(st()->memory_writes[MMU_ORIGIN_GUEST], 0);
    teardown_all();
}
END_TEST

/* Fills the TLBs with pages 0..3 of ASID 1 and the global page 4. */
static void make_global(uint64_t va)
{
    mmu_walk w;
    mmu_pt_walk(pt, va, &w);
    ck_assert(w.present);
    uint64_t *leaf = mmu_phys_ptr(fx.mem, w.entry_pa[MMU_PT_LEAF_LEVEL]);
    const mmu_pt_ad *ad = mmu_pt_ad_of(pt->fmt);
    if (ad->global_if_set)
        *leaf |= ad->global;
    else
        *leaf &= ~ad->global;
}

static uint64_t misses_of(uint64_t va)
{
    uint64_t before = st()->tlb[TR_TLB_L1D].misses;
    ref(va, 8, MMU_REF_READ, NULL);
    return st()->tlb[TR_TLB_L1D].misses - before;
}

START_TEST(shootdowns_remove_exactly_their_entries)
{
    setup_format(format_of(_i));
    set("tlb.l1d.entries=16");
    set("tlb.l2.entries=64");
    set("tlb.l2.ways=4");
    build();
    map_pages(5);
    make_global(VA_BASE + 4 * 4096);
    for (int p = 0; p < 5; p++)
        ref(VA_BASE + (uint64_t)p * 4096, 8, MMU_REF_READ, NULL);

    /* unmap page 1 and map it to another frame: the next access must miss */
    ck_assert_uint_eq(mmu_pt_unmap(pt, VA_BASE + 4096, 4096), 1);
    mmu_hw_shootdown(hw, TR_SHOOTDOWN_ADDR, ASID, VA_BASE + 4096, 4096);
    ck_assert_uint_eq(st()->shootdowns[TR_SHOOTDOWN_ADDR], 1);
    ck_assert_uint_eq(st()->shootdown_entries, 2); /* L1D and L2 */
    ck_assert(mmu_pt_map(pt, VA_BASE + 4096, DATA_PA + 64 * 4096, MMU_PERM_READ, MMU_CACHE_CACHED));
    mmu_hw_outcome o;
    uint64_t l2_misses = st()->tlb[TR_TLB_L2].misses;
    ref(VA_BASE + 4096, 8, MMU_REF_READ, &o);
    ck_assert_int_eq(o.xlate, MMU_XLATE_WALK);
    ck_assert_uint_eq(st()->tlb[TR_TLB_L2].misses, l2_misses + 1);
    ck_assert_uint_eq(misses_of(VA_BASE), 0); /* the neighbour stays */

    /* another address space's shootdown removes nothing of ours */
    mmu_hw_shootdown(hw, TR_SHOOTDOWN_ASID, ASID + 1, 0, 0);
    ck_assert_uint_eq(misses_of(VA_BASE + 2 * 4096), 0);

    /* by ASID: every non-global entry of ASID 1 goes, the global one stays */
    mmu_hw_shootdown(hw, TR_SHOOTDOWN_ASID, ASID, 0, 0);
    ck_assert_uint_eq(st()->shootdowns[TR_SHOOTDOWN_ASID], 2);
    ck_assert_uint_eq(misses_of(VA_BASE + 4 * 4096), 0);
    ck_assert_uint_eq(misses_of(VA_BASE + 3 * 4096), 1);

    /* all: the global entry goes too */
    mmu_hw_shootdown(hw, TR_SHOOTDOWN_ALL, 0, 0, 0);
    ck_assert_uint_eq(st()->shootdowns[TR_SHOOTDOWN_ALL], 1);
    ck_assert_uint_eq(misses_of(VA_BASE + 4 * 4096), 1);
    teardown_all();
}
END_TEST

/* A walk reads one entry per level; the walker sets the accessed bits the
 * architecture sets (x86: A on every level, D on a written leaf; arm64: AF
 * on the leaf) in the real entries. */
START_TEST(walk_reads_and_accessed_dirty_bits)
{
    const mmu_pt_format *fmt = format_of(_i);
    setup_format(fmt);
    set("tlb.l1d.entries=4");
    build();
    map_pages(1);
    const mmu_pt_ad *ad = mmu_pt_ad_of(fmt);
    mmu_walk w;
    mmu_pt_walk(pt, VA_BASE, &w);
    ck_assert_int_eq(w.levels_read, 4);
    uint64_t *e[4];
    for (int l = 0; l < 4; l++) {
        e[l] = mmu_phys_ptr(fx.mem, w.entry_pa[l]);
        *e[l] &= ~(ad->accessed | ad->dirty);
    }
    ref(VA_BASE, 8, MMU_REF_READ, NULL);
    ck_assert_uint_eq(st()->walks, 1);
    for (int l = 0; l < 4; l++)
        ck_assert_uint_eq(st()->walk_entry_reads[l], 1);
    for (int l = 0; l < 3; l++)
        ck_assert_uint_eq(*e[l] & ad->accessed, ad->accessed_upper ? ad->accessed : 0);
    ck_assert_uint_eq(*e[3] & ad->accessed, ad->accessed);
    if (ad->dirty)
        ck_assert_uint_eq(*e[3] & ad->dirty, 0);
    /* a store through the TLB entry marks the leaf dirty without a walk */
    ref(VA_BASE + 16, 8, MMU_REF_WRITE, NULL);
    ck_assert_uint_eq(st()->walks, 1);
    if (ad->dirty)
        ck_assert_uint_eq(*e[3] & ad->dirty, ad->dirty);
    ck_assert_uint_eq(st()->ad_updates, fmt == &mmu_pt_format_x86_64 ? 5 : 1);
    teardown_all();
}
END_TEST

/* Pages in one 2 MiB region share their upper three entries: with a walk
 * cache the second walk reads only the leaf. */
START_TEST(walk_cache_skips_upper_levels)
{
    setup_format(format_of(_i));
    set("tlb.l1d.entries=4");
    set("walk_cache.entries=4");
    build();
    map_pages(2);
    mmu_hw_outcome o;
    ref(VA_BASE, 8, MMU_REF_READ, &o);
    ck_assert_int_eq(o.walk_reads, 4);
    ck_assert_int_eq(o.walk_cache_hits, 0);
    ref(VA_BASE + 4096, 8, MMU_REF_READ, &o);
    ck_assert_int_eq(o.walk_reads, 1);
    ck_assert_int_eq(o.walk_cache_hits, 3);
    ck_assert_uint_eq(st()->walk_entry_reads[0], 1);
    ck_assert_uint_eq(st()->walk_entry_reads[2], 1);
    ck_assert_uint_eq(st()->walk_entry_reads[3], 2);
    ck_assert_uint_eq(st()->walk_cache.hits, 1);
    ck_assert_uint_eq(st()->walk_cache.misses, 1);
    ck_assert_uint_eq(st()->walk_cache_skipped, 3);
    /* an address shootdown of the region forgets the cached table entries */
    mmu_hw_shootdown(hw, TR_SHOOTDOWN_ADDR, ASID, VA_BASE, 2 * 4096);
    ref(VA_BASE + 4096, 8, MMU_REF_READ, &o);
    ck_assert_int_eq(o.walk_reads, 4);
    teardown_all();
}
END_TEST

/* Walk entry reads enter the data caches at the profile's level. */
START_TEST(walk_reads_enter_the_configured_level)
{
    setup_format(&mmu_pt_format_x86_64);
    set("tlb.l1d.entries=4");
    set("cache.l1d.size=1K");
    set("cache.l2.size=8K");
    set(_i == 0 ? "walk.enter=l1d" : _i == 1 ? "walk.enter=l2" : "walk.enter=memory");
    build();
    map_pages(1);
    ref(VA_BASE, 8, MMU_REF_READ, NULL);
    const mmu_struct_stats *l1 = &st()->cache[MMU_ORIGIN_GUEST][TR_CACHE_L1D];
    const mmu_struct_stats *l2 = &st()->cache[MMU_ORIGIN_GUEST][TR_CACHE_L2];
    /* the data reference itself: one L1 access, one L2 access (a miss) */
    ck_assert_uint_eq(l1->accesses, _i == 0 ? 5 : 1);
    ck_assert_uint_eq(l2->accesses, _i == 2 ? 1 : 5);
    ck_assert_uint_eq(st()->memory_reads[MMU_ORIGIN_GUEST], 5);
    teardown_all();
}
END_TEST

START_TEST(cache_ops_clean_invalidate_sync)
{
    setup_format(&mmu_pt_format_arm64);
    set("cache.l1d.size=1K");
    set("cache.l2.size=8K");
    build();
    map_pages(1);
    uint64_t pa = DATA_PA;
    const mmu_struct_stats *l1 = &st()->cache[MMU_ORIGIN_GUEST][TR_CACHE_L1D];

    ref(VA_BASE, 8, MMU_REF_WRITE, NULL);
    /* CLEAN: L1 writes the line back into L2, which writes it to memory */
    mmu_hw_cache_op(hw, pa, 64, MMU_CACHE_OP_CLEAN);
    ck_assert_uint_eq(st()->cache_op_writebacks, 2);
    ck_assert_uint_eq(st()->memory_writes[MMU_ORIGIN_KERNEL], 1);
    ck_assert_uint_eq(st()->cache_op_dropped, 0);
    ref(VA_BASE, 8, MMU_REF_READ, NULL);
    ck_assert_uint_eq(l1->misses, 1);                /* still there */
    mmu_hw_cache_op(hw, pa, 64, MMU_CACHE_OP_CLEAN); /* clean now: nothing to do */
    ck_assert_uint_eq(st()->cache_op_writebacks, 2);

    /* INVALIDATE drops a dirty line without writing it */
    ref(VA_BASE, 8, MMU_REF_WRITE, NULL);
    mmu_hw_cache_op(hw, pa, 64, MMU_CACHE_OP_INVALIDATE);
    ck_assert_uint_eq(st()->cache_op_writebacks, 2);
    ck_assert_uint_eq(st()->cache_op_dropped, 2);
    ref(VA_BASE, 8, MMU_REF_READ, NULL);
    ck_assert_uint_eq(l1->misses, 2);

    /* CLEAN_INVALIDATE: written back, then dropped, at both levels */
    ref(VA_BASE, 8, MMU_REF_WRITE, NULL);
    mmu_hw_cache_op(hw, pa, 64, MMU_CACHE_OP_CLEAN_INVALIDATE);
    ck_assert_uint_eq(st()->cache_op_writebacks, 4);
    ck_assert_uint_eq(st()->cache_op_dropped, 4);
    ref(VA_BASE, 8, MMU_REF_READ, NULL);
    ck_assert_uint_eq(l1->misses, 3);

    /* SYNC is counted and changes nothing */
    mmu_hw_cache_op(hw, pa, 4096, MMU_CACHE_OP_SYNC);
    ref(VA_BASE, 8, MMU_REF_READ, NULL);
    ck_assert_uint_eq(l1->misses, 3);
    ck_assert_uint_eq(st()->cache_ops[MMU_CACHE_OP_CLEAN], 2);
    ck_assert_uint_eq(st()->cache_ops[MMU_CACHE_OP_INVALIDATE], 1);
    ck_assert_uint_eq(st()->cache_ops[MMU_CACHE_OP_CLEAN_INVALIDATE], 1);
    ck_assert_uint_eq(st()->cache_ops[MMU_CACHE_OP_SYNC], 1);
    teardown_all();
}
END_TEST

/* By hand: L1D 1, L2 10, memory 100, L2 TLB 5, walk 10, walk reads from
 * memory. A cold read: 5 + 10 + 4 * 100 translation, 100 - 1 data = 514.
 * The same line again: 0. The next line: 99. Three instructions. */
START_TEST(cost_model_by_hand)
{
    setup_format(&mmu_pt_format_x86_64);
    set("tlb.l1d.entries=4");
    set("tlb.l2.entries=16");
    set("cache.l1d.size=1K");
    set("cache.l2.size=8K");
    set("walk.enter=memory");
    set("cost.l1d=1");
    set("cost.l2=10");
    set("cost.memory=100");
    set("cost.tlb_l2=5");
    set("cost.walk=10");
    set("machine.clock_mhz=2");
    build();
    map_pages(1);
    mmu_hw_outcome o;
    ck_assert_uint_eq(ref(VA_BASE, 8, MMU_REF_READ, &o), 514);
    ck_assert_int_eq(o.served_by, TR_CACHE_LEVELS);
    ck_assert_uint_eq(ref(VA_BASE + 8, 8, MMU_REF_READ, &o), 0);
    ck_assert_int_eq(o.served_by, TR_CACHE_L1D);
    ck_assert_int_eq(o.xlate, MMU_XLATE_L1);
    ck_assert_uint_eq(ref(VA_BASE + 64, 8, MMU_REF_READ, NULL), 99);
    mmu_hw_retire(hw, 3);
    ck_assert_uint_eq(mmu_hw_cycles(hw), 3 + 514 + 99);
    ck_assert_uint_eq(st()->references, 3);
    ck_assert_uint_eq(st()->reference_cycles, 1 + 514 + 1 + 0 + 1 + 99);
    ck_assert_uint_eq(mmu_hw_time_ns(hw), 616 * 500); /* 2 MHz: 500 ns a cycle */
    GString *j = g_string_new(NULL);
    mmu_hw_stats_json(hw, j);
    ck_assert_ptr_nonnull(strstr(j->str, "\"cost.cycles\": 616,"));
    ck_assert_ptr_nonnull(strstr(j->str, "\"cost.cpi\": 205.333333,"));
    ck_assert_ptr_nonnull(strstr(j->str, "\"cost.amat\": 205.333333\n"));
    ck_assert_ptr_nonnull(strstr(j->str, "\"cache.l1d.read_misses\": 2,"));
    ck_assert_ptr_nonnull(strstr(j->str, "\"tlb.l1d.misses\": 1,"));
    g_string_free(j, TRUE);
    teardown_all();
}
END_TEST

/* An 8-byte read at offset 60 of a line: two references when split, one
 * (a miss if either line misses) under valgrind's rule. */
START_TEST(straddles_split_or_one)
{
    setup_format(&mmu_pt_format_x86_64);
    set("tlb.l1d.entries=4");
    set("cache.l1d.size=1K");
    set("cache.l2.size=8K");
    if (_i)
        set("cache.straddle=one");
    build();
    map_pages(2);
    mmu_hw_outcome o;
    ref(VA_BASE + 60, 8, MMU_REF_READ, &o);
    const mmu_struct_stats *l1 = &st()->cache[MMU_ORIGIN_GUEST][TR_CACHE_L1D];
    const mmu_struct_stats *l2 = &st()->cache[MMU_ORIGIN_GUEST][TR_CACHE_L2];
    ck_assert_uint_eq(o.pieces, 2);
    ck_assert_uint_eq(st()->references, _i ? 1 : 2);
    ck_assert_uint_eq(l1->accesses, _i ? 1 : 2);
    ck_assert_uint_eq(l1->misses, _i ? 1 : 2);
    ck_assert_uint_eq(l2->accesses, _i ? 1 : 2);
    /* four entry reads of the walk; one memory read per line, or one for
     * the whole reference under valgrind's rule */
    ck_assert_uint_eq(st()->memory_reads[MMU_ORIGIN_GUEST], _i ? 4 + 1 : 4 + 2);
    /* the second line alone now hits, under both rules */
    ref(VA_BASE + 64, 8, MMU_REF_READ, NULL);
    ck_assert_uint_eq(l1->misses, _i ? 1 : 2);
    /* across a page: two translations, the second page's own frame */
    ref(VA_BASE + 4092, 8, MMU_REF_READ, &o);
    ck_assert_uint_eq(o.pieces, 2);
    ck_assert_uint_eq(st()->walks, 2);
    ck_assert_uint_eq(st()->memory_reads[MMU_ORIGIN_GUEST], _i ? 2 * (4 + 1) : 2 * (4 + 2));
    teardown_all();
}
END_TEST

START_TEST(kernel_references_apart)
{
    setup_format(&mmu_pt_format_arm64);
    set("cache.l1d.size=1K");
    build();
    map_pages(1);
    mmu_hw_kernel_access(hw, DATA_PA + 32, 256, true); /* 5 lines */
    ck_assert_uint_eq(st()->kernel_references, 5);
    ck_assert_uint_eq(st()->cache[MMU_ORIGIN_KERNEL][TR_CACHE_L1D].write_misses, 5);
    ck_assert_uint_eq(st()->cache[MMU_ORIGIN_GUEST][TR_CACHE_L1D].accesses, 0);
    ck_assert_uint_eq(st()->references, 0);
    ck_assert_uint_eq(mmu_hw_cycles(hw), 0);
    /* the guest then finds the kernel's lines in the cache */
    ref(VA_BASE + 32, 8, MMU_REF_READ, NULL);
    ck_assert_uint_eq(st()->cache[MMU_ORIGIN_GUEST][TR_CACHE_L1D].hits, 1);
    teardown_all();
}
END_TEST

typedef struct counts {
    int by_kind[TR_EV_KINDS];
    int tlb_ops[3];
} counts;

static void count_event(void *ctx, const tr_event *ev)
{
    counts *c = ctx;
    c->by_kind[ev->kind]++;
    if (ev->kind == TR_EV_TLB)
        c->tlb_ops[ev->u.tlb.op]++;
}

START_TEST(events_only_when_asked)
{
    setup_format(&mmu_pt_format_x86_64);
    set("tlb.l1d.entries=2");
    set("cache.l1d.size=1K");
    build();
    map_pages(3);
    counts c = {0};
    tr_sink sink = {.emit = count_event, .ctx = &c};
    mmu_hw_set_trace(hw, &sink, (1u << TR_EV_TLB) | (1u << TR_EV_WALK));
    for (int p = 0; p < 3; p++)
        ref(VA_BASE + (uint64_t)p * 4096, 8, MMU_REF_READ, NULL);
    ck_assert_int_eq(c.tlb_ops[TR_TLB_MISS], 3);
    ck_assert_int_eq(c.tlb_ops[TR_TLB_FILL], 3);
    ck_assert_int_eq(c.tlb_ops[TR_TLB_EVICT], 1);
    ck_assert_int_eq(c.by_kind[TR_EV_WALK], 3);
    ck_assert_int_eq(c.by_kind[TR_EV_CACHE], 0);
    mmu_hw_set_trace(hw, &sink, 1u << TR_EV_CACHE);
    ref(VA_BASE + 3 * 64, 8, MMU_REF_READ, NULL);
    ck_assert_int_eq(c.by_kind[TR_EV_CACHE], 1);
    ck_assert_int_eq(c.by_kind[TR_EV_WALK], 3);
    mmu_hw_set_trace(hw, NULL, ~0u);
    ref(VA_BASE + 5 * 64, 8, MMU_REF_READ, NULL);
    ck_assert_int_eq(c.by_kind[TR_EV_CACHE], 1);
    teardown_all();
}
END_TEST

/* The general path (here: a reference asking for its outcome) and the
 * all-hit path share the replacement state: X, Y, X, Y (all-hit), X
 * (general) leaves X the most recent, so Z evicts Y and X still hits. */
START_TEST(both_paths_keep_lru_order)
{
    setup_format(&mmu_pt_format_x86_64);
    set("tlb.l1d.entries=4");
    set("cache.l1d.size=1K");
    set("cache.l1d.ways=2");
    build();
    map_pages(1);
    mmu_hw_outcome o;
    uint64_t x = VA_BASE, y = VA_BASE + 512, z = VA_BASE + 1024; /* one set */
    ref(x, 8, MMU_REF_READ, &o);
    ref(y, 8, MMU_REF_READ, &o);
    ref(x, 8, MMU_REF_READ, &o);
    ref(y, 8, MMU_REF_READ, NULL);
    ref(x, 8, MMU_REF_READ, &o);
    ref(z, 8, MMU_REF_READ, NULL);
    const mmu_struct_stats *l1 = &st()->cache[MMU_ORIGIN_GUEST][TR_CACHE_L1D];
    ck_assert_uint_eq(l1->misses, 3);
    ref(x, 8, MMU_REF_READ, &o);
    ck_assert_int_eq(o.served_by, TR_CACHE_L1D);
    ck_assert_uint_eq(l1->misses, 3);
    ref(y, 8, MMU_REF_READ, &o);
    ck_assert_uint_eq(l1->misses, 4);
    teardown_all();
}
END_TEST

/* A block's fetches replayed with mmu_hw_fetch_hits count exactly what
 * running them again would, and the epoch moves on anything else that
 * changes the fetch side: a fetch that misses, a shootdown. */
START_TEST(fetch_replay_counts_as_the_fetches)
{
    setup_format(&mmu_pt_format_x86_64);
    set("tlb.l1i.entries=4");
    set("cache.l1i.size=1K");
    set("cache.l1i.ways=2");
    build();
    map_pages(2);
    uint64_t block[] = {VA_BASE + 4032, VA_BASE + 4096}; /* two lines, two pages */
    uint64_t e0 = mmu_hw_fetch_epoch(hw);
    for (int k = 0; k < 2; k++)
        ref(block[k], 64, MMU_REF_FETCH, NULL);
    uint64_t e1 = mmu_hw_fetch_epoch(hw);
    ck_assert_uint_ne(e1, e0); /* the first run missed */
    for (int k = 0; k < 2; k++)
        ref(block[k], 64, MMU_REF_FETCH, NULL);
    ck_assert_uint_eq(mmu_hw_fetch_epoch(hw), e1); /* all hits: nothing moved */
    mmu_hw_stats ran = *st();
    mmu_hw_fetch_hits(hw, 2);
    for (int k = 0; k < 2; k++)
        ref(block[k], 64, MMU_REF_FETCH, NULL);
    const mmu_hw_stats *now = st();
    ck_assert_uint_eq(now->tlb[TR_TLB_L1I].accesses, ran.tlb[TR_TLB_L1I].accesses + 4);
    ck_assert_uint_eq(now->tlb[TR_TLB_L1I].hits, ran.tlb[TR_TLB_L1I].hits + 4);
    ck_assert_uint_eq(now->cache[MMU_ORIGIN_GUEST][TR_CACHE_L1I].accesses,
                      ran.cache[MMU_ORIGIN_GUEST][TR_CACHE_L1I].accesses + 4);
    ck_assert_uint_eq(now->cache[MMU_ORIGIN_GUEST][TR_CACHE_L1I].hits,
                      ran.cache[MMU_ORIGIN_GUEST][TR_CACHE_L1I].hits + 4);
    ck_assert_uint_eq(now->references, ran.references + 4);
    ck_assert_uint_eq(now->reference_cycles,
                      ran.reference_cycles + 4 * cfg->cost.cache[TR_CACHE_L1I]);
    ck_assert_uint_eq(mmu_hw_fetch_epoch(hw), e1);
    mmu_hw_shootdown(hw, TR_SHOOTDOWN_ADDR, ASID, VA_BASE, 4096);
    ck_assert_uint_ne(mmu_hw_fetch_epoch(hw), e1);
    teardown_all();
}
END_TEST

/* A reference LRU (or FIFO), written the obvious way: each set a list,
 * most recently used (or filled) first. */
typedef struct ref_lru {
    uint64_t tags[64][16];
    int used[64];
    unsigned sets, ways;
    bool fifo; /* a hit leaves the order alone */
} ref_lru;

static bool ref_lru_access(ref_lru *r, uint64_t tag)
{
    unsigned set = (unsigned)(tag % r->sets);
    uint64_t *t = r->tags[set];
    int n = r->used[set], at = -1;
    for (int i = 0; i < n; i++)
        if (t[i] == tag)
            at = i;
    bool hit = at >= 0;
    if (hit && r->fifo)
        return true;
    if (!hit)
        at = n < (int)r->ways ? r->used[set]++ : n - 1;
    memmove(t + 1, t, (size_t)at * sizeof *t);
    t[0] = tag;
    return hit;
}

/* A long seeded random stream of loads, stores, straddles and references
 * asking for their outcome (which take the general path), against the
 * reference model: the TLB's and the cache's misses agree exactly, under
 * LRU and under FIFO, on both formats. */
START_TEST(lru_matches_a_reference_model)
{
    bool fifo = _i >= 2;
    setup_format(format_of(_i % 2));
    set("tlb.l1d.entries=4");
    set("tlb.l1d.ways=2");
    set("cache.l1d.size=1K");
    set("cache.l1d.ways=2");
    if (fifo) {
        set("tlb.l1d.policy=fifo");
        set("cache.l1d.policy=fifo");
    }
    build();
    map_pages(6);
    ref_lru tlb = {.sets = 2, .ways = 2, .fifo = fifo},
            cache = {.sets = 8, .ways = 2, .fifo = fifo};
    uint64_t tlb_misses = 0, cache_misses = 0, x = 99;
    for (int n = 0; n < 20000; n++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        /* 6 pages, 3 per TLB set; 24 lines, 3 per cache set: hits and
         * misses both common */
        uint64_t page = (x >> 33) % 6, off = (x >> 20) % 256;
        unsigned size = ((x >> 10) & 7) == 0 ? 8 : 4;
        uint64_t va = VA_BASE + page * 4096 + off;
        mmu_ref_kind kind = (x >> 14) & 1 ? MMU_REF_WRITE : MMU_REF_READ;
        mmu_hw_outcome o;
        ref(va, size, kind, ((x >> 16) & 3) == 0 ? &o : NULL);
        tlb_misses += !ref_lru_access(&tlb, va >> 12);
        /* page i is frame DATA_PA + i pages: physical line numbers */
        uint64_t first = (DATA_PA + page * 4096 + off) >> 6;
        uint64_t last = (DATA_PA + page * 4096 + off + size - 1) >> 6;
        for (uint64_t l = first; l <= last; l++)
            cache_misses += !ref_lru_access(&cache, l);
    }
    ck_assert_uint_eq(st()->tlb[TR_TLB_L1D].misses, tlb_misses);
    ck_assert_uint_eq(st()->cache[MMU_ORIGIN_GUEST][TR_CACHE_L1D].misses, cache_misses);
    ck_assert_uint_gt(cache_misses, 2000);
    ck_assert_uint_lt(cache_misses, 18000);
    ck_assert_uint_gt(tlb_misses, 2000);
    ck_assert_uint_lt(tlb_misses, 18000);
    teardown_all();
}
END_TEST

static Suite *hw_suite(void)
{
    Suite *s = suite_create("hw");
    TCase *tc = tcase_create("model");
    tcase_add_loop_test(tc, tlb_sweep_fully_associative_lru, 0, 8);
    tcase_add_test(tc, tlb_set_conflicts);
    tcase_add_test(tc, cache_set_conflicts);
    tcase_add_test(tc, plru_victim_sequence);
    tcase_add_test(tc, fifo_and_random_are_deterministic);
    tcase_add_loop_test(tc, write_back_against_write_through, 0, 4);
    tcase_add_loop_test(tc, shootdowns_remove_exactly_their_entries, 0, 2);
    tcase_add_loop_test(tc, walk_reads_and_accessed_dirty_bits, 0, 2);
    tcase_add_loop_test(tc, walk_cache_skips_upper_levels, 0, 2);
    tcase_add_loop_test(tc, walk_reads_enter_the_configured_level, 0, 3);
    tcase_add_test(tc, cache_ops_clean_invalidate_sync);
    tcase_add_test(tc, cost_model_by_hand);
    tcase_add_loop_test(tc, straddles_split_or_one, 0, 2);
    tcase_add_test(tc, kernel_references_apart);
    tcase_add_test(tc, events_only_when_asked);
    tcase_add_loop_test(tc, lru_matches_a_reference_model, 0, 4);
    tcase_add_test(tc, both_paths_keep_lru_order);
    tcase_add_test(tc, fetch_replay_counts_as_the_fetches);
    tcase_add_test(tc, probes_are_read_only);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(hw_suite());
}

/* The page-table code of both formats, without a CPU: entries are checked
 * bit by bit, walks level by level, and every table frame is accounted. */
#include "mmu/page_table.h"

#include "check_main.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAM (16u << 20)

typedef struct frames {
    mmu_physmem *mem;
    uint64_t next;
    GArray *free;
    uint64_t live;
} frames;

static bool take(void *ctx, uint64_t *pa)
{
    frames *f = ctx;
    if (f->free->len) {
        *pa = g_array_index(f->free, uint64_t, f->free->len - 1);
        g_array_set_size(f->free, f->free->len - 1);
    } else if (f->next + 4096 <= f->mem->size) {
        *pa = f->next;
        f->next += 4096;
    } else {
        return false;
    }
    memset(mmu_phys_ptr(f->mem, *pa), 0, 4096);
    f->live++;
    return true;
}

static void give(void *ctx, uint64_t pa)
{
    frames *f = ctx;
    g_array_append_val(f->free, pa);
    f->live--;
}

static frames *fx;
static mmu_page_table *pt;

static void setup_with(const mmu_pt_format *fmt)
{
    fx = g_new0(frames, 1);
    fx->mem = mmu_physmem_new(RAM, NULL);
    fx->next = 1u << 20; /* keep low memory for "data" frames */
    fx->free = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    pt = mmu_pt_create(fmt, fx->mem, (mmu_frame_source){take, give, fx});
    ck_assert_ptr_nonnull(pt);
}

static void teardown(void)
{
    mmu_pt_destroy(pt);
    ck_assert_uint_eq(fx->live, 0);
    g_array_free(fx->free, TRUE);
    mmu_physmem_free(fx->mem);
    g_free(fx);
}

static const mmu_pt_format *format_for(int i)
{
    return i == 0 ? &mmu_pt_format_arm64 : &mmu_pt_format_x86_64;
}

START_TEST(map_lookup_and_tables)
{
    setup_with(format_for(_i));
    ck_assert_uint_eq(pt->table_frames, 1);
    ck_assert(mmu_pt_map(pt, 0x10000000, 0x3000, MMU_PERM_READ, MMU_CACHE_CACHED));
    /* One new table per level below the root. */
    ck_assert_uint_eq(pt->table_frames, 4);
    uint64_t pa;
    unsigned perms;
    ck_assert(mmu_pt_lookup(pt, 0x10000123, &pa, &perms));
    ck_assert_uint_eq(pa, 0x3123);
    ck_assert_uint_eq(perms, MMU_PERM_READ);
    ck_assert(!mmu_pt_lookup(pt, 0x10001000, &pa, &perms));
    /* A neighbour in the same last-level table needs no new table. */
    ck_assert(mmu_pt_map(pt, 0x10001000, 0x4000, MMU_PERM_READ | MMU_PERM_WRITE, MMU_CACHE_CACHED));
    ck_assert_uint_eq(pt->table_frames, 4);
    /* 1 GiB away shares only the top two levels. */
    ck_assert(mmu_pt_map(pt, 0x50000000, 0x5000, MMU_PERM_READ, MMU_CACHE_CACHED));
    ck_assert_uint_eq(pt->table_frames, 6);
    teardown();
}
END_TEST

START_TEST(walk_reports_each_level)
{
    setup_with(format_for(_i));
    uint64_t va = 0x00007f1234567000ull;
    ck_assert(mmu_pt_map(pt, va, 0x6000, MMU_PERM_READ | MMU_PERM_EXEC, MMU_CACHE_CACHED));
    mmu_walk w;
    mmu_pt_walk(pt, va + 0x10, &w);
    ck_assert(w.present);
    ck_assert_int_eq(w.levels_read, 4);
    ck_assert_uint_eq(w.pa, 0x6010);
    ck_assert_uint_eq(w.perms, MMU_PERM_READ | MMU_PERM_EXEC);
    /* The level-0 entry sits in the root at index bits 47..39 of va. */
    ck_assert_uint_eq(w.entry_pa[0], pt->root + 8 * ((va >> 39) & 511));
    for (int l = 0; l < 3; l++)
        ck_assert_uint_eq(w.entry_pa[l + 1] & ~0xfffull, mmu_pte_address(pt->fmt, w.entry[l]));
    ck_assert_uint_eq(w.entry_pa[3] & 0xfff, 8 * ((va >> 12) & 511));
    /* An unmapped address stops at the first missing table. */
    mmu_pt_walk(pt, 0x1000, &w);
    ck_assert(!w.present);
    ck_assert_int_eq(w.levels_read, 1);
    /* Non-canonical / beyond 48 bits: nothing. */
    mmu_pt_walk(pt, 1ull << 48, &w);
    ck_assert(!w.present);
    teardown();
}
END_TEST

START_TEST(unmap_frees_empty_tables)
{
    setup_with(format_for(_i));
    for (uint64_t i = 0; i < 600; i++)
        ck_assert(mmu_pt_map(pt, 0x40000000 + i * 4096, 0x1000 * (i % 200 + 1), MMU_PERM_READ,
                             MMU_CACHE_CACHED));
    /* 600 pages span two last-level tables. */
    ck_assert_uint_eq(pt->table_frames, 5);
    ck_assert_uint_eq(mmu_pt_unmap(pt, 0x40000000, 512 * 4096), 512);
    ck_assert_uint_eq(pt->table_frames, 4);
    ck_assert_uint_eq(mmu_pt_unmap(pt, 0x40000000, 600 * 4096), 88);
    ck_assert_uint_eq(pt->table_frames, 1);
    /* Unmapping nothing changes nothing. */
    ck_assert_uint_eq(mmu_pt_unmap(pt, 0x40000000, 1ull << 40), 0);
    ck_assert_uint_eq(mmu_pt_unmap(pt, UINT64_MAX - 4095, 4096), 0);
    teardown();
}
END_TEST

START_TEST(narrow_keeps_attributes)
{
    setup_with(format_for(_i));
    ck_assert(mmu_pt_map(pt, 0x200000, 0x7000, MMU_PERM_READ | MMU_PERM_WRITE, MMU_CACHE_UNCACHED));
    ck_assert(mmu_pt_map(pt, 0x201000, 0x8000, MMU_PERM_READ, MMU_CACHE_UNCACHED));
    mmu_walk before, after;
    mmu_pt_walk(pt, 0x200000, &before);
    /* Only the writable page loses something. */
    ck_assert_uint_eq(mmu_pt_narrow(pt, 0x200000, 0x2000, MMU_PERM_READ), 1);
    mmu_pt_walk(pt, 0x200000, &after);
    ck_assert_uint_eq(after.perms, MMU_PERM_READ);
    /* Same frame and cache attributes; only the permission bits moved. */
    uint64_t diff = before.entry[3] ^ after.entry[3];
    uint64_t perm_bits =
        _i == 0 ? ((1ull << 7) | (1ull << 6) | (1ull << 54)) : ((1ull << 1) | (1ull << 63));
    ck_assert_uint_eq(diff & ~perm_bits, 0);
    /* Narrowing to nothing removes the entries. */
    ck_assert_uint_eq(mmu_pt_narrow(pt, 0x200000, 0x2000, 0), 2);
    uint64_t pa;
    unsigned perms;
    ck_assert(!mmu_pt_lookup(pt, 0x201000, &pa, &perms));
    teardown();
}
END_TEST

START_TEST(out_of_table_frames)
{
    setup_with(format_for(_i));
    fx->next = fx->mem->size - 2 * 4096; /* room for two more tables only */
    ck_assert(!mmu_pt_map(pt, 0x10000000, 0x1000, MMU_PERM_READ, MMU_CACHE_CACHED));
    uint64_t pa;
    unsigned perms;
    ck_assert(!mmu_pt_lookup(pt, 0x10000000, &pa, &perms));
    teardown();
}
END_TEST

/* Bit-exact entries: these are what a teacher shows on the board. */
START_TEST(arm64_entry_bits)
{
    const mmu_pt_format *f = &mmu_pt_format_arm64;
    uint64_t e = f->leaf_entry(0x12345000, MMU_PERM_READ | MMU_PERM_WRITE, MMU_CACHE_CACHED);
    /* valid|page, AttrIndx 0, AP=01 (EL0 rw), SH inner, AF, nG, PXN, UXN */
    ck_assert_uint_eq(e, 0x0060000012345F43ull);
    e = f->leaf_entry(0x12345000, MMU_PERM_READ | MMU_PERM_EXEC, MMU_CACHE_CACHED);
    ck_assert_uint_eq(e, 0x0020000012345FC3ull);
    ck_assert_uint_eq(f->leaf_perms(e), MMU_PERM_READ | MMU_PERM_EXEC);
    /* Execute-only exists on arm64: AP=00 with UXN clear. */
    e = f->leaf_entry(0x1000, MMU_PERM_EXEC, MMU_CACHE_CACHED);
    ck_assert_uint_eq(f->leaf_perms(e), MMU_PERM_EXEC);
    ck_assert(f->execute_only);
    ck_assert_uint_eq(f->table_entry(0xabc000), 0xabc003);
    e = f->leaf_entry(0x1000, MMU_PERM_READ, MMU_CACHE_UNCACHED_DEVICE);
    ck_assert_uint_eq((e >> 2) & 7, 1);
}
END_TEST

START_TEST(x86_entry_bits)
{
    const mmu_pt_format *f = &mmu_pt_format_x86_64;
    uint64_t e = f->leaf_entry(0x12345000, MMU_PERM_READ | MMU_PERM_WRITE, MMU_CACHE_CACHED);
    /* P|RW|US|A|D, NX */
    ck_assert_uint_eq(e, 0x8000000012345067ull);
    e = f->leaf_entry(0x12345000, MMU_PERM_READ | MMU_PERM_EXEC, MMU_CACHE_CACHED);
    ck_assert_uint_eq(e, 0x0000000012345025ull);
    /* No execute-only: a present page is always readable. */
    ck_assert(!f->execute_only);
    ck_assert_uint_eq(f->leaf_perms(f->leaf_entry(0x1000, MMU_PERM_EXEC, MMU_CACHE_CACHED)),
                      MMU_PERM_READ | MMU_PERM_EXEC);
    ck_assert_uint_eq(f->table_entry(0xabc000), 0xabc007);
    e = f->leaf_entry(0x1000, MMU_PERM_READ, MMU_CACHE_UNCACHED);
    ck_assert_uint_eq(e & 0x18, 0x18);
}
END_TEST

START_TEST(describe_is_readable)
{
    GString *s = g_string_new(NULL);
    mmu_pt_format_arm64.describe(
        mmu_pt_format_arm64.leaf_entry(0x5000, MMU_PERM_READ, MMU_CACHE_CACHED), 3, s);
    ck_assert(strstr(s->str, "EL0 ro") != NULL);
    g_string_truncate(s, 0);
    mmu_pt_format_x86_64.describe(
        mmu_pt_format_x86_64.leaf_entry(0x5000, MMU_PERM_READ, MMU_CACHE_CACHED), 3, s);
    ck_assert(strstr(s->str, "RO") != NULL && strstr(s->str, "NX") != NULL);
    g_string_free(s, TRUE);
}
END_TEST

static Suite *page_table_suite(void)
{
    Suite *s = suite_create("page_table");
    TCase *tc = tcase_create("both formats");
    tcase_add_loop_test(tc, map_lookup_and_tables, 0, 2);
    tcase_add_loop_test(tc, walk_reports_each_level, 0, 2);
    tcase_add_loop_test(tc, unmap_frees_empty_tables, 0, 2);
    tcase_add_loop_test(tc, narrow_keeps_attributes, 0, 2);
    tcase_add_loop_test(tc, out_of_table_frames, 0, 2);
    tcase_add_test(tc, arm64_entry_bits);
    tcase_add_test(tc, x86_entry_bits);
    tcase_add_test(tc, describe_is_readable);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(page_table_suite());
}

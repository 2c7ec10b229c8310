/* The kernel's side of the hardware model. Shootdowns carry what they
 * remove: every kernel change that removes or narrows a translation makes
 * the TLB model forget it, so the next access to that page misses the L1
 * data TLB (and walks); each test first shows that a repeated access hits,
 * so the miss is the shootdown's doing. The kernel's own references (user
 * copies, zero-fills, copy-on-write copies) reach the model one per line,
 * and zx_vmo_op_range's cache ops act on the VMO's committed frames. The
 * model is the teaching profile's (64-byte lines), attached to the kernel
 * as in detailed mode; no CPU is involved. */
#include "vm_harness.h"

#include "mmu/hw.h"
#include "mmu/profile.h"

#define R  ZX_VM_PERM_READ
#define W  ZX_VM_PERM_WRITE
#define RW (R | W)

static mmu_hw *HW;

static void setup_model(void)
{
    GError *err = NULL;
    mmu_hw_config *cfg = mmu_profile_load("teaching", &err);
    ck_assert_msg(cfg != NULL, "teaching profile: %s", err ? err->message : "?");
    HW = mmu_hw_create(cfg, K->mem, &err);
    mmu_hw_config_free(cfg);
    ck_assert_msg(HW != NULL, "mmu_hw_create: %s", err ? err->message : "?");
    K->hw = HW;
    K->hw_counting = true;
}

static void setup(void)
{
    h_setup();
    setup_model();
}

static void setup_x86(void)
{
    h_setup_x86();
    setup_model();
}

static void teardown(void)
{
    h_teardown();
    mmu_hw_destroy(HW);
    HW = NULL;
}

static uint64_t l1d_misses(void)
{
    return mmu_hw_stats_get(HW)->tlb[TR_TLB_L1D].misses;
}

static uint64_t walks(void)
{
    return mmu_hw_stats_get(HW)->walks;
}

/* A guest read of va as detailed mode makes it: the CPU faults the page
 * in if needed, then the reference goes through the model. */
static void model_read(gva va)
{
    uint8_t b;
    EXPECT_OK(g_load8(va, &b));
    uint64_t pa;
    unsigned perms;
    ck_assert(mmu_pt_lookup(P->aspace->pt, va, &pa, &perms));
    mmu_hw_access(HW, P->aspace->pt, P->aspace->asid, va, pa, 1, MMU_REF_READ, NULL);
}

/* Reads va twice; the second read hits. Returns the misses so far. */
static uint64_t warm(gva va)
{
    model_read(va);
    uint64_t misses = l1d_misses(), w = walks();
    model_read(va);
    ck_assert_uint_eq(l1d_misses(), misses);
    ck_assert_uint_eq(walks(), w);
    return misses;
}

/* The shootdown happened (by address, in the kernel and the model) and
 * the next read of va misses and walks. */
static void expect_miss(gva va, uint64_t misses, uint64_t kernel_shootdowns)
{
    ck_assert_uint_gt(K->stats.shootdowns_by_kind[TR_SHOOTDOWN_ADDR], kernel_shootdowns);
    ck_assert_uint_eq(mmu_hw_stats_get(HW)->shootdowns[TR_SHOOTDOWN_ADDR],
                      K->stats.shootdowns_by_kind[TR_SHOOTDOWN_ADDR]);
    uint64_t w = walks();
    model_read(va);
    ck_assert_uint_eq(l1d_misses(), misses + 1);
    ck_assert_uint_eq(walks(), w + 1);
}

static gva root_base(void)
{
    return vmar_info(ROOT).base;
}

START_TEST(unmap_then_remap_misses)
{
    zx_handle_t vmo = mkvmo(2 * P_SZ, 0);
    gva va = map_in(ROOT, vmo, RW, 0, 2 * P_SZ);
    gfill(va, P_SZ, 7);
    uint64_t m = warm(va), s = K->stats.shootdowns_by_kind[TR_SHOOTDOWN_ADDR];
    EXPECT_OK(t_vmar_unmap(ROOT, va, 2 * P_SZ));
    gva again;
    EXPECT_OK(t_vmar_map(ROOT, ZX_VM_SPECIFIC | RW, va - root_base(), vmo, 0, 2 * P_SZ, &again));
    ck_assert_uint_eq(again, va);
    expect_miss(va, m, s);
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

START_TEST(protect_misses)
{
    zx_handle_t vmo = mkvmo(P_SZ, 0);
    gva va = map_in(ROOT, vmo, RW, 0, P_SZ);
    gfill(va, P_SZ, 7);
    uint64_t m = warm(va), s = K->stats.shootdowns_by_kind[TR_SHOOTDOWN_ADDR];
    EXPECT_OK(t_vmar_protect(ROOT, R, va, P_SZ));
    expect_miss(va, m, s);
    EXPECT_OK(t_vmar_unmap(ROOT, va, P_SZ));
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

START_TEST(decommit_misses)
{
    zx_handle_t vmo = mkvmo(P_SZ, 0);
    gva va = map_in(ROOT, vmo, RW, 0, P_SZ);
    gfill(va, P_SZ, 7);
    uint64_t m = warm(va), s = K->stats.shootdowns_by_kind[TR_SHOOTDOWN_ADDR];
    EXPECT_OK(t_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, P_SZ, 0, 0));
    expect_miss(va, m, s);
    gexpect(va, P_SZ, 0);
    EXPECT_OK(t_vmar_unmap(ROOT, va, P_SZ));
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

START_TEST(zero_misses)
{
    zx_handle_t vmo = mkvmo(P_SZ, 0);
    gva va = map_in(ROOT, vmo, RW, 0, P_SZ);
    gfill(va, P_SZ, 7);
    uint64_t m = warm(va), s = K->stats.shootdowns_by_kind[TR_SHOOTDOWN_ADDR];
    EXPECT_OK(t_vmo_op_range(vmo, ZX_VMO_OP_ZERO, 0, P_SZ, 0, 0));
    expect_miss(va, m, s);
    gexpect(va, P_SZ, 0);
    EXPECT_OK(t_vmar_unmap(ROOT, va, P_SZ));
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

START_TEST(shrink_misses)
{
    zx_handle_t vmo = mkvmo(2 * P_SZ, ZX_VMO_RESIZABLE);
    gva va = map_in(ROOT, vmo, RW | ZX_VM_ALLOW_FAULTS, 0, 2 * P_SZ);
    gfill(va, 2 * P_SZ, 7);
    uint64_t m = warm(va + P_SZ), s = K->stats.shootdowns_by_kind[TR_SHOOTDOWN_ADDR];
    EXPECT_OK(t_vmo_set_size(vmo, P_SZ));
    EXPECT_OK(t_vmo_set_size(vmo, 2 * P_SZ));
    expect_miss(va + P_SZ, m, s);
    EXPECT_OK(t_vmar_unmap(ROOT, va, 2 * P_SZ));
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

/* The child's first read maps the frame it shares with its parent; its
 * write copies the page and must drop that translation. */
START_TEST(copy_on_write_misses)
{
    zx_handle_t parent = mkvmo(P_SZ, 0);
    vfill(parent, 0, P_SZ, 7);
    zx_handle_t child = mkchild(parent, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ);
    gva va = map_in(ROOT, child, RW, 0, P_SZ);
    uint64_t m = warm(va), s = K->stats.shootdowns_by_kind[TR_SHOOTDOWN_ADDR];
    EXPECT_OK(g_store8(va, 9));
    expect_miss(va, m, s);
    vexpect(parent, 0, 1, 7);
    EXPECT_OK(t_vmar_unmap(ROOT, va, P_SZ));
    EXPECT_OK(t_handle_close(child));
    EXPECT_OK(t_handle_close(parent));
}
END_TEST

START_TEST(discard_misses)
{
    zx_handle_t vmo = mkvmo(P_SZ, ZX_VMO_DISCARDABLE);
    gva va = map_in(ROOT, vmo, RW | ZX_VM_ALLOW_FAULTS, 0, P_SZ);
    EXPECT_OK(t_vmo_op_range(vmo, ZX_VMO_OP_TRY_LOCK, 0, P_SZ, 0, 0));
    gfill(va, P_SZ, 7);
    EXPECT_OK(t_vmo_op_range(vmo, ZX_VMO_OP_UNLOCK, 0, P_SZ, 0, 0));
    uint64_t m = warm(va), s = K->stats.shootdowns_by_kind[TR_SHOOTDOWN_ADDR];
    ck_assert_int_eq(SC(SYS_zxsim_reclaim), 1);
    expect_miss(va, m, s);
    EXPECT_OK(t_vmar_unmap(ROOT, va, P_SZ));
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

/* A snapshot write-protects the parent's mappings. */
START_TEST(snapshot_creation_misses)
{
    zx_handle_t parent = mkvmo(P_SZ, 0);
    gva va = map_in(ROOT, parent, RW, 0, P_SZ);
    gfill(va, P_SZ, 7);
    uint64_t m = warm(va), s = K->stats.shootdowns_by_kind[TR_SHOOTDOWN_ADDR];
    zx_handle_t child = mkchild(parent, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ);
    expect_miss(va, m, s);
    EXPECT_OK(t_vmar_unmap(ROOT, va, P_SZ));
    EXPECT_OK(t_handle_close(child));
    EXPECT_OK(t_handle_close(parent));
}
END_TEST

/* A change that removes nothing present is no shootdown, and the model
 * keeps its entries: protecting a page never accessed. */
START_TEST(nothing_present_no_shootdown)
{
    zx_handle_t vmo = mkvmo(2 * P_SZ, 0);
    gva va = map_in(ROOT, vmo, RW, 0, 2 * P_SZ);
    uint64_t m = warm(va);
    uint64_t s = K->stats.shootdowns;
    EXPECT_OK(t_vmar_protect(ROOT, R, va + P_SZ, P_SZ));
    ck_assert_uint_eq(K->stats.shootdowns, s);
    model_read(va);
    ck_assert_uint_eq(l1d_misses(), m);
    EXPECT_OK(t_vmar_unmap(ROOT, va, 2 * P_SZ));
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

/* The range named is exactly what goes: a neighbouring page stays. */
START_TEST(neighbour_survives)
{
    zx_handle_t vmo = mkvmo(2 * P_SZ, 0);
    gva va = map_in(ROOT, vmo, RW, 0, 2 * P_SZ);
    gfill(va, 2 * P_SZ, 7);
    warm(va);
    uint64_t m = warm(va + P_SZ);
    EXPECT_OK(t_vmar_protect(ROOT, R, va + P_SZ, P_SZ));
    model_read(va);
    ck_assert_uint_eq(l1d_misses(), m);
    model_read(va + P_SZ);
    ck_assert_uint_eq(l1d_misses(), m + 1);
    EXPECT_OK(t_vmar_unmap(ROOT, va, 2 * P_SZ));
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

static uint64_t kernel_refs(void)
{
    return mmu_hw_stats_get(HW)->kernel_references;
}

/* 256 bytes from the user buffer (4 lines read), into a fresh frame (64
 * lines of zero-fill, then 4 lines written). */
START_TEST(user_copy_and_zero_fill_are_kernel_references)
{
    zx_handle_t vmo = mkvmo(P_SZ, 0);
    uint64_t before = kernel_refs(), guest = mmu_hw_stats_get(HW)->references;
    EXPECT_OK(SC(SYS_vmo_write, vmo, IO_AREA, 0, 256));
    ck_assert_uint_eq(kernel_refs() - before, 4 + 64 + 4);
    ck_assert_uint_eq(mmu_hw_stats_get(HW)->references, guest);
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

/* A one-byte write into a page shared with a snapshot parent: 1 line of
 * user buffer, the copy (64 lines read, 64 written), 1 line written. */
START_TEST(copy_on_write_copy_is_kernel_references)
{
    zx_handle_t parent = mkvmo(P_SZ, 0);
    vfill(parent, 0, P_SZ, 7);
    zx_handle_t child = mkchild(parent, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ);
    uint64_t before = kernel_refs();
    EXPECT_OK(SC(SYS_vmo_write, child, IO_AREA, 0, 1));
    ck_assert_uint_eq(kernel_refs() - before, 1 + 64 + 64 + 1);
    EXPECT_OK(t_handle_close(child));
    EXPECT_OK(t_handle_close(parent));
}
END_TEST

/* A guest store leaves a dirty line in the write-back L1D: CLEAN writes it
 * back once, INVALIDATE drops it, SYNC is only counted, and a range with
 * nothing committed reaches no cache. */
START_TEST(cache_ops_act_on_committed_frames)
{
    const mmu_hw_stats *st = mmu_hw_stats_get(HW);
    zx_handle_t vmo = mkvmo(2 * P_SZ, 0);
    gva va = map_in(ROOT, vmo, RW, 0, 2 * P_SZ);
    EXPECT_OK(g_store8(va, 1));
    uint64_t pa;
    unsigned perms;
    ck_assert(mmu_pt_lookup(P->aspace->pt, va, &pa, &perms));
    mmu_hw_access(HW, P->aspace->pt, P->aspace->asid, va, pa, 1, MMU_REF_WRITE, NULL);

    uint64_t wb = st->cache_op_writebacks;
    EXPECT_OK(t_vmo_op_range(vmo, ZX_VMO_OP_CACHE_CLEAN, 0, 2 * P_SZ, 0, 0));
    ck_assert_uint_eq(st->cache_ops[MMU_CACHE_OP_CLEAN], 1); /* one committed page */
    ck_assert_uint_gt(st->cache_op_writebacks, wb);
    wb = st->cache_op_writebacks;
    EXPECT_OK(t_vmo_op_range(vmo, ZX_VMO_OP_CACHE_CLEAN, 0, P_SZ, 0, 0));
    ck_assert_uint_eq(st->cache_op_writebacks, wb); /* clean now */

    mmu_hw_access(HW, P->aspace->pt, P->aspace->asid, va, pa, 1, MMU_REF_WRITE, NULL);
    uint64_t dropped = st->cache_op_dropped;
    EXPECT_OK(t_vmo_op_range(vmo, ZX_VMO_OP_CACHE_INVALIDATE, 0, P_SZ, 0, 0));
    ck_assert_uint_eq(st->cache_ops[MMU_CACHE_OP_INVALIDATE], 1);
    ck_assert_uint_gt(st->cache_op_dropped, dropped);
    ck_assert_uint_eq(st->cache_op_writebacks, wb);
    uint64_t misses = st->cache[MMU_ORIGIN_GUEST][TR_CACHE_L1D].misses;
    mmu_hw_access(HW, P->aspace->pt, P->aspace->asid, va, pa, 1, MMU_REF_READ, NULL);
    ck_assert_uint_eq(st->cache[MMU_ORIGIN_GUEST][TR_CACHE_L1D].misses, misses + 1);

    EXPECT_OK(t_vmo_op_range(vmo, ZX_VMO_OP_CACHE_SYNC, 0, P_SZ, 0, 0));
    ck_assert_uint_eq(st->cache_ops[MMU_CACHE_OP_SYNC], 1);
    EXPECT_OK(t_vmo_op_range(vmo, ZX_VMO_OP_CACHE_CLEAN_INVALIDATE, P_SZ, P_SZ, 0, 0));
    ck_assert_uint_eq(st->cache_ops[MMU_CACHE_OP_CLEAN_INVALIDATE], 0); /* page 1: nothing */
    EXPECT_OK(t_vmar_unmap(ROOT, va, 2 * P_SZ));
    EXPECT_OK(t_handle_close(vmo));
}
END_TEST

static void add_all(TCase *tc)
{
    ADD(tc, unmap_then_remap_misses);
    ADD(tc, protect_misses);
    ADD(tc, decommit_misses);
    ADD(tc, zero_misses);
    ADD(tc, shrink_misses);
    ADD(tc, copy_on_write_misses);
    ADD(tc, discard_misses);
    ADD(tc, snapshot_creation_misses);
    ADD(tc, nothing_present_no_shootdown);
    ADD(tc, neighbour_survives);
    ADD(tc, user_copy_and_zero_fill_are_kernel_references);
    ADD(tc, copy_on_write_copy_is_kernel_references);
    ADD(tc, cache_ops_act_on_committed_frames);
}

static Suite *shootdown_suite(void)
{
    Suite *s = suite_create("shootdown");
    TCase *arm = tcase_create("arm64");
    tcase_add_checked_fixture(arm, setup, teardown);
    add_all(arm);
    suite_add_tcase(s, arm);
    TCase *x86 = tcase_create("x86_64");
    tcase_add_checked_fixture(x86, setup_x86, teardown);
    add_all(x86);
    suite_add_tcase(s, x86);
    return s;
}

int main(void)
{
    return h_run(shootdown_suite());
}

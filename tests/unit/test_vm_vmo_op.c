/* zx_vmo_op_range (docs/semantics.md "Op check order") and the discardable lock ops
 * (docs/semantics.md "Discardable VMOs"): the common checks, each op's own checks in order, and
 * their effects. */
#include "vm_harness.h"

#define W ZX_RIGHT_WRITE
#define R ZX_RIGHT_READ

static zx_status_t op(zx_handle_t h, uint32_t o, uint64_t off, uint64_t size)
{
    return t_vmo_op_range(h, o, off, size, 0, 0);
}

/* ---------------- common checks (docs/semantics.md "Op check order") ---------------- */

START_TEST(op_bad_handle_and_wrong_type)
{
    EXPECT_ST(op(dead_handle(), ZX_VMO_OP_COMMIT, 0, P_SZ), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(op(ZX_HANDLE_INVALID, ZX_VMO_OP_COMMIT, 0, P_SZ), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(op(ROOT, ZX_VMO_OP_COMMIT, 0, P_SZ), ZX_ERR_WRONG_TYPE);
    EXPECT_ST(op(SELF, ZX_VMO_OP_DONT_NEED, 0, P_SZ), ZX_ERR_WRONG_TYPE);
}
END_TEST

/* The handle is looked up before the op is validated. */
START_TEST(op_handle_beats_bad_op)
{
    EXPECT_ST(op(dead_handle(), 0, 0, P_SZ), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(op(ROOT, 5, 0, P_SZ), ZX_ERR_WRONG_TYPE);
}
END_TEST

START_TEST(op_unknown_ops_invalid)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    const uint32_t bad[] = {0, 5, 15, 16, 0x80000001u, 0xFFFFFFFFu};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
        EXPECT_ST(op(h, bad[i], 0, P_SZ), ZX_ERR_INVALID_ARGS);
}
END_TEST

/* Check 2 beats check 3: any rights are accepted until the op is known. */
START_TEST(op_bad_op_beats_rights)
{
    zx_handle_t none = hdup(mkvmo(P_SZ, 0), ZX_RIGHT_NONE);
    EXPECT_ST(op(none, 5, 0, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(op(none, 0, 0, P_SZ), ZX_ERR_INVALID_ARGS);
}
END_TEST

/* Check 3: the right per op (docs/semantics.md "Operations and their rights"). */
START_TEST(op_rights_per_op)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_handle_t ro = hdup(h, 0xD0EF & ~W);
    zx_handle_t wo = hdup(h, 0xD0EF & ~R);
    EXPECT_ST(op(ro, ZX_VMO_OP_COMMIT, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(op(ro, ZX_VMO_OP_DECOMMIT, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(op(ro, ZX_VMO_OP_ZERO, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(op(ro, ZX_VMO_OP_CACHE_INVALIDATE, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(op(wo, ZX_VMO_OP_CACHE_SYNC, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(op(wo, ZX_VMO_OP_CACHE_CLEAN, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(op(wo, ZX_VMO_OP_CACHE_CLEAN_INVALIDATE, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(op(wo, ZX_VMO_OP_PREFETCH, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
    /* With the right each succeeds. */
    EXPECT_OK(op(wo, ZX_VMO_OP_COMMIT, 0, P_SZ));
    EXPECT_OK(op(wo, ZX_VMO_OP_ZERO, 0, P_SZ));
    EXPECT_OK(op(wo, ZX_VMO_OP_CACHE_INVALIDATE, 0, P_SZ));
    EXPECT_OK(op(wo, ZX_VMO_OP_DECOMMIT, 0, P_SZ));
    EXPECT_OK(op(ro, ZX_VMO_OP_CACHE_SYNC, 0, P_SZ));
    EXPECT_OK(op(ro, ZX_VMO_OP_CACHE_CLEAN, 0, P_SZ));
    EXPECT_OK(op(ro, ZX_VMO_OP_CACHE_CLEAN_INVALIDATE, 0, P_SZ));
    EXPECT_OK(op(ro, ZX_VMO_OP_PREFETCH, 0, P_SZ));
}
END_TEST

START_TEST(op_lock_ops_need_read_or_write)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_DISCARDABLE);
    zx_handle_t none = hdup(h, 0xD0EF & ~(R | W));
    gva st = galloc(32);
    EXPECT_ST(t_vmo_op_range(none, ZX_VMO_OP_LOCK, 0, P_SZ, st, 32), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(op(none, ZX_VMO_OP_TRY_LOCK, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(op(none, ZX_VMO_OP_UNLOCK, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
    /* A read-only handle can lock; a write-only one too. */
    EXPECT_OK(t_vmo_op_range(hdup(h, R), ZX_VMO_OP_LOCK, 0, P_SZ, st, 32));
    EXPECT_OK(op(hdup(h, W), ZX_VMO_OP_TRY_LOCK, 0, P_SZ));
    EXPECT_OK(op(hdup(h, R), ZX_VMO_OP_UNLOCK, 0, P_SZ));
    EXPECT_OK(op(hdup(h, W), ZX_VMO_OP_UNLOCK, 0, P_SZ));
}
END_TEST

START_TEST(op_hints_need_no_right)
{
    zx_handle_t none = hdup(mkvmo(P_SZ, 0), ZX_RIGHT_NONE);
    EXPECT_OK(op(none, ZX_VMO_OP_DONT_NEED, 0, P_SZ));
    EXPECT_OK(op(none, ZX_VMO_OP_ALWAYS_NEED, 0, P_SZ));
}
END_TEST

/* Check 3 beats the op's own checks. */
START_TEST(op_rights_beat_range)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_handle_t ro = hdup(h, 0xD0EF & ~W), wo = hdup(h, 0xD0EF & ~R);
    EXPECT_ST(op(ro, ZX_VMO_OP_COMMIT, 0, 100 * P_SZ), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(op(ro, ZX_VMO_OP_DECOMMIT, 1, 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(op(ro, ZX_VMO_OP_ZERO, UINT64_MAX, 2), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(op(wo, ZX_VMO_OP_CACHE_CLEAN, 0, 0), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(op(wo, ZX_VMO_OP_PREFETCH, 0, 100 * P_SZ), ZX_ERR_ACCESS_DENIED);
}
END_TEST

/* Lock rights come before NOT_SUPPORTED for non-discardable VMOs. */
START_TEST(op_lock_rights_beat_not_discardable)
{
    zx_handle_t none = hdup(mkvmo(P_SZ, 0), ZX_RIGHT_DUPLICATE);
    EXPECT_ST(op(none, ZX_VMO_OP_TRY_LOCK, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(op(none, ZX_VMO_OP_UNLOCK, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
}
END_TEST

/* ---------------- COMMIT ---------------- */

START_TEST(commit_out_of_range)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_ST(op(h, ZX_VMO_OP_COMMIT, 0, 3 * P_SZ), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(op(h, ZX_VMO_OP_COMMIT, 2 * P_SZ, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(op(h, ZX_VMO_OP_COMMIT, P_SZ, UINT64_MAX - P_SZ + 2), ZX_ERR_OUT_OF_RANGE);
    ck_assert_uint_eq(committed(h), 0);
}
END_TEST

START_TEST(commit_widens_to_pages)
{
    zx_handle_t h = mkvmo(4 * P_SZ, 0);
    EXPECT_OK(op(h, ZX_VMO_OP_COMMIT, 0x10, 0x100));
    ck_assert_uint_eq(committed(h), P_SZ);
    EXPECT_OK(op(h, ZX_VMO_OP_COMMIT, 2 * P_SZ - 1, 2));
    ck_assert_uint_eq(committed(h), 3 * P_SZ);
    vexpect(h, 0, 4 * P_SZ, 0);
}
END_TEST

START_TEST(commit_size_zero_does_nothing)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_OK(op(h, ZX_VMO_OP_COMMIT, 0, 0));
    EXPECT_OK(op(h, ZX_VMO_OP_COMMIT, P_SZ, 0));
    ck_assert_uint_eq(committed(h), 0);
}
END_TEST

START_TEST(commit_keeps_existing_content)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    vfill(h, 0, P_SZ, 0x3C);
    EXPECT_OK(op(h, ZX_VMO_OP_COMMIT, 0, 2 * P_SZ));
    ck_assert_uint_eq(committed(h), 2 * P_SZ);
    vexpect(h, 0, P_SZ, 0x3C);
    vexpect(h, P_SZ, P_SZ, 0);
}
END_TEST

/* Committed pages are visible to a mapping without a new commit. */
START_TEST(commit_then_map_reads_zero)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_OK(op(h, ZX_VMO_OP_COMMIT, 0, 2 * P_SZ));
    gva a = map_in(ROOT, h, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, 2 * P_SZ);
    gexpect(a, 2 * P_SZ, 0);
    ck_assert_uint_eq(committed(h), 2 * P_SZ);
}
END_TEST

/* ---------------- DECOMMIT ---------------- */

/* Step 1: past the end is OUT_OF_RANGE (current), not trimmed. */
START_TEST(decommit_past_end_out_of_range)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    vfill(h, 0, 2 * P_SZ, 1);
    EXPECT_ST(op(h, ZX_VMO_OP_DECOMMIT, 0, 3 * P_SZ), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(op(h, ZX_VMO_OP_DECOMMIT, P_SZ, 2 * P_SZ), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(op(h, ZX_VMO_OP_DECOMMIT, P_SZ, UINT64_MAX - P_SZ + 1), ZX_ERR_OUT_OF_RANGE);
    ck_assert_uint_eq(committed(h), 2 * P_SZ);
}
END_TEST

/* Step 1 beats steps 4 and 5. */
START_TEST(decommit_range_beats_alignment_and_cow)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_ST(op(h, ZX_VMO_OP_DECOMMIT, 1, 3 * P_SZ), ZX_ERR_OUT_OF_RANGE);
    zx_handle_t c = mkchild(h, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * P_SZ);
    EXPECT_ST(op(c, ZX_VMO_OP_DECOMMIT, 0, 3 * P_SZ), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(op(h, ZX_VMO_OP_DECOMMIT, 0, 3 * P_SZ), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* Step 2: zero length is OK, before the COW and alignment checks. */
START_TEST(decommit_zero_length_ok)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_OK(op(h, ZX_VMO_OP_DECOMMIT, 0x10, 0));
    zx_handle_t c = mkchild(h, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * P_SZ);
    EXPECT_OK(op(c, ZX_VMO_OP_DECOMMIT, 0, 0));
    EXPECT_OK(op(h, ZX_VMO_OP_DECOMMIT, P_SZ, 0));
}
END_TEST

/* Step 3: a slice forwards to the root VMO's pages. */
START_TEST(decommit_slice_zeroes_parent)
{
    zx_handle_t h = mkvmo(3 * P_SZ, 0);
    vfill(h, 0, 3 * P_SZ, 0x44);
    zx_handle_t s = mkchild(h, ZX_VMO_CHILD_SLICE, P_SZ, 2 * P_SZ);
    EXPECT_OK(op(s, ZX_VMO_OP_DECOMMIT, 0, P_SZ));
    vexpect(h, 0, P_SZ, 0x44);
    vexpect(h, P_SZ, P_SZ, 0);
    vexpect(h, 2 * P_SZ, P_SZ, 0x44);
    vexpect(s, 0, P_SZ, 0);
    ck_assert_uint_eq(committed(h), 2 * P_SZ);
}
END_TEST

/* Step 4: COW family members refuse. */
START_TEST(decommit_snapshot_child_not_supported)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    zx_handle_t c = mkchild(h, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * P_SZ);
    vfill(c, 0, P_SZ, 1);
    EXPECT_ST(op(c, ZX_VMO_OP_DECOMMIT, 0, P_SZ), ZX_ERR_NOT_SUPPORTED);
    zx_handle_t c2 = mkchild(h, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 2 * P_SZ);
    EXPECT_ST(op(c2, ZX_VMO_OP_DECOMMIT, 0, P_SZ), ZX_ERR_NOT_SUPPORTED);
}
END_TEST

START_TEST(decommit_parent_of_snapshot_not_supported_until_child_gone)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    vfill(h, 0, 2 * P_SZ, 1);
    zx_handle_t c = mkchild(h, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ);
    EXPECT_ST(op(h, ZX_VMO_OP_DECOMMIT, 0, P_SZ), ZX_ERR_NOT_SUPPORTED);
    EXPECT_OK(t_handle_close(c));
    EXPECT_OK(op(h, ZX_VMO_OP_DECOMMIT, 0, P_SZ));
    vexpect(h, 0, P_SZ, 0);
}
END_TEST

/* A slice child does not make the parent a COW family member. */
START_TEST(decommit_parent_of_slice_ok)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    vfill(h, 0, 2 * P_SZ, 1);
    zx_handle_t s = mkchild(h, ZX_VMO_CHILD_SLICE, 0, P_SZ);
    EXPECT_OK(op(h, ZX_VMO_OP_DECOMMIT, 0, P_SZ));
    vexpect(s, 0, P_SZ, 0);
}
END_TEST

/* Step 4 beats step 5. */
START_TEST(decommit_cow_beats_alignment)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    zx_handle_t c = mkchild(h, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * P_SZ);
    EXPECT_ST(op(c, ZX_VMO_OP_DECOMMIT, 1, 10), ZX_ERR_NOT_SUPPORTED);
    EXPECT_ST(op(h, ZX_VMO_OP_DECOMMIT, 1, 10), ZX_ERR_NOT_SUPPORTED);
}
END_TEST

/* Step 5: unaligned, even when nothing is committed. */
START_TEST(decommit_unaligned_invalid)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_ST(op(h, ZX_VMO_OP_DECOMMIT, 0x10, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(op(h, ZX_VMO_OP_DECOMMIT, 0, 0x100), ZX_ERR_INVALID_ARGS);
    vfill(h, 0, 2 * P_SZ, 1);
    EXPECT_ST(op(h, ZX_VMO_OP_DECOMMIT, P_SZ, P_SZ - 1), ZX_ERR_INVALID_ARGS);
    ck_assert_uint_eq(committed(h), 2 * P_SZ);
}
END_TEST

START_TEST(decommit_frees_and_zeroes)
{
    zx_handle_t h = mkvmo(4 * P_SZ, 0);
    vfill(h, 0, 4 * P_SZ, 0x66);
    EXPECT_OK(op(h, ZX_VMO_OP_DECOMMIT, P_SZ, 2 * P_SZ));
    ck_assert_uint_eq(committed(h), 2 * P_SZ);
    vexpect(h, 0, P_SZ, 0x66);
    vexpect(h, P_SZ, 2 * P_SZ, 0);
    vexpect(h, 3 * P_SZ, P_SZ, 0x66);
}
END_TEST

/* Mappings stay; their entries are invalidated so they see zeros. */
START_TEST(decommit_invalidates_mappings)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    gva a = map_in(ROOT, h, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, 2 * P_SZ);
    gva b = map_in(ROOT, h, ZX_VM_PERM_READ, 0, 2 * P_SZ);
    gfill(a, 2 * P_SZ, 0x5D);
    gexpect(b, 2 * P_SZ, 0x5D);
    EXPECT_OK(op(h, ZX_VMO_OP_DECOMMIT, 0, 2 * P_SZ));
    gexpect(a, 2 * P_SZ, 0);
    gexpect(b, 2 * P_SZ, 0);
    ck_assert_uint_eq(committed(h), 0);
    gfill(a, 8, 1);
    gexpect(b, 8, 1);
}
END_TEST

/* ---------------- ZERO ---------------- */

START_TEST(zero_out_of_range)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_ST(op(h, ZX_VMO_OP_ZERO, 0, 2 * P_SZ + 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(op(h, ZX_VMO_OP_ZERO, 2 * P_SZ + 1, 0), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(op(h, ZX_VMO_OP_ZERO, P_SZ, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

START_TEST(zero_byte_granular)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    vfill(h, 0, P_SZ, 0xFF);
    EXPECT_OK(op(h, ZX_VMO_OP_ZERO, 3, 5));
    vexpect(h, 0, 3, 0xFF);
    vexpect(h, 3, 5, 0);
    vexpect(h, 8, P_SZ - 8, 0xFF);
    ck_assert_uint_eq(committed(h), P_SZ);
}
END_TEST

/* Zeroing [P/2, 5P/2) of a fully committed 3-page VMO leaves 2P. */
START_TEST(zero_releases_whole_pages)
{
    zx_handle_t h = mkvmo(3 * P_SZ, 0);
    vfill(h, 0, 3 * P_SZ, 0x12);
    EXPECT_OK(op(h, ZX_VMO_OP_ZERO, P_SZ / 2, 2 * P_SZ));
    ck_assert_uint_eq(committed(h), 2 * P_SZ);
    vexpect(h, 0, P_SZ / 2, 0x12);
    vexpect(h, P_SZ / 2, 2 * P_SZ, 0);
    vexpect(h, 5 * P_SZ / 2, P_SZ / 2, 0x12);
}
END_TEST

START_TEST(zero_never_commits)
{
    zx_handle_t h = mkvmo(4 * P_SZ, 0);
    EXPECT_OK(op(h, ZX_VMO_OP_ZERO, 10, 3 * P_SZ));
    ck_assert_uint_eq(committed(h), 0);
    EXPECT_OK(op(h, ZX_VMO_OP_ZERO, 0, 0));
}
END_TEST

START_TEST(zero_seen_through_mapping)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    gva a = map_in(ROOT, h, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, 2 * P_SZ);
    gfill(a, 2 * P_SZ, 0x7E);
    EXPECT_OK(op(h, ZX_VMO_OP_ZERO, 0, P_SZ + 16));
    gexpect(a, P_SZ + 16, 0);
    gexpect(a + P_SZ + 16, P_SZ - 16, 0x7E);
}
END_TEST

/* ---------------- cache maintenance ---------------- */

static const uint32_t cache_ops[] = {ZX_VMO_OP_CACHE_SYNC, ZX_VMO_OP_CACHE_INVALIDATE,
                                     ZX_VMO_OP_CACHE_CLEAN, ZX_VMO_OP_CACHE_CLEAN_INVALIDATE};

START_TEST(cache_ops_size_zero_invalid)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    for (size_t i = 0; i < 4; i++) {
        EXPECT_ST(op(h, cache_ops[i], 0, 0), ZX_ERR_INVALID_ARGS);
        /* size 0 is checked before the range */
        EXPECT_ST(op(h, cache_ops[i], 10 * P_SZ, 0), ZX_ERR_INVALID_ARGS);
    }
}
END_TEST

START_TEST(cache_ops_out_of_range)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    for (size_t i = 0; i < 4; i++) {
        EXPECT_ST(op(h, cache_ops[i], 0, P_SZ + 1), ZX_ERR_OUT_OF_RANGE);
        EXPECT_ST(op(h, cache_ops[i], P_SZ, 1), ZX_ERR_OUT_OF_RANGE);
        EXPECT_ST(op(h, cache_ops[i], 1, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
        EXPECT_ST(op(h, cache_ops[i], UINT64_MAX, 2), ZX_ERR_OUT_OF_RANGE);
    }
}
END_TEST

START_TEST(cache_ops_no_effect_on_contents)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    vfill(h, 0, P_SZ, 0x21);
    for (size_t i = 0; i < 4; i++)
        EXPECT_OK(op(h, cache_ops[i], 3, P_SZ + 7));
    vexpect(h, 0, P_SZ, 0x21);
    vexpect(h, P_SZ, P_SZ, 0);
    ck_assert_uint_eq(committed(h), P_SZ);
}
END_TEST

START_TEST(cache_ops_huge_sparse_vmo)
{
    zx_handle_t h = mkvmo(1ull << 40, 0);
    vfill(h, 123 * P_SZ, 1, 1);
    for (size_t i = 0; i < 4; i++)
        EXPECT_OK(op(h, cache_ops[i], 0, 1ull << 40));
    ck_assert_uint_eq(committed(h), P_SZ);
}
END_TEST

/* ---------------- DONT_NEED / ALWAYS_NEED / PREFETCH ---------------- */

/* Without a pager the hints accept any range, out-of-range included. */
START_TEST(hints_accept_any_range)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_OK(op(h, ZX_VMO_OP_DONT_NEED, 0, 100 * P_SZ));
    EXPECT_OK(op(h, ZX_VMO_OP_ALWAYS_NEED, 5 * P_SZ, 3));
    EXPECT_OK(op(h, ZX_VMO_OP_DONT_NEED, UINT64_MAX, UINT64_MAX));
    EXPECT_OK(op(h, ZX_VMO_OP_ALWAYS_NEED, 0, 0));
}
END_TEST

START_TEST(hints_change_nothing)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    vfill(h, 0, P_SZ, 9);
    EXPECT_OK(op(h, ZX_VMO_OP_ALWAYS_NEED, 0, 2 * P_SZ));
    EXPECT_OK(op(h, ZX_VMO_OP_DONT_NEED, 0, 2 * P_SZ));
    vexpect(h, 0, P_SZ, 9);
    vexpect(h, P_SZ, P_SZ, 0);
    ck_assert_uint_eq(committed(h), P_SZ);
}
END_TEST

START_TEST(prefetch_range_rules)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_ST(op(h, ZX_VMO_OP_PREFETCH, 0, 2 * P_SZ + 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(op(h, ZX_VMO_OP_PREFETCH, P_SZ, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(op(h, ZX_VMO_OP_PREFETCH, 0, 0));
    EXPECT_OK(op(h, ZX_VMO_OP_PREFETCH, 17, 100));
    ck_assert_uint_eq(committed(h), 0);
}
END_TEST

/* Only LOCK looks at the buffer. */
START_TEST(op_buffer_ignored_by_other_ops)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_OK(t_vmo_op_range(h, ZX_VMO_OP_COMMIT, 0, P_SZ, G_KERNEL, 99));
    EXPECT_OK(t_vmo_op_range(h, ZX_VMO_OP_ZERO, 0, P_SZ, G_UNMAPPED, 1));
    EXPECT_OK(t_vmo_op_range(h, ZX_VMO_OP_CACHE_CLEAN, 0, P_SZ, 8, 8));
}
END_TEST

/* ---------------- discardable: LOCK / TRY_LOCK / UNLOCK ---------------- */

static zx_status_t lock(zx_handle_t h, uint64_t off, uint64_t size, zx_vmo_lock_state_t *out)
{
    gva b = galloc(sizeof *out);
    zx_vmo_lock_state_t junk;
    memset(&junk, 0xCD, sizeof junk);
    ck_assert_int_eq(vm_copy_to_user(P->aspace, b, &junk, sizeof junk), ZX_OK);
    zx_status_t st = t_vmo_op_range(h, ZX_VMO_OP_LOCK, off, size, b, sizeof *out);
    if (out)
        ck_assert_int_eq(vm_copy_from_user(P->aspace, out, b, sizeof *out), ZX_OK);
    return st;
}

static uint64_t reclaim(void)
{
    return (uint64_t)SC(SYS_zxsim_reclaim);
}

START_TEST(lock_not_discardable_not_supported)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_ST(lock(h, 0, P_SZ, NULL), ZX_ERR_NOT_SUPPORTED);
    EXPECT_ST(op(h, ZX_VMO_OP_TRY_LOCK, 0, P_SZ), ZX_ERR_NOT_SUPPORTED);
    EXPECT_ST(op(h, ZX_VMO_OP_UNLOCK, 0, P_SZ), ZX_ERR_NOT_SUPPORTED);
}
END_TEST

/* Check 2 beats the range and buffer checks. */
START_TEST(lock_not_discardable_beats_range_and_buffer)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_ST(t_vmo_op_range(h, ZX_VMO_OP_LOCK, 5, 3 * P_SZ, 0, 0), ZX_ERR_NOT_SUPPORTED);
    EXPECT_ST(op(h, ZX_VMO_OP_TRY_LOCK, P_SZ, P_SZ), ZX_ERR_NOT_SUPPORTED);
    EXPECT_ST(op(h, ZX_VMO_OP_UNLOCK, 0, 0), ZX_ERR_NOT_SUPPORTED);
}
END_TEST

/* Check 3: the range must be exactly the whole VMO. */
START_TEST(lock_range_must_be_whole_vmo)
{
    zx_handle_t h = mkvmo(2 * P_SZ, ZX_VMO_DISCARDABLE);
    const uint64_t r[][2] = {{0, P_SZ}, {P_SZ, P_SZ}, {0, 3 * P_SZ}, {0, 0}, {P_SZ, 2 * P_SZ}};
    for (size_t i = 0; i < G_N_ELEMENTS(r); i++) {
        EXPECT_ST(lock(h, r[i][0], r[i][1], NULL), ZX_ERR_OUT_OF_RANGE);
        EXPECT_ST(op(h, ZX_VMO_OP_TRY_LOCK, r[i][0], r[i][1]), ZX_ERR_OUT_OF_RANGE);
        EXPECT_ST(op(h, ZX_VMO_OP_UNLOCK, r[i][0], r[i][1]), ZX_ERR_OUT_OF_RANGE);
    }
}
END_TEST

/* The page-aligned size: an unrounded byte count is not the whole VMO. */
START_TEST(lock_range_uses_page_aligned_size)
{
    zx_handle_t h = mkvmo(5000, ZX_VMO_DISCARDABLE);
    EXPECT_ST(lock(h, 0, 5000, NULL), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(lock(h, 0, 2 * P_SZ, NULL));
}
END_TEST

/* Check 3 beats check 4 (the buffer). */
START_TEST(lock_range_beats_buffer)
{
    zx_handle_t h = mkvmo(2 * P_SZ, ZX_VMO_DISCARDABLE);
    EXPECT_ST(t_vmo_op_range(h, ZX_VMO_OP_LOCK, 0, P_SZ, 0, 0), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* Check 4: a bad buffer undoes the lock. */
START_TEST(lock_bad_buffer_invalid_and_undone)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_DISCARDABLE);
    EXPECT_ST(t_vmo_op_range(h, ZX_VMO_OP_LOCK, 0, P_SZ, 0, 32), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(t_vmo_op_range(h, ZX_VMO_OP_LOCK, 0, P_SZ, galloc(32), 0), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(t_vmo_op_range(h, ZX_VMO_OP_LOCK, 0, P_SZ, galloc(32), 8), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(t_vmo_op_range(h, ZX_VMO_OP_LOCK, 0, P_SZ, galloc(32), 31), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(t_vmo_op_range(h, ZX_VMO_OP_LOCK, 0, P_SZ, ro_ptr(), 32), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(t_vmo_op_range(h, ZX_VMO_OP_LOCK, 0, P_SZ, G_KERNEL, 32), ZX_ERR_INVALID_ARGS);
    /* No lasting effect: the VMO is still unlocked. */
    EXPECT_ST(op(h, ZX_VMO_OP_UNLOCK, 0, P_SZ), ZX_ERR_BAD_STATE);
    ck_assert_uint_eq(reclaim(), 1);
}
END_TEST

START_TEST(lock_reports_state)
{
    zx_handle_t h = mkvmo(3 * P_SZ, ZX_VMO_DISCARDABLE);
    zx_vmo_lock_state_t s;
    EXPECT_OK(lock(h, 0, 3 * P_SZ, &s));
    ck_assert_uint_eq(s.offset, 0);
    ck_assert_uint_eq(s.size, 3 * P_SZ);
    ck_assert_uint_eq(s.discarded_offset, 0);
    ck_assert_uint_eq(s.discarded_size, 0);
    ck_assert_uint_eq(committed(h), 0); /* locking commits nothing */
}
END_TEST

START_TEST(unlock_fresh_bad_state)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_DISCARDABLE);
    EXPECT_ST(op(h, ZX_VMO_OP_UNLOCK, 0, P_SZ), ZX_ERR_BAD_STATE);
}
END_TEST

START_TEST(locks_nest)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_DISCARDABLE);
    EXPECT_OK(lock(h, 0, P_SZ, NULL));
    EXPECT_OK(op(h, ZX_VMO_OP_TRY_LOCK, 0, P_SZ));
    EXPECT_OK(op(h, ZX_VMO_OP_UNLOCK, 0, P_SZ));
    vfill(h, 0, 4, 1);
    ck_assert_uint_eq(reclaim(), 0); /* still locked once */
    EXPECT_OK(op(h, ZX_VMO_OP_UNLOCK, 0, P_SZ));
    EXPECT_ST(op(h, ZX_VMO_OP_UNLOCK, 0, P_SZ), ZX_ERR_BAD_STATE);
}
END_TEST

START_TEST(discard_unlocked_frees_and_lock_reports_it)
{
    zx_handle_t h = mkvmo(2 * P_SZ, ZX_VMO_DISCARDABLE);
    vfill(h, 0, 2 * P_SZ, 0x88);
    ck_assert_uint_eq(reclaim(), 1);
    ck_assert_uint_eq(committed(h), 0);
    vexpect(h, 0, 2 * P_SZ, 0);
    zx_vmo_lock_state_t s;
    EXPECT_OK(lock(h, 0, 2 * P_SZ, &s));
    ck_assert_uint_eq(s.offset, 0);
    ck_assert_uint_eq(s.size, 2 * P_SZ);
    ck_assert_uint_eq(s.discarded_offset, 0);
    ck_assert_uint_eq(s.discarded_size, 2 * P_SZ);
    /* Locked now: the next reclaim leaves it alone. */
    vfill(h, 0, 8, 3);
    ck_assert_uint_eq(reclaim(), 0);
    vexpect(h, 0, 8, 3);
}
END_TEST

START_TEST(try_lock_discarded_unavailable)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_DISCARDABLE);
    vfill(h, 0, 8, 1);
    ck_assert_uint_eq(reclaim(), 1);
    EXPECT_ST(op(h, ZX_VMO_OP_TRY_LOCK, 0, P_SZ), ZX_ERR_UNAVAILABLE);
    /* Nothing changed: still discarded, still unlocked. */
    EXPECT_ST(op(h, ZX_VMO_OP_TRY_LOCK, 0, P_SZ), ZX_ERR_UNAVAILABLE);
    EXPECT_ST(op(h, ZX_VMO_OP_UNLOCK, 0, P_SZ), ZX_ERR_BAD_STATE);
    zx_vmo_lock_state_t s;
    EXPECT_OK(lock(h, 0, P_SZ, &s));
    ck_assert_uint_eq(s.discarded_size, P_SZ);
    EXPECT_OK(op(h, ZX_VMO_OP_UNLOCK, 0, P_SZ));
    /* Relocked once: no longer discarded. */
    EXPECT_OK(op(h, ZX_VMO_OP_TRY_LOCK, 0, P_SZ));
}
END_TEST

START_TEST(try_lock_ignores_buffer)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_DISCARDABLE);
    EXPECT_OK(t_vmo_op_range(h, ZX_VMO_OP_TRY_LOCK, 0, P_SZ, G_KERNEL, 3));
    EXPECT_OK(t_vmo_op_range(h, ZX_VMO_OP_UNLOCK, 0, P_SZ, G_KERNEL, 3));
}
END_TEST

START_TEST(locked_vmo_survives_reclaim)
{
    zx_handle_t a = mkvmo(P_SZ, ZX_VMO_DISCARDABLE), b = mkvmo(P_SZ, ZX_VMO_DISCARDABLE);
    vfill(a, 0, P_SZ, 0xA1);
    vfill(b, 0, P_SZ, 0xB2);
    EXPECT_OK(lock(a, 0, P_SZ, NULL));
    ck_assert_uint_eq(reclaim(), 1);
    vexpect(a, 0, P_SZ, 0xA1);
    vexpect(b, 0, P_SZ, 0);
    /* An already discarded VMO is not discarded again. */
    ck_assert_uint_eq(reclaim(), 0);
}
END_TEST

START_TEST(discardable_read_write_locked_or_not)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_DISCARDABLE);
    vfill(h, 0, 16, 1);
    vexpect(h, 0, 16, 1);
    EXPECT_OK(lock(h, 0, P_SZ, NULL));
    vfill(h, 0, 16, 2);
    vexpect(h, 0, 16, 2);
}
END_TEST

START_TEST(discardable_info_flag)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_DISCARDABLE);
    ck_assert_uint_eq(vmo_info(h).flags,
                      ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE | ZX_INFO_VMO_DISCARDABLE);
}
END_TEST

START_TEST(discardable_map_needs_allow_faults)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_DISCARDABLE);
    gva a;
    EXPECT_ST(t_vmar_map(ROOT, ZX_VM_PERM_READ, 0, h, 0, P_SZ, &a), ZX_ERR_NOT_SUPPORTED);
    EXPECT_OK(t_vmar_map(ROOT, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_ALLOW_FAULTS, 0, h, 0,
                         P_SZ, &a));
    gfill(a, 8, 0x19);
    vexpect(h, 0, 8, 0x19);
}
END_TEST

/* A discarded mapped VMO reads zero through its mapping afterwards. */
START_TEST(discard_invalidates_mappings)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_DISCARDABLE);
    gva a = 0;
    EXPECT_OK(t_vmar_map(ROOT, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_ALLOW_FAULTS, 0, h, 0,
                         P_SZ, &a));
    gfill(a, P_SZ, 0x19);
    ck_assert_uint_eq(reclaim(), 1);
    gexpect(a, P_SZ, 0);
}
END_TEST

START_TEST(discardable_no_children)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_DISCARDABLE), c;
    const uint32_t kinds[] = {ZX_VMO_CHILD_SNAPSHOT, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
                              ZX_VMO_CHILD_SLICE, ZX_VMO_CHILD_REFERENCE,
                              ZX_VMO_CHILD_SNAPSHOT_MODIFIED};
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        uint64_t size = kinds[i] == ZX_VMO_CHILD_REFERENCE ? 0 : P_SZ;
        EXPECT_ST(t_vmo_create_child(h, kinds[i], 0, size, &c), ZX_ERR_NOT_SUPPORTED);
    }
}
END_TEST

/* The host trigger through the kernel API gives the same count. */
START_TEST(kernel_reclaim_counts)
{
    mkvmo(P_SZ, ZX_VMO_DISCARDABLE);
    mkvmo(P_SZ, ZX_VMO_DISCARDABLE);
    mkvmo(P_SZ, 0);
    ck_assert_uint_eq(vm_kernel_reclaim(K), 2);
    check_invariants();
    ck_assert_uint_eq(vm_kernel_reclaim(K), 0);
}
END_TEST

Suite *vmo_op_suite(void)
{
    Suite *s = suite_create("vm_vmo_op");
    TCase *tc = h_tcase("common");
    ADD(tc, op_bad_handle_and_wrong_type);
    ADD(tc, op_handle_beats_bad_op);
    ADD(tc, op_unknown_ops_invalid);
    ADD(tc, op_bad_op_beats_rights);
    ADD(tc, op_rights_per_op);
    ADD(tc, op_lock_ops_need_read_or_write);
    ADD(tc, op_hints_need_no_right);
    ADD(tc, op_rights_beat_range);
    ADD(tc, op_lock_rights_beat_not_discardable);
    ADD(tc, op_buffer_ignored_by_other_ops);
    suite_add_tcase(s, tc);

    tc = h_tcase("commit_decommit_zero");
    ADD(tc, commit_out_of_range);
    ADD(tc, commit_widens_to_pages);
    ADD(tc, commit_size_zero_does_nothing);
    ADD(tc, commit_keeps_existing_content);
    ADD(tc, commit_then_map_reads_zero);
    ADD(tc, decommit_past_end_out_of_range);
    ADD(tc, decommit_range_beats_alignment_and_cow);
    ADD(tc, decommit_zero_length_ok);
    ADD(tc, decommit_slice_zeroes_parent);
    ADD(tc, decommit_snapshot_child_not_supported);
    ADD(tc, decommit_parent_of_snapshot_not_supported_until_child_gone);
    ADD(tc, decommit_parent_of_slice_ok);
    ADD(tc, decommit_cow_beats_alignment);
    ADD(tc, decommit_unaligned_invalid);
    ADD(tc, decommit_frees_and_zeroes);
    ADD(tc, decommit_invalidates_mappings);
    ADD(tc, zero_out_of_range);
    ADD(tc, zero_byte_granular);
    ADD(tc, zero_releases_whole_pages);
    ADD(tc, zero_never_commits);
    ADD(tc, zero_seen_through_mapping);
    suite_add_tcase(s, tc);

    tc = h_tcase("cache_hints_prefetch");
    ADD(tc, cache_ops_size_zero_invalid);
    ADD(tc, cache_ops_out_of_range);
    ADD(tc, cache_ops_no_effect_on_contents);
    ADD(tc, cache_ops_huge_sparse_vmo);
    ADD(tc, hints_accept_any_range);
    ADD(tc, hints_change_nothing);
    ADD(tc, prefetch_range_rules);
    suite_add_tcase(s, tc);

    tc = h_tcase("discardable");
    ADD(tc, lock_not_discardable_not_supported);
    ADD(tc, lock_not_discardable_beats_range_and_buffer);
    ADD(tc, lock_range_must_be_whole_vmo);
    ADD(tc, lock_range_uses_page_aligned_size);
    ADD(tc, lock_range_beats_buffer);
    ADD(tc, lock_bad_buffer_invalid_and_undone);
    ADD(tc, lock_reports_state);
    ADD(tc, unlock_fresh_bad_state);
    ADD(tc, locks_nest);
    ADD(tc, discard_unlocked_frees_and_lock_reports_it);
    ADD(tc, try_lock_discarded_unavailable);
    ADD(tc, try_lock_ignores_buffer);
    ADD(tc, locked_vmo_survives_reclaim);
    ADD(tc, discardable_read_write_locked_or_not);
    ADD(tc, discardable_info_flag);
    ADD(tc, discardable_map_needs_allow_faults);
    ADD(tc, discard_invalidates_mappings);
    ADD(tc, discardable_no_children);
    ADD(tc, kernel_reclaim_counts);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return h_run(vmo_op_suite());
}

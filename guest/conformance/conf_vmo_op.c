/* Conformance: zx_vmo_op_range (docs/semantics.md "Op check order" to "PREFETCH", and "Discardable
 * VMOs"): every op, its right, its range rules and its effect on contents and committed_bytes;
 * discardable LOCK/TRY_LOCK/UNLOCK with zxsim_reclaim(). */
#include "conf.h"

#define VMO_RIGHTS ((zx_rights_t)0xD0EF)

static zx_status_t op(zx_handle_t h, uint32_t code, uint64_t offset, uint64_t size)
{
    return zx_vmo_op_range(h, code, offset, size, NULL, 0);
}

static const uint32_t cache_ops[] = {ZX_VMO_OP_CACHE_SYNC, ZX_VMO_OP_CACHE_INVALIDATE,
                                     ZX_VMO_OP_CACHE_CLEAN, ZX_VMO_OP_CACHE_CLEAN_INVALIDATE};

/* ---- common checks (docs/semantics.md "Op check order") ---- */

CASE(vmo_op, handle_lookup)
{
    EXPECT_STATUS(op(ZX_HANDLE_INVALID, ZX_VMO_OP_COMMIT, 0, PAGE), ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(op(ROOT, ZX_VMO_OP_COMMIT, 0, PAGE), ZX_ERR_WRONG_TYPE);
    /* The handle comes before the op code. */
    EXPECT_STATUS(op(ROOT, 5, 0, PAGE), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(op(ZX_HANDLE_INVALID, 5, 0, PAGE), ZX_ERR_BAD_HANDLE);
}

CASE(vmo_op, unknown_ops_are_invalid)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    static const uint32_t bad[] = {0, 5, 15, 16, 0x100, 0xFFFFFFFF};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        EXPECT_STATUS(op(vmo, bad[i], 0, PAGE), ZX_ERR_INVALID_ARGS);
    /* The op check comes before the rights check. */
    zx_handle_t none = dup(vmo, ZX_RIGHT_NONE);
    EXPECT_STATUS(op(none, 5, 0, PAGE), ZX_ERR_INVALID_ARGS);
}

CASE(vmo_op, rights_with_no_rights)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t none = dup(vmo, ZX_RIGHT_NONE);
    EXPECT_STATUS(op(none, ZX_VMO_OP_COMMIT, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(op(none, ZX_VMO_OP_DECOMMIT, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(op(none, ZX_VMO_OP_ZERO, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(op(none, ZX_VMO_OP_PREFETCH, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    for (size_t i = 0; i < 4; i++)
        EXPECT_STATUS(op(none, cache_ops[i], 0, PAGE), ZX_ERR_ACCESS_DENIED);
    /* The lock ops need READ or WRITE, checked before NOT_SUPPORTED. */
    EXPECT_STATUS(op(none, ZX_VMO_OP_LOCK, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(op(none, ZX_VMO_OP_TRY_LOCK, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(op(none, ZX_VMO_OP_UNLOCK, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    /* The hints need no right. */
    EXPECT_OK(op(none, ZX_VMO_OP_DONT_NEED, 0, PAGE));
    EXPECT_OK(op(none, ZX_VMO_OP_ALWAYS_NEED, 0, PAGE));
}

CASE(vmo_op, rights_with_read_only)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t ro = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    EXPECT_STATUS(op(ro, ZX_VMO_OP_COMMIT, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(op(ro, ZX_VMO_OP_DECOMMIT, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(op(ro, ZX_VMO_OP_ZERO, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(op(ro, ZX_VMO_OP_CACHE_INVALIDATE, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_OK(op(ro, ZX_VMO_OP_CACHE_SYNC, 0, PAGE));
    EXPECT_OK(op(ro, ZX_VMO_OP_CACHE_CLEAN, 0, PAGE));
    EXPECT_OK(op(ro, ZX_VMO_OP_CACHE_CLEAN_INVALIDATE, 0, PAGE));
    EXPECT_OK(op(ro, ZX_VMO_OP_PREFETCH, 0, PAGE));
    EXPECT_STATUS(op(ro, ZX_VMO_OP_LOCK, 0, PAGE), ZX_ERR_NOT_SUPPORTED);
    EXPECT_EQ(committed(vmo), 0);
}

CASE(vmo_op, rights_with_write_only)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t wo = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_READ);
    EXPECT_OK(op(wo, ZX_VMO_OP_COMMIT, 0, PAGE));
    EXPECT_OK(op(wo, ZX_VMO_OP_ZERO, 0, PAGE));
    EXPECT_OK(op(wo, ZX_VMO_OP_DECOMMIT, 0, PAGE));
    /* zxsim allows CACHE_INVALIDATE with WRITE (docs/semantics.md "Op check order" step 3). */
    EXPECT_OK(op(wo, ZX_VMO_OP_CACHE_INVALIDATE, 0, PAGE));
    EXPECT_STATUS(op(wo, ZX_VMO_OP_CACHE_SYNC, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(op(wo, ZX_VMO_OP_CACHE_CLEAN, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(op(wo, ZX_VMO_OP_CACHE_CLEAN_INVALIDATE, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(op(wo, ZX_VMO_OP_PREFETCH, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(op(wo, ZX_VMO_OP_LOCK, 0, PAGE), ZX_ERR_NOT_SUPPORTED);
}

CASE(vmo_op, buffer_ignored_except_by_lock)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t base = 0;
    scratch(2 * PAGE, &base);
    /* An unmapped buffer pointer must not matter to COMMIT or ZERO. */
    EXPECT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0, PAGE, (void *)base, 64));
    EXPECT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_ZERO, 0, PAGE, (void *)base, 64));
    EXPECT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_CACHE_CLEAN, 0, PAGE, (void *)1, 3));
}

/* ---- COMMIT (docs/semantics.md "COMMIT") ---- */

CASE(commit, commits_zero_pages)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    EXPECT_OK(op(vmo, ZX_VMO_OP_COMMIT, PAGE, 2 * PAGE));
    EXPECT_EQ(committed(vmo), 2 * PAGE);
    EXPECT_VMO_FILLED(vmo, 0, 4 * PAGE, 0);
    EXPECT_OK(op(vmo, ZX_VMO_OP_COMMIT, 0, 4 * PAGE));
    EXPECT_EQ(committed(vmo), 4 * PAGE);
}

CASE(commit, unaligned_range_widens_to_pages)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    EXPECT_OK(op(vmo, ZX_VMO_OP_COMMIT, 0x10, 0x100));
    EXPECT_EQ(committed(vmo), PAGE);
    EXPECT_OK(op(vmo, ZX_VMO_OP_COMMIT, 2 * PAGE - 1, 2));
    EXPECT_EQ(committed(vmo), 3 * PAGE);
}

CASE(commit, keeps_existing_contents)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0x3C);
    EXPECT_OK(op(vmo, ZX_VMO_OP_COMMIT, 0, 2 * PAGE));
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0x3C);
    EXPECT_VMO_FILLED(vmo, PAGE, PAGE, 0);
    EXPECT_EQ(committed(vmo), 2 * PAGE);
}

CASE(commit, size_zero_does_nothing)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    EXPECT_OK(op(vmo, ZX_VMO_OP_COMMIT, PAGE, 0));
    EXPECT_OK(op(vmo, ZX_VMO_OP_COMMIT, 2 * PAGE, 0));
    EXPECT_EQ(committed(vmo), 0);
}

CASE(commit, out_of_range)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_COMMIT, 0, 3 * PAGE), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_COMMIT, 2 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_COMMIT, PAGE, 0ull - PAGE + 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_COMMIT, UINT64_MAX, 2), ZX_ERR_OUT_OF_RANGE);
    EXPECT_EQ(committed(vmo), 0);
}

CASE(commit, through_mapping_visible)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    volatile uint8_t *p = (volatile uint8_t *)map(vmar, RW, 0, vmo, 0, 2 * PAGE);
    EXPECT_EQ(p[0], 0);
    EXPECT_OK(op(vmo, ZX_VMO_OP_COMMIT, 0, 2 * PAGE));
    EXPECT_EQ(p[0], 0);
    p[PAGE] = 5;
    EXPECT_EQ(vmo_byte(vmo, PAGE), 5);
    EXPECT_EQ(committed(vmo), 2 * PAGE);
}

/* ---- DECOMMIT (docs/semantics.md "DECOMMIT") ---- */

CASE(decommit, frees_pages_and_reads_zero)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    vmo_fill(vmo, 0, 4 * PAGE, 0x7E);
    EXPECT_OK(op(vmo, ZX_VMO_OP_DECOMMIT, PAGE, 2 * PAGE));
    EXPECT_EQ(committed(vmo), 2 * PAGE);
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0x7E);
    EXPECT_VMO_FILLED(vmo, PAGE, 2 * PAGE, 0);
    EXPECT_VMO_FILLED(vmo, 3 * PAGE, PAGE, 0x7E);
}

CASE(decommit, mappings_see_zero_and_stay)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t vmar = scratch(8 * PAGE, NULL);
    volatile uint8_t *a = (volatile uint8_t *)map(vmar, RW, 0, vmo, 0, 2 * PAGE);
    volatile uint8_t *b = (volatile uint8_t *)map(vmar, ZX_VM_PERM_READ, 0, vmo, 0, 2 * PAGE);
    a[0] = 0x10;
    a[PAGE] = 0x20;
    EXPECT_EQ(b[0], 0x10);
    EXPECT_OK(op(vmo, ZX_VMO_OP_DECOMMIT, 0, 2 * PAGE));
    EXPECT_EQ(a[0], 0);
    EXPECT_EQ(b[0], 0);
    EXPECT_EQ(b[PAGE], 0);
    EXPECT_EQ(committed(vmo), 0);
    a[1] = 0x30;
    EXPECT_EQ(b[1], 0x30);
    EXPECT_EQ(committed(vmo), PAGE);
}

CASE(decommit, past_end_is_out_of_range)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 1);
    /* Current kernels fail instead of trimming. */
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_DECOMMIT, PAGE, 2 * PAGE), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_DECOMMIT, 3 * PAGE, 0), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_DECOMMIT, PAGE, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
    EXPECT_EQ(committed(vmo), 2 * PAGE);
}

CASE(decommit, zero_length_ok_even_unaligned)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 1);
    EXPECT_OK(op(vmo, ZX_VMO_OP_DECOMMIT, 0, 0));
    EXPECT_OK(op(vmo, ZX_VMO_OP_DECOMMIT, 5, 0));
    EXPECT_EQ(committed(vmo), 2 * PAGE);
}

CASE(decommit, unaligned_is_invalid)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_DECOMMIT, 1, PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE + 1), ZX_ERR_INVALID_ARGS);
    vmo_fill(vmo, 0, 2 * PAGE, 1);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_DECOMMIT, 0, 100), ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(committed(vmo), 2 * PAGE);
    EXPECT_VMO_FILLED(vmo, 0, 2 * PAGE, 1);
}

CASE(decommit, uncommitted_range_is_fine)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    EXPECT_OK(op(vmo, ZX_VMO_OP_DECOMMIT, 0, 4 * PAGE));
    EXPECT_EQ(committed(vmo), 0);
}

/* ---- ZERO (docs/semantics.md "ZERO") ---- */

CASE(zero, byte_granular_and_releases_whole_pages)
{
    zx_handle_t vmo = vmo_create(3 * PAGE, 0);
    vmo_fill(vmo, 0, 3 * PAGE, 0xAB);
    EXPECT_OK(op(vmo, ZX_VMO_OP_ZERO, PAGE / 2, 2 * PAGE));
    EXPECT_VMO_FILLED(vmo, 0, PAGE / 2, 0xAB);
    EXPECT_VMO_FILLED(vmo, PAGE / 2, 2 * PAGE, 0);
    EXPECT_VMO_FILLED(vmo, 5 * PAGE / 2, PAGE / 2, 0xAB);
    EXPECT_EQ(committed(vmo), 2 * PAGE);
}

CASE(zero, never_commits)
{
    zx_handle_t vmo = vmo_create(3 * PAGE, 0);
    EXPECT_OK(op(vmo, ZX_VMO_OP_ZERO, 0, 3 * PAGE));
    EXPECT_OK(op(vmo, ZX_VMO_OP_ZERO, 10, 20));
    EXPECT_EQ(committed(vmo), 0);
}

CASE(zero, partial_page_stays_committed)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0xCD);
    EXPECT_OK(op(vmo, ZX_VMO_OP_ZERO, 1, PAGE - 2));
    EXPECT_EQ(committed(vmo), PAGE);
    EXPECT_EQ(vmo_byte(vmo, 0), 0xCD);
    EXPECT_EQ(vmo_byte(vmo, PAGE - 1), 0xCD);
    EXPECT_VMO_FILLED(vmo, 1, PAGE - 2, 0);
}

CASE(zero, out_of_range)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 1);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_ZERO, PAGE, 2 * PAGE), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_ZERO, 2 * PAGE + 1, 0), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_ZERO, 8, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
    EXPECT_VMO_FILLED(vmo, 0, 2 * PAGE, 1);
    EXPECT_OK(op(vmo, ZX_VMO_OP_ZERO, 2 * PAGE, 0));
}

CASE(zero, seen_through_mapping)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    volatile uint8_t *p = (volatile uint8_t *)map(vmar, RW, 0, vmo, 0, 2 * PAGE);
    for (size_t i = 0; i < 2 * PAGE; i++)
        p[i] = 0xEF;
    EXPECT_OK(op(vmo, ZX_VMO_OP_ZERO, 0, PAGE + 10));
    EXPECT_EQ(p[0], 0);
    EXPECT_EQ(p[PAGE + 9], 0);
    EXPECT_EQ(p[PAGE + 10], 0xEF);
    p[0] = 1;
    EXPECT_EQ(vmo_byte(vmo, 0), 1);
}

/* ---- cache maintenance (docs/semantics.md "Cache maintenance") ---- */

CASE(cache_ops, size_zero_is_invalid)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    for (size_t i = 0; i < 4; i++)
        EXPECT_STATUS(op(vmo, cache_ops[i], 0, 0), ZX_ERR_INVALID_ARGS);
}

CASE(cache_ops, out_of_range)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    for (size_t i = 0; i < 4; i++) {
        EXPECT_STATUS(op(vmo, cache_ops[i], 0, 2 * PAGE + 1), ZX_ERR_OUT_OF_RANGE);
        EXPECT_STATUS(op(vmo, cache_ops[i], 2 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
        EXPECT_STATUS(op(vmo, cache_ops[i], PAGE, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
        EXPECT_STATUS(op(vmo, cache_ops[i], UINT64_MAX, 1), ZX_ERR_OUT_OF_RANGE);
    }
}

CASE(cache_ops, unaligned_ok_and_contents_unchanged)
{
    zx_handle_t vmo = vmo_create(3 * PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0x12);
    for (size_t i = 0; i < 4; i++) {
        EXPECT_OK(op(vmo, cache_ops[i], 3, PAGE + 7));
        EXPECT_OK(op(vmo, cache_ops[i], 0, 3 * PAGE));
    }
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0x12);
    EXPECT_VMO_FILLED(vmo, PAGE, 2 * PAGE, 0);
    EXPECT_EQ(committed(vmo), PAGE);
}

CASE(cache_ops, huge_sparse_vmo_is_fast)
{
    zx_handle_t vmo = vmo_create(MAX_VMO_SIZE, 0);
    vmo_fill(vmo, 1ull << 44, 1, 1);
    for (size_t i = 0; i < 4; i++)
        EXPECT_OK(op(vmo, cache_ops[i], 0, MAX_VMO_SIZE));
    EXPECT_EQ(committed(vmo), PAGE);
}

/* ---- DONT_NEED / ALWAYS_NEED (docs/semantics.md "DONT_NEED and ALWAYS_NEED") ---- */

CASE(hints, accept_any_range_and_change_nothing)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0x44);
    static const uint32_t hints[] = {ZX_VMO_OP_DONT_NEED, ZX_VMO_OP_ALWAYS_NEED};
    for (size_t i = 0; i < 2; i++) {
        EXPECT_OK(op(vmo, hints[i], 0, 2 * PAGE));
        EXPECT_OK(op(vmo, hints[i], 3, 5));
        EXPECT_OK(op(vmo, hints[i], 0, 0));
        /* Anonymous VMOs accept out-of-range and overflowing ranges. */
        EXPECT_OK(op(vmo, hints[i], 10 * PAGE, PAGE));
        EXPECT_OK(op(vmo, hints[i], PAGE, UINT64_MAX));
    }
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0x44);
    EXPECT_VMO_FILLED(vmo, PAGE, PAGE, 0);
    EXPECT_EQ(committed(vmo), PAGE);
}

CASE(hints, dont_need_after_always_need)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_OK(op(vmo, ZX_VMO_OP_ALWAYS_NEED, 0, PAGE));
    EXPECT_OK(op(vmo, ZX_VMO_OP_DONT_NEED, 0, PAGE));
    EXPECT_EQ(committed(vmo), 0);
}

/* ---- PREFETCH (docs/semantics.md "PREFETCH") ---- */

CASE(prefetch, range_rules_and_no_effect)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    EXPECT_OK(op(vmo, ZX_VMO_OP_PREFETCH, 0, 2 * PAGE));
    EXPECT_OK(op(vmo, ZX_VMO_OP_PREFETCH, 0, 0));
    EXPECT_OK(op(vmo, ZX_VMO_OP_PREFETCH, 5, 11));
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_PREFETCH, PAGE, 2 * PAGE), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_PREFETCH, PAGE, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
    EXPECT_EQ(committed(vmo), 0);
    EXPECT_VMO_FILLED(vmo, 0, 2 * PAGE, 0);
}

/* ---- LOCK / TRY_LOCK / UNLOCK (docs/semantics.md "Discardable VMOs") ---- */

static zx_status_t lock(zx_handle_t h, uint64_t offset, uint64_t size, zx_vmo_lock_state_t *st)
{
    return zx_vmo_op_range(h, ZX_VMO_OP_LOCK, offset, size, st, sizeof *st);
}

CASE(lock, non_discardable_not_supported_first)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vmo_lock_state_t st;
    EXPECT_STATUS(lock(vmo, 0, PAGE, &st), ZX_ERR_NOT_SUPPORTED);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_TRY_LOCK, 0, PAGE), ZX_ERR_NOT_SUPPORTED);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_UNLOCK, 0, PAGE), ZX_ERR_NOT_SUPPORTED);
    /* It beats the range and the buffer checks. */
    EXPECT_STATUS(zx_vmo_op_range(vmo, ZX_VMO_OP_LOCK, 5, 3 * PAGE, NULL, 0), ZX_ERR_NOT_SUPPORTED);
}

CASE(lock, lock_reports_state)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, ZX_VMO_DISCARDABLE);
    zx_vmo_lock_state_t st;
    memset(&st, 0xEE, sizeof st);
    ASSERT_OK(lock(vmo, 0, 2 * PAGE, &st));
    EXPECT_EQ(st.offset, 0);
    EXPECT_EQ(st.size, 2 * PAGE);
    EXPECT_EQ(st.discarded_offset, 0);
    EXPECT_EQ(st.discarded_size, 0);
    /* Locking commits nothing. */
    EXPECT_EQ(committed(vmo), 0);
    EXPECT_OK(op(vmo, ZX_VMO_OP_UNLOCK, 0, 2 * PAGE));
}

CASE(lock, read_only_handle_can_lock)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_DISCARDABLE);
    zx_handle_t ro = dup(vmo, ZX_RIGHT_READ);
    zx_vmo_lock_state_t st;
    EXPECT_OK(lock(ro, 0, PAGE, &st));
    EXPECT_OK(op(ro, ZX_VMO_OP_UNLOCK, 0, PAGE));
    zx_handle_t wo = dup(vmo, ZX_RIGHT_WRITE);
    EXPECT_OK(op(wo, ZX_VMO_OP_TRY_LOCK, 0, PAGE));
    EXPECT_OK(op(wo, ZX_VMO_OP_UNLOCK, 0, PAGE));
    zx_handle_t none = dup(vmo, ZX_RIGHT_MAP);
    EXPECT_STATUS(lock(none, 0, PAGE, &st), ZX_ERR_ACCESS_DENIED);
}

CASE(lock, range_must_be_whole_vmo)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, ZX_VMO_DISCARDABLE);
    zx_vmo_lock_state_t st;
    EXPECT_STATUS(lock(vmo, 0, PAGE, &st), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(lock(vmo, PAGE, PAGE, &st), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(lock(vmo, 0, 3 * PAGE, &st), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(lock(vmo, 0, 2 * PAGE - 1, &st), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_TRY_LOCK, 0, PAGE), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_UNLOCK, PAGE, PAGE), ZX_ERR_OUT_OF_RANGE);
    /* Range beats the buffer check. */
    EXPECT_STATUS(zx_vmo_op_range(vmo, ZX_VMO_OP_LOCK, 0, PAGE, NULL, 0), ZX_ERR_OUT_OF_RANGE);
    /* Nothing got locked. */
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_UNLOCK, 0, 2 * PAGE), ZX_ERR_BAD_STATE);
}

CASE(lock, bad_buffer_undoes_lock)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_DISCARDABLE);
    EXPECT_STATUS(zx_vmo_op_range(vmo, ZX_VMO_OP_LOCK, 0, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS);
    uint64_t small = 0;
    EXPECT_STATUS(zx_vmo_op_range(vmo, ZX_VMO_OP_LOCK, 0, PAGE, &small, sizeof small),
                  ZX_ERR_INVALID_ARGS);
    zx_vaddr_t base = 0;
    scratch(2 * PAGE, &base);
    EXPECT_STATUS(zx_vmo_op_range(vmo, ZX_VMO_OP_LOCK, 0, PAGE, (void *)base, 32),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_op_range(vmo, ZX_VMO_OP_LOCK, 0, PAGE, NULL, 32), ZX_ERR_INVALID_ARGS);
    /* No lasting effect: the VMO is still unlocked. */
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_UNLOCK, 0, PAGE), ZX_ERR_BAD_STATE);
}

CASE(lock, unlock_of_unlocked_is_bad_state)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_DISCARDABLE);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_UNLOCK, 0, PAGE), ZX_ERR_BAD_STATE);
}

CASE(lock, locks_nest)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_DISCARDABLE);
    zx_vmo_lock_state_t st;
    ASSERT_OK(lock(vmo, 0, PAGE, &st));
    ASSERT_OK(op(vmo, ZX_VMO_OP_TRY_LOCK, 0, PAGE));
    ASSERT_OK(lock(vmo, 0, PAGE, &st));
    EXPECT_OK(op(vmo, ZX_VMO_OP_UNLOCK, 0, PAGE));
    EXPECT_OK(op(vmo, ZX_VMO_OP_UNLOCK, 0, PAGE));
    EXPECT_OK(op(vmo, ZX_VMO_OP_UNLOCK, 0, PAGE));
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_UNLOCK, 0, PAGE), ZX_ERR_BAD_STATE);
}

CASE(lock, try_lock_on_fresh_vmo_ignores_buffer)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_DISCARDABLE);
    EXPECT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_TRY_LOCK, 0, PAGE, NULL, 0));
    EXPECT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_UNLOCK, 0, PAGE, (void *)8, 1));
}

CASE(lock, reclaim_discards_unlocked)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, ZX_VMO_DISCARDABLE);
    vmo_fill(vmo, 0, 2 * PAGE, 0x5D);
    EXPECT_EQ(committed(vmo), 2 * PAGE);
    EXPECT_GE(zxsim_reclaim(), 1);
    EXPECT_EQ(committed(vmo), 0);
    /* TRY_LOCK refuses a discarded VMO and changes nothing. */
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_TRY_LOCK, 0, 2 * PAGE), ZX_ERR_UNAVAILABLE);
    EXPECT_STATUS(op(vmo, ZX_VMO_OP_UNLOCK, 0, 2 * PAGE), ZX_ERR_BAD_STATE);
    zx_vmo_lock_state_t st;
    memset(&st, 0xEE, sizeof st);
    ASSERT_OK(lock(vmo, 0, 2 * PAGE, &st));
    EXPECT_EQ(st.offset, 0);
    EXPECT_EQ(st.size, 2 * PAGE);
    EXPECT_EQ(st.discarded_offset, 0);
    EXPECT_EQ(st.discarded_size, 2 * PAGE);
    EXPECT_VMO_FILLED(vmo, 0, 2 * PAGE, 0);
    /* Locked again: TRY_LOCK works and nests. */
    EXPECT_OK(op(vmo, ZX_VMO_OP_TRY_LOCK, 0, 2 * PAGE));
    EXPECT_OK(op(vmo, ZX_VMO_OP_UNLOCK, 0, 2 * PAGE));
    EXPECT_OK(op(vmo, ZX_VMO_OP_UNLOCK, 0, 2 * PAGE));
}

CASE(lock, locked_vmo_survives_reclaim)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_DISCARDABLE);
    zx_vmo_lock_state_t st;
    ASSERT_OK(lock(vmo, 0, PAGE, &st));
    vmo_fill(vmo, 0, PAGE, 0x6E);
    zxsim_reclaim();
    EXPECT_EQ(committed(vmo), PAGE);
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0x6E);
    ASSERT_OK(op(vmo, ZX_VMO_OP_UNLOCK, 0, PAGE));
    /* Unlocked: now it goes. */
    zxsim_reclaim();
    EXPECT_EQ(committed(vmo), 0);
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0);
}

CASE(lock, relock_after_discard_then_keep_data)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_DISCARDABLE);
    vmo_fill(vmo, 0, 8, 1);
    zxsim_reclaim();
    zx_vmo_lock_state_t st;
    ASSERT_OK(lock(vmo, 0, PAGE, &st));
    EXPECT_EQ(st.discarded_size, PAGE);
    vmo_fill(vmo, 0, 8, 2);
    ASSERT_OK(op(vmo, ZX_VMO_OP_UNLOCK, 0, PAGE));
    /* A lock while not discarded reports nothing lost. */
    ASSERT_OK(lock(vmo, 0, PAGE, &st));
    EXPECT_EQ(st.discarded_offset, 0);
    EXPECT_EQ(st.discarded_size, 0);
    EXPECT_VMO_FILLED(vmo, 0, 8, 2);
    ASSERT_OK(op(vmo, ZX_VMO_OP_UNLOCK, 0, PAGE));
}

CASE(lock, io_works_unlocked)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_DISCARDABLE);
    vmo_fill(vmo, 0, 16, 0x71);
    EXPECT_VMO_FILLED(vmo, 0, 16, 0x71);
    zx_vmo_lock_state_t st;
    ASSERT_OK(lock(vmo, 0, PAGE, &st));
    EXPECT_VMO_FILLED(vmo, 0, 16, 0x71);
    ASSERT_OK(op(vmo, ZX_VMO_OP_UNLOCK, 0, PAGE));
}

CASE(lock, resized_discardable_lock_range_follows_size)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_DISCARDABLE | ZX_VMO_RESIZABLE);
    ASSERT_OK(zx_vmo_set_size(vmo, 3 * PAGE));
    zx_vmo_lock_state_t st;
    EXPECT_STATUS(lock(vmo, 0, PAGE, &st), ZX_ERR_OUT_OF_RANGE);
    ASSERT_OK(lock(vmo, 0, 3 * PAGE, &st));
    EXPECT_EQ(st.size, 3 * PAGE);
    ASSERT_OK(op(vmo, ZX_VMO_OP_UNLOCK, 0, 3 * PAGE));
}

CASE(lock, discarded_mapping_with_allow_faults)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_DISCARDABLE);
    zx_handle_t vmar = scratch(2 * PAGE, NULL);
    zx_vaddr_t addr = 0;
    EXPECT_STATUS(zx_vmar_map(vmar, RW, 0, vmo, 0, PAGE, &addr), ZX_ERR_NOT_SUPPORTED);
    zx_vmo_lock_state_t st;
    ASSERT_OK(lock(vmo, 0, PAGE, &st));
    volatile uint8_t *p = (volatile uint8_t *)map(vmar, RW | ZX_VM_ALLOW_FAULTS, 0, vmo, 0, PAGE);
    p[0] = 0x3F;
    EXPECT_EQ(vmo_byte(vmo, 0), 0x3F);
    ASSERT_OK(op(vmo, ZX_VMO_OP_UNLOCK, 0, PAGE));
    zxsim_reclaim();
    EXPECT_EQ(committed(vmo), 0);
    ASSERT_OK(lock(vmo, 0, PAGE, &st));
    EXPECT_EQ(st.discarded_size, PAGE);
    /* Relocked: the mapping sees the zeroed content and works again. */
    EXPECT_EQ(p[0], 0);
    p[1] = 0x40;
    EXPECT_EQ(vmo_byte(vmo, 1), 0x40);
    ASSERT_OK(op(vmo, ZX_VMO_OP_UNLOCK, 0, PAGE));
}

/* zx_vmo_create, zx_vmo_read/write, zx_vmo_get_size/set_size, the content
 * size, zx_vmo_replace_as_executable and zx_vmo_set_cache_policy (docs/semantics.md,
 * "zx_vmo_create" to "zx_vmo_set_cache_policy"): every numbered check, its precedence over later
 * ones, and the semantics. */
#include "vm_harness.h"

/* ---------------- zx_vmo_create ---------------- */

START_TEST(create_default_rights_and_state)
{
    zx_handle_t h = mkvmo(3 * P_SZ, 0);
    ck_assert_uint_eq(h & ZX_HANDLE_FIXED_BITS_MASK, ZX_HANDLE_FIXED_BITS_MASK);
    zx_info_handle_basic_t b = basic_of(h);
    ck_assert_uint_eq(b.rights, 0xD0EF);
    ck_assert_uint_eq(b.type, ZX_OBJ_TYPE_VMO);
    ck_assert_uint_ge(b.koid, ZX_KOID_FIRST);
    zx_info_vmo_t i = vmo_info(h);
    ck_assert_uint_eq(i.size_bytes, 3 * P_SZ);
    ck_assert_uint_eq(i.committed_bytes, 0);
    ck_assert_str_eq(i.name, "");
    ck_assert_uint_eq(i.cache_policy, ZX_CACHE_POLICY_CACHED);
    ck_assert(signaled(h, ZX_VMO_ZERO_CHILDREN));
}
END_TEST

START_TEST(create_resizable_gets_resize_right)
{
    ck_assert_uint_eq(rights_of(mkvmo(P_SZ, ZX_VMO_RESIZABLE)), 0x40D0EF);
}
END_TEST

START_TEST(create_discardable_rights)
{
    ck_assert_uint_eq(rights_of(mkvmo(P_SZ, ZX_VMO_DISCARDABLE)), 0xD0EF);
}
END_TEST

START_TEST(create_rounds_size_and_keeps_content_size)
{
    zx_handle_t h = mkvmo(5000, 0);
    ck_assert_uint_eq(vmo_size(h), 2 * P_SZ);
    ck_assert_uint_eq(content_size(h), 5000);
    uint64_t s = 0;
    EXPECT_OK(t_vmo_get_stream_size(h, &s));
    ck_assert_uint_eq(s, 5000);
}
END_TEST

START_TEST(create_size_zero_is_legal)
{
    zx_handle_t h = mkvmo(0, 0);
    ck_assert_uint_eq(vmo_size(h), 0);
    uint8_t b;
    EXPECT_ST(t_vmo_read(h, &b, 0, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(t_vmo_read(h, &b, 0, 0));
}
END_TEST

START_TEST(create_contents_zero_and_reads_commit_nothing)
{
    zx_handle_t h = mkvmo(4 * P_SZ, 0);
    vexpect(h, 0, 4 * P_SZ, 0);
    ck_assert_uint_eq(committed(h), 0);
}
END_TEST

/* Check 2: RESIZABLE|UNBOUNDED. */
START_TEST(create_resizable_unbounded_invalid)
{
    zx_handle_t h = 0x5555;
    EXPECT_ST(t_vmo_create(P_SZ, ZX_VMO_RESIZABLE | ZX_VMO_UNBOUNDED, &h), ZX_ERR_INVALID_ARGS);
    ck_assert_uint_eq(h,
                      0x5555); /* out written only on success (docs/semantics.md "Entry rules") */
}
END_TEST

/* Check 2 beats check 5 (UNBOUNDED with a stream size beyond the maximum). */
START_TEST(create_resizable_unbounded_beats_stream_range)
{
    zx_handle_t h;
    EXPECT_ST(t_vmo_create(UINT64_MAX, ZX_VMO_RESIZABLE | ZX_VMO_UNBOUNDED, &h),
              ZX_ERR_INVALID_ARGS);
}
END_TEST

/* Check 3. */
START_TEST(create_size_uint64_max_out_of_range)
{
    zx_handle_t h;
    EXPECT_ST(t_vmo_create(UINT64_MAX, 0, &h), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

START_TEST(create_size_roundup_overflow_out_of_range)
{
    zx_handle_t h;
    EXPECT_ST(t_vmo_create(UINT64_MAX - P_SZ + 2, 0, &h), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

START_TEST(create_size_above_max_out_of_range)
{
    zx_handle_t h;
    EXPECT_ST(t_vmo_create(MAX_VMO + 1, 0, &h), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(t_vmo_create(MAX_VMO + P_SZ, 0, &h), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

START_TEST(create_size_exactly_max_ok)
{
    zx_handle_t h = mkvmo(MAX_VMO, 0);
    ck_assert_uint_eq(vmo_size(h), MAX_VMO);
    vfill(h, MAX_VMO - 1, 1, 0x5A);
    ck_assert_uint_eq(vbyte(h, MAX_VMO - 1), 0x5A);
    ck_assert_uint_eq(committed(h), P_SZ);
}
END_TEST

/* Check 3 beats check 4 (unknown option bit). */
START_TEST(create_range_beats_unknown_option)
{
    zx_handle_t h;
    EXPECT_ST(t_vmo_create(UINT64_MAX, 1u << 0, &h), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* Check 4. */
START_TEST(create_unknown_options_invalid)
{
    static const uint32_t bad[] = {1u << 0, ZX_VMO_TRAP_DIRTY, 1u << 5, 1u << 8, 1u << 31};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        zx_handle_t h;
        EXPECT_ST(t_vmo_create(P_SZ, bad[i], &h), ZX_ERR_INVALID_ARGS);
    }
}
END_TEST

/* Check 4 beats check 5. */
START_TEST(create_unknown_option_beats_unbounded_range)
{
    zx_handle_t h;
    EXPECT_ST(t_vmo_create(UINT64_MAX, ZX_VMO_UNBOUNDED | (1u << 0), &h), ZX_ERR_INVALID_ARGS);
}
END_TEST

/* Check 5. */
START_TEST(create_unbounded_stream_too_large)
{
    zx_handle_t h;
    EXPECT_ST(t_vmo_create(UINT64_MAX, ZX_VMO_UNBOUNDED, &h), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(t_vmo_create(MAX_VMO + 1, ZX_VMO_UNBOUNDED, &h), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

START_TEST(create_unbounded_semantics)
{
    zx_handle_t h = mkvmo(1000, ZX_VMO_UNBOUNDED);
    ck_assert_uint_eq(vmo_size(h), MAX_VMO);
    ck_assert_uint_eq(content_size(h), 1000);
    ck_assert_uint_eq(rights_of(h) & ZX_RIGHT_RESIZE, 0);
    EXPECT_ST(t_vmo_set_size(h, P_SZ), ZX_ERR_UNAVAILABLE);
    ck_assert_uint_eq(vmo_info(h).flags & ZX_INFO_VMO_RESIZABLE, 0);
}
END_TEST

/* Check 6: the out-pointer. */
START_TEST(create_bad_out_invalid_and_vmo_dropped)
{
    const gva outs[] = {0, G_UNMAPPED, G_KERNEL, ro_ptr(), beyond_ptr()};
    guint before = kernel_vmo_count(), handles = handle_count();
    for (size_t i = 0; i < G_N_ELEMENTS(outs); i++) {
        EXPECT_ST(SC(SYS_vmo_create, P_SZ, 0, outs[i]), ZX_ERR_INVALID_ARGS);
        ck_assert_uint_eq(kernel_vmo_count(), before);
        ck_assert_uint_eq(handle_count(), handles);
    }
}
END_TEST

/* Checks 3 and 5 beat check 6. */
START_TEST(create_range_beats_bad_out)
{
    EXPECT_ST(SC(SYS_vmo_create, UINT64_MAX, 0, 0), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(SC(SYS_vmo_create, UINT64_MAX, ZX_VMO_UNBOUNDED, 0), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(SC(SYS_vmo_create, P_SZ, 1u << 0, 0), ZX_ERR_INVALID_ARGS);
}
END_TEST

START_TEST(create_handles_distinct_and_live)
{
    zx_handle_t a = mkvmo(P_SZ, 0), b = mkvmo(P_SZ, 0);
    ck_assert_uint_ne(a, b);
    ck_assert_uint_ne(koid_of(a), koid_of(b));
    ck_assert(handle_live(a) && handle_live(b));
}
END_TEST

/* ---------------- zx_vmo_read / zx_vmo_write ---------------- */

START_TEST(rw_bad_handle)
{
    uint8_t b[4] = {0};
    zx_handle_t dead = dead_handle();
    const zx_handle_t bad[] = {ZX_HANDLE_INVALID, dead, dead & ~3u, 0xFFFFFFFFu & ~1u};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        EXPECT_ST(t_vmo_read(bad[i], b, 0, 4), ZX_ERR_BAD_HANDLE);
        EXPECT_ST(t_vmo_write(bad[i], b, 0, 4), ZX_ERR_BAD_HANDLE);
    }
}
END_TEST

START_TEST(rw_wrong_type)
{
    uint8_t b[4] = {0};
    EXPECT_ST(t_vmo_read(ROOT, b, 0, 4), ZX_ERR_WRONG_TYPE);
    EXPECT_ST(t_vmo_write(SELF, b, 0, 4), ZX_ERR_WRONG_TYPE);
}
END_TEST

/* docs/semantics.md "Handle lookup": type beats rights (a handle with no rights of the wrong type).
 */
START_TEST(rw_wrong_type_beats_rights)
{
    uint8_t b[4] = {0};
    zx_handle_t vmar0 = hdup(ROOT, ZX_RIGHT_NONE);
    zx_handle_t proc0 = hdup(SELF, ZX_RIGHT_NONE);
    EXPECT_ST(t_vmo_read(vmar0, b, 0, 4), ZX_ERR_WRONG_TYPE);
    EXPECT_ST(t_vmo_write(proc0, b, 0, 4), ZX_ERR_WRONG_TYPE);
}
END_TEST

START_TEST(rw_needs_rights)
{
    uint8_t b[4] = {0};
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_handle_t wo = hdup(h, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_READ);
    zx_handle_t ro = hdup(h, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    EXPECT_ST(t_vmo_read(wo, b, 0, 4), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(t_vmo_write(ro, b, 0, 4), ZX_ERR_ACCESS_DENIED);
    EXPECT_OK(t_vmo_read(ro, b, 0, 4));
    EXPECT_OK(t_vmo_write(wo, b, 0, 4));
}
END_TEST

/* The rights check happens even for zero-length transfers. */
START_TEST(rw_zero_length_still_needs_rights)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_handle_t none = hdup(h, ZX_RIGHT_NONE);
    EXPECT_ST(SC(SYS_vmo_read, none, 0, 0, 0), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(SC(SYS_vmo_write, none, 0, 0, 0), ZX_ERR_ACCESS_DENIED);
}
END_TEST

/* Check 1 beats check 2. */
START_TEST(rw_rights_beat_range)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_handle_t none = hdup(h, ZX_RIGHT_NONE);
    EXPECT_ST(SC(SYS_vmo_read, none, IO_AREA, UINT64_MAX, 16), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(SC(SYS_vmo_write, none, IO_AREA, 10 * P_SZ, 16), ZX_ERR_ACCESS_DENIED);
}
END_TEST

/* Check 2. */
START_TEST(rw_range_past_end)
{
    uint8_t b[16] = {0};
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_ST(t_vmo_read(h, b, 2 * P_SZ - 8, 16), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(t_vmo_write(h, b, 2 * P_SZ - 8, 16), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(t_vmo_read(h, b, 3 * P_SZ, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(t_vmo_read(h, b, 2 * P_SZ - 16, 16));
}
END_TEST

START_TEST(rw_range_overflow)
{
    uint8_t b[16] = {0};
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_ST(t_vmo_read(h, b, UINT64_MAX - 4, 16), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(t_vmo_write(h, b, UINT64_MAX - 4, 16), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

START_TEST(rw_zero_length_at_and_past_end)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_OK(SC(SYS_vmo_read, h, IO_AREA, P_SZ, 0));
    EXPECT_OK(SC(SYS_vmo_write, h, IO_AREA, P_SZ, 0));
    EXPECT_ST(SC(SYS_vmo_read, h, IO_AREA, P_SZ + 1, 0), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(SC(SYS_vmo_write, h, IO_AREA, P_SZ + 1, 0), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* Check 2 beats check 3 (cache policy). */
START_TEST(rw_range_beats_cache_policy)
{
    uint8_t b[16] = {0};
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_OK(t_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED));
    EXPECT_ST(t_vmo_read(h, b, P_SZ, 16), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(t_vmo_write(h, b, P_SZ, 16), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* Check 3. */
START_TEST(rw_uncached_bad_state)
{
    uint8_t b[16] = {0};
    const uint32_t pol[] = {ZX_CACHE_POLICY_UNCACHED, ZX_CACHE_POLICY_UNCACHED_DEVICE,
                            ZX_CACHE_POLICY_WRITE_COMBINING};
    for (size_t i = 0; i < G_N_ELEMENTS(pol); i++) {
        zx_handle_t h = mkvmo(P_SZ, 0);
        EXPECT_OK(t_vmo_set_cache_policy(h, pol[i]));
        EXPECT_ST(t_vmo_read(h, b, 0, 16), ZX_ERR_BAD_STATE);
        EXPECT_ST(t_vmo_write(h, b, 0, 16), ZX_ERR_BAD_STATE);
    }
}
END_TEST

/* Check 2 beats 4, check 3 beats 4 (the guest buffer is never touched). */
START_TEST(rw_checks_beat_buffer_fault)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_ST(SC(SYS_vmo_read, h, 0, P_SZ, 16), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(SC(SYS_vmo_write, h, 0, P_SZ, 16), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(t_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED));
    EXPECT_ST(SC(SYS_vmo_read, h, 0, 0, 16), ZX_ERR_BAD_STATE);
    EXPECT_ST(SC(SYS_vmo_write, h, 0, 0, 16), ZX_ERR_BAD_STATE);
}
END_TEST

/* Check 4: NOT_FOUND for unmapped buffers (current kernel, not INVALID_ARGS). */
START_TEST(rw_buffer_unmapped_not_found)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    const gva bufs[] = {0, G_UNMAPPED, G_KERNEL};
    for (size_t i = 0; i < G_N_ELEMENTS(bufs); i++) {
        EXPECT_ST(SC(SYS_vmo_read, h, bufs[i], 0, 16), ZX_ERR_NOT_FOUND);
        EXPECT_ST(SC(SYS_vmo_write, h, bufs[i], 0, 16), ZX_ERR_NOT_FOUND);
    }
}
END_TEST

START_TEST(rw_buffer_permission_access_denied)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_ST(SC(SYS_vmo_read, h, ro_ptr(), 0, 16), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(SC(SYS_vmo_read, h, noperm_ptr(), 0, 16), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(SC(SYS_vmo_write, h, noperm_ptr(), 0, 16), ZX_ERR_ACCESS_DENIED);
    /* Reading from a read-only buffer is fine. */
    EXPECT_OK(SC(SYS_vmo_write, h, ro_ptr(), 0, 16));
}
END_TEST

START_TEST(rw_buffer_beyond_vmo_out_of_range)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_ST(SC(SYS_vmo_read, h, beyond_ptr(), 0, 16), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(SC(SYS_vmo_write, h, beyond_ptr(), 0, 16), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* A buffer that runs from good memory into an unmapped page fails. */
START_TEST(rw_buffer_straddling_hole)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    gva end = SCRATCH_BASE + SCRATCH_SIZE;
    EXPECT_ST(SC(SYS_vmo_read, h, end - 16, 0, 32), ZX_ERR_NOT_FOUND);
    EXPECT_ST(SC(SYS_vmo_write, h, end - 16, 0, 32), ZX_ERR_NOT_FOUND);
}
END_TEST

START_TEST(rw_roundtrip_unaligned_across_pages)
{
    zx_handle_t h = mkvmo(3 * P_SZ, 0);
    uint8_t in[6000], out[6000];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(i * 7 + 3);
    EXPECT_OK(t_vmo_write(h, in, 1234, sizeof in));
    EXPECT_OK(t_vmo_read(h, out, 1234, sizeof out));
    ck_assert_mem_eq(in, out, sizeof in);
    vexpect(h, 0, 1234, 0);
    /* Bytes 1234..7233 span pages 0 and 1 only. */
    ck_assert_uint_eq(committed(h), 2 * P_SZ);
}
END_TEST

START_TEST(rw_write_commits_touched_pages)
{
    zx_handle_t h = mkvmo(8 * P_SZ, 0);
    vfill(h, 3 * P_SZ + 10, 1, 1);
    ck_assert_uint_eq(committed(h), P_SZ);
    vfill(h, 5 * P_SZ - 1, 2, 1);
    ck_assert_uint_eq(committed(h), 3 * P_SZ);
}
END_TEST

/* Reading VMO page 1 into a mapping of the same VMO's page 0. */
START_TEST(rw_into_mapping_of_same_vmo)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    gva a = map_in(ROOT, h, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, 2 * P_SZ);
    vfill(h, P_SZ, P_SZ, 0x77);
    EXPECT_OK(SC(SYS_vmo_read, h, a, P_SZ, P_SZ));
    vexpect(h, 0, P_SZ, 0x77);
    gexpect(a, P_SZ, 0x77);
    /* And the other way: write page 0 from a mapping of page 1. */
    vfill(h, P_SZ, P_SZ, 0x11);
    EXPECT_OK(SC(SYS_vmo_write, h, a + P_SZ, 0, P_SZ));
    vexpect(h, 0, P_SZ, 0x11);
}
END_TEST

START_TEST(rw_into_mapping_of_other_vmo)
{
    zx_handle_t a = mkvmo(P_SZ, 0), b = mkvmo(P_SZ, 0);
    gva m = map_in(ROOT, b, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, P_SZ);
    vfill(a, 0, P_SZ, 0x42);
    EXPECT_OK(SC(SYS_vmo_read, a, m, 0, P_SZ));
    vexpect(b, 0, P_SZ, 0x42);
}
END_TEST

START_TEST(rw_write_visible_through_mapping)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    gva a = map_in(ROOT, h, ZX_VM_PERM_READ, 0, P_SZ);
    gexpect(a, 64, 0); /* maps the zero page */
    vfill(h, 0, 64, 0x99);
    gexpect(a, 64, 0x99); /* the zero page entry was replaced */
}
END_TEST

/* ---------------- zx_vmo_get_size ---------------- */

START_TEST(get_size_checks)
{
    uint64_t s = 0;
    EXPECT_ST(t_vmo_get_size(dead_handle(), &s), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(t_vmo_get_size(ZX_HANDLE_INVALID, &s), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(t_vmo_get_size(ROOT, &s), ZX_ERR_WRONG_TYPE);
}
END_TEST

START_TEST(get_size_needs_no_right)
{
    zx_handle_t h = hdup(mkvmo(3 * P_SZ, 0), ZX_RIGHT_NONE);
    ck_assert_uint_eq(vmo_size(h), 3 * P_SZ);
}
END_TEST

START_TEST(get_size_bad_out_invalid_args)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_ST(SC(SYS_vmo_get_size, h, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_vmo_get_size, h, ro_ptr()), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_vmo_get_size, h, G_KERNEL), ZX_ERR_INVALID_ARGS);
}
END_TEST

START_TEST(get_size_type_beats_bad_out)
{
    EXPECT_ST(SC(SYS_vmo_get_size, ROOT, 0), ZX_ERR_WRONG_TYPE);
    EXPECT_ST(SC(SYS_vmo_get_size, dead_handle(), 0), ZX_ERR_BAD_HANDLE);
}
END_TEST

/* ---------------- zx_vmo_set_size ---------------- */

START_TEST(set_size_handle_checks)
{
    EXPECT_ST(t_vmo_set_size(dead_handle(), P_SZ), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(t_vmo_set_size(ROOT, P_SZ), ZX_ERR_WRONG_TYPE);
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_RESIZABLE);
    EXPECT_ST(t_vmo_set_size(hdup(h, 0x40D0EF & ~ZX_RIGHT_WRITE), 2 * P_SZ), ZX_ERR_ACCESS_DENIED);
}
END_TEST

/* Check 1 beats check 4: a non-resizable VMO without WRITE is ACCESS_DENIED. */
START_TEST(set_size_write_beats_unavailable)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_ST(t_vmo_set_size(hdup(h, ZX_RIGHT_READ), 2 * P_SZ), ZX_ERR_ACCESS_DENIED);
}
END_TEST

/* Check 2. */
START_TEST(set_size_resizable_needs_resize_right)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_RESIZABLE);
    zx_handle_t nores = hdup(h, 0x40D0EF & ~ZX_RIGHT_RESIZE);
    EXPECT_ST(t_vmo_set_size(nores, 2 * P_SZ), ZX_ERR_ACCESS_DENIED);
    ck_assert_uint_eq(vmo_size(h), P_SZ);
}
END_TEST

/* Check 2 beats check 3. */
START_TEST(set_size_resize_right_beats_overflow)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_RESIZABLE);
    EXPECT_ST(t_vmo_set_size(hdup(h, 0x40D0EF & ~ZX_RIGHT_RESIZE), UINT64_MAX),
              ZX_ERR_ACCESS_DENIED);
}
END_TEST

/* Check 3, and check 3 beats check 4 on a fixed-size VMO. */
START_TEST(set_size_overflow_out_of_range)
{
    EXPECT_ST(t_vmo_set_size(mkvmo(P_SZ, ZX_VMO_RESIZABLE), UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(t_vmo_set_size(mkvmo(P_SZ, 0), UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(t_vmo_set_size(mkvmo(P_SZ, 0), UINT64_MAX - P_SZ + 2), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* Check 4, growing and shrinking alike. */
START_TEST(set_size_fixed_unavailable)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_ST(t_vmo_set_size(h, 3 * P_SZ), ZX_ERR_UNAVAILABLE);
    EXPECT_ST(t_vmo_set_size(h, P_SZ), ZX_ERR_UNAVAILABLE);
    EXPECT_ST(t_vmo_set_size(h, 2 * P_SZ), ZX_ERR_UNAVAILABLE);
    ck_assert_uint_eq(vmo_size(h), 2 * P_SZ);
}
END_TEST

START_TEST(set_size_slice_unavailable)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    zx_handle_t s = mkchild(h, ZX_VMO_CHILD_SLICE, 0, P_SZ);
    EXPECT_ST(t_vmo_set_size(s, 2 * P_SZ), ZX_ERR_UNAVAILABLE);
}
END_TEST

/* Check 4 beats check 5. */
START_TEST(set_size_unavailable_beats_above_max)
{
    EXPECT_ST(t_vmo_set_size(mkvmo(P_SZ, 0), MAX_VMO + P_SZ), ZX_ERR_UNAVAILABLE);
}
END_TEST

/* Check 5. */
START_TEST(set_size_above_max_out_of_range)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_RESIZABLE);
    EXPECT_ST(t_vmo_set_size(h, MAX_VMO + 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(t_vmo_set_size(h, MAX_VMO + P_SZ), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(t_vmo_set_size(h, MAX_VMO));
    ck_assert_uint_eq(vmo_size(h), MAX_VMO);
}
END_TEST

/* Check 5, second half: a child whose offset plus the new size overflows. */
START_TEST(set_size_child_offset_overflow_invalid)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_handle_t c = mkchild(h, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE, 1ull << 63, P_SZ);
    EXPECT_ST(t_vmo_set_size(c, MAX_VMO), ZX_ERR_INVALID_ARGS);
    EXPECT_OK(t_vmo_set_size(c, 2 * P_SZ));
}
END_TEST

START_TEST(set_size_rounds_and_sets_content_size)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_RESIZABLE);
    EXPECT_OK(t_vmo_set_size(h, 5000));
    ck_assert_uint_eq(vmo_size(h), 2 * P_SZ);
    ck_assert_uint_eq(content_size(h), 5000);
    EXPECT_OK(t_vmo_set_size(h, 0));
    ck_assert_uint_eq(vmo_size(h), 0);
    ck_assert_uint_eq(content_size(h), 0);
}
END_TEST

START_TEST(set_size_zeroes_tail_of_last_page)
{
    zx_handle_t h = mkvmo(2 * P_SZ, ZX_VMO_RESIZABLE);
    vfill(h, 0, 2 * P_SZ, 0xAA);
    EXPECT_OK(t_vmo_set_size(h, 5000));
    vexpect(h, 0, 5000, 0xAA);
    vexpect(h, 5000, 2 * P_SZ - 5000, 0);
}
END_TEST

START_TEST(set_size_shrink_frees_pages)
{
    zx_handle_t h = mkvmo(4 * P_SZ, ZX_VMO_RESIZABLE);
    vfill(h, 0, 4 * P_SZ, 1);
    ck_assert_uint_eq(committed(h), 4 * P_SZ);
    EXPECT_OK(t_vmo_set_size(h, P_SZ));
    ck_assert_uint_eq(committed(h), P_SZ);
}
END_TEST

START_TEST(set_size_grow_after_shrink_reads_zero)
{
    zx_handle_t h = mkvmo(3 * P_SZ, ZX_VMO_RESIZABLE);
    vfill(h, 0, 3 * P_SZ, 0xEE);
    EXPECT_OK(t_vmo_set_size(h, P_SZ));
    EXPECT_OK(t_vmo_set_size(h, 3 * P_SZ));
    vexpect(h, 0, P_SZ, 0xEE);
    vexpect(h, P_SZ, 2 * P_SZ, 0);
    ck_assert_uint_eq(committed(h), P_SZ);
}
END_TEST

/* Mappings stay; pages beyond the new end fault "out of range". */
START_TEST(set_size_shrink_under_mapping)
{
    zx_handle_t h = mkvmo(2 * P_SZ, ZX_VMO_RESIZABLE);
    gva a = map_in(ROOT, h, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, 2 * P_SZ);
    gfill(a, 2 * P_SZ, 0x31); /* both entries present now */
    EXPECT_OK(t_vmo_set_size(h, P_SZ));
    uint8_t b;
    EXPECT_ST(g_load8(a + P_SZ, &b), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(g_store8(a + P_SZ, 1), ZX_ERR_OUT_OF_RANGE);
    gexpect(a, P_SZ, 0x31);
    /* User copies from/to the range now beyond the VMO. */
    zx_handle_t other = mkvmo(P_SZ, 0);
    EXPECT_ST(SC(SYS_vmo_read, other, a + P_SZ, 0, 16), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(SC(SYS_vmo_write, other, a + P_SZ, 0, 16), ZX_ERR_OUT_OF_RANGE);
    /* Grow again: the range is reachable and reads zero. */
    EXPECT_OK(t_vmo_set_size(h, 2 * P_SZ));
    gexpect(a + P_SZ, P_SZ, 0);
}
END_TEST

/* A mapping larger than its VMO: stores reach the VMO once it grows. */
START_TEST(set_size_grow_under_larger_mapping)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_RESIZABLE);
    gva a = map_in(ROOT, h, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, 3 * P_SZ);
    EXPECT_ST(g_store8(a + 2 * P_SZ, 9), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(t_vmo_set_size(h, 3 * P_SZ));
    EXPECT_OK(g_store8(a + 2 * P_SZ + 5, 9));
    ck_assert_uint_eq(vbyte(h, 2 * P_SZ + 5), 9);
}
END_TEST

START_TEST(set_size_trims_content_size)
{
    zx_handle_t h = mkvmo(4 * P_SZ, ZX_VMO_RESIZABLE);
    EXPECT_OK(t_vmo_set_size(h, P_SZ + 100));
    ck_assert_uint_eq(content_size(h), P_SZ + 100);
    ck_assert_uint_le(content_size(h), vmo_size(h));
}
END_TEST

/* ---------------- zx_vmo_replace_as_executable ---------------- */

START_TEST(replace_exec_adds_execute_and_closes_old)
{
    zx_handle_t h = mkvmo(P_SZ, 0), x = 0;
    EXPECT_OK(t_vmo_replace_as_executable(h, ZX_HANDLE_INVALID, &x));
    ck_assert_uint_eq(rights_of(x), 0xD0EF | ZX_RIGHT_EXECUTE);
    ck_assert(!handle_live(h));
}
END_TEST

START_TEST(replace_exec_keeps_reduced_rights)
{
    zx_handle_t h = hdup(mkvmo(P_SZ, 0), ZX_RIGHT_READ | ZX_RIGHT_MAP), x = 0;
    EXPECT_OK(t_vmo_replace_as_executable(h, ZX_HANDLE_INVALID, &x));
    ck_assert_uint_eq(rights_of(x), ZX_RIGHT_READ | ZX_RIGHT_MAP | ZX_RIGHT_EXECUTE);
}
END_TEST

/* No right is needed on the handle. */
START_TEST(replace_exec_no_right_needed)
{
    zx_handle_t h = hdup(mkvmo(P_SZ, 0), ZX_RIGHT_NONE), x = 0;
    EXPECT_OK(t_vmo_replace_as_executable(h, ZX_HANDLE_INVALID, &x));
    ck_assert_uint_eq(rights_of(x), ZX_RIGHT_EXECUTE);
}
END_TEST

START_TEST(replace_exec_bad_handle)
{
    zx_handle_t x = 0;
    EXPECT_ST(t_vmo_replace_as_executable(dead_handle(), ZX_HANDLE_INVALID, &x), ZX_ERR_BAD_HANDLE);
}
END_TEST

/* Not a VMO is BAD_HANDLE (sic), and the handle is removed anyway. */
START_TEST(replace_exec_not_vmo_bad_handle_and_removed)
{
    zx_handle_t v = hdup(ROOT, ZX_RIGHT_SAME_RIGHTS), x = 0;
    EXPECT_ST(t_vmo_replace_as_executable(v, ZX_HANDLE_INVALID, &x), ZX_ERR_BAD_HANDLE);
    ck_assert(!handle_live(v));
    ck_assert(handle_live(ROOT));
}
END_TEST

/* Step 1 fails (vmex is not a VMEX resource): the VMO handle is gone anyway.
 * The status is that of the vmex lookup; a dead value gives BAD_HANDLE. */
START_TEST(replace_exec_bad_vmex_still_removes_handle)
{
    zx_handle_t h = mkvmo(P_SZ, 0), x = 0x1234;
    EXPECT_ST(t_vmo_replace_as_executable(h, dead_handle(), &x), ZX_ERR_BAD_HANDLE);
    ck_assert(!handle_live(h));
    ck_assert_uint_eq(x, 0x1234);
}
END_TEST

/* A vmex of the wrong type (a VMO, not a resource): WRONG_TYPE, handle gone.
 * Zircon's documentation does not name the status; Zircon's resource lookup gives this. */
START_TEST(replace_exec_vmex_wrong_type)
{
    zx_handle_t h = mkvmo(P_SZ, 0), other = mkvmo(P_SZ, 0), x;
    EXPECT_ST(t_vmo_replace_as_executable(h, other, &x), ZX_ERR_WRONG_TYPE);
    ck_assert(!handle_live(h));
}
END_TEST

/* docs/semantics.md "Entry rules": an unwritable out-pointer is INVALID_ARGS. */
START_TEST(replace_exec_bad_out)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_ST(SC(SYS_vmo_replace_as_executable, h, ZX_HANDLE_INVALID, 0), ZX_ERR_INVALID_ARGS);
}
END_TEST

START_TEST(replace_exec_allows_exec_mapping)
{
    zx_handle_t h = mkvmo(P_SZ, 0), x = 0;
    gva a;
    EXPECT_ST(t_vmar_map(ROOT, ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, h, 0, P_SZ, &a),
              ZX_ERR_ACCESS_DENIED);
    EXPECT_OK(t_vmo_replace_as_executable(h, ZX_HANDLE_INVALID, &x));
    EXPECT_OK(t_vmar_map(ROOT, ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, x, 0, P_SZ, &a));
    EXPECT_OK(g_exec(a));
}
END_TEST

/* ---------------- zx_vmo_set_cache_policy ---------------- */

/* Check 1 comes before the handle. */
START_TEST(cache_policy_bad_policy_before_handle)
{
    EXPECT_ST(t_vmo_set_cache_policy(dead_handle(), 4), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(t_vmo_set_cache_policy(ZX_HANDLE_INVALID, 0xFFFFFFFFu), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(t_vmo_set_cache_policy(ROOT, 8), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(t_vmo_set_cache_policy(mkvmo(P_SZ, 0), 4), ZX_ERR_INVALID_ARGS);
}
END_TEST

/* Check 2. */
START_TEST(cache_policy_handle_checks)
{
    EXPECT_ST(t_vmo_set_cache_policy(dead_handle(), 1), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(t_vmo_set_cache_policy(ROOT, 1), ZX_ERR_WRONG_TYPE);
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_ST(t_vmo_set_cache_policy(hdup(h, 0xD0EF & ~ZX_RIGHT_MAP), 1), ZX_ERR_ACCESS_DENIED);
}
END_TEST

/* Check 2 beats check 3. */
START_TEST(cache_policy_map_right_beats_bad_state)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    map_in(ROOT, h, ZX_VM_PERM_READ, 0, P_SZ);
    EXPECT_ST(t_vmo_set_cache_policy(hdup(h, 0xD0EF & ~ZX_RIGHT_MAP), 1), ZX_ERR_ACCESS_DENIED);
}
END_TEST

START_TEST(cache_policy_fresh_switches_freely)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    for (uint32_t p = 0; p < 4; p++) {
        EXPECT_OK(t_vmo_set_cache_policy(h, p));
        ck_assert_uint_eq(vmo_info(h).cache_policy, p);
    }
    EXPECT_OK(t_vmo_set_cache_policy(h, ZX_CACHE_POLICY_CACHED));
    vfill(h, 0, 8, 1);
}
END_TEST

START_TEST(cache_policy_mapped_bad_state)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    gva a = map_in(ROOT, h, ZX_VM_PERM_READ, 0, P_SZ);
    EXPECT_ST(t_vmo_set_cache_policy(h, 1), ZX_ERR_BAD_STATE);
    EXPECT_OK(t_vmar_unmap(ROOT, a, P_SZ));
    EXPECT_OK(t_vmo_set_cache_policy(h, 1));
}
END_TEST

START_TEST(cache_policy_with_children_bad_state)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_handle_t c = mkchild(h, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ);
    EXPECT_ST(t_vmo_set_cache_policy(h, 1), ZX_ERR_BAD_STATE);
    EXPECT_OK(t_handle_close(c));
    EXPECT_OK(t_vmo_set_cache_policy(h, 1));
}
END_TEST

START_TEST(cache_policy_child_bad_state)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_handle_t s = mkchild(h, ZX_VMO_CHILD_SLICE, 0, P_SZ);
    zx_handle_t c = mkchild(h, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ);
    EXPECT_ST(t_vmo_set_cache_policy(s, 1), ZX_ERR_BAD_STATE);
    EXPECT_ST(t_vmo_set_cache_policy(c, 1), ZX_ERR_BAD_STATE);
}
END_TEST

/* Committed pages only matter while the current policy is not CACHED. */
START_TEST(cache_policy_committed_pages)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    vfill(h, 0, 8, 1);
    EXPECT_OK(t_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED));
    EXPECT_ST(t_vmo_set_cache_policy(h, ZX_CACHE_POLICY_WRITE_COMBINING), ZX_ERR_BAD_STATE);
    EXPECT_ST(t_vmo_set_cache_policy(h, ZX_CACHE_POLICY_CACHED), ZX_ERR_BAD_STATE);
}
END_TEST

START_TEST(cache_policy_blocks_snapshot_children)
{
    zx_handle_t h = mkvmo(P_SZ, 0), c;
    EXPECT_OK(t_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED_DEVICE));
    EXPECT_ST(t_vmo_create_child(h, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ, &c), ZX_ERR_BAD_STATE);
}
END_TEST

Suite *vmo_suite(void)
{
    Suite *s = suite_create("vm_vmo");
    TCase *tc = h_tcase("create");
    ADD(tc, create_default_rights_and_state);
    ADD(tc, create_resizable_gets_resize_right);
    ADD(tc, create_discardable_rights);
    ADD(tc, create_rounds_size_and_keeps_content_size);
    ADD(tc, create_size_zero_is_legal);
    ADD(tc, create_contents_zero_and_reads_commit_nothing);
    ADD(tc, create_resizable_unbounded_invalid);
    ADD(tc, create_resizable_unbounded_beats_stream_range);
    ADD(tc, create_size_uint64_max_out_of_range);
    ADD(tc, create_size_roundup_overflow_out_of_range);
    ADD(tc, create_size_above_max_out_of_range);
    ADD(tc, create_size_exactly_max_ok);
    ADD(tc, create_range_beats_unknown_option);
    ADD(tc, create_unknown_options_invalid);
    ADD(tc, create_unknown_option_beats_unbounded_range);
    ADD(tc, create_unbounded_stream_too_large);
    ADD(tc, create_unbounded_semantics);
    ADD(tc, create_bad_out_invalid_and_vmo_dropped);
    ADD(tc, create_range_beats_bad_out);
    ADD(tc, create_handles_distinct_and_live);
    suite_add_tcase(s, tc);

    tc = h_tcase("read_write");
    ADD(tc, rw_bad_handle);
    ADD(tc, rw_wrong_type);
    ADD(tc, rw_wrong_type_beats_rights);
    ADD(tc, rw_needs_rights);
    ADD(tc, rw_zero_length_still_needs_rights);
    ADD(tc, rw_rights_beat_range);
    ADD(tc, rw_range_past_end);
    ADD(tc, rw_range_overflow);
    ADD(tc, rw_zero_length_at_and_past_end);
    ADD(tc, rw_range_beats_cache_policy);
    ADD(tc, rw_uncached_bad_state);
    ADD(tc, rw_checks_beat_buffer_fault);
    ADD(tc, rw_buffer_unmapped_not_found);
    ADD(tc, rw_buffer_permission_access_denied);
    ADD(tc, rw_buffer_beyond_vmo_out_of_range);
    ADD(tc, rw_buffer_straddling_hole);
    ADD(tc, rw_roundtrip_unaligned_across_pages);
    ADD(tc, rw_write_commits_touched_pages);
    ADD(tc, rw_into_mapping_of_same_vmo);
    ADD(tc, rw_into_mapping_of_other_vmo);
    ADD(tc, rw_write_visible_through_mapping);
    suite_add_tcase(s, tc);

    tc = h_tcase("size");
    ADD(tc, get_size_checks);
    ADD(tc, get_size_needs_no_right);
    ADD(tc, get_size_bad_out_invalid_args);
    ADD(tc, get_size_type_beats_bad_out);
    ADD(tc, set_size_handle_checks);
    ADD(tc, set_size_write_beats_unavailable);
    ADD(tc, set_size_resizable_needs_resize_right);
    ADD(tc, set_size_resize_right_beats_overflow);
    ADD(tc, set_size_overflow_out_of_range);
    ADD(tc, set_size_fixed_unavailable);
    ADD(tc, set_size_slice_unavailable);
    ADD(tc, set_size_unavailable_beats_above_max);
    ADD(tc, set_size_above_max_out_of_range);
    ADD(tc, set_size_child_offset_overflow_invalid);
    ADD(tc, set_size_rounds_and_sets_content_size);
    ADD(tc, set_size_zeroes_tail_of_last_page);
    ADD(tc, set_size_shrink_frees_pages);
    ADD(tc, set_size_grow_after_shrink_reads_zero);
    ADD(tc, set_size_shrink_under_mapping);
    ADD(tc, set_size_grow_under_larger_mapping);
    ADD(tc, set_size_trims_content_size);
    suite_add_tcase(s, tc);

    tc = h_tcase("replace_as_executable");
    ADD(tc, replace_exec_adds_execute_and_closes_old);
    ADD(tc, replace_exec_keeps_reduced_rights);
    ADD(tc, replace_exec_no_right_needed);
    ADD(tc, replace_exec_bad_handle);
    ADD(tc, replace_exec_not_vmo_bad_handle_and_removed);
    ADD(tc, replace_exec_bad_vmex_still_removes_handle);
    ADD(tc, replace_exec_vmex_wrong_type);
    ADD(tc, replace_exec_bad_out);
    ADD(tc, replace_exec_allows_exec_mapping);
    suite_add_tcase(s, tc);

    tc = h_tcase("cache_policy");
    ADD(tc, cache_policy_bad_policy_before_handle);
    ADD(tc, cache_policy_handle_checks);
    ADD(tc, cache_policy_map_right_beats_bad_state);
    ADD(tc, cache_policy_fresh_switches_freely);
    ADD(tc, cache_policy_mapped_bad_state);
    ADD(tc, cache_policy_with_children_bad_state);
    ADD(tc, cache_policy_child_bad_state);
    ADD(tc, cache_policy_committed_pages);
    ADD(tc, cache_policy_blocks_snapshot_children);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return h_run(vmo_suite());
}

/* zx_vmo_create_child (docs/semantics.md "Child check order"): the ten checks in order, child
 * rights, slices, snapshots, references, ZX_VMO_ZERO_CHILDREN, and the exact copy-on-write contents
 * and attribution figures of docs/semantics.md "Attribution". */
#include "vm_harness.h"

#define SNAP          ZX_VMO_CHILD_SNAPSHOT
#define SLICE         ZX_VMO_CHILD_SLICE
#define ALOW          ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE
#define MOD           ZX_VMO_CHILD_SNAPSHOT_MODIFIED
#define REF           ZX_VMO_CHILD_REFERENCE
#define RSZ           ZX_VMO_CHILD_RESIZABLE
#define NOW           ZX_VMO_CHILD_NO_WRITE
#define RW            (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE)
#define TWO64_MINUS_P (0ull - P_SZ)

static zx_status_t child(zx_handle_t h, uint32_t opts, uint64_t off, uint64_t size)
{
    zx_handle_t out = 0xABCD;
    zx_status_t st = t_vmo_create_child(h, opts, off, size, &out);
    if (st != ZX_OK)
        ck_assert_uint_eq(out, 0xABCD); /* out written only on success */
    return st;
}

/* RSS / USS / PSS (+ fraction) of a VMO, populated_* equal to committed_*. */
static void attr(zx_handle_t h, uint64_t rss, uint64_t uss, uint64_t pss, uint64_t frac)
{
    zx_info_vmo_t i = vmo_info(h);
    ck_assert_msg(i.committed_bytes == rss && i.committed_private_bytes == uss &&
                      i.committed_scaled_bytes == pss &&
                      i.committed_fractional_scaled_bytes == frac,
                  "attribution rss/uss/pss/frac = %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
                  "/%" G_GUINT64_FORMAT "/%#" G_GINT64_MODIFIER "x, want %" G_GUINT64_FORMAT
                  "/%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "/%#" G_GINT64_MODIFIER "x",
                  i.committed_bytes, i.committed_private_bytes, i.committed_scaled_bytes,
                  i.committed_fractional_scaled_bytes, rss, uss, pss, frac);
    ck_assert_uint_eq(i.populated_bytes, i.committed_bytes);
    ck_assert_uint_eq(i.populated_private_bytes, i.committed_private_bytes);
    ck_assert_uint_eq(i.populated_scaled_bytes, i.committed_scaled_bytes);
    ck_assert_uint_eq(i.populated_fractional_scaled_bytes, i.committed_fractional_scaled_bytes);
}

/* ---------------- check order (docs/semantics.md "Child check order") ---------------- */

/* Check 1 comes before the handle. */
START_TEST(child_size_overflow_before_handle)
{
    EXPECT_ST(child(dead_handle(), SNAP, 0, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(child(ROOT, SLICE, 0, UINT64_MAX - 100), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(child(mkvmo(P_SZ, 0), SNAP, 0, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* Check 2 comes before the handle; check 1 beats it. */
START_TEST(child_no_write_resizable_before_handle)
{
    EXPECT_ST(child(dead_handle(), SNAP | NOW | RSZ, 0, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(ROOT, SNAP | NOW | RSZ, 0, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(mkvmo(P_SZ, ZX_VMO_RESIZABLE), SNAP | NOW | RSZ, 0, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(dead_handle(), SNAP | NOW | RSZ, 0, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* Check 3. */
START_TEST(child_handle_checks)
{
    EXPECT_ST(child(dead_handle(), SNAP, 0, P_SZ), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(child(ZX_HANDLE_INVALID, SNAP, 0, P_SZ), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(child(ROOT, SNAP, 0, P_SZ), ZX_ERR_WRONG_TYPE);
    EXPECT_ST(child(SELF, SLICE, 0, P_SZ), ZX_ERR_WRONG_TYPE);
}
END_TEST

START_TEST(child_needs_duplicate_and_read)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_ST(child(hdup(h, 0xD0EF & ~ZX_RIGHT_DUPLICATE), SNAP, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(child(hdup(h, 0xD0EF & ~ZX_RIGHT_READ), SNAP, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(child(hdup(h, 0xD0EF & ~ZX_RIGHT_READ), SLICE, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(child(hdup(h, 0xD0EF & ~ZX_RIGHT_DUPLICATE), REF, 0, 0), ZX_ERR_ACCESS_DENIED);
    /* MAP is not needed. */
    EXPECT_OK(child(hdup(h, ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ), SNAP, 0, P_SZ));
    EXPECT_OK(child(hdup(h, ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ), SLICE, 0, P_SZ));
}
END_TEST

/* Check 3 beats check 4 and the option checks. */
START_TEST(child_rights_beat_later_checks)
{
    zx_handle_t d = mkvmo(P_SZ, ZX_VMO_DISCARDABLE);
    EXPECT_ST(child(hdup(d, ZX_RIGHT_DUPLICATE), SNAP, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
    zx_handle_t h = hdup(mkvmo(P_SZ, 0), ZX_RIGHT_READ);
    EXPECT_ST(child(h, 0, 3, P_SZ), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(child(h, SLICE | SNAP, 0, P_SZ), ZX_ERR_ACCESS_DENIED);
}
END_TEST

/* Check 3 beats check 1? No: check 1 comes first even with a wrong type. */
START_TEST(child_wrong_type_loses_to_size_overflow)
{
    EXPECT_ST(child(ROOT, SNAP, 0, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* Check 4: discardable parents have no children; it beats checks 5-8. */
START_TEST(child_discardable_parent_not_supported)
{
    zx_handle_t d = mkvmo(2 * P_SZ, ZX_VMO_DISCARDABLE);
    EXPECT_ST(child(d, SNAP, 0, P_SZ), ZX_ERR_NOT_SUPPORTED);
    EXPECT_ST(child(d, SLICE, 0, P_SZ), ZX_ERR_NOT_SUPPORTED);
    EXPECT_ST(child(d, REF, 0, 0), ZX_ERR_NOT_SUPPORTED);
    EXPECT_ST(child(d, SLICE | SNAP, 0, P_SZ), ZX_ERR_NOT_SUPPORTED);
    EXPECT_ST(child(d, REF, P_SZ, P_SZ), ZX_ERR_NOT_SUPPORTED);
    EXPECT_ST(child(d, 0, 0, P_SZ), ZX_ERR_NOT_SUPPORTED);
    EXPECT_ST(child(d, SNAP, 3, P_SZ), ZX_ERR_NOT_SUPPORTED);
    EXPECT_ST(child(d, SLICE, 0, 10 * P_SZ), ZX_ERR_NOT_SUPPORTED);
}
END_TEST

/* Check 5: SLICE admits no other bit except NO_WRITE. */
START_TEST(child_slice_with_other_bits_invalid)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    const uint32_t bad[] = {SLICE | RSZ, SLICE | SNAP, SLICE | ALOW,     SLICE | REF,
                            SLICE | MOD, SLICE | 0x2,  SLICE | (1u << 8)};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
        EXPECT_ST(child(h, bad[i], 0, P_SZ), ZX_ERR_INVALID_ARGS);
    zx_handle_t s = 0;
    EXPECT_OK(t_vmo_create_child(h, SLICE | NOW, 0, P_SZ, &s));
    ck_assert_uint_eq(rights_of(s) & ZX_RIGHT_WRITE, 0);
}
END_TEST

/* The examples of docs/semantics.md "Slices", on a 2-page parent. */
START_TEST(child_slice_range_examples)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_ST(child(h, SLICE, 0, 3 * P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, SLICE, P_SZ, 2 * P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, SLICE, 2 * P_SZ, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, SLICE, 0, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(child(h, SLICE, 0, TWO64_MINUS_P), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(child(h, SLICE, TWO64_MINUS_P, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, SLICE, TWO64_MINUS_P, TWO64_MINUS_P), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(child(h, SLICE, P_SZ, P_SZ));
    EXPECT_OK(child(h, SLICE, 0, 2 * P_SZ));
}
END_TEST

START_TEST(child_slice_size_above_max_out_of_range)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_ST(child(h, SLICE, 0, MAX_VMO + 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(child(h, SLICE, P_SZ, MAX_VMO + P_SZ), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

START_TEST(child_slice_unaligned_offset_invalid)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_ST(child(h, SLICE, 10, P_SZ), ZX_ERR_INVALID_ARGS);
}
END_TEST

/* A resizable parent refuses slices, but range errors are reported first. */
START_TEST(child_slice_of_resizable_parent)
{
    zx_handle_t h = mkvmo(2 * P_SZ, ZX_VMO_RESIZABLE);
    EXPECT_ST(child(h, SLICE, 0, P_SZ), ZX_ERR_NOT_SUPPORTED);
    EXPECT_ST(child(h, SLICE, 0, 3 * P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, SLICE, 2 * P_SZ, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, SLICE, 0, TWO64_MINUS_P), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* Check 6: REFERENCE. */
START_TEST(child_reference_option_rules)
{
    zx_handle_t h = mkvmo(2 * P_SZ, ZX_VMO_RESIZABLE);
    EXPECT_ST(child(h, REF | SNAP, 0, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, REF | ALOW, 0, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, REF | MOD, 0, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, REF | 0x2, 0, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_OK(child(h, REF, 0, 0));
    EXPECT_OK(child(h, REF | RSZ, 0, 0));
}
END_TEST

START_TEST(child_reference_offset_size_must_be_zero)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_ST(child(h, REF, P_SZ, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, REF, 0, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, REF, 0, 2 * P_SZ), ZX_ERR_INVALID_ARGS);
}
END_TEST

/* NO_WRITE is consumed before the type checks (check 2's stage), so a
 * NO_WRITE reference is accepted and lacks WRITE (docs/semantics.md "Child rights"). */
START_TEST(child_reference_no_write)
{
    zx_handle_t h = mkvmo(P_SZ, 0), r = 0;
    EXPECT_OK(t_vmo_create_child(h, REF | NOW, 0, 0, &r));
    ck_assert_uint_eq(rights_of(r), 0xD0EF & ~ZX_RIGHT_WRITE);
}
END_TEST

START_TEST(child_reference_resizable_needs_only_dup_read)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_RESIZABLE);
    zx_handle_t r = 0;
    EXPECT_OK(t_vmo_create_child(hdup(h, ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ), REF | RSZ, 0, 0, &r));
    ck_assert(rights_of(r) & ZX_RIGHT_RESIZE);
}
END_TEST

START_TEST(child_reference_of_slice_not_supported)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    zx_handle_t s = mkchild(h, SLICE, 0, P_SZ);
    EXPECT_ST(child(s, REF, 0, 0), ZX_ERR_NOT_SUPPORTED);
}
END_TEST

/* Listed order in check 6: offset/size before the slice refusal. */
START_TEST(child_reference_offset_beats_slice_refusal)
{
    zx_handle_t s = mkchild(mkvmo(2 * P_SZ, 0), SLICE, 0, P_SZ);
    EXPECT_ST(child(s, REF, P_SZ, 0), ZX_ERR_INVALID_ARGS);
}
END_TEST

START_TEST(child_resizable_reference_of_fixed_vmo_not_supported)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_ST(child(h, REF | RSZ, 0, 0), ZX_ERR_NOT_SUPPORTED);
}
END_TEST

/* Check 7: exactly one snapshot type. */
START_TEST(child_no_type_invalid)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_ST(child(h, 0, 0, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, RSZ, 0, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, NOW, 0, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, 0x2, 0, P_SZ), ZX_ERR_INVALID_ARGS);
}
END_TEST

START_TEST(child_two_types_invalid)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_ST(child(h, SNAP | ALOW, 0, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, SNAP | MOD, 0, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, ALOW | MOD, 0, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, SNAP | 0x2, 0, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, ALOW | (1u << 8), 0, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, SNAP | (1u << 31), 0, P_SZ), ZX_ERR_INVALID_ARGS);
}
END_TEST

START_TEST(child_each_type_with_modifiers_ok)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    const uint32_t ok[] = {SNAP, ALOW, MOD, SNAP | RSZ, ALOW | RSZ, MOD | NOW, SNAP | NOW};
    for (size_t i = 0; i < G_N_ELEMENTS(ok); i++)
        EXPECT_OK(child(h, ok[i], 0, P_SZ));
}
END_TEST

/* Check 7 beats checks 8 and 9. */
START_TEST(child_type_beats_alignment_and_cache)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_OK(t_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED));
    EXPECT_ST(child(h, 0, 0, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, SNAP | ALOW, 0, P_SZ), ZX_ERR_INVALID_ARGS);
}
END_TEST

/* Check 8. */
START_TEST(child_snapshot_unaligned_offset_invalid)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_ST(child(h, SNAP, 1, P_SZ), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(child(h, ALOW, P_SZ / 2, P_SZ), ZX_ERR_INVALID_ARGS);
}
END_TEST

/* offset + size overflowing 64 bits; by the slice rules that is
 * INVALID_ARGS (the size alone is fine). */
START_TEST(child_snapshot_offset_size_overflow)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_ST(child(h, SNAP, TWO64_MINUS_P, 2 * P_SZ), ZX_ERR_INVALID_ARGS);
}
END_TEST

/* A snapshot size above the maximum VMO size is OUT_OF_RANGE (slice rules). */
START_TEST(child_snapshot_size_above_max)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_ST(child(h, SNAP, 0, TWO64_MINUS_P), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* Check 8 beats check 9. */
START_TEST(child_alignment_beats_cache_policy)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    EXPECT_OK(t_vmo_set_cache_policy(h, ZX_CACHE_POLICY_WRITE_COMBINING));
    EXPECT_ST(child(h, SNAP, 1, P_SZ), ZX_ERR_INVALID_ARGS);
}
END_TEST

/* Check 9: snapshot types need a CACHED parent. */
START_TEST(child_snapshot_of_uncached_bad_state)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_OK(t_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED));
    EXPECT_ST(child(h, SNAP, 0, P_SZ), ZX_ERR_BAD_STATE);
    EXPECT_ST(child(h, ALOW, 0, P_SZ), ZX_ERR_BAD_STATE);
    EXPECT_ST(child(h, MOD, 0, P_SZ), ZX_ERR_BAD_STATE);
}
END_TEST

/* Check 9 is for snapshot types only: a slice of an uncached VMO is made. */
START_TEST(child_slice_of_uncached_ok)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_OK(t_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED));
    EXPECT_OK(child(h, SLICE, 0, P_SZ));
}
END_TEST

/* Check 10: the out-pointer; the child is destroyed again. */
START_TEST(child_bad_out_invalid_and_child_destroyed)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    const gva outs[] = {0, ro_ptr(), G_KERNEL};
    const uint32_t kinds[] = {SNAP, SLICE, ALOW};
    for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++)
        for (size_t i = 0; i < G_N_ELEMENTS(outs); i++)
            EXPECT_ST(SC(SYS_vmo_create_child, h, kinds[k], 0, P_SZ, outs[i]), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_vmo_create_child, h, REF, 0, 0, 0), ZX_ERR_INVALID_ARGS);
    ck_assert_uint_eq(vmo_info(h).num_children, 0);
    ck_assert(signaled(h, ZX_VMO_ZERO_CHILDREN));
    /* A snapshot that never came to be leaves decommit possible. */
    EXPECT_OK(t_vmo_op_range(h, ZX_VMO_OP_DECOMMIT, 0, P_SZ, 0, 0));
}
END_TEST

/* Check 9 beats check 10. */
START_TEST(child_cache_state_beats_bad_out)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_OK(t_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED));
    EXPECT_ST(SC(SYS_vmo_create_child, h, SNAP, 0, P_SZ, 0), ZX_ERR_BAD_STATE);
    EXPECT_ST(SC(SYS_vmo_create_child, h, SNAP, 0, UINT64_MAX, 0), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* ---------------- rights (docs/semantics.md "Child rights") ---------------- */

START_TEST(child_rights_examples)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    ck_assert_uint_eq(rights_of(mkchild(h, SNAP, 0, P_SZ)), 0xD0EF);
    ck_assert_uint_eq(rights_of(mkchild(h, SNAP | RSZ, 0, P_SZ)), 0x40D0EF);
    ck_assert_uint_eq(rights_of(mkchild(h, SNAP | NOW, 0, P_SZ)), 0xD0E7);
    ck_assert_uint_eq(rights_of(mkchild(h, SLICE, 0, P_SZ)), 0xD0EF);
    ck_assert_uint_eq(rights_of(mkchild(h, ALOW, 0, P_SZ)), 0xD0EF);
    ck_assert_uint_eq(rights_of(mkchild(h, REF, 0, 0)), 0xD0EF);
}
END_TEST

START_TEST(child_rights_from_read_dup_parent)
{
    zx_handle_t h = hdup(mkvmo(P_SZ, 0), ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE);
    ck_assert_uint_eq(rights_of(mkchild(h, SNAP, 0, P_SZ)),
                      ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE | ZX_RIGHT_WRITE | ZX_RIGHT_GET_PROPERTY |
                          ZX_RIGHT_SET_PROPERTY);
    /* A slice does not gain WRITE. */
    ck_assert_uint_eq(rights_of(mkchild(h, SLICE, 0, P_SZ)), ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE |
                                                                 ZX_RIGHT_GET_PROPERTY |
                                                                 ZX_RIGHT_SET_PROPERTY);
}
END_TEST

/* A snapshot drops EXECUTE; slices and references keep it. */
START_TEST(child_rights_execute)
{
    zx_handle_t x = 0;
    EXPECT_OK(t_vmo_replace_as_executable(mkvmo(P_SZ, 0), ZX_HANDLE_INVALID, &x));
    ck_assert_uint_eq(rights_of(mkchild(x, SNAP, 0, P_SZ)), 0xD0EF);
    ck_assert_uint_eq(rights_of(mkchild(x, SLICE, 0, P_SZ)), 0xD0EF | ZX_RIGHT_EXECUTE);
    ck_assert_uint_eq(rights_of(mkchild(x, REF, 0, 0)), 0xD0EF | ZX_RIGHT_EXECUTE);
}
END_TEST

/* RESIZE comes from the child option, never from the parent handle. */
START_TEST(child_rights_resize_from_option_only)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_RESIZABLE);
    zx_handle_t c = mkchild(h, SNAP, 0, P_SZ);
    ck_assert_uint_eq(rights_of(c), 0xD0EF);
    EXPECT_ST(t_vmo_set_size(c, 2 * P_SZ), ZX_ERR_UNAVAILABLE);
    ck_assert_uint_eq(vmo_info(c).flags & ZX_INFO_VMO_RESIZABLE, 0);
    zx_handle_t f = mkchild(mkvmo(P_SZ, 0), SNAP | RSZ, 0, P_SZ);
    EXPECT_OK(t_vmo_set_size(f, 3 * P_SZ));
    ck_assert(vmo_info(f).flags & ZX_INFO_VMO_RESIZABLE);
}
END_TEST

/* ---------------- common results (docs/semantics.md "Child common results") ---------------- */

START_TEST(child_size_and_content_size)
{
    zx_handle_t h = mkvmo(4 * P_SZ, 0);
    zx_handle_t c = mkchild(h, SNAP, 0, 5000);
    ck_assert_uint_eq(vmo_size(c), 2 * P_SZ);
    ck_assert_uint_eq(content_size(c), 5000);
    zx_handle_t s = mkchild(h, SLICE, P_SZ, 42);
    ck_assert_uint_eq(vmo_size(s), P_SZ);
    ck_assert_uint_eq(content_size(s), 42);
}
END_TEST

START_TEST(child_name_copied_with_get_property)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    char name[ZX_MAX_NAME_LEN] = "parent-name";
    EXPECT_OK(t_set_property(h, ZX_PROP_NAME, name, sizeof name));
    ck_assert_str_eq(vmo_info(mkchild(h, SNAP, 0, P_SZ)).name, "parent-name");
    ck_assert_str_eq(vmo_info(mkchild(h, SLICE, 0, P_SZ)).name, "parent-name");
    zx_handle_t noget = hdup(h, 0xD0EF & ~ZX_RIGHT_GET_PROPERTY);
    ck_assert_str_eq(vmo_info(mkchild(noget, SNAP, 0, P_SZ)).name, "");
}
END_TEST

START_TEST(child_counts_and_parent_koid)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    zx_handle_t a = mkchild(h, SNAP, 0, P_SZ);
    zx_handle_t b = mkchild(h, SLICE, 0, P_SZ);
    zx_handle_t c = mkchild(h, REF, 0, 0);
    ck_assert_uint_eq(vmo_info(h).num_children, 3);
    ck_assert_uint_eq(vmo_info(h).parent_koid, 0);
    ck_assert_uint_eq(vmo_info(a).parent_koid, koid_of(h));
    ck_assert_uint_eq(vmo_info(b).parent_koid, koid_of(h));
    ck_assert_uint_eq(vmo_info(c).parent_koid, koid_of(h));
    ck_assert_uint_ne(koid_of(c), koid_of(h));
    EXPECT_OK(t_handle_close(b));
    ck_assert_uint_eq(vmo_info(h).num_children, 2);
}
END_TEST

START_TEST(zero_children_signal_tracks_children)
{
    const uint32_t kinds[] = {SNAP, SLICE, REF, ALOW};
    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++) {
        zx_handle_t h = mkvmo(P_SZ, 0);
        ck_assert(signaled(h, ZX_VMO_ZERO_CHILDREN));
        zx_handle_t c = mkchild(h, kinds[i], 0, kinds[i] == REF ? 0 : P_SZ);
        ck_assert(!signaled(h, ZX_VMO_ZERO_CHILDREN));
        ck_assert(signaled(c, ZX_VMO_ZERO_CHILDREN));
        EXPECT_OK(t_handle_close(c));
        ck_assert(signaled(h, ZX_VMO_ZERO_CHILDREN));
    }
}
END_TEST

/* Grandchildren keep the signal down after the child's handle is gone. */
START_TEST(zero_children_signal_waits_for_descendants)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    zx_handle_t c = mkchild(h, SLICE, 0, 2 * P_SZ);
    zx_handle_t g = mkchild(c, SLICE, 0, P_SZ);
    EXPECT_OK(t_handle_close(c));
    ck_assert(!signaled(h, ZX_VMO_ZERO_CHILDREN));
    EXPECT_OK(t_handle_close(g));
    ck_assert(signaled(h, ZX_VMO_ZERO_CHILDREN));
}
END_TEST

/* A mapped child is still a live child. */
START_TEST(zero_children_signal_mapped_child)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_handle_t c = mkchild(h, SNAP, 0, P_SZ);
    gva a = map_in(ROOT, c, ZX_VM_PERM_READ, 0, P_SZ);
    EXPECT_OK(t_handle_close(c));
    ck_assert(!signaled(h, ZX_VMO_ZERO_CHILDREN));
    EXPECT_OK(t_vmar_unmap(ROOT, a, P_SZ));
    ck_assert(signaled(h, ZX_VMO_ZERO_CHILDREN));
}
END_TEST

/* ---------------- slices (docs/semantics.md "Slices") ---------------- */

START_TEST(slice_aliases_parent_both_ways)
{
    zx_handle_t h = mkvmo(4 * P_SZ, 0);
    zx_handle_t s = mkchild(h, SLICE, P_SZ, 2 * P_SZ);
    vfill(s, 0, 10, 0xAB);
    vexpect(h, P_SZ, 10, 0xAB);
    vfill(h, 2 * P_SZ + 5, 3, 0xCD);
    vexpect(s, P_SZ + 5, 3, 0xCD);
    uint8_t b;
    EXPECT_ST(t_vmo_read(s, &b, 2 * P_SZ, 1), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

START_TEST(slice_of_42_bytes_reads_whole_page)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    vfill(h, 0, P_SZ, 0x42);
    zx_handle_t s = mkchild(h, SLICE, 0, 42);
    vexpect(s, 0, P_SZ, 0x42);
}
END_TEST

START_TEST(slice_zero_size)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    zx_handle_t s = mkchild(h, SLICE, P_SZ, 0);
    ck_assert_uint_eq(vmo_size(s), 0);
    uint8_t b = 0;
    EXPECT_ST(t_vmo_read(s, &b, 0, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(t_vmo_write(s, &b, 0, 1), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

START_TEST(slice_decommit_either_zeroes_both)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    zx_handle_t s = mkchild(h, SLICE, 0, 2 * P_SZ);
    vfill(h, 0, 2 * P_SZ, 7);
    EXPECT_OK(t_vmo_op_range(h, ZX_VMO_OP_DECOMMIT, 0, P_SZ, 0, 0));
    vexpect(s, 0, P_SZ, 0);
    EXPECT_OK(t_vmo_op_range(s, ZX_VMO_OP_DECOMMIT, P_SZ, P_SZ, 0, 0));
    vexpect(h, P_SZ, P_SZ, 0);
    ck_assert_uint_eq(committed(h), 0);
}
END_TEST

START_TEST(slice_commit_charges_root)
{
    zx_handle_t h = mkvmo(4 * P_SZ, 0);
    zx_handle_t s = mkchild(h, SLICE, P_SZ, 2 * P_SZ);
    EXPECT_OK(t_vmo_op_range(s, ZX_VMO_OP_COMMIT, 0, 2 * P_SZ, 0, 0));
    ck_assert_uint_eq(committed(h), 2 * P_SZ);
    attr(s, 0, 0, 0, 0);
    vfill(s, 0, 1, 1);
    attr(s, 0, 0, 0, 0);
    attr(h, 2 * P_SZ, 2 * P_SZ, 2 * P_SZ, 0);
}
END_TEST

START_TEST(slice_nested)
{
    zx_handle_t h = mkvmo(8 * P_SZ, 0);
    zx_handle_t s1 = mkchild(h, SLICE, 2 * P_SZ, 4 * P_SZ);
    zx_handle_t s2 = mkchild(s1, SLICE, P_SZ, 2 * P_SZ);
    zx_handle_t s3 = mkchild(s2, SLICE, P_SZ, P_SZ);
    vfill(s3, 0, 8, 0x3E);
    vexpect(h, 4 * P_SZ, 8, 0x3E);
    vexpect(s1, 2 * P_SZ, 8, 0x3E);
    ck_assert_uint_eq(vmo_info(s3).parent_koid, koid_of(s2));
}
END_TEST

START_TEST(slice_flags_not_cow)
{
    zx_handle_t s = mkchild(mkvmo(P_SZ, 0), SLICE, 0, P_SZ);
    ck_assert_uint_eq(vmo_info(s).flags, ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE);
}
END_TEST

START_TEST(slice_keeps_pages_after_parent_closed)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    vfill(h, 0, 2 * P_SZ, 0x61);
    zx_handle_t s = mkchild(h, SLICE, P_SZ, P_SZ);
    EXPECT_OK(t_handle_close(h));
    vexpect(s, 0, P_SZ, 0x61);
    vfill(s, 0, 4, 0x62);
    vexpect(s, 0, 4, 0x62);
}
END_TEST

START_TEST(slice_mapping_aliases_parent_mapping)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    zx_handle_t s = mkchild(h, SLICE, P_SZ, P_SZ);
    gva ph = map_in(ROOT, h, RW, 0, 2 * P_SZ);
    gva ps = map_in(ROOT, s, RW, 0, P_SZ);
    gexpect(ph + P_SZ, 4, 0); /* shows the zero page */
    gfill(ps, 4, 0x15);
    gexpect(ph + P_SZ, 4, 0x15);
    gfill(ph + P_SZ, 4, 0x16);
    gexpect(ps, 4, 0x16);
    ck_assert_uint_eq(vmo_info(s).num_mappings, 1);
    ck_assert_uint_eq(vmo_info(h).num_mappings, 1);
}
END_TEST

/* ---------------- snapshots (docs/semantics.md "Snapshots") ---------------- */

static void snapshot_diverges(uint32_t kind)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    vfill(h, 0, 2 * P_SZ, 0xA0);
    zx_handle_t c = mkchild(h, kind, 0, 2 * P_SZ);
    vexpect(c, 0, 2 * P_SZ, 0xA0);
    vfill(h, 0, 8, 0xA1);
    vexpect(c, 0, 8, 0xA0);
    vfill(c, P_SZ, 8, 0xC1);
    vexpect(h, P_SZ, 8, 0xA0);
    vexpect(c, P_SZ, 8, 0xC1);
    vexpect(h, 0, 8, 0xA1);
    ck_assert_uint_eq(vmo_info(c).flags,
                      ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_IS_COW_CLONE | ZX_INFO_VMO_VIA_HANDLE);
}

START_TEST(snapshot_diverges_both_ways)
{
    snapshot_diverges(SNAP);
}
END_TEST

START_TEST(snapshot_at_least_on_write_diverges)
{
    snapshot_diverges(ALOW);
}
END_TEST

START_TEST(snapshot_modified_diverges)
{
    snapshot_diverges(MOD);
}
END_TEST

/* At mapping level: the parent's existing writable entries must be write
 * protected when the snapshot is made. */
START_TEST(snapshot_diverges_through_mappings)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    gva ph = map_in(ROOT, h, RW, 0, 2 * P_SZ);
    gfill(ph, 2 * P_SZ, 0x10);
    zx_handle_t c = mkchild(h, SNAP, 0, 2 * P_SZ);
    gva pc = map_in(ROOT, c, RW, 0, 2 * P_SZ);
    gexpect(pc, 2 * P_SZ, 0x10);
    gfill(ph, 16, 0x11);
    gexpect(pc, 16, 0x10);
    vexpect(c, 0, 16, 0x10);
    gfill(pc + P_SZ, 16, 0x12);
    gexpect(ph + P_SZ, 16, 0x10);
    vexpect(h, P_SZ, 16, 0x10);
}
END_TEST

START_TEST(snapshot_beyond_parent_reads_zero)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    vfill(h, 0, P_SZ, 0x11);
    zx_handle_t c = mkchild(h, SNAP, 0, 3 * P_SZ);
    vexpect(c, 0, P_SZ, 0x11);
    vexpect(c, P_SZ, 2 * P_SZ, 0);
    zx_handle_t d = mkchild(h, SNAP, 4 * P_SZ, P_SZ);
    vexpect(d, 0, P_SZ, 0);
    vfill(d, 0, 8, 1);
    vexpect(h, 0, 8, 0x11);
}
END_TEST

START_TEST(snapshot_grown_child_shows_zeros)
{
    zx_handle_t h = mkvmo(3 * P_SZ, 0);
    vfill(h, 0, 3 * P_SZ, 0x22);
    zx_handle_t c = mkchild(h, SNAP | RSZ, 0, P_SZ);
    EXPECT_OK(t_vmo_set_size(c, 3 * P_SZ));
    vexpect(c, 0, P_SZ, 0x22);
    vexpect(c, P_SZ, 2 * P_SZ, 0);
}
END_TEST

START_TEST(snapshot_survives_parent_shrink)
{
    zx_handle_t h = mkvmo(2 * P_SZ, ZX_VMO_RESIZABLE);
    vfill(h, 0, 2 * P_SZ, 0x33);
    zx_handle_t c = mkchild(h, SNAP, 0, 2 * P_SZ);
    EXPECT_OK(t_vmo_set_size(h, 0));
    vexpect(c, 0, 2 * P_SZ, 0x33);
    EXPECT_OK(t_vmo_set_size(h, 2 * P_SZ));
    vexpect(h, 0, 2 * P_SZ, 0);
    vexpect(c, 0, 2 * P_SZ, 0x33);
}
END_TEST

START_TEST(snapshot_child_shrink_regrow_zeros)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    vfill(h, 0, 2 * P_SZ, 0x44);
    zx_handle_t c = mkchild(h, SNAP | RSZ, 0, 2 * P_SZ);
    EXPECT_OK(t_vmo_set_size(c, P_SZ));
    EXPECT_OK(t_vmo_set_size(c, 2 * P_SZ));
    vexpect(c, 0, P_SZ, 0x44);
    vexpect(c, P_SZ, P_SZ, 0);
    vexpect(h, 0, 2 * P_SZ, 0x44);
}
END_TEST

START_TEST(snapshot_chain_each_sees_own_time)
{
    zx_handle_t p = mkvmo(P_SZ, 0);
    vfill(p, 0, 16, 'A');
    zx_handle_t c = mkchild(p, SNAP, 0, P_SZ);
    vfill(p, 0, 16, 'B');
    vexpect(c, 0, 16, 'A');
    vfill(c, 0, 8, 'C');
    zx_handle_t g = mkchild(c, SNAP, 0, P_SZ);
    vfill(c, 0, 8, 'D');
    vexpect(g, 0, 8, 'C');
    vexpect(g, 8, 8, 'A');
    vexpect(p, 0, 16, 'B');
    EXPECT_OK(t_handle_close(c));
    vexpect(g, 0, 8, 'C');
    vexpect(g, 8, 8, 'A');
    EXPECT_OK(t_handle_close(p));
    vexpect(g, 0, 8, 'C');
    vexpect(g, 8, 8, 'A');
}
END_TEST

START_TEST(snapshot_survives_parent_close)
{
    zx_handle_t p = mkvmo(2 * P_SZ, 0);
    vfill(p, 0, 2 * P_SZ, 0x55);
    zx_handle_t c1 = mkchild(p, SNAP, 0, 2 * P_SZ);
    zx_handle_t c2 = mkchild(p, SNAP, P_SZ, P_SZ);
    EXPECT_OK(t_handle_close(p));
    vexpect(c1, 0, 2 * P_SZ, 0x55);
    vexpect(c2, 0, P_SZ, 0x55);
    vfill(c1, P_SZ, 4, 1);
    vexpect(c2, 0, 4, 0x55);
}
END_TEST

START_TEST(snapshot_no_write_is_immutable)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_handle_t c = mkchild(h, SNAP | NOW, 0, P_SZ);
    ck_assert_uint_eq(vmo_info(c).flags, ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_IS_COW_CLONE |
                                             ZX_INFO_VMO_VIA_HANDLE | ZX_INFO_VMO_IMMUTABLE);
    uint8_t b = 1;
    EXPECT_ST(t_vmo_write(c, &b, 0, 1), ZX_ERR_ACCESS_DENIED);
}
END_TEST

START_TEST(snapshot_of_slice_exact)
{
    zx_handle_t h = mkvmo(4 * P_SZ, 0);
    vfill(h, 0, 4 * P_SZ, 0x66);
    zx_handle_t s = mkchild(h, SLICE, P_SZ, 2 * P_SZ);
    zx_handle_t c = 0;
    zx_status_t st = t_vmo_create_child(s, SNAP, 0, 2 * P_SZ, &c);
    EXPECT_OK(st); /* zxsim allows snapshots of slices (docs/semantics.md "Snapshots") */
    vexpect(c, 0, 2 * P_SZ, 0x66);
    vfill(h, P_SZ, 8, 0x67);
    vexpect(c, 0, 8, 0x66);
    vfill(c, P_SZ, 8, 0x68);
    vexpect(h, 2 * P_SZ, 8, 0x66);
    vexpect(s, P_SZ, 8, 0x66);
}
END_TEST

/* A snapshot of never-committed pages: reading them commits nothing. */
START_TEST(snapshot_of_uncommitted_commits_nothing)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    zx_handle_t c = mkchild(h, SNAP, 0, 2 * P_SZ);
    vexpect(c, 0, 2 * P_SZ, 0);
    attr(h, 0, 0, 0, 0);
    attr(c, 0, 0, 0, 0);
    gva a = map_in(ROOT, c, ZX_VM_PERM_READ, 0, 2 * P_SZ);
    gexpect(a, 2 * P_SZ, 0);
    attr(c, 0, 0, 0, 0);
}
END_TEST

/* ---------------- references (docs/semantics.md "References") ---------------- */

START_TEST(reference_aliases_parent)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    zx_handle_t r = mkchild(h, REF, 0, 0);
    ck_assert_uint_eq(vmo_size(r), 2 * P_SZ);
    vfill(r, 10, 4, 0x91);
    vexpect(h, 10, 4, 0x91);
    vfill(h, P_SZ, 4, 0x92);
    vexpect(r, P_SZ, 4, 0x92);
    attr(r, 0, 0, 0, 0);
    ck_assert_uint_eq(committed(h), 2 * P_SZ);
}
END_TEST

START_TEST(reference_sees_parent_resize_and_content_size)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_RESIZABLE);
    zx_handle_t r = mkchild(h, REF, 0, 0);
    EXPECT_OK(t_vmo_set_size(h, 3 * P_SZ + 7));
    ck_assert_uint_eq(vmo_size(r), 4 * P_SZ);
    ck_assert_uint_eq(content_size(r), 3 * P_SZ + 7);
    uint64_t cs = 100;
    EXPECT_OK(t_set_property(h, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs));
    ck_assert_uint_eq(content_size(r), 100);
}
END_TEST

START_TEST(reference_resizable_resizes_parent)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_RESIZABLE);
    zx_handle_t r = mkchild(h, REF | RSZ, 0, 0);
    EXPECT_OK(t_vmo_set_size(r, 2 * P_SZ));
    ck_assert_uint_eq(vmo_size(h), 2 * P_SZ);
}
END_TEST

START_TEST(reference_keeps_parent_alive)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    vfill(h, 0, 8, 0x93);
    zx_handle_t r = mkchild(h, REF, 0, 0);
    EXPECT_OK(t_handle_close(h));
    vexpect(r, 0, 8, 0x93);
}
END_TEST

/* ---------------- attribution (docs/semantics.md "Attribution") ---------------- */

#define PP P_SZ

START_TEST(attr_plain_vmo)
{
    zx_handle_t h = mkvmo(2 * PP, 0);
    attr(h, 0, 0, 0, 0);
    vfill(h, 0, 2 * PP, 1);
    attr(h, 2 * PP, 2 * PP, 2 * PP, 0);
}
END_TEST

START_TEST(attr_snapshot_sequence)
{
    zx_handle_t p = mkvmo(2 * PP, 0);
    vfill(p, 0, 2 * PP, 1);
    attr(p, 2 * PP, 2 * PP, 2 * PP, 0);
    zx_handle_t c = mkchild(p, SNAP, 0, 2 * PP);
    attr(p, 2 * PP, 0, PP, 0);
    attr(c, 2 * PP, 0, PP, 0);
    vfill(p, 0, 1, 2);
    attr(p, 2 * PP, PP, PP + PP / 2, 0);
    attr(c, 2 * PP, PP, PP + PP / 2, 0);
    vfill(c, PP, 1, 3);
    attr(p, 2 * PP, 2 * PP, 2 * PP, 0);
    attr(c, 2 * PP, 2 * PP, 2 * PP, 0);
    vfill(p, 0, 2 * PP, 4);
    vfill(c, 0, 2 * PP, 5);
    attr(p, 2 * PP, 2 * PP, 2 * PP, 0);
    attr(c, 2 * PP, 2 * PP, 2 * PP, 0);
}
END_TEST

START_TEST(attr_window_snapshot)
{
    zx_handle_t p = mkvmo(3 * PP, 0);
    vfill(p, 0, 3 * PP, 1);
    zx_handle_t c = mkchild(p, SNAP, PP, PP);
    attr(p, 3 * PP, 2 * PP, 2 * PP + PP / 2, 0);
    attr(c, PP, 0, PP / 2, 0);
    vfill(p, 0, 1, 2);
    vfill(p, 2 * PP, 1, 2);
    attr(p, 3 * PP, 2 * PP, 2 * PP + PP / 2, 0);
    attr(c, PP, 0, PP / 2, 0);
    EXPECT_OK(t_handle_close(p));
    attr(c, PP, PP, PP, 0);
}
END_TEST

START_TEST(attr_three_way_share)
{
    zx_handle_t p = mkvmo(PP, 0);
    vfill(p, 0, PP, 1);
    zx_handle_t c = mkchild(p, SNAP, 0, PP);
    zx_handle_t g = mkchild(c, SNAP, 0, PP);
    attr(p, PP, 0, 1365, 0x2AAAAAAAAAAAAAAAull);
    attr(c, PP, 0, 1365, 0x2AAAAAAAAAAAAAAAull);
    attr(g, PP, 0, 1365, 0x2AAAAAAAAAAAAAAAull);
}
END_TEST

START_TEST(attr_last_viewer_gains_private)
{
    zx_handle_t p = mkvmo(2 * PP, 0);
    vfill(p, 0, 2 * PP, 1);
    zx_handle_t c = mkchild(p, SNAP, 0, 2 * PP);
    EXPECT_OK(t_handle_close(c));
    attr(p, 2 * PP, 2 * PP, 2 * PP, 0);
    zx_handle_t d = mkchild(p, SNAP, 0, 2 * PP);
    EXPECT_OK(t_handle_close(p));
    attr(d, 2 * PP, 2 * PP, 2 * PP, 0);
}
END_TEST

START_TEST(attr_shrink_drops_sharing)
{
    zx_handle_t p = mkvmo(2 * PP, 0);
    vfill(p, 0, 2 * PP, 1);
    zx_handle_t c = mkchild(p, SNAP | RSZ, 0, 2 * PP);
    EXPECT_OK(t_vmo_set_size(c, PP));
    attr(c, PP, 0, PP / 2, 0);
    attr(p, 2 * PP, PP, PP + PP / 2, 0);
}
END_TEST

/* A read-only mapping of a clone, even with MAP_RANGE, commits nothing. */
START_TEST(attr_readonly_map_range_of_clone)
{
    zx_handle_t p = mkvmo(2 * PP, 0);
    vfill(p, 0, 2 * PP, 0x5C);
    zx_handle_t c = mkchild(p, SNAP, 0, 2 * PP);
    gva a = 0;
    EXPECT_OK(t_vmar_map(ROOT, ZX_VM_PERM_READ | ZX_VM_MAP_RANGE, 0, c, 0, 2 * PP, &a));
    gexpect(a, 2 * PP, 0x5C);
    ck_assert_uint_eq(vmo_info(c).committed_private_bytes, 0);
    ck_assert_uint_eq(committed(p), 2 * PP);
    attr(p, 2 * PP, 0, PP, 0);
}
END_TEST

START_TEST(attr_commit_on_clone_makes_private_copies)
{
    zx_handle_t p = mkvmo(3 * PP, 0);
    vfill(p, 0, PP, 0x0A);
    zx_handle_t c = mkchild(p, SNAP, 0, 3 * PP);
    EXPECT_OK(t_vmo_op_range(c, ZX_VMO_OP_COMMIT, 0, 3 * PP, 0, 0));
    attr(c, 3 * PP, 3 * PP, 3 * PP, 0);
    attr(p, PP, PP, PP, 0);
    vexpect(c, 0, PP, 0x0A);
    vexpect(c, PP, 2 * PP, 0);
    vfill(c, 0, 4, 0x0B);
    vexpect(p, 0, PP, 0x0A);
}
END_TEST

START_TEST(attr_zero_on_clone_shared_page)
{
    zx_handle_t p = mkvmo(PP, 0);
    vfill(p, 0, PP, 0x0C);
    zx_handle_t c = mkchild(p, SNAP, 0, PP);
    EXPECT_OK(t_vmo_op_range(c, ZX_VMO_OP_ZERO, 0, PP, 0, 0));
    vexpect(c, 0, PP, 0);
    vexpect(p, 0, PP, 0x0C);
    attr(p, PP, PP, PP, 0);
    ck_assert_uint_eq(vmo_info(c).committed_private_bytes, 0);
    ck_assert_uint_eq(vmo_info(c).committed_scaled_bytes, 0);
    /* A later write starts from zeros, never the parent's data. */
    vfill(c, 100, 1, 0x0D);
    vexpect(c, 0, 100, 0);
    vexpect(c, 101, PP - 101, 0);
}
END_TEST

START_TEST(attr_zero_in_parent_keeps_child_view)
{
    zx_handle_t p = mkvmo(PP, 0);
    vfill(p, 0, PP, 0x0E);
    zx_handle_t c = mkchild(p, SNAP, 0, PP);
    EXPECT_OK(t_vmo_op_range(p, ZX_VMO_OP_ZERO, 0, PP, 0, 0));
    vexpect(p, 0, PP, 0);
    vexpect(c, 0, PP, 0x0E);
    attr(c, PP, PP, PP, 0);
}
END_TEST

START_TEST(attr_slice_and_reference_report_zero)
{
    zx_handle_t p = mkvmo(2 * PP, 0);
    vfill(p, 0, 2 * PP, 1);
    attr(mkchild(p, SLICE, 0, 2 * PP), 0, 0, 0, 0);
    attr(mkchild(p, REF, 0, 0), 0, 0, 0, 0);
    attr(p, 2 * PP, 2 * PP, 2 * PP, 0);
}
END_TEST

/* Summed over every VMO, PSS equals the frames really committed. */
START_TEST(attr_pss_sums_to_real_memory)
{
    zx_handle_t p = mkvmo(4 * PP, 0);
    vfill(p, 0, 4 * PP, 1);
    zx_handle_t c = mkchild(p, SNAP, PP, 3 * PP);
    zx_handle_t g = mkchild(c, SNAP, 0, 2 * PP);
    vfill(c, PP, 1, 2);
    vfill(g, 0, 1, 3);
    zx_info_vmo_t a = vmo_info(p), b = vmo_info(c), d = vmo_info(g);
    /* The pages: p has 4 originals; c forked page 1 (orig 2); g forked its
     * page 0 (orig 1). Distinct frames: 4 + 1 + 1 = 6. */
    unsigned __int128 frac = (unsigned __int128)a.committed_fractional_scaled_bytes +
                             b.committed_fractional_scaled_bytes +
                             d.committed_fractional_scaled_bytes;
    uint64_t whole = a.committed_scaled_bytes + b.committed_scaled_bytes +
                     d.committed_scaled_bytes + (uint64_t)(frac >> 63);
    uint64_t rem = (uint64_t)(frac & (((unsigned __int128)1 << 63) - 1));
    /* Rounding of thirds may leave at most a byte's fraction. */
    ck_assert_msg(whole == 6 * PP || (whole == 6 * PP - 1 && rem != 0),
                  "PSS sum %" G_GUINT64_FORMAT, whole);
}
END_TEST

/* Pages beyond the parent's size at creation stay zero in the child even
 * when the parent later grows and writes there. */
START_TEST(snapshot_ignores_later_parent_growth)
{
    zx_handle_t p = mkvmo(P_SZ, ZX_VMO_RESIZABLE);
    vfill(p, 0, P_SZ, 0x71);
    zx_handle_t c = mkchild(p, SNAP, 0, 2 * P_SZ);
    EXPECT_OK(t_vmo_set_size(p, 2 * P_SZ));
    vfill(p, P_SZ, P_SZ, 0x72);
    vexpect(c, 0, P_SZ, 0x71);
    vexpect(c, P_SZ, P_SZ, 0);
}
END_TEST

/* A mapping of a reference follows the parent's size changes. */
START_TEST(reference_mapping_sees_parent_shrink)
{
    zx_handle_t p = mkvmo(2 * P_SZ, ZX_VMO_RESIZABLE);
    zx_handle_t r = mkchild(p, REF, 0, 0);
    gva m = map_in(ROOT, r, RW, 0, 2 * P_SZ);
    gfill(m, 2 * P_SZ, 0x73);
    vexpect(p, P_SZ, 8, 0x73);
    EXPECT_OK(t_vmo_set_size(p, P_SZ));
    uint8_t b;
    EXPECT_ST(g_load8(m + P_SZ, &b), ZX_ERR_OUT_OF_RANGE);
    gexpect(m, 8, 0x73);
}
END_TEST

START_TEST(reference_decommit_acts_on_parent)
{
    zx_handle_t p = mkvmo(2 * P_SZ, 0);
    vfill(p, 0, 2 * P_SZ, 0x74);
    zx_handle_t r = mkchild(p, REF, 0, 0);
    EXPECT_OK(t_vmo_op_range(r, ZX_VMO_OP_DECOMMIT, 0, P_SZ, 0, 0));
    vexpect(p, 0, P_SZ, 0);
    vexpect(p, P_SZ, P_SZ, 0x74);
    ck_assert_uint_eq(committed(p), P_SZ);
}
END_TEST

/* Three sharers, then the middle one goes: two remain, each half. */
START_TEST(attr_three_way_then_middle_closed)
{
    zx_handle_t p = mkvmo(PP, 0);
    vfill(p, 0, PP, 1);
    zx_handle_t c = mkchild(p, SNAP, 0, PP);
    zx_handle_t g = mkchild(c, SNAP, 0, PP);
    EXPECT_OK(t_handle_close(c));
    attr(p, PP, 0, PP / 2, 0);
    attr(g, PP, 0, PP / 2, 0);
    vexpect(g, 0, PP, 1);
}
END_TEST

START_TEST(zero_children_signal_snapshot_chain)
{
    zx_handle_t p = mkvmo(PP, 0);
    zx_handle_t c = mkchild(p, SNAP, 0, PP);
    zx_handle_t g = mkchild(c, SNAP, 0, PP);
    EXPECT_OK(t_handle_close(c));
    ck_assert(!signaled(p, ZX_VMO_ZERO_CHILDREN));
    EXPECT_OK(t_handle_close(g));
    ck_assert(signaled(p, ZX_VMO_ZERO_CHILDREN));
}
END_TEST

/* ZERO of part of a shared page in a clone: byte-exact, parent untouched. */
START_TEST(attr_zero_partial_page_in_clone)
{
    zx_handle_t p = mkvmo(PP, 0);
    vfill(p, 0, PP, 0x0F);
    zx_handle_t c = mkchild(p, SNAP, 0, PP);
    EXPECT_OK(t_vmo_op_range(c, ZX_VMO_OP_ZERO, 100, 200, 0, 0));
    vexpect(c, 0, 100, 0x0F);
    vexpect(c, 100, 200, 0);
    vexpect(c, 300, PP - 300, 0x0F);
    vexpect(p, 0, PP, 0x0F);
}
END_TEST

/* A kernel copy into a mapping of a clone forks the clone's page. */
START_TEST(kernel_copy_into_clone_mapping_forks)
{
    zx_handle_t p = mkvmo(PP, 0);
    vfill(p, 0, PP, 0x1A);
    zx_handle_t c = mkchild(p, SNAP, 0, PP);
    gva m = map_in(ROOT, c, RW, 0, PP);
    gexpect(m, 8, 0x1A);
    zx_handle_t src = mkvmo(PP, 0);
    vfill(src, 0, 8, 0x1B);
    EXPECT_OK(SC(SYS_vmo_read, src, m, 0, 8));
    vexpect(c, 0, 8, 0x1B);
    vexpect(p, 0, 8, 0x1A);
    gexpect(m + 8, 8, 0x1A);
}
END_TEST

Suite *child_suite(void)
{
    Suite *s = suite_create("vm_child");
    TCase *tc = h_tcase("check_order");
    ADD(tc, child_size_overflow_before_handle);
    ADD(tc, child_no_write_resizable_before_handle);
    ADD(tc, child_handle_checks);
    ADD(tc, child_needs_duplicate_and_read);
    ADD(tc, child_rights_beat_later_checks);
    ADD(tc, child_wrong_type_loses_to_size_overflow);
    ADD(tc, child_discardable_parent_not_supported);
    ADD(tc, child_slice_with_other_bits_invalid);
    ADD(tc, child_slice_range_examples);
    ADD(tc, child_slice_size_above_max_out_of_range);
    ADD(tc, child_slice_unaligned_offset_invalid);
    ADD(tc, child_slice_of_resizable_parent);
    ADD(tc, child_reference_option_rules);
    ADD(tc, child_reference_offset_size_must_be_zero);
    ADD(tc, child_reference_no_write);
    ADD(tc, child_reference_resizable_needs_only_dup_read);
    ADD(tc, child_reference_of_slice_not_supported);
    ADD(tc, child_reference_offset_beats_slice_refusal);
    ADD(tc, child_resizable_reference_of_fixed_vmo_not_supported);
    ADD(tc, child_no_type_invalid);
    ADD(tc, child_two_types_invalid);
    ADD(tc, child_each_type_with_modifiers_ok);
    ADD(tc, child_type_beats_alignment_and_cache);
    ADD(tc, child_snapshot_unaligned_offset_invalid);
    ADD(tc, child_snapshot_offset_size_overflow);
    ADD(tc, child_snapshot_size_above_max);
    ADD(tc, child_alignment_beats_cache_policy);
    ADD(tc, child_snapshot_of_uncached_bad_state);
    ADD(tc, child_slice_of_uncached_ok);
    ADD(tc, child_bad_out_invalid_and_child_destroyed);
    ADD(tc, child_cache_state_beats_bad_out);
    suite_add_tcase(s, tc);

    tc = h_tcase("rights_and_common");
    ADD(tc, child_rights_examples);
    ADD(tc, child_rights_from_read_dup_parent);
    ADD(tc, child_rights_execute);
    ADD(tc, child_rights_resize_from_option_only);
    ADD(tc, child_size_and_content_size);
    ADD(tc, child_name_copied_with_get_property);
    ADD(tc, child_counts_and_parent_koid);
    ADD(tc, zero_children_signal_tracks_children);
    ADD(tc, zero_children_signal_waits_for_descendants);
    ADD(tc, zero_children_signal_mapped_child);
    suite_add_tcase(s, tc);

    tc = h_tcase("slice");
    ADD(tc, slice_aliases_parent_both_ways);
    ADD(tc, slice_of_42_bytes_reads_whole_page);
    ADD(tc, slice_zero_size);
    ADD(tc, slice_decommit_either_zeroes_both);
    ADD(tc, slice_commit_charges_root);
    ADD(tc, slice_nested);
    ADD(tc, slice_flags_not_cow);
    ADD(tc, slice_keeps_pages_after_parent_closed);
    ADD(tc, slice_mapping_aliases_parent_mapping);
    suite_add_tcase(s, tc);

    tc = h_tcase("snapshot_reference");
    ADD(tc, snapshot_diverges_both_ways);
    ADD(tc, snapshot_at_least_on_write_diverges);
    ADD(tc, snapshot_modified_diverges);
    ADD(tc, snapshot_diverges_through_mappings);
    ADD(tc, snapshot_beyond_parent_reads_zero);
    ADD(tc, snapshot_grown_child_shows_zeros);
    ADD(tc, snapshot_survives_parent_shrink);
    ADD(tc, snapshot_child_shrink_regrow_zeros);
    ADD(tc, snapshot_chain_each_sees_own_time);
    ADD(tc, snapshot_survives_parent_close);
    ADD(tc, snapshot_no_write_is_immutable);
    ADD(tc, snapshot_of_slice_exact);
    ADD(tc, snapshot_of_uncommitted_commits_nothing);
    ADD(tc, reference_aliases_parent);
    ADD(tc, reference_sees_parent_resize_and_content_size);
    ADD(tc, reference_resizable_resizes_parent);
    ADD(tc, reference_keeps_parent_alive);
    ADD(tc, snapshot_ignores_later_parent_growth);
    ADD(tc, reference_mapping_sees_parent_shrink);
    ADD(tc, reference_decommit_acts_on_parent);
    ADD(tc, zero_children_signal_snapshot_chain);
    suite_add_tcase(s, tc);

    tc = h_tcase("attribution");
    ADD(tc, attr_plain_vmo);
    ADD(tc, attr_snapshot_sequence);
    ADD(tc, attr_window_snapshot);
    ADD(tc, attr_three_way_share);
    ADD(tc, attr_last_viewer_gains_private);
    ADD(tc, attr_shrink_drops_sharing);
    ADD(tc, attr_readonly_map_range_of_clone);
    ADD(tc, attr_commit_on_clone_makes_private_copies);
    ADD(tc, attr_zero_on_clone_shared_page);
    ADD(tc, attr_zero_in_parent_keeps_child_view);
    ADD(tc, attr_slice_and_reference_report_zero);
    ADD(tc, attr_pss_sums_to_real_memory);
    ADD(tc, attr_three_way_then_middle_closed);
    ADD(tc, attr_zero_partial_page_in_clone);
    ADD(tc, kernel_copy_into_clone_mapping_forks);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return h_run(child_suite());
}

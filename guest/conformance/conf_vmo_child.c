/* Conformance: zx_vmo_create_child (docs/semantics.md "Child check order"): check order, rights of
 * the child, SLICE, SNAPSHOT (and AT_LEAST_ON_WRITE / MODIFIED), REFERENCE, ZX_VMO_ZERO_CHILDREN,
 * copy-on-write contents and RSS/USS/PSS attribution (docs/semantics.md "Attribution"). */
#include "conf.h"

#define VMO_RIGHTS ((zx_rights_t)0xD0EF)
#define SNAP       ZX_VMO_CHILD_SNAPSHOT
#define SLICE      ZX_VMO_CHILD_SLICE
#define REF        ZX_VMO_CHILD_REFERENCE
#define ALOW       ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE
#define FRAC_THIRD ((uint64_t)0x2AAAAAAAAAAAAAAAull)

/* Checks RSS, USS, PSS (+fraction) of a VMO, and that populated_* equal
 * committed_* (no compression). */
#define EXPECT_ATTR(h, rss, uss, pss, frac)                                                        \
    expect_attr(__FILE__, __LINE__, #h, (h), (rss), (uss), (pss), (frac))
static void expect_attr(const char *file, int line, const char *name, zx_handle_t h, uint64_t rss,
                        uint64_t uss, uint64_t pss, uint64_t frac)
{
    zx_info_vmo_t i = conf_vmo_info(file, line, h);
    if (i.committed_bytes != rss || i.committed_private_bytes != uss ||
        i.committed_scaled_bytes != pss || i.committed_fractional_scaled_bytes != frac)
        conf_fail(file, line,
                  "%s: committed/private/scaled/fraction = %llu/%llu/%llu/0x%llx, expected "
                  "%llu/%llu/%llu/0x%llx",
                  name, (unsigned long long)i.committed_bytes,
                  (unsigned long long)i.committed_private_bytes,
                  (unsigned long long)i.committed_scaled_bytes,
                  (unsigned long long)i.committed_fractional_scaled_bytes, (unsigned long long)rss,
                  (unsigned long long)uss, (unsigned long long)pss, (unsigned long long)frac);
    if (i.populated_bytes != i.committed_bytes ||
        i.populated_private_bytes != i.committed_private_bytes ||
        i.populated_scaled_bytes != i.committed_scaled_bytes ||
        i.populated_fractional_scaled_bytes != i.committed_fractional_scaled_bytes)
        conf_fail(file, line,
                  "%s: populated/private/scaled/fraction = %llu/%llu/%llu/0x%llx differ from the "
                  "committed figures",
                  name, (unsigned long long)i.populated_bytes,
                  (unsigned long long)i.populated_private_bytes,
                  (unsigned long long)i.populated_scaled_bytes,
                  (unsigned long long)i.populated_fractional_scaled_bytes);
}

/* ---- check order (docs/semantics.md "Child check order") ---- */

CASE(child_checks, size_overflow_before_handle)
{
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_vmo_create_child(ZX_HANDLE_INVALID, SNAP, 0, UINT64_MAX, &out),
                  ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_create_child(ROOT, SLICE, 0, UINT64_MAX - PAGE + 2, &out),
                  ZX_ERR_OUT_OF_RANGE);
}

CASE(child_checks, no_write_with_resizable_before_handle)
{
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_vmo_create_child(ZX_HANDLE_INVALID,
                                      SNAP | ZX_VMO_CHILD_NO_WRITE | ZX_VMO_CHILD_RESIZABLE, 0,
                                      PAGE, &out),
                  ZX_ERR_INVALID_ARGS);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SNAP | ZX_VMO_CHILD_NO_WRITE | ZX_VMO_CHILD_RESIZABLE, 0,
                                      PAGE, &out),
                  ZX_ERR_INVALID_ARGS);
}

CASE(child_checks, handle_lookup)
{
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_vmo_create_child(ZX_HANDLE_INVALID, SNAP, 0, PAGE, &out), ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_vmo_create_child(ROOT, SNAP, 0, PAGE, &out), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmo_create_child(SELF, SLICE, 0, PAGE, &out), ZX_ERR_WRONG_TYPE);
}

CASE(child_checks, needs_duplicate_and_read_not_map)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t out = 0;
    zx_handle_t no_dup = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_DUPLICATE);
    EXPECT_STATUS(zx_vmo_create_child(no_dup, SNAP, 0, PAGE, &out), ZX_ERR_ACCESS_DENIED);
    zx_handle_t no_read = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_READ);
    EXPECT_STATUS(zx_vmo_create_child(no_read, SNAP, 0, PAGE, &out), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_vmo_create_child(no_read, SLICE, 0, PAGE, &out), ZX_ERR_ACCESS_DENIED);
    zx_handle_t min = dup(vmo, ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ);
    child(min, SNAP, 0, PAGE);
    child(min, SLICE, 0, PAGE);
    child(min, REF, 0, 0);
    EXPECT_EQ(vmo_info(vmo).num_children, 3);
}

CASE(child_checks, discardable_parent_not_supported)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_DISCARDABLE);
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_vmo_create_child(vmo, SNAP, 0, PAGE, &out), ZX_ERR_NOT_SUPPORTED);
    EXPECT_STATUS(zx_vmo_create_child(vmo, ALOW, 0, PAGE, &out), ZX_ERR_NOT_SUPPORTED);
    EXPECT_STATUS(zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT_MODIFIED, 0, PAGE, &out),
                  ZX_ERR_NOT_SUPPORTED);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE, 0, PAGE, &out), ZX_ERR_NOT_SUPPORTED);
    EXPECT_STATUS(zx_vmo_create_child(vmo, REF, 0, 0, &out), ZX_ERR_NOT_SUPPORTED);
    /* Step 4 precedes the option checks of step 5. */
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE | ZX_VMO_CHILD_RESIZABLE, 0, PAGE, &out),
                  ZX_ERR_NOT_SUPPORTED);
    EXPECT_EQ(vmo_info(vmo).num_children, 0);
}

CASE(child_checks, slice_takes_no_other_type_or_resizable)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE | ZX_VMO_CHILD_RESIZABLE, 0, PAGE, &out),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE | SNAP, 0, PAGE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE | REF, 0, 0, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE | ALOW, 0, PAGE, &out), ZX_ERR_INVALID_ARGS);
    zx_handle_t s = child(vmo, SLICE | ZX_VMO_CHILD_NO_WRITE, 0, PAGE);
    EXPECT_EQ(rights_of(s), VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    EXPECT_EQ(vmo_info(vmo).num_children, 1);
}

CASE(child_checks, reference_options)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_vmo_create_child(vmo, REF | SNAP, 0, 0, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, REF | ALOW, 0, 0, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, REF, PAGE, 0, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, REF, 0, PAGE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, REF, 0, 2 * PAGE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(vmo_info(vmo).num_children, 0);
}

CASE(child_checks, reference_of_slice_not_supported)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t s = child(vmo, SLICE, 0, PAGE);
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_vmo_create_child(s, REF, 0, 0, &out), ZX_ERR_NOT_SUPPORTED);
}

CASE(child_checks, resizable_reference_of_fixed_vmo_not_supported)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_vmo_create_child(vmo, REF | ZX_VMO_CHILD_RESIZABLE, 0, 0, &out),
                  ZX_ERR_NOT_SUPPORTED);
}

CASE(child_checks, snapshot_type_required_and_unique)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_vmo_create_child(vmo, 0, 0, PAGE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, ZX_VMO_CHILD_RESIZABLE, 0, PAGE, &out),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, ZX_VMO_CHILD_NO_WRITE, 0, PAGE, &out),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SNAP | ALOW, 0, PAGE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SNAP | ZX_VMO_CHILD_SNAPSHOT_MODIFIED, 0, PAGE, &out),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, ALOW | ZX_VMO_CHILD_SNAPSHOT_MODIFIED, 0, PAGE, &out),
                  ZX_ERR_INVALID_ARGS);
    /* Bit 1 is unused. */
    EXPECT_STATUS(zx_vmo_create_child(vmo, SNAP | (1u << 1), 0, PAGE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SNAP | (1u << 8), 0, PAGE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(vmo_info(vmo).num_children, 0);
}

CASE(child_checks, unaligned_offset_is_invalid)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_vmo_create_child(vmo, SNAP, 1, PAGE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, ALOW, PAGE / 2, PAGE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE, 8, PAGE, &out), ZX_ERR_INVALID_ARGS);
}

CASE(child_checks, snapshot_offset_overflow)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t out = 0;
    /* docs/semantics.md "Child check order" step 8 allows INVALID_ARGS or OUT_OF_RANGE for a
     * snapshot. */
    EXPECT_STATUS_EITHER(zx_vmo_create_child(vmo, SNAP, UINT64_MAX - PAGE + 1, 2 * PAGE, &out),
                         ZX_ERR_INVALID_ARGS, ZX_ERR_OUT_OF_RANGE);
    EXPECT_EQ(vmo_info(vmo).num_children, 0);
}

CASE(child_checks, bad_out_pointer_destroys_child)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    size_t before = conf_avail(ZX_INFO_PROCESS_VMOS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SNAP, 0, PAGE, NULL), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE, 0, PAGE, NULL), ZX_ERR_INVALID_ARGS);
    zx_vaddr_t base = 0;
    scratch(2 * PAGE, &base);
    EXPECT_STATUS(zx_vmo_create_child(vmo, REF, 0, 0, (zx_handle_t *)base), ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(conf_avail(ZX_INFO_PROCESS_VMOS), before);
    EXPECT_EQ(vmo_info(vmo).num_children, 0);
    EXPECT_TRUE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
}

/* ---- rights of the child (docs/semantics.md "Child rights") ---- */

CASE(child_rights, of_default_vmo)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_EQ(rights_of(child(vmo, SNAP, 0, PAGE)), 0xD0EF);
    EXPECT_EQ(rights_of(child(vmo, SNAP | ZX_VMO_CHILD_RESIZABLE, 0, PAGE)), 0x40D0EF);
    EXPECT_EQ(rights_of(child(vmo, SNAP | ZX_VMO_CHILD_NO_WRITE, 0, PAGE)), 0xD0E7);
    EXPECT_EQ(rights_of(child(vmo, ALOW, 0, PAGE)), 0xD0EF);
    EXPECT_EQ(rights_of(child(vmo, ZX_VMO_CHILD_SNAPSHOT_MODIFIED, 0, PAGE)), 0xD0EF);
    EXPECT_EQ(rights_of(child(vmo, SLICE, 0, PAGE)), 0xD0EF);
    EXPECT_EQ(rights_of(child(vmo, SLICE | ZX_VMO_CHILD_NO_WRITE, 0, PAGE)), 0xD0E7);
    EXPECT_EQ(rights_of(child(vmo, REF, 0, 0)), 0xD0EF);
}

CASE(child_rights, from_read_duplicate_parent)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t min = dup(vmo, ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE);
    /* Snapshots gain WRITE and the property rights. */
    EXPECT_EQ(rights_of(child(min, SNAP, 0, PAGE)), ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE |
                                                        ZX_RIGHT_WRITE | ZX_RIGHT_GET_PROPERTY |
                                                        ZX_RIGHT_SET_PROPERTY);
    /* A slice only gains the property rights. */
    EXPECT_EQ(rights_of(child(min, SLICE, 0, PAGE)),
              ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE | ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY);
}

CASE(child_rights, execute_kept_by_slice_and_reference_only)
{
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
    zx_handle_t exec = 0;
    ASSERT_OK(zx_vmo_replace_as_executable(vmo, ZX_HANDLE_INVALID, &exec));
    track(exec);
    EXPECT_EQ(rights_of(child(exec, SNAP, 0, PAGE)), 0xD0EF);
    EXPECT_EQ(rights_of(child(exec, ALOW, 0, PAGE)), 0xD0EF);
    EXPECT_EQ(rights_of(child(exec, SLICE, 0, PAGE)), 0xD0FF);
    EXPECT_EQ(rights_of(child(exec, REF, 0, 0)), 0xD0FF);
}

CASE(child_rights, resize_only_with_child_resizable)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t c = child(vmo, SNAP, 0, PAGE);
    EXPECT_EQ(rights_of(c), 0xD0EF);
    EXPECT_EQ(vmo_info(c).flags & ZX_INFO_VMO_RESIZABLE, 0);
    EXPECT_STATUS(zx_vmo_set_size(c, 2 * PAGE), ZX_ERR_UNAVAILABLE);
    /* A resizable child of a fixed-size parent. */
    zx_handle_t fixed = vmo_create(PAGE, 0);
    zx_handle_t rc = child(fixed, SNAP | ZX_VMO_CHILD_RESIZABLE, 0, PAGE);
    EXPECT_EQ(rights_of(rc), 0x40D0EF);
    EXPECT_OK(zx_vmo_set_size(rc, 3 * PAGE));
    EXPECT_EQ(vmo_size(rc), 3 * PAGE);
}

CASE(child_rights, resizable_reference_needs_only_duplicate_read)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t min = dup(vmo, ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE);
    zx_handle_t r = child(min, REF | ZX_VMO_CHILD_RESIZABLE, 0, 0);
    EXPECT_EQ(rights_of(r), ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE | ZX_RIGHT_GET_PROPERTY |
                                ZX_RIGHT_SET_PROPERTY | ZX_RIGHT_RESIZE);
}

CASE(child_rights, no_write_child_cannot_be_written)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0x21);
    zx_handle_t c = child(vmo, SNAP | ZX_VMO_CHILD_NO_WRITE, 0, PAGE);
    uint8_t b = 1;
    EXPECT_STATUS(zx_vmo_write(c, &b, 0, 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_VMO_FILLED(c, 0, PAGE, 0x21);
    zx_handle_t vmar = scratch(2 * PAGE, NULL);
    zx_vaddr_t addr = 0;
    EXPECT_STATUS(zx_vmar_map(vmar, RW, 0, c, 0, PAGE, &addr), ZX_ERR_ACCESS_DENIED);
}

/* ---- common results (docs/semantics.md "Child common results") ---- */

CASE(child_common, size_content_size_parent_koid)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    zx_handle_t c = child(vmo, SNAP, PAGE, 100);
    EXPECT_EQ(vmo_size(c), PAGE);
    EXPECT_EQ(content_size(c), 100);
    zx_info_vmo_t info = vmo_info(c);
    EXPECT_EQ(info.parent_koid, koid_of(vmo));
    EXPECT_EQ(info.size_bytes, PAGE);
    EXPECT_EQ(info.num_children, 0);
    EXPECT_EQ(vmo_info(vmo).num_children, 1);
    EXPECT_EQ(vmo_info(vmo).parent_koid, 0);
}

CASE(child_common, name_copied_with_get_property)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    static const char name[] = "parent-name";
    ASSERT_OK(zx_object_set_property(vmo, ZX_PROP_NAME, name, sizeof name));
    EXPECT_STR_EQ(vmo_info(child(vmo, SNAP, 0, PAGE)).name, "parent-name");
    EXPECT_STR_EQ(vmo_info(child(vmo, SLICE, 0, PAGE)).name, "parent-name");
    EXPECT_STR_EQ(vmo_info(child(vmo, REF, 0, 0)).name, "parent-name");
    zx_handle_t blind = dup(vmo, ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE);
    EXPECT_STR_EQ(vmo_info(child(blind, SNAP, 0, PAGE)).name, "");
}

CASE(child_common, flags)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_EQ(vmo_info(child(vmo, SNAP, 0, PAGE)).flags, 0xD);
    EXPECT_EQ(vmo_info(child(vmo, ALOW, 0, PAGE)).flags, 0xD);
    EXPECT_EQ(vmo_info(child(vmo, SNAP | ZX_VMO_CHILD_RESIZABLE, 0, PAGE)).flags, 0xF);
    EXPECT_EQ(vmo_info(child(vmo, SNAP | ZX_VMO_CHILD_NO_WRITE, 0, PAGE)).flags,
              0xD | ZX_INFO_VMO_IMMUTABLE);
    /* A slice is not a copy-on-write clone. */
    EXPECT_EQ(vmo_info(child(vmo, SLICE, 0, PAGE)).flags, 0x9);
}

CASE(child_common, num_children_counts_every_type)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t a = child(vmo, SNAP, 0, PAGE);
    zx_handle_t b = child(vmo, SLICE, 0, PAGE);
    zx_handle_t c = child(vmo, REF, 0, 0);
    EXPECT_EQ(vmo_info(vmo).num_children, 3);
    ASSERT_OK(zx_handle_close(a));
    EXPECT_EQ(vmo_info(vmo).num_children, 2);
    ASSERT_OK(zx_handle_close(b));
    ASSERT_OK(zx_handle_close(c));
    EXPECT_EQ(vmo_info(vmo).num_children, 0);
}

/* ---- ZX_VMO_ZERO_CHILDREN ---- */

CASE(zero_children, cleared_by_each_child_type)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    static const uint32_t types[] = {SNAP, ALOW, SLICE, REF};
    for (size_t i = 0; i < 4; i++) {
        zx_handle_t c = 0;
        ASSERT_OK(zx_vmo_create_child(vmo, types[i], 0, types[i] == REF ? 0 : PAGE, &c));
        track(c);
        EXPECT_FALSE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
        ASSERT_OK(zx_handle_close(c));
        EXPECT_TRUE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
    }
}

CASE(zero_children, child_has_it_too)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t c = child(vmo, SNAP, 0, PAGE);
    EXPECT_TRUE(signaled(c, ZX_VMO_ZERO_CHILDREN));
    EXPECT_FALSE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
}

CASE(zero_children, grandchild_keeps_it_cleared)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t c = child(vmo, SNAP, 0, PAGE);
    zx_handle_t g = child(c, SNAP, 0, PAGE);
    ASSERT_OK(zx_handle_close(c));
    EXPECT_FALSE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
    ASSERT_OK(zx_handle_close(g));
    EXPECT_TRUE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
}

CASE(zero_children, nested_slices_keep_it_cleared)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t s = child(vmo, SLICE, 0, 2 * PAGE);
    zx_handle_t s2 = child(s, SLICE, PAGE, PAGE);
    ASSERT_OK(zx_handle_close(s));
    EXPECT_FALSE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
    ASSERT_OK(zx_handle_close(s2));
    EXPECT_TRUE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
}

CASE(zero_children, mapped_child_keeps_it_cleared)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t c = child(vmo, SNAP, 0, PAGE);
    zx_handle_t vmar = scratch(2 * PAGE, NULL);
    zx_vaddr_t addr = map(vmar, ZX_VM_PERM_READ, 0, c, 0, PAGE);
    ASSERT_OK(zx_handle_close(c));
    EXPECT_FALSE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
    EXPECT_EQ(vmo_info(vmo).num_children, 1);
    ASSERT_OK(zx_vmar_unmap(vmar, addr, PAGE));
    EXPECT_TRUE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
    EXPECT_EQ(vmo_info(vmo).num_children, 0);
}

/* ---- SLICE (docs/semantics.md "Slices") ---- */

CASE(slice, window_shares_pages_both_ways)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    zx_handle_t s = child(vmo, SLICE, PAGE, 2 * PAGE);
    EXPECT_EQ(vmo_size(s), 2 * PAGE);
    vmo_fill(s, 0, 10, 0x31);
    EXPECT_VMO_FILLED(vmo, PAGE, 10, 0x31);
    vmo_fill(vmo, 2 * PAGE, 10, 0x32);
    EXPECT_VMO_FILLED(s, PAGE, 10, 0x32);
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0);
}

CASE(slice, range_examples_on_two_pages)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t out = 0;
    const uint64_t top = 0ull - PAGE; /* 2^64 - P */
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE, 0, 3 * PAGE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE, PAGE, 2 * PAGE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE, 2 * PAGE, PAGE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE, 0, UINT64_MAX, &out), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE, 0, top, &out), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE, top, PAGE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE, top, top, &out), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE, PAGE, PAGE + 1, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(vmo_info(vmo).num_children, 0);
    child(vmo, SLICE, PAGE, PAGE);
    child(vmo, SLICE, 0, 2 * PAGE);
}

CASE(slice, resizable_parent_not_supported_but_range_first)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE, 0, PAGE, &out), ZX_ERR_NOT_SUPPORTED);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE, 0, 3 * PAGE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create_child(vmo, SLICE, 2 * PAGE, PAGE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(vmo_info(vmo).num_children, 0);
}

CASE(slice, unaligned_size_rounds_up)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0x42);
    zx_handle_t s = child(vmo, SLICE, 0, 42);
    EXPECT_EQ(vmo_size(s), PAGE);
    EXPECT_EQ(content_size(s), 42);
    EXPECT_VMO_FILLED(s, 0, PAGE, 0x42);
    uint8_t b = 0;
    EXPECT_STATUS(zx_vmo_read(s, &b, PAGE, 1), ZX_ERR_OUT_OF_RANGE);
}

CASE(slice, zero_size_slice)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t s = child(vmo, SLICE, PAGE, 0);
    EXPECT_EQ(vmo_size(s), 0);
    uint8_t b = 0;
    EXPECT_STATUS(zx_vmo_read(s, &b, 0, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_write(s, &b, 0, 1), ZX_ERR_OUT_OF_RANGE);
    /* Ending exactly at the parent's end is in range. */
    child(vmo, SLICE, 2 * PAGE, 0);
}

CASE(slice, decommit_through_slice_zeroes_parent)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 0x51);
    zx_handle_t s = child(vmo, SLICE, 0, 2 * PAGE);
    EXPECT_OK(zx_vmo_op_range(s, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0));
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0);
    EXPECT_VMO_FILLED(s, 0, PAGE, 0);
    EXPECT_VMO_FILLED(vmo, PAGE, PAGE, 0x51);
    EXPECT_EQ(committed(vmo), PAGE);
    /* Decommitting the parent zeroes the slice's view too. */
    EXPECT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, PAGE, PAGE, NULL, 0));
    EXPECT_VMO_FILLED(s, PAGE, PAGE, 0);
    EXPECT_EQ(committed(vmo), 0);
}

CASE(slice, commit_through_slice_charges_parent)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    zx_handle_t s = child(vmo, SLICE, PAGE, 2 * PAGE);
    EXPECT_OK(zx_vmo_op_range(s, ZX_VMO_OP_COMMIT, 0, 2 * PAGE, NULL, 0));
    EXPECT_EQ(committed(vmo), 2 * PAGE);
    EXPECT_ATTR(s, 0, 0, 0, 0);
    vmo_fill(s, 0, 1, 1);
    EXPECT_ATTR(s, 0, 0, 0, 0);
    EXPECT_ATTR(vmo, 2 * PAGE, 2 * PAGE, 2 * PAGE, 0);
}

CASE(slice, nested_slices_accumulate_offsets)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    for (int i = 0; i < 4; i++)
        vmo_fill(vmo, i * PAGE, PAGE, (uint8_t)(0x10 + i));
    zx_handle_t s1 = child(vmo, SLICE, PAGE, 3 * PAGE);
    zx_handle_t s2 = child(s1, SLICE, PAGE, 2 * PAGE);
    zx_handle_t s3 = child(s2, SLICE, PAGE, PAGE);
    EXPECT_VMO_FILLED(s2, 0, PAGE, 0x12);
    EXPECT_VMO_FILLED(s3, 0, PAGE, 0x13);
    vmo_fill(s3, 0, 4, 0x99);
    EXPECT_VMO_FILLED(vmo, 3 * PAGE, 4, 0x99);
    EXPECT_EQ(vmo_info(s3).parent_koid, koid_of(s2));
}

CASE(slice, cannot_be_resized)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t s = child(vmo, SLICE, 0, PAGE);
    EXPECT_STATUS(zx_vmo_set_size(s, 2 * PAGE), ZX_ERR_UNAVAILABLE);
    EXPECT_EQ(vmo_info(s).flags & ZX_INFO_VMO_RESIZABLE, 0);
}

CASE(slice, keeps_pages_after_parent_closed)
{
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(2 * PAGE, 0, &vmo));
    track(vmo);
    vmo_fill(vmo, 0, 2 * PAGE, 0x61);
    zx_handle_t s = child(vmo, SLICE, PAGE, PAGE);
    ASSERT_OK(zx_handle_close(vmo));
    EXPECT_VMO_FILLED(s, 0, PAGE, 0x61);
    vmo_fill(s, 0, PAGE, 0x62);
    EXPECT_VMO_FILLED(s, 0, PAGE, 0x62);
}

CASE(slice, mapping_of_slice_aliases_parent_mapping)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    zx_handle_t s = child(vmo, SLICE, 2 * PAGE, 2 * PAGE);
    zx_handle_t vmar = scratch(8 * PAGE, NULL);
    volatile uint8_t *pv = (volatile uint8_t *)map(vmar, RW, 0, vmo, 0, 4 * PAGE);
    volatile uint8_t *ps = (volatile uint8_t *)map(vmar, RW, 0, s, 0, 2 * PAGE);
    ps[5] = 0x71;
    EXPECT_EQ(pv[2 * PAGE + 5], 0x71);
    pv[3 * PAGE] = 0x72;
    EXPECT_EQ(ps[PAGE], 0x72);
    EXPECT_EQ(vmo_info(s).num_mappings, 1);
    EXPECT_EQ(vmo_info(vmo).num_mappings, 1);
}

/* ---- SNAPSHOT (docs/semantics.md "Snapshots") and its relatives ---- */

CASE(snapshot, diverges_both_ways)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 0x11);
    zx_handle_t c = child(vmo, SNAP, 0, 2 * PAGE);
    EXPECT_VMO_FILLED(c, 0, 2 * PAGE, 0x11);
    vmo_fill(vmo, 0, PAGE, 0x22);
    EXPECT_VMO_FILLED(c, 0, PAGE, 0x11);
    vmo_fill(c, PAGE, PAGE, 0x33);
    EXPECT_VMO_FILLED(vmo, PAGE, PAGE, 0x11);
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0x22);
    EXPECT_VMO_FILLED(c, PAGE, PAGE, 0x33);
}

CASE(snapshot, uncommitted_parent_pages_read_zero_then_diverge)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t c = child(vmo, SNAP, 0, 2 * PAGE);
    vmo_fill(vmo, 0, PAGE, 0x44);
    /* The child captured a zero page, not the later parent write. */
    EXPECT_VMO_FILLED(c, 0, PAGE, 0);
    EXPECT_EQ(committed(c), 0);
}

CASE(snapshot, diverges_through_mappings)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    volatile uint8_t *pp = (volatile uint8_t *)map(vmar, RW, 0, vmo, 0, PAGE);
    pp[0] = 0x11;
    zx_handle_t c = child(vmo, SNAP, 0, PAGE);
    volatile uint8_t *pc = (volatile uint8_t *)map(vmar, RW, 0, c, 0, PAGE);
    EXPECT_EQ(pc[0], 0x11);
    /* The parent's existing mapping must now copy on write. */
    pp[0] = 0x22;
    EXPECT_EQ(pc[0], 0x11);
    EXPECT_EQ(vmo_byte(c, 0), 0x11);
    pc[1] = 0x33;
    EXPECT_EQ(pp[1], 0);
    EXPECT_EQ(vmo_byte(vmo, 1), 0);
    EXPECT_EQ(pp[0], 0x22);
    EXPECT_EQ(vmo_byte(vmo, 0), 0x22);
}

CASE(snapshot, range_beyond_parent_reads_zero)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0x11);
    vmo_fill(vmo, PAGE, PAGE, 0x22);
    zx_handle_t c = child(vmo, SNAP, PAGE, 3 * PAGE);
    EXPECT_EQ(vmo_size(c), 3 * PAGE);
    EXPECT_VMO_FILLED(c, 0, PAGE, 0x22);
    EXPECT_VMO_FILLED(c, PAGE, 2 * PAGE, 0);
    zx_handle_t outside = child(vmo, SNAP, 4 * PAGE, PAGE);
    EXPECT_VMO_FILLED(outside, 0, PAGE, 0);
    vmo_fill(outside, 0, 8, 0x55);
    EXPECT_VMO_FILLED(outside, 0, 8, 0x55);
}

CASE(snapshot, grown_child_shows_zeros)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 0x66);
    zx_handle_t c = child(vmo, SNAP | ZX_VMO_CHILD_RESIZABLE, 0, PAGE);
    ASSERT_OK(zx_vmo_set_size(c, 2 * PAGE));
    EXPECT_VMO_FILLED(c, 0, PAGE, 0x66);
    EXPECT_VMO_FILLED(c, PAGE, PAGE, 0);
}

CASE(snapshot, shrink_and_regrow_child_shows_zeros)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 0x67);
    zx_handle_t c = child(vmo, SNAP | ZX_VMO_CHILD_RESIZABLE, 0, 2 * PAGE);
    ASSERT_OK(zx_vmo_set_size(c, PAGE));
    ASSERT_OK(zx_vmo_set_size(c, 2 * PAGE));
    EXPECT_VMO_FILLED(c, 0, PAGE, 0x67);
    EXPECT_VMO_FILLED(c, PAGE, PAGE, 0);
    EXPECT_VMO_FILLED(vmo, PAGE, PAGE, 0x67);
}

CASE(snapshot, shrinking_parent_keeps_child_view)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, ZX_VMO_RESIZABLE);
    vmo_fill(vmo, 0, 2 * PAGE, 0x68);
    zx_handle_t c = child(vmo, SNAP, 0, 2 * PAGE);
    ASSERT_OK(zx_vmo_set_size(vmo, 0));
    EXPECT_VMO_FILLED(c, 0, 2 * PAGE, 0x68);
    ASSERT_OK(zx_vmo_set_size(vmo, 2 * PAGE));
    EXPECT_VMO_FILLED(vmo, 0, 2 * PAGE, 0);
    EXPECT_VMO_FILLED(c, 0, 2 * PAGE, 0x68);
}

CASE(snapshot, chain_sees_content_as_of_creation)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 1);
    zx_handle_t c = child(vmo, SNAP, 0, PAGE);
    vmo_fill(vmo, 0, PAGE, 2);
    zx_handle_t g = child(c, SNAP, 0, PAGE);
    vmo_fill(c, 0, PAGE, 3);
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 2);
    EXPECT_VMO_FILLED(c, 0, PAGE, 3);
    EXPECT_VMO_FILLED(g, 0, PAGE, 1);
    EXPECT_EQ(vmo_info(g).parent_koid, koid_of(c));
}

CASE(snapshot, closing_relatives_keeps_contents)
{
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(2 * PAGE, 0, &vmo));
    track(vmo);
    vmo_fill(vmo, 0, 2 * PAGE, 7);
    zx_handle_t c = child(vmo, SNAP, 0, 2 * PAGE);
    vmo_fill(c, 0, 1, 8);
    zx_handle_t g = child(c, SNAP, 0, 2 * PAGE);
    ASSERT_OK(zx_handle_close(vmo));
    EXPECT_VMO_FILLED(c, 1, 2 * PAGE - 1, 7);
    EXPECT_VMO_FILLED(g, 0, 1, 8);
    ASSERT_OK(zx_handle_close(c));
    EXPECT_VMO_FILLED(g, 0, 1, 8);
    EXPECT_VMO_FILLED(g, 1, 2 * PAGE - 1, 7);
}

CASE(snapshot, at_least_on_write_behaves_like_snapshot)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 0x11);
    zx_handle_t c = child(vmo, ALOW, 0, 2 * PAGE);
    vmo_fill(vmo, 0, PAGE, 0x22);
    EXPECT_VMO_FILLED(c, 0, PAGE, 0x11);
    vmo_fill(c, PAGE, PAGE, 0x33);
    EXPECT_VMO_FILLED(vmo, PAGE, PAGE, 0x11);
    EXPECT_EQ(vmo_info(c).flags & ZX_INFO_VMO_IS_COW_CLONE, ZX_INFO_VMO_IS_COW_CLONE);
}

CASE(snapshot, modified_behaves_like_snapshot_for_anonymous)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0x11);
    zx_handle_t c = child(vmo, ZX_VMO_CHILD_SNAPSHOT_MODIFIED, 0, PAGE);
    vmo_fill(vmo, 0, PAGE, 0x22);
    EXPECT_VMO_FILLED(c, 0, PAGE, 0x11);
    vmo_fill(c, 0, 1, 0x33);
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0x22);
}

CASE(snapshot, of_slice_is_exact)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    for (int i = 0; i < 4; i++)
        vmo_fill(vmo, i * PAGE, PAGE, (uint8_t)(0x20 + i));
    zx_handle_t s = child(vmo, SLICE, PAGE, 2 * PAGE);
    zx_handle_t c = child(s, SNAP, 0, 2 * PAGE);
    EXPECT_VMO_FILLED(c, 0, PAGE, 0x21);
    EXPECT_VMO_FILLED(c, PAGE, PAGE, 0x22);
    vmo_fill(vmo, PAGE, PAGE, 0x77);
    EXPECT_VMO_FILLED(s, 0, PAGE, 0x77);
    EXPECT_VMO_FILLED(c, 0, PAGE, 0x21);
    vmo_fill(c, PAGE, PAGE, 0x78);
    EXPECT_VMO_FILLED(vmo, 2 * PAGE, PAGE, 0x22);
}

CASE(snapshot, decommit_refused_in_cow_family)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 1);
    zx_handle_t c = child(vmo, SNAP, 0, 2 * PAGE);
    EXPECT_STATUS(zx_vmo_op_range(c, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0), ZX_ERR_NOT_SUPPORTED);
    EXPECT_STATUS(zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0), ZX_ERR_NOT_SUPPORTED);
    /* Range check first, then NOT_SUPPORTED, then alignment. */
    EXPECT_STATUS(zx_vmo_op_range(c, ZX_VMO_OP_DECOMMIT, 0, 3 * PAGE, NULL, 0),
                  ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_op_range(c, ZX_VMO_OP_DECOMMIT, 1, PAGE, NULL, 0), ZX_ERR_NOT_SUPPORTED);
    ASSERT_OK(zx_handle_close(c));
    /* The family dissolved: the parent may decommit again. */
    EXPECT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0));
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0);
}

CASE(snapshot, commit_on_clone_makes_private_copies)
{
    zx_handle_t vmo = vmo_create(3 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 0x45);
    zx_handle_t c = child(vmo, SNAP, 0, 3 * PAGE);
    EXPECT_OK(zx_vmo_op_range(c, ZX_VMO_OP_COMMIT, 0, 3 * PAGE, NULL, 0));
    EXPECT_ATTR(c, 3 * PAGE, 3 * PAGE, 3 * PAGE, 0);
    EXPECT_ATTR(vmo, 2 * PAGE, 2 * PAGE, 2 * PAGE, 0);
    EXPECT_VMO_FILLED(c, 0, 2 * PAGE, 0x45);
    EXPECT_VMO_FILLED(c, 2 * PAGE, PAGE, 0);
    EXPECT_VMO_FILLED(vmo, 0, 2 * PAGE, 0x45);
    EXPECT_VMO_FILLED(vmo, 2 * PAGE, PAGE, 0);
}

CASE(snapshot, zero_on_clone_drops_shared_page)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0x46);
    zx_handle_t c = child(vmo, SNAP, 0, PAGE);
    EXPECT_OK(zx_vmo_op_range(c, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0));
    EXPECT_VMO_FILLED(c, 0, PAGE, 0);
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0x46);
    EXPECT_ATTR(c, 0, 0, 0, 0);
    EXPECT_ATTR(vmo, PAGE, PAGE, PAGE, 0);
    /* A later write starts from zeros, never from the parent's data. */
    vmo_fill(c, 0, 1, 0x47);
    EXPECT_VMO_FILLED(c, 1, PAGE - 1, 0);
}

CASE(snapshot, zero_on_parent_keeps_child_view)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0x48);
    zx_handle_t c = child(vmo, SNAP, 0, PAGE);
    EXPECT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0));
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0);
    EXPECT_VMO_FILLED(c, 0, PAGE, 0x48);
    EXPECT_ATTR(c, PAGE, PAGE, PAGE, 0);
}

CASE(snapshot, partial_zero_on_clone)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0x49);
    zx_handle_t c = child(vmo, SNAP, 0, PAGE);
    EXPECT_OK(zx_vmo_op_range(c, ZX_VMO_OP_ZERO, 100, 200, NULL, 0));
    EXPECT_VMO_FILLED(c, 0, 100, 0x49);
    EXPECT_VMO_FILLED(c, 100, 200, 0);
    EXPECT_VMO_FILLED(c, 300, PAGE - 300, 0x49);
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0x49);
}

/* ---- REFERENCE (docs/semantics.md "References") ---- */

CASE(reference, aliases_whole_parent)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t r = child(vmo, REF, 0, 0);
    EXPECT_EQ(vmo_size(r), 2 * PAGE);
    vmo_fill(r, PAGE, 4, 0x81);
    EXPECT_VMO_FILLED(vmo, PAGE, 4, 0x81);
    vmo_fill(vmo, 0, 4, 0x82);
    EXPECT_VMO_FILLED(r, 0, 4, 0x82);
    EXPECT_EQ(vmo_info(r).parent_koid, koid_of(vmo));
    EXPECT_NE(koid_of(r), koid_of(vmo));
    EXPECT_ATTR(r, 0, 0, 0, 0);
    EXPECT_ATTR(vmo, 2 * PAGE, 2 * PAGE, 2 * PAGE, 0);
}

CASE(reference, sees_parent_resize_and_content_size)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t r = child(vmo, REF | ZX_VMO_CHILD_RESIZABLE, 0, 0);
    ASSERT_OK(zx_vmo_set_size(vmo, 3 * PAGE + 5));
    EXPECT_EQ(vmo_size(r), 4 * PAGE);
    EXPECT_EQ(content_size(r), 3 * PAGE + 5);
    /* Resizing through the reference resizes the parent. */
    ASSERT_OK(zx_vmo_set_size(r, PAGE));
    EXPECT_EQ(vmo_size(vmo), PAGE);
}

CASE(reference, no_write_modifier)
{
    /* NO_WRITE is consumed before the type checks (docs/semantics.md "Child check order" step 2),
     * as for slices. */
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t r = child(vmo, REF | ZX_VMO_CHILD_NO_WRITE, 0, 0);
    EXPECT_EQ(rights_of(r), VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    uint8_t b = 1;
    EXPECT_STATUS(zx_vmo_write(r, &b, 0, 1), ZX_ERR_ACCESS_DENIED);
}

/* ---- attribution (docs/semantics.md "Attribution") ---- */

CASE(attribution, plain_vmo)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    EXPECT_ATTR(vmo, 0, 0, 0, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 1);
    EXPECT_ATTR(vmo, 2 * PAGE, 2 * PAGE, 2 * PAGE, 0);
}

CASE(attribution, two_page_snapshot_example)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 1);
    EXPECT_ATTR(vmo, 2 * PAGE, 2 * PAGE, 2 * PAGE, 0);
    zx_handle_t c = child(vmo, SNAP, 0, 2 * PAGE);
    EXPECT_ATTR(vmo, 2 * PAGE, 0, PAGE, 0);
    EXPECT_ATTR(c, 2 * PAGE, 0, PAGE, 0);
    vmo_fill(vmo, 0, 1, 2);
    EXPECT_ATTR(vmo, 2 * PAGE, PAGE, 3 * PAGE / 2, 0);
    EXPECT_ATTR(c, 2 * PAGE, PAGE, 3 * PAGE / 2, 0);
    vmo_fill(c, PAGE, 1, 3);
    EXPECT_ATTR(vmo, 2 * PAGE, 2 * PAGE, 2 * PAGE, 0);
    EXPECT_ATTR(c, 2 * PAGE, 2 * PAGE, 2 * PAGE, 0);
    vmo_fill(c, 0, 1, 4);
    vmo_fill(vmo, PAGE, 1, 5);
    EXPECT_ATTR(vmo, 2 * PAGE, 2 * PAGE, 2 * PAGE, 0);
    EXPECT_ATTR(c, 2 * PAGE, 2 * PAGE, 2 * PAGE, 0);
}

CASE(attribution, at_least_on_write_same_figures)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 1);
    zx_handle_t c = child(vmo, ALOW, 0, 2 * PAGE);
    EXPECT_ATTR(vmo, 2 * PAGE, 0, PAGE, 0);
    EXPECT_ATTR(c, 2 * PAGE, 0, PAGE, 0);
}

CASE(attribution, window_snapshot)
{
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(3 * PAGE, 0, &vmo));
    track(vmo);
    vmo_fill(vmo, 0, 3 * PAGE, 1);
    zx_handle_t c = child(vmo, SNAP, PAGE, PAGE);
    EXPECT_ATTR(vmo, 3 * PAGE, 2 * PAGE, 5 * PAGE / 2, 0);
    EXPECT_ATTR(c, PAGE, 0, PAGE / 2, 0);
    /* Writes outside the child's window change nothing. */
    vmo_fill(vmo, 0, 1, 2);
    vmo_fill(vmo, 2 * PAGE, 1, 2);
    EXPECT_ATTR(vmo, 3 * PAGE, 2 * PAGE, 5 * PAGE / 2, 0);
    EXPECT_ATTR(c, PAGE, 0, PAGE / 2, 0);
    ASSERT_OK(zx_handle_close(vmo));
    EXPECT_ATTR(c, PAGE, PAGE, PAGE, 0);
}

CASE(attribution, three_sharers_fraction)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 1);
    zx_handle_t c = child(vmo, SNAP, 0, PAGE);
    zx_handle_t g = child(c, SNAP, 0, PAGE);
    EXPECT_ATTR(vmo, PAGE, 0, 1365, FRAC_THIRD);
    EXPECT_ATTR(c, PAGE, 0, 1365, FRAC_THIRD);
    EXPECT_ATTR(g, PAGE, 0, 1365, FRAC_THIRD);
    /* The grandchild forks its copy: the other two share by halves. */
    vmo_fill(g, 0, 1, 2);
    EXPECT_ATTR(g, PAGE, PAGE, PAGE, 0);
    EXPECT_ATTR(vmo, PAGE, 0, PAGE / 2, 0);
    EXPECT_ATTR(c, PAGE, 0, PAGE / 2, 0);
}

CASE(attribution, uncommitted_counts_nowhere)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 1);
    zx_handle_t c = child(vmo, SNAP, 0, 4 * PAGE);
    /* Only page 0 was ever committed; pages 1-3 count nowhere. */
    EXPECT_ATTR(vmo, PAGE, 0, PAGE / 2, 0);
    EXPECT_ATTR(c, PAGE, 0, PAGE / 2, 0);
}

CASE(attribution, reading_commits_nothing)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 1);
    zx_handle_t c = child(vmo, SNAP, 0, 4 * PAGE);
    static uint8_t buf[4 * 4096];
    EXPECT_OK(zx_vmo_read(c, buf, 0, sizeof buf));
    EXPECT_FILLED(buf, 1, PAGE);
    EXPECT_FILLED(buf + PAGE, 0, 3 * PAGE);
    EXPECT_ATTR(c, PAGE, 0, PAGE / 2, 0);
    EXPECT_ATTR(vmo, PAGE, 0, PAGE / 2, 0);
}

CASE(attribution, destroying_a_sharer_makes_pages_private)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 1);
    zx_handle_t c = child(vmo, SNAP, 0, 2 * PAGE);
    EXPECT_ATTR(vmo, 2 * PAGE, 0, PAGE, 0);
    ASSERT_OK(zx_handle_close(c));
    EXPECT_ATTR(vmo, 2 * PAGE, 2 * PAGE, 2 * PAGE, 0);
}

CASE(attribution, shrinking_parent_hands_page_to_child)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, ZX_VMO_RESIZABLE);
    vmo_fill(vmo, 0, 2 * PAGE, 1);
    zx_handle_t c = child(vmo, SNAP, 0, 2 * PAGE);
    ASSERT_OK(zx_vmo_set_size(vmo, PAGE));
    EXPECT_ATTR(vmo, PAGE, 0, PAGE / 2, 0);
    EXPECT_ATTR(c, 2 * PAGE, PAGE, 3 * PAGE / 2, 0);
    EXPECT_VMO_FILLED(c, 0, 2 * PAGE, 1);
}

CASE(attribution, sharing_limited_to_size_at_creation)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    vmo_fill(vmo, 0, PAGE, 1);
    zx_handle_t c = child(vmo, SNAP, 0, 2 * PAGE);
    ASSERT_OK(zx_vmo_set_size(vmo, 2 * PAGE));
    vmo_fill(vmo, PAGE, PAGE, 2);
    EXPECT_VMO_FILLED(c, PAGE, PAGE, 0);
    EXPECT_ATTR(c, PAGE, 0, PAGE / 2, 0);
    EXPECT_ATTR(vmo, 2 * PAGE, PAGE, 3 * PAGE / 2, 0);
}

CASE(attribution, read_only_map_range_of_clone_commits_nothing)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 0x5A);
    zx_handle_t c = child(vmo, SNAP, 0, 2 * PAGE);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    volatile uint8_t *p =
        (volatile uint8_t *)map(vmar, ZX_VM_PERM_READ | ZX_VM_MAP_RANGE, 0, c, 0, 2 * PAGE);
    EXPECT_EQ(p[0], 0x5A);
    EXPECT_EQ(p[PAGE + 17], 0x5A);
    zx_info_vmo_t ci = vmo_info(c);
    EXPECT_EQ(ci.committed_private_bytes, 0);
    EXPECT_EQ(vmo_info(vmo).committed_bytes, 2 * PAGE);
    EXPECT_ATTR(c, 2 * PAGE, 0, PAGE, 0);
}

CASE(attribution, slices_and_references_report_zero)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 1);
    zx_handle_t s = child(vmo, SLICE, 0, 2 * PAGE);
    zx_handle_t r = child(vmo, REF, 0, 0);
    EXPECT_ATTR(s, 0, 0, 0, 0);
    EXPECT_ATTR(r, 0, 0, 0, 0);
    EXPECT_ATTR(vmo, 2 * PAGE, 2 * PAGE, 2 * PAGE, 0);
}

CASE(attribution, write_through_mapping_forks)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 1);
    zx_handle_t c = child(vmo, SNAP, 0, 2 * PAGE);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    volatile uint8_t *p = (volatile uint8_t *)map(vmar, RW, 0, c, 0, 2 * PAGE);
    p[PAGE] = 9;
    EXPECT_ATTR(c, 2 * PAGE, PAGE, 3 * PAGE / 2, 0);
    EXPECT_ATTR(vmo, 2 * PAGE, PAGE, 3 * PAGE / 2, 0);
    EXPECT_VMO_FILLED(vmo, PAGE, PAGE, 1);
}

/* ---- deeper chains ---- */

CASE(snapshot, nested_windows_see_the_right_pages)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    for (int i = 0; i < 4; i++)
        vmo_fill(vmo, i * PAGE, PAGE, (uint8_t)(0x40 + i));
    zx_handle_t c = child(vmo, SNAP, PAGE, 2 * PAGE);
    zx_handle_t g = child(c, SNAP, PAGE, 2 * PAGE);
    EXPECT_VMO_FILLED(c, 0, PAGE, 0x41);
    EXPECT_VMO_FILLED(c, PAGE, PAGE, 0x42);
    EXPECT_VMO_FILLED(g, 0, PAGE, 0x42);
    /* Beyond the child's size when the grandchild was made: zeros, even
     * though the root has data there. */
    EXPECT_VMO_FILLED(g, PAGE, PAGE, 0);
}

CASE(attribution, nested_windows)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    vmo_fill(vmo, 0, 4 * PAGE, 1);
    zx_handle_t c = 0;
    ASSERT_OK(zx_vmo_create_child(vmo, SNAP, PAGE, 2 * PAGE, &c));
    track(c);
    zx_handle_t g = child(c, SNAP, PAGE, 2 * PAGE);
    /* Page 2 is reached by three VMOs, page 1 by two, pages 0 and 3 by one. */
    EXPECT_ATTR(vmo, 4 * PAGE, 2 * PAGE, 2 * PAGE + PAGE / 2 + 1365, FRAC_THIRD);
    EXPECT_ATTR(c, 2 * PAGE, 0, PAGE / 2 + 1365, FRAC_THIRD);
    EXPECT_ATTR(g, PAGE, 0, 1365, FRAC_THIRD);
    /* Closing the middle VMO: page 1 becomes the root's alone. */
    ASSERT_OK(zx_handle_close(c));
    EXPECT_ATTR(vmo, 4 * PAGE, 3 * PAGE, 3 * PAGE + PAGE / 2, 0);
    EXPECT_ATTR(g, PAGE, 0, PAGE / 2, 0);
    EXPECT_VMO_FILLED(g, 0, PAGE, 1);
}

CASE(attribution, clone_write_then_parent_close)
{
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(2 * PAGE, 0, &vmo));
    track(vmo);
    vmo_fill(vmo, 0, 2 * PAGE, 1);
    zx_handle_t c = child(vmo, SNAP, 0, 2 * PAGE);
    vmo_fill(c, 0, 1, 2);
    EXPECT_ATTR(c, 2 * PAGE, PAGE, 3 * PAGE / 2, 0);
    ASSERT_OK(zx_handle_close(vmo));
    EXPECT_ATTR(c, 2 * PAGE, 2 * PAGE, 2 * PAGE, 0);
    EXPECT_VMO_FILLED(c, 1, 2 * PAGE - 1, 1);
    EXPECT_EQ(vmo_byte(c, 0), 2);
}

CASE(slice, decommit_through_slice_of_cow_parent_not_supported)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 1);
    zx_handle_t s = child(vmo, SLICE, 0, 2 * PAGE);
    zx_handle_t c = child(vmo, SNAP, 0, 2 * PAGE);
    /* Forwarded to the root, which has a live snapshot child. */
    EXPECT_STATUS(zx_vmo_op_range(s, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0), ZX_ERR_NOT_SUPPORTED);
    ASSERT_OK(zx_handle_close(c));
    EXPECT_OK(zx_vmo_op_range(s, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0));
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0);
}

CASE(slice, zero_through_slice_zeroes_parent)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    vmo_fill(vmo, 0, 4 * PAGE, 0x3B);
    zx_handle_t s = child(vmo, SLICE, PAGE, 2 * PAGE);
    EXPECT_OK(zx_vmo_op_range(s, ZX_VMO_OP_ZERO, 10, PAGE, NULL, 0));
    EXPECT_VMO_FILLED(vmo, 0, PAGE + 10, 0x3B);
    EXPECT_VMO_FILLED(vmo, PAGE + 10, PAGE, 0);
    EXPECT_VMO_FILLED(vmo, 2 * PAGE + 10, 2 * PAGE - 10, 0x3B);
    EXPECT_STATUS(zx_vmo_op_range(s, ZX_VMO_OP_ZERO, PAGE, 2 * PAGE, NULL, 0), ZX_ERR_OUT_OF_RANGE);
}

CASE(slice, snapshot_of_slice_attribution)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    vmo_fill(vmo, 0, 4 * PAGE, 1);
    zx_handle_t s = child(vmo, SLICE, PAGE, 2 * PAGE);
    zx_handle_t c = child(s, SNAP, 0, 2 * PAGE);
    /* The slice reports nothing; the root and the snapshot share 2 pages. */
    EXPECT_ATTR(s, 0, 0, 0, 0);
    EXPECT_ATTR(c, 2 * PAGE, 0, PAGE, 0);
    EXPECT_ATTR(vmo, 4 * PAGE, 2 * PAGE, 3 * PAGE, 0);
}

CASE(snapshot, resizable_child_grown_past_parent_end)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0x19);
    zx_handle_t c = child(vmo, SNAP | ZX_VMO_CHILD_RESIZABLE, 0, PAGE);
    ASSERT_OK(zx_vmo_set_size(c, 3 * PAGE));
    EXPECT_VMO_FILLED(c, 0, PAGE, 0x19);
    EXPECT_VMO_FILLED(c, PAGE, 2 * PAGE, 0);
    vmo_fill(c, 2 * PAGE, 1, 0x1A);
    EXPECT_ATTR(c, 2 * PAGE, PAGE, PAGE + PAGE / 2, 0);
    EXPECT_EQ(vmo_size(vmo), PAGE);
}

CASE(reference, zero_children_tracks_references)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t r = child(vmo, REF, 0, 0);
    zx_handle_t vmar = scratch(2 * PAGE, NULL);
    zx_vaddr_t a = map(vmar, ZX_VM_PERM_READ, 0, r, 0, PAGE);
    ASSERT_OK(zx_handle_close(r));
    EXPECT_FALSE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
    ASSERT_OK(zx_vmar_unmap(vmar, a, PAGE));
    EXPECT_TRUE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
}

CASE(reference, snapshot_of_reference_sees_parent_data)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0x5B);
    zx_handle_t r = child(vmo, REF, 0, 0);
    zx_handle_t c = child(r, SNAP, 0, PAGE);
    vmo_fill(vmo, 0, PAGE, 0x5C);
    EXPECT_VMO_FILLED(c, 0, PAGE, 0x5B);
    EXPECT_VMO_FILLED(r, 0, PAGE, 0x5C);
}

CASE(slice, of_snapshot_writes_to_the_clone)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 0x0A);
    zx_handle_t c = child(vmo, SNAP, 0, 2 * PAGE);
    zx_handle_t s = child(c, SLICE, PAGE, PAGE);
    vmo_fill(s, 0, 4, 0x0B);
    EXPECT_VMO_FILLED(c, PAGE, 4, 0x0B);
    EXPECT_VMO_FILLED(vmo, PAGE, PAGE, 0x0A);
    EXPECT_ATTR(s, 0, 0, 0, 0);
    EXPECT_ATTR(c, 2 * PAGE, PAGE, PAGE + PAGE / 2, 0);
}

CASE(child_common, related_koid_is_zero)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_EQ(basic(child(vmo, SNAP, 0, PAGE)).related_koid, 0);
    EXPECT_EQ(basic(child(vmo, SLICE, 0, PAGE)).related_koid, 0);
}

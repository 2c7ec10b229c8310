/* Conformance: zx_handle_close, zx_handle_duplicate, zx_handle_replace
 * (docs/semantics.md "Handle calls", "Handles", "Handle lookup") and the lifetime of the objects
 * behind handles. */
#include "conf.h"

#define VMO_RIGHTS ((zx_rights_t)0xD0EF)

static bool handle_valid(zx_handle_t h)
{
    return zx_object_get_info(h, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL) == ZX_OK;
}

/* Number of PROCESS_VMOS records that come from handles (not mappings). */
static size_t vmo_handle_records(void)
{
    static zx_info_vmo_t recs[64];
    size_t actual = 0, avail = 0;
    ASSERT_OK(zx_object_get_info(SELF, ZX_INFO_PROCESS_VMOS, recs, sizeof recs, &actual, &avail));
    ASSERT_EQ(actual, avail);
    size_t n = 0;
    for (size_t i = 0; i < actual; i++)
        n += (recs[i].flags & ZX_INFO_VMO_VIA_HANDLE) ? 1 : 0;
    return n;
}

/* ---- zx_handle_close ---- */

CASE(handle_close, invalid_is_ok)
{
    EXPECT_OK(zx_handle_close(ZX_HANDLE_INVALID));
}

CASE(handle_close, closes_once)
{
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
    track(vmo);
    EXPECT_TRUE(handle_valid(vmo));
    EXPECT_OK(zx_handle_close(vmo));
    EXPECT_FALSE(handle_valid(vmo));
    EXPECT_STATUS(zx_handle_close(vmo), ZX_ERR_BAD_HANDLE);
}

CASE(handle_close, bogus_values_are_bad_handles)
{
    /* Low bits clear: can never be a handle. */
    EXPECT_STATUS(zx_handle_close(0x12345670), ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_handle_close(0x4), ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_handle_close(0x1), ZX_ERR_BAD_HANDLE);
    /* Low bits set but not live. */
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t bogus = vmo ^ 0x40000000u;
    EXPECT_STATUS(zx_handle_close(bogus), ZX_ERR_BAD_HANDLE);
    EXPECT_TRUE(handle_valid(vmo));
}

CASE(handle_close, needs_no_rights)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t none = 0;
    ASSERT_OK(zx_handle_duplicate(vmo, ZX_RIGHT_NONE, &none));
    EXPECT_OK(zx_handle_close(none));
    EXPECT_TRUE(handle_valid(vmo));
}

CASE(handle_close, mapped_vmo_lives_on)
{
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
    track(vmo);
    zx_koid_t koid = koid_of(vmo);
    volatile uint8_t *p = (volatile uint8_t *)map(v, RW, 0, vmo, 0, PAGE);
    p[0] = 0x5A;
    ASSERT_OK(zx_handle_close(vmo));
    EXPECT_EQ(p[0], 0x5A);
    /* PROCESS_VMOS still lists it, through the mapping. */
    static zx_info_vmo_t recs[64];
    size_t actual = 0, avail = 0;
    ASSERT_OK(zx_object_get_info(SELF, ZX_INFO_PROCESS_VMOS, recs, sizeof recs, &actual, &avail));
    bool via_mapping = false, via_handle = false;
    for (size_t i = 0; i < actual; i++) {
        if (recs[i].koid != koid)
            continue;
        via_mapping |= (recs[i].flags & ZX_INFO_VMO_VIA_MAPPING) != 0;
        via_handle |= (recs[i].flags & ZX_INFO_VMO_VIA_HANDLE) != 0;
    }
    EXPECT_TRUE(via_mapping);
    EXPECT_FALSE(via_handle);
}

CASE(handle_close, vmar_lives_on)
{
    zx_handle_t h = 0;
    zx_vaddr_t base = 0;
    ASSERT_OK(
        zx_vmar_allocate(ROOT, ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE, 0, 4 * PAGE, &h, &base));
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = 0;
    zx_status_t s = zx_vmar_map(h, RW, 0, vmo, 0, PAGE, &a);
    ASSERT_OK(zx_handle_close(h));
    ASSERT_OK(s);
    /* The region and its mapping remain; unmap through the root later. */
    track_map(ROOT, base, 4 * PAGE);
    *(volatile uint8_t *)a = 0x3E;
    EXPECT_EQ(vmo_byte(vmo, 0), 0x3E);
    EXPECT_EQ(vmo_info(vmo).num_mappings, 1);
    /* The region still occupies its range in the root. */
    zx_vaddr_t b = 0;
    EXPECT_STATUS(
        zx_vmar_map(ROOT, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, base - USER_BASE, vmo, 0, PAGE, &b),
        ZX_ERR_ALREADY_EXISTS);
}

CASE(handle_close, slice_keeps_parent_pages)
{
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
    track(vmo);
    vmo_fill(vmo, 0, PAGE, 0x2F);
    zx_handle_t s = child(vmo, ZX_VMO_CHILD_SLICE, 0, PAGE);
    ASSERT_OK(zx_handle_close(vmo));
    EXPECT_VMO_FILLED(s, 0, PAGE, 0x2F);
}

/* ---- zx_handle_duplicate ---- */

CASE(handle_duplicate, same_rights)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t d = dup(vmo, ZX_RIGHT_SAME_RIGHTS);
    EXPECT_NE(d, vmo);
    EXPECT_EQ(d & 3, 3);
    EXPECT_EQ(rights_of(d), rights_of(vmo));
    EXPECT_EQ(koid_of(d), koid_of(vmo));
    /* Both work on the same object. */
    vmo_fill(d, 0, 1, 0x11);
    EXPECT_EQ(vmo_byte(vmo, 0), 0x11);
    EXPECT_TRUE(handle_valid(vmo));
}

CASE(handle_duplicate, subset_and_none)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t r = dup(vmo, ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE);
    EXPECT_EQ(rights_of(r), ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE);
    zx_handle_t none = dup(vmo, ZX_RIGHT_NONE);
    zx_info_handle_basic_t b = basic(none);
    EXPECT_EQ(b.rights, 0);
    EXPECT_EQ(b.koid, koid_of(vmo));
    EXPECT_EQ(b.type, ZX_OBJ_TYPE_VMO);
    /* A duplicate of the duplicate. */
    zx_handle_t r2 = dup(r, ZX_RIGHT_READ);
    EXPECT_EQ(rights_of(r2), ZX_RIGHT_READ);
}

CASE(handle_duplicate, not_a_subset_is_invalid)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t r = dup(vmo, ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE);
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_handle_duplicate(r, ZX_RIGHT_READ | ZX_RIGHT_WRITE, &out),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_handle_duplicate(vmo, ZX_RIGHT_RESIZE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_handle_duplicate(vmo, ZX_RIGHT_EXECUTE, &out), ZX_ERR_INVALID_ARGS);
    /* SAME_RIGHTS with other bits is not special. */
    EXPECT_STATUS(zx_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS | ZX_RIGHT_READ, &out),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_TRUE(handle_valid(vmo));
    EXPECT_TRUE(handle_valid(r));
}

CASE(handle_duplicate, needs_duplicate_right)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t r = dup(vmo, ZX_RIGHT_READ);
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_handle_duplicate(r, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_handle_duplicate(r, ZX_RIGHT_NONE, &out), ZX_ERR_ACCESS_DENIED);
    /* DUPLICATE (step 2) before the subset rule (step 3). */
    EXPECT_STATUS(zx_handle_duplicate(r, ZX_RIGHT_WRITE, &out), ZX_ERR_ACCESS_DENIED);
}

CASE(handle_duplicate, bad_handle_and_out_pointer)
{
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_handle_duplicate(ZX_HANDLE_INVALID, ZX_RIGHT_SAME_RIGHTS, &out),
                  ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_handle_duplicate(0x12345670, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_BAD_HANDLE);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    size_t before = vmo_handle_records();
    EXPECT_STATUS(zx_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, NULL), ZX_ERR_INVALID_ARGS);
    zx_vaddr_t hole = 0;
    scratch(PAGE, &hole);
    EXPECT_STATUS(zx_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, (zx_handle_t *)hole),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(vmo_handle_records(), before);
}

CASE(handle_duplicate, vmar_and_process_handles)
{
    zx_handle_t r = dup(ROOT, ZX_RIGHT_SAME_RIGHTS);
    EXPECT_EQ(rights_of(r), 0x20801F);
    EXPECT_EQ(koid_of(r), koid_of(ROOT));
    zx_handle_t p = dup(SELF, ZX_RIGHT_SAME_RIGHTS);
    EXPECT_EQ(rights_of(p), ZX_DEFAULT_PROCESS_RIGHTS);
    EXPECT_EQ(basic(p).type, ZX_OBJ_TYPE_PROCESS);
    zx_handle_t p2 = dup(SELF, ZX_RIGHT_INSPECT);
    EXPECT_EQ(rights_of(p2), ZX_RIGHT_INSPECT);
}

CASE(handle_duplicate, values_are_distinct_and_well_formed)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t seen[16];
    for (int i = 0; i < 16; i++) {
        seen[i] = dup(vmo, ZX_RIGHT_SAME_RIGHTS);
        EXPECT_EQ(seen[i] & ZX_HANDLE_FIXED_BITS_MASK, ZX_HANDLE_FIXED_BITS_MASK);
        EXPECT_NE(seen[i], vmo);
        for (int j = 0; j < i; j++)
            EXPECT_NE(seen[i], seen[j]);
    }
}

/* ---- zx_handle_replace ---- */

CASE(handle_replace, same_rights)
{
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
    track(vmo);
    zx_koid_t koid = koid_of(vmo);
    zx_handle_t out = 0;
    ASSERT_OK(zx_handle_replace(vmo, ZX_RIGHT_SAME_RIGHTS, &out));
    track(out);
    EXPECT_FALSE(handle_valid(vmo));
    EXPECT_EQ(rights_of(out), VMO_RIGHTS);
    EXPECT_EQ(koid_of(out), koid);
}

CASE(handle_replace, reduces_rights)
{
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
    track(vmo);
    zx_handle_t out = 0;
    ASSERT_OK(zx_handle_replace(vmo, ZX_RIGHT_READ | ZX_RIGHT_MAP, &out));
    track(out);
    EXPECT_EQ(rights_of(out), ZX_RIGHT_READ | ZX_RIGHT_MAP);
    uint8_t b = 1;
    EXPECT_STATUS(zx_vmo_write(out, &b, 0, 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_OK(zx_vmo_read(out, &b, 0, 1));
}

CASE(handle_replace, needs_no_rights)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t none = 0;
    ASSERT_OK(zx_handle_duplicate(vmo, ZX_RIGHT_NONE, &none));
    track(none);
    zx_handle_t out = 0;
    ASSERT_OK(zx_handle_replace(none, ZX_RIGHT_NONE, &out));
    track(out);
    EXPECT_FALSE(handle_valid(none));
    EXPECT_EQ(rights_of(out), 0);
    EXPECT_EQ(koid_of(out), koid_of(vmo));
}

CASE(handle_replace, not_a_subset_closes_original)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t r = 0;
    ASSERT_OK(zx_handle_duplicate(vmo, ZX_RIGHT_READ, &r));
    track(r);
    zx_handle_t out = 0;
    size_t before = vmo_handle_records();
    EXPECT_STATUS(zx_handle_replace(r, ZX_RIGHT_READ | ZX_RIGHT_WRITE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_FALSE(handle_valid(r));
    EXPECT_EQ(vmo_handle_records(), before - 1);
    EXPECT_TRUE(handle_valid(vmo));
}

CASE(handle_replace, bad_handle_changes_nothing)
{
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_handle_replace(ZX_HANDLE_INVALID, ZX_RIGHT_SAME_RIGHTS, &out),
                  ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_handle_replace(0x12345670, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_BAD_HANDLE);
}

CASE(handle_replace, vmar_handle)
{
    zx_handle_t h = 0;
    zx_vaddr_t base = 0;
    ASSERT_OK(zx_vmar_allocate(ROOT, ZX_VM_CAN_MAP_READ, 0, 4 * PAGE, &h, &base));
    track_vmar(h);
    zx_handle_t out = 0;
    ASSERT_OK(zx_handle_replace(h, ZX_RIGHT_READ | ZX_RIGHT_OP_CHILDREN, &out));
    track_vmar(out);
    EXPECT_EQ(rights_of(out), ZX_RIGHT_READ | ZX_RIGHT_OP_CHILDREN);
    EXPECT_OK(zx_vmar_destroy(out));
}

/* ---- the handles a process starts with ---- */

CASE(process_handles, self_and_root)
{
    zx_info_handle_basic_t p = basic(SELF);
    EXPECT_EQ(p.type, ZX_OBJ_TYPE_PROCESS);
    EXPECT_EQ(p.rights, ZX_DEFAULT_PROCESS_RIGHTS);
    EXPECT_GE(p.koid, ZX_KOID_FIRST);
    zx_info_handle_basic_t r = basic(ROOT);
    EXPECT_EQ(r.type, ZX_OBJ_TYPE_VMAR);
    EXPECT_EQ(r.rights, 0x20801F);
    EXPECT_NE(p.koid, r.koid);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_NE(koid_of(vmo), p.koid);
    EXPECT_EQ(SELF & 3, 3);
    EXPECT_EQ(ROOT & 3, 3);
}

CASE(process_handles, wrong_type_beats_rights)
{
    /* docs/semantics.md "Handle lookup": a handle with no rights of the wrong type gives
     * WRONG_TYPE. */
    zx_handle_t none = dup(SELF, ZX_RIGHT_NONE);
    uint8_t b;
    EXPECT_STATUS(zx_vmo_read(none, &b, 0, 1), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmar_destroy(none), ZX_ERR_WRONG_TYPE);
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_vmo_create_child(none, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &out),
                  ZX_ERR_WRONG_TYPE);
}

/* Conformance: zx_vmar_op_range (docs/semantics.md "zx_vmar_op_range", "Operations and their
 * rights"): check order, per-op rights on the VMAR handle, the mapping walk (gaps, sub-VMARs,
 * maximum permissions) and each op's effect. */
#include "conf.h"

#define VMO_RIGHTS ((zx_rights_t)0xD0EF)
#define ALL_VMAR   ((zx_rights_t)0x20801F)
#define CAN_ALL    (ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC)
#define R          ZX_VM_PERM_READ

static zx_status_t vop(zx_handle_t vmar, uint32_t op, zx_vaddr_t addr, size_t len)
{
    return zx_vmar_op_range(vmar, op, addr, len, NULL, 0);
}

static const uint32_t all_ops[] = {ZX_VMAR_OP_COMMIT,  ZX_VMAR_OP_DECOMMIT,  ZX_VMAR_OP_MAP_RANGE,
                                   ZX_VMAR_OP_ZERO,    ZX_VMAR_OP_DONT_NEED, ZX_VMAR_OP_ALWAYS_NEED,
                                   ZX_VMAR_OP_PREFETCH};

/* A 16-page region with a 4-page RW mapping at page 0 of a fresh VMO. */
static zx_handle_t setup(zx_handle_t *vmo, zx_vaddr_t *base)
{
    zx_handle_t v = scratch(16 * PAGE, base);
    *vmo = vmo_create(4 * PAGE, 0);
    map(v, RW | ZX_VM_SPECIFIC, 0, *vmo, 0, 4 * PAGE);
    return v;
}

CASE(vmar_op, handle_lookup)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    setup(&vmo, &base);
    EXPECT_STATUS(vop(ZX_HANDLE_INVALID, ZX_VMAR_OP_COMMIT, base, PAGE), ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(vop(vmo, ZX_VMAR_OP_COMMIT, base, PAGE), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(vop(vmo, 99, base, PAGE), ZX_ERR_WRONG_TYPE);
}

CASE(vmar_op, unknown_ops_are_invalid)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup(&vmo, &base);
    /* LOCK/UNLOCK/cache ops exist only for VMOs. */
    static const uint32_t bad[] = {0, 4, 5, 6, 7, 8, 9, 11, 15, 0xFFFFFFFF};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        EXPECT_STATUS(vop(v, bad[i], base, PAGE), ZX_ERR_INVALID_ARGS);
    zx_handle_t none = dup(v, ZX_RIGHT_NONE);
    EXPECT_STATUS(vop(none, 6, base, PAGE), ZX_ERR_INVALID_ARGS);
}

CASE(vmar_op, rights_on_vmar_handle)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup(&vmo, &base);
    zx_handle_t no_write = dup(v, ALL_VMAR & ~ZX_RIGHT_WRITE);
    EXPECT_STATUS(vop(no_write, ZX_VMAR_OP_COMMIT, base, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(vop(no_write, ZX_VMAR_OP_DECOMMIT, base, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(vop(no_write, ZX_VMAR_OP_ZERO, base, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_OK(vop(no_write, ZX_VMAR_OP_MAP_RANGE, base, PAGE));
    EXPECT_OK(vop(no_write, ZX_VMAR_OP_PREFETCH, base, PAGE));
    zx_handle_t no_read = dup(v, ALL_VMAR & ~ZX_RIGHT_READ);
    EXPECT_STATUS(vop(no_read, ZX_VMAR_OP_MAP_RANGE, base, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(vop(no_read, ZX_VMAR_OP_PREFETCH, base, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_OK(vop(no_read, ZX_VMAR_OP_COMMIT, base, PAGE));
    zx_handle_t none = dup(v, ZX_RIGHT_NONE);
    EXPECT_OK(vop(none, ZX_VMAR_OP_DONT_NEED, base, PAGE));
    EXPECT_OK(vop(none, ZX_VMAR_OP_ALWAYS_NEED, base, PAGE));
}

CASE(vmar_op, buffer_must_be_empty)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup(&vmo, &base);
    uint8_t buf[8];
    for (size_t i = 0; i < sizeof all_ops / sizeof all_ops[0]; i++) {
        EXPECT_STATUS(zx_vmar_op_range(v, all_ops[i], base, PAGE, buf, 0), ZX_ERR_INVALID_ARGS);
        EXPECT_STATUS(zx_vmar_op_range(v, all_ops[i], base, PAGE, NULL, 8), ZX_ERR_INVALID_ARGS);
    }
    /* The rights check (step 3) comes before the buffer check. */
    zx_handle_t none = dup(v, ZX_RIGHT_NONE);
    EXPECT_STATUS(zx_vmar_op_range(none, ZX_VMAR_OP_COMMIT, base, PAGE, buf, 8),
                  ZX_ERR_ACCESS_DENIED);
    EXPECT_EQ(committed(vmo), 0);
}

CASE(vmar_op, size_and_alignment)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup(&vmo, &base);
    for (size_t i = 0; i < sizeof all_ops / sizeof all_ops[0]; i++) {
        EXPECT_STATUS(vop(v, all_ops[i], base, 0), ZX_ERR_INVALID_ARGS);
        EXPECT_STATUS(vop(v, all_ops[i], base + 1, PAGE), ZX_ERR_INVALID_ARGS);
        EXPECT_STATUS(vop(v, all_ops[i], base, UINT64_MAX), ZX_ERR_INVALID_ARGS);
    }
    /* Size rounds up: 1 byte commits one page. */
    EXPECT_OK(vop(v, ZX_VMAR_OP_COMMIT, base, 1));
    EXPECT_EQ(committed(vmo), PAGE);
}

CASE(vmar_op, outside_vmar_is_out_of_range)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup(&vmo, &base);
    for (size_t i = 0; i < sizeof all_ops / sizeof all_ops[0]; i++) {
        EXPECT_STATUS(vop(v, all_ops[i], base - PAGE, 2 * PAGE), ZX_ERR_OUT_OF_RANGE);
        EXPECT_STATUS(vop(v, all_ops[i], base + 15 * PAGE, 2 * PAGE), ZX_ERR_OUT_OF_RANGE);
    }
}

CASE(vmar_op, dead_region_is_bad_state)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup(&vmo, &base);
    ASSERT_OK(zx_vmar_destroy(v));
    for (size_t i = 0; i < sizeof all_ops / sizeof all_ops[0]; i++)
        EXPECT_STATUS(vop(v, all_ops[i], base, PAGE), ZX_ERR_BAD_STATE);
    /* Out of range (step 6) comes before dead (step 7). */
    EXPECT_STATUS(vop(v, ZX_VMAR_OP_COMMIT, base - PAGE, PAGE), ZX_ERR_OUT_OF_RANGE);
}

CASE(vmar_op, gaps_are_bad_state)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup(&vmo, &base);
    for (size_t i = 0; i < sizeof all_ops / sizeof all_ops[0]; i++) {
        /* Uncovered space at the end. */
        EXPECT_STATUS(vop(v, all_ops[i], base + 2 * PAGE, 4 * PAGE), ZX_ERR_BAD_STATE);
        /* Entirely unmapped. */
        EXPECT_STATUS(vop(v, all_ops[i], base + 8 * PAGE, PAGE), ZX_ERR_BAD_STATE);
    }
}

CASE(vmar_op, commit_commits_and_populates)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup(&vmo, &base);
    EXPECT_OK(vop(v, ZX_VMAR_OP_COMMIT, base + PAGE, 2 * PAGE));
    EXPECT_EQ(committed(vmo), 2 * PAGE);
    EXPECT_VMO_FILLED(vmo, 0, 4 * PAGE, 0);
    EXPECT_EQ(*(volatile uint8_t *)(base + PAGE), 0);
}

CASE(vmar_op, commit_and_decommit_need_maximum_write)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t ro = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    map(v, R | ZX_VM_SPECIFIC, 0, ro, 0, PAGE);
    EXPECT_STATUS(vop(v, ZX_VMAR_OP_COMMIT, base, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(vop(v, ZX_VMAR_OP_DECOMMIT, base, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(vop(v, ZX_VMAR_OP_ZERO, base, PAGE), ZX_ERR_ACCESS_DENIED);
    /* A read-only mapping that could be made writable is fine. */
    map(v, R | ZX_VM_SPECIFIC, PAGE, vmo, PAGE, PAGE);
    EXPECT_OK(vop(v, ZX_VMAR_OP_COMMIT, base + PAGE, PAGE));
    EXPECT_EQ(committed(vmo), PAGE);
    EXPECT_OK(vop(v, ZX_VMAR_OP_ZERO, base + PAGE, PAGE));
    EXPECT_OK(vop(v, ZX_VMAR_OP_DECOMMIT, base + PAGE, PAGE));
    EXPECT_EQ(committed(vmo), 0);
}

CASE(vmar_op, zero_ignores_current_protection)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup(&vmo, &base);
    vmo_fill(vmo, 0, 4 * PAGE, 0x3A);
    ASSERT_OK(zx_vmar_protect(v, 0, base, 4 * PAGE));
    EXPECT_OK(vop(v, ZX_VMAR_OP_ZERO, base + PAGE, PAGE));
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0x3A);
    EXPECT_VMO_FILLED(vmo, PAGE, PAGE, 0);
    EXPECT_VMO_FILLED(vmo, 2 * PAGE, 2 * PAGE, 0x3A);
    EXPECT_EQ(committed(vmo), 3 * PAGE);
}

CASE(vmar_op, prefetch_needs_maximum_read)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t map_only = dup(vmo, ZX_RIGHT_MAP);
    map(v, ZX_VM_SPECIFIC, 0, map_only, 0, PAGE);
    EXPECT_STATUS(vop(v, ZX_VMAR_OP_PREFETCH, base, PAGE), ZX_ERR_ACCESS_DENIED);
    /* Protected to nothing, but the maximum has READ: fine. */
    map(v, R | ZX_VM_SPECIFIC, PAGE, vmo, 0, PAGE);
    ASSERT_OK(zx_vmar_protect(v, 0, base + PAGE, PAGE));
    EXPECT_OK(vop(v, ZX_VMAR_OP_PREFETCH, base + PAGE, PAGE));
    EXPECT_EQ(committed(vmo), 0);
}

CASE(vmar_op, decommit_zeroes_other_mappings)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup(&vmo, &base);
    volatile uint8_t *other = (volatile uint8_t *)map(v, R, 0, vmo, 0, 4 * PAGE);
    volatile uint8_t *p = (volatile uint8_t *)base;
    p[0] = 1;
    p[PAGE] = 2;
    EXPECT_EQ(other[PAGE], 2);
    EXPECT_OK(vop(v, ZX_VMAR_OP_DECOMMIT, base, 2 * PAGE));
    EXPECT_EQ(other[0], 0);
    EXPECT_EQ(other[PAGE], 0);
    EXPECT_EQ(p[PAGE], 0);
    EXPECT_EQ(committed(vmo), 0);
}

CASE(vmar_op, decommit_on_clone_not_supported)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 1);
    zx_handle_t c = child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    map(v, RW | ZX_VM_SPECIFIC, 0, c, 0, PAGE);
    EXPECT_STATUS(vop(v, ZX_VMAR_OP_DECOMMIT, base, PAGE), ZX_ERR_NOT_SUPPORTED);
    EXPECT_VMO_FILLED(c, 0, PAGE, 1);
}

CASE(vmar_op, map_range_commits_nothing)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup(&vmo, &base);
    EXPECT_OK(vop(v, ZX_VMAR_OP_MAP_RANGE, base, 4 * PAGE));
    EXPECT_EQ(committed(vmo), 0);
    vmo_fill(vmo, PAGE, PAGE, 0x4B);
    EXPECT_OK(vop(v, ZX_VMAR_OP_MAP_RANGE, base, 4 * PAGE));
    /* Again over populated entries: still fine. */
    EXPECT_OK(vop(v, ZX_VMAR_OP_MAP_RANGE, base, 4 * PAGE));
    EXPECT_EQ(*(volatile uint8_t *)(base + PAGE), 0x4B);
    EXPECT_EQ(committed(vmo), PAGE);
}

CASE(vmar_op, zero_zeroes_vmo_range)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup(&vmo, &base);
    vmo_fill(vmo, 0, 4 * PAGE, 0x2B);
    EXPECT_OK(vop(v, ZX_VMAR_OP_ZERO, base + PAGE, 2 * PAGE));
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0x2B);
    EXPECT_VMO_FILLED(vmo, PAGE, 2 * PAGE, 0);
    EXPECT_VMO_FILLED(vmo, 3 * PAGE, PAGE, 0x2B);
    EXPECT_EQ(*(volatile uint8_t *)(base + PAGE), 0);
    EXPECT_EQ(committed(vmo), 2 * PAGE);
}

CASE(vmar_op, zero_maps_vmo_offset)
{
    /* The op acts on the VMO range behind the mapping, not at VMAR offsets. */
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    vmo_fill(vmo, 0, 8 * PAGE, 0x1C);
    map(v, RW | ZX_VM_SPECIFIC, 2 * PAGE, vmo, 5 * PAGE, 2 * PAGE);
    EXPECT_OK(vop(v, ZX_VMAR_OP_ZERO, base + 3 * PAGE, PAGE));
    EXPECT_VMO_FILLED(vmo, 6 * PAGE, PAGE, 0);
    EXPECT_VMO_FILLED(vmo, 0, 6 * PAGE, 0x1C);
    EXPECT_VMO_FILLED(vmo, 7 * PAGE, PAGE, 0x1C);
}

CASE(vmar_op, hints_change_nothing)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup(&vmo, &base);
    vmo_fill(vmo, 0, PAGE, 0x11);
    EXPECT_OK(vop(v, ZX_VMAR_OP_DONT_NEED, base, 4 * PAGE));
    EXPECT_OK(vop(v, ZX_VMAR_OP_ALWAYS_NEED, base, 4 * PAGE));
    EXPECT_OK(vop(v, ZX_VMAR_OP_PREFETCH, base, 4 * PAGE));
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0x11);
    EXPECT_EQ(committed(vmo), PAGE);
    EXPECT_EQ(*(volatile uint8_t *)base, 0x11);
}

CASE(vmar_op, spans_adjacent_mappings)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t a = vmo_create(2 * PAGE, 0);
    zx_handle_t b = vmo_create(2 * PAGE, 0);
    map(v, RW | ZX_VM_SPECIFIC, 0, a, 0, 2 * PAGE);
    map(v, RW | ZX_VM_SPECIFIC, 2 * PAGE, b, 0, 2 * PAGE);
    EXPECT_OK(vop(v, ZX_VMAR_OP_COMMIT, base + PAGE, 2 * PAGE));
    EXPECT_EQ(committed(a), PAGE);
    EXPECT_EQ(committed(b), PAGE);
}

CASE(vmar_op, subregion_rules)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_vaddr_t cbase = 0;
    zx_handle_t c = subvmar(v, CAN_ALL | ZX_VM_SPECIFIC, 4 * PAGE, 4 * PAGE, &cbase);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    vmo_fill(vmo, 0, 4 * PAGE, 0x6A);
    map(c, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 4 * PAGE);
    /* COMMIT, DECOMMIT and PREFETCH never act through a parent. */
    EXPECT_STATUS(vop(v, ZX_VMAR_OP_COMMIT, cbase, PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(vop(v, ZX_VMAR_OP_DECOMMIT, cbase, PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(vop(v, ZX_VMAR_OP_PREFETCH, cbase, PAGE), ZX_ERR_INVALID_ARGS);
    /* The others do, given OP_CHILDREN. */
    EXPECT_OK(vop(v, ZX_VMAR_OP_MAP_RANGE, cbase, PAGE));
    EXPECT_OK(vop(v, ZX_VMAR_OP_DONT_NEED, cbase, PAGE));
    EXPECT_OK(vop(v, ZX_VMAR_OP_ALWAYS_NEED, cbase, PAGE));
    EXPECT_OK(vop(v, ZX_VMAR_OP_ZERO, cbase, PAGE));
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0);
    zx_handle_t weak = dup(v, ALL_VMAR & ~ZX_RIGHT_OP_CHILDREN);
    EXPECT_STATUS(vop(weak, ZX_VMAR_OP_ZERO, cbase + PAGE, PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(vop(weak, ZX_VMAR_OP_MAP_RANGE, cbase, PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(vop(weak, ZX_VMAR_OP_DONT_NEED, cbase, PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_VMO_FILLED(vmo, PAGE, PAGE, 0x6A);
    /* The child's own handle can commit. */
    EXPECT_OK(vop(c, ZX_VMAR_OP_DECOMMIT, cbase + PAGE, PAGE));
    EXPECT_VMO_FILLED(vmo, PAGE, PAGE, 0);
}

CASE(vmar_op, empty_subregion_is_a_gap)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    map(v, RW | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE);
    subvmar(v, CAN_ALL | ZX_VM_SPECIFIC, PAGE, PAGE, NULL);
    EXPECT_STATUS(vop(v, ZX_VMAR_OP_ZERO, base, 2 * PAGE), ZX_ERR_BAD_STATE);
}

CASE(vmar_op, shrunk_vmo_is_out_of_range)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(4 * PAGE, ZX_VMO_RESIZABLE);
    map(v, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 4 * PAGE);
    ASSERT_OK(zx_vmo_set_size(vmo, PAGE));
    EXPECT_STATUS(vop(v, ZX_VMAR_OP_COMMIT, base, 2 * PAGE), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(vop(v, ZX_VMAR_OP_COMMIT, base + 2 * PAGE, PAGE), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(vop(v, ZX_VMAR_OP_COMMIT, base, PAGE));
    EXPECT_EQ(committed(vmo), PAGE);
}

CASE(vmar_op, beyond_stream_size_is_out_of_range)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    uint64_t cs = PAGE;
    ASSERT_OK(zx_object_set_property(vmo, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs));
    map(v, RW | ZX_VM_SPECIFIC | ZX_VM_ALLOW_FAULTS | ZX_VM_FAULT_BEYOND_STREAM_SIZE, 0, vmo, 0,
        4 * PAGE);
    EXPECT_STATUS(vop(v, ZX_VMAR_OP_COMMIT, base + 2 * PAGE, PAGE), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(vop(v, ZX_VMAR_OP_COMMIT, base, PAGE));
}

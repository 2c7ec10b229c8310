/* Conformance: zx_vmar_unmap and zx_vmar_protect (docs/semantics.md "zx_vmar_unmap",
 * "zx_vmar_protect"): check order, splitting, sub-VMAR rules, atomicity, and the permissions the
 * guest then sees (mapping lists from ZX_INFO_VMAR_MAPS, contents through mappings). */
#include "conf.h"

#define VMO_RIGHTS  ((zx_rights_t)0xD0EF)
#define VMAR_RIGHTS ((zx_rights_t)0x208003)
#define CAN_RW      (ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC)
#define R           ZX_VM_PERM_READ

/* One expected mapping record. */
typedef struct {
    uint64_t page;  /* first page, relative to the region base */
    uint64_t pages; /* length in pages */
    uint32_t flags; /* mmu_flags */
    uint64_t vmo_page;
} want_t;

/* Compares the MAPPING records of `vmar` (based at `base`) with `want`. */
#define EXPECT_MAPS(vmar, base, ...)                                                               \
    do {                                                                                           \
        const want_t w_[] = {__VA_ARGS__};                                                         \
        expect_maps(__FILE__, __LINE__, (vmar), (base), w_, sizeof w_ / sizeof w_[0]);             \
    } while (0)
#define EXPECT_NO_MAPS(vmar) EXPECT_EQ(count_maps(vmar), 0)

static size_t count_maps(zx_handle_t vmar)
{
    size_t n = 0;
    mappings_of(vmar, &n);
    return n;
}

static void expect_maps(const char *file, int line, zx_handle_t vmar, zx_vaddr_t base,
                        const want_t *w, size_t nw)
{
    size_t n = 0;
    zx_info_maps_t *m = conf_mappings_of(file, line, vmar, &n);
    bool ok = n == nw;
    for (size_t i = 0; ok && i < n; i++) {
        ok = m[i].base == base + w[i].page * PAGE && m[i].size == w[i].pages * PAGE &&
             m[i].u.mapping.mmu_flags == w[i].flags &&
             m[i].u.mapping.vmo_offset == w[i].vmo_page * PAGE;
    }
    if (ok)
        return;
    char got[160] = "", want[160] = "";
    size_t g = 0, k = 0;
    for (size_t i = 0; i < n && g < sizeof got - 40; i++)
        g += snprintf(got + g, sizeof got - g, " [p%lld+%lld f%x o%lld]",
                      (long long)((m[i].base - base) / PAGE), (long long)(m[i].size / PAGE),
                      m[i].u.mapping.mmu_flags, (long long)(m[i].u.mapping.vmo_offset / PAGE));
    for (size_t i = 0; i < nw && k < sizeof want - 40; i++)
        k += snprintf(want + k, sizeof want - k, " [p%lld+%lld f%x o%lld]", (long long)w[i].page,
                      (long long)w[i].pages, w[i].flags, (long long)w[i].vmo_page);
    conf_fail(file, line, "mappings:%s; expected:%s", got, want);
}

/* Region `v` (16 pages at `base`) with a 4-page RW mapping of a fresh VMO at
 * page 2; the VMO's page i holds 0x10 + i. */
static zx_handle_t setup_4(zx_handle_t *vmo_out, zx_vaddr_t *base_out)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    for (int i = 0; i < 4; i++)
        vmo_fill(vmo, i * PAGE, PAGE, (uint8_t)(0x10 + i));
    map(v, RW | ZX_VM_SPECIFIC, 2 * PAGE, vmo, 0, 4 * PAGE);
    *vmo_out = vmo;
    *base_out = base;
    return v;
}

static uint8_t peek(zx_vaddr_t a)
{
    return *(volatile uint8_t *)a;
}

/* ---- zx_vmar_unmap ---- */

CASE(vmar_unmap, whole_mapping)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    EXPECT_OK(zx_vmar_unmap(v, base + 2 * PAGE, 4 * PAGE));
    EXPECT_NO_MAPS(v);
    EXPECT_EQ(vmo_info(vmo).num_mappings, 0);
    /* The VMO keeps its contents. */
    EXPECT_VMO_FILLED(vmo, 3 * PAGE, PAGE, 0x13);
}

CASE(vmar_unmap, split_left_right_middle)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    /* Left page. */
    EXPECT_OK(zx_vmar_unmap(v, base + 2 * PAGE, PAGE));
    EXPECT_MAPS(v, base, {3, 3, RW, 1});
    /* Right page. */
    EXPECT_OK(zx_vmar_unmap(v, base + 5 * PAGE, PAGE));
    EXPECT_MAPS(v, base, {3, 2, RW, 1});
    EXPECT_EQ(peek(base + 3 * PAGE), 0x11);
    EXPECT_EQ(peek(base + 4 * PAGE), 0x12);
}

CASE(vmar_unmap, hole_in_the_middle)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    EXPECT_OK(zx_vmar_unmap(v, base + 3 * PAGE, 2 * PAGE));
    EXPECT_MAPS(v, base, {2, 1, RW, 0}, {5, 1, RW, 3});
    EXPECT_EQ(peek(base + 2 * PAGE), 0x10);
    EXPECT_EQ(peek(base + 5 * PAGE), 0x13);
    /* The outer parts still write to the right VMO pages. */
    *(volatile uint8_t *)(base + 5 * PAGE + 1) = 0x77;
    EXPECT_EQ(vmo_byte(vmo, 3 * PAGE + 1), 0x77);
}

CASE(vmar_unmap, len_rounds_up)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    EXPECT_OK(zx_vmar_unmap(v, base + 2 * PAGE, 1));
    EXPECT_MAPS(v, base, {3, 3, RW, 1});
    EXPECT_OK(zx_vmar_unmap(v, base + 3 * PAGE, PAGE + 1));
    EXPECT_MAPS(v, base, {5, 1, RW, 3});
}

CASE(vmar_unmap, range_with_gaps_and_empty_range)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    map(v, R | ZX_VM_SPECIFIC, 10 * PAGE, vmo, 0, PAGE);
    /* Starts and ends in unmapped space, covers both mappings. */
    EXPECT_OK(zx_vmar_unmap(v, base, 16 * PAGE));
    EXPECT_NO_MAPS(v);
    /* Nothing there at all: still OK (older docs said NOT_FOUND). */
    EXPECT_OK(zx_vmar_unmap(v, base + PAGE, 2 * PAGE));
}

CASE(vmar_unmap, empty_region_is_ok)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(4 * PAGE, &base);
    EXPECT_OK(zx_vmar_unmap(v, base, 4 * PAGE));
}

CASE(vmar_unmap, argument_checks)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    EXPECT_STATUS(zx_vmar_unmap(ZX_HANDLE_INVALID, base, PAGE), ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_vmar_unmap(vmo, base, PAGE), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmar_unmap(v, base + 2 * PAGE + 1, PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_unmap(v, base + 2 * PAGE, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_unmap(v, base + 2 * PAGE, UINT64_MAX), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_unmap(v, base + 2 * PAGE, 0ull - PAGE + 1), ZX_ERR_INVALID_ARGS);
    /* Not entirely inside this VMAR. */
    EXPECT_STATUS(zx_vmar_unmap(v, base - PAGE, 4 * PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_unmap(v, base + 14 * PAGE, 4 * PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_MAPS(v, base, {2, 4, RW, 0});
}

CASE(vmar_unmap, needs_no_rights)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    zx_handle_t weak = dup(v, ZX_RIGHT_READ);
    EXPECT_OK(zx_vmar_unmap(weak, base + 2 * PAGE, PAGE));
    zx_handle_t none = dup(v, ZX_RIGHT_NONE);
    EXPECT_OK(zx_vmar_unmap(none, base + 3 * PAGE, PAGE));
    EXPECT_MAPS(v, base, {4, 2, RW, 2});
}

CASE(vmar_unmap, partial_subregion_is_invalid)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    map(v, R | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE);
    zx_handle_t c = subvmar(v, ZX_VM_SPECIFIC | CAN_RW, 4 * PAGE, 4 * PAGE, NULL);
    map(c, R, 0, vmo, 0, PAGE);
    EXPECT_STATUS(zx_vmar_unmap(v, base, 6 * PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_unmap(v, base + 6 * PAGE, 4 * PAGE), ZX_ERR_INVALID_ARGS);
    /* Nothing was changed, not even the mapping at page 0. */
    EXPECT_EQ(count_maps(v), 2);
    EXPECT_EQ(vmo_info(vmo).num_mappings, 2);
}

CASE(vmar_unmap, whole_subregion_is_destroyed)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t c = subvmar(v, ZX_VM_SPECIFIC | CAN_RW, 4 * PAGE, 4 * PAGE, NULL);
    map(c, R, 0, vmo, 0, PAGE);
    EXPECT_OK(zx_vmar_unmap(v, base + 2 * PAGE, 8 * PAGE));
    EXPECT_EQ(vmo_info(vmo).num_mappings, 0);
    size_t n = 0;
    vmar_maps(v, &n);
    EXPECT_EQ(n, 1);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_allocate(c, 0, 0, PAGE, &h, &a), ZX_ERR_BAD_STATE);
}

CASE(vmar_unmap, subregion_without_op_children_is_invalid)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    map(v, R | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE);
    subvmar(v, ZX_VM_SPECIFIC, 4 * PAGE, 4 * PAGE, NULL);
    zx_handle_t weak = dup(v, 0x20801F & ~ZX_RIGHT_OP_CHILDREN);
    EXPECT_STATUS(zx_vmar_unmap(weak, base, 16 * PAGE), ZX_ERR_INVALID_ARGS);
    size_t n = 0;
    vmar_maps(v, &n);
    EXPECT_EQ(n, 3);
    /* A range avoiding the sub-VMAR is fine without OP_CHILDREN. */
    EXPECT_OK(zx_vmar_unmap(weak, base, 4 * PAGE));
    EXPECT_EQ(count_maps(v), 0);
}

CASE(vmar_unmap, through_parent_into_subregion_mapping)
{
    /* Unmapping through a parent handle reaches mappings inside child VMARs
     * when it covers the child whole. */
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t cbase = 0;
    zx_handle_t c = subvmar(v, CAN_RW | ZX_VM_SPECIFIC, 8 * PAGE, 2 * PAGE, &cbase);
    map(c, R, 0, vmo, 0, PAGE);
    EXPECT_OK(zx_vmar_unmap(v, cbase, 2 * PAGE));
    EXPECT_EQ(vmo_info(vmo).num_mappings, 0);
}

CASE(vmar_unmap, child_handle_unmaps_own_mappings)
{
    zx_vaddr_t cbase = 0;
    zx_handle_t v = scratch(16 * PAGE, NULL);
    zx_handle_t c = subvmar(v, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, 8 * PAGE, &cbase);
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    map(c, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 2 * PAGE);
    EXPECT_OK(zx_vmar_unmap(c, cbase + PAGE, PAGE));
    EXPECT_MAPS(c, cbase, {0, 1, RW, 0});
    /* Outside the child: INVALID_ARGS even though the parent owns it. */
    EXPECT_STATUS(zx_vmar_unmap(c, cbase + 8 * PAGE, PAGE), ZX_ERR_INVALID_ARGS);
}

/* ---- zx_vmar_protect ---- */

CASE(vmar_protect, lower_and_raise_whole_mapping)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    EXPECT_OK(zx_vmar_protect(v, R, base + 2 * PAGE, 4 * PAGE));
    EXPECT_MAPS(v, base, {2, 4, R, 0});
    EXPECT_EQ(peek(base + 2 * PAGE), 0x10);
    EXPECT_OK(zx_vmar_protect(v, RW, base + 2 * PAGE, 4 * PAGE));
    EXPECT_MAPS(v, base, {2, 4, RW, 0});
    *(volatile uint8_t *)(base + 2 * PAGE) = 0x55;
    EXPECT_EQ(vmo_byte(vmo, 0), 0x55);
}

CASE(vmar_protect, splits_left_right_middle)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    EXPECT_OK(zx_vmar_protect(v, R, base + 3 * PAGE, 2 * PAGE));
    EXPECT_MAPS(v, base, {2, 1, RW, 0}, {3, 2, R, 1}, {5, 1, RW, 3});
    EXPECT_OK(zx_vmar_protect(v, 0, base + 2 * PAGE, PAGE));
    EXPECT_MAPS(v, base, {2, 1, 0, 0}, {3, 2, R, 1}, {5, 1, RW, 3});
    EXPECT_EQ(peek(base + 3 * PAGE), 0x11);
    *(volatile uint8_t *)(base + 5 * PAGE) = 0x66;
    EXPECT_EQ(vmo_byte(vmo, 3 * PAGE), 0x66);
}

CASE(vmar_protect, len_rounds_up)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    EXPECT_OK(zx_vmar_protect(v, R, base + 2 * PAGE, 1));
    EXPECT_MAPS(v, base, {2, 1, R, 0}, {3, 3, RW, 1});
}

CASE(vmar_protect, none_then_back)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    *(volatile uint8_t *)(base + 2 * PAGE + 9) = 0x99;
    EXPECT_OK(zx_vmar_protect(v, 0, base + 2 * PAGE, 4 * PAGE));
    EXPECT_MAPS(v, base, {2, 4, 0, 0});
    /* Still mapped: the VMO keeps its mapping. */
    EXPECT_EQ(vmo_info(vmo).num_mappings, 1);
    EXPECT_OK(zx_vmar_protect(v, RW, base + 2 * PAGE, 4 * PAGE));
    EXPECT_EQ(peek(base + 2 * PAGE + 9), 0x99);
}

CASE(vmar_protect, handle_rights)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    zx_handle_t ro = dup(v, 0x20801F & ~ZX_RIGHT_WRITE);
    EXPECT_STATUS(zx_vmar_protect(ro, RW, base + 2 * PAGE, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_OK(zx_vmar_protect(ro, R, base + 2 * PAGE, PAGE));
    zx_handle_t no_read = dup(v, 0x20801F & ~ZX_RIGHT_READ);
    EXPECT_STATUS(zx_vmar_protect(no_read, R, base + 3 * PAGE, PAGE), ZX_ERR_ACCESS_DENIED);
    zx_handle_t no_exec = dup(v, 0x20801F & ~ZX_RIGHT_EXECUTE);
    EXPECT_STATUS(zx_vmar_protect(no_exec, RX, base + 3 * PAGE, PAGE), ZX_ERR_ACCESS_DENIED);
    /* Lowering to nothing needs no right. */
    zx_handle_t none = dup(v, ZX_RIGHT_NONE);
    EXPECT_OK(zx_vmar_protect(none, 0, base + 5 * PAGE, PAGE));
    EXPECT_MAPS(v, base, {2, 1, R, 0}, {3, 2, RW, 1}, {5, 1, 0, 3});
}

CASE(vmar_protect, argument_checks)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    zx_vaddr_t a = base + 2 * PAGE;
    EXPECT_STATUS(zx_vmar_protect(ZX_HANDLE_INVALID, R, a, PAGE), ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_vmar_protect(vmo, R, a, PAGE), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmar_protect(v, ZX_VM_PERM_WRITE, a, PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_protect(v, R, a + 1, PAGE), ZX_ERR_INVALID_ARGS);
    static const zx_vm_option_t bad[] = {ZX_VM_SPECIFIC,
                                         ZX_VM_CAN_MAP_READ,
                                         ZX_VM_COMPACT,
                                         ZX_VM_SPECIFIC_OVERWRITE,
                                         ZX_VM_MAP_RANGE,
                                         ZX_VM_ALLOW_FAULTS,
                                         ZX_VM_OFFSET_IS_UPPER_LIMIT,
                                         ZX_VM_ALIGN_4KB,
                                         1u << 16};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        EXPECT_STATUS(zx_vmar_protect(v, R | bad[i], a, PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_protect(v, R, a, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_protect(v, R, a, UINT64_MAX), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_protect(v, R, base - PAGE, 4 * PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_protect(v, R, base + 15 * PAGE, 2 * PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_MAPS(v, base, {2, 4, RW, 0});
}

CASE(vmar_protect, rights_checked_before_write_without_read)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    zx_handle_t ro = dup(v, 0x20801F & ~ZX_RIGHT_WRITE);
    /* Step 2 (handle rights) precedes step 3 (WRITE without READ). */
    EXPECT_STATUS(zx_vmar_protect(ro, ZX_VM_PERM_WRITE, base + 2 * PAGE, PAGE),
                  ZX_ERR_ACCESS_DENIED);
}

CASE(vmar_protect, gaps_are_not_found)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    /* A gap before the mapping. */
    EXPECT_STATUS(zx_vmar_protect(v, R, base + PAGE, 2 * PAGE), ZX_ERR_NOT_FOUND);
    /* Uncovered space at the end. */
    EXPECT_STATUS(zx_vmar_protect(v, R, base + 5 * PAGE, 2 * PAGE), ZX_ERR_NOT_FOUND);
    /* Entirely unmapped. */
    EXPECT_STATUS(zx_vmar_protect(v, R, base + 10 * PAGE, PAGE), ZX_ERR_NOT_FOUND);
    /* Atomic: the mapped part did not change either. */
    EXPECT_MAPS(v, base, {2, 4, RW, 0});
}

CASE(vmar_protect, gap_between_mappings_not_found)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    map(v, RW | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE);
    map(v, RW | ZX_VM_SPECIFIC, 2 * PAGE, vmo, 2 * PAGE, PAGE);
    EXPECT_STATUS(zx_vmar_protect(v, R, base, 3 * PAGE), ZX_ERR_NOT_FOUND);
    EXPECT_MAPS(v, base, {0, 1, RW, 0}, {2, 1, RW, 2});
}

CASE(vmar_protect, adjacent_mappings_change_together)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t a = vmo_create(PAGE, 0);
    zx_handle_t b = vmo_create(PAGE, 0);
    map(v, RW | ZX_VM_SPECIFIC, 0, a, 0, PAGE);
    map(v, RW | ZX_VM_SPECIFIC, PAGE, b, 0, PAGE);
    EXPECT_OK(zx_vmar_protect(v, R, base, 2 * PAGE));
    EXPECT_MAPS(v, base, {0, 1, R, 0}, {1, 1, R, 0});
}

CASE(vmar_protect, beyond_maximum_is_access_denied)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t ro = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    map(v, R | ZX_VM_SPECIFIC, 0, ro, 0, PAGE);
    map(v, RW | ZX_VM_SPECIFIC, PAGE, vmo, PAGE, PAGE);
    EXPECT_STATUS(zx_vmar_protect(v, RW, base, PAGE), ZX_ERR_ACCESS_DENIED);
    /* Atomic across mappings: the RW one is not lowered either. */
    EXPECT_STATUS(zx_vmar_protect(v, RW, base, 2 * PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_vmar_protect(v, RX, base + PAGE, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_MAPS(v, base, {0, 1, R, 0}, {1, 1, RW, 1});
    /* Closing the VMO handles changes nothing about the maximum. */
    ASSERT_OK(zx_handle_close(ro));
    EXPECT_STATUS(zx_vmar_protect(v, RW, base, PAGE), ZX_ERR_ACCESS_DENIED);
}

CASE(vmar_protect, first_problem_in_address_order_wins)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t ro = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    map(v, R | ZX_VM_SPECIFIC, 0, ro, 0, PAGE);
    /* The too-high permission at page 0 comes before the gap at page 1. */
    EXPECT_STATUS(zx_vmar_protect(v, RW, base, 2 * PAGE), ZX_ERR_ACCESS_DENIED);
    /* The gap at page 1 comes before the mapping at page 2. */
    map(v, R | ZX_VM_SPECIFIC, 2 * PAGE, ro, 0, PAGE);
    EXPECT_STATUS(zx_vmar_protect(v, R, base, 3 * PAGE), ZX_ERR_NOT_FOUND);
}

CASE(vmar_protect, raise_within_maximum_after_read_fault)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    volatile uint8_t *p = (volatile uint8_t *)map(v, R, 0, vmo, 0, PAGE);
    EXPECT_EQ(p[0], 0);
    EXPECT_OK(zx_vmar_protect(v, RW, (zx_vaddr_t)p, PAGE));
    p[0] = 0x42;
    EXPECT_EQ(vmo_byte(vmo, 0), 0x42);
    EXPECT_EQ(committed(vmo), PAGE);
}

CASE(vmar_protect, cow_page_still_forks_after_protect)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0x24);
    volatile uint8_t *p = (volatile uint8_t *)map(v, R, 0, vmo, 0, PAGE);
    EXPECT_EQ(p[0], 0x24);
    zx_handle_t c = child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    EXPECT_OK(zx_vmar_protect(v, RW, (zx_vaddr_t)p, PAGE));
    p[0] = 0x25;
    EXPECT_EQ(vmo_byte(vmo, 0), 0x25);
    EXPECT_EQ(vmo_byte(c, 0), 0x24);
}

CASE(vmar_protect, through_parent_only_lowers)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_vaddr_t cbase = 0;
    zx_handle_t c = subvmar(v, CAN_RW | ZX_VM_SPECIFIC, 4 * PAGE, 4 * PAGE, &cbase);
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    map(c, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 2 * PAGE);
    EXPECT_OK(zx_vmar_protect(v, R, cbase, 2 * PAGE));
    EXPECT_MAPS(c, cbase, {0, 2, R, 0});
    /* Raising through the parent is refused... */
    EXPECT_STATUS(zx_vmar_protect(v, RW, cbase, 2 * PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_vmar_protect(v, RW, cbase, PAGE), ZX_ERR_ACCESS_DENIED);
    /* ...keeping the current permission is fine... */
    EXPECT_OK(zx_vmar_protect(v, R, cbase, 2 * PAGE));
    /* ...and the child's own handle can raise again. */
    EXPECT_OK(zx_vmar_protect(c, RW, cbase, 2 * PAGE));
    EXPECT_MAPS(c, cbase, {0, 2, RW, 0});
}

CASE(vmar_protect, partial_raise_through_parent_is_denied)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_vaddr_t cbase = 0;
    zx_handle_t c = subvmar(v, CAN_RW | ZX_VM_SPECIFIC, 4 * PAGE, 4 * PAGE, &cbase);
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    map(c, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 2 * PAGE);
    ASSERT_OK(zx_vmar_protect(c, R, cbase + PAGE, PAGE));
    /* Page 0 keeps RW, page 1 would gain WRITE: refused as a whole. */
    EXPECT_STATUS(zx_vmar_protect(v, RW, cbase, 2 * PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_MAPS(c, cbase, {0, 1, RW, 0}, {1, 1, R, 1});
}

CASE(vmar_protect, subregion_needs_op_children)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_vaddr_t cbase = 0;
    zx_handle_t c = subvmar(v, CAN_RW | ZX_VM_SPECIFIC, 4 * PAGE, 4 * PAGE, &cbase);
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    map(c, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 2 * PAGE);
    zx_handle_t weak = dup(v, 0x20801F & ~ZX_RIGHT_OP_CHILDREN);
    EXPECT_STATUS(zx_vmar_protect(weak, R, cbase, 2 * PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_MAPS(c, cbase, {0, 2, RW, 0});
}

CASE(vmar_protect, empty_subregion_is_a_gap)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    map(v, RW | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE);
    subvmar(v, CAN_RW | ZX_VM_SPECIFIC, PAGE, 2 * PAGE, NULL);
    map(v, RW | ZX_VM_SPECIFIC, 3 * PAGE, vmo, 0, PAGE);
    EXPECT_STATUS(zx_vmar_protect(v, R, base, 4 * PAGE), ZX_ERR_NOT_FOUND);
    EXPECT_MAPS(v, base, {0, 1, RW, 0}, {3, 1, RW, 0});
}

CASE(vmar_protect, spans_parent_and_child_mappings)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    map(v, RW | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE);
    zx_handle_t c = subvmar(v, CAN_RW | ZX_VM_SPECIFIC, PAGE, PAGE, NULL);
    map(c, RW | ZX_VM_SPECIFIC, 0, vmo, PAGE, PAGE);
    map(v, RW | ZX_VM_SPECIFIC, 2 * PAGE, vmo, 2 * PAGE, PAGE);
    EXPECT_OK(zx_vmar_protect(v, R, base, 3 * PAGE));
    EXPECT_MAPS(v, base, {0, 1, R, 0}, {1, 1, R, 1}, {2, 1, R, 2});
}

#if defined(__x86_64__)
CASE(vmar_protect, read_if_xom_unsupported_adds_read_on_x86)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    /* PERM_READ_IF_XOM_UNSUPPORTED alone becomes PERM_READ on x86-64. */
    EXPECT_OK(zx_vmar_protect(v, ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED, base + 2 * PAGE, PAGE));
    EXPECT_MAPS(v, base, {2, 1, R, 0}, {3, 3, RW, 1});
}
#endif

/* ---- overflow and root-level ranges ---- */

CASE(vmar_unmap, range_overflow_is_invalid)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    EXPECT_STATUS(zx_vmar_unmap(v, base + 2 * PAGE, 0ull - (base + PAGE)), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_unmap(v, 0ull - PAGE, 2 * PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_MAPS(v, base, {2, 4, RW, 0});
}

CASE(vmar_protect, range_overflow_is_invalid)
{
    zx_handle_t vmo;
    zx_vaddr_t base;
    zx_handle_t v = setup_4(&vmo, &base);
    EXPECT_STATUS(zx_vmar_protect(v, R, base + 2 * PAGE, 0ull - (base + PAGE)),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_MAPS(v, base, {2, 4, RW, 0});
}

CASE(vmar_unmap, root_range_cutting_a_region_is_invalid)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(8 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    map(v, RW | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE);
    EXPECT_STATUS(zx_vmar_unmap(ROOT, base, 4 * PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_unmap(ROOT, base - PAGE, 2 * PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(count_maps(v), 1);
}

CASE(vmar_protect, merged_neighbours_protect_partially)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    map(v, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 3 * PAGE);
    map(v, RW | ZX_VM_SPECIFIC, 3 * PAGE, vmo, 3 * PAGE, 2 * PAGE);
    EXPECT_OK(zx_vmar_protect(v, R, base + 2 * PAGE, 2 * PAGE));
    EXPECT_MAPS(v, base, {0, 2, RW, 0}, {2, 2, R, 2}, {4, 1, RW, 4});
    /* Page 5 of the region stays free. */
    EXPECT_STATUS(zx_vmar_protect(v, R, base + 5 * PAGE, PAGE), ZX_ERR_NOT_FOUND);
}

/* ---- finer points of the check orders ---- */

CASE(vmar_unmap, dead_before_range_check)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(8 * PAGE, &base);
    ASSERT_OK(zx_vmar_destroy(v));
    /* Step 4 (dead) precedes step 5 (range not inside). */
    EXPECT_STATUS(zx_vmar_unmap(v, base - PAGE, 4 * PAGE), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmar_unmap(v, base + 1, PAGE), ZX_ERR_INVALID_ARGS);
}

CASE(vmar_protect, dead_before_range_check)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(8 * PAGE, &base);
    ASSERT_OK(zx_vmar_destroy(v));
    EXPECT_STATUS(zx_vmar_protect(v, R, base - PAGE, 4 * PAGE), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmar_protect(v, R, base, 0), ZX_ERR_INVALID_ARGS);
}

CASE(vmar_protect, maximum_checked_before_op_children)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_vaddr_t cbase = 0;
    zx_handle_t c = subvmar(v, CAN_RW | ZX_VM_SPECIFIC, 4 * PAGE, 4 * PAGE, &cbase);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t ro = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    map(c, R | ZX_VM_SPECIFIC, 0, ro, 0, PAGE);
    zx_handle_t weak = dup(v, 0x20801F & ~ZX_RIGHT_OP_CHILDREN);
    EXPECT_STATUS(zx_vmar_protect(weak, RW, cbase, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_vmar_protect(weak, R, cbase, PAGE), ZX_ERR_INVALID_ARGS);
}

CASE(vmar_protect, through_parent_keep_and_lower_mixed)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_vaddr_t cbase = 0;
    zx_handle_t c = subvmar(v, CAN_RW | ZX_VM_SPECIFIC, 4 * PAGE, 4 * PAGE, &cbase);
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    map(c, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 2 * PAGE);
    ASSERT_OK(zx_vmar_protect(c, R, cbase, PAGE));
    /* Page 0 keeps R, page 1 drops to R: nothing is added, so allowed. */
    EXPECT_OK(zx_vmar_protect(v, R, cbase, 2 * PAGE));
    EXPECT_MAPS(c, cbase, {0, 2, R, 0});
    /* Keeping RW through the parent is allowed too. */
    ASSERT_OK(zx_vmar_protect(c, RW, cbase, 2 * PAGE));
    EXPECT_OK(zx_vmar_protect(v, RW, cbase, 2 * PAGE));
}

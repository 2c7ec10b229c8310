/* Conformance: zx_vmar_allocate, zx_vmar_destroy, zx_vmar_map (docs/semantics.md
 * "zx_vmar_allocate", "zx_vmar_destroy", "zx_vmar_map", "VM options", "Address space"). */
#include "conf.h"

#define VMO_RIGHTS  ((zx_rights_t)0xD0EF)
#define VMAR_RIGHTS ((zx_rights_t)0x208003)
#define CAN_RW      (ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE)
#define CAN_ALL     (ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE)

static zx_info_vmar_t vmar_info(zx_handle_t h)
{
    zx_info_vmar_t info;
    memset(&info, 0xEE, sizeof info);
    ASSERT_OK(zx_object_get_info(h, ZX_INFO_VMAR, &info, sizeof info, NULL, NULL));
    return info;
}

/* Number of mapping records in a VMAR's subtree. */
static size_t count_mappings(zx_handle_t vmar)
{
    size_t n = 0;
    mappings_of(vmar, &n);
    return n;
}

/* ---- zx_vmar_allocate ---- */

CASE(vmar_allocate, basic)
{
    zx_handle_t h = 0;
    zx_vaddr_t addr = 0;
    ASSERT_OK(zx_vmar_allocate(ROOT, CAN_RW, 0, 16 * PAGE, &h, &addr));
    track_vmar(h);
    zx_info_handle_basic_t b = basic(h);
    EXPECT_EQ(b.type, ZX_OBJ_TYPE_VMAR);
    EXPECT_EQ(b.rights, 0x20800F);
    EXPECT_EQ(b.related_koid, 0);
    EXPECT_EQ(addr % PAGE, 0);
    EXPECT_GE(addr, USER_BASE);
    EXPECT_LE(addr + 16 * PAGE, USER_BASE + USER_LEN);
    zx_info_vmar_t info = vmar_info(h);
    EXPECT_EQ(info.base, addr);
    EXPECT_EQ(info.len, 16 * PAGE);
}

CASE(vmar_allocate, rights_mirror_can_map_flags)
{
    EXPECT_EQ(rights_of(subvmar(ROOT, 0, 0, PAGE, NULL)), VMAR_RIGHTS);
    EXPECT_EQ(rights_of(subvmar(ROOT, ZX_VM_CAN_MAP_READ, 0, PAGE, NULL)),
              VMAR_RIGHTS | ZX_RIGHT_READ);
    EXPECT_EQ(rights_of(subvmar(ROOT, CAN_ALL, 0, PAGE, NULL)), 0x20801F);
    EXPECT_EQ(rights_of(subvmar(ROOT, ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ, 0, PAGE, NULL)),
              VMAR_RIGHTS | ZX_RIGHT_READ);
    EXPECT_EQ(rights_of(subvmar(ROOT, ZX_VM_CAN_MAP_EXECUTE | ZX_VM_CAN_MAP_READ, 0, PAGE, NULL)),
              VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_EXECUTE);
}

CASE(vmar_allocate, root_handle_and_info)
{
    zx_info_handle_basic_t b = basic(ROOT);
    EXPECT_EQ(b.type, ZX_OBJ_TYPE_VMAR);
    EXPECT_EQ(b.rights, 0x20801F);
    zx_info_vmar_t info = vmar_info(ROOT);
    EXPECT_EQ(info.base, USER_BASE);
    EXPECT_EQ(info.len, USER_LEN);
}

CASE(vmar_allocate, parent_handle_rights)
{
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    zx_handle_t no_read = dup(ROOT, 0x20801F & ~ZX_RIGHT_READ);
    EXPECT_STATUS(zx_vmar_allocate(no_read, ZX_VM_CAN_MAP_READ, 0, PAGE, &h, &a),
                  ZX_ERR_ACCESS_DENIED);
    zx_handle_t no_write = dup(ROOT, 0x20801F & ~ZX_RIGHT_WRITE);
    EXPECT_STATUS(zx_vmar_allocate(no_write, CAN_RW, 0, PAGE, &h, &a), ZX_ERR_ACCESS_DENIED);
    zx_handle_t no_exec = dup(ROOT, 0x20801F & ~ZX_RIGHT_EXECUTE);
    EXPECT_STATUS(
        zx_vmar_allocate(no_exec, ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_EXECUTE, 0, PAGE, &h, &a),
        ZX_ERR_ACCESS_DENIED);
    /* Without CAN_MAP_* no right is needed. */
    zx_handle_t none = dup(ROOT, ZX_RIGHT_NONE);
    EXPECT_EQ(rights_of(subvmar(none, 0, 0, PAGE, NULL)), VMAR_RIGHTS);
}

CASE(vmar_allocate, handle_lookup)
{
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_STATUS(zx_vmar_allocate(ZX_HANDLE_INVALID, 0, 0, PAGE, &h, &a), ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_vmar_allocate(vmo, 0, 0, PAGE, &h, &a), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmar_allocate(SELF, 0, 0, PAGE, &h, &a), ZX_ERR_WRONG_TYPE);
}

CASE(vmar_allocate, unknown_bits_and_bad_alignment)
{
    zx_handle_t parent = scratch(64 * PAGE, NULL);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_allocate(parent, 1u << 16, 0, PAGE, &h, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, 1u << 23, 0, PAGE, &h, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, 1u << ZX_VM_ALIGN_BASE, 0, PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, 9u << ZX_VM_ALIGN_BASE, 0, PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, 33u << ZX_VM_ALIGN_BASE, 0, PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, 255u << ZX_VM_ALIGN_BASE, 0, PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(count_mappings(parent), 0);
}

CASE(vmar_allocate, perm_bits_invalid)
{
    zx_handle_t parent = scratch(16 * PAGE, NULL);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_PERM_READ, 0, PAGE, &h, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_PERM_WRITE | ZX_VM_CAN_MAP_READ, 0, PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_PERM_EXECUTE, 0, PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
}

CASE(vmar_allocate, size_rules)
{
    zx_handle_t parent = scratch(16 * PAGE, NULL);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    /* Not rounded, unlike map. */
    EXPECT_STATUS(zx_vmar_allocate(parent, 0, 0, PAGE + 1, &h, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, 0, 0, 100, &h, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, 0, 0, 0, &h, &a), ZX_ERR_INVALID_ARGS);
}

CASE(vmar_allocate, map_only_options_invalid)
{
    zx_handle_t parent = scratch(16 * PAGE, NULL);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    static const zx_vm_option_t bad[] = {ZX_VM_SPECIFIC_OVERWRITE, ZX_VM_MAP_RANGE,
                                         ZX_VM_REQUIRE_NON_RESIZABLE, ZX_VM_ALLOW_FAULTS,
                                         ZX_VM_FAULT_BEYOND_STREAM_SIZE};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        EXPECT_STATUS(zx_vmar_allocate(parent, bad[i], 0, PAGE, &h, &a), ZX_ERR_INVALID_ARGS);
}

CASE(vmar_allocate, read_if_xom_unsupported_is_dropped)
{
    zx_handle_t parent = scratch(16 * PAGE, NULL);
    zx_handle_t c =
        subvmar(parent, ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED | ZX_VM_CAN_MAP_READ, 0, PAGE, NULL);
    EXPECT_EQ(rights_of(c), VMAR_RIGHTS | ZX_RIGHT_READ);
}

CASE(vmar_allocate, dead_parent_is_bad_state)
{
    zx_handle_t parent = scratch(16 * PAGE, NULL);
    ASSERT_OK(zx_vmar_destroy(parent));
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_allocate(parent, 0, 0, PAGE, &h, &a), ZX_ERR_BAD_STATE);
    /* Flag validity is checked before the dead state. */
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_PERM_READ, 0, PAGE, &h, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, 0, 0, PAGE + 1, &h, &a), ZX_ERR_INVALID_ARGS);
    /* ...and the size-zero check after it. */
    EXPECT_STATUS(zx_vmar_allocate(parent, 0, 0, 0, &h, &a), ZX_ERR_BAD_STATE);
}

CASE(vmar_allocate, capabilities_never_exceed_parent)
{
    zx_handle_t parent = subvmar(ROOT, ZX_VM_CAN_MAP_READ, 0, 16 * PAGE, NULL);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_CAN_MAP_WRITE, 0, PAGE, &h, &a),
                  ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_CAN_MAP_EXECUTE, 0, PAGE, &h, &a),
                  ZX_ERR_ACCESS_DENIED);
    /* Reduced handle rights limit too. */
    zx_handle_t rw = subvmar(ROOT, CAN_RW, 0, 16 * PAGE, NULL);
    zx_handle_t ro = dup(rw, VMAR_RIGHTS | ZX_RIGHT_READ);
    EXPECT_STATUS(zx_vmar_allocate(ro, ZX_VM_CAN_MAP_WRITE, 0, PAGE, &h, &a), ZX_ERR_ACCESS_DENIED);
    subvmar(ro, ZX_VM_CAN_MAP_READ, 0, PAGE, NULL);
}

CASE(vmar_allocate, offset_rules)
{
    zx_handle_t parent = scratch(16 * PAGE, NULL);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_SPECIFIC | ZX_VM_OFFSET_IS_UPPER_LIMIT, 4 * PAGE,
                                   PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, 0, PAGE, PAGE, &h, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_SPECIFIC, PAGE + 1, PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_OFFSET_IS_UPPER_LIMIT, 4 * PAGE - 1, PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(count_mappings(parent), 0);
}

CASE(vmar_allocate, specific_needs_can_map_specific)
{
    zx_handle_t parent = subvmar(ROOT, CAN_RW, 0, 16 * PAGE, NULL);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_SPECIFIC, 0, PAGE, &h, &a), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_OFFSET_IS_UPPER_LIMIT, 8 * PAGE, PAGE, &h, &a),
                  ZX_ERR_ACCESS_DENIED);
    /* Unaligned offset (step 11) is reported before step 12. */
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_SPECIFIC, 5, PAGE, &h, &a), ZX_ERR_INVALID_ARGS);
    /* A non-specific allocation is fine. */
    subvmar(parent, 0, 0, PAGE, NULL);
}

CASE(vmar_allocate, bounds)
{
    zx_handle_t parent = scratch(16 * PAGE, NULL);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_SPECIFIC, 16 * PAGE, PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_SPECIFIC, 15 * PAGE, 2 * PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, 0, 0, 17 * PAGE, &h, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_SPECIFIC, 0, 0ull - PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_OFFSET_IS_UPPER_LIMIT, 17 * PAGE, PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_OFFSET_IS_UPPER_LIMIT, 4 * PAGE, 8 * PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(
        zx_vmar_allocate(parent, ZX_VM_OFFSET_IS_UPPER_LIMIT, 16 * PAGE, 17 * PAGE, &h, &a),
        ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(count_mappings(parent), 0);
}

CASE(vmar_allocate, specific_placement)
{
    zx_vaddr_t base = 0;
    zx_handle_t parent = scratch(16 * PAGE, &base);
    zx_vaddr_t a = 0;
    zx_handle_t c = subvmar(parent, ZX_VM_SPECIFIC | CAN_RW, 4 * PAGE, 2 * PAGE, &a);
    EXPECT_EQ(a, base + 4 * PAGE);
    zx_info_vmar_t info = vmar_info(c);
    EXPECT_EQ(info.base, base + 4 * PAGE);
    EXPECT_EQ(info.len, 2 * PAGE);
    /* The last page of the parent. */
    subvmar(parent, ZX_VM_SPECIFIC, 15 * PAGE, PAGE, &a);
    EXPECT_EQ(a, base + 15 * PAGE);
}

CASE(vmar_allocate, specific_overlap_already_exists)
{
    zx_handle_t parent = scratch(16 * PAGE, NULL);
    subvmar(parent, ZX_VM_SPECIFIC, 4 * PAGE, 4 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    map(parent, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 10 * PAGE, vmo, 0, PAGE);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_SPECIFIC, 2 * PAGE, 3 * PAGE, &h, &a),
                  ZX_ERR_ALREADY_EXISTS);
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_SPECIFIC, 7 * PAGE, PAGE, &h, &a),
                  ZX_ERR_ALREADY_EXISTS);
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_SPECIFIC, 9 * PAGE, 2 * PAGE, &h, &a),
                  ZX_ERR_ALREADY_EXISTS);
    /* Directly adjacent is fine. */
    subvmar(parent, ZX_VM_SPECIFIC, 8 * PAGE, PAGE, NULL);
    subvmar(parent, ZX_VM_SPECIFIC, 11 * PAGE, PAGE, NULL);
}

CASE(vmar_allocate, specific_must_match_alignment)
{
    zx_vaddr_t base = 0;
    zx_handle_t big =
        subvmar(ROOT, ZX_VM_ALIGN_1MB | ZX_VM_CAN_MAP_SPECIFIC | CAN_RW, 0, 2 * 1024 * 1024, &base);
    ASSERT_EQ(base % (1024 * 1024), 0);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_allocate(big, ZX_VM_SPECIFIC | ZX_VM_ALIGN_64KB, PAGE, PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    subvmar(big, ZX_VM_SPECIFIC | ZX_VM_ALIGN_64KB, 64 * 1024, PAGE, &a);
    EXPECT_EQ(a, base + 64 * 1024);
}

CASE(vmar_allocate, no_gap_is_no_resources)
{
    zx_handle_t parent = scratch(4 * PAGE, NULL);
    subvmar(parent, ZX_VM_SPECIFIC, PAGE, 2 * PAGE, NULL);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_allocate(parent, 0, 0, 2 * PAGE, &h, &a), ZX_ERR_NO_RESOURCES);
    subvmar(parent, 0, 0, PAGE, NULL);
    subvmar(parent, 0, 0, PAGE, NULL);
    EXPECT_STATUS(zx_vmar_allocate(parent, 0, 0, PAGE, &h, &a), ZX_ERR_NO_RESOURCES);
}

CASE(vmar_allocate, full_size_gets_parent_base)
{
    zx_vaddr_t base = 0;
    zx_handle_t parent = scratch(8 * PAGE, &base);
    zx_vaddr_t a = 0;
    subvmar(parent, 0, 0, 8 * PAGE, &a);
    EXPECT_EQ(a, base);
}

CASE(vmar_allocate, alignment_honoured)
{
    zx_handle_t parent = scratch(8 * 1024 * 1024, NULL);
    zx_vaddr_t a = 0;
    subvmar(parent, ZX_VM_ALIGN_64KB, 0, PAGE, &a);
    EXPECT_EQ(a % (64 * 1024), 0);
    subvmar(parent, ZX_VM_ALIGN_1MB, 0, 2 * PAGE, &a);
    EXPECT_EQ(a % (1024 * 1024), 0);
    subvmar(parent, ZX_VM_ALIGN_2MB, 0, PAGE, &a);
    EXPECT_EQ(a % (2 * 1024 * 1024), 0);
    /* Alignments below the page size behave like page alignment. */
    subvmar(parent, ZX_VM_ALIGN_1KB, 0, PAGE, &a);
    EXPECT_EQ(a % PAGE, 0);
    subvmar(parent, ZX_VM_ALIGN_4KB, 0, PAGE, &a);
    EXPECT_EQ(a % PAGE, 0);
}

CASE(vmar_allocate, alignment_parent_cannot_offer)
{
    zx_vaddr_t base = 0;
    zx_handle_t big =
        subvmar(ROOT, ZX_VM_ALIGN_4MB | ZX_VM_CAN_MAP_SPECIFIC | CAN_RW, 0, 4 * 1024 * 1024, &base);
    ASSERT_EQ(base % (4 * 1024 * 1024), 0);
    /* A 1 MiB region whose base is 1 MiB past a 4 MiB boundary holds no
     * 2 MiB-aligned address. */
    zx_handle_t mid = subvmar(big, ZX_VM_SPECIFIC | CAN_RW, 1024 * 1024, 1024 * 1024, NULL);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_allocate(mid, ZX_VM_ALIGN_2MB, 0, PAGE, &h, &a), ZX_ERR_NO_RESOURCES);
    subvmar(mid, ZX_VM_ALIGN_1MB, 0, PAGE, &a);
    EXPECT_EQ(a, base + 1024 * 1024);
}

CASE(vmar_allocate, upper_limit)
{
    zx_vaddr_t base = 0;
    zx_handle_t parent = scratch(16 * PAGE, &base);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    for (int i = 0; i < 4; i++) {
        subvmar(parent, ZX_VM_OFFSET_IS_UPPER_LIMIT, 4 * PAGE, PAGE, &a);
        EXPECT_GE(a, base);
        EXPECT_LE(a + PAGE, base + 4 * PAGE);
    }
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_OFFSET_IS_UPPER_LIMIT, 4 * PAGE, PAGE, &h, &a),
                  ZX_ERR_NO_RESOURCES);
    subvmar(parent, 0, 0, PAGE, &a);
    EXPECT_GE(a, base + 4 * PAGE);
}

CASE(vmar_allocate, can_map_specific_is_independent)
{
    zx_handle_t parent = subvmar(ROOT, CAN_RW, 0, 16 * PAGE, NULL);
    zx_vaddr_t cbase = 0, a = 0;
    zx_handle_t c = subvmar(parent, ZX_VM_CAN_MAP_SPECIFIC | CAN_RW, 0, 8 * PAGE, &cbase);
    subvmar(c, ZX_VM_SPECIFIC, 2 * PAGE, PAGE, &a);
    EXPECT_EQ(a, cbase + 2 * PAGE);
}

CASE(vmar_allocate, compact_is_a_hint)
{
    zx_handle_t parent = scratch(64 * PAGE, NULL);
    zx_handle_t c = subvmar(parent, ZX_VM_COMPACT | CAN_RW, 0, 32 * PAGE, NULL);
    subvmar(c, 0, 0, PAGE, NULL);
    subvmar(c, 0, 0, PAGE, NULL);
}

CASE(vmar_allocate, bad_out_pointers_destroy_region)
{
    zx_handle_t parent = scratch(4 * PAGE, NULL);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    size_t before = conf_avail(ZX_INFO_PROCESS_MAPS);
    EXPECT_STATUS(zx_vmar_allocate(parent, 0, 0, 4 * PAGE, NULL, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, 0, 0, 4 * PAGE, &h, NULL), ZX_ERR_INVALID_ARGS);
    zx_vaddr_t hole = 0;
    scratch(PAGE, &hole);
    EXPECT_STATUS(zx_vmar_allocate(parent, 0, 0, 4 * PAGE, &h, (zx_vaddr_t *)hole),
                  ZX_ERR_INVALID_ARGS);
    /* The regions were destroyed again: the parent is still empty. */
    EXPECT_EQ(conf_avail(ZX_INFO_PROCESS_MAPS), before + 1);
    size_t n = 0;
    vmar_maps(parent, &n);
    EXPECT_EQ(n, 1);
    subvmar(parent, 0, 0, 4 * PAGE, NULL);
}

/* ---- zx_vmar_destroy ---- */

CASE(vmar_destroy, removes_mappings_and_subregions)
{
    zx_vaddr_t base = 0;
    zx_handle_t parent = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    map(parent, RW, 0, vmo, 0, PAGE);
    zx_handle_t c = subvmar(parent, CAN_RW, 0, 4 * PAGE, NULL);
    map(c, ZX_VM_PERM_READ, 0, vmo, 0, PAGE);
    EXPECT_EQ(vmo_info(vmo).num_mappings, 2);
    ASSERT_OK(zx_vmar_destroy(parent));
    EXPECT_EQ(vmo_info(vmo).num_mappings, 0);
    /* Handles stay valid. */
    EXPECT_OK(zx_object_get_info(parent, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL));
    EXPECT_OK(zx_object_get_info(c, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL));
    /* The range is back in the root. */
    zx_vaddr_t a = 0;
    a = map(ROOT, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, base - USER_BASE, vmo, 0, PAGE);
    EXPECT_EQ(a, base);
}

CASE(vmar_destroy, dead_region_ops_are_bad_state)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    ASSERT_OK(zx_vmar_destroy(v));
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_allocate(v, 0, 0, PAGE, &h, &a), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, vmo, 0, PAGE, &a), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmar_unmap(v, base, PAGE), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmar_protect(v, ZX_VM_PERM_READ, base, PAGE), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmar_op_range(v, ZX_VMAR_OP_COMMIT, base, PAGE, NULL, 0), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmar_destroy(v), ZX_ERR_BAD_STATE);
}

CASE(vmar_destroy, dead_region_earlier_checks_first)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    ASSERT_OK(zx_vmar_destroy(v));
    zx_vaddr_t a = 0;
    zx_handle_t no_map = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_MAP);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, no_map, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_WRITE, 0, vmo, 0, PAGE, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, vmo, 1, PAGE, &a), ZX_ERR_INVALID_ARGS);
    /* Dead (step 18) comes before len == 0 (step 19). */
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, vmo, 0, 0, &a), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmar_unmap(v, base + 1, PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_unmap(v, base, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_protect(v, ZX_VM_PERM_WRITE, base, PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_op_range(v, 4, base, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS);
    zx_handle_t no_children = dup(v, VMAR_RIGHTS & ~ZX_RIGHT_OP_CHILDREN);
    EXPECT_STATUS(zx_vmar_destroy(no_children), ZX_ERR_ACCESS_DENIED);
}

CASE(vmar_destroy, descendants_die_too)
{
    zx_handle_t parent = scratch(16 * PAGE, NULL);
    zx_vaddr_t cbase = 0;
    zx_handle_t c = subvmar(parent, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, 8 * PAGE, &cbase);
    zx_handle_t g = subvmar(c, CAN_RW, 0, 2 * PAGE, NULL);
    ASSERT_OK(zx_vmar_destroy(parent));
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_allocate(c, 0, 0, PAGE, &h, &a), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmar_allocate(g, 0, 0, PAGE, &h, &a), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmar_destroy(g), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmar_unmap(c, cbase, PAGE), ZX_ERR_BAD_STATE);
}

CASE(vmar_destroy, needs_op_children)
{
    zx_handle_t v = scratch(16 * PAGE, NULL);
    zx_handle_t weak = dup(v, VMAR_RIGHTS & ~ZX_RIGHT_OP_CHILDREN);
    EXPECT_STATUS(zx_vmar_destroy(weak), ZX_ERR_ACCESS_DENIED);
    /* Still alive. */
    subvmar(v, 0, 0, PAGE, NULL);
}

CASE(vmar_destroy, root_not_supported)
{
    EXPECT_STATUS(zx_vmar_destroy(ROOT), ZX_ERR_NOT_SUPPORTED);
    zx_handle_t root2 = dup(ROOT, ZX_RIGHT_SAME_RIGHTS);
    EXPECT_STATUS(zx_vmar_destroy(root2), ZX_ERR_NOT_SUPPORTED);
    scratch(PAGE, NULL);
}

CASE(vmar_destroy, handle_lookup)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_STATUS(zx_vmar_destroy(ZX_HANDLE_INVALID), ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_vmar_destroy(vmo), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmar_destroy(SELF), ZX_ERR_WRONG_TYPE);
}

CASE(vmar_destroy, info_of_dead_region_keeps_range)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(8 * PAGE, &base);
    ASSERT_OK(zx_vmar_destroy(v));
    zx_info_vmar_t info = vmar_info(v);
    EXPECT_EQ(info.base, base);
    EXPECT_EQ(info.len, 8 * PAGE);
}

CASE(vmar_destroy, parent_stays_usable)
{
    zx_vaddr_t base = 0;
    zx_handle_t parent = scratch(8 * PAGE, &base);
    zx_vaddr_t cbase = 0;
    zx_handle_t c = subvmar(parent, CAN_RW, 0, 8 * PAGE, &cbase);
    ASSERT_OK(zx_vmar_destroy(c));
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    zx_vaddr_t a = map(parent, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 8 * PAGE);
    EXPECT_EQ(a, base);
    ((volatile uint8_t *)a)[7 * PAGE] = 1;
    EXPECT_EQ(vmo_byte(vmo, 7 * PAGE), 1);
}

/* ---- zx_vmar_map ---- */

CASE(vmar_map, basic)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_vaddr_t addr = 0xDEAD0000;
    ASSERT_OK(zx_vmar_map(v, RW, 0, vmo, 0, 2 * PAGE, &addr));
    EXPECT_NE(addr, 0);
    EXPECT_EQ(addr % PAGE, 0);
    EXPECT_GE(addr, base);
    EXPECT_LE(addr + 2 * PAGE, base + 16 * PAGE);
    volatile uint8_t *p = (volatile uint8_t *)addr;
    p[0] = 1;
    p[2 * PAGE - 1] = 2;
    EXPECT_EQ(vmo_byte(vmo, 2 * PAGE - 1), 2);
    zx_info_vmo_t info = vmo_info(vmo);
    EXPECT_EQ(info.num_mappings, 1);
    EXPECT_EQ(info.share_count, 1);
    EXPECT_EQ(info.committed_bytes, 2 * PAGE);
}

CASE(vmar_map, handle_lookup_order)
{
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = 0;
    EXPECT_STATUS(
        zx_vmar_map(ZX_HANDLE_INVALID, ZX_VM_PERM_READ, 0, ZX_HANDLE_INVALID, 0, PAGE, &a),
        ZX_ERR_BAD_HANDLE);
    /* The VMAR argument is resolved first. */
    EXPECT_STATUS(zx_vmar_map(vmo, ZX_VM_PERM_READ, 0, ZX_HANDLE_INVALID, 0, PAGE, &a),
                  ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, ZX_HANDLE_INVALID, 0, PAGE, &a),
                  ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, v, 0, PAGE, &a), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, SELF, 0, PAGE, &a), ZX_ERR_WRONG_TYPE);
    /* Handles come before option checks. */
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_CAN_MAP_READ, 0, v, 0, PAGE, &a), ZX_ERR_WRONG_TYPE);
}

CASE(vmar_map, vmo_needs_map_right)
{
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t no_map = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_MAP);
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, no_map, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED);
    /* Even for a mapping with no permissions... */
    EXPECT_STATUS(zx_vmar_map(v, 0, 0, no_map, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED);
    /* ...and before the WRITE-without-READ check. */
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_WRITE, 0, no_map, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED);
    EXPECT_EQ(count_mappings(v), 0);
}

CASE(vmar_map, write_or_execute_without_read_invalid)
{
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t read_map = dup(vmo, ZX_RIGHT_READ | ZX_RIGHT_MAP);
    zx_vaddr_t a = 0;
    /* INVALID_ARGS even though the handle lacks WRITE. */
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_WRITE, 0, read_map, 0, PAGE, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_EXECUTE, 0, vmo, 0, PAGE, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE, 0, vmo, 0, PAGE, &a),
                  ZX_ERR_INVALID_ARGS);
}

CASE(vmar_map, option_combinations_invalid)
{
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_MAP_RANGE | ZX_VM_SPECIFIC_OVERWRITE, 0,
                              vmo, 0, PAGE, &a),
                  ZX_ERR_INVALID_ARGS);
    static const zx_vm_option_t bad[] = {ZX_VM_CAN_MAP_READ,
                                         ZX_VM_CAN_MAP_WRITE,
                                         ZX_VM_CAN_MAP_EXECUTE,
                                         ZX_VM_CAN_MAP_SPECIFIC,
                                         ZX_VM_COMPACT,
                                         1u << 16,
                                         1u << 23,
                                         5u << ZX_VM_ALIGN_BASE,
                                         33u << ZX_VM_ALIGN_BASE};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ | bad[i], 0, vmo, 0, PAGE, &a),
                      ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(
        zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_FAULT_BEYOND_STREAM_SIZE, 0, vmo, 0, PAGE, &a),
        ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(count_mappings(v), 0);
}

CASE(vmar_map, permissions_need_both_handles)
{
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = 0;
    zx_handle_t map_only = dup(vmo, ZX_RIGHT_MAP);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, map_only, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED);
    zx_handle_t ro = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    EXPECT_STATUS(zx_vmar_map(v, RW, 0, ro, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED);
    /* Default VMO handles lack EXECUTE. */
    EXPECT_STATUS(zx_vmar_map(v, RX, 0, vmo, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED);
    zx_handle_t v_ro = dup(v, 0x20801F & ~ZX_RIGHT_WRITE);
    EXPECT_STATUS(zx_vmar_map(v_ro, RW, 0, vmo, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED);
    zx_handle_t v_noread = dup(v, 0x20801F & ~ZX_RIGHT_READ);
    EXPECT_STATUS(zx_vmar_map(v_noread, ZX_VM_PERM_READ, 0, vmo, 0, PAGE, &a),
                  ZX_ERR_ACCESS_DENIED);
    /* A no-permission mapping needs only MAP. */
    map(v, 0, 0, map_only, 0, PAGE);
    EXPECT_EQ(count_mappings(v), 1);
}

CASE(vmar_map, region_capabilities_limit)
{
    zx_handle_t v = subvmar(ROOT, ZX_VM_CAN_MAP_READ, 0, 4 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_map(v, RW, 0, vmo, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED);
    map(v, ZX_VM_PERM_READ, 0, vmo, 0, PAGE);
}

CASE(vmar_map, require_non_resizable)
{
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_handle_t rvmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t fvmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = 0;
    EXPECT_STATUS(
        zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_REQUIRE_NON_RESIZABLE, 0, rvmo, 0, PAGE, &a),
        ZX_ERR_NOT_SUPPORTED);
    map(v, ZX_VM_PERM_READ | ZX_VM_REQUIRE_NON_RESIZABLE, 0, fvmo, 0, PAGE);
    /* Without the flag a resizable VMO maps fine (current kernels). */
    map(v, RW, 0, rvmo, 0, PAGE);
}

CASE(vmar_map, discardable_needs_allow_faults)
{
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_DISCARDABLE);
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_map(v, RW, 0, vmo, 0, PAGE, &a), ZX_ERR_NOT_SUPPORTED);
    EXPECT_STATUS(zx_vmar_map(v, 0, 0, vmo, 0, PAGE, &a), ZX_ERR_NOT_SUPPORTED);
    map(v, RW | ZX_VM_ALLOW_FAULTS, 0, vmo, 0, PAGE);
}

CASE(vmar_map, vmo_offset_and_len_checks)
{
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, vmo, 1, PAGE, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, vmo, 0, UINT64_MAX, &a), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, vmo, 0, 0ull - PAGE + 1, &a),
                  ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, vmo, 0ull - PAGE, 2 * PAGE, &a),
                  ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, vmo, 0, 0, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(count_mappings(v), 0);
}

CASE(vmar_map, len_rounds_up)
{
    zx_handle_t v = scratch(64 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    zx_vaddr_t a1 = map(v, ZX_VM_PERM_READ, 0, vmo, 0, 1);
    zx_vaddr_t a2 = map(v, ZX_VM_PERM_READ, 0, vmo, 0, PAGE + 1);
    size_t n = 0;
    zx_info_maps_t *m = mappings_of(v, &n);
    ASSERT_EQ(n, 2);
    for (size_t i = 0; i < n; i++) {
        if (m[i].base == a1)
            EXPECT_EQ(m[i].size, PAGE);
        else if (m[i].base == a2)
            EXPECT_EQ(m[i].size, 2 * PAGE);
        else
            EXPECT_TRUE(false && "unexpected mapping");
    }
}

CASE(vmar_map, placement_errors)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(8 * PAGE, &base);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    zx_vaddr_t a = 0;
    zx_vm_option_t r = ZX_VM_PERM_READ;
    EXPECT_STATUS(zx_vmar_map(v, r | ZX_VM_SPECIFIC | ZX_VM_OFFSET_IS_UPPER_LIMIT, 4 * PAGE, vmo, 0,
                              PAGE, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(v, r | ZX_VM_SPECIFIC_OVERWRITE | ZX_VM_OFFSET_IS_UPPER_LIMIT,
                              4 * PAGE, vmo, 0, PAGE, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(v, r, PAGE, vmo, 0, PAGE, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(v, r | ZX_VM_SPECIFIC, 100, vmo, 0, PAGE, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(v, r | ZX_VM_SPECIFIC, 8 * PAGE, vmo, 0, PAGE, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(v, r | ZX_VM_SPECIFIC, 6 * PAGE, vmo, 0, 4 * PAGE, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(v, r, 0, vmo, 0, 9 * PAGE, &a), ZX_ERR_INVALID_ARGS);
    map(v, r | ZX_VM_SPECIFIC, 2 * PAGE, vmo, 0, 2 * PAGE);
    EXPECT_STATUS(zx_vmar_map(v, r | ZX_VM_SPECIFIC, 3 * PAGE, vmo, 0, 2 * PAGE, &a),
                  ZX_ERR_ALREADY_EXISTS);
    EXPECT_STATUS(zx_vmar_map(v, r, 0, vmo, 0, 5 * PAGE, &a), ZX_ERR_NO_RESOURCES);
    EXPECT_EQ(count_mappings(v), 1);
}

CASE(vmar_map, specific_needs_can_map_specific)
{
    zx_handle_t v = subvmar(ROOT, CAN_RW, 0, 8 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE, &a),
                  ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE, 0, vmo, 0, PAGE, &a),
                  ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(
        zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_OFFSET_IS_UPPER_LIMIT, 4 * PAGE, vmo, 0, PAGE, &a),
        ZX_ERR_ACCESS_DENIED);
    map(v, ZX_VM_PERM_READ, 0, vmo, 0, PAGE);
}

CASE(vmar_map, specific_places_exactly)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(8 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_EQ(map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 5 * PAGE, vmo, 0, PAGE), base + 5 * PAGE);
    EXPECT_EQ(map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE), base);
    EXPECT_EQ(map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 7 * PAGE, vmo, 0, PAGE), base + 7 * PAGE);
}

CASE(vmar_map, at_root_base)
{
    /* Upstream core tests: a mapping exactly at 0x200000 succeeds. */
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = map(ROOT, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE);
    EXPECT_EQ(a, USER_BASE);
}

CASE(vmar_map, adjacent_mapping_leaves_next_page_free)
{
    /* Two adjacent mappings of contiguous VMO ranges (which the kernel may
     * merge, docs/semantics.md "Info records") cover exactly their pages: the page after them is
     * free. */
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 0, vmo, 0, 3 * PAGE);
    map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 3 * PAGE, vmo, 3 * PAGE, 2 * PAGE);
    zx_vaddr_t a = 0;
    EXPECT_OK(zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 5 * PAGE, vmo, 0, PAGE, &a));
    EXPECT_EQ(a, base + 5 * PAGE);
}

CASE(vmar_map, adjacent_mappings_keep_all_their_pages)
{
    /* A 2-page mapping followed directly by a 3-page one of the next VMO
     * pages: all 5 pages stay mapped (checked by kernel copies, which
     * report NOT_FOUND instead of faulting the guest). */
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    vmo_fill(vmo, 4 * PAGE, PAGE, 0x4C);
    map(v, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 2 * PAGE);
    map(v, RW | ZX_VM_SPECIFIC, 2 * PAGE, vmo, 2 * PAGE, 3 * PAGE);
    zx_handle_t src = vmo_create(PAGE, 0);
    uint8_t b = 0;
    EXPECT_OK(zx_vmo_write(src, (void *)(base + 4 * PAGE), 0, 16));
    EXPECT_OK(zx_vmo_read(src, &b, 0, 1));
    EXPECT_EQ(b, 0x4C);
    size_t n = 0;
    zx_info_maps_t *m = mappings_of(v, &n);
    ASSERT_EQ(n, 1);
    EXPECT_EQ(m[0].size, 5 * PAGE);
}

CASE(vmar_map, specific_overwrite_replaces_and_splits)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(8 * PAGE, &base);
    zx_handle_t a_vmo = vmo_create(4 * PAGE, 0);
    zx_handle_t b_vmo = vmo_create(2 * PAGE, 0);
    for (int i = 0; i < 4; i++)
        vmo_fill(a_vmo, i * PAGE, PAGE, (uint8_t)(0xA0 + i));
    vmo_fill(b_vmo, 0, 2 * PAGE, 0xBB);
    map(v, RW | ZX_VM_SPECIFIC, 0, a_vmo, 0, 4 * PAGE);
    zx_vaddr_t got = map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE, PAGE, b_vmo, 0, 2 * PAGE);
    EXPECT_EQ(got, base + PAGE);
    volatile uint8_t *p = (volatile uint8_t *)base;
    EXPECT_EQ(p[0], 0xA0);
    EXPECT_EQ(p[PAGE], 0xBB);
    EXPECT_EQ(p[2 * PAGE], 0xBB);
    EXPECT_EQ(p[3 * PAGE], 0xA3);
    size_t n = 0;
    zx_info_maps_t *m = mappings_of(v, &n);
    ASSERT_EQ(n, 3);
    EXPECT_EQ(m[0].base, base);
    EXPECT_EQ(m[0].size, PAGE);
    EXPECT_EQ(m[0].u.mapping.vmo_koid, koid_of(a_vmo));
    EXPECT_EQ(m[0].u.mapping.vmo_offset, 0);
    EXPECT_EQ(m[0].u.mapping.mmu_flags, RW);
    EXPECT_EQ(m[1].base, base + PAGE);
    EXPECT_EQ(m[1].size, 2 * PAGE);
    EXPECT_EQ(m[1].u.mapping.vmo_koid, koid_of(b_vmo));
    EXPECT_EQ(m[1].u.mapping.mmu_flags, ZX_VM_PERM_READ);
    EXPECT_EQ(m[2].base, base + 3 * PAGE);
    EXPECT_EQ(m[2].size, PAGE);
    EXPECT_EQ(m[2].u.mapping.vmo_koid, koid_of(a_vmo));
    EXPECT_EQ(m[2].u.mapping.vmo_offset, 3 * PAGE);
    EXPECT_EQ(vmo_info(a_vmo).num_mappings, 2);
}

CASE(vmar_map, specific_overwrite_into_empty_space)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(8 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_EQ(map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE, 2 * PAGE, vmo, 0, PAGE),
              base + 2 * PAGE);
}

CASE(vmar_map, specific_overwrite_never_touches_subregions)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(8 * PAGE, &base);
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    map(v, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 2 * PAGE);
    zx_handle_t c = subvmar(v, ZX_VM_SPECIFIC | CAN_RW, 4 * PAGE, 2 * PAGE, NULL);
    zx_vaddr_t a = 0;
    EXPECT_STATUS(
        zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE, 0, vmo, 0, 8 * PAGE, &a),
        ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(
        zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE, 5 * PAGE, vmo, 0, PAGE, &a),
        ZX_ERR_INVALID_ARGS);
    /* Nothing changed: the first mapping is still RW, the region alive. */
    size_t n = 0;
    zx_info_maps_t *m = mappings_of(v, &n);
    ASSERT_EQ(n, 1);
    EXPECT_EQ(m[0].size, 2 * PAGE);
    EXPECT_EQ(m[0].u.mapping.mmu_flags, RW);
    subvmar(c, 0, 0, PAGE, NULL);
    ((volatile uint8_t *)base)[PAGE] = 3;
    EXPECT_EQ(vmo_byte(vmo, PAGE), 3);
}

CASE(vmar_map, specific_overwrite_failure_changes_nothing)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(8 * PAGE, &base);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    vmo_fill(vmo, 0, 4 * PAGE, 0x5E);
    map(v, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 4 * PAGE);
    zx_handle_t ro = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_map(v, RW | ZX_VM_SPECIFIC_OVERWRITE, PAGE, ro, 0, PAGE, &a),
                  ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_vmar_map(v, RW | ZX_VM_SPECIFIC_OVERWRITE, 6 * PAGE, vmo, 0, 4 * PAGE, &a),
                  ZX_ERR_INVALID_ARGS);
    size_t n = 0;
    mappings_of(v, &n);
    EXPECT_EQ(n, 1);
    EXPECT_EQ(((volatile uint8_t *)base)[PAGE], 0x5E);
}

CASE(vmar_map, upper_limit_placement_and_vmo_offset)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0x01);
    vmo_fill(vmo, PAGE, PAGE, 0x02);
    /* The kernel maps at VMO offset 0 whatever vmo_offset says. */
    zx_vaddr_t a = map(v, ZX_VM_PERM_READ | ZX_VM_OFFSET_IS_UPPER_LIMIT, 4 * PAGE, vmo, PAGE, PAGE);
    EXPECT_GE(a, base);
    EXPECT_LE(a + PAGE, base + 4 * PAGE);
    EXPECT_EQ(*(volatile uint8_t *)a, 0x01);
    size_t n = 0;
    zx_info_maps_t *m = mappings_of(v, &n);
    ASSERT_EQ(n, 1);
    EXPECT_EQ(m[0].u.mapping.vmo_offset, 0);
}

CASE(vmar_map, upper_limit_runs_out)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = 0;
    for (int i = 0; i < 2; i++) {
        a = map(v, ZX_VM_PERM_READ | ZX_VM_OFFSET_IS_UPPER_LIMIT, 2 * PAGE, vmo, 0, PAGE);
        EXPECT_LE(a + PAGE, base + 2 * PAGE);
    }
    EXPECT_STATUS(
        zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_OFFSET_IS_UPPER_LIMIT, 2 * PAGE, vmo, 0, PAGE, &a),
        ZX_ERR_NO_RESOURCES);
    a = map(v, ZX_VM_PERM_READ, 0, vmo, 0, PAGE);
    EXPECT_GE(a, base + 2 * PAGE);
    /* vmo_offset is still validated. */
    EXPECT_STATUS(
        zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_OFFSET_IS_UPPER_LIMIT, 8 * PAGE, vmo, 3, PAGE, &a),
        ZX_ERR_INVALID_ARGS);
}

CASE(vmar_map, map_range_commits_nothing)
{
    zx_handle_t v = scratch(64 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    volatile uint8_t *p = (volatile uint8_t *)map(v, RW | ZX_VM_MAP_RANGE, 0, vmo, 0, 2 * PAGE);
    EXPECT_EQ(committed(vmo), 0);
    EXPECT_EQ(p[PAGE], 0);
    EXPECT_EQ(committed(vmo), 0);
    vmo_fill(vmo, 0, PAGE, 0x17);
    volatile uint8_t *q =
        (volatile uint8_t *)map(v, ZX_VM_PERM_READ | ZX_VM_MAP_RANGE, 0, vmo, 0, 2 * PAGE);
    EXPECT_EQ(q[0], 0x17);
    EXPECT_EQ(p[0], 0x17);
    EXPECT_EQ(committed(vmo), PAGE);
    /* Beyond the VMO's end MAP_RANGE just stops. */
    map(v, ZX_VM_PERM_READ | ZX_VM_MAP_RANGE, 0, vmo, 0, 4 * PAGE);
}

CASE(vmar_map, allow_faults_not_required)
{
    zx_handle_t v = scratch(16 * PAGE, NULL);
    zx_handle_t rvmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t fvmo = vmo_create(PAGE, 0);
    map(v, RW, 0, rvmo, 0, 4 * PAGE);
    /* Past the end of a fixed-size VMO... */
    map(v, RW, 0, fvmo, 0, 4 * PAGE);
    /* ...and starting beyond it (not at 4 pages: placed right after the
     * first, a continuation would merge with it). */
    map(v, ZX_VM_PERM_READ, 0, fvmo, 5 * PAGE, PAGE);
    EXPECT_EQ(vmo_info(fvmo).num_mappings, 2);
}

CASE(vmar_map, bad_mapped_addr_removes_mapping)
{
    zx_handle_t v = scratch(8 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, vmo, 0, PAGE, NULL), ZX_ERR_INVALID_ARGS);
    zx_vaddr_t hole = 0;
    scratch(PAGE, &hole);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, vmo, 0, PAGE, (zx_vaddr_t *)hole),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(vmo_info(vmo).num_mappings, 0);
    EXPECT_EQ(count_mappings(v), 0);
    /* The whole region is still free. */
    map(v, ZX_VM_PERM_READ, 0, vmo, 0, 8 * PAGE);
}

static const uint8_t *ret42_code(size_t *len)
{
#if defined(__aarch64__)
    static const uint32_t code[] = {0x52800540 /* mov w0, #42 */, 0xd65f03c0 /* ret */};
#else
    static const uint8_t code[] = {0xb8, 0x2a, 0x00, 0x00, 0x00 /* mov $42, %eax */,
                                   0xc3 /* ret */};
#endif
    *len = sizeof code;
    return (const uint8_t *)code;
}

CASE(vmar_map, executable_vmo_runs_code)
{
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
    zx_handle_t exec = 0;
    ASSERT_OK(zx_vmo_replace_as_executable(vmo, ZX_HANDLE_INVALID, &exec));
    track(exec);
    size_t len = 0;
    const uint8_t *code = ret42_code(&len);
    ASSERT_OK(zx_vmo_write(exec, code, 64, len));
    ASSERT_OK(zx_vmo_op_range(exec, ZX_VMO_OP_CACHE_SYNC, 0, PAGE, NULL, 0));
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_vaddr_t a = map(v, RX, 0, exec, 0, PAGE);
    int (*fn)(void) = (int (*)(void))(a + 64);
    EXPECT_EQ(fn(), 42);
    /* A VMAR handle without EXECUTE cannot map it executable. */
    zx_handle_t v_nx = dup(v, 0x20801F & ~ZX_RIGHT_EXECUTE);
    zx_vaddr_t b = 0;
    EXPECT_STATUS(zx_vmar_map(v_nx, RX, 0, exec, 0, PAGE, &b), ZX_ERR_ACCESS_DENIED);
}

CASE(vmar_map, mappings_alias)
{
    zx_handle_t v = scratch(64 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    volatile uint8_t *a = (volatile uint8_t *)map(v, RW, 0, vmo, 0, 2 * PAGE);
    volatile uint8_t *b = (volatile uint8_t *)map(v, RW, 0, vmo, PAGE, PAGE);
    a[PAGE + 8] = 0x4D;
    EXPECT_EQ(b[8], 0x4D);
    b[9] = 0x4E;
    EXPECT_EQ(a[PAGE + 9], 0x4E);
    EXPECT_EQ(vmo_info(vmo).num_mappings, 2);
    EXPECT_EQ(vmo_info(vmo).share_count, 1);
}

CASE(vmar_map, closing_vmo_handle_keeps_mapping)
{
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
    track(vmo);
    zx_koid_t koid = koid_of(vmo);
    volatile uint8_t *p = (volatile uint8_t *)map(v, RW, 0, vmo, 0, PAGE);
    p[0] = 0x61;
    ASSERT_OK(zx_handle_close(vmo));
    EXPECT_EQ(p[0], 0x61);
    p[1] = 0x62;
    EXPECT_EQ(p[1], 0x62);
    size_t n = 0;
    zx_info_maps_t *m = mappings_of(v, &n);
    ASSERT_EQ(n, 1);
    EXPECT_EQ(m[0].u.mapping.vmo_koid, koid);
}

CASE(vmar_map, no_permission_mapping_is_legal)
{
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    map(v, 0, 0, vmo, 0, PAGE);
    size_t n = 0;
    zx_info_maps_t *m = mappings_of(v, &n);
    ASSERT_EQ(n, 1);
    EXPECT_EQ(m[0].u.mapping.mmu_flags, 0);
}

CASE(vmar_map, records_vmo_offset_and_flags)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(8 * PAGE, &base);
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    zx_vaddr_t a = map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 3 * PAGE, vmo, 2 * PAGE, 2 * PAGE);
    size_t n = 0;
    zx_info_maps_t *m = mappings_of(v, &n);
    ASSERT_EQ(n, 1);
    EXPECT_EQ(m[0].base, a);
    EXPECT_EQ(m[0].size, 2 * PAGE);
    EXPECT_EQ(m[0].u.mapping.vmo_offset, 2 * PAGE);
    EXPECT_EQ(m[0].u.mapping.mmu_flags, ZX_VM_PERM_READ);
    EXPECT_EQ(m[0].u.mapping.vmo_koid, koid_of(vmo));
}

#if defined(__x86_64__)
CASE(vmar_map, read_if_xom_unsupported_adds_read_on_x86)
{
    /* x86-64 has no execute-only mappings: the flag becomes PERM_READ. */
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
    zx_handle_t exec = 0;
    ASSERT_OK(zx_vmo_replace_as_executable(vmo, ZX_HANDLE_INVALID, &exec));
    track(exec);
    zx_handle_t v = scratch(4 * PAGE, NULL);
    map(v, ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED | ZX_VM_PERM_EXECUTE, 0, exec, 0, PAGE);
    size_t n = 0;
    zx_info_maps_t *m = mappings_of(v, &n);
    ASSERT_EQ(n, 1);
    EXPECT_EQ(m[0].u.mapping.mmu_flags, RX);
}
#endif

/* ---- overflowing placements ---- */

CASE(vmar_allocate, offset_plus_size_overflow)
{
    zx_handle_t parent = scratch(16 * PAGE, NULL);
    zx_handle_t h = 0;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_SPECIFIC, 0ull - PAGE, 2 * PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_SPECIFIC, 8 * PAGE, 0ull - 4 * PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(parent, ZX_VM_OFFSET_IS_UPPER_LIMIT, 0ull - PAGE, PAGE, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(count_mappings(parent), 0);
}

CASE(vmar_map, offset_plus_len_overflow)
{
    zx_handle_t v = scratch(16 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = 0;
    EXPECT_STATUS(
        zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 0ull - PAGE, vmo, 0, 2 * PAGE, &a),
        ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE, 0ull - PAGE, vmo, 0,
                              2 * PAGE, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(count_mappings(v), 0);
}

CASE(vmar_map, specific_overwrite_across_several_mappings_and_gaps)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t a_vmo = vmo_create(16 * PAGE, 0);
    zx_handle_t b_vmo = vmo_create(8 * PAGE, 0);
    vmo_fill(a_vmo, 0, 16 * PAGE, 0xA1);
    vmo_fill(b_vmo, 0, 8 * PAGE, 0xB2);
    map(v, RW | ZX_VM_SPECIFIC, 0, a_vmo, 0, 2 * PAGE);
    map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 3 * PAGE, a_vmo, 3 * PAGE, PAGE);
    map(v, RW | ZX_VM_SPECIFIC, 5 * PAGE, a_vmo, 8 * PAGE, 3 * PAGE);
    map(v, RW | ZX_VM_SPECIFIC_OVERWRITE, PAGE, b_vmo, 0, 5 * PAGE);
    size_t n = 0;
    zx_info_maps_t *m = mappings_of(v, &n);
    ASSERT_EQ(n, 3);
    EXPECT_EQ(m[0].base, base);
    EXPECT_EQ(m[0].size, PAGE);
    EXPECT_EQ(m[1].base, base + PAGE);
    EXPECT_EQ(m[1].size, 5 * PAGE);
    EXPECT_EQ(m[1].u.mapping.vmo_koid, koid_of(b_vmo));
    EXPECT_EQ(m[2].base, base + 6 * PAGE);
    EXPECT_EQ(m[2].size, 2 * PAGE);
    EXPECT_EQ(m[2].u.mapping.vmo_offset, 9 * PAGE);
    volatile uint8_t *p = (volatile uint8_t *)base;
    EXPECT_EQ(p[0], 0xA1);
    EXPECT_EQ(p[3 * PAGE], 0xB2);
    p[4 * PAGE] = 0xB3;
    EXPECT_EQ(vmo_byte(b_vmo, 3 * PAGE), 0xB3);
    EXPECT_EQ(p[7 * PAGE], 0xA1);
}

CASE(vmar_map, merged_neighbours_split_cleanly)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    for (int i = 0; i < 8; i++)
        vmo_fill(vmo, i * PAGE, PAGE, (uint8_t)(0xC0 + i));
    map(v, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 3 * PAGE);
    map(v, RW | ZX_VM_SPECIFIC, 3 * PAGE, vmo, 3 * PAGE, 2 * PAGE);
    /* Unmap the tail of the second part: exactly 4 pages remain. */
    ASSERT_OK(zx_vmar_unmap(v, base + 4 * PAGE, PAGE));
    size_t n = 0;
    zx_info_maps_t *m = mappings_of(v, &n);
    ASSERT_EQ(n, 1);
    EXPECT_EQ(m[0].size, 4 * PAGE);
    volatile uint8_t *p = (volatile uint8_t *)base;
    EXPECT_EQ(p[3 * PAGE], 0xC3);
    EXPECT_EQ(p[0], 0xC0);
    zx_vaddr_t a = 0;
    EXPECT_OK(zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 4 * PAGE, vmo, 7 * PAGE, PAGE, &a));
    EXPECT_EQ(p[4 * PAGE], 0xC7);
}

/* ---- finer points of the zx_vmar_map check order ---- */

CASE(vmar_map, check_order_rights_before_option_bits)
{
    zx_handle_t v = scratch(16 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t ro = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    zx_vaddr_t a = 0;
    /* Step 9 (ACCESS_DENIED) precedes steps 10 and 11 (INVALID_ARGS). */
    EXPECT_STATUS(zx_vmar_map(v, RW | (1u << 16), 0, ro, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_vmar_map(v, RW | ZX_VM_FAULT_BEYOND_STREAM_SIZE, 0, ro, 0, PAGE, &a),
                  ZX_ERR_ACCESS_DENIED);
    /* Steps 7 and 8 (INVALID_ARGS) precede step 9. */
    EXPECT_STATUS(zx_vmar_map(v, RW | ZX_VM_CAN_MAP_READ, 0, ro, 0, PAGE, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(
        zx_vmar_map(v, RW | ZX_VM_MAP_RANGE | ZX_VM_SPECIFIC_OVERWRITE, 0, ro, 0, PAGE, &a),
        ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(count_mappings(v), 0);
}

CASE(vmar_map, check_order_vmo_kind_before_offsets)
{
    zx_handle_t v = scratch(16 * PAGE, NULL);
    zx_handle_t rvmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t dvmo = vmo_create(PAGE, ZX_VMO_DISCARDABLE);
    zx_vaddr_t a = 0;
    /* FAULT_BEYOND_STREAM_SIZE without ALLOW_FAULTS (10) before 12. */
    EXPECT_STATUS(
        zx_vmar_map(v,
                    ZX_VM_PERM_READ | ZX_VM_REQUIRE_NON_RESIZABLE | ZX_VM_FAULT_BEYOND_STREAM_SIZE,
                    0, rvmo, 0, PAGE, &a),
        ZX_ERR_INVALID_ARGS);
    /* 12 and 13 (NOT_SUPPORTED) before 16 (unaligned vmo_offset). */
    EXPECT_STATUS(
        zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_REQUIRE_NON_RESIZABLE, 0, rvmo, 5, PAGE, &a),
        ZX_ERR_NOT_SUPPORTED);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, dvmo, 5, PAGE, &a), ZX_ERR_NOT_SUPPORTED);
    /* 16 (unaligned offset) before 17 (length overflow) and 19 (len 0). */
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, rvmo, 5, UINT64_MAX, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, rvmo, 5, 0, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(count_mappings(v), 0);
}

CASE(vmar_map, check_order_dead_region)
{
    zx_handle_t v = scratch(16 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    ASSERT_OK(zx_vmar_destroy(v));
    zx_vaddr_t a = 0;
    /* 17 (overflow) before 18 (dead); 18 before placement (20). */
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, vmo, 0, UINT64_MAX, &a), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, PAGE, vmo, 0, PAGE, &a), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 1, vmo, 0, PAGE, &a),
                  ZX_ERR_BAD_STATE);
}

CASE(vmar_destroy, releases_mapped_child_vmo)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t c = child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    zx_handle_t v = scratch(4 * PAGE, NULL);
    map(v, ZX_VM_PERM_READ, 0, c, 0, PAGE);
    ASSERT_OK(zx_handle_close(c));
    EXPECT_FALSE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
    ASSERT_OK(zx_vmar_destroy(v));
    EXPECT_TRUE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
    EXPECT_EQ(vmo_info(vmo).num_children, 0);
}

/* Conformance: zx_object_get_info (docs/semantics.md "zx_object_get_info", "Info topics", "Info
 * records"): HANDLE_VALID, HANDLE_BASIC, VMAR, VMO (all versions), PROCESS_MAPS (all versions, the
 * merge rule), VMAR_MAPS, PROCESS_VMOS (all versions), the buffer/actual/
 * avail protocol; zx_object_get/set_property for NAME and
 * VMO_CONTENT_SIZE. */
#include "conf.h"

#define VMO_RIGHTS ((zx_rights_t)0xD0EF)
#define ALL_VMAR   ((zx_rights_t)0x20801F)
#define CAN_RW     (ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC)
#define R          ZX_VM_PERM_READ

/* Process-wide records, fetched into a static buffer. */
static uint8_t big[64 * 1024];

static size_t fetch(zx_handle_t h, uint32_t topic, size_t record_size)
{
    size_t actual = 0, avail = 0;
    memset(big, 0xEE, sizeof big);
    ASSERT_OK(zx_object_get_info(h, topic, big, sizeof big, &actual, &avail));
    ASSERT_EQ(actual, avail);
    ASSERT_LE(actual * record_size, sizeof big);
    return actual;
}

/* The PROCESS_MAPS record of the mapping at `addr`, or NULL. */
static const zx_info_maps_t *process_mapping_at(zx_vaddr_t addr, size_t *index)
{
    size_t n = fetch(SELF, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t));
    const zx_info_maps_t *m = (const zx_info_maps_t *)big;
    for (size_t i = 0; i < n; i++) {
        if (m[i].type == ZX_INFO_MAPS_TYPE_MAPPING && m[i].base == addr) {
            if (index)
                *index = i;
            return &m[i];
        }
    }
    return NULL;
}

static void set_name(zx_handle_t h, const char *name)
{
    ASSERT_OK(zx_object_set_property(h, ZX_PROP_NAME, name, strlen(name)));
}

/* ---- general ---- */

CASE(get_info, unknown_topic_before_handle)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    uint8_t buf[256];
    size_t a = 0, v = 0;
    EXPECT_STATUS(zx_object_get_info(ZX_HANDLE_INVALID, 0x7777, buf, sizeof buf, &a, &v),
                  ZX_ERR_NOT_SUPPORTED);
    EXPECT_STATUS(zx_object_get_info(vmo, 0x7777, buf, sizeof buf, &a, &v), ZX_ERR_NOT_SUPPORTED);
    /* Versions beyond the table are unknown topics too. */
    EXPECT_STATUS(zx_object_get_info(vmo, ZX_INFO_TOPIC(23u, 4), buf, sizeof buf, &a, &v),
                  ZX_ERR_NOT_SUPPORTED);
    EXPECT_STATUS(zx_object_get_info(SELF, ZX_INFO_TOPIC(13u, 3), buf, sizeof buf, &a, &v),
                  ZX_ERR_NOT_SUPPORTED);
}

CASE(get_info, bad_handle)
{
    zx_info_handle_basic_t b;
    EXPECT_STATUS(
        zx_object_get_info(ZX_HANDLE_INVALID, ZX_INFO_HANDLE_BASIC, &b, sizeof b, NULL, NULL),
        ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_object_get_info(0x12345670, ZX_INFO_HANDLE_BASIC, &b, sizeof b, NULL, NULL),
                  ZX_ERR_BAD_HANDLE);
}

/* ---- HANDLE_VALID ---- */

CASE(handle_valid, live_and_dead)
{
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
    track(vmo);
    EXPECT_OK(zx_object_get_info(vmo, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL));
    zx_handle_t none = dup(vmo, ZX_RIGHT_NONE);
    EXPECT_OK(zx_object_get_info(none, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL));
    EXPECT_OK(zx_object_get_info(ROOT, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL));
    EXPECT_OK(zx_object_get_info(SELF, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL));
    ASSERT_OK(zx_handle_close(vmo));
    EXPECT_STATUS(zx_object_get_info(vmo, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL),
                  ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_object_get_info(ZX_HANDLE_INVALID, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL),
                  ZX_ERR_BAD_HANDLE);
}

/* ---- HANDLE_BASIC ---- */

CASE(handle_basic, records)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_info_handle_basic_t b;
    memset(&b, 0xEE, sizeof b);
    size_t actual = 9, avail = 9;
    ASSERT_OK(zx_object_get_info(vmo, ZX_INFO_HANDLE_BASIC, &b, sizeof b, &actual, &avail));
    EXPECT_EQ(actual, 1);
    EXPECT_EQ(avail, 1);
    EXPECT_EQ(b.type, ZX_OBJ_TYPE_VMO);
    EXPECT_EQ(b.rights, VMO_RIGHTS);
    EXPECT_EQ(b.related_koid, 0);
    EXPECT_EQ(b.reserved, 0);
    EXPECT_EQ(b.padding1[0] | b.padding1[1] | b.padding1[2] | b.padding1[3], 0);
    zx_info_handle_basic_t r = basic(ROOT);
    EXPECT_EQ(r.type, ZX_OBJ_TYPE_VMAR);
    EXPECT_EQ(r.related_koid, 0);
    zx_info_handle_basic_t p = basic(SELF);
    EXPECT_EQ(p.type, ZX_OBJ_TYPE_PROCESS);
}

CASE(handle_basic, needs_no_rights)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t none = dup(vmo, ZX_RIGHT_NONE);
    zx_info_handle_basic_t b = basic(none);
    EXPECT_EQ(b.rights, 0);
    EXPECT_EQ(b.koid, koid_of(vmo));
}

CASE(handle_basic, buffer_too_small)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    uint8_t buf[64];
    memset(buf, 0xEE, sizeof buf);
    size_t actual = 9, avail = 9;
    EXPECT_STATUS(zx_object_get_info(vmo, ZX_INFO_HANDLE_BASIC, buf, 31, &actual, &avail),
                  ZX_ERR_BUFFER_TOO_SMALL);
    EXPECT_EQ(actual, 0);
    EXPECT_EQ(avail, 1);
    EXPECT_FILLED(buf, 0xEE, sizeof buf);
    EXPECT_STATUS(zx_object_get_info(vmo, ZX_INFO_HANDLE_BASIC, NULL, 0, &actual, &avail),
                  ZX_ERR_BUFFER_TOO_SMALL);
    /* actual/avail are optional. */
    EXPECT_STATUS(zx_object_get_info(vmo, ZX_INFO_HANDLE_BASIC, buf, 8, NULL, NULL),
                  ZX_ERR_BUFFER_TOO_SMALL);
}

CASE(handle_basic, bad_pointers_are_invalid_args)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t hole = 0;
    zx_handle_t v = scratch(4 * PAGE, &hole);
    zx_info_handle_basic_t b;
    size_t actual = 0, avail = 0;
    EXPECT_STATUS(
        zx_object_get_info(vmo, ZX_INFO_HANDLE_BASIC, (void *)hole, sizeof b, &actual, &avail),
        ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(
        zx_object_get_info(vmo, ZX_INFO_HANDLE_BASIC, &b, sizeof b, (size_t *)hole, &avail),
        ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(
        zx_object_get_info(vmo, ZX_INFO_HANDLE_BASIC, &b, sizeof b, &actual, (size_t *)hole),
        ZX_ERR_INVALID_ARGS);
    /* A read-only buffer cannot receive the record. */
    zx_handle_t page = vmo_create(PAGE, 0);
    zx_vaddr_t ro = map(v, R, 0, page, 0, PAGE);
    EXPECT_STATUS(zx_object_get_info(vmo, ZX_INFO_HANDLE_BASIC, (void *)ro, sizeof b, NULL, NULL),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_object_get_info(vmo, ZX_INFO_HANDLE_BASIC, NULL, sizeof b, NULL, NULL),
                  ZX_ERR_INVALID_ARGS);
}

/* ---- VMAR ---- */

CASE(info_vmar, record_and_rules)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(8 * PAGE, &base);
    zx_info_vmar_t info;
    size_t actual = 0, avail = 0;
    ASSERT_OK(zx_object_get_info(v, ZX_INFO_VMAR, &info, sizeof info, &actual, &avail));
    EXPECT_EQ(info.base, base);
    EXPECT_EQ(info.len, 8 * PAGE);
    EXPECT_EQ(actual, 1);
    EXPECT_EQ(avail, 1);
    EXPECT_STATUS(zx_object_get_info(v, ZX_INFO_VMAR, &info, sizeof info - 1, &actual, &avail),
                  ZX_ERR_BUFFER_TOO_SMALL);
    EXPECT_EQ(actual, 0);
    EXPECT_EQ(avail, 1);
}

CASE(info_vmar, type_and_rights)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_info_vmar_t info;
    EXPECT_STATUS(zx_object_get_info(vmo, ZX_INFO_VMAR, &info, sizeof info, NULL, NULL),
                  ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_object_get_info(SELF, ZX_INFO_VMAR, &info, sizeof info, NULL, NULL),
                  ZX_ERR_WRONG_TYPE);
    zx_handle_t blind = dup(ROOT, ALL_VMAR & ~ZX_RIGHT_INSPECT);
    EXPECT_STATUS(zx_object_get_info(blind, ZX_INFO_VMAR, &info, sizeof info, NULL, NULL),
                  ZX_ERR_ACCESS_DENIED);
    /* Rights (ACCESS_DENIED) come before the buffer size. */
    EXPECT_STATUS(zx_object_get_info(blind, ZX_INFO_VMAR, NULL, 0, NULL, NULL),
                  ZX_ERR_ACCESS_DENIED);
}

/* ---- VMO ---- */

CASE(info_vmo, fields_track_state)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, ZX_VMO_RESIZABLE);
    set_name(vmo, "info-vmo");
    vmo_fill(vmo, PAGE, 10, 1);
    zx_handle_t c1 = child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    child(vmo, ZX_VMO_CHILD_REFERENCE | ZX_VMO_CHILD_RESIZABLE, 0, 0);
    zx_handle_t v = scratch(16 * PAGE, NULL);
    map(v, R, 0, vmo, 0, PAGE);
    map(v, RW, 0, vmo, PAGE, 2 * PAGE);
    zx_info_vmo_t i = vmo_info(vmo);
    EXPECT_EQ(i.koid, koid_of(vmo));
    EXPECT_STR_EQ(i.name, "info-vmo");
    EXPECT_EQ(i.size_bytes, 4 * PAGE);
    EXPECT_EQ(i.parent_koid, 0);
    EXPECT_EQ(i.num_children, 2);
    EXPECT_EQ(i.num_mappings, 2);
    EXPECT_EQ(i.share_count, 1);
    EXPECT_EQ(i.flags, ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_RESIZABLE | ZX_INFO_VMO_VIA_HANDLE);
    EXPECT_EQ(i.committed_bytes, PAGE);
    EXPECT_EQ(i.populated_bytes, PAGE);
    EXPECT_EQ(i.handle_rights, 0x40D0EF);
    EXPECT_EQ(i.cache_policy, ZX_CACHE_POLICY_CACHED);
    zx_info_vmo_t ci = vmo_info(c1);
    EXPECT_EQ(ci.parent_koid, i.koid);
    EXPECT_STR_EQ(ci.name, "info-vmo");
}

CASE(info_vmo, needs_no_rights_and_reports_handle_rights)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t none = dup(vmo, ZX_RIGHT_NONE);
    zx_info_vmo_t i = vmo_info(none);
    EXPECT_EQ(i.handle_rights, 0);
    EXPECT_EQ(i.koid, koid_of(vmo));
    zx_handle_t r = dup(vmo, ZX_RIGHT_READ | ZX_RIGHT_MAP);
    EXPECT_EQ(vmo_info(r).handle_rights, ZX_RIGHT_READ | ZX_RIGHT_MAP);
}

CASE(info_vmo, wrong_type)
{
    zx_info_vmo_t i;
    EXPECT_STATUS(zx_object_get_info(ROOT, ZX_INFO_VMO, &i, sizeof i, NULL, NULL),
                  ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_object_get_info(SELF, ZX_INFO_VMO_V1, &i, sizeof i, NULL, NULL),
                  ZX_ERR_WRONG_TYPE);
}

CASE(info_vmo, older_versions_are_prefixes)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    set_name(vmo, "versions");
    vmo_fill(vmo, 0, 1, 1);
    zx_info_vmo_t cur = vmo_info(vmo);
    static const struct {
        uint32_t topic;
        size_t size;
    } v[] = {
        {ZX_INFO_VMO_V1, 104}, {ZX_INFO_VMO_V2, 120}, {ZX_INFO_VMO_V3, 128}, {ZX_INFO_VMO, 176}};
    for (size_t k = 0; k < 4; k++) {
        uint8_t buf[256];
        memset(buf, 0xEE, sizeof buf);
        size_t actual = 0, avail = 0;
        /* A buffer one byte short is too small. */
        EXPECT_STATUS(zx_object_get_info(vmo, v[k].topic, buf, v[k].size - 1, &actual, &avail),
                      ZX_ERR_BUFFER_TOO_SMALL);
        EXPECT_EQ(avail, 1);
        ASSERT_OK(zx_object_get_info(vmo, v[k].topic, buf, sizeof buf, &actual, &avail));
        EXPECT_EQ(actual, 1);
        /* Exactly the version's record is written. */
        EXPECT_BYTES_EQ(buf, &cur, 84);
        EXPECT_BYTES_EQ(buf + 88, (uint8_t *)&cur + 88, 16);
        if (v[k].size > 104)
            EXPECT_BYTES_EQ(buf + 112, (uint8_t *)&cur + 112, v[k].size - 112);
        EXPECT_FILLED(buf + v[k].size, 0xEE, sizeof buf - v[k].size);
    }
    /* Each version fits its own record exactly. */
    zx_info_vmo_v1_t v1;
    EXPECT_OK(zx_object_get_info(vmo, ZX_INFO_VMO_V1, &v1, sizeof v1, NULL, NULL));
    EXPECT_EQ(v1.committed_bytes, PAGE);
    zx_info_vmo_v3_t v3;
    EXPECT_OK(zx_object_get_info(vmo, ZX_INFO_VMO_V3, &v3, sizeof v3, NULL, NULL));
    EXPECT_EQ(v3.populated_bytes, PAGE);
    zx_info_vmo_t c;
    EXPECT_STATUS(zx_object_get_info(vmo, ZX_INFO_VMO, &c, sizeof v3, NULL, NULL),
                  ZX_ERR_BUFFER_TOO_SMALL);
}

CASE(info_vmo, discardable_and_unbounded_flags)
{
    zx_handle_t d = vmo_create(PAGE, ZX_VMO_DISCARDABLE);
    EXPECT_EQ(vmo_info(d).flags,
              ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE | ZX_INFO_VMO_DISCARDABLE);
    zx_handle_t u = vmo_create(PAGE, ZX_VMO_UNBOUNDED);
    EXPECT_EQ(vmo_info(u).flags, ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE);
    EXPECT_EQ(vmo_info(u).size_bytes, MAX_VMO_SIZE);
}

/* ---- PROCESS_MAPS ---- */

CASE(process_maps, type_and_rights)
{
    uint8_t buf[256];
    size_t a = 0, v = 0;
    EXPECT_STATUS(zx_object_get_info(ROOT, ZX_INFO_PROCESS_MAPS, buf, sizeof buf, &a, &v),
                  ZX_ERR_WRONG_TYPE);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_STATUS(zx_object_get_info(vmo, ZX_INFO_PROCESS_MAPS, buf, sizeof buf, &a, &v),
                  ZX_ERR_WRONG_TYPE);
    zx_handle_t blind = dup(SELF, ZX_DEFAULT_PROCESS_RIGHTS & ~ZX_RIGHT_INSPECT);
    EXPECT_STATUS(zx_object_get_info(blind, ZX_INFO_PROCESS_MAPS, buf, sizeof buf, &a, &v),
                  ZX_ERR_ACCESS_DENIED);
    /* READ alone is not enough (the right is INSPECT). */
    zx_handle_t reader = dup(SELF, ZX_RIGHT_READ);
    EXPECT_STATUS(zx_object_get_info(reader, ZX_INFO_PROCESS_MAPS, buf, sizeof buf, &a, &v),
                  ZX_ERR_ACCESS_DENIED);
    zx_handle_t inspector = dup(SELF, ZX_RIGHT_INSPECT);
    EXPECT_OK(zx_object_get_info(inspector, ZX_INFO_PROCESS_MAPS, buf, sizeof buf, &a, &v));
}

CASE(process_maps, tree_order_and_header)
{
    size_t n = fetch(SELF, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t));
    const zx_info_maps_t *m = (const zx_info_maps_t *)big;
    ASSERT_GE(n, 3);
    EXPECT_EQ(m[0].type, ZX_INFO_MAPS_TYPE_ASPACE);
    EXPECT_EQ(m[0].depth, 0);
    EXPECT_EQ(m[1].type, ZX_INFO_MAPS_TYPE_VMAR);
    EXPECT_EQ(m[1].depth, 1);
    EXPECT_EQ(m[1].base, USER_BASE);
    EXPECT_EQ(m[1].size, USER_LEN);
    for (size_t i = 2; i < n; i++) {
        EXPECT_GE(m[i].base, m[i - 1].base);
        EXPECT_GE(m[i].depth, 2);
        EXPECT_LE(m[i].depth, m[i - 1].depth + 1);
        EXPECT_TRUE(m[i].type == ZX_INFO_MAPS_TYPE_VMAR || m[i].type == ZX_INFO_MAPS_TYPE_MAPPING);
    }
}

CASE(process_maps, mapping_record_fields)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    set_name(vmo, "maps-record");
    zx_vaddr_t a = map(v, RW | ZX_VM_SPECIFIC, 4 * PAGE, vmo, 2 * PAGE, 4 * PAGE);
    *(volatile uint8_t *)a = 1;
    *(volatile uint8_t *)(a + 3 * PAGE) = 1;
    /* A committed page outside the mapped window does not count. */
    vmo_fill(vmo, 0, 1, 1);
    size_t idx = 0;
    const zx_info_maps_t *m = process_mapping_at(a, &idx);
    ASSERT_TRUE(m != NULL);
    const zx_info_maps_t *all = (const zx_info_maps_t *)big;
    EXPECT_STR_EQ(m->name, "maps-record");
    EXPECT_EQ(m->size, 4 * PAGE);
    EXPECT_EQ(m->depth, 3);
    EXPECT_EQ(m->u.mapping.mmu_flags, RW);
    EXPECT_EQ(m->u.mapping.vmo_koid, koid_of(vmo));
    EXPECT_EQ(m->u.mapping.vmo_offset, 2 * PAGE);
    EXPECT_EQ(m->u.mapping.committed_bytes, 2 * PAGE);
    EXPECT_EQ(m->u.mapping.populated_bytes, 2 * PAGE);
    EXPECT_EQ(m->u.mapping.committed_private_bytes, 2 * PAGE);
    EXPECT_EQ(m->u.mapping.committed_scaled_bytes, 2 * PAGE);
    EXPECT_EQ(m->u.mapping.committed_fractional_scaled_bytes, 0);
    /* The enclosing scratch VMAR comes right before it, at depth 2. */
    ASSERT_GE(idx, 1);
    EXPECT_EQ(all[idx - 1].type, ZX_INFO_MAPS_TYPE_VMAR);
    EXPECT_EQ(all[idx - 1].base, base);
    EXPECT_EQ(all[idx - 1].size, 16 * PAGE);
    EXPECT_EQ(all[idx - 1].depth, 2);
}

CASE(process_maps, cow_attribution_in_mapping)
{
    zx_handle_t v = scratch(16 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 1);
    child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    zx_vaddr_t a = map(v, R, 0, vmo, 0, 2 * PAGE);
    const zx_info_maps_t *m = process_mapping_at(a, NULL);
    ASSERT_TRUE(m != NULL);
    EXPECT_EQ(m->u.mapping.committed_bytes, 2 * PAGE);
    EXPECT_EQ(m->u.mapping.committed_private_bytes, 0);
    EXPECT_EQ(m->u.mapping.committed_scaled_bytes, PAGE);
}

CASE(process_maps, adjacent_mappings_merge)
{
    /* Core test: a 3-page mapping at VMO offset 0 followed directly by a
     * 2-page mapping at VMO offset 3P shows as one 5-page record. */
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    map(v, R | ZX_VM_SPECIFIC, 0, vmo, 0, 3 * PAGE);
    map(v, R | ZX_VM_SPECIFIC, 3 * PAGE, vmo, 3 * PAGE, 2 * PAGE);
    const zx_info_maps_t *m = process_mapping_at(base, NULL);
    ASSERT_TRUE(m != NULL);
    EXPECT_EQ(m->size, 5 * PAGE);
    EXPECT_EQ(m->u.mapping.vmo_offset, 0);
    EXPECT_TRUE(process_mapping_at(base + 3 * PAGE, NULL) == NULL);
    size_t n = 0;
    mappings_of(v, &n);
    EXPECT_EQ(n, 1);
}

CASE(process_maps, merge_when_placed_before)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    map(v, R | ZX_VM_SPECIFIC, 3 * PAGE, vmo, 3 * PAGE, 2 * PAGE);
    map(v, R | ZX_VM_SPECIFIC, 0, vmo, 0, 3 * PAGE);
    size_t n = 0;
    zx_info_maps_t *m = mappings_of(v, &n);
    ASSERT_EQ(n, 1);
    EXPECT_EQ(m[0].base, base);
    EXPECT_EQ(m[0].size, 5 * PAGE);
}

CASE(process_maps, no_merge_when_anything_differs)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(32 * PAGE, &base);
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    zx_handle_t other = vmo_create(8 * PAGE, 0);
    /* Different current permissions. */
    map(v, R | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE);
    map(v, RW | ZX_VM_SPECIFIC, PAGE, vmo, PAGE, PAGE);
    /* Non-contiguous VMO offsets. */
    map(v, R | ZX_VM_SPECIFIC, 4 * PAGE, vmo, 0, PAGE);
    map(v, R | ZX_VM_SPECIFIC, 5 * PAGE, vmo, 2 * PAGE, PAGE);
    /* Different VMOs. */
    map(v, R | ZX_VM_SPECIFIC, 8 * PAGE, vmo, 0, PAGE);
    map(v, R | ZX_VM_SPECIFIC, 9 * PAGE, other, PAGE, PAGE);
    /* Different maximum permissions. */
    zx_handle_t ro = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    map(v, R | ZX_VM_SPECIFIC, 12 * PAGE, vmo, 0, PAGE);
    map(v, R | ZX_VM_SPECIFIC, 13 * PAGE, ro, PAGE, PAGE);
    size_t n = 0;
    mappings_of(v, &n);
    EXPECT_EQ(n, 8);
}

CASE(process_maps, protection_ranges_are_separate_records)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    map(v, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 4 * PAGE);
    ASSERT_OK(zx_vmar_protect(v, R, base + PAGE, PAGE));
    size_t n = 0;
    zx_info_maps_t *m = mappings_of(v, &n);
    ASSERT_EQ(n, 3);
    EXPECT_EQ(m[0].size, PAGE);
    EXPECT_EQ(m[0].u.mapping.mmu_flags, RW);
    EXPECT_EQ(m[1].base, base + PAGE);
    EXPECT_EQ(m[1].u.mapping.mmu_flags, R);
    EXPECT_EQ(m[1].u.mapping.vmo_offset, PAGE);
    EXPECT_EQ(m[2].size, 2 * PAGE);
    EXPECT_EQ(m[2].u.mapping.vmo_offset, 2 * PAGE);
    EXPECT_EQ(vmo_info(vmo).num_mappings, 1);
}

CASE(process_maps, older_versions)
{
    zx_handle_t v = scratch(16 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    set_name(vmo, "old-maps");
    zx_vaddr_t a = map(v, RW, 0, vmo, 0, 4 * PAGE);
    *(volatile uint8_t *)a = 1;
    *(volatile uint8_t *)(a + 2 * PAGE) = 1;
    size_t n2 = fetch(SELF, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t));
    static zx_info_maps_t cur[256];
    memcpy(cur, big, n2 * sizeof cur[0]);

    size_t n1 = fetch(SELF, ZX_INFO_PROCESS_MAPS_V1, sizeof(zx_info_maps_v1_t));
    EXPECT_EQ(n1, n2);
    const zx_info_maps_v1_t *v1 = (const zx_info_maps_v1_t *)big;
    EXPECT_EQ(big[n1 * 96], 0xEE);
    for (size_t i = 0; i < n1 && i < n2; i++) {
        EXPECT_EQ(v1[i].base, cur[i].base);
        EXPECT_EQ(v1[i].size, cur[i].size);
        EXPECT_EQ(v1[i].depth, cur[i].depth);
        EXPECT_EQ(v1[i].type, cur[i].type);
        if (cur[i].base == a && cur[i].type == ZX_INFO_MAPS_TYPE_MAPPING) {
            EXPECT_STR_EQ(v1[i].name, "old-maps");
            EXPECT_EQ(v1[i].u.mapping.committed_pages, 2);
            EXPECT_EQ(v1[i].u.mapping.vmo_koid, koid_of(vmo));
            EXPECT_EQ(v1[i].u.mapping.mmu_flags, RW);
        }
    }
    size_t nv2 = fetch(SELF, ZX_INFO_PROCESS_MAPS_V2, sizeof(zx_info_maps_v2_t));
    EXPECT_EQ(nv2, n2);
    const zx_info_maps_v2_t *v2 = (const zx_info_maps_v2_t *)big;
    EXPECT_EQ(big[nv2 * 104], 0xEE);
    for (size_t i = 0; i < nv2 && i < n2; i++) {
        EXPECT_EQ(v2[i].base, cur[i].base);
        if (cur[i].base == a && cur[i].type == ZX_INFO_MAPS_TYPE_MAPPING) {
            EXPECT_EQ(v2[i].u.mapping.committed_pages, 2);
            EXPECT_EQ(v2[i].u.mapping.populated_pages, 2);
        }
    }
}

CASE(process_maps, array_protocol)
{
    size_t actual = 9, avail = 0;
    ASSERT_OK(zx_object_get_info(SELF, ZX_INFO_PROCESS_MAPS, NULL, 0, &actual, &avail));
    EXPECT_EQ(actual, 0);
    EXPECT_GE(avail, 3);
    static zx_info_maps_t recs[3];
    memset(recs, 0xEE, sizeof recs);
    size_t total = avail;
    /* Room for one and a half records: one is written. */
    ASSERT_OK(zx_object_get_info(SELF, ZX_INFO_PROCESS_MAPS, recs, sizeof recs[0] * 3 / 2, &actual,
                                 &avail));
    EXPECT_EQ(actual, 1);
    EXPECT_EQ(avail, total);
    EXPECT_EQ(recs[0].type, ZX_INFO_MAPS_TYPE_ASPACE);
    EXPECT_FILLED(&recs[1], 0xEE, sizeof recs[1]);
    ASSERT_OK(zx_object_get_info(SELF, ZX_INFO_PROCESS_MAPS, recs, sizeof recs, &actual, &avail));
    EXPECT_EQ(actual, 3);
    EXPECT_EQ(avail, total);
    /* NULL actual/avail are fine. */
    EXPECT_OK(zx_object_get_info(SELF, ZX_INFO_PROCESS_MAPS, recs, sizeof recs, NULL, NULL));
}

CASE(process_maps, bad_pointers)
{
    zx_vaddr_t hole = 0;
    scratch(4 * PAGE, &hole);
    size_t actual = 0, avail = 0;
    EXPECT_STATUS(
        zx_object_get_info(SELF, ZX_INFO_PROCESS_MAPS, (void *)hole, 4 * 152, &actual, &avail),
        ZX_ERR_INVALID_ARGS);
    static zx_info_maps_t recs[2];
    EXPECT_STATUS(
        zx_object_get_info(SELF, ZX_INFO_PROCESS_MAPS, recs, sizeof recs, (size_t *)hole, &avail),
        ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(
        zx_object_get_info(SELF, ZX_INFO_PROCESS_MAPS, recs, sizeof recs, &actual, (size_t *)hole),
        ZX_ERR_INVALID_ARGS);
}

/* ---- VMAR_MAPS ---- */

CASE(vmar_maps, subtree_records)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    zx_vaddr_t cbase = 0;
    zx_handle_t c = subvmar(v, CAN_RW | ZX_VM_SPECIFIC, 8 * PAGE, 4 * PAGE, &cbase);
    map(v, RW | ZX_VM_SPECIFIC, PAGE, vmo, 0, PAGE);
    map(c, R | ZX_VM_SPECIFIC, PAGE, vmo, 2 * PAGE, PAGE);
    size_t n = 0;
    zx_info_maps_t *m = vmar_maps(v, &n);
    ASSERT_EQ(n, 4);
    EXPECT_EQ(m[0].type, ZX_INFO_MAPS_TYPE_VMAR);
    EXPECT_EQ(m[0].base, base);
    EXPECT_EQ(m[0].size, 16 * PAGE);
    EXPECT_EQ(m[1].type, ZX_INFO_MAPS_TYPE_MAPPING);
    EXPECT_EQ(m[1].base, base + PAGE);
    EXPECT_EQ(m[1].depth, m[0].depth + 1);
    EXPECT_EQ(m[2].type, ZX_INFO_MAPS_TYPE_VMAR);
    EXPECT_EQ(m[2].base, cbase);
    EXPECT_EQ(m[2].depth, m[0].depth + 1);
    EXPECT_EQ(m[3].type, ZX_INFO_MAPS_TYPE_MAPPING);
    EXPECT_EQ(m[3].base, cbase + PAGE);
    EXPECT_EQ(m[3].depth, m[0].depth + 2);
    EXPECT_EQ(m[3].u.mapping.vmo_offset, 2 * PAGE);
    EXPECT_EQ(m[3].u.mapping.mmu_flags, R);
    /* The child's own view starts with itself. */
    zx_info_maps_t *cm = vmar_maps(c, &n);
    ASSERT_EQ(n, 2);
    EXPECT_EQ(cm[0].base, cbase);
    EXPECT_EQ(cm[0].type, ZX_INFO_MAPS_TYPE_VMAR);
}

CASE(vmar_maps, type_and_rights)
{
    uint8_t buf[512];
    size_t a = 0, av = 0;
    EXPECT_STATUS(zx_object_get_info(SELF, ZX_INFO_VMAR_MAPS, buf, sizeof buf, &a, &av),
                  ZX_ERR_WRONG_TYPE);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_STATUS(zx_object_get_info(vmo, ZX_INFO_VMAR_MAPS, buf, sizeof buf, &a, &av),
                  ZX_ERR_WRONG_TYPE);
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_handle_t blind = dup(v, ALL_VMAR & ~ZX_RIGHT_INSPECT);
    EXPECT_STATUS(zx_object_get_info(blind, ZX_INFO_VMAR_MAPS, buf, sizeof buf, &a, &av),
                  ZX_ERR_ACCESS_DENIED);
}

CASE(vmar_maps, array_protocol)
{
    zx_handle_t v = scratch(16 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    map(v, R, 0, vmo, 0, PAGE);
    map(v, R, 0, vmo, 0, PAGE);
    size_t actual = 9, avail = 0;
    ASSERT_OK(zx_object_get_info(v, ZX_INFO_VMAR_MAPS, NULL, 0, &actual, &avail));
    EXPECT_EQ(actual, 0);
    EXPECT_EQ(avail, 3);
    zx_info_maps_t one;
    ASSERT_OK(zx_object_get_info(v, ZX_INFO_VMAR_MAPS, &one, sizeof one, &actual, &avail));
    EXPECT_EQ(actual, 1);
    EXPECT_EQ(avail, 3);
    EXPECT_EQ(one.type, ZX_INFO_MAPS_TYPE_VMAR);
}

/* ---- PROCESS_VMOS ---- */

CASE(process_vmos, handle_and_mapping_records)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_koid_t koid = koid_of(vmo);
    zx_handle_t r = dup(vmo, ZX_RIGHT_READ | ZX_RIGHT_MAP);
    zx_handle_t v = scratch(8 * PAGE, NULL);
    map(v, R, 0, vmo, 0, PAGE);
    size_t n = fetch(SELF, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t));
    const zx_info_vmo_t *recs = (const zx_info_vmo_t *)big;
    int via_handle = 0, via_mapping = 0;
    bool saw_default = false, saw_reduced = false;
    for (size_t i = 0; i < n; i++) {
        if (recs[i].koid != koid)
            continue;
        EXPECT_EQ(recs[i].size_bytes, 2 * PAGE);
        if (recs[i].flags & ZX_INFO_VMO_VIA_HANDLE) {
            via_handle++;
            saw_default |= recs[i].handle_rights == VMO_RIGHTS;
            saw_reduced |= recs[i].handle_rights == (ZX_RIGHT_READ | ZX_RIGHT_MAP);
        }
        if (recs[i].flags & ZX_INFO_VMO_VIA_MAPPING)
            via_mapping++;
    }
    EXPECT_EQ(via_handle, 2);
    EXPECT_EQ(via_mapping, 1);
    EXPECT_TRUE(saw_default);
    EXPECT_TRUE(saw_reduced);
    (void)r;
}

CASE(process_vmos, counts_follow_handles)
{
    size_t before = conf_avail(ZX_INFO_PROCESS_VMOS);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_EQ(conf_avail(ZX_INFO_PROCESS_VMOS), before + 1);
    zx_handle_t d = dup(vmo, ZX_RIGHT_SAME_RIGHTS);
    EXPECT_EQ(conf_avail(ZX_INFO_PROCESS_VMOS), before + 2);
    ASSERT_OK(zx_handle_close(d));
    ASSERT_OK(zx_handle_close(vmo));
    EXPECT_EQ(conf_avail(ZX_INFO_PROCESS_VMOS), before);
}

CASE(process_vmos, older_versions)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    set_name(vmo, "old-vmos");
    size_t n = fetch(SELF, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t));
    static zx_info_vmo_t cur[128];
    ASSERT_LE(n, 128);
    memcpy(cur, big, n * sizeof cur[0]);
    static const struct {
        uint32_t topic;
        size_t size;
    } v[] = {{ZX_INFO_PROCESS_VMOS_V1, 104},
             {ZX_INFO_PROCESS_VMOS_V2, 120},
             {ZX_INFO_PROCESS_VMOS_V3, 128}};
    for (size_t k = 0; k < 3; k++) {
        size_t m = fetch(SELF, v[k].topic, v[k].size);
        EXPECT_EQ(m, n);
        EXPECT_EQ(big[m * v[k].size], 0xEE);
        bool found = false;
        for (size_t i = 0; i < m; i++) {
            const zx_info_vmo_t *r = (const zx_info_vmo_t *)(big + i * v[k].size);
            if (r->koid == koid_of(vmo) && strcmp(r->name, "old-vmos") == 0)
                found = true;
        }
        EXPECT_TRUE(found);
    }
}

CASE(process_vmos, needs_inspect)
{
    zx_handle_t blind = dup(SELF, ZX_DEFAULT_PROCESS_RIGHTS & ~ZX_RIGHT_INSPECT);
    size_t a = 0, v = 0;
    EXPECT_STATUS(zx_object_get_info(blind, ZX_INFO_PROCESS_VMOS, NULL, 0, &a, &v),
                  ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_object_get_info(ROOT, ZX_INFO_PROCESS_VMOS, NULL, 0, &a, &v),
                  ZX_ERR_WRONG_TYPE);
}

/* ---- properties ---- */

CASE(property_name, set_and_get)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    char name[ZX_MAX_NAME_LEN];
    memset(name, 0x7F, sizeof name);
    ASSERT_OK(zx_object_get_property(vmo, ZX_PROP_NAME, name, sizeof name));
    EXPECT_FILLED(name, 0, sizeof name);
    set_name(vmo, "hello");
    memset(name, 0x7F, sizeof name);
    ASSERT_OK(zx_object_get_property(vmo, ZX_PROP_NAME, name, sizeof name));
    EXPECT_STR_EQ(name, "hello");
    /* NUL padding to 32 bytes. */
    EXPECT_FILLED(name + 5, 0, sizeof name - 5);
    EXPECT_STR_EQ(vmo_info(vmo).name, "hello");
    /* A larger buffer: exactly 32 bytes are written. */
    char wide[40];
    memset(wide, 0x7F, sizeof wide);
    ASSERT_OK(zx_object_get_property(vmo, ZX_PROP_NAME, wide, sizeof wide));
    EXPECT_FILLED(wide + 32, 0x7F, 8);
}

CASE(property_name, small_buffer_and_truncation)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    char name[40];
    EXPECT_STATUS(zx_object_get_property(vmo, ZX_PROP_NAME, name, 31), ZX_ERR_BUFFER_TOO_SMALL);
    static const char longname[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    ASSERT_OK(zx_object_set_property(vmo, ZX_PROP_NAME, longname, sizeof longname));
    ASSERT_OK(zx_object_get_property(vmo, ZX_PROP_NAME, name, 32));
    EXPECT_EQ(strlen(name), 31);
    EXPECT_TRUE(strncmp(name, longname, 31) == 0);
    /* A name without a terminator, shorter than the limit. */
    ASSERT_OK(zx_object_set_property(vmo, ZX_PROP_NAME, "abcdef", 3));
    ASSERT_OK(zx_object_get_property(vmo, ZX_PROP_NAME, name, 32));
    EXPECT_STR_EQ(name, "abc");
}

CASE(property_name, check_order)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    char name[32] = "x";
    /* NULL value comes before the handle. */
    EXPECT_STATUS(zx_object_get_property(ZX_HANDLE_INVALID, ZX_PROP_NAME, NULL, 32),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_object_set_property(ZX_HANDLE_INVALID, ZX_PROP_NAME, NULL, 32),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_object_get_property(ZX_HANDLE_INVALID, ZX_PROP_NAME, name, 32),
                  ZX_ERR_BAD_HANDLE);
    zx_handle_t no_get = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_GET_PROPERTY);
    EXPECT_STATUS(zx_object_get_property(no_get, ZX_PROP_NAME, name, 32), ZX_ERR_ACCESS_DENIED);
    zx_handle_t no_set = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_SET_PROPERTY);
    EXPECT_STATUS(zx_object_set_property(no_set, ZX_PROP_NAME, name, 1), ZX_ERR_ACCESS_DENIED);
    /* Rights before the property number. */
    EXPECT_STATUS(zx_object_get_property(no_get, 9999, name, 32), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_object_get_property(vmo, 9999, name, 32), ZX_ERR_NOT_SUPPORTED);
    EXPECT_STATUS(zx_object_set_property(vmo, 9999, name, 32), ZX_ERR_NOT_SUPPORTED);
    EXPECT_STR_EQ(vmo_info(vmo).name, "");
}

CASE(property_name, vmar_has_no_property_rights)
{
    char name[32];
    EXPECT_STATUS(zx_object_get_property(ROOT, ZX_PROP_NAME, name, sizeof name),
                  ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_object_set_property(ROOT, ZX_PROP_NAME, "x", 1), ZX_ERR_ACCESS_DENIED);
    uint64_t cs = 0;
    EXPECT_STATUS(zx_object_get_property(ROOT, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs),
                  ZX_ERR_ACCESS_DENIED);
}

CASE(property_name, process_name)
{
    char name[32], saved[32];
    ASSERT_OK(zx_object_get_property(SELF, ZX_PROP_NAME, saved, sizeof saved));
    ASSERT_OK(zx_object_set_property(SELF, ZX_PROP_NAME, "conf-proc", 9));
    ASSERT_OK(zx_object_get_property(SELF, ZX_PROP_NAME, name, sizeof name));
    EXPECT_STR_EQ(name, "conf-proc");
    ASSERT_OK(zx_object_set_property(SELF, ZX_PROP_NAME, saved, strlen(saved)));
    /* A VMO-only property on a process: WRONG_TYPE. */
    uint64_t cs = 0;
    EXPECT_STATUS(zx_object_get_property(SELF, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs),
                  ZX_ERR_WRONG_TYPE);
}

CASE(property_name, unreadable_input)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t hole = 0;
    scratch(PAGE, &hole);
    EXPECT_STATUS(zx_object_set_property(vmo, ZX_PROP_NAME, (void *)hole, 8), ZX_ERR_INVALID_ARGS);
    char name[32];
    EXPECT_STATUS(zx_object_get_property(vmo, ZX_PROP_NAME, (void *)hole, 32), ZX_ERR_INVALID_ARGS);
    ASSERT_OK(zx_object_get_property(vmo, ZX_PROP_NAME, name, 32));
    EXPECT_STR_EQ(name, "");
}

CASE(property_name, shows_in_mapping_record)
{
    zx_handle_t v = scratch(8 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = map(v, R, 0, vmo, 0, PAGE);
    set_name(vmo, "renamed-later");
    const zx_info_maps_t *m = process_mapping_at(a, NULL);
    ASSERT_TRUE(m != NULL);
    EXPECT_STR_EQ(m->name, "renamed-later");
}

CASE(property_content_size, get_and_set)
{
    zx_handle_t vmo = vmo_create(3 * PAGE + 10, 0);
    uint64_t cs = 0;
    ASSERT_OK(zx_object_get_property(vmo, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs));
    EXPECT_EQ(cs, 3 * PAGE + 10);
    vmo_fill(vmo, 0, 4 * PAGE, 0x44);
    cs = PAGE + 1;
    ASSERT_OK(zx_object_set_property(vmo, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs));
    EXPECT_EQ(content_size(vmo), PAGE + 1);
    EXPECT_EQ(vmo_size(vmo), 4 * PAGE);
    EXPECT_VMO_FILLED(vmo, 0, PAGE + 1, 0x44);
    EXPECT_VMO_FILLED(vmo, PAGE + 1, 3 * PAGE - 1, 0);
    /* zx_vmo_set_size sets it too (resizable). */
    zx_handle_t r = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    ASSERT_OK(zx_vmo_set_size(r, 2 * PAGE + 3));
    EXPECT_EQ(content_size(r), 2 * PAGE + 3);
}

CASE(process_maps, no_merge_with_different_options)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    map(v, R | ZX_VM_SPECIFIC, 0, vmo, 0, 3 * PAGE);
    map(v, R | ZX_VM_SPECIFIC | ZX_VM_ALLOW_FAULTS, 3 * PAGE, vmo, 3 * PAGE, 2 * PAGE);
    size_t n = 0;
    zx_info_maps_t *m = mappings_of(v, &n);
    ASSERT_EQ(n, 2);
    EXPECT_EQ(m[0].size, 3 * PAGE);
    EXPECT_EQ(m[1].size, 2 * PAGE);
}

CASE(process_maps, merged_mapping_committed_bytes)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    vmo_fill(vmo, 0, 8 * PAGE, 1);
    map(v, R | ZX_VM_SPECIFIC, 0, vmo, 0, 3 * PAGE);
    map(v, R | ZX_VM_SPECIFIC, 3 * PAGE, vmo, 3 * PAGE, 2 * PAGE);
    size_t n = 0;
    zx_info_maps_t *m = mappings_of(v, &n);
    ASSERT_EQ(n, 1);
    /* Committed bytes within the mapped range only. */
    EXPECT_EQ(m[0].u.mapping.committed_bytes, 5 * PAGE);
}

/* ---- process handle stats (docs/semantics.md "Info topics") ---- */

static zx_info_process_handle_stats_t handle_stats(void)
{
    zx_info_process_handle_stats_t s;
    memset(&s, 0xEE, sizeof s);
    size_t actual = 9, avail = 9;
    ASSERT_OK(
        zx_object_get_info(SELF, ZX_INFO_PROCESS_HANDLE_STATS, &s, sizeof s, &actual, &avail));
    EXPECT_EQ(actual, 1);
    EXPECT_EQ(avail, 1);
    return s;
}

CASE(process_handle_stats, counts_per_type)
{
    zx_info_process_handle_stats_t before = handle_stats();
    /* The process's own handle and the root VMAR's at least. */
    EXPECT_GE(before.handle_count[ZX_OBJ_TYPE_PROCESS], 1u);
    EXPECT_GE(before.handle_count[ZX_OBJ_TYPE_VMAR], 1u);
    EXPECT_EQ(before.handle_count[ZX_OBJ_TYPE_CHANNEL], 0u);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    dup(vmo, ZX_RIGHT_SAME_RIGHTS);
    scratch(PAGE, NULL);
    zx_info_process_handle_stats_t after = handle_stats();
    EXPECT_EQ(after.handle_count[ZX_OBJ_TYPE_VMO], before.handle_count[ZX_OBJ_TYPE_VMO] + 2);
    EXPECT_EQ(after.handle_count[ZX_OBJ_TYPE_VMAR], before.handle_count[ZX_OBJ_TYPE_VMAR] + 1);
    EXPECT_EQ(after.handle_count[ZX_OBJ_TYPE_PROCESS], before.handle_count[ZX_OBJ_TYPE_PROCESS]);
    ASSERT_OK(zx_handle_close(vmo));
    zx_info_process_handle_stats_t closed = handle_stats();
    EXPECT_EQ(closed.handle_count[ZX_OBJ_TYPE_VMO], before.handle_count[ZX_OBJ_TYPE_VMO] + 1);
}

CASE(process_handle_stats, checks)
{
    zx_info_process_handle_stats_t s;
    size_t actual = 9, avail = 9;
    EXPECT_STATUS(zx_object_get_info(ROOT, ZX_INFO_PROCESS_HANDLE_STATS, &s, sizeof s, NULL, NULL),
                  ZX_ERR_WRONG_TYPE);
    zx_handle_t weak = dup(SELF, ZX_RIGHT_DUPLICATE);
    EXPECT_STATUS(zx_object_get_info(weak, ZX_INFO_PROCESS_HANDLE_STATS, &s, sizeof s, NULL, NULL),
                  ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(
        zx_object_get_info(SELF, ZX_INFO_PROCESS_HANDLE_STATS, &s, sizeof s - 1, &actual, &avail),
        ZX_ERR_BUFFER_TOO_SMALL);
    EXPECT_EQ(actual, 0);
    EXPECT_EQ(avail, 1);
    EXPECT_STATUS(
        zx_object_get_info(SELF, ZX_INFO_PROCESS_HANDLE_STATS, NULL, sizeof s, NULL, NULL),
        ZX_ERR_INVALID_ARGS);
}

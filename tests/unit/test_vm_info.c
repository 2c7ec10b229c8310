/* zx_object_get_info (docs/semantics.md "Info topics", "Info records", "zx_object_get_info") and
 * the name / content-size properties: check order, the buffer protocol (BUFFER_TOO_SMALL for single
 * records, actual/avail for arrays), every record layout and its fields. */
#include "vm_harness.h"

#define R  ZX_VM_PERM_READ
#define W  ZX_VM_PERM_WRITE
#define RW (R | W)

static zx_handle_t sub_at(zx_handle_t parent, uint64_t off, uint64_t size, gva *base)
{
    zx_handle_t h = 0;
    gva b = 0;
    EXPECT_OK(t_vmar_allocate(
        parent, ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE,
        off, size, &h, &b));
    if (base)
        *base = b;
    return h;
}

static gva map_at(zx_handle_t vmar, uint32_t perms, uint64_t off, zx_handle_t vmo, uint64_t vmo_off,
                  uint64_t len)
{
    gva a = 0;
    EXPECT_OK(t_vmar_map(vmar, perms | ZX_VM_SPECIFIC, off, vmo, vmo_off, len, &a));
    return a;
}

/* ---------------- check order ---------------- */

/* Check 1: an unknown topic is NOT_SUPPORTED before the handle is looked at. */
START_TEST(info_unknown_topic_before_handle)
{
    const uint32_t bad[] = {ZX_INFO_NONE,          0x7FF,
                            ZX_INFO_TOPIC(23u, 4), ZX_INFO_TOPIC(2u, 1),
                            ZX_INFO_TOPIC(36u, 1), 0xFFFFFFFFu};
    uint8_t buf[256];
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        EXPECT_ST(t_get_info(dead_handle(), bad[i], buf, sizeof buf, NULL, NULL),
                  ZX_ERR_NOT_SUPPORTED);
        EXPECT_ST(t_get_info(mkvmo(P_SZ, 0), bad[i], buf, sizeof buf, NULL, NULL),
                  ZX_ERR_NOT_SUPPORTED);
        EXPECT_ST(SC(SYS_object_get_info, ZX_HANDLE_INVALID, bad[i], 0, 0, 0, 0),
                  ZX_ERR_NOT_SUPPORTED);
    }
}
END_TEST

START_TEST(info_bad_handle)
{
    zx_info_handle_basic_t b;
    EXPECT_ST(t_get_info(dead_handle(), ZX_INFO_HANDLE_BASIC, &b, sizeof b, NULL, NULL),
              ZX_ERR_BAD_HANDLE);
    EXPECT_ST(t_get_info(ZX_HANDLE_INVALID, ZX_INFO_VMO, NULL, 0, NULL, NULL), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(t_get_info(dead_handle(), ZX_INFO_PROCESS_MAPS, NULL, 0, NULL, NULL),
              ZX_ERR_BAD_HANDLE);
}
END_TEST

START_TEST(info_wrong_type)
{
    uint8_t buf[256];
    zx_handle_t v = mkvmo(P_SZ, 0);
    EXPECT_ST(t_get_info(ROOT, ZX_INFO_VMO, buf, sizeof buf, NULL, NULL), ZX_ERR_WRONG_TYPE);
    EXPECT_ST(t_get_info(SELF, ZX_INFO_VMO_V1, buf, sizeof buf, NULL, NULL), ZX_ERR_WRONG_TYPE);
    EXPECT_ST(t_get_info(v, ZX_INFO_VMAR, buf, sizeof buf, NULL, NULL), ZX_ERR_WRONG_TYPE);
    EXPECT_ST(t_get_info(v, ZX_INFO_PROCESS_MAPS, buf, sizeof buf, NULL, NULL), ZX_ERR_WRONG_TYPE);
    EXPECT_ST(t_get_info(ROOT, ZX_INFO_PROCESS_VMOS, buf, sizeof buf, NULL, NULL),
              ZX_ERR_WRONG_TYPE);
    EXPECT_ST(t_get_info(SELF, ZX_INFO_VMAR_MAPS, buf, sizeof buf, NULL, NULL), ZX_ERR_WRONG_TYPE);
    EXPECT_ST(t_get_info(SELF, ZX_INFO_VMAR, buf, sizeof buf, NULL, NULL), ZX_ERR_WRONG_TYPE);
}
END_TEST

/* Type beats rights. */
START_TEST(info_wrong_type_beats_rights)
{
    uint8_t buf[256];
    zx_handle_t v0 = hdup(mkvmo(P_SZ, 0), ZX_RIGHT_NONE);
    EXPECT_ST(t_get_info(v0, ZX_INFO_VMAR, buf, sizeof buf, NULL, NULL), ZX_ERR_WRONG_TYPE);
    EXPECT_ST(t_get_info(v0, ZX_INFO_PROCESS_MAPS, buf, sizeof buf, NULL, NULL), ZX_ERR_WRONG_TYPE);
}
END_TEST

START_TEST(info_needs_inspect)
{
    uint8_t buf[512];
    zx_handle_t vr = hdup(ROOT, 0x20801F & ~ZX_RIGHT_INSPECT);
    zx_handle_t pr = hdup(SELF, ZX_DEFAULT_PROCESS_RIGHTS & ~ZX_RIGHT_INSPECT);
    EXPECT_ST(t_get_info(vr, ZX_INFO_VMAR, buf, sizeof buf, NULL, NULL), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(t_get_info(vr, ZX_INFO_VMAR_MAPS, buf, sizeof buf, NULL, NULL), ZX_ERR_ACCESS_DENIED);
    const uint32_t ptopics[] = {ZX_INFO_PROCESS_MAPS,    ZX_INFO_PROCESS_MAPS_V1,
                                ZX_INFO_PROCESS_MAPS_V2, ZX_INFO_PROCESS_VMOS,
                                ZX_INFO_PROCESS_VMOS_V1, ZX_INFO_PROCESS_VMOS_V2,
                                ZX_INFO_PROCESS_VMOS_V3};
    for (size_t i = 0; i < G_N_ELEMENTS(ptopics); i++)
        EXPECT_ST(t_get_info(pr, ptopics[i], buf, sizeof buf, NULL, NULL), ZX_ERR_ACCESS_DENIED);
    /* INSPECT alone is enough. */
    EXPECT_OK(t_get_info(hdup(ROOT, ZX_RIGHT_INSPECT), ZX_INFO_VMAR, buf, 16, NULL, NULL));
    EXPECT_OK(t_get_info(hdup(SELF, ZX_RIGHT_INSPECT), ZX_INFO_PROCESS_MAPS, buf, 0, NULL, NULL));
}
END_TEST

/* VMO and HANDLE_BASIC topics need no right. */
START_TEST(info_no_right_topics)
{
    zx_handle_t v0 = hdup(mkvmo(3 * P_SZ, 0), ZX_RIGHT_NONE);
    zx_info_vmo_t i;
    EXPECT_OK(t_get_info(v0, ZX_INFO_VMO, &i, sizeof i, NULL, NULL));
    ck_assert_uint_eq(i.size_bytes, 3 * P_SZ);
    ck_assert_uint_eq(i.handle_rights, 0);
    zx_info_handle_basic_t b;
    EXPECT_OK(
        t_get_info(hdup(ROOT, ZX_RIGHT_NONE), ZX_INFO_HANDLE_BASIC, &b, sizeof b, NULL, NULL));
    ck_assert_uint_eq(b.type, ZX_OBJ_TYPE_VMAR);
}
END_TEST

/* Check 2 beats check 3 (buffer size) and the copy-out. */
START_TEST(info_rights_beat_buffer)
{
    zx_handle_t vr = hdup(ROOT, 0x20801F & ~ZX_RIGHT_INSPECT);
    size_t actual = 7, avail = 7;
    EXPECT_ST(t_get_info(vr, ZX_INFO_VMAR, NULL, 0, &actual, &avail), ZX_ERR_ACCESS_DENIED);
    ck_assert_uint_eq(actual, 7);
    ck_assert_uint_eq(avail, 7);
    EXPECT_ST(SC(SYS_object_get_info, vr, ZX_INFO_VMAR, G_KERNEL, 16, 0, 0), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(SC(SYS_object_get_info, ROOT, ZX_INFO_VMO, 0, 0, G_KERNEL, 0), ZX_ERR_WRONG_TYPE);
}
END_TEST

/* ---------------- single-record protocol ---------------- */

START_TEST(info_single_record_too_small)
{
    zx_handle_t v = mkvmo(P_SZ, 0);
    struct {
        zx_handle_t h;
        uint32_t topic;
        size_t size;
    } cases[] = {
        {v, ZX_INFO_HANDLE_BASIC, sizeof(zx_info_handle_basic_t)},
        {ROOT, ZX_INFO_VMAR, sizeof(zx_info_vmar_t)},
        {v, ZX_INFO_VMO, sizeof(zx_info_vmo_t)},
        {v, ZX_INFO_VMO_V1, sizeof(zx_info_vmo_v1_t)},
        {v, ZX_INFO_VMO_V2, sizeof(zx_info_vmo_v2_t)},
        {v, ZX_INFO_VMO_V3, sizeof(zx_info_vmo_v3_t)},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        uint8_t buf[256];
        memset(buf, 0xEE, sizeof buf);
        size_t actual = 9, avail = 9;
        EXPECT_ST(t_get_info(cases[i].h, cases[i].topic, buf, cases[i].size - 1, &actual, &avail),
                  ZX_ERR_BUFFER_TOO_SMALL);
        ck_assert_uint_eq(actual, 0);
        ck_assert_uint_eq(avail, 1);
        for (size_t j = 0; j < sizeof buf; j++)
            ck_assert_uint_eq(buf[j], 0xEE);
        EXPECT_ST(t_get_info(cases[i].h, cases[i].topic, NULL, 0, NULL, NULL),
                  ZX_ERR_BUFFER_TOO_SMALL);
        actual = avail = 9;
        EXPECT_OK(t_get_info(cases[i].h, cases[i].topic, buf, cases[i].size, &actual, &avail));
        ck_assert_uint_eq(actual, 1);
        ck_assert_uint_eq(avail, 1);
    }
}
END_TEST

START_TEST(info_single_record_copy_fault_invalid)
{
    zx_handle_t v = mkvmo(P_SZ, 0);
    EXPECT_ST(SC(SYS_object_get_info, v, ZX_INFO_HANDLE_BASIC, 0, 32, 0, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_object_get_info, v, ZX_INFO_VMO, ro_ptr(), 176, 0, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_object_get_info, ROOT, ZX_INFO_VMAR, G_KERNEL, 16, 0, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_object_get_info, v, ZX_INFO_VMO, beyond_ptr(), 176, 0, 0),
              ZX_ERR_INVALID_ARGS);
}
END_TEST

START_TEST(info_actual_avail_copy_fault_invalid)
{
    zx_handle_t v = mkvmo(P_SZ, 0);
    gva buf = galloc(176);
    EXPECT_ST(SC(SYS_object_get_info, v, ZX_INFO_VMO, buf, 176, ro_ptr(), 0), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_object_get_info, v, ZX_INFO_VMO, buf, 176, 0, G_KERNEL), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_object_get_info, SELF, ZX_INFO_PROCESS_MAPS, 0, 0, G_UNMAPPED, 0),
              ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_object_get_info, SELF, ZX_INFO_PROCESS_VMOS, 0, 0, 0, ro_ptr()),
              ZX_ERR_INVALID_ARGS);
}
END_TEST

/* Older VMO records are prefixes of the current one. */
START_TEST(info_vmo_versions_are_prefixes)
{
    zx_handle_t v = mkvmo(2 * P_SZ, ZX_VMO_RESIZABLE);
    char name[32] = "versions";
    EXPECT_OK(t_set_property(v, ZX_PROP_NAME, name, sizeof name));
    vfill(v, 0, 1, 1);
    zx_info_vmo_t cur = vmo_info(v);
    zx_info_vmo_v1_t v1;
    zx_info_vmo_v2_t v2;
    zx_info_vmo_v3_t v3;
    EXPECT_OK(t_get_info(v, ZX_INFO_VMO_V1, &v1, sizeof v1, NULL, NULL));
    EXPECT_OK(t_get_info(v, ZX_INFO_VMO_V2, &v2, sizeof v2, NULL, NULL));
    EXPECT_OK(t_get_info(v, ZX_INFO_VMO_V3, &v3, sizeof v3, NULL, NULL));
    ck_assert_mem_eq(&v1, &cur, sizeof v1);
    ck_assert_mem_eq(&v2, &cur, sizeof v2);
    ck_assert_mem_eq(&v3, &cur, sizeof v3);
    ck_assert_uint_eq(v3.populated_bytes, P_SZ);
}
END_TEST

/* ---------------- array protocol ---------------- */

START_TEST(info_array_zero_buffer_is_ok)
{
    const uint32_t topics[] = {ZX_INFO_PROCESS_MAPS,    ZX_INFO_PROCESS_MAPS_V1,
                               ZX_INFO_PROCESS_MAPS_V2, ZX_INFO_PROCESS_VMOS,
                               ZX_INFO_PROCESS_VMOS_V1, ZX_INFO_PROCESS_VMOS_V2,
                               ZX_INFO_PROCESS_VMOS_V3};
    mkvmo(P_SZ, 0);
    for (size_t i = 0; i < G_N_ELEMENTS(topics); i++) {
        size_t actual = 9, avail = 0;
        EXPECT_OK(t_get_info(SELF, topics[i], NULL, 0, &actual, &avail));
        ck_assert_uint_eq(actual, 0);
        ck_assert_uint_ge(avail, 2); /* maps: aspace, root...; vmos: handle, scratch */
    }
    size_t actual = 9, avail = 0;
    EXPECT_OK(t_get_info(ROOT, ZX_INFO_VMAR_MAPS, NULL, 0, &actual, &avail));
    ck_assert_uint_eq(actual, 0);
    ck_assert_uint_ge(avail, 2);
}
END_TEST

START_TEST(info_array_partial_fill)
{
    size_t actual = 0, avail = 0;
    EXPECT_OK(t_get_info(SELF, ZX_INFO_PROCESS_MAPS, NULL, 0, NULL, &avail));
    ck_assert_uint_ge(avail, 3);
    zx_info_maps_t recs[3];
    memset(recs, 0xAB, sizeof recs);
    size_t avail2 = 0;
    /* One and a half records fit: one is written. */
    EXPECT_OK(
        t_get_info(SELF, ZX_INFO_PROCESS_MAPS, recs, sizeof recs[0] * 3 / 2, &actual, &avail2));
    ck_assert_uint_eq(actual, 1);
    ck_assert_uint_eq(avail2, avail);
    ck_assert_uint_eq(recs[0].type, ZX_INFO_MAPS_TYPE_ASPACE);
    ck_assert_uint_eq(((uint8_t *)&recs[1])[sizeof recs[0] / 2 + 8], 0xAB);
}
END_TEST

START_TEST(info_array_bad_buffer_invalid)
{
    EXPECT_ST(SC(SYS_object_get_info, SELF, ZX_INFO_PROCESS_MAPS, 0, sizeof(zx_info_maps_t), 0, 0),
              ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_object_get_info, SELF, ZX_INFO_PROCESS_VMOS, ro_ptr(), 4096, 0, 0),
              ZX_ERR_INVALID_ARGS);
}
END_TEST

/* ---------------- HANDLE_VALID ---------------- */

START_TEST(info_handle_valid)
{
    EXPECT_OK(SC(SYS_object_get_info, hdup(mkvmo(P_SZ, 0), ZX_RIGHT_NONE), ZX_INFO_HANDLE_VALID, 0,
                 0, 0, 0));
    EXPECT_OK(SC(SYS_object_get_info, ROOT, ZX_INFO_HANDLE_VALID, 0, 0, 0, 0));
    EXPECT_ST(SC(SYS_object_get_info, dead_handle(), ZX_INFO_HANDLE_VALID, 0, 0, 0, 0),
              ZX_ERR_BAD_HANDLE);
    EXPECT_ST(SC(SYS_object_get_info, ZX_HANDLE_INVALID, ZX_INFO_HANDLE_VALID, 0, 0, 0, 0),
              ZX_ERR_BAD_HANDLE);
    /* Nothing is written, whatever pointers are passed. */
    size_t actual = 5, avail = 5;
    uint8_t buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    EXPECT_OK(t_get_info(SELF, ZX_INFO_HANDLE_VALID, buf, sizeof buf, &actual, &avail));
    ck_assert_uint_eq(actual, 5);
    ck_assert_uint_eq(avail, 5);
    ck_assert_uint_eq(buf[7], 8);
}
END_TEST

/* ---------------- HANDLE_BASIC / VMAR / VMO records ---------------- */

START_TEST(info_handle_basic_fields)
{
    zx_handle_t v = hdup(mkvmo(P_SZ, 0), ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE);
    zx_info_handle_basic_t b;
    memset(&b, 0xFF, sizeof b);
    EXPECT_OK(t_get_info(v, ZX_INFO_HANDLE_BASIC, &b, sizeof b, NULL, NULL));
    ck_assert_uint_eq(b.rights, ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE);
    ck_assert_uint_eq(b.type, ZX_OBJ_TYPE_VMO);
    ck_assert_uint_ge(b.koid, ZX_KOID_FIRST);
    ck_assert_uint_eq(b.related_koid, 0);
    ck_assert_uint_eq(b.reserved, 0);
    for (int i = 0; i < 4; i++)
        ck_assert_uint_eq(b.padding1[i], 0);
}
END_TEST

START_TEST(info_vmar_record)
{
    zx_handle_t c = 0;
    gva base = 0;
    EXPECT_OK(t_vmar_allocate(ROOT, ZX_VM_CAN_MAP_READ, 0, 7 * P_SZ, &c, &base));
    zx_info_vmar_t vi;
    memset(&vi, 0, sizeof vi);
    EXPECT_OK(t_get_info(c, ZX_INFO_VMAR, &vi, sizeof vi, NULL, NULL));
    ck_assert_uint_eq(vi.base, base);
    ck_assert_uint_eq(vi.len, 7 * P_SZ);
    EXPECT_OK(t_vmar_destroy(c));
    vi = vmar_info(c);
    ck_assert_uint_eq(vi.base, base);
    ck_assert_uint_eq(vi.len, 7 * P_SZ);
}
END_TEST

START_TEST(info_vmo_flags)
{
    ck_assert_uint_eq(vmo_info(mkvmo(P_SZ, 0)).flags, 0x9);
    ck_assert_uint_eq(vmo_info(mkvmo(P_SZ, ZX_VMO_RESIZABLE)).flags, 0xB);
    zx_handle_t h = mkvmo(P_SZ, 0);
    ck_assert_uint_eq(vmo_info(mkchild(h, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ)).flags, 0xD);
    ck_assert_uint_eq(vmo_info(mkchild(h, ZX_VMO_CHILD_SLICE, 0, P_SZ)).flags, 0x9);
    ck_assert_uint_eq(
        vmo_info(mkchild(h, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_NO_WRITE, 0, P_SZ)).flags,
        0xD | ZX_INFO_VMO_IMMUTABLE);
    ck_assert_uint_eq(
        vmo_info(mkchild(h, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE, 0, P_SZ)).flags,
        0xD | ZX_INFO_VMO_RESIZABLE);
    ck_assert_uint_eq(vmo_info(mkvmo(P_SZ, ZX_VMO_DISCARDABLE)).flags, 0x89);
}
END_TEST

START_TEST(info_vmo_fields)
{
    zx_handle_t h = mkvmo(3 * P_SZ + 1, 0);
    zx_handle_t ro = hdup(h, ZX_RIGHT_READ | ZX_RIGHT_MAP | ZX_RIGHT_DUPLICATE);
    zx_info_vmo_t i = vmo_info(ro);
    ck_assert_uint_eq(i.koid, koid_of(h));
    ck_assert_uint_eq(i.size_bytes, 4 * P_SZ);
    ck_assert_uint_eq(i.parent_koid, 0);
    ck_assert_uint_eq(i.num_children, 0);
    ck_assert_uint_eq(i.num_mappings, 0);
    ck_assert_uint_eq(i.handle_rights, ZX_RIGHT_READ | ZX_RIGHT_MAP | ZX_RIGHT_DUPLICATE);
    ck_assert_uint_eq(i.cache_policy, ZX_CACHE_POLICY_CACHED);
    ck_assert_uint_eq(i.committed_bytes, 0);
    ck_assert_uint_eq(i.committed_fractional_scaled_bytes, 0);
    EXPECT_OK(t_vmo_set_cache_policy(h, ZX_CACHE_POLICY_WRITE_COMBINING));
    ck_assert_uint_eq(vmo_info(h).cache_policy, ZX_CACHE_POLICY_WRITE_COMBINING);
}
END_TEST

START_TEST(info_vmo_committed_plain)
{
    zx_handle_t h = mkvmo(8 * P_SZ, 0);
    vfill(h, 0, 1, 1);
    vfill(h, 5 * P_SZ, P_SZ + 1, 1);
    zx_info_vmo_t i = vmo_info(h);
    ck_assert_uint_eq(i.committed_bytes, 3 * P_SZ);
    ck_assert_uint_eq(i.committed_private_bytes, 3 * P_SZ);
    ck_assert_uint_eq(i.committed_scaled_bytes, 3 * P_SZ);
    ck_assert_uint_eq(i.committed_fractional_scaled_bytes, 0);
    ck_assert_uint_eq(i.populated_bytes, 3 * P_SZ);
}
END_TEST

/* Mappings of a slice count on the slice. */
START_TEST(info_vmo_num_mappings_of_slice)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    zx_handle_t s = mkchild(h, ZX_VMO_CHILD_SLICE, 0, P_SZ);
    map_in(ROOT, s, R, 0, P_SZ);
    map_in(ROOT, s, R, 0, P_SZ);
    map_in(ROOT, h, R, 0, P_SZ);
    ck_assert_uint_eq(vmo_info(s).num_mappings, 2);
    ck_assert_uint_eq(vmo_info(h).num_mappings, 1);
}
END_TEST

START_TEST(info_vmo_num_children_all_types)
{
    zx_handle_t h = mkvmo(2 * P_SZ, 0);
    mkchild(h, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ);
    mkchild(h, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, P_SZ);
    mkchild(h, ZX_VMO_CHILD_SLICE, 0, P_SZ);
    mkchild(h, ZX_VMO_CHILD_REFERENCE, 0, 0);
    zx_handle_t g = mkchild(h, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ);
    mkchild(g, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ); /* a grandchild is not direct */
    ck_assert_uint_eq(vmo_info(h).num_children, 5);
    ck_assert_uint_eq(vmo_info(g).num_children, 1);
}
END_TEST

/* ---------------- PROCESS_MAPS / VMAR_MAPS ---------------- */

static zx_info_maps_t *find_map(GArray *a, gva base)
{
    for (guint i = 0; i < a->len; i++) {
        zx_info_maps_t *m = &g_array_index(a, zx_info_maps_t, i);
        if (m->base == base && m->type == ZX_INFO_MAPS_TYPE_MAPPING)
            return m;
    }
    return NULL;
}

START_TEST(process_maps_tree)
{
    gva cb;
    zx_handle_t c = sub_at(ROOT, ARENA_OFFSET, 16 * P_SZ, &cb);
    zx_handle_t v = mkvmo(4 * P_SZ, 0);
    char name[32] = "mapped-vmo";
    EXPECT_OK(t_set_property(v, ZX_PROP_NAME, name, sizeof name));
    gva inner = map_at(c, RW, 2 * P_SZ, v, P_SZ, 2 * P_SZ);
    gva outer = map_at(ROOT, R, ARENA_OFFSET + 32 * P_SZ, v, 0, P_SZ);
    GArray *a = maps_of(SELF, ZX_INFO_PROCESS_MAPS);
    ck_assert_uint_ge(a->len, 5);
    zx_info_maps_t *e0 = &g_array_index(a, zx_info_maps_t, 0);
    zx_info_maps_t *e1 = &g_array_index(a, zx_info_maps_t, 1);
    ck_assert_uint_eq(e0->type, ZX_INFO_MAPS_TYPE_ASPACE);
    ck_assert_uint_eq(e0->depth, 0);
    ck_assert_uint_eq(e1->type, ZX_INFO_MAPS_TYPE_VMAR);
    ck_assert_uint_eq(e1->depth, 1);
    ck_assert_uint_eq(e1->base, USER_BASE);
    ck_assert_uint_eq(e1->size, 0x0000FFFFFEE00000ull);
    for (guint i = 2; i < a->len; i++) {
        zx_info_maps_t *m = &g_array_index(a, zx_info_maps_t, i);
        ck_assert_uint_ge(m->depth, 2);
        ck_assert_uint_ge(m->base, g_array_index(a, zx_info_maps_t, i - 1).base);
    }
    zx_info_maps_t *mi = find_map(a, inner), *mo = find_map(a, outer);
    ck_assert_ptr_nonnull(mi);
    ck_assert_ptr_nonnull(mo);
    ck_assert_uint_eq(mi->depth, 3);
    ck_assert_uint_eq(mo->depth, 2);
    ck_assert_uint_eq(mi->size, 2 * P_SZ);
    ck_assert_uint_eq(mi->u.mapping.mmu_flags, RW);
    ck_assert_uint_eq(mi->u.mapping.vmo_koid, koid_of(v));
    ck_assert_uint_eq(mi->u.mapping.vmo_offset, P_SZ);
    ck_assert_str_eq(mi->name, "mapped-vmo");
    ck_assert_uint_eq(mo->u.mapping.mmu_flags, R);
    /* The sub-VMAR precedes its mapping, at depth 2. */
    zx_info_maps_t *prev = mi - 1;
    ck_assert_uint_eq(prev->type, ZX_INFO_MAPS_TYPE_VMAR);
    ck_assert_uint_eq(prev->base, cb);
    ck_assert_uint_eq(prev->size, 16 * P_SZ);
    ck_assert_uint_eq(prev->depth, 2);
    g_array_free(a, TRUE);
}
END_TEST

START_TEST(process_maps_committed_within_range)
{
    zx_handle_t v = mkvmo(4 * P_SZ, 0);
    vfill(v, 0, 1, 1);
    vfill(v, P_SZ, 1, 1);
    vfill(v, 3 * P_SZ, 1, 1);
    gva m = map_at(ROOT, R, ARENA_OFFSET, v, P_SZ, 2 * P_SZ);
    GArray *a = maps_of(SELF, ZX_INFO_PROCESS_MAPS);
    zx_info_maps_t *r = find_map(a, m);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(r->u.mapping.committed_bytes, P_SZ);
    ck_assert_uint_eq(r->u.mapping.populated_bytes, P_SZ);
    ck_assert_uint_eq(r->u.mapping.committed_private_bytes, P_SZ);
    ck_assert_uint_eq(r->u.mapping.committed_scaled_bytes, P_SZ);
    ck_assert_uint_eq(r->u.mapping.committed_fractional_scaled_bytes, 0);
    g_array_free(a, TRUE);
}
END_TEST

START_TEST(process_maps_old_versions)
{
    zx_handle_t v = mkvmo(4 * P_SZ, 0);
    vfill(v, 2 * P_SZ, 1, 1);
    gva m = map_at(ROOT, RW, ARENA_OFFSET, v, P_SZ, 3 * P_SZ);
    size_t avail = 0, avail1 = 0, avail2 = 0, actual = 0;
    EXPECT_OK(t_get_info(SELF, ZX_INFO_PROCESS_MAPS, NULL, 0, NULL, &avail));
    zx_info_maps_v1_t *v1 = g_new0(zx_info_maps_v1_t, avail);
    zx_info_maps_v2_t *v2 = g_new0(zx_info_maps_v2_t, avail);
    EXPECT_OK(t_get_info(SELF, ZX_INFO_PROCESS_MAPS_V1, v1, avail * sizeof *v1, &actual, &avail1));
    ck_assert_uint_eq(actual, avail);
    EXPECT_OK(t_get_info(SELF, ZX_INFO_PROCESS_MAPS_V2, v2, avail * sizeof *v2, &actual, &avail2));
    ck_assert_uint_eq(actual, avail);
    ck_assert_uint_eq(avail1, avail);
    ck_assert_uint_eq(avail2, avail);
    bool found = false;
    for (size_t i = 0; i < avail; i++) {
        if (v1[i].base != m || v1[i].type != ZX_INFO_MAPS_TYPE_MAPPING)
            continue;
        found = true;
        ck_assert_uint_eq(v1[i].size, 3 * P_SZ);
        ck_assert_uint_eq(v1[i].u.mapping.vmo_offset, P_SZ);
        ck_assert_uint_eq(v1[i].u.mapping.committed_pages, 1);
        ck_assert_uint_eq(v1[i].u.mapping.mmu_flags, RW);
        ck_assert_uint_eq(v2[i].base, m);
        ck_assert_uint_eq(v2[i].u.mapping.committed_pages, 1);
        ck_assert_uint_eq(v2[i].u.mapping.populated_pages, 1);
        ck_assert_uint_eq(v2[i].u.mapping.vmo_koid, koid_of(v));
    }
    ck_assert(found);
    g_free(v1);
    g_free(v2);
}
END_TEST

/* The core test's merge: 3 pages at offset 0 then 2 pages at offset 3P. */
START_TEST(maps_adjacent_mappings_merge)
{
    gva base;
    zx_handle_t c = sub_at(ROOT, ARENA_OFFSET, 16 * P_SZ, &base);
    zx_handle_t v = mkvmo(8 * P_SZ, 0);
    map_at(c, R, 0, v, 0, 3 * P_SZ);
    map_at(c, R, 3 * P_SZ, v, 3 * P_SZ, 2 * P_SZ);
    /* The guest sees exactly five mapped pages. */
    uint8_t b;
    EXPECT_OK(g_load8(base + 4 * P_SZ, &b));
    EXPECT_ST(g_load8(base + 5 * P_SZ, &b), ZX_ERR_NOT_FOUND);
    GArray *m = mappings_in(c);
    ck_assert_uint_eq(m->len, 1);
    ck_assert_uint_eq(g_array_index(m, zx_info_maps_t, 0).base, base);
    ck_assert_uint_eq(g_array_index(m, zx_info_maps_t, 0).size, 5 * P_SZ);
    g_array_free(m, TRUE);
    GArray *p = maps_of(SELF, ZX_INFO_PROCESS_MAPS);
    ck_assert_ptr_nonnull(find_map(p, base));
    ck_assert_uint_eq(find_map(p, base)->size, 5 * P_SZ);
    g_array_free(p, TRUE);
}
END_TEST

START_TEST(maps_no_merge_when_different)
{
    zx_handle_t c = sub_at(ROOT, ARENA_OFFSET, 32 * P_SZ, NULL);
    zx_handle_t v = mkvmo(16 * P_SZ, 0), w = mkvmo(16 * P_SZ, 0);
    map_at(c, R, 0, v, 0, 2 * P_SZ);
    map_at(c, RW, 2 * P_SZ, v, 2 * P_SZ, 2 * P_SZ);  /* other permissions */
    map_at(c, RW, 4 * P_SZ, v, 8 * P_SZ, 2 * P_SZ);  /* non-contiguous offset */
    map_at(c, RW, 6 * P_SZ, w, 10 * P_SZ, 2 * P_SZ); /* other VMO */
    GArray *m = mappings_in(c);
    ck_assert_uint_eq(m->len, 4);
    g_array_free(m, TRUE);
}
END_TEST

START_TEST(vmar_maps_first_record_is_the_vmar)
{
    gva base, cb;
    zx_handle_t a = sub_at(ROOT, ARENA_OFFSET, 64 * P_SZ, &base);
    zx_handle_t c = sub_at(a, 8 * P_SZ, 8 * P_SZ, &cb);
    zx_handle_t v = mkvmo(P_SZ, 0);
    gva m0 = map_at(a, R, 0, v, 0, P_SZ);
    gva m1 = map_at(c, R, P_SZ, v, 0, P_SZ);
    GArray *r = maps_of(a, ZX_INFO_VMAR_MAPS);
    ck_assert_uint_eq(r->len, 4);
    zx_info_maps_t *e = (zx_info_maps_t *)r->data;
    ck_assert_uint_eq(e[0].type, ZX_INFO_MAPS_TYPE_VMAR);
    ck_assert_uint_eq(e[0].base, base);
    ck_assert_uint_eq(e[0].size, 64 * P_SZ);
    ck_assert_uint_eq(e[1].type, ZX_INFO_MAPS_TYPE_MAPPING);
    ck_assert_uint_eq(e[1].base, m0);
    ck_assert_uint_eq(e[1].depth, e[0].depth + 1);
    ck_assert_uint_eq(e[2].type, ZX_INFO_MAPS_TYPE_VMAR);
    ck_assert_uint_eq(e[2].base, cb);
    ck_assert_uint_eq(e[2].depth, e[0].depth + 1);
    ck_assert_uint_eq(e[3].base, m1);
    ck_assert_uint_eq(e[3].depth, e[0].depth + 2);
    g_array_free(r, TRUE);
}
END_TEST

/* ---------------- PROCESS_VMOS ---------------- */

static size_t count_vmo_records(zx_koid_t koid, uint32_t via, zx_rights_t *rights)
{
    size_t avail = 0, actual = 0, n = 0;
    EXPECT_OK(t_get_info(SELF, ZX_INFO_PROCESS_VMOS, NULL, 0, NULL, &avail));
    zx_info_vmo_t *recs = g_new0(zx_info_vmo_t, avail + 1);
    EXPECT_OK(t_get_info(SELF, ZX_INFO_PROCESS_VMOS, recs, avail * sizeof *recs, &actual, NULL));
    ck_assert_uint_eq(actual, avail);
    for (size_t i = 0; i < actual; i++) {
        if (recs[i].koid == koid && (recs[i].flags & via)) {
            n++;
            if (rights && via == ZX_INFO_VMO_VIA_HANDLE)
                *rights = recs[i].handle_rights;
        }
    }
    g_free(recs);
    return n;
}

START_TEST(process_vmos_handles_and_mappings)
{
    zx_handle_t v = mkvmo(P_SZ, 0);
    zx_koid_t k = koid_of(v);
    zx_rights_t r = 0;
    ck_assert_uint_eq(count_vmo_records(k, ZX_INFO_VMO_VIA_HANDLE, &r), 1);
    ck_assert_uint_eq(r, 0xD0EF);
    ck_assert_uint_eq(count_vmo_records(k, ZX_INFO_VMO_VIA_MAPPING, NULL), 0);
    hdup(v, ZX_RIGHT_READ);
    ck_assert_uint_eq(count_vmo_records(k, ZX_INFO_VMO_VIA_HANDLE, NULL), 2);
    map_in(ROOT, v, R, 0, P_SZ);
    map_in(ROOT, v, R, 0, P_SZ);
    ck_assert_uint_ge(count_vmo_records(k, ZX_INFO_VMO_VIA_MAPPING, NULL), 1);
    EXPECT_OK(t_handle_close(v));
    ck_assert_uint_eq(count_vmo_records(k, ZX_INFO_VMO_VIA_HANDLE, NULL), 1);
}
END_TEST

START_TEST(process_vmos_old_versions)
{
    mkvmo(P_SZ, 0);
    size_t avail = 0;
    EXPECT_OK(t_get_info(SELF, ZX_INFO_PROCESS_VMOS, NULL, 0, NULL, &avail));
    const struct {
        uint32_t topic;
        size_t size;
    } v[] = {{ZX_INFO_PROCESS_VMOS_V1, 104},
             {ZX_INFO_PROCESS_VMOS_V2, 120},
             {ZX_INFO_PROCESS_VMOS_V3, 128},
             {ZX_INFO_PROCESS_VMOS, 176}};
    for (size_t i = 0; i < G_N_ELEMENTS(v); i++) {
        size_t actual = 0, av = 0;
        uint8_t *buf = g_malloc0(v[i].size * avail);
        /* One byte short of all records: one record fewer. */
        EXPECT_OK(t_get_info(SELF, v[i].topic, buf, v[i].size * avail - 1, &actual, &av));
        ck_assert_uint_eq(actual, avail - 1);
        ck_assert_uint_eq(av, avail);
        EXPECT_OK(t_get_info(SELF, v[i].topic, buf, v[i].size * avail, &actual, &av));
        ck_assert_uint_eq(actual, avail);
        g_free(buf);
    }
}
END_TEST

/* ---------------- properties ---------------- */

/* NULL value is checked before the handle. */
START_TEST(prop_null_value_before_handle)
{
    EXPECT_ST(SC(SYS_object_get_property, dead_handle(), ZX_PROP_NAME, 0, 32), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_object_set_property, dead_handle(), ZX_PROP_NAME, 0, 32), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_object_get_property, ROOT, 999, 0, 8), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_object_set_property, mkvmo(P_SZ, 0), ZX_PROP_NAME, 0, 0), ZX_ERR_INVALID_ARGS);
}
END_TEST

START_TEST(prop_bad_handle)
{
    char name[32] = {0};
    EXPECT_ST(t_get_property(dead_handle(), ZX_PROP_NAME, name, 32), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(t_set_property(ZX_HANDLE_INVALID, ZX_PROP_NAME, name, 32), ZX_ERR_BAD_HANDLE);
}
END_TEST

START_TEST(prop_needs_property_rights)
{
    zx_handle_t v = mkvmo(P_SZ, 0);
    char name[32] = "x";
    EXPECT_ST(t_get_property(hdup(v, 0xD0EF & ~ZX_RIGHT_GET_PROPERTY), ZX_PROP_NAME, name, 32),
              ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(t_set_property(hdup(v, 0xD0EF & ~ZX_RIGHT_SET_PROPERTY), ZX_PROP_NAME, name, 32),
              ZX_ERR_ACCESS_DENIED);
    /* Rights come before the property is looked at. */
    EXPECT_ST(t_get_property(hdup(v, 0xD0EF & ~ZX_RIGHT_GET_PROPERTY), 999, name, 32),
              ZX_ERR_ACCESS_DENIED);
}
END_TEST

/* VMAR handles never hold property rights: ACCESS_DENIED (docs/semantics.md "Properties"). */
START_TEST(prop_vmar_access_denied)
{
    char name[32] = "vmar";
    EXPECT_ST(t_get_property(ROOT, ZX_PROP_NAME, name, 32), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(t_set_property(ROOT, ZX_PROP_NAME, name, 32), ZX_ERR_ACCESS_DENIED);
    uint64_t cs = 0;
    EXPECT_ST(t_get_property(ROOT, ZX_PROP_VMO_CONTENT_SIZE, &cs, 8), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(t_get_property(ROOT, 999, &cs, 8), ZX_ERR_ACCESS_DENIED);
}
END_TEST

START_TEST(prop_unknown_not_supported)
{
    uint64_t val = 0;
    EXPECT_ST(t_get_property(mkvmo(P_SZ, 0), 999, &val, 8), ZX_ERR_NOT_SUPPORTED);
    EXPECT_ST(t_set_property(mkvmo(P_SZ, 0), 0, &val, 8), ZX_ERR_NOT_SUPPORTED);
    /* Before the type check. */
    EXPECT_ST(t_get_property(SELF, 999, &val, 8), ZX_ERR_NOT_SUPPORTED);
}
END_TEST

START_TEST(prop_wrong_object_type)
{
    uint64_t val = 0;
    EXPECT_ST(t_get_property(SELF, ZX_PROP_VMO_CONTENT_SIZE, &val, 8), ZX_ERR_WRONG_TYPE);
    EXPECT_ST(t_set_property(SELF, ZX_PROP_VMO_CONTENT_SIZE, &val, 8), ZX_ERR_WRONG_TYPE);
}
END_TEST

START_TEST(prop_name_get_buffer_too_small)
{
    char name[31];
    EXPECT_ST(t_get_property(mkvmo(P_SZ, 0), ZX_PROP_NAME, name, 31), ZX_ERR_BUFFER_TOO_SMALL);
    EXPECT_ST(t_get_property(mkvmo(P_SZ, 0), ZX_PROP_NAME, name, 0), ZX_ERR_BUFFER_TOO_SMALL);
}
END_TEST

START_TEST(prop_name_get_writes_exactly_32)
{
    zx_handle_t v = mkvmo(P_SZ, 0);
    const char *n = "abc";
    EXPECT_OK(t_set_property(v, ZX_PROP_NAME, n, 3));
    uint8_t buf[40];
    memset(buf, 0xAA, sizeof buf);
    EXPECT_OK(t_get_property(v, ZX_PROP_NAME, buf, sizeof buf));
    ck_assert_mem_eq(buf, "abc", 3);
    for (int i = 3; i < 32; i++)
        ck_assert_uint_eq(buf[i], 0);
    for (int i = 32; i < 40; i++)
        ck_assert_uint_eq(buf[i], 0xAA);
}
END_TEST

START_TEST(prop_name_set_truncates_to_31)
{
    zx_handle_t v = mkvmo(P_SZ, 0);
    const char *longname = "0123456789abcdef0123456789abcdefXYZ";
    EXPECT_OK(t_set_property(v, ZX_PROP_NAME, longname, strlen(longname)));
    char got[32];
    EXPECT_OK(t_get_property(v, ZX_PROP_NAME, got, 32));
    ck_assert_uint_eq(strnlen(got, 32), 31);
    ck_assert_mem_eq(got, longname, 31);
    ck_assert_str_eq(vmo_info(v).name, got);
}
END_TEST

START_TEST(prop_name_set_uses_value_size)
{
    zx_handle_t v = mkvmo(P_SZ, 0);
    EXPECT_OK(t_set_property(v, ZX_PROP_NAME, "abcdef", 3));
    ck_assert_str_eq(vmo_info(v).name, "abc");
    /* A name is a C string: stops at the NUL. */
    EXPECT_OK(t_set_property(v, ZX_PROP_NAME, "ab\0cd", 5));
    ck_assert_str_eq(vmo_info(v).name, "ab");
}
END_TEST

START_TEST(prop_name_set_unreadable_invalid)
{
    zx_handle_t v = mkvmo(P_SZ, 0);
    EXPECT_ST(SC(SYS_object_set_property, v, ZX_PROP_NAME, G_UNMAPPED, 8), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_object_set_property, v, ZX_PROP_NAME, noperm_ptr(), 8), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_object_get_property, v, ZX_PROP_NAME, ro_ptr(), 32), ZX_ERR_INVALID_ARGS);
    ck_assert_str_eq(vmo_info(v).name, "");
}
END_TEST

START_TEST(prop_process_name)
{
    char name[32] = "renamed";
    EXPECT_OK(t_set_property(SELF, ZX_PROP_NAME, name, sizeof name));
    char got[32] = {0};
    EXPECT_OK(t_get_property(SELF, ZX_PROP_NAME, got, sizeof got));
    ck_assert_str_eq(got, "renamed");
}
END_TEST

START_TEST(prop_content_size_get_set)
{
    zx_handle_t v = mkvmo(2 * P_SZ, 0);
    vfill(v, 0, 2 * P_SZ, 0xCC);
    uint64_t cs = 100;
    EXPECT_OK(t_set_property(v, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs));
    ck_assert_uint_eq(content_size(v), 100);
    ck_assert_uint_eq(vmo_size(v), 2 * P_SZ);
    vexpect(v, 0, 100, 0xCC);
    vexpect(v, 100, 2 * P_SZ - 100, 0);
    uint64_t ss = 0;
    EXPECT_OK(t_vmo_get_stream_size(v, &ss));
    ck_assert_uint_eq(ss, 100);
}
END_TEST

START_TEST(prop_content_size_set_needs_write)
{
    zx_handle_t v = mkvmo(P_SZ, 0);
    uint64_t cs = 10;
    EXPECT_ST(t_set_property(hdup(v, 0xD0EF & ~ZX_RIGHT_WRITE), ZX_PROP_VMO_CONTENT_SIZE, &cs, 8),
              ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(
        t_set_property(hdup(v, 0xD0EF & ~ZX_RIGHT_SET_PROPERTY), ZX_PROP_VMO_CONTENT_SIZE, &cs, 8),
        ZX_ERR_ACCESS_DENIED);
    EXPECT_OK(t_get_property(hdup(v, ZX_RIGHT_GET_PROPERTY), ZX_PROP_VMO_CONTENT_SIZE, &cs, 8));
    ck_assert_uint_eq(cs, P_SZ);
}
END_TEST

START_TEST(prop_content_size_follows_set_size)
{
    zx_handle_t v = mkvmo(P_SZ, ZX_VMO_RESIZABLE);
    EXPECT_OK(t_vmo_set_size(v, 3 * P_SZ + 5));
    ck_assert_uint_eq(content_size(v), 3 * P_SZ + 5);
}
END_TEST

Suite *info_suite(void)
{
    Suite *s = suite_create("vm_info");
    TCase *tc = h_tcase("check_order");
    ADD(tc, info_unknown_topic_before_handle);
    ADD(tc, info_bad_handle);
    ADD(tc, info_wrong_type);
    ADD(tc, info_wrong_type_beats_rights);
    ADD(tc, info_needs_inspect);
    ADD(tc, info_no_right_topics);
    ADD(tc, info_rights_beat_buffer);
    suite_add_tcase(s, tc);

    tc = h_tcase("protocol");
    ADD(tc, info_single_record_too_small);
    ADD(tc, info_single_record_copy_fault_invalid);
    ADD(tc, info_actual_avail_copy_fault_invalid);
    ADD(tc, info_vmo_versions_are_prefixes);
    ADD(tc, info_array_zero_buffer_is_ok);
    ADD(tc, info_array_partial_fill);
    ADD(tc, info_array_bad_buffer_invalid);
    ADD(tc, info_handle_valid);
    suite_add_tcase(s, tc);

    tc = h_tcase("records");
    ADD(tc, info_handle_basic_fields);
    ADD(tc, info_vmar_record);
    ADD(tc, info_vmo_flags);
    ADD(tc, info_vmo_fields);
    ADD(tc, info_vmo_committed_plain);
    ADD(tc, info_vmo_num_mappings_of_slice);
    ADD(tc, info_vmo_num_children_all_types);
    ADD(tc, process_maps_tree);
    ADD(tc, process_maps_committed_within_range);
    ADD(tc, process_maps_old_versions);
    ADD(tc, maps_adjacent_mappings_merge);
    ADD(tc, maps_no_merge_when_different);
    ADD(tc, vmar_maps_first_record_is_the_vmar);
    ADD(tc, process_vmos_handles_and_mappings);
    ADD(tc, process_vmos_old_versions);
    suite_add_tcase(s, tc);

    tc = h_tcase("properties");
    ADD(tc, prop_null_value_before_handle);
    ADD(tc, prop_bad_handle);
    ADD(tc, prop_needs_property_rights);
    ADD(tc, prop_vmar_access_denied);
    ADD(tc, prop_unknown_not_supported);
    ADD(tc, prop_wrong_object_type);
    ADD(tc, prop_name_get_buffer_too_small);
    ADD(tc, prop_name_get_writes_exactly_32);
    ADD(tc, prop_name_set_truncates_to_31);
    ADD(tc, prop_name_set_uses_value_size);
    ADD(tc, prop_name_set_unreadable_invalid);
    ADD(tc, prop_process_name);
    ADD(tc, prop_content_size_get_set);
    ADD(tc, prop_content_size_set_needs_write);
    ADD(tc, prop_content_size_follows_set_size);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return h_run(info_suite());
}

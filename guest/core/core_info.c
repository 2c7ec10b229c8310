/* Zircon core tests of zx_object_get_info for processes, VMARs and the VMOs
 * and mappings they hold, re-expressed as a zxsim guest. Each case is named
 * "Suite.Test" after the upstream test it checks:
 *
 *   ProcessGetInfoTest.*   zircon/system/utest/core/object-info/
 *                          process-object-info-test.cc
 *   VmarGetInfoTest.*,
 *   VmarMapsGetInfoTest.*  .../object-info/vmar-object-info-test.cc
 *   ObjectGetInfoTest.*    .../object-info/basic-object-info-test.cc
 *
 * Adaptations (zxsim runs one process with one thread):
 *   - The upstream fixture starts a mini-process holding a VMO handle and a
 *     sub-VMAR with eight one-page mappings of another VMO. Here the test
 *     process builds the same thing in its own address space
 *     (set_up_fixture()): PROCESS_MAPS and PROCESS_VMOS of the process
 *     itself, and VMAR_MAPS of its root VMAR, must show it.
 *   - "...JobHandleIsBadHandle" / "...ThreadHandleIsBadHandle" need jobs
 *     and threads; the same rule (a handle of the wrong type) is checked
 *     with VMO and VMAR handles in the cases named "...WrongHandleType",
 *     expecting ZX_ERR_WRONG_TYPE (docs/semantics.md "Handle lookup") where upstream accepts any
 *     error.
 *   - ClosedValidHandleFails uses a VMO instead of an event.
 *   - The older copies call some cases "...OnSelfFails" although they
 *     check success, and map InvalidBufferPointerFails / BadActual /
 *     BadAvail onto the null-pointer checks; the newer copy of
 *     vmar-object-info-test.cc gives them their real meaning, which is
 *     what is checked here for every topic.
 *
 * The newer copies (misttech/fuchsia mirror) add the smoke tests over the
 * older record layouts (InfoProcessMapsSmokeTestV1/V2,
 * InfoProcessVmosSmokeTestV1/V2/V3) and correct the spelling of some names
 * (InfoProcessVmosOnSelfSucceeds, InfoHandleBasicOnSelfSucceeds,
 * InfoProcessOnSelfSucceeds, OpenValidHandleSucceeds); the cases here use
 * the newer names.
 *
 * Left out: InfoProcessMapsUnstartedSuceeds, InfoVmarMapsProcessDestroyedFails
 * (other processes), InfoProcessHandleStats, InfoProcessHandleTable*
 * (ZX_INFO_PROCESS_HANDLE_STATS / HANDLE_TABLE, channels),
 * InfoProcessThreads* (ZX_INFO_PROCESS_THREADS, threads),
 * HandleCountCorrectness (ZX_INFO_HANDLE_COUNT, events) and the
 * TaskGetInfoTest family (ZX_INFO_TASK_STATS): topics and objects zxsim
 * does not have. */
#include "../conformance/conf.h"

/* ---- generic checks of one topic (upstream helper.h) ---- */

static uint8_t info_buf[64 * 1024] __attribute__((aligned(16)));

/* A buffer of `n` records is accepted and gives OK. */
static void check_self_succeeds(zx_handle_t h, uint32_t topic, size_t rec, size_t n)
{
    size_t actual = 0, avail = 0;
    EXPECT_OK(zx_object_get_info(h, topic, info_buf, rec * n, &actual, &avail));
}

static void check_invalid_handle(uint32_t topic, size_t rec)
{
    size_t actual = 0, avail = 0;
    EXPECT_STATUS(zx_object_get_info(ZX_HANDLE_INVALID, topic, info_buf, rec, &actual, &avail),
                  ZX_ERR_BAD_HANDLE);
}

static void check_null_avail(zx_handle_t h, uint32_t topic, size_t rec)
{
    size_t actual = 0;
    EXPECT_OK(zx_object_get_info(h, topic, info_buf, rec, &actual, NULL));
}

static void check_null_actual(zx_handle_t h, uint32_t topic, size_t rec)
{
    size_t avail = 0;
    EXPECT_OK(zx_object_get_info(h, topic, info_buf, rec, NULL, &avail));
}

static void check_null_both(zx_handle_t h, uint32_t topic, size_t rec)
{
    EXPECT_OK(zx_object_get_info(h, topic, info_buf, rec, NULL, NULL));
}

/* The record cannot be copied to address 1. */
static void check_bad_buffer(zx_handle_t h, uint32_t topic, size_t rec)
{
    size_t actual = 0, avail = 0;
    EXPECT_STATUS(zx_object_get_info(h, topic, (void *)1, rec, &actual, &avail),
                  ZX_ERR_INVALID_ARGS);
}

static void check_bad_actual(zx_handle_t h, uint32_t topic, size_t rec)
{
    size_t avail = 0;
    EXPECT_STATUS(zx_object_get_info(h, topic, info_buf, rec, (size_t *)1, &avail),
                  ZX_ERR_INVALID_ARGS);
}

static void check_bad_avail(zx_handle_t h, uint32_t topic, size_t rec)
{
    size_t actual = 0;
    EXPECT_STATUS(zx_object_get_info(h, topic, info_buf, rec, &actual, (size_t *)1),
                  ZX_ERR_INVALID_ARGS);
}

/* A single-record topic refuses an empty buffer but says what it has. */
static void check_zero_size_fails(zx_handle_t h, uint32_t topic)
{
    size_t actual = 99, avail = 0;
    EXPECT_STATUS(zx_object_get_info(h, topic, info_buf, 0, &actual, &avail),
                  ZX_ERR_BUFFER_TOO_SMALL);
    EXPECT_EQ(actual, 0);
    EXPECT_GT(avail, 0);
}

/* An array topic takes an empty buffer and says how many records exist. */
static void check_zero_size_ok(zx_handle_t h, uint32_t topic)
{
    size_t actual = 99, avail = 0;
    EXPECT_OK(zx_object_get_info(h, topic, info_buf, 0, &actual, &avail));
    EXPECT_EQ(actual, 0);
    EXPECT_GT(avail, 0);
}

/* An array topic fills a one-record buffer and reports more available. */
static void check_small_buffer(zx_handle_t h, uint32_t topic, size_t rec)
{
    size_t actual = 0, avail = 0;
    EXPECT_OK(zx_object_get_info(h, topic, info_buf, rec, &actual, &avail));
    EXPECT_EQ(actual, 1);
    EXPECT_GT(avail, actual);
}

/* A buffer whose first record fits the end of a mapped page and whose next
 * ones fall into unmapped space. */
static void check_partially_unmapped(zx_handle_t h, uint32_t topic, size_t rec)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = subvmar(ROOT, ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC,
                            0, 2 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    ASSERT_EQ(map(v, RW | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE), base);
    void *entries = (void *)(base + PAGE - rec);
    size_t actual = 0, avail = 0;
    EXPECT_STATUS(zx_object_get_info(h, topic, entries, 4 * rec, &actual, &avail),
                  ZX_ERR_INVALID_ARGS);
}

/* The same handle without `right` is refused. */
static void check_missing_right(zx_handle_t h, uint32_t topic, size_t rec, zx_rights_t right)
{
    zx_rights_t rights = rights_of(h);
    ASSERT_EQ(rights & right, right);
    zx_handle_t weak = dup(h, rights & ~right);
    size_t actual = 0, avail = 0;
    EXPECT_STATUS(zx_object_get_info(weak, topic, info_buf, 32 * rec, &actual, &avail),
                  ZX_ERR_ACCESS_DENIED);
}

static void check_wrong_type(zx_handle_t h, uint32_t topic, size_t rec)
{
    size_t actual = 0, avail = 0;
    EXPECT_STATUS(zx_object_get_info(h, topic, info_buf, 32 * rec, &actual, &avail),
                  ZX_ERR_WRONG_TYPE);
}

/* ---- the fixture ---- */

#define FX_MAPPINGS 8

static struct {
    zx_handle_t vmar;
    zx_vaddr_t vmar_base;
    size_t vmar_size;
    zx_vaddr_t base[FX_MAPPINGS];
    uint32_t perms[FX_MAPPINGS];
    zx_koid_t unmapped_koid, mapped_koid;
} fx;

/* A VMO known only by handle, and a region holding eight one-page mappings
 * of another VMO, each page with its own mix of R, W and X. The mapped
 * VMO's handle is closed, so it is known only through the mappings. */
static void set_up_fixture(void)
{
    zx_handle_t unmapped = vmo_create(PAGE, 0);
    (void)zx_object_set_property(unmapped, ZX_PROP_NAME, "test:unmapped", 13);
    fx.unmapped_koid = koid_of(unmapped);

    fx.vmar_size = PAGE * FX_MAPPINGS * 16;
    fx.vmar = subvmar(ROOT, ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE, 0,
                      fx.vmar_size, &fx.vmar_base);

    zx_handle_t vmo = ZX_HANDLE_INVALID, exec = ZX_HANDLE_INVALID;
    ASSERT_OK(zx_vmo_create(FX_MAPPINGS * PAGE, 0, &vmo));
    (void)zx_object_set_property(vmo, ZX_PROP_NAME, "test:mapped", 11);
    ASSERT_OK(zx_vmo_replace_as_executable(vmo, ZX_HANDLE_INVALID, &exec));
    track(exec);
    fx.mapped_koid = koid_of(exec);
    for (size_t i = 0; i < FX_MAPPINGS; i++) {
        fx.perms[i] =
            ZX_VM_PERM_READ | (i & 1 ? ZX_VM_PERM_WRITE : 0) | (i & 2 ? ZX_VM_PERM_EXECUTE : 0);
        fx.base[i] = map(fx.vmar, fx.perms[i], 0, exec, i * PAGE, PAGE);
    }
    ASSERT_OK(zx_handle_close(exec));
}

/* Index of the fixture mapping at `base` with `size`, or -1. */
static int fx_mapping(zx_vaddr_t base, size_t size)
{
    for (int i = 0; i < FX_MAPPINGS; i++)
        if (fx.base[i] == base && size == PAGE)
            return i;
    return -1;
}

#define MAX_MAPS 512
static zx_info_maps_t maps1[MAX_MAPS], maps2[MAX_MAPS];
#define MAX_VMOS 256
static zx_info_vmo_t vmos1[MAX_VMOS], vmos2[MAX_VMOS];

/* ================= process-object-info-test.cc ================= */

/* The records of a PROCESS_MAPS topic, whatever its version, read into
 * current-layout records: every version shares the header and the first
 * fields of the mapping part (mmu_flags, vmo_koid, vmo_offset), and only
 * those are looked at. */
static size_t read_maps(uint32_t topic, size_t rec, zx_info_maps_t *out, size_t max, size_t *avail)
{
    static uint8_t raw[MAX_MAPS * sizeof(zx_info_maps_t)];
    size_t actual = 0;
    *avail = 0;
    if (!EXPECT_OK(zx_object_get_info(SELF, topic, raw, max * rec, &actual, avail)))
        return 0;
    for (size_t i = 0; i < actual; i++) {
        memset(&out[i], 0, sizeof out[i]);
        memcpy(&out[i], raw + i * rec, rec < sizeof out[i] ? rec : sizeof out[i]);
    }
    return actual;
}

/* InfoProcessMapsSmokeTest for one version of the topic. */
static void maps_smoke_test(uint32_t topic, size_t rec)
{
    set_up_fixture();
    size_t avail = 0;
    size_t actual = read_maps(topic, rec, maps1, MAX_MAPS, &avail);
    EXPECT_EQ(actual, avail);
    ASSERT_GE(actual, 2);

    /* The address space, then the root VMAR inside it. */
    EXPECT_EQ(maps1[0].type, ZX_INFO_MAPS_TYPE_ASPACE);
    EXPECT_EQ(maps1[0].depth, 0);
    EXPECT_GT(maps1[0].size, 128ull << 30);
    EXPECT_EQ(maps1[1].type, ZX_INFO_MAPS_TYPE_VMAR);
    EXPECT_EQ(maps1[1].depth, 1);
    EXPECT_LE(maps1[1].size, maps1[0].size);

    bool saw_vmar = false, under = false;
    size_t vmar_depth = 0;
    uint32_t seen = 0;
    for (size_t i = 2; i < actual; i++) {
        const zx_info_maps_t *e = &maps1[i];
        EXPECT_GT(e->depth, 1);
        EXPECT_GE(e->type, ZX_INFO_MAPS_TYPE_ASPACE);
        EXPECT_LE(e->type, ZX_INFO_MAPS_TYPE_MAPPING);
        if (e->type == ZX_INFO_MAPS_TYPE_VMAR && e->base == fx.vmar_base &&
            e->size == fx.vmar_size) {
            saw_vmar = under = true;
            vmar_depth = e->depth;
            continue;
        }
        if (!under)
            continue;
        if (e->depth <= vmar_depth) {
            under = false;
            continue;
        }
        /* Inside our region: only our mappings, each once, with its
         * permissions. */
        EXPECT_EQ(e->type, ZX_INFO_MAPS_TYPE_MAPPING);
        EXPECT_LE(fx.vmar_base, e->base);
        EXPECT_LE(e->base + e->size, fx.vmar_base + fx.vmar_size);
        int j = fx_mapping(e->base, e->size);
        if (!EXPECT_GE(j, 0))
            continue;
        EXPECT_EQ(seen & (1u << j), 0);
        seen |= 1u << j;
        EXPECT_EQ(e->u.mapping.mmu_flags, fx.perms[j]);
        EXPECT_EQ(e->u.mapping.vmo_koid, fx.mapped_koid);
        EXPECT_EQ(e->u.mapping.vmo_offset, j * PAGE);
    }
    EXPECT_TRUE(saw_vmar);
    EXPECT_EQ(seen, (1u << FX_MAPPINGS) - 1);

    /* A shorter buffer: fewer records, the same ones, the same total. */
    size_t avail2 = 0;
    size_t actual2 = read_maps(topic, rec, maps2, actual * 3 / 4, &avail2);
    EXPECT_LT(actual2, avail2);
    EXPECT_EQ(avail, avail2);
    EXPECT_GT(actual2, 3);
    for (size_t i = 0; i < actual2; i++) {
        EXPECT_EQ(maps1[i].base, maps2[i].base);
        EXPECT_EQ(maps1[i].size, maps2[i].size);
        EXPECT_EQ(maps1[i].depth, maps2[i].depth);
        EXPECT_EQ(maps1[i].type, maps2[i].type);
        if (maps1[i].type == ZX_INFO_MAPS_TYPE_MAPPING && maps2[i].type == maps1[i].type)
            EXPECT_EQ(maps1[i].u.mapping.mmu_flags, maps2[i].u.mapping.mmu_flags);
    }
}

CASE(ProcessGetInfoTest, InfoProcessMapsSmokeTest)
{
    maps_smoke_test(ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t));
}

/* (Newer revision:) the same over the older record layouts. */
CASE(ProcessGetInfoTest, InfoProcessMapsSmokeTestV1)
{
    maps_smoke_test(ZX_INFO_PROCESS_MAPS_V1, sizeof(zx_info_maps_v1_t));
}

CASE(ProcessGetInfoTest, InfoProcessMapsSmokeTestV2)
{
    maps_smoke_test(ZX_INFO_PROCESS_MAPS_V2, sizeof(zx_info_maps_v2_t));
}

#define MAPS_REC sizeof(zx_info_maps_t)
#define VMOS_REC sizeof(zx_info_vmo_t)

/* Upstream's name; it checks that the call succeeds on the caller itself. */
CASE(ProcessGetInfoTest, InfoProcessMapsOnSelfFails)
{
    check_self_succeeds(SELF, ZX_INFO_PROCESS_MAPS, MAPS_REC, 1);
}

CASE(ProcessGetInfoTest, InfoProcessMapsInvalidHandleFails)
{
    check_invalid_handle(ZX_INFO_PROCESS_MAPS, MAPS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessMapsNullAvailSucceeds)
{
    check_null_avail(SELF, ZX_INFO_PROCESS_MAPS, MAPS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessMapsNullActualSucceeds)
{
    check_null_actual(SELF, ZX_INFO_PROCESS_MAPS, MAPS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessMapsNullActualAndAvailSucceeds)
{
    check_null_both(SELF, ZX_INFO_PROCESS_MAPS, MAPS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessMapsInvalidBufferPointerFails)
{
    check_bad_buffer(SELF, ZX_INFO_PROCESS_MAPS, MAPS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessMapsBadActualIsInvalidArg)
{
    check_bad_actual(SELF, ZX_INFO_PROCESS_MAPS, MAPS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessMapsBadAvailIsInvalidArg)
{
    check_bad_avail(SELF, ZX_INFO_PROCESS_MAPS, MAPS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessMapsZeroSizedBufferIsOk)
{
    check_zero_size_ok(SELF, ZX_INFO_PROCESS_MAPS);
}

CASE(ProcessGetInfoTest, InfoProcessMapsSmallBufferIsOk)
{
    check_small_buffer(SELF, ZX_INFO_PROCESS_MAPS, MAPS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessMapsPartiallyUnmappedBufferIsInvalidArgs)
{
    check_partially_unmapped(SELF, ZX_INFO_PROCESS_MAPS, MAPS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessMapsRequiresInspectRights)
{
    check_missing_right(SELF, ZX_INFO_PROCESS_MAPS, MAPS_REC, ZX_RIGHT_INSPECT);
}

CASE(ProcessGetInfoTest, InfoProcessMapsWrongHandleType)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    check_wrong_type(vmo, ZX_INFO_PROCESS_MAPS, MAPS_REC);
    check_wrong_type(ROOT, ZX_INFO_PROCESS_MAPS, MAPS_REC);
}

/* The records of a PROCESS_VMOS topic, whatever its version, read into
 * current-layout records (each older layout is a prefix of the current
 * one; the fields it lacks are left zero). */
static size_t read_vmos(uint32_t topic, size_t rec, zx_info_vmo_t *out, size_t max, size_t *avail)
{
    static uint8_t raw[MAX_VMOS * sizeof(zx_info_vmo_t)];
    size_t actual = 0;
    *avail = 0;
    if (!EXPECT_OK(zx_object_get_info(SELF, topic, raw, max * rec, &actual, avail)))
        return 0;
    for (size_t i = 0; i < actual; i++) {
        memset(&out[i], 0, sizeof out[i]);
        memcpy(&out[i], raw + i * rec, rec < sizeof out[i] ? rec : sizeof out[i]);
    }
    return actual;
}

/* InfoProcessVmosSmokeTest for one version of the topic. */
static void vmos_smoke_test(uint32_t topic, size_t rec)
{
    set_up_fixture();
    size_t avail = 0;
    size_t actual = read_vmos(topic, rec, vmos1, MAX_VMOS, &avail);
    EXPECT_EQ(actual, avail);

    bool saw_unmapped = false, saw_mapped = false;
    for (size_t i = 0; i < actual; i++) {
        const zx_info_vmo_t *e = &vmos1[i];
        bool unmapped = e->koid == fx.unmapped_koid && e->size_bytes == PAGE;
        bool mapped = e->koid == fx.mapped_koid && e->size_bytes == FX_MAPPINGS * PAGE;
        if (unmapped || mapped) {
            /* Neither is a clone, has children, or is shared. */
            EXPECT_EQ(e->parent_koid, 0);
            EXPECT_EQ(e->num_children, 0);
            EXPECT_EQ(e->share_count, 1);
            uint32_t via = unmapped ? ZX_INFO_VMO_VIA_HANDLE : ZX_INFO_VMO_VIA_MAPPING;
            EXPECT_EQ(e->flags & via, via);
            if (e->flags & ZX_INFO_VMO_VIA_HANDLE) {
                EXPECT_EQ(e->num_mappings, 0);
            } else {
                EXPECT_NE(e->flags & ZX_INFO_VMO_VIA_MAPPING, 0);
                EXPECT_EQ(e->num_mappings, FX_MAPPINGS);
            }
            EXPECT_EQ(e->flags & ZX_INFO_VMO_IS_COW_CLONE, 0);
            saw_unmapped |= unmapped;
            saw_mapped |= mapped;
        }
        /* Every VMO of this process is paged, and each record comes from
         * a handle or from a mapping, not both. */
        EXPECT_EQ(ZX_INFO_VMO_TYPE(e->flags), ZX_INFO_VMO_TYPE_PAGED);
        const uint32_t both = ZX_INFO_VMO_VIA_HANDLE | ZX_INFO_VMO_VIA_MAPPING;
        EXPECT_NE(e->flags & both, both);
    }
    EXPECT_TRUE(saw_unmapped);
    EXPECT_TRUE(saw_mapped);

    size_t avail2 = 0;
    size_t actual2 = read_vmos(topic, rec, vmos2, actual * 3 / 4, &avail2);
    EXPECT_LT(actual2, avail2);
    EXPECT_EQ(avail, avail2);
    EXPECT_GT(actual2, 3);
    for (size_t i = 0; i < actual2; i++) {
        EXPECT_EQ(vmos1[i].koid, vmos2[i].koid);
        EXPECT_EQ(vmos1[i].size_bytes, vmos2[i].size_bytes);
        EXPECT_EQ(vmos1[i].flags, vmos2[i].flags);
        if (vmos1[i].flags == vmos2[i].flags && (vmos2[i].flags & ZX_INFO_VMO_VIA_HANDLE))
            EXPECT_EQ(vmos1[i].handle_rights, vmos2[i].handle_rights);
    }
}

CASE(ProcessGetInfoTest, InfoProcessVmosSmokeTest)
{
    vmos_smoke_test(ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t));
}

/* (Newer revision:) the same over the older record layouts. */
CASE(ProcessGetInfoTest, InfoProcessVmosSmokeTestV1)
{
    vmos_smoke_test(ZX_INFO_PROCESS_VMOS_V1, sizeof(zx_info_vmo_v1_t));
}

CASE(ProcessGetInfoTest, InfoProcessVmosSmokeTestV2)
{
    vmos_smoke_test(ZX_INFO_PROCESS_VMOS_V2, sizeof(zx_info_vmo_v2_t));
}

CASE(ProcessGetInfoTest, InfoProcessVmosSmokeTestV3)
{
    vmos_smoke_test(ZX_INFO_PROCESS_VMOS_V3, sizeof(zx_info_vmo_v3_t));
}

CASE(ProcessGetInfoTest, InfoProcessVmosOnSelfSucceeds)
{
    check_self_succeeds(SELF, ZX_INFO_PROCESS_VMOS, VMOS_REC, 1);
}

CASE(ProcessGetInfoTest, InfoProcessVmosInvalidHandleFails)
{
    check_invalid_handle(ZX_INFO_PROCESS_VMOS, VMOS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessVmosNullAvailSucceeds)
{
    check_null_avail(SELF, ZX_INFO_PROCESS_VMOS, VMOS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessVmosNullActualSucceeds)
{
    check_null_actual(SELF, ZX_INFO_PROCESS_VMOS, VMOS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessVmosNullActualAndAvailSucceeds)
{
    check_null_both(SELF, ZX_INFO_PROCESS_VMOS, VMOS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessVmosInvalidBufferPointerFails)
{
    check_bad_buffer(SELF, ZX_INFO_PROCESS_VMOS, VMOS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessVmosBadActualIsInvalidArg)
{
    check_bad_actual(SELF, ZX_INFO_PROCESS_VMOS, VMOS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessVmosBadAvailIsInvalidArg)
{
    check_bad_avail(SELF, ZX_INFO_PROCESS_VMOS, VMOS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessVmosZeroSizedBufferIsOk)
{
    check_zero_size_ok(SELF, ZX_INFO_PROCESS_VMOS);
}

CASE(ProcessGetInfoTest, InfoProcessVmosSmallBufferIsOk)
{
    check_small_buffer(SELF, ZX_INFO_PROCESS_VMOS, VMOS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessVmosPartiallyUnmappedBufferIsInvalidArgs)
{
    check_partially_unmapped(SELF, ZX_INFO_PROCESS_VMOS, VMOS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessVmosRequiresInspectRights)
{
    check_missing_right(SELF, ZX_INFO_PROCESS_VMOS, VMOS_REC, ZX_RIGHT_INSPECT);
}

CASE(ProcessGetInfoTest, InfoProcessVmosWrongHandleType)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    check_wrong_type(vmo, ZX_INFO_PROCESS_VMOS, VMOS_REC);
    check_wrong_type(ROOT, ZX_INFO_PROCESS_VMOS, VMOS_REC);
}

#define BASIC_REC sizeof(zx_info_handle_basic_t)

CASE(ProcessGetInfoTest, InfoHandleBasicOnSelfSucceeds)
{
    check_self_succeeds(SELF, ZX_INFO_HANDLE_BASIC, BASIC_REC, 1);
}

CASE(ProcessGetInfoTest, InfoHandleBasicInvalidHandleFails)
{
    check_invalid_handle(ZX_INFO_HANDLE_BASIC, BASIC_REC);
}

CASE(ProcessGetInfoTest, InfoHandleBasicNullAvailSucceeds)
{
    check_null_avail(SELF, ZX_INFO_HANDLE_BASIC, BASIC_REC);
}

CASE(ProcessGetInfoTest, InfoHandleBasicNullActualSucceeds)
{
    check_null_actual(SELF, ZX_INFO_HANDLE_BASIC, BASIC_REC);
}

CASE(ProcessGetInfoTest, InfoHandleBasicNullActualAndAvailSucceeds)
{
    check_null_both(SELF, ZX_INFO_HANDLE_BASIC, BASIC_REC);
}

CASE(ProcessGetInfoTest, InfoHandleBasicInvalidBufferPointerFails)
{
    check_bad_buffer(SELF, ZX_INFO_HANDLE_BASIC, BASIC_REC);
}

CASE(ProcessGetInfoTest, InfoHandleBasicBadActualIsInvalidArg)
{
    check_bad_actual(SELF, ZX_INFO_HANDLE_BASIC, BASIC_REC);
}

CASE(ProcessGetInfoTest, InfoHandleBasicBadAvailIsInvalidArg)
{
    check_bad_avail(SELF, ZX_INFO_HANDLE_BASIC, BASIC_REC);
}

CASE(ProcessGetInfoTest, InfoHandleBasicZeroSizedFails)
{
    check_zero_size_fails(SELF, ZX_INFO_HANDLE_BASIC);
}

#define PROCESS_REC sizeof(zx_info_process_t)

CASE(ProcessGetInfoTest, InfoProcessOnSelfSucceeds)
{
    check_self_succeeds(SELF, ZX_INFO_PROCESS, PROCESS_REC, 1);
}

CASE(ProcessGetInfoTest, InfoProcessInvalidHandleFails)
{
    check_invalid_handle(ZX_INFO_PROCESS, PROCESS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessNullAvailSucceeds)
{
    check_null_avail(SELF, ZX_INFO_PROCESS, PROCESS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessNullActualSucceeds)
{
    check_null_actual(SELF, ZX_INFO_PROCESS, PROCESS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessNullActualAndAvailSucceeds)
{
    check_null_both(SELF, ZX_INFO_PROCESS, PROCESS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessInvalidBufferPointerFails)
{
    check_bad_buffer(SELF, ZX_INFO_PROCESS, PROCESS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessBadActualIsInvalidArg)
{
    check_bad_actual(SELF, ZX_INFO_PROCESS, PROCESS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessBadAvailIsInvalidArg)
{
    check_bad_avail(SELF, ZX_INFO_PROCESS, PROCESS_REC);
}

CASE(ProcessGetInfoTest, InfoProcessZeroSizedBufferFails)
{
    check_zero_size_fails(SELF, ZX_INFO_PROCESS);
}

CASE(ProcessGetInfoTest, InfoProcessWrongHandleType)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    check_wrong_type(vmo, ZX_INFO_PROCESS, PROCESS_REC);
    check_wrong_type(ROOT, ZX_INFO_PROCESS, PROCESS_REC);
}

/* ================= vmar-object-info-test.cc ================= */

CASE(VmarGetInfoTest, InfoHandleBasicOnSelfSucceeds)
{
    check_self_succeeds(ROOT, ZX_INFO_HANDLE_BASIC, BASIC_REC, 1);
}

CASE(VmarGetInfoTest, InfoHandleBasicInvalidHandleFails)
{
    check_invalid_handle(ZX_INFO_HANDLE_BASIC, BASIC_REC);
}

CASE(VmarGetInfoTest, InfoHandleBasicNullAvailSucceeds)
{
    check_null_avail(ROOT, ZX_INFO_HANDLE_BASIC, BASIC_REC);
}

CASE(VmarGetInfoTest, InfoHandleBasicNullActualSucceeds)
{
    check_null_actual(ROOT, ZX_INFO_HANDLE_BASIC, BASIC_REC);
}

CASE(VmarGetInfoTest, InfoHandleBasicNullActualAndAvailSucceeds)
{
    check_null_both(ROOT, ZX_INFO_HANDLE_BASIC, BASIC_REC);
}

CASE(VmarGetInfoTest, InfoHandleBasicInvalidBufferPointerFails)
{
    check_bad_buffer(ROOT, ZX_INFO_HANDLE_BASIC, BASIC_REC);
}

CASE(VmarGetInfoTest, InfoHandleBasicBadActualIsInvalidArg)
{
    check_bad_actual(ROOT, ZX_INFO_HANDLE_BASIC, BASIC_REC);
}

CASE(VmarGetInfoTest, InfoHandleBasicBadAvailIsInvalidArg)
{
    check_bad_avail(ROOT, ZX_INFO_HANDLE_BASIC, BASIC_REC);
}

CASE(VmarGetInfoTest, InfoHandleBasicZeroSizedBufferFails)
{
    check_zero_size_fails(ROOT, ZX_INFO_HANDLE_BASIC);
}

#define VMAR_REC sizeof(zx_info_vmar_t)

CASE(VmarGetInfoTest, InfoVmarOnSelfSucceeds)
{
    check_self_succeeds(ROOT, ZX_INFO_VMAR, VMAR_REC, 1);
}

CASE(VmarGetInfoTest, InfoVmarInvalidHandleFails)
{
    check_invalid_handle(ZX_INFO_VMAR, VMAR_REC);
}

CASE(VmarGetInfoTest, InfoVmarNullAvailSucceeds)
{
    check_null_avail(ROOT, ZX_INFO_VMAR, VMAR_REC);
}

CASE(VmarGetInfoTest, InfoVmarNullActualSucceeds)
{
    check_null_actual(ROOT, ZX_INFO_VMAR, VMAR_REC);
}

CASE(VmarGetInfoTest, InfoVmarNullActualAndAvailSucceeds)
{
    check_null_both(ROOT, ZX_INFO_VMAR, VMAR_REC);
}

CASE(VmarGetInfoTest, InfoVmarInvalidBufferPointerFails)
{
    check_bad_buffer(ROOT, ZX_INFO_VMAR, VMAR_REC);
}

CASE(VmarGetInfoTest, InfoVmarBadActualIsInvalidArg)
{
    check_bad_actual(ROOT, ZX_INFO_VMAR, VMAR_REC);
}

CASE(VmarGetInfoTest, InfoVmarBadAvailIsInvalidArg)
{
    check_bad_avail(ROOT, ZX_INFO_VMAR, VMAR_REC);
}

CASE(VmarGetInfoTest, InfoVmarZeroSizedBufferFails)
{
    check_zero_size_fails(ROOT, ZX_INFO_VMAR);
}

CASE(VmarGetInfoTest, InfoVmarProcessHandleIsBadHandle)
{
    check_wrong_type(SELF, ZX_INFO_VMAR, VMAR_REC);
}

CASE(VmarGetInfoTest, InfoVmarWrongHandleType)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    check_wrong_type(vmo, ZX_INFO_VMAR, VMAR_REC);
}

CASE(VmarMapsGetInfoTest, InfoVmarMapsOnSelfSucceeds)
{
    check_self_succeeds(ROOT, ZX_INFO_VMAR_MAPS, MAPS_REC, 1);
}

CASE(VmarMapsGetInfoTest, InfoVmarMapsInvalidHandleFails)
{
    check_invalid_handle(ZX_INFO_VMAR_MAPS, MAPS_REC);
}

CASE(VmarMapsGetInfoTest, InfoVmarMapsNullAvailSucceeds)
{
    check_null_avail(ROOT, ZX_INFO_VMAR_MAPS, MAPS_REC);
}

CASE(VmarMapsGetInfoTest, InfoVmarMapsNullActualSucceeds)
{
    check_null_actual(ROOT, ZX_INFO_VMAR_MAPS, MAPS_REC);
}

CASE(VmarMapsGetInfoTest, InfoVmarMapsNullActualAndAvailSucceeds)
{
    check_null_both(ROOT, ZX_INFO_VMAR_MAPS, MAPS_REC);
}

CASE(VmarMapsGetInfoTest, InfoVmarMapsInvalidBufferPointerFails)
{
    check_bad_buffer(ROOT, ZX_INFO_VMAR_MAPS, MAPS_REC);
}

CASE(VmarMapsGetInfoTest, InfoVmarMapsBadActualIsInvalidArg)
{
    check_bad_actual(ROOT, ZX_INFO_VMAR_MAPS, MAPS_REC);
}

CASE(VmarMapsGetInfoTest, InfoVmarMapsBadAvailIsInvalidArg)
{
    check_bad_avail(ROOT, ZX_INFO_VMAR_MAPS, MAPS_REC);
}

CASE(VmarMapsGetInfoTest, InfoVmarMapsZeroSizedBufferIsOk)
{
    check_zero_size_ok(ROOT, ZX_INFO_VMAR_MAPS);
}

CASE(VmarMapsGetInfoTest, InfoVmarMapsRequiresInspectRights)
{
    /* Upstream checks PROCESS_MAPS here; VMAR_MAPS needs INSPECT on the
     * VMAR handle as well (docs/semantics.md "Info topics"). */
    check_missing_right(SELF, ZX_INFO_PROCESS_MAPS, MAPS_REC, ZX_RIGHT_INSPECT);
    check_missing_right(ROOT, ZX_INFO_VMAR_MAPS, MAPS_REC, ZX_RIGHT_INSPECT);
}

CASE(VmarMapsGetInfoTest, InfoVmarMapsWrongHandleType)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    check_wrong_type(vmo, ZX_INFO_VMAR_MAPS, MAPS_REC);
    check_wrong_type(SELF, ZX_INFO_VMAR_MAPS, MAPS_REC);
}

CASE(VmarMapsGetInfoTest, InfoVmarMapsUnstartedSucceeds)
{
    /* Upstream: the root VMAR of a process not yet started. Here: an empty
     * region. Either way the only record is the VMAR itself, at depth 0. */
    zx_handle_t v = subvmar(ROOT, ZX_VM_CAN_MAP_READ, 0, 4 * PAGE, NULL);
    size_t actual = 0, avail = 0;
    zx_info_maps_t m;
    ASSERT_OK(zx_object_get_info(v, ZX_INFO_VMAR_MAPS, &m, sizeof m, &actual, &avail));
    EXPECT_EQ(actual, 1);
    EXPECT_EQ(avail, 1);
    EXPECT_EQ(m.depth, 0);
    EXPECT_EQ(m.type, ZX_INFO_MAPS_TYPE_VMAR);
}

CASE(VmarMapsGetInfoTest, InfoVmarMapsVmarDestroyedFails)
{
    zx_handle_t v = subvmar(ROOT, ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE, 0, PAGE, NULL);
    ASSERT_OK(zx_vmar_destroy(v));
    size_t actual = 0, avail = 0;
    zx_info_maps_t m;
    /* (Upstream passes a 1-byte buffer; the state is checked first.) */
    EXPECT_STATUS(zx_object_get_info(v, ZX_INFO_VMAR_MAPS, &m, 1, &actual, &avail),
                  ZX_ERR_BAD_STATE);
}

CASE(VmarMapsGetInfoTest, InfoVmarMapsSmokeTest)
{
    set_up_fixture();
    size_t actual = 0, avail = 0;
    ASSERT_OK(zx_object_get_info(ROOT, ZX_INFO_VMAR_MAPS, maps1, sizeof maps1, &actual, &avail));
    ASSERT_EQ(actual, avail);
    ASSERT_LE(FX_MAPPINGS, actual);
    ASSERT_EQ(maps1[0].type, ZX_INFO_MAPS_TYPE_VMAR);
    ASSERT_EQ(maps1[0].depth, 0);

    /* Pre-order, depth-first: each record lies inside the last VMAR record
     * one level up, and depth grows by at most one from record to record. */
    size_t parent_at_depth[64];
    parent_at_depth[1] = 0;
    size_t max_depth = 0;
    const zx_info_maps_t *sub = NULL;
    uint32_t seen = 0;
    for (size_t i = 1; i < actual; i++) {
        const zx_info_maps_t *e = &maps1[i];
        if (!EXPECT_TRUE(e->depth >= 1 && e->depth <= max_depth + 1 && e->depth < 63))
            break;
        if (!EXPECT_TRUE(e->type == ZX_INFO_MAPS_TYPE_VMAR || e->type == ZX_INFO_MAPS_TYPE_MAPPING))
            break;
        const zx_info_maps_t *parent = &maps1[parent_at_depth[e->depth]];
        EXPECT_EQ(parent->type, ZX_INFO_MAPS_TYPE_VMAR);
        EXPECT_LE(parent->base, e->base);
        EXPECT_GE(parent->base + parent->size, e->base + e->size);
        if (e->type == ZX_INFO_MAPS_TYPE_VMAR) {
            parent_at_depth[e->depth + 1] = i;
            if (e->depth > max_depth)
                max_depth = e->depth;
            if (e->base == fx.vmar_base)
                sub = e;
            continue;
        }
        /* Our mappings, directly under our region. */
        if (sub && parent == sub) {
            int j = fx_mapping(e->base, e->size);
            if (EXPECT_GE(j, 0)) {
                EXPECT_EQ(e->u.mapping.mmu_flags, fx.perms[j]);
                seen |= 1u << j;
            }
        }
    }
    EXPECT_TRUE(sub != NULL);
    EXPECT_EQ(seen, (1u << FX_MAPPINGS) - 1);
}

/* ================= basic-object-info-test.cc ================= */

CASE(ObjectGetInfoTest, OpenValidHandleSucceeds)
{
    EXPECT_OK(zx_object_get_info(SELF, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL));
}

CASE(ObjectGetInfoTest, ClosedValidHandleFails)
{
    zx_handle_t h = ZX_HANDLE_INVALID;
    ASSERT_OK(zx_vmo_create(PAGE, 0, &h));
    ASSERT_OK(zx_object_get_info(h, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL));
    ASSERT_OK(zx_handle_close(h));
    EXPECT_STATUS(zx_object_get_info(h, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL),
                  ZX_ERR_BAD_HANDLE);
}

CASE(ObjectGetInfoTest, InvalidHandleFails)
{
    size_t actual = 0, avail = 0;
    EXPECT_STATUS(zx_object_get_info(ZX_HANDLE_INVALID, ZX_INFO_HANDLE_VALID, info_buf,
                                     sizeof(void *), &actual, &avail),
                  ZX_ERR_BAD_HANDLE);
}

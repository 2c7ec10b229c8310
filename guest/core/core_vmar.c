/* Zircon core tests for VMARs, re-expressed as a zxsim guest. Each case is
 * named "Suite.Test" after the upstream test it checks:
 *
 *   Vmar.*             zircon/system/utest/core/vmar/vmar.cc
 *   ProtectTestCase.*  zircon/system/utest/core/vmar/protect.cc
 *
 * Adaptations (zxsim runs one process with one thread):
 *   - Tests that create a fresh process only to get an empty address space
 *     use an empty sub-VMAR of the root VMAR instead (fresh_space()), which
 *     can map R/W/X at specific addresses like a root VMAR.
 *   - zx_process_read_memory / write_memory become kernel copies through
 *     the address: zx_vmo_write(probe, addr, ...) makes the kernel read the
 *     guest memory at addr, zx_vmo_read(probe, addr, ...) makes it write
 *     there. An unmapped address gives ZX_ERR_NOT_FOUND (docs/semantics.md "User pointers") where
 *     process_read_memory gave ZX_ERR_NO_MEMORY; a mapping without the
 *     permission gives ZX_ERR_ACCESS_DENIED (protect.cc already probes this
 *     way). Unlike process_read_memory these copies are all or nothing, so
 *     the partial-copy checks of PartialUnmapAnd{Read,Write} become "the
 *     straddling copy fails".
 *   - probe_for_write()/probe_for_read() (a faulting access caught by an
 *     exception handler) become the same kernel copies; the real CPU faults
 *     are checked one per run by core_vmar_fault.c.
 *
 * The cases first came from the vsrinivas/fuchsia copy of vmar.cc. A newer
 * copy (misttech/fuchsia mirror) adds the steps marked "(newer revision)" and
 * the cases after the "newer revisions" line: ProtectSubregionTest,
 * UnmapOpChildren, RangeOpZero, RangeOpSubRegions,
 * OpOnRangeWithChildVmarNextToIt, MapRangeResizable, Prefetch, the three
 * FaultBeyondStreamSize tests, and ConcurrentUnmapReadMemory, which races two
 * threads upstream and is run here as one thread alternating the steps.
 * Their CPU-level accesses are also made for real in core_vmar_fault.c.
 *
 * The newer copy reads a partly unmapped range with zx_process_read_memory
 * and expects the readable prefix to be copied (PartialUnmapAndRead/Write).
 * A kernel copy through zx_vmo_read/zx_vmo_write is all or nothing, so those
 * cases keep checking that the straddling copy fails.
 *
 * Where this revision of vmar.cc predates the current kernel, the case
 * follows the current kernel and says so (ProtectMultipleTest). */
#include "../conformance/conf.h"

#define RWX_MAP   (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE)
#define RWX_ALLOC (ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE)
#define CAN_RW    (ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE)

/* ---- helpers ---- */

/* The probe VMO the kernel copies guest memory into and out of; made before
 * main so that no case sees it appear. */
#define PROBE_PAGES 16
static zx_handle_t probe;

__attribute__((constructor)) static void make_probe(void)
{
    if (zx_vmo_create(PROBE_PAGES * PAGE, 0, &probe) != ZX_OK)
        abort();
}

/* Can the kernel read `len` bytes of guest memory at addr? */
static zx_status_t kernel_read(zx_vaddr_t addr, size_t len)
{
    return zx_vmo_write(probe, (const void *)addr, 0, len);
}

/* Can the kernel write `len` bytes there? The bytes are first copied out
 * (when readable) and written back unchanged. */
static zx_status_t kernel_write(zx_vaddr_t addr, size_t len)
{
    (void)zx_vmo_write(probe, (const void *)addr, 0, len);
    return zx_vmo_read(probe, (void *)addr, 0, len);
}

/* Checks page i of [base, base + count pages) is mapped (readable) exactly
 * when bit i of `bitmap` is set. */
#define EXPECT_PAGES_MAPPED(base, bitmap, count)                                                   \
    core_pages_mapped(__FILE__, __LINE__, (base), (bitmap), (count))
static bool core_pages_mapped(const char *file, int line, zx_vaddr_t base, uint64_t bitmap,
                              size_t count)
{
    bool ok = true;
    for (size_t i = 0; i < count; i++) {
        zx_status_t want = (bitmap >> i) & 1 ? ZX_OK : ZX_ERR_NOT_FOUND;
        zx_status_t got = kernel_read(base + i * PAGE, 1);
        if (got != want) {
            conf_fail(file, line, "page %zu at 0x%llx: kernel read gives %s, expected %s", i,
                      (unsigned long long)(base + i * PAGE), conf_status_name(got),
                      conf_status_name(want));
            ok = false;
        }
    }
    return ok;
}

/* An empty region standing in for the root VMAR of a fresh process. */
#define SPACE_SIZE ((size_t)1 << 30)
static zx_handle_t fresh_space(zx_vaddr_t *base)
{
    return subvmar(ROOT, RWX_ALLOC | ZX_VM_CAN_MAP_SPECIFIC, 0, SPACE_SIZE, base);
}

static zx_info_vmar_t vmar_info(zx_handle_t vmar)
{
    zx_info_vmar_t info = {0, 0};
    ASSERT_OK(zx_object_get_info(vmar, ZX_INFO_VMAR, &info, sizeof info, NULL, NULL));
    return info;
}

static zx_handle_t exec_vmo(uint64_t size)
{
    zx_handle_t vmo = ZX_HANDLE_INVALID, exec = ZX_HANDLE_INVALID;
    ASSERT_OK(zx_vmo_create(size, 0, &vmo));
    ASSERT_OK(zx_vmo_replace_as_executable(vmo, ZX_HANDLE_INVALID, &exec));
    return track(exec);
}

static volatile uint8_t *bytes_at(zx_vaddr_t addr)
{
    return (volatile uint8_t *)addr;
}

/* ================= vmar.cc ================= */

CASE(Vmar, DestroyTest)
{
    zx_handle_t space = fresh_space(NULL);
    zx_handle_t sub = subvmar(space, CAN_RW, 0, 1024 * PAGE, NULL);
    /* (Newer revision:) destroying needs OP_CHILDREN on the handle. */
    zx_handle_t weak = dup(sub, ZX_DEFAULT_VMAR_RIGHTS & ~ZX_RIGHT_OP_CHILDREN);
    EXPECT_STATUS(zx_vmar_destroy(weak), ZX_ERR_ACCESS_DENIED);
    EXPECT_OK(zx_handle_close(weak));
    EXPECT_OK(zx_vmar_destroy(sub));
    zx_handle_t region = ZX_HANDLE_INVALID;
    zx_vaddr_t addr = 0;
    EXPECT_STATUS(zx_vmar_allocate(sub, CAN_RW, 0, 10 * PAGE, &region, &addr), ZX_ERR_BAD_STATE);
}

CASE(Vmar, BasicAllocateTest)
{
    zx_handle_t space = fresh_space(NULL);
    zx_vaddr_t a1 = 0, a2 = 0;
    zx_handle_t r1 = subvmar(space, CAN_RW, 0, 10 * PAGE, &a1);
    subvmar(r1, CAN_RW, 0, PAGE, &a2);
    EXPECT_GE(a2, a1);
    EXPECT_LE(a2 + PAGE, a1 + 10 * PAGE);
}

CASE(Vmar, MapInCompactTest)
{
    zx_handle_t space = fresh_space(NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t ra = 0;
    zx_handle_t region = subvmar(space, CAN_RW | ZX_VM_COMPACT, 0, 10 * PAGE, &ra);
    for (int i = 0; i < 2; i++) {
        zx_vaddr_t a = map(region, RW, 0, vmo, 0, PAGE);
        EXPECT_GE(a, ra);
        EXPECT_LE(a + PAGE, ra + 10 * PAGE);
    }
}

CASE(Vmar, MapInUpperLimitTest)
{
    const size_t pages = 100, size = pages * PAGE;
    zx_handle_t space = fresh_space(NULL);
    zx_handle_t vmo = vmo_create(size, 0);
    zx_vaddr_t ra = 0;
    zx_handle_t region = subvmar(space, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, size, &ra);
    const size_t limit = size / 2;
    const zx_vm_option_t opts = RW | ZX_VM_OFFSET_IS_UPPER_LIMIT;
    zx_vaddr_t a = 0;

    /* A limit beyond the region, a size above the limit, a size above the
     * region. */
    EXPECT_STATUS(zx_vmar_map(region, opts, size + PAGE, vmo, 0, PAGE, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(region, opts, PAGE, vmo, 0, 2 * PAGE, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(region, opts, PAGE, vmo, 0, size + PAGE, &a), ZX_ERR_INVALID_ARGS);

    /* Limit and size equal to the whole region: the only place is its base. */
    ASSERT_OK(zx_vmar_map(region, opts, size, vmo, 0, size, &a));
    EXPECT_EQ(a, ra);
    ASSERT_OK(zx_vmar_unmap(region, a, size));

    for (size_t i = 0; i < pages / 2; i++) {
        ASSERT_OK(zx_vmar_map(region, opts, limit, vmo, 0, PAGE, &a));
        EXPECT_GE(a, ra);
        EXPECT_LE(a + PAGE, ra + limit);
    }
    /* Everything below the limit is used now; without it there is room. */
    EXPECT_STATUS(zx_vmar_map(region, opts, limit, vmo, 0, PAGE, &a), ZX_ERR_NO_RESOURCES);
    ASSERT_OK(zx_vmar_map(region, RW, 0, vmo, 0, PAGE, &a));
    EXPECT_GE(a, ra);
    EXPECT_LE(a + PAGE, ra + size);
}

CASE(Vmar, AllocateOobTest)
{
    zx_handle_t space = fresh_space(NULL);
    zx_handle_t r1 = subvmar(space, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, 10 * PAGE, NULL);
    zx_handle_t r2 = ZX_HANDLE_INVALID;
    zx_vaddr_t a2 = 0;
    EXPECT_STATUS(zx_vmar_allocate(r1, CAN_RW | ZX_VM_SPECIFIC, 10 * PAGE, PAGE, &r2, &a2),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(r1, CAN_RW | ZX_VM_SPECIFIC, 9 * PAGE, 2 * PAGE, &r2, &a2),
                  ZX_ERR_INVALID_ARGS);
}

CASE(Vmar, AllocateUnsatisfiableTest)
{
    zx_handle_t space = fresh_space(NULL);
    zx_vaddr_t a1 = 0, a2 = 0, a3 = 0;
    zx_handle_t r1 = subvmar(space, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, 10 * PAGE, &a1);
    zx_handle_t r = ZX_HANDLE_INVALID;
    /* Too large to ever fit: INVALID_ARGS, not NO_RESOURCES. */
    EXPECT_STATUS(zx_vmar_allocate(r1, CAN_RW, 0, 11 * PAGE, &r, &a2), ZX_ERR_INVALID_ARGS);
    subvmar(r1, CAN_RW, 0, 10 * PAGE, &a2);
    EXPECT_EQ(a2, a1);
    EXPECT_STATUS(zx_vmar_allocate(r1, CAN_RW, 0, PAGE, &r, &a3), ZX_ERR_NO_RESOURCES);
}

CASE(Vmar, AllocateAtLowAddressTest)
{
    /* This one needs the real root VMAR: its start is the bottom of the
     * user address space. */
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_info_vmar_t info = vmar_info(ROOT);
    ASSERT_LE(info.base, 0x200000);
    zx_vaddr_t a = 0;
    ASSERT_OK(zx_vmar_map(ROOT, ZX_VM_SPECIFIC, 0x200000 - info.base, vmo, 0, PAGE, &a));
    EXPECT_EQ(a, 0x200000);
    ASSERT_OK(zx_vmar_unmap(ROOT, a, PAGE));
    /* The upstream call: no permissions, offset 0x200000 - base (0 here,
     * so it is an ordinary placement). */
    a = map(ROOT, 0, 0x200000 - info.base, vmo, 0, PAGE);
    EXPECT_NE(a, 0);
}

CASE(Vmar, DestroyedVmarTest)
{
    zx_handle_t space = fresh_space(NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t region[2];
    zx_vaddr_t maddr[2];
    region[0] = subvmar(space, CAN_RW, 0, 10 * PAGE, NULL);
    maddr[0] = map(region[0], RW, 0, vmo, 0, PAGE);
    region[1] = subvmar(region[0], CAN_RW, 0, PAGE, NULL);
    maddr[1] = map(region[1], RW, 0, vmo, 0, PAGE);

    /* Both mappings show the same VMO page. */
    *bytes_at(maddr[0]) = 5;
    EXPECT_EQ(*bytes_at(maddr[1]), 5);

    ASSERT_OK(zx_vmar_destroy(region[0]));
    for (int i = 0; i < 2; i++) {
        EXPECT_OK(zx_object_get_info(region[i], ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL));
        EXPECT_STATUS(kernel_read(maddr[i], 1), ZX_ERR_NOT_FOUND);
        EXPECT_STATUS(zx_vmar_destroy(region[i]), ZX_ERR_BAD_STATE);
        zx_handle_t h = ZX_HANDLE_INVALID;
        zx_vaddr_t a = 0;
        EXPECT_STATUS(zx_vmar_allocate(region[i], CAN_RW, 0, PAGE, &h, &a), ZX_ERR_BAD_STATE);
        EXPECT_STATUS(zx_vmar_unmap(region[i], maddr[i], PAGE), ZX_ERR_BAD_STATE);
        EXPECT_STATUS(zx_vmar_protect(region[i], ZX_VM_PERM_READ, maddr[i], PAGE),
                      ZX_ERR_BAD_STATE);
        EXPECT_STATUS(zx_vmar_map(region[i], ZX_VM_PERM_READ, 0, vmo, 0, PAGE, &a),
                      ZX_ERR_BAD_STATE);
    }
    /* The parent is unaffected. */
    subvmar(space, CAN_RW, 0, PAGE, NULL);
}

CASE(Vmar, MapOverDestroyedTest)
{
    zx_handle_t space = fresh_space(NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t vmo2 = vmo_create(PAGE, 0);
    zx_vaddr_t ra0 = 0;
    zx_handle_t r0 = subvmar(space, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, 10 * PAGE, &ra0);
    zx_handle_t r1 = subvmar(r0, CAN_RW, 0, PAGE, NULL);
    zx_vaddr_t a = map(r1, RW, 0, vmo, 0, PAGE);
    uint8_t five = 5;
    ASSERT_OK(zx_vmo_write(vmo, &five, 0, 1));
    EXPECT_EQ(*bytes_at(a), 5);

    ASSERT_OK(zx_vmar_destroy(r1));
    EXPECT_STATUS(kernel_read(a, 1), ZX_ERR_NOT_FOUND);

    zx_vaddr_t again = map(r0, RW | ZX_VM_SPECIFIC, a - ra0, vmo2, 0, PAGE);
    EXPECT_EQ(again, a);
    EXPECT_EQ(*bytes_at(a), 0);
}

/* A region of `size` bytes placed at a multiple of `size` in the root VMAR,
 * so that every alignment up to `size` can be had inside it. */
static zx_handle_t aligned_region(size_t size, zx_vaddr_t *base)
{
    zx_info_vmar_t root = vmar_info(ROOT);
    zx_vaddr_t start = (root.base + size - 1) & ~(size - 1);
    for (; start + size <= root.base + root.len; start += size) {
        zx_handle_t h = ZX_HANDLE_INVALID;
        zx_vaddr_t addr = 0;
        if (zx_vmar_allocate(ROOT, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_SPECIFIC,
                             start - root.base, size, &h, &addr) == ZX_OK) {
            if (base)
                *base = addr;
            return track_vmar(h);
        }
    }
    conf_fail(__FILE__, __LINE__, "no free %zu-byte aligned range in the root VMAR", size);
    conf_abort_case();
}

static const struct {
    zx_vm_option_t align;
    int zero_bits;
} aligns[] = {
    {ZX_VM_ALIGN_1KB, 10},   {ZX_VM_ALIGN_2KB, 11},   {ZX_VM_ALIGN_4KB, 12},
    {ZX_VM_ALIGN_8KB, 13},   {ZX_VM_ALIGN_16KB, 14},  {ZX_VM_ALIGN_32KB, 15},
    {ZX_VM_ALIGN_64KB, 16},  {ZX_VM_ALIGN_128KB, 17}, {ZX_VM_ALIGN_256KB, 18},
    {ZX_VM_ALIGN_512KB, 19}, {ZX_VM_ALIGN_1MB, 20},   {ZX_VM_ALIGN_2MB, 21},
    {ZX_VM_ALIGN_4MB, 22},   {ZX_VM_ALIGN_8MB, 23},   {ZX_VM_ALIGN_16MB, 24},
    {ZX_VM_ALIGN_32MB, 25},  {ZX_VM_ALIGN_64MB, 26},  {ZX_VM_ALIGN_128MB, 27},
    {ZX_VM_ALIGN_256MB, 28}, {ZX_VM_ALIGN_512MB, 29}, {ZX_VM_ALIGN_1GB, 30},
    {ZX_VM_ALIGN_2GB, 31},   {ZX_VM_ALIGN_4GB, 32},
};

#define BAD_ALIGN_LOW  ((zx_vm_option_t)9u << ZX_VM_ALIGN_BASE)
#define BAD_ALIGN_HIGH ((zx_vm_option_t)33u << ZX_VM_ALIGN_BASE)

CASE(Vmar, AlignmentVmarMapTest)
{
    const size_t size = 2 * PAGE;
    zx_handle_t vmo = vmo_create(size, 0);
    zx_handle_t v = aligned_region((size_t)8 << 30, NULL);
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_map(v, RW | ZX_VM_ALIGN_64KB | ZX_VM_SPECIFIC, 4096, vmo, 0, size, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_OK(zx_vmar_map(v, RW | ZX_VM_ALIGN_64KB | ZX_VM_SPECIFIC, 64 * 1024, vmo, 0, size, &a));
    ASSERT_OK(zx_vmar_unmap(v, a, 64 * 1024));
    EXPECT_STATUS(zx_vmar_map(v, RW | BAD_ALIGN_LOW, 0, vmo, 0, size, &a), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(v, RW | BAD_ALIGN_HIGH, 0, vmo, 0, size, &a), ZX_ERR_INVALID_ARGS);
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        a = 0;
        ASSERT_OK(zx_vmar_map(v, RW | aligns[i].align, 0, vmo, 0, size, &a));
        ASSERT_NE(a, 0);
        EXPECT_GE(__builtin_ctzll(a), aligns[i].zero_bits);
        ((volatile uint64_t *)a)[1] = 0x1234321;
        ASSERT_OK(zx_vmar_unmap(v, a, size));
    }
}

CASE(Vmar, AlignmentVmarAllocateTest)
{
    const size_t size = 16 * PAGE;
    zx_handle_t v = aligned_region((size_t)8 << 30, NULL);
    zx_handle_t h = ZX_HANDLE_INVALID;
    zx_vaddr_t a = 0;
    EXPECT_STATUS(
        zx_vmar_allocate(v, CAN_RW | ZX_VM_ALIGN_64KB | ZX_VM_SPECIFIC, 4096, size, &h, &a),
        ZX_ERR_INVALID_ARGS);
    zx_handle_t ok = subvmar(v, CAN_RW | ZX_VM_ALIGN_64KB | ZX_VM_SPECIFIC, 64 * 1024, size, NULL);
    ASSERT_OK(zx_vmar_destroy(ok));
    EXPECT_STATUS(zx_vmar_allocate(v, CAN_RW | BAD_ALIGN_LOW, 0, size, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(v, CAN_RW | BAD_ALIGN_HIGH, 0, size, &h, &a),
                  ZX_ERR_INVALID_ARGS);
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        a = 0;
        zx_handle_t c = subvmar(v, CAN_RW | aligns[i].align, 0, size, &a);
        ASSERT_NE(a, 0);
        EXPECT_GE(__builtin_ctzll(a), aligns[i].zero_bits);
        ASSERT_OK(zx_vmar_destroy(c));
    }
}

CASE(Vmar, VmarMapRangeOffsetTest)
{
    zx_handle_t space = fresh_space(NULL);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    map(space, ZX_VM_MAP_RANGE, 0, vmo, 0x2000, 0x1000);
}

CASE(Vmar, OvermappingTest)
{
    zx_handle_t space = fresh_space(NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t vmo2 = vmo_create(4 * PAGE, 0);
    zx_vaddr_t ra0 = 0;
    zx_handle_t r0 = subvmar(space, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, 10 * PAGE, &ra0);
    zx_vaddr_t m0 = 0, m1 = 0, ra1 = 0;
    zx_handle_t r1 = ZX_HANDLE_INVALID;
    const zx_vm_option_t spec = RW | ZX_VM_SPECIFIC;

    /* A 2-page mapping of a 1-page VMO, then maps and a region over it. */
    ASSERT_OK(zx_vmar_map(r0, spec, PAGE, vmo, 0, 2 * PAGE, &m0));
    EXPECT_STATUS(zx_vmar_map(r0, spec, m0 - ra0, vmo2, 0, 2 * PAGE, &m1), ZX_ERR_ALREADY_EXISTS);
    EXPECT_STATUS(zx_vmar_map(r0, spec, m0 - ra0, vmo2, 0, PAGE, &m1), ZX_ERR_ALREADY_EXISTS);
    EXPECT_STATUS(zx_vmar_map(r0, spec, m0 - ra0, vmo2, 0, 4 * PAGE, &m1), ZX_ERR_ALREADY_EXISTS);
    EXPECT_STATUS(zx_vmar_allocate(r0, CAN_RW | ZX_VM_SPECIFIC, m0 - ra0, PAGE, &r1, &ra1),
                  ZX_ERR_ALREADY_EXISTS);
    ASSERT_OK(zx_vmar_unmap(r0, m0, 2 * PAGE));

    /* The same over a region. */
    r1 = subvmar(r0, CAN_RW | ZX_VM_SPECIFIC, PAGE, 2 * PAGE, &ra1);
    EXPECT_STATUS(zx_vmar_map(r0, spec, ra1 - ra0, vmo2, 0, 2 * PAGE, &m1), ZX_ERR_ALREADY_EXISTS);
    EXPECT_STATUS(zx_vmar_map(r0, spec, ra1 - ra0, vmo2, 0, PAGE, &m1), ZX_ERR_ALREADY_EXISTS);
    EXPECT_STATUS(zx_vmar_map(r0, spec, ra1 - ra0, vmo2, 0, 4 * PAGE, &m1), ZX_ERR_ALREADY_EXISTS);
    zx_handle_t r2 = ZX_HANDLE_INVALID;
    zx_vaddr_t ra2 = 0;
    EXPECT_STATUS(zx_vmar_allocate(r0, CAN_RW | ZX_VM_SPECIFIC, ra1 - ra0, PAGE, &r2, &ra2),
                  ZX_ERR_ALREADY_EXISTS);
}

CASE(Vmar, InvalidArgsTest)
{
    zx_handle_t vmar = fresh_space(NULL);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    zx_handle_t region = ZX_HANDLE_INVALID;
    zx_vaddr_t ra = 0, ma = 0;

    /* Handles of the wrong type. */
    EXPECT_STATUS(zx_vmar_destroy(vmo), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmar_allocate(vmo, CAN_RW, 0, 10 * PAGE, &region, &ra), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmar_map(vmo, RW, 0, vmo, 0, 4 * PAGE, &ma), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmar_map(vmar, RW, 0, SELF, 0, 4 * PAGE, &ma), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmar_unmap(vmo, 0, 0), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmar_protect(vmo, ZX_VM_PERM_READ, 0, 0), ZX_ERR_WRONG_TYPE);

    /* A non-zero offset needs SPECIFIC or OFFSET_IS_UPPER_LIMIT... */
    EXPECT_STATUS(zx_vmar_allocate(vmar, CAN_RW, PAGE, 10 * PAGE, &region, &ra),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(vmar, RW, PAGE, vmo, 0, 4 * PAGE, &ma), ZX_ERR_INVALID_ARGS);
    /* ...but not both. */
    EXPECT_STATUS(zx_vmar_allocate(vmar, CAN_RW | ZX_VM_SPECIFIC | ZX_VM_OFFSET_IS_UPPER_LIMIT,
                                   PAGE, 10 * PAGE, &region, &ra),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC | ZX_VM_OFFSET_IS_UPPER_LIMIT, PAGE, vmo, 0,
                              4 * PAGE, &ma),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(vmar,
                                   CAN_RW | ZX_VM_SPECIFIC_OVERWRITE | ZX_VM_OFFSET_IS_UPPER_LIMIT,
                                   PAGE, 10 * PAGE, &region, &ra),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC_OVERWRITE | ZX_VM_OFFSET_IS_UPPER_LIMIT,
                              PAGE, vmo, 0, 4 * PAGE, &ma),
                  ZX_ERR_INVALID_ARGS);

    /* Permissions are not allocate options; MAP_RANGE and overwrite clash. */
    EXPECT_STATUS(
        zx_vmar_allocate(vmar, ZX_VM_CAN_MAP_READ | ZX_VM_PERM_READ, PAGE, 10 * PAGE, &region, &ra),
        ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(vmar, ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE | ZX_VM_MAP_RANGE,
                              PAGE, vmo, 0, 4 * PAGE, &ma),
                  ZX_ERR_INVALID_ARGS);

    /* Out-pointers the kernel cannot write. */
    EXPECT_STATUS(zx_vmar_allocate(vmar, CAN_RW, 0, 10 * PAGE, &region, (zx_vaddr_t *)1),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_allocate(vmar, CAN_RW, 0, 10 * PAGE, (zx_handle_t *)1, &ra),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(vmar, RW, 0, vmo, 0, 4 * PAGE, (zx_vaddr_t *)1), ZX_ERR_INVALID_ARGS);

    /* Unaligned sizes and offsets. */
    EXPECT_STATUS(zx_vmar_allocate(vmar, CAN_RW, 0, PAGE - 1, &region, &ra), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(
        zx_vmar_allocate(vmar, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, PAGE - 1, PAGE, &region, &ra),
        ZX_ERR_INVALID_ARGS);
    for (int i = 0; i < 2; i++) {
        const zx_vm_option_t range = i ? ZX_VM_MAP_RANGE : 0;
        EXPECT_STATUS(
            zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC | range, PAGE - 1, vmo, 0, 4 * PAGE, &ma),
            ZX_ERR_INVALID_ARGS);
        EXPECT_STATUS(
            zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC | range, PAGE, vmo, PAGE - 1, 3 * PAGE, &ma),
            ZX_ERR_INVALID_ARGS);
        EXPECT_STATUS(zx_vmar_map(vmar, RW | range, 0, vmo, PAGE - 1, 3 * PAGE, &ma),
                      ZX_ERR_INVALID_ARGS);
    }
    ASSERT_OK(zx_vmar_map(vmar, RW, 0, vmo, 0, 4 * PAGE, &ma));
    EXPECT_STATUS(zx_vmar_unmap(vmar, ma + 1, PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_protect(vmar, ZX_VM_PERM_READ, ma + 1, PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_OK(zx_vmar_unmap(vmar, ma, 4 * PAGE));

    /* A VMO offset whose end overflows, and one just below that (a mapping
     * far past the VMO's end is fine). */
    EXPECT_STATUS(zx_vmar_map(vmar, RW, 0, vmo, UINT64_MAX + 1 - PAGE, PAGE, &ma),
                  ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(zx_vmar_map(vmar, RW, 0, vmo, UINT64_MAX + 1 - 2 * PAGE, PAGE, &ma));
    EXPECT_OK(zx_vmar_unmap(vmar, ma, PAGE));

    /* Zero sizes. */
    EXPECT_STATUS(zx_vmar_allocate(vmar, CAN_RW, 0, 0, &region, &ra), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(vmar, RW, 0, vmo, 0, 0, &ma), ZX_ERR_INVALID_ARGS);
    ASSERT_OK(zx_vmar_map(vmar, RW, 0, vmo, 0, 4 * PAGE, &ma));
    EXPECT_STATUS(zx_vmar_unmap(vmar, ma, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_protect(vmar, ZX_VM_PERM_READ, ma, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_OK(zx_vmar_unmap(vmar, ma, 4 * PAGE));

    /* Sizes that round up to zero. */
    const size_t bad = SIZE_MAX - PAGE + 2;
    EXPECT_STATUS(zx_vmar_allocate(vmar, CAN_RW, 0, bad, &region, &ra), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(vmar, RW, 0, vmo, 0, bad, &ma), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmar_map(vmar, ZX_VM_PERM_READ | ZX_VM_MAP_RANGE, 0, vmo, 0, bad, &ma),
                  ZX_ERR_OUT_OF_RANGE);
    ASSERT_OK(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC, PAGE, vmo, 0, 4 * PAGE, &ma));
    for (int i = -1; i < 2; i++) {
        EXPECT_STATUS(zx_vmar_protect(vmar, ZX_VM_PERM_READ, ma + PAGE * i, bad),
                      ZX_ERR_INVALID_ARGS);
        EXPECT_STATUS(zx_vmar_unmap(vmar, ma + PAGE * i, bad), ZX_ERR_INVALID_ARGS);
    }
    EXPECT_OK(zx_vmar_unmap(vmar, ma, 4 * PAGE));

    /* Option bits that do not belong. */
    EXPECT_STATUS(zx_vmar_allocate(vmar, ZX_VM_PERM_READ | CAN_RW, 0, 4 * PAGE, &region, &ra),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(
        zx_vmar_allocate(vmar, ZX_VM_CAN_MAP_READ | (1u << 31), 0, 4 * PAGE, &region, &ra),
        ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(vmar, RW | ZX_VM_CAN_MAP_EXECUTE, 0, vmo, 0, 4 * PAGE, &ma),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_map(vmar, RW | (1u << 31), 0, vmo, 0, 4 * PAGE, &ma),
                  ZX_ERR_INVALID_ARGS);
    ASSERT_OK(zx_vmar_map(vmar, RW, 0, vmo, 0, 4 * PAGE, &ma));
    EXPECT_STATUS(zx_vmar_protect(vmar, ZX_VM_PERM_READ | ZX_VM_CAN_MAP_WRITE, ma, 4 * PAGE),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_protect(vmar, ZX_VM_PERM_READ | (1u << 31), ma, 4 * PAGE),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_OK(zx_vmar_unmap(vmar, ma, 4 * PAGE));
}

CASE(Vmar, UnalignedLenTest)
{
    zx_handle_t vmar = fresh_space(NULL);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    zx_vaddr_t a = 0;
    ASSERT_OK(zx_vmar_map(vmar, ZX_VM_PERM_READ, 0, vmo, 0, 4 * PAGE, &a));
    /* Lengths are rounded up to whole pages. */
    EXPECT_OK(zx_vmar_protect(vmar, RW, a, 4 * PAGE - 1));
    EXPECT_OK(kernel_write(a + 3 * PAGE, 1));
    EXPECT_OK(zx_vmar_unmap(vmar, a, 4 * PAGE - 1));
    EXPECT_PAGES_MAPPED(a, 0, 4);
}

CASE(Vmar, UnalignedLenMapTest)
{
    zx_handle_t vmar = fresh_space(NULL);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    for (int i = 0; i < 2; i++) {
        const zx_vm_option_t range = i ? ZX_VM_MAP_RANGE : 0;
        zx_vaddr_t a = 0;
        ASSERT_OK(zx_vmar_map(vmar, ZX_VM_PERM_READ | range, 0, vmo, 0, 4 * PAGE - 1, &a));
        EXPECT_OK(kernel_read(a + 3 * PAGE, 1));
        EXPECT_OK(zx_vmar_unmap(vmar, a, 4 * PAGE - 1));
        EXPECT_STATUS(kernel_read(a + 3 * PAGE, 1), ZX_ERR_NOT_FOUND);
    }
}

static const struct {
    zx_rights_t rights;
    zx_vm_option_t perms;
} rights_perms[] = {
    {ZX_RIGHT_READ, ZX_VM_PERM_READ},
    {ZX_RIGHT_READ | ZX_RIGHT_WRITE, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE},
    {ZX_RIGHT_READ | ZX_RIGHT_EXECUTE, ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE},
};

CASE(Vmar, RightsDropTest)
{
    zx_handle_t vmar = fresh_space(NULL);
    zx_handle_t vmo = exec_vmo(PAGE);
    for (size_t i = 0; i < 3; i++) {
        zx_handle_t h = dup(vmar, rights_perms[i].rights);
        zx_vaddr_t a = 0;
        EXPECT_STATUS(zx_vmar_map(h, RWX_MAP, 0, vmo, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED);
        ASSERT_OK(zx_vmar_map(h, rights_perms[i].perms, 0, vmo, 0, PAGE, &a));
        EXPECT_STATUS(zx_vmar_protect(h, RWX_MAP, a, PAGE), ZX_ERR_ACCESS_DENIED);
        EXPECT_OK(zx_vmar_unmap(h, a, PAGE));
        /* Nor can a region that could map more be made through it. */
        zx_handle_t r = ZX_HANDLE_INVALID;
        zx_vaddr_t ra = 0;
        EXPECT_STATUS(zx_vmar_allocate(h, RWX_ALLOC, 0, 10 * PAGE, &r, &ra), ZX_ERR_ACCESS_DENIED);
        EXPECT_OK(zx_handle_close(h));
    }
}

CASE(Vmar, ProtectTest)
{
    zx_handle_t vmar = fresh_space(NULL);
    zx_handle_t vmo = exec_vmo(PAGE);
    for (size_t i = 0; i < 3; i++) {
        zx_handle_t h = ZX_HANDLE_INVALID;
        ASSERT_OK(zx_handle_duplicate(vmo, rights_perms[i].rights | ZX_RIGHT_MAP, &h));
        zx_vaddr_t a = 0;
        EXPECT_STATUS(zx_vmar_map(vmar, RWX_MAP, 0, h, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED);
        ASSERT_OK(zx_vmar_map(vmar, rights_perms[i].perms, 0, h, 0, PAGE, &a));
        /* The VMAR could allow more, the VMO handle did not. */
        EXPECT_STATUS(zx_vmar_protect(vmar, RWX_MAP, a, PAGE), ZX_ERR_ACCESS_DENIED);
        EXPECT_OK(zx_handle_close(h));
        /* The maximum was fixed at map time. */
        EXPECT_STATUS(zx_vmar_protect(vmar, RWX_MAP, a, PAGE), ZX_ERR_ACCESS_DENIED);
        EXPECT_OK(zx_vmar_unmap(vmar, a, PAGE));
    }
}

CASE(Vmar, NestedRegionPermsTest)
{
    zx_handle_t vmar = fresh_space(NULL);
    zx_handle_t vmo = exec_vmo(PAGE);
    static const zx_vm_option_t excluded[][2] = {
        {ZX_VM_CAN_MAP_READ, ZX_VM_PERM_READ},
        {ZX_VM_CAN_MAP_WRITE, ZX_VM_PERM_WRITE},
        {ZX_VM_CAN_MAP_EXECUTE, ZX_VM_PERM_EXECUTE},
    };
    for (size_t i = 0; i < 3; i++) {
        zx_handle_t r0 = subvmar(vmar, RWX_ALLOC ^ excluded[i][0], 0, 10 * PAGE, NULL);
        zx_handle_t r1 = ZX_HANDLE_INVALID;
        zx_vaddr_t ra = 0, a = 0;
        EXPECT_STATUS(zx_vmar_allocate(r0, RWX_ALLOC, 0, PAGE, &r1, &ra), ZX_ERR_ACCESS_DENIED);
        EXPECT_STATUS(zx_vmar_map(r0, RWX_MAP, 0, vmo, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED);
        /* Mappings must be readable, so there is no mapping to try without
         * READ. */
        if (excluded[i][1] != ZX_VM_PERM_READ) {
            EXPECT_OK(zx_vmar_map(r0, RWX_MAP ^ excluded[i][1], 0, vmo, 0, PAGE, &a));
            EXPECT_OK(zx_vmar_unmap(r0, a, PAGE));
        }
        r1 = subvmar(r0, RWX_ALLOC ^ excluded[i][0], 0, PAGE, NULL);
        EXPECT_OK(zx_vmar_destroy(r1));
        EXPECT_OK(zx_vmar_destroy(r0));
    }

    /* SPECIFIC needs CAN_MAP_SPECIFIC. */
    zx_handle_t r0 = subvmar(vmar, RWX_ALLOC, 0, 10 * PAGE, NULL);
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_map(r0, ZX_VM_SPECIFIC | ZX_VM_PERM_READ, PAGE, vmo, 0, PAGE, &a),
                  ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(
        zx_vmar_map(r0, ZX_VM_SPECIFIC_OVERWRITE | ZX_VM_PERM_READ, PAGE, vmo, 0, PAGE, &a),
        ZX_ERR_ACCESS_DENIED);
    EXPECT_OK(zx_vmar_destroy(r0));
}

CASE(Vmar, ObjectInfoTest)
{
    zx_handle_t vmar = fresh_space(NULL);
    zx_vaddr_t ra = 0;
    zx_handle_t r = subvmar(vmar, CAN_RW, 0, 10 * PAGE, &ra);
    zx_info_vmar_t info = vmar_info(r);
    EXPECT_EQ(info.base, ra);
    EXPECT_EQ(info.len, 10 * PAGE);
}

CASE(Vmar, UnmapSplitTest)
{
    zx_handle_t vmar = fresh_space(NULL);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    zx_vaddr_t a[3];
    for (int i = 0; i < 3; i++)
        ASSERT_OK(zx_vmar_map(vmar, RW, 0, vmo, 0, 4 * PAGE, &a[i]));

    /* From the left. */
    EXPECT_OK(zx_vmar_unmap(vmar, a[0], 2 * PAGE));
    EXPECT_PAGES_MAPPED(a[0], 0xC, 4);
    EXPECT_OK(zx_vmar_unmap(vmar, a[0] + 2 * PAGE, 2 * PAGE));
    EXPECT_PAGES_MAPPED(a[0], 0x0, 4);

    /* From the right. */
    EXPECT_OK(zx_vmar_unmap(vmar, a[1] + 2 * PAGE, 2 * PAGE));
    EXPECT_PAGES_MAPPED(a[1], 0x3, 4);
    EXPECT_OK(zx_vmar_unmap(vmar, a[1], 2 * PAGE));
    EXPECT_PAGES_MAPPED(a[1], 0x0, 4);

    /* From the middle. */
    EXPECT_OK(zx_vmar_unmap(vmar, a[2] + PAGE, 2 * PAGE));
    EXPECT_PAGES_MAPPED(a[2], 0x9, 4);
    EXPECT_OK(zx_vmar_unmap(vmar, a[2], PAGE));
    EXPECT_OK(zx_vmar_unmap(vmar, a[2] + 3 * PAGE, PAGE));
    EXPECT_PAGES_MAPPED(a[2], 0x0, 4);

    /* The freed ranges can be mapped again. */
    zx_info_vmar_t info = vmar_info(vmar);
    for (int i = 0; i < 3; i++) {
        zx_vaddr_t b = 0;
        EXPECT_OK(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC, a[i] - info.base, vmo, 0, 4 * PAGE, &b));
        EXPECT_PAGES_MAPPED(b, 0xF, 4);
        EXPECT_OK(zx_vmar_unmap(vmar, b, 4 * PAGE));
    }
}

CASE(Vmar, UnmapMultipleTest)
{
    zx_handle_t vmar = fresh_space(NULL);
    const size_t msize = 4 * PAGE;
    zx_handle_t vmo = vmo_create(msize, 0);
    const zx_vm_option_t spec = RW | ZX_VM_SPECIFIC;
    const zx_vm_option_t sub_opts = CAN_RW | ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_SPECIFIC;
    zx_vaddr_t a[3], sa = 0;
    zx_handle_t sub = ZX_HANDLE_INVALID;

    /* Two adjacent mappings, cut across their boundary. */
    for (int i = 0; i < 2; i++)
        ASSERT_OK(zx_vmar_map(vmar, spec, i * msize, vmo, 0, msize, &a[i]));
    EXPECT_EQ(a[0] + msize, a[1]);
    EXPECT_OK(zx_vmar_unmap(vmar, a[0] + 2 * PAGE, 3 * PAGE));
    EXPECT_PAGES_MAPPED(a[0], 0xE3, 8);
    EXPECT_OK(zx_vmar_unmap(vmar, a[0], 2 * PAGE));
    EXPECT_OK(zx_vmar_unmap(vmar, a[1] + PAGE, 3 * PAGE));
    EXPECT_PAGES_MAPPED(a[0], 0x00, 8);

    /* Two mappings with a gap between them. */
    for (int i = 0; i < 2; i++)
        ASSERT_OK(zx_vmar_map(vmar, spec, 2 * i * msize, vmo, 0, msize, &a[i]));
    EXPECT_EQ(a[0] + 2 * msize, a[1]);
    EXPECT_OK(zx_vmar_unmap(vmar, a[0], 2 * msize + PAGE));
    EXPECT_PAGES_MAPPED(a[0], 0xE00, 12);
    EXPECT_OK(zx_vmar_unmap(vmar, a[1] + PAGE, 3 * PAGE));
    EXPECT_PAGES_MAPPED(a[0], 0x000, 12);

    /* A sub-region between them is destroyed by an unmap that covers it. */
    for (int i = 0; i < 2; i++)
        ASSERT_OK(zx_vmar_map(vmar, spec, 2 * i * msize, vmo, 0, msize, &a[i]));
    ASSERT_OK(zx_vmar_allocate(vmar, sub_opts, msize, msize, &sub, &sa));
    track_vmar(sub);
    ASSERT_OK(zx_vmar_map(sub, spec, 0, vmo, 0, PAGE, &a[2]));
    EXPECT_EQ(a[0] + 2 * msize, a[1]);
    EXPECT_EQ(a[0] + msize, a[2]);
    EXPECT_PAGES_MAPPED(a[0], 0xF1F, 12);
    EXPECT_OK(zx_vmar_unmap(vmar, a[0], 2 * msize + PAGE));
    EXPECT_PAGES_MAPPED(a[0], 0xE00, 12);
    EXPECT_STATUS(zx_vmar_map(sub, spec, PAGE, vmo, 0, PAGE, &a[2]), ZX_ERR_BAD_STATE);
    EXPECT_OK(zx_vmar_unmap(vmar, a[1] + PAGE, 3 * PAGE));
    EXPECT_PAGES_MAPPED(a[0], 0x000, 12);

    /* A sub-region after them: a partial cover fails and changes nothing,
     * a full cover works. */
    for (int i = 0; i < 2; i++)
        ASSERT_OK(zx_vmar_map(vmar, spec, i * msize, vmo, 0, msize, &a[i]));
    ASSERT_OK(zx_vmar_allocate(vmar, sub_opts, 2 * msize, msize, &sub, &sa));
    track_vmar(sub);
    ASSERT_OK(zx_vmar_map(sub, spec, 0, vmo, 0, PAGE, &a[2]));
    EXPECT_EQ(a[0] + msize, a[1]);
    EXPECT_EQ(a[0] + 2 * msize, a[2]);
    EXPECT_PAGES_MAPPED(a[0], 0x1FF, 12);
    EXPECT_STATUS(zx_vmar_unmap(vmar, a[0] + PAGE, 3 * msize - 2 * PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_PAGES_MAPPED(a[0], 0x1FF, 12);
    EXPECT_OK(zx_vmar_unmap(vmar, a[0] + PAGE, 3 * msize - PAGE));
    EXPECT_PAGES_MAPPED(a[0], 0x001, 12);
    EXPECT_STATUS(zx_vmar_map(sub, spec, PAGE, vmo, 0, PAGE, &a[2]), ZX_ERR_BAD_STATE);
    EXPECT_OK(zx_vmar_unmap(vmar, a[0], PAGE));
    EXPECT_PAGES_MAPPED(a[0], 0x000, 12);

    /* A sub-region before them. */
    for (int i = 0; i < 2; i++)
        ASSERT_OK(zx_vmar_map(vmar, spec, (i + 1) * msize, vmo, 0, msize, &a[i]));
    ASSERT_OK(zx_vmar_allocate(vmar, sub_opts, 0, msize, &sub, &sa));
    track_vmar(sub);
    ASSERT_OK(zx_vmar_map(sub, spec, msize - PAGE, vmo, 0, PAGE, &a[2]));
    EXPECT_EQ(sa + msize, a[0]);
    EXPECT_EQ(sa + 2 * msize, a[1]);
    EXPECT_PAGES_MAPPED(sa, 0xFF8, 12);
    EXPECT_STATUS(zx_vmar_unmap(vmar, sa + PAGE, 3 * msize - PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_PAGES_MAPPED(sa, 0xFF8, 12);
    EXPECT_OK(zx_vmar_unmap(vmar, sa, 3 * msize));
    EXPECT_PAGES_MAPPED(sa, 0x000, 12);
    EXPECT_STATUS(zx_vmar_map(sub, spec, PAGE, vmo, 0, PAGE, &a[2]), ZX_ERR_BAD_STATE);
}

CASE(Vmar, UnmapBaseNotMappedTest)
{
    zx_handle_t vmar = fresh_space(NULL);
    const size_t msize = 4 * PAGE;
    zx_handle_t vmo = vmo_create(msize, 0);
    zx_vaddr_t a = 0;
    /* An unmap that starts in unmapped space. */
    ASSERT_OK(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC, PAGE, vmo, 0, msize, &a));
    ASSERT_OK(zx_vmar_unmap(vmar, a - PAGE, msize + PAGE));
    EXPECT_PAGES_MAPPED(a, 0, 4);

    /* The same with another mapping below the start. */
    ASSERT_OK(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC, 0, vmo, 0, msize, &a));
    zx_vaddr_t low = a;
    for (size_t gap = PAGE; gap < 3 * PAGE; gap += PAGE) {
        ASSERT_OK(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC, msize + gap, vmo, 0, msize, &a));
        ASSERT_OK(zx_vmar_unmap(vmar, a - PAGE, msize + PAGE));
        EXPECT_PAGES_MAPPED(a, 0, 4);
        EXPECT_PAGES_MAPPED(low, 0xF, 4);
    }
}

CASE(Vmar, MapSpecificOverwriteTest)
{
    zx_handle_t vmar = fresh_space(NULL);
    const size_t msize = 4 * PAGE;
    zx_handle_t vmo = vmo_create(2 * msize, 0);
    zx_handle_t vmo2 = vmo_create(2 * msize, 0);
    /* Tag the pages so that each mapping can be told apart. */
    for (size_t i = 0; i < msize / PAGE; i++) {
        uint8_t one = 1, two = 2;
        ASSERT_OK(zx_vmo_write(vmo, &one, i * PAGE, 1));
        ASSERT_OK(zx_vmo_write(vmo2, &two, i * PAGE, 1));
    }
    zx_vaddr_t a0 = 0, a1 = 0;
    ASSERT_OK(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC, PAGE, vmo, 0, msize, &a0));
    EXPECT_STATUS(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC, PAGE, vmo2, 0, msize, &a1),
                  ZX_ERR_ALREADY_EXISTS);
    EXPECT_OK(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC_OVERWRITE, PAGE, vmo2, 0, msize, &a1));
    EXPECT_EQ(a0, a1);
    for (size_t i = 0; i < msize / PAGE; i++)
        EXPECT_EQ(*bytes_at(a1 + i * PAGE), 2);

    /* Overwrite the middle two pages. */
    EXPECT_OK(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC_OVERWRITE, 2 * PAGE, vmo, 0, 2 * PAGE, &a0));
    EXPECT_EQ(a0, a1 + PAGE);
    for (size_t i = 0; i < msize / PAGE; i++)
        EXPECT_EQ(*bytes_at(a1 + i * PAGE), (i == 0 || i == 3) ? 2 : 1);

    /* An overwrite that would reach into a sub-region is refused. */
    zx_vaddr_t sa = 0;
    subvmar(vmar, CAN_RW | ZX_VM_SPECIFIC, PAGE + msize, msize, &sa);
    EXPECT_EQ(sa, a1 + msize);
    EXPECT_STATUS(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC_OVERWRITE, PAGE, vmo2, 0, 2 * msize, &a0),
                  ZX_ERR_INVALID_ARGS);
    EXPECT_OK(zx_vmar_unmap(vmar, a1, 2 * msize));
}

CASE(Vmar, ProtectSplitTest)
{
    zx_handle_t vmar = fresh_space(NULL);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    /* From the left, the right and the middle. Upstream could not see the
     * permissions; the kernel copies can: protected pages refuse writes. */
    static const struct {
        size_t first, count;
    } cuts[] = {{0, 2}, {2, 2}, {1, 2}};
    for (size_t c = 0; c < 3; c++) {
        zx_vaddr_t a = 0;
        ASSERT_OK(zx_vmar_map(vmar, RW, 0, vmo, 0, 4 * PAGE, &a));
        EXPECT_OK(
            zx_vmar_protect(vmar, ZX_VM_PERM_READ, a + cuts[c].first * PAGE, cuts[c].count * PAGE));
        EXPECT_PAGES_MAPPED(a, 0xF, 4);
        for (size_t i = 0; i < 4; i++) {
            bool ro = i >= cuts[c].first && i < cuts[c].first + cuts[c].count;
            EXPECT_STATUS(kernel_write(a + i * PAGE, 1), ro ? ZX_ERR_ACCESS_DENIED : ZX_OK);
        }
        EXPECT_OK(zx_vmar_unmap(vmar, a, 4 * PAGE));
        EXPECT_PAGES_MAPPED(a, 0x0, 4);
    }
}

CASE(Vmar, ProtectMultipleTest)
{
    zx_handle_t vmar = fresh_space(NULL);
    const size_t msize = 4 * PAGE;
    zx_handle_t vmo = vmo_create(msize, 0);
    zx_handle_t vmo_ro = dup(vmo, ZX_RIGHT_MAP | ZX_RIGHT_READ);
    const zx_vm_option_t spec = RW | ZX_VM_SPECIFIC;
    const zx_vaddr_t from_off = PAGE;
    const size_t len = 3 * msize - 2 * PAGE;
    zx_vaddr_t a[3], sa = 0;

    /* Across three adjacent mappings. */
    for (int i = 0; i < 3; i++)
        ASSERT_OK(zx_vmar_map(vmar, spec, i * msize, vmo, 0, msize, &a[i]));
    EXPECT_OK(zx_vmar_protect(vmar, ZX_VM_PERM_READ, a[0] + from_off, len));
    EXPECT_PAGES_MAPPED(a[0], 0xFFF, 12);
    EXPECT_STATUS(kernel_write(a[0], 1), ZX_OK);
    EXPECT_STATUS(kernel_write(a[0] + PAGE, 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(kernel_write(a[2] + 3 * PAGE, 1), ZX_OK);
    EXPECT_OK(zx_vmar_unmap(vmar, a[0], 3 * msize));
    EXPECT_PAGES_MAPPED(a[0], 0x000, 12);

    /* The middle mapping came from a handle without WRITE: nothing changes. */
    ASSERT_OK(zx_vmar_map(vmar, spec, 0, vmo, 0, msize, &a[0]));
    ASSERT_OK(zx_vmar_map(vmar, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, msize, vmo_ro, 0, msize, &a[1]));
    ASSERT_OK(zx_vmar_map(vmar, spec, 2 * msize, vmo, 0, msize, &a[2]));
    EXPECT_STATUS(zx_vmar_protect(vmar, RW, a[0] + from_off, len), ZX_ERR_ACCESS_DENIED);
    EXPECT_PAGES_MAPPED(a[0], 0xFFF, 12);
    EXPECT_STATUS(kernel_write(a[1], 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(kernel_write(a[0] + PAGE, 1), ZX_OK);
    EXPECT_OK(zx_vmar_unmap(vmar, a[0], 3 * msize));
    EXPECT_PAGES_MAPPED(a[0], 0x000, 12);

    /* Across a gap. */
    ASSERT_OK(zx_vmar_map(vmar, spec, 0, vmo, 0, msize, &a[0]));
    ASSERT_OK(zx_vmar_map(vmar, spec, 2 * msize, vmo, 0, msize, &a[2]));
    EXPECT_STATUS(zx_vmar_protect(vmar, ZX_VM_PERM_READ, a[0] + from_off, len), ZX_ERR_NOT_FOUND);
    EXPECT_PAGES_MAPPED(a[0], 0xF0F, 12);
    EXPECT_STATUS(kernel_write(a[0] + PAGE, 1), ZX_OK);
    EXPECT_OK(zx_vmar_unmap(vmar, a[0], 3 * msize));
    EXPECT_PAGES_MAPPED(a[0], 0x000, 12);

    /* Across an empty sub-region. This copy of vmar.cc expects
     * ZX_ERR_INVALID_ARGS (older kernels refused any sub-region here); the
     * current kernel walks into sub-regions and reports the missing mapping
     * as a gap: ZX_ERR_NOT_FOUND (docs/semantics.md "zx_vmar_protect" step 9). */
    ASSERT_OK(zx_vmar_map(vmar, spec, 0, vmo, 0, msize, &a[0]));
    subvmar(vmar, CAN_RW | ZX_VM_SPECIFIC, msize, msize, &sa);
    ASSERT_OK(zx_vmar_map(vmar, spec, 2 * msize, vmo, 0, msize, &a[2]));
    EXPECT_STATUS(zx_vmar_protect(vmar, ZX_VM_PERM_READ, a[0] + from_off, len), ZX_ERR_NOT_FOUND);
    EXPECT_PAGES_MAPPED(a[0], 0xF0F, 12);
    EXPECT_STATUS(kernel_write(a[0] + PAGE, 1), ZX_OK);
    EXPECT_OK(zx_vmar_unmap(vmar, a[0], 3 * msize));
    EXPECT_PAGES_MAPPED(a[0], 0x000, 12);

    /* Across a sub-region filled with a mapping. This copy expects
     * ZX_ERR_INVALID_ARGS; the current kernel lets a handle with
     * OP_CHILDREN lower the permissions of mappings in sub-regions (spec
     * zx_vmar_protect step 9), so the protect succeeds everywhere. */
    ASSERT_OK(zx_vmar_map(vmar, spec, 0, vmo, 0, msize, &a[0]));
    zx_handle_t sub =
        subvmar(vmar, CAN_RW | ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_SPECIFIC, msize, msize, &sa);
    ASSERT_OK(zx_vmar_map(sub, spec, 0, vmo, 0, msize, &a[1]));
    ASSERT_OK(zx_vmar_map(vmar, spec, 2 * msize, vmo, 0, msize, &a[2]));
    EXPECT_OK(zx_vmar_protect(vmar, ZX_VM_PERM_READ, a[0] + from_off, len));
    EXPECT_PAGES_MAPPED(a[0], 0xFFF, 12);
    EXPECT_STATUS(kernel_write(a[0], 1), ZX_OK);
    EXPECT_STATUS(kernel_write(a[1] + PAGE, 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(kernel_write(a[2] + 3 * PAGE, 1), ZX_OK);
    EXPECT_OK(zx_vmar_unmap(vmar, a[0], 3 * msize));
    EXPECT_PAGES_MAPPED(a[0], 0x000, 12);
}

CASE(Vmar, ProtectOverDemandPagedTest)
{
    const size_t size = 100 * PAGE;
    zx_handle_t vmo = vmo_create(size, 0);
    zx_vaddr_t a = map(ROOT, RW, 0, vmo, 0, size);
    EXPECT_OK(zx_handle_close(vmo));
    volatile uint8_t *t = bytes_at(a);
    t[0] = 5;
    t[size / 2] = 6;
    t[size - 1] = 7;
    ASSERT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ, a, size));
    /* Populated and untouched pages alike refuse writes now. */
    EXPECT_STATUS(kernel_write(a, 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(kernel_write(a + size / 4, 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(kernel_write(a + size / 2, 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(kernel_write(a + size - 1, 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_EQ(t[0], 5);
    EXPECT_EQ(t[size / 2], 6);
    EXPECT_EQ(t[size - 1], 7);
}

/* Protecting or unmapping most of a large, sparsely committed mapping from
 * an address that is not aligned to a page-table boundary. */
static zx_vaddr_t large_sparse_mapping(size_t size)
{
    zx_handle_t vmo = vmo_create(size, 0);
    zx_vaddr_t a = map(ROOT, RW, 0, vmo, 0, size);
    EXPECT_OK(zx_handle_close(vmo));
    volatile uint8_t *t = bytes_at(a);
    t[0] = 5;
    t[size / 2] = 6;
    t[size - 1] = 7;
    return a;
}

CASE(Vmar, ProtectLargeUncomittedTest)
{
    const size_t size = (size_t)1 << 30;
    zx_vaddr_t a = large_sparse_mapping(size);
    const zx_vaddr_t from = ((a + 512 * PAGE - 1) & ~(512 * PAGE - 1)) + PAGE;
    ASSERT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ, from, a + size - from));
    EXPECT_OK(kernel_write(a, 1));
    EXPECT_STATUS(kernel_write(a + size / 4, 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(kernel_write(a + size / 2, 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(kernel_write(a + size - 1, 1), ZX_ERR_ACCESS_DENIED);
}

CASE(Vmar, RangeOpCommitVmoPages)
{
    const size_t vmo_size = 5 * PAGE;
    zx_handle_t vmo = vmo_create(vmo_size, 0);
    zx_vaddr_t base = 0;
    zx_handle_t vmar = subvmar(ROOT, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, vmo_size, &base);
    /* Region pages: 0-1 -> VMO pages 0-1, 2 -> VMO page 3, 3 unmapped,
     * 4 -> VMO page 1 read-only. */
    EXPECT_EQ(map(vmar, ZX_VM_SPECIFIC | RW, 0, vmo, 0, 2 * PAGE), base);
    map(vmar, ZX_VM_SPECIFIC | RW, 2 * PAGE, vmo, 3 * PAGE, PAGE);
    map(vmar, ZX_VM_SPECIFIC | ZX_VM_PERM_READ, 4 * PAGE, vmo, PAGE, PAGE);
    volatile uint8_t *t = bytes_at(base);

    /* Part of a mapping. */
    t[0] = 5;
    EXPECT_OK(zx_vmar_op_range(vmar, ZX_VMO_OP_DECOMMIT, base, PAGE, NULL, 0));
    EXPECT_EQ(t[0], 0);
    t[PAGE] = 7;
    EXPECT_OK(zx_vmar_op_range(vmar, ZX_VMO_OP_DECOMMIT, base + PAGE, PAGE, NULL, 0));
    EXPECT_EQ(t[PAGE], 0);

    /* Across two adjacent mappings; the read-only alias sees it too. */
    t[PAGE] = 5;
    t[2 * PAGE] = 6;
    EXPECT_EQ(t[4 * PAGE], 5);
    EXPECT_OK(zx_vmar_op_range(vmar, ZX_VMO_OP_DECOMMIT, base + PAGE, 2 * PAGE, NULL, 0));
    EXPECT_EQ(t[PAGE], 0);
    EXPECT_EQ(t[2 * PAGE], 0);
    EXPECT_EQ(t[4 * PAGE], 0);

    /* A range with an unmapped page in it. */
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMO_OP_DECOMMIT, base + PAGE, 3 * PAGE, NULL, 0),
                  ZX_ERR_BAD_STATE);

    /* A read-only mapping that could be made writable is fine... */
    EXPECT_OK(zx_vmar_op_range(vmar, ZX_VMO_OP_DECOMMIT, base + 4 * PAGE, PAGE, NULL, 0));
    /* ...one made from a read-only handle is not. */
    zx_handle_t ro = dup(vmo, ZX_RIGHT_MAP | ZX_RIGHT_READ);
    zx_vaddr_t ra = map(ROOT, ZX_VM_PERM_READ, 0, ro, 0, PAGE);
    EXPECT_STATUS(zx_vmar_op_range(ROOT, ZX_VMO_OP_DECOMMIT, ra, PAGE, NULL, 0),
                  ZX_ERR_ACCESS_DENIED);
}

CASE(Vmar, RangeOpMapRange)
{
    const size_t size = 4 * PAGE;
    zx_handle_t vmo = vmo_create(size, 0);
    zx_vaddr_t vbase = 0;
    zx_handle_t vmar = subvmar(ROOT, CAN_RW, 0, size, &vbase);
    zx_vaddr_t m = map(vmar, RW, 0, vmo, 0, size);

    /* Nothing committed, part committed, a hole, everything: all fine. */
    EXPECT_OK(zx_vmar_op_range(vmar, ZX_VMAR_OP_MAP_RANGE, m, size, NULL, 0));
    ASSERT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0, PAGE, NULL, 0));
    EXPECT_OK(zx_vmar_op_range(vmar, ZX_VMAR_OP_MAP_RANGE, m, size, NULL, 0));
    ASSERT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, PAGE, PAGE, NULL, 0));
    ASSERT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 3 * PAGE, PAGE, NULL, 0));
    EXPECT_OK(zx_vmar_op_range(vmar, ZX_VMAR_OP_MAP_RANGE, m + PAGE, size - PAGE, NULL, 0));
    ASSERT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0, size, NULL, 0));
    EXPECT_OK(zx_vmar_op_range(vmar, ZX_VMAR_OP_MAP_RANGE, vbase + 2 * PAGE, PAGE, NULL, 0));
}

CASE(Vmar, UnmapLargeUncommittedTest)
{
    const size_t size = (size_t)1 << 30;
    zx_vaddr_t a = large_sparse_mapping(size);
    const zx_vaddr_t from = ((a + 512 * PAGE - 1) & ~(512 * PAGE - 1)) + PAGE;
    ASSERT_OK(zx_vmar_unmap(ROOT, from, a + size - from));
    EXPECT_OK(kernel_write(a, 1));
    EXPECT_STATUS(kernel_write(a + size / 4, 1), ZX_ERR_NOT_FOUND);
    EXPECT_STATUS(kernel_write(a + size / 2, 1), ZX_ERR_NOT_FOUND);
    EXPECT_STATUS(kernel_write(a + size - 1, 1), ZX_ERR_NOT_FOUND);
}

CASE(Vmar, PartialUnmapAndRead)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_vaddr_t a = map(ROOT, RW, 0, vmo, 0, 2 * PAGE);
    EXPECT_OK(zx_handle_close(vmo));
    memset((void *)a, 0, 2 * PAGE);
    ASSERT_OK(zx_vmar_unmap(ROOT, a + PAGE, PAGE));
    EXPECT_OK(kernel_read(a, PAGE));
    EXPECT_STATUS(kernel_read(a + PAGE, PAGE), ZX_ERR_NOT_FOUND);
    /* Copies that run from the mapped page into the hole fail as a whole. */
    EXPECT_STATUS(kernel_read(a, 2 * PAGE), ZX_ERR_NOT_FOUND);
    EXPECT_STATUS(kernel_read(a + PAGE - 1, 2), ZX_ERR_NOT_FOUND);
}

CASE(Vmar, PartialUnmapAndWrite)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_vaddr_t a = map(ROOT, RW, 0, vmo, 0, 2 * PAGE);
    EXPECT_OK(zx_handle_close(vmo));
    memset((void *)a, 0, 2 * PAGE);
    ASSERT_OK(zx_vmar_unmap(ROOT, a + PAGE, PAGE));
    EXPECT_OK(kernel_write(a, PAGE));
    EXPECT_STATUS(kernel_write(a + PAGE, PAGE), ZX_ERR_NOT_FOUND);
    EXPECT_STATUS(kernel_write(a, 2 * PAGE), ZX_ERR_NOT_FOUND);
    EXPECT_STATUS(kernel_write(a + PAGE - 1, 2), ZX_ERR_NOT_FOUND);
}

CASE(Vmar, PartialUnmapWithVmarOffset)
{
    const size_t off = 0x1000, vmo_size = 10 * PAGE, len = vmo_size - off;
    zx_handle_t vmo = vmo_create(vmo_size, 0);
    zx_vaddr_t a = map(ROOT, RW, 0, vmo, off, len);
    EXPECT_OK(zx_handle_close(vmo));
    memset((void *)a, 0, len);
    EXPECT_OK(kernel_write(a, len));
    EXPECT_OK(kernel_read(a, len));
    EXPECT_OK(kernel_write(a + len - 1, 1));
    EXPECT_OK(kernel_read(a + len - 1, 1));
    EXPECT_STATUS(kernel_write(a + len, 1), ZX_ERR_NOT_FOUND);
    EXPECT_STATUS(kernel_read(a + len, 1), ZX_ERR_NOT_FOUND);
    EXPECT_STATUS(kernel_write(a + len - 1, 2), ZX_ERR_NOT_FOUND);
    EXPECT_STATUS(kernel_read(a + len - 1, 2), ZX_ERR_NOT_FOUND);
}

CASE(Vmar, AllowFaultsTest)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    map(ROOT, RW | ZX_VM_ALLOW_FAULTS, 0, vmo, 0, PAGE);
    EXPECT_OK(zx_handle_close(vmo));
}

CASE(Vmar, RangeOpCommitVmoPages2)
{
    const size_t vmo_size = 10 * PAGE;
    zx_handle_t vmo = vmo_create(vmo_size, 0);
    zx_vaddr_t base = 0;
    zx_handle_t vmar = subvmar(ROOT, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, vmo_size, &base);
    const size_t len1 = 5 * PAGE, len2 = 4 * PAGE;
    zx_vaddr_t a1 = map(vmar, ZX_VM_SPECIFIC | RW, 0, vmo, 0, len1);
    ASSERT_EQ(a1, base);
    /* A second mapping one unmapped page after the first. */
    zx_vaddr_t a2 = map(vmar, ZX_VM_SPECIFIC | RW, len1 + PAGE, vmo, 5 * PAGE, len2);
    ASSERT_NE(a1, a2);
    memset((void *)a1, 0, len2);
    memset((void *)a2, 0, len2);
    EXPECT_EQ(committed(vmo), 8 * PAGE);
    EXPECT_OK(zx_vmar_op_range(vmar, ZX_VMAR_OP_DECOMMIT, a2, len2, NULL, 0));
    /* Only the second mapping's pages went. */
    EXPECT_EQ(committed(vmo), 4 * PAGE);
}

CASE(Vmar, BadRangeOpNestedVmar)
{
    zx_handle_t mid = subvmar(ROOT, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, 8 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = map(mid, ZX_VM_SPECIFIC | RW, PAGE, vmo, 0, PAGE);
    EXPECT_STATUS(zx_vmar_op_range(ROOT, ZX_VMAR_OP_COMMIT, a, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_op_range(ROOT, ZX_VMAR_OP_DECOMMIT, a, PAGE, NULL, 0),
                  ZX_ERR_INVALID_ARGS);
}

CASE(Vmar, RangeOpCommit)
{
    const size_t vmar_size = 20 * PAGE, sub_size = 8 * PAGE, vmo_size = 5 * PAGE;
    zx_vaddr_t base = 0, b1 = 0, b2 = 0;
    zx_handle_t vmar = subvmar(ROOT, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, vmar_size, &base);
    const zx_vm_option_t sub_opts = CAN_RW | ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_SPECIFIC;
    zx_handle_t s1 = subvmar(vmar, sub_opts, PAGE, sub_size, &b1);
    ASSERT_EQ(b1, base + PAGE);
    zx_handle_t s2 = subvmar(vmar, sub_opts, sub_size + 2 * PAGE, sub_size, &b2);
    ASSERT_EQ(b2, b1 + sub_size + PAGE);

    zx_handle_t vmo = vmo_create(vmo_size, 0);
    zx_handle_t clone = child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, vmo_size);
    zx_vaddr_t a1 = map(s1, ZX_VM_SPECIFIC | RW, 0, vmo, 0, vmo_size);
    ASSERT_EQ(a1, b1);
    zx_vaddr_t a2 = map(s2, ZX_VM_SPECIFIC | RW, 0, clone, 0, vmo_size);
    ASSERT_EQ(a2, b2);

    /* Pages 1-2 of the parent, pages 2-3 of the clone. The parent had
     * nothing when the clone was made, so nothing is shared (RSS = USS). */
    ASSERT_OK(zx_vmar_op_range(s1, ZX_VMAR_OP_COMMIT, a1 + PAGE, 2 * PAGE, NULL, 0));
    ASSERT_OK(zx_vmar_op_range(s2, ZX_VMAR_OP_COMMIT, a2 + 2 * PAGE, 2 * PAGE, NULL, 0));
    EXPECT_EQ(committed(vmo), 2 * PAGE);
    EXPECT_EQ(committed(clone), 2 * PAGE);

    ASSERT_OK(zx_vmar_op_range(s2, ZX_VMAR_OP_COMMIT, a2, vmo_size, NULL, 0));
    EXPECT_EQ(committed(vmo), 2 * PAGE);
    EXPECT_EQ(committed(clone), vmo_size);

    /* A mapping made from a read-only handle cannot be committed. */
    zx_handle_t ro = dup(vmo, ZX_RIGHT_MAP | ZX_RIGHT_READ);
    zx_vaddr_t ra = map(vmar, ZX_VM_SPECIFIC | ZX_VM_PERM_READ, vmar_size - PAGE, ro, 0, PAGE);
    ASSERT_EQ(ra, base + vmar_size - PAGE);
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMAR_OP_COMMIT, ra, PAGE, NULL, 0),
                  ZX_ERR_ACCESS_DENIED);
    EXPECT_EQ(committed(vmo), 2 * PAGE);
    EXPECT_EQ(committed(clone), vmo_size);

    /* Outside the region; gaps in the range. */
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMAR_OP_COMMIT, base, 2 * vmar_size, NULL, 0),
                  ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMAR_OP_COMMIT, 0, vmar_size, NULL, 0),
                  ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMAR_OP_COMMIT, base, vmar_size, NULL, 0),
                  ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMAR_OP_COMMIT, base, b1 + sub_size - base, NULL, 0),
                  ZX_ERR_BAD_STATE);
}

CASE(Vmar, ProtectCowWritable)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    uint64_t val = 42;
    EXPECT_OK(zx_vmo_write(vmo, &val, 0, sizeof val));
    zx_handle_t clone = child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    zx_vaddr_t a = map(ROOT, RW, 0, clone, 0, 2 * PAGE);
    EXPECT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ, a, 2 * PAGE));
    /* Read through the mapping so that entries for the shared page exist. */
    uint64_t seen = *(volatile uint64_t *)a;
    EXPECT_OK(zx_vmo_read(clone, &val, 0, sizeof val));
    EXPECT_EQ(seen, val);
    /* Writable again, the first store must still fork the shared page. */
    EXPECT_OK(zx_vmar_protect(ROOT, RW, a, PAGE));
    *(volatile uint64_t *)a = 77;
    EXPECT_OK(zx_vmo_read(vmo, &val, 0, sizeof val));
    EXPECT_EQ(val, 42);
    EXPECT_OK(zx_vmo_read(clone, &val, 0, sizeof val));
    EXPECT_EQ(val, 77);
}

/* Current Zircon reports no execute-only support on either architecture
 * (docs/semantics.md "Choices"), so READ_IF_XOM_UNSUPPORTED means READ. */
CASE(Vmar, MapReadIfXomUnsupported)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = map(ROOT, ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED, 0, vmo, 0, PAGE);
    EXPECT_OK(zx_handle_close(vmo));
    EXPECT_OK(kernel_read(a, 1));
}

CASE(Vmar, ProtectReadIfXomUnsupported)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = map(ROOT, ZX_VM_PERM_READ, 0, vmo, 0, PAGE);
    EXPECT_OK(zx_handle_close(vmo));
    ASSERT_OK(kernel_read(a, 1));
    ASSERT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED, a, PAGE));
    EXPECT_OK(kernel_read(a, 1));
}

/* ---- Cases that only newer revisions of vmar.cc have (read in the
 * misttech/fuchsia mirror). ---- */

/* A duplicate of a VMAR handle without ZX_RIGHT_OP_CHILDREN. */
static zx_handle_t without_op_children(zx_handle_t vmar)
{
    return dup(vmar, rights_of(vmar) & ~ZX_RIGHT_OP_CHILDREN);
}

CASE(Vmar, ProtectSubregionTest)
{
    /* A one-page region holding a one-page sub-region holding a one-page
     * mapping: all three start at the same address. */
    zx_vaddr_t outer_base = 0, inner_base = 0;
    zx_handle_t outer = subvmar(ROOT, CAN_RW, 0, PAGE, &outer_base);
    zx_handle_t inner = subvmar(outer, CAN_RW, 0, PAGE, &inner_base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = map(inner, RW, 0, vmo, 0, PAGE);
    EXPECT_EQ(outer_base, inner_base);
    EXPECT_EQ(outer_base, a);

    /* Through the outer handle a mapping below can lose WRITE... */
    EXPECT_OK(zx_vmar_protect(outer, ZX_VM_PERM_READ, a, PAGE));
    EXPECT_STATUS(kernel_write(a, 1), ZX_ERR_ACCESS_DENIED);
    /* ...but not get it back. */
    EXPECT_STATUS(zx_vmar_protect(outer, RW, a, PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(kernel_write(a, 1), ZX_ERR_ACCESS_DENIED);
    /* The handle of the region that holds the mapping can. */
    EXPECT_OK(zx_vmar_protect(inner, RW, a, PAGE));
    EXPECT_OK(kernel_write(a, 1));

    /* Without OP_CHILDREN the outer handle cannot even lower it. */
    zx_handle_t weak = without_op_children(outer);
    EXPECT_STATUS(zx_vmar_protect(weak, ZX_VM_PERM_READ, a, PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_OK(kernel_write(a, 1));
}

CASE(Vmar, UnmapOpChildren)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t outer_base = 0, inner_base = 0;
    zx_handle_t outer = subvmar(ROOT, CAN_RW, 0, PAGE, &outer_base);
    zx_handle_t inner = subvmar(outer, CAN_RW, 0, PAGE, &inner_base);
    zx_vaddr_t a = map(inner, RW, 0, vmo, 0, PAGE);
    EXPECT_EQ(outer_base, inner_base);
    EXPECT_EQ(outer_base, a);

    /* An unmap that would take the sub-region needs OP_CHILDREN. */
    zx_handle_t weak = dup(outer, ZX_DEFAULT_VMAR_RIGHTS & ~ZX_RIGHT_OP_CHILDREN);
    EXPECT_STATUS(zx_vmar_unmap(weak, outer_base, PAGE), ZX_ERR_INVALID_ARGS);
    EXPECT_OK(kernel_read(a, 1));

    /* With it, the sub-region and its mapping go. */
    EXPECT_OK(zx_vmar_unmap(outer, outer_base, PAGE));
    EXPECT_STATUS(kernel_read(a, 1), ZX_ERR_NOT_FOUND);
    zx_vaddr_t b = 0;
    EXPECT_STATUS(zx_vmar_map(inner, RW, 0, vmo, 0, PAGE, &b), ZX_ERR_BAD_STATE);
}

CASE(Vmar, RangeOpZero)
{
    const size_t size = 4 * PAGE;
    zx_handle_t vmo = vmo_create(size, 0);
    vmo_fill(vmo, 0, size, 0x55);
    zx_vaddr_t base = 0;
    zx_handle_t vmar = subvmar(ROOT, CAN_RW, 0, size, &base);
    zx_vaddr_t a = map(vmar, RW, 0, vmo, 0, size);

    /* Zeroing through the mapping reaches the VMO. */
    ASSERT_OK(zx_vmar_op_range(vmar, ZX_VMAR_OP_ZERO, a, size, NULL, 0));
    EXPECT_VMO_FILLED(vmo, 0, size, 0);

    /* The address must be page-aligned. */
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMAR_OP_ZERO, a + 1, size, NULL, 0),
                  ZX_ERR_INVALID_ARGS);
    ASSERT_OK(zx_vmar_unmap(vmar, a, size));

    /* A mapping made from a handle without WRITE cannot be zeroed. */
    zx_handle_t ro = dup(vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    a = map(vmar, ZX_VM_PERM_READ, 0, ro, 0, size);
    vmo_fill(vmo, 0, size, 0x66);
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMAR_OP_ZERO, a, size, NULL, 0), ZX_ERR_ACCESS_DENIED);
    EXPECT_VMO_FILLED(vmo, 0, size, 0x66);
}

CASE(Vmar, RangeOpSubRegions)
{
    zx_vaddr_t outer_base = 0, inner_base = 0;
    zx_handle_t outer = subvmar(ROOT, CAN_RW, 0, PAGE, &outer_base);
    zx_handle_t inner = subvmar(outer, CAN_RW, 0, PAGE, &inner_base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = map(inner, RW, 0, vmo, 0, PAGE);
    EXPECT_EQ(outer_base, inner_base);
    EXPECT_EQ(outer_base, a);
    zx_handle_t weak = without_op_children(outer);

    /* The hints and MAP_RANGE reach into the sub-region only with
     * OP_CHILDREN. */
    static const uint32_t through[] = {ZX_VMAR_OP_MAP_RANGE, ZX_VMAR_OP_DONT_NEED,
                                       ZX_VMAR_OP_ALWAYS_NEED};
    for (size_t i = 0; i < sizeof through / sizeof through[0]; i++) {
        EXPECT_OK(zx_vmar_op_range(outer, through[i], a, PAGE, NULL, 0));
        EXPECT_STATUS(zx_vmar_op_range(weak, through[i], a, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS);
    }
    /* COMMIT and DECOMMIT never act through a parent region. */
    static const uint32_t never[] = {ZX_VMAR_OP_COMMIT, ZX_VMAR_OP_DECOMMIT};
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
        EXPECT_STATUS(zx_vmar_op_range(weak, never[i], a, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS);
        EXPECT_STATUS(zx_vmar_op_range(outer, never[i], a, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS);
    }
}

CASE(Vmar, OpOnRangeWithChildVmarNextToIt)
{
    /* parent (2 pages) > A (2 pages) > [ mapping | sub-region B ]: an op on
     * the mapping's range must not trip over B right after it. */
    const zx_vm_option_t spec_rw = CAN_RW | ZX_VM_CAN_MAP_SPECIFIC;
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t parent = subvmar(ROOT, spec_rw, 0, 2 * PAGE, NULL);
    zx_handle_t a = subvmar(parent, spec_rw, 0, 2 * PAGE, NULL);
    subvmar(a, spec_rw | ZX_VM_SPECIFIC, PAGE, PAGE, NULL);
    zx_vaddr_t m = map(a, ZX_VM_SPECIFIC | RW, 0, vmo, 0, PAGE);
    EXPECT_OK(zx_vmar_op_range(parent, ZX_VMAR_OP_MAP_RANGE, m, PAGE, NULL, 0));
}

CASE(Vmar, MapRangeResizable)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    zx_vaddr_t a = 0;

    /* MAP_RANGE inside the VMO, partly past its end, wholly past it. */
    ASSERT_OK(zx_vmar_map(ROOT, ZX_VM_MAP_RANGE, 0, vmo, 0, PAGE, &a));
    EXPECT_OK(zx_vmar_unmap(ROOT, a, PAGE));
    ASSERT_OK(zx_vmar_map(ROOT, ZX_VM_MAP_RANGE | ZX_VM_PERM_READ, 0, vmo, 0, 2 * PAGE, &a));
    EXPECT_STATUS(kernel_read(a + PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(zx_vmar_unmap(ROOT, a, 2 * PAGE));
    ASSERT_OK(zx_vmar_map(ROOT, ZX_VM_MAP_RANGE, 0, vmo, 2 * PAGE, 2 * PAGE, &a));
    EXPECT_OK(zx_vmar_unmap(ROOT, a, 2 * PAGE));

    /* Grow to two pages and commit both (upstream's comment asks for the
     * writes, so that MAP_RANGE has entries to install), map, then shrink:
     * the second page must stop being reachable. */
    ASSERT_OK(zx_vmo_set_size(vmo, 2 * PAGE));
    vmo_fill(vmo, 0, 2 * PAGE, 0x21);
    a = map(ROOT, ZX_VM_MAP_RANGE | ZX_VM_PERM_READ, 0, vmo, 0, 2 * PAGE);
    ASSERT_OK(zx_vmo_set_size(vmo, PAGE));
    EXPECT_OK(kernel_read(a, 1));
    EXPECT_STATUS(kernel_read(a + PAGE, 1), ZX_ERR_OUT_OF_RANGE);
}

CASE(Vmar, Prefetch)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    /* A four-page region with the mapping in pages 1-2. */
    zx_vaddr_t base = 0;
    zx_handle_t vmar = subvmar(ROOT, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, 4 * PAGE, &base);
    zx_vaddr_t a = map(vmar, RW | ZX_VM_SPECIFIC, PAGE, vmo, 0, 2 * PAGE);
    EXPECT_EQ(a, base + PAGE);

    EXPECT_OK(zx_vmar_op_range(vmar, ZX_VMAR_OP_PREFETCH, a, PAGE, NULL, 0));
    EXPECT_OK(zx_vmar_op_range(vmar, ZX_VMAR_OP_PREFETCH, a, 2 * PAGE, NULL, 0));
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMAR_OP_PREFETCH, a, 0, NULL, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMAR_OP_PREFETCH, a + PAGE - 1, 2, NULL, 0),
                  ZX_ERR_INVALID_ARGS);
    /* Past the region: OUT_OF_RANGE; into its unmapped last page:
     * BAD_STATE. */
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMAR_OP_PREFETCH, a + 2 * PAGE, 2 * PAGE, NULL, 0),
                  ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMAR_OP_PREFETCH, a + 2 * PAGE, PAGE, NULL, 0),
                  ZX_ERR_BAD_STATE);
    /* Never through a parent region. */
    EXPECT_STATUS(zx_vmar_op_range(ROOT, ZX_VMAR_OP_PREFETCH, a, PAGE, NULL, 0),
                  ZX_ERR_INVALID_ARGS);
    /* The maximum permissions decide, not the current ones. */
    EXPECT_OK(zx_vmar_protect(vmar, 0, a, 2 * PAGE));
    EXPECT_OK(zx_vmar_op_range(vmar, ZX_VMAR_OP_PREFETCH, a, 2 * PAGE, NULL, 0));
}

#define FAULT_STREAM (ZX_VM_FAULT_BEYOND_STREAM_SIZE | ZX_VM_ALLOW_FAULTS)

static uint64_t stream_size_of(zx_handle_t vmo)
{
    uint64_t s = 0xDEADBEEF;
    EXPECT_OK(zx_vmo_get_stream_size(vmo, &s));
    return s;
}

CASE(Vmar, FaultBeyondStreamSize)
{
    const zx_vm_option_t can = CAN_RW | ZX_VM_CAN_MAP_SPECIFIC;
    zx_handle_t vmar = subvmar(ROOT, can, 0, 6 * PAGE, NULL);

    /* An unbounded VMO whose stream is three pages long. */
    zx_handle_t vmo = vmo_create(3 * PAGE, ZX_VMO_UNBOUNDED);
    EXPECT_EQ(stream_size_of(vmo), 3 * PAGE);
    EXPECT_GT(vmo_size(vmo), 3 * PAGE);

    /* The option needs ZX_VM_ALLOW_FAULTS. */
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC | ZX_VM_FAULT_BEYOND_STREAM_SIZE, 0, vmo, 0,
                              4 * PAGE, &a),
                  ZX_ERR_INVALID_ARGS);

    /* Four pages mapped: the fourth lies past the stream. */
    a = map(vmar, RW | ZX_VM_SPECIFIC | FAULT_STREAM, 0, vmo, 0, 4 * PAGE);
    EXPECT_OK(kernel_read(a, 1));
    EXPECT_STATUS(kernel_read(a + 3 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(kernel_write(a + 3 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);

    /* Giving the VMO pages there changes nothing for the mapping. */
    vmo_fill(vmo, 0, 4 * PAGE, 0);
    EXPECT_VMO_FILLED(vmo, 0, 4 * PAGE, 0);
    EXPECT_STATUS(kernel_read(a + 3 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_VMO_FILLED(vmo, 0, 4 * PAGE, 0);
    EXPECT_OK(kernel_write(a, 1));

    /* A shorter stream moves the limit down with it. */
    EXPECT_OK(zx_vmo_set_stream_size(vmo, 2 * PAGE));
    EXPECT_STATUS(kernel_write(a + 2 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(kernel_read(a + 2 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);

    /* A stream of half a page. */
    zx_handle_t vmo2 = vmo_create(PAGE / 2, ZX_VMO_UNBOUNDED);
    EXPECT_EQ(stream_size_of(vmo2), PAGE / 2);
    EXPECT_GT(vmo_size(vmo2), PAGE / 2);
    zx_vaddr_t a2 = 0;
    EXPECT_STATUS(zx_vmar_map(vmar, ZX_VM_PERM_READ | ZX_VM_SPECIFIC | FAULT_STREAM, 0, vmo2, 0,
                              2 * PAGE, &a2),
                  ZX_ERR_ALREADY_EXISTS);
    /* Laid read-only over the first two pages of the other mapping. */
    a2 = map(vmar, ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE | FAULT_STREAM, 0, vmo2, 0, 2 * PAGE);
    EXPECT_EQ(a, a2);
    EXPECT_STATUS(kernel_write(a, 1), ZX_ERR_ACCESS_DENIED);
    /* The page holding the end of the stream is whole; the next is not. */
    EXPECT_OK(kernel_read(a2, 1));
    EXPECT_OK(kernel_read(a2 + PAGE - sizeof(zx_vaddr_t), sizeof(zx_vaddr_t)));
    EXPECT_STATUS(kernel_read(a2 + PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(zx_vmar_destroy(vmar));

    /* Pages the VMO has beyond the stream are not reachable until the
     * stream grows over them, and not after it shrinks again. */
    vmar = subvmar(ROOT, can, 0, 6 * PAGE, NULL);
    zx_handle_t vmo3 = vmo_create(2 * PAGE, ZX_VMO_UNBOUNDED);
    EXPECT_EQ(stream_size_of(vmo3), 2 * PAGE);
    EXPECT_GT(vmo_size(vmo3), 2 * PAGE);
    vmo_fill(vmo3, 0, 4 * PAGE, 0);
    EXPECT_VMO_FILLED(vmo3, 0, 4 * PAGE, 0);
    zx_vaddr_t a3 = map(vmar, RW | ZX_VM_SPECIFIC | FAULT_STREAM, 0, vmo3, 0, 6 * PAGE);
    EXPECT_STATUS(kernel_read(a3 + 2 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(zx_vmo_set_stream_size(vmo3, 4 * PAGE));
    EXPECT_OK(kernel_read(a3 + 2 * PAGE, 1));
    EXPECT_OK(zx_vmo_set_stream_size(vmo3, 2 * PAGE));
    EXPECT_STATUS(kernel_read(a3 + 2 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
}

static uint64_t vmo_u64(zx_handle_t vmo, uint64_t offset)
{
    uint64_t v = 0x5A5A5A5A5A5A5A5Aull;
    EXPECT_OK(zx_vmo_read(vmo, &v, offset, sizeof v));
    return v;
}

CASE(Vmar, FaultBeyondReducedStreamSize)
{
    const zx_vm_option_t can = CAN_RW | ZX_VM_CAN_MAP_SPECIFIC;
    zx_handle_t vmar = subvmar(ROOT, can, 0, 6 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(5 * PAGE, ZX_VMO_UNBOUNDED);
    zx_vaddr_t a = map(vmar, RW | ZX_VM_SPECIFIC | FAULT_STREAM, 0, vmo, 0, 6 * PAGE);

    /* Stores into each of the five stream pages; the sixth is past it. */
    for (int i = 0; i < 5; i++)
        *(volatile uint64_t *)(a + i * PAGE) = 0xdeadbeef;
    EXPECT_STATUS(kernel_write(a + 5 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_EQ(vmo_u64(vmo, 0), 0xdeadbeef);
    EXPECT_EQ(vmo_u64(vmo, 4 * PAGE), 0xdeadbeef);

    /* One page less: the populated fifth page stops being reachable. */
    EXPECT_OK(kernel_read(a + 4 * PAGE, 1));
    EXPECT_OK(zx_vmo_set_stream_size(vmo, 4 * PAGE));
    EXPECT_STATUS(kernel_read(a + 4 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);

    /* Half a page less: the page stays reachable, its tail is zeroed. */
    *(volatile uint64_t *)(a + 4 * PAGE - sizeof(uint64_t)) = 0xdeadbeef;
    EXPECT_OK(zx_vmo_set_stream_size(vmo, 3 * PAGE + PAGE / 2));
    EXPECT_OK(kernel_read(a + 3 * PAGE, 1));
    EXPECT_EQ(vmo_u64(vmo, 3 * PAGE + PAGE / 2), 0);
    EXPECT_EQ(vmo_u64(vmo, 3 * PAGE), 0xdeadbeef);
    EXPECT_EQ(vmo_u64(vmo, 4 * PAGE - sizeof(uint64_t)), 0);

    /* The content-size property moves the same limit. */
    uint64_t cs = 2 * PAGE;
    EXPECT_OK(zx_object_set_property(vmo, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs));
    EXPECT_STATUS(kernel_read(a + 3 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(kernel_read(a + 2 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(kernel_read(a + PAGE, 1));
    EXPECT_OK(kernel_read(a, 1));
    EXPECT_OK(zx_vmar_destroy(vmar));

    /* The same with a fixed-size VMO whose stream is cut to two pages and
     * whose pages are then all committed. (Upstream writes the 4 pages into
     * the unbounded VMO above, which looks like a slip; here they go into
     * this one, which is what makes the check meaningful.) */
    vmar = subvmar(ROOT, can, 0, 4 * PAGE, NULL);
    zx_handle_t bounded = vmo_create(4 * PAGE, 0);
    a = map(vmar, RW | ZX_VM_SPECIFIC | FAULT_STREAM, 0, bounded, 0, 4 * PAGE);
    EXPECT_OK(zx_vmo_set_stream_size(bounded, 2 * PAGE));
    vmo_fill(bounded, 0, 4 * PAGE, 1);
    EXPECT_STATUS(kernel_read(a + 3 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(kernel_read(a + 2 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
}

CASE(Vmar, FaultBeyondStreamSizeRange)
{
    zx_handle_t vmar = subvmar(ROOT, CAN_RW | ZX_VM_CAN_MAP_SPECIFIC, 0, 6 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(2 * PAGE, ZX_VMO_UNBOUNDED);
    /* Four pages of data, two of them past the stream. */
    vmo_fill(vmo, 0, 4 * PAGE, 1);
    EXPECT_VMO_FILLED(vmo, 0, 4 * PAGE, 1);
    zx_vaddr_t a =
        map(vmar, RW | ZX_VM_SPECIFIC | FAULT_STREAM | ZX_VM_MAP_RANGE, 0, vmo, 0, 6 * PAGE);

    /* Ranges that reach past the stream are refused whole. */
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMAR_OP_PREFETCH, a, 3 * PAGE, NULL, 0),
                  ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(kernel_read(a + 2 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMAR_OP_COMMIT, a, 3 * PAGE, NULL, 0),
                  ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(kernel_read(a + 2 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(kernel_write(a + 2 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMAR_OP_DECOMMIT, a, 3 * PAGE, NULL, 0),
                  ZX_ERR_OUT_OF_RANGE);
    EXPECT_VMO_FILLED(vmo, 0, 4 * PAGE, 1);

    /* Up to the stream size they work. */
    EXPECT_OK(zx_vmar_op_range(vmar, ZX_VMAR_OP_PREFETCH, a, 2 * PAGE, NULL, 0));
    EXPECT_OK(zx_vmar_op_range(vmar, ZX_VMAR_OP_COMMIT, a, 2 * PAGE, NULL, 0));
    EXPECT_OK(zx_vmar_op_range(vmar, ZX_VMAR_OP_DECOMMIT, a, 2 * PAGE, NULL, 0));
    /* As long as the stream's length, but shifted by a page: too far. */
    EXPECT_STATUS(zx_vmar_op_range(vmar, ZX_VMAR_OP_COMMIT, a + PAGE, 2 * PAGE, NULL, 0),
                  ZX_ERR_OUT_OF_RANGE);

    /* The decommit emptied the stream pages only. */
    EXPECT_VMO_FILLED(vmo, 0, 2 * PAGE, 0);
    EXPECT_VMO_FILLED(vmo, 2 * PAGE, 2 * PAGE, 1);
}

CASE(Vmar, ConcurrentUnmapReadMemory)
{
    /* Upstream races zx_process_read_memory on one thread against map and
     * unmap of a fresh VMO on another. One thread here: the kernel reads the
     * address between the steps, and must find the page exactly while it is
     * mapped. */
    zx_vaddr_t base = 0;
    zx_handle_t vmar =
        subvmar(ROOT, ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ, 0, 4 * PAGE, &base);
    for (int i = 0; i < 1000; i++) {
        zx_handle_t vmo = ZX_HANDLE_INVALID;
        ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
        zx_vaddr_t a = 0;
        zx_status_t s = zx_vmar_map(vmar, ZX_VM_SPECIFIC | ZX_VM_PERM_READ, 0, vmo, 0, PAGE, &a);
        /* The VMO lives on in the mapping only. */
        EXPECT_OK(zx_handle_close(vmo));
        ASSERT_OK(s);
        ASSERT_EQ(a, base);
        ASSERT_OK(kernel_read(base, sizeof(uint64_t)));
        ASSERT_OK(zx_vmar_unmap(vmar, base, PAGE));
        ASSERT_STATUS(kernel_read(base, sizeof(uint64_t)), ZX_ERR_NOT_FOUND);
    }
}

/* ================= protect.cc ================= */

/* A 64-page VMO, fully committed, page i holding i + 1; ranges of it are
 * mapped, protected and unmapped, and the result is checked two ways: the
 * records of ZX_INFO_PROCESS_MAPS, and kernel copies through every page. */
#define TEST_PAGES 64

enum {
    R = ZX_VM_PERM_READ,
    W = ZX_VM_PERM_WRITE,
    PERMS = R | W,
    UNMAP = 1u << 8,  /* the range is (to be) unmapped */
    DO_MAP = 1u << 9, /* map the range (RW, at its own VMO offset) first */
};

typedef struct {
    uint32_t start, end, flags;
} prange_t;

#define RANGES(...)                                                                                \
    ((const prange_t[]){__VA_ARGS__}), (sizeof((const prange_t[]){__VA_ARGS__}) / sizeof(prange_t))
#define NO_RANGES NULL, 0

static zx_handle_t test_vmo(void)
{
    zx_handle_t vmo = vmo_create(TEST_PAGES * PAGE, 0);
    for (uint64_t i = 0; i < TEST_PAGES; i++) {
        uint64_t v = i + 1;
        EXPECT_OK(zx_vmo_write(vmo, &v, i * PAGE, sizeof v));
    }
    return vmo;
}

#define MAX_PROCESS_MAPS 512
static zx_info_maps_t process_maps[MAX_PROCESS_MAPS];

/* Each range must be exactly one MAPPING record (bounds, VMO offset and
 * permissions), or, if UNMAP, covered by no record. */
static void check_maps(int line, zx_vaddr_t base, const prange_t *want, size_t n)
{
    size_t actual = 0, avail = 0;
    if (!conf_check_status(__FILE__, line, "zx_object_get_info(ZX_INFO_PROCESS_MAPS)",
                           zx_object_get_info(SELF, ZX_INFO_PROCESS_MAPS, process_maps,
                                              sizeof process_maps, &actual, &avail),
                           ZX_OK))
        return;
    if (actual != avail) {
        conf_fail(__FILE__, line, "more than %d PROCESS_MAPS records", MAX_PROCESS_MAPS);
        return;
    }
    /* Not an upstream check, but true of any record: a mapping covers at
     * least one page. */
    for (size_t i = 0; i < actual; i++) {
        const zx_info_maps_t *m = &process_maps[i];
        if (m->type == ZX_INFO_MAPS_TYPE_MAPPING && m->base >= base &&
            m->base < base + TEST_PAGES * PAGE && (m->size == 0 || (m->size & (PAGE - 1))))
            conf_fail(__FILE__, line, "a mapping record at page %lld has size 0x%llx",
                      (long long)((m->base - base) / PAGE), (unsigned long long)m->size);
    }
    for (size_t k = 0; k < n; k++) {
        const zx_vaddr_t lo = base + want[k].start * PAGE, hi = base + want[k].end * PAGE;
        const zx_info_maps_t *found = NULL;
        for (size_t i = 0; i < actual && !found; i++) {
            const zx_info_maps_t *m = &process_maps[i];
            if (m->type == ZX_INFO_MAPS_TYPE_MAPPING && m->base <= lo && m->base + m->size >= hi)
                found = m;
        }
        if (want[k].flags & UNMAP) {
            if (found)
                conf_fail(__FILE__, line, "pages [%u, %u) should be unmapped: a record covers them",
                          want[k].start, want[k].end);
            continue;
        }
        if (!found) {
            conf_fail(__FILE__, line, "no single mapping record covers pages [%u, %u)",
                      want[k].start, want[k].end);
            continue;
        }
        if (found->base != lo || found->base + found->size != hi)
            conf_fail(__FILE__, line, "pages [%u, %u): the record is [%lld, %lld)", want[k].start,
                      want[k].end, (long long)((found->base - base) / PAGE),
                      (long long)((found->base + found->size - base) / PAGE));
        if (found->u.mapping.vmo_offset != found->base - base)
            conf_fail(__FILE__, line, "pages [%u, %u): vmo_offset 0x%llx, expected 0x%llx",
                      want[k].start, want[k].end, (unsigned long long)found->u.mapping.vmo_offset,
                      (unsigned long long)(found->base - base));
        if ((found->u.mapping.mmu_flags & PERMS) != (want[k].flags & PERMS))
            conf_fail(__FILE__, line, "pages [%u, %u): permissions 0x%x, expected 0x%x",
                      want[k].start, want[k].end, found->u.mapping.mmu_flags & PERMS,
                      want[k].flags & PERMS);
    }
}

/* Reads and writes every page of each mapped range through kernel copies;
 * stops at the first wrong page of a range. */
static void check_access(int line, zx_vaddr_t base, const prange_t *want, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (want[k].flags & UNMAP)
            continue;
        for (uint32_t page = want[k].start; page < want[k].end; page++) {
            const zx_vaddr_t addr = base + page * PAGE;
            uint64_t v = 0;
            zx_status_t rs = zx_vmo_write(probe, (const void *)addr, 0, sizeof v);
            zx_status_t want_rs = want[k].flags & R ? ZX_OK : ZX_ERR_ACCESS_DENIED;
            if (rs != want_rs) {
                conf_fail(__FILE__, line, "page %u: kernel read gives %s, expected %s", page,
                          conf_status_name(rs), conf_status_name(want_rs));
                break;
            }
            if (rs == ZX_OK) {
                EXPECT_OK(zx_vmo_read(probe, &v, 0, sizeof v));
                if (v != page + 1) {
                    conf_fail(__FILE__, line, "page %u holds %llu, expected %u", page,
                              (unsigned long long)v, page + 1);
                    break;
                }
            }
            v = page + 1;
            EXPECT_OK(zx_vmo_write(probe, &v, 0, sizeof v));
            zx_status_t ws = zx_vmo_read(probe, (void *)addr, 0, sizeof v);
            zx_status_t want_ws = want[k].flags & W ? ZX_OK : ZX_ERR_ACCESS_DENIED;
            if (ws != want_ws) {
                conf_fail(__FILE__, line, "page %u: kernel write gives %s, expected %s", page,
                          conf_status_name(ws), conf_status_name(want_ws));
                break;
            }
        }
    }
}

/* One upstream TestOps run: optionally map the whole VMO, apply the ops
 * (map+protect, protect, or unmap) and check the final ranges. */
static void test_ops_once(int line, zx_handle_t vmo, const prange_t *ops, size_t nops,
                          const prange_t *fin, size_t nfin, zx_vm_option_t extra, bool start_mapped)
{
    zx_vaddr_t base = 0;
    zx_handle_t vmar = subvmar(ROOT, ZX_VM_CAN_MAP_SPECIFIC | CAN_RW, 0, TEST_PAGES * PAGE, &base);
    zx_vaddr_t a = 0;
    if (start_mapped)
        ASSERT_OK(zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC | extra, 0, vmo, 0, TEST_PAGES * PAGE, &a));
    for (size_t k = 0; k < nops; k++) {
        const zx_vaddr_t lo = base + ops[k].start * PAGE;
        const size_t len = (ops[k].end - ops[k].start) * PAGE;
        if (ops[k].flags & UNMAP) {
            if (!CONF_STATUS("zx_vmar_unmap()", zx_vmar_unmap(vmar, lo, len), ZX_OK))
                conf_fail(__FILE__, line, "(op %zu)", k);
            continue;
        }
        if (ops[k].flags & DO_MAP) {
            /* Created RW and lowered by the protect below: every DO_MAP
             * range then has the same maximum, which joining needs. */
            zx_vaddr_t got = 0;
            if (!CONF_STATUS("zx_vmar_map()",
                             zx_vmar_map(vmar, RW | ZX_VM_SPECIFIC | extra, ops[k].start * PAGE,
                                         vmo, ops[k].start * PAGE, len, &got),
                             ZX_OK))
                conf_fail(__FILE__, line, "(op %zu)", k);
            else if (got != lo)
                conf_fail(__FILE__, line, "op %zu mapped at 0x%llx, expected 0x%llx", k,
                          (unsigned long long)got, (unsigned long long)lo);
        }
        if (!CONF_STATUS("zx_vmar_protect()", zx_vmar_protect(vmar, ops[k].flags & PERMS, lo, len),
                         ZX_OK))
            conf_fail(__FILE__, line, "(op %zu)", k);
    }
    check_maps(line, base, fin, nfin);
    check_access(line, base, fin, nfin);
    EXPECT_OK(zx_vmar_destroy(vmar));
}

/* Each run twice: with page tables filled lazily and with MAP_RANGE, so
 * that both the bookkeeping and the installed entries are exercised. */
static void test_ops(int line, zx_handle_t vmo, const prange_t *ops, size_t nops,
                     const prange_t *fin, size_t nfin, bool start_mapped)
{
    test_ops_once(line, vmo, ops, nops, fin, nfin, 0, start_mapped);
    test_ops_once(line, vmo, ops, nops, fin, nfin, ZX_VM_MAP_RANGE, start_mapped);
}

#define MAPPED(...)   test_ops(__LINE__, vmo, __VA_ARGS__, true)
#define UNMAPPED(...) test_ops(__LINE__, vmo, __VA_ARGS__, false)

CASE(ProtectTestCase, SingleMapping)
{
    zx_handle_t vmo = test_vmo();
    MAPPED(NO_RANGES, RANGES({0, 64, R | W}));

    /* One protect at either end or in the middle. */
    MAPPED(RANGES({0, 24, R}), RANGES({0, 24, R}, {24, 64, R | W}));
    MAPPED(RANGES({37, 64, R}), RANGES({0, 37, R | W}, {37, 64, R}));
    MAPPED(RANGES({24, 37, R}), RANGES({0, 24, R | W}, {24, 37, R}, {37, 64, R | W}));

    /* The whole range. */
    MAPPED(RANGES({0, 64, R}), RANGES({0, 64, R}));
    MAPPED(RANGES({24, 37, R}, {0, 64, R}), RANGES({0, 64, R}));
    MAPPED(RANGES({24, 37, R}, {0, 64, R | W}), RANGES({0, 64, R | W}));

    /* Sub-ranges protected to what they already have. */
    MAPPED(RANGES({24, 37, R | W}), RANGES({0, 64, R | W}));
    MAPPED(RANGES({0, 24, R | W}), RANGES({0, 64, R | W}));
    MAPPED(RANGES({37, 64, R | W}), RANGES({0, 64, R | W}));
    /* Inside the first range. */
    MAPPED(RANGES({24, 37, R}, {0, 24, R | W}),
           RANGES({0, 24, R | W}, {24, 37, R}, {37, 64, R | W}));
    MAPPED(RANGES({24, 37, R}, {4, 24, R | W}),
           RANGES({0, 24, R | W}, {24, 37, R}, {37, 64, R | W}));
    MAPPED(RANGES({24, 37, R}, {0, 20, R | W}),
           RANGES({0, 24, R | W}, {24, 37, R}, {37, 64, R | W}));
    MAPPED(RANGES({24, 37, R}, {4, 20, R | W}),
           RANGES({0, 24, R | W}, {24, 37, R}, {37, 64, R | W}));
    /* Inside the last range. */
    MAPPED(RANGES({24, 37, R}, {37, 64, R | W}),
           RANGES({0, 24, R | W}, {24, 37, R}, {37, 64, R | W}));
    MAPPED(RANGES({24, 37, R}, {41, 64, R | W}),
           RANGES({0, 24, R | W}, {24, 37, R}, {37, 64, R | W}));
    MAPPED(RANGES({24, 37, R}, {41, 60, R | W}),
           RANGES({0, 24, R | W}, {24, 37, R}, {37, 64, R | W}));
    MAPPED(RANGES({24, 37, R}, {37, 60, R | W}),
           RANGES({0, 24, R | W}, {24, 37, R}, {37, 64, R | W}));
    /* Inside a middle range. */
    MAPPED(RANGES({10, 30, R}, {10, 30, R}), RANGES({0, 10, R | W}, {10, 30, R}, {30, 64, R | W}));
    MAPPED(RANGES({10, 30, R}, {10, 25, R}), RANGES({0, 10, R | W}, {10, 30, R}, {30, 64, R | W}));
    MAPPED(RANGES({10, 30, R}, {15, 30, R}), RANGES({0, 10, R | W}, {10, 30, R}, {30, 64, R | W}));
    MAPPED(RANGES({10, 30, R}, {15, 25, R}), RANGES({0, 10, R | W}, {10, 30, R}, {30, 64, R | W}));

    /* Filling the gap between two equal ranges in every way joins them. */
    static const prange_t fills[] = {{20, 30, R}, {10, 40, R}, {10, 30, R},
                                     {20, 40, R}, {15, 40, R}, {15, 30, R},
                                     {15, 35, R}, {10, 35, R}, {20, 35, R}};
    for (size_t i = 0; i < sizeof fills / sizeof fills[0]; i++)
        MAPPED(RANGES({10, 20, R}, {30, 40, R}, fills[i]),
               RANGES({0, 10, R | W}, {10, 40, R}, {40, 64, R | W}));
    /* Joining into the start. */
    static const prange_t starts[] = {{10, 20, R}, {5, 20, R}, {0, 20, R}, {5, 25, R},
                                      {10, 25, R}, {0, 30, R}, {5, 30, R}, {10, 30, R}};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
        MAPPED(RANGES({0, 10, R}, {20, 30, R}, {40, 64, R}, starts[i]),
               RANGES({0, 30, R}, {30, 40, R | W}, {40, 64, R}));
    /* Joining into the end. */
    static const prange_t ends[] = {{40, 50, R}, {40, 55, R}, {40, 64, R}, {35, 50, R}, {35, 55, R},
                                    {35, 64, R}, {30, 50, R}, {30, 55, R}, {30, 64, R}};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
        MAPPED(RANGES({30, 40, R}, {50, 64, R}, ends[i]), RANGES({0, 30, R | W}, {30, 64, R}));
}

CASE(ProtectTestCase, CreateCowClone)
{
    zx_handle_t vmo = test_vmo();
    zx_vaddr_t base = map(ROOT, RW | ZX_VM_MAP_RANGE, 0, vmo, 0, TEST_PAGES * PAGE);
    static const prange_t ro[] = {{0, 10, R}, {20, 30, R}, {40, 50, R}};
    for (size_t k = 0; k < 3; k++)
        EXPECT_OK(zx_vmar_protect(ROOT, ro[k].flags, base + ro[k].start * PAGE,
                                  (ro[k].end - ro[k].start) * PAGE));
    /* Touch everything so that every page has an entry. */
    check_access(__LINE__, base,
                 RANGES({0, 10, R}, {10, 20, R | W}, {20, 30, R}, {30, 40, R | W}, {40, 50, R},
                        {50, 64, R | W}));

    /* The snapshot must take write access away from every writable range,
     * so that the next store forks the parent's page. */
    zx_handle_t clone = child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, TEST_PAGES * PAGE);
    static const uint64_t pages[] = {10, 15, 19, 35, 50, 55, 63};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        const uint64_t page = pages[i];
        *(volatile uint64_t *)(base + page * PAGE) = page * 100;
        uint64_t v = 0;
        EXPECT_OK(zx_vmo_read(vmo, &v, page * PAGE, sizeof v));
        EXPECT_EQ(v, page * 100);
        EXPECT_OK(zx_vmo_read(clone, &v, page * PAGE, sizeof v));
        EXPECT_EQ(v, page + 1);
    }
}

CASE(ProtectTestCase, Unmap)
{
    zx_handle_t vmo = test_vmo();
    /* Plain unmaps. */
    MAPPED(RANGES({20, 40, UNMAP}), RANGES({0, 20, R | W}, {20, 40, UNMAP}, {40, 64, R | W}));
    MAPPED(RANGES({0, 20, UNMAP}), RANGES({0, 20, UNMAP}, {20, 64, R | W}));
    MAPPED(RANGES({20, 64, UNMAP}), RANGES({0, 20, R | W}, {20, 64, UNMAP}));

    /* One protected range, unmapped completely. */
    MAPPED(RANGES({0, 20, R}, {0, 20, UNMAP}), RANGES({0, 20, UNMAP}, {20, 64, R | W}));
    MAPPED(RANGES({0, 20, R}, {20, 64, UNMAP}), RANGES({0, 20, R}, {20, 64, UNMAP}));
    MAPPED(RANGES({20, 30, R}, {20, 30, UNMAP}),
           RANGES({0, 20, R | W}, {20, 30, UNMAP}, {30, 64, R | W}));

    /* One protected range, part of it unmapped. */
    MAPPED(RANGES({0, 20, R}, {0, 15, UNMAP}),
           RANGES({0, 15, UNMAP}, {15, 20, R}, {20, 64, R | W}));
    MAPPED(RANGES({0, 20, R}, {5, 15, UNMAP}),
           RANGES({0, 5, R}, {5, 15, UNMAP}, {15, 20, R}, {20, 64, R | W}));
    MAPPED(RANGES({0, 20, R}, {5, 20, UNMAP}), RANGES({0, 5, R}, {5, 20, UNMAP}, {20, 64, R | W}));
    MAPPED(RANGES({0, 20, R}, {20, 60, UNMAP}),
           RANGES({0, 20, R}, {20, 60, UNMAP}, {60, 64, R | W}));
    MAPPED(RANGES({0, 20, R}, {25, 60, UNMAP}),
           RANGES({0, 20, R}, {20, 25, R | W}, {25, 60, UNMAP}, {60, 64, R | W}));
    MAPPED(RANGES({0, 20, R}, {25, 64, UNMAP}),
           RANGES({0, 20, R}, {20, 25, R | W}, {20, 64, UNMAP}));
    MAPPED(RANGES({20, 40, R}, {20, 35, UNMAP}),
           RANGES({0, 20, R | W}, {20, 35, UNMAP}, {35, 40, R}, {40, 64, R | W}));
    MAPPED(RANGES({20, 40, R}, {25, 35, UNMAP}),
           RANGES({0, 20, R | W}, {20, 25, R}, {25, 35, UNMAP}, {35, 40, R}, {40, 64, R | W}));
    MAPPED(RANGES({20, 40, R}, {25, 40, UNMAP}),
           RANGES({0, 20, R | W}, {20, 25, R}, {25, 40, UNMAP}, {40, 64, R | W}));

    /* One protected range, unmapped across its edge. */
    MAPPED(RANGES({0, 30, R}, {0, 35, UNMAP}), RANGES({0, 35, UNMAP}, {35, 64, R | W}));
    MAPPED(RANGES({0, 30, R}, {25, 64, UNMAP}), RANGES({0, 25, R}, {25, 64, UNMAP}));
    MAPPED(RANGES({0, 30, R}, {25, 35, UNMAP}),
           RANGES({0, 25, R}, {25, 35, UNMAP}, {35, 64, R | W}));

    /* Several protected ranges, unmapped from the sides. */
    MAPPED(RANGES({0, 10, R}, {20, 30, R}, {40, 50, R}, {15, 64, UNMAP}),
           RANGES({0, 10, R}, {10, 15, R | W}, {15, 64, UNMAP}));
    MAPPED(RANGES({0, 10, R}, {20, 30, R}, {40, 50, R}, {20, 64, UNMAP}),
           RANGES({0, 10, R}, {10, 20, R | W}, {20, 64, UNMAP}));
    MAPPED(RANGES({0, 10, R}, {20, 30, R}, {40, 50, R}, {0, 40, UNMAP}),
           RANGES({0, 40, UNMAP}, {40, 50, R}, {50, 64, R | W}));
    MAPPED(RANGES({0, 10, R}, {20, 30, R}, {40, 50, R}, {0, 35, UNMAP}),
           RANGES({0, 35, UNMAP}, {35, 40, R | W}, {40, 50, R}, {50, 64, R | W}));

    /* Several protected ranges, unmapped in the middle. */
    MAPPED(RANGES({0, 10, R}, {20, 30, R}, {40, 50, R}, {10, 40, UNMAP}),
           RANGES({0, 10, R}, {10, 40, UNMAP}, {40, 50, R}, {50, 64, R | W}));
    MAPPED(RANGES({0, 10, R}, {20, 30, R}, {40, 50, R}, {15, 50, UNMAP}),
           RANGES({0, 10, R}, {10, 15, R | W}, {15, 50, UNMAP}, {50, 64, R | W}));
    MAPPED(RANGES({0, 10, R}, {20, 30, R}, {40, 50, R}, {0, 40, UNMAP}),
           RANGES({0, 40, UNMAP}, {40, 50, R}, {50, 64, R | W}));
    MAPPED(RANGES({0, 10, R}, {20, 30, R}, {40, 50, R}, {15, 45, UNMAP}),
           RANGES({0, 10, R}, {10, 15, R | W}, {15, 45, UNMAP}, {45, 50, R}, {50, 64, R | W}));
}

CASE(ProtectTestCase, MergeMappings)
{
    zx_handle_t vmo = test_vmo();
    /* Single protection ranges joining on the left or the right. */
    UNMAPPED(RANGES({0, 10, R | W | DO_MAP}, {10, 20, R | W | DO_MAP}), RANGES({0, 20, R | W}));
    UNMAPPED(RANGES({0, 10, R | W | DO_MAP}, {10, 20, R | DO_MAP}),
             RANGES({0, 10, R | W}, {10, 20, R}));
    UNMAPPED(RANGES({10, 20, R | W | DO_MAP}, {0, 10, R | W | DO_MAP}), RANGES({0, 20, R | W}));
    UNMAPPED(RANGES({10, 20, R | DO_MAP}, {0, 10, R | W | DO_MAP}),
             RANGES({0, 10, R | W}, {10, 20, R}));

    /* Joining on both sides. */
    UNMAPPED(RANGES({0, 10, R | W | DO_MAP}, {20, 30, R | W | DO_MAP}, {10, 20, R | W | DO_MAP}),
             RANGES({0, 30, R | W}));
    UNMAPPED(RANGES({0, 10, R | DO_MAP}, {20, 30, R | W | DO_MAP}, {10, 20, R | W | DO_MAP}),
             RANGES({0, 10, R}, {10, 30, R | W}));
    UNMAPPED(RANGES({0, 10, R | W | DO_MAP}, {20, 30, R | DO_MAP}, {10, 20, R | W | DO_MAP}),
             RANGES({0, 20, R | W}, {20, 30, R}));
    UNMAPPED(RANGES({0, 10, R | DO_MAP}, {20, 30, R | DO_MAP}, {10, 20, R | W | DO_MAP}),
             RANGES({0, 10, R}, {10, 20, R | W}, {20, 30, R}));

    /* Mappings with several protection ranges joining on one side. */
    UNMAPPED(RANGES({0, 10, R | W | DO_MAP}, {2, 4, R}, {10, 20, R | W | DO_MAP}),
             RANGES({0, 2, R | W}, {2, 4, R}, {4, 20, R | W}));
    UNMAPPED(RANGES({0, 10, R | W | DO_MAP}, {2, 4, R}, {6, 10, R}, {10, 20, R | W | DO_MAP}),
             RANGES({0, 2, R | W}, {2, 4, R}, {4, 6, R | W}, {6, 10, R}, {10, 20, R | W}));
    UNMAPPED(RANGES({10, 20, R | W | DO_MAP}, {12, 15, R}, {0, 10, R | W | DO_MAP}),
             RANGES({0, 12, R | W}, {12, 15, R}, {15, 20, R | W}));
    UNMAPPED(RANGES({10, 20, R | DO_MAP}, {12, 15, R | W}, {0, 10, R | W | DO_MAP}),
             RANGES({0, 10, R | W}, {10, 12, R}, {12, 15, R | W}, {15, 20, R}));

    /* Joining in the middle. */
    UNMAPPED(RANGES({0, 10, R | W | DO_MAP}, {20, 30, R | W | DO_MAP}, {25, 30, R},
                    {10, 20, R | W | DO_MAP}),
             RANGES({0, 25, R | W}, {25, 30, R}));
    UNMAPPED(
        RANGES({0, 10, R | W | DO_MAP}, {0, 5, R}, {20, 30, R | DO_MAP}, {10, 20, R | W | DO_MAP}),
        RANGES({0, 5, R}, {5, 20, R | W}, {20, 30, R}));
    UNMAPPED(RANGES({0, 10, R | DO_MAP}, {20, 30, R | W | DO_MAP}, {25, 30, R},
                    {10, 20, R | W | DO_MAP}),
             RANGES({0, 10, R}, {10, 25, R | W}, {25, 30, R}));
}

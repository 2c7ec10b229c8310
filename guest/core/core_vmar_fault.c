/* The accesses of zircon/system/utest/core/vmar/vmar.cc that must fault (or
 * must not), made by the CPU itself. Upstream catches them with
 * probe_for_read/probe_for_write; a zxsim guest cannot survive its own
 * fault, so each run does one case, named "Vmar.Test" after the upstream
 * test (with a suffix where one test gives several accesses):
 *
 *   core_vmar_fault-<isa>.elf -l      list the cases
 *   core_vmar_fault-<isa>.elf NAME    set up, announce the access, touch it
 *
 * tests/conformance/run_fault_case.py checks zxsim's fatal-fault report
 * against the announcement. core_vmar.c checks the same situations through
 * kernel copies; these runs check that the page tables and the simulated
 * TLB agree with the kernel's view. The cases after the "newer revisions"
 * line come from a newer copy of vmar.cc (misttech/fuchsia mirror). */
#define CONF_NO_MAIN
#include "../conformance/conf.h"

#define NOT_MAPPED "not mapped"
#define DENIED     "permission denied"

/* A read/write mapping of a fresh VMO in the root VMAR, with three bytes
 * stored at its start, middle and end (vmar.cc does this before protecting
 * or unmapping). */
static zx_vaddr_t touched_mapping(size_t size)
{
    zx_handle_t vmo = vmo_create(size, 0);
    zx_vaddr_t a = map(ROOT, RW, 0, vmo, 0, size);
    volatile uint8_t *t = (volatile uint8_t *)a;
    t[0] = 5;
    t[size / 2] = 6;
    t[size - 1] = 7;
    return a;
}

/* The first page boundary of a larger page-table level past `a`, plus one
 * page: protect and unmap start there in the large-mapping tests. */
static zx_vaddr_t misaligned_start(zx_vaddr_t a)
{
    return ((a + 512 * PAGE - 1) & ~(512 * PAGE - 1)) + PAGE;
}

CASE(Vmar, ProtectOverDemandPagedTest)
{
    const size_t size = 100 * PAGE;
    zx_vaddr_t a = touched_mapping(size);
    ASSERT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ, a, size));
    /* A page that was written before: its entry must have lost write. */
    conf_touch("write", a + size / 2, DENIED);
}

CASE(Vmar, ProtectOverDemandPagedTest_Untouched)
{
    const size_t size = 100 * PAGE;
    zx_vaddr_t a = touched_mapping(size);
    ASSERT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ, a, size));
    conf_touch("write", a + size / 4, DENIED);
}

CASE(Vmar, ProtectLargeUncomittedTest)
{
    const size_t size = (size_t)1 << 30;
    zx_vaddr_t a = touched_mapping(size);
    zx_vaddr_t from = misaligned_start(a);
    ASSERT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ, from, a + size - from));
    conf_touch("write", a + size - 1, DENIED);
}

CASE(Vmar, ProtectLargeUncomittedTest_StillWritable)
{
    conf_expect_no_fault();
    const size_t size = (size_t)1 << 30;
    zx_vaddr_t a = touched_mapping(size);
    zx_vaddr_t from = misaligned_start(a);
    ASSERT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ, from, a + size - from));
    /* Below the protected range nothing changed. */
    volatile uint8_t *t = (volatile uint8_t *)a;
    t[0] = 8;
    t[from - a - 1] = 9;
    EXPECT_EQ(t[0], 8);
    EXPECT_EQ(t[from - a - 1], 9);
    EXPECT_EQ(t[size / 2], 6);
}

CASE(Vmar, UnmapLargeUncommittedTest)
{
    const size_t size = (size_t)1 << 30;
    zx_vaddr_t a = touched_mapping(size);
    zx_vaddr_t from = misaligned_start(a);
    ASSERT_OK(zx_vmar_unmap(ROOT, from, a + size - from));
    conf_touch("write", a + size / 2, NOT_MAPPED);
}

CASE(Vmar, UnmapLargeUncommittedTest_StillWritable)
{
    conf_expect_no_fault();
    const size_t size = (size_t)1 << 30;
    zx_vaddr_t a = touched_mapping(size);
    zx_vaddr_t from = misaligned_start(a);
    ASSERT_OK(zx_vmar_unmap(ROOT, from, a + size - from));
    volatile uint8_t *t = (volatile uint8_t *)a;
    EXPECT_EQ(t[0], 5);
    t[from - a - 1] = 9;
    EXPECT_EQ(t[from - a - 1], 9);
}

CASE(Vmar, DestroyedVmarTest)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t outer = scratch(10 * PAGE, NULL);
    zx_handle_t inner = subvmar(outer, ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE, 0, PAGE, NULL);
    zx_vaddr_t a = map(inner, RW, 0, vmo, 0, PAGE);
    *(volatile uint8_t *)a = 5;
    /* Destroying the outer region takes the inner one's mapping too. */
    ASSERT_OK(zx_vmar_destroy(outer));
    conf_touch("read", a, NOT_MAPPED);
}

CASE(Vmar, UnalignedLenTest)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    zx_vaddr_t a = map(ROOT, ZX_VM_PERM_READ, 0, vmo, 0, 4 * PAGE);
    (void)*(volatile uint8_t *)(a + 3 * PAGE);
    ASSERT_OK(zx_vmar_unmap(ROOT, a, 4 * PAGE - 1));
    conf_touch("read", a + 3 * PAGE + 0x10, NOT_MAPPED);
}

CASE(Vmar, PartialUnmapAndRead)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_vaddr_t a = map(ROOT, RW, 0, vmo, 0, 2 * PAGE);
    memset((void *)a, 0, 2 * PAGE);
    ASSERT_OK(zx_vmar_unmap(ROOT, a + PAGE, PAGE));
    (void)*(volatile uint8_t *)(a + PAGE - 1);
    conf_touch("read", a + PAGE, NOT_MAPPED);
}

CASE(Vmar, PartialUnmapWithVmarOffset)
{
    const size_t off = 0x1000, len = 10 * PAGE - off;
    zx_handle_t vmo = vmo_create(10 * PAGE, 0);
    zx_vaddr_t a = map(ROOT, RW, 0, vmo, off, len);
    memset((void *)a, 0, len);
    *(volatile uint8_t *)(a + len - 1) = 1;
    conf_touch("write", a + len, NOT_MAPPED);
}

CASE(Vmar, MapReadIfXomUnsupported)
{
    /* No execute-only support: the mapping is readable. */
    conf_expect_no_fault();
    zx_handle_t vmo = vmo_create(PAGE, 0);
    uint8_t three = 3;
    ASSERT_OK(zx_vmo_write(vmo, &three, 0, 1));
    zx_vaddr_t a = map(ROOT, ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED, 0, vmo, 0, PAGE);
    EXPECT_EQ(*(volatile uint8_t *)a, 3);
}

CASE(Vmar, ProtectReadIfXomUnsupported)
{
    conf_expect_no_fault();
    zx_handle_t vmo = vmo_create(PAGE, 0);
    uint8_t three = 3;
    ASSERT_OK(zx_vmo_write(vmo, &three, 0, 1));
    zx_vaddr_t a = map(ROOT, ZX_VM_PERM_READ, 0, vmo, 0, PAGE);
    EXPECT_EQ(*(volatile uint8_t *)a, 3);
    ASSERT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED, a, PAGE));
    EXPECT_EQ(*(volatile uint8_t *)a, 3);
}

/* ---- Accesses of the cases only newer revisions of vmar.cc have ---- */

#define BEYOND          "beyond the end of the VMO"
#define CAN_RW          (ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE)
#define CAN_RW_SPECIFIC (CAN_RW | ZX_VM_CAN_MAP_SPECIFIC)
#define FAULT_STREAM    (ZX_VM_FAULT_BEYOND_STREAM_SIZE | ZX_VM_ALLOW_FAULTS)

/* A page mapped read/write in a sub-region of a one-page region; the
 * region's handle is returned in *outer and the sub-region's in *inner. */
static zx_vaddr_t nested_mapping(zx_handle_t *outer, zx_handle_t *inner)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    *outer = subvmar(ROOT, CAN_RW, 0, PAGE, NULL);
    *inner = subvmar(*outer, CAN_RW, 0, PAGE, NULL);
    zx_vaddr_t a = map(*inner, RW, 0, vmo, 0, PAGE);
    *(volatile uint8_t *)a = 1;
    return a;
}

CASE(Vmar, ProtectSubregionTest)
{
    zx_handle_t outer, inner;
    zx_vaddr_t a = nested_mapping(&outer, &inner);
    /* Lowered through the parent region: a store must now fault. */
    ASSERT_OK(zx_vmar_protect(outer, ZX_VM_PERM_READ, a, PAGE));
    conf_touch("write", a, DENIED);
}

CASE(Vmar, ProtectSubregionTest_Restored)
{
    conf_expect_no_fault();
    zx_handle_t outer, inner;
    zx_vaddr_t a = nested_mapping(&outer, &inner);
    ASSERT_OK(zx_vmar_protect(outer, ZX_VM_PERM_READ, a, PAGE));
    /* Raised again through the sub-region's own handle. */
    ASSERT_OK(zx_vmar_protect(inner, RW, a, PAGE));
    *(volatile uint8_t *)a = 2;
    EXPECT_EQ(*(volatile uint8_t *)a, 2);
}

CASE(Vmar, UnmapOpChildren)
{
    zx_handle_t outer, inner;
    zx_vaddr_t a = nested_mapping(&outer, &inner);
    ASSERT_OK(zx_vmar_unmap(outer, a, PAGE));
    conf_touch("read", a, NOT_MAPPED);
}

CASE(Vmar, MapRangeResizable)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, ZX_VMO_RESIZABLE);
    uint8_t one = 1;
    ASSERT_OK(zx_vmo_write(vmo, &one, PAGE, 1));
    zx_vaddr_t a = map(ROOT, ZX_VM_MAP_RANGE | ZX_VM_PERM_READ, 0, vmo, 0, 2 * PAGE);
    EXPECT_EQ(*(volatile uint8_t *)(a + PAGE), 1);
    ASSERT_OK(zx_vmo_set_size(vmo, PAGE));
    conf_touch("read", a + PAGE, BEYOND);
}

/* The four-page mapping of an unbounded VMO whose stream is three pages
 * long, as FaultBeyondStreamSize makes it. */
static zx_vaddr_t stream_mapping(zx_handle_t *vmar, zx_handle_t *vmo)
{
    *vmar = subvmar(ROOT, CAN_RW_SPECIFIC, 0, 6 * PAGE, NULL);
    *vmo = vmo_create(3 * PAGE, ZX_VMO_UNBOUNDED);
    return map(*vmar, RW | ZX_VM_SPECIFIC | FAULT_STREAM, 0, *vmo, 0, 4 * PAGE);
}

CASE(Vmar, FaultBeyondStreamSize_read)
{
    zx_handle_t vmar, vmo;
    zx_vaddr_t a = stream_mapping(&vmar, &vmo);
    EXPECT_EQ(*(volatile uint8_t *)a, 0);
    conf_touch("read", a + 3 * PAGE, BEYOND);
}

CASE(Vmar, FaultBeyondStreamSize_write)
{
    zx_handle_t vmar, vmo;
    zx_vaddr_t a = stream_mapping(&vmar, &vmo);
    /* The VMO has a page there; the mapping still must not reach it. */
    uint8_t one = 1;
    ASSERT_OK(zx_vmo_write(vmo, &one, 3 * PAGE, 1));
    conf_touch("write", a + 3 * PAGE, BEYOND);
}

CASE(Vmar, FaultBeyondStreamSize_shrunk)
{
    zx_handle_t vmar, vmo;
    zx_vaddr_t a = stream_mapping(&vmar, &vmo);
    *(volatile uint8_t *)(a + 2 * PAGE) = 1;
    ASSERT_OK(zx_vmo_set_stream_size(vmo, 2 * PAGE));
    conf_touch("write", a + 2 * PAGE, BEYOND);
}

CASE(Vmar, FaultBeyondStreamSize_overwritten)
{
    zx_handle_t vmar, vmo;
    zx_vaddr_t a = stream_mapping(&vmar, &vmo);
    *(volatile uint8_t *)a = 1;
    zx_handle_t vmo2 = vmo_create(PAGE / 2, ZX_VMO_UNBOUNDED);
    map(vmar, ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE | FAULT_STREAM, 0, vmo2, 0, 2 * PAGE);
    conf_touch("write", a, DENIED);
}

CASE(Vmar, FaultBeyondStreamSize_streamPage)
{
    /* The page holding the end of a half-page stream is readable whole. */
    conf_expect_no_fault();
    zx_handle_t vmar = subvmar(ROOT, CAN_RW_SPECIFIC, 0, 6 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE / 2, ZX_VMO_UNBOUNDED);
    zx_vaddr_t a = map(vmar, ZX_VM_PERM_READ | ZX_VM_SPECIFIC | FAULT_STREAM, 0, vmo, 0, 2 * PAGE);
    EXPECT_EQ(*(volatile uint64_t *)(a + PAGE - sizeof(uint64_t)), 0);
}

CASE(Vmar, FaultBeyondStreamSize_nextPage)
{
    zx_handle_t vmar = subvmar(ROOT, CAN_RW_SPECIFIC, 0, 6 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(PAGE / 2, ZX_VMO_UNBOUNDED);
    zx_vaddr_t a = map(vmar, ZX_VM_PERM_READ | ZX_VM_SPECIFIC | FAULT_STREAM, 0, vmo, 0, 2 * PAGE);
    conf_touch("read", a + PAGE, BEYOND);
}

CASE(Vmar, FaultBeyondReducedStreamSize)
{
    zx_handle_t vmar = subvmar(ROOT, CAN_RW_SPECIFIC, 0, 6 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(5 * PAGE, ZX_VMO_UNBOUNDED);
    zx_vaddr_t a = map(vmar, RW | ZX_VM_SPECIFIC | FAULT_STREAM, 0, vmo, 0, 6 * PAGE);
    for (int i = 0; i < 5; i++)
        *(volatile uint64_t *)(a + i * PAGE) = 0xdeadbeef;
    /* The last stream page was populated and read; cut it off. */
    EXPECT_EQ(*(volatile uint64_t *)(a + 4 * PAGE), 0xdeadbeef);
    ASSERT_OK(zx_vmo_set_stream_size(vmo, 4 * PAGE));
    conf_touch("read", a + 4 * PAGE, BEYOND);
}

CASE(Vmar, FaultBeyondReducedStreamSize_contentSize)
{
    zx_handle_t vmar = subvmar(ROOT, CAN_RW_SPECIFIC, 0, 6 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(5 * PAGE, ZX_VMO_UNBOUNDED);
    zx_vaddr_t a = map(vmar, RW | ZX_VM_SPECIFIC | FAULT_STREAM, 0, vmo, 0, 6 * PAGE);
    *(volatile uint64_t *)(a + 2 * PAGE) = 0xdeadbeef;
    uint64_t cs = 2 * PAGE;
    ASSERT_OK(zx_object_set_property(vmo, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs));
    conf_touch("read", a + 2 * PAGE, BEYOND);
}

CASE(Vmar, FaultBeyondStreamSizeRange)
{
    zx_handle_t vmar = subvmar(ROOT, CAN_RW_SPECIFIC, 0, 6 * PAGE, NULL);
    zx_handle_t vmo = vmo_create(2 * PAGE, ZX_VMO_UNBOUNDED);
    static uint8_t ones[4 * 4096];
    memset(ones, 1, sizeof ones);
    ASSERT_OK(zx_vmo_write(vmo, ones, 0, sizeof ones));
    /* MAP_RANGE must not install the committed pages past the stream. */
    zx_vaddr_t a =
        map(vmar, RW | ZX_VM_SPECIFIC | FAULT_STREAM | ZX_VM_MAP_RANGE, 0, vmo, 0, 6 * PAGE);
    EXPECT_EQ(*(volatile uint8_t *)(a + PAGE), 1);
    conf_touch("read", a + 2 * PAGE, BEYOND);
}

int main(int argc, char **argv)
{
    return conf_fault_main(argc, argv);
}

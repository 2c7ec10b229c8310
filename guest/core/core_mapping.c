/* Zircon's core memory-mapping tests
 * (zircon/system/utest/core/memory-mapping/memory-mapping.cc, misttech/fuchsia
 * mirror), re-expressed as a zxsim guest: MemoryMappingTest.<Test>.
 *
 * Upstream mostly drives the POSIX mmap/mprotect/munmap of Fuchsia's libc,
 * which turn into zx_vmo_create, zx_vmar_map, zx_vmar_protect and
 * zx_vmar_unmap on the root VMAR. zxsim's libc has no mmap, so each case
 * makes those kernel calls itself and checks what the kernel decides:
 *   - anonymous memory is a fresh VMO mapped in the root VMAR; PROT_NONE,
 *     PROT_READ, PROT_READ|PROT_WRITE and PROT_READ|PROT_EXEC become no
 *     permissions, ZX_VM_PERM_READ, READ|WRITE and READ|EXECUTE;
 *   - where libc itself answers with an errno before reaching the kernel
 *     (a zero length, a length of PTRDIFF_MAX, an unaligned offset, a
 *     write-only mprotect), the case makes the kernel call libc would have
 *     made and checks the kernel's status instead (noted at each case);
 *   - MAP_JIT memory (MmapProtExecTest) is a VMO made executable with
 *     zx_vmo_replace_as_executable.
 *
 * Left out: MmapFlagsTest (it only checks libc's validation of
 * MAP_PRIVATE/MAP_SHARED, which has no kernel counterpart). The store that
 * must fault in MprotectTest (ASSERT_DEATH upstream) is made for real in
 * core_mapping_fault.c. */
#include "core_vmo_helpers.h"

static zx_info_vmar_t root_info(void)
{
    zx_info_vmar_t info = {0, 0};
    ASSERT_OK(zx_object_get_info(ROOT, ZX_INFO_VMAR, &info, sizeof info, NULL, NULL));
    return info;
}

CASE(MemoryMappingTest, AddressSpaceLimitsTest)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_info_vmar_t root = root_info();
#if defined(__x86_64__)
    /* The lowest non-canonical address. No page may end there: a sysret to
     * the address right after such a page would fault in the kernel. */
    const zx_vaddr_t top = (zx_vaddr_t)1 << 47;
#else
    /* Upstream checks x86-64 only. The same limit exists on arm64 at the end
     * of the root VMAR (docs/semantics.md "Address space"): the first page beyond it. */
    const zx_vaddr_t top = root.base + root.len + PAGE;
#endif
    const zx_vm_option_t spec = RW | ZX_VM_SPECIFIC;
    zx_vaddr_t a = 0;

    /* A page ending at `top` cannot be mapped... */
    EXPECT_STATUS(zx_vmar_map(ROOT, spec, top - PAGE - root.base, vmo, 0, PAGE, &a),
                  ZX_ERR_INVALID_ARGS);
    /* ...the page below it can (so the refusal was about the limit)... */
    a = map(ROOT, spec, top - 2 * PAGE - root.base, vmo, 0, PAGE);
    EXPECT_EQ(a, top - 2 * PAGE);
    /* ...and a second specific mapping there does not replace the first. */
    zx_vaddr_t b = 0;
    EXPECT_STATUS(zx_vmar_map(ROOT, spec, top - 2 * PAGE - root.base, vmo, 0, PAGE, &b),
                  ZX_ERR_ALREADY_EXISTS);
    EXPECT_TRUE(unmap_now(ROOT, a, PAGE));
}

CASE(MemoryMappingTest, MmapZerofilledTest)
{
    const size_t len = 16384;
    zx_handle_t vmo = vmo_create(len, 0);
    zx_vaddr_t a = map(ROOT, RW, 0, vmo, 0, len);
    EXPECT_OK(zx_handle_close(vmo));
    EXPECT_FILLED((const uint8_t *)a, 0, len);
    EXPECT_TRUE(unmap_now(ROOT, a, len));
}

CASE(MemoryMappingTest, MmapLenTest)
{
    zx_vaddr_t a = 0;
    /* Upstream: mmap of length 0 fails with EINVAL. The kernel refuses a
     * zero-length mapping with ZX_ERR_INVALID_ARGS. */
    zx_handle_t empty = vmo_create(0, 0);
    EXPECT_STATUS(zx_vmar_map(ROOT, ZX_VM_PERM_READ, 0, empty, 0, 0, &a), ZX_ERR_INVALID_ARGS);

    /* Upstream: a length of PTRDIFF_MAX fails with ENOMEM (libc refuses it
     * itself). The VMO can exist, since nothing is committed; the mapping
     * cannot, since it is larger than the root VMAR: ZX_ERR_INVALID_ARGS
     * (docs/semantics.md "zx_vmar_map" step 20, "zx_vmar_allocate" step 13). */
    zx_handle_t huge = vmo_create(PTRDIFF_MAX, 0);
    EXPECT_STATUS(zx_vmar_map(ROOT, ZX_VM_PERM_READ, 0, huge, 0, PTRDIFF_MAX, &a),
                  ZX_ERR_INVALID_ARGS);
}

CASE(MemoryMappingTest, MmapOffsetTest)
{
    /* Upstream: an unaligned file offset fails with EINVAL. The kernel
     * refuses an unaligned VMO offset with ZX_ERR_INVALID_ARGS. */
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = 0;
    EXPECT_STATUS(zx_vmar_map(ROOT, ZX_VM_PERM_READ, 0, vmo, 4, sizeof(uint32_t), &a),
                  ZX_ERR_INVALID_ARGS);
}

/* A little function to copy into a page and run there: returns a + b. */
extern const uint8_t core_add_start[], core_add_end[];
#if defined(__x86_64__)
__asm__(".pushsection .rodata.core_add, \"a\"\n"
        ".globl core_add_start\n"
        ".globl core_add_end\n"
        "core_add_start:\n"
        "    leal (%rdi,%rsi), %eax\n"
        "    ret\n"
        "core_add_end:\n"
        ".popsection\n");
#else
__asm__(".pushsection .rodata.core_add, \"a\"\n"
        ".globl core_add_start\n"
        ".globl core_add_end\n"
        "core_add_start:\n"
        "    add w0, w0, w1\n"
        "    ret\n"
        "core_add_end:\n"
        ".popsection\n");
#endif

CASE(MemoryMappingTest, MmapProtExecTest)
{
    /* Memory that may become executable later (MAP_JIT upstream). */
    zx_handle_t vmo = ZX_HANDLE_INVALID, exec = ZX_HANDLE_INVALID;
    ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
    ASSERT_OK(zx_vmo_replace_as_executable(vmo, ZX_HANDLE_INVALID, &exec));
    track(exec);
    zx_vaddr_t a = map(ROOT, RW, 0, exec, 0, PAGE);
    EXPECT_OK(zx_handle_close(exec));

    const size_t len = (size_t)(core_add_end - core_add_start);
    ASSERT_LE(len, PAGE);
    memcpy((void *)a, core_add_start, len);

    /* From writable to executable, then run it. */
    EXPECT_OK(zx_vmar_protect(ROOT, RX, a, PAGE));
    int (*add)(int, int) = (int (*)(int, int))a;
    EXPECT_EQ(add(1, 2), 3);
    EXPECT_TRUE(unmap_now(ROOT, a, PAGE));
}

CASE(MemoryMappingTest, MmapProtTest)
{
    /* Each mapping is of 4 bytes, rounded up to a page. */
    const size_t len = sizeof(uint32_t);
    zx_handle_t vmo = vmo_create(len, 0);

    /* No permissions at all is a valid mapping. */
    zx_vaddr_t none = map(ROOT, 0, 0, vmo, 0, len);
    EXPECT_NE(none, 0);

    /* Read-only: readable, and a fresh VMO reads zero. */
    volatile uint32_t *ro = (volatile uint32_t *)map(ROOT, ZX_VM_PERM_READ, 0, vmo, 0, len);
    EXPECT_EQ(*ro, 0u);

    /* Read-write: what is stored reads back, through both mappings. */
    volatile uint32_t *rw = (volatile uint32_t *)map(ROOT, RW, 0, vmo, 0, len);
    *rw = 5678u;
    EXPECT_EQ(*rw, 5678u);
    EXPECT_EQ(*ro, 5678u);
}

CASE(MemoryMappingTest, MprotectTest)
{
    const size_t len = sizeof(uint32_t);
    zx_handle_t vmo = vmo_create(len, 0);
    volatile uint32_t *p = (volatile uint32_t *)map(ROOT, RW, 0, vmo, 0, len);
    EXPECT_OK(zx_handle_close(vmo));
    *p = 10;
    EXPECT_EQ(*p, 10u);

    /* Down to read-only; a store would now fault (core_mapping_fault.c);
     * the kernel's own write through the address is refused likewise. */
    EXPECT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ, (zx_vaddr_t)p, PAGE));
    zx_handle_t src = vmo_create(PAGE, 0);
    EXPECT_STATUS(zx_vmo_read(src, (void *)p, 0, sizeof(uint32_t)), ZX_ERR_ACCESS_DENIED);
    EXPECT_EQ(*p, 10u);

    /* Upstream: a write-only mprotect fails with ENOTSUP. The kernel
     * refuses WRITE without READ with ZX_ERR_INVALID_ARGS. */
    EXPECT_STATUS(zx_vmar_protect(ROOT, ZX_VM_PERM_WRITE, (zx_vaddr_t)p, PAGE),
                  ZX_ERR_INVALID_ARGS);

    /* No permissions is fine. */
    EXPECT_OK(zx_vmar_protect(ROOT, 0, (zx_vaddr_t)p, PAGE));
}

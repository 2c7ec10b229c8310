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
 * TLB agree with the kernel's view. */
#define CONF_NO_MAIN
#include "../conformance/conf.h"

#define NOT_MAPPED "not mapped"
#define DENIED     "permission denied"

static bool no_fault_expected;

static void expect_no_fault(void)
{
    no_fault_expected = true;
    printf("expecting no fault\n");
}

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
    expect_no_fault();
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
    expect_no_fault();
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
    expect_no_fault();
    zx_handle_t vmo = vmo_create(PAGE, 0);
    uint8_t three = 3;
    ASSERT_OK(zx_vmo_write(vmo, &three, 0, 1));
    zx_vaddr_t a = map(ROOT, ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED, 0, vmo, 0, PAGE);
    EXPECT_EQ(*(volatile uint8_t *)a, 3);
}

CASE(Vmar, ProtectReadIfXomUnsupported)
{
    expect_no_fault();
    zx_handle_t vmo = vmo_create(PAGE, 0);
    uint8_t three = 3;
    ASSERT_OK(zx_vmo_write(vmo, &three, 0, 1));
    zx_vaddr_t a = map(ROOT, ZX_VM_PERM_READ, 0, vmo, 0, PAGE);
    EXPECT_EQ(*(volatile uint8_t *)a, 3);
    ASSERT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED, a, PAGE));
    EXPECT_EQ(*(volatile uint8_t *)a, 3);
}

int main(int argc, char **argv)
{
    qsort(conf_cases, conf_ncases, sizeof conf_cases[0], conf_case_cmp);
    if (argc < 2 || strcmp(argv[1], "-l") == 0) {
        for (int i = 0; i < conf_ncases; i++)
            printf("%s.%s\n", conf_cases[i].group, conf_cases[i].name);
        return argc < 2 ? 2 : 0;
    }
    /* run_fault_case.py may hand back the name it printed, "fault.NAME". */
    const char *want = argv[1];
    if (strncmp(want, "fault.", 6) == 0)
        want += 6;
    for (int i = 0; i < conf_ncases; i++) {
        char name[128];
        conf_full_name(&conf_cases[i], name, sizeof name);
        if (strcmp(name, want) != 0)
            continue;
        if (conf_setjmp(conf_jmp) == 0) {
            conf_cases[i].fn();
        } else {
            printf("FAIL fault.%s: set-up failed: %s\n", want, conf_first_failure);
            return 1;
        }
        if (!no_fault_expected) {
            printf("FAIL fault.%s: the access did not fault\n", want);
            return 1;
        }
        if (conf_case_failures) {
            printf("FAIL fault.%s: %s\n", want, conf_first_failure);
            return 1;
        }
        printf("no fault, as expected\n");
        return 0;
    }
    printf("no case named %s\n", argv[1]);
    return 2;
}

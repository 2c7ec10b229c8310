/* The access of zircon/system/utest/core/memory-mapping/memory-mapping.cc
 * that must fault: MprotectTest stores through memory it has just made
 * read-only and expects the thread to die (ASSERT_DEATH). A zxsim guest
 * cannot survive its own fault, so the store is the last thing this program
 * does; tests/conformance/run_fault_case.py checks zxsim's fatal-fault
 * report against the announcement:
 *
 *   core_mapping_fault-<isa>.elf -l      list the cases
 *   core_mapping_fault-<isa>.elf NAME    set up, announce the access, touch it
 *
 * core_mapping.c checks the rest of MprotectTest. */
#define CONF_NO_MAIN
#include "../conformance/conf.h"

#define DENIED "permission denied"

static bool no_fault_expected;

static void expect_no_fault(void)
{
    no_fault_expected = true;
    printf("expecting no fault\n");
}

/* A read/write page with 10 stored in it, as MprotectTest starts. */
static volatile uint32_t *written_page(void)
{
    zx_handle_t vmo = vmo_create(sizeof(uint32_t), 0);
    volatile uint32_t *p = (volatile uint32_t *)map(ROOT, RW, 0, vmo, 0, sizeof(uint32_t));
    *p = 10;
    return p;
}

CASE(MemoryMappingTest, MprotectTest)
{
    volatile uint32_t *p = written_page();
    ASSERT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ, (zx_vaddr_t)p, PAGE));
    conf_touch("write", (zx_vaddr_t)p, DENIED);
}

CASE(MemoryMappingTest, MprotectTest_readable)
{
    /* The same page can still be read after the protect. */
    expect_no_fault();
    volatile uint32_t *p = written_page();
    ASSERT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ, (zx_vaddr_t)p, PAGE));
    EXPECT_EQ(*p, 10u);
}

CASE(MemoryMappingTest, MprotectTest_none)
{
    /* MprotectTest ends by taking all access away; a read then faults. */
    volatile uint32_t *p = written_page();
    ASSERT_OK(zx_vmar_protect(ROOT, 0, (zx_vaddr_t)p, PAGE));
    conf_touch("read", (zx_vaddr_t)p, DENIED);
}

int main(int argc, char **argv)
{
    qsort(conf_cases, conf_ncases, sizeof conf_cases[0], conf_case_cmp);
    if (argc < 2 || strcmp(argv[1], "-l") == 0) {
        for (int i = 0; i < conf_ncases; i++)
            printf("%s.%s\n", conf_cases[i].group, conf_cases[i].name);
        return argc < 2 ? 2 : 0;
    }
    /* The runner may pass back the name it printed, "fault.NAME". */
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

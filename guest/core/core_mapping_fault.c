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
    conf_expect_no_fault();
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
    return conf_fault_main(argc, argv);
}

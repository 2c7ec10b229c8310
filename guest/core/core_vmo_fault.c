/* The accesses of Zircon's core VMO tests (vmo.cc) that must fault, done by
 * the guest itself. Upstream checks them with probe_for_read/probe_for_write,
 * which run the access on a helper thread and catch the exception; a zxsim
 * guest cannot catch its own fault, so each case is one run that ends in
 * zxsim's fatal-fault report, checked by tests/conformance/run_fault_case.py:
 *
 *   core_vmo_fault-<isa>.elf -l           list the cases
 *                                         (VmoTestCase.<Upstream>_<access>)
 *   core_vmo_fault-<isa>.elf NAME         set up, print "about to fault: ...",
 *                                         then touch the address
 *
 * Cases whose upstream probe expects success print "expecting no fault" and
 * exit 0 when the access works. core_vmo.c checks the same situations in
 * one process through kernel copies (docs/semantics.md "User pointers"). */
#define CONF_NO_MAIN
#include "core_vmo_helpers.h"

#define DENIED "permission denied"
#define BEYOND "beyond the end of the VMO"

/* ---- ReadOnlyMap: a write through a read-only mapping ---- */

CASE(VmoTestCase, ReadOnlyMap_write)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t ptr = map(ROOT, ZX_VM_PERM_READ, 0, vmo, 0, PAGE);
    conf_touch("write", ptr, DENIED);
}

/* ---- NoPermMap: mapped readable, then protected to nothing ---- */

static zx_vaddr_t protected_to_nothing(void)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t ptr = map(ROOT, ZX_VM_PERM_READ, 0, vmo, 0, PAGE);
    ASSERT_OK(zx_vmar_protect(ROOT, 0, ptr, PAGE));
    return ptr;
}

CASE(VmoTestCase, NoPermMap_read)
{
    conf_touch("read", protected_to_nothing(), DENIED);
}

CASE(VmoTestCase, NoPermMap_write)
{
    conf_touch("write", protected_to_nothing(), DENIED);
}

/* ---- NoPermProtect: mapped with no permissions, later raised to READ ---- */

static zx_vaddr_t mapped_without_permissions(void)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    return map(ROOT, 0, 0, vmo, 0, PAGE);
}

CASE(VmoTestCase, NoPermProtect_write)
{
    conf_touch("write", mapped_without_permissions(), DENIED);
}

CASE(VmoTestCase, NoPermProtect_read)
{
    conf_touch("read", mapped_without_permissions(), DENIED);
}

CASE(VmoTestCase, NoPermProtect_read_after_protect)
{
    zx_vaddr_t ptr = mapped_without_permissions();
    ASSERT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ, ptr, PAGE));
    conf_expect_no_fault();
    EXPECT_EQ(*(volatile uint8_t *)ptr, 0);
}

CASE(VmoTestCase, NoPermProtect_write_after_protect)
{
    zx_vaddr_t ptr = mapped_without_permissions();
    ASSERT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ, ptr, PAGE));
    /* The read works (the upstream test checks it too)... */
    ASSERT_EQ(*(volatile uint8_t *)ptr, 0);
    /* ...the write still does not. */
    conf_touch("write", ptr, DENIED);
}

/* ---- ResizeHazard: a mapped VMO shrunk to nothing ---- */

static zx_vaddr_t shrunk_under_mapping(void)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, ZX_VMO_RESIZABLE);
    zx_vaddr_t ptr = map(ROOT, RW, 0, vmo, 0, 2 * PAGE);
    volatile int *ints = (volatile int *)ptr;
    ASSERT_EQ(ints[1], 0);
    ASSERT_OK(zx_vmo_set_size(vmo, 0));
    return (zx_vaddr_t)&ints[1];
}

CASE(VmoTestCase, ResizeHazard_read)
{
    conf_touch("read", shrunk_under_mapping(), BEYOND);
}

CASE(VmoTestCase, ResizeHazard_write)
{
    conf_touch("write", shrunk_under_mapping(), BEYOND);
}

/* ---- MappedVmoSmallerThanMapping (newer revision): a one-page VMO under a
 * two-page mapping ---- */

static zx_vaddr_t mapping_longer_than_vmo(void)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    zx_vaddr_t addr = map(ROOT, RW, 0, vmo, 0, 2 * PAGE);
    /* The backed page works both ways. */
    *(volatile uint8_t *)addr = 1;
    ASSERT_EQ(*(volatile uint8_t *)addr, 1);
    return addr + PAGE;
}

CASE(VmoTestCase, MappedVmoSmallerThanMapping_read)
{
    conf_touch("read", mapping_longer_than_vmo(), BEYOND);
}

CASE(VmoTestCase, MappedVmoSmallerThanMapping_write)
{
    conf_touch("write", mapping_longer_than_vmo(), BEYOND);
}

int main(int argc, char **argv)
{
    return conf_fault_main(argc, argv);
}

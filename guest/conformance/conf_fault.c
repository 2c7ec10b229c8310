/* Conformance: accesses the guest itself makes to memory it may not touch
 * (docs/semantics.md "Guest faults", "VMAR model", "zx_vmo_set_size", "zx_vmar_map"
 * FAULT_BEYOND_STREAM_SIZE). A guest
 * cannot survive its own fatal fault, so each run does one case:
 *
 *   conf_fault-<isa>.elf -l         list the cases
 *   conf_fault-<isa>.elf NAME       set up, print "about to fault: ACCESS at
 *                                   0xADDR: REASON", then touch ADDR
 *
 * tests/conformance/run_fault_case.py checks that zxsim then stops the guest
 * with exit status 3 and reports exactly that access, address and reason.
 * A few cases check that something does NOT fault (they print "expecting no
 * fault" and exit 0 when all their checks pass). */
#define CONF_NO_MAIN
#include "conf.h"

#define NOT_MAPPED "not mapped"
#define DENIED     "permission denied"
#define BEYOND     "beyond the end of the VMO"

/* The region that mapped() last made. */
static zx_handle_t last_vmar;

/* A fresh VMO mapped into a fresh region; returns the mapping address. */
static zx_vaddr_t mapped(uint64_t vmo_size, uint32_t vmo_options, zx_vm_option_t perms,
                         size_t map_len, zx_handle_t *vmo_out)
{
    zx_handle_t vmo = vmo_create(vmo_size, vmo_options);
    zx_handle_t v = scratch(16 * PAGE + map_len, NULL);
    zx_vaddr_t a = map(v, perms, 0, vmo, 0, map_len);
    last_vmar = v;
    if (vmo_out)
        *vmo_out = vmo;
    return a;
}

static const uint8_t *ret42_code(size_t *len)
{
#if defined(__aarch64__)
    static const uint32_t code[] = {0x52800540 /* mov w0, #42 */, 0xd65f03c0 /* ret */};
#else
    static const uint8_t code[] = {0xb8, 0x2a, 0x00, 0x00, 0x00 /* mov $42, %eax */,
                                   0xc3 /* ret */};
#endif
    *len = sizeof code;
    return (const uint8_t *)code;
}

/* An executable VMO holding "return 42" at offset 0, mapped R+X. */
static zx_vaddr_t code_mapping(zx_handle_t *vmar_out)
{
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
    zx_handle_t exec = 0;
    ASSERT_OK(zx_vmo_replace_as_executable(vmo, ZX_HANDLE_INVALID, &exec));
    size_t len = 0;
    const uint8_t *code = ret42_code(&len);
    ASSERT_OK(zx_vmo_write(exec, code, 0, len));
    ASSERT_OK(zx_vmo_op_range(exec, ZX_VMO_OP_CACHE_SYNC, 0, PAGE, NULL, 0));
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_vaddr_t a = map(v, RX, 0, exec, 0, PAGE);
    *vmar_out = v;
    return a;
}

/* ---- not mapped ---- */

CASE(fault, read_unmapped)
{
    zx_vaddr_t base = 0;
    scratch(4 * PAGE, &base);
    conf_touch("read", base + PAGE + 0x18, NOT_MAPPED);
}

CASE(fault, write_unmapped)
{
    zx_vaddr_t base = 0;
    scratch(4 * PAGE, &base);
    conf_touch("write", base + 2 * PAGE + 0x40, NOT_MAPPED);
}

CASE(fault, exec_unmapped)
{
    zx_vaddr_t base = 0;
    scratch(4 * PAGE, &base);
    conf_touch("execute", base + PAGE, NOT_MAPPED);
}

CASE(fault, read_null_page)
{
    conf_touch("read", 0x10, NOT_MAPPED);
}

CASE(fault, read_below_user_base)
{
    conf_touch("read", USER_BASE - PAGE + 8, NOT_MAPPED);
}

CASE(fault, read_kernel_space)
{
    /* Kernel addresses look exactly like unmapped user addresses (docs/semantics.md "Address
     * space"). */
    conf_touch("read", KERNEL_ADDR + 0x20, NOT_MAPPED);
}

CASE(fault, read_after_unmap)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t v = scratch(8 * PAGE, NULL);
    zx_vaddr_t a = map(v, RW, 0, vmo, 0, 2 * PAGE);
    ((volatile uint8_t *)a)[PAGE] = 1;
    ASSERT_OK(zx_vmar_unmap(v, a, 2 * PAGE));
    conf_touch("read", a + PAGE + 1, NOT_MAPPED);
}

CASE(fault, write_into_unmapped_hole)
{
    zx_handle_t vmo = vmo_create(3 * PAGE, 0);
    zx_handle_t v = scratch(8 * PAGE, NULL);
    zx_vaddr_t a = map(v, RW, 0, vmo, 0, 3 * PAGE);
    ASSERT_OK(zx_vmar_unmap(v, a + PAGE, PAGE));
    /* The outer parts still work. */
    ((volatile uint8_t *)a)[0] = 1;
    ((volatile uint8_t *)a)[2 * PAGE] = 2;
    ASSERT_EQ(vmo_byte(vmo, 2 * PAGE), 2);
    conf_touch("write", a + PAGE + 0x100, NOT_MAPPED);
}

CASE(fault, read_after_vmar_destroy)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t v = scratch(8 * PAGE, NULL);
    zx_vaddr_t a = map(v, RW, 0, vmo, 0, PAGE);
    ((volatile uint8_t *)a)[0] = 1;
    ASSERT_OK(zx_vmar_destroy(v));
    conf_touch("read", a, NOT_MAPPED);
}

CASE(fault, read_after_subvmar_unmapped_through_parent)
{
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(8 * PAGE, &base);
    zx_handle_t c = 0;
    zx_vaddr_t cbase = 0;
    ASSERT_OK(
        zx_vmar_allocate(v, ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE, 0, 4 * PAGE, &c, &cbase));
    track(c);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t a = map(c, RW, 0, vmo, 0, PAGE);
    ((volatile uint8_t *)a)[0] = 1;
    ASSERT_OK(zx_vmar_unmap(v, cbase, 4 * PAGE));
    conf_touch("read", a + 4, NOT_MAPPED);
}

CASE(fault, read_just_past_adjacent_mappings)
{
    /* Two adjacent mappings of contiguous VMO ranges (merged in reports,
     * docs/semantics.md "Info records") must not map the page after them. */
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    map(v, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 3 * PAGE);
    map(v, RW | ZX_VM_SPECIFIC, 3 * PAGE, vmo, 3 * PAGE, 2 * PAGE);
    ((volatile uint8_t *)base)[4 * PAGE] = 1;
    conf_touch("read", base + 5 * PAGE, NOT_MAPPED);
}

/* ---- permission denied ---- */

CASE(fault, write_read_only_mapping)
{
    zx_vaddr_t a = mapped(PAGE, 0, ZX_VM_PERM_READ, PAGE, NULL);
    ASSERT_EQ(((volatile uint8_t *)a)[8], 0);
    conf_touch("write", a + 8, DENIED);
}

CASE(fault, read_no_access_mapping)
{
    zx_vaddr_t a = mapped(PAGE, 0, 0, PAGE, NULL);
    conf_touch("read", a + 0x30, DENIED);
}

CASE(fault, write_no_access_mapping)
{
    zx_vaddr_t a = mapped(PAGE, 0, 0, PAGE, NULL);
    conf_touch("write", a + 0x38, DENIED);
}

CASE(fault, exec_no_access_mapping)
{
    zx_vaddr_t a = mapped(PAGE, 0, 0, PAGE, NULL);
    conf_touch("execute", a, DENIED);
}

CASE(fault, exec_read_write_mapping)
{
    zx_handle_t vmo = 0;
    zx_vaddr_t a = mapped(PAGE, 0, RW, PAGE, &vmo);
    size_t len = 0;
    const uint8_t *code = ret42_code(&len);
    memcpy((void *)(a + 0x80), code, len);
    conf_touch("execute", a + 0x80, DENIED);
}

CASE(fault, exec_read_only_mapping)
{
    zx_vaddr_t a = mapped(PAGE, 0, ZX_VM_PERM_READ, PAGE, NULL);
    conf_touch("execute", a + 0x40, DENIED);
}

CASE(fault, write_after_protect_read_only)
{
    zx_handle_t vmo = 0;
    zx_vaddr_t a = mapped(2 * PAGE, 0, RW, 2 * PAGE, &vmo);
    ((volatile uint8_t *)a)[PAGE] = 5;
    /* Through the root: a parent may lower permissions in descendants. */
    ASSERT_OK(zx_vmar_protect(ROOT, ZX_VM_PERM_READ, a, 2 * PAGE));
    ASSERT_EQ(((volatile uint8_t *)a)[PAGE], 5);
    conf_touch("write", a + PAGE + 0x10, DENIED);
}

CASE(fault, read_after_protect_none)
{
    zx_vaddr_t a = mapped(PAGE, 0, RW, PAGE, NULL);
    ((volatile uint8_t *)a)[0] = 5;
    ASSERT_OK(zx_vmar_protect(ROOT, 0, a, PAGE));
    conf_touch("read", a, DENIED);
}

CASE(fault, exec_after_protect_read_only)
{
    zx_handle_t v = 0;
    zx_vaddr_t a = code_mapping(&v);
    int (*fn)(void) = (int (*)(void))a;
    ASSERT_EQ(fn(), 42);
    ASSERT_OK(zx_vmar_protect(v, ZX_VM_PERM_READ, a, PAGE));
    conf_touch("execute", a, DENIED);
}

CASE(fault, write_own_code)
{
    conf_touch("write", (zx_vaddr_t)&ret42_code, DENIED);
}

CASE(fault, write_own_rodata)
{
    static const char text[64] = "read-only data";
    conf_touch("write", (zx_vaddr_t)text & ~(zx_vaddr_t)7, DENIED);
}

CASE(fault, write_snapshot_mapped_read_only)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, PAGE, 0x11);
    zx_handle_t c = child(vmo, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_NO_WRITE, 0, PAGE);
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_vaddr_t a = map(v, ZX_VM_PERM_READ, 0, c, 0, PAGE);
    ASSERT_EQ(((volatile uint8_t *)a)[0], 0x11);
    conf_touch("write", a + 0x200, DENIED);
}

/* ---- beyond the end of the VMO ---- */

CASE(fault, read_after_shrink)
{
    zx_handle_t vmo = 0;
    zx_vaddr_t a = mapped(2 * PAGE, ZX_VMO_RESIZABLE, RW, 2 * PAGE, &vmo);
    ((volatile uint8_t *)a)[PAGE] = 1;
    ASSERT_OK(zx_vmo_set_size(vmo, PAGE));
    ASSERT_EQ(((volatile uint8_t *)a)[0], 0);
    conf_touch("read", a + PAGE + 0x10, BEYOND);
}

CASE(fault, write_after_shrink)
{
    zx_handle_t vmo = 0;
    zx_vaddr_t a = mapped(3 * PAGE, ZX_VMO_RESIZABLE, RW, 3 * PAGE, &vmo);
    ASSERT_OK(zx_vmo_set_size(vmo, PAGE + 1));
    /* Page 1 still exists (size rounds up to 2 pages). */
    ((volatile uint8_t *)a)[PAGE + 100] = 1;
    conf_touch("write", a + 2 * PAGE, BEYOND);
}

CASE(fault, read_mapping_longer_than_vmo)
{
    zx_vaddr_t a = mapped(PAGE, 0, ZX_VM_PERM_READ, 3 * PAGE, NULL);
    ASSERT_EQ(((volatile uint8_t *)a)[PAGE - 1], 0);
    conf_touch("read", a + 2 * PAGE + 0x7, BEYOND);
}

CASE(fault, read_mapping_starting_beyond_vmo)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t v = scratch(4 * PAGE, NULL);
    zx_vaddr_t a = map(v, ZX_VM_PERM_READ, 0, vmo, 4 * PAGE, PAGE);
    conf_touch("read", a, BEYOND);
}

CASE(fault, read_beyond_stream_size)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    uint64_t cs = PAGE + 1;
    ASSERT_OK(zx_object_set_property(vmo, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs));
    zx_handle_t v = scratch(8 * PAGE, NULL);
    zx_vaddr_t a =
        map(v, RW | ZX_VM_ALLOW_FAULTS | ZX_VM_FAULT_BEYOND_STREAM_SIZE, 0, vmo, 0, 4 * PAGE);
    /* The page that holds the last content byte is accessible. */
    ASSERT_EQ(((volatile uint8_t *)a)[PAGE + 100], 0);
    conf_touch("read", a + 2 * PAGE + 0x20, BEYOND);
}

CASE(fault, stream_size_shrink_applies_to_mapping)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    zx_handle_t v = scratch(8 * PAGE, NULL);
    zx_vaddr_t a =
        map(v, RW | ZX_VM_ALLOW_FAULTS | ZX_VM_FAULT_BEYOND_STREAM_SIZE, 0, vmo, 0, 4 * PAGE);
    ((volatile uint8_t *)a)[3 * PAGE] = 1;
    uint64_t cs = PAGE;
    ASSERT_OK(zx_object_set_property(vmo, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs));
    conf_touch("write", a + 3 * PAGE, BEYOND);
}

/* ---- things that must not fault ---- */

CASE(fault, no_fault_reads_zero_after_decommit)
{
    conf_expect_no_fault();
    zx_handle_t vmo = 0;
    zx_vaddr_t a = mapped(2 * PAGE, 0, RW, 2 * PAGE, &vmo);
    volatile uint8_t *p = (volatile uint8_t *)a;
    p[0] = 1;
    p[PAGE] = 2;
    ASSERT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, 2 * PAGE, NULL, 0));
    EXPECT_EQ(p[0], 0);
    EXPECT_EQ(p[PAGE], 0);
    p[PAGE + 1] = 3;
    EXPECT_EQ(vmo_byte(vmo, PAGE + 1), 3);
}

CASE(fault, no_fault_after_regrow)
{
    conf_expect_no_fault();
    zx_handle_t vmo = 0;
    zx_vaddr_t a = mapped(2 * PAGE, ZX_VMO_RESIZABLE, RW, 2 * PAGE, &vmo);
    volatile uint8_t *p = (volatile uint8_t *)a;
    p[PAGE] = 7;
    ASSERT_OK(zx_vmo_set_size(vmo, PAGE));
    ASSERT_OK(zx_vmo_set_size(vmo, 2 * PAGE));
    EXPECT_EQ(p[PAGE], 0);
    p[PAGE] = 8;
    EXPECT_EQ(vmo_byte(vmo, PAGE), 8);
}

CASE(fault, no_fault_after_protect_back_up)
{
    conf_expect_no_fault();
    zx_vaddr_t a = mapped(PAGE, 0, RW, PAGE, NULL);
    volatile uint8_t *p = (volatile uint8_t *)a;
    p[0] = 9;
    ASSERT_OK(zx_vmar_protect(last_vmar, 0, a, PAGE));
    /* Raising again needs the mapping's own region handle. */
    ASSERT_OK(zx_vmar_protect(last_vmar, ZX_VM_PERM_READ, a, PAGE));
    EXPECT_EQ(p[0], 9);
}

CASE(fault, no_fault_grown_vmo_under_long_mapping)
{
    conf_expect_no_fault();
    zx_handle_t vmo = 0;
    zx_vaddr_t a = mapped(PAGE, ZX_VMO_RESIZABLE, RW, 4 * PAGE, &vmo);
    ASSERT_OK(zx_vmo_set_size(vmo, 4 * PAGE));
    volatile uint8_t *p = (volatile uint8_t *)a;
    p[3 * PAGE + 5] = 0x33;
    EXPECT_EQ(vmo_byte(vmo, 3 * PAGE + 5), 0x33);
}

CASE(fault, no_fault_stream_size_grow)
{
    conf_expect_no_fault();
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    uint64_t cs = PAGE;
    ASSERT_OK(zx_object_set_property(vmo, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs));
    zx_handle_t v = scratch(8 * PAGE, NULL);
    zx_vaddr_t a =
        map(v, RW | ZX_VM_ALLOW_FAULTS | ZX_VM_FAULT_BEYOND_STREAM_SIZE, 0, vmo, 0, 4 * PAGE);
    cs = 4 * PAGE;
    ASSERT_OK(zx_object_set_property(vmo, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs));
    ((volatile uint8_t *)a)[3 * PAGE] = 4;
    EXPECT_EQ(vmo_byte(vmo, 3 * PAGE), 4);
}

CASE(fault, no_fault_across_adjacent_mappings)
{
    conf_expect_no_fault();
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    zx_vaddr_t base = 0;
    zx_handle_t v = scratch(16 * PAGE, &base);
    map(v, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 2 * PAGE);
    map(v, RW | ZX_VM_SPECIFIC, 2 * PAGE, vmo, 2 * PAGE, 3 * PAGE);
    printf("touching 0x%016llx\n", (unsigned long long)(base + 4 * PAGE));
    fflush(stdout);
    ((volatile uint8_t *)base)[4 * PAGE] = 0x4D;
    EXPECT_EQ(vmo_byte(vmo, 4 * PAGE), 0x4D);
}

int main(int argc, char **argv)
{
    return conf_fault_main(argc, argv);
}

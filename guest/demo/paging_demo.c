/* Demand paging, copy-on-write and decommit, step by step, with the numbers
 * a virtual-memory course asks about: what each VMO is charged (RSS, USS,
 * PSS), how many frames the machine gained or lost and how many page faults
 * the kernel resolved during the step. Every figure printed is checked
 * against the value the scenario implies, so the demo exits nonzero if the
 * simulator ever disagrees. */
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zxsim/zxsim.h>

#define PAGES 64

static int checks, failures;

static void check(int ok, const char *what)
{
    checks++;
    if (!ok) {
        printf("  !! unexpected: %s\n", what);
        failures++;
    }
}

static void expect(zx_status_t got, zx_status_t want, const char *call)
{
    printf("  %-46s -> %d%s\n", call, got, got == want ? "" : "  (unexpected)");
    check(got == want, call);
}

/* One figure: printed, and compared with what the scenario implies. */
static void expect_count(long long got, long long want, const char *what)
{
    if (got != want) {
        printf("  !! %s is %lld, expected %lld\n", what, got, want);
        failures++;
    }
    checks++;
}

static zx_info_vmo_t vmo_info(zx_handle_t vmo)
{
    zx_info_vmo_t info;
    memset(&info, 0, sizeof info);
    zx_status_t st = zx_object_get_info(vmo, ZX_INFO_VMO, &info, sizeof info, NULL, NULL);
    check(st == ZX_OK, "zx_object_get_info(ZX_INFO_VMO) returns ZX_OK");
    return info;
}

/* A VMO's attribution, in pages: RSS and USS whole, PSS in quarter pages
 * (every sharing in this demo is by at most two VMOs). */
static void show_vmo(const char *name, zx_handle_t vmo, long rss, long uss, long pss_quarters)
{
    zx_info_vmo_t i = vmo_info(vmo);
    printf("  %-7s RSS %3llu pages  USS %3llu pages  PSS %6.2f pages\n", name,
           (unsigned long long)(i.committed_bytes / 4096),
           (unsigned long long)(i.committed_private_bytes / 4096),
           (double)i.committed_scaled_bytes / 4096.0);
    expect_count((long long)i.committed_bytes, rss * 4096, "RSS in bytes");
    expect_count((long long)i.committed_private_bytes, uss * 4096, "USS in bytes");
    expect_count((long long)i.committed_scaled_bytes, pss_quarters * 1024, "PSS in bytes");
    expect_count((long long)i.committed_fractional_scaled_bytes, 0, "PSS fraction");
}

/* The machine's counters at the start of a step's action. */
static zxsim_mem_stats_t mark;

static void begin(void)
{
    check(zxsim_mem_stats(&mark) == ZX_OK, "zxsim_mem_stats returns ZX_OK");
}

/* What the action since begin() did to the machine, taken before anything
 * is printed so the figures are the action's alone; show_machine() prints
 * them. */
static long long d_frames, d_committed, d_tables, d_faults;

static void end(long committed, long tables, long faults)
{
    zxsim_mem_stats_t now;
    check(zxsim_mem_stats(&now) == ZX_OK, "zxsim_mem_stats returns ZX_OK");
    d_frames = (long long)(now.frames_in_use - mark.frames_in_use);
    d_committed = (long long)(now.committed_frames - mark.committed_frames);
    d_tables = (long long)(now.page_table_frames - mark.page_table_frames);
    d_faults = (long long)(now.page_faults - mark.page_faults);
    expect_count(d_frames, committed + tables, "the change in frames in use");
    expect_count(d_committed, committed, "the change in committed frames");
    expect_count(d_tables, tables, "the change in page-table frames");
    expect_count(d_faults, faults, "the page faults of the step");
}

static void show_machine(void)
{
    printf("  machine: %+lld frames in use (%+lld committed, %+lld page tables), %lld faults\n",
           d_frames, d_committed, d_tables, d_faults);
}

static void title(const char *text)
{
    printf("\n%s\n", text);
}

/* A region of its own, 1 GiB-aligned in the first 512 GiB of the address
 * space: the program image lives in that 512 GiB too, so its top-level
 * table exists, and nothing else lives in this 1 GiB, so touching the
 * region the first time needs exactly two new page tables (the table for
 * the 1 GiB and the one for the 2 MiB that the 128 pages of the demo fit
 * in). */
static zx_handle_t own_region(zx_vaddr_t *base)
{
    zx_handle_t root = zx_vmar_root_self();
    zx_info_vmar_t rinfo;
    memset(&rinfo, 0, sizeof rinfo);
    check(zx_object_get_info(root, ZX_INFO_VMAR, &rinfo, sizeof rinfo, NULL, NULL) == ZX_OK,
          "zx_object_get_info(ZX_INFO_VMAR) returns ZX_OK");
    const uint64_t gib = 1ull << 30;
    for (uint64_t at = 8 * gib; at < 512 * gib; at += gib) {
        zx_handle_t vmar;
        zx_status_t st = zx_vmar_allocate(root,
                                          ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE |
                                              ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_SPECIFIC,
                                          at - rinfo.base, gib, &vmar, base);
        if (st == ZX_OK)
            return vmar;
    }
    check(0, "a free 1 GiB region in the first 512 GiB");
    return ZX_HANDLE_INVALID;
}

int main(void)
{
    const size_t page = zx_system_get_page_size();
    const zx_vm_option_t rw_here = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC;
    zx_vaddr_t region_base = 0;
    zx_handle_t region = own_region(&region_base);
    if (region == ZX_HANDLE_INVALID)
        return 1;

    title("1. A VMO of 64 pages costs nothing until it is touched");
    zx_handle_t vmo;
    zx_vaddr_t base = 0;
    begin();
    zx_status_t st_create = zx_vmo_create(PAGES * page, 0, &vmo);
    zx_status_t st_map = zx_vmar_map(region, rw_here, 0, vmo, 0, PAGES * page, &base);
    end(0, 0, 0);
    expect(st_create, ZX_OK, "zx_vmo_create(64 pages)");
    expect(st_map, ZX_OK, "zx_vmar_map(read/write)");
    volatile uint8_t *mem = (volatile uint8_t *)base;
    show_vmo("parent", vmo, 0, 0, 0);
    show_machine();

    title("2. Reading every page maps the shared zero page: one fault each, nothing committed");
    unsigned sum = 0;
    begin();
    for (int i = 0; i < PAGES; i++)
        sum += mem[i * page];
    /* The first touch of the region builds its two page tables. */
    end(0, 2, PAGES);
    check(sum == 0, "untouched memory reads zero");
    show_vmo("parent", vmo, 0, 0, 0);
    show_machine();

    title("3. Writing the first 32 pages: one fault and one frame each");
    begin();
    for (int i = 0; i < 32; i++)
        mem[i * page] = (uint8_t)(i + 1);
    end(32, 0, 32);
    show_vmo("parent", vmo, 32, 32, 32 * 4);
    show_machine();

    title("4. A snapshot shares those 32 pages: both VMOs see them, each pays half");
    zx_handle_t child;
    zx_vaddr_t cbase = 0;
    begin();
    zx_status_t st_child = zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGES * page, &child);
    zx_status_t st_cmap =
        zx_vmar_map(region, rw_here, PAGES * page, child, 0, PAGES * page, &cbase);
    end(0, 0, 0);
    expect(st_child, ZX_OK, "zx_vmo_create_child(SNAPSHOT)");
    expect(st_cmap, ZX_OK, "zx_vmar_map(child)");
    volatile uint8_t *cmem = (volatile uint8_t *)cbase;
    show_vmo("parent", vmo, 32, 0, 16 * 4);
    show_vmo("child", child, 32, 0, 16 * 4);
    show_machine();

    title("5. The child writes 8 shared pages: copy-on-write gives it private copies");
    begin();
    for (int i = 0; i < 8; i++)
        cmem[i * page] = 0xC0;
    end(8, 0, 8);
    /* Each side now owns 8 pages outright and shares 24: PSS 8 + 24 / 2. */
    show_vmo("parent", vmo, 32, 8, 20 * 4);
    show_vmo("child", child, 32, 8, 20 * 4);
    show_machine();
    check(mem[0] == 1 && cmem[0] == 0xC0, "parent keeps its data, child sees its own");
    check(cmem[8 * page] == 9, "unwritten pages still show the parent's data");

    title("6. Decommit is refused while the copy-on-write family exists");
    expect(zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, 16 * page, NULL, 0), ZX_ERR_NOT_SUPPORTED,
           "zx_vmo_op_range(DECOMMIT) with a snapshot");

    title("7. Closing the child frees its 8 private pages; decommit then frees 16 more");
    begin();
    zx_status_t st_cunmap = zx_vmar_unmap(region, cbase, PAGES * page);
    zx_status_t st_close = zx_handle_close(child);
    /* The child's mapping shares its page table with the parent's. */
    end(-8, 0, 0);
    expect(st_cunmap, ZX_OK, "zx_vmar_unmap(child)");
    expect(st_close, ZX_OK, "zx_handle_close(child)");
    show_vmo("parent", vmo, 32, 32, 32 * 4);
    show_machine();
    begin();
    zx_status_t st_decommit = zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, 16 * page, NULL, 0);
    end(-16, 0, 0);
    expect(st_decommit, ZX_OK, "zx_vmo_op_range(DECOMMIT, first 16 pages)");
    show_vmo("parent", vmo, 16, 16, 16 * 4);
    show_machine();
    check(mem[0] == 0 && mem[16 * page] == 17, "decommitted pages read zero, others keep data");

    expect(zx_vmar_unmap(region, base, PAGES * page), ZX_OK, "zx_vmar_unmap");
    expect(zx_handle_close(vmo), ZX_OK, "zx_handle_close");
    expect(zx_vmar_destroy(region), ZX_OK, "zx_vmar_destroy");
    expect(zx_handle_close(region), ZX_OK, "zx_handle_close(region)");
    if (failures)
        printf("\ndemo FAILED: %d of %d checks disagreed\n", failures, checks);
    else
        printf("\ndemo complete: all %d checks of statuses, contents and figures held\n", checks);
    return failures ? 1 : 0;
}

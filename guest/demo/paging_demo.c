/* Demand paging, copy-on-write and decommit, step by step, with the numbers
 * a virtual-memory course asks about: what each VMO is charged (RSS, USS,
 * PSS), how many frames the machine has in use, and how many page faults
 * the kernel resolved. Every step checks what Zircon documents, so the demo
 * exits nonzero if the simulator ever disagrees. */
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zxsim/zxsim.h>

#define PAGES 64

static int failures;
static zxsim_mem_stats_t last;

static void check(int ok, const char *what)
{
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

static zx_info_vmo_t vmo_info(zx_handle_t vmo)
{
    zx_info_vmo_t info;
    memset(&info, 0, sizeof info);
    zx_object_get_info(vmo, ZX_INFO_VMO, &info, sizeof info, NULL, NULL);
    return info;
}

static void show_vmo(const char *name, zx_handle_t vmo)
{
    zx_info_vmo_t i = vmo_info(vmo);
    printf("  %-7s RSS %3llu pages  USS %3llu pages  PSS %6.2f pages\n", name,
           (unsigned long long)(i.committed_bytes / 4096),
           (unsigned long long)(i.committed_private_bytes / 4096),
           (double)i.committed_scaled_bytes / 4096.0);
}

/* Frames and faults since the previous step. */
static void show_machine(void)
{
    zxsim_mem_stats_t now;
    zxsim_mem_stats(&now);
    printf("  machine: %llu frames in use (%+lld), %llu committed, %llu page tables; "
           "%llu faults (%+lld)\n",
           (unsigned long long)now.frames_in_use,
           (long long)(now.frames_in_use - last.frames_in_use),
           (unsigned long long)now.committed_frames, (unsigned long long)now.page_table_frames,
           (unsigned long long)now.page_faults, (long long)(now.page_faults - last.page_faults));
    last = now;
}

static void title(const char *text)
{
    printf("\n%s\n", text);
}

int main(void)
{
    const size_t page = zx_system_get_page_size();
    zx_handle_t root = zx_vmar_root_self();
    zxsim_mem_stats(&last);

    title("1. A VMO of 64 pages costs nothing until it is touched");
    zx_handle_t vmo;
    expect(zx_vmo_create(PAGES * page, 0, &vmo), ZX_OK, "zx_vmo_create(64 pages)");
    zx_vaddr_t base = 0;
    expect(zx_vmar_map(root, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0, PAGES * page, &base),
           ZX_OK, "zx_vmar_map(read/write)");
    volatile uint8_t *mem = (volatile uint8_t *)base;
    show_vmo("parent", vmo);
    show_machine();
    check(vmo_info(vmo).committed_bytes == 0, "a new VMO commits nothing");

    title("2. Reading every page maps the shared zero page: still nothing committed");
    unsigned sum = 0;
    for (int i = 0; i < PAGES; i++)
        sum += mem[i * page];
    check(sum == 0, "untouched memory reads zero");
    show_vmo("parent", vmo);
    show_machine();
    check(vmo_info(vmo).committed_bytes == 0, "reads commit nothing");

    title("3. Writing the first 32 pages: one demand-zero fault and one frame each");
    for (int i = 0; i < 32; i++)
        mem[i * page] = (uint8_t)(i + 1);
    show_vmo("parent", vmo);
    show_machine();
    check(vmo_info(vmo).committed_bytes == 32 * page, "32 pages committed");

    title("4. A snapshot shares those 32 pages: both VMOs see them, each pays half");
    zx_handle_t child;
    expect(zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGES * page, &child), ZX_OK,
           "zx_vmo_create_child(SNAPSHOT)");
    zx_vaddr_t cbase = 0;
    expect(zx_vmar_map(root, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, child, 0, PAGES * page, &cbase),
           ZX_OK, "zx_vmar_map(child)");
    volatile uint8_t *cmem = (volatile uint8_t *)cbase;
    show_vmo("parent", vmo);
    show_vmo("child", child);
    show_machine();
    check(vmo_info(child).committed_private_bytes == 0, "nothing private yet");

    title("5. The child writes 8 shared pages: copy-on-write gives it private copies");
    for (int i = 0; i < 8; i++)
        cmem[i * page] = 0xC0;
    show_vmo("parent", vmo);
    show_vmo("child", child);
    show_machine();
    check(mem[0] == 1 && cmem[0] == 0xC0, "parent keeps its data, child sees its own");
    check(cmem[8 * page] == 9, "unwritten pages still show the parent's data");

    title("6. Decommit is refused while the copy-on-write family exists");
    expect(zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, 16 * page, NULL, 0), ZX_ERR_NOT_SUPPORTED,
           "zx_vmo_op_range(DECOMMIT) with a snapshot");

    title("7. Closing the child frees its private pages; decommit then frees 16 more");
    expect(zx_vmar_unmap(root, cbase, PAGES * page), ZX_OK, "zx_vmar_unmap(child)");
    expect(zx_handle_close(child), ZX_OK, "zx_handle_close(child)");
    show_vmo("parent", vmo);
    show_machine();
    expect(zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, 16 * page, NULL, 0), ZX_OK,
           "zx_vmo_op_range(DECOMMIT, first 16 pages)");
    show_vmo("parent", vmo);
    show_machine();
    check(mem[0] == 0 && mem[16 * page] == 17, "decommitted pages read zero, others keep data");
    check(vmo_info(vmo).committed_bytes == 16 * page, "16 pages left committed");

    expect(zx_vmar_unmap(root, base, PAGES * page), ZX_OK, "zx_vmar_unmap");
    expect(zx_handle_close(vmo), ZX_OK, "zx_handle_close");
    printf("\n%s\n", failures ? "demo FAILED" : "demo complete: every step matched Zircon");
    return failures ? 1 : 0;
}

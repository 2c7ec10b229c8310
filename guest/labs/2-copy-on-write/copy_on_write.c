/* Lab 2: copy-on-write and the PSS arithmetic.
 *
 * A VMO of 4 written pages gets a snapshot child: both see the same 4
 * frames, so each is charged half of each (PSS). When the child writes one
 * page, the kernel copies that frame: now each VMO has 1 private page (USS)
 * and 3 still shared. PSS = USS + shared / 2. */
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zxsim/zxsim.h>

#define PAGE  4096
#define PAGES 4

static void must(zx_status_t st, const char *what)
{
    if (st != ZX_OK) {
        printf("%s failed: %d\n", what, st);
        zx_process_exit(1);
    }
}

static void charge(const char *who, zx_handle_t vmo)
{
    zx_info_vmo_t i;
    memset(&i, 0, sizeof i);
    must(zx_object_get_info(vmo, ZX_INFO_VMO, &i, sizeof i, NULL, NULL), "get_info");
    unsigned long long rss = i.committed_bytes / PAGE, uss = i.committed_private_bytes / PAGE;
    printf("  %-6s RSS %llu  USS %llu  PSS %.2f = %llu + %llu/2\n", who, rss, uss,
           (double)i.committed_scaled_bytes / PAGE, uss, rss - uss);
}

static volatile unsigned char *map(zx_handle_t vmo)
{
    zx_vaddr_t addr;
    must(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
                     PAGES * PAGE, &addr),
         "map");
    return (volatile unsigned char *)addr;
}

int main(void)
{
    zx_handle_t parent, child;
    must(zx_vmo_create(PAGES * PAGE, 0, &parent), "vmo_create");
    must(zx_object_set_property(parent, ZX_PROP_NAME, "lab2-parent", 11), "name");
    volatile unsigned char *p = map(parent);
    for (int i = 0; i < PAGES; i++)
        p[i * PAGE] = (unsigned char)(0x10 + i);
    printf("parent wrote %d pages\n", PAGES);
    charge("parent", parent);

    must(zx_vmo_create_child(parent, ZX_VMO_CHILD_SNAPSHOT, 0, PAGES * PAGE, &child), "child");
    must(zx_object_set_property(child, ZX_PROP_NAME, "lab2-child", 10), "name");
    volatile unsigned char *c = map(child);
    printf("snapshot taken: %d frames shared\n", PAGES);
    charge("parent", parent);
    charge("child", child);
    zxsim_dump("after the snapshot");

    zxsim_mem_stats_t s0, s1;
    zxsim_mem_stats(&s0);
    c[0] = 0xC0;
    zxsim_mem_stats(&s1);
    printf("child wrote page 0: %llu fault, %lld new frame\n",
           (unsigned long long)(s1.page_faults - s0.page_faults),
           (long long)(s1.committed_frames - s0.committed_frames));
    charge("parent", parent);
    charge("child", child);
    printf("parent still reads 0x%x, child reads 0x%x\n", p[0], c[0]);
    zxsim_dump("after the child's write");
    return 0;
}

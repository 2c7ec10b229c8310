/* Lab 5: a deliberate fault. The program maps a VMO read-only and writes
 * to it; zxsim stops it with a report that, with --explain, shows the walk
 * the MMU made and the entry that forbade the write. */
#include <stdio.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

int main(void)
{
    zx_handle_t vmo;
    zx_vaddr_t addr;
    if (zx_vmo_create(4096, 0, &vmo) != ZX_OK ||
        zx_object_set_property(vmo, ZX_PROP_NAME, "lab5-readonly", 13) != ZX_OK ||
        zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, vmo, 0, 4096, &addr) != ZX_OK)
        return 1;
    volatile unsigned char *page = (volatile unsigned char *)addr;
    printf("reading the read-only page: %u\n", page[0x18]);
    printf("now writing to it\n");
    page[0x18] = 1;
    printf("not reached\n");
    return 0;
}

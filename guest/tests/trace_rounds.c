/* A guest whose trace is known exactly: R rounds of create, map, write one
 * page, unmap and close; then one syscall whose user copy fails.
 *
 *   trace_rounds [R]      R defaults to 10
 *
 * Each round's VMO is two pages, mapped read-write; the write touches the
 * first page only, so each round gives one demand-zero fault in that
 * mapping. The last call passes an unmapped address for zx_vmo_create's
 * handle: the kernel's copy fails and the call returns an error. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#define PAGE 4096u

int main(int argc, char **argv)
{
    unsigned rounds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 10;
    unsigned bad = 0;
    for (unsigned i = 0; i < rounds; i++) {
        zx_handle_t vmo;
        zx_vaddr_t addr;
        if (zx_vmo_create(2 * PAGE, 0, &vmo) != ZX_OK ||
            zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
                        2 * PAGE, &addr) != ZX_OK) {
            bad++;
            continue;
        }
        *(volatile uint32_t *)addr = i + 1;
        if (zx_vmar_unmap(zx_vmar_root_self(), addr, 2 * PAGE) != ZX_OK)
            bad++;
        if (zx_handle_close(vmo) != ZX_OK)
            bad++;
    }
    /* An address inside user space that nothing is mapped at. */
    zx_status_t st = zx_vmo_create(PAGE, 0, (zx_handle_t *)(uintptr_t)0x201000);
    printf("rounds %u, failures %u, bad pointer -> %d\n", rounds, bad, st);
    return bad == 0 && st != ZX_OK ? 0 : 1;
}

/* A small Zircon program that the zxsim-cc test copies into a fresh
 * directory outside the repository and compiles there, with
 * -DVALUE=7 -I<that directory> (for sample.h). */
#include "sample.h"

#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#ifndef VALUE
#error "compile with -DVALUE=..."
#endif

int main(void)
{
    zx_handle_t vmo;
    zx_status_t st = zx_vmo_create(SAMPLE_PAGES * 4096, 0, &vmo);
    printf("zx_vmo_create -> %d\n", st);
    zx_vaddr_t addr = 0;
    if (st == ZX_OK)
        st = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
                         SAMPLE_PAGES * 4096, &addr);
    printf("zx_vmar_map -> %d\n", st);
    if (st != ZX_OK)
        return 1;
    /* Store through the mapping, read back through the VMO. */
    int *numbers = (int *)addr;
    for (int i = 0; i < SAMPLE_PAGES; i++)
        numbers[i * 1024] = sample_square(VALUE + i);
    int back = 0;
    st = zx_vmo_read(vmo, &back, (SAMPLE_PAGES - 1) * 4096, sizeof back);
    printf("VALUE = %d, %s = %d, last square read back = %d (%d)\n", VALUE, SAMPLE_NAME,
           sample_square(VALUE), back, st);
    return back == sample_square(VALUE + SAMPLE_PAGES - 1) ? 0 : 1;
}

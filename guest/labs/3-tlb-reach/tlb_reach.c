/* Lab 3: TLB reach. Reads one byte of each of PAGES pages, 10 times over,
 * between zxsim_detail_begin/end so that the hardware model counts this
 * loop alone. With the teaching profile (a 4-entry L1 data TLB, a 16-entry
 * L2 TLB, both LRU) a working set within a TLB's reach misses once per
 * page; one page more and LRU evicts every entry just before it is needed
 * again: every access misses. */
#include <stdio.h>
#include <stdlib.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zxsim/zxsim.h>

#define PAGE   4096ul
#define SWEEPS 10

__attribute__((noinline)) unsigned long sweep(const volatile unsigned char *p, unsigned long n)
{
    unsigned long sum = 0;
    for (int k = 0; k < SWEEPS; k++)
        for (unsigned long i = 0; i < n; i++)
            sum += p[i * PAGE];
    return sum;
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 8;
    zx_handle_t vmo;
    zx_vaddr_t addr;
    if (n == 0 || n > 4096 || zx_vmo_create(n * PAGE, 0, &vmo) != ZX_OK ||
        zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0, n * PAGE,
                    &addr) != ZX_OK)
        return 1;
    volatile unsigned char *p = (volatile unsigned char *)addr;
    for (unsigned long i = 0; i < n; i++)
        p[i * PAGE] = 1; /* fault every page in before measuring */
    zxsim_detail_begin();
    unsigned long sum = sweep(p, n);
    zxsim_detail_end();
    printf("%lu pages, %d sweeps: %lu reads\n", n, SWEEPS, sum);
    return 0;
}

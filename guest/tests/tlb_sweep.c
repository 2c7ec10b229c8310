/* The strided page sweep whose TLB misses have an analytical answer:
 * sweep() reads one byte of each of N pages, R times over. Against an
 * E-entry fully associative LRU data TLB it misses N times per sweep when
 * N > E, and N times in all when N <= E.
 *
 *   tlb_sweep N R [brackets]
 *
 * With "brackets" the call is bracketed by zxsim_detail_begin/end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zxsim/zxsim.h>

#define PAGE 4096ul

__attribute__((noinline)) unsigned long sweep(const volatile unsigned char *p, unsigned long n,
                                              unsigned long r)
{
    unsigned long sum = 0;
    for (unsigned long k = 0; k < r; k++)
        for (unsigned long i = 0; i < n; i++)
            sum += p[i * PAGE];
    return sum;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("usage: tlb_sweep PAGES SWEEPS [brackets]\n");
        return 1;
    }
    unsigned long n = strtoul(argv[1], NULL, 0), r = strtoul(argv[2], NULL, 0);
    int brackets = argc > 3 && strcmp(argv[3], "brackets") == 0;
    zx_handle_t vmo;
    zx_vaddr_t addr;
    if (zx_vmo_create(n * PAGE, 0, &vmo) != ZX_OK ||
        zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0, n * PAGE,
                    &addr) != ZX_OK) {
        printf("cannot map %lu pages\n", n);
        return 1;
    }
    volatile unsigned char *p = (volatile unsigned char *)addr;
    for (unsigned long i = 0; i < n; i++)
        p[i * PAGE] = (unsigned char)i;
    if (brackets && zxsim_detail_begin() != ZX_OK)
        return 2;
    unsigned long sum = sweep(p, n, r);
    if (brackets && zxsim_detail_end() != ZX_OK)
        return 2;
    printf("sum %lu\n", sum);
    return 0;
}

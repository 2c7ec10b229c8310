/* Lab 1: demand paging and the zero page.
 *
 * lab_pages is eight pages of .bss: part of the program's data VMO, but
 * committed by nothing until the program touches it. Reading maps the one
 * shared zero page, read-only; the first write to a page commits a fresh
 * zero-filled frame (demand-zero). The dumps show each step in the VMAR
 * tree, the page tables and the VMO's page list. */
#include <stdio.h>
#include <zxsim/zxsim.h>

#define PAGE  4096
#define PAGES 8

__attribute__((aligned(PAGE))) unsigned char lab_pages[PAGES][PAGE];

static zxsim_mem_stats_t before;

static void start(void)
{
    zxsim_mem_stats(&before);
}

static void report(const char *what)
{
    zxsim_mem_stats_t now;
    zxsim_mem_stats(&now);
    printf("%-34s %2llu page faults, %2lld frames committed\n", what,
           (unsigned long long)(now.page_faults - before.page_faults),
           (long long)(now.committed_frames - before.committed_frames));
}

/* A place to stop at: zxsim explain --at after_writes. */
__attribute__((noinline)) void after_writes(void)
{
    __asm__ volatile("" ::: "memory");
}

int main(void)
{
    volatile unsigned char(*pages)[PAGE] = lab_pages;
    zxsim_dump("1. nothing touched yet");

    start();
    unsigned sum = 0;
    for (int i = 0; i < 4; i++)
        sum += pages[i][0];
    report("read pages 0-3 (zero page):");
    zxsim_dump("2. pages 0-3 read");

    start();
    for (int i = 0; i < 2; i++)
        pages[i][0] = (unsigned char)(i + 1);
    report("wrote pages 0-1 (demand-zero):");
    zxsim_dump("3. pages 0-1 written");

    start();
    for (int i = 0; i < 2; i++)
        pages[i][100] = 7;
    report("wrote pages 0-1 again (no fault):");
    after_writes();

    printf("sum of what was read: %u\n", sum);
    return 0;
}

/* Demand paging accounting: maps a large fresh VMO, touches each page once,
 * and checks that the kernel's frame accounting grew by exactly one frame
 * per page (plus the page tables the new translations needed).
 *
 *   pagetouch [PAGES [MODE]]      PAGES defaults to 10000
 *
 * MODE "touch" (default) lets the stores fault the pages in; MODE "commit"
 * commits the whole VMO with ZX_VMO_OP_COMMIT first and prints the status
 * (a run with too little simulated RAM must get ZX_ERR_NO_MEMORY there).
 *
 * Prints "key value" lines the integration runner reads; exits 0 when every
 * check held, 1 when one failed, 10 when the commit returned
 * ZX_ERR_NO_MEMORY. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zxsim/zxsim.h>

#define PAGE 4096u

static int failures;

static void expect(int ok, const char *what)
{
    if (!ok) {
        printf("FAIL %s\n", what);
        failures++;
    }
}

/* Distinct per page, never zero, and not a pattern of the page index alone,
 * so that two pages aliasing one frame would be noticed. */
static uint64_t value_for(uint64_t i)
{
    return (i + 1) * 0x9e3779b97f4a7c15ull;
}

/* Where in page i the value goes: a different word in each page. */
static uint64_t slot_for(uint64_t i)
{
    return (i * 8) % PAGE;
}

static void print_stats(const char *when, const zxsim_mem_stats_t *s)
{
    printf("%s.frames_total %lu\n", when, (unsigned long)s->frames_total);
    printf("%s.frames_in_use %lu\n", when, (unsigned long)s->frames_in_use);
    printf("%s.committed_frames %lu\n", when, (unsigned long)s->committed_frames);
    printf("%s.page_table_frames %lu\n", when, (unsigned long)s->page_table_frames);
    printf("%s.zero_page_frames %lu\n", when, (unsigned long)s->zero_page_frames);
    printf("%s.page_faults %lu\n", when, (unsigned long)s->page_faults);
}

int main(int argc, char **argv)
{
    uint64_t pages = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000;
    const char *mode = argc > 2 ? argv[2] : "touch";
    printf("pages %lu\n", (unsigned long)pages);

    zx_handle_t vmo;
    zx_status_t st = zx_vmo_create(pages * PAGE, 0, &vmo);
    printf("zx_vmo_create -> %d\n", st);
    if (st != ZX_OK)
        return 1;
    zx_vaddr_t base;
    st = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
                     pages * PAGE, &base);
    printf("zx_vmar_map -> %d\n", st);
    if (st != ZX_OK)
        return 1;

    if (!strcmp(mode, "commit")) {
        st = zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0, pages * PAGE, NULL, 0);
        printf("zx_vmo_op_range(COMMIT) -> %d\n", st);
        if (st == ZX_ERR_NO_MEMORY)
            return 10;
        if (st != ZX_OK)
            return 1;
    }
    fflush(stdout);

    /* Nothing between the two samples may commit memory other than the
     * stores into the VMO: no printf, no allocation, no new stack depth. */
    zxsim_mem_stats_t before, after;
    zx_status_t st_before = zxsim_mem_stats(&before);
    volatile uint64_t *words = (volatile uint64_t *)base;
    for (uint64_t i = 0; i < pages; i++)
        words[(i * PAGE + slot_for(i)) / 8] = value_for(i);
    uint64_t bad_pages = 0;
    for (uint64_t i = 0; i < pages; i++) {
        uint64_t page = i * PAGE / 8;
        uint64_t slot = slot_for(i) / 8;
        /* The stored word, and the words beside it, still zero. */
        if (words[page + slot] != value_for(i) || words[page + (slot + 1) % (PAGE / 8)] != 0 ||
            words[page + (slot + PAGE / 16) % (PAGE / 8)] != 0)
            bad_pages++;
    }
    zx_status_t st_after = zxsim_mem_stats(&after);

    printf("zxsim_mem_stats -> %d, %d\n", st_before, st_after);
    print_stats("before", &before);
    print_stats("after", &after);
    printf("bad_pages %lu\n", (unsigned long)bad_pages);

    uint64_t d_in_use = after.frames_in_use - before.frames_in_use;
    uint64_t d_committed = after.committed_frames - before.committed_frames;
    uint64_t d_tables = after.page_table_frames - before.page_table_frames;
    uint64_t d_faults = after.page_faults - before.page_faults;
    printf("delta.frames_in_use %lu\n", (unsigned long)d_in_use);
    printf("delta.committed_frames %lu\n", (unsigned long)d_committed);
    printf("delta.page_table_frames %lu\n", (unsigned long)d_tables);
    printf("delta.page_faults %lu\n", (unsigned long)d_faults);

    expect(st_before == ZX_OK && st_after == ZX_OK, "zxsim_mem_stats returned ZX_OK");
    expect(bad_pages == 0, "every page holds its own value");
    expect(after.frames_in_use ==
               after.committed_frames + after.page_table_frames + after.zero_page_frames,
           "frames_in_use = committed + page tables + zero page");
    expect(after.zero_page_frames == 1, "one zero page");
    if (!strcmp(mode, "commit")) {
        /* Everything was committed up front: the stores only map pages. */
        expect(d_committed == 0, "no new commits after ZX_VMO_OP_COMMIT");
    } else {
        expect(d_committed == pages, "committed_frames grew by exactly PAGES");
        expect(d_in_use == pages + d_tables, "frames_in_use grew by PAGES + new page tables");
        expect(d_faults >= pages, "at least one page fault per page");
    }

    zx_info_vmo_t info;
    st = zx_object_get_info(vmo, ZX_INFO_VMO, &info, sizeof info, NULL, NULL);
    printf("vmo.committed_bytes %lu\n", (unsigned long)info.committed_bytes);
    expect(st == ZX_OK && info.committed_bytes == pages * PAGE,
           "ZX_INFO_VMO committed_bytes = PAGES pages");

    printf("%s\n", failures ? "pagetouch FAILED" : "pagetouch ok");
    return failures ? 1 : 0;
}

/* Kernel-only cost of one demand fault: no CPU, no Unicorn. A process maps
 * a large VMO read-write, and vm_fault() is timed over N fresh pages, one
 * write fault each: the VMO page lookup, frame allocation, page-list insert
 * and the page-table writes (intermediate tables included).
 *
 * Each ISA's page-table format is measured twice:
 *   cold  the kernel's RAM is as zxsim gets it (fresh anonymous memory,
 *         huge-page advised), so the host's own first-touch faults on the
 *         frames and page tables are in the figure;
 *   warm  the whole RAM was written once by the host before, so they are
 *         not: the kernel's own work alone.
 * A third figure is the cost of the lookup the TLB-fill callback does
 * (mmu_pt_lookup) over the same, now mapped, pages.
 *
 * Usage: fault_bench [PAGES]   (default 65536, i.e. 256 MiB)
 * Prints one line per ISA:
 *   fault_bench: isa ISA, pages N, cold C us/fault, warm W us/fault, lookup L ns */
#include "mmu/page_table.h"
#include "vm/fault.h"
#include "vm/kernel.h"
#include "vm/mapping.h"
#include "vm/object.h"
#include "vm/process.h"
#include "vm/vmo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAP_BASE 0x40000000ull

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static G_NORETURN void die(const char *what)
{
    fprintf(stderr, "fault_bench: %s\n", what);
    exit(1);
}

typedef struct result {
    double fault_s;  /* per fault */
    double lookup_s; /* per lookup */
} result;

static result measure(const vm_arch *arch, uint64_t pages, bool warm)
{
    /* Room for the pages, their page tables and the process's own. */
    vm_kernel_config cfg = {
        .arch = arch,
        .ram_bytes = pages * 4096 + (64ull << 20),
        .seed = 1,
        .discard_policy = VM_DISCARD_NEVER,
    };
    GError *error = NULL;
    vm_kernel *k = vm_kernel_create(&cfg, &error);
    if (k == NULL)
        die(error->message);
    /* Zeros keep the invariant the frame allocator relies on (fresh frames
     * are zero) while making the host populate every page now. */
    if (warm)
        memset(k->mem->host, 0, k->mem->host_size);
    vm_process *p = vm_process_create(k, "fault_bench", NULL, NULL);
    if (p == NULL)
        die("cannot create the process");
    uint64_t size = pages * 4096;
    vm_vmo *vmo = vm_vmo_create(k, size, size, false, false, false);
    unsigned rw = MMU_PERM_READ | MMU_PERM_WRITE;
    if (vm_mapping_create(p->aspace->root, MAP_BASE, size, vmo, 0, rw, rw, 0) == NULL)
        die("cannot map the VMO");
    vm_object_unref(&vmo->obj);

    double t0 = now_s();
    for (uint64_t i = 0; i < pages; i++) {
        if (vm_fault(p->aspace, MAP_BASE + i * 4096, TR_ACCESS_WRITE, false, NULL) != ZX_OK)
            die("a demand fault failed");
    }
    double t1 = now_s();
    /* The sum keeps the lookups from being optimised away. */
    uint64_t sum = 0;
    for (uint64_t i = 0; i < pages; i++) {
        uint64_t pa;
        unsigned perms;
        if (!mmu_pt_lookup(p->aspace->pt, MAP_BASE + i * 4096, &pa, &perms))
            die("a faulted page is not mapped");
        sum += pa;
    }
    double t2 = now_s();
    if (sum == 0)
        die("no frame was mapped");
    vm_process_destroy(p);
    vm_kernel_destroy(k);
    return (result){(t1 - t0) / pages, (t2 - t1) / pages};
}

int main(int argc, char **argv)
{
    uint64_t pages = argc > 1 ? strtoull(argv[1], NULL, 0) : 65536;
    if (pages == 0 || pages > (16ull << 20))
        die("PAGES must be from 1 to 16777216");
    const vm_arch *arches[] = {&vm_arch_arm64, &vm_arch_x86_64};
    for (size_t i = 0; i < G_N_ELEMENTS(arches); i++) {
        result cold = measure(arches[i], pages, false);
        result warm = measure(arches[i], pages, true);
        printf("fault_bench: isa %s, pages %" G_GUINT64_FORMAT
               ", cold %.3f us/fault, warm %.3f us/fault, lookup %.1f ns\n",
               i == 0 ? "arm64" : "x86-64", pages, cold.fault_s * 1e6, warm.fault_s * 1e6,
               warm.lookup_s * 1e9);
    }
    return 0;
}

/* How the kernel's costs grow with the number of objects: each workload is
 * run for K = 10^3, 10^4 and 10^5 objects through vm_syscall(), with the
 * arguments and out-parameters a guest would pass (no CPU: the figures are
 * the kernel's own), and the time per object is printed with the ratio
 * time(10^5) / time(10^4), which is 10 for a linear total cost, i.e. a
 * constant cost per object.
 *
 *   map+unmap, ASLR      K one-page non-specific zx_vmar_map of one VMO
 *                        into the root VMAR, then K zx_vmar_unmap
 *   map+unmap, no ASLR   the same, placement at the lowest fit
 *   VMAR allocate+destroy K sub-VMARs of 4 pages inside one region, then
 *                        zx_vmar_destroy and zx_handle_close of each
 *   snapshot chain       K snapshots, each of the previous one, whose
 *                        handle is closed at once; one page read from each
 *   handle dup+close     K zx_handle_duplicate of one handle, then K closes
 *   commit+decommit      zx_vmo_op_range COMMIT of each of K pages, one at a
 *                        time, then DECOMMIT of each
 *   protect             zx_vmar_protect of every other page of one mapping
 *                        of 2K pages, read-only, one call per page: K runs
 *                        of permissions in one mapping
 *   failed allocation    RAM full, 10^4 live VMOs (half of them locked
 *                        discardable ones): K COMMITs that each fail with
 *                        ZX_ERR_NO_MEMORY after asking for reclaim
 *   protect, random order the protect row's calls in a seeded random order
 *   maps info, 4 records with K one-page mappings, K ZX_INFO_PROCESS_MAPS
 *                        calls with room for 4 records (avail checked)
 *   handle stats info    with K handles, K ZX_INFO_PROCESS_HANDLE_STATS
 *   vmos info, 4 records with K VMO handles and K mappings, K
 *                        ZX_INFO_PROCESS_VMOS calls with room for 4 records
 *
 * Times are CPU time of this process, the best of REPS runs (default 5): on
 * a shared machine, other processes evict the kernel's data from the
 * caches between runs, and the best run is the one least disturbed. The
 * allocator is told to keep the memory freed at the end of a run, so that
 * every K is measured on memory already faulted in: otherwise the large
 * runs alone would pay the host's page faults on fresh memory, a cost per
 * byte that says nothing about how the kernel's algorithms scale.
 *
 * Usage: scale_probe [MAX_K [ROW [REPS]]]   (MAX_K default 100000: K runs
 * 1000, 10000, ... up to it; ROW: only the rows whose name contains it)
 * Exit status 1 if a syscall answers anything but what the workload expects. */
#include "vm/kernel.h"
#include "vm/mapping.h"
#include "vm/object.h"
#include "vm/process.h"
#include "vm/syscalls.h"
#include "vm/usercopy.h"
#include "vm/vmar.h"
#include "vm/vmo.h"

#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zircon/rights.h>
#include <zircon/types.h>

#define ZX_SYSCALL(name, number, nargs) SYS_##name = number,
enum {
#include "syscalls.inc"
};
#undef ZX_SYSCALL

#define PG      4096ull
#define SCRATCH 0x10000000ull /* out-parameters */
#define RW      (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE)

static vm_kernel *k;
static vm_process *p;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static zx_status_t sc(uint32_t number, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                      uint64_t a4, uint64_t a5, uint64_t a6)
{
    const uint64_t args[VM_SYSCALL_ARGS] = {a0, a1, a2, a3, a4, a5, a6, 0};
    return (zx_status_t)(int64_t)vm_syscall(p, number, args);
}

static G_NORETURN void die(const char *what, zx_status_t st)
{
    fprintf(stderr, "scale_probe: %s: status %d\n", what, st);
    exit(1);
}

static void must(zx_status_t st, const char *what)
{
    if (st != ZX_OK)
        die(what, st);
}

static uint64_t out_u64(uint64_t va)
{
    uint64_t v = 0;
    must(vm_copy_from_user(p->aspace, &v, va, sizeof v), "reading an out-parameter");
    return v;
}

static zx_handle_t out_handle(uint64_t va)
{
    uint32_t h = 0;
    must(vm_copy_from_user(p->aspace, &h, va, sizeof h), "reading a handle");
    return h;
}

static void boot(uint64_t ram, bool aslr)
{
    vm_kernel_config cfg = {
        .arch = &vm_arch_x86_64,
        .ram_bytes = ram,
        .seed = 1,
        .aslr = aslr,
        .discard_policy = VM_DISCARD_LOW_MEMORY,
    };
    GError *error = NULL;
    k = vm_kernel_create(&cfg, &error);
    if (k == NULL) {
        fprintf(stderr, "scale_probe: %s\n", error->message);
        exit(1);
    }
    p = vm_process_create(k, "scale_probe", NULL, NULL);
    vm_vmo *v = vm_vmo_create(k, 16 * PG, 16 * PG, false, false, false);
    vm_mapping_create(p->aspace->root, SCRATCH, 16 * PG, v, 0, MMU_PERM_READ | MMU_PERM_WRITE,
                      MMU_PERM_READ | MMU_PERM_WRITE, 0);
    vm_object_unref(&v->obj);
}

static void shutdown(void)
{
    vm_process_destroy(p);
    vm_kernel_destroy(k);
}

static zx_handle_t new_vmo(uint64_t size, uint32_t options)
{
    must(sc(SYS_vmo_create, size, options, SCRATCH, 0, 0, 0, 0), "zx_vmo_create");
    return out_handle(SCRATCH);
}

static double map_unmap(uint64_t n, bool aslr)
{
    boot(64ull << 20, aslr);
    zx_handle_t root = p->root_vmar_handle;
    zx_handle_t vmo = new_vmo(PG, 0);
    uint64_t *addrs = g_new(uint64_t, n);
    double t0 = now_s();
    for (uint64_t i = 0; i < n; i++) {
        must(sc(SYS_vmar_map, root, RW, 0, vmo, 0, PG, SCRATCH), "zx_vmar_map");
        addrs[i] = out_u64(SCRATCH);
    }
    for (uint64_t i = 0; i < n; i++)
        must(sc(SYS_vmar_unmap, root, addrs[i], PG, 0, 0, 0, 0), "zx_vmar_unmap");
    double t = now_s() - t0;
    g_free(addrs);
    shutdown();
    return t;
}

static double vmar_alloc_destroy(uint64_t n)
{
    boot(64ull << 20, true);
    uint32_t can = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC;
    must(sc(SYS_vmar_allocate, p->root_vmar_handle, can, 0, n * 64 * PG, SCRATCH, SCRATCH + 8, 0),
         "zx_vmar_allocate (arena)");
    zx_handle_t arena = out_handle(SCRATCH);
    zx_handle_t *kids = g_new(zx_handle_t, n);
    double t0 = now_s();
    for (uint64_t i = 0; i < n; i++) {
        must(sc(SYS_vmar_allocate, arena, ZX_VM_CAN_MAP_READ, 0, 4 * PG, SCRATCH, SCRATCH + 8, 0),
             "zx_vmar_allocate");
        kids[i] = out_handle(SCRATCH);
    }
    for (uint64_t i = 0; i < n; i++) {
        must(sc(SYS_vmar_destroy, kids[i], 0, 0, 0, 0, 0, 0), "zx_vmar_destroy");
        must(sc(SYS_handle_close, kids[i], 0, 0, 0, 0, 0, 0), "zx_handle_close");
    }
    double t = now_s() - t0;
    g_free(kids);
    shutdown();
    return t;
}

static double snapshot_chain(uint64_t n)
{
    boot(64ull << 20, true);
    zx_handle_t cur = new_vmo(PG, 0);
    const char byte = 'z';
    must(vm_copy_to_user(p->aspace, SCRATCH + 64, &byte, 1), "writing the scratch");
    must(sc(SYS_vmo_write, cur, SCRATCH + 64, 0, 1, 0, 0, 0), "zx_vmo_write");
    double t0 = now_s();
    for (uint64_t i = 0; i < n; i++) {
        must(sc(SYS_vmo_create_child, cur, ZX_VMO_CHILD_SNAPSHOT, 0, PG, SCRATCH, 0, 0),
             "zx_vmo_create_child");
        zx_handle_t child = out_handle(SCRATCH);
        must(sc(SYS_handle_close, cur, 0, 0, 0, 0, 0, 0), "zx_handle_close");
        cur = child;
        must(sc(SYS_vmo_read, cur, SCRATCH + 128, 0, PG, 0, 0, 0), "zx_vmo_read");
    }
    double t = now_s() - t0;
    char got = 0;
    must(vm_copy_from_user(p->aspace, &got, SCRATCH + 128, 1), "reading the scratch");
    if (got != byte)
        die("the chain's last snapshot lost the first VMO's byte", ZX_ERR_INTERNAL);
    must(sc(SYS_handle_close, cur, 0, 0, 0, 0, 0, 0), "zx_handle_close");
    shutdown();
    return t;
}

static double dup_close(uint64_t n)
{
    boot(64ull << 20, true);
    zx_handle_t vmo = new_vmo(PG, 0);
    zx_handle_t *dups = g_new(zx_handle_t, n);
    double t0 = now_s();
    for (uint64_t i = 0; i < n; i++) {
        must(sc(SYS_handle_duplicate, vmo, ZX_RIGHT_SAME_RIGHTS, SCRATCH, 0, 0, 0, 0),
             "zx_handle_duplicate");
        dups[i] = out_handle(SCRATCH);
    }
    for (uint64_t i = 0; i < n; i++)
        must(sc(SYS_handle_close, dups[i], 0, 0, 0, 0, 0, 0), "zx_handle_close");
    double t = now_s() - t0;
    g_free(dups);
    shutdown();
    return t;
}

static double commit_decommit(uint64_t n)
{
    boot(n * PG + (64ull << 20), true);
    zx_handle_t vmo = new_vmo(n * PG, 0);
    double t0 = now_s();
    for (uint64_t i = 0; i < n; i++)
        must(sc(SYS_vmo_op_range, vmo, ZX_VMO_OP_COMMIT, i * PG, PG, 0, 0, 0), "COMMIT");
    for (uint64_t i = 0; i < n; i++)
        must(sc(SYS_vmo_op_range, vmo, ZX_VMO_OP_DECOMMIT, i * PG, PG, 0, 0, 0), "DECOMMIT");
    double t = now_s() - t0;
    shutdown();
    return t;
}

static double protect_alternate(uint64_t n)
{
    boot(64ull << 20, true);
    zx_handle_t vmo = new_vmo(2 * n * PG, 0);
    must(sc(SYS_vmar_map, p->root_vmar_handle, RW, 0, vmo, 0, 2 * n * PG, SCRATCH), "zx_vmar_map");
    uint64_t base = out_u64(SCRATCH);
    double t0 = now_s();
    for (uint64_t i = 0; i < n; i++)
        must(sc(SYS_vmar_protect, p->root_vmar_handle, ZX_VM_PERM_READ, base + 2 * i * PG, PG, 0, 0,
                0),
             "zx_vmar_protect");
    double t = now_s() - t0;
    shutdown();
    return t;
}

static double protect_shuffled(uint64_t n)
{
    boot(64ull << 20, true);
    zx_handle_t vmo = new_vmo(2 * n * PG, 0);
    must(sc(SYS_vmar_map, p->root_vmar_handle, RW, 0, vmo, 0, 2 * n * PG, SCRATCH), "zx_vmar_map");
    uint64_t base = out_u64(SCRATCH);
    uint64_t *order = g_new(uint64_t, n);
    GRand *rand = g_rand_new_with_seed(7);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t j = (uint64_t)g_rand_int_range(rand, 0, (gint32)(i + 1));
        order[i] = order[j];
        order[j] = i;
    }
    g_rand_free(rand);
    double t0 = now_s();
    for (uint64_t i = 0; i < n; i++)
        must(sc(SYS_vmar_protect, p->root_vmar_handle, ZX_VM_PERM_READ, base + 2 * order[i] * PG,
                PG, 0, 0, 0),
             "zx_vmar_protect");
    double t = now_s() - t0;
    g_free(order);
    shutdown();
    return t;
}

/* n calls of get_info(topic) on the process with room for 4 records:
 * each must report 4 actual and `want` available records. */
static double short_info_calls(uint64_t n, uint32_t topic, size_t record, uint64_t want,
                               const char *what)
{
    double t0 = now_s();
    for (uint64_t i = 0; i < n; i++) {
        must(sc(SYS_object_get_info, p->self_handle, topic, SCRATCH + 4096, 4 * record, SCRATCH,
                SCRATCH + 8, 0),
             what);
        if (out_u64(SCRATCH) != 4 || out_u64(SCRATCH + 8) != want) {
            fprintf(stderr, "scale_probe: %s counted wrong\n", what);
            exit(1);
        }
    }
    return now_s() - t0;
}

static double maps_info(uint64_t n)
{
    boot(64ull << 20, true);
    zx_handle_t vmo = new_vmo(PG, 0);
    for (uint64_t i = 0; i < n; i++)
        must(sc(SYS_vmar_map, p->root_vmar_handle, RW, 0, vmo, 0, PG, SCRATCH), "zx_vmar_map");
    /* The address space, the root VMAR, the scratch mapping and n more. */
    double t = short_info_calls(n, ZX_INFO_PROCESS_MAPS, sizeof(zx_info_maps_t), n + 3,
                                "ZX_INFO_PROCESS_MAPS");
    shutdown();
    return t;
}

static double vmos_info(uint64_t n)
{
    boot(64ull << 20, true);
    zx_handle_t vmo = new_vmo(PG, 0);
    for (uint64_t i = 0; i < n; i++) {
        must(sc(SYS_vmar_map, p->root_vmar_handle, RW, 0, vmo, 0, PG, SCRATCH), "zx_vmar_map");
        new_vmo(PG, 0);
    }
    /* n + 1 VMO handles, the scratch mapping and n more. */
    double t = short_info_calls(n, ZX_INFO_PROCESS_VMOS, sizeof(zx_info_vmo_t), 2 * n + 2,
                                "ZX_INFO_PROCESS_VMOS");
    shutdown();
    return t;
}

static double handle_stats(uint64_t n)
{
    boot(64ull << 20, true);
    zx_handle_t vmo = new_vmo(PG, 0);
    for (uint64_t i = 0; i < n; i++)
        must(sc(SYS_handle_duplicate, vmo, ZX_RIGHT_SAME_RIGHTS, SCRATCH, 0, 0, 0, 0),
             "zx_handle_duplicate");
    double t0 = now_s();
    for (uint64_t i = 0; i < n; i++) {
        must(sc(SYS_object_get_info, p->self_handle, ZX_INFO_PROCESS_HANDLE_STATS, SCRATCH + 4096,
                sizeof(zx_info_process_handle_stats_t), 0, 0, 0),
             "ZX_INFO_PROCESS_HANDLE_STATS");
    }
    double t = now_s() - t0;
    zx_info_process_handle_stats_t stats;
    must(vm_copy_from_user(p->aspace, &stats, SCRATCH + 4096, sizeof stats), "reading the stats");
    if (stats.handle_count[ZX_OBJ_TYPE_VMO] != n + 1)
        die("ZX_INFO_PROCESS_HANDLE_STATS counted wrong", ZX_ERR_INTERNAL);
    shutdown();
    return t;
}

#define LIVE_VMOS 10000

static double failed_allocations(uint64_t n)
{
    boot(64ull << 20, true);
    /* 10^4 VMOs with a page each; the discardable ones are locked, so
     * there is nothing to reclaim. */
    for (int i = 0; i < LIVE_VMOS; i++) {
        bool discardable = i % 2;
        zx_handle_t v = new_vmo(PG, discardable ? ZX_VMO_DISCARDABLE : 0);
        if (discardable)
            must(sc(SYS_vmo_op_range, v, ZX_VMO_OP_TRY_LOCK, 0, PG, 0, 0, 0), "TRY_LOCK");
        must(sc(SYS_vmo_op_range, v, ZX_VMO_OP_COMMIT, 0, PG, 0, 0, 0), "COMMIT");
    }
    uint64_t filler_pages = (64ull << 20) / PG;
    zx_handle_t filler = new_vmo(filler_pages * PG, 0);
    uint64_t page = 0;
    zx_status_t st;
    while ((st = sc(SYS_vmo_op_range, filler, ZX_VMO_OP_COMMIT, page * PG, PG, 0, 0, 0)) == ZX_OK)
        page++;
    if (st != ZX_ERR_NO_MEMORY)
        die("filling RAM", st);
    double t0 = now_s();
    for (uint64_t i = 0; i < n; i++) {
        st = sc(SYS_vmo_op_range, filler, ZX_VMO_OP_COMMIT, page * PG, PG, 0, 0, 0);
        if (st != ZX_ERR_NO_MEMORY)
            die("COMMIT with RAM full", st);
    }
    double t = now_s() - t0;
    shutdown();
    return t;
}

static double map_unmap_aslr(uint64_t n)
{
    return map_unmap(n, true);
}

static double map_unmap_lowest(uint64_t n)
{
    return map_unmap(n, false);
}

typedef struct row {
    const char *name;
    double (*run)(uint64_t n);
} row;

int main(int argc, char **argv)
{
    uint64_t max_k = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000;
    int reps = argc > 3 ? atoi(argv[3]) : 5;
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
    mallopt(M_MMAP_THRESHOLD, 32 << 20); /* the largest glibc allows */
    const row rows[] = {
        {"map+unmap, ASLR", map_unmap_aslr},
        {"map+unmap, no ASLR", map_unmap_lowest},
        {"VMAR allocate+destroy", vmar_alloc_destroy},
        {"snapshot chain, parents closed", snapshot_chain},
        {"handle duplicate+close", dup_close},
        {"page commit+decommit", commit_decommit},
        {"protect every other page", protect_alternate},
        {"failed allocation, RAM full", failed_allocations},
        {"protect, random order", protect_shuffled},
        {"maps info, 4 records", maps_info},
        {"handle stats info", handle_stats},
        {"vmos info, 4 records", vmos_info},
    };
    uint64_t ks[8];
    int nk = 0;
    for (uint64_t kk = 1000; kk <= max_k && nk < 8; kk *= 10)
        ks[nk++] = kk;
    printf("%-32s", "us per object, K =");
    for (int j = 0; j < nk; j++)
        printf(" %10" G_GUINT64_FORMAT, ks[j]);
    if (nk >= 2)
        printf(" %8s", "ratio");
    printf("\n");
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        if (argc > 2 && strstr(rows[i].name, argv[2]) == NULL)
            continue;
        double us[8];
        printf("%-32s", rows[i].name);
        fflush(stdout);
        for (int j = 0; j < nk; j++) {
            double best = 0;
            for (int r = 0; r < MAX(reps, 1); r++) {
                double t = rows[i].run(ks[j]);
                best = r == 0 ? t : MIN(best, t);
            }
            us[j] = best / (double)ks[j] * 1e6;
            printf(" %10.3f", us[j]);
            fflush(stdout);
        }
        if (nk >= 2)
            printf(" %8.1f", us[nk - 1] * ks[nk - 1] / (us[nk - 2] * ks[nk - 2]));
        printf("\n");
    }
    printf("CPU time, best of %d runs; ratio: total time at the largest K over total time\n"
           "at the one before (10 is a constant cost per object)\n",
           MAX(reps, 1));
    return 0;
}

/* Scale benchmark: a program that holds K kernel objects of one kind at
 * once, as a large allocator, JIT or stress test would, and then lets them
 * go. scripts/bench_scale.py times whole zxsim runs of it for growing K.
 *
 *   bench_scale map K        K one-page non-specific zx_vmar_map of one VMO
 *                            into the root VMAR (placed with ASLR unless
 *                            zxsim runs with --no-aslr), then K unmaps
 *   bench_scale specific K   the same at SPECIFIC offsets of one region
 *   bench_scale vmar K       K four-page sub-VMARs of one region, then
 *                            zx_vmar_destroy and zx_handle_close of each
 *   bench_scale chain K      a snapshot chain K deep, each parent closed once
 *                            its child exists, one page read from each link
 *   bench_scale dup K        K duplicates of one handle, then K closes
 *   bench_scale commit K     one byte written to each page of a K-page VMO,
 *                            then one DECOMMIT of all of it
 *   bench_scale protect K    every other page of a 2K-page mapping made
 *                            read-only, one zx_vmar_protect per page
 *
 * Every status and the data read back are checked: the exit status is 0
 * when all held, 1 (with a line on standard output) at the first that did
 * not, and 2 for a bad argument. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#define PAGE  4096u
#define MAX_K 200000u

static uint64_t slots[MAX_K]; /* addresses or handles, one per object */

static void check(zx_status_t status, const char *what, uint64_t i)
{
    if (status != ZX_OK) {
        printf("bench_scale: %s (object %llu) -> %d\n", what, (unsigned long long)i, status);
        exit(1);
    }
}

static zx_handle_t new_vmo(uint64_t size)
{
    zx_handle_t vmo;
    check(zx_vmo_create(size, 0, &vmo), "zx_vmo_create", 0);
    return vmo;
}

/* A region of size bytes that accepts SPECIFIC mappings and sub-VMARs. */
static zx_handle_t new_region(uint64_t size, uint64_t *base)
{
    zx_handle_t vmar;
    zx_vm_option_t can = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC;
    check(zx_vmar_allocate(zx_vmar_root_self(), can, 0, size, &vmar, base), "zx_vmar_allocate", 0);
    return vmar;
}

static void map_unmap(uint64_t k, bool specific)
{
    zx_handle_t vmo = new_vmo(PAGE);
    zx_handle_t vmar = zx_vmar_root_self();
    uint64_t base = 0;
    if (specific)
        vmar = new_region(2 * k * PAGE, &base);
    zx_vm_option_t perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    for (uint64_t i = 0; i < k; i++) {
        zx_vm_option_t options = perms | (specific ? ZX_VM_SPECIFIC : 0);
        uint64_t offset = specific ? 2 * i * PAGE : 0;
        check(zx_vmar_map(vmar, options, offset, vmo, 0, PAGE, &slots[i]), "zx_vmar_map", i);
    }
    for (uint64_t i = 0; i < k; i++)
        check(zx_vmar_unmap(vmar, slots[i], PAGE), "zx_vmar_unmap", i);
}

static void vmar_allocate_destroy(uint64_t k)
{
    uint64_t base;
    zx_handle_t arena = new_region(64 * k * PAGE, &base);
    for (uint64_t i = 0; i < k; i++) {
        zx_handle_t kid;
        uint64_t addr;
        check(zx_vmar_allocate(arena, ZX_VM_CAN_MAP_READ, 0, 4 * PAGE, &kid, &addr),
              "zx_vmar_allocate", i);
        slots[i] = kid;
    }
    for (uint64_t i = 0; i < k; i++) {
        check(zx_vmar_destroy((zx_handle_t)slots[i]), "zx_vmar_destroy", i);
        check(zx_handle_close((zx_handle_t)slots[i]), "zx_handle_close", i);
    }
}

static void snapshot_chain(uint64_t k)
{
    zx_handle_t cur = new_vmo(PAGE);
    const char mark = 'z';
    check(zx_vmo_write(cur, &mark, 0, 1), "zx_vmo_write", 0);
    for (uint64_t i = 0; i < k; i++) {
        zx_handle_t child;
        check(zx_vmo_create_child(cur, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &child),
              "zx_vmo_create_child", i);
        check(zx_handle_close(cur), "zx_handle_close", i);
        cur = child;
        static char page[PAGE];
        check(zx_vmo_read(cur, page, 0, PAGE), "zx_vmo_read", i);
        if (page[0] != mark) {
            printf("bench_scale: link %llu lost the first VMO's byte\n", (unsigned long long)i);
            exit(1);
        }
    }
    check(zx_handle_close(cur), "zx_handle_close", k);
}

static void dup_close(uint64_t k)
{
    zx_handle_t vmo = new_vmo(PAGE);
    for (uint64_t i = 0; i < k; i++) {
        zx_handle_t dup;
        check(zx_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, &dup), "zx_handle_duplicate", i);
        slots[i] = dup;
    }
    for (uint64_t i = 0; i < k; i++)
        check(zx_handle_close((zx_handle_t)slots[i]), "zx_handle_close", i);
}

static void commit_decommit(uint64_t k)
{
    zx_handle_t vmo = new_vmo(k * PAGE);
    for (uint64_t i = 0; i < k; i++) {
        const uint8_t byte = (uint8_t)(i | 1);
        check(zx_vmo_write(vmo, &byte, i * PAGE, 1), "zx_vmo_write", i);
    }
    check(zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, k * PAGE, NULL, 0), "ZX_VMO_OP_DECOMMIT", 0);
    uint8_t after = 1;
    check(zx_vmo_read(vmo, &after, (k - 1) * PAGE, 1), "zx_vmo_read", k - 1);
    if (after != 0) {
        printf("bench_scale: a decommitted page still reads %u\n", after);
        exit(1);
    }
}

static void protect_alternate(uint64_t k)
{
    zx_handle_t vmo = new_vmo(2 * k * PAGE);
    uint64_t addr;
    check(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
                      2 * k * PAGE, &addr),
          "zx_vmar_map", 0);
    for (uint64_t i = 0; i < k; i++)
        check(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, addr + 2 * i * PAGE, PAGE),
              "zx_vmar_protect", i);
    check(zx_vmar_unmap(zx_vmar_root_self(), addr, 2 * k * PAGE), "zx_vmar_unmap", 0);
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    char *end;
    uint64_t k = strtoull(argv[2], &end, 0);
    if (*argv[2] == '\0' || *end != '\0' || k == 0 || k > MAX_K)
        return 2;
    const char *work = argv[1];
    if (strcmp(work, "map") == 0)
        map_unmap(k, false);
    else if (strcmp(work, "specific") == 0)
        map_unmap(k, true);
    else if (strcmp(work, "vmar") == 0)
        vmar_allocate_destroy(k);
    else if (strcmp(work, "chain") == 0)
        snapshot_chain(k);
    else if (strcmp(work, "dup") == 0)
        dup_close(k);
    else if (strcmp(work, "commit") == 0)
        commit_decommit(k);
    else if (strcmp(work, "protect") == 0)
        protect_alternate(k);
    else
        return 2;
    return 0;
}

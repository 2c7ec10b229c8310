/* Operations over enormous ranges must cost what is committed in them, not
 * their size: the kernel walks page lists and page tables, never every page
 * of a range. Each call here covers terabytes; the test runs under a short
 * --timeout, so a kernel loop over every page would show as exit 4. */
#include <stdio.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

static int failures;

static void expect(const char *what, zx_status_t got, zx_status_t want)
{
    printf("%-44s -> %d\n", what, got);
    if (got != want) {
        printf("FAIL %s: want %d\n", what, want);
        failures++;
    }
}

int main(void)
{
    zx_handle_t root = zx_vmar_root_self();
    zx_handle_t vmo;
    /* UNBOUNDED: the largest VMO there is, with a few pages committed. */
    expect("vmo_create(UNBOUNDED)", zx_vmo_create(0, ZX_VMO_UNBOUNDED, &vmo), ZX_OK);
    static const char data[] = "sparse";
    for (uint64_t off = 0; off < (1ull << 40); off += 1ull << 36)
        zx_vmo_write(vmo, data, off, sizeof data);

    /* 16 TiB mapped at once, all committed pages installed by MAP_RANGE. */
    const uint64_t len = 1ull << 44;
    zx_vaddr_t addr = 0;
    expect("vmar_map(16 TiB, MAP_RANGE)",
           zx_vmar_map(root, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_MAP_RANGE, 0, vmo, 0, len,
                       &addr),
           ZX_OK);
    expect("vmar_op_range(MAP_RANGE, 16 TiB)",
           zx_vmar_op_range(root, ZX_VMAR_OP_MAP_RANGE, addr, len, NULL, 0), ZX_OK);
    expect("vmar_op_range(ALWAYS_NEED, 16 TiB)",
           zx_vmar_op_range(root, ZX_VMAR_OP_ALWAYS_NEED, addr, len, NULL, 0), ZX_OK);
    expect("vmar_op_range(PREFETCH, 16 TiB)",
           zx_vmar_op_range(root, ZX_VMAR_OP_PREFETCH, addr, len, NULL, 0), ZX_OK);
    expect("vmar_protect(read-only, 16 TiB)", zx_vmar_protect(root, ZX_VM_PERM_READ, addr, len),
           ZX_OK);
    if (((volatile const char *)addr)[1ull << 36] != 's')
        failures++;

    zx_info_maps_t maps[8];
    size_t actual = 0, avail = 0;
    expect("object_get_info(PROCESS_MAPS)",
           zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS_MAPS, maps, sizeof maps, &actual,
                              &avail),
           ZX_OK);

    expect("vmo_op_range(CACHE_CLEAN, 2^63)",
           zx_vmo_op_range(vmo, ZX_VMO_OP_CACHE_CLEAN, 0, 1ull << 63, NULL, 0), ZX_OK);
    expect("vmo_op_range(ZERO, 2^63)", zx_vmo_op_range(vmo, ZX_VMO_OP_ZERO, 1, 1ull << 63, NULL, 0),
           ZX_OK);
    expect("vmo_op_range(DECOMMIT, 2^62)",
           zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, 1ull << 62, NULL, 0), ZX_OK);
    zx_handle_t child;
    expect("vmo_create_child(SNAPSHOT, 2^62)",
           zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 1ull << 62, &child), ZX_OK);
    expect("vmar_unmap(16 TiB)", zx_vmar_unmap(root, addr, len), ZX_OK);
    expect("handle_close(child)", zx_handle_close(child), ZX_OK);
    expect("handle_close(vmo)", zx_handle_close(vmo), ZX_OK);
    printf("%s\n", failures ? "huge ranges FAILED" : "huge ranges ok");
    return failures ? 1 : 0;
}

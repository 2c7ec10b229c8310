/* A short tour of the VM syscalls, written as for Fuchsia: create a VMO,
 * write and read it, map it, touch it through the mapping, look at it with
 * zx_object_get_info, and clean up. Exits 0 if every step did what Zircon
 * documents. */
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

static int failures;

static void step(const char *what, zx_status_t status, zx_status_t want)
{
    printf("%-40s -> %d%s\n", what, status, status == want ? "" : "  (unexpected)");
    if (status != want)
        failures++;
}

int main(void)
{
    const size_t page = zx_system_get_page_size();
    printf("page size %zu, process handle %u, root VMAR handle %u\n", page, zx_process_self(),
           zx_vmar_root_self());

    zx_handle_t vmo;
    step("zx_vmo_create(4 pages)", zx_vmo_create(4 * page, 0, &vmo), ZX_OK);

    static const char msg[] = "written with zx_vmo_write";
    step("zx_vmo_write", zx_vmo_write(vmo, msg, page, sizeof(msg)), ZX_OK);
    char back[sizeof(msg)] = {0};
    step("zx_vmo_read", zx_vmo_read(vmo, back, page, sizeof(back)), ZX_OK);
    printf("read back: \"%s\"\n", back);
    if (strcmp(back, msg) != 0)
        failures++;

    uint64_t size = 0;
    step("zx_vmo_get_size", zx_vmo_get_size(vmo, &size), ZX_OK);
    printf("size %llu\n", (unsigned long long)size);

    zx_vaddr_t addr = 0;
    step("zx_vmar_map(RW)",
         zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0, size,
                     &addr),
         ZX_OK);
    if (addr != 0) {
        char *p = (char *)addr;
        printf("mapping at %p sees: \"%s\"\n", (void *)p, p + page);
        if (strcmp(p + page, msg) != 0)
            failures++;
        strcpy(p + 2 * page, "stored through the mapping");
        char via[32] = {0};
        step("zx_vmo_read of mapped store", zx_vmo_read(vmo, via, 2 * page, sizeof(via) - 1),
             ZX_OK);
        printf("VMO sees: \"%s\"\n", via);
        if (strcmp(via, "stored through the mapping") != 0)
            failures++;
    }

    zx_info_vmo_t info;
    step("zx_object_get_info(ZX_INFO_VMO)",
         zx_object_get_info(vmo, ZX_INFO_VMO, &info, sizeof(info), NULL, NULL), ZX_OK);
    printf("committed %llu bytes, %zu mapping(s)\n", (unsigned long long)info.committed_bytes,
           info.num_mappings);

    step("zx_vmo_read past the end", zx_vmo_read(vmo, back, size, 1), ZX_ERR_OUT_OF_RANGE);
    step("zx_handle_close(ZX_HANDLE_INVALID)", zx_handle_close(ZX_HANDLE_INVALID), ZX_OK);
    if (addr != 0)
        step("zx_vmar_unmap", zx_vmar_unmap(zx_vmar_root_self(), addr, size), ZX_OK);
    step("zx_handle_close(vmo)", zx_handle_close(vmo), ZX_OK);
    step("zx_handle_close(vmo) again", zx_handle_close(vmo), ZX_ERR_BAD_HANDLE);

    printf("%s\n", failures == 0 ? "tour complete" : "tour had unexpected results");
    return failures == 0 ? 0 : 1;
}

#include "physmem.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

mmu_physmem *mmu_physmem_new(uint64_t ram_bytes, GError **error)
{
    if (ram_bytes == 0 || (ram_bytes & MMU_PAGE_MASK) != 0) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "RAM size must be a positive multiple of 4 KiB");
        return NULL;
    }
    uint64_t host_size = ram_bytes + MMU_PAGE_SIZE;
    /* NORESERVE: a large --ram costs nothing until frames are used. */
    void *host = mmap(NULL, host_size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (host == MAP_FAILED) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "cannot reserve %" G_GUINT64_FORMAT " bytes of host memory for RAM: %s",
                    ram_bytes, g_strerror(errno));
        return NULL;
    }
    /* Huge pages make the host's first touch of a frame cost a fraction of a
     * 4 KiB host fault, which dominates a demand fault otherwise. */
    madvise(host, host_size, MADV_HUGEPAGE);
    mmu_physmem *mem = g_new0(mmu_physmem, 1);
    mem->host = host;
    mem->size = ram_bytes;
    mem->host_size = host_size;
    return mem;
}

void mmu_physmem_free(mmu_physmem *mem)
{
    if (mem == NULL)
        return;
    munmap(mem->host, mem->host_size);
    g_free(mem);
}

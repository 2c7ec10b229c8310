/* x86-64 4-level paging entries for user pages. A present entry is always
 * readable, so execute-only pages cannot be expressed; upper levels grant
 * everything and leave the decision to the leaf. */
#include "pt_format.h"

#define PTE_P         (1ull << 0)
#define PTE_RW        (1ull << 1)
#define PTE_US        (1ull << 2)
#define PTE_PWT       (1ull << 3)
#define PTE_PCD       (1ull << 4)
#define PTE_A         (1ull << 5)
#define PTE_D         (1ull << 6)
#define PTE_PS        (1ull << 7)
#define PTE_NX        (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

static uint64_t x86_table_entry(uint64_t table_pa)
{
    return (table_pa & PTE_ADDR_MASK) | PTE_P | PTE_RW | PTE_US;
}

static uint64_t x86_with_perms(uint64_t e, unsigned perms)
{
    e &= ~(PTE_RW | PTE_NX);
    if (perms & MMU_PERM_WRITE)
        e |= PTE_RW;
    if (!(perms & MMU_PERM_EXEC))
        e |= PTE_NX;
    return e;
}

static uint64_t x86_leaf_entry(uint64_t pa, unsigned perms, mmu_cache_policy cache)
{
    uint64_t e = (pa & PTE_ADDR_MASK) | PTE_P | PTE_US | PTE_A;
    if (perms & MMU_PERM_WRITE)
        e |= PTE_D; /* a writable page is installed for a write */
    switch (cache) {
    case MMU_CACHE_CACHED:
        break;
    case MMU_CACHE_WRITE_COMBINING:
        e |= PTE_PWT; /* PAT entry 1, programmed as WC */
        break;
    case MMU_CACHE_UNCACHED:
    case MMU_CACHE_UNCACHED_DEVICE:
        e |= PTE_PCD | PTE_PWT;
        break;
    }
    return x86_with_perms(e, perms);
}

static unsigned x86_leaf_perms(uint64_t e)
{
    if (!(e & PTE_P))
        return 0;
    unsigned p = MMU_PERM_READ;
    if (e & PTE_RW)
        p |= MMU_PERM_WRITE;
    if (!(e & PTE_NX))
        p |= MMU_PERM_EXEC;
    return p;
}

static void x86_describe(uint64_t e, int level, GString *out)
{
    if (!(e & PTE_P)) {
        g_string_append(out, "not present");
        return;
    }
    const char *kind = mmu_pte_is_table(&mmu_pt_format_x86_64, e, level) ? "table ->" : "page";
    g_string_append_printf(out, "%s 0x%" G_GINT64_MODIFIER "x P%s%s%s%s%s%s%s", kind,
                           (uint64_t)(e & PTE_ADDR_MASK), (e & PTE_RW) ? " RW" : " RO",
                           (e & PTE_US) ? " US" : "", (e & PTE_PWT) ? " PWT" : "",
                           (e & PTE_PCD) ? " PCD" : "", (e & PTE_A) ? " A" : "",
                           (e & PTE_D) ? " D" : "", (e & PTE_NX) ? " NX" : "");
}

const mmu_pt_format mmu_pt_format_x86_64 = {
    .name = "x86-64 (4-level paging)",
    .present_mask = PTE_P,
    .table_mask = PTE_P | PTE_PS,
    .table_value = PTE_P,
    .addr_mask = PTE_ADDR_MASK,
    .execute_only = false,
    .table_entry = x86_table_entry,
    .leaf_entry = x86_leaf_entry,
    .leaf_perms = x86_leaf_perms,
    .with_perms = x86_with_perms,
    .describe = x86_describe,
};

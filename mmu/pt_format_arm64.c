/* ARMv8-A stage-1 descriptors, 4 KiB granule, as an EL0 process sees them:
 * user pages are non-global (ASID-tagged), never executable at EL1 (PXN),
 * and AP[2:1] grants EL0 read or read/write. */
#include "pt_format.h"

#define DESC_VALID      (1ull << 0)
#define DESC_TABLE      (1ull << 1) /* table at L0-L2, page at L3 */
#define DESC_ATTR_SHIFT 2
#define DESC_AP_EL0     (1ull << 6) /* AP[1]: EL0 may access */
#define DESC_AP_RO      (1ull << 7) /* AP[2]: read-only */
#define DESC_SH_INNER   (3ull << 8)
#define DESC_AF         (1ull << 10)
#define DESC_NG         (1ull << 11)
#define DESC_PXN        (1ull << 53)
#define DESC_UXN        (1ull << 54)
#define DESC_ADDR_MASK  0x0000fffffffff000ull

/* MAIR_EL1 indexes zxsim programs: 0 normal write-back, 1 device-nGnRnE,
 * 2 normal non-cacheable. */
enum { ATTR_NORMAL_WB = 0, ATTR_DEVICE = 1, ATTR_NORMAL_NC = 2 };

static uint64_t arm64_table_entry(uint64_t table_pa)
{
    return (table_pa & DESC_ADDR_MASK) | DESC_TABLE | DESC_VALID;
}

static uint64_t arm64_with_perms(uint64_t e, unsigned perms)
{
    e &= ~(DESC_AP_EL0 | DESC_AP_RO | DESC_UXN);
    if (perms & MMU_PERM_READ)
        e |= DESC_AP_EL0;
    if (!(perms & MMU_PERM_WRITE))
        e |= DESC_AP_RO;
    if (!(perms & MMU_PERM_EXEC))
        e |= DESC_UXN;
    return e;
}

static uint64_t arm64_leaf_entry(uint64_t pa, unsigned perms, mmu_cache_policy cache)
{
    uint64_t e = (pa & DESC_ADDR_MASK) | DESC_TABLE | DESC_VALID | DESC_AF | DESC_NG | DESC_PXN;
    unsigned attr = ATTR_NORMAL_WB;
    if (cache == MMU_CACHE_UNCACHED_DEVICE)
        attr = ATTR_DEVICE;
    else if (cache != MMU_CACHE_CACHED)
        attr = ATTR_NORMAL_NC;
    e |= (uint64_t)attr << DESC_ATTR_SHIFT;
    if (attr != ATTR_DEVICE)
        e |= DESC_SH_INNER;
    return arm64_with_perms(e, perms);
}

static unsigned arm64_leaf_perms(uint64_t e)
{
    if (!(e & DESC_VALID))
        return 0;
    unsigned p = 0;
    if (e & DESC_AP_EL0) {
        p |= MMU_PERM_READ;
        if (!(e & DESC_AP_RO))
            p |= MMU_PERM_WRITE;
    }
    if (!(e & DESC_UXN))
        p |= MMU_PERM_EXEC;
    return p;
}

/* Named as in the Arm ARM, so a student can look each bit up. Table
 * descriptors carry their own attribute bits (NSTable, APTable, UXNTable,
 * PXNTable) that limit everything below them; zxsim leaves them clear. */
static void arm64_describe(uint64_t e, int level, GString *out)
{
    if (!(e & DESC_VALID)) {
        g_string_append(out, "invalid");
        return;
    }
    if (mmu_pte_is_table(&mmu_pt_format_arm64, e, level)) {
        g_string_append_printf(out, "table -> 0x%" G_GINT64_MODIFIER "x VALID TABLE",
                               (uint64_t)(e & DESC_ADDR_MASK));
        if (e & (1ull << 59))
            g_string_append(out, " PXNTable");
        if (e & (1ull << 60))
            g_string_append(out, " UXNTable");
        if ((e >> 61) & 3)
            g_string_append_printf(out, " APTable=%u", (unsigned)(e >> 61) & 3);
        if (e & (1ull << 63))
            g_string_append(out, " NSTable");
        return;
    }
    if (level < MMU_PT_LEAF_LEVEL) {
        g_string_append_printf(out, "block 0x%" G_GINT64_MODIFIER "x VALID",
                               (uint64_t)(e & DESC_ADDR_MASK));
        return;
    }
    static const char *const ap[] = {"EL1 rw/EL0 none", "EL1 rw/EL0 rw", "EL1 ro/EL0 none",
                                     "EL1 ro/EL0 ro"};
    static const char *const sh[] = {"non", "reserved", "outer", "inner"};
    g_string_append_printf(
        out, "page 0x%" G_GINT64_MODIFIER "x VALID PAGE AttrIndx=%u AP=%s SH=%s%s%s%s%s",
        (uint64_t)(e & DESC_ADDR_MASK), (unsigned)(e >> 2) & 7, ap[(e >> 6) & 3], sh[(e >> 8) & 3],
        (e & DESC_AF) ? " AF" : "", (e & DESC_NG) ? " nG" : "", (e & DESC_PXN) ? " PXN" : "",
        (e & DESC_UXN) ? " UXN" : "");
}

const mmu_pt_format mmu_pt_format_arm64 = {
    .name = "arm64 (4 KiB granule, 4 levels)",
    .present_mask = DESC_VALID,
    .table_mask = DESC_VALID | DESC_TABLE,
    .table_value = DESC_VALID | DESC_TABLE,
    .addr_mask = DESC_ADDR_MASK,
    .execute_only = true,
    .table_entry = arm64_table_entry,
    .leaf_entry = arm64_leaf_entry,
    .leaf_perms = arm64_leaf_perms,
    .with_perms = arm64_with_perms,
    .describe = arm64_describe,
};

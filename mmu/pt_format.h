/* Page-table entry formats: how one architecture encodes tables and pages.
 * Both formats zxsim models use a 4 KiB granule and four levels of 512
 * entries covering a 48-bit virtual address; only the entry bits differ. */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

enum {
    MMU_PERM_READ = 1u << 0,
    MMU_PERM_WRITE = 1u << 1,
    MMU_PERM_EXEC = 1u << 2,
    MMU_PERM_RWX = 7u,
};

/* Values equal ZX_CACHE_POLICY_*. */
typedef enum {
    MMU_CACHE_CACHED = 0,
    MMU_CACHE_UNCACHED = 1,
    MMU_CACHE_UNCACHED_DEVICE = 2,
    MMU_CACHE_WRITE_COMBINING = 3,
} mmu_cache_policy;

/* Does a page with `perms` allow an access? `access` is one MMU_PERM_*
 * bit (the trace model's TR_ACCESS_* use the same bits). */
static inline bool mmu_perms_allow(unsigned perms, unsigned access)
{
    return (perms & access) != 0;
}

#define MMU_PT_LEVELS     4
#define MMU_PT_ENTRIES    512
#define MMU_VA_BITS       48
#define MMU_PT_LEAF_LEVEL (MMU_PT_LEVELS - 1)

typedef struct mmu_pt_format {
    const char *name;
    /* The hot walk reads these masks instead of calling through pointers:
     * an entry is present when (e & present_mask); at a non-leaf level it
     * names a next table when (e & table_mask) == table_value; the frame
     * or table address is e & addr_mask. */
    uint64_t present_mask;
    uint64_t table_mask;
    uint64_t table_value;
    uint64_t addr_mask;
    /* Can a present entry grant execute without read (execute-only)? */
    bool execute_only;
    uint64_t (*table_entry)(uint64_t table_pa);
    /* perms must not be 0: an inaccessible page has no entry. */
    uint64_t (*leaf_entry)(uint64_t frame_pa, unsigned perms, mmu_cache_policy cache);
    unsigned (*leaf_perms)(uint64_t entry);
    /* The same leaf with different (non-zero) permissions, attributes kept. */
    uint64_t (*with_perms)(uint64_t entry, unsigned perms);
    /* Human-readable decoding of the bits, for reports and teaching. */
    void (*describe)(uint64_t entry, int level, GString *out);
} mmu_pt_format;

extern const mmu_pt_format mmu_pt_format_arm64;
extern const mmu_pt_format mmu_pt_format_x86_64;

static inline bool mmu_pte_present(const mmu_pt_format *fmt, uint64_t e)
{
    return (e & fmt->present_mask) != 0;
}

/* A present entry at a non-leaf level that points to a next table. */
static inline bool mmu_pte_is_table(const mmu_pt_format *fmt, uint64_t e, int level)
{
    return level < MMU_PT_LEAF_LEVEL && (e & fmt->table_mask) == fmt->table_value;
}

static inline uint64_t mmu_pte_address(const mmu_pt_format *fmt, uint64_t e)
{
    return e & fmt->addr_mask;
}

static inline unsigned mmu_pt_index(uint64_t va, int level)
{
    return (unsigned)(va >> (39 - 9 * level)) & (MMU_PT_ENTRIES - 1);
}

/* Bytes of virtual address space one entry at `level` covers. */
static inline uint64_t mmu_pt_entry_span(int level)
{
    return 1ull << (39 - 9 * level);
}

/* Zircon core tests for copy-on-write VMO children, re-expressed as a zxsim
 * guest. Each case is named "Suite.Test" after the upstream test it checks:
 *
 *   VmoClone2TestCase.*, VmoCloneDisjointClonesTests.*,
 *   VmoCloneResizeTests.*, ProgressiveCloneDiscardTests.*
 *       zircon/system/utest/core/vmo/vmo-clone2.cc
 *   VmoCloneTestCase.*
 *       zircon/system/utest/core/vmo/vmo-clone.cc
 *
 * Memory figures follow the current attribution model (docs/semantics.md "Attribution").
 * The newest upstream revision checks the proportional share (PSS); older copies
 * checked the legacy "charged to the oldest" committed_bytes. Every check
 * here states all three figures the current model defines for the situation: RSS
 * (committed_bytes), USS (committed_private_bytes) and PSS
 * (committed_scaled_bytes + fraction), and that the populated_* fields
 * match them.
 *
 * Left out or adapted (zxsim has no threads, BTIs, pagers or physical VMOs):
 *   DropChildrenInParallel and DropParentCommittedBytes (threads: each is
 *   run as one thread doing the same steps in turn), the contiguous
 *   ResizeTest variants,
 *   ForbidContiguousVmo, PinBeforeCreateFailure, PinClonePages (BTIs),
 *   NoPhysical (physical VMOs), NoSnapshotPager and
 *   SnapshotAtLeastOnWriteSliceInChain (pagers). */
#include "../conformance/conf.h"

#define SNAP      ZX_VMO_CHILD_SNAPSHOT
#define RESIZABLE ZX_VMO_CHILD_RESIZABLE

/* One third of a byte as a 63-bit binary fraction. */
#define THIRD_OF_A_BYTE ((uint64_t)0x2AAAAAAAAAAAAAAAull)
/* Leave the fractional PSS field unchecked. */
#define ANY_FRACTION ((uint64_t)-1)

/* ---- helpers ---- */

/* Stores a 32-bit value at `offset` of a VMO. */
#define put32(h, value, offset) core_put32(__FILE__, __LINE__, (h), (value), (offset))
static void core_put32(const char *file, int line, zx_handle_t h, uint32_t value, uint64_t offset)
{
    if (!conf_check_status(file, line, "zx_vmo_write()", zx_vmo_write(h, &value, offset, 4), ZX_OK))
        conf_abort_case();
}

/* Checks the 32-bit value at `offset` of a VMO; a failed read ends the case. */
#define EXPECT_U32(h, want, offset) core_expect_u32(__FILE__, __LINE__, #h, (h), (want), (offset))
static bool core_expect_u32(const char *file, int line, const char *name, zx_handle_t h,
                            uint32_t want, uint64_t offset)
{
    uint32_t got = 0xA5A5A5A5;
    if (!conf_check_status(file, line, "zx_vmo_read()", zx_vmo_read(h, &got, offset, 4), ZX_OK))
        conf_abort_case();
    if (got == want)
        return true;
    conf_fail(file, line, "%s at offset 0x%llx holds %u, expected %u", name,
              (unsigned long long)offset, got, want);
    return false;
}

/* A resizable VMO of `pages` pages whose page i starts with the value i + 1
 * (the upstream tests call this a page-tagged VMO). */
static zx_handle_t tagged_vmo(uint32_t pages)
{
    zx_handle_t h = vmo_create(pages * PAGE, ZX_VMO_RESIZABLE);
    for (uint32_t i = 0; i < pages; i++)
        put32(h, i + 1, i * PAGE);
    return h;
}

/* Closes a handle the case no longer wants (the tracked clean-up closing it
 * again later is harmless). */
static void drop(zx_handle_t *h)
{
    EXPECT_OK(zx_handle_close(*h));
    *h = ZX_HANDLE_INVALID;
}

/* Checks RSS, USS and PSS (whole bytes and, unless ANY_FRACTION, the
 * fractional field), and that the populated_* fields equal them. */
#define EXPECT_MEM(h, rss, uss, pss, frac)                                                         \
    core_expect_mem(__FILE__, __LINE__, #h, (h), (rss), (uss), (pss), (frac))
static bool core_expect_mem(const char *file, int line, const char *name, zx_handle_t h,
                            uint64_t rss, uint64_t uss, uint64_t pss, uint64_t frac)
{
    zx_info_vmo_t i = conf_vmo_info(file, line, h);
    bool ok = i.committed_bytes == rss && i.committed_private_bytes == uss &&
              i.committed_scaled_bytes == pss &&
              (frac == ANY_FRACTION || i.committed_fractional_scaled_bytes == frac);
    if (!ok) {
        conf_fail(file, line,
                  "%s: RSS/USS/PSS = %llu/%llu/%llu frac 0x%llx, expected %llu/%llu/%llu frac "
                  "%s0x%llx",
                  name, (unsigned long long)i.committed_bytes,
                  (unsigned long long)i.committed_private_bytes,
                  (unsigned long long)i.committed_scaled_bytes,
                  (unsigned long long)i.committed_fractional_scaled_bytes, (unsigned long long)rss,
                  (unsigned long long)uss, (unsigned long long)pss,
                  frac == ANY_FRACTION ? "any, not " : "",
                  (unsigned long long)(frac == ANY_FRACTION ? 0 : frac));
        return false;
    }
    if (i.populated_bytes != i.committed_bytes ||
        i.populated_private_bytes != i.committed_private_bytes ||
        i.populated_scaled_bytes != i.committed_scaled_bytes ||
        i.populated_fractional_scaled_bytes != i.committed_fractional_scaled_bytes) {
        conf_fail(file, line, "%s: populated_* (%llu/%llu/%llu) differ from committed_*", name,
                  (unsigned long long)i.populated_bytes,
                  (unsigned long long)i.populated_private_bytes,
                  (unsigned long long)i.populated_scaled_bytes);
        return false;
    }
    return true;
}

/* A VMO none of whose pages is shared: all three figures are equal. */
#define EXPECT_PRIVATE(h, bytes) EXPECT_MEM(h, bytes, bytes, bytes, 0)

/* Steps `perm` (a permutation of 0..n-1) to the next one in lexicographic
 * order; false after the last. Used where upstream runs a body for every
 * order of closing or writing. */
static bool next_permutation(uint32_t *perm, uint32_t n)
{
    if (n < 2)
        return false;
    uint32_t i = n - 1;
    while (i > 0 && perm[i - 1] >= perm[i])
        i--;
    if (i == 0)
        return false;
    uint32_t j = n - 1;
    while (perm[j] <= perm[i - 1])
        j--;
    uint32_t t = perm[i - 1];
    perm[i - 1] = perm[j];
    perm[j] = t;
    for (uint32_t a = i, b = n - 1; a < b; a++, b--) {
        t = perm[a];
        perm[a] = perm[b];
        perm[b] = t;
    }
    return true;
}

/* A read/write mapping of the first `len` bytes of a VMO. */
static volatile uint32_t *map_rw(zx_handle_t vmo, size_t len)
{
    return (volatile uint32_t *)map(ROOT, RW, 0, vmo, 0, len);
}

/* ================= vmo-clone2.cc ================= */

CASE(VmoClone2TestCase, Info)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_info_vmo_t before = vmo_info(vmo);
    zx_handle_t clone = child(vmo, SNAP, 0, PAGE);
    zx_info_vmo_t after = vmo_info(vmo);
    zx_info_vmo_t c = vmo_info(clone);

    EXPECT_EQ(before.koid, after.koid);
    EXPECT_NE(before.koid, c.koid);
    EXPECT_EQ(c.parent_koid, before.koid);
    EXPECT_EQ(before.flags, ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE);
    EXPECT_EQ(after.flags, ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE);
    EXPECT_EQ(c.flags, ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_IS_COW_CLONE | ZX_INFO_VMO_VIA_HANDLE);
}

CASE(VmoClone2TestCase, Read)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    put32(vmo, 0xdeadbeef, 0);
    zx_handle_t clone = child(vmo, SNAP, 0, PAGE);
    EXPECT_U32(vmo, 0xdeadbeef, 0);
    EXPECT_U32(clone, 0xdeadbeef, 0);
}

/* A zx_vmo_write to one side of a snapshot is invisible to the other. */
static void write_one_side(bool write_clone)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    put32(vmo, 0xdeadbeef, 0);
    zx_handle_t clone = child(vmo, SNAP, 0, PAGE);
    put32(write_clone ? clone : vmo, 0xc0ffee, 0);
    EXPECT_U32(vmo, write_clone ? 0xdeadbeef : 0xc0ffee, 0);
    EXPECT_U32(clone, write_clone ? 0xc0ffee : 0xdeadbeef, 0);
}

CASE(VmoClone2TestCase, CloneVmoWrite)
{
    write_one_side(true);
}

CASE(VmoClone2TestCase, ParentVmoWrite)
{
    write_one_side(false);
}

/* The same through mappings: the parent is mapped (and written) before the
 * snapshot exists, so its page-table entry must lose write access. */
static void store_one_side(bool write_clone)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    volatile uint32_t *p = map_rw(vmo, PAGE);
    *p = 0xdeadbeef;
    zx_handle_t clone = child(vmo, SNAP, 0, PAGE);
    volatile uint32_t *c = map_rw(clone, PAGE);
    *(write_clone ? c : p) = 0xc0ffee;
    EXPECT_EQ(*p, write_clone ? 0xdeadbeef : 0xc0ffee);
    EXPECT_EQ(*c, write_clone ? 0xc0ffee : 0xdeadbeef);
}

CASE(VmoClone2TestCase, CloneVmarWrite)
{
    store_one_side(true);
}

CASE(VmoClone2TestCase, ParentVmarWrite)
{
    store_one_side(false);
}

static void close_one_side(bool close_parent)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    put32(vmo, 0xdeadbeef, 0);
    zx_handle_t clone = child(vmo, SNAP, 0, PAGE);
    drop(close_parent ? &vmo : &clone);
    EXPECT_U32(close_parent ? clone : vmo, 0xdeadbeef, 0);
}

CASE(VmoClone2TestCase, CloseOriginal)
{
    close_one_side(true);
}

CASE(VmoClone2TestCase, CloseClone)
{
    close_one_side(false);
}

CASE(VmoClone2TestCase, ObjMemAccounting)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    put32(vmo, 1, 0);
    put32(vmo, 1, PAGE);
    EXPECT_PRIVATE(vmo, 2 * PAGE);

    /* Both pages shared by two VMOs: each sees both, owns none, pays half. */
    zx_handle_t clone = child(vmo, SNAP, 0, 2 * PAGE);
    EXPECT_MEM(vmo, 2 * PAGE, 0, PAGE, 0);
    EXPECT_MEM(clone, 2 * PAGE, 0, PAGE, 0);

    /* The parent forks page 0: its new copy is its own, the old one is the
     * clone's alone, page 1 stays shared. */
    put32(vmo, 2, 0);
    EXPECT_MEM(vmo, 2 * PAGE, PAGE, 3 * PAGE / 2, 0);
    EXPECT_MEM(clone, 2 * PAGE, PAGE, 3 * PAGE / 2, 0);

    /* The clone forks page 1: nothing is shared any more. */
    put32(clone, 2, PAGE);
    EXPECT_PRIVATE(vmo, 2 * PAGE);
    EXPECT_PRIVATE(clone, 2 * PAGE);

    /* Writing pages already private changes nothing. */
    put32(vmo, 2, PAGE);
    put32(clone, 2, 0);
    EXPECT_PRIVATE(vmo, 2 * PAGE);
    EXPECT_PRIVATE(clone, 2 * PAGE);
}

CASE(VmoClone2TestCase, ZeroPageWrite)
{
    /* An untouched page, two snapshots of it and a snapshot of a snapshot:
     * every write lands in a page of the writer's own, and nobody else sees
     * it or pays for it. */
    zx_handle_t v[4];
    v[0] = vmo_create(PAGE, 0);
    v[1] = child(v[0], SNAP, 0, PAGE);
    v[2] = child(v[0], SNAP, 0, PAGE);
    v[3] = child(v[1], SNAP, 0, PAGE);
    for (uint32_t i = 0; i < 4; i++) {
        put32(v[i], i + 1, 0);
        for (uint32_t j = 0; j < 4; j++) {
            EXPECT_U32(v[j], j <= i ? j + 1 : 0, 0);
            EXPECT_PRIVATE(v[j], j <= i ? PAGE : 0);
        }
    }
}

CASE(VmoClone2TestCase, SplitPageClosure)
{
    zx_handle_t vmo = tagged_vmo(1);
    zx_handle_t clone1 = child(vmo, SNAP, 0, PAGE);
    zx_handle_t clone2 = child(clone1, SNAP, 0, PAGE);
    put32(clone1, 3, 0);
    put32(clone2, 4, 0);
    EXPECT_PRIVATE(vmo, PAGE);
    EXPECT_PRIVATE(clone1, PAGE);
    EXPECT_PRIVATE(clone2, PAGE);

    drop(&vmo);
    EXPECT_U32(clone1, 3, 0);
    EXPECT_U32(clone2, 4, 0);
    EXPECT_PRIVATE(clone1, PAGE);
    EXPECT_PRIVATE(clone2, PAGE);

    drop(&clone1);
    EXPECT_U32(clone2, 4, 0);
    EXPECT_PRIVATE(clone2, PAGE);
}

CASE(VmoClone2TestCase, Offset)
{
    zx_handle_t vmo = tagged_vmo(3);
    zx_handle_t clone = child(vmo, SNAP, PAGE, 3 * PAGE);
    /* Parent pages 1 and 2 are shared; page 0 is the parent's alone. */
    EXPECT_MEM(vmo, 3 * PAGE, PAGE, 2 * PAGE, 0);
    EXPECT_MEM(clone, 2 * PAGE, 0, PAGE, 0);
    EXPECT_U32(clone, 2, 0);
    EXPECT_U32(clone, 3, PAGE);
    EXPECT_U32(clone, 0, 2 * PAGE);

    put32(clone, 4, PAGE);
    drop(&vmo);
    EXPECT_U32(clone, 2, 0);
    EXPECT_U32(clone, 4, PAGE);
    EXPECT_U32(clone, 0, 2 * PAGE);
    /* The old parent page 1 is now the clone's alone; its last page was
     * never committed anywhere. */
    EXPECT_PRIVATE(clone, 2 * PAGE);
}

CASE(VmoClone2TestCase, OffsetTest2)
{
    zx_handle_t vmo = tagged_vmo(4);
    zx_handle_t offset_clone = child(vmo, SNAP, PAGE, 3 * PAGE);
    zx_handle_t clone1 = child(offset_clone, SNAP, 0, 2 * PAGE);
    zx_handle_t clone2 = child(offset_clone, SNAP, 2 * PAGE, PAGE);
    EXPECT_U32(clone1, 2, 0);
    EXPECT_U32(clone1, 3, PAGE);
    EXPECT_U32(clone2, 4, 0);

    put32(offset_clone, 4, PAGE);
    drop(&offset_clone);
    EXPECT_U32(clone1, 2, 0);
    EXPECT_U32(clone1, 3, PAGE);
    EXPECT_U32(clone2, 4, 0);

    /* vmo pages 1 and 2 are shared with clone1, page 3 with clone2; the
     * page offset_clone forked died with it. */
    EXPECT_MEM(vmo, 4 * PAGE, PAGE, 5 * PAGE / 2, 0);
    EXPECT_MEM(clone1, 2 * PAGE, 0, PAGE, 0);
    EXPECT_MEM(clone2, PAGE, 0, PAGE / 2, 0);

    drop(&clone1);
    EXPECT_MEM(vmo, 4 * PAGE, 3 * PAGE, 7 * PAGE / 2, 0);
    EXPECT_MEM(clone2, PAGE, 0, PAGE / 2, 0);

    drop(&clone2);
    EXPECT_PRIVATE(vmo, 4 * PAGE);
}

CASE(VmoClone2TestCase, OffsetProgressiveWrite)
{
    zx_handle_t vmo = tagged_vmo(2);
    zx_handle_t clone = child(vmo, SNAP, PAGE, 2 * PAGE);
    EXPECT_U32(clone, 2, 0);

    put32(clone, 3, 0);
    EXPECT_U32(clone, 3, 0);
    EXPECT_U32(vmo, 1, 0);
    EXPECT_U32(vmo, 2, PAGE);
    EXPECT_PRIVATE(vmo, 2 * PAGE);
    EXPECT_PRIVATE(clone, PAGE);

    /* clone2 sees only clone's (uncommitted) second page, so a second write
     * to clone's first page costs nothing new. */
    zx_handle_t clone2 = child(clone, SNAP, PAGE, PAGE);
    put32(clone, 4, 0);
    EXPECT_PRIVATE(vmo, 2 * PAGE);
    EXPECT_PRIVATE(clone, PAGE);
    EXPECT_PRIVATE(clone2, 0);

    drop(&vmo);
    EXPECT_U32(clone, 4, 0);
    drop(&clone2);
    EXPECT_U32(clone, 4, 0);
    EXPECT_PRIVATE(clone, PAGE);
}

CASE(VmoClone2TestCase, Overflow)
{
    zx_handle_t vmo = tagged_vmo(1);
    zx_handle_t clone = child(vmo, SNAP, 0, 2 * PAGE);
    EXPECT_U32(clone, 1, 0);
    EXPECT_U32(clone, 0, PAGE);
    EXPECT_MEM(vmo, PAGE, 0, PAGE / 2, 0);
    EXPECT_MEM(clone, PAGE, 0, PAGE / 2, 0);

    put32(clone, 2, PAGE);
    zx_handle_t clone2 = child(clone, SNAP, 0, 3 * PAGE);
    EXPECT_U32(clone2, 1, 0);
    EXPECT_U32(clone2, 2, PAGE);
    EXPECT_U32(clone2, 0, 2 * PAGE);
    /* The original page is seen by three VMOs, clone's second page by two:
     * a third of a page does not divide into whole bytes. */
    EXPECT_MEM(vmo, PAGE, 0, PAGE / 3, THIRD_OF_A_BYTE);
    EXPECT_MEM(clone, 2 * PAGE, 0, 5 * PAGE / 6, THIRD_OF_A_BYTE);
    EXPECT_MEM(clone2, 2 * PAGE, 0, 5 * PAGE / 6, THIRD_OF_A_BYTE);

    put32(clone2, 3, 2 * PAGE);
    EXPECT_U32(clone2, 3, 2 * PAGE);
    EXPECT_MEM(vmo, PAGE, 0, PAGE / 3, THIRD_OF_A_BYTE);
    EXPECT_MEM(clone, 2 * PAGE, 0, 5 * PAGE / 6, THIRD_OF_A_BYTE);
    EXPECT_MEM(clone2, 3 * PAGE, PAGE, 11 * PAGE / 6, THIRD_OF_A_BYTE);

    put32(clone2, 4, 0);
    put32(clone2, 5, PAGE);
    EXPECT_U32(vmo, 1, 0);
    EXPECT_U32(clone, 1, 0);
    EXPECT_U32(clone, 2, PAGE);
    EXPECT_U32(clone2, 4, 0);
    EXPECT_U32(clone2, 5, PAGE);
    EXPECT_U32(clone2, 3, 2 * PAGE);
    EXPECT_MEM(vmo, PAGE, 0, PAGE / 2, 0);
    EXPECT_MEM(clone, 2 * PAGE, PAGE, 3 * PAGE / 2, 0);
    EXPECT_PRIVATE(clone2, 3 * PAGE);

    drop(&clone);
    EXPECT_U32(vmo, 1, 0);
    EXPECT_U32(clone2, 4, 0);
    EXPECT_U32(clone2, 5, PAGE);
    EXPECT_U32(clone2, 3, 2 * PAGE);
    EXPECT_PRIVATE(vmo, PAGE);
    EXPECT_PRIVATE(clone2, 3 * PAGE);
}

CASE(VmoClone2TestCase, OutOfBounds)
{
    zx_handle_t vmo = tagged_vmo(1);
    /* A window entirely past the parent's end: zeros, nothing shared. */
    zx_handle_t clone = child(vmo, SNAP, 2 * PAGE, 2 * PAGE);
    EXPECT_U32(clone, 0, 0);
    EXPECT_U32(clone, 0, PAGE);
    EXPECT_PRIVATE(vmo, PAGE);
    EXPECT_PRIVATE(clone, 0);

    put32(clone, 2, PAGE);
    zx_handle_t clone2 = child(clone, SNAP, 0, 3 * PAGE);
    EXPECT_U32(clone2, 0, 0);
    EXPECT_U32(clone2, 2, PAGE);
    EXPECT_U32(clone2, 0, 2 * PAGE);
    EXPECT_PRIVATE(vmo, PAGE);
    EXPECT_MEM(clone, PAGE, 0, PAGE / 2, 0);
    EXPECT_MEM(clone2, PAGE, 0, PAGE / 2, 0);

    put32(clone2, 3, 2 * PAGE);
    EXPECT_U32(clone2, 3, 2 * PAGE);
    EXPECT_PRIVATE(vmo, PAGE);
    EXPECT_MEM(clone, PAGE, 0, PAGE / 2, 0);
    EXPECT_MEM(clone2, 2 * PAGE, PAGE, 3 * PAGE / 2, 0);
}

CASE(VmoClone2TestCase, SmallClone)
{
    zx_handle_t vmo = tagged_vmo(3);
    zx_handle_t clone = child(vmo, SNAP, PAGE, PAGE);
    EXPECT_U32(clone, 2, 0);
    EXPECT_MEM(vmo, 3 * PAGE, 2 * PAGE, 5 * PAGE / 2, 0);
    EXPECT_MEM(clone, PAGE, 0, PAGE / 2, 0);

    /* Writes to parent pages the clone cannot see fork nothing. */
    put32(vmo, 4, 0);
    put32(vmo, 5, 2 * PAGE);
    EXPECT_MEM(vmo, 3 * PAGE, 2 * PAGE, 5 * PAGE / 2, 0);
    EXPECT_MEM(clone, PAGE, 0, PAGE / 2, 0);

    drop(&vmo);
    EXPECT_U32(clone, 2, 0);
    EXPECT_PRIVATE(clone, PAGE);
}

CASE(VmoClone2TestCase, SmallCloneChild)
{
    zx_handle_t vmo = tagged_vmo(3);
    zx_handle_t clone = child(vmo, SNAP, PAGE, PAGE);
    EXPECT_U32(clone, 2, 0);
    /* clone2 reaches past clone's end: zeros there, never the parent's
     * page 2. */
    zx_handle_t clone2 = child(clone, SNAP, 0, 2 * PAGE);
    EXPECT_U32(clone2, 2, 0);
    EXPECT_U32(clone2, 0, PAGE);
}

CASE(VmoClone2TestCase, SmallClones)
{
    zx_handle_t vmo = tagged_vmo(3);
    zx_handle_t clone = child(vmo, SNAP, PAGE, 2 * PAGE);
    put32(clone, 4, PAGE);
    zx_handle_t clone2 = child(vmo, SNAP, 0, PAGE);
    EXPECT_U32(clone, 2, 0);
    /* vmo page 0 is shared with clone2, page 1 with clone, page 2 is vmo's
     * own (clone forked its view of it). */
    EXPECT_MEM(vmo, 3 * PAGE, PAGE, 2 * PAGE, 0);
    EXPECT_MEM(clone, 2 * PAGE, PAGE, 3 * PAGE / 2, 0);
    EXPECT_MEM(clone2, PAGE, 0, PAGE / 2, 0);

    drop(&vmo);
    EXPECT_PRIVATE(clone, 2 * PAGE);
    EXPECT_PRIVATE(clone2, PAGE);
}

/* One disjoint snapshot per page of a 4-page VMO, two of them through an
 * intermediate snapshot. */
static void make_disjoint(zx_handle_t *vmo, zx_handle_t *mid, zx_handle_t leaf[4])
{
    *vmo = tagged_vmo(4);
    *mid = child(*vmo, SNAP, PAGE, 2 * PAGE);
    leaf[0] = child(*vmo, SNAP, 0, PAGE);
    leaf[1] = child(*mid, SNAP, 0, PAGE);
    leaf[2] = child(*mid, SNAP, PAGE, PAGE);
    leaf[3] = child(*vmo, SNAP, 3 * PAGE, PAGE);
}

static void disjoint_clones(bool early_close)
{
    zx_handle_t vmo, mid, leaf[4];
    make_disjoint(&vmo, &mid, leaf);
    if (early_close) {
        drop(&vmo);
        drop(&mid);
    }
    for (uint32_t i = 0; i < 4; i++) {
        EXPECT_U32(leaf[i], i + 1, 0);
        put32(leaf[i], i + 5, 0);
    }
    if (!early_close) {
        drop(&vmo);
        drop(&mid);
    }
    for (uint32_t i = 0; i < 4; i++) {
        EXPECT_U32(leaf[i], i + 5, 0);
        EXPECT_PRIVATE(leaf[i], PAGE);
    }
}

CASE(VmoCloneDisjointClonesTests, DisjointCloneEarlyClose)
{
    disjoint_clones(true);
}

CASE(VmoCloneDisjointClonesTests, DisjointCloneLateClose)
{
    disjoint_clones(false);
}

CASE(VmoClone2TestCase, DisjointCloneTest2)
{
    /* Close the untouched leaves in every order; the survivors keep their
     * page, which is theirs alone once the ancestors are gone. */
    uint32_t perm[4] = {0, 1, 2, 3};
    do {
        zx_handle_t vmo, mid, leaf[4];
        make_disjoint(&vmo, &mid, leaf);
        drop(&vmo);
        drop(&mid);
        for (uint32_t i = 0; i < 4; i++)
            EXPECT_U32(leaf[i], i + 1, 0);
        bool closed[4] = {false, false, false, false};
        for (uint32_t i = 0; i < 4; i++) {
            drop(&leaf[perm[i]]);
            closed[perm[i]] = true;
            for (uint32_t j = 0; j < 4; j++) {
                if (closed[j])
                    continue;
                EXPECT_U32(leaf[j], j + 1, 0);
                EXPECT_PRIVATE(leaf[j], PAGE);
            }
        }
        conf_cleanup();
    } while (next_permutation(perm, 4));
}

CASE(VmoClone2TestCase, DisjointCloneProgressive)
{
    zx_handle_t vmo = tagged_vmo(6);
    zx_handle_t main_clone = child(vmo, SNAP, PAGE, 5 * PAGE);
    put32(main_clone, 7, 3 * PAGE);
    zx_handle_t c1 = child(main_clone, SNAP, PAGE, 4 * PAGE);
    zx_handle_t c2 = child(main_clone, SNAP, 4 * PAGE, PAGE);
    zx_handle_t c3 = child(main_clone, SNAP, 2 * PAGE, PAGE);
    zx_handle_t c4 = child(main_clone, SNAP, 10 * PAGE, PAGE);
    drop(&main_clone);
    drop(&c1);
    drop(&c3);
    drop(&c4);
    drop(&c2);

    zx_handle_t last = child(vmo, SNAP, 0, 6 * PAGE);
    for (uint32_t i = 0; i < 6; i++) {
        EXPECT_U32(vmo, i + 1, i * PAGE);
        EXPECT_U32(last, i + 1, i * PAGE);
    }
    put32(vmo, 8, 4 * PAGE);
    for (uint32_t i = 0; i < 6; i++) {
        EXPECT_U32(vmo, i == 4 ? 8 : i + 1, i * PAGE);
        EXPECT_U32(last, i + 1, i * PAGE);
    }
}

/* ResizeTest (non-contiguous variants): shrinking either side of a
 * snapshot frees what only it could reach, and regrowing shows zeros. */
static void resize_test(bool resize_child)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, ZX_VMO_RESIZABLE);
    for (uint32_t i = 0; i < 4; i++)
        put32(vmo, i + 1, i * PAGE);
    zx_handle_t clone = child(vmo, SNAP | RESIZABLE, 0, 4 * PAGE);
    put32(vmo, 5, PAGE);
    put32(clone, 5, 2 * PAGE);
    /* Pages 0 and 3 shared; each side owns a fork and the other's old page. */
    EXPECT_MEM(vmo, 4 * PAGE, 2 * PAGE, 3 * PAGE, 0);
    EXPECT_MEM(clone, 4 * PAGE, 2 * PAGE, 3 * PAGE, 0);

    zx_handle_t target = resize_child ? clone : vmo;
    zx_handle_t other = resize_child ? vmo : clone;
    ASSERT_OK(zx_vmo_set_size(target, PAGE));
    uint32_t written = resize_child ? 1 : 2;
    for (uint32_t i = 0; i < 4; i++)
        EXPECT_U32(other, i == written ? 5 : i + 1, i * PAGE);
    EXPECT_U32(target, 1, 0);
    /* Only page 0 is still shared. */
    EXPECT_MEM(other, 4 * PAGE, 3 * PAGE, 7 * PAGE / 2, 0);
    EXPECT_MEM(target, PAGE, 0, PAGE / 2, 0);

    ASSERT_OK(zx_vmo_set_size(target, 2 * PAGE));
    EXPECT_U32(target, 0, PAGE);
    put32(other, 6, 3 * PAGE);
    EXPECT_MEM(other, 4 * PAGE, 3 * PAGE, 7 * PAGE / 2, 0);
    EXPECT_MEM(target, PAGE, 0, PAGE / 2, 0);

    drop(resize_child ? &vmo : &clone);
    EXPECT_U32(target, 1, 0);
    EXPECT_PRIVATE(target, PAGE);
}

CASE(VmoCloneResizeTests, ResizeChild)
{
    resize_test(true);
}

CASE(VmoCloneResizeTests, ResizeOriginal)
{
    resize_test(false);
}

CASE(VmoClone2TestCase, ResizeGrow)
{
    zx_handle_t vmo = tagged_vmo(2);
    zx_handle_t clone = child(vmo, SNAP | RESIZABLE, 0, PAGE);
    EXPECT_U32(clone, 1, 0);
    ASSERT_OK(zx_vmo_set_size(clone, 2 * PAGE));
    EXPECT_U32(clone, 0, PAGE);
    /* The parent's page 1 was never the clone's: writing it forks nothing
     * and the clone keeps reading zeros there. */
    put32(vmo, 3, PAGE);
    EXPECT_U32(clone, 0, PAGE);
    EXPECT_MEM(vmo, 2 * PAGE, PAGE, 3 * PAGE / 2, 0);
    EXPECT_MEM(clone, PAGE, 0, PAGE / 2, 0);
}

CASE(VmoClone2TestCase, ResizeOffsetChild)
{
    zx_handle_t vmo = tagged_vmo(3);
    zx_handle_t clone = child(vmo, SNAP, PAGE, PAGE);
    ASSERT_OK(zx_vmo_set_size(vmo, 0));
    EXPECT_U32(clone, 2, 0);
    EXPECT_PRIVATE(vmo, 0);
    EXPECT_PRIVATE(clone, PAGE);
}

CASE(VmoClone2TestCase, ResizeDisjointChild)
{
    uint32_t perm[3] = {0, 1, 2};
    do {
        zx_handle_t vmo = tagged_vmo(3);
        zx_handle_t c[3];
        for (uint32_t i = 0; i < 3; i++) {
            c[i] = child(vmo, SNAP | RESIZABLE, i * PAGE, PAGE);
            EXPECT_U32(c[i], i + 1, 0);
        }
        EXPECT_MEM(vmo, 3 * PAGE, 0, 3 * PAGE / 2, 0);
        for (uint32_t i = 0; i < 3; i++)
            EXPECT_MEM(c[i], PAGE, 0, PAGE / 2, 0);

        ASSERT_OK(zx_vmo_set_size(c[perm[0]], 0));
        ASSERT_OK(zx_vmo_set_size(c[perm[1]], 0));
        ASSERT_OK(zx_vmo_set_size(vmo, 0));
        EXPECT_U32(c[perm[2]], perm[2] + 1, 0);
        EXPECT_PRIVATE(vmo, 0);
        EXPECT_PRIVATE(c[perm[0]], 0);
        EXPECT_PRIVATE(c[perm[1]], 0);
        EXPECT_PRIVATE(c[perm[2]], PAGE);

        ASSERT_OK(zx_vmo_set_size(c[perm[2]], 0));
        EXPECT_PRIVATE(c[perm[2]], 0);
        conf_cleanup();
    } while (next_permutation(perm, 3));
}

CASE(VmoClone2TestCase, ResizeMultipleProgressive)
{
    zx_handle_t vmo = tagged_vmo(3);
    zx_handle_t clone = child(vmo, SNAP | RESIZABLE, 0, 2 * PAGE);
    put32(vmo, 4, 0);
    put32(clone, 5, PAGE);
    EXPECT_U32(vmo, 4, 0);
    EXPECT_U32(vmo, 2, PAGE);
    EXPECT_U32(vmo, 3, 2 * PAGE);
    EXPECT_U32(clone, 1, 0);
    EXPECT_U32(clone, 5, PAGE);

    zx_handle_t clone2 = child(vmo, SNAP, 0, PAGE);
    EXPECT_U32(vmo, 4, 0);
    EXPECT_U32(vmo, 2, PAGE);
    EXPECT_U32(vmo, 3, 2 * PAGE);
    EXPECT_U32(clone2, 4, 0);

    ASSERT_OK(zx_vmo_set_size(clone, 0));
    EXPECT_U32(vmo, 4, 0);
    EXPECT_U32(vmo, 2, PAGE);
    EXPECT_U32(vmo, 3, 2 * PAGE);
    EXPECT_U32(clone2, 4, 0);
    /* vmo's page 0 is shared with clone2; its pages 1 and 2 are its own. */
    EXPECT_MEM(vmo, 3 * PAGE, 2 * PAGE, 5 * PAGE / 2, 0);
    EXPECT_PRIVATE(clone, 0);
    EXPECT_MEM(clone2, PAGE, 0, PAGE / 2, 0);

    ASSERT_OK(zx_vmo_set_size(vmo, 0));
    EXPECT_U32(clone2, 4, 0);
    EXPECT_PRIVATE(vmo, 0);
    EXPECT_PRIVATE(clone, 0);
    EXPECT_PRIVATE(clone2, PAGE);
}

CASE(VmoClone2TestCase, ResizeOverSiblingRange)
{
    zx_handle_t vmo = tagged_vmo(4);
    zx_handle_t intermediate = child(vmo, SNAP, 0, 4 * PAGE);
    zx_handle_t sibling = child(vmo, SNAP | RESIZABLE, 2 * PAGE, PAGE);
    (void)intermediate;
    (void)sibling;
    /* Shrinking past the sibling's window and growing back must behave as
     * if the VMO had been one page and grown: zeros, never old content. */
    ASSERT_OK(zx_vmo_set_size(vmo, PAGE));
    ASSERT_OK(zx_vmo_set_size(vmo, 4 * PAGE));
    EXPECT_U32(vmo, 1, 0);
    EXPECT_U32(vmo, 0, PAGE);
    EXPECT_U32(vmo, 0, 2 * PAGE);
    EXPECT_U32(vmo, 0, 3 * PAGE);
    put32(vmo, 2, PAGE);
    put32(vmo, 3, 2 * PAGE);
    put32(vmo, 4, 3 * PAGE);
    EXPECT_U32(vmo, 2, PAGE);
    EXPECT_U32(vmo, 3, 2 * PAGE);
    EXPECT_U32(vmo, 4, 3 * PAGE);
    /* The snapshots keep what they saw. */
    for (uint32_t i = 0; i < 4; i++)
        EXPECT_U32(intermediate, i + 1, i * PAGE);
    EXPECT_U32(sibling, 3, 0);
}

CASE(VmoClone2TestCase, Children)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_TRUE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
    zx_handle_t clone = child(vmo, SNAP, 0, PAGE);
    EXPECT_FALSE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
    EXPECT_TRUE(signaled(clone, ZX_VMO_ZERO_CHILDREN));
    drop(&clone);
    EXPECT_TRUE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
}

static void many_children(bool reverse_close)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t c[5];
    for (uint32_t i = 0; i < 5; i++) {
        c[i] = child(vmo, SNAP, 0, PAGE);
        EXPECT_EQ(vmo_info(vmo).num_children, i + 1);
    }
    for (uint32_t k = 0; k < 5; k++) {
        uint32_t i = reverse_close ? 4 - k : k;
        drop(&c[i]);
        EXPECT_EQ(vmo_info(vmo).num_children, 4 - k);
    }
    EXPECT_TRUE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
}

CASE(VmoClone2TestCase, ManyChildren)
{
    many_children(false);
}

CASE(VmoClone2TestCase, ManyChildrenRevClose)
{
    many_children(true);
}

CASE(VmoClone2TestCase, ManyCloneMapping)
{
    /* Store through the mappings of a small family in every order; each
     * store is seen by its writer only. */
    uint32_t perm[4] = {0, 1, 2, 3};
    do {
        zx_handle_t v[4];
        v[0] = vmo_create(PAGE, 0);
        put32(v[0], 0xdeadbeef, 0);
        v[1] = child(v[0], SNAP, 0, PAGE);
        v[2] = child(v[0], SNAP, 0, PAGE);
        v[3] = child(v[1], SNAP, 0, PAGE);
        volatile uint32_t *m[4];
        for (uint32_t i = 0; i < 4; i++) {
            m[i] = map_rw(v[i], PAGE);
            EXPECT_EQ(*m[i], 0xdeadbeef);
        }
        bool written[4] = {false, false, false, false};
        for (uint32_t i = 0; i < 4; i++) {
            *m[perm[i]] = 0xc0ffee;
            written[perm[i]] = true;
            for (uint32_t j = 0; j < 4; j++)
                EXPECT_EQ(*m[j], written[j] ? 0xc0ffee : 0xdeadbeef);
        }
        conf_cleanup();
    } while (next_permutation(perm, 4));
}

CASE(VmoClone2TestCase, ManyCloneOffset)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    put32(vmo, 1, 0);
    zx_handle_t clone1 = child(vmo, SNAP, 0, PAGE);
    zx_handle_t clone2 = child(clone1, SNAP, PAGE, PAGE);
    (void)clone2;
    put32(clone1, 1, 0);
    drop(&clone1);
    EXPECT_U32(vmo, 1, 0);
}

CASE(VmoClone2TestCase, ManyCloneMappingOffset)
{
    zx_handle_t v[4];
    v[0] = vmo_create(2 * PAGE, 0);
    put32(v[0], 1, 0);
    v[1] = child(v[0], SNAP, 0, 2 * PAGE);
    v[2] = child(v[0], SNAP, PAGE, PAGE);
    v[3] = child(v[0], SNAP, 0, 2 * PAGE);
    volatile uint32_t *m[4];
    for (uint32_t i = 0; i < 4; i++) {
        m[i] = map_rw(v[i], PAGE);
        if (i != 2)
            EXPECT_EQ(*m[i], 1);
    }
    put32(v[3], 2, 0);
    put32(v[1], 3, 0);
    EXPECT_EQ(*m[1], 3);
    EXPECT_EQ(*m[3], 2);
    EXPECT_EQ(*m[0], 1);
    for (uint32_t i = 0; i < 4; i++)
        EXPECT_PRIVATE(v[i], i != 2 ? PAGE : 0);
}

/* ProgressiveCloneDiscardTest: five resizable snapshots of a 6-page VMO,
 * each forking a different page; then the original goes (closed or
 * truncated), then all but the last two. */
static void progressive_clone_discard(bool close)
{
    enum { N = 6 };
    zx_handle_t v[N];
    v[0] = tagged_vmo(N);
    EXPECT_PRIVATE(v[0], N * PAGE);
    for (uint32_t i = 1; i < N; i++) {
        v[i] = child(v[0], SNAP | RESIZABLE, 0, N * PAGE);
        put32(v[i], N + 2, i * PAGE);
    }
    for (uint32_t i = 0; i < N; i++)
        for (uint32_t j = 0; j < N; j++)
            EXPECT_U32(v[i], (i != 0 && j == i) ? N + 2 : j + 1, j * PAGE);

    /* Original page 0 is seen by all six VMOs, original page j > 0 by all
     * but clone j; each clone owns its fork. PSS: original 1/6 + 5 * 1/5,
     * each clone 1 + 1/6 + 4 * 1/5 = 59/30 pages. */
    EXPECT_MEM(v[0], N * PAGE, 0, 7 * PAGE / 6, ANY_FRACTION);
    for (uint32_t i = 1; i < N; i++)
        EXPECT_MEM(v[i], N * PAGE, PAGE, 59 * PAGE / 30, ANY_FRACTION);

    if (close)
        drop(&v[0]);
    else
        ASSERT_OK(zx_vmo_set_size(v[0], 0));
    for (uint32_t i = 1; i < N; i++)
        for (uint32_t j = 0; j < N; j++)
            EXPECT_U32(v[i], j == i ? N + 2 : j + 1, j * PAGE);
    /* Page 0 now among five, page j > 0 among four: 1 + 1/5 + 4 * 1/4. */
    for (uint32_t i = 1; i < N; i++)
        EXPECT_MEM(v[i], N * PAGE, PAGE, 11 * PAGE / 5, ANY_FRACTION);

    for (uint32_t i = 1; i < N - 2; i++) {
        if (close)
            drop(&v[i]);
        else
            ASSERT_OK(zx_vmo_set_size(v[i], 0));
    }
    for (uint32_t i = N - 2; i < N; i++)
        for (uint32_t j = 0; j < N; j++)
            EXPECT_U32(v[i], j == i ? N + 2 : j + 1, j * PAGE);
    /* Pages 0..3 shared by the two survivors; each owns its fork and the
     * other's original. */
    for (uint32_t i = N - 2; i < N; i++)
        EXPECT_MEM(v[i], N * PAGE, 2 * PAGE, 4 * PAGE, 0);
}

CASE(ProgressiveCloneDiscardTests, ProgressiveCloneClose)
{
    progressive_clone_discard(true);
}

CASE(ProgressiveCloneDiscardTests, ProgressiveCloneTruncate)
{
    progressive_clone_discard(false);
}

CASE(VmoClone2TestCase, Uncached)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    ASSERT_OK(zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_UNCACHED));
    volatile uint32_t *p = map_rw(vmo, PAGE);
    *p = 0xdeadbeef;
    zx_handle_t out = ZX_HANDLE_INVALID;
    EXPECT_STATUS(zx_vmo_create_child(vmo, SNAP, 0, PAGE, &out), ZX_ERR_BAD_STATE);
    track(out);
    EXPECT_EQ(*p, 0xdeadbeef);
}

CASE(VmoClone2TestCase, ParentStartLimitRegression)
{
    /* A family shaped so that closing the last handle merges hidden nodes
     * whose windows start at non-zero offsets. It must simply work. */
    zx_handle_t r = vmo_create(3 * PAGE, 0);
    zx_handle_t m = child(r, SNAP, PAGE, 2 * PAGE);
    zx_handle_t c = child(m, SNAP, 0, PAGE);
    zx_handle_t s = child(r, SNAP, 2 * PAGE, PAGE);
    drop(&r);
    zx_handle_t h = child(m, SNAP, PAGE, PAGE);
    drop(&m);
    zx_handle_t hc = child(h, SNAP, 0, PAGE);
    drop(&c);
    EXPECT_U32(s, 0, 0);
    EXPECT_U32(h, 0, 0);
    EXPECT_U32(hc, 0, 0);
}

CASE(VmoClone2TestCase, NoAccumulatedOverflow)
{
    zx_handle_t vmo = vmo_create(0, 0);
    zx_handle_t c1 = child(vmo, SNAP, 0xffffffffffff8000ull, 0);
    zx_handle_t c2 = ZX_HANDLE_INVALID;
    /* The offsets along the chain add up past 2^64. */
    EXPECT_STATUS(zx_vmo_create_child(c1, SNAP, 0x8000, 0, &c2), ZX_ERR_INVALID_ARGS);
    track(c2);
    c2 = child(c1, SNAP | RESIZABLE, 0x4000, 0);
    EXPECT_STATUS(zx_vmo_set_size(c2, 0x8000), ZX_ERR_INVALID_ARGS);
}

CASE(VmoClone2TestCase, MarkerClearsSplitBits)
{
    zx_handle_t vmo = vmo_create(3 * PAGE, 0);
    uint64_t val = 42;
    EXPECT_OK(zx_vmo_write(vmo, &val, PAGE, sizeof val));
    zx_handle_t c = child(vmo, SNAP, 0, 3 * PAGE);
    EXPECT_OK(zx_vmo_write(c, &val, PAGE, sizeof val));
    EXPECT_OK(zx_vmo_op_range(c, ZX_VMO_OP_ZERO, PAGE, PAGE, NULL, 0));
    drop(&c);
    /* A new snapshot can fork the same page again. */
    c = child(vmo, SNAP, 0, 3 * PAGE);
    EXPECT_OK(zx_vmo_write(c, &val, PAGE, sizeof val));
    uint64_t got = 0;
    EXPECT_OK(zx_vmo_read(vmo, &got, PAGE, sizeof got));
    EXPECT_EQ(got, 42);
}

CASE(VmoClone2TestCase, MapRangeReadOnly)
{
    const uint64_t pages = 5;
    zx_handle_t vmo = vmo_create(pages * PAGE, 0);
    for (uint64_t i = 0; i < pages; i++) {
        uint64_t data = 77;
        ASSERT_OK(zx_vmo_write(vmo, &data, i * PAGE, sizeof data));
    }
    EXPECT_EQ(vmo_info(vmo).populated_bytes, pages * PAGE);
    zx_handle_t clone = child(vmo, SNAP, 0, pages * PAGE);
    /* A read-only MAP_RANGE mapping populates page tables from the shared
     * pages; it must not give the clone pages of its own. */
    map(ROOT, ZX_VM_MAP_RANGE | ZX_VM_PERM_READ, 0, clone, 0, pages * PAGE);
    EXPECT_EQ(vmo_info(clone).populated_private_bytes, 0);
    EXPECT_EQ(vmo_info(vmo).populated_bytes, pages * PAGE);
}

CASE(VmoClone2TestCase, DropParentCommittedBytes)
{
    /* Upstream races a reader thread against the close of the parent; with
     * one thread only the sequence before and after remains. */
    zx_handle_t vmo = tagged_vmo(3);
    zx_handle_t c = child(vmo, SNAP, PAGE, 2 * PAGE);
    EXPECT_U32(c, 2, 0);
    EXPECT_U32(c, 3, PAGE);
    put32(c, 4, PAGE);
    EXPECT_MEM(c, 2 * PAGE, PAGE, 3 * PAGE / 2, 0);
    drop(&vmo);
    EXPECT_U32(c, 2, 0);
    EXPECT_U32(c, 4, PAGE);
    EXPECT_PRIVATE(c, 2 * PAGE);
}

CASE(VmoClone2TestCase, DropChildrenInParallel)
{
    /* Upstream closes the parent and its only snapshot on two threads at
     * once, 1000 times, to catch a race in tearing down the hidden node they
     * share. One thread here: the two closes run back to back, in both
     * orders, and every page the pair held must be free again afterwards
     * (zxsim's frame count is back where it started). */
    zxsim_mem_stats_t before, after;
    ASSERT_OK(zxsim_mem_stats(&before));
    for (int i = 0; i < 1000; i++) {
        zx_handle_t vmo = ZX_HANDLE_INVALID, c = ZX_HANDLE_INVALID;
        ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
        uint32_t v = (uint32_t)i;
        /* A committed page, so that there is something to share. */
        ASSERT_OK(zx_vmo_write(vmo, &v, 0, sizeof v));
        zx_status_t s = zx_vmo_create_child(vmo, SNAP, 0, PAGE, &c);
        if (s != ZX_OK) {
            zx_handle_close(vmo);
            ASSERT_OK(s);
        }
        if (i & 1) {
            ASSERT_OK(zx_handle_close(c));
            ASSERT_OK(zx_handle_close(vmo));
        } else {
            ASSERT_OK(zx_handle_close(vmo));
            ASSERT_OK(zx_handle_close(c));
        }
    }
    ASSERT_OK(zxsim_mem_stats(&after));
    EXPECT_EQ(after.committed_frames, before.committed_frames);
}

/* ================= vmo-clone.cc ================= */

CASE(VmoCloneTestCase, SizeAlign)
{
    zx_handle_t vmo = vmo_create(0, 0);
    for (uint64_t s = 0; s < 4 * PAGE; s++) {
        zx_handle_t c = ZX_HANDLE_INVALID;
        if (!EXPECT_OK(zx_vmo_create_child(vmo, SNAP, 0, s, &c)))
            break;
        uint64_t size = 0x99999999;
        EXPECT_OK(zx_vmo_get_size(c, &size));
        bool ok = EXPECT_EQ(size, (s + PAGE - 1) & ~(PAGE - 1));
        EXPECT_OK(zx_handle_close(c));
        if (!ok)
            break;
    }
}

CASE(VmoCloneTestCase, NameProperty)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    EXPECT_OK(zx_object_set_property(vmo, ZX_PROP_NAME, "test1", 5));
    zx_handle_t c0 = child(vmo, SNAP, 0, 4 * PAGE);
    char name[ZX_MAX_NAME_LEN];
    EXPECT_OK(zx_object_get_property(c0, ZX_PROP_NAME, name, sizeof name));
    EXPECT_STR_EQ(name, "test1");

    /* Without the property rights on the parent handle the child is still
     * created; the first child keeps its name. */
    zx_handle_t reduced = ZX_HANDLE_INVALID;
    ASSERT_OK(zx_handle_replace(vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHTS_PROPERTY, &reduced));
    track(reduced);
    zx_handle_t c1 = child(reduced, SNAP, 0, 4 * PAGE);
    EXPECT_NE(c1, ZX_HANDLE_INVALID);
    EXPECT_OK(zx_object_get_property(c0, ZX_PROP_NAME, name, sizeof name));
    EXPECT_STR_EQ(name, "test1");
}

CASE(VmoCloneTestCase, Decommit)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    zx_handle_t c = child(vmo, SNAP, 0, 4 * PAGE);
    /* Neither a clone nor a parent with a clone may decommit. */
    EXPECT_STATUS(zx_vmo_op_range(c, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0), ZX_ERR_NOT_SUPPORTED);
    EXPECT_STATUS(zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0), ZX_ERR_NOT_SUPPORTED);
    drop(&c);
    EXPECT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0));
}

CASE(VmoCloneTestCase, Commit)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    volatile uint32_t *p = map_rw(vmo, 4 * PAGE);
    zx_handle_t c = child(vmo, SNAP, 0, 4 * PAGE);
    volatile uint32_t *cp = map_rw(c, 4 * PAGE);

    /* The parent was untouched when the snapshot was taken. */
    for (size_t i = 0; i < PAGE / 4; i++)
        p[i] = 0x99999999;
    EXPECT_EQ(p[0], 0x99999999);
    EXPECT_EQ(cp[0], 0);

    EXPECT_OK(zx_vmo_op_range(c, ZX_VMO_OP_COMMIT, 0, PAGE, NULL, 0));
    EXPECT_EQ(cp[0], 0);
    EXPECT_EQ(p[0], 0x99999999);

    cp[0] = 0x44444444;
    EXPECT_EQ(cp[0], 0x44444444);
    EXPECT_EQ(p[0], 0x99999999);
}

CASE(VmoCloneTestCase, Rights)
{
    static const char old_name[] = "original";
    static const char new_name[] = "clone";
    const zx_rights_t old_rights = ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE;
    const zx_rights_t new_rights =
        old_rights | ZX_RIGHT_WRITE | ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY;

    zx_handle_t vmo = vmo_create(PAGE, 0);
    ASSERT_OK(zx_object_set_property(vmo, ZX_PROP_NAME, old_name, sizeof old_name));
    ASSERT_EQ(rights_of(vmo) & old_rights, old_rights);
    zx_handle_t reduced = dup(vmo, old_rights);
    EXPECT_EQ(rights_of(reduced), old_rights);

    zx_handle_t c = child(reduced, SNAP, 0, PAGE);
    drop(&reduced);
    /* The snapshot may be renamed: it has the property rights and WRITE. */
    ASSERT_OK(zx_object_set_property(c, ZX_PROP_NAME, new_name, sizeof new_name));
    char name[ZX_MAX_NAME_LEN] = "bad";
    EXPECT_OK(zx_object_get_property(vmo, ZX_PROP_NAME, name, sizeof name));
    EXPECT_STR_EQ(name, old_name);
    strcpy(name, "bad");
    EXPECT_OK(zx_object_get_property(c, ZX_PROP_NAME, name, sizeof name));
    EXPECT_STR_EQ(name, new_name);

    drop(&vmo);
    EXPECT_EQ(rights_of(c), new_rights);
}

CASE(VmoCloneTestCase, NoResize)
{
    const size_t len = 4 * PAGE;
    zx_handle_t parent = vmo_create(len, 0);
    zx_handle_t c = child(parent, SNAP, 0, len);
    EXPECT_STATUS(zx_vmo_set_size(c, len + PAGE), ZX_ERR_UNAVAILABLE);
    EXPECT_STATUS(zx_vmo_set_size(c, len - PAGE), ZX_ERR_UNAVAILABLE);
    EXPECT_EQ(vmo_size(c), len);
    zx_vaddr_t a = map(ROOT, RW | ZX_VM_REQUIRE_NON_RESIZABLE, 0, c, 0, len);
    EXPECT_NE(a, 0);
}

/* TestImmutableClone: only a SNAPSHOT with NO_WRITE is immutable. */
static void immutable_clone(uint32_t child_options, bool want_immutable)
{
    const size_t len = 4 * PAGE;
    zx_handle_t parent = vmo_create(len, 0);
    zx_handle_t c = child(parent, child_options, 0, len);
    EXPECT_EQ((vmo_info(c).flags & ZX_INFO_VMO_IMMUTABLE) != 0, want_immutable);
}

CASE(VmoCloneTestCase, ImmutableClone)
{
    immutable_clone(ZX_VMO_CHILD_NO_WRITE | SNAP, true);
}

CASE(VmoCloneTestCase, NotImmutableMissingSnapshot)
{
    immutable_clone(ZX_VMO_CHILD_NO_WRITE | ZX_VMO_CHILD_SLICE, false);
}

CASE(VmoCloneTestCase, NotImmutableMissingNoWrite)
{
    immutable_clone(SNAP, false);
}

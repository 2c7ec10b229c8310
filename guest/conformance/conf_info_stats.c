/* Conformance: zx_object_get_info topics ZX_INFO_HANDLE_COUNT (any object:
 * the number of handles to it) and ZX_INFO_TASK_STATS / _V1 (a process:
 * mapped bytes and committed memory of its mappings, private, shared and
 * scaled). Stats are checked as differences around a case's own mappings,
 * so the program's code, stack and heap do not matter. */
#include "conf.h"

#include <zircon/status.h>

static zx_info_task_stats_t stats(void)
{
    zx_info_task_stats_t s;
    size_t actual = 0, avail = 0;
    memset(&s, 0xEE, sizeof s);
    ASSERT_OK(zx_object_get_info(SELF, ZX_INFO_TASK_STATS, &s, sizeof s, &actual, &avail));
    ASSERT_EQ(actual, (size_t)1);
    ASSERT_EQ(avail, (size_t)1);
    return s;
}

static uint32_t handle_count(zx_handle_t h)
{
    zx_info_handle_count_t c;
    memset(&c, 0xEE, sizeof c);
    ASSERT_OK(zx_object_get_info(h, ZX_INFO_HANDLE_COUNT, &c, sizeof c, NULL, NULL));
    return c.handle_count;
}

/* ---- HANDLE_COUNT ---- */

CASE(handle_count, follows_duplicate_and_close)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_EQ(handle_count(vmo), 1u);
    zx_handle_t d1 = dup(vmo, ZX_RIGHT_SAME_RIGHTS);
    zx_handle_t d2 = dup(vmo, ZX_RIGHT_SAME_RIGHTS);
    EXPECT_EQ(handle_count(vmo), 3u);
    EXPECT_EQ(handle_count(d2), 3u);
    ASSERT_OK(zx_handle_close(d1));
    EXPECT_EQ(handle_count(vmo), 2u);
    /* replace moves the handle: the count stays. */
    zx_handle_t r = ZX_HANDLE_INVALID;
    ASSERT_OK(zx_handle_replace(d2, ZX_RIGHT_SAME_RIGHTS, &r));
    track(r);
    EXPECT_EQ(handle_count(vmo), 2u);
}

CASE(handle_count, mapping_is_not_a_handle)
{
    zx_vaddr_t base;
    zx_handle_t vmar = scratch(4 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    map(vmar, RW, 0, vmo, 0, PAGE);
    EXPECT_EQ(handle_count(vmo), 1u);
    EXPECT_EQ(handle_count(vmar), 1u);
}

CASE(handle_count, process_and_root_vmar)
{
    EXPECT_EQ(handle_count(SELF), 1u);
    EXPECT_EQ(handle_count(ROOT), 1u);
}

CASE(handle_count, needs_inspect)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t weak = dup(vmo, ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ);
    zx_info_handle_count_t c;
    EXPECT_STATUS(zx_object_get_info(weak, ZX_INFO_HANDLE_COUNT, &c, sizeof c, NULL, NULL),
                  ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(
        zx_object_get_info(ZX_HANDLE_INVALID, ZX_INFO_HANDLE_COUNT, &c, sizeof c, NULL, NULL),
        ZX_ERR_BAD_HANDLE);
}

CASE(handle_count, buffer_too_small)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    uint8_t small[2];
    size_t actual = 99, avail = 99;
    EXPECT_STATUS(
        zx_object_get_info(vmo, ZX_INFO_HANDLE_COUNT, small, sizeof small, &actual, &avail),
        ZX_ERR_BUFFER_TOO_SMALL);
    EXPECT_EQ(actual, (size_t)0);
    EXPECT_EQ(avail, (size_t)1);
}

/* ---- TASK_STATS ---- */

CASE(task_stats, mapping_counts_before_commit)
{
    zx_vaddr_t base;
    zx_handle_t vmar = scratch(64 * PAGE, &base);
    zx_info_task_stats_t before = stats();
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    map(vmar, RW, 0, vmo, 0, 8 * PAGE);
    zx_info_task_stats_t after = stats();
    EXPECT_EQ(after.mem_mapped_bytes - before.mem_mapped_bytes, 8 * PAGE);
    EXPECT_EQ(after.mem_private_bytes, before.mem_private_bytes);
    EXPECT_EQ(after.mem_shared_bytes, before.mem_shared_bytes);
}

CASE(task_stats, private_pages_when_touched)
{
    zx_vaddr_t base;
    zx_handle_t vmar = scratch(64 * PAGE, &base);
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    zx_vaddr_t a = map(vmar, RW, 0, vmo, 0, 8 * PAGE);
    zx_info_task_stats_t before = stats();
    for (int i = 0; i < 3; i++)
        ((volatile uint8_t *)a)[i * PAGE] = 1;
    zx_info_task_stats_t after = stats();
    EXPECT_EQ(after.mem_private_bytes - before.mem_private_bytes, 3 * PAGE);
    EXPECT_EQ(after.mem_shared_bytes, before.mem_shared_bytes);
    EXPECT_EQ(after.mem_mapped_bytes, before.mem_mapped_bytes);
}

CASE(task_stats, read_of_untouched_page_commits_nothing)
{
    zx_vaddr_t base;
    zx_handle_t vmar = scratch(64 * PAGE, &base);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    zx_vaddr_t a = map(vmar, ZX_VM_PERM_READ, 0, vmo, 0, 4 * PAGE);
    zx_info_task_stats_t before = stats();
    EXPECT_EQ(((volatile uint8_t *)a)[PAGE], 0);
    zx_info_task_stats_t after = stats();
    EXPECT_EQ(after.mem_private_bytes, before.mem_private_bytes);
    EXPECT_EQ(after.mem_shared_bytes, before.mem_shared_bytes);
}

CASE(task_stats, snapshot_pages_are_shared_and_scaled)
{
    zx_vaddr_t base;
    zx_handle_t vmar = scratch(64 * PAGE, &base);
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    uint8_t one = 1;
    for (int i = 0; i < 4; i++)
        ASSERT_OK(zx_vmo_write(vmo, &one, i * PAGE, 1));
    zx_handle_t c = child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 4 * PAGE);
    zx_info_task_stats_t before = stats();
    map(vmar, ZX_VM_PERM_READ, 0, vmo, 0, 4 * PAGE);
    zx_info_task_stats_t one_map = stats();
    /* Both VMOs reach the 4 pages: shared, half each in the scaled sum. */
    EXPECT_EQ(one_map.mem_mapped_bytes - before.mem_mapped_bytes, 4 * PAGE);
    EXPECT_EQ(one_map.mem_private_bytes, before.mem_private_bytes);
    EXPECT_EQ(one_map.mem_shared_bytes - before.mem_shared_bytes, 4 * PAGE);
    EXPECT_EQ(one_map.mem_scaled_shared_bytes - before.mem_scaled_shared_bytes, 2 * PAGE);
    zx_vaddr_t ca = map(vmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, c, 0, 4 * PAGE);
    zx_info_task_stats_t two_maps = stats();
    EXPECT_EQ(two_maps.mem_shared_bytes - before.mem_shared_bytes, 8 * PAGE);
    EXPECT_EQ(two_maps.mem_scaled_shared_bytes - before.mem_scaled_shared_bytes, 4 * PAGE);
    /* The child writes one page: a private copy for it, and the parent's
     * page has one sharer left, so it is private too. */
    ((volatile uint8_t *)ca)[0] = 2;
    zx_info_task_stats_t written = stats();
    EXPECT_EQ(written.mem_private_bytes - before.mem_private_bytes, 2 * PAGE);
    EXPECT_EQ(written.mem_shared_bytes - before.mem_shared_bytes, 6 * PAGE);
    EXPECT_EQ(written.mem_scaled_shared_bytes - before.mem_scaled_shared_bytes, 3 * PAGE);
}

CASE(task_stats, three_sharers_give_a_fraction)
{
    zx_vaddr_t base;
    zx_handle_t vmar = scratch(64 * PAGE, &base);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    uint8_t one = 1;
    ASSERT_OK(zx_vmo_write(vmo, &one, 0, 1));
    child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    zx_info_task_stats_t before = stats();
    map(vmar, ZX_VM_PERM_READ, 0, vmo, 0, PAGE);
    zx_info_task_stats_t after = stats();
    /* 4096 / 3 = 1365 + 1/3: the third is 2^63 / 3 in the fraction. */
    uint64_t third = (1ull << 63) / 3;
    uint64_t frac = after.mem_fractional_scaled_shared_bytes;
    uint64_t frac_before = before.mem_fractional_scaled_shared_bytes;
    uint64_t bytes = after.mem_scaled_shared_bytes - before.mem_scaled_shared_bytes;
    if (frac >= frac_before) {
        EXPECT_EQ(bytes, 1365u);
        EXPECT_EQ(frac - frac_before, third);
    } else { /* the thirds carried into a whole byte */
        EXPECT_EQ(bytes, 1366u);
        EXPECT_EQ(frac + (1ull << 63) - frac_before, third);
    }
    EXPECT_EQ(after.mem_shared_bytes - before.mem_shared_bytes, PAGE);
}

CASE(task_stats, double_mapping_counts_twice)
{
    zx_vaddr_t base;
    zx_handle_t vmar = scratch(64 * PAGE, &base);
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    uint8_t one = 1;
    ASSERT_OK(zx_vmo_write(vmo, &one, 0, 1));
    zx_info_task_stats_t before = stats();
    map(vmar, ZX_VM_PERM_READ, 0, vmo, 0, 2 * PAGE);
    map(vmar, ZX_VM_PERM_READ, 0, vmo, 0, 2 * PAGE);
    zx_info_task_stats_t after = stats();
    EXPECT_EQ(after.mem_mapped_bytes - before.mem_mapped_bytes, 4 * PAGE);
    EXPECT_EQ(after.mem_private_bytes - before.mem_private_bytes, 2 * PAGE);
}

CASE(task_stats, mapping_beyond_a_shrunk_vmo)
{
    zx_vaddr_t base;
    zx_handle_t vmar = scratch(64 * PAGE, &base);
    zx_handle_t vmo = vmo_create(4 * PAGE, ZX_VMO_RESIZABLE);
    uint8_t one = 1;
    for (int i = 0; i < 4; i++)
        ASSERT_OK(zx_vmo_write(vmo, &one, i * PAGE, 1));
    zx_info_task_stats_t before = stats();
    map(vmar, ZX_VM_PERM_READ, 0, vmo, 0, 4 * PAGE);
    ASSERT_OK(zx_vmo_set_size(vmo, PAGE));
    zx_info_task_stats_t after = stats();
    EXPECT_EQ(after.mem_mapped_bytes - before.mem_mapped_bytes, 4 * PAGE);
    EXPECT_EQ(after.mem_private_bytes - before.mem_private_bytes, PAGE);
}

CASE(task_stats, v1_is_the_prefix)
{
    zx_info_task_stats_v1_t v1;
    memset(&v1, 0xEE, sizeof v1);
    size_t actual = 0, avail = 0;
    ASSERT_OK(zx_object_get_info(SELF, ZX_INFO_TASK_STATS_V1, &v1, sizeof v1, &actual, &avail));
    zx_info_task_stats_t now = stats();
    EXPECT_EQ(actual, (size_t)1);
    EXPECT_EQ(v1.mem_mapped_bytes, now.mem_mapped_bytes);
    EXPECT_EQ(v1.mem_private_bytes, now.mem_private_bytes);
    EXPECT_EQ(v1.mem_shared_bytes, now.mem_shared_bytes);
    /* The current record does not fit in the older size. */
    zx_info_task_stats_t cur;
    EXPECT_STATUS(zx_object_get_info(SELF, ZX_INFO_TASK_STATS, &cur, sizeof v1, &actual, &avail),
                  ZX_ERR_BUFFER_TOO_SMALL);
}

CASE(task_stats, process_only_and_inspect_right)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_info_task_stats_t s;
    EXPECT_STATUS(zx_object_get_info(vmo, ZX_INFO_TASK_STATS, &s, sizeof s, NULL, NULL),
                  ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_object_get_info(ROOT, ZX_INFO_TASK_STATS, &s, sizeof s, NULL, NULL),
                  ZX_ERR_WRONG_TYPE);
    zx_handle_t weak = dup(SELF, ZX_RIGHT_DUPLICATE);
    EXPECT_STATUS(zx_object_get_info(weak, ZX_INFO_TASK_STATS, &s, sizeof s, NULL, NULL),
                  ZX_ERR_ACCESS_DENIED);
}

CASE(task_stats, whole_process_adds_up)
{
    zx_info_task_stats_t s = stats();
    EXPECT_GT(s.mem_private_bytes, (size_t)0);
    EXPECT_GE(s.mem_mapped_bytes, s.mem_private_bytes + s.mem_shared_bytes);
    EXPECT_GE(s.mem_shared_bytes, s.mem_scaled_shared_bytes);
}

/* ---- zx_status_get_string ---- */

CASE(status, names)
{
    EXPECT_STR_EQ(zx_status_get_string(ZX_OK), "ZX_OK");
    EXPECT_STR_EQ(zx_status_get_string(ZX_ERR_NO_MEMORY), "ZX_ERR_NO_MEMORY");
    EXPECT_STR_EQ(zx_status_get_string(ZX_ERR_BAD_HANDLE), "ZX_ERR_BAD_HANDLE");
    EXPECT_STR_EQ(zx_status_get_string(ZX_ERR_INTERNAL_INTR_KILLED), "ZX_ERR_INTERNAL_INTR_KILLED");
    EXPECT_STR_EQ(zx_status_get_string(-5), "(UNKNOWN)");
    EXPECT_STR_EQ(zx_status_get_string(1), "(UNKNOWN)");
}

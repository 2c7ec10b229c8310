/* The harness's own test: every comparison of conf.h holds when it should
 * (group "holds", run normally) and fails when it should (group "breaks",
 * run with --expect-failure, where a case passes only if every check it
 * made failed). Signed values compare as signed, a negative signed value is
 * below every unsigned one, ASSERT_* ends the case, and a case that leaks a
 * handle (even one whose region is destroyed), a region or a mapping
 * fails. */
#include "conf.h"

/* Values the compiler cannot fold, so the comparisons run in the guest. */
static volatile int minus_one_v = -1;
static volatile int64_t minus_big_v = INT64_MIN;
static volatile uint64_t all_ones_v = UINT64_MAX;
static volatile uint32_t u32_max_v = UINT32_MAX;
static volatile int32_t status_v = ZX_ERR_NOT_FOUND;

/* ---- comparisons that hold ---- */

CASE(holds, signed_against_signed)
{
    int j = minus_one_v;
    EXPECT_LT(j, 0);
    EXPECT_LE(j, 0);
    EXPECT_LE(j, -1);
    EXPECT_GE(j, -1);
    EXPECT_GT(j, -2);
    EXPECT_NE(j, 0);
    EXPECT_EQ(j, -1);
    EXPECT_LT(minus_big_v, j);
    EXPECT_EQ((int8_t)j, (int64_t)-1);
}

CASE(holds, signed_against_unsigned)
{
    int j = minus_one_v;
    uint64_t big = all_ones_v;
    /* As numbers, not as C's usual conversions would compare them. */
    EXPECT_LT(j, 0u);
    EXPECT_LT(j, big);
    EXPECT_GT(big, j);
    EXPECT_NE(big, j);
    EXPECT_NE((uint32_t)u32_max_v, j);
    EXPECT_LT(minus_big_v, (uint64_t)0);
    EXPECT_EQ((uint64_t)5, 5);
    EXPECT_GE((size_t)3, (int64_t)3);
}

CASE(holds, unsigned_against_unsigned)
{
    uint64_t big = all_ones_v;
    EXPECT_GT(big, (uint64_t)INT64_MAX);
    EXPECT_EQ(big, UINT64_MAX);
    EXPECT_GE((uint32_t)u32_max_v, (uint8_t)255);
    EXPECT_LT((uint16_t)1, (uint64_t)2);
}

CASE(holds, the_other_checks)
{
    static const uint8_t zeros[8];
    EXPECT_STATUS(status_v, ZX_ERR_NOT_FOUND);
    EXPECT_OK(status_v + 25);
    EXPECT_STATUS_EITHER(status_v, ZX_ERR_INVALID_ARGS, ZX_ERR_NOT_FOUND);
    EXPECT_TRUE(minus_one_v < 0);
    EXPECT_FALSE(minus_one_v > 0);
    EXPECT_STR_EQ("abc", "abc");
    EXPECT_BYTES_EQ(zeros, zeros, sizeof zeros);
    EXPECT_FILLED(zeros, 0, sizeof zeros);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, 16, 0x5A);
    EXPECT_VMO_FILLED(vmo, 0, 16, 0x5A);
    EXPECT_VMO_FILLED(vmo, 16, PAGE - 16, 0);
}

/* ---- comparisons that must fail (run with --expect-failure) ---- */

CASE(breaks, negative_is_not_at_least_zero)
{
    int j = minus_one_v;
    EXPECT_GE(j, 0);
    EXPECT_GT(j, 0);
    EXPECT_EQ(j, 0);
    EXPECT_GE(j, 0u);
    EXPECT_GE(j, all_ones_v);
    EXPECT_GT(minus_big_v, (uint64_t)0);
}

CASE(breaks, minus_one_is_not_all_ones)
{
    int j = minus_one_v;
    EXPECT_EQ(all_ones_v, j);
    EXPECT_EQ(j, all_ones_v);
    EXPECT_EQ((uint32_t)u32_max_v, j);
    EXPECT_LE(all_ones_v, j);
    EXPECT_LT(all_ones_v, j);
}

CASE(breaks, each_operator)
{
    EXPECT_EQ(minus_one_v, -2);
    EXPECT_NE(minus_one_v, -1);
    EXPECT_LT(minus_one_v, -1);
    EXPECT_LE(minus_one_v, -2);
    EXPECT_GT(minus_one_v, -1);
    EXPECT_GE(minus_one_v, 0);
    EXPECT_EQ(all_ones_v, 0u);
    EXPECT_LT(all_ones_v, 1u);
    EXPECT_GT((uint64_t)0, all_ones_v);
}

CASE(breaks, the_other_checks)
{
    static const uint8_t zeros[8];
    static const uint8_t ones[8] = {0, 0, 0, 0, 0, 0, 0, 1};
    EXPECT_STATUS(status_v, ZX_ERR_INVALID_ARGS);
    EXPECT_OK(status_v);
    EXPECT_STATUS_EITHER(status_v, ZX_OK, ZX_ERR_INVALID_ARGS);
    EXPECT_TRUE(minus_one_v > 0);
    EXPECT_FALSE(minus_one_v < 0);
    EXPECT_STR_EQ("abc", "abd");
    EXPECT_BYTES_EQ(zeros, ones, sizeof zeros);
    EXPECT_FILLED(ones, 0, sizeof ones);
}

CASE(breaks, vmo_contents)
{
    zx_handle_t vmo = ZX_HANDLE_INVALID;
    zx_vmo_create(PAGE, 0, &vmo);
    track(vmo);
    zx_vmo_write(vmo, "x", PAGE - 1, 1);
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0);
}

CASE(breaks, assert_ends_the_case)
{
    ASSERT_GE(minus_one_v, 0);
    /* Never reached: a check that holds here would make the case fail. */
    EXPECT_EQ(1, 1);
}

CASE(breaks, assert_status_ends_the_case)
{
    ASSERT_OK(status_v);
    EXPECT_EQ(1, 1);
}

CASE(breaks, leaked_vmo_handle)
{
    zx_handle_t vmo = ZX_HANDLE_INVALID;
    zx_vmo_create(PAGE, 0, &vmo);
}

CASE(breaks, leaked_mapping)
{
    zx_handle_t vmo = ZX_HANDLE_INVALID;
    zx_vmo_create(PAGE, 0, &vmo);
    track(vmo);
    zx_vaddr_t addr = 0;
    zx_vmar_map(ROOT, ZX_VM_PERM_READ, 0, vmo, 0, PAGE, &addr);
}

CASE(breaks, leaked_region)
{
    zx_handle_t vmar = ZX_HANDLE_INVALID;
    zx_vaddr_t addr = 0;
    zx_vmar_allocate(ROOT, ZX_VM_CAN_MAP_READ, 0, PAGE, &vmar, &addr);
    track(vmar);
}

CASE(breaks, leaked_handle_of_destroyed_region)
{
    /* No mapping record shows it: only the handle count does. */
    zx_handle_t vmar = ZX_HANDLE_INVALID;
    zx_vaddr_t addr = 0;
    zx_vmar_allocate(ROOT, ZX_VM_CAN_MAP_READ, 0, PAGE, &vmar, &addr);
    zx_vmar_destroy(vmar);
}

CASE(breaks, leaked_duplicate)
{
    zx_handle_t vmo = ZX_HANDLE_INVALID, copy = ZX_HANDLE_INVALID;
    zx_vmo_create(PAGE, 0, &vmo);
    track(vmo);
    zx_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, &copy);
    /* The duplicate shows as one more PROCESS_VMOS record too. */
}

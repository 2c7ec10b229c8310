/* Conformance: zx_vmo_create, zx_vmo_read/write, zx_vmo_get_size/set_size,
 * content size, zx_vmo_set_cache_policy, zx_vmo_replace_as_executable
 * (docs/semantics.md "zx_vmo_create" to "zx_vmo_set_cache_policy", "User pointers"). */
#include "conf.h"

#define VMO_RIGHTS ((zx_rights_t)0xD0EF)

/* ---- zx_vmo_create ---- */

CASE(vmo_create, basic_record)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    EXPECT_EQ(vmo & ZX_HANDLE_FIXED_BITS_MASK, ZX_HANDLE_FIXED_BITS_MASK);
    zx_info_handle_basic_t b = basic(vmo);
    EXPECT_EQ(b.type, ZX_OBJ_TYPE_VMO);
    EXPECT_EQ(b.rights, VMO_RIGHTS);
    EXPECT_EQ(b.rights, ZX_DEFAULT_VMO_RIGHTS);
    EXPECT_GE(b.koid, ZX_KOID_FIRST);
    EXPECT_EQ(b.related_koid, 0);
    zx_info_vmo_t info = vmo_info(vmo);
    EXPECT_EQ(info.koid, b.koid);
    EXPECT_EQ(info.size_bytes, 4 * PAGE);
    EXPECT_EQ(info.committed_bytes, 0);
    EXPECT_EQ(info.parent_koid, 0);
    EXPECT_EQ(info.num_children, 0);
    EXPECT_EQ(info.num_mappings, 0);
    EXPECT_EQ(info.flags, ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE);
    EXPECT_EQ(info.handle_rights, VMO_RIGHTS);
    EXPECT_EQ(info.cache_policy, ZX_CACHE_POLICY_CACHED);
    EXPECT_STR_EQ(info.name, "");
    EXPECT_EQ(vmo_size(vmo), 4 * PAGE);
}

CASE(vmo_create, contents_start_zero_and_reading_commits_nothing)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    EXPECT_VMO_FILLED(vmo, 0, 4 * PAGE, 0);
    EXPECT_EQ(committed(vmo), 0);
}

CASE(vmo_create, size_rounds_up_content_size_does_not)
{
    zx_handle_t vmo = vmo_create(1, 0);
    EXPECT_EQ(vmo_size(vmo), PAGE);
    EXPECT_EQ(content_size(vmo), 1);
    uint64_t stream = 0;
    EXPECT_OK(zx_vmo_get_stream_size(vmo, &stream));
    EXPECT_EQ(stream, 1);
    zx_handle_t vmo2 = vmo_create(PAGE + 7, 0);
    EXPECT_EQ(vmo_size(vmo2), 2 * PAGE);
    EXPECT_EQ(content_size(vmo2), PAGE + 7);
}

CASE(vmo_create, zero_size_is_legal)
{
    zx_handle_t vmo = vmo_create(0, 0);
    EXPECT_EQ(vmo_size(vmo), 0);
    uint8_t b = 0;
    EXPECT_OK(zx_vmo_read(vmo, &b, 0, 0));
    EXPECT_STATUS(zx_vmo_read(vmo, &b, 0, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_write(vmo, &b, 0, 1), ZX_ERR_OUT_OF_RANGE);
}

CASE(vmo_create, resizable_gets_resize_right)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    EXPECT_EQ(rights_of(vmo), VMO_RIGHTS | ZX_RIGHT_RESIZE);
    EXPECT_EQ(rights_of(vmo), 0x40D0EF);
    zx_info_vmo_t info = vmo_info(vmo);
    EXPECT_EQ(info.flags, 0xB);
    EXPECT_EQ(info.handle_rights, 0x40D0EF);
}

CASE(vmo_create, discardable_flag_and_rights)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_DISCARDABLE);
    EXPECT_EQ(rights_of(vmo), VMO_RIGHTS);
    zx_info_vmo_t info = vmo_info(vmo);
    EXPECT_EQ(info.flags,
              ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE | ZX_INFO_VMO_DISCARDABLE);
}

CASE(vmo_create, discardable_resizable_allowed)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_DISCARDABLE | ZX_VMO_RESIZABLE);
    EXPECT_EQ(rights_of(vmo), VMO_RIGHTS | ZX_RIGHT_RESIZE);
    EXPECT_EQ(vmo_info(vmo).flags & (ZX_INFO_VMO_DISCARDABLE | ZX_INFO_VMO_RESIZABLE),
              ZX_INFO_VMO_DISCARDABLE | ZX_INFO_VMO_RESIZABLE);
}

CASE(vmo_create, unbounded_size_is_maximum)
{
    zx_handle_t vmo = vmo_create(100, ZX_VMO_UNBOUNDED);
    EXPECT_EQ(vmo_size(vmo), MAX_VMO_SIZE);
    EXPECT_EQ(content_size(vmo), 100);
    EXPECT_EQ(rights_of(vmo), VMO_RIGHTS);
    EXPECT_EQ(vmo_info(vmo).flags & ZX_INFO_VMO_RESIZABLE, 0);
    EXPECT_STATUS(zx_vmo_set_size(vmo, PAGE), ZX_ERR_UNAVAILABLE);
    /* Reads far out are zeros and commit nothing. */
    EXPECT_VMO_FILLED(vmo, MAX_VMO_SIZE - PAGE, PAGE, 0);
    vmo_fill(vmo, 1ull << 40, 10, 0x42);
    EXPECT_EQ(vmo_byte(vmo, (1ull << 40) + 9), 0x42);
    EXPECT_EQ(committed(vmo), PAGE);
}

CASE(vmo_create, resizable_with_unbounded_is_invalid)
{
    zx_handle_t h = 0;
    EXPECT_STATUS(zx_vmo_create(PAGE, ZX_VMO_RESIZABLE | ZX_VMO_UNBOUNDED, &h),
                  ZX_ERR_INVALID_ARGS);
    /* Step 2 comes before the size check. */
    EXPECT_STATUS(zx_vmo_create(UINT64_MAX, ZX_VMO_RESIZABLE | ZX_VMO_UNBOUNDED, &h),
                  ZX_ERR_INVALID_ARGS);
}

CASE(vmo_create, unknown_option_bits_are_invalid)
{
    zx_handle_t h = 0;
    EXPECT_STATUS(zx_vmo_create(PAGE, 1u << 0, &h), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create(PAGE, ZX_VMO_TRAP_DIRTY, &h), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create(PAGE, 1u << 5, &h), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create(PAGE, 1u << 31, &h), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_create(PAGE, ZX_VMO_RESIZABLE | (1u << 8), &h), ZX_ERR_INVALID_ARGS);
}

CASE(vmo_create, maximum_size_is_creatable)
{
    zx_handle_t vmo = vmo_create(MAX_VMO_SIZE, 0);
    EXPECT_EQ(vmo_size(vmo), MAX_VMO_SIZE);
    EXPECT_EQ(committed(vmo), 0);
    /* Rounds up to exactly the maximum. */
    zx_handle_t vmo2 = vmo_create(MAX_VMO_SIZE - PAGE + 1, 0);
    EXPECT_EQ(vmo_size(vmo2), MAX_VMO_SIZE);
}

CASE(vmo_create, too_large_is_out_of_range)
{
    zx_handle_t h = 0;
    EXPECT_STATUS(zx_vmo_create(MAX_VMO_SIZE + 1, 0, &h), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_create(MAX_VMO_SIZE + PAGE, 0, &h), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_create(UINT64_MAX, 0, &h), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_create(UINT64_MAX - PAGE + 2, ZX_VMO_RESIZABLE, &h), ZX_ERR_OUT_OF_RANGE);
}

CASE(vmo_create, size_checked_before_option_bits)
{
    zx_handle_t h = 0;
    /* Step 3 (size) precedes step 4 (unknown bits). */
    EXPECT_STATUS(zx_vmo_create(UINT64_MAX, 1u << 5, &h), ZX_ERR_OUT_OF_RANGE);
}

CASE(vmo_create, unbounded_stream_size_limits)
{
    zx_handle_t h = 0;
    EXPECT_STATUS(zx_vmo_create(MAX_VMO_SIZE + 1, ZX_VMO_UNBOUNDED, &h), ZX_ERR_OUT_OF_RANGE);
    /* Unknown bits (step 4) beat the stream-size check (step 5). */
    EXPECT_STATUS(zx_vmo_create(UINT64_MAX, ZX_VMO_UNBOUNDED | (1u << 5), &h), ZX_ERR_INVALID_ARGS);
    zx_handle_t vmo = vmo_create(MAX_VMO_SIZE, ZX_VMO_UNBOUNDED);
    EXPECT_EQ(content_size(vmo), MAX_VMO_SIZE);
}

CASE(vmo_create, bad_out_pointer)
{
    size_t before = conf_avail(ZX_INFO_PROCESS_VMOS);
    EXPECT_STATUS(zx_vmo_create(PAGE, 0, NULL), ZX_ERR_INVALID_ARGS);
    zx_vaddr_t base = 0;
    scratch(4 * PAGE, &base);
    EXPECT_STATUS(zx_vmo_create(PAGE, 0, (zx_handle_t *)(base + PAGE)), ZX_ERR_INVALID_ARGS);
    /* The new VMO was dropped: no new handle in the process. */
    EXPECT_EQ(conf_avail(ZX_INFO_PROCESS_VMOS), before);
}

CASE(vmo_create, out_pointer_in_read_only_mapping)
{
    zx_handle_t page = vmo_create(PAGE, 0);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    zx_vaddr_t ro = map(vmar, ZX_VM_PERM_READ, 0, page, 0, PAGE);
    size_t before = conf_avail(ZX_INFO_PROCESS_VMOS);
    EXPECT_STATUS(zx_vmo_create(PAGE, 0, (zx_handle_t *)ro), ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(conf_avail(ZX_INFO_PROCESS_VMOS), before);
    EXPECT_EQ(*(volatile zx_handle_t *)ro, 0);
}

CASE(vmo_create, distinct_koids_and_handles)
{
    zx_handle_t a = vmo_create(PAGE, 0);
    zx_handle_t b = vmo_create(PAGE, 0);
    EXPECT_NE(a, b);
    EXPECT_NE(koid_of(a), koid_of(b));
    EXPECT_NE(koid_of(a), koid_of(SELF));
    EXPECT_NE(koid_of(a), koid_of(ROOT));
}

CASE(vmo_create, zero_children_signal_starts_asserted)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_TRUE(signaled(vmo, ZX_VMO_ZERO_CHILDREN));
}

/* ---- zx_vmo_read / zx_vmo_write ---- */

static uint8_t io_buf[3 * 4096];

CASE(vmo_rw, write_then_read_round_trip)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    static const char msg[] = "zircon conformance";
    EXPECT_OK(zx_vmo_write(vmo, msg, PAGE + 5, sizeof msg));
    char back[sizeof msg];
    memset(back, 0, sizeof back);
    EXPECT_OK(zx_vmo_read(vmo, back, PAGE + 5, sizeof back));
    EXPECT_STR_EQ(back, msg);
    EXPECT_VMO_FILLED(vmo, PAGE, 5, 0);
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0);
}

CASE(vmo_rw, writes_commit_touched_pages)
{
    zx_handle_t vmo = vmo_create(8 * PAGE, 0);
    uint8_t b = 1;
    EXPECT_OK(zx_vmo_write(vmo, &b, PAGE + 5, 1));
    EXPECT_EQ(committed(vmo), PAGE);
    /* A write straddling pages 3 and 4 commits both. */
    memset(io_buf, 7, 32);
    EXPECT_OK(zx_vmo_write(vmo, io_buf, 4 * PAGE - 16, 32));
    EXPECT_EQ(committed(vmo), 3 * PAGE);
    /* Re-writing committed pages adds nothing. */
    EXPECT_OK(zx_vmo_write(vmo, io_buf, PAGE, 32));
    EXPECT_EQ(committed(vmo), 3 * PAGE);
    /* Reading everything commits nothing more. */
    EXPECT_OK(zx_vmo_read(vmo, io_buf, 5 * PAGE, 3 * PAGE));
    EXPECT_EQ(committed(vmo), 3 * PAGE);
}

CASE(vmo_rw, read_needs_read_right)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t wo = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_READ);
    uint8_t b = 0;
    EXPECT_STATUS(zx_vmo_read(wo, &b, 0, 1), ZX_ERR_ACCESS_DENIED);
    /* The rights check also applies to zero-length transfers. */
    EXPECT_STATUS(zx_vmo_read(wo, &b, 0, 0), ZX_ERR_ACCESS_DENIED);
    EXPECT_OK(zx_vmo_write(wo, &b, 0, 1));
}

CASE(vmo_rw, write_needs_write_right)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t ro = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    uint8_t b = 9;
    EXPECT_STATUS(zx_vmo_write(ro, &b, 0, 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_vmo_write(ro, &b, 0, 0), ZX_ERR_ACCESS_DENIED);
    EXPECT_OK(zx_vmo_read(ro, &b, 0, 1));
    EXPECT_EQ(committed(vmo), 0);
}

CASE(vmo_rw, bad_handles)
{
    uint8_t b = 0;
    EXPECT_STATUS(zx_vmo_read(ZX_HANDLE_INVALID, &b, 0, 1), ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_vmo_write(ZX_HANDLE_INVALID, &b, 0, 1), ZX_ERR_BAD_HANDLE);
    /* A value with the fixed low bits clear can never be a handle. */
    EXPECT_STATUS(zx_vmo_read(0x12345670, &b, 0, 1), ZX_ERR_BAD_HANDLE);
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
    ASSERT_OK(zx_handle_close(vmo));
    EXPECT_STATUS(zx_vmo_read(vmo, &b, 0, 1), ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_vmo_write(vmo, &b, 0, 1), ZX_ERR_BAD_HANDLE);
}

CASE(vmo_rw, wrong_type_beats_rights)
{
    uint8_t b = 0;
    EXPECT_STATUS(zx_vmo_read(ROOT, &b, 0, 1), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmo_write(ROOT, &b, 0, 1), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmo_read(SELF, &b, 0, 1), ZX_ERR_WRONG_TYPE);
    zx_handle_t none = dup(ROOT, ZX_RIGHT_NONE);
    EXPECT_STATUS(zx_vmo_read(none, &b, 0, 1), ZX_ERR_WRONG_TYPE);
}

CASE(vmo_rw, range_checks)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    uint8_t b[4] = {0};
    EXPECT_OK(zx_vmo_read(vmo, b, 2 * PAGE, 0));
    EXPECT_OK(zx_vmo_write(vmo, b, 2 * PAGE, 0));
    EXPECT_STATUS(zx_vmo_read(vmo, b, 2 * PAGE + 1, 0), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_write(vmo, b, 2 * PAGE + 1, 0), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_read(vmo, b, 2 * PAGE - 1, 2), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_write(vmo, b, 2 * PAGE - 1, 2), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_read(vmo, b, 2 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(zx_vmo_read(vmo, b, 2 * PAGE - 1, 1));
    /* offset + length overflows 64 bits. */
    EXPECT_STATUS(zx_vmo_read(vmo, b, UINT64_MAX, 2), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_write(vmo, b, UINT64_MAX - 1, 4), ZX_ERR_OUT_OF_RANGE);
    /* Nothing was written by the failed writes. */
    EXPECT_EQ(committed(vmo), 0);
}

CASE(vmo_rw, null_buffer_is_not_found)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    /* Current kernel: NOT_FOUND (older docs said INVALID_ARGS). */
    EXPECT_STATUS(zx_vmo_read(vmo, NULL, 0, 16), ZX_ERR_NOT_FOUND);
    EXPECT_STATUS(zx_vmo_write(vmo, NULL, 0, 16), ZX_ERR_NOT_FOUND);
}

CASE(vmo_rw, zero_length_null_buffer_ok)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    /* No byte moves, so no copy can fault. */
    EXPECT_OK(zx_vmo_read(vmo, NULL, 0, 0));
    EXPECT_OK(zx_vmo_write(vmo, NULL, 0, 0));
}

CASE(vmo_rw, unmapped_buffer_is_not_found)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_vaddr_t base = 0;
    scratch(4 * PAGE, &base);
    EXPECT_STATUS(zx_vmo_read(vmo, (void *)(base + PAGE), 0, 16), ZX_ERR_NOT_FOUND);
    EXPECT_STATUS(zx_vmo_write(vmo, (void *)(base + PAGE), 0, 16), ZX_ERR_NOT_FOUND);
    EXPECT_EQ(committed(vmo), 0);
}

CASE(vmo_rw, kernel_address_buffer_is_not_found)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_STATUS(zx_vmo_read(vmo, (void *)KERNEL_ADDR, 0, 16), ZX_ERR_NOT_FOUND);
    EXPECT_STATUS(zx_vmo_write(vmo, (void *)KERNEL_ADDR, 0, 16), ZX_ERR_NOT_FOUND);
    /* Just past the user address space. */
    EXPECT_STATUS(zx_vmo_read(vmo, (void *)(USER_BASE + USER_LEN), 0, 16), ZX_ERR_NOT_FOUND);
}

CASE(vmo_rw, read_into_read_only_mapping_is_access_denied)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, 16, 0x11);
    zx_handle_t target = vmo_create(PAGE, 0);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    zx_vaddr_t ro = map(vmar, ZX_VM_PERM_READ, 0, target, 0, PAGE);
    EXPECT_STATUS(zx_vmo_read(vmo, (void *)ro, 0, 16), ZX_ERR_ACCESS_DENIED);
    EXPECT_VMO_FILLED(target, 0, PAGE, 0);
    /* Writing *from* a read-only mapping only reads it: fine. */
    EXPECT_OK(zx_vmo_write(vmo, (void *)ro, 0, 16));
    EXPECT_VMO_FILLED(vmo, 0, 16, 0);
}

CASE(vmo_rw, buffer_in_no_access_mapping_is_access_denied)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t target = vmo_create(PAGE, 0);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    zx_vaddr_t none = map(vmar, 0, 0, target, 0, PAGE);
    EXPECT_STATUS(zx_vmo_read(vmo, (void *)none, 0, 16), ZX_ERR_ACCESS_DENIED);
    EXPECT_STATUS(zx_vmo_write(vmo, (void *)none, 0, 16), ZX_ERR_ACCESS_DENIED);
}

CASE(vmo_rw, buffer_beyond_end_of_shrunk_vmo_is_out_of_range)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t target = vmo_create(2 * PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    zx_vaddr_t addr = map(vmar, RW, 0, target, 0, 2 * PAGE);
    ASSERT_OK(zx_vmo_set_size(target, PAGE));
    EXPECT_STATUS(zx_vmo_read(vmo, (void *)(addr + PAGE), 0, 16), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_write(vmo, (void *)(addr + PAGE), 0, 16), ZX_ERR_OUT_OF_RANGE);
    /* The first page is still fine. */
    EXPECT_OK(zx_vmo_read(vmo, (void *)addr, 0, 16));
}

CASE(vmo_rw, buffer_in_mapping_larger_than_vmo_is_out_of_range)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t target = vmo_create(PAGE, 0);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    /* Current kernels allow a mapping past the end of a fixed-size VMO. */
    zx_vaddr_t addr = map(vmar, RW, 0, target, 0, 2 * PAGE);
    EXPECT_STATUS(zx_vmo_read(vmo, (void *)(addr + PAGE), 0, 8), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_write(vmo, (void *)(addr + PAGE), 0, 8), ZX_ERR_OUT_OF_RANGE);
}

CASE(vmo_rw, buffer_straddling_into_unmapped_space_fails)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t target = vmo_create(PAGE, 0);
    zx_vaddr_t base = 0;
    zx_handle_t vmar = scratch(4 * PAGE, &base);
    zx_vaddr_t addr = map(vmar, RW | ZX_VM_SPECIFIC, 0, target, 0, PAGE);
    ASSERT_EQ(addr, base);
    EXPECT_STATUS(zx_vmo_read(vmo, (void *)(addr + PAGE - 8), 0, 16), ZX_ERR_NOT_FOUND);
    EXPECT_STATUS(zx_vmo_write(vmo, (void *)(addr + PAGE - 8), 0, 16), ZX_ERR_NOT_FOUND);
}

CASE(vmo_rw, read_into_mapping_of_same_vmo)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, PAGE, PAGE, 0x77);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    zx_vaddr_t addr = map(vmar, RW, 0, vmo, 0, 2 * PAGE);
    /* VMO page 1 into the mapping of VMO page 0. */
    EXPECT_OK(zx_vmo_read(vmo, (void *)addr, PAGE, PAGE));
    EXPECT_FILLED((uint8_t *)addr, 0x77, PAGE);
    EXPECT_VMO_FILLED(vmo, 0, 2 * PAGE, 0x77);
    /* And back the other way, from the mapping of page 0 into page 1. */
    memset((void *)addr, 0x12, PAGE);
    EXPECT_OK(zx_vmo_write(vmo, (void *)addr, PAGE, PAGE));
    EXPECT_VMO_FILLED(vmo, PAGE, PAGE, 0x12);
}

CASE(vmo_rw, mapping_and_vmo_io_agree)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    zx_vaddr_t addr = map(vmar, RW, 0, vmo, 0, 2 * PAGE);
    volatile uint8_t *p = (volatile uint8_t *)addr;
    p[PAGE + 3] = 0xAB;
    EXPECT_EQ(vmo_byte(vmo, PAGE + 3), 0xAB);
    uint8_t v = 0xCD;
    EXPECT_OK(zx_vmo_write(vmo, &v, 10, 1));
    EXPECT_EQ(p[10], 0xCD);
    EXPECT_EQ(committed(vmo), 2 * PAGE);
}

CASE(vmo_rw, large_transfer_across_many_pages)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, 0);
    for (size_t i = 0; i < sizeof io_buf; i++)
        io_buf[i] = (uint8_t)(i * 7 + 3);
    EXPECT_OK(zx_vmo_write(vmo, io_buf, 100, sizeof io_buf));
    static uint8_t back[3 * 4096];
    EXPECT_OK(zx_vmo_read(vmo, back, 100, sizeof back));
    EXPECT_BYTES_EQ(back, io_buf, sizeof back);
    EXPECT_EQ(committed(vmo), 4 * PAGE);
}

/* ---- zx_vmo_get_size ---- */

CASE(vmo_get_size, needs_no_rights)
{
    zx_handle_t vmo = vmo_create(3 * PAGE, 0);
    zx_handle_t none = dup(vmo, ZX_RIGHT_NONE);
    uint64_t size = 0;
    EXPECT_OK(zx_vmo_get_size(none, &size));
    EXPECT_EQ(size, 3 * PAGE);
}

CASE(vmo_get_size, errors)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    uint64_t size = 0;
    EXPECT_STATUS(zx_vmo_get_size(ZX_HANDLE_INVALID, &size), ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_vmo_get_size(ROOT, &size), ZX_ERR_WRONG_TYPE);
    EXPECT_STATUS(zx_vmo_get_size(vmo, NULL), ZX_ERR_INVALID_ARGS);
    zx_vaddr_t base = 0;
    scratch(PAGE * 2, &base);
    EXPECT_STATUS(zx_vmo_get_size(vmo, (uint64_t *)base), ZX_ERR_INVALID_ARGS);
}

/* ---- zx_vmo_set_size ---- */

CASE(vmo_set_size, grow_and_shrink)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    EXPECT_OK(zx_vmo_set_size(vmo, 5 * PAGE));
    EXPECT_EQ(vmo_size(vmo), 5 * PAGE);
    EXPECT_EQ(content_size(vmo), 5 * PAGE);
    EXPECT_VMO_FILLED(vmo, 0, 5 * PAGE, 0);
    EXPECT_OK(zx_vmo_set_size(vmo, PAGE + 1));
    EXPECT_EQ(vmo_size(vmo), 2 * PAGE);
    EXPECT_EQ(content_size(vmo), PAGE + 1);
    EXPECT_OK(zx_vmo_set_size(vmo, 0));
    EXPECT_EQ(vmo_size(vmo), 0);
    EXPECT_EQ(content_size(vmo), 0);
}

CASE(vmo_set_size, tail_of_last_page_is_zeroed)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, ZX_VMO_RESIZABLE);
    vmo_fill(vmo, 0, 2 * PAGE, 0xAA);
    ASSERT_OK(zx_vmo_set_size(vmo, 100));
    EXPECT_EQ(vmo_size(vmo), PAGE);
    EXPECT_EQ(content_size(vmo), 100);
    EXPECT_VMO_FILLED(vmo, 0, 100, 0xAA);
    EXPECT_VMO_FILLED(vmo, 100, PAGE - 100, 0);
}

CASE(vmo_set_size, shrink_frees_pages)
{
    zx_handle_t vmo = vmo_create(4 * PAGE, ZX_VMO_RESIZABLE);
    vmo_fill(vmo, 0, 4 * PAGE, 0x33);
    EXPECT_EQ(committed(vmo), 4 * PAGE);
    ASSERT_OK(zx_vmo_set_size(vmo, 2 * PAGE));
    EXPECT_EQ(committed(vmo), 2 * PAGE);
    EXPECT_VMO_FILLED(vmo, 0, 2 * PAGE, 0x33);
}

CASE(vmo_set_size, shrink_then_grow_reads_zero)
{
    zx_handle_t vmo = vmo_create(3 * PAGE, ZX_VMO_RESIZABLE);
    vmo_fill(vmo, 0, 3 * PAGE, 0x5C);
    ASSERT_OK(zx_vmo_set_size(vmo, PAGE));
    ASSERT_OK(zx_vmo_set_size(vmo, 3 * PAGE));
    EXPECT_VMO_FILLED(vmo, 0, PAGE, 0x5C);
    EXPECT_VMO_FILLED(vmo, PAGE, 2 * PAGE, 0);
    EXPECT_EQ(committed(vmo), PAGE);
}

CASE(vmo_set_size, not_resizable_is_unavailable)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    EXPECT_STATUS(zx_vmo_set_size(vmo, 4 * PAGE), ZX_ERR_UNAVAILABLE);
    EXPECT_STATUS(zx_vmo_set_size(vmo, PAGE), ZX_ERR_UNAVAILABLE);
    EXPECT_STATUS(zx_vmo_set_size(vmo, 2 * PAGE), ZX_ERR_UNAVAILABLE);
    EXPECT_EQ(vmo_size(vmo), 2 * PAGE);
}

CASE(vmo_set_size, needs_write_right)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t ro = dup(vmo, 0x40D0EF & ~ZX_RIGHT_WRITE);
    EXPECT_STATUS(zx_vmo_set_size(ro, 2 * PAGE), ZX_ERR_ACCESS_DENIED);
    /* A fixed-size VMO through a handle without WRITE: the right check
     * (step 1) comes before UNAVAILABLE (step 4). */
    zx_handle_t fixed = vmo_create(PAGE, 0);
    zx_handle_t fixed_ro = dup(fixed, VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    EXPECT_STATUS(zx_vmo_set_size(fixed_ro, 2 * PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_EQ(vmo_size(vmo), PAGE);
}

CASE(vmo_set_size, resizable_needs_resize_right)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t no_resize = dup(vmo, VMO_RIGHTS);
    EXPECT_STATUS(zx_vmo_set_size(no_resize, 2 * PAGE), ZX_ERR_ACCESS_DENIED);
    EXPECT_EQ(vmo_size(vmo), PAGE);
}

CASE(vmo_set_size, rounding_overflow_is_out_of_range)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    EXPECT_STATUS(zx_vmo_set_size(vmo, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_set_size(vmo, UINT64_MAX - PAGE + 2), ZX_ERR_OUT_OF_RANGE);
    /* Step 3 (overflow) precedes step 4 (not resizable). */
    zx_handle_t fixed = vmo_create(PAGE, 0);
    EXPECT_STATUS(zx_vmo_set_size(fixed, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
    EXPECT_EQ(vmo_size(vmo), PAGE);
}

CASE(vmo_set_size, above_maximum_is_out_of_range)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    EXPECT_STATUS(zx_vmo_set_size(vmo, MAX_VMO_SIZE + PAGE), ZX_ERR_OUT_OF_RANGE);
    /* For a fixed-size VMO, UNAVAILABLE (step 4) comes first. */
    zx_handle_t fixed = vmo_create(PAGE, 0);
    EXPECT_STATUS(zx_vmo_set_size(fixed, MAX_VMO_SIZE + PAGE), ZX_ERR_UNAVAILABLE);
    EXPECT_OK(zx_vmo_set_size(vmo, MAX_VMO_SIZE));
    EXPECT_EQ(vmo_size(vmo), MAX_VMO_SIZE);
    EXPECT_EQ(committed(vmo), 0);
}

CASE(vmo_set_size, bad_handles)
{
    EXPECT_STATUS(zx_vmo_set_size(ZX_HANDLE_INVALID, PAGE), ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_vmo_set_size(ROOT, PAGE), ZX_ERR_WRONG_TYPE);
}

CASE(vmo_set_size, trims_content_size)
{
    zx_handle_t vmo = vmo_create(3 * PAGE, ZX_VMO_RESIZABLE);
    EXPECT_EQ(content_size(vmo), 3 * PAGE);
    ASSERT_OK(zx_vmo_set_size(vmo, PAGE));
    EXPECT_EQ(content_size(vmo), PAGE);
    uint64_t stream = 0;
    EXPECT_OK(zx_vmo_get_stream_size(vmo, &stream));
    EXPECT_EQ(stream, PAGE);
}

CASE(vmo_set_size, mapping_survives_and_sees_growth)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    /* Current kernels map resizable VMOs without ZX_VM_ALLOW_FAULTS. */
    zx_vaddr_t addr = map(vmar, RW, 0, vmo, 0, 2 * PAGE);
    volatile uint8_t *p = (volatile uint8_t *)addr;
    p[PAGE] = 0x99;
    ASSERT_OK(zx_vmo_set_size(vmo, PAGE));
    /* Page 1 was freed; page 0 was never written. */
    EXPECT_EQ(committed(vmo), 0);
    ASSERT_OK(zx_vmo_set_size(vmo, 2 * PAGE));
    /* The regained page reads zero through the old mapping... */
    EXPECT_EQ(p[PAGE], 0);
    /* ...and stores through it reach the VMO. */
    p[PAGE + 1] = 0x44;
    EXPECT_EQ(vmo_byte(vmo, PAGE + 1), 0x44);
}

CASE(vmo_set_size, shrink_zeroes_partial_page_seen_through_mapping)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t vmar = scratch(2 * PAGE, NULL);
    zx_vaddr_t addr = map(vmar, RW, 0, vmo, 0, PAGE);
    memset((void *)addr, 0xEE, PAGE);
    ASSERT_OK(zx_vmo_set_size(vmo, 10));
    EXPECT_FILLED((uint8_t *)addr, 0xEE, 10);
    EXPECT_FILLED((uint8_t *)addr + 10, 0, PAGE - 10);
}

/* ---- content size through the property ---- */

CASE(content_size, set_property_zeroes_tail_keeps_size)
{
    zx_handle_t vmo = vmo_create(2 * PAGE, 0);
    vmo_fill(vmo, 0, 2 * PAGE, 0x66);
    uint64_t cs = 100;
    ASSERT_OK(zx_object_set_property(vmo, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs));
    EXPECT_EQ(content_size(vmo), 100);
    EXPECT_EQ(vmo_size(vmo), 2 * PAGE);
    EXPECT_VMO_FILLED(vmo, 0, 100, 0x66);
    EXPECT_VMO_FILLED(vmo, 100, 2 * PAGE - 100, 0);
}

CASE(content_size, set_needs_write_and_set_property)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    uint64_t cs = 10;
    zx_handle_t no_write = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    EXPECT_STATUS(zx_object_set_property(no_write, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs),
                  ZX_ERR_ACCESS_DENIED);
    zx_handle_t no_set = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_SET_PROPERTY);
    EXPECT_STATUS(zx_object_set_property(no_set, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs),
                  ZX_ERR_ACCESS_DENIED);
    zx_handle_t no_get = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_GET_PROPERTY);
    EXPECT_STATUS(zx_object_get_property(no_get, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs),
                  ZX_ERR_ACCESS_DENIED);
    EXPECT_EQ(content_size(vmo), PAGE);
}

/* ---- zx_vmo_set_cache_policy ---- */

CASE(cache_policy, fresh_vmo_switches_freely)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    static const uint32_t policies[] = {ZX_CACHE_POLICY_UNCACHED, ZX_CACHE_POLICY_UNCACHED_DEVICE,
                                        ZX_CACHE_POLICY_WRITE_COMBINING, ZX_CACHE_POLICY_CACHED};
    for (size_t i = 0; i < 4; i++) {
        EXPECT_OK(zx_vmo_set_cache_policy(vmo, policies[i]));
        EXPECT_EQ(vmo_info(vmo).cache_policy, policies[i]);
    }
}

CASE(cache_policy, bad_policy_checked_before_handle)
{
    EXPECT_STATUS(zx_vmo_set_cache_policy(ZX_HANDLE_INVALID, 4), ZX_ERR_INVALID_ARGS);
    EXPECT_STATUS(zx_vmo_set_cache_policy(ROOT, 0x100), ZX_ERR_INVALID_ARGS);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    EXPECT_STATUS(zx_vmo_set_cache_policy(vmo, 4), ZX_ERR_INVALID_ARGS);
    EXPECT_EQ(vmo_info(vmo).cache_policy, ZX_CACHE_POLICY_CACHED);
}

CASE(cache_policy, handle_checks)
{
    EXPECT_STATUS(zx_vmo_set_cache_policy(ZX_HANDLE_INVALID, 1), ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_vmo_set_cache_policy(ROOT, 1), ZX_ERR_WRONG_TYPE);
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t no_map = dup(vmo, VMO_RIGHTS & ~ZX_RIGHT_MAP);
    EXPECT_STATUS(zx_vmo_set_cache_policy(no_map, 1), ZX_ERR_ACCESS_DENIED);
    /* MAP is the only right needed. */
    zx_handle_t only_map = dup(vmo, ZX_RIGHT_MAP);
    EXPECT_OK(zx_vmo_set_cache_policy(only_map, 1));
}

CASE(cache_policy, mapped_vmo_is_bad_state)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t vmar = scratch(2 * PAGE, NULL);
    zx_vaddr_t addr = map(vmar, ZX_VM_PERM_READ, 0, vmo, 0, PAGE);
    EXPECT_STATUS(zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_UNCACHED), ZX_ERR_BAD_STATE);
    ASSERT_OK(zx_vmar_unmap(vmar, addr, PAGE));
    EXPECT_OK(zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_UNCACHED));
}

CASE(cache_policy, parent_or_child_is_bad_state)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    zx_handle_t c = child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    EXPECT_STATUS(zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_UNCACHED), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmo_set_cache_policy(c, ZX_CACHE_POLICY_UNCACHED), ZX_ERR_BAD_STATE);
    zx_handle_t s = child(vmo, ZX_VMO_CHILD_SLICE, 0, PAGE);
    EXPECT_STATUS(zx_vmo_set_cache_policy(s, ZX_CACHE_POLICY_UNCACHED), ZX_ERR_BAD_STATE);
    ASSERT_OK(zx_handle_close(c));
    ASSERT_OK(zx_handle_close(s));
    EXPECT_OK(zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_UNCACHED));
}

CASE(cache_policy, committed_pages_only_block_leaving_uncached)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    vmo_fill(vmo, 0, 8, 1);
    /* Committed pages under CACHED: switching away is allowed. */
    EXPECT_OK(zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_UNCACHED));
    /* Committed pages under a non-CACHED policy: BAD_STATE. */
    EXPECT_STATUS(zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_CACHED), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_WRITE_COMBINING), ZX_ERR_BAD_STATE);
    EXPECT_EQ(vmo_info(vmo).cache_policy, ZX_CACHE_POLICY_UNCACHED);
}

CASE(cache_policy, uncached_blocks_read_write_and_snapshots)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    ASSERT_OK(zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_UNCACHED_DEVICE));
    uint8_t b = 0;
    EXPECT_STATUS(zx_vmo_read(vmo, &b, 0, 1), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmo_write(vmo, &b, 0, 1), ZX_ERR_BAD_STATE);
    /* The range check (step 2) comes first. */
    EXPECT_STATUS(zx_vmo_read(vmo, &b, PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    zx_handle_t c = 0;
    EXPECT_STATUS(zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c), ZX_ERR_BAD_STATE);
    EXPECT_STATUS(zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, PAGE, &c),
                  ZX_ERR_BAD_STATE);
    EXPECT_EQ(vmo_info(vmo).num_children, 0);
}

/* ---- zx_vmo_replace_as_executable ---- */

CASE(replace_as_executable, adds_execute_and_consumes_handle)
{
    zx_handle_t vmo = 0;
    ASSERT_OK(zx_vmo_create(PAGE, 0, &vmo));
    zx_koid_t koid = koid_of(vmo);
    zx_handle_t exec = 0;
    zx_status_t s = zx_vmo_replace_as_executable(vmo, ZX_HANDLE_INVALID, &exec);
    if (s != ZX_OK)
        track(vmo);
    ASSERT_STATUS(s, ZX_OK);
    track(exec);
    EXPECT_EQ(rights_of(exec), VMO_RIGHTS | ZX_RIGHT_EXECUTE);
    EXPECT_EQ(koid_of(exec), koid);
    EXPECT_STATUS(zx_handle_close(vmo), ZX_ERR_BAD_HANDLE);
}

CASE(replace_as_executable, keeps_reduced_rights)
{
    zx_handle_t vmo = vmo_create(PAGE, ZX_VMO_RESIZABLE);
    zx_handle_t small = 0;
    ASSERT_OK(zx_handle_duplicate(vmo, ZX_RIGHT_READ | ZX_RIGHT_MAP, &small));
    zx_handle_t exec = 0;
    ASSERT_OK(zx_vmo_replace_as_executable(small, ZX_HANDLE_INVALID, &exec));
    track(exec);
    EXPECT_EQ(rights_of(exec), ZX_RIGHT_READ | ZX_RIGHT_MAP | ZX_RIGHT_EXECUTE);
}

CASE(replace_as_executable, non_vmo_is_bad_handle_and_consumed)
{
    zx_handle_t vmar = 0;
    ASSERT_OK(zx_handle_duplicate(ROOT, ZX_RIGHT_SAME_RIGHTS, &vmar));
    zx_handle_t out = 0;
    zx_status_t s = zx_vmo_replace_as_executable(vmar, ZX_HANDLE_INVALID, &out);
    EXPECT_STATUS(s, ZX_ERR_BAD_HANDLE);
    /* The handle is removed in every case. */
    EXPECT_STATUS(zx_handle_close(vmar), ZX_ERR_BAD_HANDLE);
    if (s == ZX_OK)
        track(out);
}

CASE(replace_as_executable, invalid_handle)
{
    zx_handle_t out = 0;
    EXPECT_STATUS(zx_vmo_replace_as_executable(ZX_HANDLE_INVALID, ZX_HANDLE_INVALID, &out),
                  ZX_ERR_BAD_HANDLE);
    EXPECT_STATUS(zx_vmo_replace_as_executable(0x12345670, ZX_HANDLE_INVALID, &out),
                  ZX_ERR_BAD_HANDLE);
}

/* ---- user copies into interesting mappings (docs/semantics.md "User pointers", "Memory model")
 * ---- */

CASE(vmo_rw, read_into_cow_mapping_forks_page)
{
    zx_handle_t src = vmo_create(PAGE, 0);
    vmo_fill(src, 0, PAGE, 0x91);
    zx_handle_t parent = vmo_create(PAGE, 0);
    vmo_fill(parent, 0, PAGE, 0x92);
    zx_handle_t c = child(parent, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    volatile uint8_t *p = (volatile uint8_t *)map(vmar, RW, 0, c, 0, PAGE);
    EXPECT_EQ(p[0], 0x92);
    /* The kernel's write into the clone's shared page must fork it. */
    EXPECT_OK(zx_vmo_read(src, (void *)p, 0, 64));
    EXPECT_EQ(p[0], 0x91);
    EXPECT_EQ(p[64], 0x92);
    EXPECT_VMO_FILLED(parent, 0, PAGE, 0x92);
    EXPECT_EQ(vmo_byte(c, 63), 0x91);
    EXPECT_EQ(vmo_info(c).committed_private_bytes, PAGE);
}

CASE(vmo_rw, read_into_mapping_protected_read_only)
{
    zx_handle_t src = vmo_create(PAGE, 0);
    zx_handle_t target = vmo_create(PAGE, 0);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    zx_vaddr_t a = map(vmar, RW, 0, target, 0, PAGE);
    ((volatile uint8_t *)a)[0] = 1;
    ASSERT_OK(zx_vmar_protect(vmar, ZX_VM_PERM_READ, a, PAGE));
    EXPECT_STATUS(zx_vmo_read(src, (void *)a, 0, 8), ZX_ERR_ACCESS_DENIED);
    EXPECT_EQ(vmo_byte(target, 0), 1);
}

CASE(vmo_rw, buffer_spanning_writable_then_read_only)
{
    zx_handle_t src = vmo_create(2 * PAGE, 0);
    zx_handle_t target = vmo_create(2 * PAGE, 0);
    zx_vaddr_t base = 0;
    zx_handle_t vmar = scratch(4 * PAGE, &base);
    map(vmar, RW | ZX_VM_SPECIFIC, 0, target, 0, PAGE);
    map(vmar, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, PAGE, target, PAGE, PAGE);
    EXPECT_STATUS(zx_vmo_read(src, (void *)(base + PAGE - 8), 0, 16), ZX_ERR_ACCESS_DENIED);
    /* Writing from it only reads both pages: fine. */
    EXPECT_OK(zx_vmo_write(src, (void *)(base + PAGE - 8), 0, 16));
}

CASE(vmo_rw, buffer_beyond_stream_size_is_out_of_range)
{
    zx_handle_t src = vmo_create(PAGE, 0);
    zx_handle_t target = vmo_create(4 * PAGE, 0);
    uint64_t cs = PAGE;
    ASSERT_OK(zx_object_set_property(target, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof cs));
    zx_handle_t vmar = scratch(8 * PAGE, NULL);
    zx_vaddr_t a =
        map(vmar, RW | ZX_VM_ALLOW_FAULTS | ZX_VM_FAULT_BEYOND_STREAM_SIZE, 0, target, 0, 4 * PAGE);
    EXPECT_OK(zx_vmo_read(src, (void *)a, 0, 16));
    EXPECT_STATUS(zx_vmo_read(src, (void *)(a + 2 * PAGE), 0, 16), ZX_ERR_OUT_OF_RANGE);
    EXPECT_STATUS(zx_vmo_write(src, (void *)(a + 2 * PAGE), 0, 16), ZX_ERR_OUT_OF_RANGE);
}

CASE(vmo_rw, info_record_into_cow_mapping)
{
    zx_handle_t parent = vmo_create(PAGE, 0);
    vmo_fill(parent, 0, PAGE, 0xAA);
    zx_handle_t c = child(parent, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    zx_handle_t vmar = scratch(4 * PAGE, NULL);
    zx_vaddr_t a = map(vmar, RW, 0, c, 0, PAGE);
    EXPECT_EQ(*(volatile uint8_t *)a, 0xAA);
    zx_info_handle_basic_t *b = (zx_info_handle_basic_t *)a;
    ASSERT_OK(zx_object_get_info(parent, ZX_INFO_HANDLE_BASIC, b, sizeof *b, NULL, NULL));
    EXPECT_EQ(b->koid, koid_of(parent));
    EXPECT_VMO_FILLED(parent, 0, PAGE, 0xAA);
}

CASE(cache_policy, uncached_vmo_still_maps)
{
    zx_handle_t vmo = vmo_create(PAGE, 0);
    ASSERT_OK(zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_UNCACHED));
    zx_handle_t vmar = scratch(2 * PAGE, NULL);
    volatile uint8_t *p = (volatile uint8_t *)map(vmar, RW, 0, vmo, 0, PAGE);
    p[0] = 0x4F;
    EXPECT_EQ(p[0], 0x4F);
    EXPECT_EQ(vmo_info(vmo).committed_bytes, PAGE);
}

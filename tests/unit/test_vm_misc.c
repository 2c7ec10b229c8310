/* The rest of the surface: zx_process_exit, zx_debug_write, bad and
 * unimplemented syscall numbers, guest faults (docs/semantics.md "User pointers", "Guest faults"),
 * zero-fill and the memory-model rules of docs/semantics.md "Memory model" seen from the guest's
 * side. */
#include "vm_harness.h"

#define R  ZX_VM_PERM_READ
#define W  ZX_VM_PERM_WRITE
#define X  ZX_VM_PERM_EXECUTE
#define RW (R | W)

/* ---------------- zx_process_exit ---------------- */

START_TEST(process_exit_records_retcode)
{
    ck_assert(!P->exited);
    SC(SYS_process_exit, 42);
    ck_assert(P->exited);
    ck_assert_int_eq(P->retcode, 42);
}
END_TEST

START_TEST(process_exit_full_64_bit_retcode)
{
    SC(SYS_process_exit, (uint64_t)INT64_MIN + 5);
    ck_assert(P->exited);
    ck_assert_int_eq(P->retcode, INT64_MIN + 5);
}
END_TEST

START_TEST(process_exit_negative)
{
    SC(SYS_process_exit, (uint64_t)-1);
    ck_assert(P->exited);
    ck_assert_int_eq(P->retcode, -1);
}
END_TEST

/* Tearing the process down afterwards frees everything (the fixture's
 * vm_kernel_destroy asserts that no VMO is left). */
START_TEST(process_exit_with_live_objects)
{
    zx_handle_t v = mkvmo(4 * P_SZ, 0);
    vfill(v, 0, 4 * P_SZ, 1);
    mkchild(v, ZX_VMO_CHILD_SNAPSHOT, 0, 4 * P_SZ);
    map_in(ROOT, v, RW, 0, 4 * P_SZ);
    zx_handle_t c;
    gva a;
    EXPECT_OK(t_vmar_allocate(ROOT, ZX_VM_CAN_MAP_READ, 0, 4 * P_SZ, &c, &a));
    SC(SYS_process_exit, 0);
    ck_assert(P->exited);
}
END_TEST

/* ---------------- zx_debug_write ---------------- */

static zx_status_t debug_write(const char *s, size_t len)
{
    gva b = IO_AREA;
    ck_assert_int_eq(vm_copy_to_user(P->aspace, b, s, len), ZX_OK);
    return SC(SYS_debug_write, b, len);
}

START_TEST(debug_write_small)
{
    EXPECT_OK(debug_write("hello, zxsim\n", 13));
    ck_assert_uint_eq(CONSOLE->len, 13);
    ck_assert_mem_eq(CONSOLE->str, "hello, zxsim\n", 13);
}
END_TEST

START_TEST(debug_write_exactly_256)
{
    char buf[256];
    for (int i = 0; i < 256; i++)
        buf[i] = (char)('a' + i % 26);
    EXPECT_OK(debug_write(buf, 256));
    ck_assert_uint_eq(CONSOLE->len, 256);
    ck_assert_mem_eq(CONSOLE->str, buf, 256);
}
END_TEST

/* At most 256 bytes per call; the rest is dropped. */
START_TEST(debug_write_truncates_to_256)
{
    static char buf[4096];
    for (int i = 0; i < 4096; i++)
        buf[i] = (char)('A' + i % 26);
    EXPECT_OK(debug_write(buf, 300));
    ck_assert_uint_eq(CONSOLE->len, 256);
    ck_assert_mem_eq(CONSOLE->str, buf, 256);
    EXPECT_OK(debug_write(buf, 4096));
    ck_assert_uint_eq(CONSOLE->len, 512);
}
END_TEST

START_TEST(debug_write_zero_length)
{
    EXPECT_OK(debug_write("x", 0));
    ck_assert_uint_eq(CONSOLE->len, 0);
}
END_TEST

/* A bad pointer is INVALID_ARGS (docs/semantics.md "User pointers"). */
START_TEST(debug_write_bad_pointer_invalid)
{
    EXPECT_ST(SC(SYS_debug_write, 0, 5), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_debug_write, G_UNMAPPED, 5), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_debug_write, G_KERNEL, 5), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_debug_write, noperm_ptr(), 5), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_debug_write, beyond_ptr(), 5), ZX_ERR_INVALID_ARGS);
    ck_assert_uint_eq(CONSOLE->len, 0);
}
END_TEST

/* Only the first 256 bytes are taken, so bytes past them are never read. */
START_TEST(debug_write_ignores_bytes_past_limit)
{
    gva end = SCRATCH_BASE + SCRATCH_SIZE;
    char buf[256];
    memset(buf, 'z', sizeof buf);
    ck_assert_int_eq(vm_copy_to_user(P->aspace, end - 256, buf, 256), ZX_OK);
    EXPECT_OK(SC(SYS_debug_write, end - 256, 1000));
    ck_assert_uint_eq(CONSOLE->len, 256);
}
END_TEST

/* Reading from a read-only buffer is fine. */
START_TEST(debug_write_from_read_only_memory)
{
    EXPECT_OK(SC(SYS_debug_write, ro_ptr(), 16));
    ck_assert_uint_eq(CONSOLE->len, 16);
}
END_TEST

/* ---------------- syscall numbers ---------------- */

START_TEST(bad_syscall_numbers)
{
    const uint32_t bad[] = {0, 29, 39, 55, 99, 199, 1000, 0xFFFFFFFFu};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        P->killed = false;
        EXPECT_ST(sc_arr(bad[i], (const uint64_t[8]){0}), ZX_ERR_BAD_SYSCALL);
        ck_assert_msg(P->killed, "number %u did not kill the process", bad[i]);
    }
}
END_TEST

START_TEST(unimplemented_calls_not_supported)
{
    const uint32_t ns[] = {SYS_vmo_create_contiguous,
                           SYS_vmo_create_physical,
                           SYS_pager_create,
                           SYS_pager_create_vmo,
                           SYS_pager_detach_vmo,
                           SYS_pager_supply_pages,
                           SYS_pager_op_range,
                           SYS_pager_query_dirty_ranges,
                           SYS_pager_query_vmo_stats,
                           SYS_stream_create,
                           SYS_stream_writev,
                           SYS_stream_writev_at,
                           SYS_stream_readv,
                           SYS_stream_readv_at,
                           SYS_stream_seek};
    for (size_t i = 0; i < G_N_ELEMENTS(ns); i++) {
        gva out = galloc(8);
        EXPECT_ST(SC(ns[i], 0, 0, 0, 0, out, out, out, out), ZX_ERR_NOT_SUPPORTED);
        ck_assert(!P->killed);
    }
}
END_TEST

/* ---------------- guest faults (docs/semantics.md "Guest faults") ---------------- */

START_TEST(fault_unmapped_not_found)
{
    uint8_t b;
    EXPECT_ST(g_load8(0, &b), ZX_ERR_NOT_FOUND);
    EXPECT_ST(g_load8(G_UNMAPPED, &b), ZX_ERR_NOT_FOUND);
    EXPECT_ST(g_store8(G_KERNEL, 1), ZX_ERR_NOT_FOUND);
    EXPECT_ST(g_exec(0xFFFF000000000000ull), ZX_ERR_NOT_FOUND);
    EXPECT_ST(g_load8(SCRATCH_BASE + SCRATCH_SIZE, &b), ZX_ERR_NOT_FOUND);
    EXPECT_ST(g_load8(USER_BASE, &b), ZX_ERR_NOT_FOUND);
}
END_TEST

START_TEST(fault_permission_access_denied)
{
    uint8_t b;
    EXPECT_OK(g_load8(ro_ptr(), &b));
    EXPECT_ST(g_store8(ro_ptr(), 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(g_load8(noperm_ptr(), &b), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(g_exec(SCRATCH_BASE), ZX_ERR_ACCESS_DENIED);
}
END_TEST

START_TEST(fault_beyond_vmo_out_of_range)
{
    uint8_t b;
    EXPECT_ST(g_load8(beyond_ptr(), &b), ZX_ERR_OUT_OF_RANGE);
    EXPECT_ST(g_store8(beyond_ptr() + 100, 1), ZX_ERR_OUT_OF_RANGE);
    EXPECT_OK(g_load8(beyond_ptr() - 1, &b));
}
END_TEST

/* A no-access mapping beyond its VMO: Zircon does not order the two
 * conditions, so either fatal status is accepted. */
START_TEST(fault_no_access_beyond_vmo_refused)
{
    zx_handle_t v = mkvmo(P_SZ, 0);
    gva m = map_in(ROOT, v, 0, 0, 2 * P_SZ);
    uint8_t b;
    zx_status_t st = g_load8(m + P_SZ, &b);
    ck_assert(st == ZX_ERR_ACCESS_DENIED || st == ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* FAULT_BEYOND_STREAM_SIZE: pages wholly beyond the content size fault
 * "out of range", and the limit tracks content-size changes. */
START_TEST(fault_beyond_stream_size)
{
    zx_handle_t v = mkvmo(3 * P_SZ, 0);
    uint64_t cs = 100;
    EXPECT_OK(t_set_property(v, ZX_PROP_VMO_CONTENT_SIZE, &cs, 8));
    gva m = 0;
    EXPECT_OK(t_vmar_map(ROOT, RW | ZX_VM_ALLOW_FAULTS | ZX_VM_FAULT_BEYOND_STREAM_SIZE, 0, v, 0,
                         3 * P_SZ, &m));
    uint8_t b;
    EXPECT_OK(g_load8(m + 200, &b)); /* same page as the content end */
    EXPECT_ST(g_load8(m + P_SZ, &b), ZX_ERR_OUT_OF_RANGE);
    cs = P_SZ + 1;
    EXPECT_OK(t_set_property(v, ZX_PROP_VMO_CONTENT_SIZE, &cs, 8));
    EXPECT_OK(g_store8(m + P_SZ + 10, 1));
    EXPECT_ST(g_load8(m + 2 * P_SZ, &b), ZX_ERR_OUT_OF_RANGE);
    cs = 0;
    EXPECT_OK(t_set_property(v, ZX_PROP_VMO_CONTENT_SIZE, &cs, 8));
    EXPECT_ST(g_load8(m + P_SZ, &b), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

/* ---------------- zero-fill and the memory model (docs/semantics.md "Ranges and zero-fill",
 * "Memory model") ---------------- */

START_TEST(zero_fill_read_commits_nothing)
{
    zx_handle_t v = mkvmo(4 * P_SZ, 0);
    gva m = map_in(ROOT, v, RW, 0, 4 * P_SZ);
    gexpect(m, 4 * P_SZ, 0);
    ck_assert_uint_eq(committed(v), 0);
    gfill(m + P_SZ, 1, 1);
    ck_assert_uint_eq(committed(v), P_SZ);
}
END_TEST

/* A page read through one mapping (the zero page) and written through
 * another: the first must see the new page. */
START_TEST(zero_page_replaced_in_every_mapping)
{
    zx_handle_t v = mkvmo(P_SZ, 0);
    gva a = map_in(ROOT, v, R, 0, P_SZ), b = map_in(ROOT, v, RW, 0, P_SZ);
    gexpect(a, 8, 0);
    gexpect(b, 8, 0);
    gfill(b, 8, 0x6A);
    gexpect(a, 8, 0x6A);
}
END_TEST

/* Writes by zx_vmo_write reach a mapping that showed the zero page. */
START_TEST(vmo_write_replaces_zero_page_entries)
{
    zx_handle_t v = mkvmo(P_SZ, 0);
    gva a = map_in(ROOT, v, R, 0, P_SZ);
    gexpect(a, 8, 0);
    vfill(v, 0, 8, 0x6B);
    gexpect(a, 8, 0x6B);
}
END_TEST

/* A COW fork in one mapping is seen by every mapping of the same clone. */
START_TEST(cow_fork_seen_by_all_mappings_of_clone)
{
    zx_handle_t p = mkvmo(P_SZ, 0);
    vfill(p, 0, 8, 0x10);
    zx_handle_t c = mkchild(p, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ);
    gva a = map_in(ROOT, c, R, 0, P_SZ), b = map_in(ROOT, c, RW, 0, P_SZ);
    gexpect(a, 8, 0x10);
    gfill(b, 8, 0x20);
    gexpect(a, 8, 0x20);
    vexpect(p, 0, 8, 0x10);
}
END_TEST

/* Snapshot creation write-protects the parent's existing entries. */
START_TEST(snapshot_write_protects_parent_mappings)
{
    zx_handle_t p = mkvmo(P_SZ, 0);
    gva a = map_in(ROOT, p, RW, 0, P_SZ);
    gfill(a, 8, 0x30);
    unsigned perms;
    ck_assert(pte(a, &perms) && (perms & MMU_PERM_WRITE));
    zx_handle_t c = mkchild(p, ZX_VMO_CHILD_SNAPSHOT, 0, P_SZ);
    ck_assert(!pte(a, &perms) || !(perms & MMU_PERM_WRITE));
    gfill(a, 8, 0x31);
    vexpect(c, 0, 8, 0x30);
    vexpect(p, 0, 8, 0x31);
}
END_TEST

/* Kernel copies obey the same mapping rules as the guest (docs/semantics.md "User pointers"): a
 * syscall writing into a buffer that shows the zero page commits it. */
START_TEST(kernel_copy_out_commits_buffer_page)
{
    zx_handle_t buf = mkvmo(P_SZ, 0);
    gva m = map_in(ROOT, buf, RW, 0, P_SZ);
    gexpect(m, 8, 0);
    zx_handle_t src = mkvmo(P_SZ, 0);
    vfill(src, 0, 8, 0x7C);
    EXPECT_OK(SC(SYS_vmo_read, src, m, 0, 8));
    gexpect(m, 8, 0x7C);
    ck_assert_uint_eq(committed(buf), P_SZ);
}
END_TEST

/* After a decommit, a guest store gets a fresh zero page, not the old one. */
START_TEST(decommit_then_guest_write_fresh_page)
{
    zx_handle_t v = mkvmo(P_SZ, 0);
    gva m = map_in(ROOT, v, RW, 0, P_SZ);
    gfill(m, P_SZ, 0x55);
    EXPECT_OK(t_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 0, P_SZ, 0, 0));
    gfill(m, 1, 0x56);
    gexpect(m + 1, P_SZ - 1, 0);
}
END_TEST

/* A user copy that runs off its buffer fails with the status of the first
 * bad page: NOT_FOUND past the mapping, OUT_OF_RANGE past the VMO. */
START_TEST(user_copy_status_of_first_bad_page)
{
    zx_handle_t v = mkvmo(2 * P_SZ, 0);
    gva end = SCRATCH_BASE + SCRATCH_SIZE;
    EXPECT_ST(SC(SYS_vmo_read, v, end - P_SZ, 0, P_SZ + 1), ZX_ERR_NOT_FOUND);
    EXPECT_ST(SC(SYS_vmo_read, v, beyond_ptr() - 8, 0, 16), ZX_ERR_OUT_OF_RANGE);
}
END_TEST

Suite *misc_suite(void)
{
    Suite *s = suite_create("vm_misc");
    TCase *tc = h_tcase("process_exit");
    ADD(tc, process_exit_records_retcode);
    ADD(tc, process_exit_full_64_bit_retcode);
    ADD(tc, process_exit_negative);
    ADD(tc, process_exit_with_live_objects);
    suite_add_tcase(s, tc);

    tc = h_tcase("debug_write");
    ADD(tc, debug_write_small);
    ADD(tc, debug_write_exactly_256);
    ADD(tc, debug_write_truncates_to_256);
    ADD(tc, debug_write_zero_length);
    ADD(tc, debug_write_bad_pointer_invalid);
    ADD(tc, debug_write_ignores_bytes_past_limit);
    ADD(tc, debug_write_from_read_only_memory);
    suite_add_tcase(s, tc);

    tc = h_tcase("syscall_numbers");
    ADD(tc, bad_syscall_numbers);
    ADD(tc, unimplemented_calls_not_supported);
    suite_add_tcase(s, tc);

    tc = h_tcase("faults");
    ADD(tc, fault_unmapped_not_found);
    ADD(tc, fault_permission_access_denied);
    ADD(tc, fault_beyond_vmo_out_of_range);
    ADD(tc, fault_no_access_beyond_vmo_refused);
    ADD(tc, fault_beyond_stream_size);
    suite_add_tcase(s, tc);

    tc = h_tcase("memory_model");
    ADD(tc, zero_fill_read_commits_nothing);
    ADD(tc, zero_page_replaced_in_every_mapping);
    ADD(tc, vmo_write_replaces_zero_page_entries);
    ADD(tc, cow_fork_seen_by_all_mappings_of_clone);
    ADD(tc, snapshot_write_protects_parent_mappings);
    ADD(tc, kernel_copy_out_commits_buffer_page);
    ADD(tc, decommit_then_guest_write_fresh_page);
    ADD(tc, user_copy_status_of_first_bad_page);
    suite_add_tcase(s, tc);

    tc = h_tcase_x86("x86_64");
    ADD(tc, fault_unmapped_not_found);
    ADD(tc, zero_page_replaced_in_every_mapping);
    ADD(tc, snapshot_write_protects_parent_mappings);
    ADD(tc, debug_write_truncates_to_256);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return h_run(misc_suite());
}

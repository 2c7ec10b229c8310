/* Handles (docs/semantics.md "Handles", "Handle lookup", "Handle calls"): values, the universal
 * lookup order, and zx_handle_close / duplicate / replace with their rights rules. */
#include "vm_harness.h"

#define DUPR ZX_RIGHT_DUPLICATE

/* ---------------- values and the process's own handles ---------------- */

START_TEST(handle_values_have_fixed_bits_and_never_repeat_while_live)
{
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    zx_handle_t hs[64];
    for (int i = 0; i < 64; i++) {
        hs[i] = mkvmo(0, 0);
        ck_assert_uint_eq(hs[i] & ZX_HANDLE_FIXED_BITS_MASK, ZX_HANDLE_FIXED_BITS_MASK);
        ck_assert(!g_hash_table_contains(seen, GUINT_TO_POINTER(hs[i])));
        g_hash_table_add(seen, GUINT_TO_POINTER(hs[i]));
    }
    for (int i = 0; i < 64; i += 2)
        EXPECT_OK(t_handle_close(hs[i]));
    for (int i = 0; i < 64; i += 2) {
        zx_handle_t h = hdup(hs[i + 1], ZX_RIGHT_SAME_RIGHTS);
        ck_assert_uint_eq(h & ZX_HANDLE_FIXED_BITS_MASK, ZX_HANDLE_FIXED_BITS_MASK);
        for (int j = 1; j < 64; j += 2)
            ck_assert_uint_ne(h, hs[j]);
    }
    g_hash_table_destroy(seen);
}
END_TEST

START_TEST(startup_handles)
{
    zx_info_handle_basic_t p = basic_of(SELF), r = basic_of(ROOT);
    ck_assert_uint_eq(p.type, ZX_OBJ_TYPE_PROCESS);
    ck_assert_uint_eq(p.rights, ZX_DEFAULT_PROCESS_RIGHTS);
    ck_assert(p.rights & ZX_RIGHT_INSPECT);
    ck_assert_uint_eq(r.type, ZX_OBJ_TYPE_VMAR);
    ck_assert_uint_eq(r.rights, 0x20801F);
    ck_assert_uint_ne(p.koid, r.koid);
    ck_assert_uint_ge(p.koid, ZX_KOID_FIRST);
    ck_assert_uint_ne(p.koid, koid_of(mkvmo(P_SZ, 0)));
    ck_assert_uint_eq(r.related_koid, 0);
}
END_TEST

/* Handles to the same object share a koid. */
START_TEST(same_object_same_koid)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_handle_t d = hdup(h, ZX_RIGHT_READ);
    ck_assert_uint_ne(h, d);
    ck_assert_uint_eq(koid_of(h), koid_of(d));
}
END_TEST

/* Koids are never reused. */
START_TEST(koids_not_reused)
{
    zx_koid_t a = koid_of(mkvmo(P_SZ, 0));
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_koid_t b = koid_of(h);
    EXPECT_OK(t_handle_close(h));
    zx_koid_t c = koid_of(mkvmo(P_SZ, 0));
    ck_assert(a != b && b != c && a != c);
}
END_TEST

/* docs/semantics.md "Handle lookup": any value with a fixed bit clear is simply a bad handle. */
START_TEST(values_with_clear_fixed_bits_are_bad)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    uint64_t s;
    EXPECT_ST(t_vmo_get_size(h & ~1u, &s), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(t_vmo_get_size(h & ~2u, &s), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(t_vmo_get_size(h & ~3u, &s), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(t_handle_close(h & ~3u), ZX_ERR_BAD_HANDLE);
    ck_assert(handle_live(h));
}
END_TEST

/* docs/semantics.md "Handle lookup": type beats rights for every kind of call. */
START_TEST(lookup_type_beats_rights)
{
    zx_handle_t v0 = hdup(mkvmo(P_SZ, 0), ZX_RIGHT_NONE);
    zx_handle_t r0 = hdup(ROOT, ZX_RIGHT_NONE);
    zx_handle_t p0 = hdup(SELF, ZX_RIGHT_NONE);
    gva a;
    EXPECT_ST(t_vmar_map(v0, ZX_VM_PERM_READ, 0, v0, 0, P_SZ, &a), ZX_ERR_WRONG_TYPE);
    EXPECT_ST(t_vmar_protect(p0, ZX_VM_PERM_READ, USER_BASE, P_SZ), ZX_ERR_WRONG_TYPE);
    EXPECT_ST(t_vmo_set_size(r0, P_SZ), ZX_ERR_WRONG_TYPE);
    EXPECT_ST(t_vmo_op_range(p0, ZX_VMO_OP_COMMIT, 0, P_SZ, 0, 0), ZX_ERR_WRONG_TYPE);
    zx_info_vmar_t vi;
    EXPECT_ST(t_get_info(v0, ZX_INFO_VMAR, &vi, sizeof vi, NULL, NULL), ZX_ERR_WRONG_TYPE);
}
END_TEST

/* ---------------- zx_handle_close ---------------- */

START_TEST(close_invalid_is_ok)
{
    EXPECT_OK(t_handle_close(ZX_HANDLE_INVALID));
}
END_TEST

START_TEST(close_bad_handle)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    EXPECT_OK(t_handle_close(h));
    EXPECT_ST(t_handle_close(h), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(t_handle_close(0xFFFFFFFCu), ZX_ERR_BAD_HANDLE);
}
END_TEST

START_TEST(close_needs_no_right)
{
    zx_handle_t h = hdup(mkvmo(P_SZ, 0), ZX_RIGHT_NONE);
    EXPECT_OK(t_handle_close(h));
    ck_assert(!handle_live(h));
}
END_TEST

START_TEST(close_one_of_two_handles)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_handle_t d = hdup(h, ZX_RIGHT_SAME_RIGHTS);
    vfill(h, 0, 4, 0x5E);
    EXPECT_OK(t_handle_close(h));
    vexpect(d, 0, 4, 0x5E);
}
END_TEST

/* A VMO lives on while mapped; its pages are freed with the last use. */
START_TEST(close_mapped_vmo_lives_on)
{
    guint before = kernel_vmo_count();
    zx_handle_t h = mkvmo(P_SZ, 0);
    vfill(h, 0, 4, 0x5F);
    gva m = map_in(ROOT, h, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, P_SZ);
    EXPECT_OK(t_handle_close(h));
    gexpect(m, 4, 0x5F);
    ck_assert_uint_eq(kernel_vmo_count(), before + 1);
    EXPECT_OK(t_vmar_unmap(ROOT, m, P_SZ));
    ck_assert_uint_eq(kernel_vmo_count(), before);
}
END_TEST

START_TEST(close_process_handle)
{
    zx_handle_t p = hdup(SELF, ZX_RIGHT_SAME_RIGHTS);
    EXPECT_OK(t_handle_close(p));
    ck_assert(!handle_live(p));
    ck_assert(handle_live(SELF));
}
END_TEST

/* ---------------- zx_handle_duplicate ---------------- */

START_TEST(dup_bad_handle)
{
    zx_handle_t out = 0x99;
    EXPECT_ST(t_handle_duplicate(ZX_HANDLE_INVALID, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(t_handle_duplicate(dead_handle(), ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_BAD_HANDLE);
    ck_assert_uint_eq(out, 0x99);
    /* Before the out-pointer. */
    EXPECT_ST(SC(SYS_handle_duplicate, dead_handle(), ZX_RIGHT_SAME_RIGHTS, 0), ZX_ERR_BAD_HANDLE);
}
END_TEST

START_TEST(dup_needs_duplicate_right)
{
    zx_handle_t h = hdup(mkvmo(P_SZ, 0), ZX_RIGHT_READ | ZX_RIGHT_WRITE), out;
    EXPECT_ST(t_handle_duplicate(h, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(t_handle_duplicate(h, ZX_RIGHT_READ, &out), ZX_ERR_ACCESS_DENIED);
    /* Check 2 beats check 3 and the out-pointer. */
    EXPECT_ST(t_handle_duplicate(h, ZX_RIGHT_EXECUTE, &out), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(SC(SYS_handle_duplicate, h, ZX_RIGHT_READ, 0), ZX_ERR_ACCESS_DENIED);
}
END_TEST

START_TEST(dup_rights_must_be_subset)
{
    zx_handle_t h = mkvmo(P_SZ, 0), out;
    guint before = handle_count();
    EXPECT_ST(t_handle_duplicate(h, ZX_RIGHT_EXECUTE, &out), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(t_handle_duplicate(h, 0xD0EF | ZX_RIGHT_RESIZE, &out), ZX_ERR_INVALID_ARGS);
    /* SAME_RIGHTS with other bits is not special. */
    EXPECT_ST(t_handle_duplicate(h, ZX_RIGHT_SAME_RIGHTS | ZX_RIGHT_READ, &out),
              ZX_ERR_INVALID_ARGS);
    ck_assert_uint_eq(handle_count(), before);
    EXPECT_ST(SC(SYS_handle_duplicate, h, ZX_RIGHT_EXECUTE, 0), ZX_ERR_INVALID_ARGS);
}
END_TEST

START_TEST(dup_bad_out_invalid_no_handle_leaked)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    guint before = handle_count();
    EXPECT_ST(SC(SYS_handle_duplicate, h, ZX_RIGHT_SAME_RIGHTS, 0), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_handle_duplicate, h, ZX_RIGHT_READ, ro_ptr()), ZX_ERR_INVALID_ARGS);
    EXPECT_ST(SC(SYS_handle_duplicate, h, ZX_RIGHT_READ, G_KERNEL), ZX_ERR_INVALID_ARGS);
    ck_assert_uint_eq(handle_count(), before);
}
END_TEST

START_TEST(dup_same_rights_copies)
{
    zx_handle_t h = mkvmo(P_SZ, ZX_VMO_RESIZABLE);
    zx_handle_t d = hdup(h, ZX_RIGHT_SAME_RIGHTS);
    ck_assert_uint_ne(d, h);
    ck_assert_uint_eq(rights_of(d), 0x40D0EF);
    ck_assert(handle_live(h));
    zx_handle_t v = hdup(ROOT, ZX_RIGHT_SAME_RIGHTS);
    ck_assert_uint_eq(rights_of(v), 0x20801F);
}
END_TEST

START_TEST(dup_exact_subset)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_handle_t d = hdup(h, ZX_RIGHT_READ | ZX_RIGHT_MAP | DUPR);
    ck_assert_uint_eq(rights_of(d), ZX_RIGHT_READ | ZX_RIGHT_MAP | DUPR);
    /* Reduced again from the reduced one. */
    ck_assert_uint_eq(rights_of(hdup(d, ZX_RIGHT_READ)), ZX_RIGHT_READ);
}
END_TEST

/* Rights NONE names the object and can do almost nothing. */
START_TEST(dup_rights_none)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_handle_t n = hdup(h, ZX_RIGHT_NONE);
    zx_info_handle_basic_t b = basic_of(n);
    ck_assert_uint_eq(b.rights, 0);
    ck_assert_uint_eq(b.koid, koid_of(h));
    ck_assert_uint_eq(b.type, ZX_OBJ_TYPE_VMO);
    uint8_t x = 0;
    EXPECT_ST(t_vmo_read(n, &x, 0, 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_ST(t_vmo_write(n, &x, 0, 1), ZX_ERR_ACCESS_DENIED);
    zx_handle_t out;
    EXPECT_ST(t_handle_duplicate(n, ZX_RIGHT_NONE, &out), ZX_ERR_ACCESS_DENIED);
    gva a;
    EXPECT_ST(t_vmar_map(ROOT, 0, 0, n, 0, P_SZ, &a), ZX_ERR_ACCESS_DENIED);
}
END_TEST

/* Reduced rights are enforced by every call. */
START_TEST(dup_reduced_rights_enforced)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    zx_handle_t ro = hdup(h, ZX_RIGHT_READ | ZX_RIGHT_MAP);
    uint8_t x = 1;
    EXPECT_ST(t_vmo_write(ro, &x, 0, 1), ZX_ERR_ACCESS_DENIED);
    EXPECT_OK(t_vmo_read(ro, &x, 0, 1));
    gva a;
    EXPECT_ST(t_vmar_map(ROOT, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, ro, 0, P_SZ, &a),
              ZX_ERR_ACCESS_DENIED);
    EXPECT_OK(t_vmar_map(ROOT, ZX_VM_PERM_READ, 0, ro, 0, P_SZ, &a));
    zx_handle_t vr = hdup(ROOT, ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE);
    EXPECT_ST(t_vmar_map(vr, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, h, 0, P_SZ, &a),
              ZX_ERR_ACCESS_DENIED);
    EXPECT_OK(t_vmar_map(vr, ZX_VM_PERM_READ, 0, h, 0, P_SZ, &a));
}
END_TEST

/* ---------------- zx_handle_replace ---------------- */

START_TEST(replace_bad_handle_changes_nothing)
{
    mkvmo(P_SZ, 0);
    guint before = handle_count();
    zx_handle_t out = 0x77;
    EXPECT_ST(t_handle_replace(dead_handle(), ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_BAD_HANDLE);
    EXPECT_ST(t_handle_replace(ZX_HANDLE_INVALID, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_BAD_HANDLE);
    ck_assert_uint_eq(out, 0x77);
    ck_assert_uint_eq(handle_count(), before);
}
END_TEST

START_TEST(replace_needs_no_right)
{
    zx_handle_t h = hdup(mkvmo(P_SZ, 0), ZX_RIGHT_NONE), out = 0;
    EXPECT_OK(t_handle_replace(h, ZX_RIGHT_NONE, &out));
    ck_assert(!handle_live(h));
    ck_assert(handle_live(out));
    zx_handle_t r = hdup(mkvmo(P_SZ, 0), ZX_RIGHT_READ);
    EXPECT_OK(t_handle_replace(r, ZX_RIGHT_SAME_RIGHTS, &out));
    ck_assert_uint_eq(rights_of(out), ZX_RIGHT_READ);
}
END_TEST

START_TEST(replace_success_closes_original)
{
    zx_handle_t h = mkvmo(P_SZ, 0), out = 0;
    zx_koid_t k = koid_of(h);
    guint before = handle_count();
    EXPECT_OK(t_handle_replace(h, ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE, &out));
    ck_assert(!handle_live(h));
    ck_assert_uint_eq(rights_of(out), ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE);
    ck_assert_uint_eq(koid_of(out), k);
    ck_assert_uint_eq(handle_count(), before);
}
END_TEST

/* Not a subset: INVALID_ARGS and the original is closed anyway. */
START_TEST(replace_not_subset_closes_original)
{
    zx_handle_t h = mkvmo(P_SZ, 0), out = 0x55;
    vfill(h, 0, 1, 1);
    EXPECT_ST(t_handle_replace(h, ZX_RIGHT_EXECUTE, &out), ZX_ERR_INVALID_ARGS);
    ck_assert(!handle_live(h));
    ck_assert_uint_eq(out, 0x55);
    zx_handle_t g = mkvmo(P_SZ, 0);
    EXPECT_ST(t_handle_replace(g, ZX_RIGHT_SAME_RIGHTS | ZX_RIGHT_READ, &out), ZX_ERR_INVALID_ARGS);
    ck_assert(!handle_live(g));
}
END_TEST

START_TEST(replace_bad_out_invalid)
{
    zx_handle_t h = mkvmo(P_SZ, 0);
    guint before = handle_count();
    EXPECT_ST(SC(SYS_handle_replace, h, ZX_RIGHT_SAME_RIGHTS, 0), ZX_ERR_INVALID_ARGS);
    /* No new handle was installed. */
    ck_assert_uint_le(handle_count(), before);
}
END_TEST

START_TEST(replace_vmar_handle)
{
    zx_handle_t a = 0;
    gva base;
    EXPECT_OK(t_vmar_allocate(ROOT, ZX_VM_CAN_MAP_READ, 0, 4 * P_SZ, &a, &base));
    zx_handle_t out = 0;
    const zx_rights_t r = ZX_RIGHT_READ | ZX_RIGHT_OP_CHILDREN | ZX_RIGHT_INSPECT;
    EXPECT_OK(t_handle_replace(a, r, &out));
    ck_assert_uint_eq(rights_of(out), r);
    ck_assert_uint_eq(vmar_info(out).base, base);
}
END_TEST

Suite *handle_suite(void)
{
    Suite *s = suite_create("vm_handle");
    TCase *tc = h_tcase("values");
    ADD(tc, handle_values_have_fixed_bits_and_never_repeat_while_live);
    ADD(tc, startup_handles);
    ADD(tc, same_object_same_koid);
    ADD(tc, koids_not_reused);
    ADD(tc, values_with_clear_fixed_bits_are_bad);
    ADD(tc, lookup_type_beats_rights);
    suite_add_tcase(s, tc);

    tc = h_tcase("close");
    ADD(tc, close_invalid_is_ok);
    ADD(tc, close_bad_handle);
    ADD(tc, close_needs_no_right);
    ADD(tc, close_one_of_two_handles);
    ADD(tc, close_mapped_vmo_lives_on);
    ADD(tc, close_process_handle);
    suite_add_tcase(s, tc);

    tc = h_tcase("duplicate");
    ADD(tc, dup_bad_handle);
    ADD(tc, dup_needs_duplicate_right);
    ADD(tc, dup_rights_must_be_subset);
    ADD(tc, dup_bad_out_invalid_no_handle_leaked);
    ADD(tc, dup_same_rights_copies);
    ADD(tc, dup_exact_subset);
    ADD(tc, dup_rights_none);
    ADD(tc, dup_reduced_rights_enforced);
    suite_add_tcase(s, tc);

    tc = h_tcase("replace");
    ADD(tc, replace_bad_handle_changes_nothing);
    ADD(tc, replace_needs_no_right);
    ADD(tc, replace_success_closes_original);
    ADD(tc, replace_not_subset_closes_original);
    ADD(tc, replace_bad_out_invalid);
    ADD(tc, replace_vmar_handle);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return h_run(handle_suite());
}
